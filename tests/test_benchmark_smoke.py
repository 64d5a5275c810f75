"""benchmarks/throughput.py runs end to end on a tiny corpus and prints every ratio.

A smoke test only: no timing is asserted (the machine is shared and tiny
runs are dominated by start-up). Neo4j rows use the test database when it
answers (the suite owns and wipes it); without one they print "skipped".
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys

import pytest

from kg.errors import StoreUnavailable
from kg.store.neo4j import Neo4jStore
from tests.conftest import NEO4J, REPO, REQUIRE_NEO4J, cypher

BENCHMARKS = REPO / "benchmarks"


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCHMARKS))
    return module


def test_corpus_is_deterministic_and_realistic():
    corpus = _load("corpus")
    first, again = corpus.generate(60), corpus.generate(60)
    assert first == again
    assert first != corpus.generate(60, seed=corpus.DEFAULT_SEED + 1)
    assert len({a["id"] for a in first}) == 60
    paragraphs = [a["text"].count("\n\n") + 1 for a in first]
    assert min(paragraphs) >= 4 and max(paragraphs) <= 12
    text = " ".join(a["text"] for a in first)
    for cue in ("endorsed", "donat", "criticized", "did not", "said"):
        assert cue in text
    graphs = list(corpus.synthetic_graphs(20, entities_per_article=10))
    assert len({e.id for g in graphs for e in g.entities}) == 200


def _test_neo4j_uri() -> str | None:
    """The suite's own Neo4j, wiped, or None when there is none."""
    try:
        store = Neo4jStore(NEO4J.uri, user=NEO4J.user, password=NEO4J.password, database=NEO4J.database)
    except StoreUnavailable:
        if REQUIRE_NEO4J:
            raise
        return None
    try:
        cypher(store, "MATCH (n) DETACH DELETE n")
    finally:
        store.close()
    return NEO4J.uri


@pytest.mark.slow
def test_throughput_benchmark_smoke(tmp_path):
    throughput = _load("throughput")
    uri = _test_neo4j_uri()
    out = tmp_path / "results.json"
    argv = [sys.executable, str(BENCHMARKS / "throughput.py"), "--articles", "12", "--prefill-entities", "400",
            "--flat-articles", "6", "--micro-articles", "4", "--profile-articles", "6", "--quiet",
            "--json-out", str(out)]
    env = {**os.environ, "NEO4J_PASSWORD": NEO4J.password, "NEO4J_USERNAME": NEO4J.user,
           "NEO4J_DATABASE": NEO4J.database}
    env.pop("KG_BENCH_NEO4J_URI", None)
    if uri:
        argv += ["--neo4j-uri", uri]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = done.stdout
    for _, label, _, _ in throughput.RATIOS:
        assert label in printed
    for row in ("(a)  spaCy nlp.pipe", "(b)  kg extract", "(c)  kg ingest -> Neo4j", "(d)  kg ingest -> embedded",
                "(e)  re-ingest unchanged -> Neo4j", "machine:", "top kg functions by own time"):
        assert row in printed
    results = json.loads(out.read_text())
    assert results["runs"]["b"]["articles"] == 12
    assert results["runs"]["a"]["tokens"] > 0
    if uri:
        assert results["runs"]["c"]["written"] == 12
        assert results["runs"]["e"]["skipped"] == 12
        micro = results["runs"]["neo4j_micro"]
        assert micro["batched_census"] == micro["naive_census"]
    else:
        assert "skipped" in printed


@pytest.mark.slow
def test_formats_benchmark_smoke(tmp_path):
    argv = [sys.executable, str(BENCHMARKS / "formats.py"), "--small-rows", "20", "--large-rows", "200",
            "--warc-articles", "4"]
    done = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    printed = done.stdout
    for row in ("read CSV, 20 rows", "read CSV, 200 rows", "read Parquet, 20 rows", "read Parquet, 200 rows", "ingest WARC into the embedded store",
                "peak RSS, CSV 200 rows / 20 rows", "ingest throughput, WARC / JSONL",
                "HTML extraction (read WARC - read JSONL), per article"):
        assert row in printed


def test_store_scale_plants_the_same_neighbourhood_in_every_size():
    store_scale = _load("store_scale")
    planted = {f"{t.lower()}:{n.lower()}" for n, t in store_scale.PLANTED}

    def planted_relations(entities: int) -> list:
        return [r for g in store_scale.scale_graphs(entities) for r in g.relations
                if r.subject in planted or r.object in planted]

    small, large = planted_relations(400), planted_relations(1200)
    assert small == large
    assert len(small) == 2 * len(planted) * store_scale.PLANTED_ARTICLES
    entities = {e.id for g in store_scale.scale_graphs(1200) for e in g.entities}
    assert len(entities) == 1200 + len(planted)


@pytest.mark.slow
def test_store_scale_benchmark_smoke(tmp_path):
    """Tiny stores, one run each: every query and the whole-graph export report a row."""
    store_scale = _load("store_scale")
    out = tmp_path / "results.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "store_scale.py"), "--sizes", "400,800", "--repeat", "1",
         "--stores", str(tmp_path / "stores"), "--json-out", str(out)],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900, check=False)
    assert done.returncode in (0, 1), done.stderr[-3000:]  # 1: a target missed on a loaded machine
    for name, _ in store_scale.QUERIES:
        assert name in done.stdout
    results = json.loads(out.read_text())
    assert set(results) == {name for name, _ in store_scale.QUERIES} | {"export json"}
    assert results["endorsements-of"]["800"]["rows"] == results["endorsements-of"]["400"]["rows"] > 0
    assert (tmp_path / "stores" / "entities-800" / "built.json").is_file()
