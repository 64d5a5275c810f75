"""Article + parsed Doc -> ArticleGraph: entities from kg.mentions, relations from the registry's rules."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from spacy.tokens import Doc

from kg.extraction.candidates import Candidate
from kg.extraction.context import DocContext
from kg.extraction.registry import build_rules
from kg.extraction.vocabulary import Vocabulary
from kg.lexicon import Lexicon
from kg.mentions import DocEntities, MentionFinder
from kg.records import Article, ArticleGraph, Entity, Relation


def reading_text(article: Article) -> str:
    """What is parsed of an article: its headline, as a paragraph of its own, and its text.

    Headlines state relations too ("Union backs Garcia for governor"). One already opening
    the text, or written in title case (most words capitalised, which the tagger reads as
    one long name), is left out.
    """
    title = (article.title or "").strip()
    if not title or article.text.lstrip().startswith(title) or _title_case(title):
        return article.text
    end = "" if title[-1] in ".!?:" else "."  # a full stop keeps the headline a sentence of its own
    return f"{title}{end}\n\n{article.text}"


def headline_end(doc: Doc, article: Article) -> int:
    """The first token of the article's text in the parse of `reading_text(article)` (0 without a headline)."""
    chars = len(doc.text) - len(article.text)
    return next((t.i for t in doc if t.idx >= chars), len(doc)) if chars else 0


def _title_case(title: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", title) if w.lower() not in SMALL_WORDS]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


#: Parts of speech a rule's trigger word can have.
TRIGGER_POS = {"VERB", "AUX", "NOUN", "PROPN"}
#: Words a title-case headline leaves in lower case.
SMALL_WORDS = {"a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "by", "with", "as", "from", "vs"}


def entity_id(type_: str, name: str) -> str:
    """Store-wide id from the entity's type and normalised name."""
    return f"{type_.lower()}:{normalise_name(name)}"


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"[^\w\s&-]", "", text)
    return re.sub(r"\s+", " ", text).strip()


class ArticleExtractor:
    """Article + parsed Doc -> ArticleGraph with article-local entity ids."""

    def __init__(self, lexicon: Lexicon, disabled: Iterable[str] = ()):
        self.find_mentions = MentionFinder(lexicon)
        self.vocab = Vocabulary(lexicon)
        self.rules = build_rules([*lexicon.relations.get("disabled_rules", []), *disabled])

    def find_relations(self, doc: Doc, entities: DocEntities, headline: int = 0) -> list[Candidate]:
        """Every enabled rule at each token in order, then each rule's document-level reading; the doc's
        first `headline` tokens are the article's headline."""
        ctx = DocContext(self.vocab, doc, entities, headline)
        # every trigger is a verb or a noun (as tagged): other words are not offered to the rules
        triggers = [token for token in doc if token.pos_ in TRIGGER_POS]
        candidates = [c for token in triggers for rule in self.rules for c in rule.at(token, ctx)]
        return candidates + [c for rule in self.rules for c in rule.after(ctx)]

    def __call__(self, article: Article, doc: Doc) -> ArticleGraph:
        """`doc` is the parse of `reading_text(article)`."""
        headline, body = len(doc.text) - len(article.text), headline_end(doc, article)
        doc_entities = self.find_mentions(doc, article.published, body)
        # a gazetteer entity has one id whatever name an article gives it ("Tories", "Conservatives")
        ids = {id(c): entity_id(c.type, c.canonical or c.name) for c in doc_entities.clusters}
        entities: dict[str, Entity] = {}
        for cluster in doc_entities.clusters:
            eid = ids[id(cluster)]
            known = entities.get(eid)
            aliases = set(cluster.aliases) | (set(known.aliases) if known else set())
            mentions = len(cluster.mentions) + (known.mentions if known else 0)
            entities[eid] = Entity(eid, known.name if known else cluster.name, cluster.type,
                                   tuple(sorted(aliases - {cluster.name})), mentions)
        relations: dict[tuple, Relation] = {}
        for c in self.find_relations(doc, doc_entities, body):
            # offsets are into the article's text; a headline's sentence has none (0, 0)
            start, end = max(c.sentence.start_char - headline, 0), max(c.sentence.end_char - headline, 0)
            relation = Relation(
                subject=ids[id(c.subject)], predicate=c.predicate, object=ids[id(c.object)],
                article_id=article.id, sentence=c.sentence.text.strip(), start=start, end=end,
                confidence=c.confidence, rule=c.rule,
                amount=c.money.text if c.money else None,
                amount_value=c.money.value if c.money else None,
                currency=c.money.currency if c.money else None,
            )
            if relation.subject == relation.object:
                continue
            known = relations.get(relation.key)
            if known is None or (relation.amount and not known.amount) or relation.confidence > known.confidence:
                relations[relation.key] = relation
        return ArticleGraph(article, tuple(entities.values()), tuple(relations.values()))
