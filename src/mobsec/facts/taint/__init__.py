"""Inter-procedural taint analysis of personal information (PI): sources to sinks.

    result = analyse_app(facts)           # or facts.pi_flow_analysis / facts.pi_flows
    for leak in result.leaks:
        leak.source.pi_type, leak.source.method, leak.sink.kind, leak.sink.api, leak.path

See :mod:`.engine` for the design, :mod:`.specs` for sources and sinks, :mod:`.lifecycle`
for what the framework calls, :mod:`.icc` for Intents between the app's components.
"""

from .engine import TaintBudget, TaintEngine, analyse_app
from .model import Leak, SinkSite, SourceSite, TaintResult

__all__ = [
    "Leak",
    "SinkSite",
    "SourceSite",
    "TaintBudget",
    "TaintEngine",
    "TaintResult",
    "analyse_app",
]
