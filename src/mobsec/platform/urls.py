"""URL configuration. Every route here is listed in the authorisation matrix test
(tests/platform/core/test_authz_matrix.py): a new route without an entry fails it."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from mobsec.platform.core import api as core_api
from mobsec.platform.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("mobsec.platform.accounts.urls")),
    path("apps/", include("mobsec.platform.registry.urls")),
    path("monitoring/", include("mobsec.platform.monitoring.urls")),
    path("vulns/", include("mobsec.platform.vulns.urls")),
    path("inventory/", include("mobsec.platform.inventory.urls")),
    path("incidents/", include("mobsec.platform.incidents.urls")),
    path("", include("mobsec.platform.scans.urls")),
    path("", include("mobsec.platform.evaluations.urls")),
    path("testsets/", include("mobsec.platform.testsets.urls")),
    path("", include("mobsec.platform.disclosure.urls")),
    path("api/v1/", include("mobsec.platform.api_urls")),
    path("api/health/", core_api.health, name="api-health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
