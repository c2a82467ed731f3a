"""Maven version order, against the order Maven's ComparableVersion documents."""

from __future__ import annotations

import time

import pytest

from mobsec.facts.inventory.maven_version import parse_version

# each list is strictly increasing in Maven order
ASCENDING = [
    [
        "1.0-alpha",
        "1.0-alpha-2",
        "1.0-beta",
        "1.0-milestone-1",
        "1.0-rc1",
        "1.0-SNAPSHOT",
        "1.0",
        "1.0-sp",
        "1.0-foo",
        "1.0.1",
    ],
    ["2.9.10", "2.9.10.1", "2.9.10.8", "2.9.11"],
    ["3.12.0-alpha1", "3.12.0-beta", "3.12.0-RC1", "3.12.0-RC2", "3.12.0", "3.12.1"],
    [
        "4.9.1",
        "4.9.2",
        "4.10.0-RC1",
        "4.10.0",
        "5.0.0-alpha.1",
        "5.0.0-alpha.2",
        "5.0.0-alpha.10",
        "5.0.0",
    ],
    ["2.12.6", "2.12.6.1", "2.12.7", "2.13.0"],
    ["1.0a1", "1.0b1", "1.0m1", "1.0"],
    ["1", "1.1", "1.10", "2"],
]
EQUAL = [
    ("1.0", "1.0.0"),
    ("1", "1.0.0.0"),
    ("1-ga", "1"),
    ("1.0-final", "1.0"),
    ("1.0-RELEASE", "1.0"),
    ("1.0-cr1", "1.0-rc1"),
    ("1.0a1", "1.0-alpha-1"),
    ("1.0.0.RC1", "1.0.0-RC1"),
    ("1.0-Beta", "1.0-beta"),
]


@pytest.mark.parametrize("versions", ASCENDING, ids=lambda v: v[0])
def test_order(versions: list[str]) -> None:
    parsed = [parse_version(v) for v in versions]
    for a, b, ta, tb in zip(parsed, parsed[1:], versions, versions[1:], strict=False):
        assert a is not None and b is not None
        assert a < b, f"{ta} < {tb}"
        assert not b < a and a != b, f"{ta} != {tb}"


@pytest.mark.parametrize(("a", "b"), EQUAL)
def test_equal(a: str, b: str) -> None:
    assert parse_version(a) == parse_version(b)


@pytest.mark.parametrize(
    "text",
    [None, "", "abc", "-1", "1.0 beta", "1.0<script>", "../../etc", "9" * 65, "1." * 40, "１.0"],
)
def test_implausible_versions_are_unknown(text: str | None) -> None:
    assert parse_version(text) is None


def test_crafted_versions_neither_crash_nor_hang() -> None:
    crafted = [
        "9" * 64,
        "1" + "-" * 63,
        "1" + ".a1" * 21,
        "1" + "a1" * 31,
        "0" + ".0" * 31,
        "1-" * 32,
    ]
    start = time.perf_counter()
    for text in crafted:
        v = parse_version(text[:64])
        assert v is not None
        assert (v < parse_version("1.0")) in (True, False)
    assert time.perf_counter() - start < 1.0
