"""sources -> nlp -> extract -> resolve -> store, in bounded batches.

Articles stream from the sources; each batch of known-new articles is parsed
with spaCy, extracted, resolved against the store and written in one
transaction, so an article is either fully written or not at all, and a
rerun skips what is already there without parsing it again.

Faults end a run cleanly, never with a traceback, and a rerun of the same
command completes it:

- a bad input (unreadable file, broken JSON line, article over --max-chars)
  is listed in ``IngestReport.failed`` and the run goes on; so is an article
  the extractor or the store refuses (a bug, reported with its origin);
- a store failure (server gone, credentials revoked) stops the run: the
  articles of the failed batch and every one after it are listed in
  ``IngestReport.not_written`` (the inputs after it are read, not parsed);
- Ctrl-C (KeyboardInterrupt) stops the run with ``IngestReport.interrupted``
  set; the batch being written then is either all in the store or not at
  all. A Ctrl-C that comes during a call to the store takes effect when the
  call returns (a second one at once): a KeyboardInterrupt inside the Neo4j
  driver can leave its connection mid-transaction, and the driver then
  fails the session's clean-up with an error of its own instead.

Memory stays bounded whatever an article's length: spaCy's small English
pipeline needs about 2.5 KB per character of the texts it parses together,
so texts longer than PARSE_PIECE_CHARS are parsed in pieces (cut after a
paragraph, line or sentence) and joined again into one Doc with the
article's exact text, and at most PARSE_BATCH_CHARS characters are parsed
together (with ``workers=1``). Extraction then sees the whole article, and
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
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language
from spacy.tokens import Doc

from kg.config import DEFAULT_BATCH_SIZE
from kg.errors import ConfigError, StoreError
from kg.evaluate import Report, Triple, score
from kg.extract import ArticleExtractor
from kg.lexicon import Lexicon
from kg.nlp import parse
from kg.records import Article, ArticleGraph, SourceError
from kg.resolve import Resolver
from kg.sources import article_id, read_articles
from kg.store import GraphStore

log = logging.getLogger(__name__)

#: Longest text spaCy parses in one piece (about 130 MB of working memory);
#: a longer article is parsed in pieces and joined again. Measured: an
#: article of 1.05 million characters peaks at 0.65 GB for the whole kg
#: process this way, and at about 3 GB parsed whole.
PARSE_PIECE_CHARS = 50_000
#: Most characters spaCy parses together in one batch (workers=1).
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
    #: Articles not written because the store failed (the batch it failed on
    #: and every one after it) or because the run was interrupted (the batch
    #: being written, which may or may not have been committed).
    not_written: list[Unwritten] = field(default_factory=list)
    store_error: str | None = None
    #: Ctrl-C (or SIGINT) stopped the run.
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
            "not_written": [{"id": a.id, "origin": a.origin} for a in self.not_written],
            "store_error": self.store_error,
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
    texts: Iterable[str], *, nlp: Language, batch_size: int = DEFAULT_BATCH_SIZE, workers: int = 1,
    piece_chars: int = PARSE_PIECE_CHARS, batch_chars: int = PARSE_BATCH_CHARS,
) -> Iterator[Doc]:
    """One Doc per text, in order, with ``doc.text == text``, in bounded memory.

    Texts longer than `piece_chars` are parsed in pieces (see split_text) and
    joined with ``Doc.from_docs``. With one worker, spaCy parses at most
    `batch_size` pieces and `batch_chars` characters together; with more,
    spaCy's own multiprocessing takes `batch_size` pieces per batch.
    """
    pieces_of: deque[int] = deque()  # how many pieces each text still waiting was cut into

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = split_text(text, piece_chars) if len(text) > piece_chars else [text]
            pieces_of.append(len(parts))
            yield from parts

    if workers > 1:
        docs = parse(pieces(), nlp=nlp, batch_size=batch_size, workers=workers)
    else:
        docs = _parse_in_groups(pieces(), nlp=nlp, batch_size=batch_size, batch_chars=batch_chars)
    parts: list[Doc] = []
    for doc in docs:
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
    other articles go on.
    """
    extractor = ArticleExtractor(lexicon)
    waiting: deque[Article] = deque()

    def texts() -> Iterator[str]:
        for article in articles:
            waiting.append(article)
            yield article.text

    for doc in parse_texts(texts(), nlp=nlp, batch_size=batch_size, workers=workers):
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


class _Interrupts:
    """Holds back SIGINT while the store is called; a second SIGINT is not held back.

    Only where Python's own SIGINT handler is in place, in the main thread;
    elsewhere (a caller with its own handler, a worker thread) it does nothing.
    """

    def __init__(self) -> None:
        self.requested = 0

    @contextmanager
    def held(self) -> Iterator[None]:
        if (threading.current_thread() is not threading.main_thread()
                or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
            yield
            return

        def handler(signum, frame):
            self.requested += 1
            if self.requested > 1:
                raise KeyboardInterrupt

        signal.signal(signal.SIGINT, handler)
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        if self.requested:
            raise KeyboardInterrupt


# -- ingest ------------------------------------------------------------------------


def ingest(
    records: Iterable[Article | SourceError], *, store: GraphStore, nlp: Language | None, lexicon: Lexicon,
    batch_size: int = DEFAULT_BATCH_SIZE, workers: int = 1, progress: Progress | None = None,
    extract: Extract | None = None,
) -> IngestReport:
    """Write the articles of `records` to `store`; bad records are reported, not raised.

    A store failure stops the run: the articles of the failed batch and the
    ones after it are listed in `not_written`, and a rerun completes them.
    Ctrl-C stops it too, with `interrupted` set. A StoreError before the
    first batch (the schema cannot be created) is raised.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if extract is None and workers > 1:
        # Worker processes that parse and extract, started once for the whole run.
        from kg.workers import ExtractionPool

        with ExtractionPool(nlp=nlp, lexicon=lexicon, workers=workers, batch_size=batch_size) as pool:
            return ingest(records, store=store, nlp=nlp, lexicon=lexicon, batch_size=batch_size,
                          progress=progress, extract=lambda fresh, on_error: pool.extract(fresh, on_error=on_error))
    report = IngestReport(store=store.description)
    resolver = Resolver(store)
    seen_this_run: set[str] = set()
    interrupts = _Interrupts()
    with interrupts.held():
        store.ensure_schema()
    #: The articles of the batch being handled, until it is written.
    pending: list[Article] = []

    def write(batch: list[Article]) -> None:
        if not batch:
            return
        pending[:] = batch
        with interrupts.held():
            known = store.known_articles(a.id for a in batch)
        fresh = [a for a in batch if a.id not in known]
        report.skipped_known += len(batch) - len(fresh)
        pending[:] = fresh
        if not fresh:
            return
        if extract is not None:  # worker processes or a Dask cluster (kg.dask_backend)
            graphs = list(extract(fresh, report.failed.append))
        else:
            graphs = list(extract_graphs(fresh, nlp=nlp, lexicon=lexicon, batch_size=batch_size,
                                         on_error=report.failed.append))
        with interrupts.held():
            graphs = resolver.resolve(graphs)
            try:
                store.write(graphs)
                written = graphs
            except ValueError:
                # The store refused the batch before writing any of it (an
                # extractor bug); write the articles one by one to find which.
                written = []
                for graph in graphs:
                    try:
                        store.write([graph])
                    except ValueError as exc:
                        report.failed.append(_failure(graph.article, f"not stored ({exc}); please report this article"))
                    else:
                        written.append(graph)
            pending.clear()
            report.articles_written += len(written)
            for graph in written:
                report.entities.update(e.id for e in graph.entities)
                report.relations.update(r.predicate for r in graph.relations)
        log.debug("wrote %d article(s), %d in all", len(written), report.articles_written)

    records = iter(records)
    batch: list[Article] = []
    try:
        try:
            for record in records:
                if isinstance(record, SourceError):
                    report.failed.append(record)
                elif record.id in seen_this_run:
                    report.articles_read += 1
                    report.skipped_known += 1
                else:
                    report.articles_read += 1
                    seen_this_run.add(record.id)
                    batch.append(record)
                if len(batch) >= batch_size:
                    write(batch)
                    batch = []
                    if progress:
                        progress(report)
            write(batch)
            batch = []
        except StoreError as exc:
            if interrupts.requested:
                # A second Ctrl-C broke off a store call; the store's error is its echo.
                raise KeyboardInterrupt from None
            log.debug("store failed: %s", exc)
            report.store_error = str(exc)
            report.not_written = [Unwritten(a.id, a.origin) for a in pending or batch]
            # List the rest without parsing it, so the user knows what a rerun will do.
            for record in records:
                if isinstance(record, SourceError):
                    report.failed.append(record)
                    continue
                report.articles_read += 1
                if record.id in seen_this_run:
                    report.skipped_known += 1
                    continue
                seen_this_run.add(record.id)
                report.not_written.append(Unwritten(record.id, record.origin))
    except KeyboardInterrupt:
        report.interrupted = True
        report.not_written = [Unwritten(a.id, a.origin) for a in pending]
    if progress:
        progress(report)
    return report
