"""How well the extractor reads texts it was not written for: hand-written gold against what
``parse_article`` finds. Pure functions (no ORM); ``manage.py evaluate_extraction`` prints them.

A text ``NAME.txt`` has its gold in ``NAME.gold.json``: ``{"year": 2026, "places": [names],
"organizations": [...], "initiatives": [...], "projects": [{"name", "status"}], "agreements": [...],
"documents": [{"name", "status", "date", "precision"}],
"milestones": [{"title", "must", "date", "precision", "status"}]}``.

A found record matches a gold one when their names are equal after NFKC, Simplified conversion and
removal of spaces and quote marks, or when one contains the other and they differ by at most two
characters. A milestone's title is free text (subject + event), so a found milestone also matches
when it contains every word of the gold's ``must`` list.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from apps.core.text import normalise

KINDS = ["places", "organizations", "initiatives", "projects", "agreements", "documents", "milestones"]
QUOTES_AND_SPACES = re.compile(r"[\s\"'“”‘’「」『』]")
# A name that begins or ends with one of these is a piece of a clause, not a name.
FUNCTION_WORDS = tuple("将把对的在和与及等了是为被从")
CLAUSE_VERBS = (
    "表示",
    "指出",
    "介绍",
    "提出",
    "加快",
    "推进",
    "推动",
    "打造",
    "提升",
    "开工",
    "建成",
    "实现",
    "出台",
    "印发",
    "编制",
    "制定",
    "签署",
    "签订",
)


def comparable(name: str) -> str:
    return QUOTES_AND_SPACES.sub("", normalise(name or ""))


def same_name(gold: str, found: str) -> bool:
    a, b = comparable(gold), comparable(found)
    if not a or not b:
        return False
    return a == b or ((a in b or b in a) and abs(len(a) - len(b)) <= 2)


def is_fragment(name: str) -> bool:
    """A record name that is a piece of its sentence (the issue's "clause fragment")."""
    n = comparable(name)
    return bool(n) and (
        n.startswith(FUNCTION_WORDS)
        or n.endswith(FUNCTION_WORDS)
        or any(n.startswith(v) for v in CLAUSE_VERBS)
        or n.endswith(("表示", "指出"))
    )


@dataclass
class Found:
    name: str
    status: str | None = None
    date: str | None = None
    precision: str | None = None


def found_records(article) -> dict[str, list[Found]]:
    """What the parser proposes, kind by kind. A place added only as the parent of another
    (四川省 above 泸州市) was not read from the text, so it is not counted as found."""
    return {
        "places": [Found(p.name) for p in article.places.values() if not getattr(p, "implied", False)],
        "organizations": [Found(o.name) for o in article.organizations.values()],
        "initiatives": [Found(i.name) for i in article.initiatives.values()],
        "projects": [Found(p.name, p.status) for p in article.projects.values()],
        "agreements": [Found(a.name) for a in article.agreements.values()],
        "documents": [
            Found(d.title, d.status, d.date.isoformat() if d.date else None, d.precision or None)
            for d in article.documents.values()
        ],
        "milestones": [
            Found(m.title, m.status, m.date.isoformat() if m.date else None, m.precision)
            for m in article.milestones.values()
        ],
    }


def gold_records(gold: dict) -> dict[str, list[dict]]:
    out = {}
    for kind in KINDS:
        items = gold.get(kind, [])
        out[kind] = [
            {"name": item} if isinstance(item, str) else {**item, "name": item.get("name") or item.get("title")}
            for item in items
        ]
    return out


def matches(kind: str, gold: dict, found: Found) -> bool:
    if same_name(gold["name"], found.name):
        return True
    if kind == "milestones" and gold.get("must"):
        title = comparable(found.name)
        return all(comparable(word) in title for word in gold["must"])
    return False


def pair_up(kind: str, gold: list[dict], found: list[Found]) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, found index): equal names first, then the looser rules."""
    pairs, used_gold, used_found = [], set(), set()
    for strict in (True, False):
        for g, item in enumerate(gold):
            if g in used_gold:
                continue
            for f, candidate in enumerate(found):
                if f in used_found:
                    continue
                hit = (
                    (comparable(item["name"]) == comparable(candidate.name))
                    if strict
                    else matches(kind, item, candidate)
                )
                if hit:
                    pairs.append((g, f))
                    used_gold.add(g)
                    used_found.add(f)
                    break
    return pairs


@dataclass
class KindScore:
    gold: int = 0
    found: int = 0
    matched: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    right: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.right / self.total if self.total else None


@dataclass
class Report:
    kinds: dict[str, KindScore] = field(default_factory=lambda: {k: KindScore() for k in KINDS})
    project_status: Ratio = field(default_factory=Ratio)
    document_status: Ratio = field(default_factory=Ratio)
    milestone_dates: Ratio = field(default_factory=Ratio)
    document_dates: Ratio = field(default_factory=Ratio)
    false_positives: list[tuple[str, str, str]] = field(default_factory=list)  # (text, kind, name)
    missed: list[tuple[str, str, str]] = field(default_factory=list)
    wrong: list[tuple[str, str, str, str]] = field(default_factory=list)  # (text, kind, name, what)
    fragments: list[tuple[str, str, str]] = field(default_factory=list)
    texts: int = 0

    @property
    def overall(self) -> KindScore:
        total = KindScore()
        for score in self.kinds.values():
            total.gold += score.gold
            total.found += score.found
            total.matched += score.matched
        return total


def score_text(report: Report, label: str, gold: dict, found: dict[str, list[Found]]) -> None:
    report.texts += 1
    gold = gold_records(gold)
    for kind in KINDS:
        g_items, f_items = gold[kind], found[kind]
        pairs = pair_up(kind, g_items, f_items)
        score = report.kinds[kind]
        score.gold += len(g_items)
        score.found += len(f_items)
        score.matched += len(pairs)
        matched_f = {f for _, f in pairs}
        matched_g = {g for g, _ in pairs}
        report.false_positives += [(label, kind, f.name) for i, f in enumerate(f_items) if i not in matched_f]
        report.missed += [(label, kind, g["name"]) for i, g in enumerate(g_items) if i not in matched_g]
        if kind != "milestones":
            report.fragments += [(label, kind, f.name) for f in f_items if is_fragment(f.name)]
        for g, f in pairs:
            item, rec = g_items[g], f_items[f]
            if kind in ("projects", "documents") and item.get("status"):
                ratio = report.project_status if kind == "projects" else report.document_status
                ratio.total += 1
                ratio.right += rec.status == item["status"]
                if rec.status != item["status"]:
                    report.wrong.append((label, kind, rec.name, f"status {rec.status}, gold {item['status']}"))
            if kind == "documents" and "date" in item:  # the gold says when (null: the text does not)
                want, got = (item["date"], item.get("precision")), (rec.date, rec.precision)
                report.document_dates.total += 1
                report.document_dates.right += got == want
                if got != want:
                    report.wrong.append((label, kind, rec.name, f"date {got}, gold {want}"))
            if kind == "milestones":
                want = (item["date"], item["precision"], item["status"])
                got = (rec.date, rec.precision, rec.status)
                report.milestone_dates.total += 1
                report.milestone_dates.right += got == want
                if got != want:
                    report.wrong.append((label, kind, rec.name, f"{got}, gold {want}"))


def evaluation_pairs(directory: Path) -> list[tuple[str, str, dict]]:
    """(name, text, gold) for every NAME.txt with a NAME.gold.json beside it, in name order."""
    out = []
    for text_path in sorted(Path(directory).glob("*.txt")):
        gold_path = text_path.with_name(text_path.stem + ".gold.json")
        if gold_path.exists():
            out.append(
                (
                    text_path.stem,
                    text_path.read_text(encoding="utf-8"),
                    json.loads(gold_path.read_text(encoding="utf-8")),
                )
            )
    return out


def evaluate(directory: Path, parse) -> Report:
    """Score ``parse(text, year) -> ParsedArticle`` on every pair in ``directory``."""
    report = Report()
    for name, text, gold in evaluation_pairs(directory):
        score_text(report, name, gold, found_records(parse(text, gold.get("year"))))
    return report


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def format_report(report: Report, *, title: str = "") -> str:
    lines = [f"{title} ({report.texts} texts)" if title else f"{report.texts} texts", ""]
    lines.append("| kind | gold | found | matched | P | R | F1 |")
    lines.append("|---|---|---|---|---|---|---|")
    for kind, s in [*report.kinds.items(), ("**all**", report.overall)]:
        lines.append(
            f"| {kind} | {s.gold} | {s.found} | {s.matched} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} |"
        )
    lines.append("")
    for label, ratio in (
        ("project status accuracy", report.project_status),
        ("document status accuracy", report.document_status),
        ("milestone date accuracy (date, precision, planned/done)", report.milestone_dates),
        ("document date accuracy (date and precision, or none where the text gives none)", report.document_dates),
    ):
        lines.append(f"- {label}: {_pct(ratio.value)} ({ratio.right}/{ratio.total})")
    lines.append(f"- names that are clause fragments: {len(report.fragments)}")
    for title_, rows in (
        ("false positives", report.false_positives),
        ("missed", report.missed),
        ("wrong status or date", report.wrong),
        ("clause fragments", report.fragments),
    ):
        lines.append("")
        lines.append(f"{title_} ({len(rows)}):")
        lines += ["  " + " · ".join(row) for row in rows]
    return "\n".join(lines) + "\n"
