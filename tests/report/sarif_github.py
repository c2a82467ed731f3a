"""The rules GitHub code scanning applies when a SARIF file is uploaded, beyond the schema.

A log can be schema-valid and still be refused by the upload, or accepted and shown
without a place to point at. Written from GitHub's "SARIF support for code scanning" page
and the GH10xx rules of the SARIF multitool (microsoft/sarif-sdk):

* every result has ``ruleId`` naming a rule of the driver (and ``ruleIndex`` pointing at it),
  a ``level`` among none/note/warning/error and a non-empty message text;
* every result has at least one location with ``physicalLocation.artifactLocation.uri``,
  non-empty and *relative* (no scheme, no leading "/", no drive letter, no ".."), and a
  ``region.startLine`` >= 1 (GitHub shows nothing without a line);
* ``partialFingerprints`` is present so an alert is tracked across runs;
* GitHub's hard limits: 20 runs, 25,000 rules and results per run, 1,000 locations per
  result, 20 tags per rule; ``security-severity`` a number from 0.0 to 10.0.
"""

from __future__ import annotations

import re
from typing import Any

LEVELS = {"none", "note", "warning", "error"}
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def uri_problem(uri: Any) -> str | None:
    if not isinstance(uri, str) or not uri:
        return "empty uri"
    if _SCHEME.match(uri) or uri.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", uri):
        return f"absolute uri {uri!r}"
    if ".." in uri.split("/"):
        return f"uri leaves its base {uri!r}"
    if "\\" in uri:
        return f"backslash in uri {uri!r}"
    return None


def github_upload_problems(log: dict[str, Any]) -> list[str]:
    """Every reason GitHub code scanning would refuse or misplace something in ``log``."""
    problems: list[str] = []
    runs = log.get("runs")
    if log.get("version") != "2.1.0" or not isinstance(runs, list):
        return ["not a SARIF 2.1.0 log with runs"]
    if len(runs) > 20:
        problems.append(f"{len(runs)} runs (limit 20)")
    for ri, run in enumerate(runs):
        rules = run["tool"]["driver"].get("rules") or []
        ids = [r.get("id") for r in rules]
        if len(rules) > 25_000 or len(run.get("results") or []) > 25_000:
            problems.append(f"run {ri}: more than 25,000 rules or results")
        for rule in rules:
            tags = (rule.get("properties") or {}).get("tags") or []
            if len(tags) > 20:
                problems.append(f"rule {rule.get('id')}: {len(tags)} tags (limit 20)")
            sev = (rule.get("properties") or {}).get("security-severity")
            if sev is not None and not 0.0 <= float(sev) <= 10.0:
                problems.append(f"rule {rule.get('id')}: security-severity {sev}")
        for base in (run.get("originalUriBaseIds") or {}).values():
            if "uri" in base and _SCHEME.match(base["uri"]) and base["uri"].startswith("file:"):
                problems.append(f"run {ri}: machine path in originalUriBaseIds {base['uri']!r}")
        for i, res in enumerate(run.get("results") or []):
            where = f"run {ri} result {i} ({res.get('ruleId')})"
            if res.get("ruleId") not in ids:
                problems.append(f"{where}: ruleId not among the rules")
            elif "ruleIndex" in res and ids[res["ruleIndex"]] != res["ruleId"]:
                problems.append(f"{where}: ruleIndex points at another rule")
            if res.get("level", "warning") not in LEVELS:
                problems.append(f"{where}: level {res.get('level')!r}")
            if not (res.get("message") or {}).get("text"):
                problems.append(f"{where}: empty message")
            if not res.get("partialFingerprints"):
                problems.append(f"{where}: no partialFingerprints")
            locations = res.get("locations") or []
            if not locations:
                problems.append(f"{where}: no location")
            if len(locations) > 1000:
                problems.append(f"{where}: {len(locations)} locations (limit 1000)")
            for loc in locations:
                phys = loc.get("physicalLocation") or {}
                p = uri_problem((phys.get("artifactLocation") or {}).get("uri"))
                if p:
                    problems.append(f"{where}: {p}")
                line = (phys.get("region") or {}).get("startLine")
                if not isinstance(line, int) or line < 1:
                    problems.append(f"{where}: region.startLine {line!r}")
    return problems
