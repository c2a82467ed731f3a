"""What cleartext the app's own code uses, for the checks that report a cleartext policy.

A policy that permits cleartext matters through the connections the app makes. When every
cleartext URL the app's own code builds goes to the loopback interface (127.0.0.0/8, ::1,
localhost: the traffic never leaves the device) and no connecting call of the app's own
code that can run gets a URL made at run time (which could name any host), the permission
has nothing on the network path to expose. SDK code is not counted: its http strings (link detection,
pinning examples) are not connections the app makes, and the cleartext-url check reports
its real ones at their place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mobsec.checks.network.cleartext_url import sink_uses
from mobsec.report.model import Text

if TYPE_CHECKING:
    from mobsec.checks.context import CheckContext

SHOWN = 3  # URLs named in a message


def is_loopback(host: str) -> bool:
    return host == "localhost" or host.startswith("127.") or host in ("::1", "[::1]")


@dataclass(frozen=True, slots=True)
class CleartextUse:
    urls: tuple[str, ...]  # cleartext URLs (or constant prefixes) the app's own code uses
    remote: bool  # one of them may go to a host other than loopback
    runtime: bool  # a connecting call of the app's own code gets a URL made at run time

    @property
    def loopback_only(self) -> bool:
        return bool(self.urls) and not self.remote and not self.runtime

    def note(self) -> Text:
        """What the app's code does with cleartext, for the policy finding's message."""
        if not self.urls:
            return Text(
                "; the app's own code passes no constant cleartext URL to a connecting API",
                ";应用自身代码未将常量明文 URL 传入发起连接的 API",
            )
        shown = ", ".join(self.urls[:SHOWN]) + (
            f" (+{len(self.urls) - SHOWN})" if len(self.urls) > SHOWN else ""
        )
        if self.loopback_only:
            return Text(
                f"; the app's own code uses cleartext only to the loopback interface ({shown}), "
                "which never leaves the device, and passes no URL made at run time to a "
                "connecting call",
                f";应用自身代码仅对本机回环地址使用明文({shown}),流量不离开设备,且未将运行时生成的 URL "
                "传入发起连接的调用",
            )
        return Text(
            f"; cleartext URLs in the app's own code: {shown}",
            f";应用自身代码中的明文 URL:{shown}",
        )


def app_cleartext_use(ctx: CheckContext) -> CleartextUse:
    def build() -> CleartextUse:
        urls: dict[str, None] = {}
        remote = runtime = False
        reachable = ctx.facts.reachability.is_reachable
        for use in sink_uses(ctx.facts):
            ref = use.site.dex.method_ref(use.site.caller_idx)
            if ctx.facts.owners.owner_of(ref.class_desc).kind != "app":
                continue
            # A URL parameter of a method no entry point reaches is never filled in; a
            # constant URL counts wherever it is (kept on the side of reporting).
            runtime = runtime or (
                use.runtime and reachable(ref.class_desc, f"{ref.name}{ref.proto}")
            )
            for found, _reached in use.urls:
                urls.setdefault(found.url + ("" if found.complete else " + …"))
                remote = remote or not is_loopback(found.host)
        return CleartextUse(tuple(urls), remote, runtime)

    return ctx.facts.memo(("network", "app cleartext use"), build)
