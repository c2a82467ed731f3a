"""Where the framework calls into the app: components, their lifecycles, and callbacks.

Why no ordered dummy main: fields are tracked flow-insensitively across methods (a value
stored in any lifecycle method is visible to every other one), which covers every
ordering the lifecycle allows — ``onPause`` storing and ``onResume`` leaking, a service's
``onStartCommand`` then ``onLowMemory`` — at the price of also accepting orderings Android
never produces (DroidBench Callbacks/Ordering1, Unregister1). The roots are:

- the lifecycle methods :mod:`mobsec.facts.entry_points` finds for manifest components;
- every ``on[A-Z]...`` method (and the known non-``on`` callbacks: ``run``, ``call``,
  ``handleMessage``, ``doInBackground``...) of an app class that extends or implements a
  framework type: listeners registered in code, fragments, views, AsyncTasks, threads;
- methods named by ``android:onClick`` in layouts, on activities;
- static initialisers of app classes.
"""

from __future__ import annotations

from collections.abc import Iterable

from mobsec.ingest.dex import DexSet

CALLBACK_NAMES = frozenset(
    {
        "run",
        "call",
        "handleMessage",
        "dispatchMessage",
        "doInBackground",
        "uncaughtException",
        "attachBaseContext",
        "shouldOverrideUrlLoading",
        "shouldInterceptRequest",
        "getView",
        "instantiateItem",
        "getItem",
        "compare",
        "accept",
        "apply",
        "invoke",
        "execute",
    }
)
# Library code the taint analysis does not enter: calls into it use the library rules.
LIBRARY_PREFIXES = (
    "Landroid/",
    "Landroidx/",
    "Ljava/",
    "Ljavax/",
    "Lkotlin/",
    "Lkotlinx/",
    "Ldalvik/",
    "Lorg/apache/",
    "Lorg/json/",
    "Lorg/xmlpull/",
    "Lcom/google/android/material/",
)


def is_library_class(desc: str) -> bool:
    return desc.startswith(LIBRARY_PREFIXES)


def has_framework_ancestor(code: DexSet, desc: str) -> bool:
    """The class extends or implements a type the app does not define (not Object)."""
    todo = [desc]
    seen: set[str] = set()
    while todo and len(seen) < 256:
        d = todo.pop()
        if d in seen:
            continue
        seen.add(d)
        found = code.find_class(d)
        if found is None:
            if d != "Ljava/lang/Object;":
                return True
            continue
        c = found[1]
        if c.superclass:
            todo.append(c.superclass)
        todo.extend(c.interfaces)
    return False


def is_callback_name(name: str) -> bool:
    return (len(name) > 2 and name.startswith("on") and name[2].isupper()) or (
        name in CALLBACK_NAMES
    )


def layout_onclick_names(facts: object) -> set[str]:
    """Method names given by ``android:onClick`` in any layout of the package."""
    out: set[str] = set()
    layout_files = getattr(facts, "layout_files", None)
    xml_file = getattr(facts, "xml_file", None)
    if layout_files is None or xml_file is None:
        return out
    for path in layout_files()[:2000]:
        root = xml_file(path)
        if root is None:
            continue
        for el in root.iter():
            a = el.attr("onClick")
            if a is not None and isinstance(a.raw, str) and a.raw:
                out.add(a.raw)
    return out


def activity_like(code: DexSet, desc: str, activities: Iterable[str]) -> bool:
    return any(desc == a or code.is_subtype(desc, a) for a in activities)
