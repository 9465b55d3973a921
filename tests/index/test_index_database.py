"""The index's database never serves stale data, re-reads only changed files, and
is rebuilt silently when damaged, wherever and however its files are named."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import directory_yaml, invoke, provider_yaml, write
from typer.testing import CliRunner

from referral_cli import cachefile, directory
from referral_cli.index import database, filing, parsing


def names(path: Path) -> list[str]:
    return sorted(p.name for p in directory.load(path).providers)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records every file that is really parsed (not served from the index)."""
    seen: list[str] = []
    real = parsing.parse_bytes

    def spy(data: bytes, shown: str):  # type: ignore[no-untyped-def]
        seen.append(Path(shown).name)
        return real(data, shown)

    monkeypatch.setattr(parsing, "parse_bytes", spy)
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


@pytest.mark.parametrize(
    "garbage", [b"\x80\x04garbage", b"", b"SQLite format 3\x00" + b"\xff" * 200]
)
def test_corrupt_databases_are_rebuilt(tmp_path, garbage) -> None:  # type: ignore[no-untyped-def]
    folder = make_folder(tmp_path)
    names(folder)
    db = Path(os.environ["REFERRAL_CACHE_DIR"]) / "index" / database.DATABASE
    assert db.exists()
    for companion in db.parent.iterdir():
        companion.unlink()
    db.write_bytes(garbage)
    db.chmod(0o600)
    assert names(folder) == ["Alpha", "Bravo"]
    assert names(folder) == ["Alpha", "Bravo"]


def test_unwritable_cache_never_fails_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    assert not database.enabled()


def test_errors_are_cached_too(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", "providers:\n  - id: x\n")
    first = directory.load(bad)
    second = directory.load(bad)
    assert [str(d) for d in first.diagnostics] == [str(d) for d in second.diagnostics]
    assert first.errors


def test_spelling_and_working_folder_never_rebuild(tmp_path, monkeypatch, parses) -> None:  # type: ignore[no-untyped-def]
    """Entries are keyed by the resolved file: ``--data`` spelt relative, absolute or
    through a link, from two working folders, reads the file once."""
    folder = make_folder(tmp_path)
    (tmp_path / "link").symlink_to(folder)
    (tmp_path / "elsewhere").mkdir()
    directory.load(folder)
    parses.clear()
    for cwd, spelling in (
        (tmp_path, Path("dir")),
        (tmp_path / "elsewhere", Path("../dir")),
        (tmp_path, folder.absolute()),
        (tmp_path / "elsewhere", tmp_path / "link"),
        (tmp_path, Path("dir")),
    ):
        monkeypatch.chdir(cwd)
        loaded = directory.load(spelling)
        assert sorted(p.name for p in loaded.providers) == ["Alpha", "Bravo"]
        shown = {p.source.path for p in loaded.providers}  # as the working folder sees it
        assert shown == set(loaded.files), (shown, loaded.files)
    assert parses == []


def test_a_damaged_database_is_rebuilt_silently(runner: CliRunner, tmp_path: Path) -> None:
    path = write(
        tmp_path / "dir.yaml",
        directory_yaml(provider_yaml(id="a-one", name="Alpha"), provider_yaml(id="b-two")),
    )
    assert invoke(runner, "show", "a-one", "--data", str(path)).exit_code == 0
    db = Path(os.environ["REFERRAL_CACHE_DIR"]) / "index" / database.DATABASE
    with sqlite3.connect(db) as con:  # a row changed under the program's feet
        con.execute("UPDATE blobs SET data = substr(data, 1, 20) || x'00' || substr(data, 22)")
    con.close()
    again = invoke(runner, "show", "a-one", "--data", str(path))
    assert again.exit_code == 0 and "Alpha" in again.stdout, again.stderr
    for table in ("facts", "blobs"):  # what a search reads: its shared values, its results
        with sqlite3.connect(db) as con:
            con.execute(f"UPDATE {table} SET data = x'00'")
        con.close()
        found = invoke(runner, "find", "Alpha", "--data", str(path), "-f", "json")
        assert found.exit_code == 0, found.stderr
        assert [r["id"] for r in json.loads(found.stdout)["results"]] == ["a-one"], table
    db.write_bytes(b"not a database at all" * 100)
    third = invoke(runner, "show", "a-one", "--data", str(path))
    assert third.exit_code == 0 and "Alpha" in third.stdout and "Traceback" not in third.stderr


def test_neighbours_get_neighbouring_rowids_and_file_order_is_kept(tmp_path: Path) -> None:
    """Rowids follow locality (a search around a place reads few pages); every
    listing still follows the file."""
    towns = [(36.74, -119.79), (25.76, -80.19)] * 3  # Fresno, Miami, Fresno, ...
    path = write(
        tmp_path / "dir.yaml",
        directory_yaml(
            *(
                provider_yaml(id=f"p{i}", name=f"P{i}", lat=lat + i / 1000, lon=lon)
                for i, (lat, lon) in enumerate(towns)
            )
        ),
    )
    assert [p.id for p in directory.load(path).providers] == [f"p{i}" for i in range(6)]
    db = Path(os.environ["REFERRAL_CACHE_DIR"]) / "index" / database.DATABASE
    with sqlite3.connect(db) as con:
        rowids = dict(con.execute("SELECT id, rowid FROM providers"))
    con.close()
    fresno = sorted(rowids[f"p{i}"] for i in (0, 2, 4))
    miami = sorted(rowids[f"p{i}"] for i in (1, 3, 5))
    assert fresno == list(range(fresno[0], fresno[0] + 3)), rowids
    assert miami == list(range(miami[0], miami[0] + 3)), rowids


def test_the_next_batch_is_parsed_while_one_is_filed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With files parsed in batches by a pool of workers, the next batch is
    started before the one before it is filed, and the directory is the same as
    parsed in one process, file by file."""
    folder = tmp_path / "dir"
    for k in range(4):
        people = [
            provider_yaml(id=f"f{k}-p{i}", name=f"Place {k} {i}", lat=36.0 + i / 10)
            for i in range(30)
        ]
        write(folder / f"f{k}.yaml", directory_yaml(*people))
    monkeypatch.setenv("REFERRAL_NO_CACHE", "1")
    alone = [(p.id, str(p.source)) for p in directory.load(folder).providers]

    events: list[str] = []
    real_start, real_store = parsing.Parsing.start, filing.store

    def start(self: parsing.Parsing, paths, shown):  # type: ignore[no-untyped-def]
        events.append("start " + ",".join(Path(s).name for s in shown))
        return real_start(self, paths, shown)

    def store(db, resolved, shown, *rest):  # type: ignore[no-untyped-def]
        events.append("store " + Path(shown).name)
        return real_store(db, resolved, shown, *rest)

    monkeypatch.setattr(parsing.Parsing, "start", start)
    monkeypatch.setattr(filing, "store", store)  # the build imports it when it files
    monkeypatch.setattr(database, "BATCH_BYTES", 1)  # a batch a file
    monkeypatch.setattr(parsing, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parsing, "PIECE_BYTES", 1500)  # each file in pieces
    monkeypatch.setattr(parsing, "_workers", lambda: 2)
    pooled = [(p.id, str(p.source)) for p in directory.load(folder).providers]
    assert pooled == alone and len(pooled) == 120
    assert events == [
        "start f0.yaml",
        "start f1.yaml",
        "store f0.yaml",
        "start f2.yaml",
        "store f1.yaml",
        "start f3.yaml",
        "store f2.yaml",
        "store f3.yaml",
    ]


def test_a_warm_folder_opens_with_one_query_and_one_stat_per_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening the index of a folder reads every file's entry in one query and
    looks at each file once, however many files there are (a linked file is
    followed to its target: more than one look)."""
    folder = tmp_path / "dir" / "sub"
    for i in range(12):
        write(folder / f"f{i:02}.yaml", directory_yaml(provider_yaml(id=f"p-{i}", name=f"P {i}")))
    # a link inside the data folder (one out of it is never followed)
    target = write(
        tmp_path / "dir" / ".kept" / "elsewhere.yaml", directory_yaml(provider_yaml(id="linked"))
    )
    (folder / "link.yaml").symlink_to(target)
    first = directory.load(tmp_path / "dir")
    assert len(first) == 13
    statements: list[str] = []
    opened = database._opened

    def traced(path):  # type: ignore[no-untyped-def]
        db = opened(path)
        db.set_trace_callback(statements.append)
        return db

    looked: list[str] = []
    for name in ("stat", "lstat"):
        real = getattr(os, name)

        def spy(path, *args, _real=real, **kwargs):  # type: ignore[no-untyped-def]
            if str(path).endswith(".yaml"):
                looked.append(Path(path).name)
            return _real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, spy)
    monkeypatch.setattr(database, "_opened", traced)
    again = directory.load(tmp_path / "dir")
    assert [p.id for p in again.providers] == [p.id for p in first.providers]
    assert len([s for s in statements if "FROM files WHERE path" in s]) == 1
    plain = sorted(n for n in looked if n.startswith("f"))
    assert plain == [f"f{i:02}.yaml" for i in range(12)]  # once each
    assert "link.yaml" in looked


def test_the_code_digest_covers_every_subpackage(tmp_path: Path) -> None:
    """The index is stale when any code that files it changes, in whichever
    package the module lives (records/codec.py is the stored layout)."""
    tree = tmp_path / "pkg"
    write(tree / "top.py", "A = 1\n")
    write(tree / "records" / "codec.py", "LAYOUT = 1\n")
    write(tree / "data" / "t.yaml", "x: 1\n")
    first = cachefile.tree_digest(tree)
    (tree / "records" / "codec.py").write_text("LAYOUT = 2\n", "utf-8")
    second = cachefile.tree_digest(tree)
    (tree / "data" / "t.yaml").write_text("x: 2\n", "utf-8")
    assert len({first, second, cachefile.tree_digest(tree)}) == 3
    (tree / "records" / "codec.py").rename(tree / "codec.py")  # moved: another layout
    assert cachefile.tree_digest(tree) != first
    package = Path(cachefile.__file__).parent
    assert cachefile.code_digest() == cachefile.tree_digest(package)
    assert (package / "records" / "codec.py").is_file()


def _aged(tree: Path, seconds: float = 60.0) -> None:
    """Every file under ``tree`` made older than the racy window."""
    then = os.stat(tree).st_mtime - seconds
    for path in tree.rglob("*"):
        os.utime(path, (then, then))


def _memos() -> list[Path]:
    return list((Path(os.environ["REFERRAL_CACHE_DIR"]) / "code").iterdir())


def test_the_remembered_code_digest_is_the_trees_and_notices_a_changed_module(
    tmp_path: Path,
) -> None:
    """The digest read from the memo is the tree's; a module changed since, even to
    one of the same size, makes it the new tree's digest (an editable install)."""
    tree = tmp_path / "pkg"
    write(tree / "top.py", "A = 1\n")
    write(tree / "records" / "codec.py", "LAYOUT = 1\n")
    _aged(tree)
    first = cachefile.remembered_digest(tree)
    assert first == cachefile.tree_digest(tree)
    assert len(_memos()) == 1  # remembered: the files are older than the racy window
    assert cachefile.remembered_digest(tree) == first
    (tree / "records" / "codec.py").write_text("LAYOUT = 2\n", "utf-8")  # same size
    second = cachefile.remembered_digest(tree)
    assert second == cachefile.tree_digest(tree) != first
    (tree / "records" / "codec.py").write_text("LAYOUT = 3\n", "utf-8")  # within a tick
    assert cachefile.remembered_digest(tree) == cachefile.tree_digest(tree) != second


def test_a_code_digest_of_fresh_files_is_not_remembered(tmp_path: Path) -> None:
    """A file changed within the racy window could change again keeping its size and
    times: no memo is written until every file is older, so none can be trusted wrongly."""
    tree = tmp_path / "pkg"
    write(tree / "top.py", "A = 1\n")
    cachefile.remembered_digest(tree)
    assert not _memos()
    _aged(tree)
    cachefile.remembered_digest(tree)
    assert len(_memos()) == 1


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
def test_the_code_digest_memo_is_private_and_one_anybody_could_write_is_ignored(
    tmp_path: Path,
) -> None:
    tree = tmp_path / "pkg"
    write(tree / "top.py", "A = 1\n")
    _aged(tree)
    real = cachefile.remembered_digest(tree)
    (memo,) = _memos()
    assert memo.parent.stat().st_mode & 0o777 == 0o700
    assert memo.stat().st_mode & 0o777 == 0o600
    forged = b"x" * 16 + memo.read_bytes()[16:]
    memo.write_bytes(forged)
    memo.chmod(0o666)
    assert cachefile.remembered_digest(tree) == real  # another's memo: not read, replaced
    memo.chmod(0o600)
    memo.write_bytes(forged)
    assert cachefile.remembered_digest(tree) == b"x" * 16  # the user's own memo is trusted


def test_a_file_filed_again_leaves_no_row_of_its_old_providers(tmp_path: Path) -> None:
    """Every table a provider is filed in (``offered``, a box per service type,
    and ``spot``, its point, among them) loses its rows when its file is filed
    again."""
    path = write(
        tmp_path / "dir.yaml",
        directory_yaml(provider_yaml(id="a", name="A"), provider_yaml(id="b", name="B")),
    )
    directory.load(path)
    write(path, directory_yaml(provider_yaml(id="c", name="C")))
    directory.load(path)
    db = Path(os.environ["REFERRAL_CACHE_DIR"]) / "index" / database.DATABASE
    with sqlite3.connect(db) as con:
        (rowid,) = con.execute("SELECT rowid FROM providers").fetchone()
        tables = ("place", "spot", "offered", "offers", "reach", "blobs", "texts")
        for table in tables:
            column = "rowid" if table in ("blobs", "texts") else "provider"
            stale = con.execute(f"SELECT count(*) FROM {table} WHERE {column} != ?", (rowid,))
            assert stale.fetchone() == (0,), table
        assert con.execute("SELECT count(*) FROM offered").fetchone()[0] >= 1
        assert con.execute("SELECT count(*) FROM spot").fetchone()[0] == 1
    con.close()


def test_a_file_filed_in_runs_fills_the_tables_as_filed_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file's rows are made and inserted a run of providers at a time: every
    table holds what one run of the whole file would have put there (rowids in the
    order of locality, keys of shared values and service codes in filing order)."""
    towns = [(36.74, -119.79), (25.76, -80.19), (40.71, -74.0)]
    services = ["temporary-shelter", "legal-aid", "counseling, legal-aid"]
    path = write(
        tmp_path / "dir.yaml",
        directory_yaml(
            *(
                provider_yaml(
                    id=f"p{i}",
                    name=f"Place {i}",
                    services=services[i % 3],
                    lat=towns[i % 3][0] + i / 1000,
                    lon=towns[i % 3][1],
                )
                for i in range(11)
            )
        ),
    )

    def tables(cache: str) -> dict[str, list[tuple[object, ...]]]:
        monkeypatch.setenv("REFERRAL_CACHE_DIR", str(tmp_path / cache))
        directory.load(path)
        db = tmp_path / cache / "index" / database.DATABASE
        with sqlite3.connect(db) as con:
            found = {
                table: con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in (
                    "providers",
                    "blobs",
                    "texts",
                    "facts",
                    "terms",
                    "offers",
                    "reach",
                    "place",
                    "spot",
                    "offered",
                )
            }
            found["words"] = con.execute(
                "SELECT rowid FROM words WHERE words MATCH 'place' ORDER BY rowid"
            ).fetchall()
        con.close()
        return found

    at_once = tables("at-once")
    monkeypatch.setattr(filing, "FILED_AT_ONCE", 2)
    in_runs = tables("in-runs")
    assert in_runs == at_once
    assert len(at_once["providers"]) == 11 and len(at_once["words"]) == 11
    assert [r[0] for r in at_once["spot"]] == [r[0] for r in at_once["providers"]]
