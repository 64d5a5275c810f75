"""Network measures of the entity graph, with networkx.

``analyze(graph)`` takes the MultiDiGraph of ``store.to_networkx()`` (Article
nodes and MENTIONS edges, if present, are left out) and returns plain data:

- ``summary``: entities, relations per type;
- ``networks``: per relation type (ENDORSES, DONATED_TO, CRITICIZED) every
  entity with a relation of that type: PageRank, in/out degree (pieces of
  evidence), and for donations the amounts given and received. PageRank
  weights an edge by its evidence count, donations by their total amount
  (a donation of unknown amount adds nothing);
- ``most_endorsed``, ``most_criticized``: entities by evidence received, with
  the number of distinct endorsers or critics;
- ``biggest_donors``, ``biggest_recipients``: by total amount, then count;
- ``reciprocal_criticism``: pairs that criticized each other;
- ``communities``: Louvain communities (fixed seed) of the undirected graph
  of all relations, weighted by evidence; singletons left out;
- ``bridges``: entities with the highest betweenness centrality.

Lists are sorted with ties broken by name and id, so equal graphs give equal
output; floats are rounded to 6 decimals.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from kg.records import PREDICATES

#: Seed of the Louvain community detection, fixed for repeatable output.
LOUVAIN_SEED = 42


def entity_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Only the entities and the ENDORSES/DONATED_TO/CRITICIZED edges."""
    keep = [n for n, d in graph.nodes(data=True) if d.get("type") != "Article"]
    sub = nx.MultiDiGraph()
    sub.add_nodes_from((n, graph.nodes[n]) for n in keep)
    sub.add_edges_from(
        (u, v, k, d) for u, v, k, d in graph.edges(keys=True, data=True)
        if d.get("type") in PREDICATES and u in sub and v in sub
    )
    return sub


def analyze(graph: nx.MultiDiGraph, *, top: int = 10, seed: int = LOUVAIN_SEED) -> dict[str, Any]:
    """Measures of the entity graph as JSON-ready data (see the module docstring)."""
    g = entity_graph(graph)
    name = {n: str(d.get("name") or n) for n, d in g.nodes(data=True)}

    def label(node: str) -> dict[str, str]:
        return {"id": node, "name": name[node]}

    def order(node: str) -> tuple[str, str]:
        return (name[node], node)

    relations = {p: 0 for p in PREDICATES}
    for _, _, d in g.edges(data=True):
        relations[d["type"]] += 1

    networks = {p: _network(g, p, label, order) for p in PREDICATES}

    result: dict[str, Any] = {
        "summary": {"entities": g.number_of_nodes(), "relations": relations},
        "networks": networks,
        "most_endorsed": _most_received(g, "ENDORSES", "endorsements", "endorsers", label, order, top),
        "most_criticized": _most_received(g, "CRITICIZED", "criticisms", "critics", label, order, top),
        "biggest_donors": _donations(g, "out", label, order, top),
        "biggest_recipients": _donations(g, "in", label, order, top),
        "reciprocal_criticism": _reciprocal(g, label, order),
    }
    undirected = _undirected(g)
    result["communities"] = _communities(undirected, label, order, seed)
    result["bridges"] = _bridges(undirected, label, order, top)
    return result


def _network(g, predicate, label, order) -> list[dict[str, Any]]:
    evidence_out: dict[str, int] = defaultdict(int)
    evidence_in: dict[str, int] = defaultdict(int)
    amount_out: dict[str, float] = defaultdict(float)
    amount_in: dict[str, float] = defaultdict(float)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, d in g.edges(data=True):
        if d["type"] != predicate:
            continue
        evidence_out[u] += 1
        evidence_in[v] += 1
        amount = d.get("amount_value") or 0.0
        amount_out[u] += amount
        amount_in[v] += amount
        weights[(u, v)] += amount if predicate == "DONATED_TO" else 1.0
    if not weights:
        return []
    d = nx.DiGraph()
    d.add_nodes_from(sorted({n for pair in weights for n in pair}))
    d.add_weighted_edges_from((u, v, w) for (u, v), w in sorted(weights.items()))
    try:
        rank = nx.pagerank(d, weight="weight")
    except ZeroDivisionError:  # every edge weighs 0 (donations without amounts)
        rank = nx.pagerank(d, weight=None)
    rows = []
    for node in d.nodes:
        row = {**label(node), "pagerank": round(rank[node], 6),
               "in_degree": evidence_in[node], "out_degree": evidence_out[node]}
        if predicate == "DONATED_TO":
            row["amount_given"] = round(amount_out[node], 6)
            row["amount_received"] = round(amount_in[node], 6)
        rows.append(row)
    rows.sort(key=lambda r: (-r["pagerank"], *order(r["id"])))
    return rows


def _most_received(g, predicate, count_key, sources_key, label, order, top) -> list[dict[str, Any]]:
    evidence: dict[str, int] = defaultdict(int)
    sources: dict[str, set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        if d["type"] == predicate:
            evidence[v] += 1
            sources[v].add(u)
    rows = [{**label(n), count_key: evidence[n], sources_key: len(sources[n])} for n in evidence]
    rows.sort(key=lambda r: (-r[count_key], -r[sources_key], *order(r["id"])))
    return rows[:top]


def _donations(g, direction, label, order, top) -> list[dict[str, Any]]:
    total: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    known: dict[str, int] = defaultdict(int)
    partners: dict[str, set[str]] = defaultdict(set)
    currencies: dict[str, set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        if d["type"] != "DONATED_TO":
            continue
        node, other = (u, v) if direction == "out" else (v, u)
        count[node] += 1
        partners[node].add(other)
        if d.get("amount_value") is not None:
            total[node] += d["amount_value"]
            known[node] += 1
        if d.get("currency"):
            currencies[node].add(d["currency"])
    partner_key = "recipients" if direction == "out" else "donors"
    rows = [
        {**label(n), "total": round(total[n], 6), "donations": count[n], "with_amount": known[n],
         partner_key: len(partners[n]), "currencies": sorted(currencies[n])}
        for n in count
    ]
    rows.sort(key=lambda r: (-r["total"], -r["donations"], *order(r["id"])))
    return rows[:top]


def _reciprocal(g, label, order) -> list[dict[str, Any]]:
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, d in g.edges(data=True):
        if d["type"] == "CRITICIZED" and u != v:
            counts[(u, v)] += 1
    rows = []
    for (a, b), n in counts.items():
        if (b, a) in counts and order(a) < order(b):
            rows.append({"a": label(a), "b": label(b), "a_criticized_b": n, "b_criticized_a": counts[(b, a)]})
    rows.sort(key=lambda r: (*order(r["a"]["id"]), *order(r["b"]["id"])))
    return rows


def _undirected(g) -> nx.Graph:
    u = nx.Graph()
    for a, b, _ in g.edges(data=True):
        if a == b:
            continue
        if u.has_edge(a, b):
            u[a][b]["weight"] += 1
        else:
            u.add_edge(a, b, weight=1)
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(u.nodes))
    ordered.add_edges_from(sorted((min(a, b), max(a, b), d) for a, b, d in u.edges(data=True)))
    return ordered


def _communities(u: nx.Graph, label, order, seed) -> list[dict[str, Any]]:
    if u.number_of_edges() == 0:
        return []
    found = nx.community.louvain_communities(u, weight="weight", seed=seed)
    groups = [sorted(c, key=order) for c in found if len(c) > 1]
    groups.sort(key=lambda members: (-len(members), order(members[0])))
    return [
        {"community": i + 1, "size": len(members), "members": [label(m) for m in members]}
        for i, members in enumerate(groups)
    ]


def _bridges(u: nx.Graph, label, order, top) -> list[dict[str, Any]]:
    if u.number_of_nodes() < 3:
        return []
    centrality = nx.betweenness_centrality(u, normalized=True)
    rows = [{**label(n), "betweenness": round(c, 6)} for n, c in centrality.items() if c > 0]
    rows.sort(key=lambda r: (-r["betweenness"], *order(r["id"])))
    return rows[:top]
