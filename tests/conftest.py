"""Shared fixtures: the two stores, the spaCy pipeline, and the CLI runner.

The Neo4j fixtures talk to the real server at NEO4J_URI (default
bolt://localhost:7687, started by scripts/neo4j start); the suite owns its
database and wipes it before each test. Without a server the Neo4j variants
are skipped, unless KG_REQUIRE_NEO4J=1 (scripts/test sets it) makes that an
error.
"""

from __future__ import annotations

import os
import signal
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.config import Neo4jSettings
from kg.errors import StoreUnavailable
from kg.lexicon import load_lexicon
from kg.nlp import load_pipeline
from kg.store.embedded import EmbeddedStore
from kg.store.neo4j import Neo4jStore

# Tests send Ctrl-C to kg processes as a terminal would. A suite started in the
# background (nohup, `&` in a script) has SIGINT ignored, and its children would
# inherit that; give them the terminal's default instead.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "articles"
NEO4J = Neo4jSettings(
    uri=os.environ.get("NEO4J_URI", "bolt://localhost:7687"),
    user=os.environ.get("NEO4J_USERNAME", os.environ.get("NEO4J_USER", "neo4j")),
    password=os.environ.get("NEO4J_PASSWORD", "kg-password"),
    database=os.environ.get("NEO4J_DATABASE", "neo4j"),
)
REQUIRE_NEO4J = os.environ.get("KG_REQUIRE_NEO4J", "") not in ("", "0")
#: The test server's HTTP port, which serves Neo4j Browser (scripts/test exports it).
NEO4J_HTTP_PORT = int(os.environ.get("KG_NEO4J_HTTP_PORT", "7474"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_gone(pid: int) -> bool:
    """No such process, or only an exited one not yet reaped by its parent."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


def open_neo4j() -> Neo4jStore:
    """A Neo4jStore on the test database, wiped; skips without a server."""
    try:
        store = Neo4jStore(NEO4J.uri, user=NEO4J.user, password=NEO4J.password, database=NEO4J.database)
    except StoreUnavailable as exc:
        if REQUIRE_NEO4J:
            raise
        pytest.skip(f"Neo4j not available: {exc}")
    cypher(store, "MATCH (n) DETACH DELETE n")
    return store


def cypher(store: Neo4jStore, query: str, **parameters) -> list:
    """Run Cypher on the test server through the store's public session; the records."""
    with store.session(write=True) as session:
        return list(session.run(query, parameters))


@pytest.fixture
def neo4j_store():
    store = open_neo4j()
    yield store
    store.close()


@pytest.fixture
def embedded_store(tmp_path):
    store = EmbeddedStore(tmp_path / "kg-data")
    yield store
    store.close()


@pytest.fixture(params=["embedded", "neo4j"])
def store(request):
    return request.getfixturevalue(f"{request.param}_store")


@pytest.fixture(scope="session")
def nlp():
    return load_pipeline()


@pytest.fixture(scope="session")
def lexicon():
    return load_lexicon()


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture
def neo4j_env(neo4j_store):
    """Environment that points the CLI at the (wiped) test Neo4j."""
    return {"NEO4J_URI": NEO4J.uri, "NEO4J_USERNAME": NEO4J.user, "NEO4J_PASSWORD": NEO4J.password,
            "NEO4J_DATABASE": NEO4J.database}


@pytest.fixture
def embedded_env(tmp_path, monkeypatch):
    """Environment that points the CLI at an embedded store in a temporary directory."""
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.chdir(tmp_path)
    return {"KG_DATA_DIR": str(tmp_path / "kg-data")}
