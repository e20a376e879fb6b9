import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.core.text import slug_for
from apps.core.vocabulary import DatePrecision
from apps.ingest.fixtures import CorrectionError, apply_corrections, dumps, to_fixture
from apps.ingest.parser import ArticleError, parse_article, read_text


class Command(BaseCommand):
    help = "把一篇文章解析为知识库记录，输出 Django fixture JSON（同样的输入得到逐字节相同的输出）。"

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--year", type=int, help="the year 今年 means (default: inferred from the text)")
        parser.add_argument("--title", help="the article's title (default: the start of its first paragraph)")
        parser.add_argument("--published", type=datetime.date.fromisoformat,
                            help="YYYY-MM-DD, the first day of the period --published-precision names")
        parser.add_argument("--published-precision", choices=DatePrecision.values, default="",
                            help="how precise --published is (default: day)")
        parser.add_argument("--publisher", default="")
        parser.add_argument("--url", default="")
        parser.add_argument("--corrections", type=Path, help="reviewed corrections (JSON) to apply")
        parser.add_argument("-o", "--output", type=Path, help="write here instead of standard output")

    def handle(self, *args, path, year, title, published, published_precision, publisher, url, corrections, output,
               **options):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: cannot read: {exc.strerror}") from None
        try:
            article = parse_article(
                read_text(data), title=title, key=slug_for(path.stem), reference_year=year, published=published
            )
        except ArticleError as exc:
            raise CommandError(f"{path}: {exc}") from None
        if corrections:
            try:
                apply_corrections(article, json.loads(corrections.read_text(encoding="utf-8")))
            except (OSError, ValueError, CorrectionError) as exc:
                raise CommandError(f"{corrections}: {exc}") from None
        text = dumps(to_fixture(article, publisher=publisher, url=url, published_precision=published_precision))
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}")
        else:
            self.stdout.write(text, ending="")
