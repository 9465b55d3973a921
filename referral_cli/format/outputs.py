"""JSON Schemas (Draft 2020-12) of the machine outputs that scripts read.

Advocates script ``find --format json``, ``--batch`` NDJSON, ``show``,
``coverage``, ``validate`` and ``locate``: each output names its
``format_version``, and its schema here is what a script may rely on. A key a
script may rely on is required; new keys may be added within a format version
(objects stay open), removing or retyping one raises the version. The tests
validate every output of the real commands against these schemas, so the two
cannot drift apart unnoticed. ``referral schema --output NAME`` prints one.
"""

from __future__ import annotations

import json
from typing import Any

from referral_cli.output import FORMAT_VERSION

_DIALECT = "https://json-schema.org/draft/2020-12/schema"

_TEXT: dict[str, Any] = {"type": "string"}
_TEXTS: dict[str, Any] = {"type": "array", "items": _TEXT}
_MAYBE_TEXT: dict[str, Any] = {"type": ["string", "null"]}
_MAYBE_NUMBER: dict[str, Any] = {"type": ["number", "null"]}
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
_VERSION: dict[str, Any] = {"const": FORMAT_VERSION}


def _object(required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    """An open object: these keys, the ``required`` ones always present."""
    return {
        "type": "object",
        "required": sorted(required),
        "properties": {**required, **(optional or {})},
    }


# A provider as show and find print it: the directory's keys, a confidential
# provider's street, postal code and point never among them.
PROVIDER = _object(
    {"id": _TEXT, "name": _TEXT, "services": _TEXTS},
    {
        "organization": _TEXT,
        "description": _TEXT,
        "areas": _TEXTS,
        "eligibility": {"type": "object"},
        "languages": _TEXTS,
        "phone": _TEXT,
        "hotline": _TEXT,
        "email": _TEXT,
        "website": _TEXT,
        "hours": {"type": ["string", "object"]},
        "timezone": _TEXT,
        "address": {"type": "object"},
        "location": {"type": "object"},
        "confidential": {"type": "boolean"},
        "last_verified": _MAYBE_TEXT,
    },
)

_RESULT = {
    **PROVIDER,
    "required": sorted({*PROVIDER["required"], "score", "distance_km", "reach", "reasons"}),
    "properties": {
        **PROVIDER["properties"],
        "score": {"type": "number"},
        "distance_km": _MAYBE_NUMBER,
        "reach": _MAYBE_TEXT,
        "reasons": _TEXTS,
    },
}

_ORIGIN = {
    "anyOf": [
        {"type": "null"},
        _object({"label": _TEXT, "lat": {"type": "number"}, "lon": {"type": "number"}}),
    ]
}

_QUERY = _object(
    {
        "text": _MAYBE_TEXT,
        "services": _TEXTS,
        "age": {"type": ["integer", "null"]},
        "gender": _MAYBE_TEXT,
        "languages": _TEXTS,
        "place": _MAYBE_TEXT,
        "understood": _TEXT,
    },
    {"radius_km": _MAYBE_NUMBER, "radius_used_km": _MAYBE_NUMBER, "terms": _TEXTS},
)

_ANSWER_KEYS: dict[str, Any] = {
    "format_version": _VERSION,
    "query": _QUERY,
    "origin": _ORIGIN,
    "results": {"type": "array", "items": _RESULT},
    "notes": _TEXTS,
    "relaxed": _TEXTS,  # the filters let go of so that something is shown
}

FIND = {**_object(_ANSWER_KEYS), "title": "referral find --format json"}

# One line of --batch: the line's number and text, and either an answer or an error.
FIND_BATCH_LINE = {
    "title": "referral find --batch (one NDJSON line)",
    "type": "object",
    "required": ["line", "input", "format_version"],
    "properties": {
        "line": {"type": "integer", "minimum": 1},
        "input": _TEXT,
        "error": _TEXT,
        **_ANSWER_KEYS,
    },
    "oneOf": [
        {"required": ["error"]},
        {"required": sorted(_ANSWER_KEYS)},
    ],
}

SHOW = {**PROVIDER, "title": "referral show --format json"}

_DIAGNOSTIC = _object(
    {
        "path": _TEXT,
        "line": {"type": "integer", "minimum": 1},
        "col": {"type": "integer", "minimum": 1},
        "severity": {"enum": ["error", "warning"]},
        "code": _TEXT,
        "message": _TEXT,
    }
)

VALIDATE = {
    **_object(
        {
            "format_version": _VERSION,
            "directory": _TEXT,
            "files": _TEXTS,
            "providers": _COUNT,
            "errors": _COUNT,
            "warnings": _COUNT,
            "diagnostics": {"type": "array", "items": _DIAGNOSTIC},
        }
    ),
    "title": "referral validate --format json",
}

_TALLY = {"local": _COUNT, "remote": _COUNT, "total": _COUNT}

# The coverage matrix counts, and lists ids only with --ids: its own version
# (coverage.model.MATRIX_FORMAT_VERSION; the tests hold the two equal).
COVERAGE_VERSION = 2

COVERAGE = {
    **_object(
        {
            "format_version": {"const": COVERAGE_VERSION},
            "framework": _object({"key": _TEXT, "label": _TEXT}),
            "by": _TEXT,
            "places": {"type": "array", "items": _object({"label": _TEXT, "kind": _TEXT})},
            "rows": {"type": "array", "items": _object({"key": _TEXT, "label": _TEXT})},
            "cells": {
                "type": "array",
                "items": _object({"row": _TEXT, "place": _TEXT, **_TALLY}),
            },
            "gaps": {"type": "array", "items": _object({"place": _TEXT, "message": _TEXT})},
            "notes": _TEXTS,
        }
    ),
    "title": "referral coverage --format json",
}

_PLACE = _object(
    {"label": _TEXT, "lat": {"type": "number"}, "lon": {"type": "number"}, "kind": _TEXT}
)

LOCATE = {
    **_object(
        {
            "format_version": _VERSION,
            "input": _TEXT,
            "place": {"anyOf": [{"type": "null"}, _PLACE]},
            "notes": _TEXTS,
        },
        {"alternatives": {"type": "array", "items": _PLACE}},
    ),
    "title": "referral locate --format json",
}

# Every machine output by the name `referral schema --output` takes.
OUTPUTS: dict[str, dict[str, Any]] = {
    "find": FIND,
    "find-batch": FIND_BATCH_LINE,
    "show": SHOW,
    "coverage": COVERAGE,
    "validate": VALIDATE,
    "locate": LOCATE,
}


def output_schema(name: str) -> dict[str, Any]:
    """The schema of one machine output, with its dialect and version."""
    return {"$schema": _DIALECT, "x-format-version": FORMAT_VERSION, **OUTPUTS[name]}


def output_schema_text(name: str) -> str:
    return json.dumps(output_schema(name), indent=2, sort_keys=True) + "\n"
