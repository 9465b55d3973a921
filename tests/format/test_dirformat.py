"""The one definition of the directory format, and what is derived from it:
the model's field order, the JSON Schema, the diagnostic codes, the docs."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from referral_cli.format import definition, schema
from referral_cli.records import hours, model

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "referral_cli"


def test_the_model_has_the_format_fields_in_its_order() -> None:
    assert definition.PROVIDER.model_fields() == model.FIELDS


def test_the_schema_is_a_draft_2020_12_schema_of_every_key() -> None:
    built = schema.build()
    jsonschema.Draft202012Validator.check_schema(built)
    provider = built["$defs"]["provider"]
    assert list(provider["properties"]) == list(definition.PROVIDER.keys)
    assert provider["required"] == ["id", "name", "services"]
    for key, record in (
        ("eligibility", definition.ELIGIBILITY),
        ("address", definition.ADDRESS),
        ("location", definition.LOCATION),
        ("service_area", definition.SERVICE_AREA),
    ):
        assert list(provider["properties"][key]["properties"]) == list(record.keys), key
    assert provider["properties"]["location"]["required"] == ["lat", "lon"]


def _codes_in_source() -> set[str]:
    """The code of every diagnostic the package makes: the last text argument of
    ``Diagnostic(…)``, ``….error(…)``, ``….warning(…)`` and ``add(…)``."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            last = node.args[-1]
            if name == "Diagnostic" and len(node.args) >= 6:
                last = node.args[5]
            elif name not in ("error", "warning", "add") or len(node.args) < 3:
                continue
            code = last.value if isinstance(last, ast.Constant) else None
            if isinstance(code, str) and re.fullmatch(r"[a-z][a-z-]*", code):
                found.add(code)
    return found


def test_every_diagnostic_code_is_in_the_format_and_every_listed_code_is_used() -> None:
    listed = {c.code for c in definition.CODES if c.code}
    used = _codes_in_source()
    assert used - listed == set(), "add the code to definition.CODES"
    assert listed - used == set(), "a code no check makes"
    assert len({c.code for c in definition.CODES}) == len(definition.CODES)


def _format_docs():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(
        "format_docs", ROOT / "scripts" / "format_docs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_maintainers_guide_lists_the_fields_and_codes_of_the_format() -> None:
    docs = _format_docs()
    page = docs.PAGE.read_text("utf-8")
    assert docs.render(page) == page, "run: python scripts/format_docs.py"
    for f in definition.PROVIDER.fields:
        assert f"| `{f.key}` |" in page
    assert "| `service_area.radius_km` | number |  | 0 to 20100 |" in page
    for c in definition.CODES:
        assert (f"| `{c.code}` | {c.severity} |" if c.code else "| (none) | error |") in page


def test_day_keys_pattern_accepts_what_the_hours_parser_accepts() -> None:
    words = ["mon", "Mon-Fri", "sat,sun", " daily ", "EVERYDAY", "fri-mon", "mon, wed, fri"]
    words += ["daily,sat", "mon - fri", "monday", "", "mon,,tue", "sun-", "weekdays", "x"]
    for word in words:
        expected = hours.parse_days(word) is not None
        assert (re.match(definition.DAYS_PATTERN, word) is not None) is expected, word


def test_phone_pattern_counts_digits_before_the_extension() -> None:
    ok = ["211", "+1 559-555-0142", "(559) 555-0142 x12", "+52 81 5555 0142 ext. 7"]
    bad = ["12345", "+1 559 555 0100 1234 56", "55-55", "x12", "911 x"]
    assert all(definition.PHONE_RE.match(p) for p in ok)
    assert not any(definition.PHONE_RE.match(p) for p in bad)


def _patterns(node: object) -> list[str]:
    """Every regular expression of a schema: patterns and pattern property names."""
    if isinstance(node, list):
        return [p for item in node for p in _patterns(item)]
    if not isinstance(node, dict):
        return []
    found = [node["pattern"]] if isinstance(node.get("pattern"), str) else []
    found += list(node.get("patternProperties", {}))
    return found + [p for value in node.values() for p in _patterns(value)]


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node, for ECMA-262")
def test_schema_patterns_are_ecma_262_regular_expressions_editors_can_compile() -> None:
    """Editors compile the patterns as JavaScript (Unicode mode, as ajv does):
    each must compile there too, and match the sample values as Python does."""
    patterns = _patterns(schema.build())
    samples = ["mon-fri", "Sat,Sun", "+1 559-555-0142", "12345", "es", "ES", "x-a", " 09:00-17:00"]
    script = (
        "const [ps, ss] = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "console.log(JSON.stringify(ps.map(p => ss.map(s => new RegExp(p, 'u').test(s)))));"
    )
    out = subprocess.run(
        ["node", "-e", script],
        input=json.dumps([patterns, samples]),
        capture_output=True,
        text=True,
        check=True,
    )
    in_js = json.loads(out.stdout)
    in_python = [[re.search(p, s) is not None for s in samples] for p in patterns]
    assert len(patterns) >= 20
    assert in_js == in_python


def test_the_language_tag_shape_takes_every_tag_the_languages_module_takes() -> None:
    from referral_cli import languages

    table = languages._table()
    tags = [*table["aliases"], *table["names"], "zh-Hant-TW", "es-419", "sr_Latn"]
    taken = [t for t in tags if languages.normalize(t) is not None]
    assert len(taken) > 8000
    shape = re.compile(definition.LANGUAGE_TAG_PATTERN)
    assert [t for t in taken if not shape.match(t)] == []
