"""Where a SARIF result points: a relative file and a line, as code scanning needs.

An APK has no source tree, yet GitHub places an alert only on a relative path with a line.
Three cases, each under its own ``uriBaseId``:

* ``SRCROOT`` — a code location whose line comes from the DEX debug info names the source
  file it was compiled from: the class's package as directories plus its ``SourceFile``
  ("com/example/Login.java"), prefixed by ``--source-root`` when given. A Java line number
  on ``classes.dex`` would point at nothing;
* ``PACKAGE`` — any other file inside the package ("classes2.dex", "AndroidManifest.xml");
  bytecode without a source line gets line 1 of its ``.dex``;
* ``PACKAGE_DIR`` — a result about the package as a whole (signing…) names the package file.

No absolute machine path ever reaches the log: the package is named by its file name, and
``SourceFile`` (attacker-controlled) is reduced to a plain file name.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any
from urllib.parse import quote

_SAFE = "/!$&'()*+,;=:@-._~"
_SOURCE_NAME = re.compile(r"^[\w$.-]+\.(java|kt|kts|scala|groovy)$", re.ASCII)
MANIFEST = "AndroidManifest.xml"


def base_ids(package_name: str) -> dict[str, Any]:
    """``originalUriBaseIds``: descriptions only, never a machine path."""
    return {
        "SRCROOT": {"description": {"text": "The app's source root in the repository"}},
        "PACKAGE": {"description": {"text": f"Files inside the app package {package_name}"}},
        "PACKAGE_DIR": {"description": {"text": "The directory holding the app package"}},
    }


def artifact_uri(path: str) -> str:
    """A relative URI reference for a path (spaces etc. percent-encoded, no leading '/')."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return quote("/".join(parts), safe=_SAFE)


def check_source_root(root: str | None) -> str:
    """``--source-root`` normalised ("app/src/main/java"); ValueError if absolute or escaping."""
    if not root:
        return ""
    text = root.replace("\\", "/")
    if text.startswith("/") or re.match(r"^[A-Za-z]:/", text) or "://" in text:
        raise ValueError(
            f"--source-root {root!r}: give the path relative to the repository root "
            "(e.g. app/src/main/java) / 请给出相对仓库根目录的路径"
        )
    norm = posixpath.normpath(text)
    if norm == ".." or norm.startswith("../"):
        raise ValueError(f"--source-root {root!r}: leaves the repository / 超出仓库目录")
    return "" if norm == "." else norm


def source_path(loc: dict[str, Any]) -> str | None:
    """ "com/example/Login.java" for a class with a plain SourceFile, else None."""
    cls, src = loc.get("class"), loc.get("source_file")
    if not cls or not src or not _SOURCE_NAME.match(src):
        return None
    package = cls.rsplit(".", 1)[0].replace(".", "/") if "." in cls else ""
    return f"{package}/{src}" if package else src


def physical_location(loc: dict[str, Any], package: dict[str, Any], root: str) -> dict[str, Any]:
    line = loc.get("line") if isinstance(loc.get("line"), int) and loc["line"] >= 1 else None
    file = loc.get("file") or ""
    src = source_path(loc) if loc.get("class") else None
    if src and line is not None:
        uri, base = artifact_uri(posixpath.join(root, src) if root else src), "SRCROOT"
    elif file:
        uri, base = artifact_uri(file), "PACKAGE"
        if loc.get("class"):
            line = None  # a Java line number means nothing on a .dex
    else:
        name = artifact_uri(posixpath.basename((package.get("file_name") or "").replace("\\", "/")))
        uri, base = (name, "PACKAGE_DIR") if name else (MANIFEST, "PACKAGE")
    return {
        "artifactLocation": {"uri": uri, "uriBaseId": base},
        "region": {"startLine": line or 1},
    }


def logical_locations(loc: dict[str, Any]) -> list[dict[str, Any]]:
    """The .dex as module, then the method (or class) inside it."""
    cls, method, file = loc.get("class"), loc.get("method"), loc.get("file") or ""
    out: list[dict[str, Any]] = []
    if cls and file.endswith(".dex"):
        out.append({"name": file, "kind": "module"})
    if cls and method:
        name = method.split("(", 1)[0]
        out.append({"name": name, "fullyQualifiedName": f"{cls}.{method}", "kind": "function"})
    elif cls:
        out.append({"name": cls.rsplit(".", 1)[-1], "fullyQualifiedName": cls, "kind": "type"})
    return out
