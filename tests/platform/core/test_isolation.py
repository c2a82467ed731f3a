"""Organisation isolation: nothing of organisation a reaches a user of organisation b,
whatever ids are guessed (sequential row ids, a's real opaque ids), in pages or the API."""

from __future__ import annotations

import re

import pytest

from mobsec.platform.scans.models import Finding

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_data(world, ingest):
    scan = ingest(world.orgs["a"], world.user("tester"), "manifest-rich")
    ingest(world.orgs["b"], world.user("other_org"), "diff-v1")
    return scan


def test_other_organisation_sees_nothing_of_a(world, a_data, token_client):
    c = token_client(world.user("other_org"))
    a_app = a_data.version.app
    assert Finding.objects.filter(app=a_app).exists()
    a_ids = {a_data.public_id, a_app.public_id, world.orgs["a"].public_id}
    listing = {
        "/api/v1/scans/": ("id", "organisation", "app"), "/api/v1/apps/": ("id", "organisation"),
        "/api/v1/findings/": ("app", "organisation"), "/api/v1/organisations/": ("id",),
    }  # fmt: skip
    for url, keys in listing.items():
        r = c.get(url)
        assert r.status_code == 200
        rows = r.json()["results"]
        assert rows, f"{url}: b's own data must be listed"
        assert not {row[k] for row in rows for k in keys} & a_ids, url
    stats = c.get("/api/v1/statistics/").json()
    assert stats["apps"] == 1
    assert not any(o["organisation"] == world.orgs["a"].name for o in stats["by_organisation"])
    r = c.get(f"/api/v1/findings/?organisation={world.orgs['a'].public_id}")
    assert r.json()["count"] == 0


@pytest.mark.parametrize("guess", ["1", "2", "0", "-1", "%2e%2e", "1%20OR%201=1"])
def test_guessed_ids_are_not_found(world, a_data, token_client, guess):
    c = token_client(world.user("other_org"))
    for url in (f"/api/v1/scans/{guess}/", f"/api/v1/apps/{guess}/",
                f"/api/v1/scans/{guess}/report/", f"/api/v1/apps/{guess}/findings/"):  # fmt: skip
        assert c.get(url).status_code == 404
    c.force_login(world.user("other_org"))
    for url in (f"/scans/{guess}/", f"/apps/{guess}/", f"/scans/{guess}/report.html"):
        assert c.get(url).status_code == 404


def test_ids_in_api_answers_are_opaque(world, a_data, token_client):
    c = token_client(world.user("tester"))
    body = c.get(f"/api/v1/scans/{a_data.public_id}/").json()
    for key in ("id", "organisation", "app", "version"):
        assert re.fullmatch(r"[A-Za-z0-9_-]{22}", body[key]), (key, body[key])
    assert str(a_data.pk) != body["id"]


def test_unauthenticated_api_gets_401_never_data(a_data, client):
    for url in ("/api/v1/scans/", f"/api/v1/scans/{a_data.public_id}/",
                f"/api/v1/scans/{a_data.public_id}/report/", "/api/v1/findings/"):  # fmt: skip
        r = client.get(url)
        assert r.status_code == 401
        assert set(r.json()) <= {"detail", "code"}
    r = client.get("/api/v1/scans/", HTTP_AUTHORIZATION="Token mst_not-a-real-token")
    assert r.status_code == 401


def test_nul_in_ids_and_filters_is_a_clear_400(world, a_data, token_client):
    c = token_client(world.user("tester"))
    for url in ("/api/v1/scans/a%00b/", "/api/v1/findings/?check_id=x%00", "/apps/%00/"):
        r = c.get(url)
        assert r.status_code == 400 and r.json()["code"] == "request.nul", url
