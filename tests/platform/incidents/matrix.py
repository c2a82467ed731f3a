"""The incidents app's part of the authorisation matrix (tests/platform/core): an incident
created by an incident coordinator (no matrix principal is one), with a released signed
pack, a re-scan and a published bulletin. Platform administrators run incidents; the
regulator reads them; testing organisations (anyone who may upload) download released
packs; bulletins are public; nobody else reaches anything. Vendor notices need the
vulnerability coordinator role as well: no matrix principal has it."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.incidents import actions
from mobsec.platform.incidents import roles as incident_roles
from mobsec.platform.incidents.models import Bulletin, Rescan
from mobsec.rules.signing import sign_pack
from tests.platform.vulns.conftest import add_user

from .conftest import ADVISORY, platform_key, write_pack, zip_folder

RUNNERS = frozenset({"platform_admin"})
READERS = frozenset({"platform_admin", "regulator"})
# Testing organisations: whoever may upload somewhere, plus the incident readers.
PACK_USERS = frozenset({"platform_admin", "org_admin", "tester", "regulator", "other_org"})


def objects(world) -> dict[str, str]:
    centre = Organisation.objects.create(name="Matrix response centre")
    responder = add_user("m-responder", centre, incident_roles.INCIDENT_COORDINATOR.id)
    incident = actions.create(responder, dict(ADVISORY))
    root = write_pack(Path(tempfile.mkdtemp(prefix="matrix-pack-")) / "pack")
    sign_pack(root, platform_key())
    data = zip_folder(root)
    pack = actions.attach_pack(incident, responder, SimpleUploadedFile("p.zip", data))
    actions.publish_pack(incident, responder, pack.public_id)
    now = timezone.now()
    rescan = Rescan.objects.create(incident=incident, pack=pack, scope="all",
                                   created_by=responder, created_at=now)  # fmt: skip
    b = Bulletin.objects.create(incident=incident, title_en="Matrix", title_zh="矩阵",
                                body_en="b", body_zh="正文", published_by=responder,
                                published_at=now)  # fmt: skip
    return {"incident_id": incident.public_id, "id": incident.public_id,
            "pack": pack.public_id, "rescan": rescan.public_id, "rescan_id": rescan.public_id,
            "bulletin_id": b.public_id}  # fmt: skip


def kwargs(params: list[str], ids: dict[str, str]) -> dict[str, str]:
    return {k: ids[k] for k in params}


def rules(g, p, everyone, nobody) -> dict[str, list]:
    return {
        "incidents:list": [g(READERS), p(RUNNERS, "incident")],
        "incidents:packs": [g(PACK_USERS)],
        "incidents:bulletins": [g(everyone)],
        "incidents:bulletin": [g(everyone)],
        "incidents:detail": [g(READERS)],
        "incidents:act": [p(RUNNERS, "incident-query")],
        "incidents:rescan": [g(READERS)],
        "incidents:report": [g(READERS)],
        "api-incident-list": [g(READERS), p(RUNNERS, "incident-json")],
        "api-incident-released-packs": [g(PACK_USERS)],
        "api-incident-pack-download": [g(PACK_USERS)],
        "api-incident-detail": [g(READERS)],
        "api-incident-queries": [g(READERS), p(RUNNERS, "incident-query")],
        "api-incident-packs": [g(READERS), p(RUNNERS, "incident-file", ok=(400,))],
        "api-incident-pack-publish": [p(RUNNERS, "none")],
        "api-incident-rescans": [g(READERS), p(RUNNERS, "incident-bad-scope", ok=(400,))],
        "api-incident-rescan": [g(READERS)],
        # The platform administrator is no vulnerability coordinator: notices are refused.
        "api-incident-cases": [g(READERS), p(nobody, "incident-notify")],
        "api-incident-report": [g(READERS)],
        "api-incident-bulletin": [p(RUNNERS, "incident-bulletin", ok=(409,))],  # published
    }


def body(kind: str):
    if kind == "incident":
        return dict(ADVISORY, refs="https://example.org/a", cve_ids="", cnvd_ids="")
    if kind == "incident-json":
        return dict(ADVISORY, refs="https://example.org/a", cve_ids="CVE-2026-1111",
                    cnvd_ids="")  # fmt: skip
    if kind == "incident-query":
        return {"step": "query", "kind": "host", "value": "example.com"}
    if kind == "incident-file":
        return {"file": SimpleUploadedFile("notes.zip", b"not a zip")}
    if kind == "incident-bad-scope":
        return {"scope": "everything", "pack": "x"}
    if kind == "incident-notify":
        return {"step": "notify"}
    if kind == "incident-bulletin":
        return {"title_en": "t", "title_zh": "标题", "body_en": "b", "body_zh": "正文"}
    return None
