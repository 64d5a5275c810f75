"""Entities within one article: find names, clean them, merge their mentions.

The small English models miss or mislabel many names in news prose, so kg
does not take `doc.ents` as they are: a name is a run of proper nouns around
a parse head, cleaned of titles, party tags and possessives; the NER labels
vote on its type; a second pass finds later mentions of the article's own
names; surnames and acronyms join the full name; pronouns resolve to the
most salient compatible person, and definite descriptions ("the
commissioner") to the one person named earlier with that title. Ballot
campaigns ("No on Measure B") and candidate committees ("Okonkwo for
Mayor", "Committee to Elect X") are organisation names.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from kg.lexicon import Lexicon
from kg.places import is_demonym, known_places
from kg.records import ENTITY_LABELS

#: The Arabic article written in lower case and hyphenated before a name: "al-Qaeda", "Bashar al-Assad".
ARABIC_ARTICLES = ("al", "el")
ARABIC_ARTICLE = re.compile(rf"^(?:{'|'.join(ARABIC_ARTICLES)})-", re.IGNORECASE)
PARTY_TAG = re.compile(r"\(\s*(?:[DRIL]|Dem|Rep|Ind|GOP)\.?\s*[-–]\s*[A-Z][A-Za-z. ]{0,20}\)")
#: "Boeing Co (BA.N)", "(GLEN.L)", "(005930.KS)": a stock ticker after a company's name is no name of its own.
TICKER = re.compile(r"\(\s*(?:[A-Z0-9]{1,6}\.[A-Z]{1,3}(?:\s*[,;]\s*|\s+and\s+)?)+\s*\)")
#: "PORT ADLEY, Ost. - ...", "KELLMOOR — ...": the place a text or paragraph was filed from, not an actor in it.
CAPITAL = "A-ZÀ-ÖØ-Þ"
DATELINE = re.compile(
    rf"^[ \t]*[{CAPITAL}][{CAPITAL}.'’]+(?: [{CAPITAL}][{CAPITAL}.'’]+)*(?:,[^\n]{{0,30}}?)?"
    r"(?:\s*\([A-Za-z. ]{1,20}\))?(?=\s[-–—]\s)",
    re.MULTILINE,
)
#: "By Ann Lee WASHINGTON (Reuters) - ": a wire dateline after a byline, anywhere on its line.
WIRE_DATELINE = re.compile(rf"\b[{CAPITAL}][{CAPITAL}.'’]+(?:[ /][{CAPITAL}][{CAPITAL}.'’]+)*(?=\s*\([A-Za-z. ]{{1,20}}\)\s[-–—]\s)")
#: "MPs", "CEOs": a class of people, no one's name.
PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")
#: A word of a person's name, in lower case: letters, apostrophes and hyphens.
PLAIN_WORD = re.compile(r"[a-z][a-z'’\-]*")
ACRONYM = re.compile(r"^[A-Z][A-Z&.\-]{1,9}$")
#: An ordinal written in figures ("9th", "1st").
ORDINAL_WORD = re.compile(r"\d+(?:st|nd|rd|th)")
#: A person's name with an initial for the first name ("R. Brandt").
INITIALLED = re.compile(r"^[A-Z]\. [A-Z]\w+$")
INITIALS = re.compile(r"(?:[A-Z]\.){2,3}")
#: Lower-case words that join the parts of an organisation's name, never a person's.
#: The title of a name written after a party or role word alone ("Democrat X").
ROLE = "role"
CONNECTORS = {"of", "and", "for", "on", "the", "&", "to"}
NAME_DEPS = {"compound", "flat", "nmod", "amod", "nummod", "punct", "cc", "conj", "poss", "case", "det", "appos"}
OTHER_NER = {"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
#: The vote a name's NER label casts: locations and facilities are places; events, laws, works and products are things.
THING = "THING"
NER_VOTES = {"LOC": "GPE", "FAC": "GPE", "EVENT": THING, "LAW": THING, "WORK_OF_ART": THING, "PRODUCT": THING, "LANGUAGE": THING}
MALE_PRONOUNS = {"he", "him", "his", "himself"}
FEMALE_PRONOUNS = {"she", "her", "hers", "herself"}
ORG_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
SUBJECT_DEPS = {"nsubj", "nsubjpass"}
OBJECT_DEPS = {"dobj", "pobj", "dative", "iobj"}
#: A judicial or electoral district named by its compass point and place, or by its number.
DISTRICT = re.compile(r"(?:(?:Northern|Southern|Eastern|Western|Middle|Central) District of [A-Z][\w.]*(?: [A-Z][\w.]*)?"
                      r"|(?:[A-Z][a-z]+ )?District \d+)")
#: Pronouns in the object case; one written as a subject heads a clause inside another ("for him to resign").
ACCUSATIVE_PRONOUNS = {"him", "her", "them"}


@dataclass
class Mention:
    start: int
    end: int
    name: str
    votes: Counter = field(default_factory=Counter)
    gender: str | None = None
    #: The personal title the name was written with ("gov."), if any.
    title: str | None = None
    #: The gazetteer name this mention is a form of ("Tories" -> "Conservative Party"), if any.
    canonical: str | None = None
    #: A lone organisation word ("Union", "the Party"): it stands for the one organisation named with it, else for none.
    generic: bool = False


@dataclass
class Cluster:
    """One entity of the article with all its mentions."""

    name: str
    type: str
    mentions: list[Mention]
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    #: Named like a person though typed otherwise; a he/she that points here makes it a PERSON.
    person_like: bool = False
    #: The gazetteer name of the entity, the same in every article, if it has one.
    canonical: str | None = None


class DocEntities:
    """Which tokens of a doc refer to which entity of the article."""

    def __init__(self, clusters: list[Cluster], token_cluster: dict[int, int], sentences: list[Span]):
        self.clusters = clusters
        self.token_cluster = token_cluster
        #: The doc's sentences, read once (spaCy builds them anew on every `doc.sents`).
        self.sentences = sentences
        #: Tokens that refer back to an entity without naming it: "the commissioner" (pronouns are PRON).
        self.descriptions: set[int] = set()
        #: Plural pronouns and the entities they stand for together: "A and B ... attacked them".
        self.groups: dict[int, list[int]] = {}

    def at(self, token: Token) -> Cluster | None:
        index = self.token_cluster.get(token.i)
        return None if index is None else self.clusters[index]


class MentionFinder:
    """Finds the entities of a doc; one object serves many docs."""

    def __init__(self, lexicon: Lexicon):
        names = lexicon.names
        #: Personal titles as word tuples, indexed by first word, longest first.
        self.titles_by_first: dict[str, list[tuple[str, ...]]] = {}
        for title in sorted(names["personal_titles"], key=len, reverse=True):
            words = tuple(title.split())
            self.titles_by_first.setdefault(words[0], []).append(words)
        self.title_modifiers = set(names["title_modifiers"])
        self.male_titles = set(names["male_titles"])
        self.female_titles = set(names["female_titles"])
        self.org_keywords = set(names["org_keywords"])
        self.numbered_units = set(names["numbered_units"])
        self.law_words = set(names["law_words"])
        self.corporate_suffixes = set(names["corporate_suffixes"])
        self.not_names = set(names["not_names"])
        self.groups = set(names["groups"])
        self.female_names = set(names["female_first_names"])
        self.male_names = set(names["male_first_names"])
        self.campaign_offices = {tuple(o.split()) for o in names.get("campaign_offices", [])}
        self.title_nouns = {k: v for k, v in names.get("title_nouns", {}).items() if not k.startswith("_")}
        self.subordinate_title_words = set(names.get("subordinate_title_words", []))
        self.office_shifting_words = set(names.get("office_shifting_words", [])) | self.subordinate_title_words
        #: lower-case full name, and surname where only one holder has it -> [(role, first year, last year)]
        self.offices: dict[str, list[tuple[str, int, int]]] = {}
        surnames: dict[str, set[str]] = {}
        for entry in names.get("offices", []):
            self.offices.setdefault(entry["name"].lower(), []).append((entry["role"], entry["from"], entry["to"]))
            surnames.setdefault(entry["name"].lower().rsplit(" ", 1)[-1], set()).add(entry["name"].lower())
        for surname, holders in surnames.items():
            if len(holders) == 1 and surname not in self.offices:
                self.offices[surname] = self.offices[next(iter(holders))]
        self.committee_verbs = set(names.get("committee_verbs", []))
        self.speech_verbs = set(lexicon.relations["quotes"]["speech_verbs"])
        #: Verbs only someone does: a name the model left unlabelled that says, attacks or backs is somebody.
        self.acting_verbs = self.speech_verbs | set(lexicon.verbs)
        self.ballot = _ballot_pattern(names.get("ballot_stances", []), names.get("ballot_measure_words", []))
        self.ambiguous_titles = set(names.get("ambiguous_titles", []))
        self.post_nominals = set(names.get("post_nominals", []))
        self.role_words = {tuple(w.split()) for w in names.get("role_words", [])}
        self.not_entity_heads = set(names.get("not_entity_heads", []))
        self.thing_nouns_after = set(names.get("thing_nouns_after", []))
        self.vessel_prefixes = set(names.get("vessel_prefixes", []))
        self.peoples: dict[str, str] = names.get("peoples", {})
        self.not_entity_first_words = set(names.get("not_entity_first_words", []))
        self.sentence_openers = set(names.get("sentence_openers", []))
        self.numbered_names = set(names.get("numbered_names", []))
        self.chamber_words = set(names.get("chamber_words", []))
        self.contest_nouns = set(names.get("contest_nouns", []))
        programmes = sorted(names.get("programmes", []), key=len, reverse=True)
        self.programmes = re.compile(r"\b(?:%s)(?!\w)" % "|".join(re.escape(p) for p in programmes)) if programmes else None
        self.company_nouns = set(names.get("company_nouns", []))
        self.labelling_verbs = set(lexicon.relations["quotes"]["labelling_verbs"])
        self.place_words = set(names.get("place_words", []))
        self.government_nouns = set(names.get("government_nouns", []))
        self.name_particles = set(names.get("name_particles", []))
        self.party_adjectives = dict(names.get("party_adjectives", {}))
        self.owned_things = set(lexicon.relations.get("owned_things", {}).get("words", []))
        self.party_members = set(lexicon.relations.get("party_members", {}).get("words", []))
        self.place_first_words = set(names.get("place_first_words", []))
        #: words that head a place's name before "of": the place words and the place heads
        self.place_heads = self.place_words | set(names.get("place_heads", []))
        self.place_nouns = set(names.get("place_nouns", []))
        self.seat_holders = set(names.get("seat_holders", []))
        self.byline_words = set(names.get("byline_words", []))
        self.compass_parts = set(names.get("compass_parts", []))
        self.hyphen_suffix_words = set(names.get("hyphen_suffix_words", []))
        #: every written form of every gazetteer entry, with its entry
        forms = [(entry, form) for entry in names.get("gazetteer", []) for form in (entry["name"], *entry.get("aliases", []))]
        #: name key of every form -> (the entry's name, its type)
        self.gazetteer = {_key(form): (entry["name"], entry["type"]) for entry, form in forms}
        #: known names joined by "and", "&" or commas, which a run of capitalised words would cut
        #: ("Bureau of Alcohol, Tobacco, Firearms and Explosives"): found in the text before any run
        joined = sorted({form for _, form in forms if re.search(r" and |, | & ", form)}, key=len, reverse=True)
        self.joined_names = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in joined)) \
            if joined else None
        #: known names of one word, exactly as written ("Labour", "Tories", "ICE")
        self.known_words = {form for _, form in forms if " " not in form and form[:1].isupper()}
        #: first word -> the other words of every known name of several capitalised words
        self.gazetteer_openers: dict[str, list[tuple[str, ...]]] = {}
        for _, form in forms:
            words = tuple(form.split())
            if len(words) > 1 and all(w[:1].isupper() for w in words):
                self.gazetteer_openers.setdefault(words[0], []).append(words[1:])

    # -- finding names -------------------------------------------------
    def __call__(self, doc: Doc, published: str | None = None, headline: int = 0) -> DocEntities:
        """The article's entities; `published` (the article's date, as written) dates the offices its
        descriptions may name ("the prime minister"); the doc's first `headline` tokens are its headline."""
        text = doc.text
        patterns = (PARTY_TAG, DATELINE, WIRE_DATELINE, TICKER) + ((self.programmes,) if self.programmes else ())
        excluded = set().union(*(_pattern_tokens(doc, pattern, text) for pattern in patterns))
        mentions = self._joined_names(doc, text, excluded)
        mentions += self._ballot_campaigns(doc, text, excluded | {i for m in mentions for i in range(m.start, m.end)})
        excluded |= {i for m in mentions for i in range(m.start, m.end)}
        capitalised = [t.text[:1].isupper() for t in doc]
        i = 0
        while i < len(doc):
            end = self._run_end(doc, i, excluded) if capitalised[i] else i
            if end > i:
                ordinal = i > 0 and ORDINAL_WORD.fullmatch(doc[i - 1].text) is not None \
                    and any(t.lower_ in self.numbered_names for t in doc[i:end])
                run = doc[_article_before(doc, i - 1 if ordinal else i):end]  # "the 9th U.S. Circuit Court of Appeals"
                mention = self._mention(run) or self._owning_party(run)
                if mention is not None:
                    mentions.append(mention)
                    before = self._organisation_before(doc, run.start, mention.start)
                    if before is not None:
                        mentions.append(before)
                i = end
            else:
                i += 1
        covered = {i for m in mentions for i in range(m.start, m.end)}
        mentions += self._later_mentions(doc, mentions, covered | excluded)
        mentions.sort(key=lambda m: m.start)
        clusters = self._cluster(doc, mentions, headline)
        token_cluster = {i: n for n, c in enumerate(clusters) for m in c.mentions for i in range(m.start, m.end)}
        entities = DocEntities(clusters, token_cluster, list(doc.sents))
        # descriptions first: "the governor accused him" binds "him" away from the governor
        self._resolve_descriptions(doc, entities, _years(published))
        self._resolve_pronouns(doc, entities)
        return entities

    def _organisation_before(self, doc: Doc, start: int, stop: int) -> Mention | None:
        """'the Harbour Pilots Association Tom Greer': the organisation the model reads before the person's name
        is named too."""
        while start < stop and doc[start].lower_ in ("the", "a", "an"):
            start += 1
        if stop - start < 2 or not all(doc[i].ent_type_ == "ORG" for i in range(start, stop)) or doc[stop].ent_type_ != "PERSON":
            return None
        return self._mention(doc[start:stop])

    def _owning_party(self, run: Span) -> Mention | None:
        """'the Republican tax bill', 'the Democratic plan': a party adjective, no name on its own, names the
        party when it stands before a thing the party owns, or before its members ('Republican lawmakers')."""
        token = run[0]
        party = self.party_adjectives.get(token.lower_)
        if party is None or len(run) > 1 or token.dep_ not in ("amod", "compound", "conj") or token.head.pos_ not in ("NOUN", "ADJ") \
                or token.head.lower_ not in self.owned_things and _member_noun(token).lower_ not in self.party_members:
            return None
        canonical, kind = self.gazetteer.get(_key(party), (None, "NORP"))
        return Mention(token.i, token.i + 1, party, Counter({kind: 10}), canonical=canonical)

    def _joined_names(self, doc: Doc, text: str, excluded: set[int]) -> list[Mention]:
        """'the Centers for Medicare and Medicaid Services': a known name with a connector inside, whole."""
        found = []
        for match in self.joined_names.finditer(text) if self.joined_names else ():
            span = doc.char_span(match.start(), match.end())
            if span is None or any(i in excluded for i in range(span.start, span.end)):
                continue
            canonical, kind = self.gazetteer[_key(match.group(0))]
            found.append(Mention(span.start, span.end, _clean_name(span.text), Counter({kind: 10 * len(span)}),
                                 canonical=canonical))
        return found

    def _ballot_campaigns(self, doc: Doc, text: str, excluded: set[int]) -> list[Mention]:
        """'Yes on 12', 'No on Measure B', 'the Yes on 14 Coalition': campaigns for or against a ballot measure."""
        found = []
        if self.ballot is None:
            return found
        for match in self.ballot.finditer(text):
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is None or any(i in excluded for i in range(span.start, span.end)):
                continue
            end = span.end
            while end < len(doc) and end not in excluded and self._is_name_word(doc[end]):
                end += 1  # "Yes on 14 Coalition"
            name = re.sub(r"(?<=\b[A-Z])\.$", "", _clean_name(doc[span.start:end].text))  # "Yes on Measure Q."
            found.append(Mention(span.start, end, name, Counter({"ORG": 3 * (end - span.start)})))
        return found

    def _is_name_word(self, token: Token) -> bool:
        if not token.text[:1].isupper() or token.ent_type_ in OTHER_NER:
            return False  # every name word is capitalised
        if token.pos_ == "PROPN" or token.ent_type_ in ENTITY_LABELS or self._opens_known_name(token) \
                or token.text in self.known_words and (token.pos_ != "ADJ" or self._party_role_follows(token)):
            return True  # "Labour MPs" opening a sentence: the tagger reads "Labour" as the common noun
        # "Citizens for a Cleaner Harbor": a capitalised organisation word the tagger calls a common noun;
        # "Dolores Fairweather": a known first name the tagger calls a common noun, before a proper noun
        return token.pos_ == "NOUN" and (
            token.lower_ in self.groups or token.lower_ in self.org_keywords or (
                token.lower_ in self.female_names or token.lower_ in self.male_names) and token.i + 1 < len(token.doc)
            and token.nbor(1).pos_ == "PROPN" and token.nbor(1).text[:1].isupper())

    def _nickname(self, span: Span) -> bool:
        """A name in quote marks right after the one a labelling verb ("dub", "brand", "call") names."""
        doc, start, end = span.doc, span.start, span.end
        if start < 2 or end >= len(doc) or not (doc[start - 1].is_quote and doc[end].is_quote):
            return False
        named = doc[start - 2]
        return named.pos_ in ("PROPN", "PRON", "NOUN") and any(
            t.lemma_.lower() in self.labelling_verbs for t in (named.head, named.head.head))

    def _party_role_follows(self, token: Token) -> bool:
        """'Conservative leader X', 'Labour MPs': a known name written as an adjective before a title or a
        body's members names the body; 'Conservative groups' does not."""
        after = token.nbor(1) if token.i + 1 < len(token.doc) else None
        return after is not None and (after.lower_ in self.titles_by_first or PLURAL_ACRONYM.match(after.text) is not None)

    def _opens_known_name(self, token: Token) -> bool:
        """'Liberal Democrat spokesman': the tagger calls the first word of a known name an adjective;
        it is a name word when the rest of that name follows it."""
        doc = token.doc
        return any(token.i + len(rest) < len(doc) and all(doc[token.i + 1 + k].text == w for k, w in enumerate(rest))
                   for rest in self.gazetteer_openers.get(token.text, ()))

    def _run_end(self, doc: Doc, start: int, excluded: set[int]) -> int:
        """End of the run of name words that starts at `start` (start itself when none).

        Parses of long names are unreliable, so a name is a contiguous run of
        capitalised proper nouns, joined by "of"/"for" inside organisation
        names, "and" inside one NER organisation, and unspaced hyphens.
        """
        if start in excluded or not self._is_name_word(doc[start]):
            return start
        end = start + 1
        while end < len(doc) and end not in excluded:
            token = doc[end]
            if _shouted(token) and not _shouted(doc[end - 1]) and token.lower_ not in self.org_keywords:
                break  # "By Ann Lee WASHINGTON (Reuters)": a byline runs into the dateline
            if self._is_name_word(token) or token.text in ("Co.", "Inc.", "Corp.", "Ltd."):
                end += 1
            elif token.lower_ in self.name_particles and token.ent_iob_ == "I" and (past := self._particles_end(doc, end)) > end:
                end = past  # "Bill de Blasio", "Julia de la Rosa": particles inside the model's name
            elif token.tag_ == "PRP$" and token.text[:1].isupper() and end + 1 < len(doc) and self._is_name_word(doc[end + 1]):
                end += 1  # "Restore Our Republic", "Save Our Schools": a capitalised possessive inside a name
            elif token.like_num and doc[end - 1].lower_ in self.numbered_units:
                end += 1
            elif token.tag_ == "POS" and token.ent_type_ == "ORG" and _inside_one_entity(token) and end + 1 < len(doc) \
                    and _inside_one_entity(doc[end + 1]) and not self._owner_named(doc, start, end) and not any(
                        t.lower_ in self.titles_by_first for t in doc[end + 1:_entity_end(doc, end + 1) + 1]):
                end += 1  # "the Harbor Pilots' Benevolent Society": a possessive inside one NER name
            elif token.tag_ == "POS" and token.text in ("'", "’") and end + 1 < len(doc) and \
                    self._is_name_word(doc[end + 1]) and doc[end + 1].lower_ in self.org_keywords:
                end += 1  # "the Rail Workers' Alliance", "the Teachers' Union": a plural possessive before an organisation word
            elif token.text == "-" and not doc[end - 1].whitespace_ and not token.whitespace_ and end + 1 < len(doc) and (
                    self._is_name_word(doc[end + 1]) and not self._two_places(doc[end - 1], doc[end + 1])
                    or doc[end - 1].ent_type_ == "PERSON" and re.fullmatch(r"[a-z]{1,4}", doc[end + 1].text)
                    and doc[end + 1].lower_ not in self.hyphen_suffix_words):
                # "Kilroy-Silk", and the lower-case part of a given name ("Moon Jae-in", "Kim Dae-jung");
                # not "Republican-controlled", "Chicago-based", "U.S.-Pakistan", "Trump-led"
                end += 2
            elif (token.lower_ in ("of", "for", "and", "&", "on") or token.lower_ == "to" and end + 1 < len(doc) and (
                    token.tag_ == "TO" or doc[end + 1].lower_ in self.committee_verbs)) and end + 1 < len(doc) \
                    and self._is_name_word(doc[end + 1]):
                if not self._connector_joins(doc, start, end):
                    break
                end += 1  # "Citizens for Clean Harbors", "Coalition to Save Elm Park", "Okonkwo for Mayor"
            elif token.text == "," and end - start == 1 and (past := self._partners_end(doc, end)) > end:
                end = past  # "Keefe, Bruyette & Woods": a firm named for its partners
            elif token.lower_ in ("of", "for", "on") and end + 2 < len(doc) and doc[end + 1].lower_ in ("a", "an", "the") \
                    and self._is_name_word(doc[end + 2]) and self._connector_joins(doc, start, end, skip=1):
                end += 2  # "Citizens for a Cleaner Harbor", "Coalition for the Homeless"
            else:
                break
        if end < len(doc) and doc[end].lower_ in self.government_nouns and doc[end].pos_ == "NOUN" \
                and end not in excluded and doc[start:end].label_ != "GPE" and doc[end - 1].ent_type_ in ("PERSON", "ORG"):
            end += 1  # "the Trump administration", "the Blair government": a government named for its leader
        return end

    def _partners_end(self, doc: Doc, at: int) -> int:
        """Past ", Bruyette & Woods" from the comma at `at`: one-word names between commas, the last after "&";
        else `at`."""
        end = at
        while end + 2 < len(doc) and doc[end].text == "," and self._is_name_word(doc[end + 1]) \
                and doc[end + 1].lower_ not in known_places() and doc[end - 1].lower_ not in known_places():
            end += 2
            if doc[end].text == "&" or doc[end].text == "," and end + 1 < len(doc) and doc[end + 1].text == "&":
                end += 1 if doc[end].text == "&" else 2
                return end + 1 if end < len(doc) and self._is_name_word(doc[end]) else at
        return at

    def _particles_end(self, doc: Doc, at: int) -> int:
        """Past the particles from `at` when the same model entity goes on with a name word after them, else `at`."""
        end = at
        while end < len(doc) and doc[end].ent_iob_ == "I" and (doc[end].lower_ in self.name_particles or (
                doc[end].text == "-" and doc[end - 1].lower_ in self.name_particles and not doc[end - 1].whitespace_)):
            end += 1  # "de la", and "al-" in "Bashar al-Assad"
        return end if end < len(doc) and doc[end].ent_iob_ == "I" and self._is_name_word(doc[end]) else at

    def _two_places(self, left: Token, right: Token) -> bool:
        """'U.S.-Pakistan talks', 'U.S.-Canadian': two places or peoples side by side, not one double-barrelled name."""
        if f"{left.lower_}-{right.lower_}" in known_places():
            return False  # "Guinea-Bissau"
        return any(t.ent_type_ in ("GPE", "NORP") or t.lower_ in known_places() for t in (left, right))

    def _owner_named(self, doc: Doc, start: int, at: int) -> bool:
        """'Congress's Joint Committee', 'Trump's Energy Secretary': the owner before a possessive is a name of its own."""
        owner = doc[start:at].text
        return _key(owner) in self.gazetteer or _times_written(doc, doc[at - 1].text) > 1

    def _connector_joins(self, doc: Doc, start: int, at: int, skip: int = 0) -> bool:
        connector = doc[at]
        stop = at + 1 + skip
        while stop < len(doc) and self._is_name_word(doc[stop]):
            stop += 1
        lowers = {i: doc[i].lower_ for i in range(start, stop)}
        for opens in range(start, at):
            title = self._title_at(lowers, opens, stop)
            if title is not None and opens + len(title) > at + 1:
                return True  # "(FBI) Chief of Staff X", "Secretary of State X": the connector is inside a title
        if connector.lower_ == "for" and not skip:
            if self._office_sought(doc, at, stop):
                return False  # "Francisco Olmedo for City Council president": the office he seeks
            if self._committee_for(doc, start, at, stop):
                return True
        if self._titled_person(doc, start, at) or at - start > 1 and all(t.ent_type_ == "PERSON" for t in doc[start:at]):
            return False  # "Jon Whiten of the Revenue Department": a person and where they work  # "Ald. Francisco Olmedo for City Council president": the office sought, not a name
        if connector.lower_ == "and" and self._two_surnames(doc, start, at, stop):
            return False  # "Kowalczyk and Brandt": two people, each also named apart from the other
        if connector.ent_type_ == "ORG" and connector.ent_iob_ == "I":
            return True
        if connector.lower_ in ("and", "&"):
            return False
        if connector.lower_ == "on":
            return any(t.lower_ in self.org_keywords for t in doc[start:at])  # "Committee on X", not "a Democrat on the X"
        if connector.lower_ == "of" and doc[at - 1].lower_ in self.place_heads:
            return True  # "the Great Hall of the People", "the Palace of Westminster"
        words = {t.lower_ for t in doc[start:stop]}
        return bool(words & self.org_keywords) or self._org_noun_after(doc, stop)

    def _two_surnames(self, doc: Doc, start: int, at: int, stop: int) -> bool:
        """One plain word on each side of "and", one of them written elsewhere in the article: two names, not
        one firm's ("Marks and Spencer" is written whole each time)."""
        left, right = doc[start:at], doc[at + 1:stop]
        if len(left) != 1 or len(right) != 1 or not self._surname_like([left.text.lower()]) \
                or not self._surname_like([right.text.lower()]):
            return False
        together = sum(1 for t in doc[:-2] if t.text == left.text and t.nbor(1).lower_ == "and" and t.nbor(2).text == right.text)
        return max(_times_written(doc, left.text), _times_written(doc, right.text)) > together

    def _org_noun_after(self, doc: Doc, at: int) -> bool:
        """'the Sons of the Frontier militia', 'the Midvale Courier editorial board': a lower-case
        organisation noun right after a name (an adjective may come between) says the name is an organisation's."""
        if at < len(doc) and doc[at].pos_ == "ADJ" and doc[at].is_lower:
            at += 1
        return at < len(doc) and doc[at].is_lower and doc[at].pos_ == "NOUN" and doc[at].lower_ in self.org_keywords

    def _committee_for(self, doc: Doc, start: int, at: int, stop: int) -> bool:
        """'the Okonkwo for Mayor committee', 'Valdez for Council': a candidate's committee named for the office.

        It is a name, not "X (endorsed) for mayor", when a committee noun follows, when "the" stands
        before it, or when a surname alone stands before "for".
        """
        if tuple(t.lower_ for t in doc[at + 1:stop]) not in self.campaign_offices:
            return False
        after = doc[stop].lower_ if stop < len(doc) else ""
        before = doc[start - 1].lower_ if start > 0 else ""
        return after in self.org_keywords or after == "campaign" or before == "the" or at - start == 1

    def _office_sought(self, doc: Doc, at: int, stop: int) -> bool:
        """'for City Council president', 'for Senate seat': capitalised office words that go on in a lower-case noun."""
        if stop >= len(doc) or doc[stop].pos_ != "NOUN" or not doc[stop].is_lower:
            return False
        return doc[stop].lower_ not in self.org_keywords and doc[stop].lower_ != "campaign" and any(
            (t.lower_,) in self.campaign_offices or t.lower_ in self.org_keywords for t in doc[at + 1:stop])

    def _titled_person(self, doc: Doc, start: int, at: int) -> bool:
        """Does the run before a connector start with a personal title and go on with a person's name?"""
        lowers = {i: doc[i].lower_ for i in range(start, at)}
        words = self._title_at(lowers, start, at) if at - start > 1 else None
        return words is not None and self._person_like([lowers[i] for i in range(start + len(words), at)])

    def _mention(self, run: Span) -> Mention | None:
        if self._nickname(run):
            return None  # 'dubbing Mr Brandt "Sir Spendalot"': a label given to someone named before it
        span, title = self._strip(run)
        if not len(span):
            return None
        name = _clean_name(span.text)
        if not name or re.sub(r"^(?:U\.S\.|US) ", "", name).lower() in self.not_names or not any(c.isalpha() for c in name) \
                or name.startswith("-"):
            return None  # "-Senate" of "House-Senate" is a fragment
        if len(span) == 1 and span[0].lower_ in self.corporate_suffixes:
            return None  # "Co" of "Eli Lilly and Co", cut off by the model
        if span[0].lower_ in self.not_entity_first_words or _in_topic_code(span) or _hashtag(span):
            return None  # "Hurricane Odalys" is weather; "[KX/LOANS]" a wire service's topic code; "#VoteNow" a tag
        words = name.split()
        known = self.gazetteer.get(_key(name)) or len(words) > 1 and words[-1].lower().rstrip(".") in self.corporate_suffixes \
            and self.gazetteer.get(_key(" ".join(words[:-1]))) or None  # "Facebook Inc" is Facebook
        if known is not None:
            return Mention(span.start, span.end, name, Counter({known[1]: 10 * len(span)}), canonical=known[0])
        inner = self._gazetteer_part(span)
        if inner is not None:
            return self._mention(inner)  # "Trump White House", "BBC Michael Howard": a name glued to a known one
        if len(span) == 1 and span[0].ent_type_ in ("GPE", "NORP") and _joins_two_places(span.text) or self._pair_modifier(span, name):
            return None  # "U.S.-Pakistan talks", "U.S.-Canadian", "Trump-Russia ties": two names side by side describe a thing
        if len(span) > 1 and all(t.text.isupper() for t in span if t.is_alpha) and any(len(t.text) >= 6 for t in span) \
                or len(span) == 1 and span.text.isalpha() and span.text.isupper() and len(span.text) >= 7 \
                and span.text.lower() not in known_places():
            return None  # "TERRITORIAL SYSTEM", "INDIVIDUAL": a heading in capitals; acronyms are shorter
        last = span[-1].lower_
        if len(span) == 1 and span[0].lower_ in self.org_keywords:
            return Mention(span.start, span.end, name, Counter({"ORG": 1}), generic=True)  # "Union backs X": which union?
        if last in self.law_words or last.rstrip("s") in self.law_words or last in self.not_entity_heads or PLURAL_ACRONYM.match(name) \
                or any(t.lower_ in self.law_words and t.nbor().lower_ in ("of", "on") for t in span[:-1]):
            return None  # "the Fair Pay Act" is a bill, "the Treaty of Rome" too; "the Vietnam War" is an event
        if len(span) > 1 and span[0].lower_ in self.vessel_prefixes and span[0].text.isupper():
            return None  # "HMS Chatham": a ship
        if len(span) > 1 and span[-1].lower_ in self.chamber_words and span[0].lower_ in known_places() \
                and not CONNECTORS & {t.lower_ for t in span} and span.end < len(span.doc) \
                and span.doc[span.end].is_lower and span.doc[span.end].lemma_.lower() in self.contest_nouns:
            return None  # "the Ohio Senate race": a contest for a seat, not the state's chamber
        if span.end < len(span.doc) and span.doc[span.end].is_lower and span.doc[span.end].lemma_.lower() in self.thing_nouns_after \
                and span.root.head.i == span.end:
            return None  # "Motor Neurone disease", "the Foreign Military Sales system": the name of a thing
        if len(span) == 2 and span[0].lower_ in self.chamber_words and span[1].text[-1:] == "s" \
                and _key(span[1].text) in self.gazetteer:
            return self._mention(span[1:])  # "House Democrats", "Senate Republicans": the party, by its members in a chamber
        if self._bare_title(span) or self._bare_role(span):
            return None  # "the Housing Secretary, X,", "the Michigan Democrat": a role, the name comes elsewhere
        if _common_noun_after_possessive(span) or self._capitalised_common_words(span):
            return None  # "our Country", "my Flag", "the Stock Market": common nouns written with capitals
        if len(span) == 1 and span[0].is_stop or name.startswith("-"):
            return None  # "While", "Great": a capitalised function word; "-Levels": a fragment
        if len(span) == 1 and _opens_sentence(span[0]) and not ACRONYM.match(span.text) and span[0].lower_ not in known_places() and not _clause_subject(span[0]) and (
                span[0].ent_type_ in ("", "PERSON") and _times_written(span.doc, span.text) == 1
                and span[0].lower_ not in self.male_names and span[0].lower_ not in self.female_names
                or not span[0].ent_type_ or _times_written(span.doc, span[0].lower_) > 0):
            return None  # "Benchmark yields rose", "Coal plants ... coal": a capitalised common word opening a sentence
        votes = self._votes(span, title)
        if not votes:
            return None
        return Mention(span.start, span.end, name, votes, self._gender(span, title), title)

    def _strip(self, span: Span) -> tuple[Span, str | None]:
        """Remove leading determiners, modifiers and titles; keep the title seen."""
        doc, start, end = span.doc, span.start, span.end
        lowers = {i: doc[i].lower_ for i in range(start, end)}
        title = None
        while end - start > 1 and lowers[end - 1] in self.post_nominals and doc[end - 1].text.isupper():
            end -= 1  # "Jane Doe MP", "John Smith OBE"
        if end - start > 1 and PLURAL_ACRONYM.match(doc[end - 1].text):
            end -= 1  # "Labour MPs", "Lib Dem MEPs": the party's members, named by the party
        changed = True
        while changed and start < end:
            changed = False
            if lowers[start] in ("the", "a", "an") or lowers[start] in self.sentence_openers and _opens_sentence(doc[start]):
                start += 1  # "Though Trump said", "Follow Trump's ...": the word before the name opens the sentence
                changed = True
                continue
            after = start
            while after < end - 1 and lowers[after] in self.title_modifiers:
                after += 1
            if after > start and self._person_follows(doc, lowers, after, end):
                start, changed = after, True  # "House Speaker X", "former Gov. X"; not "House of Representatives"
                continue
            words = self._title_at(lowers, start, end - 1)
            if words and self._title_strips(span.doc, words, start, end):
                title = " ".join(words)
                start += len(words)
                changed = True
        # "Sen." heads a name only when a name follows; a lone title is no name, nor an office ("Commissioner of X"),
        # unless the gazetteer knows it ("U.S. Senator X", but "criticised the U.S.").
        if start < end and (end - start == 1 and (lowers[start],) in self.titles_by_first.get(lowers[start], ())
                            and _key(doc[start].text) not in self.gazetteer or lowers[start] in CONNECTORS):
            return doc[start:start], title
        while end > start and doc[end - 1].text in ("'s", "’s", "'", "’"):
            end -= 1
        start, end = self._without_party_adjective(doc, start, end)
        inner = self._inner_title(doc, lowers, start, end)
        if inner is not None:
            return self._strip(doc[inner:end])
        person = _trailing_person(doc, start, end)
        if person is not None and (title is not None or person - start >= 2 and all(
                doc[i].ent_type_ == "ORG" for i in range(start, person)) and self._person_like([lowers[i] for i in range(person, end)])):
            return doc[person:end], title  # "Secretary of Homeland Security Dana Whitcomb", "Homeland Security Dana Whitcomb"
        role_end = self._role_before_name(lowers, start, end, doc)
        if role_end is not None:
            return doc[role_end:end], title or ROLE  # a party or role word says the name is a person's
        return doc[start:end], title

    def _without_party_adjective(self, doc: Doc, start: int, end: int) -> tuple[int, int]:
        """'House Democratic leader', 'Republican Senate candidate', 'Republican Trump's campaign': a party
        adjective glued to a chamber or a surname describes a role or a person; it is no part of the name.

        At the end it must stand before the noun it describes ("the Montana Republican said" is a person
        named elsewhere). A party adjective opens the names of parties and their bodies ("Republican
        National Committee", "Republican Guard"), so it comes off the front only before one proper noun
        that is no organisation word, title or plural ("Republican Senators"), and not before "of"
        ("Democratic Republic of Congo"); before a chamber it describes a member of the chamber's body."""
        if end - start > 1 and doc[end - 1].lower_ in self.party_adjectives and end < len(doc) \
                and doc[end].pos_ == "NOUN" and doc[end].is_lower:
            end -= 1
        if end - start == 2 and doc[start].lower_ in self.party_adjectives \
                and not (end < len(doc) and doc[end].lower_ == "of"):
            rest = doc[start + 1]
            if rest.tag_ == "NNP" and rest.lower_ not in self.org_keywords \
                    and (rest.lower_,) not in self.titles_by_first.get(rest.lower_, ()):
                start += 1
        elif end - start > 2 and doc[start].lower_ in self.party_adjectives and doc[start + 1].lower_ in ("senate", "house", "u.s.", "us"):
            start += 1  # "Republican Senate Finance Committee member X": the member's party, the chamber's committee
        return start, end

    def _capitalised_common_words(self, span: Span) -> bool:
        """'a total Witch Hunt', 'the Stock Market': several words the article also writes in lower case, none a
        first name or an organisation word, that the model does not call an organisation, place or group, are
        common nouns written with capitals for emphasis."""
        return len(span) > 1 and all(
            t.text != t.lower_ and t.is_alpha and _times_written(span.doc, t.lower_) > 0
            and t.ent_type_ not in ("ORG", "GPE", "NORP", "FAC", "LOC") and t.lower_ not in self.org_keywords
            and t.lower_ not in self.female_names and t.lower_ not in self.male_names for t in span)

    def _pair_modifier(self, span: Span, name: str) -> bool:
        """'U.S.-Russia relations', 'Trump-Russia ties', 'the Trump-Putin meeting': two names, one a place or both
        office holders, joined by a hyphen before the noun they describe."""
        doc = span.doc
        parts = name.split("-")
        return _joins_two_places(name) and span.end < len(doc) and doc[span.end].is_lower and doc[span.end].pos_ == "NOUN" and (
            any(part.lower() in known_places() or self.gazetteer.get(_key(part), ("", ""))[1] == "GPE" for part in parts)
            or all(part.lower() in self.offices for part in parts))

    def _gazetteer_part(self, span: Span) -> Span | None:
        """The known name after one other word ("Trump White House"), or the person's name after a known one
        ("BBC Michael Howard"); None when neither."""
        first = span[0]
        if len(span) > 2 and first.ent_type_ not in ("GPE", "NORP", "LOC") and first.lower_ not in self.org_keywords \
                and first.lower_ not in known_places() and _key(span.doc[span.start + 1:span.end].text) in self.gazetteer:
            return span.doc[span.start + 1:span.end]  # one name before a known one: "Obama White House"
        for cut in range(span.end - 1, span.start, -1):
            rest = [t.lower_ for t in span.doc[cut:span.end]]
            if _key(span.doc[span.start:cut].text) in self.gazetteer and self._person_like(rest):
                return span.doc[cut:span.end]
        return None

    def _person_follows(self, doc: Doc, lowers: dict[int, str], at: int, end: int) -> bool:
        """Does a title or a person's plain, capitalised name start at `at`?"""
        return self._title_at(lowers, at, end - 1) is not None or self._person_like([lowers[i] for i in range(at, end)]) and all(
            doc[i].text[:1].isupper() for i in range(at, end))

    def _title_strips(self, doc: Doc, words: tuple[str, ...], at: int, end: int) -> bool:
        """A title comes off a name unless it begins an organisation's name ("General Motors", "Lord's Taverners",
        and any company's: "Cardinal Health Inc")."""
        rest = [doc[i] for i in range(at + len(words), end)]
        if rest and rest[-1].lower_ in self.corporate_suffixes:
            return False
        if words in (("u.s.",), ("us",)) and len(rest) == 1 and rest[0].lower_ in self.org_keywords:
            return False  # "the U.S. Embassy", "the U.S. Army": the country names which one
        if " ".join(words) not in self.ambiguous_titles:
            return True
        if any(t.lower_ in self.org_keywords or t.lower_ in self.corporate_suffixes for t in rest):
            return False
        return not (doc[at].ent_type_ in ("ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT") and doc[at].ent_iob_ == "B")

    def _role_before_name(self, lowers: dict[int, str], start: int, end: int, doc: Doc) -> int | None:
        """'Democrat Ralph Northam', 'Texas Republican Blake Farenthold', 'New York Republican Zeldin' (a
        headline's surname), 'Prominent Zeldin' when the article writes the surname again: where the name
        after a party or role word starts."""
        for at in range(end - 2, start - 1, -1):
            for n in (2, 1):
                rest = [lowers[i] for i in range(at + n, end)]
                if at + n < end and tuple(lowers[at + k] for k in range(n)) in self.role_words \
                        and (self._person_like(rest) or (at > start or _times_written(doc, doc[end - 1].text) > 1)
                             and self._surname_like(rest) and not CONNECTORS & {lowers[i] for i in range(start, end)}):
                    return at + n
        return None

    def _surname_like(self, words: list[str]) -> bool:
        """One plain word that is no organisation, group, place, role word or title."""
        return len(words) == 1 and PLAIN_WORD.fullmatch(words[0]) is not None and not (
            words[0] in self.org_keywords or words[0] in self.corporate_suffixes or words[0] in self.groups
            or words[0] in known_places() or (words[0],) in self.role_words
            or (words[0],) in self.titles_by_first.get(words[0], ()))

    def _bare_role(self, span: Span) -> bool:
        """'Michigan Democrat', 'Texas Republican': a place and a party word describe someone named elsewhere."""
        return len(span) > 1 and (span[-1].lower_,) in self.role_words and all(t.text[:1].isupper() for t in span)

    def _bare_title(self, span: Span) -> bool:
        """A run that ends in a personal title and holds no first name ("Housing Secretary", "Finance Minister")."""
        last = span[-1].lower_
        return len(span) > 1 and (last,) in self.titles_by_first.get(last, ()) and all(
            t.text[:1].isupper() and t.lower_ not in self.female_names and t.lower_ not in self.male_names for t in span)

    def _title_at(self, lowers: dict[int, str], at: int, stop: int) -> tuple[str, ...] | None:
        """The longest personal title starting at token `at` and ending before `stop`."""
        for words in self.titles_by_first.get(lowers[at], ()):
            n = len(words)
            if at + n <= stop and all(lowers[at + k] == w for k, w in enumerate(words)):
                return words
        return None

    def _inner_title(self, doc: Doc, lowers: dict[int, str], start: int, end: int) -> int | None:
        """'Port Adley Mayor Lucia Ferrante', 'Japanese Emperor Akihito': a title inside a run starts the person's name."""
        for at in range(start + 1, end - 1):
            for words in self.titles_by_first.get(lowers[at], ()):
                n = len(words)
                if at + n <= end and all(lowers[at + k] == w for k, w in enumerate(words)) and (
                        self._person_like([lowers[i] for i in range(at + n, end)])
                        or at + n == end - 1 and doc[end - 1].ent_type_ == "PERSON"):
                    return at
        return None

    def _votes(self, span: Span, title: str | None) -> Counter:
        votes: Counter = Counter()
        words = [t.lower_ for t in span]
        # The small model calls many unknown person names a product, a work or a facility: those labels
        # count only against names not shaped like a person's ("World War II", "Dow Jones Industrial Average").
        person_shaped = self._person_like(words)
        for token in span:
            label = token.ent_type_ if person_shaped else NER_VOTES.get(token.ent_type_, token.ent_type_)
            if label in ENTITY_LABELS or label == THING:
                votes[label] += 1
        # "Virginia Foxx" is named, "the Virginia Senate" (the model's organisation) is a place's body
        place_body = words[0] in known_places() and span[0].ent_type_ in ("ORG", "GPE", "FAC")
        first_named = len(words) == 2 and (words[0] in self.female_names or words[0] in self.male_names) and not place_body
        if DISTRICT.fullmatch(span.text):
            votes["GPE"] += 3 * len(span)  # "the Eastern District of Texas", "House District 28": a district is a place
        elif any(w in self.org_keywords for w in words) and len(words) > 1 and not first_named or words[-1] in self.corporate_suffixes or (
                "for" in words[1:-1] and tuple(words[words.index("for", 1) + 1:]) in self.campaign_offices):
            votes["ORG"] += 3 * len(span)
        elif words[-1] in self.groups:
            votes["NORP"] += 3 * len(span)  # "Republicans", "the Tamaki Independents"
        elif span.start > 0 and span.doc[span.start - 1].lower_ in self.company_nouns and span.doc[span.start - 1].is_lower:
            votes["ORG"] += 3 * len(span)  # "brokerage Pellworth", "law firm Marsh Tolland": what the name is, said before it
        elif self._business_in_apposition(span):
            votes["ORG"] += 3 * len(span)  # "Pellworth, a chain that ...": what the name is, said after it
        elif not first_named and title is None and (len(span) == 1 or span[0].ent_type_ != "PERSON") \
                and self._place_in_apposition(span):
            votes["GPE"] += 3 * len(span)  # "at Little Hadham, Hertfordshire": a place placed in its county or state
        elif len(words) > 1 and (words[-1] in self.place_words or words[0] in self.place_first_words
                                 or "of" in words[1:] and words[words.index("of") - 1] in self.place_heads):
            votes["GPE"] += 3 * len(span)  # "South China Sea", "Camp Lejeune", "Trump Tower", "Palace of Westminster": places
        elif self._place_noun_beside(span):
            votes["GPE"] += 3 * len(span)  # "the village of Little Hadham", "the Hadham constituency"
        elif len(words) > 1 and words[0] in known_places() and " ".join(words[1:]) in self.compass_parts:
            votes["GPE"] += 3 * len(span)  # "Bristol West", "Leeds North West": a district or constituency of a place
        elif len(words) == 1 and (is_demonym(words[0]) or words[0] in self.peoples) \
                or len(span) > 1 and span[-1].tag_ == "NNPS" and is_demonym(words[-1]):
            votes["NORP"] += 3 * len(span)  # "Bangladeshi", "Ukrainians", "North Koreans": a country's people
        elif len(words) == 1 and words[0] in self.offices:
            votes["PERSON"] += 2  # "Trump", "Blunkett": the surname of a known office holder, which the model may call an organisation
        elif not first_named and not (len(words) == 1 and (words[0] in self.female_names or words[0] in self.male_names)) \
                and " ".join(words) in known_places():
            votes["GPE"] += 2 * len(span)  # "New Zealand", "Derbyshire": a country or a region, whatever the model says
        elif not votes.get("GPE") and not votes.get("NORP") and self._org_noun_after(span.doc, span.end):
            votes["ORG"] += 3 * len(span)
        if any(t.tag_ == "PRP$" for t in span):
            votes["ORG"] += 3 * len(span)
        elif title and _key(title) not in self.gazetteer:  # "U.S. Russia probe": a country before a name is no title
            votes["PERSON"] += 3 * len(span)
        elif first_named or self._person_like(words) and (words[0] in self.female_names or words[0] in self.male_names) \
                and not place_body:
            votes["PERSON"] += 2 * len(span)  # the small model tags many person names ORG or GPE
        elif len(span) == 2 and INITIALS.fullmatch(span[0].text) and _key(span[0].text) not in self.gazetteer \
                and words[0] not in known_places() or self._byline_before(span):
            votes["PERSON"] += 2 * len(span)  # "H.D. Palmer"; "Reporting by Laila Kearney"
        if not votes:
            if ACRONYM.match(span.text) and len(span) == 1:
                votes["ORG"] += 1
            elif len(span) >= 2 and all(t.text[:1].isupper() for t in span):
                votes["PERSON"] += 1
            elif span[0].pos_ == "PROPN" and span.root.dep_ == "nsubj" and span.root.head.lemma_.lower() in self.acting_verbs:
                votes["PERSON"] += 1  # "In 2012, Varga condemned Y": a surname the model missed, doing what people do
        if votes.get("PERSON") and CONNECTORS & set(words[1:-1]):
            votes["ORG"] += votes.pop("PERSON")  # "Customs and Border Protection": no person's name has connectors
        return votes

    def _byline_before(self, span: Span) -> bool:
        """Is the name credited with a story ("Reporting by X", "Editing by X")?"""
        doc = span.doc
        return span.start >= 2 and doc[span.start - 1].lower_ == "by" and doc[span.start - 2].lower_ in self.byline_words

    def _business_in_apposition(self, span: Span) -> bool:
        """Is a business noun in apposition after the name ("Pellworth, a chain that ...", "X, the charity")?"""
        return any(c.dep_ == "appos" and c.i > span.end and c.is_lower and c.lemma_.lower() in self.company_nouns
                   for c in span.root.children)

    def _place_in_apposition(self, span: Span) -> bool:
        """Is the name followed by ", <known place>" and a stop ("at Little Hadham, Hertfordshire,")?"""
        doc = span.doc
        return any(c.dep_ == "appos" and c.left_edge.i == span.end + 1 and doc[span.end].text == ","
                   and doc[c.left_edge.i:c.right_edge.i + 1].text.lower() in known_places()
                   and (c.right_edge.i + 1 == len(doc) or doc[c.right_edge.i + 1].is_punct)
                   for c in span.root.children)

    def _place_noun_beside(self, span: Span) -> bool:
        """Is the name after "village of", "town of" or "MP for", or before a lower-case "constituency" or "ward"?"""
        doc = span.doc
        before = span.start >= 2 and (doc[span.start - 1].lower_ == "of" and doc[span.start - 2].lower_ in self.place_nouns
                                      or doc[span.start - 1].lower_ == "for" and doc[span.start - 2].lower_ in self.seat_holders)
        return before or span.end < len(doc) and doc[span.end].is_lower and doc[span.end].lower_ in self.place_nouns

    def _person_like(self, words: list[str]) -> bool:
        """Two or three plain capitalised words with nothing of an organisation about them ("Moon Jae-in" is
        two: a hyphen joins the parts of a word)."""
        words = " ".join(words).replace(" - ", "-").split()
        return 2 <= len(words) <= 3 and not any(
            w in self.org_keywords or w in self.corporate_suffixes or w in self.groups for w in words
        ) and all(PLAIN_WORD.fullmatch(w) for w in words)

    def _gender(self, span: Span, title: str | None) -> str | None:
        if title in self.male_titles:
            return "m"
        if title in self.female_titles:
            return "f"
        first = span[0].lower_
        if first in self.female_names:
            return "f"
        if first in self.male_names:
            return "m"
        return None

    def _later_mentions(self, doc: Doc, mentions: list[Mention], taken: set[int]) -> list[Mention]:
        """Mentions the NER missed: the article's own names, surnames and acronyms again."""
        matcher = PhraseMatcher(doc.vocab)
        by_key: dict[str, Mention] = {}
        for mention in mentions:
            words = [t.text for t in doc[mention.start:mention.end]]
            patterns = [words]
            if len(words) > 1 and not mention.canonical and words[-1].lower() not in self.not_names and (
                    mention.votes.most_common(1)[0][0] == "PERSON" or self._person_like([w.lower() for w in words])):
                patterns.append(words[-1:])  # a surname again; never a word that is no name alone ("Senate")
            for pattern in patterns:
                key = " ".join(pattern)
                if key not in by_key:
                    by_key[key] = mention
                    matcher.add(key, [Doc(doc.vocab, words=pattern)])
        found = []
        for match_id, start, end in matcher(doc):
            if any(i in taken for i in range(start, end)) or not doc[start].text[:1].isupper():
                continue
            source = by_key[doc.vocab.strings[match_id]]
            label = "PERSON" if end - start == 1 and source.end - source.start > 1 else source.votes.most_common(1)[0][0]
            found.append(Mention(start, end, doc[start:end].text, Counter({label: 1}), canonical=source.canonical))
            taken.update(range(start, end))
        return found

    # -- merging mentions into entities ------------------------------------
    def _cluster(self, doc: Doc, mentions: list[Mention], body: int) -> list[Cluster]:
        groups: dict[str, list[Mention]] = {}
        for mention in mentions:
            key = _key(mention.canonical or mention.name)
            if mention.votes.most_common(1)[0][0] == "NORP" and " " not in key:
                # "Haitian" and "Haitians" are one group, "Britons" and "British" too
                key = self.peoples.get(key, key).removesuffix("s")
            groups.setdefault(key, []).append(mention)
        clusters = [self._make_cluster(ms) for ms in groups.values()]
        clusters = self._join_acronyms(doc, clusters)
        clusters = self._join_short_names(doc, clusters, body)
        # a lone "Union" joined no union of the article: it names nobody
        return [c for c in clusters if c.type in ENTITY_LABELS and not all(m.generic for m in c.mentions)
                and not self._common_word(doc, c)]

    def _common_word(self, doc: Doc, cluster: Cluster) -> bool:
        """'Military', 'Pension', 'Court': one capitalised word, with no title and joined to no longer name,
        that the article also writes in lower case (or its plural or singular) is a common noun, not a name."""
        name = cluster.name
        return " " not in name and name.isalpha() and name[:1].isupper() and not name.isupper() \
            and not cluster.aliases and not cluster.canonical \
            and any(_times_written(doc, form) > 0 for form in (name.lower(), name.lower() + "s", name.lower().removesuffix("s"))) \
            and not any(m.title for m in cluster.mentions) and name.lower() not in known_places() \
            and name.lower() not in self.female_names and name.lower() not in self.male_names

    def _make_cluster(self, mentions: list[Mention]) -> Cluster:
        votes = sum((m.votes for m in mentions), Counter())
        # the longest form; for a group, its known name when the article writes it ("Democrats", not "Democratic")
        group = _winner(votes) == "NORP"
        name = max((m.name for m in mentions), key=lambda n: (group and any(n == m.canonical for m in mentions),
                                                              len(n), not n.isupper()))
        genders = {m.gender for m in mentions if m.gender}
        return Cluster(
            name=name,
            type=_winner(votes),
            mentions=list(mentions),
            aliases={m.name for m in mentions} - {name},
            gender=genders.pop() if len(genders) == 1 else None,
            person_like=self._person_like(name.lower().split()) and not any(m.canonical for m in mentions),
            canonical=next((m.canonical for m in mentions if m.canonical), None),
        )

    def _join_acronyms(self, doc: Doc, clusters: list[Cluster]) -> list[Cluster]:
        """'Voters for Clean Harbors (VCH)': VCH is an alias of the full name."""
        by_first_start = {m.start: c for c in clusters for m in c.mentions}
        merged: dict[int, Cluster] = {}
        for cluster in clusters:
            if not ACRONYM.match(cluster.name):
                continue
            for other in clusters:
                if other is cluster or other.type == "PERSON" or len(other.name.split()) < 2:
                    continue
                letters = cluster.name.replace(".", "")
                # right after the name in brackets its letters need only come in the name's order:
                # "Department of Health and Human Services (HHS)"
                if any(initials == letters or (initials.startswith(letters[:2]) or _in_order(letters, initials)) and any(
                        _bracketed_after(doc, m, cluster) for m in other.mentions)
                       for initials in (_initials(other.name), _initials(other.name, small_words=True),
                                        _initials(self._without_suffix(other.name)))):
                    merged[id(cluster)] = other
                    break
        result = []
        for cluster in clusters:
            target = merged.get(id(cluster))
            if target is None:
                result.append(cluster)
            else:
                target.mentions += cluster.mentions
                target.aliases.add(cluster.name)
                target.type = target.type if target.type != "PERSON" else "ORG"
        del by_first_start
        return result

    def _without_suffix(self, name: str) -> str:
        """'Northwind Freight Systems Inc' -> 'Northwind Freight Systems': its acronym leaves the company word out."""
        words = name.split()
        return " ".join(words[:-1]) if len(words) > 2 and words[-1].lower() in self.corporate_suffixes else name

    def _join_short_names(self, doc: Doc, clusters: list[Cluster], body: int) -> list[Cluster]:
        """A surname or a shorter name joins the one longer name that ends with it.

        Failing that, a single word joins the one longer name it begins: a person's given name or
        family name written first ("Xi" and "Xi Jinping"), or an organisation's name before its
        organisation words ("Vistra" and "Vistra Energy Corp").
        """
        result = []
        # a name written with an initial ("R. Brandt") comes after the full names of its length, and joins one of them
        for cluster in sorted(clusters, key=lambda c: (-len(c.name.split()), INITIALLED.match(c.name) is not None)):
            words = cluster.name.split()
            joinable = [
                c for c in result
                if len(c.name.split()) > len(words) and not cluster.canonical and not c.canonical and c.type != "GPE"
                and (c.type == cluster.type or cluster.type in ("PERSON", "ORG", "GPE") and c.type in ("PERSON", "ORG")
                     or cluster.type == "NORP" and len(words) == 1 and c.type == "PERSON")  # "Mattis" read as a people
                and not (cluster.type == "PERSON" and _named_after(c, words))
            ]
            generic = all(m.generic for m in cluster.mentions)
            candidates = _initialled_of(cluster, result) or [
                c for c in joinable if _ends_with(c, words, self.corporate_suffixes) or generic and c.type == "ORG"
                and c.name.split()[-1].lower() == words[0].lower()] or [
                c for c in joinable if self._begins_with(c, words)] or [
                c for c in joinable if (cluster.type == "ORG" or cluster.type == "PERSON" and not any(m.title for m in cluster.mentions))
                and self._company_called(c, words)]  # "Jollibee Foods Corp" and "Jollibee", which the model may call a person
            if len(candidates) > 1 and len(words) == 1 and cluster.type in ("PERSON", "ORG"):
                candidates = _principal(doc, cluster, candidates, [c for c in result if c.name.split()[-1] == words[0]], body)
            if len(candidates) == 1:
                target = candidates[0]
                if len(words) == 1 and cluster.type == "PERSON" and self._person_like(target.name.lower().split()) \
                        and not any(ACRONYM.match(a) for a in target.aliases):
                    target.type = "PERSON"  # organisations are not called by their last word alone, nor by an acronym
                target.mentions += cluster.mentions
                target.aliases.add(cluster.name)
                target.aliases |= cluster.aliases
                if target.gender is None:
                    target.gender = cluster.gender
            else:
                result.append(cluster)
        for cluster in result:
            cluster.mentions.sort(key=lambda m: m.start)
        return result

    def _begins_with(self, cluster: Cluster, words: list[str]) -> bool:
        """'Xi' and 'Xi Jinping'; 'Kilroy' and 'Robert Kilroy-Silk'; 'Vistra' and 'Vistra Energy Corp',
        'Wells Fargo' and 'Wells Fargo & Co': a person by one of their names, a company without its company words;
        'Army Corps' and 'Army Corps of Engineers': a body by the words before its 'of'."""
        names = cluster.name.split()
        if cluster.type == "PERSON":
            if len(words) != 1:
                return False
            word = words[0].lower()
            return names[0].lower() == word and len(names) <= 3 or "-" in names[-1] and names[-1].split("-")[0].lower() == word
        head, rest = names[:len(words)], names[len(words):]
        if all(w.lower() in self.government_nouns for w in rest):
            return False  # "Trump" is not "the Trump administration"
        if len(words) > 1 and rest and rest[0] in ("of", "on", "for"):
            return [w.lower() for w in head] == [w.lower() for w in words]  # "Army Corps" of Engineers
        return cluster.type == "ORG" and [w.lower() for w in head] == [w.lower() for w in words] and all(
            w.lower() in self.org_keywords or w.lower() in self.corporate_suffixes or w == "&" for w in rest)

    def _company_called(self, cluster: Cluster, words: list[str]) -> bool:
        """'Verizon' and 'Verizon Communications Inc', 'Goldman' and 'Goldman Sachs Group Inc', 'Amazon' and
        'Amazon.com Inc': a company, named in full with its company suffix, is called by its first word."""
        names = cluster.name.split()
        return cluster.type == "ORG" and len(words) == 1 and len(names) > 1 and names[-1].lower() in self.corporate_suffixes \
            and re.split(r"\.(?:com|co)$", names[0], maxsplit=1)[0].lower() == words[0].lower()

    # -- definite descriptions ---------------------------------------------
    def _resolve_descriptions(self, doc: Doc, entities: DocEntities, years: tuple[int, int] | None) -> None:
        """'the commissioner', 'the former governor', 'the union president': a person named earlier with that role.

        A person's roles are the title written before the name ("Port Commissioner Dana Whitcomb",
        "Gov. Felix Brandt": the governor) and the noun in apposition to it ("Ramona Ellery, the port
        commissioner"). A definite noun phrase whose head is one such role refers to the one person
        who held it before; when several did, or none, it stays unresolved. When the article gives the
        role to no one, a well-known office ("the prime minister") refers to the one person the article
        names who held it in the article's years.
        """
        held = self._offices_held(entities, years)
        roles: dict[str, list[tuple[int, int]]] = {}  # role -> [(token where it was given, cluster index)]
        for index, cluster in enumerate(entities.clusters):
            if cluster.type != "PERSON" and not cluster.person_like:
                continue
            for m in cluster.mentions:
                if m.title and m.title != ROLE:
                    role = self.title_nouns.get(m.title, m.title)
                    roles.setdefault(role, []).append((m.start, index))
                head = doc[m.end - 1]
                role_nouns = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
                if head.dep_ == "appos" and head.head.pos_ == "NOUN":
                    role_nouns.append(head.head)
                if head.dep_ == "nsubj" and head.head.lemma_ == "be":  # "Dana Whitcomb is the port commissioner"
                    role_nouns += [c for c in head.head.children if c.dep_ == "attr" and c.pos_ == "NOUN"
                                   and (c.lemma_.lower(),) in self.titles_by_first.get(c.lemma_.lower(), ())
                                   and any(d.lower_ == "the" for d in c.children)]
                # "Tory leader Michael Howard": a role noun written before the name, outside it
                role_nouns += [c for c in head.children if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i < m.start
                                and (c.lemma_.lower(),) in self.titles_by_first.get(c.lemma_.lower(), ())]
                for noun in role_nouns:
                    roles.setdefault(self._roles(noun)[-1], []).append((min(noun.i, m.start), index))
        if not roles and not held:
            return
        heads = {r.rsplit(" ", 1)[-1] for r in [*roles, *held]}
        heads |= {k for k, v in self.title_nouns.items() if v in heads}
        for token in doc:
            if token.pos_ != "NOUN" or token.lemma_.lower() not in heads or token.i in entities.token_cluster \
                    or token.dep_ in ("compound", "appos"):
                continue
            holders = next((roles[r] for r in self._roles(token) if r in roles), None)
            if holders is None:
                office = next((held[r] for r in self._office_roles(token) if r in held), set())
                holders = [(-1, index) for index in office] or None
            if not holders or not any(
                    c.dep_ == "det" and c.lower_ in ("the", "this", "that") or c.dep_ == "poss" and c.pos_ != "PRON"
                    for c in token.children):
                continue
            if any(c.dep_ == "appos" for c in token.children) or self._name_follows(doc, entities, token.i + 1):
                continue  # "the commissioner, Dana Whitcomb": the name itself follows
            before = {index for at, index in holders if at < token.i}
            if len(before) == 1:
                entities.token_cluster[token.i] = before.pop()
                entities.descriptions.add(token.i)

    def _offices_held(self, entities: DocEntities, years: tuple[int, int] | None) -> dict[str, set[int]]:
        """Role -> the article's people who held it in the article's years (none without a date)."""
        held: dict[str, set[int]] = {}
        if years is None:
            return held
        first, last = years
        for index, cluster in enumerate(entities.clusters):
            if cluster.type == "PERSON":
                for role, start, end in self.offices.get(cluster.name.lower(), ()):
                    if start <= last and first <= end:
                        held.setdefault(role, set()).add(index)
        return held

    def _office_roles(self, noun: Token) -> list[str]:
        """The offices a description may name, longest first: 'the British prime minister' -> 'british prime
        minister', 'prime minister', 'minister'; 'the Lib Dem leader' -> 'lib dem leader', 'dem leader',
        'leader'. A deputy, shadow or former one names only its whole self ('deputy prime minister')."""
        lemma = noun.lemma_.lower()
        modifiers = [c.lower_ for c in noun.children if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i]
        if any(w in self.office_shifting_words for w in modifiers):
            return [" ".join([*modifiers, lemma])]
        return [" ".join([*modifiers[k:], lemma]) for k in range(len(modifiers) + 1)]

    @staticmethod
    def _name_follows(doc: Doc, entities: DocEntities, at: int) -> bool:
        """'the Labour candidate, former city councillor Dana Whitcomb,': a person's name right after a comma,
        after nothing but its modifiers, however the parser attached it."""
        if at >= len(doc) or doc[at].text != ",":
            return False
        for i in range(at + 1, min(at + 8, len(doc))):
            if i in entities.token_cluster and entities.clusters[entities.token_cluster[i]].type == "PERSON":
                return True
            if doc[i].pos_ not in ("ADJ", "PROPN", "NOUN", "DET"):
                return False  # "the president, while Moore's campaign ...": a clause, not a name
        return False

    def _roles(self, noun: Token) -> list[str]:
        """The roles a noun may name, most specific first: 'the attorney general' -> 'attorney general';
        'the port commissioner' -> 'port commissioner', 'commissioner'; 'the prime minister' -> 'prime minister',
        'minister'; 'the deputy mayor' -> 'deputy mayor' only."""
        lemma = noun.lemma_.lower()
        modifiers = [c.lower_ for c in noun.children if c.dep_ in ("amod", "compound") and c.i < noun.i]
        subordinate = [w for w in modifiers if w in self.subordinate_title_words]
        compounds = [c.lower_ for c in noun.children if c.dep_ == "compound" and c.i < noun.i]
        # the longest known title the words before the noun end: "prime minister", "deputy prime minister"
        titles = [words for k in range(len(modifiers)) for words in [(*modifiers[k:], lemma)]
                  if words in self.titles_by_first.get(words[0], ()) and set(subordinate) <= set(words)]
        titled = " ".join(titles[0]) if titles else None
        full = " ".join([*compounds, lemma]) if compounds and not subordinate else None
        reduced = " ".join([*subordinate, lemma])
        return [self.title_nouns.get(r, r) for r in (titled, full, reduced) if r]

    # -- pronouns ----------------------------------------------------------
    def _resolve_plural(self, token: Token, entities: DocEntities, sentence_of: dict[int, int]) -> None:
        """they/them/their: the nearest coordination of named entities ("A and B") or plural group
        ("the Tories", "Democrats") in the pronoun's sentence or the two before, not in its own clause."""
        doc, here = token.doc, sentence_of[token.i]
        reporter = token.head.head if token.dep_ == "nsubj" and token.head.dep_ == "ccomp" else None
        if reporter is not None and any(c.dep_ == "nsubj" and c.i not in entities.token_cluster for c in reporter.children):
            return  # "adults who said they ...": they are the ones who speak, and those are unnamed
        bound = _clause_subjects(token, self.speech_verbs) if token.dep_ in OBJECT_DEPS or token.dep_ == "poss" else set()
        for i in range(token.i - 1, -1, -1):
            if here - sentence_of[i] > 2:
                return
            if i in bound:
                continue
            head = doc[i]
            if head.dep_ == "conj":
                continue  # a coordination is read from its first member
            group = _group_at(doc, entities, head) if head.conjuncts else []
            index = entities.token_cluster.get(i)
            last_word = index is not None and entities.token_cluster.get(i + 1) != index
            if not group and last_word and entities.clusters[index].type in ("NORP", "ORG") \
                    and head.tag_ in ("NNPS", "NNS") and i not in entities.descriptions:
                group = [index]  # "Democrats", "the Tories": a group named in the plural
            if group:
                entities.groups[token.i] = group
                return
            if index is None and head.tag_ == "NNS" and head.dep_ in SUBJECT_DEPS:
                return  # "Critics say they ...": a plural subject nearer than any named group

    def _resolve_pronouns(self, doc: Doc, entities: DocEntities) -> None:
        """he/she/it resolve to the most salient compatible entity nearby.

        Candidates are entity mentions before the pronoun in its sentence or
        the two before; subjects outrank other roles, then a known matching
        gender (over a nearer entity of unknown gender), then the nearer
        sentence; a tie between two different entities leaves the pronoun
        unresolved.
        """
        sentence_of = {i: n for n, s in enumerate(entities.sentences) for i in range(s.start, s.end)}
        for token in doc:
            lower = token.lower_
            if token.pos_ != "PRON" and lower not in ORG_PRONOUNS | MALE_PRONOUNS | FEMALE_PRONOUNS:
                continue
            if lower in MALE_PRONOUNS or lower in FEMALE_PRONOUNS:
                wanted, gender = {"PERSON"}, "m" if lower in MALE_PRONOUNS else "f"
            elif lower in ORG_PRONOUNS:
                wanted, gender = {"ORG"}, None
            elif lower in PLURAL_PRONOUNS:
                self._resolve_plural(token, entities, sentence_of)
                continue
            else:
                continue
            here = sentence_of[token.i]
            # "the governor accused him": an object pronoun is not its clause's subject, named or described;
            # nor is "him" heading a clause of its own ("X pressed for him to resign") the subject above it
            if token.dep_ in OBJECT_DEPS:
                bound = _clause_subjects(token, self.speech_verbs)
            elif token.dep_ == "nsubj" and lower in ACCUSATIVE_PRONOUNS and token.head.head is not token.head:
                bound = _clause_subjects(token.head, self.speech_verbs)
            else:
                bound = set()
            bound_clusters = {entities.token_cluster[i] for i in bound if i in entities.token_cluster}
            best: dict[int, tuple] = {}
            for index, cluster in enumerate(entities.clusters):
                if index in bound_clusters:
                    continue
                maybe_person = gender is not None and cluster.type == "ORG" and cluster.person_like and not cluster.canonical
                if cluster.type not in wanted and not maybe_person or (gender and cluster.gender and cluster.gender != gender):
                    continue
                for m in cluster.mentions:
                    distance = here - sentence_of[m.start]
                    if m.start >= token.i or distance > 2 or bound & set(range(m.start, m.end)):
                        continue
                    head = doc[m.end - 1]
                    role = 1 if head.dep_ in SUBJECT_DEPS or _subject_conjunct(head) else 0
                    agrees = 1 if gender and cluster.gender == gender else 0
                    # last, a person's full name outranks a lone word the NER guessed was one ("the seat of Barrowdale")
                    score = (role, agrees, -distance, cluster.person_like)
                    if index not in best or score > best[index]:
                        best[index] = score
            if not best:
                continue
            ranked = sorted(best.items(), key=lambda kv: kv[1], reverse=True)
            if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
                continue
            index = ranked[0][0]
            entities.token_cluster[token.i] = index
            chosen = entities.clusters[index]
            if gender:
                chosen.type = "PERSON"
                chosen.gender = chosen.gender or gender


def _group_at(doc: Doc, entities: DocEntities, head: Token) -> list[int]:
    """The entities of a coordination headed by `head` ("A and B", "A, B and C"), or [] when it is not one."""
    members = []
    for token in [head, *head.conjuncts]:
        index = entities.token_cluster.get(token.i)
        if index is None or entities.clusters[index].type not in ("PERSON", "ORG", "NORP"):
            return []
        members.append(index)
    return list(dict.fromkeys(members)) if len(set(members)) > 1 else []


def _principal(doc: Doc, surname: Cluster, people: list[Cluster], named: list[Cluster], body: int) -> list[Cluster]:
    """'Clinton' beside 'Hillary Clinton' and 'Bill Clinton': the one a title's gender names ("Mrs Clinton"),
    else the one of `named` (every name ending so) named in a sentence before the one where the surname is
    first written alone in the text (from token `body`, after the headline: news names a second person of
    the name in full when it brings them in); or none."""
    if any(c.type != "PERSON" for c in people):
        return people
    if surname.gender is not None:
        return [c for c in people if c.gender == surname.gender]
    # a headline names its people by surname before the text brings them in: the text's first lone use counts
    first_alone = doc[min((m.start for m in surname.mentions if m.start >= body),
                          default=min(m.start for m in surname.mentions))].sent.start
    before = [c for c in named if min(m.start for m in c.mentions) < first_alone]
    return before if len(before) == 1 and before[0] in people else []


def _member_noun(token: Token) -> Token:
    """The noun a party adjective describes, through a coordination: 'Republican and Democratic senators'."""
    while token.dep_ == "conj" and token.head.pos_ == "ADJ":
        token = token.head
    return token.head


def _named_after(cluster: Cluster, words: list[str]) -> bool:
    """'Friends of Dana Ruiz', 'Committee to Elect Dana Ruiz': an organisation named after the person is not the person."""
    return cluster.type != "PERSON" and any(w in ("of", "for", "to") for w in cluster.name.split()[:-len(words)])


def _ballot_pattern(stances: list[str], measure_words: list[str]) -> re.Pattern | None:
    """'Yes on 12', 'No on Measure B', 'No on Prop. 7': a capitalised stance, "on", an optional measure word and its number or letter."""
    if not stances:
        return None
    stance = "|".join(re.escape(w.capitalize()) + "|" + re.escape(w.upper()) for w in stances)
    measure = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(measure_words, key=len, reverse=True))
    return re.compile(rf"\b(?:{stance})\s+on\s+(?:(?i:{measure})\s*)?(?:\d{{1,4}}[A-Za-z]?|[A-Z]{{1,2}})\b")


def reporter_of(participle: Token, speech_verbs: set[str]) -> Token | None:
    """'X argues that Y erred, accusing him of ...': the speech verb a trailing participle on its reported clause may belong to."""
    clause = participle.head
    if participle.dep_ == "advcl" and participle.tag_ == "VBG" and participle.i > clause.i and clause.dep_ == "ccomp" \
            and clause.head.i < clause.i and clause.head.lemma_.lower() in speech_verbs:
        return clause.head
    return None


def _clause_subjects(token: Token, speech_verbs: set[str] = frozenset()) -> set[int]:
    """Subjects of the clauses an object pronoun sits in: 'X slammed Y, accusing her' (her is not X).

    A participle trailing a reported clause is bound by the reporter: in 'X argues that Y erred,
    accusing him', "him" may be Y."""
    subjects = set()
    verb = token.head
    while verb is not None:
        reporter = reporter_of(verb, speech_verbs)
        if reporter is not None:
            verb = reporter
            continue
        own = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        for c in own:
            # "Alvarez's opponent accused him": the possessor is not the subject, and may be "him"
            owners = {t.i for o in c.children if o.dep_ == "poss" for t in o.subtree}
            subjects.update(t.i for t in c.subtree if t.i not in owners)
        # a subordinate clause with a subject of its own binds only that one: in "X denied it, although Z
        # backed him", "him" may be X
        if own and verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children):
            break
        if verb.dep_ in ("advcl", "xcomp", "conj", "prep", "pcomp") and verb.head is not verb:
            verb = verb.head
        else:
            verb = None
    return subjects


def _inside_one_entity(token: Token) -> bool:
    return token.ent_iob_ == "I" and token.ent_type_ in ENTITY_LABELS


def _subject_conjunct(token: Token) -> bool:
    return token.dep_ == "conj" and token.head.dep_ in SUBJECT_DEPS


def _pattern_tokens(doc: Doc, pattern: re.Pattern, text: str | None = None) -> set[int]:
    """Tokens inside matches of a pattern that marks text as no name: party tags, datelines."""
    tokens = set()
    for match in pattern.finditer(doc.text if text is None else text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None:
            tokens.update(range(span.start, span.end))
    return tokens


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:\"'“”")
    text = re.sub(r"(?<=\w)\([^()]*\)?$", "", text)  # "British National Party(BNP": a bracket glued on
    text = re.sub(r"\s*-\s*", "-", text) if re.search(r"\w\s-\s\w", text) is None else text
    return re.sub(r"(?:'s|’s|')$", "", text).strip()


#: Abbreviated words of organisation names, read as the word ("Energy Dept." is the Energy Department).
ABBREVIATED_WORDS = {"dept": "department", "depts": "departments", "govt": "government", "assn": "association",
                     "natl": "national", "intl": "international", "univ": "university"}


def _key(name: str) -> str:
    """Names that differ only in case, punctuation, a hyphen for a space ("Kilroy Silk", "Kilroy-Silk"), an
    abbreviated word ("Energy Dept.") or a middle initial ("Donald J. Trump") are one."""
    words = re.sub(r"[^\w ]", "", name.lower().replace("-", " ")).split()
    if len(words) >= 3 and "." in name:
        words = [words[0]] + [w for w in words[1:-1] if len(w) > 1] + [words[-1]]  # "Donald J. Trump"
    return " ".join(ABBREVIATED_WORDS.get(w, w) for w in words)


def _common_noun_after_possessive(span: Span) -> bool:
    """'our Country', 'my Flag': one capitalised word after a possessive is a common noun, unless the model
    or the place list knows it or a noun follows it ("his Texas visit")."""
    doc, token = span.doc, span[0]
    if len(span) != 1 or span.start == 0 or doc[span.start - 1].tag_ != "PRP$" or not doc[span.start - 1].is_lower:
        return False
    modifies = span.end < len(doc) and doc[span.end].pos_ == "NOUN" and doc[span.end].is_lower
    return not ACRONYM.match(span.text) and token.ent_type_ not in ("ORG", "NORP") \
        and token.lower_ not in known_places() and not modifies


def _initialled_of(cluster: Cluster, clusters: list[Cluster]) -> list[Cluster]:
    """'R. Brandt' and 'Ray Brandt': the two-word person names a name written with an initial may stand for."""
    if not INITIALLED.match(cluster.name) or cluster.canonical:
        return []
    initial, surname = cluster.name.split()
    return [c for c in clusters if c.type == "PERSON" and not c.canonical and not INITIALLED.match(c.name)
            and len(c.name.split()) == 2 and c.name.split()[-1] == surname and c.name[0] == initial[0]]


def _hashtag(span: Span) -> bool:
    """'#VoteNow', '@SenatorX': a word written straight after '#' or '@' is a tag or a handle, not a name."""
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.text in ("#", "@") and not before.whitespace_


def _in_topic_code(span: Span) -> bool:
    """A word in capitals between '[' or '/' and '/' or ']': a wire service's topic code ("[KX/LOANS]")."""
    doc = span.doc
    return span.text.isupper() and span.start > 0 and span.end < len(doc) \
        and doc[span.start - 1].text in ("[", "/") and doc[span.end].text in ("/", "]")


def _winner(votes: Counter) -> str:
    if not votes:
        return ""
    best = max(votes.values())
    for label in ("PERSON", "ORG", "NORP", "GPE"):
        if votes.get(label) == best:
            return label
    return ""


def _initials(name: str, small_words: bool = False) -> str:
    """'Council of Retired Workers' -> 'CRW', or 'CORW' counting the small words."""
    return "".join(w[0].upper() for w in name.split() if small_words or w[0].isupper())


def _in_order(letters: str, initials: str) -> bool:
    """Every letter of `letters` among `initials`, in order ('HHS' in 'DHHS')."""
    rest = iter(initials)
    return all(letter in rest for letter in letters)


def _bracketed_after(doc: Doc, mention: Mention, acronym: Cluster) -> bool:
    return any(
        m.start == mention.end + 1 and doc[mention.end].text == "(" for m in acronym.mentions
    )


def _ends_with(cluster: Cluster, words: list[str], suffixes: set[str]) -> bool:
    """Does the longer name end with these words, or start with them before a corporate suffix?"""
    longer = [ARABIC_ARTICLE.sub("", w) for w in cluster.name.split()]  # "Assad" ends "Bashar al-Assad"
    if [w.lower() for w in longer[-len(words):]] == [w.lower() for w in words]:
        return cluster.type == "PERSON" or cluster.person_like or len(words) > 1
    core = [w for w in longer if w.lower() not in suffixes]
    return [w.lower() for w in core] == [w.lower() for w in words]


def _shouted(token: Token) -> bool:
    """An all-capitals word of three letters or more: a dateline ("WASHINGTON"), not an acronym inside a name."""
    return len(token.text) >= 3 and token.text.isalpha() and token.text.isupper()


def _entity_end(doc: Doc, i: int) -> int:
    """End of the NER entity that token `i` is inside."""
    while i < len(doc) and doc[i].ent_iob_ == "I":
        i += 1
    return i


def _trailing_person(doc: Doc, start: int, end: int) -> int | None:
    """Where a person entity that ends the span starts, when another entity's words come before it."""
    i = end - 1
    if doc[i].ent_type_ != "PERSON":
        return None
    while i > start and doc[i].ent_iob_ == "I":
        i -= 1
    return i if i > start and doc[i].ent_type_ == "PERSON" and doc[i - 1].ent_type_ not in ("", "PERSON") else None


def _article_before(doc: Doc, start: int) -> int:
    """'al-Qaeda', 'al-Assad': the Arabic article written in lower case before a name belongs to it."""
    if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in ARABIC_ARTICLES \
            and not doc[start - 2].whitespace_ and not doc[start - 1].whitespace_:
        return start - 2
    return start


def _joins_two_places(text: str) -> bool:
    """'U.S.-Pakistan': two capitalised parts joined by a hyphen, not itself a known place ('Guinea-Bissau')."""
    parts = text.split("-")
    return len(parts) == 2 and all(p[:1].isupper() for p in parts) and text.lower() not in known_places()


def _opens_sentence(token: Token) -> bool:
    """First word of its sentence, or after an opening quote or a line break."""
    i = token.i - 1
    while i >= 0 and (token.doc[i].is_quote or token.doc[i].is_space):
        i -= 1
    return i < token.sent.start or token.doc[i].text in (".", "!", "?", ":") or "\n" in token.doc[i].text


def _years(published: str | None) -> tuple[int, int] | None:
    """The first and last year a publication date names ('December 31, 2017', '2004-2005'), if any."""
    years = [int(y) for y in re.findall(r"\b(1[89]\d\d|2\d\d\d)\b", published or "")]
    return (min(years), max(years)) if years else None


def _clause_subject(token: Token) -> bool:
    """A proper noun that is the subject of a verb ("Hurd denounced X") names someone even when it opens
    the sentence; a capitalised common word there modifies a noun ("Benchmark yields rose")."""
    return token.pos_ == "PROPN" and token.dep_ in ("nsubj", "nsubjpass") and token.head.pos_ in ("VERB", "AUX")


def _times_written(doc: Doc, word: str) -> int:
    """How often a word is written in the doc, counted once per doc (kept with the doc)."""
    counts = doc.user_data.get("kg_word_counts")
    if counts is None:
        counts = doc.user_data["kg_word_counts"] = Counter(t.text for t in doc)
    return counts[word]
