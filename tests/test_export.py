"""kg.export: GraphML, GEXF, node-link JSON and neo4j-admin CSV exports read
back with the store's node and edge counts; the subgraphs kg viz draws."""

from __future__ import annotations

import csv
import json
import os
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import ConfigError, QueryError
from kg.export import (
    FORMATS,
    export_graph,
    model_graph,
    neighbourhood,
    read_back,
    result_subgraph,
)
from kg.query import load_query, run_query
from tests.test_query import (
    ADA,
    BRAM,
    CLEO,
    EVREN,
    HARBOR,
    LUMEN,
    NCF,
    embedded_store,  # noqa: F401 (fixtures: stores holding the fictional graphs)
    neo4j_store,  # noqa: F401
)

REPO = Path(__file__).resolve().parents[1]
#: The jars of the Neo4j the suite runs (scripts/test exports KG_NEO4J_HOME).
NEO4J_LIB = Path(os.environ.get("KG_NEO4J_HOME", REPO / ".neo4j")) / "lib"


def totals(store):
    counts = store.counts()
    return sum(counts["nodes"].values()), sum(counts["relationships"].values())


def target(tmp_path, format):
    return tmp_path / ("csv-export" if format == "csv" else f"graph.{format}")


@pytest.mark.parametrize("format", FORMATS)
def test_an_export_reads_back_with_the_stores_node_and_edge_counts(store, tmp_path, format):
    report = export_graph(store.to_networkx(include_articles=True), target(tmp_path, format), format)
    back = read_back(target(tmp_path, format), format)
    assert (back.number_of_nodes(), back.number_of_edges()) == totals(store) == (12, 27)
    assert (report.nodes, report.edges) == totals(store)


def test_graphml_holds_lists_as_json_and_no_nulls(embedded_store, tmp_path):
    path = tmp_path / "graph.graphml"
    export_graph(embedded_store.to_networkx(include_articles=True), path, "graphml")
    back = nx.read_graphml(path)
    assert json.loads(back.nodes[BRAM]["aliases"]) == ["Holloway", "Senator Holloway"]
    assert back.nodes[BRAM]["label"] == "Bram Holloway"
    assert back.nodes["article:a5"]["label"] == "Undated note"
    assert "published" not in back.nodes["article:a5"]  # None dropped
    edges = [d for _, _, d in back.edges(data=True) if d.get("type") == "DONATED_TO" and d["article_id"] == "a5"]
    assert edges == [{"type": "DONATED_TO", "sentence": "Lumen Works DONATED_TO Cleo Marsh.", "article_id": "a5",
                      "article_title": "Undated note", "url": "https://news.example/a5", "start": 0, "end": 30,
                      "confidence": 0.9, "rule": "test", "amount": "a gift", "label": "DONATED_TO"}]


def test_gexf_avoids_the_names_gexf_reserves(embedded_store, tmp_path):
    path = tmp_path / "graph.gexf"
    export_graph(embedded_store.to_networkx(include_articles=True), path, "gexf")
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    graph_element = root.find("g:graph", ns)
    assert graph_element.get("mode") == "static"  # start/end offsets would make it dynamic
    assert {e.get("type") for e in graph_element.iter("{http://www.gexf.net/1.2draft}edge")} == {None}
    back = nx.read_gexf(path)
    assert back.nodes["article:a1"]["article_id"] == "a1"  # not the GEXF id
    relations = {d["relation"] for _, _, d in back.edges(data=True)}
    assert relations == {"ENDORSES", "DONATED_TO", "CRITICIZED", "MENTIONS"}
    [edge] = [d for _, _, d in back.edges(data=True) if d.get("amount") == "a gift"]
    assert (edge["sentence_start"], edge["sentence_end"], edge["label"]) == (0, 30, "DONATED_TO")


def test_json_is_node_link_data_with_lists_kept(embedded_store, tmp_path):
    path = tmp_path / "graph.json"
    export_graph(embedded_store.to_networkx(include_articles=True), path, "json")
    data = json.loads(path.read_text())
    assert set(data) >= {"nodes", "edges", "directed", "multigraph"}
    node = next(n for n in data["nodes"] if n["id"] == BRAM)
    assert node["aliases"] == ["Holloway", "Senator Holloway"]
    article = next(n for n in data["nodes"] if n["id"] == "article:a5")
    assert (article["article_id"], article["published"]) == ("a5", None)


def test_csv_has_neo4j_admin_headers(embedded_store, tmp_path):
    files = export_graph(embedded_store.to_networkx(include_articles=True), tmp_path / "out", "csv").files
    assert sorted(Path(f).name for f in files) == [
        "articles.csv", "entities.csv", "import.txt", "mentions.csv", "relations.csv"]

    def header(name):
        with open(tmp_path / "out" / name, newline="") as f:
            return next(csv.reader(f))

    assert header("articles.csv") == ["id:ID(Article)", ":LABEL", "url", "title", "published", "source", "author",
                                      "ingested_at"]
    assert header("entities.csv") == ["id:ID(Entity)", ":LABEL", "name", "type", "aliases:string[]", "surname"]
    assert header("relations.csv") == [":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", "article_id", "start:int",
                                       "end:int", "sentence", "confidence:float", "rule", "amount",
                                       "amount_value:float", "currency"]
    assert header("mentions.csv") == [":START_ID(Article)", ":END_ID(Entity)", ":TYPE", "count:int"]


def test_csv_rows_carry_labels_arrays_and_ids(embedded_store, tmp_path):
    export_graph(embedded_store.to_networkx(include_articles=True), tmp_path / "out", "csv")
    with open(tmp_path / "out" / "entities.csv", newline="") as f:
        entities = {row["id:ID(Entity)"]: row for row in csv.DictReader(f)}
    assert entities[BRAM][":LABEL"] == "Entity;Person"
    assert entities[BRAM]["aliases:string[]"] == "Holloway;Senator Holloway"
    assert entities[BRAM]["surname"] == "holloway"
    assert entities[NCF][":LABEL"] == "Entity;Organization" and entities[NCF]["surname"] == ""
    with open(tmp_path / "out" / "mentions.csv", newline="") as f:
        first = next(csv.DictReader(f))
    assert (first[":START_ID(Article)"], first[":TYPE"], first["count:int"]) == ("a1", "MENTIONS", "2")
    assert "--array-delimiter=';'" in (tmp_path / "out" / "import.txt").read_text()


def test_csv_picks_another_array_delimiter_when_an_alias_holds_a_semicolon(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("person:x", name="X", type="PERSON", aliases=["a;b", "c"])
    export_graph(g, tmp_path / "out", "csv")
    assert "--array-delimiter='|'" in (tmp_path / "out" / "import.txt").read_text()
    assert read_back(tmp_path / "out", "csv").nodes["person:x"]["aliases"] == ["a;b", "c"]


@pytest.mark.slow
@pytest.mark.skipif(not any(NEO4J_LIB.glob("neo4j-kernel-*.jar")), reason="no Neo4j jars in $KG_NEO4J_HOME/lib (scripts/neo4j start fetches them)")
def test_neo4j_admin_imports_the_csv_export(embedded_store, tmp_path):
    export_graph(embedded_store.to_networkx(include_articles=True), tmp_path / "out", "csv")
    home = tmp_path / "neo4j-home"
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("server.memory.pagecache.size=64m\n")
    command = shlex.split((tmp_path / "out" / "import.txt").read_text().splitlines()[1])
    assert command[:4] == ["neo4j-admin", "database", "import", "full"]
    done = subprocess.run(
        ["java", "-Xmx512m", "-cp", f"{NEO4J_LIB}/*", f"-Dbasedir={home}",
         "org.neo4j.server.startup.Neo4jAdminCommand", *command[1:]],
        cwd=tmp_path / "out", env={"NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf"), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    imported = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships\s+(\d+) properties", done.stdout)
    model = model_graph(embedded_store.to_networkx(include_articles=True))
    properties = sum(len(d) - 1 for _, d in model.nodes(data=True)) + sum(len(d) - 1 for *_, d in model.edges(data=True))
    empty_lists = sum(1 for _, d in model.nodes(data=True) if d.get("aliases") == [])  # an empty array is no property
    assert tuple(int(n) for n in imported.groups()) == (*totals(embedded_store), properties - empty_lists)


def test_an_unknown_format_is_refused(embedded_store, tmp_path):
    with pytest.raises(ConfigError, match="unknown export format 'dot'"):
        export_graph(embedded_store.to_networkx(), tmp_path / "g.dot", "dot")


def test_a_file_export_into_a_directory_is_refused(embedded_store, tmp_path):
    with pytest.raises(ConfigError, match="is a directory"):
        export_graph(embedded_store.to_networkx(), tmp_path, "graphml")


# -- what kg viz draws ---------------------------------------------------------------


def test_the_neighbourhood_of_an_entity_to_depth_one(embedded_store):
    sub = neighbourhood(embedded_store.to_networkx(), "cleo marsh", 1)
    assert sorted(sub.nodes) == sorted([CLEO, BRAM, EVREN, LUMEN])
    assert sub.number_of_edges() == 3


def test_the_neighbourhood_grows_with_depth_and_finds_aliases(embedded_store):
    sub = neighbourhood(embedded_store.to_networkx(), "ncf", 2)
    assert sorted(sub.nodes) == sorted([NCF, BRAM, ADA, HARBOR, CLEO])


def test_an_unknown_entity_is_an_error(embedded_store):
    with pytest.raises(QueryError, match="no entity is called 'Nobody'"):
        neighbourhood(embedded_store.to_networkx(), "Nobody", 1)


def test_a_query_result_becomes_the_subgraph_of_its_paths(store):
    entry = load_query("entity-network")
    result = run_query(store, entry.text, {"name": "Northwind Civic Fund"})
    sub = result_subgraph(store.to_networkx(), result)
    assert sorted(sub.nodes) == sorted([NCF, BRAM])
    assert sorted(k for *_, k in sub.edges(keys=True)) == ["DONATED_TO:a2:0", "DONATED_TO:a2:60"]


def test_nodes_without_relationships_get_the_relations_among_them(store):
    result = run_query(store, "MATCH (e:Entity) WHERE e.name IN ['Ada Quill', 'Bram Holloway'] RETURN e")
    sub = result_subgraph(store.to_networkx(), result)
    assert sorted(sub.nodes) == sorted([ADA, BRAM]) and sub.number_of_edges() == 4


def test_a_result_without_graph_values_cannot_be_drawn(store):
    result = run_query(store, "MATCH (e:Entity) RETURN e.name")
    with pytest.raises(QueryError, match="no entities or relations to draw"):
        result_subgraph(store.to_networkx(), result)
