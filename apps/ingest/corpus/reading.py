"""Files → documents: plain-text files (UTF-8 or GB18030), folders of them, and CSV files with
a text column and metadata columns. Pure functions, no ORM: what a file holds, or why it
cannot be read, said per file (and per CSV row), so one bad file never stops the others.
"""

import csv
import datetime
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from apps.core.fingerprint import text_fingerprint
from apps.core.vocabulary import DatePrecision

TEXT_SUFFIXES = {".txt", ".text"}
CSV_SUFFIXES = {".csv"}
# The column that holds a document's text, and its metadata columns, by the names collections
# use (the report CSVs: province, year, title, source_url, publish_date, full_text).
TEXT_COLUMNS = ("full_text", "text", "content", "body", "正文", "全文", "内容")
COLUMNS = {
    "title": ("title", "标题", "题名"),
    "region": ("province", "region", "省份", "地区"),
    "year": ("year", "年份"),
    "url": ("source_url", "url", "link", "网址", "链接", "原文网址"),
    "published": ("publish_date", "published", "date", "发布日期", "日期"),
    "issuer": ("issuer", "publisher", "发布机构", "发文机关"),
    "document_type": ("document_type", "type", "doc_type", "文件类型", "类型"),
}
# Columns that describe documents kept elsewhere: a CSV with these and no text column is the
# collection's bookkeeping (run_manifest_2026.csv, failures_2026.csv), not a document.
BOOKKEEPING_COLUMNS = {
    "reason",
    "error",
    "status",
    "source_type",
    "text_length",
    "length",
    "chars",
    "fetched_at",
    "retries",
    "attempts",
}
# Types recognised in a title, most specific first.
DOCUMENT_TYPES = (
    "政府工作报告",
    "规划纲要",
    "实施方案",
    "行动方案",
    "工作方案",
    "规划",
    "意见",
    "通知",
    "决定",
    "办法",
    "条例",
    "公报",
    "白皮书",
)
MAX_URL = 500  # Source.url
csv.field_size_limit(50_000_000)  # a report's text is one field; the default (128 KB) is too small


class Unreadable(ValueError):
    """The file (or CSV row) is not a document that can be read; the message says why."""


@dataclass
class Document:
    """One document to import, with the metadata its file gave (empty when it gave none)."""

    origin: str  # the file, or the file and the CSV row: what a report names
    text: str  # as the file gave it, decoded, chrome and all
    size: int  # bytes read for it
    title: str = ""
    issuer: str = ""
    document_type: str = ""
    region: str = ""  # a place name (the province of a provincial report)
    url: str = ""
    published: datetime.date | None = None
    published_precision: str = ""
    reference_year: int | None = None
    title_is_name: bool = False  # the title is the file's name: the text may hold a better one

    @property
    def fingerprint(self) -> str:
        """Of the text as given (line ends, byte-order mark and outer blank space aside), so
        the same file saved as UTF-8 or GB18030, with CRLF or LF, is one document."""
        return text_fingerprint(plain_lines(self.text))


@dataclass
class Problem:
    origin: str
    message: str


@dataclass
class Skipped:
    origin: str
    note: str


def plain_lines(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").strip()


# ---------------------------------------------------------------- decoding


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else GB18030; binary and undecodable files
    are refused with the reason."""
    if b"\x00" in data:
        raise Unreadable("是二进制文件（含 NUL 字节），不是文本")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise Unreadable(f"无法解码：既不是 UTF-8（第 {utf8.start} 字节出错）也不是 GB18030") from None


# ---------------------------------------------------------------- files and folders


def walk(paths) -> Iterator[Path | Skipped | Problem]:
    """The files to read under ``paths`` (folders recursively, in name order). A file named on
    the command line is read whatever its suffix; in a folder, only .txt and .csv files."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in TEXT_SUFFIXES | CSV_SUFFIXES:
                    yield child
                elif not child.name.startswith("."):
                    yield Skipped(str(child), "不是 .txt 或 .csv 文件")
        elif path.is_file():
            yield path
        else:
            yield Problem(str(path), "文件或文件夹不存在")


def read_path(path: Path) -> Iterator[Document | Problem | Skipped]:
    """The documents of one file: one for a text file, one per row for a CSV file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Problem(str(path), f"无法读取：{exc.strerror or exc}")
        return
    try:
        text = decode(data)
    except Unreadable as exc:
        yield Problem(str(path), str(exc))
        return
    if path.suffix.lower() in CSV_SUFFIXES:
        yield from read_csv(text, origin=str(path))
        return
    if not text.strip():
        yield Problem(str(path), "文件是空的")
        return
    yield Document(
        origin=str(path),
        text=text,
        size=len(data),
        title=path.stem,
        title_is_name=True,
        reference_year=year_in(path.stem),
    )


def read_all(paths) -> Iterator[Document | Problem | Skipped]:
    for item in walk(paths):
        if isinstance(item, Path):
            yield from read_path(item)
        else:
            yield item


# ---------------------------------------------------------------- CSV


def column_for(header: list[str], names) -> str | None:
    lowered = {h.strip().lower(): h for h in header}
    return next((lowered[n] for n in names if n in lowered), None)


def read_csv(text: str, *, origin: str) -> Iterator[Document | Problem | Skipped]:
    """One document per row of a CSV with a text column. A CSV of bookkeeping columns only is
    skipped with a note; one with neither is refused; a bad row is refused by its number and the
    other rows are read."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Problem(origin, f"不是有效的 CSV：{exc}")
        return
    if not header or not any(h.strip() for h in header):
        yield Problem(origin, "CSV 文件是空的（没有表头）")
        return
    text_column = column_for(header, TEXT_COLUMNS)
    if text_column is None:
        columns = "、".join(h.strip() for h in header)
        if {h.strip().lower() for h in header} & BOOKKEEPING_COLUMNS:
            yield Skipped(origin, f"是文件集的记录清单（列：{columns}），不是文件，已跳过")
        else:
            yield Problem(origin, f"没有正文列（应为 {' / '.join(TEXT_COLUMNS)} 之一；实有列：{columns}）")
        return
    wanted = {name: column_for(header, names) for name, names in COLUMNS.items()}
    index = {h: i for i, h in enumerate(header)}
    rows = 0
    while True:
        where = f"{origin}：第 {rows + 1} 条记录"
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield Problem(f"{where}（第 {reader.line_num} 行）", f"CSV 格式错误：{exc}；此后的记录无法读取")
            return
        rows += 1
        if not any(cell.strip() for cell in row):
            continue  # a blank line between records
        if len(row) != len(header):
            yield Problem(where, f"列数不对：表头 {len(header)} 列，此行 {len(row)} 列")
            continue
        values = {name: row[index[column]].strip() if column else "" for name, column in wanted.items()}
        try:
            yield document_of(values, text=row[index[text_column]], origin=where, size=len("\x1f".join(row).encode()))
        except Unreadable as exc:
            yield Problem(where, str(exc))
    if rows == 0:
        yield Skipped(origin, "CSV 文件只有表头，没有记录")


def document_of(values: dict[str, str], *, text: str, origin: str, size: int) -> Document:
    """A CSV row's document, its metadata read from its columns (the issuer of a provincial
    report is the province's people's government; its type is read from the title)."""
    if not text.strip():
        raise Unreadable("正文为空")
    if "\x00" in text:
        raise Unreadable("正文含 NUL 字符")
    published, precision = read_date(values["published"])
    year = values["year"]
    if year and not re.fullmatch(r"\d{4}", year):
        raise Unreadable(f"年份“{year[:20]}”不是四位数字")
    if len(values["url"]) > MAX_URL:
        raise Unreadable(f"网址超过 {MAX_URL} 个字符")
    region, title = values["region"], values["title"]
    return Document(
        origin=origin,
        text=text,
        size=size,
        title=title,
        region=region,
        url=values["url"],
        issuer=values["issuer"] or issuer_of(region),
        document_type=values["document_type"] or type_of(title),
        published=published,
        published_precision=precision,
        reference_year=int(year) if year else (published.year if published else year_in(title)),
    )


def issuer_of(region: str) -> str:
    """四川省 → 四川省人民政府 (a provincial-level government names itself so)."""
    return f"{region}人民政府" if region else ""


def type_of(title: str) -> str:
    return next((kind for kind in DOCUMENT_TYPES if kind in title), "")


def year_in(text: str) -> int | None:
    match = re.search(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", text)
    return int(match.group(1)) if match else None


_DATE = re.compile(r"(\d{4})(?:[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?)?")


def read_date(text: str) -> tuple[datetime.date | None, str]:
    """2026-02-09 → (that day, day); 2026-02 → (1 February, month); 2026 → (1 January, year).
    A time after the date is ignored. Anything else is refused."""
    text = text.strip()
    if not text:
        return None, ""
    match = _DATE.match(text)
    rest = text[match.end() :].strip() if match else text
    if not match or (rest and not re.fullmatch(r"[T ]?\d{1,2}:\d{2}(?::\d{2})?", rest)):
        raise Unreadable(f"发布日期“{text[:30]}”无法识别（应为 2026-02-09 这样的日期）")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if day:
            return datetime.date(year, month, day), DatePrecision.DAY
        if month:
            return datetime.date(year, month, 1), DatePrecision.MONTH
        return datetime.date(year, 1, 1), DatePrecision.YEAR
    except ValueError:
        raise Unreadable(f"发布日期“{text[:30]}”不是有效日期") from None
