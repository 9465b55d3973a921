"""The index never serves stale data, and re-reads only changed files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import directory_yaml, provider_yaml, write

from referral_cli import directory, index, parse


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
