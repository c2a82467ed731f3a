"""Taint analysis on the taint-cases fixture app: every "LEAK-x" Log tag is reached by PI,
no "OK-x" tag is; and hostile DEX bytes never make the analysis raise.

The tag of a Log sink is read back from the bytecode with the intra-procedural data flow,
so the test names which case failed.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.facts.app import AppFacts
from mobsec.facts.dataflow import method_flow, string_constants
from mobsec.facts.taint import TaintBudget, analyse_app
from mobsec.ingest.apk import read_apk
from mobsec.ingest.archive import Archive
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner


def _facts_run(apk: Path, fn):  # type: ignore[no-untyped-def]
    diags = Diagnostics()
    options = ScanOptions()
    archive = Archive.open(apk, diags, options.limits, display_name=apk.name)
    assert archive is not None
    with archive:
        pkg = read_apk(archive, diags, PhaseRunner(diags, None), options.limits, 1)
        return fn(AppFacts(pkg, diags))


def _tags(facts: AppFacts) -> tuple[set[str], set[str], list]:
    """(tags reached by PI, every LEAK-/OK- tag in the code, leaks)."""
    leaks = facts.pi_flows
    reached = set()
    for leak in leaks:
        cls, rest = leak.sink.method.split("->", 1)
        name, proto = rest[: rest.index("(")], rest[rest.index("(") :]
        hit = facts.code.find_class(cls)
        assert hit is not None
        dex, c = hit
        for m in c.methods:
            ref = dex.method_ref(m.method_idx)
            if (ref.name, ref.proto) == (name, proto):
                flow = method_flow(dex, m)
                assert flow is not None
                reached |= string_constants(flow.args_at(leak.sink.offset)[0])
    marks = set()
    for dex in facts.code.dexes:
        for i in range(dex.pools.n_strings):
            s = dex.string(i)
            if s.startswith(("LEAK-", "OK-")):
                marks.add(s)
    return reached, marks, leaks


def test_taint_cases_fire_where_marked(fixture_apk) -> None:  # type: ignore[no-untyped-def]
    reached, marks, leaks = _facts_run(fixture_apk("taint-cases"), _tags)
    expected = {m for m in marks if m.startswith("LEAK-")}
    assert len(expected) == 34
    assert reached == expected, (sorted(reached ^ expected), [str(x) for x in leaks])


def test_taint_leak_details(fixture_apk) -> None:  # type: ignore[no-untyped-def]
    def check(facts: AppFacts) -> None:
        result = facts.pi_flow_analysis
        assert result.complete and result.incomplete_reason is None
        kinds = {(x.source.pi_type, x.sink.kind) for x in result.leaks}
        assert kinds == {
            ("device-id", "log"),
            ("device-id", "file"),
            ("location", "log"),
            ("credentials", "log"),
            ("device-id", "process"),
        }
        # the ICC leak is reported in the receiving component, never at startActivity
        assert not any(x.sink.kind == "icc" for x in result.leaks)
        icc = [x for x in result.leaks if x.sink.method.startswith("Lcom/example/taint/Receiver;")]
        assert {x.source.method for x in icc} >= {
            "Lcom/example/taint/Cases;->imei()Ljava/lang/String;"
        }
        # location: the catalog's Location getters are the sources, one site per getter, so
        # latitude and longitude of one callback parameter are two sources at one sink
        loc = [x for x in result.leaks if "Sources$Tracker" in x.sink.method]
        assert {x.source.api.rsplit("->", 1)[1] for x in loc} == {"getLatitude", "getLongitude"}
        assert len({(x.source, x.sink) for x in loc}) == 2
        # the password field is a source at getText(); the plain text field is not
        pw = [x for x in result.leaks if x.source.pi_type == "credentials"]
        assert [x.source.api for x in pw] == ["Landroid/widget/EditText;->getText"]
        # helper summaries carry the path through the caller
        helper = [x for x in result.leaks if "identity" in " ".join(x.path)]
        assert helper == [] or all(x.path[0] == x.source.method for x in helper)
        doc = result.to_json()
        assert doc["leaks"] and set(doc["leaks"][0]) == {"source", "sink", "path"}

    _facts_run(fixture_apk("taint-cases"), check)


def test_taint_budget_reports_incomplete(fixture_apk) -> None:  # type: ignore[no-untyped-def]
    def check(facts: AppFacts) -> None:
        result = analyse_app(facts, TaintBudget(max_analyses=1))
        assert not result.complete and result.incomplete_reason == "analysis budget"
        assert result.analyses == 1

    _facts_run(fixture_apk("taint-cases"), check)


@settings(
    max_examples=40,
    deadline=5000,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_taint_survives_mutated_dex(fixture_apk, tmp_path: Path, data) -> None:  # type: ignore[no-untyped-def]
    """Flip bytes of classes.dex (code, pools, class data): a result or FormatError only."""
    src = fixture_apk("taint-cases")
    with zipfile.ZipFile(src) as z:
        entries = {n: z.read(n) for n in z.namelist()}
    dex = bytearray(entries["classes.dex"])
    for _ in range(data.draw(st.integers(1, 24))):
        pos = data.draw(st.integers(0x70, len(dex) - 1))
        dex[pos] = data.draw(st.integers(0, 255))
    entries["classes.dex"] = bytes(dex)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, b in entries.items():
            z.writestr(n, b)
    apk = tmp_path / "mutated.apk"
    apk.write_bytes(buf.getvalue())
    try:
        result = _facts_run(
            apk, lambda f: analyse_app(f, TaintBudget(seconds=2.0, max_analyses=5000))
        )
    except FormatError:
        return
    assert isinstance(result.leaks, list)
