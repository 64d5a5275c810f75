"""What every extraction rule is: a name, a version, the kinds it writes into Relation.rule, and two hooks."""

from __future__ import annotations

from spacy.tokens import Token

from kg.extraction.candidates import Candidate
from kg.extraction.context import DocContext


class Rule:
    """A rule reads a per-document context: `at` each token in order, `after` once the tokens are read.

    Rules keep no state between documents; a subclass overrides the hook it needs.
    """

    name: str = ""
    version: str = "1"
    kinds: tuple[str, ...] = ()

    def at(self, token: Token, ctx: DocContext) -> list[Candidate]:
        return []

    def after(self, ctx: DocContext) -> list[Candidate]:
        return []
