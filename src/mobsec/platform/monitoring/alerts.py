"""Alerts to the owner organisation of an official app when a copy of it is found: an
in-app notification to each member (and of the vendor organisation that owns the app),
and the ``monitoring.verdict`` event to the organisation's webhooks."""

from __future__ import annotations

from django.urls import reverse

from mobsec.platform.accounts.models import Membership
from mobsec.platform.notifications import actions as notifications

from .models import Candidate, Verdict

ALERTED = (Verdict.REPACKAGED, Verdict.COUNTERFEIT)
KIND = "monitoring.verdict"
_WHAT = {
    Verdict.REPACKAGED: ("a repackaged copy", "重打包的仿冒版本"),
    Verdict.COUNTERFEIT: ("a counterfeit", "仿冒应用"),
}


def send(candidate: Candidate) -> int:
    """Notify the owners of every app the candidate copies; returns notifications sent."""
    sent = 0
    link = reverse("monitoring:candidate", args=[candidate.public_id])
    for v in candidate.verdicts.filter(verdict__in=ALERTED).select_related("app"):
        app = v.app
        name = app.official_name_zh or app.official_name_en or app.label or app.package_name
        name_en = app.official_name_en or app.official_name_zh or app.label or app.package_name
        where = candidate.channel or candidate.file_name
        what_en, what_zh = _WHAT[v.verdict]
        title = (f"{what_en.capitalize()} of {name_en} found", f"发现{name}的{what_zh}")
        body = (
            f"{candidate.package_name or candidate.file_name} in {where}: {v.verdict}, "
            f"confidence {v.confidence:.2f}.",
            f"{candidate.package_name or candidate.file_name}（{where}）：{v.verdict}，"
            f"置信度 {v.confidence:.2f}。",
        )
        orgs = [app.organisation_id] + ([app.owner_id] if app.owner_id else [])
        users = {m.user for m in Membership.objects.filter(organisation_id__in=orgs)
                 .select_related("user")}  # fmt: skip
        for user in users:
            notifications.notify(user, KIND, title, body, link=link, organisation=app.organisation)
            sent += 1
        notifications.emit(app.organisation, KIND, {
            "candidate": candidate.public_id, "app": app.public_id, "verdict": v.verdict,
            "confidence": v.confidence, "package_sha256": candidate.package.sha256,
            "channel": where,
        })  # fmt: skip
    return sent
