from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.ingest.evaluation import evaluate, evaluation_pairs, format_report
from apps.ingest.parser import parse_article


def parse(text: str, year: int | None):
    return parse_article(text, title=text.strip()[:20] or "t", reference_year=year)


class Command(BaseCommand):
    help = (
        "Score the extractor on hand-annotated texts: DIR holds NAME.txt + NAME.gold.json pairs. "
        "Prints per kind gold/found/matched/P/R/F1, status and date accuracy, and every false positive."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        if not evaluation_pairs(directory):
            raise CommandError(f"{directory}: no NAME.txt with a NAME.gold.json beside it")
        self.stdout.write(format_report(evaluate(directory, parse), title=str(directory)), ending="")
