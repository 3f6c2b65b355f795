/* kg graph.html, the page's script, part 3 of 8: the side panel. A node shows its class, aliases,
 * Wikidata link, launch dates and every fact from and about it with its evidence sentences, their
 * documents and YouTube timestamp links; a document what it mentions and the facts read in it; an
 * edge its fact alone. Buttons at the top focus on the node or expand it (views.js).
 */
function nodeLink(id) {
  var b = el("button", "node-link", labelOf(id));
  b.type = "button";
  b.addEventListener("click", function () { visit(id); });
  return b;
}
function clock(seconds) {
  if (typeof seconds !== "number" || !isFinite(seconds) || seconds < 0) { return "video"; }
  var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = Math.floor(seconds % 60);
  var mm = (h ? String(m).padStart(2, "0") : String(m)), ss = String(s).padStart(2, "0");
  return (h ? h + ":" : "") + mm + ":" + ss;
}
function docLabel(docId) {
  var node = info["doc:" + docId];
  return node ? node.label + " (" + docId + ")" : String(docId);
}

// ------------------------------------------------------------------ side panel
var panel = document.getElementById("panel");
var panelBody = document.getElementById("panel-body");
document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; });

function section(title) { panelBody.appendChild(el("h3", null, title)); }
function field(dl, name, value) {
  if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
  dl.appendChild(el("dt", null, name));
  var dd = el("dd");
  if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = Array.isArray(value) ? value.join(", ") : String(value); }
  dl.appendChild(dd);
}
function evidenceList(evidence) {
  var ul = el("ul", "evidence");
  (evidence || []).forEach(function (ev) {
    var li = el("li");
    li.appendChild(el("div", "sentence", "\u201c" + ev.sentence + "\u201d"));
    var src = el("div", "source");
    src.appendChild(document.createTextNode("\u2014 " + docLabel(ev.doc)));
    if (isHttp(ev.url)) {
      src.appendChild(document.createTextNode(" \u00b7 "));
      src.appendChild(link(ev.url, "\u25b6 " + clock(ev.seconds)));
    }
    if (ev.rule) { src.appendChild(document.createTextNode(" \u00b7 rule " + ev.rule)); }
    if (typeof ev.confidence === "number") { src.appendChild(document.createTextNode(" \u00b7 confidence " + ev.confidence)); }
    li.appendChild(src);
    ul.appendChild(li);
  });
  return ul;
}
function factItem(eid, other, arrow) {
  var f = facts[eid];
  var li = el("li", "fact");
  li.appendChild(el("span", "rel", arrow === "out" ? relationLabel[f.rel] + " \u2192 " : "\u2190 " + relationLabel[f.rel] + " "));
  li.appendChild(nodeLink(other));
  if (f.reference) { li.appendChild(el("span", "source", " (reference data)")); }
  if (f.evidence && f.evidence.length) { li.appendChild(evidenceList(f.evidence)); }
  return li;
}
function factList(ids, arrow) {
  var ul = el("ul");
  ids.forEach(function (eid) {
    var f = facts[eid];
    ul.appendChild(factItem(eid, arrow === "out" ? f.to : f.from, arrow));
  });
  return ul;
}
function header(title, cls) {
  panelBody.textContent = "";
  panelBody.appendChild(el("h2", null, title));
  var line = el("div", "class-line");
  var st = classStyle[cls] || { color: "#aaaaaa", shape: "dot", label: cls };
  line.appendChild(swatch(st.color, st.shape));
  line.appendChild(el("span", "class-name", st.label));
  panelBody.appendChild(line);
}
function showNode(id) {
  var n = info[id];
  if (!n) { return; }
  header(n.label, n.cls);
  panelBody.appendChild(nodeActions(id));
  var dl = el("dl");
  panelBody.appendChild(dl);
  var outs = outEdges[id].filter(function (e) { return facts[e].evidence; });
  var ins = inEdges[id].filter(function (e) { return facts[e].evidence; });
  if (n.kind === "entity") {
    field(dl, "Also known as", n.aliases);
    if (n.qid) { field(dl, "Wikidata", link("https://www.wikidata.org/wiki/" + n.qid, n.qid)); }
    field(dl, "Gazetteer id", n.gazetteer_id);
    n.literals.forEach(function (lit) {
      section(lit.label);
      var ul = el("ul");
      lit.values.forEach(function (d) {
        var li = el("li", "fact", d.value);
        li.appendChild(evidenceList(d.evidence));
        ul.appendChild(li);
      });
      panelBody.appendChild(ul);
    });
    section("Facts from " + n.label + " (" + outs.length + ")");
    panelBody.appendChild(factList(outs, "out"));
    section("Facts about " + n.label + " (" + ins.length + ")");
    panelBody.appendChild(factList(ins, "in"));
    var docs = inEdges[id].filter(function (e) { return facts[e].rel === "mentions"; });
    section("Mentioned in (" + docs.length + " documents)");
    var dul = el("ul");
    docs.forEach(function (e) {
      var li = el("li");
      li.appendChild(nodeLink(facts[e].from));
      if (facts[e].count) { li.appendChild(el("span", "source", " \u00d7" + facts[e].count)); }
      dul.appendChild(li);
    });
    panelBody.appendChild(dul);
  } else {
    field(dl, "Title", n.title);
    field(dl, "Document id", n.doc_id);
    field(dl, "Kind", n.doc_kind);
    field(dl, "Date", n.date);
    field(dl, "Subject", n.subject);
    field(dl, "Channel", n.channel);
    if (n.video) { field(dl, "Video", link(n.video, n.video)); }
    field(dl, "URL", n.link ? link(n.link, n.link) : n.url);
    field(dl, "File", n.path);
    field(dl, "Keywords", n.keywords);
    if (n.external) { field(dl, "Note", "an article outside the corpus"); }
    var mentions = outEdges[id].filter(function (e) { return facts[e].rel === "mentions"; });
    section("Mentions (" + mentions.length + ")");
    var mul = el("ul");
    mentions.forEach(function (e) { var li = el("li"); li.appendChild(nodeLink(facts[e].to)); mul.appendChild(li); });
    panelBody.appendChild(mul);
    var related = outEdges[id].concat(inEdges[id]).filter(function (e) { return facts[e].rel === "related"; });
    if (related.length) {
      section("Related documents");
      var rul = el("ul");
      related.forEach(function (e) {
        var li = el("li");
        li.appendChild(nodeLink(facts[e].from === id ? facts[e].to : facts[e].from));
        rul.appendChild(li);
      });
      panelBody.appendChild(rul);
    }
    section("Facts read in this document (" + docFacts[id].length + ")");
    var ful = el("ul");
    docFacts[id].forEach(function (e) {
      var f = facts[e];
      var li = el("li", "fact");
      li.appendChild(nodeLink(f.from));
      li.appendChild(el("span", "rel", " " + relationLabel[f.rel] + " "));
      li.appendChild(nodeLink(f.to));
      li.appendChild(evidenceList(f.evidence.filter(function (ev) { return "doc:" + ev.doc === id; })));
      ful.appendChild(li);
    });
    panelBody.appendChild(ful);
  }
  panel.hidden = false;
  panel.scrollTop = 0;
}
function showEdge(eid) {
  var f = facts[eid];
  if (!f) { return; }
  panelBody.textContent = "";
  panelBody.appendChild(el("h2", null, relationLabel[f.rel] || f.rel));
  var p = el("p");
  p.appendChild(nodeLink(f.from));
  p.appendChild(el("span", "rel", " " + (relationLabel[f.rel] || f.rel) + " "));
  p.appendChild(nodeLink(f.to));
  panelBody.appendChild(p);
  var dl = el("dl");
  panelBody.appendChild(dl);
  field(dl, "Confidence", f.confidence);
  if (f.reference) { field(dl, "Source", "reference data (gazetteer)"); }
  field(dl, "Times mentioned", f.count);
  field(dl, "As written", f.surfaces);
  if (f.evidence) {
    section("Evidence (" + f.evidence.length + ")");
    panelBody.appendChild(evidenceList(f.evidence));
  }
  panel.hidden = false;
  panel.scrollTop = 0;
}

