"""The review queue: what a report proposes waits for staff, and nothing of it is public until
it is accepted. Built from a slice of the real 2026 Chongqing report (the paragraph that says
渝昆高铁川渝段 is 建成投用, where the seed plan says 已批复)."""

import csv
import datetime
import json
from pathlib import Path

import pytest
from django.urls import reverse

from apps.core.text import to_simplified
from apps.ingest.decisions import accept, merge, reject
from apps.ingest.models import Candidate
from apps.ingest.pipeline import parse_article
from apps.ingest.queue import propose
from apps.kb.models import Initiative, Passage, Project, Source
from apps.search.engine import search
from apps.search.index import batch

pytestmark = pytest.mark.django_db
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "provincial-reports-2026"
QUEUE = "admin:ingest_candidate_changelist"
NEW_PROJECT = "嘉陵江利泽航运枢纽"  # named in the report, not in the seed


def report_slice(province: str, *words: str) -> tuple[str, dict]:
    """The paragraphs of a province's report that contain one of ``words``, and its metadata."""
    path = CORPUS / f"2026_{province}_政府工作报告.csv"
    if not path.exists():
        pytest.skip(f"the corpus is not here ({path})")
    csv.field_size_limit(10**8)
    with path.open(encoding="utf-8-sig", newline="") as f:
        row = next(csv.DictReader(f))
    paragraphs = [p.strip() for p in row["full_text"].splitlines() if any(w in p for w in words)]
    return "\n".join(paragraphs), row


def store(text: str, row: dict):
    """The document as the corpus import stores it: a Source and its Passages, indexed."""
    published = datetime.date.fromisoformat(row["publish_date"][:10])
    parsed = parse_article(text, title=row["title"], published=published)
    with batch():
        source = Source.objects.create(
            slug=parsed.key,
            title=parsed.title,
            text=parsed.text,
            script=parsed.script,
            reference_year=parsed.reference_year,
            published=published,
        )
        for p in parsed.passages:
            Passage.objects.create(source=source, position=p.position, kind=p.kind, section=p.section, text=p.text)
    return source, parsed


@pytest.fixture
def chongqing(plan):
    source, parsed = store(*report_slice("重庆市", "渝昆高铁"))
    propose(source, parsed)
    return source


def row_of(source, name) -> Candidate:
    return Candidate.objects.get(source=source, name=name)


# ---------------------------------------------------------------- proposing


def test_records_from_the_fixtures_count_as_accepted(plan):
    assert Project.objects.exists() and not Candidate.objects.exists()


def test_propose_queues_candidates_and_creates_no_record(plan):
    source, parsed = store(*report_slice("重庆市", "渝昆高铁"))
    projects, initiatives = Project.objects.count(), Initiative.objects.count()
    added = propose(source, parsed)
    assert added == Candidate.objects.filter(source=source).count() > 5
    assert Project.objects.count() == projects and Initiative.objects.count() == initiatives
    assert set(Candidate.objects.values_list("status", flat=True)) == {"pending"}
    new = row_of(source, NEW_PROJECT)
    assert new.action == "new" and new.kind == "projects" and new.fields["status"] == "open"
    assert new.passage.source == source and NEW_PROJECT in new.passage.text and NEW_PROJECT in new.quote
    assert 0 <= new.confidence <= 1
    assert propose(source, parsed) == 0  # proposing again adds nothing
    assert Candidate.objects.filter(source=source).count() == added


def test_a_different_status_is_an_update_with_both_sentences(chongqing):
    seed = Project.objects.get(slug="渝昆高铁川渝段")
    update = row_of(chongqing, "渝昆高铁川渝段")
    assert update.action == "update" and update.target == seed
    assert update.changes == {"status": ["approved", "open"]}
    assert "建成投用" in update.quote and "力爭" in seed.quote
    assert seed.status == "approved"  # not overwritten


def test_an_identical_record_is_not_proposed_again(chongqing):
    # 成渝地区双城经济圈 is in the seed (Traditional) and the report says nothing new about it.
    assert Initiative.objects.filter(slug="成渝地区双城经济圈").exists()
    assert not Candidate.objects.filter(source=chongqing, key="成渝地区双城经济圈").exists()
    assert not Candidate.objects.filter(source=chongqing, kind="places", name="重庆市").exists()


def test_the_queue_shows_each_candidate_beside_its_sentence(chongqing, client, viewer):
    client.force_login(viewer)
    body = client.get(reverse(QUEUE), {"source__id__exact": chongqing.pk}).content.decode()
    assert f"<mark>{NEW_PROJECT}</mark>" in body
    # The update shows the record's sentence and the new one, and what would change.
    # The page reads in the reader's script (Simplified by default), the sentence too.
    assert "已有记录：" in body and "力争「十四五」期间建成通车" in body and "建成投用" in body
    assert "状态：已批复/入选 → 已建成/开通" in body


# ---------------------------------------------------------------- hidden until accepted


def public_pages(client) -> str:
    pages = [
        reverse("kb:home"),
        reverse("kb:project-list"),
        reverse("kb:project-list") + "?format=csv",
        reverse("kb:project-list") + "?format=json",
        reverse("kb:initiative-list"),
        reverse("kb:timeline"),
    ]
    return "".join(client.get(url).content.decode() for url in pages)


def test_a_candidate_is_public_only_once_accepted(chongqing, client, planner):
    assert NEW_PROJECT not in public_pages(client)
    assert search(NEW_PROJECT).counts.get("project", 0) == 0
    api = client.get("/api/search", {"q": NEW_PROJECT, "kind": "project"})
    assert json.loads(api.content)["count"] == 0

    client.force_login(planner)
    row = row_of(chongqing, NEW_PROJECT)
    response = client.post(reverse(QUEUE), {"action": "accept_selected", "_selected_action": [row.pk]})
    assert response.status_code == 302
    client.logout()

    project = Project.objects.get(name=NEW_PROJECT)
    assert project.status == "open" and project.evidence.get() == row.passage and NEW_PROJECT in project.quote
    assert project.history.first().history_user == planner
    assert NEW_PROJECT in public_pages(client)
    assert search(NEW_PROJECT).counts.get("project", 0) == 1
    row.refresh_from_db()
    assert (row.status, row.reviewer, row.target) == ("accepted", planner, project)


def test_accepting_an_update_changes_the_record_with_history(chongqing, planner):
    update = row_of(chongqing, "渝昆高铁川渝段")
    outcome = accept(candidates=[update], user=planner)
    assert not outcome.refused
    seed = Project.objects.get(slug="渝昆高铁川渝段")
    assert seed.status == "open" and "建成投用" in seed.quote
    assert update.passage in seed.evidence.all() and seed.evidence.count() > 1
    latest, before = seed.history.all()[:2]
    assert latest.history_user == planner and before.status == "approved"


def test_merge_adds_evidence_and_changes_no_field(chongqing, planner):
    row = row_of(chongqing, NEW_PROJECT)
    target = Project.objects.exclude(slug="渝昆高铁川渝段").first()
    fields = (target.name, target.status, target.quote)
    outcome = merge(candidates=[row], target=target, user=planner)
    assert not outcome.refused
    target.refresh_from_db()
    assert (target.name, target.status, target.quote) == fields
    assert row.passage in target.evidence.all()
    assert target.history.first().history_user == planner
    row.refresh_from_db()
    assert row.status == "merged" and row.target == target
    assert not Project.objects.filter(name=NEW_PROJECT).exists()


def test_merge_through_the_admin_page(chongqing, client, planner):
    client.force_login(planner)
    row = row_of(chongqing, NEW_PROJECT)
    target = Project.objects.exclude(slug="渝昆高铁川渝段").first()
    data = {"action": "merge_selected", "_selected_action": [row.pk]}
    page = client.post(reverse(QUEUE), {**data, "q": target.name[:3]})
    # The page reads in the reader's script (Simplified by default).
    assert page.status_code == 200 and to_simplified(str(target)) in page.content.decode()
    response = client.post(reverse(QUEUE), {**data, "apply": "1", "target": target.pk})
    assert response.status_code == 302
    assert row.passage in target.evidence.all()
    for bad in ["", "abc", "99999999999999999999999", "-1", "<script>"]:
        assert client.post(reverse(QUEUE), {**data, "apply": "1", "target": bad}).status_code == 200


def test_rejected_and_decided_candidates_are_not_decided_again(chongqing, planner):
    row = row_of(chongqing, NEW_PROJECT)
    assert reject(candidates=[row], user=planner).done
    outcome = accept(candidates=[row], user=planner)
    assert outcome.refused and not outcome.done
    assert not Project.objects.filter(name=NEW_PROJECT).exists()


# ---------------------------------------------------------------- who may decide

MATRIX = {  # (sees the queue, may accept)
    "anonymous": (False, False),
    "viewer": (True, False),
    "planner": (True, True),
    "superuser": (True, True),
}


@pytest.mark.parametrize("who", list(MATRIX))
@pytest.mark.parametrize("decision", ["accept_selected", "reject_selected", "merge_selected"])
def test_permission_matrix(chongqing, client, request, who, decision):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    sees, decides = MATRIX[who]
    response = client.get(reverse(QUEUE))
    assert (response.status_code == 200) == sees
    if sees:
        assert ("accept_selected" in response.content.decode()) == decides
    row = row_of(chongqing, NEW_PROJECT)
    target = Project.objects.first()
    client.post(reverse(QUEUE), {"action": decision, "_selected_action": [row.pk], "apply": "1", "target": target.pk})
    row.refresh_from_db()
    assert (row.status != "pending") == decides


def test_rights_are_checked_per_kind(chongqing, planner):
    from django.contrib.auth.models import Permission

    planner.user_permissions.set([])
    group = planner.groups.get()
    group.permissions.remove(Permission.objects.get(codename="add_project"))
    planner = type(planner).objects.get(pk=planner.pk)  # fresh permission cache
    outcome = accept(candidates=[row_of(chongqing, NEW_PROJECT)], user=planner)
    assert not outcome.done and "权限" in outcome.refused[0][1]


# ---------------------------------------------------------------- hostile filters

HOSTILE = [
    "<script>alert(1)</script>",
    "abc",
    "99999999999999999999999",
    "-1",
    '"OR 1=1 --',
    "ｓ\ufb03",
    "渝昆 NEAR(高铁) *",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
]


@pytest.mark.parametrize(
    "param", ["source__id__exact", "kind__exact", "confidence", "status__exact", "action__exact", "q", "o", "p"]
)
def test_hostile_queue_filters_give_no_server_error(chongqing, client, viewer, param):
    client.force_login(viewer)
    for value in HOSTILE:
        response = client.get(reverse(QUEUE), {param: value})
        assert response.status_code < 500, (param, value)
        assert "<script>alert(1)</script>" not in response.content.decode()


def test_filters_by_confidence_and_kind(chongqing, client, viewer):
    client.force_login(viewer)
    low = Candidate.objects.filter(confidence__lt=0.5)
    high = Candidate.objects.filter(confidence__gte=0.8)
    response = client.get(reverse(QUEUE), {"confidence": "high", "kind__exact": "projects"})
    shown = {c.pk for c in response.context["cl"].result_list}
    assert shown == set(high.filter(kind="projects").values_list("pk", flat=True))
    assert not shown & set(low.values_list("pk", flat=True))


def test_proposing_costs_a_fixed_number_of_queries(plan, django_assert_max_num_queries):
    source, parsed = store(*report_slice("重庆市", "渝昆高铁", "成渝", "川渝"))
    assert parsed.candidate_count > 30
    with django_assert_max_num_queries(25):  # per kind, not per candidate
        assert propose(source, parsed) > 30


def test_accepting_a_batch_links_within_it_and_to_records_there(chongqing, planner):
    projects = Candidate.objects.filter(source=chongqing, kind="projects", action="new")
    linked = [c for c in projects if c.fields.get("places")]
    assert linked, "the report places some projects"
    pending = list(Candidate.objects.filter(source=chongqing, action="new"))
    outcome = accept(candidates=pending, user=planner)
    assert not outcome.refused, outcome.refused[:3]
    for c in linked:  # 江北区 is proposed in the same batch, 重庆市 is in the seed
        project = Project.objects.get(slug=c.key)
        assert set(project.places.values_list("slug", flat=True)) == set(c.fields["places"])


def test_the_queue_is_in_the_admin_index_for_staff_who_may_view(chongqing, client, viewer):
    client.force_login(viewer)
    body = client.get(reverse("admin:index")).content.decode()
    assert reverse(QUEUE) in body and "审核队列" in body


@pytest.mark.hostile
def test_every_hostile_payload_in_every_queue_parameter(chongqing, client, planner):
    """The sweep of tests/security (kb's admin only) applied to the queue: its changelist's
    parameters and filters, the merge page's fields, and the candidate's own admin URLs."""
    from tests.security.payloads import PAYLOADS

    client.force_login(planner)
    changelist = reverse(QUEUE)
    cl = client.get(changelist).context["cl"]
    params = ["q", "o", "p", "all", "e", "_to_field", "_popup", "_facets", "kind", "status", "confidence"]
    params += [p for spec in cl.filter_specs for p in spec.expected_parameters()]
    row = row_of(chongqing, NEW_PROJECT)
    merge = f"action=merge_selected&_selected_action={row.pk}"
    failures = []
    for payload in PAYLOADS:
        requests = [("GET", changelist, f"{param}={payload}") for param in dict.fromkeys(params)]
        requests += [
            ("POST", changelist, f"{merge}&apply=1&target={payload}"),
            ("POST", changelist, f"{merge}&q={payload}"),
            ("POST", changelist, f"action={payload}&_selected_action={row.pk}"),
            ("POST", changelist, f"action=accept_selected&_selected_action={payload}"),
        ]
        requests += [("GET", reverse("admin:ingest_candidate_change", args=["X"]).replace("X", payload), "")]
        for method, path, raw in requests:
            if method == "GET":
                response = client.get(path, QUERY_STRING=raw)
            else:
                response = client.post(path, data=raw, content_type="application/x-www-form-urlencoded")
            if response.status_code >= 500 or b"<script>alert(1)</script>" in response.content:
                failures.append((method, path, raw, response.status_code))
    assert not failures, failures[:10]
    row.refresh_from_db()
    assert row.status == "pending"


@pytest.mark.parametrize(
    "changelist, action", [(QUEUE, "accept_selected"), ("admin:kb_project_changelist", "mark_open")]
)
def test_a_bulk_action_on_ids_that_are_not_ids_is_refused_with_a_message(
    chongqing, client, planner, changelist, action
):
    client.force_login(planner)
    for bad in ["abc", "99999999999999999999999", "１x", ""]:
        response = client.post(reverse(changelist), {"action": action, "_selected_action": [bad]})
        assert response.status_code == 302, bad


# ---------------------------------------------------------------- the admin import uses the queue


def test_the_admin_import_can_send_its_reviewed_draft_to_the_queue(plan, client, planner):
    from apps.ingest.models import ImportDraft
    from tests.kb.importing import field, page_fields, start_review

    client.force_login(planner)
    known = Project.objects.create(slug="成自宜高铁内江段", name="成自宜高鐵內江段", kind="railway", status="building")
    projects = set(Project.objects.values_list("pk", flat=True))
    url, page = start_review(client)
    form = page_fields(page)
    form[field(page, "内自快速通道", "DELETE")] = "on"  # dropped by the reviewer: not queued
    form[field(page, "成自宜高铁", "merge_into")] = "r:project:成自宜高铁内江段"  # matched by the reviewer
    form[field(page, "G321内江至自贡段改造工程", "name")] = "G321线内江至自贡段改造工程"  # renamed: queued so
    response = client.post(url, {**form, "_queue": "送审核队列"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    source = Source.objects.get(title="内自同城化加快推进")
    assert response["Location"].endswith(f"?source__id__exact={source.pk}")
    assert source.passages.count() > 5 and not ImportDraft.objects.exists()
    assert set(Project.objects.values_list("pk", flat=True)) == projects  # nothing public yet
    queued = Candidate.objects.filter(source=source)
    names = set(queued.values_list("name", flat=True))
    assert "G321线内江至自贡段改造工程" in names and "内自快速通道" not in names
    # A candidate the reviewer matched to a record there is queued as a merge into it, and so is
    # one whose slug a record has (重庆市 of the seed).
    merge_row = queued.get(kind="projects", name="成自宜高铁")
    assert merge_row.action == "merge" and merge_row.target == known
    assert queued.get(kind="places", key="重庆市").action == "merge"
    assert accept(candidates=[merge_row], user=planner).done
    known.refresh_from_db()
    assert known.evidence.filter(source=source).exists() and known.name == "成自宜高鐵內江段"
    assert known.history.first().history_user == planner
    merge_row.refresh_from_db()
    assert merge_row.status == "merged"
