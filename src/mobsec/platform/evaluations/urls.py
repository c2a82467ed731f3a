from django.urls import path

from . import views

app_name = "evaluations"
urlpatterns = [
    path("evaluations/", views.evaluation_list, name="list"),
    path("evaluations/schemes/", views.scheme_list, name="schemes"),
    path("evaluations/schemes/<str:scheme_id>/", views.scheme_detail, name="scheme"),
    path("evaluations/<str:evaluation_id>/", views.evaluation_detail, name="evaluation"),
    path(
        "evaluations/<str:evaluation_id>/items/<str:item_id>/",
        views.record_item,
        name="item",
    ),
    path("evaluations/<str:evaluation_id>/submit/", views.submit, name="submit"),
    path("evaluations/<str:evaluation_id>/review/", views.review, name="review"),
    path(
        "evaluations/<str:evaluation_id>/report/<str:language>/<str:kind>/",
        views.report,
        name="report",
    ),
    path(
        "evaluations/<str:evaluation_id>/evidence/<str:evidence_id>/",
        views.evidence,
        name="evidence",
    ),
    path("evaluations/<str:evaluation_id>/certificate/", views.issue, name="issue"),
    # Certificates: the issuer's pages, then the public ones (no login).
    path("certificates/", views.public_registry, name="registry"),
    path("certificates/keys/<str:organisation_id>.pem", views.public_key, name="public-key"),
    path("certificates/<str:serial>/", views.certificate_detail, name="certificate"),
    path("certificates/<str:serial>/revoke/", views.revoke, name="revoke"),
    path("certificates/<str:serial>/certificate.json", views.certificate_json, name="cert-json"),
    path("certificates/<str:serial>/certificate.pdf", views.certificate_pdf, name="cert-pdf"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:serial>/", views.verify_serial, name="verify-serial"),
]
