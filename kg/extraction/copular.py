"""Copular backing and fault-finding: "X is all in for Y", "X is squarely behind Y", "X was critical of Y"."""

from __future__ import annotations

from spacy.tokens import Token
from kg.extraction.candidates import Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class CopularRule(Rule):
    """'be' with the lexicon's words and a preposition naming the one backed or faulted."""

    name = "copular"
    version = "1"
    kinds = ("verb",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        return _read_copular(ctx, token) if token.lemma_.lower() == "be" and ctx.vocab.copular else []


def _read_copular(ctx: DocContext, verb: Token) -> list[Candidate]:
    """'X is all in for Y', 'X is squarely behind Y': "be" with the lexicon's words and a preposition naming Y."""
    dependents = [c for c in verb.children if c.dep_ in ("advmod", "acomp", "prt", "prep", "npadvmod")]
    words = {c.lower_ for c in dependents}
    candidates = []
    for entry in ctx.vocab.copular:
        if not words.issuperset(entry["words"]) or not ctx.asserted(verb):
            continue
        # the preposition hangs on "be" ("is squarely behind Y") or on the adjective ("was critical of Y")
        adjectives = [c for c in dependents if c.dep_ == "acomp" and c.lower_ in entry["words"]]
        objects = ctx.prep_args(verb, entry["object_preps"]) or [
            arg for c in adjectives for arg in ctx.prep_args(c, entry["object_preps"])]
        if not objects and entry["predicate"] == "CRITICIZED":
            # "was critical of Y's record": faulting a thing of Y's faults Y
            objects = [arg for c in adjectives for arg in ctx.owners(c, entry["object_preps"], direct=False)]
        if objects:
            candidates += ctx.pairs(ctx.subjects(verb), entry["predicate"], objects, verb, "verb", [],
                                      lemma=" ".join(["be", *entry["words"]]))
    return candidates
