"""Known secret formats (patterns.json), entropy, and masking of secret values.

The catalog is data so a reviewer can add a format without touching code; it is validated
against patterns.schema.json in the tests. Every value shown in a report goes through
:func:`mask`: a report is shared with vendors and regulators and must not leak the key.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources

from mobsec.report.model import Confidence, Severity, Text

MAX_SCANNED = 8192  # characters of one string searched (longer strings: the start only)


@dataclass(frozen=True, slots=True)
class SecretPattern:
    id: str
    name: Text
    regex: re.Pattern[str]
    severity: Severity
    confidence: Confidence


@dataclass(frozen=True, slots=True)
class ManifestKey:
    id: str
    name: Text
    meta_data: str


@dataclass(frozen=True, slots=True)
class SecretMatch:
    pattern: SecretPattern
    value: str  # the secret (never shown unmasked)
    start: int  # position of the match in the searched text


def _load() -> dict:
    return json.loads(
        resources.files("mobsec.checks.secrets").joinpath("patterns.json").read_text("utf-8")
    )


@cache
def patterns() -> tuple[SecretPattern, ...]:
    return tuple(
        SecretPattern(
            p["id"],
            Text(p["name"]["en"], p["name"]["zh-CN"]),
            re.compile(p["regex"]),
            Severity(p["severity"]),
            Confidence(p["confidence"]),
        )
        for p in _load()["patterns"]
    )


@cache
def manifest_keys() -> tuple[ManifestKey, ...]:
    return tuple(
        ManifestKey(k["id"], Text(k["name"]["en"], k["name"]["zh-CN"]), k["meta_data"])
        for k in _load()["manifest_keys"]
    )


def find_secrets(text: str) -> list[SecretMatch]:
    """Known-format secrets in ``text`` (first match of each pattern)."""
    text = text[:MAX_SCANNED]
    out = []
    for p in patterns():
        m = next(
            (
                m
                for m in p.regex.finditer(text)
                if m.start() == 0 or not text[m.start() - 1].isalnum() or p.id == "url-credentials"
            ),
            None,
        )
        if m is None:
            continue
        value = m.group("secret") if "secret" in p.regex.groupindex else m.group(0)
        if p.id == "private-key":
            value = m.group(0)
        out.append(SecretMatch(p, value, m.start()))
    return out


def mask(value: str) -> str:
    """A recognisable but useless form of a secret: "AKIA****WXYZ".

    Long values keep 4 characters at each end, medium ones 2, short ones none, so a
    reviewer can tell two findings apart and find the value in the app, but cannot use it.
    """
    if value.startswith("-----BEGIN"):
        head = value.split("-----")[1] if value.count("-----") >= 2 else "PRIVATE KEY"
        return f"-----{head}-----****"
    n = len(value)
    if n >= 16:
        return f"{value[:4]}****{value[-4:]}"
    if n >= 8:
        return f"{value[:2]}****{value[-2:]}"
    return "****"


def mask_in(text: str, secrets: list[str]) -> str:
    """``text`` with every occurrence of each secret (and of its escaped form) masked."""
    for s in sorted(set(secrets), key=len, reverse=True):
        if not s:
            continue
        m = mask(s)
        text = text.replace(s, m)
        escaped = json.dumps(s)[1:-1]  # how the disassembler quotes it
        if escaped != s:
            text = text.replace(escaped, m)
        if len(s) > 64:  # evidence may cut a long string: mask any long prefix too
            text = text.replace(s[:64], m)
    return text


def shannon_entropy(value: str) -> float:
    """Bits per character."""
    if not value:
        return 0.0
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in Counter(value).values())


KEY_NAME = re.compile(
    r"(?i)(api[_-]?key|apikey|secret|token|passw|passwd|pwd|credential|private[_-]?key|"
    r"access[_-]?key|auth[_-]?key|client[_-]?secret|app[_-]?key|appsecret|signing[_-]?key|"
    r"encryption[_-]?key|aes[_-]?key|master[_-]?key)"
)
DOTTED_NAME = re.compile(r"^[A-Za-z_$][\w$]*(?:[.:][A-Za-z_$][\w$]*)+$")
WORD_TOKENS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+|[^A-Za-z\d]")
TOKEN_ALPHABET = re.compile(r"^[A-Za-z0-9+/=_\-.:]+$")
MIN_ENTROPY_LEN = 16
MAX_ENTROPY_LEN = 256


def looks_random(value: str) -> bool:
    """A high-entropy token (no spaces, mixed classes): what a key or secret looks like.

    The threshold scales with length: a 16-character string has at most 4 bits/char; real
    keys of that length come close to it, English identifiers do not.
    """
    n = len(value)
    if not MIN_ENTROPY_LEN <= n <= MAX_ENTROPY_LEN or not TOKEN_ALPHABET.match(value):
        return False
    # The cheap shape tests before the entropy (which counts every character).
    if DOTTED_NAME.match(value) or value.startswith(("http", "/")) or "/" in value[1:-2]:
        return False  # class/package/action names and paths, not keys
    if shannon_entropy(value) < min(4.2, math.log2(n) * 0.85):
        return False
    if _made_of_words(value):
        return False  # identifiers made of words: "getAccessTokenForUser"
    classes = sum(
        (
            any(c.islower() for c in value),
            any(c.isupper() for c in value),
            any(c.isdigit() for c in value),
        )
    )
    return classes >= 2


def _made_of_words(value: str) -> bool:
    """camelCase / snake_case made of real-looking words (tokens of 3+ letters); a short
    capital run is an acronym's start ("InvalidXPointerToken": X + Pointer), as long as two
    real words remain."""
    tokens = WORD_TOKENS.findall(value)
    return (
        all(len(t) >= 3 or not t.isalpha() or t.isupper() for t in tokens)
        and sum(1 for t in tokens if t.isalpha() and len(t) >= 3) >= 2
    )
