"""``referral call``: the facts of a call as people say them, the session on screen
(Textual's pilot, headless), the same answers as ``find``, and nothing left behind."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import pytest
from call_screen import run_call, say, screen_text
from conftest import LONG_PROFILE, invoke
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual import _wait as textual_wait
from typer.testing import CliRunner

from referral_cli.call import privacy_guard
from referral_cli.call.hearing import SLOTS, Facts, hear, slot_text
from referral_cli.call.session import CallSession
from referral_cli.config import Config
from referral_cli.directory import open_directory, sample_path
from referral_cli.taxonomy import load

SAMPLE = str(sample_path())

# Textual's pilot waits, for every key it presses and every pause, until the app is
# idle: CPU time below a twentieth of the wall time over a window of 20 ms, slept
# whatever the app does. Here the windows are of 2 ms (a typed line does not sleep a
# fixed 40 ms a key; every wait for the screen's messages stays as it is), and idle
# is under a quarter of the window: waking up for a window of 2 ms alone costs about
# a twentieth of it, more on a busy machine, so a twentieth was seldom seen and a
# wait ran on to its limit of a second with the app idle. An app at work (a slip
# rendered in its thread, a screen drawn) uses the whole window.
textual_wait.SLEEP_GRANULARITY = 1 / 500
textual_wait.SLEEP_IDLE = textual_wait.SLEEP_GRANULARITY / 4


@pytest.fixture(scope="module")
def directory():  # type: ignore[no-untyped-def]
    return open_directory(SAMPLE, None)


@pytest.fixture
def session(directory) -> CallSession:  # type: ignore[no-untyped-def]
    return CallSession(directory, Config(), load())


def told(session: CallSession, *lines: str) -> list[str]:
    """Every line typed in turn; what the session said about the last one."""
    said: list[str] = []
    for line in lines:
        said = session.hear(line).said
    return said


# ------------------------------------------------------------------ the facts


def test_a_call_as_the_caller_tells_it(session: CallSession) -> None:
    told(session, "I need somewhere to stay")
    assert session.facts.services == ("temporary-shelter",)
    told(session, "she's 15")
    assert session.facts.age == 15
    told(session, "she only speaks Spanish")
    assert session.facts.languages == ("es",)
    assert session.facts.terms == ()  # "she", "only", "speaks" are not words to look for
    told(session, "we're in Visalia")
    assert session.facts.place == "Visalia"
    said = told(session, "not Visalia, Fresno")
    assert session.facts.place == "Fresno"
    assert said == ["place Visalia, CA, US → Fresno, CA, US"]  # as the gazetteer found them
    said = told(session, "no, she's 16")
    assert session.facts.age == 16
    assert said == ["age 15 → 16"]
    told(session, "within 20 km")
    assert session.facts.radius_km == 20
    told(session, "drop language")
    assert session.facts.languages == ()
    assert session.facts.gender == "female"  # "she" said it
    assert session.facts.filled() == ["need", "age", "gender", "place", "radius"]


@pytest.mark.parametrize(
    ("line", "age"),
    [("15", 15), ("she's 15", 15), ("He is 17", 17), ("age 9", 9), ("16 years old", 16),
     ("she’s 14", 14), ("the girl is only 13", 13), ("No, she's 12.", 12)],
)  # fmt: skip
def test_an_age_said_any_way(session: CallSession, line: str, age: int) -> None:
    told(session, line)
    assert session.facts.age == age


@pytest.mark.parametrize("line", ["she's 15 km away", "500", "she is 200"])
def test_what_is_not_an_age_is_not_taken_as_one(session: CallSession, line: str) -> None:
    told(session, line)
    assert session.facts.age is None


def test_a_bare_town_name_sets_the_place_and_a_typo_is_corrected_as_find_does(
    session: CallSession,
) -> None:
    told(session, "Visalia")
    assert session.facts.place == "Visalia"
    said = told(session, "Fresnoo")  # find and locate read it so too (one code path)
    assert session.facts.place == "Fresno, CA, US"
    assert any("'Fresnoo' read as Fresno, CA, US" in s for s in said), said


def test_an_unknown_place_is_refused_and_the_old_one_kept(session: CallSession) -> None:
    told(session, "shelter near Fresno")
    said = told(session, "we are near Blorptastic Springs")
    assert session.facts.place == "Fresno"
    assert any("unknown place" in s for s in said), said
    assert session.results().origin is not None and "Fresno" in session.results().origin.label


def test_the_place_is_shown_as_found_and_words_it_was_not_are_said(
    session: CallSession,
) -> None:
    said = told(session, "shelter", "we're in Visalia zqxjv")
    assert session.facts.place == "Visalia" and session.place_label() == "Visalia, CA, US"
    # both said, the unknown word where it stood after the place was cut from it
    assert sorted(said) == ["not understood, not kept: 'zqxjv'", "place: Visalia, CA, US"]
    said = told(session, "in Fresnoo")  # a typo: the bar says what it was read as
    assert session.place_label() == "Fresno, CA, US"
    assert said == ["place Visalia, CA, US → Fresno, CA, US", "'Fresnoo' read as Fresno, CA, US"]
    said = told(session, "drop Fresno")  # the place shown is the one that can be taken back
    assert session.facts.place is None and said == ["removed place"]
    told(session, "in Fresnoo")
    told(session, "in Fresno, spanish")  # the words after the place are heard, not lost
    assert session.facts.place == "Fresno" and session.facts.languages == ("es",)
    told(session, "93721")
    assert session.place_label() == "Fresno, CA 93721, US"


# Lines as a caller says them, each of which find reads whole (radius words aside:
# find has --radius for them).
ONE_LINERS = [
    "somewhere to stay",
    "she's 15",
    "the girl is only 13",
    "she only speaks Hmong",
    "we're in Visalia zqxjv",
    "shelter in Fresnoo",
    "lawyer for a 16 year old boy in Fresno who speaks vietnamese",
    "legal aid for sex trafficking for a woman who speaks punjabi",
    "counseling for trans youth in tulare county",
    "a man, 40, mixteco, 93721",
    "near Visalia shelter",
]


@pytest.mark.usefixtures("shared_index")
@pytest.mark.parametrize("line", ONE_LINERS)
def test_every_slot_is_what_find_understands_for_the_same_words(
    session: CallSession, runner, line: str
) -> None:  # type: ignore[no-untyped-def]
    said = told(session, line)
    out = invoke(runner, "find", line, "--data", SAMPLE, "--format", "json")
    assert out.exit_code == 0, out.output
    answer = json.loads(out.stdout)
    q, f = answer["query"], session.facts
    for name in ("services", "areas", "populations", "trafficking", "languages"):
        assert list(getattr(f, name)) == q[name], name
    assert (f.age, f.gender) == (q["age"], q["gender"])
    found_place = answer["origin"]["label"] if answer["origin"] else ""
    assert session.place_label() == found_place
    # A word find looked for but the session did not keep is said, never dropped.
    for term in q["terms"]:
        if term not in f.terms and term != "we're":
            assert any(term in s for s in said), (term, said)


def test_corrections_take_back_exactly_what_was_said(session: CallSession) -> None:
    told(session, "shelter for a girl", "spanish", "15", "in Fresno", "within 10 miles")
    assert session.facts.radius_km == pytest.approx(16.1)
    told(session, "not 15, 14")
    assert session.facts.age == 14
    told(session, "not spanish")
    assert session.facts.languages == ()
    said = told(session, "not vietnamese")
    assert said == ["'vietnamese' is not among the facts; nothing removed"]
    told(session, "remove girls")
    assert session.facts.populations == ()
    told(session, "forget the place")
    assert session.facts.place is None
    told(session, "any radius")
    assert session.facts.radius_km is None
    assert session.facts.filled() == ["need", "age"]
    told(session, "everything")
    assert session.facts.is_empty


def test_no_before_a_fact_takes_it_back_but_no_comma_corrects(session: CallSession) -> None:
    told(session, "shelter and counseling", "spanish", "16")
    told(session, "no counseling")
    assert session.facts.services == ("temporary-shelter",)
    told(session, "No language.")
    assert session.facts.languages == ()
    told(session, "no 15")
    assert session.facts.age == 15
    told(session, "no she's 14")
    assert session.facts.age == 14
    told(session, "no, shelter")  # a correction that repeats a fact keeps it
    assert session.facts.services == ("temporary-shelter",)


def test_talk_around_the_facts_is_not_taken_as_facts(session: CallSession) -> None:
    said = told(session, "her name is Maria")
    assert session.facts.is_empty and "Maria" not in " ".join(said)
    told(session, "she's from Guatemala")
    assert session.facts.place is None  # where she is from is not where she is
    told(session, "she's from Mexico, we're in Fresno")
    assert session.facts.place == "Fresno"
    said = told(session, "she's pregnant")  # says she is female, nothing to search
    assert session.facts.terms == () and session.facts.gender == "female"
    assert not any("did you mean" in s for s in said), said  # no town abroad (Bregnano, IT)
    told(session, "she doesn't speak English")
    assert session.facts.languages == ()  # a negation never adds
    told(session, "spanish", "she does not speak spanish")
    assert session.facts.languages == ()
    told(session, "counseling with art")  # words beside a need qualify it: kept
    assert session.facts.services == ("counseling",) and session.facts.terms == ("art",)


@pytest.mark.parametrize(
    ("line", "age"),
    [
        ("she's sixteen", 16),
        ("fifteen", 15),
        ("twenty-five years old", 25),
        ("he is seventeen", 17),
    ],
)
def test_an_age_in_words(session: CallSession, line: str, age: int) -> None:
    told(session, line)
    assert session.facts.age == age


def test_the_languages_last_said_replace_the_ones_before(session: CallSession) -> None:
    told(session, "spanish")
    said = told(session, "vietnamese")
    assert session.facts.languages == ("vi",) and said == ["language Spanish → Vietnamese"]


def test_no_then_more_is_taken_back_then_heard(session: CallSession) -> None:
    told(session, "shelter in Fresno", "no place, she's 15")
    assert session.facts.place is None and session.facts.age == 15


def test_a_gender_word_fills_the_gender_slot(session: CallSession) -> None:
    told(session, "shelter", "female")
    assert session.facts.gender == "female" and session.facts.terms == ()
    told(session, "no, male")
    assert session.facts.gender == "male"
    assert all(r.provider.eligibility.admits_gender("male") for r in session.results().results)
    told(session, "drop gender")
    assert session.facts.gender is None


def test_a_radius_out_of_bounds_is_said_not_used(session: CallSession) -> None:
    said = told(session, "shelter within 5000 km")
    assert session.facts.radius_km is None
    assert any("from 0.1 to 1000 km" in s for s in said)


def test_each_slot_can_be_removed_alone(session: CallSession) -> None:
    told(session, "legal aid for sex trafficking", "a woman", "30", "punjabi", "in Fresno", "25 km")
    tax = load()
    for slot in session.facts.filled():
        before = session.facts
        session.remove(slot)
        assert slot_text(session.facts, slot, tax) == ""
        others = [s for s in SLOTS if s != slot]
        assert [slot_text(session.facts, s, tax) for s in others] == [
            slot_text(before, s, tax) for s in others
        ]


def test_a_new_caller_forgets_everything(session: CallSession) -> None:
    told(session, "shelter", "15", "in Visalia", "Fresnoo")
    session.new_caller()
    assert session.facts.is_empty
    assert session._places == {} and session._results == {}  # nothing of the call is kept
    assert session.results().origin is None and session.results().results == []


# Lines made of the words a call is made of, in any order, and any text at all.
CALL_WORDS = st.sampled_from(
    [
        "no",
        "not",
        "she's",
        "he",
        "is",
        "15",
        "sixteen",
        "twenty-five",
        "km",
        "miles",
        "within",
        "drop",
        "forget",
        "the",
        "place",
        "language",
        "need",
        "age",
        "shelter",
        "lawyer",
        "spanish",
        "vietnamese",
        "fresno",
        "visalia",
        ",",
        ";",
        "from",
        "name",
        "called",
        "her",
        "doesn't",
        "speak",
        "never",
        "everything",
        "any",
        "radius",
        "girl",
        "women",
        "female",
        "male",
        "93721",
        "in",
        "near",
        "but",
    ]
)
LINES = st.one_of(st.lists(CALL_WORDS, max_size=8).map(" ".join), st.text(max_size=40))


@settings(max_examples=400 if LONG_PROFILE else 25, deadline=None)
@given(st.lists(LINES, max_size=5))
def test_any_line_is_heard_without_error(lines: list[str]) -> None:
    facts, tax = Facts(), load()
    for line in lines:
        facts = hear(facts, line, tax, lambda w: w.lower() in ("fresno", "visalia")).facts
        assert facts.age is None or 0 <= facts.age <= 120
        assert facts.radius_km is None or 0 < facts.radius_km <= 1000
        for slot in SLOTS:
            assert isinstance(slot_text(facts, slot, tax), str)


# -------------------------------------------------------- the engine of find


@pytest.mark.usefixtures("shared_index")
@pytest.mark.parametrize(
    ("lines", "flags"),
    [
        (
            ("somewhere to stay", "she's 15", "spanish", "we're in Visalia", "not Visalia, Fresno"),
            {"--service", "--age", "--gender", "--language", "--near"},
        ),
        (
            ("lawyer", "for a woman", "punjabi", "93721", "within 30 km"),
            {"--service", "--for", "--gender", "--language", "--near", "--radius"},
        ),
        (
            ("counseling", "no, she's 16", "in Tulare County", "drop need", "a girl"),
            {"--age", "--for", "--gender", "--near"},
        ),
        (  # every slot at once: need, who, age, gender, language, place, radius
            ("shelter for a boy", "he is 17", "vietnamese", "in Fresno", "within 40 miles"),
            {"--service", "--for", "--age", "--gender", "--language", "--near", "--radius"},
        ),
        (
            ("legal aid for labor trafficking", "a man", "40", "mixteco", "Visalia", "150 km"),
            {
                "--service",
                "--trafficking",
                "--for",
                "--age",
                "--gender",
                "--language",
                "--near",
                "--radius",
            },
        ),  # fmt: skip
    ],
)
def test_a_session_gives_what_find_gives_for_the_same_facts(
    session: CallSession, runner, lines: tuple[str, ...], flags: set[str]
) -> None:  # type: ignore[no-untyped-def]
    told(session, *lines)
    f = session.facts
    args = ["find", "--data", SAMPLE, "--format", "json", "--limit", "10"]
    for flag, values in (
        ("--service", f.services),
        ("--area", f.areas),
        ("--for", f.populations),
        ("--trafficking", f.trafficking),
        ("--language", f.languages),
    ):
        for v in values:
            args += [flag, v]
    if f.age is not None:
        args += ["--age", str(f.age)]
    if f.gender:
        args += ["--gender", f.gender]
    if f.place:
        args += ["--near", f.place]
    if f.radius_km is not None:
        args += ["--radius", str(f.radius_km)]
    if f.terms:
        args.insert(1, " ".join(f.terms))
    assert flags <= set(args), set(args)  # the facts this case is about were all heard
    out = invoke(runner, *args)
    assert out.exit_code == 0, out.output
    found = json.loads(out.stdout)
    mine = session.results()
    assert [r["id"] for r in found["results"]] == [r.provider.id for r in mine.results]
    assert [r["reasons"] for r in found["results"]] == [r.reasons for r in mine.results]
    assert found["notes"] == mine.notes
    assert mine.results  # the comparison says something


# ------------------------------------------------------------------ on screen


def tree(*roots: Path) -> dict[str, tuple[int, int]]:
    """Every file under the roots, with its size and modification time."""
    found = {}
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                st = path.stat()
                found[str(path)] = (st.st_size, st.st_mtime_ns)
    return found


def test_a_whole_call_on_screen_leaves_only_the_slip(
    session: CallSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, cache, tmp, folder = (tmp_path / n for n in ("home", "cache", "tmp", "printer"))
    for d in (home, cache, tmp, folder):
        d.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    monkeypatch.setenv("REFERRAL_CACHE_DIR", str(cache))
    monkeypatch.chdir(tmp_path)
    before = tree(tmp_path)
    refused = len(privacy_guard.refusals())
    screens: dict[str, str] = {}

    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "somewhere to stay", keys=True)
        screens["need"] = screen_text(app)
        await say(pilot, "she's 15", keys=True)
        await say(pilot, "she only speaks spanish")
        await say(pilot, "we're in Visalia zqxjv")
        screens["place"] = screen_text(app)
        await say(pilot, "not Visalia, Fresno")
        await say(pilot, "no, she's 16")
        screens["corrected"] = screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        screens["details"] = screen_text(app)
        await pilot.press("escape", "f3", "down", "f3", "f4")
        await pilot.pause()
        screens["slip dialog"] = screen_text(app)
        slip = app.screen
        slip.query_one("#format").value = "text"
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screens["slip written"] = screen_text(app)
        await pilot.press("f9")
        await pilot.pause()
        screens["new caller"] = screen_text(app)
        # The seal is on while the call runs: a write of what was typed is caught.
        with pytest.raises(PermissionError):
            (tmp_path / "notes.txt").write_text("15, Spanish, Visalia zqxjv")

    app = run_call(session, script, folder)

    assert "need Temporary shelter" in screens["need"]
    place = " ".join(screens["place"].split())  # the bar may wrap between slot and value
    assert "age 15" in place and "language Spanish" in place
    assert "place Visalia, CA, US" in place  # as found, not as typed
    assert "not understood, not kept: 'zqxjv'" in place  # the rest is said, not kept
    assert "Valley Youth Safe House" in place
    assert "Visalia Emergency Shelter" not in place  # adults only: never for a 15-year-old
    corrected = " ".join(screens["corrected"].split())
    assert "place Fresno, CA, US" in corrected and "age 16" in corrected
    first = session.directory.get("valley-lgbtq-youth-center")
    assert "Open now:" in screens["details"] and "Serves:" in screens["details"]
    assert "Intake:" in screens["details"] or first.intake is None
    assert "Slip of:" in screens["slip dialog"]
    assert "2 providers" in " ".join(screens["slip written"].split())

    # The slip, and nothing else, was written; nothing typed is in any file.
    after = tree(tmp_path)
    new = sorted(set(after) - set(before))
    changed = sorted(p for p in before if p in after and after[p] != before[p])
    assert changed == []
    assert len(new) == 1 and Path(new[0]).parent == folder and new[0].endswith(".txt"), new
    assert app.last_slip == Path(new[0])
    slip_text = Path(new[0]).read_text("utf-8")
    names = [line for line in slip_text.splitlines() if "Youth" in line]
    assert len(names) >= 2, slip_text
    for path in after:
        assert b"zqxjv" not in Path(path).read_bytes(), path
    # The probe above, and nothing else: no library even tried.
    caught = privacy_guard.refusals()[refused:]
    assert len(caught) == 1 and str(tmp_path / "notes.txt") in caught[0], caught

    # A new caller: no fact, no mark, no typed word, no result of the last call on screen.
    fresh = screens["new caller"]
    assert session.facts.is_empty and not app.marked
    for trace in ("Fresno", "16", "Spanish", "zqxjv", "Youth", "+1 "):
        assert trace not in fresh, trace
    assert "New caller" in fresh


@pytest.mark.parametrize(
    ("fmt", "lang"),
    [pytest.param("pdf", "es", marks=pytest.mark.long), ("html", "en"), ("markdown", "es")],
)
def test_a_slip_in_every_format_and_language(
    session: CallSession, tmp_path: Path, fmt: str, lang: str
) -> None:
    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one("#format").value = fmt
        app.screen.query_one("#lang").value = lang
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

    app = run_call(session, script, tmp_path)
    written = list(tmp_path.iterdir())
    assert len(written) == 1 and app.last_slip == written[0]
    assert written[0].suffix == {"pdf": ".pdf", "html": ".html", "markdown": ".md"}[fmt]
    data = written[0].read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        label = "Teléfono" if lang == "es" else "Phone"
        assert label.encode() in data


def test_a_slip_path_picks_its_format_and_never_replaces_a_file(
    session: CallSession, tmp_path: Path
) -> None:
    existing = tmp_path / "kept.txt"
    existing.write_text("an earlier slip", "utf-8")

    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        for name in ("kept.txt", "other.html"):
            await pilot.press("f4")
            await pilot.pause()
            app.screen.query_one("#path").value = str(tmp_path / name)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            if name == "kept.txt":
                assert "exists" in " ".join(screen_text(app).split())

    app = run_call(session, script, tmp_path, size=(240, 24))  # the message names the long path
    assert existing.read_text("utf-8") == "an earlier slip"
    assert app.last_slip == tmp_path / "other.html"
    assert app.last_slip.read_text("utf-8").lstrip().lower().startswith("<!doctype html")


def test_keys_only_remove_a_slot_mark_and_copy(session: CallSession, tmp_path: Path) -> None:
    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter")
        await say(pilot, "in Fresno")
        await say(pilot, "spanish")
        await pilot.press("f6", "right", "right", "delete")  # need · language · place
        await pilot.pause()
        assert session.facts.place is None and session.facts.languages == ("es",)
        await pilot.press("tab", "space")  # on to the list; Space marks
        await pilot.pause()
        assert len(app.marked) == 1
        await pilot.press("escape", "f5")
        await pilot.pause()
        chosen = app.chosen().provider  # the one highlighted before stays chosen
        assert app.clipboard == (chosen.hotline or chosen.phone)  # as find shows it
        assert "copied" in screen_text(app)
        await pilot.press("f1")
        await pilot.pause()
        assert "new caller" in screen_text(app)
        await pilot.press("escape", "f10")

    app = run_call(session, script, tmp_path)
    assert session.facts.is_empty and app.clipboard == ""
    assert list(tmp_path.iterdir()) == []


def test_a_small_terminal_still_shows_phone_and_name(session: CallSession, tmp_path: Path) -> None:
    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        text = screen_text(app)
        first = app.shown[0].provider
        assert (first.hotline or first.phone) in text
        assert first.name[:10] in text
        assert all(len(line) <= 40 for line in text.splitlines())

    run_call(session, script, tmp_path, size=(40, 12))


LONG_CALL = (
    "somewhere to stay",
    "she's 15",
    "she only speaks spanish",
    "we're in Visalia zqxjv",
    "not Visalia, Fresno",
    "no, she's 16",
    "within 20 km",
    "lawyer and counseling for sex trafficking",  # long notes: phone lines far away
)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_result_one_keeps_its_phone_on_a_small_screen_after_a_long_call(
    session: CallSession, tmp_path: Path, size: tuple[int, int]
) -> None:
    async def script(app: Any, pilot: Any) -> None:
        for line in LONG_CALL:
            await say(pilot, line)
        lines = screen_text(app).splitlines()
        assert len(app.shown) >= 3
        for number, r in enumerate(app.shown, 1):  # one line each, phone first
            row = [line for line in lines if line.startswith(f"  {number:>2} ")]
            assert row and (r.provider.hotline or r.provider.phone) in row[0], (number, lines)
        assert all(len(line) <= size[0] for line in lines)
        await pilot.press("f4")  # the slip window fits too: every field and Write
        await pilot.pause()
        text = screen_text(app)
        assert "discreet" in text and "letter" in text and "Write" in text, text

    run_call(session, script, tmp_path, size=size)


def screen_styles(app: Any) -> list[Any]:
    """The styles of every cell the terminal is sent, after Textual's filters."""
    console = Console(
        width=app.size.width, height=app.size.height, file=io.StringIO(), color_system="truecolor"
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return [seg.style for seg in console.render(update) if seg.style is not None and seg.text]


def test_no_color_means_no_colour_not_greys(
    session: CallSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def colours(app: Any) -> set[str]:
        return {
            c.name
            for style in screen_styles(app)
            for c in (style.color, style.bgcolor)
            if c is not None and not c.is_default
        }

    seen: dict[str, set[str]] = {}

    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        seen["results"] = colours(app)
        # The chosen result is still told apart: by underline when no background shows it.
        seen["underlined"] = {"yes"} if any(s.underline for s in screen_styles(app)) else set()
        for key, name in (("f6", "bar"), ("f2", "details"), ("f4", "slip"), ("f1", "help")):
            await pilot.press("escape", key)  # Esc closes the window before
            await pilot.pause()
            seen[name] = colours(app)

    monkeypatch.delenv("NO_COLOR", raising=False)
    run_call(session, script, tmp_path)
    underlined = seen.pop("underlined")
    assert all(seen.values()), "with colours allowed, the screen has colours"  # the check works
    assert not underlined
    monkeypatch.setenv("NO_COLOR", "1")
    run_call(session, script, tmp_path)
    assert seen.pop("underlined") == {"yes"}
    assert seen == {name: set() for name in seen}, seen


def test_a_marked_result_that_no_longer_fits_is_left_off_the_slip(
    session: CallSession, tmp_path: Path
) -> None:
    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Visalia")
        adult = next(i for i, r in enumerate(app.shown) if r.provider.eligibility.min_age == 18)
        app.query_one("#results").highlighted = adult
        await pilot.press("f3")
        await say(pilot, "she's 15")
        assert "marked no longer fit" in screen_text(app)
        assert app.marked_shown() == []

    run_call(session, script, tmp_path)


def test_the_readme_shows_the_call_as_captured_in_a_terminal() -> None:
    """The README's screen is docs/examples/call.txt (scripts/call_capture.py, tmux
    80x24), its empty rows folded into one; the picture is beside it."""
    root = Path(__file__).resolve().parents[2]
    captured = (root / "docs" / "examples" / "call.txt").read_text("utf-8").splitlines()
    folded: list[str] = []
    for line in captured:
        if line.strip() or (folded and folded[-1]):
            folded.append(line.rstrip())
    readme = (root / "README.md").read_text("utf-8")
    assert "```text\n" + "\n".join(folded).rstrip() + "\n```" in readme
    assert "](docs/examples/call.png)" in readme
    assert (root / "docs" / "examples" / "call.png").read_bytes().startswith(b"\x89PNG")
    assert "place Fresno, CA, US" in " ".join(captured[:4])  # the place as found


# -------------------------------------------------------------- the privacy seal


def test_the_seal_refuses_and_records_every_write(tmp_path: Path) -> None:
    before = len(privacy_guard.refusals())
    target = tmp_path / "caller.txt"
    with privacy_guard.sealed():
        with pytest.raises(PermissionError):
            target.write_text("Maria, 15")
        with pytest.raises(PermissionError):
            os.mkdir(tmp_path / "logs")
        with pytest.raises(PermissionError):
            subprocess.run(["true"])
        with pytest.raises(PermissionError), socket.socket() as s:
            s.connect(("127.0.0.1", 9))
        with contextlib.suppress(OSError):  # a library that swallows it is still on the record
            open(tmp_path / "quiet.log", "a").close()  # noqa: SIM115
        from referral_cli.files import write_atomic

        with privacy_guard.allow_file(tmp_path / "new" / "folder" / "slip.txt"):
            write_atomic(tmp_path / "new" / "folder" / "slip.txt", b"ok")
            with pytest.raises(PermissionError):
                (tmp_path / "new" / "other.txt").write_text("not the slip")
    assert not target.exists() and not (tmp_path / "logs").exists()
    assert not (tmp_path / "quiet.log").exists()
    assert (tmp_path / "new" / "folder" / "slip.txt").read_bytes() == b"ok"
    assert not (tmp_path / "new" / "other.txt").exists()
    assert len(privacy_guard.refusals()) - before == 6
    target.write_text("outside a call, writing works")


def test_the_command_runs_the_whole_session_sealed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``referral call`` itself (not only the tests' harness) runs the app inside
    the seal: a write attempted from within the app is refused, and said after."""
    from referral_cli.call.app import CallApp
    from referral_cli.commands import call

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    attempts: list[str] = []

    def run(app: CallApp) -> None:
        assert privacy_guard.is_sealed()
        try:
            (tmp_path / "caller.txt").write_text("Maria, 15")
        except PermissionError:
            attempts.append("refused")
        else:
            attempts.append("written")

    monkeypatch.setattr(CallApp, "run", run)
    monkeypatch.setattr(sys, "stdin", Terminal())
    monkeypatch.setattr(sys, "stdout", Terminal())
    errors = io.StringIO()
    monkeypatch.setattr(sys, "stderr", errors)
    call.call(slips=tmp_path, limit=10, data=SAMPLE)
    assert attempts == ["refused"] and not (tmp_path / "caller.txt").exists()
    assert "refused 1 attempt(s) to write" in errors.getvalue()
    assert not privacy_guard.is_sealed()  # and lifted once the call is over


def test_call_refuses_without_a_terminal(runner: CliRunner) -> None:
    out = invoke(runner, "call", "--data", SAMPLE)
    assert out.exit_code == 2
    assert "needs a terminal" in out.output


def test_find_does_not_load_textual() -> None:
    code = "import sys, referral_cli.cli; print(any(m.startswith('textual') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


STRACED_CALL = textwrap.dedent(
    """
    import asyncio, sys
    from pathlib import Path
    from referral_cli.config import Config
    from referral_cli.directory import open_directory
    from referral_cli.call.session import CallSession
    from referral_cli.taxonomy import load
    from referral_cli.commands.call import make_app
    from referral_cli.call.privacy_guard import sealed, refusals

    session = CallSession(open_directory(sys.argv[1], None), Config(), load())
    session.results()
    app = make_app(session, Path(sys.argv[2]))

    async def go():
        async with app.run_test(size=(80, 24)) as pilot:
            print("CALL-STARTS", flush=True)
            for line in ["somewhere to stay", "she's 15", "spanish", "in Visalia qzvx",
                         "not Visalia, Fresno", "no, she's 16"]:
                app.query_one("#say").insert_text_at_cursor(line)
                await pilot.press("enter")
            await pilot.press("f3", "down", "f3", "f4")
            await pilot.pause()
            app.screen.query_one("#format").value = "html"
            await pilot.pause()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("f9")
            await pilot.pause()
            print("CALL-ENDS", flush=True)

    with sealed():
        asyncio.run(go())
    assert not refusals(), refusals()
    print(app.last_slip)
    """
)


@pytest.mark.long
def test_strace_sees_no_write_and_no_socket_but_the_slip(tmp_path: Path) -> None:
    import shutil

    strace = shutil.which("strace")
    if strace is None:
        pytest.skip(
            "strace is not installed (apt-get install strace); the audit-hook tests above still ran"
        )
    probe = subprocess.run([strace, "-o", os.devnull, "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"strace cannot trace here: {probe.stderr.decode().strip()[:200]}")
    script = tmp_path / "call.py"
    script.write_text(STRACED_CALL, "utf-8")
    log, folder = tmp_path / "trace.log", tmp_path / "printer"
    env = {**os.environ, "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path / "tmp")}
    out = subprocess.run(
        [strace, "-f", "-qq", "-e", "trace=file,network,write", "-e", "signal=none",
         "-o", str(log), sys.executable, str(script), SAMPLE, str(folder)],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    slip = Path(out.stdout.strip().splitlines()[-1])
    assert slip.parent == folder and slip.exists()
    lines = log.read_text("utf-8", "replace").splitlines()
    # Only what happens between the call's first and last key counts: loading the
    # directory and Python's start-up are before it.
    start = next(i for i, line in enumerate(lines) if "CALL-STARTS" in line)
    end = next(i for i, line in enumerate(lines) if "CALL-ENDS" in line)
    during = lines[start:end]
    writes = [
        line
        for line in during
        if ("open" in line.split("(")[0] or "creat(" in line)
        and any(f in line for f in ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"))
        and "= -1" not in line
    ]
    # A write relative to a descriptor of the slip folder (write_atomic's unnamed
    # O_TMPFILE file, openat(fd, ".")) is in the folder too.
    folder_fds, inside = set(), []
    for line in during:
        opened = re.search(r"= (\d+)$", line)
        if opened and str(folder) in line and ("O_DIRECTORY" in line or "O_PATH" in line):
            folder_fds.add(opened.group(1))
        at = re.search(r"openat\((\d+),", line)
        if line in writes and at and at.group(1) in folder_fds:
            inside.append(line)
    outside = [w for w in writes if str(folder) not in w and "/dev/" not in w and w not in inside]
    assert outside == [], outside
    assert inside or any(str(folder) in w for w in writes)  # the trace sees the slip written
    for call in ("rename", "unlink", "mkdir"):
        touched = [line for line in during if f"{call}(" in line and "= -1" not in line]
        assert all(str(folder) in line for line in touched), touched
    # asyncio wakes itself through a socket pair of its own (sendto with no address).
    network = [
        line
        for line in during
        if "connect(" in line
        or "socket(AF_INET" in line
        or ("sendto(" in line and not line.split("sendto(", 1)[1].split(")")[0].endswith("NULL, 0"))
    ]
    assert network == [], network
    assert not any(
        "qzvx" in line for line in during if "write(1" not in line and "write(2" not in line
    )


@pytest.mark.long
def test_referral_call_in_a_real_terminal(tmp_path: Path) -> None:
    """The installed command in a pseudo-terminal: Textual's own terminal driver,
    the seal around it, a slip written, and a clean exit with nothing refused."""
    import pty
    import select
    import time

    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "COLUMNS": "80",
        "LINES": "24",
        "HOME": str(tmp_path / "home"),
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, in the terminal
        os.execvpe(
            sys.executable,
            [
                sys.executable,
                "-m",
                "referral_cli",
                "call",
                "--data",
                SAMPLE,
                "--slips",
                str(tmp_path),
            ],
            env,
        )
    seen = bytearray()

    def read_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                try:
                    seen.extend(os.read(fd, 65536))
                except OSError:
                    return

    def until(text: bytes, seconds: float = 60) -> None:
        end = time.monotonic() + seconds
        while text not in seen and time.monotonic() < end:
            read_for(0.2)
        assert text in seen, bytes(seen[-400:])

    until(b"type what the caller says")
    os.write(fd, b"shelter in Fresno\r")
    until(b"Harbor House")
    os.write(fd, b"\x1bOS")  # F4: a slip of the chosen result
    until(b"Write")
    os.write(fd, b"\r")
    until(b"slip written")
    os.write(fd, b"\x1b[21~")  # F10: leave
    read_for(3)
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    assert os.waitstatus_to_exitcode(status) == 0, bytes(seen[-400:])
    assert b"refused" not in seen
    slips = [p for p in tmp_path.iterdir() if p.suffix == ".pdf"]
    assert len(slips) == 1 and slips[0].read_bytes().startswith(b"%PDF")


def test_f3_marks_the_result_under_the_cursor_and_leaves_it_there(
    session: CallSession, tmp_path: Path
) -> None:
    """F3, Down, F3 marks the first and the second result: F3 does not move."""

    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        await pilot.press("f3")
        await pilot.pause()
        first = app.chosen().provider.id
        await pilot.press("down", "f3")
        await pilot.pause()
        second = app.chosen().provider.id
        assert first != second
        assert app.marked == {first, second}
        assert [p.id for p in app.marked_shown()] == [r.provider.id for r in app.shown[:2]]

    run_call(session, script, tmp_path)


@pytest.mark.parametrize(
    ("line", "lang"), [("she only speaks spanish", "es"), ("he speaks tagalog", "tl"), ("", "en")]
)
def test_the_slip_dialog_starts_in_the_callers_language(
    session: CallSession, tmp_path: Path, line: str, lang: str
) -> None:
    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        if line:
            await say(pilot, line)
        await pilot.press("f4")
        await pilot.pause()
        assert app.screen.query_one("#lang").value == lang

    run_call(session, script, tmp_path)


def test_call_and_find_give_the_same_number_to_call(
    session: CallSession, tmp_path: Path, runner: Any
) -> None:
    """A provider with an office phone and a 24/7 line: find's compact line, the
    call list and F5 all give the 24/7 line."""
    from conftest import invoke

    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        chosen = next(r for r in app.shown if r.provider.hotline and r.provider.phone)
        while app.chosen() is not chosen:
            await pilot.press("down")
        await pilot.press("f5")
        await pilot.pause()
        assert app.clipboard == chosen.provider.hotline
        assert chosen.provider.hotline in screen_text(app)
        found = invoke(runner, "find", "shelter in Fresno", "--layout", "compact")
        assert f"24/7 {chosen.provider.hotline}" in found.stdout

    run_call(session, script, tmp_path)
