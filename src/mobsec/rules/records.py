"""What rule leaves read, as plain records: the same questions answered from a live scan
(:class:`LiveRecords`, over :class:`~mobsec.facts.app.AppFacts`) or from stored facts
(:class:`mobsec.rules.stored.StoredRecords`), so the evaluator matches one way in both.

Code places are *handles*: a live :class:`~mobsec.ingest.dex.CodeSite` here, a stored site
record there; :meth:`site` turns a string's handle into its first live instruction (None
when only dead code loads it), looked up only for strings a rule matched.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

from mobsec.facts.app import AppFacts

from .patterns import Haystack

MAX_NATIVE_STRINGS = 50_000
URL_SCAN_CHARS = 4096  # of one string searched for URLs
# A URL in a string: RE2's ``(?i)\\b(?:https?|wss?|ftp)://[^\\s"'<>]+`` spelt for Python's
# re (our own fixed, linear pattern; rule patterns never run on re): an ASCII word boundary
# (case-sensitive: RE2's \\b ignores (?i), so ſ and K before a scheme are no word) and
# RE2's whitespace class. On re, one pass over 100k strings costs what 100k calls into
# the RE2 wrapper cost in overhead alone.
_URL = re.compile(r"(?<![0-9A-Za-z_])(?i:https?|wss?|ftp)://[^\t\n\f\r \"'<>]+")
_AUTHORITY_END = re.compile(r"[^/?#]*")


def urls_in(strings: list[tuple[str, Any]]) -> list[tuple[str, str, Any]]:
    """(url, host, handle) of every URL inside the strings (shared by both kinds).

    One pass of :data:`_URL` over the strings that hold a ``://``, joined by newlines (a URL
    never spans a newline); a host is parsed once per distinct scheme and authority."""
    texts, handles, starts = [], [], []
    at = 0
    for text, handle in strings:
        if "://" in text:
            texts.append(text[:URL_SCAN_CHARS])
            handles.append(handle)
            starts.append(at)
            at += len(texts[-1]) + 1
    hosts: dict[str, str] = {}
    out = []
    for m in _URL.finditer("\n".join(texts)):
        url = m.group()
        key = url[: _AUTHORITY_END.match(url, url.find("://") + 3).end()]  # type: ignore[union-attr]
        host = hosts.get(key)
        if host is None:
            host = hosts[key] = _host(key)
        out.append((url, host, handles[bisect_right(starts, m.start()) - 1]))
    return out


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def haystack(rf: Any, name: str) -> Haystack:
    """The distinct ``strings``, ``urls`` or ``hosts`` of records ``rf`` as one
    :class:`~mobsec.rules.patterns.Haystack`, built once per records for every rule."""
    cache = rf.__dict__.setdefault("_haystacks", {})
    if name not in cache:
        if name == "strings":
            values = (text for text, _ in rf.strings)
        elif name == "urls":
            values = (url for url, _, _ in rf.urls)
        else:
            values = (host for _, host, _ in rf.urls if host)
        cache[name] = Haystack(values)
    return cache[name]  # type: ignore[no-any-return]


class LiveRecords:
    """Records of a live scan, each computed once when a rule first asks."""

    stored = False

    def __init__(self, facts: AppFacts) -> None:
        self.facts = facts

    @cached_property
    def manifest_elements(self) -> list[Any]:
        root = self.facts.pkg.manifest_xml
        return list(root.iter()) if root is not None else []

    @cached_property
    def permissions(self) -> list[tuple[str, int | None]]:
        out = []
        for el in self.manifest_elements:
            if el.tag in ("uses-permission", "uses-permission-sdk-23"):
                attr = el.attr("name")
                name = attr.value() if attr is not None else None
                if isinstance(name, str):
                    out.append((name, el.line))
        return out

    @cached_property
    def sdk_levels(self) -> dict[str, Any] | None:
        m = self.facts.manifest
        if m is None:
            return None
        line = next((el.line for el in self.manifest_elements if el.tag == "uses-sdk"), None)
        return {
            "min_sdk": m.min_sdk,
            "target_sdk": m.target_sdk,
            "compile_sdk": m.compile_sdk,
            "line": line or m.application.line or None,
        }

    @cached_property
    def application(self) -> dict[str, Any] | None:
        m = self.facts.manifest
        if m is None:
            return None
        a = m.application
        return {
            "debuggable": a.debuggable,
            "allow_backup": a.allow_backup,
            "uses_cleartext_traffic": a.uses_cleartext_traffic,
            "test_only": a.test_only,
            "request_legacy_external_storage": a.request_legacy_external_storage,
            "has_network_security_config": a.network_security_config is not None,
            "line": a.line or None,
        }

    @cached_property
    def components(self) -> list[dict[str, Any]]:
        m = self.facts.manifest
        return [
            {
                "kind": c.kind,
                "name": c.name,
                "exported": c.exported,
                "grant_uri_permissions": c.grant_uri_permissions,
                "permission": c.permission,
                "authorities": list(c.authorities),
                "line": c.line,
                "filters": [
                    {
                        "actions": list(f.actions),
                        "categories": list(f.categories),
                        "schemes": [d.scheme for d in f.data if d.scheme],
                        "hosts": [d.host for d in f.data if d.host],
                        "line": f.line,
                    }
                    for f in c.intent_filters
                ],
            }
            for c in (m.components if m else [])
        ]

    @cached_property
    def sdks(self) -> dict[str, dict[str, Any]]:
        """{sdk id: {name, sample_classes, version, source}} of found or dated SDKs."""
        out: dict[str, dict[str, Any]] = {}
        for f in self.facts.sdks:
            out[f.sdk.id] = {"name": f.sdk.name.get("en"), "sample_classes": f.sample_classes[:3]}
        for sdk_id, v in self.facts.sdk_versions.items():
            out.setdefault(sdk_id, {"name": None, "sample_classes": []})
            out[sdk_id].update(version=v.version, source=v.source)
        return out

    @cached_property
    def strings(self) -> list[tuple[str, Any]]:
        """(text, (dex, string id)) of every string a const-string loads."""
        from mobsec.facts.code_strings import referenced_string_ids

        return self.facts.memo(
            ("rules", "code strings"),
            lambda: [
                (dex.string(idx), (dex, idx))
                for dex in self.facts.code.dexes
                for idx in referenced_string_ids(dex)
            ],
        )

    def site(self, handle: Any) -> Any:
        dex, idx = handle
        return next(iter(self.facts.code.sites_of(dex, dex.string_refs(idx))), None)

    @cached_property
    def urls(self) -> list[tuple[str, str, Any]]:
        return urls_in(self.strings)

    @cached_property
    def natives(self) -> list[dict[str, Any]]:
        return [
            {
                "path": lib.path,
                "sha256": lib.sha256,
                "exports": list(lib.exported_symbols),
                "imports": list(lib.imported_symbols),
            }
            for lib in self.facts.pkg.native_libraries
        ]

    def native_strings(self, path: str) -> list[str]:
        from mobsec.facts.code_strings import native_strings

        archive = self.facts.pkg.archive
        data = archive.read(path) if archive.get(path) else b""
        return native_strings(data or b"")[:MAX_NATIVE_STRINGS]

    @cached_property
    def certificates(self) -> list[dict[str, Any]]:
        signing = self.facts.pkg.signing
        return [
            {
                "subject": c.subject,
                "issuer": c.issuer,
                "key_algorithm": c.key_algorithm,
                "signature_algorithm": c.signature_algorithm,
                "debug": c.is_debug,
                "self_signed": c.self_signed,
                "key_bits": c.key_bits,
            }
            for c in (signing.signers if signing else [])
        ]

    def calls(self, class_desc: str, method: str, exact: bool) -> list[Any]:
        return self.facts.calls.of(class_desc, method, exact=exact)

    def arg_values(self, site: Any, position: int) -> list[Any]:
        return [r.value for r in self.facts.values.arg(site, position)]
