"""SQL statements and selections built by concatenating values into the text."""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.facts.values import provenance, provenance_zh
from mobsec.facts.values.sources import IPC, NETWORK, UI_INPUT, describe_kinds, input_kinds
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._common import callee_of, has_variable_part, is_null, site_args
from ._meta import GBT_INPUT
from ._sql import (
    DATABASES,
    QUERY_BUILDER,
    RESOLVERS,
    SELECTION_METHODS,
    STATEMENT_METHODS,
    sql_position,
)

MAX_SQL_SHOWN = 80


@check(
    "android.storage.sql-injection",
    title=("SQL built by string concatenation", "通过字符串拼接构造 SQL"),
    description=(
        "A value that is not a constant is concatenated into the SQL text of rawQuery / "
        "execSQL / compileStatement or into the selection of query / update / delete "
        "(SQLiteDatabase, SQLiteQueryBuilder, and ContentResolver / ContentProviderClient, "
        "whose selection becomes the WHERE clause of the provider's SQL). If "
        "the value comes from the user, another app (Intent extras, a content provider "
        "call) or the network, it can change the statement: read other rows, bypass a "
        "login check, or modify the database. Text only the device's own user types into the "
        "app's own views is kept as an info note (that user already controls the local "
        "database); data from another app or a server is reported with high confidence.",
        "非常量值被拼接进 rawQuery / execSQL / compileStatement 的 SQL 文本,或 query / update "
        "/ delete 的 selection 条件中(SQLiteDatabase、SQLiteQueryBuilder,以及 ContentResolver / "
        "ContentProviderClient,其 selection 会成为内容提供者 SQL 的 WHERE 子句)。若该值来自用户、其他应用(Intent 附加数据、内容提供者"
        "调用)或网络,就能改变语句:读取其他记录、绕过登录校验或修改数据库。仅由设备用户在应用自身界面输入"
        "的文本记为提示信息(该用户本就能控制本地数据库);来自其他应用或服务器的数据以高置信度报告。",
    ),
    remediation=(
        "Keep the SQL text constant and pass values as bind arguments ('?' placeholders with "
        "selectionArgs / bindArgs), or use Room with parameterised queries.",
        "保持 SQL 文本为常量,值通过绑定参数传入(使用 '?' 占位符和 selectionArgs / bindArgs),"
        "或使用 Room 的参数化查询。",
    ),
    severity=Severity.HIGH,
    confidence=Confidence.MEDIUM,
    cwe=[89],
    masvs=["MASVS-CODE-4"],
    owasp=["M4"],
    gbt_34975=[GBT_INPUT],
)
def sql_injection(ctx: CheckContext) -> Iterator[Finding]:
    for db, name in _sql_methods():
        for site in ctx.code.call_sites(db, name):
            ref = callee_of(site)
            pos = None if ref is None else sql_position(name, ref.proto, db)
            if pos is None:
                continue
            args = site_args(site)
            if args is None or len(args) <= pos:
                continue
            built = [r for r in ctx.facts.values.arg(site, pos) if has_variable_part(r.value)]
            if not built:
                continue
            # The value analysis returns its answers in set order; the message names the
            # first, so order them or the same APK gets a different message on each run.
            built.sort(key=lambda r: (_shape(r.value), provenance(r)))
            shown = _shape(built[0].value)
            kinds = frozenset().union(*(input_kinds(r, ctx.facts.hierarchy) for r in built))
            source_en, source_zh = describe_kinds(kinds)
            severity = confidence = None
            if kinds == {UI_INPUT}:
                # The device's own user typing into the app's own database: not
                # injection by another party (kept as a note, out of the default view).
                severity, confidence = Severity.INFO, Confidence.LOW
            elif kinds & {IPC, NETWORK}:
                confidence = Confidence.HIGH
            source_en = f"; from {source_en}" if source_en else ""
            source_zh = f";来自{source_zh}" if source_zh else ""
            where = where_zh = ""
            if db in RESOLVERS:
                where, where_zh = (
                    " (selection sent to a content provider)",
                    "(发往内容提供者的 selection)",
                )
            no_args = no_args_zh = ""
            if name in SELECTION_METHODS and len(args) > pos + 1 and is_null(args[pos + 1]):
                no_args, no_args_zh = " (no selectionArgs)", "(未使用 selectionArgs)"
            yield ctx.code_finding(
                site,
                key=name,
                severity=severity,
                confidence=confidence,
                message=Text(
                    f"{name}: SQL built by concatenation{where}: {shown}{no_args}{source_en}"
                    f"{provenance(built[0])}",
                    f"{name}:SQL 由拼接构造{where_zh}:{shown}{no_args_zh}{source_zh}"
                    f"{provenance_zh(built[0])}",
                ),
            )


def _sql_methods() -> Iterator[tuple[str, str]]:
    """(class, method) pairs whose SQL text or selection the check reads."""
    for db in DATABASES:
        for name in STATEMENT_METHODS + SELECTION_METHODS:
            yield db, name
    for resolver in RESOLVERS:
        for name in ("query", "update", "delete"):
            yield resolver, name
    yield QUERY_BUILDER, "query"


def _shape(v) -> str:
    """'SELECT * FROM t WHERE u = \\'' + <input> + '\\'' for the message."""
    out = []
    for p in v.data:
        t = p.text()
        out.append(repr(t) if t is not None else "<value>")
    s = " + ".join(out)
    return s if len(s) <= MAX_SQL_SHOWN else s[: MAX_SQL_SHOWN - 1] + "…"
