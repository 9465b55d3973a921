"""Parsing in pieces and on several cores gives what one whole-file parse gives:
the same providers, and every message at the same ``line:col``."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LONG_PROFILE, directory_yaml, provider_yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from referral_cli.index import gcpause, parsing
from referral_cli.records import codec

# Lines that make a provider wrong or doubtful, each reported at its own line.
FLAWS = [
    "    servces: [counseling]\n",  # unknown key
    "    languages: [Spanish]\n",  # a language name, not a code
    "    email: not-an-email\n",
    "    last_verified: 2001-01-01\n",  # a second last_verified: duplicate key (a YAML error)
    "    eligibility: {ages: [18, 12]}\n",
]


def flawed_directory(flaws: list[int | None]) -> str:
    """One provider per entry; an entry names the flaw it carries, or None."""
    out = []
    for i, flaw in enumerate(flaws):
        text = provider_yaml(id=f"p-{i}", name=f"Provider {i}", lat=36.0 + i / 100)
        out.append(text + (FLAWS[flaw] if flaw is not None else ""))
    return directory_yaml(*out)


def facts(result: parsing.Result) -> tuple[list[tuple[object, ...]], list[str]]:
    providers, diagnostics = result
    return [codec.encode(p) for p in providers], sorted(str(d) for d in diagnostics)


@settings(max_examples=60 if LONG_PROFILE else 20, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.integers(0, len(FLAWS) - 1)), min_size=1, max_size=30),
    st.integers(200, 3000),
)
def test_pieces_give_what_the_whole_file_gives(flaws: list[int | None], piece: int) -> None:
    data = flawed_directory(flaws).encode()
    whole = parsing._parse_whole(data, "dir.yaml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(parsing, "PIECE_BYTES", piece)
        assert facts(parsing.parse_bytes(data, "dir.yaml")) == facts(whole)


def test_a_large_file_is_really_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    data = flawed_directory([None, 0, None, 2, None, None, 4, None]).encode()
    monkeypatch.setattr(parsing, "PIECE_BYTES", 500)
    pieces = parsing.provider_pieces(data, -(-len(data) // 500))
    assert pieces is not None and len(pieces) > 3
    assert pieces[0][0] == data.index(b"  - id: p-0")
    assert all(data[start:].startswith(b"  - id: p-") for start, _, _ in pieces)
    assert [end for _, end, _ in pieces[:-1]] == [start for start, _, _ in pieces[1:]]
    for start, _, line in pieces:  # the line number each piece starts at
        assert data.count(b"\n", 0, start) + 1 == line
    seen = []
    real = parsing.parse_piece
    monkeypatch.setattr(parsing, "parse_piece", lambda *a: seen.append(a[2]) or real(*a))
    got = parsing.parse_bytes(data, "dir.yaml")
    assert seen == [line for _, _, line in pieces]
    assert facts(got) == facts(parsing._parse_whole(data, "dir.yaml"))
    assert [p.id for p in got[0]] == ["p-0", "p-2", "p-4", "p-5", "p-7"]  # three have errors
    assert "dir.yaml:16:5: error: unknown key 'servces'" in "\n".join(facts(got)[1])


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\n" + directory_yaml(*(provider_yaml(id=f"p-{i}") for i in range(6))),
        "---\n" + directory_yaml(*(provider_yaml(id=f"p-{i}") for i in range(6))),
    ],
)
def test_other_shapes_are_parsed_whole(text: str) -> None:
    assert parsing.provider_pieces(text.encode(), 4) is None


def test_a_syntax_error_in_a_piece_is_reported_as_the_whole_file_reports_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = [provider_yaml(id=f"p-{i}", name=f"Provider {i}") for i in range(12)]
    good[7] = good[7].replace("    phone:", "    phone: [unclosed\n    phone:")
    data = directory_yaml(*good).encode()
    monkeypatch.setattr(parsing, "PIECE_BYTES", 400)
    providers, diagnostics = parsing.parse_bytes(data, "dir.yaml")
    # the other providers are still read: one mistake hides no one else
    assert [p.id for p in providers] == [f"p-{i}" for i in range(12) if i != 7]
    assert [str(d) for d in diagnostics] == [
        str(d) for d in parsing._parse_whole(data, "dir.yaml")[1]
    ]
    assert diagnostics[0].line > 50  # in the eighth provider, not in the first piece


def test_workers_give_what_one_process_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder with one large file and small ones, parsed by a pool of two."""
    big = tmp_path / "big.yaml"
    big.write_text(flawed_directory([None, 0, 1, None, 2, None, 4, None] * 5), "utf-8")
    small = [tmp_path / f"small-{i}.yaml" for i in range(3)]
    for i, path in enumerate(small):
        path.write_text(flawed_directory([None, i]).replace("p-", f"s{i}-"), "utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("providers:\n  - id: [\n", "utf-8")
    paths = [big, *small, broken]
    shown = [p.name for p in paths]
    alone = [facts(parsing.read_and_parse(p, s)) for p, s in zip(paths, shown, strict=True)]
    monkeypatch.setattr(parsing, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(parsing, "PIECE_BYTES", 1000)
    monkeypatch.setattr(parsing, "_workers", lambda: 2)
    pooled = [facts(r) for r in parsing.parse_files(paths, shown)]
    assert pooled == alone
    assert len(pooled[0][0]) == 20 and len(pooled[0][1]) == 20  # half have an error each
    assert len(parsing.provider_pieces(big.read_bytes(), 8) or ()) == 8  # the pool had pieces
    assert pooled[-1][0] == [] and "YAML syntax" in pooled[-1][1][0]


def test_the_library_leaves_garbage_collection_alone(tmp_path: Path) -> None:
    """Only the ``referral`` program freezes what it parsed; a program importing
    the library (a long-lived service, the tests) keeps normal collection."""
    import gc

    from referral_cli import directory

    path = tmp_path / "d.yaml"
    path.write_text(flawed_directory([None, None]), "utf-8")
    before = gc.get_freeze_count()
    assert len(directory.load(path).providers) == 2
    assert gc.get_freeze_count() == before and gc.isenabled()


def test_the_program_freezes_what_it_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    from referral_cli import cli

    monkeypatch.setattr(gcpause, "FREEZE_PARSED", False)
    ran: list[str] = []
    monkeypatch.setattr(cli, "register", lambda app, only=None: None)
    monkeypatch.setattr(cli.program, "use_conventional_usage", lambda app: None)
    monkeypatch.setattr(cli.program, "app", lambda **kw: ran.append(kw["prog_name"]))
    cli.main()  # nothing is run
    assert ran == ["referral"]
    assert gcpause.FREEZE_PARSED is True
