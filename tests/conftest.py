"""Shared fixtures: an isolated environment and small hand-made directories."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sys
import sysconfig
import tempfile
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import typer
import typer.testing
import yaml
from typer.testing import CliRunner

from referral_cli.cli import app

# A test that runs the installed program by name (`referral`, or shutil.which) runs the
# one installed beside the interpreter running the tests: the code under test. Otherwise
# a run by the environment's python without its folder on PATH (`.venv/bin/python -m
# pytest`) finds whatever else is first there, such as a pyenv shim of the base
# interpreter, which runs the checkout installed in that interpreter, costs a shell and
# pyenv's lookups on every run, and is missing while pyenv rehashes its shims.
os.environ["PATH"] = os.pathsep.join([sysconfig.get_path("scripts"), os.environ.get("PATH", "")])

# The compiled modules are kept (in __pycache__, which git ignores) even where the
# environment asks for none (PYTHONDONTWRITEBYTECODE): without them each worker
# compiles every test module again to rewrite its assertions, and each run of the
# installed program by a test compiles the program's modules again.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# The default run stays short; `REFERRAL_TEST_PROFILE=long python -m pytest` (or
# `python -m pytest -m long`) also runs the tests marked `long`: agreement runs
# over many generated examples and whole imports of the large real dataset.
LONG_PROFILE = os.environ.get("REFERRAL_TEST_PROFILE") == "long"


# Typer rebuilds the Click command of the whole program on every CliRunner.invoke
# (reading every command's annotations again): the program does not change during
# a run, so each test invokes the one built first, as the real program would.
_COMMANDS: dict[int, Any] = {}
_build_command = typer.testing._get_command


def _the_command(app: typer.Typer) -> Any:
    found = _COMMANDS.get(id(app))
    if found is None:
        found = _COMMANDS[id(app)] = _build_command(app)
    return found


typer.testing._get_command = _the_command


def long_run(config: pytest.Config) -> bool:
    """Whether this run is the long profile's (by its variable or ``-m long``)."""
    return LONG_PROFILE or "long" in (config.getoption("markexpr") or "")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:  # the whole 211 Miami import is a real-data run: long profile
        if {"miami", "miami_directory"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.long)
    if long_run(config):
        return
    skip = pytest.mark.skip(reason="long profile only: REFERRAL_TEST_PROFILE=long")
    for item in items:
        if "long" in item.keywords:
            item.add_marker(skip)


GOOD_PROVIDER = """\
  - id: {id}
    name: {name}
    services: [{services}]
    phone: "+1 559-555-0100"
    last_verified: 2026-10-01
    address: {{street: {street}, city: Fresno, county: Fresno County, region: CA, postal_code: "93721", country: US}}
    location: {{lat: {lat}, lon: {lon}}}
"""


# Each test's home is numbered by this counter, in a folder of their own: pytest's
# mktemp lists the whole base folder to number each new one, which over the thousands
# of tests a worker runs cost seconds of CPU, most of it on the homes themselves.
# The folder of the homes is made once per worker, each home once per test.
_HOMES = itertools.count()


@pytest.fixture(scope="session")
def _homes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    homes = tmp_path_factory.getbasetemp() / "homes"
    homes.mkdir(mode=0o700, exist_ok=True)
    return homes


def _live_in(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The program's config and cache in ``home``, made private; no $REFERRAL_DATA."""
    home.mkdir(mode=0o700)
    monkeypatch.setenv("REFERRAL_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("REFERRAL_CACHE_DIR", str(home / "cache"))
    monkeypatch.delenv("REFERRAL_DATA", raising=False)
    monkeypatch.delenv("REFERRAL_NO_CACHE", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


def pytest_configure(config: pytest.Config) -> None:
    """Collection (a module's taxonomy loaded at import) and the fixtures of a module or
    the session, made before any test's own home, read and write a home of this run's
    process: never the developer's config or cache."""
    run = Path(tempfile.mkdtemp(prefix="referral-tests-"))
    monkeypatch = pytest.MonkeyPatch()
    config.add_cleanup(lambda: shutil.rmtree(run, ignore_errors=True))
    config.add_cleanup(monkeypatch.undo)
    _live_in(run / "home", monkeypatch)


@pytest.fixture(autouse=True)
def isolated_env(_homes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's config, cache or $REFERRAL_DATA."""
    _live_in(_homes / str(next(_HOMES)), monkeypatch)


@pytest.fixture(scope="module")
def _module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("module-cache") / "cache"


@pytest.fixture
def shared_index(_module_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """One cache folder for the module's tests that use this, kept from test to test:
    for tests that read the same unchanging directory (the shipped sample), which
    would each index it again in a cache of their own. The config stays the test's."""
    monkeypatch.setenv("REFERRAL_CACHE_DIR", str(_module_cache))
    return _module_cache


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def found_json(runner: CliRunner, data: Path, *args: str) -> dict[str, Any]:
    """``referral find ARGS --data DATA --format json``'s answer, which must succeed."""
    result = invoke(runner, "find", *args, "--data", str(data), "--format", "json")
    assert result.exit_code == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def found_ids(directory: Path, text: str) -> list[str]:
    """The ids ``referral find TEXT --format json`` lists, in order, for ``directory``."""
    out = invoke(CliRunner(), "find", text, "-d", str(directory), "--format", "json")
    assert out.exit_code == 0, out.output
    return [r["id"] for r in json.loads(out.stdout)["results"]]


# The tests' own data (corpora, blind questions, fixtures) is read by libyaml where
# PyYAML has it: the same values as yaml.safe_load, read in C rather than in Python,
# for files read on every run by every worker.
_DATA_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_of(text: str) -> Any:
    """The YAML document ``text`` of the tests' own data, as yaml.safe_load reads it."""
    return yaml.load(text, Loader=_DATA_LOADER)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def provider_yaml(
    id: str = "a-shelter",
    name: str = "A Shelter",
    services: str = "temporary-shelter",
    lat: float = 36.7378,
    lon: float = -119.7871,
) -> str:
    # each its own street: a public provider at a confidential one's street is an error
    street = "1 Main St" if id == "a-shelter" else f"1 {id.replace('-', ' ').title()} St"
    return GOOD_PROVIDER.format(
        id=id, name=name, services=services, lat=lat, lon=lon, street=street
    )


def placed_provider(
    pid: str,
    name: str,
    town: tuple[str, str, str],
    point: tuple[float, float],
    services: str = "temporary-shelter",
) -> str:
    """A provider in ``town`` (city, region, country) at ``point`` (lat, lon)."""
    city, region, country = town
    return f"""\
  - id: {pid}
    name: {name}
    services: [{services}]
    phone: "+1 206-555-0100"
    last_verified: 2026-10-01
    address: {{street: 1 {pid.title()} St, city: {city}, region: "{region}", country: {country}}}
    location: {{lat: {point[0]}, lon: {point[1]}}}
"""


def directory_yaml(*providers: str) -> str:
    return "providers:\n" + "".join(providers)


@pytest.fixture
def chdir_tmp(tmp_path: Path) -> Path:
    old = os.getcwd()
    os.chdir(tmp_path)
    yield tmp_path  # type: ignore[misc]
    os.chdir(old)


class HtmlCollector(HTMLParser):
    """The tags, attributes and text of an HTML page, for checks on escaping."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.text.append(data)


# --- the 211 Miami package: real data read from ../shared only, imported once ----------

# The project's shared folder beside the checkout (../shared): real data that is
# never committed and the official HSDS 3.0 schemas. CI has it; a clone alone does not.
SHARED = Path(os.environ.get("REFERRAL_SHARED", Path(__file__).resolve().parents[2] / "shared"))
MIAMI = Path(os.environ.get("REFERRAL_MIAMI_DATA", SHARED / "real-data" / "open211-miami"))
HSDS3 = Path(os.environ.get("REFERRAL_HSDS3", SHARED / "hsds3"))


def shared_missing(what: str, path: Path) -> str:
    """Why a test that reads ../shared cannot run: where the data is expected and how
    to get it. Under CI (CI=true), which has the folder, its absence is a failure."""
    reason = (
        f"{what} not present at {path}: it is read from the project's shared folder beside"
        " the checkout (../shared; REFERRAL_SHARED points elsewhere), never committed"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must have it: {reason}")
    return reason


def needs_shared(what: str, path: Path) -> pytest.MarkDecorator:
    """Skip when ``path`` is missing, saying where it is expected; never under CI,
    where the test then fails on the missing file instead of passing unseen."""
    missing = not path.exists() and os.environ.get("CI") != "true"
    return pytest.mark.skipif(missing, reason=shared_missing(what, path) if missing else "")


needs_miami = needs_shared("211 Miami data", MIAMI / "datapackage.json")


@pytest.fixture(scope="session")
def miami(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, Any], float, list[Any]]:
    """The 211 Miami package imported once per session into a temporary folder:
    (directory file, report, seconds, progress calls)."""
    import time

    from referral_cli.hsds.importer import import_hsds

    if not (MIAMI / "datapackage.json").exists():
        pytest.skip(shared_missing("211 Miami data", MIAMI))
    out = tmp_path_factory.mktemp("miami") / "miami.yaml"
    calls: list[Any] = []
    started = time.perf_counter()
    data, result = import_hsds(MIAMI, progress=lambda *a: calls.append(a))
    seconds = time.perf_counter() - started
    out.write_bytes(data)
    return out, result.as_dict(), seconds, calls


@pytest.fixture(scope="session")
def miami_directory(miami: tuple[Path, dict[str, Any], float, list[Any]]) -> Any:
    """The imported Miami directory, loaded once."""
    from referral_cli.directory import load

    return load(miami[0], use_cache=False)
