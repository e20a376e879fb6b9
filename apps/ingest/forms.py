from django import forms
from django.core.exceptions import ValidationError

from apps.core.text import slug_for

from .parser import ArticleError, parse_article, read_text
from .staging import keep_article, kept_article

MAX_ARTICLE_BYTES = 512 * 1024
# The review posts at most three fields per candidate (keep, name, status); settings'
# DATA_UPLOAD_MAX_NUMBER_FIELDS is sized for this many, so a review that renders can be saved.
MAX_REVIEW_CANDIDATES = 3000


class ArticleForm(forms.Form):
    """The import: the article, pasted or uploaded, and what the parser needs. The review
    step posts the same form back with ``kept`` naming the bytes it reviewed."""

    title = forms.CharField(label="标题", max_length=300)
    published = forms.DateField(label="发布日期", required=False, help_text="格式 2020-11-20；可不填。")
    reference_year = forms.IntegerField(
        label="“今年”指哪一年", required=False, min_value=1990, max_value=2100,
        help_text="不填则从文中推断（如“今年是‘十三五’规划的收官年”）或取发布日期的年份。",
    )
    text = forms.CharField(label="粘贴全文", widget=forms.Textarea(attrs={"rows": 12}), required=False)
    upload = forms.FileField(label="或上传 .txt 文件（UTF-8 或 GB18030）", required=False)
    kept = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, user_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user_id = user_id

    def clean(self):
        data = super().clean()
        if data.get("kept"):
            raw = kept_article(data["kept"], user_id=self.user_id)
            if raw is None:
                raise ValidationError("审核的原文已过期或不存在，请重新粘贴或上传文章。")
        else:
            raw = self.submitted_bytes(data)
        try:
            data["article_text"] = read_text(raw)
            data["article"] = self.parse(data["article_text"], data)
        except ArticleError as exc:
            raise ValidationError(f"无法导入：{exc}") from None
        candidates = data["article"].candidate_count
        if candidates > MAX_REVIEW_CANDIDATES:
            raise ValidationError(
                f"这篇文章有 {candidates} 条候选记录，一次最多审核 {MAX_REVIEW_CANDIDATES} 条；请分成几部分导入。"
            )
        data["kept"] = data.get("kept") or keep_article(raw, user_id=self.user_id)
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
            raise ValidationError(f"全文太长：上限 {MAX_ARTICLE_BYTES // 1024} KB。")
        return raw

    @staticmethod
    def parse(text, data):
        return parse_article(
            text, title=data.get("title"), key=slug_for(data.get("title") or ""),
            reference_year=data.get("reference_year"), published=data.get("published"),
        )
