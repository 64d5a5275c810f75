"""Run Cypher on either store: ad hoc or from the query library, read-only by default.

``run_query(store, text, params)`` runs one query and returns a
:class:`QueryResult` (column names, rows, whether the rows were capped). On
Neo4j the query runs in a session of READ access mode, so the server itself
refuses writes; on the embedded store it runs on
:mod:`kg.embedded_cypher`, over the same graph model (labels ``Entity`` plus
``Person``/``Organization``/``Group``/``Place``, ``Article``; relationships
``ENDORSES``/``DONATED_TO``/``CRITICIZED``/``MENTIONS``; the same properties).
Before either, :func:`writing_clauses` looks for writing clauses with the
Cypher tokenizer (string literals, comments, property keys, labels and map
keys do not count), and a writing query is refused unless ``write=True``.

Values come back store-independent: scalars, lists and maps as Python values,
nodes as :class:`GraphNode`, relationships as :class:`GraphRelationship`
(ends named by the nodes' ``id`` property), paths as :class:`GraphPath`;
:func:`plain` turns any of them into JSON-ready data.

The library is ``kg/cypher/queries/*.cypher`` (``cypher/queries`` in the
repo). Each file starts with a comment header::

    // One line saying what the query answers.
    //
    // param name: what the parameter is
    // param top (default 5): a parameter with a default
    // example: kg query NAME --param name="Raymond Castellano"
"""

from __future__ import annotations

import json
import logging
import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kg import embedded_cypher as ec
from kg.errors import QueryError

#: Rows returned when no limit is given at the CLI.
DEFAULT_LIMIT = 1000

#: Words that start a writing clause or command.
_WRITE_WORDS = {
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "FOREACH", "INSERT",
    "DROP", "ALTER", "RENAME", "GRANT", "DENY", "REVOKE", "TERMINATE",
}
#: Procedures known to only read (more are allowed on Neo4j when the server
#: reports their mode as READ).
READ_PROCEDURES = {
    "db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization",
    "db.schema.nodetypeproperties", "db.schema.reltypeproperties", "db.info", "db.ping",
    "dbms.components", "db.awaitindexes",
}


# ---------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphNode:
    """A node: its ``id`` property (the kg id), its labels (sorted), its properties."""

    id: Any
    labels: tuple[str, ...]
    properties: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class GraphRelationship:
    """A relationship; ``start`` and ``end`` are the ``id`` properties of its nodes."""

    type: str
    start: Any
    end: Any
    properties: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class GraphPath:
    nodes: tuple[GraphNode, ...]
    relationships: tuple[GraphRelationship, ...]


def plain(value: Any) -> Any:
    """JSON-ready data: nodes, relationships and paths become dicts; NaN and
    infinities become strings (JSON has no literal for them)."""
    if isinstance(value, GraphNode):
        return {"id": value.id, "labels": list(value.labels),
                "properties": {k: plain(v) for k, v in sorted(value.properties.items())}}
    if isinstance(value, GraphRelationship):
        return {"type": value.type, "start": value.start, "end": value.end,
                "properties": {k: plain(v) for k, v in sorted(value.properties.items())}}
    if isinstance(value, GraphPath):
        return {"nodes": [plain(n) for n in value.nodes],
                "relationships": [plain(r) for r in value.relationships]}
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


@dataclass
class QueryResult:
    """Column names, rows (lists of values, in column order), and whether
    ``limit`` cut the rows short."""

    columns: list[str]
    rows: list[list[Any]]
    capped: bool = False
    #: Server notifications and warnings worth showing (stderr at the CLI).
    notes: list[str] = field(default_factory=list)

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row)) for row in self.rows]

    def graph_values(self) -> tuple[list[GraphNode], list[GraphRelationship]]:
        """Every node and relationship in the rows (inside paths and lists too)."""
        nodes: list[GraphNode] = []
        rels: list[GraphRelationship] = []

        def visit(value: Any) -> None:
            if isinstance(value, GraphNode):
                nodes.append(value)
            elif isinstance(value, GraphRelationship):
                rels.append(value)
            elif isinstance(value, GraphPath):
                nodes.extend(value.nodes)
                rels.extend(value.relationships)
            elif isinstance(value, (list, tuple)):
                for v in value:
                    visit(v)
            elif isinstance(value, dict):
                for v in value.values():
                    visit(v)

        for row in self.rows:
            for value in row:
                visit(value)
        return nodes, rels


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?")
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def typed_value(text: str) -> Any:
    """``12`` -> 12, ``1.5`` -> 1.5, ``true``/``false`` -> bools, a JSON list
    (``["a", "b"]``) -> a list, anything else the string itself; quotes
    ('01234' or "true") keep a value a string."""
    if text.startswith("[") and text.endswith("]"):
        try:
            return json.loads(text)
        except ValueError:
            pass
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return text


def parse_params(pairs: Iterable[str]) -> dict[str, Any]:
    """``["name=Ada", "top=5"]`` -> ``{"name": "Ada", "top": 5}``."""
    params: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not _PARAM_NAME.fullmatch(key):
            raise QueryError(f"--param {pair!r}: expected key=value, e.g. --param name=\"Raymond Castellano\"")
        params[key] = typed_value(value)
    return params


def referenced_params(text: str) -> list[str]:
    """The $parameters a query uses, in order of first use."""
    return list(dict.fromkeys(t.value for t in _tokens(text) if t.kind == "param"))


# ---------------------------------------------------------------------------
# Read-only check
# ---------------------------------------------------------------------------


def _tokens(text: str) -> list[ec.Token]:
    try:
        return ec.tokenize(text)
    except ec.CypherSyntaxError as exc:
        raise QueryError(f"cannot read the query: {exc}") from None


def writing_clauses(text: str) -> list[str]:
    """The writing clauses a query contains (``["CREATE", "SET"]``), found with
    the Cypher tokenizer: words inside strings and comments, property keys
    (``n.set``), labels and types (``:Delete``), map keys (``{create: 1}``) and
    backticked names do not count. LOAD CSV counts, and so does CALL of a
    procedure not known to only read (see :func:`called_procedures`)."""
    tokens = _tokens(text)
    found: list[str] = []
    for i, t in enumerate(tokens):
        if t.kind != "name":
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 1]
        if before is not None and before.kind == "op" and before.text in (".", ":", "$"):
            continue  # property key, label or type, namespaced name
        if after.kind == "op" and after.text == ":" and before is not None and before.text in ("{", ","):
            continue  # map key
        word = t.text.upper()
        if word in _WRITE_WORDS:
            found.append(word)
        elif word == "LOAD" and after.is_word("CSV"):
            found.append("LOAD CSV")
        elif word in ("START", "STOP") and after.is_word("DATABASE"):
            found.append(f"{word} DATABASE")
    for name in called_procedures(text):
        if name.lower() not in READ_PROCEDURES:
            found.append(f"CALL {name}")
    return list(dict.fromkeys(found))


def called_procedures(text: str) -> list[str]:
    """Names of the procedures a query CALLs (``CALL db.labels()``); CALL { }
    subqueries are not procedures (their clauses are checked themselves)."""
    tokens = _tokens(text)
    names = []
    for i, t in enumerate(tokens):
        if not t.is_word("CALL") or (i and tokens[i - 1].kind == "op" and tokens[i - 1].text == "."):
            continue
        j = i + 1
        if tokens[j].kind == "op" and tokens[j].text in ("{", "("):
            continue
        parts = []
        while tokens[j].kind in ("name", "quoted"):
            parts.append(tokens[j].value)
            if tokens[j + 1].kind == "op" and tokens[j + 1].text == ".":
                j += 2
            else:
                break
        if parts:
            names.append(".".join(parts))
    return names


# ---------------------------------------------------------------------------
# The library
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    default: Any = None
    has_default: bool = False


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    description: str
    params: tuple[QueryParam, ...]
    example: str
    text: str

    def bind(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The parameters to send: the given ones over the defaults; unknown or
        missing ones raise QueryError naming the example."""
        known = {p.name for p in self.params}
        unknown = sorted(set(given) - known)
        if unknown:
            expected = ", ".join(sorted(known)) or "none"
            raise QueryError(
                f"query {self.name!r} has no parameter {', '.join(unknown)} (its parameters: {expected})")
        values = {p.name: p.default for p in self.params if p.has_default}
        values.update(given)
        missing = [p.name for p in self.params if p.name not in values]
        if missing:
            raise QueryError(
                f"query {self.name!r} needs --param {' --param '.join(m + '=...' for m in missing)}"
                + (f"; for example: {self.example}" if self.example else ""))
        return values


_HEADER_PARAM = re.compile(r"param\s+([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(default\s+(.*?)\))?\s*:\s*(.*)", re.IGNORECASE)


def parse_library_file(name: str, text: str) -> LibraryQuery:
    """Read the comment header of a library query file."""
    description: list[str] = []
    params: list[QueryParam] = []
    example = ""
    in_description = True
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("//"):
            break
        body = stripped[2:].strip()
        match = _HEADER_PARAM.fullmatch(body)
        if match:
            in_description = False
            default_text = match.group(2)
            params.append(QueryParam(
                match.group(1), match.group(3).strip(),
                typed_value(default_text) if default_text is not None else None,
                default_text is not None))
        elif body.lower().startswith("example:"):
            in_description = False
            example = body.split(":", 1)[1].strip()
        elif not body:
            in_description = False if description else in_description
        elif in_description:
            description.append(body)
    return LibraryQuery(name, " ".join(description), tuple(params), example, text)


def _library_dir():
    return resources.files("kg") / "cypher" / "queries"


def library() -> list[LibraryQuery]:
    """Every query of the library, sorted by name."""
    entries = sorted((e for e in _library_dir().iterdir() if e.name.endswith(".cypher")), key=lambda e: e.name)
    return [parse_library_file(e.name[: -len(".cypher")], e.read_text("utf-8")) for e in entries]


def load_query(name: str) -> LibraryQuery:
    """The library query ``name`` (``cypher/queries/<name>.cypher``), or a
    ``.cypher`` file given by path."""
    if name.endswith(".cypher") and Path(name).is_file():
        path = Path(name)
        return parse_library_file(path.stem, path.read_text("utf-8"))
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name):
        raise QueryError(f"no library query named {name!r}")
    entry = _library_dir() / f"{name}.cypher"
    if not entry.is_file():
        names = ", ".join(q.name for q in library())
        raise QueryError(f"no library query named {name!r}; the library has: {names} (kg query --list)")
    return parse_library_file(name, entry.read_text("utf-8"))


def is_query_name(text: str) -> bool:
    """True for what looks like a library name rather than Cypher."""
    return bool(re.fullmatch(r"[A-Za-z0-9_-]+", text.strip())) or (
        text.endswith(".cypher") and Path(text).is_file())


# ---------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------


def run_query(
    store: Any,
    text: str,
    params: Mapping[str, Any] | None = None,
    *,
    write: bool = False,
    timeout: float | None = None,
    limit: int | None = None,
) -> QueryResult:
    """Run one Cypher query on a store and return at most ``limit`` rows.

    Read-only unless ``write``: a query with writing clauses is refused
    (QueryError) before it is sent, and on Neo4j a read query also runs in a
    READ access-mode session. ``params`` travel as Cypher parameters.
    ``timeout`` (seconds) bounds the query: Neo4j's transaction timeout, or a
    wall-clock bound on the embedded store. Raises QueryError for refused,
    failed or timed-out queries, StoreError for store failures.
    """
    params = dict(params or {})
    if not text.strip():
        raise QueryError("the query is empty")
    if limit is not None and limit < 0:
        raise QueryError("the row limit must be 0 or more")
    if timeout is not None and timeout <= 0:
        raise QueryError("the timeout must be more than 0 seconds")
    writes = writing_clauses(text)
    missing = [p for p in referenced_params(text) if p not in params]
    if missing:
        raise QueryError(
            "missing parameter(s) " + ", ".join(f"${m}" for m in missing)
            + ": pass " + " ".join(f"--param {m}=VALUE" for m in missing))
    from kg.store.embedded import EmbeddedStore

    if isinstance(store, EmbeddedStore):
        if writes and write:
            raise QueryError(
                f"the {store.description} cannot run writing Cypher ({', '.join(writes)}); kg ingest writes it. "
                "Run writing queries on Neo4j (set NEO4J_URI or pass --neo4j-uri)")
        if writes:
            raise _refused(writes)
        return _run_embedded(store, text, params, timeout=timeout, limit=limit)
    readonly_procs = []
    if writes and not write:
        procedures = [w[5:] for w in writes if w.startswith("CALL ")]
        others = [w for w in writes if not w.startswith("CALL ")]
        if others:
            raise _refused(writes)
        readonly_procs = _read_mode_procedures(store, procedures)
        if set(procedures) - set(readonly_procs):
            raise _refused([f"CALL {p}" for p in procedures if p not in readonly_procs])
    return _run_neo4j(store, text, params, write=write, timeout=timeout, limit=limit)


def _refused(writes: Sequence[str]) -> QueryError:
    return QueryError(
        f"refused: the query writes ({', '.join(writes)}) and kg query is read-only by default; "
        "pass --write to run it (on Neo4j)")


# -- embedded ------------------------------------------------------------------


def _embedded_value(value: Any) -> Any:
    if isinstance(value, ec.Node):
        return GraphNode(value.props.get("id", value.key), tuple(sorted(value.labels)), dict(value.props))
    if isinstance(value, ec.Relationship):
        return GraphRelationship(value.type, value.start.props.get("id", value.start.key),
                                 value.end.props.get("id", value.end.key), dict(value.props))
    if isinstance(value, ec.Path):
        return GraphPath(tuple(_embedded_value(n) for n in value.nodes),
                         tuple(_embedded_value(r) for r in value.relationships))
    if isinstance(value, list):
        return [_embedded_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _embedded_value(v) for k, v in value.items()}
    return value


def _run_embedded(store, text, params, *, timeout, limit) -> QueryResult:
    started = time.monotonic()
    try:
        with store.graph() as graph:
            remaining = None if timeout is None else max(timeout - (time.monotonic() - started), 0.001)
            result = ec.run(graph, text, params, timeout=remaining)
            rows: list[list[Any]] = []
            capped = False
            for row in result.rows:
                if limit is not None and len(rows) >= limit:
                    capped = True
                    break
                rows.append([_embedded_value(v) for v in row])
    except ec.CypherTimeout:
        raise QueryError(
            f"the query ran longer than {timeout:g} s on the {store.description} and was stopped "
            "(raise --timeout, or run it on Neo4j)") from None
    except ec.CypherUnsupported as exc:
        raise QueryError(
            f"the {store.description} cannot run this query: {exc} is not supported by its embedded Cypher "
            "engine, which runs read queries only. Run it on Neo4j instead: set NEO4J_URI or pass --neo4j-uri "
            "(kg push copies the embedded store to Neo4j)") from None
    except ec.CypherSyntaxError as exc:
        raise QueryError(
            f"the {store.description} cannot run this query: {exc}. Check the syntax; if it is valid Cypher "
            "beyond the subset the embedded engine runs, run it on Neo4j (set NEO4J_URI or pass --neo4j-uri; "
            "kg push copies the embedded store there)") from None
    except ec.CypherError as exc:
        raise QueryError(f"the query failed on the {store.description}: {exc}") from None
    except RecursionError:
        raise QueryError(
            f"the query's paths are too long for the {store.description}'s engine: bound variable-length "
            "relationships (e.g. *..6), or run it on Neo4j") from None
    return QueryResult(result.columns, rows, capped)


# -- Neo4j -----------------------------------------------------------------------


def _read_mode_procedures(store, names: Sequence[str]) -> list[str]:
    """Those of ``names`` the server says only read (mode READ)."""
    if not names:
        return []
    with store.session() as session:
        records = session.run(
            "SHOW PROCEDURES YIELD name, mode WHERE toLower(name) IN $names RETURN name, mode",
            names=[n.lower() for n in names]).data()
    modes = {r["name"].lower(): r["mode"] for r in records}
    return [n for n in names if modes.get(n.lower()) == "READ"]


def _run_neo4j(store, text, params, *, write, timeout, limit) -> QueryResult:
    from neo4j import Query
    from neo4j.exceptions import Neo4jError

    raw_rows: list[list[Any]] = []
    capped = False
    notes: list[str] = []
    with _quiet_notifications(), store.session(write=write) as session:
        try:
            result = session.run(Query(text, timeout=timeout), params)
            columns = list(result.keys())
            for record in result:
                if limit is not None and len(raw_rows) >= limit:
                    capped = True
                    break
                raw_rows.append(list(record.values()))
            summary = result.consume()
        except Neo4jError as exc:
            raise _neo4j_query_error(exc, store, timeout, write) from None
        for status in summary.gql_status_objects:
            if not status.is_notification or status.severity.name != "WARNING":
                continue  # information (cartesian products, ...) is not worth a note
            note = re.sub(r"^warn:\s*", "", status.status_description or "").strip()
            if note and note not in notes:
                notes.append(note)
        if write:
            counters = {k: v for k, v in vars(summary.counters).items() if v and not k.startswith("_")}
            if counters:
                notes.append("changed: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(counters.items())))
        ids = _endpoint_ids(store, session, raw_rows)
    rows = [[_neo4j_value(v, ids) for v in row] for row in raw_rows]
    return QueryResult(columns, rows, capped, notes)


@contextmanager
def _quiet_notifications():
    """The driver logs server notifications as warnings; they become notes instead."""
    logger = logging.getLogger("neo4j.notifications")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _neo4j_query_error(exc, store, timeout, write) -> Exception:
    code = exc.code or ""
    message = " ".join(str(exc.message or exc).split())
    if code == "Neo.ClientError.Statement.AccessMode":
        return QueryError(
            f"Neo4j refused to write in a read-only session ({message}); pass --write to run a writing query")
    if "TransactionTimedOut" in code or "TransactionTimedOutClientConfiguration" in code:
        return QueryError(f"the query ran longer than {timeout:g} s on {store.description} and was stopped "
                          "(raise --timeout)")
    if code.startswith(("Neo.ClientError.Statement", "Neo.ClientError.Procedure", "Neo.ClientError.Schema",
                        "Neo.DatabaseError.Statement", "Neo.ClientError.Transaction")):
        return QueryError(f"Neo4j rejected the query ({code.rsplit('.', 1)[-1]}): {message}")
    return exc


def _endpoint_ids(store, session, rows: list[list[Any]]) -> dict[str, Any]:
    """kg ids of the nodes at relationship ends, by element id. The driver
    gives a relationship's end nodes without properties unless the same
    result holds those nodes; those are looked up in one more query."""
    from neo4j.graph import Node, Path, Relationship

    known: dict[str, Any] = {}
    wanted: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, Node):
            if "id" in value:
                known[value.element_id] = value["id"]
        elif isinstance(value, Relationship):
            for node in (value.start_node, value.end_node):
                if node is not None and "id" in node:
                    known[node.element_id] = node["id"]
                elif node is not None:
                    wanted.add(node.element_id)
        elif isinstance(value, Path):
            for node in value.nodes:
                visit(node)
        elif isinstance(value, (list, tuple)):
            for v in value:
                visit(v)
        elif isinstance(value, dict):
            for v in value.values():
                visit(v)

    for row in rows:
        for value in row:
            visit(value)
    wanted -= set(known)
    if wanted:
        records = session.run(
            "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS eid, n.id AS id", ids=sorted(wanted)).data()
        for record in records:
            known[record["eid"]] = record["id"] if record["id"] is not None else record["eid"]
    return known


def _neo4j_value(value: Any, ids: dict[str, Any]) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        props = dict(value)
        return GraphNode(props.get("id", value.element_id), tuple(sorted(value.labels)),
                         {k: _neo4j_value(v, ids) for k, v in props.items()})
    if isinstance(value, Relationship):
        start, end = value.start_node, value.end_node
        return GraphRelationship(
            value.type,
            ids.get(start.element_id, start.element_id) if start is not None else None,
            ids.get(end.element_id, end.element_id) if end is not None else None,
            {k: _neo4j_value(v, ids) for k, v in dict(value).items()})
    if isinstance(value, Path):
        return GraphPath(tuple(_neo4j_value(n, ids) for n in value.nodes),
                         tuple(_neo4j_value(r, ids) for r in value.relationships))
    if isinstance(value, list):
        return [_neo4j_value(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _neo4j_value(v, ids) for k, v in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time.Date, DateTime, Time, Duration
        return value.iso_format()
    if value is not None and not isinstance(value, (bool, int, float, str, bytes)):
        return str(value)
    return value


# ---------------------------------------------------------------------------
# Neo4j Browser
# ---------------------------------------------------------------------------


def style_path() -> Path:
    """The Neo4j Browser style shipped with kg (``cypher/style.grass``)."""
    return Path(str(resources.files("kg") / "cypher" / "style.grass"))


def style_command() -> str:
    """``:style`` followed by the style, one line, to paste into the Browser."""
    text = style_path().read_text("utf-8")
    return ":style " + " ".join(text.split())


def browser_url(neo4j_uri: str, *, user: str = "neo4j", database: str = "neo4j",
                http_port: int | None = None, editor: str | None = None) -> str:
    """The Neo4j Browser address with the connection filled in, derived from
    the Bolt address: ``http://HOST:7474/browser/?dbms=bolt://USER@HOST:7687
    &db=DATABASE&preselectAuthMethod=NATIVE`` (https and 7473 for +s/+ssc
    schemes), plus ``cmd=edit&arg=...`` to put ``editor`` text in the editor.
    Neo4j Browser 5 reads dbms (or connectURL), db, preselectAuthMethod, cmd
    and arg; the password is never part of the address."""
    from urllib.parse import quote, urlsplit

    parts = urlsplit(neo4j_uri if "://" in neo4j_uri else f"bolt://{neo4j_uri}")
    scheme = parts.scheme or "bolt"
    if scheme not in ("bolt", "neo4j", "bolt+s", "neo4j+s", "bolt+ssc", "neo4j+ssc"):
        raise QueryError(f"cannot derive a Browser address from {neo4j_uri!r}: expected bolt:// or neo4j://")
    host = parts.hostname or "localhost"
    host_text = f"[{host}]" if ":" in host else host
    bolt_port = parts.port or 7687
    secure = scheme.endswith(("+s", "+ssc"))
    port = http_port or (7473 if secure else 7474)
    dbms = f"{scheme}://{quote(user, safe='')}@{host_text}:{bolt_port}"
    url = (f"{'https' if secure else 'http'}://{host_text}:{port}/browser/"
           f"?dbms={quote(dbms, safe=':/@')}&db={quote(database, safe='')}&preselectAuthMethod=NATIVE")
    if editor:
        # The Browser decodes the whole address before it reads arg (so an &
        # or # in the text would end it: they become spaces here).
        url += "&cmd=edit&arg=" + quote(editor.replace("&", " ").replace("#", " "), safe="")
    return url


def browser_param_command(name: str, value: Any) -> str:
    """The Neo4j Browser command that sets one query parameter:
    ``:param name => "Victor Halloran"``."""
    if isinstance(value, bool):
        literal = "true" if value else "false"
    elif isinstance(value, (int, float)):
        literal = repr(value)
    else:
        literal = json.dumps(str(value), ensure_ascii=False)
    return f":param {name} => {literal}"
