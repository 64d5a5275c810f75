"""Reciprocal acts: "A and B traded barbs" -- each attacked the other."""

from __future__ import annotations

from spacy.tokens import Token
from kg.extraction.candidates import Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class ReciprocalRule(Rule):
    """A reciprocal verb and noun ("traded insults"): every subject does it to every other."""

    name = "reciprocal"
    version = "1"
    kinds = ("reciprocal",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        return _read_reciprocal(ctx, token) if token.lemma_.lower() in ctx.vocab.reciprocal_verbs else []


def _read_reciprocal(ctx: DocContext, verb: Token) -> list[Candidate]:
    candidates = []
    for noun in verb.children:
        predicate = ctx.vocab.reciprocal_nouns.get(noun.lemma_.lower())
        if noun.dep_ != "dobj" or predicate is None or not ctx.asserted(verb):
            continue
        people = ctx.subjects(verb)
        for a in people:
            for b in people:
                candidates += ctx.pairs([a], predicate, [b], verb, "reciprocal", None)
    return candidates
