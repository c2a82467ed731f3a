"""Libraries in the app: catalogued SDKs and the artifacts the build left its metadata for.

Two sources, both already read or cheap to read:

* the SDKs the owner resolver found in the code (``facts.sdks``), with the version the
  package's own files give (``facts.sdk_versions``: META-INF/*.version, properties files,
  catalogue hints);
* every build-metadata file, catalogued or not: ``META-INF/<group>_<artifact>.version``
  (written by the Android Gradle plugin for AndroidX, Material, kotlinx...) and the
  ``<artifact>.properties`` files Google's libraries ship (``version=`` and ``client=``).
  Each is one library with a Maven coordinate, so an SBOM can name it by purl;
* ``META-INF/maven/<group>/<artifact>/pom.properties`` (Maven's own, kept when the build
  does not strip it; ``groupId``/``artifactId`` must agree with the path);
* version strings libraries compile into their code (``"okhttp/3.11.0"``,
  :mod:`.code_versions`), for those that ship no metadata file; ``source`` names the DEX
  and the string.

Hostile input: names are bounded by the regexes, at most MAX_FILES files are read, each
at most MAX_BYTES, and a content that is no plausible version is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from mobsec.facts.owners import SdkCatalog, sdk_for_maven_coordinate

from .code_versions import code_marker_artifacts

if TYPE_CHECKING:
    from mobsec.facts.app import AppFacts

MAX_FILES = 2000
MAX_BYTES = 4096
_VERSION = re.compile(r"[0-9][0-9A-Za-z.+_-]{0,63}")
_META_INF = re.compile(r"META-INF/([A-Za-z0-9_.-]{1,200})\.version")
# Google's libraries: <artifact>.properties at the root with version= and client= lines.
_PROPERTIES = re.compile(r"([A-Za-z0-9_.-]{1,120})\.properties")
_MAVEN_NAME = re.compile(r"[A-Za-z0-9_.-]{1,120}")
_POM = re.compile(r"META-INF/maven/([A-Za-z0-9_.-]{1,120})/([A-Za-z0-9_.-]{1,120})/pom\.properties")


def build_metadata_artifacts(
    names: Iterable[str], read: Callable[[str], bytes | None]
) -> list[dict[str, Any]]:
    """[{group, artifact, version, source}] from the build-metadata files, sorted."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    reads = 0
    for name in names:
        meta = _META_INF.fullmatch(name)
        pom = None if meta else _POM.fullmatch(name)
        props = None if meta or pom else _PROPERTIES.fullmatch(name)
        if meta is None and pom is None and props is None:
            continue
        if reads >= MAX_FILES:
            break
        reads += 1
        data = read(name)
        if not data:
            continue
        text = data[:MAX_BYTES].decode("utf-8", "replace")
        if meta is not None:
            coordinate = _coordinate(meta.group(1))
            version = text.strip()
        elif pom is not None:
            fields = _properties(text)
            version = fields.get("version", "")
            stated = (fields.get("groupId"), fields.get("artifactId"))
            coordinate = (pom.group(1), pom.group(2)) if stated == pom.groups() else None
        else:
            fields = _properties(text)
            client = fields.get("client", "")
            version = fields.get("version", "")
            coordinate = _google_coordinate(client) if client else None
        if coordinate is None or not _VERSION.fullmatch(version):
            continue
        group, artifact = coordinate
        out.setdefault(
            (group, artifact),
            {"group": group, "artifact": artifact, "version": version, "source": name},
        )
    return sorted(out.values(), key=lambda a: (a["group"], a["artifact"]))


def _coordinate(stem: str) -> tuple[str, str] | None:
    """``androidx.core_core`` → (androidx.core, core); ``kotlinx_coroutines_core`` has no dot
    in its group: the first underscore splits it all the same."""
    group, sep, artifact = stem.partition("_")
    if not sep or not group or not artifact:
        return None
    return group, artifact


def _google_coordinate(client: str) -> tuple[str, str] | None:
    """``play-services-base`` → com.google.android.gms; ``firebase-common`` → com.google.firebase."""
    if not _MAVEN_NAME.fullmatch(client):
        return None
    if client.startswith("play-services"):
        return "com.google.android.gms", client
    if client.startswith("firebase"):
        return "com.google.firebase", client
    if client.startswith("transport-") or client.startswith("datatransport"):
        return "com.google.android.datatransport", client
    return None


def _properties(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in text.splitlines()[:50]:
        key, sep, value = line.partition("=")
        if sep:
            fields[key.strip()] = value.strip()[:64]
    return fields


def library_components(facts: AppFacts) -> list[dict[str, Any]]:
    """The inventory's libraries: one entry per catalogued SDK and per build-metadata
    artifact; an artifact that belongs to a catalogued SDK names it (``sdk_id``)."""
    archive = facts.pkg.archive
    artifacts = build_metadata_artifacts(archive.names(), archive.read)
    known = {(a["group"], a["artifact"]) for a in artifacts}
    artifacts += [
        a for a in code_marker_artifacts(facts.code) if (a["group"], a["artifact"]) not in known
    ]
    return merge_libraries(facts.sdks_json(), artifacts, facts.sdk_catalog)


def merge_libraries(
    sdks: list[dict[str, Any]], artifacts: list[dict[str, Any]], catalog: SdkCatalog
) -> list[dict[str, Any]]:
    """SDK entries (from the report's ``sdks`` section) first, then the artifacts."""
    out: list[dict[str, Any]] = []
    for s in sdks:
        version = s.get("version") or {}
        out.append(
            {
                "kind": "sdk",
                "id": s["id"],
                "name": s["name"]["en"],
                "vendor": s["vendor"]["en"],
                "group": None,
                "artifact": None,
                "version": version.get("version"),
                "version_source": version.get("source"),
                "sdk_id": s["id"],
                "classes": s.get("class_count", 0),
            }
        )
    for a in artifacts:
        # a code marker knows its SDK; a Maven group is not always a package prefix
        # (com.squareup.okhttp3 is OkHttp's, not that of another com.squareup SDK)
        sdk = catalog.get(a["sdk_id"]) if a.get("sdk_id") else None
        sdk = sdk or sdk_for_maven_coordinate(catalog, f"{a['group']}_{a['artifact']}")
        out.append(
            {
                "kind": "library",
                "id": f"{a['group']}:{a['artifact']}",
                "name": a["artifact"],
                "vendor": None,
                "group": a["group"],
                "artifact": a["artifact"],
                "version": a["version"],
                "version_source": a["source"],
                "sdk_id": sdk.id if sdk else None,
                "classes": None,
            }
        )
    return out
