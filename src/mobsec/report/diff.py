"""Compare two versions of an app: what a release changed in its security posture.

Input is two Report documents (scan both packages, or load two stored reports). Findings
are matched by fingerprint, which is stable across rebuilds, so "fixed" means the finding is
gone, not that its bytecode offset moved. Beyond findings, the changes reviewers ask about
first: permissions requested, third-party SDKs, signing certificates (a changed certificate
means the update cannot install over the old app, or that someone else signed it) and
exported components (new attack surface).
"""

from __future__ import annotations

from typing import Any

from mobsec.report.render.messages import both, pick, t
from mobsec.report.render.view import certificates, exported_components, location_text
from mobsec.report.render.view import sorted_findings as _sorted

DIFF_FORMAT = 1
APP_FIELDS = (
    "version_name",
    "version_code",
    "min_sdk",
    "target_sdk",
    "debuggable",
    "allow_backup",
    "uses_cleartext_traffic",
)


def _identity(doc: dict[str, Any]) -> dict[str, Any]:
    app = doc.get("app") or {}
    pkg = doc.get("package") or {}
    return {
        "package": app.get("package"),
        "version_name": app.get("version_name"),
        "version_code": app.get("version_code"),
        "file_name": pkg.get("file_name"),
        "sha256": (pkg.get("hashes") or {}).get("sha256"),
    }


def _finding_summary(f: dict[str, Any]) -> dict[str, Any]:
    return {
        "fingerprint": f["fingerprint"],
        "check_id": f["check_id"],
        "severity": f["severity"],
        "title": f.get("title"),
        "location": f.get("location"),
    }


def _added_removed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Keys present only in new (added) / only in old (removed), values as given, sorted."""
    return {
        "added": [new[k] for k in sorted(set(new) - set(old))],
        "removed": [old[k] for k in sorted(set(old) - set(new))],
    }


def diff_reports(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The differences between two Report documents, as a JSON-ready dict."""
    old_f = {f["fingerprint"]: f for f in old.get("findings") or []}
    new_f = {f["fingerprint"]: f for f in new.get("findings") or []}
    findings = {
        "new": [
            _finding_summary(f) for f in _sorted([new_f[k] for k in new_f.keys() - old_f.keys()])
        ],
        "fixed": [
            _finding_summary(f) for f in _sorted([old_f[k] for k in old_f.keys() - new_f.keys()])
        ],
        "unchanged": [
            _finding_summary(f) for f in _sorted([new_f[k] for k in new_f.keys() & old_f.keys()])
        ],
    }

    def perms(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        m = doc.get("manifest") or {}
        return {
            p["name"]: {"name": p["name"], "protection_level": p.get("protection_level")}
            for p in m.get("uses_permissions") or []
        }

    def sdks(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        out = {}
        for s in doc.get("sdks") or []:
            version = (s.get("version") or {}).get("version")
            out[s["id"]] = {"id": s["id"], "name": s.get("name"), "version": version}
        return out

    def certs(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            c["sha256"]: {
                "sha256": c["sha256"],
                "subject": c.get("subject"),
                "not_after": c.get("not_after"),
            }
            for c in certificates(doc)
        }

    def exported(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {
            f"{c['kind']}:{c['name']}": {
                "kind": c["kind"],
                "name": c["name"],
                "permission": c.get("permission"),
            }
            for c in exported_components(doc)
        }

    old_sdks, new_sdks = sdks(old), sdks(new)
    sdk_changes = _added_removed(old_sdks, new_sdks)
    sdk_changes["version_changed"] = [
        {"id": k, "old": old_sdks[k]["version"], "new": new_sdks[k]["version"]}
        for k in sorted(old_sdks.keys() & new_sdks.keys())
        if old_sdks[k]["version"] != new_sdks[k]["version"]
    ]
    cert_changes = _added_removed(certs(old), certs(new))
    cert_changes["changed"] = bool(cert_changes["added"] or cert_changes["removed"])
    old_app, new_app = old.get("app") or {}, new.get("app") or {}
    return {
        "mobsec_diff": DIFF_FORMAT,
        "old": _identity(old),
        "new": _identity(new),
        "app_changes": {
            k: {"old": old_app.get(k), "new": new_app.get(k)}
            for k in APP_FIELDS
            if old_app.get(k) != new_app.get(k)
        },
        "findings": findings,
        "permissions": _added_removed(perms(old), perms(new)),
        "sdks": sdk_changes,
        "certificates": cert_changes,
        "exported_components": _added_removed(exported(old), exported(new)),
    }


def render_diff_text(d: dict[str, Any], lang: str | None = None) -> str:
    """A plain-text account of a diff; bilingual labels without ``lang``."""

    def L(key: str, **p: object) -> str:
        return both(key, **p) if lang is None else t(key, lang, **p)

    text_lang = lang or "en"
    o, n = d["old"], d["new"]
    lines = [
        f"{L('diff.title')}: {o['package']} {o['version_name']} ({o['file_name']}) → "
        f"{n['package']} {n['version_name']} ({n['file_name']})"
    ]
    for k, v in d["app_changes"].items():
        lines.append(f"  {k}: {v['old']} → {v['new']}")
    f = d["findings"]
    lines.append(
        f"{L('diff.findings')}: {len(f['new'])} {L('diff.new')}, {len(f['fixed'])} "
        f"{L('diff.fixed')}, {len(f['unchanged'])} {L('diff.unchanged')}"
    )
    for kind, sign in (("new", "+"), ("fixed", "-")):
        for x in f[kind]:
            lines.append(
                f"  {sign} {x['severity']:<8} {x['check_id']} {pick(x['title'], text_lang)}"
                f"  [{location_text(x['location'])}]"
            )
    sections = (
        ("diff.permissions", d["permissions"], lambda p: p["name"]),
        ("diff.sdks", d["sdks"], lambda s: f"{pick(s['name'], text_lang)} ({s['id']})"),
        ("diff.certificates", d["certificates"], lambda c: f"{c['subject']} sha256={c['sha256']}"),
        ("diff.exported", d["exported_components"], lambda c: f"{c['kind']} {c['name']}"),
    )
    for key, change, show in sections:
        if not change["added"] and not change["removed"] and not change.get("version_changed"):
            lines.append(f"{L(key)}: {L('diff.no_change')}")
            continue
        lines.append(f"{L(key)}:")
        lines += [f"  + {show(x)}" for x in change["added"]]
        lines += [f"  - {show(x)}" for x in change["removed"]]
        for v in change.get("version_changed") or []:
            lines.append(f"  ~ {v['id']}: {v['old']} → {v['new']}")
    return "\n".join(lines) + "\n"
