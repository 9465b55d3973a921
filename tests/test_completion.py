"""Shell completion of values, through the installed program as bash calls it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import directory_yaml, provider_yaml, write


def complete(words: str, env_extra: dict[str, str] | None = None) -> list[str]:
    exe = shutil.which("referral")
    cmd = [exe] if exe else [sys.executable, "-m", "referral_cli"]
    env = {
        "PATH": "/usr/bin:/bin",
        "REFERRAL_NO_CACHE": "1",
        "REFERRAL_CONFIG": os.environ["REFERRAL_CONFIG"],
        "_REFERRAL_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1),
        **(env_extra or {}),
    }
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return proc.stdout.split()


@pytest.fixture
def data(tmp_path: Path) -> str:
    text = directory_yaml(
        provider_yaml(id="harbor-house", name="Harbor House"),
        provider_yaml(id="harbor-legal", name="Harbor Legal", services="legal-aid"),
        provider_yaml(id="oak-counseling", name="Oak", services="counseling"),
    )
    return str(write(tmp_path / "d.yaml", text))


def test_provider_ids_from_the_directory_named(data: str) -> None:
    assert complete(f"referral show --data {data} harb") == ["harbor-house", "harbor-legal"]
    assert complete(f"referral --data {data} slip harbor-house o") == ["oak-counseling"]


def test_ids_of_a_directory_that_does_not_load_complete_nothing(tmp_path: Path) -> None:
    assert complete(f"referral show --data {tmp_path / 'missing.yaml'} a") == []


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("referral find --service legal", ["legal-aid"]),
        ("referral coverage --framework ", ["freedom", "sos", "prr", "5p"]),
        ("referral find --format ", ["table", "json", "csv", "ndjson"]),
        ("referral slip x --format ", ["text", "markdown", "html", "pdf"]),
        ("referral coverage --by c", ["county", "city", "country"]),
        ("referral find --for mino", ["minors"]),
        ("referral coverage --matrix ", ["areas", "capacity", "languages", "stale"]),
        ("referral coverage --sort g", ["gaps"]),
    ],
)
def test_taxonomy_and_formats(words: str, expected: list[str]) -> None:
    assert complete(words) == expected


def test_languages_spoken_in_the_directory(data: str, tmp_path: Path) -> None:
    text = directory_yaml(provider_yaml(id="a-one")).replace(
        "    phone:", "    languages: [en, vi]\n    phone:"
    )
    path = write(tmp_path / "lang.yaml", text)
    assert complete(f"referral find --data {path} --language v") == ["vi"]
    assert "es" in complete("referral slip x --lang ")
