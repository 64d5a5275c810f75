"""Telegraphic headlines: 'Pryce slams Tolland over tax plan', 'Tolland ally Pryce campaigns for Baird'.

The small model parses headline English badly (it reads "slams" as a noun and a name as a verb), so
the headline is read on its surface: a name of the article, a verb of the lexicon in the headline's
present tense, its particle and preposition if it takes them, and a second name. A headline word
that is no mention of its own stands for the article's entity it is a surname or short form of.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extraction.candidates import Arg, Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule
from kg.mentions import Cluster


class HeadlineRule(Rule):
    """A name, a present-tense verb of the lexicon and a name, read on the headline's surface."""

    name = "headline"
    version = "1"
    kinds = ("headline",)

    def after(self, ctx: DocContext) -> list[Candidate]:
        headline, end = ctx.headline, ctx.headline.end
        candidates = []
        for verb in headline:
            stem, entry = _entry(ctx, verb)
            if entry is None or verb.i == 0:
                continue
            subject = _entity_at(ctx, headline, verb.i - 1)
            at = verb.i + 1
            particles = entry.get("particle") or []
            particles = [particles] if isinstance(particles, str) else particles
            if particles:
                if at >= end or ctx.doc[at].lower_ not in particles:
                    continue
                at += 1
            preps = entry.get("object_preps", [])
            if at < end and ctx.doc[at].lower_ in preps:
                at += 1
            elif entry.get("direct_object", True) is False:
                continue
            obj, after = _entity_at(ctx, headline, at), _after_name(ctx, headline, at)
            if after < end and ctx.doc[after].lower_ in ("'s", "’s"):
                # "berates Harbor's Tolland": the one named after the owner; "slams Tolland's plan": the owner
                named = _entity_at(ctx, headline, after + 1)
                obj, after = (named, _after_name(ctx, headline, after + 1)) if named is not None and named.type == "PERSON" \
                    else (obj, end)
            if subject is None or obj is None or subject is obj or _modifies(ctx, headline, after):
                continue
            candidates += ctx.pairs([Arg(subject, False, verb.i - 1)], entry["predicate"], [Arg(obj, False, at)],
                                    verb, "headline", [], lemma=stem)
        return candidates


def _stem(ctx: DocContext, token: Token) -> str | None:
    """The lexicon verb a headline's present tense writes: "slams", "backs", "pushes", "decries"."""
    if token.is_title and token.i > 0 or not token.is_alpha or not token.lower_.endswith("s"):
        return None
    lower = token.lower_
    for stem in (lower[:-1], lower[:-2] if lower.endswith("es") else None,
                 lower[:-3] + "y" if lower.endswith("ies") else None):
        if stem and stem in ctx.vocab.verbs:
            return stem
    return None


def _entry(ctx: DocContext, token: Token) -> tuple[str | None, dict | None]:
    """The verb and its lexicon entry, when the headline word is one this rule reads: not a converse verb
    ("receives") nor one that must state money ("gives")."""
    stem = _stem(ctx, token)
    entry = ctx.vocab.verbs.get(stem) if stem else None
    if entry is None or entry.get("converse") or entry.get("requires_money"):
        return stem, None
    return stem, entry


def _after_name(ctx: DocContext, headline: Span, i: int) -> int:
    """The first word after the name at `i`."""
    index = ctx.entities.token_cluster.get(i)
    i += 1
    while index is not None and i < headline.end and ctx.entities.token_cluster.get(i) == index:
        i += 1
    return i


def _modifies(ctx: DocContext, headline: Span, i: int) -> bool:
    """'supports Harbor Party tax bill': a name before a lower-case noun only describes it."""
    return i < headline.end and ctx.doc[i].is_lower and ctx.doc[i].is_alpha and ctx.doc[i].pos_ in ("NOUN", "ADJ", "PROPN")


def _entity_at(ctx: DocContext, headline: Span, i: int) -> Cluster | None:
    """The entity a headline word at `i` names: a mention, or the surname or short form of one named in the text."""
    if not headline.start <= i < headline.end:
        return None
    found = ctx.entities.at(ctx.doc[i])
    if found is not None:
        return found if ctx.doc[i].pos_ != "PRON" else None
    token = ctx.doc[i]
    if not token.is_title or not token.is_alpha:
        return None
    matches = {id(c): c for c in ctx.entities.clusters if _called(c, token.text)}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _called(cluster: Cluster, word: str) -> bool:
    forms = {cluster.name, *cluster.aliases}
    return word in forms or cluster.type == "PERSON" and any(form.split()[-1] == word for form in forms)
