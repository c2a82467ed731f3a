from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.candidates, name="candidates"),
    path("candidates/<str:candidate_id>/", views.candidate, name="candidate"),
    path(
        "candidates/<str:candidate_id>/takedown/<str:verdict_id>/<str:lang>.<str:fmt>",
        views.takedown,
        name="takedown",
    ),
    path("official/", views.official_list, name="official"),
    path("official/<str:app_id>/", views.official_edit, name="official-edit"),
    path("sources/", views.sources, name="sources"),
    path("sources/<str:source_id>/poll/", views.poll, name="poll"),
]
