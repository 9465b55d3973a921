"""Every key of the directory format reaches what people and other systems read:
``show --format json`` (:meth:`Provider.public_dict`, the one serialisation of every
machine output) and the HSDS export (its tables or the ``CARRIED`` attributes), read
back by the import. A field added to ``format/definition.py`` fails here until it is
shown and exported, or named below with why it is not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from conftest import invoke, write
from typer.testing import CliRunner

from referral_cli.directory import load
from referral_cli.format.definition import PROVIDER

# Keys of the format deliberately left out of ``show --format json`` / the HSDS export.
NOT_SHOWN: tuple[str, ...] = ()
NOT_EXPORTED: tuple[str, ...] = ()

# One provider with a value for every key of the format (a public one: a confidential
# provider's street and location are left out of every output on purpose).
EVERY_KEY = """\
providers:
  - id: every-field
    name: Every Field House
    services: [temporary-shelter, counseling]
    areas: [restoration]
    organization: Every Field Network
    description: Shelter and counseling for young women.
    eligibility: {ages: [18, 24], genders: [female], trafficking: [sex], notes: Call first}
    languages: [en, es]
    phone: "+1 559-555-0100"
    hotline: "+1 800-555-0200"
    email: intake@every-field.example.org
    website: https://every-field.example.org
    hours: "Mon-Fri 09:00-17:00"
    timezone: America/Los_Angeles
    address: {street: 100 Main St, city: Fresno, county: Fresno County, region: CA, postal_code: "93721", country: US}
    location: {lat: 36.713, lon: -119.8132}
    confidential: false
    service_area: {radius_km: 150.0}
    intake: Call the line; staff arrange a pick-up.
    cost: free
    capacity: {beds: 8}
    availability: {beds_available: 2, maximum: 8, as_of: "2026-12-07T21:00:00-08:00"}
    status: {state: active}
    last_verified: 2026-10-01
    verified_by: JS
    keywords: [youth, art therapy]
    translations:
      es: {description: Refugio y consejería para mujeres jóvenes., cost: gratis}
"""


def _directory(tmp_path: Path) -> Path:
    path = write(tmp_path / "every.yaml", EVERY_KEY)
    assert load(path, use_cache=False).errors == []
    return path


def test_the_provider_gives_every_key_of_the_format() -> None:
    (provider,) = yaml.safe_load(EVERY_KEY)["providers"]
    assert tuple(provider) == PROVIDER.keys  # a new key: give it a value above


def test_show_json_has_every_key(tmp_path: Path, runner: CliRunner) -> None:
    data = _directory(tmp_path)
    result = invoke(runner, "--data", str(data), "show", "every-field", "--format", "json")
    assert result.exit_code == 0, result.output
    shown: dict[str, Any] = json.loads(result.stdout)
    missing = set(PROVIDER.keys) - set(shown) - set(NOT_SHOWN)
    assert not missing, f"not in show --format json (Provider.public_dict): {sorted(missing)}"


def test_the_hsds_export_carries_every_key(tmp_path: Path, runner: CliRunner) -> None:
    data = _directory(tmp_path)
    out, back = tmp_path / "hsds", tmp_path / "back.yaml"
    result = invoke(runner, "--data", str(data), "export-hsds", "--output", str(out))
    assert result.exit_code == 0, result.output
    result = invoke(runner, "import-hsds", str(out), "--output", str(back))
    assert result.exit_code == 0, result.output
    (before,) = load(data, use_cache=False).providers
    (after,) = load(back, use_cache=False).providers
    a, b = before.public_dict(), after.public_dict()
    lost = {k for k in PROVIDER.keys if k not in NOT_EXPORTED and (k not in b or b[k] != a[k])}
    assert not lost, f"not carried by export-hsds (hsds/export.py CARRIED or tables): {lost}"
