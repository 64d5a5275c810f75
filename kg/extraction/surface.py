"""Reading the token order where the parse failed: noun phrases, and the spans inside quotation marks."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Token

from kg.extraction.candidates import Arg
from kg.mentions import DocEntities

RELATIVE_PRONOUNS = {"who", "whom", "which", "that", "whose"}
#: Parts of speech a noun phrase is made of, when read off the surface.
PHRASE_POS = {"DET", "ADJ", "NOUN", "PROPN", "NUM", "SYM"}
DASHES = {"—", "–", "--"}
QUOTE_MARKS = {'"', "“", "”", "``", "''"}


def quotations(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges [start, end) inside quotation marks; an unclosed quote ends with its paragraph."""
    spans, start = [], None
    for token in doc:
        if token.text in QUOTE_MARKS:
            if start is not None:
                spans.append((start, token.i))
                start = None
            elif token.text not in ("”", "''"):
                start = token.i + 1
        elif "\n" in token.text and start is not None:
            spans.append((start, token.i))
            start = None
    if start is not None:
        spans.append((start, len(doc)))
    return [(s, e) for s, e in spans if e > s]


class SurfaceReader:
    """Noun phrases read off the token order, where the parse attached them wrongly.

    A phrase is a run of determiners, adjectives, nouns, names and numbers.
    It stands for the name it ends with ("state Sen. Odile Varga"), for the
    owner of the campaign noun it ends with ("his re-election effort"), or
    for an owner whose noun is elided ("and $250 to Keller's").
    """

    WINDOW = 12

    def __init__(self, doc: Doc, entities: DocEntities, campaign_nouns: set[str], including_preps: set[str]):
        self.doc, self.entities, self.campaign_nouns = doc, entities, campaign_nouns
        self.including_preps = including_preps

    def frame(self, start: int, preps: Iterable[str]) -> dict[str, list[Arg]]:
        """Arguments after a trigger by preposition ("" for the phrase right after it).

        Adjunct phrases that name nobody ("in March", "last year") are stepped over.
        """
        preps, doc = set(preps), self.doc
        i = start
        while i < len(doc) and doc[i].pos_ in ("ADV", "PART") and doc[i].lower_ not in preps:
            i += 1
        args, i = self.phrase(i)
        found = {"": args} if args else {}
        for _ in range(4):
            if i >= len(doc):
                break
            token = doc[i]
            if token.lower_ in preps:
                args, end = self.phrase(i + 1)
                found.setdefault(token.lower_, []).extend(args)
            elif token.pos_ in ("ADP", "ADV") or token.lower_ == "worth":  # "a gift worth $3,200 to Y"
                args, end = self.phrase(i + 1)
                if args:
                    break
            elif token.text in DASHES:  # "$1,250 — the provincial maximum — to X": step over the aside
                close = next((j for j in range(i + 1, min(i + self.WINDOW, token.sent.end)) if doc[j].text == token.text), None)
                if close is None:
                    break
                end = close + 1
            else:
                break
            i = max(end, i + 1)
        return found

    def phrase(self, start: int) -> tuple[list[Arg], int]:
        """The entities of the phrase at `start` with its coordinated and appositive phrases."""
        doc = self.doc
        args, end = self._item(start)
        # Names set off by commas only join when "and"/"or" closes the list ("A, B and C"); without
        # it they are appositions or the next clause ("A, the union's president, B, said").
        pending, at_end = [], end
        while args and at_end < len(doc):
            at = at_end + 1 if doc[at_end].lower_ in ("and", "or") else at_end + 2 if (
                doc[at_end].text == "," and at_end + 1 < len(doc) and doc[at_end + 1].lower_ in ("and", "or")) else None
            if at is None and doc[at_end].text == ",":
                more, after = self._item(at_end + 1)
                if not more or after >= len(doc) or doc[after].lower_ not in (",", "and", "or"):
                    break
                pending, at_end = pending + more, after
            elif at is not None:
                more, after = self._item(at)
                if not more:
                    break
                args, end = args + pending + more, after
                pending, at_end = [], after
            else:
                break
        return args, end

    def _item(self, start: int) -> tuple[list[Arg], int]:
        """One phrase, or the name in apposition to it ("his rival, Comptroller Ida Brack,")."""
        args, end = self._one(start)
        doc = self.doc
        if not args and end > start and end < len(doc) and doc[end].text == ",":
            named, after = self._one(end + 1)
            if named and (after >= len(doc) or doc[after].is_punct or doc[after].pos_ == "ADP"):
                return named, after
        return args, end

    def _one(self, start: int) -> tuple[list[Arg], int]:
        end = self._end(start)
        if end == start:
            return [], start
        last = self.doc[end - 1]
        if last.tag_ == "POS" and end - start > 1:
            return self._named(end - 2), end
        named = self._named(end - 1)
        if named:
            return named, end
        if last.lemma_.lower() in self.campaign_nouns:
            owners = [arg for i in range(start, end - 1) for arg in self._owner(i)]
            if owners:
                return owners[-1:], end
            if end - 2 >= start and self._named(end - 2):
                return self._named(end - 2), end  # "the Yes on 22 campaign", "the Marlowe campaign"
            if end < len(self.doc) and self.doc[end].lower_ in ("of", "for"):
                return self.phrase(end + 1)
        return [], end

    def late_apposition(self, noun: Token) -> list[Arg]:
        """'two newcomers on Monday, A and B,': names set off by a comma after the noun's own modifiers.

        The parse often hangs such names on the last modifier. The phrase must close there, and
        a plural noun needs several names, a singular one a single name; after "including" any
        number of names stand for part of the noun.
        """
        doc, end = self.doc, noun.sent.end
        i = noun.i + 1
        while i < end and i - noun.i <= self.WINDOW and doc[i].text != "," and doc[i].text not in DASHES:
            token = doc[i]
            if token.pos_ in ("PUNCT", "AUX", "CCONJ", "SCONJ") and token.tag_ != "HYPH" or token.pos_ == "PRON" and token.tag_ != "PRP$" or (
                    token.pos_ == "VERB" and token.tag_ not in ("VBN", "VBG")):
                return []
            i += 1
        if i + 1 >= end or doc[i].text != "," and doc[i].text not in DASHES:
            return []
        if doc[i + 1].lower_ in RELATIVE_PRONOUNS:
            return []  # "by X, whose owner, Y, ...": a relative clause, no apposition
        part = doc[i + 1].lower_ in self.including_preps
        args, after = self.phrase(i + 2 if part else i + 1)
        if not args or after < end and not (doc[after].is_punct or doc[after].lower_ in RELATIVE_PRONOUNS):
            return []
        return args if part or (len(args) > 1) == (noun.tag_ in ("NNS", "NNPS")) else []

    def _end(self, start: int) -> int:
        doc, i, seen_noun = self.doc, start, False
        while i < len(doc) and i - start < self.WINDOW:
            token = doc[i]
            named = self.entities.at(token) is not None and token.pos_ != "PRON"
            if seen_noun and not named and token.pos_ in ("ADJ", "NUM", "SYM", "DET") and not self._descriptor_then_name(i):
                break  # "Ida Brack surprised ...", "Reyes $5,000": a new phrase starts
            if token.pos_ == "PROPN" and not named and token.text.islower():
                break  # a lower-case "proper noun" is a mis-tagged verb: "the Eastgate League stung"
            gerund = token.tag_ == "VBG" and i + 1 < len(doc) and doc[i + 1].pos_ == "NOUN"  # "shipping heir X"
            article = token.tag_ == "DT" and token.lower_ in ("the", "a", "an")  # the parse sometimes calls "the" a pronoun
            if named or gerund or article or token.pos_ in PHRASE_POS or token.tag_ in ("PRP$", "POS", "HYPH") or token.lower_ == "each":
                seen_noun = seen_noun or named or token.pos_ in ("NOUN", "PROPN")
                i += 1
            else:
                break
        return i

    def _descriptor_then_name(self, i: int) -> bool:
        """'Kwelera Metro mayoral candidate Lerato Sithole': adjectives and a common noun lead on to the name that heads the phrase."""
        doc, noun = self.doc, False
        while i < len(doc) and doc[i].pos_ in ("ADJ", "NOUN") and self.entities.at(doc[i]) is None:
            noun = noun or doc[i].pos_ == "NOUN"
            i += 1
        return noun and i < len(doc) and doc[i].pos_ == "PROPN" and self.entities.at(doc[i]) is not None

    def _named(self, i: int) -> list[Arg]:
        token = self.doc[i]
        cluster = self.entities.at(token)
        return [Arg(cluster, i in self.entities.descriptions, i)] if cluster is not None and token.pos_ != "PRON" else []

    def _owner(self, i: int) -> list[Arg]:
        token = self.doc[i]
        cluster = self.entities.at(token)
        if cluster is None:
            return []
        if token.tag_ == "PRP$":
            return [Arg(cluster, True, i)]
        if i + 1 < len(self.doc) and self.doc[i + 1].tag_ == "POS":
            return [Arg(cluster, False, i)]
        return []
