"""The tables of a source linked by their ids: what each service's locations,
addresses, phones, schedules, languages, terms, eligibility and areas are."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections import Counter, defaultdict
from typing import Any

from referral_cli.geo.distance import distance_km
from referral_cli.hsds.fields import to_date, to_float, valid_coords
from referral_cli.hsds.read import Row, Tables, cell
from referral_cli.hsds.report import ImportReport
from referral_cli.hsds.terms import TAXONOMY_FIELDS, Term


class Links:
    """Rows of every table by the ids that link them, read once per import."""

    def __init__(self, tables: Tables, report: ImportReport) -> None:
        self.report = report
        self.orgs = {r.get("id", ""): r for r in tables.get("organization")}
        self.locations = {r.get("id", ""): r for r in tables.get("location")}
        self.addresses: dict[str, list[Row]] = defaultdict(list)
        for r in tables.get("address") + tables.get("postal_address"):
            self.addresses[r.get("location_id", "")].append(r)
        self.sal_by_service: dict[str, list[Row]] = defaultdict(list)
        for r in tables.get("service_at_location"):
            self.sal_by_service[r.get("service_id", "")].append(r)
        self.phones: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for r in tables.get("phone"):
            for key in ("service_at_location_id", "service_id", "location_id", "organization_id"):
                if r.get(key):
                    self.phones[(key, r[key])].append(r)
        self.schedules: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for r in tables.get("schedule"):
            for key in ("service_at_location_id", "service_id", "location_id"):
                if r.get(key):
                    self.schedules[(key, r[key])].append(r)
                    break
        self.languages: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for r in tables.get("language"):
            for key in ("service_id", "location_id"):
                if r.get(key):
                    self.languages[(key, r[key])].append(r)
                    break
        vocabularies = {r.get("id", ""): cell(r, "name", "uri") for r in tables.get("taxonomy")}
        self.terms: dict[str, Term] = {}
        for r in tables.get("taxonomy_term"):
            tid = cell(r, "id", "taxonomy_id")
            name = cell(r, "name", "term")
            code = cell(r, "code") or tid
            vocab = cell(r, "taxonomy", "vocabulary") or vocabularies.get(
                r.get("taxonomy_id", ""), ""
            )
            if tid:
                self.terms[tid] = Term(code.strip(), name, vocab)
        self.service_terms: dict[str, list[str]] = defaultdict(list)
        self.own_fields: dict[str, dict[str, Any]] = defaultdict(dict)
        sal_service = {
            r.get("id", ""): r.get("service_id", "") for r in tables.get("service_at_location")
        }
        for r in tables.get("attribute"):
            entity = (r.get("link_entity") or r.get("link_type", "")).lower()  # 3.0, 2.0
            sid = r.get("service_id") or (r.get("link_id") if entity in ("", "service") else "")
            if entity == "service_at_location":
                sid = sal_service.get(r.get("link_id", ""), "")
            tid = cell(r, "taxonomy_term_id", "taxonomy_id")
            term = self.terms.get(tid)
            if sid and term is not None and term.vocabulary == TAXONOMY_FIELDS:
                self._own_field(sid, term.code.removeprefix("field:"), r.get("value", ""))
            elif sid and tid and tid not in self.service_terms[sid]:
                self.service_terms[sid].append(tid)
        self.eligibility: dict[str, list[Row]] = defaultdict(list)
        unlinked = 0
        for r in tables.get("eligibility"):
            if r.get("service_id"):
                self.eligibility[r["service_id"]].append(r)
            else:
                unlinked += 1
        if unlinked:
            self.report.notes.append(
                f"{unlinked} eligibility rows have no service_id and cannot be linked; their"
                " ages and notes are not imported"
            )
            self.report.dangling["eligibility.service_id (empty)"] += unlinked
        self.service_areas: dict[str, list[Row]] = defaultdict(list)
        for r in tables.get("service_area"):
            if r.get("service_id"):
                self.service_areas[r["service_id"]].append(r)
        self.modified: dict[str, dt.date] = {}
        for r in tables.get("metadata"):
            d = to_date(cell(r, "last_action_date", "updated_at"))
            rid = r.get("resource_id", "")
            if d and rid and (rid not in self.modified or d > self.modified[rid]):
                self.modified[rid] = d
        self.org_locations: dict[str, list[str]] = defaultdict(list)
        for lid, r in self.locations.items():
            if r.get("organization_id"):
                self.org_locations[r["organization_id"]].append(lid)
        self._coordinate_lookups()
        states = Counter(
            a.get("state_province", "").strip().upper()
            for rows in self.addresses.values()
            for a in rows
        )
        states.pop("", None)
        self.home_region = states.most_common(1)[0][0] if states else None

    def _own_field(self, sid: str, name: str, value: str) -> None:
        """A field our own export carried as JSON (see referral_cli.hsds.export)."""
        try:
            self.own_fields[sid][name] = json.loads(value)
        except ValueError:
            self.report.notes.append(f"service {sid}: field {name!r} is not JSON; ignored")

    def _coordinate_lookups(self) -> None:
        """Coordinates of geocoded locations by street address and by postal code,
        to place the locations of the same export that lack them."""
        self.by_street: dict[tuple[str, str], tuple[float, float]] = {}
        by_zip: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for lid, r in self.locations.items():
            lat, lon = to_float(r.get("latitude", "")), to_float(r.get("longitude", ""))
            if not valid_coords(lat, lon):
                continue
            assert lat is not None and lon is not None
            for a in self.addresses.get(lid, []):
                if a.get("address_type", "physical") not in ("", "physical"):
                    continue
                key = street_key(a)
                if key:
                    self.by_street.setdefault(key, (lat, lon))
                z = a.get("postal_code", "").strip()[:5]
                if z:
                    by_zip[z].append((lat, lon))
        self.by_zip: dict[str, tuple[float, float]] = {}
        for z, points in by_zip.items():
            if len(points) < 3:
                continue
            lat = statistics.median(p[0] for p in points)
            lon = statistics.median(p[1] for p in points)
            spread = statistics.median(distance_km(lat, lon, p[0], p[1]) for p in points)
            if spread <= 10:
                self.by_zip[z] = (round(lat, 3), round(lon, 3))


def street_key(a: Row) -> tuple[str, str] | None:
    """An address compared without case, dots or extra spaces: (street, city)."""
    street = " ".join(a.get("address_1", "").lower().replace(".", "").split())
    city = " ".join(a.get("city", "").lower().split())
    return (street, city) if street and city else None
