"""An IPA: a ZIP holding ``Payload/<Name>.app/``, read into bundles with their facts.

The ``.app`` directory is found wherever it sits (build tools sometimes zip the folder
that holds ``Payload/``; macOS adds ``__MACOSX/`` resource forks, which are ignored). Inside
it: ``Info.plist`` (XML or binary), the main executable that ``CFBundleExecutable`` names
(Mach-O, thin or fat), ``embedded.mobileprovision``, and nested bundles that ship with
the app: extensions (``PlugIns/*.appex``, ``Extensions/*.appex``), frameworks
(``Frameworks/*.framework`` and bare ``Frameworks/*.dylib``), watch apps and App Clips.

An IPA whose only content is another IPA (a re-zipped upload) is opened inside, at most
``Limits.max_nesting_depth`` deep. Everything that cannot be read becomes a diagnostic
(codes ``ios.*``, ``plist.*``, ``profile.*``, ``macho.*``); nothing here raises for bad bytes.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import Diagnostics, FormatError, InputError
from mobsec.ingest.archive import Archive
from mobsec.ingest.ios.macho import MachOBinary, is_macho, read_macho
from mobsec.ingest.ios.plist import parse_dict, plist_kind
from mobsec.ingest.ios.profile import ProvisioningProfile, read_profile
from mobsec.limits import DEFAULT_LIMITS, Limits

MAX_BUNDLES = 64
MAX_BUNDLE_DEPTH = 3
MAX_DYLIBS = 64
MAX_PLIST_READ = 8 * 1024 * 1024
# "<anything>/Payload/<Name>.app/" — the app root; __MACOSX copies are resource forks.
_APP_ROOT = re.compile(r"^((?:[^/]+/)*?)Payload/([^/]+\.app)/")
_NESTED = re.compile(
    r"^(PlugIns/[^/]+\.appex|Extensions/[^/]+\.appex|Frameworks/[^/]+\.framework"
    r"|Watch/[^/]+\.app|AppClips/[^/]+\.app)/"
)
_KIND_BY_EXT = {".appex": "extension", ".framework": "framework", ".app": "app"}


@dataclass(slots=True)
class Bundle:
    root: str  # path prefix inside the archive, ending in "/"
    kind: str  # "app", "extension", "framework", "watch-app", "app-clip"
    info: dict[str, Any] | None = None
    info_format: str | None = None  # "xml" / "binary"
    executable: str | None = None  # archive path of the main executable
    binary: MachOBinary | None = None
    profile: ProvisioningProfile | None = None
    xcent: dict[str, Any] | None = None  # archived-expanded-entitlements.xcent

    @property
    def name(self) -> str:
        return posixpath.basename(self.root.rstrip("/"))

    @property
    def bundle_id(self) -> str | None:
        v = (self.info or {}).get("CFBundleIdentifier")
        return v if isinstance(v, str) else None

    @property
    def entitlements(self) -> dict[str, Any]:
        """What the binary is signed with; else the archived copy; else the profile's."""
        if self.binary is not None:
            for s in self.binary.slices:
                if s.entitlements is not None:
                    return s.entitlements
        if self.xcent is not None:
            return self.xcent
        return self.profile.entitlements if self.profile else {}

    def to_json(self) -> dict[str, Any]:
        info = self.info or {}
        return {
            "path": self.root,
            "kind": self.kind,
            "bundle_id": self.bundle_id,
            "version": _s(info.get("CFBundleShortVersionString")),
            "build": _s(info.get("CFBundleVersion")),
            "min_os": _s(info.get("MinimumOSVersion")),
            "executable": self.executable,
            "binary": self.binary.to_json() if self.binary else None,
            "profile": self.profile.to_json() if self.profile else None,
        }


@dataclass(slots=True)
class IpaPackage:
    archive: Archive
    app: Bundle | None
    nested: list[Bundle] = field(default_factory=list)
    dylibs: list[MachOBinary] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # archive paths under the app root
    outer: list[str] = field(default_factory=list)  # IPAs this one was found inside

    @property
    def bundles(self) -> list[Bundle]:
        return ([self.app] if self.app else []) + self.nested

    @property
    def binaries(self) -> list[tuple[str, MachOBinary]]:
        """Every Mach-O read, with the bundle root (or dylib path) it belongs to."""
        out = [(b.root, b.binary) for b in self.bundles if b.binary is not None]
        return out + [(d.path, d) for d in self.dylibs]


def find_app_root(names: list[str]) -> tuple[str | None, list[str]]:
    """The shallowest ``…/Payload/X.app/`` prefix, and every other app root seen."""
    roots: dict[str, None] = {}
    for n in names:
        if n.startswith("__MACOSX/"):
            continue
        m = _APP_ROOT.match(n)
        if m:
            roots.setdefault(m.group(0), None)
    ordered = sorted(roots, key=lambda r: (r.count("/"), r))
    return (ordered[0] if ordered else None), ordered[1:]


def looks_like_ipa(archive: Archive) -> bool:
    """Content decides: a ``Payload/<X>.app/`` directory somewhere in the ZIP."""
    return find_app_root(archive.names())[0] is not None


def read_ipa(
    archive: Archive, diags: Diagnostics, limits: Limits = DEFAULT_LIMITS, depth: int = 0
) -> IpaPackage:
    names = archive.names()
    root, others = find_app_root(names)
    if root is None:
        inner = _inner_ipa(archive, names, diags, limits, depth)
        if inner is not None:
            return inner
        diags.error(
            "ios.no_app_bundle",
            "",
            "No Payload/<name>.app directory in this package: not an iOS app",
            "安装包中没有 Payload/<名称>.app 目录:不是 iOS 应用",
        )
        return IpaPackage(archive, None)
    for extra in others:
        if not extra.startswith(root):
            diags.warning(
                "ios.several_app_bundles",
                extra,
                f"Another app bundle besides {root}; only {root} is analysed",
                f"除 {root} 外还有其他应用包;只分析 {root}",
            )
    files = [n for n in names if n.startswith(root) and not n.endswith("/")]
    pkg = IpaPackage(archive, None, files=files)
    pkg.app = _read_bundle(archive, root, "app", files, diags)
    _read_nested(pkg, archive, root, files, diags, 1)
    _read_dylibs(pkg, archive, root, files, diags)
    return pkg


def _inner_ipa(
    archive: Archive, names: list[str], diags: Diagnostics, limits: Limits, depth: int
) -> IpaPackage | None:
    candidates = [n for n in names if n.lower().endswith(".ipa") and not n.startswith("__MACOSX/")]
    if len(candidates) != 1:
        return None
    name = candidates[0]
    if depth + 1 > limits.max_nesting_depth:
        diags.error(
            "ios.nesting_too_deep",
            name,
            f"IPA nested more than {limits.max_nesting_depth} levels deep; not opened",
            f"IPA 嵌套超过 {limits.max_nesting_depth} 层;未打开",
        )
        return None
    data = archive.read(name)
    if data is None:
        return None
    try:
        inner_archive = Archive.open(data, diags, limits, display_name=name)
    except InputError as e:
        d = e.diagnostic
        diags.error(d.code, name, d.en, d.zh, **d.detail)
        return None
    diags.info(
        "ios.nested_ipa",
        name,
        "The upload is a ZIP holding one IPA; the inner IPA is analysed",
        "上传的文件是包含一个 IPA 的 ZIP;分析其中的 IPA",
    )
    pkg = read_ipa(inner_archive, diags, limits, depth + 1)
    pkg.outer.insert(0, name)
    return pkg


def _read_bundle(
    archive: Archive, root: str, kind: str, files: list[str], diags: Diagnostics
) -> Bundle:
    b = Bundle(root=root, kind=kind)
    info_path = root + "Info.plist"
    raw = archive.read(info_path, MAX_PLIST_READ)
    if raw is None:
        diags.error(
            "ios.no_info_plist",
            info_path,
            "Bundle has no readable Info.plist: identity and configuration unknown",
            "应用包没有可读取的 Info.plist:无法得知标识和配置",
        )
    else:
        try:
            b.info = parse_dict(raw)
            b.info_format = plist_kind(raw)
        except FormatError as e:
            diags.error(e.code, info_path, e.en, e.zh, **e.detail)
    exe_name = (b.info or {}).get("CFBundleExecutable")
    if isinstance(exe_name, str) and exe_name and "/" not in exe_name:
        b.executable = root + exe_name
        data = archive.read(b.executable)
        if data is None:
            diags.error(
                "ios.no_executable",
                b.executable,
                f"Main executable {exe_name!r} named by Info.plist is not in the bundle: "
                "code not analysed",
                f"Info.plist 指定的主可执行文件 {exe_name!r} 不在应用包中:未分析代码",
            )
        else:
            b.binary = read_macho(data, b.executable, diags)
            if b.binary is not None and b.binary.encrypted:
                diags.warning(
                    "ios.encrypted",
                    b.executable,
                    "Main executable is encrypted (FairPlay, cryptid 1): code not analysed; "
                    "scan a decrypted build",
                    "主可执行文件已加密(FairPlay,cryptid 1):未分析代码;请检测解密后的版本",
                )
    elif b.info is not None:
        diags.warning(
            "ios.no_executable_name",
            info_path,
            "Info.plist names no CFBundleExecutable: code not analysed",
            "Info.plist 未指定 CFBundleExecutable:未分析代码",
        )
    prof_path = root + "embedded.mobileprovision"
    if prof_path in files:
        raw = archive.read(prof_path, 1024 * 1024)
        if raw is not None:
            try:
                b.profile = read_profile(raw, prof_path)
            except FormatError as e:
                diags.error(e.code, prof_path, e.en, e.zh, **e.detail)
    xcent = root + "archived-expanded-entitlements.xcent"
    if xcent in files:
        raw = archive.read(xcent, MAX_PLIST_READ)
        if raw is not None:
            try:
                b.xcent = parse_dict(raw)
            except FormatError as e:
                diags.warning(e.code, xcent, e.en, e.zh, **e.detail)
    return b


def _read_nested(
    pkg: IpaPackage, archive: Archive, root: str, files: list[str], diags: Diagnostics, depth: int
) -> None:
    if depth > MAX_BUNDLE_DEPTH:
        return
    seen: dict[str, None] = {}
    for n in files:
        m = _NESTED.match(n[len(root) :]) if n.startswith(root) else None
        if m:
            seen.setdefault(root + m.group(1) + "/", None)
    for sub in seen:
        if len(pkg.nested) >= MAX_BUNDLES:
            diags.warning(
                "ios.too_many_bundles",
                sub,
                f"More than {MAX_BUNDLES} nested bundles; the rest are not read",
                f"嵌套包超过 {MAX_BUNDLES} 个;其余未读取",
            )
            return
        kind = _KIND_BY_EXT[posixpath.splitext(sub.rstrip("/"))[1]]
        if kind == "app":
            kind = "watch-app" if sub[len(root) :].startswith("Watch/") else "app-clip"
        inner = [f for f in files if f.startswith(sub)]
        if not any(f == sub + "Info.plist" for f in inner):
            continue  # an empty framework directory (seen in real IPAs); nothing to read
        pkg.nested.append(_read_bundle(archive, sub, kind, inner, diags))
        _read_nested(pkg, archive, sub, inner, diags, depth + 1)


def _read_dylibs(
    pkg: IpaPackage, archive: Archive, root: str, files: list[str], diags: Diagnostics
) -> None:
    for n in files:
        rel = n[len(root) :]
        if not (rel.startswith("Frameworks/") and rel.count("/") == 1 and rel.endswith(".dylib")):
            continue
        if len(pkg.dylibs) >= MAX_DYLIBS:
            break
        entry = archive.get(n)
        if entry is not None and entry.uncompressed_size == 0:
            diags.warning("macho.empty", n, "Empty (0-byte) library file", "空的(0 字节)库文件")
            continue
        head = archive.head(n, 8)
        if not head or not is_macho(head):
            continue
        data = archive.read(n)
        if data is not None:
            binary = read_macho(data, n, diags)
            if binary is not None:
                pkg.dylibs.append(binary)


def _s(v: Any) -> str | None:
    return v[:200] if isinstance(v, str) else None
