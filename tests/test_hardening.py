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
