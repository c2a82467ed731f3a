"""``module.json`` (stage model) and ``config.json`` (FA model) into one typed model.

Both are JSON written by the build tools; a hostile package can put any JSON there (or
none), so every field is type-checked and a wrong type reads as absent. Stage abilities
declare ``exported``; FA abilities declare ``visible``, which means the same.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import FormatError

MAX_CONFIG_SIZE = 4 * 1024 * 1024
MAX_ITEMS = 5_000  # abilities, permissions, skills per module: far above any real app


@dataclass(slots=True)
class Skill:
    actions: list[str]
    entities: list[str]
    uris: list[str]  # "scheme://host/path" as far as declared

    def to_json(self) -> dict[str, Any]:
        return {"actions": self.actions, "entities": self.entities, "uris": self.uris}


@dataclass(slots=True)
class Ability:
    name: str
    kind: str  # "ability" | "extension" (stage) | "page" / "service" / "data" (FA)
    type: str | None  # extension type ("backup", "staticSubscriber", "service"...)
    exported: bool
    permissions: list[str]
    skills: list[Skill]
    src_entry: str | None
    metadata_resources: list[str] = field(default_factory=list)  # "$profile:..." references
    # staticSubscriber profiles: the common events it subscribes to (read by the HAP reader)
    subscribed_events: list[str] = field(default_factory=list)

    @property
    def launcher(self) -> bool:
        """The home-screen entry (must be exported to start at all)."""
        return any(
            "entity.system.home" in s.entities
            and any(a in ("action.system.home", "ohos.want.action.home") for a in s.actions)
            for s in self.skills
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "type": self.type,
            "exported": self.exported,
            "launcher": self.launcher,
            "permissions": self.permissions,
            "skills": [s.to_json() for s in self.skills],
            "src_entry": self.src_entry,
            "subscribed_events": self.subscribed_events,
        }


@dataclass(slots=True)
class RequestedPermission:
    name: str
    reason: str | None
    used_scene_when: str | None  # "inuse" | "always"
    used_scene_abilities: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "reason": self.reason,
            "used_scene": {"when": self.used_scene_when, "abilities": self.used_scene_abilities},
        }


@dataclass(slots=True)
class ModuleConfig:
    file: str  # "module.json" or "config.json" (path inside the HAP)
    model: str  # "stage" | "fa"
    bundle_name: str | None
    vendor: str | None
    version_code: int | None
    version_name: str | None
    min_api: int | None  # raw value as declared (50000012 on HarmonyOS NEXT)
    target_api: int | None
    api_release_type: str | None
    compile_sdk: str | None  # "HarmonyOS 5.0.0.25"
    debug: bool | None
    cleartext_traffic: bool | None  # FA deviceConfig network.cleartextTraffic
    module_name: str | None
    module_type: str | None  # entry | feature | har | shared
    device_types: list[str]
    main_element: str | None
    abilities: list[Ability]
    permissions: list[RequestedPermission]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "model": self.model,
            "bundle_name": self.bundle_name,
            "vendor": self.vendor,
            "version_code": self.version_code,
            "version_name": self.version_name,
            "min_api": api_level(self.min_api),
            "target_api": api_level(self.target_api),
            "min_api_raw": self.min_api,
            "target_api_raw": self.target_api,
            "api_release_type": self.api_release_type,
            "compile_sdk": self.compile_sdk,
            "debug": self.debug,
            "cleartext_traffic": self.cleartext_traffic,
            "module_name": self.module_name,
            "module_type": self.module_type,
            "device_types": self.device_types,
            "main_element": self.main_element,
            "abilities": [a.to_json() for a in self.abilities],
            "requested_permissions": [p.to_json() for p in self.permissions],
        }


def api_level(raw: int | None) -> int | None:
    """HarmonyOS NEXT writes "major minor patch" and the API level in one number:
    50000012 is 5.0.0 (API 12), 60001021 is 6.0.1 (API 21); OpenHarmony writes 9."""
    if raw is None:
        return None
    return raw % 1000 if raw >= 1000 else raw


# -- tolerant getters: a wrong type is "absent" -------------------------------------------------


def _obj(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _list(v: Any) -> list[Any]:
    return v[:MAX_ITEMS] if isinstance(v, list) else []


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _bool(v: Any) -> bool | None:
    return v if isinstance(v, bool) else None


def _strs(v: Any) -> list[str]:
    return [x for x in _list(v) if isinstance(x, str)]


def load_json(data: bytes, file: str) -> dict[str, Any]:
    if len(data) > MAX_CONFIG_SIZE:
        raise FormatError(
            f"{file} is {len(data)} bytes, above the {MAX_CONFIG_SIZE}-byte limit",
            f"{file} 大小 {len(data)} 字节,超过上限 {MAX_CONFIG_SIZE}",
            code="hap.config_too_large",
        )
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise FormatError(
            f"{file} is not valid JSON: {e}", f"{file} 不是有效的 JSON:{e}", code="hap.config_json"
        ) from e
    if not isinstance(doc, dict):
        raise FormatError(
            f"{file} is not a JSON object", f"{file} 不是 JSON 对象", code="hap.config_json"
        )
    return doc


def _skills(v: Any) -> list[Skill]:
    out = []
    for s in _list(v):
        s = _obj(s)
        uris = []
        for u in _list(s.get("uris")):
            u = _obj(u)
            scheme, host, path = (_str(u.get(k)) or "" for k in ("scheme", "host", "path"))
            if scheme or host:
                uris.append(f"{scheme}://{host}{'/' + path.lstrip('/') if path else ''}")
        out.append(Skill(_strs(s.get("actions")), _strs(s.get("entities")), uris))
    return out


def _meta_resources(v: Any) -> list[str]:
    return [r for m in _list(v) if (r := _str(_obj(m).get("resource")))]


def _permissions(v: Any) -> list[RequestedPermission]:
    out = []
    for p in _list(v):
        p = _obj(p)
        name = _str(p.get("name"))
        if not name:
            continue
        scene = _obj(p.get("usedScene"))
        out.append(
            RequestedPermission(
                name=name,
                reason=_str(p.get("reason")),
                used_scene_when=_str(scene.get("when")),
                used_scene_abilities=_strs(scene.get("abilities") or scene.get("ability")),
            )
        )
    return out


def _stage_ability(a: dict[str, Any], kind: str) -> Ability:
    return Ability(
        name=_str(a.get("name")) or "",
        kind=kind,
        type=_str(a.get("type")) if kind == "extension" else None,
        exported=_bool(a.get("exported")) is True,
        permissions=_strs(a.get("permissions")),
        skills=_skills(a.get("skills")),
        src_entry=_str(a.get("srcEntry")),
        metadata_resources=_meta_resources(a.get("metadata")),
    )


def _app_and_module(data: bytes, file: str) -> tuple[dict[str, Any], dict[str, Any], dict]:
    doc = load_json(data, file)
    app, module = _obj(doc.get("app")), _obj(doc.get("module"))
    if not app and not module:
        raise FormatError(
            f"{file} has neither an 'app' nor a 'module' object",
            f"{file} 既没有 app 也没有 module 对象",
            code="hap.config_fields",
        )
    return app, module, doc


def parse_module_json(data: bytes, file: str = "module.json") -> ModuleConfig:
    app, module, _ = _app_and_module(data, file)
    abilities = [_stage_ability(a, "ability") for a in map(_obj, _list(module.get("abilities")))]
    abilities += [
        _stage_ability(a, "extension") for a in map(_obj, _list(module.get("extensionAbilities")))
    ]
    sdk = " ".join(
        x for x in (_str(app.get("compileSdkType")), _str(app.get("compileSdkVersion"))) if x
    )
    return ModuleConfig(
        file=file,
        model="stage",
        bundle_name=_str(app.get("bundleName")),
        vendor=_str(app.get("vendor")),
        version_code=_int(app.get("versionCode")),
        version_name=_str(app.get("versionName")),
        min_api=_int(app.get("minAPIVersion")),
        target_api=_int(app.get("targetAPIVersion")),
        api_release_type=_str(app.get("apiReleaseType")),
        compile_sdk=sdk or None,
        debug=_bool(app.get("debug")),
        cleartext_traffic=None,
        module_name=_str(module.get("name")),
        module_type=_str(module.get("type")),
        device_types=_strs(module.get("deviceTypes")),
        main_element=_str(module.get("mainElement")),
        abilities=abilities,
        permissions=_permissions(module.get("requestPermissions")),
    )


def parse_config_json(data: bytes, file: str = "config.json") -> ModuleConfig:
    """The FA model: ``app`` / ``deviceConfig`` / ``module`` with ``reqPermissions``."""
    app, module, doc = _app_and_module(data, file)
    version, api = _obj(app.get("version")), _obj(app.get("apiVersion"))
    device = _obj(_obj(doc.get("deviceConfig")).get("default"))
    network = _obj(device.get("network"))
    distro = _obj(module.get("distro"))
    abilities = [
        Ability(
            name=_str(a.get("name")) or "",
            kind=_str(a.get("type")) or "page",
            type=_str(a.get("type")),
            exported=_bool(a.get("visible")) is True,
            permissions=_strs(a.get("permissions")),
            skills=_skills(a.get("skills")),
            src_entry=_str(a.get("srcPath")),
        )
        for a in map(_obj, _list(module.get("abilities")))
    ]
    return ModuleConfig(
        file=file,
        model="fa",
        bundle_name=_str(app.get("bundleName")),
        vendor=_str(app.get("vendor")),
        version_code=_int(version.get("code")),
        version_name=_str(version.get("name")),
        min_api=_int(api.get("compatible")),
        target_api=_int(api.get("target")),
        api_release_type=_str(api.get("releaseType")),
        compile_sdk=None,
        debug=_bool(device.get("debug")),
        cleartext_traffic=_bool(network.get("cleartextTraffic")),
        module_name=_str(distro.get("moduleName")) or _str(module.get("name")),
        module_type=_str(distro.get("moduleType")),
        device_types=_strs(module.get("deviceType")),
        main_element=_str(module.get("mainAbility")),
        abilities=abilities,
        permissions=_permissions(module.get("reqPermissions")),
    )
