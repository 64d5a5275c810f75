"""Entities within one article: names, titles, types, merged mentions and pronouns."""

from __future__ import annotations

import pytest
from spacy.tokens import Span

from kg.extraction.article import headline_end, reading_text
from kg.mentions import MentionFinder
from kg.records import Article


@pytest.fixture(scope="module")
def find(nlp, lexicon):
    finder = MentionFinder(lexicon)

    def run(text):
        doc = nlp(text)
        return doc, finder(doc)
    return run


def by_name(entities, name):
    return next(c for c in entities.clusters if c.name == name)


def names(entities):
    return {(c.name, c.type) for c in entities.clusters}


@pytest.mark.parametrize("text,name", [
    ("Sen. Ottilie Varga spoke.", "Ottilie Varga"),
    ("Rep. Ottilie Varga (D-Ore.) spoke.", "Ottilie Varga"),
    ("Former Gov. Ottilie Varga spoke.", "Ottilie Varga"),
    ("Vice President Ottilie Varga spoke.", "Ottilie Varga"),
    ("Mayor Ottilie Varga's plan failed.", "Ottilie Varga"),
    ("Dr. Ottilie Varga spoke.", "Ottilie Varga"),
    ("State Treasurer Ottilie Varga spoke.", "Ottilie Varga"),
    ("Labour MP Ottilie Varga spoke.", "Ottilie Varga"),
    ("Councillor Ottilie Varga spoke.", "Ottilie Varga"),
    ("Teachta Dála Ottilie Varga spoke.", "Ottilie Varga"),
    ("Tánaiste Ottilie Varga spoke.", "Ottilie Varga"),
    ("Minister of State Ottilie Varga spoke.", "Ottilie Varga"),
    ("Opposition MPP Ottilie Varga spoke.", "Ottilie Varga"),
])
def test_titles_party_tags_and_possessives_are_stripped(find, text, name):
    _, entities = find(text)
    assert (name, "PERSON") in names(entities)


def test_surname_joins_full_name(find):
    _, entities = find("Councilman Brook Ansley opened the session. Ansley then left early.")
    cluster = by_name(entities, "Brook Ansley")
    assert len(cluster.mentions) == 2 and "Ansley" in cluster.aliases


def test_acronym_joins_its_expansion(find):
    _, entities = find("The Western Rail Passengers Council (WRPC) met. WRPC later voted.")
    cluster = by_name(entities, "Western Rail Passengers Council")
    assert cluster.type == "ORG" and "WRPC" in cluster.aliases and len(cluster.mentions) == 3


def test_acronym_counts_small_words(find):
    _, entities = find("The Council of Retired Harbor Workers (CORHW) met on Friday.")
    assert "CORHW" in by_name(entities, "Council of Retired Harbor Workers").aliases


def test_title_makes_a_person(find):
    _, entities = find("Mayor Quillon Dravis announced the plan.")
    assert by_name(entities, "Quillon Dravis").type == "PERSON"


def test_a_surname_alone_makes_a_person(find):
    # whatever the NER says of the full name, organisations are not called by their last word
    _, entities = find("Cassius Wrenfield met the board on Tuesday. Wrenfield said the vote would wait.")
    assert by_name(entities, "Cassius Wrenfield").type == "PERSON"


def test_pronoun_makes_a_person_of_a_person_like_name(find):
    doc, entities = find("Cassius Wrenfield met with Bertram Oyelowo on Tuesday. Later that day, he endorsed Oyelowo.")
    he = next(t for t in doc if t.lower_ == "he")
    assert entities.at(he).name == "Cassius Wrenfield" and entities.at(he).type == "PERSON"


def test_pronoun_prefers_subject_over_object(find):
    doc, entities = find("Rep. Liesel Amberg met Sen. Rosalind Teague. She praised the budget.")
    she = next(t for t in doc if t.lower_ == "she")
    assert entities.at(she).name == "Liesel Amberg"


def test_pronoun_prefers_known_matching_gender_on_equal_salience(find):
    doc, entities = find("Quillon Dravis and Ambrose Kettering attended. He spoke first.")
    he = next(t for t in doc if t.lower_ == "he")
    assert entities.at(he).name == "Ambrose Kettering"  # "ambrose" is in the male names list


def test_pronoun_gender_from_title(find):
    doc, entities = find("Mr. Corwin Dale and Ms. Fenella Crispin attended. She spoke first.")
    she = next(t for t in doc if t.lower_ == "she")
    assert entities.at(she).name == "Fenella Crispin"


def test_pronoun_abstains_on_a_tie(find):
    doc, entities = find("Mr. Quillon Dravis and Mr. Ambrose Kettering attended. He spoke first.")
    he = next(t for t in doc if t.lower_ == "he")
    assert entities.at(he) is None


def test_pronoun_looks_back_two_sentences_only(find):
    doc, entities = find("Rep. Liesel Amberg spoke. The room was quiet. Nobody moved. Everyone waited. She left.")
    she = next(t for t in doc if t.lower_ == "she")
    assert entities.at(she) is None


def test_later_mention_missed_by_the_model_is_found(find):
    doc, entities = find("The Brightwater Cement Company paid a fine. Critics said Brightwater Cement Company lied.")
    assert len(by_name(entities, "Brightwater Cement Company").mentions) == 2


def test_dates_and_money_are_no_entities(find):
    _, entities = find("On Monday, March 3, the group paid $5,000.")
    assert entities.clusters == []


def test_dateline_is_no_actor(find):
    _, entities = find("MILLBRAE FALLS, Ore. - Sen. Odile Varga spoke on Monday.")
    assert names(entities) == {("Odile Varga", "PERSON")}


def test_title_inside_a_run_starts_the_name(find):
    _, entities = find("Lake Orvin Mayor Quillon Dravis spoke on Monday.")
    assert ("Quillon Dravis", "PERSON") in names(entities)


def test_organisation_name_with_for_a(find):
    _, entities = find("Citizens for a Quieter Harbor met on Monday.")
    assert ("Citizens for a Quieter Harbor", "ORG") in names(entities)


def test_dateline_without_comma_is_no_entity(find):
    _, entities = find("HALLORAN BAY — Mining heir Cuthbert Vayne spoke.\n\nKELLMOOR — Mayor Olek Tamm replied.")
    assert names(entities) == {("Cuthbert Vayne", "PERSON"), ("Olek Tamm", "PERSON")}


def test_possessive_inside_an_organisation_name(find):
    _, entities = find("The Harbor Pilots' Benevolent Society endorsed Mayor Olek Tamm.")
    assert ("Harbor Pilots' Benevolent Society", "ORG") in names(entities)


def test_pronoun_prefers_known_gender_over_nearer_unknown(find):
    doc, entities = find("Mayor Frederick Achebe had a good month. The Riverside Tenants Union and Chief Ngozi Abara "
                         "lined up behind his re-election bid.")
    his = next(t for t in doc if t.lower_ == "his")
    assert entities.at(his).name == "Frederick Achebe"


@pytest.mark.parametrize("text,name", [
    ("Developer Ansel Marrow gave $5,000 to No on Measure T in May.", "No on Measure T"),
    ("Yes on 12 received $40,000 from the Harbor Hospital Association.", "Yes on 12"),
    ("Mayor Odile Varga threw her support behind No on Proposition 7 on Monday.", "No on Proposition 7"),
    ("The biggest check went to the Yes on 14 Coalition last week.", "Yes on 14 Coalition"),
])
def test_ballot_measure_campaign_is_an_organisation(find, text, name):
    _, entities = find(text)
    assert (name, "ORG") in names(entities)


def test_no_on_without_a_measure_names_nobody(find):
    _, entities = find("No on Tuesday, the council did not vote.")
    assert entities.clusters == []


@pytest.mark.parametrize("text,name", [
    ("The Okonkwo for Mayor committee paid $1,000 for the hall.", "Okonkwo for Mayor"),
    ("Retired nurse Ilse Brand gave $250 to Okonkwo for Mayor in June.", "Okonkwo for Mayor"),
    ("The Committee to Elect Maria Okafor received $3,000 on Friday.", "Committee to Elect Maria Okafor"),
    ("The Coalition to Save Elm Park met on Wednesday.", "Coalition to Save Elm Park"),
])
def test_campaign_committee_names(find, text, name):
    _, entities = find(text)
    assert (name, "ORG") in names(entities)


def test_office_sought_is_not_part_of_a_name(find):
    _, entities = find("Ald. Rosalind Mbatha backs Ald. Francisco Olmedo for City Council president.")
    assert ("Francisco Olmedo", "PERSON") in names(entities)


def test_committee_named_after_a_person_stays_apart_from_the_person(find):
    _, entities = find("Sen. Dana Ruiz endorsed Carl Pike. Friends of Dana Ruiz also gave $1,000 to his campaign.")
    assert {("Dana Ruiz", "PERSON"), ("Friends of Dana Ruiz", "ORG")} <= names(entities)


def test_first_name_tagged_as_a_common_noun(find):
    _, entities = find("Dolores Fairweather is no stranger to political giving.")
    assert ("Dolores Fairweather", "PERSON") in names(entities)


def test_definite_description_refers_to_the_titled_person(find):
    doc, entities = find("Port Commissioner Dana Whitcomb feuded with City Hall. On Tuesday the commissioner spoke.")
    commissioner = [t for t in doc if t.lower_ == "commissioner"][-1]
    assert entities.at(commissioner).name == "Dana Whitcomb" and commissioner.i in entities.descriptions


def test_definite_description_refers_to_the_apposition(find):
    doc, entities = find("Miriam Sato, the state's first female treasurer, drew a challenger. The treasurer shrugged.")
    treasurer = [t for t in doc if t.lower_ == "treasurer"][-1]
    assert entities.at(treasurer).name == "Miriam Sato"


def test_abbreviated_title_gives_the_role(find):
    doc, entities = find("Gov. Hal Brennick met the press. Later the governor left for Eastport.")
    governor = next(t for t in doc if t.lower_ == "governor")
    assert entities.at(governor).name == "Hal Brennick"


def test_definite_description_abstains_when_two_held_the_role(find):
    doc, entities = find("Mayor Odette Rinaldi and Mayor Felix Crane spoke. The mayor then left.")
    mayor = next(t for t in doc if t.lower_ == "mayor" and t.text == "mayor")
    assert entities.at(mayor) is None


def test_deputy_is_another_office(find):
    doc, entities = find("Deputy Mayor Ann Cole spoke on Monday. The mayor later left.")
    mayor = next(t for t in doc if t.text == "mayor")
    assert entities.at(mayor) is None


@pytest.mark.parametrize("text, role, holder", [
    ("Prime Minister Orla Penhallow spoke. Later the prime minister left.", "minister", "Orla Penhallow"),
    ("Deputy Prime Minister Ann Cole spoke. Later the deputy prime minister left.", "minister", "Ann Cole"),
    ("Labour leader Ottilie Varga spoke. Later the Labour leader left.", "leader", "Ottilie Varga"),
])
def test_definite_description_reads_the_whole_title(find, text, role, holder):
    doc, entities = find(text)
    noun = [t for t in doc if t.text == role][-1]
    assert entities.at(noun).name == holder


def test_deputy_title_is_not_the_office_it_deputises(find):
    doc, entities = find("Prime Minister Orla Penhallow spoke. Later the deputy prime minister left.")
    minister = [t for t in doc if t.text == "minister"][-1]
    assert entities.at(minister) is None


@pytest.mark.parametrize("text, follows", [
    ("She slammed the candidate, former state Attorney Dana Whitcomb, as weak.", True),
    ("She slammed the candidate, who lost, as weak.", False),
    ("He was backed by the candidate, while Dana Whitcomb stayed away.", False),
])
def test_a_name_after_a_descriptions_comma_is_seen_however_it_is_parsed(find, text, follows):
    doc, entities = find(text)
    candidate = next(t for t in doc if t.text == "candidate")
    assert MentionFinder._name_follows(doc, entities, candidate.i + 1) is follows


@pytest.fixture
def find_dated(nlp, lexicon):
    finder = MentionFinder(lexicon)

    def run(text, published):
        doc = nlp(text)
        return doc, finder(doc, published)
    return run


def _description(doc, entities, word):
    noun = [t for t in doc if t.text == word][-1]
    cluster = entities.at(noun)
    return cluster.name if cluster is not None else None


@pytest.mark.parametrize("text, published, holder", [
    ("Tony Blair toured a school. Later the prime minister spoke.", "2004-2005", "Tony Blair"),
    ("Mr Blair toured a school. Later the prime minister spoke.", "March 3, 2005", "Blair"),
    ("Tony Blair toured a school. Later the prime minister spoke.", "June 1, 2017", None),  # not in office then
    ("Tony Blair toured a school. Later the prime minister spoke.", None, None),  # no date, no knowing who held it
    ("Tony Blair toured a school. Later the former prime minister spoke.", "2005", None),
    ("Gordon Brown toured a school. Later the shadow chancellor spoke.", "2005", None),
    ("Tony Blair and Gordon Brown toured a school. Later the chancellor spoke.", "2005", "Gordon Brown"),
    ("Gordon Brown met Gerhard Schroeder. Later the chancellor spoke.", "2004", None),  # two chancellors
])
def test_a_well_known_office_refers_to_its_holder_in_the_articles_years(find_dated, text, published, holder):
    doc, entities = find_dated(text, published)
    word = "chancellor" if "chancellor" in text else "minister"
    assert _description(doc, entities, word) == holder


def test_a_title_given_in_the_article_outranks_the_office_list(find_dated):
    doc, entities = find_dated("Tony Blair met Prime Minister Orla Penhallow. Later the prime minister spoke.", "2005")
    assert _description(doc, entities, "minister") == "Orla Penhallow"


def test_definite_description_needs_an_earlier_holder(find):
    doc, entities = find("The governor has clashed with the port for months. Gov. Felix Brandt spoke on Friday.")
    governor = next(t for t in doc if t.text == "governor")
    assert entities.at(governor) is None


def test_lower_case_organisation_noun_closes_a_name(find):
    _, entities = find("Gov. Ida Marsh denounced the Keepers of the Gate militia after the rally.")
    assert ("Keepers of the Gate", "ORG") in names(entities)


def test_pronoun_prefers_a_full_name_to_a_lone_word_tagged_person(find):
    doc, entities = find("Union leader Terry Doyle urged members to vote for Labor's Sophie Tran in the seat of Kelby, "
                         "and his union donated $5,000 to her campaign.")
    her = next(t for t in doc if t.lower_ == "her")
    assert entities.at(her).name == "Sophie Tran"


def test_portfolio_title_before_a_name_is_no_entity(find):
    _, entities = find("The Transport Secretary, Ottilie Varga, was heckled on Monday.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


def test_pronoun_object_is_not_the_described_subject(find):
    doc, entities = find("Gov. Evadne Quarrie has been feuding with Attorney General Osric Vantongeren for months. "
                         "On Tuesday the governor accused him of hiding audit results.")
    him = next(t for t in doc if t.lower_ == "him")
    assert entities.at(him).name == "Osric Vantongeren"


def test_pronoun_object_may_be_the_subjects_possessor(find):
    doc, entities = find("Sen. Oriel Madsen endorsed Councilman Tobias Rehn on Monday, and Rehn's rival, Idris Kell, "
                         "accused him of cronyism.")
    him = next(t for t in doc if t.lower_ == "him")
    assert entities.at(him).name == "Tobias Rehn"


@pytest.mark.parametrize("text,name", [
    ("Mr Ottilie Varga spoke.", "Ottilie Varga"),
    ("Mrs Ottilie Varga spoke.", "Ottilie Varga"),
    ("Baroness Ottilie Varga spoke.", "Ottilie Varga"),
    ("Sir Anselm Thorncroft spoke.", "Anselm Thorncroft"),
    ("Anselm Thorncroft MP spoke.", "Anselm Thorncroft"),
    ("Anselm Thorncroft OBE spoke.", "Anselm Thorncroft"),
    ("Special Counsel Anselm Thorncroft spoke.", "Anselm Thorncroft"),
    ("Democrat Anselm Thorncroft spoke.", "Anselm Thorncroft"),
    ("Ohio Republican Anselm Thorncroft spoke.", "Anselm Thorncroft"),
    ("Chief of Staff Anselm Thorncroft spoke.", "Anselm Thorncroft"),
])
def test_honorifics_peerages_post_nominals_and_role_words_stay_off_names(find, text, name):
    _, entities = find(text)
    assert (name, "PERSON") in names(entities)


def test_a_peer_joins_the_full_name_given_in_the_article(find):
    _, entities = find("Anselm Thorncroft took his seat in 1998. Lord Thorncroft said the bill was flawed.")
    cluster = by_name(entities, "Anselm Thorncroft")
    assert "Thorncroft" in cluster.aliases and len(cluster.mentions) == 2


def test_honorific_without_full_stop_joins_the_full_name(find):
    _, entities = find("Ottilie Varga led the debate. Mrs Varga said the vote would be close.")
    assert "Varga" in by_name(entities, "Ottilie Varga").aliases


@pytest.mark.parametrize("text,name", [
    ("The U.S. House of Representatives passed the measure.", "House of Representatives"),
    ("The Federal Bureau of Investigation opened a case.", "Federal Bureau of Investigation"),
    ("The Republican National Committee raised money.", "Republican National Committee"),
    ("The report came from Congress's Joint Committee on Taxation.", "Joint Committee on Taxation"),
    ("Mayor Ottilie de Varga said the plan was good.", "Ottilie de Varga"),
    ("Shares of Cardinal Varga Inc fell on Monday.", "Cardinal Varga Inc"),
    ("He listened to BBC Radio 4 on Sunday.", "BBC Radio 4"),
])
def test_names_keep_the_words_the_model_or_a_title_would_cut(find, text, name):
    _, entities = find(text)
    assert name in {c.name for c in entities.clusters}


def test_a_hyphenated_modifier_is_no_part_of_the_name(find):
    _, entities = find("The Republican-controlled Senate passed the bill.")
    assert not any(c.name.startswith("-") or "controlled" in c.name for c in entities.clusters)


@pytest.mark.parametrize("text,name,type_", [
    ("The White House said on Monday that talks would go on.", "White House", "ORG"),
    ("The Lib Dems said the plan was unfair.", "Lib Dems", "ORG"),
    ("Downing Street said the prime minister was confident.", "Downing Street", "ORG"),
    ("Investors in Silicon Valley were wary.", "Silicon Valley", "GPE"),
])
def test_a_gazetteer_name_takes_its_type(find, text, name, type_):
    _, entities = find(text)
    assert (name, type_) in names(entities)


def test_party_short_forms_are_one_entity_with_one_id(nlp, lexicon):
    from kg.extraction import ArticleExtractor
    from kg.records import Article
    text = "The Tories attacked the budget. A Conservatives spokesman said the Tory plan was fairer."
    graph = ArticleExtractor(lexicon)(Article("a", text), nlp(text))
    parties = [e for e in graph.entities if e.type == "ORG"]
    assert [e.id for e in parties] == ["org:conservative party"]


@pytest.mark.parametrize("text", [
    "Veterans of the Falklands War marched in London.",
    "The Clean Water Plan was published in March.",
    "Critics called the Harbour Renewal Programme a waste.",
])
def test_wars_plans_and_programmes_are_not_entities(find, text):
    _, entities = find(text)
    assert not any(c.name.split()[-1] in ("War", "Plan", "Programme") for c in entities.clusters)


def test_a_capitalised_common_word_opening_a_sentence_is_no_entity(find):
    _, entities = find("Prices fell in March. Coal plants closed, and coal output dropped.")
    assert "Coal" not in {c.name for c in entities.clusters}


def test_a_surname_opening_a_sentence_as_subject_of_its_verb_is_an_entity(find):
    _, entities = find("Lindqvist later criticized Brennan for the questions.")
    assert {c.name for c in entities.clusters} == {"Lindqvist", "Brennan"}


def test_a_family_name_written_first_joins_the_full_name(find):
    _, entities = find("Premier Wen Haolin met the envoy. Wen said the talks were useful.")
    assert "Wen" in by_name(entities, "Wen Haolin").aliases


def test_a_company_called_by_its_first_word_is_one_entity(find):
    _, entities = find("Torvane Energy Corp cut jobs on Monday. Torvane said demand was weak.")
    assert "Torvane" in by_name(entities, "Torvane Energy Corp").aliases


def test_a_byline_does_not_run_into_the_wire_dateline(find):
    _, entities = find("By Ottilie Varga WASHINGTON (Wire) - The Senate voted on Monday.")
    assert "Ottilie Varga" in {c.name for c in entities.clusters}
    assert not any("WASHINGTON" in c.name for c in entities.clusters)


@pytest.mark.parametrize("text,name,type_", [
    ("Ships crossed the Lantern Sea on Monday.", "Lantern Sea", "GPE"),
    ("Marines trained at Camp Orrin last year.", "Camp Orrin", "GPE"),
    ("Delegates met in the Great Hall of the Lanterns on Monday.", "Great Hall of the Lanterns", "GPE"),
    ("Protesters marched to the Palace of Orrindale.", "Palace of Orrindale", "GPE"),
    ("Voters in the village of Little Wexbury backed the plan.", "Little Wexbury", "GPE"),
    ("She held the Wexbury Moor constituency in 2001.", "Wexbury Moor", "GPE"),
    ("Ray Tolland, the Labour MP for Wexbury Moor, spoke.", "Wexbury Moor", "GPE"),
    ("Flats rose on the Wexbury Side of the river.", "Wexbury Side", "GPE"),
    ("The crash happened at Orrindale, Hertfordshire, in 2000.", "Orrindale", "GPE"),
])
def test_a_place_word_makes_a_place(find, text, name, type_):
    _, entities = find(text)
    assert (name, type_) in names(entities)


def test_a_surname_that_is_also_a_place_word_stays_a_person(find):
    _, entities = find("Ottilie Hall of the Harbour Trust spoke.")
    assert {("Ottilie Hall", "PERSON"), ("Harbour Trust", "ORG")} <= names(entities)


def test_a_body_called_by_the_words_before_its_of_is_one_entity(find):
    _, entities = find("The Harbour Corps of Engineers built the levee. The Harbour Corps said it would review it.")
    assert [(c.name, c.type, c.aliases) for c in entities.clusters] == [
        ("Harbour Corps of Engineers", "ORG", {"Harbour Corps"})]


def test_a_firm_named_for_its_partners_is_one_name(find):
    _, entities = find("Analysts at Varga, Okafor & Brandt said the bank was undervalued.")
    assert ("Varga, Okafor & Brandt", "ORG") in names(entities)


def test_washington_dc_and_washington_are_one_place(find):
    _, entities = find("Officials in Washington, D.C. appealed. Washington has long resisted the rule.")
    assert [(c.name, c.type) for c in entities.clusters] == [("Washington", "GPE")]


def test_singular_and_plural_group_names_are_one_entity(find):
    _, entities = find("The Veltrian delegation arrived. Veltrians protested outside.")
    assert len([c for c in entities.clusters if c.type == "NORP"]) == 1


def test_a_place_is_not_called_by_its_last_word(find):
    _, entities = find("South Varnia accused Varnia of shelling the border.")
    assert {"South Varnia", "Varnia"} <= {c.name for c in entities.clusters}


def test_a_government_named_for_its_leader_is_an_organisation_apart_from_the_leader(find):
    _, entities = find("The Varga administration said on Monday it would appeal. Ottilie Varga later spoke. Varga left.")
    assert names(entities) == {("Varga administration", "ORG"), ("Ottilie Varga", "PERSON")}
    assert by_name(entities, "Varga administration").aliases == set()


@pytest.mark.parametrize("text,name", [
    ("New Zealand said on Monday it would send two ships.", "New Zealand"),
    ("Trade across Central Asia grew last year.", "Central Asia"),
])
def test_a_known_country_or_region_is_a_place_whatever_the_model_says(find, text, name):
    _, entities = find(text)
    assert (name, "GPE") in names(entities)


def test_two_places_joined_by_a_hyphen_describe_a_thing_not_an_entity(find):
    _, entities = find("The U.S.-Pakistan talks stalled, officials said.")
    assert entities.clusters == []


@pytest.mark.parametrize("text,name,alias", [
    ("Harbor Fargo & Co agreed to pay. Harbor Fargo said it regretted the error.", "Harbor Fargo & Co", "Harbor Fargo"),
    ("Tamaki Securities analysts liked the deal. Tamaki expects growth.", "Tamaki Securities", "Tamaki"),
    ("Defence Secretary Ottilie Varga spoke. Varga said the troops would stay.", "Ottilie Varga", "Varga"),
    ("Robert Kilroy-Varga said he would leave. Kilroy was angry.", "Robert Kilroy-Varga", "Kilroy"),
])
def test_a_short_form_joins_the_one_longer_name_it_begins_or_ends(find, text, name, alias):
    _, entities = find(text)
    assert alias in by_name(entities, name).aliases


def test_the_arabic_article_stays_on_a_name_and_the_bare_name_joins_it(find):
    _, entities = find("Officials said al-Qaeda was behind it. Bashar al-Varga denied it. Varga left.")
    assert names(entities) == {("al-Qaeda", "ORG"), ("Bashar al-Varga", "PERSON")}
    assert by_name(entities, "Bashar al-Varga").aliases == {"Varga"}


def test_a_place_before_a_known_body_names_a_body_of_its_own(find):
    _, entities = find("The Alabama Supreme Court ruled on Friday.")
    assert ("Alabama Supreme Court", "ORG") in names(entities)


def test_known_name_opening_with_an_adjective_is_whole(find):
    # the tagger calls "Liberal" an adjective before "Democrat leader"
    _, entities = find("Voters will decide the seat next spring, Liberal Democrat leader Orla Penhallow has claimed.")
    assert names(entities) == {("Liberal Democrat", "ORG"), ("Orla Penhallow", "PERSON")}


def test_party_members_are_named_by_the_party(find):
    _, entities = find("A dozen Labour MPs have said they will oppose the harbour levy.")
    assert names(entities) == {("Labour", "ORG")}


@pytest.mark.parametrize("text", [
    "House Democratic leader Ottilie Varga said the bill was unfair.",
    "The strategist campaigned for Republican Senate candidate Ottilie Varga on Monday.",
])
def test_party_adjective_before_a_role_is_no_name(find, text):
    _, entities = find(text)
    assert names(entities) == {("Ottilie Varga", "PERSON")}


def test_party_adjective_before_a_surname_is_no_part_of_it(find):
    _, entities = find("Ottilie Varga won in May. Critics asked whether Republican Varga's aides had lied.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


def test_party_adjective_opening_a_name_with_of_stays(find):
    _, entities = find("The envoy travelled to Democratic Republic of Korvania last week.")
    assert "Republic" not in {name for name, _ in names(entities)}


@pytest.mark.parametrize("text, place", [
    ("The Labour candidate for Sheffield Central, Ottilie Varga, said the race was close.", "Sheffield Central"),
    ("Voters in Leeds North West will choose a new MP.", "Leeds North West"),
])
def test_known_place_with_a_compass_part_is_a_place(find, text, place):
    _, entities = find(text)
    assert (place, "GPE") in names(entities)


def test_a_stock_ticker_after_a_company_is_no_name(find):
    _, entities = find("Harborline Freight Co (HBF.N) and Kestrel Mills (KML.L) won contracts on Monday.")
    assert names(entities) == {("Harborline Freight Co", "ORG"), ("Kestrel Mills", "ORG")}


@pytest.mark.parametrize("text, name", [
    ("Chief Executive Officer Ottilie Varga said costs rose.", "Ottilie Varga"),
    ("Welshman Ottilie Varga won the final on Monday.", "Ottilie Varga"),
    ("Prof Ottilie Varga said the vote was close.", "Ottilie Varga"),
    ("President Moon Jae-in spoke on Monday.", "Moon Jae-in"),
])
def test_a_name_is_read_whole_and_without_the_role_before_it(find, text, name):
    _, entities = find(text)
    assert names(entities) == {(name, "PERSON")}


def test_a_headline_party_word_before_a_surname_stays_off_it(find):
    _, entities = find("Ohio Republican Varga backs tax bill")
    assert ("Varga", "PERSON") in names(entities)


def test_an_organisation_with_of_keeps_a_role_word_inside_it(find):
    _, entities = find("The National Federation of Independent Business backed the bill.")
    assert names(entities) == {("National Federation of Independent Business", "ORG")}


@pytest.mark.parametrize("text, name", [
    ("Agents of the Bureau of Alcohol, Tobacco, Firearms and Explosives reviewed the rule.",
     "Bureau of Alcohol, Tobacco, Firearms and Explosives"),
    ("The Centers for Medicare and Medicaid Services said costs rose.", "Centers for Medicare and Medicaid Services"),
])
def test_a_known_name_joined_by_and_or_commas_is_whole(find, text, name):
    _, entities = find(text)
    assert names(entities) == {(name, "ORG")}


def test_an_acronym_in_brackets_joins_the_name_whose_initials_hold_it_in_order(find):
    _, entities = find("The Office of Harbor and Dock Safety (HDS) fined the port. HDS said it would appeal.")
    assert names(entities) == {("Office of Harbor and Dock Safety", "ORG")}


def test_a_word_cut_from_anti_is_no_name(find):
    _, entities = find("The council condemned anti-Semitism and anti-Semitic remarks on Monday.")
    assert names(entities) == set()


def test_an_abbreviated_word_joins_the_name_written_out(find):
    _, entities = find("The Harbor Department said on Monday it would appeal. The Harbor Dept. later agreed.")
    assert names(entities) == {("Harbor Department", "ORG")}


def test_a_company_word_at_the_end_makes_an_organisation(find):
    _, entities = find("Kestrel Fire Solutions sued the state on Monday.")
    assert names(entities) == {("Kestrel Fire Solutions", "ORG")}


def test_a_law_or_programme_written_as_an_acronym_is_no_name(find):
    _, entities = find("Senator Ottilie Varga debated DACA, NAFTA and the NDAA on Monday.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


def test_a_pronoun_in_a_subordinate_clause_with_its_own_subject_may_be_the_main_subject(find):
    doc, entities = find("Tobias Rehn denied the claims, although Sen. Oriel Madsen backed him.")
    him = next(t for t in doc if t.lower_ == "him")
    assert entities.at(him).name == "Tobias Rehn"


def test_a_hyphenated_modifier_after_a_name_is_no_part_of_it(find):
    _, entities = find("The Varga-led effort failed on Monday, Ottilie Varga said.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


@pytest.mark.parametrize("text", [
    "The S&P 500 rose and the Nasdaq Composite fell on Monday.",
    "INDIVIDUAL INVESTORS: markets fell on Monday.",
])
def test_stock_indexes_and_headings_in_capitals_are_no_names(find, text):
    _, entities = find(text)
    assert names(entities) == set()


@pytest.mark.parametrize("text, place", [
    ("The storm hit Boston on Monday.", "Boston"),
    ("Russia annexed Crimea in 2014.", "Crimea"),
    ("Voters in Wales backed the plan.", "Wales"),
])
def test_a_well_known_city_or_region_is_a_place(find, text, place):
    _, entities = find(text)
    assert (place, "GPE") in names(entities)


def test_a_middle_initial_does_not_split_a_person(find):
    _, entities = find("Councillor Ottilie K. Varga spoke on Monday. Ottilie Varga left the hall at noon.")
    assert names(entities) == {("Ottilie K. Varga", "PERSON")}


def test_an_acronym_leaves_the_company_word_out(find):
    _, entities = find("Northwind Freight Systems Inc reported a loss. NFS said costs rose.")
    assert by_name(entities, "Northwind Freight Systems Inc").aliases == {"NFS"}


def test_a_business_noun_before_a_name_makes_it_an_organisation(find):
    _, entities = find("Analysts at brokerage Pellworth said prices would fall.")
    assert names(entities) == {("Pellworth", "ORG")}


@pytest.mark.parametrize("text", [
    "Hurricane Odalys hit the coast on Monday.",
    "The court applied the Charter of Civic Freedoms.",
    "HARBOUR CITY, March 3 [KX/LOANS] - Lending rose in March.",
    "The Bronwick Council passed the Motion to Adjourn.",
])
def test_weather_charters_topic_codes_and_motions_are_no_entities(find, text):
    _, entities = find(text)
    assert not {n for n, _ in names(entities)} & {"Hurricane Odalys", "Charter of Civic Freedoms", "KX", "LOANS",
                                                  "Motion to Adjourn"}


def test_a_solicitor_is_titled_not_named(find):
    _, entities = find("Solicitor Ottilie Varga said the ruling was wrong.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


def test_a_party_adjective_before_a_chamber_committee_is_the_members_party(find):
    _, entities = find("The bill will stall, Republican Senate Finance Committee member Ottilie Varga said.")
    assert names(entities) == {("Senate Finance Committee", "ORG"), ("Ottilie Varga", "PERSON")}


def test_a_capitalised_common_noun_after_a_possessive_is_no_name(find):
    _, entities = find("We must respect our Country and our Flag, Ottilie Varga wrote.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


def test_a_person_named_right_after_an_organisation_is_the_person(find):
    _, entities = find("The head of the troubled Child Support Agency Ottilie Varga will retire in March.")
    assert names(entities) == {("Child Support Agency", "ORG"), ("Ottilie Varga", "PERSON")}


def test_a_quoted_label_given_to_someone_is_no_name(find):
    _, entities = find('Ray Brandt attacked the budget, dubbing Mr Ottilie Varga "Sir Spendalot".')
    assert names(entities) == {("Ray Brandt", "PERSON"), ("Ottilie Varga", "PERSON")}


def test_a_word_opening_the_sentence_is_no_part_of_the_name_after_it(nlp, lexicon):
    doc = nlp("Though Ray Brandt praised the plan, his aides did not.")
    doc.ents = [Span(doc, 0, 3, "PERSON")]  # the model's name runs from the sentence's first word
    assert names(MentionFinder(lexicon)(doc)) == {("Ray Brandt", "PERSON")}


def test_a_hashtag_is_no_name(find):
    _, entities = find("Senator Ottilie Varga posted #VoteHarbor on Friday.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


def test_two_surnames_joined_by_and_are_two_people(find):
    _, entities = find("Lawmakers including Kowalczyk and Brandt wrote to the bank. Ray Brandt said the bank erred.")
    assert "Kowalczyk and Brandt" not in {n for n, _ in names(entities)}
    assert by_name(entities, "Ray Brandt").aliases == {"Brandt"}


def test_a_hyphenated_pair_of_names_before_a_noun_describes_a_thing(find):
    _, entities = find("Ottilie Varga said Trump-Russia ties and U.S.-Russia relations were strained before the Trump-Putin meeting.")
    assert not {n for n, _ in names(entities)} & {"Trump-Russia", "U.S.-Russia", "Trump-Putin"}


def test_a_court_district_keeps_its_place(find):
    _, entities = find("Prosecutors in the Southern District of New York charged Ottilie Varga.")
    assert names(entities) == {("Southern District of New York", "GPE"), ("Ottilie Varga", "PERSON")}


def test_a_known_office_holders_surname_is_a_person(find):
    _, entities = find("Republicans want to talk to Trump about budget caps.")
    assert names(entities) == {("Republicans", "NORP"), ("Trump", "PERSON")}


def test_a_title_with_of_after_an_organisation_comes_off_the_name(find):
    _, entities = find("Harbor Authority Chief of Staff Ottilie Varga said the memo was accurate.")
    assert ("Ottilie Varga", "PERSON") in names(entities)


def test_a_name_with_an_initial_joins_the_full_name(find):
    _, entities = find("Ray Powell said rates would rise. R. Powell was named. Powell left.")
    assert names(entities) == {("Ray Powell", "PERSON")}
    assert by_name(entities, "Ray Powell").aliases == {"R. Powell", "Powell"}


@pytest.mark.parametrize("text,name", [
    ("Ray Brandt visited the U.S. Embassy in Harbor City.", "U.S. Embassy"),
    ("The U.S. Army said Ray Brandt erred.", "U.S. Army"),
])
def test_the_country_opening_an_organisations_name_stays_on(find, text, name):
    _, entities = find(text)
    assert (name, "ORG") in names(entities)


def test_the_ordinal_of_a_numbered_court_stays_on(find):
    _, entities = find("The 4th U.S. Circuit Court of Appeals ruled against Ray Brandt, and the 9th Circuit agreed.")
    assert names(entities) == {("4th U.S. Circuit Court of Appeals", "ORG"), ("9th Circuit", "ORG"), ("Ray Brandt", "PERSON")}


def test_a_chamber_is_no_name_with_the_country_before_it(find):
    _, entities = find("Ray Brandt is the Republican U.S. Senate candidate in Alabama.")
    assert names(entities) == {("Ray Brandt", "PERSON"), ("Alabama", "GPE")}


def test_a_committee_named_with_and_is_one_name(find):
    _, entities = find("The House Ways and Means Committee approved the bill, and Ray Brandt said Ways and Means erred.")
    assert names(entities) == {("House Ways and Means Committee", "ORG"), ("Ray Brandt", "PERSON")}


def test_a_programme_title_is_no_name(find):
    _, entities = find("Ray Brandt told NBC's Meet the Press on Sunday that the plan had failed. He later appeared on Newsnight.")
    assert names(entities) == {("Ray Brandt", "PERSON"), ("NBC", "ORG")}


def test_a_countrys_people_are_a_group(find):
    _, entities = find("Ukrainians protested in the square. North Koreans fled, and the Pakistani said he agreed with Ray Brandt.")
    assert {("Ukrainians", "NORP"), ("North Koreans", "NORP"), ("Pakistani", "NORP")} <= names(entities)


def test_common_words_capitalised_for_emphasis_are_no_name(find):
    _, entities = find("This is a total Witch Hunt, Ray Brandt wrote. The witch hunt must end.")
    assert names(entities) == {("Ray Brandt", "PERSON")}


def test_a_capitalised_phrase_ending_in_a_thing_word_is_no_name(find):
    _, entities = find("Tax Cuts are coming, Ray Brandt wrote on Friday.")
    assert names(entities) == {("Ray Brandt", "PERSON")}


def test_a_company_is_called_by_its_first_word(find):
    _, entities = find("Harbor Freight Lines Inc said profits rose. Harbor said it would hire. Tidewell.com Inc fell; Tidewell said sales grew.")
    assert names(entities) == {("Harbor Freight Lines Inc", "ORG"), ("Tidewell.com Inc", "ORG")}
    assert by_name(entities, "Harbor Freight Lines Inc").aliases == {"Harbor"}


def test_a_states_chamber_is_an_organisation_not_a_woman(find):
    _, entities = find("Senate Republicans criticized Ray Brandt. The Virginia Senate voted on Monday.")
    assert names(entities) == {("Republicans", "NORP"), ("Ray Brandt", "PERSON"), ("Virginia Senate", "ORG")}


def test_a_partys_members_in_a_chamber_are_the_party(find):
    _, entities = find("House Democrats accused Ray Brandt of lying, and Senate Republicans agreed.")
    assert names(entities) == {("Democrats", "NORP"), ("Ray Brandt", "PERSON"), ("Republicans", "NORP")}


@pytest.mark.parametrize("text,name", [
    ("The minister visited Pellworth, a chain that sells fried chicken.", "Pellworth"),
    ("Staff at Orrin Tolland, the charity, said so.", "Orrin Tolland"),
])
def test_a_business_noun_in_apposition_makes_an_organisation(find, text, name):
    _, entities = find(text)
    assert (name, "ORG") in names(entities)


def test_a_person_named_beside_a_state_stays_a_person(find):
    _, entities = find("Orrin Paxwell, Texas, said no.")
    assert ("Orrin Paxwell", "PERSON") in names(entities)


def test_a_plural_title_comes_off_the_first_of_the_names_it_heads(find):
    _, entities = find("Representatives Ottilie Varga and Ray Tolland spoke on Monday.")
    assert ("Ottilie Varga", "PERSON") in names(entities)


@pytest.mark.parametrize("text,name", [
    ("The cost is rising, according to H.D. Varga, a spokesman.", "H.D. Varga"),
    ("Reporting by Ottilie Varga; Editing by Ray Tolland", "Ottilie Varga"),
])
def test_initials_or_a_byline_make_a_person(find, text, name):
    _, entities = find(text)
    assert (name, "PERSON") in names(entities)


@pytest.mark.parametrize("text", [
    "Ray Tolland has Wexbury Palsy disease.",
    "Arms are sold through the Harbor Arms Sales system.",
    "Voting closes at noon ET on Tuesday.",
])
def test_the_name_of_a_disease_a_programme_or_a_time_zone_is_no_entity(find, text):
    _, entities = find(text)
    assert not {n for n, _ in names(entities)} - {"Ray Tolland"}


@pytest.mark.parametrize("text,name,joined", [
    ("Mary Varga spoke on Monday. Varga said no. Her husband, Ray Varga, agreed.", "Mary Varga", True),
    ("Mary Varga spoke on Monday. Ray Varga listened. Mrs Varga said no.", "Mary Varga", True),
    ("Mary Varga spoke on Monday. Ray Varga listened. Varga said no.", "Mary Varga", False),
])
def test_a_surname_shared_by_two_people_joins_only_the_one_it_can_mean(find, text, name, joined):
    _, entities = find(text)
    cluster = next(c for c in entities.clusters if c.name == name)
    assert ("Varga" in cluster.aliases) is joined


def test_a_headlines_surname_is_not_the_first_lone_use_of_a_shared_surname(nlp, lexicon):
    article = Article("a", "Mary Varga spoke on Monday. Varga said no. Her husband, Ray Varga, agreed.",
                      title="Varga's husband says no")
    doc = nlp(reading_text(article))
    entities = MentionFinder(lexicon)(doc, None, headline_end(doc, article))
    assert "Varga" in next(c for c in entities.clusters if c.name == "Mary Varga").aliases


@pytest.mark.parametrize("text,kept", [
    ("The Military said the military budget was cut, Ray Tolland said.", set()),
    ("Young voters backed Ray Tolland. Mr Young said young people came out.", {"Young"}),
])
def test_one_capitalised_word_the_article_also_writes_in_lower_case_is_no_name(find, text, kept):
    _, entities = find(text)
    assert {n for n, _ in names(entities)} - {"Ray Tolland"} == kept


def test_a_ship_is_no_entity(find):
    _, entities = find("Ray Tolland sailed on HMS Chatham to the islands.")
    assert names(entities) == {("Ray Tolland", "PERSON")}


@pytest.mark.parametrize("text,group", [
    ("British troops left. Many Britons were angry with Ray Tolland.", ("British", "NORP")),
    ("Ray Tolland met the Houthis in Sanaa.", ("Houthis", "NORP")),
])
def test_a_people_the_model_reads_as_persons_is_one_group(find, text, group):
    _, entities = find(text)
    assert group in names(entities)
    assert not any(t == "PERSON" for n, t in names(entities) if n != "Ray Tolland")


def test_madame_is_a_title(find):
    _, entities = find("Madame Ottilie Varga visited the school.")
    assert names(entities) == {("Ottilie Varga", "PERSON")}


@pytest.mark.parametrize("text,expected", [
    ("Facebook Inc said on Monday it would act. Facebook shares rose.", {("Facebook Inc", "ORG")}),
    ("Pellworth Foods Corp bought the chain. Pellworth said the deal closed.", {("Pellworth Foods Corp", "ORG")}),
    ("Marsh Tolland and Co said sales rose.", {("Marsh Tolland", "ORG")}),
])
def test_a_company_is_one_node_with_or_without_its_company_word(find, text, expected):
    _, entities = find(text)
    assert names(entities) == expected


def test_a_bracket_glued_to_a_name_is_no_part_of_it(find):
    _, entities = find("The Harbor National Party(HNP) said it would stand.")
    assert ("Harbor National Party", "ORG") in names(entities)


def test_a_country_before_a_name_is_no_personal_title(find):
    _, entities = find("Ray Tolland faces questions in the U.S. Russia inquiry.")
    assert ("Russia", "GPE") in names(entities)


def test_a_party_word_before_a_surname_the_article_writes_again_is_no_part_of_it(find):
    _, entities = find("Democrat Tolland wins the race.\n\nRay Tolland won on Tuesday. Tolland thanked voters.")
    assert names(entities) == {("Ray Tolland", "PERSON")}


def test_one_capitalised_word_whose_plural_the_article_writes_is_no_name(find):
    _, entities = find("Groups said the plan would fail, Ray Tolland said. Many groups agreed.")
    assert names(entities) == {("Ray Tolland", "PERSON")}


@pytest.mark.parametrize("text,district", [
    ("The case was filed in the Eastern District of Texas by Ray Tolland.", "Eastern District of Texas"),
    ("Ray Tolland won House District 28 in November.", "House District 28"),
])
def test_a_judicial_or_electoral_district_is_a_place(find, text, district):
    _, entities = find(text)
    assert (district, "GPE") in names(entities)


@pytest.mark.parametrize("text,expected", [
    ("Ray Tolland won the Ohio Senate race on Tuesday.", {("Ray Tolland", "PERSON")}),
    ("The Ohio Senate will furlough its workers, Ray Tolland said.", {("Ray Tolland", "PERSON"), ("Ohio Senate", "ORG")}),
])
def test_a_chamber_before_a_contest_names_a_race_not_the_chamber(find, text, expected):
    _, entities = find(text)
    assert names(entities) == expected
