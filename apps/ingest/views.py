"""The admin import: paste or upload → the parse is stored once as a draft → review it page
by page (a formset over the candidates) → save once."""

from django.contrib import messages
from django.contrib.admin import site
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from apps.core.text import normalise

from .forms import (
    ArticleForm,
    CandidateFormSetFactory,
    candidate_value,
    existing_value,
)
from .models import ImportDraft
from .review import (
    KINDS,
    LINKS,
    MODELS,
    Review,
    existing_label,
    likely_matches,
    marked_passages,
    named_like,
    type_label,
)
from .services import ImportRefused, check_new_article, import_article, queue_article

# Importing creates every kind of record, so it takes the right to add each of them.
IMPORT_PERMISSIONS = ["kb.add_source", "kb.add_passage"] + [
    f"kb.add_{model._meta.model_name}" for model in MODELS.values()
]
CHOICES_PER_PAGE = 20


def may_import(request):
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied


def import_view(request):
    """Step 1: the article. A valid one is parsed once into a draft for this person."""
    may_import(request)
    ImportDraft.objects.expired().delete()
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        article = form.cleaned_data["article"]
        try:
            check_new_article(article)  # before the review, so no one reviews in vain
        except ImportRefused as exc:
            form.add_error(None, str(exc))
        else:
            draft = Review.start(article, owner=request.user, size=form.cleaned_data["size"])
            return redirect("admin:kb_source_import_review", draft.pk)
    return TemplateResponse(request, "admin/ingest/import.html", {
        **site.each_context(request), "title": "导入文章", "form": form,
        "drafts": ImportDraft.objects.of(request.user).defer("source", "candidates"),
    })


def page_number(value, review: Review) -> int:
    if value in (None, ""):
        return 1
    if not (isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 7):
        raise BadRequest("page")
    page = int(value)
    if not 1 <= page <= review.pages:
        raise BadRequest("page")
    return page


def review_view(request, draft_id):
    """Step 2: one page of the draft's candidates. A POST stores the page's edits in the
    draft and goes on to the page asked for, or saves the whole draft into the knowledge base."""
    may_import(request)
    drafts = ImportDraft.objects.of(request.user)
    if not drafts.filter(pk=draft_id).exists() and ImportDraft.objects.filter(owner=request.user, pk=draft_id).exists():
        messages.error(request, "这份导入草稿已过期，请重新粘贴或上传文章。")
        return redirect("admin:kb_source_import")
    if request.method != "POST":
        review = Review(get_object_or_404(drafts, pk=draft_id))
        page = page_number(request.GET.get("page"), review)
        return render_review(request, review, page, formset(review, page))
    with transaction.atomic():  # the draft is locked: two tabs cannot undo each other's pages
        review = Review(get_object_or_404(drafts.select_for_update(), pk=draft_id))
        page = page_number(request.POST.get("page"), review)
        goto = page_number(request.POST.get("goto") or str(page), review)
        forms = formset(review, page, request.POST)
        if not forms.is_valid():
            return render_review(request, review, page, forms)
        notes = review.apply_page(forms.rows())
        review.save()
        for note in notes:
            messages.warning(request, note)
        if "_import" in request.POST and not notes:
            return save_draft(request, review, page)
        if "_queue" in request.POST and not notes:
            return queue_draft(request, review, page)
    messages.success(request, f"第{page}页的修改已保存在草稿中。")
    target = page if notes else goto
    url = reverse("admin:kb_source_import_review", args=[draft_id])
    return redirect(f"{url}?{urlencode({'page': target})}")


def save_draft(request, review: Review, page: int):
    """The reviewed draft into the knowledge base, in the transaction the caller holds; the
    draft is deleted with the same commit."""
    problems = review.problems()
    if not problems:
        article = review.article_to_import()
        try:
            source = import_article(article=article, user_label=article.title)
        except ImportRefused as exc:
            problems = [str(exc)]
        else:
            review.draft.delete()
            counts = "，".join(f"{type_label(k)} {len(getattr(article, k))}" for k in KINDS)
            messages.success(request, f"已导入《{source.title}》：{counts}。")
            return redirect("admin:kb_source_change", source.pk)
    return render_review(request, review, page, formset(review, page), problems=problems)


def queue_draft(request, review: Review, page: int):
    """The reviewed draft's text into the knowledge base and its kept candidates into the review
    queue (nothing public yet), in the transaction the caller holds; the draft is deleted."""
    problems = review.problems()
    if not problems:
        article = review.article_to_import()
        merged = {(review.index[cid][0], slug) for cid, slug in review.merged.items() if cid not in review.dropped}
        try:
            source, queued = queue_article(article=article, merged=merged, user_label=article.title)
        except ImportRefused as exc:
            problems = [str(exc)]
        else:
            review.draft.delete()
            messages.success(request, f"已保存《{source.title}》的原文，{queued} 个候选记录已送审核队列。")
            url = reverse("admin:ingest_candidate_changelist")
            return redirect(f"{url}?{urlencode({'source__id__exact': source.pk})}")
    return render_review(request, review, page, formset(review, page), problems=problems)


def formset(review: Review, page: int, data=None):
    url = reverse("admin:kb_source_import_choices", args=[review.draft.pk])
    return CandidateFormSetFactory(data, review=review, page=page, choices_url=url)


def render_review(request, review: Review, page: int, forms, *, problems=()):
    passages, marks = marked_passages(review, forms.cids)
    for form in forms:
        form.mark = marks.get(form.row.cid) if form.row else None
        form.type_label = type_label(form.row.kind) if form.row else ""
    return TemplateResponse(request, "admin/ingest/review.html", {
        **site.each_context(request), "title": f"审核解析结果：{review.draft.title}", "review": review,
        "draft": review.draft, "source": review.article, "formset": forms, "passages": passages,
        "page": page, "pages": range(1, review.pages + 1), "problems": problems,
        "media": forms.media, "kept": review.count - len(review.dropped),
    })


def choices_view(request, draft_id):
    """The autocomplete of one row's link or merge (select2's JSON): candidates of this draft
    and records already in the knowledge base, matched by name in either script."""
    may_import(request)
    draft = get_object_or_404(ImportDraft.objects.of(request.user), pk=draft_id)
    review = Review(draft)
    cid, field = request.GET.get("cid", ""), request.GET.get("field", "")
    term = request.GET.get("term", "").strip()[:100]
    if not (cid.isascii() and cid.isdigit() and len(cid) < 7 and int(cid) < review.count):
        raise BadRequest("cid")
    row = review.row(int(cid))
    if field == "merge_into":
        records = named_like(row.kind, term)[:50] if term else likely_matches(row.kind, row.name)
        results = [{"id": existing_value(row.kind, r.slug), "text": existing_label(row.kind, r)} for r in records]
    elif field in LINKS and row.kind in LINKS[field][0]:
        kinds = LINKS[field][1]
        wanted = normalise(term)
        results = [{"id": candidate_value(c), "text": review.candidate_label(c)}
                   for c, (kind, _) in enumerate(review.index)
                   if kind in kinds and wanted in normalise(review.row(c).name)]
        if term:
            for kind in kinds:
                results += [{"id": existing_value(kind, r.slug), "text": existing_label(kind, r)}
                            for r in named_like(kind, term)[:50]]
    else:
        raise BadRequest("field")
    page = request.GET.get("page", "1")
    page = int(page) if page.isascii() and page.isdigit() and len(page) < 5 else 1
    start = (max(page, 1) - 1) * CHOICES_PER_PAGE
    return JsonResponse({"results": results[start:start + CHOICES_PER_PAGE],
                         "pagination": {"more": len(results) > start + CHOICES_PER_PAGE}})
