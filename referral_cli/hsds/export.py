"""``export-hsds``: the directory as Open Referral HSDS 3.0, tabular and JSON.

Other systems get the standard tables in the official column order, UUID ids
(version 5, so the same provider gets the same ids in every export), times as
``HH:MM:SS``, phone numbers as numbers, required fields filled and empty ones
omitted. What HSDS cannot hold exactly (our id, the eligibility state, hours as
written, time zone, confidentiality, capacity, service area, a place without a
street) travels as attributes of the ``referral-cli-fields`` taxonomy whose
``value`` is JSON, so export -> import gives back every field unchanged.

Built from :meth:`Provider.public_dict` only: a confidential provider has no
street, postal code or coordinates in any file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from referral_cli import taxonomy
from referral_cli.errors import ReferralError
from referral_cli.files import write_atomic
from referral_cli.format.definition import APPROXIMATE_LOCATION_KEY, CHILDREN_ALONG
from referral_cli.hsds.clean import slug
from referral_cli.hsds.terms import (
    TAXONOMY_ELIGIBILITY,
    TAXONOMY_FIELDS,
    TAXONOMY_KEYWORDS,
    TAXONOMY_SERVICES,
)
from referral_cli.hsds.tonight import hsds_status
from referral_cli.output import clean, csv_cell
from referral_cli.records import phones
from referral_cli.records.hours import BYDAY, hsds_time, is_always_open, parse_days
from referral_cli.records.model import Provider
from referral_cli.taxonomy import Taxonomy

# A fixed namespace: ids are uuid5(NAMESPACE, "table/owner/n").
NAMESPACE = uuid.UUID("6f1c2f3e-5a0e-5c4b-9d59-7e0b9b0f4a15")
# The tables written, each with the official HSDS 3.0 columns in their order.
TABLES: dict[str, tuple[str, str]] = {
    "organization": (
        "organizations.csv",
        "id name alternate_name description email website tax_status tax_id year_incorporated"
        " legal_status logo uri parent_organization_id",
    ),
    "service": (
        "services.csv",
        "id organization_id program_id name alternate_name description url email status"
        " interpretation_services application_process fees_description wait_time fees"
        " accreditations eligibility_description minimum_age maximum_age assured_date"
        " assurer_email licenses alert last_modified",
    ),
    "location": (
        "locations.csv",
        "id location_type url organization_id name alternate_name description transportation"
        " latitude longitude external_identifier external_identifier_type",
    ),
    "address": (
        "addresses.csv",
        "id location_id attention address_1 address_2 city region state_province postal_code"
        " country address_type",
    ),
    "service_at_location": ("service_at_location.csv", "id service_id location_id description"),
    "phone": (
        "phones.csv",
        "id location_id service_id organization_id contact_id service_at_location_id number"
        " extension type description",
    ),
    "schedule": (
        "schedules.csv",
        "id service_id location_id service_at_location_id valid_from valid_to dtstart timezone"
        " until count wkst freq interval byday byweekno bymonthday byyearday description"
        " opens_at closes_at schedule_link attending_type notes",
    ),
    "service_area": (
        "service_areas.csv",
        "id service_id name description extent extent_type uri",
    ),
    "language": ("languages.csv", "id service_id location_id phone_id name code note"),
    "taxonomy": ("taxonomies.csv", "id name description uri version"),
    # written empty: other tables' foreign keys name them (the directory has no
    # programmes, and names no staff)
    "program": ("programs.csv", "id organization_id name alternate_name description"),
    "contact": (
        "contacts.csv",
        "id organization_id service_id service_at_location_id location_id name title"
        " department email",
    ),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        "id code name description parent_id taxonomy language taxonomy_id term_uri",
    ),
    "attribute": ("attributes.csv", "id link_id taxonomy_term_id link_type link_entity value"),
}
_TYPES = {
    **dict.fromkeys(
        [
            "year_incorporated",
            "minimum_age",
            "maximum_age",
            "latitude",
            "longitude",
            "extension",
            "timezone",
            "count",
            "interval",
        ],
        "number",
    ),
    **dict.fromkeys(["assured_date", "valid_from", "valid_to", "dtstart", "until"], "date"),
    "last_modified": "datetime",
    "opens_at": "time",
    "closes_at": "time",
}
_FOREIGN_KEYS = {
    "service": (("organization_id", "organization"),),
    "location": (("organization_id", "organization"),),
    "address": (("location_id", "location"),),
    "service_at_location": (("service_id", "service"), ("location_id", "location")),
    "phone": (("service_id", "service"),),
    "schedule": (("service_id", "service"),),
    "language": (("service_id", "service"),),
    "service_area": (("service_id", "service"),),
    "taxonomy_term": (("taxonomy_id", "taxonomy"),),
    "attribute": (("taxonomy_term_id", "taxonomy_term"),),
}
_VOCABULARIES = (
    (TAXONOMY_SERVICES, "Service types of the referral-cli taxonomy ('referral taxonomy')."),
    (TAXONOMY_ELIGIBILITY, "Who a provider serves: gender:*, trafficking:*, population:*."),
    (TAXONOMY_KEYWORDS, "Free search words of a provider."),
    (TAXONOMY_FIELDS, "referral-cli fields HSDS has no place for; the attribute value is JSON."),
)
# Fields carried as referral-cli-fields attributes (always, so an import knows them ours;
# organization, keywords and translations too, which the tables hold only in part: an
# organisation named as the service, a radius read back as a word, no language copies).
CARRIED = ("id", "areas", "eligibility", "hours", "timezone", "confidential", "capacity",
           "availability", "status", "verified_by", "service_area", "address", "organization",
           "keywords", "translations")  # fmt: skip
_ADDRESS_REQUIRED = ("street", "city", "region", "postal_code", "country")


def new_id(*parts: str) -> str:
    """The stable UUID of a row: the same provider gives the same ids every time."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


class _Builder:
    def __init__(self, tax: Taxonomy):
        self.tax = tax
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
        self.orgs: dict[str, str] = {}
        self.terms: dict[tuple[str, str], str] = {}
        self.codes: set[str] = set()
        self.count: Counter[str] = Counter()
        for name, description in _VOCABULARIES:
            self.rows["taxonomy"].append(
                {"id": new_id("taxonomy", name), "name": name, "description": description,
                 "version": "1"}
            )  # fmt: skip

    def row_id(self, table: str, owner: str) -> str:
        self.count[f"{table}/{owner}"] += 1
        return new_id(table, owner, str(self.count[f"{table}/{owner}"]))

    def term(self, vocabulary: str, code: str, name: str, description: str) -> str:
        key = (vocabulary, name if vocabulary == TAXONOMY_KEYWORDS else code)
        if key not in self.terms:
            base, n = code, 1
            while code in self.codes:  # codes are unique across vocabularies
                n += 1
                code = f"{base}-{n}"
            self.codes.add(code)
            tid = self.terms[key] = new_id("taxonomy_term", vocabulary, code)
            self.rows["taxonomy_term"].append(
                {"id": tid, "code": code, "name": name, "description": description or name,
                 "taxonomy": vocabulary, "language": "en",
                 "taxonomy_id": new_id("taxonomy", vocabulary)}
            )  # fmt: skip
        return self.terms[key]

    def attribute(self, sid: str, term_id: str, link_type: str, value: str = "") -> None:
        self.rows["attribute"].append(
            {"id": self.row_id("attribute", sid), "link_id": sid, "taxonomy_term_id": term_id,
             "link_type": link_type, "link_entity": "service", "value": value}
        )  # fmt: skip

    def organization(self, name: str, description: str | None) -> str:
        if name not in self.orgs:
            oid = self.orgs[name] = new_id("organization", name)
            self.rows["organization"].append(
                {"id": oid, "name": name,
                 "description": description or f"{name} (no description given)"}
            )  # fmt: skip
        return self.orgs[name]

    def provider(self, p: Provider) -> None:
        d = p.public_dict()
        sid = new_id("service", d["id"])
        oid = self.organization(d.get("organization") or d["name"], d.get("description"))
        elig = d.get("eligibility") or {}
        ages = elig.get("ages") or [None, None]
        verified = d.get("last_verified")
        self.rows["service"].append(
            {"id": sid, "organization_id": oid, "name": d["name"],
             "description": d.get("description"), "url": d.get("website"),
             "email": d.get("email"), "status": hsds_status(d.get("status")), "application_process": d.get("intake"),
             "fees_description": d.get("cost"), "eligibility_description": elig.get("notes"),
             "minimum_age": ages[0], "maximum_age": ages[1], "assured_date": verified,
             "last_modified": f"{verified}T00:00:00Z" if verified else None}
        )  # fmt: skip
        self.place(sid, oid, d)
        for kind in ("phone", "hotline"):
            if d.get(kind):
                number, extension = phones.split(d[kind])
                self.rows["phone"].append(
                    {"id": self.row_id("phone", sid), "service_id": sid, "number": number,
                     "extension": extension, "type": "voice",
                     "description": "Hotline" if kind == "hotline" else "Main number"}
                )  # fmt: skip
        self.schedules(sid, d.get("hours"))
        for code in d.get("languages") or []:
            self.rows["language"].append(
                {"id": self.row_id("language", sid), "service_id": sid,
                 "name": self.tax.language_name(code), "code": code}
            )  # fmt: skip
        self.service_areas(sid, d.get("service_area") or {})
        self.classify(sid, d, elig)

    def place(self, sid: str, oid: str, d: dict[str, Any]) -> None:
        address = d.get("address") or {}
        location = d.get("location") or {}
        full = all(address.get(k) for k in _ADDRESS_REQUIRED)
        if not (location or full):
            return
        lid = new_id("location", d["id"])
        self.rows["location"].append(
            {"id": lid, "location_type": "physical", "organization_id": oid, "name": d["name"],
             "latitude": location.get("lat"), "longitude": location.get("lon")}
        )  # fmt: skip
        if full:
            self.rows["address"].append(
                {"id": new_id("address", d["id"]), "location_id": lid,
                 "address_1": address["street"], "city": address["city"],
                 "region": address.get("county"), "state_province": address["region"],
                 "postal_code": address["postal_code"], "country": address["country"],
                 "address_type": "physical"}
            )  # fmt: skip
        self.rows["service_at_location"].append(
            {"id": new_id("service_at_location", d["id"]), "service_id": sid, "location_id": lid}
        )

    def schedules(self, sid: str, hours: Any) -> None:
        if isinstance(hours, str):
            always = is_always_open(hours)
            self.rows["schedule"].append(
                {"id": self.row_id("schedule", sid), "service_id": sid,
                 "freq": "WEEKLY" if always else None,
                 "byday": ",".join(BYDAY) if always else None,
                 "opens_at": "00:00:00" if always else None,
                 "closes_at": "23:59:59" if always else None, "description": hours}
            )  # fmt: skip
            return
        for days, spec in (hours or {}).items():
            if spec.strip().lower() == "closed":
                continue
            byday = ",".join(BYDAY[i] for i in parse_days(days) or ())
            for part in spec.split(","):
                opens, _, closes = part.strip().partition("-")
                self.rows["schedule"].append(
                    {"id": self.row_id("schedule", sid), "service_id": sid, "freq": "WEEKLY",
                     "byday": byday, "opens_at": hsds_time(opens), "closes_at": hsds_time(closes),
                     "description": f"{days} {part.strip()}"}
                )  # fmt: skip

    def service_areas(self, sid: str, area: dict[str, Any]) -> None:
        names = [*area.get("regions", []), *area.get("countries", [])]
        names += ["remote"] if area.get("remote") else []
        if area.get("radius_km") is not None:
            names.append(f"within {area['radius_km']:g} km")
        for name in names:
            self.rows["service_area"].append(
                {"id": self.row_id("service_area", sid), "service_id": sid, "name": name,
                 "extent_type": "text"}
            )  # fmt: skip

    def classify(self, sid: str, d: dict[str, Any], elig: dict[str, Any]) -> None:
        for key in d.get("services") or []:
            st = self.tax.service_types.get(key)
            label = st.label if st else key
            tid = self.term(TAXONOMY_SERVICES, key, label, st.description if st else "")
            self.attribute(sid, tid, "service_type")
        for kind in ("genders", "trafficking", "populations"):
            for value in elig.get(kind) or []:
                code = f"{kind.rstrip('s') if kind != 'trafficking' else kind}:{value}"
                self.attribute(
                    sid, self.term(TAXONOMY_ELIGIBILITY, code, value, code), "eligibility"
                )
        if elig.get("children") is not None:
            code = f"children:{str(elig['children']).lower()}"
            self.attribute(sid, self.term(TAXONOMY_ELIGIBILITY, code, code, code), "eligibility")
        for key in CHILDREN_ALONG:
            if elig.get(key) is not None:
                code = f"{key}:{elig[key]}"
                self.attribute(
                    sid, self.term(TAXONOMY_ELIGIBILITY, code, code, code), "eligibility"
                )
        for key in ("residents_of", "unstated"):
            for value in elig.get(key) or []:
                code = f"{key}:{value}"
                self.attribute(
                    sid, self.term(TAXONOMY_ELIGIBILITY, code, code, code), "eligibility"
                )
        for word in d.get("keywords") or []:
            code = "keyword:" + (slug(word, 80) or "keyword")
            self.attribute(sid, self.term(TAXONOMY_KEYWORDS, code, word, word), "keyword")
        for field in CARRIED:
            value = d.get(field)
            if field == "address" and value and all(value.get(k) for k in _ADDRESS_REQUIRED):
                continue  # in the address table already
            if field == "confidential":
                value = bool(value)
            tid = self.term(TAXONOMY_FIELDS, f"field:{field}", field, f"referral-cli '{field}'")
            self.attribute(
                sid, tid, "referral-cli", json.dumps(_cleaned(value), ensure_ascii=False)
            )
        placed = d.get("placed") or {}
        if "lat" in placed:  # an approximate point (never a confidential one): kept as such
            for field, carried in (
                ("location", {"lat": placed["lat"], "lon": placed["lon"]}),
                (APPROXIMATE_LOCATION_KEY, f"{placed['from']} {placed['place']}"),
            ):
                tid = self.term(TAXONOMY_FIELDS, f"field:{field}", field, f"referral-cli '{field}'")
                self.attribute(sid, tid, "referral-cli", json.dumps(carried, ensure_ascii=False))


def export_rows(
    providers: Iterable[Provider], tax: Taxonomy | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The HSDS 3.0 rows, table by table, for these providers."""
    builder = _Builder(tax or taxonomy.load())
    for p in providers:
        builder.provider(p)
    return builder.rows


def export_hsds(providers: Iterable[Provider], tax: Taxonomy | None = None) -> dict[str, bytes]:
    """The files of an HSDS 3.0 tabular data package (name -> bytes)."""
    rows = export_rows(providers, tax)
    files = {TABLES[name][0]: _csv_bytes(name, rows[name]) for name in TABLES}
    files["datapackage.json"] = _datapackage()
    return files


def export_hsds_json(providers: Iterable[Provider], tax: Taxonomy | None = None) -> bytes:
    """HSDS 3.0 JSON: a list of service objects with their organisation, locations,
    phones, schedules, languages, service areas and attributes nested."""
    services = nested_services(export_rows(providers, tax))
    return (json.dumps(services, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def nested_services(rows: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The service objects of :func:`export_rows`' rows, everything they link to
    nested in them (the shape of the HSDS API's ``/services/{id}``)."""

    def by(table: str, key: str) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for r in rows[table]:
            out.setdefault(r[key], []).append(present(r))
        return out

    orgs = {r["id"]: present(r) for r in rows["organization"]}
    locations = {r["id"]: present(r) for r in rows["location"]}
    for a in rows["address"]:
        locations[a["location_id"]].setdefault("addresses", []).append(present(a))
    terms = {r["id"]: present(r) for r in rows["taxonomy_term"]}
    nested = {t: by(t, "service_id") for t in ("phone", "schedule", "language", "service_area")}
    at_location = by("service_at_location", "service_id")
    attributes = by("attribute", "link_id")
    services = []
    for s in rows["service"]:
        doc = present(s)
        doc["organization"] = orgs[s["organization_id"]]
        for table, items in nested.items():
            found = items.get(s["id"])
            if found:
                doc[f"{table}s"] = found
        sals = [
            dict(sal, location=locations[sal["location_id"]])
            for sal in at_location.get(s["id"], [])
        ]
        if sals:
            doc["service_at_locations"] = sals
        attrs = [
            dict(a, taxonomy_term=terms[a["taxonomy_term_id"]]) for a in attributes.get(s["id"], [])
        ]
        if attrs:
            doc["attributes"] = attrs
        services.append(doc)
    return services


def present(row: dict[str, Any]) -> dict[str, Any]:
    """A row without its empty cells (HSDS: omit what is not known), its text
    free of terminal escapes and control codes."""
    return {k: _cleaned(v) for k, v in row.items() if v is not None and v != ""}


def _cleaned(value: Any) -> Any:
    """``value`` with every string in it cleaned of escapes and control codes."""
    if isinstance(value, str):
        return clean(value, multiline=True)
    if isinstance(value, dict):
        return {_cleaned(k): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def _csv_bytes(table: str, rows: list[dict[str, Any]]) -> bytes:
    columns = TABLES[table][1].split()
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column)
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(repr(value) if isinstance(value, float) else str(value))
            elif column == "number" or _TYPES.get(column) or value is None:
                cells.append("" if value is None else str(value))  # numbers, dates: as they are
            else:
                cells.append(csv_cell(value, multiline=True))
        writer.writerow(cells)
    return buf.getvalue().encode("utf-8")


def _datapackage() -> bytes:
    resources = []
    for name, (path, columns) in TABLES.items():
        schema: dict[str, Any] = {
            "fields": [{"name": c, "type": _TYPES.get(c, "string")} for c in columns.split()],
            "primaryKey": "id",
        }
        fks = _FOREIGN_KEYS.get(name)
        if fks:
            schema["foreignKeys"] = [
                {"fields": f, "reference": {"resource": r, "fields": "id"}} for f, r in fks
            ]
        resources.append(
            {"name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}
        )  # fmt: skip
    package = {
        "name": "referral-cli-export",
        "title": "referral-cli directory (HSDS 3.0)",
        "profile": "tabular-data-package",
        "version": "3.0",
        "description": (
            "Exported by referral export-hsds. Confidential providers carry no street address,"
            " postal code or coordinates. Text cells that begin with = + - @ are prefixed"
            " with an apostrophe so spreadsheets do not run them as formulas; phone numbers,"
            " numbers, dates and times are written as they are."
        ),
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "resources": resources,
    }
    return (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


class FolderNotEmpty(ReferralError):
    """The folder to write into already holds files (replaced only when forced)."""

    def __init__(self, folder: Path):
        super().__init__(f"{folder} exists and is not empty")
        self.folder = folder


def write_export(folder: Path, files: Mapping[str, bytes], force: bool = False) -> None:
    """Write the package into ``folder``: a new folder appears whole (built beside it
    and renamed); an existing non-empty one is replaced file by file only with ``force``."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ReferralError(f"{folder} is a file; give a folder for the data package")
    if folder.is_dir() and any(folder.iterdir()):
        if not force:
            raise FolderNotEmpty(folder)
        for name, data in files.items():
            write_atomic(folder / name, data, force=True)
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        if folder.is_dir():
            folder.rmdir()
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
