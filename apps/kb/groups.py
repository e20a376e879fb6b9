"""The staff groups every installation has after ``migrate``."""

from django.contrib.auth.models import Group, Permission

PLANNERS = "规划人员"
VIEWERS = "只读人员"

KB_MODELS = [
    "source", "passage", "initiative", "project", "agreement",
    "milestone", "policydocument", "organization", "place",
]


def ensure_staff_groups(**kwargs):
    kb_perms = Permission.objects.filter(content_type__app_label="kb", content_type__model__in=KB_MODELS)
    planners, _ = Group.objects.get_or_create(name=PLANNERS)
    planners.permissions.add(*kb_perms)
    viewers, _ = Group.objects.get_or_create(name=VIEWERS)
    viewers.permissions.add(*kb_perms.filter(codename__startswith="view_"))
