"""Labelled attacks: 'X called Y "a liar"', 'X branded Y corrupt', 'X dismissed Y as a lightweight',
'Y was branded "a liar" by X'."""

from __future__ import annotations

from spacy.tokens import Token
from kg.extraction.candidates import Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class LabelledAttackRule(Rule):
    """A labelling or dismissive verb whose label attacks its object."""

    name = "labelled-attack"
    version = "1"
    kinds = ("labelled-attack",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and (lemma in ctx.vocab.labelling_verbs or lemma in ctx.vocab.dismissive_verbs):
            return _read_labelled_attack(ctx, token)
        return []


def _read_labelled_attack(ctx: DocContext, verb: Token) -> list[Candidate]:
    """'X called Y "a liar"', 'X branded Y corrupt': the label attacks Y."""
    dismissive = verb.lemma_.lower() in ctx.vocab.dismissive_verbs
    label = [t for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"
             or not dismissive and c.dep_ in ("oprd", "xcomp", "ccomp", "acomp") for t in c.subtree]
    # 'dismissed Y's claims as nonsense': the parse may hang the "as" phrase on the object
    label += [t for c in verb.children if c.dep_ == "dobj" for a in c.children if a.dep_ == "prep" and a.lower_ == "as"
              for t in a.subtree]
    if not dismissive:  # 'called his rival, Y, "a fraud"': the parse hangs the quoted label on the object
        # also one apposition deeper: 'called his opponent, Treasurer Y, "a career politician"'
        chain = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
        chain += [a for c in chain for a in c.children if a.dep_ == "appos" and a.i not in ctx.quoted]
        label += [t for c in chain for a in c.children if a.dep_ == "appos" and a.i in ctx.quoted for t in a.subtree]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    if passive:  # 'Y was branded "a liar" by X': the parse may read the label as an object
        label += [t for c in verb.children if c.dep_ == "dobj" for t in c.subtree]
    if not label or not (dismissive or ctx.vocab.attack_cues.search(" ".join(t.text for t in label))) or not ctx.asserted(verb):
        return []
    if passive:  # 'Y's remarks were described as "irresponsible" by X'
        targets = [a for c in passive for a in ctx.resolve(c)] or ctx.owners_of(passive)
        # the parse may hang "by X" on the label: "dismissed as nonsense by X"
        speakers = [a for t in dict.fromkeys([verb, *label]) for a in ctx.prep_args(t, ["by"], deps=("agent", "prep"))]
        return ctx.pairs(speakers, "CRITICIZED", targets, verb, "labelled-attack", None)
    targets = ctx.args_of_deps(verb, ("dobj",)) or [
        a for c in verb.children if c.dep_ in ("ccomp", "xcomp") for a in ctx.args_of_deps(c, ("nsubj",))] or [
        # 'called his opponent, state Treasurer Y, "a liar"': the parse makes the one labelled the predicate
        a for c in verb.children if c.dep_ == "oprd" and any(g.dep_ == "appos" for g in c.children) for a in ctx.resolve(c)] or (
        ctx.owners(verb, []))  # 'branded the Tory plans as "fantasy economics"': the plans' owner
    speakers = ctx.subjects(verb)
    return ctx.pairs(speakers, "CRITICIZED", targets, verb, "labelled-attack", None)
