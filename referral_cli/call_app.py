"""The full-screen session of ``referral call`` (Textual; imported by that command only).

One input line; each line typed changes the facts (:mod:`referral_cli.session`);
the bar shows them slot by slot; the results follow at once, one line each,
phone first. Everything works from the keyboard (F1 lists the keys). What the
volunteer types lives in this process's memory only: the call runs inside
:func:`referral_cli.privacy_guard.sealed`, and a new caller or leaving the
session drops it and clears the screen.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, NamedTuple

from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from referral_cli.hearing import SLOTS, slot_text
from referral_cli.output import clean
from referral_cli.session import CallSession
from referral_cli.slips import PAGES

if TYPE_CHECKING:
    from referral_cli.model import Provider
    from referral_cli.search import Result

KEYS = (
    ("Enter", "add what you typed to the facts (empty line: details of the result)"),
    ("Up/Down, PgUp/PgDn", "choose a result"),
    ("F2", "details of the chosen result (hours, open now, intake, who it serves)"),
    ("F3", "mark or unmark the chosen result for the slip"),
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
SLIP_FORMATS = (("PDF", "pdf"), ("Text", "text"), ("Markdown", "markdown"), ("HTML", "html"))
SUFFIXES = {"pdf": ".pdf", "text": ".txt", "markdown": ".md", "html": ".html"}


def deciding_reason(r: Result, shared: frozenset[str] = frozenset()) -> str:
    """What sets this result apart: who it serves, reach; reasons every result
    shares ("offers temporary shelter", "speaks Spanish") and the distance, which
    has its own column, are left out."""
    parts = [x for x in r.reasons if x not in shared and "km away" not in x]
    return "; ".join(p.removeprefix("serves: ") for p in parts)


def shared_reasons(results: list[Result]) -> frozenset[str]:
    """The reasons all the results give (the facts every one of them matches)."""
    if len(results) < 2:
        return frozenset(x for r in results for x in r.reasons if x.startswith("offers "))
    common = set(results[0].reasons)
    for r in results[1:]:
        common &= set(r.reasons)
    return frozenset(common)


def result_line(number: int, r: Result, marked: bool, width: int, why: str) -> Text:
    """One result on one line of ``width`` cells: mark, number, phone, name, km, reason."""
    p = r.provider
    phone = clean(p.phone or p.hotline or "no phone")
    approximate = "~" if p.confidential else ""
    km = "" if r.distance_km is None else f"{approximate}{_km(r.distance_km)}"
    wide = width >= 60
    rest = max(width - (2 + 3 + 17 + (6 if wide else 0)), 10)
    name_width = max(rest * 11 // 20, 10) if wide else rest
    why_width = rest - name_width - 1 if wide else 0
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append("* " if marked else "  ", style="bold")
    line.append(f"{number:>2} ")
    line.append(f"{phone:<16.16} ", style="bold")
    line.append(_fit(clean(p.name), name_width))
    if wide:
        line.append(f"{km:>5} ")
    if why_width > 0:
        line.append(" " + _fit(clean(why), why_width), style="dim")
    return line


def _km(km: float) -> str:
    """At most five cells: 2.5, 63.3, 256, 3681 (a wider figure would wrap the line)."""
    return f"{km:g}" if km < 100 else f"{km:.0f}" if km < 99_999 else "far"


def _fit(text: str, width: int) -> str:
    if len(text) <= width:
        return text.ljust(width)
    return text[: max(width - 1, 0)] + "…"


def details_text(r: Result) -> Table:
    """The chosen provider in plain words, phone first; confidential address left out."""
    from referral_cli.describe import fields
    from referral_cli.search import is_open

    opened = is_open(r.provider)
    now = "unknown (the hours do not say)" if opened is None else "yes" if opened else "no"
    rows = [(label, value) for label, value in fields(r.provider) if label != "Name"]  # the title
    at = next((i + 1 for i, (label, _) in enumerate(rows) if label == "Hours"), len(rows))
    rows.insert(at, ("Open now", now))
    rows.append(("Why it is here", "; ".join(r.reasons)))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(Text(f"{label}:" if label else ""), Text(clean(value)))
    return grid


class FactsBar(Static, can_focus=True):
    """The facts, slot by slot; Left/Right choose one, Delete removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "previous", show=False),
        Binding("right", "move(1)", "next", show=False),
        Binding("delete,backspace,d", "remove", "remove", show=False),
        Binding("escape", "leave", "back", show=False),
    ]

    def __init__(self, session: CallSession, *, id: str) -> None:
        super().__init__(id=id)
        self.session = session
        self.chosen = 0

    def show(self) -> None:
        facts, tax = self.session.facts, self.session.tax
        filled = facts.filled()
        self.chosen = min(self.chosen, max(len(filled) - 1, 0))
        bar = Text()
        if not filled:
            bar.append("Nothing known yet. Type what the caller says; F1 for help.", style="dim")
        for slot in SLOTS:
            # The place as the gazetteer found it, so a misheard town shows at once.
            value = self.session.place_label() if slot == "place" else slot_text(facts, slot, tax)
            if not value:
                continue
            chosen = self.has_focus and filled[self.chosen] == slot
            if bar:
                bar.append(" · ")
            bar.append(f"{slot} ", style="dim reverse" if chosen else "dim")
            bar.append(clean(value), style="bold reverse" if chosen else "bold")
        self.update(bar)

    def on_focus(self) -> None:
        self.show()

    def on_blur(self) -> None:
        self.show()

    def action_move(self, step: int) -> None:
        filled = self.session.facts.filled()
        if filled:
            self.chosen = (self.chosen + step) % len(filled)
        self.show()

    def action_remove(self) -> None:
        filled = self.session.facts.filled()
        if filled:
            app = self.app
            assert isinstance(app, CallApp)
            app.forget_slot(filled[self.chosen])

    def action_leave(self) -> None:
        self.app.query_one("#say", Input).focus()


class TextScreen(ModalScreen[None]):
    """A window of text (help, details) closed by Esc, F1, F2 or Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,f2,enter,q", "close", "close", show=False),
    ]

    def __init__(self, title: str, body: Text | Table) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical(id="window"):
            yield Label(Text(self.title_text, style="bold"))
            with VerticalScroll():
                yield Static(self.body)
            yield Label(Text("Esc closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)


class SlipChoice(NamedTuple):
    """What the slip window asks: the options of ``referral slip``, and the file."""

    fmt: str
    lang: str
    page: str
    discreet: bool
    name: str | None
    path: str


class SlipScreen(ModalScreen[SlipChoice | None]):
    """Format, language, paper, discretion, an optional first name, and where to write."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(
        self, names: list[str], folder: Path, languages: tuple[str, ...], number: str
    ) -> None:
        super().__init__()
        self.names = names
        self.folder = folder
        self.languages = languages
        self.number = number

    def compose(self) -> ComposeResult:
        with Vertical(id="window"):
            yield Label(Text("Slip of: " + "; ".join(self.names), style="bold"))
            with Horizontal(classes="row"):
                yield Select(SLIP_FORMATS, value="pdf", allow_blank=False, id="format")
                yield Select(
                    [(code, code) for code in self.languages],
                    value="en",
                    allow_blank=False,
                    id="lang",
                )
                yield Select([(p, p) for p in PAGES], value="letter", allow_blank=False, id="page")
                yield Checkbox("discreet", value=True, id="discreet")
            yield Input(placeholder="first name on the slip (optional, never kept)", id="name")
            yield Input(value=str(self.folder / f"slip-{self.number}.pdf"), id="path")
            yield Label(Text("Tab: next field · Enter: write · Esc: cancel", style="dim"))
            with Horizontal(classes="row"):
                yield Button("Write", variant="primary", id="write")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "format":
            return
        path = self.query_one("#path", Input)
        current = Path(path.value)
        if current.suffix.lower() in SUFFIXES.values():
            path.value = str(current.with_suffix(SUFFIXES[str(event.value)]))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._write()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "write":
            self._write()
        else:
            self.dismiss(None)

    def _write(self) -> None:
        name = self.query_one("#name", Input).value.strip() or None
        self.dismiss(
            SlipChoice(
                fmt=str(self.query_one("#format", Select).value),
                lang=str(self.query_one("#lang", Select).value),
                page=str(self.query_one("#page", Select).value),
                discreet=self.query_one("#discreet", Checkbox).value,
                name=name,
                path=self.query_one("#path", Input).value.strip(),
            )
        )

    def action_cancel(self) -> None:
        self.dismiss(None)


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

    def compose(self) -> ComposeResult:
        with Horizontal(id="sayline"):
            yield Label("› ", id="prompt")
            yield Input(placeholder="type what the caller says, then Enter", id="say")
        yield FactsBar(self.session, id="bar")
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
        heard = self.session.hear(line)
        self.query_one("#heard", Static).update(Text(clean("; ".join(heard.said))))
        self.show_results()

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
        self.push_screen(TextScreen(clean(r.provider.name), details_text(r)))

    def action_mark(self) -> None:
        r = self.chosen()
        if r is None or isinstance(self.screen, ModalScreen):
            return
        self.marked ^= {r.provider.id}
        self.show_results()
        self.action_move(1)

    def action_copy_phone(self) -> None:
        r = self.chosen()
        if r is None:
            return
        phone = r.provider.phone or r.provider.hotline
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
        from referral_cli import slips

        providers = self.marked_shown()
        if not providers:
            r = self.chosen()
            if r is None:
                self.say("no result to put on a slip")
                return
            providers = [r.provider]
        number = slips.new_referral_number()

        def done(choice: SlipChoice | None) -> None:
            if choice is not None:
                self.write_slip(providers, number, choice)

        self.push_screen(
            SlipScreen(
                [clean(p.name) for p in providers], self.slip_folder, slips.languages(), number
            ),
            done,
        )

    def write_slip(self, providers: list[Provider], number: str, choice: SlipChoice) -> None:
        """Check the file, then render and write it off the screen's thread (a PDF
        takes a moment; the call goes on meanwhile)."""
        from referral_cli.commands.slip_writing import SUFFIX_FORMATS

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
        from referral_cli.commands.slip_writing import slip_options
        from referral_cli.errors import ReferralError
        from referral_cli.files import write_atomic
        from referral_cli.privacy_guard import allow_file
        from referral_cli.slips import render

        try:
            options = slip_options(
                lang=choice.lang, discreet=choice.discreet, name=choice.name, page=choice.page
            )
            options.referral_number = number
            data, warnings = render(providers, fmt, options)
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
