"""Registry rules: storing uploaded packages and attaching scanned builds to apps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from mobsec.platform.accounts.models import Organisation

from . import identity, store
from .models import App, Package, Version


def store_package(chunks: Iterable[bytes], max_bytes: int) -> tuple[Package, store.Stored]:
    """Put the bytes in the content-addressed store; caller has sniffed ``stored.head``."""
    stored = store.put(chunks, max_bytes)
    pkg, _ = Package.objects.get_or_create(
        sha256=stored.sha256, defaults={"size": stored.size, "format": "apk"}
    )
    return pkg, stored


@transaction.atomic
def register_version(
    organisation: Organisation,
    package: Package,
    doc: dict[str, Any],
    *,
    file_name: str,
    uploaded_by=None,
) -> Version:
    """The version of ``package`` in the organisation's registry, creating the app when new.

    Same package name and a certificate shared with an existing app (signer or v3 lineage):
    that app. Same name, unrelated certificate: a new app flagged ``signer_conflict`` (and
    the existing ones flagged too), never merged."""
    name = identity.package_name(doc)
    signer, certs = identity.certificates(doc)
    app_info = doc.get("app") or {}
    candidates = list(
        App.objects.select_for_update().filter(organisation=organisation, package_name=name)
    )
    app = next((a for a in candidates if identity.same_signer(a.certificates, certs)), None)
    if app is None and candidates and not certs:
        app = next((a for a in candidates if not a.certificates), None)  # unsigned builds
    if app is None:
        app = App.objects.create(
            organisation=organisation,
            package_name=name,
            signer_sha256=signer,
            certificates=certs,
            label=str(app_info.get("label") or "")[:255],
            signer_conflict=bool(candidates),
        )
        if candidates:
            App.objects.filter(pk__in=[a.pk for a in candidates]).update(signer_conflict=True)
    else:
        merged = list(dict.fromkeys([*app.certificates, *certs]))
        app.certificates = merged
        app.label = str(app_info.get("label") or app.label)[:255]
        app.save(update_fields=["certificates", "label", "updated_at"])
    version, _ = Version.objects.get_or_create(
        app=app,
        package=package,
        defaults={
            "version_name": str(app_info.get("version_name") or "")[:255],
            "version_code": app_info.get("version_code"),
            "file_name": file_name[:255],
            "uploaded_by": uploaded_by,
        },
    )
    return version


def set_owner(user, app: App, owner: Organisation | None, request=None) -> App:
    """Name the vendor organisation that owns the app: its vendor members then see the app
    and can dispute its findings. Needs the ``manage`` capability on the app."""
    from mobsec.platform.accounts import access, audit, roles
    from mobsec.platform.core.errors import UserError

    if not access.can(user, roles.MANAGE, app=app):
        raise UserError("forbidden", "You may not do this.", "您无权执行此操作。", status=403)
    old = app.owner.public_id if app.owner_id else None
    app.owner = owner
    app.save(update_fields=["owner", "updated_at"])
    audit.record("app_owner", actor=user, organisation=app.organisation, target=app.public_id,
                 details={"from": old, "to": owner.public_id if owner else None},
                 request=request)  # fmt: skip
    return app
