import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class ImportDraftQuerySet(models.QuerySet):
    def open(self):
        return self.filter(expires__gt=timezone.now())

    def expired(self):
        return self.filter(expires__lte=timezone.now())

    def of(self, user):
        """The drafts this person may review: their own, not expired."""
        return self.open().filter(owner=user)


class ImportDraft(models.Model):
    """An article being imported: parsed once when it is uploaded, then reviewed page by page
    until it is saved (and deleted) or expires. The text and passages are written once; the
    candidates are the reviewed state, which each page of the review edits."""

    LIFETIME = datetime.timedelta(days=1)
    KEPT_PER_OWNER = 10

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_drafts", verbose_name=_("审核人")
    )
    title = models.CharField(_("标题"), max_length=300)
    size = models.PositiveIntegerField(_("上传字节数"), help_text=_("上传或粘贴的原文大小，只在上传时量一次。"))
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires = models.DateTimeField(_("过期时间"), db_index=True)
    source = models.JSONField(_("原文与段落"), help_text=_("解析时写入一次：标题、全文、段落。"))
    candidates = models.JSONField(_("候选记录"), help_text=_("按类别、标识存放，审核时修改。"))
    review = models.JSONField(
        _("审核决定"), default=dict,
        help_text=_("index：候选编号 → [类别, 标识]；dropped：不导入的编号；merged：编号 → 合并到的已有记录标识。"),
    )

    objects = ImportDraftQuerySet.as_manager()

    class Meta:
        verbose_name = _("导入草稿")
        verbose_name_plural = _("导入草稿")
        ordering = ["-created"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.expires is None:
            self.expires = timezone.now() + self.LIFETIME
        super().save(*args, **kwargs)
