"""What the fixture marks cannot say: severity by kind and protection, SDK attribution and
the manifest excerpt as evidence (the marks only place findings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.fixtures.build import build_apk, missing_tools

from mobsec import ScanOptions, scan

HERE = Path(__file__).parent


def _findings(fixture: str, prefix: str = "android.manifest.") -> dict[str, dict]:
    """Findings of ``prefix`` checks keyed by the component/subject named in the message."""
    app = HERE / fixture
    missing = missing_tools(app)
    if missing:
        pytest.skip("Android fixture toolchain missing: " + ", ".join(missing))
    report = scan(build_apk(app), ScanOptions()).to_json()
    out = {}
    for f in report["findings"]:
        if f["check_id"].startswith(prefix):
            words = f["message"]["en"].split()
            name = next((w for w in words if w.startswith("com.")), f["check_id"])
            out[f"{f['check_id']} {name}"] = f
    return out


@pytest.mark.toolchain
def test_exported_components_severity_owner_and_evidence() -> None:
    found = _findings("manifest-exported")
    sev = {k: (v["severity"], v["confidence"]) for k, v in found.items()}
    prefix = "android.manifest."
    assert sev[f"{prefix}exported-provider com.example.exported.OpenProvider"] == (
        "high",
        "medium",
    )
    # reads open, writes signature-protected: half the exposure
    assert sev[f"{prefix}exported-provider com.example.exported.ReadableProvider"][0] == "medium"
    assert sev[f"{prefix}exported-activity com.example.exported.DangerActivity"][0] == "low"
    assert sev[f"{prefix}exported-activity com.example.exported.SquatActivity"][1] == "low"
    assert sev[f"{prefix}exported-receiver com.example.exported.BootReceiver"][0] == "low"
    umeng = found[f"{prefix}exported-receiver com.umeng.message.UmengMessageReceiver"]
    assert umeng["owner"]["kind"] == "sdk" and umeng["owner"]["sdk_id"] == "umeng-push"
    own = found[f"{prefix}exported-service com.example.exported.OpenService"]
    assert own["owner"]["kind"] == "app"
    assert own["evidence"].startswith("<service") and ".OpenService" in own["evidence"]
    assert 'android:exported="true"' in own["evidence"]
    # messages exist in both languages and fingerprints differ per component
    assert all(f["message"]["zh-CN"] for f in found.values())
    assert len({f["fingerprint"] for f in found.values()}) == len(found)


@pytest.mark.toolchain
def test_backup_rules_lower_the_finding() -> None:
    found = _findings("manifest-backup-rules", "android.manifest.allow-backup")
    (f,) = found.values()
    assert (f["severity"], f["confidence"]) == ("low", "low")
    assert "res/xml/backup_rules.xml" in f["message"]["en"]


@pytest.mark.toolchain
def test_backup_matters_where_running_code_keeps_private_data() -> None:
    # the twin keeps a token in shared preferences from its launcher activity
    (kept,) = _findings("manifest-backup-prefs", "android.manifest.allow-backup").values()
    assert kept["severity"] == "medium"
    assert "keeps" not in kept["message"]["en"]
    # no code of this one opens a private file, preference or database: a policy note
    (empty,) = _findings("manifest-flags-weak", "android.manifest.allow-backup").values()
    assert empty["severity"] == "info"
    assert "no code that runs keeps private files" in empty["message"]["en"]
    assert "SharedPreferences" in empty["message"]["zh-CN"]


@pytest.mark.toolchain
def test_platform_broadcast_receiver_reading_only_the_action_is_a_note() -> None:
    found = _findings("manifest-receiver-input", "android.manifest.exported-receiver")
    prefix = "android.manifest.exported-receiver com.example.receiverinput."
    note = found[prefix + "UnplugReceiver"]
    assert note["severity"] == "info"
    assert "reads nothing from the intent but its action" in note["message"]["en"]
    # twins: an extra read in onReceive, the intent handed to a helper
    for twin in ("UnplugExtraReceiver", "UnplugHelperReceiver"):
        f = found[prefix + twin]
        assert f["severity"] == "low" and "reads nothing" not in f["message"]["en"]


@pytest.mark.toolchain
def test_caller_checks_in_entry_methods_mark_components_guarded() -> None:
    found = _findings("manifest-guards")
    prefix = "android.manifest."
    guarded = found[f"{prefix}exported-service com.example.guards.GuardedService"]
    assert (guarded["severity"], guarded["confidence"]) == ("low", "low")
    assert "guarded in code: its entry method calls getCallingUid" in guarded["message"]["en"]
    assert "调用方校验" in guarded["message"]["zh-CN"]
    receiver = found[f"{prefix}exported-receiver com.example.guards.GuardedReceiver"]
    assert "checkCallingPermission" in receiver["message"]["en"]
    # the twin without a check stays as exposed as before
    open_ = found[f"{prefix}exported-service com.example.guards.OpenService"]
    assert open_["severity"] == "medium" and "guarded" not in open_["message"]["en"]


@pytest.mark.toolchain
def test_exported_component_without_an_effect_is_a_note() -> None:
    found = _findings("manifest-effects")
    act = "android.manifest.exported-activity com.example.effects."
    rcv = "android.manifest.exported-receiver com.example.effects."
    # a toast of the caller's text, a constant answer: nothing another app gains
    for name in (act + "ToastActivity", rcv + "EchoReceiver"):
        note = found[name]
        assert note["severity"] == "info", name
        assert "no sensitive effect found" in note["message"]["en"]
        assert "未发现敏感操作" in note["message"]["zh-CN"]
        assert "reaches no sensitive effect" in note["evidence"]
    assert "caller data: Intent.getStringExtra" in found[act + "ToastActivity"]["evidence"]
    # twins: the caller's text is stored (through a helper), the stored token is answered
    store = found[act + "StoreActivity"]
    assert store["severity"] == "medium"
    assert (
        "reaches: SharedPreferences$Editor.commit [changes stored preferences] via "
        "StoreActivity.onCreate -> StoreActivity.remember" in store["evidence"]
    )
    back = found[act + "ReturnActivity"]
    assert back["severity"] == "medium"
    assert "returns the caller's own Intent" in back["message"]["en"]
    token = found[rcv + "TokenReceiver"]
    assert token["severity"] == "medium"
    assert "BroadcastReceiver.setResultData [returns data]" in token["evidence"]
    assert "no sensitive effect" not in token["message"]["en"]


@pytest.mark.toolchain
def test_effects_behind_a_registered_receiver_or_a_consent_token_are_not_the_components() -> None:
    found = _findings("manifest-effects-receivers")
    act = "android.manifest.exported-activity com.example.receivers."
    svc = "android.manifest.exported-service com.example.receivers."
    # one weakness, one place: the open receiver it registers is the finding, named here
    reg = found[act + "RegisterActivity"]
    assert reg["severity"] == "info"
    assert (
        "reported at its own place (android.icc.dynamic-receiver-exported in "
        "RegisterActivity.onCreate)" in reg["message"]["en"]
    )
    assert "android.icc.dynamic-receiver-exported" in reg["message"]["zh-CN"]
    assert "on a broadcast only: RegisterActivity$Saver" in reg["evidence"]
    # the twin stores its own caller's extra: its own effect, stays
    twin = found[act + "RegisterStoreActivity"]
    assert twin["severity"] == "medium"
    assert "changes stored preferences" in twin["message"]["en"]
    # a receiver for a system broadcast: the upload follows the system's event
    watch = found[svc + "WatchService"]
    assert watch["severity"] == "info"
    assert "no sensitive effect found" in watch["message"]["en"]
    assert "on a broadcast only: WatchService$1" in watch["evidence"]
    assert found[svc + "PostService"]["severity"] == "medium"
    assert "sends over the network" in found[svc + "PostService"]["message"]["en"]
    # the MediaProjection token comes in the caller's Intent: the user's consent, not the caller's
    proj = found[svc + "ProjectionService"]
    assert proj["severity"] == "info"
    assert "MediaProjectionManager.getMediaProjection" in proj["evidence"]
    assert "consent token of the caller's Intent" in proj["evidence"]
    mic = found[svc + "MicService"]
    assert mic["severity"] == "medium"
    assert "records audio (AudioRecord.startRecording)" in mic["message"]["en"]
    # the concrete effect is named first, not the broadcast it also sends
    track = found[svc + "TrackService"]
    assert (
        "its code tracks the device location (LocationManager.requestLocationUpdates)"
        in (track["message"]["en"])
    )


@pytest.mark.toolchain
def test_intent_validation_before_the_effect_marks_components_guarded() -> None:
    found = _findings("manifest-guards")
    rcv = "android.manifest.exported-receiver com.example.guards."
    for name, what in (
        (rcv + "ActionReceiver", 'equals("com.example.guards.SYNC")'),
        (rcv + "CommandReceiver", "contains(allow-list)"),
        (
            "android.manifest.exported-activity com.example.guards.HostActivity",
            'equals("example.com")',
        ),
    ):
        f = found[name]
        assert (f["severity"], f["confidence"]) == ("low", "low"), name
        assert f"validates the intent ({what})" in f["message"]["en"], name
        assert "Intent 校验" in f["message"]["zh-CN"]
    # compared, logged, and stored anyway: the comparison guards nothing
    twin = found[rcv + "LoggedReceiver"]
    assert twin["severity"] == "medium" and "guarded" not in twin["message"]["en"]


@pytest.mark.toolchain
def test_keyguard_dismissal_counts_only_where_it_hides_a_secure_lock_screen() -> None:
    key = "android.manifest.exported-activity com.example.{}.UnlockActivity"
    old = _findings("manifest-keyguard-old")[key.format("kgold")]
    assert old["severity"] == "medium"
    assert "disables the lock screen" in old["message"]["en"]
    # minSdk 29: the same call only lifts a swipe lock screen on every device it runs on
    q = _findings("manifest-keyguard-q")[key.format("kgq")]
    assert q["severity"] == "info"
    assert "no sensitive effect found" in q["message"]["en"]
