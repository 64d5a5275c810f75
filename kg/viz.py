"""Draw a kg graph as one self-contained, offline HTML page.

The page inlines vis-network (kg/assets/vis-network.min.js) and the graph data,
so it can be mailed around or opened from disk with no server and no network.
Names, sentences and titles come from news text, so the data travels as JSON in
a ``<script type="application/json">`` block and the page only ever writes it
with ``textContent``; a Content-Security-Policy also forbids any network load.
"""

from __future__ import annotations

import html
import json
from importlib.resources import files
from os import PathLike
from string import Template

import networkx as nx

from kg.records import ENTITY_LABELS, PREDICATES
from kg.schema import RELATION_TYPES

#: vis-network release bundled in kg/assets (npm ``vis-network``, standalone/umd/vis-network.min.js).
VIS_NETWORK_VERSION = "10.1.5"

#: Colour-blind-friendly (Tableau 10) colours; keys follow kg.records.
NODE_COLORS = {"PERSON": "#4e79a7", "ORG": "#f28e2b", "NORP": "#b07aa1", "GPE": "#76b7b2"}
EDGE_COLORS = {name: kind.colour.lower() for name, kind in RELATION_TYPES.items()}
_UNKNOWN_COLOR = "#9e9e9e"

# The bundle ends by pointing at a .map file that is not shipped; inlined, that would be a dangling URL.
_SOURCE_MAP_COMMENT = "//# sourceMappingURL=vis-network.min.js.map"


def render_html(graph: nx.MultiDiGraph, *, title: str = "kg graph", hidden: int = 0) -> str:
    """Return the page for ``graph`` as one HTML string.

    Nodes are coloured by entity type and sized by total degree (every piece of
    evidence counts). Parallel edges with the same (source, target, type) are
    merged into one arrow whose width and tooltip show the evidence count and
    sentences: a dozen articles saying "A endorses B" read better as one thick
    edge than as a dozen overlapping curves. Distinct relations between the
    same two nodes are drawn as separate curves.
    """
    page = Template(_asset("graph.html"))
    return page.substitute(
        title=html.escape(title),
        vis_version=VIS_NETWORK_VERSION,
        vis_js=_asset("vis-network.min.js").replace(_SOURCE_MAP_COMMENT, ""),
        data=_script_json({**_graph_data(graph), "hidden": hidden}),
    )


def write_html(graph: nx.MultiDiGraph, path: str | PathLike[str], *, title: str = "kg graph", hidden: int = 0) -> None:
    """Write :func:`render_html` output to ``path`` as UTF-8; ``hidden`` entities left out are counted in the header."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(render_html(graph, title=title, hidden=hidden))


def _graph_data(graph: nx.MultiDiGraph) -> dict:
    """Plain-JSON view of the graph: nodes with degree, edges merged per (source, target, type)."""
    nodes = [
        {
            "id": str(node),
            "name": str(attrs.get("name") or node),
            "type": attrs.get("type"),
            "aliases": [str(alias) for alias in attrs.get("aliases") or ()],
            "degree": graph.degree(node),
        }
        for node, attrs in graph.nodes(data=True)
    ]
    merged: dict[tuple[str, str, str], list[dict]] = {}
    for source, target, attrs in graph.edges(data=True):
        key = (str(source), str(target), str(attrs.get("type")))
        merged.setdefault(key, []).append(
            {
                "sentence": _text(attrs.get("sentence")) or "",
                "amount": _text(attrs.get("amount")),
                "article_title": _text(attrs.get("article_title")),
                "url": _text(attrs.get("url")),
                "published": _text(attrs.get("published")),
                "confidence": attrs.get("confidence"),
            }
        )
    edges = [
        {"from": source, "to": target, "type": kind, "evidence": evidence}
        for (source, target, kind), evidence in merged.items()
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "node_types": {
            kind: {"label": label, "color": NODE_COLORS.get(kind, _UNKNOWN_COLOR)}
            for kind, label in ENTITY_LABELS.items()
        },
        "edge_types": {
            kind: {"label": kind.lower().replace("_", " "), "color": EDGE_COLORS.get(kind, _UNKNOWN_COLOR)}
            for kind in PREDICATES
        },
    }


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _script_json(data: dict) -> str:
    """JSON that cannot end its ``<script>`` element early.

    ``ensure_ascii`` escapes U+2028/U+2029 (and lone surrogates) along with all
    other non-ASCII; ``<``, ``>`` and ``&`` can only occur inside JSON strings,
    where their ``\\u`` escapes mean the same text. NaN is refused because
    ``JSON.parse`` would reject it.
    """
    text = json.dumps(data, ensure_ascii=True, allow_nan=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _asset(name: str) -> str:
    return (files("kg") / "assets" / name).read_text(encoding="utf-8")
