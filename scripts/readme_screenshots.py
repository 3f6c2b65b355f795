"""Take the README's screenshots of graph.html (overview, focus, timeline) in headless Chromium.

    .venv/bin/kg build seeds ../shared/corpus/dev --out /tmp/dev-graph
    .venv/bin/python scripts/readme_screenshots.py /tmp/dev-graph/graph.html docs/img

Each view is opened from its URL fragment, as a bookmark would open it, in a 1400x900 window,
with the side panel closed.
"""
from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

#: file name -> the fragment that opens the view, and whether the side panel stays open. The panel
#: shows evidence sentences, and no sentence of the shared corpora goes into the project.
SHOTS = {
    "overview.png": ("#view=overview", False),
    "focus.png": ("#focus=JUICE", False),
    "timeline.png": ("#view=timeline", False),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("page", type=Path, help="a graph.html written by kg build or kg export")
    ap.add_argument("out", type=Path, help="folder for the PNG files")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"])
        for name, (fragment, panel) in SHOTS.items():
            page = browser.new_context(offline=True, viewport={"width": 1400, "height": 900}).new_page()
            page.goto(args.page.resolve().as_uri() + fragment)
            deadline = time.monotonic() + 60
            while not page.evaluate("window.kgReady === true"):
                if time.monotonic() > deadline:
                    raise SystemExit(f"{args.page}{fragment}: not drawn after 60 s")
                time.sleep(0.05)
            if not panel and page.is_visible("#panel"):
                page.click("#panel-close")
                page.click("#fit")
            page.wait_for_timeout(300)
            page.screenshot(path=str(args.out / name))
            print(args.out / name)
        browser.close()


if __name__ == "__main__":
    main()
