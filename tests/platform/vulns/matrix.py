"""The vulnerability desk's part of the authorisation matrix (tests/platform/core): a case
on organisation a's app, owned by the ``vendor`` organisation, notified to the vendor, with
an attachment and a national report; an anonymous report with its follow-up token; a
published convention. Among the matrix's principals only the vendor is on the case — the
platform administrator included, nobody else sees it."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from mobsec.platform.vulns import actions, fixes, roles
from mobsec.platform.vulns.models import Convention

from .conftest import T0, Desk, add_user, to_vendor

VENDOR_ONLY = frozenset({"vendor"})


def vuln_objects(world, app) -> dict[str, str]:
    org = fixes.desk_organisation()
    desk = Desk(world, add_user("m-coordinator", org, roles.COORDINATOR.id),
                add_user("m-verifier", org, roles.VERIFIER.id),
                add_user("m-reporter", org, roles.REPORTER.id), None, org)  # fmt: skip
    sub = actions.Submission(package_name=app.package_name, title="Matrix case",
                             description="d", cwe="CWE-295", reproduction="steps")  # fmt: skip
    poc = SimpleUploadedFile("poc.txt", b"proof of concept")
    vuln, _, _ = actions.submit(sub, [poc], reporter=desk.reporter, now=T0)
    vuln = to_vendor(desk, vuln, app=app)
    actions.produce_national_report(vuln, desk.coordinator)
    _anon, token, _ = actions.submit(sub, reporter=None)
    Convention.objects.create(version="m1", text_en="Convention", text_zh="公约", published_at=T0)
    return {"vuln_id": vuln.public_id, "attachment_id": vuln.attachments.get().public_id,
            "action": "dispute", "token": token}  # fmt: skip


def kwargs(params: list[str], ids: dict[str, str]) -> dict[str, str]:
    alias = {"id": "vuln_id", "attachment": "attachment_id"}
    return {k: ids[alias.get(k, k)] for k in params}


def body(kind: str, world, ids: dict[str, str]):
    if kind == "vuln-report":
        return {"package_name": "com.example.matrix", "title": "t", "description": "d",
                "cwe": "CWE-200"}  # fmt: skip
    if kind == "vuln-follow":
        return {"token": ids["token"]}
    if kind == "vuln-dispute":
        return {"action": "dispute", "reason": "matrix dispute"}
    if kind == "vuln-sign":
        return {"organisation": world.orgs["a"].public_id}
    if kind == "vuln-freeze":
        return {"active": "0", "order_ref": "matrix"}
    if kind == "vuln-code":
        return {"code": "000000"}
    if kind == "vuln-import":
        return {"file": SimpleUploadedFile("b.json", b"[]"),
                "organisation": world.orgs["a"].public_id}  # fmt: skip
    if kind == "vuln-fix":
        return {"file": SimpleUploadedFile("notes.txt", b"not a package at all")}
    return None
