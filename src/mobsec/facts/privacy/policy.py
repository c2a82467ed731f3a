"""A privacy policy (text or HTML, zh or en) compared with what the app does.

The policy is user input, possibly hostile HTML: it is read with a size limit, tags are
stripped with the standard library's tolerant :class:`html.parser.HTMLParser` (no
network, no entity expansion beyond HTML's own), ``<script>``/``<style>`` dropped, and
the text split into sentences at Chinese and Western sentence ends and line breaks.

A sentence *declares* a PI type when it contains one of that type's keywords from the
PI catalog (zh or en lexicon, case-insensitive for en, whole words for short Latin
keywords), and a third-party SDK when it names that SDK by one of its own names (zh or
en, shortened forms included) — a vendor's name only when the vendor ships no other
catalogued SDK, since "Google" or "腾讯" alone names none of their dozens. Comparing
with the "who collects what" facts gives:

* observed-but-undeclared — PI types the app's code (or an SDK) reads that no sentence
  mentions (191号文 2.1 / 3.9), and SDKs that read PI without being named;
* declared-but-unobserved — PI types the policy mentions that no code reads (often
  collected on the server or by forms; reported for the reviewer, not as a violation).

Keyword matching is a heuristic: "we do not collect your location" still mentions
location. The evidence sentence is kept so a reviewer can judge.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mobsec.diagnostics import InputError
from mobsec.facts.privacy.catalog import PiCatalog, load_pi_catalog

if TYPE_CHECKING:
    from mobsec.facts.owners import Sdk, SdkCatalog
    from mobsec.facts.privacy.collection import PiCollection

MAX_POLICY_BYTES = 4 << 20
MAX_SENTENCES = 20_000
MAX_SENTENCE_CHARS = 2_000
MAX_EVIDENCE_PER_ITEM = 3
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=[.])\s+|\n+")
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "section"}
    | {"table", "ul", "ol", "article", "header", "footer", "title", "dt", "dd", "blockquote"}
)
COMPLAINT_MARKERS = (
    "投诉",
    "举报",
    "联系我们",
    "contact us",
    "complaint",
    "data protection officer",
    "个人信息保护负责人",
)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def looks_like_html(text: str) -> bool:
    head = text[:4096].lower()
    return (
        "<html" in head or "<body" in head or "<p" in head or "<div" in head or "<!doctype" in head
    )


def split_sentences(text: str) -> list[str]:
    out = []
    for raw in _SENTENCE_END.split(text):
        s = " ".join(raw.split())
        if s:
            out.append(s[:MAX_SENTENCE_CHARS])
            if len(out) >= MAX_SENTENCES:
                break
    return out


def decode_policy(data: bytes) -> str:
    """Bytes of a policy file as text: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


@dataclass(slots=True)
class Declaration:
    """A PI type or SDK the policy mentions, with the sentences that mention it."""

    subject: str  # PI type id or SDK id
    sentences: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.subject, "sentences": self.sentences}


@dataclass(slots=True)
class PolicyDocument:
    name: str
    language: str  # zh | en | mixed
    sentences: list[str]
    pi_types: dict[str, Declaration]
    sdks: dict[str, Declaration]
    complaint_channel: list[str]  # sentences naming a complaint/contact channel

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "language": self.language,
            "sentence_count": len(self.sentences),
            "pi_types": [d.to_json() for _, d in sorted(self.pi_types.items())],
            "sdks": [d.to_json() for _, d in sorted(self.sdks.items())],
            "complaint_channel": self.complaint_channel[:MAX_EVIDENCE_PER_ITEM],
        }


def read_policy_file(path: Path) -> bytes:
    """The policy file's bytes; :class:`InputError` when it cannot be used."""
    try:
        size = path.stat().st_size
        if size > MAX_POLICY_BYTES:
            raise InputError(
                "policy.too_large",
                str(path),
                f"Privacy policy file is {size} bytes, more than {MAX_POLICY_BYTES}",
                f"隐私政策文件大小 {size} 字节，超过上限 {MAX_POLICY_BYTES}",
            )
        with path.open("rb") as f:
            return f.read(MAX_POLICY_BYTES + 1)[:MAX_POLICY_BYTES]
    except OSError as e:
        raise InputError(
            "policy.unreadable",
            str(path),
            f"Cannot read the privacy policy: {e}",
            f"无法读取隐私政策文件：{e}",
        ) from e


def parse_policy(
    data: bytes | str,
    name: str = "privacy-policy",
    *,
    catalog: PiCatalog | None = None,
    sdk_catalog: SdkCatalog | None = None,
) -> PolicyDocument:
    catalog = catalog or load_pi_catalog()
    text = decode_policy(data[:MAX_POLICY_BYTES]) if isinstance(data, bytes) else data
    text = text[:MAX_POLICY_BYTES]
    if looks_like_html(text):
        text = html_to_text(text)
    sentences = split_sentences(text)
    cjk = sum(1 for c in text[:20000] if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for c in text[:20000] if c.isascii() and c.isalpha())
    language = "zh" if cjk > latin / 4 else "en" if cjk == 0 else "mixed"
    pi_matchers = {tid: _matcher(t.keywords_zh + t.keywords_en) for tid, t in catalog.types.items()}
    sdk_matchers: dict[str, re.Pattern[str]] = {}
    if sdk_catalog is not None:
        shared = _shared_vendor_names(sdk_catalog)
        for sdk in sdk_catalog:
            sdk_matchers[sdk.id] = _matcher(_sdk_names(sdk, shared))
    pi_types: dict[str, Declaration] = {}
    sdks: dict[str, Declaration] = {}
    complaint = []
    for s in sentences:
        for tid, rx in pi_matchers.items():
            if rx.search(s):
                d = pi_types.setdefault(tid, Declaration(tid))
                if len(d.sentences) < MAX_EVIDENCE_PER_ITEM:
                    d.sentences.append(s)
        for sid, rx in sdk_matchers.items():
            if rx.search(s):
                d = sdks.setdefault(sid, Declaration(sid))
                if len(d.sentences) < MAX_EVIDENCE_PER_ITEM:
                    d.sentences.append(s)
        low = s.lower()
        if any(m in low for m in COMPLAINT_MARKERS):
            complaint.append(s)
    return PolicyDocument(name, language, sentences, pi_types, sdks, complaint)


_GENERIC = frozenset({"support", "android", "library", "client", "common", "core", "base", "sdk"})


def _vendor_names(sdk: Sdk) -> set[str]:
    return {re.split(r"[（(]", v, maxsplit=1)[0].strip() for v in sdk.vendor.values()}


def _shared_vendor_names(catalog: SdkCatalog) -> frozenset[str]:
    """Vendor names (lower case) that more than one catalogued SDK has."""
    counts = Counter(v.lower() for sdk in catalog for v in _vendor_names(sdk))
    return frozenset(v for v, n in counts.items() if n > 1)


def _sdk_names(sdk: Sdk, shared_vendors: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """Names a policy may use for an SDK: its names, shortened ones, and its vendor when
    that vendor has no other SDK; never a name that is only a shared vendor's."""
    names = {sdk.name["en"], sdk.name["zh-CN"]}
    for n in list(names):
        short = re.sub(r"\b(SDK|Android|Library|Client|for)\b|SDK|组件库?|库", "", n).strip()
        names.add(short)
    for n in list(names):
        names.add(re.split(r"[（(]", n, maxsplit=1)[0].strip())  # "Firebase core (common)"
        m = re.fullmatch(r"(.+?) for (.+)", n)  # "Google Analytics for Firebase"
        if m:
            names.add(f"{m.group(2)} {m.group(1).split()[-1]}")  # "Firebase Analytics"
    names.add(sdk.id.replace("-", " "))  # "firebase analytics", "amap location"
    names |= _vendor_names(sdk)
    return tuple(
        sorted(
            n
            for n in names
            if n.lower() not in _GENERIC
            and n.lower() not in shared_vendors
            and (len(n) >= 4 or (len(n) >= 2 and not n.isascii()))
        )
    )


def _matcher(words: tuple[str, ...] | list[str]) -> re.Pattern[str]:
    """One regex per subject: CJK keywords as substrings, Latin ones as whole words."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        if not w.strip():
            continue
        esc = re.escape(w)
        parts.append(esc if not w[:1].isascii() else rf"(?<![A-Za-z0-9]){esc}(?![A-Za-z0-9])")
    return re.compile("|".join(parts) or r"(?!)", re.IGNORECASE)


@dataclass(slots=True)
class PolicyComparison:
    undeclared_pi: list[str]  # observed PI types the policy does not mention
    unobserved_pi: list[str]  # PI types the policy mentions that no code reads
    undeclared_sdks: list[str]  # SDKs that read PI and are not named
    declared_sdks: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "observed_but_undeclared_pi": self.undeclared_pi,
            "declared_but_unobserved_pi": self.unobserved_pi,
            "pi_reading_sdks_not_named": self.undeclared_sdks,
            "named_sdks": self.declared_sdks,
        }


def compare_policy(
    policy: PolicyDocument, collection: PiCollection, present: set[str] | None = None
) -> PolicyComparison:
    """``present``: ids of the SDKs found in the app; "named" lists only those (a policy
    naming an SDK the app does not ship is not evidence about the app)."""
    observed = set(collection.uses)
    declared = set(policy.pi_types)
    sdk_readers = sorted(
        c.owner.sdk.id
        for c in collection.collectors.values()
        if c.owner.kind == "sdk" and c.owner.sdk is not None and c.owner.sdk.pi_related
    )
    return PolicyComparison(
        undeclared_pi=sorted(observed - declared),
        unobserved_pi=sorted(declared - observed),
        undeclared_sdks=[s for s in sdk_readers if s not in policy.sdks],
        declared_sdks=sorted(s for s in policy.sdks if present is None or s in present),
    )
