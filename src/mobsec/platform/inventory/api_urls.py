"""/api/v1/inventory/..."""

from django.urls import path

from . import api

urlpatterns = [
    path("affected/", api.Affected.as_view(), name="api-inventory-affected"),
    path("versions/<str:id>/", api.VersionInventoryDetail.as_view(), name="api-inventory-version"),
    path("versions/<str:id>/sbom/", api.VersionSbom.as_view(), name="api-inventory-sbom"),
]
