"""Training the real-news stage of the relation classifier: `python -m kg.train_realnews ../shared/realnews`.

The DSE model scores directed sentiment; whether a careful reader of real news would
assert a criticism also depends on who speaks, who is quoted and whether the target is
charged, questioned or beaten rather than attacked in words. This fits a logistic
regression over those readings (kg.extraction.classified.read_pairs) on real articles
labelled for kg (tests/data/realnews/silver-*.jsonl: facts keyed by article id, the text
read from the articles directory), reports article-grouped cross-validated precision
and recall by threshold, and writes the weights kg ships. Deterministic: sorted inputs,
a fixed solver. scikit-learn is needed here only: `pip install kg[train]`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from kg.evaluate import Triple, gold_triples, matches
from kg.extraction.article import headline_end, reading_text
from kg.extraction.classified import REALNEWS_FILE, RealNewsModel, read_pairs
from kg.extraction.classifier import models_dir
from kg.extraction.context import DocContext
from kg.extraction.vocabulary import Vocabulary
from kg.lexicon import load_lexicon
from kg.mentions import MentionFinder
from kg.nlp import load_pipeline
from kg.records import Article

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LABELS = sorted((REPO / "tests" / "data" / "realnews").glob("silver-*.jsonl"))
C = 1.0
FOLDS = 5
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def labelled_articles(labels: Iterable[Path], articles_dir: Path) -> list[dict]:
    """Each labelled article's facts joined with its title and text from the articles directory, by id."""
    texts = {}
    for path in sorted(articles_dir.glob("*.jsonl")):
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                article = json.loads(line)
                texts[article["id"]] = article
    items = []
    for path in labels:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                facts = json.loads(line)
                article = texts.get(facts["id"])
                if article is None:
                    raise SystemExit(f"{path}: article {facts['id']} is not in {articles_dir}")
                items.append({**facts, "title": article.get("title"), "published": article.get("published"),
                              "text": article["text"]})
    return items


def _evidence(item: dict, key: str) -> list[tuple[Triple, tuple[int, int] | None]]:
    relations = [r for r in item.get(key, []) if r["predicate"] == "CRITICIZED"]
    return [(t, tuple(r["evidence_span"]) if "evidence_span" in r else None)
            for t, r in zip(gold_triples({key: relations}, key), relations)]


def _states(span: tuple[int, int] | None, start: int, end: int) -> bool:
    """Is the sentence at [start, end) of the article text the evidence (-1, -1 is the headline, before the text)?"""
    if span is None:
        return True
    return start < 0 if span == (-1, -1) else start < span[1] and span[0] < end


def pair_rows(items: Sequence[dict], model: str | None = None) -> tuple[list[dict], list[int], list[str]]:
    """Features, labels and article ids of every directed pair: 1 for a gold criticism in its evidence
    sentence, 0 for a pair no label names; a labelled pair elsewhere, and optional ones, are left out."""
    nlp, lexicon = load_pipeline(model), load_lexicon()
    finder, vocab = MentionFinder(lexicon), Vocabulary(lexicon)
    rows, labels, groups = [], [], []
    for item in items:
        article = Article(id=item["id"], text=item["text"], title=item.get("title"), published=item.get("published"))
        doc = nlp(reading_text(article))
        headline = len(doc.text) - len(article.text)
        body = headline_end(doc, article)
        ctx = DocContext(vocab, doc, finder(doc, article.published, body), body)
        gold, optional = _evidence(item, "relations"), _evidence(item, "optional")
        for sentence in doc.sents:
            start, end = sentence.start_char - headline, sentence.end_char - headline
            for reading in read_pairs(ctx, sentence):
                triple = Triple(reading.subject.name, "CRITICIZED", reading.object.name)
                named = [span for g, span in gold + optional if matches(triple, g)]
                stated = [span for g, span in gold if matches(triple, g) and _states(span, start, end)]
                if named and not stated:
                    continue
                rows.append(reading.features)
                labels.append(int(bool(stated)))
                groups.append(item["id"])
    return rows, labels, groups


def fit(rows: Sequence[dict], labels: Sequence[int]):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer(sort=True)
    x = vectorizer.fit_transform(rows)
    model = LogisticRegression(C=C, max_iter=2000, solver="lbfgs").fit(x, labels)
    return vectorizer, model


def cross_validated(rows: Sequence[dict], labels: Sequence[int], groups: Sequence[str]) -> np.ndarray:
    """Each pair's probability from a model fitted without its article's fold."""
    articles = sorted(set(groups))
    fold_of = {a: n % FOLDS for n, a in enumerate(articles)}
    out = np.zeros(len(rows))
    for fold in range(FOLDS):
        train = [i for i, g in enumerate(groups) if fold_of[g] != fold]
        test = [i for i, g in enumerate(groups) if fold_of[g] == fold]
        vectorizer, model = fit([rows[i] for i in train], [labels[i] for i in train])
        out[test] = model.predict_proba(vectorizer.transform([rows[i] for i in test]))[:, 1]
    return out


def threshold_table(probabilities: np.ndarray, labels: Sequence[int]) -> list[dict]:
    gold = np.array(labels)
    table = []
    for t in THRESHOLDS:
        chosen = probabilities >= t
        tp = int((chosen & (gold == 1)).sum())
        fired = int(chosen.sum())
        table.append({"threshold": t, "fired": fired, "correct": tp,
                      "precision": round(tp / fired, 3) if fired else 0.0, "recall": round(tp / int(gold.sum()), 3)})
    return table


def train(articles_dir: Path, labels: Sequence[Path], out: Path, model: str | None = None) -> dict:
    items = labelled_articles(labels, articles_dir)
    rows, y, groups = pair_rows(items, model)
    table = threshold_table(cross_validated(rows, y, groups), y)
    vectorizer, fitted = fit(rows, y)
    weights = {name: round(float(w), 6) for name, w in zip(vectorizer.get_feature_names_out(), fitted.coef_[0])}
    meta = {"labels": [p.name for p in labels], "articles": len(items), "pairs": len(y), "positives": int(sum(y)),
            "C": C, "cross_validated": table}
    RealNewsModel(weights, round(float(fitted.intercept_[0]), 6), meta).save(out)
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kg.train_realnews", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="directory of the real-news JSONL articles (../shared/realnews)")
    parser.add_argument("--labels", type=Path, nargs="+", default=DEFAULT_LABELS,
                        help="labelled facts (default: tests/data/realnews/silver-*.jsonl)")
    parser.add_argument("--out", type=Path, default=models_dir() / REALNEWS_FILE)
    parser.add_argument("--model", default=None, help="spaCy pipeline (default kg's)")
    args = parser.parse_args(argv)
    meta = train(args.articles, args.labels, args.out, args.model)
    print(f"{meta['articles']} articles, {meta['pairs']} pairs, {meta['positives']} gold criticisms -> {args.out}")
    print("cross-validated by article:")
    for row in meta["cross_validated"]:
        print(f"  P >= {row['threshold']:.1f}: fired {row['fired']:>4}  correct {row['correct']:>3}  "
              f"precision {row['precision']:.3f}  recall {row['recall']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
