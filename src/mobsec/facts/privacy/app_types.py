"""The 39 app types of the necessary-PI rules and the PI each one needs.

《常见类型移动互联网应用程序必要个人信息范围规定》 (effective 2021-05-01) lists, per app
type, the "necessary PI": what the *basic function* cannot work without. An app may not
refuse its basic function to a user who declines anything else (art. 4; 191号文 4.1/4.2).
The table is data (``data/app_types.json``); entries tagged ``M`` were transcribed without
a checked copy of the text and carry ``needs_review`` so reports can say so.

Only a few necessary categories can be observed in bytecode (``location``,
``phone-number``); device identifiers, contacts, call log, SMS, the installed-app list
and the like are necessary for **no** type, which is what makes their collection
comparable with the table at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from mobsec.report.model import Text


def _text(v: dict[str, str]) -> Text:
    return Text(v["en"], v["zh-CN"])


@dataclass(frozen=True, slots=True)
class NecessaryItem:
    category: str
    text: Text


@dataclass(frozen=True, slots=True)
class AppType:
    id: str
    number: int
    name: Text
    basic_function: Text
    necessary: tuple[NecessaryItem, ...]
    needs_review: bool

    @property
    def necessary_categories(self) -> frozenset[str]:
        return frozenset(i.category for i in self.necessary)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "name": self.name.to_json(),
            "basic_function": self.basic_function.to_json(),
            "necessary_pi": [
                {"category": i.category, "text": i.text.to_json()} for i in self.necessary
            ],
            "needs_review": self.needs_review,
        }


@cache
def load_app_types() -> dict[str, AppType]:
    """id -> AppType, in the order of the rules (parsed once per process)."""
    doc = json.loads(
        resources.files("mobsec.facts.privacy")
        .joinpath("data", "app_types.json")
        .read_text("utf-8")
    )
    return {
        t["id"]: AppType(
            id=t["id"],
            number=t["number"],
            name=_text(t["name"]),
            basic_function=_text(t["basic_function"]),
            necessary=tuple(
                NecessaryItem(i["category"], _text(i["text"])) for i in t["necessary_pi"]
            ),
            needs_review=bool(t["needs_review"]),
        )
        for t in doc["types"]
    }


def find_app_type(name: str) -> AppType | None:
    """Look a type up by id ("map-navigation"), number ("1"), or zh/en name ("地图导航类")."""
    key = name.strip()
    types = load_app_types()
    if key in types:
        return types[key]
    for t in types.values():
        if key in (str(t.number), t.name.zh, t.name.zh.removesuffix("类"), t.name.en):
            return t
        if key.lower() == t.name.en.lower():
            return t
    return None
