"""JSON Schema (Draft 2020-12) of the directory format, generated from
:mod:`referral_cli.format.definition` and the taxonomy.

It accepts what ``referral validate`` accepts without an error, except for the
few checks a schema cannot make: membership of the lists the format names in
``Field.membership`` (language tags, time zones, an address's region) and ages
in order; ``tests/format/test_format_agreement.py`` checks both on generated edits. Values are
trimmed before validate checks them, so patterns allow surrounding spaces.

A copy is kept in ``referral_cli/data/schema.json`` for editors
(yaml-language-server); a test fails when the copy is out of date, and
``python -m referral_cli.format.schema`` rewrites it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from referral_cli.format.definition import (
    CONFIDENTIAL_REACHED_BY,
    DAYS_PATTERN,
    DOCUMENT,
    ELIGIBILITY,
    PROVIDER,
    UNSTATED_WITHOUT,
    Field,
    Record,
    any_case,
)
from referral_cli.taxonomy import Taxonomy, load

SCHEMA_COPY = Path(__file__).parent.parent / "data" / "schema.json"
Schema = dict[str, Any]


def _trimmed(pattern: str) -> str:
    """A ``^…$`` pattern that also matches with spaces around (validate trims)."""
    return rf"^\s*(?:{pattern.removeprefix('^').removesuffix('$')})\s*$"


def _choices(f: Field, tax: Taxonomy) -> tuple[str, ...] | None:
    if f.choices is not None:
        return f.choices
    if f.choices_warn_only:
        return None
    if f.taxonomy_choices is not None:
        return f.taxonomy_choices(tax)
    return None


BLANK: Schema = {"type": "string", "pattern": r"^\s*$"}


def _text(f: Field, tax: Taxonomy) -> Schema:
    """A text value, or an item of a list of texts."""
    blank_too = f.kind == "text" and not f.required  # validate reads a blank one as absent
    if f.database_choices is not None:  # a long list, kept once under $defs
        ref: Schema = {"$ref": f"#/$defs/{f.database_choices.__name__}"}
        return {"anyOf": [BLANK, ref]} if blank_too else ref
    out: Schema = {"type": "string"}
    choices = _choices(f, tax)
    if choices is not None and blank_too:
        return {"anyOf": [BLANK, {"type": "string", "enum": list(choices)}]}
    if choices is not None:
        out["enum"] = list(choices)
    elif f.pattern and f.kind == "text" and not f.required:  # blank: validate reads absent
        out["pattern"] = r"^\s*$|" + _trimmed(f.pattern)
    elif f.pattern:
        out["pattern"] = _trimmed(f.pattern)
    elif f.required:
        out["pattern"] = r"\S"  # validate trims: blank is empty
    if f.choices_warn_only and f.taxonomy_choices is not None:
        out["examples"] = list(f.taxonomy_choices(tax))
    return out


def _nullable(out: Schema) -> Schema:
    """``key: null`` is the key left out."""
    if "$ref" in out:
        return {"anyOf": [out, {"type": "null"}]}
    if "anyOf" in out:
        return {"anyOf": [*out["anyOf"], {"type": "null"}]}
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    if "oneOf" in out:
        out["oneOf"].append({"type": "null"})
    else:
        kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = [*kinds, "null"]
    return out


def _value(f: Field, tax: Taxonomy) -> Schema:
    out: Schema
    if f.kind == "text":
        out = _text(f, tax)
    elif f.kind == "texts":
        item = _text(f, tax)
        # A single text counts as a list of one.
        out = {"type": ["array", "string"], "items": item, "if": {"type": "string"}, "then": item}
        if f.min_items:
            out["minItems"] = f.min_items
    elif f.kind == "bool":
        out = {"type": "boolean"}
    elif f.kind == "number":
        out = {"type": "number", "minimum": f.minimum, "maximum": f.maximum}
    elif f.kind == "date":
        assert f.pattern is not None
        out = {"type": "string", "pattern": _trimmed(f.pattern), "format": "date"}
    elif f.kind == "datetime":
        assert f.pattern is not None
        out = {"type": "string", "pattern": _trimmed(f.pattern), "format": "date-time"}
    elif f.kind == "count":
        out = {"type": "integer", "minimum": 0}
        if f.maximum is not None:
            out["maximum"] = f.maximum
    elif f.kind == "ages":
        bound = {"type": ["integer", "null"], "minimum": f.minimum, "maximum": f.maximum}
        out = {"type": "array", "minItems": 2, "maxItems": 2, "items": bound}
    elif f.kind == "hours":
        days = {"type": "object", "propertyNames": {"pattern": DAYS_PATTERN}}
        days["additionalProperties"] = {"type": "string", "pattern": f.pattern}
        out = {"oneOf": [{"type": "string"}, days]}
    elif f.kind == "counts":
        out = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
    elif f.kind == "translations":
        assert f.record is not None and f.taxonomy_choices is not None
        codes = "|".join(any_case(code) for code in f.taxonomy_choices(tax))
        out = {
            "type": "object",
            "propertyNames": {"pattern": f"^(?:{codes})$"},
            "additionalProperties": _nullable(_record(f.record, tax)),
        }
    elif f.kind == "records":
        assert f.record is not None
        # An empty 'providers:' is a file of none.
        out = {"type": ["array", "null"], "items": {"$ref": f"#/$defs/{f.record.name}"}}
    else:
        assert f.kind == "record" and f.record is not None
        out = _record(f.record, tax)
    out = {k: v for k, v in out.items() if v is not None}
    if not f.required and f.nullable:
        out = _nullable(out)
    return {**out, "description": f.description}


def _record(record: Record, tax: Taxonomy) -> Schema:
    out: Schema = {
        "type": "object",
        "additionalProperties": False,
        "patternProperties": {"^x-": {}},
        "properties": {f.key: _value(f, tax) for f in record.fields},
    }
    if record.required:
        out["required"] = list(record.required)
    rule = _RULES.get(record.name)
    return {**out, **rule()} if rule else out


def _reachable_if_confidential() -> Schema:
    """A confidential provider must be reachable: a phone or a hotline."""
    reachable = [
        {"required": [key], "properties": {key: {"type": "string", "pattern": r"\S"}}}
        for key in CONFIDENTIAL_REACHED_BY
    ]
    return {
        "if": {"required": ["confidential"], "properties": {"confidential": {"const": True}}},
        "then": {"anyOf": reachable},
    }


def _unrestricted_if_unstated() -> Schema:
    """``stated: false`` says nobody knows who is served: no restriction with it."""
    unset = {"anyOf": [{"type": "null"}, {"type": "array", "maxItems": 0}]}
    no_bound = {"anyOf": [{"type": "null"}, {"type": "array", "items": {"type": "null"}}]}
    by_kind = {"ages": no_bound, "bool": {"type": "null"}, "count": {"type": "null"}}
    restrictions = {key: by_kind.get(ELIGIBILITY[key].kind, unset) for key in UNSTATED_WITHOUT}
    return {
        "if": {"required": ["stated"], "properties": {"stated": {"const": False}}},
        "then": {"properties": restrictions},
    }


def _until_only_if_closed() -> Schema:
    """``until`` is the day a closed provider reopens: with no other state."""
    return {
        "if": {"required": ["until"], "properties": {"until": {"type": "string"}}},
        "then": {"properties": {"state": {"const": "closed"}}},
    }


# Lists of values from the gazetteer, each written once under $defs.
_DATABASE_LISTS = tuple(
    {
        f.database_choices: None
        for record in (PROVIDER, *(f.record for f in PROVIDER.fields if f.record))
        for f in record.fields
        if f.database_choices
    }
)

# Rules across the keys of a record, by record name.
_RULES = {
    "provider": _reachable_if_confidential,
    "eligibility": _unrestricted_if_unstated,
    "status": _until_only_if_closed,
}


def build() -> Schema:
    tax = load()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://example.org/referral-cli/schema.json",
        "title": "referral-cli directory",
        **_record(DOCUMENT, tax),
        "$defs": {
            "provider": _record(PROVIDER, tax),
            **{lst.__name__: {"type": "string", "enum": list(lst())} for lst in _DATABASE_LISTS},
        },
    }


def schema_text() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    SCHEMA_COPY.parent.mkdir(exist_ok=True)
    SCHEMA_COPY.write_text(schema_text(), "utf-8")
    print(f"wrote {SCHEMA_COPY}")
