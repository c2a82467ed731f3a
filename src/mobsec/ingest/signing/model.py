"""Results of APK signature verification, shaped after ``apksigner verify -v``.

Every list of problems holds stable codes (``errors``/``warnings``) for matching, and the
full bilingual :class:`~mobsec.ingest.signing.messages.Issue` objects (``issues``) for
display. ``to_json`` never emits certificate bytes, only their fingerprints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .messages import Issue


@dataclass
class CertificateInfo:
    subject: str
    issuer: str
    serial: str
    not_before: datetime | None
    not_after: datetime | None
    key_algorithm: str  # "RSA", "EC", "DSA", or the key OID when unknown
    key_bits: int
    curve: str | None
    signature_algorithm: str  # e.g. "sha256WithRSAEncryption"
    sha256: str
    sha1: str
    md5: str
    is_debug: bool  # the Android SDK debug key: CN=Android Debug, O=Android, C=US
    self_signed: bool
    der: bytes = field(repr=False, default=b"")  # the encoding as found (may be BER)

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "not_before": self.not_before.isoformat() if self.not_before else None,
            "not_after": self.not_after.isoformat() if self.not_after else None,
            "key_algorithm": self.key_algorithm,
            "key_bits": self.key_bits,
            "curve": self.curve,
            "signature_algorithm": self.signature_algorithm,
            "sha256": self.sha256,
            "sha1": self.sha1,
            "md5": self.md5,
            "is_debug": self.is_debug,
            "self_signed": self.self_signed,
        }


# One code repeated per entry (250,000 unsigned entries) is kept this often, then counted.
MAX_ISSUES_PER_CODE = 50


class _HasIssues:
    """Shared bookkeeping: keep codes and full issues in step."""

    errors: list[str]
    warnings: list[str]
    issues: list[Issue]

    def add_error(self, issue: Issue) -> None:
        if self._keep(issue):
            self.errors.append(issue.code)
            self.issues.append(issue)

    def add_warning(self, issue: Issue) -> None:
        if self._keep(issue):
            self.warnings.append(issue.code)
            self.issues.append(issue)

    def _keep(self, issue: Issue) -> bool:
        counts: dict[str, int] = self.__dict__.setdefault("_issue_counts", {})
        n = counts[issue.code] = counts.get(issue.code, 0) + 1
        return n <= MAX_ISSUES_PER_CODE

    @property
    def suppressed_issues(self) -> dict[str, int]:
        """Code -> how many issues of it were counted but not kept."""
        counts: dict[str, int] = self.__dict__.get("_issue_counts", {})
        return {c: n - MAX_ISSUES_PER_CODE for c, n in counts.items() if n > MAX_ISSUES_PER_CODE}

    @property
    def error_issues(self) -> list[Issue]:
        return [i for i in self.issues if i.code in self.errors]


@dataclass
class SignerInfo(_HasIssues):
    scheme: str
    certificates: list[CertificateInfo] = field(default_factory=list)
    signature_algorithms: list[str] = field(default_factory=list)
    min_sdk: int | None = None  # v3/v3.1 only
    max_sdk: int | None = None
    verified: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list, repr=False)
    name: str | None = None  # v1: the signature block file, e.g. "META-INF/CERT.RSA"
    lineage: list[CertificateInfo] | None = None  # v3/v3.1 proof-of-rotation, oldest first
    rotation_targets_dev_release: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "name": self.name,
            "certificates": [c.to_json() for c in self.certificates],
            "signature_algorithms": list(self.signature_algorithms),
            "min_sdk": self.min_sdk,
            "max_sdk": self.max_sdk,
            "verified": self.verified,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "issues": [i.to_json() for i in self.issues],
            "lineage": [c.to_json() for c in self.lineage] if self.lineage else None,
        }


@dataclass
class SchemeResult(_HasIssues):
    scheme: str  # "v1" | "v2" | "v3" | "v3.1" | "v4"
    present: bool = False
    verified: bool = False
    signers: list[SignerInfo] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list, repr=False)
    checked: bool = False  # False when the platform range makes Android skip this scheme

    def contains_errors(self) -> bool:
        return bool(self.errors) or any(s.errors for s in self.signers)

    def to_json(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "present": self.present,
            "checked": self.checked,
            "verified": self.verified,
            "signers": [s.to_json() for s in self.signers],
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "issues": [i.to_json() for i in self.issues],
        }


@dataclass
class SigningReport(_HasIssues):
    verified: bool = False  # what `apksigner verify` answers for this min/max SDK
    schemes: dict[str, SchemeResult] = field(default_factory=dict)
    signers: list[CertificateInfo] = field(default_factory=list)
    lineage: list[CertificateInfo] | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list, repr=False)
    min_sdk: int = 1
    max_sdk: int = 2**31 - 1

    def all_error_codes(self) -> list[str]:
        """Errors of the report, its schemes and their signers (what fails the APK)."""
        out = list(self.errors)
        for s in self.schemes.values():
            out += s.errors
            for signer in s.signers:
                out += signer.errors
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "verified": self.verified,
            "min_sdk": self.min_sdk,
            "max_sdk": self.max_sdk,
            "schemes": {k: v.to_json() for k, v in self.schemes.items()},
            "signers": [c.to_json() for c in self.signers],
            "lineage": [c.to_json() for c in self.lineage] if self.lineage else None,
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "issues": [i.to_json() for i in self.issues],
        }
