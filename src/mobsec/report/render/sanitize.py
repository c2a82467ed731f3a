"""Control characters from the package, made visible before any renderer shows them.

Entry names, package names, strings from DEX pools are attacker-chosen: an ANSI escape in
an entry name rewrites the user's terminal, a NUL or ESC byte breaks HTML/XML consumers, a
bidi override reorders what a reviewer reads. Every renderer except JSON gets the document
through :func:`clean_doc`, which replaces such characters by a visible ``\\xNN`` /
``\\uNNNN`` escape. JSON keeps the bytes as they are (``json.dumps`` escapes C0 controls,
so the JSON stays valid and faithful).
"""

from __future__ import annotations

import re
from typing import Any

import orjson

# C0 except tab/newline/CR, DEL, C1, and the bidi embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def clean_text(s: str) -> str:
    return _UNSAFE.sub(_visible, s) if _UNSAFE.search(s) else s


# What an unsafe character looks like in JSON text (orjson, as json.dumps(ensure_ascii=False)):
# C0 controls become \\u00XX (or \\b, \\f), the others stay raw. May also match an escaped backslash
# followed by "b" or "u00.." (a regex in evidence): then the slow path runs, still correct.
_UNSAFE_IN_JSON = re.compile(r"\\u00[01]|\\[bf]|[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_doc(doc: Any) -> Any:
    """A copy of the report document with every string (keys too) cleaned.

    Almost every report holds no unsafe character: one C-speed JSON round trip both
    proves it and makes the copy (a report of 100,000 components is ~80 MB; walking it in
    Python took seconds per renderer)."""
    try:
        data = orjson.dumps(doc)
    except TypeError:  # not plain JSON data (a lone surrogate, a non-string key): walk it
        return _clean(doc)
    if _UNSAFE_IN_JSON.search(data.decode("utf-8")) is None:
        return orjson.loads(data)
    return _clean(doc)


def _clean(v: Any) -> Any:
    if isinstance(v, str):
        return clean_text(v)
    if isinstance(v, dict):
        return {clean_text(k) if isinstance(k, str) else k: _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    return v
