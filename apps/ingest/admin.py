"""The importer's page in the admin, beside the sources it creates. Registered from here so
that the domain (kb) knows nothing of the importer."""

from django.contrib import admin
from django.urls import path

from apps.kb.admin import SourceAdmin
from apps.kb.models import Source

from .models import Candidate
from .queue_admin import CandidateAdmin
from .views import choices_view, import_view, review_view


class SourceWithImportAdmin(SourceAdmin):
    change_list_template = "admin/ingest/source_change_list.html"  # adds the 导入文章 button

    def get_urls(self):
        view = self.admin_site.admin_view
        importing = [
            path("import/", view(import_view), name="kb_source_import"),
            path("import/<uuid:draft_id>/", view(review_view), name="kb_source_import_review"),
            path("import/<uuid:draft_id>/choices/", view(choices_view), name="kb_source_import_choices"),
        ]
        return [*importing, *super().get_urls()]


admin.site.unregister(Source)
admin.site.register(Source, SourceWithImportAdmin)
admin.site.register(Candidate, CandidateAdmin)
