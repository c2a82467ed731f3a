"""AppFingerprint: what similarity needs of one package, compact and JSON-serialisable.

A registry keeps one per registered app version; a candidate is fingerprinted once and
compared against many. ``FORMAT_VERSION`` changes whenever a field changes meaning (a
fingerprint of another version is refused by :meth:`AppFingerprint.from_json`, so stale
fingerprints are rebuilt rather than compared wrongly).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mobsec.diagnostics import FormatError
from mobsec.similarity.codeprints import CodePrints
from mobsec.similarity.icons import IconHashes
from mobsec.similarity.names import has_han, pinyin

FORMAT_VERSION = 1
KIND = "mobsec.app-fingerprint"


class FingerprintError(FormatError):
    """A package that cannot be fingerprinted, or a fingerprint document that is not one.

    ``en`` / ``zh`` name the file and the problem; ``code`` is a stable id."""

    def __init__(self, en: str, zh: str, code: str = "similarity.unreadable") -> None:
        super().__init__(en, zh, code)


@dataclass(slots=True)
class Label:
    text: str
    config: str = ""  # resource configuration: "" default, "zh-rCN", "en"...

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"text": self.text, "config": self.config}
        if has_han(self.text):
            doc["pinyin"] = pinyin(self.text)
        return doc


@dataclass(slots=True)
class AppFingerprint:
    file_name: str
    sha256: str
    size: int
    format: str = "apk"
    package: str = ""
    version_name: str | None = None
    version_code: int | None = None
    labels: list[Label] = field(default_factory=list)
    icon: IconHashes | None = None
    certificates: list[str] = field(default_factory=list)  # signer cert SHA-256 (hex)
    signature_verified: bool = False
    permissions: list[str] = field(default_factory=list)
    sdks: dict[str, str] = field(default_factory=dict)  # SDK id -> English name
    sdk_names_zh: dict[str, str] = field(default_factory=dict)
    resources: dict[str, str] = field(default_factory=dict)  # path -> SHA-256 (32 hex)
    code: CodePrints = field(default_factory=CodePrints)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Distinct label texts, default configuration first."""
        out: list[str] = []
        for label in self.labels:
            if label.text and label.text not in out:
                out.append(label.text)
        return out

    @property
    def display_name(self) -> str:
        return self.names[0] if self.names else self.package or self.file_name

    @property
    def label(self) -> str:
        """The default-configuration app name ("" when the app has none)."""
        return self.names[0] if self.names else ""

    @property
    def package_name(self) -> str:
        return self.package

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": KIND,
            "version": FORMAT_VERSION,
            "file": {"name": self.file_name, "sha256": self.sha256, "size": self.size},
            "format": self.format,
            "package": self.package,
            "version_name": self.version_name,
            "version_code": self.version_code,
            "labels": [lb.to_json() for lb in self.labels],
            "icon": self.icon.to_json() if self.icon else None,
            "certificates": list(self.certificates),
            "signature_verified": self.signature_verified,
            "permissions": list(self.permissions),
            "sdks": [
                {"id": k, "name": v, "name_zh": self.sdk_names_zh.get(k, v)}
                for k, v in self.sdks.items()
            ],
            "resources": dict(self.resources),
            "code": self.code.to_json(),
            "diagnostics": list(self.diagnostics),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, doc: Any) -> AppFingerprint:
        """From :meth:`to_json` output (a dict or its JSON text); FingerprintError if the
        document is not a fingerprint of this format version."""
        if isinstance(doc, (str, bytes)):
            try:
                doc = json.loads(doc)
            except ValueError as e:
                raise FingerprintError(
                    f"not a JSON fingerprint: {e}", f"不是 JSON 格式的指纹:{e}"
                ) from e
        if not isinstance(doc, dict) or doc.get("kind") != KIND:
            raise FingerprintError(
                "not an app fingerprint document", "不是应用指纹文档", "similarity.bad_fingerprint"
            )
        if doc.get("version") != FORMAT_VERSION:
            raise FingerprintError(
                f"fingerprint format version {doc.get('version')!r} is not {FORMAT_VERSION}: "
                "fingerprint the package again",
                f"指纹格式版本 {doc.get('version')!r} 不是 {FORMAT_VERSION}:请重新生成指纹",
                "similarity.fingerprint_version",
            )
        try:
            f = doc["file"]
            sdks = doc.get("sdks", [])
            return cls(
                file_name=str(f["name"]),
                sha256=str(f["sha256"]),
                size=int(f["size"]),
                format=str(doc.get("format", "apk")),
                package=str(doc.get("package") or ""),
                version_name=doc.get("version_name"),
                version_code=doc.get("version_code"),
                labels=[Label(str(x["text"]), str(x.get("config", ""))) for x in doc["labels"]],
                icon=IconHashes.from_json(doc["icon"]) if doc.get("icon") else None,
                certificates=[str(c) for c in doc.get("certificates", [])],
                signature_verified=bool(doc.get("signature_verified")),
                permissions=[str(p) for p in doc.get("permissions", [])],
                sdks={str(s["id"]): str(s["name"]) for s in sdks},
                sdk_names_zh={str(s["id"]): str(s.get("name_zh", s["name"])) for s in sdks},
                resources={str(k): str(v) for k, v in dict(doc.get("resources", {})).items()},
                code=CodePrints.from_json(doc.get("code", {})),
                diagnostics=list(doc.get("diagnostics", [])),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise FingerprintError(
                f"malformed fingerprint document: {type(e).__name__}: {e}",
                f"指纹文档格式错误:{type(e).__name__}:{e}",
                "similarity.bad_fingerprint",
            ) from e
