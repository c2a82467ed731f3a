"""The vulnerability life cycle as one explicit state machine.

Every change of a case's state goes through :func:`step` (called only by ``actions.py``),
which checks that the action is allowed from the current state and for the actor's part on
the case. The legal guards (``guards.py``) are checked by the actions *before* ``step``;
this module knows only the shape of the life cycle::

    received ─triage→ triaged ─assign→ verifying ─confirm→ confirmed ─notify_vendor→
    vendor_notified ─acknowledge→ fixing ─mark_fixed→ fixed ─disclose→ disclosed
    (reject / mark_duplicate from received, triaged, verifying; withdraw before confirmed;
    a case may also be disclosed from confirmed, vendor_notified or fixing when the agreed
    date has passed or a joint assessment is recorded: guards.publication_blockers decides)

``disclose`` is owned here: the disclosure app never writes ``state`` itself, it calls
``vulns.actions.disclose``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    RECEIVED = "received", _("received")
    TRIAGED = "triaged", _("triaged")
    VERIFYING = "verifying", _("verifying")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    DUPLICATE = "duplicate", _("duplicate")
    VENDOR_NOTIFIED = "vendor_notified", _("vendor notified")
    FIXING = "fixing", _("fixing")
    FIXED = "fixed", _("fixed (verified)")
    DISCLOSED = "disclosed", _("disclosed")
    WITHDRAWN = "withdrawn", _("withdrawn")


FINAL = frozenset({State.REJECTED, State.DUPLICATE, State.DISCLOSED, State.WITHDRAWN})
# Confirmed and not yet public: the vendor's clock runs, details are embargoed.
OPEN_WITH_VENDOR = frozenset({State.CONFIRMED, State.VENDOR_NOTIFIED, State.FIXING})

# A person's part on a case (``access.parts``): what the transitions below are allowed for.
REPORTER = "reporter"
COORDINATOR = "coordinator"
VERIFIER = "verifier"
VENDOR = "vendor"
SYSTEM = "system"  # the platform itself: a re-scan that shows the fix


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: an event that keeps the state (recorded in the trail)
    parts: frozenset[str]


def _t(action: str, sources, target, *parts: str) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(parts))


_PRE_VERIFIED = (State.RECEIVED, State.TRIAGED, State.VERIFYING)
_WITH_VENDOR = (State.VENDOR_NOTIFIED, State.FIXING)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("triage", [State.RECEIVED], State.TRIAGED, COORDINATOR),
        _t("assign", [State.TRIAGED, State.VERIFYING], State.VERIFYING, COORDINATOR),
        _t("reject", _PRE_VERIFIED, State.REJECTED, COORDINATOR, VERIFIER),
        _t("mark_duplicate", _PRE_VERIFIED, State.DUPLICATE, COORDINATOR, VERIFIER),
        _t("withdraw", _PRE_VERIFIED, State.WITHDRAWN, REPORTER, COORDINATOR),
        _t("record_verification", [State.VERIFYING], None, VERIFIER),
        _t("confirm", [State.VERIFYING], State.CONFIRMED, VERIFIER),
        _t("notify_vendor", [State.CONFIRMED], State.VENDOR_NOTIFIED, COORDINATOR, VERIFIER),
        _t("acknowledge", [State.VENDOR_NOTIFIED], State.FIXING, VENDOR),
        _t("dispute", _WITH_VENDOR, None, VENDOR),
        _t("request_extension", _WITH_VENDOR, None, VENDOR),
        _t("grant_extension", _WITH_VENDOR, None, COORDINATOR),
        _t("set_vendor", [State.VERIFYING, State.CONFIRMED, *_WITH_VENDOR], None, COORDINATOR),
        _t("report_fix", _WITH_VENDOR, State.FIXING, VENDOR),
        _t("upload_fix", _WITH_VENDOR, State.FIXING, VENDOR, VERIFIER),
        _t("fix_not_verified", [State.FIXING], None, SYSTEM, VERIFIER),
        _t("remind", _WITH_VENDOR, None, SYSTEM),
        _t("escalate", _WITH_VENDOR, None, SYSTEM),
        _t("mark_fixed", [*_WITH_VENDOR], State.FIXED, SYSTEM, VERIFIER),
        _t("set_disclosure_date", [State.CONFIRMED, *_WITH_VENDOR, State.FIXED], None, COORDINATOR),
        _t("set_mitigation", [State.CONFIRMED, *_WITH_VENDOR, State.FIXED], None, COORDINATOR),
        _t("record_joint_assessment", [State.CONFIRMED, *_WITH_VENDOR], None, COORDINATOR),
        _t(
            "national_report",
            [State.CONFIRMED, *_WITH_VENDOR, State.FIXED],
            None,
            VENDOR,
            COORDINATOR,
        ),
        _t("disclose", [State.CONFIRMED, *_WITH_VENDOR, State.FIXED], State.DISCLOSED, COORDINATOR),
    )
}


class InvalidTransition(Exception):
    """The action is not possible from the case's state, or not for this part."""

    def __init__(self, action: str, state: str, parts: frozenset[str] | set[str]) -> None:
        t = TRANSITIONS.get(action)
        if t is None:
            en, zh = f"Unknown action {action!r}.", f"未知的操作 {action!r}。"
        elif state not in t.sources:
            en = f"{action!r} is not possible in state {state!r}."
            zh = f"状态 {state!r} 下不能执行 {action!r}。"
        else:
            en = f"Your part on the case does not allow {action!r}."
            zh = f"您在此案件中的身份不允许执行 {action!r}。"
        super().__init__(en)
        self.action, self.state, self.en, self.zh = action, state, en, zh


def next_state(action: str, state: str, parts: set[str] | frozenset[str]) -> str:
    """The state after ``action`` by someone with ``parts``; raises InvalidTransition."""
    t = TRANSITIONS.get(action)
    if t is None or state not in t.sources or not (t.parts & set(parts)):
        raise InvalidTransition(action, state, frozenset(parts))
    return t.target or state


def actions_from(state: str, parts: set[str] | frozenset[str]) -> list[str]:
    """The actions someone with ``parts`` may attempt now (guards may still refuse)."""
    return [a for a, t in TRANSITIONS.items() if state in t.sources and t.parts & set(parts)]
