"""Keys and credentials shipped in the app: known formats everywhere, entropy with context.

Every value is masked in messages and evidence (:func:`._patterns.mask`): the report must
let a reviewer find the key, never use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from mobsec.checks.code._flow import flow_at
from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.diagnostics import FormatError
from mobsec.facts.dataflow import Value, arg_registers, method_flow
from mobsec.facts.values import Reached, provenance, provenance_zh, texts
from mobsec.facts.values.maps import ENTRY_PARTS, VALUE_READS, reads_map
from mobsec.facts.values.path import java_method
from mobsec.ingest.dex import CodeSite, DexFile
from mobsec.ingest.dex.index import FIELD_READS, INVOKES
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._patterns import (
    DOTTED_NAME,
    KEY_NAME,
    find_secrets,
    looks_random,
    manifest_keys,
    mask,
    mask_in,
)
from ._sources import (
    MAX_TEXT_FILE,
    MAX_TEXT_FILES,
    MIN_LEN,
    TEXT_SUFFIXES,
    Hit,
    native_strings,
    referenced_string_ids,
    search_many,
    text_lines,
)

GBT = ["5.4.1 数据安全 / data security"]
MASVS = ["MASVS-STORAGE-1", "MASVS-CRYPTO-2"]
OWASP = ["M1", "M9"]
MAX_SITES_PER_STRING = 20  # places reported for one secret string (distinct methods)


@dataclass(frozen=True, slots=True)
class CodeStrings:
    """The code-referenced strings of one DEX long enough to be a secret, and the
    known-format matches among them (both code checks need them)."""

    dex: DexFile
    ids: list[int]
    texts: list[str]
    hits: list[Hit]


def _code_strings(ctx: CheckContext) -> list[CodeStrings]:
    """Per DEX, decoded and searched once per app (kept in the app's facts)."""
    return ctx.facts.memo(
        ("secrets", "code strings"), lambda: [_decode(dex) for dex in ctx.code.dexes]
    )


def _decode(dex: DexFile) -> CodeStrings:
    # A string's UTF-16 length leads its data; one byte below 0x80 *is* the length, so
    # short strings are dropped before decoding (Python's len is never above it).
    data, offsets = dex.data, dex.pools.string_ids
    size = len(data)
    ids, texts = [], []
    for i in referenced_string_ids(dex):
        off = offsets[i] if i < len(offsets) else size
        if off < size and data[off] < MIN_LEN:
            continue
        try:
            t = dex.string(i)
        except FormatError:  # a broken pool entry: the DEX reader reported it
            continue
        if len(t) >= MIN_LEN:
            ids.append(i)
            texts.append(t)
    return CodeStrings(dex, ids, texts, list(search_many(texts)))


def _sites_of(ctx: CheckContext, dex: DexFile, string_idx: int) -> list[CodeSite]:
    """The first load of the string in each method (at most MAX_SITES_PER_STRING methods)."""
    seen: set[int] = set()
    out = []
    for r in dex.string_refs(string_idx):
        if r.caller in seen:
            continue
        caller = dex.method_ref(r.caller)
        owner = ctx.code.classes.get(caller.class_desc)
        if owner is not None and owner[0] is not dex:
            continue  # the class lost to an earlier definition: dead code
        seen.add(r.caller)
        out.append(CodeSite(dex, caller, r.caller, r.offset, r.opcode))
        if len(out) >= MAX_SITES_PER_STRING:
            break
    return out


def _masked_code_finding(ctx: CheckContext, site: CodeSite, secret: str, **kw: object) -> Finding:
    f = ctx.code_finding(site, **kw)  # type: ignore[arg-type]
    return replace(f, evidence=mask_in(f.evidence, [secret]))


@check(
    "android.secrets.hardcoded-secret",
    title=("Hard-coded key or credential", "硬编码的密钥或凭证"),
    description=(
        "A value in a known key or credential format (cloud access keys, API keys, private "
        "keys, tokens, credentials in URLs...) is shipped inside the app, where anyone who "
        "downloads the package can extract it.",
        "应用中包含已知格式的密钥或凭证(云访问密钥、API Key、私钥、令牌、URL 中的凭证等),任何下载"
        "安装包的人都可以提取。",
    ),
    remediation=(
        "Remove the secret from the app and revoke it. Keep secrets on a server; give the "
        "app short-lived, scoped tokens; restrict client keys that must ship (Google/map "
        "keys) to the app's package and signing certificate.",
        "从应用中删除该密钥并吊销。机密应保存在服务端,客户端使用短期、最小权限的令牌;必须随应用发布的"
        "客户端 Key(Google/地图 Key)应限定到应用包名和签名证书。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.HIGH,
    cwe=[798, 321],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def hardcoded_secret(ctx: CheckContext) -> Iterator[Finding]:
    yield from _in_code(ctx)
    yield from _in_manifest(ctx)
    yield from _in_resources(ctx)
    yield from _in_text_files(ctx)
    yield from _in_native(ctx)


def _message(name: Text, value: str, where: str = "") -> Text:
    return Text(f"{name.en}: {mask(value)}{where}", f"{name.zh}:{mask(value)}{where}")


def _in_code(ctx: CheckContext) -> Iterator[Finding]:
    for strings in _code_strings(ctx):
        for hit in strings.hits:
            p, value = hit.match.pattern, hit.match.value
            for site in _sites_of(ctx, strings.dex, strings.ids[hit.text_index]):
                yield _masked_code_finding(
                    ctx,
                    site,
                    value,
                    key=f"{p.id}:{mask(value)}",
                    severity=p.severity,
                    confidence=p.confidence,
                    message=_message(p.name, value),
                )


def _in_manifest(ctx: CheckContext) -> Iterator[Finding]:
    root = ctx.facts.pkg.manifest_xml
    if root is None:
        return
    res = ctx.facts.pkg.resources
    by_name = {k.meta_data: k for k in manifest_keys()}
    for el in root.iter():
        if el.tag != "meta-data":
            continue
        name_attr, value_attr = el.attr("name"), el.attr("value")
        name = name_attr.value(res) if name_attr is not None else None
        value = value_attr.value(res) if value_attr is not None else None
        if not isinstance(name, str) or not isinstance(value, str) or len(value) < MIN_LEN:
            continue
        key = by_name.get(name)
        found = find_secrets(value)
        if key is None and not found:
            continue
        label = key.name if key else found[0].pattern.name
        shown = key.id if key else found[0].pattern.id
        f = ctx.manifest_finding(
            line=el.line,
            subject=f"meta-data:{name}",
            key=shown,
            # Map keys are meant to ship: bound to the package and certificate by the vendor.
            severity=Severity.LOW if key else found[0].pattern.severity,
            confidence=Confidence.HIGH if key else found[0].pattern.confidence,
            message=_message(label, value, f" (meta-data {name})"),
        )
        yield replace(f, evidence=mask_in(f.evidence, [value]))


def _resource_strings(ctx: CheckContext) -> Iterator[tuple[str, str]]:
    """(resource name, string value) of the default configuration."""
    table = ctx.facts.pkg.resources
    if table is None:
        return
    for res_id in table.resource_ids():
        name = (table.name_of(res_id) or f"0x{res_id:08x}").lstrip("@")
        if not name.startswith("string/"):
            continue
        for _config, value in table.values(res_id)[:1]:
            v = value.value() if callable(getattr(value, "value", None)) else None
            if isinstance(v, str) and len(v) >= MIN_LEN:
                yield name, v


# Resources the google-services Gradle plugin writes from google-services.json: the Firebase
# client's API key is meant to ship in the app (it identifies the project; abuse is limited
# by the key's restrictions in the Cloud console), so it is a note, not a leaked secret.
GOOGLE_SERVICES_KEYS = frozenset({"string/google_api_key", "string/google_crash_reporting_api_key"})


def _in_resources(ctx: CheckContext) -> Iterator[Finding]:
    items = list(_resource_strings(ctx))
    for hit in search_many([v for _, v in items]):
        name, _ = items[hit.text_index]
        p, value = hit.match.pattern, hit.match.value
        severity, note = p.severity, ("", "")
        if p.id == "google-api-key" and name in GOOGLE_SERVICES_KEYS:
            severity = Severity.INFO
            note = (
                "; written by the google-services plugin: the Firebase client's key, "
                "restrict it in the Cloud console",
                ";由 google-services 插件生成:Firebase 客户端密钥,应在 Cloud 控制台中限制其用途",
            )
        message = _message(p.name, value, f" (@{name})")
        yield ctx.file_finding(
            "resources.arsc",
            evidence=f"@{name} = {mask_in(items[hit.text_index][1][:200], [value])}",
            key=f"{name}:{p.id}",
            severity=severity,
            confidence=p.confidence,
            message=Text(message.en + note[0], message.zh + note[1]),
        )


def _in_text_files(ctx: CheckContext) -> Iterator[Finding]:
    archive = ctx.facts.pkg.archive
    n = 0
    for entry in archive.entries:
        name = entry.name
        if not name.startswith(("assets/", "res/raw/")) or archive.get(name) is not entry:
            continue
        base = name.rsplit("/", 1)[-1]
        suffix = "." + base.rsplit(".", 1)[-1].lower() if "." in base else ""
        if suffix not in TEXT_SUFFIXES or entry.uncompressed_size > MAX_TEXT_FILE:
            continue
        n += 1
        if n > MAX_TEXT_FILES:
            return
        data = archive.read(entry, MAX_TEXT_FILE)
        if data is None:
            continue
        text = text_lines(data)
        if text is None:
            continue
        lines = text.splitlines()
        for hit in search_many(lines):
            p, value = hit.match.pattern, hit.match.value
            line_text = lines[hit.text_index].strip()[:200]
            yield ctx.file_finding(
                name,
                evidence=mask_in(line_text, [value]),
                line=hit.text_index + 1,
                key=f"{p.id}:{mask(value)}",
                severity=p.severity,
                confidence=p.confidence,
                message=_message(p.name, value),
            )


def _in_native(ctx: CheckContext) -> Iterator[Finding]:
    pkg = ctx.facts.pkg
    done: set[str] = set()
    for lib in pkg.native_libraries:
        base = lib.path.rsplit("/", 1)[-1]
        data = pkg.archive.read(lib.path)
        if not data:
            continue
        strings = native_strings(data)
        for hit in search_many(strings):
            p, value = hit.match.pattern, hit.match.value
            key = f"{base}:{p.id}:{mask(value)}"
            if key in done:  # the same library for another ABI
                continue
            done.add(key)
            yield ctx.file_finding(
                lib.path,
                evidence=mask_in(strings[hit.text_index][:200], [value]),
                key=key,
                severity=p.severity,
                confidence=p.confidence,
                message=_message(p.name, value, f" ({base})"),
            )


# ---------------------------------------------------------------------------------------


@check(
    "android.secrets.high-entropy-key",
    title=("Possible hard-coded secret (random-looking key)", "疑似硬编码机密(随机形式的密钥)"),
    description=(
        "A random-looking constant (16+ characters, high Shannon entropy) is used where "
        "names say key, secret, token or password: the field it is stored in, the method "
        "it is passed to, a key name next to it, or the method that loads it. Low "
        "confidence: it may be a public identifier.",
        "一个随机形式的常量(16 个以上字符、香农熵高)被用在名称表明是密钥、机密、令牌或密码的位置:"
        "保存它的字段、接收它的方法、与之相邻的键名或加载它的方法。置信度低:也可能是公开标识符。",
    ),
    remediation=(
        "If this is a secret, remove it from the app, revoke it, and fetch short-lived "
        "credentials from your server at run time.",
        "如果这是机密,请从应用中删除并吊销,运行时从服务端获取短期凭证。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.LOW,
    cwe=[798],
    masvs=MASVS,
    owasp=OWASP,
    gbt_34975=GBT,
)
def high_entropy_key(ctx: CheckContext) -> Iterator[Finding]:
    for strings in _code_strings(ctx):
        known = {h.text_index for h in strings.hits}
        for i, text in enumerate(strings.texts):
            if i in known or not looks_random(text):
                continue
            for site in _sites_of(ctx, strings.dex, strings.ids[i]):
                why = _key_context(site, text)
                if why is None:
                    continue
                yield _masked_code_finding(
                    ctx,
                    site,
                    text,
                    key=mask(text),
                    message=Text(
                        f"random-looking constant {mask(text)} used as {why.en}",
                        f"随机形式的常量 {mask(text)} 用作 {why.zh}",
                    ),
                )
    yield from _entropy_resources(ctx)


def _entropy_resources(ctx: CheckContext) -> Iterator[Finding]:
    items = list(_resource_strings(ctx))
    known = {h.text_index for h in search_many([v for _, v in items])}
    for i, (name, value) in enumerate(items):
        if i in known or not KEY_NAME.search(name.split("/", 1)[-1]) or not looks_random(value):
            continue
        yield ctx.file_finding(
            "resources.arsc",
            evidence=f"@{name} = {mask(value)}",
            key=name,
            message=Text(
                f"random-looking value {mask(value)} in resource @{name}",
                f"资源 @{name} 中的随机形式值 {mask(value)}",
            ),
        )


SPUT_IPUT = frozenset(range(0x59, 0x60)) | frozenset(range(0x67, 0x6E))


def _holds(values: frozenset[Value], text: str) -> bool:
    return any(v.kind == "string" and v.data == text for v in values)


INVOKE_OPS = frozenset((0x6E, 0x6F, 0x70, 0x71, 0x72, 0x74, 0x75, 0x76, 0x77, 0x78))
STATIC_INVOKE_OPS = frozenset((0x71, 0x77))
# Names that contain "token"/"key" but carry no secret (Binder interface descriptors...).
MAX_CONTEXT_INSNS = 400
NOT_KEY_SINKS = frozenset(("writeInterfaceToken", "enforceInterface", "getKey", "containsKey"))


def _key_context(site: CodeSite, text: str) -> Text | None:
    """Why the constant at ``site`` looks like a key: where data flow says it goes.

    One pass over the method's states (not one query per call: that replays blocks
    again and again in large initialisers).
    """
    ref = site.caller
    if KEY_NAME.search(ref.name):
        return Text(f"value in method {ref.name}()", f"方法 {ref.name}() 中的值")
    method = site.dex.method_by_idx(site.caller_idx)
    if method is None or site.dex.instruction_count(method) > MAX_CONTEXT_INSNS:
        return None  # generated tables and huge initialisers: no key-name context to find
    if not _may_name_a_key(site.dex, site.caller_idx):
        return None  # nothing in the method can supply a key name: skip the data flow
    flow = flow_at(site)
    if flow is None:
        return None
    dex = site.dex
    for insn, st in flow.iter_states():
        op = insn.op
        if op in INVOKE_OPS and insn.idx is not None:
            callee = dex.method_ref(insn.idx)
            regs = arg_registers(callee.proto, insn.regs, op in STATIC_INVOKE_OPS)
            args = [st[r] if r < len(st) - 1 else frozenset() for r in regs]
            hold = [k for k, a in enumerate(args) if _holds(a, text)]
            if not hold or callee.name in NOT_KEY_SINKS:
                continue
            if KEY_NAME.search(callee.name):
                return Text(f"argument of {callee.name}()", f"{callee.name}() 的参数")
            for k, a in enumerate(args):
                if k in hold:
                    continue
                for v in a:
                    if (
                        v.kind == "string"
                        and isinstance(v.data, str)
                        and len(v.data) <= 64
                        and KEY_NAME.search(v.data)
                    ):
                        return Text(f'value of "{v.data}"', f'"{v.data}" 的值')
        elif (
            op in SPUT_IPUT
            and insn.idx is not None
            and insn.regs
            and insn.regs[0] < len(st) - 1
            and _holds(st[insn.regs[0]], text)
        ):
            field = dex.pools.field_ref(insn.idx)
            if KEY_NAME.search(field.name):
                return Text(f"field {field.name}", f"字段 {field.name}")
    return None


STRING = "Ljava/lang/String;"
STRING_BUILDERS = frozenset(("<init>", "valueOf"))  # new String(bytes/chars), valueOf(char[])


def _may_name_a_key(dex: DexFile, method_idx: int) -> bool:
    """Whether the method holds anything :func:`_key_context` could name: a key-named
    callee or written field, or a key-named string. Strings in the intra-procedural flow
    come from const-string loads, or from bytes/chars turned into a String, so the code
    index answers this without running the data flow.
    """
    for r in dex.invokes_in(method_idx):
        ref = dex.method_ref(r.target)
        if KEY_NAME.search(ref.name) or (ref.class_desc == STRING and ref.name in STRING_BUILDERS):
            return True
    if any(
        KEY_NAME.search(dex.pools.field_ref(r.target).name) for r in dex.field_writes_in(method_idx)
    ):
        return True
    return any(KEY_NAME.search(dex.string(r.target)) for r in dex.strings_in(method_idx))


# ---------------------------------------------------------------------------------------

USER_INPUT = {"getText"}
NAMED_INPUT = {"getStringExtra", "getQueryParameter", "getString"}  # name must say credential
MIN_CREDENTIAL_LEN = 4
INPUT_CALLS = (
    ("Landroid/widget/EditText;", "getText"),
    ("Landroid/widget/TextView;", "getText"),
    ("Landroid/content/Intent;", "getStringExtra"),
    ("Landroid/net/Uri;", "getQueryParameter"),
    ("Landroid/os/Bundle;", "getString"),
)
# Calls whose result is their receiver's (or a static's first argument's) text.
PASS_THROUGH = frozenset(("toString", "trim", "toLowerCase", "toUpperCase", "valueOf"))
CREDENTIAL_NAME = re.compile(r"(?i)(user|login|passw|pwd|pin|secret|token|key|code|auth)")
# A field holding what the user typed at login (InsecureBankv2's DoLogin.username): comparing
# it with a constant is the same backdoor as comparing getText() with one.
CREDENTIAL_FIELD = re.compile(
    r"(?i)^(m_?)?(user_?name|user|login|password|passwd|pwd|pin|passcode)$"
)


@check(
    "android.secrets.hardcoded-credential-check",
    title=("User input compared with a hard-coded credential", "用户输入与硬编码凭证比较"),
    description=(
        "Text the user typed (or an Intent extra) is compared with a constant string: the "
        "password, PIN or key is in the app for anyone to read, and it cannot be changed "
        "without an update (a typical developer backdoor).",
        "用户输入的文本(或 Intent 附加数据)与常量字符串比较:密码、PIN 或密钥就在应用中,任何人都能"
        "读出,且不更新应用就无法更改(典型的开发者后门)。",
    ),
    remediation=(
        "Verify credentials on the server, or against a salted slow hash (PBKDF2/scrypt/"
        "Argon2) of a per-user secret; never ship the credential itself.",
        "在服务端校验凭证,或与每用户机密的加盐慢哈希(PBKDF2/scrypt/Argon2)比较;不要在应用中包含凭证本身。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[798, 259],
    masvs=["MASVS-AUTH-1", "MASVS-STORAGE-1"],
    owasp=["M1", "M3"],
    gbt_34975=GBT,
)
def hardcoded_credential_check(ctx: CheckContext) -> Iterator[Finding]:
    # Only methods that read input at all are analysed (data flow is not free), and methods
    # that look a value up in a map (a login table filled elsewhere, compared with what a
    # caller passes in).
    readers = {
        (s.dex.name, s.caller_idx)
        for cls, name in INPUT_CALLS
        for s in ctx.code.call_sites(cls, name)
    }
    wanted: dict[tuple[str, int], bool] = {}
    callees = _Callees()
    for cls, name in COMPARES:
        for site in ctx.code.call_sites(cls, name):
            method = (site.dex.name, site.caller_idx)
            if method not in wanted:
                wanted[method] = (
                    method in readers
                    or callees.reads_credential_field(site)
                    or callees.reads_map(site)
                ) and callees.may_hold_input(site)
            if not wanted[method]:
                continue
            flow = flow_at(site)
            if flow is None:
                continue
            args = flow.args_at(site.offset)[:2]
            if len(args) != 2:
                continue
            for const_side, other in ((args[0], args[1]), (args[1], args[0])):
                if not _may_be_input(flow, other):
                    continue  # most compares: skip resolving the constant side across methods
                secrets = _compared_constants(ctx, site, const_side)
                if not secrets:
                    continue
                source = _input_of(ctx, site, flow, other)
                if source is None:
                    continue
                yield _credential_finding(ctx, site, source, secrets)
                break


# Calls that compare two strings: Java's, and what Kotlin compiles ``==`` / ``equals`` to.
COMPARES = (
    ("Ljava/lang/String;", "equals"),
    ("Ljava/lang/String;", "equalsIgnoreCase"),
    ("Ljava/lang/String;", "contentEquals"),
    ("Lkotlin/text/StringsKt;", "equals"),
    ("Lkotlin/text/StringsKt;", "equals$default"),
    ("Lkotlin/jvm/internal/Intrinsics;", "areEqual"),
    ("Landroid/text/TextUtils;", "equals"),
    ("Ljava/util/Objects;", "equals"),
)


# The callee names _user_input takes as input (of any class).
_INPUT_NAMES = USER_INPUT | NAMED_INPUT

# The names reads_map accepts: a callee with another name is decided without decoding its
# class and proto.
_MAP_READ_NAMES = frozenset(name for _cls, name in (*VALUE_READS, *ENTRY_PARTS))


class _Callees:
    """What the methods comparing strings call and read, decided once per callee or field
    for one run of the check (thousands of such methods share a few hundred of them).

    The callees and fields of a method are read from the code index as bare indexes (no
    Ref per row); the decisions are kept per DEX, by index.
    """

    def __init__(self) -> None:
        self._map_reads: dict[str, dict[int, bool]] = {}
        self._input_calls: dict[str, dict[int, bool]] = {}
        self._credential_fields: dict[str, dict[int, bool]] = {}

    def reads_map(self, site: CodeSite) -> bool:
        dex = site.dex
        return _any_target(
            self._map_reads,
            site,
            INVOKES,
            lambda t: dex.pools.method_name(t) in _MAP_READ_NAMES and reads_map(dex.method_ref(t)),
        )

    def reads_credential_field(self, site: CodeSite) -> bool:
        dex = site.dex
        return _any_target(
            self._credential_fields,
            site,
            FIELD_READS,
            lambda t: bool(CREDENTIAL_FIELD.match(dex.pools.field_ref(t).name)),
        )

    def may_hold_input(self, site: CodeSite) -> bool:
        """Whether a value in this method can pass :func:`_may_be_input`, decided from the
        code index instead of the data flow: the flow makes ``param`` values only from the
        method's parameters, and the ``result``/``field`` values _user_input accepts only
        from calls named like an input read and credential field reads in the method."""
        dex = site.dex
        if not dex.pools.method_proto(site.caller_idx).startswith("()"):
            return True
        if self.reads_credential_field(site):
            return True
        return _any_target(
            self._input_calls,
            site,
            INVOKES,
            lambda t: dex.pools.method_name(t) in _INPUT_NAMES,
        )


def _any_target(
    decided: dict[str, dict[int, bool]],
    site: CodeSite,
    kind: str,
    decide: Callable[[int], bool],
) -> bool:
    """Whether ``decide`` holds for a ``kind`` target of the site's method; each target is
    decided once per DEX (``decided`` keeps the answers by DEX name and index)."""
    known = decided.setdefault(site.dex.name, {})
    for target in _targets(site.dex, kind, site.caller_idx):
        got = known.get(target)
        if got is None:
            got = known[target] = decide(target)
        if got:
            return True
    return False


def _targets(dex: DexFile, kind: str, method_idx: int) -> Iterable[int]:
    """The callee (or field) indexes of the ``kind`` rows inside a method, in code order."""
    return dex.refs.targets_from(kind, method_idx, dex.pools.n_methods)[0]


def _credential_like(text: str) -> bool:
    # An action/operation name ("com.x.SIGN_IN") is an identifier, not a secret.
    return len(text) >= MIN_CREDENTIAL_LEN and not DOTTED_NAME.match(text)


def _compared_constants(
    ctx: CheckContext, site: CodeSite, values: frozenset[Value]
) -> list[tuple[str, Reached | None]]:
    """The constant(s) one side of the compare holds: a string loaded here, or one that
    reaches it from a getter, a field or a map filled with constants (see facts.values)."""
    if len(values) != 1:
        return []
    v = next(iter(values))
    if v.kind == "string":
        return [(v.data, None)] if isinstance(v.data, str) and _credential_like(v.data) else []
    if v.kind not in ("result", "field"):
        return []
    reached = ctx.facts.values.resolve(site.dex, site.caller_idx, values, follow_parameters=False)
    found = texts(reached)
    if not found or len(found) != len(reached) or not all(_credential_like(t) for t, _ in found):
        return []
    distinct = {t for t, _ in found}
    # Several candidates only from a map lookup: the password of whichever user is typed.
    if len(distinct) > 1 and not all(any(s.kind == "map" for s in r.steps) for _, r in found):
        return []
    return [(t, r) for t, r in found]


def _input_of(
    ctx: CheckContext, site: CodeSite, flow, values: frozenset[Value]
) -> tuple[str, Reached | None] | None:
    """Where the other side comes from: user input read in this method, or passed to it as
    an argument by a caller that read it (a login helper called by the login screen)."""
    here = _user_input(flow, values)
    if here is not None:
        return here, None
    params = frozenset(v for v in values if v.kind == "param")
    if not params:
        return None
    for r in ctx.facts.values.resolve(site.dex, site.caller_idx, params):
        if r.via is None or r.made_in is None:
            continue
        caller = r.made_in[0].method_by_idx(r.made_in[1])
        caller_flow = method_flow(r.made_in[0], caller) if caller is not None else None
        source = _user_input(caller_flow, frozenset((r.value,))) if caller_flow else None
        if source is not None:
            return source, r
    return None


def _may_be_input(flow, values: frozenset[Value]) -> bool:
    """What :func:`_input_of` needs, without looking across methods: user input read here,
    or a parameter (which a caller may fill with it)."""
    return _user_input(flow, values) is not None or any(v.kind == "param" for v in values)


def _credential_finding(
    ctx: CheckContext,
    site: CodeSite,
    source: tuple[str, Reached | None],
    secrets: list[tuple[str, Reached | None]],
) -> Finding:
    what, passed = source
    shown: list[str] = []
    for t, _r in secrets:
        if t not in shown:
            shown.append(t)
    # The map keys (user names) the path names are credentials too: masked like the rest
    # (quoted, so a key that is also part of a method name leaves the name readable).
    keys = {s.what for _t, r in secrets if r is not None for s in r.steps if s.kind == "map"}
    hidden = shown + [f'"{k}"' for k in keys]
    masked = ", ".join(mask(t) for t in shown)
    via_en = via_zh = ""
    if passed is not None and passed.via is not None:
        via_en = f" (passed by {java_method(passed.via)})"
        via_zh = f"(由 {java_method(passed.via)} 传入)"
    first = secrets[0][1]
    path_en = _mask_keys(provenance(first), keys) if first is not None else ""
    path_zh = _mask_keys(provenance_zh(first), keys) if first is not None else ""
    f = ctx.code_finding(
        site,
        key=mask(shown[0]),
        message=Text(
            f"{what}{via_en} compared with constant {masked}{path_en}",
            f"{_zh_source(what)}{via_zh} 与常量 {masked} 比较{path_zh}",
        ),
    )
    return replace(f, evidence=mask_in(f.evidence, hidden))


def _mask_keys(path: str, keys: set[str]) -> str:
    for k in sorted(keys, key=len, reverse=True):
        path = path.replace(f'"{k}"', f'"{mask(k)}"')
    return path


def _zh_source(source: str) -> str:
    """The zh-CN wording of a _user_input source (call names stay as they are)."""
    return "字段 " + source[len("field ") :] if source.startswith("field ") else source


def _user_input(flow, values: frozenset[Value], depth: int = 0) -> str | None:
    """The user-input call a value comes from (through toString/trim/...), if any."""
    for v in values:
        if v.kind == "field" and CREDENTIAL_FIELD.match(v.data.name):
            return f"field {v.data.name}"
        if v.kind != "result" or v.offset is None:
            continue
        callee = v.data
        if callee.name in USER_INPUT:
            return f"{callee.name}()"
        if callee.name in NAMED_INPUT:
            args = flow.args_at(v.offset)
            names = [x.data for x in (args[1] if len(args) > 1 else ()) if x.kind == "string"]
            if any(isinstance(n, str) and CREDENTIAL_NAME.search(n) for n in names):
                return f'{callee.name}("{names[0]}")'
        if depth < 4 and callee.name in PASS_THROUGH:
            args = flow.args_at(v.offset)
            if args:
                found = _user_input(flow, args[0], depth + 1)
                if found:
                    return found
    return None
