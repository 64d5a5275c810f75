"""Typed records that flow one way through the pipeline.

sources -> Article | SourceError | Skipped
extract -> ArticleGraph (entities and relations of one article)
resolve -> ArticleGraph with store-wide entity ids
store   -> WriteStats
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.schema import ENTITY_LABELS, PREDICATES  # noqa: F401  (re-exported: the records name what they carry)


@dataclass(frozen=True)
class Article:
    """One news article as read from a file, before any NLP."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = None
    author: str | None = None
    #: Where the article came from ("path" or "path:line"), for messages.
    origin: str = ""


@dataclass(frozen=True)
class SourceError:
    """An input that could not be read as an article; the batch goes on."""

    path: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Skipped:
    """An input passed over on purpose, counted so that the totals add up to what was given.

    `unit` is "file" (a file of a type kg does not read, found in a folder or
    by a pattern) or "WARC record" (a record that is not an HTML page);
    `kind` is the file's extension or the record's type.
    """

    path: str
    unit: str
    kind: str


@dataclass
class SkippedTally:
    """Skipped inputs counted by unit and kind, for a run's summary."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, item: Skipped) -> None:
        kinds = self.counts.setdefault(item.unit, {})
        kinds[item.kind] = kinds.get(item.kind, 0) + 1

    def lines(self) -> list[str]:
        """One line per unit, e.g. "3 files of other types skipped: .pdf, .png"."""
        said = {
            "file": ("file of another type", "files of other types"),
            "WARC record": ("WARC record", "WARC records"),
        }
        lines = []
        for unit, kinds in sorted(self.counts.items()):
            total = sum(kinds.values())
            one, many = said.get(unit, (unit, unit + "s"))
            reason = "" if unit == "file" else " (not HTML pages)"
            lines.append(f"{total} {one if total == 1 else many} skipped{reason}: {', '.join(sorted(kinds))}")
        return lines

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {unit: dict(sorted(kinds.items())) for unit, kinds in sorted(self.counts.items())}


@dataclass(frozen=True)
class Entity:
    """A person, organisation, group or place, merged over its mentions."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    mentions: int = 1

    @property
    def label(self) -> str:
        return ENTITY_LABELS[self.type]


@dataclass(frozen=True)
class Relation:
    """One piece of evidence that subject PREDICATE object, from one sentence."""

    subject: str
    predicate: str
    object: str
    article_id: str
    sentence: str
    start: int
    end: int
    confidence: float
    rule: str
    amount: str | None = None
    amount_value: float | None = None
    currency: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str, int]:
        """Same subject, type, object, article and sentence: one edge."""
        return (self.subject, self.predicate, self.object, self.article_id, self.start)


@dataclass(frozen=True)
class ArticleGraph:
    """What one article contributes to the graph."""

    article: Article
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    def as_dict(self) -> dict:
        """The `kg extract` JSON shape: relation ends by entity name."""
        by_id = {e.id: e for e in self.entities}
        return {
            "id": self.article.id,
            "title": self.article.title,
            "entities": [
                {"id": e.id, "name": e.name, "type": e.type, "aliases": list(e.aliases), "mentions": e.mentions}
                for e in self.entities
            ],
            "relations": [
                {
                    "subject": by_id[r.subject].name, "subject_type": by_id[r.subject].type,
                    "predicate": r.predicate,
                    "object": by_id[r.object].name, "object_type": by_id[r.object].type,
                    "amount": r.amount, "amount_value": r.amount_value, "currency": r.currency,
                    "confidence": r.confidence, "sentence": r.sentence, "start": r.start, "end": r.end,
                    "rule": r.rule,
                }
                for r in self.relations
            ],
        }


@dataclass
class WriteStats:
    """What a store did with one batch."""

    articles: int = 0
    entities: int = 0
    relations: int = 0
    relations_by_type: dict[str, int] = field(default_factory=dict)
