/* kg graph.html, the page's script, part 4 of 8: views. The graph tab draws one of
 *   all       every node of the ticked classes, where the drawing of the whole graph puts it;
 *   overview  the most connected entities and the facts between them (a large graph opens on it);
 *   focus     a node and its neighbourhood within `hops` (1-3) along the ticked relations, plus the
 *             neighbours of the nodes in `expand`, laid out for them (layout.js); with `context`
 *             every other node is drawn too, faded, everything where the whole drawing puts it.
 * A view is a plain object {mode, focus, hops, expand, context, tab}; show(view) draws it, go(view)
 * draws it and records it in the URL and the browser history (url.js).
 */
var view = { mode: "all", focus: null, hops: 1, expand: [], context: false, tab: "graph" };
var focusSet = null;  // the focused node and its neighbourhood, in focus mode
var home = {};        // where the drawing of the whole graph puts each node
var moved = {};       // nodes placed for the current view instead of at home
var settled = !!data.large, settling = null, drawToken = 0, faded = false, muted = [], drawnPart = false;
if (data.large) { data.nodes.forEach(function (n) { home[n.id] = { x: n.x, y: n.y }; }); }
var FADED = 0.15;

function startMode() { return data.overview.start ? "overview" : "all"; }
function assign(v, changes) {
  var out = { mode: v.mode, focus: v.focus, hops: v.hops, expand: v.expand.slice(), context: v.context, tab: v.tab };
  Object.keys(changes).forEach(function (k) { out[k] = changes[k]; });
  return out;
}
function normalise(v) {
  var out = { mode: v.mode, focus: null, hops: 1, expand: [], context: false, tab: v.tab === "timeline" ? "timeline" : "graph" };
  if (out.mode === "focus" && info[v.focus]) {
    out.focus = v.focus;
    out.hops = Math.min(3, Math.max(1, Math.round(Number(v.hops)) || 1));
    (v.expand || []).forEach(function (id) { if (info[id] && id !== v.focus && out.expand.indexOf(id) < 0) { out.expand.push(id); } });
    out.context = !!v.context;
  } else if (out.mode !== "all" && out.mode !== "overview") {
    out.mode = startMode();
  }
  return out;
}
function graphKey(v) { return JSON.stringify([v.mode, v.focus, v.hops, v.expand, v.context]); }

/** The ids along the shown facts of `id` (either direction). */
function adjacent(id) {
  var out = [];
  outEdges[id].forEach(function (e) { if (factShown(e)) { out.push(facts[e].to); } });
  inEdges[id].forEach(function (e) { if (factShown(e)) { out.push(facts[e].from); } });
  return out;
}
function neighbourhood(v) {
  var set = {}, frontier = [v.focus];
  set[v.focus] = true;
  for (var d = 0; d < v.hops; d++) {
    var next = [];
    frontier.forEach(function (u) { adjacent(u).forEach(function (w) { if (!set[w]) { set[w] = true; next.push(w); } }); });
    frontier = next;
  }
  v.expand.forEach(function (x) { if (set[x]) { adjacent(x).forEach(function (w) { set[w] = true; }); } });
  return set;
}

/** Draw view `next`. The camera moves only when what is drawn changes (`force`: the filters changed). */
function show(next, force) {
  var before = view;
  view = normalise(next);
  showTab(view.tab);
  if (!force && graphKey(before) === graphKey(view) && window.kgReady) { showBar(); return; }
  var token = ++drawToken;
  window.kgReady = false;
  var part = view.mode === "overview" || (view.mode === "focus" && !view.context);
  network.setOptions({ physics: { enabled: false } });
  if (part !== drawnPart) {  // (each change of the edge options goes through every edge)
    // a part of the graph is laid out here: straight edges, and the focus's edges not highlighted with it
    network.setOptions({ interaction: { selectConnectedEdges: !part },
                         edges: { smooth: part ? { enabled: false } : data.options.edges.smooth } });
    drawnPart = part;
  }
  restoreLabels();
  unfade();
  if (view.focus && showClass(info[view.focus].cls)) { force = true; }
  var positions = {};
  focusSet = view.mode === "focus" ? neighbourhood(view) : null;
  if (focusSet && !view.context) {
    members = focusSet;
    positions = radialLayout(view.focus, Object.keys(focusSet), adjacent);
  } else if (view.mode === "overview") {
    members = {};
    data.overview.nodes.forEach(function (id) {
      if (classShown(id)) { members[id] = true; positions[id] = { x: data.overview.positions[id][0], y: data.overview.positions[id][1] }; }
    });
  } else {
    members = null;
  }
  var ids = Object.keys(positions);
  separate(ids, positions, view.focus, estimatedBox);
  if (ids.length > 2 && squeeze(ids, positions)) { separate(ids, positions, view.focus, estimatedBox); }
  place(positions);
  nodeView.refresh();
  edgeView.refresh();
  if (focusSet && view.context) { fade(focusSet); }
  network.unselectAll();
  if (view.focus && drawn(view.focus)) { network.selectNodes([view.focus], !part); }
  document.getElementById("empty").hidden = nodeView.length > 0;
  showBar();
  var moveCamera = members !== null || view.context || graphKey(before) !== graphKey(view);
  if (members === null && !data.large && nodeView.length && nodeView.getIds().some(function (id) { return !home[id]; })) {
    settle(token);
  } else {
    finish(token, ids.length ? "nodes" : "done", moveCamera);
  }
}
function place(positions) {
  var updates = [];
  Object.keys(moved).forEach(function (id) { if (!positions[id] && home[id]) { updates.push({ id: id, x: home[id].x, y: home[id].y }); } });
  moved = {};
  Object.keys(positions).forEach(function (id) { updates.push({ id: id, x: positions[id].x, y: positions[id].y }); moved[id] = true; });
  if (updates.length) { nodes.update(updates); }
}

// A small graph drawn whole is laid out by vis-network's physics once, then kept where it settled.
function settle(token) {
  settling = token;
  network.setOptions({ physics: { enabled: true } });
  network.stabilize(settled ? 200 : data.options.physics.stabilization.iterations);
}
network.on("stabilizationIterationsDone", function () {
  var token = settling;
  settling = null;
  network.setOptions({ physics: { enabled: false } });
  if (token === null) { return; }
  if (token !== drawToken) { show(view, true); return; }  // the view changed meanwhile: put its nodes back
  var at = network.getPositions(nodeView.getIds());  // (vis-network's storePositions() fails on hidden nodes)
  Object.keys(at).forEach(function (id) { home[id] = at[id]; });
  nodes.update(Object.keys(at).map(function (id) { return { id: id, x: at[id].x, y: at[id].y }; }));
  settled = true;
  finish(token, "done", true);
});

// After drawing: node boxes checked as vis-network measured them, then edge labels that would
// cover another label are hidden (the panel names every fact), then the view is ready.
function finish(token, stage, moveCamera) {
  if (moveCamera) { fitView(); }
  network.once("afterDrawing", function () { afterDraw(token, stage, 0); });
  network.redraw();
}
function afterDraw(token, stage, round) {
  if (token !== drawToken) { return; }
  if (stage === "nodes") {
    var ids = Object.keys(moved).filter(drawn), pos = network.getPositions(ids), was = JSON.stringify(pos);
    separate(ids, pos, view.focus, drawnBox);
    if (JSON.stringify(pos) !== was && round < 3) {
      nodes.update(ids.map(function (id) { return { id: id, x: pos[id].x, y: pos[id].y }; }));
      fitView();
      network.once("afterDrawing", function () { afterDraw(token, stage, round + 1); });
      network.redraw();
      return;
    }
    muteCrowdedLabels();
  }
  network.once("afterDrawing", function () { if (token === drawToken) { window.kgReady = true; } });
  network.redraw();
}
/** Squeeze a drawing taller or wider than the free part of the canvas to its shape (separate() then
 * spreads what comes to overlap), so that it is drawn larger. True if anything moved. */
function squeeze(ids, pos) {
  var panelWidth = view.mode === "focus" || !panel.hidden ? panel.offsetWidth || 0 : 0;
  var freeW = Math.max(1, container.clientWidth - panelWidth), freeH = Math.max(1, container.clientHeight);
  var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  ids.forEach(function (id) {
    x0 = Math.min(x0, pos[id].x); x1 = Math.max(x1, pos[id].x); y0 = Math.min(y0, pos[id].y); y1 = Math.max(y1, pos[id].y);
  });
  var ratio = ((x1 - x0) / Math.max(1, y1 - y0)) / (freeW / freeH);
  if (!isFinite(ratio) || Math.abs(Math.log(ratio)) < 0.1) { return false; }
  var fx = ratio > 1 ? 1 / ratio : 1, fy = ratio < 1 ? ratio : 1;
  var c = view.mode === "focus" ? pos[view.focus] : { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, cx = c.x, cy = c.y;
  ids.forEach(function (id) { pos[id].x = cx + (pos[id].x - cx) * fx; pos[id].y = cy + (pos[id].y - cy) * fy; });
  return true;
}
/** Fit the drawing (in a focus with its context: the focus) into the part of the canvas the panel leaves free. */
function fitView() {
  var width = container.clientWidth, height = container.clientHeight;
  var covered = panel.hidden ? 0 : Math.min(panel.offsetWidth, 0.6 * width);
  var ids = focusSet && view.context ? Object.keys(focusSet) : members ? nodeView.getIds() : [];
  if (!ids.length || !width || !height) {  // the whole graph: vis-network's fit, made narrower by the panel
    network.fit({ animation: false });
    if (covered) {
      network.moveTo({ position: network.getViewPosition(), scale: network.getScale() * (width - covered) / width,
                       offset: { x: -covered / 2, y: 0 }, animation: false });
    }
    return;
  }
  var at = network.getPositions(ids), x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  ids.forEach(function (id) {
    var p = at[id], b = estimatedBox(id);
    if (!p) { return; }
    x0 = Math.min(x0, p.x - b.w / 2); x1 = Math.max(x1, p.x + b.w / 2);
    y0 = Math.min(y0, p.y + b.dy - b.h / 2); y1 = Math.max(y1, p.y + b.dy + b.h / 2);
  });
  var scale = Math.min(1, 0.96 * (width - covered) / Math.max(1, x1 - x0), 0.96 * height / Math.max(1, y1 - y0));
  network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, offset: { x: -covered / 2, y: 0 },
                   animation: false });
}
function muteCrowdedLabels() {
  var grid = new BoxGrid(120);
  network.body.nodeIndices.forEach(function (id) {
    var b = network.getBoundingBox(id);
    grid.add({ left: b.left, top: b.top, width: b.right - b.left, height: b.bottom - b.top + LABEL_DROP });
  });
  var order = network.body.edgeIndices.slice().sort(function (a, b) {
    var fa = facts[a], fb = facts[b];
    var ca = fa.from === view.focus || fa.to === view.focus, cb = fb.from === view.focus || fb.to === view.focus;
    return ca !== cb ? (ca ? -1 : 1) : (a < b ? -1 : a > b ? 1 : 0);
  });
  order.forEach(function (eid) {
    var size = network.body.edges[eid].labelModule.size;
    if (!visEdge[eid].label || !size || !size.width) { return; }
    var box = { left: size.left, top: size.top, width: size.width, height: size.height };
    if (grid.hits(box)) { muted.push(eid); } else { grid.add(box); }
  });
  // (vis-network keeps a label updated to "" or null; a font of size 0 draws nothing)
  if (muted.length) { edges.update(muted.map(function (eid) { return { id: eid, font: { size: 0 } }; })); }
}
function restoreLabels() {
  var size = data.options.edges.font.size;
  if (muted.length) { edges.update(muted.map(function (eid) { return { id: eid, font: { size: size } }; })); }
  muted = [];
}
// The context is faded through the global options (one change, however many nodes) and the focus
// kept clear through its own items; `own` remembers the opacity each item was given of its own.
var own = { nodes: {}, edges: {} };
function fadedFont(color) { return "rgba(" + color.slice(1).match(/../g).map(function (h) { return parseInt(h, 16); }).join(",") + "," + FADED + ")"; }
function globalFade(opacity) {
  var on = opacity < 1, nodeFont = data.options.nodes.font.color, edgeFont = data.options.edges.font.color;
  network.setOptions({ nodes: { opacity: opacity, font: { color: on ? fadedFont(nodeFont) : nodeFont } },
                       edges: { color: { opacity: opacity }, font: { color: on ? fadedFont(edgeFont) : edgeFont } } });
}
function ownOpacity(clear) {  // clear: the node ids to keep clear (the rest takes the global opacity)
  var nodeUpdates = [], edgeUpdates = [];
  function set(kind, id, opacity) {
    if (own[kind][id] === opacity || (own[kind][id] === undefined && opacity === FADED)) { return; }
    own[kind][id] = opacity;
    if (kind === "nodes") {
      var font = opacity < 1 ? fadedFont(data.options.nodes.font.color) : data.options.nodes.font.color;
      nodeUpdates.push({ id: id, opacity: opacity, font: { color: font } });
    } else {
      var c = visEdge[id].color, edgeFont = data.options.edges.font.color;
      edgeUpdates.push({ id: id, color: { color: c.color, highlight: c.highlight, opacity: opacity },
                         font: { color: opacity < 1 ? fadedFont(edgeFont) : edgeFont } });
    }
  }
  Object.keys(own.nodes).forEach(function (id) { if (!clear[id]) { set("nodes", id, FADED); } });
  Object.keys(own.edges).forEach(function (eid) { if (!(clear[facts[eid].from] && clear[facts[eid].to])) { set("edges", eid, FADED); } });
  Object.keys(clear).forEach(function (id) {
    set("nodes", id, 1);
    outEdges[id].forEach(function (eid) { if (clear[facts[eid].to]) { set("edges", eid, 1); } });
  });
  if (nodeUpdates.length) { nodes.update(nodeUpdates); }
  if (edgeUpdates.length) { edges.update(edgeUpdates); }
}
function fade(set) {
  globalFade(FADED);
  ownOpacity(set);
  faded = true;
}
function unfade() {
  if (!faded) { return; }
  globalFade(1);
  var all = {};  // every item faded of its own is made clear again
  Object.keys(own.nodes).forEach(function (id) { all[id] = true; });
  ownOpacity(all);
  faded = false;
}

// ------------------------------------------------------------------ what the bar says, and its controls
var statusLine = document.getElementById("view-status");
var hopsSelect = document.getElementById("hops");
var contextBox = document.getElementById("context");
function showBar() {
  var text;
  if (view.mode === "overview") {
    text = "Overview: the " + count(nodeView.length) + " most connected of " + plural(data.overview.entities, "entity", "entities") +
      ", and the " + plural(edgeView.length, "fact", "facts") + " between them. Click one to focus on it; \u201cShow all\u201d draws every entity.";
  } else if (view.mode === "focus") {
    var around = Object.keys(focusSet).length - 1;
    text = "Focus: " + labelOf(view.focus) + " and " + plural(around, "node", "nodes") + " within " + plural(view.hops, "hop", "hops");
    var grown = view.expand.filter(function (id) { return focusSet[id]; }).map(labelOf);
    if (grown.length) { text += ", with the neighbours of " + grown.join(", "); }
    text += view.context ? "; the rest of the graph faded." : ". Double-click a node to focus on it, shift-click to add its neighbours.";
  } else {
    text = "All " + plural(nodeView.length, "node", "nodes") + " of the ticked classes. Click one to focus on it." +
      (data.overview.start ? " \u201cOverview\u201d shows the most connected." : "");
  }
  statusLine.textContent = text;
  hopsSelect.value = String(view.hops);
  hopsSelect.disabled = view.mode !== "focus";
  contextBox.checked = view.context;
  contextBox.disabled = view.mode !== "focus";
  document.getElementById("show-overview").hidden = view.mode === "overview" || data.overview.nodes.length >= nEntities;
  document.getElementById("show-all").hidden = view.mode === "all";
  showBackButton();
}
hopsSelect.addEventListener("change", function () { go(assign(view, { hops: Number(hopsSelect.value) })); });
contextBox.addEventListener("change", function () { go(assign(view, { context: contextBox.checked }), true); });
document.getElementById("show-overview").addEventListener("click", function () { go({ mode: "overview", tab: "graph" }); });
document.getElementById("show-all").addEventListener("click", function () { go({ mode: "all", tab: "graph" }); });
document.getElementById("back").addEventListener("click", goBack);
document.getElementById("fit").addEventListener("click", fitView);

function filtersChanged() { show(view, true); remember(true); }

// ------------------------------------------------------------------ focus, expand, visit
function focusOn(id) {
  if (!info[id]) { return false; }
  var keep = view.mode === "focus";
  go({ mode: "focus", focus: id, hops: keep ? view.hops : 1, expand: [], context: keep && view.context, tab: "graph" });
  var opened = panel.hidden;
  showNode(id);
  if (opened) { fitView(); }  // the panel now covers the right of the canvas
  return true;
}
function expandNode(id) {
  if (view.mode !== "focus" || id === view.focus || view.expand.indexOf(id) >= 0 || !focusSet[id]) { return false; }
  go(assign(view, { expand: view.expand.concat([id]) }));
  return true;
}
function leaveFocus() {
  panel.hidden = true;
  if (view.mode === "focus") { go({ mode: startMode(), tab: "graph" }); }
}
/** A node named in the panel: brought to the middle if it is drawn, focused on if it is not. */
function visit(id) {
  if (view.tab === "graph" && drawn(id)) {
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1), animation: { duration: 400, easingFunction: "easeInOutQuad" } });
    showNode(id);
  } else {
    focusOn(id);
  }
}
function nodeActions(id) {
  var bar = el("div", "node-actions");
  if (view.mode !== "focus" || view.focus !== id || view.context) {
    bar.appendChild(button("Focus on it", "focus-node", function () { focusOn(id); }));
  }
  if (view.mode === "focus" && id !== view.focus && focusSet[id] && view.expand.indexOf(id) < 0) {
    bar.appendChild(button("Add its neighbours", "expand-node", function () { expandNode(id); showNode(id); }));
  }
  return bar;
}
network.on("click", function (params) {
  var shift = params.event && params.event.srcEvent && params.event.srcEvent.shiftKey;
  if (params.nodes.length) {
    var id = params.nodes[0];
    if (view.mode !== "focus") { focusOn(id); } else { if (shift) { expandNode(id); } showNode(id); }
  } else if (params.edges.length) {
    showEdge(params.edges[0]);
  } else {
    panel.hidden = true;
  }
});
network.on("doubleClick", function (params) {
  if (params.nodes.length && view.mode === "focus" && params.nodes[0] !== view.focus) { focusOn(params.nodes[0]); }
});
