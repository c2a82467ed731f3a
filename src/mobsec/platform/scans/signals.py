"""Signals other apps listen to, so that scans depends on none of them."""

from django.dispatch import Signal

# Sent by the scan job after a scan's report is stored (``scan``: the Scan, state done).
# Listeners: certificate suspension (evaluations). A listener's error is logged, never
# fails the scan.
scan_stored = Signal()
