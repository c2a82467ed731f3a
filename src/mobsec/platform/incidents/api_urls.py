"""/api/v1/incidents/..."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.IncidentList.as_view(), name="api-incident-list"),
    path("packs/", api.ReleasedPacks.as_view(), name="api-incident-released-packs"),
    path(
        "packs/<str:pack>/download/", api.PackDownload.as_view(), name="api-incident-pack-download"
    ),
    path("<str:id>/", api.IncidentDetail.as_view(), name="api-incident-detail"),
    path("<str:id>/queries/", api.IncidentQueries.as_view(), name="api-incident-queries"),
    path("<str:id>/packs/", api.IncidentPacks.as_view(), name="api-incident-packs"),
    path(
        "<str:id>/packs/<str:pack>/publish/",
        api.PackPublish.as_view(),
        name="api-incident-pack-publish",
    ),
    path("<str:id>/rescans/", api.IncidentRescans.as_view(), name="api-incident-rescans"),
    path("<str:id>/rescans/<str:rescan>/", api.RescanDetail.as_view(), name="api-incident-rescan"),
    path("<str:id>/cases/", api.IncidentCases.as_view(), name="api-incident-cases"),
    path("<str:id>/report/", api.IncidentReport.as_view(), name="api-incident-report"),
    path("<str:id>/bulletin/", api.IncidentBulletin.as_view(), name="api-incident-bulletin"),
]
