"""The desk's own catalogue: every message translated to zh-CN, the .mo current, pages in
both languages."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest
from django.test import Client

import mobsec.platform.vulns
from tests.platform.core.test_i18n import _po_entries

PO = Path(mobsec.platform.vulns.__file__).parent / "locale/zh_Hans/LC_MESSAGES/django.po"


def test_every_message_is_translated_and_the_mo_is_current():
    entries = _po_entries(PO.read_text(encoding="utf-8"))
    assert len(entries) > 150
    assert not [k for k, v in entries.items() if k and not v]
    with open(PO.with_suffix(".mo"), "rb") as f:
        mo = gettext.GNUTranslations(f)
    for msgid, msgstr in entries.items():
        if msgid and "%(" not in msgid:
            assert mo.gettext(msgid) == msgstr, msgid


@pytest.mark.django_db
def test_portal_in_both_languages():
    zh = Client().get("/vulns/report/").content.decode()
    en = Client().get("/vulns/report/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "报告漏洞" in zh and "复现步骤" in zh
    assert "Report a vulnerability" in en and "Reproduction steps" in en
