"""The key codes an input method's on-screen keyboard can send: its layout XML files.

``new Keyboard(context, R.xml.qwerty)`` (or ``(context, id, modeId)``) loads a layout whose
``<Key android:codes="...">`` elements are the only codes ``KeyboardView`` hands to the
listener's ``onKey(primaryCode, keyCodes)``. The layout ids are read at every such
constructor call in the app (values followed across methods, so a ``Keyboard`` subclass
passing its caller's id is resolved too) and each id's files (every configuration) through
the resource table.

The answer is None — "any code" — whenever something is not known: no constructor call, an
id that is not one constant, a file that cannot be read, a key without ``android:codes``
(its code is its label's first character), codes that are not plain ints, a key with a popup
(``popupCharacters``/``popupKeyboard`` send the codes of other keys), or a keyboard built
from a character string (``Keyboard(context, layout, characters, ...)``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mobsec.ingest.axml import ANDROID_NS, XmlAttr, XmlElement

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

KEYBOARD = "Landroid/inputmethodservice/Keyboard;"
FROM_LAYOUT = ("(Landroid/content/Context;I)V", "(Landroid/content/Context;II)V")
# Attribute ids of the framework's Keyboard_Key styleable (android.R.attr).
CODES = ("codes", 0x01010242)
POPUPS = (("popupKeyboard", 0x01010243), ("popupCharacters", 0x01010244))
MAX_KEYS = 2000


def declared_key_codes(facts: AppFacts) -> frozenset[int] | None:
    """Every code a key of the app's keyboards sends, or None when any is not known."""
    return facts.memo(("keyboard", "codes"), lambda: _codes(facts))


def _codes(facts: AppFacts) -> frozenset[int] | None:
    code = facts.code
    resources = facts.pkg.resources
    sites = []
    for proto in FROM_LAYOUT:
        sites.extend(code.call_sites(KEYBOARD, "<init>", proto))
    others = [s for s in code.call_sites(KEYBOARD, "<init>") if s not in sites]
    if not sites or others or resources is None:
        return None
    out: set[int] = set()
    for site in sites:
        values = facts.values.arg_values(site, 2)
        ids = [v.data for v in values if v.kind == "const"]
        if not ids or len(ids) != len(values) or not all(isinstance(i, int) and i for i in ids):
            return None
        for res_id in ids:
            got = _layout_codes(facts, res_id)  # type: ignore[arg-type]
            if got is None:
                return None
            out |= got
    return frozenset(out)


def _layout_codes(facts: AppFacts, res_id: int) -> set[int] | None:
    values = facts.pkg.resources.values(res_id)
    if not values:
        return None
    out: set[int] = set()
    for _config, value in values:
        path = value.value()
        if not isinstance(path, str) or not path.endswith(".xml"):
            return None
        root = facts.xml_file(path)
        if root is None:
            return None
        got = _keys(root)
        if got is None:
            return None
        out |= got
    return out


def _keys(root: XmlElement) -> set[int] | None:
    out: set[int] = set()
    keys = list(root.iter("Key"))
    if not keys or len(keys) > MAX_KEYS:
        return None
    for key in keys:
        if any(_attr(key, *p) is not None for p in POPUPS):
            return None
        codes = _attr(key, *CODES)
        if codes is None or codes.is_reference():
            return None
        v = codes.value()
        if isinstance(v, bool):
            return None
        if isinstance(v, int):
            out.add(v)
            continue
        try:
            out.update(int(part) for part in str(v).split(","))
        except ValueError:
            return None
    return out


def _attr(el: XmlElement, name: str, res_id: int) -> XmlAttr | None:
    """By the framework attribute's id (what Android reads), or its name when the file
    carries no id for it."""
    for a in el.attrs:
        if a.resource_id == res_id or (a.name == name and a.ns == ANDROID_NS):
            return a
    return None
