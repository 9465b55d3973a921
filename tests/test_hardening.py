"""Regression tests for the breaks found by trying the tool as an attacker would
(issue 14; ``docs/security.md`` lists which test holds which)."""

from __future__ import annotations

import math

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write

from referral_cli.errors import ReferralError

# ---------------------------------------------------------------- 1. numeric ranges


@pytest.mark.parametrize("value", ["0", "0.05", "nan", "inf", "1e309", "20001"])
def test_radius_setting_out_of_range_is_refused(runner, value) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "config", "set", "radius_km", value)
    assert result.exit_code == 1 and "radius_km' must be from 0.1 to 20000" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "-inf", "1e308"])
def test_radius_option_out_of_range_is_a_usage_error(runner, tmp_path, value) -> None:  # type: ignore[no-untyped-def]
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    result = invoke(runner, "--data", str(data), "find", "shelter near Fresno", "--radius", value)
    assert result.exit_code == 2 and "--radius must be from 0.1 to 20000" in result.stderr


def test_a_bad_radius_in_the_settings_file_names_the_file(runner, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = write(tmp_path / "config.toml", "radius_km = nan\nstale_days = 0\n")
    monkeypatch.setenv("REFERRAL_CONFIG", str(config))
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    result = invoke(runner, "--data", str(data), "find", "shelter near Fresno")
    assert result.exit_code == 1
    assert f"{config}: setting 'radius_km' must be from 0.1 to 20000, not nan" in result.stderr


@pytest.mark.parametrize("radius", [0.0, -3.0, math.nan, math.inf])
def test_search_refuses_a_radius_that_cannot_widen(radius) -> None:  # type: ignore[no-untyped-def]
    from referral_cli.query import Query
    from referral_cli.search import Origin, search

    with pytest.raises(ReferralError, match="search radius must be a positive number"):
        search([], Query(), origin=Origin("Fresno", 36.7, -119.8), radius_km=radius)


# ------------------------------------------- 2. messages name a confidential field only

SECRET_PROVIDER = """\
  - id: hidden-house
    name: Hidden House
    services: [temporary-shelter]
    hotline: "+1 559-555-0199"
    confidential: {flag}
    last_verified: 2026-10-01
    address: {{street: 4821, city: Fresno, region: CA, postal_code: 93704, country: US}}
    location: {{lat: 119.771234, lon: 36.746789}}
    email: 4821-hidden-lane
"""
SECRET_VALUES = ("4821", "93704", "119.77", "36.74")


@pytest.mark.parametrize("flag", ["true", "yes please"])
@pytest.mark.parametrize(
    "command",
    [
        ("validate",),
        ("validate", "--format", "json"),
        ("validate", "--format", "github"),
        ("find", "shelter near Fresno"),
        ("show", "hidden-house"),
        ("coverage",),
    ],
)
def test_messages_about_a_confidential_provider_never_echo_its_values(
    runner, tmp_path, flag, command
) -> None:  # type: ignore[no-untyped-def]
    data = write(tmp_path / "d.yaml", directory_yaml(SECRET_PROVIDER.format(flag=flag)))
    result = invoke(runner, "--data", str(data), *command)
    assert result.exit_code == 1
    assert "address.postal_code' must be text" in result.stdout + result.stderr
    for value in SECRET_VALUES:
        assert value not in result.stdout + result.stderr, (value, result.stderr)


def test_messages_about_a_public_provider_still_quote_the_value(runner, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = write(tmp_path / "d.yaml", directory_yaml(SECRET_PROVIDER.format(flag="false")))
    result = invoke(runner, "--data", str(data), "validate")
    assert 'quote it ("93704")' in result.stdout and "is 119.771234;" in result.stdout
