"""zh-CN (default) and en: every message translated, the .mo shipped matches the .po, pages
and API answers follow the chosen language, the switcher changes it."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

import mobsec.platform

LOCALE = Path(mobsec.platform.__file__).parent / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _po_entries(text: str) -> dict[str, str]:
    """msgid -> msgstr (msgstr[0] for plurals) of a .po file, enough for this check."""
    entries = {}
    for block in text.split("\n\n"):
        if "#, fuzzy" in block:
            pytest.fail(f"fuzzy entry in {PO.name}: {block[:200]}")
        mid = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        mstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block, re.M)
        if mid and mstr:
            unq = lambda s: "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', s))  # noqa: E731
            entries[unq(mid.group(1))] = unq(mstr.group(1))
    return entries


def test_every_message_has_a_chinese_translation_and_the_mo_is_current():
    entries = _po_entries(PO.read_text(encoding="utf-8"))
    untranslated = [k for k, v in entries.items() if k and not v]
    assert not untranslated
    with open(PO.with_suffix(".mo"), "rb") as f:
        mo = gettext.GNUTranslations(f)
    for msgid, msgstr in entries.items():
        if msgid and "%(" not in msgid:
            assert mo.gettext(msgid) == msgstr, (
                f"{msgid!r} differs in django.mo: run django-admin compilemessages"
            )


@pytest.mark.django_db
def test_pages_and_api_follow_the_language(client):
    zh = client.get("/accounts/login/")
    assert "登录" in zh.content.decode() and 'lang="zh-CN"' in zh.content.decode()
    en = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert ">Log in<" in en.content.decode() and 'lang="en"' in en.content.decode()
    r = client.get("/api/v1/scans/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 401 and "credentials" in r.json()["detail"]
    r = client.get("/api/v1/scans/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert re.search(r"[\u4e00-\u9fff]", r.json()["detail"]), r.json()


@pytest.mark.django_db
def test_switcher_sets_the_language(client):
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert r.status_code == 302
    assert ">Log in<" in client.get("/accounts/login/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/accounts/login/"})
    assert "登录" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_user_errors_carry_both_languages(world, token_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = token_client(world.user("tester"))
    r = c.post("/api/v1/scans/", {"file": SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)},
               HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert r.status_code == 415
    body = r.json()
    assert body["code"] == "upload.not_a_package" and "PNG" in body["detail"]
    assert body["messages"]["en"] == body["detail"] and "PNG" in body["messages"]["zh-CN"]
