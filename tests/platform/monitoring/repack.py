"""Copies of fixture apps made the way repackagers and counterfeiters do it: apktool decode,
a class injected (an "ad SDK") or the app's name replaced, apktool rebuild, zipalign, signed
by apksigner with a new key."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

from tests.fixtures.build import _framework_dir

INJECTED = """.class public Lcom/adsdk/injected/Tracker;
.super Ljava/lang/Object;

.method public static track(Ljava/lang/String;I)Ljava/lang/String;
    .registers 5
    new-instance v0, Ljava/lang/StringBuilder;
    invoke-direct {v0}, Ljava/lang/StringBuilder;-><init>()V
    const-string v1, "https://ads.example/collect?id="
    invoke-virtual {v0, v1}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    invoke-virtual {v0, p0}, Ljava/lang/StringBuilder;->append(Ljava/lang/String;)Ljava/lang/StringBuilder;
    const/4 v2, 0x0
    :loop
    if-ge v2, p1, :done
    invoke-virtual {v0, v2}, Ljava/lang/StringBuilder;->append(I)Ljava/lang/StringBuilder;
    add-int/lit8 v2, v2, 0x1
    goto :loop
    :done
    invoke-virtual {v0}, Ljava/lang/StringBuilder;->toString()Ljava/lang/String;
    move-result-object v3
    return-object v3
.end method
"""
PASSWORD = "repackager-pass"


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{argv[0]} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")


def repackage(genuine: Path, out: Path, *, inject: bool = True, label: str | None = None) -> Path:
    """``label``: the app name (res/values/strings.xml ``app_name``) given to the copy."""
    fw = str(_framework_dir())
    with tempfile.TemporaryDirectory(prefix="repack-") as tmp:
        t = Path(tmp)
        _run(["apktool", "d", "-f", "-p", fw, "-o", str(t / "dec"), str(genuine)])
        if inject:
            target = t / "dec" / "smali" / "com" / "adsdk" / "injected"
            target.mkdir(parents=True)
            (target / "Tracker.smali").write_text(INJECTED, encoding="utf-8")
        if label is not None:
            strings = t / "dec" / "res" / "values" / "strings.xml"
            text = strings.read_text(encoding="utf-8")
            new = re.sub(r'(<string name="app_name">)[^<]*(</string>)', rf"\g<1>{label}\g<2>", text)
            assert new != text, "no app_name string to replace"
            strings.write_text(new, encoding="utf-8")
        _run(["apktool", "b", "-p", fw, "-o", str(t / "unsigned.apk"), str(t / "dec")])
        _run(["zipalign", "-f", "-p", "4", str(t / "unsigned.apk"), str(t / "aligned.apk")])
        _run(["keytool", "-genkeypair", "-keystore", str(t / "new.p12"), "-storetype", "PKCS12",
              "-alias", "repackager", "-keyalg", "RSA", "-keysize", "2048", "-validity", "365",
              "-dname", "CN=Repackager", "-storepass", PASSWORD, "-keypass", PASSWORD])  # fmt: skip
        _run(["apksigner", "sign", "--ks", str(t / "new.p12"), "--ks-key-alias", "repackager",
              "--ks-pass", f"pass:{PASSWORD}", "--v1-signing-enabled=true",
              "--v2-signing-enabled=true", "--out", str(out), str(t / "aligned.apk")])  # fmt: skip
    return out
