"""The Neo4j graph store: the graph model of kg on a Neo4j 5 server.

``Neo4jStore(uri, user=..., password=..., database=...)`` connects (and checks
the connection) at once. The schema is ``kg/cypher/schema.cypher`` (the repo's
``cypher/`` is a link to ``kg/cypher/``); every other statement is a constant
below, built at import time, one per label or relationship type from the
whitelists ENTITY_LABELS and PREDICATES, since Cypher cannot take those as
parameters. Every value travels as a parameter; no input text is ever
formatted into Cypher.

A batch is one managed write transaction (``session.execute_write``) of a
constant number of ``UNWIND $rows AS row MERGE ...`` statements: articles,
entities (one per label present), mentions, relations (one per type present).
MERGE makes the transaction function idempotent, as the driver's retries need.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import Any

import networkx as nx
from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    GraphDatabase,
    ManagedTransaction,
    RoutingControl,
    Session,
)
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from kg.errors import AuthFailed, StoreError, StoreUnavailable
from kg.records import ENTITY_LABELS, PREDICATES, ArticleGraph, WriteStats
from kg.store.embedded import (
    NODE_LABELS,
    RELATIONSHIP_TYPES,
    PreparedBatch,
    build_networkx,
    now_iso,
    prepare_batch,
)

#: Seconds to wait for a TCP connection to the server.
CONNECTION_TIMEOUT = 10.0
#: Seconds the driver keeps retrying a transaction that failed in a way worth
#: retrying (a deadlock, a lost connection) before kg reports the failure.
#: The driver's own default, 30 s with exponential back-off, kept a run whose
#: server had died waiting 30 to 65 s per call.
MAX_TRANSACTION_RETRY_TIME = 10.0


#: Errors of a schema statement whose constraint or index another process has just made.
_SCHEMA_ALREADY_THERE = frozenset({
    "Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists",
    "Neo.ClientError.Schema.ConstraintAlreadyExists",
    "Neo.ClientError.Schema.IndexAlreadyExists",
})


def schema_statements() -> list[str]:
    """The statements of ``kg/cypher/schema.cypher``, comments removed."""
    text = (resources.files("kg") / "cypher" / "schema.cypher").read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


# -- Cypher: writes ------------------------------------------------------------

# ingested_at only on creation; the other properties follow the latest record
# (a null removes the property, as the embedded store stores NULL).
_WRITE_ARTICLES = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
ON CREATE SET a.ingested_at = $ingested_at
SET a.url = row.url, a.title = row.title, a.published = row.published,
    a.source = row.source, a.author = row.author
"""

# name, type, label and surname as first written; aliases: sorted union.
_WRITE_ENTITIES_TEMPLATE = """
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
ON CREATE SET e:%(label)s, e.name = row.name, e.type = row.type,
    e.surname = row.surname
SET e.aliases = COLLECT {
    UNWIND coalesce(e.aliases, []) + row.aliases AS alias
    RETURN DISTINCT alias ORDER BY alias
}
"""

_WRITE_MENTIONS = """
UNWIND $rows AS row
MATCH (a:Article {id: row.article_id})
MATCH (e:Entity {id: row.entity_id})
MERGE (a)-[m:MENTIONS]->(e)
SET m.count = row.count
"""

# One relationship per Relation.key: MERGE on subject, type, object,
# article_id and start; SET the rest.
_WRITE_RELATIONS_TEMPLATE = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subject})
MATCH (o:Entity {id: row.object})
MERGE (s)-[r:%(type)s {article_id: row.article_id, start: row.start}]->(o)
SET r.`end` = row.end, r.sentence = row.sentence, r.confidence = row.confidence,
    r.rule = row.rule, r.amount = row.amount, r.amount_value = row.amount_value,
    r.currency = row.currency
"""

#: Entity type (PERSON, ...) -> the statement that writes entities of that type.
WRITE_ENTITIES: dict[str, str] = {
    entity_type: _WRITE_ENTITIES_TEMPLATE % {"label": label}
    for entity_type, label in ENTITY_LABELS.items()
}
#: Predicate -> the statement that writes relations of that type.
WRITE_RELATIONS: dict[str, str] = {
    predicate: _WRITE_RELATIONS_TEMPLATE % {"type": predicate}
    for predicate in PREDICATES
}

# -- Cypher: reads ---------------------------------------------------------------

_KNOWN_ARTICLES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id
"""

_PEOPLE_BY_SURNAME = """
UNWIND $surnames AS surname
MATCH (p:Person {surname: surname})
RETURN surname, collect(p.id) AS ids
"""

_COUNTS = "RETURN " + ", ".join(
    [f"COUNT {{ MATCH (:{label}) }} AS {label}" for label in NODE_LABELS]
    + [
        f"COUNT {{ MATCH ()-[:{rel_type}]->() }} AS {rel_type}"
        for rel_type in RELATIONSHIP_TYPES
    ]
)

_ENTITIES = """
MATCH (e:Entity)
RETURN e.id AS id, e.name AS name, e.type AS type, e.aliases AS aliases
"""

_RELATIONS = """
MATCH (s:Entity)-[r:%(types)s]->(o:Entity)
OPTIONAL MATCH (a:Article {id: r.article_id})
RETURN s.id AS subject, type(r) AS predicate, o.id AS object,
       r.article_id AS article_id, r.start AS start, r.`end` AS end,
       r.sentence AS sentence, r.confidence AS confidence, r.rule AS rule,
       r.amount AS amount, r.amount_value AS amount_value, r.currency AS currency,
       a.title AS article_title, a.url AS url, a.published AS published
""" % {"types": "|".join(PREDICATES)}

_ARTICLES = """
MATCH (a:Article)
RETURN a.id AS id, a.url AS url, a.title AS title, a.published AS published,
       a.source AS source, a.author AS author, a.ingested_at AS ingested_at
"""

_MENTIONS = """
MATCH (a:Article)-[m:MENTIONS]->(e:Entity)
RETURN a.id AS article_id, e.id AS entity_id, m.count AS count
"""


def _detail(exc: BaseException, secret: str | None = None) -> str:
    """A driver message on one line, shortened, with a secret blotted out."""
    text = " ".join(str(exc).split())
    if secret:
        text = text.replace(secret, "***")
    return text[:300]


def _shown_uri(uri: str) -> str:
    """The URI for messages: a password written into it ("bolt://user:pw@host") blotted out."""
    return re.sub(r"(?<=://)([^/@:]*):[^/]*@", r"\1:***@", uri)


def _uri_password(uri: str) -> str | None:
    match = re.search(r"://[^/@:]*:([^/]*)@", uri)
    return match.group(1) if match and match.group(1) else None


def _write_batch(
    tx: ManagedTransaction, batch: PreparedBatch, ingested_at: str
) -> None:
    """The unit of work of one batch; idempotent (MERGE), as retries require."""
    tx.run(_WRITE_ARTICLES, rows=batch.articles, ingested_at=ingested_at).consume()
    for entity_type in ENTITY_LABELS:
        rows = batch.entities_of_type(entity_type)
        if rows:
            tx.run(_entity_statement(entity_type), rows=rows).consume()
    if batch.mentions:
        tx.run(_WRITE_MENTIONS, rows=batch.mentions).consume()
    for predicate in PREDICATES:
        rows = batch.relations_of(predicate)
        if rows:
            tx.run(_relation_statement(predicate), rows=rows).consume()


def _entity_statement(entity_type: str) -> str:
    try:
        return WRITE_ENTITIES[entity_type]
    except KeyError:
        raise ValueError(f"unknown entity type {entity_type!r}") from None


def _relation_statement(predicate: str) -> str:
    try:
        return WRITE_RELATIONS[predicate]
    except KeyError:
        raise ValueError(f"unknown predicate {predicate!r}") from None


def _read_graph(tx: ManagedTransaction, include_articles: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "entities": [record.data() for record in tx.run(_ENTITIES)],
        "relations": [record.data() for record in tx.run(_RELATIONS)],
        "articles": None,
        "mentions": None,
    }
    if include_articles:
        data["articles"] = [record.data() for record in tx.run(_ARTICLES)]
        data["mentions"] = [record.data() for record in tx.run(_MENTIONS)]
    return data


class Neo4jStore:
    """The graph on a Neo4j 5 server; connects and checks on construction.

    Raises StoreUnavailable when no server answers at ``uri``, AuthFailed when
    the server refuses the credentials, StoreError for an unusable URI. The
    password goes to the driver only: no attribute, repr or message holds it.
    """

    def __init__(
        self,
        uri: str,
        *,
        user: str = "neo4j",
        password: str,
        database: str = "neo4j",
        connection_timeout: float = CONNECTION_TIMEOUT,
        max_retry_time: float = MAX_TRANSACTION_RETRY_TIME,
    ) -> None:
        self.uri = _shown_uri(uri)
        self.user = user
        self.database = database
        self.description = f"Neo4j at {self.uri} (database {database})"
        self._schema_ready = False
        try:
            self._driver = GraphDatabase.driver(
                uri,
                auth=(user, password),
                connection_timeout=connection_timeout,
                max_transaction_retry_time=max_retry_time,
            )
        except (ConfigurationError, ValueError) as exc:
            detail = _detail(exc, password)
            if _uri_password(uri):
                detail = detail.replace(_uri_password(uri), "***")
            raise StoreError(
                f"cannot use {self.uri!r} as a Neo4j address ({detail}): "
                "expected e.g. bolt://localhost:7687 or neo4j://host:7687"
            ) from None
        try:
            with self._errors(password):
                self._driver.verify_connectivity()
        except BaseException:
            self._driver.close()
            raise

    @classmethod
    def connect(
        cls, uri: str, *, user: str = "neo4j", password: str, database: str = "neo4j"
    ) -> Neo4jStore:
        """Same as the constructor."""
        return cls(uri, user=user, password=password, database=database)

    def __repr__(self) -> str:
        return f"Neo4jStore(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- errors --------------------------------------------------------------

    @contextmanager
    def _errors(self, password: str | None = None) -> Iterator[None]:
        """Turn driver exceptions into kg's StoreError family, password-free.

        Driver exceptions are not chained (their text is summarised instead),
        and while connecting the password is blotted out of that summary.
        """

        def detail(exc: BaseException) -> str:
            return _detail(exc, password)

        try:
            yield
        except AuthError:
            raise AuthFailed(
                f"Neo4j at {self.uri} refused the credentials for user {self.user!r}: "
                "check NEO4J_PASSWORD (and NEO4J_USERNAME)"
            ) from None
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailable(
                f"no Neo4j at {self.uri} ({detail(exc)}): start one with "
                "scripts/neo4j start or docker compose up -d, or unset NEO4J_URI "
                "to use the embedded store"
            ) from None
        except Neo4jError as exc:
            code = exc.code or ""
            if code == "Neo.ClientError.Security.AuthenticationRateLimit":
                raise AuthFailed(
                    f"Neo4j at {self.uri} refuses logins for user {self.user!r} after "
                    "too many failed attempts: wait a few seconds and check NEO4J_PASSWORD"
                ) from None
            if code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreError(
                    f"Neo4j at {self.uri} has no database {self.database!r}: "
                    "check NEO4J_DATABASE"
                ) from None
            if code.startswith("Neo.TransientError.General.DatabaseUnavailable"):
                raise StoreUnavailable(
                    f"database {self.database!r} of Neo4j at {self.uri} is not available "
                    f"({detail(exc)}): try again when it has started"
                ) from None
            raise StoreError(
                f"Neo4j at {self.uri} failed ({code or type(exc).__name__}): {detail(exc)}"
            ) from None
        except DriverError as exc:
            raise StoreError(
                f"Neo4j at {self.uri}: {type(exc).__name__}: {detail(exc)}"
            ) from None

    def _read(self, query: str, **params: Any) -> list[Any]:
        with self._errors():
            return self._driver.execute_query(
                query, params, routing_=RoutingControl.READ, database_=self.database
            ).records

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A driver session for ad hoc Cypher (kg query), which streams rows,
        sets its own timeout and reads the result summary.

        READ access mode unless ``write``, so the server itself refuses writes.
        Driver errors come out as StoreError (or AuthFailed, StoreUnavailable),
        as from every other method; the caller may handle Neo4jError first.
        """
        mode = WRITE_ACCESS if write else READ_ACCESS
        with self._errors(), self._driver.session(
            database=self.database, default_access_mode=mode
        ) as session:
            yield session

    # -- GraphStore ------------------------------------------------------------

    def ensure_schema(self) -> None:
        """Run kg/cypher/schema.cypher (IF NOT EXISTS throughout); safe to repeat."""
        with self._errors():
            for statement in schema_statements():
                try:
                    self._driver.execute_query(statement, database_=self.database)
                except Neo4jError as exc:
                    # IF NOT EXISTS does not cover a twin created meanwhile by
                    # another process (two first runs at once): that is success.
                    if exc.code not in _SCHEMA_ALREADY_THERE:
                        raise
            self._driver.execute_query(
                "CALL db.awaitIndexes(300)", database_=self.database
            )
        self._schema_ready = True

    def known_articles(self, ids: Iterable[str]) -> set[str]:
        """The subset of these article ids already written."""
        records = self._read(_KNOWN_ARTICLES, ids=[str(i) for i in ids])
        return {record["id"] for record in records}

    def people_by_surname(self, surnames: Iterable[str]) -> dict[str, list[str]]:
        """Person ids (sorted) keyed by lower-cased surname; only surnames found."""
        wanted = sorted({str(s).lower() for s in surnames})
        records = self._read(_PEOPLE_BY_SURNAME, surnames=wanted)
        return {record["surname"]: sorted(record["ids"]) for record in records}

    def write(self, graphs: Sequence[ArticleGraph]) -> WriteStats:
        """Write a batch in one transaction: all of it or none."""
        batch = prepare_batch(graphs)  # ValueError before anything is sent
        if not batch.articles:
            return batch.stats()
        if not self._schema_ready:
            self.ensure_schema()
        ingested_at = now_iso()
        with self._errors(), self._driver.session(database=self.database) as session:
            session.execute_write(_write_batch, batch, ingested_at)
        return batch.stats()

    def counts(self) -> dict[str, dict[str, int]]:
        """{"nodes": {label: n}, "relationships": {type: n}}, zeros included."""
        record = self._read(_COUNTS)[0]
        return {
            "nodes": {label: record[label] for label in NODE_LABELS},
            "relationships": {
                rel_type: record[rel_type] for rel_type in RELATIONSHIP_TYPES
            },
        }

    def to_networkx(self, include_articles: bool = False) -> nx.MultiDiGraph:
        """The entity graph; with include_articles also Article nodes and MENTIONS."""
        with self._errors(), self._driver.session(database=self.database) as session:
            data = session.execute_read(_read_graph, include_articles)
        return build_networkx(**data)

    def close(self) -> None:
        self._driver.close()
