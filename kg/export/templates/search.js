/* kg graph.html, the page's script, part 6 of 8: search and the keyboard. Typing a name or an
 * alias lists the best matches under the box and brings the best one to the middle when it is
 * drawn; the arrow keys or Tab move through the list, Enter (or a click) focuses on the chosen
 * one. "/" anywhere goes to the search box; Esc closes the list, or else leaves the focus.
 */
function norm(s) { return String(s).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
var searchIndex = Object.keys(info).sort().map(function (id) {
  var n = info[id];
  return { id: id, doc: n.kind !== "entity", names: [n.label].concat(n.aliases || []), keys: [n.label].concat(n.aliases || []).map(norm) };
});
/** The nodes whose label or an alias matches `query`, best first: [{id, name}] (name: what matched). */
function matches(query, limit) {
  var q = norm(query), found = [];
  if (!q) { return found; }
  searchIndex.forEach(function (entry) {
    var best = null;
    entry.keys.forEach(function (key, i) {
      var at = key.indexOf(q);
      if (at < 0) { return; }
      var score = (key === q ? 0 : at === 0 ? 2 : 4) + (i ? 1 : 0) + (entry.doc ? 0.5 : 0);
      if (!best || score < best.score || (score === best.score && key.length < best.length)) {
        best = { id: entry.id, name: entry.names[i], score: score, length: key.length };
      }
    });
    if (best) { found.push(best); }
  });
  found.sort(function (a, b) { return a.score - b.score || a.length - b.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
  return found.slice(0, limit || found.length);
}
function find(query) { var m = matches(query, 1); return m.length ? m[0].id : null; }

var search = document.getElementById("search");
var status = document.getElementById("search-status");
var resultList = document.getElementById("search-results");
var results = [], active = -1, timer = null;

function openResults(query) {
  results = matches(query, 12);
  resultList.textContent = "";
  results.forEach(function (r, i) {
    var li = el("li");
    li.id = "search-result-" + i;
    li.setAttribute("role", "option");
    li.appendChild(el("span", "result-name", labelOf(r.id)));
    var st = classStyle[info[r.id].cls];
    var note = st ? st.label : info[r.id].cls;
    if (r.name !== labelOf(r.id)) { note = "\u201c" + r.name + "\u201d \u00b7 " + note; }
    li.appendChild(el("span", "result-note", note));
    li.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
    resultList.appendChild(li);
  });
  resultList.hidden = !results.length;
  search.setAttribute("aria-expanded", String(!resultList.hidden));
  setActive(results.length ? 0 : -1);
  if (!norm(query)) { status.textContent = ""; } else if (!results.length) { status.textContent = "no match"; }
}
function closeResults() {
  resultList.hidden = true;
  search.setAttribute("aria-expanded", "false");
  search.removeAttribute("aria-activedescendant");
}
function setActive(i) {
  active = i;
  Array.prototype.forEach.call(resultList.children, function (li, j) { li.setAttribute("aria-selected", String(j === i)); });
  if (i < 0) { search.removeAttribute("aria-activedescendant"); return; }
  search.setAttribute("aria-activedescendant", "search-result-" + i);
  resultList.children[i].scrollIntoView({ block: "nearest" });
  var id = results[i].id;
  status.textContent = "found: " + labelOf(id);
  if (view.tab === "graph" && drawn(id)) {  // a preview: the view glides to it, the view itself stays
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
  }
}
function choose(i) {
  clearTimeout(timer);
  if (i < 0 || i >= results.length) { return; }
  var id = results[i].id;
  closeResults();
  status.textContent = "found: " + labelOf(id);
  focusOn(id);
}
search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { openResults(search.value); }, 150); });
search.addEventListener("blur", function () { closeResults(); });
search.addEventListener("keydown", function (e) {
  var open = !resultList.hidden && results.length > 0;
  if (e.key === "Enter") {
    e.preventDefault();
    if (!open) { openResults(search.value); }
    if (results.length) { choose(Math.max(active, 0)); }
  } else if (open && (e.key === "ArrowDown" || e.key === "ArrowUp" || e.key === "Tab")) {
    e.preventDefault();
    var step = e.key === "ArrowUp" || (e.key === "Tab" && e.shiftKey) ? -1 : 1;
    setActive((active + step + results.length) % results.length);
  } else if (e.key === "ArrowDown" && search.value) {
    e.preventDefault();
    openResults(search.value);
  }
});
document.addEventListener("keydown", function (e) {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) { return; }
  var t = e.target, typing = t && (t.isContentEditable || /^(TEXTAREA|SELECT)$/.test(t.tagName) ||
                                    (t.tagName === "INPUT" && !/^(checkbox|radio|button)$/.test(t.type)));
  if (e.key === "/" && !typing) {
    e.preventDefault();
    search.focus();
    search.select();
  } else if (e.key === "Escape") {
    if (!resultList.hidden) { closeResults(); } else { leaveFocus(); }
  }
});
