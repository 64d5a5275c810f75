"""Reported attacks: 'X said Y had deceived the public', 'X said the party's figures do not add up':
a speaker's reported clause whose subject (or the owner of its subject) is an entity and whose
words find fault with it."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extraction.candidates import Arg, Candidate
from kg.extraction.context import DocContext
from kg.extraction.rule import Rule


class ReportedAttackRule(Rule):
    """A speech verb, a reported clause about a named entity, and a fault-finding word in that clause."""

    name = "reported-attack"
    version = "1"
    kinds = ("reported-attack",)

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        if token.pos_ != "VERB" or token.lemma_.lower() not in ctx.vocab.speech_verbs or not ctx.asserted(token):
            return []
        speakers = ctx.subjects(token)
        candidates = []
        # "said A, and that B": a clause joined to the reported one is reported too
        clauses = [c for child in token.children if child.dep_ == "ccomp" for c in [child, *(
            j for j in child.conjuncts if any(m.dep_ == "mark" and m.lower_ == "that" for m in j.children))]]
        for clause in clauses:
            if clause.pos_ not in ("VERB", "AUX") or _another_report(ctx, clause):
                continue
            targets = _about(ctx, clause)
            if targets and _finds_fault(ctx, clause):
                candidates += ctx.pairs(speakers, "CRITICIZED", targets, token, "reported-attack", [])
        return candidates


def _another_report(ctx: DocContext, clause: Token) -> bool:
    """'X said A and Y said B': the parse may hang Y's report on X's; what Y says is not X's."""
    before = clause.left_edge.i - 1
    return clause.lemma_.lower() in ctx.vocab.speech_verbs and before >= 0 \
        and ctx.doc[before].lower_ in ("and", "but", "while", "whereas")


def _about(ctx: DocContext, clause: Token) -> list[Arg]:
    """Whom the reported clause is about: its subject, or the owner of its subject ('Y's sums').

    A description counts ("said the chancellor was wrong"); a pronoun does not, since "X said he
    was wrong" is as often about the speaker, nor a number of a group's people."""
    found = []
    for subject in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
        if any(c.dep_ == "nummod" for c in subject.children):
            continue  # "said 40 Britons were hurt": people counted, not the group
        found += [a for a in ctx.resolve(subject) if _named(ctx, a)] or [
            a for c in subject.children if c.dep_ == "poss" for a in ctx.resolve(c) if _named(ctx, a)] or ctx.earlier_owner(subject)
    return found


def _named(ctx: DocContext, arg: Arg) -> bool:
    """A name, or a description of one entity ("the chancellor", not "the companies")."""
    return not arg.pronoun or ctx.doc[arg.at].pos_ != "PRON" and ctx.doc[arg.at].tag_ not in ("NNS", "NNPS")


def _finds_fault(ctx: DocContext, clause: Token) -> bool:
    """A fault-finding phrase in the clause ("do not add up"), or a fault-finding word in a clause
    that is not negated ("did not deceive") nor hedged or conditional.

    A word counts only where it speaks of the clause's own subject: not negated on its way up
    ("are not racist"), not a modifier of another noun ("disaster aid"), and not inside a relative
    clause about someone else ("emails involving Z, an adviser who admitted lying")."""
    text = " ".join(t.lower_ for t in clause.subtree)
    if ctx.vocab.names_fault(text):
        return True
    words = ctx.vocab.fault_words
    if ctx.blocked_by_children(clause):
        return False
    subjects = {c.i for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")}
    return any((t.lemma_.lower() in words or t.lower_ in words) and _speaks_of_subject(ctx, t, clause, subjects)
               for t in clause.subtree)


def _speaks_of_subject(ctx: DocContext, word: Token, clause: Token, subjects: set[int]) -> bool:
    if word.dep_ == "compound":
        return False
    node = word
    while node.i != clause.i:
        if node.i != word.i and ctx.blocked_by_children(node):
            return False
        if node.dep_ == "relcl" and node.head.i not in subjects:
            return False
        node = node.head
    return True
