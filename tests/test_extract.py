"""Relation extraction, one phenomenon per case, on original sentences with fictional names."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from kg.evaluate import rule_precision, score, Triple
from kg.extraction import RULE_KINDS, ArticleExtractor, find_money, reading_text
from kg.pipeline import evaluate_gold
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
    "pointed the finger at": ("Sen. Horatio Linnell pointed the finger at Gov. Marguerite Sallowby over the delays.",
                              {("Horatio Linnell", C, "Marguerite Sallowby", None)}),
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
    # light verb + noun + preposition, and phrasal verbs
    "took a swipe at, after a fronted adverbial": (
        "Addressing the chamber on Friday, Sen. Quillan Ashdown took a swipe at Gov. Rosalind Petheridge over the budget.",
        {("Quillan Ashdown", C, "Rosalind Petheridge", None)}),
    "turned his fire on": ("Sen. Thaddeus Wimborne has turned his fire on Gov. Ophelia Strand.",
                           {("Thaddeus Wimborne", C, "Ophelia Strand", None)}),
    "rounded on": ("Rep. Casimir Olendorf rounded on Speaker Winifred Taverner during Thursday's debate.",
                   {("Casimir Olendorf", C, "Winifred Taverner", None)}),
    "lined up behind her bid": (
        "Councilwoman Brunhilde Axford launched her campaign in May. By July, the Tidewater Carpenters Guild had "
        "lined up behind her bid.",
        {("Tidewater Carpenters Guild", E, "Brunhilde Axford", None)}),
    "handed money to": ("Tech investor Corwin Halloway handed $2m to the Brighter Valley Committee in October.",
                        {("Corwin Halloway", D, "Brighter Valley Committee", "$2m")}),
    # converse phrases: the subject receives
    "came under fire from": (
        "School Superintendent Maelis Corrigan came under fire from Councilman Bertrand Osei on Tuesday over test scores.",
        {("Bertrand Osei", C, "Maelis Corrigan", None)}),
    "drew fire from": ("Gov. Leocadia Frame drew fire from Sen. Ruprecht Hale over the pension deal.",
                       {("Ruprecht Hale", C, "Leocadia Frame", None)}),
    "won the support of": ("Councilwoman Renske Abara won the support of the Northside Teachers Union.",
                           {("Northside Teachers Union", E, "Renske Abara", None)}),
    # double objects with a nominal trigger or money
    "gave Y his endorsement": ("Gov. Ansgar Pellham gave Councilman Tobiah Varnell his endorsement on Monday.",
                               {("Ansgar Pellham", E, "Tobiah Varnell", None)}),
    "apiece to coordinated first objects": (
        "Retired banker Ottoline Fairweather sent Rep. Jessamy Crowe and state Sen. Emrys Hollin $2,500 apiece in June.",
        {("Ottoline Fairweather", D, "Jessamy Crowe", "$2,500"), ("Ottoline Fairweather", D, "Emrys Hollin", "$2,500")}),
    "each after coordinated subjects": (
        "The Millbrook Grocers Association and the Eastfield Dairy Council endorsed Sen. Ottavio Rains, and each gave "
        "his campaign $4,000.",
        {("Millbrook Grocers Association", E, "Ottavio Rains", None), ("Eastfield Dairy Council", E, "Ottavio Rains", None),
         ("Millbrook Grocers Association", D, "Ottavio Rains", "$4,000"),
         ("Eastfield Dairy Council", D, "Ottavio Rains", "$4,000")}),
    "including part of a sum": (
        "The Harrowgate Growers PAC gave $60,000 to members of the state Senate, including $8,000 to Sen. Aldith Penrose.",
        {("Harrowgate Growers PAC", D, "Aldith Penrose", "$8,000")}),
    "funneling into the coffers of": (
        "Dentist Philippa Norcott entered politics last spring, funneling $80,000 into the coffers of the Citizens for "
        "Cleaner Rivers Committee.",
        {("Philippa Norcott", D, "Citizens for Cleaner Rivers Committee", "$80,000")}),
    # participles and passives
    "participle on an apposition": (
        "Neighbors for a Safer Harbor, a ballot committee funded by the Tolliver Builders Association, submitted "
        "signatures on Monday.",
        {("Tolliver Builders Association", D, "Neighbors for a Safer Harbor", None)}),
    "participle misread as past tense, adverbs before by": (
        "The Greenbelt Futures Project, bankrolled almost entirely by shipping magnate Lysander Cobb, has spent heavily "
        "on radio ads.",
        {("Lysander Cobb", D, "Greenbelt Futures Project", None)}),
    "passive with the money as subject": (
        "A total of $45,000 was contributed to the Ashgrove County Republican Party by Ingrid Salvesen last year.",
        {("Ingrid Salvesen", D, "Ashgrove County Republican Party", "$45,000")}),
    # names set off after an adverbial, appositions, coordinated subjects
    "plural noun, adverbial, then the names": (
        "The Lakeshore Nurses Guild put its support behind two first-time candidates on Tuesday, Oswin Marlowe and "
        "Perpetua Galloway, who are seeking seats on the school board.",
        {("Lakeshore Nurses Guild", E, "Oswin Marlowe", None), ("Lakeshore Nurses Guild", E, "Perpetua Galloway", None)}),
    "participle on a plural noun, names after": (
        "Both candidates backed by Mayor Idonea Farrant in last week's runoff, Severin Holt and Camilla Oyelaran, "
        "won comfortably.",
        {("Idonea Farrant", E, "Severin Holt", None), ("Idonea Farrant", E, "Camilla Oyelaran", None)}),
    "plural noun, then including names": (
        "The Ironbridge Builders PAC backed three council candidates this spring, including Merritt Fanshawe and Olwen Tregarth.",
        {("Ironbridge Builders PAC", E, "Merritt Fanshawe", None), ("Ironbridge Builders PAC", E, "Olwen Tregarth", None)}),
    "role noun with of-phrase, then the name": (
        "Premier Odilia Marchetti accused the leader of the opposition, Fergus Yardley, of stalling the housing bill.",
        {("Odilia Marchetti", C, "Fergus Yardley", None)}),
    "apposition after an adverbial, singular": (
        "Rep. Garrick Tennant secured a $25,000 contribution from the union's political arm, the Bricklayers Action Fund.",
        {("Bricklayers Action Fund", D, "Garrick Tennant", "$25,000")}),
    "coordinated subjects each with a place": (
        "Mayors Ingeborg Tallis of Westbrook and Caspian Mbeki of Larkfield jointly condemned Gov. Perrin Ashcombe on Tuesday.",
        {("Ingeborg Tallis", C, "Perrin Ashcombe", None), ("Caspian Mbeki", C, "Perrin Ashcombe", None)}),
    # quotes and labels
    "said of a role noun, target named in the quote": (
        '"Rowan Ellery has misled voters for years," Councilman Dorian Kettle said of the county clerk on Monday.',
        {("Dorian Kettle", C, "Rowan Ellery", None)}),
    "dismissed Y as": (
        'Union president Fenwick Alderton on Friday dismissed Mayor Sigrid Holloway as "a caretaker with a ribbon-cutting habit."',
        {("Fenwick Alderton", C, "Sigrid Holloway", None)}),
    "a quote that finds fault inside its subject": (
        '"The arrogance of the Harbor Party leadership is breathtaking," Sen. Ottoline Marsh said on Monday.',
        {("Ottoline Marsh", C, "Harbor Party", None)}),
    "a quote that finds fault with what is the target's": (
        "Sen. Ottoline Marsh said the budget would mean a return to a \"failed Harbor Party past\".",
        {("Ottoline Marsh", C, "Harbor Party", None)}),
    "dismissed Y's claims as, the label hung on the claims": (
        "Union president Fenwick Alderton dismissed Mayor Sigrid Holloway's claims as nonsense.",
        {("Fenwick Alderton", C, "Sigrid Holloway", None)}),
    "quote that declares a vote": (
        '"I\'ll be voting for Imelda Roskovic, and so should you," Councilman Barnaby Thorne said on Monday.',
        {("Barnaby Thorne", E, "Imelda Roskovic", None)}),
    # datelines
    "dateline without a comma is no entity": (
        "HALLORAN BAY — Mining heir Cuthbert Vayne donated $1.5 million to the Rural Progress Party last year.",
        {("Cuthbert Vayne", D, "Rural Progress Party", "$1.5 million")}),
    # pronouns
    "pronoun subject from previous sentence": (
        "Cassius Wrenfield met with Bertram Oyelowo on Tuesday. Later that day, he endorsed Oyelowo for treasurer.",
        {("Cassius Wrenfield", E, "Bertram Oyelowo", None)}),
    "pronoun gender from title": (
        "Mr. Desmond Halloran and Ms. Fenella Crispin attended the gala. She later gave $500 to Rep. Auberon Teague.",
        {("Fenella Crispin", D, "Auberon Teague", "$500")}),
    # datelines and names
    "wire dateline with agency": (
        "KESTREL FALLS (AP) — Attorney General Wendeline Asquith on Monday endorsed Supervisor Ottokar Brill.",
        {("Wendeline Asquith", E, "Ottokar Brill", None)}),
    "dateline with accented capitals": (
        "SØNDERVIK — Former Minister Ragnhild Østby laid into her successor, Minister Eilif Brå, on Friday.",
        {("Ragnhild Østby", C, "Eilif Brå", None)}),
    "numbered lodge keeps its number": (
        "Mayor Casimir Ollenby was criticized by the Brotherhood of Tram Operators Lodge 14 on Monday.",
        {("Brotherhood of Tram Operators Lodge 14", C, "Casimir Ollenby", None)}),
    # more vocabulary
    "chided": ("Speaker Augustin Pellerin chided Rep. Solveig Marrow for missing the vote.",
               {("Augustin Pellerin", C, "Solveig Marrow", None)}),
    "got behind": ("The Harrowgate Nurses Guild got behind Councilwoman Petra Linwood on Monday.",
                   {("Harrowgate Nurses Guild", E, "Petra Linwood", None)}),
    "maxed out to a campaign": ("Investor Corwin Abernath maxed out to Sen. Iolanthe Brisk's campaign in March.",
                                {("Corwin Abernath", D, "Iolanthe Brisk", None)}),
    # quotes across sentences
    "quote of two sentences, cue and target in the first": (
        '"Gov. Osric Pellworth has failed this county. He broke every promise," Sen. Mirela Vantongeren said on Friday.',
        {("Mirela Vantongeren", C, "Osric Pellworth", None)}),
    "quote of two sentences, target in the first, cue in the second": (
        '"Ottilie Brask knows these streets. That is why I am endorsing her," said Councilman Anders Holloway.',
        {("Anders Holloway", E, "Ottilie Brask", None)}),
    "quotation alone after a sentence about its speaker": (
        'Councilwoman Esme Thornbury was asked about the audit on Tuesday. "Harlan Quist is a disgrace to this council."',
        {("Esme Thornbury", C, "Harlan Quist", None)}),
    "quotation continued after the speech verb's sentence": (
        '"The budget is late," Sen. Mirela Vantongeren said. "I am proud to endorse Ottilie Brask for mayor."',
        {("Mirela Vantongeren", E, "Ottilie Brask", None)}),
    "speaker named by a definite description": (
        'Oriel Dunmore, the harbor commissioner, took questions on Monday. "Gov. Tobias Fenn has been reckless with '
        'this port," the commissioner said.',
        {("Oriel Dunmore", C, "Tobias Fenn", None)}),
    # definite descriptions of people
    "definite description as subject": (
        "Sheriff Annika Voss has sparred with the county for months. On Friday the sheriff denounced Rep. Bram Ellery.",
        {("Annika Voss", C, "Bram Ellery", None)}),
    "definite description as object": (
        "Lorcan Tibbet, the county treasurer, drew a challenger this week. The Westmoor Civic League criticized the "
        "treasurer on Friday.",
        {("Westmoor Civic League", C, "Lorcan Tibbet", None)}),
    "the PAC refers to the PAC named before": (
        "The Harborview Dockers PAC has switched sides. The PAC is now supporting Teodora Vasquez.",
        {("Harborview Dockers PAC", E, "Teodora Vasquez", None)}),
    # committees and ballot measures
    "ballot measure campaign as recipient": ("The Harbor Nurses Union gave $30,000 to No on Measure T.",
                                             {("Harbor Nurses Union", D, "No on Measure T", "$30,000")}),
    "ballot measure campaign as subject the parse lost": (
        "Yes on 4 was endorsed by Gov. Ruth Kemmerer on Monday.", {("Ruth Kemmerer", E, "Yes on 4", None)}),
    "the Yes on N campaign, relative clause": (
        "The Tidewater Cooks Union gave $9,000 to the Yes on 22 campaign, which is backed by Mayor Ivo Renner.",
        {("Tidewater Cooks Union", D, "Yes on 22", "$9,000"), ("Ivo Renner", E, "Yes on 22", None)}),
    "candidate committee named for the office": (
        "Pharmacist Oona Gilchrist gave $750 to the Vantongeren for Mayor committee.",
        {("Oona Gilchrist", D, "Vantongeren for Mayor", "$750")}),
    "committee to elect": ("The Committee to Elect Maria Okafor received $3,000 from the Bayfront Teachers Union.",
                           {("Bayfront Teachers Union", D, "Committee to Elect Maria Okafor", "$3,000")}),
    "committee named after a person acts apart from the person": (
        "Sen. Dana Ruiz endorsed Mayor Carl Pike. Friends of Dana Ruiz also gave $1,000 to his campaign.",
        {("Dana Ruiz", E, "Carl Pike", None), ("Friends of Dana Ruiz", D, "Carl Pike", "$1,000")}),
    "reported a donation from": ("Friends of Ines Calder reported a $2,000 donation from the Eastgate Realtors Council.",
                                 {("Eastgate Realtors Council", D, "Friends of Ines Calder", "$2,000")}),
    # idioms and light verbs
    "went to bat for": ("Sen. Corliss Ambrey went to bat for Councilwoman Petra Linwood on Saturday.",
                        {("Corliss Ambrey", E, "Petra Linwood", None)}),
    "lent her name to a campaign": ("Former Gov. Ysolde Marchetti lent her name to Tobiah Crane's campaign on Monday.",
                                    {("Ysolde Marchetti", E, "Tobiah Crane", None)}),
    "gave its blessing to a bid": ("The Northbank Anglers League gave its blessing to Councilman Eli Navarre's bid.",
                                   {("Northbank Anglers League", E, "Eli Navarre", None)}),
    "ripped into": ("Rep. Casimir Olendorf ripped into the Larkspur Water Cooperative over rate hikes.",
                    {("Casimir Olendorf", C, "Larkspur Water Cooperative", None)}),
    "came out for": ("The Harbor City Deputies Union came out for Lola Marchand in the sheriff's race.",
                     {("Harbor City Deputies Union", E, "Lola Marchand", None)}),
    "is all in for": ("The Millbrook Carpenters Council is all in for Moses Adeyemi this year.",
                      {("Millbrook Carpenters Council", E, "Moses Adeyemi", None)}),
    "is squarely behind": ("The Harbor Pilots Union is squarely behind Mayor Ina Bloom.",
                           {("Harbor Pilots Union", E, "Ina Bloom", None)}),
    "was critical of": ("Rep. Casimir Olendorf has been highly critical of the Larkspur Water Cooperative.",
                        {("Casimir Olendorf", C, "Larkspur Water Cooperative", None)}),
    "was scathing about a thing of someone's": ("Ama Pryce was scathing about Lou Baird's budget.",
                                                {("Ama Pryce", C, "Lou Baird", None)}),
    "was not critical of": ("Ama Pryce was not critical of Lou Baird.", set()),
    "transferred money to": ("The Okonkwo for Mayor committee transferred $1,000 to Friends of Lena Parkes.",
                             {("Okonkwo for Mayor", D, "Friends of Lena Parkes", "$1,000")}),
    "bankrolled much of a campaign": ("Developer Nikolai Sorensen has bankrolled much of Councilman Theo Grant's campaign.",
                                      {("Nikolai Sorensen", D, "Theo Grant", None)}),
    "passive whose agent is a donation": (
        "Jasmine Okoro's campaign was bolstered by a $10,000 contribution from the Pipefitters Local 44.",
        {("Pipefitters Local 44", D, "Jasmine Okoro", "$10,000")}),
    # polarity and amounts
    "a clause of its own after an expected act": (
        "Sen. Noah Finch had been expected to endorse Mayor Carla Bianchi, but on Friday he endorsed Pedro Alves.",
        {("Noah Finch", E, "Pedro Alves", None)}),
    "amount in a for-phrase on the light verb": (
        "Software heir Osric Vale cut a check for $40,000 to the Eastport Renewal PAC.",
        {("Osric Vale", D, "Eastport Renewal PAC", "$40,000")}),
    "names set off by commas without 'and' are no list": (
        "The Millstone Teachers Union has thrown its support behind Councilman Ari Feld, the union's president, "
        "Hedda Lorne, said Tuesday.",
        {("Millstone Teachers Union", E, "Ari Feld", None)}),
    "each amount before its own recipient": (
        "Attorney Magdalena Cruz donated $2,900 to Sen. Patrick Lyons and $1,500 to Rep. Elise Durand.",
        {("Magdalena Cruz", D, "Patrick Lyons", "$2,900"), ("Magdalena Cruz", D, "Elise Durand", "$1,500")}),
    # organisations named before a common noun, parties, parts of parties
    "organisation named before its noun": (
        "Rep. Dorian Vale criticized the Eastbrook Ledger editorial board on Monday.",
        {("Dorian Vale", C, "Eastbrook Ledger", None)}),
    "party as recipient": ("Developer Amos Kettle gave $10,000 to the Democrats last year.",
                           {("Amos Kettle", D, "Democrats", "$10,000")}),
    "a party's chapter": ("Investor Calla Brightwater donated $80,000 to the Green Party's Ohio chapter in May.",
                          {("Calla Brightwater", D, "Green Party", "$80,000")}),
    # subjects the parse hides
    "which after a person's apposition": (
        '"He delivers," said Ruth Obi, president of the Valley Teachers Federation, which endorsed Marcus Hale on Tuesday.',
        {("Valley Teachers Federation", E, "Marcus Hale", None)}),
    "plural subject including named members": (
        "Several prominent Republicans, including Sen. Oona Feldt, are backing Mayor Tobias Quayle.",
        {("Oona Feldt", E, "Tobias Quayle", None)}),
    "passive light verb, agent on the recipient, relative after it": (
        "A $9,000 contribution was made to Rep. Lorna Blythe's campaign by the Fenwick Dairy Council, whose president, "
        "Hugo Marsh, is her cousin.",
        {("Fenwick Dairy Council", D, "Lorna Blythe", "$9,000")}),
    # parser errors read off the surface
    "double object the parse lost": ("Brindle Farms gave Councilwoman Mara Waters $750 in June, records show.",
                                     {("Brindle Farms", D, "Mara Waters", "$750")}),
    "aside between dashes": ("Contractor Ivo Petrakis gave $2,000 — the legal limit — to Assemblywoman Delia Crane.",
                             {("Ivo Petrakis", D, "Delia Crane", "$2,000")}),
    "capitalised possessive inside a name": (
        "Hedge fund manager Olive Strand bankrolled Rebuild Our Town, a super PAC supporting Gov. Hal Price, with a "
        "$2 million contribution.",
        {("Olive Strand", D, "Rebuild Our Town", "$2 million"), ("Rebuild Our Town", E, "Hal Price", None)}),
    "endorsement noun gives the endorsee something": (
        "The endorsement, from retired Judge Petra Lund, gives Omar Seddik a lift in a tight race.",
        {("Petra Lund", E, "Omar Seddik", None)}),
    "an appeal to back someone backs them": ("Mayor Rhea Dunmore urged voters to back Councilman Enzo Falk.",
                                              {("Rhea Dunmore", E, "Enzo Falk", None)}),
    "voted for a person": ("Sen. Lyle Brandt voted for Rep. Cora Vint in the leadership ballot.",
                           {("Lyle Brandt", E, "Cora Vint", None)}),
    "quote cue that holds its own negator": (
        '"Frankly, Gov. Mortimer Pell has no idea how farms work," said Sen. Agatha Rook.',
        {("Agatha Rook", C, "Mortimer Pell", None)}),
    # Indian currency and scales
    "rupees with a lakh scale": ("Trader Mohanlal Ayyar contributed Rs 8 lakh to the Jan Seva Morcha before the vote.",
                                 {("Mohanlal Ayyar", D, "Jan Seva Morcha", "Rs 8 lakh")}),
    "rupee sign with a crore scale": ("The Vidya Bharati Foundation received ₹1.5 crore from Kaveri Cements last year.",
                                      {("Kaveri Cements", D, "Vidya Bharati Foundation", "₹1.5 crore")}),
    # more gift shapes
    "each amount names its own giver": (
        "Councilman Oren Takacs's campaign received $8,000 from the Brookline Grocers Association and $3,500 from "
        "Halberd Logistics.",
        {("Brookline Grocers Association", D, "Oren Takacs", "$8,000"), ("Halberd Logistics", D, "Oren Takacs", "$3,500")}),
    "gift in a relative clause to a slate": (
        "Shipping heir Lorcan Bexley, who gave $15,000 to the Riverside Renewal slate in May, now chairs a school board.",
        {("Lorcan Bexley", D, "Riverside Renewal", "$15,000")}),
    # endorsement phrasings
    "voted to back a party, plural possessive in the name": (
        "The Ferry Workers' Alliance voted on Sunday to back the Green Coast Party at the next general election.",
        {("Ferry Workers' Alliance", E, "Green Coast Party", None)}),
    "came out in support of": ("Councillor Imre Vasko has come out in support of mayoral candidate Petra Lindqvist.",
                               {("Imre Vasko", E, "Petra Lindqvist", None)}),
    # criticism idioms and the one they aim at
    "portfolio title before the name": (
        'Opposition MP Delphine Harrow accused the Health Secretary, Rupert Calloway, of "gutting rural clinics" on Monday.',
        {("Delphine Harrow", C, "Rupert Calloway", None)}),
    "swipe after an opening participle": (
        "Addressing students in Porthallow, Liberal co-leader Ottoline Brask took a swipe at Trade Minister Casimir Vell, "
        'saying his tariffs "hurt every farm."',
        {("Ottoline Brask", C, "Casimir Vell", None)}),
    "label on an appositive opponent": (
        'At a debate on Tuesday, Assembly candidate Rufus Penhallow called his rival, Commissioner Edda Sorensen, '
        '"a fraud who hides the numbers."',
        {("Rufus Penhallow", C, "Edda Sorensen", None)}),
    "took aim at a named owner's record": (
        "Sen. Hollis Marchetti spoke in Dunmore on Friday, taking aim at attorney Wren Dalby's record.",
        {("Hollis Marchetti", C, "Wren Dalby", None)}),
    "blasted a named owner's plan": ('Alderman Cyrus Petrov blasted Mayor Greta Olafsen\'s parking plan as "a cash grab."',
                                     {("Cyrus Petrov", C, "Greta Olafsen", None)}),
    "described subject, pronoun object": (
        "Gov. Evadne Quarrie has been feuding with Attorney General Osric Vantongeren for months. On Tuesday the "
        "governor accused him of hiding audit results.",
        {("Evadne Quarrie", C, "Osric Vantongeren", None)}),
    "participle of the reporter, not of the reported": (
        "Writing in the Courier, economist Maren Ostby argues that Sen. Bertram Kale has given up on budget discipline, "
        'accusing him of "spending like there is no tomorrow."',
        {("Maren Ostby", C, "Bertram Kale", None)}),
    "quote target named by a reference in the next sentence": (
        '"What the mayor did," Councilwoman Liesl Varga said, "was disgraceful." Varga was referring to Mayor Tobin '
        "Ashcroft's veto of the housing bill.",
        {("Liesl Varga", C, "Tobin Ashcroft", None)}),
    "a second coordinated verb is not governed by the first": (
        "The Tarnwick Nurses Guild withdrew its backing from Councilwoman Odile Brack on Monday and denounced her "
        "as a rubber stamp.",
        {("Tarnwick Nurses Guild", C, "Odile Brack", None)}),
    "subject before an appositive that the parse drops": (
        "Safe Streets Alliance, a neighborhood group, slammed Sen. Corbin Vale on Monday for voting against the budget.",
        {("Safe Streets Alliance", C, "Corbin Vale", None)}),
    "name after a descriptor it heads": (
        "The Pemberton Dockers Federation has thrown its weight behind Eastvale Metro mayoral candidate Thandeka Mbali.",
        {("Pemberton Dockers Federation", E, "Thandeka Mbali", None)}),
    "late apposition past a hyphenated word": (
        "Senator Ruth Ellory has thrown her support behind the Greens candidate in the Marrow by-election, Ivo Pask, "
        "citing his record.",
        {("Ruth Ellory", E, "Ivo Pask", None)}),
    "participle the parse tags as a noun": (
        "Singer Marisol Tevez spent the week campaigning for Council candidate Arlo Penhaligon in Dunmore.",
        {("Marisol Tevez", E, "Arlo Penhaligon", None)}),
    "an organisation's board acts for it": (
        "The Westbrook Gazette's editorial board endorsed Yusuf Haddad for county executive on Saturday.",
        {("Westbrook Gazette", E, "Yusuf Haddad", None)}),
    "copped a spray: the subject is the target": (
        "Premier Imelda Royce copped a spray from independent MP Callum Drury over the hospital waiting lists.",
        {("Callum Drury", C, "Imelda Royce", None)}),
    "a gift worth an amount to Y": (
        "The Lakeshore Grocers Association provided an in-kind donation of office space worth $2,400 to Rep. Mabel "
        "Quist's campaign.",
        {("Lakeshore Grocers Association", D, "Mabel Quist", "$2,400")}),
    "they after a speaker list set off by dashes": (
        "Two former sheriffs of Calder County — Otis Brandt and Wendell Marsh — said Friday they support the candidacy "
        "of Judge Imani Roberts for sheriff.",
        {("Otis Brandt", E, "Imani Roberts", None), ("Wendell Marsh", E, "Imani Roberts", None)}),
    "quoted appeal to vote for Y": (
        '"Vote for Lionel Abara in November," former Gov. Margit Sorensen urged at a rally in Pell City.',
        {("Margit Sorensen", E, "Lionel Abara", None)}),
    "labelled in apposition with a career label": (
        'Senate candidate Hollis Crane called his opponent, Treasurer Vera Lindgren, "a career politician who never '
        'shows up."',
        {("Hollis Crane", C, "Vera Lindgren", None)}),
    "quote completing a reported clause attacks its subject": (
        'Rep. Odessa Marchetti spoke in Harlow on Friday. She told supporters that Councilman Felix Dorn had '
        '"sold out the neighborhood."',
        {("Odessa Marchetti", C, "Felix Dorn", None)}),
    "South African rand": (
        "The Unity Front received R2.5 million from Mbeki Haulage last year, the disclosure shows.",
        {("Mbeki Haulage", D, "Unity Front", "R2.5 million")}),
}

NOTHING = {
    "refused to back": "Sen. Jasper Quillon refused to back Gov. Miriam Oakhurst in the primary.",
    "declined to criticize": "Rep. Florian Beckett declined to criticize Mayor Hester Lyall at the town hall.",
    "has yet to endorse": "The Carvers Union has yet to endorse Lionel Drayton in the mayoral race.",
    "withdrew endorsement": "Sen. Imogen Talbott withdrew her endorsement of Rupert Galeano after the indictment.",
    "negation in reported clause": "Gov. Casimir Woldemar said he would not endorse Rep. Nadia Fenwright.",
    "a quote that names its target's victim only on the way": (
        '"This reckless levy will tear a hole in the Harbor Party\'s accounts," Sen. Ottoline Marsh said.'),
    "a quote whose fault is for someone, not with them": (
        '"Voters will find this levy disastrous for the Harbor Party," Sen. Ottoline Marsh said.'),
    "a fault word the reported clause negates": "Gov. Casimir Woldemar said the Fenwright plans were not racist.",
    "a fault word that modifies another noun": "Gov. Casimir Woldemar said Nadia Fenwright was seeking disaster funding.",
    "a fault word in a relative clause about someone else": (
        "Gov. Casimir Woldemar said the Fenwright campaign gave emails to Rufus Hale, an adviser who admitted lying."),
    "hedge may": "The Seafarers Council may endorse Rep. Ignatius Holtby later this month.",
    "expected to": "Mayor Lucius Brandauer is expected to back Councilwoman Orla Benningfield next week.",
    "an appeal to give is no gift": "Mayor Rhea Dunmore urged donors to give $500 to Councilman Enzo Falk.",
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
    "leaning toward backing": "Gov. Petronella Vask is leaning toward backing Rep. Hamish Doyle in the primary.",
    "came under fire from unnamed critics": "Superintendent Maelis Corrigan came under fire from critics on Tuesday over test scores.",
    "sports blasted a shot": "Winger Tobias Renner blasted a shot past Ivo Kessler in the 80th minute.",
    "sports took a shot at a title": "The Kestrel Rovers took a shot at the title on Saturday.",
    "turned on the lights": "Mayor Hester Quayle turned on the lights at the Kellmoor Arena.",
    "double object without a trigger is praise": "Gov. Ambrose Tillery gave Councilwoman Nadia Brennan high marks for her work on the budget.",
    "names after a comma that start a new clause": (
        "Mayor Linnea Drogheda criticized the transit plan on Monday, Councilman Abel Fairchild said."),
    "dismissed a non-entity": "Councilwoman Dagny Holm dismissed the lawsuit as frivolous.",
    "negated vote in a quote": '"I will never vote for Imelda Roskovic," Councilman Barnaby Thorne said.',
    "gunfire is no criticism": "Police opened fire on protesters near the Kellmoor Arena.",
    "participle on a non-entity": "The measure, backed by Gov. Felix Arden, passed on Monday.",
    "a bill is no entity": "The Lakeland Renters Union blasted the Fair Deposits Act on Tuesday.",
    "a lone PAC names nobody": "Her PAC gave $5,000 to the cause on Monday, Rep. Ysolde Carrick said.",
    "a trigger noun that modifies another noun": (
        "Claims that financier Ambrose Tate paid for the attack mailers against Rep. Ilse Brandt turned out to be false."),
    "definite description with no earlier holder": "The former governor endorsed Rep. Celia Montrose on Monday.",
    "quotation alone after a negated sentence": (
        'Sen. Priscilla Dunn did not return calls on Tuesday. "Marco Ruiz is a disgrace."'),
    "quotation alone that praises": (
        'Sen. Priscilla Dunn met voters in Harlow on Tuesday. "It was a wonderful day, and Marco Ruiz was a great host."'),
    "not all in for": "The Millbrook Carpenters Council is not all in for Moses Adeyemi.",
    "came out for a non-entity": "The Riverside Teachers Union came out for the rally on Saturday.",
    "went to bat for a non-entity": "Councilman Joe Platt went to bat for the new stadium.",
    "whispered rumour": ("Aides have whispered that Sen. Corwin Bale privately berated Rep. Elsie Marr, though no one "
                         "has confirmed it."),
    "took aim at an unnamed owner's record": "Sen. Hollis Marchetti took aim at her record on Friday.",
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


def test_money_reads_rupees_with_lakh_and_crore(nlp):
    money = find_money(nlp("The trust took Rs 4.5 lakh, ₹2 crore and INR 30,000 in gifts."))
    assert [(m.text, m.value, m.currency) for m in money] == [
        ("Rs 4.5 lakh", 4.5e5, "INR"), ("₹2 crore", 2e7, "INR"), ("INR 30,000", 3e4, "INR")]


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


#: F1 each gold set scored when it was last measured: heldout8 was never tuned on
#: (written apart from the rules), the others were.
GOLD_F1 = {"heldout.jsonl": 0.97, "heldout2.jsonl": 0.87, "heldout3.jsonl": 0.99, "heldout4.jsonl": 0.97,
           "heldout5.jsonl": 0.98, "heldout6.jsonl": 0.99, "heldout7.jsonl": 0.96, "heldout8.jsonl": 0.84}


@pytest.mark.parametrize("name", sorted(GOLD_F1))
def test_gold_set_keeps_its_f1(name, nlp, lexicon):
    report = evaluate_gold(LABELLED.parent / name, nlp=nlp, lexicon=lexicon)
    assert report.overall.f1 >= GOLD_F1[name]


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


def test_definite_description_lowers_confidence_like_a_pronoun(nlp, extractor, lexicon):
    text = "Sheriff Annika Voss spoke first. Later the sheriff endorsed Rep. Teodor Kasprzak."
    (relation,) = extractor(Article("a", text), nlp(text)).relations
    rules = lexicon.relations["rule_confidence"]
    assert relation.confidence == pytest.approx(rules["verb"] - rules["pronoun-penalty"])


def test_quotation_alone_is_credited_to_the_context_rule(nlp, extractor, lexicon):
    text = 'Councilwoman Esme Thornbury was asked about the audit. "Harlan Quist is a disgrace to this council."'
    (relation,) = extractor(Article("a", text), nlp(text)).relations
    assert relation.rule == "quote-context:ask"
    assert relation.confidence == lexicon.relations["rule_confidence"]["quote-context"]
    assert relation.sentence == '"Harlan Quist is a disgrace to this council."'


@pytest.mark.parametrize("text,expected", [
    ("The union leader Tessa Vole called on Mr Dunmore to resign.", {("Tessa Vole", C, "Dunmore", None)}),
    ("Ruth Okoro urged Mayor Felix Abara to quit.", {("Ruth Okoro", C, "Felix Abara", None)}),
    ("Ama Pryce said Lou Baird should step down.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce demanded Lou Baird's resignation.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce called for the resignation of Lou Baird.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce said Lou Baird should resign if the claims are true.", set()),
    ("Ama Pryce did not call on Lou Baird to resign.", set()),
    ("Ama Pryce asked whether Lou Baird would resign.", set()),
    ("Ama Pryce called on Lou Baird to step aside.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce joined calls for Lou Baird to step down.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce renewed her call for Lou Baird to resign.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce rejected calls for Lou Baird to resign.", set()),
    ("Ama Pryce believes Lou Baird should withdraw from the race.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Lou Baird faced growing calls from Ama Pryce to step down.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Lou Baird has faced calls to resign from Ama Pryce.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Lou Baird faced calls from Ama Pryce to explain the payments.", set()),
    ("Ama Pryce called on Lou Baird to drop out of the contest.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce said Lou Baird should bow out.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce pressed for Lou Baird to resign.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce said she had told Lou Baird that he should resign.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce called for Lou Baird's impeachment.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce called for Lou Baird to be impeached.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce urged Ray Tolland to fire Lou Baird.", set()),
    ("Ama Pryce demanded an apology from Lou Baird.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce's call for Lou Baird to resign was echoed by Ray Tolland.",
     {("Ama Pryce", C, "Lou Baird", None), ("Ray Tolland", C, "Lou Baird", None)}),
    ("Ray Tolland backed Ama Pryce's call for Lou Baird to step down.",
     {("Ama Pryce", C, "Lou Baird", None), ("Ray Tolland", C, "Lou Baird", None)}),
    ("Ama Pryce's call for Lou Baird to resign if the claims are true was echoed by Ray Tolland.", set()),
])
def test_a_call_to_resign_criticises_the_one_called_on(extract, text, expected):
    assert extract(text) == expected


def test_a_telegraphic_headline_is_read_with_the_names_of_the_article(nlp, lexicon):
    article = Article("a", "The Harbor Workers Union met on Friday. Rosa Garcia thanked members.",
                      title="Union backs Garcia for governor: sources")
    graph = ArticleExtractor(lexicon)(article, nlp(reading_text(article)))
    names = {e.id: e.name for e in graph.entities}
    assert [(names[r.subject], r.predicate, names[r.object], r.start, r.end) for r in graph.relations] == [
        ("Harbor Workers Union", E, "Rosa Garcia", 0, 0)]


@pytest.mark.parametrize("title,text,expected", [
    ("Pryce slams Tolland over tax plan", "Senator Ama Pryce spoke about Governor Ray Tolland on Monday.",
     [("Ama Pryce", C, "Ray Tolland")]),
    ("Tolland ally Pryce campaigns for Baird in Ohio", "Ama Pryce spoke about Lou Baird and Ray Tolland.",
     [("Ama Pryce", E, "Lou Baird")]),
    ("Pryce supports Harbor Party tax bill", "Ama Pryce spoke about the Harbor Party.", []),
])
def test_a_headline_is_read_on_its_surface(nlp, lexicon, title, text, expected):
    article = Article("a", text, title=title)
    graph = ArticleExtractor(lexicon)(article, nlp(reading_text(article)))
    names = {e.id: e.name for e in graph.entities}
    assert [(names[r.subject], r.predicate, names[r.object]) for r in graph.relations] == expected


def test_neither_subject_negates(extract):
    assert extract("Neither Ama Pryce nor Lou Baird endorsed Rosa Quint.") == set()


@pytest.mark.parametrize("text,expected", [
    ("Ed Marsh and Kit Lowe met voters on Monday. Nina Ferris attacked them on Tuesday.",
     {("Nina Ferris", C, "Ed Marsh", None), ("Nina Ferris", C, "Kit Lowe", None)}),
    ("The Harbor Tenants Union and the Dock Workers Guild marched. Nina Ferris condemned them.",
     {("Nina Ferris", C, "Harbor Tenants Union", None), ("Nina Ferris", C, "Dock Workers Guild", None)}),
    ("Residents who said they backed Nina Ferris were few.", set()),
])
def test_a_plural_pronoun_stands_for_the_entities_named_together(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text", [
    "Councillor Ada Nwosu criticised Peter Lund's ruling, as did Rita Moss.",
    "Councillor Ada Nwosu has criticised Peter Lund's ruling, and so has Rita Moss.",
    "Councillor Ada Nwosu criticised Peter Lund's ruling, and Rita Moss did too.",
])
def test_an_elided_act_is_done_by_the_one_named_after_as_did(extract, text):
    assert extract(text) == {("Ada Nwosu", C, "Peter Lund", None), ("Rita Moss", C, "Peter Lund", None)}


def test_a_clause_of_its_own_after_and_did_is_no_elided_act(extract):
    assert extract("Councillor Ada Nwosu criticised Peter Lund's ruling and did so loudly.") == {
        ("Ada Nwosu", C, "Peter Lund", None)}


@pytest.mark.parametrize("text,expected", [
    ("Senator Ama Pryce slammed the Ohlsson tax plan on Monday.", {("Ama Pryce", C, "Ohlsson", None)}),
    ("Councillor Vera Lund branded the Harbor Party plans as 'fantasy economics'.", {("Vera Lund", C, "Harbor Party", None)}),
])
def test_the_owner_named_before_an_attacked_plan_is_attacked(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ('Councillor Vera Lund criticised the "reckless" promises of the Harbor Party.', {("Vera Lund", C, "Harbor Party", None)}),
])
def test_the_owner_named_after_an_attacked_plan_is_attacked(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Democrats criticized the Republican tax bill on Monday.", {("Democrats", C, "Republicans", None)}),
    ("A Republican criticized Lou Baird on Monday.", set()),
])
def test_a_party_adjective_before_an_attacked_bill_names_its_owner(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The Harbor Party unveiled a plan to cut rail fares. Ama Pryce condemned the plan.", {("Ama Pryce", C, "Harbor Party", None)}),
    ("Lou Baird introduced a bill on wages. Ama Pryce said the bill was a disaster.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("The Harbor Party's housing plan was published. Ama Pryce condemned a plan.", set()),
])
def test_a_definite_plan_with_no_owner_belongs_to_the_owner_of_the_last_one_named(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce criticized the budget proposal offered by the Harbor Party.", {("Ama Pryce", C, "Harbor Party", None)}),
    ("Ama Pryce condemned the decision by the Harbor Party to close the clinic.", {("Ama Pryce", C, "Harbor Party", None)}),
])
def test_the_one_a_thing_is_by_owns_it(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("A Harbor Law Society report accused Lou Baird of negligence.", {("Harbor Law Society", C, "Lou Baird", None)}),
    ("A Harbor Party poster mocked Lou Baird over his tax plans.", {("Harbor Party", C, "Lou Baird", None)}),
])
def test_a_report_or_poster_speaks_for_the_one_named_with_it(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("The ruling prompted Democrats to attack Lou Baird.", {("Democrats", C, "Lou Baird", None)}),
    ("Ama Pryce urged voters to back Lou Baird.", {("Ama Pryce", E, "Lou Baird", None)}),
])
def test_the_one_led_or_prompted_to_act_is_the_one_who_acts(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce has used Twitter to speak out against Lou Baird.", {("Ama Pryce", C, "Lou Baird", None)}),
    ('The Harbor Law Society dubbed Mr Dunmore\'s new proposals an "abuse of power".',
     {("Harbor Law Society", C, "Dunmore", None)}),
    ('Ama Pryce said Lou Baird had been "too defensive" about the probe.', {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce hit back at Mr Dunmore's claim that the plan would work.", {("Ama Pryce", C, "Dunmore", None)}),
])
def test_more_ways_of_finding_fault(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("A spokesman for the Harbor Party called on Mr Dunmore to quit.", {("Harbor Party", C, "Dunmore", None)}),
    ("A Harbor Party spokeswoman criticised Lou Baird.", {("Harbor Party", C, "Lou Baird", None)}),
    ("Lou Baird's spokesman criticised Ama Pryce.", set()),
])
def test_a_spokesperson_speaks_for_the_body_named_with_them(extract, text, expected):
    assert extract(text) == expected


def test_a_line_break_ends_a_sentence(nlp):
    doc = nlp('Councillor Ray Brandt said: "He is borrowing far too much and getting nothing for it."\n\n'
              "Harriet Quill, for the Greens, accused Mr Dorsey of ducking hard choices.")
    assert [s.text.strip() for s in doc.sents] == [
        'Councillor Ray Brandt said: "He is borrowing far too much and getting nothing for it."',
        "Harriet Quill, for the Greens, accused Mr Dorsey of ducking hard choices."]


def test_running_with_someones_backing_is_being_backed(extract):
    assert extract("Sen. Ottilie Varga campaigned with the backing of Mayor Ray Brandt.") == {
        ("Ray Brandt", "ENDORSES", "Ottilie Varga", None)}


def test_a_rebuke_given_with_a_flourish_is_still_given(extract):
    assert extract("Ottilie Varga stunned voters with a sharp rebuke of Mayor Ray Brandt.") == {
        ("Ottilie Varga", "CRITICIZED", "Ray Brandt", None)}


def test_the_owner_named_before_a_modifier_is_attacked(extract):
    assert extract("Dr Ottilie Varga attacked Ray Brandt's Tory lies.") == {
        ("Ottilie Varga", "CRITICIZED", "Ray Brandt", None)}


def test_a_name_that_only_says_whose_allies_does_not_act(extract):
    assert extract("Ray Brandt spoke on Monday. Some Brandt allies accused Ottilie Varga of bias.") == set()


def test_a_partys_members_opening_a_sentence_act_for_the_party(extract):
    assert extract("Labour MPs have angrily criticised Ottilie Varga and Ray Brandt.") == {
        ("Labour", "CRITICIZED", "Ottilie Varga", None), ("Labour", "CRITICIZED", "Ray Brandt", None)}


def test_a_legacy_from_one_to_another_is_a_donation(extract):
    assert extract("A legacy of £50,000 from Tom Kessler to the Harbor Party was declared on Friday.") == {
        ("Tom Kessler", D, "Harbor Party", "£50,000")}


def test_a_role_given_by_is_the_names_its_holder(extract):
    assert extract("Ottilie Varga is the chancellor. Tom Kessler criticised the chancellor on Tuesday.") == {
        ("Tom Kessler", C, "Ottilie Varga", None)}


def test_a_party_that_only_runs_the_body_attacked_is_not_attacked(extract):
    assert extract("Councillor Ray Brandt accused the Labour-run Harbor City Council of neglecting the docks.") == {
        ("Ray Brandt", C, "Harbor City Council", None)}


def test_the_one_criticized_in_the_passive_does_not_attack_the_agent(extract):
    assert extract("Mayor Ray Brandt was sharply criticized on Friday by Ottilie Varga over the port budget.") == {
        ("Ottilie Varga", C, "Ray Brandt", None)}


def test_their_plan_after_two_named_people_is_both_of_theirs(extract):
    assert extract("Ottilie Varga and Ray Brandt unveiled a plan on Monday. Tom Kessler criticised their plan.") == {
        ("Tom Kessler", C, "Ottilie Varga", None), ("Tom Kessler", C, "Ray Brandt", None)}


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce was an early supporter of Lou Baird.", {("Ama Pryce", E, "Lou Baird", None)}),
    ("Ama Pryce was a vocal Lou Baird supporter.", {("Ama Pryce", E, "Lou Baird", None)}),
    ("Ama Pryce, a longtime Harbor Party donor, spoke on Monday.", {("Ama Pryce", D, "Harbor Party", None)}),
    ("Ama Pryce, a frequent Lou Baird critic, spoke on Monday.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Lou Baird supporters rallied on Monday.", set()),
    ("Ama Pryce, a Harbor Party critic of the budget, spoke on Monday.", set()),
])
def test_an_agent_noun_takes_the_name_before_it_as_its_object(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce has voiced her support for Lou Baird.", {("Ama Pryce", E, "Lou Baird", None)}),
    ("Ama Pryce tweeted her support for Lou Baird.", {("Ama Pryce", E, "Lou Baird", None)}),
])
def test_support_voiced_or_tweeted_is_an_endorsement(extract, text, expected):
    assert extract(text) == expected


def test_the_owner_of_a_thing_that_draws_fire_is_criticised(extract):
    assert extract("Lou Baird's budget came under fire from Ama Pryce.") == {("Ama Pryce", C, "Lou Baird", None)}


@pytest.mark.parametrize("text", [
    'Ama Pryce has called Lou Baird a "deranged liar."',
    'Ama Pryce described Lou Baird as a "lightweight".',
])
def test_name_calling_labels_attack(extract, text):
    assert extract(text) == {("Ama Pryce", C, "Lou Baird", None)}


@pytest.mark.parametrize("text,expected", [
    ("Harbor Party attacks on Lou Baird's record have grown.", {("Harbor Party", C, "Lou Baird", None)}),
    ("Ama Pryce delivered a sharp critique of Lou Baird's policies.", {("Ama Pryce", C, "Lou Baird", None)}),
])
def test_a_noun_of_attack_is_made_by_the_one_named_before_it(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text", [
    "Ama Pryce said Lou Baird's reputation was in tatters.",
    "Ama Pryce complained that Lou Baird had been tardy in paying the grants.",
    "Ama Pryce said Lou Baird's tax plan was a giveaway to the rich.",
])
def test_a_reported_clause_of_fault_finding_words_criticises_its_subject(extract, text):
    assert extract(text) == {("Ama Pryce", C, "Lou Baird", None)}


@pytest.mark.parametrize("text,expected", [
    ("Senator Lou Baird spoke on Monday. Ama Pryce said the senator had misled voters.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce said he had misled voters.", set()),
])
def test_a_reported_clause_about_a_description_criticises_the_one_described(extract, text, expected):
    assert extract(text) == expected


def test_an_agent_noun_before_a_name_describes_that_name(extract):
    text = "As speculation mounts, fellow Republican and frequent Lou Baird critic Ama Pryce hopes to take the seat."
    assert extract(text) == {("Ama Pryce", C, "Lou Baird", None)}


def test_a_swing_at_someone_is_an_attack(extract):
    assert extract("Ama Pryce took an indirect swing at Lou Baird in a speech.") == {("Ama Pryce", C, "Lou Baird", None)}


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce is supporting candidates such as Lou Baird and Ray Tolland.",
     {("Ama Pryce", E, "Lou Baird", None), ("Ama Pryce", E, "Ray Tolland", None)}),
    ("The Harbor Party condemned rivals like Lou Baird.", {("Harbor Party", C, "Lou Baird", None)}),
])
def test_the_members_a_plural_names_with_such_as_or_like_take_its_place(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("A Harbor Ministry official accused Ama Pryce of lying.", {("Harbor Ministry", C, "Ama Pryce", None)}),
    ("Chinese officials accused Ama Pryce of lying.", set()),
])
def test_an_official_speaks_for_the_body_named_with_them_not_for_a_nationality(extract, text, expected):
    assert extract(text) == expected


def test_a_passive_subject_does_the_act_conjoined_to_it(extract):
    text = "Ama Pryce was briefed on Monday and urged Lou Baird to resign."
    assert extract(text) == {("Ama Pryce", C, "Lou Baird", None)}


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce, the governor, says she will vote for Lou Baird in June.", {("Ama Pryce", E, "Lou Baird", None)}),
    ("Ama Pryce said she will back Lou Baird.", {("Ama Pryce", E, "Lou Baird", None)}),
    ("Ama Pryce said she would not back Lou Baird.", set()),
    ("Ama Pryce said she would back Lou Baird if he ran.", set()),
    ("Ama Pryce said Ray Tolland would back Lou Baird.", set()),
    ("Ama Pryce said she may back Lou Baird.", set()),
])
def test_backing_its_giver_announces_is_given(extract, text, expected):
    assert extract(text) == expected


def test_him_heading_a_clause_is_not_the_subject_above_it(extract):
    text = "Senator Lou Baird faces questions. Party chairman Ray Tolland pressed for him to resign."
    assert extract(text) == {("Ray Tolland", C, "Lou Baird", None)}


def test_names_listed_after_an_apposition_all_act(extract):
    text = "Senators Ray Tolland, Ama Pryce, Ed Marsh and Ina Cole joined calls for Lou Baird to quit."
    assert extract(text) == {(name, C, "Lou Baird", None) for name in ("Ray Tolland", "Ama Pryce", "Ed Marsh", "Ina Cole")}


def test_a_country_named_by_a_lone_title_word_is_an_entity(extract):
    assert extract("Ama Pryce criticised the U.S. on Monday.") == {("Ama Pryce", C, "U.S.", None)}


def test_the_congressman_refers_back_to_a_representative(extract):
    text = "Rep. Lou Baird faces allegations. Ama Pryce called on the congressman to step down."
    assert extract(text) == {("Ama Pryce", C, "Lou Baird", None)}


@pytest.mark.parametrize("text,expected", [
    ("Several Republicans, including Ray Tolland and Ama Pryce, all of whom endorsed Lou Baird, spoke.",
     {("Ray Tolland", E, "Lou Baird", None), ("Ama Pryce", E, "Lou Baird", None)}),
    ("Ray Tolland and Ama Pryce, both of whom criticized Lou Baird, spoke.",
     {("Ray Tolland", C, "Lou Baird", None), ("Ama Pryce", C, "Lou Baird", None)}),
])
def test_all_of_whom_stands_for_each_one_named_before_it(extract, text, expected):
    assert extract(text) == expected


def test_canvassing_for_a_party_backs_it(extract):
    assert extract("Ama Pryce was canvassing for the Harbor Party at the age of 12.") == {("Ama Pryce", E, "Harbor Party", None)}


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce, one of Lou Baird's fiercest critics, spoke on Monday.", {("Ama Pryce", C, "Lou Baird", None)}),
    ("Ama Pryce, one of the Harbor Party's biggest financial backers, spoke.", {("Ama Pryce", D, "Harbor Party", None)}),
])
def test_one_of_an_agent_noun_in_apposition_describes_the_name(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce was a loyal supporter and senior adviser to Lou Baird in the race.", {("Ama Pryce", E, "Lou Baird", None)}),
    ("Ama Pryce, a donor and adviser to the Harbor Party, spoke.", {("Ama Pryce", D, "Harbor Party", None)}),
])
def test_two_joined_agent_nouns_share_the_object_after_them(extract, text, expected):
    assert extract(text) == expected


def test_people_counted_in_a_reported_clause_are_not_their_group(extract):
    assert extract("Ray Tolland said about 40 Britons were missing in the disaster.") == set()


@pytest.mark.parametrize("text,expected", [
    ("Ama Pryce has the full backing of the Harbor Party.", {("Harbor Party", E, "Ama Pryce", None)}),
    ("Ama Pryce enjoys the support of Ray Tolland.", {("Ray Tolland", E, "Ama Pryce", None)}),
])
def test_backing_one_has_comes_from_its_giver(extract, text, expected):
    assert extract(text) == expected


def test_whose_stands_for_the_one_the_clause_is_about(extract):
    text = "The Harbor Party, whose endorsement of Ama Pryce was its first, said it would help."
    assert extract(text) == {("Harbor Party", E, "Ama Pryce", None)}


@pytest.mark.parametrize("text,expected", [
    ('Ama Pryce was branded "a liar" by Ray Tolland.', {("Ray Tolland", C, "Ama Pryce", None)}),
    ('Ama Pryce\'s remarks were described as "irresponsible" by Ray Tolland.', {("Ray Tolland", C, "Ama Pryce", None)}),
    ("Ama Pryce was described as a lawyer by Ray Tolland.", set()),
])
def test_a_label_given_in_the_passive_attacks_its_subject(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Republican lawmakers have attacked Lou Baird.", {("Republicans", C, "Lou Baird", None)}),
    ("Both Republican and Democratic senators criticized Lou Baird.",
     {("Republicans", C, "Lou Baird", None), ("Democrats", C, "Lou Baird", None)}),
    ("Two Republican senators, Ray Tolland and Ama Pryce, said Lou Baird should step aside.",
     {("Ray Tolland", C, "Lou Baird", None), ("Ama Pryce", C, "Lou Baird", None)}),
    ("Several German lawmakers called on Lou Baird to apologise.", set()),
])
def test_a_party_adjective_before_its_members_names_the_party(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ray Tolland repeated his accusations against Ama Pryce.", {("Ray Tolland", C, "Ama Pryce", None)}),
    ("Ray Tolland defended Ama Pryce from accusations by Lou Baird.", set()),
])
def test_accusations_made_against_someone_criticise_them(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ray Tolland said Ama Pryce cannot be trusted on crime.", {("Ray Tolland", C, "Ama Pryce", None)}),
    ("Ray Tolland said the vote was close and that Ama Pryce's answers were not good enough.",
     {("Ray Tolland", C, "Ama Pryce", None)}),
    ("Ray Tolland said the vote was close and Ama Pryce said the plan was a disaster.", set()),
])
def test_a_reported_clause_joined_by_and_that_is_reported_too(extract, text, expected):
    assert extract(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("Ray Tolland deplored Ama Pryce's remarks.", {("Ray Tolland", C, "Ama Pryce", None)}),
    ("The Harbor Party is reviled by Ray Tolland.", {("Ray Tolland", C, "Harbor Party", None)}),
])
def test_more_verbs_of_attack(extract, text, expected):
    assert extract(text) == expected
