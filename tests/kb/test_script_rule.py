"""One script for every surface (issue 12, item 1): every page, snippet, facet, export, feed,
API answer, admin page and the import review, crawled in both modes and checked character by
character; ``?script=`` on any URL; and forms shown converted never rewrite stored text."""

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from apps.core.text import to_simplified, to_traditional
from apps.ingest.models import Candidate
from apps.kb.models import (
    Agreement,
    Initiative,
    Milestone,
    Organization,
    Passage,
    Place,
    PolicyDocument,
    Project,
    Source,
)

from .importing import ARTICLE, IMPORT
from .script_crawl import simplified_only, traditional_only, visible_pieces

pytestmark = pytest.mark.django_db

RECORDS = [Initiative, Project, Agreement, PolicyDocument, Place, Organization, Milestone]
LISTS = ["initiative", "project", "agreement", "document", "place", "organization"]
ADMIN_MODELS = [*RECORDS, Source, Passage]
SAMPLE = 3  # admin change forms and histories per model (every record's public page is crawled)


def public_urls() -> list[str]:
    urls = [
        "/",
        reverse("kb:timeline"),
        reverse("kb:timeline") + "?view=all",
        reverse("kb:milestone-feed"),
        reverse("kb:source-list"),
    ]
    for name in LISTS:
        url = reverse(f"kb:{name}-list")
        urls += [url, url + "?format=csv", url + "?format=json"]
    urls += [reverse("kb:timeline") + "?format=csv", reverse("kb:agreement-list") + "?place=重庆市"]
    for model in RECORDS:
        urls += [r.get_absolute_url() for r in model.objects.all()]
    for source in Source.objects.all():
        urls.append(source.get_absolute_url())
        quoted = Project.objects.exclude(quote="").first()
        urls.append(f"{source.get_absolute_url()}?mark={quoted.quote}")
    search, api = reverse("search:search"), reverse("search:api")
    for q in ("泸州", "高铁", "瀘州 合作", "渝昆高铁川渝段", "没有这个词"):
        urls += [f"{search}?q={q}", f"{api}?q={q}"]
    return urls


def admin_urls() -> list[str]:
    urls = [reverse("admin:index"), reverse(IMPORT)]
    for model in ADMIN_MODELS:
        info = model._meta.app_label, model._meta.model_name
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        for pk in model.objects.order_by("pk").values_list("pk", flat=True)[:SAMPLE]:
            urls += [
                reverse("admin:{}_{}_change".format(*info), args=[pk]),
                reverse("admin:{}_{}_history".format(*info), args=[pk]),
            ]
    urls.append(reverse("admin:ingest_candidate_changelist"))
    urls += [
        reverse("admin:ingest_candidate_change", args=[pk])
        for pk in Candidate.objects.values_list("pk", flat=True)[:SAMPLE]
    ]
    project = Project.objects.get(slug="渝昆高铁川渝段")
    version = project.history.earliest()
    urls += [
        reverse("admin:kb_project_history", args=[project.pk]),
        reverse("admin:kb_project_simple_history", args=[project.pk, version.history_id]),
        reverse("admin:autocomplete") + "?app_label=kb&model_name=policydocument&field_name=issuer&term=泸州",
        reverse("admin:kb_project_changelist") + "?q=高铁",
    ]
    return urls


def queue_the_article(client):
    """A second draft of the article sent to the review queue, as the review's queue button does."""
    draft = client.post(
        reverse(IMPORT), {"title": "", "reference_year": "2021", "step": "解析并预览", "text": to_traditional(ARTICLE)}
    )
    url = draft["Location"]
    data = {k: v[0] if len(v) == 1 else v for k, v in posted(client.get(url).content.decode(), "").items()}
    queued = client.post(url, {**data, "_queue": "只保存原文，保留的记录送审核队列"})
    assert queued.status_code == 302 and Candidate.objects.exists(), queued.content.decode()[:500]
    return Candidate.objects.first().source


@pytest.fixture(scope="module")
def crawled(loaded_plan, django_db_blocker):
    """Every URL above in both modes, fetched once for the module's tests: {mode: [(url, response)]}."""
    with django_db_blocker.unblock():
        user = User.objects.create_superuser("script-root", password="pw-root-1")
        project = Project.objects.get(slug="渝昆高铁川渝段")
        project.status = Project.Status.UNDER_CONSTRUCTION  # a history with a change in it
        project.save()
        client = Client()
        client.force_login(user)
        review = client.post(
            reverse(IMPORT),
            {"title": "", "reference_year": "2021", "step": "解析并预览", "text": to_traditional(ARTICLE)},
        )
        assert review.status_code == 302, review.content.decode()[:500]
        queued = queue_the_article(client)  # the review queue then holds the article's Traditional candidates
        urls = public_urls() + admin_urls() + [review["Location"]]
        fetched = {}
        for mode in ("simp", "orig"):
            fetched[mode] = []
            client.cookies["script"] = mode  # as the header's toggle leaves it (?script= is tested below)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                fetched[mode].append((url, response))
        user.delete()
        Candidate.objects.all().delete()
        queued.delete()  # the module's other tests see the plan as loaded
        project.status = Project.Status.APPROVED
        project.save()
    return fetched


@pytest.fixture(scope="module")
def written(loaded_plan, django_db_blocker) -> frozenset[str]:
    """The characters the Traditional originals write (their own spelling is shown as written)."""
    with django_db_blocker.unblock():
        texts = Source.objects.filter(script=Source.Script.TRADITIONAL).values_list("text", flat=True)
        return frozenset("".join(texts)) | frozenset(to_traditional(ARTICLE))


def test_the_crawl_covers_every_surface(crawled):
    kinds = {response.get("Content-Type", "").split(";")[0] for _, response in crawled["simp"]}
    assert {"text/html", "text/csv", "application/json", "application/atom+xml"} <= kinds
    urls = [url for url, _ in crawled["simp"]]
    for part in (
        "/admin/kb/project/",
        "/change/",
        "/history/",
        "/admin/kb/source/import/",
        "/api/search",
        "/search/?q=",
        "format=csv",
        "format=json",
        "/timeline/feed/",
        "/sources/",
        "/milestones/",
    ):
        assert any(part in url for url in urls), part
    assert len(urls) > 150


def test_simplified_mode_shows_no_traditional_only_character(crawled):
    offences = []
    for url, response in crawled["simp"]:
        pieces, lang = visible_pieces(response)
        offences += traditional_only(pieces, url)
        if lang is not None:
            assert lang.lower() == "zh-hans", url
    assert not offences, f"{len(offences)} Traditional characters in the Simplified mode:\n" + "\n".join(
        map(str, offences[:30])
    )


def test_traditional_mode_reads_traditional_and_says_so(crawled, written):
    offences = []
    for url, response in crawled["orig"]:
        pieces, lang = visible_pieces(response)
        offences += simplified_only(pieces, url, written)
        if lang is not None:
            assert lang == "zh-Hant", url
    assert not offences, f"{len(offences)} Simplified characters in the Traditional mode:\n" + "\n".join(
        map(str, offences[:30])
    )


def test_the_check_fails_when_the_conversion_is_off(plan, settings, written):
    """The rule can fail: without the response's conversion, the seed's Traditional names and
    quotes show in the Simplified mode and the labels stay Simplified in the Traditional one."""
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "apps.kb.script.ScriptMiddleware"]
    client = Client()
    simp = orig = 0
    for url in [
        "/",
        reverse("kb:project-list") + "?format=csv",
        reverse("search:api") + "?q=泸州",
        reverse("kb:milestone-feed"),
    ]:
        simp += len(traditional_only(visible_pieces(client.get(url))[0], url))
        orig += len(simplified_only(visible_pieces(client.get(url, {"script": "orig"}))[0], url, written))
    assert simp > 0 and orig > 0


# ---------------------------------------------------------------- what the modes show


def page(client, url, **params):
    return client.get(url, params).content.decode()


def test_search_snippets_mark_the_query_in_the_readers_script(plan, client):
    simp = page(client, reverse("search:search"), q="高铁")
    assert "<mark>高铁</mark>" in simp and "高鐵" not in simp
    orig = page(client, reverse("search:search"), q="高铁", script="orig")
    assert "<mark>高鐵</mark>" in orig


def test_the_source_page_shows_a_traditional_original_exactly_as_written(plan, client):
    source = Source.objects.get()
    orig = page(client, source.get_absolute_url(), script="orig")
    for passage in source.passages.all():
        assert passage.text in orig  # s2t would write 佈局 and 集羣 where the article wrote 布局, 集群
    assert any(to_traditional(p.text) != p.text for p in source.passages.all())  # so this proves something
    assert "轉換自簡體" not in orig
    simp = page(client, source.get_absolute_url(), script="simp")  # the cookie says orig now
    assert "转换自繁体" in simp and all(to_simplified(p.text) in simp for p in source.passages.all())


def test_a_simplified_source_is_converted_and_marked_as_converted(db, client):
    source = Source.objects.create(
        slug="simp-source",
        title="泸州发布",
        script=Source.Script.SIMPLIFIED,
        reference_year=2021,
        text="泸州产业集群布局。",
    )
    Passage.objects.create(source=source, position=1, text="泸州产业集群布局。")
    orig = page(client, source.get_absolute_url(), script="orig")
    assert "瀘州產業集羣佈局。" in orig and "轉換自簡體" in orig
    simp = page(client, source.get_absolute_url(), script="simp")
    assert "泸州产业集群布局。" in simp and "转换自" not in simp


def test_the_choice_travels_in_a_link_and_stays_in_the_cookie(plan, client):
    response = client.get(reverse("kb:project-list"), {"script": "orig"})
    assert response.cookies["script"].value == "orig"
    assert '<html lang="zh-Hant">' in response.content.decode()
    again = client.get(reverse("kb:agreement-list"))  # no parameter: the cookie remembers
    assert '<html lang="zh-Hant">' in again.content.decode() and "合作協議" in again.content.decode()
    assert "Cookie" in again["Vary"]
    back = client.get(reverse("kb:home"), {"script": "simp"})
    assert back.cookies["script"].value == "simp" and '<html lang="zh-Hans">' in back.content.decode()
    assert client.get(reverse("kb:home"), {"script": "bogus"}).status_code == 200  # ignored, not an error


def test_the_toggle_does_not_go_back_to_a_link_that_chooses_again(plan, client):
    response = client.post(reverse("kb:set-script"), {"script": "simp", "next": "/projects/?script=orig&kind=railway"})
    assert response["Location"] == "/projects/?kind=railway" and response.cookies["script"].value == "simp"


def test_a_form_typed_into_is_not_converted(plan, admin_client):
    """The import form posts back what was pasted: its fields are marked translate="no"."""
    response = admin_client.post(
        reverse(IMPORT), {"title": "瀘州", "reference_year": "2021", "step": "解析并预览", "text": ""}
    )
    body = response.content.decode()
    assert 'value="瀘州"' in body


# ---------------------------------------------------------------- forms posted back converted


class PostedForm(HTMLParser):
    """The fields of the form with id ``form_id`` as a browser posts them, from the HTML the
    reader got (converted), not from the form's Python values."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.data = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id", "") == self.form_id
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data.append((a["name"], a.get("value", "on")))
            elif kind not in {"submit", "button", "file", "image", "reset"}:
                self.data.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.data.append((self.select, a.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea is not None:
            name, value = self.textarea
            self.data.append((name, value.removeprefix("\n").replace("\n", "\r\n")))  # as a browser posts it
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.inside = False


def posted(html, form_id) -> dict:
    parser = PostedForm(form_id)
    parser.feed(html)
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    return data


STORED = ["name", "title", "quote", "description", "date_text", "text", "section"]


def stored(record):
    record.refresh_from_db()
    return {f: getattr(record, f) for f in STORED if hasattr(record, f)}


@pytest.mark.parametrize("mode", ["simp", "orig"])
@pytest.mark.parametrize(
    ("model", "slug"), [(Project, "渝昆高铁川渝段"), (Milestone, None), (Initiative, None), (Source, None)]
)
def test_saving_an_unchanged_admin_form_changes_nothing(plan, admin_client, mode, model, slug):
    record = model.objects.get(slug=slug) if slug else model.objects.order_by("pk").first()
    before = stored(record)
    passages = {p.pk: p.text for p in Passage.objects.all()}
    assert any(to_simplified(v) != v for v in before.values() if isinstance(v, str)) or model is Source
    url = reverse(f"admin:kb_{model._meta.model_name}_change", args=[record.pk])
    html = page(admin_client, url, script=mode)
    response = admin_client.post(url, {**posted(html, f"{model._meta.model_name}_form"), "_save": "保存"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert stored(record) == before
    assert {p.pk: p.text for p in Passage.objects.all()} == passages  # the source's passages inline too


def test_an_alias_in_traditional_survives_an_unchanged_save_in_simplified(plan, admin_client):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    project.aliases.create(name="渝昆高鐵", kind="script")
    url = reverse("admin:kb_project_change", args=[project.pk])
    data = posted(page(admin_client, url), "project_form")
    assert ["渝昆高铁"] in data.values()  # the alias is shown in Simplified…
    assert admin_client.post(url, {**data, "_save": "保存"}).status_code == 302
    assert list(project.aliases.values_list("name", flat=True)) == ["渝昆高鐵"]  # …and kept as written


def test_an_edit_in_simplified_keeps_the_sources_spelling_where_it_was_not_edited(plan, admin_client):
    project = Project.objects.get(slug="渝昆高铁川渝段")
    quote = project.quote
    url = reverse("admin:kb_project_change", args=[project.pk])
    data = posted(page(admin_client, url), "project_form")
    assert data["name"] == ["渝昆高铁川渝段"]  # shown converted
    data["name"] = ["渝昆高铁川渝段（一期）"]
    assert admin_client.post(url, {**data, "_save": "保存"}).status_code == 302
    project.refresh_from_db()
    assert project.name == "渝昆高鐵川渝段（一期）" and project.quote == quote
    entry = project.history.first()
    assert entry.name == "渝昆高鐵川渝段（一期）"


def test_the_import_review_posted_back_unchanged_keeps_the_articles_names(plan, admin_client):
    response = admin_client.post(
        reverse(IMPORT), {"title": "", "reference_year": "2021", "step": "解析并预览", "text": to_traditional(ARTICLE)}
    )
    url = response["Location"]
    review = admin_client.get(url)
    names = {form.row.cid: form.row.name for form in review.context["formset"] if form.row}
    assert any(to_simplified(n) != n for n in names.values())
    data = {k: v[0] if len(v) == 1 else v for k, v in posted(review.content.decode(), "").items()}
    for form in review.context["formset"]:
        if form.row:
            shown = data[form.add_prefix("name")]
            assert shown == to_simplified(form.row.name)  # the page shows it in Simplified…
    assert admin_client.post(url, {**data, "_save": "保存本页修改"}).status_code in {200, 302}
    again = admin_client.get(url)
    assert {form.row.cid: form.row.name for form in again.context["formset"] if form.row} == names  # …and keeps it


def test_settings_put_the_conversion_outside_every_view():
    middleware = settings.MIDDLEWARE
    assert middleware.index("apps.kb.script.ScriptMiddleware") < middleware.index(
        "django.middleware.csrf.CsrfViewMiddleware"
    )


def test_a_response_that_cannot_be_converted_is_sent_as_it_is_without_marks(rf):
    from django.http import HttpResponse

    from apps.core.script_convert import keep
    from apps.kb.script import ScriptMiddleware

    body = '{"a": "\\u6cf8' + keep("瀘") + '"'  # says JSON, is not
    middleware = ScriptMiddleware(lambda request: HttpResponse(body, content_type="application/json"))
    response = middleware(rf.get("/", {"script": "orig"}))
    assert response.status_code == 200 and response.content.decode() == '{"a": "\\u6cf8瀘"'


def test_exports_and_the_api_keep_a_traditional_original_as_the_pages_do(plan, client):
    """s2t would write 產業集羣 for the seed's 產業集群: pages, CSV, JSON and the API all keep the
    source's spelling in the Traditional mode, and all say 产业集群 in the Simplified one."""
    name = Initiative.objects.get(slug="成渝地区南翼优势特色产业集群发展区").name
    assert "集群" in name and to_traditional(name) != name
    for mode, expected in (("orig", name), ("simp", to_simplified(name))):
        client.cookies["script"] = mode
        for url in (
            reverse("kb:initiative-list"),
            reverse("kb:initiative-list") + "?format=csv",
            reverse("kb:initiative-list") + "?format=json",
            reverse("search:api") + "?q=产业集群",
        ):
            body = client.get(url).content.decode()
            assert expected in body, (mode, url)
