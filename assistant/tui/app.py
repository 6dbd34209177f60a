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
    Footer,
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
from .widgets import DraftPane, IntakePane, SourcesPane, StatusBar, hit_cells, hit_preview, sentence_line

AUTOSAVE_DELAY = 1.5  # seconds after the first unsaved change
VERIFY_DELAY = 0.4  # seconds after the last keystroke in the answer


class Cancelled(Exception):
    """Raised inside a worker's stream callback when the officer pressed Esc."""


# --- messages from workers -----------------------------------------------------------


class SearchDone(Message):
    def __init__(self, sq_id: str, hits: list[Hit]):
        super().__init__()
        self.sq_id, self.hits = sq_id, hits


class DraftDone(Message):
    def __init__(self, sq_id: str, draft: Draft, hits: list[Hit] | None = None):
        super().__init__()
        self.sq_id, self.draft, self.hits = sq_id, draft, hits


class StreamToken(Message):
    def __init__(self, sq_id: str, text: str):
        super().__init__()
        self.sq_id, self.text = sq_id, text


class ExportDone(Message):
    def __init__(self, path: Path):
        super().__init__()
        self.path = path


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
        Binding("f5", "search", "Søg", priority=True),
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
        yield Footer(compact=True)

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
        if self.prewarm and self.services.searcher is None and self.services.searcher_factory is not None:
            self._open_index()

    _MAIN_ONLY = frozenset(
        {"search", "draft", "draft_all", "toggle_drafter", "export", "drafts", "tab", "next_sq", "prev_sq"}
        | {"inspect", "reverify", "pin", "drop", "new", "ingest"}
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Main-screen actions are off while a dialog is open (F-keys are priority bindings)."""
        return not (action in self._MAIN_ONLY and isinstance(self.screen, ModalScreen))

    def _painted(self) -> None:
        if self.first_paint is None:
            self.first_paint = time.perf_counter() - self._t0

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
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
        for i, h in enumerate(self._visible_hits(sq_id), start=1):
            cid = h.passage.chunk_id
            table.add_row(*hit_cells(i, h, pinned=cid in pinned, dropped=cid in dropped), key=cid)
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
            info.update(Text(f"Intet udkast til delspørgsmålet endnu: F6 skriver et. Drafter: {drafter}", style="dim"))
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

    @on(Input.Submitted, "#f-authority, #f-from, #f-to")
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

    def current_filters(self) -> Filters | None:
        kind = self.query_one("#f-kind", Select).value
        f = Filters(
            kinds={DocKind(kind)} if isinstance(kind, str) and kind else set(),
            authority=self.query_one("#f-authority", Input).value.strip() or None,
            date_from=self.query_one("#f-from", Input).value.strip() or None,
            date_to=self.query_one("#f-to", Input).value.strip() or None,
        )
        return None if f.empty() else f

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
        self.set_status("Søger …", busy=True)
        self._search_worker(self.question, sq, self.current_filters())

    def action_draft(self) -> None:
        sq = self.current()
        if sq is None or self.question is None:
            self.notify("Fortolk spørgsmålet først (F2, F5).", severity="warning")
            return
        if self._busy():
            return
        self.set_status(f"Skriver udkast til delspørgsmål {sq.id} ({self.state.drafter}) …", busy=True)
        self._draft_worker(self.question, [sq.id], self.current_filters(), self.state.drafter)

    def action_draft_all(self) -> None:
        if self.question is None or not self.sub_questions():
            self.notify("Fortolk spørgsmålet først (F2, F5).", severity="warning")
            return
        if self._busy():
            return
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
        name = slug(f"svar {q.asker or ''} {q.topic or ''}")
        out = Path.cwd() / f"{name}.docx"
        self.push_screen(ExportScreen(out, self.settings.export.template), self._export_chosen)

    def _export_chosen(self, choice: dict | None) -> None:
        if not choice:
            return
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
    def _search_worker(self, question: Question, sq: SubQuestion, filters: Filters | None) -> None:
        try:
            hits = self.services.search_sub_question(question, sq, filters=filters)
        except Exception as e:
            self._post(WorkFailed("søgningen", f"{type(e).__name__}: {e}"))
            return
        self._post(SearchDone(sq.id, hits))

    @work(thread=True, group="work", exit_on_error=False)
    def _draft_worker(self, question: Question, only: list[str] | None, filters: Filters | None, drafter: str) -> None:
        """Draft the sub-questions in ``only`` (all when None) in one pipeline call, so they share one pool."""
        worker = get_current_worker()
        state = self.state
        pins = {k: list(v) for k, v in state.pins.items() if v}
        dropped = {k: list(v) for k, v in state.dropped.items()}
        # a sub-question with results on screen is drafted from those (minus drops); others are searched
        hits = {k: list(v) for k, v in state.hits.items()}
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
        self._post(ExportDone(Path(path)))

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
        self.set_status(f"{len(msg.hits)} passager fundet.", busy=False)
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
            base = msg.draft.model_copy(update={"question": q, "sub_answers": [], "sources": []})
        draft = merge_sub_draft(base, msg.draft, msg.sq_id)
        pinned = {h.passage.chunk_id for hs in self.state.pins.values() for h in hs}
        draft = draft.model_copy(
            update={"sources": [s.model_copy(update={"pinned": s.passage.chunk_id in pinned}) for s in draft.sources]}
        )
        self.state.draft = draft
        self.state.edits.pop(msg.sq_id, None)
        a = next((a for a in draft.sub_answers if a.sub_question.id == msg.sq_id), None)
        n = len(a.sentences) if a else 0
        self.set_status(f"Udkast til delspørgsmål {msg.sq_id}: {n} sætninger ({draft.drafter}).", busy=False)
        if msg.sq_id == self.current_sq:
            self.refresh_hits()
            self.refresh_answer()
        self.touch()

    def on_export_done(self, msg: ExportDone) -> None:
        self.last_export = msg.path
        self.set_status(f"Eksporteret: {msg.path}", busy=False)
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
    if resume:
        path = resolve_resume(settings.drafts_dir, resume)
        if path is None:
            if resume != "latest":
                print(f"fejl: ingen gemt kladde ved navn {resume!r} i {settings.drafts_dir}", file=sys.stderr)
                return 2
            print(f"(ingen gemte kladder i {settings.drafts_dir}; starter forfra)", file=sys.stderr)
        else:
            try:
                state = load_state(path)
            except Exception as e:
                print(f"fejl: kan ikke åbne {path}: {e}", file=sys.stderr)
                return 2
    app = AssistantApp(make_services(settings), state, prewarm=True)
    app.run()
    return 0
