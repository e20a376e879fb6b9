from django.apps import AppConfig
from django.db.models.signals import post_migrate


class KbConfig(AppConfig):
    name = "apps.kb"
    label = "kb"
    verbose_name = "知识库"

    def ready(self):
        from . import signals
        from .groups import ensure_staff_groups

        signals.connect()
        # Permissions exist only after post_migrate, so the groups are made there too.
        post_migrate.connect(ensure_staff_groups, sender=self)
