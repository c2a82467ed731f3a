"""Call sites of an API, found by method name and filtered by the receiver's type.

javac names the *static type of the receiver* in a method reference: ``openFileOutput(..)``
called inside an Activity is ``Lcom/app/Main;->openFileOutput``, not
``Landroid/content/Context;->openFileOutput``, and a call on a WebView subclass names the
subclass. So "the calls of Context.openFileOutput" are the invokes of every method id named
``openFileOutput`` whose class is Context or a subtype of it (app or framework, see
:mod:`mobsec.facts.hierarchy`).

This is the one way checks ask for calls of an API::

    facts.calls.of("Landroid/content/Context;", "openFileOutput")      # through subtypes too
    facts.calls.of("Ljavax/crypto/Cipher;", "getInstance", exact=True)  # this class only

The name lookup is one ``bytes.find`` pass over each DEX file's method_ids table
(:meth:`~mobsec.ingest.dex.pools.Pools.method_ids_named`), not one binary search per class
of a family; answers are kept for the life of the app's facts.
"""

from __future__ import annotations

from mobsec.ingest.dex import CodeSite, DexFile, DexSet

from .hierarchy import TypeHierarchy

CONSTRUCTOR = "<init>"


class CallIndex:
    """Call sites by API, memoised per app."""

    def __init__(self, code: DexSet, hierarchy: TypeHierarchy) -> None:
        self.code = code
        self.hierarchy = hierarchy
        self._named: dict[tuple[int, str], list[int]] = {}
        self._answers: dict[tuple[str, str, str | None, bool], list[CodeSite]] = {}

    def of(
        self, class_desc: str, name: str, proto: str | None = None, *, exact: bool = False
    ) -> list[CodeSite]:
        """Invokes of ``class_desc->name`` (with this proto descriptor if given).

        Unless ``exact``, invokes that name a subtype of ``class_desc`` count too;
        constructors are never inherited, so ``<init>`` is always looked up exactly.
        Sites are in a stable order (DEX load order, caller, offset); a caller whose class
        lost to an earlier definition (dead code) is left out. Do not modify the list.
        """
        exact = exact or name == CONSTRUCTOR
        key = (class_desc, name, proto, exact)
        found = self._answers.get(key)
        if found is None:
            if exact:
                found = self.code.call_sites(class_desc, name, proto)
            else:
                found = self._through_subtypes(class_desc, name, proto)
            found.sort(key=lambda s: (s.dex.name, s.caller_idx, s.offset))
            self._answers[key] = found
        return found

    def method_ids_named(self, dex: DexFile, name: str) -> list[int]:
        """method_ids of ``dex`` with this name, any class (kept for the next question)."""
        key = (id(dex), name)
        ids = self._named.get(key)
        if ids is None:
            ids = dex.pools.method_ids_named(name)
            self._named[key] = ids
        return ids

    def _through_subtypes(self, root: str, name: str, proto: str | None) -> list[CodeSite]:
        out: list[CodeSite] = []
        is_subtype = self.hierarchy.is_subtype
        for dex in self.code.dexes:
            pools = dex.pools
            wanted = [
                m
                for m in self.method_ids_named(dex, name)
                if (proto is None or pools.method_proto(m) == proto)
                and is_subtype(pools.type_desc(pools.method_class_idx(m)), root)
            ]
            for m in wanted:
                out.extend(self.code.sites_of(dex, dex.call_sites(m)))
        return out
