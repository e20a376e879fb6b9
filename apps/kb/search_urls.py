from django.urls import path

from . import search_views as views

app_name = "search"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("api/search", views.api_search, name="api"),
]
