"""The embedded store read as a graph (kg.store.embedded_graph) and its schema.

`kg query` on the embedded store reads through EmbeddedStore.graph(): indexed
SQLite look-ups that give the same graph, in the same order, as the whole
store loaded into networkx (PropertyGraph.from_networkx), so the engine
returns the same rows either way; anchored queries read only the anchor's
neighbourhood. tests/data/store-v1/kg.sqlite was written by kg at commit
5051bee (schema version 1: two articles, three entities, three relations;
switched from WAL to a rollback journal so that it is one file).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kg import embedded_cypher as ec
from kg.export import model_graph
from kg.query import load_query, plain, run_query
from kg.records import Article, ArticleGraph, Entity
from kg.store import embedded
from kg.store.embedded import SCHEMA_VERSION, EmbeddedStore
from tests.test_query import fictional_graphs

OLD_STORE = Path(__file__).parent / "data" / "store-v1" / "kg.sqlite"


@pytest.fixture
def store(tmp_path):
    with EmbeddedStore(tmp_path / "kg-data") as store:
        store.write(fictional_graphs())
        yield store


def _in_memory(store: EmbeddedStore) -> ec.PropertyGraph:
    return ec.PropertyGraph.from_networkx(model_graph(store.to_networkx(include_articles=True)))


def _rows(graph, text: str, params: dict | None = None) -> list:
    result = ec.run(graph, text, params or {})
    return plain([[_value(v) for v in row] for row in result.rows])


def _value(value):
    """Nodes and relationships by their kg identity, so two graphs compare."""
    if isinstance(value, ec.Node):
        return {"node": value.props.get("id"), "labels": sorted(value.labels), "props": value.props}
    if isinstance(value, ec.Relationship):
        return {"rel": value.type, "start": value.start.props["id"], "end": value.end.props["id"],
                "props": value.props}
    if isinstance(value, ec.Path):
        return {"path": [_value(n) for n in value.nodes], "rels": [_value(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    return value


# -- the same rows as the whole graph in memory ------------------------------------------------

LIBRARY_CASES = [
    ("entity-profile", {"name": "bram holloway"}),
    ("entity-profile", {"name": "NCF"}),
    ("endorsements-of", {"name": "Holloway"}),
    ("endorsements-by", {"name": "Ada Quill"}),
    ("donations-to", {"name": "Bram Holloway"}),
    ("donations-by", {"name": "Lumen Works"}),
    ("critics-of", {"name": "Bram Holloway"}),
    ("targets-of", {"name": "Cleo Marsh"}),
    ("relation-evidence", {"subject": "Ada Quill", "object": "Bram Holloway"}),
    ("relations-over-time", {"name": "Quill"}),
    ("entity-network", {"name": "Ada Quill"}),
    ("shortest-path", {"source": "Ada Quill", "target": "Port Evren"}),
    ("most-connected", {"top": 2}),
    ("hubs", {"top": 3}),
    ("mutual-criticism", {}),
    ("entities", {"text": "or"}),
]

AD_HOC = [
    # counted per node and type by the store (unordered on purpose: the order must agree too)
    "MATCH (e:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity) RETURN type(r) AS t, e.name, count(r) AS n",
    "MATCH (e:Person)<-[r]-(x) RETURN e.name, type(r), count(*)",
    "MATCH (a:Article)-[r:MENTIONS]->(e:Person) RETURN a.id, count(r)",
    "MATCH (e)-[r]->(:Organization) RETURN type(r), count(*)",
    "MATCH (e)<-[r:MENTIONS]-(:Article) RETURN e.name, count(r)",
    "MATCH ()-[r]-() RETURN count(r)",
    "MATCH (a:Article)-[r:MENTIONS]->(:Person) WITH a, type(r) AS t, count(r) AS n RETURN a.id, t, n ORDER BY a.id",
    "MATCH (:Nobody)-[r]-() RETURN count(r)",
    # scans, look-ups and chains matched from either end
    "MATCH (a)-[r:CRITICIZED]->(b) RETURN a.name, b.name, r.start",
    "MATCH (a:Article {id: 'a3'})-[:MENTIONS]->(e) RETURN e.name",
    "MATCH (e:Entity) WHERE e.surname = 'quill' RETURN e.name",
    "MATCH (e:Entity) WHERE 'Senator Holloway' IN e.aliases RETURN e.name",
    "MATCH (e:Entity) WHERE any(a IN e.aliases WHERE a = 'NCF') RETURN e.name",
    "MATCH (x)-[r]->(e:Entity) WHERE e.name = 'Bram Holloway' RETURN x.name, type(r), r.article_id",
    "MATCH (n) RETURN n ORDER BY n",
    "MATCH ()-[r]->() RETURN r ORDER BY r",
    "MATCH (e:Entity {id: 'person:ada quill'})-[r*1..2]-(x) RETURN x.name, size(r)",
    # counted, then only the first few kept: ranked by the store (the in-memory graph breaks ties otherwise)
    ("MATCH (e:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity) WITH type(r) AS t, e, count(r) AS n"
     " ORDER BY n DESC, e.id, t LIMIT 3 RETURN t, e.name, n"),
    ("MATCH (e:Person)-[r]->() WITH type(r) AS t, e, count(*) AS n ORDER BY e.name DESC, t SKIP 1 LIMIT 2"
     " RETURN t, e.name, n"),
    ("MATCH (e:Entity)-[r:CRITICIZED]->(:Person) WITH e, type(r) AS t, count(r) AS n ORDER BY n DESC, e.id LIMIT 1"
     " RETURN *"),
    ("MATCH (e:Entity)<-[r:MENTIONS]-(:Article) WITH type(r) AS t, e, count(r) AS n ORDER BY n, e.id LIMIT 2"
     " RETURN e.name, n"),
    ("MATCH (e:Organization)-[r]-(:Entity) WITH type(r) AS t, e, count(r) AS n ORDER BY n DESC, e.type, e.id, t"
     " WITH collect({e: e.name, n: n}) AS ranked UNWIND ranked[0..2] AS x RETURN x"),
    ("MATCH (e)-[r]-() WITH type(r) AS t, e, count(r) AS n ORDER BY t, n DESC, e.id"
     " WITH t, collect([e.id, n]) AS ranked UNWIND ranked[..1] AS first RETURN t, first"),
    "MATCH (e:Entity)-[r]-(:Entity) WITH e, count(r) AS n ORDER BY n DESC, e.id LIMIT 2 RETURN e.name, n",
    ("MATCH (e:Person)-[r]->() WITH e, count(*) AS n ORDER BY n DESC, e.name"
     " WITH collect([e.name, n]) AS ranked UNWIND ranked[0..2] AS x RETURN x"),
    ("MATCH (e:Entity)-[r]-(:Entity) WITH type(r) AS t, e, count(r) AS n ORDER BY t, n DESC, e.aliases, e.id"
     " WITH t, collect(e.name) AS ranked UNWIND ranked[0..1] AS first RETURN t, first"),
]


@pytest.mark.parametrize("name, params", LIBRARY_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(LIBRARY_CASES)])
def test_library_queries_give_the_rows_of_the_whole_graph_in_memory(store, name, params):
    entry = load_query(name)
    params = entry.bind(params)
    expected = _rows(_in_memory(store), entry.text, params)
    with store.graph() as graph:
        assert _rows(graph, entry.text, params) == expected
    assert expected, f"{name} finds nothing in the fictional graphs"


@pytest.mark.parametrize("text", AD_HOC)
def test_ad_hoc_queries_give_the_rows_of_the_whole_graph_in_memory(store, text):
    expected = _rows(_in_memory(store), text)
    with store.graph() as graph:
        assert _rows(graph, text) == expected


# -- reads proportional to the answer ------------------------------------------------------------


class _Recording:
    """A GraphAccess that notes which of its methods the engine called, and with what."""

    def __init__(self, graph):
        self.graph, self.calls, self.arguments = graph, [], []

    def __getattr__(self, name):
        method = getattr(self.graph, name)

        def recorded(*args, **kwargs):
            self.calls.append(name)
            self.arguments.append(args)
            return method(*args, **kwargs)

        return recorded


ANCHORED = ["entity-profile", "endorsements-of", "endorsements-by", "donations-to", "donations-by", "critics-of",
            "targets-of", "relation-evidence", "relations-over-time", "entity-network", "shortest-path"]


@pytest.mark.parametrize("name", ANCHORED)
def test_anchored_library_queries_read_no_whole_label_or_relationship_type(store, name):
    entry = load_query(name)
    params = entry.bind(dict(next(p for n, p in LIBRARY_CASES if n == name)))
    with store.graph() as graph:
        recording = _Recording(graph)
        list(ec.run(recording, entry.text, params).rows)
    assert {"find_nodes", "relationships"} >= set(recording.calls)


def test_most_connected_counts_in_the_store_instead_of_reading_relationships(store):
    entry = load_query("most-connected")
    with store.graph() as graph:
        recording = _Recording(graph)
        list(ec.run(recording, entry.text, entry.bind({})).rows)
    assert recording.calls == ["relationship_counts"]


# -- counts the query keeps only the first few of, ranked by the store ---------------------------

RELATION_TYPES = ("ENDORSES", "DONATED_TO", "CRITICIZED")
#: most-connected's ORDER BY relation, degree DESC, e.name, e.id
BY_TYPE_DEGREE_NAME_ID = (ec.CountOrder("type"), ec.CountOrder("count", descending=True),
                          ec.CountOrder("property", key="name"), ec.CountOrder("property", key="id"))
MOST_CONNECTED = ("MATCH (e:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity)"
                  " WITH type(r) AS relation, e, count(r) AS degree ORDER BY relation, degree DESC, e.name, e.id")


def test_most_connected_asks_the_store_for_the_first_of_each_relation_type_only(store):
    entry = load_query("most-connected")
    with store.graph() as graph:
        recording = _Recording(graph)
        list(ec.run(recording, entry.text, entry.bind({"top": 2})).rows)
    ranking = ec.CountRanking(BY_TYPE_DEGREE_NAME_ID, limit=2, per_type=True, node_label="Entity")
    assert recording.arguments == [("both", RELATION_TYPES, "Entity", ranking)]


def test_order_by_and_limit_after_counting_ask_for_the_first_rows_in_all(store):
    text = ("MATCH (e:Person)-[r]->() WITH type(r) AS t, e, count(*) AS n ORDER BY count(*) DESC, e.name"
            " SKIP 1 LIMIT $top RETURN t, e.name, n")
    with store.graph() as graph:
        recording = _Recording(graph)
        list(ec.run(recording, text, {"top": 2}).rows)
    order = (ec.CountOrder("count", descending=True), ec.CountOrder("property", key="name"))
    assert recording.arguments == [("out", (), None, ec.CountRanking(order, limit=3, per_type=False,
                                                                     node_label="Person"))]


def test_hubs_asks_the_store_for_the_first_entities_by_their_counts_added_up(store):
    entry = load_query("hubs")
    with store.graph() as graph:
        recording = _Recording(graph)
        list(ec.run(recording, entry.text, entry.bind({"top": 3})).rows)
    by_degree_name_id = BY_TYPE_DEGREE_NAME_ID[1:]
    ranking = ec.CountRanking(by_degree_name_id, limit=3, per_type=False, node_label="Entity", summed=True)
    assert recording.arguments == [("both", RELATION_TYPES, "Entity", ranking)]


@pytest.mark.parametrize("rest", [
    # the whole list reaches the result
    "WITH relation, collect({e: e.name}) AS ranked UNWIND ranked[0..2] AS top RETURN top, size(ranked)",
    "WITH relation, collect({e: e.name}) AS ranked UNWIND ranked[0..2] AS top RETURN *",
    # a null is not collected, so the first n elements may come from more rows
    "WITH relation, collect(e.surname) AS ranked UNWIND ranked[0..2] AS top RETURN relation, top",
    # not the first elements
    "WITH relation, collect({e: e.name}) AS ranked UNWIND ranked[1..3] AS top RETURN relation, top",
    "WITH relation, collect({e: e.name}) AS ranked UNWIND ranked[0..-1] AS top RETURN relation, top",
    # filtered before they are collected
    "WHERE degree > 1 WITH relation, collect({e: e.name}) AS ranked UNWIND ranked[0..2] AS top RETURN top",
    # grouped by more than the type
    "WITH relation, degree, collect({e: e.name}) AS ranked UNWIND ranked[0..2] AS top RETURN relation, top",
    # every row sorted and kept
    "RETURN relation, e.name, degree",
])
def test_counts_are_not_ranked_when_rows_past_the_first_can_reach_the_result(store, rest):
    with store.graph() as graph:
        recording = _Recording(graph)
        list(ec.run(recording, f"{MOST_CONNECTED} {rest}").rows)
    assert recording.arguments == [("both", RELATION_TYPES, "Entity", None)]


@pytest.mark.parametrize("counting", [
    "WITH type(r) AS relation, e, count(r) AS degree ORDER BY size(e.name) LIMIT 2",
    "WITH type(r) AS relation, count(r) AS degree ORDER BY degree DESC LIMIT 1",  # every node in each count
])
def test_counts_are_not_ranked_when_the_order_or_the_rows_are_not_the_counts(store, counting):
    with store.graph() as graph:
        recording = _Recording(graph)
        list(ec.run(recording, f"MATCH (e:Entity)-[r]-(:Entity) {counting} RETURN *").rows)
    assert recording.arguments == [("both", (), "Entity", None)]


def ranked(store, ranking, key="name", direction="both", label="Entity"):
    """(the node's `key` property, type, count) of each row the store ranks."""
    with store.graph() as graph:
        return [(node.props[key], rel_type, n)
                for node, rel_type, n in graph.relationship_counts(direction, RELATION_TYPES, label, ranking)]


def test_ranked_counts_are_the_first_of_each_type_in_node_order(store):
    ranking = ec.CountRanking(BY_TYPE_DEGREE_NAME_ID, limit=2, per_type=True, node_label="Entity")
    rows = ranked(store, ranking)
    assert rows == [("Lumen Works", "DONATED_TO", 2),
                    ("Ada Quill", "CRITICIZED", 2), ("Ada Quill", "ENDORSES", 2),
                    ("Bram Holloway", "CRITICIZED", 3), ("Bram Holloway", "DONATED_TO", 2),
                    ("Bram Holloway", "ENDORSES", 3)]


def test_a_tie_at_the_cut_goes_to_the_row_that_comes_first(store):
    by_degree = (ec.CountOrder("count", descending=True),)
    ranking = ec.CountRanking(by_degree, limit=1, per_type=True, node_label="Entity")
    rows = ranked(store, ranking, "id")
    # Lumen Works, Northwind Civic Fund and Bram Holloway each have 2 donations
    assert rows == [("org:lumen works", "DONATED_TO", 2), ("person:bram holloway", "CRITICIZED", 3),
                    ("person:bram holloway", "ENDORSES", 3)]


def test_summed_counts_bring_back_every_row_of_the_entities_kept(store):
    by_degree = (ec.CountOrder("count", descending=True),)
    ranking = ec.CountRanking(by_degree, limit=1, per_type=False, node_label="Entity", summed=True)
    rows = ranked(store, ranking)
    # 8 in all, Ada Quill next with 4
    assert rows == [("Bram Holloway", "CRITICIZED", 3), ("Bram Holloway", "DONATED_TO", 2),
                    ("Bram Holloway", "ENDORSES", 3)]


def test_ranked_counts_of_one_entity_type(store):
    by_degree = (ec.CountOrder("count", descending=True),)
    ranking = ec.CountRanking(by_degree, limit=1, per_type=False, node_label="Organization")
    rows = ranked(store, ranking, "id", direction="out", label=None)
    # Lumen Works and Northwind Civic Fund each gave twice; the people are not ranked
    assert rows == [("org:lumen works", "DONATED_TO", 2)]


@pytest.mark.parametrize("order", [(ec.CountOrder("property", key="aliases"),),  # a list: ordered by the engine
                                   (ec.CountOrder("property", key="surname"),)])  # null for some entities
def test_counts_ranked_by_a_property_sqlite_cannot_order_come_back_whole(store, order):
    ranking = ec.CountRanking(order, limit=1, per_type=False, node_label="Entity")
    with store.graph() as graph:
        ranked = list(graph.relationship_counts("both", RELATION_TYPES, "Entity", ranking))
        every = list(graph.relationship_counts("both", RELATION_TYPES, "Entity"))
    assert ranked == every and len(every) == 12


def test_a_name_or_alias_in_any_case_is_one_look_up(store):
    with store.graph() as graph:
        by_alias = graph.find_nodes("Entity", "aliases", "senator holloway", folded=True)
        by_name = graph.find_nodes("Entity", "name", "bram holloway", folded=True)
        upper = graph.find_nodes("Entity", "name", "BRAM HOLLOWAY", folded=True)
        not_a_string = graph.find_nodes("Entity", "name", 7)
        unindexed = graph.find_nodes("Entity", "type", "PERSON")
    assert [n.props["id"] for n in by_alias] == [n.props["id"] for n in by_name] == ["person:bram holloway"]
    assert (upper, not_a_string, unindexed) == ([], [], None)


def test_aliases_added_by_a_later_write_are_found(store):
    ada = Entity("person:ada quill", "Ada Quill", "PERSON", ("Mayor Quill",), 1)
    store.write([ArticleGraph(Article("a9", "", title="Later"), (ada,), ())])
    result = run_query(store, load_query("entity-profile").text, {"name": "MAYOR QUILL"})
    assert [row[:3] for row in result.rows] == [["Ada Quill", "PERSON", ["Mayor Quill", "Quill"]]]


def test_kg_query_imports_neither_networkx_nor_spacy(store):
    script = ("import atexit, sys\n"
              "atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules}"
              " & {'networkx', 'spacy', 'neo4j', 'pandas', 'numpy'}), file=sys.stderr))\n"
              "from kg.cli import app\nsys.argv[0] = 'kg'\napp()\n")
    done = subprocess.run([sys.executable, "-c", script, "query", "endorsements-of", "--param", "name=Bram Holloway",
                           "--data-dir", str(store.directory), "--format", "json"],
                          capture_output=True, text=True, env=_without_neo4j(), check=True)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert '"endorser": "Ada Quill"' in done.stdout


def _without_neo4j() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}


# -- schema and migration -----------------------------------------------------------------------


def _old_store(tmp_path: Path) -> Path:
    directory = tmp_path / "kg-data"
    directory.mkdir()
    shutil.copy(OLD_STORE, directory / "kg.sqlite")
    return directory


def _schema(path: Path) -> tuple[int, set[str]]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")}
        return version, names
    finally:
        conn.close()


def test_the_store_file_comes_from_the_previous_release():
    assert _schema(OLD_STORE) == (1, {"articles", "entities", "mentions", "relations", "entities_surname",
                                      "mentions_entity", "relations_object", "relations_article"})


def test_a_store_of_the_previous_release_is_migrated_on_open(tmp_path):
    directory = _old_store(tmp_path)
    with EmbeddedStore(directory) as store:
        counts = store.counts()
        profile = run_query(store, load_query("entity-profile").text, {"name": "senator quill"})
        donations = run_query(store, load_query("donations-to").text, load_query("donations-to").bind({"name": "QUILL"}))
    version, names = _schema(directory / "kg.sqlite")
    assert version == SCHEMA_VERSION == 2
    assert {"entity_names", "entities_name", "relations_object_predicate", "relations_predicate"} <= names
    assert "relations_object" not in names
    assert counts["nodes"]["Person"] == 2 and counts["relationships"]["DONATED_TO"] == 1
    assert [row[:3] for row in profile.rows] == [["Ada Quill", "PERSON", ["Quill", "Senator QUILL"]]]
    assert [row[:4] for row in donations.rows] == [["Northwind Civic Fund", "Ada Quill", 1, 5000.0]]


def test_a_failed_migration_leaves_the_store_as_the_previous_release_wrote_it(tmp_path, monkeypatch):
    directory = _old_store(tmp_path)
    before = _schema(directory / "kg.sqlite")

    def migrate_then_fail(conn):
        embedded._migrate_to_2(conn)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(embedded.MIGRATIONS, 1, migrate_then_fail)
    with pytest.raises(Exception, match="disk I/O error"):
        EmbeddedStore(directory)
    assert _schema(directory / "kg.sqlite") == before
