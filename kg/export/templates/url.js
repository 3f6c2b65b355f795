/* kg graph.html, the page's script, part 7 of 8: the view in the URL fragment, so that a view can be
 * bookmarked or sent, and browser history, so that back and forward walk through focus changes.
 *
 *   #focus=JUICE&hops=2&rel=orbits,flyby      focus on the node with id (or else name) JUICE, 2 hops,
 *                                             only the relations orbits and flyby ticked
 *   expand=Ganymede,Europa   context=1        nodes expanded in the focus; the rest shown faded
 *   cls=Mission,Agency                        only these classes ticked
 *   view=overview | all | timeline            the view or the tab, when no node is focused
 *
 * Each value is percent-encoded (ids inside a list too, so a comma in an id is %2C). What the
 * fragment says is only ever compared with the graph's own ids and names: an unknown value is
 * ignored, and nothing from it is put into the page but as text.
 */
var historyIndex = 0;  // how many entries of this page lie before the current one in the browser history

function encodeView(v) {
  var parts = [];
  function list(items) { return items.map(encodeURIComponent).join(","); }
  if (v.mode === "focus") {
    parts.push("focus=" + encodeURIComponent(v.focus));
    if (v.hops !== 1) { parts.push("hops=" + v.hops); }
    if (v.expand.length) { parts.push("expand=" + list(v.expand)); }
    if (v.context) { parts.push("context=1"); }
  }
  if (v.tab === "timeline") { parts.push("view=timeline"); } else if (v.mode !== "focus") { parts.push("view=" + v.mode); }
  var rels = data.relations.filter(function (r) { return relationVisible[r.name] !== false; }).map(function (r) { return r.name; });
  if (rels.length !== data.relations.length) { parts.push("rel=" + list(rels)); }
  var classes = data.classes.filter(function (c) { return classVisible[c.name] !== false; }).map(function (c) { return c.name; });
  var defaults = data.classes.filter(function (c) { return c.visible; }).map(function (c) { return c.name; });
  if (classes.join("\n") !== defaults.join("\n")) { parts.push("cls=" + list(classes)); }
  return parts.join("&");
}
function decodePart(text) {
  try { return decodeURIComponent(text.replace(/\+/g, " ")); } catch (e) { return null; }  // a malformed %-escape
}
/** The view a fragment describes (the filters it names are set), or null when it names none. */
function decodeView(hash) {
  var raw = String(hash || "").replace(/^#/, ""), params = {};
  if (!raw) { return null; }
  raw.split("&").forEach(function (pair) {
    var at = pair.indexOf("="), key = at < 0 ? pair : pair.slice(0, at), value = at < 0 ? "" : pair.slice(at + 1);
    if (/^(focus|hops|expand|context|view|rel|cls)$/.test(key)) { params[key] = value; }
  });
  function list(name, known) {
    if (params[name] === undefined) { return null; }
    return params[name].split(",").map(decodePart).filter(function (x) { return x !== null && known(x); });
  }
  // a list left out is the default: the classes ticked at first, every relation
  setFilters(list("cls", function (c) { return classVisible[c] !== undefined; }) ||
               data.classes.filter(function (c) { return c.visible; }).map(function (c) { return c.name; }),
             list("rel", function (r) { return relationVisible[r] !== undefined; }) ||
               data.relations.map(function (r) { return r.name; }));
  var page = params.view === undefined ? null : decodePart(params.view);
  var v = { mode: page === "all" || page === "overview" ? page : startMode(), tab: page === "timeline" ? "timeline" : "graph",
            hops: 1, expand: [], context: false, focus: null };
  if (params.focus !== undefined) {
    var wanted = decodePart(params.focus), id = wanted !== null && info[wanted] ? wanted : null;
    if (id === null && wanted !== null) {
      var exact = matches(wanted).filter(function (m) { return norm(m.name) === norm(wanted); });
      id = exact.length ? exact[0].id : null;
    }
    if (id === null) {
      status.textContent = "no node \u201c" + (wanted === null ? params.focus : wanted) + "\u201d in this graph";
    } else {
      v.mode = "focus";
      v.focus = id;
      v.hops = Number(decodePart(params.hops || "1")) || 1;
      v.expand = list("expand", function (x) { return !!info[x]; }) || [];
      v.context = params.context === "1";
    }
  }
  return v;
}

/** Record the view drawn in the URL: a new history entry, or (`replace`) in place of the current one. */
function remember(replace) {
  var url = location.href.split("#")[0] + "#" + encodeView(view);
  if (url === location.href && history.state && history.state.kg === historyIndex) { return; }
  if (!replace) { historyIndex += 1; }
  try {
    if (replace) { history.replaceState({ kg: historyIndex }, "", url); } else { history.pushState({ kg: historyIndex }, "", url); }
  } catch (e) {
    historyIndex = 0;  // a browser that keeps the history of a file to itself: the page still works
  }
  showBackButton();
}
function go(next, replace) { show(next); remember(replace); }
function goBack() { if (historyIndex > 0) { history.back(); } }
function showBackButton() { document.getElementById("back").disabled = historyIndex <= 0; }

window.addEventListener("popstate", function (e) {
  var v = decodeView(location.hash) || { mode: startMode(), tab: "graph" };
  show(v, true);
  if (view.mode === "focus" && !panel.hidden) { showNode(view.focus); }  // the panel follows the focus
  if (e.state && typeof e.state.kg === "number") {
    historyIndex = e.state.kg;
  } else {  // a fragment typed into the address bar: a new entry after the one before
    historyIndex += 1;
    try { history.replaceState({ kg: historyIndex }, "", location.href); } catch (err) { historyIndex = 0; }
  }
  showBackButton();
});
