"""The app's network security policy: its network_security_config file plus the platform defaults.

Why a model and not XPath in each check: what an app actually allows depends on rules the
platform applies — the defaults per ``targetSdkVersion``, nested ``<domain-config>``
inheriting what they do not set, ``<trust-anchors>`` replacing (not extending) the inherited
ones, ``<debug-overrides>`` counting only in debuggable builds, ``usesCleartextTraffic``
ignored once a config file exists (API 24+). This module applies them once, so checks ask
"is cleartext permitted for this host?" and get an answer with its reason.

Rules follow AOSP ``android.security.net.config`` (``XmlConfigSource``,
``NetworkSecurityConfig.getDefaultBuilder``, ``ApplicationConfig.getConfigForHostname``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mobsec.diagnostics import Diagnostics
from mobsec.ingest.arsc import ResourceTable
from mobsec.ingest.axml import XmlElement, parse_axml, to_xml_text
from mobsec.report.model import Text

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

ROOT_TAG = "network-security-config"
# A config is tiny; anything beyond these is a crafted file and the rest is ignored.
MAX_DOMAIN_CONFIGS = 5_000
MAX_DOMAINS = 20_000
MAX_PINS = 1_000
MAX_CERTIFICATES = 1_000
MAX_XML_BYTES = 4 * 1024 * 1024
P = 28  # Android 9: cleartext off by default
M = 23  # Android 6: last level whose apps trust user-installed CAs by default
N = 24  # Android 7: the first level that reads network_security_config


@dataclass(frozen=True, slots=True)
class Certificates:
    """One ``<certificates>`` trust anchor: ``src`` is "system", "user" or a resource."""

    src: str
    override_pins: bool
    line: int

    @property
    def is_user(self) -> bool:
        return self.src == "user"


@dataclass(frozen=True, slots=True)
class Pin:
    digest: str
    value: str
    line: int


@dataclass(frozen=True, slots=True)
class PinSet:
    pins: tuple[Pin, ...]
    expiration: dt.date | None
    expiration_text: str | None  # as written, also when it is not a valid date
    line: int

    def expired(self, today: dt.date) -> bool:
        """Android ignores the pins from the day after ``expiration`` on."""
        return self.expiration is not None and self.expiration < today


@dataclass(frozen=True, slots=True)
class Domain:
    name: str  # lower-cased, as Android compares it
    include_subdomains: bool
    line: int


@dataclass(slots=True)
class DomainConfig:
    """A ``<domain-config>`` with the values it declares and those in force after
    inheritance from the enclosing domain-config, base-config and platform defaults."""

    line: int
    domains: list[Domain] = field(default_factory=list)
    cleartext_declared: bool | None = None
    anchors_declared: list[Certificates] | None = None
    pin_set_declared: PinSet | None = None
    depth: int = 0  # 0 for a top-level domain-config
    # effective values (filled by the builder)
    cleartext: bool = False
    anchors: tuple[Certificates, ...] = ()
    pin_set: PinSet | None = None

    def names(self) -> list[str]:
        return [d.name for d in self.domains]


@dataclass(slots=True)
class NetworkConfig:
    """The policy in force. ``file`` is None when the app has no config file (or it could
    not be read); then only the platform defaults and the manifest apply."""

    target_sdk: int
    debuggable: bool
    file: str | None = None
    base_line: int | None = None  # <base-config>, when declared
    base_cleartext_declared: bool | None = None
    base_anchors_declared: list[Certificates] | None = None
    base_cleartext: bool = False  # effective, for hosts no domain-config matches
    base_anchors: tuple[Certificates, ...] = ()
    base_cleartext_reason: Text = field(default_factory=lambda: Text("", ""))
    domain_configs: list[DomainConfig] = field(default_factory=list)
    debug_overrides: list[Certificates] = field(default_factory=list)
    debug_overrides_line: int | None = None
    root: XmlElement | None = field(default=None, repr=False)

    @property
    def has_file(self) -> bool:
        return self.file is not None

    def config_for(self, host: str) -> DomainConfig | None:
        """The domain-config Android applies to ``host``: an exact domain match wins,
        else the longest matching includeSubdomains domain (as ApplicationConfig does)."""
        host = _normalise_host(host)
        if not host:
            return None
        best: tuple[int, DomainConfig] | None = None
        for dc in self.domain_configs:
            for d in dc.domains:
                if d.name == host:
                    return dc
                longer = best is None or len(d.name) > best[0]
                if d.include_subdomains and host.endswith("." + d.name) and longer:
                    best = (len(d.name), dc)
        return best[1] if best else None

    def cleartext_permitted(self, host: str) -> tuple[bool, Text]:
        """Whether plain HTTP to ``host`` is allowed, and why (both languages, for messages)."""
        dc = self.config_for(host)
        if dc is not None:
            declared = dc.cleartext_declared is not None
            return dc.cleartext, Text(
                f"domain-config line {dc.line} ({'declared' if declared else 'inherited'})",
                f"domain-config 第 {dc.line} 行({'显式声明' if declared else '继承'})",
            )
        return self.base_cleartext, self.base_cleartext_reason

    def excerpt(self, line: int, resources: ResourceTable | None = None) -> str:
        """The config element at ``line`` as readable XML, for a finding's evidence."""
        if self.root is None:
            return ""
        for el in self.root.iter():
            if el.line == line:
                return to_xml_text(el, resources, max_depth=3, max_chars=2000)
        return ""

    def all_pin_sets(self) -> list[PinSet]:
        return [dc.pin_set_declared for dc in self.domain_configs if dc.pin_set_declared]


def network_config(facts: AppFacts) -> NetworkConfig:
    """The app's policy, computed once per app (kept on ``facts`` like a cached_property,
    so diagnostics about the file are reported once however many checks ask)."""
    cache = vars(facts)
    found = cache.get("_network_config")
    if isinstance(found, NetworkConfig):
        return found
    manifest = facts.manifest
    if manifest is None:
        cfg = NetworkConfig(target_sdk=1, debuggable=False)
        _apply_defaults(cfg, None)
    else:
        app = manifest.application
        root = None
        path = app.network_security_config
        if path:
            root = _read_xml(facts, path)
        cfg = build_network_config(
            root,
            path if root is not None else None,
            target_sdk=manifest.target_sdk,
            debuggable=app.debuggable,
            uses_cleartext_traffic=app.uses_cleartext_traffic,
            uses_cleartext_traffic_declared=app.uses_cleartext_traffic_declared is not None,
            diags=facts.diags,
        )
    cache["_network_config"] = cfg
    return cfg


def _read_xml(facts: AppFacts, path: str) -> XmlElement | None:
    archive = facts.pkg.archive
    if archive.get(path) is None:
        facts.diags.warning(
            "nsc.missing",
            path,
            "the manifest names a network security config that is not in the package; "
            "Android would fail to start the app",
            "清单指定的网络安全配置文件不在安装包中;Android 将无法启动该应用",
        )
        return None
    data = archive.read(path, MAX_XML_BYTES)
    if data is None:
        return None  # the archive reader already said why
    return parse_axml(data, path, facts.diags)


def build_network_config(
    root: XmlElement | None,
    file: str | None,
    *,
    target_sdk: int,
    debuggable: bool,
    uses_cleartext_traffic: bool,
    diags: Diagnostics,
    uses_cleartext_traffic_declared: bool = False,
) -> NetworkConfig:
    """Apply the platform's rules to a parsed config (``root`` None: no config file)."""
    cfg = NetworkConfig(target_sdk=target_sdk, debuggable=debuggable)
    if root is None or file is None:
        _apply_defaults(cfg, uses_cleartext_traffic, uses_cleartext_traffic_declared)
        return cfg
    cfg.file = file
    cfg.root = root
    if root.tag != ROOT_TAG:
        diags.warning(
            "nsc.bad_root",
            file,
            f"root element is <{root.tag}>, not <{ROOT_TAG}>; Android would reject the file",
            f"根元素为 <{root.tag}> 而非 <{ROOT_TAG}>;Android 会拒绝该文件",
        )
    budget = _Budget()
    base_seen = False
    for el in root.children:
        if el.tag == "base-config":
            if base_seen:
                _duplicate(diags, file, el)
                continue
            base_seen = True
            cfg.base_line = el.line
            cfg.base_cleartext_declared = _bool_attr(el, "cleartextTrafficPermitted")
            anchors = _first_child(el, "trust-anchors")
            if anchors is not None:
                cfg.base_anchors_declared = _certificates(anchors, budget)
        elif el.tag == "debug-overrides":
            if cfg.debug_overrides_line is not None:
                _duplicate(diags, file, el)
                continue
            cfg.debug_overrides_line = el.line
            anchors = _first_child(el, "trust-anchors")
            if anchors is not None:
                cfg.debug_overrides = _certificates(anchors, budget)
    _apply_defaults(cfg, None)
    for el in root.children:
        if el.tag == "domain-config":
            _domain_configs(cfg, el, budget)
    if budget.exhausted:
        diags.warning(
            "nsc.too_large",
            file,
            "the network security config has more entries than any real app; the rest was ignored",
            "网络安全配置的条目数超出正常应用范围;其余部分已忽略",
        )
    return cfg


def _apply_defaults(
    cfg: NetworkConfig, uses_cleartext_traffic: bool | None, declared: bool = False
) -> None:
    """Base-config values: declared ones, else the platform defaults for targetSdk."""
    if cfg.base_cleartext_declared is not None:
        cfg.base_cleartext = cfg.base_cleartext_declared
        cfg.base_cleartext_reason = Text(
            f"base-config line {cfg.base_line}", f"base-config 第 {cfg.base_line} 行"
        )
    elif cfg.file is None and uses_cleartext_traffic is not None:
        # Without a config file the manifest attribute (or its targetSdk default) decides.
        cfg.base_cleartext = uses_cleartext_traffic
        cfg.base_cleartext_reason = (
            Text("manifest android:usesCleartextTraffic", "清单中的 android:usesCleartextTraffic")
            if declared
            else Text(
                f"no network security config; default for targetSdkVersion {cfg.target_sdk}",
                f"无网络安全配置;targetSdkVersion {cfg.target_sdk} 的默认值",
            )
        )
    else:
        cfg.base_cleartext = cfg.target_sdk < P
        cfg.base_cleartext_reason = Text(
            f"platform default for targetSdkVersion {cfg.target_sdk}",
            f"targetSdkVersion {cfg.target_sdk} 的平台默认值",
        )
    if cfg.base_anchors_declared is not None:
        anchors = list(cfg.base_anchors_declared)
    else:
        anchors = [Certificates("system", False, 0)]
        if cfg.target_sdk <= M:
            anchors.append(Certificates("user", False, 0))
    if cfg.debuggable:
        anchors.extend(cfg.debug_overrides)
    cfg.base_anchors = tuple(anchors)


class _Budget:
    """Counts what a hostile file could multiply; past a limit, the rest is skipped."""

    def __init__(self) -> None:
        self.domain_configs = 0
        self.domains = 0
        self.pins = 0
        self.certificates = 0
        self.exhausted = False

    def take(self, what: str, limit: int) -> bool:
        n = getattr(self, what) + 1
        if n > limit:
            self.exhausted = True
            return False
        setattr(self, what, n)
        return True


def _domain_configs(cfg: NetworkConfig, top: XmlElement, budget: _Budget) -> None:
    """Walk nested domain-configs iteratively, each inheriting from its parent."""
    stack: list[tuple[XmlElement, DomainConfig | None, int]] = [(top, None, 0)]
    while stack:
        el, parent, depth = stack.pop()
        if not budget.take("domain_configs", MAX_DOMAIN_CONFIGS):
            return
        dc = DomainConfig(line=el.line, depth=depth)
        dc.cleartext_declared = _bool_attr(el, "cleartextTrafficPermitted")
        nested: list[XmlElement] = []
        for child in el.children:
            if child.tag == "domain":
                name = _normalise_host(child.text)
                if name and budget.take("domains", MAX_DOMAINS):
                    inc = bool(_bool_attr(child, "includeSubdomains"))
                    dc.domains.append(Domain(name, inc, child.line))
            elif child.tag == "trust-anchors" and dc.anchors_declared is None:
                dc.anchors_declared = _certificates(child, budget)
            elif child.tag == "pin-set" and dc.pin_set_declared is None:
                dc.pin_set_declared = _pin_set(child, budget)
            elif child.tag == "domain-config":
                nested.append(child)
        if parent is None:
            inherited_cleartext, inherited_anchors = cfg.base_cleartext, cfg.base_anchors
            inherited_pins = None
        else:
            inherited_cleartext, inherited_anchors = parent.cleartext, parent.anchors
            inherited_pins = parent.pin_set
        dc.cleartext = (
            dc.cleartext_declared if dc.cleartext_declared is not None else inherited_cleartext
        )
        if dc.anchors_declared is not None:
            anchors = list(dc.anchors_declared)
            if cfg.debuggable:
                anchors.extend(cfg.debug_overrides)
            dc.anchors = tuple(anchors)
        else:
            dc.anchors = inherited_anchors
        dc.pin_set = dc.pin_set_declared or inherited_pins
        cfg.domain_configs.append(dc)
        stack.extend((child, dc, depth + 1) for child in reversed(nested))


def _certificates(anchors: XmlElement, budget: _Budget) -> list[Certificates]:
    out = []
    for c in anchors.children:
        if c.tag != "certificates" or not budget.take("certificates", MAX_CERTIFICATES):
            continue
        src = _str_attr(c, "src") or ""
        out.append(Certificates(src, bool(_bool_attr(c, "overridePins")), c.line))
    return out


def _pin_set(el: XmlElement, budget: _Budget) -> PinSet:
    pins = []
    for p in el.children:
        if p.tag == "pin" and budget.take("pins", MAX_PINS):
            pins.append(Pin(_str_attr(p, "digest") or "", p.text.strip()[:200], p.line))
    text = _str_attr(el, "expiration")
    expiration = None
    if text:
        try:
            expiration = dt.date.fromisoformat(text.strip()[:10])
        except ValueError:
            expiration = None
    return PinSet(tuple(pins), expiration, text, el.line)


def _first_child(el: XmlElement, tag: str) -> XmlElement | None:
    return next((c for c in el.children if c.tag == tag), None)


def _attr(el: XmlElement, name: str):
    # The config's attributes have no namespace; tolerate an android: prefix, which the
    # platform's XmlPullParser lookup (namespace null) would not see, so prefer the plain one.
    for a in el.attrs:
        if a.name == name and not a.ns:
            return a
    return None


def _str_attr(el: XmlElement, name: str) -> str | None:
    a = _attr(el, name)
    if a is None:
        return None
    if a.is_reference() and a.raw is None:
        return f"@0x{a.data:08x}"
    v = a.raw if a.raw is not None else a.value()
    return None if v is None else str(v)


def _bool_attr(el: XmlElement, name: str) -> bool | None:
    a = _attr(el, name)
    if a is None:
        return None
    v = a.value()
    if isinstance(v, bool):
        return v
    if isinstance(v, str):
        low = v.strip().lower()
        if low in ("true", "false"):
            return low == "true"
    return None


def _normalise_host(text: str | None) -> str:
    if not text:
        return ""
    return text.strip().lower().rstrip(".")[:253]


def _duplicate(diags: Diagnostics, file: str, el: XmlElement) -> None:
    diags.warning(
        "nsc.duplicate_element",
        file,
        f"more than one <{el.tag}> (line {el.line}); Android rejects such a file",
        f"存在多个 <{el.tag}>(第 {el.line} 行);Android 会拒绝该文件",
        line=el.line,
    )
