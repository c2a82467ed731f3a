"""HarmonyOS pipeline: a ``.hap`` module or an ``.app`` pack → facts → harmony.* checks →
report (identity, native libraries, findings, and the module.json / signing tables)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics
from mobsec.facts.harmony import HarmonyFacts
from mobsec.facts.harmony.privacy import harmony_privacy
from mobsec.ingest.archive import Archive
from mobsec.ingest.harmony.hap import HapModule, read_harmony
from mobsec.ingest.harmony.module_config import api_level
from mobsec.ingest.harmony.sign_block import HapSigning
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.model import DetailSection, Report, Text


def scan_harmony(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    assert archive is not None  # detection says hap / harmony-app only for a readable ZIP
    with phases.phase("ingest.harmony"):
        pkg = read_harmony(archive, diags, options.limits)
    facts = HarmonyFacts(pkg, diags, options)
    report.app = facts.app_summary()
    report.native_libraries = [lib.to_json() for lib in pkg.native_libraries]
    with phases.phase("checks"):
        report.findings = run_checks(
            facts, diags, phases.timings, phases.progress, platform="harmony"
        )
    with phases.phase("facts.privacy"):
        report.privacy = harmony_privacy(facts)
    for m in pkg.modules:
        report.platform_details += _module_sections(m, facts, len(pkg.modules) > 1)
    report.platform_details.append(_signing_section("harmony.signing", pkg.signing, "签名"))


def _module_sections(m: HapModule, facts: HarmonyFacts, many: bool) -> list[DetailSection]:
    c = m.config
    suffix = f" ({m.path})" if many and m.path else ""
    sid = f".{c.module_name}" if many and c and c.module_name else ""
    out = []
    if c is not None:
        cfg = DetailSection(
            f"harmony.module{sid}",
            Text(c.file.rsplit("!/", 1)[-1] + suffix, c.file.rsplit("!/", 1)[-1] + suffix),
        )
        for key, value in (
            ("model", c.model),
            ("bundleName", c.bundle_name),
            ("vendor", c.vendor),
            ("versionCode", c.version_code),
            ("versionName", c.version_name),
            ("minAPIVersion", _api(c.min_api)),
            ("targetAPIVersion", _api(c.target_api)),
            ("apiReleaseType", c.api_release_type),
            ("compileSdk", c.compile_sdk),
            ("debug", c.debug),
            ("module", f"{c.module_name} ({c.module_type})"),
            ("deviceTypes", c.device_types),
            ("mainElement", c.main_element),
        ):
            if value is not None:
                cfg.add(key, value)
        if c.cleartext_traffic is not None:
            cfg.add("network.cleartextTraffic", c.cleartext_traffic)
        out.append(cfg)
        abilities = DetailSection(
            f"harmony.abilities{sid}", Text("Abilities" + suffix, "组件(Ability)" + suffix)
        )
        for a in c.abilities:
            abilities.add(
                a.name,
                {
                    "kind": a.type or a.kind,
                    "exported": a.exported,
                    "permissions": a.permissions,
                    "skills": [s.to_json() for s in a.skills],
                    **({"events": a.subscribed_events} if a.subscribed_events else {}),
                },
            )
        out.append(abilities)
        perms = DetailSection(
            f"harmony.permissions{sid}",
            Text("Requested permissions" + suffix, "申请的权限" + suffix),
        )
        for row in facts.permission_rows():
            if row["module"] == c.module_name:
                perms.add(row["name"], {k: row[k] for k in ("apl", "grant", "reason", "pi_types")})
        out.append(perms)
    if m.abc_files:
        abc = DetailSection(
            f"harmony.abc{sid}", Text("Ark bytecode" + suffix, "方舟字节码" + suffix)
        )
        for f in m.abc_files:
            abc.add(
                f.path,
                {
                    "version": f.version,
                    "checksum_ok": f.checksum_ok,
                    "strings": len(f.strings),
                    "imports": f.imports,
                },
            )
        out.append(abc)
    if m.path and m.signing.present:
        out.append(
            _signing_section(f"harmony.signing{sid or '.' + m.path}", m.signing, "签名", suffix)
        )
    return out


def _api(raw: int | None) -> Any:
    level = api_level(raw)
    return level if raw == level else f"{level} ({raw})"


def _signing_section(sid: str, s: HapSigning, zh: str, suffix: str = "") -> DetailSection:
    sec = DetailSection(
        sid.replace("/", "_").lower(),
        Text("Signing (<hap sign block>)" + suffix, zh + "(<hap sign block>)" + suffix),
    )
    sec.add("signed", s.present)
    if not s.present:
        return sec
    sec.add("signature verified", s.verified)
    v = s.verification
    if v is not None:
        sec.add(
            "checked",
            {k: getattr(v, k) for k in ("digest", "signature", "chain", "profile_signature")},
        )
        if v.chain_subjects:
            sec.add("certificate chain", v.chain_subjects)
            sec.add("chain ends at a self-signed root", v.root_self_signed)
        for problem in v.problems[:8]:
            sec.add("problem", problem.en)
    signer = s.signer
    if signer is not None:
        sec.add("signer", signer.subject)
        sec.add("issuer", signer.issuer)
        sec.add("certificate validity", f"{signer.not_before} – {signer.not_after}")
        sec.add("certificate sha256", signer.sha256)
    if s.digest_algorithm:
        sec.add("algorithms", f"{s.digest_algorithm} / {s.signature_algorithm}")
    p = s.profile
    if p is not None:
        j = p.to_json()
        for key in (
            "type",
            "bundle_name",
            "apl",
            "app_feature",
            "issuer",
            "not_before",
            "not_after",
            "debug_device_count",
        ):
            if j[key] is not None:
                sec.add(f"profile {key}", j[key])
        if p.restricted_permissions:
            sec.add("profile restricted permissions", p.restricted_permissions)
    sec.add("sub-blocks", s.blocks)
    return sec
