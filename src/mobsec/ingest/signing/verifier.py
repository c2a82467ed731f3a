"""Which signature schemes Android checks for a platform range, and the overall verdict.

Mirrors the order of apksig's ``ApkVerifier``: v3.1 (API 33+), v3 (28+), v2 (24+; skipped
when v3 verified and min_sdk >= 28), then v1 when min_sdk < 24 or no v2+ block exists.
The first scheme with errors ends verification, as on a device.
"""

from __future__ import annotations

import itertools
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError, Level

from . import v1 as v1mod
from .algorithms import SDK_MAX, SDK_N, SDK_O, SDK_P, SDK_R, SDK_T
from .block import V2_BLOCK_ID, V3_BLOCK_ID, V31_BLOCK_ID, SigningBlock, find_signing_block
from .certs import ParsedCertificate
from .messages import Issue, make_issue
from .model import SchemeResult, SigningReport
from .v2v3 import (
    SCHEME_NAMES,
    ParsedSigner,
    SchemeContext,
    check_content_digests,
    make_digest_computer,
    parse_scheme_block,
)

BLOCK_FILE = "APK Signing Block"
# Archive diagnostics that make apksig refuse the APK before looking at signatures.
_FATAL_ZIP_CODES = {"zip.cd_overlaps_eocd", "zip.bad_cd_entry", "zip.entry_count_mismatch",
                    "zip.prefixed_data", "zip.multi_disk"}  # fmt: skip


def verify_apk_signatures(
    archive: Any,
    diags: Diagnostics,
    min_sdk: int = 1,
    max_sdk: int = SDK_MAX,
    *,
    target_sdk: int | None = None,
    target_sandbox_version: int | None = None,
) -> SigningReport:
    """Verify every signature scheme of ``archive`` as Android would for min..max SDK.

    ``target_sdk`` (manifest targetSdkVersion) enables the API 30 rule "targetSdk >= 30
    needs v2+"; ``target_sandbox_version`` the API 26 rule for targetSandboxVersion > 1.
    Problems go to ``diags`` too, with the file they concern.
    """
    report = SigningReport(min_sdk=min_sdk, max_sdk=max_sdk)
    for name in ("v1", "v2", "v3", "v3.1", "v4"):
        report.schemes[name] = SchemeResult(scheme=name)
    report.schemes["v4"].add_warning(make_issue("signing.v4_absent"))
    try:
        _verify(archive, diags, report, min_sdk, max_sdk, target_sdk, target_sandbox_version)
    except FormatError as e:  # a view outside the file: the archive lied about its layout
        report.add_error(make_issue("signing.apk_malformed", reason=e.en))
    report.verified = not report.all_error_codes() and any(
        report.schemes[s].verified for s in ("v1", "v2", "v3", "v3.1")
    )
    if not report.verified and not report.all_error_codes():
        report.add_error(make_issue("signing.no_signature", min_sdk=min_sdk, max_sdk=max_sdk))
    _to_diagnostics(report, diags)
    return report


def _verify(
    archive: Any,
    diags: Diagnostics,
    report: SigningReport,
    min_sdk: int,
    max_sdk: int,
    target_sdk: int | None,
    sandbox: int | None,
) -> None:
    if min_sdk > max_sdk:
        report.add_error(make_issue("signing.sdk_range_invalid", min_sdk=min_sdk, max_sdk=max_sdk))
        return
    # The archive reader reports layout problems to the same collector (file "" = archive).
    fatal = sorted({d.code for d in diags if d.code in _FATAL_ZIP_CODES and not d.file})
    if fatal:
        report.add_error(make_issue("signing.apk_malformed", reason=", ".join(fatal)))
        return
    if max_sdk >= SDK_O and archive.get("AndroidManifest.xml") is None:
        report.add_error(make_issue("signing.no_android_manifest"))
        return

    supported = _supported_scheme_names(max_sdk)
    found: set[int] = set()
    buf = archive.view(0, archive.size)
    located = find_signing_block(buf, archive.cd_offset, archive.cd_size, archive.eocd_offset)
    block: SigningBlock | None = None
    if isinstance(located, SigningBlock):
        block = located
        for issue in block.issues:
            report.add_warning(issue)
    elif located.code != "signing.block.bad_magic":
        report.add_warning(located)
    parsed: dict[str, list[ParsedSigner]] = {}
    compute = None
    if block is not None:
        compute = make_digest_computer(
            buf[: block.offset],
            buf[archive.cd_offset : archive.cd_offset + archive.cd_size],
            buf[archive.eocd_offset :],
            block.offset,
        )

    def run(scheme: str, block_id: int, lo: int, hi: int) -> bool:
        """Check one scheme; True if its block exists."""
        if block is None or block_id not in block.pairs or compute is None:
            return False
        res = report.schemes[scheme]
        res.present = res.checked = True
        ctx = SchemeContext(lo, hi, supported, found)
        signers = parse_scheme_block(scheme, block.pairs[block_id], ctx, res)
        parsed[scheme] = signers
        if not res.contains_errors():
            check_content_digests(scheme, signers, res, compute)
        if not res.contains_errors() and scheme != "v2":
            _check_sdk_coverage(scheme, signers, res, lo, hi)
        if not res.contains_errors():
            for s in res.signers:
                s.verified = True
            res.verified = True
        return True

    if max_sdk >= SDK_N:
        rotation_min = 0
        if max_sdk >= SDK_T and run("v3.1", V31_BLOCK_ID, max(min_sdk, SDK_T), max_sdk):
            found.add(31)
            rotation_min = min((s.info.min_sdk or 0 for s in parsed["v3.1"]), default=0)
            if report.all_error_codes():
                return
        if max_sdk >= SDK_P:
            v3_hi = rotation_min - 1 if rotation_min > 0 else max_sdk
            if run("v3", V3_BLOCK_ID, max(min_sdk, SDK_P), max(v3_hi, SDK_P)):
                found.add(3)
                _check_rotation_attr(parsed["v3"], rotation_min, max_sdk, report)
            elif 31 in found:
                report.schemes["v3.1"].add_error(make_issue("signing.scheme.v31_block_without_v3"))
            if report.all_error_codes():
                return
        if min_sdk < SDK_P or not found:
            if run("v2", V2_BLOCK_ID, max(min_sdk, SDK_N), max_sdk):
                found.add(2)
                _check_v2_stripping(parsed["v2"], found, report)
            if report.all_error_codes():
                return

    if max_sdk >= SDK_O and sandbox is not None and sandbox > 1 and not found:
        report.add_error(make_issue("signing.no_sig_for_target_sandbox_version", version=sandbox))

    v1_signers: list[Any] = []
    if min_sdk < SDK_N or not found:
        report.schemes["v1"].checked = True
        v1_signers = v1mod.verify_v1(archive, report.schemes["v1"], min_sdk, max_sdk, supported,
                                     found)  # fmt: skip
    else:
        report.schemes["v1"].present = archive.get(v1mod.MANIFEST) is not None
    if report.all_error_codes():
        return

    if (
        max_sdk >= SDK_R
        and target_sdk is not None
        and target_sdk >= SDK_R
        and (max_sdk >= target_sdk)
    ) and not any(report.schemes[s].verified for s in ("v2", "v3", "v3.1")):
        report.add_error(make_issue("signing.min_sig_scheme_for_target_sdk_not_met",
                                    target_sdk=target_sdk))  # fmt: skip
        return

    _cross_check_and_pick(report, parsed, v1mod.signer_certs(v1_signers))


def _supported_scheme_names(max_sdk: int) -> dict[int, str]:
    if max_sdk >= SDK_P:
        return dict(SCHEME_NAMES)
    if max_sdk >= SDK_N:
        return {2: SCHEME_NAMES[2]}
    return {}


def _check_sdk_coverage(
    scheme: str, signers: list[ParsedSigner], res: SchemeResult, lo: int, hi: int
) -> None:
    ranges = sorted((s.info.min_sdk or 0, s.info.max_sdk or 0) for s in signers)
    if not ranges:
        return
    for (_, prev_hi), (cur_lo, _) in itertools.pairwise(ranges):
        if cur_lo != prev_hi + 1:
            res.add_error(make_issue("signing.scheme.inconsistent_sdk_versions", scheme=scheme))
            return
    first, last = ranges[0][0], ranges[-1][1]
    need_lo = first if scheme == "v3.1" else lo
    if first > need_lo or last < hi:
        res.add_error(make_issue("signing.scheme.missing_sdk_versions", scheme=scheme,
                                 first=first, last=last, min_sdk=lo, max_sdk=hi))  # fmt: skip


def _check_rotation_attr(
    v3: list[ParsedSigner], rotation_min: int, max_sdk: int, report: SigningReport
) -> None:
    res = report.schemes["v3"]
    attrs = [s.rotation_min_sdk_attr for s in v3 if s.rotation_min_sdk_attr is not None]
    if rotation_min > 0:
        if not attrs:
            res.add_warning(make_issue("signing.scheme.v31_rotation_min_sdk_attr_missing"))
        elif any(a != rotation_min for a in attrs):
            res.add_error(make_issue("signing.scheme.v31_rotation_min_sdk_mismatch",
                                     attr=attrs[0], actual=rotation_min))  # fmt: skip
    elif attrs and max_sdk >= attrs[0] and max_sdk >= SDK_T:
        res.add_error(make_issue("signing.scheme.v31_block_missing", attr=attrs[0]))


def _check_v2_stripping(v2: list[ParsedSigner], found: set[int], report: SigningReport) -> None:
    for s in v2:
        for scheme_id in sorted(s.stripping_ids):
            if scheme_id not in found:
                s.info.add_error(
                    make_issue(
                        "signing.scheme.missing_apk_sig_referenced",
                        scheme="v2",
                        referenced=SCHEME_NAMES[scheme_id],
                    )
                )
                s.info.verified = False
                report.schemes["v2"].verified = False


def _cross_check_and_pick(
    report: SigningReport, parsed: dict[str, list[ParsedSigner]], v1_certs: list[ParsedCertificate]
) -> None:
    schemes = report.schemes
    v2_certs = [s.certs[0] for s in parsed.get("v2", []) if s.certs]
    both = schemes["v1"].verified and schemes["v2"].verified
    if both and {c.info.der for c in v1_certs} != {c.info.der for c in v2_certs}:
        report.add_error(make_issue("signing.v1_v2_signers_mismatch"))
        return
    newest: ParsedSigner | None = None
    for scheme in ("v3.1", "v3"):
        if schemes[scheme].verified and parsed.get(scheme):
            signers = sorted(parsed[scheme], key=lambda s: s.info.min_sdk or 0)
            newest = newest or signers[-1]
            oldest = signers[0]
            if scheme == "v3" and (schemes["v2"].verified or schemes["v1"].verified):
                root = oldest.lineage.certs[0] if oldest.lineage else oldest.certs[0]
                past = v2_certs if schemes["v2"].verified else v1_certs
                if len(past) != 1 or past[0].info.der != root.info.der:
                    report.add_error(make_issue("signing.v3_past_signers_mismatch"))
                    return
    if newest is not None:
        report.signers = [newest.certs[0].info]
        if newest.lineage:
            report.lineage = [c.info for c in newest.lineage.certs]
    elif schemes["v2"].verified:
        report.signers = [c.info for c in v2_certs]
    elif schemes["v1"].verified:
        report.signers = [c.info for c in v1_certs]


def _issue_file(issue: Issue, scheme: str) -> str:
    p = issue.params
    for key in ("entry", "name"):
        if isinstance(p.get(key), str) and p[key]:
            return str(p[key])
    if scheme == "v1":
        return v1mod.MANIFEST
    if scheme in ("v2", "v3", "v3.1") or issue.code.startswith("signing.block."):
        return BLOCK_FILE
    return ""


def _to_diagnostics(report: SigningReport, diags: Diagnostics) -> None:
    """Signature problems are warnings in the scan's diagnostics, whatever their weight.

    A diagnostic error means "this part of the package could not be read"; a signature that
    does not verify was read fine, and the signing section of the report (``verified``,
    per-scheme ``errors``) is where its verdict lives. ``verdict`` in the detail keeps the
    distinction for readers of the diagnostics.
    """

    def emit(issue: Issue, is_error: bool, scheme: str) -> None:
        diags.warning(
            issue.code,
            _issue_file(issue, scheme),
            issue.en,
            issue.zh,
            verdict="error" if is_error else "warning",
            **issue.to_json()["params"],
        )

    errors = set(report.errors)
    for i in report.issues:
        emit(i, i.code in errors, "")
    holders: list[Any] = [report]
    for name, res in report.schemes.items():
        holders.append(res)
        errors = set(res.errors)
        for i in res.issues:
            if name == "v4":
                diags.info(i.code, "", i.en, i.zh)
                continue
            emit(i, i.code in errors, name)
        for s in res.signers:
            holders.append(s)
            errors = set(s.errors)
            for i in s.issues:
                emit(i, i.code in errors, name)
    for holder in holders:  # issues the signing model counted but did not keep
        for code, n in holder.suppressed_issues.items():
            diags.count_suppressed(code, Level.WARNING, n)
