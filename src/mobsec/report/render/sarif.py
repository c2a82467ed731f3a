"""SARIF 2.1.0 output, for GitHub and GitLab code scanning and any SARIF viewer.

Mapping choices (each one is something a code-scanning service relies on):

* one ``rule`` per check id, with short/full description and ``help`` (the remediation),
  ``defaultConfiguration.level`` and GitHub's ``security-severity`` score so alerts get the
  right severity badge;
* every result has a relative ``artifactLocation.uri`` and a ``region.startLine`` (GitHub
  refuses or cannot place a result without them; ``locations.py`` decides which file):
  a line from a Java/Kotlin source names that source (``SRCROOT``), bytecode without one
  the ``.dex`` inside the package (``PACKAGE``), a package-level result the package file
  (``PACKAGE_DIR``); the ``.dex`` and class/method go to ``logicalLocations``;
* ``partialFingerprints`` carries our rebuild-stable fingerprint, so the service tracks an
  alert across builds instead of reopening it;
* baseline status and suppressions use SARIF's own ``baselineState`` and ``suppressions``.
"""

from __future__ import annotations

from typing import Any

from mobsec.report.render.messages import pick
from mobsec.report.render.privacy import privacy_of, sarif_properties
from mobsec.report.render.protections import protections_of
from mobsec.report.render.protections import sarif_properties as protection_properties
from mobsec.report.render.sarif_locations import (
    artifact_uri,
    base_ids,
    check_source_root,
    logical_locations,
    physical_location,
)
from mobsec.report.render.view import RANK, sorted_findings

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "mobsecFingerprint/v1"

LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub reads properties.security-severity (0.0-10.0) to show critical/high/medium/low.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "0.0"}
DIAG_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render_sarif(
    doc: dict[str, Any], lang: str = "en", source_root: str | None = None
) -> dict[str, Any]:
    """The SARIF log (a JSON-ready dict) for one Report document.

    ``source_root``: where the app's Java/Kotlin sources live relative to the repository
    root ("app/src/main/java"); ValueError when it is absolute or leaves the repository.
    """
    root = check_source_root(source_root)
    findings = sorted_findings(doc.get("findings") or [])
    rules, index = _rules(findings, lang)
    package = doc.get("package") or {}
    results = [_result(f, index[f["check_id"]], lang, package, root) for f in findings]
    artifacts = {
        (loc["artifactLocation"]["uri"], loc["artifactLocation"]["uriBaseId"])
        for r in results
        for loc in (x["physicalLocation"] for x in r["locations"])
    }
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "mobsec",
                "version": (doc.get("tool") or {}).get("version", ""),
                "semanticVersion": (doc.get("tool") or {}).get("version", ""),
                "language": "zh-CN" if lang == "zh-CN" else "en",
                "rules": rules,
            }
        },
        "originalUriBaseIds": base_ids(package.get("file_name") or ""),
        "artifacts": [
            {"location": {"uri": uri, "uriBaseId": base}} for uri, base in sorted(artifacts)
        ],
        "invocations": [_invocation(doc, lang)],
        "results": results,
        "properties": {
            "package": package,
            "app": doc.get("app"),
            "reportSchemaVersion": doc.get("schema_version"),
        },
    }
    if doc.get("platform_details"):
        run["properties"]["platformDetails"] = doc["platform_details"]
    if doc.get("triage"):
        run["properties"]["triage"] = doc["triage"]
    if protections_of(doc):  # defences are facts about the app, not results
        run["properties"]["protections"] = protection_properties(doc)
    priv = privacy_of(doc)
    if priv is not None:  # the PI findings are results above; the assessment rides along
        run["properties"]["privacy"] = sarif_properties(priv)
    return {"$schema": SARIF_SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def _rules(
    findings: list[dict[str, Any]], lang: str
) -> tuple[list[dict[str, Any]], dict[str, int]]:
    by_id: dict[str, dict[str, Any]] = {}
    for f in findings:  # most severe first, so a rule's default level is its worst
        by_id.setdefault(f["check_id"], f)
    rules, index = [], {}
    for i, (check_id, f) in enumerate(sorted(by_id.items())):
        index[check_id] = i
        title = pick(f.get("title"), lang)
        description = pick(f.get("description"), lang) or title
        remediation = pick(f.get("remediation"), lang) or description
        tags = ["security", *(f"CWE-{c}" for c in f.get("cwe") or [])]
        tags += [f"MASVS:{m}" for m in f.get("masvs") or []]
        tags += [f"OWASP-Mobile-2024:{m}" for m in f.get("owasp_mobile_2024") or []]
        rule: dict[str, Any] = {
            "id": check_id,
            "name": _rule_name(check_id),
            "shortDescription": {"text": title},
            "fullDescription": {"text": description},
            "help": {
                "text": remediation,
                "markdown": f"**{title}**\n\n{description}\n\n{remediation}",
            },
            "defaultConfiguration": {"level": LEVELS.get(f["severity"], "warning")},
            "properties": {
                "tags": tags,
                "precision": {"high": "high", "medium": "medium", "low": "low"}.get(
                    f.get("confidence", ""), "medium"
                ),
                "security-severity": SECURITY_SEVERITY.get(f["severity"], "5.5"),
                "problem.severity": LEVELS.get(f["severity"], "warning"),
                "title": f.get("title"),
                "standards": f.get("standards") or {},
            },
        }
        rules.append(rule)
    return rules, index


def _rule_name(check_id: str) -> str:
    """ "android.manifest.debuggable" → "AndroidManifestDebuggable" (SARIF's identifier style)."""
    parts = [p for chunk in check_id.replace("-", "_").split(".") for p in chunk.split("_")]
    return "".join(p[:1].upper() + p[1:] for p in parts if p) or "Rule"


def _result(
    f: dict[str, Any], rule_index: int, lang: str, package: dict[str, Any], root: str
) -> dict[str, Any]:
    loc = f.get("location") or {}
    text = pick(f.get("message"), lang) or pick(f.get("title"), lang)
    location: dict[str, Any] = {"physicalLocation": physical_location(loc, package, root)}
    logical = logical_locations(loc)
    if logical:
        location["logicalLocations"] = logical
    result: dict[str, Any] = {
        "ruleId": f["check_id"],
        "ruleIndex": rule_index,
        "level": LEVELS.get(f["severity"], "warning"),
        "message": {"text": text or f["check_id"]},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: f["fingerprint"]},
        "properties": {
            "severity": f["severity"],
            "confidence": f.get("confidence"),
            "security-severity": SECURITY_SEVERITY.get(f["severity"], "5.5"),
            "owner": f.get("owner"),
            "evidence": f.get("evidence", ""),
            "bytecodeOffset": loc.get("offset"),
            "title": f.get("title"),
        },
    }
    if f.get("status") in ("new", "unchanged"):
        result["baselineState"] = f["status"]
    if f.get("suppression"):
        s = f["suppression"]
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": s["reason"],
                "properties": {"expires": s.get("expires"), "matchedBy": s.get("matched_by")},
            }
        ]
    return result


def _invocation(doc: dict[str, Any], lang: str) -> dict[str, Any]:
    scan = doc.get("scan") or {}
    notes = []
    for d in doc.get("diagnostics") or []:
        if d.get("level") not in ("error", "warning"):
            continue
        note: dict[str, Any] = {
            "descriptor": {"id": d.get("code", "")},
            "level": DIAG_LEVELS[d["level"]],
            "message": {"text": pick(d.get("message"), lang) or d.get("code", "")},
        }
        if d.get("file"):
            note["locations"] = [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(d["file"]), "uriBaseId": "PACKAGE"}
                    }
                }
            ]
        notes.append(note)
    inv: dict[str, Any] = {
        "executionSuccessful": bool(scan.get("complete", True)),
        "toolExecutionNotifications": notes,
    }
    if scan.get("started_at"):
        inv["startTimeUtc"] = scan["started_at"]
    if scan.get("finished_at"):
        inv["endTimeUtc"] = scan["finished_at"]
    return inv


assert set(LEVELS) == set(RANK)  # every severity has a SARIF level
