"""Does a value look like a secret or personal information? A heuristic, said so in findings.

Why names: bytecode keeps the names of fields and methods (``this.password``,
``user.getToken()``) even when it drops local variable names, and a developer's name for a
value is the best static hint of what it holds. Known personal-information APIs
(``TelephonyManager.getDeviceId`` ...) are sources regardless of names. A concat whose
constant text labels the value (``"password: " + x``) counts too: the developer wrote down
what the variable part is.

Names are split into words (camelCase, snake_case) and matched as whole words, so
``spinner`` or ``mapping`` never match ``pin``.
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

from mobsec.facts.dataflow import Value

from ._common import words

MAX_DEPTH = 6

SENSITIVE_WORDS = frozenset(
    {
        "password", "passwd", "pwd", "passcode", "passphrase", "pin", "token", "secret",
        "creditcard", "cvv", "cvc", "ssn", "otp", "credential", "credentials",
    }
)  # fmt: skip
SENSITIVE_PAIRS = frozenset(
    {
        ("credit", "card"), ("card", "number"), ("card", "no"), ("pass", "word"),
        ("api", "key"), ("private", "key"), ("access", "token"), ("auth", "token"),
        ("session", "id"), ("pin", "code"), ("secret", "key"), ("refresh", "token"),
    }
)  # fmt: skip
# A getter or field called loginData holds credentials; the words in log text
# ("saveLoginInfo: opening file") are a method name, not a label: identifiers only.
IDENTIFIER_PAIRS = frozenset({("login", "data"), ("login", "info"), ("login", "details")})
# Identifiers written as one lowercase word ("newpass", "oldpassword", "userpin"): a
# qualifier glued to a secret. Only these qualifiers, so "bypass" or "compass" never match.
GLUED_QUALIFIERS = ("new", "old", "confirm", "current", "user", "my", "login", "admin")
GLUED_SECRETS = ("password", "passwd", "pass", "pwd", "pin", "token", "secret")
GLUED = frozenset(q + s for q in GLUED_QUALIFIERS for s in GLUED_SECRETS)
# Personal-information APIs: (class, method) -> what it returns.
PI_APIS = {
    ("Landroid/telephony/TelephonyManager;", "getDeviceId"): "IMEI/device id",
    ("Landroid/telephony/TelephonyManager;", "getImei"): "IMEI",
    ("Landroid/telephony/TelephonyManager;", "getMeid"): "MEID",
    ("Landroid/telephony/TelephonyManager;", "getSubscriberId"): "IMSI",
    ("Landroid/telephony/TelephonyManager;", "getSimSerialNumber"): "SIM serial",
    ("Landroid/telephony/TelephonyManager;", "getLine1Number"): "phone number",
    ("Landroid/accounts/AccountManager;", "getPassword"): "account password",
    ("Landroid/location/Location;", "getLatitude"): "location",
    ("Landroid/location/Location;", "getLongitude"): "location",
}


class Sensitive(NamedTuple):
    what: str  # short description for the message: "field password", "IMEI/device id"
    strong: bool  # named source (field, method, PI API) vs a label in constant text
    what_zh: str = ""  # the same in Chinese (names from the package kept as they are)

    @property
    def zh(self) -> str:
        return self.what_zh or self.what


# PI_APIS labels in Chinese, for zh-CN messages.
PI_LABELS_ZH = {
    "IMEI/device id": "IMEI/设备标识",
    "SIM serial": "SIM 卡序列号",
    "phone number": "手机号码",
    "account password": "账户密码",
    "location": "位置",
}


def name_is_sensitive(name: str) -> bool:
    """An identifier (field, getter, extra key) that names a secret."""
    return _names_secret(name, identifier=True)


def text_labels_secret(text: str) -> bool:
    """Constant text that names a secret ("Password: ", "credit card")."""
    return _names_secret(text, identifier=False)


def _names_secret(name: str, identifier: bool) -> bool:
    ws = words(name)
    if any(w in SENSITIVE_WORDS or (identifier and w in GLUED) for w in ws):
        return True
    return any(
        pair in SENSITIVE_PAIRS or (identifier and pair in IDENTIFIER_PAIRS)
        for pair in pairwise(ws)
    )


def sensitive_source(values: frozenset[Value]) -> Sensitive | None:
    """Why one of ``values`` looks sensitive, strongest reason first; None if none does."""
    found: Sensitive | None = None
    for v in values:
        s = _of(v, 0)
        if s is not None and (found is None or (s.strong and not found.strong)):
            found = s
    return found


def _of(v: Value, depth: int) -> Sensitive | None:
    if v.kind == "field":
        name = v.data.name  # type: ignore[union-attr]
        if not name_is_sensitive(name):
            return None
        return Sensitive(f"field {name}", True, f"字段 {name}")
    if v.kind == "result":
        ref = v.data
        pi = PI_APIS.get((ref.class_desc, ref.name))  # type: ignore[union-attr]
        if pi is not None:
            return Sensitive(pi, True, PI_LABELS_ZH.get(pi, pi))
        name = ref.name  # type: ignore[union-attr]
        if name.startswith("get") and name_is_sensitive(name[3:]):
            return Sensitive(f"{name}()", True)
        return None
    if v.kind == "concat" and depth < MAX_DEPTH:
        parts = v.data  # type: ignore[union-attr]
        # A label names what FOLLOWS it ("password: " + x); text after the variable part
        # ("Saved to " + dir + "/credentials.dat") names something else, here a file.
        label = None
        labelled = False
        best: Sensitive | None = None
        for p in parts:
            s = _of(p, depth + 1)
            if s is not None and (best is None or s.strong):
                best = s
            t = p.text()
            if t is not None:
                if label is None and text_labels_secret(t):
                    label = t.strip()[:40]
            elif label is not None:
                labelled = True
        if best is not None:
            return best
        if labelled:
            return Sensitive(f'value labelled "{label}"', False, f'标注为 "{label}" 的值')
    return None
