"""sources -> nlp -> extract -> resolve -> store, in bounded batches.

Articles stream from the sources; each batch of known-new articles is parsed
with `nlp.pipe`, extracted, resolved against the store and written in one
transaction, so an article is either fully written or not at all, and a
rerun skips what is already there without parsing it again.
"""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from spacy.language import Language

from kg.errors import ConfigError, StoreError
from kg.evaluate import Report, Triple, score
from kg.extract import ArticleExtractor
from kg.lexicon import Lexicon
from kg.nlp import parse
from kg.records import Article, ArticleGraph, SourceError
from kg.resolve import Resolver
from kg.sources import article_id, read_articles
from kg.store import GraphStore


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
    not_written: list[str] = field(default_factory=list)
    store_error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.failed and not self.not_written

    def as_dict(self) -> dict:
        return {
            "store": self.store,
            "articles_read": self.articles_read,
            "articles_written": self.articles_written,
            "skipped_already_ingested": self.skipped_known,
            "failed": [{"path": e.path, "line": e.line, "reason": e.reason} for e in self.failed],
            "not_written": self.not_written,
            "store_error": self.store_error,
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


def batched(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def extract_graphs(
    articles: Iterable[Article], *, nlp: Language, lexicon: Lexicon, batch_size: int = 64, workers: int = 1
) -> Iterator[ArticleGraph]:
    """Parse and extract articles in order; nothing is stored."""
    extractor = ArticleExtractor(lexicon)
    waiting: deque[Article] = deque()

    def texts() -> Iterator[str]:
        for article in articles:
            waiting.append(article)
            yield article.text

    for doc in parse(texts(), nlp=nlp, batch_size=batch_size, workers=workers):
        yield extractor(waiting.popleft(), doc)


def ingest(
    records: Iterable[Article | SourceError], *, store: GraphStore, nlp: Language, lexicon: Lexicon,
    batch_size: int = 64, workers: int = 1, progress: Progress | None = None,
) -> IngestReport:
    """Write the articles of `records` to `store`; bad records are reported, not raised.

    A store failure stops the run: the articles of the failed batch and the
    ones after it are listed in `not_written`, and a rerun completes them.
    """
    report = IngestReport(store=store.description)
    resolver = Resolver(store)
    seen_this_run: set[str] = set()
    store.ensure_schema()

    def write(batch: list[Article]) -> None:
        known = store.known_articles(a.id for a in batch)
        fresh = [a for a in batch if a.id not in known]
        report.skipped_known += len(batch) - len(fresh)
        if not fresh:
            return
        graphs = resolver.resolve(list(extract_graphs(fresh, nlp=nlp, lexicon=lexicon, batch_size=batch_size, workers=workers)))
        store.write(graphs)
        report.articles_written += len(graphs)
        for graph in graphs:
            report.entities.update(e.id for e in graph.entities)
            report.relations.update(r.predicate for r in graph.relations)

    records = iter(records)
    batch: list[Article] = []
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
        report.store_error = str(exc)
        report.not_written = [a.id for a in batch] + [r.id for r in records if isinstance(r, Article)]
    if progress:
        progress(report)
    return report
