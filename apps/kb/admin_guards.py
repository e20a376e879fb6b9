"""Malformed admin URLs get a 4xx or a normal page, never a server error.

Django's admin and django-simple-history trust a few values from the URL that anyone can
type: a non-numeric id in a history URL, a year past what ``datetime`` holds in the date
hierarchy, an id beyond 64 bits in a filter or an add form's initial value, an empty
``_to_field``. Each is checked here, where the admin first reads it, so the views behind
see only values the database can compare."""

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

BIGGEST_ID = 2**63 - 1  # the largest value of a 64-bit primary key on both databases


def valid_id(field, value) -> bool:
    """Whether ``value`` is a value of the (integer) key ``field`` that the database can hold."""
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(value, int) or -BIGGEST_ID <= value <= BIGGEST_ID


class GuardedChangeList(ChangeList):
    """Lookups whose values overflow (``?published__year=99999999999`` in ``datetime``, an
    id past 64 bits in SQLite) are wrong parameters, which the admin answers by showing the
    list unfiltered with its "?e=1" notice, as it does for any other bad filter value."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc

    def get_results(self, request):
        try:
            super().get_results(request)  # the first query: SQLite refuses an integer past 64 bits here
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


class AdminGuardsMixin:
    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def get_object(self, request, object_id, from_field=None):
        # An empty ``?_to_field=`` passes Django's permission check (nothing to check) and then
        # names a field called "": treat it as absent.
        return super().get_object(request, object_id, from_field or None)

    def get_changeform_initial_data(self, request):
        """The add form prefills fields from the query (?source=3); a related id that is not
        a number the database holds is dropped, as if it had not been given."""
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if not field.is_relation or not field.concrete:
                continue
            key = field.target_field if isinstance(field, models.ForeignKey) else field.related_model._meta.pk
            values = value if isinstance(value, list) else [value]
            kept = [v for v in values if valid_id(key, v)]
            if isinstance(value, list):
                initial[name] = kept
            elif kept:
                initial[name] = kept[0]
            else:
                del initial[name]
        return initial

    def response_action(self, request, queryset):
        """A bulk action's selected ids are compared with the primary key: one that is not an id
        (a crafted POST) is refused with a message, as an action with nothing selected is."""
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if not all(valid_id(self.model._meta.pk, value) for value in selected):
            self.message_user(request, "所选记录的编号无效，未执行操作。", messages.WARNING)
            return None
        return super().response_action(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        if not valid_id(self.model._meta.pk, unquote(object_id)):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        history_key = history.model._meta.pk
        if not (valid_id(self.model._meta.pk, unquote(object_id)) and valid_id(history_key, version_id)):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class GuardedHistoryAdmin(AdminGuardsMixin, SimpleHistoryAdmin):
    """simple_history's admin with the guards above: the base of every kb admin."""
