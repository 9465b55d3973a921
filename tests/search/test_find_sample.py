"""Questions as a hotline volunteer types them, answered from the shipped sample network.

Each case names the provider that must come first (or be listed) and the ones
that must never be listed, whatever the ranking: eligibility is a hard filter.
"""

from __future__ import annotations

import json

import pytest
from conftest import invoke

from referral_cli.directory import sample_path

ADULT_ONLY_SHELTERS = [
    "fresno-mens-emergency-shelter",
    "harbor-house-women",
    "visalia-emergency-shelter",
    "bakersfield-adult-shelter",
]

# (question, first result, also listed, never listed)
CASES: list[tuple[str, str | None, list[str], list[str]]] = [
    (
        "temporary shelter for minors near Fresno",
        None,
        ["valley-youth-safe-house", "valley-lgbtq-youth-center"],
        ADULT_ONLY_SHELTERS,
    ),
    (
        "safe house for a 16 year old girl near Fresno",
        "valley-youth-safe-house",
        [],
        [*ADULT_ONLY_SHELTERS, "houston-girls-home"],
    ),
    (
        "emergency bed for a 15 year old boy near Fresno",
        None,
        ["valley-lgbtq-youth-center"],
        [*ADULT_ONLY_SHELTERS, "valley-youth-safe-house"],
    ),
    (
        "shelter for a woman near Fresno",
        "harbor-house-women",
        [],
        ["fresno-mens-emergency-shelter", "valley-youth-safe-house"],
    ),
    (
        "shelter for a man tonight in Fresno",
        "fresno-mens-emergency-shelter",
        [],
        ["harbor-house-women", "valley-youth-safe-house"],
    ),
    ("lawyer for labor trafficking near Bakersfield", "kern-farmworker-legal", [], []),
    (
        "immigration attorney who speaks Punjabi near 93721",
        "central-valley-immigrant-legal",
        [],
        [],
    ),
    ("therapist in Vietnamese near San Jose", "san-jose-vietnamese-counseling", [], []),
    ("shelter for girls near Houston", "houston-girls-home", [], ["houston-mens-recovery"]),
    ("job training near Miami", "miami-job-training", [], []),
    ("shelter for minors near Ciudad Juarez", "juarez-centro-jovenes", [], []),
    ("case manager in Tulare County", "tulare-crisis-line", [], []),
    ("counselling near Oakland", "oakland-survivor-clinic", [], []),
    ("legal help near Sacramento", None, ["california-legal-hotline"], []),
    ("lgbtq shelter for an adult in Dallas", "dallas-lgbtq-shelter", [], []),
    (
        "doctor for a 16 year old near Tampa",
        "tampa-childrens-advocacy",
        [],
        ["houston-medical-clinic"],
    ),
    (
        "long term housing for women near Sacramento",
        "sacramento-transitional-housing",
        [],
        ["houston-mens-recovery"],
    ),
    ("dentist near Modesto for a 10 year old", None, [], ["modesto-dental-outreach"]),
    ("hotline near Austin", "texas-survivor-hotline", [], []),
    # a phone line that serves 80 km around Visalia is not a line for Mexico City
    ("24/7 hotline in Mexico City", "mexico-linea-nacional", [], ["tulare-crisis-line"]),
    # 2 km away beats a better word match found only by widening the radius to 200 km
    (
        "farmworker legal aid near Immokalee",
        "immokalee-labor-rights",
        ["homestead-farmworker-center"],
        [],
    ),
    ("safe house for a 14 year old in Modesto", "modesto-youth-services", [], ADULT_ONLY_SHELTERS),
]


@pytest.mark.usefixtures("shared_index")
@pytest.mark.parametrize(("question", "first", "listed", "never"), CASES)
def test_sample_question(
    runner, question: str, first: str | None, listed: list[str], never: list[str]
) -> None:  # type: ignore[no-untyped-def]
    result = invoke(runner, "find", question, "--data", str(sample_path()), "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    ids = [r["id"] for r in payload["results"]]
    assert ids, (question, payload["notes"])
    if first is not None:
        assert ids[0] == first, (question, ids)
    for pid in listed:
        assert pid in ids, (question, pid, ids)
    for pid in never:
        assert pid not in ids, (question, pid, ids)
    for r in payload["results"]:
        if r.get("confidential"):
            assert "street" not in (r.get("address") or {}) and "location" not in r, r
