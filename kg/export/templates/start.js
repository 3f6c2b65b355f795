/* kg graph.html, the page's script, part 8 of 8: the first view (the one the URL fragment names,
 * else the overview of a large graph or the whole of a small one) and the API for tests.
 */
(function () {
  var first = decodeView(location.hash) || { mode: startMode(), tab: "graph" };
  try { history.replaceState({ kg: 0 }, "", location.href); } catch (e) { /* see remember() */ }
  show(first, true);
  if (first.mode === "focus") {
    showNode(first.focus);
    fitView();  // the panel now covers the right of the canvas
  }
})();

window.kg = {
  find: find, matches: matches, focus: focusOn, expand: expandNode, leaveFocus: leaveFocus, show: go,
  showNode: showNode, showEdge: showEdge, view: function () { return JSON.parse(JSON.stringify(view)); },
  members: function () { return nodeView.getIds(); }, fragment: function () { return encodeView(view); },
  mutedLabels: function () { return muted.slice(); },
  classVisible: classVisible, relationVisible: relationVisible
};
