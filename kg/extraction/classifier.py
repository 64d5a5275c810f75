"""A learned classifier of directed sentiment between two entity mentions in a parsed Doc.

Rules find what they are written for; real news carries most criticism and
praise in wordings no rule lists. This classifier was fitted on DSE (Park,
Pan and Joo 2021, see models/README.md) with scikit-learn, but runs on numpy
alone: the fitted weights ship as a vocabulary of string features and a
coefficient matrix, so loading needs no pickle and no training library.

Classes follow DSE: 0 neutral, 1 p positive to q, 2 q positive to p,
3 p negative to q, 4 q negative to p, where p is the first mention.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Span, Token

from kg.extraction.dse import NEGATIVE, POSITIVE

Pair = tuple[tuple[int, int], tuple[int, int]]

MODEL_NAME = "relations-dse"
MODEL_VERSION = "1"
MODEL_FILE = f"{MODEL_NAME}-v{MODEL_VERSION}.npz"
CUES_FILE = "sentiment-cues.json"

#: Entity types kept as placeholders when another entity sits in the sentence.
_ENTITY_TYPES = {"PERSON", "ORG", "NORP", "GPE", "FAC", "LOC", "EVENT", "LAW", "WORK_OF_ART", "PRODUCT"}
_QUOTES = {'"', "“", "”", "‘", "’", "'", "``", "''"}
_MAX_PATH = 8


@lru_cache(maxsize=1)
def models_dir() -> Path:
    return Path(str(resources.files("kg.extraction") / "models"))


@lru_cache(maxsize=1)
def load_cues() -> dict[str, frozenset[str]]:
    """Cue lemmas by kind (negative, positive, say, shift) from the packaged JSON file."""
    data = json.loads((models_dir() / CUES_FILE).read_text(encoding="utf-8"))
    return {kind: frozenset(words) for kind, words in data.items() if not kind.startswith("_")}


# -- features --------------------------------------------------------------------


class _Window:
    """The sentences holding a pair, with each token's attributes read once for all its pairs."""

    def __init__(self, doc: Doc, start: int, end: int):
        self.start, self.end = start, end
        #: Lemmas as features see them: numbers and named entities as markers.
        self.lemma: list[str] = []
        #: Entity IOB tags, to collapse a multi-token entity into one marker.
        self.iob: list[str] = []
        #: Whether an odd number of quote marks opens before each token.
        self.quoted: list[bool] = []
        lemmas = set()
        marks = 0
        for token in doc[start:end]:
            self.quoted.append(marks % 2 == 1)
            marks += _is_quote_mark(token)
            lemma = token.lemma_.lower()
            lemmas.add(lemma)
            if token.like_num:
                self.lemma.append("<NUM>")
            elif token.ent_type_ in _ENTITY_TYPES:
                self.lemma.append(f"<{token.ent_type_}>")
            else:
                self.lemma.append(lemma)
            self.iob.append(token.ent_iob_)
        kinds_of = _cue_kinds()
        #: Cue kinds of any word in the window.
        self.cue_kinds = {kind for lemma in lemmas for kind in kinds_of.get(lemma, ())}

    @classmethod
    def around(cls, doc: Doc, p: tuple[int, int], q: tuple[int, int]) -> _Window:
        start, end = _window_bounds(doc, p, q)
        return cls(doc, start, end)


def _window_bounds(doc: Doc, p: tuple[int, int], q: tuple[int, int]) -> tuple[int, int]:
    """The sentences from p's to q's; the whole Doc when it has no sentence boundaries."""
    if not doc.has_annotation("SENT_START") and not doc.has_annotation("DEP"):
        return 0, len(doc)
    first, last = doc[p[0]].sent, doc[q[1] - 1].sent
    return min(first.start, last.start), max(first.end, last.end)


def _is_quote_mark(token: Token) -> bool:
    """A quote mark, not the apostrophe of a possessive."""
    return token.text in _QUOTES and token.lower_ != "'s" and not (
        token.text in {"’", "'"} and token.i > 0 and token.nbor(-1).whitespace_ == "" and token.dep_ == "case")


@dataclass(frozen=True)
class _Mentions:
    """The two mentions of a pair and the window they sit in."""

    doc: Doc
    p: Span
    q: Span
    window: _Window

    def marker(self, i: int) -> str | None:
        if self.p.start <= i < self.p.end:
            return "<P>"
        if self.q.start <= i < self.q.end:
            return "<Q>"
        return None


def _words(m: _Mentions, start: int, end: int) -> list[str]:
    """Lemmas of doc[start:end] (inside the window), each mention and each other entity one marker."""
    window = m.window
    words: list[str] = []
    for i in range(start, end):
        marker = m.marker(i)
        word = marker or window.lemma[i - window.start]
        if word.startswith("<") and words and words[-1] == word and (marker or window.iob[i - window.start] == "I"):
            continue
        words.append(word)
    return words


def _ngrams(prefix: str, words: Sequence[str], n_max: int) -> Iterable[str]:
    for n in range(1, n_max + 1):
        for i in range(len(words) - n + 1):
            yield f"{prefix}{n}:{' '.join(words[i:i + n])}"


def _ancestors(token: Token) -> list[Token]:
    """The token and its heads up to the root, nearest first."""
    chain = [token]
    while chain[-1].head.i != chain[-1].i and len(chain) < 64:
        chain.append(chain[-1].head)
    return chain


def _arc(token: Token) -> str:
    """The relation of a token to its head, with the preposition for a prepositional object."""
    if token.dep_ == "pobj" and token.head.dep_ in {"prep", "agent"}:
        return f"{token.head.dep_}_{token.head.lower_}"
    return token.dep_


def _role(chain: list[Token], verb: Token) -> str:
    """How the mention at chain[0] hangs under `verb`: the arc of the step just below the verb."""
    for below, above in zip(chain, chain[1:]):
        if above.i == verb.i:
            if below.dep_ in {"prep", "agent"} and chain[0].dep_ == "pobj" and chain[0].head.i == below.i:
                return f"{below.dep_}_{below.lower_}"
            if below.dep_ in {"prep", "agent"}:
                return f"{below.dep_}_{below.lower_}*"
            return below.dep_ if below.i == chain[0].i else below.dep_ + "*"
    return "self" if chain[0].i == verb.i else "-"


@lru_cache(maxsize=1)
def _cue_kinds() -> dict[str, tuple[str, ...]]:
    """Each cue lemma's kinds, for one look-up a word."""
    kinds: dict[str, tuple[str, ...]] = {}
    for kind, lemmas in load_cues().items():
        for lemma in lemmas:
            kinds[lemma] = (*kinds.get(lemma, ()), kind)
    return kinds


def _kind(lemma: str, cues: dict[str, frozenset[str]]) -> str:
    for kind in ("negative", "positive", "say"):
        if lemma in cues[kind]:
            return kind
    return "other"


def pair_features(doc: Doc, p_tokens: tuple[int, int], q_tokens: tuple[int, int],
                  window: _Window | None = None) -> list[str]:
    """The string features of one ordered pair of mentions; p comes first in the text.

    `window` is the pair's _Window when the caller keeps one for several pairs.
    """
    cues = load_cues()
    p, q = doc[p_tokens[0]:p_tokens[1]], doc[q_tokens[0]:q_tokens[1]]
    m = _Mentions(doc, p, q, window or _Window.around(doc, p_tokens, q_tokens))
    features: list[str] = ["bias", f"types:{p.root.ent_type_}|{q.root.ent_type_}"]

    # Words between the mentions and just around them, lemmatised, each entity
    # a marker. (Word n-grams over the whole sentence, as the TF-IDF baseline
    # uses, lowered the validation F1 on top of these.)
    between = _words(m, p.end, q.start)
    features += _ngrams("m", between, 3)
    features += _ngrams("b", _words(m, max(m.window.start, p.start - 4), p.start), 2)
    features += _ngrams("a", _words(m, q.end, min(m.window.end, q.end + 4)), 2)
    gap = q.start - p.end
    features.append(f"gap:{min(gap, 10) if gap < 10 else (15 if gap < 20 else 25)}")

    # Cues anywhere in the window and between the mentions.
    kinds_of = _cue_kinds()
    features += [f"cue:{kind}" for kind in m.window.cue_kinds]
    features += [f"cuem:{kind}" for kind in {k for lemma in between for k in kinds_of.get(lemma, ())}]

    # The dependency path between the mentions' heads.
    p_chain, q_chain = _ancestors(p.root), _ancestors(q.root)
    q_ids = {t.i: n for n, t in enumerate(q_chain)}
    up = next((n for n, t in enumerate(p_chain) if t.i in q_ids), None)
    if up is not None:
        top = p_chain[up]
        down = q_ids[top.i]
        rising = [_arc(t) for t in p_chain[:up]]
        falling = [_arc(t) for t in reversed(q_chain[:down])]
        arcs = "^".join(rising) + "|" + "v".join(falling)
        middle = [t for t in p_chain[1:up] + q_chain[1:down] if not (p.start <= t.i < p.end or q.start <= t.i < q.end)]
        lemmas = [t.lemma_.lower() for t in middle]
        top_lemma = top.lemma_.lower() if m.marker(top.i) is None else m.marker(top.i)
        if up + down <= _MAX_PATH:
            features.append(f"path:{arcs}")
            features.append(f"pathtop:{arcs}:{top_lemma}")
        features.append(f"pathlen:{min(up + down, _MAX_PATH + 1)}")
        features.append(f"top:{top_lemma}")
        features.append(f"topkind:{_kind(top_lemma, cues)}:{_role(p_chain, top)}|{_role(q_chain, top)}")
        features += [f"pw:{lemma}" for lemma in lemmas]
        features += [f"pwkind:{_kind(lemma, cues)}" for lemma in lemmas]
        if any(c.dep_ == "neg" for t in [top, *middle] for c in t.children):
            features.append("pathneg")
            features.append(f"pathneg:{_kind(top_lemma, cues)}")

    # Each verb or noun above either mention: its lemma (and cue kind) with how
    # each mention hangs under it ("attack" with P as subject and Q as object).
    heads = {t.i: t for t in p_chain[1:] + q_chain[1:] if m.window.start <= t.i < m.window.end}
    for head in heads.values():
        if head.pos_ not in {"VERB", "NOUN", "ADJ", "AUX", "PROPN"} or m.marker(head.i):
            continue
        lemma = head.lemma_.lower()
        roles = f"{_role(p_chain, head)}|{_role(q_chain, head)}"
        negated = any(c.dep_ == "neg" for c in head.children)
        kind = _kind(lemma, cues)
        features.append(f"gov:{lemma}:{roles}")
        features.append(f"govkind:{kind}:{roles}")
        features.append(f"govl:{lemma}")
        if negated:
            features.append(f"govneg:{kind}:{roles}")

    # Each mention's own place: its arc and its head ("X's plan", "by X").
    for name, span, chain in (("p", p, p_chain), ("q", q, q_chain)):
        root = span.root
        head = root.head
        features.append(f"{name}arc:{_arc(root)}")
        features.append(f"{name}arc:{_arc(root)}:{head.lemma_.lower()}")
        if root.dep_ == "poss":
            features.append(f"{name}owner:{_arc(head)}:{head.head.lemma_.lower()}")
            features.append(f"{name}ownerkind:{_kind(head.head.lemma_.lower(), cues)}")
        if m.window.quoted[span.start - m.window.start]:
            features.append(f"{name}quoted")
    features.append(f"arcs:{_arc(p.root)}|{_arc(q.root)}")
    return features


def decide(probabilities: np.ndarray, negative: float | None = None, positive: float | None = None) -> np.ndarray:
    """Labels from class probabilities: the most likely class, or, with thresholds, negative when
    P(3)+P(4) reaches `negative`, else positive when P(1)+P(2) reaches `positive`, else neutral;
    the direction is the likelier of the two."""
    if negative is None and positive is None:
        return probabilities.argmax(axis=1)
    labels = np.zeros(len(probabilities), dtype=int)
    p_neg = probabilities[:, list(NEGATIVE)].sum(axis=1)
    p_pos = probabilities[:, list(POSITIVE)].sum(axis=1)
    best = probabilities.argmax(axis=1)
    neg_dir = np.where(probabilities[:, NEGATIVE[0]] >= probabilities[:, NEGATIVE[1]], *NEGATIVE)
    pos_dir = np.where(probabilities[:, POSITIVE[0]] >= probabilities[:, POSITIVE[1]], *POSITIVE)
    is_neg = p_neg >= negative if negative is not None else np.isin(best, NEGATIVE)
    is_pos = p_pos >= positive if positive is not None else np.isin(best, POSITIVE)
    labels[is_pos] = pos_dir[is_pos]
    labels[is_neg] = neg_dir[is_neg]
    return labels


# -- the model -------------------------------------------------------------------


def softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


class RelationClassifier:
    """Directed sentiment between two mentions: a linear model over pair_features."""

    name = MODEL_NAME
    version = MODEL_VERSION

    def __init__(self, vocabulary: dict[str, int], coef: np.ndarray, intercept: np.ndarray, meta: dict):
        self.vocabulary = vocabulary
        self.coef = coef.astype(np.float32)
        self.intercept = intercept.astype(np.float32)
        self.meta = meta
        #: P(negative) at or above which a pair is read as negative, for the precision the card gives.
        self.thresholds: dict[str, float] = meta.get("thresholds", {})

    @classmethod
    def load(cls, path: str | Path | None = None) -> RelationClassifier:
        """The packaged model (or one saved at `path`), read once per process."""
        return _load(str(path or models_dir() / MODEL_FILE))

    @classmethod
    def read(cls, path: str | Path) -> RelationClassifier:
        """A model from its weights file, read afresh."""
        with np.load(path) as data:
            words = data["vocabulary"].tobytes().decode("utf-8").split("\n")
            meta = json.loads(data["meta"].tobytes().decode("utf-8"))
            return cls({word: n for n, word in enumerate(words)}, data["coef"], data["intercept"], meta)

    def save(self, path: str | Path) -> None:
        words = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        np.savez_compressed(
            path,
            vocabulary=np.frombuffer("\n".join(words).encode("utf-8"), dtype=np.uint8),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept,
            meta=np.frombuffer(json.dumps(self.meta, sort_keys=True).encode("utf-8"), dtype=np.uint8),
        )

    def indices(self, features: Iterable[str]) -> list[int]:
        """The model's columns for a pair's features, each once."""
        found = map(self.vocabulary.get, features)
        return sorted({column for column in found if column is not None})

    def scores(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        out = np.empty((len(rows), self.coef.shape[1]), dtype=np.float32)
        for n, columns in enumerate(rows):
            out[n] = self.coef[list(columns)].sum(axis=0) + self.intercept
        return out

    def predict(self, doc: Doc, pairs: list[Pair]) -> np.ndarray:
        """An (n, 5) array of class probabilities, one row per pair.

        Each pair is two token spans [start, end) of `doc`, p before q and
        usually in one sentence, as in training; rows are in pair order.
        """
        if not pairs:
            return np.zeros((0, len(self.intercept)), dtype=np.float64)
        windows: dict[tuple[int, int], _Window] = {}
        rows = []
        for p, q in pairs:
            bounds = _window_bounds(doc, p, q)
            if bounds not in windows:
                windows[bounds] = _Window(doc, *bounds)
            rows.append(self.indices(pair_features(doc, p, q, windows[bounds])))
        return self.probabilities(rows)

    def probabilities(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """Class probabilities for pairs given as their feature columns."""
        return softmax(self.scores(rows).astype(np.float64))


@lru_cache(maxsize=4)
def _load(path: str) -> RelationClassifier:
    return RelationClassifier.read(path)
