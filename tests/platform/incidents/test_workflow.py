"""The incident workflow through its API with the engine and the job system for real:
creation (advisory / case), the affected-scope snapshot, the signed pack (and refusals),
the fleet re-scan ahead of routine uploads, vendor cases, report, bulletin guards."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from mobsec.platform.incidents import actions, fleet
from mobsec.platform.incidents.models import Event, RescanItem
from mobsec.platform.jobs.models import Job
from mobsec.platform.scans import actions as scans
from mobsec.platform.vulns.machine import State
from tests.platform.conftest import upload_file

from .conftest import ADVISORY, RULE_ID, run_jobs, upload

API = "/api/v1/incidents/"


def test_create_from_advisory_and_timeline(desk, token_client):
    c = token_client(desk["responder"])
    r = c.post(API, ADVISORY, content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["source"] == "advisory" and body["severity"] == "high"
    assert body["cve_ids"] == ["CVE-2026-12345"] and body["cnvd_ids"] == ["CNVD-2026-00001"]
    assert [e["action"] for e in body["timeline"]] == ["created"]
    assert body["timeline"][0]["actor"] == "responder"


@pytest.mark.parametrize(
    "change, code",
    [
        ({"title_en": ""}, "incident.required"),
        ({"title_zh": 5}, "incident.bad_field"),
        ({"description_en": "x\x00y"}, "incident.bad_field"),
        ({"title_en": "t" * 301}, "incident.too_long"),
        ({"cve_ids": ["CVE-26-1"]}, "incident.bad_item"),
        ({"cnvd_ids": [["nested"]]}, "incident.bad_item"),
        ({"refs": ["javascript:alert(1)"]}, "incident.bad_item"),
        ({"refs": ["https://e.org/"] * 21}, "incident.bad_list"),
        ({"cvss31": "CVSS:3.1/AV:X"}, "vulns.bad_cvss"),
        ({"cvss31": ""}, "incident.cvss_required"),
        ({"cwe": "not-a-cwe"}, "vulns.bad_cwe"),
    ],
)
def test_hostile_incident_bodies_are_400(desk, token_client, change, code):
    c = token_client(desk["responder"])
    r = c.post(API, {**ADVISORY, **change}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == code, r.content


@pytest.mark.parametrize("raw", ["[1, 2]", '"text"', "{not json", "null"])
def test_non_object_bodies_are_400(desk, token_client, raw):
    c = token_client(desk["responder"])
    assert c.post(API, raw, content_type="application/json").status_code == 400


def test_from_a_case_needs_its_coordinator(desk, world, token_client):
    from tests.platform.vulns.conftest import report

    vuln, _, _ = report(world.user("tester"))
    c = token_client(desk["responder"])
    r = c.post(API, {**ADVISORY, "vulnerability": vuln.public_id}, content_type="application/json")
    assert r.status_code == 201 and r.json()["vulnerability"] == vuln.public_id
    # An incident coordinator who does not coordinate vulnerabilities cannot reach the case.
    c = token_client(desk["runner_only"])
    r = c.post(API, {**ADVISORY, "vulnerability": vuln.public_id}, content_type="application/json")
    assert r.status_code == 404 and r.json()["code"] == "incident.no_case"


def test_who_reads_and_who_runs(desk, world, incident, token_client):
    detail = f"{API}{incident.public_id}/"
    assert token_client(world.user("regulator")).get(detail).status_code == 200
    r = token_client(world.user("regulator")).post(
        f"{detail}queries/",
        {"kind": "host", "value": "example.com"},
        content_type="application/json",
    )
    assert r.status_code == 403
    for who in ("tester", "vendor", "other_org", "org_admin"):
        assert token_client(world.user(who)).get(detail).status_code == 404, who
        assert token_client(world.user(who)).get(API).status_code == 403, who


def test_timeline_is_append_only(incident):
    e = incident.events.get()
    e.action = "forged"
    with pytest.raises(ValidationError):
        e.save()
    with pytest.raises(ValidationError):
        Event.objects.filter(pk=e.pk).update(action="forged")
    with pytest.raises(ValidationError):
        e.delete()


def test_query_snapshot_reuses_the_inventory(desk, incident, fleet_apps, token_client):
    mine = fleet_apps["affected"].version.inventory.document["apis"]
    theirs = fleet_apps["clean"].version.inventory.document["apis"]
    api = next(f"{cls}.{m}" for cls, ms in sorted(mine.items()) for m in ms
               if m not in theirs.get(cls, []))  # fmt: skip
    c = token_client(desk["responder"])
    r = c.post(f"{API}{incident.public_id}/queries/", {"kind": "api", "value": api},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 201, r.content
    snap = r.json()
    assert snap["count"] == 1
    assert snap["results"][0]["package_name"] == "com.example.versions"
    assert snap["results"][0]["evidence"] == [f"calls {api}"]
    bad = c.post(f"{API}{incident.public_id}/queries/", {"kind": "everything", "value": "x"},
                 content_type="application/json")  # fmt: skip
    assert bad.status_code == 400 and bad.json()["code"] == "inventory.bad_kind"
    actions_seen = [e.action for e in incident.events.all()]
    assert actions_seen == ["created", "query"]


def test_pack_verified_released_and_downloadable(desk, world, incident, signed_pack,
                                                 token_client):  # fmt: skip
    c = token_client(desk["responder"])
    r = c.post(f"{API}{incident.public_id}/packs/", {"file": upload(signed_pack)})
    assert r.status_code == 201, r.content
    pack = r.json()
    assert pack["pack_id"] == "mobsec.incident.test" and pack["rules"] == [RULE_ID]
    download = f"{API}packs/{pack['id']}/download/"
    # Not released yet: testing organisations do not get it.
    assert token_client(world.user("tester")).get(download).status_code == 404
    c = token_client(desk["responder"])  # one test client: its token changes with the user
    r = c.post(f"{API}{incident.public_id}/packs/{pack['id']}/publish/")
    assert r.status_code == 200 and r.json()["published_at"]
    for who in ("tester", "org_admin", "other_org", "regulator"):
        got = token_client(world.user(who)).get(download)
        assert got.status_code == 200, who
        assert b"".join(got.streaming_content) == signed_pack
    assert token_client(world.user("vendor")).get(download).status_code == 404
    page = Client()
    page.force_login(world.user("tester"))
    listed = page.get("/incidents/packs/").content.decode()
    assert pack["sha256"] in listed and "BEGIN PUBLIC KEY" in listed


@pytest.mark.parametrize("tamper", ["changed", "unsigned", "other_key"])
def test_tampered_or_unsigned_pack_refused(desk, incident, tmp_path, token_client, tamper):
    from mobsec.rules.signing import generate_key, sign_pack

    from .conftest import platform_key, write_pack, zip_folder

    root = write_pack(tmp_path / "p")
    if tamper == "changed":
        sign_pack(root, platform_key())
        rules = root / "rules" / "incident.yaml"
        rules.write_text(rules.read_text().replace("severity: high", "severity: low"))
        expected = "modified after signing: rules/incident.yaml"
    elif tamper == "other_key":
        generate_key(tmp_path / "k.pem", tmp_path / "k.pub")
        sign_pack(root, tmp_path / "k.pem")
        expected = "does not verify"
    else:
        expected = "not signed"
    c = token_client(desk["responder"])
    r = c.post(f"{API}{incident.public_id}/packs/", {"file": upload(zip_folder(root))})
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "incident.pack_refused"
    assert expected in r.json()["messages"]["en"] and "pack.zip" in r.json()["messages"]["en"]
    assert "/tmp" not in r.json()["messages"]["en"]  # names the file in the pack, not the server
    assert not incident.packs.exists()


@pytest.mark.parametrize(
    "data, problem",
    [
        (b"not a zip", "not a ZIP archive"),
        ("slip", "unsafe entry name"),
        ("absolute", "unsafe entry name"),
    ],
)
def test_hostile_archives_are_400(desk, incident, token_client, data, problem):
    import io
    import zipfile

    if isinstance(data, str):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr("../evil.yaml" if data == "slip" else "/etc/evil.yaml", "x")
        data = buf.getvalue()
    c = token_client(desk["responder"])
    r = c.post(f"{API}{incident.public_id}/packs/", {"file": upload(data, "evil.zip")})
    assert r.status_code == 400 and problem in r.json()["messages"]["en"], r.content


def _attached(desk, incident, signed_pack):
    pack = actions.attach_pack(incident, desk["responder"], upload(signed_pack))
    actions.publish_pack(incident, desk["responder"], pack.public_id)
    return pack


def test_fleet_rescan_goes_before_routine_uploads(desk, world, incident, fleet_apps,
                                                  signed_pack, fixture_apk):  # fmt: skip
    pack = _attached(desk, incident, signed_pack)
    # A routine upload queued first (interactive priority, as every upload is).
    routine = scans.submit_upload(world.orgs["a"], world.user("tester"),
                                  upload_file(fixture_apk("java-basic")))  # fmt: skip
    rescan = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    assert rescan.total == 2  # both registered apps' latest versions
    order = run_jobs()
    assert order == [fleet.JOB_KIND, fleet.JOB_KIND, "scan"]
    assert Job.objects.get(public_id=routine.job_id).state == "done"
    s = fleet.status(rescan)
    rescan.refresh_from_db()
    assert rescan.finished_at is not None
    assert (s["done"], s["failed"], s["affected"], s["percent"]) == (2, 0, 1, 100.0)
    assert s["throughput_per_minute"] > 0 and s["eta_seconds"] == 0.0
    affected = actions.affected_list(rescan)
    assert [a["package_name"] for a in affected] == ["com.example.versions"]
    assert affected[0]["vendor"] == world.orgs["vendor"].name
    assert affected[0]["evidence"][0]["check_id"] == RULE_ID
    assert "READ_CONTACTS" in affected[0]["evidence"][0]["evidence"]
    assert "rescan_finished" in [e.action for e in incident.events.all()]


def test_second_rescan_runs_on_stored_facts(desk, incident, fleet_apps, signed_pack):
    pack = _attached(desk, incident, signed_pack)
    first = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    run_jobs()
    actions.run_query(incident, desk["responder"],
                      {"kind": "host", "value": "nothing.invalid"})  # fmt: skip
    with pytest.raises(actions.UserError) as e:  # the last snapshot is empty
        actions.start_rescan(incident, desk["responder"], "affected", pack.public_id)
    assert e.value.code == "incident.nothing_to_scan"
    second = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    run_jobs()
    modes = lambda r: sorted(r.items.values_list("mode", flat=True))  # noqa: E731
    assert modes(first) == ["full-scan", "full-scan"]
    assert modes(second) == ["stored-facts", "stored-facts"]
    assert [i.findings[0]["check_id"] for i in fleet.affected_items(second)] == [RULE_ID]
    t_full = sum(i.seconds for i in first.items.all())
    t_stored = sum(i.seconds for i in second.items.all())
    assert t_stored < t_full


def test_routine_scan_stores_facts_the_first_rescan_uses(desk, world, incident, signed_pack,
                                                         fixture_apk):  # fmt: skip
    """Upload → the routine scan job stores the package's facts → the incident's first
    re-scan of that version runs on them (the item's recorded mode, not its time)."""
    from mobsec.platform.registry import store
    from mobsec.platform.scans.models import Scan
    from mobsec.rules.stored import facts_path, load

    pack = _attached(desk, incident, signed_pack)
    scan = scans.submit_upload(world.orgs["a"], world.user("tester"),
                               upload_file(fixture_apk("diff-v1")))  # fmt: skip
    assert run_jobs() == ["scan"]
    scan = Scan.objects.select_related("package").get(pk=scan.pk)
    assert scan.state == Scan.State.DONE
    sha = scan.package.sha256
    path = facts_path(store.facts_dir(), sha)
    assert path.is_file() and load(store.facts_dir(), sha)[0] is not None
    assert str(store.facts_dir()) not in str(scan.report.document)  # no server path shown
    rescan = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    assert rescan.total == 1
    run_jobs()
    item = rescan.items.get()
    assert (item.state, item.mode) == (RescanItem.State.DONE, "stored-facts")
    assert [f["check_id"] for f in item.findings] == [RULE_ID]  # diff-v1 reads the contacts
    assert Event.objects.filter(action="rescan_finished",
                                details__stored_facts=1, details__full_scan=0).exists()  # fmt: skip


def test_facts_on_scan_can_be_switched_off(desk, world, incident, signed_pack, fixture_apk,
                                           settings):  # fmt: skip
    """MOBSEC_FACTS_ON_SCAN=0: routine scans store nothing, the first re-scan is full."""
    from mobsec.platform.registry import store
    from mobsec.platform.scans.models import Scan

    settings.MOBSEC_FACTS_ON_SCAN = False
    pack = _attached(desk, incident, signed_pack)
    scan = scans.submit_upload(world.orgs["a"], world.user("tester"),
                               upload_file(fixture_apk("diff-v1")))  # fmt: skip
    assert run_jobs() == ["scan"]
    assert Scan.objects.get(pk=scan.pk).state == Scan.State.DONE
    assert not list(store.facts_dir().glob("*.facts*"))
    rescan = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    run_jobs()
    assert rescan.items.get().mode == "full-scan"


def test_unreadable_package_fails_its_item_not_the_rescan(desk, incident, fleet_apps,
                                                          signed_pack):  # fmt: skip
    from mobsec.platform.registry import store

    pack = _attached(desk, incident, signed_pack)
    rescan = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    victim = fleet_apps["clean"].version.package.sha256
    path = store.path_for(victim)
    saved = path.read_bytes()
    try:
        path.chmod(0o600)
        path.write_bytes(saved[: len(saved) // 2])  # a truncated APK
        run_jobs()
    finally:
        path.write_bytes(saved)
    s = fleet.status(rescan)
    assert (s["done"], s["failed"], s["queued"], s["affected"]) == (1, 1, 0, 1)
    failed = rescan.items.get(state=RescanItem.State.FAILED)
    assert failed.version.package.sha256 == victim
    assert failed.error["code"] == "incident.incomplete"
    assert "cannot say whether it is affected" in failed.error["en"] and failed.error["zh"]
    # the reason names the file and what is wrong with it, in both languages
    assert "the file is truncated" in failed.error["en"], failed.error["en"]
    assert [e["code"] for e in failed.error["details"]["errors"]] == ["zip.truncated"]
    assert "文件被截断" in failed.error["zh"], failed.error["zh"]


def test_damaged_stored_facts_fail_the_item_naming_the_file(desk, incident, fleet_apps,
                                                            signed_pack):  # fmt: skip
    from mobsec.platform.registry import store
    from mobsec.rules.stored import facts_path

    pack = _attached(desk, incident, signed_pack)
    actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    run_jobs()  # stores both versions' facts
    victim = fleet_apps["affected"].version.package.sha256  # an affected app: never "clean"
    path = facts_path(store.facts_dir(), victim)
    path.write_bytes(path.read_bytes()[:200])
    rescan = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    run_jobs()
    s = fleet.status(rescan)
    assert (s["done"], s["failed"], s["affected"]) == (1, 1, 0)
    failed = rescan.items.get(state=RescanItem.State.FAILED)
    assert failed.version.package.sha256 == victim
    assert failed.error["code"] == "stored_facts.unreadable"
    assert failed.error["details"]["file"] == str(path)
    assert "stored facts file cannot be used: unreadable" in failed.error["en"]
    assert "事实数据文件无法使用" in failed.error["zh"]


def test_vendor_cases_notices_and_progress(desk, world, incident, fleet_apps, signed_pack,
                                           token_client):  # fmt: skip
    pack = _attached(desk, incident, signed_pack)
    rescan = actions.start_rescan(incident, desk["responder"], "all", pack.public_id)
    run_jobs()
    c = token_client(desk["responder"])
    url = f"{API}{incident.public_id}/cases/"
    r = c.post(url, {"step": "open", "rescan": rescan.public_id, "verifier": "nobody"},
               content_type="application/json")  # fmt: skip
    assert r.status_code == 400 and r.json()["code"] == "incident.no_verifier"
    r = c.post(url, {"step": "open", "rescan": rescan.public_id,
                     "verifier": desk["verifier"].username}, content_type="application/json")  # fmt: skip
    assert r.status_code == 200 and len(r.json()["opened"]) == 1, r.content
    # Opening again opens nothing new (one case per app and incident).
    again = c.post(url, {"step": "open", "rescan": rescan.public_id,
                         "verifier": desk["verifier"].username}, content_type="application/json")  # fmt: skip
    assert again.json()["opened"] == []
    # Confirming is the verifier's part (on the cases assigned to them), not the coordinator's.
    assert c.post(url, {"step": "confirm"}, content_type="application/json").status_code == 403
    v = token_client(desk["verifier"])
    r = v.post(url, {"step": "confirm"}, content_type="application/json")
    assert r.status_code == 200 and len(r.json()["confirmed"]) == 1, r.content
    c = token_client(desk["responder"])
    r = c.post(url, {"step": "notify"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["notified"][0]["vendor"] == world.orgs["vendor"].name
    case = incident.cases.get()
    vuln = case.vulnerability
    vuln.refresh_from_db()
    assert vuln.state == State.VENDOR_NOTIFIED and vuln.due_at is not None
    assert vuln.app == fleet_apps["affected"].version.app
    assert RULE_ID in vuln.verification_notes
    progress = c.get(url).json()["vendors"]
    assert progress == [{"vendor": world.orgs["vendor"].name, "cases": 1, "fixed": 0,
                         "notified": 1, "overdue": 0, "states": {"vendor_notified": 1},
                         "next_due": progress[0]["next_due"]}]  # fmt: skip
    # The vendor now sees its case in the vulns app.
    assert token_client(world.user("vendor")).get(
        f"/api/v1/vulns/{vuln.public_id}/").status_code == 200  # fmt: skip
    c = token_client(desk["responder"])
    bad = c.post(url, {"step": "explode"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "incident.bad_step"


def test_lost_worker_item_requeued_and_recorded_once(desk, incident, fleet_apps, signed_pack):
    """A worker that dies holding a re-scan job: the reaper requeues it, another worker runs
    it, and a late completion by the lost worker changes nothing (the job system's leases)."""
    from datetime import timedelta

    from django.utils import timezone

    from mobsec.platform.jobs import reaper
    from mobsec.platform.jobs.dispatch import claim_next
    from mobsec.platform.jobs.runner import complete

    pack = _attached(desk, incident, signed_pack)
    rescan = actions.start_rescan(incident, desk["responder"], "affected"
                                  if incident.snapshots.exists() else "all", pack.public_id)  # fmt: skip
    lost = claim_next("doomed-worker", now=timezone.now(), capacity=0)
    assert lost.kind == fleet.JOB_KIND
    assert [j.pk for j in reaper.reap(now=timezone.now() + timedelta(minutes=5))] == [lost.pk]
    run_jobs()
    s = fleet.status(rescan)
    assert (s["done"], s["failed"], s["queued"]) == (2, 0, 0)
    item = rescan.items.get(pk=lost.payload["item"])
    before = (item.state, item.finished_at, item.findings)
    assert complete(lost, "doomed-worker", {"item": item.pk, "findings": []},
                    fleet.done) == "stopped"  # fmt: skip
    item.refresh_from_db()
    assert (item.state, item.finished_at, item.findings) == before
    assert [e.action for e in incident.events.all()].count("rescan_finished") == 1
