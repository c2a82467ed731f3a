"""Does an exported component's entry method refuse intents it does not expect?

The shape recognised (javac's, one method): a value read from the intent — its action, an
extra, the data URI or its scheme/host — is compared with a constant or looked up in a
collection (``"com.x.GO".equals(action)``, ``ALLOWED.contains(action)``,
``"example.com".equals(uri.getHost())``), the result decides an ``if``, and the refusing
branch only logs, sets a result code or finishes before it returns. Everything the method
does before that ``if`` must be reading the intent or logging: a comparison made after an
effect, or one whose refusing branch goes on to the effect anyway ("compared, then done
regardless"), is no guard. Dispatch chains (``else if``) and checks inside helpers are not
recognised: a guard is missed, never invented. A constant check is a weak guard (any app can
put the expected action or host in its intent): the finding stays, lowered, and names it.
"""

from __future__ import annotations

from mobsec.checks.manifest._guards import exported_entry_methods
from mobsec.facts.app import AppFacts
from mobsec.facts.dataflow import method_flow
from mobsec.facts.dataflow.analysis import INVOKES, MethodFlow

ENTRY = {"onReceive", "onStartCommand", "onHandleIntent", "onCreate", "onNewIntent", "onStart"}
INTENT = "Landroid/content/Intent;"
URI = "Landroid/net/Uri;"
BUNDLE = "Landroid/os/Bundle;"
STRING = "Ljava/lang/String;"
# Calls whose result is still the caller's data when their receiver is.
DERIVING = {
    INTENT: None,  # every Intent getter (getAction, getStringExtra, getData, getExtras...)
    URI: None,  # getHost, getScheme, getPath, getQueryParameter...
    BUNDLE: None,
    STRING: frozenset({"toLowerCase", "toUpperCase", "trim"}),
}
COMPARE = frozenset(
    {"equals", "equalsIgnoreCase", "contains", "containsKey", "startsWith", "endsWith", "matches"}
)
# What the method may do before the comparison, and the refusing branch before returning.
QUIET_CLASSES = frozenset({"Landroid/util/Log;", INTENT, URI, BUNDLE, STRING, "Ljava/lang/Object;"})
QUIET_NAMES = frozenset(
    {
        "getIntent",
        "setResultCode",
        "finish",
        "stopSelf",
        "abortBroadcast",
        "onCreate",  # super.onCreate(state)
        "onStartCommand",
        "valueOf",
        "append",
        "toString",
        "<init>",
    }
)
MOVE_RESULT = 0x0A
IF_ZERO = (0x38, 0x39)  # if-eqz, if-nez
RETURNS = (0x0E, 0x0F, 0x10, 0x11)
GOTO = (0x28, 0x29, 0x2A)
MAX_STEPS = 64


def intent_guard(facts: AppFacts, component: str) -> tuple[str, str] | None:
    """(entry method name, how it validates the intent before acting), or None."""
    guards = facts.memo(("manifest", "intent guards"), lambda: _all(facts))
    return guards.get(component)


def _all(facts: AppFacts) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for component, name, dex, method in exported_entry_methods(facts):
        if name not in ENTRY or component in out:
            continue
        flow = method_flow(dex, method)
        if flow is None or not flow.complete:
            continue
        got = _guard(flow)
        if got is not None:
            out[component] = (name, got)
    return out


def _quiet(callee) -> bool:
    return callee.class_desc in QUIET_CLASSES or callee.name in QUIET_NAMES


def _guard(flow: MethodFlow) -> str | None:
    derived: set[int] = set()  # offsets of invokes whose result is the caller's data
    for call in flow.invokes():
        if _is_derived(flow, call, derived):
            derived.add(call.offset)
            continue
        if call.callee.name in COMPARE:
            what = _validation(flow, call, derived)
            if what is not None and _refuses(flow, call.offset):
                return what
        if not _quiet(call.callee):
            return None  # something happens before any check of the intent


def _has(values, derived: set[int]) -> bool:
    return any(v.kind == "result" and v.offset in derived for v in values)


def _is_derived(flow: MethodFlow, call, derived: set[int]) -> bool:
    names = DERIVING.get(call.callee.class_desc, frozenset())
    if call.callee.class_desc == INTENT and call.callee.name == "<init>":
        return False
    if names is not None and call.callee.name not in names:
        return False
    if call.is_static:
        return False
    args = flow.args_at(call.offset)
    if not args:
        return False
    receiver = args[0]
    if call.callee.class_desc == INTENT:
        # the intent the framework hands over (a parameter) or getIntent()'s result
        return any(
            v.kind == "param" or (v.kind == "result" and getattr(v.data, "name", "") == "getIntent")
            for v in receiver
        )
    return _has(receiver, derived)


def _validation(flow: MethodFlow, call, derived: set[int]) -> str | None:
    """``"constant".equals(value)``, ``ALLOWED.contains(value)``: what is compared."""
    args = flow.args_at(call.offset)
    if len(args) < 2:
        return None
    receiver, other = args[0], args[1]
    if _has(receiver, derived) == _has(other, derived):
        return None  # both or neither side is the caller's data
    fixed = other if _has(receiver, derived) else receiver
    consts = sorted(v.data for v in fixed if v.kind == "string")
    if consts:
        return f'{call.callee.name}("{consts[0]}")'
    if any(v.kind in ("field", "new") for v in fixed):
        return f"{call.callee.name}(allow-list)"
    return None


def _refuses(flow: MethodFlow, offset: int) -> bool:
    """The comparison's result decides an ``if`` whose "no match" branch only returns."""
    cfg = flow.cfg
    i = cfg.by_pc[offset]
    if i + 2 >= len(cfg.insns):
        return False
    move, branch = cfg.insns[i + 1], cfg.insns[i + 2]
    if move.op != MOVE_RESULT or branch.op not in IF_ZERO or branch.regs[0] != move.regs[0]:
        return False
    # if-eqz jumps when the comparison failed; if-nez falls through when it failed
    refused = branch.target if branch.op == IF_ZERO[0] else branch.pc + branch.size
    return _only_returns(flow, refused)


def _only_returns(flow: MethodFlow, pc: int | None) -> bool:
    cfg = flow.cfg
    steps = 0
    while pc is not None and steps < MAX_STEPS:
        steps += 1
        i = cfg.by_pc.get(pc)
        if i is None:
            return False
        insn = cfg.insns[i]
        if insn.op in RETURNS:
            return True
        if insn.op in GOTO:
            pc = insn.target
            continue
        if insn.op in INVOKES and not _quiet(flow.dex.method_ref(insn.idx)):
            return False
        if insn.target is not None or insn.payload is not None:
            return False  # another branch: not a plain refusal
        pc = insn.pc + insn.size
    return False
