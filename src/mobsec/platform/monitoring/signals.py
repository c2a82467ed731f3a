"""A genuine version scanned: when its app is official, fill the registry in from the
report (names, icon) and queue its fingerprint."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save


def _scan_saved(sender, instance, **kwargs) -> None:
    if instance.state != "done" or instance.version_id is None or instance.report_id is None:
        return
    app = instance.version.app
    if not app.official:
        return
    from . import actions, official

    if official.fill_from_report(app, instance.report.document):
        app.save()
    package, org = instance.version.package, app.organisation
    transaction.on_commit(lambda: actions.fingerprint_package(package, org))


def connect() -> None:
    from mobsec.platform.scans.models import Scan

    post_save.connect(_scan_saved, sender=Scan, dispatch_uid="monitoring.scan_saved")
