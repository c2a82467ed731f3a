"""Where personal information enters the code (sources) and where it leaves the app (sinks).

Why a table and not code: reviewers must be able to read what counts as a leak. A source is
an API call whose result is PI (``TelephonyManager.getDeviceId()``), a static field
(``Build.SERIAL``) or a callback parameter the framework fills with PI (the ``Location`` of
``LocationListener.onLocationChanged``). A sink is a call that sends data out of the app's
process or into storage other apps or logs can read, with the argument positions that carry
the data (receiver = 0 for instance methods).

The PI catalog (``mobsec/facts/privacy/data/pi_catalog.json``, written by the PI engineer)
extends the source list when it is present; :data:`BUILTIN_SOURCES` is the floor so the
engine works (and DroidBench stays measurable) without it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# (class descriptor, method name) -> PI type
BUILTIN_SOURCES: dict[tuple[str, str], str] = {
    ("Landroid/telephony/TelephonyManager;", "getDeviceId"): "device-id",
    ("Landroid/telephony/TelephonyManager;", "getImei"): "device-id",
    ("Landroid/telephony/TelephonyManager;", "getMeid"): "device-id",
    ("Landroid/telephony/TelephonyManager;", "getSubscriberId"): "imsi",
    ("Landroid/telephony/TelephonyManager;", "getSimSerialNumber"): "sim-serial",
    ("Landroid/telephony/TelephonyManager;", "getLine1Number"): "phone-number",
    ("Landroid/telephony/TelephonyManager;", "getVoiceMailNumber"): "phone-number",
    ("Landroid/telephony/TelephonyManager;", "getCellLocation"): "location",
    ("Landroid/telephony/TelephonyManager;", "getAllCellInfo"): "location",
    ("Landroid/location/LocationManager;", "getLastKnownLocation"): "location",
    ("Landroid/net/wifi/WifiInfo;", "getMacAddress"): "mac-address",
    ("Landroid/net/wifi/WifiInfo;", "getSSID"): "wifi",
    ("Landroid/net/wifi/WifiInfo;", "getBSSID"): "wifi",
    ("Landroid/bluetooth/BluetoothAdapter;", "getAddress"): "mac-address",
    ("Landroid/accounts/AccountManager;", "getAccounts"): "accounts",
    ("Landroid/accounts/AccountManager;", "getAccountsByType"): "accounts",
    ("Landroid/accounts/AccountManager;", "getPassword"): "credentials",
    ("Landroid/os/Build;", "getSerial"): "device-id",
    ("Landroid/content/ClipboardManager;", "getPrimaryClip"): "clipboard",
    ("Landroid/content/pm/PackageManager;", "getInstalledPackages"): "installed-apps",
    ("Landroid/content/pm/PackageManager;", "getInstalledApplications"): "installed-apps",
}
# Settings.Secure.getString(resolver, "android_id"): a source only with that constant.
ANDROID_ID_CALL = ("Landroid/provider/Settings$Secure;", "getString")
# Static fields that hold PI: (class, field name) -> PI type
FIELD_SOURCES: dict[tuple[str, str], str] = {("Landroid/os/Build;", "SERIAL"): "device-id"}
# Framework callbacks whose parameter is PI: (method name, proto) -> {arg position: PI type}
# (arg positions count the receiver as 0)
CALLBACK_SOURCES: dict[tuple[str, str], dict[int, str]] = {
    ("onLocationChanged", "(Landroid/location/Location;)V"): {1: "location"},
    ("onLocationResult", "(Lcom/google/android/gms/location/LocationResult;)V"): {1: "location"},
}


@dataclass(frozen=True, slots=True)
class SinkSpec:
    kind: str  # log, sms, network, file, shared-preferences, icc, webview, process
    args: tuple[int, ...] | None  # argument positions that carry data; None: all but receiver


_LOG = SinkSpec("log", None)
_SMS = SinkSpec("sms", (3,))  # destination is 1, text 3 (receiver counts)
_SMS_DATA = SinkSpec("sms", (4,))
_SMS_MULTI = SinkSpec("sms", (3,))
_WRITE = SinkSpec("file", (1,))
_NET = SinkSpec("network", (1,))
_PREF = SinkSpec("shared-preferences", (2,))
_WEB_URL = SinkSpec("webview", (1,))

# (class descriptor, method name) -> sink
SINKS: dict[tuple[str, str], SinkSpec] = {}
for _name in ("d", "e", "i", "v", "w", "wtf", "println"):
    SINKS[("Landroid/util/Log;", _name)] = _LOG
for _cls in ("Landroid/telephony/SmsManager;", "Landroid/telephony/gsm/SmsManager;"):
    SINKS[(_cls, "sendTextMessage")] = _SMS
    SINKS[(_cls, "sendMultipartTextMessage")] = _SMS_MULTI
    SINKS[(_cls, "sendDataMessage")] = _SMS_DATA
for _cls in (
    "Ljava/io/OutputStream;",
    "Ljava/io/FileOutputStream;",
    "Ljava/io/BufferedOutputStream;",
    "Ljava/io/DataOutputStream;",
    "Ljava/io/ObjectOutputStream;",
    "Ljava/io/Writer;",
    "Ljava/io/FileWriter;",
    "Ljava/io/BufferedWriter;",
    "Ljava/io/OutputStreamWriter;",
    "Ljava/io/PrintWriter;",
    "Ljava/io/PrintStream;",
):
    for _name in ("write", "append", "print", "println", "writeObject", "writeUTF", "writeBytes",
                  "writeChars", "format", "printf"):  # fmt: skip
        SINKS[(_cls, _name)] = _WRITE
SINKS[("Ljava/net/URL;", "<init>")] = _NET
SINKS[("Ljava/net/URL;", "openConnection")] = SinkSpec("network", (0,))
SINKS[("Ljava/net/URLConnection;", "setRequestProperty")] = SinkSpec("network", (2,))
SINKS[("Ljava/net/HttpURLConnection;", "setRequestProperty")] = SinkSpec("network", (2,))
SINKS[("Ljava/net/Socket;", "<init>")] = _NET
SINKS[("Lorg/apache/http/client/HttpClient;", "execute")] = _NET
SINKS[("Lorg/apache/http/impl/client/DefaultHttpClient;", "execute")] = _NET
SINKS[("Landroid/net/http/AndroidHttpClient;", "execute")] = _NET
SINKS[("Lokhttp3/Request$Builder;", "url")] = _NET
SINKS[("Lokhttp3/Call;", "execute")] = SinkSpec("network", (0,))
for _name in ("putString", "putStringSet", "putInt", "putLong", "putFloat", "putBoolean"):
    SINKS[("Landroid/content/SharedPreferences$Editor;", _name)] = _PREF
SINKS[("Landroid/webkit/WebView;", "loadUrl")] = _WEB_URL
SINKS[("Landroid/webkit/WebView;", "loadData")] = _WEB_URL
SINKS[("Landroid/webkit/WebView;", "loadDataWithBaseURL")] = SinkSpec("webview", (1, 2))
SINKS[("Landroid/webkit/WebView;", "evaluateJavascript")] = _WEB_URL
SINKS[("Landroid/webkit/WebView;", "postUrl")] = SinkSpec("webview", (1, 2))
SINKS[("Ljava/lang/ProcessBuilder;", "<init>")] = SinkSpec("process", None)
SINKS[("Ljava/lang/Runtime;", "exec")] = SinkSpec("process", None)

# Inter-component calls: the Intent argument position. When the target component is
# resolvable inside the app, the intent's taint flows to the target instead of leaking here.
ICC_SENDS: dict[str, int] = {
    "startActivity": 1,
    "startActivityForResult": 1,
    "startActivityIfNeeded": 1,
    "startService": 1,
    "startForegroundService": 1,
    "bindService": 1,
    "sendBroadcast": 1,
    "sendBroadcastAsUser": 1,
    "sendOrderedBroadcast": 1,
    "sendStickyBroadcast": 1,
    "setResult": 2,
}
# Classes whose ICC methods count (a component's own calls resolve to one of these).
ICC_CLASSES = frozenset(
    {
        "Landroid/content/Context;",
        "Landroid/content/ContextWrapper;",
        "Landroid/view/ContextThemeWrapper;",
        "Landroid/app/Activity;",
        "Landroid/app/Service;",
        "Landroid/app/Application;",
        "Landroid/app/IntentService;",
        "Landroid/app/Fragment;",
        "Landroid/support/v4/app/Fragment;",
        "Landroidx/fragment/app/Fragment;",
        "Landroid/support/v4/app/FragmentActivity;",
        "Landroidx/fragment/app/FragmentActivity;",
        "Landroid/support/v7/app/AppCompatActivity;",
        "Landroidx/appcompat/app/AppCompatActivity;",
        "Landroid/support/v4/content/LocalBroadcastManager;",
        "Landroidx/localbroadcastmanager/content/LocalBroadcastManager;",
    }
)


@lru_cache(maxsize=1)
def catalog_sources() -> dict[tuple[str, str], str]:
    """Method sources from the PI catalog (empty when the catalog is absent or unreadable).

    The catalog is package data maintained by the PI engineer; this reader accepts the
    entries it understands (a class descriptor or Java class name plus a method name) and
    skips the rest, so a catalog format change degrades to the built-in list, never a crash.
    """
    try:
        text = (
            resources.files("mobsec.facts.privacy")
            .joinpath("data/pi_catalog.json")
            .read_text("utf-8")
        )
        doc = json.loads(text)
    except (ModuleNotFoundError, FileNotFoundError, OSError, ValueError):
        return {}
    out: dict[tuple[str, str], str] = {}
    for entry in _catalog_entries(doc):
        pi_type = entry.get("pi_type") or entry.get("type") or entry.get("category")
        for api in _as_list(entry.get("apis") or entry.get("api") or entry.get("methods")):
            key = _api_key(api)
            if key is not None and isinstance(pi_type, str):
                out.setdefault(key, pi_type)
    return out


def _catalog_entries(doc: Any) -> list[dict[str, Any]]:
    if isinstance(doc, dict):
        for name in ("entries", "pi_types", "types", "items"):
            if isinstance(doc.get(name), list):
                return [e for e in doc[name] if isinstance(e, dict)]
        return [dict(v, pi_type=k) for k, v in doc.items() if isinstance(v, dict)]
    if isinstance(doc, list):
        return [e for e in doc if isinstance(e, dict)]
    return []


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [v] if v else []


def _api_key(api: Any) -> tuple[str, str] | None:
    """``"Landroid/x/Y;->m(...)"``, ``"android.x.Y.m"`` or ``{"class":..,"method":..}``."""
    if isinstance(api, dict):
        cls, name = api.get("class"), api.get("method") or api.get("name")
        if not isinstance(cls, str) or not isinstance(name, str):
            return None
        return (_desc(cls), name.split("(")[0])
    if not isinstance(api, str):
        return None
    if "->" in api:
        cls, rest = api.split("->", 1)
        return (_desc(cls), rest.split("(")[0].split(":")[0])
    head = api.split("(")[0]
    if "." not in head:
        return None
    cls, name = head.rsplit(".", 1)
    return (_desc(cls), name)


def _desc(cls: str) -> str:
    return cls if cls.startswith("L") and cls.endswith(";") else "L" + cls.replace(".", "/") + ";"


def method_sources() -> dict[tuple[str, str], str]:
    """Built-in sources merged with the catalog's (built-in names win on conflicts)."""
    merged = dict(catalog_sources())
    merged.update(BUILTIN_SOURCES)
    return merged
