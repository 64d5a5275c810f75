"""What rules hand on: an entity filling a role, and a candidate relation with its evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from spacy.tokens import Span

from kg.extraction.money import Money
from kg.mentions import Cluster


class Arg(NamedTuple):
    """An entity filling a role, where in the doc it was found, and whether a pronoun led to it."""

    cluster: Cluster
    pronoun: bool
    at: int


@dataclass
class Candidate:
    subject: Cluster
    predicate: str
    object: Cluster
    sentence: Span
    rule: str
    confidence: float
    money: Money | None
