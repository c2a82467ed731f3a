from django.urls import path

from . import views

app_name = "disclosure"
urlpatterns = [
    # Public (no login): advisories, downloads, feed, the CSAF distribution.
    path("advisories/", views.advisory_list, name="advisories"),
    path("advisories/feed.atom", views.feed, name="feed"),
    path("advisories/<str:advisory_id>/", views.advisory_page, name="advisory"),
    path(
        "advisories/<str:advisory_id>/<str:fmt>.json",
        views.advisory_download,
        name="advisory-download",
    ),
    path(
        ".well-known/csaf/provider-metadata.json",
        views.provider_metadata_json,
        name="provider-metadata",
    ),
    path(".well-known/csaf/white/index.txt", views.csaf_index, name="csaf-index"),
    path(".well-known/csaf/white/changes.csv", views.csaf_changes, name="csaf-changes"),
    path(".well-known/csaf/white/<int:year>/<str:name>", views.csaf_document, name="csaf-document"),
    # Rewards and support units (public), the reporter's own record.
    path("rewards/", views.leaderboard, name="leaderboard"),
    path("rewards/hall-of-fame/", views.hall_of_fame, name="hall-of-fame"),
    path("rewards/me/", views.my_rewards, name="my-rewards"),
    path("rewards/reporters/<str:user_id>/", views.reporter_profile, name="reporter"),
    path("support-units/", views.support_units, name="ratings"),
    path("support-units/best-cases/", views.best_cases, name="best-cases"),
    path("support-units/best-cases/edit/", views.featured_edit, name="best-cases-edit"),
    # The coordinators' desk.
    path("disclosure/", views.desk, name="desk"),
    path("disclosure/<str:vuln_id>/", views.desk_case, name="desk-case"),
    # The regulator's statistics.
    path("vuln-statistics/", views.statistics_page, name="statistics"),
    path("vuln-statistics/export.<str:fmt>", views.statistics_export, name="statistics-export"),
]
