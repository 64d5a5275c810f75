"""The per-document context every extraction rule reads: the doc, its entities, money and quotations,
and the argument readers shared by the rules (who acts, who receives, whether it is asserted).

A context is built for one document and passed to each rule; rules keep no state of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc, Span, Token

from kg.extraction.candidates import Arg, Candidate
from kg.extraction.money import Money, find_money, nearest
from kg.extraction.surface import PHRASE_POS, RELATIVE_PRONOUNS, SurfaceReader, quotations
from kg.extraction.vocabulary import Vocabulary
from kg.mentions import DocEntities, reporter_of
from kg.schema import RELATION_TYPES

#: Subjects that share out the act of an earlier clause's subjects: "A and B endorsed Y, and each gave $500".
DISTRIBUTIVES = {"each", "both", "all"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
#: Words inside a comma-enclosed aside ("X, an environmental group, slammed").
ASIDE_POS = PHRASE_POS | {"PUNCT", "ADP", "CCONJ"}


#: Determiners that make a subject nobody: "Neither Bush voted for X", "No Republican backed Y".
NO_ONE = {"neither", "no"}


class DocContext:
    """One document under extraction; built per document, never shared."""

    def __init__(self, vocab: Vocabulary, doc: Doc, entities: DocEntities, headline: int = 0):
        self.vocab, self.doc, self.entities, self.money = vocab, doc, entities, find_money(doc)
        #: The article's headline, its first `headline` tokens, parsed before its text (empty when it has none).
        self.headline = doc[:headline]
        self.surface = SurfaceReader(doc, entities, vocab.campaign_nouns, vocab.including_preps)
        self.quotations = quotations(doc)
        self.quoted = {i for start, end in self.quotations for i in range(start, end)}
        self.sentence_starts: list[int] | None = None
        self.quotes_by_sentence: dict[int, list[Token]] = {}
        self._things: list[tuple[int, str, list[Arg]]] | None = None
        self._questions: dict[int, bool] = {}

    def owners(self, head: Token, preps: Iterable[str], direct: bool = True) -> list[Arg]:
        """'blasted Y's budget', 'took aim at Y's record': one who attacks a thing of Y's attacks Y."""
        things = [c for c in head.children if direct and c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ in preps
                  for c in ([c] if c.dep_ == "dobj" else [p for p in c.children if p.dep_ == "pobj"])]
        return self.owners_of(things)

    def named_before(self, noun: Token) -> list[Arg]:
        """The entities a noun's modifiers name before it: 'a Y supporter', 'Republican attacks'."""
        return [a for c in noun.children if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i and c.pos_ != "PRON"
                for a in self.resolve(c)]

    def owners_of(self, things: list[Token]) -> list[Arg]:
        """The named owners of things ('Y's budget', 'the Tory plans', 'the promises of the Tories')."""
        owned = [t for thing in things for t in [thing, *thing.conjuncts]]
        # a named owner: "criticized his budget" names nobody; "their policies" after "A and B" names both
        found = [a for t in owned for c in t.children if c.dep_ == "poss" and (c.pos_ != "PRON" or c.i in self.entities.groups)
                 for a in self.resolve(c)]
        # "attacked Brandt's Tory lies": the owner is named before the modifier that says what the thing is about
        found += [a for t in owned for m in t.children if m.dep_ in ("compound", "amod", "nmod") and m.i < t.i
                  for c in m.children if c.dep_ == "poss" and c.pos_ != "PRON" for a in self.resolve(c)]
        # "criticised the promises of the Tories"
        found += [a for t in owned if t.lower_ in self.vocab.owned_things for c in self.of_objects(t)
                  for a in self.resolve(c) if a.cluster.type in ("PERSON", "ORG", "NORP")]
        # "criticised the proposal offered by the Y administration", "the decision by Y to close the plant"
        found += [a for t in owned if t.lower_ in self.vocab.owned_things
                  for a in self.prep_args(t, ["by"]) + [b for c in t.children if c.dep_ == "acl" for b in self.prep_args(c, ["by"])]
                  if a.cluster.type in ("PERSON", "ORG", "NORP", "GPE")]
        # "branded the Tory plans 'fantasy'", "slammed the Trump tax plan": a party or person named before the thing
        modifiers = [c for t in owned if t.pos_ == "NOUN" for c in t.children if c.dep_ in ("compound", "amod", "nmod") and c.i < t.i]
        modifiers += [g for c in modifiers if c.pos_ == "NOUN" for g in c.children if g.dep_ in ("compound", "amod")]  # "the Y tax plan"
        return found or [a for c in modifiers for a in self.resolve(c) if a.cluster.type in ("PERSON", "ORG", "NORP")] or [
            a for t in owned for a in self.earlier_owner(t)]

    def earlier_owner(self, thing: Token) -> list[Arg]:
        """'Democrats slammed the plan': a definite thing with no owner of its own belongs to whoever owned or
        put forward the last thing of its kind named before it ("the Republican tax plan", "Y unveiled a plan").
        Read as a reference back, like a pronoun."""
        lemma = thing.lemma_.lower()
        if lemma not in self.vocab.earlier_things or not any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "these", "that") for c in thing.children):
            return []
        if self._things is None:
            self._things = [(t.i, t.lemma_.lower(), owners) for t in self.doc
                            if t.pos_ == "NOUN" and t.lemma_.lower() in self.vocab.earlier_things
                            for owners in [self._thing_owners(t)] if owners]
        earlier = [owners for i, kind, owners in self._things if i < thing.i and kind == lemma]
        return [a._replace(pronoun=True, at=thing.i) for a in earlier[-1]] if earlier else []

    def _thing_owners(self, thing: Token) -> list[Arg]:
        """Who owns a thing where it is named: its possessor or naming modifier, or the subject putting it forward."""
        owners = [a for c in thing.children if c.dep_ == "poss" or c.dep_ in ("compound", "amod", "nmod") and c.i < thing.i
                  for a in self.resolve(c) if a.cluster.type in ("PERSON", "ORG", "NORP", "GPE")]
        if owners:
            return owners
        verb = thing.head
        if thing.dep_ == "dobj" and verb.pos_ == "VERB" and verb.lemma_.lower() in self.vocab.putting_verbs:
            return [a for a in self.subjects(verb) if a.cluster.type in ("PERSON", "ORG", "NORP", "GPE")]
        return []

    def subjects(self, verb: Token) -> list[Arg]:
        """Who does it: the verb's subject, else the subject it shares or inherits."""
        seen, conjoined = set(), False
        while verb is not None and verb.i not in seen:
            seen.add(verb.i)
            # "X was briefed and urged Y to quit": a passive's subject also does the act conjoined to it
            found = self.args_of_deps(verb, ("nsubj", "nsubjpass") if conjoined else ("nsubj",))
            if found or any(c.dep_ in SUBJECTS and c.lower_ not in DISTRIBUTIVES and not _opening_participle(c) for c in verb.children):
                return found
            conjoined = verb.dep_ == "conj"
            if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in self.vocab.object_control:
                # "leading Democrats to accuse him": the one led acts
                return self.args_of_deps(verb.head, ("dobj",))
            reporter = reporter_of(verb, self.vocab.speech_verbs)
            if reporter is not None and self.objects_subject_of(verb, verb.head):
                verb = reporter  # "X argues that Y erred, accusing him of ...": one does not accuse oneself
            elif verb.dep_ in ("conj", "xcomp", "advcl", "pcomp", "dobj", "pobj", "prep") and verb.head.i != verb.i:
                verb = verb.head
            elif verb.dep_ == "acl" and verb.tag_ == "VBG":
                # "X, saying ...", "the group backing Y"; "X ran ads attacking Y": the ads are X's
                found = self.resolve(verb.head)
                if found or verb.head.dep_ in SUBJECTS:
                    return found
                verb = verb.head
            elif verb.dep_ == "ROOT" or verb.dep_ == "amod" and verb.tag_ == "VBD":
                # "X, an environmental group, slammed Y": the parse may read the past tense as an adjective of Y
                return self.subject_before(verb)
            else:
                return []
        return []

    def objects_subject_of(self, verb: Token, clause: Token) -> bool:
        """Is the verb's direct object the one the clause's subject names?"""
        subjects = {id(a.cluster) for a in self.args_of_deps(clause, ("nsubj", "nsubjpass"))}
        return any(id(a.cluster) in subjects for a in self.args_of_deps(verb, ("dobj",)))

    def subject_before(self, verb: Token) -> list[Arg]:
        """'Yes on 12 received ...': a main verb the parse left without a subject acts for the name right before it."""
        i = verb.i - 1
        while i >= verb.sent.start and self.doc[i].pos_ in ("AUX", "ADV", "PART"):
            i -= 1
        if i > verb.sent.start and self.doc[i].text == ",":
            i = self.before_aside(i)
        if i < verb.sent.start or self.doc[i].is_punct:
            return []
        return self.resolve(self.doc[i]) if self.entities.at(self.doc[i]) is not None else []

    def before_aside(self, comma: int) -> int:
        """'X, an environmental group, slammed': the word before a comma-enclosed noun phrase that opens with an article, else the comma."""
        start = comma - 1
        while start > self.doc[comma].sent.start and self.doc[start].pos_ in ASIDE_POS \
                and self.doc[start].text != ",":
            start -= 1
        if self.doc[start].text != "," or self.doc[start + 1].lower_ not in ("a", "an", "the"):
            return comma
        return start - 1

    def args_of_deps(self, head: Token, deps: tuple[str, ...], skip_preps: bool = False) -> list[Arg]:
        found = []
        for child in head.children:
            if child.dep_ in deps:
                if skip_preps and child.pos_ == "ADP":
                    found += self.prep_args(head, [child.lower_], deps=(child.dep_,))
                    continue
                for token in [child, *child.conjuncts, *_parallel_conjuncts(child), *self.listed_after(child)]:
                    found += self.resolve(token)
        return found

    def listed_after(self, token: Token) -> list[Token]:
        """'A, B, C and D said': the parse may hang B on A as an apposition and C and D on B; a name of
        another entity in apposition, with names joined to it, is the rest of a list."""
        named = self.entities.at(token)
        return [t for c in token.children if c.dep_ == "appos" and c.conjuncts
                and (other := self.entities.at(c)) is not None and named is not None and other is not named
                and c.i not in self.entities.descriptions for t in [c, *c.conjuncts]]

    def prep_args(self, head: Token, preps: Iterable[str], deps: tuple[str, ...] = ("prep", "dative", "agent")) -> list[Arg]:
        """Objects of the head's prepositions, also of coordinated ones ("by X and by Y")."""
        preps = set(preps)
        found = []
        for child in head.children:
            if child.dep_ in deps and child.lower_ in preps:
                for prep in [child, *(c for c in child.conjuncts if c.pos_ == "ADP")]:
                    for pobj in prep.children:
                        if pobj.dep_ in ("pobj", "pcomp"):
                            for token in [pobj, *pobj.conjuncts, *self.listed_after(pobj)]:
                                found += self.resolve(token)
        return found

    def surface_args(self, start: int, preps: Iterable[str]) -> list[Arg]:
        frame = self.surface.frame(start, preps)
        return [a for p in preps for a in frame.get(p, [])]

    def resolve(self, token: Token, depth: int = 0) -> list[Arg]:
        """The entities a token stands for."""
        if depth > 4:
            return []
        if token.tag_ in ("NNS", "NNPS"):
            # "Several Democrats, including Rep. X, are backing Y": the named members act for the group
            members = [a for t in self.including(token) for a in self.resolve(t, depth + 1)]
            if members:
                return members
        cluster = self.entities.at(token)
        if cluster is not None:
            return [Arg(cluster, token.pos_ == "PRON" or token.i in self.entities.descriptions, token.i)]
        group = self.entities.groups.get(token.i)
        if group:  # "attacked them": each of the entities "them" stands for
            return [Arg(self.entities.clusters[index], True, token.i) for index in group]
        lower, lemma = token.lower_, token.lemma_.lower()
        if lower == "which" and token.head.dep_ == "relcl":
            # "X, president of the Y Federation, which endorsed Z": "which" is no person; the name before it is meant
            before = token.i - 1
            while before > token.sent.start and self.doc[before].is_punct:
                before -= 1
            named = self.entities.at(self.doc[before])
            head = token.head.head
            if named is not None and named.type != "PERSON" and head.left_edge.i <= before <= head.right_edge.i:
                return [Arg(named, False, before)]
        if lower in DISTRIBUTIVES and token.head.dep_ == "relcl" and any(
                p.lower_ == "of" and any(w.lower_ in ("whom", "which") for w in p.children) for p in token.children):
            # "A and B, all of whom endorsed Y": each one named before the relative clause
            antecedent = token.head.head
            return [a for t in [antecedent, *antecedent.conjuncts] for a in self.resolve(t, depth + 1)]
        if lower in self.vocab.spokespeople:
            found = self.spoken_for(token, depth)
            if found:
                return found
        if token.pos_ == "NOUN" and lemma in self.vocab.voicing_nouns:
            found = [a._replace(pronoun=True) for c in token.children if c.dep_ in ("poss", "compound", "nmod") and c.i < token.i
                     for a in self.resolve(c, depth + 1) if a.cluster.type in ("PERSON", "ORG", "NORP", "GPE")]
            if found:  # "a Human Rights Watch report accused Y": the owner speaks
                return found
        if token.tag_ in ("NNS", "NNPS") and lower in self.vocab.party_members and not any(c.dep_ == "appos" for c in token.children):
            # "Labour MPs", "Republican lawmakers"; "two Republican senators, A and B," are A and B
            found = [a for c in token.children if c.dep_ in ("compound", "amod") and c.i < token.i
                     for t in [c, *c.conjuncts] for a in self.resolve(t, depth + 1)
                     if a.cluster.type == "ORG" or a.cluster.type == "NORP" and a.cluster.canonical]  # not "British lawmakers"
            if found:
                return found
        if lemma in self.vocab.partitives:  # "bankrolled much of Y's campaign"
            found = [a for t in self.of_objects(token) for a in self.resolve(t, depth + 1)]
            if found:
                return found
        if lower == "they" and token.dep_ == "nsubj" and token.head.dep_ == "ccomp" and token.head.head.lemma_.lower() in self.vocab.speech_verbs:
            # "A, B and C said they support Y": a pronoun led to them
            return [a._replace(pronoun=True) for a in self.args_of_deps(token.head.head, ("nsubj",))]
        if lower in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
            return self.resolve(token.head.head, depth + 1)
        if lower == "whose":  # "X, whose endorsement of Y ...": the one the relative clause is about
            clause = next((t for t in token.ancestors if t.dep_ == "relcl"), None)
            if clause is not None:
                return [a._replace(pronoun=True) for a in self.resolve(clause.head, depth + 1)]
        for child in token.children:
            if child.dep_ == "appos":
                found = [a for t in [child, *child.conjuncts, *_parallel_conjuncts(child)] for a in self.resolve(t, depth + 1)]
                if found:
                    return found
        if token.dep_ == "appos":  # "X, a ballot committee funded by Y": the committee is X
            found = self.resolve(token.head, depth + 1)
            if found:
                return found
        if token.pos_ == "NOUN":
            found = self.surface.late_apposition(token)
            if found:
                return found
        if lemma in self.vocab.campaign_nouns:
            for child in token.children:
                if child.dep_ in ("poss", "compound"):
                    found = self.resolve(child, depth + 1)
                    if found:
                        return found
            before = self.doc[token.i - 1] if token.i > 0 else None
            if before is not None and before.pos_ != "PRON" and self.entities.at(before) is not None:
                return self.resolve(before, depth + 1)  # "the Yes on 12 campaign": the parse splits the name off
            found = self.prep_args(token, ["of", "for"])
            if found:
                return found
        if token.pos_ == "NOUN" and lower in self.vocab.org_nouns:
            # "the Coastal Alliance party", "the Midvale Courier editorial board": the organisation named before it
            for child in token.children:
                cluster = self.entities.at(child)
                if cluster is None or child.i > token.i:
                    continue
                # "The Harbor City Ledger's editorial board": a board speaks for the organisation that owns it
                if child.dep_ in ("compound", "nmod") and child.pos_ == "PROPN" and cluster.type not in ("GPE", "NORP") \
                        or child.dep_ == "poss" and cluster.type == "ORG":
                    return self.resolve(child, depth + 1)
        if lemma in self.vocab.nouns:  # "funded by a contribution from X"
            return self.prep_args(token, self.vocab.nouns[lemma].get("subject_preps", []))
        if token.pos_ in ("NOUN", "PROPN") and any(c.lower_ in ("the", "this", "that") for c in token.children):
            return self.definite(token, lemma)  # "the union", "the PAC"
        return []

    def spoken_for(self, spokesperson: Token, depth: int) -> list[Arg]:
        """'a spokesman for the Green Party', 'a Labour spokeswoman', 'a Foreign Ministry official': the body
        named with the spokesperson; a party, not a nationality ("Chinese officials").

        Read as a description of that body (a lower confidence); a person's spokesman is not the person."""
        named = [c for c in spokesperson.children if c.dep_ in ("compound", "nmod", "poss") and c.i < spokesperson.i]
        named += [pobj for prep in spokesperson.children if prep.dep_ == "prep" and prep.lower_ in ("for", "of")
                  for pobj in prep.children if pobj.dep_ == "pobj"]
        return [a._replace(pronoun=True) for t in named for a in self.resolve(t, depth + 1)
                if a.cluster.type in ("ORG", "GPE") or a.cluster.type == "NORP" and a.cluster.canonical is not None]

    def including(self, token: Token) -> list[Token]:
        """The members a plural names: 'Democrats, including X', 'candidates such as X', 'figures like X'."""
        return [t for prep in token.children if prep.dep_ == "prep" and (
                    prep.lower_ in self.vocab.including_preps or f"{self.doc[prep.i - 1].lower_} {prep.lower_}" in self.vocab.including_preps)
                for pobj in prep.children if pobj.dep_ == "pobj" for t in [pobj, *pobj.conjuncts]]

    def of_objects(self, token: Token) -> list[Token]:
        return [pobj for prep in token.children if prep.dep_ == "prep" and prep.lower_ == "of"
                for pobj in prep.children if pobj.dep_ == "pobj"]

    def definite(self, token: Token, lemma: str) -> list[Arg]:
        """'the company', 'the union': the last organisation named before it."""
        best = None
        for cluster in self.entities.clusters:
            if cluster.type != "ORG":
                continue
            if lemma not in self.vocab.any_organisation and (
                    lemma not in self.vocab.org_nouns or lemma not in cluster.name.lower().split()):
                continue  # "the party" after "the Green Party"; not "the Republican" after "the Republican Committee"
            before = [m.start for m in cluster.mentions if m.start < token.i]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), cluster)
        return [Arg(best[1], True, token.i)] if best else []

    def quoted_names(self, tokens: Iterable[Token], exclude: set[str]) -> list[Arg]:
        """The one entity a quote names (none when it names several)."""
        found = {}
        for token in tokens:
            cluster = self.entities.at(token)
            if token.i in self.quoted and cluster is not None and token.pos_ != "PRON" and cluster.name not in exclude:
                found.setdefault(cluster.name, Arg(cluster, False, token.i))
        return list(found.values()) if len(found) == 1 else []

    def governing_verb(self, noun: Token) -> Token | None:
        """The verb a trigger noun is the object of; read leftwards when the parse lost it."""
        if noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ in ("VERB", "AUX"):
            return noun.head
        if noun.dep_ == "pobj" and noun.head.dep_ in ("prep", "agent") and noun.head.head.pos_ in ("VERB", "AUX"):
            return noun.head.head
        i = noun.i - 1
        while i >= max(0, noun.i - 6) and self.doc[i].pos_ in PHRASE_POS and self.doc[i].tag_ != "POS":
            i -= 1
        if i >= 0 and i < noun.i - 1 and self.doc[i].pos_ == "VERB" and self.doc[i].sent == noun.sent:
            return self.doc[i]
        return None

    def money_for(self, trigger: Token, own_clauses: bool = False, passive: bool = False) -> list[Money]:
        """The money a trigger's own phrase states, not a neighbouring clause's (a passive's subject is its own: "$500 was given")."""
        skipped = {"conj", "cc", "nsubj", "nsubjpass"} if own_clauses else {
            "conj", "relcl", "ccomp", "advcl", "parataxis", "cc", "nsubj", "nsubjpass"}
        if passive:
            skipped.discard("nsubjpass")
        own = {trigger.i}
        for child in trigger.children:
            # A verb's "conj" amount is an elided second act: "$500 to A and another $250 to B".
            if child.dep_ not in skipped or child.dep_ == "conj" and child.pos_ not in ("VERB", "AUX"):
                own.update(t.i for t in child.subtree)
        if trigger.dep_ in ("dobj",) and trigger.head.pos_ == "VERB":
            # "wrote a check for $500": the amount hangs on the verb
            own.update(t.i for c in trigger.head.children if c.dep_ in ("dobj", "npadvmod") or c.dep_ == "prep" and c.lower_ == "for"
                       for t in c.subtree)
        return [m for m in self.money if any(i in own for i in range(m.start, m.end))]

    def asserted(self, trigger: Token, appeal: bool = False) -> bool:
        """False when the sentence negates, hedges, plans, conditions or asks (an appeal, if `appeal`, does not withhold)."""
        if self._is_question(trigger.sent):
            return False
        node = trigger
        check_children = True
        pledge = appeal and self.pledged(trigger)
        while True:
            if check_children and self.blocked_by_children(node, pledge=pledge and node is trigger):
                return False
            # a verb coordinated with the trigger is no governor of it: "pulled its support and blasted her"
            if node.i != trigger.i and check_children and self.governs(node, appeal):
                return False
            if node.dep_ in ("ROOT", "relcl", "advcl", "parataxis") or node.head.i == node.i:
                return True
            if node.dep_ == "conj" and node.pos_ in ("VERB", "AUX") and any(c.dep_ in SUBJECTS for c in node.children):
                return True  # a clause of its own: "was expected to back X, but he endorsed Y"
            if node.dep_ in ("nsubj", "nsubjpass", "csubj"):
                return not self.governs(node.head, appeal)
            # A conjunct has its own negation and auxiliaries: "did not attend but endorsed".
            check_children = node.dep_ != "conj" or node.pos_ not in ("VERB", "AUX")
            node = node.head

    def _is_question(self, sentence: Span) -> bool:
        """Does the sentence ask (end with a question mark, before any closing quote)? Read once per sentence."""
        asks = self._questions.get(sentence.start)
        if asks is None:
            asks = self._questions[sentence.start] = sentence.text.rstrip().rstrip('"”’').endswith("?")
        return asks

    def governs(self, node: Token, appeal: bool = False) -> bool:
        """Is this word above the trigger one that withholds it ("refused", "backed away from")?"""
        lemma = node.lemma_.lower()
        if appeal and lemma in self.vocab.appeals and any(c.dep_ in ("dobj", "xcomp") for c in node.children):
            return False  # "urged members to back Y": the appeal is itself the backing
        return lemma in self.vocab.governors or any(
            f"{lemma} {c.lower_}" in self.vocab.governors for c in node.children if c.dep_ in ("prt", "advmod"))

    def pledged(self, verb: Token) -> bool:
        """'X said she would vote for Y', 'X says he will back Y': backing its giver announces is given."""
        if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in self.vocab.speech_verbs or any(
                c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.vocab.conditions for m in c.children)
                for c in verb.children):
            return False  # "said he would back Y if she ran" pledges nothing yet
        speakers = {id(a.cluster) for a in self.subjects(verb.head)}
        own = [c for c in verb.children if c.dep_ == "nsubj"]
        return len(own) == 1 and own[0].pos_ == "PRON" and (found := self.entities.at(own[0])) is not None \
            and id(found) in speakers

    def blocked_by_children(self, node: Token, pledge: bool = False) -> bool:
        for child in node.children:
            lower = child.lower_
            if child.dep_ == "neg" or (child.dep_ in ("advmod", "det", "preconj") and lower in self.vocab.negators):
                return True
            if child.dep_ == "aux" and (lower in self.vocab.hedges or child.lemma_.lower() in self.vocab.hedges) \
                    and not (pledge and lower in self.vocab.pledges):
                return True
            if child.dep_ == "mark" and lower in self.vocab.conditions:
                return True
            if child.dep_ in ("advmod", "acomp", "prt") and lower in self.vocab.polarity_adverbs:
                return True
            if child.dep_ in SUBJECTS and any(g.dep_ in ("det", "preconj") and g.lower_ in NO_ONE for g in child.children):
                return True  # "Neither Bush voted for X", "No Republican backed Y"
        return False

    def pairs(self, subjects: list[Arg], predicate: str, objects: list[Arg], trigger: Token, rule: str,
               money: list[Money], lemma: str | None = None) -> list[Candidate]:
        kind = RELATION_TYPES[predicate]
        subject_types, object_types = kind.subject_types, kind.object_types
        subjects = subjects + self.elided_subjects(trigger) if subjects else subjects
        candidates = []
        for subject in subjects:
            for obj in objects:
                if subject.cluster is obj.cluster or subject.cluster.type not in subject_types or obj.cluster.type not in object_types:
                    continue
                if kind.money and set(obj.cluster.name.lower().split()) & self.vocab.not_recipients:
                    continue
                confidence = self.vocab.confidence[rule]
                if subject.pronoun or obj.pronoun:
                    confidence -= self.vocab.confidence["pronoun-penalty"]
                candidates.append(Candidate(
                    subject.cluster, predicate, obj.cluster, trigger.sent, f"{rule}:{lemma or trigger.lemma_.lower()}",
                    round(confidence, 2), self.amount(money, obj.at) if kind.money else None,
                ))
        return candidates

    def elided_subjects(self, trigger: Token) -> list[Arg]:
        """'X criticised Y, as did Z', 'and so has Z', 'and Z did too': Z does the same to Y."""
        found = []
        for clause in trigger.children:
            if clause.dep_ not in ("advcl", "conj") or clause.lemma_.lower() not in ("do", "have") \
                    or any(c.dep_ in ("xcomp", "ccomp") for c in clause.children):
                continue
            # "as did Z", "so has Z": the subject is inverted, and the parser may take it for an object
            if any(c.dep_ == "mark" and c.lower_ == "as" or c.dep_ == "advmod" and c.lower_ == "so" and c.i < clause.i
                   for c in clause.children):
                found += self.args_of_deps(clause, ("nsubj", "dobj"))
            elif any(c.dep_ == "advmod" and c.lower_ == "too" for c in clause.children) \
                    and not any(c.dep_ == "dobj" for c in clause.children):
                found += self.args_of_deps(clause, ("nsubj",))
        return found

    def amount(self, money: list[Money], at: int) -> Money | None:
        """The amount that leads to the recipient ("$2,900 to A and $1,500 to B"), else the nearest one."""
        if not money:
            return None
        doc = self.doc
        before = [m for m in money if m.end < at and doc[m.end].lower_ in self.vocab.recipient_preps]
        if before:
            last = max(before, key=lambda m: m.end)
            if not any(last.end <= m.start < at for m in money):
                return last
        return nearest(money, at)


def _parallel_conjuncts(token: Token) -> list[Token]:
    """'A of Eastport and B of Millhaven': the parse hangs B on Eastport; B's own 'of' phrase shows it is A's peer."""
    return [c for prep in token.children if prep.dep_ == "prep" for pobj in prep.children if pobj.dep_ == "pobj"
            for c in pobj.conjuncts if any(g.dep_ == "prep" and g.lower_ == prep.lower_ for g in c.children)]


def _opening_participle(token: Token) -> bool:
    """'Speaking to activists, X took a swipe at Y': the parse makes the opening participle phrase the subject."""
    return token.dep_ == "csubj" and token.tag_ == "VBG" and any(t.text == "," for t in token.subtree)
