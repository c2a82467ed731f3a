"""The terminal summary: what someone at a shell (or reading a CI log) needs in one screen.

Risk rating and its reason, severity counts, the top findings, SDKs, dangerous
permissions, baseline/suppression state, problems met while reading, phase timings.
Without ``lang`` every label is bilingual ("findings / 发现"), since a CI log is read by
whoever is on call. Rendered with rich; colour only when the stream is a terminal.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import IO, Any

from rich.console import Console
from rich.markup import escape

from mobsec.report.render.groups import CheckGroup, check_groups
from mobsec.report.render.messages import both, pick, t
from mobsec.report.render.privacy import collectors_by_pi, privacy_of, result_counts
from mobsec.report.render.protections import protection_summary, protections_of
from mobsec.report.render.sanitize import clean_text
from mobsec.report.render.view import (
    RANK,
    certificates,
    exported_components,
    is_app,
    is_dangerous,
    is_suppressed,
    location_text,
    risk_of,
    severity_counts,
)

TOP_FINDINGS = 10
MAX_DIAGNOSTIC_LINES = 40
STYLES = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render_terminal(
    doc: dict[str, Any],
    stream: IO[str],
    lang: str | None = None,
    output_paths: list[str] | None = None,
    width: int | None = None,
) -> None:
    """Print the summary of ``doc`` to ``stream`` (colour if it is a terminal)."""
    console = Console(file=stream, width=width, highlight=False, soft_wrap=True)
    # No escape sequence from the package reaches the terminal: each line is cleaned as it
    # is printed (cleaning the whole document first copied all of it, 300 MB for a
    # 99,000-component manifest, to print one screen).
    for line in summary_lines(doc, lang, output_paths):
        console.print(clean_text(line))


def render_text(doc: dict[str, Any], lang: str | None = None) -> str:
    """The same summary as plain text (``--format text``)."""
    buf = io.StringIO()
    console = Console(file=buf, width=100, color_system=None, highlight=False, soft_wrap=True)
    for line in summary_lines(doc, lang, None):
        console.print(clean_text(line))
    return buf.getvalue()


def _labeller(lang: str | None) -> Callable[..., str]:
    if lang is None:
        return both
    return lambda key, **p: t(key, lang, **p)


def summary_lines(
    doc: dict[str, Any], lang: str | None, output_paths: list[str] | None
) -> list[str]:
    """Rich-markup lines; user data is escaped (an app name must not inject markup)."""
    L = _labeller(lang)
    text_lang = lang or "en"
    lines: list[str] = []
    app = doc.get("app") or {}
    name = app.get("package") or (doc.get("package") or {}).get("file_name", "")
    heading = f"{name} {app.get('version_name') or ''}".rstrip()
    lines.append(f"[bold]{escape(heading)}[/]")
    lines += [f"  {escape(x)}" for x in _fact_lines(doc, L)]
    lines += [f"  {escape(x)}" for x in _detail_lines(doc, text_lang)]

    risk = risk_of(doc, text_lang)
    style = STYLES.get(risk.rating, "green")
    lines.append(f"{L('risk.rating')}: [{style}]{L(f'risk.{risk.rating}')}[/]")
    reasons = risk.reasons
    if lang is None:  # bilingual: each reason in English, then in Chinese
        zh = risk_of(doc, "zh-CN").reasons
        reasons = [x for pair in zip(risk.reasons, zh, strict=True) for x in pair]
    lines += [f"  {escape(r)}" for r in reasons]
    counts = severity_counts(doc.get("findings") or [])
    lines.append(
        f"{L('summary.findings')}: "
        + ", ".join(f"[{STYLES[s]}]{L(f'severity.{s}')} {n}[/]" for s, n in counts.items())
    )
    lines += _top_lines(doc, L, text_lang)
    sdks = doc.get("sdks") or []
    if sdks:
        names = ", ".join(pick(s.get("name"), text_lang) for s in sdks[:12])
        more = f" … +{len(sdks) - 12}" if len(sdks) > 12 else ""
        lines.append(f"{L('section.sdks')} ({len(sdks)}): {escape(names)}{more}")
    if protections_of(doc):  # defences the app has: facts, not findings
        lines.append(f"{L('section.protections')}: " + escape(protection_summary(doc, text_lang)))
    lines += _endpoint_lines(doc, L)
    lines += _privacy_lines(doc, L, text_lang)
    m = doc.get("manifest") or {}
    dangerous = [p["name"] for p in m.get("uses_permissions") or [] if is_dangerous(p)]
    if dangerous:
        lines.append(
            f"{L('perm.dangerous')} {L('section.permissions')} ({len(dangerous)}): "
            + escape(", ".join(p.removeprefix("android.permission.") for p in dangerous))
        )
    lines += _triage_lines(doc, L)
    problems = [d for d in doc.get("diagnostics") or [] if d.get("level") in ("error", "warning")]
    for d in problems[:MAX_DIAGNOSTIC_LINES]:
        where = f"{d['file']}: " if d.get("file") else ""
        msg = pick(d.get("message"), text_lang)
        lines.append(f"  {d['level']}: {escape(where + msg)} [{escape(d.get('code', ''))}]")
    if len(problems) > MAX_DIAGNOSTIC_LINES:  # the report has them all
        lines.append(f"  … +{len(problems) - MAX_DIAGNOSTIC_LINES}")
    timings = doc.get("timings") or {}
    # "checks" already contains "checks.code", ...: count only phases with no parent listed.
    total = sum(v for k, v in timings.items() if k.rpartition(".")[0] not in timings)
    slow = sorted(timings.items(), key=lambda kv: -kv[1])[:3]
    detail = ", ".join(f"{k} {v:.2f}s" for k, v in slow if v >= 0.01)
    lines.append(f"{L('summary.time')}: {total:.2f} s" + (f" ({detail})" if detail else ""))
    for path in output_paths or []:
        lines.append(f"{L('summary.report')}: {escape(path)}")
    return lines


def _top_lines(doc: dict[str, Any], L: Callable[..., str], lang: str) -> list[str]:
    """The top checks, the app's own code first: one line per check, where it fired below."""
    groups = check_groups(doc.get("findings") or [])
    if not groups:
        return []

    def key(g: CheckGroup) -> tuple[Any, ...]:
        live = [f for f in g.findings if not is_suppressed(f)]
        own = any(is_app(f) and f["severity"] != "info" for f in live)
        return (not live, not own, RANK.get(g.worst, 9), g.check_id)

    ranked = sorted(groups, key=key)
    lines = [f"{L('summary.top')}:"]
    for g in ranked[:TOP_FINDINGS]:
        f = g.first
        tag = ""
        if all(is_suppressed(x) for x in g.findings):
            tag = f" [dim]({L('status.suppressed')})[/]"
        elif any(x.get("status") == "new" for x in g.findings):
            tag = f" [bold]({L('status.new')})[/]"
        sev = L(f"severity.{g.worst}").replace(" / ", "/")
        title = pick(f.get("title"), lang)
        lines.append(
            f"  [{STYLES.get(g.worst, '')}]{escape(sev):<8}[/] {escape(g.check_id)}{tag} "
            f"{escape(title)}"
        )
        app = len(g.app)
        places = L("summary.places", n=len(g.findings), app=app, sdk=len(g.findings) - app)
        where = location_text(f.get("location"), lang)
        lines.append(f"           {escape(places)} · {escape(where)}")
    if len(ranked) > TOP_FINDINGS:
        lines.append(f"  {escape(L('summary.top_more', n=len(ranked) - TOP_FINDINGS))}")
    return lines


def _endpoint_lines(doc: dict[str, Any], L: Callable[..., str]) -> list[str]:
    """The domains the code names, the app's own first (SDK ones after a '|')."""
    ends = doc.get("endpoints") or []
    if not ends:
        return []
    own = list(dict.fromkeys(e["value"] for e in ends if e["owner"]["kind"] == "app"))
    sdk = [v for v in dict.fromkeys(e["value"] for e in ends) if v not in own]
    shown = own[:8] + (["|"] if own and sdk else []) + sdk[: max(0, 12 - len(own[:8]))]
    more = len(own) + len(sdk) - len([x for x in shown if x != "|"])
    tail = f" … +{more}" if more > 0 else ""
    return [f"{L('summary.endpoints')} ({len(own) + len(sdk)}): {escape(' '.join(shown))}{tail}"]


def _privacy_lines(doc: dict[str, Any], L: Callable[..., str], lang: str) -> list[str]:
    """Scenarios by result, the suspected ones by id, and which PI is read by whom."""
    priv = privacy_of(doc)
    if priv is None:
        return []
    c = result_counts(priv)
    summary = L(
        "privacy.summary",
        violation=c["violation-suspected"],
        compliant=c["compliant-statically"],
        not_assessed=c["not-assessed-statically"],
        na=c["not-applicable"],
    )
    style = "red" if c["violation-suspected"] else "green"
    lines = [f"{L('section.privacy')} (191): [{style}]{escape(summary)}[/]"]
    suspected = [
        str(s.get("id", ""))
        for s in list(priv.get("scenarios") or []) + list(priv.get("miit") or [])
        if s.get("result") == "violation-suspected"
    ]
    if suspected:
        lines.append(
            f"  {L('privacy.result.violation-suspected')}: " + escape(", ".join(suspected))
        )
    who = collectors_by_pi(priv, lang)
    if who:
        parts = [f"{pi} ({', '.join(by)})" for pi, by in who[:12]]
        more = f" … +{len(who) - 12}" if len(who) > 12 else ""
        lines.append(f"  {L('privacy.collected')}: " + escape("; ".join(parts)) + more)
    return lines


def _triage_lines(doc: dict[str, Any], L: Callable[..., str]) -> list[str]:
    triage = doc.get("triage")
    if not triage:
        return []
    lines = []
    b = triage.get("baseline")
    if b:
        lines.append(
            f"{L('triage.baseline')}: "
            + escape(
                L(
                    "triage.baseline_counts",
                    new=b["new"],
                    unchanged=b["unchanged"],
                    file=b["source"],
                )
            )
        )
    if triage.get("suppressed"):
        lines.append(escape(L("triage.suppressed", n=triage["suppressed"])))
    for s in triage.get("expired_suppressions") or []:
        lines.append(
            "[yellow]"
            + escape(L("triage.expired", what=_what(s), expires=s["expires"], reason=s["reason"]))
            + "[/]"
        )
    for s in triage.get("unused_suppressions") or []:
        lines.append("[dim]" + escape(L("triage.unused", what=_what(s))) + "[/]")
    return lines


def _what(s: dict[str, Any]) -> str:
    if s.get("fingerprint"):
        return f"fingerprint {s['fingerprint']}"
    where = [f"{k}={s[k]}" for k in ("file", "class", "method") if s.get(k)]
    return f"rule {s.get('rule')}" + (f" ({', '.join(where)})" if where else "")


DETAIL_ROWS = 6  # per platform-details table: the summary names the facts, the report has all


def _detail_lines(doc: dict[str, Any], lang: str) -> list[str]:
    """Platform-specific tables (Info.plist/ATS, module.json...), their set values only."""
    lines = []
    for d in doc.get("platform_details") or []:
        shown = [
            f"{r['key']}={_short(r['value'])}"
            for r in d.get("rows") or []
            if r.get("value") not in (None, False, [], {}, "")
        ]
        if shown:
            more = f" … +{len(shown) - DETAIL_ROWS}" if len(shown) > DETAIL_ROWS else ""
            lines.append(f"{pick(d.get('title'), lang)}: " + "; ".join(shown[:DETAIL_ROWS]) + more)
    return lines


def _short(value: Any) -> str:
    if isinstance(value, list) and all(isinstance(v, str | int | float) for v in value):
        text = ",".join(map(str, value))
    elif isinstance(value, dict):
        text = ",".join(f"{k}:{v}" for k, v in value.items() if v not in (None, False, [], ""))
    else:
        text = str(value)
    return text if len(text) <= 80 else text[:80] + "…"


def _fact_lines(doc: dict[str, Any], L: Callable[..., str]) -> list[str]:
    """A few facts worth seeing before opening the report."""
    lines = []
    app = doc.get("app")
    if app and (app.get("min_sdk") is not None or app.get("target_sdk") is not None):
        debuggable = f"  {L('app.debuggable')}" if app.get("debuggable") else ""
        lines.append(
            f"{L('app.sdk_levels')}: {app.get('min_sdk')}/{app.get('target_sdk')}{debuggable}"
        )
    m = doc.get("manifest")
    if m:
        exported = [c for c in exported_components(doc) if c.get("kind") != "activity-alias"]
        dangerous = [p for p in m.get("uses_permissions") or [] if is_dangerous(p)]
        lines.append(
            f"{L('section.components')} {L('comp.exported')}: {len(exported)}; "
            f"{L('perm.dangerous')} {L('section.permissions')}: {len(dangerous)}"
        )
    s = doc.get("signing")
    if s is not None:
        schemes = [k for k, v in (s.get("schemes") or {}).items() if v.get("present")]
        verdict = L("sign.verified") if s.get("verified") else "NOT verified / 未通过验证"
        certs = certificates(doc)
        subject = f"; {certs[0].get('subject')}" if certs else ""
        lines.append(f"{L('section.signing')}: {verdict} ({', '.join(schemes) or '-'}){subject}")
    code = doc.get("code")
    if code:
        lines.append(
            f"{L('app.code')}: "
            + L(
                "app.code_value",
                dex=len(code.get("dex_files") or []),
                classes=code.get("classes"),
                methods=code.get("methods"),
            )
        )
    libs = doc.get("native_libraries") or []
    if libs:
        lines.append(f"{L('section.native')}: {len(libs)}")
    return lines
