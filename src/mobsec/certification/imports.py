"""Reading what a user uploads for product scoring: test sets, mapping tables, and another
product's results (SARIF 2.1.0 or a JSON mapping). Untrusted files: bounded, and every
problem is an :class:`ImportProblem` naming the file and what is wrong, in en and zh-CN."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .scoring import Expected, Result, SetPackage

MAX_BYTES = 32 * 1024 * 1024
MAX_RESULTS = 200_000
MAX_PACKAGES = 10_000
_TEXT = 500  # longest name, rule id or location kept
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/+\-]{0,99}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class ImportProblem(ValueError):
    def __init__(self, file: str, en: str, zh: str) -> None:
        self.file, self.en, self.zh = file, en, zh
        super().__init__(f"{file}: {en} / {zh}")


@dataclass
class ProductResults:
    tool: str
    version: str
    results: list[Result]


def _json(data: bytes, file: str) -> Any:
    if len(data) > MAX_BYTES:
        raise ImportProblem(
            file, f"larger than {MAX_BYTES >> 20} MiB", f"超过 {MAX_BYTES >> 20} MiB"
        )
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ImportProblem(file, "not UTF-8 text", "不是 UTF-8 文本") from None
    except (ValueError, RecursionError) as e:
        raise ImportProblem(file, f"not valid JSON ({e})", f"不是有效的 JSON({e})") from None


def _str(value: Any) -> str:
    return value[:_TEXT] if isinstance(value, str) else ""


def _need(cond: bool, file: str, en: str, zh: str) -> None:
    if not cond:
        raise ImportProblem(file, en, zh)


# ------------------------------------------------------------------------------ test sets


def parse_test_set(data: bytes, file: str) -> tuple[str, list[SetPackage]]:
    """``{"name": ..., "packages": [{"name", "sha256"?, "app_id"?, "weaknesses": [...]}]}``;
    a weakness is a class label or ``{"class": label, "location": class name}``."""
    doc = _json(data, file)
    _need(
        isinstance(doc, dict), file, "the test set must be a JSON object", "测试集必须是 JSON 对象"
    )
    name = _str(doc.get("name")).strip()
    _need(bool(name), file, "the test set needs a name", "测试集缺少 name")
    raw = doc.get("packages")
    _need(
        isinstance(raw, list) and 0 < len(raw) <= MAX_PACKAGES,
        file,
        f"packages must be a list of 1 to {MAX_PACKAGES} packages",
        f"packages 必须是包含 1 至 {MAX_PACKAGES} 个安装包的列表",
    )
    packages: list[SetPackage] = []
    seen: set[str] = set()
    for i, p in enumerate(raw):
        where = f"packages[{i}]"
        _need(isinstance(p, dict), file, f"{where} must be an object", f"{where} 必须是对象")
        pname = _str(p.get("name")).strip()
        _need(bool(pname), file, f"{where} needs a name", f"{where} 缺少 name")
        _need(pname not in seen, file, f"{where}: {pname!r} twice", f"{where}:{pname!r} 重复")
        seen.add(pname)
        sha = _str(p.get("sha256")).lower()
        _need(
            not sha or bool(_SHA256.fullmatch(sha)),
            file,
            f"{where}: sha256 must be 64 hex digits",
            f"{where}:sha256 必须是 64 位十六进制数",
        )
        weaknesses = p.get("weaknesses", [])
        _need(
            isinstance(weaknesses, list),
            file,
            f"{where}: weaknesses must be a list",
            f"{where}:weaknesses 必须是列表",
        )
        expected = []
        for j, w in enumerate(weaknesses):
            label, loc = (w, None) if isinstance(w, str) else (None, None)
            if isinstance(w, dict):
                label, loc = w.get("class"), w.get("location")
            _need(
                isinstance(label, str) and bool(_LABEL.fullmatch(label)),
                file,
                f"{where}.weaknesses[{j}]: a weakness class label is needed",
                f"{where}.weaknesses[{j}]:需要缺陷类别标签",
            )
            _need(
                loc is None or isinstance(loc, str),
                file,
                f"{where}.weaknesses[{j}]: location must be text",
                f"{where}.weaknesses[{j}]:location 必须是文本",
            )
            expected.append(Expected(pname, label, _str(loc) or None))
        packages.append(SetPackage(pname, sha, _str(p.get("app_id")), tuple(expected)))
    return name, packages


# --------------------------------------------------------------------------- mapping tables


def parse_mapping(data: bytes, file: str) -> dict[str, tuple[str, ...]]:
    """``{"rule id": "class" | ["class", ...]}``; a key ending in '.' maps a family."""
    doc = _json(data, file)
    _need(
        isinstance(doc, dict) and bool(doc),
        file,
        "the mapping table must be a non-empty JSON object: rule id -> weakness class",
        "映射表必须是非空 JSON 对象:规则编号 -> 缺陷类别",
    )
    out: dict[str, tuple[str, ...]] = {}
    for rule, value in doc.items():
        if rule.startswith("_"):
            continue  # "_doc" and other comments
        labels = [value] if isinstance(value, str) else value
        _need(
            isinstance(labels, list)
            and bool(labels)
            and all(isinstance(v, str) and _LABEL.fullmatch(v) for v in labels),
            file,
            f"rule {rule[:100]!r}: the weakness class must be a label or a list of labels",
            f"规则 {rule[:100]!r}:缺陷类别必须是标签或标签列表",
        )
        out[rule[:_TEXT]] = tuple(labels)
    return out


# -------------------------------------------------------------------------------- results


def parse_results(data: bytes, file: str) -> ProductResults:
    """SARIF 2.1.0 (``runs``) or the JSON mapping form
    ``{"tool", "version", "results": [{"package", "rule", "location"?}]}``."""
    doc = _json(data, file)
    _need(isinstance(doc, dict), file, "expected a JSON object", "应为 JSON 对象")
    if "runs" in doc:
        return _sarif(doc, file)
    _need(
        isinstance(doc.get("results"), list),
        file,
        "neither SARIF (runs) nor the JSON mapping form (results)",
        "既不是 SARIF(runs),也不是 JSON 映射格式(results)",
    )
    rows = doc["results"]
    _need(len(rows) <= MAX_RESULTS, file, "too many results", "结果过多")
    results = []
    for i, r in enumerate(rows):
        _need(
            isinstance(r, dict) and bool(_str(r.get("package"))) and bool(_str(r.get("rule"))),
            file,
            f"results[{i}] needs package and rule",
            f"results[{i}] 缺少 package 或 rule",
        )
        results.append(Result(_str(r["package"]), _str(r["rule"]), _str(r.get("location")) or None))
    return ProductResults(_str(doc.get("tool")), _str(doc.get("version")), results)


def _sarif(doc: dict[str, Any], file: str) -> ProductResults:
    runs = doc.get("runs")
    _need(
        isinstance(runs, list) and bool(runs),
        file,
        "SARIF runs must be a list",
        "SARIF runs 必须是列表",
    )
    tool = version = ""
    results: list[Result] = []
    for i, run in enumerate(runs):
        _need(isinstance(run, dict), file, f"runs[{i}] must be an object", f"runs[{i}] 必须是对象")
        driver = (run.get("tool") or {}).get("driver") if isinstance(run.get("tool"), dict) else {}
        driver = driver if isinstance(driver, dict) else {}
        tool = tool or _str(driver.get("name"))
        version = version or _str(driver.get("semanticVersion")) or _str(driver.get("version"))
        rules = driver.get("rules") if isinstance(driver.get("rules"), list) else []
        artifacts = run.get("artifacts") if isinstance(run.get("artifacts"), list) else []
        run_target = _run_target(run, artifacts)
        for j, r in enumerate(run.get("results") or []):
            _need(len(results) < MAX_RESULTS, file, "too many results", "结果过多")
            _need(
                isinstance(r, dict),
                file,
                f"runs[{i}].results[{j}] must be an object",
                f"runs[{i}].results[{j}] 必须是对象",
            )
            rule = _rule_id(r, rules)
            _need(
                bool(rule),
                file,
                f"runs[{i}].results[{j}] has no ruleId",
                f"runs[{i}].results[{j}] 缺少 ruleId",
            )
            uri, logical = _location(r, artifacts)
            results.append(
                Result(" ".join(x for x in (uri, run_target) if x), rule, logical or uri)
            )
    return ProductResults(tool, version, results)


def _rule_id(r: dict[str, Any], rules: list[Any]) -> str:
    if _str(r.get("ruleId")):
        return _str(r["ruleId"])
    rule = r.get("rule") if isinstance(r.get("rule"), dict) else {}
    if _str(rule.get("id")):
        return _str(rule["id"])
    idx = r.get("ruleIndex", rule.get("index"))
    if isinstance(idx, int) and 0 <= idx < len(rules) and isinstance(rules[idx], dict):
        return _str(rules[idx].get("id"))
    return ""


def _artifact_uri(loc: Any, artifacts: list[Any]) -> str:
    if not isinstance(loc, dict):
        return ""
    if _str(loc.get("uri")):
        return _str(loc["uri"])
    idx = loc.get("index")
    if isinstance(idx, int) and 0 <= idx < len(artifacts) and isinstance(artifacts[idx], dict):
        return _artifact_uri(artifacts[idx].get("location"), [])
    return ""


def _location(r: dict[str, Any], artifacts: list[Any]) -> tuple[str, str]:
    locs = r.get("locations") if isinstance(r.get("locations"), list) else []
    first = locs[0] if locs and isinstance(locs[0], dict) else {}
    phys = first.get("physicalLocation") if isinstance(first.get("physicalLocation"), dict) else {}
    uri = _artifact_uri(phys.get("artifactLocation"), artifacts)
    logical = ""
    for ll in first.get("logicalLocations") or []:
        if isinstance(ll, dict) and (_str(ll.get("fullyQualifiedName")) or _str(ll.get("name"))):
            logical = _str(ll.get("fullyQualifiedName")) or _str(ll.get("name"))
            break
    return uri, logical


def _run_target(run: dict[str, Any], artifacts: list[Any]) -> str:
    """What the run scanned, for results whose own location names no package: the
    automation id, the analysis target of the invocation, or the first artifact."""
    auto = run.get("automationDetails") if isinstance(run.get("automationDetails"), dict) else {}
    parts = [_str(auto.get("id"))]
    props = run.get("properties") if isinstance(run.get("properties"), dict) else {}
    package = props.get("package")
    if isinstance(package, dict):  # mobsec's own SARIF: {file_name, hashes: {sha256...}}
        hashes = package.get("hashes") if isinstance(package.get("hashes"), dict) else {}
        parts += [_str(package.get("file_name")), _str(hashes.get("sha256"))]
    else:
        parts.append(_str(package))
    for a in artifacts[:1]:
        if isinstance(a, dict):
            parts.append(_artifact_uri(a.get("location"), []))
    return " ".join(p for p in parts if p)
