"""The reviewer: the testing organisation's second person who approves evaluations
(four-eyes) and issues and revokes certificates. Not the platform's regulator role."""

from django.utils.translation import gettext_lazy as _

from mobsec.platform.accounts import roles

APPROVE = "approve"  # approve an evaluation, issue and revoke certificates

REVIEWER = roles.ROLES.get("reviewer") or roles.register(
    roles.Role(
        "reviewer",
        _("Reviewer"),
        frozenset({roles.VIEW, roles.UPLOAD, roles.TRIAGE, roles.STATISTICS, APPROVE}),
        _(
            "Everything a tester does, and approves other testers' evaluations, issues and "
            "revokes certificates (never for an evaluation they performed)."
        ),
    )
)
