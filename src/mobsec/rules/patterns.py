"""Rule patterns on RE2 (linear time): a rule file cannot make a scan hang on a regex.

Python's ``re`` backtracks, so ``(a+)+$`` against a long string takes exponential time; RE2
has no backtracking and refuses what it cannot run in linear time (backreferences,
look-around) at compile time, which the loader reports as a rule error. Programs are also
bounded in memory, so a pattern such as ``((a{100}){100}){100}`` is refused too.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_right
from collections.abc import Iterable

import re2

MAX_PATTERN = 1000  # characters of one pattern
MAX_PROGRAM_MEMORY = 8 << 20  # bytes of one compiled RE2 program


class PatternError(ValueError):
    pass


class Pattern:
    """A compiled rule pattern; ``search`` semantics (anchor with ``^``/``$`` to match whole)."""

    __slots__ = ("_joined", "_re", "source")

    def __init__(self, source: str) -> None:
        if len(source) > MAX_PATTERN:
            raise PatternError(f"pattern longer than {MAX_PATTERN} characters")
        try:
            self._re = re2.compile(source, _options())
        except re2.error as e:
            raise PatternError(str(e) or "invalid RE2 pattern") from e
        self.source = source
        self._joined: re2._Regexp | bool | None = False  # built on first use of ``matching``

    def search(self, text: str) -> bool:
        try:
            return self._re.search(text) is not None
        except UnicodeEncodeError:  # a lone surrogate (broken MUTF-8 in a DEX string)
            return self._re.search(valid_text(text)) is not None

    def matching(self, hay: Haystack) -> set[str]:
        """The texts of ``hay`` that ``search`` would accept, found by one RE2 pass over all
        of them (a call per text costs ~100x the matching itself on apps with 100k strings).

        The pass runs in multi-line mode over the texts joined by newlines: every text
        with a match is touched by a match of the pass (``^``/``$``/``\\b`` behave the same
        at a text's ends there), so the texts it touches are candidates, each confirmed by
        ``search`` on its own: the same answer as ``search`` on every text. Patterns whose
        meaning the joining could change (``\\A``, ``\\z``, multi-line mode switched off)
        are run text by text."""
        joined = self._joined_program()
        if joined is None:
            return {t for t in hay.texts if self.search(t)}
        hits: set[int] = set()
        starts = hay.starts
        for m in joined.finditer(hay.buffer):
            first = bisect_right(starts, m.start()) - 1
            last = bisect_right(starts, max(m.start(), m.end() - 1)) - 1
            hits.update(range(max(first, 0), last + 1))
        return {t for i in hits if self.search(t := hay.texts[i])}

    def _joined_program(self) -> re2._Regexp | None:
        if self._joined is False:
            self._joined = None
            if _joinable(self.source):
                with contextlib.suppress(re2.error):  # text by text then
                    self._joined = re2.compile("(?m)" + self.source, _options())
        return self._joined  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"


def _options() -> re2.Options:
    options = re2.Options()
    options.max_mem = MAX_PROGRAM_MEMORY
    options.log_errors = False
    return options


class Haystack:
    """Distinct texts joined by newlines as UTF-8, with where each starts: what
    :meth:`Pattern.matching` runs over (build it once, match many patterns)."""

    __slots__ = ("buffer", "starts", "texts")

    def __init__(self, texts: Iterable[str]) -> None:
        self.texts = list(dict.fromkeys(texts))
        parts, self.starts = [], []
        at = 0
        for text in self.texts:
            try:
                b = text.encode("utf-8")
            except UnicodeEncodeError:
                b = valid_text(text).encode("utf-8")
            self.starts.append(at)
            parts.append(b)
            at += len(b) + 1
        self.buffer = b"\n".join(parts)


def valid_text(text: str) -> str:
    """``text`` with its lone surrogates as U+FFFD: what RE2 (UTF-8) can be given."""
    return text.translate(_SURROGATES)


_SURROGATES = dict.fromkeys(range(0xD800, 0xE000), "\ufffd")


def _joinable(source: str) -> bool:
    """False for patterns that could mean something else over joined texts: the absolute
    anchors, or a flag group that turns multi-line mode off (``(?-m)``, ``(?i-m:...)``)."""
    if "\\A" in source or "\\z" in source:
        return False
    at = source.find("(?")
    while at >= 0:
        flags = ""
        for ch in source[at + 2 :]:
            if ch not in "imsU-":
                break
            flags += ch
        if "-" in flags and "m" in flags.split("-", 1)[1]:
            return False
        at = source.find("(?", at + 2)
    return True
