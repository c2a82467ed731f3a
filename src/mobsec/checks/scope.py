"""What a tester signs: open findings, apart from protections and code that cannot run.

After the checks ran, every finding is sorted into one place of the report:

* **protections** (root/emulator/debugger/tamper detection, obfuscation, packers,
  certificate pinning) describe defences the app has: facts about it, not weaknesses. They
  go to the report's ``protections`` section, shown by every renderer.
* **unreachable**: a code finding whose method no entry point of the app reaches
  (:mod:`mobsec.facts.reachability`), or that sits in test-framework code shipped in the
  APK (JUnit, Mockito, Espresso...: one ``android.code.test-code-shipped`` finding says
  so), or is about a component such code declares in the manifest. Kept in the JSON (``unreachable_findings``) with ``reachability`` saying why;
  ``ScanOptions.include_unreachable`` (CLI ``--include-unreachable``) keeps them among
  the findings instead.
* everything else stays a finding, code findings marked ``reachability: "reachable"``
  (or ``"unknown"`` when the app's entry points could not be found).

The same check firing with the same message a few instructions apart in one method is one
finding (the others' fingerprints become its ``fingerprint_aliases``). Fingerprints are not
changed by any move, so baselines and triage carry over.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mobsec.checks.context import MANIFEST_FILE
from mobsec.facts.app import AppFacts
from mobsec.facts.reachability import is_test_class
from mobsec.report.model import Finding

# check id -> kind of protection (the report's protections[].kind)
PROTECTION_CHECKS: dict[str, str] = {
    "android.code.root-detection": "root-detection",
    "android.code.emulator-detection": "emulator-detection",
    "android.code.debugger-detection": "debugger-detection",
    "android.code.tamper-detection": "tamper-detection",
    "android.code.obfuscation": "obfuscation",
    "android.code.packer": "packer",
    "android.network.certificate-pinning": "certificate-pinning",
}
PROTECTION_KINDS = tuple(dict.fromkeys(PROTECTION_CHECKS.values()))


@dataclass
class Scoped:
    findings: list[Finding] = field(default_factory=list)
    unreachable: list[Finding] = field(default_factory=list)
    protections: list[Finding] = field(default_factory=list)
    removed: dict[str, int] = field(default_factory=dict)  # mechanism -> findings moved


def scope_findings(
    facts: AppFacts, findings: list[Finding], include_unreachable: bool = False
) -> Scoped:
    out = Scoped(removed={"protections": 0, "unreachable": 0, "test-code": 0, "duplicates": 0})
    findings = _merge_neighbours(findings, out)
    reach = None
    for f in findings:
        if f.check_id in PROTECTION_CHECKS:
            f.protection = PROTECTION_CHECKS[f.check_id]
            out.protections.append(f)
            out.removed["protections"] += 1
            continue
        loc = f.location
        if loc.file == MANIFEST_FILE and _test_component(f):
            f.reachability = "test-code"  # e.g. androidx.test's exported bootstrap activity
        elif not loc.class_name or not loc.file.endswith((".dex", ".class")):
            out.findings.append(f)
            continue
        desc = "L" + (loc.class_name or "").replace(".", "/") + ";"
        if reach is None:
            reach = facts.reachability
        if f.reachability == "test-code":
            pass
        elif is_test_class(desc):
            f.reachability = "test-code"
        elif not reach.known:
            f.reachability = "unknown"
        elif loc.method:
            f.reachability = "reachable" if reach.is_reachable(desc, loc.method) else "unreachable"
        else:
            f.reachability = "reachable" if reach.class_reachable(desc) else "unreachable"
        if f.reachability in ("unreachable", "test-code") and not include_unreachable:
            out.unreachable.append(f)
            out.removed[f.reachability] += 1
        else:
            out.findings.append(f)
    return out


NEIGHBOURS = 6  # code units: the same call repeated in both arms of an SDK_INT branch


def _merge_neighbours(findings: list[Finding], out: Scoped) -> list[Finding]:
    """One weakness at one place is one finding: the same check with the same message in
    the same method a few instructions apart (``if (SDK_INT >= 33) registerReceiver(r, f,
    flags) else registerReceiver(r, f)``) is kept once; the others' fingerprints become
    its aliases, so baselines that listed them still match."""
    kept: list[Finding] = []
    last: dict[tuple, Finding] = {}
    for f in findings:
        loc = f.location
        if loc.offset is None or not loc.method:
            kept.append(f)
            continue
        key = (f.check_id, loc.file, loc.class_name, loc.method, f.message)
        prev = last.get(key)
        if prev is not None and 0 <= loc.offset - (prev.location.offset or 0) <= NEIGHBOURS:
            prev.fingerprint_aliases.append(f.fingerprint)
            out.removed["duplicates"] += 1
            continue
        last[key] = f
        kept.append(f)
    return kept


def _test_component(f: Finding) -> bool:
    """A manifest finding about a component that test-framework code declares."""
    parts = f.fingerprint_parts
    subject = parts[1] if len(parts) > 1 else ""
    return "." in subject and is_test_class("L" + subject.replace(".", "/") + ";")
