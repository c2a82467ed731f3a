"""Rule patterns on RE2 (linear time): a rule file cannot make a scan hang on a regex.

Python's ``re`` backtracks, so ``(a+)+$`` against a long string takes exponential time; RE2
has no backtracking and refuses what it cannot run in linear time (backreferences,
look-around) at compile time, which the loader reports as a rule error. Programs are also
bounded in memory, so a pattern such as ``((a{100}){100}){100}`` is refused too.
"""

from __future__ import annotations

import re2

MAX_PATTERN = 1000  # characters of one pattern
MAX_PROGRAM_MEMORY = 8 << 20  # bytes of one compiled RE2 program


class PatternError(ValueError):
    pass


class Pattern:
    """A compiled rule pattern; ``search`` semantics (anchor with ``^``/``$`` to match whole)."""

    __slots__ = ("_re", "source")

    def __init__(self, source: str) -> None:
        if len(source) > MAX_PATTERN:
            raise PatternError(f"pattern longer than {MAX_PATTERN} characters")
        options = re2.Options()
        options.max_mem = MAX_PROGRAM_MEMORY
        options.log_errors = False
        try:
            self._re = re2.compile(source, options)
        except re2.error as e:
            raise PatternError(str(e) or "invalid RE2 pattern") from e
        self.source = source

    def search(self, text: str) -> bool:
        return self._re.search(text) is not None

    def __repr__(self) -> str:
        return f"Pattern({self.source!r})"
