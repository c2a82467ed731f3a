"""Batch scans: ``mobsec scan`` with many packages or directories (``--jobs``, ``-o DIR``,
resumable, per-package limits, a summary). See :mod:`.run`."""
