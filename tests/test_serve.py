"""`kg serve`'s routes on both stores (Starlette's test client), and the command itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import networkx as nx
import pytest
from starlette.testclient import TestClient

from kg.serve import create_app
from tests.conftest import process_gone
from tests.test_query import ADA, BRAM, CLEO, LUMEN, NCF, embedded_store, neo4j_store  # noqa: F401 (fixtures)


@pytest.fixture(params=["embedded", "neo4j"])
def client(request):
    store = request.getfixturevalue(f"{request.param}_store")
    with TestClient(create_app(store)) as test_client:
        yield test_client


def test_search_finds_names_and_aliases_those_starting_with_the_text_first(client):
    found = client.get("/api/search", params={"q": "holl"}).json()["results"]
    assert [r["id"] for r in found] == [BRAM]
    assert [r["name"] for r in client.get("/api/search", params={"q": "quill"}).json()["results"]] == ["Ada Quill"]


def test_the_entity_page_groups_relations_totals_money_and_dates_the_evidence(client):
    page = client.get("/api/entity", params={"id": BRAM}).json()
    assert page["relations"] == {
        "out": {"CRITICIZED": {"pieces": 1, "entities": 1}},
        "in": {"ENDORSES": {"pieces": 3, "entities": 2}, "DONATED_TO": {"pieces": 2, "entities": 1},
               "CRITICIZED": {"pieces": 2, "entities": 2}}}
    assert page["money"] == {"given": {}, "received": {"USD": 30000.0}}
    assert [day["date"] for day in page["timeline"]] == ["2031-05-01", "2031-05-02", "2031-05-03", "2031-05-04"]
    assert len(page["evidence"]) == 8
    assert page["evidence"][0]["article"] == "Quill backs Holloway" and page["evidence"][0]["url"] == "https://news.example/a1"


def test_an_unknown_entity_is_not_found(client):
    response = client.get("/api/entity", params={"id": "person:nobody"})
    assert response.status_code == 404 and "person:nobody" in response.json()["error"]


def test_the_network_starts_from_the_most_connected_and_filters_by_type(client):
    everything = client.get("/api/network").json()
    assert len(everything["nodes"]) == 7
    only = client.get("/api/network", params={"types": "DONATED_TO"}).json()
    assert {(e["source"], e["target"], e["evidence"]) for e in only["edges"]} == {
        (NCF, BRAM, 2), (LUMEN, "norp:harbor party", 1), (LUMEN, CLEO, 1)}


def test_expanding_an_entity_draws_its_neighbours_within_the_date_range(client):
    view = client.get("/api/network", params={"expand": CLEO, "to": "2031-05-03"}).json()
    assert view["expanded"] == [CLEO]
    assert view["edges"] == [{"source": CLEO, "target": BRAM, "relation": "CRITICIZED", "evidence": 1}]


def test_the_evidence_of_a_line_comes_with_its_article(client):
    found = client.get("/api/evidence", params={"subject": NCF, "object": BRAM, "relation": "DONATED_TO"}).json()
    assert [(e["amount"], e["article"], e["published"], e["source"]) for e in found["evidence"]] == [
        ("$25,000", "Fund gives to Holloway", "2031-05-02", "Harbor Ledger"),
        ("$5,000", "Fund gives to Holloway", "2031-05-02", "Harbor Ledger")]


def test_the_view_downloads_as_graphml(client):
    response = client.get("/api/network.graphml", params={"expand": ADA})
    graph = nx.parse_graphml(response.text)
    assert response.headers["content-type"] == "application/graphml+xml"
    assert sorted(graph.nodes) == sorted([ADA, BRAM])
    assert graph.nodes[ADA]["name"] == "Ada Quill"


@pytest.mark.parametrize("params, named", [
    ({"types": "LIKES"}, "types"), ({"from": "May 2031"}, "from"), ({"minconf": "high"}, "minconf"),
    ({"minconf": "2"}, "minconf")])
def test_a_bad_filter_is_refused_naming_it(client, params, named):
    response = client.get("/api/network", params=params)
    assert response.status_code == 400 and response.json()["error"].startswith(named + ":")


def test_no_route_accepts_a_write(client):
    for path in ("/", "/api/search", "/api/entity", "/api/network", "/api/evidence"):
        assert client.post(path).status_code == 405


def test_a_filter_value_never_becomes_cypher(client):
    sneaky = "x' OR 1=1 //"
    assert client.get("/api/search", params={"q": sneaky}).json()["results"] == []
    assert client.get("/api/network", params={"source": sneaky}).json()["nodes"] == []


def test_the_page_and_its_assets_load_nothing_from_elsewhere(client):
    page = client.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("sigma.min.js", "graphology.umd.min.js", "graphology-library.min.js", "explorer.js"):
        assert f'src="/assets/{name}"' in page.text
        assert client.get(f"/assets/{name}").status_code == 200
    assert client.get("/assets/../serve.py").status_code == 404


@pytest.mark.slow
def test_kg_serve_listens_on_this_machine_only_by_default(embedded_store):
    env = {**os.environ, "KG_DATA_DIR": str(embedded_store.directory), "CI": "1"}
    env.pop("NEO4J_URI", None)
    process = subprocess.Popen([sys.executable, "-c", "from kg.cli import app; app()", "serve", "--port", "0"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        import httpx

        assert httpx.get(url + "api/search", params={"q": "quill"}).json()["results"][0]["name"] == "Ada Quill"
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(20)
    assert process_gone(process.pid)


@pytest.mark.parametrize("environment, opens", [
    ({"DISPLAY": ":0"}, True), ({"WAYLAND_DISPLAY": "wayland-0"}, True),
    ({"DISPLAY": ":0", "CI": "true"}, False), ({}, False)])
def test_kg_serve_opens_a_browser_only_on_a_desktop_outside_ci(monkeypatch, environment, opens):
    from kg.cli_graph import _desktop

    for name in ("DISPLAY", "WAYLAND_DISPLAY", "CI"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", "linux")
    assert _desktop() is opens
