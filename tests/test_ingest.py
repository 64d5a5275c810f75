"""`kg ingest` end to end, on the embedded store and on the real Neo4j."""

from __future__ import annotations

import json
import re
import threading

import pytest

from kg.cli import app
from kg.pipeline import extract_graphs, ingest
from kg.sources import read_articles
from tests.conftest import EXAMPLES, REPO

MIXED = REPO / "tests" / "data" / "mixed"

#: What a careful reader takes from examples/articles/ (subject, predicate, object, amount).
EXAMPLE_RELATIONS = {
    ("Margaret Ellison", "ENDORSES", "Raymond Castellano", None),
    ("Ostoria Teachers Federation", "ENDORSES", "Raymond Castellano", None),
    ("Priya Raman", "ENDORSES", "Margaret Ellison", None),
    ("Citizens for a Cleaner Ostoria", "ENDORSES", "Lucia Ferrante", None),
    ("Victor Halloran", "DONATED_TO", "Raymond Castellano", "$25,000"),
    ("Ostoria Teachers Federation", "DONATED_TO", "Lucia Ferrante", "$10,000"),
    ("Victor Halloran", "DONATED_TO", "Daniel Okafor", "$5,000"),
    ("Daniel Okafor", "CRITICIZED", "Victor Halloran", None),
    ("Thomas Brandt", "CRITICIZED", "Lucia Ferrante", None),
    ("Lucia Ferrante", "CRITICIZED", "Thomas Brandt", None),
    ("Margaret Ellison", "CRITICIZED", "Thomas Brandt", None),
    ("Daniel Okafor", "CRITICIZED", "Priya Raman", None),
    ("Margaret Ellison", "CRITICIZED", "Halloran Logistics", None),
}


def relations_in(store) -> set[tuple]:
    graph = store.to_networkx()
    return {
        (graph.nodes[s]["name"], data["type"], graph.nodes[o]["name"], data["amount"])
        for s, o, data in graph.edges(data=True)
    }


def run_ingest(store, nlp, lexicon, *paths, batch_size=64):
    return ingest(read_articles([str(p) for p in paths]), store=store, nlp=nlp, lexicon=lexicon, batch_size=batch_size)


def test_examples_yield_the_relations_a_reader_finds(store, nlp, lexicon):
    run_ingest(store, nlp, lexicon, EXAMPLES)
    assert relations_in(store) == EXAMPLE_RELATIONS


def test_every_relation_carries_its_evidence(store, nlp, lexicon):
    run_ingest(store, nlp, lexicon, EXAMPLES)
    graph = store.to_networkx()
    for _, _, data in graph.edges(data=True):
        assert data["sentence"] and data["article_id"] and data["rule"]
        assert 0 < data["confidence"] <= 1
        # a headline is no part of the article text: its sentence has the offsets (0, 0)
        assert data["end"] - data["start"] >= len(data["sentence"]) or (data["start"], data["end"]) == (0, 0)


def test_evidence_offsets_point_at_the_sentence_in_the_article(store, nlp, lexicon):
    run_ingest(store, nlp, lexicon, EXAMPLES / "2025-03-14-ostoria-wire.jsonl")
    graph = store.to_networkx()
    articles = {a.id: a for a in read_articles([str(EXAMPLES / "2025-03-14-ostoria-wire.jsonl")])}
    for _, _, data in graph.edges(data=True):
        article = articles[data["article_id"]]
        if (data["start"], data["end"]) == (0, 0):  # read from the headline
            assert data["sentence"].rstrip(".") == article.title
        else:
            assert article.text[data["start"]:data["end"]].strip() == data["sentence"]


def test_donation_carries_amount_value_and_currency(store, nlp, lexicon):
    run_ingest(store, nlp, lexicon, EXAMPLES / "2025-03-14-ostoria-wire.jsonl")
    graph = store.to_networkx()
    donations = [d for _, _, d in graph.edges(data=True) if d["type"] == "DONATED_TO"]
    assert [(d["amount"], d["amount_value"], d["currency"]) for d in donations] == [("$5,000", 5000.0, "USD")]


def test_one_entity_node_per_person_across_articles(store, nlp, lexicon):
    run_ingest(store, nlp, lexicon, EXAMPLES)
    names = [data["name"] for _, data in store.to_networkx().nodes(data=True)]
    assert names.count("Margaret Ellison") == 1
    assert "Ellison" not in names


def test_reingest_changes_nothing(store, nlp, lexicon):
    run_ingest(store, nlp, lexicon, EXAMPLES)
    before = (store.counts(), sorted(store.to_networkx(include_articles=True).edges(keys=True, data=True), key=repr))
    report = run_ingest(store, nlp, lexicon, EXAMPLES)
    after = (store.counts(), sorted(store.to_networkx(include_articles=True).edges(keys=True, data=True), key=repr))
    assert (report.articles_written, report.skipped_known) == (0, 8)
    assert after == before


def test_the_same_article_twice_in_one_batch_is_written_once(store, nlp, lexicon):
    one = EXAMPLES / "2025-03-03-ellison-endorses-castellano.txt"
    report = run_ingest(store, nlp, lexicon, one, one)
    assert (report.articles_written, report.skipped_known) == (1, 1)
    assert store.counts()["nodes"]["Article"] == 1


def test_mixed_batch_ingests_the_good_and_reports_the_bad(store, nlp, lexicon):
    report = run_ingest(store, nlp, lexicon, MIXED)
    failed = sorted((e.path.rsplit("/", 1)[-1], e.line) for e in report.failed)
    assert failed == [("binary.txt", None), ("empty.txt", None), ("undecodable.txt", 2), ("wire.jsonl", 3)]
    assert report.articles_written == 4
    assert store.counts()["nodes"]["Article"] == 4


def test_small_batches_give_the_same_graph_as_one_batch(tmp_path, nlp, lexicon):
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(tmp_path / "many") as many:
        run_ingest(one, nlp, lexicon, EXAMPLES)
        run_ingest(many, nlp, lexicon, EXAMPLES, batch_size=1)
        assert relations_in(one) == relations_in(many)
        assert sorted(one.to_networkx().nodes(data=True)) == sorted(many.to_networkx().nodes(data=True))


def test_neo4j_and_embedded_store_hold_the_same_graph(neo4j_store, embedded_store, nlp, lexicon):
    run_ingest(neo4j_store, nlp, lexicon, EXAMPLES)
    run_ingest(embedded_store, nlp, lexicon, EXAMPLES)
    a, b = neo4j_store.to_networkx(), embedded_store.to_networkx()
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data=True), key=repr) == sorted(b.edges(keys=True, data=True), key=repr)


# -- the command line -----------------------------------------------------------


def test_cli_ingest_says_which_store_it_wrote(runner, embedded_env):
    result = runner.invoke(app, ["ingest", str(EXAMPLES)], env=embedded_env)
    assert result.exit_code == 0, result.output
    assert "Written to embedded store at" in result.stdout


def test_cli_ingest_json_summary(runner, embedded_env):
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--format", "json"], env=embedded_env)
    summary = json.loads(result.stdout)
    assert result.exit_code == 0
    assert summary["articles_written"] == 8
    assert summary["relations"] == {"CRITICIZED": 6, "DONATED_TO": 3, "ENDORSES": 4}
    assert summary["store"].startswith("embedded store at")


def test_cli_ingest_into_neo4j(runner, neo4j_env):
    result = runner.invoke(app, ["ingest", str(EXAMPLES), "--format", "json"], env=neo4j_env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["store"].startswith("Neo4j at bolt://")


def test_cli_bad_files_exit_1_and_name_file_and_line(runner, embedded_env):
    result = runner.invoke(app, ["ingest", str(MIXED)], env=embedded_env)
    assert result.exit_code == 1
    assert re.search(r"wire\.jsonl:3: invalid JSON", result.stderr)
    assert "empty.txt: empty file" in result.stderr
    assert "Traceback" not in result.output


def test_cli_missing_path_is_reported(runner, embedded_env):
    result = runner.invoke(app, ["ingest", "no/such/dir"], env=embedded_env)
    assert result.exit_code == 1
    assert "no/such/dir: no such file or directory" in result.stderr


def test_cli_unreachable_neo4j_exits_2_with_one_clear_line(runner, embedded_env):
    result = runner.invoke(app, ["ingest", str(EXAMPLES)], env={**embedded_env, "NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "s3cret-pass"})
    assert result.exit_code == 2
    assert "bolt://127.0.0.1:1" in result.stderr
    assert "s3cret-pass" not in result.output
    assert "Traceback" not in result.output


def test_cli_wrong_password_exits_2_without_showing_it(runner, neo4j_env):
    result = runner.invoke(app, ["ingest", str(EXAMPLES)], env={**neo4j_env, "NEO4J_PASSWORD": "wrong-password-123"})
    assert result.exit_code == 2
    assert "NEO4J_PASSWORD" in result.stderr
    assert "wrong-password-123" not in result.output


def test_cli_reads_neo4j_settings_from_dotenv(runner, neo4j_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in neo4j_env:
        monkeypatch.delenv(name, raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text("".join(f"{k}={v}\n" for k, v in neo4j_env.items()))
    before = dotenv.read_text()
    result = runner.invoke(app, ["ingest", str(EXAMPLES / "2025-03-14-ostoria-wire.jsonl"), "--format", "json"])
    assert json.loads(result.stdout)["store"].startswith("Neo4j at ")
    assert dotenv.read_text() == before


# -- kg extract -------------------------------------------------------------------


def test_extract_jsonl_follows_the_contract(runner):
    result = runner.invoke(app, ["extract", str(EXAMPLES / "2025-03-14-ostoria-wire.jsonl")])
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0
    assert [line["id"] for line in lines] == ["wire-0314-halloran-okafor", "wire-0315-clean-air-ferrante", "wire-0317-ellison-halloran-logistics"]
    assert set(lines[0]) == {"id", "title", "entities", "relations"}
    assert set(lines[0]["entities"][0]) == {"id", "name", "type", "aliases", "mentions"}
    donation = lines[0]["relations"][0]
    assert {k: donation[k] for k in ("subject", "subject_type", "predicate", "object", "object_type", "amount", "currency")} == {
        "subject": "Victor Halloran", "subject_type": "PERSON", "predicate": "DONATED_TO",
        "object": "Daniel Okafor", "object_type": "PERSON", "amount": "$5,000", "currency": "USD",
    }
    assert {"confidence", "sentence", "start", "end", "rule"} <= set(donation)


def test_extract_accepts_gold_records_with_extra_fields(runner, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "text": "Sen. Ada Quist endorsed Rep. Tomas Vell on Friday.",
                                "relations": [], "tests": "extra fields"}) + "\n")
    result = runner.invoke(app, ["extract", str(gold)])
    line = json.loads(result.stdout)
    assert [(r["subject"], r["predicate"], r["object"]) for r in line["relations"]] == [("Ada Quist", "ENDORSES", "Tomas Vell")]


def test_extract_with_two_workers_prints_what_one_prints(runner):
    one = runner.invoke(app, ["extract", str(EXAMPLES)])
    two = runner.invoke(app, ["extract", str(EXAMPLES), "--workers", "2"])
    assert (two.exit_code, two.stdout) == (0, one.stdout)
    assert len(two.stdout.splitlines()) == 8


def test_extract_stores_nothing(runner, embedded_env, tmp_path):
    runner.invoke(app, ["extract", str(EXAMPLES)], env=embedded_env)
    assert not (tmp_path / "kg-data").exists()


@pytest.mark.parametrize("command", ["ingest", "extract", "eval", "init", "stats"])
def test_every_command_explains_itself(runner, command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.stdout) > 200


def test_two_workers_give_the_graph_of_one(tmp_path, nlp, lexicon):
    from kg.store.embedded import EmbeddedStore

    with EmbeddedStore(tmp_path / "one") as one, EmbeddedStore(tmp_path / "two") as two:
        run_ingest(one, nlp, lexicon, EXAMPLES)
        ingest(read_articles([str(EXAMPLES)]), store=two, nlp=nlp, lexicon=lexicon, workers=2)
        assert relations_in(two) == relations_in(one)
        assert sorted(two.to_networkx().nodes(data=True)) == sorted(one.to_networkx().nodes(data=True))


class WaitingWrites:
    """A store whose first `waits` writes each wait until the next batch's parse has begun (at most 10 s)."""

    def __init__(self, store, waits: int):
        self.store = store
        self.waits = waits
        self.parses = 0
        self.changed = threading.Condition()
        self.saw_the_next_parse: list[bool] = []

    def parse_begins(self) -> None:
        with self.changed:
            self.parses += 1
            self.changed.notify_all()

    def write(self, graphs):
        batch = len(self.saw_the_next_parse) + 1
        if batch <= self.waits:
            with self.changed:
                self.saw_the_next_parse.append(self.changed.wait_for(lambda: self.parses > batch, timeout=10))
        return self.store.write(graphs)

    def __getattr__(self, name):
        return getattr(self.store, name)


def test_a_batch_is_written_while_the_next_is_parsed(store, nlp, lexicon):
    watched = WaitingWrites(store, waits=2)

    def extract(fresh, on_error):
        watched.parse_begins()
        return extract_graphs(fresh, nlp=nlp, lexicon=lexicon, on_error=on_error)

    report = ingest(read_articles([str(EXAMPLES)]), store=watched, nlp=nlp, lexicon=lexicon, batch_size=3,
                    extract=extract)
    assert watched.saw_the_next_parse == [True, True]
    assert report.articles_written == 8
    assert relations_in(store) == EXAMPLE_RELATIONS
