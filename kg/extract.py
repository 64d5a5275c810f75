"""Relations between the entities of one article, read off the dependency parse.

Triggers (verbs and nouns) come from the lexicon; for each trigger the
extractor finds who acts and who receives, following conjunctions, relative
clauses, appositions, passives, light verbs ("threw its support behind") and
converse verbs ("received $5,000 from"); it drops relations that the sentence
negates, hedges, plans, conditions or asks about.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.mentions import Cluster, DocEntities, MentionFinder
from kg.records import Article, ArticleGraph, Entity, Relation

MONEY = re.compile(
    r"(?P<currency>US\$|\$|€|£|¥)\s?(?P<number>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<scale>million|billion|trillion|thousand|[mbk]n?)\b)?"
    r"|(?P<number2>\d[\d,]*(?:\.\d+)?)\s?(?P<scale2>million|billion|thousand)?\s?(?P<word>dollars|euros|pounds)",
    re.IGNORECASE,
)
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "b": 1e9, "bn": 1e9, "trillion": 1e12}
CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "dollars": "USD", "euros": "EUR", "pounds": "GBP"}
RELATIVE_PRONOUNS = {"who", "whom", "which", "that", "whose"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
#: Argument types each predicate accepts (subject, object).
ARGUMENT_TYPES = {
    "ENDORSES": ({"PERSON", "ORG", "NORP"}, {"PERSON", "ORG", "NORP"}),
    "DONATED_TO": ({"PERSON", "ORG", "NORP"}, {"PERSON", "ORG"}),
    "CRITICIZED": ({"PERSON", "ORG", "NORP", "GPE"}, {"PERSON", "ORG", "NORP", "GPE"}),
}


@dataclass(frozen=True)
class Money:
    text: str
    value: float | None
    currency: str | None
    start: int
    end: int


@dataclass
class Candidate:
    subject: Cluster
    predicate: str
    object: Cluster
    sentence: Span
    rule: str
    confidence: float
    money: Money | None


def entity_id(type_: str, name: str) -> str:
    """Store-wide id from the entity's type and normalised name."""
    return f"{type_.lower()}:{normalise_name(name)}"


def normalise_name(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    text = re.sub(r"[’']s\b", "", text)
    text = re.sub(r"[^\w\s&-]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def find_money(doc: Doc) -> list[Money]:
    """Money expressions by pattern: the NER often drops the "$" or splits the span."""
    found = []
    for match in MONEY.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        number = match.group("number") or match.group("number2")
        scale = (match.group("scale") or match.group("scale2") or "").lower()
        currency = (match.group("currency") or match.group("word") or "").lower()
        try:
            value = float(number.replace(",", "")) * SCALES.get(scale, 1)
        except ValueError:
            value = None
        found.append(Money(match.group(0).strip(), value, CURRENCIES.get(currency), span.start, span.end))
    return found


class RelationExtractor:
    """Doc + its entities -> relation candidates; one object serves many docs."""

    def __init__(self, lexicon: Lexicon):
        self.verbs = lexicon.verbs
        self.nouns = lexicon.nouns
        rel = lexicon.relations
        self.converse_verbs = set(rel["converse_verbs"]["lemmas"])
        self.giver_preps = set(rel["converse_verbs"]["giver_preps"])
        self.reciprocal_verbs = set(rel["reciprocal"]["verbs"])
        self.reciprocal_nouns = rel["reciprocal"]["nouns"]
        polarity = rel["polarity"]
        self.negators = set(polarity["negators"])
        self.hedges = set(polarity["hedges"])
        self.conditions = set(polarity["conditions"])
        self.governors = set(polarity["governors"])
        self.polarity_adverbs = set(polarity["adverbs"])
        self.campaign_nouns = set(rel["recipients"]["campaign_nouns"])
        self.not_recipients = set(rel["recipients"]["not_recipients"])
        self.any_organisation = set(rel["definite_descriptions"]["any_organisation"])
        self.confidence = {k: v for k, v in rel["rule_confidence"].items() if not k.startswith("_")}

    def __call__(self, doc: Doc, entities: DocEntities) -> list[Candidate]:
        self.doc, self.entities, self.money = doc, entities, find_money(doc)
        candidates = []
        for token in doc:
            if token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in self.verbs:
                candidates += self._verb(token, self.verbs[token.lemma_.lower()])
            elif token.pos_ in ("NOUN", "PROPN") and token.lemma_.lower() in self.nouns:
                candidates += self._noun(token, self.nouns[token.lemma_.lower()])
            if token.lemma_.lower() in self.reciprocal_verbs:
                candidates += self._reciprocal(token)
        return candidates

    # -- triggers ---------------------------------------------------------
    def _verb(self, verb: Token, entry: dict) -> list[Candidate]:
        particles = {c.lower_ for c in verb.children if c.dep_ == "prt"}
        wanted = entry.get("particle")
        if (wanted and wanted not in particles) or (particles - {wanted}):
            return []  # "blasted off", "backed down", "gave up": another sense
        if not self._asserted(verb):
            return []
        predicate = entry["predicate"]
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
            verb.dep_ == "acl" and verb.tag_ == "VBN"
        )
        money = self._money_for(verb)
        if entry.get("requires_money") and money is None:
            return []
        if entry.get("converse"):
            givers = self._prep_args(verb, entry.get("subject_preps", ["from"]))
            receivers = self._subjects(verb)
            return self._pairs(givers, predicate, receivers, verb, "verb-converse", money)
        objects = []
        if passive:
            subjects = self._prep_args(verb, ["by"], deps=("agent", "prep"))
            objects = self._args_of_deps(verb, ("nsubjpass",)) or (
                self._resolve(verb.head) if verb.dep_ == "acl" else []
            )
            rule = "verb-passive"
        else:
            subjects = self._subjects(verb)
            if entry.get("direct_object", True):
                objects += self._args_of_deps(verb, ("dobj",))
            if entry.get("dative"):
                objects += self._args_of_deps(verb, ("dative", "iobj"), skip_preps=True)
            objects += self._prep_args(verb, entry.get("object_preps", []))
            if verb.dep_ == "relcl" and not objects and any(
                c.dep_ == "dobj" and c.lower_ in RELATIVE_PRONOUNS for c in verb.children
            ):
                objects = self._resolve(verb.head)
            rule = "verb"
        return self._pairs(subjects, predicate, objects, verb, rule, money)

    def _noun(self, noun: Token, entry: dict) -> list[Candidate]:
        if any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in entry.get("reject_modifiers", []) for c in noun.children):
            return []
        governor = self._governing_verb(noun)
        light_verbs = entry.get("light_verbs")
        if light_verbs and (governor is None or governor.lemma_.lower() not in light_verbs):
            return []
        if not self._asserted(noun):
            return []
        predicate = entry["predicate"]
        money = self._money_for(noun)
        converse = governor is not None and noun.dep_ == "dobj" and governor.lemma_.lower() in self.converse_verbs
        if converse:
            givers = self._prep_args(noun, sorted(self.giver_preps)) + self._prep_args(governor, ["from"])
            receivers = self._subjects(governor)
            receivers += self._prep_args(noun, entry.get("object_preps", []))
            return self._pairs(givers, predicate, receivers, noun, "noun-converse", money)
        subjects = self._args_of_deps(noun, ("poss",)) or self._prep_args(noun, entry.get("subject_preps", []))
        objects = self._prep_args(noun, entry.get("object_preps", []))
        rule = "noun"
        if governor is not None:
            if not subjects:
                subjects = self._subjects(governor)
                rule = "noun-light-verb"
            if not objects and noun.dep_ == "dobj":
                objects = self._prep_args(governor, entry.get("object_preps", []))
        return self._pairs(subjects, predicate, objects, noun, rule, money)

    def _reciprocal(self, verb: Token) -> list[Candidate]:
        candidates = []
        for noun in verb.children:
            predicate = self.reciprocal_nouns.get(noun.lemma_.lower())
            if noun.dep_ != "dobj" or predicate is None or not self._asserted(verb):
                continue
            people = self._subjects(verb)
            for a in people:
                for b in people:
                    candidates += self._pairs([a], predicate, [b], verb, "reciprocal", None)
        return candidates

    # -- arguments --------------------------------------------------------
    def _subjects(self, verb: Token) -> list[tuple[Cluster, bool]]:
        """Who does it: the verb's subject, else the subject it shares or inherits."""
        seen = set()
        while verb is not None and verb.i not in seen:
            seen.add(verb.i)
            found = self._args_of_deps(verb, ("nsubj",))
            if found or any(c.dep_ in SUBJECTS for c in verb.children):
                return found
            if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "dobj", "pobj", "prep") and verb.head is not verb:
                verb = verb.head
            elif verb.dep_ == "acl" and verb.tag_ == "VBG":
                return self._resolve(verb.head)  # "X, saying ...", "the group backing Y"
            else:
                return []
        return []

    def _args_of_deps(self, head: Token, deps: tuple[str, ...], skip_preps: bool = False) -> list[tuple[Cluster, bool]]:
        found = []
        for child in head.children:
            if child.dep_ in deps:
                if skip_preps and child.pos_ == "ADP":
                    found += self._prep_args(head, [child.lower_], deps=(child.dep_,))
                    continue
                for token in [child, *child.conjuncts]:
                    found += self._resolve(token)
        return found

    def _prep_args(self, head: Token, preps: Iterable[str], deps: tuple[str, ...] = ("prep", "dative", "agent")) -> list[tuple[Cluster, bool]]:
        preps = set(preps)
        found = []
        for child in head.children:
            if child.dep_ in deps and child.lower_ in preps:
                for pobj in child.children:
                    if pobj.dep_ in ("pobj", "pcomp"):
                        for token in [pobj, *pobj.conjuncts]:
                            found += self._resolve(token)
        return found

    def _resolve(self, token: Token, depth: int = 0) -> list[tuple[Cluster, bool]]:
        """The entities a token stands for, with whether a pronoun was followed."""
        if depth > 4:
            return []
        cluster = self.entities.at(token)
        if cluster is not None:
            return [(cluster, token.pos_ == "PRON")]
        lower, lemma = token.lower_, token.lemma_.lower()
        if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
            return self._resolve(token.head.head, depth + 1)
        for child in token.children:
            if child.dep_ == "appos":
                found = self._resolve(child, depth + 1)
                if found:
                    return found
        if lemma in self.campaign_nouns:
            for child in token.children:
                if child.dep_ in ("poss", "compound"):
                    found = self._resolve(child, depth + 1)
                    if found:
                        return found
            found = self._prep_args(token, ["of", "for"])
            if found:
                return found
        if lemma in self.nouns:  # "funded by a contribution from X"
            return self._prep_args(token, self.nouns[lemma].get("subject_preps", []))
        if token.pos_ == "NOUN" and any(c.lower_ in ("the", "this", "that") for c in token.children):
            return self._definite(token, lemma)
        return []

    def _definite(self, token: Token, lemma: str) -> list[tuple[Cluster, bool]]:
        """'the company', 'the union': the last organisation named before it."""
        best = None
        for cluster in self.entities.clusters:
            if cluster.type != "ORG":
                continue
            if lemma not in self.any_organisation and lemma not in cluster.name.lower().split():
                continue
            before = [m.start for m in cluster.mentions if m.start < token.i]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), cluster)
        return [(best[1], True)] if best else []

    def _governing_verb(self, noun: Token) -> Token | None:
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
            return noun.head
        if noun.dep_ == "pobj" and noun.head.dep_ == "prep" and noun.head.head.pos_ in ("VERB", "AUX"):
            return noun.head.head
        return None

    def _money_for(self, trigger: Token) -> Money | None:
        """The money a trigger's own phrase states, not a neighbouring clause's."""
        own = {trigger.i}
        for child in trigger.children:
            if child.dep_ in ("conj", "relcl", "ccomp", "advcl", "parataxis", "cc", "nsubj", "nsubjpass"):
                continue
            own.update(t.i for t in child.subtree)
        if trigger.dep_ in ("dobj",) and trigger.head.pos_ == "VERB":
            own.update(t.i for c in trigger.head.children if c.dep_ in ("dobj", "npadvmod") for t in c.subtree)
        for money in self.money:
            if any(i in own for i in range(money.start, money.end)):
                return money
        return None

    # -- polarity ---------------------------------------------------------
    def _asserted(self, trigger: Token) -> bool:
        """False when the sentence negates, hedges, plans, conditions or asks."""
        if trigger.sent.text.rstrip().rstrip('"”’').endswith("?"):
            return False
        node = trigger
        check_children = True
        while True:
            if check_children and self._blocked_by_children(node):
                return False
            if node is not trigger and node.lemma_.lower() in self.governors:
                return False
            if node.dep_ in ("ROOT", "relcl", "advcl", "parataxis") or node.head is node:
                return True
            if node.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return node.head.lemma_.lower() not in self.governors
            # A conjunct has its own negation and auxiliaries: "did not attend but endorsed".
            check_children = node.dep_ != "conj" or node.pos_ not in ("VERB", "AUX")
            node = node.head

    def _blocked_by_children(self, node: Token) -> bool:
        for child in node.children:
            lower = child.lower_
            if child.dep_ == "neg" or (child.dep_ in ("advmod", "det", "preconj") and lower in self.negators):
                return True
            if child.dep_ == "aux" and (lower in self.hedges or child.lemma_.lower() in self.hedges):
                return True
            if child.dep_ == "mark" and lower in self.conditions:
                return True
            if child.dep_ in ("advmod", "acomp", "prt") and lower in self.polarity_adverbs:
                return True
        return False

    # -- output -----------------------------------------------------------
    def _pairs(self, subjects, predicate, objects, trigger: Token, rule: str, money: Money | None) -> list[Candidate]:
        subject_types, object_types = ARGUMENT_TYPES[predicate]
        candidates = []
        for subject, via_pronoun_s in subjects:
            for obj, via_pronoun_o in objects:
                if subject is obj or subject.type not in subject_types or obj.type not in object_types:
                    continue
                if predicate == "DONATED_TO" and set(obj.name.lower().split()) & self.not_recipients:
                    continue
                confidence = self.confidence[rule]
                if via_pronoun_s or via_pronoun_o:
                    confidence -= self.confidence["pronoun-penalty"]
                lemma = trigger.lemma_.lower()
                candidates.append(
                    Candidate(subject, predicate, obj, trigger.sent, f"{rule}:{lemma}", round(confidence, 2),
                              money if predicate == "DONATED_TO" else None)
                )
        return candidates


class ArticleExtractor:
    """Article + parsed Doc -> ArticleGraph with article-local entity ids."""

    def __init__(self, lexicon: Lexicon):
        self.find_mentions = MentionFinder(lexicon)
        self.find_relations = RelationExtractor(lexicon)

    def __call__(self, article: Article, doc: Doc) -> ArticleGraph:
        doc_entities = self.find_mentions(doc)
        ids = {id(c): entity_id(c.type, c.name) for c in doc_entities.clusters}
        entities: dict[str, Entity] = {}
        for cluster in doc_entities.clusters:
            eid = ids[id(cluster)]
            known = entities.get(eid)
            aliases = set(cluster.aliases) | (set(known.aliases) if known else set())
            mentions = len(cluster.mentions) + (known.mentions if known else 0)
            entities[eid] = Entity(eid, known.name if known else cluster.name, cluster.type,
                                   tuple(sorted(aliases - {cluster.name})), mentions)
        relations: dict[tuple, Relation] = {}
        for c in self.find_relations(doc, doc_entities):
            relation = Relation(
                subject=ids[id(c.subject)], predicate=c.predicate, object=ids[id(c.object)],
                article_id=article.id, sentence=c.sentence.text.strip(),
                start=c.sentence.start_char, end=c.sentence.end_char,
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
