"""What the ``kg`` commands print: the build summary, a watch's line per build and what it
changed, and the table of scores (``kg eval``, ``kg train --cross-validate``)."""
from __future__ import annotations

from rich.markup import escape
from rich.table import Table


#: At most this many gained or lost entities and facts are listed after a build.
WATCH_CHANGES_SHOWN = 8


def _watch_changes(rebuild) -> list[str]:
    """What the build added to and removed from the graph, a line each (the first few of each kind)."""
    lines = []
    for sign, items in (("+", rebuild.added_entities), ("-", rebuild.removed_entities)):
        lines += [f"  {sign} entity {e}" for e in items[:WATCH_CHANGES_SHOWN]]
        if len(items) > WATCH_CHANGES_SHOWN:
            lines.append(f"  {sign} ... and {len(items) - WATCH_CHANGES_SHOWN} more entities")
    for sign, facts in (("+", rebuild.added_facts), ("-", rebuild.removed_facts)):
        lines += [f"  {sign} {s} {rel} {o}" for s, rel, o in facts[:WATCH_CHANGES_SHOWN]]
        if len(facts) > WATCH_CHANGES_SHOWN:
            lines.append(f"  {sign} ... and {len(facts) - WATCH_CHANGES_SHOWN} more facts")
    return lines


def _watch_line(rebuild) -> str:
    """One line per build: what changed, and what came of it."""
    what = ("first build" if not rebuild.changed else
            f"{rebuild.changed[0].name}" + (f" and {len(rebuild.changed) - 1} more" if len(rebuild.changed) > 1 else ""))
    if rebuild.error is not None:
        return f"{what}: failed, the last output stays: {rebuild.error}"
    r = rebuild.report
    extracted = r.work["extracted"]
    return (f"{what}: built in {r.seconds:.2f} s: {r.documents} notes ({extracted} extracted), "
            f"{sum(r.entities.values())} entities, {sum(r.facts.values())} facts")


def _summary(report) -> Table:
    t = Table(title="kg build", show_header=True, header_style="bold")
    t.add_column("what")
    t.add_column("count", justify="right")
    t.add_row("documents read", str(report.documents))
    if report.work["cached"]:
        t.add_row("  unchanged, from the cache", str(report.work["cached"]))
    t.add_row("documents skipped", str(len(report.skipped)))
    for cls, n in sorted(report.entities.items()):
        t.add_row(f"entities: {cls}", str(n))
    for rel, n in sorted(report.facts.items()):
        t.add_row(f"facts: {rel}", str(n))
    t.add_row("relations decided by", escape(report.relation_model))
    t.add_row("outputs", str(len(report.outputs)))
    if report.work["reused"]:
        share = report.work["reused"] / (report.work["reused"] + report.work["made"])
        t.add_row("  text reused from the last build", f"{share:.0%}")
    t.add_row("time", f"{report.seconds:.1f} s")
    return t


def _score_table(report, title: str) -> Table:
    t = Table(title=title, header_style="bold")
    for col in ("metric", "P", "R", "F1", "tp", "fp", "fn"):
        t.add_column(col, justify="right" if col != "metric" else "left")
    rows = [("typed entities", report.entities), ("relations", report.relations), ("launch dates", report.launch_dates)]
    rows += [(f"  {rel}", s) for rel, s in sorted(report.per_relation.items())]
    for name, s in rows:
        t.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn))
    return t
