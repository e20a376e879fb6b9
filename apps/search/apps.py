from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "apps.search"
    label = "search"
    verbose_name = "全文检索"

    def ready(self):
        from . import checks, signals  # noqa: F401 (checks registers itself)

        signals.connect()
