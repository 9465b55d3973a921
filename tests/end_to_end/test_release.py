"""The version, the changelog and a release tag agree (docs/releasing.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from referral_cli import __version__

ROOT = Path(__file__).parents[2]
RELEASE = re.compile(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", re.M)


def test_version_is_semver_and_released_in_the_changelog() -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    releases = RELEASE.findall(changelog)
    assert releases, "CHANGELOG.md has no released version"
    assert releases[0][0] == __version__, "the newest release in CHANGELOG.md is the version"
    dates = [d for _, d in releases]
    assert dates == sorted(dates, reverse=True)
    assert changelog.index("## [Unreleased]") < changelog.index(f"## [{__version__}]")


def test_the_program_prints_the_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "referral_cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.strip() == f"referral {__version__}"


@pytest.mark.skipif("RELEASE_TAG" not in os.environ, reason="only when tagging a release")
def test_release_tag_names_the_version() -> None:
    assert os.environ["RELEASE_TAG"] == f"v{__version__}"
