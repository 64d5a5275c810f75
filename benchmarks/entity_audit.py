"""Entity audit on real news: the judging sheet of ENTITY-AUDIT.md, and the shares of judged verdicts.

    python benchmarks/entity_audit.py sheet ARTICLES.jsonl -o sheet.jsonl [--count 40] [--seed 7]
    python benchmarks/entity_audit.py score VERDICTS.jsonl [--format json]
    python benchmarks/entity_audit.py gold ../shared/realnews [--gold tests/data/realnews/entities-gold.jsonl] [--errors]

`sheet` samples articles (seeded, so a sample can be named and kept apart
from the ones tuned on), runs kg's extraction on them and writes, per
article, its id, title, text and `kg_entities` (name, type, aliases) for a
judge. `score` reads the judge's verdict lines and prints the share of each
verdict. `gold` runs kg on the articles of an entity gold file (names, types
and aliases a judge wrote for them, keyed by article id) and judges each node
against it (kg.evaluate.judge_entities): a repeatable audit of those articles. Article text is read from the path given; nothing is copied into
the repository.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

VERDICTS = ("ok", "duplicate", "name", "not_entity", "type", "alias")


def sheet(articles_path: Path, out: Path, count: int, seed: int, model: str | None) -> int:
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import extract_graphs
    from kg.records import Article

    with open(articles_path, encoding="utf-8") as lines:
        items = [json.loads(line) for line in lines if line.strip()]
    random.Random(seed).shuffle(items)
    chosen = items[:count]
    records = [Article(id=a["id"], text=a["text"], title=a.get("title"), published=a.get("published")) for a in chosen]
    by_id = {a["id"]: a for a in chosen}
    nodes = 0
    with open(out, "w", encoding="utf-8") as sheet_file:
        for graph in extract_graphs(records, nlp=load_pipeline(model), lexicon=load_lexicon()):
            item = by_id[graph.article.id]
            entities = [{"name": e.name, "type": e.type, "aliases": list(e.aliases)} for e in graph.entities]
            nodes += len(entities)
            sheet_file.write(json.dumps({"id": item["id"], "title": item.get("title", ""), "text": item["text"],
                                         "kg_entities": entities}, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} articles, {nodes} entity nodes -> {out}", file=sys.stderr)
    return 0


def score(verdicts_path: Path, fmt: str) -> int:
    counts: Counter = Counter()
    articles = 0
    with open(verdicts_path, encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                articles += 1
                counts.update(v["verdict"] for v in json.loads(line)["verdicts"])
    total = sum(counts.values())
    shares = {v: round(counts[v] / total, 3) if total else 0.0 for v in VERDICTS}
    if fmt == "json":
        print(json.dumps({"articles": articles, "nodes": total, "counts": dict(counts), "shares": shares}))
    else:
        print(f"{articles} articles, {total} nodes")
        for verdict in VERDICTS:
            print(f"  {verdict:<11} {counts[verdict]:>5}  {shares[verdict]:.3f}")
    return 0


def against_gold(articles_dir: Path, gold_path: Path, fmt: str, errors: bool, model: str | None) -> int:
    from kg.evaluate import ENTITY_VERDICTS, judge_entities
    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import extract_graphs
    from kg.records import Article
    from kg.train_realnews import labelled_articles

    items = {item["id"]: item for item in labelled_articles([gold_path], articles_dir)}
    records = [Article(id=i["id"], text=i["text"], title=i.get("title"), published=i.get("published")) for i in items.values()]
    counts: Counter = Counter()
    wrong = []
    for graph in extract_graphs(records, nlp=load_pipeline(model), lexicon=load_lexicon()):
        verdicts = judge_entities(graph.entities, items[graph.article.id]["entities"])
        counts.update(verdicts)
        wrong += [(graph.article.id, v, e.name, e.type) for v, e in zip(verdicts, graph.entities) if v != "ok"]
    total = sum(counts.values())
    shares = {v: round(counts[v] / total, 3) if total else 0.0 for v in ENTITY_VERDICTS}
    if fmt == "json":
        print(json.dumps({"articles": len(items), "nodes": total, "counts": dict(counts), "shares": shares}))
        return 0
    print(f"{len(items)} articles, {total} nodes, judged against {gold_path}")
    for verdict in ENTITY_VERDICTS:
        print(f"  {verdict:<11} {counts[verdict]:>5}  {shares[verdict]:.3f}")
    for article, verdict, name, type_ in wrong if errors else ():
        print(f"  {verdict:<11} {name} ({type_})  {article}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("sheet", help="sample articles and write the judging sheet")
    make.add_argument("articles", type=Path, help="JSONL articles, e.g. ../shared/realnews/reuters-2017.jsonl")
    make.add_argument("-o", "--out", type=Path, required=True)
    make.add_argument("--count", type=int, default=40, help="articles to sample (default 40)")
    make.add_argument("--seed", type=int, default=7, help="sampling seed: a new seed is a new sample")
    make.add_argument("--model", default=None, help="spaCy pipeline (default kg's)")
    judged = commands.add_parser("score", help="shares of each verdict in a judged file")
    judged.add_argument("verdicts", type=Path)
    judged.add_argument("--format", choices=("table", "json"), default="table")
    checked = commands.add_parser("gold", help="kg's nodes on the articles of an entity gold file, judged against it")
    checked.add_argument("articles", type=Path, help="directory of the real-news JSONL articles (../shared/realnews)")
    checked.add_argument("--gold", type=Path, default=REPO / "tests" / "data" / "realnews" / "entities-gold.jsonl")
    checked.add_argument("--errors", action="store_true", help="list every node not judged ok")
    checked.add_argument("--format", choices=("table", "json"), default="table")
    checked.add_argument("--model", default=None, help="spaCy pipeline (default kg's)")
    args = parser.parse_args(argv)
    if args.command == "gold":
        return against_gold(args.articles, args.gold, args.format, args.errors, args.model)
    if args.command == "sheet":
        return sheet(args.articles, args.out, args.count, args.seed, args.model)
    return score(args.verdicts, args.format)


if __name__ == "__main__":
    raise SystemExit(main())
