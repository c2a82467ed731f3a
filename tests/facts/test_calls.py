"""Call sites by API through the receiver's subtypes, and the app/framework type hierarchy.

The fixture ``call-lookup`` calls Context methods the way real apps do: ``this.openFileOutput``
inside an Activity (javac names the Activity), through an app base class, in a Service and
an Application, on a ``Context`` parameter; and a twin: an unrelated class with a method of
the same name. The name lookup itself is compared with dexdump's list of invokes.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mobsec.diagnostics import Diagnostics, FormatError
from mobsec.facts.app import AppFacts
from mobsec.facts.hierarchy import FrameworkHierarchy
from mobsec.ingest.apk import read_apk
from mobsec.ingest.archive import Archive
from mobsec.ingest.dex import DexFile
from mobsec.limits import DEFAULT_LIMITS
from mobsec.phases import PhaseRunner

CONTEXT = "Landroid/content/Context;"
PKG = "Lcom/example/calls/"


def _facts(apk: Path) -> AppFacts:
    diags = Diagnostics()
    archive = Archive.open(apk, diags, DEFAULT_LIMITS)
    assert archive is not None
    pkg = read_apk(archive, diags, PhaseRunner(diags, None), DEFAULT_LIMITS, 1)
    return AppFacts(pkg, diags)


@pytest.fixture(scope="module")
def calls_apk(fixture_apk) -> Path:
    return fixture_apk("call-lookup")


def _callers(sites) -> set[tuple[str, str]]:
    return {(s.caller.class_desc, s.caller.name) for s in sites}


def test_activity_internal_call_found_as_context_call(calls_apk: Path) -> None:
    facts = _facts(calls_apk)
    sites = facts.calls.of(CONTEXT, "openFileOutput")
    callee_classes = set()
    for s in sites:
        (ref,) = [r for r in s.dex.invokes_in(s.caller_idx) if r.offset == s.offset]
        callee_classes.add(s.dex.method_ref(ref.target).class_desc)
    # this.openFileOutput in the Activity and other.openFileOutput on a Context parameter
    assert _callers(sites) == {(PKG + "MainActivity;", "onCreate"), (PKG + "SyncService;", "save")}
    assert callee_classes == {PKG + "MainActivity;", CONTEXT}
    # The framework class alone (what a plain call_sites query sees) misses the Activity call.
    assert _callers(facts.code.call_sites(CONTEXT, "openFileOutput")) == {
        (PKG + "SyncService;", "save")
    }


def test_app_base_class_service_and_application(calls_apk: Path) -> None:
    facts = _facts(calls_apk)
    assert _callers(facts.calls.of(CONTEXT, "getSharedPreferences")) == {
        (PKG + "ChildActivity;", "onCreate"),
        (PKG + "SyncService;", "save"),
    }
    assert _callers(facts.calls.of(CONTEXT, "getDir")) == {(PKG + "App;", "onCreate")}
    # Narrower roots: the Service's own call is not an Activity's.
    assert _callers(facts.calls.of("Landroid/app/Activity;", "getSharedPreferences")) == {
        (PKG + "ChildActivity;", "onCreate")
    }


def test_proto_filter_and_exact_lookup(calls_apk: Path) -> None:
    facts = _facts(calls_apk)
    proto = "(Ljava/lang/String;I)Ljava/io/FileOutputStream;"
    assert len(facts.calls.of(CONTEXT, "openFileOutput", proto)) == 2
    assert facts.calls.of(CONTEXT, "openFileOutput", "(I)V") == []
    exact = facts.calls.of(CONTEXT, "openFileOutput", exact=True)
    assert _callers(exact) == {(PKG + "SyncService;", "save")}
    # The twin: same name on a class that is no Context, found only when asked for by name.
    decoy = facts.calls.of(PKG + "NotAContext;", "openFileOutput")
    assert _callers(decoy) == {(PKG + "MainActivity;", "onCreate")}
    # Constructors are not inherited: <init> of Activity is not the app's <init> calls.
    inits = facts.calls.of("Landroid/app/Activity;", "<init>")
    assert _callers(inits) == {(PKG + "MainActivity;", "<init>"), (PKG + "BaseActivity;", "<init>")}


def test_hierarchy_crosses_into_the_framework(calls_apk: Path) -> None:
    h = _facts(calls_apk).hierarchy
    assert h.is_subtype(PKG + "ChildActivity;", CONTEXT)
    assert h.is_subtype(PKG + "ChildActivity;", "Landroid/view/ContextThemeWrapper;")
    assert h.is_subtype(PKG + "App;", "Landroid/content/ContextWrapper;")
    assert not h.is_subtype(PKG + "NotAContext;", CONTEXT)
    assert not h.is_subtype(PKG + "SyncService;", "Landroid/app/Activity;")
    assert set(h.app_subtypes([CONTEXT])) == {
        PKG + c + ";"
        for c in ("MainActivity", "BaseActivity", "ChildActivity", "SyncService", "App")
    }
    assert h.app_subtypes(["Landroid/app/Activity;"])[0] in {
        PKG + "MainActivity;",
        PKG + "BaseActivity;",
    }


def test_framework_table_is_consistent() -> None:
    fw = FrameworkHierarchy.load()
    assert fw.parents["Landroid/app/Activity;"][0] == "Landroid/view/ContextThemeWrapper;"
    for desc, parents in fw.parents.items():
        assert desc.startswith("L") and desc.endswith(";")
        assert all(p.startswith("L") and p.endswith(";") for p in parents)
        assert desc not in parents


_DEXDUMP_INVOKE = re.compile(r"\|[0-9a-f]{4}: invoke-[a-z/-]+ \{[^}]*\}, ([^\s.]+)\.([^:\s]+):")


def test_method_ids_named_matches_dexdump(calls_apk: Path, android_tool) -> None:
    """Every invoke dexdump lists, grouped by method name, equals what the name lookup finds."""
    text = android_tool("dexdump", "-d", str(calls_apk))
    expected: Counter[str] = Counter(m.group(2) for m in _DEXDUMP_INVOKE.finditer(text))
    with zipfile.ZipFile(calls_apk) as z:
        dex = DexFile.parse(z.read("classes.dex"), "classes.dex", Diagnostics())
    for name, count in expected.items():
        ids = dex.pools.method_ids_named(name)
        assert all(dex.method_ref(i).name == name for i in ids)
        assert sum(len(dex.call_sites(i)) for i in ids) == count, name
    assert dex.pools.method_ids_named("noSuchMethodAnywhere") == []


def test_corpus_lookup_equals_family_walk(corpus_apks) -> None:
    """On real apps, name lookup + subtype filter == asking every class of the family."""
    for apk in sorted((corpus_apks / "vulnapps").glob("*.apk"))[:6]:
        facts = _facts(apk)
        family = facts.hierarchy.subtypes(CONTEXT)
        for name in ("openFileOutput", "getSharedPreferences", "sendBroadcast", "startService"):
            walked = {
                (s.dex.name, s.caller_idx, s.offset)
                for cls in family
                for s in facts.code.call_sites(cls, name)
            }
            found = {(s.dex.name, s.caller_idx, s.offset) for s in facts.calls.of(CONTEXT, name)}
            assert found == walked, (apk.name, name)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_name_lookup_on_mangled_dex_never_raises(calls_apk: Path, data) -> None:
    with zipfile.ZipFile(calls_apk) as z:
        raw = bytearray(z.read("classes.dex"))
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(raw) - 1))
        raw[pos] = data.draw(st.integers(0, 255))
    try:
        dex = DexFile.parse(bytes(raw), "classes.dex", Diagnostics())
    except FormatError:
        return
    for name in ("openFileOutput", "<init>", "onCreate"):
        for i in dex.pools.method_ids_named(name):
            assert 0 <= i < dex.pools.n_methods
            dex.pools.method_proto(i)
