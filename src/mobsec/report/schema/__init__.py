"""The Report JSON Schema, shipped with the package."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_FILE = "report.schema.json"


@cache
def report_schema() -> dict[str, Any]:
    return json.loads(files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def report_validator() -> Draft202012Validator:
    schema = report_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def validate_report(doc: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError if ``doc`` is not a valid report."""
    report_validator().validate(doc)
