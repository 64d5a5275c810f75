"""The local Neo4j server run by ``scripts/neo4j``, one behaviour per test.

The server is started before pytest (``scripts/test`` does it) and found
through NEO4J_URI (default bolt://localhost:7687), NEO4J_USERNAME (neo4j) and
NEO4J_PASSWORD (kg-password); its HTTP port is KG_NEO4J_HTTP_PORT (7474).
Without a server these tests are skipped; KG_REQUIRE_NEO4J=1 makes them fail.
The ``slow`` test starts and stops a second server of its own on other ports,
so it never disturbs the shared one.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from tests.conftest import NEO4J_HTTP_PORT, free_port, process_gone

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "neo4j"

NEO4J_URI = os.environ.get("NEO4J_URI", "bolt://localhost:7687")
NEO4J_USER = os.environ.get("NEO4J_USERNAME", "neo4j")
NEO4J_PASSWORD = os.environ.get("NEO4J_PASSWORD", "kg-password")
HTTP_PORT = NEO4J_HTTP_PORT
HOST = urlsplit(NEO4J_URI).hostname or "localhost"
REQUIRE_NEO4J = os.environ.get("KG_REQUIRE_NEO4J", "") not in ("", "0")

TEST_LABEL = "KgServerTest"
VERSION_RE = re.compile(r"\b5\.\d+\.\d+\b")


def unavailable(reason: str):
    """Skip, or fail when the run requires Neo4j."""
    if REQUIRE_NEO4J:
        pytest.fail(reason)
    pytest.skip(reason)


def run_script(*args: str, env: dict[str, str] | None = None, timeout: float = 300):
    return subprocess.run(
        [str(SCRIPT), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.fixture(scope="module")
def driver():
    drv = GraphDatabase.driver(NEO4J_URI, auth=(NEO4J_USER, NEO4J_PASSWORD))
    try:
        drv.verify_connectivity()
    except (ServiceUnavailable, AuthError, OSError) as exc:
        drv.close()
        unavailable(f"Neo4j not available at {NEO4J_URI}: {exc}")
    yield drv
    drv.close()


@pytest.fixture
def test_nodes(driver):
    """The label this file writes under; its nodes are deleted afterwards."""
    yield TEST_LABEL
    driver.execute_query(f"MATCH (n:{TEST_LABEL}) DETACH DELETE n")


@pytest.fixture(scope="module")
def script_server():
    """The output of `scripts/neo4j status` for a server the script started."""
    status = run_script("status", timeout=60)
    if status.returncode == 3:
        unavailable("no server started by scripts/neo4j (run `scripts/neo4j start`)")
    return status


def test_written_node_reads_back_over_bolt(driver, test_nodes):
    key = str(uuid.uuid4())
    driver.execute_query(
        f"CREATE (:{test_nodes} {{key: $key, name: 'written'}})", key=key
    )

    records, _, _ = driver.execute_query(
        f"MATCH (n:{test_nodes} {{key: $key}}) RETURN n.name AS name", key=key
    )

    assert [r["name"] for r in records] == ["written"]


def test_browser_is_served_at_browser_path(driver):
    with urllib.request.urlopen(f"http://{HOST}:{HTTP_PORT}/browser/", timeout=10) as resp:
        status = resp.status
        content_type = resp.headers.get("Content-Type", "")
        body = resp.read().decode("utf-8", "replace")

    assert status == 200
    assert content_type.startswith("text/html")
    assert "<title>Neo4j Browser</title>" in body


def test_status_reports_running_server_with_its_version(driver, script_server):
    records, _, _ = driver.execute_query(
        "CALL dbms.components() YIELD versions RETURN versions[0] AS version"
    )
    server_version = records[0]["version"]

    assert script_server.returncode == 0
    assert "is running" in script_server.stdout
    assert f"Neo4j {server_version} " in script_server.stdout
    assert "bolt://" in script_server.stdout and "/browser/" in script_server.stdout


def test_status_exits_3_for_a_home_without_a_server(tmp_path):
    result = run_script("status", env={"KG_NEO4J_HOME": str(tmp_path)}, timeout=60)

    assert result.returncode == 3
    assert "not running" in result.stdout


@pytest.mark.slow
def test_stop_leaves_no_process_and_no_listener(tmp_path, script_server):
    home = tmp_path / "neo4j-home"
    bolt_port, http_port = free_port(), free_port()
    password = "second-server-pw"
    env = {
        "KG_NEO4J_HOME": str(home),
        "KG_NEO4J_BOLT_PORT": str(bolt_port),
        "KG_NEO4J_HTTP_PORT": str(http_port),
        "NEO4J_PASSWORD": password,
    }
    try:
        started = run_script("start", env=env)
        assert started.returncode == 0, started.stdout + started.stderr
        # The jars come from the cache the shared server already uses.
        assert "fetching" not in started.stdout
        assert (home / "lib").is_symlink()
        pid = int((home / "run" / "neo4j.pid").read_text())
        with GraphDatabase.driver(
            f"bolt://127.0.0.1:{bolt_port}", auth=("neo4j", password)
        ) as second:
            records, _, _ = second.execute_query("RETURN 1 AS one")
            assert records[0]["one"] == 1

        stopped = run_script("stop", env=env, timeout=120)

        assert stopped.returncode == 0, stopped.stdout + stopped.stderr
        assert process_gone(pid)
        assert not (home / "run" / "neo4j.pid").exists()
        assert refuses_connections(bolt_port)
        assert refuses_connections(http_port)
    finally:
        run_script("stop", env=env, timeout=120)
