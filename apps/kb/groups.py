"""The staff groups every installation has after ``migrate``."""

from django.contrib.auth.models import Group, Permission

from .models import Versioned

PLANNERS = "规划人员"
VIEWERS = "只读人员"


def staff_models(app_config):
    """The records staff edit: every versioned model of the app (not the history tables
    django-simple-history adds beside them, nor the M2M link tables)."""
    return [model for model in app_config.get_models() if issubclass(model, Versioned)]


def ensure_staff_groups(app_config, **kwargs):
    names = [model._meta.model_name for model in staff_models(app_config)]
    kb_perms = Permission.objects.filter(content_type__app_label=app_config.label, content_type__model__in=names)
    planners, _ = Group.objects.get_or_create(name=PLANNERS)
    planners.permissions.add(*kb_perms)
    viewers, _ = Group.objects.get_or_create(name=VIEWERS)
    viewers.permissions.add(*kb_perms.filter(codename__startswith="view_"))
