"""The native hardening checks agree with readelf on the fixture's libraries.

The fixture (native-hardening) is built by the real toolchain with each mitigation on or
off; for every library copy, readelf's view of the property decides whether the check must
name that copy in its finding.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from mobsec import ScanOptions, scan
from tests.fixtures.build import build_apks, missing_tools

FIXTURE = Path(__file__).parent / "native-hardening"


def _readelf(path: Path) -> dict[str, bool]:
    out = subprocess.run(
        ["readelf", "-lWdS", "--dyn-syms", str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    stack = re.search(r"GNU_STACK\s+.*\s(RW?E?)\s+0x", out)
    return {
        "android.native.no-nx": stack is None or "E" in stack.group(1),
        "android.native.no-stack-canary": "__stack_chk_fail" not in out,
        "android.native.no-relro": not ("GNU_RELRO" in out and "BIND_NOW" in out),
        "android.native.textrel": "TEXTREL" in out,
        "android.native.rpath": "RPATH" in out or "RUNPATH" in out,
        "android.native.not-stripped": " .symtab " in out,
    }


@pytest.mark.toolchain
def test_findings_match_readelf(tmp_path: Path) -> None:
    if shutil.which("readelf") is None:
        pytest.skip("readelf (binutils) not installed")
    missing = missing_tools(FIXTURE)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    apk = build_apks([FIXTURE])[FIXTURE.name]
    report = scan(apk, ScanOptions()).to_json()
    named: dict[str, set[str]] = {}
    for f in report["findings"]:
        if f["check_id"].startswith("android.native."):
            paths = set(re.findall(r"lib/[\w-]+/lib\w+\.so", f["message"]["en"]))
            named.setdefault(f["check_id"], set()).update(paths)
    expected: dict[str, set[str]] = {}
    with zipfile.ZipFile(apk) as z:
        libs = [n for n in z.namelist() if n.startswith("lib/") and n.endswith(".so")]
        assert len(libs) == 5
        for name in libs:
            target = tmp_path / name.replace("/", "_")
            target.write_bytes(z.read(name))
            for check_id, lacking in _readelf(target).items():
                if lacking:
                    expected.setdefault(check_id, set()).add(name)
    assert named.pop("android.native.no-fortify") == {
        "lib/arm64-v8a/libweak.so",
        "lib/x86_64/libweak.so",
    }
    assert named == expected
