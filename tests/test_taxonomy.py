"""The taxonomy data: the spec's keys, complete crosswalks, unambiguous synonyms."""

from __future__ import annotations

import json

from conftest import invoke
from typer.testing import CliRunner

from referral_cli import taxonomy

SPEC_SERVICES = {
    "awareness-education": ["prevention"],
    "vulnerability-support": ["prevention"],
    "demand-reduction": ["prevention"],
    "identification-training": ["identification"],
    "outreach": ["identification"],
    "hotline": ["identification", "rescue-exit"],
    "law-enforcement": ["rescue-exit"],
    "temporary-shelter": ["rescue-exit"],
    "medical": ["rescue-exit", "restoration"],
    "dental": ["rescue-exit", "restoration"],
    "legal-aid": ["rescue-exit", "restoration"],
    "counseling": ["rescue-exit", "restoration"],
    "victim-advocacy": ["rescue-exit", "restoration"],
    "relocation": ["rescue-exit"],
    "long-term-housing": ["restoration"],
    "education": ["restoration"],
    "vocational-training": ["restoration"],
    "job-placement": ["restoration"],
    "life-skills": ["restoration"],
    "family-support": ["restoration"],
    "spiritual-care": ["restoration"],
    "mentoring": ["restoration"],
    "childcare": ["restoration"],
    "policy-advocacy": ["reforms"],
    "research-monitoring": ["reforms"],
    "coalition": ["reforms"],
}
SPEC_FRAMEWORKS = {
    "freedom": ["prevention", "identification", "rescue-exit", "restoration", "reforms"],
    "sos": ["recognize-resource", "reach-rehabilitate", "restore-renew"],
    "prr": ["prevention", "rescue", "recovery"],
    "5p": ["prevention", "protection", "prosecution", "partnership", "policy"],
}


def test_frameworks_and_areas_match_the_spec() -> None:
    tax = taxonomy.load()
    for key, areas in SPEC_FRAMEWORKS.items():
        assert [a.key for a in tax.frameworks[key].areas] == areas


def test_service_types_match_the_spec() -> None:
    tax = taxonomy.load()
    for key, areas in SPEC_SERVICES.items():
        assert sorted(tax.service_types[key].areas) == sorted(areas), key


def test_every_service_maps_into_every_framework() -> None:
    tax = taxonomy.load()
    for st in tax.service_types.values():
        for fw, areas in SPEC_FRAMEWORKS.items():
            mapped = st.areas_in(fw)
            assert mapped, (st.key, fw)
            assert set(mapped) <= set(areas), (st.key, fw, mapped)


def test_synonyms_are_unambiguous_and_plentiful() -> None:
    tax = taxonomy.load()
    owner: dict[str, str] = {}
    for st in tax.service_types.values():
        assert len(st.synonyms) >= 5, st.key
        for word in st.synonyms:
            assert owner.setdefault(word, st.key) == st.key, (word, owner[word], st.key)
    for word, key in {
        "safe house": "temporary-shelter",
        "emergency bed": "temporary-shelter",
        "lawyer": "legal-aid",
        "attorney": "legal-aid",
        "therapist": "counseling",
        "case manager": "victim-advocacy",
        "ged": "education",
        "esl": "education",
        "dentist": "dental",
        "doctor": "medical",
        "job training": "vocational-training",
    }.items():
        assert owner.get(word) == key, word


def test_populations_languages_and_trafficking_types() -> None:
    tax = taxonomy.load()
    assert tax.populations["minors"].max_age == 17
    assert tax.populations["girls"].gender == "female"
    assert {"sex", "labor", "organ"} <= set(tax.trafficking_types)
    assert len(tax.languages) >= 180
    assert tax.languages["es"].native.lower() == "español"


def test_taxonomy_command(runner: CliRunner) -> None:
    result = invoke(runner, "taxonomy", "--format", "json", "--framework", "5p")
    data = json.loads(result.stdout)
    assert data["framework"]["key"] == "5p"
    assert [a["key"] for a in data["areas"]] == SPEC_FRAMEWORKS["5p"]
    result = invoke(runner, "taxonomy")
    assert result.exit_code == 0 and "temporary-shelter" in result.stdout
    result = invoke(runner, "taxonomy", "--framework", "7p")
    assert result.exit_code == 1 and "unknown framework" in result.stderr
