"""The comparisons behind sdk version ranges and call argument shapes."""

from __future__ import annotations

import pytest

from mobsec.facts.dataflow import Value
from mobsec.rules.evaluator import _arg_ok
from mobsec.rules.patterns import Pattern
from mobsec.rules.schema import Range, version_key


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("1.0.9", "1.0.26"),
        ("1.0.26-beta", "1.0.27"),
        ("2", "10"),
        ("4.9", "4.9.1"),
        ("v3.2", "3.10"),
    ],
)
def test_versions_order_by_their_numbers(a, b):
    assert version_key(a) < version_key(b)


def test_version_suffixes_do_not_order_releases():
    assert version_key("1.0.26-beta2") == version_key("1.0.26") == (1, 0, 26)
    assert Range((("gte", version_key("1.0")), ("lt", version_key("1.0.26")))).holds(
        version_key("1.0.10")
    )
    assert not Range((("lt", version_key("1.0.26")),)).holds(version_key("1.0.30"))


def test_argument_shapes():
    su = Value("string", "su")
    param = Value("param", 0)
    seven = Value("const", 7)
    assert _arg_ok({"index": 0, "equals": "su"}, su)
    assert not _arg_ok({"index": 0, "equals": "su"}, Value("string", "sudo"))
    assert _arg_ok({"index": 0, "matches": Pattern("^su$")}, su)
    assert not _arg_ok({"index": 0, "matches": Pattern("^su$")}, param)
    assert _arg_ok({"index": 0, "equals": 7}, seven) and not _arg_ok({"index": 0, "equals": 7}, su)
    assert _arg_ok({"index": 0, "shape": "constant"}, su)
    assert _arg_ok({"index": 0, "shape": "not-constant"}, param)
    assert _arg_ok({"index": 0, "shape": "param"}, param)
    assert not _arg_ok({"index": 0, "shape": "param"}, su)
    assert _arg_ok({"index": 0, "shape": "int"}, seven)
    assert _arg_ok({"index": 0, "shape": "string"}, Value("concat", (su, Value("string", " -c"))))
