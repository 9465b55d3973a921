"""JSON Schema of the directory format, built from the taxonomy and validator constants.

A copy is kept in ``referral_cli/data/schema.json`` for editors
(yaml-language-server); a test fails when the copy is out of date, and
``python -m referral_cli.schema`` rewrites it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from referral_cli import hours, validate
from referral_cli.model import GENDERS, TRAFFICKING_TYPES
from referral_cli.taxonomy import load
from referral_cli.translations import FIELDS as TRANSLATABLE

SCHEMA_COPY = Path(__file__).parent / "data" / "schema.json"


def build() -> dict[str, Any]:
    tax = load()
    text = {"type": "string", "minLength": 1}
    phone = {"type": "string", "pattern": validate.PHONE_RE.pattern}
    str_list = {"type": "array", "items": {"type": "string"}}
    age = {"type": ["integer", "null"], "minimum": 0, "maximum": 130}
    time_spec = {"type": "string", "pattern": hours.SPEC_PATTERN}
    services = {
        "type": "array",
        "minItems": 1,
        "items": {
            "enum": list(tax.service_types),
        },
        "description": "Service type keys (see 'referral taxonomy').",
    }
    provider = {
        "type": "object",
        "required": ["id", "name", "services"],
        "additionalProperties": False,
        "patternProperties": {"^x-": {}},
        "properties": {
            "id": {
                "type": "string",
                "pattern": validate.ID_RE.pattern,
                "description": "Unique lowercase slug.",
            },
            "name": text,
            "organization": text,
            "description": text,
            "services": services,
            "areas": {"type": "array", "items": {"enum": list(tax.area_keys)}},
            "eligibility": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "ages": {"type": "array", "minItems": 2, "maxItems": 2, "items": age},
                    "genders": {"type": "array", "items": {"enum": list(GENDERS)}},
                    "trafficking": {"type": "array", "items": {"enum": list(TRAFFICKING_TYPES)}},
                    "populations": {
                        "type": "array",
                        "items": {"type": "string", "pattern": validate.ID_RE.pattern},
                    },
                    "notes": {"type": "string"},
                    "stated": {
                        "type": "boolean",
                        "description": "false: the provider has not said who it serves (unknown,"
                        " never 'everyone')",
                    },
                },
            },
            "languages": {
                "type": "array",
                "description": "ISO 639-1 or 639-3 codes, or BCP 47 tags such as zh-Hant or es-MX",
                "items": {
                    "type": "string",
                    "pattern": r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$",
                    "examples": list(tax.languages),
                },
            },
            "phone": phone,
            "hotline": phone,
            "email": {"type": "string", "pattern": validate.EMAIL_RE.pattern},
            "website": {"type": "string", "pattern": validate.URL_RE.pattern},
            "hours": {
                "oneOf": [
                    {"type": "string"},
                    {"type": "object", "additionalProperties": time_spec},
                ]
            },
            "timezone": {
                "type": "string",
                "description": "IANA time zone, e.g. America/Los_Angeles",
            },
            "address": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    **{k: {"type": "string"} for k in validate.ADDRESS_KEYS},
                    "country": {"type": "string", "pattern": validate.COUNTRY_RE.pattern},
                },
            },
            "location": {
                "type": "object",
                "required": ["lat", "lon"],
                "additionalProperties": False,
                "properties": {
                    "lat": {"type": "number", "minimum": -90, "maximum": 90},
                    "lon": {"type": "number", "minimum": -180, "maximum": 180},
                },
            },
            "confidential": {
                "type": "boolean",
                "description": "Street address and exact location are never shown.",
            },
            "service_area": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "radius_km": {"type": "number", "minimum": 0},
                    "regions": {
                        "type": "array",
                        "items": {"type": "string", "pattern": validate.SUBDIVISION_RE.pattern},
                    },
                    "countries": {
                        "type": "array",
                        "items": {"type": "string", "pattern": validate.COUNTRY_RE.pattern},
                    },
                    "remote": {"type": "boolean"},
                },
            },
            "intake": {"type": "string"},
            "cost": {"type": "string"},
            "capacity": {
                "type": "object",
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
            "last_verified": {"type": "string", "format": "date"},
            "keywords": str_list,
            "translations": {
                "type": "object",
                "description": "Texts in other languages, by language code",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {k: {"type": "string"} for k in TRANSLATABLE},
                },
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.org/referral-cli/schema.json",
        "title": "referral-cli directory",
        "type": "object",
        "required": ["providers"],
        "additionalProperties": False,
        "properties": {"providers": {"type": "array", "items": {"$ref": "#/$defs/provider"}}},
        "$defs": {"provider": provider},
    }


def schema_text() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_COPY.parent.mkdir(exist_ok=True)
    SCHEMA_COPY.write_text(schema_text(), "utf-8")
    print(f"wrote {SCHEMA_COPY}")
