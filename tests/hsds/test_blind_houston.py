"""The blind Houston directory (tests/fixtures/blind-houston, README there): an
HSDS 2.0 package (eligibility.csv, service_area.csv, physical_addresses.csv...)
and 40 hotline questions by an author who never saw the importer or the reader,
asked through ``referral import-hsds`` and ``referral find``.

A floor keeps what passes from slipping; the records no caller may be sent to
(temporarily closed, inactive, defunct, "do not refer", a test record) are
asserted for every question."""

from __future__ import annotations

from pathlib import Path

import pytest

from .blind import Answer, ask, assert_floor, assert_never_listed, imported, questions

BLIND = Path(__file__).parents[1] / "fixtures" / "blind-houston"
PASSED_FLOOR = 23  # of 40: 17 as it came
NEVER_ANYONE = {  # README: the status traps and the test record
    "Greenspoint Food Pantry",
    "Fifth Ward Neighborhood Pantry",
    "North Harris Youth Haven Emergency Shelter",
    "Galveston Women's Transitional Home",
    "Casa Esperanza Trafficking Shelter",
    "TEST SERVICE - DO NOT USE",
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[Answer]:
    out = tmp_path_factory.mktemp("houston") / "houston.yaml"
    return ask(imported(BLIND / "package", out), questions(BLIND))


def test_the_blind_questions_keep_their_floor(answers: list[Answer]) -> None:
    assert_floor(answers, PASSED_FLOOR)


def test_no_caller_is_sent_to_a_closed_or_test_record(answers: list[Answer]) -> None:
    assert_never_listed(answers, NEVER_ANYONE)
