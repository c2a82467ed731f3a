"""Self-start names only the broadcasts Android still delivers to the manifest receiver."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.checks.fixture_scan import findings_by_name

HERE = Path(__file__).parent
CHECK = "android.privacy.auto-start"


@pytest.mark.toolchain
def test_oreo_receiver_is_started_by_boot_only() -> None:
    found = findings_by_name(HERE / "privacy-autostart-oreo", CHECK, ["BootReceiver"])
    message = found["BootReceiver"]["message"]["en"]
    assert "BOOT_COMPLETED" in message
    # ACTION_POWER_CONNECTED is not delivered to manifest receivers at targetSdk 26+.
    assert "POWER_CONNECTED" not in message
