"""referral_cli.hsds.terms and mapping: taxonomy codes, term names and the map table."""

from __future__ import annotations

import pytest

from referral_cli.hsds.mapping import load_map
from referral_cli.hsds.terms import longest_prefix, name_forms, survivor_shelter


def test_mapping_table_targets_are_taxonomy_keys() -> None:
    from referral_cli import taxonomy

    known = set(taxonomy.load().service_types)
    unknown = [
        (where, key)
        for where, t in load_map().all_targets()
        for key in t.services
        if key not in known
    ]
    assert unknown == []


def test_mapping_table_lookups() -> None:
    m = load_map()
    assert longest_prefix("BH-1800.1500-308", m.airs)[0] == "BH-1800.1500-308"
    assert longest_prefix("BH-1800.8500-185", m.airs)[0] == "BH-1800.8500"
    assert longest_prefix("LV-1600.1700", m.airs)[1].services == ("dental",)
    assert longest_prefix("YB-9500.0500", m.airs)[1].services == ()  # a population
    assert longest_prefix("101-06-02", m.open_eligibility)[1].services == ("temporary-shelter",)
    assert longest_prefix("PL-6400.1500-820", m.airs)[1].services == ("childcare",)
    assert longest_prefix("PL-7000.8900-100", m.airs) is None  # basketball
    assert longest_prefix("PL-7000.8900-100", m.airs_fallback)[0] == "PL"


@pytest.mark.parametrize(
    ("key", "singular"),
    [
        ("food pantries", "food pantry"),
        ("domestic violence shelters", "domestic violence shelter"),
        ("legal services", "legal service"),
        ("crisis intervention", None),
        ("glasses", "glass"),
        ("address", None),
    ],
)
def test_name_forms_add_the_singular(key: str, singular: str | None) -> None:
    forms = name_forms(key)
    assert forms[0] == key
    assert (forms[1] if len(forms) > 1 else None) == singular


def test_survivor_shelters_need_shelter_and_survivor_words() -> None:
    assert survivor_shelter(["temporary-shelter"], "Shelter for victims of domestic violence")
    assert survivor_shelter(["temporary-shelter", "counseling"], "HUMAN TRAFFICKING shelters")
    assert not survivor_shelter(["counseling"], "domestic violence counselling")
    assert not survivor_shelter(["temporary-shelter"], "Homeless shelter for families")


def test_survivor_shelters_in_english_spanish_and_short_forms() -> None:
    for text in (
        "Refugio para víctimas de violencia doméstica y trata de personas",
        "Safe house for women fleeing abuse and exploitation",
        "DV Shelter - family violence",
        "IPV emergency shelter",
        "Albergue para mujeres maltratadas",
    ):
        assert survivor_shelter([], text), text
    for text in (
        "Substance abuse treatment shelter",  # not abuse a person fled
        "Food pantry; referrals to shelters, clothing, tax help, legal clinics, job fairs"
        " and English classes for many needs, and support groups for victims of crime",
        "Tratamiento dental",  # 'trata' is a whole word only
    ):
        assert not survivor_shelter([], text), text
