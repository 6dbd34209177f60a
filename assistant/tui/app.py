"""The case officer's terminal app: question -> sources -> draft -> review -> export.

The app holds one :class:`~assistant.tui.state.WorkingState` and shows it in
three tabs. Long work (opening the index, searching, drafting, exporting) runs
in thread workers that call :class:`~assistant.tui.services.Services` and post
messages back; Esc cancels. The state is autosaved shortly after every change
and on exit.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import (
    Button,
    DataTable,
    Header,
    Input,
    LoadingIndicator,
    OptionList,
    Select,
    Static,
    TabbedContent,
    TabPane,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from assistant.cite import MARKER_RE, marker_keys, sentence_spans
from assistant.config import Settings
from assistant.edit import (
    answer_text,
    complete_draft,
    merge_sub_draft,
    reverify_text,
    sync_question,
    update_sub_questions,
)
from assistant.models import DocKind, Draft, Hit, Question, Status, SubQuestion
from assistant.retrieve import Filters

from .screens import ConfirmScreen, DraftsScreen, ExportScreen, HelpScreen, InspectorScreen, PromptScreen
from .services import Services, make_services
from .state import WorkingState, list_states, load_state, resolve_resume, save_state, slug
from .widgets import (
    DraftPane,
    IntakePane,
    KeyLine,
    SourcesPane,
    StatusBar,
    hit_cells,
    hit_preview,
    key_line,
    sentence_line,
    title_width,
)

AUTOSAVE_DELAY = 1.5  # seconds after the first unsaved change
VERIFY_DELAY = 0.4  # seconds after the last keystroke in the answer


class Cancelled(Exception):
    """Raised inside a worker's stream callback when the officer pressed Esc."""


# --- messages from workers -----------------------------------------------------------


class SearchDone(Message):
    def __init__(self, sq_id: str, hits: list[Hit], query: str = ""):
        super().__init__()
        self.sq_id, self.hits, self.query = sq_id, hits, query


class DraftDone(Message):
    def __init__(self, sq_id: str, draft: Draft, hits: list[Hit] | None = None):
        super().__init__()
        self.sq_id, self.draft, self.hits = sq_id, draft, hits


class StreamToken(Message):
    def __init__(self, sq_id: str, text: str):
        super().__init__()
        self.sq_id, self.text = sq_id, text


class ExportDone(Message):
    def __init__(self, path: Path, warnings: list[str] | None = None):
        super().__init__()
        self.path, self.warnings = path, warnings or []


class StatusNote(Message):
    """Progress or a result from a worker, shown in the status bar."""

    def __init__(self, text: str, busy: bool):
        super().__init__()
        self.text, self.busy = text, busy


class WorkFailed(Message):
    def __init__(self, what: str, error: str):
        super().__init__()
        self.what, self.error = what, error


class AssistantApp(App):
    """``AssistantApp(services, state)``; ``run(settings, resume)`` is the CLI entry."""

    CSS_PATH = "app.tcss"
    TITLE = "Forvaltningssvar"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("f1", "help", "Hjælp", priority=True),
        Binding("question_mark", "help", "Hjælp", show=False),
        Binding("f2", "tab('intake')", "Spørgsmål", priority=True, show=False),
        Binding("f3", "tab('sources')", "Kilder", priority=True, show=False),
        Binding("f4", "tab('draft')", "Udkast", priority=True, show=False),
        Binding("f5", "search", "Fortolk/søg", priority=True),
        Binding("f6", "draft", "Skriv", priority=True),
        Binding("f7", "toggle_drafter", "Drafter", priority=True),
        Binding("f8", "export", "Eksport", priority=True),
        Binding("f9", "drafts", "Kladder", priority=True),
        Binding("ctrl+pagedown", "next_sq", "Næste delspm.", priority=True, show=False),
        Binding("ctrl+pageup", "prev_sq", "Forrige delspm.", priority=True, show=False),
        Binding("ctrl+o", "inspect", "Kilde", priority=True, show=False),
        Binding("ctrl+r", "reverify", "Genverificér", priority=True, show=False),
        Binding("ctrl+s", "save", "Gem", priority=True, show=False),
        Binding("escape", "cancel", "Annullér", show=False),
    ]

    def __init__(
        self,
        services: Services,
        state: WorkingState | None = None,
        *,
        autosave_delay: float = AUTOSAVE_DELAY,
        prewarm: bool = False,
    ):
        self._t0 = time.perf_counter()
        super().__init__()
        self.services = services
        self.settings: Settings = services.settings
        self.state = state or WorkingState()
        if not self.state.name:
            from .state import new_state_name

            self.state.name = new_state_name()
        self.autosave_delay = autosave_delay
        self.prewarm = prewarm
        self.first_paint: float | None = None  # seconds from construction to the first refresh
        self.saved_path: Path | None = None
        self.last_export: Path | None = None
        self.current_sq: str | None = None
        self._save_timer = None
        self._verify_timer = None
        self._dirty = False
        self._streaming: str | None = None
        self._loaded_answer: tuple[str | None, str] = (None, "")
        self._merged_from: int | None = None  # id() of the pipeline draft last merged
        self.startup_notice: str | None = None  # shown once the app is up (e.g. no saved draft to resume)

    # -- layout ----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="§")
        yield Static(Text(""), id="sq-bar")
        with TabbedContent(id="tabs", initial="intake"):
            with TabPane("Spørgsmål", id="intake"):
                yield IntakePane()
            with TabPane("Kilder", id="sources"):
                yield SourcesPane()
            with TabPane("Udkast", id="draft"):
                yield DraftPane()
        yield StatusBar(id="statusbar")
        yield KeyLine(id="keyline")

    def on_mount(self) -> None:
        for ta in self.query(TextArea):
            ta.cursor_blink = False
        table = self.query_one("#hits", DataTable)
        table.add_columns("", "#", "score", "titel", "dato", "type")
        self.query_one("#busy", LoadingIndicator).display = False
        self.load_into_ui()
        if self.question is None:
            self.query_one("#raw", TextArea).focus()  # a new session starts where the question goes
        self.call_after_refresh(self._painted)
        self.refresh_keys()
        if self.startup_notice:
            self.notify(self.startup_notice, severity="warning", markup=False, timeout=10)
            self.set_status(self.startup_notice, busy=False)
        if self.prewarm and self.services.searcher is None and self.services.searcher_factory is not None:
            self._open_index()

    _MAIN_ONLY = frozenset(
        {"search", "draft", "draft_all", "toggle_drafter", "export", "drafts", "tab", "next_sq", "prev_sq"}
        | {"inspect", "reverify", "pin", "drop", "new", "ingest", "exclude_doc", "include_all", "restore_redraft"}
        | {"focus_query"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Main-screen actions are off while a dialog is open (F-keys are priority bindings)."""
        return not (action in self._MAIN_ONLY and isinstance(self.screen, ModalScreen))

    def _painted(self) -> None:
        if self.first_paint is None:
            self.first_paint = time.perf_counter() - self._t0

    _SYSTEM_DA = {
        "Theme": ("Tema", "Skift farvetema"),
        "Quit": ("Afslut", "Afslut programmet (arbejdet gemmes)"),
        "Keys": ("Taster", "Vis eller skjul hjælpen til tasterne"),
        "Minimize": ("Gendan", "Gendan feltet til normal størrelse"),
        "Maximize": ("Maksimér", "Maksimér det valgte felt"),
        "Screenshot": ("Skærmbillede", "Gem et SVG-skærmbillede af skærmen"),
    }

    def action_command_palette(self) -> None:
        """Textual's palette with a Danish placeholder."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder="Søg efter en kommando …"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for cmd in super().get_system_commands(screen):
            title, help_text = self._SYSTEM_DA.get(cmd.title, (cmd.title, cmd.help))
            yield cmd._replace(title=title, help=help_text)
        own = [
            ("Fortolk spørgsmålet", "Læs spørger, parti, dato og delspørgsmål ud af teksten", self.action_parse),
            ("Søg kilder", "Søg passager til det valgte delspørgsmål", self.action_search),
            ("Skriv udkast til delspørgsmålet", "Fra de fastgjorte kilder (ellers de bedste)", self.action_draft),
            ("Skriv udkast til alle delspørgsmål", "Søg og skriv for hvert delspørgsmål", self.action_draft_all),
            ("Skift drafter", "Offline eller den konfigurerede sprogmodel", self.action_toggle_drafter),
            ("Genverificér udkastet", "Tjek tal og citater efter rettelser", self.action_reverify),
            ("Citationsinspektør", "Se passagen bag en citation", self.action_inspect),
            ("Fastgør passage", "Fastgør den valgte passage", self.action_pin),
            ("Fravælg passage", "Fravælg den valgte passage", self.action_drop),
            (
                "Udelad dokument",
                "Udelad den valgte passages dokument for hele spørgsmålet (u)",
                self.action_exclude_doc,
            ),
            ("Tag udeladte dokumenter med igen", "Fortryd alle udeladelser for spørgsmålet", self.action_include_all),
            ("Fritekstsøgning", "Søg i indekset med egne ord (/)", self.action_focus_query),
            (
                "Hent teksten fra før det nye udkast",
                "Delsvaret, som det var, før F6 skrev det om",
                self.action_restore_redraft,
            ),
            ("Næste delspørgsmål", "", self.action_next_sq),
            ("Forrige delspørgsmål", "", self.action_prev_sq),
            ("Eksportér til Word", "Vælg fil, skabelon og felter", self.action_export),
            ("Gemte kladder", "Genåbn en autogemt kladde", self.action_drafts),
            ("Indlæs dokumenter", "Tilføj filer eller en mappe til indekset", self.action_ingest),
            ("Ny kladde", "Start forfra (den nuværende er gemt)", self.action_new),
            ("Gem nu", "Gem arbejdet i kladdemappen", self.action_save),
            ("Hjælp", "Tastaturgenveje", self.action_help),
        ]
        for title, help_text, cb in own:
            yield SystemCommand(title, help_text or title, cb)

    # -- state <-> widgets -------------------------------------------------------------

    @property
    def question(self) -> Question | None:
        return self.state.question

    def sub_questions(self) -> list[SubQuestion]:
        return list(self.question.sub_questions) if self.question else []

    def current(self) -> SubQuestion | None:
        for sq in self.sub_questions():
            if sq.id == self.current_sq:
                return sq
        return None

    def load_into_ui(self) -> None:
        """Show the whole state (after start, resume or opening a saved draft)."""
        s = self.state
        raw = self.query_one("#raw", TextArea)
        if raw.text != s.raw:
            raw.load_text(s.raw)
        self._show_fields()
        sqs = self.sub_questions()
        if self.current_sq not in {sq.id for sq in sqs}:
            self.current_sq = sqs[0].id if sqs else None
        self.sub_title = s.title() if not s.is_empty() else ""
        self.refresh_sq()

    def _show_fields(self) -> None:
        q = self.question
        values = {
            "#f-asker": q.asker if q else "",
            "#f-party": q.party if q else "",
            "#f-date": q.date_asked if q else "",
            "#f-addressee": q.addressee if q else "",
            "#f-topic": q.topic if q else "",
        }
        for sel, v in values.items():
            w = self.query_one(sel, Input)
            if w.value != (v or ""):
                w.value = v or ""
        subqs = self.query_one("#subqs", TextArea)
        text = "\n".join(sq.text for sq in (q.sub_questions if q else []))
        if subqs.text.strip() != text.strip():
            subqs.load_text(text)

    def refresh_sq(self) -> None:
        """Update everything that depends on the current sub-question."""
        sqs = self.sub_questions()
        sq = self.current()
        bar = self.query_one("#sq-bar", Static)
        if sq is None:
            bar.update(Text("Intet spørgsmål endnu: indsæt det under Spørgsmål (F2) og fortolk (F5).", style="dim"))
        else:
            idx = [x.id for x in sqs].index(sq.id) + 1
            t = Text()
            t.append(f" Delspm. {idx}/{len(sqs)} ", style="bold reverse")
            t.append(" ")
            t.append(sq.text)
            t.truncate(max(20, self.size.width - 1) * 2, overflow="ellipsis")
            bar.update(t)
        self.refresh_hits()
        self.refresh_answer()
        self.refresh_keys()

    def _visible_hits(self, sq_id: str | None) -> list[Hit]:
        if sq_id is None:
            return []
        pins = self.state.pins.get(sq_id, [])
        hits = list(self.state.hits.get(sq_id, []))
        have = {h.passage.chunk_id for h in hits}
        return hits + [h for h in pins if h.passage.chunk_id not in have]

    def _pinned_ids(self, sq_id: str | None) -> set[str]:
        return {h.passage.chunk_id for h in self.state.pins.get(sq_id or "", [])}

    def refresh_hits(self) -> None:
        table = self.query_one("#hits", DataTable)
        row = table.cursor_row
        table.clear()
        sq_id = self.current_sq
        pinned = self._pinned_ids(sq_id)
        dropped = set(self.state.dropped.get(sq_id or "", []))
        width = title_width(self.size.width)
        for i, h in enumerate(self._visible_hits(sq_id), start=1):
            cid = h.passage.chunk_id
            cells = hit_cells(
                i, h, pinned=cid in pinned, dropped=cid in dropped, excluded=self._is_excluded(h), width=width
            )
            table.add_row(*cells, key=cid)
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))
        self.show_preview()

    def selected_hit(self) -> Hit | None:
        hits = self._visible_hits(self.current_sq)
        table = self.query_one("#hits", DataTable)
        if not hits or table.cursor_row < 0 or table.cursor_row >= len(hits):
            return None
        return hits[table.cursor_row]

    def show_preview(self) -> None:
        h = self.selected_hit()
        cid = h.passage.chunk_id if h else ""
        self.query_one("#hit-preview", Static).update(
            hit_preview(
                h,
                pinned=cid in self._pinned_ids(self.current_sq),
                dropped=cid in self.state.dropped.get(self.current_sq or "", []),
                excluded=h is not None and self._is_excluded(h),
            )
            if h or self.state.hits.get(self.current_sq or "")
            else Text("Søg (F5) for at se kilder til delspørgsmålet.", style="dim")
        )

    def refresh_answer(self) -> None:
        sq_id = self.current_sq
        ta = self.query_one("#answer", TextArea)
        text = self.state.edits.get(sq_id or "") if sq_id else ""
        if text is None:
            text = answer_text(self.state.draft, sq_id) if sq_id else ""
        self._loaded_answer = (sq_id, text)
        if ta.text != text:
            ta.load_text(text)
        ta.read_only = sq_id is None
        self.refresh_checks()

    def _answer(self):
        d = self.state.draft
        if d is None or self.current_sq is None:
            return None
        return next((a for a in d.sub_answers if a.sub_question.id == self.current_sq), None)

    def refresh_checks(self) -> None:
        checks = self.query_one("#checks", OptionList)
        checks.clear_options()
        info = self.query_one("#draft-info", Static)
        a = self._answer()
        drafter = self.state.drafter + (f" ({self.settings.llm.model})" if self.state.drafter == "llm" else "")
        if a is None:
            info.update(Text(f"Intet udkast til delspørgsmålet endnu: F6 skriv. Drafter: {drafter}", style="dim"))
            return
        counts = {st: sum(1 for s in a.sentences if s.status == st) for st in Status}
        t = Text()
        t.append(f"✓ {counts[Status.verified]}  ", style="green")
        t.append(f"⚠ {counts[Status.unverified]}  ", style="yellow")
        t.append(f"? {counts[Status.uncited]}  ", style="red")
        t.append(f"· drafter: {drafter}", style="dim")
        if not a.answered:
            t.append("  · intet relevant fundet", style="bold yellow")
        draft = self.state.draft
        for w in draft.warnings if draft is not None else []:
            t.append("\n⚠ ", style="bold yellow")
            t.append(w)  # plain text: a document's name or words never become markup
        info.update(t)
        checks.add_options([Option(sentence_line(i, s), id=f"s{i}") for i, s in enumerate(a.sentences, start=1)])

    # -- changes from widgets ----------------------------------------------------------

    def touch(self) -> None:
        """Something changed: save within ``autosave_delay`` seconds (not postponed by later changes)."""
        self._dirty = True
        if self._save_timer is None:
            self._save_timer = self.set_timer(self.autosave_delay, self._autosave)

    def _autosave(self) -> None:
        self._save_timer = None
        if self._dirty:
            self.save()

    def save(self) -> Path | None:
        if self.state.is_empty():
            return None
        try:
            self.saved_path = save_state(self.state, self.settings.drafts_dir)
        except OSError as e:
            self.notify(f"Kunne ikke gemme: {e}", severity="error", markup=False)
            return None
        self._dirty = False
        return self.saved_path

    @on(TextArea.Changed, "#raw")
    def _raw_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        if text != self.state.raw:
            self.state.raw = text
            self.touch()

    @on(TextArea.Changed, "#subqs")
    def _subqs_changed(self, event: TextArea.Changed) -> None:
        q = self.question
        if q is None:
            if not event.text_area.text.strip():
                return
            q = Question(raw=self.state.raw, text=self.state.raw.strip() or event.text_area.text.strip())
        new = update_sub_questions(q.sub_questions, event.text_area.text.splitlines())
        if [(s.id, s.text) for s in new] == [(s.id, s.text) for s in q.sub_questions]:
            return
        self._set_question(q.model_copy(update={"sub_questions": new}))
        if self.current_sq not in {s.id for s in new}:
            self.current_sq = new[0].id if new else None
        self.refresh_sq()

    @on(Input.Changed, "#f-asker, #f-party, #f-date, #f-addressee, #f-topic")
    def _field_changed(self, event: Input.Changed) -> None:
        field = {
            "f-asker": "asker",
            "f-party": "party",
            "f-date": "date_asked",
            "f-addressee": "addressee",
            "f-topic": "topic",
        }[event.input.id]
        q = self.question
        value = event.value.strip() or None
        if q is None:
            if value is None:
                return
            q = Question(raw=self.state.raw, text=self.state.raw.strip())
        if getattr(q, field) == value:
            return
        self._set_question(q.model_copy(update={field: value}))

    def _set_question(self, q: Question) -> None:
        self.state.question = q
        if self.state.draft is not None:
            self.state.draft = sync_question(self.state.draft, q, self.settings)
        self.sub_title = self.state.title()
        self.touch()

    @on(TextArea.Changed, "#answer")
    def _answer_changed(self, event: TextArea.Changed) -> None:
        text = event.text_area.text
        sq_id, loaded = self._loaded_answer
        if self._streaming is not None or sq_id is None or sq_id != self.current_sq or text == loaded:
            return
        if self.state.edits.get(sq_id) == text:
            return
        self.state.edits[sq_id] = text
        self.touch()
        if self._verify_timer is not None:
            self._verify_timer.stop()
        self._verify_timer = self.set_timer(VERIFY_DELAY, self.action_reverify)

    @on(DataTable.RowHighlighted, "#hits")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_preview()

    @on(OptionList.OptionSelected, "#checks")
    def _check_selected(self, event: OptionList.OptionSelected) -> None:
        a = self._answer()
        if a is None or not event.option.id:
            return
        s = a.sentences[int(event.option.id[1:]) - 1]
        if s.citations:
            c = s.citations[0]
            self.open_inspector(c.key, tuple(c.span) if c.span else None)
        else:
            self.notify("Sætningen har ingen citation.", severity="warning")

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {"parse": self.action_parse, "open-file": self.action_open_file, "search": self.action_search}
        if event.button.id in actions:
            actions[event.button.id]()

    @on(Input.Submitted, "#file-path")
    def _file_submitted(self, event: Input.Submitted) -> None:
        self.action_open_file()

    @on(Input.Submitted, "#f-query, #f-authority, #f-from, #f-to")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        self.action_search()

    # -- actions -----------------------------------------------------------------------

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        target = {"intake": "#raw", "sources": "#hits", "draft": "#answer"}[tab]
        self.query_one(target).focus()
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """The key line: F5 says what it will do here ("fortolk" on the question, else "søg")."""
        try:
            line = self.query_one("#keyline", KeyLine)
        except Exception:  # not composed yet
            return
        parse = self._active_tab() == "intake" and (self.question is None or self.focused is self.query_one("#raw"))
        line.update(key_line(max(20, self.size.width), f5="fortolk" if parse else "søg"))

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_keys()

    def on_descendant_focus(self, event) -> None:
        self.refresh_keys()

    def on_resize(self, event) -> None:
        self.refresh_keys()
        if self.is_mounted:
            self.refresh_hits()

    def _active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active

    def action_parse(self) -> None:
        from assistant.question import parse_question

        raw = self.query_one("#raw", TextArea).text
        if not raw.strip():
            self.notify("Indsæt spørgsmålets tekst først.", severity="warning")
            return
        self.state.raw = raw
        q = parse_question(raw)
        self.state.question = q
        if self.state.draft is not None:
            self.state.draft = sync_question(self.state.draft, q, self.settings)
        self.current_sq = q.sub_questions[0].id if q.sub_questions else None
        self.load_into_ui()
        self.set_status(self.sq_status(), busy=False)
        self.touch()

    def action_open_file(self) -> None:
        path = Path(self.query_one("#file-path", Input).value.strip()).expanduser()
        if not path.is_file():
            self.notify(f"Filen findes ikke: {path}", severity="error", markup=False)
            return
        try:
            if path.suffix.lower() in {".txt", ".md", ""}:
                text = path.read_text(encoding="utf-8", errors="replace")
            else:
                from assistant.documents import read_document

                text = read_document(path).text
        except Exception as e:
            self.notify(f"Kan ikke læse {path.name}: {e}", severity="error", markup=False)
            return
        self.query_one("#raw", TextArea).load_text(text)
        self.action_parse()

    def action_next_sq(self, step: int = 1) -> None:
        ids = [sq.id for sq in self.sub_questions()]
        if not ids:
            return
        i = ids.index(self.current_sq) if self.current_sq in ids else 0
        self.select_sq(ids[(i + step) % len(ids)])

    def action_prev_sq(self) -> None:
        self.action_next_sq(-1)

    def select_sq(self, sq_id: str) -> None:
        self.current_sq = sq_id
        self.refresh_sq()
        self.set_status(self.sq_status(), busy=False)

    def sq_status(self) -> str:
        """What the status line says about the current sub-question (never another one's news)."""
        sqs = self.sub_questions()
        sq = self.current()
        if sq is None:
            return ""
        idx = [x.id for x in sqs].index(sq.id) + 1
        hits = self.state.hits.get(sq.id)
        parts = [f"Delspm. {idx}/{len(sqs)}:"]
        parts.append("ikke søgt endnu (F5 søg)" if hits is None else f"{len(hits)} passager")
        a = self._answer()
        if a is not None:
            ok = sum(1 for s in a.sentences if s.status == Status.verified)
            parts.append(f"· udkast {len(a.sentences)} sætninger, {ok} bekræftede")
        if self.state.excluded:
            parts.append(f"· {len(self.state.excluded)} dokument(er) udeladt")
        return " ".join(parts)

    def current_filters(self) -> Filters | None:
        kind = self.query_one("#f-kind", Select).value
        f = Filters(
            kinds={DocKind(kind)} if isinstance(kind, str) and kind else set(),
            authority=self.query_one("#f-authority", Input).value.strip() or None,
            date_from=self.query_one("#f-from", Input).value.strip() or None,
            date_to=self.query_one("#f-to", Input).value.strip() or None,
            exclude_sources=set(self.state.excluded),
        )
        return None if f.empty() else f

    def _is_excluded(self, h: Hit) -> bool:
        return Path(h.meta.source_path).name in self.state.excluded

    def _busy(self) -> bool:
        running = [
            w for w in self.workers if w.group == "work" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if running:
            self.notify("Der arbejdes allerede; vent eller tryk Esc for at annullere.", severity="warning")
            return True
        return False

    def action_search(self) -> None:
        if self._active_tab() == "intake" and (self.question is None or self.focused is self.query_one("#raw")):
            self.action_parse()
            return
        sq = self.current()
        if sq is None:
            self.notify("Fortolk spørgsmålet først (F2, F5).", severity="warning")
            return
        if self._busy():
            return
        free = self.query_one("#f-query", Input).value.strip()
        self.set_status(f"Søger efter «{free}» …" if free else "Søger …", busy=True)
        self._search_worker(self.question, sq, self.current_filters(), free)

    def pipeline_inputs(self) -> tuple[dict[str, list[Hit]], dict[str, list[str]], dict[str, list[Hit]]]:
        """Pins, drops and on-screen hits for the pipeline, without the documents left out for the question."""
        st = self.state

        def keep(hs: list[Hit]) -> list[Hit]:
            return [h for h in hs if not self._is_excluded(h)]

        pins = {k: keep(v) for k, v in st.pins.items() if keep(v)}
        dropped = {k: list(v) for k, v in st.dropped.items()}
        hits = {k: keep(v) for k, v in st.hits.items()}
        return pins, dropped, hits

    def _edited(self, sq_id: str) -> bool:
        """The officer changed the sub-answer's text since it was drafted (edits are cleared by a new draft)."""
        return bool((self.state.edits.get(sq_id) or "").strip())

    def action_draft(self) -> None:
        sq = self.current()
        if sq is None or self.question is None:
            self.notify("Fortolk spørgsmålet først (F2, F5).", severity="warning")
            return
        if self._busy():
            return
        if self._edited(sq.id):
            msg = Text()
            msg.append("Skriv nyt udkast?\n\n", style="bold")
            msg.append("Du har rettet i svaret på dette delspørgsmål. Et nyt udkast erstatter teksten.\n")
            msg.append(
                "Rettelserne kan hentes tilbage bagefter med Ctrl+Z i udkastet "
                "(eller Ctrl+P «Hent teksten fra før det nye udkast»)."
            )

            def confirmed(yes: bool | None) -> None:
                if yes and not self._busy():
                    self._start_draft(sq)

            self.push_screen(ConfirmScreen(msg), confirmed)
            return
        self._start_draft(sq)

    def _start_draft(self, sq: SubQuestion) -> None:
        self.set_status(f"Skriver udkast til delspørgsmål {sq.id} ({self.state.drafter}) …", busy=True)
        self._draft_worker(self.question, [sq.id], self.current_filters(), self.state.drafter)

    def action_draft_all(self) -> None:
        if self.question is None or not self.sub_questions():
            self.notify("Fortolk spørgsmålet først (F2, F5).", severity="warning")
            return
        if self._busy():
            return
        edited = [sq.id for sq in self.sub_questions() if self._edited(sq.id)]
        if edited:

            def confirmed(yes: bool | None) -> None:
                if yes and not self._busy():
                    self._start_draft_all()

            self.push_screen(
                ConfirmScreen(
                    f"Skriv nye udkast til alle delspørgsmål?\n\nDelspørgsmål {', '.join(edited)} har rettelser, som "
                    "erstattes (de kan hentes tilbage med Ctrl+Z i udkastet)."
                ),
                confirmed,
            )
            return
        self._start_draft_all()

    def _start_draft_all(self) -> None:
        self.set_status(f"Skriver udkast til alle delspørgsmål ({self.state.drafter}) …", busy=True)
        self._draft_worker(self.question, None, self.current_filters(), self.state.drafter)

    def action_toggle_drafter(self) -> None:
        if self.state.drafter == "offline":
            if not self.services.llm_available:
                self.notify("Ingen sprogmodel er konfigureret (llm.model); drafteren forbliver offline.")
                return
            self.state.drafter = "llm"
        else:
            self.state.drafter = "offline"
        self.notify(f"Drafter: {self.state.drafter}", markup=False)
        self.refresh_checks()
        self.touch()

    def _pin_target(self) -> tuple[str, Hit] | None:
        h = self.selected_hit()
        if h is None or self.current_sq is None:
            self.notify("Vælg en passage i kildelisten (F3).", severity="warning")
            return None
        return self.current_sq, h

    def action_pin(self) -> None:
        t = self._pin_target()
        if t is None:
            return
        sq_id, h = t
        pins = self.state.pins.setdefault(sq_id, [])
        cid = h.passage.chunk_id
        if any(p.passage.chunk_id == cid for p in pins):
            self.state.pins[sq_id] = [p for p in pins if p.passage.chunk_id != cid]
        else:
            pins.append(h)
            dropped = self.state.dropped.get(sq_id, [])
            if cid in dropped:
                dropped.remove(cid)
        self.refresh_hits()
        self.touch()

    def action_drop(self) -> None:
        t = self._pin_target()
        if t is None:
            return
        sq_id, h = t
        cid = h.passage.chunk_id
        dropped = self.state.dropped.setdefault(sq_id, [])
        if cid in dropped:
            dropped.remove(cid)
        else:
            dropped.append(cid)
            self.state.pins[sq_id] = [p for p in self.state.pins.get(sq_id, []) if p.passage.chunk_id != cid]
        self.refresh_hits()
        self.touch()

    def action_exclude_doc(self) -> None:
        """Leave the selected passage's document out for the whole question (every sub-question); again: back in."""
        h = self.selected_hit()
        if h is None:
            self.notify("Vælg en passage i kildelisten (F3).", severity="warning")
            return
        name = Path(h.meta.source_path).name
        if name in self.state.excluded:
            self.state.excluded.remove(name)
            self.notify(f"Taget med igen: {name}", markup=False)
        else:
            self.state.excluded.append(name)
            for sq_id, pins in self.state.pins.items():
                self.state.pins[sq_id] = [p for p in pins if Path(p.meta.source_path).name != name]
            self.notify(f"Udeladt for hele spørgsmålet: {name} (u igen tager det med)", markup=False)
        self.refresh_hits()
        self.set_status(self.sq_status(), busy=False)
        self.touch()

    def action_include_all(self) -> None:
        n = len(self.state.excluded)
        self.state.excluded = []
        self.notify(f"{n} udeladte dokumenter er taget med igen." if n else "Ingen dokumenter er udeladt.")
        self.refresh_hits()
        self.touch()

    def action_focus_query(self) -> None:
        self.action_tab("sources")
        self.query_one("#f-query", Input).focus()

    def action_restore_redraft(self) -> None:
        sq_id = self.current_sq
        old = self.state.replaced.get(sq_id or "")
        if sq_id is None or old is None:
            self.notify("Der er ingen tidligere tekst at hente for dette delspørgsmål.", severity="warning")
            return
        ta = self.query_one("#answer", TextArea)
        ta.replace(old, (0, 0), ta.document.end)  # an edit: Ctrl+Z takes it back again
        self.action_tab("draft")

    def action_reverify(self) -> None:
        self._verify_timer = None
        sq_id = self.current_sq
        if sq_id is None or self.question is None:
            return
        text = self.query_one("#answer", TextArea).text
        draft = self.state.draft or complete_draft(None, self.question, self.settings).model_copy(
            update={"sub_answers": []}
        )
        self.state.draft = reverify_text(draft, sq_id, text)
        self.refresh_checks()
        self.touch()

    def _cursor_key(self) -> tuple[str, tuple[int, int] | None] | None:
        """The citation at (or in the sentence at) the answer's cursor."""
        ta = self.query_one("#answer", TextArea)
        text = ta.text
        row, col = ta.cursor_location
        lines = text.split("\n")
        offset = sum(len(x) + 1 for x in lines[:row]) + col
        for m in MARKER_RE.finditer(text):
            if m.start() <= offset <= m.end():
                return marker_keys(m.group(0))[0], None
        for i, (a, b) in enumerate(sentence_spans(text)):
            if a <= offset <= b:
                keys = marker_keys(text[a:b])
                if keys:
                    ans = self._answer()
                    span = None
                    if ans and i < len(ans.sentences):
                        c = next((c for c in ans.sentences[i].citations if c.key == keys[0]), None)
                        span = tuple(c.span) if c and c.span else None
                    return keys[0], span
        return None

    def action_inspect(self) -> None:
        if self.state.draft is None or not self.state.draft.sources:
            self.notify("Der er ingen citationer endnu.", severity="warning")
            return
        target = None
        checks = self.query_one("#checks", OptionList)
        if self.focused is checks and checks.highlighted is not None:
            a = self._answer()
            if a is not None and checks.highlighted < len(a.sentences):
                s = a.sentences[checks.highlighted]
                if s.citations:
                    target = (s.citations[0].key, tuple(s.citations[0].span) if s.citations[0].span else None)
        if target is None and self._active_tab() == "draft":
            target = self._cursor_key()
        if target is None:
            a = self._answer()
            keys = [c.key for s in (a.sentences if a else []) for c in s.citations]
            target = (keys[0], None) if keys else (None, None)
        self.open_inspector(*target)

    def open_inspector(self, key: str | None, span: tuple[int, int] | None = None) -> None:
        if self.state.draft is None:
            return
        self.push_screen(InspectorScreen(self.state.draft, key, span))

    def action_export(self) -> None:
        if self.question is None:
            self.notify("Der er intet at eksportere endnu.", severity="warning")
            return
        q = self.question
        last = self.state.export
        name = slug(f"svar {q.asker or ''} {q.topic or ''}")
        out = Path(last["out"]) if last.get("out") else Path.cwd() / f"{name}.docx"
        template = Path(last["template"]) if last.get("template") else self.settings.export.template
        self.push_screen(ExportScreen(out, template, last.get("fields", "")), self._export_chosen)

    def _export_chosen(self, choice: dict | None) -> None:
        if not choice:
            return
        self.state.export = {
            "out": str(choice["out"]),
            "template": str(choice["template"] or ""),
            "fields": choice.get("fields_text", ""),
        }
        self.touch()
        draft = complete_draft(self.state.draft, self.question, self.settings)
        counts = {st: sum(1 for s in draft.sentences() if s.status == st) for st in Status}
        msg = Text()
        msg.append("Eksportér udkastet?\n\n", style="bold")
        msg.append(f"Fil: {choice['out']}\n")
        msg.append(f"Skabelon: {choice['template'] or 'standard'}\n")
        if choice["fields"]:
            msg.append("Felter: " + ", ".join(f"{k}={v}" for k, v in choice["fields"].items()) + "\n")
        msg.append(f"\n{len(draft.sub_answers)} delsvar · ✓ {counts[Status.verified]} bekræftede sætninger")
        if counts[Status.unverified] or counts[Status.uncited]:
            msg.append(
                f"\n⚠ {counts[Status.unverified]} ubekræftede og {counts[Status.uncited]} uden kilde "
                "(markeres i Word-filen)",
                style="bold yellow",
            )
        if Path(choice["out"]).exists():
            msg.append(
                "\nFilen findes: " + ("den overskrives." if choice["force"] else "eksporten afvises."), style="bold"
            )
        from assistant.export import empty_field_warning, empty_fields

        try:
            empty = empty_fields(
                draft,
                template=choice["template"] or self.settings.export.template,
                fields=choice["fields"],
                citation_style=self.settings.export.citation_style,
            )
        except Exception:  # a broken template is reported by the export itself
            empty = []
        choice["warnings"] = [empty_field_warning(n, cli=False) for n in empty]
        for w in choice["warnings"]:
            msg.append(f"\n⚠ {w[:1].upper()}{w[1:]}", style="yellow")

        def confirmed(yes: bool | None) -> None:
            if yes and not self._busy():
                self.set_status("Eksporterer …", busy=True)
                self._export_worker(draft, choice)

        self.push_screen(ConfirmScreen(msg), confirmed)

    def action_ingest(self) -> None:
        def chosen(value: str | None) -> None:
            if not value:
                return
            paths = [Path(p).expanduser() for p in value.split(";") if p.strip()]
            if not self._busy():
                self.set_status("Indlæser dokumenter …", busy=True)
                self._ingest_worker(paths)

        self.push_screen(
            PromptScreen("Indlæs dokumenter: filer eller mapper (adskilt af ;)", placeholder="sti …"), chosen
        )

    def action_drafts(self) -> None:
        self.save()
        self.push_screen(DraftsScreen(list_states(self.settings.drafts_dir)), self._reopen)

    def _reopen(self, path: Path | None) -> None:
        if path is None:
            return
        try:
            state = load_state(path)
        except Exception as e:
            self.notify(f"Kan ikke åbne {path.name}: {e}", severity="error", markup=False)
            return
        self.open_state(state)

    def open_state(self, state: WorkingState) -> None:
        self.state = state
        self.current_sq = None
        self._dirty = False
        self.load_into_ui()
        self.notify(f"Åbnet: {state.title()}", markup=False)

    def action_new(self) -> None:
        self.save()
        self.open_state(WorkingState())
        self.state.name = ""
        from .state import new_state_name

        self.state.name = new_state_name()

    def action_save(self) -> None:
        p = self.save()
        self.notify(f"Gemt: {p}" if p else "Intet at gemme.", markup=False)

    def action_cancel(self) -> None:
        running = [
            w for w in self.workers if w.group == "work" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
        ]
        if not running:
            return
        self.workers.cancel_group(self, "work")
        self._streaming = None
        self.set_status("Annulleret.", busy=False)
        self.refresh_answer()

    async def action_quit(self) -> None:
        self.save()
        self.exit()

    # -- workers -----------------------------------------------------------------------

    def set_status(self, text: str, *, busy: bool) -> None:
        self.query_one("#busy", LoadingIndicator).display = busy
        self.query_one("#status", Static).update(Text(text + ("  (Esc annullerer)" if busy else "")))

    def _post(self, message: Message) -> None:
        """From a worker thread: hand a message to the app (dropped when cancelled)."""
        if get_current_worker().is_cancelled:
            return
        with contextlib.suppress(RuntimeError):  # the app is shutting down
            self.call_from_thread(self.post_message, message)

    @work(thread=True, group="index", exit_on_error=False)
    def _open_index(self) -> None:
        try:
            searcher = self.services.get_searcher()
            stats = searcher.stats() if hasattr(searcher, "stats") else {}
        except Exception as e:
            self._post(WorkFailed("åbning af indekset", str(e)))
            return
        n = stats.get("passages")
        self._post(StatusNote(f"Indekset er åbent ({n} passager)." if n is not None else "Indekset er åbent.", False))

    @work(thread=True, group="work", exit_on_error=False)
    def _ingest_worker(self, paths: list[Path]) -> None:
        def progress(n: int, total: int, name: str) -> None:
            self._post(StatusNote(f"Indlæser {n}/{total}: {name}", True))

        try:
            report = self.services.ingest(paths, progress)
        except Exception as e:
            self._post(WorkFailed("indlæsningen", f"{type(e).__name__}: {e}"))
            return
        failed = getattr(report, "failed", [])
        text = (
            f"Indlæst: {len(getattr(report, 'added', []))} nye, {len(getattr(report, 'updated', []))} ændrede, "
            f"{len(getattr(report, 'unchanged', []))} uændrede, {len(failed)} fejl."
        )
        self._post(StatusNote(text, False))

    @work(thread=True, group="work", exit_on_error=False)
    def _search_worker(self, question: Question, sq: SubQuestion, filters: Filters | None, free: str = "") -> None:
        """The sub-question's search, or (``free``) the officer's own words over the index."""
        try:
            if free:
                hits = self.services.search(free, filters=filters)
            else:
                hits = self.services.search_sub_question(question, sq, filters=filters)
        except Exception as e:
            self._post(WorkFailed("søgningen", f"{type(e).__name__}: {e}"))
            return
        self._post(SearchDone(sq.id, hits, free or sq.text))

    def _audit(self, event: str, draft: Draft, output: Path | None = None) -> None:
        """From a worker: one line in the audit log; a failure is shown, never fatal."""
        from assistant.audit import record

        try:
            record(self.settings, event, draft, output=output)
        except OSError as e:
            self._post(StatusNote(f"Revisionsloggen kunne ikke skrives: {e}", False))

    @work(thread=True, group="work", exit_on_error=False)
    def _draft_worker(self, question: Question, only: list[str] | None, filters: Filters | None, drafter: str) -> None:
        """Draft the sub-questions in ``only`` (all when None) in one pipeline call, so they share one pool."""
        worker = get_current_worker()
        # a sub-question with results on screen is drafted from those (minus drops and left-out
        # documents); others are searched, with the left-out documents filtered (current_filters)
        pins, dropped, hits = self.pipeline_inputs()
        searched: dict[str, list[Hit]] = {}

        def on_token(sq_id: str, token: str) -> None:
            if worker.is_cancelled:
                raise Cancelled()
            self._post(StreamToken(sq_id, token))

        try:
            draft = self.services.answer(
                question,
                drafter=drafter,
                only=only,
                pins=pins,
                dropped=dropped,
                hits=hits,
                on_token=on_token,
                filters=filters,
                searched=searched,
            )
        except Cancelled:
            return
        except Exception as e:
            what = f"udkastet til delspørgsmål {only[0]}" if only and len(only) == 1 else "udkastet"
            self._post(WorkFailed(what, f"{type(e).__name__}: {e}"))
            return
        self._audit("draft", draft)
        for a in draft.sub_answers:
            if only is None or a.sub_question.id in only:
                self._post(DraftDone(a.sub_question.id, draft, searched.get(a.sub_question.id)))

    @work(thread=True, group="work", exit_on_error=False)
    def _export_worker(self, draft: Draft, choice: dict) -> None:
        try:
            path = self.services.export(
                draft, choice["out"], template=choice["template"], force=choice["force"], fields=choice["fields"]
            )
        except Exception as e:
            self._post(WorkFailed("eksporten", str(e)))
            return
        self._audit("export", draft, Path(path))
        self._post(ExportDone(Path(path), choice.get("warnings")))

    # -- messages from workers --------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "work":
            return
        if event.state == WorkerState.ERROR:
            self.set_status(f"Fejl: {event.worker.error}", busy=False)

    def on_status_note(self, msg: StatusNote) -> None:
        self.set_status(msg.text, busy=msg.busy)

    def on_search_done(self, msg: SearchDone) -> None:
        self.state.hits[msg.sq_id] = msg.hits
        sq = next((s for s in self.sub_questions() if s.id == msg.sq_id), None)
        free = f" for «{msg.query}»" if sq is not None and msg.query != sq.text else ""
        n = len(msg.hits)
        found = (
            f"{n} passager fundet{free}." if n else f"Ingen passager fundet{free}: prøv andre ord eller færre filtre."
        )
        self.set_status(f"Delspm. {msg.sq_id}: {found}", busy=False)
        if msg.sq_id == self.current_sq:
            self.refresh_hits()
        self.touch()

    def on_stream_token(self, msg: StreamToken) -> None:
        if msg.sq_id != self.current_sq:
            return
        ta = self.query_one("#answer", TextArea)
        if self._streaming != msg.sq_id:
            self._streaming = msg.sq_id
            ta.load_text("")
        ta.insert(msg.text, ta.document.end)

    def on_draft_done(self, msg: DraftDone) -> None:
        self._streaming = None
        if msg.hits is not None and msg.sq_id not in self.state.hits:
            self.state.hits[msg.sq_id] = msg.hits
        q = self.question
        base = self.state.draft
        if base is None and q is not None:
            base = msg.draft.model_copy(update={"question": q, "sub_answers": [], "sources": [], "provenance": None})
        from assistant.provenance import merge_provenance

        before = self.state.edits.get(msg.sq_id)
        if before is None:
            before = answer_text(self.state.draft, msg.sq_id)
        draft = merge_sub_draft(base, msg.draft, msg.sq_id)
        # the sources the replaced text cites stay in the draft, so Ctrl+Z brings back text whose keys resolve
        old_refs = {r.key: r for r in (base.sources if base else [])}
        cited = {k for m in MARKER_RE.finditer(before) for k in marker_keys(m.group(0))}
        keep = [old_refs[k] for k in sorted(cited) if k in old_refs and draft.source(k) is None]
        if keep:
            draft = draft.model_copy(update={"sources": [*draft.sources, *keep]})
        pinned = {h.passage.chunk_id for hs in self.state.pins.values() for h in hs}
        draft = draft.model_copy(
            update={
                "sources": [s.model_copy(update={"pinned": s.passage.chunk_id in pinned}) for s in draft.sources],
                # one pipeline run posts one DraftDone per sub-question: its provenance counts once
                "provenance": (
                    base.provenance
                    if base is not None and self._merged_from == id(msg.draft)
                    else merge_provenance(base.provenance if base else None, msg.draft.provenance)
                ),
            }
        )
        self.state.draft = draft
        self._merged_from = id(msg.draft)
        self.state.edits.pop(msg.sq_id, None)
        if before.strip():
            self.state.replaced[msg.sq_id] = before  # kept in the saved state: nothing written is lost
        a = next((a for a in draft.sub_answers if a.sub_question.id == msg.sq_id), None)
        n = len(a.sentences) if a else 0
        self.set_status(f"Delspm. {msg.sq_id}: udkast med {n} sætninger ({draft.drafter}).", busy=False)
        if msg.sq_id == self.current_sq:
            self.refresh_hits()
            new = answer_text(draft, msg.sq_id)
            ta = self.query_one("#answer", TextArea)
            if before.strip() and before != new:
                # one undo step back to the officer's text: reset the history to it, then replace as an edit
                self._loaded_answer = (msg.sq_id, new)
                ta.load_text(before)
                ta.replace(new, (0, 0), ta.document.end)
            self.refresh_answer()
        self.touch()

    def on_export_done(self, msg: ExportDone) -> None:
        self.last_export = msg.path
        tail = f" · {len(msg.warnings)} tomme felter" if msg.warnings else ""
        self.set_status(f"Eksporteret: {msg.path}{tail}", busy=False)
        self.notify(f"Eksporteret til {msg.path}", markup=False)

    def on_work_failed(self, msg: WorkFailed) -> None:
        self._streaming = None
        self.set_status(f"Fejl i {msg.what}: {msg.error}", busy=False)
        self.notify(f"Fejl i {msg.what}: {msg.error}", severity="error", markup=False, timeout=8)
        self.refresh_answer()

    async def on_unmount(self) -> None:
        if self._dirty:
            self.save()


def run(settings: Settings, resume: str | None = None) -> int:
    """``assistant tui [--resume [NAME]]``: start the app; returns the exit code."""
    state = None
    notice = None
    if resume:
        path = resolve_resume(settings.drafts_dir, resume)
        if path is None:
            if resume != "latest":
                print(f"fejl: ingen gemt kladde ved navn {resume!r} i {settings.drafts_dir}", file=sys.stderr)
                return 2
            # said inside the app too: a line on stderr vanishes behind the full-screen app
            notice = f"Ingen gemte kladder i {settings.drafts_dir}: der startes forfra."
            print(f"({notice})", file=sys.stderr)
        else:
            try:
                state = load_state(path)
            except Exception as e:
                print(f"fejl: kan ikke åbne {path}: {e}", file=sys.stderr)
                return 2
    app = AssistantApp(make_services(settings), state, prewarm=True)
    app.startup_notice = notice
    app.run()
    return 0
