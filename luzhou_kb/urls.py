from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("apps.kb.search_urls")),  # URL names search:search, search:api
    path("", include("apps.kb.urls")),
]
