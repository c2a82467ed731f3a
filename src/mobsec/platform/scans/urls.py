from django.urls import path

from . import views

app_name = "scans"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("scans/", views.scan_list, name="list"),
    path("scans/upload/", views.upload, name="upload"),
    path("scans/<str:scan_id>/", views.scan_detail, name="scan"),
    path("scans/<str:scan_id>/report/", views.scan_report, name="report"),
    path("scans/<str:scan_id>/report.html", views.scan_report_html, name="report-html"),
    path("scans/<str:scan_id>/download/<str:fmt>/", views.scan_download, name="download"),
    path("findings/", views.findings, name="findings"),
    path("public/", views.public_upload, name="public-upload"),
    path("public/<str:scan_id>/", views.public_scan, name="public-scan"),
    path("public/<str:scan_id>/status/", views.public_status, name="public-status"),
    path("public/<str:scan_id>/report.html", views.public_report_html, name="public-report-html"),
]
