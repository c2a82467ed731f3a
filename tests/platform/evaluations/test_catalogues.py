"""The evaluations and testsets apps' own zh-CN catalogues: complete, and the .mo current."""

from __future__ import annotations

import gettext
from pathlib import Path

import pytest

import mobsec.platform
from tests.platform.core.test_i18n import _po_entries

APPS = ("evaluations", "testsets")


@pytest.mark.parametrize("app", APPS)
def test_catalogue_complete_and_compiled(app):
    po = Path(mobsec.platform.__file__).parent / app / "locale/zh_Hans/LC_MESSAGES/django.po"
    entries = _po_entries(po.read_text(encoding="utf-8"))
    assert len(entries) > 20
    assert not [k for k, v in entries.items() if k and not v]
    with open(po.with_suffix(".mo"), "rb") as f:
        mo = gettext.GNUTranslations(f)
    for msgid, msgstr in entries.items():
        if msgid:
            assert mo.gettext(msgid) == msgstr, f"{app}: {msgid!r}: run msgfmt"
