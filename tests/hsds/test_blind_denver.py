"""The blind Denver directory (tests/fixtures/blind-denver, README there): an HSDS 3.0
package of CSV tables (51 services) and 40 hotline questions by an author who never
saw the importer or the reader, asked through ``referral import-hsds`` and
``referral find``. It came at the end of the evening it was asked for: 25 of 40
passed on the code it met (22 on that of the evening's start), 10 questions listing
a service whose own record excludes the person.

A floor keeps what passes from slipping; the records no caller may be sent to
(inactive, temporarily closed, the test record) are asserted for every question."""

from __future__ import annotations

from pathlib import Path

import pytest

from .blind import Answer, ask, assert_floor, assert_never_listed, imported, questions

BLIND = Path(__file__).parents[1] / "fixtures" / "blind-denver"
PASSED_FLOOR = 36  # of 40: 25 on the code it met
NEVER_ANYONE = {  # README: the status traps and the test record
    "Cole Youth Mentoring Club",
    "Englewood Women's Shelter",
    "TEST SERVICE - DO NOT USE",
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[Answer]:
    out = tmp_path_factory.mktemp("denver") / "denver.yaml"
    return ask(imported(BLIND / "package", out), questions(BLIND))


def test_the_blind_questions_keep_their_floor(answers: list[Answer]) -> None:
    assert_floor(answers, PASSED_FLOOR)


def test_no_caller_is_sent_to_a_closed_or_test_record(answers: list[Answer]) -> None:
    assert_never_listed(answers, NEVER_ANYONE)
