from django.urls import path

from . import views

app_name = "registry"
urlpatterns = [
    path("", views.app_list, name="apps"),
    path("<str:app_id>/", views.app_detail, name="app"),
    path("<str:app_id>/diff/", views.app_diff, name="diff"),
    path("<str:app_id>/suppressions.json", views.app_suppressions, name="suppressions"),
    path("<str:app_id>/baseline.json", views.app_baseline, name="baseline"),
    path("<str:app_id>/findings/<str:fingerprint>/triage/", views.triage, name="triage"),
    path("<str:app_id>/findings/<str:fingerprint>/dispute/", views.dispute, name="dispute"),
]
