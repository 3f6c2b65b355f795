/* kg graph.html, the page's script, part 1 of 8: the embedded data, its indexes, text-only DOM
 * helpers, the vis-network drawing and the filters.
 *
 * kg.export.html joins graph.js, layout.js, panel.js, views.js, timeline.js, search.js, url.js and
 * start.js, in that order, into one inline script inside one function: they share its variables.
 *
 * Every piece of graph text reaches the page through textContent or an <input>/<option> value,
 * never innerHTML, and vis-network gets no `title` (it would render it as HTML). Links are made
 * only from http(s) URLs and Wikidata ids (Q followed by digits).
 *
 * Globals for tests and the curious: window.network, window.nodes, window.edges (vis DataSets of
 * everything), window.kg (the API, start.js), window.kgReady (true once the view is drawn and
 * still).
 */
var data = JSON.parse(document.getElementById("kg-data").textContent);
var info = data.info;
var facts = data.facts;
var classVisible = {};
var relationVisible = {};
var classStyle = {};
var relationLabel = {};
data.classes.forEach(function (c) { classVisible[c.name] = c.visible; classStyle[c.name] = c; });
data.relations.forEach(function (r) { relationVisible[r.name] = r.visible; relationLabel[r.name] = r.label; });

// ------------------------------------------------------------------ indexes
var outEdges = {}, inEdges = {}, docFacts = {}, visNode = {}, visEdge = {};
Object.keys(info).forEach(function (id) { outEdges[id] = []; inEdges[id] = []; docFacts[id] = []; });
data.nodes.forEach(function (n) { visNode[n.id] = n; });
data.edges.forEach(function (e) {
  visEdge[e.id] = e;
  outEdges[e.from].push(e.id);
  inEdges[e.to].push(e.id);
  (facts[e.id].evidence || []).forEach(function (ev) {
    var doc = "doc:" + ev.doc;
    if (docFacts[doc] && docFacts[doc].indexOf(e.id) < 0) { docFacts[doc].push(e.id); }
  });
});
var nEntities = 0, nDocs = 0, nFacts = 0;
Object.keys(info).forEach(function (id) { if (info[id].kind === "entity") { nEntities++; } else { nDocs++; } });
Object.keys(facts).forEach(function (id) { if (facts[id].evidence) { nFacts++; } });

// ------------------------------------------------------------------ DOM helpers (text only)
function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) { node.className = className; }
  if (text !== undefined && text !== null) { node.textContent = String(text); }
  return node;
}
function button(text, className, onClick) {
  var b = el("button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}
function isHttp(url) { return typeof url === "string" && /^https?:\/\//i.test(url); }
function link(url, text) {
  if (!isHttp(url)) { return el("span", null, text); }
  var a = el("a", null, text);
  a.href = url;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}
function swatch(color, shape) {
  var s = el("span", "swatch " + (shape || "dot"));
  s.style.backgroundColor = color;
  return s;
}
function count(n) { return Number(n).toLocaleString("en"); }
function plural(n, one, many) { return count(n) + " " + (n === 1 ? one : many); }
function labelOf(id) { return info[id] ? info[id].label : String(id); }

// ------------------------------------------------------------------ the drawing
// A view (views.js) draws the nodes in `members` (an object used as a set), or every node when it
// is null; the class and relation filters apply in every view. The drawing starts empty: the
// first view adds what it shows (every node added, then taken away, cost seconds at 5,000 nodes).
var members = {};
var nodes = new vis.DataSet(data.nodes);
var edges = new vis.DataSet(data.edges);
function classShown(id) { return !!info[id] && classVisible[info[id].cls] !== false; }
function factShown(eid) {
  var f = facts[eid];
  return relationVisible[f.rel] !== false && classShown(f.from) && classShown(f.to);
}
function nodeShown(id) { return classShown(id) && (members === null || members[id] === true); }
var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeShown(n.id); } });
var edgeView = new vis.DataView(edges, {
  filter: function (e) { return factShown(e.id) && nodeShown(e.from) && nodeShown(e.to); }
});
var container = document.getElementById("network");
var startOptions = JSON.parse(JSON.stringify(data.options));
startOptions.physics.enabled = false;  // views.js lets physics settle a small graph when it is drawn whole
var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, startOptions);
window.network = network;
window.nodes = nodes;
window.edges = edges;
window.kgReady = false;
function drawn(id) { return !!network.body.nodes[id] && network.body.nodeIndices.indexOf(id) >= 0; }

document.getElementById("title").textContent = data.name + " \u2014 knowledge graph";
document.getElementById("stats").textContent =
  plural(nEntities, "entity", "entities") + " \u00b7 " + plural(nFacts, "fact", "facts") + " \u00b7 " +
  plural(nDocs, "document", "documents");

// ------------------------------------------------------------------ filters and legend
var filterBoxes = { cls: {}, rel: {} };
function filterRow(list, item, state, boxes, swatchShape) {
  var li = el("li");
  var label = el("label");
  var box = el("input");
  box.type = "checkbox";
  box.checked = state[item.name] !== false;
  box.dataset.name = item.name;
  box.addEventListener("change", function () { state[item.name] = box.checked; filtersChanged(); });
  label.appendChild(box);
  label.appendChild(swatch(item.color, swatchShape || item.shape));
  label.appendChild(el("span", null, item.label));
  label.appendChild(el("span", "count", count(item.count)));
  li.appendChild(label);
  list.appendChild(li);
  boxes[item.name] = box;
}
data.classes.forEach(function (c) { filterRow(document.getElementById("class-filters"), c, classVisible, filterBoxes.cls); });
data.relations.forEach(function (r) {
  filterRow(document.getElementById("relation-filters"), r, relationVisible, filterBoxes.rel, "line");
});
/** Set the filters (names of the visible classes and relations; null leaves one as it is) and tick the boxes. */
function setFilters(classes, relations) {
  [[classes, classVisible, filterBoxes.cls], [relations, relationVisible, filterBoxes.rel]].forEach(function (t) {
    if (!t[0]) { return; }
    Object.keys(t[1]).forEach(function (name) {
      t[1][name] = t[0].indexOf(name) >= 0;
      t[2][name].checked = t[1][name];
    });
  });
}
function showClass(cls) {
  if (classVisible[cls] === false) {
    classVisible[cls] = true;
    if (filterBoxes.cls[cls]) { filterBoxes.cls[cls].checked = true; }
    return true;
  }
  return false;
}
