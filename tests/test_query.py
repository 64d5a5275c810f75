"""kg.query: the query library, read-only checks, limits, timeouts, and parity
of the embedded Cypher engine with Neo4j.

Tests taking ``store`` run on an EmbeddedStore and on Neo4j at NEO4J_URI
(default bolt://localhost:7687, password NEO4J_PASSWORD, default
kg-password); the suite owns that database and wipes it before each test
that uses it. Without a server the Neo4j variants are skipped
(KG_REQUIRE_NEO4J=1 makes them fail). The parity tests ingest
examples/articles/ into both stores with kg.pipeline.ingest once per module.
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest

from kg.errors import QueryError, StoreError
from kg.query import (
    GraphNode,
    GraphPath,
    GraphRelationship,
    QueryResult,
    _run_neo4j,
    browser_url,
    called_procedures,
    library,
    load_query,
    parse_params,
    plain,
    referenced_params,
    run_query,
    typed_value,
    writing_clauses,
)
from kg.records import Article, ArticleGraph, Entity, Relation
from kg.store.embedded import EmbeddedStore
from tests.conftest import NEO4J, open_neo4j

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE = NEO4J.uri, NEO4J.user, NEO4J.password, NEO4J.database


# -- a small fictional corpus, written through the stores' own writer -----------

ADA, BRAM, CLEO = "person:ada quill", "person:bram holloway", "person:cleo marsh"
NCF, LUMEN = "org:northwind civic fund", "org:lumen works"
HARBOR, EVREN = "norp:harbor party", "gpe:port evren"
NAMES = {
    ADA: ("Ada Quill", "PERSON", ("Quill",)),
    BRAM: ("Bram Holloway", "PERSON", ("Holloway", "Senator Holloway")),
    CLEO: ("Cleo Marsh", "PERSON", ()),
    NCF: ("Northwind Civic Fund", "ORG", ("NCF",)),
    LUMEN: ("Lumen Works", "ORG", ()),
    HARBOR: ("Harbor Party", "NORP", ()),
    EVREN: ("Port Evren", "GPE", ()),
}


def _graph(article_id, title, published, relations):
    ids = sorted({x for s, _, o, *_ in relations for x in (s, o)})
    entities = tuple(Entity(id=i, name=NAMES[i][0], type=NAMES[i][1], aliases=NAMES[i][2], mentions=2) for i in ids)
    rels = tuple(
        Relation(subject=s, predicate=p, object=o, article_id=article_id, sentence=f"{NAMES[s][0]} {p} {NAMES[o][0]}.",
                 start=start, end=start + 30, confidence=0.9, rule="test", amount=amount, amount_value=value,
                 currency="USD" if value is not None else None)
        for s, p, o, start, amount, value in relations
    )
    article = Article(id=article_id, text="", title=title, url=f"https://news.example/{article_id}",
                      published=published, source="Harbor Ledger")
    return ArticleGraph(article, entities, rels)


def fictional_graphs() -> list[ArticleGraph]:
    """Five articles: 3 endorsements, 4 donations, 4 criticisms among 7 entities."""
    return [
        _graph("a1", "Quill backs Holloway", "2031-05-01", [
            (ADA, "ENDORSES", BRAM, 0, None, None), (HARBOR, "ENDORSES", BRAM, 50, None, None)]),
        _graph("a2", "Fund gives to Holloway", "2031-05-02", [
            (NCF, "DONATED_TO", BRAM, 0, "$25,000", 25000.0), (NCF, "DONATED_TO", BRAM, 60, "$5,000", 5000.0),
            (LUMEN, "DONATED_TO", HARBOR, 120, "$1 million", 1000000.0)]),
        _graph("a3", "Holloway and Quill trade barbs", "2031-05-03", [
            (BRAM, "CRITICIZED", ADA, 0, None, None), (ADA, "CRITICIZED", BRAM, 40, None, None),
            (CLEO, "CRITICIZED", BRAM, 80, None, None)]),
        _graph("a4", "Marsh on Port Evren", "2031-05-04", [
            (CLEO, "CRITICIZED", EVREN, 0, None, None), (ADA, "ENDORSES", BRAM, 30, None, None)]),
        _graph("a5", "Undated note", None, [(LUMEN, "DONATED_TO", CLEO, 0, "a gift", None)]),
    ]


# -- stores ---------------------------------------------------------------------


@pytest.fixture
def neo4j_store(neo4j_store):
    """The suite's wiped Neo4j, holding the fictional graphs."""
    neo4j_store.write(fictional_graphs())
    return neo4j_store


@pytest.fixture
def embedded_store(embedded_store):
    """A fresh embedded store holding the fictional graphs."""
    embedded_store.write(fictional_graphs())
    return embedded_store


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """examples/articles/ ingested with kg.pipeline.ingest into both stores."""
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import ingest
    from kg.sources import read_articles

    nlp, lexicon = load_pipeline(None), load_lexicon(None)
    embedded = EmbeddedStore(tmp_path_factory.mktemp("corpus") / "kg-data")
    neo4j = open_neo4j()
    for target in (embedded, neo4j):
        report = ingest(read_articles([str(EXAMPLES)]), store=target, nlp=nlp, lexicon=lexicon)
        assert report.ok and report.articles_written == 8
    yield {"embedded": embedded, "neo4j": neo4j}
    embedded.close()
    neo4j.close()


def rows(store, query_name, **params):
    entry = load_query(query_name)
    return run_query(store, entry.text, entry.bind(params)).rows


# -- the library ------------------------------------------------------------------

LIBRARY = [q.name for q in library()]


def test_library_has_the_queries_the_issue_asks_for():
    assert set(LIBRARY) >= {
        "endorsements-of", "endorsements-by", "donations-to", "donations-by", "critics-of", "targets-of",
        "mutual-criticism", "entity-profile", "relation-evidence", "most-connected", "shortest-path",
        "relations-over-time",
    }


@pytest.mark.parametrize("name", LIBRARY)
def test_library_header_documents_description_every_parameter_and_an_example(name):
    entry = load_query(name)
    assert entry.description and entry.description.endswith(".")
    assert sorted(p.name for p in entry.params) == sorted(referenced_params(entry.text))
    assert entry.example.startswith(f"kg query {name}")
    example = shlex.split(entry.example)
    given = parse_params(example[i + 1] for i, word in enumerate(example) if word == "--param")
    assert entry.bind(given).keys() == {p.name for p in entry.params}


@pytest.mark.parametrize("name", LIBRARY)
def test_library_queries_are_read_only(name):
    assert writing_clauses(load_query(name).text) == []


def test_load_query_refuses_an_unknown_name_and_lists_the_library():
    with pytest.raises(QueryError, match="no library query named 'endorsments-of'.*endorsements-of"):
        load_query("endorsments-of")


def test_bind_names_the_missing_parameter_and_the_example():
    with pytest.raises(QueryError, match=r"needs --param name=\.\.\.; for example: kg query endorsements-of"):
        load_query("endorsements-of").bind({})


def test_bind_refuses_an_unknown_parameter():
    with pytest.raises(QueryError, match="has no parameter nmae"):
        load_query("endorsements-of").bind({"nmae": "x"})


def test_bind_fills_in_defaults():
    assert load_query("most-connected").bind({}) == {"top": 5}


# -- parameters ---------------------------------------------------------------------


@pytest.mark.parametrize("text, value", [
    ("12", 12), ("-3", -3), ("1.5", 1.5), ("2e3", 2000.0), ("true", True), ("False", False),
    ("Raymond Castellano", "Raymond Castellano"), ("'01234'", "01234"), ('"true"', "true"), ("", ""),
    ("nan", "nan"), ("1.2.3", "1.2.3"), ('["a", "b c"]', ["a", "b c"]), ("[]", []), ("[not json", "[not json"),
])
def test_parameter_values_are_typed(text, value):
    assert typed_value(text) == value and type(typed_value(text)) is type(value)


def test_parse_params_splits_at_the_first_equals_sign():
    assert parse_params(["name=a=b", "top=3"]) == {"name": "a=b", "top": 3}


@pytest.mark.parametrize("pair", ["name", "=x", "na me=x", "1x=2"])
def test_parse_params_refuses_malformed_pairs(pair):
    with pytest.raises(QueryError, match="expected key=value"):
        parse_params([pair])


def test_parameters_travel_typed_to_the_store(store):
    params = parse_params(["n=41", "f=1.5", "b=true", "s=it's \"quoted\""])
    result = run_query(store, "RETURN $n + 1 AS n, $f * 2 AS f, $b AS b, $s AS s", params)
    assert result.columns == ["n", "f", "b", "s"]
    assert result.rows == [[42, 3.0, True, "it's \"quoted\""]]


def test_a_missing_parameter_is_refused_before_running(store):
    with pytest.raises(QueryError, match=r"missing parameter\(s\) \$who: pass --param who=VALUE"):
        run_query(store, "MATCH (e:Entity {name: $who}) RETURN e")


# -- read-only ----------------------------------------------------------------------


@pytest.mark.parametrize("text, found", [
    ("MATCH (n) RETURN n", []),
    ("MATCH (n) WHERE n.name = 'CREATE (x) SET x.y = 1' RETURN n", []),
    ("MATCH (n) RETURN n // then DELETE n", []),
    ("MATCH (n) /* MERGE (m) */ RETURN n", []),
    ("MATCH (n:Delete)-[:SET]->(m) RETURN n.create, {merge: 1, remove: 2} AS m", []),
    ("MATCH (`create`) RETURN `create`", []),
    ("RETURN $delete", []),
    ("CREATE (n:Person {name: 'x'})", ["CREATE"]),
    ("match (n) detach delete n", ["DETACH", "DELETE"]),
    ("MATCH (n) SET n.x = 1", ["SET"]),
    ("MATCH (n) REMOVE n:Person", ["REMOVE"]),
    ("MERGE (n:Person {id: 1})", ["MERGE"]),
    ("LOAD CSV FROM 'file:///x.csv' AS line RETURN line", ["LOAD CSV"]),
    ("MATCH (n) FOREACH (x IN [1] | CREATE (:Copy))", ["FOREACH", "CREATE"]),
    ("CALL { MATCH (n) SET n.seen = true } IN TRANSACTIONS", ["SET"]),
    ("CALL apoc.create.node(['X'], {})", ["CALL apoc.create.node"]),
    ("CALL db.labels() YIELD label RETURN label", []),
    ("DROP INDEX person_surname", ["DROP"]),
    ("STOP DATABASE neo4j", ["STOP DATABASE"]),
])
def test_writing_clauses_are_found_by_tokens_not_substrings(text, found):
    assert writing_clauses(text) == found


def test_called_procedures_skips_call_subqueries():
    assert called_procedures("CALL { RETURN 1 AS x } CALL db.schema.visualization() RETURN x") == [
        "db.schema.visualization"]


def test_a_writing_query_is_refused_without_write(store):
    with pytest.raises(QueryError, match=r"refused: the query writes \(CREATE\).*pass --write"):
        run_query(store, "CREATE (n:Probe) RETURN n")
    assert run_query(store, "MATCH (n:Probe) RETURN count(n) AS n").rows == [[0]]


def test_neo4j_refuses_a_write_in_a_read_session_even_unchecked(neo4j_store):
    with pytest.raises(QueryError, match="Neo4j refused to write in a read-only session"):
        _run_neo4j(neo4j_store, "CREATE (n:Probe)", {}, write=False, timeout=None, limit=None)
    assert run_query(neo4j_store, "MATCH (n:Probe) RETURN count(n) AS n").rows == [[0]]


class _PublicOnly:
    """A Neo4jStore whose private members cannot be reached: kg query must do
    with the store's public API."""

    def __init__(self, store):
        self._store = store

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(f"kg.query reached into Neo4jStore.{name}")
        return getattr(self._store, name)


def test_kg_query_uses_only_the_public_api_of_the_neo4j_store(neo4j_store):
    store = _PublicOnly(neo4j_store)
    # A relationship without its nodes (ends looked up in one more query).
    result = run_query(store, "MATCH ()-[r:ENDORSES {article_id: 'a4'}]->() RETURN r")
    assert [(r.type, r.start, r.end) for r, in result.rows] == [("ENDORSES", ADA, BRAM)]
    # A procedure outside READ_PROCEDURES that the server reports as READ.
    result = run_query(store, "CALL db.index.fulltext.listAvailableAnalyzers() YIELD analyzer "
                              "RETURN count(analyzer) > 0 AS some")
    assert result.rows == [[True]]
    assert run_query(store, "CREATE (n:Probe) RETURN 1 AS one", write=True).rows == [[1]]
    with pytest.raises(QueryError, match="Neo4j refused to write in a read-only session"):
        _run_neo4j(store, "CREATE (n:Probe)", {}, write=False, timeout=None, limit=None)


def test_the_neo4j_session_reads_unless_told_to_write_and_raises_store_errors(neo4j_store):
    with pytest.raises(StoreError, match=r"failed \(Neo\.ClientError\.Statement\.AccessMode\)") as caught, \
            neo4j_store.session() as session:
        session.run("CREATE (n:Probe)").consume()
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    with neo4j_store.session(write=True) as session:
        session.run("CREATE (n:Probe)").consume()
    with neo4j_store.session() as session:
        assert session.run("MATCH (n:Probe) RETURN count(n) AS n").single()["n"] == 1


def test_write_runs_a_writing_query_on_neo4j(neo4j_store):
    result = run_query(neo4j_store, "CREATE (n:Probe {x: 1}) RETURN n.x AS x", write=True)
    assert result.rows == [[1]]
    assert any(note.startswith("changed:") and "nodes created 1" in note for note in result.notes)
    assert run_query(neo4j_store, "MATCH (n:Probe) RETURN count(n) AS n").rows == [[1]]


def test_a_writing_procedure_is_refused_on_neo4j(neo4j_store):
    with pytest.raises(QueryError, match=r"CALL db.createLabel"):
        run_query(neo4j_store, "CALL db.createLabel('Probe')")


def test_a_read_procedure_runs_on_neo4j(neo4j_store):
    result = run_query(neo4j_store, "CALL db.labels() YIELD label RETURN label ORDER BY label")
    assert result.rows == [["Article"], ["Entity"], ["Group"], ["Organization"], ["Person"], ["Place"]]


def test_the_embedded_store_cannot_write_and_says_to_use_neo4j(embedded_store):
    with pytest.raises(QueryError, match=r"embedded store at .* cannot run writing Cypher.*Neo4j"):
        run_query(embedded_store, "CREATE (n:Probe)", write=True)


def test_an_unsupported_query_on_the_embedded_store_names_it_and_suggests_neo4j(embedded_store):
    with pytest.raises(QueryError, match=r"the embedded store at .* cannot run this query: CALL .*NEO4J_URI"):
        run_query(embedded_store, "CALL db.labels() YIELD label RETURN label")


def test_a_query_on_the_embedded_store_sees_what_another_connection_wrote(embedded_store):
    with EmbeddedStore(embedded_store.directory) as other_writer:  # another connection, as kg ingest would be
        other_writer.write([_graph("a6", "Quill backs Marsh", "2031-05-06", [(ADA, "ENDORSES", CLEO, 0, None, None)])])
    assert rows(embedded_store, "endorsements-by", name="Ada Quill")[-1][1] == "Cleo Marsh"
    embedded_store.write([_graph("a7", "Marsh backs Quill", "2031-05-07", [(CLEO, "ENDORSES", ADA, 0, None, None)])])
    assert rows(embedded_store, "endorsements-by", name="Cleo Marsh")[0][1] == "Ada Quill"


def test_an_unsupported_function_is_named_once_with_one_not_supported(embedded_store):
    with pytest.raises(QueryError) as caught:
        run_query(embedded_store, "RETURN rand() AS r")
    message = str(caught.value)
    assert message.startswith("the embedded store at ")
    assert ": function rand() is not supported by its embedded Cypher engine, which runs read queries only." in message
    assert message.count("not supported") == 1


def test_a_syntax_error_on_the_embedded_store_says_where(embedded_store):
    with pytest.raises(QueryError, match=r"line 1, column 1 .*'MATC'.*Neo4j"):
        run_query(embedded_store, "MATC (n) RETURN n")


def test_a_syntax_error_on_neo4j_is_a_query_error(neo4j_store):
    with pytest.raises(QueryError, match=r"Neo4j rejected the query \(SyntaxError\)"):
        run_query(neo4j_store, "MATC (n) RETURN n")


# -- limits and timeouts --------------------------------------------------------------


def test_rows_beyond_the_limit_are_cut_and_flagged(store):
    result = run_query(store, "UNWIND range(1, 1500) AS x RETURN x", limit=1000)
    assert len(result.rows) == 1000 and result.rows[-1] == [1000] and result.capped


def test_a_result_within_the_limit_is_not_flagged(store):
    result = run_query(store, "UNWIND range(1, 1000) AS x RETURN x", limit=1000)
    assert len(result.rows) == 1000 and not result.capped


def test_a_huge_result_is_capped_without_computing_it(store):
    # 16 nodes to the 6th power is 16.7 million rows; only 5 are produced.
    started = time.monotonic()
    result = run_query(store, "MATCH (a), (b), (c), (d), (e), (f) RETURN a.id, f.id", limit=5)
    assert len(result.rows) == 5 and result.capped
    assert time.monotonic() - started < 5


def test_a_slow_embedded_query_stops_at_the_timeout(embedded_store):
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"ran longer than 0.5 s on the embedded store .* was stopped"):
        run_query(embedded_store, "MATCH (a), (b), (c), (d), (e), (f) RETURN count(*)", timeout=0.5)
    assert time.monotonic() - started < 3


def test_a_slow_neo4j_query_stops_at_the_transaction_timeout(neo4j_store):
    started = time.monotonic()
    with pytest.raises(QueryError, match=r"ran longer than 0.5 s on Neo4j at .* was stopped"):
        run_query(neo4j_store, "UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b UNWIND range(1, 3000) AS c "
                  "RETURN count(*)", timeout=0.5)  # 27 billion rows of small lists: slow, not memory-hungry
    assert time.monotonic() - started < 10


# -- results: exact rows on both stores ---------------------------------------------------


def test_endorsements_of_counts_evidence_per_endorser(store):
    assert rows(store, "endorsements-of", name="holloway") == [
        ["Ada Quill", "PERSON", "Bram Holloway", 2],
        ["Harbor Party", "NORP", "Bram Holloway", 1],
    ]


def test_entities_are_matched_by_alias_in_any_case(store):
    assert rows(store, "endorsements-of", name="SENATOR HOLLOWAY") == rows(store, "endorsements-of",
                                                                           name="Bram Holloway")


def test_endorsements_by(store):
    assert rows(store, "endorsements-by", name="Ada Quill") == [["Ada Quill", "Bram Holloway", "PERSON", 2]]


def test_donations_to_total_per_donor(store):
    assert rows(store, "donations-to", name="Bram Holloway") == [
        ["Northwind Civic Fund", "Bram Holloway", 2, 30000.0, 2, ["USD"], ["$25,000", "$5,000"]]]


def test_donations_by_with_an_unknown_amount(store):
    assert rows(store, "donations-by", name="Lumen Works") == [
        ["Lumen Works", "Harbor Party", 1, 1000000.0, 1, ["USD"], ["$1 million"]],
        ["Lumen Works", "Cleo Marsh", 1, 0, 0, [], ["a gift"]],
    ]


def test_critics_of_and_targets_of(store):
    assert rows(store, "critics-of", name="Bram Holloway") == [
        ["Ada Quill", "PERSON", "Bram Holloway", 1], ["Cleo Marsh", "PERSON", "Bram Holloway", 1]]
    assert rows(store, "targets-of", name="cleo marsh") == [
        ["Cleo Marsh", "Bram Holloway", "PERSON", 1], ["Cleo Marsh", "Port Evren", "GPE", 1]]


@pytest.mark.parametrize("query_name,params", [
    ("critics-of", {"name": "Bram Holloway"}), ("endorsements-of", {"name": "Bram Holloway"}),
    ("donations-by", {"name": "Lumen Works"}), ("relation-evidence", {"subject": "NCF", "object": "Bram Holloway"}),
])
def test_relation_queries_keep_only_relations_at_the_confidence_asked(store, query_name, params):
    """Every fictional relation was extracted at confidence 0.9."""
    assert rows(store, query_name, **params, min_confidence=0.9) == rows(store, query_name, **params) != []
    assert rows(store, query_name, **params, min_confidence=0.95) == []


def test_mutual_criticism_pairs(store):
    assert rows(store, "mutual-criticism") == [["Ada Quill", "Bram Holloway", 1, 1]]


def test_entity_profile(store):
    assert rows(store, "entity-profile", name="quill") == [[
        "Ada Quill", "PERSON", ["Quill"], ["Holloway and Quill trade barbs", "Marsh on Port Evren",
                                          "Quill backs Holloway"], 2, 0, 0, 0, 1, 1]]


def test_relation_evidence_lists_sentences_with_articles(store):
    assert rows(store, "relation-evidence", subject="NCF", object="Bram Holloway") == [
        ["Northwind Civic Fund", "DONATED_TO", "Bram Holloway", "$25,000", "Northwind Civic Fund DONATED_TO Bram Holloway.",
         "Fund gives to Holloway", "https://news.example/a2", "2031-05-02"],
        ["Northwind Civic Fund", "DONATED_TO", "Bram Holloway", "$5,000", "Northwind Civic Fund DONATED_TO Bram Holloway.",
         "Fund gives to Holloway", "https://news.example/a2", "2031-05-02"],
    ]


def test_most_connected_per_relation_type(store):
    assert rows(store, "most-connected", top=2) == [
        ["CRITICIZED", "Bram Holloway", 3], ["CRITICIZED", "Ada Quill", 2],
        ["DONATED_TO", "Bram Holloway", 2], ["DONATED_TO", "Lumen Works", 2],
        ["ENDORSES", "Bram Holloway", 3], ["ENDORSES", "Ada Quill", 2],
    ]


def test_shortest_path_returns_every_shortest_chain(store):
    found = rows(store, "shortest-path", source="Cleo Marsh", target="NCF")
    steps = ["Cleo Marsh CRITICIZED Bram Holloway", "Northwind Civic Fund DONATED_TO Bram Holloway"]
    assert [(hops, s) for hops, s, _ in found] == [(2, steps), (2, steps)]  # two donations, two paths
    paths = [p for *_, p in found]
    assert [[n.id for n in p.nodes] for p in paths] == [[CLEO, BRAM, NCF]] * 2
    assert [r.properties["start"] for p in paths for r in p.relationships] == [80, 0, 80, 60]


def test_relations_over_time_orders_by_article_date(store):
    assert rows(store, "relations-over-time", name="Cleo Marsh") == [
        ["2031-05-03", "CRITICIZED", "out", "Bram Holloway", 1, ["Holloway and Quill trade barbs"]],
        ["2031-05-04", "CRITICIZED", "out", "Port Evren", 1, ["Marsh on Port Evren"]],
        [None, "DONATED_TO", "in", "Lumen Works", 1, ["Undated note"]],
    ]


def test_entity_network_returns_paths_with_kg_ids(store):
    [[first], *_] = found = rows(store, "entity-network", name="NCF")
    assert len(found) == 2
    assert isinstance(first, GraphPath)
    assert [n.id for n in first.nodes] == [NCF, BRAM]
    assert first.nodes[0].labels == ("Entity", "Organization")
    [rel] = first.relationships
    assert (rel.type, rel.start, rel.end, rel.properties["amount"]) == ("DONATED_TO", NCF, BRAM, "$25,000")


def test_a_bare_relationship_names_its_ends_by_kg_id(store):
    result = run_query(store, "MATCH ()-[r:ENDORSES {article_id: 'a4'}]->() RETURN r")
    [[rel]] = result.rows
    assert isinstance(rel, GraphRelationship)
    assert (rel.start, rel.end) == (ADA, BRAM)


def test_nodes_carry_the_stored_properties_only(store):
    [[node]] = run_query(store, "MATCH (n:Person {name: 'Cleo Marsh'}) RETURN n").rows
    assert node == GraphNode(CLEO, ("Entity", "Person"), {
        "id": CLEO, "name": "Cleo Marsh", "type": "PERSON", "aliases": [], "surname": "marsh"})


def test_plain_turns_graph_values_into_json_data():
    result = QueryResult(["n"], [[GraphNode("x", ("Entity",), {"b": 1, "a": [float("nan")]})]])
    assert plain(result.rows) == [[{"id": "x", "labels": ["Entity"], "properties": {"a": ["NaN"], "b": 1}}]]


# -- parity on the example corpus ------------------------------------------------------------


def _parity_cases():
    cases = []
    for entry in library():
        example = shlex.split(entry.example)
        given = parse_params(example[i + 1] for i, word in enumerate(example) if word == "--param")
        cases.append(pytest.param(entry.name, given, True, id=f"{entry.name}-example"))
        if "name" in given:
            cases.append(pytest.param(entry.name, {**given, "name": "FERRANTE"}, False, id=f"{entry.name}-alias"))
            cases.append(pytest.param(entry.name, {**given, "name": "Nobody Atall"}, False, id=f"{entry.name}-none"))
    return cases


@pytest.mark.parametrize("name, params, example", _parity_cases())
def test_every_library_query_returns_the_same_rows_on_neo4j_and_embedded(corpus, name, params, example):
    entry = load_query(name)
    on_neo4j = run_query(corpus["neo4j"], entry.text, entry.bind(params))
    on_embedded = run_query(corpus["embedded"], entry.text, entry.bind(params))
    assert on_embedded.columns == on_neo4j.columns
    assert plain(on_embedded.rows) == plain(on_neo4j.rows)
    if example:
        assert on_neo4j.rows, f"the example of {name} finds nothing in examples/articles/"


def test_the_examples_give_each_name_one_type(corpus):
    names = [row[0] for row in rows(corpus["embedded"], "entities")]
    assert "Port Adley" in names
    assert len(names) == len(set(names))


def test_both_stores_hold_the_same_corpus(corpus):
    assert corpus["embedded"].counts() == corpus["neo4j"].counts()


# -- Browser address -----------------------------------------------------------------------------


def test_browser_url_prefills_the_connection_from_the_bolt_address():
    assert browser_url("bolt://localhost:7687") == (
        "http://localhost:7474/browser/?dbms=bolt://neo4j@localhost:7687&db=neo4j&preselectAuthMethod=NATIVE")


def test_browser_url_for_a_secure_server_uses_https_and_its_port():
    assert browser_url("neo4j+s://graph.example:7688", user="ada", database="news") == (
        "https://graph.example:7473/browser/?dbms=neo4j%2Bs://ada@graph.example:7688&db=news"
        "&preselectAuthMethod=NATIVE")


def test_browser_url_puts_editor_text_in_cmd_edit():
    url = browser_url("bolt://db:7687", http_port=8474, editor="MATCH (n) RETURN n + 1")
    assert url.startswith("http://db:8474/browser/?dbms=bolt://neo4j@db:7687&db=neo4j")
    assert url.endswith("&cmd=edit&arg=MATCH%20%28n%29%20RETURN%20n%20%2B%201")


#: Ad hoc read queries with a defined row order: the embedded engine must give
#: Neo4j's rows (null handling, integer arithmetic, ordering across types,
#: grouping, OPTIONAL MATCH, subqueries, comprehensions, variable-length and
#: shortest paths).
AD_HOC = [
    "MATCH (n) RETURN count(*) AS n",
    "MATCH (n:Entity) RETURN n.name ORDER BY n.name DESC LIMIT 5",
    "MATCH (n:Entity) RETURN n.name ORDER BY n.name SKIP 3 LIMIT 2",
    "MATCH (n:Person|Organization) RETURN n.name, n.type ORDER BY n.type, n.name",
    "MATCH (n:Entity:Person) RETURN count(n)",
    "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n ORDER BY t",
    "MATCH (a)-[r]-(b) RETURN count(r), count(DISTINCT r)",
    "MATCH (a:Entity)-[r*2]-(b:Entity) RETURN count(*)",
    ("MATCH (a:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED*1..3]->(b:Entity) "
    "RETURN a.name, b.name, size(r) AS hops ORDER BY a.name, b.name, hops"),
    "MATCH p = (a:Entity)-[:ENDORSES|DONATED_TO|CRITICIZED*]->(b:Entity) RETURN length(p) AS l, count(*) AS c ORDER BY l",
    ("MATCH (a:Article) OPTIONAL MATCH (a)-[m:MENTIONS]->(e:Person) WHERE e.name STARTS WITH 'M' "
    "RETURN a.title, e.name ORDER BY a.title, e.name"),
    "MATCH (a:Article) RETURN a.published AS p ORDER BY p DESC",
    "MATCH (a:Article) RETURN DISTINCT a.source AS s ORDER BY s",
    ("MATCH (e:Entity) WHERE size(e.aliases) > 0 RETURN e.name, e.aliases[0] AS first, e.aliases[-1] AS last "
    "ORDER BY e.name"),
    "MATCH (e:Entity) WHERE e.surname IS NULL RETURN e.name ORDER BY e.name",
    "MATCH (e:Entity) WHERE e.name =~ '.*[Oo]st.*' RETURN e.name ORDER BY e.name",
    "MATCH (e:Entity) WITH e ORDER BY e.name RETURN e.type, collect(e.name) ORDER BY e.type",
    "MATCH (e:Entity) RETURN e {.name, .type, n: size(e.aliases)} AS m ORDER BY m.name LIMIT 3",
    "MATCH (e:Entity) RETURN reduce(s = '', x IN e.aliases | s + x) AS r ORDER BY r DESC LIMIT 3",
    "MATCH (e:Entity) WHERE (e)-[:DONATED_TO]->() RETURN e.name ORDER BY e.name",
    "MATCH (e:Entity) WHERE NOT (e)<-[:MENTIONS]-(:Article) RETURN count(e)",
    "MATCH (e:Entity) WHERE EXISTS { (e)-[:ENDORSES]->(:Person) } RETURN e.name ORDER BY e.name",
    "MATCH (e:Entity) RETURN e.name, COUNT { (e)--() } AS deg ORDER BY deg DESC, e.name LIMIT 5",
    "MATCH (e:Entity)-[r:DONATED_TO]->() RETURN sum(r.amount_value), min(r.amount_value), max(r.amount)",
    "MATCH (e:Entity)-[r:ENDORSES]->() RETURN sum(r.amount_value), avg(r.amount_value), count(r.amount)",
    ("MATCH (e:Entity) RETURN CASE e.type WHEN 'PERSON' THEN 'p' WHEN 'ORG' THEN 'o' ELSE 'x' END AS k, count(*) "
    "ORDER BY k"),
    "UNWIND [3, 'a', null, true, [1], 1.5] AS x RETURN x ORDER BY x",
    "UNWIND [3, 'a', null, true, [1], 1.5] AS x RETURN x ORDER BY x DESC",
    "UNWIND [1, 1.0, '1', null] AS x RETURN DISTINCT x",
    "RETURN 7/2, -7/2, 7%3, -7%3, 2^3, 1=1.0, [1,2]=[1,2.0], 'a'<'b', 1<'a', null=null",
    ("RETURN toString(1.0), toString(123456789.0), toInteger('12'), toFloat('x'), round(2.5), round(-2.5), "
    "round(-2.45, 1), round(1.005, 2)"),
    "RETURN [1,2,3][1..], [1,2,3][-1], [1,2,3][5], 'abc' + 1, 1 + 'abc', [1] + 2, 'x' + null",
    ("RETURN head([]), last([1,2]), tail([1,2,3]), range(0,10,3), reverse([1,2]), size('abc'), "
    "substring('hello',1,3), replace('aa','a','b'), split('a,b', ',')"),
    "RETURN any(x IN [] WHERE x), all(x IN [] WHERE x), none(x IN [null] WHERE x), single(x IN [1,2] WHERE x=1)",
    "RETURN 'Abc' =~ 'a.*', 'Abc' =~ '(?i)a.*', 'abc' STARTS WITH null, null IN [1], 2 IN [1, null]",
    "RETURN 1 AS a UNION RETURN 1 AS a",
    "RETURN 1 AS a UNION ALL RETURN 1 AS a",
    "RETURN coalesce(null, 2), toLower(null), 1 + null, null AND false, null OR true, NOT null, true XOR false",
    ("MATCH (a:Entity), (b:Entity) WHERE a.name = 'Victor Halloran' AND b.name = 'Thomas Brandt' "
    "MATCH p = allShortestPaths((a)-[*]-(b)) RETURN [n IN nodes(p) | n.name] AS ns ORDER BY ns"),
    "MATCH (e:Entity) WITH e.type AS t, count(*) AS c WHERE c > 1 RETURN t, c ORDER BY t",
    ("MATCH (a:Article)-[:MENTIONS]->(e)<-[:MENTIONS]-(b:Article) WHERE a.id < b.id "
    "RETURN a.id, b.id, count(e) AS shared ORDER BY shared DESC, a.id, b.id LIMIT 5"),
    "MATCH (e:Entity)-[r]->(x) RETURN startNode(r) = e, endNode(r) = x, count(*)",
    "MATCH ()-[r:DONATED_TO]->() RETURN r ORDER BY r.article_id, r.start",
    # relationships counted per node and type by the embedded store
    ("MATCH (e:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity) WITH type(r) AS t, e, count(r) AS n "
     "RETURN t, e.name, n ORDER BY t, n DESC, e.name"),
    "MATCH (e:Person)<-[r]-() RETURN e.name AS name, type(r) AS t, count(*) AS n ORDER BY name, t",
    "MATCH (e)-[r]->(:Organization) RETURN type(r) AS t, count(*) AS n ORDER BY t",
    "MATCH (:Nobody)-[r]-() RETURN count(r)",
    # ... of which only the first few are kept: ranked by the embedded store
    ("MATCH (e:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]-(:Entity) WITH type(r) AS t, e, count(r) AS n "
     "ORDER BY n DESC, e.name, t LIMIT 3 RETURN t, e.name AS name, n ORDER BY n DESC, name, t"),
    ("MATCH (e:Person)-[r]->(:Entity) WITH type(r) AS t, e, count(*) AS n ORDER BY t, n DESC, e.id "
     "WITH t, collect({id: e.id, n: n}) AS ranked UNWIND ranked[..1] AS top "
     "RETURN t, top.id AS id, top.n AS n ORDER BY t"),
    ("MATCH (e:Entity)-[r]-(:Entity) WITH e, count(r) AS n ORDER BY n DESC, e.name LIMIT 3 "
     "RETURN e.name AS name, n ORDER BY n DESC, name"),
]


@pytest.mark.parametrize("text", AD_HOC)
def test_ad_hoc_queries_give_neo4js_rows_on_the_embedded_store(corpus, text):
    on_neo4j = run_query(corpus["neo4j"], text)
    on_embedded = run_query(corpus["embedded"], text)
    assert (on_embedded.columns, plain(on_embedded.rows)) == (on_neo4j.columns, plain(on_neo4j.rows))
