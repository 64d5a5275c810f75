"""kg.workers: extraction in worker processes gives the same graphs, in the same order."""

from __future__ import annotations

import itertools

import pytest

from kg.errors import ModelError
from kg.pipeline import extract_graphs
from kg.records import Article
from kg.sources import read_articles
from kg.workers import (
    ExtractionPool,
    default_chunk_size,
    extract_parallel,
    model_source,
)
from tests.conftest import EXAMPLES


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    found = [a for a in read_articles([str(EXAMPLES)]) if isinstance(a, Article)]
    assert len(found) >= 5
    return found


@pytest.fixture(scope="module")
def serial(articles):
    return list(extract_parallel(articles, model=None, lexicon_file=None, workers=1, batch_size=64))


def test_workers_1_matches_the_pipeline(articles, serial, nlp, lexicon):
    assert serial == list(extract_graphs(articles, nlp=nlp, lexicon=lexicon))
    assert any(g.relations for g in serial)


def test_workers_2_gives_the_same_graphs_in_the_same_order(articles, serial):
    parallel = list(extract_parallel(articles, model=None, lexicon_file=None, workers=2, batch_size=64))
    assert [g.article.id for g in parallel] == [a.id for a in articles]
    assert parallel == serial
    # The articles that come back are the caller's own objects.
    assert all(g.article is a for g, a in zip(parallel, articles))


@pytest.mark.slow
def test_one_pool_many_calls_small_chunks_lazy_input(articles, serial, nlp, lexicon):
    # The workers load the caller's pipeline from where it was loaded, and take its lexicon.
    assert model_source(nlp) is not None
    with ExtractionPool(nlp=nlp, lexicon=lexicon, workers=2, batch_size=4, chunk_size=1) as pool:
        assert pool.max_in_flight == 4
        # One article per task: results arrive out of order and are put back in order.
        assert list(pool.extract(articles)) == serial
        assert list(pool.extract(articles[::-1])) == serial[::-1]

        # The input is read lazily: at most max_in_flight chunks ahead of the consumer.
        pulled = 0

        def endless():
            nonlocal pulled
            for article in itertools.cycle(articles):
                pulled += 1
                yield article

        stream = pool.extract(endless())
        first = [next(stream) for _ in range(3)]
        assert first == serial[:3]
        assert pulled <= 3 + pool.max_in_flight * pool.chunk_size
        stream.close()  # abandoning the stream stops the queued work

        # The pool starts again for the next call.
        assert list(pool.extract(articles[:2])) == serial[:2]


def test_one_worker_uses_the_callers_pipeline(articles, serial, nlp, lexicon):
    with ExtractionPool(nlp=nlp, lexicon=lexicon, workers=1) as pool:
        assert list(pool.extract(articles)) == serial
        assert pool._pool is None  # no process was started


def test_worker_errors_reach_the_caller():
    with pytest.raises(ModelError, match="not installed"):
        list(extract_parallel([Article(id="x", text="Ann Lee endorsed Bo Park.")], model="no_such_spacy_model",
                              lexicon_file=None, workers=2, batch_size=8))


def test_arguments():
    assert default_chunk_size(64, 2) == 16
    assert default_chunk_size(4, 2) == 1
    assert list(extract_parallel([], model=None, lexicon_file=None, workers=2, batch_size=8)) == []
    with pytest.raises(ValueError):
        ExtractionPool(workers=0)
