"""The check catalog: every check is a plain function with its metadata, registered here.

A check reads facts and yields findings; it never reads the package itself. The engine
knows no check by name: it runs whatever the ``@check`` decorator registered when the check
modules under ``mobsec.checks.<area>`` were imported (see :func:`load_all`).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mobsec.report.model import Confidence, Finding, Severity, Text

if TYPE_CHECKING:
    from mobsec.checks.context import CheckContext

CheckFunction = Callable[["CheckContext"], Iterable[Finding]]

# "<platform>.<area>.<name>": stable forever once published (baselines and suppressions use
# it). The platform prefix also says which facts a check reads: the runner gives a check only
# the facts of its own platform (an ``ios.*`` check never sees an APK).
PLATFORMS = ("android", "ios", "harmony", "miniprogram")
_ID = re.compile(r"^(" + "|".join(PLATFORMS) + r")\.[a-z0-9_]+\.[a-z0-9_-]+$")
# OWASP Mobile Top 10 (2024)
OWASP_MOBILE_2024 = {
    "M1": Text("Improper Credential Usage", "凭证使用不当"),
    "M2": Text("Inadequate Supply Chain Security", "供应链安全不足"),
    "M3": Text("Insecure Authentication/Authorization", "不安全的认证/授权"),
    "M4": Text("Insufficient Input/Output Validation", "输入/输出验证不足"),
    "M5": Text("Insecure Communication", "不安全的通信"),
    "M6": Text("Inadequate Privacy Controls", "隐私控制不足"),
    "M7": Text("Insufficient Binary Protections", "二进制保护不足"),
    "M8": Text("Security Misconfiguration", "安全配置错误"),
    "M9": Text("Insecure Data Storage", "不安全的数据存储"),
    "M10": Text("Insufficient Cryptography", "加密不足"),
}
# OWASP MASVS v2 control groups; a control is e.g. "MASVS-STORAGE-1".
_MASVS = re.compile(r"^MASVS-(STORAGE|CRYPTO|AUTH|NETWORK|PLATFORM|CODE|RESILIENCE|PRIVACY)-\d$")


@dataclass(frozen=True, slots=True)
class CheckMeta:
    id: str
    title: Text
    description: Text
    remediation: Text
    severity: Severity
    confidence: Confidence
    cwe: tuple[int, ...]
    masvs: tuple[str, ...]
    owasp_mobile_2024: tuple[str, ...]
    # GB/T 34975-2017 (移动智能终端应用软件安全技术要求和测试评价方法) areas this serves,
    # e.g. ("4.1.3 数据安全",); later PI-rule scenario numbers go in standards too.
    gbt_34975: tuple[str, ...]
    references: tuple[str, ...] = ()
    standards: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def platform(self) -> str:
        return self.id.split(".")[0]

    @property
    def area(self) -> str:
        return self.id.split(".")[1]

    def problems(self) -> list[str]:
        """What is missing or malformed in the metadata (tests assert there is nothing)."""
        out = []
        if not _ID.match(self.id):
            out.append(f"id {self.id!r} is not <platform>.<area>.<name>")
        for name in ("title", "description", "remediation"):
            t: Text = getattr(self, name)
            if not t.en.strip() or not t.zh.strip():
                out.append(f"{name} needs both en and zh-CN text")
        if not self.cwe:
            out.append("no CWE")
        if not self.masvs or any(not _MASVS.match(m) for m in self.masvs):
            out.append(f"MASVS controls malformed or missing: {self.masvs}")
        if not self.owasp_mobile_2024 or any(
            m not in OWASP_MOBILE_2024 for m in self.owasp_mobile_2024
        ):
            out.append(f"OWASP Mobile 2024 items malformed or missing: {self.owasp_mobile_2024}")
        if not self.gbt_34975:
            out.append("no GB/T 34975 area")
        return out

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "platform": self.platform,
            "area": self.area,
            "title": self.title.to_json(),
            "description": self.description.to_json(),
            "remediation": self.remediation.to_json(),
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "cwe": list(self.cwe),
            "masvs": list(self.masvs),
            "owasp_mobile_2024": list(self.owasp_mobile_2024),
            "gbt_34975": list(self.gbt_34975),
            "references": list(self.references),
            "standards": {k: list(v) for k, v in self.standards.items()},
        }


@dataclass(frozen=True, slots=True)
class Check:
    meta: CheckMeta
    run: CheckFunction


REGISTRY: dict[str, Check] = {}


def check(
    id: str,
    *,
    title: tuple[str, str],
    description: tuple[str, str],
    remediation: tuple[str, str],
    severity: Severity,
    confidence: Confidence,
    cwe: Iterable[int],
    masvs: Iterable[str],
    owasp: Iterable[str],
    gbt_34975: Iterable[str],
    references: Iterable[str] = (),
    standards: dict[str, Iterable[str]] | None = None,
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check. Texts are (en, zh-CN) pairs.

    ``standards`` names further rule items the check serves, e.g. ``{"191": ("3.1",)}``
    for the scenarios of the 191 认定方法 or ``{"MIIT-164": ("2.2",)}``.
    """

    meta = CheckMeta(
        id=id,
        title=Text(*title),
        description=Text(*description),
        remediation=Text(*remediation),
        severity=severity,
        confidence=confidence,
        cwe=tuple(cwe),
        masvs=tuple(masvs),
        owasp_mobile_2024=tuple(owasp),
        gbt_34975=tuple(gbt_34975),
        references=tuple(references),
        standards={k: tuple(v) for k, v in (standards or {}).items()},
    )

    def register(fn: CheckFunction) -> CheckFunction:
        if id in REGISTRY and REGISTRY[id].run is not fn:
            raise ValueError(f"check id registered twice: {id}")
        REGISTRY[id] = Check(meta, fn)
        return fn

    return register


def load_all(platform: str | None = None) -> dict[str, Check]:
    """Import every check module under mobsec.checks (registration is the import); with
    ``platform``, only the checks of that platform (see :data:`PLATFORMS`)."""
    import mobsec.checks as root

    path, prefix = root.__path__, "mobsec.checks."
    if platform not in (None, "android"):
        # Other platforms keep their checks in mobsec.checks.<platform>: a HAP scan need not
        # import (about a second of) Android checks.
        try:
            sub = importlib.import_module(prefix + platform)
            path, prefix = sub.__path__, f"{prefix}{platform}."
        except ModuleNotFoundError:
            pass
    # An Android scan need not import the other platforms' checks either (the mini-program
    # ones would bring in the JavaScript parser).
    others = set(PLATFORMS) - {"android"} if platform == "android" else set()
    _import_checks(path, prefix, others)
    return {
        k: c for k, c in sorted(REGISTRY.items()) if platform is None or c.meta.platform == platform
    }


def _import_checks(path: Iterable[str], prefix: str, skip: set[str]) -> None:
    for info in pkgutil.iter_modules(path, prefix=prefix):
        name = info.name.rsplit(".", 1)[-1]
        if name.startswith("_") or name in skip or name in _NOT_CHECKS:
            continue
        module = importlib.import_module(info.name)
        if info.ispkg:
            _import_checks(module.__path__, info.name + ".", set())


_NOT_CHECKS = frozenset({"registry", "context", "evidence", "runner", "catalog"})
