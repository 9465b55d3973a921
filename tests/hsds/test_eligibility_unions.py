"""Eligibility read as a 211 specialist reads it, through ``referral import-hsds`` and
``referral find``: an age said of one group among alternatives ("anyone 65 and older,
families with low income, or people with disabilities") or of one programme of a record open to all is no
limit of the service (it is listed "call to check", never excluded, never claimed
to serve everyone); "adult" is 18 and over wherever it is said; "only for men"
beside both genders is men."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from referral_cli.hsds.eligibility_text import read_text
from referral_cli.taxonomy import load

from .helpers import providers_of, run, write_package

TAX = load()
CALL = "eligibility not stated — call to check"

RECORDS = {
    "union": (
        "Senior meals",
        "Anyone 65 and older, families with low income, or people with disabilities",
    ),
    "young": ("Youth drop-in meals", "Youth ages 12-17 or young adults"),
    "programmes": (
        "Homeless meals",
        "Day centre:\nopen to all who are homeless\n\nNight beds:\nwomen 21 and up",
    ),
    "only": (
        "Recovery meals",
        "Program for men and women (at present only for men).\nMust be 18 years or older.",
    ),
    "adult": ("Women's meals", "Women, adults-only"),
    "bands": ("Family meals", "* Kids 6-11 and teens 12-18\n* Adults"),
    "condition": ("Hearing meals", "10 and older, must be deaf or hard of hearing."),
    "in-need": ("Open meals", "Open to anyone in need"),
    "men-cell": ("Men's meals", "Men"),
    "public": ("Public meals", "Open to the public."),
    "all-ages": ("All-age meals", "Serves all ages"),
    "any": ("Survivor line meals", "Survivors of any age and gender"),
    "both-kinds": (
        "Survivor meals",
        "Women 18 and over who are survivors of sex or labor trafficking",
    ),
}


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("elig")
    pkg = write_package(
        folder / "pkg",
        {
            "organizations": [{"id": "o1", "name": "Harbor"}],
            "services": [
                {
                    "id": sid,
                    "organization_id": "o1",
                    "name": name,
                    "description": "Free hot meals.",
                    "eligibility_description": text,
                }
                for sid, (name, text) in RECORDS.items()
            ],
            "taxonomy": [{"id": "BD-5000.8300", "name": "Soup Kitchens"}],
            "services_taxonomy": [
                {"id": f"t{sid}", "service_id": sid, "taxonomy_id": "BD-5000.8300"}
                for sid in RECORDS
            ],
            "locations": [
                {"id": "l1", "organization_id": "o1", "latitude": "25.77", "longitude": "-80.19"}
            ],
            "services_at_location": [
                {"id": f"x{sid}", "service_id": sid, "location_id": "l1"} for sid in RECORDS
            ],
            "physical_addresses": [
                {
                    "id": "a1",
                    "location_id": "l1",
                    "address_1": "100 Main St",
                    "city": "Miami",
                    "state_province": "FL",
                    "postal_code": "33130",
                    "country": "US",
                }
            ],
        },
    )
    out = folder / "out.yaml"
    result = run("import-hsds", str(pkg), "--output", str(out))
    assert result.exit_code == 0, result.output
    return out


def _eligibility(out: Path) -> dict[str, dict[str, Any]]:
    return {str(p["x-hsds-id"]): p.get("eligibility") or {} for p in providers_of(out).values()}


@pytest.mark.parametrize("sid", ["union", "young", "programmes"])
def test_an_age_of_one_group_among_others_is_no_limit(imported: Path, sid: str) -> None:
    e = _eligibility(imported)[sid]
    assert e.get("stated") is False
    assert "ages" not in e and "genders" not in e
    assert " ".join(e["notes"].split()) == " ".join(RECORDS[sid][1].split())  # the text kept


@pytest.mark.parametrize(
    ("sid", "ages", "genders"),
    [
        ("only", [18, None], ["male"]),
        ("adult", [18, None], ["female"]),
        ("bands", [6, None], None),  # the adults of another line are served too
        ("condition", [10, None], None),  # conditions on the same person: still 10 and up
        ("men-cell", [18, None], ["male"]),  # a cell that is the term "Men": men, adults
    ],
)
def test_limits_read_whole(
    imported: Path, sid: str, ages: list[int | None], genders: list[str] | None
) -> None:
    e = _eligibility(imported)[sid]
    assert e.get("stated", True) is not False
    assert e.get("ages") == ages
    assert e.get("genders") == genders


def test_a_person_outside_one_alternative_is_told_to_call_never_left_out(imported: Path) -> None:
    found = run(
        "find", "food for a 30 year old man near Miami", "--data", str(imported), "--format", "json"
    )
    assert found.exit_code == 0, found.output
    results = {r["name"]: r for r in json.loads(found.stdout)["results"]}
    for name in ("Senior meals", "Homeless meals"):  # 65 and older "or" families; one programme
        assert name in results, sorted(results)
        assert CALL in results[name]["reasons"]
        assert "serves everyone" not in results[name]["reasons"]
    assert "Women's meals" not in results  # an adult woman's: he is not served


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("Men aged eighteen or older", "Men 18 and over"),
        ("Men 18+", "Men 18 and over"),
        ("Men 18 and over. Bring photo identification", "Men 18 and over"),
        ("Seniors 60 and over, or disabled adults", "Disabled adults, or seniors 60 and over"),
        ("Homeless adult women", "Adult women who are homeless"),
        ("Mujeres mayores de 18 años", "Women 18 and over"),  # in Spanish
        ("Niñas menores de 12 años", "Girls under 12"),
        (
            "Anyone 65 and older, families with low income, or people with disabilities",
            "Anyone 65 and older or people with disabilities",
        ),
    ],
)
def test_a_fact_said_another_way_reads_the_same(text: str, same_as: str) -> None:
    """Metamorphic: the same eligibility in other words, or with words the reader
    does not know added, reads the same."""
    a, b = read_text(text, TAX), read_text(same_as, TAX)
    assert (a.ages, a.genders, bool(a.unread)) == (b.ages, b.genders, bool(b.unread))


def test_a_gender_is_never_kept_alone_where_adult_was_said_and_not_read() -> None:
    """ "adult" in words the reader does not read as an age leaves the ages unread
    (the provider is "call to check"), never a women's provider of any age."""
    found = read_text("Residential program for women; an adult sponsor is required.", TAX)
    assert found.genders == ("female",)
    assert found.ages is None and "ages" in found.unread
    plain = read_text("Residential program for women.", TAX)
    assert plain.genders == ("female",) and not plain.unread


def test_only_one_gender_beside_the_other_named_on_its_own_is_unread() -> None:
    """ "Women only" in a record that serves men elsewhere limits one programme: the
    gender is neither narrowed nor claimed open to all."""
    found = read_text("Night shelter: women only.\nDay centre: men welcome for meals.", TAX)
    assert found.genders is None and "genders" in found.unread
    paired = read_text("Program for men and women (at present only for men).", TAX)
    assert paired.genders == ("male",)


@pytest.mark.parametrize("sid", ["in-need", "public", "all-ages", "any"])
def test_open_to_anyone_said_in_other_words_is_everyone(imported: Path, sid: str) -> None:
    """Not "not stated": the record says who it serves, and that is everyone."""
    e = _eligibility(imported)[sid]
    assert e.get("stated", True) is True
    assert not {"ages", "genders", "trafficking", "children"} & set(e)


def test_two_kinds_before_one_trafficking_are_both(imported: Path) -> None:
    """ "sex or labor trafficking" is both kinds: read as labor alone, a sex trafficking
    survivor would be turned away; read as no kind, a survivors' programme would rank
    as a general one for a survivor."""
    e = _eligibility(imported)["both-kinds"]
    got = (e.get("ages"), e.get("genders"), e.get("trafficking"))
    assert got == ([18, None], ["female"], ["labor", "sex"])
    assert read_text("survivors of sex and/or labour trafficking", TAX).trafficking == (
        "labor",
        "sex",
    )
    both = read_text("victims of labor, sex or organ trafficking", TAX).trafficking
    assert both == ("labor", "organ", "sex")
    assert read_text("survivors of labor trafficking", TAX).trafficking == ("labor",)


def test_genders_named_apart_in_a_description_are_of_different_programmes() -> None:
    """A description names its programmes one after another: "shelter for women" then
    "a breakfast for men" is no shelter for any gender (a single man was sent to a home
    for women and small boys); an eligibility cell naming both is still open to both."""
    prose = read_text(
        "Night shelter for women and their small children. Also serves breakfast to men.",
        TAX,
        prose=True,
    )
    assert prose.genders is None and "genders" in prose.unread
    both = read_text("Adult women; men welcome with their family.", TAX)
    assert both.genders == ()
