"""Network checks on the labelled vulnerable apps (GROUND_TRUTH.md sections 3 and 4).

The area's cost on the largest app is measured in bench/bench_readers.py, not here.

Every labelled network weakness that static analysis can see must be found where the label
says, and every network finding on these apps must be one we can explain (listed here with
the reason). Known misses, with their reasons, are in the module docstring of each entry.

Not statically visible (explained, not asserted):
- ovaa CWE-319: the token URL "http://example.com./?token=" travels in an Intent extra to
  another activity's WebView (inter-component flow).
- pivaa "Self-signed CA enabled in WebView": the APK has no onReceivedSslError at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mobsec import ScanOptions, scan

NSC = "res/xml/network_security_config.xml"
# apk -> every network finding expected: (check suffix, class or file, method or line)
EXPECTED: dict[str, set[tuple[str, str, str]]] = {
    "pivaa.apk": {
        # README 29 hostname-verifier (quark CWE-297 handlers/API$1.verify)
        ("hostname-verifier-accepts-all", "com.htbridge.pivaa.handlers.API$1", "verify"),
        # README 112 insecure-ssl-trustmanager
        ("trustmanager-accepts-all", "com.htbridge.pivaa.handlers.API$2", "checkServerTrusted"),
        # README 73 cleartext-traffic: WebView.loadUrl("http://google.com")
        ("cleartext-url", "com.htbridge.pivaa.WebviewActivity$4", "onClick"),
    },
    "InsecureShop.apk": {
        # README 49 (quark CWE-295 CustomWebViewClient.onReceivedSslError)
        (
            "webview-ssl-error-proceed",
            "com.insecureshop.util.CustomWebViewClient",
            "onReceivedSslError",
        ),
    },
    "InsecureBankv2.apk": {
        # README 29 cleartext-traffic: all 5 HttpPost(protocol + ip + ":" + port + path), where
        # the field protocol is only ever set to "http://"
        (
            "cleartext-url",
            "com.android.insecurebankv2.ChangePassword$RequestChangePasswordTask",
            "postData",
        ),
        ("cleartext-url", "com.android.insecurebankv2.DoLogin$RequestTask", "postData"),
        ("cleartext-url", "com.android.insecurebankv2.DoTransfer$RequestDoGets2", "doInBackground"),
        (
            "cleartext-url",
            "com.android.insecurebankv2.DoTransfer$RequestDoTransferTask",
            "doInBackground",
        ),
    },
    "AndroGoat.apk": {
        # README 27 user-ca-trust, 29 network-security-config-misconfig, 26 cleartext
        ("nsc-user-ca-trusted", NSC, "6"),
        ("nsc-cleartext-permitted", NSC, "3"),
        # README 26 "Network intercepting – HTTP": the Kotlin property's "http://demo.testfire.net"
        # reaches OkHttp (its setter is never called, so the value is the constant)
        ("cleartext-url", "owasp.sat.agoat.TrafficActivity", "run"),
        # README 28 certificate pinning (present; informational)
        ("certificate-pinning", "owasp.sat.agoat.TrafficActivity$doPinning$1", "invoke"),
    },
    "dvba.apk": {
        # Not labelled, but real: the release config trusts user CAs and allows cleartext.
        ("nsc-user-ca-trusted", NSC, "5"),
        ("nsc-cleartext-permitted", NSC, "3"),
    },
}
QUIET = ["ovaa.apk", "diva-beta.apk", "InjuredAndroid_2020-01.apk", "UnCrackable-Level1.apk"]


def network_findings(apk: Path) -> set[tuple[str, str, str]]:
    report = scan(apk, ScanOptions()).to_json()
    assert not [d for d in report["diagnostics"] if d["code"].startswith("internal.")]
    out = set()
    for f in report["findings"] + report["protections"]:  # pinning is a protection
        if not f["check_id"].startswith("android.network."):
            continue
        loc = f["location"]
        where = loc.get("class") or loc["file"]
        what = loc["method"].split("(")[0] if loc.get("method") else str(loc.get("line"))
        out.add((f["check_id"].removeprefix("android.network."), where, what))
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_network_findings_are_the_labelled_ones(name: str, corpus_apks: Path) -> None:
    found = network_findings(corpus_apks / "vulnapps" / name)
    assert not EXPECTED[name] - found, f"missed in {name}: {sorted(EXPECTED[name] - found)}"
    assert not found - EXPECTED[name], f"unexplained in {name}: {sorted(found - EXPECTED[name])}"


@pytest.mark.parametrize("name", QUIET)
def test_no_network_findings_where_nothing_is_visible(name: str, corpus_apks: Path) -> None:
    assert network_findings(corpus_apks / "vulnapps" / name) == set()
