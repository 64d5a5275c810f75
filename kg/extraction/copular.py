"""Copular backing: "X is all in for Y", "X is squarely behind Y"."""

from __future__ import annotations

from spacy.tokens import Token
from kg.extraction.candidates import Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class CopularRule(Rule):
    """'be' with the lexicon's words and a preposition naming the one backed."""

    name = "copular"
    version = "1"
    kinds = ("verb",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        return _read_copular(ctx, token) if token.lemma_.lower() == "be" and ctx.vocab.copular else []


def _read_copular(ctx: DocContext, verb: Token) -> list[Candidate]:
    """'X is all in for Y', 'X is squarely behind Y': "be" with the lexicon's words and a preposition naming Y."""
    words = {c.lower_ for c in verb.children if c.dep_ in ("advmod", "acomp", "prt", "prep", "npadvmod")}
    candidates = []
    for entry in ctx.vocab.copular:
        if not words.issuperset(entry["words"]) or not ctx.asserted(verb):
            continue
        objects = ctx.prep_args(verb, entry["object_preps"])
        if objects:
            candidates += ctx.pairs(ctx.subjects(verb), entry["predicate"], objects, verb, "verb", [],
                                      lemma=" ".join(["be", *entry["words"]]))
    return candidates
