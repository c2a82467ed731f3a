"""Which pipeline scans which package format: the seam between detection and the readers.

``mobsec.engine.scan`` identifies the file, detects its format by content
(:mod:`mobsec.ingest.detect`) and calls the pipeline registered here for that format id.
A pipeline has this signature and fills the report in place::

    def scan_xyz(
        path: Path,                 # the file on disk (for formats that are not ZIPs)
        archive: Archive | None,    # the opened, bounded ZIP view; None for non-ZIP formats
        report: Report,             # package identity already set; fill the sections
        diags: Diagnostics,         # every problem in the input, per file, en + zh-CN
        phases: PhaseRunner,        # run each step in ``with phases.phase("ingest.xyz"):``
        options: ScanOptions,
    ) -> None

It must not raise for bad input (diagnostics instead); the engine still contains a bug of
ours as an ``internal.error`` diagnostic. Platform-specific facts that have no place in the
common sections go to ``report.platform_details`` (a list of :class:`mobsec.report.model.DetailSection`),
which every renderer shows. Entries are ``"module:function"`` strings so that a scan imports
only the pipeline it runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mobsec.diagnostics import Diagnostics
    from mobsec.ingest.archive import Archive
    from mobsec.options import ScanOptions
    from mobsec.phases import PhaseRunner
    from mobsec.report.model import Report

Pipeline = Callable[
    [Path, "Archive | None", "Report", "Diagnostics", "PhaseRunner", "ScanOptions"], None
]

# format id (mobsec.ingest.detect.FORMATS) -> "module:function". One line per format.
PIPELINES: dict[str, str] = {
    "apk": "mobsec.pipelines.android:scan_apk",
    "apks": "mobsec.pipelines.android:scan_bundle",
    "xapk": "mobsec.pipelines.android:scan_bundle",
    "apkm": "mobsec.pipelines.android:scan_bundle",
    "aab": "mobsec.pipelines.android:scan_bundle",
    "aar": "mobsec.pipelines.sdk:scan_aar",
    "jar": "mobsec.pipelines.sdk:scan_jar",
    "ipa": "mobsec.pipelines.ios:scan_ipa",
    "hap": "mobsec.pipelines.harmony:scan_harmony",
    "harmony-app": "mobsec.pipelines.harmony:scan_harmony",
    "wxapkg": "mobsec.pipelines.miniprogram:scan_wxapkg",
}


def pipeline_for(fmt: str) -> Pipeline | None:
    """The pipeline registered for ``fmt``, or None when that format is not supported yet."""
    target = PIPELINES.get(fmt)
    if target is None:
        return None
    module, _, func = target.partition(":")
    return getattr(importlib.import_module(module), func)
