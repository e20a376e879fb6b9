"""The statuses and date precisions of the plan's records, defined once.

The models use them as their field choices (``Project.Status`` is ``ProjectStatus``) and the
parser, which knows no model, reads them from here, so a code is typed in one place only.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):  # in order of progress: lists sort by it
    UNKNOWN = "unknown", _("未说明")
    PLANNED = "planned", _("规划中")
    APPROVED = "approved", _("已批复/入选")
    UNDER_CONSTRUCTION = "building", _("在建")
    OPEN = "open", _("已建成/开通")


class DocumentStatus(models.TextChoices):  # not in order: see DOCUMENT_PROGRESS
    PLANNED = "planned", _("拟编制")
    DRAFTING = "drafting", _("编制中")
    ISSUED = "issued", _("已印发/出台")
    REFERENCED = "referenced", _("引用")


class DatePrecision(models.TextChoices):
    DAY = "day", _("日")
    LATE_MONTH = "late_month", _("月底/下旬")
    MONTH = "month", _("月")
    QUARTER = "quarter", _("季度")
    HALF_YEAR = "half_year", _("半年")
    YEAR = "year", _("年")
    PLAN_PERIOD = "plan_period", _("五年规划期")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("计划")
    DONE = "done", _("已完成")
