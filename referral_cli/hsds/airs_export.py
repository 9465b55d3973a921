"""The common 211 resource export (iCarol / VisionLink "AIRS" layout) read into the
canonical HSDS tables, so that one import maps it like any HSDS package.

The export is one CSV (or several, sharing one numbering) with a row per record:
``TaxonomyLevelName`` says what the row is. Agency rows become organisations,
Program rows services (``ParentAgencyNum``: their agency), Site rows locations and
ProgramAtSite rows the links between a programme and a site
(``ConnectsToProgramNum``, ``ConnectsToSiteNum``). A programme linked to no site
is given its own physical address as its location when it has one; else it has
none and the importer places it as any HSDS service without a location (at its
agency's only location, which is the agency's own address here, or in the town
its coverage area names). An agency with no Program rows (an export of agencies
only) is its own service. A programme's status is the stronger of its own and its
agency's (inactive, then "do not refer", which AvailableForReferral "No" also
says), read by the importer as any HSDS status, and its TemporaryMessage as
HSDS's alert; a site or link that is inactive or not to be referred to is not
used. A record the export keeps out of directories (ExcludeFromDirectory,
AvailableForDirectory "No") is left out, with its agency's programmes.

What is private never enters the tables: a phone marked private is not written;
an address marked private (on the programme, its site, its agency or the
link) is written without its street lines, postal code and mailing address, its
street line saying it is confidential as HSDS exports of 211 systems do, which the
importer reads as a withheld address (the provider confidential, its point never
shown). A privacy cell that is neither yes nor no is read as private.

Each AIRS column is read in one place: the lists of facts below, one per table,
pairing the canonical field with the columns that give it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from referral_cli.errors import ReferralError
from referral_cli.hsds.fields import to_date

Row = dict[str, str]
Fact = tuple[str, tuple[str, ...]]  # canonical field, AIRS columns (the first filled wins)

FLAVOUR = "211 resource export (AIRS / iCarol CSV)"

# --- the layout --------------------------------------------------------------------

NUMBER = "ResourceAgencyNum"
LEVEL = "TaxonomyLevelName"
PARENT = "ParentAgencyNum"
TO_SITE = "ConnectsToSiteNum"
TO_PROGRAM = "ConnectsToProgramNum"
STATUS = "AgencyStatus"
ADDRESS_PRIVATE = "PhysicalAddressIsPrivate"
MAILING_PRIVATE = "MailingAddressIsPrivate"
TAXONOMY_CODES = "TaxonomyCodes"
TAXONOMY_NAMES = ("TaxonomyTerms", "TaxonomyTerm")
COVERAGE_AREA = "CoverageArea"
COVERAGE_TEXT = "CoverageAreaText"
HOURS = ("Hours", "HoursOfOperation")  # both, joined, as 211 systems show them
AVAILABLE_FOR_REFERRAL = "AvailableForReferral"
# the export asks that the record be in no directory
EXCLUDE_FROM_DIRECTORY = "ExcludeFromDirectory"
AVAILABLE_FOR_DIRECTORY = "AvailableForDirectory"
AGE = "CustomEligibilitybyAge"
GENDER = "CustomEligibilityByGender"

NAME = ("PublicName", "OfficialName", "AgencyNamePublic")
EMAIL = ("EmailAddressMain",)
WEBSITE = ("WebsiteAddress",)
# what an agency and a programme both say of themselves
NAMED_FACTS: tuple[Fact, ...] = (
    ("name", NAME),
    ("alternate_name", ("AlternateName",)),
    ("description", ("AgencyDescription",)),
)
ORGANIZATION_FACTS: tuple[Fact, ...] = (*NAMED_FACTS, ("email", EMAIL), ("website", WEBSITE))
SERVICE_FACTS: tuple[Fact, ...] = (
    *NAMED_FACTS,
    ("fees_description", ("FeeStructureSource",)),
    ("eligibility_description", ("Eligibility",)),
    ("languages", ("LanguagesOfferedList", "LanguagesOffered")),
    ("email", EMAIL),
    ("url", WEBSITE),
    ("assured_date", ("LastVerifiedOn",)),  # when the record was last verified
    ("updated_at", ("UpdatedOn",)),
)
# HSDS's alert, which the importer reads for "not accepting referrals"; not once expired
TEMPORARY_MESSAGE = "TemporaryMessage"
MESSAGE_EXPIRES = "TemporaryMessageExpires"
# the service's intake text: each column's text after its label
INTAKE: tuple[tuple[str, str], ...] = (
    ("ApplicationProcess", ""),
    ("DocumentsRequired", "Documents required: "),
)
POINT_FACTS: tuple[Fact, ...] = (("latitude", ("Latitude",)), ("longitude", ("Longitude",)))
LOCATION_FACTS: tuple[Fact, ...] = (
    ("name", NAME),
    *POINT_FACTS,
    ("email", EMAIL),
    ("website", WEBSITE),
)
STREET_FACTS: tuple[Fact, ...] = (  # never written for an address marked private
    ("address_1", ("PhysicalAddress1",)),
    ("address_2", ("PhysicalAddress2",)),
    ("postal_code", ("PhysicalPostalCode",)),
)
TOWN_FACTS: tuple[Fact, ...] = (
    ("city", ("PhysicalCity",)),
    ("region", ("PhysicalCounty",)),
    ("state_province", ("PhysicalStateProvince",)),
    ("country", ("PhysicalCountry",)),
)
MAILING_FACTS: tuple[Fact, ...] = (  # MailingAttentionName names a person: not read
    ("address_1", ("MailingAddress1",)),
    ("address_2", ("MailingAddress2",)),
    ("city", ("MailingCity",)),
    ("state_province", ("MailingStateProvince",)),
    ("postal_code", ("MailingPostalCode",)),
    ("country", ("MailingCountry",)),
)
# Phone1..Phone5: <prefix>Number, Name, Description, IsPrivate, Type
NUMBERED_PHONES = tuple(f"Phone{i}" for i in range(1, 6))
# the other phone columns: <column>, <column>Description, <column>IsPrivate, and the
# type the importer reads (a fax or TTY line is no phone to call; a hotline is one)
NAMED_PHONES: tuple[tuple[str, str, str], ...] = (
    ("PhoneTollFree", "voice", "toll free"),
    ("PhoneNumberBusinessLine", "voice", "business line"),
    ("PhoneNumberAfterHours", "voice", "after hours"),
    ("PhoneNumberOutOfArea", "voice", "out of area"),
    ("PhoneNumberHotline", "hotline", "hotline"),
    ("PhoneFax", "fax", "fax"),
    ("PhoneTTY", "tty", "TTY"),
)
PHONE_PARTS = ("Number", "Name", "Description", "IsPrivate", "Type")

AGENCY, PROGRAM, SITE, PROGRAM_AT_SITE = "agency", "program", "site", "programatsite"
LEVELS = (AGENCY, PROGRAM, SITE, PROGRAM_AT_SITE)
LEVEL_NAMES = {AGENCY: "Agency", PROGRAM: "Program", SITE: "Site", PROGRAM_AT_SITE: "ProgramAtSite"}
# the field of a phone, schedule or link row that names each kind of record
LINK_FIELD = {
    AGENCY: "organization_id",
    PROGRAM: "service_id",
    SITE: "location_id",
    PROGRAM_AT_SITE: "service_at_location_id",
}

# Columns the header must name besides ResourceAgencyNum to be read as the layout.
_TELLING = frozenset(
    c.lower() for c in (LEVEL, PARENT, TAXONOMY_CODES, COVERAGE_AREA, "PhysicalAddress1", *NAME)
)
# An HSDS 3.0 street line that says the address is withheld (read by places.py).
WITHHELD_STREET = "Confidential address"
_NO = ("", "no", "n", "false", "f", "0")
_ANY_GENDER = ("both", "all", "any", "either", "everyone", "all genders", "male and female")
_ENDED = re.compile(r"(?i)\b(?:inactive|defunct)\b")
_NOT_REFERRED = re.compile(r"(?i)\bdo[\s-]*not[\s-]*refer")
_STATUS_WEIGHT = ((_ENDED, 2), (_NOT_REFERRED, 1))  # the stronger status of two stands
_COUNTY_WORD = re.compile(r"(?i)\b(?:county|parish|borough|city|census area|municipality)\b")
_COUNTY_OF = {"LA": "Parish", "LOUISIANA": "Parish", "AK": "Borough", "ALASKA": "Borough"}
_ANY_PART = re.compile(r"(?i)^(?:statewide|all counties|all areas|entire state)$")


def is_export(text: str) -> bool:
    """A CSV whose header is of the layout: ResourceAgencyNum and one other of its columns."""
    end = text.find("\n")
    header = text if end < 0 else text[:end]  # the first line only: never a copy of the rest
    names = {c.strip().strip('"').strip().lower() for c in header.split(",")}
    return NUMBER.lower() in names and bool(names & _TELLING)


@dataclass
class Export:
    """The canonical tables of an export, and what reading it found."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    dangling: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    unread_columns: list[str] = field(default_factory=list)

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append({k: v for k, v in row.items() if v})


@dataclass
class _Record:
    number: str
    level: str
    cells: Row  # lower-cased column -> its text, stripped (empty cells left out)
    where: str  # path:line, for messages
    number_column: int  # where the number is in the row, for messages

    def get(self, *columns: str) -> str:
        """The first of ``columns`` that holds more than spaces, stripped."""
        for c in columns:
            value = self.cells.get(c.lower())
            if value:
                return value
        return ""

    def says_yes(self, column: str) -> bool:
        """Yes, or anything but no: an answer not understood protects."""
        return self.get(column).lower() not in _NO

    def says_no(self, column: str) -> bool:
        return self.get(column).lower() in _NO[1:]

    def status(self) -> str:
        """AgencyStatus, or "do not refer" when AvailableForReferral says no."""
        written = self.get(STATUS)
        if self.says_no(AVAILABLE_FOR_REFERRAL) and _strength(written) < 1:
            return f"do not refer ({AVAILABLE_FOR_REFERRAL}: {self.get(AVAILABLE_FOR_REFERRAL)})"
        return written

    def unlisted(self) -> bool:
        """The export asks that the record be in no directory."""
        return self.says_yes(EXCLUDE_FROM_DIRECTORY) or self.says_no(AVAILABLE_FOR_DIRECTORY)

    def facts(self, facts: Iterable[Fact]) -> Row:
        return {name: self.get(*columns) for name, columns in facts}

    def has_address(self) -> bool:
        return any(self.facts((*STREET_FACTS, *TOWN_FACTS, *POINT_FACTS)).values())


def read_export(files: Iterable[tuple[str, str]]) -> Export:
    """The canonical tables of the export's CSV texts (``(shown path, text)`` each)."""
    records: dict[str, _Record] = {}
    columns: dict[str, str] = {}  # lower-cased -> as written
    skipped = 0
    for shown, text in files:
        for record in _records(shown, text, columns):
            if record is None:
                skipped += 1
            elif record.number in records:
                first = records[record.number].where
                raise ReferralError(
                    f"{record.where}:{record.number_column}: {NUMBER} {record.number!r} is also"
                    f" the record at {first}; each record needs its own number"
                )
            else:
                records[record.number] = record
    out = _Builder(records).build()
    if skipped:
        out.notes.append(f"{skipped} rows without a {NUMBER} left out: nothing can link to them")
    out.unread_columns = sorted(columns[c] for c in columns.keys() - _read_columns())
    return out


def _read_columns() -> set[str]:
    named = [c for facts in _ALL_FACTS for _, cs in facts for c in cs]
    named += [c for c, _ in INTAKE]
    named += [f"{p}{part}" for p in NUMBERED_PHONES for part in PHONE_PARTS]
    named += [f"{c}{part}" for c, _, _ in NAMED_PHONES for part in ("", "Description", "IsPrivate")]
    named += [NUMBER, LEVEL, PARENT, TO_SITE, TO_PROGRAM, STATUS, ADDRESS_PRIVATE]
    named += [AVAILABLE_FOR_REFERRAL, EXCLUDE_FROM_DIRECTORY, AVAILABLE_FOR_DIRECTORY]
    named += [TEMPORARY_MESSAGE, MESSAGE_EXPIRES]
    named += [MAILING_PRIVATE, TAXONOMY_CODES, *TAXONOMY_NAMES, COVERAGE_AREA, COVERAGE_TEXT]
    named += [*HOURS, AGE, GENDER]
    return {c.lower() for c in named}


_ALL_FACTS = (
    ORGANIZATION_FACTS,
    SERVICE_FACTS,
    LOCATION_FACTS,
    STREET_FACTS,
    TOWN_FACTS,
    MAILING_FACTS,
)


def _records(shown: str, text: str, columns: dict[str, str]) -> Iterable[_Record | None]:
    """The rows of one CSV as records (``None`` for a row with no number); a row
    the layout cannot read stops the import with its line and column."""
    csv.field_size_limit(16 * 1024 * 1024)
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        names = [(n or "").strip().lstrip("\ufeff") for n in next(reader, [])]
        header = [n.lower() for n in names]
        columns.update((n.lower(), n) for n in names if n)
        level_col, number_col = (
            header.index(c.lower()) + 1 if c.lower() in header else 0 for c in (LEVEL, NUMBER)
        )
        line = reader.line_num + 1
        for values in reader:
            where = f"{shown}:{line}"
            line = reader.line_num + 1
            cells = {n: v.strip() for n, v in zip(header, values, strict=False) if n and v.strip()}
            if not cells:
                continue
            record = _Record(_number(cells.get(NUMBER.lower(), "")), "", cells, where, number_col)
            written = record.get(LEVEL)
            record.level = _level(record) if not written else re.sub(r"[\s_-]", "", written.lower())
            if record.level not in LEVELS:
                raise ReferralError(
                    f"{where}:{level_col}: {LEVEL} {written!r} is none of"
                    f" {', '.join(LEVEL_NAMES.values())}"
                )
            yield record if record.number else None
    except csv.Error as exc:  # a NUL byte, a field over the limit
        raise ReferralError(f"{shown}:{line}: not readable as CSV ({exc})") from None


def _number(value: str) -> str:
    """A record number as written, without a spreadsheet's ".0"; "0" is none."""
    n = value.strip()
    n = n[:-2] if n.endswith(".0") and n[:-2].isdigit() else n
    return "" if n == "0" else n


def _level(record: _Record) -> str:
    """The kind of a record whose export has no TaxonomyLevelName: a link names a
    programme and a site, an agency has no parent, any other record is a programme."""
    if record.get(TO_PROGRAM) and record.get(TO_SITE):
        return PROGRAM_AT_SITE
    return PROGRAM if _number(record.get(PARENT)) else AGENCY


def _strength(status: str) -> int:
    return max((weight for pattern, weight in _STATUS_WEIGHT if pattern.search(status)), default=0)


def _status(statuses: Iterable[str]) -> str:
    """The stronger of statuses, as the importer reads one: "Inactive - closed in
    2023" is "inactive", which leaves the service out; "Active, but do not refer"
    is kept as written."""
    strongest = max(statuses, key=_strength)
    ended = _ENDED.search(strongest)
    return ended.group(0).lower() if ended else strongest


class _Builder:
    """Records -> canonical rows, links resolved and privacy applied."""

    def __init__(self, records: dict[str, _Record]):
        self.records = records
        self.out = Export()
        self.of = {level: [r for r in records.values() if r.level == level] for level in LEVELS}
        self.private_phones = 0

    def _linked(self, number: str, level: str, column: str) -> _Record | None:
        """The record ``number`` names, of the kind ``level``; one that leads
        nowhere (or to another kind of record) is counted under its column."""
        if not number:
            return None
        found = self.records.get(number)
        if found is None or found.level != level:
            self.out.dangling[column] += 1
            return None
        return found

    def build(self) -> Export:
        agencies = {r.number: r for r in self.of[AGENCY]}
        parent = {
            r.number: self._linked(_number(r.get(PARENT)), AGENCY, PARENT)
            for r in self.of[PROGRAM] + self.of[SITE]
        }
        unlisted = {number for number, r in self.records.items() if r.unlisted()}
        unlisted.update(  # the programmes of an agency kept out of directories
            p.number for p in self.of[PROGRAM] if (a := parent[p.number]) and a.number in unlisted
        )
        programs = [p for p in self.of[PROGRAM] if p.number not in unlisted]
        sites_of, links = self._site_links(unlisted)
        withheld, own_place = self._places(programs, parent, sites_of)
        listed = [r for r in self.records.values() if r.number not in unlisted]
        for agency in agencies.values():
            if agency.number not in unlisted:
                self._organization(agency, withheld)
        for site in self.of[SITE]:
            if site.number not in unlisted:
                self._location(site, "", withheld)
        for number in own_place:
            self._location(self.records[number], "", withheld)
        for program in programs:
            place = program.number if program.number in own_place else ""
            self._service(program, parent[program.number], place)
        not_own_service = unlisted | {a.number for p in self.of[PROGRAM] if (a := parent[p.number])}
        for agency in agencies.values():
            if agency.number not in not_own_service:  # an agency with no programme
                self._service(agency, agency, agency.number if agency.has_address() else "")
        for row in links:
            self.out.add("service_at_location", row)
        for record in listed:
            self._phones(record)
            if record.level in (SITE, PROGRAM_AT_SITE):
                self._hours(record, LINK_FIELD[record.level])
        self._notes(withheld, len(unlisted))
        return self.out

    def _places(
        self,
        programs: list[_Record],
        parent: dict[str, _Record | None],
        sites_of: dict[str, list[tuple[str, bool]]],
    ) -> tuple[set[str], set[str]]:
        """The places whose address is withheld, and the programmes placed at their
        own address: a record whose address is private makes private the place it
        is at (its site, its own address, or its agency's where it borrows that)."""
        withheld: set[str] = set()
        own_place: set[str] = set()
        for program in programs:
            agency = parent[program.number]
            secret = program.says_yes(ADDRESS_PRIVATE) or bool(
                agency and agency.says_yes(ADDRESS_PRIVATE)
            )
            if sites_of[program.number]:
                withheld.update(s for s, link in sites_of[program.number] if secret or link)
            elif program.has_address():
                own_place.add(program.number)
                if secret:
                    withheld.add(program.number)
            elif agency and secret:
                withheld.add(agency.number)  # placed at its agency's address
        for record in self.of[SITE] + self.of[AGENCY]:
            agency = parent.get(record.number)
            if record.says_yes(ADDRESS_PRIVATE) or (agency and agency.says_yes(ADDRESS_PRIVATE)):
                withheld.add(record.number)
        return withheld, own_place

    def _site_links(
        self, unlisted: set[str]
    ) -> tuple[dict[str, list[tuple[str, bool]]], list[Row]]:
        """Each programme's sites (with whether the link row is marked private) and
        the link rows; a link to or from a record that is inactive, not to be
        referred to or kept out of directories (``unlisted``) is not made (the
        programme is not offered there)."""
        sites_of: dict[str, list[tuple[str, bool]]] = {r.number: [] for r in self.of[PROGRAM]}
        links: list[Row] = []
        closed = 0
        pairs = [
            (r, _number(r.get(TO_PROGRAM)), _number(r.get(TO_SITE)))
            for r in self.of[PROGRAM_AT_SITE]
        ] + [(r, r.number, _number(r.get(TO_SITE))) for r in self.of[PROGRAM] if r.get(TO_SITE)]
        for link, program_number, site_number in pairs:
            for column, number in ((TO_PROGRAM, program_number), (TO_SITE, site_number)):
                if not number:  # a link that names no record at all
                    self.out.dangling[f"{column} (empty)"] += 1
            program = self._linked(program_number, PROGRAM, TO_PROGRAM)
            site = self._linked(site_number, SITE, TO_SITE)
            if program is None or site is None:
                continue
            if {link.number, program.number, site.number} & unlisted:
                closed += 1
                continue
            if max(_strength(link.status()), _strength(site.status())):
                closed += 1
                continue
            sites_of[program.number].append((site.number, link.says_yes(ADDRESS_PRIVATE)))
            row_id = (
                link.number if link.level == PROGRAM_AT_SITE else f"{program.number}@{site.number}"
            )
            links.append({"id": row_id, "service_id": program.number, "location_id": site.number})
        if closed:
            self.out.notes.append(
                f"{closed} links of a programme to a site not made: the site or the link is"
                " inactive, not to be referred to or kept out of directories"
            )
        return sites_of, links

    def _hours(self, record: _Record, link: str) -> None:
        """Opening hours as the export words them (the importer reads the days and times)."""
        hours = "; ".join(filter(None, (record.get(column) for column in HOURS)))
        if hours:
            self.out.add(
                "schedule", {"id": record.number, link: record.number, "description": hours}
            )

    def _organization(self, agency: _Record, withheld: set[str]) -> None:
        self.out.add("organization", {"id": agency.number, **agency.facts(ORGANIZATION_FACTS)})
        if agency.has_address():
            self._location(agency, agency.number, withheld)

    def _location(self, record: _Record, organization: str, withheld: set[str]) -> None:
        """A location and its addresses; ``organization``: set for an agency's own
        address only, the one place its programmes without a site are placed at."""
        facts = record.facts(LOCATION_FACTS)
        self.out.add("location", {"id": record.number, "organization_id": organization, **facts})
        address = record.facts(TOWN_FACTS)
        address["region"] = _county(address["region"], address["state_province"])
        secret = record.number in withheld
        if secret:
            address["address_1"] = WITHHELD_STREET
        else:
            address.update(record.facts(STREET_FACTS))
        if any(address.values()):
            self.out.add("address", {"id": record.number, "location_id": record.number, **address})
        mailing = record.facts(MAILING_FACTS)
        # a private place's mailing address is often its street: never written either
        if any(mailing.values()) and not (secret or record.says_yes(MAILING_PRIVATE)):
            self.out.add(
                "postal_address",
                {"id": f"{record.number}-mail", "location_id": record.number, **mailing},
            )

    def _service(self, record: _Record, agency: _Record | None, location: str) -> None:
        number = record.number
        intake = [f"{label}{record.get(c)}" for c, label in INTAKE if record.get(c)]
        self.out.add(
            "service",
            {
                "id": number,
                "organization_id": agency.number if agency else "",
                "location_id": location,
                "status": _status([record.status(), agency.status() if agency else ""]),
                "application_process": "\n".join(intake),
                "alert": _alert(record),
                **record.facts(SERVICE_FACTS),
            },
        )
        self._hours(record, "service_id")
        for column, text in ((AGE, _age(record.get(AGE))), (GENDER, _gender(record.get(GENDER)))):
            if text:
                self.out.add(
                    "eligibility",
                    {"id": f"{number}-{column}", "service_id": number, "eligibility": text},
                )
        for i, name in enumerate(_coverage(record.get(COVERAGE_AREA))):
            self.out.add(
                "service_area", {"id": f"{number}-area-{i}", "service_id": number, "name": name}
            )
        said = record.get(COVERAGE_TEXT)
        if said:
            self.out.add(
                "service_area", {"id": f"{number}-area", "service_id": number, "description": said}
            )
        self._terms(record)

    def _terms(self, record: _Record) -> None:
        """Taxonomy terms: codes and names paired in order when the counts agree,
        else each alone (a code is mapped by itself, a name by its words)."""
        codes = _items(record.get(TAXONOMY_CODES), ",")  # no AIRS code holds a comma
        names = _items(record.get(*TAXONOMY_NAMES))
        pairs = (
            list(zip(codes, names, strict=True))
            if len(codes) == len(names)
            else [(c, "") for c in codes] + [("", n) for n in names]
        )
        for i, (code, name) in enumerate(pairs):
            term = code or name
            self.out.add(
                "taxonomy_term", {"id": term, "code": code, "name": name, "taxonomy": "AIRS"}
            )
            self.out.add(
                "attribute",
                {
                    "id": f"{record.number}-term-{i}",
                    "link_id": record.number,
                    "link_entity": "service",
                    "taxonomy_term_id": term,
                },
            )

    def _phones(self, record: _Record) -> None:
        link = LINK_FIELD[record.level]
        found: list[tuple[int, str, str, str, str]] = []  # i, number, type, description, private
        for i, prefix in enumerate(NUMBERED_PHONES):
            if number := record.get(prefix + "Number"):
                name, description, private, kind = (record.get(prefix + p) for p in PHONE_PARTS[1:])
                said = " ".join(x for x in (name, description) if x)
                found.append((i, number, kind or "voice", said, private))
        for i, (column, kind, label) in enumerate(NAMED_PHONES, len(NUMBERED_PHONES)):
            if number := record.get(column):
                said = record.get(f"{column}Description") or label
                found.append((i, number, kind, said, record.get(f"{column}IsPrivate")))
        for i, number, kind, description, private in found:
            if private.lower() not in _NO:
                self.private_phones += 1
                continue
            self.out.add(
                "phone",
                {
                    "id": f"{record.number}-phone-{i}",
                    link: record.number,
                    "number": number,
                    "type": kind,
                    "description": description,
                },
            )

    def _notes(self, withheld: set[str], unlisted: int) -> None:
        if unlisted:
            self.out.notes.append(
                f"{unlisted} records left out: the export keeps them (or their agency) out of"
                f" directories ({EXCLUDE_FROM_DIRECTORY}, {AVAILABLE_FOR_DIRECTORY})"
            )
        counts = ", ".join(f"{len(self.of[level])} {LEVEL_NAMES[level]}" for level in LEVELS)
        self.out.notes.append(f"{len(self.records)} records read: {counts}")
        if withheld:
            self.out.notes.append(
                f"{len(withheld)} addresses marked private (or at a private record's place):"
                " read without street or postal code, their providers confidential"
            )
        if self.private_phones:
            self.out.notes.append(f"{self.private_phones} phones marked private not imported")


def _items(cell: str, also: str = "") -> list[str]:
    """The items of a list cell: "; " between them (a name may hold a comma), or a
    line each; ``also``: another separator."""
    return [x.strip() for x in re.split(f"[;\n{also}]", cell) if x.strip()]


def _coverage(cell: str) -> list[str]:
    """Area names of a CoverageArea cell ("Arizona - Maricopa County; Arizona - Pinal
    County - Casa Grande"): the most specific place of each ("Maricopa County",
    "Casa Grande"), a state alone where it is the whole area."""
    names: list[str] = []
    for item in _items(cell):
        parts = [
            p.strip() for p in item.split(" - ") if p.strip() and not _ANY_PART.match(p.strip())
        ]
        if parts and parts[-1] not in names:
            names.append(parts[-1])
    return names


def _alert(record: _Record) -> str:
    """The record's temporary message, unless the export says it has expired."""
    expires = to_date(record.get(MESSAGE_EXPIRES))
    return "" if expires and expires < dt.date.today() else record.get(TEMPORARY_MESSAGE)


def _county(name: str, state: str) -> str:
    """A PhysicalCounty cell as the importer reads a county: "Maricopa" is "Maricopa
    County" (a Louisiana parish, an Alaska borough); a name that says what it is
    ("Richmond City", "Orleans Parish") is kept."""
    if not name or _COUNTY_WORD.search(name):
        return name
    return f"{name} {_COUNTY_OF.get(state.strip().upper(), 'County')}"


def _age(cell: str) -> str:
    """An age cell as the eligibility reader reads it: "18-64" is "Ages 18-64"."""
    return f"Ages {cell}" if cell[:1].isdigit() else cell


def _gender(cell: str) -> str:
    """A gender cell as the eligibility reader reads it: "Both" is "Any gender"."""
    return "Any gender" if cell.lower() in _ANY_GENDER else cell
