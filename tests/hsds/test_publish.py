"""``referral publish``: the static HSDS 3.0 API against the official schemas (from
../shared/hsds3, skipped when absent), byte-identical and incremental, served on
loopback and imported back with no difference."""

from __future__ import annotations

import json
import os
import shutil
import threading
import urllib.parse
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import directory_yaml, provider_yaml, write

from referral_cli.directory import load, sample_path
from referral_cli.hsds.export import new_id
from referral_cli.hsds.publish import MANIFEST

from .helpers import run

HSDS3 = Path(
    os.environ.get("REFERRAL_HSDS3", Path(__file__).resolve().parents[3] / "shared" / "hsds3")
)
needs_hsds3 = pytest.mark.skipif(
    not (HSDS3 / "schema" / "openapi.json").exists(),
    reason="official HSDS 3.0 schemas not present in ../shared/hsds3",
)


def _publish(out: Path, *extra: str, data: Path | None = None) -> Any:
    result = run("publish", str(out), "--data", str(data or sample_path()), *extra)
    assert result.exit_code == 0, result.output
    return result


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("published") / "api"
    _publish(out)
    return out


# --- the official schemas ------------------------------------------------------------


def _validators() -> dict[str, Any]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    schemas = {p.name: json.loads(p.read_text("utf-8")) for p in (HSDS3 / "schema").glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(s, default_specification=DRAFT202012))
        for name, s in schemas.items()
    )

    def make(schema: Any) -> Any:
        return Draft202012Validator(
            schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )

    openapi = schemas["openapi.json"]
    root = openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    page = dict(openapi["components"]["schemas"]["Page"])
    page["required"] = list(page["properties"])  # every pagination field is written
    out = {name: make(schemas[f"{name}.json"]) for name in ("service", "organization")}
    out |= {"taxonomy": make(schemas["taxonomy.json"]), "index": make(root["schema"])}
    out["taxonomy_term"] = make(schemas["taxonomy_term.json"])
    out["page"] = make(page)
    return out


COLLECTION_SCHEMA = {
    "services": "service",
    "organizations": "organization",
    "taxonomies": "taxonomy",
    "taxonomy_terms": "taxonomy_term",
}


def _schema_errors(folder: Path) -> list[str]:
    v = _validators()
    errors = [
        f"index.json: {e.message}" for e in v["index"].iter_errors(_load(folder / "index.json"))
    ]
    for collection, name in COLLECTION_SCHEMA.items():
        pages = sorted((folder / collection / "pages").glob("*.json"))
        assert pages, collection
        for page_file in pages:
            page = _load(page_file)
            errors += [f"{page_file.name}: {e.message}" for e in v["page"].iter_errors(page)]
            for entry in page["contents"]:
                errors += [f"{collection} entry: {e.message}" for e in v[name].iter_errors(entry)]
        for item in (folder / collection).glob("*.json"):
            errors += [f"{item.name}: {e.message}" for e in v[name].iter_errors(_load(item))]
    for line in (folder / "services.ndjson").read_text("utf-8").splitlines():
        errors += [f"ndjson: {e.message}" for e in v["service"].iter_errors(json.loads(line))]
    return errors


def _load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


@needs_hsds3
def test_the_publication_passes_the_official_schemas(published: Path, tmp_path: Path) -> None:
    pytest.importorskip("jsonschema")
    assert _schema_errors(published) == []
    index = _load(published / "index.json")
    assert index["version"] == "3.0" and index["openapi_url"].endswith("openapi.json")
    first = _load(published / "services" / "pages" / "1.json")
    providers = load(sample_path(), use_cache=False).providers
    assert first["total_items"] == len(providers) and first["first_page"] is True
    assert first["size"] == len(first["contents"]) == 50 and first["last_page"] is False
    last = _load(published / "services" / "pages" / f"{first['total_pages']}.json")
    assert last["last_page"] is True and last["size"] == len(providers) - 50
    entry = first["contents"][0]
    assert not any(isinstance(v, list | dict) for v in entry.values())  # one-to-one fields
    full = _load(published / "services" / f"{entry['id']}.json")
    assert full["phones"] and full["organization"]["id"] == entry["organization_id"]
    ndjson = (published / "services.ndjson").read_text("utf-8").splitlines()
    assert len(ndjson) == len(providers)
    # the check can fail: a service without its status, a page without its fields
    broken = tmp_path / "broken"
    shutil.copytree(published, broken)
    item = broken / "services" / f"{entry['id']}.json"
    item.write_text(json.dumps({k: v for k, v in full.items() if k != "status"}), "utf-8")
    page_file = broken / "organizations" / "pages" / "1.json"
    page = _load(page_file)
    page["page_number"] = "one"
    page_file.write_text(json.dumps(page), "utf-8")
    errors = _schema_errors(broken)
    assert any("'status' is a required property" in e for e in errors), errors
    assert any("'one' is not of type 'integer'" in e for e in errors), errors


# --- deterministic and incremental --------------------------------------------------


def test_the_same_directory_gives_byte_identical_files(published: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    _publish(again)
    assert _tree(again) == _tree(published)
    assert MANIFEST in _tree(again)


def test_an_organization_lists_its_services(published: Path) -> None:
    services = [json.loads(line) for line in (published / "services.ndjson").open(encoding="utf-8")]
    for path in (published / "organizations").glob("*.json"):
        org = _load(path)
        mine = [
            {"id": s["id"], "name": s["name"]}
            for s in services
            if s["organization_id"] == org["id"]
        ]
        assert org["services"] == mine and mine, path.name
    listed = _load(published / "organizations" / "pages" / "1.json")["contents"]
    assert listed and all("services" not in entry for entry in listed)


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_only_changed_files_are_rewritten(published: Path, tmp_path: Path) -> None:
    data = tmp_path / "d.yaml"
    shutil.copy(sample_path(), data)
    out = tmp_path / "api"
    shutil.copytree(published, out)  # the sample's publication, as written by the command
    first = _stamps(out)
    result = _publish(out, data=data)
    assert "0 files written" in result.stderr
    assert _stamps(out) == first  # nothing touched: same inode, same mtime

    text = data.read_text("utf-8")
    doc = yaml.safe_load(text)
    changed, gone = doc["providers"][3]["id"], doc["providers"][5]["id"]
    doc["providers"][3]["intake"] = "Call first; walk-ins on Fridays."
    del doc["providers"][5]
    data.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), "utf-8")
    result = _publish(out, data=data)
    now = _stamps(out)
    rewritten = {name for name in now if now[name] != first.get(name)}
    sid, gone_sid = new_id("service", changed), new_id("service", gone)
    assert f"services/{sid}.json" in rewritten and "services.ndjson" in rewritten
    assert f"services/{gone_sid}.json" not in now  # removed with its provider
    assert " removed" in result.stderr  # its service, and its organisation when it had its own
    untouched = [n for n in first if n.startswith("services/") and "pages" not in n]
    untouched = [n for n in untouched if sid not in n and gone_sid not in n]
    assert untouched and all(now[n] == first[n] for n in untouched)
    # the service, the pages that list it, the dump, the manifest, the pages of organisations
    assert len(rewritten) <= 7, sorted(rewritten)


def test_a_folder_of_other_files_needs_force(tmp_path: Path) -> None:
    data = write(tmp_path / "d.yaml", directory_yaml(provider_yaml()))
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine", "utf-8")
    result = run("publish", str(out), "--data", str(data))
    assert result.exit_code == 1 and "pass --force" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    _publish(out, "--force", data=data)
    assert (out / "notes.txt").read_text("utf-8") == "mine" and (out / "index.json").exists()


# --- served on loopback and read back ---------------------------------------------


class _Quiet(SimpleHTTPRequestHandler):
    asked: list[tuple[str, str]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        _Quiet.asked.append((self.path, self.headers.get("User-Agent", "")))
        super().do_GET()


@pytest.fixture
def served(published: Path) -> Iterator[str]:
    _Quiet.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(published)))
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def _public(path: Path) -> dict[str, dict[str, Any]]:
    return {p.id: p.public_dict() for p in load(path, use_cache=False).providers}


def test_served_on_loopback_and_imported_back_with_no_difference(
    served: str, tmp_path: Path
) -> None:
    back = tmp_path / "back.yaml"
    result = run("import-hsds", served, "--online", "-o", str(back))
    assert result.exit_code == 0, result.output
    before, after = _public(sample_path()), _public(back)
    assert set(after) == set(before)
    for pid, record in after.items():
        if record["confidential"] and "placed" not in before[pid] and "placed" in record:
            # its point never leaves, so it is placed from its town again: derived
            assert record.pop("placed")["from"] in ("city", "county")
    assert after == before
    # only the API's own paths were asked for, with the fixed User-Agent
    paths = [p for p, _ in _Quiet.asked]
    assert paths[0] == "/index.json" and "/services/pages/1.json" in paths
    assert all(p.startswith(("/index.json", "/services/")) and "?" not in p for p in paths)
    assert {ua for _, ua in _Quiet.asked} == {ua for _, ua in _Quiet.asked[:1]}
    assert _Quiet.asked[0][1].startswith("referral-cli/")


def test_check_publication_reads_an_api_on_loopback(served: str) -> None:
    result = run("check-publication", served, "--online", "--data", str(sample_path()))
    assert result.exit_code == 0, result.output
    assert "no street, postal code or coordinates of theirs found" in result.stderr
    assert "/services/pages/2.json" in {p for p, _ in _Quiet.asked}


def test_since_brings_only_what_changed(served: str, tmp_path: Path) -> None:
    providers = load(sample_path(), use_cache=False).providers
    since = "2026-09-01"
    fresh = {p.id for p in providers if p.last_verified and p.last_verified.isoformat() >= since}
    assert 0 < len(fresh) < len(providers)
    back = tmp_path / "since.yaml"
    result = run("import-hsds", served, "--online", "--since", since, "-o", str(back))
    assert result.exit_code == 0, result.output
    assert set(_public(back)) == fresh
    fetched = {p for p, _ in _Quiet.asked if "pages" not in p and p != "/index.json"}
    assert fetched == {f"/services/{new_id('service', i)}.json" for i in fresh}
    later = tmp_path / "later.yaml"
    result = run("import-hsds", served, "--online", "--since", "2099-01-01", "-o", str(later))
    assert result.exit_code == 0 and "nothing written" in result.stderr
    assert not later.exists()


class _LiveApi(_Quiet):
    """A live HSDS API over the published files: /services?page=N, /services/{id}."""

    def translate_path(self, path: str) -> str:
        parts = urllib.parse.urlsplit(path)
        query = urllib.parse.parse_qs(parts.query)
        if parts.path == "/services":
            path = f"/services/pages/{query.get('page', ['1'])[0]}.json"
        elif parts.path.startswith("/services/"):
            path = parts.path + ".json"
        else:
            path = "/no-such-file"  # no index.json: not a static publication
        return super().translate_path(path)


def test_a_live_api_is_paged_through_services(published: Path, tmp_path: Path) -> None:
    _Quiet.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_LiveApi, directory=str(published)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        back = tmp_path / "live.yaml"
        result = run("import-hsds", base, "--online", "--since", "2026-09-01", "-o", str(back))
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
    assert result.exit_code == 0, result.output
    paths = [p for p, _ in _Quiet.asked]
    assert paths[:3] == [
        "/index.json",
        "/services?page=1&per_page=100&modified_after=2026-09-01T00%3A00%3A00Z",
        "/services?page=2&per_page=100&modified_after=2026-09-01T00%3A00%3A00Z",
    ]
    providers = load(sample_path(), use_cache=False).providers
    fresh = {p.id for p in providers if p.last_verified and str(p.last_verified) >= "2026-09-01"}
    assert set(_public(back)) == fresh
    assert set(paths[3:]) == {f"/services/{new_id('service', i)}" for i in fresh}


def test_a_network_address_needs_online(tmp_path: Path) -> None:
    for args in (
        ["import-hsds", "http://127.0.0.1:9/", "-o", str(tmp_path / "x.yaml")],
        ["check-publication", "http://127.0.0.1:9/", "--data", str(sample_path())],
    ):
        result = run(*args)
        assert result.exit_code == 2 and "pass --online" in result.stderr, result.output
    result = run("import-hsds", "folder/", "--since", "2026-01-01", "-o", str(tmp_path / "y.yaml"))
    assert result.exit_code == 2 and "--since goes with" in result.stderr


def test_a_layout_may_not_lead_outside_the_api(tmp_path: Path) -> None:
    from referral_cli.errors import ReferralError
    from referral_cli.hsds.api_client import Client

    client = Client("http://127.0.0.1:9/api/")
    for path in ("../secret/{page}.json", "http://elsewhere.example/x.json", "/etc/passwd"):
        with pytest.raises(ReferralError, match="outside its address"):
            client.url(path)
    with pytest.raises(ReferralError, match="http:// or https://"):
        Client("file:///etc/")
