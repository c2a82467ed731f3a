"""Accounts: opaque ids, Argon2 hashing, roles per membership, API tokens, login throttling."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from django.contrib.auth.hashers import make_password
from django.test import override_settings
from django.urls import reverse

from mobsec.platform.accounts import roles
from mobsec.platform.accounts.auth import new_token
from mobsec.platform.accounts.models import AuditEvent, Membership, Organisation, User

pytestmark = pytest.mark.django_db


def test_organisation_ids_are_opaque_and_unique():
    a = Organisation.objects.create(name="A")
    b = Organisation.objects.create(name="B")
    assert a.public_id != b.public_id
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", a.public_id)
    assert str(a.pk) not in a.public_id or len(a.public_id) == 22


def test_passwords_are_hashed_with_argon2():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"]):
        assert make_password("correct horse").startswith("argon2$argon2id$")
    from mobsec.platform.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_membership_role_is_per_organisation():
    u = User.objects.create_user("alice", password="pw-alice-123")
    a = Organisation.objects.create(name="A")
    b = Organisation.objects.create(name="B")
    Membership.objects.create(user=u, organisation=a, role=roles.TESTER.id)
    Membership.objects.create(user=u, organisation=b, role=roles.VENDOR.id)
    by_org = {m.organisation.name: m.role_def for m in u.memberships.all()}
    assert roles.UPLOAD in by_org["A"].capabilities
    assert roles.UPLOAD not in by_org["B"].capabilities
    assert set(roles.ROLES) >= {"platform_admin", "org_admin", "tester", "vendor", "regulator"}


def test_api_token_authenticates_and_is_stored_hashed(client):
    u = User.objects.create_user("bob", password="pw-bob-123456")
    token, key = new_token(u, "ci")
    assert key not in token.digest
    r = client.get("/api/health/")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"
    assert "Content-Security-Policy" in r.headers


def test_login_is_throttled_after_failures_and_audited(client):
    User.objects.create_user("carol", password="pw-carol-123456")
    url = reverse("accounts:login")
    for _ in range(5):
        r = client.post(url, {"username": "carol", "password": "wrong"})
        assert r.status_code == 200
    # Right password now refused: the account is locked for the window.
    r = client.post(url, {"username": "carol", "password": "pw-carol-123456"})
    assert r.status_code == 200
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", target="carol").count() == 5


def test_login_succeeds_and_is_audited(client):
    u = User.objects.create_user("dave", password="pw-dave-123456")
    r = client.post(reverse("accounts:login"), {"username": "dave", "password": "pw-dave-123456"})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="login", actor=u).exists()


def test_engine_and_scan_cli_do_not_import_django():
    code = (
        "import sys, mobsec, mobsec.cli; "
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_role_changes_and_owner_changes_are_audited():
    from mobsec.platform.accounts import actions

    admin = User.objects.create_user("root-admin", password="pw-root-123456")
    user, password = actions.create_user("erin", "Org E", "tester")
    assert password and user.check_password(password)
    org = Organisation.objects.get(name="Org E")
    actions.set_role(admin, user, org, "org_admin")
    changes = list(AuditEvent.objects.filter(action="role_change", target="erin").order_by("at"))
    assert [(e.details["from"], e.details["to"]) for e in changes] == [
        (None, "tester"),
        ("tester", "org_admin"),
    ]
    assert changes[-1].actor == admin


def test_org_admin_changes_a_role_on_the_members_page(client):
    from tests.platform.conftest import make_world

    world = make_world()
    client.force_login(world.user("org_admin"))
    page = client.get("/accounts/members/")
    assert page.status_code == 200 and b"tester" in page.content
    r = client.post("/accounts/members/", {"organisation": world.orgs["a"].public_id,
                                           "username": "tester", "role": "vendor"})  # fmt: skip
    assert r.status_code == 302
    assert (
        Membership.objects.get(user=world.user("tester"), organisation=world.orgs["a"]).role
        == "vendor"
    )
    e = AuditEvent.objects.get(action="role_change", target="tester")
    assert e.actor == world.user("org_admin") and e.details == {"from": "tester", "to": "vendor"}
    assert e.details["to"] in client.get("/accounts/members/").content.decode()
