"""Resuming a batch: a package whose reports exist for the same engine, rules, options and
package bytes is not scanned again.

After a package is done its row is written to ``<DIR>/.mobsec-batch/<stem>.json`` with the
key it was made under. The key is the SHA-256 of the engine build
(:func:`mobsec.version.engine_build`), each rule pack's digest, every option that changes
a report, and the package's own SHA-256 (so a replaced file with the same name is scanned
again). A state file that cannot be read, or whose report files are gone, means "scan".
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

STATE_DIR = ".mobsec-batch"
MAX_STATE_BYTES = 1 << 20


def options_key(options: dict[str, Any]) -> str:
    """Hash of what every package of this batch shares (engine, rules, options)."""
    from mobsec.version import engine_build

    doc = {"engine": engine_build(), **options}
    return hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest()


def file_sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


def package_key(shared: str, package_sha256: str) -> str:
    return hashlib.sha256(f"{shared}|{package_sha256}".encode()).hexdigest()


def load_done(out_dir: Path, stem: str, key: str) -> dict[str, Any] | None:
    """The stored row when this package was done under ``key`` and its outputs are there."""
    path = out_dir / STATE_DIR / f"{stem}.json"
    try:
        if path.is_symlink() or path.stat().st_size > MAX_STATE_BYTES:
            return None
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("key") != key:
        return None
    row = doc.get("row")
    if not isinstance(row, dict) or not isinstance(row.get("reports"), list):
        return None
    if not all((out_dir / str(r)).is_file() for r in row["reports"]):
        return None
    return row


def save_done(out_dir: Path, stem: str, key: str, row: dict[str, Any]) -> None:
    from mobsec.cli import write_atomically

    state = out_dir / STATE_DIR
    os.makedirs(state, exist_ok=True)
    data = json.dumps({"key": key, "row": row}, ensure_ascii=False).encode("utf-8")
    write_atomically(state / f"{stem}.json", data)
