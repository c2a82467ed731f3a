"""Monitoring pages in zh-CN and en, with hostile strings from listings and packages
escaped; the app's own catalogue complete and compiled."""

from __future__ import annotations

from pathlib import Path

import mobsec.platform.monitoring
from mobsec.platform.monitoring.models import Candidate, Verdict
from tests.platform.core.test_i18n import _po_entries

PO = Path(mobsec.platform.monitoring.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"
XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_catalogue_is_complete_and_compiled():
    import gettext

    entries = _po_entries(PO.read_text(encoding="utf-8"))
    assert entries and not [k for k, v in entries.items() if k and not v]
    with open(PO.with_suffix(".mo"), "rb") as f:
        mo = gettext.GNUTranslations(f)
    assert all(mo.gettext(k) == v for k, v in entries.items() if k)


def test_pages_escape_hostile_text_in_both_languages(world, ingest, client):
    scan = ingest(world.orgs["a"], world.user("tester"), "diff-v1")
    app = scan.version.app
    app.official, app.official_name_zh = True, XSS
    app.official_channels = [{"name": XSS, "url": "https://example.com/"}]
    app.save()
    c = Candidate.objects.create(
        organisation=world.orgs["a"], origin="adapter", package=scan.package, channel=XSS,
        file_name=XSS, label=XSS, state="done", verdict="counterfeit",
        listing={"title": XSS, "developer": XSS, "description": XSS, "downloads": 3},
    )  # fmt: skip
    Verdict.objects.create(candidate=c, app=app, version=scan.version, verdict="counterfeit",
                           confidence=0.9, comparison={
                               "reasons": {"en": [XSS], "zh-CN": [XSS]},
                               "signals": [{"id": "name", "title": {"en": "App name", "zh-CN": "应用名称"},
                                            "score": 0.95, "matched": True,
                                            "summary": {"en": XSS, "zh-CN": XSS},
                                            "evidence": {"candidate": XSS}}]})  # fmt: skip
    client.force_login(world.user("org_admin"))
    for lang, words in (
        ("zh-hans", ("渠道监测", "仿冒", "应用名称")),
        ("en", ("Channel monitoring", "counterfeit", "App name")),
    ):
        client.cookies["django_language"] = lang
        pages = [client.get(u) for u in ("/monitoring/", f"/monitoring/candidates/{c.public_id}/",
                                         "/monitoring/official/", "/monitoring/sources/",
                                         f"/monitoring/official/{app.public_id}/")]  # fmt: skip
        for r in pages:
            assert r.status_code == 200
            html = r.content.decode()
            assert "<script>alert" not in html and "<img src=x" not in html
        detail = pages[1].content.decode()
        assert all(w in pages[0].content.decode() + detail for w in words), lang
        assert "&lt;script&gt;" in detail and 'class="takedown-en-pdf"' in detail
