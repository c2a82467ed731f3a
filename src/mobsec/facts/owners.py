"""Who owns a class: the app's own code, a known third-party SDK, the platform, or nobody we know.

Every finding names its owner, because a reviewer acts differently on a weakness in the
app's code (the vendor fixes it) and in an SDK (the vendor upgrades or asks the SDK
vendor). The decision uses only the class name and the app's package name, matched
against the versioned catalog ``data/sdks.json``.

Rules (longest package prefix wins, compared segment by segment):

* The catalog's SDK prefixes, the catalog's platform prefixes (``java.``, ``android.``,
  ...) and the app's own prefixes all go into one trie; the deepest prefix that matches a
  class's package decides. So for WeChat (``com.tencent.mm``) ``com.tencent.mm.ui.*`` is
  the app while ``com.tencent.mm.opensdk.*`` is the WeChat OpenSDK, and AndroidX
  (``androidx.``, an SDK entry) is a library even though ``android.`` is the platform.
* The app's prefixes are its package name and its parents down to two segments
  (``com.example.shop.debug`` also claims ``com.example.shop`` and ``com.example``),
  except a two-segment parent that hosts catalogued SDKs (``com.google``, ``com.tencent``,
  ``com.github``): claiming it would turn the vendor's or the hosting site's other,
  uncatalogued libraries into "app" code. On a tie of equal depth the app's exact package
  name and caller-supplied extra prefixes beat an SDK; a derived parent does not.
* A class matched by nothing is ``unknown-third-party``, grouped by its reverse-domain
  package (``org.eclipse.wst``) so reports can group unknown libraries, except that a
  package whose every segment is at most two characters (``a.b.c``, R8/ProGuard output)
  or a class in the default package is ``unknown``: obfuscation hides whether it is the
  app's code or a library's, and we do not guess.

Class names come from hostile DEX files: any string is accepted, nothing raises, the
work per name is bounded by the trie's depth, and the per-package cache is bounded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, Literal

from mobsec.diagnostics import Diagnostics

OwnerKind = Literal["app", "sdk", "framework", "unknown-third-party", "unknown"]

CATALOG_RESOURCE = "sdks.json"
SCHEMA_RESOURCE = "sdks.schema.json"

_MAX_CACHED_PACKAGES = 65_536
_MAX_CACHED_PACKAGE_LEN = 256
_PRIMITIVES = frozenset("ZBSCIJFDV")
# First segments that start a reverse-domain package (with any two-letter country code);
# such packages group by three segments (``org.eclipse.wst``), others by two
# (``okhttp3.internal``).
_DOMAIN_ROOTS = frozenset(
    {"com", "org", "net", "io", "cn", "de", "me", "edu", "gov", "info", "co", "uk", "fr", "jp"}
    | {"ru", "br", "in", "us", "tv", "app", "dev", "xyz", "top", "ai", "kr", "tw", "hk", "nl"}
    | {"it", "es", "pl", "ch", "at", "be", "se", "no", "fi", "dk", "au", "ca", "biz", "tech"}
)


def _text(value: dict[str, str]) -> dict[str, str]:
    return {"en": value["en"], "zh-CN": value["zh-CN"]}


@dataclass(frozen=True, slots=True)
class VersionHint:
    """Where an SDK's version can be read when the package shows it.

    ``kind`` is one of ``version-file`` (the whole file is the version, e.g.
    ``META-INF/androidx.core_core.version``), ``properties-file`` (``key=value`` lines, e.g.
    ``play-services-base.properties``), ``asset-regex`` (first group of ``regex`` in an asset),
    ``class-constant`` (a static String field, for the code index) and
    ``manifest-meta-data`` (a ``<meta-data>`` name, for the manifest model).
    """

    kind: str
    file: str = ""
    key: str = ""
    regex: str = ""
    class_descriptor: str = ""
    field_name: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True, repr=False)
class Sdk:
    """One catalogued third-party SDK (texts are ``{"en": ..., "zh-CN": ...}``)."""

    id: str
    name: dict[str, str]
    vendor: dict[str, str]
    category: str
    purpose: dict[str, str]
    packages: tuple[str, ...]
    pi_related: bool
    website: str
    version_hints: tuple[VersionHint, ...] = ()

    def __hash__(self) -> int:  # the dict fields are not hashable; the id is unique
        return hash(self.id)

    def __repr__(self) -> str:
        return f"Sdk({self.id!r})"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": dict(self.name),
            "vendor": dict(self.vendor),
            "category": self.category,
            "purpose": dict(self.purpose),
            "packages": list(self.packages),
            "pi_related": self.pi_related,
            "website": self.website,
        }


@dataclass(frozen=True, slots=True)
class Owner:
    """The owner of one class.

    ``package`` is a dotted package name without trailing dot: the matched prefix for app,
    sdk and framework (``com.tencent.mm.opensdk``), the group of an unknown library
    (``org.eclipse.wst``), or ``""`` for obfuscated / default-package classes and primitives.
    """

    kind: OwnerKind
    sdk: Sdk | None
    package: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sdk": self.sdk.id if self.sdk else None,
            "package": self.package,
        }


_FRAMEWORK_PRIMITIVE = Owner("framework", None, "")
_UNKNOWN = Owner("unknown", None, "")

# Trie node: segment -> child node; the key None holds the node's value when a prefix ends
# there. None cannot collide with a segment, which is always a str (possibly "" in hostile
# names).
_Node = dict[Any, Any]


def _segments(prefix: str) -> tuple[str, ...]:
    return tuple(s for s in prefix.split(".") if s)


def _insert(root: _Node, segs: Iterable[str], value: Any, *, replace: bool) -> None:
    node = root
    for seg in segs:
        node = node.setdefault(seg, {})
    if replace or None not in node:
        node[None] = value


def _depth(root: _Node) -> int:
    deepest = 0
    stack: list[tuple[_Node, int]] = [(root, 0)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for k, child in node.items() if k is not None)
    return deepest


class SdkCatalog:
    """The SDK catalog, loaded once from the package data and queried by package prefix."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version: str = data["version"]
        self.sdks: tuple[Sdk, ...] = tuple(_sdk_from_json(e) for e in data["sdks"])
        self.platform_packages: tuple[str, ...] = tuple(data.get("platform_packages", ()))
        self._by_id = {s.id: s for s in self.sdks}
        # Maven group -> SDK, for META-INF/<group>_<artifact>.version files.
        self.maven_groups: dict[str, Sdk] = {
            group: self._by_id[e["id"]] for e in data["sdks"] for group in e.get("maven_groups", ())
        }
        # (segments, owner) for every prefix, SDKs and platform; resolvers copy these.
        entries = [
            (_segments(p), Owner("framework", None, p.rstrip("."))) for p in self.platform_packages
        ]
        for sdk in self.sdks:
            entries += [(_segments(p), Owner("sdk", sdk, p.rstrip("."))) for p in sdk.packages]
        self.entries: tuple[tuple[tuple[str, ...], Owner], ...] = tuple(entries)
        self._root: _Node = {}
        for segs, owner in self.entries:
            _insert(self._root, segs, owner, replace=True)
        self.max_depth = _depth(self._root)
        # Two-segment namespaces under which catalogued SDKs live (com.google, com.tencent).
        self.sdk_namespaces: frozenset[tuple[str, ...]] = frozenset(
            segs[:2] for segs, owner in self.entries if owner.kind == "sdk" and len(segs) > 2
        )

    @classmethod
    def load(cls) -> SdkCatalog:
        """Load the catalog shipped inside the package (no network, no file paths)."""
        return cls(load_catalog_json())

    def get(self, sdk_id: str) -> Sdk | None:
        return self._by_id.get(sdk_id)

    def __iter__(self) -> Iterator[Sdk]:
        return iter(self.sdks)

    def __len__(self) -> int:
        return len(self.sdks)

    def match(self, class_descriptor_or_java_name: str) -> Sdk | None:
        """The SDK whose package prefix is the longest match for a class, or None.

        Platform prefixes take part, so ``Landroid/app/Activity;`` gives None while
        ``Landroid/support/v4/app/Fragment;`` gives the support library.
        """
        owner = _walk(self._root, *_package_of(class_descriptor_or_java_name), self.max_depth)
        return owner.sdk if owner is not None else None


def load_catalog_json() -> dict[str, Any]:
    """The raw catalog document (for the schema test and for tools that list SDKs)."""
    return json.loads(_data_file(CATALOG_RESOURCE).read_text("utf-8"))


def load_catalog_schema() -> dict[str, Any]:
    return json.loads(_data_file(SCHEMA_RESOURCE).read_text("utf-8"))


def _data_file(name: str) -> Traversable:
    return resources.files("mobsec.facts").joinpath("data", name)


def _sdk_from_json(e: dict[str, Any]) -> Sdk:
    hints = tuple(
        VersionHint(
            kind=h["kind"],
            file=h.get("file", ""),
            key=h.get("key", ""),
            regex=h.get("regex", ""),
            class_descriptor=h.get("class", ""),
            field_name=h.get("field", ""),
            name=h.get("name", ""),
        )
        for h in e.get("version_hints", ())
    )
    return Sdk(
        id=e["id"],
        name=_text(e["name"]),
        vendor=_text(e["vendor"]),
        category=e["category"],
        purpose=_text(e["purpose"]),
        packages=tuple(e["packages"]),
        pi_related=bool(e["pi_related"]),
        website=e.get("website", ""),
        version_hints=hints,
    )


def _package_of(name: str) -> tuple[str, str]:
    """(package, separator) of a descriptor (``[Lcom/a/B;``), internal or Java name.

    Tolerant: hostile or odd names never raise; the package of a default-package class is
    ``""``.
    """
    if name[:1] == "[":
        name = name.lstrip("[")
    if name[:1] == "L" and name[-1:] == ";":
        name = name[1:-1]
    pkg, sep, _ = name.rpartition("/")
    if sep:
        return pkg, "/"
    pkg, sep, _ = name.rpartition(".")
    return pkg, "."


def _walk(root: _Node, pkg: str, sep: str, max_depth: int) -> Owner | None:
    """Deepest prefix value along the package's segments; at most ``max_depth`` steps."""
    if not pkg:
        return None
    best = None
    node = root
    for seg in pkg.split(sep, max_depth):
        node = node.get(seg)
        if node is None:
            break
        value = node.get(None)
        if value is not None:
            best = value
    return best


def _app_prefixes(app_package: str) -> list[tuple[tuple[str, ...], bool]]:
    """(segments, exact) for the app package and its parents down to two segments."""
    segs = _segments(app_package)
    out = [(segs, True)] if segs else []
    out.extend((segs[:n], False) for n in range(len(segs) - 1, 1, -1))
    return out


class OwnerResolver:
    """Owner of classes for one app: the catalog's trie plus the app's own prefixes."""

    def __init__(
        self, catalog: SdkCatalog, app_package: str, extra_app_prefixes: Iterable[str] = ()
    ) -> None:
        self.catalog = catalog
        self.app_package = app_package
        root: _Node = {}
        for segs, owner in catalog.entries:
            _insert(root, segs, owner, replace=True)
        claimed: list[str] = []
        for segs, exact in _app_prefixes(app_package):
            if not exact and len(segs) == 2 and segs in catalog.sdk_namespaces:
                continue  # a vendor's or hosting site's namespace, not the app's
            prefix = ".".join(segs)
            claimed.append(prefix)
            _insert(root, segs, Owner("app", None, prefix), replace=exact)
        for extra in extra_app_prefixes:
            segs = _segments(extra)
            if segs:
                prefix = ".".join(segs)
                claimed.append(prefix)
                _insert(root, segs, Owner("app", None, prefix), replace=True)
        self.app_prefixes: tuple[str, ...] = tuple(claimed)
        self._root = root
        self._max_depth = max(_depth(root), 1)
        self._cache: dict[str, Owner] = {}
        self._unknown_groups: dict[str, Owner] = {}

    def owner_of(self, class_descriptor: str) -> Owner:
        """Owner of a class given as descriptor (``Lcom/a/B;``), internal or Java name."""
        name = class_descriptor
        cut = name.rfind("/")
        if cut > 0 and name[0] == "L" and name[-1] == ";":
            # The common case, kept to one slice and one lookup: ``Lcom/a/B;``.
            pkg, sep = name[1:cut], "/"
        elif name.lstrip("[") in _PRIMITIVES:
            return _FRAMEWORK_PRIMITIVE
        else:
            pkg, sep = _package_of(name)
        cached = self._cache.get(pkg)
        if cached is not None:
            return cached
        owner = self._resolve(pkg, sep)
        if len(pkg) <= _MAX_CACHED_PACKAGE_LEN and len(self._cache) < _MAX_CACHED_PACKAGES:
            self._cache[pkg] = owner
        return owner

    def _resolve(self, pkg: str, sep: str) -> Owner:
        found = _walk(self._root, pkg, sep, self._max_depth)
        if found is not None:
            return found
        if not pkg or _looks_obfuscated(pkg, sep):
            return _UNKNOWN
        segs = pkg.split(sep, 3)[:3]
        keep = 3 if len(segs) >= 3 and _is_domain_root(segs[0]) else 2
        group = ".".join(segs[:keep])
        owner = self._unknown_groups.get(group)
        if owner is None:
            owner = Owner("unknown-third-party", None, group)
            if len(self._unknown_groups) < _MAX_CACHED_PACKAGES:
                self._unknown_groups[group] = owner
        return owner


def component_app_prefixes(
    catalog: SdkCatalog, app_package: str, component_classes: Iterable[str], limit: int = 16
) -> list[str]:
    """Packages of the app's own entry classes that lie outside its package name.

    Apps often keep code in a package other than their application id (UnCrackable-Level3
    is ``owasp.mstg.uncrackable3`` with code in ``sg.vantagepoint.uncrackable3``). Pass the
    classes the manifest names as the Application and the launcher activities (not every
    component: SDKs declare their own services and receivers); the packages among them
    that are not an SDK, the platform, obfuscated or already the app's are returned, for
    ``OwnerResolver(extra_app_prefixes=...)``. At most ``limit`` prefixes, in input order.
    """
    resolver = OwnerResolver(catalog, app_package)
    out: list[str] = []
    for name in component_classes:
        owner = resolver.owner_of(name)
        if owner.kind == "unknown-third-party":
            pkg, _ = _package_of(name)
            pkg = pkg.replace("/", ".")
            if pkg and len(pkg) <= _MAX_CACHED_PACKAGE_LEN and pkg not in out:
                out.append(pkg)
                if len(out) >= limit:
                    break
    return out


def _is_domain_root(segment: str) -> bool:
    """A top-level domain starting a reverse-domain package: generic ones and country codes."""
    return segment in _DOMAIN_ROOTS or (
        len(segment) == 2 and segment.isascii() and segment.isalpha()
    )


def _looks_obfuscated(pkg: str, sep: str) -> bool:
    """Every segment at most two characters: the shape R8/ProGuard give renamed packages."""
    if len(pkg) > _MAX_CACHED_PACKAGE_LEN:
        return False
    return all(0 < len(seg) <= 2 for seg in pkg.split(sep))


@dataclass(slots=True)
class FoundSdk:
    """An SDK seen in the app's code, with evidence a reviewer can check."""

    sdk: Sdk
    class_count: int = 0
    sample_classes: list[str] = field(default_factory=list)
    packages_seen: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.sdk.to_json(),
            "class_count": self.class_count,
            "sample_classes": list(self.sample_classes),
            "packages_seen": sorted(self.packages_seen),
        }


SAMPLE_CLASSES = 5


def detect_sdks(
    class_descriptors: Iterable[str], resolver: OwnerResolver, *, min_classes: int = 1
) -> list[FoundSdk]:
    """SDKs whose code is in the app, most classes first.

    Uses the resolver, not the bare catalog, so the app's own classes inside an SDK's
    namespace (WeChat's ``com.tencent.mm``) are not counted. ``packages_seen`` holds the
    catalog prefixes that matched, so it is bounded by the catalog size.
    """
    found: dict[str, FoundSdk] = {}
    for descriptor in class_descriptors:
        owner = resolver.owner_of(descriptor)
        if owner.sdk is None:
            continue
        entry = found.get(owner.sdk.id)
        if entry is None:
            entry = found[owner.sdk.id] = FoundSdk(owner.sdk)
        entry.class_count += 1
        entry.packages_seen.add(owner.package)
        if len(entry.sample_classes) < SAMPLE_CLASSES:
            entry.sample_classes.append(descriptor[:_MAX_CACHED_PACKAGE_LEN])
    result = [f for f in found.values() if f.class_count >= min_classes]
    result.sort(key=lambda f: (-f.class_count, f.sdk.id))
    return result


# --- versions from files --------------------------------------------------------------

_MAX_VERSION_FILE_BYTES = 4096
_MAX_VERSION_READS = 2000
_VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")
# META-INF/<maven group>_<artifact>.version, written by the Android Gradle plugin for
# AndroidX, the support library, Material and kotlinx.
_META_INF_VERSION_RE = re.compile(r"META-INF/([A-Za-z0-9_.-]{1,200})\.version")


@dataclass(frozen=True, slots=True)
class SdkVersion:
    sdk_id: str
    version: str
    source: str  # the file in the package the version was read from

    def to_json(self) -> dict[str, str]:
        return {"sdk": self.sdk_id, "version": self.version, "source": self.source}


def sdk_versions_from_files(
    names: Iterable[str],
    read: Callable[[str], bytes | None],
    catalog: SdkCatalog | None = None,
    diagnostics: Diagnostics | None = None,
) -> list[SdkVersion]:
    """Versions of SDKs read from the files the package ships (file hints only).

    ``names`` are the package's entry names; ``read`` returns an entry's bytes (or None when
    it cannot be read). Files named in the catalog's ``version-file``, ``properties-file``
    and ``asset-regex`` hints are read; so is every ``META-INF/<group>_<artifact>.version``
    file whose Maven group falls in a catalogued SDK's namespace (``androidx.core_core``
    → AndroidX Core). Class-constant and manifest hints need the code index / manifest
    model and are left to their owners. A file whose content is not a plausible version is
    reported as a diagnostic and skipped.
    """
    catalog = catalog or SdkCatalog.load()
    by_file: dict[str, list[tuple[Sdk, VersionHint]]] = {}
    for sdk in catalog:
        for hint in sdk.version_hints:
            if hint.file and hint.kind in ("version-file", "properties-file", "asset-regex"):
                by_file.setdefault(hint.file, []).append((sdk, hint))
    out: list[SdkVersion] = []
    seen: set[tuple[str, str]] = set()
    reads = 0
    for name in names:
        targets = by_file.get(name)
        if targets is None:
            m = _META_INF_VERSION_RE.fullmatch(name)
            if m is None:
                continue
            sdk = sdk_for_maven_coordinate(catalog, m.group(1))
            if sdk is None:
                continue
            targets = [(sdk, VersionHint("version-file", name))]
        if reads >= _MAX_VERSION_READS:
            break
        reads += 1
        data = read(name)
        if data is None:
            continue
        text = data[:_MAX_VERSION_FILE_BYTES].decode("utf-8", "replace")
        for sdk, hint in targets:
            version = _version_from_text(text, hint)
            if version is None:
                if diagnostics is not None:
                    diagnostics.info(
                        "owners.version_unreadable",
                        name,
                        f"No version of SDK {sdk.id} could be read from this file.",
                        f"无法从此文件读取 SDK {sdk.id} 的版本号。",
                        sdk=sdk.id,
                    )
                continue
            if (sdk.id, name) not in seen:
                seen.add((sdk.id, name))
                out.append(SdkVersion(sdk.id, version, name))
    return out


def sdk_for_maven_coordinate(catalog: SdkCatalog, coordinate: str) -> Sdk | None:
    """``androidx.core_core`` → the SDK owning package ``androidx.core``.

    The catalog's ``maven_groups`` decide first (``com.android.support`` is the support
    library, whose packages are ``android.support.*``); otherwise the Maven group of
    AndroidX and Material equals their package prefix, and ``kotlinx_coroutines_core``
    uses underscores for dots.
    """
    group, _, artifact = coordinate.partition("_")
    if group in catalog.maven_groups:
        return catalog.maven_groups[group]
    if "." not in group and artifact:  # kotlinx_coroutines_core
        group = coordinate.replace("_", ".").replace("-", ".")
    return catalog.match(group + ".X")


def _version_from_text(text: str, hint: VersionHint) -> str | None:
    candidate: str | None
    if hint.kind == "properties-file":
        candidate = None
        for line in text.splitlines()[:200]:
            key, sep, value = line.partition("=")
            if sep and key.strip() == (hint.key or "version"):
                candidate = value.strip()
                break
    elif hint.kind == "asset-regex":
        m = re.search(hint.regex, text)
        candidate = m.group(1) if m and m.groups() else None
    else:
        candidate = text.strip()
    if candidate and _VERSION_RE.fullmatch(candidate):
        return candidate
    return None
