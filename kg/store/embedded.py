"""The embedded graph store: the graph model of kg in one SQLite file.

``EmbeddedStore(directory)`` keeps ``<directory>/kg.sqlite`` (WAL mode) with
four tables that mirror the Neo4j model in ``kg/cypher/schema.cypher``:

    articles   one row per (:Article)
    entities   one row per (:Entity:<Label>), aliases as a JSON list
    mentions   one row per (:Article)-[:MENTIONS {count}]->(:Entity)
    relations  one row per (:Entity)-[:<PREDICATE> {...}]->(:Entity),
               keyed like Relation.key

It needs no server. Each ``write()`` is one SQLite transaction: a process
killed halfway leaves the store as it was before the batch.

This module also holds what both stores share, so that they write and read
the same graph: ``prepare_batch()`` (validation, de-duplication and the rows
a batch becomes) and ``build_networkx()`` (the one way the graph is turned
into a ``networkx.MultiDiGraph``). It needs only the standard library and
networkx; ``kg.store.neo4j`` imports these helpers from here.
"""

from __future__ import annotations

import json
import functools
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, TypeVar

from kg.errors import StoreError
from kg.records import ENTITY_LABELS, PREDICATES, ArticleGraph, WriteStats

if TYPE_CHECKING:  # networkx takes a quarter of a second to import: only whole-graph readers pay for it
    import networkx as nx
    from kg.store.embedded_graph import StoreGraph

# ---------------------------------------------------------------------------
# Shared by both stores
# ---------------------------------------------------------------------------

#: Node labels counted by ``counts()``, in output order.
NODE_LABELS: tuple[str, ...] = ("Article", *ENTITY_LABELS.values())
#: Relationship types counted by ``counts()``, in output order.
RELATIONSHIP_TYPES: tuple[str, ...] = ("MENTIONS", *PREDICATES)

#: Article properties besides id and ingested_at, as stored.
ARTICLE_FIELDS = ("url", "title", "published", "source", "author")
#: Relation properties set (not merged on) for one evidence edge.
RELATION_FIELDS = (
    "end",
    "sentence",
    "confidence",
    "rule",
    "amount",
    "amount_value",
    "currency",
)


def surname_of(name: str, entity_type: str) -> str | None:
    """The lower-cased last token of a PERSON's name; None for other types."""
    if entity_type != "PERSON":
        return None
    tokens = name.split()
    return tokens[-1].lower() if tokens else None


def edge_key(predicate: str, article_id: str, start: int) -> str:
    """The networkx edge key of a relation: ``"<PREDICATE>:<article_id>:<start>"``.

    Together with the edge's endpoints (subject, object) it is Relation.key,
    and it is unique among the parallel edges of one (subject, object) pair.
    """
    return f"{predicate}:{article_id}:{start}"


def article_node_key(article_id: str) -> str:
    """The networkx node key of an article, with ``include_articles=True``."""
    return f"article:{article_id}"


def now_iso() -> str:
    """The ingested_at timestamp of a batch: UTC, ISO 8601, to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class PreparedBatch:
    """What a batch of ArticleGraphs becomes: de-duplicated rows per table.

    Rows are plain dicts of parameter values (str, int, float, None, lists of
    str), the same for both stores. Within a batch the last article record and
    the last Relation with a given key win; an entity keeps the first name and
    type seen and gets the sorted union of all aliases.
    """

    articles: list[dict[str, Any]] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)
    mentions: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)

    def stats(self) -> WriteStats:
        by_type = dict.fromkeys(PREDICATES, 0)
        for row in self.relations:
            by_type[row["predicate"]] += 1
        return WriteStats(
            articles=len(self.articles),
            entities=len(self.entities),
            relations=len(self.relations),
            relations_by_type=by_type,
        )

    def entities_of_type(self, entity_type: str) -> list[dict[str, Any]]:
        return [row for row in self.entities if row["type"] == entity_type]

    def relations_of(self, predicate: str) -> list[dict[str, Any]]:
        return [row for row in self.relations if row["predicate"] == predicate]


def _optional_float(value: Any) -> float | None:
    return None if value is None else float(value)


def prepare_batch(graphs: Sequence[ArticleGraph]) -> PreparedBatch:
    """Validate a batch and turn it into rows; raise ValueError on bad input.

    Nothing is written by anyone before this returns, so a bad record stops
    the whole batch before the store is touched. Refused: an entity type
    outside ENTITY_LABELS, a predicate outside PREDICATES, a relation whose
    subject or object is not among its graph's entities, a relation whose
    article_id is not its graph's article, and one entity id given two types.
    """
    articles: dict[str, dict[str, Any]] = {}
    entities: dict[str, dict[str, Any]] = {}
    aliases: dict[str, set[str]] = {}
    mentions: dict[tuple[str, str], dict[str, Any]] = {}
    relations: dict[tuple[str, str, str, str, int], dict[str, Any]] = {}

    for graph in graphs:
        article = graph.article
        articles[article.id] = {
            "id": article.id,
            **{name: getattr(article, name) for name in ARTICLE_FIELDS},
        }
        ids_here: set[str] = set()
        for entity in graph.entities:
            if entity.type not in ENTITY_LABELS:
                raise ValueError(
                    f"article {article.id!r}: entity {entity.id!r} has type "
                    f"{entity.type!r}; expected one of {', '.join(ENTITY_LABELS)}"
                )
            known = entities.get(entity.id)
            if known is None:
                entities[entity.id] = {
                    "id": entity.id,
                    "name": entity.name,
                    "type": entity.type,
                    "surname": surname_of(entity.name, entity.type),
                }
                aliases[entity.id] = set()
            elif known["type"] != entity.type:
                raise ValueError(
                    f"article {article.id!r}: entity {entity.id!r} has type "
                    f"{entity.type!r} here and {known['type']!r} elsewhere in the batch"
                )
            aliases[entity.id].update(str(alias) for alias in entity.aliases)
            ids_here.add(entity.id)
            mentions[(article.id, entity.id)] = {
                "article_id": article.id,
                "entity_id": entity.id,
                "count": int(entity.mentions),
            }
        for relation in graph.relations:
            if relation.predicate not in PREDICATES:
                raise ValueError(
                    f"article {article.id!r}: relation predicate "
                    f"{relation.predicate!r}; expected one of {', '.join(PREDICATES)}"
                )
            for role, entity_id in (
                ("subject", relation.subject),
                ("object", relation.object),
            ):
                if entity_id not in ids_here:
                    raise ValueError(
                        f"article {article.id!r}: relation {relation.predicate} "
                        f"{role} {entity_id!r} is not among the article's entities"
                    )
            if relation.article_id != article.id:
                raise ValueError(
                    f"article {article.id!r}: relation {relation.predicate} "
                    f"says article_id {relation.article_id!r}"
                )
            row = {
                "subject": relation.subject,
                "predicate": relation.predicate,
                "object": relation.object,
                "article_id": relation.article_id,
                "start": int(relation.start),
                "end": int(relation.end),
                "sentence": relation.sentence,
                "confidence": float(relation.confidence),
                "rule": relation.rule,
                "amount": relation.amount,
                "amount_value": _optional_float(relation.amount_value),
                "currency": relation.currency,
            }
            relations[
                (
                    row["subject"],
                    row["predicate"],
                    row["object"],
                    row["article_id"],
                    row["start"],
                )
            ] = row

    for entity_id, row in entities.items():
        row["aliases"] = sorted(aliases[entity_id])
    return PreparedBatch(
        articles=list(articles.values()),
        entities=list(entities.values()),
        mentions=list(mentions.values()),
        relations=list(relations.values()),
    )


def build_networkx(
    entities: Iterable[dict[str, Any]],
    relations: Iterable[dict[str, Any]],
    articles: Iterable[dict[str, Any]] | None = None,
    mentions: Iterable[dict[str, Any]] | None = None,
    *,
    presorted: bool = False,
) -> nx.MultiDiGraph:
    """The MultiDiGraph both stores return from ``to_networkx()``.

    entities: dicts with id, name, type, aliases. relations: dicts with
    subject, predicate, object, the RELATION_FIELDS, article_id, start, and the
    article's title (as article_title), url and published. With articles
    (dicts with id, ingested_at and ARTICLE_FIELDS) and mentions (article_id,
    entity_id, count) also Article nodes and MENTIONS edges. Nodes and edges
    are added in sorted order, so equal stores give equal graphs, order
    included. ``presorted``: the rows already come in that order (streamed
    from an ORDER BY), so none of them is held in a list.
    """
    import networkx as nx

    def in_order(rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> Iterable[dict[str, Any]]:
        return rows if presorted else sorted(rows, key=key)

    graph = nx.MultiDiGraph()
    for row in in_order(entities, lambda r: r["id"]):
        graph.add_node(
            row["id"],
            name=row["name"],
            type=row["type"],
            aliases=sorted(row["aliases"] or []),
        )
    if articles is not None:
        for row in in_order(articles, lambda r: r["id"]):
            graph.add_node(
                article_node_key(row["id"]),
                type="Article",
                id=row["id"],
                **{name: row[name] for name in ARTICLE_FIELDS},
                ingested_at=row["ingested_at"],
            )
    for row in in_order(
        relations,
        lambda r: (
            r["subject"],
            r["object"],
            r["predicate"],
            r["article_id"],
            r["start"],
        ),
    ):
        graph.add_edge(
            row["subject"],
            row["object"],
            key=edge_key(row["predicate"], row["article_id"], row["start"]),
            type=row["predicate"],
            sentence=row["sentence"],
            article_id=row["article_id"],
            article_title=row["article_title"],
            url=row["url"],
            published=row["published"],
            start=row["start"],
            end=row["end"],
            confidence=row["confidence"],
            rule=row["rule"],
            amount=row["amount"],
            amount_value=row["amount_value"],
            currency=row["currency"],
        )
    if mentions is not None:
        for row in in_order(mentions, lambda r: (r["article_id"], r["entity_id"])):
            graph.add_edge(
                article_node_key(row["article_id"]),
                row["entity_id"],
                key="MENTIONS",
                type="MENTIONS",
                count=row["count"],
            )
    return graph


# ---------------------------------------------------------------------------
# The SQLite store
# ---------------------------------------------------------------------------

#: PRAGMA user_version of the tables below; a newer file is refused, an
#: older one migrated on open (see MIGRATIONS).
SCHEMA_VERSION = 2
#: Seconds a writer waits for another process's transaction to finish.
BUSY_TIMEOUT = 30.0
#: File name of the database inside the store directory.
DB_FILE = "kg.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id          TEXT PRIMARY KEY,
    url         TEXT,
    title       TEXT,
    published   TEXT,
    source      TEXT,
    author      TEXT,
    ingested_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entities (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',  -- JSON list, sorted
    surname TEXT                         -- PERSON only
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS entities_surname ON entities (surname);
CREATE INDEX IF NOT EXISTS entities_name ON entities (name);
-- Every entity's name and aliases lower-cased as Cypher's toLower does, so that
-- "toLower(e.name) = toLower($name) OR any(alias IN e.aliases ...)" is a look-up.
CREATE TABLE IF NOT EXISTS entity_names (
    folded    TEXT NOT NULL,
    kind      TEXT NOT NULL,  -- 'name' or 'alias'
    entity_id TEXT NOT NULL REFERENCES entities (id),
    PRIMARY KEY (folded, kind, entity_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles (id),
    entity_id  TEXT NOT NULL REFERENCES entities (id),
    count      INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS mentions_entity ON mentions (entity_id);
CREATE TABLE IF NOT EXISTS relations (
    subject      TEXT NOT NULL REFERENCES entities (id),
    predicate    TEXT NOT NULL,
    object       TEXT NOT NULL REFERENCES entities (id),
    article_id   TEXT NOT NULL REFERENCES articles (id),
    start        INTEGER NOT NULL,
    "end"        INTEGER NOT NULL,
    sentence     TEXT NOT NULL,
    confidence   REAL NOT NULL,
    rule         TEXT NOT NULL,
    amount       TEXT,
    amount_value REAL,
    currency     TEXT,
    PRIMARY KEY (subject, predicate, object, article_id, start)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS relations_object_predicate ON relations (object, predicate);
CREATE INDEX IF NOT EXISTS relations_predicate ON relations (predicate);
CREATE INDEX IF NOT EXISTS relations_article ON relations (article_id);
"""

#: Tables this kg makes; a version-0 file holding others is not a kg store.
TABLES = ("articles", "entities", "entity_names", "mentions", "relations")


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    """Version 1 had no entity_names, and relations_object on (object) alone."""
    conn.execute("DROP INDEX IF EXISTS relations_object")
    rows = conn.execute("SELECT id, name, aliases FROM entities").fetchall()
    conn.executemany(_INSERT_NAME, [
        name_row for row in rows for name_row in _name_rows(row["id"], row["name"], json.loads(row["aliases"]))])


#: version -> what turns a store of that version into the next one, after
#: the tables and indexes of _SCHEMA that are missing have been made.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_to_2}

_INSERT_NAME = "INSERT OR IGNORE INTO entity_names (folded, kind, entity_id) VALUES (?, ?, ?)"


def _name_rows(entity_id: str, name: str | None, aliases: Iterable[str]) -> list[tuple[str, str, str]]:
    """entity_names rows: the name (None when already stored) and each alias, lower-cased."""
    rows = [(name.lower(), "name", entity_id)] if name is not None else []
    return rows + [(alias.lower(), "alias", entity_id) for alias in aliases]


_UPSERT_ARTICLE = """
INSERT INTO articles (id, url, title, published, source, author, ingested_at)
VALUES (:id, :url, :title, :published, :source, :author, :ingested_at)
ON CONFLICT (id) DO UPDATE SET
    url = excluded.url, title = excluded.title, published = excluded.published,
    source = excluded.source, author = excluded.author
"""
# name, type and surname stay as first written; aliases arrive already merged.
_UPSERT_ENTITY = """
INSERT INTO entities (id, name, type, aliases, surname)
VALUES (:id, :name, :type, :aliases, :surname)
ON CONFLICT (id) DO UPDATE SET aliases = excluded.aliases
"""
_UPSERT_MENTION = """
INSERT INTO mentions (article_id, entity_id, count)
VALUES (:article_id, :entity_id, :count)
ON CONFLICT (article_id, entity_id) DO UPDATE SET count = excluded.count
"""
_UPSERT_RELATION = """
INSERT INTO relations (subject, predicate, object, article_id, start, "end",
                       sentence, confidence, rule, amount, amount_value, currency)
VALUES (:subject, :predicate, :object, :article_id, :start, :end,
        :sentence, :confidence, :rule, :amount, :amount_value, :currency)
ON CONFLICT (subject, predicate, object, article_id, start) DO UPDATE SET
    "end" = excluded."end", sentence = excluded.sentence,
    confidence = excluded.confidence, rule = excluded.rule,
    amount = excluded.amount, amount_value = excluded.amount_value,
    currency = excluded.currency
"""


def _is_busy(exc: sqlite3.Error) -> bool:
    """SQLITE_BUSY or SQLITE_LOCKED: another connection holds the lock."""
    text = str(exc)
    return "locked" in text or "busy" in text


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _one_at_a_time(method: _Method) -> _Method:
    """Serialise calls on the one connection: kg ingest writes from a thread of
    its own while its main thread asks which articles are known."""

    @functools.wraps(method)
    def locked(self: EmbeddedStore, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            return method(self, *args, **kwargs)

    return locked  # type: ignore[return-value]


class EmbeddedStore:
    """The graph in ``<directory>/kg.sqlite``; no server needed.

    Safe for several processes at once: SQLite's WAL mode lets readers run
    beside one writer, and a writer waits up to BUSY_TIMEOUT seconds for
    another writer's batch to commit. Threads may share one store: its calls
    run one at a time.
    """

    def __init__(self, directory: str | PathLike[str] = "kg-data") -> None:
        self.directory = Path(directory)
        self.path = self.directory / DB_FILE
        self.description = f"embedded store at {self.directory}"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the embedded store directory {self.directory}: "
                f"{exc.strerror or exc}"
            ) from None
        try:
            # isolation_level=None: no implicit transactions, write() says BEGIN.
            # check_same_thread=False: kg ingest writes from a thread of its
            # own; self._lock keeps the calls one at a time.
            self._conn = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from None
        self._conn.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        try:
            self._open()
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.directory)!r})"

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- opening -------------------------------------------------------------

    def _open(self) -> None:
        try:
            self._use_wal()
            self._conn.execute("PRAGMA foreign_keys = ON")
            version = self._user_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this kg "
                    f"understands ({SCHEMA_VERSION}): upgrade kg, or use another "
                    "store directory"
                )
            if version < SCHEMA_VERSION:
                self.ensure_schema()
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise self._busy_error(exc) from None
            raise StoreError(f"cannot open {self.path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path} is not a usable kg store ({exc}): move it away or "
                "choose another store directory"
            ) from None

    def _use_wal(self) -> None:
        """Switch to WAL mode (persistent), retrying while others hold locks.

        On a new file the switch needs an exclusive lock, and SQLite reports
        "locked" at once, without waiting, when two openers each hold a shared
        lock and want it; so retry until BUSY_TIMEOUT.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT
        while True:
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _user_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _transaction(self, mode: str = "IMMEDIATE") -> Iterator[sqlite3.Connection]:
        """One SQLite transaction: committed on success, rolled back otherwise."""
        try:
            self._conn.execute(f"BEGIN {mode}")
        except sqlite3.OperationalError as exc:
            raise self._busy_error(exc) from None
        try:
            yield self._conn
        except BaseException:
            self._conn.rollback()
            raise
        try:
            self._conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._conn.rollback()
            raise self._busy_error(exc) from None

    def _busy_error(self, exc: sqlite3.OperationalError) -> StoreError:
        if _is_busy(exc):
            return StoreError(
                f"{self.description} is busy: another process kept it locked for "
                f"{BUSY_TIMEOUT:.0f} s; try again when it has finished"
            )
        return StoreError(f"{self.description}: {exc}")

    # -- GraphStore ------------------------------------------------------------

    @_one_at_a_time
    def ensure_schema(self) -> None:
        """Create the tables and indexes if missing, and migrate a store an
        earlier kg wrote, all in one transaction; safe to call again."""
        with self._transaction() as conn:
            version = self._user_version()
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} has schema version {version}, newer than this kg "
                    f"understands ({SCHEMA_VERSION}): upgrade kg"
                )
            if version == 0:
                foreign = [
                    row[0]
                    for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                    if row[0] not in TABLES
                ]
                if foreign:
                    raise StoreError(
                        f"{self.path} holds tables kg did not make ({', '.join(foreign)}): "
                        "choose another store directory"
                    )
            # executescript() would commit; run the statements one by one instead.
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            if version:
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](conn)
            if version < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION:d}")

    @_one_at_a_time
    def known_articles(self, ids: Iterable[str]) -> set[str]:
        """The subset of these article ids already written."""
        wanted = json.dumps([str(i) for i in ids])
        rows = self._conn.execute(
            "SELECT id FROM articles WHERE id IN (SELECT value FROM json_each(?))",
            (wanted,),
        )
        return {row["id"] for row in rows}

    @_one_at_a_time
    def people_by_surname(self, surnames: Iterable[str]) -> dict[str, list[str]]:
        """Person ids (sorted) keyed by lower-cased surname; only surnames found."""
        wanted = json.dumps(sorted({str(s).lower() for s in surnames}))
        rows = self._conn.execute(
            "SELECT surname, id FROM entities"
            " WHERE surname IN (SELECT value FROM json_each(?)) AND type = 'PERSON'"
            " ORDER BY surname, id",
            (wanted,),
        )
        found: dict[str, list[str]] = {}
        for row in rows:
            found.setdefault(row["surname"], []).append(row["id"])
        return found

    @_one_at_a_time
    def write(self, graphs: Sequence[ArticleGraph]) -> WriteStats:
        """Write a batch in one SQLite transaction: all of it or none."""
        batch = prepare_batch(graphs)
        if not batch.articles:
            return batch.stats()
        ingested_at = now_iso()
        with self._transaction() as conn:
            ids = json.dumps([row["id"] for row in batch.entities])
            stored = {
                row["id"]: json.loads(row["aliases"])
                for row in conn.execute(
                    "SELECT id, aliases FROM entities"
                    " WHERE id IN (SELECT value FROM json_each(?))",
                    (ids,),
                )
            }
            conn.executemany(
                _UPSERT_ARTICLE,
                [{**row, "ingested_at": ingested_at} for row in batch.articles],
            )
            conn.executemany(
                _UPSERT_ENTITY,
                [
                    {
                        **row,
                        "aliases": json.dumps(
                            sorted(
                                set(stored.get(row["id"], [])) | set(row["aliases"])
                            ),
                            ensure_ascii=False,
                        ),
                    }
                    for row in batch.entities
                ],
            )
            conn.executemany(_INSERT_NAME, [
                name_row
                for row in batch.entities
                for name_row in _name_rows(row["id"], None if row["id"] in stored else row["name"], row["aliases"])
            ])
            conn.executemany(_UPSERT_MENTION, batch.mentions)
            conn.executemany(_UPSERT_RELATION, batch.relations)
        return batch.stats()

    @_one_at_a_time
    def counts(self) -> dict[str, dict[str, int]]:
        """{"nodes": {label: n}, "relationships": {type: n}}, zeros included."""
        with self._transaction("DEFERRED") as conn:
            nodes = dict.fromkeys(NODE_LABELS, 0)
            nodes["Article"] = conn.execute("SELECT count(*) FROM articles").fetchone()[
                0
            ]
            for row in conn.execute(
                "SELECT type, count(*) AS n FROM entities GROUP BY type"
            ):
                if row["type"] in ENTITY_LABELS:
                    nodes[ENTITY_LABELS[row["type"]]] = row["n"]
            relationships = dict.fromkeys(RELATIONSHIP_TYPES, 0)
            relationships["MENTIONS"] = conn.execute(
                "SELECT count(*) FROM mentions"
            ).fetchone()[0]
            for row in conn.execute(
                "SELECT predicate, count(*) AS n FROM relations GROUP BY predicate"
            ):
                if row["predicate"] in relationships:
                    relationships[row["predicate"]] = row["n"]
        return {"nodes": nodes, "relationships": relationships}

    @_one_at_a_time
    def version(self) -> tuple[int, int]:
        """A value that changes whenever the contents may have: a commit by another
        connection (SQLite's data_version) or a change made through this one."""
        (data_version,) = self._conn.execute("PRAGMA data_version").fetchone()
        return data_version, self._conn.total_changes

    @_one_at_a_time
    def to_networkx(self, include_articles: bool = False) -> nx.MultiDiGraph:
        """The entity graph; with include_articles also Article nodes and MENTIONS.

        Rows stream from SQLite in the graph's order straight into the graph,
        so the process holds the graph and not also a copy of every row."""
        with self._transaction("DEFERRED") as conn:
            entities = (
                {"id": row["id"], "name": row["name"], "type": row["type"], "aliases": json.loads(row["aliases"])}
                for row in conn.execute("SELECT id, name, type, aliases FROM entities ORDER BY id")
            )
            relations = map(dict, conn.execute(
                'SELECT r.subject, r.predicate, r.object, r.article_id, r.start, r."end",'
                " r.sentence, r.confidence, r.rule, r.amount, r.amount_value, r.currency,"
                " a.title AS article_title, a.url, a.published"
                " FROM relations AS r LEFT JOIN articles AS a ON a.id = r.article_id"
                " ORDER BY r.subject, r.object, r.predicate, r.article_id, r.start"
            ))
            articles = mentions = None
            if include_articles:
                articles = map(dict, conn.execute(
                    "SELECT id, url, title, published, source, author, ingested_at FROM articles ORDER BY id"))
                mentions = map(dict, conn.execute(
                    "SELECT article_id, entity_id, count FROM mentions ORDER BY article_id, entity_id"))
            return build_networkx(entities, relations, articles, mentions, presorted=True)

    @contextmanager
    def graph(self) -> Iterator[StoreGraph]:
        """The store as the Cypher engine sees it (kg.store.embedded_graph),
        read on demand inside one read transaction, so from one snapshot."""
        from kg.store.embedded_graph import StoreGraph

        with self._lock, self._transaction("DEFERRED") as conn:
            yield StoreGraph(conn)

    @_one_at_a_time
    def close(self) -> None:
        self._conn.close()
