"""Relations between the entities of one article, read off the dependency parse.

Triggers (verbs and nouns) come from the lexicon; for each trigger the
extractor finds who acts and who receives, following conjunctions, relative
clauses, appositions, passives, light verbs ("threw its support behind") and
converse verbs ("received $5,000 from"); it drops relations that the sentence
negates, hedges, plans, conditions or asks about. The small English model
often attaches names to the wrong head, so where the parse yields no
argument the surface order is read instead ("a donation from X to Y").
A quotation is read whole, also across sentences, and one that stands
alone is credited to the speaker or subject of the sentence before it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.mentions import Cluster, DocEntities, MentionFinder, reporter_of
from kg.records import Article, ArticleGraph, Entity, Relation

#: Money words as data: a currency written before the number (symbol or code), a scale after it, a currency word after that.
CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "rs": "INR", "rs.": "INR", "₹": "INR", "inr": "INR",
              "r": "ZAR", "zar": "ZAR", "dollars": "USD", "euros": "EUR", "pounds": "GBP", "rupees": "INR", "rand": "ZAR"}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "b": 1e9, "bn": 1e9, "trillion": 1e12,
          "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}
CURRENCY_WORDS = ("dollars", "euros", "pounds", "rupees", "rand")
#: Scales that may follow a currency word of letters only ("Rs 5 lakh"), not single letters ("Rs 5 m" is rare, "INR 5 b" no).
WORD_SCALES = [s for s in SCALES if len(s) > 2]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


MONEY = re.compile(
    rf"(?P<currency>{_alternation(c for c in CURRENCIES if c not in CURRENCY_WORDS and not c[0].isalpha())}"
    rf"|\b(?:{_alternation(c for c in CURRENCIES if c not in CURRENCY_WORDS and c[0].isalpha())})(?=[\s\d]))"
    rf"\s?(?P<number>\d[\d,]*(?:\.\d+)?)"
    rf"(?:\s?(?P<scale>{_alternation(SCALES)})\b)?"
    rf"|(?P<number2>\d[\d,]*(?:\.\d+)?)\s?(?P<scale2>{_alternation(WORD_SCALES)})?\s?(?P<word>{_alternation(CURRENCY_WORDS)})",
    re.IGNORECASE,
)
RELATIVE_PRONOUNS = {"who", "whom", "which", "that", "whose"}
#: Subjects that share out the act of an earlier clause's subjects: "A and B endorsed Y, and each gave $500".
DISTRIBUTIVES = {"each", "both", "all"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
#: Argument types each predicate accepts (subject, object).
ARGUMENT_TYPES = {
    "ENDORSES": ({"PERSON", "ORG", "NORP"}, {"PERSON", "ORG", "NORP"}),
    "DONATED_TO": ({"PERSON", "ORG", "NORP"}, {"PERSON", "ORG", "NORP"}),
    "CRITICIZED": ({"PERSON", "ORG", "NORP", "GPE"}, {"PERSON", "ORG", "NORP", "GPE"}),
}
#: Every rule the extractor can name in Relation.rule (before the ":"); each has a confidence in the lexicon.
RULE_KINDS = ("verb", "verb-passive", "verb-converse", "noun", "noun-light-verb", "noun-converse", "noun-quote",
              "agent-noun", "reciprocal", "quote-attack", "quote-endorse", "quote-context", "labelled-attack")
#: Parts of speech a noun phrase is made of, when read off the surface.
PHRASE_POS = {"DET", "ADJ", "NOUN", "PROPN", "NUM", "SYM"}
#: Words inside a comma-enclosed aside ("X, an environmental group, slammed").
ASIDE_POS = PHRASE_POS | {"PUNCT", "ADP", "CCONJ"}
SCORE = re.compile(r"\b\d{1,3}\s?[-–]\s?\d{1,3}\b")
DASHES = {"—", "–", "--"}
QUOTE_MARKS = {'"', "“", "”", "``", "''"}


@dataclass(frozen=True)
class Money:
    text: str
    value: float | None
    currency: str | None
    start: int
    end: int


class Arg(NamedTuple):
    """An entity filling a role, where in the doc it was found, and whether a pronoun led to it."""

    cluster: Cluster
    pronoun: bool
    at: int


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


def quotations(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [start, end) inside quotation marks; an unclosed quote ends with its paragraph."""
    spans, start = [], None
    for token in doc:
        if token.text in QUOTE_MARKS:
            if start is not None:
                spans.append((start, token.i))
                start = None
            elif token.text not in ("”", "''"):
                start = token.i + 1
        elif "\n" in token.text and start is not None:
            spans.append((start, token.i))
            start = None
    if start is not None:
        spans.append((start, len(doc)))
    return [(s, e) for s, e in spans if e > s]


class SurfaceReader:
    """Noun phrases read off the token order, where the parse attached them wrongly.

    A phrase is a run of determiners, adjectives, nouns, names and numbers.
    It stands for the name it ends with ("state Sen. Odile Varga"), for the
    owner of the campaign noun it ends with ("his re-election effort"), or
    for an owner whose noun is elided ("and $250 to Keller's").
    """

    WINDOW = 12

    def __init__(self, doc: Doc, entities: DocEntities, campaign_nouns: set[str], including_preps: set[str]):
        self.doc, self.entities, self.campaign_nouns = doc, entities, campaign_nouns
        self.including_preps = including_preps

    def frame(self, start: int, preps: Iterable[str]) -> dict[str, list[Arg]]:
        """Arguments after a trigger by preposition ("" for the phrase right after it).

        Adjunct phrases that name nobody ("in March", "last year") are stepped over.
        """
        preps, doc = set(preps), self.doc
        i = start
        while i < len(doc) and doc[i].pos_ in ("ADV", "PART") and doc[i].lower_ not in preps:
            i += 1
        args, i = self.phrase(i)
        found = {"": args} if args else {}
        for _ in range(4):
            if i >= len(doc):
                break
            token = doc[i]
            if token.lower_ in preps:
                args, end = self.phrase(i + 1)
                found.setdefault(token.lower_, []).extend(args)
            elif token.pos_ in ("ADP", "ADV") or token.lower_ == "worth":  # "a gift worth $3,200 to Y"
                args, end = self.phrase(i + 1)
                if args:
                    break
            elif token.text in DASHES:  # "$1,250 — the provincial maximum — to X": step over the aside
                close = next((j for j in range(i + 1, min(i + self.WINDOW, token.sent.end)) if doc[j].text == token.text), None)
                if close is None:
                    break
                end = close + 1
            else:
                break
            i = max(end, i + 1)
        return found

    def phrase(self, start: int) -> tuple[list[Arg], int]:
        """The entities of the phrase at `start` with its coordinated and appositive phrases."""
        doc = self.doc
        args, end = self._item(start)
        # Names set off by commas only join when "and"/"or" closes the list ("A, B and C"); without
        # it they are appositions or the next clause ("A, the union's president, B, said").
        pending, at_end = [], end
        while args and at_end < len(doc):
            at = at_end + 1 if doc[at_end].lower_ in ("and", "or") else at_end + 2 if (
                doc[at_end].text == "," and at_end + 1 < len(doc) and doc[at_end + 1].lower_ in ("and", "or")) else None
            if at is None and doc[at_end].text == ",":
                more, after = self._item(at_end + 1)
                if not more or after >= len(doc) or doc[after].lower_ not in (",", "and", "or"):
                    break
                pending, at_end = pending + more, after
            elif at is not None:
                more, after = self._item(at)
                if not more:
                    break
                args, end = args + pending + more, after
                pending, at_end = [], after
            else:
                break
        return args, end

    def _item(self, start: int) -> tuple[list[Arg], int]:
        """One phrase, or the name in apposition to it ("his rival, Comptroller Ida Brack,")."""
        args, end = self._one(start)
        doc = self.doc
        if not args and end > start and end < len(doc) and doc[end].text == ",":
            named, after = self._one(end + 1)
            if named and (after >= len(doc) or doc[after].is_punct or doc[after].pos_ == "ADP"):
                return named, after
        return args, end

    def _one(self, start: int) -> tuple[list[Arg], int]:
        end = self._end(start)
        if end == start:
            return [], start
        last = self.doc[end - 1]
        if last.tag_ == "POS" and end - start > 1:
            return self._named(end - 2), end
        named = self._named(end - 1)
        if named:
            return named, end
        if last.lemma_.lower() in self.campaign_nouns:
            owners = [arg for i in range(start, end - 1) for arg in self._owner(i)]
            if owners:
                return owners[-1:], end
            if end - 2 >= start and self._named(end - 2):
                return self._named(end - 2), end  # "the Yes on 22 campaign", "the Marlowe campaign"
            if end < len(self.doc) and self.doc[end].lower_ in ("of", "for"):
                return self.phrase(end + 1)
        return [], end

    def late_apposition(self, noun: Token) -> list[Arg]:
        """'two newcomers on Monday, A and B,': names set off by a comma after the noun's own modifiers.

        The parse often hangs such names on the last modifier. The phrase must close there, and
        a plural noun needs several names, a singular one a single name; after "including" any
        number of names stand for part of the noun.
        """
        doc, end = self.doc, noun.sent.end
        i = noun.i + 1
        while i < end and i - noun.i <= self.WINDOW and doc[i].text != "," and doc[i].text not in DASHES:
            token = doc[i]
            if token.pos_ in ("PUNCT", "AUX", "CCONJ", "SCONJ") and token.tag_ != "HYPH" or token.pos_ == "PRON" and token.tag_ != "PRP$" or (
                    token.pos_ == "VERB" and token.tag_ not in ("VBN", "VBG")):
                return []
            i += 1
        if i + 1 >= end or doc[i].text != "," and doc[i].text not in DASHES:
            return []
        if doc[i + 1].lower_ in RELATIVE_PRONOUNS:
            return []  # "by X, whose owner, Y, ...": a relative clause, no apposition
        part = doc[i + 1].lower_ in self.including_preps
        args, after = self.phrase(i + 2 if part else i + 1)
        if not args or after < end and not (doc[after].is_punct or doc[after].lower_ in RELATIVE_PRONOUNS):
            return []
        return args if part or (len(args) > 1) == (noun.tag_ in ("NNS", "NNPS")) else []

    def _end(self, start: int) -> int:
        doc, i, seen_noun = self.doc, start, False
        while i < len(doc) and i - start < self.WINDOW:
            token = doc[i]
            named = self.entities.at(token) is not None and token.pos_ != "PRON"
            if seen_noun and not named and token.pos_ in ("ADJ", "NUM", "SYM", "DET") and not self._descriptor_then_name(i):
                break  # "Ida Brack surprised ...", "Reyes $5,000": a new phrase starts
            if token.pos_ == "PROPN" and not named and token.text.islower():
                break  # a lower-case "proper noun" is a mis-tagged verb: "the Eastgate League stung"
            gerund = token.tag_ == "VBG" and i + 1 < len(doc) and doc[i + 1].pos_ == "NOUN"  # "shipping heir X"
            article = token.tag_ == "DT" and token.lower_ in ("the", "a", "an")  # the parse sometimes calls "the" a pronoun
            if named or gerund or article or token.pos_ in PHRASE_POS or token.tag_ in ("PRP$", "POS", "HYPH") or token.lower_ == "each":
                seen_noun = seen_noun or named or token.pos_ in ("NOUN", "PROPN")
                i += 1
            else:
                break
        return i

    def _descriptor_then_name(self, i: int) -> bool:
        """'Kwelera Metro mayoral candidate Lerato Sithole': adjectives and a common noun lead on to the name that heads the phrase."""
        doc, noun = self.doc, False
        while i < len(doc) and doc[i].pos_ in ("ADJ", "NOUN") and self.entities.at(doc[i]) is None:
            noun = noun or doc[i].pos_ == "NOUN"
            i += 1
        return noun and i < len(doc) and doc[i].pos_ == "PROPN" and self.entities.at(doc[i]) is not None

    def _named(self, i: int) -> list[Arg]:
        token = self.doc[i]
        cluster = self.entities.at(token)
        return [Arg(cluster, i in self.entities.descriptions, i)] if cluster is not None and token.pos_ != "PRON" else []

    def _owner(self, i: int) -> list[Arg]:
        token = self.doc[i]
        cluster = self.entities.at(token)
        if cluster is None:
            return []
        if token.tag_ == "PRP$":
            return [Arg(cluster, True, i)]
        if i + 1 < len(self.doc) and self.doc[i + 1].tag_ == "POS":
            return [Arg(cluster, False, i)]
        return []


class RelationExtractor:
    """Doc + its entities -> relation candidates; one object serves many docs."""

    def __init__(self, lexicon: Lexicon):
        self.verbs = lexicon.verbs
        self.nouns = lexicon.nouns
        rel = lexicon.relations
        self.agent_nouns = {k: v for k, v in rel["agent_nouns"].items() if not k.startswith("_")}
        self.converse_verbs = set(rel["converse_verbs"]["lemmas"])
        self.giver_preps = set(rel["converse_verbs"]["giver_preps"])
        self.reciprocal_verbs = set(rel["reciprocal"]["verbs"])
        self.reciprocal_nouns = rel["reciprocal"]["nouns"]
        polarity = rel["polarity"]
        self.negators = set(polarity["negators"])
        self.hedges = set(polarity["hedges"])
        self.conditions = set(polarity["conditions"])
        self.governors = set(polarity["governors"])
        #: Governors that pass an endorsement on: "X urged members to vote for Y" backs Y (a donation they urge is not made).
        self.appeals = set(polarity.get("appeals", []))
        self.polarity_adverbs = set(polarity["adverbs"])
        quotes = rel["quotes"]
        self.speech_verbs = set(quotes["speech_verbs"])
        self.labelling_verbs = set(quotes["labelling_verbs"])
        self.attack_cues = _cue_pattern(quotes["attack_cues"])
        self.endorsement_cues = _cue_pattern(quotes["endorsement_cues"])
        self.campaign_nouns = set(rel["recipients"]["campaign_nouns"])
        self.not_recipients = set(rel["recipients"]["not_recipients"])
        self.any_organisation = set(rel["definite_descriptions"]["any_organisation"])
        self.double_object_verbs = set(rel["double_object_verbs"]["lemmas"])
        self.including_preps = set(rel["including"]["preps"])
        self.dismissive_verbs = set(quotes["dismissive_verbs"])
        self.reference_verbs = dict(quotes.get("reference_verbs", {}))
        self.partitives = set(rel.get("partitives", {}).get("words", []))
        self.copular = list(rel.get("copular", {}).get("phrases", []))
        #: Prepositions that lead from an amount to its recipient ("$500 to A and $250 to B").
        self.recipient_preps = {p for e in self.verbs.values() if e["predicate"] == "DONATED_TO" for p in e.get("object_preps", [])}
        self.confidence = {k: v for k, v in rel["rule_confidence"].items() if not k.startswith("_")}
        self.org_nouns = set(lexicon.names["org_keywords"])

    def __call__(self, doc: Doc, entities: DocEntities) -> list[Candidate]:
        self.doc, self.entities, self.money = doc, entities, find_money(doc)
        self.surface = SurfaceReader(doc, entities, self.campaign_nouns, self.including_preps)
        self.quotations = quotations(doc)
        self.quoted = {i for start, end in self.quotations for i in range(start, end)}
        self._sentence_starts: list[int] | None = None
        self._quotes_by_sentence: dict[int, list[Token]] = {}
        candidates = []
        for token in doc:
            lemma = token.lemma_.lower()
            if token.pos_ in ("VERB", "AUX") and lemma in self.verbs:
                candidates += self._verb(token, self.verbs[lemma])
            elif token.pos_ in ("NOUN", "PROPN") and lemma in self.nouns and token.dep_ != "compound":
                # a compound modifies another noun: "attack ads", "donation records" name no act
                candidates += self._noun(token, self.nouns[lemma])
            elif token.pos_ == "NOUN" and lemma in self.agent_nouns:
                candidates += self._agent_noun(token, self.agent_nouns[lemma])
            elif token.tag_ == "NN" and lemma.endswith("ing") and (entry := self._gerund_entry(token, lemma)):
                candidates += self._verb(token, entry)
            if lemma == "be" and self.copular:
                candidates += self._copular(token)
            if lemma in self.reciprocal_verbs:
                candidates += self._reciprocal(token)
            if token.pos_ == "VERB" and lemma in self.speech_verbs:
                candidates += self._quoted(token, self.attack_cues, "CRITICIZED", "quote-attack")
                candidates += self._quoted(token, self.endorsement_cues, "ENDORSES", "quote-endorse")
            if token.pos_ == "VERB" and (lemma in self.labelling_verbs or lemma in self.dismissive_verbs):
                candidates += self._labelled_attack(token)
        if self.quotations:
            candidates += self._context_quotes()
        return candidates

    def _gerund_entry(self, token: Token, lemma: str) -> dict | None:
        """'spent the weekend campaigning for Y': the parse may tag a participle as a noun; its prepositions still name the object."""
        stem = lemma[:-3]
        for key in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None):
            entry = self.verbs.get(key)
            if entry and not entry.get("direct_object", True) and not entry.get("particle") and any(
                    c.dep_ == "prep" and c.lower_ in entry.get("object_preps", []) for c in token.children):
                return entry
        return None

    # -- triggers ---------------------------------------------------------
    def _verb(self, verb: Token, entry: dict) -> list[Candidate]:
        particles = self._particles(verb, entry.get("particle"))
        wanted = entry.get("particle")
        if (wanted and wanted not in particles) or (particles - {wanted}):
            return []  # "blasted off", "backed down", "gave up": another sense
        predicate = entry["predicate"]
        if not self._asserted(verb, appeal=predicate == "ENDORSES"):
            return []
        after = max([verb.i, *(c.i for c in verb.children if c.lower_ in particles)]) + 1
        agents = self._prep_args(verb, ["by"], deps=("agent", "prep")) or self._surface(after, ["by"])
        passive = not entry.get("converse") and self._passive(verb, entry, agents)
        money = self._money_for(verb, passive=passive)
        if entry.get("requires_money") and not money:
            if not entry.get("dative") or not self._surface_double_object(after, money)[1]:
                return []
        if predicate == "CRITICIZED" and SCORE.search(self.doc[verb.left_edge.i:verb.right_edge.i + 1].text):
            return []  # "the Tigers blasted the Lions 42-7": a game, not words
        if entry.get("converse"):
            preps = entry.get("subject_preps", ["from"])
            receivers = self._subjects(verb)
            # "received $25,000 from A and $12,500 from B": each amount names its own giver
            by_amount = [(m, self.surface.phrase(m.end + 1)[0]) for m in money
                         if m.end < len(self.doc) and self.doc[m.end].lower_ in preps]
            if sum(1 for _, args in by_amount if args) > 1:
                return [c for m, args in by_amount for c in self._pairs(args, predicate, receivers, verb, "verb-converse", [m])]
            givers = self._prep_args(verb, preps) or self._surface(after, preps)
            return self._pairs(givers, predicate, receivers, verb, "verb-converse", money)
        preps = entry.get("object_preps", [])
        if passive:
            objects = self._args_of_deps(verb, ("nsubjpass",)) or self._prep_args(verb, preps) or (
                self._resolve(verb.head) if verb.dep_ == "acl" else self._args_of_deps(verb, ("nsubj",))
            ) or (self._subject_before(verb) if verb.dep_ == "ROOT" and not any(c.dep_ in SUBJECTS for c in verb.children) else [])
            return self._pairs(agents, predicate, objects, verb, "verb-passive", money)
        objects = []
        if entry.get("direct_object", True):
            objects += self._args_of_deps(verb, ("dobj",))
        if entry.get("dative"):
            objects += self._args_of_deps(verb, ("dative", "iobj"), skip_preps=True)
            objects += self._moneyless_objects(verb, money)
        objects += self._prep_args(verb, preps)
        for part in self._parts(verb):
            objects += self._prep_args(part, preps)
        if verb.dep_ == "relcl" and not objects and any(
            c.dep_ == "dobj" and c.lower_ in RELATIVE_PRONOUNS for c in verb.children
        ):
            objects = self._resolve(verb.head)
        if not objects and predicate == "CRITICIZED":
            objects = self._owners(verb, preps, direct=entry.get("direct_object", True))
        if not objects:
            frame = self.surface.frame(after, preps)
            objects = [a for key, args in frame.items() if key in preps or (key == "" and entry.get("direct_object", True)) for a in args]
        if not objects and entry.get("dative"):
            objects, money = self._surface_double_object(after, money)
        return self._pairs(self._subjects(verb), predicate, objects, verb, "verb", money)

    def _noun(self, noun: Token, entry: dict) -> list[Candidate]:
        if any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in entry.get("reject_modifiers", []) for c in noun.children):
            return []
        governor = self._governing_verb(noun)
        converse = self._converse(noun, governor, entry)
        light_verbs = entry.get("light_verbs")
        if light_verbs and not converse and not self._light_verb_names(noun, governor) & set(light_verbs):
            return []
        if not self._asserted(noun) or (governor is not None and not self._asserted(governor)):
            return []
        predicate = entry["predicate"]
        money = self._money_for(noun)
        object_preps, subject_preps = entry.get("object_preps", []), entry.get("subject_preps", [])
        if converse:  # "Y won the endorsement of X"
            givers = self._prep_args(noun, sorted(self.giver_preps)) + self._prep_args(governor, ["from"])
            receivers = self._subjects(governor) + self._prep_args(noun, object_preps)
            return self._pairs(givers, predicate, receivers, noun, "noun-converse", money)
        frame = self.surface.frame(noun.i + 1, [*object_preps, *subject_preps])
        subjects = (
            self._args_of_deps(noun, ("poss",)) or self._prep_args(noun, subject_preps)
            or [a for p in subject_preps for a in frame.get(p, [])]
        )
        objects = self._prep_args(noun, object_preps) or [a for p in object_preps for a in frame.get(p, [])]
        rule = "noun"
        if governor is not None:
            if not subjects and noun.dep_ == "nsubjpass":
                # "A $500 donation was made to Y by X": the passive's agent, which the parse may hang on Y
                subjects = self._prep_args(governor, ["by"], deps=("agent", "prep")) or [
                    a for c in governor.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"
                    for a in self._prep_args(p, ["by"], deps=("agent", "prep"))]
                rule = "noun-light-verb"
            if not subjects:
                subjects = self._subjects(governor)
                rule = "noun-light-verb"
            if not objects:
                objects = (self._prep_args(governor, object_preps) or self._first_object(governor, noun)
                           or self._surface(governor.i + 1, object_preps))
            if not objects and noun.dep_ == "pobj" and noun.head.dep_ == "agent":
                # "Y's campaign was bolstered by a donation from X": the passive's subject receives
                objects = self._args_of_deps(governor, ("nsubjpass",))
        if not objects and predicate == "CRITICIZED":
            objects = self._owners(noun, object_preps, direct=False) or (
                self._owners(governor, object_preps, direct=False) if governor is not None else [])
        if subjects and not objects and predicate == "ENDORSES" and noun.dep_ == "nsubj" \
                and noun.head.lemma_.lower() in self.double_object_verbs and self._asserted(noun.head):
            # "The endorsement, from X, gives Y a boost": the one it gives something to is the one endorsed
            objects = self._args_of_deps(noun.head, ("dative", "iobj"))
        if subjects and not objects and predicate == "ENDORSES":
            objects = self._quoted_names(noun.sent, exclude={a.cluster.name for a in subjects})
            rule = "noun-quote"
        return self._pairs(subjects, predicate, objects, noun, rule, money)

    def _agent_noun(self, noun: Token, entry: dict) -> list[Candidate]:
        """'X, a longtime donor to Y', 'X is a critic of Y', 'the largest contributors to Y were X and Z'."""
        if not self._asserted(noun):
            return []
        objects = (self._args_of_deps(noun, ("poss",)) or self._prep_args(noun, entry["object_preps"])
                   or self._surface(noun.i + 1, entry["object_preps"]))
        if not objects:
            return []
        agents = []
        if noun.dep_ == "appos":
            agents = self._resolve(noun.head)
        else:
            own = {t.i for t in noun.subtree}
            copula = noun
            while copula.dep_ in ("attr", "nsubj", "pobj", "prep") and copula.head.i != copula.i:
                copula = copula.head  # "X is one of the biggest backers of Y", "among the donors to Y were X"
                if copula.lemma_ in ("be", "become", "remain"):
                    agents = [a for a in self._args_of_deps(copula, ("nsubj", "attr")) if a.at not in own]
                    break
        candidates = []
        for agent in agents:
            money = self._money_for(self.doc[agent.at], own_clauses=True)
            candidates += self._pairs([agent], entry["predicate"], objects, noun, "agent-noun", money)
        return candidates

    def _copular(self, verb: Token) -> list[Candidate]:
        """'X is all in for Y', 'X is squarely behind Y': "be" with the lexicon's words and a preposition naming Y."""
        words = {c.lower_ for c in verb.children if c.dep_ in ("advmod", "acomp", "prt", "prep", "npadvmod")}
        candidates = []
        for entry in self.copular:
            if not words.issuperset(entry["words"]) or not self._asserted(verb):
                continue
            objects = self._prep_args(verb, entry["object_preps"])
            if objects:
                candidates += self._pairs(self._subjects(verb), entry["predicate"], objects, verb, "verb", [],
                                          lemma=" ".join(["be", *entry["words"]]))
        return candidates

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

    def _quoted(self, verb: Token, cues: re.Pattern, predicate: str, rule: str) -> list[Candidate]:
        """'"..., a disaster," X said of Y', '"I'm voting for Y," X said': a quote whose cue attacks or
        backs the quote's one named target (or the 'said of' object).

        The quote is every quotation the verb's sentence holds part of, also where it began in
        an earlier sentence ('"Y is unfit. He lied," X said').
        """
        sent = verb.sent
        quote = self._quotes_by_sentence.get(sent.start)
        if quote is None:
            quote = self._quotes_by_sentence[sent.start] = [
                self.doc[i] for start, end in self.quotations if start < sent.end and end > sent.start for i in range(start, end)]
        if not quote or not self._cue_asserted(quote, cues) or not self._asserted(verb):
            return []
        speakers = self._subjects(verb)
        targets = self._prep_args(verb, ["of", "about"]) or self._quoted_names(
            quote, exclude={a.cluster.name for a in speakers}) or self._reported_subject(verb) or self._referent(sent, speakers)
        return self._pairs(speakers, predicate, targets, verb, rule, None)

    def _reported_subject(self, verb: Token) -> list[Arg]:
        """'X told voters that Y had "forgotten where he came from"': the reported clause's subject, when the quote completes it."""
        return [a for c in verb.children if c.dep_ == "ccomp" and any(t.i in self.quoted for t in c.subtree)
                for a in self._args_of_deps(c, ("nsubj",)) if not a.pronoun]

    def _referent(self, sent: Span, speakers: list[Arg]) -> list[Arg]:
        """'"... cowardly," X said. X was referring to Y's vote': whom the speaker says the quote is about,
        in the quote's sentence or the next one (a thing of Y's stands for Y)."""
        if not speakers or not self.reference_verbs:
            return []
        who = {id(a.cluster) for a in speakers}
        end = self.doc[sent.end].sent.end if sent.end < len(self.doc) else sent.end
        for token in self.doc[sent.start:end]:
            preps = self.reference_verbs.get(token.lemma_.lower())
            if preps is None or token.pos_ != "VERB" or not self._asserted(token) or \
                    not who & {id(a.cluster) for a in self._subjects(token)}:
                continue
            found = self._prep_args(token, preps) or self._owners(token, preps, direct=False)
            if found:
                return found
        return []

    def _cue_asserted(self, quote: list[Token], cues: re.Pattern) -> bool:
        """Does a sentence of the quote hold a cue, not negated ("I never said X was corrupt") nor asked?"""
        if self._sentence_starts is None:
            self._sentence_starts = [s.start for s in self.doc.sents]
        by_sentence: dict[int, list[Token]] = {}
        for token in quote:
            by_sentence.setdefault(bisect_right(self._sentence_starts, token.i), []).append(token)
        for tokens in by_sentence.values():
            text = " ".join(t.text for t in tokens)
            match = cues.search(text)
            if match is None or text.rstrip().endswith("?"):
                continue
            # a negator the cue itself holds ("has no idea") negates nothing
            own = sum(w.lower() in self.negators for w in match.group(0).split())
            if sum(t.lower_ in self.negators for t in tokens) <= own:
                return True
        return False

    def _context_quotes(self) -> list[Candidate]:
        """'X was blunt on Monday. "Y is a disgrace."': a quotation that stands alone as whole sentences
        is the word of the one the sentence before is about, or of that sentence's speaker
        ('"...," she said. "Y should resign."')."""
        doc, candidates = self.doc, []
        for start, end in self.quotations:
            first, last = doc[start].sent, doc[end - 1].sent
            if first.start == 0 or any(not (start <= i < end) and not (doc[i].is_punct or doc[i].is_space)
                                       for i in range(first.start, last.end)):
                continue
            previous = doc[first.start - 1].sent
            speakers, verb = self._context_speakers(previous)
            if not speakers:
                continue
            quote = list(doc[start:end])
            for cues, predicate in ((self.attack_cues, "CRITICIZED"), (self.endorsement_cues, "ENDORSES")):
                if self._cue_asserted(quote, cues):
                    targets = self._quoted_names(quote, exclude={a.cluster.name for a in speakers})
                    candidates += self._pairs(speakers, predicate, targets, doc[start], "quote-context", None,
                                              lemma=verb.lemma_.lower())
        return candidates

    def _context_speakers(self, sentence: Span) -> tuple[list[Arg], Token | None]:
        """Who a quotation after this sentence is by: its speech verb's subject, else (when it quotes nobody) its subject."""
        for token in sentence:
            if token.pos_ == "VERB" and token.lemma_.lower() in self.speech_verbs and token.i not in self.quoted:
                return self._subjects(token), token
        root = sentence.root
        if any(t.i in self.quoted for t in sentence) or root.pos_ not in ("VERB", "AUX") or not self._asserted(root):
            return [], None
        return self._args_of_deps(root, ("nsubj", "nsubjpass")), root

    def _labelled_attack(self, verb: Token) -> list[Candidate]:
        """'X called Y "a liar"', 'X branded Y corrupt': the label attacks Y."""
        dismissive = verb.lemma_.lower() in self.dismissive_verbs
        label = [t for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
                 or not dismissive and c.dep_ in ("oprd", "xcomp", "ccomp", "acomp") for t in c.subtree]
        if not dismissive:  # 'called his rival, Y, "a fraud"': the parse hangs the quoted label on the object
            # also one apposition deeper: 'called his opponent, Treasurer Y, "a career politician"'
            chain = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
            chain += [a for c in chain for a in c.children if a.dep_ == "appos" and a.i not in self.quoted]
            label += [t for c in chain for a in c.children if a.dep_ == "appos" and a.i in self.quoted for t in a.subtree]
        if not label or not (dismissive or self.attack_cues.search(" ".join(t.text for t in label))) or not self._asserted(verb):
            return []
        targets = self._args_of_deps(verb, ("dobj",)) or [
            a for c in verb.children if c.dep_ in ("ccomp", "xcomp") for a in self._args_of_deps(c, ("nsubj",))] or [
            # 'called his opponent, state Treasurer Y, "a liar"': the parse makes the one labelled the predicate
            a for c in verb.children if c.dep_ == "oprd" and any(g.dep_ == "appos" for g in c.children) for a in self._resolve(c)]
        speakers = self._subjects(verb)
        return self._pairs(speakers, "CRITICIZED", targets, verb, "labelled-attack", None)

    # -- arguments --------------------------------------------------------
    def _passive(self, verb: Token, entry: dict, agents: list[Arg]) -> bool:
        """Passive voice, also where the parse read a participle as a past tense ("The PAC, bankrolled by X, ...")."""
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.dep_ == "acl" and verb.tag_ == "VBN":
            return True
        return bool(agents) and entry.get("direct_object", True) and verb.tag_ in ("VBD", "VBN") and not any(
            c.dep_ in ("dobj", "dative") for c in verb.children)

    def _parts(self, verb: Token) -> list[Token]:
        """Phrases that repeat a verb's act with another recipient: "$500 to A and $250 to B", "including $100 to C"."""
        parts = [c for c in verb.children if c.dep_ == "conj" and c.pos_ not in ("VERB", "AUX")]
        holders = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
        including = [c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in self.including_preps]
        # "contributed Rs 5 lakh to Y": the parse may hang the recipient on the amount
        amounts = [c for c in holders[1:] if any(m.start <= c.i < m.end for m in self.money)]
        return parts + including + amounts + [p for c in including for p in c.children if p.dep_ == "pobj"]

    def _light_verb_names(self, noun: Token, governor: Token | None) -> set[str]:
        """How the lexicon may name the verb a trigger noun hangs on: 'throw' (threw its support), 'come under' (came under fire)."""
        if governor is None:
            return set()
        lemma = governor.lemma_.lower()
        if noun.dep_ != "pobj":
            return {lemma}
        return {lemma, " ".join([lemma, *(c.lower_ for c in governor.children if c.dep_ == "prt"), noun.head.lower_])}

    def _converse(self, noun: Token, governor: Token | None, entry: dict) -> bool:
        """'Y won the endorsement of X', 'Y came under fire from X': the verb's subject receives.

        A bare verb counts only for its object ('won the support'), and an object preposition
        of the noun that names someone ('took a swipe at Y') shows the subject acts.
        """
        if governor is None:
            return False
        names = self._light_verb_names(noun, governor)
        if noun.dep_ == "pobj":
            names.discard(governor.lemma_.lower())
        own_preps = set(entry.get("object_preps", [])) - self.giver_preps
        if not names & self.converse_verbs:
            return False
        if self._prep_args(governor, own_preps) or self._prep_args(noun, own_preps):
            return False
        # 'took aim at Y's record': an object preposition and no giver shows the subject acts, named or not
        preps = {c.lower_ for h in (governor, noun) for c in h.children if c.dep_ == "prep"}
        return not (preps & own_preps and not preps & self.giver_preps)

    def _owners(self, head: Token, preps: Iterable[str], direct: bool = True) -> list[Arg]:
        """'blasted Y's budget', 'took aim at Y's record': one who attacks a thing of Y's attacks Y."""
        things = [c for c in head.children if direct and c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ in preps
                  for c in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])]
        return [a for t in things for t in [t, *t.conjuncts] for c in t.children if c.dep_ == "poss" and c.pos_ != "PRON"
                for a in self._resolve(c)]  # a named owner: "criticized his budget" names nobody

    def _first_object(self, governor: Token, noun: Token) -> list[Arg]:
        """'gave Y her endorsement', 'handed Y a $500 check': the first object of a double-object verb receives."""
        if governor.lemma_.lower() not in self.double_object_verbs:
            return []
        return [a for c in governor.children if c.dep_ in ("dative", "iobj", "dobj") and c.pos_ != "ADP" and c.i < noun.i
                for t in [c, *c.conjuncts] for a in self._resolve(t)]

    def _particles(self, verb: Token, wanted: str | None) -> set[str]:
        """Particles of a phrasal verb; the parse often calls the one right after the verb a preposition."""
        found = {c.lower_ for c in verb.children if c.dep_ == "prt"}
        following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
        if wanted and following is not None and following.lower_ == wanted and following.head.i == verb.i:
            found.add(wanted)
        return found

    def _surface_double_object(self, after: int, money: list[Money]) -> tuple[list[Arg], list[Money]]:
        """'Y Co. gave Councilwoman X $1,000' where the parse lost the objects: the names right after
        the verb receive the amount written right after them."""
        args, end = self.surface.phrase(after)
        amounts = [m for m in self.money if m.start == end] if args else []
        return (args, money or amounts) if amounts else ([], money)

    def _moneyless_objects(self, verb: Token, money: list[Money]) -> list[Arg]:
        """'gave the campaign of X $7,500', 'sent A and B $500 apiece': the parse makes the receiver a
        direct object; of a verb that gives money, the object without the money receives it."""
        if not money:
            return []
        money_tokens = {i for m in money for i in range(m.start, m.end)}
        return [a for c in verb.children if c.dep_ == "dobj" and not any(t.i in money_tokens for t in c.subtree)
                for t in [c, *c.conjuncts] for a in self._resolve(t)]

    def _subjects(self, verb: Token) -> list[Arg]:
        """Who does it: the verb's subject, else the subject it shares or inherits."""
        seen = set()
        while verb is not None and verb.i not in seen:
            seen.add(verb.i)
            found = self._args_of_deps(verb, ("nsubj",))
            if found or any(c.dep_ in SUBJECTS and c.lower_ not in DISTRIBUTIVES and not _opening_participle(c) for c in verb.children):
                return found
            reporter = reporter_of(verb, self.speech_verbs)
            if reporter is not None and self._objects_subject_of(verb, verb.head):
                verb = reporter  # "X argues that Y erred, accusing him of ...": one does not accuse oneself
            elif verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "dobj", "pobj", "prep") and verb.head.i != verb.i:
                verb = verb.head
            elif verb.dep_ == "acl" and verb.tag_ == "VBG":
                # "X, saying ...", "the group backing Y"; "X ran ads attacking Y": the ads are X's
                found = self._resolve(verb.head)
                if found or verb.head.dep_ in SUBJECTS:
                    return found
                verb = verb.head
            elif verb.dep_ == "ROOT" or verb.dep_ == "amod" and verb.tag_ == "VBD":
                # "X, an environmental group, slammed Y": the parse may read the past tense as an adjective of Y
                return self._subject_before(verb)
            else:
                return []
        return []

    def _objects_subject_of(self, verb: Token, clause: Token) -> bool:
        """Is the verb's direct object the one the clause's subject names?"""
        subjects = {id(a.cluster) for a in self._args_of_deps(clause, ("nsubj", "nsubjpass"))}
        return any(id(a.cluster) in subjects for a in self._args_of_deps(verb, ("dobj",)))

    def _subject_before(self, verb: Token) -> list[Arg]:
        """'Yes on 12 received ...': a main verb the parse left without a subject acts for the name right before it."""
        i = verb.i - 1
        while i >= verb.sent.start and self.doc[i].pos_ in ("AUX", "ADV", "PART"):
            i -= 1
        if i > verb.sent.start and self.doc[i].text == ",":
            i = self._before_aside(i)
        if i < verb.sent.start or self.doc[i].is_punct:
            return []
        return self._resolve(self.doc[i]) if self.entities.at(self.doc[i]) is not None else []

    def _before_aside(self, comma: int) -> int:
        """'X, an environmental group, slammed': the word before a comma-enclosed noun phrase that opens with an article, else the comma."""
        start = comma - 1
        while start > self.doc[comma].sent.start and self.doc[start].pos_ in ASIDE_POS \
                and self.doc[start].text != ",":
            start -= 1
        if self.doc[start].text != "," or self.doc[start + 1].lower_ not in ("a", "an", "the"):
            return comma
        return start - 1

    def _args_of_deps(self, head: Token, deps: tuple[str, ...], skip_preps: bool = False) -> list[Arg]:
        found = []
        for child in head.children:
            if child.dep_ in deps:
                if skip_preps and child.pos_ == "ADP":
                    found += self._prep_args(head, [child.lower_], deps=(child.dep_,))
                    continue
                for token in [child, *child.conjuncts, *_parallel_conjuncts(child)]:
                    found += self._resolve(token)
        return found

    def _prep_args(self, head: Token, preps: Iterable[str], deps: tuple[str, ...] = ("prep", "dative", "agent")) -> list[Arg]:
        """Objects of the head's prepositions, also of coordinated ones ("by X and by Y")."""
        preps = set(preps)
        found = []
        for child in head.children:
            if child.dep_ in deps and child.lower_ in preps:
                for prep in [child, *(c for c in child.conjuncts if c.pos_ == "ADP")]:
                    for pobj in prep.children:
                        if pobj.dep_ in ("pobj", "pcomp"):
                            for token in [pobj, *pobj.conjuncts]:
                                found += self._resolve(token)
        return found

    def _surface(self, start: int, preps: Iterable[str]) -> list[Arg]:
        frame = self.surface.frame(start, preps)
        return [a for p in preps for a in frame.get(p, [])]

    def _resolve(self, token: Token, depth: int = 0) -> list[Arg]:
        """The entities a token stands for."""
        if depth > 4:
            return []
        if token.tag_ in ("NNS", "NNPS"):
            # "Several Democrats, including Rep. X, are backing Y": the named members act for the group
            members = [a for t in self._including(token) for a in self._resolve(t, depth + 1)]
            if members:
                return members
        cluster = self.entities.at(token)
        if cluster is not None:
            return [Arg(cluster, token.pos_ == "PRON" or token.i in self.entities.descriptions, token.i)]
        lower, lemma = token.lower_, token.lemma_.lower()
        if lower == "which" and token.head.dep_ == "relcl":
            # "X, president of the Y Federation, which endorsed Z": "which" is no person; the name before it is meant
            before = token.i - 1
            while before > token.sent.start and self.doc[before].is_punct:
                before -= 1
            named = self.entities.at(self.doc[before])
            head = token.head.head
            if named is not None and named.type != "PERSON" and head.left_edge.i <= before <= head.right_edge.i:
                return [Arg(named, False, before)]
        if lemma in self.partitives:  # "bankrolled much of Y's campaign"
            found = [a for t in self._of_objects(token) for a in self._resolve(t, depth + 1)]
            if found:
                return found
        if lower == "they" and token.dep_ == "nsubj" and token.head.dep_ == "ccomp" and token.head.head.lemma_.lower() in self.speech_verbs:
            # "A, B and C said they support Y": a pronoun led to them
            return [a._replace(pronoun=True) for a in self._args_of_deps(token.head.head, ("nsubj",))]
        if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
            return self._resolve(token.head.head, depth + 1)
        for child in token.children:
            if child.dep_ == "appos":
                found = [a for t in [child, *child.conjuncts, *_parallel_conjuncts(child)] for a in self._resolve(t, depth + 1)]
                if found:
                    return found
        if token.dep_ == "appos":  # "X, a ballot committee funded by Y": the committee is X
            found = self._resolve(token.head, depth + 1)
            if found:
                return found
        if token.pos_ == "NOUN":
            found = self.surface.late_apposition(token)
            if found:
                return found
        if lemma in self.campaign_nouns:
            for child in token.children:
                if child.dep_ in ("poss", "compound"):
                    found = self._resolve(child, depth + 1)
                    if found:
                        return found
            before = self.doc[token.i - 1] if token.i > 0 else None
            if before is not None and before.pos_ != "PRON" and self.entities.at(before) is not None:
                return self._resolve(before, depth + 1)  # "the Yes on 12 campaign": the parse splits the name off
            found = self._prep_args(token, ["of", "for"])
            if found:
                return found
        if token.pos_ == "NOUN" and lower in self.org_nouns:
            # "the Coastal Alliance party", "the Midvale Courier editorial board": the organisation named before it
            for child in token.children:
                cluster = self.entities.at(child)
                if cluster is None or child.i > token.i:
                    continue
                # "The Harbor City Ledger's editorial board": a board speaks for the organisation that owns it
                if child.dep_ in ("compound", "nmod") and child.pos_ == "PROPN" and cluster.type not in ("GPE", "NORP") \
                        or child.dep_ == "poss" and cluster.type == "ORG":
                    return self._resolve(child, depth + 1)
        if lemma in self.nouns:  # "funded by a contribution from X"
            return self._prep_args(token, self.nouns[lemma].get("subject_preps", []))
        if token.pos_ in ("NOUN", "PROPN") and any(c.lower_ in ("the", "this", "that") for c in token.children):
            return self._definite(token, lemma)  # "the union", "the PAC"
        return []

    def _including(self, token: Token) -> list[Token]:
        return [t for prep in token.children if prep.dep_ == "prep" and prep.lower_ in self.including_preps
                for pobj in prep.children if pobj.dep_ == "pobj" for t in [pobj, *pobj.conjuncts]]

    def _of_objects(self, token: Token) -> list[Token]:
        return [pobj for prep in token.children if prep.dep_ == "prep" and prep.lower_ == "of"
                for pobj in prep.children if pobj.dep_ == "pobj"]

    def _definite(self, token: Token, lemma: str) -> list[Arg]:
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
        return [Arg(best[1], True, token.i)] if best else []

    def _quoted_names(self, tokens: Iterable[Token], exclude: set[str]) -> list[Arg]:
        """The one entity a quote names (none when it names several)."""
        found = {}
        for token in tokens:
            cluster = self.entities.at(token)
            if token.i in self.quoted and cluster is not None and token.pos_ != "PRON" and cluster.name not in exclude:
                found.setdefault(cluster.name, Arg(cluster, False, token.i))
        return list(found.values()) if len(found) == 1 else []

    def _governing_verb(self, noun: Token) -> Token | None:
        """The verb a trigger noun is the object of; read leftwards when the parse lost it."""
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
            return noun.head
        if noun.dep_ == "pobj" and noun.head.dep_ in ("prep", "agent") and noun.head.head.pos_ in ("VERB", "AUX"):
            return noun.head.head
        i = noun.i - 1
        while i >= max(0, noun.i - 6) and self.doc[i].pos_ in PHRASE_POS and self.doc[i].tag_ != "POS":
            i -= 1
        if i >= 0 and i < noun.i - 1 and self.doc[i].pos_ == "VERB" and self.doc[i].sent == noun.sent:
            return self.doc[i]
        return None

    def _money_for(self, trigger: Token, own_clauses: bool = False, passive: bool = False) -> list[Money]:
        """The money a trigger's own phrase states, not a neighbouring clause's (a passive's subject is its own: "$500 was given")."""
        skipped = {"conj", "cc", "nsubj", "nsubjpass"} if own_clauses else {
            "conj", "relcl", "ccomp", "advcl", "parataxis", "cc", "nsubj", "nsubjpass"}
        if passive:
            skipped.discard("nsubjpass")
        own = {trigger.i}
        for child in trigger.children:
            # A verb's "conj" amount is an elided second act: "$500 to A and another $250 to B".
            if child.dep_ not in skipped or child.dep_ == "conj" and child.pos_ not in ("VERB", "AUX"):
                own.update(t.i for t in child.subtree)
        if trigger.dep_ in ("dobj",) and trigger.head.pos_ == "VERB":
            # "wrote a check for $500": the amount hangs on the verb
            own.update(t.i for c in trigger.head.children if c.dep_ in ("dobj", "npadvmod") or c.dep_ == "prep" and c.lower_ == "for"
                       for t in c.subtree)
        return [m for m in self.money if any(i in own for i in range(m.start, m.end))]

    # -- polarity ---------------------------------------------------------
    def _asserted(self, trigger: Token, appeal: bool = False) -> bool:
        """False when the sentence negates, hedges, plans, conditions or asks (an appeal, if `appeal`, does not withhold)."""
        if trigger.sent.text.rstrip().rstrip('"”’').endswith("?"):
            return False
        node = trigger
        check_children = True
        while True:
            if check_children and self._blocked_by_children(node):
                return False
            # a verb coordinated with the trigger is no governor of it: "pulled its support and blasted her"
            if node.i != trigger.i and check_children and self._governs(node, appeal):
                return False
            if node.dep_ in ("ROOT", "relcl", "advcl", "parataxis") or node.head.i == node.i:
                return True
            if node.dep_ == "conj" and node.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECTS for c in node.children):
                return True  # a clause of its own: "was expected to back X, but he endorsed Y"
            if node.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return not self._governs(node.head, appeal)
            # A conjunct has its own negation and auxiliaries: "did not attend but endorsed".
            check_children = node.dep_ != "conj" or node.pos_ not in ("VERB", "AUX")
            node = node.head

    def _governs(self, node: Token, appeal: bool = False) -> bool:
        """Is this word above the trigger one that withholds it ("refused", "backed away from")?"""
        lemma = node.lemma_.lower()
        if appeal and lemma in self.appeals and any(c.dep_ in ("dobj", "xcomp") for c in node.children):
            return False  # "urged members to back Y": the appeal is itself the backing
        return lemma in self.governors or any(
            f"{lemma} {c.lower_}" in self.governors for c in node.children if c.dep_ in ("prt", "advmod"))

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
    def _pairs(self, subjects: list[Arg], predicate: str, objects: list[Arg], trigger: Token, rule: str,
               money: list[Money], lemma: str | None = None) -> list[Candidate]:
        subject_types, object_types = ARGUMENT_TYPES[predicate]
        candidates = []
        for subject in subjects:
            for obj in objects:
                if subject.cluster is obj.cluster or subject.cluster.type not in subject_types or obj.cluster.type not in object_types:
                    continue
                if predicate == "DONATED_TO" and set(obj.cluster.name.lower().split()) & self.not_recipients:
                    continue
                confidence = self.confidence[rule]
                if subject.pronoun or obj.pronoun:
                    confidence -= self.confidence["pronoun-penalty"]
                candidates.append(Candidate(
                    subject.cluster, predicate, obj.cluster, trigger.sent, f"{rule}:{lemma or trigger.lemma_.lower()}",
                    round(confidence, 2), self._amount(money, obj.at) if predicate == "DONATED_TO" else None,
                ))
        return candidates


    def _amount(self, money: list[Money], at: int) -> Money | None:
        """The amount that leads to the recipient ("$2,900 to A and $1,500 to B"), else the nearest one."""
        if not money:
            return None
        doc = self.doc
        before = [m for m in money if m.end < at and doc[m.end].lower_ in self.recipient_preps]
        if before:
            last = max(before, key=lambda m: m.end)
            if not any(last.end <= m.start < at for m in money):
                return last
        return _nearest(money, at)


def _cue_pattern(cues: list[str]) -> re.Pattern:
    """Whole words or phrases of a quote, case-insensitive; the quote's tokens are joined by spaces."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, cues)) + r")\b", re.IGNORECASE)


def _parallel_conjuncts(token: Token) -> list[Token]:
    """'A of Eastport and B of Millhaven': the parse hangs B on Eastport; B's own 'of' phrase shows it is A's peer."""
    return [c for prep in token.children if prep.dep_ == "prep" for pobj in prep.children if pobj.dep_ == "pobj"
            for c in pobj.conjuncts if any(g.dep_ == "prep" and g.lower_ == prep.lower_ for g in c.children)]


def _opening_participle(token: Token) -> bool:
    """'Speaking to activists, X took a swipe at Y': the parse makes the opening participle phrase the subject."""
    return token.dep_ == "csubj" and token.tag_ == "VBG" and any(t.text == "," for t in token.subtree)


def _nearest(money: list[Money], at: int) -> Money | None:
    """Of the amounts a trigger states, the one written nearest the recipient ("$500 to A and $250 to B")."""
    return min(money, key=lambda m: m.start - at if m.start > at else at - m.end, default=None)


class ArticleExtractor:
    """Article + parsed Doc -> ArticleGraph with article-local entity ids."""

    def __init__(self, lexicon: Lexicon):
        self.find_mentions = MentionFinder(lexicon)
        self.find_relations = RelationExtractor(lexicon)

    def __call__(self, article: Article, doc: Doc) -> ArticleGraph:
        doc_entities = self.find_mentions(doc)
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
