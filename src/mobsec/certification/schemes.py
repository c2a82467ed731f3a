"""Evaluation schemes as data: a standard's requirement items and how each is decided.

A scheme file is YAML (read with the rule packs' bounded loader, so every value keeps its
line and every problem names file and line, in en and zh-CN)::

    scheme: cac-191-2019              # id: lower-case letters, digits, '.', '-'
    version: "2026.1"                 # schemes are versioned; an evaluation names both
    standard:
      code: 国信办秘字〔2019〕191号
      title: {en: ..., zh-CN: ...}
    source: ../shared/docs/regulations.md §4.1     # optional: where the item texts come from
    items:
      - id: "3.1"
        title: {en: ..., zh-CN: ...}
        needs_review: false           # true: wording not checked against the standard's text
        platforms: [android]          # optional: other platforms make the item not applicable
        findings:                     # a finding of these checks at or above the severity fails it
          - check: android.network.   # an id, or a family ending in '.'
            min_severity: high
          - standard: "191:3.1"       # or: findings whose standards mapping names this item
        privacy: ["191:3.1"]          # PI-compliance results (report privacy scenarios/MIIT items)
        evidence: manual              # manual | dynamic: needs a tester's evidence unless failed

An item needs at least one of ``findings``, ``privacy`` or ``evidence``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mobsec.report.model import Text
from mobsec.rules.schema import _Reader as Reader
from mobsec.rules.yamlsafe import Node, RuleFileError, load_yaml, parse_yaml

SEVERITY_ORDER = ("info", "low", "medium", "high", "critical")
PLATFORMS = ("android", "ios", "harmony", "miniprogram")
EVIDENCE_KINDS = ("manual", "dynamic")
PRIVACY_RULES = ("191", "MIIT")
MAX_ITEMS = 500

_SCHEME_ID = re.compile(r"[a-z0-9][a-z0-9.-]{0,79}")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,39}")
_ITEM_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-_]{0,39}")
_CHECK = re.compile(r"[a-z0-9][a-z0-9.\-_]{0,119}")
_STANDARD_REF = re.compile(r"([0-9A-Za-z\-_]{1,40}):([0-9A-Za-z.\-_]{1,40})")

SchemeFileError = RuleFileError  # file, line, en, zh: the same shape as a rule file's error


@dataclass(frozen=True, slots=True)
class FindingRule:
    """Findings that fail an item: by check id (or family ``prefix.``) or by standard item."""

    check: str | None
    standard: tuple[str, str] | None  # (standard key, item) as in a finding's ``standards``
    min_severity: str

    def matches(self, finding: dict) -> bool:
        severity = finding.get("severity")
        if severity not in SEVERITY_ORDER:
            return False
        if SEVERITY_ORDER.index(severity) < SEVERITY_ORDER.index(self.min_severity):
            return False
        if self.check is not None:
            cid = str(finding.get("check_id") or "")
            return cid.startswith(self.check) if self.check.endswith(".") else cid == self.check
        key, item = self.standard  # type: ignore[misc]
        named = (finding.get("standards") or {}).get(key) or []
        return isinstance(named, list) and item in named

    def to_json(self) -> dict:
        return {
            "check": self.check,
            "standard": ":".join(self.standard) if self.standard else None,
            "min_severity": self.min_severity,
        }


@dataclass(frozen=True, slots=True)
class SchemeItem:
    id: str
    title: Text
    needs_review: bool
    platforms: tuple[str, ...]
    findings: tuple[FindingRule, ...]
    privacy: tuple[tuple[str, str], ...]  # (rules, scenario id)
    evidence: str | None
    line: int

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title.to_json(),
            "needs_review": self.needs_review,
            "platforms": list(self.platforms),
            "findings": [f.to_json() for f in self.findings],
            "privacy": [f"{r}:{s}" for r, s in self.privacy],
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class Scheme:
    id: str
    version: str
    code: str
    title: Text
    source: str
    items: tuple[SchemeItem, ...]

    @property
    def needs_review(self) -> bool:
        return any(i.needs_review for i in self.items)

    def to_json(self) -> dict:
        return {
            "scheme": self.id,
            "version": self.version,
            "standard": {"code": self.code, "title": self.title.to_json()},
            "source": self.source,
            "items": [i.to_json() for i in self.items],
        }


SCHEME_KEYS = ("scheme", "version", "standard", "source", "items")
ITEM_KEYS = ("id", "title", "needs_review", "platforms", "findings", "privacy", "evidence")


def load_scheme(path: Path, display: str | None = None) -> Scheme:
    """A scheme file, validated, or :class:`SchemeFileError` naming file, line and problem."""
    name = display or path.name
    return parse_scheme_node(load_yaml(path, name), name)


def parse_scheme(text: str, name: str) -> Scheme:
    return parse_scheme_node(parse_yaml(text, name), name)


def parse_scheme_node(root: Node, file: str) -> Scheme:
    r = Reader(file)
    m = r.keys(root, SCHEME_KEYS, "scheme file")
    for required in ("scheme", "version", "standard", "items"):
        if required not in m:
            raise r.fail(root, f"the scheme needs {required!r}", f"评估方案缺少 {required!r}")
    sid = _matching(r, m["scheme"], _SCHEME_ID, "scheme", "lower-case letters, digits, '.', '-'")
    version = _matching(r, m["version"], _VERSION, "version", "letters, digits, '.', '+', '-'")
    std = r.keys(m["standard"], ("code", "title"), "standard")
    for required in ("code", "title"):
        if required not in std:
            raise r.fail(
                m["standard"], f"standard needs {required!r}", f"standard 缺少 {required!r}"
            )
    code = r.text(std["code"], "standard.code")
    title = r.bilingual(std["title"], "standard.title")
    source = r.text(m["source"], "source") if "source" in m else ""
    if not isinstance(m["items"].value, list) or not m["items"].value:
        raise r.fail(m["items"], "items must be a non-empty list", "items 必须是非空列表")
    if len(m["items"].value) > MAX_ITEMS:
        raise r.fail(m["items"], f"more than {MAX_ITEMS} items", f"条目超过 {MAX_ITEMS} 个")
    items: list[SchemeItem] = []
    seen: dict[str, int] = {}
    for node in m["items"].value:
        item = _item(r, node)
        if item.id in seen:
            raise r.fail(
                node,
                f"item id {item.id!r} given twice (first on line {seen[item.id]})",
                f"条目编号 {item.id!r} 重复(首次出现在第 {seen[item.id]} 行)",
            )
        seen[item.id] = item.line
        items.append(item)
    return Scheme(sid, version, code, title, source, tuple(items))


def _matching(r: Reader, node: Node, pattern: re.Pattern, what: str, allowed: str) -> str:
    value = node.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)  # version: 1.0 written without quotes
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise r.fail(
            node,
            f"{what} {node.value!r} is not valid ({allowed})",
            f"{what} {node.value!r} 无效(允许:{allowed})",
        )
    return value


def _item(r: Reader, node: Node) -> SchemeItem:
    m = r.keys(node, ITEM_KEYS, "item")
    for required in ("id", "title"):
        if required not in m:
            raise r.fail(node, f"item needs {required!r}", f"条目缺少 {required!r}")
    iid = _matching(r, m["id"], _ITEM_ID, "item id", "letters, digits, '.', '-', '_'")
    title = r.bilingual(m["title"], f"item {iid}: title")
    needs_review = r.boolean(m["needs_review"], "needs_review") if "needs_review" in m else False
    platforms = r.strings(m["platforms"], "platforms") if "platforms" in m else PLATFORMS
    for p, pn in zip(platforms, _nodes(m.get("platforms")), strict=False):
        if p not in PLATFORMS:
            raise r.fail(pn, f"unknown platform {p!r} ({', '.join(PLATFORMS)})", f"未知平台 {p!r}")
    findings = tuple(_finding_rule(r, n, iid) for n in _nodes(m.get("findings")))
    privacy = tuple(_privacy_ref(r, n, iid) for n in _nodes(m.get("privacy")))
    evidence = None
    if "evidence" in m:
        evidence = r.text(m["evidence"], "evidence")
        if evidence not in EVIDENCE_KINDS:
            raise r.fail(
                m["evidence"],
                f"evidence must be one of {', '.join(EVIDENCE_KINDS)}, not {evidence!r}",
                f"evidence 必须是 {'、'.join(EVIDENCE_KINDS)} 之一,而不是 {evidence!r}",
            )
    if not (findings or privacy or evidence):
        raise r.fail(
            node,
            f"item {iid} says nothing about how it is decided: give findings, privacy or evidence",
            f"条目 {iid} 未说明判定方式:请给出 findings、privacy 或 evidence",
        )
    return SchemeItem(
        iid, title, needs_review, tuple(platforms), findings, privacy, evidence, node.line
    )


def _nodes(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return node.value if isinstance(node.value, list) else [node]


def _finding_rule(r: Reader, node: Node, iid: str) -> FindingRule:
    what = f"item {iid}: findings"
    m = r.keys(node, ("check", "standard", "min_severity"), what)
    if ("check" in m) == ("standard" in m):
        raise r.fail(
            node,
            f"{what}: give exactly one of 'check' or 'standard'",
            f"{what}:'check' 与 'standard' 必须且只能给出一个",
        )
    check = standard = None
    if "check" in m:
        check = _matching(r, m["check"], _CHECK, "check", "a check id or a family ending in '.'")
    else:
        text = r.text(m["standard"], "standard")
        found = _STANDARD_REF.fullmatch(text)
        if not found:
            raise r.fail(
                m["standard"],
                f"standard {text!r} must be KEY:ITEM, e.g. 191:3.1",
                f"standard {text!r} 必须写成 标准:条目,例如 191:3.1",
            )
        standard = (found.group(1), found.group(2))
    severity = r.text(m["min_severity"], "min_severity") if "min_severity" in m else "low"
    if severity not in SEVERITY_ORDER:
        raise r.fail(
            m["min_severity"],
            f"min_severity must be one of {', '.join(SEVERITY_ORDER)}, not {severity!r}",
            f"min_severity 必须是 {'、'.join(SEVERITY_ORDER)} 之一,而不是 {severity!r}",
        )
    return FindingRule(check, standard, severity)


def _privacy_ref(r: Reader, node: Node, iid: str) -> tuple[str, str]:
    text = r.text(node, f"item {iid}: privacy")
    found = _STANDARD_REF.fullmatch(text)
    if not found or found.group(1) not in PRIVACY_RULES:
        raise r.fail(
            node,
            f"privacy result {text!r} must be 191:<scenario> or MIIT:<item>",
            f"个人信息合规结果 {text!r} 必须写成 191:<场景> 或 MIIT:<条目>",
        )
    return found.group(1), found.group(2)


def builtin_dir() -> Path:
    return Path(__file__).resolve().parent / "schemes"


def builtin_schemes() -> list[Scheme]:
    """The schemes shipped with mobsec (``certification/schemes/*.yaml``)."""
    return [load_scheme(p) for p in sorted(builtin_dir().glob("*.yaml"))]
