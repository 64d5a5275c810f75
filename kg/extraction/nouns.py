"""Noun triggers: "X's endorsement of Y", "a donation from X to Y", light verbs ("X threw its support behind Y",
"X took aim at Y") and converse nouns ("Y won the backing of X", "Y came under fire from X")."""

from __future__ import annotations

from spacy.tokens import Token
from kg.extraction.candidates import Arg, Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class NounRule(Rule):
    """A lexicon noun and the entities its phrase and its governing verb name."""

    name = "noun"
    version = "1"
    kinds = ("noun", "noun-light-verb", "noun-converse", "noun-quote")

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        lemma = token.lemma_.lower()
        if token.pos_ in ("NOUN", "PROPN") and lemma in ctx.vocab.nouns and token.dep_ != "compound":
            # a compound modifies another noun: "attack ads", "donation records" name no act
            return _read_noun(ctx, token, ctx.vocab.nouns[lemma])
        return []


def _read_noun(ctx: DocContext, noun: Token, entry: dict) -> list[Candidate]:
    if any(c.dep_ in ("compound", "amod", "nmod") and c.lower_ in entry.get("reject_modifiers", []) for c in noun.children):
        return []
    governor = ctx.governing_verb(noun)
    converse = _converse(ctx, noun, governor, entry)
    light_verbs = entry.get("light_verbs")
    if light_verbs and not converse and not _light_verb_names(ctx, noun, governor) & set(light_verbs):
        return []
    if not ctx.asserted(noun) or (governor is not None and not ctx.asserted(governor)):
        return []
    predicate = entry["predicate"]
    money = ctx.money_for(noun)
    object_preps, subject_preps = entry.get("object_preps", []), entry.get("subject_preps", [])
    if converse:  # "Y won the endorsement of X"
        givers = ctx.prep_args(noun, sorted(ctx.vocab.giver_preps)) + ctx.prep_args(governor, ["from"])
        receivers = ctx.subjects(governor) + ctx.prep_args(noun, object_preps)
        if not receivers and predicate == "CRITICIZED":  # "Y's budget came under fire from X"
            receivers = ctx.owners_of([c for c in governor.children if c.dep_ in ("nsubj", "nsubjpass")])
        return ctx.pairs(givers, predicate, receivers, noun, "noun-converse", money)
    frame = ctx.surface.frame(noun.i + 1, [*object_preps, *subject_preps])
    subjects = (
        ctx.args_of_deps(noun, ("poss",)) or ctx.prep_args(noun, subject_preps)
        or [a for p in subject_preps for a in frame.get(p, [])]
        or (_named_before(ctx, noun) if predicate == "CRITICIZED" else [])
    )
    objects = ctx.prep_args(noun, object_preps) or [a for p in object_preps for a in frame.get(p, [])]
    rule = "noun"
    if governor is not None:
        if not subjects and noun.dep_ == "nsubjpass":
            # "A $500 donation was made to Y by X": the passive's agent, which the parse may hang on Y
            subjects = ctx.prep_args(governor, ["by"], deps=("agent", "prep")) or [
                a for c in governor.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"
                for a in ctx.prep_args(p, ["by"], deps=("agent", "prep"))]
            rule = "noun-light-verb"
        if not subjects:
            subjects = ctx.subjects(governor)
            rule = "noun-light-verb"
        if not objects:
            objects = (ctx.prep_args(governor, object_preps) or _first_object(ctx, governor, noun)
                       or ctx.surface_args(governor.i + 1, object_preps))
        if not objects and noun.dep_ == "pobj" and noun.head.dep_ == "agent":
            # "Y's campaign was bolstered by a donation from X": the passive's subject receives
            objects = ctx.args_of_deps(governor, ("nsubjpass",))
    if not objects and predicate == "CRITICIZED":
        objects = ctx.owners(noun, object_preps, direct=False) or (
            ctx.owners(governor, object_preps, direct=False) if governor is not None else [])
    if subjects and not objects and predicate == "ENDORSES" and noun.dep_ == "nsubj" \
            and noun.head.lemma_.lower() in ctx.vocab.double_object_verbs and ctx.asserted(noun.head):
        # "The endorsement, from X, gives Y a boost": the one it gives something to is the one endorsed
        objects = ctx.args_of_deps(noun.head, ("dative", "iobj"))
    if subjects and not objects and predicate == "ENDORSES":
        objects = ctx.quoted_names(noun.sent, exclude={a.cluster.name for a in subjects})
        rule = "noun-quote"
    return ctx.pairs(subjects, predicate, objects, noun, rule, money)


def _named_before(ctx: DocContext, noun: Token) -> list[Arg]:
    """'Republican attacks on Y', 'Labour criticism of Y': a person, a body or a party named before the noun makes it."""
    return [a for a in ctx.named_before(noun) if a.cluster.type in ("PERSON", "ORG") or a.cluster.canonical is not None]


def _light_verb_names(ctx: DocContext, noun: Token, governor: Token | None) -> set[str]:
    """How the lexicon may name the verb a trigger noun hangs on: 'throw' (threw its support), 'come under' (came under fire)."""
    if governor is None:
        return set()
    lemma = governor.lemma_.lower()
    if noun.dep_ != "pobj":
        return {lemma}
    return {lemma, " ".join([lemma, *(c.lower_ for c in governor.children if c.dep_ == "prt"), noun.head.lower_])}


def _converse(ctx: DocContext, noun: Token, governor: Token | None, entry: dict) -> bool:
    """'Y won the endorsement of X', 'Y came under fire from X', 'Y ran with the backing of X': the verb's
    subject receives.

    A bare verb counts only for its object ('won the support'), and an object preposition
    of the noun that names someone ('took a swipe at Y') shows the subject acts.
    """
    if governor is None:
        return False
    names = _light_verb_names(ctx, noun, governor)
    if noun.dep_ == "pobj":
        names.discard(governor.lemma_.lower())
    own_preps = set(entry.get("object_preps", [])) - ctx.vocab.giver_preps
    if noun.dep_ == "pobj" and noun.head.lower_ == "with" and entry["predicate"] == "ENDORSES" \
            and not any(c.dep_ == "poss" for c in noun.children) and ctx.prep_args(noun, sorted(ctx.vocab.giver_preps)):
        return not ctx.prep_args(noun, own_preps)  # "campaigned with the backing of X": the subject has it
    if not names & ctx.vocab.converse_verbs:
        return False
    if ctx.prep_args(governor, own_preps) or ctx.prep_args(noun, own_preps):
        return False
    # 'took aim at Y's record': an object preposition and no giver shows the subject acts, named or not
    preps = {c.lower_ for h in (governor, noun) for c in h.children if c.dep_ == "prep"}
    return not (preps & own_preps and not preps & ctx.vocab.giver_preps)


def _first_object(ctx: DocContext, governor: Token, noun: Token) -> list[Arg]:
    """'gave Y her endorsement', 'handed Y a $500 check': the first object of a double-object verb receives."""
    if governor.lemma_.lower() not in ctx.vocab.double_object_verbs:
        return []
    return [a for c in governor.children if c.dep_ in ("dative", "iobj", "dobj") and c.pos_ != "ADP" and c.i < noun.i
            for t in [c, *c.conjuncts] for a in ctx.resolve(t)]
