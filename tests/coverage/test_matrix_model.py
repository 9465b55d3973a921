"""coverage.model: the matrix's records and its JSON shape."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from coverage_directory import FRESNO, TULARE, WASHOE, providers_of, write_directory

from referral_cli.coverage.count import count
from referral_cli.coverage.model import CSV_COLUMNS, Cell, Completeness, Gap, PlaceKey
from referral_cli.records.model import Provider


@pytest.fixture
def providers(tmp_path: Path) -> list[Provider]:
    return providers_of(write_directory(tmp_path))


def test_json_shape(providers: list[Provider]) -> None:
    doc = json.loads(json.dumps(count(providers, population="kids").as_dict()))
    assert set(doc) >= {"framework", "by", "detail", "population", "area", "places", "rows"}
    assert doc["framework"] == {"key": "freedom", "label": "Freedom Strategy"}
    assert doc["population"]["key"] == "minors"
    assert doc["places"][0] == {
        "label": FRESNO,
        "kind": "county",
        "region": "US-CA",
        "country": "US",
        "providers": {"local": 2, "remote": 2, "total": 4},
        "completeness": {
            "covered": 4,
            "located": 2,
            "remote_only": 2,
            "total": 5,
            "complete": False,
        },
    }
    assert len(doc["cells"]) == len(doc["rows"]) * len(doc["places"])
    cell = next(c for c in doc["cells"] if c["row"] == "rescue-exit" and c["place"] == TULARE)
    assert cell == {
        "row": "rescue-exit",
        "place": TULARE,
        "local": 1,
        "remote": 2,
        "total": 3,
        "local_ids": ["tulare-girls-shelter"],
        "remote_ids": ["ca-legal-line", "us-hotline"],
    }
    gap = next(g for g in doc["gaps"] if g["place"] == WASHOE)
    assert set(gap) == {
        "place",
        "message",
        "missing_areas",
        "missing_services",
        "remote_only_areas",
    }


@pytest.mark.parametrize(
    ("local", "remote", "text", "level"),
    [
        (0, 0, "--", 0),
        (0, 1, "0+1", 1),
        (1, 0, "1", 2),
        (2, 1, "2+1", 3),
        (3, 0, "3", 3),
        (4, 1, "4+1", 4),
    ],
)
def test_a_cell_reads_located_plus_remote(local: int, remote: int, text: str, level: int) -> None:
    cell = Cell(local, remote)
    assert (cell.text, cell.level, cell.total) == (text, level, local + remote)


def test_completeness_is_never_complete_through_remote_help() -> None:
    assert Completeness(5, 0, 5).text == "5/5" and Completeness(5, 0, 5).complete
    remote = Completeness(1, 4, 5)
    assert (remote.text, remote.covered, remote.complete) == ("1+4/5", 5, False)


def test_a_gap_shows_its_details_without_the_place() -> None:
    gap = Gap("Tulare County", "Tulare County: nothing in Reforms", ("reforms",), ())
    assert gap.details == "nothing in Reforms"
    assert Gap("X", "other words", (), ()).details == "other words"


def test_the_matrix_and_its_records_are_frozen(providers: list[Provider]) -> None:
    m = count(providers)
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.by = "city"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.places[0].label = "Elsewhere"  # type: ignore[misc]
    assert isinstance(m.places, tuple) and isinstance(m.gaps, tuple)
    # A place's identity is a named, hashable record (it keys dictionaries while counting).
    key = PlaceKey("county", "fresno county", "US-CA", "US")
    assert {key: 1}[PlaceKey("county", "fresno county", "US-CA", "US")] == 1
    assert key.complete and not PlaceKey("county", "fresno county", None, "US").complete


def test_csv_rows_follow_the_documented_columns(providers: list[Provider]) -> None:
    m = count(providers, detail="services")
    rows = m.csv_rows()
    assert len(rows) == len(m.rows) * len(m.places)
    assert all(tuple(r) == CSV_COLUMNS for r in rows)
    assert json.loads(json.dumps(m.as_dict()))["cells"][0]["row"] == rows[0]["row"]
