"""coverage.choices: unknown words name the parameter and the value; the CLI names the flag."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke
from coverage_directory import providers_of, write_directory
from typer.testing import CliRunner

from referral_cli.coverage.choices import UnknownChoice
from referral_cli.coverage.count import count
from referral_cli.records.model import Provider


@pytest.fixture
def providers(tmp_path: Path) -> list[Provider]:
    return providers_of(write_directory(tmp_path))


def test_unknown_population_is_a_usage_error_with_a_suggestion(providers: list[Provider]) -> None:
    with pytest.raises(
        UnknownChoice, match="^population: unknown population 'minros'; did you mean 'minors'"
    ):
        count(providers, population="minros")
    with pytest.raises(UnknownChoice, match="^framework: unknown framework '6p'"):
        count(providers, framework="6p")
    with pytest.raises(UnknownChoice, match="^area: .*did you mean 'restoration'"):
        count(providers, area="restortion")


@pytest.mark.parametrize(
    ("args", "parameter", "line"),
    [
        (
            ["--by", "zip"],
            "by",
            "--by: unknown value 'zip'; use one of: county, city, region, country",
        ),
        (
            ["--detail", "rows"],
            "detail",
            "--detail: unknown value 'rows'; use one of: areas, services",
        ),
        (["--sort", "need"], "sort", "--sort: unknown value 'need'; use one of: name, gaps"),
        (["--matrix", "beds"], "matrix", "--matrix: unknown value 'beds'; use one of: areas,"),
        (["--framework", "6p"], "framework", "--framework: unknown framework '6p'; use one of:"),
        (["--for", "martians"], "population", "--for: unknown population 'martians'"),
        (["--area", "nowhere"], "area", "--area: unknown area 'nowhere' in the Freedom Strategy"),
        (
            ["--framework", "sos", "--area", "restoration"],
            "area",
            "--area: unknown area 'restoration' in the SOS",
        ),
    ],
)
def test_the_command_names_the_flag_of_the_parameter(
    runner: CliRunner, tmp_path: Path, args: list[str], parameter: str, line: str
) -> None:
    """The package names the parameter (count(by=...)); the command names its flag,
    in one line, exit 2, before the directory is read (--data names no file)."""
    from referral_cli.commands.coverage_run import FLAGS

    assert FLAGS[parameter] in args
    result = invoke(runner, "coverage", "--data", str(tmp_path / "missing.yaml"), *args)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"referral: error: {line}"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_every_parameter_of_count_is_checked_by_name(providers: list[Provider]) -> None:
    """What a script calling the library sees: the parameter's name, no flag."""
    for kwargs, parameter in (
        ({"by": "zip"}, "by"),
        ({"detail": "rows"}, "detail"),
        ({"sort": "need"}, "sort"),
        ({"framework": "6p"}, "framework"),
        ({"population": "martians"}, "population"),
        ({"area": "nowhere"}, "area"),
    ):
        with pytest.raises(UnknownChoice) as raised:
            count(providers, **kwargs)
        assert raised.value.parameter == parameter
        assert str(raised.value).startswith(f"{parameter}: unknown ")
        assert "--" not in str(raised.value).split(";")[0]  # no flag named in the core


def test_choices_are_read_the_way_people_type_them(providers: list[Provider]) -> None:
    m = count(providers, by=" County ", framework="Freedom Strategy", area="rescue exit")
    assert (m.by, m.framework.key, m.area) == ("county", "freedom", "rescue-exit")
    assert count(providers, population="Kids", detail="SERVICES").population.key == "minors"  # type: ignore[union-attr]
