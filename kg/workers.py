"""Parallel extraction: parsing *and* extraction in worker processes, in order.

spaCy's own ``nlp.pipe(n_process=N)`` parallelises only the parse: every Doc
is serialised in a worker, sent back and rebuilt in the main process, and the
extraction (mentions, relations) then runs there, on one core. Here each
worker process loads the spaCy pipeline and the lexicon once (pool
initializer) and runs ``kg.pipeline.extract_graphs`` (one worker's parse,
long texts in pieces, and the extractor) on chunks of articles; only articles
go out and only the small entity and relation tuples come back.

    for graph in extract_parallel(articles, model=None, lexicon_file=None, workers=2, batch_size=64):
        ...

- Order is preserved: graphs come out in the order the articles went in, and
  each graph carries the caller's own Article object.
- Memory stays flat: the input is read lazily and at most ``2 * workers``
  chunks are in flight at any time, whatever the length of the stream.
- Workers start with the ``forkserver`` method (``spawn`` where there is no
  forkserver), never ``fork``: the parent may hold Neo4j driver threads.
- ``workers=1`` runs ``kg.pipeline.extract_graphs`` in-process, no pool.
- An exception in a worker (a model that cannot load, a bad lexicon, an
  extractor bug) is raised in the caller with its type, or, for extractor
  errors with ``on_error``, passed to it as in ``extract_graphs``; a worker
  that dies (out of memory, killed) raises BrokenProcessPool instead of
  hanging; ending the iteration early (or an exception in the caller) stops
  the queued work.
- Ctrl-C is the parent's: workers ignore SIGINT.

As with any multiprocessing start method but fork, a script that calls this
must guard its entry point with ``if __name__ == "__main__":`` (the ``kg``
command and ``python -m`` entry points already do).

For several calls in one run (`kg ingest` extracts batch by batch), open one
``ExtractionPool`` and call its ``extract`` per batch, so the workers load the
model once per run, not once per batch.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from kg.records import Article, ArticleGraph, SourceError

__all__ = ["ExtractionPool", "default_chunk_size", "extract_parallel", "model_source"]

#: Per article, what a worker sends back: ("ok", entities, relations) or ("error", SourceError).
_Item = tuple

OnError = Callable[[SourceError], None]


def default_chunk_size(batch_size: int, workers: int) -> int:
    """Articles per task: small enough that one batch keeps every worker busy, at most 16."""
    return max(1, min(16, -(-batch_size // (2 * workers))))


def model_source(nlp) -> str | None:
    """What a worker passes to spacy.load to get the same pipeline as `nlp`: the directory it was loaded from."""
    path = getattr(nlp, "path", None)
    return None if path is None else str(path)


# -- the worker side -------------------------------------------------------------

_worker_state: dict = {}


def _init_worker(model: str | None, lexicon_file: str | None, lexicon, batch_size: int) -> None:
    """Load the pipeline and lexicon once per worker; keep a failure to report it per task.

    A raising initializer would only say "BrokenProcessPool", so the error is
    kept and raised by the first task instead, with its own type and message.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        from kg.lexicon import load_lexicon
        from kg.nlp import load_pipeline

        _worker_state["nlp"] = load_pipeline(model)
        _worker_state["lexicon"] = lexicon if lexicon is not None else load_lexicon(lexicon_file)
        _worker_state["batch_size"] = batch_size
    except BaseException as exc:  # noqa: BLE001  (re-raised in the parent by _extract_chunk)
        _worker_state["error"] = exc


def _extract_chunk(articles: list[Article], report_errors: bool) -> list[_Item]:
    if "error" in _worker_state:
        raise _worker_state["error"]
    from kg.pipeline import extract_graphs

    items: list[_Item] = []
    options = {"on_error": lambda error: items.append(("error", error))} if report_errors else {}
    for graph in extract_graphs(articles, nlp=_worker_state["nlp"], lexicon=_worker_state["lexicon"],
                                batch_size=_worker_state["batch_size"], **options):
        items.append(("ok", graph.entities, graph.relations))
    return items


# -- the parent side -------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # Import spaCy and kg once in the fork server, not in every worker.
        ctx.set_forkserver_preload(["kg.workers", "kg.pipeline"])
        return ctx
    return multiprocessing.get_context("spawn")


class ExtractionPool:
    """Worker processes that parse and extract; reuse one for many `extract` calls.

    ``with ExtractionPool(model=None, lexicon_file=None, workers=2) as pool:
    graphs = list(pool.extract(articles))``. With ``workers=1`` no process is
    started and ``extract`` runs ``kg.pipeline.extract_graphs`` in the
    caller's process. `model` is what ``kg.nlp.load_pipeline`` takes (an
    installed pipeline's name or a directory, see ``model_source``), or pass
    the caller's loaded pipeline as `nlp` (used as it is with one worker;
    workers load it from its directory); pass an already loaded ``lexicon``
    (kg.lexicon.Lexicon) or a `lexicon_file`.
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        lexicon_file: str | Path | None = None,
        workers: int = 2,
        batch_size: int = 64,
        lexicon=None,
        nlp=None,
        chunk_size: int | None = None,
        max_in_flight: int | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.workers = workers
        self.batch_size = batch_size
        self.chunk_size = chunk_size or default_chunk_size(batch_size, workers)
        self.max_in_flight = max_in_flight or 2 * workers
        # A loaded pipeline serves workers=1 as it is; workers load it from its directory.
        self._nlp = nlp
        self._model = model if model is not None or nlp is None else model_source(nlp)
        self._lexicon_file = None if lexicon_file is None else str(lexicon_file)
        self._lexicon = lexicon
        self._pool: ProcessPoolExecutor | None = None

    def _local(self, articles: Iterable[Article], on_error: OnError | None) -> Iterator[ArticleGraph]:
        from kg.lexicon import load_lexicon
        from kg.nlp import load_pipeline
        from kg.pipeline import extract_graphs

        if self._lexicon is None:
            self._lexicon = load_lexicon(self._lexicon_file)
        options = {"on_error": on_error} if on_error is not None else {}
        nlp = self._nlp if self._nlp is not None else load_pipeline(self._model)
        yield from extract_graphs(articles, nlp=nlp, lexicon=self._lexicon,
                                  batch_size=self.batch_size, **options)

    def _start(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(self._model, self._lexicon_file, self._lexicon, self.batch_size),
            )
        return self._pool

    def extract(self, articles: Iterable[Article], *, on_error: OnError | None = None) -> Iterator[ArticleGraph]:
        """ArticleGraphs of `articles`, in order; the input is read lazily.

        on_error: as in kg.pipeline.extract_graphs, an article the extractor
        fails on is passed to it as a SourceError (in order) instead of raised.
        """
        if self.workers == 1:
            yield from self._local(articles, on_error)
            return
        pool = self._start()
        iterator = iter(articles)
        pending: deque[tuple[list[Article], Future]] = deque()
        finished = False
        try:
            while True:
                while len(pending) < self.max_in_flight:
                    chunk = list(islice(iterator, self.chunk_size))
                    if not chunk:
                        break
                    pending.append((chunk, pool.submit(_extract_chunk, chunk, on_error is not None)))
                if not pending:
                    break
                chunk, future = pending.popleft()
                items = future.result()
                graphs = iter(chunk)
                for item in items:
                    if item[0] == "error":
                        # A failed article gives no graph: its SourceError names it.
                        next(graphs)
                        on_error(item[1])
                    else:
                        yield ArticleGraph(next(graphs), item[1], item[2])
            finished = True
        finally:
            if not finished:
                # Abandoned or failed: drop the queued chunks (running ones finish).
                for _, future in pending:
                    future.cancel()
                self.close(cancel=True)

    def close(self, cancel: bool = False) -> None:
        """Stop the workers (they are started again by the next `extract`)."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=cancel)

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        self.close(cancel=exc_type is not None)


def extract_parallel(
    articles: Iterable[Article],
    *,
    model: str | None,
    lexicon_file: str | Path | None,
    workers: int,
    batch_size: int,
    lexicon=None,
    chunk_size: int | None = None,
    on_error: OnError | None = None,
) -> Iterator[ArticleGraph]:
    """Parse and extract `articles` in `workers` processes; ArticleGraphs in input order.

    model: installed spaCy pipeline or its directory (None: kg's default /
    KG_SPACY_MODEL); lexicon_file: extra vocabulary merged over the built-in
    one, or pass an already loaded ``lexicon`` instead; batch_size: spaCy's
    batch inside a worker; chunk_size: articles per task (default
    ``default_chunk_size``); on_error: as in kg.pipeline.extract_graphs.
    """
    pool = ExtractionPool(model=model, lexicon_file=lexicon_file, workers=workers, batch_size=batch_size,
                          lexicon=lexicon, chunk_size=chunk_size)
    try:
        yield from pool.extract(articles, on_error=on_error)
    finally:
        pool.close()
