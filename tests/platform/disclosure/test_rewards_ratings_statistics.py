"""Rewards from the points table, the leaderboard and hall of fame, support units' stars
from the documented formula, and the regulator's statistics (page, CSV, PDF)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.test import Client

from mobsec.platform.accounts.models import Membership, Organisation
from mobsec.platform.disclosure import actions, ratings, rewards, statistics
from mobsec.platform.vulns import actions as vulns_actions
from tests.platform.conftest import PASSWORD

from .conftest import T0, to_vendor, unit_report

CRITICAL = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8
HIGH = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"  # 7.5
MEDIUM = "CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:N/A:N"  # 5.3


@pytest.fixture
def cases(desk):
    """The reporters' unit: reporter (credited "Li Lei") has a critical and a high case and
    a rejected one; reporter2 (no credit) a medium one; one more case confirmed next year."""
    unit = Membership.objects.get(user=desk.reporter).organisation

    def case(user, location, cvss, now=T0, credit=""):
        vuln = unit_report(user, unit, now=now, location=location, credit_name=credit)
        return to_vendor(desk, vuln, now=now, cvss31=cvss)

    critical = case(desk.reporter, "A.java", CRITICAL, credit="Li Lei")
    high = case(desk.reporter, "B.java", HIGH)
    actions.set_quality(high, desk.coordinator, "excellent")
    rejected = unit_report(desk.reporter, unit, location="C.java")
    vulns_actions.triage(rejected, desk.coordinator, now=T0)
    vulns_actions.reject(rejected, desk.coordinator, "not reproducible", now=T0)
    medium = case(desk.other_reporter, "D.java", MEDIUM)
    later = case(desk.other_reporter, "E.java", MEDIUM, now=T0.replace(year=2027))
    return {"unit": unit, "critical": critical, "high": high, "rejected": rejected,
            "medium": medium, "later": later}  # fmt: skip


@pytest.mark.django_db
def test_points_leaderboard_and_hall_of_fame(desk, cases):
    board = rewards.leaderboard(2026)
    assert [(s.username, s.points, s.count) for s in board] == [
        ("reporter", 100 + 60, 2),  # critical/good + high/excellent; the rejected one: 0
        ("reporter2", 20, 1),
    ]
    all_time = rewards.leaderboard(None)
    assert [(s.username, s.points) for s in all_time] == [("reporter", 160), ("reporter2", 40)]
    assert [s.credit_name for s in rewards.hall_of_fame()] == ["Li Lei"]
    anon = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = anon.get(f"/rewards/reporters/{desk.reporter.public_id}/").content.decode()
    assert "Li Lei" in page and ">160<" in page
    # No opt-in, no public profile (and no user name anywhere public).
    assert anon.get(f"/rewards/reporters/{desk.other_reporter.public_id}/").status_code == 404
    mine = rewards.profile(desk.reporter.pk)
    assert mine["total"] == 160
    assert {r["vuln"].public_id: r["points"] for r in mine["rows"]}[
        cases["rejected"].public_id
    ] == 0


@pytest.mark.django_db
def test_points_table_is_configurable(desk, cases, settings):
    settings.MOBSEC_REWARD_POINTS = {"critical": {"excellent": 9, "good": 7, "basic": 1},
                                     "high": {"excellent": 5, "good": 3, "basic": 1},
                                     "medium": {"excellent": 2, "good": 1, "basic": 0},
                                     "low": {"excellent": 1, "good": 0, "basic": 0}}  # fmt: skip
    assert [s.points for s in rewards.leaderboard(2026)] == [7 + 5, 1]
    page = Client().get("/rewards/?year=2026").content.decode()
    assert "<td>9</td><td>7</td><td>1</td>" in page  # the table it was computed from
    assert "Li Lei" in page and "reporter2" not in page  # no name without the opt-in


@pytest.mark.django_db
def test_support_unit_stars_follow_the_formula(desk, cases, settings):
    (r,) = ratings.rate_units(2026)
    assert r.organisation == cases["unit"]
    assert (r.verified, r.invalid, r.score) == (3, 1, 10 + 5 + 2)
    assert r.validity == pytest.approx(0.75) and r.timeliness == 1.0
    assert r.stars == 0  # the default two-star level needs a score of 20
    settings.MOBSEC_SUPPORT_UNIT_RATING = {
        "weights": {"critical": 10, "high": 5, "medium": 2, "low": 1}, "timely_days": 30,
        "verification_factor": 0.5,
        "levels": [{"stars": 4, "score": 15, "validity": 0.8, "timeliness": 0.5},
                   {"stars": 3, "score": 15, "validity": 0.7, "timeliness": 0.5}],
    }  # fmt: skip
    (r,) = ratings.rate_units(2026)
    assert r.stars == 3  # validity 0.75 misses the four-star minimum of 0.8
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/support-units/?year=2026").content.decode()
    assert cases["unit"].name in page and "三星" in page and "<td>0.75</td>" in page


@pytest.mark.django_db
def test_units_also_earn_by_verifying(desk, cases):
    """A unit's verifier confirms another reporter's case: factor × its severity weight."""
    from mobsec.platform.vulns import roles

    from .conftest import add_user, report

    lab = Organisation.objects.create(name="Verifying Lab")
    lab_verifier = add_user("lab-verifier", lab, roles.VERIFIER.id)
    vuln, _, _ = report(desk.other_reporter, location="H.java")
    vulns_actions.triage(vuln, desk.coordinator, now=T0)
    vulns_actions.assign(vuln, desk.coordinator, lab_verifier, now=T0)
    vulns_actions.record_verification(vuln, lab_verifier, "reproduced", now=T0)
    vulns_actions.confirm(vuln, lab_verifier, cvss31=CRITICAL, now=T0)
    rows = {r.organisation.name: r for r in ratings.rate_units(2026)}
    assert (rows["Verifying Lab"].confirmed_for_others, rows["Verifying Lab"].score) == (1, 5.0)
    assert rows[cases["unit"].name].confirmed_for_others == 0  # the desk's verifier: no unit


@pytest.mark.django_db
def test_timeliness_counts_days_to_confirmation(desk, cases, settings):
    settings.MOBSEC_SUPPORT_UNIT_RATING = {**ratings.conf.DEFAULT_RATING, "timely_days": 0}
    late = unit_report(desk.reporter, cases["unit"], location="F.java")
    to_vendor(desk, late, now=T0 + timedelta(days=3))
    late.received_at = T0
    late.save()
    (r,) = ratings.rate_units(2026)
    assert (r.verified, r.timely) == (4, 3)


@pytest.mark.django_db
def test_statistics_counts_medians_overdue(desk, cases):
    now = T0 + timedelta(days=60)
    s = statistics.compute(now, 2026)
    assert s["total"] == 4
    counts = {d: dict(rows) for d, rows in s["counts"].items()}
    assert counts["state"] == {"vendor_notified": 3, "rejected": 1}
    assert counts["severity"] == {"critical": 1, "high": 1, "medium": 1, "unrated": 1}
    assert counts["month"] == {"2026-03": 4}
    assert s["medians"]["verify"] == (pytest.approx(1 / 24, abs=0.05), 3)  # one hour
    assert s["medians"]["fix"] == (None, 0)
    # Deadlines by severity (critical 7, high 30, medium 90 days from notification).
    assert {r["id"] for r in s["overdue"]} == {cases[k].public_id for k in ("critical", "high")}
    s = statistics.compute(T0 + timedelta(days=100), 2026)
    assert {r["id"] for r in s["overdue"]} == {
        cases[k].public_id for k in ("critical", "high", "medium")
    }
    rows = list(csv.reader(io.StringIO(statistics.to_csv(s))))
    assert rows[0] == ["section", "key", "value", "detail"]
    assert ["by_state", "vendor_notified", "3", ""] in rows
    assert sum(1 for r in rows if r[0] == "overdue") == 3


@pytest.mark.django_db
def test_statistics_exports_for_the_regulator(desk, cases, tmp_path):
    client = Client()
    assert client.login(username="regulator", password=PASSWORD)
    r = client.get("/vuln-statistics/export.csv?year=2026")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert "by_severity,critical,1," in r.content.decode()
    page = client.get("/vuln-statistics/?year=2026", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "<td>vendor_notified</td>" not in page.content.decode()  # named, not the id
    r = client.get("/vuln-statistics/export.pdf?year=2026")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        (tmp_path / "s.pdf").write_bytes(r.content)
        text = subprocess.run(["pdftotext", str(tmp_path / "s.pdf"), "-"], capture_output=True,
                              text=True, check=True).stdout  # fmt: skip
        assert "漏洞统计" in text and cases["critical"].public_id in text
    assert client.get("/vuln-statistics/export.xls").status_code == 404
    tester = Client()
    assert tester.login(username="tester", password=PASSWORD)
    assert tester.get("/vuln-statistics/export.csv").status_code == 403


@pytest.mark.django_db
def test_csv_cells_cannot_be_formulas(desk, cases):
    vendor = cases["critical"].vendor
    vendor.name = '=HYPERLINK("http://x")'
    vendor.save()
    out = statistics.to_csv(statistics.compute(T0 + timedelta(days=60), 2026))
    assert "'=HYPERLINK" in out and "\n=HYPERLINK" not in out and ",=HYPERLINK" not in out


@pytest.mark.django_db
def test_best_cases_chosen_by_administrators(desk, cases):
    from .conftest import fixed_case
    from .test_advisories import BASE, NOW, reviewed

    a = actions.publish(reviewed(desk, fixed_case(desk, location="G.java")), desk.coordinator,
                        BASE, now=NOW)  # fmt: skip
    with pytest.raises(Exception) as e:
        actions.feature(desk.coordinator, 2026, 1, a)
    assert getattr(e.value, "status", None) == 403
    actions.feature(desk.world.user("platform_admin"), 2026, 1, a, "Clear report", "报告清晰")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get("/support-units/best-cases/?year=2026")
    assert a.advisory_id in page.content.decode() and "Clear report" in page.content.decode()
