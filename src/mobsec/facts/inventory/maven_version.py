"""Maven version order (``org.apache.maven.artifact.versioning.ComparableVersion``).

Advisories give affected ranges of Maven artifacts, and Maven orders versions its own way:
``1.0-alpha < 1.0-beta < 1.0-milestone < 1.0-rc < 1.0-SNAPSHOT < 1.0 < 1.0-sp``,
``1.0 == 1.0.0 == 1-ga``, ``2.9.10 < 2.9.10.8 < 2.9.11``, ``3.12.0-RC1 < 3.12.0`` and a
qualifier nobody knows sorts after ``sp``. ``packaging.version`` (PEP 440) rejects or
misorders several of these, so this is a port of Maven's algorithm: the text splits at
``.``, ``-`` and digit/letter changes into numbers, qualifiers and sub-lists; trailing
"null" items (0, release qualifiers) are dropped; lists compare item by item.

Hostile input: :func:`parse_version` refuses anything that is not a plausible version
(at most 64 characters, starts with a digit, letters, digits and ``._+-`` only), so a
crafted string costs at most 64 steps and never raises.
"""

from __future__ import annotations

import re
from functools import total_ordering

_PLAUSIBLE = re.compile(r"[0-9][0-9A-Za-z._+-]{0,63}")
# Order of the well-known qualifiers; "" is the release. Unknown qualifiers sort after "sp".
_QUALIFIERS = ("alpha", "beta", "milestone", "rc", "snapshot", "", "sp")
_ALIASES = {"ga": "", "final": "", "release": "", "cr": "rc"}
_RELEASE_INDEX = str(_QUALIFIERS.index(""))


def _comparable_qualifier(q: str) -> str:
    try:
        return str(_QUALIFIERS.index(q))
    except ValueError:
        return f"{len(_QUALIFIERS)}-{q}"


class _Str:
    __slots__ = ("value",)

    def __init__(self, value: str, followed_by_digit: bool) -> None:
        if followed_by_digit and len(value) == 1:
            value = {"a": "alpha", "b": "beta", "m": "milestone"}.get(value, value)
        self.value = _ALIASES.get(value, value)

    def is_null(self) -> bool:
        return _comparable_qualifier(self.value) == _RELEASE_INDEX


class _List(list):
    def is_null(self) -> bool:
        return len(self) == 0

    def normalize(self) -> None:
        """Drop trailing null items (Maven's ListItem.normalize)."""
        for i in range(len(self) - 1, -1, -1):
            last = self[i]
            if _is_null(last):
                del self[i]
            elif not isinstance(last, _List):
                break


def _is_null(item: object) -> bool:
    if isinstance(item, int):
        return item == 0
    return item.is_null()  # type: ignore[attr-defined]


def _cmp(a: object, b: object) -> int:
    """Maven's Item.compareTo; ``b`` None stands for a missing item (padding)."""
    if isinstance(a, int):
        if b is None:
            return 0 if a == 0 else 1
        if isinstance(b, int):
            return (a > b) - (a < b)
        return 1  # a number is newer than a qualifier or a sub-list
    if isinstance(a, _Str):
        if b is None:
            ca, cb = _comparable_qualifier(a.value), _RELEASE_INDEX
        elif isinstance(b, _Str):
            ca, cb = _comparable_qualifier(a.value), _comparable_qualifier(b.value)
        else:
            return -1
        return (ca > cb) - (ca < cb)
    assert isinstance(a, _List)
    if b is None:
        return 0 if not a else _cmp(a[0], None)
    if isinstance(b, int):
        return -1
    if isinstance(b, _Str):
        return 1
    assert isinstance(b, _List)
    for i in range(max(len(a), len(b))):
        left = a[i] if i < len(a) else None
        right = b[i] if i < len(b) else None
        if left is not None:
            result = _cmp(left, right)
        elif right is not None:
            result = -_cmp(right, None)
        else:
            result = 0
        if result:
            return result
    return 0


def _item(is_digit: bool, text: str) -> object:
    return int(text) if is_digit else _Str(text, False)


def _parse(text: str) -> _List:
    """Maven's ComparableVersion.parseVersion."""
    version = text.lower()
    root = current = _List()
    stack = [root]
    is_digit = False
    start = 0
    for i, c in enumerate(version):
        if c == ".":
            current.append(0 if i == start else _item(is_digit, version[start:i]))
            start = i + 1
        elif c == "-":
            current.append(0 if i == start else _item(is_digit, version[start:i]))
            start = i + 1
            current.append(sub := _List())
            current = sub
            stack.append(current)
        elif c.isdigit():
            if not is_digit and i > start:
                if current:  # 1.0.0.X1 < 1.0.0-X2: ".X" is treated as "-X"
                    current.append(sub := _List())
                    current = sub
                    stack.append(current)
                current.append(_Str(version[start:i], True))
                start = i
                current.append(sub := _List())
                current = sub
                stack.append(current)
            is_digit = True
        else:
            if is_digit and i > start:
                current.append(_item(True, version[start:i]))
                start = i
                current.append(sub := _List())
                current = sub
                stack.append(current)
            is_digit = False
    if len(version) > start:
        if not is_digit and current:  # a trailing ".X" qualifier is "-X" too
            current.append(sub := _List())
            current = sub
            stack.append(current)
        current.append(_item(is_digit, version[start:]))
    while stack:
        stack.pop().normalize()
    return root


@total_ordering
class MavenVersion:
    """A version as Maven orders it; ``text`` is kept as given for reports."""

    __slots__ = ("_items", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._items = _parse(text)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MavenVersion):
            return NotImplemented
        return _cmp(self._items, other._items) == 0

    def __lt__(self, other: MavenVersion) -> bool:
        return _cmp(self._items, other._items) < 0

    def __hash__(self) -> int:
        return hash(self.text)

    def __repr__(self) -> str:
        return f"MavenVersion({self.text!r})"


def parse_version(text: str | None) -> MavenVersion | None:
    """The version, or None when ``text`` is no plausible version (then it is unknown)."""
    if not text or not _PLAUSIBLE.fullmatch(text):
        return None
    return MavenVersion(text)
