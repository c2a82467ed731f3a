"""A rule on one app's facts: its condition decides, its leaves say where (the findings).

Each leaf returns the places it matched (a call site, a manifest element, a file); a
combination matches by its children (``all``: each, ``any``: one, ``not``: none) and keeps
the places of its matched children. A rule that matches yields one finding per place, built
by the same :class:`~mobsec.checks.context.CheckContext` builders as a built-in check (same
evidence, owner and fingerprint); a rule that matches with no place (only ``not``) yields
one finding about the package as a whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import re2

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import Check
from mobsec.facts.app import AppFacts
from mobsec.report.model import Finding, Owner, Text

from .schema import Cond, Range, Rule, version_key

MAX_PLACES = 50  # findings of one leaf: an emergency rule needs evidence, not every string
MAX_NATIVE_STRINGS = 50_000
_URL = re2.compile(r"(?i)\b(?:https?|wss?|ftp)://[^\s\"'<>]+")


@dataclass(frozen=True, slots=True)
class Place:
    """How to build the finding: ``kind`` "code" (site), "manifest" (line, subject),
    "file" (path, evidence) or "package"; ``message`` says what matched."""

    kind: str
    message: Text
    key: str
    site: object = None
    line: int | None = None
    path: str = ""
    evidence: str = ""
    owner_class: str | None = None
    owner: Owner | None = None  # file places: who the file belongs to (default the app)


def rule_check(rule: Rule) -> Check:
    """The rule as a check the runner can run next to the built-in ones."""
    return Check(rule.meta, lambda ctx: run_rule(rule, ctx))


def run_rule(rule: Rule, ctx: CheckContext) -> Iterator[Finding]:
    matched, places = evaluate(rule.match, ctx)
    if not matched:
        return
    if not places:
        places = [Place("package", Text("The app matches the rule", "应用符合该规则的条件"), "")]
    seen = set()
    for p in places:
        ident = (
            p.kind,
            p.key,
            p.line,
            p.path,
            getattr(p.site, "offset", None),
            getattr(p.site, "caller_idx", None),
        )
        if ident in seen:
            continue
        seen.add(ident)
        yield _finding(ctx, p)


def _finding(ctx: CheckContext, p: Place) -> Finding:
    if p.kind == "code":
        return ctx.code_finding(p.site, message=p.message, key=p.key)  # type: ignore[arg-type]
    if p.kind == "manifest":
        return ctx.manifest_finding(
            line=p.line, subject=p.key, message=p.message, owner_class=p.owner_class
        )
    return ctx.file_finding(
        p.path, evidence=p.evidence, message=p.message, key=p.key, owner=p.owner or Owner("app")
    )


def evaluate(cond: Cond, ctx: CheckContext) -> tuple[bool, list[Place]]:
    if cond.kind in ("all", "any"):
        results = [evaluate(c, ctx) for c in cond.arg]
        hits = [r for r in results if r[0]]
        ok = len(hits) == len(results) if cond.kind == "all" else bool(hits)
        return ok, [p for _, places in hits for p in places] if ok else []
    if cond.kind == "not":
        return not evaluate(cond.arg, ctx)[0], []
    places = list(_LEAF[cond.kind](cond.arg, ctx.facts))[:MAX_PLACES]
    return bool(places), places


# ----------------------------------------------------------------------------------- leaves


def _permission(pattern, facts: AppFacts) -> Iterator[Place]:
    root = facts.pkg.manifest_xml
    for el in root.iter() if root is not None else []:
        if el.tag not in ("uses-permission", "uses-permission-sdk-23"):
            continue
        attr = el.attr("name")
        name = attr.value() if attr is not None else None
        if isinstance(name, str) and pattern.search(name):
            yield Place("manifest", Text(f"Requests {name}", f"申请了 {name}"), name, line=el.line)


def _sdk_level(spec: dict[str, Range], facts: AppFacts) -> Iterator[Place]:
    m = facts.manifest
    if m is None:
        return
    values = {"min_sdk": m.min_sdk, "target_sdk": m.target_sdk, "compile_sdk": m.compile_sdk}
    for k, rng in spec.items():
        if values[k] is None or not rng.holds(values[k]):
            return
    said = ", ".join(f"{k}={values[k]}" for k in spec)
    yield Place(
        "manifest",
        Text(f"SDK levels: {said}", f"SDK 级别:{said}"),
        "sdk-level",
        line=_uses_sdk_line(facts) or m.application.line or None,
    )


def _uses_sdk_line(facts: AppFacts) -> int | None:
    root = facts.pkg.manifest_xml
    for el in root.iter() if root is not None else []:
        if el.tag == "uses-sdk":
            return el.line
    return None


def _application(spec: dict[str, bool], facts: AppFacts) -> Iterator[Place]:
    m = facts.manifest
    if m is None:
        return
    a = m.application
    values = {
        "debuggable": a.debuggable,
        "allow_backup": a.allow_backup,
        "uses_cleartext_traffic": a.uses_cleartext_traffic,
        "test_only": a.test_only,
        "request_legacy_external_storage": a.request_legacy_external_storage,
        "has_network_security_config": a.network_security_config is not None,
    }
    if all(values[k] == v for k, v in spec.items()):
        said = ", ".join(f"{k}={str(v).lower()}" for k, v in spec.items())
        yield Place(
            "manifest",
            Text(f"application: {said}", f"application:{said}"),
            "application",
            line=a.line or None,
        )


def _component(spec: dict, facts: AppFacts) -> Iterator[Place]:
    m = facts.manifest
    for c in m.components if m else []:
        if "kind" in spec and c.kind not in spec["kind"]:
            continue
        if "name" in spec and not spec["name"].search(c.name):
            continue
        if "exported" in spec and c.exported != spec["exported"]:
            continue
        if (
            "grant_uri_permissions" in spec
            and c.grant_uri_permissions != spec["grant_uri_permissions"]
        ):
            continue
        if "permission" in spec:
            want = spec["permission"]
            if want is None and c.permission is not None:
                continue
            if want is not None and not (c.permission and want.search(c.permission)):
                continue
        if "authority" in spec and not any(spec["authority"].search(a) for a in c.authorities):
            continue
        filters = c.intent_filters
        if "intent_action" in spec:
            filters = [
                f for f in filters if any(spec["intent_action"].search(a) for a in f.actions)
            ]
        if "intent_category" in spec:
            filters = [
                f for f in filters if any(spec["intent_category"].search(x) for x in f.categories)
            ]
        for key, attr in (("intent_scheme", "scheme"), ("intent_host", "host")):
            if key in spec:
                filters = [
                    f
                    for f in filters
                    if any(getattr(d, attr) and spec[key].search(getattr(d, attr)) for d in f.data)
                ]
        uses_filters = any(k.startswith("intent_") for k in spec)
        if uses_filters and not filters:
            continue
        line = filters[0].line if uses_filters and filters[0].line else c.line
        yield Place(
            "manifest",
            Text(f"{c.kind} {c.name}", f"{c.kind} {c.name}"),
            c.name,
            line=line or None,
            owner_class=c.name,
        )


def _sdk(spec: dict, facts: AppFacts) -> Iterator[Place]:
    found = next((f for f in facts.sdks if f.sdk.id == spec["id"]), None)
    version = facts.sdk_versions.get(spec["id"])
    if found is None and version is None:
        return
    rng: Range | None = spec["version"]
    name = found.sdk.name.get("en") if found else spec["id"]
    if rng is not None:
        if version is None:
            if not spec["version_unknown"]:
                return
        elif not rng.holds(version_key(version.version)):
            return
    if version is not None:
        en = f"{name} {version.version} (version read from {version.source})"
        zh = f"{name} {version.version}(版本号来自 {version.source})"
        evidence = f"{version.source}: {version.version}"
        path = version.source
    else:
        classes = ", ".join(found.sample_classes[:3]) if found else ""
        en, zh = f"{name} is in the app (version unknown)", f"应用包含 {name}(版本未知)"
        evidence, path = classes, ""
    owner = Owner("sdk", spec["id"], name)
    yield Place("file", Text(en, zh), spec["id"], path=path, evidence=evidence, owner=owner)


def code_strings(facts: AppFacts) -> list[tuple[str, Any, int]]:
    """(text, dex, string id) of every string a const-string loads, once per app. Where it
    is loaded is looked up only for the strings a rule matches (:func:`_first_site`)."""
    from mobsec.facts.code_strings import referenced_string_ids

    def build() -> list[tuple[str, Any, int]]:
        return [
            (dex.string(idx), dex, idx)
            for dex in facts.code.dexes
            for idx in referenced_string_ids(dex)
        ]

    return facts.memo(("rules", "code strings"), build)


def _first_site(facts: AppFacts, dex: Any, idx: int) -> Any:
    """The first live instruction loading the string (None: only dead code loads it)."""
    return next(iter(facts.code.sites_of(dex, dex.string_refs(idx))), None)


def _string(pattern, facts: AppFacts) -> Iterator[Place]:
    for text, dex, idx in code_strings(facts):
        if pattern.search(text) and (site := _first_site(facts, dex, idx)) is not None:
            shown = text[:120]
            yield Place("code", Text(f"String {shown!r}", f"字符串 {shown!r}"), text, site=site)


def _urls(facts: AppFacts) -> list[tuple[str, str, Any, int]]:
    def build() -> list[tuple[str, str, Any, int]]:
        out = []
        for text, dex, idx in code_strings(facts):
            if "://" not in text:
                continue
            for url in _URL.findall(text[:4096]):
                try:
                    host = urlsplit(url).hostname or ""
                except ValueError:
                    host = ""
                out.append((url, host, dex, idx))
        return out

    return facts.memo(("rules", "urls"), build)


def _url(pattern, facts: AppFacts) -> Iterator[Place]:
    for url, _, dex, idx in _urls(facts):
        if pattern.search(url) and (site := _first_site(facts, dex, idx)) is not None:
            yield Place("code", Text(f"URL {url[:200]}", f"URL {url[:200]}"), url, site=site)


def _host(pattern, facts: AppFacts) -> Iterator[Place]:
    for url, host, dex, idx in _urls(facts):
        if host and pattern.search(host) and (site := _first_site(facts, dex, idx)) is not None:
            yield Place(
                "code",
                Text(f"Host {host} ({url[:160]})", f"主机 {host}({url[:160]})"),
                url,
                site=site,
            )


def _native_library(pattern, facts: AppFacts) -> Iterator[Place]:
    for lib in facts.pkg.native_libraries:
        name = lib.path.rsplit("/", 1)[-1]
        if pattern.search(name):
            yield Place(
                "file",
                Text(f"Native library {name}", f"原生库 {name}"),
                name,
                path=lib.path,
                evidence=f"{lib.path} sha256={lib.sha256}",
            )


def _native_symbol(pattern, facts: AppFacts) -> Iterator[Place]:
    for lib in facts.pkg.native_libraries:
        for kind, symbols in (("exports", lib.exported_symbols), ("imports", lib.imported_symbols)):
            for s in symbols:
                if pattern.search(s):
                    zh = "导出" if kind == "exports" else "导入"
                    yield Place(
                        "file",
                        Text(f"{lib.path} {kind} {s}", f"{lib.path} {zh}符号 {s}"),
                        s,
                        path=lib.path,
                        evidence=f"{kind}: {s}",
                    )
                    break


def _native_string(pattern, facts: AppFacts) -> Iterator[Place]:
    from mobsec.facts.code_strings import native_strings

    for lib in facts.pkg.native_libraries:
        data = facts.pkg.archive.read(lib.path) if facts.pkg.archive.get(lib.path) else b""
        for s in native_strings(data)[:MAX_NATIVE_STRINGS]:
            if pattern.search(s):
                yield Place(
                    "file",
                    Text(f"{lib.path} contains {s[:120]!r}", f"{lib.path} 包含字符串 {s[:120]!r}"),
                    s,
                    path=lib.path,
                    evidence=s[:200],
                )
                break


def _certificate(spec: dict, facts: AppFacts) -> Iterator[Place]:
    signing = facts.pkg.signing
    for cert in signing.signers if signing else []:
        values = {
            "subject": cert.subject,
            "issuer": cert.issuer,
            "key_algorithm": cert.key_algorithm,
            "signature_algorithm": cert.signature_algorithm,
        }
        ok = True
        for k, want in spec.items():
            if k in values:
                ok = want.search(values[k])
            elif k == "debug":
                ok = cert.is_debug == want
            elif k == "self_signed":
                ok = cert.self_signed == want
            elif k == "key_bits":
                ok = want.holds(cert.key_bits)
            if not ok:
                break
        if ok:
            evidence = (
                f"subject: {cert.subject}\nissuer: {cert.issuer}\n"
                f"key: {cert.key_algorithm} {cert.key_bits}\n"
                f"signature: {cert.signature_algorithm}"
            )
            yield Place(
                "file",
                Text(f"Signing certificate {cert.subject}", f"签名证书 {cert.subject}"),
                cert.subject,
                path="",
                evidence=evidence,
            )


def _call(spec: dict, facts: AppFacts) -> Iterator[Place]:
    sites = facts.calls.of(spec["class"], spec["method"], exact=spec["exact"])
    if not sites:
        return
    resolver = facts.values
    api = f"{java_name(spec['class'])}.{spec['method']}"
    for site in sites:
        said = []
        ok = True
        for a in spec["args"]:
            # the value analysis counts the receiver first for instance calls
            position = a["index"] + (0 if _is_static(site) else 1)
            values = [r.value for r in resolver.arg(site, position)]
            hit = next((v for v in values if _arg_ok(a, v)), None)
            if hit is None:
                ok = False
                break
            said.append(f"arg {a['index']} = {_show(hit)}")
        if ok:
            detail = f" ({'; '.join(said)})" if said else ""
            yield Place(
                "code",
                Text(f"Call of {api}{detail}", f"调用 {api}{detail}"),
                f"{api}{detail}",
                site=site,
            )


def _is_static(site) -> bool:
    return site.opcode in (0x71, 0x77)  # invoke-static, invoke-static/range


def _arg_ok(spec: dict, v) -> bool:
    text = v.text()
    if "equals" in spec:
        want = spec["equals"]
        if isinstance(want, str) and text != want:
            return False
        if isinstance(want, int) and not (v.kind == "const" and v.data == want):
            return False
    if "matches" in spec and (text is None or not spec["matches"].search(text)):
        return False
    shape = spec.get("shape")
    if shape is not None:
        ok = {
            "constant": v.is_constant(),
            "not-constant": not v.is_constant(),
            "string": text is not None,
            "int": v.kind == "const",
            "param": v.kind == "param",
            "field": v.kind == "field",
            "result": v.kind == "result",
            "unknown": v.kind == "unknown",
        }[shape]
        if not ok:
            return False
    return True


def _show(v) -> str:
    text = v.text()
    if text is not None:
        return repr(text[:80])
    if v.kind == "const":
        return str(v.data)
    return v.kind


_LEAF = {
    "permission": _permission,
    "sdk_level": _sdk_level,
    "application": _application,
    "component": _component,
    "sdk": _sdk,
    "string": _string,
    "url": _url,
    "host": _host,
    "native_library": _native_library,
    "native_symbol": _native_symbol,
    "native_string": _native_string,
    "certificate": _certificate,
    "call": _call,
}
