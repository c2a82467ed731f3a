"""The disclosure app's part of the authorisation matrix (tests/platform/core): a published
advisory (its case walked to *fixed* by the desk's own users, none of them a matrix
principal). Public pages are everyone's; the desk is the coordinators' (no matrix
principal is one); statistics are the regulator's and the platform administrator's."""

from __future__ import annotations

from datetime import UTC, datetime

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.disclosure import actions
from mobsec.platform.vulns import fixes, roles
from tests.platform.vulns.conftest import Desk, add_user

from .conftest import fixed_case

BASE = "https://matrix.example"


def objects(world) -> dict[str, str]:
    org = fixes.desk_organisation()
    reporters = Organisation.objects.create(name="Matrix reporters")
    desk = Desk(world, add_user("d-coordinator", org, roles.COORDINATOR.id),
                add_user("d-verifier", org, roles.VERIFIER.id),
                add_user("d-reporter", reporters, roles.REPORTER.id), None, org)  # fmt: skip
    vuln = fixed_case(desk, package="com.example.disclosure", location="Matrix.java",
                      credit_name="Matrix Reporter")  # fmt: skip
    a = actions.draft(vuln, desk.coordinator)
    actions.update(a, desk.coordinator, {"title_zh": "矩阵", "description_zh": "矩阵描述",
                                         "solution_zh": "升级。", "mitigation_zh": "缓解。",
                                         "affected_versions": "1.0"})  # fmt: skip
    now = datetime.now(UTC)
    a = actions.publish(actions.review(a, desk.coordinator, BASE, now), desk.coordinator, BASE,
                        now)  # fmt: skip
    year, name = f"{a.year}", f"{a.advisory_id.lower()}.json"
    return {"advisory_id": a.advisory_id, "vuln_id": vuln.public_id, "year": year, "name": name,
            "user_id": desk.reporter.public_id}  # fmt: skip


def rules(g, p, everyone, users, nobody) -> dict[str, list]:
    statistics = frozenset({"platform_admin", "regulator"})
    admin = frozenset({"platform_admin"})
    public = ("advisories", "feed", "advisory", "advisory-download", "provider-metadata",
              "csaf-index", "csaf-changes", "csaf-document", "leaderboard", "hall-of-fame",
              "ratings", "best-cases", "reporter")  # fmt: skip
    return {
        **{f"disclosure:{name}": [g(everyone)] for name in public},
        "disclosure:my-rewards": [g(users)],
        "disclosure:best-cases-edit": [g(admin), p(admin, "disclosure-feature")],
        "disclosure:desk": [g(nobody)],  # coordinators only
        "disclosure:desk-case": [g(nobody), p(nobody, "disclosure-step")],
        "disclosure:statistics": [g(statistics)],
        "disclosure:statistics-export": [g(statistics)],
    }


def kwargs(name: str, params: list[str], ids: dict[str, str]) -> dict[str, str]:
    fmt = "csv" if name.endswith("statistics-export") else "csaf"
    return {k: fmt if k == "fmt" else ids[k] for k in params}


def body(kind: str, ids: dict[str, str]) -> dict[str, str]:
    if kind == "disclosure-feature":
        return {"year": "2026", "rank": "1", "advisory": ids["advisory_id"], "note_en": "m"}
    return {"step": "quality", "quality": "excellent"}
