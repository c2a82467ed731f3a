"""Who sees which case: reporters only their own, vendors only their products' (and only
once notified), the desk by its part; TOTP before a desk account reaches anything."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.registry.models import App
from mobsec.platform.vulns import actions, totp
from mobsec.platform.vulns.models import TotpDevice
from tests.platform.conftest import PASSWORD

from .conftest import add_user, report, to_vendor

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    assert c.login(username=user.username, password=PASSWORD)
    return c


def two_factor_client(user) -> Client:
    """A desk member's session after password and TOTP (enrolment on first use)."""
    c = client_for(user)
    r = c.get("/vulns/")
    assert r.status_code == 302 and r["Location"].startswith("/vulns/2fa/")
    page = c.get(r["Location"])
    assert page.status_code == 200 and (page.context["enrolling"] or user.totp.confirmed_at)
    device = TotpDevice.objects.get(user=user)
    r = c.post("/vulns/2fa/", {"code": totp.code_at(device, time.time()), "next": "/vulns/"})
    assert r.status_code == 302 and r["Location"] == "/vulns/"
    return c


def ids(response) -> set[str]:
    return {v["id"] for v in response.json()["results"]}


@pytest.fixture
def two_vendors(desk):
    world = desk.world
    other_vendor_org = Organisation.objects.create(name="Other vendor")
    other_vendor = add_user("vendor2", other_vendor_org, "vendor")
    app1 = App.objects.create(organisation=world.orgs["a"], package_name="com.one",
                              owner=world.orgs["vendor"])  # fmt: skip
    app2 = App.objects.create(organisation=world.orgs["a"], package_name="com.two",
                              owner=other_vendor_org)  # fmt: skip
    v1, _, _ = report(desk.reporter, package="com.one")
    v2, _, _ = report(desk.other_reporter, package="com.two")
    v3, _, _ = report(desk.reporter, package="com.one", location="other")
    to_vendor(desk, v1, app=app1)
    to_vendor(desk, v2, app=app2)
    actions.triage(v3, desk.coordinator, app=app1)  # not yet notified: the vendor sees nothing
    return other_vendor, v1, v2, v3


def test_reporters_see_only_their_own(desk, two_vendors):
    _, v1, v2, v3 = two_vendors
    r = client_for(desk.reporter).get("/api/v1/vulns/")
    assert ids(r) == {v1.public_id, v3.public_id}
    c = client_for(desk.other_reporter)
    assert ids(c.get("/api/v1/vulns/")) == {v2.public_id}
    assert c.get(f"/api/v1/vulns/{v1.public_id}/").status_code == 404
    assert c.get(f"/vulns/{v1.public_id}/").status_code == 404
    assert c.get(f"/vulns/{v2.public_id}/").status_code == 200


def test_vendors_see_only_their_products_once_notified(desk, two_vendors):
    other_vendor, v1, v2, _v3 = two_vendors
    assert ids(client_for(desk.world.user("vendor")).get("/api/v1/vulns/")) == {v1.public_id}
    c = client_for(other_vendor)
    assert ids(c.get("/api/v1/vulns/")) == {v2.public_id}
    assert c.get(f"/api/v1/vulns/{v1.public_id}/").status_code == 404
    detail = c.get(f"/api/v1/vulns/{v2.public_id}/").json()
    assert "acknowledge" in detail["my_actions"] and "confirm" not in detail["my_actions"]


def test_admin_and_testers_see_no_case(desk, two_vendors):
    _, v1, _, _ = two_vendors
    for name in ("platform_admin", "org_admin", "tester", "regulator", "other_org"):
        c = client_for(desk.world.user(name))
        assert ids(c.get("/api/v1/vulns/")) == set(), name
        assert c.get(f"/api/v1/vulns/{v1.public_id}/").status_code == 404, name


def test_desk_needs_totp_and_sees_by_part(desk, two_vendors):
    _, v1, v2, v3 = two_vendors
    c = client_for(desk.coordinator)
    r = c.get("/api/v1/vulns/")
    assert r.status_code == 403 and r.json()["code"] == "auth.two_factor"
    c = two_factor_client(desk.coordinator)
    assert ids(c.get("/api/v1/vulns/")) == {v1.public_id, v2.public_id, v3.public_id}
    verifier = two_factor_client(desk.verifier)
    assert ids(verifier.get("/api/v1/vulns/")) == {v1.public_id, v2.public_id}  # assigned
    fresh = add_user("verifier2", desk.desk, "verifier")
    assert ids(two_factor_client(fresh).get("/api/v1/vulns/")) == set()


def test_totp_codes_are_single_use_and_checked(desk):
    device = totp.device_for(desk.verifier)
    now = time.time()
    code = totp.code_at(device, now)
    assert not totp.verify(device, "000000" if code != "000000" else "111111", now)
    assert not totp.verify(device, "12ab56", now)
    assert totp.verify(device, code, now)
    assert device.confirmed_at is not None
    assert not totp.verify(device, code, now)  # replay
    assert totp.verify(device, totp.code_at(device, now + 30), now + 30)
    assert not totp.verify(device, totp.code_at(device, now + 300), now)  # too far ahead
    assert totp.provisioning_uri(device).startswith("otpauth://totp/mobsec:verifier")


def test_assigned_admin_must_use_totp(desk, two_vendors):
    _, v1, _, _ = two_vendors
    admin = desk.world.user("platform_admin")
    assert not totp.needs_two_factor(admin)
    actions.assign(v1, admin, admin, part="coordinator", reason="quality review")
    assert totp.needs_two_factor(admin)
    assert client_for(admin).get(f"/vulns/{v1.public_id}/").status_code == 302
    c = two_factor_client(admin)
    assert c.get(f"/vulns/{v1.public_id}/").status_code == 200
    trail = v1.transitions.get(action="assign", details__user="platform_admin")
    assert trail.reason == "quality review" and trail.part == "admin"


def test_every_view_of_embargoed_details_is_logged(desk, two_vendors):
    from mobsec.platform.accounts.models import AuditEvent

    _, v1, _, _ = two_vendors
    client_for(desk.world.user("vendor")).get(f"/vulns/{v1.public_id}/")
    assert AuditEvent.objects.filter(action="vuln.view", target=v1.public_id,
                                     actor=desk.world.user("vendor")).count() == 1  # fmt: skip


def test_overseas_members_are_refused_details(desk, two_vendors):
    _, v1, _, _ = two_vendors
    abroad = Organisation.objects.create(name="Abroad Labs")
    actions.set_overseas(desk.world.user("platform_admin"), abroad, True)
    traveller = add_user("traveller", abroad, "verifier")
    actions.assign(v1, desk.coordinator, traveller)
    assert not traveller.notifications.exists()  # no notification about the case
    c = two_factor_client(traveller)
    r = c.get(f"/api/v1/vulns/{v1.public_id}/")
    assert r.status_code == 409 and r.json()["reasons"][0]["code"] == "overseas"
    # The provider itself may be abroad: it still gets its own product's details.
    actions.set_overseas(desk.world.user("platform_admin"), desk.world.orgs["vendor"], True)
    assert client_for(desk.world.user("vendor")).get(
        f"/api/v1/vulns/{v1.public_id}/").status_code == 200  # fmt: skip


def test_anonymous_report_through_the_portal_and_follow_up(desk):
    c = Client()
    r = c.post("/vulns/report/", {"package_name": "com.anon", "title": "Leaky logs",
                                  "description": "tokens in logcat", "cwe": "CWE-532"})  # fmt: skip
    assert r.status_code == 200
    token = r.context["token"]
    assert token and token in r.content.decode()
    r = c.post("/vulns/follow/", {"token": token})
    assert r.context["vuln"].state == "received"
    r = c.post("/vulns/follow/", {"token": token, "withdraw": "1", "reason": "mistake"})
    assert r.context["vuln"].state == "withdrawn"
    assert c.post("/api/v1/vulns/follow/", {"token": token + "x"}).status_code == 404
