"""Panes and text helpers of the TUI.

Every piece of document or model text is turned into a ``rich.text.Text``
object here (or shown in a TextArea/Input, which never parse markup), so a
``[b]`` or ``[/]`` in a source can neither crash the app nor restyle it.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Input, Label, LoadingIndicator, OptionList, Select, Static, TextArea

from assistant.danish import format_date
from assistant.models import DocKind, Hit, Sentence, SourceRef, Status

KIND_LABELS = {
    DocKind.prior_answer: "tidl. svar",
    DocKind.budget_note: "budgetnotat",
    DocKind.decision: "beslutning",
    DocKind.minutes: "referat",
    DocKind.transcript: "debat",
    DocKind.other: "andet",
}

STATUS_MARK = {
    Status.verified: ("✓", "green"),
    Status.unverified: ("⚠", "bold yellow"),
    Status.uncited: ("?", "bold red"),
    Status.no_claim: ("·", "dim"),
}


def nice_date(iso: str | None) -> str:
    if not iso:
        return "u.d."
    if len(iso) >= 10:
        try:
            return format_date(iso)
        except (ValueError, KeyError, IndexError):
            return iso
    return iso


def prior_label(meta) -> str:
    """``besvaret tidligere 22. november 2023`` for prior answers, '' otherwise."""
    if meta.kind != DocKind.prior_answer:
        return ""
    return f"besvaret tidligere {nice_date(meta.date)}" if meta.date else "besvaret tidligere"


def plain(text: str, style: str = "") -> Text:
    """Text shown literally (never parsed as markup)."""
    return Text(text, style=style)


TITLE_WIDTH = 30  # at 80 columns; the table gives titles whatever width the terminal has beyond that
OTHER_COLUMNS = 50  # mark, rank, score, date, kind and the cell padding


def title_width(table_width: int) -> int:
    return max(TITLE_WIDTH, table_width - OTHER_COLUMNS)


def hit_cells(
    rank: int, hit: Hit, *, pinned: bool, dropped: bool, excluded: bool = False, width: int = TITLE_WIDTH
) -> tuple[Text, ...]:
    mark = "⊘" if excluded else ("📌" if pinned else ("✗" if dropped else " "))
    prior = hit.meta.kind == DocKind.prior_answer
    kind = "besvaret tidligere" if prior else KIND_LABELS.get(hit.meta.kind, hit.meta.kind.value)
    style = "dim strike" if dropped or excluded else ("bold" if pinned else "")
    title = " ".join(hit.meta.title.split())
    heading = " ".join((hit.passage.heading_path or [""])[-1].split())
    if heading and heading.lower() not in title.lower():  # rows of one long document differ by their section
        title = f"{title} › {heading}"
    if len(title) > width:
        title = title[: width - 1] + "…"
    return (
        Text(mark),
        Text(str(rank)),
        Text(f"{hit.score:.2f}"),
        Text(title, style=style, no_wrap=True),
        Text(hit.meta.date or "", no_wrap=True),
        Text(kind, style="italic cyan" if prior else "", no_wrap=True),
    )


def highlight_terms(text: str, terms: list[str], style: str = "bold black on yellow") -> Text:
    t = Text(text)
    words = [w for w in terms if w and len(w) > 1]
    if words:
        t.highlight_words(words, style=style, case_sensitive=False)
    return t


def hit_preview(hit: Hit | None, *, pinned: bool = False, dropped: bool = False, excluded: bool = False) -> Text:
    if hit is None:
        return Text("Ingen passage valgt.", style="dim")
    m, p = hit.meta, hit.passage
    out = Text()
    out.append(m.title, style="bold")
    out.append("\n")
    info = [m.authority or "ukendt afsender", nice_date(m.date), KIND_LABELS.get(m.kind, m.kind.value)]
    if p.page:
        info.append(f"s. {p.page}")
    info.append(Path(m.source_path).name)
    out.append(" · ".join(info), style="dim")
    prior = prior_label(m)
    if prior:
        out.append("\n")
        out.append(prior.capitalize(), style="italic cyan")
    if p.heading_path:
        out.append("\n")
        out.append(" › ".join(p.heading_path), style="italic")
    state = (
        "dokumentet er udeladt for hele spørgsmålet"
        if excluded
        else ("fastgjort" if pinned else ("fravalgt" if dropped else ""))
    )
    terms = ", ".join(hit.matched_terms)
    out.append("\n")
    out.append(f"Relevans {hit.relevance:.2f} · score {hit.score:.2f}", style="dim")
    if terms:
        out.append(f" · fundne ord: {terms}", style="dim")
    if state:
        out.append(f" · {state}", style="bold")
    if hit.duplicates:
        docs = list(dict.fromkeys(c.rsplit(":", 2)[0] for c in hit.duplicates))
        n = len(hit.duplicates)
        out.append("\n")
        out.append(
            f"Samme tekst står også i {n} {'passage' if n == 1 else 'passager'} fra {', '.join(docs)} (foldet ind her)",
            style="dim italic",
        )
    if p.flags:
        out.append("\n")
        out.append(f"Advarsel: markeret {', '.join(p.flags)} (bruges kun som data)", style="bold red")
    out.append("\n\n")
    out.append_text(highlight_terms(p.text, hit.matched_terms))
    return out


def sentence_line(index: int, s: Sentence) -> Text:
    mark, style = STATUS_MARK.get(s.status, ("?", ""))
    out = Text()
    out.append(f"{mark} ", style=style)
    keys = ", ".join(dict.fromkeys(c.key for c in s.citations))
    short = s.text if len(s.text) <= 70 else s.text[:67] + "…"
    out.append(f"{index}. {short}")
    if keys:
        out.append(f" [{keys}]", style="cyan")
    if s.status == Status.unverified:
        out.append("\n   ")
        out.append("ubekræftet: " + "; ".join(s.problems), style="yellow")
    elif s.status == Status.uncited:
        out.append("\n   ")
        out.append("uden kilde", style="red")
    return out


def passage_with_spans(ref: SourceRef, spans: list[tuple[int, int]], focus: tuple[int, int] | None = None) -> Text:
    """The passage text with supporting spans highlighted (offsets into ``passage.text``)."""
    t = Text(ref.passage.text)
    n = len(ref.passage.text)
    for a, b in spans:
        if 0 <= a < b <= n:
            t.stylize("black on yellow", a, b)
    if focus and 0 <= focus[0] < focus[1] <= n:
        t.stylize("bold black on bright_green", focus[0], focus[1])
    return t


def row_with_header(ref: SourceRef, cited_columns: set[str] | None = None) -> Text | None:
    """A cited table row under its table's caption and column headers, the cited cells highlighted, so
    the officer reads "2026: 2.700.000 kr." against the header it belongs to; None for a text passage."""
    ctx = ref.passage.table_row
    if ctx is None:
        return None
    cited = cited_columns or set()
    caption = ctx.caption
    for extra in (ctx.unit, ctx.price_basis):
        if extra and extra not in caption:
            caption += f" ({extra})"
    heads = [ctx.label_header or "Post", *[c.column for c in ctx.row.cells]]
    values = [ctx.row.label, *[c.text or "–" for c in ctx.row.cells]]
    widths = [max(len(h), len(v)) for h, v in zip(heads, values, strict=True)]
    out = Text()
    out.append(caption + "\n", style="bold")
    for i, (h, w) in enumerate(zip(heads, widths, strict=True)):
        out.append((" | " if i else "") + h.ljust(w), style="dim")
    out.append("\n")
    for i, (v, w) in enumerate(zip(values, widths, strict=True)):
        if i:
            out.append(" | ")
        column = heads[i] if i else None
        style = "bold black on yellow" if column is not None and (column in cited or not cited) and i else ""
        out.append(v.ljust(w), style=style)
    if ctx.row.uncertain:
        out.append("\n(årstallene for rækkens tal kan ikke placeres sikkert i den udtrukne tekst)", style="italic")
    return out


def source_header(ref: SourceRef) -> Text:
    m, p = ref.meta, ref.passage
    out = Text()
    out.append(f"{ref.key}  ", style="bold cyan")
    out.append(m.title, style="bold")
    rows = [
        ("Dato", nice_date(m.date)),
        ("Afsender", m.authority or "ukendt"),
        ("Type", KIND_LABELS.get(m.kind, m.kind.value)),
        ("Overskrift", " › ".join(p.heading_path) or "-"),
        ("Side", str(p.page) if p.page else "-"),
        ("Fil", Path(m.source_path).name),
    ]
    for k, v in rows:
        out.append(f"\n{k}: ", style="dim")
        out.append(v)
    prior = prior_label(m)
    if prior:
        out.append("\n")
        out.append(prior.capitalize(), style="italic cyan")
    return out


# --- panes -------------------------------------------------------------------------


# The key line: the main keys always (they fit in 80 columns), more as the width allows.
MAIN_KEYS = [
    ("F2", "spm."),
    ("F3", "kilder"),
    ("F4", "udkast"),
    ("F5", "søg"),  # "fortolk" while the question is being pasted
    ("F6", "skriv"),
    ("F8", "eksport"),
    ("^O", "kilde"),
    ("^Q", "afslut"),
]
MORE_KEYS = [("F1", "hjælp"), ("F7", "drafter"), ("F9", "kladder"), ("^P", "kommandoer")]


def key_line(width: int, *, f5: str = "søg") -> Text:
    """``F2 spm. F3 kilder … ^Q afslut`` in at most ``width`` cells; the main keys always come first."""
    out = Text(no_wrap=True, overflow="crop")
    keys = [(k, f5 if k == "F5" else v) for k, v in MAIN_KEYS]
    used = 0
    for i, (k, v) in enumerate(keys + MORE_KEYS):
        piece = len(k) + 1 + len(v) + (1 if used else 0)
        if i >= len(keys) and used + piece > width:
            break
        if used:
            out.append(" ")
        out.append(k, style="bold reverse")
        out.append(" " + v)
        used += piece
    return out


class KeyLine(Static):
    """One line of the main keys (Textual's footer cut them off at 80 columns)."""


class IntakePane(VerticalScroll):
    """Paste or open the question; the parsed fields and sub-questions are editable."""

    def compose(self) -> ComposeResult:
        yield Label("Spørgsmålet (indsæt teksten; F5 fortolk):")
        yield TextArea(id="raw", soft_wrap=True, show_line_numbers=False)
        with Horizontal(classes="row"):
            yield Label("Fil", classes="lbl")
            yield Input(placeholder="sti til en fil med spørgsmålet …", id="file-path", compact=True)
            yield Button("Åbn fil", id="open-file", compact=True)
            yield Button("Fortolk", id="parse", variant="primary", compact=True)
        with Horizontal(classes="row"):
            yield Label("Spørger", classes="lbl")
            yield Input(placeholder="navn", id="f-asker", compact=True)
            yield Label("Parti", classes="lbl-s")
            yield Input(placeholder="-", id="f-party", classes="short", compact=True)
            yield Label("Dato", classes="lbl-s")
            yield Input(placeholder="ÅÅÅÅ-MM-DD", id="f-date", classes="date", compact=True)
        with Horizontal(classes="row"):
            yield Label("Til", classes="lbl")
            yield Input(placeholder="forvaltning", id="f-addressee", compact=True)
        with Horizontal(classes="row"):
            yield Label("Emne", classes="lbl")
            yield Input(placeholder="spørgsmål om …", id="f-topic", compact=True)
        yield Label("Delspørgsmål (ét per linje; tilføj eller slet linjer):")
        yield TextArea(id="subqs", soft_wrap=True, show_line_numbers=True)


class HitTable(DataTable):
    BINDINGS = [
        Binding("p", "app.pin", "Fastgør"),
        Binding("x", "app.drop", "Fravælg"),
        Binding("u", "app.exclude_doc", "Udelad dokument"),
        Binding("slash", "app.focus_query", "Fritekst"),
    ]


class SourcesPane(Vertical):
    """Ranked passages for the current sub-question, with filters, pins and drops."""

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            kinds = [(Text(label), kind.value) for kind, label in KIND_LABELS.items()]
            yield Select(kinds, prompt="alle typer", id="f-kind", allow_blank=True, compact=True)
            yield Input(placeholder="fritekst (tom: delspm.)", id="f-query", compact=True)
            yield Input(placeholder="afsender", id="f-authority", classes="authority", compact=True)
            yield Input(placeholder="fra dato", id="f-from", classes="date", compact=True)
            yield Input(placeholder="til dato", id="f-to", classes="date", compact=True)
            yield Button("Søg", id="search", variant="primary", compact=True)
        table = HitTable(id="hits", cursor_type="row", zebra_stripes=True)
        yield table
        box = VerticalScroll(id="preview-box")
        box.border_title = "p fastgør · x fravælg · u udelad dokument · / fritekst"
        with box:
            yield Static(Text("Søg (F5) for at se kilder.", style="dim"), id="hit-preview")


class DraftPane(Vertical):
    """The editable answer of the current sub-question and its verification status."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Intet udkast endnu: F6 skriv.", style="dim"), id="draft-info")
        yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False)
        yield OptionList(id="checks")


class StatusBar(Horizontal):
    def compose(self) -> ComposeResult:
        yield LoadingIndicator(id="busy")
        yield Static(Text(""), id="status")
