"""Quotations: a speaker's quote that attacks or backs its one named target ('"... a disaster," X said of Y'),
and a quotation standing alone, credited to the speaker or subject of the sentence before it."""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Span, Token
from kg.extraction.candidates import Arg, Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class QuoteRule(Rule):
    """A speech verb whose quotation holds an attack or endorsement cue."""

    name = "quote"
    version = "1"
    kinds = ("quote-attack", "quote-endorse")

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        if token.pos_ != "VERB" or token.lemma_.lower() not in ctx.vocab.speech_verbs:
            return []
        return (_read_quoted(ctx, token, ctx.vocab.attack_cues, "CRITICIZED", "quote-attack")
                + _read_quoted(ctx, token, ctx.vocab.endorsement_cues, "ENDORSES", "quote-endorse"))


class ContextQuoteRule(Rule):
    """A quotation that is whole sentences of its own, credited to the sentence before."""

    name = "quote-context"
    version = "1"
    kinds = ("quote-context",)

    def after(self, ctx: DocContext) -> list[Candidate]:
        return _read_context_quotes(ctx) if ctx.quotations else []


def _read_quoted(ctx: DocContext, verb: Token, cues: re.Pattern, predicate: str, rule: str) -> list[Candidate]:
    """'"..., a disaster," X said of Y', '"I'm voting for Y," X said': a quote whose cue attacks or
    backs the quote's one named target (or the 'said of' object).

    The quote is every quotation the verb's sentence holds part of, also where it began in
    an earlier sentence ('"Y is unfit. He lied," X said').
    """
    sent = verb.sent
    quote = ctx.quotes_by_sentence.get(sent.start)
    if quote is None:
        quote = ctx.quotes_by_sentence[sent.start] = [
            ctx.doc[i] for start, end in ctx.quotations if start < sent.end and end > sent.start for i in range(start, end)]
    if not quote or not _cue_asserted(ctx, quote, cues) or not ctx.asserted(verb):
        return []
    speakers = ctx.subjects(verb)
    targets = ctx.prep_args(verb, ["of", "about"]) or _quoted_targets(ctx, quote, speakers, predicate) or \
        _reported_subject(ctx, verb) or _referent(ctx, sent, speakers)
    return ctx.pairs(speakers, predicate, targets, verb, rule, None)


def _read_context_quotes(ctx: DocContext) -> list[Candidate]:
    """'X was blunt on Monday. "Y is a disgrace."': a quotation that stands alone as whole sentences
    is the word of the one the sentence before is about, or of that sentence's speaker
    ('"...," she said. "Y should resign."')."""
    doc, candidates = ctx.doc, []
    for start, end in ctx.quotations:
        first, last = doc[start].sent, doc[end - 1].sent
        if first.start == 0 or any(not (start <= i < end) and not (doc[i].is_punct or doc[i].is_space)
                                   for i in range(first.start, last.end)):
            continue
        previous = doc[first.start - 1].sent
        speakers, verb = _context_speakers(ctx, previous)
        if not speakers:
            continue
        quote = list(doc[start:end])
        for cues, predicate in ((ctx.vocab.attack_cues, "CRITICIZED"), (ctx.vocab.endorsement_cues, "ENDORSES")):
            if _cue_asserted(ctx, quote, cues):
                targets = _quoted_targets(ctx, quote, speakers, predicate)
                candidates += ctx.pairs(speakers, predicate, targets, doc[start], "quote-context", None,
                                          lemma=verb.lemma_.lower())
    return candidates


def _quoted_targets(ctx: DocContext, quote: list[Token], speakers: list[Arg], predicate: str) -> list[Arg]:
    """The one entity the quote names besides its speakers; an attack's target must be what the quote speaks of."""
    named = ctx.quoted_names(quote, exclude={a.cluster.name for a in speakers})
    return [a for a in named if _spoken_of(ctx, a)] if predicate == "CRITICIZED" else named


#: How a name inside a subject hangs on its way up to it: "the arrogance of the Y leadership", "Y's proposals".
_INSIDE_A_NOUN_PHRASE = {"poss", "pobj", "compound", "appos", "conj", "cc", "amod", "nmod", "case"}


def _spoken_of(ctx: DocContext, arg: Arg) -> bool:
    """Is the name a quote attacks what the quote speaks of: a subject, or inside one ("Y's plans are a
    shambles", "the arrogance of Y is breathtaking")? A name the quote only mentions on the way ("disastrous
    for Y", "a hole in Y's accounts", "make Y less accountable") is not its target."""
    token = ctx.doc[arg.at]
    while token.head.i != token.i and ctx.entities.token_cluster.get(token.head.i) == ctx.entities.token_cluster.get(token.i):
        token = token.head  # the head of the name itself
    faulted = [token, token.head] if token.dep_ in ("poss", "compound", "amod", "nmod") else [token]
    if any(c.dep_ == "amod" and c.i < noun.i and ctx.vocab.attack_cues.search(c.text) for noun in faulted for c in noun.children):
        return True  # "a failed Tory past", "Y's reckless plans": the fault is found with Y or what is Y's
    while token.head.i != token.i:
        if token.dep_ in ("nsubj", "nsubjpass", "attr") or token.dep_ == "pobj" and token.head.lower_ == "than":
            return True  # "nobody has done more damage than Y": the one compared is the one spoken of
        if token.dep_ not in _INSIDE_A_NOUN_PHRASE and not (token.dep_ == "prep" and token.head.pos_ in ("NOUN", "PROPN")):
            return False
        token = token.head
    return False


def _reported_subject(ctx: DocContext, verb: Token) -> list[Arg]:
    """'X told voters that Y had "forgotten where he came from"': the reported clause's subject, when the quote completes it."""
    return [a for c in verb.children if c.dep_ == "ccomp" and any(t.i in ctx.quoted for t in c.subtree)
            for a in ctx.args_of_deps(c, ("nsubj",)) if not a.pronoun]


def _referent(ctx: DocContext, sent: Span, speakers: list[Arg]) -> list[Arg]:
    """'"... cowardly," X said. X was referring to Y's vote': whom the speaker says the quote is about,
    in the quote's sentence or the next one (a thing of Y's stands for Y)."""
    if not speakers or not ctx.vocab.reference_verbs:
        return []
    who = {id(a.cluster) for a in speakers}
    end = ctx.doc[sent.end].sent.end if sent.end < len(ctx.doc) else sent.end
    for token in ctx.doc[sent.start:end]:
        preps = ctx.vocab.reference_verbs.get(token.lemma_.lower())
        if preps is None or token.pos_ != "VERB" or not ctx.asserted(token) or \
                not who & {id(a.cluster) for a in ctx.subjects(token)}:
            continue
        found = ctx.prep_args(token, preps) or ctx.owners(token, preps, direct=False)
        if found:
            return found
    return []


def _cue_asserted(ctx: DocContext, quote: list[Token], cues: re.Pattern) -> bool:
    """Does a sentence of the quote hold a cue, not negated ("I never said X was corrupt") nor asked?"""
    if ctx.sentence_starts is None:
        ctx.sentence_starts = [s.start for s in ctx.entities.sentences]
    by_sentence: dict[int, list[Token]] = {}
    for token in quote:
        by_sentence.setdefault(bisect_right(ctx.sentence_starts, token.i), []).append(token)
    for tokens in by_sentence.values():
        text = " ".join(t.text for t in tokens)
        match = cues.search(text)
        if match is None or text.rstrip().endswith("?"):
            continue
        # a negator the cue itself holds ("has no idea") negates nothing
        own = sum(w.lower() in ctx.vocab.negators for w in match.group(0).split())
        if sum(t.lower_ in ctx.vocab.negators for t in tokens) <= own:
            return True
    return False


def _context_speakers(ctx: DocContext, sentence: Span) -> tuple[list[Arg], Token | None]:
    """Who a quotation after this sentence is by: its speech verb's subject, else (when it quotes nobody) its subject."""
    for token in sentence:
        if token.pos_ == "VERB" and token.lemma_.lower() in ctx.vocab.speech_verbs and token.i not in ctx.quoted:
            return ctx.subjects(token), token
    root = sentence.root
    if any(t.i in ctx.quoted for t in sentence) or root.pos_ not in ("VERB", "AUX") or not ctx.asserted(root):
        return [], None
    return ctx.args_of_deps(root, ("nsubj", "nsubjpass")), root
