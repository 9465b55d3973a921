"""The import: one provider per service (per service and location when a service has
several), with readable unique ids, each field read by its own module, survivor
shelters kept private, and every provider checked by the validator before it is
written (one that would not validate is left out and reported)."""

from __future__ import annotations

import bisect
import re
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from referral_cli import taxonomy
from referral_cli.format.definition import APPROXIMATE_LOCATION_KEY, ID_RE
from referral_cli.geo.addresses import street_key
from referral_cli.geo.distance import PointGrid
from referral_cli.hsds import placing
from referral_cli.hsds.clean import Cleaner, placeholder_reason, slug
from referral_cli.hsds.details import Details
from referral_cli.hsds.emit import dump_yaml
from referral_cli.hsds.fields import dedupe, split_list
from referral_cli.hsds.links import Links
from referral_cli.hsds.mapping import HsdsMap, load_map
from referral_cli.hsds.places import Place, Places, guess_reach
from referral_cli.hsds.read import Progress, Row, Tables, cell, read_source
from referral_cli.hsds.report import ImportReport, ProviderReport
from referral_cli.hsds.terms import (
    AIRS_CODE,
    OE_CODE,
    TAXONOMY_FIELDS,
    Term,
    TermMapper,
    survivor_shelter,
)
from referral_cli.hsds.tonight import (
    INACTIVE_STATUSES,
    alert_status,
    availability_of,
    status_of,
)
from referral_cli.index.parsing import parse_bytes
from referral_cli.taxonomy import Taxonomy

HSDS_ID_KEY = "x-hsds-id"


class _Importer:
    """Services of canonical tables -> provider dicts, reporting what it did."""

    def __init__(
        self,
        tables: Tables,
        tax: Taxonomy,
        m: HsdsMap,
        report: ImportReport,
        include_inactive: bool,
        include_placeholders: bool = False,
    ):
        self.t = tables
        self.m = m
        self.report = report
        self.include_inactive = include_inactive
        self.include_placeholders = include_placeholders
        # our own export: its text needs no repairs and nothing is guessed
        self.ours = any(cell(r, "name") == TAXONOMY_FIELDS for r in tables.get("taxonomy"))
        self.clean = Cleaner(m, repairs=not self.ours)
        self.links = Links(tables, report)
        self.mapper = TermMapper(tax, m, self.clean, report)
        self.places = Places(self.links, self.clean, m, self.ours)
        self.survivor_shelters: set[str] = set()  # ids, made private once all are read
        # services placed at their organisation's only location, having none of their own
        self.borrowed_places: set[str] = set()
        self.placed_how: dict[str, str] = {}  # provider id -> how a place was found for it
        self.details = Details(self.links, self.clean, m, tax)
        self.capacity: dict[str, list[Row]] = {}
        for r in tables.get("service_capacity"):
            self.capacity.setdefault(r.get("service_id", ""), []).append(r)
        self.units = {r.get("id", ""): r for r in tables.get("unit")}

    def run(self, progress: Progress | None) -> list[dict[str, Any]]:
        """Every service that is active, named and not a placeholder, as providers."""
        services = self.t.get("service")
        self.report.services = len(services)
        plans: list[tuple[Row, list[str | None]]] = []
        for s in services:
            status = " ".join(s.get("status", "").lower().split())
            carried = "status" in self.links.own_fields.get(s.get("id", ""), {})
            if status in INACTIVE_STATUSES and not (self.include_inactive or carried):
                self.report.skipped.append(
                    {
                        "service": s.get("id", ""),
                        "name": s.get("name", ""),
                        "reason": f"status {status}",
                    }
                )
                continue
            if not cell(s, "name"):
                self.report.skipped.append(
                    {"service": s.get("id", ""), "name": "", "reason": "no name"}
                )
                continue
            marker = self._placeholder(s)
            if marker:
                found = {
                    "service": s.get("id", ""),
                    "name": self.clean.text(s.get("name")) or "",
                    "reason": f"a test or placeholder record ({marker!r})",
                }
                self.report.placeholders.append(found)
                if not self.include_placeholders:
                    self.report.skipped.append(found)
                    continue
            plans.append((s, self._location_ids(s)))
        ids = self._ids(plans)
        made: list[tuple[dict[str, Any], str | None, ProviderReport]] = []
        total = sum(len(locs) for _, locs in plans)
        done = 0
        for s, locs in plans:
            shared = self._shared(s)
            for lid in locs:
                pid = ids[(s.get("id", ""), lid)]
                p = self._provider(pid, s, lid, len(locs) > 1, shared)
                made.append((p, lid, self.report.providers[-1]))
                done += 1
                if progress and (done % 250 == 0 or done == total):
                    progress("mapping services", done, total)
        self._private_places(made)  # every service's place counts, typed or not
        out = self._typed([p for p, _, _ in made])
        served = {p["id"] for p in out}  # a review only of what was imported
        self.report.review = [r for r in self.report.review if r["id"] in served]
        self.report.cleaned.update(self.clean.counts)
        self.report.eligibility_not_stated = sum(
            p.get("eligibility", {}).get("stated") is False for p in out
        )
        self.report.placed.update(h for h in map(self.placed_how.get, (p["id"] for p in out)) if h)
        self.report.not_referred = [
            {"id": p["id"], "state": p["status"]["state"], "reason": p["status"].get("reason", "")}
            for p in out
            if p.get("status", {}).get("state", "active") != "active"
        ]
        return out

    def _typed(self, providers: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Providers with a service type; one whose terms name none of the taxonomy
        (a park, a museum, a consulate, a fire station) is left out and reported."""
        kept: list[dict[str, Any]] = []
        reports = self.report.providers[len(self.report.providers) - len(providers) :]
        for p, rep in zip(providers, reports, strict=True):
            if p["services"]:
                kept.append(p)
                continue
            self.report.providers.remove(rep)
            self.report.skipped.append(
                {
                    "service": rep.hsds_service_id,
                    "name": p["name"],
                    "reason": "no service type: its taxonomy terms name none of ours",
                }
            )
        return kept

    def _placeholder(self, s: Row) -> str | None:
        """The words that mark a service, its organisation or its location as test data."""
        org = self.links.orgs.get(s.get("organization_id", ""))
        locs = [
            self.links.locations.get(r.get("location_id", ""))
            for r in self.links.sal_by_service.get(s.get("id", ""), [])
        ]
        locs.append(self.links.locations.get(s.get("location_id", "")))
        places = [loc for loc in locs if loc]
        return placeholder_reason(
            [cell(s, "name"), cell(org, "name"), *(cell(loc, "name") for loc in places)],
            [cell(s, "description"), cell(org, "description")]
            + [cell(loc, "description") for loc in places],
        )

    def _location_ids(self, s: Row) -> list[str | None]:
        sid = s.get("id", "")
        locs: list[str | None] = []
        for r in self.links.sal_by_service.get(sid, []):
            lid = r.get("location_id", "")
            if lid in self.links.locations:
                if lid not in locs:
                    locs.append(lid)
            elif lid:
                self.report.dangling["service_at_location.location_id"] += 1
        direct = s.get("location_id", "")
        if not locs and direct:
            if direct in self.links.locations:
                locs.append(direct)
            else:
                self.report.dangling["service.location_id"] += 1
        if not locs and not self.ours:
            org_locs = self.links.org_locations.get(s.get("organization_id", ""), [])
            if len(org_locs) == 1 and not placing.is_virtual(self.links.locations[org_locs[0]]):
                locs.append(org_locs[0])
                self.borrowed_places.add(sid)
        return locs or [None]

    def _ids(self, plans: list[tuple[Row, list[str | None]]]) -> dict[tuple[str, str | None], str]:
        """Readable unique ids: the service name, with the organisation or location
        added where names repeat, then -2, -3."""
        base_count: Counter[str] = Counter()
        self.name_count: Counter[str] = Counter()
        for s, locs in plans:
            name = self.clean.text(s.get("name")) or "service"
            base_count[slug(name) or "service"] += len(locs)
            self.name_count[name.lower()] += 1
        used: set[str] = set()
        last: dict[str, int] = {}  # candidate -> the last number it was given
        out: dict[tuple[str, str | None], str] = {}
        for s, locs in plans:
            name = self.clean.text(s.get("name")) or "service"
            base = slug(name) or "service"
            own = s.get("id", "").strip()
            carried = self.links.own_fields.get(own, {}).get("id")
            if not (isinstance(carried, str) and ID_RE.match(carried)):
                carried = None
            readable = _readable_id(own)
            for lid in locs:
                candidate = base
                if carried and len(locs) == 1:
                    candidate = carried  # our own export: the provider's id as it was
                elif readable:
                    # the source's own id is already a good slug (an export of a directory)
                    candidate = (
                        own if len(locs) == 1 else slug(f"{own} {self._city(lid or '') or lid}")
                    )
                elif base_count[base] > 1:
                    if len(locs) > 1 and lid:
                        place = self.clean.text(
                            self.links.locations[lid].get("name")
                        ) or self._city(lid)
                        candidate = slug(f"{name} {place or lid}")
                    else:
                        org = self._organization_name(s, lid)
                        org_slug = slug(org or "", 72)
                        if org_slug.endswith(base):
                            candidate = org_slug
                        elif org_slug:
                            candidate = slug(f"{org} {name}", 72)
                candidate = candidate or base
                # counting on from the last number given to this candidate keeps
                # thousands of services of one name linear
                n = last.get(candidate, 1)
                final = candidate if n == 1 else f"{candidate}-{n}"
                while final in used:
                    n += 1
                    final = f"{candidate}-{n}"
                last[candidate] = n
                used.add(final)
                out[(s.get("id", ""), lid)] = final
        return out

    def _city(self, lid: str) -> str:
        for a in self.links.addresses.get(lid, []):
            if a.get("city", "").strip():
                return a["city"].strip()
        return ""

    def _organization_name(self, s: Row, lid: str | None) -> str | None:
        oid = s.get("organization_id", "") or (
            self.links.locations.get(lid or "", {}).get("organization_id", "")
        )
        org = self.links.orgs.get(oid)
        if org is not None:
            return self.clean.text(org.get("name"))
        # 211 Miami names locations "ORGANISATION - SERVICE": the organisation is
        # the part before the service name.
        if lid:
            loc_name = self.clean.text(self.links.locations[lid].get("name")) or ""
            svc = self.clean.text(s.get("name")) or ""
            if svc and loc_name.upper().endswith(" - " + svc.upper()):
                return loc_name[: -len(svc) - 3].strip() or None
        return None

    def _shared(self, s: Row) -> dict[str, Any]:
        """What every provider made from this service shares: terms and their meaning."""
        sid = s.get("id", "")
        terms: list[Term] = []
        for tid in self.links.service_terms.get(sid, []):
            term = self.links.terms.get(tid)
            if term is None:
                if AIRS_CODE.match(tid) or OE_CODE.match(tid):
                    term = Term(tid, "", "")
                else:
                    self.report.dangling["attribute.taxonomy_term_id"] += 1
                    continue
            terms.append(term)
        for tid in re.split(r"\s*,\s*", s.get("taxonomy_ids", "").strip()):
            if tid:
                terms.append(self.links.terms.get(tid) or Term(tid, "", ""))
        free = [k for k in (self.clean.text(x) for x in split_list(s.get("keywords", ""))) if k]
        return {"terms": terms, "free": free}

    def _provider(
        self, pid: str, s: Row, lid: str | None, split: bool, shared: dict[str, Any]
    ) -> dict[str, Any]:
        sid = s.get("id", "")
        rep = ProviderReport(pid, sid)
        self.report.providers.append(rep)
        c = self.clean
        loc = self.links.locations.get(lid or "")
        org = self._organization_name(s, lid)
        name = self._display_name(pid, s, lid, loc, split, org)
        p: dict[str, Any] = {"id": pid, "name": name}
        oid = s.get("organization_id", "")
        if oid and oid not in self.links.orgs:
            self.report.dangling["service.organization_id"] += 1
            if org:
                rep.guessed.append(f"organization {org!r} from the location name")
        if org and org.lower() != name.lower():
            p["organization"] = org
        desc = c.text(cell(s, "description"), multiline=True)
        if desc:
            p["description"] = desc
        services, keywords = self.mapper.services(
            shared["terms"], shared["free"], rep, name, desc or ""
        )
        p["services"] = services
        intake_text = c.text(cell(s, "application_process"), multiline=True)
        prose = "\n".join(t for t in (desc, intake_text) if t)
        elig = self.details.eligibility(s, rep, shared["terms"], prose)
        if elig:
            p["eligibility"] = elig
        langs, lang_words = self.details.languages(sid, lid, s, loc, rep)
        if langs:
            p["languages"] = langs
        place = self.places.place(lid, rep) if lid else None
        country = (place.address.get("country") if place else None) or None
        phone, hotline = self.details.phones(s, lid, rep, country)
        if phone:
            p["phone"] = phone
        if hotline and hotline != phone:
            p["hotline"] = hotline
        email, website = self.details.email_and_website(s, loc, self.links.orgs.get(oid), rep)
        if email:
            p["email"] = email
        if website:
            p["website"] = website
        hours = self.details.hours(sid, lid, rep)
        if hours:
            p["hours"] = hours
            state = place.address.get("region") if place else None
            if isinstance(hours, dict) and state in self.m.us_states and country == "US":
                p["timezone"] = self.m.us_states[state][1]
        if place is not None:
            self._put_place(p, place, bool(phone or hotline), rep)
        area, area_words = self.places.service_area(s)
        if not area and "service_area" not in self.links.own_fields.get(sid, {}):
            area = self._reach(p, desc or "", phone or hotline, rep)
        if area:
            p["service_area"] = area
        borrowed = sid in self.borrowed_places
        # a location with neither address nor point ("Confidential location") places
        # nothing: the service is placed as if it had none
        placeless = place is not None and not p.get("address") and not p.get("location")
        if place is None or placeless or borrowed or placing.is_virtual(loc):
            how = placing.place_elsewhere(p, s, loc, area_words, borrowed, self.places)
            if how:
                rep.guessed.append(f"no location of its own: placed {how}")
                self.placed_how[p["id"]] = how
        located = p.get("location") or {}
        point = (located["lat"], located["lon"]) if located else None
        if residents := self.details.residency(s, p.get("address") or {}, point, area_words):
            written = p.setdefault("eligibility", {}).setdefault("residents_of", [])
            written += [area for area in residents if area not in written]
            rep.mapped.append({"residents_of": residents})
        if intake_text:
            p["intake"] = intake_text
        cost = c.text(cell(s, "fees_description", "fees"))
        if cost:
            p["cost"] = cost
        verified = self.details.last_verified(s, lid)
        if verified:
            p["last_verified"] = verified
        self._tonight(p, s, sid, rep)
        alt = c.text(cell(s, "alternate_name"))
        words = dedupe([*([alt] if alt else []), *keywords, *lang_words, *area_words])
        if words:
            p["keywords"] = words
        p[HSDS_ID_KEY] = f"{sid}@{lid}" if split and lid else sid
        own = self.links.own_fields.get(sid)
        if own:
            self._apply_own_fields(p, own)
        elif survivor_shelter(services, " ".join([name, desc or "", *words])):
            self.survivor_shelters.add(pid)
        return p

    def _private_places(
        self, made: list[tuple[dict[str, Any], str | None, ProviderReport]]
    ) -> None:
        """Confidentiality is a property of the place, not of one service: every
        provider at a confidential provider's location, street and postal code,
        or within :data:`NEIGHBOUR_METRES` of its point, is kept private too (a
        sibling service published with the street would reveal the shelter)."""
        secret_locations: dict[str, str] = {}
        secret_streets: dict[str, str] = {}
        grid: PointGrid[str] = PointGrid(NEIGHBOUR_METRES)  # confidential providers' points
        for p, lid, _ in made:
            if not (p.get("confidential") or p["id"] in self.survivor_shelters):
                continue
            if str(p.get(HSDS_ID_KEY, "")).split("@")[0] in self.borrowed_places:
                # its organisation's place, not its own: never its street or point (they
                # would be a public sibling's door) nor a place whose neighbours are private
                p.pop("location", None)
                p.pop(APPROXIMATE_LOCATION_KEY, None)
                for part in ("street", "postal_code"):
                    p.get("address", {}).pop(part, None)
                continue
            _table_place(p, lid, secret_locations, secret_streets, grid)
        # read above, its place or its borrowed one's absence (never tabled again)
        tabled = {p["id"] for p, _, _ in made if p.get("confidential")} | self.survivor_shelters
        for p, _, rep in made:
            if p["id"] in self.survivor_shelters:
                self._keep_private(p, rep, "a shelter for survivors")
        self._private_by_place(made, secret_locations, secret_streets, grid, tabled)

    def _private_by_place(
        self,
        made: list[tuple[dict[str, Any], str | None, ProviderReport]],
        secret_locations: dict[str, str],
        secret_streets: dict[str, str],
        grid: PointGrid[str],
        tabled: set[str],
    ) -> None:
        """Every public provider at a confidential provider's place (``tabled``: those
        whose place is in the tables) is kept private; one made private so makes its
        own location, street and point private too, until nothing changes: a public
        provider beside it would show where the shelter's neighbour is, which
        ``validate`` refuses (``confidential-place``) as it does for the shelter."""
        kept = set(self.survivor_shelters)  # decided (one with no phone stays public, placeless)
        known = set(tabled)  # whose place is in the tables
        changed = True
        while changed:
            changed = False
            for p, lid, _ in made:
                if not p.get("confidential") or p["id"] in known:
                    continue
                known.add(p["id"])
                _table_place(p, lid, secret_locations, secret_streets, grid)
            for p, lid, rep in made:
                if p.get("confidential") or p["id"] in kept:
                    continue
                other = (
                    secret_locations.get(lid or "")
                    or secret_streets.get(_street_of(p) or "")
                    or _near(grid, p.get("location"))
                )
                if other:
                    self._keep_private(p, rep, f"at the place of confidential provider '{other}'")
                    kept.add(p["id"])
                    changed = True

    def _display_name(
        self, pid: str, s: Row, lid: str | None, loc: Row | None, split: bool, org: str | None
    ) -> str:
        """The service's name, with its site when it is one of several, or with its
        organisation when other services share the name."""
        name = self.clean.text(s.get("name")) or pid
        if split and loc is not None:
            site = self.clean.text(loc.get("name")) or self._city(lid or "")
            if site and site.lower() != name.lower():
                name = f"{name} ({site})"
        elif org and self.name_count[name.lower()] > 1 and org.lower() not in name.lower():
            name = f"{name} ({org})"  # 211 Miami names many services after a site: "HIALEAH"
        return name

    @staticmethod
    def _put_place(p: dict[str, Any], place: Place, reachable: bool, rep: ProviderReport) -> None:
        """Address and coordinates; an address the source withholds makes the provider
        confidential, or, with no phone to reach it (``reachable``), leaves no point."""
        if place.withheld:
            if reachable:
                p["confidential"] = True
                rep.guessed.append("the source withholds the address: marked confidential")
            else:
                # confidential needs a phone; without one, publish no place at all
                place.lat = place.lon = None
                rep.drop("location", "confidential address", "withheld by the source, no phone")
        if place.address:
            p["address"] = place.address
        if place.lat is not None and place.lon is not None:
            p["location"] = {"lat": round(place.lat, 6), "lon": round(place.lon, 6)}
            if place.approximate:
                p[APPROXIMATE_LOCATION_KEY] = place.approximate

    def _reach(
        self, p: dict[str, Any], desc: str, phone: str | None, rep: ProviderReport
    ) -> dict[str, Any] | None:
        """The service area a phone service's own words imply (reported), if any."""
        address = p.get("address", {})
        guess = guess_reach(
            name=p["name"],
            description=desc,
            services=p["services"],
            phone=phone,
            street=address.get("street"),
            country=address.get("country"),
            region=address.get("region"),
            home_region=self.links.home_region,
        )
        if not guess:
            return None
        rep.guessed.append(f"service area {guess[1]}")
        self.report.reach.append({"id": p["id"], "service_area": guess[0], "why": guess[1]})
        return guess[0]

    def _tonight(self, p: dict[str, Any], s: Row, sid: str, rep: ProviderReport) -> None:
        """``status`` from the service's status, ``availability`` from its 3.1 capacity."""
        status = status_of(self.clean.text(s.get("status")) or "") or alert_status(
            self.clean.text(s.get("alert")) or ""
        )
        if status is not None:
            p["status"] = status
        if not self.capacity:
            return
        found, why = availability_of(self.capacity.get(sid, []), self.units)
        if found is not None:
            p["availability"] = found
        elif why:
            rep.drop("availability", "service_capacity", why)

    @staticmethod
    def _apply_own_fields(p: dict[str, Any], own: dict[str, Any]) -> None:
        """Fields our export carried exactly replace what the standard tables gave
        (a maintainer's confidentiality decision included)."""
        for key, value in own.items():
            if key == "id":
                continue
            if key == "address" and value is None:
                continue  # the address table had it
            if value is None or value is False or value == {}:
                p.pop(key, None)
            else:
                p[key] = value

    def _keep_private(self, p: dict[str, Any], rep: ProviderReport, why: str) -> None:
        """A shelter for survivors (or a service at its place, ``why``) is imported
        confidential until a maintainer has confirmed its address may be published;
        with no phone to reach it, its street and coordinates are left out instead
        (confidential needs a phone)."""
        if p.get("confidential"):
            return
        if p.get("phone") or p.get("hotline"):
            p["confidential"] = True
            done = "imported confidential: true"
        else:
            p.pop("location", None)
            p.pop(APPROXIMATE_LOCATION_KEY, None)
            for key in ("street", "postal_code"):
                p.get("address", {}).pop(key, None)
            done = "no phone, so its street and location were left out"
        rep.guessed.append(f"{why}: {done}")
        self.report.review.append(
            {
                "id": p["id"],
                "why": f"{why}, {done}: confirm with the provider whether"
                " its address may be published before removing 'confidential'",
            }
        )

    # fields ---------------------------------------------------------------------


# Services this close to a confidential provider's point are at its place (the
# same building or the next door): coordinates of one site differ by a few metres
# between sources.
NEIGHBOUR_METRES = 50.0


def _street_of(p: dict[str, Any]) -> str | None:
    address = p.get("address", {})
    return street_key(address.get("street"), address.get("postal_code"))


def _table_place(
    p: dict[str, Any],
    lid: str | None,
    locations: dict[str, str],
    streets: dict[str, str],
    grid: PointGrid[str],
) -> None:
    """A confidential provider's location, street and point, in the tables its
    neighbours are looked up in (the first provider of a place names it)."""
    if lid:
        locations.setdefault(lid, p["id"])
    key = _street_of(p)
    if key:
        streets.setdefault(key, p["id"])
    point = p.get("location")
    # an approximate point (a town's or a postal code's middle) is no place of the
    # provider's: the public services near it are not its neighbours
    if point and not p.get(APPROXIMATE_LOCATION_KEY):
        grid.add(point["lat"], point["lon"], p["id"])


def _near(grid: PointGrid[str], point: dict[str, float] | None) -> str | None:
    """The id of a confidential provider within :data:`NEIGHBOUR_METRES` of ``point``."""
    found = grid.within(point["lat"], point["lon"]) if point and grid else []
    return found[0] if found else None


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _readable_id(value: str) -> bool:
    """A source id that reads as a slug ("safe-harbor-house"), not "136", "svc-1" or a UUID."""
    return bool(
        ID_RE.match(value)
        and not _UUID.match(value)
        and sum(len(part) >= 3 and part.isalpha() for part in value.split("-")) >= 2
    )


def import_hsds(
    source: Path,
    *,
    include_inactive: bool = False,
    include_placeholders: bool = False,
    progress: Progress | None = None,
    tax: Taxonomy | None = None,
) -> tuple[bytes, ImportReport]:
    """Read an HSDS source; return the directory YAML (validated) and the report.

    Test and placeholder records ("Lorem ipsum", "Fake Org") are left out and
    listed unless ``include_placeholders``.
    """
    _, data, report, _ = _import(source, include_inactive, include_placeholders, progress, tax)
    return data, report


def import_hsds_folder(
    source: Path,
    *,
    include_inactive: bool = False,
    include_placeholders: bool = False,
    progress: Progress | None = None,
    tax: Taxonomy | None = None,
) -> tuple[dict[str, bytes], ImportReport]:
    """Like :func:`import_hsds`, as a folder of files, one per organisation
    (``<organisation-slug>.yaml``; a provider without one is filed under its name),
    so that a 4,000-service import is reviewed organisation by organisation."""
    providers, _, report, header = _import(
        source, include_inactive, include_placeholders, progress, tax
    )
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in providers:
        groups[slug(p.get("organization") or p["name"], 80) or "providers"].append(p)
    return {f"{name}.yaml": dump_yaml(group, header)[0] for name, group in groups.items()}, report


def _import(
    source: Path,
    include_inactive: bool,
    include_placeholders: bool,
    progress: Progress | None,
    tax: Taxonomy | None,
) -> tuple[list[dict[str, Any]], bytes, ImportReport, str]:
    """The providers that validate, their YAML, the report, and the files' header line."""

    started = time.perf_counter()
    tax = tax or taxonomy.load()
    m = load_map()
    report = ImportReport(source=str(source))
    tables = read_source(Path(source), progress)
    report.flavour = tables.flavour
    report.tables = {name: len(rows) for name, rows in sorted(tables.rows.items())}
    report.ignored_tables = dict(sorted(tables.ignored.items()))
    report.dangling.update(tables.dangling)
    report.notes += tables.notes
    importer = _Importer(tables, tax, m, report, include_inactive, include_placeholders)
    providers = importer.run(progress)
    if progress:
        progress("validating", 0, 1)
    header = f"imported from {Path(source).name} by referral import-hsds"
    providers, data = _validated(providers, report, header)
    if progress:
        progress("validating", 1, 1)
    kept = {p["id"] for p in providers}
    report.not_referred = [x for x in report.not_referred if x["id"] in kept]
    report.seconds = time.perf_counter() - started
    return providers, data, report, header


def _validated(
    providers: list[dict[str, Any]], report: ImportReport, header: str
) -> tuple[list[dict[str, Any]], bytes]:
    """The providers that validate and their YAML; the others are reported and left out."""

    data, starts = dump_yaml(providers, header)
    _, diagnostics = parse_bytes(data, "import")
    errors = [d for d in diagnostics if d.severity == "error"]
    if not errors:
        return providers, data

    bad: dict[int, list[str]] = defaultdict(list)
    for d in errors:
        i = bisect.bisect_right(starts, d.line) - 1
        bad[max(i, 0)].append(f"{d.message} [{d.code}]")
    for i, messages in sorted(bad.items()):
        report.rejected.append({"id": providers[i]["id"], "errors": messages})
    rejected_ids = {providers[i]["id"] for i in bad}
    report.providers = [p for p in report.providers if p.id not in rejected_ids]
    keep = [p for i, p in enumerate(providers) if i not in bad]
    return keep, dump_yaml(keep, header)[0]
