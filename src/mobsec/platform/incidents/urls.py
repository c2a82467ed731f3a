from django.urls import path

from . import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="list"),
    path("packs/", views.released_packs, name="packs"),
    path("bulletins/", views.bulletin_list, name="bulletins"),
    path("bulletins/<str:bulletin_id>/", views.bulletin, name="bulletin"),
    path("<str:incident_id>/", views.detail, name="detail"),
    path("<str:incident_id>/act/", views.act, name="act"),
    path("<str:incident_id>/rescans/<str:rescan_id>/", views.rescan, name="rescan"),
    path("<str:incident_id>/report/", views.incident_report, name="report"),
]
