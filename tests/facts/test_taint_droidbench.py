"""Taint analysis on a handful of DroidBench 3.0 apps with their javadoc leak counts.

The full sweep is a bench (bench/eval_droidbench.py); these cases pin one behaviour each:
a direct leak, a field across lifecycle methods, a layout onClick handler, an Intent to
a component of the app, and a negative where the tainted value is overwritten.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mobsec.diagnostics import Diagnostics
from mobsec.facts.app import AppFacts
from mobsec.ingest.apk import read_apk
from mobsec.ingest.archive import Archive
from mobsec.options import ScanOptions
from mobsec.phases import PhaseRunner


def leaks_of(apk: Path) -> list:
    diags = Diagnostics()
    options = ScanOptions()
    archive = Archive.open(apk, diags, options.limits, display_name=apk.name)
    assert archive is not None
    with archive:
        pkg = read_apk(archive, diags, PhaseRunner(diags, None), options.limits, 1)
        facts = AppFacts(pkg, diags)
        result = facts.pi_flow_analysis
        assert result.complete
        return facts.pi_flows


@pytest.mark.parametrize(
    ("name", "expected", "sink_kind", "pi_type"),
    [
        ("AndroidSpecific__DirectLeak1", 1, "sms", "device-id"),
        ("Lifecycle__ActivityLifecycle4", 1, None, "device-id"),
        ("Callbacks__Button1", 1, "sms", "device-id"),
        ("InterComponentCommunication__ActivityCommunication2", 1, None, "device-id"),
        ("Callbacks__LocationLeak1", 2, "log", "location"),
        ("FieldAndObjectSensitivity__FieldSensitivity1", 0, None, None),
        ("AndroidSpecific__LogNoLeak", 0, None, None),
        ("Reflection__Reflection3", 1, "sms", "device-id"),
        # building a URL sends nothing; opening it is the one leak (was 2: URL.<init> too)
        ("Lifecycle__ActivityLifecycle1", 1, "network", "device-id"),
        # the leak sits behind `new Random().nextInt(30) > 40` (taint.branches)
        ("UnreachableCode__UnreachableBoth", 0, None, None),
        ("UnreachableCode__SimpleUnreachable1", 0, None, None),
        # createInterfaceImplementation() returns a B: getString() is B's, not A's
        ("GeneralJava__VirtualDispatch4", 0, None, None),
        ("GeneralJava__VirtualDispatch3", 0, None, None),
        # the handler's try range reads new int[42][32] / calls a method without array
        # code under a catch of ArrayIndexOutOfBoundsException: never entered (taint.exceptions)
        ("GeneralJava__Exceptions3", 0, None, None),
        ("GeneralJava__Exceptions7", 0, None, None),
        # PI in a[1] / a[5] / map "tainted", the sink reads a[2] / a[calculateIndex()=4] /
        # map "untainted" (taint.slots)
        ("ArraysAndLists__ArrayAccess1", 0, None, None),
        ("ArraysAndLists__ArrayAccess2", 0, None, None),
        ("ArraysAndLists__HashMapAccess1", 0, None, None),
        # setOnClickListener(l) then setOnClickListener(null): l.onClick never runs
        ("Callbacks__Unregister1", 0, None, None),
        # fields of an object made in onCreate: read before the write / overwritten with a
        # constant before the read (taint.local)
        ("FieldAndObjectSensitivity__FieldSensitivity4", 0, None, None),
        ("FieldAndObjectSensitivity__ObjectSensitivity2", 0, None, None),
        ("Aliasing__Merge1", 0, None, None),
    ],
)
def test_droidbench_leak_counts(
    corpus_apks: Path, name: str, expected: int, sink_kind: str | None, pi_type: str | None
) -> None:
    leaks = leaks_of(corpus_apks / "droidbench" / f"{name}.apk")
    pairs = {(leak.source, leak.sink) for leak in leaks}
    assert len(pairs) == expected, [str(x) for x in leaks]
    for leak in leaks:
        if sink_kind:
            assert leak.sink.kind == sink_kind
        if pi_type:
            assert leak.source.pi_type == pi_type
        assert leak.path[0] == leak.source.method and leak.path[-1] == leak.sink.method


def test_icc_leak_is_reported_in_the_target_component(corpus_apks: Path) -> None:
    """The Intent goes to InFlowActivity inside the app: the leak is its sink, not startActivity."""
    apk = corpus_apks / "droidbench" / "InterComponentCommunication__ActivityCommunication2.apk"
    (leak,) = leaks_of(apk)
    assert leak.sink.kind != "icc"
    assert leak.source.method != leak.sink.method
