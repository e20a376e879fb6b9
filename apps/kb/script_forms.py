"""Forms shown in the reader's script must not rewrite stored text in it.

The admin's change forms and the import review are converted like every page (a Traditional
quote reads in Simplified in the default mode, apps/kb/script.py), so what a browser posts back
is the converted text. ``KeepsWrittenText`` puts the stored spelling back wherever the reader
changed only the script, and takes what they typed where they edited (``keep_written``): an
unchanged save changes nothing, and a correction changes only what was corrected.
"""

from django import forms

from apps.core.text import keep_written


class KeepsWrittenText:
    """For a (model) form whose initial values are stored text."""

    def _script_only(self, name, value) -> bool:
        """The posted ``value`` of field ``name`` is its initial value in the other script."""
        initial = self.get_initial_for_field(self.fields[name], name)
        return (
            isinstance(value, str)
            and isinstance(initial, str)
            and value != initial
            and keep_written(initial, value) == initial
        )

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if name in self.fields and isinstance(value, str):
                initial = self.get_initial_for_field(self.fields[name], name)
                if isinstance(initial, str):
                    data[name] = keep_written(initial, value)
        return data

    @property
    def changed_data(self):
        """Not changed: a field posted back in the other script only (the admin's change
        message and the formsets' "this row is new/edited" read this)."""
        changed = super().changed_data
        kept = []
        for name in changed:
            field = self.fields.get(name)
            if isinstance(field, forms.CharField):
                try:
                    value = field.clean(self[name].data)
                except forms.ValidationError:
                    kept.append(name)
                    continue
                if self._script_only(name, value):
                    continue
            kept.append(name)
        return kept


class KeepsWrittenModelForm(KeepsWrittenText, forms.ModelForm):
    """The admin inlines' form (passages, milestones)."""
