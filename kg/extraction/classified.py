"""The trained relation classifier as an extraction rule: pairs of entity mentions in a sentence that the
models read as one attacking the other become CRITICIZED relations.

Two trained parts, both shipped in kg/extraction/models: the DSE model scores directed sentiment
between two mentions (trained on crowd-annotated news sentences), and the real-news model
reads that score with what the sentence shows of the pair (who speaks, who is quoted, whether
the target is charged or beaten rather than attacked in words) and gives the probability that
a careful reader of real news would assert the criticism. Its probability is the relation's
confidence. Rules keep the precision they were written for; this rule adds what no rule lists.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from spacy.tokens import Span, Token

from kg.extraction.candidates import Candidate
from kg.extraction.classifier import RelationClassifier, load_cues, models_dir
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule
from kg.extraction.dse import NEGATIVE, POSITIVE
from kg.mentions import Cluster

#: Sentences with more entities than this are lists (results tables, line-ups), not statements about one another.
MAX_ENTITIES = 8
REALNEWS_NAME = "relations-realnews"
REALNEWS_VERSION = "1"
REALNEWS_FILE = f"{REALNEWS_NAME}-v{REALNEWS_VERSION}.json"


@dataclass
class PairReading:
    """One directed pair of mentions in a sentence and what the models are told of it."""

    subject: Cluster
    object: Cluster
    sentence: Span
    features: dict[str, float]


class ClassifierRule(Rule):
    """Pairs of mentions the trained models read as one attacking the other."""

    name = "classifier"
    version = f"{RelationClassifier.version}+{REALNEWS_VERSION}"
    kinds = ("classifier",)

    def after(self, ctx: DocContext) -> list[Candidate]:
        model, threshold = RealNewsModel.load(), ctx.vocab.classifier["threshold"]
        candidates = []
        for sentence in ctx.entities.sentences:
            scored = [(model.probability(r.features), r) for r in read_pairs(ctx, sentence)]
            kept, subjects, objects, pairs = [], set(), set(), set()
            for probability, reading in sorted(scored, key=lambda s: -s[0]):
                # one reading per attacker and per target in a sentence, and per pair: the strongest
                # (the model weighs both directions of a pair; mutual attacks are the reciprocal rule's)
                if probability < threshold or id(reading.subject) in subjects or id(reading.object) in objects \
                        or (id(reading.object), id(reading.subject)) in pairs:
                    continue
                subjects.add(id(reading.subject))
                objects.add(id(reading.object))
                pairs.add((id(reading.subject), id(reading.object)))
                kept.append(Candidate(reading.subject, "CRITICIZED", reading.object, sentence,
                                      f"classifier:{model.version}", round(probability, 2), None))
            candidates += kept
        return candidates


def read_pairs(ctx: DocContext, sentence: Span) -> list[PairReading]:
    """Every directed pair of actors mentioned in the sentence, with the features both models read."""
    anchors = [a for a in _anchors(ctx, sentence) if _actor(ctx, a[2]) and not _associate(ctx, a)]
    entities = len({id(c) for _, _, c in anchors})
    if entities < 2 or entities > MAX_ENTITIES:
        return []
    shared = _sentence_features(ctx, sentence, entities)
    # a sentence with no fault-finding word, attack verb or quotation attacks no one: not worth the model's time
    if not (shared["negative_cue"] or shared["attack_verb"] or shared["quotation"] or _finds_fault(ctx, sentence)) \
            or _withheld(ctx, sentence):
        return []
    # an attacker acts in the sentence (a subject, a speaker, an owner, an agent): a pair with neither is skipped
    pairs = [(a, b) for a, b in combinations(anchors, 2) if a[2] is not b[2] and (_acts(ctx, a) or _acts(ctx, b))]
    if not pairs:
        return []
    probabilities = RelationClassifier.load().predict(ctx.doc, [((a[0], a[1]), (b[0], b[1])) for a, b in pairs])
    faulting = ctx.vocab.attack_verbs | load_cues()["negative"]
    best: dict[tuple[int, int], PairReading] = {}
    for (a, b), row in zip(pairs, probabilities):
        for (s, o), forward in (((a, b), True), ((b, a), False)):
            if not _asserted_about(ctx, o) or _placed(ctx, o):
                continue  # "said she would not challenge Y", "may attack Y": nothing asserted of Y
            if _attacked_by(ctx, s, o):
                continue  # "X was criticized by Y": the syntax says who attacks whom
            features = {
                "dse_negative_toward": float(row[NEGATIVE[0] if forward else NEGATIVE[1]]),
                "dse_negative_from": float(row[NEGATIVE[1] if forward else NEGATIVE[0]]),
                "dse_positive": float(row[list(POSITIVE)].sum()),
                **shared, **_role_features(ctx, s, "subject"), **_role_features(ctx, o, "object"),
                **_pair_features(ctx, s, o, faulting),
                "far_apart": float(abs(a[0] - b[0]) > 20),
            }
            key = (id(s[2]), id(o[2]))
            if key not in best or features["dse_negative_toward"] > best[key].features["dse_negative_toward"]:
                best[key] = PairReading(s[2], o[2], sentence, features)
    return list(best.values())


class RealNewsModel:
    """Logistic regression over a pair's features: P(a reader asserts the criticism)."""

    def __init__(self, weights: dict[str, float], intercept: float, meta: dict):
        self.weights, self.intercept, self.meta = weights, intercept, meta
        self.version = f"{REALNEWS_NAME}-v{REALNEWS_VERSION}"

    @classmethod
    def load(cls, path: str | Path | None = None) -> RealNewsModel:
        return _load_realnews(str(path or models_dir() / REALNEWS_FILE))

    def probability(self, features: dict[str, float]) -> float:
        score = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in features.items())
        return 1.0 / (1.0 + math.exp(-score))

    def save(self, path: str | Path) -> None:
        data = {"weights": dict(sorted(self.weights.items())), "intercept": self.intercept, "meta": self.meta}
        Path(path).write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


@lru_cache(maxsize=4)
def _load_realnews(path: str) -> RealNewsModel:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return RealNewsModel(data["weights"], data["intercept"], data.get("meta", {}))


def _anchors(ctx: DocContext, sentence: Span) -> list[tuple[int, int, Cluster]]:
    """The sentence's mentions as token spans with their entity: names, pronouns, descriptions, plural pronouns."""
    found, i = [], sentence.start
    while i < sentence.end:
        index = ctx.entities.token_cluster.get(i)
        if index is None:
            found += [(i, i + 1, ctx.entities.clusters[member]) for member in ctx.entities.groups.get(i, [])]
            i += 1
            continue
        end = i + 1
        while end < sentence.end and ctx.entities.token_cluster.get(end) == index:
            end += 1
        found.append((i, end, ctx.entities.clusters[index]))
        i = end
    return found


def _actor(ctx: DocContext, cluster: Cluster) -> bool:
    """People, organisations, governments and political groups attack one another in words; news outlets
    report it, and nationalities ("Russians") are in conflicts the DSE model reads as sentiment too."""
    if cluster.canonical in ctx.vocab.media:
        return False
    return cluster.type in ("PERSON", "ORG", "GPE") or cluster.type == "NORP" and (
        cluster.canonical is not None or cluster.name.split()[-1].lower() in ctx.vocab.group_words)


def _placed(ctx: DocContext, anchor: tuple[int, int, Cluster]) -> bool:
    """'slammed a forehand past Y', 'marched through Y': a name that only says where is not attacked."""
    head = _head(ctx, anchor)
    return head.dep_ == "pobj" and head.head.lower_ in ctx.vocab.place_preps


def _finds_fault(ctx: DocContext, sentence: Span) -> bool:
    """A word or phrase the reported-attack rule reads as finding fault ("a fantasy", "do not add up")."""
    return any(t.lemma_.lower() in ctx.vocab.fault_words for t in sentence) or ctx.vocab.names_fault(sentence.text.lower())


def _associate(ctx: DocContext, anchor: tuple[int, int, Cluster]) -> bool:
    """'some Trump allies', 'Clinton aides': the name only says whose allies; they act, not the one named.
    'the Conservative-run council', 'the Republican-led Senate': the name only says who runs the body."""
    token = ctx.doc[anchor[1] - 1]
    if anchor[1] + 1 < len(ctx.doc) and ctx.doc[anchor[1]].text == "-" and not token.whitespace_ \
            and ctx.doc[anchor[1] + 1].lower_ in ctx.vocab.hyphen_suffix_words:
        return True
    return token.dep_ == "compound" and token.head.pos_ == "NOUN" and token.head.lemma_.lower() in ctx.vocab.associates


def _attacked_by(ctx: DocContext, subject: tuple[int, int, Cluster], obj: tuple[int, int, Cluster]) -> bool:
    """Is the would-be attacker the passive subject of a verb whose agent ("by ...") is the would-be target?"""
    head, target = _head(ctx, subject), _head(ctx, obj)
    return head.dep_ == "nsubjpass" and target.dep_ == "pobj" and target.head.dep_ == "agent" \
        and target.head.head.i == head.head.i


def _sentence_features(ctx: DocContext, sentence: Span, entities: int) -> dict[str, float]:
    lemmas = {t.lemma_.lower() for t in sentence}
    return {
        "negative_cue": float(bool(lemmas & load_cues()["negative"])),
        "attack_verb": float(bool(lemmas & ctx.vocab.attack_verbs)),
        "speech": float(bool(lemmas & ctx.vocab.speech_verbs)),
        "quotation": float(any(t.i in ctx.quoted for t in sentence)),
        "many_entities": float(entities >= 4),
        "two_entities": float(entities == 2),
    }


def _head(ctx: DocContext, anchor: tuple[int, int, Cluster]) -> Token:
    """The word that places the mention in the sentence: the head of its name, or of the description
    it is in apposition to ("the shadow home secretary, Mark Oaten, accused")."""
    head = ctx.doc[anchor[1] - 1]
    while head.dep_ in ("compound", "appos") and head.head.i != head.i:
        head = head.head
    return head


def _acts(ctx: DocContext, anchor: tuple[int, int, Cluster]) -> bool:
    head = _head(ctx, anchor)
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head
    return head.dep_ in ("nsubj", "nsubjpass", "poss") or head.dep_ == "pobj" and head.head.lower_ == "by"


def _role_features(ctx: DocContext, anchor: tuple[int, int, Cluster], role: str) -> dict[str, float]:
    start, end, cluster = anchor
    head = _head(ctx, anchor)
    speech = head.dep_ == "nsubj" and head.head.lemma_.lower() in ctx.vocab.speech_verbs
    return {
        f"{role}_speaks": float(speech),
        f"{role}_subject": float(head.dep_ in ("nsubj", "nsubjpass") and not speech),
        f"{role}_owner": float(head.dep_ == "poss"),
        f"{role}_object": float(head.dep_ in ("dobj", "pobj", "dative")),
        f"{role}_quoted": float(start in ctx.quoted),
        f"{role}_pronoun": float(ctx.doc[start].pos_ == "PRON" or start in ctx.entities.descriptions),
        f"{role}_person": float(cluster.type == "PERSON"),
        f"{role}_group": float(cluster.type == "NORP"),
        f"{role}_place": float(cluster.type == "GPE"),
        f"{role}_under_act": float(_under_act(ctx, head)),
        f"{role}_verb:{_lemma(_governing_verb(head))}": 1.0,
    }


def _governing_verb(token: Token) -> Token | None:
    """The nearest verb above the mention ("accused" for both ends of "X accused Y of ...")."""
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def _lemma(token: Token | None) -> str:
    return token.lemma_.lower() if token is not None else ""


def _pair_features(ctx: DocContext, subject: tuple[int, int, Cluster], obj: tuple[int, int, Cluster],
                   faulting: set[str]) -> dict[str, float]:
    """How the two ends meet: under one verb, the object attacked by a fault-finding verb (`faulting`), or
    the object inside what the subject says (its reported clause or its quotation)."""
    subject_verb, object_verb = _governing_verb(_head(ctx, subject)), _governing_verb(_head(ctx, obj))
    speaks = subject_verb is not None and subject_verb.lemma_.lower() in ctx.vocab.speech_verbs
    said = speaks and subject_verb.left_edge.i <= obj[0] <= subject_verb.right_edge.i and object_verb is not subject_verb
    return {
        "same_verb": float(subject_verb is not None and subject_verb is object_verb),
        "object_faulted": float(_lemma(object_verb) in faulting),
        "object_in_speech": float(said),
        "object_in_speech_faulted": float(said and _lemma(object_verb) in faulting),
    }


def _asserted_about(ctx: DocContext, anchor: tuple[int, int, Cluster]) -> bool:
    """Is what the sentence says of this mention asserted: its nearest verb above it not negated, hedged or asked?"""
    token = _head(ctx, anchor)
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return ctx.asserted(token)
    return True


def _withheld(ctx: DocContext, sentence: Span) -> bool:
    """'stopped short of criticising Y', 'did not attack Y': an attack word the sentence negates or withholds."""
    return any(t.lemma_.lower() in ctx.vocab.attack_verbs and not ctx.asserted(t)
               for t in sentence if t.pos_ in ("VERB", "NOUN"))


def _under_act(ctx: DocContext, token: Token) -> bool:
    """Is the mention the object of legal action, an inquiry or a contest ("charged X", "questioned X",
    "beat X")? Those are not criticism by themselves, though the DSE model reads them as negative."""
    while token.head.i != token.i:
        token = token.head
        if token.pos_ in ("VERB", "AUX", "NOUN") and token.lemma_.lower() in ctx.vocab.not_criticism:
            return True
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False
