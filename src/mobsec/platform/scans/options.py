"""Scan options a platform user may set, validated, and their canonical key for reuse."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from mobsec.platform.core.errors import UserError
from mobsec.version import REPORT_SCHEMA_VERSION, __version__

# What "the same engine" means for reusing a report: the package version and the report
# schema version it writes.
ENGINE_VERSION = f"{__version__}+report.{REPORT_SCHEMA_VERSION}"


def clean_options(raw: dict[str, Any]) -> dict[str, Any]:
    """Only known options; an unknown app type is a clear error, not a failed scan."""
    options: dict[str, Any] = {}
    app_type = (raw.get("app_type") or "").strip() if isinstance(raw.get("app_type"), str) else ""
    if app_type:
        from mobsec.facts.privacy.app_types import find_app_type

        found = find_app_type(app_type[:100])
        if found is None:
            raise UserError(
                "scan.bad_app_type",
                "Unknown app type; give an id, a number 1-39 or a name from the catalogue.",
                "未知的应用类型；请填写类型 id、编号 1-39 或目录中的名称。",
            )
        options["app_type"] = found.id
    return options


def options_key(options: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()
