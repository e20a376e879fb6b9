from django.core.management.base import BaseCommand

from apps.search.index import rebuild


class Command(BaseCommand):
    help = "重建全文检索索引（段落和各类记录）。"

    def handle(self, *args, **options):
        self.stdout.write(f"Indexed {rebuild()} entries.")
