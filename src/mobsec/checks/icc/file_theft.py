"""Theft of arbitrary files through a URI another app controls.

The flows come from :mod:`mobsec.facts.taint.uri_theft` (two runs of the taint engine);
this module says which components another app can reach and which classes ask another app
for a result, and words the finding: where the URI comes from, where it is opened, where
its content goes.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import protection
from mobsec.checks.registry import check
from mobsec.checks.storage._common import ACTIVITY, callee_of, site_args, site_flow
from mobsec.checks.storage._meta import GBT_COMPONENT
from mobsec.facts.dataflow import MethodFlow, Value
from mobsec.facts.entry_points import java_to_descriptor
from mobsec.facts.taint import TaintBudget
from mobsec.facts.taint.uri_theft import (
    EXTERNAL,
    FROM_RESULT,
    MEDIA,
    NETWORK,
    WORLD_READABLE,
    Theft,
    UriTheftResult,
    analyse_uri_theft,
)
from mobsec.ingest.dex import CodeSite, DexFile, MethodDef, MethodRef
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._intents import intent_shape

INTENT = "Landroid/content/Intent;"
ACC_BRIDGE = 0x40
ACC_SYNTHETIC = 0x1000
# Who can ask another app for a result: (class, method, intent argument position).
REQUESTS = (
    (ACTIVITY, "startActivityForResult", 1),
    ("Landroid/app/Fragment;", "startActivityForResult", 1),
    ("Landroidx/fragment/app/Fragment;", "startActivityForResult", 1),
    ("Landroid/support/v4/app/Fragment;", "startActivityForResult", 1),
    ("Landroidx/core/app/ActivityCompat;", "startActivityForResult", 1),
    ("Landroid/support/v4/app/ActivityCompat;", "startActivityForResult", 1),
)
PLACE_TEXT = {
    EXTERNAL: ("external storage", "外部存储"),
    WORLD_READABLE: ("a world-readable file", "全局可读文件"),
    NETWORK: ("the network", "网络"),
    MEDIA: ("shared media storage (MediaStore)", "共享媒体存储(MediaStore)"),
}
REQUEST_CLASSES = frozenset(c for c, _, _ in REQUESTS)
# ActivityResult contracts another app answers with a URI of its choosing.
URI_CONTRACTS = frozenset(
    f"Landroidx/activity/result/contract/ActivityResultContracts${name};"
    for name in (
        "GetContent",
        "GetMultipleContents",
        "OpenDocument",
        "OpenMultipleDocuments",
        "OpenDocumentTree",
        "PickVisualMedia",
        "PickMultipleVisualMedia",
    )
)
REGISTER = "registerForActivityResult"
ENTRY_KINDS = ("activity", "activity-alias", "service", "receiver")


@check(
    "android.icc.uri-file-theft",
    title=(
        "File named by another app's URI is opened and copied where others can read it",
        "打开其他应用提供的 URI 所指文件并复制到他人可读的位置",
    ),
    description=(
        "A content:// or file:// URI (or a path) that another app chooses — the Intent of "
        "an exported component (its data, EXTRA_STREAM, ClipData) or the result of an "
        "implicit startActivityForResult such as ACTION_PICK or ACTION_GET_CONTENT, which "
        "any installed app can answer — is opened with this app's identity "
        "(ContentResolver.openInputStream, new FileInputStream(new File(uri.getPath()))) "
        "and its content copied to external storage, a world-readable file or the network, "
        "without checking the URI's authority or scheme. The other app passes "
        "file:///data/data/<this app>/… or a URI of this app's own FileProvider and "
        "receives the app's private files (theft of arbitrary files).",
        "其他应用可控制的 content:// 或 file:// URI(或路径)——导出组件收到的 Intent(其 data、"
        "EXTRA_STREAM、ClipData),或隐式 startActivityForResult(如 ACTION_PICK、"
        "ACTION_GET_CONTENT,任何已安装应用都可应答)返回的结果——被本应用以自身身份打开"
        "(ContentResolver.openInputStream、new FileInputStream(new File(uri.getPath()))),"
        "其内容被复制到外部存储、全局可读文件或网络,且未校验 URI 的 authority 或 scheme。其他应用"
        "可传入 file:///data/data/<本应用>/… 或本应用自身 FileProvider 的 URI,从而取得本应用的私有"
        "文件(任意文件窃取)。",
    ),
    remediation=(
        "Before opening a URI from another app, reject file:// URIs and content:// URIs of "
        "the app's own authorities (compare uri.getAuthority() with your FileProvider's, "
        "check the canonical path of file paths against the app's data directory); copy "
        "picked files into app-private storage, not external storage.",
        "打开来自其他应用的 URI 前,拒绝 file:// URI 以及本应用自身 authority 的 content:// URI"
        "(将 uri.getAuthority() 与本应用 FileProvider 的 authority 比较,并用规范路径检查文件"
        "路径是否位于应用数据目录内);把选取的文件复制到应用私有存储,而不是外部存储。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[200, 441],
    masvs=["MASVS-PLATFORM-1", "MASVS-STORAGE-2"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENT],
    references=["https://blog.oversecured.com/Interception-of-Android-implicit-intents/"],
)
def uri_file_theft(ctx: CheckContext) -> Iterator[Finding]:
    exposed = _exposed_components(ctx)
    requests = _implicit_requests(ctx)
    callbacks = _contract_callbacks(ctx)
    if not exposed and not requests and not callbacks:
        return
    result: UriTheftResult = ctx.facts.memo(
        ("icc", "uri-file-theft"),
        lambda: analyse_uri_theft(
            ctx.facts,
            frozenset(exposed),
            frozenset(requests),
            # two runs: together no longer than the PI analysis may take
            TaintBudget(seconds=ctx.facts.options.taint_seconds / 2),
            frozenset(callbacks),
        ),
    )
    done: set[tuple[str, str, int]] = set()
    for theft in result.thefts:
        key = (theft.source.method, theft.opened.method, theft.opened.offset)
        if key in done:
            continue
        done.add(key)
        finding = _finding(ctx, theft, exposed, requests, callbacks)
        if finding is not None:
            yield finding


def _exposed_components(ctx: CheckContext) -> dict[str, str]:
    """Descriptor -> kind of the components another app can start, bind or send to."""
    m = ctx.manifest
    if m is None:
        return {}
    out: dict[str, str] = {}
    for c in m.components:
        if c.kind not in ENTRY_KINDS or not c.exported or not c.enabled:
            continue
        if protection(m, c.permission).protects:
            continue
        name = c.target_activity if c.kind == "activity-alias" else c.name
        if name:
            out[java_to_descriptor(name)] = "activity" if c.kind == "activity-alias" else c.kind
    return out


def _implicit_requests(ctx: CheckContext) -> dict[str, list[tuple[str, CodeSite]]]:
    """Class whose onActivityResult gets the answer -> (action, request site) of each
    implicit startActivityForResult it makes: another app can answer those."""
    out: dict[str, list[tuple[str, CodeSite]]] = {}
    code = ctx.code
    for cls, name, pos in REQUESTS:
        for site in ctx.facts.calls.of(cls, name):
            args = site_args(site)
            flow = site_flow(site)
            if args is None or flow is None or len(args) <= pos:
                continue
            values = _chooser_target(flow, args[pos])
            shape = intent_shape(flow, values, ctx.facts.values)
            if shape is None or shape.explicit or not shape.action:
                continue
            # this.startActivityForResult in MainActivity$1 names MainActivity: its
            # onActivityResult gets the answer; a static helper or a framework-typed
            # receiver leaves the caller's outer class.
            callee = callee_of(site)
            owner = site.caller.class_desc.split("$", 1)[0].rstrip(";") + ";"
            if (
                callee is not None
                and callee.class_desc not in REQUEST_CLASSES
                and any(code.is_subtype(callee.class_desc, c) for c in REQUEST_CLASSES)
            ):
                owner = callee.class_desc
            out.setdefault(owner, []).append((shape.action, site))
    return out


def _contract_callbacks(ctx: CheckContext) -> dict[str, list[tuple[str, CodeSite]]]:
    """ActivityResultCallback class -> (contract, registration site) for each
    ``registerForActivityResult(new GetContent(), callback)``: any app can answer those.
    By method name: the caller may be an androidx class the framework data does not know."""
    out: dict[str, list[tuple[str, CodeSite]]] = {}
    code = ctx.code
    for dex in code.dexes:
        for mid in ctx.facts.calls.method_ids_named(dex, REGISTER):
            for site in code.sites_of(dex, dex.call_sites(mid)):
                args = site_args(site)
                if args is None or len(args) < 3:
                    continue
                contracts = {v.data for v in args[1] if v.kind == "new"}
                used = sorted(c for c in contracts if c in URI_CONTRACTS)
                if not used:
                    continue
                for v in args[-1]:
                    if v.kind == "new" and isinstance(v.data, str):
                        name = used[0].rsplit("$", 1)[-1].rstrip(";")
                        out.setdefault(v.data, []).append((f"ActivityResultContracts.{name}", site))
    return out


def _chooser_target(flow: MethodFlow, values: frozenset[Value]) -> frozenset[Value]:
    """``Intent.createChooser(target, title)``: the target Intent is what gets answered."""
    if len(values) != 1:
        return values
    (v,) = values
    if v.kind == "result" and v.offset is not None:
        ref = v.data
        if ref.class_desc == INTENT and ref.name == "createChooser":  # type: ignore[union-attr]
            args = flow.args_at(v.offset)
            if args:
                return args[0]
    return values


def action_name(action: str) -> str:
    """``android.intent.action.PICK`` -> ``ACTION_PICK`` (the Intent constant's name)."""
    prefix = "android.intent.action."
    if action.startswith(prefix):
        return "ACTION_" + action[len(prefix) :]
    return f'"{action}"'


def _short(method_key: str) -> str:
    """``Lcom/x/Main$1;->onClick(Landroid/view/View;)V`` -> ``Main$1.onClick``."""
    cls, rest = method_key.split("->", 1)
    return f"{cls[1:-1].rsplit('/', 1)[-1]}.{rest.split('(', 1)[0]}"


def _api(api: str) -> str:
    cls, name = api.split("->", 1)
    short = cls[1:-1].rsplit("/", 1)[-1]
    return f"new {short}" if name == "<init>" else f"{short}.{name}"


def _finding(
    ctx: CheckContext,
    theft: Theft,
    exposed: dict[str, str],
    requests: dict[str, list[tuple[str, CodeSite]]],
    callbacks: dict[str, list[tuple[str, CodeSite]]],
) -> Finding | None:
    src = theft.source
    cls = src.method.split("->", 1)[0]
    if src.pi_type == FROM_RESULT:
        registered = callbacks.get(cls, [])
        asked = registered or _requests_of(ctx, cls, requests)
        actions = sorted({a if registered else action_name(a) for a, _ in asked})
        where = sorted({_short(str(s.caller)) for _, s in asked})
        shown = ", ".join(actions[:3])
        origin = (
            f"the result of an implicit {shown} request ({', '.join(where[:2])}), which any "
            "app can answer,",
            f"隐式 {shown} 请求({', '.join(where[:2])})的结果(任何应用都可应答)",
        )
    else:
        outer = cls.split("$", 1)[0].rstrip(";") + ";"
        kind = exposed.get(cls) or exposed.get(outer) or "component"
        name = (outer if outer in exposed else cls)[1:-1].replace("/", ".")
        origin = (
            f"the Intent another app sends to exported {kind} {name}",
            f"其他应用发送给导出组件 {name} 的 Intent",
        )
    places_en = " / ".join(PLACE_TEXT[p][0] for p in theft.places if p in PLACE_TEXT)
    places_zh = " / ".join(PLACE_TEXT[p][1] for p in theft.places if p in PLACE_TEXT)
    via = ", ".join(_api(a) for a in theft.place_apis[:2])
    opened, opened_in = _api(theft.opened.api), _short(theft.opened.method)
    copied, copied_in = _api(theft.copy.api), _short(theft.copy.method)
    message = Text(
        f"A URI from {origin[0]} is opened with this app's identity ({opened} in {opened_in}) "
        f"and its content copied to {places_en} ({copied} in {copied_in}; {via}) without "
        "checking its authority or scheme: another app can have this app's private files "
        "copied out",
        f"来自{origin[1]}的 URI 以本应用身份被打开({opened_in} 中的 {opened}),其内容被复制到"
        f"{places_zh}({copied_in} 中的 {copied};{via}),且未校验 authority 或 scheme:"
        "其他应用可借此取得本应用的私有文件",
    )
    hit = _location(ctx, theft)
    if hit is None:
        return None
    dex, method_idx, offset = hit
    return ctx.method_finding(
        dex, method_idx, offset, message=message, key=f"{theft.opened.method}@{theft.opened.offset}"
    )


def _requests_of(
    ctx: CheckContext, cls: str, requests: dict[str, list[tuple[str, CodeSite]]]
) -> list[tuple[str, CodeSite]]:
    got = list(requests.get(cls, ()))
    for owner, asked in requests.items():
        if owner != cls and ctx.code.is_subtype(owner, cls):
            got.extend(asked)
    return got


def _location(ctx: CheckContext, theft: Theft) -> tuple[DexFile, int, int | None] | None:
    """Where the foreign URI is handed on toward the opener, in the method it entered: the
    call of the next method on the path, the opener itself, or the source."""
    path = theft.path
    while len(path) > 1 and _synthetic(ctx, path[0]):
        path = path[1:]  # a generic bridge (onActivityResult(Object)): its target has the line
    first = path[0] if path else theft.source.method
    found = _method(ctx, first)
    if found is None:
        return None
    dex, method = found
    offset = theft.source.offset
    if len(path) == 1 and theft.opened.method == first:
        offset = theft.opened.offset
    elif len(path) > 1:
        flow_sites = [
            r.offset
            for r in dex.invokes_in(method.method_idx)
            if _calls(ctx, dex.method_ref(r.target), path[1])
        ]
        if flow_sites:
            offset = flow_sites[0]
    return dex, method.method_idx, offset


def _synthetic(ctx: CheckContext, key: str) -> bool:
    found = _method(ctx, key)
    return found is not None and bool(found[1].access_flags & (ACC_BRIDGE | ACC_SYNTHETIC))


def _calls(ctx: CheckContext, ref: MethodRef, key: str) -> bool:
    """Whether an invoke naming ``ref`` can run ``key``: the same method, or an app
    superclass or interface of it (``super.onCreate`` names the framework's, which is not
    the next step when the URI went on by an Intent)."""
    cls, rest = key.split("->", 1)
    if f"{ref.name}{ref.proto}" != rest:
        return False
    if ref.class_desc == cls:
        return True
    return ctx.owner_of(ref.class_desc).kind == "app" and ctx.code.is_subtype(cls, ref.class_desc)


def _method(ctx: CheckContext, key: str) -> tuple[DexFile, MethodDef] | None:
    cls, rest = key.split("->", 1)
    found = ctx.code.find_class(cls)
    if found is None:
        return None
    dex, cdef = found
    for m in cdef.methods:
        ref = dex.method_ref(m.method_idx)
        if f"{ref.name}{ref.proto}" == rest:
            return dex, m
    return None
