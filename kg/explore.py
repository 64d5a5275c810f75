"""What the explorer (`kg serve`) reads: search, entity pages, network views, evidence.

Every read goes through :func:`kg.query.run_query` with a library query of
``kg/cypher/queries`` and its parameters, exactly as ``kg query`` runs them:
read-only, parameterised, on either store. This module only shapes the rows
into the records the web pages draw (grouping, totals, a timeline) and writes
a view as GraphML.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from kg.errors import QueryError
from kg.query import load_query, run_query
from kg.records import ENTITY_LABELS, PREDICATES

#: Most entities one search returns, and most a network view starts from.
SEARCH_LIMIT = 20
START_ENTITIES = 40
#: A network view stops growing here: a hub of a big graph would otherwise draw thousands of nodes.
MAX_VIEW_ENTITIES = 1500

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _rows(store: Any, name: str, **params: Any) -> list[dict[str, Any]]:
    entry = load_query(name)
    return run_query(store, entry.text, entry.bind(params)).as_dicts()


# ---------------------------------------------------------------------------
# Filters (the part of a view's state that narrows the evidence)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """Which evidence a view keeps: relation types, article dates and sources, least confidence."""

    types: tuple[str, ...] = PREDICATES
    date_from: str = ""
    date_to: str = ""
    sources: tuple[str, ...] = ()
    min_confidence: float = 0.0

    @classmethod
    def parse(cls, query: dict[str, str]) -> Filters:
        """Filters from URL parameters (``types=ENDORSES,CRITICIZED&from=2025-01&to=&source=a,b&minconf=0.5``);
        bad values raise QueryError naming the parameter."""
        types = tuple(t for t in (query.get("types") or "").split(",") if t) or PREDICATES
        unknown = [t for t in types if t not in PREDICATES]
        if unknown:
            raise QueryError(f"types: unknown relation type {', '.join(unknown)}; expected {', '.join(PREDICATES)}")
        dates = {}
        for key in ("from", "to"):
            value = (query.get(key) or "").strip()
            if value and not _DATE.fullmatch(value):
                raise QueryError(f"{key}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
            dates[key] = value
        # A month or year as the end of a range means its last day: "2025-03" keeps 2025-03-31.
        date_to = dates["to"] + ("-12-31" if len(dates["to"]) == 4 else "-31" if len(dates["to"]) == 7 else "")
        try:
            min_confidence = float(query.get("minconf") or 0)
        except ValueError:
            raise QueryError(f"minconf: expected a number from 0 to 1, got {query.get('minconf')!r}") from None
        if not 0 <= min_confidence <= 1:
            raise QueryError(f"minconf: expected a number from 0 to 1, got {min_confidence:g}")
        sources = tuple(s for s in (query.get("source") or "").split(",") if s)
        return cls(types, dates["from"], date_to, sources, min_confidence)

    def params(self) -> dict[str, Any]:
        return {"types": list(self.types), "date_from": self.date_from, "date_to": self.date_to,
                "sources": list(self.sources), "min_confidence": self.min_confidence}


# ---------------------------------------------------------------------------
# Search and the entity page
# ---------------------------------------------------------------------------


def search(store: Any, text: str, top: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
    """Entities whose name or an alias contains ``text``: those starting with it first, then the most related."""
    if not text.strip():
        return []
    return _rows(store, "entity-search", text=text.strip(), top=top)


@dataclass
class EntityPage:
    """All the explorer shows about one entity."""

    id: str
    name: str
    type: str
    label: str
    aliases: list[str]
    articles: list[dict[str, Any]]
    #: {"out": {"ENDORSES": {"pieces": 3, "entities": 2}}, "in": {...}}
    relations: dict[str, dict[str, dict[str, int]]]
    #: {"given": {"USD": 30000.0}, "received": {...}}: donations with a known amount, per currency.
    money: dict[str, dict[str, float]]
    #: Donations whose amount is unknown or unparsed, given and received.
    money_unknown: dict[str, int]
    evidence: list[dict[str, Any]]
    #: [{"date": "2025-03-03", "relations": [{"relation", "direction", "other", "other_id"}...]}], undated last.
    timeline: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def entity_page(store: Any, entity_id: str) -> EntityPage | None:
    """The page of the entity with this id, or None when there is none."""
    cards = _rows(store, "entity-card", id=entity_id)
    if not cards:
        return None
    card = cards[0]
    evidence = _rows(store, "entity-evidence", id=entity_id)
    relations: dict[str, dict[str, dict[str, int]]] = {"out": {}, "in": {}}
    others: dict[tuple[str, str], set[str]] = defaultdict(set)
    money: dict[str, dict[str, float]] = {"given": {}, "received": {}}
    unknown = Counter({"given": 0, "received": 0})
    timeline: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in evidence:
        direction, relation = row["direction"], row["relation"]
        group = relations[direction].setdefault(relation, {"pieces": 0, "entities": 0})
        group["pieces"] += 1
        others[(direction, relation)].add(row["other_id"])
        group["entities"] = len(others[(direction, relation)])
        if relation == "DONATED_TO":
            side = "given" if direction == "out" else "received"
            if row["amount_value"] is not None and row["currency"]:
                money[side][row["currency"]] = money[side].get(row["currency"], 0.0) + float(row["amount_value"])
            else:
                unknown[side] += 1
        date = (row["published"] or "")[:10]
        timeline[date].append({"relation": relation, "direction": direction, "other": row["other"],
                               "other_id": row["other_id"], "article": row["article"]})
    return EntityPage(
        id=card["id"], name=card["name"], type=card["type"], label=ENTITY_LABELS.get(card["type"], card["type"]),
        aliases=list(card["aliases"] or []), articles=list(card["articles"]), relations=relations, money=money,
        money_unknown=dict(unknown), evidence=evidence,
        timeline=[{"date": d or None, "relations": timeline[d]} for d in sorted(timeline, key=lambda d: (not d, d))],
    )


def facets(store: Any) -> dict[str, Any]:
    """What the filters offer: the articles' sources and the range of their dates."""
    sources = _rows(store, "article-sources")
    dates = [d for row in sources for d in (row["first"], row["last"]) if d]
    return {"relations": list(PREDICATES),
            "sources": [{"source": r["source"], "articles": r["articles"]} for r in sources if r["source"]],
            "first": min(dates, default=None), "last": max(dates, default=None)}


# ---------------------------------------------------------------------------
# Network views
# ---------------------------------------------------------------------------


@dataclass
class NetworkView:
    """Entities and relations (one edge per pair and type, with its evidence count) to draw."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    #: The entities the view grew from (expanded), and whether it was cut at MAX_VIEW_ENTITIES.
    expanded: list[str]
    truncated: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def network(store: Any, expand: list[str], filters: Filters, start: int = START_ENTITIES) -> NetworkView:
    """The view grown from the entities ``expand`` (each with all its neighbours), or, when
    there are none, the ``start`` most connected entities. Only entities with a relation that
    passes the filters are drawn, so an entity with none (isolated) never shows."""
    params = filters.params()
    truncated = False
    if expand:
        around = _rows(store, "network-around", ids=list(expand), **params)
        visible: dict[str, None] = dict.fromkeys(expand)
        for row in around:
            visible.setdefault(row["source_id"], None)
            visible.setdefault(row["target_id"], None)
        if len(visible) > MAX_VIEW_ENTITIES:
            visible, truncated = dict.fromkeys(list(visible)[:MAX_VIEW_ENTITIES]), True
        ids = list(visible)
    else:
        ids = [row["id"] for row in _rows(store, "hubs", top=start)]
    rows = _rows(store, "network-among", ids=ids, **params) if ids else []
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for row in rows:
        for end in ("source", "target"):
            node = nodes.setdefault(row[f"{end}_id"], {
                "id": row[f"{end}_id"], "name": row[f"{end}_name"], "type": row[f"{end}_type"], "evidence": 0})
            node["evidence"] += row["evidence"]
        edges.append({"source": row["source_id"], "target": row["target_id"], "relation": row["relation"],
                      "evidence": row["evidence"]})
    return NetworkView(nodes=sorted(nodes.values(), key=lambda n: n["id"]), edges=edges,
                       expanded=[i for i in expand if i in nodes], truncated=truncated)


def pair_evidence(store: Any, subject: str, object: str, relation: str, filters: Filters) -> list[dict[str, Any]]:
    """Every piece of evidence that ``subject`` ``relation`` ``object`` (ids) passing the filters."""
    if relation not in PREDICATES:
        raise QueryError(f"relation: expected one of {', '.join(PREDICATES)}, got {relation!r}")
    params = filters.params()
    del params["types"]  # the one relation asked for
    return _rows(store, "pair-evidence", subject=subject, object=object, relation=relation, **params)


def graphml(view: NetworkView) -> bytes:
    """The view as GraphML (for Gephi, yEd, networkx): entities with name and type, one edge per pair and type."""
    graph = nx.MultiDiGraph()
    for node in view.nodes:
        graph.add_node(node["id"], name=node["name"], type=node["type"] or "", evidence=node["evidence"])
    for edge in view.edges:
        graph.add_edge(edge["source"], edge["target"], key=edge["relation"], type=edge["relation"],
                       evidence=edge["evidence"])
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8")
    return buffer.getvalue()
