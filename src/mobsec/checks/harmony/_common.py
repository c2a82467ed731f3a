"""What the HarmonyOS checks share: the module's config as evidence, and the standard areas."""

from __future__ import annotations

import json
from typing import Any

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import (
    GBT_COMMUNICATION,
    GBT_COMPONENTS,
    GBT_DEBUGGING,
    GBT_PERMISSIONS,
    GBT_SIGNING,
)
from mobsec.facts.harmony import HarmonyFacts
from mobsec.ingest.harmony.hap import HapModule

__all__ = [
    "GBT_COMMUNICATION",
    "GBT_COMPONENTS",
    "GBT_DEBUGGING",
    "GBT_PERMISSIONS",
    "GBT_SIGNING",
    "config_file",
    "excerpt",
    "facts",
]


def facts(ctx: CheckContext) -> HarmonyFacts:
    f = ctx.facts
    assert isinstance(f, HarmonyFacts), "harmony.* checks run on HarmonyFacts only"
    return f


def config_file(module: HapModule) -> str:
    return module.where(module.config.file.rsplit("!/", 1)[-1]) if module.config else ""


def excerpt(value: Any) -> str:
    """A short JSON excerpt of what the config declares, as evidence."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 600 else text[:600] + "…"
