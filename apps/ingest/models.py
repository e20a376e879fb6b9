import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
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


class CandidateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Candidate.Status.PENDING)


class Candidate(models.Model):
    """A record the extractor proposes from a document, waiting for staff: nothing of it is on
    a public page until it is accepted (then it is a kb record like any other) or merged into a
    record that is there. One row per proposed record, with the passage it was read from.

    ``action`` says what accepting does: ``new`` creates the record; ``update`` changes a record
    already there whose name it has, where the new document says something different (a
    project's status), and the queue shows the record's sentence beside the new one; ``merge``
    adds the passage to a record as evidence (what the admin import's reviewer chose)."""

    class Kind(models.TextChoices):
        PLACE = "places", _("地方")
        ORGANIZATION = "organizations", _("机构")
        INITIATIVE = "initiatives", _("举措")
        PROJECT = "projects", _("项目")
        AGREEMENT = "agreements", _("合作协议")
        DOCUMENT = "documents", _("政策文件")
        MILESTONE = "milestones", _("里程碑")

    class Action(models.TextChoices):
        NEW = "new", _("新记录")
        UPDATE = "update", _("更新已有记录")
        MERGE = "merge", _("合并到已有记录")

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已接受")
        REJECTED = "rejected", _("已拒绝")
        MERGED = "merged", _("已合并")

    source = models.ForeignKey(
        "kb.Source", on_delete=models.CASCADE, related_name="candidates", verbose_name=_("来源文章")
    )
    passage = models.ForeignKey(
        "kb.Passage", on_delete=models.CASCADE, null=True, blank=True, related_name="candidates",
        verbose_name=_("依据段落"), help_text=_("提出该候选的原文段落（第一处）。"),
    )
    kind = models.CharField(_("类别"), max_length=16, choices=Kind)
    key = models.CharField(_("标识"), max_length=200, help_text=_("解析器给出的标识，接受后作为记录的标识。"))
    name = models.CharField(_("名称"), max_length=300)
    fields = models.JSONField(
        _("提出的字段"), default=dict, help_text=_("解析器读出的字段（状态、类型、日期、关联的标识）。")
    )
    quote = models.TextField(_("依据原文"), blank=True)
    action = models.CharField(_("建议"), max_length=8, choices=Action, default=Action.NEW)
    changes = models.JSONField(
        _("与已有记录的不同"), default=dict, blank=True,
        help_text=_("更新候选：字段 → [已有记录的值, 新文件的值]。"),
    )
    confidence = models.FloatField(
        _("可信度"), help_text=_("0–1，由名称是否在句中、是否识别出类型和状态、提及次数等推算（解析器本身不给分）。"),
    )
    status = models.CharField(_("审核状态"), max_length=10, choices=Status, default=Status.PENDING, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("目标记录类型")
    )
    target_id = models.PositiveBigIntegerField(_("目标记录编号"), null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created = models.DateTimeField(_("提出时间"), auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("候选记录")
        verbose_name_plural = _("审核队列")
        ordering = ["status", "-confidence", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "key"], name="ingest_candidate_one_per_document"),
            models.CheckConstraint(
                condition=models.Q(confidence__gte=0, confidence__lte=1), name="ingest_candidate_confidence_0_1"
            ),
        ]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"
