"""The manifest model: what Android will actually do with this ``AndroidManifest.xml``.

Checks never read raw XML. They ask this model, which applies the platform's defaults and
rules once, in one place: class names completed against the package, ``exported`` as the
platform computes it for the app's ``targetSdkVersion``, permissions inherited from
``<application>``, references resolved through ``resources.arsc``, protection levels of
framework permissions. Where a rule depends on the platform version, the field says which
value was used and why, so a finding can explain itself.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources as importlib_resources
from typing import Any

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.arsc import ResourceTable
from mobsec.ingest.axml import ANDROID_NS, XmlAttr, XmlElement, to_xml_text

COMPONENT_KINDS = ("activity", "activity-alias", "service", "receiver", "provider")

# A codename (e.g. minSdkVersion="Tiramisu") means "the in-development SDK".
CODENAME_SDK = 10_000

# PermissionInfo protection levels: base level in the low 4 bits, flags above.
_PROTECTION_BASE = {0: "normal", 1: "dangerous", 2: "signature", 3: "signatureOrSystem"}
_PROTECTION_FLAGS = (
    (0x10, "privileged"),
    (0x20, "development"),
    (0x40, "appop"),
    (0x80, "pre23"),
    (0x100, "installer"),
    (0x200, "verifier"),
    (0x400, "preinstalled"),
    (0x800, "setup"),
    (0x1000, "instant"),
    (0x2000, "runtime"),
    (0x4000, "oem"),
    (0x8000, "vendorPrivileged"),
    (0x10000, "textClassifier"),
    (0x20000, "wellbeing"),
    (0x40000, "documenter"),
    (0x80000, "configurator"),
    (0x100000, "incidentReportApprover"),
    (0x200000, "appPredictor"),
    (0x800000, "companion"),
    (0x1000000, "retailDemo"),
    (0x2000000, "recents"),
    (0x4000000, "role"),
    (0x8000000, "knownSigner"),
)


def decode_protection_level(level: int) -> str:
    """``0x12`` -> ``"signature|privileged"``, the way the manifest would spell it."""
    parts = [_PROTECTION_BASE.get(level & 0xF, f"base{level & 0xF}")]
    parts += [name for bit, name in _PROTECTION_FLAGS if level & bit]
    return "|".join(parts)


@cache
def platform_permissions() -> dict[str, str]:
    """Protection level of each framework permission (see the data file for its source)."""
    text = (
        importlib_resources.files("mobsec.facts")
        .joinpath("data/platform_permissions.json")
        .read_text("utf-8")
    )
    return dict(json.loads(text)["permissions"])


@dataclass(slots=True)
class IntentData:
    scheme: str | None = None
    host: str | None = None
    port: str | None = None
    path: str | None = None
    path_prefix: str | None = None
    path_pattern: str | None = None
    mime_type: str | None = None


@dataclass(slots=True)
class IntentFilter:
    actions: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    data: list[IntentData] = field(default_factory=list)
    priority: int = 0
    auto_verify: bool = False
    line: int = 0

    def is_browsable_view(self) -> bool:
        return (
            "android.intent.action.VIEW" in self.actions
            and "android.intent.category.BROWSABLE" in self.categories
        )


@dataclass(slots=True)
class DeepLink:
    """One URL pattern that opens ``component`` from a browser (VIEW + BROWSABLE)."""

    component: str
    scheme: str
    host: str | None
    port: str | None
    path: str | None
    path_prefix: str | None
    path_pattern: str | None
    auto_verify: bool

    def url(self) -> str:
        host = self.host or "*"
        port = f":{self.port}" if self.port else ""
        path = self.path or (f"{self.path_prefix}*" if self.path_prefix else None)
        path = path or self.path_pattern or ""
        return f"{self.scheme}://{host}{port}{path}"


@dataclass(slots=True)
class Component:
    kind: str  # activity, activity-alias, service, receiver, provider
    name: str  # fully qualified class name
    line: int
    enabled: bool = True
    exported_declared: bool | None = None
    exported: bool = False  # effective, after the platform's default rule
    exported_reason: str = ""  # "declared", "intent-filter", "no-intent-filter", "provider-sdk"
    # targetSdk >= 31 with intent filters and no android:exported: install fails.
    missing_exported_blocks_install: bool = False
    permission: str | None = None
    permission_source: str | None = None  # "declared", "application", "target-activity"
    read_permission: str | None = None
    write_permission: str | None = None
    intent_filters: list[IntentFilter] = field(default_factory=list)
    launch_mode: str | None = None
    task_affinity: str | None = None
    allow_task_reparenting: bool = False
    process: str | None = None
    direct_boot_aware: bool = False
    target_activity: str | None = None  # activity-alias only
    authorities: list[str] = field(default_factory=list)  # provider only
    grant_uri_permissions: bool = False
    grant_uri_permission_paths: list[dict[str, str]] = field(default_factory=list)
    path_permissions: list[dict[str, str | None]] = field(default_factory=list)
    meta_data: list[dict[str, Any]] = field(default_factory=list)
    # Every attribute as read (resolved), keyed "android:name" / "name": for checks that
    # need something not modelled above (screenOrientation, foregroundServiceType, ...).
    attributes: dict[str, Any] = field(default_factory=dict)

    def has_action(self, action: str) -> bool:
        return any(action in f.actions for f in self.intent_filters)

    def is_launcher(self) -> bool:
        """An enabled activity/alias with a MAIN + LAUNCHER intent filter."""
        if self.kind not in ("activity", "activity-alias") or not self.enabled:
            return False
        return any(
            "android.intent.action.MAIN" in f.actions
            and "android.intent.category.LAUNCHER" in f.categories
            for f in self.intent_filters
        )


@dataclass(slots=True)
class UsesPermission:
    name: str
    max_sdk: int | None = None
    sdk23_only: bool = False  # <uses-permission-sdk-23>
    protection_level: str | None = None  # from the platform or this app's <permission>
    flags: int = 0  # android:usesPermissionFlags (neverForLocation = 0x10000)


@dataclass(slots=True)
class PermissionDef:
    name: str
    protection_level: str
    group: str | None = None
    label: str | None = None
    line: int = 0


_LAUNCH_MODES = {
    0: "standard",
    1: "singleTop",
    2: "singleTask",
    3: "singleInstance",
    4: "singleInstancePerTask",
}


@dataclass(slots=True)
class Application:
    name: str | None = None  # Application subclass, fully qualified
    label: str | None = None
    debuggable: bool = False
    # android:debuggable given as a reference: the value then depends on the resource
    # configuration, and apksig refuses to decide; checks may want to flag it anyway.
    debuggable_is_reference: bool = False
    allow_backup: bool = True
    full_backup_content: str | bool | None = None
    data_extraction_rules: str | None = None
    uses_cleartext_traffic: bool = True
    uses_cleartext_traffic_declared: bool | None = None
    test_only: bool = False
    network_security_config: str | None = None  # resolved file path, e.g. res/xml/nsc.xml
    extract_native_libs: bool = True
    has_fragile_user_data: bool = False
    request_legacy_external_storage: bool = False
    large_heap: bool = False
    task_affinity: str | None = None
    app_component_factory: str | None = None
    permission: str | None = None
    process: str | None = None
    backup_agent: str | None = None
    enabled: bool = True
    meta_data: list[dict[str, Any]] = field(default_factory=list)  # often holds SDK keys
    line: int = 0


@dataclass(slots=True)
class Manifest:
    package: str = ""
    version_code: int | None = None
    version_name: str | None = None
    compile_sdk: int | None = None
    platform_build_version_code: int | None = None
    platform_build_version_name: str | None = None
    min_sdk: int = 1
    target_sdk: int = 1
    max_sdk: int | None = None
    min_sdk_codename: str | None = None
    shared_user_id: str | None = None
    install_location: str | None = None
    application: Application = field(default_factory=Application)
    components: list[Component] = field(default_factory=list)
    uses_permissions: list[UsesPermission] = field(default_factory=list)
    permissions: list[PermissionDef] = field(default_factory=list)
    permission_groups: list[str] = field(default_factory=list)
    uses_features: list[dict[str, Any]] = field(default_factory=list)
    uses_libraries: list[dict[str, Any]] = field(default_factory=list)
    queries: dict[str, list[Any]] = field(
        default_factory=lambda: {"packages": [], "intents": [], "providers": []}
    )
    instrumentations: list[dict[str, Any]] = field(default_factory=list)
    deep_links: list[DeepLink] = field(default_factory=list)
    install_blockers: list[str] = field(default_factory=list)

    def components_of(self, kind: str) -> list[Component]:
        return [c for c in self.components if c.kind == kind]

    @property
    def launcher_activities(self) -> list[Component]:
        """Enabled activities/aliases with a MAIN + LAUNCHER intent filter."""
        return [c for c in self.components if c.is_launcher()]

    def permission_names(self) -> list[str]:
        return [p.name for p in self.uses_permissions]

    def to_json(self) -> dict[str, Any]:
        """Plain dict (JSON-serialisable) for the report."""
        out = _plain(self)
        out["launcher_activities"] = [c.name for c in self.launcher_activities]
        return out


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _plain(v: Any) -> Any:
    """What ``dataclasses.asdict`` gives, without its deep copies (5x faster on 100k
    components: the manifest model is fresh, nobody else holds its lists)."""
    if v is None or isinstance(v, str | int | float):
        return v
    if isinstance(v, list | tuple):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    names = _FIELD_NAMES.get(type(v))
    if names is None:
        names = _FIELD_NAMES[type(v)] = tuple(f.name for f in dataclasses.fields(v))
    return {n: _plain(getattr(v, n)) for n in names}


# -------------------------------------------------------------------------------------------
# Building the model


def build_manifest(
    root: XmlElement,
    resources: ResourceTable | None,
    file: str,
    diags: Diagnostics,
) -> Manifest:
    """Apply Android's manifest rules to a parsed tree (from :func:`parse_axml`)."""
    return _Builder(resources, file, diags).build(root)


def manifest_excerpt(component_or_root: XmlElement, resources: ResourceTable | None) -> str:
    """Evidence text for a report: the element with its attributes, a few lines.

    ``<application>`` and ``<manifest>`` hold the whole app: only their own start tag (the
    attributes checks judge) is shown; a component keeps its intent filters.
    """
    if component_or_root.tag in ("application", "manifest"):
        return to_xml_text(component_or_root, resources, max_depth=0)
    return to_xml_text(component_or_root, resources, max_depth=2, max_children=8)


class _Builder:
    def __init__(self, resources: ResourceTable | None, file: str, diags: Diagnostics) -> None:
        self.res = resources
        self.file = file
        self.diags = diags

    # -- typed attribute access -------------------------------------------------------------

    def raw(self, el: XmlElement, name: str, ns: str = ANDROID_NS) -> XmlAttr | None:
        return el.attr(name, ns)

    def value(self, el: XmlElement, name: str, ns: str = ANDROID_NS) -> Any:
        a = el.attr(name, ns)
        return None if a is None else a.value(self.res)

    def string(self, el: XmlElement, name: str, ns: str = ANDROID_NS) -> str | None:
        v = self.value(el, name, ns)
        if v is None:
            return None
        if isinstance(v, bool):
            return "true" if v else "false"
        return str(v)

    def boolean(self, el: XmlElement, name: str, default: bool) -> bool:
        v = self.optional_bool(el, name)
        return default if v is None else v

    def optional_bool(self, el: XmlElement, name: str) -> bool | None:
        v = self.value(el, name)
        if isinstance(v, bool):
            return v
        if isinstance(v, int):
            return v != 0
        if isinstance(v, str):
            low = v.strip().lower()
            if low in ("true", "false"):
                return low == "true"
        if v is not None:
            self.diags.warning(
                "manifest.bad_boolean",
                self.file,
                f"android:{name} has a value that is not a boolean: {v!r}",
                f"android:{name} 的值不是布尔值：{v!r}",
                attribute=name,
                line=el.line,
            )
        return None

    def integer(self, el: XmlElement, name: str, ns: str = ANDROID_NS) -> int | None:
        v = self.value(el, name, ns)
        if isinstance(v, bool):
            return int(v)
        if isinstance(v, int):
            return v
        if isinstance(v, str) and v.strip().lstrip("-").isdigit() and len(v) < 12:
            return int(v.strip())
        return None

    def class_name(self, package: str, el: XmlElement, attr: str = "name") -> str | None:
        v = self.string(el, attr)
        if not v:
            return None
        return qualify_class_name(package, v)

    # -- the manifest ---------------------------------------------------------------------

    def build(self, root: XmlElement) -> Manifest:
        m = Manifest()
        if root.tag != "manifest":
            self.diags.warning(
                "manifest.bad_root",
                self.file,
                f"root element is <{root.tag}>, not <manifest>; Android would reject the APK",
                f"根元素是 <{root.tag}> 而非 <manifest>；Android会拒绝该APK",
            )
        m.package = self.string(root, "package", "") or ""
        if not m.package:
            self.diags.warning(
                "manifest.no_package",
                self.file,
                "manifest has no package name",
                "清单文件缺少包名",
            )
        m.version_code = self.integer(root, "versionCode")
        m.version_name = self.string(root, "versionName")
        m.compile_sdk = self.integer(root, "compileSdkVersion")
        m.platform_build_version_code = self.integer(root, "platformBuildVersionCode", "")
        m.platform_build_version_name = self.string(root, "platformBuildVersionName", "")
        m.shared_user_id = self.string(root, "sharedUserId")
        loc = self.value(root, "installLocation")
        if loc is not None:
            m.install_location = (
                {0: "auto", 1: "internalOnly", 2: "preferExternal"}.get(loc, str(loc))
                if isinstance(loc, int)
                else str(loc)
            )
        self._sdk(root, m)
        for child in root.children:
            tag = child.tag
            if tag in ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m"):
                self._uses_permission(child, m, sdk23=tag != "uses-permission")
            elif tag == "permission":
                self._permission(child, m)
            elif tag == "permission-group":
                name = self.string(child, "name")
                if name:
                    m.permission_groups.append(name)
            elif tag == "uses-feature":
                m.uses_features.append(
                    {
                        "name": self.string(child, "name"),
                        "required": self.boolean(child, "required", True),
                        "gl_es_version": self.integer(child, "glEsVersion"),
                    }
                )
            elif tag == "queries":
                self._queries(child, m)
            elif tag == "instrumentation":
                m.instrumentations.append(
                    {
                        "name": self.class_name(m.package, child),
                        "target_package": self.string(child, "targetPackage"),
                        "handle_profiling": self.boolean(child, "handleProfiling", False),
                        "functional_test": self.boolean(child, "functionalTest", False),
                    }
                )
        apps = [c for c in root.children if c.tag == "application"]
        if len(apps) > 1:
            self.diags.warning(
                "manifest.multiple_applications",
                self.file,
                "more than one <application>; only the first is used (newer Android rejects it)",
                "存在多个 <application>；仅使用第一个（新版Android会拒绝安装）",
            )
        if apps:
            self._application(apps[0], m)
        self._protection_levels(m)
        if any(c.missing_exported_blocks_install for c in m.components):
            m.install_blockers.append("missing-exported-with-intent-filter")
        return m

    def _sdk(self, root: XmlElement, m: Manifest) -> None:
        min_sdk: int | None = None
        target: int | None = None
        for el in root.children:
            if el.tag != "uses-sdk":
                continue
            v = self.value(el, "minSdkVersion")
            if isinstance(v, int) and not isinstance(v, bool):
                min_sdk = v
            elif isinstance(v, str) and v:
                if v.isdigit():
                    min_sdk = int(v)
                else:
                    m.min_sdk_codename = v
                    min_sdk = CODENAME_SDK
            t = self.value(el, "targetSdkVersion")
            if isinstance(t, int) and not isinstance(t, bool):
                target = t
            elif isinstance(t, str) and t:
                target = int(t) if t.isdigit() else CODENAME_SDK
            m.max_sdk = self.integer(el, "maxSdkVersion")
            break
        m.min_sdk = min_sdk if min_sdk is not None else 1
        m.target_sdk = target if target is not None else m.min_sdk

    def _uses_permission(self, el: XmlElement, m: Manifest, sdk23: bool) -> None:
        name = self.string(el, "name")
        if not name:
            return
        m.uses_permissions.append(
            UsesPermission(
                name=name,
                max_sdk=self.integer(el, "maxSdkVersion"),
                sdk23_only=sdk23,
                flags=self.integer(el, "usesPermissionFlags") or 0,
            )
        )

    def _permission(self, el: XmlElement, m: Manifest) -> None:
        name = self.string(el, "name")
        if not name:
            return
        level = self.value(el, "protectionLevel")
        if isinstance(level, int) and not isinstance(level, bool):
            text = decode_protection_level(level)
        elif isinstance(level, str):
            text = level
        else:
            text = "normal"
        m.permissions.append(
            PermissionDef(
                name=name,
                protection_level=text,
                group=self.string(el, "permissionGroup"),
                label=self.string(el, "label"),
                line=el.line,
            )
        )

    def _protection_levels(self, m: Manifest) -> None:
        own = {p.name: p.protection_level for p in m.permissions}
        platform = platform_permissions()
        for up in m.uses_permissions:
            up.protection_level = own.get(up.name) or platform.get(up.name)

    def _queries(self, el: XmlElement, m: Manifest) -> None:
        # Android merges every <queries> element; keep adding to the same lists.
        packages: list[Any] = m.queries["packages"]
        intents: list[Any] = m.queries["intents"]
        providers: list[Any] = m.queries["providers"]
        for child in el.children:
            if child.tag == "package":
                name = self.string(child, "name")
                if name:
                    packages.append(name)
            elif child.tag == "intent":
                intents.append(dataclasses.asdict(self._intent_filter(child)))
            elif child.tag == "provider":
                auth = self.string(child, "authorities")
                if auth:
                    providers.extend(a for a in auth.split(";") if a)

    # -- application and components -------------------------------------------------------

    def _application(self, el: XmlElement, m: Manifest) -> None:
        app = m.application
        app.line = el.line
        app.name = self.class_name(m.package, el)
        app.label = self.string(el, "label")
        app.debuggable = self.boolean(el, "debuggable", False)
        dbg = el.attr("debuggable")
        app.debuggable_is_reference = dbg is not None and dbg.is_reference()
        app.allow_backup = self.boolean(el, "allowBackup", True)
        fbc = el.attr("fullBackupContent")
        if fbc is not None:
            app.full_backup_content = (
                self._resource_path(fbc)
                if fbc.is_reference()
                else self.optional_bool(el, "fullBackupContent")
            )
        der = el.attr("dataExtractionRules")
        if der is not None:
            app.data_extraction_rules = self._resource_path(der)
        declared_cleartext = self.optional_bool(el, "usesCleartextTraffic")
        app.uses_cleartext_traffic_declared = declared_cleartext
        app.uses_cleartext_traffic = (
            declared_cleartext if declared_cleartext is not None else m.target_sdk < 28
        )
        app.test_only = self.boolean(el, "testOnly", False)
        nsc = el.attr("networkSecurityConfig")
        if nsc is not None:
            app.network_security_config = self._resource_path(nsc)
        app.extract_native_libs = self.boolean(el, "extractNativeLibs", True)
        app.has_fragile_user_data = self.boolean(el, "hasFragileUserData", False)
        app.request_legacy_external_storage = self.boolean(
            el, "requestLegacyExternalStorage", False
        )
        app.large_heap = self.boolean(el, "largeHeap", False)
        app.task_affinity = self.string(el, "taskAffinity")
        app.app_component_factory = self.class_name(m.package, el, "appComponentFactory")
        app.backup_agent = self.class_name(m.package, el, "backupAgent")
        app.permission = self.string(el, "permission")
        app.process = self.string(el, "process")
        app.enabled = self.boolean(el, "enabled", True)

        activities: dict[str, Component] = {}
        aliases: list[Component] = []
        for child in el.children:
            if child.tag == "meta-data":
                app.meta_data.append(self._meta_data(child))
                continue
            if child.tag in ("uses-library", "uses-native-library"):
                m.uses_libraries.append(
                    {
                        "name": self.string(child, "name"),
                        "required": self.boolean(child, "required", True),
                        "native": child.tag == "uses-native-library",
                    }
                )
                continue
            if child.tag not in COMPONENT_KINDS:
                continue
            comp = self._component(child, m)
            if comp is None:
                continue
            m.components.append(comp)
            if comp.kind == "activity":
                activities.setdefault(comp.name, comp)
            elif comp.kind == "activity-alias":
                aliases.append(comp)
        for alias in aliases:
            target = activities.get(alias.target_activity or "")
            if target is None:
                self.diags.warning(
                    "manifest.alias_target_missing",
                    self.file,
                    f"activity-alias {alias.name} targets an activity not declared before it",
                    f"activity-alias {alias.name} 指向的Activity未在其之前声明",
                    line=alias.line,
                )
            elif alias.permission_source != "declared":
                alias.permission = target.permission
                alias.permission_source = "target-activity" if target.permission else None
        for comp in m.components:
            for f in comp.intent_filters:
                if f.is_browsable_view():
                    m.deep_links.extend(_deep_links(comp.name, f))

    def _resource_path(self, a: XmlAttr) -> str | None:
        """A reference attribute as the file it names (``res/xml/x.xml``) or its name."""
        if a.is_reference() and self.res is not None:
            v = self.res.resolve(a.data)
            if v is not None and isinstance(v.value(), str):
                return str(v.value())
            return self.res.name_of(a.data) or f"@0x{a.data:08x}"
        v = a.value(self.res)
        return None if v is None else str(v)

    def _component(self, el: XmlElement, m: Manifest) -> Component | None:
        kind = el.tag
        name = self.class_name(m.package, el)
        if not name:
            self.diags.warning(
                "manifest.component_without_name",
                self.file,
                f"<{kind}> without android:name (line {el.line}); Android would reject the APK",
                f"<{kind}> 缺少 android:name（第 {el.line} 行）；Android会拒绝该APK",
                line=el.line,
            )
            return None
        c = Component(kind=kind, name=name, line=el.line)
        for a in el.attrs[:200]:
            key = f"android:{a.name}" if a.ns == ANDROID_NS else a.name
            v = a.value(self.res)
            c.attributes[key] = v if not isinstance(v, float) else round(v, 6)
        c.enabled = self.boolean(el, "enabled", True)
        c.exported_declared = self.optional_bool(el, "exported")
        for child in el.children:
            if child.tag == "intent-filter":
                c.intent_filters.append(self._intent_filter(child))
            elif child.tag == "meta-data":
                c.meta_data.append(self._meta_data(child))
            elif child.tag == "grant-uri-permission":
                c.grant_uri_permission_paths.append(
                    {
                        k: v
                        for k in ("path", "pathPrefix", "pathPattern")
                        if (v := self.string(child, k)) is not None
                    }
                )
            elif child.tag == "path-permission":
                c.path_permissions.append(
                    {
                        "path": self.string(child, "path"),
                        "path_prefix": self.string(child, "pathPrefix"),
                        "path_pattern": self.string(child, "pathPattern"),
                        "permission": self.string(child, "permission"),
                        "read_permission": self.string(child, "readPermission"),
                        "write_permission": self.string(child, "writePermission"),
                    }
                )
        self._exported(c, m.target_sdk)
        declared_perm = self.string(el, "permission")
        if declared_perm:
            c.permission, c.permission_source = declared_perm, "declared"
        elif m.application.permission:
            c.permission, c.permission_source = m.application.permission, "application"
        if kind == "provider":
            c.read_permission = self.string(el, "readPermission") or c.permission
            c.write_permission = self.string(el, "writePermission") or c.permission
            auth = self.string(el, "authorities") or ""
            c.authorities = [a for a in auth.split(";") if a]
            c.grant_uri_permissions = self.boolean(el, "grantUriPermissions", False)
        mode = self.value(el, "launchMode")
        if isinstance(mode, int) and not isinstance(mode, bool):
            c.launch_mode = _LAUNCH_MODES.get(mode, str(mode))
        elif mode is not None:
            c.launch_mode = str(mode)
        c.task_affinity = self.string(el, "taskAffinity")
        c.allow_task_reparenting = self.boolean(el, "allowTaskReparenting", False)
        c.process = self.string(el, "process")
        c.direct_boot_aware = self.boolean(el, "directBootAware", False)
        if kind == "activity-alias":
            target = self.string(el, "targetActivity")
            c.target_activity = qualify_class_name(m.package, target) if target else None
        return c

    def _exported(self, c: Component, target_sdk: int) -> None:
        if c.exported_declared is not None:
            c.exported, c.exported_reason = c.exported_declared, "declared"
            return
        if c.kind == "provider":
            c.exported = target_sdk <= 16
            c.exported_reason = "provider-sdk"
            return
        has_filters = bool(c.intent_filters)
        c.exported = has_filters
        c.exported_reason = "intent-filter" if has_filters else "no-intent-filter"
        if has_filters and target_sdk >= 31:
            c.missing_exported_blocks_install = True
            self.diags.warning(
                "manifest.exported_required",
                self.file,
                f"{c.name} has intent filters but no android:exported; with targetSdkVersion "
                f">= 31 Android refuses to install the app",
                f"{c.name} 含有intent-filter但未声明android:exported；targetSdkVersion >= 31 时"
                f"Android将拒绝安装该应用",
                component=c.name,
                line=c.line,
            )

    def _intent_filter(self, el: XmlElement) -> IntentFilter:
        f = IntentFilter(line=el.line)
        f.priority = self.integer(el, "priority") or 0
        f.auto_verify = self.boolean(el, "autoVerify", False)
        for child in el.children:
            if child.tag == "action":
                name = self.string(child, "name")
                if name:
                    f.actions.append(name)
            elif child.tag == "category":
                name = self.string(child, "name")
                if name:
                    f.categories.append(name)
            elif child.tag == "data":
                f.data.append(
                    IntentData(
                        scheme=self.string(child, "scheme"),
                        host=self.string(child, "host"),
                        port=self.string(child, "port"),
                        path=self.string(child, "path"),
                        path_prefix=self.string(child, "pathPrefix"),
                        path_pattern=self.string(child, "pathPattern"),
                        mime_type=self.string(child, "mimeType"),
                    )
                )
        return f

    def _meta_data(self, el: XmlElement) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.string(el, "name")}
        v = el.attr("value")
        if v is not None:
            out["value"] = v.value(self.res)
        r = el.attr("resource")
        if r is not None:
            out["resource"] = self._resource_path(r)
        return out


def qualify_class_name(package: str, name: str) -> str:
    """Android's rule (PackageParser.buildClassName): ``.Foo`` and ``Foo`` -> ``package.Foo``."""
    name = name.strip()
    if name.startswith("."):
        return package + name
    if "." not in name:
        return f"{package}.{name}" if package else name
    return name


def _deep_links(component: str, f: IntentFilter) -> list[DeepLink]:
    """URL patterns of a VIEW+BROWSABLE filter.

    Android merges every ``<data>`` of one filter: each scheme combines with each
    host/port and each path, whichever element declared them.
    """
    schemes = list(dict.fromkeys(d.scheme for d in f.data if d.scheme))
    hosts = list(dict.fromkeys((d.host, d.port) for d in f.data if d.host)) or [(None, None)]
    paths = list(
        dict.fromkeys(
            (d.path, d.path_prefix, d.path_pattern)
            for d in f.data
            if d.path or d.path_prefix or d.path_pattern
        )
    ) or [(None, None, None)]
    return [
        DeepLink(component, s, h, port, p, pp, pat, f.auto_verify)
        for s in schemes
        for h, port in hosts
        for p, pp, pat in paths
    ][:1000]
