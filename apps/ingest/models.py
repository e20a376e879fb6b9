from django.db import models
from django.utils.translation import gettext_lazy as _


class LoadedRecord(models.Model):
    """One record of the committed fixtures as ``load_plan`` last left it: what the fixture
    calls it, which database record it became, and which links the load made.

    The fixture's key does not change when staff edit a slug, so the ledger, not the slug,
    says which record a fixture record is. A record or link the load made that is gone now
    was deleted by staff, and a later load leaves it deleted."""

    fixture = models.CharField(_("数据文件"), max_length=200, help_text=_("最近一次载入该记录的文件名。"))
    model = models.CharField(_("记录类型"), max_length=100, help_text=_("如 kb.project。"))
    key = models.CharField(
        _("文件中的标识"), max_length=500, help_text=_("数据文件中的自然键（JSON），如 [\"渝昆高铁川渝段\"]。")
    )
    object_id = models.PositiveBigIntegerField(
        _("记录编号"), null=True, blank=True, help_text=_("载入生成的记录；为空表示工作人员已删除，不再重建。")
    )
    links = models.JSONField(
        _("载入添加的关联"), default=dict, blank=True,
        help_text=_("按字段列出载入添加过的关联（自然键）；其中已不存在的是工作人员移除的，不再添加。"),
    )

    class Meta:
        verbose_name = _("已载入记录")
        verbose_name_plural = _("已载入记录")
        ordering = ["fixture", "model", "key"]
        constraints = [models.UniqueConstraint(fields=["model", "key"], name="ingest_loadedrecord_unique_key")]

    def __str__(self):
        return f"{self.model} {self.key}"
