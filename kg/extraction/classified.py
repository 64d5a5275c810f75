"""The trained relation classifier as an extraction rule: every pair of entity mentions in a sentence
is scored, and a pair the model reads as an attack becomes a CRITICIZED relation.

Rules keep the precision they were written for; this rule adds what no rule lists ("X said
the scheme was 'a shambles'", "X accused Y's aides of ..."). Mentions are the article's
resolved ones: names, pronouns, descriptions ("the chancellor") and plural pronouns.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from spacy.tokens import Span, Token

from kg.extraction.candidates import Candidate
from kg.extraction.classifier import RelationClassifier
from kg.extraction.context import DocContext
from kg.extraction.dse import NEGATIVE
from kg.mentions import Cluster

#: Sentences with more entities than this are lists (results tables, line-ups), not statements about one another.
MAX_ENTITIES = 8


class ClassifierRule:
    """Pairs of mentions the trained model scores as one attacking the other."""

    name = "classifier"
    version = RelationClassifier.version
    kinds = ("classifier",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        return []

    def after(self, ctx: DocContext) -> list[Candidate]:
        model = RelationClassifier.load()
        threshold = ctx.vocab.classifier["negative_threshold"]
        candidates = []
        for sentence in ctx.doc.sents:
            anchors = _anchors(ctx, sentence)
            if len({id(c) for _, _, c in anchors}) > MAX_ENTITIES:
                continue
            pairs = [(a, b) for a, b in combinations(anchors, 2) if a[2] is not b[2]]
            if not pairs:
                continue
            probabilities = model.predict(ctx.doc, [((a[0], a[1]), (b[0], b[1])) for a, b in pairs])
            best: dict[tuple[int, int], tuple[float, Cluster, Cluster]] = {}
            for (a, b), row in zip(pairs, probabilities):
                negative = float(row[list(NEGATIVE)].sum())
                if negative < threshold:
                    continue
                (subject, at), obj = ((a[2], a[0]), b[2]) if row[NEGATIVE[0]] >= row[NEGATIVE[1]] else ((b[2], b[0]), a[2])
                target_at = b[0] if subject is a[2] else a[0]
                if not (_actor(ctx, subject) and _actor(ctx, obj)) or not _agent(ctx, at, sentence) \
                        or _under_act(ctx, target_at, sentence):
                    continue
                key = (id(subject), id(obj))
                if key not in best or negative > best[key][0]:
                    best[key] = (negative, subject, obj)
            for negative, subject, obj in _strongest(best.values()):
                candidates.append(Candidate(subject, "CRITICIZED", obj, sentence, f"classifier:{_band(negative)}",
                                            ctx.vocab.classifier_confidence(negative), None))
        return candidates


def _anchors(ctx: DocContext, sentence: Span) -> list[tuple[int, int, Cluster]]:
    """The sentence's mentions as token spans with their entity: names, pronouns and descriptions."""
    found, i = [], sentence.start
    while i < sentence.end:
        index = ctx.entities.token_cluster.get(i)
        if index is None:
            for member in ctx.entities.groups.get(i, []):
                found.append((i, i + 1, ctx.entities.clusters[member]))
            i += 1
            continue
        end = i + 1
        while end < sentence.end and ctx.entities.token_cluster.get(end) == index:
            end += 1
        found.append((i, end, ctx.entities.clusters[index]))
        i = end
    return found


def _actor(ctx: DocContext, cluster: Cluster) -> bool:
    """People, organisations and political groups attack one another in words; countries and
    nationalities ("Russians", "Chinese") are in conflict, which the model reads as sentiment too."""
    if cluster.canonical in ctx.vocab.media:
        return False  # "Reuters could not verify the claims against X", "wrote on Twitter"
    return cluster.type in ("PERSON", "ORG") or cluster.type == "NORP" and (
        cluster.canonical is not None or cluster.name.split()[-1].lower() in ctx.vocab.group_words)


def _under_act(ctx: DocContext, start: int, sentence: Span) -> bool:
    """Is the target the object of legal action, an inquiry or a contest ("charged X", "questioned X",
    "beat X")? Those are not criticism by themselves, though the model reads them as negative."""
    token = ctx.doc[start]
    while token.head.i != token.i and token.i >= sentence.start:
        token = token.head
        if token.pos_ in ("VERB", "AUX", "NOUN") and token.lemma_.lower() in ctx.vocab.not_criticism:
            return True
        if token.pos_ in ("VERB", "AUX"):
            return False
    return False


def _agent(ctx: DocContext, start: int, sentence: Span) -> bool:
    """Does the attacker's mention act in the sentence: a subject or agent, an owner, or the speaker of a quote?"""
    token = ctx.doc[start]
    while token.dep_ == "compound" and token.head.i != token.i:
        token = token.head
    return token.dep_ in ("nsubj", "nsubjpass", "poss", "agent", "pobj") and (
        token.dep_ != "pobj" or token.head.lower_ == "by") or token.dep_ == "conj" and token.head.dep_ in ("nsubj",)


def _strongest(found) -> list[tuple[float, Cluster, Cluster]]:
    """One relation per attacker and per target in a sentence: the model's strongest reading."""
    kept, subjects, objects = [], set(), set()
    for negative, subject, obj in sorted(found, key=lambda f: -f[0]):
        if id(subject) in subjects or id(obj) in objects:
            continue
        kept.append((negative, subject, obj))
        subjects.add(id(subject))
        objects.add(id(obj))
    return kept


def _band(probability: float) -> str:
    """The score band a relation's confidence is calibrated by: 0.5 for scores in [0.5, 0.6)."""
    return f"{np.floor(probability * 10) / 10:.1f}"
