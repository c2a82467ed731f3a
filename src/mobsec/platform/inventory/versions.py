"""Version strings as sortable keys: "1.10.0" after "1.9.2", "2.0" after "1.99".

Numeric parts are zero-padded to 12 digits, other parts kept (lower-case); parts joined by
"." so a shorter version sorts before its extensions ("1.2" < "1.2.1"). The rules engine
compares the same way (:func:`mobsec.rules.schema.version_key`); this is its string form
for a database index. Hostile strings are cut to what the column holds.
"""

from __future__ import annotations

import re

_PART = re.compile(r"[0-9]+|[A-Za-z]+")
MAX_LEN = 255


def sort_key(version: str) -> str:
    parts = []
    for p in _PART.findall(version[:64]):
        parts.append(p.zfill(12)[-12:] if p.isdigit() else "~" + p.lower()[:20])
    return ".".join(parts)[:MAX_LEN]
