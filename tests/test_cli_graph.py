"""The graph commands through the CLI: query, browse, viz, analyze, export, push.

Commands run in-process with typer's CliRunner against real stores: an
embedded store in a temporary directory (--data-dir) and Neo4j at NEO4J_URI
(wiped before each test that uses it).
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from kg.analysis import analyze
from kg.cli import app
from kg.query import library, load_query
from kg.store.embedded import EmbeddedStore
from tests.test_query import (
    EXAMPLES,
    NEO4J_PASSWORD,
    NEO4J_URI,
    fictional_graphs,
    open_neo4j,
)

runner = CliRunner()
LIBRARY = [q.name for q in library()]


def kg(*args, neo4j=False, **env):
    """Run kg; the embedded store unless neo4j, never a desktop browser, Neo4j's default HTTP port."""
    environment = {"NEO4J_URI": NEO4J_URI if neo4j else "", "NEO4J_PASSWORD": NEO4J_PASSWORD, "DISPLAY": "",
                   "WAYLAND_DISPLAY": "", "KG_NEO4J_HTTP_PORT": None, **env}
    return runner.invoke(app, [str(a) for a in args], env=environment)


@pytest.fixture
def data_dir(tmp_path):
    directory = tmp_path / "kg-data"
    with EmbeddedStore(directory) as store:
        store.write(fictional_graphs())
    return directory


@pytest.fixture
def neo4j():
    store = open_neo4j()
    yield store
    store.close()


# -- help ------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["query", "browse", "viz", "analyze", "export", "push"])
def test_every_graph_command_has_help_with_an_example(command):
    result = kg(command, "--help")
    assert result.exit_code == 0
    assert f"Example: kg {command}" in result.output or f"Example: NEO4J_URI=bolt://localhost:7687 kg {command}" \
        in result.output


# -- query -------------------------------------------------------------------------


def test_query_list_prints_one_line_per_library_query():
    result = kg("query", "--list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == LIBRARY
    assert lines[LIBRARY.index("mutual-criticism")].split(None, 1)[1] == load_query("mutual-criticism").description


def test_query_list_as_json_has_parameters_and_examples():
    data = json.loads(kg("query", "--list", "--format", "json").stdout)
    entry = next(q for q in data if q["name"] == "most-connected")
    assert entry["params"] == [{"name": "top", "description": "how many entities to list per relation type",
                                "default": 5}]
    assert entry["example"] == "kg query most-connected --param top=3"


def test_query_by_name_prints_a_table(data_dir):
    result = kg("query", "endorsements-of", "--param", "name=Holloway", "--data-dir", data_dir)
    assert result.exit_code == 0
    assert "Ada Quill" in result.stdout and "Harbor Party" in result.stdout
    assert result.stderr == "2 rows\n"


def test_query_json_is_an_array_of_objects_keyed_by_column(data_dir):
    result = kg("query", "donations-to", "-p", "name=senator holloway", "--format", "json", "--data-dir", data_dir)
    assert json.loads(result.stdout) == [{
        "donor": "Northwind Civic Fund", "recipient": "Bram Holloway", "donations": 2, "total": 30000.0,
        "with_amount": 2, "currencies": ["USD"], "amounts": ["$25,000", "$5,000"]}]


def test_query_csv_has_a_header_and_json_cells_for_lists(data_dir):
    result = kg("query", "MATCH (e:Entity) WHERE e.name STARTS WITH 'B' OR e.name STARTS WITH 'C' "
                "RETURN e.name AS name, e.aliases AS aliases, e.surname AS surname ORDER BY name",
                "--format", "csv", "--data-dir", data_dir)
    assert result.exit_code == 0
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["name", "aliases", "surname"],
        ["Bram Holloway", '["Holloway", "Senator Holloway"]', "holloway"],
        ["Cleo Marsh", "[]", "marsh"],
    ]


def test_query_show_prints_the_library_cypher():
    result = kg("query", "mutual-criticism", "--show")
    assert result.exit_code == 0 and result.stdout == load_query("mutual-criticism").text


def test_a_writing_query_is_refused_with_exit_2(data_dir):
    result = kg("query", "MATCH (n) DETACH DELETE n", "--data-dir", data_dir)
    assert result.exit_code == 2
    assert "refused: the query writes (DETACH, DELETE)" in result.stderr and "--write" in result.stderr
    with EmbeddedStore(data_dir) as store:
        assert store.counts()["nodes"]["Person"] == 3


def test_a_capped_result_says_so_on_stderr(data_dir):
    result = kg("query", "UNWIND range(1, 50) AS x RETURN x", "--limit", "10", "--format", "json",
                "--data-dir", data_dir)
    assert result.exit_code == 0
    assert [row["x"] for row in json.loads(result.stdout)] == list(range(1, 11))
    assert "showing the first 10 rows" in result.stderr


def test_an_unknown_library_name_exits_2_and_lists_the_library():
    result = kg("query", "endorsement-of")
    assert result.exit_code == 2 and "no library query named 'endorsement-of'" in result.stderr


def test_a_missing_parameter_exits_2_with_the_example():
    result = kg("query", "critics-of")
    assert result.exit_code == 2
    assert "needs --param name=...; for example: kg query critics-of" in " ".join(result.stderr.split())


def test_an_unsupported_query_on_the_embedded_store_exits_2_suggesting_neo4j(data_dir):
    result = kg("query", "CALL db.labels()", "--data-dir", data_dir)
    stderr = " ".join(result.stderr.split())
    assert result.exit_code == 2
    assert f"the embedded store at {data_dir} cannot run this query" in stderr and "NEO4J_URI" in stderr


def test_query_with_write_creates_on_neo4j(neo4j):
    result = kg("query", "CREATE (p:Probe {n: 1}) RETURN p.n AS n", "--write", "--format", "json", neo4j=True)
    assert result.exit_code == 0 and json.loads(result.stdout) == [{"n": 1}]
    assert "nodes created 1" in result.stderr


# -- the new-user path: kg ingest into both stores, then every library query -------------


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("cli") / "kg-data"
    store = open_neo4j()
    store.close()
    for args, on_neo4j in ((["--data-dir", data_dir], False), ([], True)):
        result = kg("ingest", EXAMPLES, *args, neo4j=on_neo4j)
        assert result.exit_code == 0, result.output
    return data_dir


@pytest.mark.parametrize("name", LIBRARY)
def test_after_kg_ingest_every_library_query_prints_the_same_json_on_both_stores(ingested, name):
    import shlex

    example = shlex.split(load_query(name).example)[3:]
    on_embedded = kg("query", name, *example, "--format", "json", "--data-dir", ingested)
    on_neo4j = kg("query", name, *example, "--format", "json", neo4j=True)
    assert on_embedded.exit_code == on_neo4j.exit_code == 0, on_embedded.stderr + on_neo4j.stderr
    assert json.loads(on_embedded.stdout) == json.loads(on_neo4j.stdout) != []


# -- browse ------------------------------------------------------------------------


def test_browse_prints_the_browser_address_from_neo4j_uri():
    result = kg("browse", NEO4J_URI_OVERRIDE := "--neo4j-uri", "bolt://graph.example:7688")
    assert result.exit_code == 0, NEO4J_URI_OVERRIDE
    assert result.stdout == ("http://graph.example:7474/browser/?dbms=bolt://neo4j@graph.example:7688&db=neo4j"
                             "&preselectAuthMethod=NATIVE\n")
    assert "NEO4J_PASSWORD" in result.stderr and "style.grass" in result.stderr


def test_browse_follows_the_ports_of_scripts_neo4j_from_a_dotenv_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("KG_NEO4J_HTTP_PORT=17999\nKG_NEO4J_BOLT_PORT=17998\n")
    result = kg("browse", NEO4J_URI="", KG_NEO4J_BOLT_PORT=None)
    assert result.exit_code == 0
    assert result.stdout == ("http://localhost:17999/browser/?dbms=bolt://neo4j@localhost:17998&db=neo4j"
                             "&preselectAuthMethod=NATIVE\n")
    assert "assumed bolt://localhost:17998" in result.stderr


def test_browse_follows_the_http_port_in_the_environment():
    result = kg("browse", "--neo4j-uri", "bolt://localhost:17687", KG_NEO4J_HTTP_PORT="17474")
    assert result.stdout.startswith("http://localhost:17474/browser/")


def test_browse_refuses_an_http_port_that_is_no_number(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("KG_NEO4J_HTTP_PORT=browser\n")
    result = kg("browse")
    assert result.exit_code == 2 and "KG_NEO4J_HTTP_PORT='browser' is not a port number" in result.stderr


def test_browse_puts_a_library_query_in_the_editor():
    result = kg("browse", "--query", "mutual-criticism", neo4j=True)
    assert result.exit_code == 0
    assert "&cmd=edit&arg=%2F%2F%20Pairs%20of%20entities" in result.stdout


def test_browse_prints_the_param_commands_of_a_library_query():
    result = kg("browse", "--query", "relation-evidence", "-p", "subject=Ada Quill", "-p", 'object="Bram" Holloway',
                neo4j=True)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        ":param min_confidence => 0", ':param subject => "Ada Quill"', ':param object => "\\"Bram\\" Holloway"']


def test_browse_style_prints_the_style_command():
    result = kg("browse", "--style")
    assert result.exit_code == 0
    assert result.stdout.startswith(":style node { diameter: 50px;")
    assert 'node.Person { diameter: 65px; color: #4E79A7;' in result.stdout


# -- viz, analyze, export ---------------------------------------------------------------------


def test_viz_writes_the_neighbourhood_page(data_dir, tmp_path):
    page = tmp_path / "ncf.html"
    result = kg("viz", "--entity", "NCF", "--depth", "1", "-o", page, "--data-dir", data_dir)
    assert result.exit_code == 0
    assert result.stdout == f"wrote 2 entities, 1 related pair and 2 pieces of evidence to {page}\n"
    assert "Northwind Civic Fund" in page.read_text()


def test_viz_leaves_out_entities_without_relations_unless_asked_for_all(data_dir, tmp_path):
    page = tmp_path / "all.html"
    query = "MATCH (e:Entity) WHERE e.name IN ['Cleo Marsh', 'Port Evren', 'Ada Quill'] RETURN e"
    hidden = kg("viz", "--query", query, "-o", page, "--data-dir", data_dir)
    assert hidden.exit_code == 0
    assert hidden.stdout == f"wrote 2 entities, 1 related pair and 1 piece of evidence to {page}\n"
    assert "1 entity without relations not drawn (--all draws them)" in hidden.stderr
    shown = kg("viz", "--query", query, "--all", "-o", page, "--data-dir", data_dir)
    assert shown.stdout == f"wrote 3 entities, 1 related pair and 1 piece of evidence to {page}\n"


def test_viz_of_a_query_without_graph_values_exits_2(data_dir, tmp_path):
    result = kg("viz", "--query", "MATCH (e:Entity) RETURN e.name", "-o", tmp_path / "x.html", "--data-dir", data_dir)
    assert result.exit_code == 2 and "no entities or relations to draw" in result.stderr


def test_viz_refuses_both_query_and_entity(data_dir, tmp_path):
    result = kg("viz", "--query", "entities", "--entity", "NCF", "-o", tmp_path / "x.html", "--data-dir", data_dir)
    assert result.exit_code == 2 and "give --query or --entity, not both" in result.stderr


def test_analyze_json_is_kg_analysis_of_the_store(data_dir):
    result = kg("analyze", "--format", "json", "--data-dir", data_dir)
    with EmbeddedStore(data_dir) as store:
        assert json.loads(result.stdout) == analyze(store.to_networkx())


def test_analyze_prints_tables(data_dir):
    result = kg("analyze", "--data-dir", data_dir)
    assert result.exit_code == 0
    for title in ("ENDORSES network", "Most endorsed", "Most criticised", "Biggest donors", "Biggest recipients",
                  "Reciprocal criticism", "Communities (Louvain)", "Bridging entities"):
        assert title in result.stdout


def test_export_takes_the_format_from_the_suffix(data_dir, tmp_path):
    result = kg("export", "-o", tmp_path / "g.gexf", "--data-dir", data_dir)
    assert result.exit_code == 0
    assert result.stdout == f"wrote 12 nodes and 27 relationships as gexf to {tmp_path / 'g.gexf'}\n"


def test_export_without_a_known_suffix_needs_a_format(data_dir, tmp_path):
    result = kg("export", "-o", tmp_path / "g.xml", "--data-dir", data_dir)
    assert result.exit_code == 2 and "pass --format" in result.stderr


# -- push -------------------------------------------------------------------------------


def test_push_copies_the_embedded_store_and_pushing_again_changes_nothing(data_dir, neo4j):
    first = kg("push", "--data-dir", data_dir, "--format", "json", neo4j=True)
    assert first.exit_code == 0, first.output
    counts = json.loads(first.stdout)["target_counts"]
    with EmbeddedStore(data_dir) as store:
        assert counts == store.counts()
        expected = store.to_networkx(include_articles=True)
    second = kg("push", "--data-dir", data_dir, "--format", "json", neo4j=True)
    assert json.loads(second.stdout)["target_counts"] == counts
    pushed = neo4j.to_networkx(include_articles=True)

    def without_ingest_time(graph):
        nodes = [(n, {k: v for k, v in d.items() if k != "ingested_at"}) for n, d in graph.nodes(data=True)]
        return nodes, list(graph.edges(keys=True, data=True))

    assert without_ingest_time(pushed) == without_ingest_time(expected)


def test_push_needs_a_neo4j_server(data_dir):
    result = kg("push", "--data-dir", data_dir)
    assert result.exit_code == 2 and "kg push needs a Neo4j server" in result.stderr


def test_push_needs_an_embedded_store(tmp_path):
    result = kg("push", "--data-dir", tmp_path / "nothing-here", neo4j=True)
    assert result.exit_code == 2 and "no embedded store at" in result.stderr
    assert not (tmp_path / "nothing-here").exists()
