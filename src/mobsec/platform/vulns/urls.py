from django.urls import path

from . import views

app_name = "vulns"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("report/", views.submit, name="submit"),
    path("follow/", views.follow, name="follow"),
    path("import/", views.import_batch, name="import"),
    path("freeze/", views.freeze, name="freeze"),
    path("convention/", views.convention, name="convention"),
    path("intake-log/", views.intake_log, name="intake-log"),
    path("2fa/", views.two_factor, name="two-factor"),
    path("<str:vuln_id>/", views.detail, name="detail"),
    path("<str:vuln_id>/act/", views.act, name="act"),
    path("<str:vuln_id>/fix/", views.upload_fix, name="upload-fix"),
    path("<str:vuln_id>/attachments/<str:attachment_id>/", views.attachment, name="attachment"),
]
