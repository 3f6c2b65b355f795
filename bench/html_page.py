"""kg's benchmark, the HTML part (bench/run.py --parts html): graph.html of a random graph of 1,000
and 5,000 entities in headless Chromium, timed in the page from each action to the view drawn,
laid out and still (``window.kgReady``).
"""
from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

#: Time, in the page, from a call (the argument names the function) to the view drawn and still.
_TIMED = """([call, arg]) => new Promise(resolve => {
  const t0 = performance.now();
  if (call === "focus") { kg.focus(arg.id); } else { kg.show(arg); }
  (function poll() { if (window.kgReady) { resolve(performance.now() - t0); } else { requestAnimationFrame(poll); } })();
})"""

#: Milliseconds from the start of the page's navigation to its first view drawn and still.
_OPENED = """() => new Promise(resolve => {
  (function poll() { if (window.kgReady) { resolve(performance.now()); } else { requestAnimationFrame(poll); } })();
})"""


def bench_html(node_counts: list[int], work: Path, results: dict) -> None:
    """graph.html in headless Chromium: time to the first view (the overview above 300 entities),
    to a focus on the most connected node and on a node of median degree (1-3 hops), to the focus
    with its context (every other node faded in), and to every node drawn ("Show all")."""
    import networkx as nx

    from kg.export import get
    from kg.graph import build_graph
    from kg.model import Entity, Evidence, Fact

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        results["html"] = "playwright not installed"
        return
    if not shutil.which("chromium"):
        results["html"] = "chromium not installed"
        return
    rows = []
    for n in node_counts:
        g = nx.gnm_random_graph(n, 2 * n, seed=1)
        ents = [Entity(key=f"E{i}", label=f"Entity {i}", cls=("Mission", "Agency", "Planet", "Moon")[i % 4]) for i in g]
        ev = [Evidence(doc_id="d", sentence="s", start=0, end=1, rule="bench", confidence=0.9)]
        facts = [Fact(f"E{u}", "collaboratesWith", f"E{v}", ev) for u, v in g.edges() if u % 4 != 2 and v % 4 != 2]
        G = build_graph([], ents, facts, {})
        by_degree = sorted(G.nodes, key=lambda x: (-G.degree(x), x))
        top, median = by_degree[0], by_degree[len(by_degree) // 2]
        out = work / f"html-{n}"
        out.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        get("html").write(G, out)
        export_s = time.perf_counter() - t0
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto((out / "graph.html").as_uri(), timeout=120_000)
            opened = page.evaluate(_OPENED) / 1000  # from the start of the navigation
            first = page.evaluate("[kg.view().mode, network.body.nodeIndices.length]")

            def timed(call: str, arg: dict) -> float:
                return round(page.evaluate(_TIMED, [call, arg]) / 1000, 3)

            focus = {"top": timed("focus", {"id": top}), "median": timed("focus", {"id": median}),
                     "top_2_hops": timed("show", {"mode": "focus", "focus": top, "hops": 2}),
                     "median_2_hops": timed("show", {"mode": "focus", "focus": median, "hops": 2}),
                     "top_3_hops": timed("show", {"mode": "focus", "focus": top, "hops": 3})}
            focus_drawn = page.evaluate("network.body.nodeIndices.length")  # the 3-hop neighbourhood of the top node
            everything = timed("show", {"mode": "all"})  # from that focus
            drawn_all = page.evaluate("network.body.nodeIndices.length")
            timed("focus", {"id": top})
            context = timed("show", {"mode": "focus", "focus": top, "hops": 1, "context": True})  # from that focus
            browser.close()
        rows.append({"nodes": n, "export_seconds": round(export_s, 2), "open_seconds": round(opened, 2),
                     "first_view": first[0], "first_view_nodes": first[1], "focus_seconds": focus,
                     "degree": {"top": G.degree(top), "median": G.degree(median)}, "top_3_hops_nodes": focus_drawn,
                     "context_seconds": context, "show_all_seconds": everything, "show_all_nodes": drawn_all})
        print(json.dumps(rows[-1]), flush=True)
    results["html"] = rows
