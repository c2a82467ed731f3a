"""zh-CN check messages are Chinese around the names they quote.

Messages interpolate code names, manifest values and strings from the package (exempt: they
are shown as the app has them), joined by the check's own words, which must be translated:
"Intent.getStringExtra("uname") via field uname" in a zh-CN message is a template fragment
left in English. Scans the corpus's vulnerable apps (the messages of every finding, open,
unreachable or a protection) for bare English words of the kind message templates are made
of (ENGLISH below) outside quotes and code names. A bare word from the package (a field
"uname", a table "users", a C function "strcpy") is no template word and is not flagged.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import mobsec

APPS = ("InsecureBankv2", "ovaa", "AndroGoat", "InsecureShop", "pivaa", "diva-beta", "dvba")
MASKED = re.compile(r"\S*\*\*\S*")  # a masked secret from the package (de****in)
QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’|<[^>]*>")
# A token: letters joined by code punctuation is a name (com.example.A, onCreate()V,
# android:exported, Log.d); only a bare lowercase word can be template English.
TOKEN = re.compile(r"[\w.$/:;<>()\[\]#@=+-]+")
WORD = re.compile(r"[a-z]{2,}")
# Words message templates are built from (articles, prepositions, connectives, and the nouns
# and verbs the checks use to describe a place or a flow).
ENGLISH = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "from",
        "by",
        "via",
        "with",
        "without",
        "for",
        "as",
        "into",
        "through",
        "before",
        "after",
        "and",
        "or",
        "not",
        "no",
        "nor",
        "but",
        "if",
        "when",
        "while",
        "than",
        "vs",
        "is",
        "are",
        "was",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "does",
        "do",
        "can",
        "may",
        "might",
        "must",
        "should",
        "runs",
        "run",
        "reaches",
        "reached",
        "called",
        "calls",
        "call",
        "used",
        "uses",
        "using",
        "stored",
        "written",
        "writes",
        "read",
        "reads",
        "passed",
        "passes",
        "sent",
        "sends",
        "returns",
        "returned",
        "loaded",
        "loads",
        "field",
        "value",
        "values",
        "labelled",
        "labeled",
        "argument",
        "arguments",
        "parameter",
        "result",
        "method",
        "class",
        "activity",
        "service",
        "receiver",
        "provider",
        "alias",
        "component",
        "extra",
        "extras",
        "action",
        "actions",
        "known",
        "unknown",
        "empty",
        "any",
        "every",
        "all",
        "some",
        "none",
        "only",
        "also",
        "other",
        "another",
        "same",
        "selection",
        "hosts",
        "host",
        "port",
        "ports",
        "default",
        "platform",
        "config",
        "network",
        "security",
        "manifest",
        "declared",
        "inherited",
        "line",
        "object",
        "data",
        "flow",
        "cannot",
        "name",
        "permitted",
        "blocked",
        "devices",
        "older",
        "newer",
        "clip",
        "intent",
    ]
)


def template_english(finding: dict[str, Any]) -> list[str]:
    zh = (finding.get("message") or {}).get("zh-CN") or ""
    package_text = finding.get("evidence") or ""
    out = []
    for token in TOKEN.findall(MASKED.sub(" ", QUOTED.sub(" ", zh))):
        if not WORD.fullmatch(token) or token not in ENGLISH:
            continue  # a code name, a number, an identifier, a name from the package
        if token in package_text.split():
            continue  # a word the package itself shows (a host, a scheme)
        out.append(token)
    return out


@pytest.fixture(scope="module")
def findings(corpus_apks: Path) -> list[dict[str, Any]]:
    out = []
    for app in APPS:
        doc = mobsec.scan(corpus_apks / "vulnapps" / f"{app}.apk").to_json()
        out += doc["findings"] + doc["unreachable_findings"] + doc["protections"]
    return out


@pytest.mark.corpus
def test_zh_messages_have_no_english_template_words(findings: list[dict[str, Any]]) -> None:
    bad = sorted(
        {
            (f["check_id"], w, f["message"]["zh-CN"][:160])
            for f in findings
            if f.get("message")
            for w in template_english(f)
        }
    )
    assert len(findings) > 150
    assert not bad, bad[:15]


def test_the_scan_sees_a_template_fragment() -> None:
    """The detector itself: the fragment this test was written for is found, names are not."""
    f = {
        "message": {"zh-CN": 'Intent.getStringExtra("uname") via field uname 到达 WebView.loadUrl'},
        "evidence": "",
    }
    assert template_english(f) == ["via", "field"]
    f["message"]["zh-CN"] = 'Intent.getStringExtra("uname") 经字段 uname 到达 WebView.loadUrl'
    f["evidence"] = "iget-object v0, p0, Lcom/x/A;->uname:Ljava/lang/String;"
    assert template_english(f) == []
