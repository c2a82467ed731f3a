"""/api/v1/vulns/... (included from platform/api_urls.py)."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.VulnList.as_view(), name="api-vuln-list"),
    path("import/", api.VulnImport.as_view(), name="api-vuln-import"),
    path("follow/", api.VulnFollow.as_view(), name="api-vuln-follow"),
    path("<str:id>/", api.VulnDetail.as_view(), name="api-vuln-detail"),
    path("<str:id>/transitions/", api.VulnTransitions.as_view(), name="api-vuln-transitions"),
    path("<str:id>/actions/<str:action>/", api.VulnAction.as_view(), name="api-vuln-action"),
    path("<str:id>/fix/", api.VulnFixUpload.as_view(), name="api-vuln-fix"),
    path(
        "<str:id>/attachments/<str:attachment>/",
        api.VulnAttachment.as_view(),
        name="api-vuln-attachment",
    ),
    path("<str:id>/publication/", api.VulnPublication.as_view(), name="api-vuln-publication"),
    path(
        "<str:id>/national-report/",
        api.VulnNationalReport.as_view(),
        name="api-vuln-national-report",
    ),
]
