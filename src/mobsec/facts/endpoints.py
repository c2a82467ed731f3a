"""URLs, domains and e-mail addresses the app carries, with whose code holds them.

What a reviewer looks for first in MobSF: where does this app talk to, and whose code
says so. Constant strings of the code (``http(s)://``, ``ws(s)://``, ``ftp://`` prefixes,
found with the sorted-pool prefix search) and strings with an ``@`` that are e-mail
addresses; each grouped by host (or address) with the owner of the referencing code (the
app or which SDK) and a few sample URLs. Namespace URIs (schemas.android.com, w3.org…) are
identifiers, not endpoints, and are left out. Bounded: at most MAX_ENDPOINTS entries.
"""

from __future__ import annotations

import operator
import re
from bisect import bisect_right
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
        limit = min(pools.n_strings, MAX_EMAIL_SCAN)
        candidates = _may_hold_at(dex, limit)
        for i in range(limit) if candidates is None else candidates:
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


# The bytes a decoded "@" can come from: the ASCII byte, and the lead bytes of its overlong
# 2- and 3-byte forms (C1 80, E0 81 80), which the lenient MUTF-8 decoder accepts.
_AT_BYTES = (b"@", b"\xc1", b"\xe0")
# A character takes at most 6 bytes (a surrogate pair joined into one), so a text of more
# bytes than this is longer than an e-mail address can be.
_MAX_EMAIL_BYTES = 6 * 254


def _may_hold_at(dex: Any, limit: int) -> list[int] | None:
    """Ascending indexes (< ``limit``) of the pool strings whose bytes may decode to an
    e-mail address: a superset, found with C-speed byte searches instead of decoding ~100k
    strings.

    A string's bytes are its ULEB128 length (at most 5 bytes) and its text up to the first
    NUL, so a string starting at ``off`` can hold position ``p`` only if ``off <= p`` and no
    NUL lies in ``[off + 5, p)``. None (decode them all) when the string offsets are not
    ascending, the layout every DEX writer produces but a hostile file need not.
    """
    offs = dex.pools.string_ids[:limit].tolist()
    data = dex.data
    if not offs:
        return []
    if offs[-1] >= len(data) or not all(map(operator.lt, offs, offs[1:])):
        return None
    start = offs[0]
    end = data.find(b"\x00", offs[-1] + 5)  # no string's text goes past this NUL
    end = len(data) if end < 0 else end
    marks = []
    for byte in _AT_BYTES:
        p = data.find(byte, start, end)
        while p >= 0:
            marks.append(p)
            p = data.find(byte, p + 1, end)
    out: list[int] = []
    nul, searched = -1, start  # the last NUL before the mark, and from where it was looked for
    for p in sorted(marks):
        z = data.rfind(b"\x00", searched, p)
        if z >= 0:
            nul = z
        searched = p
        lo = bisect_right(offs, nul - 5) if nul >= 0 else 0
        if out:
            lo = max(lo, out[-1] + 1)  # marks ascend: earlier strings are in already
        out.extend(range(lo, bisect_right(offs, p)))
    return [i for i in out if not _long_text(dex.pools, i)]


def _long_text(pools: Any, idx: int) -> bool:
    """String ``idx`` is well formed (as ``Pools.string`` reads it) and its text has more
    bytes than an e-mail address can. Decoding a long non-ASCII text costs; a broken one is
    still decoded so its diagnostic is reported as before."""
    start, end, problem = pools.string_span(idx)
    return not problem and end - start > _MAX_EMAIL_BYTES
