"""Login throttling: after N failures for a user name (or from one client) within the
window, further attempts are refused until the window passes, right password or not."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str | None) -> list[str]:
    h = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"mobsec:login:user:{h}", f"mobsec:login:ip:{ip or '-'}"]


def locked(username: str, ip: str | None) -> bool:
    limit = settings.MOBSEC_LOGIN_MAX_FAILURES
    user_key, ip_key = _keys(username, ip)
    return (cache.get(user_key, 0) >= limit) or (cache.get(ip_key, 0) >= limit * 4)


def failed(username: str, ip: str | None) -> None:
    for key in _keys(username, ip):
        cache.add(key, 0, settings.MOBSEC_LOGIN_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, settings.MOBSEC_LOGIN_WINDOW_SECONDS)


def succeeded(username: str) -> None:
    cache.delete(_keys(username, None)[0])
