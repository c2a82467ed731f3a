"""Task hijacking (StrandHogg-style): activities that can be moved into, or share, a task
another app controls.

An activity's task affinity defaults to the application's, which defaults to the package
name. A non-default affinity puts the activity in a task keyed by a string any app can
claim; ``allowTaskReparenting`` lets an activity move to whichever task has its affinity
when that task comes to the front. The recommended hardening is ``taskAffinity=""`` on the
application, which these checks accept.
"""

from __future__ import annotations

from collections.abc import Iterator

from mobsec.checks.context import CheckContext
from mobsec.checks.manifest._common import GBT_COMPONENTS
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

_NEW_TASK_MODES = ("singleTask", "singleInstance", "singleInstancePerTask")
_ACTIVITY_KINDS = ("activity", "activity-alias")


@check(
    "android.manifest.task-affinity",
    title=("Non-default task affinity", "非默认任务亲和性(taskAffinity)"),
    description=(
        "An activity (or the application, for all its activities) declares a taskAffinity "
        "other than the app's package. Tasks are matched by that string, which any app can "
        "also declare: a malicious app can place its own screens into the task (phishing "
        "over the real app, StrandHogg), or receive the app's activities into its own task. "
        "With launchMode singleTask/singleInstance the activity starts its own task under "
        "that affinity, which makes this easier.",
        "Activity(或整个应用)声明了与包名不同的 taskAffinity。任务栈按该字符串匹配,而任何应用"
        "都可声明相同的值:恶意应用可把自己的界面放入该任务栈(覆盖在真实应用之上钓鱼,即 "
        "StrandHogg),或把本应用的 Activity 收入自己的任务栈。launchMode 为 singleTask/"
        "singleInstance 时,Activity 会以该亲和性新建任务,风险更大。",
    ),
    remediation=(
        'Set android:taskAffinity="" on the application (and do not give activities other '
        "affinities) unless the app really needs several tasks; keep launchMode standard "
        "where possible.",
        '除非确实需要多个任务栈,否则在 application 上设置 android:taskAffinity="",不为 Activity '
        "指定其他亲和性;尽量保持 launchMode 为 standard。",
    ),
    severity=Severity.LOW,
    confidence=Confidence.MEDIUM,
    cwe=[1021],
    masvs=["MASVS-PLATFORM-3"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENTS],
    references=["https://developer.android.com/privacy-and-security/risks/strandhogg"],
)
def task_affinity(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    app = m.application
    default = app.task_affinity if app.task_affinity is not None else m.package
    if app.task_affinity and app.task_affinity != m.package:
        yield ctx.manifest_finding(
            line=app.line,
            subject="application",
            message=Text(
                f'the application sets android:taskAffinity="{app.task_affinity}" for all '
                f"its activities",
                f'application 为其全部 Activity 设置了 android:taskAffinity="{app.task_affinity}"',
            ),
        )
    for c in m.components:
        if c.kind not in _ACTIVITY_KINDS or not c.enabled:
            continue
        affinity = c.task_affinity
        if affinity is None or affinity == "" or affinity in (m.package, default):
            continue
        new_task = c.launch_mode in _NEW_TASK_MODES
        mode = f" with launchMode {c.launch_mode}" if new_task else ""
        mode_zh = f",launchMode 为 {c.launch_mode}" if new_task else ""
        yield ctx.manifest_finding(
            line=c.line,
            subject=c.name,
            owner_class=c.name,
            severity=Severity.MEDIUM if new_task else Severity.LOW,
            message=Text(
                f'activity {c.name} sets android:taskAffinity="{affinity}"{mode}',
                f'Activity {c.name} 设置了 android:taskAffinity="{affinity}"{mode_zh}',
            ),
        )


@check(
    "android.manifest.task-reparenting",
    title=("Activity allows task reparenting", "Activity 允许任务重定位(allowTaskReparenting)"),
    description=(
        'android:allowTaskReparenting="true" lets the activity move from the task that '
        "started it to the task of its affinity when that task comes to the front. A "
        "malicious app that declares the same affinity can pull the activity, and what it "
        "shows, into its own task (StrandHogg).",
        'android:allowTaskReparenting="true" 允许 Activity 在其亲和任务栈回到前台时从启动它的'
        "任务栈迁移过去。声明相同亲和性的恶意应用可把该 Activity 及其显示的内容拉入自己的任务栈"
        "(StrandHogg)。",
    ),
    remediation=(
        'Remove android:allowTaskReparenting (or set it to false) and set android:taskAffinity="" '
        "on the application.",
        "删除 android:allowTaskReparenting(或设为 false),并在 application 上设置 "
        'android:taskAffinity=""。',
    ),
    severity=Severity.MEDIUM,
    confidence=Confidence.MEDIUM,
    cwe=[1021],
    masvs=["MASVS-PLATFORM-3"],
    owasp=["M8"],
    gbt_34975=[GBT_COMPONENTS],
    references=["https://developer.android.com/privacy-and-security/risks/strandhogg"],
)
def task_reparenting(ctx: CheckContext) -> Iterator[Finding]:
    m = ctx.manifest
    if m is None:
        return
    for c in m.components:
        if c.kind in _ACTIVITY_KINDS and c.enabled and c.allow_task_reparenting:
            yield ctx.manifest_finding(
                line=c.line,
                subject=c.name,
                owner_class=c.name,
                message=Text(
                    f'activity {c.name} sets android:allowTaskReparenting="true"',
                    f'Activity {c.name} 设置了 android:allowTaskReparenting="true"',
                ),
            )
