"""Scoring a security product's results on a labelled test set: recall and precision per
weakness class and overall (no Django; the platform and the tests call it).

- The **test set** names packages and, per package, the weaknesses expected in it: a weakness
  class and, where the ground truth names one, the class (code location) it is in.
- A **result** is what the product said: the package it names, its rule id, a location.
- The product's **mapping table** turns rule ids into weakness classes (a key ending in '.'
  maps a family of ids). A rule mapped to several classes counts once: for the first of its
  classes the package's ground truth has, otherwise as one false positive of its first class.
- An expected weakness is **found** when a mapped result names its package and class (and,
  where the ground truth names one, a location in that class). A mapped result that finds
  nothing is a **false positive**. Results are counted once per (package, class, location).
- Results whose rule is not in the mapping are listed as **unmapped**, and results that name
  no package of the set as **outside the set**: listed, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Expected:
    package: str  # the test set's name of the package
    weakness: str
    location: str | None = None


@dataclass(frozen=True, slots=True)
class Result:
    package: str  # as the product named it (file name, path, hash, app id)
    rule: str
    location: str | None = None


@dataclass(frozen=True, slots=True)
class SetPackage:
    name: str
    sha256: str = ""
    app_id: str = ""
    expected: tuple[Expected, ...] = ()


@dataclass
class ClassScore:
    weakness: str
    expected: int = 0
    found: int = 0
    results: int = 0
    true_results: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def precision(self) -> float | None:
        return self.true_results / self.results if self.results else None

    def to_json(self) -> dict[str, Any]:
        return {
            "weakness": self.weakness,
            "expected": self.expected,
            "found": self.found,
            "results": self.results,
            "true_results": self.true_results,
            "false_positives": self.results - self.true_results,
            "recall": self.recall,
            "precision": self.precision,
        }


@dataclass
class Score:
    overall: ClassScore
    per_class: list[ClassScore]
    missed: list[Expected] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[Result] = field(default_factory=list)
    outside: list[Result] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        def exp(e: Expected) -> dict[str, Any]:
            return {"package": e.package, "weakness": e.weakness, "location": e.location}

        def res(r: Result) -> dict[str, Any]:
            return {"package": r.package, "rule": r.rule, "location": r.location}

        return {
            "overall": self.overall.to_json(),
            "per_class": [c.to_json() for c in self.per_class],
            "missed": [exp(e) for e in self.missed],
            "false_positives": self.false_positives,
            "unmapped": [res(r) for r in self.unmapped],
            "outside": [res(r) for r in self.outside],
        }


_SUFFIX = re.compile(r"\.(java|kt|smali|class)$")


def normalise_location(text: str | None) -> str:
    """'Lcom/x/Y;' / 'com/x/Y.java' / 'com.x.Y.m()' -> 'com.x.y' style dotted lower text."""
    t = (text or "").strip()
    if t.startswith("L") and t.endswith(";"):
        t = t[1:-1]
    t = t.split("(", 1)[0].split(":", 1)[0]
    t = _SUFFIX.sub("", t.replace("\\", "/"))
    return t.replace("/", ".").strip(".").lower()


def location_matches(result: str | None, expected: str | None) -> bool:
    """A result's location is in the expected class: same name, a name ending in it, or a
    member or inner class of it."""
    if not expected:
        return True
    r, e = normalise_location(result), normalise_location(expected)
    if not r or not e:
        return False
    for cand in (r, r.rsplit(".", 1)[0] if "." in r else r):  # com.x.Y or com.x.Y.method
        base = cand.split("$", 1)[0]
        if base == e or base.endswith("." + e):
            return True
    return False


def classes_for(rule: str, mapping: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The classes a rule id maps to: exact key first, else the longest family key (one
    lookup per '.' of the rule id, whatever the size of the table)."""
    if rule in mapping:
        return mapping[rule]
    end = rule.rfind(".")
    while end >= 0:
        family = rule[: end + 1]
        if family in mapping:
            return mapping[family]
        end = rule.rfind(".", 0, end)
    return ()


def package_resolver(packages: Iterable[SetPackage]):
    """A function from what a product wrote (name, path, URI, hash, app id) to the test set's
    package name, or None."""
    names: dict[str, str] = {}
    for p in packages:
        for key in (p.name, p.sha256, p.app_id):
            if key:
                names[key.lower()] = p.name
        stem = p.name.rsplit(".", 1)[0]
        names.setdefault(stem.lower(), p.name)

    def resolve(text: str) -> str | None:
        t = (text or "").strip().lower()
        if not t:
            return None
        if t in names:
            return names[t]
        for part in re.split(r"[/\\!#?\s]+", t.removeprefix("file://")):
            if part in names:
                return names[part]
        return None

    return resolve


def score(
    packages: list[SetPackage], results: Iterable[Result], mapping: dict[str, tuple[str, ...]]
) -> Score:
    resolve = package_resolver(packages)
    expected_by_pkg: dict[str, list[Expected]] = {p.name: list(p.expected) for p in packages}
    classes: dict[str, ClassScore] = {}
    for p in packages:
        for e in p.expected:
            classes.setdefault(e.weakness, ClassScore(e.weakness)).expected += 1
    out = Score(ClassScore("*"), [])
    found: set[Expected] = set()
    seen: set[tuple[str, str, str]] = set()
    for r in results:
        pkg = resolve(r.package)
        if pkg is None:
            out.outside.append(r)
            continue
        mapped = classes_for(r.rule, mapping)
        if not mapped:
            out.unmapped.append(r)
            continue
        exp = expected_by_pkg[pkg]
        weakness = next((c for c in mapped if any(e.weakness == c for e in exp)), mapped[0])
        key = (pkg, weakness, normalise_location(r.location))
        hits = [
            e for e in exp if e.weakness == weakness and location_matches(r.location, e.location)
        ]
        if key in seen:
            found.update(hits)  # a duplicate still finds what it finds
            continue
        seen.add(key)
        cs = classes.setdefault(weakness, ClassScore(weakness))
        cs.results += 1
        if hits:
            cs.true_results += 1
            found.update(hits)
        else:
            out.false_positives.append(
                {"package": pkg, "weakness": weakness, "rule": r.rule, "location": r.location}
            )
    for p in packages:
        for e in p.expected:
            if e in found:
                classes[e.weakness].found += 1
            else:
                out.missed.append(e)
    out.per_class = sorted(classes.values(), key=lambda c: c.weakness)
    for c in out.per_class:
        out.overall.expected += c.expected
        out.overall.found += c.found
        out.overall.results += c.results
        out.overall.true_results += c.true_results
    return out
