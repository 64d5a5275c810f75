"""Copy the embedded store into Neo4j with the same writer as ``kg ingest``.

``article_graphs(store)`` reads the store back as ArticleGraphs, one per
article: the article's fields, the entities it mentions (mention counts,
the store-wide aliases) and the relations whose evidence it holds.
``push(source, target)`` writes them with ``target.write`` in batches; the
writes MERGE, so pushing twice changes nothing (the Article ``ingested_at``
is the time of the first push).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from kg.records import Article, ArticleGraph, Entity, Relation


@dataclass
class PushReport:
    source: str = ""
    target: str = ""
    articles: int = 0
    entities: int = 0
    relations: int = 0
    batches: int = 0
    relations_by_type: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "articles": self.articles,
                "entities": self.entities, "relations": self.relations, "batches": self.batches,
                "relations_by_type": dict(sorted(self.relations_by_type.items()))}


def article_graphs(store: Any) -> Iterator[ArticleGraph]:
    """The store's articles as ArticleGraphs, sorted by article id."""
    graph = store.to_networkx(include_articles=True)
    mentions: dict[str, list[tuple[str, int]]] = defaultdict(list)
    relations: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
    for u, v, d in graph.edges(data=True):
        if d.get("type") == "MENTIONS":
            mentions[graph.nodes[u]["id"]].append((v, 1 if d.get("count") is None else int(d["count"])))
        else:
            relations[d["article_id"]].append((u, v, d))

    def entity(node: str, count: int) -> Entity:
        d = graph.nodes[node]
        return Entity(id=node, name=d["name"], type=d["type"], aliases=tuple(d.get("aliases") or ()),
                      mentions=count)

    articles = sorted((d["id"], d) for _, d in graph.nodes(data=True) if d.get("type") == "Article")
    for article_id, d in articles:
        article = Article(id=article_id, text="", title=d.get("title"), url=d.get("url"),
                          published=d.get("published"), source=d.get("source"), author=d.get("author"))
        counts = dict(sorted(mentions.get(article_id, [])))
        for u, v, _ in relations.get(article_id, []):  # every relation end is mentioned; just in case
            counts.setdefault(u, 1)
            counts.setdefault(v, 1)
        rels = tuple(
            Relation(subject=u, predicate=r["type"], object=v, article_id=article_id, sentence=r["sentence"],
                     start=r["start"], end=r["end"], confidence=r["confidence"], rule=r["rule"],
                     amount=r.get("amount"), amount_value=r.get("amount_value"), currency=r.get("currency"))
            for u, v, r in sorted(relations.get(article_id, []), key=lambda x: (x[2]["start"], x[0], x[1]))
        )
        yield ArticleGraph(article, tuple(entity(n, c) for n, c in sorted(counts.items())), rels)


def push(source: Any, target: Any, *, batch_size: int = 64,
         progress: Callable[[PushReport], None] | None = None) -> PushReport:
    """Write every article of ``source`` to ``target`` in batches of ``batch_size``."""
    report = PushReport(source=source.description, target=target.description)
    entities: set[str] = set()
    graphs = article_graphs(source)
    while True:
        batch = list(islice(graphs, batch_size))
        if not batch:
            break
        stats = target.write(batch)
        report.batches += 1
        report.articles += stats.articles
        report.relations += stats.relations
        for predicate, n in stats.relations_by_type.items():
            report.relations_by_type[predicate] = report.relations_by_type.get(predicate, 0) + n
        entities.update(e.id for g in batch for e in g.entities)
        report.entities = len(entities)
        if progress:
            progress(report)
    return report
