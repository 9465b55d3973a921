"""Trafficking said as what the trafficker does, in any order (referral_cli/query/control.py);
the work a person was exploited in is no job asked for; and whoever acts on the person
through a relative clause is someone else. Written after the third blind round
(tests/corpus/blind/callers3.yaml) and the blind Houston directory, with phrasings of
their own."""

from __future__ import annotations

import json

import pytest
from conftest import invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from referral_cli.query.parser import parse

JOB = "job-placement"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the restaurant owner kept her passport and her pay", "labor"),
        ("his boss is holding the workers' papers", "labor"),
        ("papers confiscated, wages withheld, 40 yo man", "labor"),
        ("wages stolen and documents taken", "labor"),
        ("they make him sell flowers on the street", "labor"),
        ("le quitaron los papeles en el rancho", "labor"),
        ("he never got paid for the roofing", "labor"),
        ("her mother's boyfriend made her sell her body", "sex"),
        ("lo obligaban a vender su cuerpo", "sex"),
        ("a man is posting her online", "sex"),
    ],
)
def test_control_said_in_any_order_gives_its_kind(text: str, kind: str) -> None:
    q = parse(text)
    assert q.trafficking == [kind], (q.trafficking, q.terms)
    assert not {"kept", "holding", "confiscated", "taken", "sell"} & set(q.terms)


@pytest.mark.parametrize(
    "text",
    [
        "she took her kids and left him",  # no "took her id" by a slip of the pen
        "made to feel worthless by her ex",
        "she keeps a diary",
        "he took the bus to Fresno",
    ],
)
def test_no_control_no_kind(text: str) -> None:
    assert parse(text).trafficking == []


@pytest.mark.parametrize(
    "text",
    [
        "unpaid roofing work, employer kept his passport, needs a lawyer",
        "they brought her here to work in a nail salon and never paid her, legal help",
        "restaurant job in Fresno, wages stolen and papers taken, attorney",
    ],
)
def test_the_work_a_person_was_exploited_in_is_no_job_asked_for(text: str) -> None:
    q = parse(text)
    assert JOB not in q.services and "legal-aid" in q.services, q.services
    assert any("exploited in" in n for n in q.notes), q.notes


@pytest.mark.parametrize(
    "text",
    [
        "labor trafficking survivor needs a job in Fresno",
        "job for a labor trafficking survivor, 25, Fresno",
        "forced labor survivor wants to work, Fresno",
        "employer took his passport, now he is looking for a new job",
    ],
)
def test_a_job_asked_for_beside_labor_trafficking_is_still_one(text: str) -> None:
    q = parse(text)
    assert JOB in q.services and q.trafficking == ["labor"], (q.services, q.trafficking)


@pytest.mark.parametrize(
    "text",
    [
        "mom (31) and her son, 6, hiding from the man who trafficked her, shelter",
        "a guy is selling her online, she is 16, needs a bed",
        "woman, 40, escaped from the man that was pimping her out",
    ],
)
def test_who_acts_on_her_in_a_relative_clause_is_someone_else(text: str) -> None:
    q = parse(text)
    assert q.gender == "female" and "men" not in q.populations, (q.gender, q.populations)


def test_the_exploiters_man_lists_no_mens_shelter_through_the_real_command(
    runner: CliRunner,
) -> None:
    """Before, "the man who trafficked her" made the caller a man as well as a woman:
    the gender was unset and the men's shelter listed for a mother of two."""
    out = invoke(
        runner, "find",
        "shelter in Fresno for a woman (30) and her 2 kids, she ran from the man who sold her",
        "--format", "json",
    )  # fmt: skip
    answer = json.loads(out.stdout)
    assert answer["query"]["gender"] == "female"
    assert "fresno-mens-emergency-shelter" not in [r["id"] for r in answer["results"]]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["kept", "holds", "took", "is holding"]), st.sampled_from(["his", "the"]))
def test_a_kind_read_from_control_survives_an_unknown_word_after(verb: str, owner: str) -> None:
    """Metamorphic: a word the tool does not know, added after the clause, changes no kind."""
    text = f"employer {verb} {owner} passport, shelter in Fresno"
    assert parse(text).trafficking == parse(text + " zorblat").trafficking == ["labor"]


@pytest.mark.parametrize(
    "text",
    ["comida para una familia, no tienen papeles", "food for a man who has no papers"],
)
def test_having_no_papers_says_who_the_person_is_not_a_legal_need(text: str) -> None:
    q = parse(text)
    assert "foreign-nationals" in q.populations and "legal-aid" not in q.services, (
        q.populations,
        q.services,
    )


def test_nr_is_near() -> None:
    """Hotline shorthand: what follows is said as the place (to be placed, or said
    unknown), never "nr" as an unknown word."""
    q = parse("rape exam nr the med center, she's 19")
    assert q.place == "the med center" and "nr" not in q.terms, (q.place, q.terms)
