"""Money expressions in a doc: the amount, its value and currency, where it stands."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc

#: Money words as data: a currency written before the number (symbol or code), a scale after it, a currency word after that.
CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "rs": "INR", "rs.": "INR", "₹": "INR", "inr": "INR",
              "r": "ZAR", "zar": "ZAR", "dollars": "USD", "euros": "EUR", "pounds": "GBP", "rupees": "INR", "rand": "ZAR"}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "b": 1e9, "bn": 1e9, "trillion": 1e12,
          "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7}
CURRENCY_WORDS = ("dollars", "euros", "pounds", "rupees", "rand")
#: Scales that may follow a currency word of letters only ("Rs 5 lakh"), not single letters ("Rs 5 m" is rare, "INR 5 b" no).
WORD_SCALES = [s for s in SCALES if len(s) > 2]


def _alternation(words: Iterable[str]) -> str:
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


MONEY = re.compile(
    rf"(?P<currency>{_alternation(c for c in CURRENCIES if c not in CURRENCY_WORDS and not c[0].isalpha())}"
    rf"|\b(?:{_alternation(c for c in CURRENCIES if c not in CURRENCY_WORDS and c[0].isalpha())})(?=[\s\d]))"
    rf"\s?(?P<number>\d[\d,]*(?:\.\d+)?)"
    rf"(?:\s?(?P<scale>{_alternation(SCALES)})\b)?"
    rf"|(?P<number2>\d[\d,]*(?:\.\d+)?)\s?(?P<scale2>{_alternation(WORD_SCALES)})?\s?(?P<word>{_alternation(CURRENCY_WORDS)})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Money:
    text: str
    value: float | None
    currency: str | None
    start: int
    end: int


def find_money(doc: Doc) -> list[Money]:
    """Money expressions by pattern: the NER often drops the "$" or splits the span."""
    found = []
    for match in MONEY.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        number = match.group("number") or match.group("number2")
        scale = (match.group("scale") or match.group("scale2") or "").lower()
        currency = (match.group("currency") or match.group("word") or "").lower()
        try:
            value = float(number.replace(",", "")) * SCALES.get(scale, 1)
        except ValueError:
            value = None
        found.append(Money(match.group(0).strip(), value, CURRENCIES.get(currency), span.start, span.end))
    return found


def nearest(money: list[Money], at: int) -> Money | None:
    """Of the amounts a trigger states, the one written nearest the recipient ("$500 to A and $250 to B")."""
    return min(money, key=lambda m: m.start - at if m.start > at else at - m.end, default=None)
