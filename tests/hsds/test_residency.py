"""Where a service's people must live, read by ``referral import-hsds`` from its
eligibility text ("Montgomery County residents", "Must live in zip code 22041 or
22044") and from a service area only where its words make it a rule ("County
residents only"); an area that only names where a service goes ("Residents of Prince
George's County", "All of Fairfax County") and a description never limit anyone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from referral_cli.hsds.residency import phrases

from .helpers import errors_of, providers_of, run, write_package

# (id, its eligibility text, its service area (name, description), its town and state)
SERVICES = [
    ("pantry", "Montgomery County residents. Limit 1 visit every 30 days.", None, "Rockville", "MD"),
    ("zips", "Must live in zip code 22041, 22044 or 22311.", None, "Falls Church", "VA"),
    ("youth", "Youth ages 14-21 who live in Prince George's County", None, "Largo", "MD"),
    ("dc", "DC residents with household income under 200% of poverty.", None, "Washington", "DC"),
    ("intake", "", ("Prince George's County, MD", "County residents only"), "Largo", "MD"),
    ("goes", "", ("Prince George's County, MD", "Residents of Prince George's County"), "Largo",
     "MD"),
    ("told", "Serves residents of the county and visitors alike.", None, "Largo", "MD"),
    ("abroad", "Familias de Guatemala y Honduras.", None, "Wheaton", "MD"),
]  # fmt: skip


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("residency")
    tables: dict[str, list[dict[str, str]]] = {
        "organizations": [{"id": "o1", "name": "County Services"}],
        "services": [],
        "locations": [],
        "service_at_location": [],
        "addresses": [],
        "service_areas": [],
    }
    for sid, text, area, town, state in SERVICES:
        tables["services"].append(
            {"id": sid, "organization_id": "o1", "name": f"Service {sid}",
             "description": f"Help for Fairfax County residents ({sid}).",
             "eligibility_description": text},
        )  # fmt: skip
        tables["locations"].append({"id": f"l-{sid}", "organization_id": "o1", "name": town})
        tables["service_at_location"].append(
            {"id": f"x-{sid}", "service_id": sid, "location_id": f"l-{sid}"}
        )
        tables["addresses"].append(
            {"id": f"a-{sid}", "location_id": f"l-{sid}", "address_1": "1 Main St",
             "city": town, "state_province": state, "country": "US", "address_type": "physical"},
        )  # fmt: skip
        if area is not None:
            tables["service_areas"].append(
                {"id": f"s-{sid}", "service_id": sid, "name": area[0], "description": area[1]}
            )
    package = write_package(folder / "pkg", tables)
    out = folder / "dir.yaml"
    done = run("import-hsds", str(package), "-o", str(out))
    assert done.exit_code == 0, done.output
    assert errors_of(out) == []
    return {p["id"].removeprefix("service-"): p for p in providers_of(out).values()}


def _residents(imported: dict[str, dict[str, Any]], sid: str) -> list[str] | None:
    found = [p for key, p in imported.items() if key.endswith(sid)]
    assert len(found) == 1, sorted(imported)
    residents: list[str] | None = found[0].get("eligibility", {}).get("residents_of")
    return residents


@pytest.mark.parametrize(
    ("sid", "areas"),
    [
        ("pantry", ["Montgomery County, MD"]),  # of eight Montgomery Counties, Maryland's
        ("zips", ["22041", "22044", "22311"]),
        ("youth", ["Prince George's County"]),
        ("dc", ["DC"]),
        ("intake", ["Prince George's County"]),  # "County residents only": the area named
        ("goes", None),  # the area served, said of its residents: no rule
        ("told", None),  # "the county": which is not said
        ("abroad", None),  # where they come from, not where they live
    ],
)
def test_the_importer_reads_where_people_must_live(
    imported: dict[str, dict[str, Any]], sid: str, areas: list[str] | None
) -> None:
    assert _residents(imported, sid) == areas


def test_residency_is_kept_beside_an_unknown_eligibility(
    imported: dict[str, dict[str, Any]],
) -> None:
    pantry = next(p for key, p in imported.items() if key.endswith("pantry"))
    assert pantry["eligibility"]["stated"] is False  # nothing said of who else
    assert pantry["eligibility"]["residents_of"] == ["Montgomery County, MD"]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("Must be a resident of Fairfax County or the City of Fairfax",
         ["Fairfax County", "the City of Fairfax"]),
        ("Ward 8 residents only. Bring proof of address.", ["Ward 8"]),
        ("Residents of zip codes 21212 and 21239 only.", ["21212", "21239"]),
        ("Serves zip codes 20017, 20018 and 20002.", ["20017", "20018", "20002"]),
        ("Familias de Langley Park y Hyattsville.", ["Langley Park", "Hyattsville"]),
        ("Eligible residents must bring ID.", []),
        ("Residents must be out of the life at least 30 days.", []),
        ("Adults 18+ living in Baltimore County.", ["Baltimore County"]),
    ],
)  # fmt: skip
def test_the_phrases_of_residency(text: str, said: list[str]) -> None:
    assert phrases(text) == said


def test_the_export_writes_them_and_what_is_not_stated_back(tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    data.write_text(
        "providers:\n  - id: p\n    name: P\n    services: [legal-aid]\n"
        "    eligibility: {genders: [female], unstated: [ages],"
        ' residents_of: ["Montgomery County, MD", "22041"]}\n'
        "    location: {lat: 39.08, lon: -77.15}\n",
        "utf-8",
    )
    out = tmp_path / "export"
    assert run("export-hsds", "--output", str(out), "--data", str(data)).exit_code == 0
    back = tmp_path / "back.yaml"
    assert run("import-hsds", str(out), "-o", str(back)).exit_code == 0
    (only,) = providers_of(back).values()
    assert only["eligibility"] == {
        "genders": ["female"],
        "unstated": ["ages"],
        "residents_of": ["Montgomery County, MD", "22041"],
    }
