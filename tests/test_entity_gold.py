"""Entity nodes on real articles against a judge's entity gold (read from ../shared, skipped when absent).

tests/data/realnews/entities-gold.jsonl holds, per article id, the entities a judge
found behind kg's nodes (name, type, aliases; no article text). Judged node by node
(kg.evaluate.judge_entities), kg's share of right nodes on those articles must not fall.
"""

from __future__ import annotations

from collections import Counter

import pytest

from kg.evaluate import judge_entities
from kg.pipeline import extract_graphs
from kg.records import Article
from kg.train_realnews import labelled_articles
from tests.conftest import REPO

REALNEWS = REPO.parent / "shared" / "realnews"
GOLD = REPO / "tests" / "data" / "realnews" / "entities-gold.jsonl"
#: ok share when the gold was written (0.907 read by judge_entities; the judges' own verdicts gave 0.915 and
#: 0.897 on its two halves), less a little slack
OK_FLOOR = 0.89

pytestmark = pytest.mark.skipif(not (REALNEWS / "reuters-2017.jsonl").is_file(), reason="../shared/realnews is not here")


@pytest.fixture(scope="module")
def verdicts(nlp, lexicon):
    items = {item["id"]: item for item in labelled_articles([GOLD], REALNEWS)}
    records = [Article(id=i["id"], text=i["text"], title=i.get("title"), published=i.get("published"))
               for i in items.values()]
    found: Counter = Counter()
    for graph in extract_graphs(records, nlp=nlp, lexicon=lexicon):
        found.update(judge_entities(graph.entities, items[graph.article.id]["entities"]))
    return found


def test_most_entity_nodes_on_real_articles_are_right(verdicts):
    assert verdicts["ok"] / sum(verdicts.values()) >= OK_FLOOR


def test_few_entity_nodes_on_real_articles_duplicate_another(verdicts):
    assert (verdicts["duplicate"] + verdicts["alias"]) / sum(verdicts.values()) <= 0.02
