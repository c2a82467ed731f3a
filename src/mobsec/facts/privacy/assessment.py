"""The 191 认定方法 assessed statically: for each of the 31 scenarios, what the package shows.

Every scenario gets one result, never silence:

``violation-suspected``
    static evidence points at the scenario (with the evidence list; ``heuristic`` when
    the evidence is indirect, e.g. a read reachable from ``Application.onCreate``);
``compliant-statically``
    what static analysis can check was checked and found nothing (``heuristic`` again
    says how far that goes — a run may still show a problem);
``not-assessed-statically``
    the scenario needs a dynamic run, manual review, server evidence, or an input we do
    not have (``--app-type``, ``--privacy-policy``); ``reason`` says which, and evidence
    that helps the human assessor is still attached;
``not-applicable``
    the scenario cannot arise for this app (e.g. no PI is read at all for 2.3).

The MIIT campaign items with static evidence (337号文, 164号文) are assessed alongside.
Inputs: the "who collects what" facts, the pre-consent reach (:mod:`.early`), the
policy-presence search (:mod:`.presence`), the self-start receivers (:mod:`.autostart`),
and, when given, the app type (:mod:`.app_types`) and the privacy policy (:mod:`.policy`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mobsec.diagnostics import InputError
from mobsec.facts.privacy._scenarios import CATEGORIES, MIIT_ITEMS, SCENARIOS_191
from mobsec.facts.privacy.autostart import AutoStart, auto_start_receivers
from mobsec.facts.privacy.early import ROOT_KIND_ZH, EarlyAccess, early_accesses
from mobsec.facts.privacy.presence import PolicyEvidence, find_policy_evidence
from mobsec.report.model import Text

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts
    from mobsec.facts.owners import FoundSdk
    from mobsec.facts.privacy.app_types import AppType
    from mobsec.facts.privacy.collection import PiAccess, PiCollection
    from mobsec.facts.privacy.policy import PolicyComparison, PolicyDocument

VIOLATION = "violation-suspected"
COMPLIANT = "compliant-statically"
NOT_ASSESSED = "not-assessed-statically"
NOT_APPLICABLE = "not-applicable"
RESULTS = (VIOLATION, COMPLIANT, NOT_ASSESSED, NOT_APPLICABLE)
MAX_EVIDENCE = 20

NEEDS_POLICY = Text(
    "Needs the privacy policy text (--privacy-policy) to compare with what the app does.",
    "需要提供隐私政策文本（--privacy-policy）与应用实际行为比对。",
)
NEEDS_APP_TYPE = Text(
    "Needs the app's type in the necessary-PI rules (--app-type).",
    "需要指定应用在《必要个人信息范围规定》中的类型（--app-type）。",
)


@dataclass(slots=True)
class Evidence:
    kind: str  # pi-access | early-access | policy | policy-sentence | permission | receiver | sdk
    text: Text
    location: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text.to_json(), "location": self.location}


@dataclass(slots=True)
class ScenarioResult:
    id: str
    rules: str  # "191" | "MIIT"
    category: Text | None
    title: Text
    tag: str
    result: str
    heuristic: bool = False
    reason: Text | None = None
    evidence: list[Evidence] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rules": self.rules,
            "category": self.category.to_json() if self.category else None,
            "title": self.title.to_json(),
            "tag": self.tag,
            "needs_review": self.tag == "M",
            "result": self.result,
            "heuristic": self.heuristic,
            "reason": self.reason.to_json() if self.reason else None,
            "evidence": [e.to_json() for e in self.evidence[:MAX_EVIDENCE]],
            "evidence_total": len(self.evidence),
        }


@dataclass(slots=True)
class PrivacyAssessment:
    collection: PiCollection
    early: list[EarlyAccess]
    policy_evidence: list[PolicyEvidence]
    auto_start: list[AutoStart]
    app_type: AppType | None
    policy: PolicyDocument | None
    comparison: PolicyComparison | None
    scenarios: list[ScenarioResult]
    miit: list[ScenarioResult]
    sdks: list[FoundSdk] = field(default_factory=list)  # every SDK the package carries

    def result(self, scenario_id: str) -> ScenarioResult:
        return next(s for s in self.scenarios + self.miit if s.id == scenario_id)

    def to_json(self) -> dict[str, Any]:
        counts = dict.fromkeys(RESULTS, 0)
        for s in self.scenarios:
            counts[s.result] += 1
        return {
            "app_type": self.app_type.to_json() if self.app_type else None,
            "collection": self.collection.to_json(),
            "pre_consent_access": [e.to_json() for e in self.early],
            "policy_in_app": [e.to_json() for e in self.policy_evidence],
            "auto_start": [a.to_json() for a in self.auto_start],
            "policy": self.policy.to_json() if self.policy else None,
            "policy_comparison": self.comparison.to_json() if self.comparison else None,
            "scenarios": [s.to_json() for s in self.scenarios],
            "miit": [s.to_json() for s in self.miit],
            "summary": counts,
        }


def assess_privacy(facts: AppFacts) -> PrivacyAssessment:
    col = facts.pi_collection
    opts = facts.options
    # The app-type rules and the policy reader (with html.parser) load only when asked for.
    app_type = None
    if opts.app_type:
        from mobsec.facts.privacy.app_types import find_app_type

        app_type = find_app_type(opts.app_type)
        if app_type is None:
            facts.diags.warning(
                "privacy.unknown_app_type",
                "",
                f"Unknown app type {opts.app_type!r}; 4.1 is not assessed",
                f"未知的应用类型 {opts.app_type!r}，不评估 4.1",
            )
    policy = comparison = None
    if opts.privacy_policy is not None:
        from mobsec.facts.privacy.policy import compare_policy, parse_policy, read_policy_file

        try:
            data = read_policy_file(opts.privacy_policy)
            policy = parse_policy(data, opts.privacy_policy.name, sdk_catalog=facts.sdk_catalog)
        except InputError as e:  # a bad policy file costs only the policy comparison
            d = e.diagnostic
            facts.diags.error(d.code, opts.privacy_policy.name, d.en, d.zh)
        if policy is not None:
            comparison = compare_policy(policy, col, {f.sdk.id for f in facts.sdks})
    a = PrivacyAssessment(
        collection=col,
        early=early_accesses(facts),
        policy_evidence=find_policy_evidence(facts),
        auto_start=auto_start_receivers(facts.manifest),
        app_type=app_type,
        policy=policy,
        comparison=comparison,
        scenarios=[],
        miit=[],
        sdks=facts.sdks,
    )
    rules = _Rules(a)
    for sid, tag, zh, en, how in SCENARIOS_191:
        base = ScenarioResult(sid, "191", CATEGORIES[int(sid[0])], Text(en, zh), tag, NOT_ASSESSED)
        if isinstance(how, Text):
            base.reason = how
            rules.helpful_evidence(base)
        else:
            getattr(rules, "s" + sid.replace(".", "_"))(base)
        a.scenarios.append(base)
    for mid, tag, zh, en in MIIT_ITEMS:
        base = ScenarioResult(mid, "MIIT", None, Text(en, zh), tag, NOT_ASSESSED)
        getattr(rules, "m" + mid.replace("-", "_").replace(".", "_"))(base)
        a.miit.append(base)
    return a


# -- evidence builders ----------------------------------------------------------------------


def _where(access: PiAccess) -> dict[str, Any]:
    return access.to_json()


def _owner_text(access: PiAccess) -> tuple[str, str]:
    o = access.owner
    if o.kind == "sdk" and o.sdk is not None:
        return f"SDK {o.sdk.name['en']}", f"SDK {o.sdk.name['zh-CN']}"
    if o.kind == "app":
        return "the app's own code", "应用自身代码"
    return f"{o.kind} {o.package}".strip(), f"{o.kind} {o.package}".strip()


def access_evidence(access: PiAccess, kind: str = "pi-access") -> Evidence:
    en_o, zh_o = _owner_text(access)
    s = access.source
    return Evidence(
        kind,
        Text(f"{s.name.en} in {en_o}", f"{zh_o}中调用 {s.name.zh}"),
        _where(access),
    )


def early_evidence(e: EarlyAccess) -> Evidence:
    en_o, zh_o = _owner_text(e.access)
    s = e.access.source
    return Evidence(
        "early-access",
        Text(
            f"{s.name.en} ({en_o}) reached from {e.root} ({e.root_kind}) in {e.depth} call(s)",
            f"{zh_o}的 {s.name.zh} 可从 {e.root}（{ROOT_KIND_ZH.get(e.root_kind, e.root_kind)}）经 {e.depth} 层调用到达",
        ),
        {**_where(e.access), "path": e.path},
    )


class _Rules:
    """One method per assessable scenario: ``s<id>`` for 191, ``m<id>`` for MIIT."""

    def __init__(self, a: PrivacyAssessment) -> None:
        self.a = a
        self.col = a.collection

    # -- helpers ------------------------------------------------------------------------

    def _first_access_per_type(self, types: set[str] | None = None) -> list[Evidence]:
        out = []
        for tid, use in sorted(self.col.uses.items()):
            if types is not None and tid not in types:
                continue
            seen_collectors: set[str] = set()
            for acc in use.accesses:
                if acc.collector not in seen_collectors:
                    seen_collectors.add(acc.collector)
                    out.append(access_evidence(acc))
        return out

    def _sdk_readers(self) -> list[PiAccess]:
        """One access per (PI-related SDK, PI type)."""
        seen: set[tuple[str, str]] = set()
        out = []
        for acc in self.col.accesses():
            sdk = acc.owner.sdk
            if acc.owner.kind != "sdk" or sdk is None or not sdk.pi_related:
                continue
            if acc.confidence == "low":
                continue
            key = (sdk.id, acc.source.pi_type)
            if key not in seen:
                seen.add(key)
                out.append(acc)
        return out

    def helpful_evidence(self, r: ScenarioResult) -> None:
        """Facts that help a human assess a scenario we cannot decide."""
        if r.id == "2.3":
            sensitive = {t for t in self.col.uses if self.col.catalog.types[t].sensitive}
            if not self.col.uses:
                r.result, r.reason = (
                    NOT_APPLICABLE,
                    Text("The app reads no catalogued PI.", "应用未读取目录中的个人信息。"),
                )
            r.evidence = self._first_access_per_type(sensitive)
        elif r.id in ("3.2", "3.3", "4.6"):
            names = self.col.catalog.types  # PI by its name in each language, not its id
            r.evidence = [
                Evidence(
                    "permission",
                    Text(
                        f"{p} opens {', '.join(names[x].name.en if x in names else x for x in t)}",
                        f"{p} 可获取 {'、'.join(names[x].name.zh if x in names else x for x in t)}",
                    ),
                )
                for p, t in self.col.permission_pi_types().items()
            ]
        elif r.id in ("3.6", "5.3"):
            cats = {"3.6": ("advertising", "push"), "5.3": ("social", "mini-program")}[r.id]
            r.evidence = [
                Evidence("sdk", Text(f"SDK {s.sdk.name['en']}", f"SDK {s.sdk.name['zh-CN']}"))
                for s in self.a.sdks
                if s.sdk.category in cats
            ]
        elif r.id == "4.4":
            r.evidence = self._first_access_per_type({"location", "sensors"})

    # -- 191 --------------------------------------------------------------------------------

    def s1_1(self, r: ScenarioResult) -> None:
        r.heuristic = True
        if not self.a.policy_evidence and not self.col.uses and not self.col.permission_pi_types():
            r.result = NOT_APPLICABLE
            r.reason = Text(
                "No privacy policy found, but the app reads no catalogued PI and declares no "
                "PI permission.",
                "未发现隐私政策，但应用未读取目录中的个人信息，也未声明可获取个人信息的权限。",
            )
            return
        if self.a.policy_evidence:
            r.result = COMPLIANT
            r.reason = Text(
                "A privacy policy is referenced in the package; whether it is shown and "
                "contains the collection rules needs review (1.2-1.4).",
                "安装包中有隐私政策的引用；是否展示、是否包含收集使用规则仍需审查（1.2–1.4）。",
            )
            r.evidence = [
                Evidence(
                    "policy", Text(f"{e.kind} {e.where}: {e.text}", f"{e.kind} {e.where}：{e.text}")
                )
                for e in self.a.policy_evidence
            ]
        else:
            r.result = VIOLATION
            r.reason = Text(
                "No privacy-policy text, link, asset or resource string was found in the "
                "package (a policy loaded only from the server is not visible).",
                "安装包中未发现隐私政策文字、链接、资源文件或字符串（仅从服务器加载的政策不可见）。",
            )

    def s2_1(self, r: ScenarioResult) -> None:
        readers = self._sdk_readers()
        cmp = self.a.comparison
        if cmp is None:
            r.reason = NEEDS_POLICY
            r.evidence = [access_evidence(acc, "sdk") for acc in readers]
            r.evidence += self._first_access_per_type()
            return
        r.heuristic = True
        undeclared_sdks = set(cmp.undeclared_sdks)
        r.evidence = [
            access_evidence(acc, "sdk") for acc in readers if acc.owner.sdk.id in undeclared_sdks
        ]  # type: ignore[union-attr]
        for tid in cmp.undeclared_pi:
            t = self.col.catalog.types[tid]
            r.evidence.append(
                Evidence(
                    "policy",
                    Text(
                        f"{t.name.en} is read but the policy does not mention it",
                        f"读取了{t.name.zh}，但隐私政策未提及",
                    ),
                )
            )
        r.result = VIOLATION if r.evidence else COMPLIANT

    def s3_1(self, r: ScenarioResult) -> None:
        r.heuristic = True
        if not self.col.uses:
            r.result = NOT_APPLICABLE
            r.reason = Text("The app reads no catalogued PI.", "应用未读取目录中的个人信息。")
            return
        r.evidence = [early_evidence(e) for e in self.a.early]
        if r.evidence:
            r.result = VIOLATION
            r.reason = Text(
                "PI is read on paths that run before a consent dialog can be answered "
                "(Application, content providers, the launcher's onCreate).",
                "在用户能够响应同意弹窗之前运行的路径上读取了个人信息"
                "（Application、内容提供器、启动页 onCreate）。",
            )
        else:
            r.result = COMPLIANT
            r.reason = Text(
                "No PI read found within two call levels of the pre-consent entry points; "
                "reads through threads, callbacks or reflection need a dynamic run.",
                "在同意前入口点两层调用内未发现个人信息读取；经线程、回调或反射的读取需动态验证。",
            )

    def s3_9(self, r: ScenarioResult) -> None:
        cmp = self.a.comparison
        if cmp is None:
            r.reason = NEEDS_POLICY
            return
        r.heuristic = True
        for tid in cmp.undeclared_pi:
            use = self.col.uses[tid]
            r.evidence.append(access_evidence(use.accesses[0]))
        r.result = VIOLATION if r.evidence else COMPLIANT
        if r.evidence:
            r.reason = Text(
                "PI types read by the code that the policy does not declare.",
                "代码读取了隐私政策未声明的个人信息类型。",
            )

    def s4_1(self, r: ScenarioResult) -> None:
        t = self.a.app_type
        if t is None:
            r.reason = NEEDS_APP_TYPE
            r.evidence = self._first_access_per_type()
            return
        r.heuristic = True
        beyond = self._beyond_necessary(t)
        r.evidence = [access_evidence(acc) for acc in beyond]
        for perm, types in self.col.permission_pi_types().items():
            cats = {self.col.catalog.types[x].necessary_category for x in types}
            if perm in self.col.catalog.dangerous_permissions and not cats & t.necessary_categories:
                r.evidence.append(
                    Evidence(
                        "permission",
                        Text(
                            f"{perm} is declared; none of what it opens is necessary for "
                            f"type {t.number} {t.name.en}",
                            f"声明了 {perm}，其可获取的信息均不属于第 {t.number} 类{t.name.zh}的必要个人信息",
                        ),
                    )
                )
        r.result = VIOLATION if r.evidence else COMPLIANT
        r.reason = Text(
            f"Compared with the necessary PI of type {t.number} {t.name.en}; collection for "
            "extended functions with separate consent is allowed, so each item needs review.",
            f"已与第 {t.number} 类{t.name.zh}的必要个人信息比对；扩展功能经单独同意可收集，"
            "逐项需复核。",
        )

    def _beyond_necessary(self, t: AppType) -> list[PiAccess]:
        out = []
        for tid, use in sorted(self.col.uses.items()):
            if self.col.catalog.types[tid].necessary_category in t.necessary_categories:
                continue
            seen: set[str] = set()
            for acc in use.accesses:
                if acc.collector not in seen and acc.confidence != "low":
                    seen.add(acc.collector)
                    out.append(acc)
        return out

    def s5_1(self, r: ScenarioResult) -> None:
        readers = self._sdk_readers()
        r.heuristic = True
        if not readers:
            r.result = COMPLIANT
            r.reason = Text(
                "No catalogued third-party SDK reads PI in the client.",
                "客户端中未发现目录内的第三方 SDK 读取个人信息。",
            )
            return
        early = [e for e in self.a.early if e.access.owner.kind == "sdk"]
        r.evidence = [early_evidence(e) for e in early] + [
            access_evidence(acc, "sdk") for acc in readers
        ]
        if early:
            r.result = VIOLATION
            r.reason = Text(
                "Third-party SDKs read PI on paths that run before consent.",
                "第三方 SDK 在同意前运行的路径上读取个人信息。",
            )
        else:
            r.reason = Text(
                "Third-party SDKs read PI in the client; whether that happens only after "
                "consent needs a dynamic run.",
                "第三方 SDK 在客户端读取个人信息；是否仅在同意后发生需动态验证。",
            )

    def s6_5(self, r: ScenarioResult) -> None:
        p = self.a.policy
        if p is None:
            r.reason = NEEDS_POLICY
            return
        r.heuristic = True
        if p.complaint_channel:
            r.result = COMPLIANT
            r.evidence = [Evidence("policy-sentence", Text(s, s)) for s in p.complaint_channel[:3]]
            r.reason = Text(
                "The policy names a complaint or contact channel; handling times need review.",
                "隐私政策公布了投诉或联系渠道；处理时限需审查。",
            )
        else:
            r.result = VIOLATION
            r.reason = Text(
                "The policy names no complaint, report or contact channel.",
                "隐私政策未公布投诉、举报或联系渠道。",
            )

    # -- MIIT ------------------------------------------------------------------------------

    def m337_1(self, r: ScenarioResult) -> None:
        self.s3_1(r)

    def m337_2(self, r: ScenarioResult) -> None:
        if self.a.app_type is None:
            r.reason = NEEDS_APP_TYPE
            return
        self.s4_1(r)

    def m337_3(self, r: ScenarioResult) -> None:
        wanted = {t for t, x in self.col.catalog.types.items() if x.group == "device-identifier"}
        wanted.add("installed-apps")
        readers = [a for a in self._sdk_readers() if a.source.pi_type in wanted]
        r.heuristic = True
        r.evidence = [access_evidence(acc, "sdk") for acc in readers]
        if readers:
            r.result = VIOLATION
            r.reason = Text(
                "Third-party SDKs read device identifiers or the installed-app list; "
                "whether the user agreed to sharing needs review.",
                "第三方 SDK 读取设备识别信息或应用列表；是否经用户同意共享需审查。",
            )
        else:
            r.result = COMPLIANT
            r.reason = Text(
                "No third-party SDK reads device identifiers or the installed-app list.",
                "未发现第三方 SDK 读取设备识别信息或应用列表。",
            )

    def m337_7(self, r: ScenarioResult) -> None:
        self.m337_2(r)
        r.evidence = [e for e in r.evidence if e.kind == "permission"]
        if r.result == VIOLATION and not r.evidence:
            r.result = COMPLIANT

    def m164_2_2(self, r: ScenarioResult) -> None:
        r.heuristic = True
        r.evidence = [
            Evidence(
                "receiver",
                Text(
                    f"{x.component.name} is started by {', '.join(x.actions)}",
                    f"{x.component.name} 可被 {', '.join(x.actions)} 唤起",
                ),
                {"file": "AndroidManifest.xml", "line": x.component.line},
            )
            for x in self.a.auto_start
        ]
        if r.evidence:
            r.result = VIOLATION
            r.reason = Text(
                "Receivers let the system start the app without the user (self-start / "
                "associated start); how often needs a dynamic run.",
                "存在可被系统广播唤起的接收器（自启动/关联启动）；频率需动态验证。",
            )
        else:
            r.result = COMPLIANT
            r.reason = Text(
                "No manifest receiver for boot, unlock, network or package events.",
                "清单中没有监听开机、解锁、网络或应用安装事件的接收器。",
            )
