"""The full-screen ``call`` driven headless through Textual's pilot, for the tests of
``call`` and of understanding: run a session, type a line, read the screen."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from referral_cli.call import privacy_guard
from referral_cli.call.session import CallSession
from referral_cli.commands.call import make_app


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text (the pilot's own screen)."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system=None,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()


def run_call(
    session: CallSession,
    script: Callable[[Any, Any], Awaitable[None]],
    folder: Path,
    size: tuple[int, int] = (80, 24),
) -> Any:
    app = make_app(session, folder)

    async def go() -> None:
        async with app.run_test(size=size) as pilot:
            await script(app, pilot)

    with privacy_guard.sealed():
        asyncio.run(go())
    return app


async def say(pilot: Any, line: str, keys: bool = False) -> None:
    """Type a line and Enter: key by key, or put in at once as a paste does (faster)."""
    if keys:
        await pilot.press(*["space" if c == " " else c for c in line])
    else:
        pilot.app.query_one("#say").insert_text_at_cursor(line)
    await pilot.press("enter")
    await pilot.pause()
