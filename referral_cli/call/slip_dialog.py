"""The slip window of the call session: the options of ``referral slip`` and the file."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from referral_cli import languages
from referral_cli.slips.options import PAGES

SLIP_FORMATS = (("PDF", "pdf"), ("Text", "text"), ("Markdown", "markdown"), ("HTML", "html"))
SUFFIXES = {"pdf": ".pdf", "text": ".txt", "markdown": ".md", "html": ".html"}


class SlipChoice(NamedTuple):
    """What the slip window asks: the options of ``referral slip``, and the file."""

    fmt: str
    lang: str
    page: str
    discreet: bool
    name: str | None
    path: str


def slip_language(caller: tuple[str, ...], printable: tuple[str, ...]) -> str:
    """The slip's language: the first the caller speaks that slips are printed in
    (any script or region of it, an old code as its current one: ``tl`` is ``fil``),
    else English."""
    for spoken in caller:
        for code in printable:
            same = languages.normalize(code) or code
            if languages.speaks((same,), languages.normalize(spoken) or spoken):
                return code
    return "en"


class SlipScreen(ModalScreen[SlipChoice | None]):
    """Format, language, paper, discretion, an optional first name, and where to write."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel", show=False)]

    def __init__(
        self,
        names: list[str],
        folder: Path,
        languages: tuple[str, ...],
        number: str,
        caller_languages: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.names = names
        self.folder = folder
        self.languages = languages
        self.number = number
        self.language = slip_language(caller_languages, languages)

    def compose(self) -> ComposeResult:
        with Vertical(id="window"):
            yield Label(Text("Slip of: " + "; ".join(self.names), style="bold"))
            with Horizontal(classes="row"):
                yield Select(SLIP_FORMATS, value="pdf", allow_blank=False, id="format")
                yield Select(
                    [(code, code) for code in self.languages],
                    value=self.language,
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
