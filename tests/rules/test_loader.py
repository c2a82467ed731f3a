"""Malformed and hostile rule files: a clear error naming the file, the line and the problem,
in bounded time; never a traceback, a hang or a regex that backtracks."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from mobsec.rules.loader import load_pack, load_rule_file
from mobsec.rules.yamlsafe import MAX_BYTES, RuleFileError

from .conftest import CONSTRUCTS_PACK, EXAMPLE_PACK

HANG_GUARD_S = 10  # generous: each case takes milliseconds

GOOD = """\
rules:
  - id: android.emergency.example
    title: {en: Example, zh-CN: 示例}
    description: {en: An example rule., zh-CN: 示例规则。}
    remediation: {en: Fix it., zh-CN: 修复。}
    severity: high
    confidence: medium
    cwe: [1104]
    masvs: [MASVS-CODE-3]
    match:
      permission: READ_SMS
"""


def _error(tmp_path: Path, text: str | bytes) -> RuleFileError:
    path = tmp_path / "bad.yaml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    start = time.perf_counter()
    with pytest.raises(RuleFileError) as info:
        load_rule_file(path)
    assert time.perf_counter() - start < HANG_GUARD_S
    err = info.value
    assert err.file == str(path)
    assert err.en and err.zh and err.en != err.zh
    return err


def test_the_shipped_packs_load():
    assert len(load_pack(EXAMPLE_PACK).rules) == 3
    assert len(load_pack(CONSTRUCTS_PACK).rules) == 18


def test_a_good_rule_loads(tmp_path):
    path = tmp_path / "good.yaml"
    path.write_text(GOOD, encoding="utf-8")
    (rule,) = load_rule_file(path)
    assert rule.meta.id == "android.emergency.example" and rule.line == 2


@pytest.mark.parametrize(
    ("old", "new", "line", "words"),
    [
        ("severity: high", "severity: urgent", 6, "severity must be one of"),
        ("    cwe: [1104]\n", "    cwe: [CWE-1104]\n", 8, "cwe must be an integer"),
        ("masvs: [MASVS-CODE-3]", "masvs: [MASVS-CODE]", 9, "MASVS control"),
        ("id: android.emergency.example", "id: Emergency Rule", 2, "is not <platform>"),
        ("id: android.emergency.example", "id: ios.emergency.x", 2, "Android apps only"),
        ("{en: Example, zh-CN: 示例}", "{en: Example}", 3, "needs 'zh-CN' text"),
        ("      permission: READ_SMS", "      permision: READ_SMS", 11, "unknown condition"),
        (
            "      permission: READ_SMS",
            "      permission: READ_SMS\n      string: x",
            11,
            "exactly one key",
        ),
        ("      permission: READ_SMS", "      all: []", 11, "non-empty list"),
        ("      permission: READ_SMS", "      string: '(a)\\1'", 11, "invalid RE2 pattern"),
        ("      permission: READ_SMS", "      string: '(?=a)b'", 11, "invalid RE2 pattern"),
        ("      permission: READ_SMS", "      sdk: {id: no-such-sdk}", 11, "SDK catalog"),
        (
            "      permission: READ_SMS",
            "      sdk_level: {min_sdk: {below: 21}}",
            11,
            "unknown key 'below'",
        ),
        (
            "      permission: READ_SMS",
            "      call: {class: java.lang.Runtime}",
            11,
            "call needs 'method'",
        ),
        (
            "      permission: READ_SMS",
            "      call: {class: a.B, method: m, args: [{index: 0, shape: round}]}",
            11,
            "shape must be one of",
        ),
        (
            "    confidence: medium\n",
            "    confidence: medium\n    colour: red\n",
            8,
            "unknown key 'colour'",
        ),
        ("    severity: high\n", "", 2, "rule needs 'severity'"),
    ],
)
def test_a_mistake_is_named_with_its_line(tmp_path, old, new, line, words):
    assert old in GOOD
    err = _error(tmp_path, GOOD.replace(old, new))
    assert words in err.en
    assert err.line == line, str(err)
    assert f"bad.yaml:{line}" in str(err)


def test_not_yaml_or_not_rules(tmp_path):
    assert "not valid YAML" in _error(tmp_path, "rules: [\n  - {a: b\n").en
    assert "UTF-8" in _error(tmp_path, b"rules: \xff\xfe\n").en
    assert "empty" in _error(tmp_path, "").en
    assert "'rules:'" in _error(tmp_path, "rules: 3\n").en
    assert "one YAML document" in _error(tmp_path, GOOD + "---\n" + GOOD).en
    assert (
        "given twice"
        in _error(tmp_path, GOOD.replace("    confidence", "    severity: low\n    confidence")).en
    )
    assert "tags are not allowed" in _error(tmp_path, "rules: !!python/object:os.system {}\n").en


def test_billion_laughs_is_refused(tmp_path):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    err = _error(tmp_path, "\n".join(lines) + "\nrules: *a9\n")
    assert "aliases are not allowed" in err.en and err.line == 1


def test_deep_nesting_is_refused(tmp_path):
    err = _error(tmp_path, "rules: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert "nested deeper" in err.en and err.line == 1


def test_too_many_values_and_too_large(tmp_path):
    err = _error(tmp_path, "rules: [" + ",".join(["1"] * 60_000) + "]\n")
    assert "more than 50000 values" in err.en
    err = _error(tmp_path, "# " + "x" * MAX_BYTES + "\n")
    assert "too large" in err.en


def test_regex_bombs_are_refused_or_linear(tmp_path):
    # a repetition too large for RE2's memory budget: refused when the pack loads
    err = _error(tmp_path, GOOD.replace("permission: READ_SMS", "string: '((a{100}){100}){100}'"))
    assert "invalid RE2 pattern" in err.en and err.line == 11
    err = _error(tmp_path, GOOD.replace("permission: READ_SMS", "string: '" + "a" * 2000 + "'"))
    assert "longer than" in err.en
    # a catastrophic-backtracking pattern for Python's re runs in linear time on RE2
    path = tmp_path / "ok.yaml"
    path.write_text(GOOD.replace("permission: READ_SMS", "string: '^(a+)+$'"), encoding="utf-8")
    (rule,) = load_rule_file(path)
    start = time.perf_counter()
    assert not rule.match.arg.search("a" * 100_000 + "!")
    assert time.perf_counter() - start < 1


def test_pack_errors(tmp_path):
    with pytest.raises(RuleFileError, match=r"no pack\.yaml"):
        load_pack(tmp_path)
    (tmp_path / "pack.yaml").write_text("id: p\nversion: 1\npublisher: me\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match="no rule files"):
        load_pack(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "rules" / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        load_pack(tmp_path)
    assert "b.yaml" in info.value.file and "already used at" in info.value.en
    assert "a.yaml:2" in info.value.en
    (tmp_path / "rules" / "b.yaml").unlink()
    with pytest.raises(RuleFileError, match="built-in check"):
        load_pack(tmp_path, builtin_ids={"android.emergency.example"})


def test_the_readme_example_is_a_valid_rule(tmp_path):
    readme = (EXAMPLE_PACK.parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Rules as data", 1)[1]
    snippet = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "readme.yaml"
    path.write_text(snippet, encoding="utf-8")
    (rule,) = load_rule_file(path)
    assert rule.match.kind == "all"


def test_special_files_are_refused_without_reading_them(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    start = time.perf_counter()
    with pytest.raises(RuleFileError, match="not a regular file"):
        load_rule_file(link)
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    with pytest.raises(RuleFileError, match="not a regular file"):
        load_rule_file(fifo)
    assert time.perf_counter() - start < HANG_GUARD_S
