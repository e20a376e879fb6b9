from django.core.management.base import BaseCommand

from apps.search.index import rebuild


class Command(BaseCommand):
    help = "重建全文检索索引（段落和各类记录）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="分词进程数（默认 1）；写入始终由本进程完成。",
        )

    def handle(self, *args, jobs, **options):
        self.stdout.write(f"Indexed {rebuild(jobs=max(1, jobs))} entries.")
