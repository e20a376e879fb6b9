"""How the admin shows a record to planning staff: change forms in the order a planner corrects
a record, history diffs in field and choice labels, and date fields without a time-zone note."""

from django.contrib.admin.widgets import AdminDateWidget
from django.utils.translation import gettext_lazy as _
from simple_history.template_utils import HistoricalRecordContextHelper

# What a planner looks at and corrects first, in this order.
LEAD_FIELDS = ["name", "title", "kind", "status", "level", "date", "date_precision", "date_text"]
# Then what the source says of it, then the rest of its own fields.
TEXT_FIELDS = ["description", "quote"]
# Identifiers and provenance: kept, but last.
EVIDENCE_FIELDS = ["evidence", "evidence_passages"]
ADVANCED_FIELDS = ["slug", "content_hash"]


def planner_fieldsets(model, fields):
    """``fields`` (the admin's default list: the form's fields, then the read-only ones) grouped
    as planners read a record: what it is, what the source says of it, what it is linked to,
    the passages it was read from, then identifiers in a collapsed 高级 group."""
    relations, lead, body, evidence, advanced, hidden = [], [], [], [], [], []
    for name in fields:
        field = next((f for f in model._meta.get_fields() if f.name == name), None)
        if name in LEAD_FIELDS:
            lead.append(name)
        elif name in EVIDENCE_FIELDS:
            evidence.append(name)
        elif name in ADVANCED_FIELDS:
            advanced.append(name)
        elif name == "base_version":  # the hidden version of the optimistic lock
            hidden.append(name)
        elif field is not None and field.is_relation:
            relations.append(name)
        else:
            body.append(name)
    lead.sort(key=LEAD_FIELDS.index)
    body.sort(key=lambda name: TEXT_FIELDS.index(name) if name in TEXT_FIELDS else len(TEXT_FIELDS))
    groups = [
        (None, lead + body + hidden),
        (_("关联"), relations),
        (_("依据"), evidence),
        (_("高级"), advanced, ["collapse"]),
    ]
    return [
        (title, {"fields": names, **({"classes": classes[0]} if classes else {})})
        for title, names, *classes in groups if names
    ]


class PlainDateWidget(AdminDateWidget):
    """The admin's date picker without the "你比服务器时间滞后8个小时" note: Django's
    DateTimeShortcuts.js adds it to date inputs as to time inputs, but a date (a milestone's
    day, a signing date) has no time zone, so nothing about it depends on the browser's clock."""

    class Media:
        # Listed in full: merged with the parent's list, ours could land before DateTimeShortcuts.js.
        extend = False
        js = [*AdminDateWidget.Media.js, "kb/admin/plain_dates.js"]


class PlannerHistoryHelper(HistoricalRecordContextHelper):
    """A history diff as planners read it: 状态：已批复 → 在建, not status: approved → building."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.many_to_many:
            names = super().prepare_delta_change_value(change, value)
            return "、".join(str(name) for name in names) or "（空）"
        if value is None or value == "":
            return "（空）"
        if isinstance(value, bool):
            return "是" if value else "否"
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return value
