"""In-app notifications, e-mail through Django's backend, signed webhooks retried via jobs."""

from __future__ import annotations

import base64
import http.server
import json
import threading

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from django.test import override_settings
from django.utils import timezone

from mobsec.platform.accounts.models import Organisation, User
from mobsec.platform.jobs.dispatch import claim_next
from mobsec.platform.jobs.models import Job, State
from mobsec.platform.jobs.runner import run_claimed
from mobsec.platform.keys import custody
from mobsec.platform.notifications import actions, signing
from mobsec.platform.notifications.models import WebhookDelivery


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="Notify Org")


@pytest.fixture
def keydir(tmp_path):
    with override_settings(MOBSEC_KEY_DIR=tmp_path / "keys"):
        yield


def run_jobs(later_s=0.0):
    ran = []
    now = timezone.now() + timezone.timedelta(seconds=later_s)
    while (job := claim_next("w", now=now, capacity=0)) is not None:
        ran.append(run_claimed(job, "w"))
    return ran


def test_notify_in_app_and_email_in_both_languages(org, mailoutbox):
    user = User.objects.create(username="tester", email="tester@example.org")
    n = actions.notify(
        user,
        "scan.done",
        ("Scan finished", "检测完成"),
        ("3 high findings", "3 个高危问题"),
        link="/scans/x/",
        organisation=org,
        email=True,
    )
    assert list(actions.unread(user)) == [n]
    assert n.title("en") == "Scan finished" and n.title("zh-hans") == "检测完成"
    assert run_jobs() == ["done"]
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["tester@example.org"]
    assert "检测完成" in mail.subject and "Scan finished" in mail.subject
    assert "3 个高危问题" in mail.body and "3 high findings" in mail.body
    assert actions.mark_read(user) == 1 and not actions.unread(user).exists()


class Receiver(http.server.BaseHTTPRequestHandler):
    answers: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        self.send_response(Receiver.answers.pop(0) if Receiver.answers else 200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Receiver.answers, Receiver.received = [], []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_webhook_signed_and_retried_until_delivered(org, receiver, keydir):
    hook = actions.add_webhook(org, receiver, events=["scan.done"])
    actions.add_webhook(org, receiver, events=["other.event"])  # not subscribed
    Receiver.answers = [503]  # the receiver is down the first time
    (d,) = actions.emit(org, "scan.done", {"scan": "abc", "label": "<script>x</script>"})
    assert run_jobs() == ["retry"]
    d.refresh_from_db()
    assert d.state == "pending" and d.attempts == 1 and d.last_status == 503
    assert run_jobs() == []  # back-off: not yet
    assert run_jobs(later_s=31) == ["done"]
    d.refresh_from_db()
    assert d.state == WebhookDelivery.State.DELIVERED and d.attempts == 2
    assert len(Receiver.received) == 2
    headers, body = Receiver.received[-1]
    doc = json.loads(body)
    assert doc["event"] == "scan.done" and doc["data"]["label"] == "<script>x</script>"
    assert doc["organisation"] == org.public_id
    ts = int(headers["X-Mobsec-Timestamp"])
    assert signing.verify_hmac(hook.secret, ts, body, headers["X-Mobsec-Signature"])
    assert not signing.verify_hmac("wrong", ts, body, headers["X-Mobsec-Signature"])
    # A receiver verifies the Ed25519 signature with the published public key alone.
    kid, sig = headers["X-Mobsec-Signature-Ed25519"].split(":")
    assert kid in custody.public_keys("webhooks")
    public = load_pem_public_key(custody.public_key_pem("webhooks").encode())
    public.verify(base64.b64decode(sig), signing.signed_bytes(ts, body))


def test_webhook_gives_up_after_its_attempts(org, keydir):
    actions.add_webhook(org, "http://127.0.0.1:9/unreachable")  # discard port: refused
    (d,) = actions.emit(org, "any.event", {})
    job = Job.objects.get(kind="notifications.webhook")
    for i in range(job.max_attempts):
        run_jobs(later_s=60 * 2**i)
    job.refresh_from_db()
    d.refresh_from_db()
    assert job.state == State.FAILED and d.state == WebhookDelivery.State.FAILED
    assert d.attempts == job.max_attempts and d.last_error


def test_webhook_url_must_be_http(org):
    with pytest.raises(actions.InvalidWebhook) as e:
        actions.add_webhook(org, "file:///etc/passwd")
    assert "http" in e.value.zh


def test_api_shows_only_your_own_in_your_language(world, token_client):
    tester, other = world.user("tester"), world.user("other_org")
    mine = actions.notify(tester, "scan.done", ("Scan finished", "检测完成"))
    theirs = actions.notify(other, "scan.done", ("Not yours", "不是你的"))
    client = token_client(tester)
    docs = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert [(d["id"], d["title"], d["read"]) for d in docs] == [
        (mine.public_id, "Scan finished", False)
    ]
    docs = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()["results"]
    assert docs[0]["title"] == "检测完成"
    # Marking someone else's id read does nothing to it.
    r = client.post(
        "/api/v1/notifications/read/", {"ids": [theirs.public_id]}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json() == {"marked": 0}
    r = client.post("/api/v1/notifications/read/", {}, content_type="application/json")
    assert r.json() == {"marked": 1}
    assert client.get("/api/v1/notifications/?unread=1").json()["results"] == []
    theirs.refresh_from_db()
    assert theirs.read_at is None
