"""Entries other apps add to disclosure's public Atom feed (``/advisories/feed.atom``).

An app registers a provider in its ``ready()``: ``provider(base, lang, limit)`` returns up to
``limit`` :class:`FeedEntry` items, newest first, of what it has **published** — only items
that passed that app's publication guards (the incidents' bulletins: ``incidents/bulletins``).
The feed merges them with the advisories by date.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class FeedEntry:
    title: str
    link: str
    description: str
    published: datetime
    updated: datetime


Provider = Callable[[str, str, int], list[FeedEntry]]
PROVIDERS: list[Provider] = []

# Characters XML 1.0 cannot carry at all (escaping does not help): C0 controls but tab/LF/CR,
# surrogates, U+FFFE/U+FFFF. Text typed by a coordinator may hold them; the feed must parse.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def register(provider: Provider) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def entries(base: str, lang: str, limit: int) -> list[FeedEntry]:
    """Every provider's newest ``limit`` entries."""
    return [e for provider in PROVIDERS for e in provider(base, lang, limit)]


def xml_text(text: str) -> str:
    return NOT_XML.sub("", text or "")
