"""Build the labelled set for the similarity evaluation with the real Android toolchain.

For each genuine app (distinct package families from ../shared/corpus, topped up with apps
built from source in tests/fixtures), the set holds:

- ``rebuilt``       apktool d -r / apktool b (every class through baksmali/smali), zipalign,
                    apksigner with a new key                                  → repackaged
- ``resigned``      the original entries, re-signed with the new key          → repackaged
- ``stripped``      re-iconed (another app's icon) and half the resource and asset files
                    removed, re-signed                                        → repackaged
- ``injected``      an ad class and a catalogued ad SDK (Pangle) assembled with smali into
                    an extra DEX, re-signed                                   → repackaged
- ``renamed``       apktool d -s / b: label changed, a permission added       → repackaged
- ``counterfeit``   another app given the genuine label and icon (apktool d -s / b) → counterfeit
- ``confusable``    another app given a look-alike label (Cyrillic letters / an extra word)
                    and the genuine icon re-encoded at another size           → counterfeit
- ``unrelated``     two other apps as they are                                → unrelated
- ``genuine``       the registered package itself                         → genuine

Transformations ``injected``, ``renamed`` and ``confusable`` are held
out: thresholds were chosen looking at the others only (eval_similarity.py reports both).

Outputs go to a cache folder (``$MOBSEC_SIMILARITY_SET`` or ~/.cache/mobsec-similarity-set)
with ``labels.json``; a variant already built is not built again. ``--sample N`` builds the
variants of the first N genuine apps only (what CI runs).

    .venv/bin/python bench/similarity_set.py [--sample N] [--jobs J]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.fixtures.build import APPS_DIR, build_apk  # noqa: E402
from tests.fixtures.repackage import (  # noqa: E402
    add_permission,
    attacker_key,
    icon_bytes,
    inject_classes,
    launcher_icon_paths,
    reencode,
    rezip,
    run,
    set_icon,
    set_label,
    sign,
)

from mobsec.similarity import fingerprint  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "apks"
GENERATOR_VERSION = "1"

# One per package family (the rule): relpaths under ../shared/corpus/apks.
GENUINE = [
    "vulnapps/diva-beta.apk",
    "vulnapps/InsecureBankv2.apk",
    "vulnapps/AndroGoat.apk",
    "vulnapps/InjuredAndroid_2020-01.apk",
    "vulnapps/InsecureShop.apk",
    "vulnapps/UnCrackable-Level1.apk",
    "vulnapps/UnCrackable-Level2.apk",
    "vulnapps/UnCrackable-Level3.apk",
    "vulnapps/ovaa.apk",
    "vulnapps/pivaa.apk",
    "realworld/io.appium.settings-8.0.10-debug.apk",
    "realworld/uiautomator2-app-uiautomator.apk",
    "androguard/APK__a2dp.Vol_137.apk",
    "androguard/APK__com.teleca.jamendo_35.apk",
    "androguard/APK__com.example.android.wearable.wear.weardrawers.apk",
    "androguard/APK__com.android.example.text.styling.apk",
    "androguard/APK__app-prod-debug.apk",
    "androguard/APK__hello-world.apk",
    "androguard/APK__com.test.intent_filter.apk",
    "androguard/APK__com.politedroid_4.apk",
    "androguard/APK__TC-debug.apk",
    "androguard/APK__TestActivity.apk",
    "droidbench/Aliasing__SimpleAliasing1.apk",
    "droidbench/Lifecycle__ServiceEventSequence2.apk",
    "droidbench/SelfModification__BytecodeTamper3.apk",
    "droidbench/Native__SinkInNativeLibCode.apk",
    "droidbench/InterAppCommunication__SendSMS.apk",
    "droidbench/InterComponentCommunication__IntentSource1.apk",
    "droidbench/UnreachableCode__SimpleUnreachable1.apk",
    "droidbench/Lifecycle__FragmentLifecycle2.apk",
]
FIXTURES = ["java-basic", "manifest-rich", "taint-cases", "call-lookup", "dataflow-cases"]
# Apps only used as the body of counterfeits and as unrelated negatives.
OTHERS = [
    "droidbench/Reflection_ICC__OnlyTelephony.apk",
    "droidbench/InterAppCommunication__Echoer.apk",
    "droidbench/Callbacks__Button5.apk",
    "droidbench/InterComponentCommunication__ActivityCommunication2.apk",
    "realworld/appium-uiautomator2-server-debug-androidTest.apk",
]
HELD_OUT = {"injected", "renamed", "confusable"}


def cache_root() -> Path:
    env = os.environ.get("MOBSEC_SIMILARITY_SET")
    base = Path(env) if env else Path.home() / ".cache" / "mobsec-similarity-set"
    return base / f"v{GENERATOR_VERSION}"


def t_resigned(g: Path, out: Path, key: Path, tmp: Path) -> None:
    rezip(g, tmp / "u.apk", {}, set())
    sign(tmp / "u.apk", out, key)


def t_rebuilt(g: Path, out: Path, key: Path, tmp: Path) -> None:
    run(["apktool", "d", "-r", "-f", "-o", str(tmp / "dec"), str(g)])
    run(["apktool", "b", "-o", str(tmp / "u.apk"), str(tmp / "dec")])
    sign(tmp / "u.apk", out, key)


def t_stripped(g: Path, out: Path, key: Path, tmp: Path, other_icon: bytes | None) -> None:
    with zipfile.ZipFile(g) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
    icons = set(launcher_icon_paths(g))
    replace: dict[str, bytes] = {}
    if other_icon is not None:
        with zipfile.ZipFile(g) as z:
            for p in icons:
                img = Image.open(io.BytesIO(z.read(p)))
                replace[p] = reencode(other_icon, img.size, "PNG" if p.endswith("png") else "WEBP")
    files = sorted(
        n for n in names if n.startswith(("res/", "assets/")) and n not in icons
        and not n.endswith(".xml")
    )  # fmt: skip
    drop = set(files[::2])  # every second bitmap / asset / raw file
    rezip(g, tmp / "u.apk", replace, drop)
    sign(tmp / "u.apk", out, key)


def t_renamed(g: Path, out: Path, key: Path, tmp: Path, new_label: str) -> None:
    run(["apktool", "d", "-s", "-f", "-o", str(tmp / "dec"), str(g)])
    set_label(tmp / "dec", new_label)
    add_permission(tmp / "dec", "android.permission.READ_PHONE_STATE")
    run(["apktool", "b", "-o", str(tmp / "u.apk"), str(tmp / "dec")])
    sign(tmp / "u.apk", out, key)


def t_counterfeit(
    body: Path, out: Path, key: Path, tmp: Path, label: str, icon: bytes | None, resize: float
) -> None:
    """``body`` given the label and icon; when Debian's aapt cannot rebuild ``body``'s
    resources (androidx apps), a fixture app built from source is the body instead."""
    try:
        run(["apktool", "d", "-s", "-f", "-o", str(tmp / "dec"), str(body)])
        set_label(tmp / "dec", label)
        if icon is not None:
            set_icon(tmp / "dec", body, icon, resize)
        run(["apktool", "b", "-o", str(tmp / "u.apk"), str(tmp / "dec")])
    except RuntimeError:
        _counterfeit_from_source(body, tmp, label, icon, resize)
    sign(tmp / "u.apk", out, key)


SOURCE_BODIES = ["entry-points", "report-endpoints", "multidex"]  # none is a genuine app


def _counterfeit_from_source(
    body: Path, tmp: Path, label: str, icon: bytes | None, resize: float
) -> None:
    fixture = SOURCE_BODIES[sum(body.name.encode()) % len(SOURCE_BODIES)]
    src = tmp / f"counterfeit-{fixture}"
    shutil.copytree(APPS_DIR / fixture, src)
    set_label(src, label)
    if icon is not None:
        size = Image.open(io.BytesIO(icon)).size
        size = (max(1, int(size[0] * resize)), max(1, int(size[1] * resize)))
        (src / "res" / "drawable").mkdir(parents=True, exist_ok=True)
        (src / "res" / "drawable" / "ic_brand.png").write_bytes(reencode(icon, size, "PNG"))
        manifest = src / "AndroidManifest.xml"
        text = manifest.read_text(encoding="utf-8")
        text = text.replace("<application", '<application android:icon="@drawable/ic_brand"', 1)
        manifest.write_text(text, encoding="utf-8")
    built = build_apk(src, tmp / "built")
    rezip(built, tmp / "u.apk", {}, set())  # the fixture key off: the counterfeiter's key on


CONFUSABLE = str.maketrans({"a": "а", "e": "е", "o": "о", "p": "р", "c": "с"})


def confusable_label(label: str) -> str:
    swapped = label.translate(CONFUSABLE)
    return swapped if swapped != label else label + " 极速版"


# ---- the set -------------------------------------------------------------------------------


def genuine_apps(root: Path) -> list[tuple[str, Path]]:
    apps = [(rel, CORPUS / rel) for rel in GENUINE]
    for name in FIXTURES:
        apps.append((f"fixture:{name}", build_apk(APPS_DIR / name)))
    return apps


def build_set(sample: int | None, jobs: int) -> Path:
    root = cache_root()
    (root / "apks").mkdir(parents=True, exist_ok=True)
    key = attacker_key(root)
    genuine = genuine_apps(root)
    if sample:
        genuine = genuine[:sample]
    pool = [CORPUS / rel for rel in OTHERS] + [p for _, p in genuine]
    labels: list[dict[str, str]] = []
    tasks = []
    fps = {p: fingerprint(p) for _, p in genuine}
    for gi, (gid, g) in enumerate(genuine):
        slug = re.sub(r"[^A-Za-z0-9]+", "_", gid)[:60]
        gfp = fps[g]
        label = gfp.label or gfp.package
        others = [p for p in pool if p != g and fingerprint_package(p) != gfp.package]
        body = others[gi % len(others)]
        body2 = others[(gi + 7) % len(others)]
        negatives = [others[(gi + 3) % len(others)], others[(gi + 11) % len(others)]]
        g_icon = icon_bytes(g)
        other_icon = icon_bytes(others[(gi + 5) % len(others)])

        def add(kind: str, verdict: str, path: Path, fn=None, g=g, gid=gid) -> None:
            labels.append(
                {"genuine": str(g), "genuine_id": gid, "candidate": str(path),
                 "transformation": kind, "label": verdict}
            )  # fmt: skip
            if fn is not None and not path.exists():
                tasks.append((path, fn))

        add("genuine", "genuine", g)
        for n in negatives:
            add("unrelated", "unrelated", n)
        out = root / "apks"
        add("resigned", "repackaged", out / f"{slug}.resigned.apk",
            lambda o, t, g=g: t_resigned(g, o, key, t))  # fmt: skip
        add("rebuilt", "repackaged", out / f"{slug}.rebuilt.apk",
            lambda o, t, g=g: t_rebuilt(g, o, key, t))  # fmt: skip
        add("stripped", "repackaged", out / f"{slug}.stripped.apk",
            lambda o, t, g=g, i=other_icon: t_stripped(g, o, key, t, i[1] if i else None))  # fmt: skip
        add("injected", "repackaged", out / f"{slug}.injected.apk",
            lambda o, t, g=g: inject_classes(g, o, key, t))  # fmt: skip
        add("renamed", "repackaged", out / f"{slug}.renamed.apk",
            lambda o, t, g=g: t_renamed(g, o, key, t, "Super Cleaner 清理大师"))  # fmt: skip
        add("counterfeit", "counterfeit", out / f"{slug}.counterfeit.apk",
            lambda o, t, b=body, lb=label, i=g_icon: t_counterfeit(
                b, o, key, t, lb, i[1] if i else None, 1.0))  # fmt: skip
        add("confusable", "counterfeit", out / f"{slug}.confusable.apk",
            lambda o, t, b=body2, lb=label, i=g_icon: t_counterfeit(
                b, o, key, t, confusable_label(lb), i[1] if i else None, 0.75))  # fmt: skip

    def do(task: tuple[Path, object]) -> str | None:
        path, fn = task
        with tempfile.TemporaryDirectory(prefix="simset-") as tmp:
            try:
                fn(path.with_suffix(".part"), Path(tmp))  # type: ignore[operator]
                os.replace(path.with_suffix(".part"), path)
            except (RuntimeError, OSError, subprocess.SubprocessError, ValueError) as e:
                return f"{path.name}: {e}"
        print(f"built {path.name}", flush=True)
        return None

    with ThreadPoolExecutor(max_workers=jobs) as ex:
        failures = [f for f in ex.map(do, tasks) if f]
    for f in failures:
        print("FAILED", f, file=sys.stderr)
    kept = [lb for lb in labels if Path(lb["candidate"]).exists()]
    for lb in kept:
        lb["held_out"] = lb["transformation"] in HELD_OUT  # type: ignore[assignment]
    (root / "labels.json").write_text(json.dumps(kept, indent=1), encoding="utf-8")
    print(f"{len(kept)} labelled pairs ({len(labels) - len(kept)} not built) in {root}")
    return root


_PKG_CACHE: dict[Path, str] = {}


def fingerprint_package(path: Path) -> str:
    if path not in _PKG_CACHE:
        _PKG_CACHE[path] = fingerprint(path).package
    return _PKG_CACHE[path]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sample", type=int, help="only the first N genuine apps (CI)")
    p.add_argument("--jobs", type=int, default=1)
    args = p.parse_args()
    build_set(args.sample, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
