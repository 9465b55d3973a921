"""Slips for the person holding them: every revealing word list in one place, the
format taken from --output or refused, languages, fonts, page layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import invoke

from referral_cli import slips
from referral_cli.directory import sample_path

SAMPLE = str(sample_path())


def sample_slip(runner, *args: str):  # type: ignore[no-untyped-def]
    return invoke(runner, "slip", *args, "--data", SAMPLE)


def test_discreet_slip_names_no_immigration_relief_or_police_work(runner) -> None:  # type: ignore[no-untyped-def]
    ids = ("valley-youth-safe-house", "central-valley-immigrant-legal")
    discreet = sample_slip(runner, *ids).stdout
    for word in ("T-visa", "U-visa", "law enforcement", "traffick", "victim"):
        assert word.lower() not in discreet.lower(), word
    assert "Address given when you call" in discreet  # the slip is still made
    agency = sample_slip(runner, *ids, "--no-discreet").stdout
    assert "T-visas" in agency and "law enforcement" in agency


def test_every_revealing_word_comes_from_one_file() -> None:
    words = slips.sensitive_words()
    for word in ("traffick", "t-visa", "law enforcement", "víctima", "buôn người", "受害者"):
        assert word in words
    assert all("sensitive_words" not in block for block in slips._all_labels().values())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "slip.docx"], "cannot write a slip as '.docx'"),
        (["-o", "slip.html", "--format", "pdf"], "--format pdf does not match --output slip.html"),
        (["-o", "slip"], "give --output a suffix"),
    ],
)
def test_output_format_must_match_the_file_name(runner, chdir_tmp: Path, args, message) -> None:  # type: ignore[no-untyped-def]
    result = sample_slip(runner, "valley-youth-safe-house", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert list(chdir_tmp.iterdir()) == []  # nothing written


def test_output_format_from_the_suffix(runner, chdir_tmp: Path) -> None:  # type: ignore[no-untyped-def]
    for name, start in (("s.pdf", b"%PDF"), ("s.HTML", b"<!DOCTYPE"), ("s.md", b"# ")):
        result = sample_slip(runner, "valley-youth-safe-house", "-o", name)
        assert result.exit_code == 0, result.stderr
        assert (chdir_tmp / name).read_bytes().startswith(start)
    same = sample_slip(runner, "valley-youth-safe-house", "-o", "t.txt", "--format", "text")
    assert same.exit_code == 0 and (chdir_tmp / "t.txt").read_text("utf-8").startswith("Comm")
    plain = sample_slip(runner, "valley-youth-safe-house", "-o", "noext", "--format", "text")
    assert plain.exit_code == 0
