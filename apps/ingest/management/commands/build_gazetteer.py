from pathlib import Path

import jieba
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ingest import gazetteer_build
from apps.ingest.gazetteer import EXTRA_PLACES, GAZETTEER_FILE

DEFAULT_DIVISIONS = Path(settings.BASE_DIR).parent / "shared" / "data" / "china-divisions"


class Command(BaseCommand):
    help = "从行政区划数据（../shared/data/china-divisions/）和 apps/ingest/rules/places.toml 生成解析器的地名表。"

    def add_arguments(self, parser):
        parser.add_argument("--divisions", type=Path, default=DEFAULT_DIVISIONS)
        parser.add_argument("-o", "--output", type=Path, default=GAZETTEER_FILE)

    def handle(self, *args, divisions, output, **options):
        if not (divisions / "areas.csv").exists():
            raise CommandError(f"{divisions}: no areas.csv (the china-divisions data)")
        words = gazetteer_build.jieba_words(Path(jieba.__file__).with_name("dict.txt"))
        rows = gazetteer_build.rows(divisions, EXTRA_PLACES, words)
        gazetteer_build.write(rows, output)
        self.stderr.write(f"Wrote {output}: {len(rows)} places")
