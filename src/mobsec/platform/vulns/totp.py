"""TOTP two-factor login (RFC 6238: SHA-1, 6 digits, 30 s; what authenticator apps use),
with ``cryptography``'s implementation. Accounts that can see embargoed details — the
desk's coordinators and verifiers, and anyone assigned to a case — must pass it after the
password; ``middleware.TwoFactorMiddleware`` sends them to the enrolment / code page until
they do. A code is accepted once (the step is remembered), one step of clock skew allowed.
"""

from __future__ import annotations

import base64
import os
import time

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.db import transaction
from django.utils import timezone

from mobsec.platform.accounts.models import Membership

from . import roles
from .models import CaseAssignment, TotpDevice

SESSION_KEY = "mobsec_2fa_user"
DIGITS, STEP, SKEW = 6, 30, 1
ISSUER = "mobsec"


def needs_two_factor(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if Membership.objects.filter(user=user, role__in=roles.TWO_FACTOR_ROLES).exists():
        return True
    return CaseAssignment.objects.filter(user=user, active=True).exists()


def passed(request) -> bool:
    return request.session.get(SESSION_KEY) == request.user.pk


def _totp(device: TotpDevice) -> TOTP:
    return TOTP(bytes(device.secret), DIGITS, SHA1(), STEP, enforce_key_length=True)


def device_for(user) -> TotpDevice:
    """The user's device; a new secret while it is not confirmed yet."""
    device = TotpDevice.objects.filter(user=user).first()
    if device is None:
        device = TotpDevice.objects.create(user=user, secret=os.urandom(20))
    return device


def secret_base32(device: TotpDevice) -> str:
    return base64.b32encode(bytes(device.secret)).decode().rstrip("=")


def provisioning_uri(device: TotpDevice) -> str:
    return _totp(device).get_provisioning_uri(device.user.username, ISSUER)


def code_at(device: TotpDevice, at: float) -> str:
    """The code for time ``at`` (what the authenticator shows)."""
    return _totp(device).generate(at).decode()


def verify(device: TotpDevice, code: str, at: float | None = None) -> bool:
    """Check a code; confirms an enrolment; refuses a code already used."""
    code = "".join((code or "").split())
    if len(code) != DIGITS or not code.isdigit():
        return False
    at = time.time() if at is None else at
    t = _totp(device)
    now_step = int(at // STEP)
    for step in range(now_step - SKEW, now_step + SKEW + 1):
        try:
            t.verify(code.encode(), step * STEP)
        except InvalidToken:
            continue
        with transaction.atomic():
            updated = TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(
                last_step=step, confirmed_at=device.confirmed_at or timezone.now()
            )
        if updated:
            device.refresh_from_db()
            return True
        return False  # replayed
    return False


def mark_passed(request) -> None:
    request.session.cycle_key()
    request.session[SESSION_KEY] = request.user.pk
