"""The ``kg`` command line: options, then a call to a plain function; exit codes live here only.

Exit codes: 0 success; 1 a KGError (bad input, nothing built, failed export); 2 usage errors (click).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import DEFAULT_MODEL, export
from .cli_display import _score_table, _summary, _watch_changes, _watch_line
from .errors import KGError

err_console = Console(stderr=True)


def _console() -> Console:
    return Console(soft_wrap=True)


def _fail(exc: KGError) -> None:
    err_console.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False)
    sys.exit(1)


def ontology_option(command):
    """``--ontology DIR``: the ontology folder a command reads (default: kg's own)."""
    return click.option(
        "--ontology", "ontology_dir", default=None, type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="Ontology folder (classes, relations, gazetteer, triggers, style; default: kg's own). "
             "`kg ontology init DIR` writes a copy of kg's own to start from.")(command)


def _checked(ontology_dir: Path | None):
    """The ontology folder, every file read and checked (a bad one fails before anything runs)."""
    from .ontology import load
    from .ontology_check import check

    return check(load(ontology_dir))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main() -> None:
    """Build a knowledge graph from a folder of space-exploration notes, then query and export it."""


# ---------------------------------------------------------------------------------------------- build
def _build_options(command):
    """The options ``kg build`` and ``kg watch`` share."""
    for option in reversed([
        click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path)),
        click.option("--out", "out_dir", default="output", show_default=True, type=click.Path(path_type=Path),
                     help="Folder the exports are written to (replaced only when every exporter succeeded)."),
        click.option("--formats", default=None,
                     help="Comma-separated exporters to run (default: all). See `kg formats`."),
        click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Installed spaCy pipeline to use."),
        click.option("--strict", is_flag=True,
                     help="Fail the build on the first unreadable file instead of skipping it."),
        click.option("--text-fields", default="answer", show_default=True,
                     help="Frontmatter fields that hold the text of articles with an empty body."),
        click.option("--max-file-size", default=20_000_000, show_default=True, type=int,
                     help="Skip files larger than this many bytes."),
        click.option("--max-doc-chars", default=1_000_000, show_default=True, type=int,
                     help="Skip documents whose text is longer than this many characters."),
        click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 256),
                     help="Extraction processes (local executor); each loads the model once."),
        click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help="Run per-document extraction here, or on a Dask distributed cluster."),
        click.option("--scheduler", default=None,
                     help="Dask scheduler address, e.g. tcp://HOST:8786 (with --executor dask)."),
        click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
                     help="Where the extraction cache lives (default: .<out>.cache beside --out)."),
        click.option("--reference-facts", is_flag=True,
                     help="Also add gazetteer knowledge (e.g. Ganymede moonOf Jupiter) between mentioned entities, "
                          "marked as reference data."),
        click.option("--relation-model", default="default", show_default=True,
                     help="Relation model file made by `kg train`; 'default' is the one kg ships with, "
                          "'none' keeps the rules' facts alone."),
        click.option("--min-confidence", default=0.0, show_default=True, type=click.FloatRange(0.0, 1.0),
                     help="Leave out facts whose evidence is all below this confidence."),
        ontology_option,
    ]):
        command = option(command)
    return command


def _options(out_dir, formats, model, strict, text_fields, max_file_size, max_doc_chars, jobs, executor,
             scheduler, cache_dir, reference_facts, relation_model, min_confidence, ontology_dir) -> dict:
    """The keyword arguments of :func:`kg.pipeline.build` for the shared options; bad formats fail here."""
    fmts = [f.strip() for f in formats.split(",") if f.strip()] if formats else None
    for f in fmts or []:
        export.get(f)
    return dict(formats=fmts, model=model, strict=strict,
                text_fields=tuple(x.strip() for x in text_fields.split(",") if x.strip()),
                max_bytes=max_file_size, max_chars=max_doc_chars, jobs=jobs, executor=executor,
                scheduler=scheduler, cache_dir=cache_dir, reference_facts=reference_facts,
                relation_model=relation_model, min_confidence=min_confidence, ontology_dir=ontology_dir)


def _skipped(e) -> None:
    err_console.print(f"[yellow]skipped[/] {escape(str(e.path))}: {escape(e.reason)}", highlight=False, markup=True)


@main.command()
@_build_options
@click.option("--no-cache", is_flag=True, help="Extract every document again instead of reusing unchanged results.")
def build(paths, out_dir, no_cache, **shared):
    """Build the graph of every .md/.markdown/.txt file under PATHS into --out."""
    from .pipeline import build as run_build

    console = _console()
    try:
        options = _options(out_dir, **shared)
        _checked(options["ontology_dir"])
    except KGError as exc:
        _fail(exc)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err_console, transient=True, disable=not err_console.is_terminal)
    with progress:
        task = progress.add_task("extracting", total=None)
        try:
            report = run_build(paths, out_dir, on_error=_skipped, on_document=lambda d: progress.advance(task),
                               cache=not no_cache, **options)
        except KGError as exc:
            progress.stop()
            _fail(exc)
    console.print(_summary(report))


# ---------------------------------------------------------------------------------------------- watch
@main.command()
@_build_options
def watch(paths, out_dir, **shared):
    """Build PATHS into --out, then again whenever a note under PATHS changes (Ctrl-C stops).

    The model and the last build's results stay in memory, so a saved note shows up in the
    output in seconds; each build replaces --out whole, and a failed build keeps the last one.
    """
    from .watch import watch as run_watch

    console = _console()
    try:
        options = _options(out_dir, **shared)
        _checked(options["ontology_dir"])
    except KGError as exc:
        _fail(exc)
    console.print(f"watching {', '.join(str(p) for p in paths)} -> {out_dir} (Ctrl-C stops)", highlight=False,
                  markup=False)
    try:
        for rebuild in run_watch(list(paths), out_dir, on_error=_skipped, **options):
            console.print(_watch_line(rebuild), highlight=False, markup=False)
            for line in _watch_changes(rebuild):
                console.print(line, highlight=False, markup=False)
            rebuild = None  # the last graph is not kept while the next one is built
    except KeyboardInterrupt:
        pass
    except KGError as exc:  # the model cannot be loaded: no build could succeed
        _fail(exc)
    except OSError as exc:  # the watcher itself: a folder it may not read, the inotify watch limit
        _fail(KGError(f"cannot watch {', '.join(str(p) for p in paths)}: {exc}"))


# ---------------------------------------------------------------------------------------------- eval
@main.command(name="eval")
@click.argument("gold", type=click.Path(path_type=Path))
@click.option("--graph", "graph_path", default="output/graph.ttl", show_default=True, type=click.Path(path_type=Path),
              help="The built graph (Turtle) to score.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--details", is_flag=True, help="Also list, per document, what was missed or spurious.")
@ontology_option
def eval_cmd(gold, graph_path, as_json, details, ontology_dir):
    """Score a built graph against a gold file (precision, recall, F1)."""
    from .evaluate import evaluate, load_gold
    from .rdf import load_graph

    try:
        _checked(ontology_dir)
        report = evaluate(load_gold(gold), load_graph(graph_path, ontology_dir))
    except KGError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(report.as_dict(details=details), indent=2, sort_keys=True))
        return
    console = _console()
    console.print(_score_table(report, f"kg eval: {report.documents} gold documents"))
    if report.missing_documents:
        err_console.print(f"[yellow]not in the graph:[/] {', '.join(report.missing_documents)}")
    if details:
        for doc, e in sorted(report.errors.items()):
            lines = [f"  {k}: {v}" for k, v in vars(e).items() if v]
            if lines:
                console.print(f"[bold]{doc}[/]\n" + "\n".join(lines), highlight=False)


# ---------------------------------------------------------------------------------------------- train
@main.command()
@click.argument("gold", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--docs", "docs", multiple=True, required=True, type=click.Path(exists=True, path_type=Path),
              help="A folder or file of the annotated documents (repeat for several).")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Where to write the relation model (a JSON file for --relation-model).")
@click.option("--model", default=DEFAULT_MODEL, show_default=True, help="Installed spaCy pipeline to use.")
@click.option("--cross-validate", "cross", is_flag=True,
              help="Also report leave-one-group-out cross-validation (each gold `group` left out in turn).")
@click.option("--groups", default=None, help="With --cross-validate: only leave out these groups (comma-separated).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--entity-typing", "entity_typing", is_flag=True,
              help="Also learn to type names of the ontology's classes (the gold's names, and a classifier of the "
                   "context of the names nobody listed), kept in the model: for an ontology of your own. kg's own "
                   "model is trained without it, its gazetteer and cues type kg's classes.")
@ontology_option
def train(gold, docs, out, model, cross, groups, as_json, entity_typing, ontology_dir):
    """Learn a relation model from GOLD files (SCHEMA.md format) and the documents they annotate."""
    from .pipeline import Extractor
    from .train import read_examples
    from .train import train as run_train

    if out is None and not cross:
        raise click.UsageError("give --out MODEL to write a model, or --cross-validate to measure one (or both)")
    console = _console()
    try:
        _checked(ontology_dir)
        extractor = Extractor(model, ontology_dir, None)
        examples = read_examples(gold, docs, extractor, entity_typing)
        figures: dict = {}
        if cross:
            from .crossval import cross_validate

            chosen = [g.strip() for g in groups.split(",") if g.strip()] if groups else None
            try:
                cv = cross_validate(examples, extractor, chosen, on_fold=None if as_json else lambda g, r: console.print(
                    f"left out {g}: relations F1 {r.relations.f1:.3f}, typed entities F1 {r.entities.f1:.3f}, "
                    f"launch dates F1 {r.launch_dates.f1:.3f}", highlight=False, markup=False))
            except ValueError as exc:
                raise click.UsageError(str(exc)) from exc
            figures["cross_validation"] = cv.as_dict()
            if not as_json:
                console.print(_score_table(cv.total, f"kg train: left-out groups ({len(cv.folds)}), summed"))
        if out is not None:
            m = run_train(gold, docs, out, spacy_model=model, ontology_dir=ontology_dir, examples=examples)
            figures["model"] = {"path": str(out), "checksum": m.checksum, "threshold": m.threshold,
                                "features": len(m.weights), **m.meta["trained_on"]}
            if not as_json:
                t = m.meta["trained_on"]
                console.print(f"wrote {escape(str(out))}: {t['documents']} documents in {len(t['groups'])} groups, "
                              f"{t['bags']} candidate bags ({t['positive_bags']} facts), {len(m.weights)} features, "
                              f"threshold {m.threshold:g}, checksum {m.checksum[:12]}", highlight=False)
            if entity_typing:
                typer = examples[0].typer
                figures["model"]["entity_typing"] = {"names": len(typer.names), "features": len(typer.weights),
                                                     **typer.info["trained_on"]}
                if not as_json:
                    console.print(f"entity typing: {typer.describe()}", highlight=False, markup=False)
    except KGError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(figures, indent=2, sort_keys=True))


# ---------------------------------------------------------------------------------------------- export
@main.command(name="export")
@click.argument("graph_path", type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", required=True, help="An exporter name (see `kg formats`).")
@click.option("--out", "out", required=True, type=click.Path(path_type=Path),
              help="Output folder; the exporter writes its usual file names into it.")
@ontology_option
def export_cmd(graph_path, fmt, out, ontology_dir):
    """Re-export a built graph (graph.ttl) without re-running the NLP."""
    from .rdf import load_graph

    try:
        exporter = export.get(fmt)
        _checked(ontology_dir)
        G = load_graph(graph_path, ontology_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = exporter.write(G, out)
    except KGError as exc:
        _fail(exc)
    for p in written:
        click.echo(str(p))


@main.command()
def formats():
    """List the registered exporters and the files they write."""
    for name, exp in export.exporters().items():
        click.echo(f"{name:10} {', '.join(exp.outputs):45} {exp.description}")


# ---------------------------------------------------------------------------------------------- query
@main.command()
@click.argument("graph_path", type=click.Path(path_type=Path))
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, path_type=Path), help="Read the query from a file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True)
@ontology_option
def query(graph_path, sparql, query_file, fmt, engine, ontology_dir):
    """Run a SPARQL query on a built graph; common prefixes, and the ontology's, are predeclared."""
    from .query import format_result, run_query

    if bool(sparql) == bool(query_file):
        raise click.UsageError("give either a SPARQL string or -f FILE")
    text = query_file.read_text(encoding="utf-8") if query_file else sparql
    try:
        _checked(ontology_dir)
        result = run_query(graph_path, text, engine=engine, ontology_dir=ontology_dir)
    except KGError as exc:
        _fail(exc)
    click.echo(format_result(result, fmt), nl=False)


# ---------------------------------------------------------------------------------------------- validate
@main.command()
@click.argument("graph_path", type=click.Path(exists=True, path_type=Path))
@ontology_option
def validate(graph_path, ontology_dir):
    """Check a built graph against the SHACL shapes of the ontology (its shapes.ttl, or shapes
    derived from its kg.ttl)."""
    from .validate import format_report
    from .validate import validate as run_validate

    try:
        _checked(ontology_dir)
        report = run_validate(graph_path, ontology_dir)
    except KGError as exc:
        _fail(exc)
    click.echo(format_report(report))
    sys.exit(0 if report.conforms else 1)


# ---------------------------------------------------------------------------------------------- ontology
@main.group(name="ontology")
def ontology_group() -> None:
    """Start and check an ontology folder of your own (for --ontology)."""


@ontology_group.command(name="init")
@click.argument("dest", type=click.Path(path_type=Path))
def ontology_init(dest):
    """Write a copy of kg's own ontology folder to DEST (a new or empty folder), to edit."""
    from .ontology import init

    try:
        written = init(dest)
    except KGError as exc:
        _fail(exc)
    click.echo(f"wrote {len(written)} files to {dest}; edit them, then `kg ontology check {dest}`, "
               f"and build with --ontology {dest}")


@ontology_group.command(name="check")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
def ontology_check(directory):
    """Read and check every file of an ontology folder, as a build does before it starts."""
    try:
        onto = _checked(directory)
    except KGError as exc:
        _fail(exc)
    shapes = "shapes.ttl" if onto.file("shapes.ttl").exists() else "shapes derived from kg.ttl"
    click.echo(f"{directory}: {len(onto.entity_classes)} entity classes, {len(onto.relations)} relations "
               f"({len(onto.literal_relations)} with values), {len(onto.gazetteer)} gazetteer entries; "
               f"validation uses {shapes}")


if __name__ == "__main__":  # pragma: no cover
    main()
