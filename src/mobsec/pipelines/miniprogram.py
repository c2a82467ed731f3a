"""WeChat mini-program pipeline: a ``.wxapkg`` (decrypted with ``--wx-appid`` when it is a
PC-WeChat V1MMWX file) → facts → miniprogram.* checks → report (app.json table, hosts,
findings, PI section)."""

from __future__ import annotations

from pathlib import Path

from mobsec.checks.runner import run_checks
from mobsec.diagnostics import Diagnostics
from mobsec.facts.miniprogram import MiniProgramFacts
from mobsec.facts.miniprogram.privacy import miniprogram_privacy
from mobsec.ingest.archive import Archive
from mobsec.ingest.miniprogram.package import read_wxapkg
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner
from mobsec.report.model import DetailSection, Report, Text


def scan_wxapkg(
    path: Path,
    archive: Archive | None,
    report: Report,
    diags: Diagnostics,
    phases: PhaseRunner,
    options: ScanOptions,
) -> None:
    with phases.phase("ingest.wxapkg"):
        if report.package.size > options.limits.max_entry_uncompressed:
            diags.error(
                "wxapkg.too_large",
                "",
                f"Package of {report.package.size} bytes exceeds the limit of "
                f"{options.limits.max_entry_uncompressed}",
                f"小程序包大小 {report.package.size} 字节,超过上限 {options.limits.max_entry_uncompressed}",
            )
            return
        pkg = read_wxapkg(path.read_bytes(), diags, options.limits, options.wx_appid)
    facts = MiniProgramFacts(pkg, diags, options)
    report.app = {
        "package": options.wx_appid,
        "version_code": None,
        "version_name": None,
        "label": None,
        "min_sdk": None,
        "target_sdk": None,
        **facts.app_summary(),
    }
    if not pkg.readable:
        report.platform_details.append(_package_section(facts))
        return  # encrypted without the app id, or a broken index: diagnostics say which
    with phases.phase("facts.javascript"):
        facts.js  # noqa: B018 - parse once, timed as its own phase
    with phases.phase("checks"):
        report.findings = run_checks(
            facts, diags, phases.timings, phases.progress, platform="miniprogram"
        )
    with phases.phase("facts.privacy"):
        report.privacy = miniprogram_privacy(facts)
    report.platform_details += [_package_section(facts), *_config_sections(facts)]


def _package_section(facts: MiniProgramFacts) -> DetailSection:
    pkg = facts.pkg
    sec = DetailSection("miniprogram.package", Text("Mini-program package", "小程序包"))
    sec.add("kind", pkg.kind)
    sec.add("encrypted (PC-WeChat V1MMWX)", pkg.encrypted)
    if pkg.encrypted:
        sec.add("decrypted", pkg.decrypted)
    sec.add("files", len(pkg.entries))
    if pkg.readable:
        js = facts.js.to_json()
        sec.add("JavaScript modules (parsed / all)", f"{js['parsed']} / {js['modules']}")
    return sec


def _config_sections(facts: MiniProgramFacts) -> list[DetailSection]:
    out = []
    c = facts.config
    if c is not None:
        sec = DetailSection(
            "miniprogram.app_json", Text(f"{c.file} (app.json)", f"{c.file}(app.json)")
        )
        sec.add("pages", c.pages)
        if c.entry_page:
            sec.add("entryPagePath", c.entry_page)
        if c.sub_packages:
            sec.add("subPackages", c.sub_packages)
        sec.add("permission", c.permissions)
        sec.add("requiredPrivateInfos", c.required_private_infos)
        if c.plugins:
            sec.add("plugins", c.plugins)
        if c.navigate_to_app_ids:
            sec.add("navigateToMiniProgramAppIdList", c.navigate_to_app_ids)
        if c.background_modes:
            sec.add("requiredBackgroundModes", c.background_modes)
        sec.add("debug", c.debug)
        out.append(sec)
    hosts = facts.hosts()
    if hosts:
        net = DetailSection("miniprogram.network", Text("Hosts in the code", "代码中的域名"))
        net.add("hosts", hosts)
        out.append(net)
    return out
