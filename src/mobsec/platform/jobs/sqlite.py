"""SQLite in WAL mode: the local pool's workers write job rows while the web process reads."""

from __future__ import annotations

from django.db.backends.signals import connection_created


def _on_connect(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("PRAGMA journal_mode=WAL")
            c.execute("PRAGMA busy_timeout=30000")


def connect_signal() -> None:
    connection_created.connect(_on_connect, dispatch_uid="mobsec.jobs.sqlite")
