"""`kg` commands that read the graph: query, browse, viz, analyze, export, push.

Each command parses its options, calls one kg function and prints; errors go
through kg.cli._fail (exit 2).
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from kg import config
from kg.cli import DataDir, Neo4jUri, _fail, _store, app, err, out
from kg.errors import ConfigError, KgError


class QueryFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


class ExportFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"
    ftm = "ftm"


Params = Annotated[
    list[str] | None,
    typer.Option("--param", "-p", help="A query parameter as key=value (repeatable); 12, 1.5, true/false are "
                 "typed, anything else is a string; quote a value ('\"01234\"') to keep it a string.",
                 show_default=False),
]
Timeout = Annotated[float | None, typer.Option("--timeout", min=0.001, help="Stop the query after this many seconds.")]


# -- query -----------------------------------------------------------------------


@app.command()
def query(
    query: Annotated[str | None, typer.Argument(
        help="Cypher to run, or the NAME of a library query (kg query --list).", show_default=False)] = None,
    param: Params = None,
    list_queries: Annotated[bool, typer.Option("--list", help="List the library queries and exit.")] = False,
    format: Annotated[QueryFormat, typer.Option("--format", help="table, json (array of objects) or csv.")]
    = QueryFormat.table,
    write: Annotated[bool, typer.Option("--write", help="Allow a query that writes (Neo4j only).")] = False,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Most rows to print; 0 for no limit.")] = 1000,
    timeout: Timeout = None,
    show: Annotated[bool, typer.Option("--show", help="Print the library query's Cypher instead of running it.")]
    = False,
    neo4j_uri: Neo4jUri = None,
    data_dir: DataDir = None,
) -> None:
    """Run Cypher on the graph, read-only unless --write: ad hoc, or a library query by name.

    Runs on Neo4j when NEO4J_URI is set, otherwise on the embedded store.

    Example: kg query endorsements-of --param name="Raymond Castellano"

    Example: kg query "MATCH (e:Person) RETURN e.name ORDER BY e.name" --format csv
    """
    from kg.query import is_query_name, library, load_query, parse_params, run_query

    if list_queries:
        _print_library(library(), format)
        return
    if not query:
        raise _fail(ConfigError("give Cypher or a library query name (kg query --list), e.g. "
                                "kg query endorsements-of --param name=\"Raymond Castellano\""))
    try:
        params = parse_params(param or [])
        if is_query_name(query):
            entry = load_query(query)
            if show:
                sys.stdout.write(entry.text if entry.text.endswith("\n") else entry.text + "\n")
                return
            text, params = entry.text, entry.bind(params)
        else:
            text = query
        with _store(neo4j_uri, data_dir) as store:
            result = run_query(store, text, params, write=write, timeout=timeout, limit=limit or None)
    except KgError as exc:
        raise _fail(exc)
    for note in result.notes:
        err.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    _print_result(result, format)
    if result.capped:
        err.print(f"[yellow]note:[/yellow] showing the first {limit} rows; the query returned more "
                  "(--limit N to change, --limit 0 for all)", highlight=False)


def _print_library(entries, format: QueryFormat) -> None:
    if format is QueryFormat.json:
        data = [{"name": q.name, "description": q.description,
                 "params": [{"name": p.name, "description": p.description,
                             **({"default": p.default} if p.has_default else {})} for p in q.params],
                 "example": q.example} for q in entries]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    width = max(len(q.name) for q in entries)
    for q in entries:
        sys.stdout.write(f"{q.name:<{width}}  {q.description}\n")


def _print_result(result, format: QueryFormat) -> None:
    from kg.query import plain

    if format is QueryFormat.json:
        rows = [{c: plain(v) for c, v in zip(result.columns, row)} for row in result.rows]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif format is QueryFormat.csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow([_csv_cell(v) for v in row])
        sys.stdout.write(buffer.getvalue())
    else:
        from kg.tables import print_rows

        print_rows(out, result.columns, [[_plain_text(v) for v in row] for row in result.rows])
        err.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}", highlight=False)


def _csv_cell(value: Any) -> Any:
    from kg.query import plain

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return value
    return json.dumps(plain(value), ensure_ascii=False)


def _text_cell(value: Any) -> str:
    """A value as Rich markup that shows it as it is."""
    from rich.markup import escape

    return escape(_plain_text(value))


def _plain_text(value: Any) -> str:
    """A value as one line of text: nodes as (name:Label), paths as arrows, lists and maps as JSON."""
    from kg.query import GraphNode, GraphPath, GraphRelationship

    def node_text(n: GraphNode) -> str:
        caption = n.properties.get("name") or n.properties.get("title") or n.id
        label = next((lbl for lbl in n.labels if lbl != "Entity"), "")
        return f"({caption}{':' + label if label else ''})"

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, GraphNode):
        text = node_text(value)
    elif isinstance(value, GraphRelationship):
        text = f"[:{value.type}]"
    elif isinstance(value, GraphPath):
        parts = [node_text(value.nodes[0])] if value.nodes else []
        for rel, node in zip(value.relationships, value.nodes[1:]):
            forward = rel.start != node.id or rel.start == rel.end
            parts.append(f"-[:{rel.type}]->" if forward else f"<-[:{rel.type}]-")
            parts.append(node_text(node))
        text = "".join(parts)
    elif isinstance(value, (list, dict)):
        text = json.dumps(_plain_for_text(value), ensure_ascii=False)
    else:
        text = str(value)
    return text


def _plain_for_text(value: Any) -> Any:
    from kg.query import plain

    return plain(value)


# -- browse ----------------------------------------------------------------------


@app.command()
def browse(
    neo4j_uri: Annotated[str | None, typer.Option(
        "--neo4j-uri", help="Neo4j Bolt address [env NEO4J_URI; default bolt://localhost:7687].")] = None,
    http_port: Annotated[int | None, typer.Option(
        "--http-port", envvar="KG_NEO4J_HTTP_PORT",
        help="Port of Neo4j's HTTP server, which serves the Browser (env KG_NEO4J_HTTP_PORT, as scripts/neo4j reads it; default 7474).")] = None,
    query: Annotated[str | None, typer.Option(
        "--query", help="Put this library query (by name) or Cypher in the Browser's editor.")] = None,
    param: Params = None,
    open_browser: Annotated[bool, typer.Option(
        "--open/--no-open", help="Open the address in a web browser (only on a desktop).")] = True,
    style: Annotated[bool, typer.Option(
        "--style", help="Print only the :style command that loads kg's colours and captions.")] = False,
) -> None:
    """Print (and on a desktop open) the Neo4j Browser address with the connection filled in.

    Log in with the password of NEO4J_PASSWORD; load kg's style by dropping
    cypher/style.grass on the Browser window, or by running the line that
    kg browse --style prints.

    With --query and --param, also prints the :param commands to run in the
    Browser before the query (the Browser forgets parameters on reload).

    Example: kg browse --query entity-network --param name="Victor Halloran"
    """
    from kg.query import (
        browser_param_command,
        browser_url,
        is_query_name,
        load_query,
        parse_params,
        style_command,
        style_path,
    )

    if style:
        sys.stdout.write(style_command() + "\n")
        return
    env = config.environment()
    settings = config.neo4j_settings(uri=neo4j_uri, env=env)
    # Without NEO4J_URI, the server scripts/neo4j runs: its ports come from the environment or .env.
    uri = settings.uri if settings else f"bolt://localhost:{env.get('KG_NEO4J_BOLT_PORT') or 7687}"
    try:
        if http_port is None and env.get("KG_NEO4J_HTTP_PORT"):
            http_port = config.port(env["KG_NEO4J_HTTP_PORT"], "KG_NEO4J_HTTP_PORT")
        editor = None
        params = parse_params(param or [])
        if query and is_query_name(query):
            entry = load_query(query)
            editor, params = entry.text, entry.bind(params)
        elif query:
            editor = query
        url = browser_url(uri, user=settings.user if settings else "neo4j",
                          database=settings.database if settings else "neo4j", http_port=http_port, editor=editor)
    except KgError as exc:
        raise _fail(exc)
    sys.stdout.write(url + "\n")
    if params:
        err.print("Run these :param commands in the Browser first, then the query:", highlight=False)
        for key, value in params.items():
            sys.stdout.write(browser_param_command(key, value) + "\n")
    if settings is None:
        err.print(f"note: NEO4J_URI is not set; assumed {uri} (scripts/neo4j start runs one)", highlight=False)
    err.print(f"Log in as {settings.user if settings else 'neo4j'} with the password in NEO4J_PASSWORD.\n"
              f"Style: drop {style_path()} on the Browser window, or run the line of `kg browse --style`.",
              highlight=False)
    if open_browser and (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                         or sys.platform == "darwin"):
        import webbrowser

        webbrowser.open(url)


# -- serve -----------------------------------------------------------------------


def _desktop() -> bool:
    """A browser can be opened here: a desktop session, and not CI."""
    if os.environ.get("CI"):
        return False
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform == "darwin")


@app.command()
def serve(
    host: Annotated[str, typer.Option(
        "--host", help="Address to listen on. The default serves this machine only; 0.0.0.0 would show "
                       "the graph to the whole network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on (0: any free port).")] = 8765,
    open_browser: Annotated[bool, typer.Option(
        "--open/--no-open", help="Open the explorer in a web browser (only on a desktop, never in CI).")] = True,
    neo4j_uri: Neo4jUri = None,
    data_dir: DataDir = None,
) -> None:
    """Explore the graph in a web browser: search, entity pages, a network to expand and filter.

    Read-only, over either store, with the same parameterised queries as
    kg query. Works offline. Stop it with Ctrl-C.

    Example: kg serve --data-dir kg-data
    """
    from kg.serve import serve as run

    def ready(url: str) -> None:
        err.print(f"kg explorer on {store.description}: {url}  (Ctrl-C stops it)", highlight=False)
        sys.stdout.write(url + "\n")
        sys.stdout.flush()
        if open_browser and _desktop():
            import webbrowser

            webbrowser.open(url)

    try:
        with _store(neo4j_uri, data_dir) as store:
            run(store, host=host, port=port, on_ready=ready)
    except KgError as exc:
        raise _fail(exc)
    except OSError as exc:
        raise _fail(ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}"))


# -- viz -------------------------------------------------------------------------


@app.command()
def viz(
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.", dir_okay=False)],
    query: Annotated[str | None, typer.Option(
        "--query", help="Draw what this library query (by name) or Cypher returns.")] = None,
    param: Params = None,
    entity: Annotated[str | None, typer.Option(
        "--entity", help="Draw the entities around this one (name or alias, any case).")] = None,
    depth: Annotated[int, typer.Option("--depth", min=0, help="With --entity: how many relations away.")] = 1,
    title: Annotated[str | None, typer.Option("--title", help="Page title.")] = None,
    show_all: Annotated[bool, typer.Option(
        "--all", help="Also draw entities without relations (hidden by default: they bury the relations).")] = False,
    timeout: Timeout = None,
    neo4j_uri: Neo4jUri = None,
    data_dir: DataDir = None,
) -> None:
    """Write the graph as one self-contained HTML page (no network needed to view it).

    The whole graph, the entities within --depth relations of --entity, or
    the entities and relations a query returns (nodes, relationships, paths).

    Example: kg viz --entity "Victor Halloran" --depth 2 -o halloran.html
    """
    from kg.export import draw
    from kg.query import parse_params

    try:
        params = parse_params(param or [])
        with _store(neo4j_uri, data_dir) as store:
            report = draw(store, output, query=query, params=params, entity=entity, depth=depth,
                          title=title, timeout=timeout, show_isolated=show_all)
    except KgError as exc:
        raise _fail(exc)
    sys.stdout.write(f"wrote {_count(report['nodes'], 'entity', 'entities')}, "
                     f"{_count(report['pairs'], 'related pair', 'related pairs')} and "
                     f"{_count(report['evidence'], 'piece of evidence', 'pieces of evidence')} to {output}\n")
    if report["hidden"]:
        err.print(f"{_count(report['hidden'], 'entity', 'entities')} without relations not drawn (--all draws them)",
                  highlight=False)


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


# -- analyze ---------------------------------------------------------------------


@app.command()
def analyze(
    format: Annotated[OutputFormat, typer.Option("--format", help="Tables or JSON.")] = OutputFormat.table,
    top: Annotated[int, typer.Option("--top", min=1, help="Rows per ranking.")] = 10,
    neo4j_uri: Neo4jUri = None,
    data_dir: DataDir = None,
) -> None:
    """Network measures: PageRank and degrees per relation type, most endorsed and criticised,
    biggest donors and recipients, reciprocal criticism, communities, bridging entities.

    Example: kg analyze --format json
    """
    from kg.analysis import analyze as run

    try:
        with _store(neo4j_uri, data_dir) as store:
            result = run(store.to_networkx(), top=top)
    except KgError as exc:
        raise _fail(exc)
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    _print_analysis(result, top)


def _print_analysis(result: dict, top: int) -> None:
    summary = result["summary"]
    rels = ", ".join(f"{k} {v}" for k, v in summary["relations"].items())
    out.print(f"{summary['entities']} entities; {rels}", highlight=False)

    def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
        t = Table(*columns, title=title, title_justify="left")
        for row in rows:
            t.add_row(*[_text_cell(v) for v in row])
        if not rows:
            t.add_row(*(["(none)"] + [""] * (len(columns) - 1)))
        out.print(t)

    for predicate, rows in result["networks"].items():
        columns = ["entity", "pagerank", "in", "out"] + (["given", "received"] if predicate == "DONATED_TO" else [])
        table(f"{predicate} network (top {top} by PageRank)", columns,
              [[r["name"], f"{r['pagerank']:.4f}", r["in_degree"], r["out_degree"],
                *([_amount(r["amount_given"]), _amount(r["amount_received"])] if predicate == "DONATED_TO" else [])]
               for r in rows[:top]])
    table("Most endorsed", ["entity", "endorsements", "endorsers"],
          [[r["name"], r["endorsements"], r["endorsers"]] for r in result["most_endorsed"]])
    table("Most criticised", ["entity", "criticisms", "critics"],
          [[r["name"], r["criticisms"], r["critics"]] for r in result["most_criticized"]])
    table("Biggest donors", ["entity", "total", "donations", "recipients"],
          [[r["name"], _amount(r["total"]), r["donations"], r["recipients"]] for r in result["biggest_donors"]])
    table("Biggest recipients", ["entity", "total", "donations", "donors"],
          [[r["name"], _amount(r["total"]), r["donations"], r["donors"]] for r in result["biggest_recipients"]])
    table("Reciprocal criticism", ["entity", "entity", "a→b", "b→a"],
          [[r["a"]["name"], r["b"]["name"], r["a_criticized_b"], r["b_criticized_a"]]
           for r in result["reciprocal_criticism"]])
    table("Communities (Louvain)", ["#", "size", "members"],
          [[c["community"], c["size"], ", ".join(m["name"] for m in c["members"])] for c in result["communities"]])
    table("Bridging entities (betweenness)", ["entity", "betweenness"],
          [[r["name"], f"{r['betweenness']:.4f}"] for r in result["bridges"]])


def _amount(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


# -- export ----------------------------------------------------------------------


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write (a directory for csv).")],
    format: Annotated[ExportFormat | None, typer.Option(
        "--format", help="graphml, gexf, json (node-link), csv (neo4j-admin import files) or ftm "
        "(FollowTheMoney entities, one JSON object a line, for ftm tools and Aleph) "
        "[default: from the file name's suffix; .ftm.json is ftm].")] = None,
    neo4j_uri: Neo4jUri = None,
    data_dir: DataDir = None,
) -> None:
    """Export the whole graph (entities, articles, relations, mentions) for Gephi, networkx, neo4j-admin or Aleph.

    Example: kg export --format graphml -o graph.graphml

    Example: kg export --format csv -o import/   (then see import/import.txt)
    """
    from kg.export import export_graph

    chosen = format.value if format else "ftm" if output.name.lower().endswith(".ftm.json") else {
        ".graphml": "graphml", ".gexf": "gexf", ".json": "json"}.get(output.suffix.lower(), "csv" if output.suffix == "" else None)
    if chosen is None:
        raise _fail(ConfigError(f"cannot tell the format from {output.name!r}: pass --format graphml|gexf|json|csv"))
    try:
        with _store(neo4j_uri, data_dir) as store:
            graph = store.to_networkx(include_articles=True)
        if chosen == "ftm":
            from kg.ftm import write_ftm

            written = write_ftm(graph, output)
            sys.stdout.write(f"wrote {written} FollowTheMoney entities to {output}\n")
            return
        report = export_graph(graph, output, chosen)
    except KgError as exc:
        raise _fail(exc)
    sys.stdout.write(f"wrote {report.nodes} nodes and {report.edges} relationships as {chosen} to {output}\n")


# -- push ------------------------------------------------------------------------


@app.command()
def push(
    neo4j_uri: Annotated[str | None, typer.Option(
        "--neo4j-uri", help="The Neo4j server to load [env NEO4J_URI].")] = None,
    data_dir: DataDir = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=10_000,
                                            help="Articles per write transaction.")] = config.DEFAULT_BATCH_SIZE,
    format: Annotated[OutputFormat, typer.Option("--format", help="Summary as a table or JSON.")]
    = OutputFormat.table,
) -> None:
    """Copy the embedded store into Neo4j with the same writer as kg ingest; pushing again changes nothing.

    Example: NEO4J_URI=bolt://localhost:7687 kg push --data-dir kg-data
    """
    from kg.push import push as run
    from kg.store import open_store
    from kg.store.embedded import DB_FILE, EmbeddedStore

    env = config.environment()
    settings = config.neo4j_settings(uri=neo4j_uri, env=env)
    source_dir = config.data_dir(data_dir, env)
    try:
        if settings is None:
            raise ConfigError("kg push needs a Neo4j server: set NEO4J_URI (and NEO4J_PASSWORD) or pass --neo4j-uri")
        if not (source_dir / DB_FILE).is_file():
            raise ConfigError(f"no embedded store at {source_dir} (no {DB_FILE}); pass --data-dir")
        with EmbeddedStore(source_dir) as source, open_store(neo4j=settings) as target:
            report = run(source, target, batch_size=batch_size)
            counts = target.counts()
    except KgError as exc:
        raise _fail(exc)
    if format is OutputFormat.json:
        sys.stdout.write(json.dumps({**report.as_dict(), "target_counts": counts}, indent=2) + "\n")
        return
    sys.stdout.write(f"pushed {report.source} to {report.target}\n")
    table = Table(show_header=False)
    table.add_row("articles", str(report.articles))
    table.add_row("entities", str(report.entities))
    for predicate, n in sorted(report.relations_by_type.items()):
        table.add_row(predicate, str(n))
    table.add_row("batches", str(report.batches))
    out.print(table)
