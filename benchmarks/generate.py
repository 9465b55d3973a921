"""Generate a synthetic, valid directory of N providers (seeded, reproducible).

    python benchmarks/generate.py 10000 /tmp/dir10k.yaml          # one file
    python benchmarks/generate.py 100000 /tmp/dir100k --files 200  # a folder of files
    python benchmarks/generate.py 1000000 /tmp/dir1M --files 10 --spread national

The field mix follows the sample directory: most providers have 1-4 services,
a third have eligibility rules, a tenth are confidential, some are statewide
or national, hours are either "24/7" or a weekly mapping.

Where they are (``--spread``): ``towns`` puts them around eleven towns, most in
California's Central Valley (a regional network: a tenth of every size lies
within 35 km of Fresno); ``national`` spreads them over the 3,400 US towns of
15,000 people or more, in proportion to their population (a national
directory: a quarter of one percent lies in Fresno); ``metro`` concentrates
them around a dozen towns, as real networks gather in cities: a twelfth of
every size around each town, falling off from its centre (a normal spread of
0.08 degrees, about 9 km north to south): the dense case, where many providers
share the box around a place.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

TOWNS = [
    # name, county, region, country, lat, lon, timezone
    ("Fresno", "Fresno County", "CA", "US", 36.7378, -119.7871, "America/Los_Angeles"),
    ("Visalia", "Tulare County", "CA", "US", 36.3302, -119.2921, "America/Los_Angeles"),
    ("Bakersfield", "Kern County", "CA", "US", 35.3733, -119.0187, "America/Los_Angeles"),
    ("Sacramento", "Sacramento County", "CA", "US", 38.5816, -121.4944, "America/Los_Angeles"),
    ("Los Angeles", "Los Angeles County", "CA", "US", 34.0522, -118.2437, "America/Los_Angeles"),
    ("Houston", "Harris County", "TX", "US", 29.7604, -95.3698, "America/Chicago"),
    ("El Paso", "El Paso County", "TX", "US", 31.7619, -106.4850, "America/Denver"),
    ("Miami", "Miami-Dade County", "FL", "US", 25.7617, -80.1918, "America/New_York"),
    ("Orlando", "Orange County", "FL", "US", 28.5383, -81.3792, "America/New_York"),
    ("Toledo", "Lucas County", "OH", "US", 41.6528, -83.5379, "America/New_York"),
    ("Tijuana", None, "BCN", "MX", 32.5149, -117.0382, "America/Tijuana"),
]
SERVICES = [
    "awareness-education", "vulnerability-support", "demand-reduction", "identification-training",
    "outreach", "hotline", "law-enforcement", "temporary-shelter", "medical", "dental", "legal-aid",
    "counseling", "victim-advocacy", "relocation", "long-term-housing", "education",
    "vocational-training", "job-placement", "life-skills", "family-support", "spiritual-care",
    "mentoring", "childcare", "policy-advocacy", "research-monitoring", "coalition",
]  # fmt: skip
WORDS = [
    "hope",
    "harbor",
    "bridge",
    "light",
    "path",
    "haven",
    "new",
    "dawn",
    "safe",
    "step",
    "rise",
    "circle",
    "open",
    "door",
    "way",
]
# The dozen towns of --spread metro: those above and San Diego.
METROS = [
    *TOWNS,
    ("San Diego", "San Diego County", "CA", "US", 32.7157, -117.1611, "America/Los_Angeles"),
]
METRO_SPREAD_DEGREES = 0.08
HEADER = "# Synthetic benchmark directory (generated; not real providers)\nproviders:\n"
LANGS = ["en", "es", "vi", "pa", "zh", "ko", "ht", "tl", "ar", "ru"]


Town = tuple[str, str | None, str, str, float, float, str]


def national_towns() -> tuple[list[Town], list[float]]:
    """US towns of 15,000 people or more, and their cumulative populations."""
    from referral_cli.geo.gazetteer import towns

    found: list[Town] = []
    cumulative: list[float] = []
    total = 0.0
    for t in towns("US", 15_000):
        assert t.city and t.region and t.population
        found.append((t.city, t.county, t.region[3:], "US", t.lat, t.lon, _zone(t.lat, t.lon)))
        total += t.population
        cumulative.append(total)
    return found, cumulative


def _zone(lat: float, lon: float) -> str:
    """A time zone for a US point, by longitude (close enough for synthetic hours)."""
    if lon < -140:
        return "Pacific/Honolulu" if lat < 30 else "America/Anchorage"
    for east_of, zone in ((-87.5, "America/New_York"), (-101.0, "America/Chicago"),
                          (-115.0, "America/Denver")):  # fmt: skip
        if lon > east_of:
            return zone
    return "America/Los_Angeles"


def provider(
    i: int, rng: random.Random, spread: tuple[list[Town], list[float]] | str | None
) -> str:
    if spread is None:
        town, county, region, country, lat, lon, tz = rng.choice(TOWNS)
        lat += rng.uniform(-0.3, 0.3)
        lon += rng.uniform(-0.3, 0.3)
    elif spread == "metro":
        town, county, region, country, lat, lon, tz = METROS[i % len(METROS)]
        lat += rng.gauss(0.0, METRO_SPREAD_DEGREES)
        lon += rng.gauss(0.0, METRO_SPREAD_DEGREES)
    else:
        assert not isinstance(spread, str)
        places, cumulative = spread
        (town, county, region, country, lat, lon, tz) = rng.choices(places, cum_weights=cumulative)[
            0
        ]
        lat += rng.uniform(-0.05, 0.05)
        lon += rng.uniform(-0.05, 0.05)
    name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} Center {i}"
    services = rng.sample(SERVICES, rng.randint(1, 4))
    lines = [
        f"  - id: provider-{i}",
        f"    name: {name}",
        f"    organization: {rng.choice(WORDS).title()} Network",
        f"    description: Synthetic provider number {i} offering {', '.join(services)}.",
        f"    services: [{', '.join(services)}]",
    ]
    roll = rng.random()
    if roll < 0.1:
        lines.append("    eligibility: {ages: [null, 17]}")
    elif roll < 0.2:
        lines.append("    eligibility: {ages: [18, null], genders: [female]}")
    elif roll < 0.25:
        lines.append("    eligibility: {trafficking: [labor]}")
    elif roll < 0.3:
        lines.append("    eligibility: {ages: [13, 24], populations: [lgbtq]}")
    langs = ["en"] + rng.sample(LANGS[1:], rng.randint(0, 2))
    lines.append(f"    languages: [{', '.join(langs)}]")
    lines.append(f'    phone: "+1 559-555-{i % 10000:04d}"')
    if rng.random() < 0.3:
        lines.append(f'    hotline: "+1 800-555-{(i * 7) % 10000:04d}"')
    lines.append(f"    email: intake@p{i}.example.org")
    lines.append(f"    website: https://p{i}.example.org")
    if rng.random() < 0.4:
        lines.append('    hours: "24/7"')
    else:
        lines.append('    hours: {mon-fri: "09:00-17:00", sat: "10:00-14:00"}')
    lines.append(f"    timezone: {tz}")
    county_part = f", county: {county}" if county else ""
    lines.append(
        f"    address: {{street: {rng.randint(1, 9999)} Main St, city: {town}{county_part},"
        f' region: {region}, postal_code: "{rng.randint(10000, 99999)}", country: {country}}}'
    )
    lines.append(f"    location: {{lat: {lat:.4f}, lon: {lon:.4f}}}")
    if rng.random() < 0.1:
        lines.append("    confidential: true")
    roll = rng.random()
    if roll < 0.03:
        lines.append(f"    service_area: {{regions: [{country}-{region}], remote: true}}")
    elif roll < 0.04:
        lines.append(f"    service_area: {{countries: [{country}], remote: true}}")
    elif roll < 0.5:
        lines.append(f"    service_area: {{radius_km: {rng.choice([25, 50, 100])}}}")
    lines.append("    cost: free")
    lines.append(f"    last_verified: 2026-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}")
    return "\n".join(lines) + "\n"


SPREADS = ("towns", "national", "metro")


def generate(n: int, out: Path, files: int = 1, seed: int = 7, spread: str = "towns") -> list[Path]:
    """Write N providers into ``out`` (a file, or a folder of ``files`` files),
    a provider at a time, so that a million take little memory."""
    rng = random.Random(seed)
    where = national_towns() if spread == "national" else "metro" if spread == "metro" else None
    if files <= 1:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write(out, range(n), rng, where)
        return [out]
    out.mkdir(parents=True, exist_ok=True)
    per_file = -(-n // files)
    written = []
    for f in range(files):
        path = out / f"part-{f:04d}.yaml"
        _write(path, range(f * per_file, min(n, (f + 1) * per_file)), rng, where)
        written.append(path)
    return written


def _write(
    path: Path,
    numbers: range,
    rng: random.Random,
    spread: tuple[list[Town], list[float]] | str | None,
) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.writelines(provider(i, rng, spread) for i in numbers)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("n", type=int, help="number of providers")
    parser.add_argument("out", type=Path, help="output file (or folder with --files)")
    parser.add_argument("--files", type=int, default=1, help="split into this many files")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--spread", choices=SPREADS, default="towns", help="where they are")
    args = parser.parse_args()
    paths = generate(args.n, args.out, args.files, args.seed, args.spread)
    print(f"wrote {args.n} providers in {len(paths)} file(s) to {args.out}")


if __name__ == "__main__":
    main()
