"""URLs, domains and e-mail addresses the app carries, with whose code holds them.

What a reviewer looks for first in MobSF: where does this app talk to, and whose code
says so. Constant strings of the code (``http(s)://``, ``ws(s)://``, ``ftp://`` prefixes,
found with the sorted-pool prefix search) and strings with an ``@`` that are e-mail
addresses; each grouped by host (or address) with the owner of the referencing code (the
app or which SDK) and a few sample URLs. Namespace URIs (schemas.android.com, w3.org…) are
identifiers, not endpoints, and are left out. Bounded: at most MAX_ENDPOINTS entries.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from mobsec.facts.privacy._strings import strings_with_prefix
from mobsec.facts.privacy.collection import url_host

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

PREFIXES = ("http://", "https://", "ws://", "wss://", "ftp://")
NAMESPACES = frozenset(
    {"schemas.android.com", "www.w3.org", "xmlpull.org", "ns.adobe.com", "purl.org", "xml.org"}
)
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")
MAX_ENDPOINTS = 500
MAX_SAMPLES = 3
MAX_EMAIL_SCAN = 200_000  # pool strings looked at for "@" per DEX (hostile pools are huge)


def _owner(facts: AppFacts, class_desc: str) -> dict[str, Any]:
    o = facts.owners.owner_of(class_desc)
    if o.sdk is not None:
        return {"kind": o.kind, "sdk_id": o.sdk.id, "sdk_name": o.sdk.name.get("en")}
    return {"kind": o.kind, "sdk_id": None, "sdk_name": None}


def find_endpoints(facts: AppFacts) -> list[dict[str, Any]]:
    """[{kind: url|email, value: host or address, owner, count, samples}] sorted app-first."""
    code = facts.code
    found: dict[tuple[str, str, str], dict[str, Any]] = {}

    def add(kind: str, value: str, text: str, dex: Any, sidx: int) -> None:
        for ref in dex.string_refs(sidx)[:50]:  # a string used everywhere: 50 places suffice
            owner = _owner(facts, dex.method_ref(ref.caller).class_desc)
            key = (kind, value, owner["sdk_id"] or owner["kind"])
            if key not in found:
                if len(found) >= MAX_ENDPOINTS:
                    return
                found[key] = {
                    "kind": kind,
                    "value": value,
                    "owner": owner,
                    "count": 0,
                    "samples": [],
                }
            e = found[key]
            e["count"] += 1
            if text not in e["samples"] and len(e["samples"]) < MAX_SAMPLES:
                e["samples"].append(text)

    for dex in code.dexes:
        for prefix in PREFIXES:
            for sidx, text in strings_with_prefix(dex, prefix):
                host = url_host(
                    text.replace("ws://", "http://", 1).replace("wss://", "https://", 1)
                )
                if prefix == "ftp://":
                    host = url_host("http://" + text[len(prefix) :])
                if host and host not in NAMESPACES:
                    add("url", host, text[:300], dex, sidx)
        pools = dex.pools
        for i in range(min(pools.n_strings, MAX_EMAIL_SCAN)):
            text = pools.string(i)
            if "@" in text and len(text) <= 254 and EMAIL.match(text):
                add("email", text.lower(), text, dex, i)
    return sorted(
        found.values(),
        key=lambda e: (
            e["owner"]["kind"] != "app",
            e["kind"],
            e["value"],
            e["owner"]["sdk_id"] or "",
        ),
    )
