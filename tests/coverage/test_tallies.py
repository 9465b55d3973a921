"""What the matrix reads off the tallies: a place's completeness, its gaps in
words (for nobody, or only for the population asked about), and the order of need."""

from __future__ import annotations

from referral_cli.coverage.model import Completeness, Place, Reach
from referral_cli.coverage.tallies import Tallied, Tally, completeness_of, gap_of, sort_by_need
from referral_cli.taxonomy import load

TAX = load()
FW = TAX.frameworks["freedom"]
AREAS = [a.key for a in FW.areas]


def tallied(local: int = 0, remote: int = 0) -> Tallied:
    t = Tallied()
    t.local, t.remote = local, remote
    return t


def test_completeness_tells_located_from_remote_only() -> None:
    by_area: Tally = {
        ("prevention", "Fresno"): tallied(local=2),
        ("rescue-exit", "Fresno"): tallied(remote=1),
    }
    assert completeness_of(AREAS, by_area, "Fresno") == Completeness(1, 1, len(AREAS))
    assert completeness_of(AREAS, by_area, "Kern") == Completeness(0, 0, len(AREAS))


def test_a_gap_names_what_nobody_offers_and_what_the_population_lacks() -> None:
    everyone: Tally = {(k, "Fresno"): tallied(local=1) for k in AREAS if k != "reforms"}
    for_minors: Tally = {(k, "Fresno"): tallied(local=1) for k in ("prevention", "identification")}
    for_minors[("restoration", "Fresno")] = tallied(remote=3)
    by_service: Tally = {("counseling", "Fresno"): tallied(local=1)}
    minors = TAX.populations["minors"]
    gap = gap_of(
        "Fresno", FW, TAX, minors, AREAS, ["temporary-shelter", "counseling"],
        for_minors, by_service, everyone,
    )  # fmt: skip
    assert gap is not None
    assert gap.missing_areas == ("rescue-exit", "reforms")
    assert gap.missing_services == ("temporary-shelter",)
    assert gap.remote_only_areas == ("restoration",)
    assert gap.message.startswith("Fresno: nothing in ")
    nobody, for_them, services, remote = gap.message.removeprefix("Fresno: ").split("; ")
    assert FW.area("reforms").label in nobody and FW.area("rescue-exit").label not in nobody
    assert FW.area("rescue-exit").label in for_them and for_them.endswith(" for minors")
    assert services.startswith("no temporary shelter")
    assert remote == "only remote in " + FW.area("restoration").label


def test_a_place_that_lacks_nothing_has_no_gap() -> None:
    full: Tally = {(k, "Fresno"): tallied(local=1) for k in AREAS}
    services: Tally = {("counseling", "Fresno"): tallied(local=1)}
    assert gap_of("Fresno", FW, TAX, None, AREAS, ["counseling"], full, services, full) is None


def test_places_in_most_need_first_then_by_name() -> None:
    places = [Place(name, "county") for name in ("Alpine", "Butte", "Colusa", "Del Norte")]
    completeness = {
        "Alpine": Completeness(3, 0, 5),
        "Butte": Completeness(1, 2, 5),
        "Colusa": Completeness(1, 1, 5),
        "Del Norte": Completeness(1, 1, 5),
    }
    reach = {"Colusa": Reach(4, 0), "Del Norte": Reach(2, 0)}
    sort_by_need(places, [], completeness, reach)
    assert [p.label for p in places] == ["Del Norte", "Colusa", "Butte", "Alpine"]
