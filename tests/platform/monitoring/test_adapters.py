"""The local-mirror adapter and the watched folder on hostile listings and paths: every bad
entry is a Problem naming the file and the reason, never an exception, a hang or a read
outside the source directory."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mobsec.platform.monitoring import adapters, safefs
from mobsec.platform.monitoring.adapters import Found, Problem

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def mirror(root: Path, doc, raw: bytes | None = None) -> tuple[list[Found], list[Problem]]:
    (root / "listing.json").write_bytes(raw if raw is not None else json.dumps(doc).encode())
    items = list(adapters.get("local-mirror")(root))
    return (
        [i for i in items if isinstance(i, Found)],
        [i for i in items if isinstance(i, Problem)],
    )


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


def test_a_good_listing_gives_cleaned_entries(tmp_path):
    (tmp_path / "apks").mkdir()
    (tmp_path / "apks" / "a.apk").write_bytes(b"PK")
    (tmp_path / "a.png").write_bytes(PNG)
    found, problems = mirror(tmp_path, {"store": "Example Store", "apps": [{
        "file": "apks/a.apk", "title": "支付\u0000宝\u202e", "developer": "Dev " * 100,
        "description": "line1\nline2", "icon": "a.png", "downloads": 12000,
        "url": "https://store.example/a"}]})  # fmt: skip
    assert problems == []
    [f] = found
    assert f.key == "apks/a.apk"
    assert f.listing["title"] == "支付宝"  # NUL and bidi override removed
    assert len(f.listing["developer"]) <= 200
    assert f.listing["description"] == "line1\nline2"
    assert f.listing["downloads"] == 12000 and f.listing["store"] == "Example Store"
    assert f.listing["icon"]["media_type"] == "image/png"
    assert f.listing["url"] == "https://store.example/a"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        (b"\xff\xfe not utf-8", "monitoring.listing_encoding"),
        (b'{"apps": [', "monitoring.listing_json"),
        (b"[" * 100000 + b"]" * 100000, "monitoring.listing_json"),  # nesting too deep
        (
            b'{"apps": [{"file": "a.apk", "downloads": ' + b"9" * 5000 + b"}]}",
            "monitoring.listing_json",
        ),
        (b'{"apps": [{"file": "a.apk", "downloads": NaN}]}', "monitoring.listing_json"),
        (b'"just a string"', "monitoring.listing_shape"),
        (b'{"apps": {"file": "a.apk"}}', "monitoring.listing_shape"),
    ],
)
def test_a_listing_that_is_no_listing_is_one_problem(tmp_path, raw, code):
    found, problems = mirror(tmp_path, None, raw)
    assert found == [] and codes(problems) == [code]
    assert problems[0].file == "listing.json" and problems[0].en and problems[0].zh


def test_bad_entries_are_reported_one_by_one_and_the_good_ones_kept(tmp_path):
    os.symlink("/etc", tmp_path / "etc-link")
    (tmp_path / "ok.apk").write_bytes(b"PK")
    (tmp_path / "not-an-image.png").write_bytes(b"<svg/>")
    os.symlink("/etc/passwd", tmp_path / "icon-link.png")
    found, problems = mirror(tmp_path, {"apps": [
        "not an object",
        {"title": "no file"},
        {"file": 42},
        {"file": "/etc/passwd"},
        {"file": "../outside.apk"},
        {"file": "apks/../../x.apk"},
        {"file": "C:\\\\x.apk"},
        {"file": "a\u0000b.apk"},
        {"file": "ok.apk", "downloads": "many", "icon": "not-an-image.png"},
        {"file": "ok.apk", "downloads": True, "icon": "icon-link.png", "url": "javascript:alert(1)"},
        {"file": "ok.apk", "downloads": -1, "icon": ["x"]},
    ]})  # fmt: skip
    assert codes(problems) == [
        "monitoring.listing_entry", "monitoring.listing_entry", "monitoring.listing_entry",
        "monitoring.absolute_path", "monitoring.path_escape", "monitoring.path_escape",
        "monitoring.absolute_path", "monitoring.bad_path",
        "monitoring.listing_downloads", "monitoring.listing_icon",
        "monitoring.listing_downloads", "monitoring.symlink",
        "monitoring.listing_downloads", "monitoring.listing_icon",
    ]  # fmt: skip
    assert all(p.file.startswith("listing.json#apps[") for p in problems)
    assert [f.key for f in found] == ["ok.apk"] * 3
    assert all("icon" not in f.listing and "url" not in f.listing for f in found)
    assert all("downloads" not in f.listing for f in found)


def test_too_many_entries_are_cut_with_a_problem(tmp_path, monkeypatch):
    from mobsec.platform.monitoring.adapters import local_mirror

    monkeypatch.setattr(local_mirror, "MAX_ENTRIES", 3)
    found, problems = mirror(tmp_path, {"apps": [{"file": f"{i}.apk"} for i in range(10)]})
    assert len(found) == 3 and codes(problems) == ["monitoring.listing_too_many"]


def test_listing_itself_must_be_a_bounded_regular_file(tmp_path, monkeypatch):
    from mobsec.platform.monitoring.adapters import local_mirror

    os.symlink("/etc/passwd", tmp_path / "listing.json")
    assert codes(list(local_mirror.mirror(tmp_path))) == ["monitoring.symlink"]
    (tmp_path / "listing.json").unlink()
    os.mkfifo(tmp_path / "listing.json")  # would block a plain open() for ever
    assert codes(list(local_mirror.mirror(tmp_path))) == ["monitoring.not_a_file"]
    (tmp_path / "listing.json").unlink()
    (tmp_path / "listing.json").write_bytes(b" " * 2048)
    monkeypatch.setattr(local_mirror, "MAX_LISTING_BYTES", 1024)
    assert codes(list(local_mirror.mirror(tmp_path))) == ["monitoring.too_large"]
    (tmp_path / "listing.json").unlink()
    assert codes(list(local_mirror.mirror(tmp_path))) == ["monitoring.unreadable"]


def test_safe_open_refuses_every_way_out(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.apk").write_bytes(b"PK..")
    os.symlink(tmp_path / "d", tmp_path / "dir-link")
    os.mkfifo(tmp_path / "fifo")
    with safefs.open_in(tmp_path, "d/f.apk", 100) as (fd, st):
        assert os.read(fd, 4) == b"PK.." and st.st_size == 4
    for key, code in [("dir-link/f.apk", "monitoring.symlink"), ("fifo", "monitoring.not_a_file"),
                      ("d", "monitoring.not_a_file"), ("d/f.apk/x", "monitoring.symlink"),
                      ("d/./f.apk", "monitoring.path_escape"), ("", "monitoring.bad_path"),
                      ("x" * 2000, "monitoring.bad_path")]:  # fmt: skip
        with pytest.raises(safefs.Refused) as e, safefs.open_in(tmp_path, key, 100):
            pass
        assert e.value.code == code, key
    with pytest.raises(safefs.Refused) as e, safefs.open_in(tmp_path, "d/f.apk", 3):
        pass
    assert e.value.code == "monitoring.too_large"


def test_watched_folder_takes_settled_regular_files_only(tmp_path, monkeypatch):
    from mobsec.platform.monitoring.adapters import folder

    (tmp_path / "a.apk").write_bytes(b"PK")
    (tmp_path / ".partial.apk").write_bytes(b"PK")
    (tmp_path / "listing.json").write_text("{}")
    deep = tmp_path / "1" / "2" / "3" / "4"
    deep.mkdir(parents=True)
    (tmp_path / "1" / "b.apk").write_bytes(b"PK")
    (deep / "too-deep.apk").write_bytes(b"PK")
    os.symlink("/etc/passwd", tmp_path / "passwd.apk")
    os.mkfifo(tmp_path / "fifo.apk")
    old = 1_000_000_000
    for p in tmp_path.rglob("*"):
        if not p.is_symlink() and p.is_file():
            os.utime(p, (old, old))
    (tmp_path / "fresh.apk").write_bytes(b"PK")  # still being written: next poll
    items = list(folder.watch(tmp_path))
    assert sorted(i.key for i in items if isinstance(i, Found)) == ["1/b.apk", "a.apk"]
    assert [(i.code, i.file) for i in items if isinstance(i, Problem)] == [
        ("monitoring.symlink", "passwd.apk")
    ]
    monkeypatch.setattr(folder, "MAX_FILES", 1)
    assert len([i for i in folder.watch(tmp_path) if isinstance(i, Found)]) == 1
