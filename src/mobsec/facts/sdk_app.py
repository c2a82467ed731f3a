"""The facts of an SDK (AAR/JAR) as an app's: its class files translated to DEX, so every
code fact and check reads them as it reads an APK; only where code starts differs.

An SDK has no manifest components of its own to start from: a host app can create its
public classes and call their public and protected methods, and the framework calls the
overrides of framework types it is handed. Those are the roots of reachability here.
"""

from __future__ import annotations

from functools import cached_property

from mobsec.facts.app import AppFacts
from mobsec.facts.reachability import Reachability
from mobsec.ingest.dex.classes import ACC_ABSTRACT, ACC_INTERFACE, ACC_PROTECTED, ACC_PUBLIC


class SdkFacts(AppFacts):
    @cached_property
    def api(self) -> list[tuple[str, str, str]]:
        """(class, name, proto) of every public/protected method of a public class, and of
        every lambda body (``invokedynamic`` is not followed as a call, see
        :mod:`mobsec.ingest.jvm.translate`, so a lambda is a root of its own)."""
        out = []
        for desc, (dex, cls) in self.code.classes.items():
            public = bool(cls.access_flags & ACC_PUBLIC)
            pools = dex.pools
            for m in cls.methods:
                name = pools.method_name(m.method_idx)
                api = public and m.access_flags & (ACC_PUBLIC | ACC_PROTECTED)
                if (api or name.startswith("lambda$")) and name != "<clinit>":
                    out.append((desc, name, pools.method_proto(m.method_idx)))
        return out

    @cached_property
    def reachability(self) -> Reachability:
        """Reachable from the SDK's public API (see the module doc)."""
        created = [
            desc
            for desc, (_, cls) in self.code.classes.items()
            if cls.access_flags & ACC_PUBLIC
            and not cls.access_flags & (ACC_ABSTRACT | ACC_INTERFACE)
        ]
        return Reachability(self.code, created, (), self.api)
