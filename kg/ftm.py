"""The graph as FollowTheMoney entities, one JSON object a line, for ftm tools and Aleph.

Mapping, with the ``followthemoney`` package's model:

- people -> Person; organisations and groups (parties, movements) -> Organization;
  places -> LegalEntity (in political news a place that acts is its government);
- each article -> Article (title, publishedAt, publisher, sourceUrl);
- DONATED_TO -> Payment (payer, beneficiary, amount and currency when known);
  ENDORSES and CRITICIZED -> UnknownLink (subject, object, role "endorses" or
  "criticized"): FtM has no schema for support or criticism between parties.

Every relation is one piece of evidence: its ``summary`` is the sentence, its
``proof`` the Article entity, its ``date`` the article's date and its
``sourceUrl`` the article's address. Entity ids are kg's ids hashed with a
prefix (``make_id``), so exporting the same graph again gives the same ids.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from os import PathLike
from pathlib import Path
from typing import Any

import networkx as nx

from kg.errors import ConfigError

#: kg entity types -> FtM schemata.
SCHEMATA = {"PERSON": "Person", "ORG": "Organization", "NORP": "Organization", "GPE": "LegalEntity"}
#: Roles of the UnknownLink written for relations FtM has no schema for.
ROLES = {"ENDORSES": "endorses", "CRITICIZED": "criticized"}
#: Namespace of the ids: FtM ids are hashes of these parts.
ID_PREFIX = "kg"


def entities(graph: nx.MultiDiGraph) -> Iterator[Any]:
    """The FtM entity proxies of ``graph`` (from ``to_networkx(include_articles=True)``):
    articles first, then entities, then one per relation."""
    from followthemoney import model

    ids: dict[str, str] = {}
    for key, attrs in graph.nodes(data=True):
        if attrs.get("type") != "Article":
            continue
        article = model.make_entity("Article")
        article.make_id(ID_PREFIX, "article", attrs.get("id"))
        article.add("title", attrs.get("title") or attrs.get("id"))
        article.add("publishedAt", attrs.get("published"), quiet=True)
        article.add("publisher", attrs.get("source"))
        article.add("author", attrs.get("author"))
        article.add("sourceUrl", attrs.get("url"), quiet=True)
        ids[attrs.get("id")] = article.id
        yield article
    for key, attrs in graph.nodes(data=True):
        if attrs.get("type") == "Article":
            continue
        entity = model.make_entity(SCHEMATA.get(attrs.get("type"), "LegalEntity"))
        entity.make_id(ID_PREFIX, "entity", key)
        entity.add("name", attrs.get("name"))
        entity.add("alias", list(attrs.get("aliases") or []))
        ids[key] = entity.id
        yield entity
    for subject, target, key, attrs in graph.edges(keys=True, data=True):
        predicate = attrs.get("type")
        if predicate == "DONATED_TO":
            link = model.make_entity("Payment")
            link.add("payer", ids[subject])
            link.add("beneficiary", ids[target])
            if attrs.get("amount_value") is not None:
                link.add("amount", attrs["amount_value"])
            link.add("currency", attrs.get("currency"), quiet=True)
            link.add("description", attrs.get("amount"))
        elif predicate in ROLES:
            link = model.make_entity("UnknownLink")
            link.add("subject", ids[subject])
            link.add("object", ids[target])
            link.add("role", ROLES[predicate])
        else:
            continue  # MENTIONS: the articles' entities are in the links' proof
        link.make_id(ID_PREFIX, "relation", subject, target, key)
        link.add("summary", attrs.get("sentence"))
        link.add("proof", ids.get(attrs.get("article_id")))
        link.add("date", attrs.get("published"), quiet=True)
        link.add("sourceUrl", attrs.get("url"), quiet=True)
        link.add("publisher", graph.nodes.get(f"article:{attrs.get('article_id')}", {}).get("source"))
        yield link


def write_ftm(graph: nx.MultiDiGraph, path: str | PathLike[str]) -> int:
    """Write the entities of ``graph`` to ``path`` as FtM JSON lines; returns how many."""
    target = Path(path)
    if target.is_dir() or not target.parent.is_dir():
        raise ConfigError(f"cannot write {target}: give a file in an existing directory, e.g. graph.ftm.json")
    count = 0
    with target.open("w", encoding="utf-8") as out:
        for entity in entities(graph):
            out.write(json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
    return count
