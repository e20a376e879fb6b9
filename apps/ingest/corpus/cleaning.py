"""A web page's text → the document's text: the page's chrome (下载 / 打印 / 全屏 / 收藏,
【字号 大 中 小】, breadcrumbs, 来源： / 时间： lines, share and print links, related-article
lists after the end) is dropped, and so are lines that repeat the title or a date. Pure
functions over lines; the headings (一、… / （一）…) are the parser's to recognise.
"""

import datetime
import re

from apps.core.text import normalise

# Whole lines that are a page's buttons and labels, never a document's words.
CHROME_LINES = {
    "下载",
    "打印",
    "全屏",
    "收藏",
    "加大",
    "还原",
    "减小",
    "大",
    "中",
    "小",
    "【",
    "】",
    "|",
    ">",
    "»",
    "×",
    "首页",
    "分享",
    "分享:",
    "分享到:",
    "分享到微信",
    "阅读量:",
    "来源:",
    "时间:",
    "发布时间:",
    "发表时间:",
    "日期:",
    "作者:",
    "编辑:",
    "责任编辑:",
    "打印本页",
    "关闭窗口",
    "【打印本页】",
    "【关闭窗口】",
    "您的位置:",
    "当前位置:",
    "字号:",
    "字体:",
    "【字号:",
    "【字体:",
}
# A page's furniture after the document ends: from the first of these near the end, the rest goes.
FOOTER_LINES = {
    "相关报道:",
    "相关文档:",
    "相关新闻:",
    "相关阅读:",
    "相关附件>>",
    "相关链接>>",
    "相关附件:",
    "相关链接:",
    "扫一扫在手机打开当前页",
    "打印本页",
    "关闭窗口",
    "【打印本页】",
    "【关闭窗口】",
    "》》点击图片进入专题《《",
    "分享到:",
    "分享:",
}
FOOTER_REACH = 30  # lines from the end within which a footer marker counts
CHROME_PATTERNS = [
    re.compile(r"^【?(?:字号|字体)[:：]?.{0,16}】?$"),  # 【字号 大 中 小】 on one line
    re.compile(r"^[(（]?(?:来源|稿源|作者|责任编辑|编辑|审核|校对)[:：].{0,20}?[)）]?$"),  # 来源：解放日报
    re.compile(r"^(?:时间|日期|发布时间|发表时间)[:：]\s*\S.{0,24}$"),  # 时间：2026-02-09
    re.compile(r"^阅读量[:：]?\s*\d*$"),
    re.compile(r"^(?:您的位置|当前位置)[:：].{0,60}$"),  # a breadcrumb on one line
    re.compile(r"^[0-9a-f]{32}[:：]?$"),  # a page's element id
]
# A line that is only a date or a time: the date is metadata, and the page repeats it.
DATE_LINE = re.compile(
    r"^\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日)"
    r"(?:\s*\d{1,2}(?::\d{2}(?::\d{2})?|时\d{1,2}分(?:\d{1,2}秒)?))?$"
)
SENTENCE_FINAL = ("。", "！", "？", "!", "?", "；", ";", "…")
MAX_REPEATED = 60  # a repeated line this short with no sentence end is the page's, not the text's


def clean_lines(text: str, *, title: str = "") -> list[str]:
    """The document's lines without the page's chrome, in order, blank lines dropped."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    lines = lines[: footer_start(lines)]
    titles = {_key(title)} if title else set()
    kept, seen = [], set()
    after_label = after_arrow = False
    for line in lines:
        norm = normalise(line)
        key = _key(line)
        label = norm in {"来源:", "时间:", "发布时间:", "发表时间:", "日期:", "阅读量:", "编辑:", "责任编辑:"}
        drop = (
            is_chrome(norm)
            or (after_arrow and len(norm) <= 20)  # 首页 > 政府信息公开 > 政府工作报告: the crumbs
            or (after_label and len(norm) <= 24 and not norm.endswith(SENTENCE_FINAL))  # 来源： / 四川日报
            or key in titles
            or any(len(key) >= 4 and key in t and not norm.endswith(SENTENCE_FINAL) for t in titles)  # 政府工作报告
            or (key in seen and len(norm) <= MAX_REPEATED and not norm.endswith(SENTENCE_FINAL))
        )
        seen.add(key)
        after_label, after_arrow = label, norm in {">", "»"}
        if not drop:
            kept.append(line)
    return join_broken(kept)


# A line cannot start with these: it continues the line before (the page broke a sentence at an
# inline element: a link, a bold word, a subscript).
CONTINUING = set("。，、；：？！”’）)》%％…")
OPENERS = set("“‘（(《【")
PAIRS = (("“", "”"), ("（", "）"), ("(", ")"), ("《", "》"))
FRAGMENT = re.compile(r"^[0-9A-Za-z.%]{1,6}$")  # PM / 2.5 / 年平均浓度…: a subscript on its own line


def join_broken(lines: list[str]) -> list[str]:
    """Lines the page broke inside a sentence, joined again: a line that starts with closing
    punctuation, or follows a line left with an open quote or bracket, or is a short Latin or
    number fragment inside a sentence."""
    out: list[str] = []
    glue_next = False
    for line in lines:
        prev = out[-1] if out else ""
        if prev and (glue_next or continues(prev, line)):
            out[-1] = prev + line
            glue_next = bool(FRAGMENT.match(line)) and not line.endswith(SENTENCE_FINAL)
        else:
            out.append(line)
            glue_next = False
    return out


def continues(prev: str, line: str) -> bool:
    if line[0] in CONTINUING:
        return True
    if prev.endswith(SENTENCE_FINAL):
        return False
    if prev[-1] in OPENERS or any(prev.count(a) > prev.count(b) for a, b in PAIRS):
        return True
    return bool(FRAGMENT.match(line)) and re.search(r"[A-Za-z0-9]$", prev) is not None


def page_date(text: str, *, within: int = 25) -> datetime.date | None:
    """The date a page shows near its top (时间：2026-02-09, 2026年02月10日 07时41分): a text
    file's publication date when nothing else gives one."""
    for line in text.splitlines()[:within]:
        norm = normalise(line.strip())
        norm = re.sub(r"^(?:时间|日期|发布时间|发表时间)[:：]\s*", "", norm)
        if DATE_LINE.match(norm):
            y, m, d = (int(n) for n in re.findall(r"\d+", norm)[:3])
            try:
                return datetime.date(y, m, d)
            except ValueError:
                return None
    return None


def clean_text(text: str, *, title: str = "") -> str:
    return "\n".join(clean_lines(text, title=title))


def is_chrome(norm: str) -> bool:
    """A line that is a page's button, label, breadcrumb or date (normalised: NFKC makes the
    full-width colon half-width)."""
    return norm in CHROME_LINES or DATE_LINE.match(norm) is not None or any(p.match(norm) for p in CHROME_PATTERNS)


def footer_start(lines: list[str]) -> int:
    """Where the page's furniture after the document begins: the first footer marker among the
    last FOOTER_REACH lines, and the short lines just above it (an editor's name); or the end."""
    start = max(0, len(lines) - FOOTER_REACH)
    for i in range(start, len(lines)):
        if normalise(lines[i]) in FOOTER_LINES:
            while i > start and len(lines[i - 1]) <= 4 and not lines[i - 1].endswith(SENTENCE_FINAL):
                i -= 1
            return i
    return len(lines)


def _key(line: str) -> str:
    """A line as compared for repeats: normalised, spaces and dashes of a subtitle aside."""
    return re.sub(r"[\s\u3000—―\-]+", "", normalise(line)).strip("()（）")
