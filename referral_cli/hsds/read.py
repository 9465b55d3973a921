"""HSDS sources read into canonical tables: folders and zips of CSV tables (HSDS 1.x,
2.x and 3.0 names, with or without ``datapackage.json``), HSDS 3.0 JSON, and the 211
resource export (:mod:`referral_cli.hsds.airs_export`: one CSV, or a folder or zip of them).

Every flavour becomes the same :class:`Tables`, so one import maps them all.
Sizes are bounded (a zip bomb or a pipe is refused with one line).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from referral_cli.errors import ReferralError
from referral_cli.hsds import airs_export

Row = dict[str, str]
Progress = Callable[[str, int, int], None]  # (stage, done, total)

MAX_SOURCE_BYTES = 512 * 1024 * 1024  # unpacked size of all tables together
MAX_ZIP_MEMBERS = 500
# CSV tables pack 5 to 50 times smaller; a zip bomb thousands of times. Below
# MIN_RATIO_CHECKED bytes a table is read whatever its ratio.
MAX_ZIP_RATIO = 200
MIN_RATIO_CHECKED = 16 * 1024 * 1024
ZIP_CHUNK = 1024 * 1024

# --- canonical tables -----------------------------------------------------------

# File stems and resource names of each table, HSDS 3.0 first.
TABLE_NAMES: dict[str, tuple[str, ...]] = {
    "organization": ("organization", "organizations"),
    "service": ("service", "services"),
    "location": ("location", "locations"),
    "address": ("address", "addresses", "physical_address", "physical_addresses"),
    "postal_address": ("postal_address", "postal_addresses", "mail_address", "mail_addresses"),
    "phone": ("phone", "phones"),
    "schedule": ("schedule", "schedules", "regular_schedule", "regular_schedules"),
    "language": ("language", "languages"),
    "service_at_location": (
        "service_at_location",
        "service_at_locations",
        "services_at_location",
        "services_at_locations",
    ),
    "taxonomy_term": ("taxonomy_term", "taxonomy_terms", "taxonomy"),
    "taxonomy": ("taxonomies",),
    "attribute": (
        "attribute",
        "attributes",
        "service_attribute",
        "service_attributes",
        "services_taxonomy",
        "service_taxonomy",
        "services_taxonomies",
        "other_attribute",  # HSDS 2.0: link_id, link_type, taxonomy_term_id
        "other_attributes",
    ),
    "eligibility": ("eligibility", "eligibilities"),
    "service_area": ("service_area", "service_areas"),
    "service_capacity": ("service_capacity", "service_capacities"),  # HSDS 3.1
    "unit": ("unit", "units"),  # HSDS 3.1: what a capacity counts (beds)
    "metadata": ("metadata",),
}
_TABLE_OF = {name: table for table, names in TABLE_NAMES.items() for name in names}
# Tables read but not imported, with the reason the report gives.
NOT_IMPORTED = {
    "contact": "named staff: personal data is not imported",
    "contacts": "named staff: personal data is not imported",
    "program": "programmes are not part of the directory format",
    "programs": "programmes are not part of the directory format",
    "holiday_schedule": "holiday closures are not part of the directory format",
    "holiday_schedules": "holiday closures are not part of the directory format",
}


@dataclass
class Tables:
    """Every table of a source, as lists of rows keyed by HSDS column names."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    flavour: str = ""
    ignored: dict[str, str] = field(default_factory=dict)  # table -> reason
    # references the reader resolved itself (the 211 export's record numbers)
    dangling: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    def get(self, table: str) -> list[Row]:
        return self.rows.get(table, [])

    def add(self, table: str, rows: Iterable[Row]) -> None:
        self.rows.setdefault(table, []).extend(rows)


# --- reading --------------------------------------------------------------------


def read_source(path: Path, progress: Progress | None = None) -> Tables:
    """Read a folder, zip or JSON file into canonical tables."""
    path = Path(path)
    if not path.exists():
        raise ReferralError(f"{path}: no such file or folder")
    if path.is_dir():
        files = _folder_files(path)
    elif not path.is_file():  # a pipe would hang the import, a device fill the memory
        raise ReferralError(f"{path}: not a regular file, folder or zip")
    elif zipfile.is_zipfile(path):
        files = _zip_files(path)
    elif path.suffix.lower() == ".json":
        return _read_json_file(path)
    elif path.suffix.lower() == ".csv":
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ReferralError(f"{path}: larger than {MAX_SOURCE_BYTES >> 20} MiB")
        text = _decode(path.read_bytes())
        if not airs_export.is_export(text):
            raise ReferralError(
                f"{path}: neither an HSDS package nor a 211 resource export (its first line"
                " names no ResourceAgencyNum column); give the folder or zip that holds"
                " services.csv and the other tables, or the 211 export's CSV"
            )
        return _read_airs_export([(str(path), text)])
    else:
        raise ReferralError(
            f"{path}: not an HSDS source; give a folder or zip of CSV tables, or an HSDS 3.0 JSON file"
        )
    return _read_tables(files, str(path), progress)


def _folder_files(folder: Path) -> dict[str, Callable[[], bytes]]:
    files: dict[str, Callable[[], bytes]] = {}
    total = 0
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.suffix.lower() in (".csv", ".json") and not p.name.startswith("."):
            total += p.stat().st_size
            files[p.relative_to(folder).as_posix()] = p.read_bytes
    if total > MAX_SOURCE_BYTES:
        raise ReferralError(f"{folder}: the tables hold more than {MAX_SOURCE_BYTES >> 20} MiB")
    return files


def _zip_files(path: Path) -> dict[str, Callable[[], bytes]]:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReferralError(f"{path}: cannot read the zip ({exc}); make the zip again") from None
    infos = [
        i
        for i in zf.infolist()
        if not i.is_dir()
        and i.filename.lower().endswith((".csv", ".json"))
        and "__MACOSX" not in i.filename
        and not Path(i.filename).name.startswith(".")
    ]
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReferralError(f"{path}: the zip holds more than {MAX_ZIP_MEMBERS} files")
    for i in infos:
        if i.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            # bzip2 and LZMA unpack a whole block at once: gigabytes before a byte is counted
            raise ReferralError(
                f"{path}: {i.filename} is packed with bzip2 or LZMA; zip the tables again"
                " with the usual (deflate) compression"
            )
    if sum(i.file_size for i in infos) > MAX_SOURCE_BYTES:
        raise ReferralError(f"{path}: the zip unpacks to more than {MAX_SOURCE_BYTES >> 20} MiB")

    left = [MAX_SOURCE_BYTES]  # bytes every table together may still unpack to

    def reader(info: zipfile.ZipInfo) -> Callable[[], bytes]:
        def read() -> bytes:
            try:
                with zf.open(info) as fh:
                    return _unpack(fh, info, left, f"{path}: {info.filename}")
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
                raise ReferralError(
                    f"{path}: {info.filename} is damaged in the zip ({exc}); make the zip again"
                ) from None

        return read

    return {i.filename: reader(i) for i in infos}


def _unpack(fh: IO[bytes], info: zipfile.ZipInfo, left: list[int], shown: str) -> bytes:
    """A table unpacked, counting the bytes as they come rather than trusting the
    sizes the zip declares: it stops, with one line, past ``left[0]`` bytes for
    all tables together or past :data:`MAX_ZIP_RATIO` times the packed size (a
    zip bomb packs gigabytes of one repeated byte into kilobytes)."""
    most = max(MIN_RATIO_CHECKED, MAX_ZIP_RATIO * info.compress_size)
    chunks = []
    size = 0
    while chunk := fh.read(ZIP_CHUNK):
        size += len(chunk)
        left[0] -= len(chunk)
        if left[0] < 0:
            raise ReferralError(
                f"{shown}: the tables unpack to more than {MAX_SOURCE_BYTES >> 20} MiB; refused"
            )
        if size > most:
            raise ReferralError(
                f"{shown}: unpacks to more than {MAX_ZIP_RATIO} times its packed size, which no"
                " table does (a zip bomb?); refused"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(data: bytes) -> str:
    """Text of a table: UTF-8 (with or without BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _csv_rows(data: bytes) -> list[Row]:
    text = _decode(data)
    csv.field_size_limit(16 * 1024 * 1024)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if reader.fieldnames is None:
        return []
    names = [(n or "").strip().lstrip("\ufeff").lower() for n in reader.fieldnames]
    reader.fieldnames = names
    return [{k: (v or "") for k, v in row.items() if k} for row in reader]


def _read_tables(
    files: dict[str, Callable[[], bytes]], shown: str, progress: Progress | None
) -> Tables:
    # A datapackage.json names the resources and their paths; paths that do not
    # exist (211 Miami's point at the root while the files sit in data/) are found
    # by file name.
    by_name: dict[str, str] = {}
    packages = sorted((k for k in files if Path(k).name == "datapackage.json"), key=len)
    declared: dict[str, str] = {}  # file name -> resource name
    version = ""
    if packages:
        try:
            package = json.loads(_decode(files[packages[0]]()))
        except ValueError as exc:
            raise ReferralError(f"{shown}: datapackage.json is not valid JSON ({exc})") from None
        if isinstance(package, dict):
            version = str(package.get("version") or "")
            for res in package.get("resources") or []:
                if not isinstance(res, dict):
                    continue
                paths = res.get("path")
                for one in paths if isinstance(paths, list) else [paths]:
                    if isinstance(one, str):
                        declared[Path(one).name.lower()] = str(res.get("name") or "")
    csv_files = [k for k in files if k.lower().endswith(".csv")]
    json_files = [
        k for k in files if k.lower().endswith(".json") and Path(k).name != "datapackage.json"
    ]
    if not csv_files:
        if len(json_files) == 1:
            return _read_json_bytes(files[json_files[0]](), shown)
        raise ReferralError(
            f"{shown}: no CSV tables found; an HSDS package holds services.csv (or service.csv)"
            " and the other tables"
        )
    for key in sorted(csv_files, key=lambda k: (k.count("/"), k)):
        stem = Path(key).stem.lower()
        resource = declared.get(Path(key).name.lower(), "").lower()
        for candidate in (stem, resource):
            if candidate and candidate not in by_name:
                by_name[candidate] = key
    if not any(name in by_name for name in TABLE_NAMES["service"]):
        texts = [(f"{shown}/{k}", _decode(files[k]())) for k in sorted(csv_files)]
        exports = [(k, t) for k, t in texts if airs_export.is_export(t)]
        if exports:
            return _read_airs_export(exports)
    tables = Tables()
    names = sorted(by_name)
    has_v3 = "attribute" in by_name or "schedule" in by_name or "address" in by_name
    for i, name in enumerate(names):
        if progress:
            progress("reading tables", i, len(names))
        key = by_name[name]
        if name in NOT_IMPORTED:
            tables.ignored[name] = NOT_IMPORTED[name]
            continue
        table = _TABLE_OF.get(name)
        if table is None:
            tables.ignored.setdefault(name, "not used by the directory format")
            continue
        if any(by_name.get(other) == key for other in names[:i]):
            continue  # the same file under its resource name
        try:
            rows = _csv_rows(files[key]())
        except csv.Error as exc:  # a field over the limit, a NUL in old Pythons
            raise ReferralError(f"{shown}: {key} is not a readable CSV table ({exc})") from None
        if name == "taxonomy" and rows and _is_vocabulary_table(rows[0]):
            table = "taxonomy"
        if table == "postal_address":
            for r in rows:
                r.setdefault("address_type", "postal")
        tables.add(table, rows)
    if progress:
        progress("reading tables", len(names), len(names))
    if not tables.get("service"):
        raise ReferralError(
            f"{shown}: no services table (services.csv or service.csv) with rows; nothing to import"
        )
    if has_v3 or version.startswith("3"):
        tables.flavour = "HSDS 3.0 CSV"
    elif "physical_addresses" in by_name or "services_taxonomy" in by_name:
        tables.flavour = "HSDS 1.x CSV"
    elif "service_attributes" in by_name or "taxonomy_terms" in by_name:
        tables.flavour = "HSDS 2.0 CSV"
    else:
        tables.flavour = "HSDS 1.0 / Ohana CSV"
    if packages:
        tables.flavour += " data package"
    return tables


def _read_airs_export(texts: list[tuple[str, str]]) -> Tables:
    """The canonical tables of a 211 resource export's CSV texts."""
    export = airs_export.read_export(texts)
    if not export.rows.get("service"):
        raise ReferralError(
            f"{texts[0][0]}: no Program or Agency records in the 211 export; nothing to import"
        )
    unread = {
        c: "a column of the 211 export not used by the directory format"
        for c in export.unread_columns
    }
    return Tables(export.rows, airs_export.FLAVOUR, unread, export.dangling, export.notes)


def _is_vocabulary_table(row: Row) -> bool:
    """HSDS 3.0 ``taxonomy`` lists vocabularies; older ``taxonomy`` lists terms."""
    return "uri" in row and "version" in row and "parent_id" not in row


def _read_json_file(path: Path) -> Tables:
    if path.stat().st_size > MAX_SOURCE_BYTES:
        raise ReferralError(f"{path}: larger than {MAX_SOURCE_BYTES >> 20} MiB")
    return _read_json_bytes(path.read_bytes(), str(path))


def _read_json_bytes(data: bytes, shown: str) -> Tables:
    try:
        doc = json.loads(_decode(data))
    except ValueError as exc:
        raise ReferralError(f"{shown}: not valid JSON ({exc})") from None
    except RecursionError:
        raise ReferralError(f"{shown}: JSON nested too deeply; refused") from None
    tables = Tables(flavour="HSDS 3.0 JSON")
    flat = _JsonFlattener(tables)
    for item in _json_items(doc):
        if not isinstance(item, dict):
            continue
        if isinstance(item.get("service"), dict):
            flat.service_at_location(item, None)
        elif isinstance(item.get("services"), list):
            flat.organization(item)
        else:
            flat.service(item, None)
    if not tables.get("service"):
        raise ReferralError(f"{shown}: no HSDS services found in the JSON")
    return tables


def _json_items(doc: Any) -> Iterator[Any]:
    """The records of a JSON document: a list, an API page ("contents", …) or one record."""
    if isinstance(doc, list):
        yield from doc
        return
    if isinstance(doc, dict):
        for key in ("contents", "items", "results", "data", "organizations"):
            if isinstance(doc.get(key), list):
                yield from doc[key]
                return
        if isinstance(doc.get("services"), list) and "name" not in doc:
            yield from doc["services"]
            return
        yield doc


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float | str):
        return str(value)
    return ""


class _JsonFlattener:
    """HSDS 3.0 nested objects -> the same rows as the CSV tables."""

    def __init__(self, tables: Tables):
        self.t = tables
        self.counter = 0
        self.seen: set[tuple[str, str]] = set()

    def _id(self, obj: dict[str, Any], prefix: str) -> str:
        value = _scalar(obj.get("id"))
        if value:
            return value
        self.counter += 1
        return f"{prefix}-{self.counter}"

    def _row(self, obj: dict[str, Any], **extra: str) -> Row:
        row = {k: _scalar(v) for k, v in obj.items() if not isinstance(v, dict | list)}
        row.update({k: v for k, v in extra.items() if v})
        return row

    def _once(self, table: str, row: Row) -> bool:
        key = (table, row.get("id", ""))
        if key in self.seen:
            return False
        self.seen.add(key)
        self.t.add(table, [row])
        return True

    def organization(self, obj: dict[str, Any]) -> str:
        oid = self._id(obj, "org")
        self._once("organization", self._row(obj, id=oid))
        for loc in obj.get("locations") or []:
            if isinstance(loc, dict):
                self.location(loc, oid)
        for svc in obj.get("services") or []:
            if isinstance(svc, dict):
                self.service(svc, oid)
        self.phones(obj.get("phones"), organization_id=oid)
        return oid

    def service(self, obj: dict[str, Any], org_id: str | None) -> str:
        sid = self._id(obj, "service")
        org = obj.get("organization")
        if isinstance(org, dict):
            org_id = self._id(org, "org")
            self._once("organization", self._row(org, id=org_id))
        row = self._row(obj, id=sid, organization_id=org_id or "")
        if not self._once("service", row):
            return sid
        self.phones(obj.get("phones"), service_id=sid)
        self.schedules(obj.get("schedules"), service_id=sid)
        self.languages(obj.get("languages"), service_id=sid)
        self.attributes(obj.get("attributes"), sid)
        for area in obj.get("service_areas") or []:
            if isinstance(area, dict):
                self.t.add("service_area", [self._row(area, service_id=sid)])
        for cap in obj.get("capacities") or []:  # HSDS 3.1
            if isinstance(cap, dict):
                unit = cap.get("unit")
                if isinstance(unit, dict):
                    self._once("unit", self._row(unit, id=self._id(unit, "unit")))
                    cap = {**cap, "unit_id": self._id(unit, "unit")}
                self.t.add("service_capacity", [self._row(cap, service_id=sid)])
        for sal in obj.get("service_at_locations") or []:
            if isinstance(sal, dict):
                self.service_at_location(sal, sid)
        return sid

    def service_at_location(self, obj: dict[str, Any], service_id: str | None) -> None:
        svc = obj.get("service")
        if isinstance(svc, dict):
            service_id = self.service(svc, None)
        loc = obj.get("location")
        location_id = _scalar(obj.get("location_id"))
        if isinstance(loc, dict):
            location_id = self.location(loc, None)
        sal_id = self._id(obj, "sal")
        self.t.add(
            "service_at_location",
            [self._row(obj, id=sal_id, service_id=service_id or "", location_id=location_id)],
        )
        self.phones(obj.get("phones"), service_at_location_id=sal_id)
        self.schedules(obj.get("schedules"), service_at_location_id=sal_id)

    def location(self, obj: dict[str, Any], org_id: str | None) -> str:
        lid = self._id(obj, "location")
        if not self._once("location", self._row(obj, id=lid, organization_id=org_id or "")):
            return lid
        for addr in obj.get("addresses") or []:
            if isinstance(addr, dict):
                self.t.add("address", [self._row(addr, location_id=lid)])
        self.phones(obj.get("phones"), location_id=lid)
        self.schedules(obj.get("schedules"), location_id=lid)
        self.languages(obj.get("languages"), location_id=lid)
        return lid

    def phones(self, items: Any, **link: str) -> None:
        for ph in items or []:
            if isinstance(ph, dict):
                self.t.add("phone", [self._row(ph, **link)])

    def schedules(self, items: Any, **link: str) -> None:
        for sc in items or []:
            if isinstance(sc, dict):
                self.t.add("schedule", [self._row(sc, **link)])

    def languages(self, items: Any, **link: str) -> None:
        for lang in items or []:
            if isinstance(lang, dict):
                self.t.add("language", [self._row(lang, **link)])
            elif isinstance(lang, str):
                self.t.add("language", [{"name": lang, **link}])

    def attributes(self, items: Any, service_id: str) -> None:
        for attr in items or []:
            if not isinstance(attr, dict):
                continue
            term = attr.get("taxonomy_term")
            term_id = _scalar(attr.get("taxonomy_term_id"))
            if isinstance(term, dict):
                term_id = self._id(term, "term")
                detail = term.get("taxonomy_detail")
                vocab = _scalar(term.get("taxonomy"))
                if isinstance(detail, dict):
                    vocab = vocab or _scalar(detail.get("name"))
                self._once("taxonomy_term", self._row(term, id=term_id, taxonomy=vocab))
            self.t.add(
                "attribute",
                [
                    self._row(
                        attr, link_id=service_id, link_entity="service", taxonomy_term_id=term_id
                    )
                ],
            )


def cell(row: Row | None, *names: str) -> str:
    """The first of ``names`` that holds more than spaces in ``row``, else ""."""
    if not row:
        return ""
    for n in names:
        v = row.get(n)
        if v and v.strip():
            return v
    return ""
