"""Does a manifest receiver's ``onReceive`` read anything from the intent but its action?

A receiver whose filters name only platform broadcasts can still be sent an explicit intent
by any app. When ``onReceive`` uses the intent only to ask its action (no extras, data,
clip data, and the intent handed to no other method), such an intent carries nothing the
receiver reads: another app can only make it do what the system event does. Unknown (the
method is inherited, or could not be analysed) counts as reading.
"""

from __future__ import annotations

from mobsec.facts.app import AppFacts
from mobsec.facts.dataflow import method_flow

ON_RECEIVE = ("onReceive", "(Landroid/content/Context;Landroid/content/Intent;)V")
INTENT = "Landroid/content/Intent;"
INTENT_PARAM = 1  # onReceive(Context, Intent): declared parameter 1
ACTION_ONLY = {"getAction"}


def reads_intent_data(facts: AppFacts, component: str) -> bool:
    """True unless ``component``'s own onReceive provably asks the intent only its action."""
    found = facts.code.find_class("L" + component.replace(".", "/") + ";")
    if found is None:
        return True
    dex, cls = found
    method = next(
        (
            m
            for m in cls.methods
            if m.code_off
            and dex.pools.method_name(m.method_idx) == ON_RECEIVE[0]
            and dex.pools.method_proto(m.method_idx) == ON_RECEIVE[1]
        ),
        None,
    )
    flow = None if method is None else method_flow(dex, method)
    if flow is None or not flow.complete:
        return True
    for call in flow.invokes():
        for pos, values in enumerate(flow.args_at(call.offset)):
            if not any(v.kind == "param" and v.data == INTENT_PARAM for v in values):
                continue
            if pos == 0 and call.callee.class_desc == INTENT and call.callee.name in ACTION_ONLY:
                continue
            return True  # an extra, the data, or the intent passed on: its content is used
    return False
