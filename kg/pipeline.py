"""sources -> nlp -> extract -> resolve -> store, in bounded batches.

Articles stream from the sources; each batch of known-new articles is parsed
with spaCy, extracted, resolved against the store and written in one
transaction, so an article is either fully written or not at all, and a
rerun skips what is already there without parsing it again. Batch k is
resolved and written in a thread of its own while batch k+1 is parsed, so a
store on another core or machine (Neo4j) works while spaCy does; batches
are still written one at a time, in order.

Faults end a run cleanly, never with a traceback, and a rerun of the same
command completes it:

- a bad input (unreadable file, broken JSON line, article over --max-chars)
  is listed in ``IngestReport.failed`` and the run goes on; so is an article
  the extractor or the store refuses (a bug, reported with its origin);
- a store failure (server gone, credentials revoked) stops the run: the
  articles of the failed batch and every one after it are listed in
  ``IngestReport.not_written`` (the inputs after it are read, not parsed);
- Ctrl-C (KeyboardInterrupt), or SIGTERM, stops the run with ``IngestReport.interrupted``
  set; the batch being written then is finished first, so it is either all
  in the store or not at all. A Ctrl-C that comes during a call to the store
  in the caller's thread takes effect when the call returns (a second one at
  once): a KeyboardInterrupt inside the Neo4j driver can leave its
  connection mid-transaction, and the driver then fails the session's
  clean-up with an error of its own instead.

Memory stays bounded whatever an article's length: spaCy's small English
pipeline needs about 2.5 KB per character of the texts it parses together,
so texts longer than PARSE_PIECE_CHARS are parsed in pieces (cut after a
paragraph, line or sentence) and joined again into one Doc with the
article's exact text, and at most PARSE_BATCH_CHARS characters are parsed
together (in each worker process too). Extraction then sees the whole article, and
every offset stays relative to it.
"""

from __future__ import annotations

import json
import logging
import re
import signal
import threading
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kg.config import DEFAULT_BATCH_SIZE
from kg.errors import ConfigError, StoreError
from kg.evaluate import Report, Triple, score
from kg.extraction import ArticleExtractor, reading_text
from kg.lexicon import Lexicon
from kg.nlp import load_pipeline
from kg.records import Article, ArticleGraph, Skipped, SkippedTally, SourceError
from kg.resolve import Resolver
from kg.sources import article_id, read_articles
from kg.store import GraphStore

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Longest text spaCy parses in one piece (about 130 MB of working memory);
#: a longer article is parsed in pieces and joined again. Measured: an
#: article of 1.05 million characters peaks at 0.65 GB for the whole kg
#: process this way, and at about 3 GB parsed whole.
PARSE_PIECE_CHARS = 50_000
#: Most characters spaCy parses together in one batch (in each process).
PARSE_BATCH_CHARS = 100_000

# Where a piece may end, best first: after a blank line, a line end, a
# sentence end (a lower-case word of three letters or more before the stop,
# so "Sen." and "Mr." do not count), any white space.
_CUTS = (
    re.compile(r"\n[ \t]*\n\s*"),
    re.compile(r"\n\s*"),
    re.compile(r"(?<=[a-z0-9]{3}[.!?])[\"')\]’”]?\s+"),
    re.compile(r"\s+"),
)


@dataclass(frozen=True)
class Unwritten:
    """An article a failed run did not write: its id and where it came from."""

    id: str
    origin: str


@dataclass
class IngestReport:
    """What one run did; the CLI prints it and picks the exit code from it."""

    store: str = ""
    articles_read: int = 0
    articles_written: int = 0
    skipped_known: int = 0
    entities: set[str] = field(default_factory=set)
    relations: Counter = field(default_factory=Counter)
    failed: list[SourceError] = field(default_factory=list)
    #: Inputs passed over on purpose: files of other types in a folder, WARC records that are no HTML pages.
    skipped_other: SkippedTally = field(default_factory=SkippedTally)
    #: Articles not written because the store failed (the batch it failed on
    #: and every one after it) or because the run was interrupted (the batch
    #: being written, which may or may not have been committed).
    not_written: list[Unwritten] = field(default_factory=list)
    store_error: str | None = None
    #: The store failed and the rest of the input was left unread (a stream).
    rest_unread: bool = False
    #: Ctrl-C (SIGINT) or SIGTERM stopped the run.
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_written and not self.store_error and not self.interrupted

    def as_dict(self) -> dict:
        return {
            "store": self.store,
            "articles_read": self.articles_read,
            "articles_written": self.articles_written,
            "skipped_already_ingested": self.skipped_known,
            "failed": [{"path": e.path, "line": e.line, "reason": e.reason} for e in self.failed],
            "skipped_other": self.skipped_other.as_dict(),
            "not_written": [{"id": a.id, "origin": a.origin} for a in self.not_written],
            "store_error": self.store_error,
            "rest_unread": self.rest_unread,
            "interrupted": self.interrupted,
            "entities": len(self.entities),
            "relations": dict(sorted(self.relations.items())),
        }


def evaluate_gold(path, *, nlp: Language, lexicon: Lexicon) -> Report:
    """Extract from each item of a gold JSONL file and score against its relations."""
    items = []
    for record in read_articles([str(path)]):
        if isinstance(record, SourceError):
            raise ConfigError(f"gold file {record}")
        if isinstance(record, Article):
            items.append(record)
    gold = {}
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                item = json.loads(line)
                gold[article_id(id=item.get("id"), url=item.get("url"), text=item.get("text", ""))] = item
    pairs = []
    for graph in extract_graphs(items, nlp=nlp, lexicon=lexicon):
        names = {e.id: e.name for e in graph.entities}
        predicted = [Triple(names[r.subject], r.predicate, names[r.object], r.amount) for r in graph.relations]
        pairs.append((gold[graph.article.id], predicted))
    return score(pairs)


Progress = Callable[[IngestReport], None]
#: Called with an article the extractor failed on, instead of raising.
OnError = Callable[[SourceError], None]
#: Parses and extracts one batch of fresh articles in place of extract_graphs (kg.dask_backend's
#: DaskExtractor.extract_batch): called with the batch and an OnError, returns their graphs in order.
Extract = Callable[[list[Article], OnError], Iterable[ArticleGraph]]


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# -- parsing in bounded memory ---------------------------------------------------


def split_text(text: str, size: int = PARSE_PIECE_CHARS) -> list[str]:
    """`text` in pieces of at most `size` characters that join back to exactly `text`.

    Each piece ends after a blank line if its second half has one, else after
    a line end, a sentence end or white space, else at `size` characters.
    """
    if size < 2:
        raise ValueError("size must be at least 2")
    pieces = []
    start = 0
    while len(text) - start > size:
        end = start + size
        half = start + size // 2
        for cut in _CUTS:
            last = None
            for last in cut.finditer(text, half, end):
                pass
            if last is not None:
                end = last.end()
                break
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def parse_texts(
    texts: Iterable[str], *, nlp: Language, batch_size: int = DEFAULT_BATCH_SIZE,
    piece_chars: int = PARSE_PIECE_CHARS, batch_chars: int = PARSE_BATCH_CHARS,
) -> Iterator[Doc]:
    """One Doc per text, in order, with ``doc.text == text``, in bounded memory.

    Texts longer than `piece_chars` are parsed in pieces (see split_text) and
    joined with ``Doc.from_docs``; spaCy parses at most `batch_size` pieces
    and `batch_chars` characters together.
    """
    pieces_of: deque[int] = deque()  # how many pieces each text still waiting was cut into

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = split_text(text, piece_chars) if len(text) > piece_chars else [text]
            pieces_of.append(len(parts))
            yield from parts

    parts: list[Doc] = []
    for doc in _parse_in_groups(pieces(), nlp=nlp, batch_size=batch_size, batch_chars=batch_chars):
        parts.append(doc)
        if len(parts) == pieces_of[0]:
            pieces_of.popleft()
            yield parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            parts = []


def _parse_in_groups(pieces: Iterable[str], *, nlp: Language, batch_size: int, batch_chars: int) -> Iterator[Doc]:
    group: list[str] = []
    chars = 0
    for piece in pieces:
        if group and (len(group) >= batch_size or chars + len(piece) > batch_chars):
            yield from nlp.pipe(group, batch_size=len(group))
            group, chars = [], 0
        group.append(piece)
        chars += len(piece)
    if group:
        yield from nlp.pipe(group, batch_size=len(group))


def extract_graphs(
    articles: Iterable[Article], *, nlp: Language, lexicon: Lexicon, batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int = 1, on_error: OnError | None = None,
) -> Iterator[ArticleGraph]:
    """Parse and extract articles in order; nothing is stored.

    An exception from the extractor on one article is raised, or, with
    `on_error`, passed to it as a SourceError naming the article, and the
    other articles go on. With `workers` > 1, worker processes parse and
    extract (kg.workers.ExtractionPool), started for this call.
    """
    if workers > 1:
        from kg.workers import ExtractionPool

        with ExtractionPool(nlp=nlp, lexicon=lexicon, workers=workers, batch_size=batch_size) as pool:
            yield from pool.extract(articles, on_error=on_error)
        return
    extractor = ArticleExtractor(lexicon)
    waiting: deque[Article] = deque()

    def texts() -> Iterator[str]:
        for article in articles:
            waiting.append(article)
            yield reading_text(article)

    for doc in parse_texts(texts(), nlp=nlp, batch_size=batch_size):
        article = waiting.popleft()
        if on_error is None:
            yield extractor(article, doc)
            continue
        try:
            graph = extractor(article, doc)
        except Exception as exc:  # one article's extractor bug must not end the run
            log.debug("extraction failed on %s", article.origin, exc_info=True)
            on_error(_failure(article, f"extraction failed ({type(exc).__name__}: {exc}); please report this article"))
            continue
        yield graph


def _failure(article: Article, reason: str) -> SourceError:
    return SourceError(article.origin or article.id, None, reason)


def _in_thread(job: Callable[..., T], *args) -> Future[T]:
    """Run job(*args) in a thread of its own: batch k is written while batch k+1 is parsed.

    A daemon thread, so that a second Ctrl-C, which stops waiting for the
    write in flight, also ends the process; the write is then not committed.
    """
    future: Future[T] = Future()

    def run() -> None:
        future.set_running_or_notify_cancel()
        try:
            future.set_result(job(*args))
        except BaseException as exc:  # noqa: BLE001  (raised again by future.result())
            future.set_exception(exc)

    threading.Thread(target=run, name="kg-write", daemon=True).start()
    return future


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class _Interrupts:
    """Ctrl-C and SIGTERM stop a run alike; both are held back while the store is called.

    During `terminating`, SIGTERM raises KeyboardInterrupt as Ctrl-C does, so
    a service manager's stop ends the run as cleanly as Ctrl-C. During
    `held`, either signal waits until the store call returns; a second one
    does not wait. Only in the main thread, and for each signal only where
    Python's default is in place (a signal the caller ignores, as nohup does
    with SIGINT, or handles itself, is left alone).
    """

    def __init__(self) -> None:
        self.requested = 0

    @staticmethod
    def _main_thread() -> bool:
        return threading.current_thread() is threading.main_thread()

    @contextmanager
    def terminating(self) -> Iterator[None]:
        if not self._main_thread() or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            yield
            return
        signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            yield
        finally:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)

    @contextmanager
    def held(self) -> Iterator[None]:
        ours = ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, _raise_interrupt))
        signals = [signum for signum, default in ours if signal.getsignal(signum) is default]
        if not self._main_thread() or not signals:
            yield
            return

        def handler(signum, frame):
            self.requested += 1
            if self.requested > 1:
                raise KeyboardInterrupt

        previous = {signum: signal.signal(signum, handler) for signum in signals}
        try:
            yield
        finally:
            for signum, restored in previous.items():
                signal.signal(signum, restored)
        if self.requested:
            raise KeyboardInterrupt


# -- ingest ------------------------------------------------------------------------


def ingest(
    records: Iterable[Article | SourceError | Skipped], *, store: GraphStore, nlp: Language | None, lexicon: Lexicon,
    batch_size: int = DEFAULT_BATCH_SIZE, workers: int = 1, progress: Progress | None = None,
    extract: Extract | None = None, model: str | None = None, list_the_rest: bool = True,
) -> IngestReport:
    """Write the articles of `records` to `store`; bad records are reported, not raised.

    A store failure stops the run: the articles of the failed batch and the
    ones after it are listed in `not_written`, and a rerun completes them.
    Ctrl-C or SIGTERM stops it too, with `interrupted` set. A StoreError
    before the first batch (the schema cannot be created) is raised. With
    `nlp` None, the pipeline `model` (kg.nlp.load_pipeline) is loaded when
    the first new article comes, so a run over stored articles never loads it.
    After a store failure the rest of the input is read, not parsed, to list
    it in `not_written`; with `list_the_rest` False (an endless stream such as
    a feed on stdin) it is left unread and `rest_unread` is set.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if extract is None and workers > 1:
        # Worker processes that parse and extract, started once for the whole run.
        from kg.workers import ExtractionPool

        with ExtractionPool(nlp=nlp, model=model, lexicon=lexicon, workers=workers, batch_size=batch_size) as pool:
            return ingest(records, store=store, nlp=nlp, lexicon=lexicon, batch_size=batch_size,
                          progress=progress, extract=lambda fresh, on_error: pool.extract(fresh, on_error=on_error),
                          list_the_rest=list_the_rest)
    if extract is None:
        def extract(fresh: list[Article], on_error: OnError) -> Iterable[ArticleGraph]:
            return extract_graphs(fresh, nlp=nlp if nlp is not None else load_pipeline(model), lexicon=lexicon,
                                  batch_size=batch_size, on_error=on_error)
    return _Ingest(store, extract, batch_size, progress, list_the_rest).run(records)


class _Ingest:
    """One run of `ingest`: batches are parsed here and written in a thread, one behind."""

    def __init__(self, store: GraphStore, extract: Extract, batch_size: int, progress: Progress | None,
                 list_the_rest: bool):
        self.store = store
        self.extract = extract
        self.batch_size = batch_size
        self.progress = progress
        self.list_the_rest = list_the_rest
        self.report = IngestReport(store=store.description)
        self.resolver = Resolver(store)
        self.interrupts = _Interrupts()
        self.seen: set[str] = set()
        #: Articles taken from the input and not yet written, in order: the
        #: batch being written and the one being parsed.
        self.unwritten: list[Article] = []
        #: The batch being written, in a thread, while the next one is parsed.
        self.writing: tuple[list[Article], Future] | None = None

    def run(self, records: Iterable[Article | SourceError | Skipped]) -> IngestReport:
        report, interrupts = self.report, self.interrupts
        records = iter(records)
        with interrupts.terminating():
            with interrupts.held():
                self.store.ensure_schema()
            try:
                try:
                    self._read(records)
                except StoreError as exc:
                    if interrupts.requested:
                        # A second Ctrl-C broke off a store call; the store's error is its echo.
                        raise KeyboardInterrupt from None
                    self._stop(exc, records)
            except KeyboardInterrupt:
                report.interrupted = True
                try:
                    self._settle()  # the batch being written commits or fails whole; a second Ctrl-C stops the wait
                except (StoreError, KeyboardInterrupt):
                    self.writing = None
                report.not_written = [Unwritten(a.id, a.origin) for a in self.unwritten]
            finally:
                if self.writing is not None:
                    # An unexpected error: let the write in flight end before the caller closes the store.
                    wait([self.writing[1]])
        if self.progress:
            self.progress(report)
        return report

    def _read(self, records: Iterator[Article | SourceError | Skipped]) -> None:
        batch: list[Article] = []
        for record in records:
            if (article := self._count(record)) is not None:
                batch.append(article)
            if len(batch) >= self.batch_size:
                self._take(batch)
                batch = []
                if self.progress:
                    self.progress(self.report)
        self._take(batch)
        self._settle()

    def _count(self, record: Article | SourceError | Skipped) -> Article | None:
        """Count one input record; the article, if it is the first with its id in this run."""
        report = self.report
        if isinstance(record, SourceError):
            report.failed.append(record)
            return None
        if isinstance(record, Skipped):
            report.skipped_other.add(record)
            return None
        report.articles_read += 1
        if record.id in self.seen:
            report.skipped_known += 1
            return None
        self.seen.add(record.id)
        return record

    def _take(self, batch: list[Article]) -> None:
        """Parse the new articles of `batch`, then hand them to the writer once the batch before is written."""
        if not batch:
            return
        self.unwritten.extend(batch)
        with self.interrupts.held():
            known = self.store.known_articles(a.id for a in batch)
        fresh = [a for a in batch if a.id not in known]
        self.report.skipped_known += len(batch) - len(fresh)
        if known:
            self.unwritten[:] = [a for a in self.unwritten if a.id not in known]
        if not fresh:
            return
        failures: list[SourceError] = []
        graphs = list(self.extract(fresh, failures.append))
        self._settle()
        self.report.failed.extend(failures)
        self.writing = (fresh, _in_thread(self._write, graphs))

    def _write(self, graphs: list[ArticleGraph]) -> tuple[list[ArticleGraph], list[SourceError]]:
        """Resolve and write one batch (in the writer thread): the graphs written and the articles refused."""
        graphs = self.resolver.resolve(graphs)
        try:
            self.store.write(graphs)
            return graphs, []
        except ValueError:
            # The store refused the batch before writing any of it (an
            # extractor bug); write the articles one by one to find which.
            written, refused = [], []
            for graph in graphs:
                try:
                    self.store.write([graph])
                except ValueError as exc:
                    refused.append(_failure(graph.article, f"not stored ({exc}); please report this article"))
                else:
                    written.append(graph)
            return written, refused

    def _settle(self) -> None:
        """Wait for the batch being written and count it; a StoreError of its write is raised here."""
        if self.writing is None:
            return
        fresh, future = self.writing
        written, refused = future.result()
        self.writing = None
        del self.unwritten[:len(fresh)]
        report = self.report
        report.failed.extend(refused)
        report.articles_written += len(written)
        for graph in written:
            report.entities.update(e.id for e in graph.entities)
            report.relations.update(r.predicate for r in graph.relations)
        log.debug("wrote %d article(s), %d in all", len(written), report.articles_written)

    def _stop(self, exc: StoreError, records: Iterator[Article | SourceError | Skipped]) -> None:
        """After a store failure: list what was not written, reading the rest of the input without parsing it."""
        log.debug("store failed: %s", exc)
        report = self.report
        report.store_error = str(exc)
        try:
            self._settle()  # a write still in flight may yet succeed
        except StoreError:
            pass
        report.not_written = [Unwritten(a.id, a.origin) for a in self.unwritten]
        if not self.list_the_rest:
            report.rest_unread = True
            return
        for record in records:
            if (article := self._count(record)) is not None:
                report.not_written.append(Unwritten(article.id, article.origin))
