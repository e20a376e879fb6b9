"""The review queue in the admin: candidates beside their sentences, filtered by document,
kind, confidence and status, decided in bulk (accept / merge into a record / reject).

Nobody edits a candidate's row: it changes only by a decision (``decisions.py``). Staff who
may look at the knowledge base see the queue read-only; the decisions are offered to those who
may add and change records, and each candidate is checked against the rights on its own kind.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from apps.kb.admin_guards import AdminGuardsMixin, valid_id

from . import decisions
from .models import Candidate
from .review import MODELS, likely_matches, named_like

MAX_SEARCH = 200  # characters of a target search that are looked up


class ConfidenceFilter(admin.SimpleListFilter):
    title = _("可信度")
    parameter_name = "confidence"
    BANDS = {"high": (0.8, 1.01), "medium": (0.5, 0.8), "low": (0.0, 0.5)}

    def lookups(self, request, model_admin):
        return [("high", _("高（≥0.8）")), ("medium", _("中（0.5–0.8）")), ("low", _("低（<0.5）"))]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value())  # any other value: not a band, no filter
        if band is None:
            return queryset
        return queryset.filter(confidence__gte=band[0], confidence__lt=band[1])


def marked(sentence: str, name: str):
    """The sentence, escaped, with the first occurrence of the name marked."""
    at = sentence.find(name) if name else -1
    if at < 0:
        return format_html("{}", sentence)
    return format_html("{}<mark>{}</mark>{}", sentence[:at], name, sentence[at + len(name) :])


def choice_label(kind: str, name: str, value) -> str:
    field = MODELS[kind]._meta.get_field(name)
    return str(dict(field.choices or []).get(value, value if value not in (None, "") else "—"))


def changes_text(c: Candidate):
    return "；".join(
        f"{MODELS[c.kind]._meta.get_field(name).verbose_name}：{choice_label(c.kind, name, old)} → "
        f"{choice_label(c.kind, name, new)}"
        for name, (old, new) in c.changes.items()
    )


@admin.action(description=_("接受所选候选（新建或更新记录）"), permissions=["review"])
def accept_selected(modeladmin, request, queryset):
    report(request, decisions.accept(candidates=list(queryset), user=request.user), _("已接受"))


@admin.action(description=_("拒绝所选候选"), permissions=["review"])
def reject_selected(modeladmin, request, queryset):
    report(request, decisions.reject(candidates=list(queryset), user=request.user), _("已拒绝"))


@admin.action(description=_("合并到已有记录…"), permissions=["review"])
def merge_selected(modeladmin, request, queryset):
    """A page to pick the record (likely matches by name, or found by a search), then the
    merge. Candidates of one kind at a time: a record has one kind."""
    candidates = list(queryset.select_related("source"))
    kinds = {c.kind for c in candidates}
    if len(kinds) != 1:
        messages.error(request, _("一次只能合并同一类别的候选。"))
        return None
    kind = kinds.pop()
    model = MODELS[kind]
    chosen = request.POST.get("target", "")
    if "apply" in request.POST:
        target = model.objects.filter(pk=chosen).first() if valid_id(model._meta.pk, chosen) else None
        if target is not None:
            report(request, decisions.merge(candidates=candidates, target=target, user=request.user), _("已合并"))
            return None
        messages.error(request, _("请选择要合并到的记录。"))
    search = request.POST.get("q", "")[:MAX_SEARCH].strip()
    options = {}
    for c in candidates[:10]:
        for record in likely_matches(kind, c.name):
            options.setdefault(record.pk, record)
    if search:
        for record in named_like(kind, search)[:30]:
            options.setdefault(record.pk, record)
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("合并到已有记录"),
        "opts": modeladmin.model._meta,
        "candidates": candidates,
        "kind_label": model._meta.verbose_name,
        "options": list(options.values()),
        "search": search,
        "chosen": chosen,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/ingest/candidate/merge.html", context)


def report(request, outcome: decisions.Outcome, verb):
    if outcome.done:
        messages.success(request, _("%(verb)s %(n)d 个候选。") % {"verb": verb, "n": len(outcome.done)})
    for c, reason in outcome.refused[:20]:
        messages.warning(request, _("“%(name)s”未处理：%(reason)s") % {"name": c.name, "reason": reason})
    if len(outcome.refused) > 20:
        messages.warning(request, _("另有 %(n)d 个候选未处理。") % {"n": len(outcome.refused) - 20})


class CandidateAdmin(AdminGuardsMixin, admin.ModelAdmin):
    list_display = ["candidate", "kind", "action", "confidence", "status", "document", "reviewer"]
    list_display_links = ["kind"]
    list_filter = ["source", "kind", ConfidenceFilter, "status", "action"]
    list_select_related = ["source", "reviewer", "passage"]
    search_fields = ["name", "quote"]
    actions = [accept_selected, merge_selected, reject_selected]
    list_per_page = 50
    fields = [
        "candidate",
        "kind",
        "action",
        "confidence",
        "status",
        "document",
        "fields",
        "target_link",
        "reviewer",
        "reviewed_at",
        "created",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("target")

    # Read-only for everyone: a candidate changes only by a decision.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and any(user.has_perm(f"kb.view_{m._meta.model_name}") for m in MODELS.values())
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_review_permission(self, request):
        return any(decisions.may_decide(request.user, kind) for kind in MODELS)

    @admin.display(description=_("候选与原文句子"))
    def candidate(self, c: Candidate):
        new = marked(c.quote, c.name)
        link = ""
        if c.passage_id:
            url = reverse("kb:source-detail", args=[c.source.slug])
            link = format_html(' <a href="{}?{}#{}">原文</a>', url, urlencode({"mark": c.quote}), c.passage.anchor)
        if c.action == Candidate.Action.MERGE:
            return format_html("<strong>{}</strong>（合并到：{}）<br>{}{}", c.name, c.target or "已删除", new, link)
        if c.action != Candidate.Action.UPDATE:
            return format_html("<strong>{}</strong><br>{}{}", c.name, new, link)
        record = c.target
        old = marked(getattr(record, "quote", ""), c.name) if record else "（已删除）"
        return format_html(
            "<strong>{}</strong>（{}）<br>已有记录：{}<br>新文件：{}{}",
            c.name,
            changes_text(c),
            old,
            new,
            link,
        )

    @admin.display(description=_("来源文章"), ordering="source__title")
    def document(self, c: Candidate):
        return c.source.title

    @admin.display(description=_("目标记录"))
    def target_link(self, c: Candidate):
        record = c.target
        if record is None:
            return "—"
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        return format_html('<a href="{}">{}</a>', url, record)
