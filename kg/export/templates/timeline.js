/* kg graph.html, the page's script, part 5 of 8: the launch timeline tab. Every mission with a
 * stated launch date, one row per date in date order (kg.export._html_views computes them), with
 * a marker on a time axis coloured by the mission's operator. A date stated to the month only
 * sits at the start of its month with a hollow marker and says so. Clicking a row focuses the
 * graph on the mission and opens its panel, launch-date evidence included.
 */
var timelineBox = document.getElementById("timeline");
var tabButtons = { graph: document.getElementById("tab-graph"), timeline: document.getElementById("tab-timeline") };
var timelineDrawn = false;
var EPOCH_ORDINAL = 719163;  // the proleptic Gregorian ordinal of 1970-01-01, as Python's date.toordinal()

function showTab(tab) {
  var onTimeline = tab === "timeline";
  if (onTimeline && !timelineDrawn) { drawTimeline(); timelineDrawn = true; }
  timelineBox.hidden = !onTimeline;
  Object.keys(tabButtons).forEach(function (t) { tabButtons[t].setAttribute("aria-selected", String(t === tab)); });
  if (onTimeline) { panel.hidden = true; }
}
Object.keys(tabButtons).forEach(function (t) {
  tabButtons[t].addEventListener("click", function () { if (view.tab !== t) { go(assign(view, { tab: t })); } });
});

function yearOrdinal(year) { return Math.round(Date.UTC(year, 0, 1) / 86400000) + EPOCH_ORDINAL; }
function dateText(row) {
  var text = row.date;
  if (row.precision === "month") { text += " \u00b7 month only"; }
  if (row.precision === "year") { text += " \u00b7 year only"; }
  if (row.at === null) { text += " \u00b7 not a date"; }
  return text;
}
function timelineLegend(t) {
  var ul = el("ul", "tl-legend");
  function entry(color, text, hollow) {
    var li = el("li");
    var mark = el("span", "tl-mark" + (hollow ? " month" : ""));
    mark.style.borderColor = color;
    if (!hollow) { mark.style.backgroundColor = color; }
    li.appendChild(mark);
    li.appendChild(el("span", null, text));
    ul.appendChild(li);
  }
  var others = 0;
  t.operators.forEach(function (op, i) {
    if (i < t.palette) { entry(op.color, labelOf(op.id) + " (" + count(op.missions) + ")"); } else { others += op.missions; }
  });
  if (others) { entry(t.other, "other operators (" + count(others) + ")"); }
  if (t.rows.some(function (r) { return !r.operators.length; })) { entry(t.none, "no operator stated"); }
  entry("#555555", "launch month only, placed at the month's start", true);
  return ul;
}
function drawTimeline() {
  var t = data.timeline, rows = t.rows;
  timelineBox.textContent = "";
  var head = el("div", "tl-head");
  head.appendChild(el("h2", null, "Launch timeline"));
  var missions = {};
  rows.forEach(function (r) { missions[r.id] = true; });
  head.appendChild(el("p", "tl-summary", plural(Object.keys(missions).length, "mission", "missions") +
    " with a stated launch date, coloured by operator. Click one to see it in the graph with its evidence."));
  head.appendChild(timelineLegend(t));
  timelineBox.appendChild(head);
  if (!rows.length) {
    timelineBox.appendChild(el("p", "empty", "No mission in this graph has a stated launch date."));
    return;
  }
  var placed = rows.filter(function (r) { return r.at !== null; });
  var first = placed.length ? new Date((placed[0].at - EPOCH_ORDINAL) * 86400000).getUTCFullYear() : 2000;
  var last = placed.length ? new Date((placed[placed.length - 1].at - EPOCH_ORDINAL) * 86400000).getUTCFullYear() + 1 : 2001;
  var step = [1, 2, 5, 10, 20, 25, 50, 100].filter(function (s) { return (last - first) / s <= 12; })[0] || 100;
  first = Math.floor(first / step) * step;
  last = Math.ceil(last / step) * step;
  var lo = yearOrdinal(first), span = Math.max(1, yearOrdinal(last) - lo);
  function percent(at) { return (100 * (at - lo) / span).toFixed(3) + "%"; }

  var axis = el("div", "tl-row tl-axis");
  axis.appendChild(el("span", "tl-date", "date"));
  axis.appendChild(el("span", "tl-name", "mission"));
  var ticks = el("span", "tl-track");
  for (var year = first; year <= last; year += step) {
    var tick = el("span", "tl-tick", year);
    tick.style.left = percent(yearOrdinal(year));
    ticks.appendChild(tick);
  }
  axis.appendChild(ticks);
  axis.appendChild(el("span", "tl-ops", "operated by"));
  timelineBox.appendChild(axis);

  var list = el("ol", "tl-rows");
  rows.forEach(function (r) {
    var li = el("li");
    li.dataset.id = r.id;
    li.dataset.date = r.date;
    li.dataset.also = r.also.join(",");
    var row = button(null, "tl-row", function () { focusOn(r.id); });
    row.appendChild(el("span", "tl-date", dateText(r)));
    row.appendChild(el("span", "tl-name", labelOf(r.id)));
    var track = el("span", "tl-track");
    if (r.at !== null) {
      var mark = el("span", "tl-mark" + (r.precision === "day" ? "" : " month"));
      mark.style.left = percent(r.at);
      mark.style.borderColor = r.color;
      if (r.precision === "day") { mark.style.backgroundColor = r.color; }
      track.appendChild(mark);
    }
    row.appendChild(track);
    var ops = r.operators.map(labelOf).join(", ");
    if (r.also.length) { ops += (ops ? "; " : "") + "also stated as " + r.also.join(", "); }
    row.appendChild(el("span", "tl-ops", ops));
    li.appendChild(row);
    list.appendChild(li);
  });
  timelineBox.appendChild(list);
}
