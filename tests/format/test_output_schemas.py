"""Every machine output of the real commands validates against its published
schema (`referral schema --output NAME`), on the sample and on awkward answers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

from referral_cli.format.outputs import OUTPUTS

SAMPLE = str(Path(__file__).parents[2] / "data" / "resources.yaml")
# every test reads the shipped sample: its index is built once for the module
pytestmark = pytest.mark.usefixtures("shared_index")
CONFIDENTIAL = directory_yaml(provider_yaml(id="open-one", name="Open One")) + (
    "  - id: hidden-house\n    name: Hidden House\n    services: [temporary-shelter]\n"
    '    phone: "+1 559-555-0111"\n    confidential: true\n'
    '    address: {street: 77 Quiet Court, city: Fresno, region: CA, postal_code: "93702", country: US}\n'
    "    location: {lat: 36.7012, lon: -119.7523}\n    last_verified: 2026-10-01\n"
)


def _validator(name: str, runner: CliRunner) -> jsonschema.Draft202012Validator:
    printed = invoke(runner, "schema", "--output", name)
    assert printed.exit_code == 0
    schema = json.loads(printed.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _valid(name: str, runner: CliRunner, document: Any) -> None:
    errors = sorted(_validator(name, runner).iter_errors(document), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


@pytest.mark.parametrize(
    "query",
    [
        "temporary shelter for minors near Fresno",
        "she's 15, needs a place to stay tonight, Visalia",
        "legal aid",
        "shelter near Qwxyzzyville-not-a-place",
        "",
    ],
)
def test_find_json_follows_its_schema(runner: CliRunner, query: str) -> None:
    result = invoke(runner, "find", query, "--data", SAMPLE, "-f", "json")
    if result.exit_code == 0:
        _valid("find", runner, json.loads(result.stdout))
    else:  # an unknown place stops find: one line on stderr, nothing on stdout
        assert result.exit_code == 1 and result.stdout == ""


def test_batch_lines_follow_their_schema(runner: CliRunner, tmp_path: Path) -> None:
    questions = write(
        tmp_path / "q.txt", "shelter near Fresno\nshelter near Qwxyzzyville\nlawyer, Visalia\n"
    )
    result = invoke(runner, "find", "--batch", str(questions), "--data", SAMPLE)
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 3 and "error" in lines[1]
    for line in lines:
        _valid("find-batch", runner, line)


def test_show_json_follows_its_schema_confidential_too(runner: CliRunner, tmp_path: Path) -> None:
    _valid(
        "show",
        runner,
        json.loads(
            invoke(runner, "show", "valley-youth-safe-house", "--data", SAMPLE, "-f", "json").stdout
        ),
    )
    data = str(write(tmp_path / "d.yaml", CONFIDENTIAL))
    _valid(
        "show",
        runner,
        json.loads(invoke(runner, "show", "hidden-house", "--data", data, "-f", "json").stdout),
    )


@pytest.mark.parametrize("by", ["county", "region", "country"])
def test_coverage_json_follows_its_schema(runner: CliRunner, by: str) -> None:
    result = invoke(runner, "coverage", "--data", SAMPLE, "--by", by, "-f", "json")
    _valid("coverage", runner, json.loads(result.stdout))


def test_validate_json_follows_its_schema(runner: CliRunner, tmp_path: Path) -> None:
    _valid("validate", runner, json.loads(invoke(runner, "validate", SAMPLE, "-f", "json").stdout))
    broken = write(tmp_path / "b.yaml", "providers:\n  - id: x\n    name: [\n")
    _valid(
        "validate", runner, json.loads(invoke(runner, "validate", str(broken), "-f", "json").stdout)
    )


def test_locate_json_follows_its_schema(runner: CliRunner) -> None:
    _valid("locate", runner, json.loads(invoke(runner, "locate", "Fresno", "-f", "json").stdout))


def test_a_drifted_output_fails_its_schema(runner: CliRunner) -> None:
    """The schemas bind: an answer without its results, or a result whose
    distance is text, is rejected (so the tests above can fail)."""
    answer = json.loads(
        invoke(runner, "find", "shelter near Fresno", "--data", SAMPLE, "-f", "json").stdout
    )
    validator = _validator("find", runner)
    assert validator.is_valid(answer)
    assert not validator.is_valid({k: v for k, v in answer.items() if k != "results"})
    answer["results"][0]["distance_km"] = "2 km"
    assert not validator.is_valid(answer)


def test_every_output_is_named_in_the_help(runner: CliRunner) -> None:
    from referral_cli.commands.schema import OUTPUT_NAMES

    assert tuple(OUTPUTS) == OUTPUT_NAMES
    shown = invoke(runner, "schema", "--help").stdout
    assert all(name in shown for name in OUTPUTS)


def test_the_coverage_schema_has_the_matrix_version() -> None:
    from referral_cli.coverage.model import MATRIX_FORMAT_VERSION
    from referral_cli.format.outputs import COVERAGE_VERSION

    assert COVERAGE_VERSION == MATRIX_FORMAT_VERSION
