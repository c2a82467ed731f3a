"""The rule format: a YAML :class:`~mobsec.rules.yamlsafe.Node` tree checked into typed rules.

Every problem is a :class:`RuleFileError` naming the file, the line and what is wrong (en and
zh-CN). The format is documented in docs/rules.md; a rule is::

    id: android.emergency.example      # <platform>.<area>.<name>, like a built-in check
    title: {en: ..., zh-CN: ...}
    description: {en: ..., zh-CN: ...}
    remediation: {en: ..., zh-CN: ...}
    severity: high                      # critical high medium low info
    confidence: medium                  # high medium low
    cwe: [1395]
    masvs: [MASVS-CODE-3]
    owasp: [M2]                         # optional (OWASP Mobile 2024)
    gbt_34975: ["..."]                  # optional
    references: [https://...]           # optional
    match: <condition>

A condition is a mapping with exactly one key: a combination (``all``, ``any``, ``not``) or
a leaf (see :data:`LEAVES`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mobsec.checks.registry import _ID, _MASVS, OWASP_MOBILE_2024, CheckMeta
from mobsec.report.model import Confidence, Severity, Text

from .patterns import Pattern, PatternError
from .yamlsafe import Node, RuleFileError

COMPARISONS = ("lt", "lte", "gt", "gte", "eq")
SHAPES = ("constant", "not-constant", "string", "int", "param", "field", "result", "unknown")
COMPONENT_KINDS = ("activity", "activity-alias", "service", "receiver", "provider")


@dataclass(frozen=True, slots=True)
class Cond:
    """One condition: ``kind`` is the key (``all``, ``permission``, ``call``...), ``arg`` the
    checked argument (children for combinations), ``line`` where it is written."""

    kind: str
    arg: Any
    line: int


@dataclass(frozen=True, slots=True)
class Rule:
    meta: CheckMeta
    match: Cond
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Range:
    """Comparisons a number or a version must all satisfy."""

    bounds: tuple[tuple[str, Any], ...]

    def holds(self, value: Any) -> bool:
        for op, bound in self.bounds:
            ok = {
                "lt": value < bound,
                "lte": value <= bound,
                "gt": value > bound,
                "gte": value >= bound,
                "eq": value == bound,
            }[op]
            if not ok:
                return False
        return True


def version_key(text: str) -> tuple[int, ...]:
    """'1.0.26-beta' -> (1, 0, 26): the numbers in order; enough for the SDKs' own schemes."""
    out, digits = [], ""
    for ch in text[:64]:
        if ch.isdigit():
            digits += ch
        elif digits:
            out.append(int(digits[:9]))
            digits = ""
        if ch in "-+ " and out:
            break  # a suffix ('-beta', '+build') does not order releases
    if digits:
        out.append(int(digits[:9]))
    return tuple(out)


@dataclass
class _Reader:
    file: str
    errors: list[RuleFileError] = field(default_factory=list)

    def fail(self, node: Node | int, en: str, zh: str) -> RuleFileError:
        line = node.line if isinstance(node, Node) else node
        return RuleFileError(self.file, line, en, zh)

    def mapping(self, node: Node, what: str) -> dict[str, Node]:
        if not isinstance(node.value, dict):
            raise self.fail(node, f"{what} must be a mapping", f"{what} 必须是映射(键值对)")
        return node.value

    def keys(
        self, node: Node, allowed: tuple[str, ...], what: str, nonempty: bool = False
    ) -> dict[str, Node]:
        m = self.mapping(node, what)
        for k, v in m.items():
            if k not in allowed:
                raise self.fail(
                    v,
                    f"unknown key {k!r} in {what} (allowed: {', '.join(allowed)})",
                    f"{what} 中的键 {k!r} 未知(允许:{', '.join(allowed)})",
                )
        if nonempty and not m:
            raise self.fail(
                node,
                f"{what} needs one of {', '.join(allowed)}",
                f"{what} 需要以下至少一项:{', '.join(allowed)}",
            )
        return m

    def text(self, node: Node, what: str) -> str:
        if not isinstance(node.value, str) or not node.value.strip():
            raise self.fail(node, f"{what} must be non-empty text", f"{what} 必须是非空文本")
        return node.value

    def strings(self, node: Node, what: str) -> tuple[str, ...]:
        items = node.value if isinstance(node.value, list) else [node]
        return tuple(self.text(n, what) for n in items)

    def boolean(self, node: Node, what: str) -> bool:
        if not isinstance(node.value, bool):
            raise self.fail(node, f"{what} must be true or false", f"{what} 必须是 true 或 false")
        return node.value

    def pattern(self, node: Node, what: str) -> Pattern:
        source = self.text(node, what)
        try:
            return Pattern(source)
        except PatternError as e:
            raise self.fail(
                node, f"{what}: invalid RE2 pattern: {e}", f"{what}:RE2 正则表达式无效:{e}"
            ) from e

    def bilingual(self, node: Node, what: str) -> Text:
        m = self.keys(node, ("en", "zh-CN"), what)
        for lang in ("en", "zh-CN"):
            if lang not in m:
                raise self.fail(node, f"{what} needs {lang!r} text", f"{what} 缺少 {lang!r} 文本")
        return Text(self.text(m["en"], f"{what}.en"), self.text(m["zh-CN"], f"{what}.zh-CN"))

    def range(self, node: Node, what: str, convert: Callable[[Node], Any]) -> Range:
        m = self.keys(node, COMPARISONS, what, nonempty=True)
        return Range(tuple((op, convert(v)) for op, v in m.items()))

    def integer(self, node: Node, what: str) -> int:
        if isinstance(node.value, bool) or not isinstance(node.value, int):
            raise self.fail(node, f"{what} must be an integer", f"{what} 必须是整数")
        return node.value


RULE_KEYS = (
    "id",
    "title",
    "description",
    "remediation",
    "severity",
    "confidence",
    "cwe",
    "masvs",
    "owasp",
    "gbt_34975",
    "references",
    "match",
)


def parse_rule(node: Node, file: str) -> Rule:
    r = _Reader(file)
    m = r.keys(node, RULE_KEYS, "rule")
    for required in (
        "id",
        "title",
        "description",
        "remediation",
        "severity",
        "confidence",
        "cwe",
        "masvs",
        "match",
    ):
        if required not in m:
            raise r.fail(node, f"rule needs {required!r}", f"规则缺少 {required!r}")
    rid = r.text(m["id"], "id")
    if not _ID.match(rid):
        raise r.fail(
            m["id"],
            f"id {rid!r} is not <platform>.<area>.<name> (lower case, e.g. android.emergency.x)",
            f"id {rid!r} 不符合 <平台>.<领域>.<名称> 格式(小写,如 android.emergency.x)",
        )
    if not rid.startswith("android."):
        raise r.fail(
            m["id"], "rules run on Android apps only for now", "规则目前仅适用于 Android 应用"
        )
    severity = _choice(r, m["severity"], [s.value for s in Severity], "severity")
    confidence = _choice(r, m["confidence"], [c.value for c in Confidence], "confidence")
    cwe_nodes = m["cwe"].value if isinstance(m["cwe"].value, list) else [m["cwe"]]
    cwe = tuple(r.integer(n, "cwe") for n in cwe_nodes)
    masvs = r.strings(m["masvs"], "masvs")
    for n, control in zip(_items(m["masvs"]), masvs, strict=True):
        if not _MASVS.match(control):
            raise r.fail(
                n,
                f"MASVS control {control!r} malformed (e.g. MASVS-CODE-3)",
                f"MASVS 控制项 {control!r} 格式错误(如 MASVS-CODE-3)",
            )
    owasp = r.strings(m["owasp"], "owasp") if "owasp" in m else ()
    for n, item in zip(_items(m["owasp"]) if "owasp" in m else [], owasp, strict=True):
        if item not in OWASP_MOBILE_2024:
            raise r.fail(
                n,
                f"OWASP Mobile 2024 item {item!r} unknown (M1..M10)",
                f"OWASP Mobile 2024 项 {item!r} 未知(M1..M10)",
            )
    meta = CheckMeta(
        id=rid,
        title=r.bilingual(m["title"], "title"),
        description=r.bilingual(m["description"], "description"),
        remediation=r.bilingual(m["remediation"], "remediation"),
        severity=Severity(severity),
        confidence=Confidence(confidence),
        cwe=cwe,
        masvs=masvs,
        owasp_mobile_2024=owasp,
        gbt_34975=r.strings(m["gbt_34975"], "gbt_34975") if "gbt_34975" in m else (),
        references=r.strings(m["references"], "references") if "references" in m else (),
    )
    return Rule(meta, parse_condition(r, m["match"]), file, node.line)


def _items(node: Node) -> list[Node]:
    return node.value if isinstance(node.value, list) else [node]


def _choice(r: _Reader, node: Node, allowed: list[str], what: str) -> str:
    value = r.text(node, what)
    if value not in allowed:
        raise r.fail(
            node,
            f"{what} must be one of {', '.join(allowed)}",
            f"{what} 必须是以下之一:{', '.join(allowed)}",
        )
    return value


# ----------------------------------------------------------------------------- conditions


def parse_condition(r: _Reader, node: Node) -> Cond:
    m = r.mapping(node, "condition")
    if len(m) != 1:
        raise r.fail(
            node,
            f"a condition has exactly one key (one of {', '.join(LEAVES)}, all, any, not); "
            f"got {', '.join(m) or 'none'}",
            f"每个条件只能有一个键(all、any、not 或 {', '.join(LEAVES)});实际为 "
            f"{', '.join(m) or '无'}",
        )
    ((kind, arg),) = m.items()
    if kind in ("all", "any"):
        if not isinstance(arg.value, list) or not arg.value:
            raise r.fail(
                arg, f"{kind} needs a non-empty list of conditions", f"{kind} 需要非空的条件列表"
            )
        return Cond(kind, tuple(parse_condition(r, c) for c in arg.value), arg.line)
    if kind == "not":
        return Cond(kind, parse_condition(r, arg), arg.line)
    if kind not in LEAVES:
        raise r.fail(
            node,
            f"unknown condition {kind!r} (one of {', '.join(LEAVES)}, all, any, not)",
            f"未知条件 {kind!r}(可用:{', '.join(LEAVES)}、all、any、not)",
        )
    return Cond(kind, LEAVES[kind](r, arg), arg.line)


def _permission(r: _Reader, n: Node) -> Pattern:
    return r.pattern(n, "permission")


def _sdk_level(r: _Reader, n: Node) -> dict[str, Range]:
    m = r.keys(n, ("min_sdk", "target_sdk", "compile_sdk"), "sdk_level", nonempty=True)
    return {k: r.range(v, f"sdk_level.{k}", lambda x, k=k: r.integer(x, k)) for k, v in m.items()}


APPLICATION_FLAGS = (
    "debuggable",
    "allow_backup",
    "uses_cleartext_traffic",
    "test_only",
    "request_legacy_external_storage",
    "has_network_security_config",
)


def _application(r: _Reader, n: Node) -> dict[str, bool]:
    m = r.keys(n, APPLICATION_FLAGS, "application", nonempty=True)
    return {k: r.boolean(v, f"application.{k}") for k, v in m.items()}


COMPONENT_KEYS = (
    "kind",
    "name",
    "exported",
    "permission",
    "intent_action",
    "intent_category",
    "intent_scheme",
    "intent_host",
    "authority",
    "grant_uri_permissions",
)


def _component(r: _Reader, n: Node) -> dict[str, Any]:
    m = r.keys(n, COMPONENT_KEYS, "component")
    out: dict[str, Any] = {}
    for k, v in m.items():
        if k == "kind":
            out[k] = tuple(
                _choice(r, x, list(COMPONENT_KINDS), "component.kind") for x in _items(v)
            )
        elif k in ("exported", "grant_uri_permissions"):
            out[k] = r.boolean(v, f"component.{k}")
        elif k == "permission" and v.value is None:
            out[k] = None  # "no permission protects it"
        else:
            out[k] = r.pattern(v, f"component.{k}")
    return out


def _sdk(r: _Reader, n: Node) -> dict[str, Any]:
    m = r.keys(n, ("id", "version", "version_unknown"), "sdk")
    if "id" not in m:
        raise r.fail(n, "sdk needs an id from the SDK catalog", "sdk 需要 SDK 目录中的 id")
    from mobsec.facts.owners import SdkCatalog

    sdk_id = r.text(m["id"], "sdk.id")
    if sdk_id not in {s.id for s in SdkCatalog.load().sdks}:
        raise r.fail(
            m["id"],
            f"SDK id {sdk_id!r} is not in the SDK catalog (mobsec/facts/data/sdks.json)",
            f"SDK id {sdk_id!r} 不在 SDK 目录中",
        )
    version = None
    if "version" in m:
        version = r.range(
            m["version"],
            "sdk.version",
            lambda x: version_key(
                r.text(x, "version") if not isinstance(x.value, (int, float)) else str(x.value)
            ),
        )
    unknown = (
        r.boolean(m["version_unknown"], "sdk.version_unknown") if "version_unknown" in m else False
    )
    return {"id": sdk_id, "version": version, "version_unknown": unknown}


CERT_KEYS = (
    "subject",
    "issuer",
    "debug",
    "self_signed",
    "key_algorithm",
    "key_bits",
    "signature_algorithm",
)


def _certificate(r: _Reader, n: Node) -> dict[str, Any]:
    m = r.keys(n, CERT_KEYS, "certificate", nonempty=True)
    out: dict[str, Any] = {}
    for k, v in m.items():
        if k in ("debug", "self_signed"):
            out[k] = r.boolean(v, f"certificate.{k}")
        elif k == "key_bits":
            out[k] = r.range(v, "certificate.key_bits", lambda x: r.integer(x, "key_bits"))
        else:
            out[k] = r.pattern(v, f"certificate.{k}")
    return out


def _call(r: _Reader, n: Node) -> dict[str, Any]:
    m = r.keys(n, ("class", "method", "exact", "args"), "call")
    for k in ("class", "method"):
        if k not in m:
            raise r.fail(n, f"call needs {k!r}", f"call 缺少 {k!r}")
    cls = r.text(m["class"], "call.class")
    if not cls.startswith("L"):
        cls = "L" + cls.replace(".", "/") + ";"  # Java name -> descriptor
    elif not cls.endswith(";"):
        raise r.fail(
            m["class"],
            "call.class: a Java name (java.lang.Runtime) or a descriptor (Ljava/lang/Runtime;)",
            "call.class 应为 Java 类名或类型描述符",
        )
    args = []
    if "args" in m:
        if not isinstance(m["args"].value, list):
            raise r.fail(m["args"], "call.args must be a list", "call.args 必须是列表")
        for a in m["args"].value:
            am = r.keys(a, ("index", "equals", "matches", "shape"), "call.args item")
            if "index" not in am:
                raise r.fail(
                    a,
                    "call.args item needs index (0 = first declared parameter)",
                    "call.args 项缺少 index(0 表示第一个声明的参数)",
                )
            index = r.integer(am["index"], "index")
            if not 0 <= index < 255:
                raise r.fail(am["index"], "index out of range", "index 超出范围")
            spec: dict[str, Any] = {"index": index}
            if "equals" in am:
                if not isinstance(am["equals"].value, (str, int)):
                    raise r.fail(
                        am["equals"], "equals must be text or an integer", "equals 必须是文本或整数"
                    )
                spec["equals"] = am["equals"].value
            if "matches" in am:
                spec["matches"] = r.pattern(am["matches"], "call.args.matches")
            if "shape" in am:
                spec["shape"] = _choice(r, am["shape"], list(SHAPES), "call.args.shape")
            if len(spec) == 1:
                raise r.fail(
                    a,
                    "call.args item needs equals, matches or shape",
                    "call.args 项需要 equals、matches 或 shape",
                )
            args.append(spec)
    exact = r.boolean(m["exact"], "call.exact") if "exact" in m else False
    return {
        "class": cls,
        "method": r.text(m["method"], "call.method"),
        "exact": exact,
        "args": tuple(args),
    }


def _pattern_leaf(what: str) -> Callable[[_Reader, Node], Pattern]:
    return lambda r, n: r.pattern(n, what)


LEAVES: dict[str, Callable[[_Reader, Node], Any]] = {
    "permission": _permission,
    "sdk_level": _sdk_level,
    "application": _application,
    "component": _component,
    "sdk": _sdk,
    "string": _pattern_leaf("string"),
    "url": _pattern_leaf("url"),
    "host": _pattern_leaf("host"),
    "native_library": _pattern_leaf("native_library"),
    "native_symbol": _pattern_leaf("native_symbol"),
    "native_string": _pattern_leaf("native_string"),
    "certificate": _certificate,
    "call": _call,
}
