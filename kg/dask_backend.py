"""Extraction across a Dask cluster, for when one machine is not enough.

The client (the machine running ``kg ingest``) reads the articles, cuts them
into partitions of ``partition_size`` and submits each partition as one Dask
task; a worker parses and extracts it and sends back only the entities and
relations. Results come back in submission order, so the graph is the same as
a single-process run, and the caller resolves and writes them batch by batch
with the writer it already has: one writer, on the client, no write contention.

    for graph in extract_dask(articles, scheduler="tcp://scheduler:8786", model=None, lexicon_file=None):
        ...

    # several calls in one run (the model is loaded once per worker either way):
    with DaskExtractor(scheduler="local:2") as dx:
        graphs = list(dx.extract(articles))

``scheduler`` is the address of a running scheduler (``tcp://host:8786``, or
``host:8786``), or ``local`` / ``local:N`` for a LocalCluster of N worker
processes on this machine (one thread each; N defaults to the core count).

- Each worker process loads the spaCy pipeline and the lexicon once (a cached
  loader in this module) and keeps them for every partition it is given.
- At most ``max_in_flight`` partitions are submitted and not yet yielded at any
  time: memory stays flat on the client and the cluster however long the input.
- A worker that dies mid-run has its partitions rerun elsewhere by Dask
  (``retries=2``; the tasks are pure: same input, same result, no side effect).
- A scheduler that cannot be reached raises ``SchedulerUnavailable``; one lost
  mid-run raises ``SchedulerLost``. Both are ``kg.errors.KgError``s with the
  address and what to do. Since the pipeline writes batch by batch and skips
  the articles a store already has, rerunning the same command completes a run.
- Dask is optional: without it, a ``ConfigError`` says ``pip install "kg[dask]"``.

As with ``kg.workers``, a script that uses ``local`` must guard its entry
point with ``if __name__ == "__main__":`` (worker processes are spawned).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

import kg
from kg.errors import ConfigError, KgError
from kg.records import Article, ArticleGraph, Entity, Relation, SourceError

__all__ = [
    "SCHEDULER_ENV",
    "DaskError",
    "DaskExtractor",
    "SchedulerLost",
    "SchedulerUnavailable",
    "WorkersUnavailable",
    "extract_dask",
    "parse_scheduler",
]

#: Environment variable the CLI reads for ``--dask``.
SCHEDULER_ENV = "KG_DASK_SCHEDULER"
INSTALL_HINT = 'pip install "kg[dask]" (on the client and on every worker)'

#: Called with an article the extractor failed on, instead of raising (as in kg.pipeline).
OnError = Callable[[SourceError], None]
#: What a worker sends back per article: entities and relations (the Article stays home).
_Result = tuple[tuple[Entity, ...], tuple[Relation, ...]]


class DaskError(KgError):
    """Extraction on a Dask cluster could not go on."""


class SchedulerUnavailable(DaskError):
    """No Dask scheduler answers at the given address."""


class SchedulerLost(SchedulerUnavailable):
    """The connection to the scheduler broke during a run."""


class WorkersUnavailable(DaskError):
    """The scheduler has had no worker for too long, or workers keep dying on a partition."""


# -- the scheduler spec -------------------------------------------------------------


@dataclass(frozen=True)
class SchedulerSpec:
    """``local`` with a worker count, or a remote address."""

    address: str | None  # None: a LocalCluster
    workers: int = 0

    @property
    def is_local(self) -> bool:
        return self.address is None

    def __str__(self) -> str:
        return f"local:{self.workers}" if self.is_local else str(self.address)


def parse_scheduler(value: str) -> SchedulerSpec:
    """``local``, ``local:N``, ``tcp://host:port`` (or ``host:port``) -> SchedulerSpec."""
    text = (value or "").strip()
    if not text:
        raise ConfigError(f"no Dask scheduler given: pass --dask tcp://HOST:8786 or --dask local[:N], or set {SCHEDULER_ENV}")
    if text == "local" or text.startswith("local:"):
        count = text.partition(":")[2]
        if not count:
            return SchedulerSpec(None, max(1, os.cpu_count() or 1))
        if not count.isdigit() or int(count) < 1:
            raise ConfigError(f"--dask {text!r}: the number of local workers must be a whole number of at least 1, as in local:4")
        return SchedulerSpec(None, int(count))
    if "://" not in text:
        text = f"tcp://{text}"
    scheme, _, rest = text.partition("://")
    if scheme not in ("tcp", "tls", "ws", "wss", "ucx", "inproc") or not rest:
        raise ConfigError(f"--dask {value!r} is not a Dask scheduler address: use tcp://HOST:8786 (or local, local:N)")
    return SchedulerSpec(text)


#: Imported once in the fork server that local worker processes are forked from.
_FORKSERVER_PRELOAD = ["distributed", "kg.dask_backend", "kg.pipeline", "kg.extraction.article", "kg.nlp"]


@contextmanager
def _forkserver_workers(distributed) -> Iterator[None]:
    """Start local workers from a fork server that has Dask, spaCy and kg imported already.

    Dask spawns a fresh interpreter per worker by default, and each one
    imports Dask, spaCy and kg again: about 2 CPU-seconds a worker, a tenth
    of a 600-article run on two cores. Forked from a preloaded server (as
    kg.workers does), a worker only loads the model. Only the start is
    affected; a worker the nanny restarts later is spawned as usual. Where
    there is no fork server (Windows), workers are spawned.
    """
    import multiprocessing

    import dask

    if "forkserver" not in multiprocessing.get_all_start_methods():
        yield
        return
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        context = distributed.utils.get_mp_context()
        # A no-op if this process's fork server already runs (kg.workers started it): workers then import kg themselves.
        context.set_forkserver_preload(_FORKSERVER_PRELOAD)
        yield


@contextmanager
def _local_worker_config(distributed) -> Iterator[None]:
    """Dask settings for the worker processes of a LocalCluster, while it starts.

    Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc
    hand memory back to the system after every few allocations; spaCy
    allocates and frees a lot, and pays for it in page faults: about 15% more
    CPU per article, measured. kg's workers keep glibc's defaults (as the
    `kg ingest --workers` processes do); the model stays loaded anyway. The
    statistical profiler (a stack sample every 10 ms, for a dashboard kg
    does not start) is off too, and the event loop's housekeeping runs less
    often, so it takes the GIL from the parsing thread less often.
    """
    import dask

    settings = {
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
        "distributed.worker.profile.enabled": False,
        "distributed.admin.tick.interval": "1s",
        "distributed.worker.memory.monitor-interval": "1s",
        "distributed.admin.system-monitor.interval": "2s",
    }
    with dask.config.set(settings), _forkserver_workers(distributed):
        yield


@contextmanager
def _quiet(*names: str) -> Iterator[None]:
    """Only CRITICAL log records from these loggers while inside."""
    import logging

    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _import_distributed():
    try:
        import distributed
    except ImportError as exc:
        raise ConfigError(f"extraction on a Dask cluster needs Dask: {INSTALL_HINT}") from exc
    return distributed


# -- the worker side ------------------------------------------------------------------
# These functions run in Dask worker processes. They are found by reference
# (kg.dask_backend._extract_partition), so every worker needs kg installed.

_load_lock = threading.Lock()


@lru_cache(maxsize=4)
def _worker_extractor(model: str, lexicon_text: str | None):
    """The spaCy pipeline and an ArticleExtractor, loaded once per worker process."""
    from kg.extraction import ArticleExtractor
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    if lexicon_text is None:
        lexicon = load_lexicon()
    else:
        # The user's lexicon file travels with the task (it lives on the client);
        # load_lexicon reads a path, so it is put in a private file for the call.
        with tempfile.TemporaryDirectory(prefix="kg-lexicon-") as folder:
            path = Path(folder) / "lexicon.json"
            path.write_text(lexicon_text, encoding="utf-8")
            lexicon = load_lexicon(path)
    return nlp, ArticleExtractor(lexicon)


@dataclass(frozen=True)
class _Failed:
    """An article the extractor raised on, in place of its result; the others go on."""

    reason: str


def _parse(texts: list[str], nlp, batch_size: int):
    try:  # the pipeline's bounded-memory parse (long articles in pieces), so results match it exactly
        from kg.pipeline import parse_texts
    except ImportError:  # pragma: no cover  (a kg without it)
        return nlp.pipe(texts, batch_size=batch_size)
    return parse_texts(texts, nlp=nlp, batch_size=batch_size)


def _extract_partition(
    articles: list[Article], model: str, lexicon_text: str | None, client_version: str, batch_size: int
) -> list[_Result | _Failed]:
    """Parse and extract one partition; pure (same input, same output, nothing written)."""
    if client_version != kg.__version__:
        raise ConfigError(
            f"Dask worker has kg {kg.__version__} but the client has kg {client_version}: "
            "install the same kg version on every worker"
        )
    from kg.extraction import reading_text

    with _load_lock:  # workers with several threads load once too
        nlp, extractor = _worker_extractor(model, lexicon_text)
    results: list[_Result | _Failed] = []
    for article, doc in zip(articles, _parse([reading_text(a) for a in articles], nlp, batch_size)):
        try:
            graph = extractor(article, doc)
        except Exception as exc:  # noqa: BLE001  (one article's extractor bug must not end the run)
            results.append(_Failed(f"{type(exc).__name__}: {exc}"))
            continue
        results.append((graph.entities, graph.relations))
    return results


# -- the client side --------------------------------------------------------------------


class DaskExtractor:
    """A connection to a Dask cluster (or a LocalCluster it starts) that extracts articles.

    ``with DaskExtractor(scheduler="tcp://host:8786") as dx: graphs = list(dx.extract(articles))``.
    Open one per run and call ``extract`` once per batch or once for the whole
    stream; ``close`` disconnects (and stops a LocalCluster it started).
    """

    def __init__(
        self,
        *,
        scheduler: str,
        model: str | None = None,
        lexicon_file: str | Path | None = None,
        partition_size: int = 64,
        max_in_flight: int = 8,
        retries: int = 2,
        connect_timeout: float = 10.0,
        no_worker_timeout: float = 300.0,
    ) -> None:
        if partition_size < 1:
            raise ValueError("partition_size must be at least 1")
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self.spec = parse_scheduler(scheduler)
        _import_distributed()
        self.partition_size = partition_size
        self.max_in_flight = max_in_flight
        self.retries = retries
        self.connect_timeout = connect_timeout
        self.no_worker_timeout = no_worker_timeout
        from kg.nlp import model_name

        # Resolved here, so every worker uses the client's choice, not its own KG_SPACY_MODEL.
        self.model = model_name(model)
        self._lexicon_text = None
        if lexicon_file is not None:
            from kg.lexicon import load_lexicon

            load_lexicon(lexicon_file)  # a malformed file fails here, naming it, before any worker sees it
            self._lexicon_text = Path(lexicon_file).read_text(encoding="utf-8")
        self._client = None
        self._cluster = None
        self._run = uuid.uuid4().hex[:12]
        self._submitted = 0
        self._progress = threading.Event()  # set by every future's done-callback
        self.articles_extracted = 0

    # connecting -----------------------------------------------------------------------
    @property
    def client(self):
        """The distributed.Client (connecting on first use)."""
        if self._client is None:
            self.connect()
        return self._client

    @property
    def description(self) -> str:
        return f"Dask {self.spec}" if self.spec.is_local else f"Dask scheduler {self.spec}"

    def connect(self) -> DaskExtractor:
        """Connect now (or start the LocalCluster): a bad address fails here, before any article is read."""
        if self._client is not None:
            return self
        distributed = _import_distributed()
        if self.spec.is_local:
            import logging

            try:
                with _local_worker_config(distributed):
                    self._cluster = distributed.LocalCluster(
                        n_workers=self.spec.workers, threads_per_worker=1, processes=True,
                        dashboard_address=None, scheduler_port=0, host="127.0.0.1",
                        # No dashboard, and its HTTP server (health checks) on a free port, not 8787.
                        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                        silence_logs=logging.ERROR,
                    )
                self._client = distributed.Client(self._cluster, set_as_default=False)
            except (OSError, RuntimeError) as exc:
                self.close()
                raise DaskError(f"could not start a local Dask cluster of {self.spec.workers} workers: {exc}") from exc
            return self
        address = self.spec.address
        try:
            self._client = distributed.Client(address, timeout=self.connect_timeout, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerUnavailable(
                f"no Dask scheduler answers at {address} (waited {self.connect_timeout:g} s): start one there with "
                f"`dask scheduler` and workers with `dask worker {address}`, or check --dask / {SCHEDULER_ENV}; "
                "--dask local runs a cluster on this machine"
            ) from exc
        return self

    # extracting ----------------------------------------------------------------------
    def extract(
        self, articles: Iterable[Article], on_error: OnError | None = None, *, partition_size: int | None = None
    ) -> Iterator[ArticleGraph]:
        """ArticleGraphs of `articles`, in input order; the input is read lazily.

        An article the extractor raises on ends the run with a DaskError, or,
        with `on_error`, is passed to it as a SourceError and left out (as
        kg.pipeline.extract_graphs does).
        """
        distributed = _import_distributed()
        client = self.client
        size = partition_size or self.partition_size
        iterator = iter(articles)
        pending: deque[tuple[list[Article], object]] = deque()  # in submission order
        done = False
        try:
            while True:
                while not done and len(pending) < self.max_in_flight:
                    partition = list(islice(iterator, size))
                    if not partition:
                        done = True
                        break
                    pending.append((partition, self._submit(client, partition)))
                if not pending:
                    return
                partition, future = pending.popleft()
                results = self._result(distributed, client, future, [f for _, f in pending])
                del future
                for article, result in zip(partition, results):
                    self.articles_extracted += 1
                    if isinstance(result, _Failed):
                        failure = SourceError(article.origin or article.id, None,
                                              f"extraction failed ({result.reason}); please report this article")
                        if on_error is None:
                            raise DaskError(f"on a Dask worker: {failure}")
                        on_error(failure)
                        continue
                    entities, relations = result
                    yield ArticleGraph(article, entities, relations)
        finally:
            # Finished, failed or abandoned: nothing of this call stays on the cluster.
            if pending and self._client is not None and self._client.status == "running":
                try:
                    self._client.cancel([f for _, f in pending])
                except Exception:  # noqa: BLE001  (the run is ending anyway)
                    pass
            pending.clear()

    def extract_batch(self, articles: Sequence[Article], on_error: OnError | None = None) -> list[ArticleGraph]:
        """The graphs of one pipeline batch, cut so that every worker thread gets a share.

        This is the ``extract`` hook of ``kg.pipeline.ingest``: the batch is
        split into about two partitions per worker thread (at most
        ``partition_size`` articles each), so a batch of 64 on 2 workers runs
        as 4 partitions of 16, and a batch of 4,096 on 32 workers as 64 of 64.
        """
        threads = self.worker_threads() or 1
        size = max(1, min(self.partition_size, -(-len(articles) // (2 * threads))))
        return list(self.extract(articles, on_error, partition_size=size))

    def worker_threads(self) -> int:
        """Worker threads the cluster has now (0 while no worker is connected)."""
        try:
            return sum(self.client.nthreads().values())
        except (OSError, self._comm_closed()) as exc:
            raise self._lost(exc) from exc

    @staticmethod
    def _comm_closed():
        from distributed.comm import CommClosedError

        return CommClosedError

    def _submit(self, client, partition: list[Article]):
        key = f"kg-extract-{self._run}-{self._submitted}"
        self._submitted += 1
        try:
            future = client.submit(
                _extract_partition, partition, self.model, self._lexicon_text, kg.__version__,
                min(len(partition), 64), key=key, retries=self.retries, pure=False,
            )
        except Exception as exc:  # noqa: BLE001  (a closed client refuses new work)
            if client.status != "running":
                raise self._lost(exc) from exc
            raise
        future.add_done_callback(self._wake)
        return future

    def _wake(self, _future) -> None:
        self._progress.set()

    def _result(self, distributed, client, future, others) -> list[_Result]:
        """Wait for `future` (the oldest), noticing a lost scheduler or a cluster without workers.

        The wait is on futures' done-callbacks and their local state, never
        ``Future.result(timeout=...)``: that one, called in a loop, now and then
        loses a race inside Dask's sync() and raises UnboundLocalError.
        """
        no_workers_since = None
        while True:
            self._progress.clear()
            if client.status != "running":
                raise self._lost(None)
            # A failure in a later partition is raised now, not after the ones before it.
            target = next((f for f in others if f.status == "error"), None)
            if target is None and future.done():
                target = future
            if target is not None:
                break
            if not self._progress.wait(1.0):
                no_workers_since = self._check_workers(client, no_workers_since)
        if target.status == "cancelled":
            raise self._lost(None)
        try:
            return target.result()
        except distributed.client.FutureCancelledError as exc:
            raise self._lost(exc) from exc
        except distributed.KilledWorker as exc:
            raise WorkersUnavailable(
                f"a partition of at most {self.partition_size} articles killed every Dask worker that ran it "
                f"(Dask gives up after distributed.scheduler.allowed-failures, 3 by default) at {self.spec}: "
                f"{exc}; out of memory? Give the workers more memory (dask worker --memory-limit) or lower "
                "--max-chars, then rerun: articles already written are skipped"
            ) from exc
        except KgError as exc:  # raised by a worker: a model or lexicon it cannot load, another kg version
            raise type(exc)(f"on a Dask worker: {exc}") from exc
        except ModuleNotFoundError as exc:
            raise ConfigError(f"a Dask worker cannot import {exc.name!r}: {INSTALL_HINT}, and the spaCy model") from exc
        except (OSError, distributed.comm.CommClosedError) as exc:
            if client.status != "running":
                raise self._lost(exc) from exc
            raise DaskError(f"Dask at {self.spec} failed: {type(exc).__name__}: {exc}") from exc
        except Exception as exc:  # a crash in a worker's task (spaCy, out of memory inside Python, ...)
            raise DaskError(
                f"a Dask worker failed on a partition: {type(exc).__name__}: {exc}; "
                "rerun to retry (articles already written are skipped)"
            ) from exc

    def _check_workers(self, client, since: float | None) -> float | None:
        try:
            count = len(client.nthreads())
        except Exception:  # noqa: BLE001  (a lost scheduler shows in client.status next round)
            return since
        if count:
            return None
        now = time.monotonic()
        if since is None:
            return now
        if now - since > self.no_worker_timeout:
            raise WorkersUnavailable(
                f"the Dask scheduler at {self.spec} has had no worker for {self.no_worker_timeout:g} s: "
                f"start workers with `dask worker {self.spec}` (kg and the spaCy model installed), then rerun"
            )
        return since

    def _lost(self, exc: BaseException | None) -> SchedulerLost:
        where = "the local Dask cluster" if self.spec.is_local else f"the Dask scheduler at {self.spec}"
        detail = f" ({exc})" if exc and str(exc) else ""
        return SchedulerLost(
            f"lost the connection to {where} after {self.articles_extracted} article(s) had come back{detail}; "
            "the batches already written stay written: once the scheduler is back (with workers), rerun the "
            "same command and it skips the articles already written"
        )

    # closing -------------------------------------------------------------------------
    def close(self) -> None:
        client, self._client = self._client, None
        cluster, self._cluster = self._cluster, None
        lost = client is not None and client.status != "running"
        # Closing a client that is trying to reconnect to a lost scheduler makes Dask log
        # a traceback of its cancelled attempt; kg has reported the loss already.
        with _quiet("distributed.client", "distributed.core", "distributed.utils") if lost else nullcontext():
            for thing in (client, cluster):
                if thing is not None:
                    try:
                        thing.close(timeout=10) if thing is client else thing.close()
                    except Exception:  # noqa: BLE001  (closing after a lost scheduler may fail; nothing to keep)
                        pass

    def __enter__(self) -> DaskExtractor:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def extract_dask(
    articles: Iterable[Article],
    *,
    scheduler: str,
    model: str | None,
    lexicon_file: str | Path | None,
    partition_size: int = 64,
    max_in_flight: int = 8,
    on_error: OnError | None = None,
) -> Iterator[ArticleGraph]:
    """Parse and extract `articles` on a Dask cluster; ArticleGraphs in input order.

    scheduler: ``tcp://host:8786`` or ``local`` / ``local:N``; model: installed
    spaCy pipeline (None: kg's default / KG_SPACY_MODEL on the client);
    lexicon_file: extra vocabulary merged over the built-in one (read on the
    client and sent to the workers); partition_size: articles per task;
    max_in_flight: partitions submitted and not yet yielded at most;
    on_error: called with a SourceError for an article the extractor fails
    on (without it, such an article raises DaskError).
    """
    # Made here, not in the generator: a bad address, a missing Dask or a bad
    # lexicon file fails at the call, before the first article is read.
    extractor = DaskExtractor(scheduler=scheduler, model=model, lexicon_file=lexicon_file,
                              partition_size=partition_size, max_in_flight=max_in_flight)
    return _closing(extractor, articles, on_error)


def _closing(extractor: DaskExtractor, articles: Iterable[Article], on_error: OnError | None) -> Iterator[ArticleGraph]:
    with extractor:
        yield from extractor.extract(articles, on_error)
