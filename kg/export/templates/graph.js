/* kg graph.html: draws the embedded graph with vis-network; search, filters, side panel.
 *
 * Every piece of graph text reaches the page through textContent or an <input>/<option>
 * value, never innerHTML, and vis-network gets no `title` (it would render it as HTML).
 * Links are made only from http(s) URLs and Wikidata ids (Q followed by digits).
 *
 * Globals for tests and the curious: window.network, window.nodes, window.edges
 * (vis DataSets of everything), window.kg (the API below), window.kgReady (true once the
 * drawing is stable and physics is off).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var info = data.info;
  var facts = data.facts;
  var classVisible = {};
  var relationVisible = {};
  var classStyle = {};
  data.classes.forEach(function (c) { classVisible[c.name] = c.visible; classStyle[c.name] = c; });
  data.relations.forEach(function (r) { relationVisible[r.name] = r.visible; });
  var relationLabel = {};
  data.relations.forEach(function (r) { relationLabel[r.name] = r.label; });

  // ------------------------------------------------------------------ indexes
  var outEdges = {}, inEdges = {}, docFacts = {};
  Object.keys(info).forEach(function (id) { outEdges[id] = []; inEdges[id] = []; docFacts[id] = []; });
  data.edges.forEach(function (e) {
    outEdges[e.from].push(e.id);
    inEdges[e.to].push(e.id);
    var f = facts[e.id];
    (f.evidence || []).forEach(function (ev) {
      var doc = "doc:" + ev.doc;
      if (docFacts[doc] && docFacts[doc].indexOf(e.id) < 0) { docFacts[doc].push(e.id); }
    });
  });

  // ------------------------------------------------------------------ DOM helpers (text only)
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
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
  function nodeLink(id) {
    var b = el("button", "node-link", info[id] ? info[id].label : id);
    b.type = "button";
    b.addEventListener("click", function () { select(id, true); });
    return b;
  }
  function swatch(color, shape) {
    var s = el("span", "swatch " + (shape || "dot"));
    s.style.backgroundColor = color;
    return s;
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

  // ------------------------------------------------------------------ network
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  function nodeShown(id) { return !!info[id] && classVisible[info[id].cls] !== false; }
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return nodeShown(n.id); } });
  var edgeView = new vis.DataView(edges, {
    filter: function (e) {
      return relationVisible[facts[e.id].rel] !== false && nodeShown(e.from) && nodeShown(e.to);
    }
  });
  var container = document.getElementById("network");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  window.network = network;
  window.nodes = nodes;
  window.edges = edges;
  window.kgReady = false;

  function physicsOff() {
    network.setOptions({ physics: { enabled: false } });
    window.kgReady = true;
  }
  if (data.large || nodeView.length === 0) {
    if (nodeView.length === 0) { container.appendChild(el("p", "empty", "Nothing to draw: the graph has no nodes of the selected classes.")); }
    window.kgReady = true;
  } else {
    network.once("stabilizationIterationsDone", physicsOff);
    setTimeout(function () { if (!window.kgReady) { physicsOff(); } }, 20000);
  }

  // ------------------------------------------------------------------ header
  var nEntities = 0, nDocs = 0, nFacts = 0;
  Object.keys(info).forEach(function (id) { if (info[id].kind === "entity") { nEntities++; } else { nDocs++; } });
  Object.keys(facts).forEach(function (id) { if (facts[id].evidence) { nFacts++; } });
  document.getElementById("title").textContent = data.name + " \u2014 knowledge graph";
  document.getElementById("stats").textContent =
    nEntities + " entities \u00b7 " + nFacts + " facts \u00b7 " + nDocs + " documents";
  document.getElementById("fit").addEventListener("click", function () { network.fit({ animation: { duration: 400 } }); });

  // ------------------------------------------------------------------ filters and legend
  function refresh() {
    var before = nodeView.length;
    nodeView.refresh();
    edgeView.refresh();
    if (!data.large && nodeView.length > before) {  // new nodes: let physics place them, then stop
      window.kgReady = false;
      network.setOptions({ physics: { enabled: true } });
      network.once("stabilizationIterationsDone", physicsOff);
      network.stabilize(200);
    }
  }
  function filterRow(list, item, state, swatchShape) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = state[item.name] !== false;
    box.dataset.name = item.name;
    box.addEventListener("change", function () { state[item.name] = box.checked; refresh(); });
    label.appendChild(box);
    label.appendChild(swatch(item.color, swatchShape || item.shape));
    label.appendChild(el("span", null, item.label));
    label.appendChild(el("span", "count", item.count));
    li.appendChild(label);
    list.appendChild(li);
    return box;
  }
  var classBoxes = {};
  var classList = document.getElementById("class-filters");
  data.classes.forEach(function (c) { classBoxes[c.name] = filterRow(classList, c, classVisible); });
  var relationList = document.getElementById("relation-filters");
  data.relations.forEach(function (r) { filterRow(relationList, r, relationVisible, "line"); });
  function showClass(cls) {
    if (classVisible[cls] === false) {
      classVisible[cls] = true;
      if (classBoxes[cls]) { classBoxes[cls].checked = true; }
      refresh();
    }
  }

  // ------------------------------------------------------------------ side panel
  var panel = document.getElementById("panel");
  var body = document.getElementById("panel-body");
  document.getElementById("panel-close").addEventListener("click", function () { panel.hidden = true; });

  function section(title) { body.appendChild(el("h3", null, title)); }
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
    body.textContent = "";
    body.appendChild(el("h2", null, title));
    var line = el("div", "class-line");
    var st = classStyle[cls] || { color: "#aaaaaa", shape: "dot", label: cls };
    line.appendChild(swatch(st.color, st.shape));
    line.appendChild(el("span", "class-name", st.label));
    body.appendChild(line);
  }
  function showNode(id) {
    var n = info[id];
    if (!n) { return; }
    header(n.label, n.cls);
    var dl = el("dl");
    body.appendChild(dl);
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
        body.appendChild(ul);
      });
      section("Facts from " + n.label + " (" + outs.length + ")");
      body.appendChild(factList(outs, "out"));
      section("Facts about " + n.label + " (" + ins.length + ")");
      body.appendChild(factList(ins, "in"));
      var docs = inEdges[id].filter(function (e) { return facts[e].rel === "mentions"; });
      section("Mentioned in (" + docs.length + " documents)");
      var dul = el("ul");
      docs.forEach(function (e) {
        var li = el("li");
        li.appendChild(nodeLink(facts[e].from));
        if (facts[e].count) { li.appendChild(el("span", "source", " \u00d7" + facts[e].count)); }
        dul.appendChild(li);
      });
      body.appendChild(dul);
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
      body.appendChild(mul);
      var related = outEdges[id].concat(inEdges[id]).filter(function (e) { return facts[e].rel === "related"; });
      if (related.length) {
        section("Related documents");
        var rul = el("ul");
        related.forEach(function (e) {
          var li = el("li");
          li.appendChild(nodeLink(facts[e].from === id ? facts[e].to : facts[e].from));
          rul.appendChild(li);
        });
        body.appendChild(rul);
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
      body.appendChild(ful);
    }
    panel.hidden = false;
    panel.scrollTop = 0;
  }
  function showEdge(eid) {
    var f = facts[eid];
    if (!f) { return; }
    body.textContent = "";
    body.appendChild(el("h2", null, relationLabel[f.rel] || f.rel));
    var p = el("p");
    p.appendChild(nodeLink(f.from));
    p.appendChild(el("span", "rel", " " + (relationLabel[f.rel] || f.rel) + " "));
    p.appendChild(nodeLink(f.to));
    body.appendChild(p);
    var dl = el("dl");
    body.appendChild(dl);
    field(dl, "Confidence", f.confidence);
    if (f.reference) { field(dl, "Source", "reference data (gazetteer)"); }
    field(dl, "Times mentioned", f.count);
    field(dl, "As written", f.surfaces);
    if (f.evidence) {
      section("Evidence (" + f.evidence.length + ")");
      body.appendChild(evidenceList(f.evidence));
    }
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  // ------------------------------------------------------------------ selection and search
  function select(id, focus) {
    if (!info[id]) { return false; }
    showClass(info[id].cls);
    network.selectNodes([id]);
    if (focus) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    }
    showNode(id);
    return true;
  }
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { panel.hidden = true; }
  });

  function norm(s) { return String(s).normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim(); }
  var searchIndex = Object.keys(info).sort().map(function (id) {
    var n = info[id];
    return { id: id, doc: n.kind !== "entity", names: [n.label].concat(n.aliases || []).map(norm) };
  });
  function find(query) {
    var q = norm(query);
    if (!q) { return null; }
    var best = null, bestScore = Infinity, bestLength = Infinity;
    searchIndex.forEach(function (entry) {
      entry.names.forEach(function (name, i) {
        var base = name === q ? 0 : name.indexOf(q) === 0 ? 2 : name.indexOf(q) > 0 ? 4 : -1;
        if (base < 0) { return; }
        var score = base + (i ? 1 : 0) + (entry.doc ? 0.5 : 0);
        if (score < bestScore || (score === bestScore && name.length < bestLength)) {
          best = entry.id; bestScore = score; bestLength = name.length;
        }
      });
    });
    return best;
  }
  var datalist = document.getElementById("search-names");
  var seen = {};
  searchIndex.forEach(function (entry) {
    var n = info[entry.id];
    [n.label].concat(n.aliases || []).forEach(function (name) {
      if (seen[name]) { return; }
      seen[name] = true;
      var option = el("option");
      option.value = name;
      datalist.appendChild(option);
    });
  });
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  var timer = null;
  function runSearch() {
    var query = search.value;
    if (!norm(query)) { status.textContent = ""; return; }
    var id = find(query);
    if (id) {
      select(id, true);
      status.textContent = "found: " + info[id].label;
    } else {
      status.textContent = "no match";
    }
  }
  search.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(runSearch, 150); });
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { clearTimeout(timer); runSearch(); } });

  window.kg = { select: select, find: find, showNode: showNode, showEdge: showEdge, refresh: refresh,
                classVisible: classVisible, relationVisible: relationVisible };
})();
