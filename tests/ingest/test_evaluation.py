"""The evaluation harness (manage.py evaluate_extraction) and the development set it scores.

The thresholds are just under what the parser reached on tests/ingest/eval/dev when it was
last tuned (README: "How well the parser reads new texts"): a change that reads the development
texts worse fails here. The test part (tests/ingest/eval/test) is scored by hand, not here."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.core.text import _converter
from apps.ingest.evaluation import Found, Report, evaluate, evaluation_pairs, is_fragment, same_name, score_text
from apps.ingest.parser import parse_article

EVAL = Path(__file__).parent / "eval"
DEV = EVAL / "dev"


def parse(text, year):
    return parse_article(text, title="t", reference_year=year)


@pytest.mark.parametrize(
    ("gold", "found", "same"),
    [
        ("瀘州市", "泸州市", True),  # script
        ("川渝通办", "“川渝通辦”", True),  # quote marks
        ("成渝世界级机场群", "成渝世界级机场", True),  # contained, 1 character apart
        ("渝昆高铁川渝段", "渝昆高铁", False),  # 3 characters apart
        ("重庆市", "江北区", False),
    ],
)
def test_the_matching_rule(gold, found, same):
    assert same_name(gold, found) is same


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("将提升园区", True), ("黄玉林表示", True), ("泸永江融合发展示范区", False), ("发展的", True)],
)
def test_clause_fragments_are_flagged(name, fragment):
    assert is_fragment(name) is fragment


def test_scores_false_positives_statuses_and_dates():
    report = Report()
    gold = {
        "projects": [{"name": "成自宜高铁", "status": "building"}],
        "places": ["内江市"],
        "milestones": [
            {
                "title": "成自宜高铁建成通车",
                "must": ["成自宜", "通车"],
                "date": "2022-12-21",
                "precision": "late_month",
                "status": "planned",
            }
        ],
    }
    found = {
        kind: []
        for kind in ("places", "organizations", "initiatives", "projects", "agreements", "documents", "milestones")
    }
    found["projects"] = [Found("成自宜高铁", "open"), Found("提升园区", "unknown")]
    found["milestones"] = [Found("预计成自宜高铁明年底建成通车", "planned", "2022-12-21", "late_month")]
    score_text(report, "t", gold, found)
    assert (report.kinds["projects"].matched, report.kinds["projects"].found, report.kinds["places"].recall) == (
        1,
        2,
        0.0,
    )
    assert (report.project_status.right, report.project_status.total) == (0, 1)
    assert (report.milestone_dates.right, report.milestone_dates.total) == (1, 1)
    assert report.false_positives == [("t", "projects", "提升园区")]


def test_the_development_set_is_large_enough_and_in_both_scripts():
    pairs = evaluation_pairs(DEV)
    assert len(pairs) >= 8 and len(evaluation_pairs(EVAL / "test")) >= 3
    scripts = {text == _converter("t2s").convert(text) for _, text, _ in pairs}
    assert scripts == {True, False}  # some Simplified, some Traditional


THRESHOLDS = {  # (precision, recall) just under the figures reached on the development set
    "places": (0.88, 0.88),
    "organizations": (0.95, 0.70),
    "initiatives": (0.85, 0.85),
    "projects": (0.85, 0.92),
    "documents": (0.95, 0.95),
    "milestones": (0.95, 0.95),
}


@pytest.fixture(scope="module")
def dev_report():
    return evaluate(DEV, parse)


@pytest.mark.parametrize("kind", THRESHOLDS)
def test_the_parser_on_the_development_set(dev_report, kind):
    precision, recall = THRESHOLDS[kind]
    score = dev_report.kinds[kind]
    assert score.precision >= precision and score.recall >= recall, (kind, score)


def test_overall_status_and_date_accuracy_on_the_development_set(dev_report):
    overall = dev_report.overall
    assert overall.precision >= 0.88 and overall.recall >= 0.90, overall
    assert dev_report.project_status.value >= 0.9
    assert dev_report.milestone_dates.value >= 0.95
    assert dev_report.document_dates.value >= 0.95 and dev_report.document_dates.total >= 5


def test_a_document_dated_wrongly_or_dated_where_the_text_gives_no_date_counts_as_wrong():
    report = Report()
    gold = {"documents": [{"name": "甲方案", "status": "issued", "date": "2025-06-01", "precision": "month"},
                          {"name": "乙方案", "status": "referenced", "date": None, "precision": None},
                          {"name": "丙方案", "status": "issued", "date": "2025-06-26", "precision": "day"}]}
    found = {kind: [] for kind in ("places", "organizations", "initiatives", "projects", "agreements",
                                   "documents", "milestones")}
    found["documents"] = [Found("甲方案", "issued", "2025-06-01", "day"),  # finer than the text
                          Found("乙方案", "referenced", "2025-01-01", "year"),  # a date the text does not give
                          Found("丙方案", "issued", "2025-06-26", "day")]
    score_text(report, "t", gold, found)
    assert (report.document_dates.right, report.document_dates.total) == (1, 3)


@pytest.mark.parametrize(
    ("name", "text", "gold"),
    evaluation_pairs(DEV) + evaluation_pairs(EVAL / "test"),
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else "",
)
def test_traditional_and_simplified_give_the_same_records(name, text, gold):
    simplified = _converter("t2s").convert(text)
    traditional = _converter("s2t").convert(text)
    a, b = parse(simplified, gold["year"]), parse(traditional, gold["year"])
    for kind in ("places", "organizations", "initiatives", "projects", "agreements", "documents", "milestones"):
        assert set(getattr(a, kind)) == set(getattr(b, kind)), kind
    assert {k: p.status for k, p in a.projects.items()} == {k: p.status for k, p in b.projects.items()}


def test_the_command_prints_the_table_and_every_false_positive():
    out = StringIO()
    call_command("evaluate_extraction", str(DEV), stdout=out)
    text = out.getvalue()
    assert "| projects |" in text and "false positives (" in text and "milestone date accuracy" in text


def test_the_command_refuses_a_directory_without_pairs(tmp_path):
    with pytest.raises(CommandError, match=r"no NAME\.txt"):
        call_command("evaluate_extraction", str(tmp_path), stdout=StringIO())
