"""The embedded store read as a graph, piece by piece, for the Cypher engine.

``StoreGraph`` answers :class:`kg.embedded_cypher.GraphAccess` with indexed
SQLite queries, so `kg query` reads what a query touches instead of the whole
store: an entity by name or alias is one look-up in ``entity_names``, its
relationships one range of the relations primary key (out) or of
``relations_object_predicate`` (in); relationships counted per node and
type are counted there too, and when the query keeps only the first few
counts (most-connected), ranked there, so that only the entities kept are
read. It gives the graph Neo4j holds (see kg.export.model_graph): nodes
``(:Entity:<Label>)`` keyed by entity id and ``(:Article)`` keyed
``article:<id>``; relationships keyed and ordered as
``PropertyGraph.from_networkx(model_graph(store.to_networkx(True)))`` keys
and orders them, so both give the same rows in the same order.

Every node and relationship read is kept for the life of the object (the
engine compares them by identity); a relationship found by a scan of its
type reads its properties only when a query asks for them.
"""

from __future__ import annotations

import functools
import itertools
import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from kg.embedded_cypher import CountOrder, CountRanking, Node, Relationship
from kg.records import ENTITY_LABELS, PREDICATES

#: Entity type of each type label (Person -> PERSON).
_TYPE_OF_LABEL = {label: entity_type for entity_type, label in ENTITY_LABELS.items()}
_ENTITY = "SELECT id, name, type, aliases, surname FROM entities"
_ARTICLE = "SELECT id, url, title, published, source, author, ingested_at FROM articles"
_ARTICLE_FIELDS = ("url", "title", "published", "source", "author", "ingested_at")
_RELATION = 'SELECT subject, predicate, object, article_id, start, "end", sentence, confidence, rule, amount,' \
            " amount_value, currency FROM relations"
_RELATION_FIELDS = ("end", "sentence", "confidence", "rule", "amount", "amount_value", "currency")
#: Properties find_nodes answers from an index, per table.
_ENTITY_KEYS = {"id", "name", "aliases", "surname"}


class _ScannedRelationship(Relationship):
    """A relation found by a scan of its type: properties read when asked for."""

    __slots__ = ("_graph", "_props")

    def __init__(self, graph: StoreGraph, key: Any, rel_type: str, start: Node, end: Node, order: Any):
        self.key, self.type, self.start, self.end, self.order = key, rel_type, start, end, order
        self._graph, self._props = graph, None

    @property  # type: ignore[override]
    def props(self) -> dict[str, Any]:
        if self._props is None:
            self._props = self._graph._relation_props(self)
        return self._props


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """Neo4j stores no nulls."""
    return {k: v for k, v in values.items() if v is not None}


class StoreGraph:
    """The graph of one SQLite connection, read on demand; see the module doc.

    Use it inside one read transaction (EmbeddedStore.graph() opens one), so
    that everything read comes from the same snapshot.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._entities: dict[str, Node] = {}
        self._articles: dict[str, Node] = {}
        self._relationships: dict[tuple, Relationship] = {}
        self._adjacent: dict[tuple[Any, str, tuple[str, ...]], list[Relationship]] = {}
        self._all: dict[str, list[Node]] = {}  # "entities" / "articles": every one, in order, once read

    # -- nodes -----------------------------------------------------------------

    def _entity(self, row: sqlite3.Row | tuple) -> Node:
        entity_id, name, entity_type, aliases, surname = row
        node = self._entities.get(entity_id)
        if node is None:
            props = {"id": entity_id, "name": name, "type": entity_type,
                     "aliases": json.loads(aliases) if aliases != "[]" else []}
            if surname is not None:
                props["surname"] = surname
            node = self._entities[entity_id] = Node(entity_id, _entity_labels(entity_type), props, (0, entity_id))
        return node

    def _article(self, row: sqlite3.Row) -> Node:
        node = self._articles.get(row["id"])
        if node is None:
            props = _present({"id": row["id"], **{name: row[name] for name in _ARTICLE_FIELDS}})
            key = f"article:{row['id']}"
            node = self._articles[row["id"]] = Node(key, _ARTICLE_LABELS, props, (1, row["id"]))
        return node

    def _entities_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        """The entity nodes of these ids, read in one query for those not yet read."""
        missing = sorted({i for i in ids if i not in self._entities})
        if missing:
            for row in self._conn.execute(f"{_ENTITY} WHERE id IN (SELECT value FROM json_each(?))",
                                          (json.dumps(missing),)):
                self._entity(row)
        return self._entities

    def _articles_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        missing = sorted({i for i in ids if i not in self._articles})
        if missing:
            for row in self._conn.execute(f"{_ARTICLE} WHERE id IN (SELECT value FROM json_each(?))",
                                          (json.dumps(missing),)):
                self._article(row)
        return self._articles

    def _every(self, table: str) -> list[Node]:
        """Every entity or article, in order, read once."""
        if table not in self._all:
            if table == "entities":
                self._all[table] = [self._entity(row) for row in self._tuples(f"{_ENTITY} ORDER BY id")]
            else:
                self._all[table] = [self._article(row) for row in self._conn.execute(f"{_ARTICLE} ORDER BY id")]
        return self._all[table]

    def _tuples(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Rows as plain tuples: cheaper than sqlite3.Row for the reads of a whole table."""
        cursor = self._conn.cursor()
        cursor.row_factory = None
        return cursor.execute(sql, params)

    def nodes(self, label: str | None = None) -> Iterable[Node]:
        if label is None:
            return self._every("entities") + self._every("articles")
        if label == "Article":
            return self._every("articles")
        if label == "Entity":
            return self._every("entities")
        if label in _TYPE_OF_LABEL:
            if "entities" in self._all:
                return [n for n in self._all["entities"] if label in n.labels]
            rows = self._conn.execute(f"{_ENTITY} WHERE type = ? ORDER BY id", (_TYPE_OF_LABEL[label],))
            return [self._entity(row) for row in rows]
        return []

    def node_count(self, label: str) -> int:
        if label == "Article":
            return self._conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        if label == "Entity":
            return self._conn.execute("SELECT count(*) FROM entities").fetchone()[0]
        if label in _TYPE_OF_LABEL:
            return self._conn.execute("SELECT count(*) FROM entities WHERE type = ?",
                                      (_TYPE_OF_LABEL[label],)).fetchone()[0]
        return 0

    def find_nodes(self, label: str | None, key: str, value: Any, *, folded: bool = False) -> list[Node] | None:
        entities = label is None or label == "Entity" or label in _TYPE_OF_LABEL
        articles = label is None or label == "Article"
        if (entities and key not in _ENTITY_KEYS) or (articles and key != "id"):
            return None
        if not isinstance(value, str):
            return []  # every indexed property is a string, and a string equals no other value
        found: list[Node] = []
        if entities:
            if key in ("name", "aliases") and (folded or key == "aliases"):
                # aliases unfolded: the folded look-up finds a superset, which the engine narrows
                sql = f"{_ENTITY} WHERE id IN (SELECT entity_id FROM entity_names WHERE folded = ? AND kind = ?)"
                params: tuple = (value if folded else value.lower(), "name" if key == "name" else "alias")
            elif key == "surname":  # stored lower-cased: toLower changes nothing
                sql, params = f"{_ENTITY} WHERE surname = ?", (value,)
            elif folded:
                return None
            else:
                sql, params = f"{_ENTITY} WHERE {key} = ?", (value,)
            found += [self._entity(row) for row in self._conn.execute(sql, params)]
        if articles:
            if folded:
                return None
            found += [self._article(row) for row in self._conn.execute(f"{_ARTICLE} WHERE id = ?", (value,))]
        return found

    # -- relationships -----------------------------------------------------------

    def _relation(self, row: sqlite3.Row, nodes: dict[str, Node]) -> Relationship:
        key = (row["subject"], row["object"], f"{row['predicate']}:{row['article_id']}:{row['start']}")
        rel = self._relationships.get(key)
        if rel is None:
            props = _present({"article_id": row["article_id"], "start": row["start"],
                              **{name: row[name] for name in _RELATION_FIELDS}})
            order = (0, row["subject"], row["object"], row["predicate"], row["article_id"], row["start"])
            rel = Relationship(key, row["predicate"], nodes[row["subject"]], nodes[row["object"]], props, order)
            self._relationships[key] = rel
        return rel

    def _mention(self, article: Node, entity: Node, count: Any) -> Relationship:
        key = (article.key, entity.key, "MENTIONS")
        rel = self._relationships.get(key)
        if rel is None:
            order = (1, article.props["id"], entity.key)
            rel = Relationship(key, "MENTIONS", article, entity, _present({"count": count}), order)
            self._relationships[key] = rel
        return rel

    def _relation_props(self, rel: Relationship) -> dict[str, Any]:
        subject, obj, _ = rel.key
        _, _, _, predicate, article_id, start = rel.order
        row = self._conn.execute(
            f"{_RELATION} WHERE subject = ? AND predicate = ? AND object = ? AND article_id = ? AND start = ?",
            (subject, predicate, obj, article_id, start)).fetchone()
        return _present({"article_id": article_id, "start": start, **{name: row[name] for name in _RELATION_FIELDS}})

    def relationships(self, node: Node, direction: str, types: tuple[str, ...]) -> Sequence[Relationship]:
        if direction == "both":
            return [*self.relationships(node, "out", types), *self.relationships(node, "in", types)]
        cache_key = (node.key, direction, types)
        found = self._adjacent.get(cache_key)
        if found is not None:
            return found
        predicates = [t for t in types if t in PREDICATES] if types else list(PREDICATES)
        mentions = not types or "MENTIONS" in types
        found = []
        if "Article" in node.labels:
            if direction == "out" and mentions:
                rows = self._conn.execute(
                    "SELECT entity_id, count FROM mentions WHERE article_id = ? ORDER BY entity_id",
                    (node.props["id"],)).fetchall()
                nodes = self._entities_by_id(row["entity_id"] for row in rows)
                found = [self._mention(node, nodes[row["entity_id"]], row["count"]) for row in rows]
        else:
            if predicates:
                mine, other = ("subject", "object") if direction == "out" else ("object", "subject")
                rows = self._conn.execute(
                    f"{_RELATION} WHERE {mine} = ? AND predicate IN ({', '.join('?' * len(predicates))})"
                    f" ORDER BY {other}, predicate, article_id, start", (node.key, *predicates)).fetchall()
                nodes = self._entities_by_id(row[other] for row in rows)
                found = [self._relation(row, nodes) for row in rows]
            if direction == "in" and mentions:
                rows = self._conn.execute(
                    "SELECT article_id, count FROM mentions WHERE entity_id = ? ORDER BY article_id",
                    (node.key,)).fetchall()
                articles = self._articles_by_id(row["article_id"] for row in rows)
                found += [self._mention(articles[row["article_id"]], node, row["count"]) for row in rows]
        self._adjacent[cache_key] = found
        return found

    def relationships_of_type(self, types: tuple[str, ...]) -> Iterable[Relationship]:
        predicates = [t for t in types if t in PREDICATES] if types else list(PREDICATES)
        if predicates:
            nodes = {node.key: node for node in self._every("entities")}
            rows = self._tuples(
                "SELECT subject, predicate, object, article_id, start FROM relations"
                f" WHERE predicate IN ({', '.join('?' * len(predicates))})"
                " ORDER BY subject, object, predicate, article_id, start", predicates)
            for row in rows:
                subject, predicate, obj, article_id, start = row
                key = (subject, obj, f"{predicate}:{article_id}:{start}")
                rel = self._relationships.get(key)
                if rel is None:
                    order = (0, subject, obj, predicate, article_id, start)
                    rel = _ScannedRelationship(self, key, predicate, nodes[subject], nodes[obj], order)
                    self._relationships[key] = rel
                yield rel
        if not types or "MENTIONS" in types:
            articles = {node.props["id"]: node for node in self._every("articles")}
            entities = {node.key: node for node in self._every("entities")}
            for row in self._conn.execute("SELECT article_id, entity_id, count FROM mentions"
                                          " ORDER BY article_id, entity_id"):
                yield self._mention(articles[row["article_id"]], entities[row["entity_id"]], row["count"])

    def relationship_counts(self, direction: str, types: tuple[str, ...], other_label: str | None,
                            ranking: CountRanking | None = None) -> Iterable[tuple[Node, str, int]]:
        """Counted by SQLite, both ways summed there: one row per node and
        type, in the order of node and type; ranked there too when it can."""
        predicates = [t for t in types if t in PREDICATES] if types else list(PREDICATES)
        mentions = not types or "MENTIONS" in types
        selects: list[str] = []
        params: list[Any] = []
        entity_end = other_label is None or other_label == "Entity" or other_label in _TYPE_OF_LABEL
        if predicates and entity_end:
            wanted = ", ".join("?" * len(predicates))
            ways = []
            if direction in ("out", "both"):
                ways.append(("subject", "object", ""))
            if direction in ("in", "both"):
                ways.append(("object", "subject", " AND r.subject <> r.object" if direction == "both" else ""))
            for mine, other, loops in ways:
                if other_label in _TYPE_OF_LABEL:
                    join, typed = f" JOIN entities AS o ON o.id = r.{other}", " AND o.type = ?"
                else:
                    join, typed = "", ""  # both ends of every relation are entities
                # by object, "+" keeps SQLite off relations_predicate: relations_object_predicate holds the
                # rows in the order of the groups, where the other would sort them all first
                predicate = "+r.predicate" if mine == "object" else "r.predicate"
                selects.append(f"SELECT r.{mine} AS node, 0 AS article, r.predicate AS type, count(*) AS n"
                               f" FROM relations AS r{join} WHERE {predicate} IN ({wanted}){loops}{typed}"
                               f" GROUP BY r.{mine}, r.predicate")
                params += predicates + ([_TYPE_OF_LABEL[other_label]] if typed else [])
        if mentions and direction in ("out", "both") and entity_end:
            join, typed = ((" JOIN entities AS e ON e.id = m.entity_id", " WHERE e.type = ?")
                           if other_label in _TYPE_OF_LABEL else ("", ""))
            selects.append(f"SELECT m.article_id AS node, 1 AS article, 'MENTIONS' AS type, count(*) AS n"
                           f" FROM mentions AS m{join}{typed}"
                           " GROUP BY m.article_id")
            params += [_TYPE_OF_LABEL[other_label]] if typed else []
        if mentions and direction in ("in", "both") and other_label in (None, "Article"):
            selects.append("SELECT entity_id AS node, 0 AS article, 'MENTIONS' AS type, count(*) AS n FROM mentions"
                           " GROUP BY entity_id")
        if not selects:
            return []
        counts = (f"SELECT node, article, type, sum(n) AS n FROM ({' UNION ALL '.join(selects)})"
                  " GROUP BY node, article, type")
        if ranking is not None and _ranks(ranking, mentions):
            return self._top_counts(counts, params, ranking)
        entities = {node.key: node for node in self._every("entities")}
        articles = {node.props["id"]: node for node in self._every("articles")} if mentions else {}
        rows = self._tuples(f"{counts} ORDER BY node, article, type", params)
        return [((articles if article else entities)[node], rel_type, n) for node, article, rel_type, n in rows]

    def _top_counts(self, counts: str, params: list[Any], ranking: CountRanking) -> list[tuple[Node, str, int]]:
        """The entity rows of ``counts`` that ``ranking`` keeps, ranked by SQLite
        and in the order of node and type; only their entities are read.

        The candidates (each row, or each node's rows added up when summed)
        are first ranked by the leading keys that need no entity (type,
        count): rank() keeps every candidate tied at the cut, so none that
        the full order keeps is lost, and only those few are joined to their
        entities and ranked by every key, ties by node and type."""
        partition = "PARTITION BY rel_type " if ranking.per_type else ""
        leading = list(itertools.takewhile(lambda key: key.by != "property", ranking.order))
        params = list(params)
        typed = ""
        if ranking.node_label in _TYPE_OF_LABEL:
            typed = " JOIN entities AS e ON e.id = c.node AND e.type = ?"
            params.append(_TYPE_OF_LABEL[ranking.node_label])
        if ranking.summed:
            candidates = (f"SELECT c.node, NULL AS rel_type, sum(c.n) AS n FROM counts AS c{typed}"
                          " WHERE c.article = 0 GROUP BY c.node")
        else:
            candidates = f"SELECT c.node, c.type AS rel_type, c.n FROM counts AS c{typed} WHERE c.article = 0"
        # summed, counts is read twice: MATERIALIZED counts once
        sql = f"WITH counts AS {'MATERIALIZED ' if ranking.summed else ''}({counts}), candidates AS ({candidates})"
        source = "candidates"
        if leading:
            sql += (f", leaders AS (SELECT node, rel_type, n FROM (SELECT node, rel_type, n, rank() OVER"
                    f" ({partition}ORDER BY {_sql_order(leading)}) AS place FROM candidates AS c) WHERE place <= ?)")
            params.append(ranking.limit)
            source = "leaders"
        sql += (f", kept AS (SELECT node, rel_type, n FROM (SELECT c.node, c.rel_type, c.n, row_number() OVER"
                f" ({partition}ORDER BY {_sql_order(ranking.order)}, c.node, c.rel_type) AS place"
                f" FROM {source} AS c JOIN entities AS e ON e.id = c.node) WHERE place <= ?)")
        params.append(ranking.limit)
        if ranking.summed:
            sql += " SELECT node, type AS rel_type, n FROM counts WHERE article = 0 AND node IN (SELECT node FROM kept)"
        else:
            sql += " SELECT node, rel_type, n FROM kept"
        rows = self._tuples(f"{sql} ORDER BY node, rel_type", params).fetchall()
        nodes = self._entities_by_id(node for node, _, _ in rows)
        return [(nodes[node], rel_type, n) for node, rel_type, n in rows]


#: Entity properties SQLite orders as the engine does: text, never null.
_SORTABLE = {"id", "name", "type"}


def _ranks(ranking: CountRanking, mentions: bool) -> bool:
    """Whether SQLite can rank these counts: every node an entity, every key a column."""
    entities = ranking.node_label == "Entity" or ranking.node_label in _TYPE_OF_LABEL or (
        ranking.node_label is None and not mentions)
    return entities and all(key.by != "property" or key.key in _SORTABLE for key in ranking.order)


def _sql_order(keys: Iterable[CountOrder]) -> str:
    """ORDER BY terms over the candidates (c) and their entities (e)."""
    columns = {"type": "c.rel_type", "count": "c.n"}
    return ", ".join(f"{columns.get(key.by) or 'e.' + key.key}{' DESC' if key.descending else ''}" for key in keys)


_ARTICLE_LABELS = frozenset(("Article",))


@functools.lru_cache(maxsize=None)
def _entity_labels(entity_type: str) -> frozenset[str]:
    """The labels of an entity node of this type."""
    return frozenset(("Entity", ENTITY_LABELS.get(entity_type, str(entity_type))))
