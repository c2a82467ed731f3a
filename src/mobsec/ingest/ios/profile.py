"""``embedded.mobileprovision``: a CMS SignedData whose content is an XML plist.

Parsed with asn1crypto (the CMS envelope and the developer certificates) and our bounded
plist reader (the payload). What the report needs: who signed (team), for how long
(expiry), for which devices, and the entitlements the profile grants, of which
``get-task-allow`` (a debugger may attach) marks a development build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from asn1crypto import cms, x509

from mobsec.diagnostics import FormatError
from mobsec.ingest.ios.plist import parse_dict, to_json

MAX_PROFILE = 1024 * 1024
MAX_DEVICES_LISTED = 20
_ASN1_ERRORS = (ValueError, TypeError, KeyError, IndexError, OverflowError, NotImplementedError)


@dataclass(slots=True)
class Certificate:
    subject: str
    serial: str
    not_after: str | None

    def to_json(self) -> dict[str, Any]:
        return {"subject": self.subject, "serial": self.serial, "not_after": self.not_after}


@dataclass(slots=True)
class ProvisioningProfile:
    path: str
    name: str | None = None
    uuid: str | None = None
    app_id_name: str | None = None
    team_name: str | None = None
    team_ids: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    created: datetime | None = None
    expires: datetime | None = None
    devices: list[str] = field(default_factory=list)
    all_devices: bool = False  # enterprise (in-house) distribution
    entitlements: dict[str, Any] = field(default_factory=dict)
    certificates: list[Certificate] = field(default_factory=list)
    signed_by: str | None = None  # subject of the CMS signer (Apple)

    @property
    def get_task_allow(self) -> bool:
        return self.entitlements.get("get-task-allow") is True

    @property
    def kind(self) -> str:
        """development / ad-hoc / enterprise / app-store, as Xcode tells them apart."""
        if self.all_devices:
            return "enterprise"
        if self.devices:
            return "development" if self.get_task_allow else "ad-hoc"
        return "app-store"

    def expired_at(self, when: datetime) -> bool:
        return self.expires is not None and self.expires < when

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "name": self.name,
            "uuid": self.uuid,
            "kind": self.kind,
            "app_id_name": self.app_id_name,
            "team_name": self.team_name,
            "team_ids": self.team_ids,
            "platforms": self.platforms,
            "created": self.created.isoformat() if self.created else None,
            "expires": self.expires.isoformat() if self.expires else None,
            "get_task_allow": self.get_task_allow,
            "provisions_all_devices": self.all_devices,
            "device_count": len(self.devices),
            "devices": self.devices[:MAX_DEVICES_LISTED],
            "entitlements": to_json(self.entitlements),
            "certificates": [c.to_json() for c in self.certificates],
            "signed_by": self.signed_by,
        }


def read_profile(data: bytes, path: str) -> ProvisioningProfile:
    """Raises :class:`FormatError` (codes ``profile.*`` / ``plist.*``) for bad bytes."""
    if len(data) > MAX_PROFILE:
        raise FormatError(
            f"Provisioning profile is {len(data)} bytes (limit {MAX_PROFILE})",
            f"描述文件大小 {len(data)} 字节(上限 {MAX_PROFILE})",
            code="profile.too_large",
        )
    try:
        info = cms.ContentInfo.load(data)
        if info["content_type"].native != "signed_data":
            raise ValueError(f"content type is {info['content_type'].native}")
        signed = info["content"]
        payload = signed["encap_content_info"]["content"].native
        signer = _signer_subject(signed)
    except _ASN1_ERRORS as e:
        raise FormatError(
            f"Not a CMS SignedData provisioning profile: {str(e)[:200]}",
            "不是 CMS SignedData 格式的描述文件",
            code="profile.bad_cms",
        ) from None
    if not isinstance(payload, bytes):
        raise FormatError(
            "Provisioning profile has no embedded plist",
            "描述文件没有内嵌 plist",
            code="profile.no_content",
        )
    plist = parse_dict(payload)
    prof = ProvisioningProfile(path=path, signed_by=signer)
    prof.name = _str(plist.get("Name"))
    prof.uuid = _str(plist.get("UUID"))
    prof.app_id_name = _str(plist.get("AppIDName"))
    prof.team_name = _str(plist.get("TeamName"))
    prof.team_ids = _strs(plist.get("TeamIdentifier"))
    prof.platforms = _strs(plist.get("Platform"))
    prof.created = _date(plist.get("CreationDate"))
    prof.expires = _date(plist.get("ExpirationDate"))
    prof.devices = _strs(plist.get("ProvisionedDevices"))
    prof.all_devices = plist.get("ProvisionsAllDevices") is True
    ents = plist.get("Entitlements")
    prof.entitlements = ents if isinstance(ents, dict) else {}
    certs = plist.get("DeveloperCertificates")
    if isinstance(certs, list):
        prof.certificates = [c for c in map(_certificate, certs[:16]) if c is not None]
    return prof


def _signer_subject(signed: cms.SignedData) -> str | None:
    certs = signed["certificates"]
    infos = signed["signer_infos"]
    if not len(infos) or certs.native is None:
        return None
    sid = infos[0]["sid"]
    for choice in certs:
        cert = choice.chosen
        if (
            isinstance(cert, x509.Certificate)
            and sid.name == "issuer_and_serial_number"
            and cert.serial_number == sid.chosen["serial_number"].native
        ):
            return cert.subject.human_friendly
    return None


def _certificate(der: Any) -> Certificate | None:
    if not isinstance(der, bytes):
        return None
    try:
        cert = x509.Certificate.load(der)
        not_after = cert["tbs_certificate"]["validity"]["not_after"].native
        return Certificate(
            subject=cert.subject.human_friendly,
            serial=format(cert.serial_number, "x"),
            not_after=not_after.isoformat() if not_after else None,
        )
    except _ASN1_ERRORS:
        return None


def _str(v: Any) -> str | None:
    return v[:500] if isinstance(v, str) else None


def _strs(v: Any) -> list[str]:
    return [x[:200] for x in v[:10_000] if isinstance(x, str)] if isinstance(v, list) else []


def _date(v: Any) -> datetime | None:
    if isinstance(v, datetime):
        return v if v.tzinfo else v.replace(tzinfo=UTC)
    return None
