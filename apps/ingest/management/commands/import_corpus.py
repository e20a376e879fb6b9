import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.ingest.corpus.importing import import_paths, total_bytes

STATUS = {"imported": "导入", "skipped": "跳过", "failed": "失败"}


class Command(BaseCommand):
    help = (
        "批量导入文件集：纯文本文件（UTF-8 或 GB18030）、文件夹（递归）和带正文列的 CSV 文件。"
        "每篇文件各自一个事务；已导入的（按内容指纹）跳过，可中断后重跑续导。候选记录进入审核队列，不直接发布。"
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", type=Path, help="files or folders to import")
        parser.add_argument("--no-progress", action="store_true", help="plain progress lines even on a terminal")

    def handle(self, *args, paths, no_progress, **options):
        bar = None
        if not no_progress and sys.stderr.isatty():
            bar = tqdm(total=total_bytes(paths), unit="B", unit_scale=True, desc="导入", file=sys.stderr)

        def progress(outcome, step):
            if bar is not None:
                bar.update(step)
                if outcome is not None and outcome.status != "imported":
                    bar.write(self.line(outcome))
            elif outcome is not None:
                self.stdout.write(self.line(outcome))

        summary = import_paths(paths, progress=progress)
        if bar is not None:
            bar.close()
        self.stdout.write(
            f"文件 {summary.documents} 篇，段落 {summary.passages}，候选记录 {summary.candidates}（待审核），"
            f"跳过 {summary.skipped}，失败 {summary.failed}；用时 {summary.seconds:.1f} 秒，"
            f"{summary.bytes / 1_000_000:.2f} MB，{summary.megabytes_per_second:.3f} MB/s"
        )
        failed = [o for o in summary.outcomes if o.status == "failed"]
        if failed:
            self.stderr.write("未能导入：")
            for outcome in failed:
                self.stderr.write(f"  {outcome.origin}：{outcome.message}")
            # Non-zero, so a script (make load-corpus) notices; everything else was imported.
            raise CommandError(f"{len(failed)} 项未能导入（见上）；其余已导入")

    def line(self, outcome) -> str:
        if outcome.status == "imported":
            return (
                f"[{STATUS[outcome.status]}] {outcome.origin}：{outcome.title}，"
                f"{outcome.passages} 段，{outcome.candidates} 条候选"
            )
        return f"[{STATUS[outcome.status]}] {outcome.origin}：{outcome.message}"
