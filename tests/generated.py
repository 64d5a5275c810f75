"""A generated graph for scale tests: thousands of fictional entities written straight to a store.

Deterministic (seeded): the same call gives the same articles. A few hubs hold
many relations, as in news, where a handful of politicians are in most stories.
"""

from __future__ import annotations

import random

from kg.records import Article, ArticleGraph, Entity, Relation

ENTITY_TYPES = ("PERSON",) * 6 + ("ORG",) * 3 + ("NORP", "GPE")
SOURCES = ("Ledger", "Courier", "Gazette")


def entity_name(i: int) -> str:
    return f"Entity {i:04d}"


def generated_graphs(entities: int = 5000, relations: int = 20000, articles: int = 500,
                     seed: int = 7) -> list[ArticleGraph]:
    """``articles`` articles holding ``relations`` relations among ``entities`` entities (ids g0, g1, ...).

    Entity i has the alias E<i>; relation j is ENDORSES, DONATED_TO ($1,000) or
    CRITICIZED by j mod 3, with confidence 0.5 to 0.9; article a is dated in
    2030 and comes from one of SOURCES.
    """
    rng = random.Random(seed)
    people = [Entity(id=f"g{i}", name=entity_name(i), type=rng.choice(ENTITY_TYPES), aliases=(f"E{i}",))
              for i in range(entities)]
    by_article: list[list[tuple[Entity, Entity, int]]] = [[] for _ in range(articles)]
    for j in range(relations):
        hub = rng.random() < 0.5
        subject = people[min(int(rng.paretovariate(1.2)) - 1, entities - 1) if hub else rng.randrange(entities)]
        target = people[rng.randrange(entities)]
        if subject is not target:
            by_article[j % articles].append((subject, target, j))
    graphs = []
    for a, found in enumerate(by_article):
        article = Article(id=f"art{a}", text="", title=f"Article {a}", url=f"https://news.example/{a}",
                          published=f"2030-{1 + a % 12:02d}-{1 + a % 28:02d}", source=SOURCES[a % 3])
        involved = {e.id: e for s, o, _ in found for e in (s, o)}
        rels = tuple(
            Relation(subject=s.id, predicate=("ENDORSES", "DONATED_TO", "CRITICIZED")[j % 3], object=o.id,
                     article_id=article.id, sentence=f"{s.name} and {o.name} appear in sentence {j}.",
                     start=j, end=j + 10, confidence=0.5 + (j % 5) / 10, rule="generated",
                     amount="$1,000" if j % 3 == 1 else None, amount_value=1000.0 if j % 3 == 1 else None,
                     currency="USD" if j % 3 == 1 else None)
            for s, o, j in found)
        graphs.append(ArticleGraph(article, tuple(involved.values()), rels))
    return graphs
