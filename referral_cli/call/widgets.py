"""The facts bar and the text window of the call session (Textual widgets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from referral_cli.call.hearing import SLOTS, slot_text
from referral_cli.call.session import CallSession
from referral_cli.output import clean


class FactsBar(Static, can_focus=True):
    """The facts, slot by slot; Left/Right choose one, Delete removes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "previous", show=False),
        Binding("right", "move(1)", "next", show=False),
        Binding("delete,backspace,d", "remove", "remove", show=False),
        Binding("escape", "leave", "back", show=False),
    ]

    def __init__(
        self, session: CallSession, forget_slot: Callable[[str], None], *, id: str
    ) -> None:
        super().__init__(id=id)
        self.session = session
        self.forget_slot = forget_slot  # the app's: it re-draws the results too
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
            self.forget_slot(filled[self.chosen])

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
