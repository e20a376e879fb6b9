from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ingest.services import KEEP, REPLACE, ImportRefused, import_fixture_files


class Command(BaseCommand):
    help = "载入 fixtures/ 中整理好的规划记录（可重复执行，不会重复创建）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="fixture JSON files (default: fixtures/*.json)")
        parser.add_argument(
            "--replace", action="store_true",
            help="overwrite records that exist already (default: keep them as staff left them, add new links)",
        )

    def handle(self, *args, paths, replace, **options):
        paths = paths or sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
        paths = [p for p in paths if p.name != "corrections.json"]
        if not paths:
            self.stdout.write("No fixtures to load.")
            return
        try:
            result = import_fixture_files(paths=paths, existing=REPLACE if replace else KEEP)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"Loaded {len(paths)} file(s): {result.created} created, "
            f"{result.updated} {'replaced' if replace else 'already there (kept)'}."
        )
