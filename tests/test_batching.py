"""The same graph whatever the batching, on real-length news (read from ../shared, skipped when absent)."""

from __future__ import annotations

from itertools import islice

import pytest

from kg.pipeline import ingest
from kg.records import Article
from kg.sources import read_articles
from kg.store.embedded import EmbeddedStore
from tests.conftest import REPO

REUTERS = REPO.parent / "shared" / "realnews" / "reuters-2017.jsonl"
ARTICLES = 40


def _graph(store: EmbeddedStore) -> tuple[set, set]:
    graph = store.to_networkx()
    nodes = {(n, d.get("name"), tuple(sorted(d.get("aliases") or ()))) for n, d in graph.nodes(data=True)}
    edges = {(u, v, d.get("type"), d.get("article_id"), d.get("sentence")) for u, v, d in graph.edges(data=True)}
    return nodes, edges


@pytest.mark.skipif(not REUTERS.is_file(), reason="../shared/realnews is not here")
def test_batch_size_and_workers_do_not_change_the_graph(tmp_path, nlp, lexicon):
    articles = [a for a in islice(read_articles([str(REUTERS)]), ARTICLES) if isinstance(a, Article)]
    graphs = []
    for batch_size, workers in ((1, 1), (16, 1), (64, 2)):
        with EmbeddedStore(tmp_path / f"b{batch_size}-w{workers}") as store:
            ingest(iter(articles), store=store, nlp=nlp, lexicon=lexicon, batch_size=batch_size, workers=workers)
            graphs.append(_graph(store))
    assert graphs[0] == graphs[1] == graphs[2]
    assert len(graphs[0][0]) > 200 and len(graphs[0][1]) > 5
