"""The relation lexicon as the sets and patterns extraction rules look words up in, built once per lexicon."""

from __future__ import annotations

import re

from kg.lexicon import Lexicon


class Vocabulary:
    """Trigger words, polarity words, quote cues and rule confidences of one lexicon; shared by every document."""

    def __init__(self, lexicon: Lexicon):
        self.verbs = lexicon.verbs
        self.nouns = lexicon.nouns
        rel = lexicon.relations
        self.agent_nouns = {k: v for k, v in rel["agent_nouns"].items() if not k.startswith("_")}
        self.converse_verbs = set(rel["converse_verbs"]["lemmas"])
        self.giver_preps = set(rel["converse_verbs"]["giver_preps"])
        self.reciprocal_verbs = set(rel["reciprocal"]["verbs"])
        self.reciprocal_nouns = rel["reciprocal"]["nouns"]
        polarity = rel["polarity"]
        self.negators = set(polarity["negators"])
        self.hedges = set(polarity["hedges"])
        #: Modals that still assert backing its giver reports: "X said she would vote for Y" is a pledge.
        self.pledges = set(polarity.get("pledges", []))
        self.conditions = set(polarity["conditions"])
        self.governors = set(polarity["governors"])
        #: Governors that pass an endorsement on: "X urged members to vote for Y" backs Y (a donation they urge is not made).
        self.appeals = set(polarity.get("appeals", []))
        self.polarity_adverbs = set(polarity["adverbs"])
        quotes = rel["quotes"]
        self.speech_verbs = set(quotes["speech_verbs"])
        self.labelling_verbs = set(quotes["labelling_verbs"])
        self.attack_cues = cue_pattern(quotes["attack_cues"])
        self.endorsement_cues = cue_pattern(quotes["endorsement_cues"])
        self.campaign_nouns = set(rel["recipients"]["campaign_nouns"])
        self.not_recipients = set(rel["recipients"]["not_recipients"])
        self.any_organisation = set(rel["definite_descriptions"]["any_organisation"])
        self.double_object_verbs = set(rel["double_object_verbs"]["lemmas"])
        self.including_preps = set(rel["including"]["preps"])
        self.dismissive_verbs = set(quotes["dismissive_verbs"])
        self.reference_verbs = dict(quotes.get("reference_verbs", {}))
        self.partitives = set(rel.get("partitives", {}).get("words", []))
        self.party_members = set(rel.get("party_members", {}).get("words", []))
        self.owned_things = set(rel.get("owned_things", {}).get("words", []))
        earlier = rel.get("earlier_things", {})
        self.earlier_things = set(earlier.get("lemmas", []))
        self.putting_verbs = set(earlier.get("putting_verbs", []))
        self.object_control = set(rel.get("object_control", {}).get("verbs", []))
        self.spokespeople = set(rel.get("spokespeople", {}).get("words", []))
        self.voicing_nouns = set(rel.get("voicing_nouns", {}).get("lemmas", []))
        self.copular = list(rel.get("copular", {}).get("phrases", []))
        #: Prepositions that lead from an amount to its recipient ("$500 to A and $250 to B").
        self.recipient_preps = {p for e in self.verbs.values() if e["predicate"] == "DONATED_TO" for p in e.get("object_preps", [])}
        self.confidence = {k: v for k, v in rel["rule_confidence"].items() if not k.startswith("_")}
        self.org_nouns = set(lexicon.names["org_keywords"])
        self.group_words = set(lexicon.names["groups"])
        self.hyphen_suffix_words = set(lexicon.names.get("hyphen_suffix_words", []))
        self.attack_verbs = {w for w, e in self.verbs.items() if e["predicate"] == "CRITICIZED"}
        self.media = {e["name"] for e in lexicon.names.get("gazetteer", []) if e.get("media")}
        self.resignation_calls = {k: v for k, v in rel.get("resignation_calls", {}).items() if not k.startswith("_")}
        self.classifier = {k: v for k, v in rel.get("classifier", {}).items() if not k.startswith("_")}
        self.not_criticism = set(self.classifier.get("not_criticism", []))
        self.associates = set(self.classifier.get("associates", []))
        self.place_preps = set(self.classifier.get("place_preps", []))
        reported = rel.get("reported_attacks", {})
        self.fault_words = set(reported.get("words", []))
        self.fault_phrases = list(reported.get("phrases", []))

    def names_fault(self, text: str) -> bool:
        """Does lower-case `text` hold a fault-finding phrase ("do not add up", "out of touch")?"""
        return any(phrase in text for phrase in self.fault_phrases)


def cue_pattern(cues: list[str]) -> re.Pattern:
    """Whole words or phrases of a quote, case-insensitive; the quote's tokens are joined by spaces."""
    return re.compile(r"\b(?:" + "|".join(map(re.escape, cues)) + r")\b", re.IGNORECASE)
