"""The index never serves stale data, and re-reads only changed files."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from conftest import directory_yaml, provider_yaml, write

from referral_cli import directory, index, parse
from referral_cli.facets import facets_of
from referral_cli.model import Provider


def names(path: Path) -> list[str]:
    return sorted(p.name for p in directory.load(path).providers)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file that is really parsed (not served from the index)."""
    seen: list[str] = []
    real = parse.parse_bytes

    def spy(data: bytes, shown: str):  # type: ignore[no-untyped-def]
        seen.append(Path(shown).name)
        return real(data, shown)

    monkeypatch.setattr(parse, "parse_bytes", spy)
    return seen


def make_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dir"
    write(folder / "a.yaml", directory_yaml(provider_yaml(id="a-one", name="Alpha")))
    write(folder / "b.yaml", directory_yaml(provider_yaml(id="b-one", name="Bravo", lat=37.0)))
    return folder


def test_warm_load_parses_nothing(tmp_path, parses) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path)
    assert names(folder) == ["Alpha", "Bravo"]
    assert sorted(parses) == ["a.yaml", "b.yaml"]
    parses.clear()
    assert names(folder) == ["Alpha", "Bravo"]
    assert parses == []


def test_content_change_of_same_size_and_mtime_is_seen(tmp_path, parses) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path)
    names(folder)
    path = folder / "a.yaml"
    st = path.stat()
    path.write_text(path.read_text("utf-8").replace("Alpha", "Alpho"), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime
    parses.clear()
    assert names(folder) == ["Alpho", "Bravo"]
    assert parses == ["a.yaml"]  # only the changed file is read again


def test_added_removed_and_renamed_files_are_seen(tmp_path, parses) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path)
    names(folder)
    write(folder / "c.yml", directory_yaml(provider_yaml(id="c-one", name="Charlie", lat=38.0)))
    assert names(folder) == ["Alpha", "Bravo", "Charlie"]
    (folder / "b.yaml").unlink()
    assert names(folder) == ["Alpha", "Charlie"]
    (folder / "c.yml").rename(folder / "sub.yaml")
    parses.clear()
    loaded = directory.load(folder)
    assert sorted(p.name for p in loaded.providers) == ["Alpha", "Charlie"]
    assert any(p.source.path.endswith("sub.yaml") for p in loaded.providers)
    assert parses == ["sub.yaml"]


def test_corrupt_entries_are_rebuilt(tmp_path) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path)
    names(folder)
    entries = list((Path(os.environ["REFERRAL_CACHE_DIR"]) / "index").iterdir())
    assert len(entries) == 2
    entries[0].write_bytes(b"\x80\x04garbage")
    entries[1].write_bytes(b"")
    assert names(folder) == ["Alpha", "Bravo"]


def test_unwritable_cache_never_fails_a_command(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    monkeypatch.setenv("REFERRAL_CACHE_DIR", str(blocker))
    assert names(make_folder(tmp_path)) == ["Alpha", "Bravo"]


def test_cache_can_be_disabled(tmp_path, monkeypatch, parses) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("REFERRAL_NO_CACHE", "1")
    folder = make_folder(tmp_path)
    names(folder)
    names(folder)
    assert len(parses) == 4
    assert not index.enabled()


def test_errors_are_cached_too(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = write(tmp_path / "bad.yaml", "providers:\n  - id: x\n")
    first = directory.load(bad)
    second = directory.load(bad)
    assert [str(d) for d in first.diagnostics] == [str(d) for d in second.diagnostics]
    assert first.errors


# --- facets: what the index precomputes gives what walking the providers gives ---

EXTRA = """\
providers:
  - id: national-line
    name: National Line
    services: [hotline, counseling]
    hotline: "+1 800-555-0199"
    service_area: {countries: [US], remote: true}
    last_verified: 2026-01-01
  - id: texas-line
    name: Texas Line
    services: [legal-aid]
    eligibility: {ages: [null, 17]}
    hotline: "+1 800-555-0198"
    service_area: {regions: [US-TX], remote: true}
    last_verified: 2026-01-01
  - id: town-only
    name: Town Only
    services: [counseling, medical, counseling]
    areas: [restoration]
    phone: "+1 559-555-0111"
    address: {city: Visalia, region: CA, country: US}
    confidential: true
    last_verified: 2026-01-01
  - id: orange-tx
    name: Orange TX
    services: [medical, temporary-shelter]
    eligibility: {ages: [18, null], genders: [female]}
    phone: "+1 559-555-0113"
    address: {city: Orange, county: Orange County, region: TX, country: US}
    location: {lat: 30.1, lon: -93.7}
    last_verified: 2026-01-01
  - id: no-county
    name: No County
    services: [dental, temporary-shelter]
    phone: "+1 559-555-0115"
    address: {country: US}
    location: {lat: 33.8, lon: -117.8}
    last_verified: 2026-01-01
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The sample directory and some more, in two files (facets are combined)."""
    root = tmp_path / "facets"
    write(root / "a-sample.yaml", directory.sample_path().read_text("utf-8"))
    write(root / "b-extra.yaml", EXTRA)
    return root


def loaded(path: Path) -> list[Provider]:
    providers = directory.load(path).providers
    assert facets_of(providers) is not None
    return providers


QUERIES = [
    "temporary shelter for minors near Fresno",
    "legal help for farmworkers",
    "counseling medical",
    "shelter for women in Texas",
    "hotline",
    "counseling near Visalia in Spanish",
]


@pytest.mark.parametrize("warm", [False, True])
def test_search_with_facets_equals_a_walk(folder, warm) -> None:  # type: ignore[no-untyped-def]
    from referral_cli import geo
    from referral_cli.query import parse
    from referral_cli.search import Origin, search
    from referral_cli.taxonomy import load

    if warm:
        directory.load(folder)
    providers = loaded(folder)
    tax = load()
    fresno = geo.resolve("Fresno", prefer_countries=("US",)).place
    origin = Origin(fresno.label, fresno.lat, fresno.lon, fresno.country, fresno.region)
    queries = [parse(text, tax) for text in QUERIES]
    queries.append(replace(parse("counseling", tax), areas=["restoration"]))
    queries.append(replace(parse("", tax), areas=["restoration"]))
    for q in queries:
        for where in (None, origin):
            fast = search(providers, q, origin=where, radius_km=50, limit=100)
            walked = search(list(providers), q, origin=where, radius_km=50, limit=100)
            assert fast.as_dict() == walked.as_dict(), q


OPTIONS = [
    {},
    {"by": "city"},
    {"by": "region"},
    {"by": "country"},
    {"population": "minors"},
    {"population": "women", "by": "city"},
    {"detail": "services"},
    {"framework": "sos"},
    {"framework": "prr", "detail": "services", "by": "region"},
    {"area": "restoration"},
    {"population": "lgbtq", "by": "country", "detail": "services"},
]


def matrix_facts(m: Any) -> Any:
    return (m.as_dict(), m.csv_rows(), m.reach, m.counted, m.remote_services, m.critical)


@pytest.mark.parametrize(
    "options", OPTIONS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items())
)
def test_coverage_with_facets_equals_a_walk(folder, options) -> None:  # type: ignore[no-untyped-def]
    from referral_cli.coverage.count import count

    directory.load(folder)  # written, then read from the index
    providers = loaded(folder)
    fast = count(providers, **options)
    walked = count(list(providers), **options)
    assert matrix_facts(fast) == matrix_facts(walked)
    assert fast.counted > 0


def test_coverage_with_repeated_ids_counts_each_id_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from referral_cli.coverage.count import count

    write(tmp_path / "d" / "a.yaml", EXTRA)
    write(tmp_path / "d" / "b.yaml", EXTRA.replace("Visalia", "Fresno"))
    directory.load(tmp_path / "d")
    loaded_twice = directory.load(tmp_path / "d")  # from the index
    assert loaded_twice.errors  # the ids repeat
    providers = loaded_twice.providers
    # served once each: the copies in b.yaml are left out, and said to be
    assert len({p.id for p in providers}) == len(providers) > 0
    assert {p.source.path for p in providers} == {str(tmp_path / "d" / "a.yaml")}
    assert [part.path for part in loaded_twice.left_out] == [str(tmp_path / "d" / "b.yaml")]
    for options in OPTIONS:
        fast = count(providers, **options)
        walked = count(list(providers), **options)
        assert matrix_facts(fast) == matrix_facts(walked)


def test_facets_are_dropped_once_the_list_changes(folder) -> None:  # type: ignore[no-untyped-def]
    providers = loaded(folder)
    providers.reverse()
    assert facets_of(providers) is None
    providers.reverse()
    assert facets_of(providers) is not None
    providers.append(providers[0])
    assert facets_of(providers) is None
    providers.pop()
    providers[3] = providers[4]
    assert facets_of(providers) is None
    assert facets_of(list(loaded(folder))) is None


def test_countries_from_facets_equal_a_count(folder) -> None:  # type: ignore[no-untyped-def]
    loaded_dir = directory.load(folder)
    walked = directory.Directory(
        loaded_dir.location, "--data", list(loaded_dir.providers), [], loaded_dir.files
    )
    assert loaded_dir.countries == walked.countries
    assert loaded_dir.countries[0] == "US"


@pytest.mark.parametrize("where", ["one file", "two files"])
def test_repeated_ids_are_found_from_the_index_too(tmp_path, where) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "d"
    if where == "one file":
        write(folder / "a.yaml", directory_yaml(provider_yaml(id="x"), provider_yaml(id="x")))
    else:
        write(folder / "a.yaml", directory_yaml(provider_yaml(id="x")))
        write(folder / "b.yaml", directory_yaml(provider_yaml(id="y"), provider_yaml(id="x")))
    write(folder / "c.yaml", directory_yaml(provider_yaml(id="z")))
    first = [str(d) for d in directory.load(folder).diagnostics]
    again = directory.load(folder)
    assert [str(d) for d in again.diagnostics] == first
    assert [d.code for d in again.errors] == ["duplicate-id"]
    served = sorted(p.id for p in again.providers)  # the second x left out
    assert served == (["x", "z"] if where == "one file" else ["x", "y", "z"])
    (x,) = [p for p in again.providers if p.id == "x"]
    assert x.source.path.endswith("a.yaml") and x.source.line == 2


def test_copies_of_a_loaded_directory_hold_the_providers_only(folder) -> None:  # type: ignore[no-untyped-def]
    import copy
    import pickle

    first = directory.load(folder)
    again = directory.load(folder)  # from the index: providers read lazily, facets
    for copied in (
        copy.copy(again.providers),
        copy.deepcopy(again.providers),
        pickle.loads(pickle.dumps(again.providers)),
    ):
        assert copied == first.providers
        assert facets_of(copied) is None
    assert copy.deepcopy(again).providers == first.providers
