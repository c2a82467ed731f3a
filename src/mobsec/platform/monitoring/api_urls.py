"""/api/v1/monitoring/..."""

from django.urls import path

from . import api

urlpatterns = [
    path("candidates/", api.CandidateList.as_view(), name="api-monitoring-candidates"),
    path("candidates/<str:id>/", api.CandidateDetail.as_view(), name="api-monitoring-candidate"),
    path(
        "candidates/<str:id>/verdicts/<str:verdict>/takedown/",
        api.Takedown.as_view(),
        name="api-monitoring-takedown",
    ),
    path("official/", api.OfficialAppList.as_view(), name="api-monitoring-official"),
    path("apps/<str:id>/official/", api.AppOfficial.as_view(), name="api-monitoring-app-official"),
    path("sources/", api.SourceList.as_view(), name="api-monitoring-sources"),
    path("sources/<str:id>/poll/", api.SourcePoll.as_view(), name="api-monitoring-poll"),
]
