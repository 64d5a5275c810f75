"""How far each extraction rule can be trusted on real news: the confidences kg writes on relations.

    python benchmarks/calibrate.py ../shared/realnews [--labels tests/data/realnews/silver-*.jsonl] [--format json]

For every rule kind, the relations it made on real articles labelled for kg
(facts keyed by article id; the text is read from the articles directory) and
how many of them a label names, as (correct + 1) / (fired + 2), the figure
`rule_confidence` in kg/lexicon/relations.json holds. A relation matching an
optional label counts as neither. The classifier's own confidence is its
real-news model's probability and is not listed here.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from kg.evaluate import Triple, gold_triples, matches  # noqa: E402
from kg.lexicon import load_lexicon  # noqa: E402
from kg.nlp import load_pipeline  # noqa: E402
from kg.pipeline import extract_graphs  # noqa: E402
from kg.records import Article  # noqa: E402
from kg.train_realnews import DEFAULT_LABELS, labelled_articles  # noqa: E402


def calibrate(articles_dir: Path, labels: list[Path]) -> dict[str, list[int]]:
    items = {item["id"]: item for item in labelled_articles(labels, articles_dir)}
    records = [Article(id=i["id"], text=i["text"], title=i.get("title")) for i in items.values()]
    correct: Counter = Counter()
    fired: Counter = Counter()
    for graph in extract_graphs(records, nlp=load_pipeline(), lexicon=load_lexicon()):
        names = {e.id: e.name for e in graph.entities}
        item = items[graph.article.id]
        gold, optional = gold_triples(item), gold_triples(item, "optional")
        for relation in graph.relations:
            kind = relation.rule.split(":")[0]
            triple = Triple(names[relation.subject], relation.predicate, names[relation.object])
            if any(matches(triple, g) for g in gold):
                correct[kind] += 1
                fired[kind] += 1
            elif not any(matches(triple, g) for g in optional):
                fired[kind] += 1
    return {kind: [correct[kind], fired[kind]] for kind in sorted(fired)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("articles", type=Path, help="directory of the real-news JSONL articles")
    parser.add_argument("--labels", type=Path, nargs="+", default=DEFAULT_LABELS)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    counts = calibrate(args.articles, args.labels)
    confidence = {kind: round((c + 1) / (f + 2), 2) for kind, (c, f) in counts.items()}
    if args.format == "json":
        print(json.dumps({"counts": counts, "confidence": confidence}, indent=1))
    else:
        for kind, (c, f) in counts.items():
            print(f"{kind:<18} {c:>3} of {f:>3} right  confidence {confidence[kind]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
