from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.ingest.loading import load_fixtures
from apps.ingest.services import ImportRefused


class Command(BaseCommand):
    help = "载入 fixtures/ 中整理好的规划记录（可重复执行：工作人员的修改、删除和移除的关联都保留）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path, help="fixture JSON files (default: fixtures/*.json)")
        parser.add_argument(
            "--replace", action="store_true",
            help="overwrite from the fixtures: fields, links, and records staff deleted "
                 "(default: keep everything as staff left it, add only what is new)",
        )

    def handle(self, *args, paths, replace, **options):
        paths = paths or sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json"))
        paths = [p for p in paths if p.name != "corrections.json"]
        if not paths:
            self.stdout.write("No fixtures to load.")
            return
        try:
            report = load_fixtures(paths=paths, replace=replace)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from None
        if replace:
            summary = (f"{report.created} created, {report.recreated} recreated, {report.replaced} overwritten, "
                       f"{report.kept} already as in the fixtures")
        else:
            summary = (f"{report.created} created, {report.kept} already there (kept), "
                       f"{report.links_added} links added")
        self.stdout.write(f"Loaded {len(paths)} file(s): {summary}.")
        self.list("Deleted by staff, not recreated (--replace brings them back)", report.left_deleted)
        self.list("Links removed by staff, not re-added (--replace restores them)", report.left_unlinked)
        self.list("No longer in the fixtures, kept (delete them in the admin if they should go)",
                  report.no_longer_in_fixtures)

    def list(self, heading, names):
        if names:
            self.stdout.write(f"{heading}: {len(names)}")
            for name in names:
                self.stdout.write(f"  {name}")
