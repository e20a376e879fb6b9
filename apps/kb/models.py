"""The plan as linked records, each traced to the passage of the source it was read from.

Every record has a unique ``slug``: it is the record's URL and its natural key, so the
fixtures refer to records by slug (not by database id) and loading them twice, or into a
database where staff have added records, updates instead of duplicating or overwriting.
"""

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact, In
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.fingerprint import text_fingerprint
from apps.core.periods import first_day, plan_period_name
from apps.core.text import normalise, slug_for
from apps.core.vocabulary import DatePrecision, DocumentStatus, MilestoneStatus, ProjectStatus
from apps.search.index import Indexed, SearchDocument

from .constraints import DatePart
from .querysets import (
    AgreementQuerySet,
    AliasQuerySet,
    InitiativeQuerySet,
    MilestoneQuerySet,
    OrganizationQuerySet,
    PassageQuerySet,
    PlaceQuerySet,
    PolicyDocumentQuerySet,
    ProjectQuerySet,
    SlugQuerySet,
    SourceQuerySet,
)


class Versioned(models.Model):
    """A record staff edit: every save counts a version, so an edit made from a page opened
    before someone else's save is refused instead of silently undoing it (see
    ``apps.kb.edit_conflicts``)."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)

    def fill_derived_fields(self):
        """Set the fields computed from others. ``save()`` calls it, and so must a bulk write
        (the fixture load), which bypasses ``save()``."""


class SlugModel(Versioned):
    slug = models.SlugField(
        _("标识"),
        max_length=200,
        unique=True,
        allow_unicode=True,
        help_text=_("网址和数据文件中使用的唯一标识；留空则按名称自动生成。"),
    )

    objects = SlugQuerySet.as_manager()

    class Meta:
        abstract = True

    def natural_key(self):
        return (self.slug,)

    def fill_derived_fields(self):
        if not self.slug:
            self.slug = slug_for(self.slug_text())
        super().fill_derived_fields()

    def slug_text(self) -> str:
        """What a missing slug is made from."""
        return str(self)


def not_blank(field: str):
    return models.CheckConstraint(
        condition=~Q(**{field: ""}), name=f"%(app_label)s_%(class)s_{field}_not_blank"
    )


def date_matches_precision() -> Q:
    """The stored date is the first day of the period its precision names."""
    return (
        Q(date_precision=DatePrecision.DAY)
        | Q(Exact(DatePart("date", "day"), 1), date_precision=DatePrecision.MONTH)
        | Q(Exact(DatePart("date", "day"), 21), date_precision=DatePrecision.LATE_MONTH)
        # 一季度 starts on 1 January, 1 April, 1 July or 1 October; 上/下半年 on 1 January or 1 July.
        | Q(In(DatePart("date", "month"), [1, 4, 7, 10]), Exact(DatePart("date", "day"), 1),
            date_precision=DatePrecision.QUARTER)
        | Q(In(DatePart("date", "month"), [1, 7]), Exact(DatePart("date", "day"), 1),
            date_precision=DatePrecision.HALF_YEAR)
        | Q(Exact(DatePart("date", "month"), 1), Exact(DatePart("date", "day"), 1),
            date_precision__in=[DatePrecision.YEAR, DatePrecision.PLAN_PERIOD])
    )


def optional_date_matches_precision():
    """An agreement's or document's date: none (and no precision), or a date that is the first
    day of the period its precision names, as a milestone's."""
    return models.CheckConstraint(
        condition=Q(date__isnull=True, date_precision="") | (Q(date__isnull=False) & date_matches_precision()),
        name="%(app_label)s_%(class)s_date_matches_precision",
        violation_error_message=_("日期须为所选精度所指时期的第一天；没有日期时，日期精度留空。"),
    )


def part_of_year(d, precision) -> str:
    """第二季度 / 下半年, for the quarter and half-year precisions (empty otherwise)."""
    if precision == DatePrecision.QUARTER:
        return f"第{'一二三四'[(d.month - 1) // 3]}季度"
    if precision == DatePrecision.HALF_YEAR:
        return "上半年" if d.month < 7 else "下半年"
    return ""


def written_date(d, precision) -> str:
    """A date as precise as the source said it, never a made-up day: 2020年12月底,
    “十四五”期间（2021—2025年）. ``d`` is the first day of the period ``precision`` names."""
    match precision:
        case DatePrecision.DAY:
            return f"{d.year}年{d.month}月{d.day}日"
        case DatePrecision.LATE_MONTH:
            return f"{d.year}年{d.month}月底"
        case DatePrecision.MONTH:
            return f"{d.year}年{d.month}月"
        case DatePrecision.QUARTER | DatePrecision.HALF_YEAR:
            return f"{d.year}年{part_of_year(d, precision)}"
        case DatePrecision.PLAN_PERIOD:
            return f"“{plan_period_name(d.year)}”期间（{d.year}—{d.year + 4}年）"
        case _:
            return f"{d.year}年"


def period_end(d, precision):
    """The last day of the period that starts on ``d`` (2020年12月底 → 2020-12-31,
    “十四五”期间 → 2025-12-31); the database's twin is ``querysets.period_ended``."""
    months = {DatePrecision.MONTH: 1, DatePrecision.LATE_MONTH: 1, DatePrecision.QUARTER: 3,
              DatePrecision.HALF_YEAR: 6, DatePrecision.YEAR: 12, DatePrecision.PLAN_PERIOD: 60}.get(precision)
    if months is None:  # a day
        return d
    month = d.month - 1 + months  # months after January of d's year, to the month after the period
    following = datetime.date(d.year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def newest_source(sources):
    """The most recently published of ``sources`` (undated ones last), or None."""
    sources = [s for s in sources if s is not None]
    return max(sources, key=lambda s: (s.published is not None, s.published or 0, s.pk or 0), default=None)


class WrittenDate(models.Model):
    """When the source says a record happened, kept as a milestone keeps it: the first day of
    the period, how precise the text is, and the phrase as written (去年11月以来, 今年,
    2020年11月5日). Relative phrases are read against the source's year, never to an invented
    day: 去年11月 in a 2020 article is November 2019, to the month."""

    date = models.DateField(
        _("日期"), null=True, blank=True,
        help_text=_("原文所说的时间（签订、达成、印发或预计的时间），记时期的第一天，如“去年11月”记为11月1日；原文没说就留空。"),
    )
    date_precision = models.CharField(
        _("日期精度"), max_length=12, choices=DatePrecision, blank=True,
        help_text=_("与原文一样精确：原文只说月份就选“月”。没有日期时留空。"),
    )
    date_text = models.CharField(
        _("原文日期"), max_length=50, blank=True, help_text=_("原文中的日期写法，如“去年11月以来”“今年”。")
    )

    class Meta:
        abstract = True

    @property
    def date_display(self) -> str:
        """2019年11月, as precise as the source said it ("" when it gave no date)."""
        if self.date is None:
            return ""
        return written_date(self.date, self.date_precision or DatePrecision.YEAR)

    @property
    def date_as_written(self) -> str:
        """2019年11月（原文：去年11月以来）: the date and, when it says more, the phrase itself."""
        shown = self.date_display
        if shown and self.date_text and self.date_text not in shown:
            return f"{shown}（原文：{self.date_text}）"
        return shown

    def clean(self):
        super().clean()
        if self.date is not None and not self.date_precision:
            raise ValidationError({"date_precision": _("有日期时请选择日期精度。")})
        if self.date is None and self.date_precision:
            raise ValidationError({"date": _("选了日期精度时请填写日期。")})
        if self.date is not None:
            self.date = first_day(self.date, self.date_precision)


class Source(SlugModel):
    """One published text the plan was read from."""

    class Script(models.TextChoices):
        TRADITIONAL = "trad", _("繁体")
        SIMPLIFIED = "simp", _("简体")

    title = models.CharField(_("标题"), max_length=300)
    publisher = models.CharField(_("发布机构/媒体"), max_length=200, blank=True)
    author = models.CharField(_("作者"), max_length=200, blank=True)
    published = models.DateField(
        _("发布日期"), null=True, blank=True,
        help_text=_("时期的第一天，与里程碑日期的记法相同；精度见“发布日期精度”。"),
    )
    published_precision = models.CharField(
        _("发布日期精度"), max_length=12, choices=DatePrecision, blank=True,
        help_text=_("只知道月份时选“月”，如文中最后一个有日期的事件在11月5日、未写发布日的报道。"),
    )
    url = models.URLField(_("原文网址"), max_length=500, blank=True)
    script = models.CharField(_("文字"), max_length=4, choices=Script, default=Script.SIMPLIFIED)
    reference_year = models.PositiveSmallIntegerField(
        _("参照年份"),
        null=True,
        blank=True,
        help_text=_("文中“今年”所指的年份，用于推算“去年”“明年”等日期。"),
    )
    text = models.TextField(_("全文"), help_text=_("原文全文，按来源原样保存。"))
    content_hash = models.CharField(
        _("全文指纹"),
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("全文的 SHA-256，用于识别重复导入的文章。"),
    )
    document_type = models.CharField(
        _("文件类型"), max_length=50, blank=True, db_index=True,
        help_text=_("如“政府工作报告”“实施方案”“新闻报道”；文件库按它分类。"),
    )
    region = models.ForeignKey(
        "Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="sources",
        verbose_name=_("地区"), help_text=_("文件所属的地区，如省级政府工作报告的省份。"),
    )
    # The text as the file gave it (web-page chrome and all): a second run of the bulk import
    # skips a file by it even after the rules that strip the chrome have changed.
    raw_fingerprint = models.CharField(
        _("导入文件指纹"), max_length=64, unique=True, null=True, blank=True, editable=False,
        help_text=_("批量导入时原始文本（去除网页杂项之前）的 SHA-256，再次导入同一文件时据此跳过。"),
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("来源文章")
        verbose_name_plural = _("来源文章")
        # Newest first, undated last: PostgreSQL puts NULL first in a descending order, SQLite last.
        ordering = [F("published").desc(nulls_last=True), "title"]
        constraints = [not_blank("title"), not_blank("text")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        # Each of a source's passages asks for it when indexed (a report has hundreds, and
        # reverse() cost 0.14 s of a corpus import): made once per slug the instance has had.
        made = self.__dict__.get("_url")
        if made is None or made[0] != self.slug:
            made = self.__dict__["_url"] = (self.slug, reverse("kb:source-detail", kwargs={"slug": self.slug}))
        return made[1]

    @property
    def published_display(self) -> str:
        """2020年11月: the publication date as precise as it is known ("" when unknown)."""
        if not self.published:
            return ""
        return written_date(self.published, self.published_precision or DatePrecision.DAY)

    def fill_derived_fields(self):
        # Derived from the text, so an edited text can never keep a stale fingerprint.
        self.content_hash = text_fingerprint(self.text)
        super().fill_derived_fields()


class Passage(Indexed, Versioned):
    """An ordered paragraph, caption or heading of a source: the unit of evidence and search."""

    class Kind(models.TextChoices):
        HEADING = "heading", _("小节标题")
        SUBTITLE = "subtitle", _("小节副标题")
        PARAGRAPH = "paragraph", _("正文段落")
        CAPTION = "caption", _("图片说明")

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="passages", verbose_name=_("来源文章")
    )
    position = models.PositiveIntegerField(_("顺序"), help_text=_("在文章中的段落序号，从 1 开始。"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind, default=Kind.PARAGRAPH)
    section = models.CharField(
        _("所属小节"), max_length=100, blank=True, help_text=_("段落所在小节的标题，如“布局”。")
    )
    text = models.TextField(_("原文"))

    objects = PassageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("段落")
        verbose_name_plural = _("段落")
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="kb_passage_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="kb_passage_position_from_1"),
            not_blank("text"),
        ]

    def __str__(self):
        return f"{self.source} §{self.position}"

    def get_absolute_url(self):
        return f"{self.source.get_absolute_url()}#{self.anchor}"

    def natural_key(self):
        return (*self.source.natural_key(), self.position)

    natural_key.dependencies = ["kb.source"]

    @classmethod
    def from_db(cls, db, field_names, values):
        passage = super().from_db(db, field_names, values)
        # The source it was read with: a passage moved to another source moves the records
        # citing it to that source too (their search entries: apps/kb/signals.py).
        passage.loaded_source_id = passage.__dict__.get("source_id")
        return passage

    @property
    def moved_source(self) -> bool:
        loaded = getattr(self, "loaded_source_id", None)
        return loaded is not None and loaded != self.source_id

    @property
    def anchor(self):
        return f"p{self.position}"

    search_kind = "passage"
    # Prefetched, not joined: the passages of a batch share one instance of their source (its
    # URL is reversed once, its text read once, not once per passage).
    search_related = ((), ("source",))

    def search_document(self):
        section = f"{self.section} · " if self.section else ""
        return SearchDocument(
            title=f"{self.source.title} · {section}第{self.position}段", text=self.text,
            url=self.get_absolute_url(), date=self.source.published, source_id=self.source_id,
            indexed_title="",  # found by its own words, not by its source's title
        )


class Place(SlugModel):
    class Level(models.TextChoices):
        PROVINCE = "province", _("省/直辖市")
        CITY = "city", _("地级市")
        DISTRICT = "district", _("区")
        COUNTY = "county", _("县/县级市")
        TOWN = "town", _("镇/街道")
        ZONE = "zone", _("开发区/经开区")
        REGION = "region", _("跨行政区区域")

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )

    objects = PlaceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("地方")
        verbose_name_plural = _("地方")
        ordering = ["name"]
        constraints = [not_blank("name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:place-detail", kwargs={"slug": self.slug})


class Organization(SlugModel):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("党委政府")
        DEPARTMENT = "department", _("政府部门")
        GROUP = "group", _("领导小组/工作专班")
        MEETING = "meeting", _("会议/机制")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind, default=Kind.OTHER)
    place = models.ForeignKey(
        Place,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("所在地方"),
    )

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["name"]
        constraints = [not_blank("name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:organization-detail", kwargs={"slug": self.slug})


class Alias(Versioned):
    """Another name of a record: its full or short name, the other script, an older name
    (渝昆高铁川渝段 ↔ 重庆至昆明高速铁路川渝段). Search finds the record by it, and the record's
    page lists the passages of every document that use it."""

    class Kind(models.TextChoices):
        FULL = "full", _("全称")
        SHORT = "short", _("简称")
        SCRIPT = "script", _("繁体/简体")
        FORMER = "former", _("旧称")
        OTHER = "other", _("其他")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("记录类型"))
    object_id = models.PositiveBigIntegerField(_("记录编号"))
    record = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("别名"), max_length=200)
    kind = models.CharField(_("类型"), max_length=8, choices=Kind, default=Kind.SHORT)
    normalised = models.CharField(
        _("规范化名称"), max_length=400, editable=False, db_index=True,
        help_text=_("简体、小写的名称，用于按名称匹配（两种文字都能找到）。"),
    )

    objects = AliasQuerySet.as_manager()

    class Meta:
        verbose_name = _("别名")
        verbose_name_plural = _("别名")
        ordering = ["content_type", "object_id", "name"]
        constraints = [
            not_blank("name"),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "normalised"], name="kb_alias_once_per_record"
            ),
        ]

    def __str__(self):
        return self.name

    def fill_derived_fields(self):
        self.name = self.name.strip()
        self.normalised = normalise(self.name)[:400]
        super().fill_derived_fields()

    def clean(self):
        # The uniqueness is on the derived name, which no form edits, so Django's own check
        # skips it: checked here, so a repeated alias is a form error, not a database error.
        self.fill_derived_fields()
        same = Alias.objects.filter(
            content_type_id=self.content_type_id, object_id=self.object_id, normalised=self.normalised
        ).exclude(pk=self.pk)
        if self.content_type_id and self.object_id and same.exists():
            raise ValidationError({"name": _("这条记录已有别名“%(name)s”。") % {"name": self.name}})


class EvidencedModel(Indexed, SlugModel):
    """A record read from the source: it keeps the passages and the sentence it came from.
    Searchable by its name and what it says; shown under the source of its first evidence, and
    found by the search's source filter under every source it is evidenced in."""

    evidence = models.ManyToManyField(
        Passage,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("依据段落"),
        help_text=_("记录所依据的原文段落。"),
    )
    quote = models.TextField(
        _("依据原文"), blank=True, help_text=_("记录所依据的原文句子，按来源原样。")
    )
    aliases = GenericRelation(Alias)

    search_related = ((), ("evidence", "aliases"))

    class Meta:
        abstract = True

    @property
    def as_of_source(self):
        """The newest source behind the record (uses the evidence prefetch when there is one)."""
        return newest_source(p.source for p in self.evidence.all())

    def search_document(self):
        evidence = list(self.evidence.all())  # uses the prefetch when there is one
        first = evidence[0] if evidence else None
        title, text, date = self.search_fields()
        # Found by its other names as by its name (a title hit), shown under its name.
        names = " ".join(a.name for a in self.aliases.all())
        return SearchDocument(title=title, text=text.strip(), url=self.get_absolute_url(), date=date,
                              source_id=first.source_id if first else None,
                              source_ids=tuple(p.source_id for p in evidence),
                              indexed_title=f"{title} {names}" if names else None)

    @property
    def names(self) -> list[str]:
        """Its name and every alias (uses the alias prefetch when there is one)."""
        return [self.name_text(), *(a.name for a in self.aliases.all())]

    def name_text(self) -> str:
        return getattr(self, "name", None) or getattr(self, "title", "")

    def search_fields(self):
        """(title, text, date) as search shows and indexes them."""
        return str(self), f"{self.description} {self.quote}", None


class Initiative(EvidencedModel):
    """A strategy, platform, mechanism or task of the plan; may nest (两中心两区两地 → six items)."""

    class Kind(models.TextChoices):
        GOAL = "goal", _("目标定位")
        STRATEGY = "strategy", _("战略")
        PLATFORM = "platform", _("平台")
        MECHANISM = "mechanism", _("机制")
        TASK = "task", _("任务")

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind, default=Kind.TASK)
    description = models.TextField(_("说明"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级举措"),
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="initiatives", verbose_name=_("涉及地方")
    )

    objects = InitiativeQuerySet.as_manager()
    search_kind = "initiative"
    history = HistoricalRecords(m2m_fields=[places])

    class Meta:
        verbose_name = _("举措")
        verbose_name_plural = _("举措")
        ordering = ["name"]
        constraints = [not_blank("name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:initiative-detail", kwargs={"slug": self.slug})


class Project(EvidencedModel):
    class Kind(models.TextChoices):
        RAILWAY = "railway", _("铁路")
        EXPRESSWAY = "expressway", _("高速公路")
        HIGHWAY = "highway", _("公路")
        BRIDGE = "bridge", _("桥梁")
        PORT = "port", _("港口")
        CORRIDOR = "corridor", _("通道")
        INDUSTRIAL_PARK = "park", _("产业园区")
        BUS_LINE = "bus", _("公交线路")
        PILOT = "pilot", _("改革试点")
        OTHER = "other", _("其他")

    Status = ProjectStatus

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind, default=Kind.OTHER)
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.UNKNOWN)
    description = models.TextField(_("说明"), blank=True)
    places = models.ManyToManyField(
        Place, blank=True, related_name="projects", verbose_name=_("涉及地方")
    )
    initiatives = models.ManyToManyField(
        Initiative,
        blank=True,
        related_name="projects",
        verbose_name=_("服务的举措"),
        help_text=_("该项目服务于哪些举措。"),
    )

    objects = ProjectQuerySet.as_manager()
    search_kind = "project"
    history = HistoricalRecords(m2m_fields=[places, initiatives])

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["name"]
        constraints = [not_blank("name")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:project-detail", kwargs={"slug": self.slug})


class Agreement(WrittenDate, EvidencedModel):
    class Kind(models.TextChoices):
        STRATEGIC = "strategic", _("战略合作协议")
        COOPERATION = "cooperation", _("合作协议")
        MEMORANDUM = "memorandum", _("合作备忘录")
        SPECIAL = "special", _("专项协议")
        CONSENSUS = "consensus", _("合作共识")

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind, default=Kind.COOPERATION)
    description = models.TextField(_("说明"), blank=True)
    count = models.PositiveIntegerField(
        _("协议数量"),
        null=True,
        blank=True,
        help_text=_("原文以总数提及时填写，如“专项协议超过50个”记 50。"),
    )
    count_is_minimum = models.BooleanField(
        _("数量为下限"), default=False, help_text=_("原文说“超过”“以上”“余”时勾选。")
    )
    party_places = models.ManyToManyField(
        Place, blank=True, related_name="agreements", verbose_name=_("签约地方")
    )
    party_organizations = models.ManyToManyField(
        Organization, blank=True, related_name="agreements", verbose_name=_("签约机构")
    )
    initiatives = models.ManyToManyField(
        Initiative, blank=True, related_name="agreements", verbose_name=_("服务的举措")
    )

    objects = AgreementQuerySet.as_manager()
    search_kind = "agreement"
    history = HistoricalRecords(m2m_fields=[party_places, party_organizations, initiatives])

    class Meta:
        verbose_name = _("合作协议")
        verbose_name_plural = _("合作协议")
        ordering = ["name"]
        constraints = [
            not_blank("name"),
            optional_date_matches_precision(),
            models.CheckConstraint(
                condition=Q(count__isnull=True) | Q(count__gte=1), name="kb_agreement_count_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("kb:agreement-detail", kwargs={"slug": self.slug})

    def search_fields(self):
        return self.name, f"{self.description} {self.quote}", self.date


class PolicyDocument(WrittenDate, EvidencedModel):
    Status = DocumentStatus

    title = models.CharField(_("标题"), max_length=300, help_text=_("书名号《》内的标题。"))
    issuer = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("发布机构"),
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status, default=Status.REFERENCED)
    initiatives = models.ManyToManyField(
        Initiative, blank=True, related_name="documents", verbose_name=_("相关举措")
    )

    objects = PolicyDocumentQuerySet.as_manager()
    search_kind = "document"
    history = HistoricalRecords(m2m_fields=[initiatives])

    class Meta:
        verbose_name = _("政策文件")
        verbose_name_plural = _("政策文件")
        ordering = ["title"]
        constraints = [not_blank("title"), optional_date_matches_precision()]

    def __str__(self):
        return f"《{self.title}》"

    def get_absolute_url(self):
        return reverse("kb:document-detail", kwargs={"slug": self.slug})

    def slug_text(self):
        return self.title  # without the 《》 that str() adds

    def search_fields(self):
        return str(self), self.quote, self.date


class Milestone(EvidencedModel):
    """Something that happened or is due. Chinese news dates are vague, so a milestone keeps
    the first day of the period, how precise it is, and the phrase as written."""

    Precision = DatePrecision
    Status = MilestoneStatus

    title = models.CharField(_("事项"), max_length=300)
    date = models.DateField(_("日期"), help_text=_("时期的第一天，如“12月底”记为12月21日。"))
    date_precision = models.CharField(_("日期精度"), max_length=12, choices=Precision)
    date_text = models.CharField(
        _("原文日期"), max_length=50, blank=True, help_text=_("原文中的日期写法，如“今年5月”。")
    )
    status = models.CharField(_("状态"), max_length=8, choices=Status, default=Status.DONE)
    initiative = models.ForeignKey(
        Initiative, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="milestones", verbose_name=_("相关举措"),
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="milestones", verbose_name=_("相关项目"),
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="milestones", verbose_name=_("相关协议"),
    )
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="milestones", verbose_name=_("相关文件"),
    )

    objects = MilestoneQuerySet.as_manager()
    search_kind = "milestone"
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["date", "title"]
        constraints = [
            not_blank("title"),
            # The stored date is the first day of the period its precision names.
            models.CheckConstraint(condition=date_matches_precision(), name="kb_milestone_date_matches_precision"),
        ]

    def __str__(self):
        return f"{self.date_display} {self.title}"

    def get_absolute_url(self):
        return reverse("kb:milestone-detail", kwargs={"slug": self.slug})

    def search_fields(self):
        # The sentence first, the dates after it: a snippet opens on what happened, not on the
        # date twice (the result's date line shows it); the phrase as written only if it is new.
        written = self.date_text if self.date_text and self.date_text not in self.quote else ""
        return self.title, " ".join(filter(None, [self.quote, self.date_display, written])), self.date

    @property
    def is_planned(self):
        return self.status == self.Status.PLANNED

    @property
    def date_display(self) -> str:
        """The date as precise as the source said it, never a made-up day:
        2020年12月底（预计）, “十四五”期间（2021—2025年）."""
        text = written_date(self.date, self.date_precision)
        return f"{text}（预计）" if self.is_planned else text

    @property
    def period_label(self):
        """The timeline heading it falls under: its month, or the whole year or plan period."""
        if self.date_precision == self.Precision.PLAN_PERIOD:
            return f"“{plan_period_name(self.date.year)}”期间"
        if self.date_precision == self.Precision.YEAR:
            return "全年"
        if self.date_precision in (self.Precision.QUARTER, self.Precision.HALF_YEAR):
            return self.part_of_year
        return f"{self.date.month}月"

    @property
    def part_of_year(self) -> str:
        """第二季度 / 下半年, for the quarter and half-year precisions (empty otherwise)."""
        return part_of_year(self.date, self.date_precision)

    def overdue_on(self, today) -> bool:
        """Planned, and the whole period it was due in is before ``today``."""
        return self.is_planned and period_end(self.date, self.date_precision) < today

    @property
    def period_band(self) -> str:
        """The five-year plan period a plan_period milestone spans: “十四五”期间（2021—2025年）."""
        return written_date(self.date, self.Precision.PLAN_PERIOD)

    @property
    def is_plan_period(self):
        return self.date_precision == self.Precision.PLAN_PERIOD

    @property
    def concerns(self):
        """What the milestone is about, most specific first."""
        return [r for r in (self.project, self.agreement, self.document, self.initiative) if r]
