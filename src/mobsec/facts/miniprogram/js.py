"""JavaScript of a mini-program, parsed with esprima: the facts the ``miniprogram.*`` checks
need (``wx.*`` calls with their literal arguments, string literals with the property they
are assigned to, dynamic code), not a full program model.

``app-service.js`` bundles every source file as ``define("path.js", function(...){...})``.
Each module is parsed on its own, so a module esprima cannot parse costs that module only,
and findings name the source file. A module is parsed only when a cheap text search shows
something a rule reads (``wx``, ``eval``, ``Function``, ``http://``, a key-like name or a
known secret format): the rest cannot produce a finding. Bounds: the module size, the
characters parsed per package (a time limit guards the parser), and Python's recursion
limit (deeply nested minified expressions); past them the module is searched by regular
expressions for string literals and wx.* calls only, and a diagnostic says so.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics

MAX_MODULE_SIZE = 512 * 1024
MAX_CALLS = 20_000
MAX_STRINGS = 50_000
DEFINE = re.compile(r"define\(\s*[\"']([^\"']{1,512})[\"']\s*,\s*function\s*\(")
TRIGGERS = re.compile(
    r"\bwx\b|\beval\b|\bFunction\b|https?://|ws://|secret|token|passw|api_?key|app_?key|"
    r"AKIA|AIza|sk_live|-----BEGIN",
    re.I,
)
# What the WeChat compiler puts before the first define(): its runtime and the compiled WXML
# templates. Generated code: searched for string literals, not parsed.
RUNTIME = "(generated runtime)"
WX_CALL = re.compile(r"(?<![\w$.])wx\.([A-Za-z_$][\w$]*)\s*\(")
# the url of wx.request({url: "..."}) right after the call's parenthesis (pattern fallback)
URL_ARG = re.compile(r"\s*\{\s*[\"']?url[\"']?\s*:\s*(?:\"([^\"]*)\"|'([^']*)')")
# "..." / '...' on one line; unrolled (plain run, then escapes) so Python's re stays linear
STRING_LITERAL = re.compile(
    r"\"([^\"\\\n]{4,2000}|[^\"\\\n]*(?:\\.[^\"\\\n]*)+)\"|'([^'\\\n]{4,2000}|[^'\\\n]*(?:\\.[^'\\\n]*)+)'"
)


@dataclass(slots=True)
class JsCall:
    module: str  # "pages/index/index.js" (or the file itself)
    file: str  # file in the package: "app-service.js"
    line: int  # in ``file``
    callee: str  # "wx.request", "eval", "Function", "setTimeout"
    url: str | None = None  # literal (or literal-prefix) url of wx.request/downloadFile/...
    string_arg: bool = False  # first argument is a string (eval/Function/setTimeout code)
    object_keys: dict[str, Any] = field(default_factory=dict)  # literal props of 1st arg
    parsed: bool = True  # False: found by pattern in a module the parser did not read


@dataclass(slots=True)
class JsString:
    module: str
    file: str
    line: int
    value: str
    key: str | None  # property / variable name it is assigned to, if any


@dataclass(slots=True)
class JsModule:
    name: str
    file: str
    first_line: int
    parsed: bool


@dataclass(slots=True)
class JsFacts:
    calls: list[JsCall] = field(default_factory=list)
    strings: list[JsString] = field(default_factory=list)
    modules: list[JsModule] = field(default_factory=list)
    parse_seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "modules": len(self.modules),
            "parsed": sum(1 for m in self.modules if m.parsed),
            "calls": len(self.calls),
            "strings": len(self.strings),
            "parse_seconds": round(self.parse_seconds, 3),
        }


class _OutOfTime(Exception):
    pass


def split_modules(source: str, file: str) -> list[tuple[str, int, str]]:
    """(module name, first line in file, text) for each define() in a bundled file."""
    starts = [(m.start(), m.group(1)) for m in DEFINE.finditer(source)]
    if not starts:
        return [(file, 1, source)]
    out = []
    if source[: starts[0][0]].strip():
        out.append((RUNTIME, 1, source[: starts[0][0]]))
    lines = _LineCounter(source, 1)
    for (start, name), (end, _) in itertools.pairwise([*starts, (len(source), "")]):
        out.append((name, lines.at(start), source[start:end]))
    return out


class JsAnalyzer:
    """Collects facts from many files under one budget of characters parsed (deterministic:
    the same package gives the same report on a busy machine) and a time limit that only
    guards against a parser pathology."""

    def __init__(self, diags: Diagnostics, budget_chars: int, guard_seconds: float = 5.0) -> None:
        # Imported here, not with this module: ~0.6 s that only a mini-program's JavaScript
        # needs, and before the time guard starts, which is for the parser alone.
        import esprima

        self.esprima = esprima
        self.diags = diags
        self.facts = JsFacts()
        self.chars_left = budget_chars
        self.deadline = time.perf_counter() + guard_seconds
        self._budget_reported = False

    def add_file(self, file: str, source: str) -> None:
        modules = split_modules(source, file)
        # Smallest first: when the budget runs out, it is on the few big (library) modules.
        for name, first_line, text in sorted(modules, key=lambda m: len(m[2])):
            if name == RUNTIME:
                self._fallback(JsModule(name, file, first_line, False), text, None)
                continue
            self._module(name, file, first_line, text)

    def _module(self, name: str, file: str, first_line: int, text: str) -> None:
        module = JsModule(name, file, first_line, parsed=False)
        self.facts.modules.append(module)
        if not TRIGGERS.search(text):
            return
        reason = None
        if len(text) > MAX_MODULE_SIZE:
            reason = f"{len(text)} characters, above the {MAX_MODULE_SIZE} parse limit"
        elif len(text) > self.chars_left:
            reason = "JavaScript parse budget used up"
        elif time.perf_counter() > self.deadline:
            reason = "JavaScript parse time guard reached"
        if reason is None:
            self.chars_left -= len(text)
            started = time.perf_counter()
            try:
                self._parse(module, text)
                module.parsed = True
            except _OutOfTime:
                reason = "JavaScript parse time guard reached"
            except RecursionError:
                reason = "nesting too deep for the parser"
            except self.esprima.Error as e:
                reason = f"syntax error: {e}"
            finally:
                self.facts.parse_seconds += time.perf_counter() - started
        if reason is not None:
            self._fallback(module, text, reason)

    def _fallback(self, module: JsModule, text: str, reason: str | None) -> None:
        if reason is None:
            self.facts.modules.append(module)
        elif "budget" in reason and self._budget_reported:
            pass
        else:
            self._budget_reported |= "budget" in reason
            self.diags.warning(
                "js.not_parsed",
                module.file,
                f"{module.name}: not parsed ({reason}); string literals searched by pattern only",
                f"{module.name}:未解析({reason}),仅按模式检索字符串字面量",
                module=module.name,
            )
        lines = _LineCounter(text, module.first_line)
        for m in STRING_LITERAL.finditer(text):
            if len(self.facts.strings) >= MAX_STRINGS:
                break
            value = m.group(1) if m.group(1) is not None else m.group(2)
            line = lines.at(m.start())
            self.facts.strings.append(
                JsString(module.name, module.file, line, value, _key_before(text, m.start()))
            )
        lines = _LineCounter(text, module.first_line)
        for m in WX_CALL.finditer(text):
            if len(self.facts.calls) >= MAX_CALLS:
                break
            call = JsCall(module.name, module.file, lines.at(m.start()), f"wx.{m.group(1)}")
            call.parsed = False
            url = URL_ARG.match(text, m.end())
            if url:
                call.url = url.group(1) or url.group(2)
            self.facts.calls.append(call)

    def _parse(self, module: JsModule, text: str) -> None:
        facts = self.facts
        deadline = self.deadline
        count = 0
        base = module.first_line - 1

        def visit(node: Any, meta: Any) -> None:
            nonlocal count
            count += 1
            if count & 0x3FF == 0 and time.perf_counter() > deadline:
                raise _OutOfTime
            t = node.type
            if t == "CallExpression" or t == "NewExpression":
                call = _call(node, module, base)
                if call is not None and len(facts.calls) < MAX_CALLS:
                    facts.calls.append(call)
            elif t == "Property" or t == "VariableDeclarator" or t == "AssignmentExpression":
                key, value = _assigned(node)
                if value is not None and len(facts.strings) < MAX_STRINGS:
                    facts.strings.append(
                        JsString(
                            module.name, module.file, base + value.loc.start.line, value.value, key
                        )
                    )
            elif (
                t == "Literal" and isinstance(node.value, str) and len(facts.strings) < MAX_STRINGS
            ):
                facts.strings.append(
                    JsString(module.name, module.file, base + node.loc.start.line, node.value, None)
                )

        self.esprima.parseScript(text, {"loc": True, "tolerant": True}, visit)


class _LineCounter:
    """Line numbers of increasing offsets in one pass (not a count from 0 per match)."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text, self.pos, self.line = text, 0, first_line

    def at(self, offset: int) -> int:
        if offset > self.pos:
            self.line += self.text.count("\n", self.pos, offset)
            self.pos = offset
        return self.line


def _key_before(text: str, at: int) -> str | None:
    """The name in ``name: "..."`` / ``name = "..."`` / ``"name": "..."`` before offset ``at``
    (read backwards by hand: an end-anchored regex retried every start of the window)."""
    i = at - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] not in ":=" or (text[i] == "=" and i > 0 and text[i - 1] in "=!<>"):
        return None
    i -= 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i >= 0 and text[i] in "\"'":
        i -= 1
    end = i + 1
    while i >= 0 and end - i <= 64 and (text[i].isalnum() or text[i] in "_$"):
        i -= 1
    name = text[i + 1 : end]
    return name if name and not name[0].isdigit() else None


def _name(node: Any) -> str | None:
    """'wx.request' / 'eval' / 'Function' for a callee, None for anything else."""
    if node is None:
        return None
    if node.type == "Identifier":
        return node.name
    if node.type == "MemberExpression" and node.object.type == "Identifier":
        prop = node.property
        if not node.computed and prop.type == "Identifier":
            return f"{node.object.name}.{prop.name}"
        if prop.type == "Literal" and isinstance(prop.value, str):
            return f"{node.object.name}.{prop.value}"
    return None


def _literal_prefix(node: Any) -> str | None:
    """A string literal, or the literal head of a concatenation / template literal."""
    if node is None:
        return None
    if node.type == "Literal" and isinstance(node.value, str):
        return node.value
    if node.type == "BinaryExpression" and node.operator == "+":
        return _literal_prefix(node.left)
    if node.type == "TemplateLiteral" and node.quasis:
        return node.quasis[0].value.cooked
    return None


def _call(node: Any, module: JsModule, base: int) -> JsCall | None:
    name = _name(node.callee)
    if name is None or not (
        name.startswith("wx.") or name in ("eval", "Function", "setTimeout", "setInterval")
    ):
        return None
    args = node.arguments or []
    call = JsCall(module.name, module.file, base + node.loc.start.line, name)
    if args:
        first = args[0]
        call.string_arg = _literal_prefix(first) is not None or first.type in (
            "BinaryExpression",
            "Identifier",
            "TemplateLiteral",
        )
        if name in ("setTimeout", "setInterval"):
            call.string_arg = _literal_prefix(first) is not None
        if first.type == "ObjectExpression":
            for prop in first.properties or []:
                key = _prop_key(prop)
                if key is None:
                    continue
                value = _literal_prefix(getattr(prop, "value", None))
                if value is not None:
                    call.object_keys[key] = value
                elif getattr(prop, "value", None) is not None and prop.value.type == "Literal":
                    call.object_keys[key] = prop.value.value
            call.url = (
                call.object_keys.get("url")
                if isinstance(call.object_keys.get("url"), str)
                else None
            )
    return call


def _prop_key(prop: Any) -> str | None:
    key = getattr(prop, "key", None)
    if key is None:
        return None
    if key.type == "Identifier":
        return key.name
    if key.type == "Literal" and isinstance(key.value, str):
        return key.value
    return None


def _assigned(node: Any) -> tuple[str | None, Any]:
    """(name, string literal node) for ``name: "..."``, ``var name = "..."``, ``x.name = "..."``."""
    if node.type == "Property":
        key, value = _prop_key(node), node.value
    elif node.type == "VariableDeclarator":
        key = node.id.name if node.id.type == "Identifier" else None
        value = node.init
    else:
        left = node.left
        key = (
            left.name
            if left.type == "Identifier"
            else _prop_key(type("P", (), {"key": left.property}))
            if left.type == "MemberExpression"
            else None
        )
        value = node.right
    if value is not None and value.type == "Literal" and isinstance(value.value, str):
        return key, value
    return key, None


def iter_wx_calls(facts: JsFacts, prefix: str = "wx.") -> Iterator[JsCall]:
    return (c for c in facts.calls if c.callee.startswith(prefix))
