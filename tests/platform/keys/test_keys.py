"""Key custody: created once with owner-only permissions, reloaded by name, rotated with
old signatures still verifying, unsafe files and names refused."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from django.test import override_settings

from mobsec.platform.keys import custody


@pytest.fixture
def keydir(tmp_path):
    with override_settings(MOBSEC_KEY_DIR=tmp_path / "keys"):
        yield tmp_path / "keys"


def mode(p):
    return stat.S_IMODE(p.stat().st_mode)


def test_standard_keys_created_owner_only_and_stable(keydir):
    paths = custody.ensure()
    assert [p.name for p in paths] == ["webhooks.pem", "rule-packs.pem", "certificates.pem"]
    assert mode(keydir) == 0o700 and all(mode(p) == 0o600 for p in paths)
    first = custody.public_key_pem("webhooks")
    assert first.startswith("-----BEGIN PUBLIC KEY-----")
    assert custody.public_key_pem("webhooks") == first  # loaded, not regenerated
    kid, sig = custody.sign("webhooks", b"payload")
    assert custody.verify("webhooks", b"payload", kid, sig)
    assert not custody.verify("webhooks", b"payload!", kid, sig)
    assert not custody.verify("rule-packs", b"payload", kid, sig)  # another key


def test_rotation_keeps_old_signatures_verifiable(keydir):
    kid1, sig1 = custody.sign("rule-packs", b"pack v1")
    old, new = custody.rotate("rule-packs")
    assert old == kid1 and new != old
    kid2, sig2 = custody.sign("rule-packs", b"pack v2")
    assert kid2 == new
    assert custody.verify("rule-packs", b"pack v1", kid1, sig1)  # retired key still verifies
    assert custody.verify("rule-packs", b"pack v2", kid2, sig2)
    retired = custody.retired_keys("rule-packs")
    assert len(retired) == 1 and mode(retired[0]) == 0o600


def test_a_key_readable_by_others_is_refused(keydir):
    path = custody.ensure(("webhooks",))[0]
    path.chmod(0o644)
    with pytest.raises(custody.KeyCustodyError) as e:
        custody.signing_key("webhooks")
    assert "chmod 600" in e.value.en and "chmod 600" in e.value.zh


@pytest.mark.parametrize("name", ["../secret_key", "Webhooks", "", "a/b", "x" * 41])
def test_bad_key_names_are_refused(keydir, name):
    with pytest.raises(custody.KeyCustodyError):
        custody.signing_key(name)
    assert not keydir.exists() or list(keydir.iterdir()) == []


def test_management_command_rotates(tmp_path):
    env_cmd = [sys.executable, "-m", "mobsec.platform.manage", "keys"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mobsec.platform.settings.test",
        "MOBSEC_TEST_DATA_DIR": str(tmp_path),  # keys go to <data>/keys
    }
    out = subprocess.run([*env_cmd, "ensure"], env=env, capture_output=True, text=True, check=True)
    assert "webhooks.pem" in out.stdout and mode(tmp_path / "keys" / "webhooks.pem") == 0o600
    out = subprocess.run([*env_cmd, "rotate", "webhooks"], env=env, capture_output=True, text=True)
    assert out.returncode == 0 and "retired" in out.stdout
    bad = subprocess.run([*env_cmd, "rotate", "../x"], env=env, capture_output=True, text=True)
    assert bad.returncode != 0 and "密钥名称" in bad.stderr and "Traceback" not in bad.stderr
