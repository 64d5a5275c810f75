"""Relations between the entities of one article, read by a registry of small rules over a per-document context.

Triggers (verbs and nouns) come from the lexicon; for each trigger a rule finds
who acts and who receives, following conjunctions, relative clauses,
appositions, passives, light verbs ("threw its support behind") and converse
verbs ("received $5,000 from"); the shared context drops relations that the
sentence negates, hedges, plans, conditions or asks about. The small English
model often attaches names to the wrong head, so where the parse yields no
argument the surface order is read instead ("a donation from X to Y"). A
quotation is read whole, also across sentences, and one that stands alone is
credited to the speaker or subject of the sentence before it.
"""

from kg.extraction.article import ArticleExtractor, entity_id, normalise_name, reading_text
from kg.extraction.money import find_money
from kg.extraction.registry import RULE_KINDS, build_rules, describe_rules, rule_names

__all__ = ["ArticleExtractor", "RULE_KINDS", "build_rules", "describe_rules", "entity_id", "find_money", "normalise_name", "reading_text", "rule_names"]
