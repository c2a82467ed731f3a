"""The type hierarchy of one app, continued into the Android framework.

The app's DEX files define only the app's classes: ``Lcom/app/Main;`` says it extends
``Landroid/app/Activity;`` and the trail ends there, so "is Main a Context?" cannot be
answered from the code alone. ``data/framework_hierarchy.json`` holds the parents of the
common framework classes (Activity → ContextThemeWrapper → ContextWrapper → Context,
Service, Application, WebView, ...); :class:`TypeHierarchy` asks the app's definition
first (it wins, as at run time for app-defined classes) and the framework table after.

Every walk is bounded (hostile apps can declare cycles or absurd depths) and every answer
is kept for the life of the app's facts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from mobsec.ingest.dex import DexSet

RESOURCE = "framework_hierarchy.json"
MAX_ANCESTORS = 512  # supertypes followed from one class
MAX_SUBTYPES = 20_000  # app classes collected below one root


@dataclass(frozen=True)
class FrameworkHierarchy:
    """Parents (superclass first, then interfaces) of known framework classes."""

    parents: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls) -> FrameworkHierarchy:
        text = resources.files("mobsec.facts").joinpath("data", RESOURCE).read_text("utf-8")
        doc = json.loads(text)["classes"]
        return cls({desc: tuple(p for p in parents if p) for desc, parents in doc.items()})

    def children(self) -> dict[str, list[str]]:
        """Framework class -> the framework classes directly below it."""
        out: dict[str, list[str]] = {}
        for desc, parents in self.parents.items():
            for p in parents:
                out.setdefault(p, []).append(desc)
        return out


class TypeHierarchy:
    """Subtype questions about app and framework classes (answers memoised per app)."""

    def __init__(self, code: DexSet, framework: FrameworkHierarchy) -> None:
        self.code = code
        self.framework = framework
        self._framework_children = framework.children()
        self._ancestors: dict[str, frozenset[str]] = {}
        self._below: dict[str, tuple[str, ...]] = {}

    def parents(self, desc: str) -> tuple[str, ...]:
        """Direct superclass and interfaces: the app's definition if it has one."""
        found = self.code.classes.get(desc)
        if found is not None:
            c = found[1]
            return ((c.superclass,) if c.superclass else ()) + tuple(c.interfaces)
        return self.framework.parents.get(desc, ())

    def ancestors(self, desc: str) -> frozenset[str]:
        """``desc`` and every class and interface above it (as far as known)."""
        cached = self._ancestors.get(desc)
        if cached is not None:
            return cached
        seen = {desc}
        todo = [desc]
        while todo and len(seen) < MAX_ANCESTORS:
            for p in self.parents(todo.pop()):
                if p not in seen:
                    seen.add(p)
                    todo.append(p)
        result = frozenset(seen)
        self._ancestors[desc] = result
        return result

    def is_subtype(self, desc: str, ancestor: str) -> bool:
        """True if ``desc`` is ``ancestor`` or extends/implements it, across the framework
        boundary (``Lcom/app/Main;`` extends Activity → is a ``Landroid/content/Context;``)."""
        return desc == ancestor or ancestor in self.ancestors(desc)

    def subtypes(self, root: str) -> tuple[str, ...]:
        """``root`` and every class below it that the app or the framework table defines.

        Walks down (framework children, then the app's direct subclasses), never over
        every class of the app; breadth first, so the order is stable.
        """
        cached = self._below.get(root)
        if cached is not None:
            return cached
        out = [root]
        seen = {root}
        i = 0
        while i < len(out) and len(out) < MAX_SUBTYPES:
            desc = out[i]
            i += 1
            for sub in (*self._framework_children.get(desc, ()), *self.code.subclasses(desc)):
                if sub not in seen:
                    seen.add(sub)
                    out.append(sub)
        result = tuple(out)
        self._below[root] = result
        return result

    def app_subtypes(self, roots: Iterable[str]) -> list[str]:
        """The classes the app itself defines below any of ``roots`` (roots excluded)."""
        classes = self.code.classes
        out: dict[str, None] = {}
        for root in roots:
            for desc in self.subtypes(root)[1:]:
                if desc in classes:
                    out[desc] = None
        return list(out)
