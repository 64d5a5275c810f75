"""The relation types kg extracts, defined once: every other module reads them from here.

A new relation type is one entry: its name (the Neo4j relationship type), the entity
types it joins, whether it carries money, the colour pages and Browser styles draw it
in, and the words a summary uses for it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: spaCy entity labels kept as graph entities, and the node label each becomes.
ENTITY_LABELS = {
    "PERSON": "Person",
    "ORG": "Organization",
    "NORP": "Group",
    "GPE": "Place",
}


@dataclass(frozen=True)
class RelationType:
    name: str
    subject_types: frozenset[str]
    object_types: frozenset[str]
    #: Whether an amount, its value and currency go with the relation.
    money: bool
    #: Drawn in this colour on graph pages and in the Neo4j Browser style.
    colour: str
    #: What one piece of evidence says, for summaries: "endorsement", "donation", "criticism".
    noun: str


_ACTORS = frozenset({"PERSON", "ORG", "NORP"})

RELATION_TYPES: dict[str, RelationType] = {
    t.name: t for t in (
        RelationType("ENDORSES", _ACTORS, _ACTORS, money=False, colour="#59A14F", noun="endorsement"),
        RelationType("DONATED_TO", _ACTORS, _ACTORS, money=True, colour="#C49A00", noun="donation"),
        RelationType("CRITICIZED", _ACTORS | {"GPE"}, _ACTORS | {"GPE"}, money=False, colour="#E15759", noun="criticism"),
    )
}

#: Relationship types the tool writes; nothing outside this list reaches Cypher.
PREDICATES: tuple[str, ...] = tuple(RELATION_TYPES)
