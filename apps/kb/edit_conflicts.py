"""No silent lost update: a save made from a page opened before someone else's save is refused.

The change form carries the version of the record it was opened on. On save the version in
the database is read under a row lock (PostgreSQL; SQLite's IMMEDIATE transaction already
holds the write lock) inside the admin's transaction: if it moved on, the form is refused
with what the other person changed, read from the history, and nothing is written.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format


class VersionCheckedForm(forms.ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["base_version"].required = False
        elif not self.is_bound:
            # The database's version, not the instance's: simple_history's revert form is
            # built from an old version of the record, and reverting is an edit of the current one.
            # (A posted form carries the version it was opened on; clean() reads the current one.)
            self.fields["base_version"].initial = current_version(self.instance)

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name != "base_version"]  # not an edit

    def clean(self):
        data = super().clean()
        base = data.get("base_version")
        if self.instance.pk is None or base is None:
            return data
        current = current_version(self.instance, lock=True)
        if current != base:
            raise ValidationError(conflict_message(self.instance, base, current), code="edit_conflict")
        self.instance.version = current  # the save counts on from here (a revert's instance is older)
        return data


def current_version(instance, *, lock=False):
    rows = type(instance)._default_manager.filter(pk=instance.pk)
    if lock:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


def conflict_message(instance, base, current):
    """What changed between the version the form was opened on and the one saved since."""
    head = "保存未成功：您打开此页面后，这条记录已被修改"
    tail = "。您的修改没有保存；请查看下方的最新内容，再重新修改。"
    if current is None:
        return "保存未成功：这条记录已被删除。"
    history = getattr(instance, "history", None)
    if history is None:
        return head + tail
    saved_since = list(history.filter(version__gt=base, version__lte=current).order_by("history_date"))
    opened_on = history.filter(version=base).order_by("-history_date").first()
    if not saved_since:
        return head + tail
    who = "、".join(dict.fromkeys(str(r.history_user or "系统") for r in saved_since))
    when = date_format(timezone.localtime(saved_since[-1].history_date), "Y-m-d H:i")
    changes = describe_changes(instance, opened_on, saved_since[-1]) if opened_on else []
    what = f"：{'；'.join(changes)}" if changes else ""
    return f"{head}（{who}，{when}）{what}{tail}"


def describe_changes(instance, old, new):
    delta = new.diff_against(old, excluded_fields=["version"])
    described = []
    for change in delta.changes:
        field = instance._meta.get_field(change.field)
        if field.many_to_many:
            described.append(f"{field.verbose_name}（已改动）")
        else:
            described.append(f"{field.verbose_name}：{shown(field, change.old)} → {shown(field, change.new)}")
    return described


def shown(field, value):
    if value in (None, ""):
        return "（空）"
    text = str(dict(field.flatchoices).get(value, value))
    return text if len(text) <= 60 else text[:60] + "…"
