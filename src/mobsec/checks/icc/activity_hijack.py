"""Activities started with an implicit Intent of the app's own action: activity hijacking.

An Intent with only an action goes to whichever installed activity declares that action in
an intent filter. For the platform's actions (``android.intent.action.*``, pickers,
cameras, settings) that is the point: the user picks a handler, and the result is treated
as coming from anyone. For an action the app made up (``com.example.action.LOGIN``) the
developer means one of *their own* activities, but any app can declare the same filter:
it then receives the extras the Intent carries (credentials, tokens), or — with
``startActivityForResult`` — answers in place of the real screen with a result the app
trusts. Reported: such an Intent carrying extras whose name or value looks sensitive, or
started for a result. Platform actions are not reported (they are meant for other apps).
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.registry import check
from mobsec.checks.storage._common import ACTIVITY, CONTEXT, site_args, site_flow
from mobsec.checks.storage._meta import GBT_COMPONENT
from mobsec.checks.storage._sensitive import name_is_sensitive, sensitive_source
from mobsec.ingest.dex import CodeSite
from mobsec.report.model import Confidence, Finding, Severity, Text

from ._intents import IntentShape, intent_shape

STARTS = (
    (CONTEXT, "startActivity"),
    (ACTIVITY, "startActivityForResult"),
    (ACTIVITY, "startActivityIfNeeded"),
)
FOR_RESULT = ("startActivityForResult", "startActivityIfNeeded")
# Actions of the platform and its system apps: meant to reach other apps' activities.
PLATFORM_ACTION_PREFIXES = ("android.", "com.android.", "com.google.android.")


@check(
    "android.icc.implicit-activity-hijack",
    title=(
        "Activity started with an implicit Intent of the app's own action",
        "使用应用自定义 action 的隐式 Intent 启动 Activity",
    ),
    description=(
        "startActivity / startActivityForResult receives an Intent with only an action the "
        "app defined itself (no component or package). Any installed app can declare an "
        "activity with the same action: it then receives the extras the Intent carries "
        "(credentials, tokens, personal data), or answers a startActivityForResult in place "
        "of the intended screen with a forged result that the app trusts (activity "
        "hijacking). Platform actions (pickers, camera, settings) are meant for other apps "
        "and are not reported.",
        "startActivity / startActivityForResult 收到的 Intent 只有应用自定义的 action(未设置组件或"
        "包名)。任何已安装的应用都可以声明具有相同 action 的 Activity:它会收到该 Intent 携带的附加"
        "数据(凭证、令牌、个人信息),或在 startActivityForResult 中冒充目标界面返回应用所信任的伪造"
        "结果(Activity 劫持)。平台 action(选择器、相机、设置)本就面向其他应用,不予报告。",
    ),
    remediation=(
        "Start the app's own activities explicitly (new Intent(context, Target.class) or "
        "setPackage(getPackageName())); when another app is meant to answer, set its package "
        "and verify its signature, and never put secrets in the extras of an implicit Intent.",
        "启动本应用的 Activity 时使用显式 Intent(new Intent(context, Target.class) 或 "
        "setPackage(getPackageName()));确需由其他应用处理时,指定其包名并校验其签名,不要在隐式 "
        "Intent 的附加数据中放入机密信息。",
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[927],
    masvs=["MASVS-PLATFORM-1"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENT],
    references=[
        "https://developer.android.com/privacy-and-security/risks/implicit-intent-hijacking"
    ],
)
def implicit_activity_hijack(ctx: CheckContext) -> Iterator[Finding]:
    seen: set[tuple[str, int, int]] = set()
    for cls, name in STARTS:
        for site in ctx.facts.calls.of(cls, name):
            key = (site.dex.name, site.caller_idx, site.offset)
            if key in seen:
                continue
            seen.add(key)
            shape = _shape(ctx, site)
            if shape is None or shape.explicit or not _own_action(shape.action):
                continue
            why = _sensitive_extra(shape)
            if why is None and name not in FOR_RESULT:
                continue
            action = shape.action
            if why is not None:
                message = Text(
                    f'{name} with implicit Intent("{action}") carrying {why[0]}: any app '
                    "declaring the action receives it",
                    f'{name} 使用隐式 Intent("{action}") 携带{why[1]}:声明该动作的任何应用都能收到',
                )
            else:
                message = Text(
                    f'{name} with implicit Intent("{action}"): any app declaring the action '
                    "can answer with a forged result",
                    f'{name} 使用隐式 Intent("{action}"):声明该动作的任何应用都能返回伪造的结果',
                )
            yield ctx.code_finding(
                site,
                key=f"{name}:{action}",
                severity=Severity.HIGH if why is not None else None,
                message=message,
            )


def _shape(ctx: CheckContext, site: CodeSite) -> IntentShape | None:
    args = site_args(site)
    flow = site_flow(site)
    if args is None or flow is None or len(args) < 2:
        return None
    return intent_shape(flow, args[1], ctx.facts.values)


def _own_action(action: str | None) -> bool:
    return bool(action) and not action.startswith(PLATFORM_ACTION_PREFIXES)  # type: ignore[union-attr]


def _sensitive_extra(shape: IntentShape) -> tuple[str, str] | None:
    """(en, zh) naming the first extra that looks like a secret or personal data."""
    for extra in shape.extras:
        if extra.key is not None and name_is_sensitive(extra.key):
            return f'extra "{extra.key}"', f' 附加数据 "{extra.key}"'
        # A labelled value ("...?token=" + t) counts too: the Intent is meant for the app's
        # own screen, so text the code itself calls a token is what leaks.
        s = sensitive_source(extra.values)
        if s is not None:
            return (
                f"{s.what} in extra {extra.key!r}",
                f" 附加数据 {extra.key!r} 中的 {s.zh}",
            )
    return None
