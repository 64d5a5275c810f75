"""A deterministic corpus of realistic, entirely fictional political news.

``generate(n, seed)`` returns the same ``n`` article records for the same seed
on every machine and Python version (it uses only ``random.Random`` with an
integer seed and sorted, fixed pools). Each article has 4-12 paragraphs of
wire-style prose about people, organisations and places drawn from generated
name pools: endorsements, donations and criticism (some of them negated,
hedged or planned), quotes, and plain filler about budgets, weather and
turnout. A person is introduced by title and full name and later called by
surname, or by pronoun; surnames introduced in earlier articles come back
alone in later ones, so cross-article resolution has work to do.

``synthetic_graphs(n, seed)`` makes ArticleGraphs directly (no NLP), with
unique entity ids, to pre-fill a store quickly through its own ``write``.

Run ``python benchmarks/corpus.py N OUT.jsonl`` to write a corpus file.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SEED = 20250314

# --- name pools ----------------------------------------------------------------
# Surnames and places are built from syllables, so they are fictional; first
# names are ordinary ones, with the gender the extractor's pronoun rules use.

FEMALE_FIRST = (
    "Margaret", "Lucia", "Irene", "Julia", "Yara", "Helen", "Nadia", "Rosa", "Clara", "Ingrid",
    "Maya", "Teresa", "Alice", "Priya", "Elena", "Sofia", "Grace", "Laura", "Fatima", "Hannah",
)
MALE_FIRST = (
    "Victor", "Daniel", "Marcus", "Thomas", "Andre", "Samuel", "Oscar", "Felix", "Rafael", "Henry",
    "Omar", "Peter", "Jonas", "Elliot", "Gabriel", "Martin", "Hugo", "Nikolai", "Paul", "Adrian",
)
_SURNAME_HEADS = ("Hal", "Cas", "Brand", "Fer", "Ok", "Kow", "Ell", "Mar", "Vel", "Dray", "Ost", "Cor",
                  "Bren", "Lis", "Tor", "Wyn", "Gal", "Rud", "Pell", "Sand", "Mor", "Quin", "Ash", "Dun")
_SURNAME_TAILS = ("loran", "tellano", "tner", "rante", "afor", "czyk", "ison", "quez", "ardi", "mont",
                  "berg", "ford", "ley", "stead", "ova", "enko", "wick", "holm", "ridge", "sby")
_PLACE_HEADS = ("Ost", "Ad", "Bel", "Cran", "Dor", "Elm", "Fair", "Glen", "Har", "Kes", "Lin", "Mer")
_PLACE_TAILS = ("oria", "ley", "haven", "brook", "field", "mouth", "ton", "wick", "dale", "port")

PERSON_TITLES = (
    ("Sen.", "Senator"), ("Rep.", "Representative"), ("Mayor", "Mayor"), ("Gov.", "Governor"),
    ("Comptroller", "Comptroller"), ("Councilmember", "Councilmember"), ("Treasurer", "Treasurer"),
    ("Attorney General", "Attorney General"),
)
PARTIES = ("D", "R", "I")
ORG_PATTERNS = (
    "{surname} Logistics", "{surname} Holdings Inc.", "{place} Teachers Union", "Citizens for a Cleaner {place}",
    "{place} Chamber of Commerce", "{place} Building Trades Council", "Friends of {place} Parks",
    "{surname} Family Foundation", "{place} Nurses Association", "Builders for {place} PAC",
    "{place} Police Benevolent Association", "{surname} Energy Corp.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SOURCES = ("Ostoria Wire", "The Adley Ledger", "Kesmouth Courier", "Fairbrook Daily", "Statehouse Report")


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    title: str
    long_title: str
    party: str
    female: bool

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def pronoun(self) -> str:
        return "she" if self.female else "he"

    @property
    def possessive(self) -> str:
        return "her" if self.female else "his"


@dataclass(frozen=True)
class Pools:
    people: tuple[Person, ...]
    orgs: tuple[str, ...]
    places: tuple[str, ...]


def make_pools(seed: int = DEFAULT_SEED, *, people: int = 320, orgs: int = 120, places: int = 40) -> Pools:
    rng = random.Random(seed)
    surnames = sorted({h + t for h in _SURNAME_HEADS for t in _SURNAME_TAILS})
    rng.shuffle(surnames)
    place_names = sorted({h + t for h in _PLACE_HEADS for t in _PLACE_TAILS})
    rng.shuffle(place_names)
    place_names = place_names[:places]
    # Some surnames are shared by two people, as in real news: a bare
    # surname then has two candidates and must not be merged.
    chosen = surnames[: int(people * 0.9)]
    chosen += rng.sample(chosen, people - len(chosen))
    persons = []
    for last in chosen:
        female = rng.random() < 0.5
        title, long_title = rng.choice(PERSON_TITLES)
        first = rng.choice(FEMALE_FIRST if female else MALE_FIRST)
        persons.append(Person(first, last, title, long_title, rng.choice(PARTIES), female))
    org_names: list[str] = []
    seen = set()
    while len(org_names) < orgs:
        name = rng.choice(ORG_PATTERNS).format(surname=rng.choice(surnames[people:] or surnames),
                                                place=rng.choice(place_names))
        if name not in seen:
            seen.add(name)
            org_names.append(name)
    return Pools(tuple(persons), tuple(org_names), tuple(place_names))


# --- prose -----------------------------------------------------------------------


class _Writer:
    """Writes one article: tracks who has been introduced, to use surnames and pronouns after."""

    def __init__(self, rng: random.Random, pools: Pools, known_before: set[str]):
        self.rng, self.pools = rng, pools
        self.introduced: set[str] = set()
        self.known_before = known_before
        self.place = rng.choice(pools.places)
        self.last_person: Person | None = None

    # names ---------------------------------------------------------------
    def who(self, person: Person, *, start: bool = False) -> str:
        """Full title and name the first time, the surname after; sometimes a pronoun."""
        self.last_person = person
        if person.full not in self.introduced:
            self.introduced.add(person.full)
            # A person known from an earlier article is sometimes named by surname alone.
            if person.full in self.known_before and self.rng.random() < 0.25:
                return person.last
            if self.rng.random() < 0.3:
                return f"{person.title} {person.full} ({person.party}-{self.place[:3]}.)"
            return f"{person.title} {person.full}"
        return person.last

    def org(self, name: str) -> str:
        if name not in self.introduced:
            self.introduced.add(name)
        return name

    def money(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return f"${self.rng.choice((250, 500, 1000, 2500, 5000, 7500, 10000, 25000)):,}"
        if r < 0.8:
            return f"${self.rng.choice((1.2, 2, 3.5, 4, 12))} million"
        return f"{self.rng.choice((500, 2000, 15000)):,} dollars"

    # sentences -------------------------------------------------------------
    def endorsement(self, a: str, b: Person, negated: bool) -> str:
        rng, day = self.rng, self.rng.choice(WEEKDAYS)
        obj = self.who(b)
        if negated:
            return rng.choice((
                f"{a} did not endorse {obj} in the primary, a spokesperson said on {day}.",
                f"{a} has declined to endorse {obj} so far.",
                f"{a} may endorse {obj} later this month, according to two people familiar with the talks.",
                f"{a} is expected to back {obj} if the runoff goes ahead.",
            ))
        return rng.choice((
            f"{a} endorsed {obj} for re-election on {day}.",
            f"{a} threw {rng.choice(('its', 'the group’s'))} support behind {obj} on {day}.",
            f"{a} formally endorsed {obj}, citing {b.possessive} record on housing.",
            f"On {day}, {a} announced that it backs {obj} in the race for {self.place}.",
            f"{a} endorsed {obj} at a rally outside the {self.place} city hall.",
        ))

    def donation(self, a: str, b: Person, negated: bool) -> str:
        rng, amount, obj = self.rng, self.money(), self.who(b)
        if negated:
            return rng.choice((
                f"{a} did not donate to {obj}, according to the filings.",
                f"{a} has never given money to {obj}, {rng.choice(('a spokesperson', 'an aide'))} said.",
                f"{a} plans to donate {amount} to {obj} next year.",
            ))
        return rng.choice((
            f"{a} donated {amount} to {obj}'s campaign, according to filings released this week.",
            f"A {amount} donation from {a} to {obj} appeared in campaign filings on {rng.choice(WEEKDAYS)}.",
            f"{a} gave {amount} to {obj} in the last reporting period.",
            f"Records show {a} contributed {amount} to {obj}'s re-election effort.",
            f"{obj} received {amount} from {a}, the largest single gift of the quarter.",
        ))

    def criticism(self, a: str, target: str, negated: bool) -> str:
        rng = self.rng
        if negated:
            return rng.choice((
                f"{a} did not criticize {target} directly.",
                f"{a} stopped short of condemning {target}.",
                f"Asked whether {a} would criticize {target}, an aide said no decision had been made.",
            ))
        return rng.choice((
            f"{a} criticized {target} on {rng.choice(WEEKDAYS)} for cutting {rng.randint(40, 900)} jobs.",
            f"{a} slammed {target} over the delayed transit contract.",
            f"In a statement, {a} blasted {target} for what {rng.choice(('she', 'he', 'it'))} called a reckless budget.",
            f"{a} accused {target} of misleading voters about the port expansion.",
            f"{a} sharply criticized {target}'s handling of the water crisis.",
        ))

    def quote(self, person: Person) -> str:
        who = self.who(person)
        line = self.rng.choice((
            "We need leaders who will show up for working families",
            "This city deserves better than empty promises",
            "The numbers simply do not add up",
            "I am proud of what we have built together",
        ))
        return f"\u201c{line},\u201d {who} said."

    def filler(self) -> str:
        rng, place = self.rng, self.place
        return rng.choice((
            f"The {place} city council meets again on {rng.choice(WEEKDAYS)} to vote on the transit budget.",
            f"Turnout in the {place} primary was {rng.randint(18, 61)} percent, election officials said.",
            f"Heavy rain delayed the opening of the new ferry terminal in {place} by two days.",
            f"The state's unemployment rate fell to {rng.randint(3, 7)}.{rng.randint(0, 9)} percent in the third quarter.",
            f"Early voting begins in {rng.randint(2, 6)} weeks, and officials expect long lines at the downtown library.",
            "A hearing on the proposed stadium tax has been postponed until after the holidays.",
            f"The {place} school board approved a {rng.randint(2, 9)} percent raise for bus drivers.",
            "Residents packed the auditorium for a debate that ran nearly three hours.",
            "Polls show the race within the margin of error, with many voters still undecided.",
            f"The campaign finance office said it would publish the next round of filings on {rng.choice(WEEKDAYS)}.",
        ))

    def relation_sentence(self, cast: list[Person], orgs: list[str]) -> str:
        rng = self.rng
        kind = rng.choice(("endorse", "donate", "criticize"))
        negated = rng.random() < 0.15
        b = rng.choice(cast)
        if rng.random() < 0.45:
            a = self.org(rng.choice(orgs))
        else:
            others = [p for p in cast if p is not b] or list(self.pools.people[:1])
            actor = rng.choice(others)
            # A pronoun for the person named just before, now and then.
            if self.last_person is actor and actor.full in self.introduced and rng.random() < 0.4:
                a = actor.pronoun.capitalize()
            else:
                a = self.who(actor)
        if kind == "endorse":
            return self.endorsement(a, b, negated)
        if kind == "donate":
            return self.donation(a, b, negated)
        other_orgs = [o for o in orgs if o != a]
        target = self.who(b) if rng.random() < 0.6 or not other_orgs else self.org(rng.choice(other_orgs))
        return self.criticism(a, target, negated)


def generate(n: int, seed: int = DEFAULT_SEED) -> list[dict]:
    """`n` article records ({id, title, published, source, url, text}), the same for the same seed."""
    return list(iter_articles(n, seed))


def iter_articles(n: int, seed: int = DEFAULT_SEED) -> Iterator[dict]:
    pools = make_pools(seed)
    rng = random.Random(seed + 1)
    known: set[str] = set()
    for number in range(n):
        writer = _Writer(rng, pools, known)
        cast = rng.sample(pools.people, rng.randint(2, 4))
        orgs = rng.sample(pools.orgs, rng.randint(1, 3))
        paragraphs = []
        for p in range(rng.randint(4, 12)):
            sentences = []
            for _ in range(rng.randint(1, 3)):
                r = rng.random()
                if p == 0 and not sentences or r < 0.35:
                    sentences.append(writer.relation_sentence(cast, orgs))
                elif r < 0.45:
                    sentences.append(writer.quote(rng.choice(cast)))
                else:
                    sentences.append(writer.filler())
            paragraphs.append(" ".join(sentences))
        lead = cast[0]
        known.update(writer.introduced)
        day = 1 + number % 28
        month = 1 + (number // 28) % 12
        yield {
            "id": f"bench-{number:06d}",
            "title": f"{lead.last} {rng.choice(('wins backing', 'under fire', 'raises money', 'faces questions'))} in {writer.place}",
            "published": f"2025-{month:02d}-{day:02d}",
            "source": rng.choice(SOURCES),
            "url": f"https://news.example/{number:06d}",
            "text": "\n\n".join(paragraphs),
        }


def write_jsonl(path: str | Path, n: int, seed: int = DEFAULT_SEED) -> Path:
    path = Path(path)
    with path.open("w", encoding="utf-8") as out:
        for record in iter_articles(n, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# --- synthetic graphs for pre-filling a store -------------------------------------


def synthetic_graphs(n_articles: int, *, entities_per_article: int = 10, relations_per_article: int = 3,
                     seed: int = DEFAULT_SEED, prefix: str = "fill"):
    """ArticleGraphs with `entities_per_article` entities each that no other article shares.

    n_articles * entities_per_article distinct entities in all (people with
    surnames, organisations, groups, places), and relations among each
    article's own entities, so a pre-filled store looks like a real one.
    """
    from kg.records import Article, ArticleGraph, Entity, Relation

    rng = random.Random(seed + 7)
    types = ("PERSON", "PERSON", "PERSON", "PERSON", "ORG", "ORG", "ORG", "NORP", "GPE", "PERSON")
    predicates = ("ENDORSES", "DONATED_TO", "CRITICIZED")
    for a in range(n_articles):
        article_id = f"{prefix}-{a:07d}"
        entities = []
        for e in range(entities_per_article):
            type_ = types[e % len(types)]
            serial = a * entities_per_article + e
            if type_ == "PERSON":
                name = f"{rng.choice(FEMALE_FIRST + MALE_FIRST)} Fill{serial:07d}"
            else:
                name = f"Fill {type_.title()} {serial:07d}"
            entities.append(Entity(f"{type_.lower()}:{name.lower()}", name, type_, (), 1 + serial % 3))
        people_orgs = [e for e in entities if e.type in ("PERSON", "ORG")]
        relations = []
        for r in range(relations_per_article):
            s, o = rng.sample(people_orgs, 2)
            sentence = f"{s.name} and {o.name} did something on day {r}."
            relations.append(Relation(s.id, predicates[r % 3], o.id, article_id, sentence, r * 100,
                                      r * 100 + len(sentence), 0.8, "synthetic", None, None, None))
        article = Article(id=article_id, text="synthetic", title=f"Synthetic {a}", origin="synthetic")
        yield ArticleGraph(article, tuple(entities), tuple(relations))


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    target = sys.argv[2] if len(sys.argv) > 2 else "corpus.jsonl"
    write_jsonl(target, count)
    print(f"wrote {count} articles to {target}")
