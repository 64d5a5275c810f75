"""Export the graph (GraphML, GEXF, node-link JSON, neo4j-admin CSV) and pick
the part of it to draw.

All exports start from ``store.to_networkx(include_articles=True)``: entity
nodes (keyed by entity id), Article nodes (keyed ``article:<id>``), relation
edges and MENTIONS edges, so the node and edge counts equal those of
``store.counts()``.

- GraphML (``write_graphml``): list values (aliases) become JSON strings and
  None values are dropped, as GraphML has no list or null type; every node
  and edge also gets a ``label`` (name, title or type) for Gephi.
- GEXF: as GraphML, and besides: GEXF (and networkx's writer) reserve some
  attribute names. An edge's ``type`` must be directed/undirected/mutual, so
  the relation type travels as ``relation``; ``start``/``end`` would make
  Gephi read the graph as dynamic, so the sentence offsets travel as
  ``sentence_start``/``sentence_end``; a node's ``id`` would replace its GEXF
  id, so an Article's id travels as ``article_id``.
- JSON: networkx node-link data (``edges`` key); lists stay lists, None is
  null; an Article's ``id`` attribute is ``article_id`` here too (``id`` is
  the node key).
- CSV: a directory for ``neo4j-admin database import full`` with the graph
  model of kg/cypher/schema.cypher: ``articles.csv`` and ``entities.csv``
  (``id:ID(Article)``/``id:ID(Entity)``, ``:LABEL``, typed columns such as
  ``aliases:string[]``), ``relations.csv`` and ``mentions.csv``
  (``:START_ID(...)``, ``:END_ID(...)``, ``:TYPE``, ``start:int``,
  ``confidence:float``, ...), and ``import.txt`` with the command.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ConfigError, QueryError
from kg.records import ENTITY_LABELS, PREDICATES

FORMATS = ("graphml", "gexf", "json", "csv")

#: Relation properties as stored on Neo4j relationships, in CSV column order.
_RELATION_PROPERTIES = ("article_id", "start", "end", "sentence", "confidence", "rule",
                        "amount", "amount_value", "currency")
_ARTICLE_PROPERTIES = ("url", "title", "published", "source", "author", "ingested_at")
_CSV_TYPES = {"start": "int", "end": "int", "confidence": "float", "amount_value": "float", "count": "int"}


@dataclass
class ExportReport:
    format: str
    path: str
    nodes: int
    edges: int
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "path": self.path, "nodes": self.nodes, "edges": self.edges,
                "files": self.files}


# ---------------------------------------------------------------------------
# The graph model (shared with the embedded Cypher engine)
# ---------------------------------------------------------------------------


def model_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph as Neo4j holds it: ``__labels__`` per node (``Entity`` and
    its type label, or ``Article``) and relationship, and exactly the stored
    properties: no None values, ``surname`` for people, ``id`` on every node,
    and no article fields copied onto relationships."""
    from kg.store.embedded import ARTICLE_FIELDS, RELATION_FIELDS, surname_of

    model = nx.MultiDiGraph()
    for key, attrs in graph.nodes(data=True):
        if attrs.get("type") == "Article":
            props = {"id": attrs.get("id"), **{f: attrs.get(f) for f in ARTICLE_FIELDS},
                     "ingested_at": attrs.get("ingested_at")}
            labels = {"Article"}
        else:
            props = {"id": key, "name": attrs.get("name"), "type": attrs.get("type"),
                     "aliases": list(attrs.get("aliases") or []),
                     "surname": surname_of(attrs.get("name") or "", attrs.get("type"))}
            labels = {"Entity", ENTITY_LABELS.get(attrs.get("type"), str(attrs.get("type")))}
        model.add_node(key, __labels__=labels, **{k: v for k, v in props.items() if v is not None})
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        rel_type = attrs.get("type")
        if rel_type == "MENTIONS":
            props = {"count": attrs.get("count")}
        else:
            props = {"article_id": attrs.get("article_id"), "start": attrs.get("start"),
                     **{f: attrs.get(f) for f in RELATION_FIELDS}}
        model.add_edge(u, v, key=k, __labels__={rel_type}, **{n: x for n, x in props.items() if x is not None})
    return model


# ---------------------------------------------------------------------------
# Exports
# ---------------------------------------------------------------------------


def export_graph(graph: nx.MultiDiGraph, path: str | PathLike[str], format: str) -> ExportReport:
    """Write ``graph`` (from ``to_networkx(include_articles=True)``) to ``path``
    as graphml, gexf, json, or csv (a directory)."""
    if format not in FORMATS:
        raise ConfigError(f"unknown export format {format!r}; expected one of {', '.join(FORMATS)}")
    target = Path(path)
    if format == "csv":
        files = write_csv(graph, target)
        return ExportReport(format, str(target), graph.number_of_nodes(), graph.number_of_edges(), files)
    if target.is_dir():
        raise ConfigError(f"{target} is a directory; give a file name, e.g. {target / ('graph.' + format)}")
    if not target.parent.is_dir():
        raise ConfigError(f"cannot write {target}: directory {target.parent} does not exist")
    if format == "graphml":
        nx.write_graphml(flat_graph(graph), target, encoding="utf-8")
    elif format == "gexf":
        nx.write_gexf(gexf_graph(graph), target, encoding="utf-8")
    else:
        data = nx.node_link_data(json_graph(graph), edges="edges")
        target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return ExportReport(format, str(target), graph.number_of_nodes(), graph.number_of_edges(), [str(target)])


def _flat(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, dict)):
        return json.dumps(sorted(value) if isinstance(value, set) else value, ensure_ascii=False)
    return value


def _label(attrs: dict[str, Any], fallback: Any) -> str:
    return str(attrs.get("name") or attrs.get("title") or attrs.get("id") or fallback)


def flat_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for GraphML: None dropped, lists as JSON strings, a label each."""
    flat = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        data = {k: _flat(v) for k, v in attrs.items() if v is not None}
        data.setdefault("label", _label(attrs, node))
        flat.add_node(node, **data)
    for u, v, k, attrs in graph.edges(keys=True, data=True):
        data = {name: _flat(x) for name, x in attrs.items() if x is not None}
        data.setdefault("label", str(attrs.get("type", "")))
        flat.add_edge(u, v, key=k, **data)
    return flat


_GEXF_EDGE_NAMES = {"type": "relation", "start": "sentence_start", "end": "sentence_end", "id": "edge_id",
                    "weight": "edge_weight"}


def gexf_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for GEXF: as :func:`flat_graph`, with the reserved names renamed."""
    flat = flat_graph(graph)
    out = nx.MultiDiGraph()
    for node, attrs in flat.nodes(data=True):
        data = dict(attrs)
        if "id" in data:
            data["article_id" if data.get("type") == "Article" else "kg_id"] = data.pop("id")
        for reserved in ("start", "end", "pid", "viz"):
            if reserved in data:
                data[f"node_{reserved}"] = data.pop(reserved)
        out.add_node(node, **data)
    for u, v, k, attrs in flat.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **{_GEXF_EDGE_NAMES.get(n, n): x for n, x in attrs.items()})
    return out


def json_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy for node-link JSON: an Article's ``id`` attribute as ``article_id``."""
    out = nx.MultiDiGraph()
    for node, attrs in graph.nodes(data=True):
        data = dict(attrs)
        if "id" in data:
            data["article_id" if data.get("type") == "Article" else "kg_id"] = data.pop("id")
        out.add_node(node, **data)
    out.add_edges_from(graph.edges(keys=True, data=True))
    return out


def read_back(path: str | PathLike[str], format: str) -> nx.MultiDiGraph:
    """Read an export back into networkx (the CSV directory too)."""
    path = Path(path)
    if format == "graphml":
        return nx.read_graphml(path, force_multigraph=True)
    if format == "gexf":
        return nx.read_gexf(path)
    if format == "json":
        return nx.node_link_graph(json.loads(path.read_text("utf-8")), edges="edges", multigraph=True,
                                  directed=True)
    if format == "csv":
        return read_csv(path)
    raise ConfigError(f"unknown export format {format!r}")


# -- CSV for neo4j-admin ---------------------------------------------------------


def _csv_value(value: Any, array_delimiter: str) -> Any:
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return array_delimiter.join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _array_delimiter(graph: nx.MultiDiGraph) -> str:
    aliases = [a for _, d in graph.nodes(data=True) for a in (d.get("aliases") or [])]
    for candidate in (";", "|", "\u241f", "\u001f"):
        if not any(candidate in a for a in aliases):
            return candidate
    raise ConfigError("every array delimiter candidate occurs in some alias; cannot write CSV arrays")


def write_csv(graph: nx.MultiDiGraph, directory: Path) -> list[str]:
    """Write the neo4j-admin import files into ``directory`` (created; existing
    files of the same names are replaced). Returns the file paths."""
    if directory.exists() and not directory.is_dir():
        raise ConfigError(f"{directory} is a file; CSV export writes a directory")
    directory.mkdir(parents=True, exist_ok=True)
    model = model_graph(graph)
    delimiter = _array_delimiter(graph)
    files = []

    def write(name: str, header: list[str], rows: Iterable[list[Any]]) -> None:
        path = directory / name
        with open(path, "w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(header)
            for row in rows:
                writer.writerow([_csv_value(v, delimiter) for v in row])
        files.append(str(path))

    articles = [(n, d) for n, d in model.nodes(data=True) if "Article" in d["__labels__"]]
    entities = [(n, d) for n, d in model.nodes(data=True) if "Article" not in d["__labels__"]]
    write("articles.csv", ["id:ID(Article)", ":LABEL", *_ARTICLE_PROPERTIES],
          ([d["id"], "Article", *[d.get(p) for p in _ARTICLE_PROPERTIES]] for _, d in articles))
    write("entities.csv", ["id:ID(Entity)", ":LABEL", "name", "type", "aliases:string[]", "surname"],
          ([d["id"], sorted(d["__labels__"]), d.get("name"), d.get("type"), d.get("aliases") or [],
            d.get("surname")] for _, d in entities))
    rel_header = [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE",
                  *[f"{p}:{_CSV_TYPES[p]}" if p in _CSV_TYPES else p for p in _RELATION_PROPERTIES]]
    write("relations.csv", rel_header,
          ([model.nodes[u]["id"], model.nodes[v]["id"], next(iter(d["__labels__"])),
            *[d.get(p) for p in _RELATION_PROPERTIES]]
           for u, v, d in model.edges(data=True) if next(iter(d["__labels__"])) in PREDICATES))
    write("mentions.csv", [":START_ID(Article)", ":END_ID(Entity)", ":TYPE", "count:int"],
          ([model.nodes[u]["id"], model.nodes[v]["id"], "MENTIONS", d.get("count")]
           for u, v, d in model.edges(data=True) if next(iter(d["__labels__"])) == "MENTIONS"))
    command = (
        "neo4j-admin database import full neo4j --overwrite-destination "
        f"--array-delimiter={_shell_quote(delimiter)} "
        "--nodes=articles.csv --nodes=entities.csv "
        "--relationships=relations.csv --relationships=mentions.csv\n"
    )
    guide = directory / "import.txt"
    guide.write_text(
        "# Load these files into an empty, stopped Neo4j database (run in this directory):\n" + command
        + "# Then start Neo4j and run kg init (or the statements of kg/cypher/schema.cypher) for the\n"
        "# constraints and indexes kg expects.\n",
        encoding="utf-8",
    )
    files.append(str(guide))
    return files


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def read_csv(directory: str | PathLike[str]) -> nx.MultiDiGraph:
    """Read a CSV export back: nodes keyed as in ``to_networkx`` (entity id,
    ``article:<id>``), typed columns converted, arrays split."""
    directory = Path(directory)
    guide = (directory / "import.txt").read_text("utf-8") if (directory / "import.txt").is_file() else ""
    match = re.search(r"--array-delimiter='((?:[^']|'\\'')*)'", guide)
    delimiter = match.group(1).replace("'\\''", "'") if match else ";"
    graph = nx.MultiDiGraph()

    def rows(name: str):
        with open(directory / name, encoding="utf-8", newline="") as src:
            reader = csv.reader(src)
            header = next(reader)
            for row in reader:
                yield dict(zip(header, row))

    def convert(column: str, text: str) -> tuple[str, Any]:
        name, _, kind = column.partition(":")
        if text == "":
            return name, None
        if kind == "int":
            return name, int(text)
        if kind == "float":
            return name, float(text)
        if kind == "string[]":
            return name, text.split(delimiter)
        return name, text

    for row in rows("articles.csv"):
        attrs = dict(convert(c, v) for c, v in row.items() if not c.startswith(":") and not c.startswith("id:"))
        graph.add_node(f"article:{row['id:ID(Article)']}", type="Article", id=row["id:ID(Article)"], **attrs)
    for row in rows("entities.csv"):
        attrs = dict(convert(c, v) for c, v in row.items() if not c.startswith(":") and not c.startswith("id:"))
        attrs["aliases"] = attrs.get("aliases") or []
        graph.add_node(row["id:ID(Entity)"], **attrs)
    for row in rows("relations.csv"):
        attrs = dict(convert(c, v) for c, v in row.items() if not c.startswith(":"))
        graph.add_edge(row[":START_ID(Entity)"], row[":END_ID(Entity)"], type=row[":TYPE"], **attrs)
    for row in rows("mentions.csv"):
        graph.add_edge(f"article:{row[':START_ID(Article)']}", row[":END_ID(Entity)"], type="MENTIONS",
                       **dict(convert(c, v) for c, v in row.items() if not c.startswith(":")))
    return graph


# ---------------------------------------------------------------------------
# The part of the graph to draw (kg viz)
# ---------------------------------------------------------------------------


def matching_entities(graph: nx.MultiDiGraph, name: str) -> list[str]:
    """Entity nodes whose name or an alias equals ``name``, any case."""
    wanted = name.casefold()
    return [
        node for node, d in graph.nodes(data=True)
        if d.get("type") != "Article" and (
            str(d.get("name", "")).casefold() == wanted
            or any(str(a).casefold() == wanted for a in d.get("aliases") or ()))
    ]


def neighbourhood(graph: nx.MultiDiGraph, name: str, depth: int) -> nx.MultiDiGraph:
    """The entities within ``depth`` relations (either direction) of the
    entity called ``name`` (or aliased so), with the relations among them."""
    if depth < 0:
        raise ConfigError("--depth must be 0 or more")
    starts = matching_entities(graph, name)
    if not starts:
        raise QueryError(f"no entity is called {name!r} (by name or alias); kg query entities lists them")
    undirected = graph.to_undirected(as_view=True)
    keep: set[str] = set()
    for start in starts:
        keep.update(nx.single_source_shortest_path_length(undirected, start, cutoff=depth))
    return graph.subgraph(sorted(keep)).copy()


def result_subgraph(graph: nx.MultiDiGraph, result) -> nx.MultiDiGraph:
    """The entities and relations a query returned (nodes, relationships or
    paths, also inside lists), as a subgraph of ``graph``. A result with
    nodes but no relationships gets the relations among those nodes."""
    from kg.store.embedded import edge_key

    nodes, rels = result.graph_values()
    node_ids = {n.id for n in nodes if "Article" not in n.labels}
    wanted_edges = set()
    for rel in rels:
        if rel.type in PREDICATES:
            wanted_edges.add((rel.start, rel.end,
                              edge_key(rel.type, rel.properties.get("article_id"), rel.properties.get("start"))))
            node_ids.update((rel.start, rel.end))
    node_ids &= set(graph.nodes)
    if not node_ids:
        raise QueryError(
            "the query returned no entities or relations to draw: return nodes, relationships or paths "
            "(e.g. MATCH p = (a:Entity)-[r]->(b:Entity) RETURN p)")
    sub = graph.subgraph(sorted(node_ids)).copy()
    if wanted_edges:
        drop = [(u, v, k) for u, v, k in sub.edges(keys=True) if (u, v, k) not in wanted_edges]
        sub.remove_edges_from(drop)
    return sub


def draw(store: Any, path: str | PathLike[str], *, query: str | None = None,
         params: dict[str, Any] | None = None, entity: str | None = None, depth: int = 1,
         title: str | None = None, timeout: float | None = None, show_isolated: bool = False) -> dict[str, int]:
    """Write the kg.viz page for the whole entity graph, the neighbourhood of
    ``entity`` to ``depth``, or what ``query`` (a library name or Cypher,
    run read-only) returns. Entities without a relation to draw are left out
    unless ``show_isolated``: in a real corpus most entities are only
    mentioned, and drawn they bury the relations. Returns the counts drawn:
    nodes, pairs (merged edges), evidence (pieces), and hidden entities."""
    from kg import viz
    from kg.query import is_query_name, load_query, run_query

    if query and entity:
        raise ConfigError("give --query or --entity, not both")
    target = Path(path)
    if target.is_dir() or not target.parent.is_dir():
        raise ConfigError(f"cannot write {target}: give an HTML file in an existing directory")
    graph = store.to_networkx()
    if query:
        if is_query_name(query):
            entry = load_query(query)
            text, values = entry.text, entry.bind(params or {})
            title = title or f"kg: {entry.name} {' '.join(f'{k}={v}' for k, v in sorted((params or {}).items()))}"
        else:
            text, values = query, dict(params or {})
        result = run_query(store, text, values, timeout=timeout)
        graph = result_subgraph(graph, result)
    elif entity:
        graph = neighbourhood(graph, entity, depth)
        title = title or f"kg: {entity} and what is within {depth} relation{'s' if depth != 1 else ''}"
    isolated = [] if show_isolated else list(nx.isolates(graph))
    if isolated:
        graph = graph.copy()
        graph.remove_nodes_from(isolated)
    viz.write_html(graph, target, title=title or "kg graph", hidden=len(isolated))
    pairs = {(u, v, d.get("type")) for u, v, d in graph.edges(data=True)}
    return {"nodes": graph.number_of_nodes(), "pairs": len(pairs), "evidence": graph.number_of_edges(),
            "hidden": len(isolated)}
