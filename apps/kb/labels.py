"""The domain's words as the models define them, for the pages, exports and feeds that show
them: a label is read from the model (``verbose_name``, a field's ``verbose_name``, a choice's
label), never typed a second time."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext_lazy as _

from .models import EvidencedModel

# What a model computes rather than stores has no field to carry its label: it is labelled here.
COMPUTED = {
    ("milestone", "concerns"): _("相关记录"),
}


def model_of(thing):
    """The model of a record, a queryset or manager of records, a model, or "app.model"."""
    if isinstance(thing, str):
        return apps.get_model(thing)
    if isinstance(thing, type) and issubclass(thing, models.Model):
        return thing
    if isinstance(thing, models.Model):
        return type(thing)
    if isinstance(thing, models.QuerySet | models.Manager):
        return thing.model
    raise TypeError(f"not a model, record or queryset: {thing!r}")


def kind_label(thing, plural=False) -> str:
    """What one (or several) of these records is called: 项目, 合作协议…"""
    opts = model_of(thing)._meta
    return opts.verbose_name_plural if plural else opts.verbose_name


def field_label(thing, name: str) -> str:
    """A field's label. A relation seen from the other side has none of its own: it is called
    by what it holds (a place's ``projects`` are 项目). A computed attribute: see COMPUTED."""
    opts = model_of(thing)._meta
    try:
        field = opts.get_field(name)
    except FieldDoesNotExist:
        return COMPUTED[opts.model_name, name]
    if isinstance(field, ForeignObjectRel):  # the reverse side of a relation
        return field.related_model._meta.verbose_name_plural
    return field.verbose_name


def evidenced_models() -> list:
    """Every kind of record read from the passages of a source, in the order of the models."""
    return EvidencedModel.__subclasses__()


def drawn_from_passage() -> list[str]:
    """A passage's accessors for the records read from it (``passage.projects``…)."""
    return [model.evidence.field.remote_field.get_accessor_name() for model in evidenced_models()]

# The city this knowledge base is kept for, by its place's slug: its own agreements' 合作对象
# (counterparts) are the other parties.
HOME_PLACE = "泸州市"
