"""Modal screens: help, citation inspector, export form, confirmation, saved drafts."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from assistant.models import Draft

from .state import load_state
from .widgets import passage_with_spans, row_with_header, source_header

HELP = [
    ("F1 / ?", "denne hjælp"),
    ("F2 F3 F4", "fanerne Spørgsmål, Kilder, Udkast"),
    ("Ctrl+PgUp/PgDn", "forrige / næste delspørgsmål"),
    ("F5", "fortolk spørgsmålet (fanen Spørgsmål) / søg kilder"),
    ("p / x", "fastgør / fravælg den valgte passage (i kildelisten)"),
    ("u", "udelad passagens dokument for hele spørgsmålet (alle delspørgsmål); u igen tager det med"),
    ("/", "fritekstsøgning i indekset (feltet «fritekst»; tomt: delspørgsmålet)"),
    ("F6", "skriv eller omskriv udkastet ud fra de fastgjorte kilder (spørger først, hvis du har rettet)"),
    ("Ctrl+Z", "i udkastet: fortryd, også et nyt udkast (rettelserne kommer tilbage)"),
    ("F7", "skift drafter: offline eller den konfigurerede sprogmodel"),
    ("Ctrl+R", "genverificér udkastet efter rettelser (sker også automatisk)"),
    ("Ctrl+O / Enter", "citationsinspektør for sætningen ved markøren / i listen"),
    ("F8", "eksportér til Word (.docx)"),
    ("F9", "gemte kladder; genåbn en"),
    ("Ctrl+P", "… «Indlæs dokumenter» tilføjer filer/mapper til indekset"),
    ("Ctrl+S", "gem nu (der gemmes også automatisk)"),
    ("Esc", "annullér igangværende arbejde / luk dialog"),
    ("Ctrl+P", "kommandopalet med alle handlinger"),
    ("Ctrl+Q", "afslut (gemmer først)"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q,question_mark", "dismiss", "Luk")]

    def compose(self) -> ComposeResult:
        t = Text()
        t.append("Tastatur\n\n", style="bold")
        for k, v in HELP:
            t.append(f"{k:<16}", style="bold cyan")
            t.append(f"{v}\n")
        t.append(
            "\nStatus pr. sætning: ✓ bekræftet · ⚠ ubekræftet (tal/citat findes ikke i kilden) · "
            "? påstand uden kilde · · ingen påstand.\nArbejdet gemmes automatisk i kladdemappen.",
            style="dim",
        )
        with VerticalScroll(classes="dialog"):
            yield Static(t)


class InspectorScreen(ModalScreen[None]):
    """Pick a citation key; see its passage with the supporting span highlighted."""

    BINDINGS = [Binding("escape,q", "dismiss", "Luk")]

    def __init__(self, draft: Draft, key: str | None = None, focus: tuple[int, int] | None = None):
        super().__init__()
        self.draft = draft
        self.key = key or (draft.sources[0].key if draft.sources else None)
        self.focus_span = focus

    def compose(self) -> ComposeResult:
        used = {c.key for a in self.draft.sub_answers for s in a.lines() for c in s.citations}
        options = [Option(Text(s.key + ("" if s.key in used else " (ubrugt)")), id=s.key) for s in self.draft.sources]
        with Horizontal(classes="dialog inspector"):
            yield OptionList(*options, id="keys")
            with VerticalScroll(id="passage-box"):
                yield Static(id="source-head")
                yield Static(id="passage")

    def on_mount(self) -> None:
        keys = self.query_one("#keys", OptionList)
        if self.key is not None:
            try:
                keys.highlighted = keys.get_option_index(self.key)
            except Exception:
                keys.highlighted = 0
        self.show(self.key)
        keys.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.key:
            self.focus_span = None
            self.show(event.option.id)

    def spans_for(self, key: str) -> list[tuple[int, int]]:
        return [tuple(c.span) for s in self.draft.sentences() for c in s.citations if c.key == key and c.span]

    def show(self, key: str | None) -> None:
        self.key = key
        ref = self.draft.source(key) if key else None
        head = self.query_one("#source-head", Static)
        body = self.query_one("#passage", Static)
        if ref is None:
            head.update(Text(f"Kilden {key} findes ikke i udkastet." if key else "Udkastet har ingen kilder."))
            body.update(Text(""))
            return
        head.update(source_header(ref))
        citing = [s.text for s in self.draft.sentences() if any(c.key == key for c in s.citations)]
        t = Text()
        if citing:
            t.append("\nCiteret af:\n", style="dim")
            for s in citing[:4]:
                t.append(f"  • {s}\n", style="italic")
        cols = {
            c.cell.column
            for s in self.draft.sentences()
            for c in s.citations
            if c.key == key and c.cell and c.cell.column
        }
        row = row_with_header(ref, cols)
        if row is not None:
            t.append("\nRækken med tabellens overskrifter (citerede celler fremhævet):\n\n", style="dim")
            t.append_text(row)
            t.append("\n")
        t.append("\nPassagen (understøttende tekst fremhævet):\n\n", style="dim")
        t.append_text(passage_with_spans(ref, self.spans_for(key), self.focus_span))
        body.update(t)


class TickBox(Checkbox):
    """A checkbox whose box is empty when unticked (the compact one shows an X either way)."""

    def render(self):
        self.BUTTON_INNER = "X" if self.value else " "
        return super().render()


class ExportScreen(ModalScreen[dict | None]):
    """Where to, which template, which extra fields (the last export's values come back)."""

    BINDINGS = [Binding("escape", "cancel", "Annullér")]

    def __init__(self, out: Path, template: Path | None, fields: str = ""):
        super().__init__()
        self.out, self.template, self.fields = out, template, fields

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(Text("Eksportér til Word", style="bold"))
            yield Label("Fil:")
            yield Input(str(self.out), id="x-out", compact=True)
            yield Label("Skabelon (tom = standard):")
            yield Input(str(self.template or ""), id="x-template", compact=True)
            yield Static(
                Text("Felter: navn=værdi, adskilt af ;  fx edoc=2026-0179144; f2=2026-11792; case_officer=Mads Hansen"),
                classes="hint",
            )
            yield Input(self.fields, id="x-fields", compact=True)
            yield TickBox("Overskriv hvis filen findes", value=False, id="x-force", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("Eksportér", id="x-ok", variant="primary")
                yield Button("Annullér", id="x-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "x-ok":
            self.submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def submit(self) -> None:
        fields: dict[str, str] = {}
        for part in self.query_one("#x-fields", Input).value.split(";"):
            if "=" in part:
                k, _, v = part.partition("=")
                if k.strip():
                    fields[k.strip()] = v.strip()
        template = self.query_one("#x-template", Input).value.strip()
        self.dismiss(
            {
                "fields_text": self.query_one("#x-fields", Input).value,
                "out": Path(self.query_one("#x-out", Input).value.strip()).expanduser(),
                "template": Path(template).expanduser() if template else None,
                "fields": fields,
                "force": self.query_one("#x-force", Checkbox).value,
            }
        )


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,j", "answer(True)", "Ja"),
        Binding("n,escape", "answer(False)", "Nej"),
    ]

    def __init__(self, message: Text | str):
        super().__init__()
        self.message = message if isinstance(message, Text) else Text(message)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog confirm"):
            yield Static(self.message)
            with Horizontal(classes="buttons"):
                yield Button("Ja (j)", id="c-yes", variant="primary")
                yield Button("Nej (n)", id="c-no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "c-yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class DraftsScreen(ModalScreen[Path | None]):
    """The autosaved working states, newest first; Enter reopens one."""

    BINDINGS = [Binding("escape", "cancel", "Luk")]

    def __init__(self, files: list[Path]):
        super().__init__()
        self.files = files

    def compose(self) -> ComposeResult:
        options = []
        for i, p in enumerate(self.files):
            try:
                title = load_state(p).title()
            except Exception as e:  # a damaged file is listed, not fatal
                title = f"(kan ikke læses: {type(e).__name__})"
            when = datetime.fromtimestamp(p.stat().st_mtime).strftime("%d-%m-%Y %H:%M")
            options.append(Option(Text(f"{when}  {title}  ({p.name})"), id=str(i)))
        with Vertical(classes="dialog"):
            yield Label("Gemte kladder (Enter åbner, Esc lukker)")
            if options:
                yield OptionList(*options, id="drafts")
            else:
                yield Static(Text("Ingen gemte kladder endnu."))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.files[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class PromptScreen(ModalScreen[str | None]):
    """One line of input (e.g. the folder to ingest)."""

    BINDINGS = [Binding("escape", "cancel", "Annullér")]

    def __init__(self, title: str, value: str = "", placeholder: str = ""):
        super().__init__()
        self.title_text, self.value, self.placeholder = title, value, placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Label(Text(self.title_text))
            yield Input(self.value, placeholder=self.placeholder, id="p-value", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("OK", id="p-ok", variant="primary")
                yield Button("Annullér", id="p-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        value = self.query_one("#p-value", Input).value.strip()
        self.dismiss((value or None) if event.button.id == "p-ok" else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
