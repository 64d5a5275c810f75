"""Extraction on a Dask cluster (kg.dask_backend): same graph as one process, workers that die, schedulers that go.

Real processes throughout: a LocalCluster of two worker processes, and a
`dask scheduler` with two `dask worker` processes started as subprocesses on
127.0.0.1 (free ports), one of them killed with SIGKILL mid-run. Every
subprocess is killed by a finalizer and every wait is bounded.
"""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from kg.errors import ConfigError, KgError
from kg.lexicon import load_lexicon
from kg.pipeline import batched, extract_graphs, ingest
from kg.records import Article
from kg.resolve import Resolver
from kg.sources import read_articles
from kg.store.embedded import EmbeddedStore
from tests.conftest import EXAMPLES, REPO

distributed = pytest.importorskip("distributed", reason='needs Dask: pip install "kg[dask]"')

from kg.dask_backend import (  # noqa: E402  (after the importorskip)
    DaskError,
    DaskExtractor,
    SchedulerLost,
    SchedulerUnavailable,
    WorkersUnavailable,
    extract_dask,
    parse_scheduler,
)

# -- helpers -------------------------------------------------------------------------------


def example_articles() -> list[Article]:
    return [a for a in read_articles([str(EXAMPLES)]) if isinstance(a, Article)]


FIRST = ("Marla", "Tobias", "Ines", "Corwin", "Delphine", "Anselm", "Rhea", "Bastian", "Odile", "Lorcan")
LAST = ("Quintrell", "Vennick", "Ashgrove", "Pellworth", "Strand", "Morrow", "Tallis", "Everard", "Kestrel", "Dunmore")
ORGS = ("Northmere Nurses Guild", "Velloran Dock Workers Union", "Friends of Caddis Park", "Brightwater Holdings")
TITLES = ("Sen.", "Mayor", "Rep.", "Gov.")


def generated_articles(n: int = 200, seed: int = 7) -> list[Article]:
    """`n` short articles about fictional people and groups, the same for the same seed."""
    rng = random.Random(seed)
    people = [f"{f} {s}" for f in FIRST for s in LAST]
    rng.shuffle(people)
    articles = []
    for i in range(n):
        a, b = rng.sample(people, 2)
        org = rng.choice(ORGS)
        sentences = [
            rng.choice((
                f"{rng.choice(TITLES)} {a} endorsed {rng.choice(TITLES)} {b} on Tuesday.",
                f"{org} donated ${rng.choice((500, 2500, 10000)):,} to {b}'s campaign.",
                f"{rng.choice(TITLES)} {a} criticized {org} over the harbour contract.",
            )),
            rng.choice((
                f"{b.split()[-1]} thanked supporters at a rally in Northmere.",
                "Turnout in the primary was low, officials said.",
                f"{a.split()[-1]} did not endorse {b} in the runoff.",
            )),
        ]
        articles.append(Article(id=f"gen-{i:04d}", text=" ".join(sentences), title=f"Story {i}", origin="generated"))
    return articles


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graph_without_timestamps(store: EmbeddedStore):
    graph = store.to_networkx(include_articles=True)
    nodes = {n: {k: v for k, v in d.items() if k != "ingested_at"} for n, d in graph.nodes(data=True)}
    edges = sorted((s, o, k, tuple(sorted((dk, repr(dv)) for dk, dv in d.items() if dk != "ingested_at")))
                   for s, o, k, d in graph.edges(keys=True, data=True))
    return nodes, edges


def write_like_the_pipeline(graphs, store: EmbeddedStore, batch_size: int = 64) -> int:
    """What kg ingest does with the graphs that come back: resolve and write batch by batch."""
    store.ensure_schema()
    resolver = Resolver(store)
    written = 0
    for batch in batched(graphs, batch_size):
        store.write(resolver.resolve(batch))
        written += len(batch)
    return written


class Processes:
    """`python -m dask ...` (the `dask` command) in their own sessions, each killed (with its children) at the end of a test."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "wb")
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        proc = subprocess.Popen([sys.executable, "-m", *args], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        self.running[name] = proc
        return proc

    def kill(self, name: str) -> None:
        proc = self.running.pop(name)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")[-3000:]

    def close(self) -> None:
        for name in list(self.running):
            self.kill(name)


@pytest.fixture
def processes(tmp_path, request):
    procs = Processes(tmp_path)
    request.addfinalizer(procs.close)
    return procs


def start_cluster(processes: Processes, workers: tuple[str, ...]) -> str:
    """A `dask scheduler` and `dask worker` processes on 127.0.0.1; returns the scheduler address."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    processes.start("scheduler", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                    "--no-dashboard", "--dashboard-address", "127.0.0.1:0")
    for name in workers:
        processes.start(name, "dask", "worker", address, "--nworkers", "1", "--nthreads", "1",
                        "--name", name, "--no-dashboard")
    deadline = time.monotonic() + 90
    with distributed.Client(address, timeout=60, set_as_default=False) as client:
        while len(client.nthreads()) < len(workers):
            if time.monotonic() > deadline:
                pytest.fail(f"Dask workers did not join in 90 s:\n{processes.log(workers[0])}")
            time.sleep(0.2)
    return address


def workers_of(client) -> dict[str, dict]:
    """Address -> info of every worker the scheduler knows (all of them, whatever the Dask version)."""
    try:
        return client.scheduler_info(n_workers=-1)["workers"]
    except TypeError:  # Dask before 2025: no n_workers, and every worker listed
        return client.scheduler_info()["workers"]


def worker_address(client, name: str) -> str:
    for address, info in workers_of(client).items():
        if info.get("name") == name:
            return address
    raise AssertionError(f"no worker named {name}")


# -- no cluster needed ---------------------------------------------------------------------


def test_scheduler_addresses_are_read_or_refused():
    assert parse_scheduler("local").is_local and parse_scheduler("local").workers >= 1
    assert parse_scheduler("local:3").workers == 3
    assert parse_scheduler("tcp://10.1.2.3:8786").address == "tcp://10.1.2.3:8786"
    assert parse_scheduler("scheduler.internal:8786").address == "tcp://scheduler.internal:8786"
    for bad in ("", "local:0", "local:two", "http://scheduler:8786"):
        with pytest.raises(ConfigError):
            parse_scheduler(bad)


def test_without_dask_the_error_says_what_to_install():
    # A fresh interpreter in which distributed cannot be imported, as when it is not installed.
    script = textwrap.dedent(
        """
        import sys
        sys.modules["distributed"] = None
        from kg.dask_backend import extract_dask
        from kg.errors import ConfigError
        try:
            extract_dask([], scheduler="local:1", model=None, lexicon_file=None)
        except ConfigError as exc:
            print(exc)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert 'pip install "kg[dask]"' in out.stdout


def test_a_dead_scheduler_address_fails_clearly_and_in_bounded_time():
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    started = time.monotonic()
    with pytest.raises(SchedulerUnavailable) as info:
        with DaskExtractor(scheduler=address, connect_timeout=3) as extractor:
            list(extractor.extract(example_articles()))
    assert time.monotonic() - started < 30
    message = str(info.value)
    assert address in message and "dask scheduler" in message and "--dask" in message
    assert isinstance(info.value, KgError)


def test_a_bad_lexicon_file_fails_on_the_client_before_any_cluster(tmp_path):
    bad = tmp_path / "lexicon.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(KgError, match="lexicon.json"):
        extract_dask([], scheduler="tcp://127.0.0.1:1", model=None, lexicon_file=str(bad))


# -- a LocalCluster of two worker processes --------------------------------------------------


@pytest.fixture(scope="module")
def local_two():
    with DaskExtractor(scheduler="local:2", partition_size=2, max_in_flight=4) as extractor:
        yield extractor.connect()


@pytest.mark.slow
def test_local_cluster_gives_the_graphs_of_a_single_process_run(local_two, nlp, lexicon):
    articles = example_articles()
    expected = list(extract_graphs(articles, nlp=nlp, lexicon=lexicon))

    got = list(local_two.extract(articles))

    assert [g.article.id for g in got] == [a.id for a in articles]
    assert got == expected
    # Both workers took part, and each loaded the pipeline once.
    loads = local_two.client.run(lambda: __import__("kg.dask_backend").dask_backend._worker_extractor.cache_info().misses)
    assert sorted(loads.values()) == [1, 1]


@pytest.mark.slow
def test_local_cluster_through_the_embedded_store_gives_the_pipeline_graph(local_two, tmp_path, nlp, lexicon):
    articles = example_articles()
    with EmbeddedStore(tmp_path / "single") as single:
        report = ingest(read_articles([str(EXAMPLES)]), store=single, nlp=nlp, lexicon=lexicon)
        assert report.ok and report.articles_written == len(articles)
        expected = graph_without_timestamps(single)
    with EmbeddedStore(tmp_path / "dask") as store:
        assert write_like_the_pipeline(local_two.extract(articles), store) == len(articles)
        got = graph_without_timestamps(store)
    assert got == expected
    assert expected[1], "the examples have relations"


@pytest.mark.slow
def test_the_pipeline_hook_spreads_a_batch_over_the_workers(local_two, nlp, lexicon):
    articles = generated_articles(40, seed=3)
    expected = list(extract_graphs(articles, nlp=nlp, lexicon=lexicon))
    assert local_two.worker_threads() == 2
    submitted = local_two._submitted

    failures = []
    local_two.partition_size = 64
    try:
        assert local_two.extract_batch(articles, failures.append) == expected
    finally:
        local_two.partition_size = 2
    assert failures == []
    assert local_two._submitted - submitted == 4  # 40 articles, 2 workers: 4 partitions of 10, not 1 of 40


@pytest.mark.slow
def test_a_lexicon_file_travels_to_the_workers_and_extractor_failures_are_reported(tmp_path, nlp):
    # A lexicon that loads but breaks the extractor on "endorse": those articles fail, the others go on.
    lexicon_file = tmp_path / "breaks-endorse.json"
    lexicon_file.write_text('{"verbs": {"endorse": {"predicate": "ENDORSES", "object_preps": 5}}}', encoding="utf-8")
    articles = generated_articles(30, seed=5)
    expected_failures = []
    expected = list(extract_graphs(articles, nlp=nlp, lexicon=load_lexicon(lexicon_file),
                                   on_error=expected_failures.append))
    assert expected_failures and expected, "the lexicon breaks some articles, not all"

    failures = []
    got = list(extract_dask(articles, scheduler="local:1", model=None, lexicon_file=str(lexicon_file),
                            partition_size=7, on_error=failures.append))
    assert got == expected
    assert failures == expected_failures

    with pytest.raises(DaskError, match="extraction failed"):
        list(extract_dask(articles, scheduler="local:1", model=None, lexicon_file=str(lexicon_file)))


# -- a scheduler and workers in their own processes --------------------------------------------


@pytest.mark.slow
def test_a_worker_killed_mid_run_changes_nothing(processes, nlp, lexicon):
    articles = generated_articles(200)
    expected = list(extract_graphs(articles, nlp=nlp, lexicon=lexicon))
    address = start_cluster(processes, ("worker-a", "worker-b"))

    got = []
    killed_while_busy = None
    with DaskExtractor(scheduler=address, partition_size=5, max_in_flight=6) as extractor:
        victim = worker_address(extractor.client, "worker-b")
        for graph in extractor.extract(articles):
            got.append(graph)
            if len(got) == 30:
                # Kill worker-b while it holds a partition, so that partition must be run again elsewhere.
                deadline = time.monotonic() + 30
                while not (killed_while_busy := extractor.client.processing(workers=[victim]).get(victim)):
                    assert time.monotonic() < deadline, "worker-b was given no partition in 30 s"
                    time.sleep(0.01)
                processes.kill("worker-b")
        remaining = list(workers_of(extractor.client).values())

    assert killed_while_busy, "worker-b held no partition when killed"
    assert [info["name"] for info in remaining] == ["worker-a"]
    assert [g.article.id for g in got] == [a.id for a in articles]
    assert got == expected


@pytest.mark.slow
def test_a_scheduler_without_workers_ends_the_run_after_the_timeout(processes):
    address = start_cluster(processes, ())
    started = time.monotonic()
    with pytest.raises(WorkersUnavailable, match="no worker for 3 s") as info:
        with DaskExtractor(scheduler=address, no_worker_timeout=3) as extractor:
            list(extractor.extract(generated_articles(3)))
    assert time.monotonic() - started < 30
    assert f"dask worker {address}" in str(info.value)


@pytest.mark.slow
def test_a_scheduler_lost_mid_run_ends_it_clearly_and_a_rerun_completes_it(processes, tmp_path, nlp, lexicon):
    articles = generated_articles(120, seed=11)
    address = start_cluster(processes, ("worker-a",))
    store = EmbeddedStore(tmp_path / "kg-data")
    store.ensure_schema()
    resolver = Resolver(store)
    written = 0
    started = None
    with pytest.raises(SchedulerLost) as info:
        with DaskExtractor(scheduler=address, partition_size=5, max_in_flight=4) as extractor:
            for batch in batched(extractor.extract(articles), 20):
                store.write(resolver.resolve(batch))
                written += len(batch)
                if written == 40:
                    processes.kill("scheduler")
                    started = time.monotonic()
    assert time.monotonic() - started < 60
    message = str(info.value)
    assert address in message and "rerun" in message
    assert written == 40 == len(store.known_articles(a.id for a in articles))

    # The rerun (here on a local cluster) extracts only what was not written.
    fresh = [a for a in articles if a.id not in store.known_articles(a.id for a in articles)]
    assert len(fresh) == 80
    write_like_the_pipeline(extract_dask(fresh, scheduler="local:1", model=None, lexicon_file=None), store)
    assert store.known_articles(a.id for a in articles) == {a.id for a in articles}
    store.close()
