"""Options of one scan, shared by the library entry point, the CLI and later the platform."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from mobsec.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from mobsec.rules.loader import RulePack

# Called as progress(phase, done, total) while a scan runs; total is 0 when unknown.
ProgressCallback = Callable[[str, int, int], None]


@dataclass(slots=True)
class ScanOptions:
    limits: Limits = field(default_factory=lambda: DEFAULT_LIMITS)
    # Worker threads for the per-file parsers that release the GIL (DEX). 0 = one per core.
    threads: int = 0
    progress: ProgressCallback | None = None
    # Personal-information assessment: the app's type in the necessary-PI rules (id, number
    # or zh/en name from facts/privacy/data/app_types.json) and its privacy policy (text or
    # HTML file) to compare with what the app does. Both optional.
    app_type: str | None = None
    privacy_policy: Path | None = None
    # Time budget of the inter-procedural PI taint analysis per app: large obfuscated apps
    # can take far longer than the rest of the scan; past the budget the flows found so far
    # are reported and a ``taint.incomplete`` warning says so.
    taint_seconds: float = 10.0
    # WeChat mini-programs: the app id that decrypts a PC-WeChat (V1MMWX) package, and how
    # many characters of its JavaScript esprima parses (pure Python, 50-200 KB/s; smallest
    # modules first; the rest is searched by pattern and a ``js.not_parsed`` warning says
    # so). A size, not a time, so a report does not depend on how busy the machine is.
    wx_appid: str | None = None
    js_parse_chars: int = 30_000
    # Keep code findings no entry point reaches (and those in shipped test code) among the
    # findings, marked reachability "unreachable"/"test-code" (default: set apart).
    include_unreachable: bool = False
    # Rule packs (mobsec.rules, loaded and verified by the caller): their rules run next to
    # the built-in checks on Android apps, and the report names the packs.
    rule_packs: tuple[RulePack, ...] = ()
    # Where to keep the facts rules need (mobsec.rules.stored), for rule-only re-scans that
    # do not read the package again. None: nothing is stored.
    facts_dir: Path | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "threads": self.threads,
            "app_type": self.app_type,
            "privacy_policy": self.privacy_policy.name if self.privacy_policy else None,
            "taint_seconds": self.taint_seconds,
            "wx_appid": self.wx_appid,
            "js_parse_chars": self.js_parse_chars,
            "include_unreachable": self.include_unreachable,
            "rule_packs": [{"id": p.id, "version": p.version} for p in self.rule_packs],
        }
