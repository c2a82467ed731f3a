"""The authorisation matrix: every route of the URL configuration × anonymous, every role and
a user of another organisation, allowed or denied as designed.

The table below must name every route: a new route without an entry fails
``test_every_route_is_in_the_matrix``. Objects belong to organisation ``a`` (app owned by
the ``vendor`` organisation, ``a`` granted the ``regulator`` organisation read access).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mobsec.platform.inventory import actions as inventory_actions
from mobsec.platform.monitoring import actions as monitoring_actions
from mobsec.platform.monitoring.models import Candidate, Source, Verdict
from mobsec.platform.scans.models import CiRun, Finding
from tests.platform.conftest import PASSWORD, ROLES
from tests.platform.disclosure import matrix as disclosure_matrix
from tests.platform.evaluations import matrix as certify_matrix
from tests.platform.incidents import matrix as incidents_matrix
from tests.platform.vulns import matrix as vulns_matrix

ANON = "anonymous"
PRINCIPALS = (ANON, *ROLES)
EVERYONE = frozenset(PRINCIPALS)
USERS = frozenset(ROLES)
# Who sees organisation a's app, scans and findings.
READERS = frozenset({"platform_admin", "org_admin", "tester", "vendor", "regulator"})
TRIAGERS = frozenset({"platform_admin", "org_admin", "tester"})
UPLOADERS_TO_A = TRIAGERS
ADMINS_OF_A = frozenset({"platform_admin", "org_admin"})
NOBODY = frozenset()
# Who reads organisation a's own work (evaluations, schemes, test sets): not vendors.
ORG_READERS = frozenset({"platform_admin", "org_admin", "tester", "regulator"})


@dataclass(frozen=True)
class Rule:
    method: str
    allowed: frozenset[str]
    data: str = ""  # which request body to send (see _body)
    ok: tuple[int, ...] = ()  # status codes that mean "allowed" besides 2xx/3xx
    kwargs: dict = field(default_factory=dict)


def _rules() -> dict[str, list[Rule]]:
    g = lambda allowed, **kw: Rule("get", allowed, **kw)  # noqa: E731
    p = lambda allowed, data, **kw: Rule("post", allowed, data, **kw)  # noqa: E731
    return {
        "home": [g(USERS)],  # anonymous: to the login page
        "set_language": [p(EVERYONE, "language")],
        "accounts:login": [g(EVERYONE)],
        "accounts:logout": [p(USERS, "none")],
        "accounts:tokens": [g(USERS), p(USERS, "token")],
        "accounts:members": [
            g(frozenset({"platform_admin", "org_admin", "other_org"})),
            p(frozenset({"platform_admin", "org_admin"}), "member"),
        ],
        "api-health": [g(EVERYONE)],
        "api-schema": [g(EVERYONE)],
        "api-docs": [g(EVERYONE)],
        "api-scan-list": [g(USERS), p(UPLOADERS_TO_A, "upload", ok=(415,))],
        "api-scan-detail": [g(READERS)],
        "api-scan-report": [g(READERS)],
        "api-finding-list": [g(USERS)],
        "api-statistics": [g(USERS)],
        "api-organisation-list": [g(USERS)],
        "api-app-list": [g(USERS)],
        "api-app-detail": [g(READERS)],
        "api-app-findings": [g(READERS)],
        "api-app-owner": [p(frozenset({"platform_admin", "org_admin"}), "owner")],
        "api-finding-triage": [p(TRIAGERS, "triage")],
        "api-finding-dispute": [p(frozenset({"vendor"}), "dispute")],
        "api-app-triage": [g(READERS)],
        "api-app-triage-events": [g(READERS)],
        "api-app-suppressions": [g(READERS)],
        "api-app-baseline": [g(READERS)],
        "api-app-diff": [g(READERS)],
        "api-ci-scans": [p(UPLOADERS_TO_A, "upload", ok=(415,))],
        "api-ci-detail": [g(READERS)],
        "api-ci-sarif": [g(READERS)],
        "api-notification-list": [g(USERS)],  # each user sees only their own
        "api-notifications-read": [p(USERS, "none")],
        "scans:dashboard": [g(USERS)],
        "scans:list": [g(USERS)],
        "scans:upload": [
            g(USERS - {"vendor", "regulator"}),
            p(UPLOADERS_TO_A, "page-upload", ok=(415,)),
        ],
        "scans:scan": [g(READERS)],
        "scans:report": [g(READERS)],
        "scans:report-html": [g(READERS)],
        "scans:download": [g(READERS)],
        "scans:findings": [g(USERS)],
        # The public upload page is off by default: nobody reaches it.
        "scans:public-upload": [g(NOBODY)],
        "scans:public-scan": [g(NOBODY)],
        "scans:public-status": [g(NOBODY)],
        "scans:public-report-html": [g(NOBODY)],
        "registry:apps": [g(USERS)],
        "registry:app": [g(READERS)],
        "registry:diff": [g(READERS)],
        "registry:suppressions": [g(READERS)],
        "registry:baseline": [g(READERS)],
        "registry:triage": [p(TRIAGERS, "triage")],
        "registry:dispute": [p(frozenset({"vendor"}), "dispute")],
        # Monitoring: candidates of a are read by a's readers and by the vendor that owns
        # the app a verdict names; the registry and sources are managed by administrators.
        "api-monitoring-candidates": [g(USERS), p(UPLOADERS_TO_A, "upload", ok=(415,))],
        "api-monitoring-candidate": [g(READERS)],
        "api-monitoring-takedown": [g(READERS, ok=(409,))],  # an unrelated verdict: none
        "api-monitoring-official": [g(USERS)],
        "api-monitoring-app-official": [p(ADMINS_OF_A, "official")],
        "api-monitoring-sources": [g(USERS), p(ADMINS_OF_A, "source")],
        "api-monitoring-poll": [p(ADMINS_OF_A, "none")],
        "monitoring:candidates": [g(USERS), p(UPLOADERS_TO_A, "page-upload")],
        "monitoring:candidate": [g(READERS)],
        "monitoring:takedown": [g(READERS)],  # refused with a message: back to the candidate
        "monitoring:official": [g(USERS)],
        "monitoring:official-edit": [g(ADMINS_OF_A), p(ADMINS_OF_A, "official-page")],
        "monitoring:sources": [g(USERS), p(ADMINS_OF_A, "source")],
        "monitoring:poll": [p(ADMINS_OF_A, "none")],
        # Vulnerabilities: the case is the vendor's (notified); nobody else is on it, the
        # platform administrator included. Reports and follow-ups are open to everyone.
        "vulns:list": [g(USERS)],
        "vulns:submit": [g(EVERYONE), p(EVERYONE, "vuln-report")],
        "vulns:follow": [g(EVERYONE), p(EVERYONE, "vuln-follow")],
        "vulns:import": [g(NOBODY), p(NOBODY, "vuln-import")],  # support units only
        "vulns:freeze": [
            g(frozenset({"platform_admin"})),
            p(frozenset({"platform_admin"}), "vuln-freeze"),
        ],
        "vulns:convention": [g(USERS), p(frozenset({"platform_admin", "org_admin"}), "vuln-sign")],
        "vulns:intake-log": [g(NOBODY)],  # coordinators only
        "vulns:two-factor": [g(USERS), p(USERS, "vuln-code")],
        "vulns:detail": [g(vulns_matrix.VENDOR_ONLY)],
        "vulns:act": [p(vulns_matrix.VENDOR_ONLY, "vuln-dispute")],
        "vulns:upload-fix": [p(vulns_matrix.VENDOR_ONLY, "vuln-fix")],
        "vulns:attachment": [g(vulns_matrix.VENDOR_ONLY)],
        "api-vuln-list": [g(USERS), p(USERS, "vuln-report")],
        "api-vuln-import": [p(NOBODY, "vuln-import")],
        "api-vuln-follow": [p(EVERYONE, "vuln-follow")],
        "api-vuln-detail": [g(vulns_matrix.VENDOR_ONLY)],
        "api-vuln-transitions": [g(vulns_matrix.VENDOR_ONLY)],
        "api-vuln-action": [p(vulns_matrix.VENDOR_ONLY, "vuln-dispute")],
        "api-vuln-fix": [p(vulns_matrix.VENDOR_ONLY, "vuln-fix", ok=(415,))],
        "api-vuln-attachment": [g(vulns_matrix.VENDOR_ONLY)],
        "api-vuln-publication": [g(vulns_matrix.VENDOR_ONLY)],
        "api-vuln-national-report": [g(vulns_matrix.VENDOR_ONLY)],
        # Evaluations: approving and issuing need the reviewer role (none of these principals;
        # tests/platform/evaluations covers it); revocation also the organisation's admins.
        "evaluations:list": [g(USERS), p(TRIAGERS, "evaluation-start")],
        "evaluations:schemes": [
            g(USERS),
            p(frozenset({"platform_admin", "org_admin"}), "scheme-upload", ok=(400,)),
        ],
        "evaluations:scheme": [g(ORG_READERS)],
        "evaluations:evaluation": [g(ORG_READERS)],
        "evaluations:item": [p(TRIAGERS, "manual")],
        "evaluations:submit": [p(TRIAGERS, "none")],
        "evaluations:review": [p(NOBODY, "review")],
        "evaluations:report": [g(ORG_READERS)],
        "evaluations:evidence": [g(ORG_READERS)],
        "evaluations:issue": [p(NOBODY, "none")],
        "evaluations:certificate": [g(ORG_READERS)],
        "evaluations:revoke": [p(frozenset({"platform_admin", "org_admin"}), "reason")],
        # Public: the registry, verification, the signed file, its PDF and the issuer's key.
        "evaluations:registry": [g(EVERYONE)],
        "evaluations:public-key": [g(EVERYONE)],
        "evaluations:cert-json": [g(EVERYONE)],
        "evaluations:cert-pdf": [g(EVERYONE)],
        "evaluations:verify": [g(EVERYONE), p(EVERYONE, "none")],
        "evaluations:verify-serial": [g(EVERYONE)],
        "api-certificate-status": [g(EVERYONE)],
        "testsets:list": [g(USERS), p(TRIAGERS, "testset")],
        "testsets:products": [g(USERS), p(TRIAGERS, "product")],
        "testsets:product": [g(ORG_READERS)],
        "testsets:result": [g(ORG_READERS)],
        "testsets:testset": [g(ORG_READERS)],
        "testsets:import": [p(TRIAGERS, "results")],
        "testsets:mobsec": [p(TRIAGERS, "none")],
        **disclosure_matrix.rules(g, p, EVERYONE, USERS, NOBODY),
        # inventory: the query answers within each user's reach (400: no query given)
        "inventory:affected": [g(USERS)],
        "api-inventory-affected": [g(USERS, ok=(400,))],
        "api-inventory-version": [g(READERS)],
        "api-inventory-sbom": [g(READERS)],
        **incidents_matrix.rules(g, p, EVERYONE, NOBODY),
    }


def route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, ns: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern):
                assert p.name, f"route {p.pattern} has no name: the matrix cannot list it"
                names.add(ns + p.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_route_is_in_the_matrix():
    assert route_names() == set(_rules())


@pytest.fixture
def objects(world, ingest):
    tester = world.user("tester")
    s1 = ingest(world.orgs["a"], tester, "diff-v1")
    s2 = ingest(world.orgs["a"], tester, "rotated")
    app = s1.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    run = CiRun.objects.create(scan=s2)
    inventory_actions.record_scan(scan=s2)
    monitoring = monitoring_objects(world, app, s1)
    vulns = vulns_matrix.vuln_objects(world, app)
    disclosure = disclosure_matrix.objects(world)
    incidents = incidents_matrix.objects(world)
    fp = Finding.objects.filter(version=s2.version).values_list("fingerprint", flat=True)[0]
    ids = {"id": app.public_id, "app_id": app.public_id, "scan_id": s2.public_id,
           "fingerprint": fp, "fmt": "json"}  # fmt: skip
    ids.update(certify_matrix.objects(world, s2))
    return world, ids, {"scan": s2, "run": run, "s1": s1, "s2": s2, "monitoring": monitoring,
                        "vulns": vulns, "ids": ids, "disclosure": disclosure,
                        "incidents": incidents}  # fmt: skip


def monitoring_objects(world, app, scan) -> dict[str, str]:
    """A candidate of a with an (unrelated) verdict on the app, and a watched folder."""
    app.official = True
    app.save()
    c = Candidate.objects.create(organisation=world.orgs["a"], origin="upload",
                                 package=scan.package, state="done", verdict="unrelated")  # fmt: skip
    v = Verdict.objects.create(candidate=c, app=app, version=scan.version, verdict="unrelated",
                               confidence=0.9, comparison={"signals": []})  # fmt: skip
    folder = monitoring_actions.roots()[0] / "matrix"
    folder.mkdir(parents=True, exist_ok=True)
    src = Source.objects.create(organisation=world.orgs["a"], kind="folder", adapter="folder",
                                name="matrix", path=str(folder))  # fmt: skip
    return {"candidate_id": c.public_id, "verdict_id": v.public_id, "verdict": v.public_id,
            "lang": "en", "fmt": "html", "source_id": src.public_id, "app_id": app.public_id,
            "folder": str(folder)}  # fmt: skip


_MONITORING_ID = {"api-monitoring-candidate": "candidate_id",
                  "api-monitoring-takedown": "candidate_id",
                  "api-monitoring-app-official": "app_id", "api-monitoring-poll": "source_id"}  # fmt: skip


def _kwargs(name: str, ids: dict, objs: dict) -> dict:
    if name.startswith("disclosure:"):
        return disclosure_matrix.kwargs(name, _params(name), objs["disclosure"])
    if name.startswith(("vulns:", "api-vuln-")):
        return vulns_matrix.kwargs(_params(name), objs["vulns"])
    if name.startswith(("incidents:", "api-incident-")):
        return incidents_matrix.kwargs(_params(name), objs["incidents"])
    if "monitoring" in name:
        m = objs["monitoring"]
        return {k: m[_MONITORING_ID[name]] if k == "id" else m[k] for k in _params(name)}
    if name.startswith(("api-scan-", "scans:")):
        return {k: objs["scan"].public_id if k in ("id", "scan_id") else ids[k]
                for k in _params(name)}  # fmt: skip
    if name.startswith("api-inventory-") and _params(name):
        return {"id": objs["s2"].version.public_id}
    if name.startswith("api-ci-"):
        return {"id": objs["run"].public_id} if _params(name) else {}
    return {k: ids[k] for k in _params(name)}


def _params(name: str) -> list[str]:
    resolver = get_resolver()
    ns, _, short = name.rpartition(":")
    if ns:
        resolver = resolver.namespace_dict[ns][1]
    possibilities = resolver.reverse_dict.getlist(short)
    return list(possibilities[0][0][0][1]) if possibilities else []


def _body(kind: str, world, objs: dict):
    if kind.startswith("disclosure-"):
        return disclosure_matrix.body(kind, objs["disclosure"])
    if kind.startswith("vuln-"):
        return vulns_matrix.body(kind, world, objs["vulns"])
    if kind.startswith("incident"):
        return incidents_matrix.body(kind)
    certify = certify_matrix.body(kind, world, objs["ids"])
    if certify is not None:
        return certify
    if kind == "upload" or kind == "page-upload":
        return {"file": SimpleUploadedFile("notes.txt", b"not a package at all"),
                "organisation": world.orgs["a"].public_id}  # fmt: skip
    if kind == "triage":
        return {"status": "confirmed", "reason": "matrix"}
    if kind == "dispute":
        return {"reason": "matrix dispute"}
    if kind == "language":
        return {"language": "en", "next": "/"}
    if kind == "member":
        return {"organisation": world.orgs["a"].public_id, "username": "tester",
                "role": "tester"}  # fmt: skip
    if kind == "owner":
        return {"owner": world.orgs["vendor"].public_id}
    if kind == "official":
        return {"official": True, "name_zh": "矩阵", "name_en": "Matrix"}
    if kind == "official-page":
        return {"official": "on", "name_zh": "矩阵", "name_en": "Matrix", "channels": "",
                "certificates": ""}  # fmt: skip
    if kind == "source":
        return {"organisation": world.orgs["a"].public_id, "kind": "folder", "name": "matrix",
                "path": objs["monitoring"]["folder"]}  # fmt: skip
    if kind == "token":
        return {"name": "matrix"}
    return {}


def _denied(principal: str, response) -> bool:
    code = response.status_code
    if code in (401, 403, 404):
        return True
    location = response.headers.get("Location", "")
    return principal == ANON and code == 302 and "/accounts/login/" in location


@pytest.mark.parametrize("principal", PRINCIPALS)
def test_matrix(objects, principal):
    world, ids, objs = objects
    client = Client()
    if principal != ANON:
        assert client.login(username=principal, password=PASSWORD)
    wrong = []
    for name, rules in sorted(_rules().items()):
        kwargs = _kwargs(name, ids, objs)
        url = reverse(name, kwargs=kwargs)
        if name == "api-app-diff" or name == "registry:diff":
            url += f"?old={objs['s1'].version.public_id}&new={objs['s2'].version.public_id}"
        for rule in rules:
            body = _body(rule.data, world, objs)
            r = (
                getattr(client, rule.method)(url, body)
                if rule.method == "post"
                else client.get(url)
            )
            denied = _denied(principal, r)
            should = principal in rule.allowed
            if should and (denied or (r.status_code >= 400 and r.status_code not in rule.ok)):
                wrong.append(
                    f"{rule.method.upper()} {name} {url}: expected allowed, got {r.status_code}"
                )
            if not should and not denied:
                wrong.append(
                    f"{rule.method.upper()} {name} {url}: expected denied, got {r.status_code}"
                )
            assert r.status_code < 500, f"{name}: {r.status_code}"
        if principal != ANON and name == "accounts:logout":
            assert client.login(username=principal, password=PASSWORD)
    assert not wrong, "\n".join(wrong)
