"""The `kg` command line: each command parses, calls one kg function, prints.

Exit codes: 0 all inputs succeeded; 1 some inputs failed (the rest were
processed); 2 usage or configuration errors (bad path, unreachable server,
wrong password, malformed lexicon, a limit out of range), or the store
failed during `kg ingest` (the articles not written are listed; rerunning
the same command completes them); 130 interrupted by Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import json
import logging
import sys
from contextlib import nullcontext
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kg import config
from kg.errors import ConfigError, KgError
from kg.schema import PREDICATES

app = typer.Typer(
    help="Turn batches of news articles into a knowledge graph of who endorses, funds and attacks whom.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)


class SummaryFormat(str, Enum):
    text = "text"
    json = "json"


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    json = "json"
    table = "table"


Paths = Annotated[list[str], typer.Argument(
    help="Files, directories (recursive), globs, or - for stdin. Formats by extension: .txt .md .html .htm .json "
         ".jsonl .ndjson .csv .tsv .parquet .rss .atom .xml .warc .warc.gz; files of other types in a folder are "
         "counted and skipped (-v names them).", show_default=False)]
Model = Annotated[Optional[str], typer.Option("--model", envvar="KG_SPACY_MODEL", help="Installed spaCy pipeline to use.")]
Without = Annotated[list[str], typer.Option(
    "--without", metavar="RULE", help="Switch an extraction rule off (repeatable); `kg rules` lists them.")]
NoClassifier = Annotated[bool, typer.Option(
    "--no-classifier", help="The hand-written rules alone, without the trained relation classifier.")]
LexiconFile = Annotated[Optional[Path], typer.Option("--lexicon", help="JSON file of extra relation vocabulary, merged over the built-in one.")]
MaxChars = Annotated[Optional[int], typer.Option(
    "--max-chars", show_default=False,
    help=f"Longest article accepted, in characters, 1 to {config.MAX_CHARS_LIMIT:,}; longer ones are reported and "
         f"skipped (env KG_MAX_CHARS; default {config.DEFAULT_MAX_CHARS:,}).")]
BatchSize = Annotated[Optional[int], typer.Option(
    "--batch-size", show_default=False,
    help=f"Articles parsed and written per transaction, 1 to {config.BATCH_SIZE_LIMIT:,} "
         f"(env KG_BATCH_SIZE; default {config.DEFAULT_BATCH_SIZE}).")]
Encoding = Annotated[Optional[str], typer.Option(
    "--encoding", show_default=False,
    help="Decode every text input with this encoding (latin-1, cp1252, utf-16 ...) instead of detecting it; "
         "UTF-8 is tried first and any other encoding detected by default.")]
Columns = Annotated[Optional[list[str]], typer.Option(
    "--column", metavar="FIELD=COLUMN", show_default=False,
    help="Table column (CSV, TSV, Parquet) to read an article field from, e.g. --column text=body; repeatable. "
         "FIELD: text, title, published, url, source, author, id. Without it the usual names are looked for "
         "(text/content/body/article, title/headline, date/published/publish_date, url/link, source/publisher, id).")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="Log kg's and the Neo4j driver's debug messages to stderr (passwords are masked).")]
Workers = Annotated[int, typer.Option("--workers", min=1, help="Processes that parse and extract, started once per run.")]
Dask = Annotated[Optional[str], typer.Option(
    "--dask", envvar="KG_DASK_SCHEDULER", metavar="SCHEDULER", show_default=False,
    help="Parse and extract on a Dask cluster: its scheduler address (tcp://HOST:8786), or local[:N] for N worker "
         "processes on this machine (env KG_DASK_SCHEDULER). Needs pip install \"kg\\[dask]\" here and on every "
         "worker; this machine still resolves and writes. Raise --batch-size on a large cluster.")]
Neo4jUri = Annotated[Optional[str], typer.Option("--neo4j-uri", help="Write to this Neo4j server (env NEO4J_URI); without one, the embedded store.")]
DataDir = Annotated[Optional[str], typer.Option("--data-dir", help="Embedded store directory (env KG_DATA_DIR; default ./kg-data).")]


#: Exit code of a run stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report Ctrl-C).
EXIT_INTERRUPTED = 130


def _say(label: str, message: object) -> None:
    """One line on stderr: a coloured label, then the message as plain text (never wrapped, never markup)."""
    err.print(f"{label} {escape(str(message))}", highlight=False, soft_wrap=True)


def _fail(exc: KgError) -> typer.Exit:
    _say("[red]error:[/red]", exc)
    return typer.Exit(code=2)


def _interrupted(written: int) -> typer.Exit:
    _say("[yellow]interrupted:[/yellow]", f"{written} article(s) written before the run was stopped; "
         "rerun the same command to resume (articles already written are skipped).")
    return typer.Exit(code=EXIT_INTERRUPTED)


def _logging(verbose: bool) -> None:
    """Debug log lines of kg and the Neo4j driver on stderr with -v; otherwise none of the driver's.

    Without -v the driver's own warnings ("Transaction failed and will be
    retried ...") stay quiet: kg reports a failure itself, in one line. The
    driver masks credentials in what it logs.
    """
    driver = logging.getLogger("neo4j")
    if verbose:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        for name in ("kg", "neo4j"):
            logger = logging.getLogger(name)
            logger.setLevel(logging.DEBUG)
            logger.handlers = [handler]
            logger.propagate = False
    elif not driver.handlers:
        driver.addHandler(logging.NullHandler())
        driver.propagate = False


def _store(neo4j_uri: str | None, data_dir: str | None):
    from kg.store import open_store

    _logging(verbose=False)  # keeps a -v given to this command; otherwise quiets the driver
    env = config.environment()
    return open_store(neo4j=config.neo4j_settings(uri=neo4j_uri, env=env), data_dir=config.data_dir(data_dir, env))


def _pipeline(model: str | None, lexicon: Path | None, without: list[str]):
    from kg.nlp import load_pipeline

    return load_pipeline(model), _lexicon(lexicon, without)


def _lexicon(lexicon: Path | None, without: list[str]):
    """The lexicon with the rules named by --without / --no-classifier switched off (an unknown name fails here)."""
    from kg.extraction import build_rules
    from kg.lexicon import load_lexicon

    lex = load_lexicon(lexicon, without=without)
    build_rules(lex.relations["disabled_rules"])
    return lex


def _switched_off(without: list[str] | None, no_classifier: bool) -> list[str]:
    return [*(without or []), *(["classifier"] if no_classifier else [])]


@app.command()
def ingest(
    paths: Paths,
    neo4j_uri: Neo4jUri = None,
    data_dir: DataDir = None,
    model: Model = None,
    lexicon: LexiconFile = None,
    batch_size: BatchSize = None,
    workers: Workers = 1,
    max_chars: MaxChars = None,
    format: Annotated[SummaryFormat, typer.Option("--format", help="Summary as text or JSON.")] = SummaryFormat.text,
    verbose: Verbose = False,
    dask: Dask = None,
    encoding: Encoding = None,
    column: Columns = None,
    without: Without = None,
    no_classifier: NoClassifier = False,
) -> None:
    """Extract entities and relations from articles and write them to the graph.

    Writes to Neo4j when NEO4J_URI is set (environment, .env or --neo4j-uri),
    otherwise to the embedded store in ./kg-data. Articles already in the
    store are skipped without parsing, so rerunning a batch changes nothing,
    and rerunning a run that failed or was interrupted completes it.

    Example: kg ingest examples/articles/
    """
    _logging(verbose)
    written = 0
    try:
        try:
            env = config.environment()
            limit, size = config.max_chars(max_chars, env), config.batch_size(batch_size, env)
            reading = {"max_chars": limit, "encoding": config.encoding(encoding), "columns": config.columns(column)}
        except KgError as exc:
            raise _fail(exc)
        from kg.pipeline import ingest as run
        from kg.sources import read_articles

        try:
            from kg.nlp import require_installed

            switched_off = _switched_off(without, no_classifier)
            if dask and switched_off:
                raise ConfigError('--without and --no-classifier do not reach --dask workers; list the rules under '
                                  '"disabled_rules" in a --lexicon file instead')
            cluster = _dask(dask, workers, model, lexicon)
            if cluster is None:  # else the cluster's workers parse; this process only resolves and writes
                require_installed(model)  # loaded when the first new article comes
            lex = _lexicon(lexicon, switched_off)
            store = _store(neo4j_uri, data_dir)
        except KgError as exc:
            raise _fail(exc)
        with store, _progress(format) as progress, (cluster or nullcontext()):
            try:
                if cluster is not None:
                    cluster.connect()  # a wrong address fails here, before any article is read
                report = run(
                    read_articles(paths, **reading),
                    store=store, nlp=None, model=model, lexicon=lex, batch_size=size, workers=workers, progress=progress,
                    extract=cluster.extract_batch if cluster is not None else None,
                    list_the_rest="-" not in paths,  # a feed on stdin may never end
                )
            except KgError as exc:
                raise _fail(exc)
            written = report.articles_written
    except KeyboardInterrupt:
        # Ctrl-C outside the batch loop (loading the model, connecting, closing).
        raise _interrupted(written)
    for failure in report.failed:
        _say("[yellow]skipped[/yellow]", failure)
    if report.store_error:
        _say("[red]error:[/red]", report.store_error)
    if report.not_written and not report.interrupted:
        _report_not_written(report.not_written)
    if report.rest_unread:
        _say("[red]not read:[/red]", "the rest of the input, as it includes standard input, which may not end; "
             "send it again (articles already written are skipped).")
    if format is SummaryFormat.json:
        out.print_json(json.dumps(report.as_dict()))
    else:
        _print_summary(report)
    if report.interrupted:
        raise _interrupted(report.articles_written)
    if report.store_error:
        raise typer.Exit(code=2)
    raise typer.Exit(code=0 if report.ok else 1)


def _dask(scheduler: str | None, workers: int, model: str | None, lexicon: Path | None):
    """A DaskExtractor for --dask / KG_DASK_SCHEDULER (not connected yet), or None."""
    if not scheduler:
        return None
    if workers > 1:
        raise ConfigError("--dask and --workers are alternatives: with --dask, use local:N for N local processes")
    from kg.dask_backend import DaskExtractor

    return DaskExtractor(scheduler=scheduler, model=model, lexicon_file=lexicon)


#: Articles listed one by one when a run fails; --format json lists them all.
LISTED_NOT_WRITTEN = 20


def _report_not_written(articles) -> None:
    _say("[red]not written:[/red]", f"{len(articles)} article(s); rerun the same command to complete them "
         "(articles already written are skipped):")
    for article in articles[:LISTED_NOT_WRITTEN]:
        _say("  ", f"{article.origin} (id {article.id})")
    if len(articles) > LISTED_NOT_WRITTEN:
        _say("  ", f"... and {len(articles) - LISTED_NOT_WRITTEN} more (--format json lists them all)")


def _print_summary(report) -> None:
    out.print(f"Written to {report.store}", highlight=False)
    table = Table(show_header=False)
    table.add_row("articles read", str(report.articles_read))
    table.add_row("articles written", str(report.articles_written))
    table.add_row("skipped (already ingested)", str(report.skipped_known))
    table.add_row("inputs failed", str(len(report.failed)))
    table.add_row("entities", str(len(report.entities)))
    for predicate in PREDICATES:
        table.add_row(predicate, str(report.relations.get(predicate, 0)))
    out.print(table)
    for line in report.skipped_other.lines():
        out.print(line, highlight=False, markup=False)


class _progress:
    """A progress bar on a terminal, plain lines otherwise, nothing for JSON output."""

    def __init__(self, format: SummaryFormat):
        self.format = format
        self.bar = None

    def __enter__(self):
        if self.format is SummaryFormat.json:
            return None
        if err.is_terminal:
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("reading articles")
        return self.update

    def update(self, report) -> None:
        rate = sum(report.relations.values())
        line = (f"{report.articles_read} articles read, {report.articles_written} written, "
                f"{report.skipped_known} skipped, {rate} relations, {len(report.failed)} failed")
        if self.bar is not None:
            self.bar.update(self.task, description=line)
        else:
            err.print(line, highlight=False, markup=False, soft_wrap=True)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


@app.command()
def extract(
    paths: Paths,
    model: Model = None,
    lexicon: LexiconFile = None,
    format: Annotated[ExtractFormat, typer.Option("--format", help="jsonl: one object per article; json: one array; table: one row per relation.")] = ExtractFormat.jsonl,
    max_chars: MaxChars = None,
    workers: Workers = 1,
    encoding: Encoding = None,
    column: Columns = None,
    verbose: Verbose = False,
    without: Without = None,
    no_classifier: NoClassifier = False,
) -> None:
    """Extract entities and relations and print them; nothing is stored.

    Example: kg extract examples/articles/ --format table
    """
    from kg.pipeline import extract_graphs
    from kg.records import Skipped, SkippedTally, SourceError
    from kg.sources import read_articles

    _logging(verbose)
    try:
        reading = {"max_chars": config.max_chars(max_chars), "encoding": config.encoding(encoding),
                   "columns": config.columns(column)}
        nlp, lex = _pipeline(model, lexicon, _switched_off(without, no_classifier))
    except KgError as exc:
        raise _fail(exc)
    failures: list[SourceError] = []
    skipped = SkippedTally()

    def failed(record: SourceError) -> None:
        failures.append(record)
        _say("[yellow]skipped[/yellow]", record)

    def articles():
        for record in read_articles(paths, **reading):
            if isinstance(record, SourceError):
                failed(record)
            elif isinstance(record, Skipped):
                skipped.add(record)
            else:
                yield record

    graphs = (g.as_dict() for g in extract_graphs(articles(), nlp=nlp, lexicon=lex, workers=workers, on_error=failed))
    if format is ExtractFormat.jsonl:
        for graph in graphs:
            sys.stdout.write(json.dumps(graph, ensure_ascii=False) + "\n")
    elif format is ExtractFormat.json:
        sys.stdout.write(json.dumps(list(graphs), ensure_ascii=False, indent=2) + "\n")
    else:
        from kg.tables import print_rows

        rows = [[graph["id"], r["subject"], r["predicate"], r["object"], r["amount"] or "", r["sentence"]]
                for graph in graphs for r in graph["relations"]]
        print_rows(out, ["article", "subject", "predicate", "object", "amount", "sentence"], rows)
    for line in skipped.lines():
        _say("[yellow]note:[/yellow]", line)
    raise typer.Exit(code=1 if failures else 0)


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL: one {id, text, relations} object per line.", exists=True, dir_okay=False)],
    errors: Annotated[bool, typer.Option("--errors", help="List every false positive, false negative and wrong amount.")] = False,
    model: Model = None,
    lexicon: LexiconFile = None,
    format: Annotated[SummaryFormat, typer.Option("--format", help="Scores as a table or JSON.")] = SummaryFormat.text,
    without: Without = None,
    no_classifier: NoClassifier = False,
) -> None:
    """Score the extractor against a gold file: precision, recall and F1 per predicate.

    Example: kg eval gold.jsonl --errors
    """
    from kg.pipeline import evaluate_gold

    try:
        nlp, lex = _pipeline(model, lexicon, _switched_off(without, no_classifier))
        report = evaluate_gold(gold, nlp=nlp, lexicon=lex)
    except KgError as exc:
        raise _fail(exc)
    if format is SummaryFormat.json:
        data = report.as_dict()
        if not errors:
            data.pop("errors")
        out.print_json(json.dumps(data))
        return
    table = Table("predicate", "precision", "recall", "F1", "tp", "fp", "fn", title=f"{gold}")
    rows = [*report.by_predicate.items(), ("overall", report.overall)]
    for name, s in rows:
        table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.true_positives), str(s.false_positives), str(s.false_negatives))
    out.print(table)
    out.print(f"amount accuracy {report.amount_accuracy:.3f} ({report.amounts_correct}/{report.amounts_checked})")
    if errors:
        for e in report.errors:
            extra = f" (expected {e['expected']})" if "expected" in e else ""
            out.print(f"{e['id']}  {e['kind']}: {e['relation']}{extra}\n    {e['text']}", highlight=False)


@app.command()
def rules(
    lexicon: LexiconFile = None,
    without: Without = None,
    no_classifier: NoClassifier = False,
    format: Annotated[SummaryFormat, typer.Option("--format", help="A table or JSON.")] = SummaryFormat.text,
) -> None:
    """List the extraction rules in reading order: name, version, the rule kinds they write, and whether they are on.

    Example: kg rules --no-classifier
    """
    from kg.extraction import describe_rules

    try:
        listing = describe_rules(_lexicon(lexicon, _switched_off(without, no_classifier)))
    except KgError as exc:
        raise _fail(exc)
    if format is SummaryFormat.json:
        out.print_json(json.dumps(listing))
        return
    table = Table("rule", "version", "writes", "on")
    for rule in listing:
        table.add_row(rule["name"], rule["version"], ", ".join(rule["kinds"]), "yes" if rule["on"] else "no")
    out.print(table)


@app.command()
def init(neo4j_uri: Neo4jUri = None, data_dir: DataDir = None) -> None:
    """Create the constraints and indexes of the graph model (also done before the first write)."""
    try:
        with _store(neo4j_uri, data_dir) as store:
            store.ensure_schema()
            out.print(f"schema ready in {store.description}")
    except KgError as exc:
        raise _fail(exc)


@app.command()
def stats(
    neo4j_uri: Neo4jUri = None,
    data_dir: DataDir = None,
    format: Annotated[SummaryFormat, typer.Option("--format")] = SummaryFormat.text,
) -> None:
    """Count the nodes by label and relationships by type in the store."""
    try:
        with _store(neo4j_uri, data_dir) as store:
            counts, description = store.counts(), store.description
    except KgError as exc:
        raise _fail(exc)
    if format is SummaryFormat.json:
        out.print_json(json.dumps({"store": description, **counts}))
        return
    table = Table("kind", "name", "count", title=description, title_justify="left")
    for kind, values in counts.items():
        for name, n in values.items():
            table.add_row(kind, name, str(n))
    out.print(table)


# Commands that read the graph (query, browse, viz, analyze, export, push).
from kg import cli_graph  # noqa: E402,F401  (registers its commands on `app`)

if __name__ == "__main__":
    app()
