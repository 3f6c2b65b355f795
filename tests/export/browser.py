"""graph.html in a real, offline Chromium: the fixtures ``browser`` and ``visit`` (registered in
tests/export/conftest.py) and :class:`Visit`, a page opened with every outside request, console
error and page error recorded.

They need Debian's chromium and the Python playwright package (no ``playwright install``): in CI
a missing one fails the test, on a laptop it skips with the install command.
"""
from __future__ import annotations

import time
from pathlib import Path

import networkx as nx
import pytest

from kg.export.html import write_html
from kg.graph import entity_nodes
from tests.conftest import require_client, require_executable

CHROMIUM_INSTALL = "apt-get install -y --no-install-recommends chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    exe = require_executable("chromium", CHROMIUM_INSTALL)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - depends on the machine
        require_client(False, "playwright (Python)", "pip install playwright")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Visit:
    """A page opened offline, with every outside request, console error and page error recorded."""

    def __init__(self, browser, path: Path, fragment: str = ""):
        self.context = browser.new_context(offline=True, viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.started = time.perf_counter()
        self.page.goto(path.as_uri() + fragment)
        self.ready(timeout=60)
        self.ready_after = time.perf_counter() - self.started

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "about:")):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort()

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def wait_until(self, expression: str, timeout: float = 10) -> None:
        """Poll ``expression`` from Python until it is true.

        Playwright's ``wait_for_function`` polls with ``eval`` inside the page, which the
        page's Content-Security-Policy rightly forbids; ``evaluate`` is not subject to it.
        """
        deadline = time.monotonic() + timeout
        while not self.page.evaluate(expression):
            if time.monotonic() > deadline:
                raise AssertionError(f"still false after {timeout} s: {expression}")
            time.sleep(0.05)

    def ready(self, timeout: float = 10) -> None:
        """Wait until the view is drawn and still (``window.kgReady``)."""
        self.wait_until("window.kgReady === true", timeout=timeout)

    def drawn(self) -> int:
        return self.js("network.body.nodeIndices.length")

    def drawn_ids(self) -> set[str]:
        return set(self.js("network.body.nodeIndices"))

    def drawn_when_ready(self) -> set[str]:
        """The nodes drawn once the view is drawn and still."""
        self.ready()
        return self.drawn_ids()

    def click_node(self, node: str) -> None:
        """Bring ``node`` to the middle of the canvas and click it with the mouse."""
        self.page.evaluate("id => network.focus(id, {scale: 1.6, animation: false})", node)
        self.page.wait_for_timeout(100)
        x, y = self.page.evaluate(
            "id => { const p = network.canvasToDOM(network.getPosition(id));"
            " const r = document.getElementById('network').getBoundingClientRect();"
            " return [r.left + p.x, r.top + p.y]; }", node)
        self.page.mouse.click(x, y)
        self.wait_until("!document.getElementById('panel').hidden")

    def search(self, text: str) -> list[str]:
        """Type ``text`` into the search box and press Enter (focus on the best match)."""
        self.page.fill("#search", text)
        self.page.press("#search", "Enter")
        self.page.wait_for_timeout(50)
        self.ready()
        return self.js("network.getSelectedNodes()")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser, tmp_path):
    """``visit(G, fragment="")``: write G's graph.html and open it (at ``#fragment``)."""
    opened: list[Visit] = []

    def open_graph(G: nx.MultiDiGraph, fragment: str = "") -> Visit:
        [path] = write_html(G, tmp_path)
        v = Visit(browser, path, fragment)
        opened.append(v)
        return v

    yield open_graph
    for v in opened:
        v.close()


def neighbourhood(G: nx.MultiDiGraph, node: str, hops: int, relations: set[str] | None = None) -> set[str]:
    """``node`` and the entities within ``hops`` facts of it (either direction), as the page's focus draws them."""
    entities = set(entity_nodes(G))
    found, frontier = {node}, {node}
    for _ in range(hops):
        step = set()
        for u in frontier:
            for a, b, attrs in [*G.out_edges(u, data=True), *G.in_edges(u, data=True)]:
                if attrs.get("kind") == "fact" and (relations is None or attrs["relation"] in relations):
                    step.update({a, b} & entities)
        frontier = step - found
        found |= step
    return found
