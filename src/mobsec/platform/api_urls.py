"""/api/v1/: the REST API (documented at /api/docs/, schema at /api/schema/)."""

from django.urls import include, path

from mobsec.platform.evaluations import api as evaluations_api
from mobsec.platform.notifications import api as notifications_api
from mobsec.platform.registry import api as registry_api
from mobsec.platform.scans import api as scans_api
from mobsec.platform.scans import ci

urlpatterns = [
    path("scans/", scans_api.ScanList.as_view(), name="api-scan-list"),
    path("scans/<str:id>/", scans_api.ScanDetail.as_view(), name="api-scan-detail"),
    path("scans/<str:id>/report/", scans_api.ScanReport.as_view(), name="api-scan-report"),
    path("findings/", scans_api.FindingList.as_view(), name="api-finding-list"),
    path("statistics/", scans_api.Statistics.as_view(), name="api-statistics"),
    path("organisations/", registry_api.OrganisationList.as_view(), name="api-organisation-list"),
    path("apps/", registry_api.AppList.as_view(), name="api-app-list"),
    path("apps/<str:id>/", registry_api.AppDetail.as_view(), name="api-app-detail"),
    path("apps/<str:id>/owner/", registry_api.AppOwner.as_view(), name="api-app-owner"),
    path("apps/<str:id>/findings/", scans_api.AppFindingList.as_view(), name="api-app-findings"),
    path(
        "apps/<str:id>/findings/<str:fingerprint>/triage/",
        scans_api.TriageFinding.as_view(),
        name="api-finding-triage",
    ),
    path(
        "apps/<str:id>/findings/<str:fingerprint>/dispute/",
        scans_api.DisputeFinding.as_view(),
        name="api-finding-dispute",
    ),
    path("apps/<str:id>/triage/", scans_api.AppTriageList.as_view(), name="api-app-triage"),
    path(
        "apps/<str:id>/triage/events/",
        scans_api.AppTriageEvents.as_view(),
        name="api-app-triage-events",
    ),
    path(
        "apps/<str:id>/suppressions/",
        scans_api.AppSuppressions.as_view(),
        name="api-app-suppressions",
    ),
    path("apps/<str:id>/baseline/", scans_api.AppBaseline.as_view(), name="api-app-baseline"),
    path("apps/<str:id>/diff/", scans_api.AppDiff.as_view(), name="api-app-diff"),
    path("ci/scans/", ci.CiScans.as_view(), name="api-ci-scans"),
    path("ci/scans/<str:id>/", ci.CiScanDetail.as_view(), name="api-ci-detail"),
    path("ci/scans/<str:id>/sarif/", ci.CiScanSarif.as_view(), name="api-ci-sarif"),
    path(
        "notifications/",
        notifications_api.NotificationList.as_view(),
        name="api-notification-list",
    ),
    path(
        "notifications/read/",
        notifications_api.NotificationsRead.as_view(),
        name="api-notifications-read",
    ),
    path("monitoring/", include("mobsec.platform.monitoring.api_urls")),
    path("vulns/", include("mobsec.platform.vulns.api_urls")),
    path(
        "certificates/<str:serial>/",
        evaluations_api.certificate_status,
        name="api-certificate-status",
    ),
    path("inventory/", include("mobsec.platform.inventory.api_urls")),
    path("incidents/", include("mobsec.platform.incidents.api_urls")),
]
