"""Agent nouns: "X, a longtime donor to Y", "X is a critic of Y", "the largest contributors to Y were X and Z",
"X, a Y supporter"."""

from __future__ import annotations

from spacy.tokens import Token
from kg.extraction.candidates import Arg, Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class AgentNounRule(Rule):
    """A noun naming the one who acts ("donor", "critic") and the entity it is of or to."""

    name = "agent-noun"
    version = "1"
    kinds = ("agent-noun",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN" and lemma in ctx.vocab.agent_nouns and not (lemma in ctx.vocab.nouns and token.dep_ != "compound"):
            return _read_agent_noun(ctx, token, ctx.vocab.agent_nouns[lemma])
        return []


def _read_agent_noun(ctx: DocContext, noun: Token, entry: dict) -> list[Candidate]:
    """'X, a longtime donor to Y', 'X is a critic of Y', 'the largest contributors to Y were X and Z'."""
    if not ctx.asserted(noun):
        return []
    objects = (ctx.args_of_deps(noun, ("poss",)) or ctx.prep_args(noun, entry["object_preps"])
               or _shared_with_conjunct(ctx, noun, entry["object_preps"])
               or ctx.surface_args(noun.i + 1, entry["object_preps"]) or _named_before(ctx, noun, entry["object_preps"]))
    if not objects:
        return []
    agents = []
    if noun.dep_ == "appos" or noun.dep_ == "compound" and noun.head.pos_ == "PROPN":
        agents = ctx.resolve(noun.head)  # "X, a Y critic", "frequent Y critic X"
    else:
        own = {t.i for t in noun.subtree}
        copula = noun
        while copula.dep_ in ("attr", "nsubj", "pobj", "prep") and copula.head.i != copula.i:
            copula = copula.head  # "X is one of the biggest backers of Y", "among the donors to Y were X"
            if copula.lemma_ in ("be", "become", "remain"):
                agents = [a for a in ctx.args_of_deps(copula, ("nsubj", "attr")) if a.at not in own]
                break
            if copula.dep_ == "appos" and copula.lower_ == "one":  # "X, one of Y's fiercest critics"
                agents = ctx.resolve(copula.head)
                break
    predicate = entry["predicate"]
    if "financial" in entry and any(c.dep_ == "amod" and c.lower_ == "financial" for c in noun.children):
        predicate = entry["financial"]  # "one of Y's biggest financial backers"
    candidates = []
    for agent in agents:
        money = ctx.money_for(ctx.doc[agent.at], own_clauses=True)
        candidates += ctx.pairs([agent], predicate, objects, noun, "agent-noun", money)
    return candidates


def _named_before(ctx: DocContext, noun: Token, preps: list[str]) -> list[Arg]:
    """'a Y supporter', 'a longtime Y donor': a person or body named just before the noun is its object,
    unless the noun names another one ("a Labour critic of the budget" is no critic of Labour)."""
    if any(c.dep_ == "prep" and c.lower_ in preps for c in noun.children):
        return []
    return [a for a in ctx.named_before(noun) if a.cluster.type in ("PERSON", "ORG")]


def _shared_with_conjunct(ctx: DocContext, noun: Token, preps: list[str]) -> list[Arg]:
    """'a loyal supporter and senior adviser to Y': the object after the last of two joined nouns is both's
    (the parse hangs it on either noun)."""
    joined = [c for c in noun.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    if not joined:
        return []
    return [a for head in (noun, *joined) for a in ctx.prep_args(head, [*preps, "to"])]
