"""coverage.count: exact counts on a directory counted by hand, populations, gaps;
and the facet-groups path (the index's groups of each file) and the
plain-list path (a walk over the providers) give the same matrix, on the sample
and on generated directories, with ids and counting only (then the index's id
lists are never read)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import write
from coverage_directory import (
    FRESNO,
    TULARE,
    UNKNOWN,
    WASHOE,
    counts,
    label,
    providers_of,
    write_directory,
)

from referral_cli import directory
from referral_cli.coverage.count import admits, count
from referral_cli.coverage.model import Matrix, Place
from referral_cli.directory import Directory
from referral_cli.records.model import Provider
from referral_cli.taxonomy import load as load_taxonomy

SAMPLE = Path(__file__).resolve().parents[2] / "referral_cli" / "data" / "resources.yaml"

# Every option the matrix has, alone and together.
OPTIONS: list[dict[str, Any]] = [
    {},
    {"by": "city"},
    {"by": "region"},
    {"by": "country"},
    {"population": "minors"},
    {"population": "girls", "detail": "services"},
    {"population": "men", "by": "city", "sort": "gaps"},
    {"population": "lgbtq", "by": "country"},
    {"detail": "services", "sort": "gaps"},
    {"framework": "sos", "by": "region"},
    {"framework": "5p", "detail": "services", "population": "kids"},
    {"area": "restoration", "detail": "services"},
    {"area": "rescue-exit", "population": "women", "by": "city"},
]

# (city, county, region, country): two Orange Counties, a county name in two states,
# Mexican addresses without a county, an address with no region, one with nothing.
TOWNS: list[dict[str, str]] = [
    {"city": "Fresno", "county": "Fresno County", "region": "CA", "country": "US"},
    {"city": "Clovis", "county": "Fresno County", "region": "CA", "country": "US"},
    {"city": "Fresno", "region": "CA", "country": "US"},
    {"city": "Fresno", "county": "Fresno County", "country": "US"},
    {"city": "Anaheim", "county": "Orange County", "region": "CA", "country": "US"},
    {"city": "Orlando", "county": "Orange County", "region": "FL", "country": "US"},
    {"city": "Houston", "county": "Harris County", "region": "US-TX", "country": "US"},
    {"city": "Tijuana", "region": "BC", "country": "MX"},
    {"city": "Monterrey", "region": "NLE", "country": "MX"},
    {"city": "Reno", "county": "Washoe County", "region": "NV", "country": "US"},
    {"county": "Tulare County", "region": "CA", "country": "US"},
    {"city": "Somewhere"},
]
SERVICES = [
    "temporary-shelter",
    "counseling",
    "legal-aid",
    "medical",
    "job-placement",
    "outreach",
    "hotline",
    "awareness-education",
    "coalition",
    "victim-advocacy",
    "dental",
]
ELIGIBILITY = [
    None,
    "{ages: [12, 17], genders: [female]}",
    "{ages: [18, null]}",
    "{ages: [null, 21]}",
    "{genders: [male]}",
    "{ages: [18, null], genders: [female, nonbinary]}",
    "{ages: [18, null], trafficking: [labor]}",  # the same counted eligibility as above
    "{populations: [lgbtq], notes: call first}",
    "{stated: false}",
]
REACH = [
    None,
    None,
    None,
    "{regions: [US-CA], remote: true}",
    "{countries: [US], remote: true}",
    "{regions: [MX-BCN, US-TX]}",
    "{radius_km: 80}",
    "{remote: true}",
]


def _provider(rng: random.Random, n: int) -> str:
    town = rng.choice(TOWNS)
    reach = rng.choice(REACH)
    lines = [
        f"  - id: p-{n:03d}",
        f"    name: Provider {n}",
        f"    services: [{', '.join(rng.sample(SERVICES, rng.randint(1, 3)))}]",
        f'    phone: "+1 559-555-{n:04d}"',
        "    last_verified: 2026-10-01",
    ]
    eligibility = rng.choice(ELIGIBILITY)
    if eligibility:
        lines.append(f"    eligibility: {eligibility}")
    if reach is None or rng.random() < 0.5:  # a statewide line may have no address
        lines.append("    address: {" + ", ".join(f"{k}: {v}" for k, v in town.items()) + "}")
    if reach:
        lines.append(f"    service_area: {reach}")
    return "\n".join(lines) + "\n"


def generated(folder: Path, seed: int, files: int = 3, per_file: int = 25) -> Path:
    """A directory of ``files`` files of random providers (ids unique across files)."""
    rng = random.Random(seed)
    n = 0
    for f in range(files):
        body = []
        for _ in range(per_file):
            body.append(_provider(rng, n))
            n += 1
        write(folder / f"part-{f}.yaml", "providers:\n" + "".join(body))
    return folder


def facts(m: Matrix) -> tuple[Any, ...]:
    """Everything a matrix shows, in every format."""
    return (m.as_dict(), m.csv_rows(), m.reach, m.counted, m.remote_services, m.critical)


def both_paths(location: Path) -> Directory:
    """The directory as the index serves it (with the facet groups of each file)."""
    directory.load(location)  # written to the index
    served = directory.load(location)  # read back, with the groups of each file
    assert not served.errors, served.errors
    assert served.facets() is not None, "the facet-groups path was not taken"
    return served


@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items())
)
def test_the_sample_counts_the_same_either_way(options: dict[str, Any]) -> None:
    providers = both_paths(SAMPLE)
    fast, walked = count(providers, **options), count(list(providers.providers), **options)
    assert facts(fast) == facts(walked)
    assert fast.counted > 0 and fast.places


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_generated_directory_counts_the_same_either_way(tmp_path: Path, seed: int) -> None:
    providers = both_paths(generated(tmp_path / "dir", seed))
    for options in OPTIONS:
        fast, walked = count(providers, **options), count(list(providers.providers), **options)
        assert facts(fast) == facts(walked), options


def without_ids(m: Matrix) -> tuple[Any, ...]:
    """What a matrix shows, its cells' ids emptied (as counting only gives them)."""
    cells = {k: replace(c, local_ids=(), remote_ids=()) for k, c in m.cells.items()}
    return facts(replace(m, cells=cells))


def same_counts(served: Directory, options: dict[str, Any]) -> Matrix:
    """Counting only gives the full matrix without its ids, on both paths."""
    brief = count(served, ids=False, **options)
    assert facts(brief) == facts(count(list(served.providers), ids=False, **options)), options
    assert facts(brief) == without_ids(count(served, **options)), options
    assert not any(c.local_ids or c.remote_ids for c in brief.cells.values())
    bare = count(served, ids=False, remote_services=False, **options)
    assert facts(bare) == facts(replace(brief, remote_services=())), options
    return brief


def test_the_sample_counts_the_same_without_ids() -> None:
    served = both_paths(SAMPLE)
    for options in OPTIONS:
        m = same_counts(served, options)
        assert m.counted > 0 and any(c.total for c in m.cells.values())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_generated_directory_counts_the_same_without_ids(tmp_path: Path, seed: int) -> None:
    served = both_paths(generated(tmp_path / "dir", seed))
    for options in OPTIONS:
        m = same_counts(served, options)
        if not options.get("area"):  # the remote lines are listed from counts too
            assert m.remote_services and any(c.remote for c in m.cells.values()), options


def test_counting_only_never_reads_the_id_lists(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole point at national scale: the id lists of the index are not read
    when the cells show counts only (nor the remote providers, unless they are
    listed); they are when the ids are asked for."""
    served = both_paths(generated(tmp_path / "dir", 2))
    monkeypatch.setattr(served.index, "recalled", lambda kind, asked: None)  # counted each time
    full = count(served, population="minors")

    def unread(what: str) -> Any:
        def read() -> None:
            raise AssertionError(f"{what} read")

        return read

    monkeypatch.setattr(served.index, "groups", unread("the index's id lists were"))
    assert facts(count(served, population="minors", ids=False)) == without_ids(full)
    with pytest.raises(AssertionError, match="id lists were read"):
        count(served, population="minors")
    monkeypatch.setattr(served.index, "reaching", unread("the remote providers were"))
    bare = count(served, population="minors", ids=False, remote_services=False)
    assert facts(bare) == without_ids(replace(full, remote_services=()))
    with pytest.raises(AssertionError, match="remote providers were read"):
        count(served, population="minors", ids=False)


def test_a_folder_is_counted_from_one_remembered_sum(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of several files, counting only reads one sum of their groups, remembered
    for these very entries: a later coverage reads no file's groups; after one
    file is edited, the sum is made from the one before (its old sizes taken off,
    its new ones added), still reading no other file's groups."""
    location = generated(tmp_path / "dir", 4, files=4)
    served = both_paths(location)
    per_file = list(served.index._summaries("sizes"))
    (summed,) = served.index.sizes()
    assert len(summed) < sum(len(groups) for groups in per_file)  # groups merged
    expected = facts(count(served, ids=False))

    def unread(column: str) -> Any:
        raise AssertionError(f"the files' {column} were read")

    again = directory.load(location)
    monkeypatch.setattr(again.index, "_summaries", unread)
    assert facts(count(again, ids=False)) == expected
    edited = location / "part-1.yaml"
    edited.write_text(edited.read_text("utf-8").replace("Provider 30", "Provider Thirty"), "utf-8")
    after = directory.load(location)
    monkeypatch.setattr(after.index, "_summaries", unread)
    assert facts(count(after, ids=False)) == facts(count(list(after.providers), ids=False))


@pytest.mark.parametrize("seed", [1, 2])
def test_a_sum_made_again_after_edits_equals_a_count_of_every_provider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Edits of every kind (providers added, removed, moved, another eligibility,
    other services), one file at a time: the sum made from the one before counts
    what a walk of every provider counts, for every question."""
    from referral_cli.index import facets

    made_again = []
    summed_again = facets.summed_again
    monkeypatch.setattr(
        facets,
        "summed_again",
        lambda *a: made_again.append(1) or summed_again(*a),  # type: ignore[func-returns-value]
    )
    rng = random.Random(seed)
    location = generated(tmp_path / "dir", seed, files=4, per_file=12)
    served = both_paths(location)
    count(served, ids=False)  # a sum remembered
    n = 1000
    for step in range(6):
        edited = location / f"part-{rng.randrange(4)}.yaml"
        lines = edited.read_text("utf-8").split("\n  - id: ")
        head, providers = lines[0], lines[1:]
        rng.shuffle(providers)
        kept = providers[: rng.randint(0, len(providers))]
        added = [_provider(rng, n + i).removeprefix("  - id: ") for i in range(rng.randint(0, 4))]
        n += 10
        edited.write_text("\n  - id: ".join([head, *kept, *added]), "utf-8")
        after = directory.load(location)
        assert not after.errors, after.errors
        made_again.clear()
        monkeypatch.setattr(after.index, "_summaries", None)  # no file's groups read
        for options in OPTIONS:
            fast = count(after, ids=False, **options)
            assert facts(fast) == facts(count(list(after.providers), ids=False, **options)), (
                step,
                options,
            )
        assert made_again == [1], step


def test_repeated_ids_are_counted_once_without_ids_too(providers: list[Provider]) -> None:
    """A list with a provider twice (a caller's own list, not the index) counts it
    once in the reach of a place and in all: counting only then keeps the ids."""
    twice = [*providers, providers[0]]
    brief, full = count(twice, ids=False), count(twice)
    assert facts(brief) == without_ids(full)
    assert brief.counted == count(providers).counted
    assert brief.reach == count(providers).reach


def test_the_generated_directory_reaches_the_hard_cases(tmp_path: Path) -> None:
    """The equality above means something: remote reach, places told apart by state,
    a population that leaves some places with a gap only for them."""
    providers = both_paths(generated(tmp_path / "dir", 1))
    m = count(providers)
    labels = [pl.label for pl in m.places]
    assert "Orange County, CA" in labels and "Orange County, FL" in labels
    assert any(c.remote for c in m.cells.values())
    assert m.remote_services
    minors = count(providers, population="minors")
    assert any(g.message != (m.gap(g.place) or g).message for g in minors.gaps)


# ------------------------------------------------- providers served otherwise than filed
# A public provider at a confidential one's place is served as confidential, a
# repeated id is served once: the index's summaries describe the providers as
# filed, and counting corrects them for these few.


def _secret_and_neighbours(rng: random.Random, f: int, k: int) -> str:
    """A confidential provider, a public one a few metres from its point, and a
    public one at its street and postal code (placed by that code when filed):
    both public ones are served as confidential."""
    lat, lon = 36.6 + rng.random() * 0.4, -119.9 + rng.random() * 0.4
    zip_code = rng.choice(["93722", "93291", "93706"])
    town = "{street: 12 Quiet Lane, city: Fresno, county: Fresno County, region: CA,"
    town += f' postal_code: "{zip_code}", country: US}}'
    near = rng.choice(TOWNS)
    reach = rng.choice(REACH)
    out = [
        f"  - id: secret-{f}-{k}",
        f"    name: Secret {f} {k}",
        f"    services: [{', '.join(rng.sample(SERVICES, rng.randint(1, 3)))}]",
        '    phone: "+1 559-555-0199"',
        "    last_verified: 2026-10-01",
        "    confidential: true",
        f"    address: {town}",
        f"    location: {{lat: {lat:.6f}, lon: {lon:.6f}}}",
        f"  - id: beside-{f}-{k}",
        f"    name: Beside {f} {k}",
        f"    services: [{', '.join(rng.sample(SERVICES, rng.randint(1, 3)))}]",
        '    phone: "+1 559-555-0198"',
        "    last_verified: 2026-10-01",
        "    address: {" + ", ".join(f"{key}: {v}" for key, v in near.items()) + "}",
        f"    location: {{lat: {lat + 0.00002:.6f}, lon: {lon:.6f}}}",
        f"  - id: sibling-{f}-{k}",
        f"    name: Sibling {f} {k}",
        f"    services: [{', '.join(rng.sample(SERVICES, rng.randint(1, 3)))}]",
        '    phone: "+1 559-555-0197"',
        "    last_verified: 2026-10-01",
        f"    address: {town.replace('12 Quiet Lane', '12 quiet ln.')}",
    ]
    eligibility = rng.choice(ELIGIBILITY)
    if eligibility:
        out.append(f"    eligibility: {eligibility}")
    if reach:
        out.append(f"    service_area: {reach}")
    return "\n".join(out) + "\n"


def served_otherwise(folder: Path, seed: int, per_file: int = 20) -> Path:
    """A directory of three files of random providers (:func:`generated`'s) with
    public providers served as confidential, ids repeated from another file
    (served once: the most recently verified), a provider left out because of an
    error, and a fourth file left out whole."""
    rng = random.Random(seed)
    n = 0
    for f in range(3):
        body = []
        for _ in range(per_file):
            body.append(_provider(rng, n))
            n += 1
        for k in range(rng.randint(1, 3)):
            body.append(_secret_and_neighbours(rng, f, k))
        if f == 2:  # ids of the first file again, other facts, verified earlier or later
            for again in rng.sample(range(per_file), 5):
                when = rng.choice(["2026-09-01", "2026-11-01"])
                body.append(_provider(rng, again).replace("2026-10-01", when))
        body.append(_provider(rng, 900 + f).replace("services: [", "services: [no-such-type, "))
        write(folder / f"part-{f}.yaml", "providers:\n" + "".join(body))
    write(folder / "part-3.yaml", "providers:\n  - id: [unclosed\n")
    return folder


def served_otherwise_paths(location: Path) -> Directory:
    """The directory from the index, with every kind of provider served otherwise."""
    directory.load(location)
    served = directory.load(location)
    codes = {d.code for d in served.errors}
    assert {"confidential-place", "duplicate-id"} <= codes, codes
    assert served.hidden and served.repeats
    assert any(part.whole for part in served.left_out)
    assert any(part.providers for part in served.left_out if part.path.endswith("part-0.yaml"))
    assert served.facets() is not None, "the facet-groups path was not taken"
    return served


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_providers_served_otherwise_count_as_a_walk_of_every_provider_served(
    tmp_path: Path, seed: int
) -> None:
    """The corrected summaries count, with ids and without, what a walk over every
    provider served counts (in every format's facts, for every option)."""
    served = served_otherwise_paths(served_otherwise(tmp_path / "dir", seed))
    providers = list(served.providers)
    for options in OPTIONS:
        fast = count(served, **options)
        assert facts(fast) == facts(count(providers, **options)), options
        brief = count(served, ids=False, **options)
        assert facts(brief) == facts(count(providers, ids=False, **options)), options
        assert facts(brief) == without_ids(fast), options


def test_the_corrections_are_remembered_for_these_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The providers served otherwise are read and served once for these files:
    a later command counts a new question from the corrections remembered,
    with the same answer; a file edited makes them anew."""
    location = served_otherwise(tmp_path / "dir", 3)
    served = served_otherwise_paths(location)
    count(served, ids=False)
    expected = facts(count(list(served.providers), by="city", population="minors"))

    def unread(self: Directory) -> None:
        raise AssertionError("the providers served otherwise were read again")

    again = directory.load(location)
    with monkeypatch.context() as m:
        m.setattr(Directory, "_served_otherwise", unread)
        assert facts(count(again, by="city", population="minors")) == expected
    edited = location / "part-2.yaml"
    edited.write_text(
        edited.read_text("utf-8").replace("Provider 40\n", "Provider Forty\n"), "utf-8"
    )
    after = served_otherwise_paths(location)
    with monkeypatch.context() as m:
        m.setattr(Directory, "_served_otherwise", unread)
        with pytest.raises(AssertionError, match="read again"):
            count(after, by="city", population="minors")
    assert facts(count(after, ids=False)) == facts(count(list(after.providers), ids=False))


def test_a_changed_place_of_those_served_as_confidential_is_counted_where_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where a provider served as confidential counts follows the rule that serves
    it (:func:`referral_cli.directory.served_as_confidential`), whatever that rule
    does to what counting reads: here it also drops the county, so such a provider
    moves to its state's column, in both ways of counting."""
    serve = directory.served_as_confidential

    def without_county(p: Provider) -> Provider:
        out = serve(p)
        if out.address is None:
            return out
        return replace(out, address=replace(out.address, county=None))

    monkeypatch.setattr(directory, "served_as_confidential", without_county)
    for seed in (1, 2):
        served = served_otherwise_paths(served_otherwise(tmp_path / f"dir{seed}", seed))
        providers = list(served.providers)
        assert any(
            p.address and not p.address.county and p.id.startswith("beside") for p in providers
        )
        for options in OPTIONS:
            fast, walked = count(served, **options), count(providers, **options)
            assert facts(fast) == facts(walked), options
            brief = count(served, ids=False, **options)
            assert facts(brief) == facts(count(providers, ids=False, **options)), options


def test_an_id_twice_in_one_file_is_counted_by_a_walk(tmp_path: Path) -> None:
    """A file's summary counts an id it holds twice once: such a directory is
    counted from its providers, not corrected summaries."""
    rng = random.Random(5)
    body = [_provider(rng, 0), _provider(rng, 1), _provider(rng, 0)]
    location = write(tmp_path / "dir" / "one.yaml", "providers:\n" + "".join(body))
    directory.load(location)
    served = directory.load(location)
    assert served.repeats and served.facets() is None
    providers = list(served.providers)
    for options in OPTIONS:
        assert facts(count(served, **options)) == facts(count(providers, **options))


# --------------------------------------------------------------------- exact counts
# On the hand-made directory of coverage_directory.py, every number counted by hand.


@pytest.fixture
def providers(tmp_path: Path) -> list[Provider]:
    return providers_of(write_directory(tmp_path))


def test_freedom_cells_tell_located_from_remote(providers: list[Provider]) -> None:
    m = count(providers)
    assert [p.label for p in m.places] == [FRESNO, TULARE, WASHOE, UNKNOWN]
    assert [r.key for r in m.rows] == [
        "prevention",
        "identification",
        "rescue-exit",
        "restoration",
        "reforms",
    ]
    assert counts(m, FRESNO) == {
        "prevention": "--",
        "identification": "0+1",  # the national hotline
        "rescue-exit": "1+2",  # adult shelter; legal line + hotline
        "restoration": "2+1",  # shelter's counselling, jobs; legal line
        "reforms": "1",
    }
    assert counts(m, TULARE) == {
        "prevention": "1",
        "identification": "0+1",
        "rescue-exit": "1+2",
        "restoration": "0+1",
        "reforms": "--",
    }
    # Nevada: the California legal line does not reach it; the national hotline does.
    assert counts(m, WASHOE) == {
        "prevention": "--",
        "identification": "1+1",
        "rescue-exit": "0+1",
        "restoration": "--",
        "reforms": "--",
    }
    # No county: counted under "(unknown)" in its region, which the CA line reaches.
    assert counts(m, UNKNOWN)["restoration"] == "1+1"
    assert m.places[-1] == Place(UNKNOWN, "county", "US-CA", "US")
    cell = m.cell("rescue-exit", FRESNO)
    assert (cell.local, cell.remote, cell.total) == (1, 2, 3)
    assert cell.local_ids == ("fresno-adult-shelter",)
    assert cell.remote_ids == ("ca-legal-line", "us-hotline")


def test_a_radius_counts_only_in_its_own_place(providers: list[Provider]) -> None:
    m = count(providers)
    assert m.cell("prevention", TULARE).local_ids == ("tulare-awareness",)
    assert m.cell("prevention", FRESNO).total == 0  # 200 km would reach Fresno: not counted


EXPECTED = {
    "sos": {
        FRESNO: {"recognize-resource": "1+1", "reach-rehabilitate": "1+1", "restore-renew": "1"},
        TULARE: {"recognize-resource": "1+1", "reach-rehabilitate": "1+1", "restore-renew": "--"},
        WASHOE: {"recognize-resource": "1+1", "reach-rehabilitate": "--", "restore-renew": "--"},
    },
    "prr": {
        FRESNO: {"prevention": "1", "rescue": "1+1", "recovery": "2+1"},
        TULARE: {"prevention": "1", "rescue": "1+1", "recovery": "0+1"},
        WASHOE: {"prevention": "--", "rescue": "1+1", "recovery": "--"},
    },
    "5p": {
        FRESNO: {
            "prevention": "--",
            "protection": "2+2",
            "prosecution": "0+1",
            "partnership": "1",
            "policy": "--",
        },
        TULARE: {
            "prevention": "1",
            "protection": "1+2",
            "prosecution": "0+1",
            "partnership": "--",
            "policy": "--",
        },
        WASHOE: {
            "prevention": "--",
            "protection": "1+1",
            "prosecution": "--",
            "partnership": "1",
            "policy": "--",
        },
    },
}


@pytest.mark.parametrize("framework", ["sos", "prr", "5p"])
def test_exact_cells_in_the_other_frameworks(providers: list[Provider], framework: str) -> None:
    m = count(providers, framework=framework)
    assert [r.key for r in m.rows] == [a.key for a in load_taxonomy().frameworks[framework].areas]
    for place, expected in EXPECTED[framework].items():
        assert counts(m, place) == expected, (framework, place)


def test_every_framework_counts_the_same_providers_per_place(providers: list[Provider]) -> None:
    seen = {}
    for framework in ("freedom", "sos", "prr", "5p"):
        m = count(providers, framework=framework)
        per_place = {}
        for p in m.places:
            local = {i for r in m.rows for i in m.cell(r.key, p.label).local_ids}
            remote = {i for r in m.rows for i in m.cell(r.key, p.label).remote_ids}
            per_place[p.label] = (len(local), len(remote))
        assert per_place == m.reach
        seen[framework] = per_place
    assert seen["freedom"] == {FRESNO: (3, 2), TULARE: (2, 2), WASHOE: (1, 1), UNKNOWN: (1, 2)}
    assert seen["sos"] == seen["prr"] == seen["5p"] == seen["freedom"]


def test_for_minors_drops_adult_only_providers(providers: list[Provider]) -> None:
    m = count(providers, population="minors")
    assert m.cell("rescue-exit", FRESNO).text == "0+2"  # the adults' shelter is not counted
    assert m.cell("rescue-exit", TULARE).local_ids == ("tulare-girls-shelter",)
    assert m.cell("prevention", TULARE).text == "--"  # parents' workshop is for adults
    assert [p.label for p in m.places] == [FRESNO, TULARE, WASHOE, UNKNOWN]  # places stay


def test_population_synonyms_and_gender(providers: list[Provider]) -> None:
    assert count(providers, population="kids").population.key == "minors"  # type: ignore[union-attr]
    boys = count(providers, population="boys", detail="services")
    assert boys.cell("rescue-exit/temporary-shelter", TULARE).total == 0  # girls only
    girls = count(providers, population="girls", detail="services")
    assert girls.cell("rescue-exit/temporary-shelter", TULARE).local == 1
    women = count(providers, population="women", detail="services")
    assert women.cell("rescue-exit/temporary-shelter", TULARE).total == 0  # ages 12-17
    assert women.cell("rescue-exit/temporary-shelter", FRESNO).local == 1
    lgbtq = count(providers, population="lgbtq")
    assert lgbtq.cells == count(providers).cells  # group populations exclude nobody


def test_admits_overlapping_ages_only() -> None:
    from referral_cli.records.model import Eligibility

    minors = load_taxonomy().populations["minors"]
    assert not admits(Eligibility(min_age=18), minors)
    assert admits(Eligibility(min_age=12, max_age=17), minors)
    assert admits(Eligibility(max_age=21), minors)
    assert admits(Eligibility(), minors)
    women = load_taxonomy().populations["women"]
    assert not admits(Eligibility(genders=("male",)), women)
    assert admits(Eligibility(genders=("female", "nonbinary")), women)


def test_gaps_in_plain_words(providers: list[Provider]) -> None:
    m = count(providers)
    gaps = {g.place: g for g in m.gaps}
    assert gaps[FRESNO].message == (
        "Fresno County, CA: nothing in Prevention; no medical care; only remote in Identification"
    )
    assert gaps[TULARE].message == (
        f"Tulare County, CA: nothing in Reforms; no {label('counseling')} or medical care;"
        " only remote in Identification and Restoration"
    )
    assert gaps[WASHOE].message == (
        "Washoe County, NV: nothing in Prevention, Restoration or Reforms; no temporary shelter, "
        f"{label('counseling')}, legal aid or medical care; only remote in Rescue / Exit"
    )
    assert gaps[TULARE].remote_only_areas == ("identification", "restoration")
    assert gaps[WASHOE].missing_areas == ("prevention", "restoration", "reforms")
    assert gaps[WASHOE].missing_services == (
        "temporary-shelter",
        "counseling",
        "legal-aid",
        "medical",
    )
    # located areas + areas reached only remotely / all areas: remote-only is never complete
    assert {k: c.text for k, c in m.completeness.items()} == {
        FRESNO: "3+1/5",
        TULARE: "2+2/5",
        WASHOE: "1+1/5",
        UNKNOWN: "2+1/5",
    }
    assert not any(c.complete for c in m.completeness.values())
    assert m.completeness[TULARE].covered == 4


def test_gaps_for_a_population_say_for_whom(providers: list[Provider]) -> None:
    m = count(providers, population="minors")
    gaps = {g.place: g.message for g in m.gaps}
    # Nothing in Prevention for anyone in Fresno; only the adults' shelter there.
    assert gaps[FRESNO] == (
        f"Fresno County, CA: nothing in Prevention; no temporary shelter, {label('counseling')}"
        " or medical care for minors; only remote in Identification and Rescue / Exit"
    )
    # Tulare has prevention work, but only for adults.
    assert gaps[TULARE] == (
        "Tulare County, CA: nothing in Reforms; nothing in Prevention for minors;"
        f" no {label('counseling')} or medical care for minors;"
        " only remote in Identification and Restoration"
    )
    assert m.completeness[TULARE].text == "1+2/5"


def test_completeness_counts_the_frameworks_areas(providers: list[Provider]) -> None:
    assert count(providers, framework="sos").completeness[WASHOE].text == "1/3"
    assert count(providers, framework="5p").completeness[FRESNO].text == "2+1/5"


def test_area_filter_and_service_detail(providers: list[Provider]) -> None:
    m = count(providers, area="Restoration", detail="services")
    assert m.rows[0].key == "restoration" and all(r.area == "restoration" for r in m.rows)
    assert "restoration/job-placement" in [r.key for r in m.rows]
    assert m.cell("restoration/job-placement", FRESNO).text == "1"
    restoration = m.completeness[TULARE]  # only the statewide legal line
    assert (restoration.text, restoration.covered, restoration.complete) == ("0+1/1", 1, False)
    # Shelter is not a Restoration service: not reported when only Restoration is shown.
    assert all("temporary-shelter" not in g.missing_services for g in m.gaps)


def test_a_counted_matrix_is_remembered_for_these_files_and_this_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting only, a matrix counted once is read back for the same files, the
    same question and the same code: equal in everything it shows; any other
    question, an edited file, other code or a damaged memory counts again."""
    from referral_cli.coverage import count as counting

    location = generated(tmp_path / "dir", 5)
    served = both_paths(location)
    first = {i: facts(count(served, ids=False, **o)) for i, o in enumerate(OPTIONS)}
    group = counting._group_facets

    def never(*args: Any) -> Any:
        raise AssertionError("counted again")

    monkeypatch.setattr(counting, "_group_facets", never)
    again = directory.load(location)
    for i, options in enumerate(OPTIONS):
        assert facts(count(again, ids=False, **options)) == first[i], options
    with pytest.raises(AssertionError, match="counted again"):
        count(again, ids=False, by="city", population="minors", framework="sos")
    with pytest.raises(AssertionError, match="counted again"):  # ids are never remembered
        count(again)
    monkeypatch.setattr(counting, "code_digest", lambda subpackage: b"other code")
    with pytest.raises(AssertionError, match="counted again"):
        count(again, ids=False)
    monkeypatch.setattr(counting, "code_digest", code_digest_of_coverage())
    monkeypatch.setattr(counting, "_group_facets", group)

    with (location / "part-0.yaml").open("a", encoding="utf-8") as edited:
        edited.write(
            "  - id: p-new\n    name: New shelter\n    services: [temporary-shelter]\n"
            "    address: {city: Hanford, county: Kings County, region: CA, country: US}\n"
        )
    after = directory.load(location)
    assert not after.errors
    assert facts(count(after, ids=False)) == facts(count(list(after.providers), ids=False))
    assert facts(count(after, ids=False)) != first[0]

    kept = after.index.recalled("matrix", next(iter(asked_of(after))))
    assert kept is not None
    after.index.keep("matrix", next(iter(asked_of(after))), ("not", "a", "matrix"))
    assert facts(count(after, ids=False)) == facts(count(list(after.providers), ids=False))


def test_a_remembered_question_is_kept_as_keys_not_as_typed(tmp_path: Path) -> None:
    """What the index keeps of a coverage question is the taxonomy's keys: the
    words a coordinator typed ("kids", "Rescue") are never written to disk."""
    served = both_paths(generated(tmp_path / "dir", 6))
    count(served, ids=False, population="kids", area="Rescue / Exit", framework="Freedom Strategy")
    (asked,) = asked_of(served)
    assert "kids" not in asked and "Rescue" not in asked and "Freedom Strategy" not in asked
    assert "'freedom'" in asked and "'rescue-exit'" in asked


def code_digest_of_coverage() -> Any:
    from referral_cli.cachefile import code_digest

    return code_digest


def asked_of(served: Directory) -> list[str]:
    """The questions remembered for these files' entries, newest first."""
    key = served.index._files_key()
    rows = served.index._db.execute(
        "SELECT files FROM remembered WHERE kind = 'matrix' ORDER BY rowid DESC"
    ).fetchall()
    return [files.split("|", 1)[1] for (files,) in rows if files.startswith(key + "|")]


@pytest.mark.parametrize("files", [1, 3])
@pytest.mark.parametrize("ids", [True, False])
def test_a_count_after_another_command_filed_the_files_again_is_whole(
    tmp_path: Path, files: int, ids: bool
) -> None:
    """Two commands run at once on a cold index both file the directory: the entry
    the first one read is replaced by the second's, its rows read by file id gone.
    The first one's count takes up the new entries (before, its coverage came out
    empty, its CSV a header alone, with no word of it)."""
    import os

    location = generated(tmp_path / "dir", 4, files=files)
    first = directory.load(location)
    expected = facts(count(list(first.providers), ids=ids))
    for path in sorted(location.rglob("*.yaml")) if location.is_dir() else [location]:
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # the next command files it
    directory.load(location)  # the other command
    got = count(first, ids=ids)
    assert got.counted > 0 and facts(got) == expected
