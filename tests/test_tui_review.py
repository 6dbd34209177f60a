"""Review without friction (issue 19), driven by Pilot at 80x24: the key line, F6 on an edited draft,
undo, leaving a document out for the whole question, free-text search, status lines, the export
dialog's defaults and memory, resuming from another working directory.

Retrieval is a named fake (``RecordingFakeSearcher``: returns the hits it was given, records the
query and filters); drafting is the real offline drafter over those hits.
"""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from rich.text import Text

from assistant.config import Settings, load_settings
from assistant.models import DocumentMeta, Hit, Passage, Question, SubQuestion
from assistant.tui.services import Services
from assistant.tui.state import WorkingState, save_state

SIZE = (80, 24)
MAIN_KEYS = ("F2", "F3", "F4", "F5", "F6", "F8", "^O", "^Q")


def _hit(doc: str, n: int, text: str, title: str | None = None) -> Hit:
    meta = DocumentMeta(
        doc_id=doc,
        title=title or f"Notat {doc}",
        date="2025-03-04",
        source_path=f"/x/{doc}.txt",
        sha256="0" * 64,
    )
    p = Passage(chunk_id=f"{doc}:00000000:{n:04d}", doc_id=doc, ordinal=n, text=text, start=0, end=len(text))
    return Hit(passage=p, meta=meta, score=0.9 - n / 10, relevance=0.9, matched_terms=["madklubberne"])


HITS = [
    _hit("svaret", 0, "Madklubberne på plejecentrene fik 2,5 mio. kr. i 2025 til fællesspisning."),
    _hit("budget", 1, "Budgettet for madklubberne på plejecentrene er 2,5 mio. kr. i 2025 og 2026."),
    _hit("svaret", 2, "Madklubberne samler beboere og pårørende om fællesspisning på plejecentrene hver uge."),
]


class RecordingFakeSearcher:
    """A named fake: returns the given hits (minus excluded files) and records each call."""

    def __init__(self, hits):
        self.hits = hits
        self.calls: list[tuple[str, object]] = []

    def search(self, query, k=None, filters=None):
        self.calls.append((query, filters))
        return [h for h in self.hits if filters is None or filters.allows(h.meta)]


def _question() -> Question:
    sqs = [
        SubQuestion(id="1", text="Hvor mange penge fik madklubberne på plejecentrene i 2025?"),
        SubQuestion(id="2", text="Hvordan bruges madklubberne på plejecentrene?"),
    ]
    return Question(raw="x", text="Madklubber", asker="Anna Bach", party="Ø", topic="madklubber", sub_questions=sqs)


def _app(tmp_path, state: WorkingState | None = None, hits=HITS):
    from assistant.tui.app import AssistantApp

    searcher = RecordingFakeSearcher(hits)
    settings = Settings(index_dir=tmp_path / "index")
    services = Services(settings=settings, searcher=searcher)
    return AssistantApp(services, state, autosave_delay=0.05), searcher


def _plain(app, selector: str) -> str:
    content = app.query_one(selector).content
    return content.plain if isinstance(content, Text) else str(content)


async def test_key_line_shows_the_main_keys_at_80x24_and_f5_says_what_it_does(tmp_path):
    from assistant.tui.widgets import KeyLine

    app, _ = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = app.query_one("#keyline", KeyLine)
        text = _plain(app, "#keyline")
        assert line.region.y == SIZE[1] - 1 and line.region.width == SIZE[0]  # the screen's last line
        assert cell_len(text) <= SIZE[0]
        for key in MAIN_KEYS:
            assert key in text.split(), f"{key} missing from the key line: {text!r}"
        # a new session: F5 parses the question, and the key line and the field say the same word
        assert "F5 fortolk" in text
        labels = " ".join(str(w.render()) for w in app.query("IntakePane Label"))
        assert "F5 fortolk" in labels
        app.state.question = _question()
        app.load_into_ui()
        await pilot.press("f3")
        await pilot.pause()
        assert "F5 søg" in _plain(app, "#keyline")
    app, _ = _app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:  # wider: the rest of the keys join
        await pilot.pause()
        wide = _plain(app, "#keyline")
        assert all(k in wide.split() for k in (*MAIN_KEYS, "F1", "F7", "F9"))


async def test_f6_on_an_edited_draft_asks_first_and_ctrl_z_brings_the_edit_back(tmp_path):
    from textual.widgets import TextArea

    from assistant.tui.screens import ConfirmScreen

    state = WorkingState(name="f6", raw="x", question=_question(), pins={"1": [HITS[1]]})
    app, _ = _app(tmp_path, state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        ta = app.query_one("#answer", TextArea)
        drafted = ta.text
        assert "[K1]" in drafted
        assert not isinstance(app.screen, ConfirmScreen)  # nothing edited yet: no question asked

        ta.focus()
        ta.insert(" Forvaltningen har selv talt med tre plejecentre.", ta.document.end)
        await pilot.pause(0.6)  # past the re-verification delay
        edited = ta.text
        assert app.state.edits["1"] == edited

        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "rettet" in app.screen.message.plain
        await pilot.press("n")  # no: the edit stays
        await pilot.pause()
        assert ta.text == edited and app.state.edits["1"] == edited

        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ta.text == drafted and "1" not in app.state.edits
        assert app.state.replaced["1"] == edited  # kept in the saved state as well

        ta.focus()
        await pilot.press("ctrl+z")
        await pilot.pause(0.6)
        assert ta.text == edited
        assert app.state.edits["1"] == edited
        a1 = next(a for a in app.state.draft.sub_answers if a.sub_question.id == "1")
        assert not any("ukendt kilde" in p for s in a1.sentences for p in s.problems)


async def test_a_document_left_out_for_the_whole_question_and_free_text_search(tmp_path):
    from textual.widgets import DataTable, Input

    state = WorkingState(name="ex", raw="x", question=_question(), hits={"1": list(HITS), "2": list(HITS)})
    app, searcher = _app(tmp_path, state)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        table = app.query_one("#hits", DataTable)
        assert table.cursor_row == 0  # the first row is from svaret.txt
        await pilot.press("u")
        await pilot.pause()
        assert app.state.excluded == ["svaret.txt"]
        pins, _dropped, hits = app.pipeline_inputs()  # what the drafting pipeline is given
        for sq_id in ("1", "2"):  # every sub-question, not only the one on screen
            assert {Path(h.meta.source_path).name for h in hits[sq_id]} == {"budget.txt"}
        marks = [str(table.get_cell_at((r, 0))) for r in range(table.row_count)]
        assert marks == ["⊘", " ", "⊘"]
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        marks = [str(table.get_cell_at((r, 0))) for r in range(table.row_count)]
        assert marks == ["⊘", " ", "⊘"]
        status = _plain(app, "#status")
        assert status.startswith("Delspm. 2/2:") and "1 dokument(er) udeladt" in status

        # free-text search over the index, with the left-out file filtered away
        app.query_one("#f-query", Input).value = "fællesspisning"
        app.query_one("#f-query", Input).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        query, filters = searcher.calls[-1]
        assert query == "fællesspisning" and filters.exclude_sources == {"svaret.txt"}
        assert "«fællesspisning»" in _plain(app, "#status") and table.row_count == 1

        # u again on a marked row takes the document back in
        app.state.hits["2"] = list(HITS)
        app.refresh_hits()
        table.move_cursor(row=0)
        table.focus()
        await pilot.press("u")
        assert app.state.excluded == []


async def test_status_line_follows_the_sub_question_and_says_when_nothing_was_found(tmp_path):
    state = WorkingState(name="st", raw="x", question=_question(), pins={"1": [HITS[1]]})
    app, searcher = _app(tmp_path, state, hits=[])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f4", "f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert _plain(app, "#status").startswith("Delspm. 1: udkast med")
        await pilot.press("ctrl+pagedown")
        await pilot.pause()
        status = _plain(app, "#status")
        assert status.startswith("Delspm. 2/2:") and "ikke søgt endnu" in status and "udkast" not in status
        await pilot.press("f3", "f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Ingen passager fundet" in _plain(app, "#status")


async def test_export_dialog_overwrite_off_by_default_and_fields_remembered(tmp_path):
    from textual.widgets import Checkbox, Input

    from assistant.tui.screens import ConfirmScreen, ExportScreen

    state = WorkingState(name="x", raw="x", question=_question())
    app, _ = _app(tmp_path, state)
    out = tmp_path / "svar.docx"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#x-force", Checkbox).value is False
        hint = " ".join(str(w.render()) for w in app.screen.query(".hint"))
        assert "case_officer=" in hint
        assert all(w.size.height >= 1 for w in app.screen.query(".hint"))
        app.screen.query_one("#x-out", Input).value = str(out)
        app.screen.query_one("#x-fields", Input).value = "edoc=2026-1; kontor=Ældrekontoret"
        app.screen.query_one("#x-out", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        msg = app.screen.message.plain
        assert "{{ case_officer }}" in msg  # the default template's Sagsbehandler has no value
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert out.exists()
        await pilot.press("f8")
        await pilot.pause()
        assert app.screen.query_one("#x-fields", Input).value == "edoc=2026-1; kontor=Ældrekontoret"
        assert app.screen.query_one("#x-out", Input).value == str(out)
        assert app.screen.query_one("#x-force", Checkbox).value is False


async def test_source_titles_use_the_width(tmp_path):
    from textual.widgets import DataTable

    long_title = "Budgetpublikation 2025-2028: Sundheds- og Omsorgsforvaltningens tal"  # 67 characters
    hits = [_hit("b", 0, "Madklubberne fik 2,5 mio. kr.", title=long_title)]
    state = WorkingState(name="w", raw="x", question=_question(), hits={"1": hits})
    app, _ = _app(tmp_path, state, hits=hits)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert str(app.query_one("#hits", DataTable).get_cell_at((0, 3))) == long_title
    app, _ = _app(tmp_path, state, hits=hits)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        shown = str(app.query_one("#hits", DataTable).get_cell_at((0, 3)))
        assert shown.endswith("…") and len(shown) == 30


async def test_command_palette_speaks_danish(tmp_path):
    from textual.command import CommandInput, CommandPalette

    app, _ = _app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == "Søg efter en kommando …"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Afslut" in titles and "Quit" not in titles


def test_resume_from_another_working_directory(tmp_path, monkeypatch):
    from assistant.tui import app as app_mod

    index = tmp_path / "shared-index"
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(index))
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    monkeypatch.chdir(first)
    s1 = load_settings()
    saved = save_state(WorkingState(name="20260522-101500", raw="x", question=_question()), s1.drafts_dir)
    assert saved.is_absolute() and not saved.is_relative_to(first)

    opened: list = []

    def fake_run(self, *a, **kw):  # the app is not started: we look at what it would open
        opened.append((self.state.name, self.startup_notice))

    monkeypatch.setattr(app_mod.AssistantApp, "run", fake_run)
    monkeypatch.chdir(second)
    s2 = load_settings()
    assert s2.drafts_dir == s1.drafts_dir
    assert app_mod.run(s2, resume="latest") == 0
    assert app_mod.run(s2, resume="20260522-101500") == 0
    assert [name for name, _ in opened] == ["20260522-101500", "20260522-101500"]

    # nothing saved: the app says so inside itself, not only on stderr behind the full screen
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "empty-index"))
    assert app_mod.run(load_settings(), resume="latest") == 0
    assert "Ingen gemte kladder" in opened[-1][1]


def test_a_cited_table_row_is_shown_under_its_caption_and_headers():
    """The source view shows a cited row with the table's caption, unit and column headers, the cited
    cell highlighted; a text passage has no such block."""
    from pathlib import Path

    from assistant.documents import read_document
    from assistant.models import SourceRef
    from assistant.tables import row_passages
    from assistant.tui.widgets import row_with_header

    root = Path(__file__).resolve().parents[1] / "corpus"
    doc = read_document(root / "03_beslutning_social_henvisning.md")
    rows = [SourceRef(key=f"K{i}", passage=p, meta=doc.meta) for i, p in enumerate(row_passages(doc, 0), 1)]
    total = next(r for r in rows if r.passage.table_row.row.label == "I alt")
    shown = row_with_header(total, {"2026"})
    lines = shown.plain.splitlines()
    assert lines[0].startswith("Skitse til model og økonomi")
    assert "2026" in lines[1] and "Årligt derefter" in lines[1]
    assert "I alt" in lines[2] and "2.700.000 kr." in lines[2] and "2.000.000 kr." in lines[2]
    cell = shown.plain.index("2.700.000 kr.", len(lines[0]) + len(lines[1]))
    assert any(sp.start <= cell < sp.end and "yellow" in str(sp.style) for sp in shown.spans)
    later = shown.plain.index("2.000.000 kr.", cell)
    assert not any(sp.start <= later < sp.end and "yellow" in str(sp.style) for sp in shown.spans)
    text_ref = SourceRef(key="K0", passage=rows[0].passage.model_copy(update={"table_row": None}), meta=doc.meta)
    assert row_with_header(text_ref) is None
