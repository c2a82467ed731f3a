"""Where personal information enters the code (sources) and where it leaves the app (sinks).

Why a table and not code: reviewers must be able to read what counts as a leak. A source is
an API call whose result is PI (``TelephonyManager.getDeviceId()``), a static field
(``Build.SERIAL``) or a callback parameter the framework fills with PI (the ``Location`` of
``LocationListener.onLocationChanged``). A sink is a call that sends data out of the app's
process or into storage other apps or logs can read, with the argument positions that carry
the data (receiver = 0 for instance methods).

The PI catalog (``mobsec/facts/privacy/data/pi_catalog.json``, written by the PI engineer)
is read by :func:`source_spec`: its method, argument-sensitive method, static-field and
callback-parameter sources are all used, and its PI type names win.
:data:`BUILTIN_SOURCES` is the floor so the engine works (and DroidBench stays measurable)
without it. The catalog's content-URI sources (``ContentResolver.query`` on the contacts
URI) are not used yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from mobsec.facts.privacy.catalog import ANY_PROTO, PiSource, load_pi_catalog

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
# Building a URL sends nothing; opening it does (the URL carries its text's taint).
SINKS[("Ljava/net/URL;", "openConnection")] = SinkSpec("network", (0,))
SINKS[("Ljava/net/URL;", "openStream")] = SinkSpec("network", (0,))
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
SINKS[("Ljava/lang/ProcessBuilder;", "start")] = SinkSpec("process", (0,))  # its command
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


def catalog_sources() -> tuple[PiSource, ...]:
    """The PI catalog's taint sources (``taint_source`` true); empty if it cannot be read.

    The catalog (:mod:`mobsec.facts.privacy.catalog`) is package data maintained by the PI
    engineer and the single list of what counts as PI; a broken or missing file degrades to
    :data:`BUILTIN_SOURCES`, never a crash.
    """
    try:
        return tuple(load_pi_catalog().taint_sources())
    except (OSError, ValueError, KeyError, TypeError):
        return ()


@dataclass(frozen=True, slots=True)
class GuardedSource:
    """A call that is a source only when argument ``pos`` (receiver counts) can be ``equals``."""

    pi_type: str
    java_index: int  # 0 = first declared parameter
    equals: str


@dataclass(frozen=True, slots=True)
class CallbackSource:
    """The framework fills parameter ``pos`` (receiver = 0) of an override with PI."""

    iface: str  # the framework type the app class implements or extends
    proto: str | None  # None: every overload
    pos: int
    pi_type: str


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """Every source the engine knows, merged from the built-ins and the catalog."""

    methods: dict[tuple[str, str], str]
    guarded: dict[tuple[str, str], tuple[GuardedSource, ...]]
    fields: dict[tuple[str, str], str]
    callbacks: dict[str, tuple[CallbackSource, ...]]  # method name -> candidates


@lru_cache(maxsize=1)
def source_spec() -> SourceSpec:
    """Built-in sources overlaid with the catalog's (the catalog's PI type wins)."""
    methods = dict(BUILTIN_SOURCES)
    guarded: dict[tuple[str, str], list[GuardedSource]] = {
        ANDROID_ID_CALL: [GuardedSource("android-id", 1, "android_id")]
    }
    fields = dict(FIELD_SOURCES)
    callbacks: dict[str, list[CallbackSource]] = {}
    for (name, proto), params in CALLBACK_SOURCES.items():
        for pos, pi in params.items():
            callbacks.setdefault(name, []).append(CallbackSource("", proto, pos, pi))
    for src in catalog_sources():
        key = (src.class_desc, src.method or src.field)
        if src.kind == "method" and src.argument_index is not None and src.argument_equals:
            g = GuardedSource(src.pi_type, src.argument_index, src.argument_equals)
            lst = guarded.setdefault(key, [])
            lst[:] = [x for x in lst if x.equals != g.equals] + [g]
            methods.pop(key, None)
        elif src.kind == "method":
            methods[key] = src.pi_type
        elif src.kind == "field":
            fields[key] = src.pi_type
        elif src.kind == "callback-param" and src.param is not None:
            proto = None if src.proto == ANY_PROTO else src.proto
            cb = CallbackSource(src.class_desc, proto, src.param + 1, src.pi_type)
            lst2 = callbacks.setdefault(src.method, [])
            lst2[:] = [x for x in lst2 if (x.proto, x.pos) != (proto, cb.pos) or x.iface] + [cb]
    return SourceSpec(
        methods,
        {k: tuple(v) for k, v in guarded.items()},
        fields,
        {k: tuple(v) for k, v in callbacks.items()},
    )


def method_sources() -> dict[tuple[str, str], str]:
    """Unconditional method sources, built-in and catalogued (the catalog's type wins)."""
    return source_spec().methods
