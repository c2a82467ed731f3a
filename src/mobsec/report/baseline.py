"""Baselines and suppressions: what a CI job has already accepted, and why.

A vendor's CI must fail on *new* problems, not on the ones the team reviewed last month. Two
files say what is accepted:

* a **baseline** (``mobsec baseline app.apk -o baseline.json``): the fingerprints of every
  finding of one scan. Findings of a later scan are marked ``status: "new"`` or
  ``"unchanged"`` against it. Fingerprints are stable across rebuilds (ids and names, no
  offsets), so a rebuilt app keeps its baseline.
* **suppressions** (TOML or JSON, written by people): each entry names a finding by
  ``fingerprint`` or by ``rule`` plus optional ``file``/``class``/``method`` globs, with a
  mandatory ``reason`` and an optional ``expires`` date. An expired entry no longer
  suppresses anything and is reported, so an "accept for now" cannot silently become
  "accept for ever".

Both files are user input: they are size-bounded and every problem in them becomes an
:class:`~mobsec.diagnostics.InputError` with a stable code and both languages. The result of
applying them is written into the report document itself (``finding.status``,
``finding.suppression`` and the top-level ``triage`` section) so every output shows it.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mobsec.diagnostics import InputError
from mobsec.version import __version__

BASELINE_FORMAT = 1
MAX_FILE_BYTES = 64 << 20  # a baseline of 100k findings is ~20 MiB
MAX_ENTRIES = 200_000


# ------------------------------------------------------------------------------ reading files


def read_user_file(path: Path, what_en: str, what_zh: str) -> bytes:
    """Read a small user-supplied file, refusing huge ones instead of loading them."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                "triage.file_too_large",
                str(path),
                f"{what_en} is larger than {MAX_FILE_BYTES >> 20} MiB",
                f"{what_zh}超过 {MAX_FILE_BYTES >> 20} MiB",
            )
        return path.read_bytes()
    except OSError as e:
        raise InputError(
            "triage.unreadable",
            str(path),
            f"Cannot read {what_en}: {e.strerror or e}",
            f"无法读取{what_zh}：{e.strerror or e}",
        ) from e


def load_json_object(data: bytes, path: Path, what_en: str, what_zh: str) -> dict[str, Any]:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise InputError(
            "triage.not_json",
            str(path),
            f"{what_en} is not valid JSON: {e}",
            f"{what_zh}不是有效的 JSON：{e}",
        ) from e
    if not isinstance(doc, dict):
        raise InputError(
            "triage.not_object",
            str(path),
            f"{what_en} must be a JSON object",
            f"{what_zh}必须是 JSON 对象",
        )
    return doc


def _bad(path: Path, en: str, zh: str) -> InputError:
    return InputError("triage.invalid", str(path), en, zh)


# ------------------------------------------------------------------------------------ baseline


@dataclass(frozen=True, slots=True)
class Baseline:
    """The fingerprints accepted at one point in time, with where they came from."""

    fingerprints: frozenset[str]
    source: str  # file name, shown in outputs
    created_at: str = ""
    package: str = ""

    @classmethod
    def from_report(cls, doc: dict[str, Any], source: str = "") -> Baseline:
        fps = frozenset(fp for f in doc.get("findings") or [] for fp in fingerprints_of(f))
        app = doc.get("app") or {}
        return cls(
            fps, source, (doc.get("scan") or {}).get("finished_at", ""), app.get("package") or ""
        )

    @classmethod
    def load(cls, path: Path) -> Baseline:
        doc = load_json_object(
            read_user_file(path, "baseline", "基线文件"), path, "baseline", "基线文件"
        )
        if doc.get("mobsec_baseline") != BASELINE_FORMAT:
            raise _bad(
                path,
                f"not a mobsec baseline (format {BASELINE_FORMAT}); make one with `mobsec baseline`",
                f"不是 mobsec 基线文件（格式 {BASELINE_FORMAT}）；请用 `mobsec baseline` 生成",
            )
        entries = doc.get("findings")
        if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
            raise _bad(path, "'findings' must be a list", "'findings' 必须是列表")
        fps = set()
        for i, e in enumerate(entries):
            fp = e.get("fingerprint") if isinstance(e, dict) else None
            if not isinstance(fp, str) or not fp:
                raise _bad(path, f"findings[{i}] has no fingerprint", f"findings[{i}] 缺少指纹")
            fps.add(fp)
        package = doc.get("package") if isinstance(doc.get("package"), dict) else {}
        return cls(
            frozenset(fps),
            path.name,
            str(doc.get("created_at", "")),
            str(package.get("name") or ""),
        )


def fingerprints_of(finding: dict[str, Any]) -> list[str]:
    """A finding's fingerprint and the ones it had before a merge or move (aliases)."""
    aliases = finding.get("fingerprint_aliases")
    extra = [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else []
    return [finding["fingerprint"], *extra]


def baseline_document(doc: dict[str, Any]) -> dict[str, Any]:
    """The baseline file for a report: fingerprints plus enough context to read it by eye."""
    app = doc.get("app") or {}
    findings = []
    for f in doc.get("findings") or []:
        loc = f.get("location") or {}
        findings.append(
            {
                "fingerprint": f["fingerprint"],
                "check_id": f["check_id"],
                "severity": f["severity"],
                "title": (f.get("title") or {}).get("en", ""),
                "file": loc.get("file"),
                "class": loc.get("class"),
                "method": loc.get("method"),
            }
        )
    findings.sort(key=lambda e: (e["check_id"], e["fingerprint"]))
    return {
        "mobsec_baseline": BASELINE_FORMAT,
        "created_at": (doc.get("scan") or {}).get("finished_at", ""),
        "tool_version": __version__,
        "package": {
            "name": app.get("package"),
            "version_name": app.get("version_name"),
            "file_name": (doc.get("package") or {}).get("file_name"),
            "sha256": ((doc.get("package") or {}).get("hashes") or {}).get("sha256"),
        },
        "findings": findings,
    }


# -------------------------------------------------------------------------------- suppressions


@dataclass(frozen=True, slots=True)
class Suppression:
    """One reviewed decision: these findings are accepted, for this reason, until then."""

    reason: str
    fingerprint: str | None = None
    rule: str | None = None  # check id, fnmatch glob allowed ("android.crypto.*")
    file: str | None = None  # globs on the finding's location
    class_name: str | None = None
    method: str | None = None
    expires: dt.date | None = None

    def describe(self) -> str:
        if self.fingerprint:
            return f"fingerprint {self.fingerprint}"
        where = [f"{k}={v}" for k, v in (("file", self.file), ("class", self.class_name),
                                          ("method", self.method)) if v]  # fmt: skip
        return f"rule {self.rule}" + (f" ({', '.join(where)})" if where else "")

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today

    def matches(self, finding: dict[str, Any]) -> bool:
        if self.fingerprint:
            return self.fingerprint in fingerprints_of(finding)
        loc = finding.get("location") or {}
        return (
            _glob(self.rule, finding.get("check_id"))
            and _glob(self.file, loc.get("file"))
            and _glob(self.class_name, loc.get("class"))
            and _glob(self.method, loc.get("method"))
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "fingerprint": self.fingerprint,
            "rule": self.rule,
            "file": self.file,
            "class": self.class_name,
            "method": self.method,
            "expires": self.expires.isoformat() if self.expires else None,
        }


def _glob(pattern: str | None, value: str | None) -> bool:
    if pattern is None:
        return True
    return value is not None and fnmatch.fnmatchcase(value, pattern)


_ALLOWED_KEYS = {"reason", "fingerprint", "rule", "file", "class", "method", "expires"}


def load_suppressions(path: Path) -> list[Suppression]:
    """Read a suppressions file: TOML (``[[suppress]]`` tables) or JSON (``{"suppress": [...]}``)."""
    data = read_user_file(path, "suppressions file", "抑制规则文件")
    if path.suffix.lower() == ".toml":
        import tomllib  # only for TOML suppressions: a plain scan need not import the parser

        try:
            doc = tomllib.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise InputError(
                "triage.not_toml",
                str(path),
                f"suppressions file is not valid TOML: {e}",
                f"抑制规则文件不是有效的 TOML：{e}",
            ) from e
    else:
        doc = load_json_object(data, path, "suppressions file", "抑制规则文件")
    entries = doc.get("suppress", [])
    if not isinstance(entries, list) or len(entries) > MAX_ENTRIES:
        raise _bad(path, "'suppress' must be a list of tables", "'suppress' 必须是表的列表")
    return [_suppression(path, i, e) for i, e in enumerate(entries)]


def _suppression(path: Path, i: int, e: Any) -> Suppression:
    where = f"suppress[{i}]"
    if not isinstance(e, dict):
        raise _bad(path, f"{where} must be a table", f"{where} 必须是表")
    unknown = set(e) - _ALLOWED_KEYS
    if unknown:
        names = ", ".join(sorted(map(str, unknown)))
        raise _bad(path, f"{where}: unknown key(s) {names}", f"{where}：未知的键 {names}")
    for key in _ALLOWED_KEYS - {"expires"}:
        if key in e and not isinstance(e[key], str):
            raise _bad(path, f"{where}.{key} must be a string", f"{where}.{key} 必须是字符串")
    reason = (e.get("reason") or "").strip()
    if not reason:
        raise _bad(path, f"{where} needs a reason", f"{where} 必须写明原因（reason）")
    if bool(e.get("fingerprint")) == bool(e.get("rule")):
        raise _bad(
            path,
            f"{where} needs exactly one of 'fingerprint' or 'rule'",
            f"{where} 必须且只能指定 'fingerprint' 或 'rule' 之一",
        )
    if e.get("fingerprint") and set(e) & {"file", "class", "method"}:
        raise _bad(
            path,
            f"{where}: file/class/method go with 'rule', not 'fingerprint'",
            f"{where}：file/class/method 只能与 'rule' 一起使用",
        )
    return Suppression(
        reason=reason,
        fingerprint=e.get("fingerprint"),
        rule=e.get("rule"),
        file=e.get("file"),
        class_name=e.get("class"),
        method=e.get("method"),
        expires=_date(path, where, e.get("expires")),
    )


def _date(path: Path, where: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _bad(
        path,
        f"{where}.expires must be a date (YYYY-MM-DD)",
        f"{where}.expires 必须是日期（YYYY-MM-DD）",
    )


# ------------------------------------------------------------------------------------ applying


def apply_triage(
    doc: dict[str, Any],
    baseline: Baseline | None = None,
    suppressions: list[Suppression] | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Mark every finding of ``doc`` (in place) and add the ``triage`` section; returns doc.

    ``status`` is "new"/"unchanged" against the baseline (null without one); ``suppression``
    is the first live suppression that matches (null when none). Expired suppressions are
    listed in ``triage.expired_suppressions`` and suppress nothing; entries that matched no
    finding are listed in ``triage.unused_suppressions`` so stale files get cleaned up.
    """
    today = today or dt.date.today()
    suppressions = suppressions or []
    live = [s for s in suppressions if not s.expired(today)]
    used: set[int] = set()
    for f in doc.get("findings") or []:
        f["status"] = (
            None
            if baseline is None
            else (
                "unchanged"
                if any(fp in baseline.fingerprints for fp in fingerprints_of(f))
                else "new"
            )
        )
        f["suppression"] = None
        for i, s in enumerate(live):
            if s.matches(f):
                used.add(i)
                f["suppression"] = {
                    "reason": s.reason,
                    "expires": s.expires.isoformat() if s.expires else None,
                    "matched_by": "fingerprint" if s.fingerprint else "rule",
                }
                break
    findings = doc.get("findings") or []
    doc["triage"] = {
        "baseline": None
        if baseline is None
        else {
            "source": baseline.source,
            "created_at": baseline.created_at,
            "package": baseline.package,
            "new": sum(1 for f in findings if f["status"] == "new"),
            "unchanged": sum(1 for f in findings if f["status"] == "unchanged"),
        },
        "suppressed": sum(1 for f in findings if f["suppression"]),
        "expired_suppressions": [s.to_json() for s in suppressions if s.expired(today)],
        "unused_suppressions": [s.to_json() for i, s in enumerate(live) if i not in used],
        "checked_on": today.isoformat(),
    }
    return doc
