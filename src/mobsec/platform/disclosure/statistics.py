"""Statistics for the regulator: vulnerabilities by state, severity, weakness, vendor and
month of receipt; median days to verify (received → confirmed), to notify (confirmed →
vendor notified) and to fix (vendor notified → fixed); the overdue list. CSV and PDF."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import datetime
from statistics import median
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from mobsec.platform.vulns.machine import OPEN_WITH_VENDOR, State
from mobsec.platform.vulns.models import Vulnerability
from mobsec.report.render.pdf import check_pdf_fonts, html_to_pdf

DIMENSIONS = ("state", "severity", "weakness", "vendor", "month")
DURATIONS = (
    ("verify", "received_at", "confirmed_at"),
    ("notify", "confirmed_at", "vendor_notified_at"),
    ("fix", "vendor_notified_at", "fixed_at"),
)


def _days(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None or end < start:
        return None
    return (end - start).total_seconds() / 86400


def compute(now: datetime, year: int | None = None) -> dict[str, Any]:
    qs = Vulnerability.objects.select_related("vendor")
    if year:
        qs = qs.filter(received_at__year=year)
    counts: dict[str, Counter] = {d: Counter() for d in DIMENSIONS}
    spans: dict[str, list[float]] = {name: [] for name, _, _ in DURATIONS}
    overdue = []
    total = 0
    for v in qs.order_by("received_at", "pk").iterator():
        total += 1
        counts["state"][v.state] += 1
        counts["severity"][v.severity or "unrated"] += 1
        counts["weakness"][v.cwe or v.check_id or "unspecified"] += 1
        counts["vendor"][v.vendor.name if v.vendor else "(none)"] += 1
        counts["month"][v.received_at.strftime("%Y-%m")] += 1
        for name, start, end in DURATIONS:
            d = _days(getattr(v, start), getattr(v, end))
            if d is not None:
                spans[name].append(d)
        if v.state in OPEN_WITH_VENDOR and v.due_at is not None and v.due_at < now:
            overdue.append({
                "id": v.public_id, "vendor": v.vendor.name if v.vendor else "",
                "package": v.package_name, "severity": v.severity, "state": v.state,
                "due_at": v.due_at, "days_over": round(_days(v.due_at, now) or 0, 1),
            })  # fmt: skip
    medians = {
        name: (round(median(values), 1) if values else None, len(values))
        for name, values in spans.items()
    }
    return {
        "total": total,
        "year": year,
        "generated_at": now,
        "counts": {
            d: sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))) for d, c in counts.items()
        },
        "medians": medians,
        "overdue": sorted(overdue, key=lambda r: -r["days_over"]),
    }


def to_csv(stats: dict[str, Any]) -> str:
    """One table: section, key, value (and the overdue cases with their fields)."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["section", "key", "value", "detail"])
    w.writerow(["total", "vulnerabilities", stats["total"], ""])
    for dim in DIMENSIONS:
        for key, n in stats["counts"][dim]:
            w.writerow([f"by_{dim}", _cell(key), n, ""])
    for name, (value, n) in stats["medians"].items():
        w.writerow(["median_days", f"to_{name}", "" if value is None else value, f"n={n}"])
    for r in stats["overdue"]:
        w.writerow(["overdue", r["id"], r["days_over"],
                    f"{_cell(r['vendor'])} {_cell(r['package'])} {r['severity']} {r['state']} "
                    f"due {r['due_at'].isoformat()}"])  # fmt: skip
    return out.getvalue()


def _cell(value: Any) -> str:
    """No spreadsheet formulas from names a vendor or reporter chose (CSV injection)."""
    s = str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def for_display(stats: dict[str, Any]) -> dict[str, Any]:
    """The same numbers with the states named as the pages name them (the CSV keeps ids)."""
    labels = dict(State.choices)
    counts = {**stats["counts"]}
    counts["state"] = [(str(labels.get(k, k)), n) for k, n in counts["state"]]
    return {**stats, "counts": counts}


def to_pdf(stats: dict[str, Any], lang: str) -> bytes:
    with translation.override("zh-hans" if lang == "zh-CN" else "en"):
        html = render_to_string("disclosure/statistics_print.html",
                                {"s": for_display(stats), "lang": lang})  # fmt: skip
    check_pdf_fonts(lang)
    pdf, _pages = html_to_pdf(html)
    return pdf
