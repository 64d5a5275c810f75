"""Entities across articles: a surname-only mention joins the one known person.

Within an article the extractor already merges "Maria Delgado" and
"Delgado". Across articles, a bare "Delgado" joins an existing person only
when exactly one known person (in the store or earlier in this run) carries
that surname; two different full names are never merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.records import ArticleGraph, Entity
from kg.store import GraphStore


def _surname(entity: Entity) -> str:
    return entity.name.split()[-1].lower()


class Resolver:
    """Maps article-local entity ids to store-wide ones, batch by batch."""

    def __init__(self, store: GraphStore | None = None):
        self.store = store
        #: surname -> ids of full-named people seen in this run
        self.seen: dict[str, set[str]] = {}

    def resolve(self, graphs: Sequence[ArticleGraph]) -> list[ArticleGraph]:
        """Article by article, against the people of the store and of the articles before it.

        Only earlier articles count, so the graph is the same however the run is cut into batches.
        """
        bare = {_surname(e) for g in graphs for e in g.entities if e.type == "PERSON" and len(e.name.split()) == 1}
        known = self.store.people_by_surname(bare) if self.store is not None and bare else {}
        resolved = []
        for graph in graphs:
            for entity in graph.entities:
                if entity.type == "PERSON" and len(entity.name.split()) > 1:
                    self.seen.setdefault(_surname(entity), set()).add(entity.id)
            resolved.append(self._resolve_one(graph, known))
        return resolved

    def _resolve_one(self, graph: ArticleGraph, known: dict[str, list[str]]) -> ArticleGraph:
        mapping: dict[str, str] = {}
        for entity in graph.entities:
            if entity.type != "PERSON" or len(entity.name.split()) != 1:
                continue
            surname = _surname(entity)
            full_names = {i for i in known.get(surname, []) if " " in i.split(":", 1)[1]} | self.seen.get(surname, set())
            if len(full_names) == 1:
                mapping[entity.id] = full_names.pop()
        if not mapping:
            return graph
        entities: dict[str, Entity] = {}
        for entity in graph.entities:
            target = mapping.get(entity.id, entity.id)
            if target == entity.id and target not in entities:
                entities[target] = entity
                continue
            existing = entities.get(target)
            name = existing.name if existing else _name_from_id(target)
            aliases = set(existing.aliases if existing else ()) | set(entity.aliases) | {entity.name}
            mentions = entity.mentions + (existing.mentions if existing else 0)
            entities[target] = Entity(target, name, "PERSON", tuple(sorted(aliases - {name})), mentions)
        relations = [
            replace(r, subject=mapping.get(r.subject, r.subject), object=mapping.get(r.object, r.object))
            for r in graph.relations
        ]
        relations = list({r.key: r for r in relations if r.subject != r.object}.values())
        return ArticleGraph(graph.article, tuple(entities.values()), tuple(relations))


def _name_from_id(entity_id: str) -> str:
    """The display name of an entity known only by id (title-cased normalised name)."""
    return " ".join(w.capitalize() for w in entity_id.split(":", 1)[1].split())
