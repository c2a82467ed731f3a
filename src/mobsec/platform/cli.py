"""``mobsec serve`` and ``mobsec platform ...``: the platform from the command line.

Imported only when one of these commands runs (Django loads here, never for ``mobsec scan``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
DEMO_ORG = "Demo organisation / 演示组织"
DEMO_USER = "demo"


def setup(data: Path, host: str | None = None) -> None:
    """Point the local settings at ``data`` and start Django with a migrated database."""
    data = data.resolve()
    data.mkdir(parents=True, exist_ok=True)
    os.chmod(data, 0o700)
    os.environ["MOBSEC_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobsec.platform.settings.local")
    if host and host not in ("0.0.0.0", "::"):
        hosts = os.environ.get("MOBSEC_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
        os.environ["MOBSEC_ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, host]))
    elif host:
        os.environ.setdefault("MOBSEC_ALLOWED_HOSTS", "*")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def run(args: argparse.Namespace) -> int:
    if args.command == "serve":
        return serve(args)
    if args.command == "platform" and args.platform_command == "create-user":
        return create_user(args)
    return EXIT_USAGE


# --------------------------------------------------------------------------------- users


def create_user(args: argparse.Namespace) -> int:
    setup(args.data)
    from mobsec.platform.accounts import actions
    from mobsec.platform.accounts.auth import new_token
    from mobsec.platform.core.errors import UserError

    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else None
    try:
        user, generated = actions.create_user(args.name, args.org, args.role, password)
    except UserError as e:
        print(f"mobsec: {e.en} / {e.zh}", file=sys.stderr)
        return EXIT_USAGE
    print(f"user {user.username}: {args.role} in {args.org} / 用户已创建")
    if generated:
        print(f"password / 密码: {generated}")
    if args.token:
        _, key = new_token(user, "cli")
        print(key)
    return EXIT_OK


# --------------------------------------------------------------------------------- serve


def _demo(apk: Path, data: Path) -> tuple[str, str]:
    """The demo organisation, its tester (password kept in the data directory, owner-only)
    and an API token for the self-check; the demo app uploaded once."""
    from mobsec.platform.accounts import actions, roles
    from mobsec.platform.accounts.auth import new_token
    from mobsec.platform.accounts.models import Organisation, User

    cred = data / "demo-credentials.json"
    if cred.exists():
        saved = json.loads(cred.read_text())
    else:
        saved = {"user": DEMO_USER, "password": secrets.token_urlsafe(9)}
        fd = os.open(cred, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(saved, f)
    if not User.objects.filter(username=DEMO_USER).exists():
        actions.create_user(DEMO_USER, DEMO_ORG, roles.TESTER.id, saved["password"])
    user = User.objects.get(username=DEMO_USER)
    org = Organisation.objects.get(name=DEMO_ORG)
    _, token = new_token(user, "demo self-check")
    from mobsec.platform.scans.models import Scan

    if apk and not Scan.objects.filter(organisation=org).exists():
        from django.core.files.uploadedfile import SimpleUploadedFile

        from mobsec.platform.scans import actions as scans

        scans.submit_upload(org, user, SimpleUploadedFile(apk.name, apk.read_bytes()))
    return f"{saved['user']} / {saved['password']}", token


def serve(args: argparse.Namespace) -> int:
    if args.workers < 1:
        print("mobsec: --workers must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    if args.check and not args.demo:
        print("mobsec: --check needs --demo APK (the app to scan)", file=sys.stderr)
        return EXIT_USAGE
    if args.demo and not args.demo.is_file():
        print(f"mobsec: {args.demo}: no such file / 文件不存在", file=sys.stderr)
        return EXIT_USAGE
    setup(args.data, args.host)
    from waitress import create_server

    from mobsec.platform.keys import custody

    custody.ensure()  # signing keys exist from the first start (docs/deploy.md: rotation)

    from mobsec.platform.wsgi import application

    credentials = token = None
    if args.demo:
        credentials, token = _demo(args.demo, args.data.resolve())
    pool = _start_pool(args.workers)
    server = create_server(application, host=args.host, port=args.port, threads=8,
                           clear_untrusted_proxy_headers=True)  # fmt: skip
    host = args.host if args.host not in ("0.0.0.0", "::") else "127.0.0.1"
    url = f"http://{host}:{server.effective_port}/"
    print(f"mobsec platform: {url}  (data: {args.data.resolve()}, workers: {args.workers})",
          flush=True)  # fmt: skip
    if credentials:
        print(f"demo login / 演示账号: {credentials}", flush=True)
    result = {"code": EXIT_OK}
    if args.check:

        def check() -> None:
            result["code"] = self_check(url, token, args.demo)
            os.kill(os.getpid(), signal.SIGTERM)  # stop the server from its own thread

        threading.Thread(target=check, daemon=True).start()

    def stop(signum, frame) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        if pool is not None:
            pool.stop()
    return result["code"]


def _start_pool(size: int):
    try:
        from mobsec.platform.jobs import local
    except ImportError:
        print("mobsec: the job system is not installed: uploads stay queued", file=sys.stderr)
        return None
    return local.start_pool(size)


# ---------------------------------------------------------------------------- self-check


def _request(
    url: str,
    token: str | None = None,
    data: bytes | None = None,
    content_type: str | None = None,
    timeout: float = 30,
) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    if token:
        req.add_header("Authorization", f"Token {token}")
    if content_type:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def _multipart(field: str, name: str, content: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def self_check(url: str, token: str, apk: Path, timeout_s: float = 600) -> int:
    """Health probe, then the demo app scanned through the API to a report: 0 when all
    worked, 1 otherwise (each step printed)."""

    def say(ok: bool, what: str) -> bool:
        print(f"check: {'ok ' if ok else 'FAIL'} {what}", flush=True)
        return ok

    try:
        status, body = _request(url + "api/health/")
        if not say(status == 200 and json.loads(body)["status"] == "ok", "GET /api/health/"):
            return EXIT_FAIL
        payload, ctype = _multipart("file", apk.name, apk.read_bytes())
        status, body = _request(url + "api/v1/scans/", token, payload, ctype)
        if not say(status in (201, 202), f"POST /api/v1/scans/ -> {status}"):
            print(body.decode(errors="replace")[:2000], file=sys.stderr)
            return EXIT_FAIL
        scan = json.loads(body)
        started = time.monotonic()
        while scan["status"] not in ("done", "failed", "cancelled"):
            if time.monotonic() - started > timeout_s:
                say(False, f"scan finished within {timeout_s:.0f} s")
                return EXIT_FAIL
            time.sleep(0.5)
            status, body = _request(scan["url"], token)
            scan = json.loads(body)
        if not say(scan["status"] == "done", f"scan {scan['id']}: {scan['status']}"):
            print(json.dumps(scan.get("error"), ensure_ascii=False), file=sys.stderr)
            return EXIT_FAIL
        status, body = _request(scan["report_url"], token)
        doc = json.loads(body) if status == 200 else {}
        n = len(doc.get("findings") or [])
        ok = status == 200 and doc.get("app", {}).get("package") is not None
        say(ok, f"GET report: {doc.get('app', {}).get('package')}, {n} findings, "
                f"{time.monotonic() - started:.1f} s")  # fmt: skip
        return EXIT_OK if ok else EXIT_FAIL
    except (OSError, ValueError, KeyError) as e:
        say(False, f"{type(e).__name__}: {e}")
        return EXIT_FAIL
