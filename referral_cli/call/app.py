"""The full-screen session of ``referral call`` (Textual; imported by that command only).

One input line; each line typed changes the facts (:mod:`referral_cli.call.session`);
the bar shows them slot by slot; the results follow at once, one line each,
phone first. Everything works from the keyboard (F1 lists the keys). What the
volunteer types lives in this process's memory only: the call runs inside
:func:`referral_cli.call.privacy_guard.sealed`, and a new caller or leaving the
session drops it and clears the screen.

The result lines come from :mod:`referral_cli.call.results`, the facts bar and the
text window from :mod:`referral_cli.call.widgets`, the slip window from
:mod:`referral_cli.call.slip_dialog`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from referral_cli.call.privacy_guard import allow_file
from referral_cli.call.results import deciding_reason, details_text, result_line, shared_reasons
from referral_cli.call.session import CallSession
from referral_cli.call.slip_dialog import SUFFIXES, SlipChoice, SlipScreen
from referral_cli.call.widgets import FactsBar, TextScreen
from referral_cli.commands.slip_writing import SUFFIX_FORMATS, slip_options
from referral_cli.errors import ReferralError
from referral_cli.files import write_atomic
from referral_cli.output import clean
from referral_cli.records.describe import number_to_call
from referral_cli.slips import formats
from referral_cli.slips.labels import languages
from referral_cli.slips.options import new_referral_number

if TYPE_CHECKING:
    from referral_cli.records.model import Provider
    from referral_cli.search.rules import Result

KEYS = (
    ("Enter", "add what you typed to the facts (empty line: details of the result)"),
    ("Up/Down, PgUp/PgDn", "choose a result"),
    ("F2", "details of the chosen result (hours, open now, intake, who it serves)"),
    ("F3", "mark or unmark the chosen result for the slip (the cursor stays; Up/Down move it)"),
    ("F4", "make a slip of the marked results (or of the chosen one)"),
    ("F5", "copy the chosen result's phone number (terminal clipboard, OSC 52)"),
    ("F6 / Tab", "go to the bar of facts: Left/Right choose, Delete removes"),
    ("Tab again", "go to the list: Enter shows details, Space marks"),
    ("F9", "new caller: forget every fact, mark and result"),
    ("F10 / Ctrl+Q", "leave (forgets everything too)"),
    ("F1", "this help"),
    ("Esc", "close a window; on the input line, clear it"),
)
TYPING_EXAMPLES = (
    '"somewhere to stay", "she\'s 15", "spanish", "we\'re in Visalia",',
    '"not Fresno, Visalia", "no, she\'s 16", "within 20 km", "drop language"',
)


class CallApp(App[None]):
    """The live call."""

    TITLE = "referral call"
    ENABLE_COMMAND_PALETTE = False  # it offers "save screenshot": a file of the screen
    CSS = """
    Screen { layout: vertical; }
    #prompt { width: 2; }
    #sayline { height: 1; }
    #say { border: none; height: 1; padding: 0; width: 1fr; }
    #bar { height: auto; max-height: 3; padding: 0 0; }
    #bar:focus { background: $boost; }
    #heard { height: auto; max-height: 2; color: $text-muted; }
    #notes { height: auto; max-height: 3; color: $warning; }
    #results { height: 1fr; border: none; padding: 0; }
    #keys { height: 1; color: $text-muted; }
    #window { width: 90%; max-width: 100; height: auto; max-height: 90%;
              border: round $accent; padding: 0 1; background: $surface; }
    #window VerticalScroll { height: auto; max-height: 16; }
    .row { height: auto; }
    .row Select { width: 1fr; max-width: 16; }
    .row SelectCurrent { padding: 0 0 0 1; }
    /* NO_COLOR: what colour would show (the chosen result, the cursor, the focused
       field) is shown by underline, reverse, weight and line instead (an option
       list's highlight cannot be reversed). */
    OptionList:nocolor > .option-list--option-highlighted { text-style: underline; }
    OptionList:nocolor:focus > .option-list--option-highlighted { text-style: bold underline; }
    Input:nocolor > .input--cursor { text-style: reverse; }
    Input:nocolor, Button:nocolor, Checkbox:nocolor, Select:nocolor > SelectCurrent,
    Select:nocolor > SelectOverlay { border: round; }
    Input:nocolor:focus, Button:nocolor:focus, Checkbox:nocolor:focus,
    Select:nocolor:focus > SelectCurrent { border: double; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "help", priority=True),
        Binding("f2", "details", "details", priority=True),
        Binding("f3", "mark", "mark", priority=True),
        Binding("f4", "slip", "slip", priority=True),
        Binding("f5", "copy_phone", "copy phone", priority=True),
        Binding("f6", "bar", "facts", priority=True),
        Binding("f9,ctrl+n", "new_caller", "new caller", priority=True),
        Binding("f10,ctrl+q", "leave", "quit", priority=True),
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "move(-5)", show=False),
        Binding("pagedown", "move(5)", show=False),
    ]

    def __init__(self, session: CallSession, slip_folder: Path) -> None:
        # Under NO_COLOR Textual turns colours into greys (its Monochrome filter); with
        # ansi_color it drops every colour instead (NoColor), and the CSS below marks
        # what colour would (the chosen result, the focused field) by reverse and bold.
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        self.session = session
        self.slip_folder = slip_folder
        self.marked: set[str] = set()
        self.shown: list[Result] = []
        self.last_slip: Path | None = None
        self.crashed: Exception | None = None  # what ended the session, if anything did

    def compose(self) -> ComposeResult:
        with Horizontal(id="sayline"):
            yield Label("› ", id="prompt")
            yield Input(placeholder="type what the caller says, then Enter", id="say")
        yield FactsBar(self.session, self.forget_slot, id="bar")
        yield Static(id="heard")
        yield Static(id="notes")
        yield OptionList(id="results")
        yield Static(
            Text(
                "F1 help F2 details F3 mark F4 slip F5 copy phone F6 facts F9 new caller F10 quit",
                no_wrap=True,
                overflow="ellipsis",
            ),
            id="keys",
        )

    def _handle_exception(self, error: Exception) -> None:
        """An error nothing caught ends the session. Textual's own handler would
        print a traceback with every local value (the caller's facts, the typed
        line) once the screen closes; this one keeps only the error, which
        ``referral call`` reports as one line."""
        self.crashed = error
        self._return_code = 1
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        self.query_one("#say", Input).focus()
        self.show_results()

    # ------------------------------------------------------------------ facts

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "say":
            return
        line = event.value
        event.input.value = ""
        if not line.strip():
            self.action_details()
            return
        before = self.session.facts
        try:
            said = self.session.hear(line).said
            self.show_results()
        except Exception as exc:  # noqa: BLE001 - a line must never end the call
            self.session.facts = before
            said = [
                f"that line could not be used (unexpected {type(exc).__name__}: a bug, please"
                " report it); the facts are as they were"
            ]
            self.show_results()
        self.query_one("#heard", Static).update(Text(clean("; ".join(said))))

    def forget_slot(self, slot: str) -> None:
        heard = self.session.remove(slot)
        self.query_one("#heard", Static).update(Text(clean("; ".join(heard.said))))
        self.show_results()

    def show_results(self) -> None:
        """Re-draw the bar and the results for the current facts."""
        self.query_one(FactsBar).show()
        result = self.session.results()
        chosen = self.chosen()
        self.shown = list(result.results)
        header = f"{len(result.results)} result(s)" if not self.session.facts.is_empty else ""
        if result.origin is not None:
            header += f" near {result.origin.label}"
            if result.radius_km is not None:
                header += f" within {result.radius_km:g} km"
        marked = self.marked_shown()
        if marked:
            header += f" · {len(marked)} marked"
        if len(marked) < len(self.marked):
            header += f" ({len(self.marked) - len(marked)} marked no longer fit)"
        notes = Text()
        notes.append(clean(header), style="bold")
        for note in result.notes:
            notes.append((" · " if notes else "") + clean(note))
        self.query_one("#notes", Static).update(notes)
        options = self.query_one("#results", OptionList)
        options.clear_options()
        width = max(options.size.width or self.size.width, 20)
        if not self.shown:
            if not self.session.facts.is_empty:
                options.add_option(Option(Text("No provider matches these facts.", style="dim")))
            return
        shared = shared_reasons(self.shown)
        options.add_options(
            Option(
                result_line(i, r, r.provider.id in self.marked, width, deciding_reason(r, shared)),
                id=r.provider.id,
            )
            for i, r in enumerate(self.shown, 1)
        )
        ids = [r.provider.id for r in self.shown]
        options.highlighted = (
            ids.index(chosen.provider.id) if chosen and chosen.provider.id in ids else 0
        )

    def on_resize(self, event: events.Resize) -> None:
        small = event.size.height < 20  # the results keep most of a small screen
        self.query_one("#notes", Static).styles.max_height = 2 if small else 3
        self.query_one("#heard", Static).styles.max_height = 1 if small else 2
        self.call_after_refresh(self.show_results)

    def marked_shown(self) -> list[Provider]:
        """The marked providers that still fit the facts (a slip never has another)."""
        return [r.provider for r in self.shown if r.provider.id in self.marked]

    def chosen(self) -> Result | None:
        options = self.query_one("#results", OptionList)
        index = options.highlighted
        if index is None or not (0 <= index < len(self.shown)):
            return None
        return self.shown[index]

    # ---------------------------------------------------------------- actions

    def action_move(self, step: int) -> None:
        options = self.query_one("#results", OptionList)
        if not self.shown:
            return
        index = options.highlighted or 0
        options.highlighted = min(max(index + step, 0), len(self.shown) - 1)

    def action_help(self) -> None:
        if isinstance(self.screen, ModalScreen):
            return
        body = Table.grid(padding=(0, 1))
        body.add_column(style="bold", no_wrap=True)
        body.add_column(overflow="fold")
        for key, what in KEYS:
            body.add_row(key, what)
        body.add_row("", "")
        body.add_row("Type, e.g.", "\n".join(TYPING_EXAMPLES))
        body.add_row(
            "",
            Text(
                "Nothing typed here is written to disk or kept after the call; only a slip"
                " you write is saved, to the file you choose.",
                style="dim",
            ),
        )
        self.push_screen(TextScreen("Keys", body))

    def action_details(self) -> None:
        r = self.chosen()
        if r is None or isinstance(self.screen, ModalScreen):
            return
        details = details_text(r, self.session.cfg.report_hours)
        self.push_screen(TextScreen(clean(r.provider.name), details))

    def action_mark(self) -> None:
        r = self.chosen()
        if r is None or isinstance(self.screen, ModalScreen):
            return
        self.marked ^= {r.provider.id}
        self.show_results()

    def action_copy_phone(self) -> None:
        r = self.chosen()
        if r is None:
            return
        phone, _ = number_to_call(r.provider)
        if not phone:
            self.say(f"{clean(r.provider.name)} has no phone number")
            return
        self.copy_to_clipboard(phone)
        self.say(f"copied {clean(phone)} ({clean(r.provider.name)})")

    def action_bar(self) -> None:
        if not isinstance(self.screen, ModalScreen):
            self.query_one(FactsBar).focus()

    def action_slip(self) -> None:
        if isinstance(self.screen, ModalScreen):
            return
        providers = self.marked_shown()
        if not providers:
            r = self.chosen()
            if r is None:
                self.say("no result to put on a slip")
                return
            providers = [r.provider]
        number = new_referral_number()

        def done(choice: SlipChoice | None) -> None:
            if choice is not None:
                self.write_slip(providers, number, choice)

        self.push_screen(
            SlipScreen(
                [clean(p.name) for p in providers],
                self.slip_folder,
                languages(),
                number,
                self.session.facts.languages,
            ),
            done,
        )

    def write_slip(self, providers: list[Provider], number: str, choice: SlipChoice) -> None:
        """Check the file, then render and write it off the screen's thread (a PDF
        takes a moment; the call goes on meanwhile)."""
        path = Path(choice.path).expanduser()
        if path.is_dir():
            path = path / f"slip-{number}{SUFFIXES[choice.fmt]}"
        fmt = SUFFIX_FORMATS.get(path.suffix.lower(), choice.fmt)  # as 'slip -o' reads it
        if path.exists():
            self.say(f"slip not written: {clean(str(path))} exists; give another file name")
            return
        self.say(f"writing the slip ({fmt}) …")
        self.run_worker(
            lambda: self._render_slip(providers, number, choice, fmt, path),
            thread=True,
            group="slip",
        )

    def _render_slip(
        self, providers: list[Provider], number: str, choice: SlipChoice, fmt: str, path: Path
    ) -> None:
        try:
            options = slip_options(
                lang=choice.lang, discreet=choice.discreet, name=choice.name, page=choice.page
            )
            options.referral_number = number
            data, warnings = formats.render(providers, fmt, options)
            with allow_file(path):
                write_atomic(path, data)
        except (ReferralError, OSError) as exc:
            self.call_from_thread(self.say, f"slip not written: {clean(str(exc))}")
            return
        count = len(providers)
        message = (
            f"slip written: {count} provider{'s' if count != 1 else ''}, {fmt}, referral"
            f" number {number}, to {clean(str(path))}" + "".join(f"; {clean(w)}" for w in warnings)
        )
        self.call_from_thread(self._slip_written, path, message)

    def _slip_written(self, path: Path, message: str) -> None:
        self.last_slip = path
        self.marked.clear()
        self.show_results()
        self.say(message)

    def action_new_caller(self) -> None:
        """Forget the caller: facts, marks, what was typed, the clipboard copy, the screen."""
        while isinstance(self.screen, ModalScreen):
            self.pop_screen()
        self.session.new_caller()
        self.marked.clear()
        self._clipboard = ""
        self.query_one("#say", Input).value = ""
        self.query_one("#heard", Static).update(
            Text("New caller: every fact forgotten.", style="bold")
        )
        self.show_results()
        self.query_one("#say", Input).focus()
        self.refresh(repaint=True, layout=True)

    def action_leave(self) -> None:
        self.session.new_caller()
        self.marked.clear()
        self.shown = []
        self._clipboard = ""
        self.exit()

    def say(self, message: str) -> None:
        self.query_one("#heard", Static).update(Text(message))

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self.focused is self.query_one("#say", Input):
            self.query_one("#say", Input).value = ""
        elif event.key == "space" and self.focused is self.query_one("#results", OptionList):
            self.action_mark()  # on the list itself, Space marks as F3 does

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_details()  # Enter on the list itself

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """No screenshot files: the screen holds what the caller said."""
        self.say("screenshots are off during a call")
