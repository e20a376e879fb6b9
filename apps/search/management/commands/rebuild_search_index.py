from django.core.management.base import BaseCommand
from django.db import connection, transaction

from apps.search.backends import backend_for
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
        parser.add_argument(
            "--common-words",
            action="store_true",
            help="不重建索引，只重新统计常用词的命中数（PostgreSQL；大批导入之后用，期间写入稍候）。",
        )

    def handle(self, *args, jobs, common_words, **options):
        if not common_words:
            self.stdout.write(f"Indexed {rebuild(jobs=max(1, jobs))} entries.")
            return
        with transaction.atomic():
            counted = backend_for(connection).count_common_words()
        if counted is None:
            self.stdout.write(f"{connection.vendor} keeps no counts of common words ahead: nothing to do.")
        else:
            self.stdout.write(f"Counted {counted} common words ahead.")
