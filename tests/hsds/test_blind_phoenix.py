"""The blind Phoenix directory (tests/fixtures/blind-phoenix, README there): one 211
resource export in the iCarol / AIRS layout (36 agencies, 76 programmes) and 40
hotline questions by an author who never saw the importer or the reader, asked
through ``referral import-hsds`` and ``referral find``. It was written while the
reader of that layout was being built, by someone else, from the layout alone: 13
of 40 passed on the code it met, 12 questions listing a service whose own record
excludes the person.

A floor keeps what passes from slipping; the records no caller may be sent to
(inactive, do not refer, the test record) are asserted for every question."""

from __future__ import annotations

from pathlib import Path

import pytest

from .blind import Answer, ask, assert_floor, assert_never_listed, imported, questions

BLIND = Path(__file__).parents[1] / "fixtures" / "blind-phoenix"
PASSED_FLOOR = 20  # of 40: 13 on the code it met
NEVER_ANYONE = {  # README: the status traps and the test record
    "Gilbert Winter Overflow Shelter",
    "Sunnyslope Youth Drop-In",
    "Desert Haven Recovery Ranch",
    "zzTEST Training Shelter",
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[Answer]:
    out = tmp_path_factory.mktemp("phoenix") / "phoenix.yaml"
    return ask(imported(BLIND / "resources.csv", out), questions(BLIND))


def test_the_blind_questions_keep_their_floor(answers: list[Answer]) -> None:
    assert_floor(answers, PASSED_FLOOR)


def test_no_caller_is_sent_to_an_inactive_or_test_record(answers: list[Answer]) -> None:
    assert_never_listed(answers, NEVER_ANYONE)
