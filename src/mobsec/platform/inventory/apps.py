from django.apps import AppConfig


class InventoryConfig(AppConfig):
    """The inventory of every scanned app version (libraries with versions, native
    libraries, permissions, exported components, hosts, framework APIs) and the
    affected-scope query over it (docs/inventory.md)."""

    name = "mobsec.platform.inventory"
    label = "inventory"

    def ready(self) -> None:
        from mobsec.platform.scans.signals import scan_stored

        from .actions import record_scan

        scan_stored.connect(record_scan, dispatch_uid="inventory.record")
