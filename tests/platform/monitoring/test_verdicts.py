"""End to end through the jobs: an official app fingerprinted in the sandbox, candidates
from a local mirror compared through the registry index, verdicts with their evidence,
alerts to the owners, takedown reports; failures with clear errors."""

from __future__ import annotations

import io
import json
import shutil
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mobsec.platform.jobs.models import Job
from mobsec.platform.monitoring import actions, official
from mobsec.platform.monitoring.models import Candidate, Fingerprint, Verdict
from mobsec.platform.notifications.models import Notification
from tests.platform.conftest import upload_file

from .test_intake import run


@pytest.fixture
def registry(world, ingest, django_capture_on_commit_callbacks):
    """dataflow-cases registered by a, owned by the vendor, marked official, fingerprinted."""
    scan = ingest(world.orgs["a"], world.user("tester"), "dataflow-cases")
    app = scan.version.app
    app.owner = world.orgs["vendor"]
    app.save()
    with django_capture_on_commit_callbacks(execute=True):
        official.set_official(world.user("org_admin"), app, official=True, name_zh="数据流",
                              channels=[{"name": "官网", "url": "https://example.com/"}])  # fmt: skip
    job = run(Job.objects.get(kind="monitoring.fingerprint"))
    assert job.state == "done", job.error
    fp = Fingerprint.objects.get(package=scan.package)
    assert fp.document["package"] == app.package_name and fp.format_version == "1"
    return app, scan


def _run_candidate(c: Candidate) -> Candidate:
    job = run(Job.objects.get(public_id=c.job_id))
    assert job.state in ("done", "failed")
    c.refresh_from_db()
    return c


def test_mirror_candidates_get_verdicts_alerts_and_takedowns(
    world, registry, repackaged_apk, counterfeit_apk, fixture_apk, tmp_path, settings, token_client
):
    from mobsec.platform.notifications.actions import add_webhook
    from mobsec.platform.notifications.models import WebhookDelivery

    app, genuine_scan = registry
    add_webhook(world.orgs["a"], "https://hooks.example/mobsec", ["monitoring.verdict"])
    settings.MOBSEC_MONITORING_ROOTS = [str(tmp_path)]
    shutil.copy(repackaged_apk, tmp_path / "dataflow-free.apk")
    shutil.copy(counterfeit_apk, tmp_path / "dataflow-fake.apk")
    shutil.copy(fixture_apk("diff-v1"), tmp_path / "other.apk")
    (tmp_path / "listing.json").write_text(json.dumps({"store": "Mirror Store", "apps": [
        {"file": "dataflow-free.apk", "title": "数据流 免费版", "developer": "Not Us",
         "downloads": 1200},
        {"file": "other.apk", "title": "Versions"},
        {"file": "dataflow-fake.apk", "title": "dataflow"}]}), encoding="utf-8")  # fmt: skip
    source = actions.create_source(world.user("org_admin"), world.orgs["a"], kind="adapter",
                                   adapter="local-mirror", name="Mirror", path=str(tmp_path),
                                   contact="takedown@mirror.example")  # fmt: skip
    assert run(actions.poll(source)).result["added"] == 3
    copy = _run_candidate(Candidate.objects.get(file_name="dataflow-free.apk"))
    other = _run_candidate(Candidate.objects.get(file_name="other.apk"))
    fake = _run_candidate(Candidate.objects.get(file_name="dataflow-fake.apk"))

    assert (copy.state, copy.verdict, copy.package_name) == ("done", "repackaged", app.package_name)
    [v] = copy.verdicts.all()
    assert (v.app, v.version, v.verdict) == (app, genuine_scan.version, "repackaged")
    assert v.confidence >= 0.9
    assert "Lcom/adsdk/injected/Tracker;" in v.comparison["injected"]["classes"]
    signals = {s["id"]: s for s in v.comparison["signals"]}
    assert not signals["certificate"]["matched"] and signals["code"]["matched"]
    assert other.state == "done" and other.verdict == "unrelated"
    assert not other.verdicts.exclude(verdict="unrelated").exists()
    # Another app's code under the genuine name: a counterfeit, the name as its evidence.
    assert (fake.verdict, fake.package_name) == ("counterfeit", "com.example.javabasic")
    fv = fake.verdicts.get()
    fsignals = {s["id"]: s for s in fv.comparison["signals"]}
    assert fsignals["name"]["matched"] and not fsignals["code"]["matched"]
    assert fsignals["name"]["evidence"]["candidate"] == "dataflow"

    # Alerts: the registering organisation's members and the owning vendor's, nobody else.
    alerted = sorted(Notification.objects.filter(kind="monitoring.verdict")
                     .values_list("user__username", "link"))  # fmt: skip
    links = [f"/monitoring/candidates/{c.public_id}/" for c in (copy, fake)]
    assert alerted == sorted((u, link) for u in ("org_admin", "tester", "vendor") for link in links)
    n = Notification.objects.get(user=world.user("vendor"), link=links[0])
    assert "数据流" in n.title_zh and "repackaged" in n.title_en
    # The registering organisation's webhook gets one event per copy found.
    events = WebhookDelivery.objects.filter(event="monitoring.verdict")
    assert sorted(d.payload["verdict"] for d in events) == ["counterfeit", "repackaged"]
    assert {d.payload["channel"] for d in events} == {"Mirror Store"}

    # The vendor reads the evidence and downloads the takedown report, in both languages.
    client = token_client(world.user("vendor"))
    detail = client.get(f"/api/v1/monitoring/candidates/{copy.public_id}/").json()
    assert [d["verdict"] for d in detail["verdicts"]] == ["repackaged"]
    url = f"/api/v1/monitoring/candidates/{copy.public_id}/verdicts/{v.public_id}/takedown/"
    zh = client.get(url, {"lang": "zh-CN", "fmt": "html"})
    assert zh.status_code == 200 and zh["Content-Type"].startswith("text/html")
    html = zh.content.decode()
    assert "Mirror Store" in html and "takedown@mirror.example" in html and "二次打包" in html
    en = client.get(url, {"lang": "en", "fmt": "pdf"})
    assert en.status_code == 200 and en.content.startswith(b"%PDF")
    assert client.get(url, {"lang": "fr", "fmt": "html"}).status_code == 404
    assert token_client(world.user("other_org")).get(url).status_code == 404

    # A job run again (its worker died after writing) leaves the same verdicts.
    from mobsec.platform.monitoring import handlers

    job = Job.objects.get(public_id=copy.job_id)
    handlers.candidate_handler(job, _NoProgress())
    assert list(copy.verdicts.values_list("verdict", flat=True)) == ["repackaged"]


class _NoProgress:
    def __call__(self, *a):
        pass

    def keep_going(self) -> bool:
        return True


def test_the_genuine_package_is_genuine_and_unmarked_apps_leave_the_index(
    world, registry, fixture_apk, django_capture_on_commit_callbacks
):
    app, _scan = registry
    c = actions.submit_upload(world.orgs["b"], world.user("other_org"),
                              upload_file(fixture_apk("dataflow-cases")), {"channel": "X"})  # fmt: skip
    c = _run_candidate(c)
    assert c.verdict == "genuine" and c.verdicts.get().app == app
    assert not Notification.objects.filter(kind="monitoring.verdict").exists()
    # other_org found it, the owners see the verdict on their app; other_org sees its candidate.
    assert actions.visible_candidates(world.user("vendor")).filter(pk=c.pk).exists()
    assert actions.visible_candidates(world.user("other_org")).filter(pk=c.pk).exists()
    # a granted the regulator read access: it reads the verdicts on a's apps too.
    assert actions.visible_candidates(world.user("regulator")).filter(pk=c.pk).exists()
    assert [v.app for v in actions.visible_verdicts(world.user("regulator"), c)] == [app]
    with django_capture_on_commit_callbacks(execute=True):
        official.set_official(world.user("org_admin"), app, official=False)
    c2 = actions.submit_upload(world.orgs["a"], world.user("tester"),
                               upload_file(fixture_apk("dataflow-cases"), "again.apk"))  # fmt: skip
    c2 = _run_candidate(c2)
    assert c2.verdict == "unrelated" and not c2.verdicts.exists()


def test_a_zip_that_is_no_app_fails_with_the_engine_error(world, registry):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not an app")
    c = actions.submit_upload(world.orgs["a"], world.user("tester"),
                              SimpleUploadedFile("fake.apk", buf.getvalue()))  # fmt: skip
    c = _run_candidate(c)
    assert c.state == "failed" and c.verdict == ""
    assert c.error["en"] and c.error["zh"] and "fake.apk" not in str(c.error.get("traceback", ""))
    assert not Verdict.objects.filter(candidate=c).exists()


def test_the_index_grows_in_place_and_is_rebuilt_when_an_app_leaves(
    world, registry, ingest, django_capture_on_commit_callbacks
):
    from mobsec.platform.monitoring.index import registry_index

    app, _scan = registry
    first = registry_index()
    assert len(first) == 1 and registry_index() is first
    other = ingest(world.orgs["a"], world.user("tester"), "taint-cases").version.app
    with django_capture_on_commit_callbacks(execute=True):
        official.set_official(world.user("org_admin"), other, official=True)
    assert run(Job.objects.get(kind="monitoring.fingerprint", state="queued")).state == "done"
    grown = registry_index()
    assert grown is first and len(grown) == 2  # the new version added, nothing re-read
    with django_capture_on_commit_callbacks(execute=True):
        official.set_official(world.user("org_admin"), app, official=False)
    rebuilt = registry_index()
    assert rebuilt is not first and [k for k in rebuilt.keys] == [other.versions.get().pk]
