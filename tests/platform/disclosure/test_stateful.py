"""Hypothesis drives the advisory side of a case — draft, edit (the reproduction steps
pasted in included), review, publish, revise — mixed with the vendor's and the desk's
actions, the freeze and a moving clock, by any person. After every step:

- an advisory is published exactly when its case is disclosed, under the same id, and the
  id exists only then (a refused publication uses up nothing);
- a disclosed case has a verified fix, a passed agreed date or a joint assessment, a
  mitigation and a national report, and was not disclosed while a freeze was on;
- no public output (page text, CSAF, CVE) carries the reproduction steps.

Everything goes through ``disclosure.actions`` and ``vulns.actions``; refusals (UserError,
GuardError) are expected, anything else fails the test."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from mobsec.platform.accounts.models import Organisation
from mobsec.platform.core.errors import UserError
from mobsec.platform.disclosure import actions, documents
from mobsec.platform.disclosure.models import Advisory
from mobsec.platform.vulns import actions as vulns_actions
from mobsec.platform.vulns import fixes, guards, roles
from mobsec.platform.vulns.models import Vulnerability

from .conftest import T0, add_user

pytestmark = pytest.mark.django_db
PEOPLE = ("coordinator", "verifier", "reporter", "vendor", "admin")
REPRODUCTION = "Run mitmproxy with a self-signed CA, open the app, read the token."
BASE = "https://vulns.example"
OUTCOMES: set[str] = set()  # over all examples: the test checks publication was reached


class AdvisoryLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()  # every example is rolled back at teardown

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    @initialize()
    def case(self) -> None:
        desk = fixes.desk_organisation()
        vendor_org = Organisation.objects.create(name="Vendor Co")
        unit = Organisation.objects.create(name="Unit")
        self.p = {
            "coordinator": add_user("h-coordinator", desk, roles.COORDINATOR.id),
            "verifier": add_user("h-verifier", desk, roles.VERIFIER.id),
            "reporter": add_user("h-reporter", unit, roles.REPORTER.id),
            "vendor": add_user("h-vendor", vendor_org, "vendor"),
            "admin": add_user("h-admin", desk, "platform_admin"),
        }
        sub = vulns_actions.Submission(package_name="com.vendor.app", title="Token in the clear",
                                       description="The app sends its token over HTTP.",
                                       cwe="CWE-319", reproduction=REPRODUCTION,
                                       app_version="1.0")  # fmt: skip
        vuln, _, _ = vulns_actions.submit(sub, reporter=self.p["reporter"], now=T0)
        c = self.p["coordinator"]
        vulns_actions.triage(vuln, c, now=T0)
        vulns_actions.assign(vuln, c, self.p["verifier"], now=T0)
        vulns_actions.record_verification(vuln, self.p["verifier"], "seen in a proxy", now=T0)
        vulns_actions.confirm(vuln, self.p["verifier"],
                              cvss31="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", now=T0)  # fmt: skip
        vulns_actions.set_vendor(vuln, c, vendor_org, now=T0)
        vulns_actions.notify_vendor(vuln, c, now=T0)
        self.pk = vuln.pk
        self.now = T0 + timedelta(hours=1)
        self.frozen = False

    def _v(self) -> Vulnerability:
        return Vulnerability.objects.get(pk=self.pk)

    def _a(self) -> Advisory | None:
        return Advisory.objects.filter(vulnerability_id=self.pk).first()

    def _try(self, f, *args, **kwargs):
        try:
            with transaction.atomic():
                return f(*args, **kwargs)
        except UserError:  # GuardError is one
            return None

    @rule()
    def desk_prepares(self):
        """The lawful path in one step, each part by the right person (any may be refused
        by now: the others' rules run in between)."""
        self.vendor_fix("vendor")
        self.fixed_by_hand("verifier")
        self.national_report("coordinator")
        self.draft("coordinator")
        self.review("coordinator")

    @rule(hours=st.integers(1, 24 * 40))
    def time_passes(self, hours):
        self.now += timedelta(hours=hours)

    @rule(who=st.sampled_from(PEOPLE))
    def draft(self, who):
        self._try(actions.draft, self._v(), self.p[who])

    @rule(who=st.sampled_from(PEOPLE), field=st.sampled_from(["description_en", "impact_zh",
          "mitigation_en", "title_zh", "solution_zh"]),
          text=st.sampled_from(["", "Clear text.", "明文。", REPRODUCTION, "x" * 300]))  # fmt: skip
    def edit(self, who, field, text):
        a = self._a()
        if a is not None:
            self._try(actions.update, a, self.p[who], {field: text})

    @rule(who=st.sampled_from(PEOPLE))
    def review(self, who):
        a = self._a()
        if a is not None:
            self._try(actions.review, a, self.p[who], BASE, now=self.now)

    @rule(who=st.sampled_from(PEOPLE))
    def publish(self, who):
        a = self._a()
        if a is not None and self._try(actions.publish, a, self.p[who], BASE, now=self.now):
            OUTCOMES.add("published")
            assert not self.frozen, "published while a freeze was on"

    @rule(who=st.sampled_from(PEOPLE), text=st.sampled_from(["CVE id added", REPRODUCTION]))
    def revise(self, who, text):
        a = self._a()
        if a is not None:
            self._try(actions.revise, a, self.p[who], {"impact_en": text}, "revision", BASE,
                      now=self.now)  # fmt: skip

    @rule(who=st.sampled_from(PEOPLE))
    def vendor_fix(self, who):
        v = self._v()
        self._try(vulns_actions.acknowledge, v, self.p[who], now=self.now)
        self._try(vulns_actions.report_fix, self._v(), self.p[who], "1.1",
                  "Update to 1.1.", now=self.now)  # fmt: skip

    @rule(who=st.sampled_from(PEOPLE))
    def fixed_by_hand(self, who):
        self._try(vulns_actions.mark_fixed, self._v(), self.p[who], "checked 1.1", now=self.now)

    @rule(who=st.sampled_from(PEOPLE))
    def national_report(self, who):
        self._try(vulns_actions.produce_national_report, self._v(), self.p[who], now=self.now)

    @rule(who=st.sampled_from(PEOPLE), days=st.integers(-5, 30))
    def agreed_date(self, who, days):
        self._try(vulns_actions.set_disclosure_date, self._v(), self.p[who],
                  self.now + timedelta(days=days), "agreed with the vendor", now=self.now)  # fmt: skip

    @rule(on=st.booleans())
    def freeze(self, on):
        if self._try(vulns_actions.set_freeze, self.p["admin"], on, "order 1", now=self.now):
            self.frozen = on

    @invariant()
    def published_exactly_when_disclosed(self):
        if not hasattr(self, "pk"):
            return
        v, a = self._v(), self._a()
        published = a is not None and a.status == Advisory.Status.PUBLISHED
        assert published == (v.state == "disclosed")
        if a is not None:
            assert (a.advisory_id is not None) == published
        if published:
            assert a.advisory_id == v.advisory_ref
            lawful = (v.fixed_at is not None
                      or (v.agreed_disclosure_at is not None
                          and v.agreed_disclosure_at <= v.disclosed_at)
                      or v.joint_assessments.exists())  # fmt: skip
            assert lawful and v.mitigation.strip() and v.national_report_at is not None
            public = json.dumps([documents.render(a, f, BASE) for f in ("csaf", "csaf-zh")],
                                ensure_ascii=False)  # fmt: skip
            public += "".join(a.text(n, lang) for n in actions.TEXT_FIELDS for lang in ("en", "zh"))
            assert REPRODUCTION not in public
            assert not guards.public_output_blockers(v, public)


def test_no_sequence_publishes_unlawfully():
    OUTCOMES.clear()
    run_state_machine_as_test(
        AdvisoryLife,
        settings=settings(max_examples=25, stateful_step_count=20, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow]),
    )  # fmt: skip
    assert "published" in OUTCOMES  # the machine really reaches publication
