"""Each signal on real packages where it must match and where it must not.

The variants are made with the repackager's toolchain (tests/fixtures/repackage.py:
zipalign, apksigner with a new key, smali); the genuine app is InsecureBankv2 from the
corpus (it has a bitmap launcher icon, resources and its own code).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from mobsec.similarity import compare, fingerprint
from tests.fixtures.repackage import (
    attacker_key,
    inject_classes,
    launcher_icon_paths,
    reencode,
    rezip,
    sign,
)

GENUINE = "vulnapps/InsecureBankv2.apk"
OTHER = "vulnapps/AndroGoat.apk"


@pytest.fixture(scope="module")
def built(corpus_apks: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("variants")
    key = attacker_key(root)
    g, other = corpus_apks / GENUINE, corpus_apks / OTHER
    out: dict[str, Path] = {"genuine": g, "other": other}

    def scratch(name: str) -> Path:
        d = root / name
        d.mkdir()
        return d

    out["resigned"] = root / "resigned.apk"
    rezip(g, scratch("r") / "u.apk", {}, set())
    sign(root / "r" / "u.apk", out["resigned"], key)

    out["injected"] = root / "injected.apk"
    inject_classes(g, out["injected"], key, scratch("i"))

    # re-iconed with AndroGoat's icon, every second resource bitmap removed
    with zipfile.ZipFile(other) as z:
        other_icon = z.read(launcher_icon_paths(other)[0])
    with zipfile.ZipFile(g) as z:
        names = z.namelist()
        icons = launcher_icon_paths(g)
        replace = {
            p: reencode(other_icon, Image.open(io.BytesIO(z.read(p))).size, "PNG") for p in icons
        }
    pngs = sorted(
        n for n in names if n.startswith("res/") and n.endswith(".png") and n not in icons
    )
    out["stripped"] = root / "stripped.apk"
    rezip(g, scratch("s") / "u.apk", replace, set(pngs[::2]))
    sign(root / "s" / "u.apk", out["stripped"], key)

    # AndroGoat wearing InsecureBankv2's icon: a counterfeit's brand, another app's code
    with zipfile.ZipFile(g) as z:
        g_icon = z.read(icons[0])
    with zipfile.ZipFile(other) as z:
        replace = {
            p: reencode(g_icon, Image.open(io.BytesIO(z.read(p))).size, "PNG")
            for p in launcher_icon_paths(other)
        }
    out["counterfeit"] = root / "counterfeit.apk"
    rezip(other, scratch("c") / "u.apk", replace, set())
    sign(root / "c" / "u.apk", out["counterfeit"], key)

    # the genuine signature block kept, one resource changed: the signature does not verify
    out["tampered"] = root / "tampered.apk"
    with zipfile.ZipFile(g) as zin, zipfile.ZipFile(out["tampered"], "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == icons[0]:
                data = reencode(other_icon, (192, 192), "PNG")
            zout.writestr(info, data)
    return out


@pytest.fixture(scope="module")
def fps(built: dict[str, Path]):
    return {name: fingerprint(path) for name, path in built.items()}


def signals(fps, name: str, against: str = "genuine"):
    result = compare(fps[name], fps[against])
    return result, {s.id: s for s in result.signals}


def test_certificate_matches_only_a_verified_registered_signer(fps):
    _, s = signals(fps, "genuine")
    assert s["certificate"].matched
    _, s = signals(fps, "resigned")
    assert not s["certificate"].matched
    assert fps["resigned"].certificates != fps["genuine"].certificates
    # the genuine signature block copied onto changed contents does not verify
    result, s = signals(fps, "tampered")
    assert not fps["tampered"].signature_verified
    assert not s["certificate"].matched
    assert result.verdict == "repackaged"


def test_package_name(fps):
    assert signals(fps, "resigned")[1]["package"].matched
    assert not signals(fps, "other")[1]["package"].matched


def test_icon_matches_the_same_picture_not_another(fps):
    _, s = signals(fps, "resigned")
    assert s["icon"].matched and s["icon"].evidence["phash_distance"] == 0
    _, s = signals(fps, "stripped")  # re-iconed
    assert not s["icon"].matched, s["icon"].evidence
    _, s = signals(fps, "counterfeit")  # the genuine icon, re-encoded, on another app
    assert s["icon"].matched, s["icon"].evidence


def test_resource_overlap(fps):
    _, s = signals(fps, "stripped")
    assert s["resources"].matched and s["resources"].score > 0.9  # overlap, not Jaccard
    assert s["resources"].evidence["jaccard"] < s["resources"].score
    _, s = signals(fps, "other")
    assert not s["resources"].matched


def test_code_containment_both_ways_shows_injected_code(fps):
    result, s = signals(fps, "injected")
    assert s["code"].matched and s["code"].score == 1.0
    assert s["code"].evidence["candidate_in_genuine"] < 1.0  # the injected code
    assert "Lcom/adpush/loader/AdLoader;" in result.injected["classes"]
    assert "Lcom/adpush/loader/AdLoader;" not in fps["genuine"].code.lib
    _, s = signals(fps, "counterfeit")
    assert not s["code"].matched and s["code"].score < 0.2


def test_sdks_and_permissions_added(fps):
    result, s = signals(fps, "injected")
    assert [x["id"] for x in result.injected["sdks"]] == ["pangle"]
    assert not s["sdks"].matched
    assert s["permissions"].matched  # not changed by this repackaging
    result, s = signals(fps, "other")  # AndroGoat asks for fewer than InsecureBankv2
    assert result.removed["permissions"] and not s["permissions"].matched
    assert set(result.removed["permissions"]) <= set(fps["genuine"].permissions)
    reverse = compare(fps["genuine"], fps["other"])
    assert reverse.injected["permissions"] == result.removed["permissions"]


def test_verdicts(fps):
    assert compare(fps["genuine"], fps["genuine"]).verdict == "genuine"
    for name in ("resigned", "injected", "stripped"):
        assert compare(fps[name], fps["genuine"]).verdict == "repackaged", name
    result = compare(fps["counterfeit"], fps["genuine"])
    assert result.verdict == "counterfeit"
    assert any("icon" in r for r in result.reasons_en)
    assert compare(fps["other"], fps["genuine"]).verdict == "unrelated"


def test_template_icons_are_not_evidence(corpus_apks: Path):
    ovaa = fingerprint(corpus_apks / "vulnapps" / "ovaa.apk")
    pivaa = fingerprint(corpus_apks / "vulnapps" / "pivaa.apk")
    result = compare(pivaa, ovaa)
    icon = result.signal("icon")
    assert icon.evidence["phash_distance"] <= 6  # the same Android Studio template icon
    assert not icon.matched and icon.evidence["template_icon"]
    assert result.verdict == "unrelated"
