"""JSON shapes of incidents for the API (plain dicts: every text in them is data, escaped
by whoever renders it)."""

from __future__ import annotations

from typing import Any

from . import fleet, notices
from .models import Event, Incident, IncidentPack, ScopeSnapshot


def incident(i: Incident, full: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": i.public_id, "source": i.source,
        "vulnerability": i.vulnerability.public_id if i.vulnerability_id else None,
        "title_en": i.title_en, "title_zh": i.title_zh, "severity": i.severity,
        "cvss31": i.cvss31, "cwe": i.cwe, "cve_ids": i.cve_ids, "cnvd_ids": i.cnvd_ids,
        "created_at": i.created_at, "created_by": i.created_by.username,
    }  # fmt: skip
    if full:
        out.update(
            description_en=i.description_en, description_zh=i.description_zh, refs=i.refs,
            timeline=[event(e) for e in i.events.select_related("actor").order_by("at", "id")],
            snapshots=[snapshot(s) for s in i.snapshots.all()[:20]],
            packs=[pack(p) for p in i.packs.all()],
            rescans=[fleet.status(r) for r in i.rescans.select_related("pack")[:20]],
            vendors=notices.progress(i),
            bulletin=i.bulletin.public_id if hasattr(i, "bulletin") else None,
        )  # fmt: skip
    return out


def event(e: Event) -> dict[str, Any]:
    return {"at": e.at, "actor": e.actor.username if e.actor_id else None,
            "action": e.action, "details": e.details}  # fmt: skip


def snapshot(s: ScopeSnapshot, results: bool = False) -> dict[str, Any]:
    out = {"id": s.public_id, "query": s.query, "count": s.count, "created_at": s.created_at}
    if results:
        out["results"] = s.results
    return out


def pack(p: IncidentPack) -> dict[str, Any]:
    return {"id": p.public_id, "incident": p.incident.public_id, "pack_id": p.pack_id,
            "version": p.version, "publisher": p.publisher, "key_id": p.key_id,
            "sha256": p.sha256, "size": p.size, "rules": p.rule_ids,
            "uploaded_at": p.uploaded_at, "published_at": p.published_at}  # fmt: skip
