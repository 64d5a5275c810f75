"""Calls to resign: 'X called on Y to resign', 'X urged Y to quit', 'X said Y should step down',
'X demanded Y's resignation', 'X joined calls for Y to step down', 'Y faced calls from X to quit',
'X called for Y to be impeached', 'X demanded an apology from Y', 'X's call for Y to quit was echoed by Z'.
Telling someone to go is criticism of them; a call made only on a condition ('should resign if
the claims are true') is not asserted."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extraction.candidates import Arg, Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class ResignationCallRule(Rule):
    """The one called on to resign, quit or apologise is criticised by the one who calls."""

    name = "call-to-resign"
    version = "1"
    kinds = ("call-to-resign",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        calls = ctx.vocab.resignation_calls
        if token.pos_ in ("VERB", "AUX") and (_act(token) in calls["acts"] or _act(token) in calls.get("passive_acts", ())
                                              and any(c.dep_ == "auxpass" for c in token.children)):
            return _called_to_act(ctx, token)
        if token.pos_ == "NOUN" and token.lemma_.lower() in calls["nouns"]:
            return _called_for_noun(ctx, token)
        if token.pos_ == "NOUN" and token.lemma_.lower() in calls["call_nouns"] and token.dep_ == "dobj":
            return _faced_call(ctx, token)
        return []


def _act(verb: Token) -> str:
    """The act with its particle: "step down", and "step aside" or "drop out of", whose particle the parse reads
    as an adverb or a preposition."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"
                     or c.dep_ in ("advmod", "prep") and c.i == verb.i + 1 and c.lower_ in ("aside", "down", "back", "out")), None)
    return f"{verb.lemma_.lower()} {particle}" if particle else verb.lemma_.lower()


def _called_to_act(ctx: DocContext, act: Token) -> list[Candidate]:
    calls, caller = ctx.vocab.resignation_calls, act.head
    lemma, call = caller.lemma_.lower(), _call_noun(ctx, caller)
    if act.dep_ == "ccomp" and (lemma in ctx.vocab.speech_verbs or lemma in calls["opinion_verbs"]):
        # "X said Y should resign": a modal in the reported clause makes it a call
        if not any(c.dep_ == "aux" and c.lower_ in calls["modals"] for c in act.children):
            return []
        targets = ctx.args_of_deps(act, ("nsubj",))
        if any(c.dep_ == "nsubj" and c.pos_ == "PRON" for c in act.children):
            # "X told Y that he should resign": the one told is the one who should go
            targets = ctx.args_of_deps(caller, ("dobj", "dative")) or targets
    elif act.dep_ in ("acl", "xcomp", "advcl") and caller.pos_ == "NOUN" and lemma in calls["call_nouns"]:
        return _owned_call(ctx, act, caller)
    elif act.dep_ in ("xcomp", "advcl") and call is not None:
        targets = ctx.prep_args(call, ["for", "on"])  # "joined calls for Y to step down", "renewed his call for Y to quit"
    elif act.dep_ in ("xcomp", "ccomp", "advcl") and lemma in calls["calling_verbs"] and not any(
            c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in act.children):  # "asked whether Y would resign"
        preps = calls["calling_verbs"][lemma]
        # "urged Y to quit", "called on Y to resign", "called for Y to step down"
        targets = ctx.args_of_deps(caller, ("dobj",)) or ctx.prep_args(caller, preps) or ctx.args_of_deps(act, ("nsubj", "nsubjpass"))
    else:
        return []
    if _conditional(ctx, act) or not ctx.asserted(caller):
        return []
    callers = ctx.subjects(caller)
    if call is not None and lemma in calls["echoing_verbs"]:
        callers += ctx.args_of_deps(call, ("poss",))  # "Z backed X's call for Y to quit": X called first
    return ctx.pairs(callers, "CRITICIZED", targets, caller, "call-to-resign", [], lemma=_act(act))


def _owned_call(ctx: DocContext, act: Token, call: Token) -> list[Candidate]:
    """'X's call for Y to resign', and those who echo it: 'X's call for Y to quit was echoed by Z'."""
    if _conditional(ctx, act) or not ctx.asserted(call):
        return []
    callers = ctx.args_of_deps(call, ("poss",))
    verb = call.head
    if verb.pos_ == "VERB" and verb.lemma_.lower() in ctx.vocab.resignation_calls["echoing_verbs"]:
        callers += ctx.subjects(verb) if call.dep_ == "dobj" else (
            ctx.prep_args(verb, ["by"], deps=("agent", "prep")) if call.dep_ == "nsubjpass" else [])
    targets = ctx.prep_args(call, ["for", "on"]) or ctx.args_of_deps(act, ("nsubj",))
    return ctx.pairs(callers, "CRITICIZED", targets, call, "call-to-resign", [], lemma=_act(act))


def _call_noun(ctx: DocContext, verb: Token) -> Token | None:
    """The call the verb makes or joins: "calls" in "joined calls for Y to go"."""
    return next((c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in ctx.vocab.resignation_calls["call_nouns"]),
                None)


def _faced_call(ctx: DocContext, call: Token) -> list[Candidate]:
    """'Y faced calls from X to resign': the one who faces the call is called on by those it comes from."""
    verb, acts = call.head, ctx.vocab.resignation_calls["acts"]
    if verb.lemma_.lower() not in ctx.vocab.converse_verbs or not ctx.asserted(verb):
        return []
    act = next((t for t in verb.subtree if t.i > call.i and t.pos_ == "VERB" and _act(t) in acts), None)
    if act is None or _conditional(ctx, act):
        return []
    callers = ctx.prep_args(call, ["from"]) or ctx.prep_args(act, ["from"])
    return ctx.pairs(callers, "CRITICIZED", ctx.subjects(verb), verb, "call-to-resign", [], lemma=_act(act))


def _called_for_noun(ctx: DocContext, noun: Token) -> list[Candidate]:
    """'demanded Y's resignation', 'called for the resignation of Y'."""
    caller = ctx.governing_verb(noun)
    calling = ctx.vocab.resignation_calls["calling_verbs"]
    if caller is None or caller.lemma_.lower() not in calling or not ctx.asserted(caller):
        return []
    owners: list[Arg] = ctx.args_of_deps(noun, ("poss",)) or ctx.prep_args(noun, ["of", "from"]) or (
        ctx.prep_args(caller, ["from"]) if noun.dep_ == "dobj" else [])  # "demanded an apology from Y"
    return ctx.pairs(ctx.subjects(caller), "CRITICIZED", owners, caller, "call-to-resign", [], lemma=noun.lemma_.lower())


def _conditional(ctx: DocContext, act: Token) -> bool:
    """'should resign if the claims are true': a condition on the act itself."""
    return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ctx.vocab.conditions for m in c.children)
               for c in act.children)
