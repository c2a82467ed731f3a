"""A rule pack: a folder with ``pack.yaml`` (id, version, publisher) and rule files.

    pack.yaml          id, version, publisher, description {en, zh-CN}
    rules/*.yaml       ``rules:`` a list of rules (see :mod:`.schema`)
    tests.yaml         fixtures and what each rule must (not) find in them (:mod:`.fixtures`)
    pack.sig           Ed25519 signature over every other file (:mod:`.signing`)

Loading checks everything before a scan starts: a bad rule stops the scan with the file,
line and problem, never halfway through an app.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mobsec.checks.registry import Check

from .evaluator import rule_check
from .schema import Rule, _Reader, parse_rule
from .yamlsafe import RuleFileError, load_yaml

PACK_FILE = "pack.yaml"
RULES_DIR = "rules"
MAX_RULE_FILES = 500
MAX_RULES = 5000
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$")


@dataclass(frozen=True, slots=True)
class RulePack:
    root: Path
    id: str
    version: str
    publisher: str
    rules: tuple[Rule, ...]

    def checks(self) -> list[Check]:
        return [rule_check(r) for r in self.rules]


def load_pack(root: Path, builtin_ids: set[str] | None = None) -> RulePack:
    """Read and check a whole pack, or raise :class:`RuleFileError` at the first problem."""
    if not root.is_dir():
        raise RuleFileError(str(root), None, "not a rule pack folder", "不是规则包目录")
    meta_path = root / PACK_FILE
    if not meta_path.is_file():
        raise RuleFileError(
            str(root), None, f"no {PACK_FILE} in the pack", f"规则包中缺少 {PACK_FILE}"
        )
    r = _Reader(str(meta_path))
    meta = r.keys(load_yaml(meta_path), ("id", "version", "publisher", "description"), "pack")
    for k in ("id", "version", "publisher"):
        if k not in meta:
            raise r.fail(1, f"pack.yaml needs {k!r}", f"pack.yaml 缺少 {k!r}")
    version = str(meta["version"].value)
    if not _VERSION.match(version):
        raise r.fail(
            meta["version"],
            "version: letters, digits, '.', '+', '-' only",
            "version 只能包含字母、数字、'.'、'+'、'-'",
        )
    if "description" in meta:
        r.bilingual(meta["description"], "description")
    files = sorted((root / RULES_DIR).glob("*.y*ml")) if (root / RULES_DIR).is_dir() else []
    if not files:
        raise RuleFileError(
            str(root), None, f"no rule files in {RULES_DIR}/", f"{RULES_DIR}/ 中没有规则文件"
        )
    if len(files) > MAX_RULE_FILES:
        raise RuleFileError(
            str(root),
            None,
            f"more than {MAX_RULE_FILES} rule files",
            f"规则文件超过 {MAX_RULE_FILES} 个",
        )
    rules: list[Rule] = []
    seen: dict[str, Rule] = {}
    for path in files:
        for rule in load_rule_file(path):
            if rule.meta.id in seen:
                first = seen[rule.meta.id]
                raise RuleFileError(
                    rule.file,
                    rule.line,
                    f"rule id {rule.meta.id} already used at {first.file}:{first.line}",
                    f"规则 id {rule.meta.id} 与 {first.file}:{first.line} 重复",
                )
            if builtin_ids and rule.meta.id in builtin_ids:
                raise RuleFileError(
                    rule.file,
                    rule.line,
                    f"rule id {rule.meta.id} is a built-in check's id",
                    f"规则 id {rule.meta.id} 与内置检测规则重复",
                )
            seen[rule.meta.id] = rule
            rules.append(rule)
            if len(rules) > MAX_RULES:
                raise RuleFileError(
                    str(root), None, f"more than {MAX_RULES} rules", f"规则数量超过 {MAX_RULES}"
                )
    return RulePack(
        root,
        r.text(meta["id"], "id"),
        version,
        r.text(meta["publisher"], "publisher"),
        tuple(rules),
    )


def load_rule_file(path: Path) -> list[Rule]:
    name = str(path)
    doc = load_yaml(path, name)
    r = _Reader(name)
    top = r.keys(doc, ("rules",), "rule file")
    if "rules" not in top or not isinstance(top["rules"].value, list) or not top["rules"].value:
        raise r.fail(
            doc,
            "a rule file is 'rules:' with a non-empty list of rules",
            "规则文件应为 'rules:' 加非空规则列表",
        )
    return [parse_rule(n, name) for n in top["rules"].value]
