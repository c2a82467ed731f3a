"""Facts about one app, computed once and lazily, queried by every check.

A check asks ``facts.manifest``, ``facts.code``, ``facts.owners``... and pays only for what
it uses: nothing here is computed before the first access.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from mobsec.diagnostics import Diagnostics
from mobsec.facts.calls import CallIndex
from mobsec.facts.entry_points import EntryPoint, find_entry_points
from mobsec.facts.hierarchy import FrameworkHierarchy, TypeHierarchy
from mobsec.facts.manifest import Manifest, build_manifest
from mobsec.facts.owners import (
    FoundSdk,
    OwnerResolver,
    SdkCatalog,
    SdkVersion,
    component_app_prefixes,
    detect_sdks,
    sdk_versions_from_files,
)
from mobsec.facts.reachability import Reachability, build_reachability
from mobsec.facts.taint import Leak, TaintBudget, TaintResult, analyse_app
from mobsec.facts.values import ValueAnalysis
from mobsec.ingest.apk import MANIFEST, ApkPackage
from mobsec.ingest.axml import XmlElement, parse_axml
from mobsec.ingest.dex import DexSet
from mobsec.options import ScanOptions

if TYPE_CHECKING:
    from mobsec.facts.privacy.collection import PiCollection

T = TypeVar("T")

# Parsed trees of XML files up to this size are kept for the scan; bigger ones (a hostile
# layout of 60 MB) are parsed again when asked for, so no scan holds them all at once.
_KEEP_XML_BYTES = 256 * 1024


class AppFacts:
    def __init__(
        self, pkg: ApkPackage, diags: Diagnostics, options: ScanOptions | None = None
    ) -> None:
        self.pkg = pkg
        self.diags = diags
        self.options = options or ScanOptions()  # app_type, privacy_policy for the PI facts
        self._xml: dict[str, XmlElement | None] = {}
        self._memo: dict[Hashable, Any] = {}

    def memo(self, key: Hashable, factory: Callable[[], T]) -> T:
        """``factory()``, computed once per app and kept with these facts.

        For what several checks derive from the same facts (the decoded code strings, an
        API's argument values...): no module-level cache outlives or mixes apps. ``key``
        must say what the value is, prefixed by the asking module (``("secrets", "code
        strings")``), so two modules cannot collide.
        """
        try:
            return self._memo[key]  # type: ignore[no-any-return]
        except KeyError:
            value = self._memo[key] = factory()
            return value

    def xml_file(self, path: str) -> XmlElement | None:
        """A compiled XML file of the package (res/xml/..., res/layout/...), parsed once.

        None when it is absent or unreadable (the diagnostics then say why)."""
        if path in self._xml:
            return self._xml[path]
        archive, limit = self.pkg.archive, self.options.limits.max_xml_size
        data = archive.read(path, max_bytes=limit) if archive.get(path) else None
        if not data:
            self._xml[path] = None
            return None
        # Diagnostics once per file: a big file parsed again reports into a scratch list.
        seen = self._memo.setdefault(("facts", "xml parsed"), set())
        tree = parse_axml(data, path, Diagnostics() if path in seen else self.diags)
        seen.add(path)
        if len(data) <= _KEEP_XML_BYTES:
            self._xml[path] = tree
        return tree

    def layout_files(self) -> list[str]:
        """Paths of the compiled layout XML files (every configuration: res/layout-land/...)."""
        archive = self.pkg.archive
        return [
            n
            for n in archive.names()
            if n.startswith("res/layout")
            and n.endswith(".xml")
            and n.count("/") == 2
            and archive.alias_of(archive.get(n)) is None  # same bytes as a layout listed
        ]

    @cached_property
    def manifest(self) -> Manifest | None:
        if self.pkg.manifest_xml is None:
            return None
        return build_manifest(self.pkg.manifest_xml, self.pkg.resources, MANIFEST, self.diags)

    @property
    def code(self) -> DexSet:
        return self.pkg.dex

    @cached_property
    def hierarchy(self) -> TypeHierarchy:
        """Subtype questions across the app/framework boundary."""
        return TypeHierarchy(self.code, FrameworkHierarchy.load())

    @cached_property
    def calls(self) -> CallIndex:
        """Call sites of an API, through the receiver's subtypes (see :mod:`.calls`)."""
        return CallIndex(self.code, self.hierarchy)

    @cached_property
    def sdk_catalog(self) -> SdkCatalog:
        return SdkCatalog.load()

    @cached_property
    def owners(self) -> OwnerResolver:
        m = self.manifest
        if m is None:
            return OwnerResolver(self.sdk_catalog, "")
        # Apps may keep their code outside the application id; the Application class and
        # the launcher activities are the app's own whatever their package (SDKs declare
        # their own services and receivers, so not every component counts).
        entry_classes = [c.name for c in m.launcher_activities]
        if m.application.name:
            entry_classes.insert(0, m.application.name)
        extra = component_app_prefixes(self.sdk_catalog, m.package, entry_classes)
        return OwnerResolver(self.sdk_catalog, m.package, extra)

    @cached_property
    def values(self) -> ValueAnalysis:
        """Values reaching a use, followed across methods (see :mod:`.values`)."""
        return ValueAnalysis(self.code, self.owners, self.options.limits)

    @cached_property
    def entry_points(self) -> list[EntryPoint]:
        if self.manifest is None:
            return []
        return find_entry_points(self.manifest, self.code)

    @cached_property
    def reachability(self) -> Reachability:
        """Which methods can run, from the app's entry points (see :mod:`.reachability`)."""
        return build_reachability(self)

    @cached_property
    def pi_flow_analysis(self) -> TaintResult:
        """Inter-procedural PI taint analysis (see :mod:`mobsec.facts.taint`), with its budget."""
        return analyse_app(self, TaintBudget(seconds=self.options.taint_seconds))

    @property
    def pi_flows(self) -> list[Leak]:
        """PI source -> sink flows: where personal information leaves the app."""
        return self.pi_flow_analysis.leaks

    @cached_property
    def pi_collection(self) -> PiCollection:
        """Who reads which personal information where (see mobsec.facts.privacy.collection)."""
        from mobsec.facts.privacy.collection import collect_pi

        return collect_pi(self)

    @cached_property
    def sdks(self) -> list[FoundSdk]:
        return detect_sdks(self.code.classes.keys(), self.owners)

    @cached_property
    def sdk_versions(self) -> dict[str, SdkVersion]:
        """Versions visible in files the package ships (META-INF/*.version, properties)."""
        archive = self.pkg.archive
        found = sdk_versions_from_files(archive.names(), archive.read, self.sdk_catalog, self.diags)
        return {v.sdk_id: v for v in found}

    def sdks_json(self) -> list[dict[str, Any]]:
        out = []
        for found in self.sdks:
            doc = found.to_json()
            v = self.sdk_versions.get(found.sdk.id)
            doc["version"] = v.to_json() if v else None
            out.append(doc)
        return out

    def app_summary(self) -> dict[str, Any]:
        m = self.manifest
        assert m is not None
        return {
            "package": m.package or None,
            "version_code": m.version_code,
            "version_name": m.version_name,
            "label": m.application.label,
            "min_sdk": m.min_sdk,
            "target_sdk": m.target_sdk,
            "max_sdk": m.max_sdk,
            "compile_sdk": m.compile_sdk,
            "debuggable": m.application.debuggable,
            "allow_backup": m.application.allow_backup,
            "uses_cleartext_traffic": m.application.uses_cleartext_traffic,
            "test_only": m.application.test_only,
        }

    def code_summary(self) -> dict[str, Any]:
        code = self.code
        bad = {(d.file, d.code) for d in self.diags}
        files = []
        for dex in code.dexes:
            files.append(
                {
                    "name": dex.name,
                    "size": len(dex.data),
                    "version": dex.header.magic_version,
                    "classes": len(dex.classes),
                    "methods": dex.method_count,
                    "instructions": dex.instruction_count(),
                    "checksum_ok": (dex.name, "dex.bad_checksum") not in bad,
                }
            )
        own = sum(1 for d in code.classes if self.owners.owner_of(d).kind == "app")
        return {
            "dex_files": files,
            "classes": len(code.classes),
            "methods": code.method_count,
            "instructions": code.instruction_count,
            "own_classes": own,
            "entry_points": [e.to_json() for e in self.entry_points],
        }
