"""Target: a JSONL corpus written out as legacy-encoded text files ingests like the JSONL itself.

    python benchmarks/encodings_target.py ../shared/realnews/bbc-politics-2004.jsonl

Each article of the JSONL becomes one .txt file (its title, a blank line,
its text) in a temporary folder under /tmp, the first in Latin-1, the next
in Windows-1252 and so on (characters outside the encoding replaced by "?",
counted). Then, in this one run:

  1. the folder is read: every file must give an article (0 failures) whose
     title and text equal the JSONL's;
  2. the folder and the JSONL are ingested into two empty embedded stores:
     their entities (name, type) and relations (subject, predicate, object,
     amount, sentence) must be the same.

Prints both checks and exits 0 when the target is met, 1 when not.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ENCODINGS = ("latin-1", "cp1252")


def write_text_files(jsonl: Path, folder: Path) -> tuple[list[dict], int]:
    """One file per article, encodings alternating; the records and how many characters were replaced."""
    records, replaced = [], 0
    with jsonl.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if not line.strip():
                continue
            record = json.loads(line)
            records.append(record)
            encoding = ENCODINGS[number % 2]
            content = f"{record.get('title') or ''}\n\n{record['text']}\n"
            data = content.encode(encoding, errors="replace")
            replaced += sum(1 for char in content if not _fits(char, encoding))
            (folder / f"{number:05d}-{encoding}.txt").write_bytes(data)
    return records, replaced


def _fits(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
        return True
    except UnicodeEncodeError:
        return False


def graph_of(store) -> tuple[set, set]:
    graph = store.to_networkx()
    entities = {(data["name"], data["type"]) for _, data in graph.nodes(data=True)}
    relations = {
        (graph.nodes[s]["name"], data["type"], graph.nodes[o]["name"], data["amount"], data["sentence"])
        for s, o, data in graph.edges(data=True)
    }
    return entities, relations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("jsonl", type=Path, help="the corpus, e.g. ../shared/realnews/bbc-politics-2004.jsonl")
    parser.add_argument("--model", default=None, help="spaCy pipeline (default: kg's)")
    args = parser.parse_args()

    from kg.lexicon import load_lexicon
    from kg.nlp import load_pipeline
    from kg.pipeline import ingest
    from kg.records import Article, SourceError
    from kg.sources import read_articles
    from kg.store.embedded import EmbeddedStore

    with tempfile.TemporaryDirectory(prefix="kg-encodings-") as temp:
        folder = Path(temp) / "texts"
        folder.mkdir()
        records, replaced = write_text_files(args.jsonl, folder)
        print(f"{len(records)} articles of {args.jsonl} written to {folder} as .txt files,"
              f" alternately {' and '.join(ENCODINGS)} ({replaced} characters outside them replaced)")

        results = list(read_articles([str(folder)]))
        failures = [r for r in results if isinstance(r, SourceError)]
        articles = [r for r in results if isinstance(r, Article)]
        expected = [((r.get("title") or "").strip(), r["text"].strip()) for r in records]
        differing = sum(1 for a, e in zip(articles, expected) if (a.title or "", a.text) != e)
        repeats = len(records) - len({" ".join(r["text"].split()) for r in records})
        print(f"read: {len(articles)} articles, {len(failures)} failures, "
              f"{differing} whose title or text differs from the JSONL's; {repeats} repeat another's text"
              " (with ids in the JSONL, without in the text files, so stored once from those)")
        for failure in failures[:10]:
            print(f"  {failure}")

        nlp, lexicon = load_pipeline(args.model), load_lexicon(None)
        graphs = {}
        for name, path in (("jsonl", args.jsonl), ("text files", folder)):
            started = time.perf_counter()
            with EmbeddedStore(Path(temp) / f"store-{name.replace(' ', '-')}") as store:
                report = ingest(read_articles([str(path)]), store=store, nlp=nlp, lexicon=lexicon)
                graphs[name] = graph_of(store)
            entities, relations = graphs[name]
            print(f"ingest {name}: {report.articles_written} articles written, {len(report.failed)} failed, "
                  f"{len(entities)} entities, {len(relations)} relations ({time.perf_counter() - started:.1f} s)")
        (jsonl_entities, jsonl_relations), (text_entities, text_relations) = graphs["jsonl"], graphs["text files"]
        entity_diff = len(jsonl_entities ^ text_entities)
        relation_diff = len(jsonl_relations ^ text_relations)
        print(f"entities only in one of the two: {entity_diff}; relations only in one of the two: {relation_diff}")

    met = not failures and not differing and len(articles) == len(records) and not entity_diff and not relation_diff
    print("target met: 0 failures, same entities and relations" if met else "target NOT met")
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
