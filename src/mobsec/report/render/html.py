"""The HTML report: one self-contained file a reviewer can open, search and forward.

Everything it needs is inside it: CSS and JavaScript from ``static/`` are inlined at render
time, the severity chart is inline SVG, and a Content-Security-Policy forbids any load, so
opening a report never reaches the network (a report may be read on an isolated machine,
and an app's strings must not be able to make the reader's browser call out). All report
data goes through Jinja2's autoescaping: app names, evidence and manifest values are
attacker-controlled text. The same HTML feeds the PDF (``pdf.py``); its ``@media print``
rules add page numbers and the table of contents' page references.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from mobsec.report.render.exposure import (
    exposure_rows,
    kind_text,
    permission_description,
    protection_text,
)
from mobsec.report.render.groups import SCOPES, check_groups, owner_label, sdk_names
from mobsec.report.render.messages import pick, t
from mobsec.report.render.privacy import (
    RESULT_STYLE,
    RESULTS,
    collection_rows,
    evidence_location,
    policy_rows,
    print_scenario_groups,
    privacy_of,
    result_counts,
    result_label,
    scenario_groups,
)
from mobsec.report.render.protections import protection_rows
from mobsec.report.render.view import (
    areas_of,
    certificates,
    is_app,
    is_dangerous,
    location_text,
    risk_of,
    severity_counts,
)

EVIDENCE_LINES = 6  # printed evidence: the lines around the instruction that matters

SECTIONS = (
    ("overview", "section.overview"),
    ("app", "section.app"),
    ("platform", "section.platform"),
    ("findings", "section.findings"),
    ("protections", "section.protections"),
    ("privacy", "section.privacy"),
    ("permissions", "section.permissions"),
    ("components", "section.components"),
    ("signing", "section.signing"),
    ("native", "section.native"),
    ("endpoints", "section.endpoints"),
    ("sdks", "section.sdks"),
    ("nested", "section.nested"),
    ("diagnostics", "section.diagnostics"),
    ("timings", "section.timings"),
)
COLORS = {
    "critical": "#8b0000",
    "high": "#d1242f",
    "medium": "#bf8700",
    "low": "#0969da",
    "info": "#6e7781",
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("mobsec.report.render", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def _static(name: str) -> str:
    return files("mobsec.report.render").joinpath("static", name).read_text(encoding="utf-8")


class _Obj(dict):  # type: ignore[type-arg]
    """Dict whose missing keys read as None in templates (report sections are open)."""

    def __getattr__(self, name: str) -> Any:
        return self.get(name)


def _wrap(value: Any) -> Any:
    if isinstance(value, dict):
        return _Obj({k: _wrap(v) for k, v in value.items()})
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def one_language(text: str, lang: str) -> str:
    """ "5.3.2 组件安全 / components" → the part in ``lang`` (catalog texts pair them)."""
    head, sep, tail = text.partition(" / ")
    if not sep or not any("\u4e00" <= ch <= "\u9fff" for ch in head):
        return text
    if lang == "zh-CN":
        return head
    number = head.split(" ", 1)[0] if head[:1].isdigit() else ""
    if any("\u4e00" <= ch <= "\u9fff" for ch in tail):  # "… / 中文 (english)"
        m = re.search(r"\(([^()]*)\)\s*$", tail)
        tail = m.group(1) if m else tail
    return f"{number} {tail}".strip()


def short_evidence(text: str) -> str:
    """A few lines of evidence for paper: around the marked line ("> 003f: …") or the top."""
    lines = text.splitlines()
    if len(lines) <= EVIDENCE_LINES:
        return text
    mark = next((i for i, line in enumerate(lines) if line.startswith(">")), 0)
    start = max(0, min(mark - EVIDENCE_LINES // 2, len(lines) - EVIDENCE_LINES))
    cut = lines[start : start + EVIDENCE_LINES]
    return "\n".join((["…"] if start else []) + cut + ["…"])


class _Group:
    """A check group for the template: its findings wrapped for attribute access."""

    def __init__(self, group: Any) -> None:
        self._g = group
        self.check_id = group.check_id
        self.worst = group.worst
        self.findings = [_wrap(f) for f in group.findings]
        self.first = self.findings[0]
        self.app = [_wrap(f) for f in group.app]

    def sdk_groups(self, lang: str, names: dict[str, Any]) -> list[Any]:
        out = []
        for sg in self._g.sdk_groups(lang, names):
            out.append(_Obj(key=sg.key, label=sg.label, findings=[_wrap(f) for f in sg.findings]))
        return out


def render_html(doc: dict[str, Any], lang: str = "zh-CN", for_print: bool = False) -> str:
    """The report page for ``doc`` in ``lang`` ("zh-CN" or "en").

    A document scoped by ``groups.scoped`` (``--scope app|sdk``) shows only those findings
    and says so; otherwise every finding, with a scope filter on screen.
    ``for_print``: the page for the PDF — no filters or script, evidence cut to a few lines
    (WeasyPrint's layout time grows with every element, even hidden ones)."""
    scope = (doc.get("view_scope") or {}).get("scope", "all")
    names = sdk_names(doc)
    findings = doc.get("findings") or []
    counts = severity_counts(findings)
    app = doc.get("app") or {}
    signing = doc.get("signing") or {}

    def search_text(f: dict[str, Any]) -> str:
        parts = [
            f.get("check_id", ""),
            pick(f.get("title"), "en"),
            pick(f.get("title"), "zh-CN"),
            pick(f.get("message"), lang),
            location_text(f.get("location")),
            owner_label(f.get("owner"), lang, names),
            f.get("evidence", ""),
            " ".join(f"cwe-{c}" for c in f.get("cwe") or []),
        ]
        return " ".join(p for p in parts if p).lower()

    def standards(f: dict[str, Any]) -> list[str]:
        tags = [f"CWE-{c}" for c in f.get("cwe") or []]
        tags += list(f.get("masvs") or []) + list(f.get("owasp_mobile_2024") or [])
        for name, items in (f.get("standards") or {}).items():
            tags += [f"{name} {one_language(i, lang)}" for i in items]
        return tags

    def label(prefix: str, value: str | None) -> str:
        try:
            return t(f"{prefix}.{value}", lang) if value else ""
        except KeyError:
            return value or ""

    def what(s: dict[str, Any]) -> str:
        if s.get("fingerprint"):
            return f"fingerprint {s['fingerprint']}"
        where = [f"{k}={s[k]}" for k in ("file", "class", "method") if s.get(k)]
        return f"rule {s.get('rule')}" + (f" ({', '.join(where)})" if where else "")

    def yesno(value: Any) -> str:
        if value is None:
            return ""
        return t("yes", lang) if value else t("no", lang)

    def detail_value(value: Any) -> str:
        """A platform-details value as text: lists joined, objects as compact JSON."""
        if isinstance(value, bool) or value is None:
            return yesno(value)
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            return ", ".join(detail_value(v) for v in value)
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        return str(value)

    priv = privacy_of(doc)

    def scenario_search(s: dict[str, Any]) -> str:
        parts = [s.get("id", ""), pick(s.get("title"), "en"), pick(s.get("title"), "zh-CN")]
        parts += [pick(s.get("reason"), lang), result_label(s.get("result", ""), lang)]
        parts += [pick(e.get("text"), lang) for e in s.get("evidence") or []]
        return " ".join(p for p in parts if p).lower()

    if not priv:
        scenarios, pending = [], []
    elif for_print:
        scenarios, pending = print_scenario_groups(priv, lang)
    else:
        scenarios, pending = scenario_groups(priv, lang), []

    template = _environment().get_template("report.html.j2")
    return template.render(
        doc=_wrap(doc),
        lang=lang,
        app=_wrap(app),
        app_name=app.get("label")
        or app.get("package")
        or (doc.get("package") or {}).get("file_name", ""),
        manifest=_wrap(doc.get("manifest") or {}),
        sections=[s for s in SECTIONS if not (for_print and s[0] == "timings")],
        risk=risk_of(doc, lang),
        counts=counts,
        max_count=max(max(counts.values()), 1),
        colors=COLORS,
        triage=_wrap(doc.get("triage")),
        findings_total=len(findings),
        areas=[
            {
                "id": a.id,
                "label": a.label,
                "count": len(a.findings),
                "groups": [_Group(g) for g in check_groups(a.findings)],
            }
            for a in areas_of(doc, lang)
        ],
        scope=scope,
        scopes=SCOPES,
        for_print=for_print,
        names=names,
        is_app=is_app,
        short_evidence=short_evidence,
        exposure=exposure_rows(doc, lang),
        endpoints=_wrap(doc.get("endpoints") or []),
        permission_description=lambda name: permission_description(name, lang),
        protection=lambda level: protection_text(level, lang),
        kind_text=lambda kind: kind_text(kind, lang),
        sdk_category=lambda cat: label("sdk.cat", cat),
        diag_level=lambda level: label("diag.level", level),
        schemes=[k for k, v in (signing.get("schemes") or {}).items() if v.get("present")],
        certs=_wrap(certificates(doc)),
        timings_total=sum((doc.get("timings") or {}).values()),
        css=_static("report.css"),
        js=_static("report.js"),
        _=lambda key, **p: t(key, lang, **p),
        pick=lambda text: pick(text, lang),
        location=lambda loc: location_text(loc, lang),
        owner=lambda o: owner_label(o, lang, names),
        search_text=search_text,
        standards=standards,
        what=what,
        yesno=yesno,
        detail_value=detail_value,
        details=_wrap(doc.get("platform_details") or []),
        is_dangerous=is_dangerous,
        protections=protection_rows(doc, lang),
        priv=_wrap(priv),
        privacy_rows=collection_rows(priv, lang) if priv else [],
        privacy_groups=[_wrap({"label": g.label, "scenarios": g.scenarios}) for g in scenarios],
        privacy_pending=[(reason, _wrap(items)) for reason, items in pending],
        privacy_counts=result_counts(priv) if priv else {},
        privacy_policy_rows=policy_rows(priv, lang) if priv else [],
        privacy_results=RESULTS,
        result_style=RESULT_STYLE,
        result_label=lambda r: result_label(r, lang),
        evidence_location=evidence_location,
        scenario_search=scenario_search,
    )
