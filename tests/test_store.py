"""Both graph stores, one behaviour per test.

Every test taking ``store`` runs twice: on an EmbeddedStore in a temporary
directory and on Neo4j at NEO4J_URI (default bolt://localhost:7687, user
NEO4J_USERNAME / NEO4J_PASSWORD, database NEO4J_DATABASE). The test suite owns
that Neo4j database: it is wiped (MATCH (n) DETACH DELETE n) before each test.
Without a server the Neo4j variants are skipped; set KG_REQUIRE_NEO4J=1 to
make them fail instead. Start one with ``scripts/neo4j start``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import traceback
from datetime import datetime
from pathlib import Path

import pytest

import kg.store.embedded as embedded_module
import kg.store.neo4j as neo4j_module
from kg.errors import AuthFailed, StoreError, StoreUnavailable
from kg.records import Article, ArticleGraph, Entity, Relation, WriteStats
from kg.store.embedded import EmbeddedStore
from kg.store.neo4j import Neo4jStore, schema_statements
from tests.conftest import NEO4J, cypher, open_neo4j

REPO = Path(__file__).resolve().parents[1]

NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE = NEO4J.uri, NEO4J.user, NEO4J.password, NEO4J.database


# -- fictional records ---------------------------------------------------------

VENN = "person:orla venn"
QUILL = "person:tobias quill"
HARBOR = "org:harbor alliance"
VALDORIANS = "norp:valdorians"
ELLERY = "gpe:port ellery"


def article(article_id: str, **fields) -> Article:
    defaults = {
        "title": f"Title of {article_id}",
        "url": f"https://news.example/{article_id}",
        "published": "2024-03-01",
        "source": "Example Gazette",
        "author": "Mina Sorrel",
    }
    defaults.update(fields)
    return Article(id=article_id, text=f"Text of {article_id}.", **defaults)


def entity(
    entity_id: str, name: str, entity_type: str = "PERSON", aliases=(), mentions=1
) -> Entity:
    return Entity(
        id=entity_id,
        name=name,
        type=entity_type,
        aliases=tuple(aliases),
        mentions=mentions,
    )


def relation(subject, predicate, obj, article_id, start=0, **fields) -> Relation:
    values = {
        "sentence": f"{subject} {predicate} {obj}.",
        "end": start + 40,
        "confidence": 0.9,
        "rule": "test-rule",
    }
    values.update(fields)
    return Relation(
        subject=subject,
        predicate=predicate,
        object=obj,
        article_id=article_id,
        start=start,
        **values,
    )


def graph_a1() -> ArticleGraph:
    """Venn endorses Quill; Harbor Alliance gives Quill money; in Port Ellery."""
    return ArticleGraph(
        article=article("a1"),
        entities=(
            entity(VENN, "Orla Venn", aliases=("Mayor Venn",), mentions=3),
            entity(QUILL, "Tobias Quill", mentions=2),
            entity(HARBOR, "Harbor Alliance", "ORG"),
            entity(ELLERY, "Port Ellery", "GPE"),
        ),
        relations=(
            relation(
                VENN,
                "ENDORSES",
                QUILL,
                "a1",
                0,
                sentence="Mayor Venn endorsed Tobias Quill.",
            ),
            relation(
                HARBOR,
                "DONATED_TO",
                QUILL,
                "a1",
                60,
                sentence="Harbor Alliance gave $5,000 to Quill.",
                confidence=0.75,
                rule="gave-to",
                amount="$5,000",
                amount_value=5000.0,
                currency="USD",
            ),
        ),
    )


def graph_a2() -> ArticleGraph:
    """Quill criticizes Venn; the Valdorians are mentioned."""
    return ArticleGraph(
        article=article("a2", title="Quill hits back", author=None),
        entities=(
            entity(QUILL, "Tobias Quill", aliases=("T. Quill",)),
            entity(VENN, "Orla Venn"),
            entity(VALDORIANS, "Valdorians", "NORP"),
        ),
        relations=(
            relation(
                QUILL, "CRITICIZED", VENN, "a2", 10, sentence="Quill attacked Venn."
            ),
        ),
    )


EMPTY_COUNTS = {
    "nodes": {"Article": 0, "Person": 0, "Organization": 0, "Group": 0, "Place": 0},
    "relationships": {"MENTIONS": 0, "ENDORSES": 0, "DONATED_TO": 0, "CRITICIZED": 0},
}


def snapshot(store, include_articles=True):
    g = store.to_networkx(include_articles=include_articles)
    return list(g.nodes(data=True)), list(g.edges(keys=True, data=True))


def without_ingested_at(nodes):
    return [
        (key, {k: v for k, v in data.items() if k != "ingested_at"})
        for key, data in nodes
    ]


# -- writing -------------------------------------------------------------------


def test_write_then_counts(store):
    stats = store.write([graph_a1(), graph_a2()])

    assert stats == WriteStats(
        articles=2,
        entities=5,
        relations=3,
        relations_by_type={"ENDORSES": 1, "DONATED_TO": 1, "CRITICIZED": 1},
    )
    assert store.counts() == {
        "nodes": {"Article": 2, "Person": 2, "Organization": 1, "Group": 1, "Place": 1},
        "relationships": {
            "MENTIONS": 7,
            "ENDORSES": 1,
            "DONATED_TO": 1,
            "CRITICIZED": 1,
        },
    }


def test_empty_store_counts_zeros(store):
    assert store.counts() == EMPTY_COUNTS


def test_empty_batch_writes_nothing(store):
    stats = store.write([])

    assert stats.articles == stats.entities == stats.relations == 0
    assert store.counts() == EMPTY_COUNTS


def test_rewriting_the_same_batch_changes_nothing(store):
    store.write([graph_a1(), graph_a2()])
    counts_before = store.counts()
    nodes_before, edges_before = snapshot(store)

    store.write([graph_a1(), graph_a2()])

    assert store.counts() == counts_before
    nodes_after, edges_after = snapshot(store)
    assert nodes_after == nodes_before
    assert edges_after == edges_before


def test_ingested_at_set_on_first_write_and_kept_on_rewrite(store, monkeypatch):
    store.write([graph_a1()])
    first = store.to_networkx(include_articles=True).nodes["article:a1"]["ingested_at"]
    assert datetime.fromisoformat(first).tzinfo is not None

    later = "2099-12-31T23:59:59+00:00"
    monkeypatch.setattr(embedded_module, "now_iso", lambda: later)
    monkeypatch.setattr(neo4j_module, "now_iso", lambda: later)
    store.write([graph_a1(), graph_a2()])

    nodes = store.to_networkx(include_articles=True).nodes
    assert nodes["article:a1"]["ingested_at"] == first
    assert nodes["article:a2"]["ingested_at"] == later


def test_aliases_become_sorted_union_over_articles(store):
    store.write([graph_a1()])  # Venn: ("Mayor Venn",)
    second = ArticleGraph(
        article=article("a3"),
        entities=(
            entity(
                VENN, "Orla Venn", aliases=("O. Venn", "Mayor Venn", "Councillor Venn")
            ),
        ),
    )

    store.write([second])

    assert store.to_networkx().nodes[VENN]["aliases"] == [
        "Councillor Venn",
        "Mayor Venn",
        "O. Venn",
    ]


def test_second_write_keeps_first_name(store):
    store.write([graph_a1()])
    renamed = ArticleGraph(
        article=article("a3"), entities=(entity(VENN, "Orla B. Vennington"),)
    )

    store.write([renamed])

    assert store.to_networkx().nodes[VENN]["name"] == "Orla Venn"
    assert store.people_by_surname(["vennington"]) == {}
    assert store.people_by_surname(["venn"]) == {"venn": [VENN]}


def test_same_relation_twice_in_a_batch_gives_one_edge(store):
    g = graph_a1()
    doubled = ArticleGraph(
        article=g.article, entities=g.entities, relations=g.relations + g.relations[:1]
    )

    stats = store.write([doubled, graph_a1()])

    assert stats.relations == 2
    assert stats.relations_by_type == {"ENDORSES": 1, "DONATED_TO": 1, "CRITICIZED": 0}
    assert store.counts()["relationships"]["ENDORSES"] == 1
    assert store.to_networkx().number_of_edges(VENN, QUILL) == 1


def test_relations_from_two_sentences_give_two_edges(store):
    g = ArticleGraph(
        article=article("a1"),
        entities=(entity(VENN, "Orla Venn"), entity(QUILL, "Tobias Quill")),
        relations=(
            relation(VENN, "ENDORSES", QUILL, "a1", 0, sentence="Venn backs Quill."),
            relation(
                VENN, "ENDORSES", QUILL, "a1", 120, sentence="Venn again backs Quill."
            ),
        ),
    )

    store.write([g])

    edges = store.to_networkx().get_edge_data(VENN, QUILL)
    assert sorted(edges) == ["ENDORSES:a1:0", "ENDORSES:a1:120"]
    assert edges["ENDORSES:a1:120"]["sentence"] == "Venn again backs Quill."
    assert store.counts()["relationships"]["ENDORSES"] == 2


def test_to_networkx_nodes_and_edge_attributes(store):
    store.write([graph_a1()])

    g = store.to_networkx()

    assert list(g.nodes(data=True)) == [
        (ELLERY, {"name": "Port Ellery", "type": "GPE", "aliases": []}),
        (HARBOR, {"name": "Harbor Alliance", "type": "ORG", "aliases": []}),
        (VENN, {"name": "Orla Venn", "type": "PERSON", "aliases": ["Mayor Venn"]}),
        (QUILL, {"name": "Tobias Quill", "type": "PERSON", "aliases": []}),
    ]
    assert list(g.edges(keys=True, data=True)) == [
        (
            HARBOR,
            QUILL,
            "DONATED_TO:a1:60",
            {
                "type": "DONATED_TO",
                "sentence": "Harbor Alliance gave $5,000 to Quill.",
                "article_id": "a1",
                "article_title": "Title of a1",
                "url": "https://news.example/a1",
                "published": "2024-03-01",
                "start": 60,
                "end": 100,
                "confidence": 0.75,
                "rule": "gave-to",
                "amount": "$5,000",
                "amount_value": 5000.0,
                "currency": "USD",
            },
        ),
        (
            VENN,
            QUILL,
            "ENDORSES:a1:0",
            {
                "type": "ENDORSES",
                "sentence": "Mayor Venn endorsed Tobias Quill.",
                "article_id": "a1",
                "article_title": "Title of a1",
                "url": "https://news.example/a1",
                "published": "2024-03-01",
                "start": 0,
                "end": 40,
                "confidence": 0.9,
                "rule": "test-rule",
                "amount": None,
                "amount_value": None,
                "currency": None,
            },
        ),
    ]


def test_to_networkx_with_articles_adds_article_nodes_and_mentions(store):
    store.write([graph_a2()])

    g = store.to_networkx(include_articles=True)

    data = dict(g.nodes["article:a2"])
    assert datetime.fromisoformat(data.pop("ingested_at"))
    assert data == {
        "type": "Article",
        "id": "a2",
        "url": "https://news.example/a2",
        "title": "Quill hits back",
        "published": "2024-03-01",
        "source": "Example Gazette",
        "author": None,
    }
    mentions = [
        (u, v, k, d)
        for u, v, k, d in g.edges(keys=True, data=True)
        if d["type"] == "MENTIONS"
    ]
    assert mentions == [
        ("article:a2", VALDORIANS, "MENTIONS", {"type": "MENTIONS", "count": 1}),
        ("article:a2", VENN, "MENTIONS", {"type": "MENTIONS", "count": 1}),
        ("article:a2", QUILL, "MENTIONS", {"type": "MENTIONS", "count": 1}),
    ]
    assert "article:a2" not in store.to_networkx()


def test_mentions_carry_the_entity_mention_count(store):
    store.write([graph_a1()])

    g = store.to_networkx(include_articles=True)

    assert g.edges["article:a1", VENN, "MENTIONS"]["count"] == 3
    assert g.edges["article:a1", QUILL, "MENTIONS"]["count"] == 2


def test_hostile_text_round_trips_and_deletes_nothing(store):
    store.write([graph_a2()])
    hostile = "Robert'); MATCH (n) DETACH DELETE n; //"
    odd = "Quote \" and ' and `backtick` and {braces} and $param and \\ and \n newline"
    hostile_id = "person:" + hostile
    g = ArticleGraph(
        article=article(
            "a'); MATCH (n) DETACH DELETE n; //", title=odd, url="https://x/`}{"
        ),
        entities=(
            entity(hostile_id, hostile, aliases=(odd, "`} RETURN 1 //")),
            entity(QUILL, "Tobias Quill"),
        ),
        relations=(
            relation(
                hostile_id,
                "CRITICIZED",
                QUILL,
                "a'); MATCH (n) DETACH DELETE n; //",
                5,
                sentence=odd,
                rule=hostile,
            ),
        ),
    )

    store.write([g])

    counts = store.counts()
    assert counts["nodes"]["Article"] == 2
    assert counts["nodes"]["Person"] == 3
    assert counts["relationships"]["CRITICIZED"] == 2
    nx_graph = store.to_networkx()
    assert dict(nx_graph.nodes[hostile_id]) == {
        "name": hostile,
        "type": "PERSON",
        "aliases": sorted([odd, "`} RETURN 1 //"]),
    }
    edge = nx_graph.edges[
        hostile_id, QUILL, "CRITICIZED:a'); MATCH (n) DETACH DELETE n; //:5"
    ]
    assert edge["sentence"] == odd
    assert edge["rule"] == hostile
    assert edge["article_title"] == odd
    assert edge["url"] == "https://x/`}{"
    assert store.known_articles(["a'); MATCH (n) DETACH DELETE n; //"]) == {
        "a'); MATCH (n) DETACH DELETE n; //"
    }
    assert store.people_by_surname(["//"]) == {"//": [hostile_id]}


def test_unknown_predicate_raises_before_anything_is_written(store):
    bad = ArticleGraph(
        article=article("a9"),
        entities=(entity(VENN, "Orla Venn"), entity(QUILL, "Tobias Quill")),
        relations=(relation(VENN, "FUNDS`]->() DETACH DELETE n //", QUILL, "a9"),),
    )

    with pytest.raises(ValueError, match="predicate"):
        store.write([graph_a1(), bad])

    assert store.counts() == EMPTY_COUNTS
    assert store.known_articles(["a1", "a9"]) == set()


def test_unknown_entity_type_raises_before_anything_is_written(store):
    bad = ArticleGraph(
        article=article("a9"), entities=(entity("product:gizmo", "Gizmo", "PRODUCT"),)
    )

    with pytest.raises(ValueError, match="PRODUCT"):
        store.write([graph_a1(), bad])

    assert store.counts() == EMPTY_COUNTS


def test_relation_to_an_entity_outside_the_article_raises(store):
    bad = ArticleGraph(
        article=article("a9"),
        entities=(entity(VENN, "Orla Venn"),),
        relations=(relation(VENN, "ENDORSES", QUILL, "a9"),),
    )

    with pytest.raises(ValueError, match="not among the article's entities"):
        store.write([bad])

    assert store.counts() == EMPTY_COUNTS


# -- reading -------------------------------------------------------------------


def test_known_articles(store):
    store.write([graph_a1(), graph_a2()])

    assert store.known_articles(["a2", "a3", "a1"]) == {"a1", "a2"}
    assert store.known_articles(iter(["a3"])) == set()
    assert store.known_articles([]) == set()


def test_people_by_surname(store):
    g = ArticleGraph(
        article=article("a5"),
        entities=(
            entity(VENN, "Orla Venn"),
            entity("person:dara venn", "Dara Venn"),
            entity(QUILL, "Tobias Quill"),
            entity("org:venn", "Venn", "ORG"),
        ),
    )
    store.write([g])

    assert store.people_by_surname(["Venn", "quill", "Nobody"]) == {
        "venn": ["person:dara venn", VENN],
        "quill": [QUILL],
    }
    assert store.people_by_surname([]) == {}


# -- both stores agree ---------------------------------------------------------


def test_both_stores_build_identical_networkx_graphs(embedded_store, neo4j_store):
    hostile = ArticleGraph(
        article=article("a4", title=None, url=None, published=None),
        entities=(
            entity(VENN, "Orla Venn", aliases=("Zed", "Älva", "alpha")),
            entity(HARBOR, "Harbor Alliance", "ORG"),
        ),
        relations=(
            relation(
                HARBOR, "DONATED_TO", VENN, "a4", 7, amount_value=12.0, confidence=1
            ),
        ),
    )
    batches = [[graph_a1(), graph_a2()], [hostile, graph_a2()]]
    for batch in batches:
        assert embedded_store.write(batch) == neo4j_store.write(batch)

    for include_articles in (False, True):
        nodes_e, edges_e = snapshot(embedded_store, include_articles)
        nodes_n, edges_n = snapshot(neo4j_store, include_articles)
        assert without_ingested_at(nodes_e) == without_ingested_at(nodes_n)
        assert edges_e == edges_n
    assert embedded_store.counts() == neo4j_store.counts()


# -- descriptions --------------------------------------------------------------


def test_embedded_description(tmp_path):
    with EmbeddedStore(tmp_path / "data") as store:
        assert store.description == f"embedded store at {tmp_path / 'data'}"


def test_neo4j_description_and_repr_hide_the_password(neo4j_store):
    assert (
        neo4j_store.description == f"Neo4j at {NEO4J_URI} (database {NEO4J_DATABASE})"
    )
    assert NEO4J_PASSWORD not in repr(neo4j_store)
    assert NEO4J_PASSWORD not in repr(vars(neo4j_store))


# -- embedded store specifics ----------------------------------------------------


@pytest.mark.slow
def test_embedded_store_survives_a_new_process(tmp_path):
    directory = tmp_path / "kg-data"
    with EmbeddedStore(directory) as store:
        store.write([graph_a1(), graph_a2()])
        expected_counts = store.counts()
        nodes, edges = snapshot(store)

    script = textwrap.dedent(
        """
        import json, sys
        from kg.store.embedded import EmbeddedStore
        with EmbeddedStore(sys.argv[1]) as store:
            g = store.to_networkx(include_articles=True)
            print(json.dumps({
                "counts": store.counts(),
                "nodes": list(g.nodes(data=True)),
                "edges": list(g.edges(keys=True, data=True)),
            }))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(directory)],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    seen = json.loads(out.stdout)
    assert seen["counts"] == expected_counts
    assert [tuple(n) for n in seen["nodes"]] == nodes
    assert [tuple(e) for e in seen["edges"]] == edges


def test_embedded_store_uses_wal_and_records_its_schema_version(tmp_path):
    EmbeddedStore(tmp_path).close()

    conn = sqlite3.connect(tmp_path / "kg.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert (
        conn.execute("PRAGMA user_version").fetchone()[0]
        == embedded_module.SCHEMA_VERSION
    )
    conn.close()


def test_embedded_store_refuses_a_newer_schema(tmp_path):
    EmbeddedStore(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "kg.sqlite")
    conn.execute("PRAGMA user_version = 99")
    conn.close()

    with pytest.raises(StoreError, match="schema version 99, newer"):
        EmbeddedStore(tmp_path)


def test_embedded_store_refuses_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "kg.sqlite").write_bytes(b"this is not sqlite, " * 100)

    with pytest.raises(StoreError, match="not a usable kg store"):
        EmbeddedStore(tmp_path)


@pytest.mark.slow
def test_four_processes_writing_the_same_embedded_store(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        from kg.records import Article, ArticleGraph, Entity
        from kg.store.embedded import EmbeddedStore
        worker = sys.argv[2]
        with EmbeddedStore(sys.argv[1]) as store:
            for i in range(30):
                aid = f"{worker}-{i}"
                store.write([ArticleGraph(
                    article=Article(id=aid, text="t"),
                    entities=(Entity(id="person:shared one", name="Shared One", type="PERSON",
                                     aliases=(f"alias {aid}",)),),
                )])
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), name], cwd=REPO, env=env
        )
        for name in ("w1", "w2", "w3", "w4")
    ]
    assert [w.wait(timeout=120) for w in workers] == [0, 0, 0, 0]

    with EmbeddedStore(tmp_path) as store:
        assert store.counts()["nodes"]["Article"] == 120
        assert store.counts()["relationships"]["MENTIONS"] == 120
        assert len(store.to_networkx().nodes["person:shared one"]["aliases"]) == 120
    conn = sqlite3.connect(tmp_path / "kg.sqlite")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# -- Neo4j specifics -----------------------------------------------------------


def test_schema_file_is_shipped_in_the_package_and_linked_from_the_repo():
    assert (REPO / "cypher").resolve() == (REPO / "kg" / "cypher").resolve()
    assert schema_statements() == [
        "CREATE CONSTRAINT article_id IF NOT EXISTS\nFOR (a:Article) REQUIRE a.id IS UNIQUE",
        "CREATE CONSTRAINT entity_id IF NOT EXISTS\nFOR (e:Entity) REQUIRE e.id IS UNIQUE",
        "CREATE INDEX person_surname IF NOT EXISTS\nFOR (p:Person) ON (p.surname)",
    ]


def test_neo4j_ensure_schema_creates_constraints_and_index_and_can_repeat(neo4j_store):
    neo4j_store.ensure_schema()
    neo4j_store.ensure_schema()

    constraints = {
        (r["name"], tuple(r["labelsOrTypes"]), tuple(r["properties"]), r["type"])
        for r in cypher(neo4j_store, "SHOW CONSTRAINTS")
    }
    assert ("article_id", ("Article",), ("id",), "UNIQUENESS") in constraints
    assert ("entity_id", ("Entity",), ("id",), "UNIQUENESS") in constraints
    indexes = {
        (r["name"], tuple(r["labelsOrTypes"] or ()), tuple(r["properties"] or ()))
        for r in cypher(neo4j_store, "SHOW INDEXES")
    }
    assert ("person_surname", ("Person",), ("surname",)) in indexes


def test_neo4j_entities_carry_their_type_label(neo4j_store):
    neo4j_store.write([graph_a1()])

    records = cypher(
        neo4j_store,
        "MATCH (e:Entity) RETURN e.id AS id, labels(e) AS labels, e.surname AS surname",
    )
    assert {r["id"]: (sorted(r["labels"]), r["surname"]) for r in records} == {
        VENN: (["Entity", "Person"], "venn"),
        QUILL: (["Entity", "Person"], "quill"),
        HARBOR: (["Entity", "Organization"], None),
        ELLERY: (["Entity", "Place"], None),
    }


def test_neo4j_wrong_password_raises_auth_failed_without_the_password():
    open_neo4j().close()  # skips without a server
    wrong = "not-the-password-7f3a"

    with pytest.raises(AuthFailed) as caught:
        Neo4jStore(NEO4J_URI, user=NEO4J_USER, password=wrong, database=NEO4J_DATABASE)

    message = str(caught.value)
    assert NEO4J_URI in message
    assert "NEO4J_PASSWORD" in message
    shown = "".join(traceback.format_exception(caught.value))
    assert wrong not in shown
    assert wrong not in repr(caught.value)


def test_neo4j_closed_port_raises_store_unavailable():
    secret = "secret-pw-123"

    with pytest.raises(StoreUnavailable) as caught:
        Neo4jStore("bolt://127.0.0.1:1", user="neo4j", password=secret)

    message = str(caught.value)
    assert "bolt://127.0.0.1:1" in message
    assert "scripts/neo4j start" in message
    assert secret not in "".join(traceback.format_exception(caught.value))


def test_neo4j_bad_uri_raises_store_error():
    with pytest.raises(StoreError, match="Neo4j address"):
        Neo4jStore("http//nowhere", user="neo4j", password="secret-pw-123")
