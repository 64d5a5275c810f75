"""kg on DSE, real news sentences with two bracketed entities (Park, Pan and Joo 2021).

    python benchmarks/dse.py ../shared/external/dse/valid.txt [--limit N] [--classifier-only] [--format json]

Default: the whole kg extractor, read as the DSE README says. Each sentence,
brackets removed, goes through kg's pipeline and ArticleExtractor; a
CRITICIZED relation whose subject and object names share a word with p and q
gives class 3 (4 the other way), else an ENDORSES one gives 1 (2 the other
way), else 0.

--classifier-only: kg.extraction.classifier's RelationClassifier on the
bracketed pairs themselves, read at its most likely class and at the
packaged thresholds, with its time beside spaCy's parse of the same sentences.

Printed: precision, recall and F1 of the negative classes (CRITICIZED) and
of the positive ones (ENDORSES), a prediction counting only with the right
direction; the 5-class macro F1; the confusion matrix.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from kg.extraction.dse import (  # noqa: E402
    NEUTRAL, P_NEG_Q, P_POS_Q, Q_NEG_P, Q_POS_P, DSEExample, read_dse, score, token_span,
)
from kg.records import SourceError  # noqa: E402

#: Words too common to tie a relation's end to a bracketed entity.
_STOP = {"the", "a", "an", "of", "and", "for", "in", "on", "to", "at", "by", "de", "s"}
_WORD = re.compile(r"\w+")


def words(name: str) -> set[str]:
    return {w for w in _WORD.findall(name.lower().replace("’", "'")) if w not in _STOP}


def same_entity(name: str, bracketed: str) -> bool:
    """Whether a kg entity name shares a word with a bracketed DSE entity.

    Brackets may cut a word ("[Democrat]s"), so a word of the name that
    starts with a bracketed word of three letters or more matches it too.
    """
    ours, theirs = words(name), words(bracketed)
    return any(a == b or (len(b) >= 3 and a.startswith(b)) for a in ours for b in theirs)


def label_from_relations(relations: list[tuple[str, str, str]], p: str, q: str) -> int:
    """DSE class from kg's (subject, predicate, object) triples for one sentence."""
    for predicate, forward, backward in (("CRITICIZED", P_NEG_Q, Q_NEG_P), ("ENDORSES", P_POS_Q, Q_POS_P)):
        found = [(s, o) for s, pred, o in relations if pred == predicate]
        if any(same_entity(s, p) and same_entity(o, q) for s, o in found):
            return forward
        if any(same_entity(s, q) and same_entity(o, p) for s, o in found):
            return backward
    return NEUTRAL


def read(path: Path, limit: int | None) -> list[DSEExample]:
    examples = []
    for item in read_dse(path):
        if isinstance(item, SourceError):
            print(f"skipped {item}", file=sys.stderr)
            continue
        examples.append(item)
        if limit is not None and len(examples) >= limit:
            break
    return examples


def progress(done: int, total: int, what: str) -> None:
    if done % 500 == 0 or done == total:
        print(f"  {what} {done}/{total}", file=sys.stderr, flush=True)


def parse(examples: list[DSEExample], model: str | None) -> tuple[list, float]:
    """The plain sentences parsed by the spaCy pipeline (loaded first, not timed), and the parse's seconds."""
    from kg.nlp import load_pipeline

    nlp = load_pipeline(model)
    started = time.perf_counter()
    docs = list(nlp.pipe([e.text for e in examples], batch_size=256))
    return docs, time.perf_counter() - started


def run_pipeline(examples: list[DSEExample], model: str | None) -> dict:
    """kg's extractor on each plain sentence; its relations read as DSE classes."""
    from kg.extraction import ArticleExtractor
    from kg.lexicon import load_lexicon
    from kg.records import Article

    extract = ArticleExtractor(load_lexicon())
    docs, parse_seconds = parse(examples, model)
    predicted = []
    started = time.perf_counter()
    for n, (example, doc) in enumerate(zip(examples, docs), start=1):
        graph = extract(Article(id=f"dse-{n}", text=example.text, origin=example.origin), doc)
        names = {e.id: e.name for e in graph.entities}
        triples = [(names[r.subject], r.predicate, names[r.object]) for r in graph.relations]
        predicted.append(label_from_relations(triples, example.p_name, example.q_name))
        progress(n, len(examples), "extracted")
    extract_seconds = time.perf_counter() - started
    figures = score([e.label for e in examples], predicted)
    return {"mode": "pipeline", "figures": figures.as_dict(), "_lines": figures.lines(),
            "timing": {"parse_seconds": round(parse_seconds, 3), "extract_seconds": round(extract_seconds, 3)}}


def run_classifier(examples: list[DSEExample], model: str | None) -> dict:
    """The relation classifier on the bracketed pairs, timed against spaCy's parse."""
    from kg.extraction.classifier import RelationClassifier, decide

    started = time.perf_counter()
    classifier = RelationClassifier.load()
    load_seconds = time.perf_counter() - started
    docs, parse_seconds = parse(examples, model)
    rows = []
    started = time.perf_counter()
    for n, (example, doc) in enumerate(zip(examples, docs), start=1):
        p, q = token_span(doc, example.p), token_span(doc, example.q)
        if p is None or q is None:
            raise SystemExit(f"{example.origin}: a bracketed entity covers no token")
        rows.append(classifier.predict(doc, [(p, q)])[0])
        progress(n, len(examples), "classified")
    classify_seconds = time.perf_counter() - started
    probabilities = np.array(rows)
    gold = [e.label for e in examples]
    argmax = score(gold, decide(probabilities).tolist())
    result = {"mode": "classifier", "classifier": f"{classifier.name} v{classifier.version}",
              "figures": argmax.as_dict(), "_lines": argmax.lines(), "thresholded": {}}
    for key, threshold in sorted(classifier.thresholds.items()):
        kind = key.split("_")[0]
        figures = score(gold, decide(probabilities, **{kind: threshold}).tolist())
        result["thresholded"][key] = {"threshold": threshold, kind: getattr(figures, kind).as_dict(),
                                      "macro_f1": round(figures.macro_f1, 4)}
    result["timing"] = {
        "load_seconds": round(load_seconds, 4), "parse_seconds": round(parse_seconds, 3),
        "classify_seconds": round(classify_seconds, 3),
        "classify_per_pair_ms": round(classify_seconds / len(examples) * 1000, 4),
        "parse_per_sentence_ms": round(parse_seconds / len(examples) * 1000, 4),
        "classify_over_parse": round(classify_seconds / parse_seconds, 4),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("path", type=Path, help="a DSE-format file, e.g. ../shared/external/dse/valid.txt")
    parser.add_argument("--limit", type=int, default=None, help="read only the first N pairs")
    parser.add_argument("--classifier-only", action="store_true",
                        help="measure the relation classifier on the bracketed pairs instead of kg's extractor")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: kg's)")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    if not args.path.is_file():
        parser.error(f"{args.path} not found")
    examples = read(args.path, args.limit)
    if not examples:
        parser.error(f"{args.path}: no readable pairs")
    result = (run_classifier if args.classifier_only else run_pipeline)(examples, args.model)
    lines = result.pop("_lines")
    result = {"path": str(args.path), **result}
    if args.format == "json":
        print(json.dumps(result, indent=2))
        return 0
    print(f"{args.path}: {result['mode']}" + (f" ({result['classifier']})" if "classifier" in result else ""))
    print("\n".join("  " + line for line in lines))
    for key, row in result.get("thresholded", {}).items():
        kind = key.split("_")[0]
        group = row[kind]
        print(f"  at {key} (P({kind}) >= {row['threshold']:.2f}): P {group['precision']:.3f}  "
              f"R {group['recall']:.3f}  F1 {group['f1']:.3f}  macro F1 {row['macro_f1']:.3f}")
    timing = result["timing"]
    print("  timing: " + ", ".join(f"{k} {v}" for k, v in timing.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
