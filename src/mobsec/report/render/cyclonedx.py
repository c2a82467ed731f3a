"""CycloneDX 1.6 SBOM of one app, from the report's ``inventory`` section.

* ``metadata.component``: the app (type application), with the package's hashes, its
  permissions and exported components as ``mobsec:`` properties;
* ``components``: catalogued SDKs (``sdk:<id>``), build-metadata artifacts with Maven purls
  (``pkg:maven/<group>/<artifact>@<version>``), native libraries (type file, SHA-256) with
  the libraries whose banners they embed as sub-components (``pkg:generic/openssl@...``);
* ``services``: the hosts the code holds URLs for, with up to five sample endpoints;
* ``vulnerabilities``: the advisories of the offline table
  (:mod:`mobsec.facts.inventory.advisories`) that cover a Maven component's version, each
  affecting that component (the same lookup as the check ``android.sdk.vulnerable-library``).

Built with cyclonedx-python-lib and checked by its strict JSON validator before it is
returned, so an SBOM that would not validate is an error (RenderError), not a file.
A stored report renders the same SBOM: the serial number and timestamp come from the scan.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from cyclonedx.model import HashAlgorithm, HashType, Property, XsUri
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.service import Service
from cyclonedx.model.vulnerability import (
    BomTarget,
    Vulnerability,
    VulnerabilityRating,
    VulnerabilityReference,
    VulnerabilityScoreSource,
    VulnerabilitySeverity,
    VulnerabilitySource,
)
from cyclonedx.output.json import JsonV1Dot6
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from packageurl import PackageURL

from mobsec.facts.inventory.advisories import Advisory, advisories_for
from mobsec.report.render import RenderError

_HASHES = (("sha256", HashAlgorithm.SHA_256), ("sha1", HashAlgorithm.SHA_1))


def render_cyclonedx(doc: dict[str, Any]) -> str:
    inventory = doc.get("inventory")
    if not inventory:
        raise RenderError(
            "this report has no inventory (the package format gives none, or the report is "
            "older than the inventory): no SBOM / 该报告没有组件清单，无法生成 SBOM"
        )
    bom = Bom(serial_number=_serial(doc))
    bom.metadata.timestamp = _time(doc["scan"].get("finished_at"))
    bom.metadata.tools.components.add(
        Component(type=ComponentType.APPLICATION, name="mobsec", version=doc["tool"]["version"])
    )
    app = _app_component(doc, inventory)
    bom.metadata.component = app
    parts = [_library(lib) for lib in inventory["libraries"]]
    parts += [_native(lib) for lib in inventory["native_libraries"]]
    for c in parts:
        bom.components.add(c)
    for h in inventory["hosts"]:
        bom.services.add(_service(h))
    for lib in inventory["libraries"]:
        if lib["kind"] == "library":
            for adv in advisories_for(lib["id"], lib["version"]):
                bom.vulnerabilities.add(_vulnerability(adv, f"maven:{lib['id']}"))
    bom.register_dependency(app, parts)
    text = JsonV1Dot6(bom).output_as_string(indent=2)
    problem = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    if problem is not None:
        raise RenderError(f"the SBOM does not validate against CycloneDX 1.6: {problem}")
    return text + "\n"


def _serial(doc: dict[str, Any]) -> uuid.UUID:
    """Same report, same serial number (a re-render is the same document)."""
    basis = f"{doc['package']['hashes']['sha256']}|{doc['scan'].get('finished_at')}"
    return uuid.uuid5(uuid.NAMESPACE_URL, "mobsec:" + basis)


def _time(text: str | None) -> datetime:
    try:
        return datetime.fromisoformat(text or "")
    except ValueError:
        return datetime.fromtimestamp(0).astimezone()


def _app_component(doc: dict[str, Any], inventory: dict[str, Any]) -> Component:
    pkg, app = doc["package"], doc.get("app") or {}
    props = [Property(name="mobsec:format", value=pkg["format"])]
    props += [Property(name="mobsec:permission", value=p) for p in inventory["permissions"]]
    props += [
        Property(name="mobsec:exported-component", value=f"{c['kind']} {c['name']}")
        for c in inventory["exported_components"]
    ]
    props.append(Property(name="mobsec:framework-api-classes", value=str(len(inventory["apis"]))))
    return Component(
        type=ComponentType.APPLICATION,
        bom_ref="app",
        name=app.get("package") or pkg["file_name"],
        version=app.get("version_name") or None,
        hashes=[HashType(alg=alg, content=pkg["hashes"][k]) for k, alg in _HASHES],
        properties=props,
    )


def _library(lib: dict[str, Any]) -> Component:
    props = []
    if lib["version_source"]:
        props.append(Property(name="mobsec:version-source", value=lib["version_source"]))
    if lib["sdk_id"]:
        props.append(Property(name="mobsec:sdk", value=lib["sdk_id"]))
    if lib["kind"] == "sdk":
        who = {"bom_ref": f"sdk:{lib['id']}", "name": lib["name"], "publisher": lib["vendor"]}
    else:
        who = {
            "bom_ref": f"maven:{lib['id']}",
            "group": lib["group"],
            "name": lib["artifact"],
            "purl": PackageURL("maven", lib["group"], lib["artifact"], lib["version"]),
        }
    return Component(
        type=ComponentType.LIBRARY,
        version=lib["version"],
        properties=props,
        **who,
    )


def _vulnerability(adv: Advisory, ref: str) -> Vulnerability:
    ratings = []
    if adv.cvss_score is not None:
        ratings.append(
            VulnerabilityRating(
                score=Decimal(str(adv.cvss_score)),
                severity=VulnerabilitySeverity(adv.severity),
                method=VulnerabilityScoreSource.CVSS_V3_1,
                vector=adv.cvss_vector,
            )
        )
    else:
        ratings.append(VulnerabilityRating(severity=VulnerabilitySeverity(adv.severity)))
    return Vulnerability(
        bom_ref=f"{adv.id}@{ref}",
        id=adv.id,
        source=VulnerabilitySource(url=XsUri(adv.reference)),
        references=[
            VulnerabilityReference(
                id=alias, source=VulnerabilitySource(url=XsUri(_alias_url(alias)))
            )
            for alias in adv.aliases
        ],
        ratings=ratings,
        description=adv.summary_en,
        recommendation=f"Upgrade to {adv.fixed} or later." if adv.fixed else None,
        affects=[BomTarget(ref=ref)],
    )


def _alias_url(alias: str) -> str:
    if alias.startswith("GHSA-"):
        return f"https://github.com/advisories/{alias}"
    return f"https://www.cve.org/CVERecord?id={alias}"


def _native(lib: dict[str, Any]) -> Component:
    props = [Property(name="mobsec:abi", value=lib["abi"])] if lib["abi"] else []
    if lib["soname"]:
        props.append(Property(name="mobsec:soname", value=lib["soname"]))
    embedded = [
        Component(
            type=ComponentType.LIBRARY,
            bom_ref=f"native:{lib['path']}:{v['library']}@{v['version']}",
            name=v["library"],
            version=v["version"],
            purl=PackageURL("generic", None, v["library"], v["version"]),
            properties=[Property(name="mobsec:evidence", value=v["evidence"])],
        )
        for v in lib["versions"]
    ]
    return Component(
        type=ComponentType.FILE,
        bom_ref=f"native:{lib['path']}",
        name=lib["path"],
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=lib["sha256"])],
        properties=props,
        components=embedded,
    )


def _service(host: dict[str, Any]) -> Service:
    endpoints = []
    for url in host["urls"]:
        try:
            endpoints.append(XsUri(url))
        except ValueError:  # a string from the package that is no URI the schema accepts
            continue
    return Service(
        name=host["host"],
        bom_ref=f"host:{host['host']}",
        endpoints=endpoints,
        properties=[Property(name="mobsec:code-owner", value=o) for o in host["owners"]],
    )
