"""The regulator's report (HTML and PDF, both languages, package texts escaped) and the
public bulletin behind the vulns guards."""

from __future__ import annotations

import pytest
from django.test import Client

from mobsec.platform.incidents import actions, bulletins, notices
from mobsec.platform.incidents.models import Bulletin
from mobsec.platform.registry.models import App
from mobsec.platform.vulns import actions as vulns
from mobsec.platform.vulns import guards

from .conftest import run_jobs, upload

BULLETIN = {"title_en": "Contacts SDK: update now", "title_zh": "通讯录 SDK：请立即更新",
            "body_en": "Apps with the SDK were found and their vendors told; all fixed.",
            "body_zh": "已发现含有该 SDK 的应用并通知厂商；均已修复。"}  # fmt: skip


@pytest.fixture
def notified(desk, incident, fleet_apps, signed_pack):
    """The incident after a fleet re-scan, a case opened, confirmed and notified."""
    pack = actions.attach_pack(incident, desk["responder"], upload(signed_pack))
    actions.publish_pack(incident, desk["responder"], pack.public_id)
    rescan = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    run_jobs()
    rescan.refresh_from_db()
    notices.open_cases(incident, desk["responder"], rescan, desk["verifier"].username)
    notices.confirm_cases(incident, desk["verifier"])
    notices.notify_vendors(incident, desk["responder"])
    return incident


def _fix(desk, world, incident):
    vuln = incident.cases.get().vulnerability
    vendor = world.user("vendor")
    vulns.acknowledge(vuln, vendor)
    vulns.report_fix(vuln, vendor, "1.1", "Update to 1.1; until then revoke the permission.")
    vulns.produce_national_report(vuln, desk["responder"])
    vulns.mark_fixed(vuln, desk["verifier"], "re-tested 1.1 by hand")


def test_report_html_both_languages_escaped(desk, world, notified, token_client):
    app = App.objects.get(package_name="com.example.versions")
    App.objects.filter(pk=app.pk).update(label="<script>alert(1)</script>")
    c = token_client(world.user("regulator"))
    url = f"/api/v1/incidents/{notified.public_id}/report/"
    zh = c.get(url, {"lang": "zh-CN", "fmt": "html"})
    assert zh.status_code == 200
    html = zh.content.decode()
    assert "应急事件报告" in html and notified.title_zh in html
    assert world.orgs["vendor"].name in html
    assert 'id="count-affected">1<' in html and 'id="count-cases">1 / 1 / 0<' in html
    assert "rescan_finished" in html and "vendors_notified" in html
    en = c.get(url, {"lang": "en", "fmt": "html"}).content.decode()
    assert "Incident report" in en and notified.title_en in en
    assert "<script>" not in html + en
    bad = c.get(url, {"lang": "fr", "fmt": "html"})
    assert bad.status_code == 400 and bad.json()["code"] == "incident.bad_report"


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_report_pdf(desk, world, notified, token_client, lang):
    from mobsec.report.render.pdf import cjk_family

    if lang == "zh-CN" and cjk_family() is None:
        pytest.skip("no CJK font on this machine")
    r = token_client(world.user("regulator")).get(
        f"/api/v1/incidents/{notified.public_id}/report/", {"lang": lang, "fmt": "pdf"})  # fmt: skip
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-") and len(r.content) > 2000


def test_bulletin_waits_for_the_guards(desk, world, notified, token_client):
    c = token_client(desk["responder"])
    url = f"/api/v1/incidents/{notified.public_id}/bulletin/"
    r = c.post(url, BULLETIN, content_type="application/json")
    assert r.status_code == 409
    codes = {x["code"] for x in r.json()["reasons"]}
    assert {"no_fix", "no_mitigation", "no_national_report"} <= codes
    _fix(desk, world, notified)
    # Naming an affected app or quoting its evidence is refused even once fixed.
    named = {**BULLETIN, "body_en": "com.example.versions was affected."}
    r = c.post(url, named, content_type="application/json")
    assert r.status_code == 409 and r.json()["reasons"][0]["code"] == "case_detail_public"
    # A regulator-ordered freeze stops it too.
    vulns.set_freeze(world.user("platform_admin"), True, "MIIT-2026-1")
    r = c.post(url, BULLETIN, content_type="application/json")
    assert r.status_code == 409 and [x["code"] for x in r.json()["reasons"]] == ["freeze"]
    vulns.set_freeze(world.user("platform_admin"), False, "MIIT-2026-1")
    assert guards.freeze_in_force() is None
    r = c.post(url, BULLETIN, content_type="application/json")
    assert r.status_code == 201, r.content
    b = Bulletin.objects.get()
    page = Client().get(bulletins.url(b), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and BULLETIN["body_en"].encode() in page.content
    assert Client().get("/incidents/bulletins/").status_code == 200
    again = c.post(url, BULLETIN, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "incident.bulletin_exists"
    assert [e.action for e in notified.events.all()][-1] == "bulletin_published"


ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(lang: str) -> list[dict]:
    import xml.etree.ElementTree as ET

    r = Client().get("/advisories/feed.atom", HTTP_ACCEPT_LANGUAGE=lang)
    assert r.status_code == 200 and r["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(r.content)  # well-formed XML or this raises
    return [
        {
            "title": e.find(f"{ATOM}title").text,
            "summary": e.find(f"{ATOM}summary").text,
            "link": e.find(f"{ATOM}link").get("href"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def test_bulletin_in_disclosure_feed_only_once_published(desk, world, notified, token_client):
    """The public Atom feed of disclosure carries the published bulletin (en and zh-CN, the
    text escaped); a bulletin the guards refused is not there."""
    hostile = {**BULLETIN, "title_en": 'Update\x0b <script>alert(1)</script> & "now"',
               "body_zh": "请立即更新 <b>SDK</b> & 撤销权限。"}  # fmt: skip
    c = token_client(desk["responder"])
    url = f"/api/v1/incidents/{notified.public_id}/bulletin/"
    refused = c.post(url, hostile, content_type="application/json")
    assert refused.status_code == 409  # no fix yet: the guards stop it
    assert _feed("en") == [] and _feed("zh-CN") == []
    _fix(desk, world, notified)
    assert c.post(url, hostile, content_type="application/json").status_code == 201
    b = Bulletin.objects.get()
    (en,) = _feed("en")
    assert en["title"] == 'Incident bulletin: Update <script>alert(1)</script> & "now"'
    assert en["summary"] == BULLETIN["body_en"]
    assert en["link"].endswith(bulletins.url(b))
    (zh,) = _feed("zh-CN")
    assert zh["title"] == "应急公告：" + BULLETIN["title_zh"]
    assert zh["summary"] == "请立即更新 <b>SDK</b> & 撤销权限。"
    raw = Client().get("/advisories/feed.atom", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<script>" not in raw and "&lt;script&gt;" in raw
