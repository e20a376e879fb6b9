"""The admin import: paste or upload → review the parser's candidates → save once."""

from django.contrib import messages
from django.contrib.admin import site
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse

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

from .fixtures import KINDS, drop_candidate
from .forms import ArticleForm
from .services import ImportRefused, import_article
from .staging import discard_article

NAME_FIELD = {"documents": "title", "milestones": "title"}
# The model each kind of candidate (fixtures.KINDS, the ParsedArticle's fields) becomes.
MODELS = dict(zip(KINDS, [Place, Organization, Initiative, Project, Agreement, PolicyDocument, Milestone], strict=True))
STATUS_CHOICES = {"projects": Project.Status.choices, "milestones": Milestone.Status.choices}
KIND_LABELS = {kind: model._meta.verbose_name for kind, model in MODELS.items()}
# Importing creates every kind of record, so it takes the right to add each of them.
IMPORT_PERMISSIONS = ["kb.add_source", "kb.add_passage"] + [
    f"kb.add_{model._meta.model_name}" for model in MODELS.values()
]


def candidates_for_review(article):
    groups = []
    for kind in KINDS:
        rows = []
        for key, record in getattr(article, kind).items():
            rows.append({
                "kind": kind, "key": key, "name": getattr(record, NAME_FIELD.get(kind, "name")),
                "status": getattr(record, "status", None), "statuses": STATUS_CHOICES.get(kind),
                "detail": detail(kind, record), "evidence": getattr(record, "evidence", []),
            })
        groups.append({"kind": kind, "label": KIND_LABELS[kind], "rows": rows})
    return groups


def passages_for_review(article):
    """(passage, its kind's label unless it is a plain paragraph)."""
    labels = dict(Passage.Kind.choices)
    return [(p, "" if p.kind == Passage.Kind.PARAGRAPH else labels.get(p.kind, p.kind)) for p in article.passages]


def detail(kind, record):
    """A short description of a candidate, in the labels the admin uses."""
    if kind == "milestones":
        return f"{record.date.isoformat()} · 原文“{record.date_text}” · {Milestone.Precision(record.precision).label}"
    if kind == "agreements":
        return "、".join(record.places + record.organizations) + (f" · {record.count}个" if record.count else "")
    field = {"places": "level", "documents": "status"}.get(kind, "kind")  # what the candidate is
    value = getattr(record, field)
    return dict(MODELS[kind]._meta.get_field(field).flatchoices).get(value, value)


def apply_review(article, post):
    """The reviewer's decisions: unticked candidates are dropped, edited names and statuses kept."""
    for kind in KINDS:
        records = getattr(article, kind)
        for key in list(records):
            field = f"{kind}:{key}"
            if post.get(f"keep:{field}") != "on":
                drop_candidate(article, kind, key)
                continue
            name = (post.get(f"name:{field}") or "").strip()
            if name:
                setattr(records[key], NAME_FIELD.get(kind, "name"), name)
            status = post.get(f"status:{field}")
            if status and status in dict(STATUS_CHOICES.get(kind, [])):
                records[key].status = status
    return article


def import_view(request):
    if not request.user.has_perms(IMPORT_PERMISSIONS):
        raise PermissionDenied
    context = {**site.each_context(request), "title": "导入文章"}
    step = request.POST.get("step", "")
    form = ArticleForm(request.POST or None, request.FILES or None, user_id=request.user.pk)
    if request.method == "POST" and form.is_valid():
        article = form.cleaned_data["article"]
        if step == "save":
            apply_review(article, request.POST)
            try:
                source = import_article(article=article, user_label=form.cleaned_data["title"])
            except ImportRefused as exc:
                form.add_error(None, str(exc))
            else:
                discard_article(form.cleaned_data["kept"], user_id=request.user.pk)
                counts = "，".join(f"{KIND_LABELS[k]} {len(getattr(article, k))}" for k in KINDS)
                messages.success(request, f"已导入《{source.title}》：{counts}。")
                return redirect("admin:kb_source_change", source.pk)
        else:
            return TemplateResponse(request, "admin/ingest/review.html", {
                **context, "form": form, "article": article, "groups": candidates_for_review(article),
                "script_label": Source.Script(article.script).label, "passages": passages_for_review(article),
            })
    return TemplateResponse(request, "admin/ingest/import.html", {**context, "form": form})
