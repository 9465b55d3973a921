"""Service types as a 211 specialist gives them, through ``referral import-hsds``:
records without terms typed from what their description says they offer (every
service named, never a weak word such as "works"); a term that is part of
another type's service, or that serves no client, gives no type of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .helpers import providers_of, run, write_package

TERMS = {
    "LE": "General Medical Care",
    "LN-8500": "Urgent Care Centers",
    "LH-2700.9500-100": "Community Wellness Programs",
    "RF-2000": "Family Counseling",
    "RF-3300": "Individual Counseling",
    "BH-1800.1500-330": "Immigrant/Refugee Shelters",
    "PH-2400.2000": "Foster Parent/Family Recruitment",
    "FT-4500.4600": "Landlord/Tenant Dispute Resolution",
    "TD-1600": "Community Action/Social Advocacy Groups",
    "PL-7400.1550": "Cooking Classes",
    "ND-6500": "Training and Employment Programs",
    "FT-3500.1500": "Citizenship and Immigration Services Offices",
    "BH-1800.3500": "Homeless Drop In Centers",
    "PH-1250.1800": "Extended Child Care",
    "TJ-3000.8500-850": "211 Lead Agencies",
    "TJ-3000": "Information and Referral",
    "FF-0500.1800-350": "Juvenile Diversion",
    "FT-1000.8900": "Unemployment Insurance Benefits Assistance",
    "ND-3500.3700": "Job Search Resource Centers",
    "LH-3500.0200-330": "In Person Assister Programs",
    "FN-1700": "Crime Reporting",
    "FN-1700.7800": "Social Security Fraud Reporting",
    "RX-8250": "Substance Use Disorder Education/Prevention",
    "RX-8450.1150": "Comprehensive Outpatient Substance Use Disorder Treatment",
    "PH-3500.4500": "Language Interpretation",
    "PH-0320.0200": "Adult Day Program Centers",
    "PH-0700": "Benefits Screening",
    "PH-6500.1500-140": "Child Abuse Reporting/Emergency Response",
    "BH-1800.1500-700": "Runaway/Youth Shelters",
    "BH-1800.1600": "Drop In Centers",
}

SERVICES: list[tuple[str, str, str, list[str]]] = [
    (
        "clinic",
        "Neighbourhood Clinic",
        "Free medical and dental care for people without insurance.",
        [],
    ),
    (
        "health-dept",
        "County Health Department",
        "Works to keep the county healthy: public health services for every resident.",
        [],
    ),
    (
        "aging",
        "Alliance for Elders",
        "Offers hot meals at home, an adult day care centre, legal assistance"
        " and respite for each caregiver.",
        [],
    ),
    ("urgent", "Urgent Care", "Walk-in care.", ["LE", "LN-8500", "LH-2700.9500-100"]),
    ("free-clinic", "Free Clinic", "Free medical and dental care.", ["LE"]),
    ("wellness", "Wellness Talks", "Monthly talks.", ["LH-2700.9500-100"]),
    ("counselling", "Counselling Centre", "Counselling.", ["RF-2000", "RF-3300"]),
    ("minors", "Refugee Minors", "Foster homes.", ["BH-1800.1500-330", "PH-2400.2000"]),
    ("city-desk", "City Desk", "Complaints.", ["TD-1600", "FT-4500.4600"]),
    ("skills", "Work Skills", "Training.", ["ND-6500", "PL-7400.1550"]),
    ("field-office", "Field Office", "Interviews and biometrics.", ["FT-3500.1500"]),
    ("day-centre", "Day Centre", "Showers, lunch and mail by day.", ["BH-1800.3500"]),
    ("after-school", "After School", "Tutoring and games after school.", ["PH-1250.1800"]),
    ("after-care", "After Care", "Games and snacks after school.", ["PH-1250.1800"]),
    ("line-211", "2-1-1 Line", "Food, shelter and support groups near you.", ["TJ-3000.8500-850"]),
    ("crisis-211", "2-1-1 Helpline", "Crisis counselling and referrals.", ["TJ-3000.8500-850"]),
    ("referral-desk", "Referral Desk", "Tells callers where to go.", ["TJ-3000"]),
    ("diversion", "Juvenile Diversion", "Instead of prosecution.", ["FF-0500.1800-350"]),
    ("job-centre", "Job Centre", "Job search.", ["ND-3500.3700", "FT-1000.8900"]),
    ("navigator", "Insurance Navigator", "Enrolment help.", ["LH-3500.0200-330"]),
    ("crime-stoppers", "Crime Stoppers", "Anonymous tips.", ["FN-1700"]),
    ("fraud-line", "Fraud Line", "Report fraud.", ["FN-1700.7800"]),
    ("treatment", "Treatment Centre", "Outpatient care.", ["RX-8450.1150", "RX-8250"]),
    ("interpreters", "Court Interpreters", "Interpreters.", ["PH-3500.4500"]),
    ("adult-day", "Adult Day Centre", "Care by day.", ["PH-0320.0200"]),
    ("screening", "Benefits Screening", "Are you eligible?", ["PH-0700"]),
    ("abuse-line", "Abuse Line", "Reports taken 24 hours a day.", ["PH-6500.1500-140"]),
    ("abuse-unit", "Child Protection Unit", "Investigates reports.", ["PH-6500.1500-140"]),
    ("safe-place", "Safe Place Site - Library", "Ask staff for help.", ["BH-1800.1500-700"]),
    ("day-drop-in", "Day Centre West", "Showers and mail.", ["BH-1800.1600"]),
    (
        "youth-shelter",
        "Youth Emergency Shelter",
        "Beds for runaways; Safe Place sites may bring youth.",
        ["BH-1800.1500-700"],
    ),
]


@pytest.fixture(scope="module")
def types(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    folder = tmp_path_factory.mktemp("typing")
    pkg = write_package(
        folder / "pkg",
        {
            "organizations": [{"id": "o1", "name": "Org"}],
            "services": [
                {"id": sid, "organization_id": "o1", "name": name, "description": desc}
                for sid, name, desc, _ in SERVICES
            ],
            "taxonomy": [{"id": code, "name": name} for code, name in TERMS.items()],
            "services_taxonomy": [
                {"id": f"{sid}-{code}", "service_id": sid, "taxonomy_id": code}
                for sid, _, _, codes in SERVICES
                for code in codes
            ],
        },
    )
    out = folder / "out.yaml"
    result = run("import-hsds", str(pkg), "--output", str(out))
    assert result.exit_code == 0, result.output
    found: dict[str, Any] = providers_of(out)
    return {str(p["x-hsds-id"]): list(p["services"]) for p in found.values()}


@pytest.mark.parametrize(
    ("sid", "expected"),
    [
        ("clinic", ["medical", "dental"]),  # not "medical" alone from "medical and dental"
        ("health-dept", ["medical"]),  # "works" is no job placement
        ("aging", ["family-support", "vulnerability-support", "legal-aid"]),  # most named first
        ("urgent", ["medical"]),  # the wellness talks of a clinic are its care
        ("free-clinic", ["medical", "dental"]),  # a clinic that says it offers dental care
        ("wellness", ["awareness-education"]),  # alone, health education is awareness
        ("counselling", ["counseling"]),  # family counselling is counselling
        ("minors", ["temporary-shelter"]),  # recruiting foster parents serves no client
        ("city-desk", ["policy-advocacy"]),  # tenant dispute resolution is no legal aid
        ("skills", ["vocational-training", "job-placement", "life-skills"]),
        ("day-centre", ["outreach", "vulnerability-support"]),  # a drop-in has no bed
        ("after-school", ["childcare", "education"]),  # tutoring named: also education
        ("after-care", ["childcare"]),
        ("crisis-211", ["hotline"]),  # a 211 line that says it answers crises
        ("job-centre", ["job-placement", "vulnerability-support"]),  # benefits help
        ("navigator", ["vulnerability-support"]),  # health insurance enrolment: a benefit
        ("crime-stoppers", ["law-enforcement", "hotline"]),  # a tip line
        ("fraud-line", ["law-enforcement"]),  # a fraud-reporting office is no tip line
        ("treatment", ["counseling"]),  # prevention talks are part of its treatment
        ("adult-day", ["family-support", "medical"]),  # care by day, respite for the family
        ("screening", ["vulnerability-support"]),  # help to get benefits is benefits
        ("abuse-line", ["hotline", "victim-advocacy"]),  # it says it answers day and night
        ("abuse-unit", ["victim-advocacy"]),  # the investigators who respond: no hotline
        ("safe-place", ["outreach"]),  # its name says where youth ask for help: no bed
        ("youth-shelter", ["temporary-shelter"]),
        # a code known only by its branch (emergency shelter): the term's name says more
        (
            "day-drop-in",
            ["outreach", "vulnerability-support"],
        ),  # a description naming the sites is no site
    ],
)
def test_types_a_specialist_gives(
    types: dict[str, list[str]], sid: str, expected: list[str]
) -> None:
    assert sorted(types[sid]) == sorted(expected)
    assert types[sid][0] == expected[0]


def test_a_description_with_an_unknown_word_added_keeps_its_types(tmp_path: Path) -> None:
    """Metamorphic: a word the map does not know changes nothing."""
    got = {}
    for tail in ("", " Quarterly zorblat fairs."):
        pkg = write_package(
            tmp_path / f"pkg{len(tail)}",
            {
                "services": [
                    {
                        "id": "s1",
                        "name": "Neighbourhood Clinic",
                        "description": "Delivers medical and dental care." + tail,
                    }
                ]
            },
        )
        out = tmp_path / f"out{len(tail)}.yaml"
        assert run("import-hsds", str(pkg), "--output", str(out)).exit_code == 0
        got[tail] = next(iter(providers_of(out).values()))["services"]
    assert got[""] == got[" Quarterly zorblat fairs."] == ["medical", "dental"]


@pytest.mark.parametrize("sid", ["line-211", "referral-desk", "diversion", "interpreters"])
def test_services_that_offer_none_of_our_types_are_left_out(
    types: dict[str, list[str]], sid: str
) -> None:
    """A 211 line that does not say it answers crises only refers on (what it lists,
    food or shelter, is not what it offers); an information desk, a diversion
    programme of the court and interpreters offer no service of the taxonomy."""
    assert sid not in types
    assert "after-school" in types  # the import ran and kept the others


def test_a_government_immigration_office_is_no_legal_aid(types: dict[str, list[str]]) -> None:
    """A survivor asking for an immigration lawyer is never sent to the immigration
    authorities' own offices: the office gives no type, so it is left out."""
    assert "field-office" not in types
    assert "skills" in types  # the import ran and kept the others
