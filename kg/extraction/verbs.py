"""Verb triggers: "X endorsed Y", "Y was backed by X", "Y received $500 from X", phrasal and double-object verbs,
and participles the parse tagged as nouns ("spent the weekend campaigning for Y")."""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extraction.context import RELATIVE_PRONOUNS, SUBJECTS
from kg.extraction.money import Money
from kg.extraction.candidates import Arg, Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


SCORE = re.compile(r"\b\d{1,3}\s?[-–]\s?\d{1,3}\b")


class VerbRule(Rule):
    """A lexicon verb (or a participle read as a noun) and the entities it joins."""

    name = "verb"
    version = "1"
    kinds = ("verb", "verb-passive", "verb-converse")

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") and lemma in ctx.vocab.verbs:
            return _read_verb(ctx, token, ctx.vocab.verbs[lemma])
        if token.tag_ == "NN" and lemma.endswith("ing") and not _noun_trigger(ctx, token, lemma) and (
                entry := _gerund_entry(ctx, token, lemma)):
            return _read_verb(ctx, token, entry)
        return []


def _noun_trigger(ctx: DocContext, token: Token, lemma: str) -> bool:
    """Is the token a trigger noun or an agent noun? Those rules read it, not this one."""
    return token.pos_ in ("NOUN", "PROPN") and lemma in ctx.vocab.nouns and token.dep_ != "compound" or (
        token.pos_ == "NOUN" and lemma in ctx.vocab.agent_nouns)


def _read_verb(ctx: DocContext, verb: Token, entry: dict) -> list[Candidate]:
    wanted = _wanted_particles(entry)
    particles = _particles(ctx, verb, wanted)
    if (wanted and not wanted & particles) or (particles - wanted):
        return []  # "blasted off", "backed down", "gave up": another sense
    predicate = entry["predicate"]
    if not ctx.asserted(verb, appeal=predicate == "ENDORSES"):
        return []
    after = max([verb.i, *(c.i for c in verb.children if c.lower_ in particles)]) + 1
    agents = ctx.prep_args(verb, ["by"], deps=("agent", "prep")) or ctx.surface_args(after, ["by"])
    passive = not entry.get("converse") and _passive(ctx, verb, entry, agents)
    money = ctx.money_for(verb, passive=passive)
    if entry.get("requires_money") and not money:
        if not entry.get("dative") or not _surface_double_object(ctx, after, money)[1]:
            return []
    if predicate == "CRITICIZED" and SCORE.search(ctx.doc[verb.left_edge.i:verb.right_edge.i + 1].text):
        return []  # "the Tigers blasted the Lions 42-7": a game, not words
    if entry.get("converse"):
        preps = entry.get("subject_preps", ["from"])
        receivers = ctx.subjects(verb)
        # "received $25,000 from A and $12,500 from B": each amount names its own giver
        by_amount = [(m, ctx.surface.phrase(m.end + 1)[0]) for m in money
                     if m.end < len(ctx.doc) and ctx.doc[m.end].lower_ in preps]
        if sum(1 for _, args in by_amount if args) > 1:
            return [c for m, args in by_amount for c in ctx.pairs(args, predicate, receivers, verb, "verb-converse", [m])]
        givers = ctx.prep_args(verb, preps) or ctx.surface_args(after, preps)
        return ctx.pairs(givers, predicate, receivers, verb, "verb-converse", money)
    preps = entry.get("object_preps", [])
    if passive:
        objects = ctx.args_of_deps(verb, ("nsubjpass",)) or ctx.prep_args(verb, preps) or (
            ctx.resolve(verb.head) if verb.dep_ == "acl" else ctx.args_of_deps(verb, ("nsubj",))
        ) or (ctx.subject_before(verb) if verb.dep_ == "ROOT" and not any(c.dep_ in SUBJECTS for c in verb.children) else [])
        return ctx.pairs(agents, predicate, objects, verb, "verb-passive", money)
    objects = []
    if entry.get("direct_object", True):
        objects += ctx.args_of_deps(verb, ("dobj",))
    if entry.get("dative"):
        objects += ctx.args_of_deps(verb, ("dative", "iobj"), skip_preps=True)
        objects += _moneyless_objects(ctx, verb, money)
    objects += ctx.prep_args(verb, preps)
    for part in _parts(ctx, verb):
        objects += ctx.prep_args(part, preps)
    if verb.dep_ == "relcl" and not objects and any(
        c.dep_ == "dobj" and c.lower_ in RELATIVE_PRONOUNS for c in verb.children
    ):
        objects = ctx.resolve(verb.head)
    if not objects and predicate == "CRITICIZED":
        objects = ctx.owners(verb, preps, direct=entry.get("direct_object", True))
    if not objects:
        frame = ctx.surface.frame(after, preps)
        objects = [a for key, args in frame.items() if key in preps or (key == "" and entry.get("direct_object", True)) for a in args]
    if not objects and entry.get("dative"):
        objects, money = _surface_double_object(ctx, after, money)
    return ctx.pairs(ctx.subjects(verb), predicate, objects, verb, "verb", money)


def _gerund_entry(ctx: DocContext, token: Token, lemma: str) -> dict | None:
    """'spent the weekend campaigning for Y': the parse may tag a participle as a noun; its prepositions still name the object."""
    stem = lemma[:-3]
    for key in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else None):
        entry = ctx.vocab.verbs.get(key)
        if entry and not entry.get("direct_object", True) and not entry.get("particle") and any(
                c.dep_ == "prep" and c.lower_ in entry.get("object_preps", []) for c in token.children):
            return entry
    return None


def _passive(ctx: DocContext, verb: Token, entry: dict, agents: list[Arg]) -> bool:
    """Passive voice, also where the parse read a participle as a past tense ("The PAC, bankrolled by X, ...")."""
    if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or verb.dep_ == "acl" and verb.tag_ == "VBN":
        return True
    return bool(agents) and entry.get("direct_object", True) and verb.tag_ in ("VBD", "VBN") and not any(
        c.dep_ in ("dobj", "dative") for c in verb.children)


def _parts(ctx: DocContext, verb: Token) -> list[Token]:
    """Phrases that repeat a verb's act with another recipient: "$500 to A and $250 to B", "including $100 to C"."""
    parts = [c for c in verb.children if c.dep_ == "conj" and c.pos_ not in ("VERB", "AUX")]
    holders = [verb, *(c for c in verb.children if c.dep_ == "dobj")]
    including = [c for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ in ctx.vocab.including_preps]
    # "contributed Rs 5 lakh to Y": the parse may hang the recipient on the amount
    amounts = [c for c in holders[1:] if any(m.start <= c.i < m.end for m in ctx.money)]
    return parts + including + amounts + [p for c in including for p in c.children if p.dep_ == "pobj"]


def _wanted_particles(entry: dict) -> set[str]:
    """The particle or particles a phrasal verb's entry asks for ("hit out at", "hit back at")."""
    wanted = entry.get("particle") or []
    return {wanted} if isinstance(wanted, str) else set(wanted)


def _particles(ctx: DocContext, verb: Token, wanted: set[str]) -> set[str]:
    """Particles of a phrasal verb; the parse often calls the one right after the verb a preposition."""
    found = {c.lower_ for c in verb.children if c.dep_ == "prt"}
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if following is not None and following.lower_ in wanted and following.head.i == verb.i:
        found.add(following.lower_)
    return found


def _surface_double_object(ctx: DocContext, after: int, money: list[Money]) -> tuple[list[Arg], list[Money]]:
    """'Y Co. gave Councilwoman X $1,000' where the parse lost the objects: the names right after
    the verb receive the amount written right after them."""
    args, end = ctx.surface.phrase(after)
    amounts = [m for m in ctx.money if m.start == end] if args else []
    return (args, money or amounts) if amounts else ([], money)


def _moneyless_objects(ctx: DocContext, verb: Token, money: list[Money]) -> list[Arg]:
    """'gave the campaign of X $7,500', 'sent A and B $500 apiece': the parse makes the receiver a
    direct object; of a verb that gives money, the object without the money receives it."""
    if not money:
        return []
    money_tokens = {i for m in money for i in range(m.start, m.end)}
    return [a for c in verb.children if c.dep_ == "dobj" and not any(t.i in money_tokens for t in c.subtree)
            for t in [c, *c.conjuncts] for a in ctx.resolve(t)]
