"""The PI source catalog: which Android APIs, fields, callbacks and content URIs read PI.

One versioned data file, ``data/pi_catalog.json`` (schema ``data/pi_catalog.schema.json``),
serves two consumers:

* the "who collects what" facts (:mod:`mobsec.facts.privacy.collection`) and the privacy
  checks, which look up the call sites of every source;
* the taint engine (:mod:`mobsec.facts.taint`), which uses the sources with
  ``taint_source`` true as its source list.

Source kinds (``PiSource.kind``) and what the tainted value is:

``method``
    ``class`` / ``method`` / ``proto`` (a DEX proto descriptor or ``"*"`` for every
    overload). The invoke's **result** is the PI value. ``argument`` (optional) makes the
    source argument-sensitive: ``{"index": 1, "equals": "android_id"}`` means only calls
    whose Java argument 1 (0 = first declared parameter, receiver not counted) can be that
    constant string — ``Settings.Secure.getString(resolver, "android_id")``. The value must
    come from data flow, never from the string existing somewhere in the app.
``field``
    A static field read (``sget-object``) of ``class`` / ``field``; the read value is PI
    (``Build.SERIAL``).
``callback-param``
    The framework calls the app's override of ``class->method proto`` with the PI in
    Java parameter ``param`` (``LocationListener.onLocationChanged(Location)``): every app
    class implementing ``class`` that overrides the method is a source at its entry.
``content-uri``
    The result of ``ContentResolver.query`` (and ``ContentProviderClient.query``,
    ``CursorLoader``) whose URI argument starts with one of ``uri_prefixes`` or comes from
    one of ``uri_fields`` (``Landroid/provider/CallLog$Calls;->CONTENT_URI``).

``confidence`` "low" marks sources that often do not read the PI at all
(``queryIntentActivities`` usually resolves one intent); reports keep them, rules and
checks that judge an app skip them.

``taint_source`` false marks sources that prove *access* (the camera is opened, location
updates are requested, a biometric prompt is shown) but return no PI value themselves;
their data arrives through a callback source or never reaches the app at all.

``pi_type`` names one entry of ``pi_types`` (device-id, imsi, location, contacts, ...):
its zh/en name, whether it is 个人敏感信息 under GB/T 35273-2020 Annex B (``sensitive``),
its ``necessary_category`` (matched against ``app_types.json``), and a keyword lexicon
(zh/en) that the privacy-policy reader uses. ``permissions`` maps each permission to the PI
types it guards. Permissions of a source carry ``min_api`` / ``max_api``: the API levels
on which the platform requires that permission.

The catalog is package data: no network, loaded once (:func:`load_pi_catalog` caches).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from mobsec.report.model import Text

CATALOG_RESOURCE = "pi_catalog.json"
SCHEMA_RESOURCE = "pi_catalog.schema.json"
ANY_PROTO = "*"


def _text(value: dict[str, str]) -> Text:
    return Text(value["en"], value["zh-CN"])


@dataclass(frozen=True, slots=True)
class PiType:
    """One kind of personal information (``device-id``, ``location``, ...)."""

    id: str
    name: Text
    group: str
    sensitive: bool  # 个人敏感信息 (GB/T 35273-2020 Annex B)
    necessary_category: str
    keywords_en: tuple[str, ...]
    keywords_zh: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name.to_json(),
            "group": self.group,
            "sensitive": self.sensitive,
            "necessary_category": self.necessary_category,
        }


@dataclass(frozen=True, slots=True)
class SourcePermission:
    """A permission the platform requires for a source on API levels min_api..max_api."""

    name: str
    min_api: int | None = None
    max_api: int | None = None
    note: str = ""

    def applies_to(self, api: int | None) -> bool:
        """Whether the permission is needed on ``api`` (None: any level counts)."""
        if api is None:
            return True
        return (self.min_api is None or api >= self.min_api) and (
            self.max_api is None or api <= self.max_api
        )


@dataclass(frozen=True, slots=True)
class PiSource:
    """One catalogued way to read PI; see the module docstring for the kinds."""

    id: str
    pi_type: str
    kind: str  # method | field | callback-param | content-uri
    name: Text
    permissions: tuple[SourcePermission, ...]
    taint_source: bool
    class_desc: str = ""
    method: str = ""
    proto: str = ANY_PROTO
    field: str = ""
    param: int | None = None
    argument_index: int | None = None
    argument_equals: str | None = None
    uri_prefixes: tuple[str, ...] = ()
    uri_fields: tuple[tuple[str, str], ...] = ()  # (class descriptor, field name)
    min_api: int | None = None
    note: str = ""
    confidence: str = "high"  # low: the call often does not read the PI (see note)

    @property
    def proto_or_none(self) -> str | None:
        """The proto for ``DexSet.call_sites`` (None = every overload)."""
        return None if self.proto == ANY_PROTO else self.proto

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pi_type": self.pi_type,
            "kind": self.kind,
            "name": self.name.to_json(),
        }


@dataclass(frozen=True, slots=True)
class PiCatalog:
    version: str
    types: dict[str, PiType]
    sources: tuple[PiSource, ...]
    # permission -> PI types it guards, and whether it is a dangerous (runtime) permission
    permission_types: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dangerous_permissions: frozenset[str] = frozenset()

    def of_kind(self, kind: str) -> list[PiSource]:
        return [s for s in self.sources if s.kind == kind]

    def get(self, source_id: str) -> PiSource | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def taint_sources(self) -> list[PiSource]:
        """What the taint engine starts from: sources that yield a PI value."""
        return [s for s in self.sources if s.taint_source]

    def uri_pi_type(self, uri: str) -> PiSource | None:
        """The content-uri source whose prefix starts ``uri`` (longest prefix wins)."""
        best: tuple[int, PiSource] | None = None
        for s in self.of_kind("content-uri"):
            for p in s.uri_prefixes:
                if not uri.startswith(p) or uri[len(p) : len(p) + 1] not in ("", "/", "?", "#"):
                    continue
                if best is None or len(p) > best[0]:
                    best = (len(p), s)
        return best[1] if best else None


@cache
def load_pi_catalog() -> PiCatalog:
    """The catalog shipped inside the package (parsed once per process)."""
    return catalog_from_json(load_pi_catalog_json())


def load_pi_catalog_json() -> dict[str, Any]:
    return json.loads(_data(CATALOG_RESOURCE))


def load_pi_catalog_schema() -> dict[str, Any]:
    return json.loads(_data(SCHEMA_RESOURCE))


def _data(name: str) -> str:
    return resources.files("mobsec.facts.privacy").joinpath("data", name).read_text("utf-8")


def catalog_from_json(doc: dict[str, Any]) -> PiCatalog:
    types = {
        tid: PiType(
            id=tid,
            name=_text(t["name"]),
            group=t["group"],
            sensitive=bool(t["sensitive"]),
            necessary_category=t["necessary_category"],
            keywords_en=tuple(t["keywords"]["en"]),
            keywords_zh=tuple(t["keywords"]["zh-CN"]),
        )
        for tid, t in doc["pi_types"].items()
    }
    sources = []
    for s in doc["sources"]:
        arg = s.get("argument") or {}
        fields = []
        for ref in s.get("uri_fields", ()):
            cls, _, name = ref.partition("->")
            fields.append((cls, name))
        sources.append(
            PiSource(
                id=s["id"],
                pi_type=s["pi_type"],
                kind=s["kind"],
                name=_text(s["name"]),
                permissions=tuple(
                    SourcePermission(
                        p["name"], p.get("min_api"), p.get("max_api"), p.get("note", "")
                    )
                    for p in s["permissions"]
                ),
                taint_source=bool(s["taint_source"]),
                class_desc=s.get("class", ""),
                method=s.get("method", ""),
                proto=s.get("proto", ANY_PROTO),
                field=s.get("field", ""),
                param=s.get("param"),
                argument_index=arg.get("index"),
                argument_equals=arg.get("equals"),
                uri_prefixes=tuple(s.get("uri_prefixes", ())),
                uri_fields=tuple(fields),
                min_api=s.get("min_api"),
                note=s.get("note", ""),
                confidence=s.get("confidence", "high"),
            )
        )
    perms = {p["permission"]: tuple(p["pi_types"]) for p in doc["permissions"]}
    dangerous = frozenset(p["permission"] for p in doc["permissions"] if p["dangerous"])
    return PiCatalog(doc["version"], types, tuple(sources), perms, dangerous)
