"""Every rule in apps/ingest/rules/*.toml carries an example sentence; each runs here through
the whole parser, so a rule that stops working (or an example that never worked) fails."""

import datetime

import pytest

from apps.core.text import normalise
from apps.ingest.dates import find_dates
from apps.ingest.parser import parse_article
from apps.ingest.rules import table


def parse(text, **kw):
    kw.setdefault("reference_year", 2020)
    return parse_article(text, title="t", **kw)


def names(records, field="name"):
    return {normalise(getattr(r, field)) for r in records.values()}


def examples(file, *sections):
    rows = []
    for section in sections:
        for row in table(file).get(section, []):
            rows.append(pytest.param(row, id=f"{section}:{row.get('suffix') or row.get('word') or row.get('name')}"))
    return rows


@pytest.mark.parametrize("rule", examples("projects", "suffix", "list_noun"))
def test_project_rules(rule):
    assert normalise(rule["name"]) in names(parse(rule["example"]).projects)


@pytest.mark.parametrize("rule", examples("initiatives", "suffix"))
def test_initiative_rules(rule):
    assert normalise(rule["name"]) in names(parse(rule["example"]).initiatives)


def test_quoted_initiative_rule():
    rule = table("initiatives")["quoted"]
    assert normalise(rule["name"]) in names(parse(rule["example"]).initiatives)


@pytest.mark.parametrize("rule", examples("organizations", "body", "suffix"))
def test_organization_rules(rule):
    assert normalise(rule["name"]) in names(parse(rule["example"]).organizations)


def test_department_rule():
    org = table("organizations")
    found = names(parse(org["department_example"]).organizations)
    assert {normalise(n) for n in org["department_names"]} <= found


@pytest.mark.parametrize("status", ["open", "building", "approved", "planned"])
def test_project_status_triggers(status):
    (project,) = parse(table("statuses")["project"][f"example_{status}"]).projects.values()
    assert project.status == status


def test_plan_of_the_year_rule():
    projects = {
        normalise(p.name): p.status for p in parse(table("statuses")["plan_of_year"]["example"]).projects.values()
    }
    assert projects == {"黔江至吉首高铁重庆段": "planned", "福寿岩水库": "planned", "奉节至建始高速": "building"}


@pytest.mark.parametrize("status", ["issued", "drafting"])
def test_document_status_triggers(status):
    (document,) = parse(table("statuses")["document"][f"example_{status}"]).documents.values()
    assert document.status == status


def test_planned_marks_make_a_planned_milestone():
    (milestone,) = parse(table("statuses")["planned_marks"]["example"]).milestones.values()
    assert milestone.status == "planned"


def test_reported_speech_dates_no_milestone():
    assert parse(table("words")["speech"]["example"]).milestones == {}


def test_a_byline_holds_no_place():
    article = parse(table("words")["credits"]["example"])
    assert "南溪区" not in article.places
    assert "川南经济区" in article.places


@pytest.mark.parametrize("example", table("dates")["example"], ids=lambda e: e["text"])
def test_date_phrases(example):
    published = datetime.date.fromisoformat(example["published"]) if "published" in example else None
    (found,) = find_dates(normalise(example["text"]), 2020, published)
    assert (found.date.isoformat(), found.precision) == (example["date"], example["precision"])


@pytest.mark.parametrize(
    "place", table("places")["place"] + table("places")["abbreviation"], ids=lambda p: p.get("name") or p.get("char")
)
def test_place_rules(place):
    article = parse(place["example"])
    assert (place.get("name") or place["place"]) in {p.name for p in article.places.values() if not p.implied}
