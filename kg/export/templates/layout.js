/* kg graph.html, the page's script, part 2 of 8: positions for the views that draw part of the
 * graph. A focused node's neighbourhood is laid out as a radial tree around it (each hop a ring,
 * each branch a sector as wide as its leaves need, a crowded ring split into staggered rings);
 * the overview starts from a force layout computed at export time. Both then go through
 * separate(): node boxes (shape and label, measured with the canvas font vis-network draws with)
 * that overlap are pushed apart until none does, so no label covers another.
 */
var measurer = document.createElement("canvas").getContext("2d");
var NODE_FONT = data.options.nodes.font.size;
var LABEL_DROP = 3;  // vis-network draws a label this far below the shape
var GAP = 6;         // pixels kept free around every box

function textSize(text, size, bold) {
  measurer.font = (bold ? "bold " : "") + size + "px arial";
  var lines = String(text).split("\n"), width = 0;
  lines.forEach(function (line) { width = Math.max(width, measurer.measureText(line).width); });
  return { w: width, h: lines.length * size };
}
/** The box a node takes around its position: width, height and the offset of its middle below the position. */
function estimatedBox(id) {
  var n = visNode[id], r = n.size || 10, t = textSize(n.label || "", NODE_FONT, true);
  var top = -r, bottom = r + (t.w ? LABEL_DROP + t.h : 0);
  return { w: Math.max(2 * r, t.w) + 2 * GAP, h: bottom - top + 2 * GAP, dy: (top + bottom) / 2 };
}
/** The box vis-network reports for a drawn node, in the same form. */
function drawnBox(id) {
  var b = network.getBoundingBox(id), p = network.getPositions([id])[id];
  return { w: b.right - b.left + 2 * GAP, h: b.bottom - b.top + LABEL_DROP + 2 * GAP,
           dx: (b.left + b.right) / 2 - p.x, dy: (b.top + b.bottom + LABEL_DROP) / 2 - p.y };
}

/** Positions of `ids` around `centre`: rings by distance (along `adjacent`), sectors by subtree. */
function radialLayout(centre, ids, adjacent) {
  var inView = {}, depth = {}, children = {}, rings = [[centre]];
  ids.forEach(function (id) { inView[id] = true; children[id] = []; });
  depth[centre] = 0;
  for (var d = 0; d < rings.length; d++) {
    var next = [];
    rings[d].forEach(function (u) {
      adjacent(u).filter(function (v) { return inView[v] && depth[v] === undefined; })
        .sort(byClassAndLabel).forEach(function (v) { depth[v] = d + 1; children[u].push(v); next.push(v); });
    });
    if (next.length) { rings.push(next); }
  }
  var stray = ids.filter(function (id) { return depth[id] === undefined; }).sort(byClassAndLabel);
  stray.forEach(function (id) { depth[id] = 1; children[centre].push(id); });
  if (stray.length) { rings[1] = (rings[1] || []).concat(stray); }
  var leaves = {};
  (function count(u) {
    leaves[u] = children[u].length ? children[u].reduce(function (s, c) { return s + count(c); }, 0) : 1;
    return leaves[u];
  })(centre);
  var angle = {};
  (function sector(u, from, to) {
    angle[u] = (from + to) / 2;
    var at = from;
    children[u].forEach(function (c) {
      var width = (to - from) * leaves[c] / leaves[u];
      sector(c, at, at + width);
      at += width;
    });
  })(centre, -Math.PI / 2, 1.5 * Math.PI);
  // Neighbours on a ring `step` radians apart stand far enough apart for their boxes when the radius
  // is about a box diagonal / step; a crowded ring is split into staggered rings a box height apart.
  var pos = {}, radius = 0;
  pos[centre] = { x: 0, y: 0 };
  rings.slice(1).forEach(function (ring) {
    var diagonal = 0, h = 0;
    ring.forEach(function (id) { var box = estimatedBox(id); diagonal += Math.sqrt(box.w * box.w + box.h * box.h); h += box.h; });
    diagonal /= ring.length;
    h /= ring.length;
    var split = Math.max(1, Math.ceil(ring.length / 14)), step = 2 * Math.PI / Math.ceil(ring.length / split);
    radius = Math.max(radius + 2 * h, diagonal / step, 120);
    ring.slice().sort(function (p, q) { return angle[p] - angle[q]; }).forEach(function (id, i) {
      var r = radius + (i % split) * h;
      pos[id] = { x: r * Math.cos(angle[id]), y: r * Math.sin(angle[id]) };
    });
    radius += (split - 1) * h;
  });
  return pos;
}
function byClassAndLabel(a, b) {
  var ca = info[a].cls, cb = info[b].cls, la = info[a].label.toLowerCase(), lb = info[b].label.toLowerCase();
  return ca < cb ? -1 : ca > cb ? 1 : la < lb ? -1 : la > lb ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

/** Push apart the boxes (boxOf(id)) of `ids` at `pos` until none overlaps; `fixed` stays put. Changes `pos`. */
function separate(ids, pos, fixed, boxOf) {
  var boxes = ids.map(function (id) { var b = boxOf(id); return { id: id, w: b.w, h: b.h, dx: b.dx || 0, dy: b.dy }; });
  for (var attempt = 0; attempt < 8; attempt++) {
    for (var round = 0; round < 200; round++) {
      if (!pushApart(boxes, pos, fixed)) { return true; }
    }
    ids.forEach(function (id) { pos[id].x *= 1.3; pos[id].y *= 1.3; });  // crowded: spread everything, try again
  }
  return !pushApart(boxes, pos, fixed);
}
function pushApart(boxes, pos, fixed) {
  function cx(b) { return pos[b.id].x + b.dx; }
  boxes.sort(function (a, b) { return (cx(a) - a.w / 2) - (cx(b) - b.w / 2) || (a.id < b.id ? -1 : 1); });
  var moved = false;
  for (var i = 0; i < boxes.length; i++) {
    var a = boxes[i];
    for (var j = i + 1; j < boxes.length && cx(boxes[j]) - boxes[j].w / 2 < cx(a) + a.w / 2; j++) {
      var b = boxes[j], pa = pos[a.id], pb = pos[b.id];
      var ddx = cx(b) - cx(a), ddy = (pb.y + b.dy) - (pa.y + a.dy);
      var ox = (a.w + b.w) / 2 - Math.abs(ddx), oy = (a.h + b.h) / 2 - Math.abs(ddy);
      if (ox <= 0 || oy <= 0) { continue; }
      moved = true;
      var shareA = a.id === fixed ? 0 : b.id === fixed ? 1 : 0.5, shareB = 1 - shareA;
      if (ox < oy) {
        var sx = ddx > 0 || (ddx === 0 && a.id < b.id) ? 1 : -1;
        pa.x -= sx * (ox + 0.5) * shareA;
        pb.x += sx * (ox + 0.5) * shareB;
      } else {
        var sy = ddy > 0 || (ddy === 0 && a.id < b.id) ? 1 : -1;
        pa.y -= sy * (oy + 0.5) * shareA;
        pb.y += sy * (oy + 0.5) * shareB;
      }
    }
  }
  return moved;
}

/** Boxes overlap? (for the label check after drawing: {left, top, width, height} in canvas pixels) */
function overlaps(a, b) {
  return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;
}
/** A uniform grid of boxes, to find the ones near a box without comparing every pair. */
function BoxGrid(cell) {
  var cells = {};
  function keys(b) {
    var out = [];
    for (var x = Math.floor(b.left / cell); x <= Math.floor((b.left + b.width) / cell); x++) {
      for (var y = Math.floor(b.top / cell); y <= Math.floor((b.top + b.height) / cell); y++) { out.push(x + "," + y); }
    }
    return out;
  }
  this.add = function (b) { keys(b).forEach(function (k) { (cells[k] = cells[k] || []).push(b); }); };
  this.hits = function (b) {
    return keys(b).some(function (k) { return (cells[k] || []).some(function (o) { return o !== b && overlaps(o, b); }); });
  };
}
