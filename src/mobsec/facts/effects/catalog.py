"""What a component's code can *do* that matters to another app driving it: the effect table.

Each row names a platform (or common SDK) API and what calling it does. ``permissions``
(any one suffices) are the ones the Android API reference lists for the method ("Requires
android.Manifest.permission.X", the ``@RequiresPermission`` annotation of the SDK sources;
https://developer.android.com/reference/<package>/<Class>): a call the app makes without
holding one throws, so the row counts only when the app's manifest requests one of them.
Rows without permissions are effects on their own (running a command, loading code,
writing files, databases or preferences, sending over the network, capturing the screen).

``kind``:

* ``act``: an effect on its own (counted when its permission, if any, is held);
* ``returns``: hands data back to the caller (``setResult``/``setResultData``): counted
  only when the same component also *reads* data (a ``read`` row or a PI source of the PI
  catalogue, :mod:`mobsec.facts.privacy`); returning the list of system locales is not a
  leak, returning a stored token is;
* ``read``: reads app-private or user data; counted for content providers (whose methods
  return what they read) and together with a ``returns`` row;
* ``display``: shows text on screen (toast, text view, dialog): counted when the component
  also reads data (a screen meant to follow a login, opened directly), or when the text shown
  is a constant naming a credential (``"API Password: ..."``);
* ``start``: starts or binds another component, or broadcasts: counted only when the
  component also reads caller data (the caller's values may be forwarded);
* ``input``: reads caller-controlled data from the intent (evidence, never an effect).

Left out on purpose: logging, toasts, notifications, wake locks and other UI/battery
calls (no consequence for another app), ``WindowManager.addView`` (an overlay needs
SYSTEM_ALERT_WINDOW only for overlay window *types*, a LayoutParams field this table cannot
see), ``MediaScannerConnection.scanFile`` (asks the media scanner to index a file; no
permission, no data back).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EffectApi:
    class_desc: str
    method: str
    kind: str  # act | returns | read | start | input
    label_en: str
    label_zh: str
    permissions: tuple[str, ...] = ()
    # The effect exists only on Android versions below this API level (0: on every one): an
    # app whose minSdk is at least this never runs where the call does what the label says.
    below_sdk: int = 0

    @property
    def api(self) -> str:
        simple = self.class_desc[1:-1].rsplit("/", 1)[-1]
        return f"{simple}.{self.method}"


P = "android.permission."
LOCATION = (P + "ACCESS_FINE_LOCATION", P + "ACCESS_COARSE_LOCATION")
WIFI = (P + "CHANGE_WIFI_STATE",)
BT_ADMIN = (P + "BLUETOOTH_ADMIN", P + "BLUETOOTH_CONNECT")
CONTEXT = "Landroid/content/Context;"
SQLITE = "Landroid/database/sqlite/SQLiteDatabase;"
RESOLVER = "Landroid/content/ContentResolver;"
EDITOR = "Landroid/content/SharedPreferences$Editor;"
PREFS = "Landroid/content/SharedPreferences;"
INTENT = "Landroid/content/Intent;"


def _rows(
    class_desc: str,
    methods: tuple[str, ...],
    kind: str,
    en: str,
    zh: str,
    permissions: tuple[str, ...] = (),
    below_sdk: int = 0,
) -> list[EffectApi]:
    return [EffectApi(class_desc, m, kind, en, zh, permissions, below_sdk) for m in methods]


EFFECTS: tuple[EffectApi, ...] = tuple(
    [
        # -- permission-guarded platform APIs ----------------------------------------------
        # From Android 10 disableKeyguard "only works if the keyguard is not secure" (API
        # reference; KeyguardDisableHandler allows apps only a non-secure keyguard): lifting
        # a swipe lock exposes nothing. Up to Android 9 it also hid a PIN/pattern/password
        # keyguard unless a device policy required a password (KeyguardViewMediator
        # .setKeyguardEnabled has no isSecure test there), so it counts where minSdk < 29.
        *_rows(
            "Landroid/app/KeyguardManager$KeyguardLock;",
            ("disableKeyguard",),
            "act",
            "disables the lock screen",
            "解除锁屏",
            (P + "DISABLE_KEYGUARD",),
            below_sdk=29,
        ),
        *_rows(
            "Landroid/location/LocationManager;",
            ("requestLocationUpdates", "requestSingleUpdate", "getCurrentLocation"),
            "act",
            "tracks the device location",
            "跟踪设备位置",
            LOCATION,
        ),
        *_rows(
            "Lcom/google/android/gms/location/FusedLocationProviderClient;",
            ("requestLocationUpdates", "getCurrentLocation"),
            "act",
            "tracks the device location",
            "跟踪设备位置",
            LOCATION,
        ),
        *_rows(
            "Landroid/location/LocationManager;",
            ("setTestProviderLocation", "addTestProvider", "setTestProviderEnabled"),
            "act",
            "sets a mock location for the device",
            "为设备设置模拟位置",
            (P + "ACCESS_MOCK_LOCATION",),
        ),
        *_rows(
            "Lcom/google/android/gms/location/FusedLocationProviderClient;",
            ("setMockLocation", "setMockMode"),
            "act",
            "sets a mock location for the device",
            "为设备设置模拟位置",
            (P + "ACCESS_MOCK_LOCATION",),
        ),
        *_rows(
            "Landroid/hardware/Camera;",
            ("open",),
            "act",
            "opens the camera",
            "打开摄像头",
            (P + "CAMERA",),
        ),
        *_rows(
            "Landroid/hardware/camera2/CameraManager;",
            ("openCamera",),
            "act",
            "opens the camera",
            "打开摄像头",
            (P + "CAMERA",),
        ),
        *_rows(
            "Landroid/media/AudioRecord;",
            ("startRecording",),
            "act",
            "records audio",
            "录音",
            (P + "RECORD_AUDIO",),
        ),
        *_rows(
            "Landroid/media/MediaRecorder;",
            ("setAudioSource",),
            "act",
            "records audio",
            "录音",
            (P + "RECORD_AUDIO",),
        ),
        *_rows(
            "Landroid/provider/Settings$System;",
            ("putString", "putInt", "putLong", "putFloat"),
            "act",
            "changes system settings",
            "修改系统设置",
            (P + "WRITE_SETTINGS",),
        ),
        *_rows(
            "Landroid/provider/Settings$Secure;",
            ("putString", "putInt", "putLong", "putFloat"),
            "act",
            "changes secure settings",
            "修改安全设置",
            (P + "WRITE_SECURE_SETTINGS",),
        ),
        *_rows(
            "Landroid/provider/Settings$Global;",
            ("putString", "putInt", "putLong", "putFloat"),
            "act",
            "changes global settings",
            "修改全局设置",
            (P + "WRITE_SECURE_SETTINGS",),
        ),
        *_rows(
            "Landroid/telephony/SmsManager;",
            ("sendTextMessage", "sendMultipartTextMessage", "sendDataMessage"),
            "act",
            "sends SMS",
            "发送短信",
            (P + "SEND_SMS",),
        ),
        *_rows(
            "Landroid/telecom/TelecomManager;",
            ("placeCall",),
            "act",
            "places a phone call",
            "拨打电话",
            (P + "CALL_PHONE",),
        ),
        *_rows(
            "Landroid/telecom/TelecomManager;",
            ("endCall", "acceptRingingCall"),
            "act",
            "answers or ends calls",
            "接听或挂断电话",
            (P + "ANSWER_PHONE_CALLS",),
        ),
        *_rows(
            "Landroid/accounts/AccountManager;",
            ("getAccounts", "getAccountsByType"),
            "read",
            "lists the device accounts",
            "读取设备账户",
            (P + "GET_ACCOUNTS",),
        ),
        *_rows(
            "Landroid/accounts/AccountManager;",
            ("getPassword", "getAuthToken", "blockingGetAuthToken", "peekAuthToken"),
            "read",
            "reads account credentials",
            "读取账户凭据",
        ),
        *_rows(
            "Landroid/accounts/AccountManager;",
            ("addAccountExplicitly", "removeAccount", "setPassword", "setAuthToken"),
            "act",
            "changes accounts",
            "修改账户",
        ),
        *_rows(
            "Landroid/content/pm/PackageInstaller$Session;",
            ("commit",),
            "act",
            "installs packages",
            "安装应用",
            (P + "REQUEST_INSTALL_PACKAGES", P + "INSTALL_PACKAGES"),
        ),
        *_rows(
            "Landroid/content/pm/PackageInstaller;",
            ("uninstall",),
            "act",
            "uninstalls packages",
            "卸载应用",
            (P + "REQUEST_DELETE_PACKAGES", P + "DELETE_PACKAGES"),
        ),
        *_rows(
            "Landroid/net/wifi/WifiManager;",
            (
                "setWifiEnabled",
                "addNetwork",
                "enableNetwork",
                "disableNetwork",
                "removeNetwork",
                "updateNetwork",
                "disconnect",
                "reconnect",
            ),
            "act",
            "changes Wi-Fi state",
            "修改 Wi-Fi 状态",
            WIFI,
        ),
        *_rows(
            "Landroid/bluetooth/BluetoothAdapter;",
            ("enable", "disable"),
            "act",
            "switches Bluetooth",
            "开关蓝牙",
            BT_ADMIN,
        ),
        *_rows(
            "Landroid/app/admin/DevicePolicyManager;",
            ("lockNow", "wipeData", "resetPassword", "setCameraDisabled"),
            "act",
            "uses device-admin powers",
            "使用设备管理员权限",
        ),
        *_rows(
            "Landroid/media/projection/MediaProjectionManager;",
            ("getMediaProjection",),
            "act",
            "captures the screen (MediaProjection)",
            "截取屏幕(MediaProjection)",
        ),
        *_rows(
            "Landroid/app/UiAutomation;",
            ("takeScreenshot",),
            "act",
            "captures the screen",
            "截取屏幕",
        ),
        *_rows(
            "Landroidx/test/uiautomator/UiDevice;",
            ("takeScreenshot",),
            "act",
            "captures the screen",
            "截取屏幕",
        ),
        *_rows(
            "Landroid/view/inputmethod/InputConnection;",
            ("commitText", "sendKeyEvent", "setComposingText"),
            "act",
            "types into the focused app",
            "向当前应用输入文本",
        ),
        *_rows(
            "Landroid/app/UiAutomation;",
            ("injectInputEvent", "executeShellCommand"),
            "act",
            "injects input or runs shell commands as the shell user",
            "以 shell 身份注入输入或执行命令",
        ),
        # -- effects without a permission -------------------------------------------------
        *_rows("Ljava/lang/Runtime;", ("exec",), "act", "runs a command", "执行命令"),
        *_rows("Ljava/lang/ProcessBuilder;", ("start",), "act", "runs a command", "执行命令"),
        *_rows("Ldalvik/system/DexClassLoader;", ("<init>",), "act", "loads code", "加载代码"),
        *_rows("Ldalvik/system/PathClassLoader;", ("<init>",), "act", "loads code", "加载代码"),
        *_rows(
            "Ldalvik/system/InMemoryDexClassLoader;", ("<init>",), "act", "loads code", "加载代码"
        ),
        *_rows("Ljava/lang/System;", ("load",), "act", "loads native code", "加载原生代码"),
        *_rows("Ljava/lang/Runtime;", ("load",), "act", "loads native code", "加载原生代码"),
        *_rows("Ljava/io/FileOutputStream;", ("<init>",), "act", "writes files", "写文件"),
        *_rows("Ljava/io/FileWriter;", ("<init>",), "act", "writes files", "写文件"),
        *_rows(CONTEXT, ("openFileOutput",), "act", "writes files", "写文件"),
        *_rows(
            "Ljava/io/File;",
            ("delete", "renameTo"),
            "act",
            "deletes or moves files",
            "删除或移动文件",
        ),
        *_rows(
            CONTEXT,
            ("deleteFile", "deleteDatabase", "deleteSharedPreferences"),
            "act",
            "deletes app data",
            "删除应用数据",
        ),
        *_rows(
            SQLITE,
            (
                "execSQL",
                "insert",
                "insertOrThrow",
                "insertWithOnConflict",
                "replace",
                "update",
                "updateWithOnConflict",
                "delete",
            ),
            "act",
            "writes the database",
            "写数据库",
        ),
        *_rows(
            RESOLVER,
            ("insert", "update", "delete", "bulkInsert", "applyBatch", "call", "openOutputStream"),
            "act",
            "writes through a content provider",
            "通过内容提供器写数据",
        ),
        *_rows(
            EDITOR, ("commit", "apply"), "act", "changes stored preferences", "修改保存的偏好设置"
        ),
        *_rows(
            "Ljava/net/URL;",
            ("openConnection", "openStream"),
            "act",
            "sends over the network",
            "网络发送",
        ),
        *_rows(
            "Ljava/net/Socket;", ("<init>", "connect"), "act", "sends over the network", "网络发送"
        ),
        *_rows("Ljava/net/DatagramSocket;", ("send",), "act", "sends over the network", "网络发送"),
        *_rows("Lokhttp3/OkHttpClient;", ("newCall",), "act", "sends over the network", "网络发送"),
        *_rows(
            "Landroid/webkit/WebView;",
            ("loadUrl", "postUrl", "loadDataWithBaseURL"),
            "act",
            "loads web content",
            "加载网页内容",
        ),
        *_rows(
            "Landroid/content/ClipboardManager;",
            ("setPrimaryClip",),
            "act",
            "writes the clipboard",
            "写剪贴板",
        ),
        # -- data handed back to the caller ------------------------------------------------
        *_rows("Landroid/app/Activity;", ("setResult",), "returns", "returns data", "返回数据"),
        *_rows(
            "Landroid/content/BroadcastReceiver;",
            ("setResultData", "setResultExtras", "setResult"),
            "returns",
            "returns data",
            "返回数据",
        ),
        # -- reads of app-private or user data ---------------------------------------------
        *_rows(
            PREFS,
            ("getString", "getStringSet", "getAll"),
            "read",
            "reads stored preferences",
            "读取保存的偏好设置",
        ),
        *_rows(
            SQLITE,
            ("query", "rawQuery", "queryWithFactory"),
            "read",
            "reads the database",
            "读数据库",
        ),
        *_rows(RESOLVER, ("query",), "read", "queries a content provider", "查询内容提供器"),
        *_rows(
            RESOLVER,
            ("openInputStream", "openFileDescriptor"),
            "read",
            "opens provider files",
            "打开内容提供器文件",
        ),
        *_rows("Ljava/io/FileInputStream;", ("<init>",), "read", "reads files", "读文件"),
        *_rows("Ljava/io/FileReader;", ("<init>",), "read", "reads files", "读文件"),
        *_rows(CONTEXT, ("openFileInput",), "read", "reads files", "读文件"),
        *_rows("Landroid/os/ParcelFileDescriptor;", ("open",), "read", "opens files", "打开文件"),
        *_rows(
            "Landroid/content/ClipboardManager;",
            ("getPrimaryClip",),
            "read",
            "reads the clipboard",
            "读取剪贴板",
        ),
        *_rows(
            "Ljavax/crypto/Cipher;",
            ("doFinal",),
            "read",
            "decrypts or encrypts data with the app's key",
            "用应用的密钥加解密数据",
        ),
        # -- shown on screen (the text is argument 1 of each) ------------------------------
        *_rows(
            "Landroid/widget/Toast;",
            ("makeText",),
            "display",
            "shows data on screen",
            "在屏幕上显示数据",
        ),
        *_rows(
            "Landroid/widget/TextView;",
            ("setText",),
            "display",
            "shows data on screen",
            "在屏幕上显示数据",
        ),
        *_rows(
            "Landroid/app/AlertDialog$Builder;",
            ("setMessage",),
            "display",
            "shows data on screen",
            "在屏幕上显示数据",
        ),
        # -- starting other components ----------------------------------------------------
        *_rows(
            CONTEXT,
            (
                "startActivity",
                "startActivities",
                "startService",
                "startForegroundService",
                "bindService",
                "sendBroadcast",
                "sendOrderedBroadcast",
            ),
            "start",
            "starts a component",
            "启动组件",
        ),
        *_rows(
            "Landroid/app/Activity;",
            ("startActivityForResult",),
            "start",
            "starts a component",
            "启动组件",
        ),
        # -- caller-controlled input -------------------------------------------------------
        *_rows(
            INTENT,
            (
                "getStringExtra",
                "getIntExtra",
                "getLongExtra",
                "getBooleanExtra",
                "getExtras",
                "getBundleExtra",
                "getParcelableExtra",
                "getSerializableExtra",
                "getStringArrayExtra",
                "getStringArrayListExtra",
                "getByteArrayExtra",
                "getData",
                "getDataString",
                "getClipData",
            ),
            "input",
            "reads the caller's intent",
            "读取调用方 Intent",
        ),
    ]
)

# Hidden platform methods called by reflection (``getMethod("updateConfiguration")`` on
# ActivityManagerNative): the name is specific enough, whichever class it is looked up on.
REFLECTED: dict[str, EffectApi] = {
    name: EffectApi(
        "Landroid/app/IActivityManager;",
        name,
        "act",
        "changes the device configuration (locale, font scale)",
        "修改设备配置(语言、字体缩放)",
        (P + "CHANGE_CONFIGURATION",),
    )
    for name in ("updateConfiguration", "updatePersistentConfiguration")
} | {
    "removeBond": EffectApi(
        "Landroid/bluetooth/BluetoothDevice;",
        "removeBond",
        "act",
        "unpairs Bluetooth devices",
        "解除蓝牙配对",
        BT_ADMIN,
    ),
    "setMobileDataEnabled": EffectApi(
        "Landroid/net/ConnectivityManager;",
        "setMobileDataEnabled",
        "act",
        "switches mobile data",
        "开关移动数据",
        (P + "CHANGE_NETWORK_STATE", P + "MODIFY_PHONE_STATE"),
    ),
}
# Calls whose effect is fixed when their argument is a constant (``exec("getprop x")``):
# another app cannot make them do anything else.
CONSTANT_ARGUMENT_HARMLESS = frozenset({("Ljava/lang/Runtime;", "exec")})

# A constant shown on screen that names a credential: the screen gives it to whoever opens it.
SECRET_WORDS = r"(?i)\b(pass(word|wd|code)?|secret|api[ _-]?key|token|credentials?|pin)\b"
SHOWS_SECRET = EffectApi(
    "Landroid/widget/TextView;",
    "setText",
    "act",
    "shows a credential on screen",
    "在屏幕上显示凭据",
)
# ``setResult(code, getIntent())``: the caller gets back its own Intent, so URI grant flags it
# set are applied with this app's authority (android.icc.intent-redirection reports the flow).
RETURNS_CALLER_INTENT = EffectApi(
    "Landroid/app/Activity;",
    "setResult",
    "act",
    "returns the caller's own Intent (its URI grants are honoured with this app's rights)",
    "把调用方自己的 Intent 返回(以本应用的权限兑现其中的 URI 授权)",
)
# ``getMediaProjection(code, data)``: ``data`` must carry the token the system's consent
# dialog returns to the app the device's user agreed to. When it comes from the Intent another
# app sent, that app brings (or lacks) the user's consent: starting the component gives it
# nothing it does not already have (this marker: found, not counted, named in the evidence).
CONSENT_TOKEN = EffectApi(
    "Landroid/media/projection/MediaProjectionManager;",
    "getMediaProjection",
    "consent",
    "",
    "",
)
# An AudioRecord built with AudioRecord.Builder.setAudioPlaybackCaptureConfig records what
# other apps play, through a MediaProjection (the user's consent), not the microphone.
PLAYBACK_CAPTURE = ("Landroid/media/AudioRecord$Builder;", "setAudioPlaybackCaptureConfig")
