"""Confidentiality per place, and unknown confidentiality as confidential
(issue 32; docs/security.md lists which test holds which): a public provider
at a confidential provider's street and postal code, or its point, is an error
naming both in ``validate`` and served as confidential by every serving command;
``confidential`` written empty, null or as anything but true/false is an
error for ``validate`` and served as confidential."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import invoke, write
from typer.testing import CliRunner

SECRET = """\
  - id: hidden-house
    name: Hidden House
    services: [temporary-shelter]
    phone: "+1 559-555-0100"
    address: {street: 4417 Quillfeather Lane, city: Fresno, region: CA, postal_code: "93722", country: US}
    location: {lat: 36.791234, lon: -119.861234}
    confidential: true
"""
SIBLING = """\
  - id: sibling-beds
    name: Sibling beds
    services: [temporary-shelter]
    phone: "+1 559-555-0101"
    address: {street: 4417 quillfeather ln., city: Fresno, region: CA, postal_code: "93722", country: US}
"""
NEXT_DOOR = """\
  - id: next-door
    name: Next door
    services: [temporary-shelter]
    phone: "+1 559-555-0102"
    location: {lat: 36.791264, lon: -119.861224}
"""
FAR = """\
  - id: far-away
    name: Far away
    services: [temporary-shelter]
    phone: "+1 559-555-0103"
    location: {lat: 36.75, lon: -119.78}
"""
REVEALING = (
    "Quillfeather",
    "quillfeather",
    "4417",
    "93722",
    "36.791",
    "119.861",
    "36.8,",
    "-119.8\n",
)


def _outputs(runner: CliRunner, data: Path, tmp_path: Path) -> list[str]:
    runs = [
        ("find", "shelter near Fresno"),
        ("find", "shelter near Fresno", "--format", "json"),
        ("find", "shelter near Fresno", "--format", "csv"),
        ("show", "sibling-beds"),
        ("show", "next-door", "--format", "json"),
        ("slip", "sibling-beds"),
        ("coverage", "--format", "json"),
        ("export-hsds", "--output", str(tmp_path / "export")),
    ]
    out = []
    for args in runs:
        result = invoke(runner, "--data", str(data), *args)
        out += [result.stdout, result.stderr]
    out += [p.read_text("utf-8") for p in (tmp_path / "export").glob("*")]
    return out


def test_validate_names_a_public_provider_at_a_confidential_place(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = write(tmp_path / "d.yaml", "providers:\n" + SECRET + SIBLING + NEXT_DOOR + FAR)
    result = invoke(runner, "validate", str(data))
    assert result.exit_code == 1
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [
        f"{data}:9:5: error: 'sibling-beds' is at the street and postal code of confidential"
        f" provider 'hidden-house' ({data}:2:5): published, it shows where that provider is;"
        " make it confidential too, or correct its address",
        f"{data}:14:5: error: 'next-door' is at the point of confidential provider"
        f" 'hidden-house' ({data}:2:5): published, it shows where that provider is;"
        " make it confidential too, or correct its address",
    ]
    gh = invoke(runner, "validate", str(data), "--format", "json")
    assert {d["code"] for d in json.loads(gh.stdout)["diagnostics"]} >= {"confidential-place"}
    for text in (result.stdout, result.stderr, gh.stdout):
        assert not any(word in text for word in REVEALING[:4])


def test_serving_commands_serve_a_public_provider_at_a_confidential_place_as_confidential(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = write(tmp_path / "d.yaml", "providers:\n" + SECRET + SIBLING + NEXT_DOOR + FAR)
    found = invoke(runner, "--data", str(data), "find", "shelter near Fresno", "--format", "json")
    results = {r["id"]: r for r in json.loads(found.stdout)["results"]}
    assert set(results) == {"far-away", "hidden-house", "sibling-beds", "next-door"}
    assert results["sibling-beds"]["confidential"] and results["next-door"]["confidential"]
    assert "2 provider(s) at the place of a confidential provider are served as confidential" in (
        " ".join(found.stderr.split())
    )
    shown = invoke(runner, "--data", str(data), "show", "sibling-beds")
    assert shown.exit_code == 0 and "Address given when you call" in shown.stdout
    strict = invoke(runner, "--strict-data", "--data", str(data), "find", "shelter")
    assert strict.exit_code == 1 and "confidential provider 'hidden-house'" in strict.stderr
    for text in _outputs(runner, data, tmp_path):
        assert not any(word in text for word in REVEALING), text


def test_a_public_provider_far_from_a_confidential_one_is_served(
    runner: CliRunner, tmp_path: Path
) -> None:
    data = write(tmp_path / "d.yaml", "providers:\n" + SECRET + FAR)
    result = invoke(runner, "validate", str(data))
    assert ": error: " not in result.stdout


@pytest.mark.parametrize("value", ["", " ~", " null", ' "yes"', " maybe", " 1", " []"])
def test_confidential_written_as_anything_but_true_or_false_is_an_error_and_protects(
    runner: CliRunner, tmp_path: Path, value: str
) -> None:
    secret = SECRET.replace("confidential: true", f"confidential:{value}")
    # a postal code written wrong: its message must not quote it either
    secret = secret.replace('postal_code: "93722"', "postal_code: 93722")
    data = write(tmp_path / "d.yaml", "providers:\n" + secret + FAR)
    result = invoke(runner, "validate", str(data))
    assert result.exit_code == 1
    assert any(
        line.startswith(f"{data}:8:") and "error: 'confidential' must be true or false" in line
        for line in result.stdout.splitlines()
    ), result.stdout
    # with only 'confidential' wrong, the provider is served, as confidential
    alone = write(
        tmp_path / "alone.yaml",
        "providers:\n" + SECRET.replace("confidential: true", f"confidential:{value}"),
    )
    found = invoke(runner, "--data", str(alone), "find", "shelter near Fresno", "--format", "json")
    served = {r["id"]: r for r in json.loads(found.stdout)["results"]}
    assert served["hidden-house"]["confidential"] is True
    assert not any(word in found.stdout + found.stderr for word in REVEALING)
    assert "1 provider(s) whose 'confidential' is neither true nor false" in " ".join(
        found.stderr.split()
    )
    for text in [result.stdout, result.stderr, *_outputs(runner, data, tmp_path)]:
        assert not any(word in text for word in REVEALING), text
