"""The named extraction rules, in the order they read a document; each can be listed, tested and switched off.

A rule (kg.extraction.rule.Rule) is a small object with a `name`, a
`version`, the `kinds` it writes into Relation.rule (before the ":"), and two
hooks over a per-document context: `at(token, ctx)` for each token in order
and `after(ctx)` once the tokens are read.
"""

from __future__ import annotations

from collections.abc import Iterable

from kg.errors import ConfigError
from kg.extraction.agent_nouns import AgentNounRule
from kg.extraction.classified import ClassifierRule
from kg.extraction.copular import CopularRule
from kg.extraction.headline import HeadlineRule
from kg.extraction.labelled import LabelledAttackRule
from kg.extraction.nouns import NounRule
from kg.extraction.quotes import ContextQuoteRule, QuoteRule
from kg.extraction.reciprocal import ReciprocalRule
from kg.extraction.reported import ReportedAttackRule
from kg.extraction.resignation import ResignationCallRule
from kg.extraction.rule import Rule
from kg.extraction.verbs import VerbRule
from kg.lexicon import Lexicon


#: Every rule, in reading order.
RULES: tuple[type, ...] = (VerbRule, NounRule, AgentNounRule, CopularRule, ReciprocalRule, QuoteRule, LabelledAttackRule,
                           ResignationCallRule, ReportedAttackRule, ContextQuoteRule, HeadlineRule, ClassifierRule)
#: Every rule kind a relation's `rule` can start with; each has a confidence in the lexicon.
RULE_KINDS: tuple[str, ...] = tuple(dict.fromkeys(kind for rule in RULES for kind in rule.kinds))


def rule_names() -> list[str]:
    return [rule.name for rule in RULES]


def build_rules(disabled: Iterable[str] = ()) -> list[Rule]:
    """The rules in reading order, less the ones named in `disabled` (an unknown name is an error)."""
    disabled = set(disabled)
    unknown = disabled - set(rule_names())
    if unknown:
        raise ConfigError(f"unknown extraction rule {', '.join(sorted(unknown))}; the rules are {', '.join(rule_names())}")
    return [rule() for rule in RULES if rule.name not in disabled]


def describe_rules(lexicon: Lexicon) -> list[dict]:
    """Every rule with its version, the kinds it writes and whether this lexicon leaves it on."""
    off = set(lexicon.relations.get("disabled_rules", []))
    return [{"name": r.name, "version": r.version, "kinds": list(r.kinds), "on": r.name not in off} for r in RULES]
