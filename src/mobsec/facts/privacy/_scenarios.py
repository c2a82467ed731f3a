"""The 31 scenarios of the 191 认定方法 and the MIIT campaign items, as data.

Texts follow ../shared/docs/regulations.md; ``tag`` "V" = checked against a copy of the
text, "M" = wording not checked (``needs_review``). ``static`` says what static analysis
can contribute: "assess" (a rule in :mod:`.assessment`), or the reason it cannot.
"""

from __future__ import annotations

from mobsec.report.model import Text

DYNAMIC = Text(
    "Needs a dynamic run of the app (UI flow, timing or frequency of collection).",
    "需要动态运行应用（界面流程、收集时机或频率）才能判定。",
)
MANUAL = Text(
    "Needs manual review (policy wording, UI design, or operator processes).",
    "需要人工审查（政策文字、界面设计或运营流程）。",
)
SERVER = Text(
    "Happens on the operator's servers or in its processes; not visible in the package.",
    "发生在运营者服务器或业务流程中，安装包中不可见。",
)

CATEGORIES = {
    1: Text("Collection and use rules not published", "未公开收集使用规则"),
    2: Text(
        "Purpose, method and scope of collection and use not stated explicitly",
        "未明示收集使用个人信息的目的、方式和范围",
    ),
    3: Text("PI collected and used without the user's consent", "未经用户同意收集使用个人信息"),
    4: Text(
        "Necessity principle violated: PI unrelated to the service collected",
        "违反必要原则，收集与其提供的服务无关的个人信息",
    ),
    5: Text("PI provided to others without consent", "未经同意向他人提供个人信息"),
    6: Text(
        "No deletion/correction function as the law requires, or no complaint channel",
        "未按法律规定提供删除或更正个人信息功能，或未公布投诉、举报方式等信息",
    ),
}

# (id, tag, zh, en, how static analysis contributes: "assess" or a reason Text)
SCENARIOS_191: list[tuple[str, str, str, str, str | Text]] = [
    (
        "1.1",
        "V",
        "App中没有隐私政策，或者隐私政策中没有收集使用个人信息规则",
        "No privacy policy in the app, or no collection and use rules in it",
        "assess",
    ),
    (
        "1.2",
        "V",
        "在App首次运行时未通过弹窗等明显方式提示用户阅读隐私政策等收集使用规则",
        "No prominent prompt (e.g. a pop-up) to read the rules on first run",
        DYNAMIC,
    ),
    (
        "1.3",
        "V",
        "隐私政策等收集使用规则难以访问，如进入App主界面后，需多于4次点击等操作才能访问到",
        "Rules hard to reach (more than 4 taps from the main screen)",
        DYNAMIC,
    ),
    (
        "1.4",
        "V",
        "隐私政策等收集使用规则难以阅读，如文字过小过密、颜色过淡、模糊不清，或未提供简体中文版等",
        "Rules hard to read (tiny, dense, faint or blurred text, or no Simplified Chinese version)",
        MANUAL,
    ),
    (
        "2.1",
        "V",
        "未逐一列出App（包括委托的第三方或嵌入的第三方代码、插件）收集使用个人信息的目的、方式、范围等",
        "Purpose, method and scope not listed one by one, including entrusted third parties and embedded third-party code, plug-ins and SDKs",
        "assess",
    ),
    (
        "2.2",
        "V",
        "收集使用个人信息的目的、方式、范围发生变化时，未以适当方式通知用户",
        "Users not notified properly when purpose, method or scope change",
        MANUAL,
    ),
    (
        "2.3",
        "V",
        "在申请打开可收集个人信息的权限，或申请收集用户身份证号、银行账号、行踪轨迹等个人敏感信息时，未同步告知用户其目的，或者目的不明确、难以理解",
        "Purpose not stated (or unclear) when requesting PI permissions or sensitive PI",
        DYNAMIC,
    ),
    (
        "2.4",
        "V",
        "有关收集使用规则的内容晦涩难懂、冗长繁琐，用户难以理解",
        "Rules obscure, lengthy and hard to understand",
        MANUAL,
    ),
    (
        "3.1",
        "V",
        "征得用户同意前就开始收集个人信息或打开可收集个人信息的权限",
        "PI collected, or PI permissions opened, before the user consents",
        "assess",
    ),
    (
        "3.2",
        "V",
        "用户明确表示不同意后，仍收集个人信息或打开可收集个人信息的权限，或频繁征求用户同意、干扰用户正常使用",
        "PI collected after the user refused, or consent requested repeatedly",
        DYNAMIC,
    ),
    (
        "3.3",
        "V",
        "实际收集的个人信息或打开的可收集个人信息权限超出用户授权范围",
        "PI collected or permissions opened beyond what the user authorised",
        DYNAMIC,
    ),
    (
        "3.4",
        "V",
        "以默认选择同意隐私政策等非明示方式征求用户同意",
        "Consent obtained implicitly, e.g. a pre-ticked box",
        DYNAMIC,
    ),
    (
        "3.5",
        "V",
        "未经用户同意更改其设置的可收集个人信息权限状态，如App更新时自动将用户设置的权限恢复到默认状态",
        "Permission settings changed without consent (e.g. reset on update)",
        DYNAMIC,
    ),
    (
        "3.6",
        "V",
        "利用用户个人信息和算法定向推送信息，未提供非定向推送信息的选项",
        "Targeted push based on PI and algorithms without a non-targeted option",
        DYNAMIC,
    ),
    (
        "3.7",
        "V",
        "以欺诈、诱骗等不正当方式误导用户同意收集个人信息或打开可收集个人信息的权限",
        "Consent obtained by fraud or deception, or the real purpose hidden",
        MANUAL,
    ),
    (
        "3.8",
        "V",
        "未向用户提供撤回同意收集个人信息的途径、方式",
        "No way to withdraw consent",
        DYNAMIC,
    ),
    (
        "3.9",
        "V",
        "违反其所声明的收集使用规则，收集使用个人信息",
        "PI collected or used against the app's own declared rules",
        "assess",
    ),
    (
        "4.1",
        "M",
        "收集的个人信息类型或打开的可收集个人信息权限与现有业务功能无关",
        "PI types collected or permissions opened unrelated to existing functions",
        "assess",
    ),
    (
        "4.2",
        "M",
        "因用户不同意收集非必要个人信息或打开非必要权限，拒绝提供业务功能",
        "Function refused because the user declined non-necessary PI or permissions",
        DYNAMIC,
    ),
    (
        "4.3",
        "M",
        "App新增业务功能申请收集的个人信息超出用户原有同意范围，若用户不同意，则拒绝提供原有业务功能，新增业务功能取代原有业务功能的除外",
        "New function needs more PI and the old function is refused without it",
        DYNAMIC,
    ),
    (
        "4.4",
        "M",
        "收集个人信息的频度等超出业务功能实际需要",
        "PI collected more often than the functions need",
        DYNAMIC,
    ),
    (
        "4.5",
        "M",
        "仅以改善服务质量、提升用户体验、定向推送信息、研发新产品等为由，强制要求用户同意收集个人信息",
        "Consent forced only for service improvement, experience, targeted push or R&D",
        MANUAL,
    ),
    (
        "4.6",
        "M",
        "要求用户一次性同意打开多个可收集个人信息的权限，用户不同意则无法使用",
        "Several PI permissions must be granted at once or the app cannot be used",
        DYNAMIC,
    ),
    (
        "5.1",
        "M",
        "既未经用户同意，也未做匿名化处理，App客户端直接向第三方提供个人信息，包括通过客户端嵌入的第三方代码、插件等方式向第三方提供个人信息",
        "PI provided to third parties directly from the client (incl. embedded SDKs) without consent or anonymisation",
        "assess",
    ),
    (
        "5.2",
        "M",
        "既未经用户同意，也未做匿名化处理，数据传输至App后台服务器后，向第三方提供其收集的个人信息",
        "PI provided to third parties from the back end without consent or anonymisation",
        SERVER,
    ),
    (
        "5.3",
        "M",
        "App接入第三方应用，未经用户同意，向第三方应用提供个人信息",
        "PI provided to connected third-party apps without consent",
        DYNAMIC,
    ),
    (
        "6.1",
        "M",
        "未提供有效的更正、删除个人信息及注销用户账号功能",
        "No effective correction, deletion or account-cancellation function",
        DYNAMIC,
    ),
    (
        "6.2",
        "M",
        "为更正、删除个人信息或注销用户账号设置不必要或不合理条件",
        "Unnecessary or unreasonable conditions for correction, deletion or cancellation",
        MANUAL,
    ),
    (
        "6.3",
        "M",
        "虽提供了更正、删除个人信息及注销用户账号功能，但未及时响应用户相应操作，需人工处理的，未在承诺时限内（承诺时限不得超过15个工作日，无承诺时限的，以15个工作日为限）完成核查和处理",
        "Requests not handled in time (15 working days at most)",
        SERVER,
    ),
    (
        "6.4",
        "M",
        "更正、删除个人信息或注销用户账号等用户操作已执行完毕，但App后台并未完成的",
        "Done in the front end but not in the back end",
        SERVER,
    ),
    (
        "6.5",
        "M",
        "未建立并公布个人信息安全投诉、举报渠道，或未在承诺时限内（承诺时限不得超过15个工作日，无承诺时限的，以15个工作日为限）受理并处理的",
        "No published complaint channel, or complaints not handled in time (15 working days)",
        "assess",
    ),
]

# MIIT items with static evidence: (id, tag, zh, en)
MIIT_ITEMS: list[tuple[str, str, str, str]] = [
    ("337-1", "V", "私自收集个人信息", "PI collected without the user's knowledge"),
    ("337-2", "V", "超范围收集个人信息", "PI collected beyond scope (scope or frequency)"),
    (
        "337-3",
        "V",
        "私自共享给第三方（设备识别信息、常用软件应用列表等）",
        "PI shared with third parties without consent (device identifiers, installed-app list...)",
    ),
    ("337-7", "V", "过度索取权限", "Excessive permissions requested"),
    (
        "164-2.2",
        "M",
        "APP频繁自启动和关联启动",
        "App starts itself or is started by association frequently",
    ),
]
