"""The results of the taint analysis: where PI was read, where it left, and through what.

A :class:`Leak` is one (source site, sink site) pair; the path lists the methods the data
went through as far as the analysis knows it (source method, the callers that resolved a
callee's summary, the sink method), not every intermediate statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SourceSite:
    method: str  # "Lcom/x/A;->onCreate(Landroid/os/Bundle;)V"
    offset: int | None  # code offset of the call or field read; None for a callback parameter
    api: str  # the source API ("Landroid/telephony/TelephonyManager;->getDeviceId")
    pi_type: str  # "device-id", "location", ...
    param: int | None = None  # callback parameter position (receiver = 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "offset": self.offset,
            "api": self.api,
            "pi_type": self.pi_type,
            "param": self.param,
        }


@dataclass(frozen=True, slots=True)
class SinkSite:
    method: str
    offset: int
    api: str  # "Landroid/util/Log;->i"
    kind: str  # log, sms, network, file, shared-preferences, icc, webview, process

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "offset": self.offset, "api": self.api, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Leak:
    source: SourceSite
    sink: SinkSite
    path: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "source": self.source.to_json(),
            "sink": self.sink.to_json(),
            "path": list(self.path),
        }


@dataclass(slots=True)
class TaintResult:
    leaks: list[Leak] = field(default_factory=list)
    complete: bool = True
    incomplete_reason: str | None = None  # "time budget", "analysis budget"
    methods_analysed: int = 0  # distinct methods
    analyses: int = 0  # method analyses including re-analyses
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "leaks": [leak.to_json() for leak in self.leaks],
            "complete": self.complete,
            "incomplete_reason": self.incomplete_reason,
            "methods_analysed": self.methods_analysed,
            "analyses": self.analyses,
            "seconds": round(self.seconds, 3),
        }
