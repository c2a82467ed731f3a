"""What an advisory says, independent of any output format and of the platform.

The platform (or anyone else) fills these dataclasses; ``csaf``, ``osv`` and ``cve`` turn one
into a document. There is deliberately no field for reproduction steps, proof-of-concept
files or exploit code: a public advisory cannot carry them because it has nowhere to put them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from mobsec.advisories.purl import ECOSYSTEMS, package_url
from mobsec.cvss_scores import Score, score_v31, score_v40

CWE_ID = re.compile(r"^CWE-[1-9][0-9]*$")
CVE_ID = re.compile(r"^CVE-[0-9]{4}-[0-9]{4,19}$")
# One version as the product names it: no spaces, no range operators or range words (those
# belong in introduced/fixed, and CSAF forbids them in a product_version, test 6.1.31).
VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+_~-]{0,63}$")
RANGE_WORDS = {"after", "all", "before", "earlier", "later", "prior", "versions"}
CREDIT_TYPES = ("finder", "reporter", "analyst", "coordinator", "remediation_developer", "other")
REFERENCE_KINDS = ("advisory", "article", "report", "fix", "package", "web")


class AdvisoryError(ValueError):
    """The advisory cannot be exported: ``problems`` names each missing or bad field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Text:
    """One text in English and Simplified Chinese (both required for a public advisory)."""

    en: str
    zh: str

    def pick(self, lang: str) -> str:
        return self.zh if lang.lower().startswith("zh") else self.en


@dataclass(frozen=True)
class Product:
    """One affected product: an app (no ecosystem) or an SDK/library (with an ecosystem).

    ``package`` is the app id (``com.example.shop``) or the library coordinates
    (``com.example:sdk`` for Maven, ``@scope/name`` for npm). ``introduced`` is the first
    affected version (None: every version before ``fixed``); ``versions`` lists versions
    known to be affected.
    """

    vendor: str
    name: str
    package: str = ""
    platform: str = ""
    ecosystem: str | None = None
    introduced: str | None = None
    fixed: str | None = None
    versions: tuple[str, ...] = ()
    purl: str | None = None

    def package_url(self) -> str | None:
        """The purl without version (``pkg:maven/com.example/sdk``), when an ecosystem exists."""
        if self.purl:
            return self.purl
        if not self.ecosystem or not self.package:
            return None
        return package_url(self.ecosystem, self.package)


@dataclass(frozen=True)
class Reference:
    url: str
    kind: str = "web"  # one of REFERENCE_KINDS
    name: str = ""


@dataclass(frozen=True)
class Credit:
    name: str
    kind: str = "finder"  # one of CREDIT_TYPES
    organization: str = ""


@dataclass(frozen=True)
class Revision:
    number: int
    date: datetime
    summary: str


@dataclass(frozen=True)
class Advisory:
    id: str
    title: Text
    description: Text
    products: tuple[Product, ...]
    revisions: tuple[Revision, ...]
    solution: Text | None = None  # the vendor's fix (e.g. "update to 2.3.1")
    mitigation: Text | None = None  # what users can do before or instead of updating
    impact: Text | None = None
    cwe: tuple[str, ...] = ()
    cvss_v31: str | None = None
    cvss_v40: str | None = None
    references: tuple[Reference, ...] = ()
    credits: tuple[Credit, ...] = ()
    cve_id: str | None = None
    aliases: tuple[str, ...] = ()
    withdrawn: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)  # e.g. {"url": public page}

    @property
    def published(self) -> datetime:
        return self.revisions[0].date

    @property
    def updated(self) -> datetime:
        return self.revisions[-1].date

    @property
    def version(self) -> int:
        return self.revisions[-1].number

    def score_v31(self) -> Score | None:
        return score_v31(self.cvss_v31) if self.cvss_v31 else None

    def score_v40(self) -> Score | None:
        return score_v40(self.cvss_v40) if self.cvss_v40 else None

    def has_ecosystem(self) -> bool:
        return any(p.ecosystem for p in self.products)


def check(advisory: Advisory) -> None:
    """Raise AdvisoryError naming every problem that keeps the advisory from being exported."""
    problems: list[str] = []
    a = advisory
    if not a.id.strip() or a.id != a.id.strip():
        problems.append("id: empty or surrounded by spaces")
    for name in ("title", "description"):
        text = getattr(a, name)
        if not text.en.strip() or not text.zh.strip():
            problems.append(f"{name}: needs both English and Chinese text")
    if a.solution is None and a.mitigation is None:
        problems.append("solution/mitigation: an advisory carries a fix or a mitigation")
    for name in ("solution", "mitigation", "impact"):
        text = getattr(a, name)
        if text is not None and (not text.en.strip() or not text.zh.strip()):
            problems.append(f"{name}: needs both English and Chinese text")
    if not a.products:
        problems.append("products: at least one affected product")
    for i, p in enumerate(a.products):
        if not p.vendor.strip() or not p.name.strip():
            problems.append(f"products[{i}]: vendor and name are required")
        if not p.versions and not p.fixed and not p.introduced:
            problems.append(f"products[{i}]: name affected versions or the fixed version")
        named = [*p.versions, *(v for v in (p.introduced, p.fixed) if v is not None)]
        for v in named:
            if not VERSION.match(v) or v.lower() in RANGE_WORDS:
                problems.append(f"products[{i}]: {v!r} is not a single version")
        if p.ecosystem and p.ecosystem not in ECOSYSTEMS:
            problems.append(f"products[{i}].ecosystem: unknown {p.ecosystem!r}")
        if p.ecosystem and not p.package:
            problems.append(f"products[{i}].package: needed with an ecosystem")
    if not a.revisions:
        problems.append("revisions: at least the initial revision")
    numbers = [r.number for r in a.revisions]
    if numbers and numbers != list(range(1, len(numbers) + 1)):
        problems.append("revisions: numbered 1, 2, 3... in order")
    dates = [r.date for r in a.revisions]
    if any(d.tzinfo is None for d in dates):
        problems.append("revisions: dates need a time zone")
    elif dates != sorted(dates):
        problems.append("revisions: dates must not go backwards")
    for c in a.cwe:
        if not CWE_ID.match(c):
            problems.append(f"cwe: {c!r} is not CWE-<number>")
    if a.cve_id and not CVE_ID.match(a.cve_id):
        problems.append(f"cve_id: {a.cve_id!r} is not CVE-YYYY-NNNN")
    for name, scorer in (("cvss_v31", score_v31), ("cvss_v40", score_v40)):
        vector = getattr(a, name)
        if vector:
            try:
                scorer(vector)
            except ValueError as e:
                problems.append(f"{name}: {e}")
    for c in a.credits:
        if c.kind not in CREDIT_TYPES or not c.name.strip():
            problems.append(f"credits: {c.name!r} needs a name and a kind in {CREDIT_TYPES}")
    for r in a.references:
        if r.kind not in REFERENCE_KINDS or not r.url.startswith(("https://", "http://")):
            problems.append(f"references: {r.url!r} needs an http(s) URL and a known kind")
    if problems:
        raise AdvisoryError(problems)


@dataclass(frozen=True)
class Publisher:
    """Who issues the documents (CSAF ``document.publisher``; the OSV/CVE provider)."""

    name: str
    namespace: str  # an https URL the publisher controls
    category: str = "coordinator"
    contact_details: str = ""
    issuing_authority: str = ""
