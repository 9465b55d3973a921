"""``referral publish``: the directory's public part as a static HSDS 3.0 API.

Any static host or CDN serves the folder as it is: no server of ours. The files
answer the HSDS 3.0 API reference's requests (``schema/openapi.json``):

============================================  ======================================
request                                       file
============================================  ======================================
``GET /``                                     ``index.json``
``GET /services?page=N``                      ``services/pages/N.json``
``GET /services?format=ndjson`` (everything)  ``services.ndjson``
``GET /services/{id}``                        ``services/{id}.json``
``GET /organizations?page=N``, ``/{id}``      ``organizations/pages/N.json``, ``organizations/{id}.json``
``GET /taxonomies?page=N``, ``/{id}``         ``taxonomies/pages/N.json``, ``taxonomies/{id}.json``
``GET /taxonomy_terms?page=N``, ``/{id}``     ``taxonomy_terms/pages/N.json``, ``taxonomy_terms/{id}.json``
============================================  ======================================

A page carries the API's pagination fields (``total_items``, ``total_pages``,
``page_number``, ``size``, ``first_page``, ``last_page``, ``empty``) and its
``contents``; a services page lists each service's one-to-one fields (with
``last_modified``, so a reader fetches only what changed), ``services/{id}.json``
the service with everything nested, as ``export-hsds --format json`` writes it
(the same code); ``organizations/{id}.json`` lists its services (id and name), as
the API's ``/organizations/{id}`` does. ``index.json`` also says where each of these is
(``referral_cli.layout``), for readers such as ``import-hsds URL``.

The files are **deterministic** (the same directory gives the same bytes: no
dates of the run, ids from the providers' ids) and written **incrementally**:
a file whose bytes did not change is not touched, and a file an earlier
publication wrote that this one does not is removed (``manifest.json`` lists
what was written, with each file's SHA-256). The redaction gate
(:mod:`.redaction`) reads every byte before any file is written.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from referral_cli.errors import ReferralError
from referral_cli.files import write_atomic
from referral_cli.hsds.export import export_rows, nested_services, present
from referral_cli.records.model import Provider
from referral_cli.taxonomy import Taxonomy

PER_PAGE = 50
MANIFEST = "manifest.json"
HSDS_VERSION = "3.0"
PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
OPENAPI = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
# (collection, its rows in export_rows, its list) — services are nested, the others are rows
COLLECTIONS = ("services", "organizations", "taxonomies", "taxonomy_terms")
_ROWS = {
    "organizations": "organization",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}
LAYOUT = {
    **{f"{c}": f"{c}/pages/{{page}}.json" for c in COLLECTIONS},
    **{f"{c}/{{id}}": f"{c}/{{id}}.json" for c in COLLECTIONS},
    "services?format=ndjson": "services.ndjson",
}


def _json(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _one_to_one(doc: Mapping[str, Any]) -> dict[str, Any]:
    """An object without its nested lists and objects: an entry of a list page."""
    return {k: v for k, v in doc.items() if not isinstance(v, list | dict)}


def _pages(collection: str, items: Sequence[dict[str, Any]], per_page: int) -> dict[str, bytes]:
    total_pages = max(1, math.ceil(len(items) / per_page))
    out = {}
    for n in range(1, total_pages + 1):
        contents = items[(n - 1) * per_page : n * per_page]
        page = {
            "total_items": len(items),
            "total_pages": total_pages,
            "page_number": n,
            "size": len(contents),
            "first_page": n == 1,
            "last_page": n == total_pages,
            "empty": not items,
            "contents": contents,
        }
        out[f"{collection}/pages/{n}.json"] = _json(page)
    return out


def publication(
    providers: Iterable[Provider], tax: Taxonomy | None = None, per_page: int = PER_PAGE
) -> dict[str, bytes]:
    """Every file of the static API (path -> bytes), without the manifest."""
    rows = export_rows(providers, tax)
    services = sorted(nested_services(rows), key=lambda s: (s["name"].casefold(), s["id"]))
    objects: dict[str, list[dict[str, Any]]] = {"services": services}
    for collection, table in _ROWS.items():
        objects[collection] = sorted(
            (present(r) for r in rows[table]), key=lambda r: (str(r["name"]).casefold(), r["id"])
        )
    for org in objects["organizations"]:  # as /organizations/{id}: its services by id
        org["services"] = [
            {"id": s["id"], "name": s["name"]}
            for s in services
            if s.get("organization_id") == org["id"]
        ]
    files = {
        "index.json": _json(
            {
                "version": HSDS_VERSION,
                "profile": PROFILE,
                "openapi_url": OPENAPI,
                "referral_cli": {"layout": LAYOUT, "per_page": per_page},
            }
        ),
        "services.ndjson": "".join(
            json.dumps(s, ensure_ascii=False) + "\n" for s in services
        ).encode("utf-8"),
    }
    for collection, items in objects.items():
        files.update(_pages(collection, [_one_to_one(i) for i in items], per_page))
        files.update({f"{collection}/{i['id']}.json": _json(i) for i in items})
    return files


@dataclass(frozen=True)
class Written:
    written: list[str]
    unchanged: list[str]
    removed: list[str]


def _manifest(files: Mapping[str, bytes]) -> bytes:
    return _json(
        {
            "written_by": "referral publish",
            "files": {name: hashlib.sha256(files[name]).hexdigest() for name in sorted(files)},
        }
    )


def _earlier(out: Path) -> list[str] | None:
    """The files an earlier publication into ``out`` wrote (``None``: none did)."""
    try:
        doc = json.loads((out / MANIFEST).read_text("utf-8"))
        names = list(doc["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return [n for n in names if isinstance(n, str)]


def _inside(out: Path, name: str) -> Path:
    """``out / name``, refusing a name that would lead outside ``out``."""
    target = (out / name).resolve()
    if not target.is_relative_to(out.resolve()) or target == out.resolve():
        raise ReferralError(f"{out / MANIFEST} names a file outside {out}; remove it and retry")
    return target


def write_publication(out: Path, files: Mapping[str, bytes], force: bool = False) -> Written:
    """Bring ``out`` to ``files``: write the changed and new files, leave the same
    bytes untouched, remove what an earlier publication wrote and this one does not."""
    if out.exists() and not out.is_dir():
        raise ReferralError(f"{out} is a file; give a folder for the publication")
    earlier = _earlier(out) if out.is_dir() else None
    if out.is_dir() and earlier is None and any(out.iterdir()) and not force:
        raise ReferralError(
            f"{out} is not empty and holds no earlier publication; give an empty or new"
            " folder, or pass --force to publish into it"
        )
    out.mkdir(parents=True, exist_ok=True)
    done = Written([], [], [])
    for name in sorted(files):
        target = _inside(out, name)
        try:
            same = target.is_file() and target.read_bytes() == files[name]
        except OSError:
            same = False
        if same:
            done.unchanged.append(name)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, files[name], force=True)
        done.written.append(name)
    for name in earlier or []:
        if name not in files and name != MANIFEST:
            target = _inside(out, name)
            if target.is_file():
                target.unlink()
                done.removed.append(name)
                _remove_empty_parents(target.parent, out)
    manifest = _manifest(files)
    if not (out / MANIFEST).is_file() or (out / MANIFEST).read_bytes() != manifest:
        write_atomic(out / MANIFEST, manifest, force=True)
    return done


def _remove_empty_parents(folder: Path, out: Path) -> None:
    while folder.resolve() != out.resolve() and not any(folder.iterdir()):
        os.rmdir(folder)
        folder = folder.parent
