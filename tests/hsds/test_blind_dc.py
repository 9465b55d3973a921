"""The blind DC-metro directory (tests/fixtures/blind-dc, README there): a second
HSDS 3.0 package and 40 hotline questions by an author who never saw the importer
or the reader, asked through ``referral import-hsds`` and ``referral find``.

A floor keeps what passes from slipping; the records no caller may be sent to
(closed, inactive, defunct, "do not refer", a test record) are asserted for every
question."""

from __future__ import annotations

from pathlib import Path

import pytest

from .blind import Answer, ask, assert_floor, assert_never_listed, imported, questions

BLIND = Path(__file__).parents[1] / "fixtures" / "blind-dc"
PASSED_FLOOR = 24  # of 40: 11 as it came
NEVER_ANYONE = {  # README, planted cases 7 and 8
    "Capitol Hill Winter Shelter",
    "NoVA Youth Prevention Program",
    "Harbor Family Respite Program",
    "Montgomery Emergency Motel Program",
    "ZZ Test Shelter - DO NOT USE",
}


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> list[Answer]:
    out = tmp_path_factory.mktemp("dc") / "dc.yaml"
    return ask(imported(BLIND / "package", out), questions(BLIND))


def test_the_blind_questions_keep_their_floor(answers: list[Answer]) -> None:
    assert_floor(answers, PASSED_FLOOR)


def test_no_caller_is_sent_to_a_closed_or_test_record(answers: list[Answer]) -> None:
    assert_never_listed(answers, NEVER_ANYONE)
