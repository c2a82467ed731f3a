"""Which layout views hold a password the user types: the ``EditText`` PI source.

Why only password fields: any ``EditText`` may hold PI, but taking every text field as a
source would make every search box a leak. A field whose layout ``android:inputType`` is
a password variation (or the old ``android:password="true"``) holds credentials by
construction, so ``getText()`` on the view ``findViewById`` returns for that id is a
source. The id is matched by value, so a password field in any layout counts wherever
the code looks it up (ids are unique per resource name, not per layout).
"""

from __future__ import annotations

from typing import Any

ATTR_ID = 0x010100D0
ATTR_INPUT_TYPE = 0x01010220
ATTR_PASSWORD = 0x0101015C
TYPE_CLASS_TEXT, TYPE_CLASS_NUMBER = 0x1, 0x2
TEXT_PASSWORD_VARIATIONS = frozenset((0x80, 0x90, 0xE0))  # password, visible, web
NUMBER_PASSWORD_VARIATION = 0x10
MAX_LAYOUTS = 2000


def is_password_input(input_type: int) -> bool:
    """Whether an ``android:inputType`` value is a password variation."""
    cls, variation = input_type & 0xF, input_type & 0xFF0
    return (cls == TYPE_CLASS_TEXT and variation in TEXT_PASSWORD_VARIATIONS) or (
        cls == TYPE_CLASS_NUMBER and variation == NUMBER_PASSWORD_VARIATION
    )


def password_view_ids(facts: Any) -> frozenset[int]:
    """Resource ids of the layout views declared as password inputs, over every layout."""
    out: set[int] = set()
    layout_files = getattr(facts, "layout_files", None)
    xml_file = getattr(facts, "xml_file", None)
    if layout_files is None or xml_file is None:
        return frozenset()
    for path in layout_files()[:MAX_LAYOUTS]:
        root = xml_file(path)
        if root is None:
            continue
        for el in root.iter():
            ident = password = None
            for a in el.attrs:
                if a.resource_id == ATTR_ID and a.is_reference():
                    ident = a.data
                elif (a.resource_id == ATTR_INPUT_TYPE and is_password_input(a.data)) or (
                    a.resource_id == ATTR_PASSWORD and a.data
                ):
                    password = True
            if ident and password:
                out.add(ident)
    return frozenset(out)
