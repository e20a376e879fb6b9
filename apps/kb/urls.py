from django.urls import path

from . import views
from .feeds import MilestoneFeed
from .script_views import set_script

app_name = "kb"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("initiatives/", views.InitiativeList.as_view(), name="initiative-list"),
    path("initiatives/<str:slug>/", views.InitiativeDetail.as_view(), name="initiative-detail"),
    path("projects/", views.ProjectList.as_view(), name="project-list"),
    path("projects/<str:slug>/", views.ProjectDetail.as_view(), name="project-detail"),
    path("agreements/", views.AgreementList.as_view(), name="agreement-list"),
    path("agreements/<str:slug>/", views.AgreementDetail.as_view(), name="agreement-detail"),
    path("documents/", views.PolicyDocumentList.as_view(), name="document-list"),
    path("documents/<str:slug>/", views.PolicyDocumentDetail.as_view(), name="document-detail"),
    path("places/", views.PlaceList.as_view(), name="place-list"),
    path("places/<str:slug>/", views.PlaceDetail.as_view(), name="place-detail"),
    path("organizations/", views.OrganizationList.as_view(), name="organization-list"),
    path("organizations/<str:slug>/", views.OrganizationDetail.as_view(), name="organization-detail"),
    path("timeline/", views.Timeline.as_view(), name="timeline"),
    path("timeline/feed/", MilestoneFeed(), name="milestone-feed"),
    path("script/", set_script, name="set-script"),
    path("milestones/<str:slug>/", views.MilestoneDetail.as_view(), name="milestone-detail"),
    path("sources/", views.SourceList.as_view(), name="source-list"),
    path("sources/<str:slug>/", views.SourceDetail.as_view(), name="source-detail"),
]
