"""Every ``harmony.*`` check: a package where it fires and a near twin where it must not.

Corpus HAPs where the corpus has both sides (NOTES.md §2, §5.4); otherwise HAPs built here
from real parts (corpus module.json / modules.abc edited, libraries compiled with gcc)."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mobsec.checks.registry import load_all
from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics
from mobsec.facts.harmony import HarmonyFacts
from mobsec.ingest.archive import Archive
from mobsec.ingest.harmony.hap import read_harmony
from mobsec.limits import DEFAULT_LIMITS
from mobsec.options import ScanOptions
from mobsec.report.model import Finding
from tests.conftest import CORPUS
from tests.ingest.harmony.hapbuild import (
    compile_so,
    corpus_member,
    corpus_module_json,
    replace_abc_string,
    signed_with_profile,
    tampered,
    zip_bytes,
)

HAP = CORPUS / "formats" / "hap"
HELLO = HAP / "helloworld-demo_entry-default-signed.hap"
APPINFO = HAP / "appinfo_harmony.hap"
SIGNED_SO = HAP / "hapsigner_entry-default-signed-so.hap"
UNSIGNED_SO = HAP / "hapsigner_entry-default-unsigned-so.hap"


def findings(source: Path | bytes, check_id: str) -> list[Finding]:
    diags = Diagnostics()
    with Archive.open(source, diags) as archive:
        pkg = read_harmony(archive, diags, DEFAULT_LIMITS)
    checks = [load_all("harmony")[check_id]]
    return run_checks(HarmonyFacts(pkg, diags, ScanOptions()), diags, {}, None, checks, "harmony")


def hello_with(edit: Callable[[dict], None], extra: dict[str, bytes] | None = None) -> bytes:
    """The hello-world HAP's own files, module.json edited."""
    doc = copy.deepcopy(corpus_module_json(HELLO))
    edit(doc)
    files = {
        "module.json": json.dumps(doc).encode(),
        "ets/modules.abc": corpus_member(HELLO, "ets/modules.abc"),
        "pack.info": corpus_member(HELLO, "pack.info"),
    }
    return zip_bytes({**files, **(extra or {})})


def _set_debug(value: bool) -> Callable[[dict], None]:
    return lambda d: d["app"].__setitem__("debug", value)


def _extension(exported: bool, permissions: list[str]) -> Callable[[dict], None]:
    def edit(d: dict) -> None:
        d["module"]["extensionAbilities"] = [
            {
                "name": "SyncService",
                "type": "service",
                "exported": exported,
                "permissions": permissions,
            }
        ]

    return edit


def _subscriber(d: dict) -> None:
    d["module"]["extensionAbilities"] = [
        {
            "name": "BootReceiver",
            "type": "staticSubscriber",
            "exported": False,
            "metadata": [
                {"name": "ohos.extension.staticSubscriber", "resource": "$profile:subscribe"}
            ],
        }
    ]


def _profile(event: str) -> dict[str, bytes]:
    doc = {"commonEvents": [{"name": "BootReceiver", "permission": "", "events": [event]}]}
    return {"resources/base/profile/subscribe.json": json.dumps(doc).encode()}


def _permission(reason: str | None) -> Callable[[dict], None]:
    def edit(d: dict) -> None:
        p = {
            "name": "ohos.permission.LOCATION",
            "usedScene": {"abilities": ["EntryAbility"], "when": "inuse"},
        }
        if reason is not None:
            p["reason"] = reason
        d["module"]["requestPermissions"] = [p]

    return edit


def fa_config(cleartext: bool) -> bytes:
    """An FA-model HAP (config.json) as DevEco writes it for API 8."""
    doc = {
        "app": {
            "bundleName": "com.example.fa",
            "vendor": "example",
            "version": {"code": 1, "name": "1.0"},
            "apiVersion": {"compatible": 8, "target": 8},
        },
        "deviceConfig": {"default": {"debug": False, "network": {"cleartextTraffic": cleartext}}},
        "module": {
            "package": "com.example.fa",
            "name": ".MyApplication",
            "mainAbility": ".MainAbility",
            "deviceType": ["phone"],
            "distro": {"moduleName": "entry", "moduleType": "entry"},
            "abilities": [
                {
                    "name": ".MainAbility",
                    "type": "page",
                    "visible": True,
                    "skills": [
                        {"entities": ["entity.system.home"], "actions": ["action.system.home"]}
                    ],
                }
            ],
            "reqPermissions": [{"name": "ohos.permission.INTERNET"}],
        },
    }
    return zip_bytes({"config.json": json.dumps(doc).encode()})


def abc_with(old: str, new: str) -> bytes:
    abc = replace_abc_string(corpus_member(HELLO, "ets/modules.abc"), old, new)
    return hello_with(lambda d: None, {"ets/modules.abc": abc})


def so_hap(tmp: Path, hardened: bool) -> bytes:
    flags = (
        ["-fstack-protector-strong", "-Wl,-z,noexecstack", "-Wl,-z,relro,-z,now", "-fPIC"]
        if hardened
        else ["-fno-stack-protector", "-Wl,-z,execstack", "-Wl,-z,norelro", "-fPIC"]
    )
    return hello_with(lambda d: None, {"libs/x86_64/libdemo.so": compile_so(tmp, "demo", flags)})


RELEASE_PROFILE = {
    "type": "release",
    "bundle-info": {"bundle-name": "com.example.helloworld", "apl": "normal"},
}

# check id -> (what makes it fire, its near twin); each is a path or a builder(tmp) -> bytes
CASES: dict[str, tuple[Callable[[Path], Path | bytes], Callable[[Path], Path | bytes]]] = {
    "harmony.config.debuggable": (
        lambda t: hello_with(_set_debug(True)),
        lambda t: hello_with(_set_debug(False)),
    ),
    "harmony.config.exported-ability": (
        lambda t: hello_with(_extension(True, [])),
        lambda t: hello_with(_extension(True, ["ohos.permission.example.SYNC"])),
    ),
    "harmony.config.boot-subscriber": (
        lambda t: hello_with(_subscriber, _profile("usual.event.BOOT_COMPLETED")),
        lambda t: hello_with(_subscriber, _profile("usual.event.SCREEN_ON")),
    ),
    "harmony.config.cleartext-allowed": (lambda t: fa_config(True), lambda t: fa_config(False)),
    "harmony.permissions.system-grade": (lambda t: SIGNED_SO, lambda t: APPINFO),
    "harmony.permissions.no-reason": (
        lambda t: hello_with(_permission(None)),
        lambda t: hello_with(_permission("$string:location_reason")),
    ),
    "harmony.signing.unsigned": (lambda t: UNSIGNED_SO, lambda t: SIGNED_SO),
    "harmony.signing.debug-profile": (lambda t: APPINFO, lambda t: HELLO),
    # one byte of the first entry's local header changed after signing; the original verifies
    "harmony.signing.signature-invalid": (lambda t: tampered(SIGNED_SO), lambda t: SIGNED_SO),
    "harmony.signing.profile-mismatch": (
        lambda t: SIGNED_SO,
        lambda t: signed_with_profile(
            {"module.json": corpus_member(HELLO, "module.json")}, RELEASE_PROFILE
        ),
    ),
    "harmony.network.cleartext-url": (
        lambda t: abc_with("Ability onWindowStageCreate", "http://api.shop-cn.net/v1/x"),
        lambda t: abc_with("Ability onWindowStageCreate", "https://api.shop-cn.net/v1/"),
    ),
    "harmony.secrets.hardcoded-secret": (
        lambda t: abc_with("Ability onWindowStageDestroy", "key=AKIAZ7Q3J5K2M4N6P8R1;x=1"),
        lambda t: abc_with("Ability onWindowStageDestroy", "key=not-a-secret-value-here."),
    ),
    "harmony.native.weak-hardening": (lambda t: so_hap(t, False), lambda t: so_hap(t, True)),
}

# The hello-world HAP's home-screen ability is exported (reported at info): the twins of the
# exported-ability check differ in the extension ability only.
SUBJECTS = {"harmony.config.exported-ability": "SyncService"}


def test_every_harmony_check_has_a_case() -> None:
    assert set(CASES) == set(load_all("harmony"))


@pytest.mark.corpus
@pytest.mark.parametrize("check_id", sorted(CASES))
def test_fires_and_twin_stays_quiet(check_id: str, corpus_dir: Path, tmp_path: Path) -> None:
    if check_id == "harmony.native.weak-hardening" and shutil.which("gcc") is None:
        pytest.skip("gcc not installed")
    fire, quiet = CASES[check_id]
    subject = SUBJECTS.get(check_id, "")  # the twin differs in this one thing only

    def about(found: list[Finding]) -> list[Finding]:
        return [f for f in found if subject in f"{f.message.en if f.message else ''} {f.evidence}"]

    hits = about(findings(fire(tmp_path), check_id))
    assert hits, f"{check_id} did not fire"
    assert all(f.title.en and f.title.zh and f.description for f in hits)
    assert not about(findings(quiet(tmp_path), check_id)), f"{check_id} fired on its twin"


@pytest.mark.corpus
def test_ground_truth_of_notes(corpus_dir: Path) -> None:
    """NOTES §5.4: debug in all HAPs, UPDATE_SYSTEM/REBOOT, EntryAbility exported."""
    for hap in sorted(HAP.glob("*.hap")):
        assert findings(hap, "harmony.config.debuggable"), hap.name
        assert any(
            "EntryAbility" in f.message.en for f in findings(hap, "harmony.config.exported-ability")
        )
    names = {
        f.message.en.split()[0] for f in findings(SIGNED_SO, "harmony.permissions.system-grade")
    }
    assert names == {"ohos.permission.UPDATE_SYSTEM", "ohos.permission.REBOOT"}


@pytest.mark.corpus
def test_launcher_entry_is_info_other_exported_is_medium(corpus_dir: Path) -> None:
    hits = findings(hello_with(_extension(True, [])), "harmony.config.exported-ability")
    by_name = {
        f.message.en.split()[1 if f.message.en.startswith("ability") else 2]: f for f in hits
    }
    assert by_name["EntryAbility"].severity.value == "info"
    assert by_name["SyncService"].severity.value == "medium"


def _privacy(source: Path | bytes) -> dict:
    from mobsec.facts.harmony.privacy import harmony_privacy

    diags = Diagnostics()
    with Archive.open(source, diags) as archive:
        pkg = read_harmony(archive, diags, DEFAULT_LIMITS)
    return harmony_privacy(HarmonyFacts(pkg, diags, ScanOptions()))


@pytest.mark.corpus
def test_pi_section_lists_pi_modules_the_bytecode_imports(corpus_dir: Path) -> None:
    abc = replace_abc_string(
        corpus_member(HELLO, "ets/modules.abc"),
        "ObservedPropertySimplePU",
        "@ohos:geoLocationManager",
    )
    # requests ohos.permission.LOCATION, not the APPROXIMATELY_LOCATION the module needs
    doc = _privacy(hello_with(_permission("$string:reason"), {"ets/modules.abc": abc}))
    (loc,) = doc["collection"]["pi_types"]
    assert loc["id"] == "location" and loc["accesses"][0]["source"] == "@ohos:geoLocationManager"
    assert loc["accesses"][0]["confidence"] == "medium"
    assert loc["permissions_needed"] == ["ohos.permission.APPROXIMATELY_LOCATION"]
    assert loc["permissions_declared"] == []
    assert len(doc["scenarios"]) == 31
    assert _privacy(HELLO)["collection"]["pi_types"] == []  # the unedited twin imports none


@pytest.mark.corpus
@pytest.mark.skipif(shutil.which("gcc") is None, reason="gcc not installed")
def test_secret_and_url_in_a_native_library(corpus_dir: Path, tmp_path: Path) -> None:
    code = (
        'const char *key = "AKIAZ7Q3J5K2M4N6P8R1"; const char *api = "http://api.shop-cn.net/v1";\n'
    )
    lib = compile_so(tmp_path, "keys", ["-fPIC"], code)
    hap = hello_with(lambda d: None, {"libs/x86_64/libkeys.so": lib})
    (secret,) = findings(hap, "harmony.secrets.hardcoded-secret")
    assert secret.location.file == "libs/x86_64/libkeys.so" and "AKIA****P8R1" in secret.message.en
    (url,) = findings(hap, "harmony.network.cleartext-url")
    assert url.location.file == "libs/x86_64/libkeys.so"
    plain = hello_with(
        lambda d: None, {"libs/x86_64/libkeys.so": compile_so(tmp_path, "plain", ["-fPIC"])}
    )
    assert not findings(plain, "harmony.secrets.hardcoded-secret")
