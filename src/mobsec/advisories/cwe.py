"""CWE names: CSAF needs the exact catalogue name with each id (mandatory test 6.1.11)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def _names() -> dict[str, str]:
    data = resources.files("mobsec.advisories").joinpath("data/cwe_names.json").read_text()
    return json.loads(data)["weaknesses"]


def cwe_name(cwe_id: str) -> str | None:
    """The catalogue name of ``CWE-<n>``, or None for ids that are no weakness (categories,
    views, deprecated entries: they cannot go into a CSAF ``cwe``)."""
    return _names().get(cwe_id)
