"""What the mini-program checks share."""

from __future__ import annotations

from mobsec.checks.context import CheckContext
from mobsec.facts.miniprogram import MiniProgramFacts
from mobsec.facts.miniprogram.js import JsCall
from mobsec.report.model import Confidence, Finding, Text


def facts(ctx: CheckContext) -> MiniProgramFacts:
    f = ctx.facts
    assert isinstance(f, MiniProgramFacts), "miniprogram.* checks run on MiniProgramFacts only"
    return f


def call_finding(ctx: CheckContext, call: JsCall, message: Text, key: str, **kw) -> Finding:
    """A finding at a call in the JavaScript (file and line); the evidence names the module."""
    return ctx.file_finding(
        call.file,
        line=call.line,
        evidence=f"{call.module}: {call.callee}("
        + (f"{{url: {call.url!r}}}" if call.url else "…")
        + ")",
        message=message,
        key=f"{call.module}:{key}",
        confidence=kw.pop("confidence", None) or (None if call.parsed else Confidence.MEDIUM),
        **kw,
    )
