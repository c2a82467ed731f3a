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

from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import Check
from mobsec.report.model import Finding, Owner, Text

from .records import LiveRecords, haystack
from .schema import Cond, Range, Rule, version_key

MAX_PLACES = 50  # findings of one leaf: an emergency rule needs evidence, not every string


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


def evaluate(cond: Cond, ctx: CheckContext, rf: Any = None) -> tuple[bool, list[Place]]:
    """Whether ``cond`` holds and where; ``rf`` are the records to read (default: the live
    scan's, :class:`~mobsec.rules.records.LiveRecords`; stored facts pass their own)."""
    if rf is None:
        rf = ctx.facts.memo(("rules", "records"), lambda: LiveRecords(ctx.facts))
    if cond.kind in ("all", "any"):
        results = [evaluate(c, ctx, rf) for c in cond.arg]
        hits = [r for r in results if r[0]]
        ok = len(hits) == len(results) if cond.kind == "all" else bool(hits)
        return ok, [p for _, places in hits for p in places] if ok else []
    if cond.kind == "not":
        return not evaluate(cond.arg, ctx, rf)[0], []
    places = list(_LEAF[cond.kind](cond.arg, rf))[:MAX_PLACES]
    return bool(places), places


# ----------------------------------------------------------------------------------- leaves


def _permission(pattern, rf) -> Iterator[Place]:
    for name, line in rf.permissions:
        if pattern.search(name):
            yield Place("manifest", Text(f"Requests {name}", f"申请了 {name}"), name, line=line)


def _sdk_level(spec: dict[str, Range], rf) -> Iterator[Place]:
    levels = rf.sdk_levels
    if levels is None:
        return
    for k, rng in spec.items():
        if levels[k] is None or not rng.holds(levels[k]):
            return
    said = ", ".join(f"{k}={levels[k]}" for k in spec)
    yield Place(
        "manifest",
        Text(f"SDK levels: {said}", f"SDK 级别:{said}"),
        "sdk-level",
        line=levels["line"],
    )


def _application(spec: dict[str, bool], rf) -> Iterator[Place]:
    values = rf.application
    if values is None:
        return
    if all(values[k] == v for k, v in spec.items()):
        said = ", ".join(f"{k}={str(v).lower()}" for k, v in spec.items())
        yield Place(
            "manifest",
            Text(f"application: {said}", f"application:{said}"),
            "application",
            line=values["line"],
        )


def _component(spec: dict, rf) -> Iterator[Place]:
    for c in rf.components:
        if "kind" in spec and c["kind"] not in spec["kind"]:
            continue
        if "name" in spec and not spec["name"].search(c["name"]):
            continue
        if "exported" in spec and c["exported"] != spec["exported"]:
            continue
        if (
            "grant_uri_permissions" in spec
            and c["grant_uri_permissions"] != spec["grant_uri_permissions"]
        ):
            continue
        if "permission" in spec:
            want, have = spec["permission"], c["permission"]
            if want is None and have is not None:
                continue
            if want is not None and not (have and want.search(have)):
                continue
        if "authority" in spec and not any(spec["authority"].search(a) for a in c["authorities"]):
            continue
        filters = c["filters"]
        for key, field in (
            ("intent_action", "actions"),
            ("intent_category", "categories"),
            ("intent_scheme", "schemes"),
            ("intent_host", "hosts"),
        ):
            if key in spec:
                filters = [f for f in filters if any(spec[key].search(x) for x in f[field])]
        uses_filters = any(k.startswith("intent_") for k in spec)
        if uses_filters and not filters:
            continue
        line = filters[0]["line"] if uses_filters and filters[0]["line"] else c["line"]
        yield Place(
            "manifest",
            Text(f"{c['kind']} {c['name']}", f"{c['kind']} {c['name']}"),
            c["name"],
            line=line or None,
            owner_class=c["name"],
        )


def _sdk(spec: dict, rf) -> Iterator[Place]:
    found = rf.sdks.get(spec["id"])
    if found is None:
        return
    version = found.get("version")
    rng: Range | None = spec["version"]
    name = found["name"] or spec["id"]
    if rng is not None:
        if version is None:
            if not spec["version_unknown"]:
                return
        elif not rng.holds(version_key(version)):
            return
    if version is not None:
        source = found["source"]
        en = f"{name} {version} (version read from {source})"
        zh = f"{name} {version}(版本号来自 {source})"
        evidence, path = f"{source}: {version}", source
    else:
        classes = ", ".join(found["sample_classes"][:3])
        en, zh = f"{name} is in the app (version unknown)", f"应用包含 {name}(版本未知)"
        evidence, path = classes, ""
    owner = Owner("sdk", spec["id"], name)
    yield Place("file", Text(en, zh), spec["id"], path=path, evidence=evidence, owner=owner)


def _string(pattern, rf) -> Iterator[Place]:
    hits = pattern.matching(haystack(rf, "strings"))
    for text, handle in rf.strings if hits else ():
        if text in hits and (site := rf.site(handle)) is not None:
            shown = text[:120]
            yield Place("code", Text(f"String {shown!r}", f"字符串 {shown!r}"), text, site=site)


def _url(pattern, rf) -> Iterator[Place]:
    hits = pattern.matching(haystack(rf, "urls"))
    for url, _, handle in rf.urls if hits else ():
        if url in hits and (site := rf.site(handle)) is not None:
            yield Place("code", Text(f"URL {url[:200]}", f"URL {url[:200]}"), url, site=site)


def _host(pattern, rf) -> Iterator[Place]:
    hits = pattern.matching(haystack(rf, "hosts"))
    for url, host, handle in rf.urls if hits else ():
        if host in hits and (site := rf.site(handle)) is not None:
            yield Place(
                "code",
                Text(f"Host {host} ({url[:160]})", f"主机 {host}({url[:160]})"),
                url,
                site=site,
            )


def _native_library(pattern, rf) -> Iterator[Place]:
    for lib in rf.natives:
        name = lib["path"].rsplit("/", 1)[-1]
        if pattern.search(name):
            yield Place(
                "file",
                Text(f"Native library {name}", f"原生库 {name}"),
                name,
                path=lib["path"],
                evidence=f"{lib['path']} sha256={lib['sha256']}",
            )


def _native_symbol(pattern, rf) -> Iterator[Place]:
    for lib in rf.natives:
        path = lib["path"]
        for kind in ("exports", "imports"):
            for s in lib[kind]:
                if pattern.search(s):
                    zh = "导出" if kind == "exports" else "导入"
                    yield Place(
                        "file",
                        Text(f"{path} {kind} {s}", f"{path} {zh}符号 {s}"),
                        s,
                        path=path,
                        evidence=f"{kind}: {s}",
                    )
                    break


def _native_string(pattern, rf) -> Iterator[Place]:
    for lib in rf.natives:
        path = lib["path"]
        for s in rf.native_strings(path):
            if pattern.search(s):
                yield Place(
                    "file",
                    Text(f"{path} contains {s[:120]!r}", f"{path} 包含字符串 {s[:120]!r}"),
                    s,
                    path=path,
                    evidence=s[:200],
                )
                break


def _certificate(spec: dict, rf) -> Iterator[Place]:
    for cert in rf.certificates:
        ok = True
        for k, want in spec.items():
            if k in ("subject", "issuer", "key_algorithm", "signature_algorithm"):
                ok = want.search(cert[k])
            elif k in ("debug", "self_signed"):
                ok = cert[k] == want
            elif k == "key_bits":
                ok = want.holds(cert["key_bits"])
            if not ok:
                break
        if ok:
            evidence = (
                f"subject: {cert['subject']}\nissuer: {cert['issuer']}\n"
                f"key: {cert['key_algorithm']} {cert['key_bits']}\n"
                f"signature: {cert['signature_algorithm']}"
            )
            yield Place(
                "file",
                Text(f"Signing certificate {cert['subject']}", f"签名证书 {cert['subject']}"),
                cert["subject"],
                path="",
                evidence=evidence,
            )


def _call(spec: dict, rf) -> Iterator[Place]:
    sites = rf.calls(spec["class"], spec["method"], spec["exact"])
    api = f"{java_name(spec['class'])}.{spec['method']}"
    for site in sites:
        said = []
        ok = True
        for a in spec["args"]:
            # the value analysis counts the receiver first for instance calls
            position = a["index"] + (0 if _is_static(site) else 1)
            hit = next((v for v in rf.arg_values(site, position) if _arg_ok(a, v)), None)
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
