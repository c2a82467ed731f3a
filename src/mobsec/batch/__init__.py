"""Batch scans: ``mobsec scan`` with many packages or directories (``--jobs``, ``-o DIR``,
resumable, per-package limits, a summary). See :mod:`.run`.

:func:`is_batch` lives here, apart from the runner, so that a single-package scan does not
import the worker pool (multiprocessing) to learn that it is not a batch."""

from __future__ import annotations

import argparse


def is_batch(args: argparse.Namespace) -> bool:
    """More than one package, a directory, or -o naming an existing directory."""
    return (
        len(args.package) > 1
        or any(p.is_dir() for p in args.package)
        or (len(args.output) == 1 and args.output[0].is_dir())
        or args.jobs is not None
    )
