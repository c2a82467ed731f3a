"""CSAF distribution: ``provider-metadata.json`` and the directory's ``index.txt`` and
``changes.csv`` (CSAF 2.0 sections 7.1.7–7.1.13): the English documents of TLP:WHITE
advisories under ``<base>/.well-known/csaf/white/<year>/<file name>``."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mobsec.advisories.csaf import publisher_json
from mobsec.advisories.dates import rfc3339
from mobsec.advisories.ids import csaf_filename
from mobsec.advisories.model import Publisher

WELL_KNOWN = "/.well-known/csaf"
DIRECTORY = f"{WELL_KNOWN}/white/"


@dataclass(frozen=True)
class Entry:
    """One published document in the directory."""

    tracking_id: str
    initial_release: datetime
    current_release: datetime

    @property
    def path(self) -> str:
        return f"{self.initial_release.year}/{csaf_filename(self.tracking_id)}"


def provider_metadata(
    publisher: Publisher,
    base_url: str,
    last_updated: datetime,
    role: str = "csaf_publisher",
) -> dict[str, Any]:
    base = base_url.rstrip("/")
    return {
        "canonical_url": f"{base}{WELL_KNOWN}/provider-metadata.json",
        "distributions": [{"directory_url": f"{base}{DIRECTORY}"}],
        "last_updated": rfc3339(last_updated),
        "list_on_CSAF_aggregators": True,
        "metadata_version": "2.0",
        "mirror_on_CSAF_aggregators": True,
        "publisher": publisher_json(publisher),
        "role": role,
    }


def index_txt(entries: Iterable[Entry]) -> str:
    return "".join(f"{e.path}\n" for e in sorted(entries, key=lambda e: e.path))


def changes_csv(entries: Iterable[Entry]) -> str:
    """Newest change first, as the standard asks."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for e in sorted(entries, key=lambda e: e.current_release, reverse=True):
        writer.writerow([e.path, rfc3339(e.current_release)])
    return out.getvalue()
