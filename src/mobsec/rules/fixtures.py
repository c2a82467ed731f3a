"""``mobsec rules test``: run a pack's rules on its fixtures and compare with what it expects.

A pack's ``tests.yaml`` lists prebuilt packages (APKs) and, per package, the rules that must
fire on it (``ruleid``) and those that must stay silent (``ok``)::

    fixtures:
      - package: build/fires.apk        # relative to the pack
        source: fixtures/fires          # optional: the sources it was built from
        expect:
          - ruleid: android.emergency.x
          - ok: android.emergency.y

Packages rather than sources, so a pack author needs no Android toolchain on the machine
that runs the test (the engine never builds apps); the sources sit next to them for review,
and the project's own tests build them with tests/fixtures/build.py. Every rule must be
expected to fire on one fixture and to stay silent on another (its near twin): a rule with
no fixture either way is reported as untested, which fails the run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .loader import RulePack
from .schema import _Reader
from .yamlsafe import RuleFileError, load_yaml

TESTS_FILE = "tests.yaml"
MAX_FIXTURES = 200


@dataclass
class Fixture:
    package: Path
    source: str | None
    fires: list[str] = field(default_factory=list)
    silent: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class Outcome:
    lines: list[str] = field(default_factory=list)
    failures: int = 0
    passed: int = 0

    def record(self, passed: bool, en: str, zh: str) -> None:
        if passed:
            self.passed += 1
        else:
            self.failures += 1
        self.lines.append(f"{'ok  ' if passed else 'FAIL'} {en} / {zh}")


def read_tests(pack: RulePack) -> list[Fixture]:
    path = pack.root / TESTS_FILE
    if not path.is_file():
        raise RuleFileError(
            str(pack.root),
            None,
            f"no {TESTS_FILE}: the pack has no fixtures",
            f"缺少 {TESTS_FILE}:规则包没有测试样本",
        )
    r = _Reader(str(path))
    top = r.keys(load_yaml(path), ("fixtures",), "tests file")
    items = top.get("fixtures")
    if items is None or not isinstance(items.value, list) or not items.value:
        raise r.fail(
            1, "tests.yaml needs 'fixtures:' with a list", "tests.yaml 需要 'fixtures:' 列表"
        )
    if len(items.value) > MAX_FIXTURES:
        raise r.fail(items, f"more than {MAX_FIXTURES} fixtures", f"测试样本超过 {MAX_FIXTURES} 个")
    known = {rule.meta.id for rule in pack.rules}
    out = []
    for node in items.value:
        m = r.keys(node, ("package", "source", "expect"), "fixture")
        if "package" not in m or "expect" not in m:
            raise r.fail(
                node, "a fixture needs 'package' and 'expect'", "测试样本需要 'package' 和 'expect'"
            )
        rel = r.text(m["package"], "package")
        if rel.startswith("/") or ".." in Path(rel).parts:
            raise r.fail(
                m["package"],
                "package must be a path inside the pack",
                "package 必须是规则包内的路径",
            )
        fx = Fixture(
            pack.root / rel,
            r.text(m["source"], "source") if "source" in m else None,
            line=node.line,
        )
        if not isinstance(m["expect"].value, list):
            raise r.fail(m["expect"], "expect must be a list", "expect 必须是列表")
        for e in m["expect"].value:
            em = r.keys(e, ("ruleid", "ok"), "expectation")
            if len(em) != 1:
                raise r.fail(
                    e,
                    "an expectation is 'ruleid: ID' or 'ok: ID'",
                    "期望应为 'ruleid: ID' 或 'ok: ID'",
                )
            ((kind, value),) = em.items()
            rid = r.text(value, kind)
            if rid not in known:
                raise r.fail(
                    value, f"{rid} is not a rule of this pack", f"{rid} 不是本规则包中的规则"
                )
            (fx.fires if kind == "ruleid" else fx.silent).append(rid)
        out.append(fx)
    return out


def run_tests(pack: RulePack) -> Outcome:
    from mobsec.diagnostics import InputError
    from mobsec.engine import scan
    from mobsec.options import ScanOptions

    fixtures = read_tests(pack)
    result = Outcome()
    fired_somewhere: set[str] = set()
    silent_somewhere: set[str] = set()
    for fx in fixtures:
        name = fx.package.relative_to(pack.root).as_posix()
        fired_somewhere.update(fx.fires)
        silent_somewhere.update(fx.silent)
        if not fx.package.is_file():
            hint = f" (build it from {fx.source})" if fx.source else ""
            result.record(False, f"{name}: package missing{hint}", f"{name}:安装包不存在")
            continue
        try:
            report = scan(fx.package, ScanOptions(rule_packs=(pack,), threads=1))
        except InputError as e:
            result.record(False, f"{name}: {e.diagnostic.en}", f"{name}:{e.diagnostic.zh}")
            continue
        for d in report.diagnostics:  # a rule that broke on the fixture is a failure
            if d.code == "internal.check_failed":
                result.record(False, f"{name}: {d.en}", f"{name}:{d.zh}")
        found: dict[str, int] = {}
        for f in [*report.findings, *report.unreachable_findings]:
            found[f.check_id] = found.get(f.check_id, 0) + 1
        for rid in fx.fires:
            n = found.get(rid, 0)
            if n:
                result.record(True, f"{name}: {rid} fires ({n})", f"{rid} 命中 {n} 处")
            else:
                result.record(
                    False, f"{name}: {rid} should fire and did not", f"{rid} 应命中但未命中"
                )
        for rid in fx.silent:
            n = found.get(rid, 0)
            if n:
                result.record(
                    False,
                    f"{name}: {rid} should stay silent and fired {n} time(s)",
                    f"{rid} 不应命中但命中 {n} 处",
                )
            else:
                result.record(True, f"{name}: {rid} silent", f"{rid} 未命中")
    for rule in pack.rules:
        rid = rule.meta.id
        if rid not in fired_somewhere:
            result.record(
                False,
                f"{rid}: untested, no fixture on which it must fire",
                f"{rid} 未经测试:没有应命中的测试样本",
            )
        if rid not in silent_somewhere:
            result.record(
                False,
                f"{rid}: untested, no near twin on which it must stay silent",
                f"{rid} 未经测试:没有应不命中的近似样本",
            )
    return result
