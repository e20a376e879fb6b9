"""The admin as planning staff use it: Chinese labels, filters they ask for, autocomplete on
every relation, the evidence sentence on the change page, history with revert."""

import contextlib

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from apps.core.text import normalise, script_variants
from apps.search.engine import matching_ids
from apps.search.index import batch, kind_of

from .admin_display import PlainDateWidget, PlannerHistoryHelper, planner_fieldsets
from .admin_guards import GuardedHistoryAdmin  # simple_history's admin, 4xx for malformed URLs
from .edit_conflicts import VersionCheckedForm
from .login_throttle import ThrottledAdminAuthenticationForm
from .models import (
    Agreement,
    Alias,
    Initiative,
    Milestone,
    Organization,
    Passage,
    Place,
    PolicyDocument,
    Project,
    Source,
)
from .script_forms import KeepsWrittenModelForm, KeepsWrittenText

admin.site.site_header = _("泸州政策知识库 · 管理")
admin.site.site_title = _("泸州政策知识库")
admin.site.index_title = _("知识库记录")
admin.site.login_form = ThrottledAdminAuthenticationForm


def linked_records(obj, limit=50):
    """Records that point at ``obj`` and would lose that link (SET_NULL, many-to-many) if it
    were deleted: Django's confirmation page lists only what would be deleted with it."""
    linked = []
    for relation in obj._meta.related_objects:
        if relation.related_model._meta.app_label != "kb" or relation.on_delete in (models.CASCADE, models.PROTECT):
            continue
        accessor = relation.get_accessor_name()
        if not accessor or accessor.endswith("+"):
            continue
        related = getattr(obj, accessor)
        records = list(related.all()[:limit]) if hasattr(related, "all") else [related]
        if records:
            linked.append((relation.related_model._meta.verbose_name, records))
    return linked


class LinkedOnDeleteMixin:
    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "linked_records": linked_records(obj) if obj else []}
        return super().delete_view(request, object_id, extra_context)


class PlainDatesMixin:
    formfield_overrides = {models.DateField: {"widget": PlainDateWidget}}  # DateTimeField keeps its own


class RecordForm(KeepsWrittenText, VersionCheckedForm):
    """Stale saves refused; text posted back in the reader's script keeps its stored spelling."""


class LabelledInlineMixin:
    """A tabular inline names each column only in its header; a screen reader reaching a cell's
    input needs the field's name on the input itself."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(db_field.verbose_name))
        return field


class BlankShownFilter(admin.AllValuesFieldListFilter):
    """A filter over a text field's values in which a blank value reads （未填写）, not as an
    empty link that names nothing."""

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["display"] == "":
                choice = {**choice, "display": _("（未填写）")}
            yield choice


class RecordAdmin(PlainDatesMixin, LinkedOnDeleteMixin, GuardedHistoryAdmin):
    """The base of every kb admin: a save from a stale page is refused, not last-write-wins;
    forms open with what planners correct; history reads in labels, not codes; a form shown in
    Simplified does not rewrite a Traditional original on save."""

    form = RecordForm
    object_history_template = "admin/kb/history/object_history.html"
    object_history_list_template = "admin/kb/history/object_history_list.html"
    object_history_form_template = "admin/kb/history/object_history_form.html"

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return self.fieldsets
        return planner_fieldsets(self.model, self.get_fields(request, obj))

    def get_historical_record_context_helper(self, request, historical_record):
        return PlannerHistoryHelper(self.model, historical_record)

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return _("查看此前版本：%s") % obj
        return _("恢复到此前版本：%s") % obj

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple_history lets anyone who may view a record's history POST its revert form:
        # reverting is a change, so it needs the change right. One transaction, like a change.
        if request.method == "POST" and not self.has_change_permission(request):
            raise PermissionDenied
        with one_write(request):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def _changeform_view(self, request, *args, **kwargs):
        # Django's changeform_view already holds the transaction: index work joins it there.
        with batch():
            return super()._changeform_view(request, *args, **kwargs)

    def changelist_view(self, request, *args, **kwargs):  # bulk actions
        with one_write(request):
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request, *args, **kwargs):
        with one_write(request):
            return super().delete_view(request, *args, **kwargs)


@contextlib.contextmanager
def one_write(request):
    """A POST is one transaction, and its search index work (the record, its links, its
    inlines) is written once at the end of it. GETs take no write lock (SQLite's IMMEDIATE)."""
    if request.method != "POST":
        yield
        return
    with transaction.atomic(), batch():
        yield


class EngineSearchMixin:
    """The admin's search box goes through the Chinese search engine, so 泸州 finds 瀘州 and
    昆高 finds 渝昆高铁. (Autocomplete lookups too: they use the same method.)"""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(pk__in=matching_ids(search_term, kind_of(self.model))), False


class BothScriptsSearchMixin:
    """Admin search (and autocomplete) on names not in the search index: 泸州 also finds
    瀘州市發展改革委, by looking the term up as typed, in Simplified and in Traditional."""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        matched = self.model.objects.none()
        duplicates = False
        for variant in script_variants(search_term):
            found, dup = super().get_search_results(request, queryset, variant)
            matched, duplicates = matched | found, duplicates or dup
        return queryset.filter(pk__in=matched.values("pk")), duplicates


class PassageInline(LabelledInlineMixin, PlainDatesMixin, admin.TabularInline):
    model = Passage
    form = KeepsWrittenModelForm
    extra = 0
    fields = ["position", "kind", "section", "text"]
    show_change_link = True


class MilestoneInline(LabelledInlineMixin, PlainDatesMixin, admin.TabularInline):
    model = Milestone
    form = KeepsWrittenModelForm
    extra = 0
    fields = ["title", "date", "date_precision", "date_text", "status"]
    show_change_link = True


class AliasFormSet(BaseGenericInlineFormSet):
    def clean(self):
        """The same alias twice (in either script), in one save or beside one already there, is
        a form error: the new rows get their record only when saved, so the model's own check
        cannot see it."""
        super().clean()
        in_forms = {form.instance.pk for form in self.forms if form.instance.pk}
        seen = set()
        if self.instance.pk:
            kept = Alias.objects.filter(content_type=ContentType.objects.get_for_model(self.instance),
                                        object_id=self.instance.pk).exclude(pk__in=in_forms)
            seen.update(kept.values_list("normalised", flat=True))
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            name = getattr(form, "cleaned_data", {}).get("name")
            if name:
                key = normalise(name.strip())
                if key in seen:
                    raise ValidationError(_("别名“%(name)s”重复或已有。") % {"name": name})
                seen.add(key)


class AliasInline(LabelledInlineMixin, GenericTabularInline):
    """The record's other names: search finds it by them, its page lists their mentions."""

    model = Alias
    form = KeepsWrittenModelForm  # an alias in the other script must survive a save in this one
    formset = AliasFormSet
    extra = 1
    fields = ["name", "kind"]
    verbose_name = _("别名")
    verbose_name_plural = _("别名（全称、简称、另一种文字、旧称）")


class EvidenceAdmin(EngineSearchMixin, RecordAdmin):
    """Shared by the records read from a source: evidence is edited by autocomplete and the
    quoted sentence is shown with the passages it came from; aliases are edited inline."""

    autocomplete_fields = ["evidence"]
    readonly_fields = ["evidence_passages"]
    save_on_top = True

    def get_inlines(self, request, obj):
        return [AliasInline, *super().get_inlines(request, obj)]

    @admin.display(description=_("依据段落原文"))
    def evidence_passages(self, obj):
        passages = obj.evidence.select_related("source") if obj.pk else []
        return format_html_join(
            "", '<blockquote><a href="{}">{}</a>：{}</blockquote>',
            ((p.get_absolute_url(), p, p.text) for p in passages),
        ) or "—"


@admin.register(Source)
class SourceAdmin(BothScriptsSearchMixin, RecordAdmin):
    list_display = ["title", "document_type", "publisher", "region", "published", "script", "passage_count"]
    list_filter = [("document_type", BlankShownFilter), "script", ("publisher", BlankShownFilter)]
    search_fields = ["title", "publisher", "author", "text"]
    readonly_fields = ["content_hash", "raw_fingerprint"]
    autocomplete_fields = ["region"]
    list_select_related = ["region"]
    inlines = [PassageInline]
    date_hierarchy = "published"
    # Stated, not left to Meta: the passage count's GROUP BY drops Meta.ordering, and the
    # autocomplete (a passage's source) would page an unordered list.
    ordering = Source._meta.ordering

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_passages=Count("passages"))

    @admin.display(description=_("段落数"), ordering="n_passages")
    def passage_count(self, obj):
        return obj.n_passages


@admin.register(Passage)
class PassageAdmin(EngineSearchMixin, RecordAdmin):
    list_display = ["__str__", "kind", "section", "excerpt"]
    list_filter = ["kind", "section", "source"]
    search_fields = ["text"]  # shows the search box; the engine does the searching
    list_select_related = ["source"]
    autocomplete_fields = ["source"]

    @admin.display(description=_("摘录"))
    def excerpt(self, obj):
        return obj.text[:60]


@admin.register(Place)
class PlaceAdmin(BothScriptsSearchMixin, RecordAdmin):
    list_display = ["name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(BothScriptsSearchMixin, RecordAdmin):
    list_display = ["name", "kind", "place"]
    list_filter = ["kind", "place"]
    search_fields = ["name", "slug"]
    autocomplete_fields = ["place"]
    list_select_related = ["place"]


@admin.register(Initiative)
class InitiativeAdmin(EvidenceAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind", "parent"]
    search_fields = ["name", "description", "quote"]
    autocomplete_fields = ["parent", "places", "evidence"]
    list_select_related = ["parent"]
    inlines = [MilestoneInline]


# Bulk actions write, so they need the change right: Django then offers them only to staff
# who have it and refuses the POST of anyone else ("no action selected").
@admin.action(description=_("将所选项目状态设为“在建”"), permissions=["change"])
def mark_under_construction(modeladmin, request, queryset):
    set_project_status(request, queryset, Project.Status.UNDER_CONSTRUCTION)


@admin.action(description=_("将所选项目状态设为“已建成/开通”"), permissions=["change"])
def mark_open(modeladmin, request, queryset):
    set_project_status(request, queryset, Project.Status.OPEN)


def set_project_status(request, queryset, status):
    # One save per record, not queryset.update(): history and the search index follow saves
    # (changelist_view makes the POST one transaction and writes the index once).
    for project in queryset:
        project.status = status
        project.save()
    messages.success(request, _("已更新 %(n)d 个项目。") % {"n": len(queryset)})


@admin.register(Project)
class ProjectAdmin(EvidenceAdmin):
    list_display = ["name", "kind", "status"]
    list_filter = ["status", "kind", "places", "initiatives"]
    search_fields = ["name", "description", "quote"]
    autocomplete_fields = ["places", "initiatives", "evidence"]
    inlines = [MilestoneInline]
    actions = [mark_under_construction, mark_open]


class WrittenDateAdmin(EvidenceAdmin):
    """A record with a date as the source wrote it: listed by that date, never a made-up day."""

    @admin.display(description=_("日期"), ordering="date")
    def shown_date(self, obj):
        return obj.date_as_written or "—"


@admin.register(Agreement)
class AgreementAdmin(WrittenDateAdmin):
    list_display = ["name", "kind", "shown_date", "count"]
    list_filter = ["kind", "party_places"]
    search_fields = ["name", "description", "quote"]
    autocomplete_fields = ["party_places", "party_organizations", "initiatives", "evidence"]
    inlines = [MilestoneInline]


@admin.register(PolicyDocument)
class PolicyDocumentAdmin(WrittenDateAdmin):
    list_display = ["__str__", "status", "issuer", "shown_date"]
    list_filter = ["status", "issuer"]
    search_fields = ["title", "quote"]
    autocomplete_fields = ["issuer", "initiatives", "evidence"]
    list_select_related = ["issuer"]
    inlines = [MilestoneInline]


@admin.action(description=_("将所选里程碑标记为“已完成”"), permissions=["change"])
def mark_done(modeladmin, request, queryset):
    for milestone in queryset:  # saves, not update(): history follows them
        milestone.status = Milestone.Status.DONE
        milestone.save()
    messages.success(request, _("已标记 %(n)d 个里程碑为已完成。") % {"n": len(queryset)})


@admin.register(Milestone)
class MilestoneAdmin(EvidenceAdmin):
    list_display = ["title", "shown_date", "date_precision", "status"]
    list_filter = ["status", "date_precision", ("date", admin.DateFieldListFilter)]
    search_fields = ["title", "date_text", "quote"]
    autocomplete_fields = ["initiative", "project", "agreement", "document", "evidence"]
    list_select_related = ["initiative", "project", "agreement", "document"]
    date_hierarchy = "date"
    actions = [mark_done]

    @admin.display(description=_("日期"), ordering="date")
    def shown_date(self, obj):
        return obj.date_display
