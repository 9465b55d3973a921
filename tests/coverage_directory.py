"""The small hand-made directory the coverage tests count by hand: two California
counties, one Nevada county, a place without a county, a statewide legal line and
a national hotline (both without an address)."""

from __future__ import annotations

from pathlib import Path

from conftest import write

from referral_cli.coverage.model import Matrix
from referral_cli.directory import load
from referral_cli.records.model import Provider
from referral_cli.taxonomy import load as load_taxonomy

# Two California counties, one Nevada county, a place without a county, a statewide
# legal line and a national hotline (both without an address).
DIRECTORY = """\
providers:
  - id: fresno-adult-shelter
    name: Fresno Adult Shelter
    services: [temporary-shelter, counseling]
    eligibility: {ages: [18, null]}
    phone: "+1 559-555-0100"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
  - id: fresno-jobs
    name: Fresno Jobs
    services: [job-placement]
    phone: "+1 559-555-0101"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
  - id: fresno-coalition
    name: Fresno Coalition
    services: [coalition]
    phone: "+1 559-555-0102"
    last_verified: 2026-10-01
    address: {city: Fresno, county: Fresno County, region: CA, country: US}
  - id: fresno-dental
    name: Fresno Dental
    services: [dental]
    phone: "+1 559-555-0103"
    last_verified: 2026-10-01
    address: {city: Fresno, region: CA, country: US}
  - id: tulare-girls-shelter
    name: Tulare Girls Shelter
    services: [temporary-shelter]
    eligibility: {ages: [12, 17], genders: [female]}
    phone: "+1 559-555-0104"
    last_verified: 2026-10-01
    confidential: true
    address: {street: 1 Hidden Way, city: Visalia, county: Tulare County, region: CA, postal_code: "93291", country: US}
    location: {lat: 36.3302, lon: -119.2921}
  - id: tulare-awareness
    name: Tulare Parent Awareness
    services: [awareness-education]
    eligibility: {ages: [18, null]}
    phone: "+1 559-555-0105"
    last_verified: 2026-10-01
    address: {city: Visalia, county: Tulare County, region: CA, country: US}
    service_area: {radius_km: 200}
  - id: reno-outreach
    name: Reno Outreach
    services: [outreach]
    phone: "+1 775-555-0106"
    last_verified: 2026-10-01
    address: {city: Reno, county: Washoe County, region: NV, country: US}
  - id: ca-legal-line
    name: California Legal Line
    services: [legal-aid]
    phone: "+1 800-555-0107"
    last_verified: 2026-10-01
    service_area: {regions: [US-CA], remote: true}
  - id: us-hotline
    name: National Hotline
    services: [hotline]
    phone: "+1 888-555-0108"
    last_verified: 2026-10-01
    service_area: {countries: [US], remote: true}
"""
# The directory spans two states: every county is named with its state.
FRESNO, TULARE, WASHOE = "Fresno County, CA", "Tulare County, CA", "Washoe County, NV"


UNKNOWN = "California, US"  # Fresno Dental's address has no county: counted in its state


def write_directory(folder: Path) -> Path:
    return write(folder / "dir.yaml", DIRECTORY)


def providers_of(path: Path) -> list[Provider]:
    directory = load(path, use_cache=False)
    assert not directory.errors, directory.errors
    return directory.providers


def counts(m: Matrix, place: str) -> dict[str, str]:
    return {r.key: m.cell(r.key, place).text for r in m.rows}


def label(service: str) -> str:
    text = load_taxonomy().service_types[service].label
    return text[0].lower() + text[1:]
