"""App names compared the way a user reads them on a store page.

Counterfeits copy a brand with small changes a user does not see: full-width or look-alike
letters (Cyrillic "а" for Latin "a"), a homophone in Chinese (支付保 for 支付宝, same
pinyin), an extra word ("微信极速版"). So names are compared after normalisation
(NFKC, case, confusables, punctuation and spaces removed), by toneless pinyin, by edit
distance, and by containment of the brand (the genuine name inside the candidate's).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

MAX_NAME_CHARS = 200  # longer "names" are cut: a label is never that long on a store page

# Look-alike characters mapped to the letter they imitate (a small table of the usual
# tricks: Cyrillic and Greek homoglyphs, digits for letters). NFKC already folds
# full-width forms and ligatures.
CONFUSABLES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ӏ": "l", "һ": "h", "к": "k", "м": "m", "т": "t",
        "в": "b", "н": "h", "α": "a", "ο": "o", "ρ": "p", "ν": "v", "τ": "t", "ι": "i",
        "κ": "k", "χ": "x", "ε": "e", "υ": "u", "0": "o", "1": "l", "3": "e", "5": "s",
        "|": "l", "!": "i",
    }
)  # fmt: skip


def normalise(name: str) -> str:
    """Case-, width- and look-alike-insensitive form, without spaces and punctuation."""
    text = unicodedata.normalize("NFKC", name[:MAX_NAME_CHARS]).casefold()
    text = text.translate(CONFUSABLES).replace("rn", "m").replace("vv", "w")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


@lru_cache(maxsize=4096)
def pinyin(name: str) -> str:
    """Toneless pinyin of the Chinese characters, other characters kept (normalised)."""
    return normalise("".join(lazy_pinyin(name[:MAX_NAME_CHARS], style=Style.NORMAL)))


def has_han(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (names are short: MAX_NAME_CHARS bounds the work)."""
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


@dataclass(frozen=True, slots=True)
class NameMatch:
    score: float  # 0..1
    how: str  # exact, confusable, pinyin, brand, edit, none
    candidate: str
    genuine: str

    def to_json(self) -> dict[str, object]:
        return {
            "score": round(self.score, 3),
            "how": self.how,
            "candidate": self.candidate,
            "genuine": self.genuine,
        }


def compare_names(candidate: str, genuine: str) -> NameMatch:
    """How closely ``candidate`` imitates ``genuine`` (the best of the comparisons)."""
    c, g = normalise(candidate), normalise(genuine)
    if not c or not g:
        return NameMatch(0.0, "none", candidate, genuine)
    if candidate.strip() == genuine.strip():
        return NameMatch(1.0, "exact", candidate, genuine)
    if c == g:
        return NameMatch(0.97, "confusable", candidate, genuine)
    if (has_han(candidate) or has_han(genuine)) and pinyin(candidate) == pinyin(genuine):
        return NameMatch(0.93, "pinyin", candidate, genuine)
    # The brand inside a longer name ("微信极速版", "WeChat Lite"): as strong as the
    # brand is distinctive, so short brands (2 characters) count less.
    if len(g) >= 2 and g in c:
        return NameMatch(min(0.9, 0.6 + 0.075 * len(g)), "brand", candidate, genuine)
    distance = edit_distance(c, g)
    ratio = 1.0 - distance / max(len(c), len(g))
    if has_han(candidate) or has_han(genuine):
        pc, pg = pinyin(candidate), pinyin(genuine)
        ratio = max(ratio, 1.0 - edit_distance(pc, pg) / max(len(pc), len(pg), 1))
    return NameMatch(max(0.0, ratio) * 0.9, "edit" if ratio > 0 else "none", candidate, genuine)


def best_name_match(candidates: list[str], genuines: list[str]) -> NameMatch | None:
    best: NameMatch | None = None
    for c in candidates:
        for g in genuines:
            m = compare_names(c, g)
            if best is None or m.score > best.score:
                best = m
    return best


def index_keys(name: str) -> set[str]:
    """Keys under which a name is indexed: its normalised form and pinyin, and each with
    one character deleted (two names one edit apart share a key)."""
    keys: set[str] = set()
    for base in {normalise(name), pinyin(name) if has_han(name) else ""}:
        if len(base) < 2:
            continue
        keys.add(base)
        if len(base) <= 40:
            keys.update(base[:i] + base[i + 1 :] for i in range(len(base)))
    return keys
