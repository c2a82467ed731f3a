"""Is the app's own code obfuscated? One informational finding per app, either way.

MASVS-RESILIENCE-3 asks for obfuscation; a reviewer wants to know whether the code they
are about to read was renamed (R8/ProGuard, DexGuard) and how thoroughly. The measure is
the share of the app's own classes (owner "app", or "unknown": the owner resolver calls a
package made only of 1-2 character segments, R8's output, "unknown" because it cannot
tell whose code it is) whose simple name is 1-2 characters: ``a``, ``b0``, ``a.b.c``.
Readable apps have almost none (``R``, ``BR`` and ``BuildConfig`` are generated and excluded), renamed ones most
(R8 keeps the manifest's components and whatever the keep rules name, so even a fully
shrunk app stays below 100 %).

Only class names are looked at: one pass over the class index, no instruction read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mobsec.checks.code._common import GBT_RESILIENCE
from mobsec.checks.context import CheckContext, java_name
from mobsec.checks.registry import check
from mobsec.report.model import Confidence, Finding, Severity, Text

OWN_KINDS = ("app", "unknown")
# At or above this share of short names the app counts as obfuscated. R8 on a typical app
# renames well over half of the classes; a readable app stays in the low percents.
OBFUSCATED_RATIO = 0.4
# Below this many own classes the ratio says little (one renamed helper in five classes).
FEW_CLASSES = 10
SHORT_NAME = 2
GENERATED = frozenset({"R", "BR", "BuildConfig"})  # aapt, data binding, Gradle
EXAMPLES = 5


@dataclass
class NameCensus:
    """The app's own classes counted by whether their names look renamed."""

    own: int = 0
    short: int = 0
    short_examples: list[str] | None = None
    readable_examples: list[str] | None = None

    @property
    def ratio(self) -> float:
        return self.short / self.own if self.own else 0.0

    @property
    def obfuscated(self) -> bool:
        return self.own > 0 and self.ratio >= OBFUSCATED_RATIO


def outer_simple_name(descriptor: str) -> str:
    """``Lcom/a/b$c;`` -> ``b``: the top-level class's own name (inner classes follow it)."""
    body = descriptor[1:-1] if descriptor.startswith("L") and descriptor.endswith(";") else ""
    return body.rsplit("/", 1)[-1].split("$", 1)[0]


def is_short_name(descriptor: str) -> bool:
    """A 1-2 character top-level class name that is not a generated one (``R``)."""
    name = outer_simple_name(descriptor)
    return 0 < len(name) <= SHORT_NAME and name not in GENERATED


def census(descriptors: Iterable[str], owner_kind) -> NameCensus:
    """Count own classes (``owner_kind(desc)`` in OWN_KINDS) and the short-named ones."""
    c = NameCensus(short_examples=[], readable_examples=[])
    for desc in sorted(descriptors):
        if outer_simple_name(desc) in GENERATED or owner_kind(desc) not in OWN_KINDS:
            continue
        c.own += 1
        if is_short_name(desc):
            c.short += 1
            if len(c.short_examples) < EXAMPLES and "$" not in desc:
                c.short_examples.append(java_name(desc))
        elif len(c.readable_examples) < EXAMPLES and "$" not in desc:
            c.readable_examples.append(java_name(desc))
    return c


@check(
    "android.code.obfuscation",
    title=("Code obfuscation (informational)", "代码混淆情况(提示信息)"),
    description=(
        "Whether the app's own classes carry renamed, meaningless names (R8/ProGuard or a "
        "commercial obfuscator), with the share of such classes and examples. Obfuscation "
        "does not fix a weakness, but without it the code reads like source, which makes "
        "finding secrets, protocols and protection checks to patch out cheaper. SDK code "
        "is not counted.",
        "应用自有类是否使用了无意义的短名称(R8/ProGuard 或商业混淆工具),给出此类类的比例和示例。"
        "混淆不能修复漏洞,但未混淆的代码如同源码,攻击者更容易找到密钥、协议和可被修改绕过的保护"
        "逻辑。第三方 SDK 的代码不计入。",
    ),
    remediation=(
        "Enable R8 (minifyEnabled true) for release builds with narrow keep rules; for "
        "code that protects assets or licences consider a commercial obfuscator.",
        "正式版启用 R8(minifyEnabled true)并尽量收窄 keep 规则;对保护资产或授权的代码可考虑"
        "商业混淆工具。",
    ),
    severity=Severity.INFO,
    confidence=Confidence.MEDIUM,
    cwe=[656],
    masvs=["MASVS-RESILIENCE-3"],
    owasp=["M7"],
    gbt_34975=GBT_RESILIENCE,
)
def obfuscation(ctx: CheckContext) -> Iterator[Finding]:
    owners = ctx.facts.owners
    c = census(ctx.code.classes.keys(), lambda d: owners.owner_of(d).kind)
    if c.own == 0:
        return  # no own code (or no DEX): nothing to say about it
    pct = f"{c.ratio:.0%}"
    if c.obfuscated:
        en = f"obfuscated: yes, {c.short} of {c.own} own classes ({pct}) have 1-2 letter names"
        zh = f"已混淆:{c.own} 个自有类中 {c.short} 个({pct})为 1-2 个字符的短名称"
    else:
        en = f"obfuscated: no, {c.short} of {c.own} own classes ({pct}) have 1-2 letter names"
        zh = f"未混淆:{c.own} 个自有类中仅 {c.short} 个({pct})为 1-2 个字符的短名称"
    evidence = [f"own classes (owner app/unknown): {c.own}", f"short names: {c.short} ({pct})"]
    if c.short_examples:
        evidence.append("short-named, e.g.: " + ", ".join(c.short_examples))
    if c.readable_examples:
        evidence.append("readable, e.g.: " + ", ".join(c.readable_examples))
    yield ctx.file_finding(
        "",
        evidence="\n".join(evidence),
        message=Text(en, zh),
        key="yes" if c.obfuscated else "no",
        confidence=Confidence.LOW if c.own < FEW_CLASSES else None,
    )
