"""Reading the DSE format (Park, Pan and Joo 2021): a sentence with two bracketed entities.

Each line is tab-separated: the sentence with `[p]` first and `[q]` second,
then p, q and the label (0 neutral, 1 p positive to q, 2 q positive to p,
3 p negative to q, 4 q negative to p). Brackets may cut a word (`[Trump’]s`),
so a mention maps to the tokens its characters touch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from kg.records import SourceError

#: Class names in label order.
LABELS = ("neutral", "p positive to q", "q positive to p", "p negative to q", "q negative to p")
NEUTRAL, P_POS_Q, Q_POS_P, P_NEG_Q, Q_NEG_P = range(5)
POSITIVE = (P_POS_Q, Q_POS_P)
NEGATIVE = (P_NEG_Q, Q_NEG_P)

_BRACKETED = re.compile(r"\[([^\[\]]*)\]")

Span = tuple[int, int]


@dataclass(frozen=True)
class DSEExample:
    """One labelled pair: the plain sentence and the character spans of p and q in it."""

    text: str
    p: Span
    q: Span
    label: int
    #: Where the example came from ("path:line"), for messages.
    origin: str = ""

    @property
    def p_name(self) -> str:
        return self.text[self.p[0]:self.p[1]]

    @property
    def q_name(self) -> str:
        return self.text[self.q[0]:self.q[1]]


def parse_line(line: str) -> DSEExample:
    """One DSE line as an example; ValueError says what is wrong with it."""
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != 4:
        raise ValueError(f"expected 4 tab-separated fields, found {len(fields)}")
    bracketed, _p, _q, label = fields
    if label.strip() not in {"0", "1", "2", "3", "4"}:
        raise ValueError(f"label must be 0-4, found {label!r}")
    spans: list[Span] = []
    text = []
    last = 0
    for match in _BRACKETED.finditer(bracketed):
        text.append(bracketed[last:match.start()])
        start = sum(map(len, text))
        text.append(match.group(1))
        spans.append((start, start + len(match.group(1))))
        last = match.end()
    text.append(bracketed[last:])
    if len(spans) != 2 or any(start == end for start, end in spans):
        raise ValueError(f"expected two non-empty [bracketed] entities, found {len(spans)}")
    plain = "".join(text)
    if "[" in plain or "]" in plain:
        raise ValueError("unbalanced brackets")
    return DSEExample(plain, spans[0], spans[1], int(label))


def read_dse(path: str | Path) -> Iterator[DSEExample | SourceError]:
    """The examples of a DSE file in order; a bad line is a SourceError naming it, and reading goes on."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                example = parse_line(line)
            except ValueError as exc:
                yield SourceError(str(path), number, str(exc))
                continue
            yield DSEExample(example.text, example.p, example.q, example.label, f"{path}:{number}")


def token_span(doc: Doc, chars: Span) -> Span | None:
    """The tokens [start, end) covering the characters, expanded to whole tokens."""
    span = doc.char_span(chars[0], chars[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span.start, span.end


# -- scoring ---------------------------------------------------------------------


@dataclass(frozen=True)
class ClassScore:
    """Precision, recall and F1 of a group of classes, a prediction counting only with its direction."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    predicted: int
    gold: int

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "true_positives": self.true_positives, "predicted": self.predicted, "gold": self.gold}


@dataclass(frozen=True)
class DSEScore:
    negative: ClassScore
    positive: ClassScore
    macro_f1: float
    #: confusion[gold][predicted], five by five.
    confusion: tuple[tuple[int, ...], ...]

    @property
    def count(self) -> int:
        return sum(map(sum, self.confusion))

    def as_dict(self) -> dict:
        return {"pairs": self.count, "negative": self.negative.as_dict(), "positive": self.positive.as_dict(),
                "macro_f1": round(self.macro_f1, 4), "confusion": [list(row) for row in self.confusion],
                "labels": list(LABELS)}

    def lines(self) -> list[str]:
        """A plain-text report: the two groups, the macro F1 and the confusion matrix."""
        out = [f"pairs: {self.count}"]
        for name, group in (("negative (3+4)", self.negative), ("positive (1+2)", self.positive)):
            out.append(f"{name}: P {group.precision:.3f}  R {group.recall:.3f}  F1 {group.f1:.3f}"
                       f"  (tp {group.true_positives}, predicted {group.predicted}, gold {group.gold})")
        out.append(f"5-class macro F1: {self.macro_f1:.3f}")
        out.append("confusion (rows gold, columns predicted):")
        out.append("gold\\pred " + "".join(f"{c:>7}" for c in range(len(LABELS))))
        for label, row in enumerate(self.confusion):
            out.append(f"{label:>9} " + "".join(f"{n:>7}" for n in row))
        return out


def _f1(tp: int, predicted: int, gold: int) -> ClassScore:
    precision = tp / predicted if predicted else 0.0
    recall = tp / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return ClassScore(precision, recall, f1, tp, predicted, gold)


def group_score(gold: Sequence[int], predicted: Sequence[int], classes: Sequence[int]) -> ClassScore:
    tp = sum(1 for g, p in zip(gold, predicted) if p in classes and p == g)
    return _f1(tp, sum(1 for p in predicted if p in classes), sum(1 for g in gold if g in classes))


def score(gold: Sequence[int], predicted: Sequence[int]) -> DSEScore:
    """DSE figures for predicted labels against gold ones, pair by pair."""
    if len(gold) != len(predicted):
        raise ValueError("gold and predicted labels differ in number")
    confusion = [[0] * len(LABELS) for _ in LABELS]
    for g, p in zip(gold, predicted):
        confusion[g][p] += 1
    per_class = [group_score(gold, predicted, (label,)).f1 for label in range(len(LABELS))]
    return DSEScore(group_score(gold, predicted, NEGATIVE), group_score(gold, predicted, POSITIVE),
                    sum(per_class) / len(per_class), tuple(tuple(row) for row in confusion))
