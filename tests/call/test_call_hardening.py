"""``referral call`` never dies on what is typed, and a crash prints one line with
no local value (issue 32; docs/security.md lists which test holds which).
Driven through Textual's pilot, as tests/call/test_call.py drives the session."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from call_screen import run_call, say, screen_text
from textual.pilot import WaitForScreenTimeout
from typer.testing import CliRunner

from referral_cli.call.app import CallApp
from referral_cli.call.session import CallSession
from referral_cli.cli import app as cli_app
from referral_cli.commands import call as call_command
from referral_cli.commands.config import config_app
from referral_cli.config import Config
from referral_cli.directory import open_directory, sample_path
from referral_cli.taxonomy import load

SECRET = "Quillfeather"  # a word of the caller's that no output may show


@pytest.fixture
def session() -> CallSession:
    return CallSession(open_directory(str(sample_path()), None), Config(), load())


def test_every_typed_number_and_radius_is_checked_and_the_call_goes_on(
    session: CallSession, tmp_path: Path
) -> None:
    heard: list[str] = []

    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        for line in (
            "within 0.01 miles",  # 0.016 km: rounds to no radius at all
            "within 0.04 km",
            "within 0." + "0" * 1500 + "1 km",
            "she is " + "9" * 1990,  # a number Python will not read as an int
            "x" * 2500,  # longer than a query may be
        ):
            await say(pilot, line)
            heard.append(screen_text(app))
            assert app.is_running and app.crashed is None, line
            assert session.facts.radius_km is None and session.facts.age is None
        await say(pilot, "within 20 km")
        assert session.facts.radius_km == 20.0

    app = run_call(session, script, tmp_path)
    assert app.crashed is None
    assert "a radius must be from 0.1 to 1000 km" in heard[0]
    assert "a radius must be from 0.1 to 1000 km" in heard[1]
    assert "characters is more than the 2,000 a query may have" in heard[-1]


def test_an_unexpected_error_on_a_line_keeps_the_call_and_its_facts(
    session: CallSession, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = CallSession.results

    def results(self: CallSession) -> Any:
        if self.facts.age == 15:
            raise ValueError(f"Query(age=15, place='{SECRET}')")
        return real(self)

    monkeypatch.setattr(CallSession, "results", results)

    async def script(app: Any, pilot: Any) -> None:
        await say(pilot, "shelter in Fresno")
        await say(pilot, "she's 15")
        text = screen_text(app)
        assert "could not be used (unexpected ValueError" in text
        assert SECRET not in text
        assert app.is_running and session.facts.age is None
        assert session.facts.place == "Fresno"

    assert run_call(session, script, tmp_path).crashed is None


def _crashing_run(self: CallApp) -> None:
    """``App.run`` headless: the volunteer types a fact, then F2 fails."""

    async def go() -> None:
        async with self.run_test() as pilot:
            await say(pilot, f"shelter in Fresno for {SECRET}")
            # the app ends on F2, so the pilot's wait for its screen would last its
            # whole timeout: the press is left once the app has ended (or the press
            # returned, the app still running, which the test then reports)
            press = asyncio.ensure_future(pilot.press("f2"))
            while self.crashed is None and not press.done():
                await asyncio.sleep(0.01)
            press.cancel()
            with contextlib.suppress(asyncio.CancelledError, WaitForScreenTimeout):
                await press

    asyncio.run(go())


def test_a_crash_ends_the_call_with_one_line_and_no_locals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(self: CallApp) -> None:
        facts = self.session.facts  # a local with the caller's facts
        raise RuntimeError(f"{facts!r} {SECRET}")

    monkeypatch.setattr(CallApp, "action_details", fail)
    monkeypatch.setattr(CallApp, "run", _crashing_run)
    terminal = SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(call_command, "sys", SimpleNamespace(stdin=terminal, stdout=terminal))
    seen: list[CallApp] = []
    real_init = CallApp.__init__

    def init(self: CallApp, *args: Any) -> None:
        real_init(self, *args)
        seen.append(self)

    monkeypatch.setattr(CallApp, "__init__", init)
    result = CliRunner().invoke(cli_app, ["--data", str(sample_path()), "call"])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "referral: error: unexpected RuntimeError; this is a bug — run again with --debug"
        " for details and report it"
    ]
    assert SECRET not in result.output and "Traceback" not in result.output
    (app,) = seen
    assert isinstance(app.crashed, RuntimeError)
    assert app._exit_renderables == []  # Textual's traceback, with locals, never drawn
    assert app.session.facts.is_empty  # forgotten


def test_no_typer_app_prints_pretty_tracebacks_or_locals() -> None:
    for typer_app in (cli_app, config_app):
        assert typer_app.pretty_exceptions_enable is False
        assert typer_app.pretty_exceptions_show_locals is False
