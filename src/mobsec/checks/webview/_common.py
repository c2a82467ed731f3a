"""What the WebView checks share: which classes are WebViews, how to reach their call sites,
and how to read the values data flow says reach an argument.

Apps often call WebView methods through their own subclass (``invoke-virtual
Lcom/app/MyWebView;->loadUrl``), so a query for ``Landroid/webkit/WebView;`` alone misses
them: :func:`calls` asks for the framework class *and* every app-defined subtype. Tencent's
X5 engine (``com.tencent.smtt.sdk``), common in Chinese apps, mirrors the framework API
method for method, so its classes are queried the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mobsec.checks.context import java_name
from mobsec.facts.dataflow import MethodFlow, Value, method_flow
from mobsec.ingest.dex import CodeSite, DexSet

if TYPE_CHECKING:
    from mobsec.checks.context import CheckContext
    from mobsec.facts.manifest import Component

WEBVIEW = ("Landroid/webkit/WebView;", "Lcom/tencent/smtt/sdk/WebView;")
WEB_SETTINGS = ("Landroid/webkit/WebSettings;", "Lcom/tencent/smtt/sdk/WebSettings;")
WEBVIEW_CLIENT = ("Landroid/webkit/WebViewClient;", "Lcom/tencent/smtt/sdk/WebViewClient;")
WEB_CHROME_CLIENT = ("Landroid/webkit/WebChromeClient;", "Lcom/tencent/smtt/sdk/WebChromeClient;")

# GB/T 34975-2017 areas this area serves (clause numbers as the rest of the catalog uses them).
GBT_WEBVIEW = "5.3.6 WebView 组件安全 / WebView component security"
GBT_INPUT = "5.3.5 输入验证 / input validation"

MAX_SUBTYPES = 2000  # a bound on the hierarchy walk; real apps have a few dozen WebView types


def subtypes(code: DexSet, bases: Iterable[str]) -> list[str]:
    """``bases`` and every class the app defines below them (breadth first, bounded)."""
    out: list[str] = []
    seen: set[str] = set()
    todo = list(bases)
    while todo and len(out) < MAX_SUBTYPES:
        desc = todo.pop(0)
        if desc in seen:
            continue
        seen.add(desc)
        out.append(desc)
        todo.extend(code.subclasses(desc))
    return out


def calls(
    code: DexSet, bases: Iterable[str], name: str, proto: str | None = None
) -> list[CodeSite]:
    """Call sites of ``name`` invoked through any of ``bases`` or their app subtypes."""
    out: list[CodeSite] = []
    for desc in subtypes(code, bases):
        out.extend(code.call_sites(desc, name, proto))
    return out


def flow_of(site: CodeSite) -> MethodFlow | None:
    method = site.dex.method_by_idx(site.caller_idx)
    return method_flow(site.dex, method) if method is not None else None


def args_of(site: CodeSite) -> list[frozenset[Value]]:
    """Values of each argument of the invoke at ``site`` (receiver first); [] if unknown."""
    flow = flow_of(site)
    return flow.args_at(site.offset) if flow is not None else []


def arg(site: CodeSite, position: int) -> frozenset[Value]:
    values = args_of(site)
    return values[position] if 0 <= position < len(values) else frozenset()


def can_be_true(values: Iterable[Value]) -> bool:
    """A constant non-zero (``true``) reaches the argument on at least one path."""
    return any(v.kind == "const" and v.data != 0 for v in values)


def can_be_int(values: Iterable[Value], wanted: int) -> bool:
    return any(v.kind == "const" and v.data == wanted for v in values)


def fields_read(values: Iterable[Value]) -> set[tuple[str, str]]:
    """(class descriptor, field name) of every static/instance field value among ``values``."""
    out = set()
    for v in values:
        if v.kind == "field":
            f = v.data
            out.add((f.class_desc, f.name))  # type: ignore[union-attr]
    return out


def class_of(values: Iterable[Value]) -> str | None:
    """The class of an object argument, when data flow knows it (new-instance or ``this``)."""
    for v in values:
        if v.kind in ("new", "this") and isinstance(v.data, str):
            return v.data
        if v.kind == "field":
            return v.data.type_desc  # type: ignore[union-attr]
    return None


def exported_component(ctx: CheckContext, class_desc: str) -> Component | None:
    """The exported manifest component whose code ``class_desc`` is (or is nested in).

    Inner classes (``Main$1``, a listener or WebViewClient inside the activity) handle the
    component's input too, so the outer class decides.
    """
    m = ctx.manifest
    if m is None:
        return None
    name = java_name(class_desc).split("$", 1)[0]
    for c in m.components:
        if c.exported and c.enabled and c.name == name:
            return c
    return None
