"""coverage.count: the facet-groups path (the index's groups of each file) and the
plain-list path (a walk over the providers) give the same matrix, on the sample
and on generated directories."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from conftest import write

from referral_cli import directory
from referral_cli.coverage.count import count
from referral_cli.coverage.model import Matrix
from referral_cli.facets import facets_of

SAMPLE = Path(__file__).resolve().parents[2] / "referral_cli" / "data" / "resources.yaml"

# Every option the matrix has, alone and together.
OPTIONS: list[dict[str, str]] = [
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


def both_paths(location: Path) -> list[Any]:
    """The providers as the index serves them (with their facet groups)."""
    directory.load(location)  # written to the index
    served = directory.load(location)  # read back, with the groups of each file
    assert not served.errors, served.errors
    providers = served.providers
    assert facets_of(providers) is not None, "the facet-groups path was not taken"
    assert facets_of(list(providers)) is None  # a plain list: the walk
    return providers  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items())
)
def test_the_sample_counts_the_same_either_way(options: dict[str, str]) -> None:
    providers = both_paths(SAMPLE)
    fast, walked = count(providers, **options), count(list(providers), **options)
    assert facts(fast) == facts(walked)
    assert fast.counted > 0 and fast.places


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_generated_directory_counts_the_same_either_way(tmp_path: Path, seed: int) -> None:
    providers = both_paths(generated(tmp_path / "dir", seed))
    for options in OPTIONS:
        fast, walked = count(providers, **options), count(list(providers), **options)
        assert facts(fast) == facts(walked), options


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
