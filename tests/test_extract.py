"""Relation extraction, one phenomenon per case, on original sentences with fictional names."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kg.evaluate import rule_precision, score, Triple
from kg.extract import RULE_KINDS, ArticleExtractor, find_money
from kg.records import Article

LABELLED = Path(__file__).parent / "data" / "extraction" / "labelled.jsonl"
E, D, C = "ENDORSES", "DONATED_TO", "CRITICIZED"


@pytest.fixture(scope="module")
def extractor(lexicon):
    return ArticleExtractor(lexicon)


@pytest.fixture(scope="module")
def extract(nlp, extractor):
    """text -> {(subject name, predicate, object name, amount)}"""
    def run(text: str) -> set[tuple]:
        graph = extractor(Article("t", text), nlp(text))
        names = {e.id: e.name for e in graph.entities}
        return {(names[r.subject], r.predicate, names[r.object], r.amount) for r in graph.relations}
    return run


CASES = {
    # voice
    "active": ("Sen. Odalys Brandvik endorsed Rep. Teodor Kasprzak for governor on Monday.",
               {("Odalys Brandvik", E, "Teodor Kasprzak", None)}),
    "passive by-agent": ("Councilwoman Ilse Marchbank was endorsed Tuesday by the Dunmore Bus Drivers Union.",
                         {("Dunmore Bus Drivers Union", E, "Ilse Marchbank", None)}),
    "participle funded by": ("The Clearwater Renewal PAC, funded by investor Thorvald Ekdahl, ran ads all summer.",
                             {("Thorvald Ekdahl", D, "Clearwater Renewal PAC", None)}),
    "passive with two by-agents": (
        "Rep. Ulla Farquhar is backed by the Ridgefield Nurses Union and by former Mayor Cosmo Delacroix.",
        {("Ridgefield Nurses Union", E, "Ulla Farquhar", None), ("Cosmo Delacroix", E, "Ulla Farquhar", None)}),
    "to-object as prep": ("Architect Wenonah Castellvi donated $2,300 to Assemblyman Porfirio Lindell.",
                          {("Wenonah Castellvi", D, "Porfirio Lindell", "$2,300")}),
    "double object": ("The Tillbury Plumbers Guild gave Rep. Anselma Brook $4,000 in March.",
                      {("Tillbury Plumbers Guild", D, "Anselma Brook", "$4,000")}),
    "double object with campaign of": (
        "The Norrland Dairy Council gave the campaign of Sen. Eudora Vask $6,500 last year.",
        {("Norrland Dairy Council", D, "Eudora Vask", "$6,500")}),
    # nominalisations
    "possessive endorsement of": ("Gov. Halvard Nyquist's endorsement of Rosalie Drummond stunned the caucus.",
                                  {("Halvard Nyquist", E, "Rosalie Drummond", None)}),
    "donation from X to Y": ("A $12,000 donation from the Brightwater Cement Company to Sen. Lazlo Ferenc drew scrutiny.",
                             {("Brightwater Cement Company", D, "Lazlo Ferenc", "$12,000")}),
    "criticism of Y from X": ("The criticism of Mayor Fitzgerald Umber from the Eastgate Civic League stung.",
                              {("Eastgate Civic League", C, "Fitzgerald Umber", None)}),
    "its backing of": ("The Pinecrest Teachers Union announced its backing of Councilwoman Marisol Dunleavy.",
                       {("Pinecrest Teachers Union", E, "Marisol Dunleavy", None)}),
    "X's attack on Y": ("Rep. Cormac Iversen's attack on Gov. Solveig Tannhauser drew cheers.",
                        {("Cormac Iversen", C, "Solveig Tannhauser", None)}),
    # light verbs and phrases
    "threw support behind": ("The Westmoor Firefighters Association threw its support behind Yolanda Pryzbylski.",
                             {("Westmoor Firefighters Association", E, "Yolanda Pryzbylski", None)}),
    "gave backing to": ("Former Gov. Archibald Quennell gave his backing to Celestine Amadi in the primary.",
                        {("Archibald Quennell", E, "Celestine Amadi", None)}),
    "took aim at": ("Sen. Horatio Linnell took aim at Gov. Marguerite Sallowby during the hearing.",
                    {("Horatio Linnell", C, "Marguerite Sallowby", None)}),
    "lashed out at": ("Mayor Ingmar Boyle lashed out at the Harbor Crest Port Authority after the strike.",
                      {("Ingmar Boyle", C, "Harbor Crest Port Authority", None)}),
    "wrote a check to": ("Investor Rosalba Achterhof wrote a $15,000 check to the Fairway Future PAC.",
                         {("Rosalba Achterhof", D, "Fairway Future PAC", "$15,000")}),
    "made a contribution to": ("The Kestrel Homebuilders Association made a $9,000 contribution to Rep. Anselm Gravely.",
                               {("Kestrel Homebuilders Association", D, "Anselm Gravely", "$9,000")}),
    # converse verbs
    "received from": ("Councilman Dariusz Wendt received $4,500 from the Northgate Realtors Council.",
                      {("Northgate Realtors Council", D, "Dariusz Wendt", "$4,500")}),
    "won the endorsement of": ("Councilwoman Beatrix Holmgren won the endorsement of the Eastbank Tenants Coalition.",
                               {("Eastbank Tenants Coalition", E, "Beatrix Holmgren", None)}),
    # conjunctions, relative clauses, appositions, amounts
    "coordinated subjects": ("The Dockside Stevedores Guild and the Riverside Chamber of Commerce endorsed Conrad Pyle.",
                             {("Dockside Stevedores Guild", E, "Conrad Pyle", None),
                              ("Riverside Chamber of Commerce", E, "Conrad Pyle", None)}),
    "coordinated objects": ("Sen. Rowena Tillich criticized Gov. Alaric Vennholm and Lt. Gov. Simone Baptiste.",
                            {("Rowena Tillich", C, "Alaric Vennholm", None), ("Rowena Tillich", C, "Simone Baptiste", None)}),
    "conjoined verbs": ("Mayor Evander Colquitt endorsed Priscilla Ndoye and donated $1,000 to her campaign.",
                        {("Evander Colquitt", E, "Priscilla Ndoye", None),
                         ("Evander Colquitt", D, "Priscilla Ndoye", "$1,000")}),
    "relative clause": ("Financier Oskar Lindeberg, who donated $20,000 to Gov. Thea Mancini, now regrets it.",
                        {("Oskar Lindeberg", D, "Thea Mancini", "$20,000")}),
    "whom-relative": ("Sen. Cornelius Abernethy, whom the Mountain Ranchers Alliance endorsed in 2020, is retiring.",
                      {("Mountain Ranchers Alliance", E, "Cornelius Abernethy", None)}),
    "apposition kept out of the name": ("Clement Arrowsmith, a dentist from Millport, endorsed Vivian Sorrentino.",
                                        {("Clement Arrowsmith", E, "Vivian Sorrentino", None)}),
    "each amount shared": ("The Orchard Pickers Union gave $3,000 each to Rep. Fabian Solano and Rep. Lucinda Marrow.",
                           {("Orchard Pickers Union", D, "Fabian Solano", "$3,000"),
                            ("Orchard Pickers Union", D, "Lucinda Marrow", "$3,000")}),
    "elliptical second recipient": (
        "Retiree Agnes Whitlock sent $300 to Barnaby Kentworth's campaign and another $150 to Odette Fairholm's.",
        {("Agnes Whitlock", D, "Barnaby Kentworth", "$300"), ("Agnes Whitlock", D, "Odette Fairholm", "$150")}),
    "money spans the NER splits": ("Banker Ignatius Pell gave $2.5 million to the Open Doors Fund.",
                                   {("Ignatius Pell", D, "Open Doors Fund", "$2.5 million")}),
    # money to campaigns and committees
    "the X campaign": ("Dentist Magnus Ferreira donated $2,000 to the Callowhill campaign.",
                       {("Magnus Ferreira", D, "Callowhill", "$2,000")}),
    "committee goes to candidate, FEC is no recipient": (
        "The Kinsale Rail Union gave $8,500 to Sen. Oriel Dunford's re-election committee, a filing disclosed to the "
        "Federal Election Commission shows.",
        {("Kinsale Rail Union", D, "Oriel Dunford", "$8,500")}),
    # reciprocal
    "traded barbs": ("Mayoral rivals Philippa Drummond and Cyrus Langford traded barbs at the forum.",
                     {("Philippa Drummond", C, "Cyrus Langford", None), ("Cyrus Langford", C, "Philippa Drummond", None)}),
    # agent nouns
    "donor to, in apposition": ("Developer Horatio Blenkinsop, a longtime donor to Mayor Sybil Archibald, joined the board.",
                                {("Horatio Blenkinsop", D, "Sybil Archibald", None)}),
    "copular critic of": ("Nell Prytherch is a fierce critic of Gov. Osgood Fennimore.",
                          {("Nell Prytherch", C, "Osgood Fennimore", None)}),
    # reported speech
    "quote that attacks, said of": ('"He has been a disaster for this county," Sen. Ottoline Marsh said of Commissioner Barnabas Reedy.',
                                    {("Ottoline Marsh", C, "Barnabas Reedy", None)}),
    "labelling attack": ('Sen. Leontyne Fairweather called Gov. Roderick Blaisdell "a liar" during the debate.',
                         {("Leontyne Fairweather", C, "Roderick Blaisdell", None)}),
    "endorsee named only in the quote": (
        '"Rosalind Teagarden will fight for every family," Rep. Augustin Marlowe said as he announced his endorsement.',
        {("Augustin Marlowe", E, "Rosalind Teagarden", None)}),
    # pronouns
    "pronoun subject from previous sentence": (
        "Cassius Wrenfield met with Bertram Oyelowo on Tuesday. Later that day, he endorsed Oyelowo for treasurer.",
        {("Cassius Wrenfield", E, "Bertram Oyelowo", None)}),
    "pronoun gender from title": (
        "Mr. Desmond Halloran and Ms. Fenella Crispin attended the gala. She later gave $500 to Rep. Auberon Teague.",
        {("Fenella Crispin", D, "Auberon Teague", "$500")}),
}

NOTHING = {
    "refused to back": "Sen. Jasper Quillon refused to back Gov. Miriam Oakhurst in the primary.",
    "declined to criticize": "Rep. Florian Beckett declined to criticize Mayor Hester Lyall at the town hall.",
    "has yet to endorse": "The Carvers Union has yet to endorse Lionel Drayton in the mayoral race.",
    "withdrew endorsement": "Sen. Imogen Talbott withdrew her endorsement of Rupert Galeano after the indictment.",
    "negation in reported clause": "Gov. Casimir Woldemar said he would not endorse Rep. Nadia Fenwright.",
    "hedge may": "The Seafarers Council may endorse Rep. Ignatius Holtby later this month.",
    "expected to": "Mayor Lucius Brandauer is expected to back Councilwoman Orla Benningfield next week.",
    "plans to": "The Meridian Bankers Forum plans to donate $50,000 to Sen. Stellan Ruizhe.",
    "conditional": "Rep. Jolene Marquart said she would support Lucius Fenmore if he wins the nomination.",
    "question": "Will the Prairie Farmers Bureau endorse Rep. Lysander Kohlberg?",
    "denied giving": "The Halvard Energy Group denied giving money to Sen. Cordelia Wynant.",
    "returned the donation": "Rep. Wilhelmina Strandberg returned the $5,000 donation from the Ostrow Lenders Association.",
    "lost an endorsement": "Mayor Henrietta Vailstone lost the endorsement of the Southside Firefighters Union.",
    "backed away from an endorsement": "The Hollow Creek Builders Association backed away from its endorsement of Ruben Satoh.",
    "negated quote": '"I have never said that Rep. Ansel Durante is corrupt," Sen. Marisa Quellon told the committee.',
    "praise quote": '"Ambrose Pelletier has been a wonderful partner," Mayor Zelda Huxtable said.',
    "DDoS attack": "A DDoS attack on the Vellmar County Elections Office took its website offline.",
    "sports slammed": "Serena Kowalska slammed a forehand past Greta Lindholm to win the set.",
    "sports blasted with a score": "The Tidewater Tigers blasted the Bayport Lions 42-7 on Saturday night.",
    "blasted off": "Councilwoman Maribel Ocampo blasted off a letter to the state auditor.",
    "backed a bill": "Rep. Harriet Vossberg backed the farm subsidy bill and the water compact.",
    "criticized a non-entity": "Councilwoman Renate Szalai blasted the proposed transit levy, Mayor Dorian Shawcross said.",
    "praise is not endorsement": "Mayor Leopold Hanrahan praised Councilman Ezra Blountford for his work on zoning.",
    "give without money": "Sen. Quincy Adebayo-Marsh gave a speech to the Fernhill Chamber of Commerce.",
}


@pytest.mark.parametrize("text,expected", CASES.values(), ids=CASES.keys())
def test_extracts_exactly(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text", NOTHING.values(), ids=NOTHING.keys())
def test_extracts_nothing(extract, text):
    assert extract(text) == set()


def test_money_keeps_its_currency_and_scale(nlp):
    money = find_money(nlp("The fund raised $1.2 million and 300 euros."))
    assert [(m.text, m.value, m.currency) for m in money] == [("$1.2 million", 1.2e6, "USD"), ("300 euros", 300.0, "EUR")]


def test_every_rule_kind_has_a_confidence(lexicon):
    confidence = lexicon.relations["rule_confidence"]
    assert all(0 < confidence[kind] <= 1 for kind in RULE_KINDS)


def test_rules_emitted_on_labelled_set_are_known_and_mostly_right(nlp, extractor):
    items = [json.loads(line) for line in LABELLED.read_text().splitlines()]
    counts = rule_precision(items, lambda item: extractor(Article(item["id"], item["text"]), nlp(item["text"])))
    assert set(counts) <= set(RULE_KINDS)
    correct, fired = (sum(c for c, _ in counts.values()), sum(n for _, n in counts.values()))
    assert correct / fired >= 0.9


def test_labelled_set_scores(nlp, extractor):
    items = [json.loads(line) for line in LABELLED.read_text().splitlines()]
    pairs = []
    for item in items:
        graph = extractor(Article(item["id"], item["text"]), nlp(item["text"]))
        names = {e.id: e.name for e in graph.entities}
        pairs.append((item, [Triple(names[r.subject], r.predicate, names[r.object], r.amount) for r in graph.relations]))
    report = score(pairs)
    assert report.overall.precision >= 0.9 and report.overall.recall >= 0.85
    assert report.amount_accuracy >= 0.9


def test_relation_carries_rule_confidence_and_sentence(nlp, extractor, lexicon):
    text = "Nobody expected it. Sen. Odalys Brandvik endorsed Rep. Teodor Kasprzak on Monday."
    (relation,) = extractor(Article("a", text), nlp(text)).relations
    assert relation.rule == "verb:endorse"
    assert relation.confidence == lexicon.relations["rule_confidence"]["verb"]
    assert relation.sentence == "Sen. Odalys Brandvik endorsed Rep. Teodor Kasprzak on Monday."
    assert text[relation.start:relation.end].strip() == relation.sentence


def test_pronoun_lowers_confidence(nlp, extractor, lexicon):
    text = "Gwendolyn Osterhout spoke first. She endorsed Rep. Teodor Kasprzak."
    (relation,) = extractor(Article("a", text), nlp(text)).relations
    rules = lexicon.relations["rule_confidence"]
    assert relation.confidence == pytest.approx(rules["verb"] - rules["pronoun-penalty"])


def test_long_article_is_deterministic_and_measured(nlp, extractor, capsys):
    paragraphs = [
        f"Sen. Odalys Brandvik{n} endorsed Rep. Teodor Kasprzak{n} on Monday. The Dunmore Guild{n} gave "
        f"${n},000 to his campaign, and Mayor Ingmar Boyle{n} lashed out at the Harbor Port Authority{n}. "
        f'"It was a disaster," she said.'
        for n in range(1, 51)
    ]
    text = "\n\n".join(paragraphs)
    doc = nlp(text)
    started = time.perf_counter()
    first = extractor(Article("long", text), doc)
    elapsed = time.perf_counter() - started
    second = extractor(Article("long", text), doc)
    with capsys.disabled():
        print(f"\nextracting a {len(text)}-character, 50-paragraph article took {elapsed:.3f}s")
    assert first.relations == second.relations
    assert len({r.predicate for r in first.relations}) == 3
