"""Reliability and security of `kg ingest`: faults, bad input, concurrency, credentials, limits.

Real processes and servers throughout: every run is `python -m kg.cli ingest`
in a subprocess (in its own session, killed at the end of its test, every
wait bounded), against the embedded store and against a real Neo4j.

- Tests on Neo4j use the suite's server (NEO4J_URI, see conftest.py), except
  the ``slow`` ones that kill a server or need a database no one else uses:
  those start a Neo4j of their own with ``scripts/neo4j`` (a temporary home,
  free ports, the cached jars), kill its JVM (the pid in
  ``$KG_NEO4J_HOME/run/neo4j.pid``, checked against its command line),
  restart it, and stop it when the session ends.
- The corpus of the fault tests is written by `write_corpus`: short articles
  about fictional people (every surname belongs to one person) that state
  ENDORSES, DONATED_TO and CRITICIZED relations. Its "clean" graph comes from
  one uninterrupted run into an embedded store in this process, with the
  same batch size; a run that was broken and rerun must end with exactly that
  graph (nodes, relationships and their properties, ``ingested_at`` aside) and
  exactly its counts (a doubled relationship would show there).
"""

from __future__ import annotations

import json
import os
import queue
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kg.errors import AuthFailed
from kg.lexicon import load_lexicon
from kg.nlp import load_pipeline
from kg.pipeline import extract_graphs, ingest, split_text
from kg.records import Article
from kg.sources import read_articles
from kg.store.embedded import EmbeddedStore
from kg.store.neo4j import Neo4jStore
from tests.conftest import EXAMPLES, NEO4J, REPO, REQUIRE_NEO4J, cypher, free_port, process_gone

BAD = REPO / "tests" / "data" / "bad"
SCRIPT = REPO / "scripts" / "neo4j"
#: Password of the fault tests' own Neo4j.
FAULT_PASSWORD = "kg-fault-password"
BATCH = 8


# -- the corpus --------------------------------------------------------------------------------

FIRST = ("Orla", "Benedikt", "Samira", "Teodor", "Yara", "Callum", "Leona", "Matthias", "Ozren", "Priyanka",
         "Fenna", "Anouk", "Rurik", "Sunniva", "Ilario", "Maren")
LAST = ("Vashti", "Kettleby", "Brannock", "Oyelaran", "Quenby", "Harrowgate", "Lindqvist", "Trevanion",
        "Abernethy", "Castellane", "Wexford", "Moravec", "Penhallow", "Szabo", "Talbridge", "Ruthven")
TITLES = ("Sen.", "Rep.", "Mayor", "Gov.")
ORGS = ("Harlow Valley Farmers Guild", "Corvane Transit Workers Union", "Friends of Ashby Marsh",
        "Quillon Shipping Company")
TOPICS = ("ferry contract", "harbor dredging plan", "school budget", "bridge tolls")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def corpus_records(start: int, stop: int, *, cross_references: bool) -> list[dict]:
    """Articles number start..stop-1; the same number always gives the same article.

    With cross_references some articles name a person by surname alone who is
    named in full only in other articles, so their entity depends on what the
    store already holds (kg.resolve); a rerun must still reach the clean graph.
    """
    people = [f"{first} {last}" for first, last in zip(FIRST, LAST)]
    records = []
    for i in range(start, stop):
        rng = random.Random(i)
        a, b = rng.sample(people, 2)
        org, topic, day = rng.choice(ORGS), rng.choice(TOPICS), rng.choice(DAYS)
        t1, t2 = rng.choice(TITLES), rng.choice(TITLES)
        text = rng.choice((
            f"{t1} {a} endorsed {t2} {b} on {day}. {a.split()[-1]} called {b.split()[-1]} a steady hand.",
            (f"The {org} donated ${rng.choice((500, 2500, 10000)):,} to {b}'s campaign on {day}. "
             f"{b.split()[-1]} thanked supporters in Ardmore."),
            (f"{t1} {a} criticized the {org} over the {topic} on {day}. "
             f"{a.split()[-1]} said the contract was never put out to bid."),
            f"{t1} {a} criticized {t2} {b} over the {topic}. Turnout at the hearing was low.",
        ))
        if cross_references and i % 5 == 0:
            other = rng.choice([p for p in people if p not in (a, b)])
            text += f" {other.split()[-1]} did not comment."
        records.append({"id": f"gen-{i:04d}", "title": f"Ardmore report {i}", "text": text,
                        "source": "Ardmore Gazette", "published": f"2025-04-{i % 28 + 1:02d}"})
    return records


def write_corpus(directory: Path, start: int, stop: int, *, cross_references: bool = True,
                 per_file: int = 60) -> Path:
    """Articles start..stop-1 as JSONL files of `per_file` lines each, in `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    records = corpus_records(start, stop, cross_references=cross_references)
    for n in range(0, len(records), per_file):
        chunk = records[n:n + per_file]
        name = f"wire-{start + n:04d}.jsonl"
        (directory / name).write_text("".join(json.dumps(r) + "\n" for r in chunk), encoding="utf-8")
    return directory


# -- graphs ----------------------------------------------------------------------------------


def snapshot(store) -> dict:
    """Everything a store holds, ingested_at aside: nodes, edges (with properties) and counts."""
    graph = store.to_networkx(include_articles=True)
    nodes = {n: tuple(sorted((k, repr(v)) for k, v in d.items() if k != "ingested_at"))
             for n, d in graph.nodes(data=True)}
    edges = {(s, o, k): tuple(sorted((dk, repr(dv)) for dk, dv in d.items()))
             for s, o, k, d in graph.edges(keys=True, data=True)}
    return {"nodes": nodes, "edges": edges, "counts": store.counts()}


def assert_same_graph(got: dict, want: dict) -> None:
    """Equal snapshots, or a short account of the first differences."""
    problems = []
    for part in ("nodes", "edges"):
        missing = sorted(set(want[part]) - set(got[part]))
        extra = sorted(set(got[part]) - set(want[part]))
        changed = sorted(k for k in set(want[part]) & set(got[part]) if want[part][k] != got[part][k])
        if missing:
            problems.append(f"{len(missing)} {part} missing, e.g. {missing[:3]}")
        if extra:
            problems.append(f"{len(extra)} {part} extra, e.g. {extra[:3]}")
        if changed:
            k = changed[0]
            problems.append(f"{len(changed)} {part} changed, e.g. {k}: {got[part][k]} != {want[part][k]}")
    if got["counts"] != want["counts"]:
        problems.append(f"counts {got['counts']} != {want['counts']}")
    assert not problems, "; ".join(problems)


@pytest.fixture(scope="session")
def clean_graph(tmp_path_factory):
    """clean_graph(corpus_dir) -> snapshot of one uninterrupted run, batch size 8, in an embedded store."""
    cache: dict[str, dict] = {}
    nlp, lexicon = load_pipeline(), load_lexicon()

    def build(corpus: Path) -> dict:
        key = json.dumps(sorted((p.name, p.read_text()) for p in corpus.iterdir()))
        if key not in cache:
            with EmbeddedStore(tmp_path_factory.mktemp("clean")) as store:
                report = ingest(read_articles([str(corpus)]), store=store, nlp=nlp, lexicon=lexicon, batch_size=BATCH)
                assert report.ok, report.as_dict()
                cache[key] = snapshot(store)
        return cache[key]

    return build


# -- kg in a subprocess --------------------------------------------------------------------------

PROGRESS = re.compile(r"^(\d+) articles read, (\d+) written, (\d+) skipped, (\d+) relations, (\d+) failed$")


class Kg:
    """One `kg ingest` (or other command) in a subprocess of its own session; output read as it comes."""

    def __init__(self, args: list[str], *, env: dict[str, str], cwd: Path, stdin=subprocess.DEVNULL):
        self.args = args
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", *args], cwd=cwd, env=env, stdin=stdin,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True,
        )
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        self._lines: queue.Queue[str] = queue.Queue()
        #: Peak resident memory of the kg process, in MB, as last seen in /proc.
        self.peak_mb = 0.0
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout, False), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr, True), daemon=True),
        ]
        for reader in self._readers:
            reader.start()
        threading.Thread(target=self._watch_memory, daemon=True).start()

    def _watch_memory(self) -> None:
        while self.proc.poll() is None:
            try:
                status = Path(f"/proc/{self.proc.pid}/status").read_text()
            except OSError:
                return
            if match := re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE):
                self.peak_mb = max(self.peak_mb, int(match.group(1)) / 1024)
            time.sleep(0.1)

    def _read(self, stream, into: list[str], notify: bool) -> None:
        for line in stream:
            into.append(line)
            if notify:
                self._lines.put(line)

    def written(self) -> int:
        """Articles written, as the last progress line said."""
        counts = [int(m.group(2)) for line in self.stderr if (m := PROGRESS.match(line.strip()))]
        return counts[-1] if counts else 0

    def wait_for(self, condition, timeout: float, what: str) -> str:
        """Wait for a stderr line satisfying `condition`; return it."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {what} in {timeout} s; stderr ends:\n{''.join(self.stderr[-20:])}")
            try:
                line = self._lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                if self.proc.poll() is not None and self._lines.empty() and not self._readers[1].is_alive():
                    raise AssertionError(f"kg ended (exit {self.proc.returncode}) before {what}:\n"
                                         f"{''.join(self.stderr[-20:])}") from None
                continue
            if condition(line):
                return line

    def wait_written(self, n: int, timeout: float = 120) -> int:
        self.wait_for(lambda line: (m := PROGRESS.match(line.strip())) is not None and int(m.group(2)) >= n,
                      timeout, f"progress line with {n} articles written")
        return self.written()

    def signal(self, signum: int) -> None:
        self.proc.send_signal(signum)

    def finish(self, timeout: float = 300) -> tuple[int, str, str]:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"kg {' '.join(self.args[:1])} did not end in {timeout} s; stderr ends:\n"
                                 f"{''.join(self.stderr[-20:])}") from None
        for reader in self._readers:
            reader.join(timeout=30)
        return self.proc.returncode, "".join(self.stdout), "".join(self.stderr)

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=30)


@pytest.fixture
def kg(tmp_path, request):
    """kg(args, env) -> a running Kg in tmp_path; every one is killed when the test ends."""
    started: list[Kg] = []
    request.addfinalizer(lambda: [run.kill() for run in started])

    def start(args: list[str], env: dict[str, str], cwd: Path | None = None, stdin=subprocess.DEVNULL) -> Kg:
        run = Kg(args, env=env, cwd=cwd or tmp_path, stdin=stdin)
        started.append(run)
        return run

    return start


def base_env(**extra: str) -> dict[str, str]:
    """This process's environment without any kg or Neo4j setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_"))}
    env.update(PYTHONPATH=str(REPO), COLUMNS="80", **extra)
    return env


def neo4j_env(uri: str, password: str, **extra: str) -> dict[str, str]:
    return base_env(NEO4J_URI=uri, NEO4J_USERNAME=NEO4J.user, NEO4J_PASSWORD=password,
                    NEO4J_DATABASE=NEO4J.database, **extra)


def run_kg(kg, args: list[str], env: dict[str, str], timeout: float = 300, cwd: Path | None = None):
    return kg(args, env, cwd).finish(timeout)


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture(params=["embedded", "neo4j"])
def target(request, tmp_path):
    """(environment for a kg subprocess, the same store opened here), on each store."""
    if request.param == "embedded":
        store = request.getfixturevalue("embedded_store")
        return base_env(KG_DATA_DIR=str(tmp_path / "kg-data")), store
    store = request.getfixturevalue("neo4j_store")
    return neo4j_env(NEO4J.uri, NEO4J.password), store


# -- a Neo4j of the fault tests' own ------------------------------------------------------------------


class FaultServer:
    """A Neo4j run by scripts/neo4j in a temporary home on free ports, for the tests that kill one."""

    def __init__(self, home: Path):
        self.home = home
        self.bolt, self.http = free_port(), free_port()
        self.uri = f"bolt://localhost:{self.bolt}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "KG_NEO4J_"))},
            "KG_NEO4J_HOME": str(home), "KG_NEO4J_BOLT_PORT": str(self.bolt), "KG_NEO4J_HTTP_PORT": str(self.http),
            "NEO4J_PASSWORD": FAULT_PASSWORD,
        }
        if "KG_NEO4J_CACHE" in os.environ:
            self.env["KG_NEO4J_CACHE"] = os.environ["KG_NEO4J_CACHE"]

    def script(self, command: str, timeout: float = 240) -> str:
        result = subprocess.run([str(SCRIPT), command], env=self.env, capture_output=True, text=True, timeout=timeout,
                                check=False)
        assert result.returncode == 0, f"scripts/neo4j {command} failed:\n{result.stdout}{result.stderr}"
        return result.stdout

    def start(self) -> None:
        self.script("start")

    def stop(self) -> None:
        self.script("stop")

    def pid(self) -> int:
        """The server JVM: scripts/neo4j writes its pid (the shell execs java), checked here by command line."""
        pid = int((self.home / "run" / "neo4j.pid").read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        assert "org.neo4j.server.CommunityEntryPoint" in cmdline and f"--home-dir={self.home.resolve()} " in cmdline
        return pid

    def kill(self) -> None:
        """SIGKILL the JVM, as a crash or the OOM killer would, and wait until it is gone."""
        pid = self.pid()
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while not process_gone(pid):
            assert time.monotonic() < deadline, "the Neo4j JVM outlived SIGKILL by 30 s"
            time.sleep(0.05)

    def store(self) -> Neo4jStore:
        return Neo4jStore(self.uri, password=FAULT_PASSWORD)

    def wipe(self) -> None:
        """An empty database: no nodes, and no constraints or indexes either."""
        with self.store() as store:
            cypher(store, "MATCH (n) DETACH DELETE n")
            for record in cypher(store, "SHOW CONSTRAINTS YIELD name"):
                cypher(store, f"DROP CONSTRAINT `{record['name']}`")
            for record in cypher(store, "SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'"):
                cypher(store, f"DROP INDEX `{record['name']}`")

    def kg_env(self, **extra: str) -> dict[str, str]:
        return neo4j_env(self.uri, FAULT_PASSWORD, **extra)


@pytest.fixture(scope="session")
def fault_server(tmp_path_factory):
    """A Neo4j of these tests' own; without Java or the jars, a skip (a failure with KG_REQUIRE_NEO4J=1)."""
    server = FaultServer(tmp_path_factory.mktemp("neo4j-fault"))
    try:
        try:
            server.start()
        except AssertionError as exc:
            if REQUIRE_NEO4J:
                raise
            pytest.skip(f"cannot start a Neo4j for the fault tests: {exc}")
        yield server
    finally:
        server.stop()


# -- limits ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--batch-size", "0"], {}, "error: --batch-size must be from 1 to 10,000, not 0"),
        (["--batch-size", "10001"], {}, "error: --batch-size must be from 1 to 10,000, not 10,001"),
        ([], {"KG_BATCH_SIZE": "lots"}, "error: KG_BATCH_SIZE must be a whole number from 1 to 10,000, not 'lots'"),
        ([], {"KG_BATCH_SIZE": "-3"}, "error: KG_BATCH_SIZE must be from 1 to 10,000, not -3"),
        (["--max-chars", "0"], {}, "error: --max-chars must be from 1 to 10,000,000, not 0"),
        ([], {"KG_MAX_CHARS": "20000000"}, "error: KG_MAX_CHARS must be from 1 to 10,000,000, not 20,000,000"),
    ],
)
def test_a_limit_out_of_range_is_one_line_and_exit_2(kg, tmp_path, args, env, message):
    code, out, err = run_kg(kg, ["ingest", str(EXAMPLES), *args], base_env(KG_DATA_DIR=str(tmp_path / "kg-data"), **env))
    assert (code, out, lines_of(err)) == (2, "", [message])
    assert not (tmp_path / "kg-data").exists()


def test_batch_size_comes_from_kg_batch_size_in_dotenv(kg, tmp_path):
    (tmp_path / ".env").write_text("KG_BATCH_SIZE=3\n")
    code, _, err = run_kg(kg, ["ingest", str(EXAMPLES)], base_env(KG_DATA_DIR=str(tmp_path / "kg-data")))
    progress = [(int(m.group(1)), int(m.group(2))) for line in err.splitlines() if (m := PROGRESS.match(line))]
    assert code == 0
    # (read, written) after each batch: a batch is written while the next one is parsed.
    assert progress == [(3, 0), (6, 3), (8, 8)]


def test_an_article_over_max_chars_is_reported_and_the_rest_written(kg, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "long.txt").write_text("A long one\n\n" + "Sen. Ada Quist spoke. " * 100)
    (tmp_path / "in" / "short.txt").write_text("A short one\n\nSen. Ada Quist endorsed Rep. Tomas Vell on Friday.")
    code, out, err = run_kg(kg, ["ingest", str(tmp_path / "in"), "--max-chars", "1000", "--format", "json"],
                            base_env(KG_DATA_DIR=str(tmp_path / "kg-data")))
    assert code == 1
    assert lines_of(err) == [(f"skipped {tmp_path}/in/long.txt: article text is 2,199 characters, over the limit "
                              "of 1,000; raise it with --max-chars or KG_MAX_CHARS")]
    assert json.loads(out)["articles_written"] == 1


def test_an_article_over_spacys_max_length_is_refused_naming_max_chars(kg, tmp_path):
    body = "Sen. Ada Quist endorsed Rep. Tomas Vell for treasurer on Monday. " * 16_000
    (tmp_path / "huge.txt").write_text("Huge\n\n" + body)
    code, _, err = run_kg(kg, ["ingest", str(tmp_path / "huge.txt"), "--max-chars", "1000000", "--format", "json"],
                          base_env(KG_DATA_DIR=str(tmp_path / "kg-data")))
    assert code == 1
    assert lines_of(err) == [(f"skipped {tmp_path}/huge.txt: article text is {len(body.strip()):,} characters, "
                              "over the limit of 1,000,000; raise it with --max-chars or KG_MAX_CHARS")]


@pytest.mark.slow
def test_an_article_over_spacys_max_length_is_ingested_in_bounded_memory(kg, tmp_path):
    """1.05 million characters (spaCy refuses a Doc over 1,000,000): parsed in pieces, offsets kept."""
    sentences = [f"Sen. Ada Quist endorsed Rep. Tomas Vell for treasurer on day {i}." for i in range(15_700)]
    sentences.append("Gov. Hilde Marrow criticized Sen. Ada Quist over the ferry contract.")
    body = " ".join(sentences)
    assert len(body) > 1_050_000
    (tmp_path / "huge.txt").write_text("Huge\n\n" + body)
    run = kg(["ingest", str(tmp_path / "huge.txt"), "--format", "json"], base_env(KG_DATA_DIR=str(tmp_path / "kg-data")))
    code, out, err = run.finish(600)
    assert (code, err) == (0, "")
    assert json.loads(out)["articles_written"] == 1
    # Parsed whole, this article takes spaCy's small English pipeline to about 3 GB; in pieces 0.65 GB.
    assert 100 < run.peak_mb < 1000, f"kg used {run.peak_mb:.0f} MB"
    with EmbeddedStore(tmp_path / "kg-data") as store:
        edges = [d for _, _, d in store.to_networkx().edges(data=True)]
    last = max(edges, key=lambda d: d["start"])
    assert last["start"] > 1_000_000
    assert body[last["start"]:last["end"]].strip() == last["sentence"] == sentences[-1]


def test_split_text_keeps_every_character_and_cuts_after_paragraphs_then_sentences():
    text = "First paragraph here.\n\nSecond one, longer than the rest. It goes on. And on and on."
    assert split_text(text, 40) == ["First paragraph here.\n\n", "Second one, longer than the rest. ",
                                    "It goes on. And on and on."]
    assert "".join(split_text("x" * 95, 10)) == "x" * 95


def test_an_article_parsed_in_pieces_gives_the_graph_of_one_parse(nlp, lexicon):
    """Pieces cut after paragraphs, joined again: the same entities, relations and offsets."""
    import kg.pipeline

    articles = [a for a in read_articles([str(EXAMPLES)]) if isinstance(a, Article)]
    whole = list(extract_graphs(articles, nlp=nlp, lexicon=lexicon))
    from kg.extraction import ArticleExtractor, reading_text

    texts = [reading_text(a) for a in articles]
    docs = list(kg.pipeline.parse_texts(texts, nlp=nlp, piece_chars=400))
    assert [doc.text for doc in docs] == texts
    assert max(len(a.text) for a in articles) > 400

    extractor = ArticleExtractor(lexicon)
    assert [extractor(a, d) for a, d in zip(articles, docs)] == whole


# -- bad input ---------------------------------------------------------------------------------------

#: What `kg ingest tests/data/bad` says about each bad input, in order.
BAD_INPUTS = [
    "binary.txt: binary file, not text",
    "broken.jsonl:3: invalid JSON: Unterminated string starting at (column 22)",
    "broken.jsonl:6: record has no 'text' (its fields: id, title, summary)",
    "empty.txt: empty file",
    "no-body.html: no article text found in HTML",
    "not-article.json: record has no 'text' (its fields: headline, body)",
    "whitespace.txt: empty file",
]


def test_bad_inputs_are_reported_the_good_written_and_nothing_else_touched(kg, target):
    env, store = target
    code, _, _ = run_kg(kg, ["ingest", str(EXAMPLES)], env)
    assert code == 0
    before = snapshot(store)

    code, out, err = run_kg(kg, ["ingest", str(BAD), "--format", "json"], env)

    assert code == 1
    assert lines_of(err) == [f"skipped {BAD}/{line}" for line in BAD_INPUTS]
    good = [a for a in read_articles([str(BAD)]) if isinstance(a, Article)]
    assert len(good) == 13
    summary = json.loads(out)
    assert (summary["articles_written"], len(summary["failed"])) == (13, 7)
    assert store.known_articles(a.id for a in good) == {a.id for a in good}
    after = snapshot(store)
    # Nothing of the earlier graph is gone or changed (an entity may have gained aliases).
    for node, data in before["nodes"].items():
        assert {k: v for k, v in after["nodes"][node] if k != "aliases"} == {k: v for k, v in data if k != "aliases"}
    assert before["edges"].items() <= after["edges"].items()


def test_names_with_quotes_and_cypher_are_stored_verbatim(kg, target, nlp, lexicon):
    env, store = target
    nasty = BAD / "nasty-names.jsonl"
    code, _, err = run_kg(kg, ["ingest", str(EXAMPLES), str(nasty)], env)
    assert (code, err.count("Traceback")) == (0, 0)

    articles = [a for a in read_articles([str(nasty)]) if isinstance(a, Article)]
    extracted = list(extract_graphs(articles, nlp=nlp, lexicon=lexicon))
    graph = store.to_networkx()
    names = {data["name"] for _, data in graph.nodes(data=True)}
    names |= {alias for _, data in graph.nodes(data=True) for alias in data["aliases"]}
    sentences = {data["sentence"] for _, _, data in graph.edges(data=True)}
    wanted_names = {e.name for g in extracted for e in g.entities}
    wanted_sentences = {r.sentence for g in extracted for r in g.relations}
    assert any(set(name) & set("'`{}\"") for name in wanted_names), "no name with quotes or braces was extracted"
    assert any("MATCH (n) DETACH DELETE n; //" in s for s in wanted_sentences)
    assert wanted_names <= names
    assert wanted_sentences <= sentences
    assert store.counts()["nodes"]["Article"] == 11


def test_article_fields_with_cypher_and_sql_are_stored_verbatim(kg, target, tmp_path):
    env, store = target
    record = {
        "id": "x'}) MATCH (n) DETACH DELETE n //",
        "title": "'); DROP TABLE articles; --",
        "author": "`Robert`} RETURN 1 UNION MATCH (m) DELETE m //",
        "source": "\\u0027 OR 1=1 --",
        "url": "https://news.example/a?q=1' OR '1'='1",
        "text": "Sen. Ada Quist endorsed Rep. Tomas Vell on Friday.",
    }
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps(record) + "\n")
    code, _, _ = run_kg(kg, ["ingest", str(EXAMPLES), str(path)], env)
    assert code == 0
    graph = store.to_networkx(include_articles=True)
    stored = graph.nodes[f"article:{record['id']}"]
    assert {k: stored[k] for k in ("id", "title", "author", "source", "url")} == {
        k: record[k] for k in ("id", "title", "author", "source", "url")}
    assert store.counts()["nodes"]["Article"] == 9


# -- credentials and connection -------------------------------------------------------------------


def test_wrong_password_is_one_line_naming_the_uri_and_exit_2(kg, neo4j_store):
    code, out, err = run_kg(kg, ["ingest", str(EXAMPLES)], neo4j_env(NEO4J.uri, "wrong-Pa55word-1"))
    assert (code, out) == (2, "")
    assert lines_of(err) == [(f"error: Neo4j at {NEO4J.uri} refused the credentials for user '{NEO4J.user}': "
                              "check NEO4J_PASSWORD (and NEO4J_USERNAME)")]


def test_no_password_in_the_driver_debug_log_of_a_wrong_login(kg, neo4j_store):
    code, out, err = run_kg(kg, ["ingest", str(EXAMPLES), "-v"], neo4j_env(NEO4J.uri, "wrong-Pa55word-2"))
    assert code == 2
    assert "C: LOGON" in err or "C: HELLO" in err, "the driver's debug log was not on"
    assert "wrong-Pa55word-2" not in out + err
    assert "Traceback" not in err


def test_no_password_in_the_debug_log_of_a_whole_run(kg, neo4j_store):
    code, out, err = run_kg(kg, ["ingest", str(EXAMPLES), "-v"], neo4j_env(NEO4J.uri, NEO4J.password))
    assert code == 0
    assert "MERGE (a:Article" in err, "the driver's debug log was not on"
    assert NEO4J.password not in out + err


def test_unreachable_server_is_one_line_naming_uri_and_what_to_try(kg, tmp_path):
    uri = f"bolt://127.0.0.1:{free_port()}"
    started = time.monotonic()
    code, out, err = run_kg(kg, ["ingest", str(EXAMPLES)], neo4j_env(uri, "s3cret-Pass-9"))
    assert (code, out) == (2, "")
    (line,) = lines_of(err)
    assert line.startswith(f"error: no Neo4j at {uri} (")
    assert line.endswith("start one with scripts/neo4j start or docker compose up -d, or unset NEO4J_URI to "
                         "use the embedded store")
    assert "s3cret-Pass-9" not in err
    assert time.monotonic() - started < 30
    assert not (tmp_path / "kg-data").exists()


def test_a_password_written_into_the_uri_is_not_shown(kg):
    code, out, err = run_kg(kg, ["ingest", str(EXAMPLES)],
                            neo4j_env("bolt://neo4j:Uri-Pa55@127.0.0.1:1", "env-Pa55word"))
    assert (code, out) == (2, "")
    (line,) = lines_of(err)
    assert line.startswith("error: cannot use 'bolt://neo4j:***@127.0.0.1:1' as a Neo4j address")
    assert "Uri-Pa55" not in err


def test_settings_are_read_from_dotenv_which_is_never_written(kg, tmp_path, neo4j_store):
    dotenv = tmp_path / ".env"
    dotenv.write_text(f"NEO4J_URI={NEO4J.uri}\nNEO4J_USERNAME={NEO4J.user}\nNEO4J_PASSWORD={NEO4J.password}\n"
                      f"NEO4J_DATABASE={NEO4J.database}\n")
    os.utime(dotenv, (1_000_000_000, 1_000_000_000))
    before = (dotenv.read_bytes(), dotenv.stat().st_mtime_ns)
    code, out, _ = run_kg(kg, ["ingest", str(EXAMPLES), "--format", "json"], base_env())
    assert code == 0
    assert json.loads(out)["store"] == f"Neo4j at {NEO4J.uri} (database {NEO4J.database})"
    assert (dotenv.read_bytes(), dotenv.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".env"]


def test_auth_failure_carries_no_password_and_no_driver_exception(neo4j_store):
    password = "wrong-Pa55word-3"
    with pytest.raises(AuthFailed) as info:
        Neo4jStore(NEO4J.uri, user=NEO4J.user, password=password, database=NEO4J.database)
    import traceback

    text = "".join(traceback.format_exception(info.value))
    assert password not in text and password not in repr(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


# -- Ctrl-C, and kg killed ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_ends_cleanly_and_a_rerun_completes_the_graph(kg, target, tmp_path, clean_graph, signum):
    env, store = target
    corpus = write_corpus(tmp_path / "corpus", 0, 360)
    run = kg(["ingest", str(corpus), "--batch-size", str(BATCH), "-v"], env)
    seen = run.wait_written(3 * BATCH)
    if isinstance(store, Neo4jStore):
        # The signal while the driver sends a batch: it takes effect when the transaction is done.
        run.wait_for(lambda line: "C: RUN" in line and "MERGE (a:Article" in line, 60, "batch write")
    run.signal(signum)
    code, _, err = run.finish(60)

    assert code == 130, err[-3000:]
    assert "Traceback" not in err
    (said,) = [line for line in err.splitlines() if line.startswith("interrupted: ")]
    written = int(re.fullmatch(r"interrupted: (\d+) article\(s\) written before the run was stopped; rerun the same command to "
                               r"resume \(articles already written are skipped\)\.", said).group(1))
    stored = store.counts()["nodes"]["Article"]
    assert seen <= written == stored < 360 and stored % BATCH == 0

    code, out, _ = run_kg(kg, ["ingest", str(corpus), "--batch-size", str(BATCH), "--format", "json"], env)
    assert code == 0
    assert (json.loads(out)["skipped_already_ingested"], json.loads(out)["articles_written"]) == (stored, 360 - stored)
    assert_same_graph(snapshot(store), clean_graph(corpus))


def test_sigterm_ends_cleanly_when_sigint_is_ignored_as_under_nohup(kg, tmp_path):
    corpus = write_corpus(tmp_path / "corpus", 0, 360)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the kg process, as nohup does
    try:
        run = kg(["ingest", str(corpus), "--batch-size", str(BATCH)], base_env(KG_DATA_DIR=str(tmp_path / "kg-data")))
    finally:
        signal.signal(signal.SIGINT, previous)
    run.wait_written(3 * BATCH)
    run.signal(signal.SIGTERM)
    code, _, err = run.finish(60)
    assert (code, "Traceback" in err) == (130, False)
    assert [line for line in err.splitlines() if line.startswith("interrupted: ")]


@pytest.mark.slow
def test_a_store_failure_ends_a_run_on_an_endless_stdin(kg, tmp_path, fault_server):
    fault_server.wipe()
    feed = ["".join(json.dumps(r) + "\n" for r in corpus_records(n, n + 5 * BATCH, cross_references=False))
            for n in (0, 5 * BATCH)]
    run = kg(["ingest", "-", "--batch-size", str(BATCH)], fault_server.kg_env(), stdin=subprocess.PIPE)
    run.proc.stdin.write(feed[0])  # and the pipe stays open, as a live feed's does
    run.proc.stdin.flush()
    run.wait_written(3 * BATCH)
    fault_server.kill()
    run.proc.stdin.write(feed[1])  # more news comes; the store is gone
    run.proc.stdin.flush()
    try:
        code, out, err = run.finish(120)
    finally:
        run.proc.stdin.close()
        fault_server.start()

    assert code == 2
    assert "not read: the rest of the input, as it includes standard input, which may not end; send it again " \
           "(articles already written are skipped)." in lines_of(err)
    with fault_server.store() as store:
        assert store.counts()["nodes"]["Article"] >= 3 * BATCH


@pytest.mark.slow
def test_kg_killed_leaves_a_readable_store_and_a_rerun_completes_the_graph(kg, target, tmp_path, clean_graph):
    env, store = target
    corpus = write_corpus(tmp_path / "corpus", 0, 360)
    run = kg(["ingest", str(corpus), "--batch-size", str(BATCH)], env)
    seen = run.wait_written(3 * BATCH)
    run.kill()
    assert run.proc.returncode == -signal.SIGKILL

    stored = store.counts()["nodes"]["Article"]
    assert seen <= stored < 360 and stored % BATCH == 0
    code, out, _ = run_kg(kg, ["ingest", str(corpus), "--batch-size", str(BATCH), "--format", "json"], env)
    assert code == 0
    assert json.loads(out)["skipped_already_ingested"] == stored
    assert_same_graph(snapshot(store), clean_graph(corpus))


# -- the server lost mid-run ---------------------------------------------------------------------------


@pytest.mark.slow
def test_neo4j_killed_mid_batch_reports_the_unwritten_and_a_rerun_completes_the_graph(
    kg, tmp_path, fault_server, clean_graph
):
    fault_server.wipe()
    corpus = write_corpus(tmp_path / "corpus", 0, 480)
    args = ["ingest", str(corpus), "--batch-size", str(BATCH)]
    run = kg([*args, "-v"], fault_server.kg_env())
    run.wait_written(3 * BATCH)
    # The driver's debug log shows each statement as it is sent: kill while a batch is being written.
    run.wait_for(lambda line: "C: RUN" in line and "MERGE (a:Article" in line, 60, "batch write")
    fault_server.kill()
    killed = time.monotonic()
    try:
        code, out, err = run.finish(120)
        took = time.monotonic() - killed
    finally:
        fault_server.start()

    assert code == 2
    assert took < 40, f"kg took {took:.0f} s to give up"
    assert "Traceback" not in err
    assert FAULT_PASSWORD not in out + err
    assert out.startswith(f"Written to Neo4j at {fault_server.uri}")
    said = [line for line in err.splitlines() if not re.match(r"^\d{4}-\d\d-\d\d \d\d:", line)]
    (error,) = [line for line in said if line.startswith("error: ")]
    assert error.startswith(f"error: no Neo4j at {fault_server.uri} (")
    assert error.endswith("or unset NEO4J_URI to use the embedded store")
    (head,) = [line for line in said if line.startswith("not written: ")]
    unwritten = int(re.fullmatch(r"not written: (\d+) article\(s\); rerun the same command to complete them "
                                 r"\(articles already written are skipped\):", head).group(1))
    listed = [re.fullmatch(r"   (\S+):\d+ \(id (gen-\d+)\)", line) for line in said
              if line.startswith("   ") and not line.startswith("   ...")]
    assert all(listed) and len(listed) == 20
    assert f"   ... and {unwritten - 20} more (--format json lists them all)" in said
    with fault_server.store() as store:
        stored = store.counts()["nodes"]["Article"]
        assert stored % BATCH == 0 and stored + unwritten == 480
        assert store.known_articles(m.group(2) for m in listed) == set()
        first_unwritten = int(listed[0].group(2).removeprefix("gen-"))
        assert first_unwritten == stored

    code, out, _ = run_kg(kg, [*args, "--format", "json"], fault_server.kg_env())
    assert code == 0
    assert (json.loads(out)["skipped_already_ingested"], json.loads(out)["articles_written"]) == (stored, unwritten)
    with fault_server.store() as store:
        assert_same_graph(snapshot(store), clean_graph(corpus))


# -- two runs at once --------------------------------------------------------------------------------


def duplicates_in_neo4j(store: Neo4jStore) -> dict[str, int]:
    """Nodes with the same id, and relationships with the same key, counted once per extra copy."""
    queries = {
        "articles": "MATCH (a:Article) WITH a.id AS id, count(*) AS n WHERE n > 1 RETURN sum(n - 1) AS extra",
        "entities": "MATCH (e:Entity) WITH e.id AS id, count(*) AS n WHERE n > 1 RETURN sum(n - 1) AS extra",
        "mentions": "MATCH (a:Article)-[m:MENTIONS]->(e:Entity) WITH a, e, count(m) AS n WHERE n > 1 "
                    "RETURN sum(n - 1) AS extra",
        "relations": "MATCH (s:Entity)-[r:ENDORSES|DONATED_TO|CRITICIZED]->(o:Entity) "
                     "WITH s, type(r) AS t, o, r.article_id AS a, r.start AS st, count(r) AS n WHERE n > 1 "
                     "RETURN sum(n - 1) AS extra",
    }
    return {name: cypher(store, query)[0]["extra"] or 0 for name, query in queries.items()}


def overlapping_corpora(tmp_path: Path) -> tuple[Path, Path, Path]:
    """Articles 0-299 and 150-449, and all of 0-449 for the clean graph.

    Without cross references, so that the graph does not depend on which run
    writes an article first; batches of 64 make the two runs' transactions
    lock the same nodes in different orders, and Neo4j then reports
    deadlocks, which the driver retries.
    """
    first = write_corpus(tmp_path / "first", 0, 300, cross_references=False, per_file=150)
    second = write_corpus(tmp_path / "second", 150, 450, cross_references=False, per_file=150)
    union = write_corpus(tmp_path / "union", 0, 450, cross_references=False, per_file=150)
    return first, second, union


@pytest.mark.slow
def test_two_runs_at_once_into_one_neo4j_write_everything_once(kg, tmp_path, fault_server, clean_graph):
    fault_server.wipe()  # no constraints either: both runs create the schema at the same time
    first, second, union = overlapping_corpora(tmp_path)
    runs = [kg(["ingest", str(c), "--batch-size", "64", "--format", "json"], fault_server.kg_env())
            for c in (first, second)]
    results = [run.finish(300) for run in runs]

    for code, out, err in results:
        assert (code, lines_of(err)) == (0, []), err
    assert sum(json.loads(out)["articles_written"] for _, out, _ in results) >= 450
    with fault_server.store() as store:
        assert duplicates_in_neo4j(store) == {"articles": 0, "entities": 0, "mentions": 0, "relations": 0}
        assert_same_graph(snapshot(store), clean_graph(union))
        constraints = {r["name"] for r in cypher(store, "SHOW CONSTRAINTS YIELD name")}
    assert constraints == {"article_id", "entity_id"}


@pytest.mark.slow
def test_two_runs_at_once_into_one_embedded_store_write_everything_once(kg, tmp_path, clean_graph):
    first, second, union = overlapping_corpora(tmp_path)
    env = base_env(KG_DATA_DIR=str(tmp_path / "kg-data"))
    runs = [kg(["ingest", str(c), "--batch-size", "64", "--format", "json"], env) for c in (first, second)]
    results = [run.finish(300) for run in runs]

    for code, out, err in results:
        assert (code, lines_of(err)) == (0, []), err
    with EmbeddedStore(tmp_path / "kg-data") as store:
        assert_same_graph(snapshot(store), clean_graph(union))
