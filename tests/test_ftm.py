"""`kg export --format ftm`: FollowTheMoney entities that the followthemoney library validates."""

from __future__ import annotations

import json

import pytest
from followthemoney import model
from typer.testing import CliRunner

from kg.cli import app
from kg.store.embedded import EmbeddedStore
from tests.test_query import fictional_graphs


@pytest.fixture
def written(tmp_path):
    data_dir = tmp_path / "kg-data"
    with EmbeddedStore(data_dir) as store:
        store.write(fictional_graphs())
    path = tmp_path / "graph.ftm.json"
    result = CliRunner().invoke(app, ["export", "-o", str(path), "--data-dir", str(data_dir)], env={"NEO4J_URI": ""})
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    assert result.stdout == f"wrote {len(lines)} FollowTheMoney entities to {path}\n"
    return lines


def test_every_entity_is_valid_for_its_schema(written):
    for data in written:
        assert model.get(data["schema"]).validate(data) is None, data
        assert model.get_proxy(data, cleaned=False).to_dict() == model.get_proxy(data).to_dict()


def test_articles_entities_and_relations_get_fitting_schemata(written):
    schemata = sorted(d["schema"] for d in written)
    assert schemata.count("Article") == 5
    assert schemata.count("Person") == 3
    assert schemata.count("Organization") == 3  # two organisations and a party
    assert schemata.count("LegalEntity") == 1  # the place
    assert schemata.count("Payment") == 4
    assert schemata.count("UnknownLink") == 7  # 3 endorsements, 4 criticisms


def test_a_donation_is_a_payment_with_amount_currency_evidence_and_article(written):
    by_id = {d["id"]: d for d in written}
    payment = next(d for d in written if d["schema"] == "Payment" and d["properties"].get("description") == ["$25,000"])
    props = payment["properties"]
    assert by_id[props["payer"][0]]["properties"]["name"] == ["Northwind Civic Fund"]
    assert by_id[props["beneficiary"][0]]["properties"]["name"] == ["Bram Holloway"]
    assert props["amount"] == ["25000.00"] and props["currency"] == ["USD"]
    assert props["summary"] == ["Northwind Civic Fund DONATED_TO Bram Holloway."]
    assert by_id[props["proof"][0]]["properties"]["title"] == ["Fund gives to Holloway"]
    assert props["date"] == ["2031-05-02"] and props["sourceUrl"] == ["https://news.example/a2"]


def test_endorsements_and_criticisms_are_links_with_their_role(written):
    by_id = {d["id"]: d for d in written}
    roles = sorted((by_id[d["properties"]["subject"][0]]["properties"]["name"][0], d["properties"]["role"][0],
                    by_id[d["properties"]["object"][0]]["properties"]["name"][0])
                   for d in written if d["schema"] == "UnknownLink")
    assert ("Ada Quill", "endorses", "Bram Holloway") in roles
    assert ("Cleo Marsh", "criticized", "Port Evren") in roles
