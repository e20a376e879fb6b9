"""The import's forms: the article (pasted or uploaded), then a formset over one page of the
parser's candidates, which edits the draft the article was parsed into."""

import re

from django import forms
from django.contrib.admin.widgets import get_select2_language
from django.core.exceptions import ValidationError
from django.forms.formsets import BaseFormSet, formset_factory

from apps.core.periods import first_day
from apps.core.text import slug_for
from apps.kb.models import Milestone
from apps.kb.script_forms import KeepsWrittenText

from .parser import ArticleError, parse_article, read_text
from .review import (
    EXISTING,
    KIND_CHOICES,
    KINDS,
    LINKS,
    MODELS,
    NAME_FIELD,
    PAGE_SIZE,
    PLURAL,
    SINGULAR,
    STATUS_CHOICES,
    Ref,
    Review,
    existing_label,
    existing_ref,
    likely_matches,
    type_label,
)

MAX_ARTICLE_BYTES = 512 * 1024
# Kinds of record with a date of their own that may be empty (a milestone's is required).
DATED_RECORDS = ("agreements", "documents")
# The save is one transaction that writes every candidate with its history and index entry
# (600 take a few seconds); a draft of this many is also a few MB of JSON. The review is paged
# (PAGE_SIZE a page), so the count no longer depends on how many fields a POST may carry.
MAX_REVIEW_CANDIDATES = 3000
# Links a row may set in one field (an agreement of the seed has 8 parties). With PAGE_SIZE
# rows a page, this bounds a page's POST under settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
# (tests/kb/test_import_review.py checks the sum).
MAX_LINKS = 30

# The parser's reasons, as the planner reads them.
REASONS = {
    "the file is empty": "原文是空的。",
    "the article is empty": "原文是空的。",
    "the file is binary": "这是二进制文件，不是文本（含有 NUL 字节）。",
    "the text is binary": "文本里有 NUL 字符，像是二进制文件。",
    "the file is neither UTF-8 nor GB18030": "文件既不是 UTF-8 也不是 GB18030 编码的文本。",
    "the article has no paragraphs": "文章没有正文段落（只有标题或图片说明）。",
    "cannot tell which year": "看不出“今年”指哪一年：请填写“今年”指哪一年。",
}


TITLE_LENGTH = 300  # Source.title


def first_line(text: str) -> str:
    """An article's title as it is usually pasted: its first non-empty line ("" if none)."""
    return next((line.strip() for line in text.lstrip("\ufeff").splitlines() if line.strip()), "")


def reason_in_chinese(error: ArticleError) -> str:
    message = str(error)
    return next((text for start, text in REASONS.items() if message.startswith(start)), message)


class ArticleForm(forms.Form):
    """The import's first step: the article, pasted or uploaded, and what the parser needs.
    A valid form holds the parse in ``cleaned_data["article"]`` and the size as uploaded."""

    # translate="no": the page is shown in the reader's script (apps/kb/script.py), but what is
    # typed or pasted here is posted back and stored as written, so it is never converted.
    title = forms.CharField(label="标题", max_length=TITLE_LENGTH, required=False,
                            widget=forms.TextInput(attrs={"translate": "no"}), help_text="不填则取全文的第一行。")
    published = forms.DateField(label="发布日期", required=False, help_text="格式 2020-11-20；可不填。")
    reference_year = forms.IntegerField(
        label="“今年”指哪一年", required=False, min_value=1990, max_value=2100,
        help_text="不填则从文中推断（如“今年是‘十三五’规划的收官年”）或取发布日期的年份。",
    )
    text = forms.CharField(label="粘贴全文", widget=forms.Textarea(attrs={"rows": 12, "translate": "no"}),
                           required=False, strip=False)
    upload = forms.FileField(label="或上传 .txt 文件（UTF-8 或 GB18030）", required=False)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        raw = self.submitted_bytes(data)
        try:
            text = read_text(raw)
            data["title"] = data.get("title") or first_line(text)[:TITLE_LENGTH]
            data["article"] = parse_article(
                text, title=data.get("title"), key=slug_for(data.get("title") or ""),
                reference_year=data.get("reference_year"), published=data.get("published"),
            )
        except ArticleError as exc:
            raise ValidationError(f"无法导入：{reason_in_chinese(exc)}") from None
        data["size"] = len(raw)
        candidates = data["article"].candidate_count
        if candidates > MAX_REVIEW_CANDIDATES:
            raise ValidationError(
                f"这篇文章有 {candidates} 条候选记录，一次最多审核 {MAX_REVIEW_CANDIDATES} 条；请分成几部分导入。"
            )
        return data

    @staticmethod
    def submitted_bytes(data) -> bytes:
        """The article's bytes as given, measured once, before anything decodes them."""
        upload, text = data.get("upload"), (data.get("text") or "")
        if upload and text.strip():
            raise ValidationError("请只粘贴全文或只上传文件，不要两样都给。")
        if upload:
            if upload.size > MAX_ARTICLE_BYTES:
                raise ValidationError(f"文件太大：{upload.size // 1024} KB，上限 {MAX_ARTICLE_BYTES // 1024} KB。")
            return upload.read(MAX_ARTICLE_BYTES + 1)
        raw = text.encode("utf-8")
        if len(raw) > MAX_ARTICLE_BYTES:
            raise ValidationError(f"全文太长：{len(raw) // 1024} KB，上限 {MAX_ARTICLE_BYTES // 1024} KB。")
        return raw


# ---------------------------------------------------------------- links, with autocomplete

# A candidate of this draft by its number, or an existing record by kind and slug.
CANDIDATE_VALUE = re.compile(r"c:(\d{1,6})")
EXISTING_VALUE = re.compile(r"r:([a-z]{1,20}):([\w-]{1,200})")


def candidate_value(cid: int) -> str:
    return f"c:{cid}"


def existing_value(kind: str, slug: str) -> str:
    return f"r:{SINGULAR[kind]}:{slug}"


class AutocompleteMedia:
    """select2 as the admin ships it (admin/js/autocomplete.js starts every element of class
    ``admin-autocomplete``); the options come from the draft's own lookup, whose address each
    row's widget carries in ``data-ajax--url``."""

    @property
    def media(self):
        i18n = get_select2_language()
        return forms.Media(
            js=("admin/js/vendor/jquery/jquery.js", "admin/js/vendor/select2/select2.full.js",
                *([f"admin/js/vendor/select2/i18n/{i18n}.js"] if i18n else []),
                "admin/js/jquery.init.js", "admin/js/autocomplete.js"),
            css={"screen": ("admin/css/vendor/select2/select2.css", "admin/css/autocomplete.css")},
        )

    def autocomplete(self, url: str):
        self.attrs.update({
            "class": "admin-autocomplete", "data-ajax--url": url, "data-ajax--cache": "true",
            "data-ajax--delay": 250, "data-ajax--type": "GET", "data-theme": "admin-autocomplete",
            "data-allow-clear": "true", "data-placeholder": "", "data-width": "100%",
            "lang": get_select2_language() or "",
        })


class LinkSelect(AutocompleteMedia, forms.Select):
    pass


class LinkSelectMultiple(AutocompleteMedia, forms.SelectMultiple):
    pass


class LinkField(forms.Field):
    """Links to candidates of this draft or records already in the knowledge base, of the
    kinds given. The value is checked against the draft and the database, not against the
    options the page rendered (the autocomplete offers more than those)."""

    def __init__(self, *, kinds, multiple=False, existing_only=False, **kwargs):
        self.kinds, self.multiple, self.existing_only = kinds, multiple, existing_only
        self.review: Review | None = None  # set by the form
        kwargs.setdefault("required", False)
        super().__init__(widget=LinkSelectMultiple if multiple else LinkSelect, **kwargs)

    def to_python(self, value):
        if self.multiple:
            if value in self.empty_values:
                return []
            if not isinstance(value, list | tuple):
                raise ValidationError("关联的格式不对。")
            return [str(v) for v in value]
        return "" if value in self.empty_values else str(value)

    def clean(self, value):
        values = self.to_python(value)
        refs = [self.resolve(v) for v in (values if self.multiple else [values] if values else [])]
        if len(refs) > MAX_LINKS:
            raise ValidationError(f"最多关联 {MAX_LINKS} 条记录。")
        refs = list(dict.fromkeys(refs))
        return refs if self.multiple else (refs[0] if refs else None)

    def resolve(self, value: str) -> Ref:
        if m := CANDIDATE_VALUE.fullmatch(value):
            cid = int(m.group(1))
            if self.existing_only or cid >= self.review.count or self.review.index[cid][0] not in self.kinds:
                raise ValidationError("所选的候选记录不存在或类别不符。")
            return self.review.ref_of_candidate(cid)
        if m := EXISTING_VALUE.fullmatch(value):
            kind, slug = PLURAL.get(m.group(1)), m.group(2)
            record = MODELS[kind].objects.filter(slug=slug).first() if kind in self.kinds else None
            if record is None:
                raise ValidationError("所选的已有记录不存在或类别不符。")
            return Ref(kind, EXISTING + slug, existing_label(kind, record))
        raise ValidationError("关联的格式不对。")


def ref_value(review: Review, ref: Ref) -> str:
    if ref.key.startswith(EXISTING):
        return existing_value(ref.kind, ref.key[len(EXISTING):])
    return candidate_value(review.cid_of(ref.kind, ref.key))


# ---------------------------------------------------------------- one candidate, one page


class CandidateForm(KeepsWrittenText, forms.Form):
    """One candidate of the review. Which fields it has depends on the candidate's kind of
    record; the kinds, statuses and precisions are offered by their Chinese labels."""

    cid = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=MAX_REVIEW_CANDIDATES)
    record_type = forms.ChoiceField(label="类别", choices=[(kind, type_label(kind)) for kind in KINDS])
    name = forms.CharField(label="名称")
    kind = forms.ChoiceField(label="类型")
    status = forms.ChoiceField(label="状态")
    date = forms.DateField(label="日期", help_text="时期中的任一天即可，保存时按精度取时期的第一天。")
    date_precision = forms.ChoiceField(label="日期精度", choices=Milestone.Precision.choices)
    date_text = forms.CharField(label="原文日期", max_length=50, required=False)
    concerns = LinkField(label="相关事项", kinds=LINKS["concerns"][1])
    issuer = LinkField(label="发布机构", kinds=LINKS["issuer"][1])
    initiatives = LinkField(label="服务的举措", kinds=LINKS["initiatives"][1], multiple=True)
    places = LinkField(label="涉及地方", kinds=LINKS["places"][1], multiple=True)
    parties = LinkField(label="签约方", kinds=LINKS["parties"][1], multiple=True)
    merge_into = LinkField(label="合并到已有记录", kinds=(), existing_only=True,
                           help_text="选中后不新建记录：导入只给这条已有记录添加依据和关联，其名称、状态等不变。")

    def __init__(self, *args, review: Review, row, choices_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.review, self.row = review, row
        if row is None:  # a posted row that names no candidate of this page: cleaned to an error
            return
        kind = row.kind
        model = MODELS[kind]
        name_field = model._meta.get_field(NAME_FIELD.get(kind, "name"))
        self.fields["name"] = forms.CharField(label=name_field.verbose_name, max_length=name_field.max_length)
        if kind in KIND_CHOICES:
            self.fields["kind"].choices = KIND_CHOICES[kind].choices
            self.fields["kind"].label = model._meta.get_field("level" if kind == "places" else "kind").verbose_name
        else:
            del self.fields["kind"]
        if kind in STATUS_CHOICES:
            self.fields["status"].choices = STATUS_CHOICES[kind].choices
        else:
            del self.fields["status"]
        if kind in DATED_RECORDS:  # a date of their own, as the source gives it, or none
            self.fields["date"].required = False
            self.fields["date"].help_text = "原文没说就留空；时期中的任一天即可，保存时按精度取时期的第一天。"
            self.fields["date_precision"].required = False
            self.fields["date_precision"].choices = [("", "—"), *Milestone.Precision.choices]
        elif kind != "milestones":
            for name in ("date", "date_precision", "date_text"):
                del self.fields[name]
        for name, (on, _kinds) in LINKS.items():
            if kind not in on:
                del self.fields[name]
        if kind == "documents":
            self.fields["initiatives"].label = "相关举措"
        self.fields["merge_into"].kinds = (kind,)
        for name, field in self.fields.items():
            if isinstance(field, LinkField):
                field.review = review
                field.widget.autocomplete(f"{choices_url}?cid={row.cid}&field={name}")
                field.widget.choices = self.link_options(name) + self.posted_options(name)
        self.initial = {**self.current(), **self.initial}

    def current(self) -> dict:
        """The candidate as stored, as this form's initial values."""
        row, review = self.row, self.review
        record = row.record
        values = {"cid": row.cid, "record_type": row.kind, "name": row.name, "DELETE": row.dropped,
                  "kind": getattr(record, "level" if row.kind == "places" else "kind", None),
                  "status": getattr(record, "status", None)}
        if row.kind == "milestones" or row.kind in DATED_RECORDS:
            values.update(date=record.date, date_precision=record.precision, date_text=record.date_text)
        for name in LINKS:
            if name in self.fields:
                refs = [ref_value(review, ref) for ref in review.refs(row, name)]
                values[name] = refs if self.fields[name].multiple else (refs[0] if refs else "")
        if row.merged:
            values["merge_into"] = existing_value(row.kind, row.merged)
        return values

    def link_options(self, name: str) -> list[tuple[str, str]]:
        """What the select offers before (or without) the autocomplete: the current links
        and, for a merge, the likely matches; for a link, the candidates the row's sentence
        names."""
        row, review = self.row, self.review
        options = [("", "—")] if not self.fields[name].multiple else []
        if name == "merge_into":
            current = [existing_value(row.kind, row.merged)] if row.merged else []
            matches = [(existing_value(row.kind, r.slug), existing_label(row.kind, r))
                       for r in likely_matches(row.kind, row.name)]
            if row.merged and current[0] not in dict(matches):
                ref = existing_ref(row.kind, row.merged)
                matches.insert(0, (current[0], ref.label if ref else f"“{row.merged}”（已不存在）"))
            return options + matches
        refs = review.refs(row, name)
        chosen = [(ref_value(review, ref), ref.label) for ref in refs]
        named = [(candidate_value(cid), review.candidate_label(cid)) for cid in review.named_in(row, LINKS[name][1])]
        return options + list(dict.fromkeys(chosen + named))

    def posted_options(self, name: str) -> list[tuple[str, str]]:
        """When a page comes back with errors: the links the reviewer chose through the
        autocomplete, so the select still shows them."""
        if not self.is_bound:
            return []
        field = self.fields[name]
        posted = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        options = []
        for value in (posted if isinstance(posted, list) else [posted])[:MAX_LINKS]:
            try:
                options.append((value, field.resolve(str(value)).label))
            except ValidationError:
                continue
        return options

    def clean(self):
        data = super().clean()
        if self.row is None:
            raise ValidationError("本页没有这条候选记录：请重新打开本页。")
        if data.get("cid") != self.row.cid:
            raise ValidationError("候选记录编号不符：请重新打开本页。")
        if "name" in data:
            data["name"] = data["name"].strip()
        if data.get("date") and data.get("date_precision"):
            data["date"] = first_day(data["date"], data["date_precision"])
        elif data.get("date") and "date_precision" in self.fields:
            self.add_error("date_precision", "有日期时请选择日期精度。")
        # A precision without a date: the date was cleared, and the precision goes with it (Review.edit).
        return data


class CandidateFormSet(BaseFormSet):
    """The candidates of one page of the review, each form bound to its candidate by the
    posted ``cid`` (as a model formset binds a form to its object by the posted pk)."""

    def __init__(self, *args, review: Review, page: int, choices_url: str, **kwargs):
        self.review, self.page, self.choices_url = review, page, choices_url
        self.cids = review.page_cids(page)
        super().__init__(*args, **kwargs)

    def initial_form_count(self):
        return super().initial_form_count() if self.is_bound else len(self.cids)

    def total_form_count(self):
        return super().total_form_count() if self.is_bound else len(self.cids)

    def get_form_kwargs(self, index):
        if index is None:  # the empty form (formset.media asks for it when a page has no rows)
            cid = None
        else:
            cid = self.cids[index] if not self.is_bound else self.posted_cid(index)
        row = self.review.row(cid) if cid in self.cids else None
        return {"review": self.review, "row": row, "choices_url": self.choices_url}

    def posted_cid(self, index):
        value = self.data.get(f"{self.add_prefix(index)}-cid", "")
        return int(value) if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 7 else None

    def clean(self):
        posted = [form.cleaned_data.get("cid") for form in self.forms]
        if sorted(c for c in posted if c is not None) != self.cids:
            raise ValidationError("本页的候选记录与草稿不符（可能在另一个窗口改过）：请重新打开本页。")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "不导入"

    def rows(self) -> list[tuple[int, dict]]:
        """(cid, cleaned data) of each row, for ``Review.apply_page``."""
        return [(form.cleaned_data["cid"], form.cleaned_data) for form in self.forms]


CandidateFormSetFactory = formset_factory(
    CandidateForm, formset=CandidateFormSet, extra=0, can_delete=True,
    max_num=PAGE_SIZE, absolute_max=PAGE_SIZE, validate_max=True,
)
