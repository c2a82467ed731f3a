"""Objects and request bodies for the authorisation matrix (tests/platform/core/
test_authz_matrix.py): an approved evaluation of organisation a with evidence and a
certificate, a test set with a product and a result set."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from mobsec.platform.accounts.models import Membership, User
from mobsec.platform.evaluations import actions
from mobsec.platform.testsets import actions as testsets

SCHEME = """\
scheme: matrix
version: "1"
standard: {code: M-1, title: {en: Matrix, zh-CN: 矩阵}}
items:
  - id: "manual"
    title: {en: Manual, zh-CN: 人工}
    evidence: manual
"""
TEST_SET = {"name": "matrix", "packages": [{"name": "a.apk", "weaknesses": ["x"]}]}
RESULTS = {"tool": "T", "version": "1", "results": [{"package": "a.apk", "rule": "R1"}]}


def _file(name: str, data) -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw)


def objects(world, scan) -> dict[str, str]:
    org, tester = world.orgs["a"], world.user("tester")
    reviewer = User.objects.create_user("matrix-reviewer", password="x-matrix-pw")
    Membership.objects.create(user=reviewer, organisation=org, role="reviewer")
    scheme = actions.add_scheme(world.user("org_admin"), org, _file("m.yaml", SCHEME.encode()))
    ev = actions.start(tester, scan, scheme, "Client")
    item = actions.record_item(tester, ev, "manual", "pass", "seen", [_file("e.png", b"png")])
    actions.submit(tester, ev)
    ev = actions.approve(reviewer, ev)
    cert = actions.issue_certificate(reviewer, ev, lambda s: f"http://testserver/verify/{s}/")
    ts = testsets.add_testset(tester, org, _file("t.json", TEST_SET))
    product = testsets.save_product(tester, org, "Other", _file("m.json", {"R1": "x"}))
    rs = testsets.import_results(tester, ts, product, "1", _file("r.json", RESULTS))
    return {
        "evaluation_id": ev.public_id, "scheme_id": scheme.public_id, "item_id": "manual",
        "evidence_id": item.evidence.get().public_id, "language": "en", "kind": "html",
        "serial": cert.serial, "organisation_id": org.public_id, "testset_id": ts.public_id,
        "product_id": product.public_id, "result_id": rs.public_id,
        "_scan": scan.public_id, "_product": product.public_id,
    }  # fmt: skip


def body(kind: str, world, ids: dict):
    """The request body for one of this feature's POST routes, or None."""
    org = world.orgs["a"].public_id
    bodies = {
        "evaluation-start": lambda: {"scan": ids["_scan"], "scheme": ids["scheme_id"],
                                     "client": "matrix"},
        "scheme-upload": lambda: {"organisation": org, "file": _file("m.yaml", SCHEME.encode())},
        "manual": lambda: {"result": "pass", "reason": "matrix"},
        "review": lambda: {"decision": "approve"},
        "reason": lambda: {"reason": "matrix"},
        "testset": lambda: {"organisation": org, "file": _file("t.json", TEST_SET)},
        "product": lambda: {"organisation": org, "name": "Matrix", "file": _file("m.json", {"R": "x"})},
        "results": lambda: {"product": ids["_product"], "version": "2",
                            "file": _file("r.json", RESULTS)},
    }  # fmt: skip
    return bodies[kind]() if kind in bodies else None
