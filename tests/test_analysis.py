"""kg.analysis.analyze on small hand-made graphs, and on both stores."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.analysis import analyze
from tests.test_query import fictional_graphs, open_neo4j


def graph(*edges, articles=False):
    """Entities named by their key (lower-case letters); edges (source, target, type[, amount])."""
    g = nx.MultiDiGraph()
    for source, target, kind, *amount in edges:
        for node in (source, target):
            g.add_node(node, name=node.upper(), type="PERSON", aliases=[])
        value = amount[0] if amount else None
        g.add_edge(source, target, type=kind, amount_value=value, currency="USD" if value else None,
                   amount=f"${value}" if value else None)
    if articles:
        g.add_node("article:1", type="Article", id="1", title="One")
        for node in list(g.nodes):
            if node != "article:1":
                g.add_edge("article:1", node, key="MENTIONS", type="MENTIONS", count=1)
    return g


def names(rows):
    return [r["name"] for r in rows]


def test_pagerank_ranks_the_most_endorsed_first_with_degrees():
    result = analyze(graph(("x", "z", "ENDORSES"), ("y", "z", "ENDORSES")))
    network = result["networks"]["ENDORSES"]
    assert names(network) == ["Z", "X", "Y"]
    assert [(r["in_degree"], r["out_degree"]) for r in network] == [(2, 0), (0, 1), (0, 1)]
    assert sum(r["pagerank"] for r in network) == pytest.approx(1.0, abs=1e-5)


def test_donation_pagerank_is_weighted_by_amount():
    result = analyze(graph(("p", "q", "DONATED_TO", 100.0), ("p", "r", "DONATED_TO", 900.0)))
    network = {r["name"]: r for r in result["networks"]["DONATED_TO"]}
    assert network["R"]["pagerank"] > network["Q"]["pagerank"]
    assert (network["P"]["amount_given"], network["R"]["amount_received"]) == (1000.0, 900.0)


def test_a_relation_type_without_edges_has_an_empty_network():
    assert analyze(graph(("x", "z", "ENDORSES")))["networks"]["CRITICIZED"] == []


def test_most_endorsed_counts_evidence_and_distinct_endorsers():
    result = analyze(graph(("x", "z", "ENDORSES"), ("x", "z", "ENDORSES"), ("y", "z", "ENDORSES"),
                           ("z", "x", "ENDORSES")))
    assert result["most_endorsed"] == [
        {"id": "z", "name": "Z", "endorsements": 3, "endorsers": 2},
        {"id": "x", "name": "X", "endorsements": 1, "endorsers": 1},
    ]


def test_most_criticized_counts_evidence_and_distinct_critics():
    result = analyze(graph(("a", "b", "CRITICIZED"), ("c", "b", "CRITICIZED"), ("a", "c", "CRITICIZED")))
    assert result["most_criticized"] == [
        {"id": "b", "name": "B", "criticisms": 2, "critics": 2},
        {"id": "c", "name": "C", "criticisms": 1, "critics": 1},
    ]


def test_biggest_donors_and_recipients_by_total_amount():
    result = analyze(graph(("p", "q", "DONATED_TO", 100.0), ("p", "r", "DONATED_TO", 900.0),
                           ("s", "r", "DONATED_TO"), ("s", "q", "DONATED_TO", 50.0)))
    assert result["biggest_donors"] == [
        {"id": "p", "name": "P", "total": 1000.0, "donations": 2, "with_amount": 2, "recipients": 2,
         "currencies": ["USD"]},
        {"id": "s", "name": "S", "total": 50.0, "donations": 2, "with_amount": 1, "recipients": 2,
         "currencies": ["USD"]},
    ]
    assert [(r["name"], r["total"], r["donors"]) for r in result["biggest_recipients"]] == [
        ("R", 900.0, 2), ("Q", 150.0, 2)]


def test_reciprocal_criticism_pairs_with_counts_each_way():
    result = analyze(graph(("a", "b", "CRITICIZED"), ("b", "a", "CRITICIZED"), ("b", "a", "CRITICIZED"),
                           ("a", "c", "CRITICIZED"), ("c", "c", "CRITICIZED")))
    assert result["reciprocal_criticism"] == [
        {"a": {"id": "a", "name": "A"}, "b": {"id": "b", "name": "B"}, "a_criticized_b": 1, "b_criticized_a": 2}]


BARBELL = [("a", "b", "ENDORSES"), ("b", "c", "ENDORSES"), ("c", "a", "ENDORSES"),
           ("d", "e", "ENDORSES"), ("e", "f", "ENDORSES"), ("f", "d", "ENDORSES"),
           ("c", "d", "CRITICIZED")]


def test_louvain_finds_the_two_triangles_of_a_barbell():
    communities = analyze(graph(*BARBELL))["communities"]
    assert [(c["size"], names(c["members"])) for c in communities] == [(3, ["A", "B", "C"]), (3, ["D", "E", "F"])]


def test_the_ends_of_the_bar_are_the_bridges():
    assert analyze(graph(*BARBELL))["bridges"] == [
        {"id": "c", "name": "C", "betweenness": 0.6}, {"id": "d", "name": "D", "betweenness": 0.6}]


def test_articles_and_mentions_are_left_out():
    with_articles = analyze(graph(*BARBELL, articles=True))
    assert with_articles == analyze(graph(*BARBELL))
    assert with_articles["summary"] == {"entities": 6, "relations": {"ENDORSES": 6, "DONATED_TO": 0, "CRITICIZED": 1}}


def test_an_empty_graph_gives_empty_measures():
    result = analyze(nx.MultiDiGraph())
    assert result["communities"] == [] and result["bridges"] == [] and result["most_endorsed"] == []


def test_the_same_graph_gives_the_same_analysis_on_both_stores(tmp_path):
    from kg.store.embedded import EmbeddedStore

    embedded = EmbeddedStore(tmp_path / "kg-data")
    embedded.write(fictional_graphs())
    neo4j = open_neo4j()
    neo4j.write(fictional_graphs())
    try:
        on_embedded = analyze(embedded.to_networkx())
        assert on_embedded == analyze(neo4j.to_networkx())
        assert [r["name"] for r in on_embedded["biggest_donors"]] == ["Lumen Works", "Northwind Civic Fund"]
        assert on_embedded["reciprocal_criticism"][0]["a"]["name"] == "Ada Quill"
    finally:
        embedded.close()
        neo4j.close()
