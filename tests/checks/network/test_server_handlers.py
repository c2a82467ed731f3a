"""What the fixture marks cannot say about listening sockets: the severity follows what the
connection handling can do (a device id or a command keeps it open, the orientation makes
it an info note that names what it sends)."""

from __future__ import annotations

from pathlib import Path

from tests.checks.fixture_scan import findings_by_name

HERE = Path(__file__).parent
CHECK = "android.network.server-socket-exposed"


def test_server_severity_follows_its_connection_handling() -> None:
    found = findings_by_name(
        HERE / "net-server-handlers",
        CHECK,
        ("handlers.deviceid", "(port 7070)", "(port 7071)", "handlers.orientation"),
    )
    device_id = found["handlers.deviceid"]
    assert device_id["severity"] == "medium"
    assert "getDeviceId" in device_id["message"]["en"]
    command = found["(port 7070)"]
    assert command["severity"] == "medium"
    assert "Runtime.exec" in command["message"]["en"]
    android_id = found["(port 7071)"]  # no permission guards it, but the socket sends it
    assert android_id["severity"] == "medium"
    assert "android_id" in android_id["message"]["en"]
    orientation = found["handlers.orientation"]
    assert orientation["severity"] == "info"
    assert "reaches no sensitive effect" in orientation["message"]["en"]
    assert "PrintWriter.println(an int) in OrientationServer.run" in orientation["message"]["en"]
    assert "'ok'" in orientation["message"]["en"]


def test_server_without_visible_accept_stays_open() -> None:
    """Created and handed to code the analysis does not see accepting: still a finding."""
    found = findings_by_name(HERE / "net-server-sockets", CHECK, ("servers.control",))
    assert found["servers.control"]["severity"] == "medium"
