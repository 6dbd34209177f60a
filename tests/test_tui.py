"""The Textual app driven by Pilot on a temp index of ../shared/seeds + corpus-extra.

The flow: paste the Steenberger question, see its two sub-questions, search and
pin, draft offline (the question's own answer, 000, is excluded from the index
view), inspect a citation, add a wrong number and see it flagged, export a .docx
and reopen it; then a simulated crash and ``--resume``. Plus state unit tests
and a markup-safety test with named fakes.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest
from rich.text import Text

from assistant.cite import verify_draft
from assistant.config import Settings
from assistant.edit import merge_sub_draft, reverify_text, update_sub_questions
from assistant.models import (
    Citation,
    DocKind,
    DocumentMeta,
    Draft,
    Hit,
    Passage,
    Question,
    Sentence,
    SourceRef,
    Status,
    SubAnswer,
    SubQuestion,
)
from assistant.retrieve import Filters
from assistant.tui.services import Services, merge_filters
from assistant.tui.state import WorkingState, list_states, load_state, resolve_resume, save_state

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "seeds" / "000_cec2ff78386550a7.txt"
SIZE = (100, 30)


def steenberger_question() -> str:
    """The framing sentence and the quoted question, read from the seed (not copied into the repo)."""
    if not SEED.exists():
        pytest.skip(f"{SEED} is absent (../shared not beside the repo)")
    text = SEED.read_text(encoding="utf-8")
    start = text.index("Rasmus Steenberger (F) har den")
    end = text.index("###", start)
    return text[start:end].strip()


@pytest.fixture
def live_services(shared_index, tmp_path):
    """Real retrieval, drafting and export over the shared temp index, leaving 000 (the answer) out."""
    s, _report, searcher = shared_index
    settings = Settings(index_dir=s.index_dir, drafts_dir=tmp_path / "drafts")
    return Services(
        settings=settings,
        searcher=searcher,
        default_filters=Filters(exclude_sources={SEED.name}),
    )


def _static_text(app, selector: str) -> Text:
    content = app.query_one(selector).content
    return content if isinstance(content, Text) else Text(str(content))


async def _enter_question(app, pilot, raw: str) -> None:
    from textual.widgets import TextArea

    app.query_one("#raw", TextArea).load_text(raw)
    app.query_one("#raw", TextArea).focus()
    await pilot.pause()
    await pilot.press("f5")  # on the question tab: parse
    await pilot.pause()


# --- the whole flow ---------------------------------------------------------------------


async def test_full_flow_question_to_docx_and_resume(live_services, tmp_path):
    from docx import Document as DocxDocument
    from textual.widgets import DataTable, Input, OptionList, TextArea

    from assistant.tui.app import AssistantApp
    from assistant.tui.screens import ConfirmScreen, ExportScreen, InspectorScreen

    raw = steenberger_question()
    crash_dir = tmp_path / "after-crash"
    t0 = time.perf_counter()
    app = AssistantApp(live_services, autosave_delay=0.05)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        launch = time.perf_counter() - t0
        assert app.first_paint is not None and app.first_paint < 5.0
        print(f"\nfirst paint {app.first_paint * 1000:.0f} ms after App(); run_test ready after {launch * 1000:.0f} ms")

        # intake: the framing is parsed into editable fields and two sub-questions
        await _enter_question(app, pilot, raw)
        assert app.query_one("#f-asker", Input).value == "Rasmus Steenberger"
        assert app.query_one("#f-party", Input).value == "F"
        assert app.query_one("#f-date", Input).value == "2026-05-19"
        assert "Omsorgsforvaltningen" in app.query_one("#f-addressee", Input).value
        sqs = app.state.question.sub_questions
        assert [sq.id for sq in sqs] == ["1", "2"]
        lines = app.query_one("#subqs", TextArea).text.splitlines()
        assert len(lines) == 2 and lines[1].startswith("Er der mulighed for at prioritere")  # the part in neutral form
        assert "1/2" in _static_text(app, "#sq-bar").plain

        # sources: search, matched terms highlighted, 000 left out, pin the top passage
        await pilot.press("f3")
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.query_one("#hits", DataTable)
        hits = app.state.hits["1"]
        assert table.row_count == len(hits) > 0
        assert all(Path(h.meta.source_path).name != SEED.name for h in hits)
        preview = _static_text(app, "#hit-preview")
        assert hits[0].meta.title in preview.plain
        marked = [preview.plain[sp.start : sp.end].lower() for sp in preview.spans if "yellow" in str(sp.style)]
        assert marked and any(m in [t.lower() for t in hits[0].matched_terms] for m in marked)
        assert app.focused is table
        await pilot.press("down", "p")
        pinned = app.state.pins["1"]
        assert [h.passage.chunk_id for h in pinned] == [hits[1].passage.chunk_id]

        # draft sub-question 1 from the pin only, then sub-question 2 (searched inside the worker)
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        d = app.state.draft
        a1 = next(a for a in d.sub_answers if a.sub_question.id == "1")
        cited = {c.chunk_id for s in a1.sentences for c in s.citations}
        assert cited == {pinned[0].passage.chunk_id}
        await pilot.press("ctrl+pagedown", "f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.current_sq == "2"
        assert {a.sub_question.id for a in app.state.draft.sub_answers} == {"1", "2"}
        keys = [s.key for s in app.state.draft.sources]
        assert len(keys) == len(set(keys)), "merged drafts must not reuse a key for two passages"
        assert all(Path(s.meta.source_path).name != SEED.name for s in app.state.draft.sources)

        # the draft tab: markers visible, a status per sentence
        await pilot.press("ctrl+pageup", "f4")
        await pilot.pause()
        ta = app.query_one("#answer", TextArea)
        assert re.search(r"\[K\d+\]", ta.text)
        checks = app.query_one("#checks", OptionList)
        assert checks.option_count == len(a1.sentences)

        # citation inspector: cursor on a marker -> the passage with the supporting span highlighted
        first = next(s for s in a1.sentences if s.citations)
        m = re.search(r"\[K\d+\]", ta.text)
        ta.move_cursor(_loc(ta.text, m.start() + 1))
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, InspectorScreen)
        assert app.screen.key == first.citations[0].key
        head = _static_text(app.screen, "#source-head").plain
        ref = app.state.draft.source(first.citations[0].key)
        assert ref.meta.title in head and "Overskrift" in head
        body = _static_text(app.screen, "#passage")
        hl = [body.plain[sp.start : sp.end] for sp in body.spans if "on yellow" in str(sp.style)]
        a, b = first.citations[0].span
        assert ref.passage.text[a:b] in hl
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, InspectorScreen)

        # edit: add a number that the cited passage does not hold -> flagged after re-verification
        target = first.text
        assert target in ta.text and first.status == Status.verified
        end = ta.text.index(target) + len(target) - 1  # before the final full stop
        ta.focus()
        ta.insert(" til 999,9 mio. kr", _loc(ta.text, end))  # an edit, as if typed
        await pilot.press("ctrl+r")
        await pilot.pause()
        a1 = next(a for a in app.state.draft.sub_answers if a.sub_question.id == "1")
        edited = next(s for s in a1.sentences if "999,9" in s.text)
        assert edited.status == Status.unverified
        assert any("999,9" in p for p in edited.problems)
        assert app.state.edits["1"] == ta.text
        prompts = [checks.get_option_at_index(i).prompt for i in range(checks.option_count)]
        assert any("⚠" in str(p) and "999,9" in str(p) for p in prompts)

        # autosave within moments of a change; a copy taken now is what a kill -9 would leave behind
        app.query_one("#f-asker", Input).value = "R. Steenberger"
        await pilot.pause(0.2)
        files = list_states(live_services.settings.drafts_dir)
        assert len(files) == 1 and "999,9" in json.loads(files[0].read_text(encoding="utf-8"))["edits"]["1"]
        crash_dir.mkdir()
        shutil.copy2(files[0], crash_dir / files[0].name)
        edited = ta.text

        # export: form -> confirmation -> worker -> a .docx that python-docx reopens
        out = tmp_path / "svar.docx"
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#x-out", Input).value = str(out)
        app.screen.query_one("#x-fields", Input).value = "case_officer=Testperson"
        app.screen.query_one("#x-out", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "ubekræftede" in app.screen.message.plain
        await pilot.press("j")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.last_export == out and out.exists()
        doc = DocxDocument(str(out))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert "Svar til R. Steenberger (F)" in text  # the edited field reached the header
        assert "999,9" in text
        assert "Testperson" in text

    # resume after the simulated crash: question, fields, sub-questions and the edit are back
    path = resolve_resume(crash_dir, "latest")
    assert path is not None and path.parent == crash_dir
    app2 = AssistantApp(live_services, load_state(path))
    async with app2.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app2.query_one("#f-asker", Input).value == "R. Steenberger"
        assert len(app2.query_one("#subqs", TextArea).text.splitlines()) == 2
        assert app2.query_one("#answer", TextArea).text == edited
        a1 = next(a for a in app2.state.draft.sub_answers if a.sub_question.id == "1")
        assert any(s.status == Status.unverified and "999,9" in s.text for s in a1.sentences)


def _loc(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n"), len(before) - (before.rfind("\n") + 1)


def test_run_rejects_unknown_resume_name(tmp_path, capsys):
    from assistant.tui.app import run

    rc = run(Settings(index_dir=tmp_path / "i", drafts_dir=tmp_path / "d"), resume="findes-ikke")
    assert rc == 2
    assert "findes-ikke" in capsys.readouterr().err


# --- markup safety with named fakes -----------------------------------------------------

NASTY = "Beløbet [b]bold[/b] [/] [1] er 54,0 mio. kr. i 2026 [red]ikke rød[/red]."


def _nasty_hit() -> Hit:
    meta = DocumentMeta(
        doc_id="d1",
        title="Notat [/] om [b]budget[/b]",
        authority="[i]Kommune[/i]",
        date="2025-02-03",
        kind=DocKind.prior_answer,
        source_path="/x/[1].txt",
        sha256="0" * 64,
    )
    p = Passage(chunk_id="d1:00000000:0000", doc_id="d1", ordinal=0, text=NASTY, start=0, end=len(NASTY))
    p.heading_path = ["[bold]Afsnit[/]"]
    return Hit(passage=p, meta=meta, score=0.9, relevance=0.8, matched_terms=["[b]bold[/b]", "mio"])


class FakeSearcher:
    def __init__(self, hits):
        self.hits = hits

    def search(self, query, k=None, filters=None):
        return list(self.hits)


async def test_markup_in_documents_is_shown_literally(tmp_path):
    from assistant.tui.app import AssistantApp
    from assistant.tui.screens import InspectorScreen

    hit = _nasty_hit()
    q = Question(
        raw="x", text="Hvad [b]koster[/b] det?", sub_questions=[SubQuestion(id="1", text="Hvad [/] koster det?")]
    )
    ref = SourceRef(key="K1", passage=hit.passage, meta=hit.meta)
    sent = Sentence(text=NASTY.replace("[red]ikke rød[/red]", "[/]"), citations=[Citation(key="K1")])
    draft = verify_draft(
        Draft(
            question=q,
            sources=[ref],
            sub_answers=[SubAnswer(sub_question=q.sub_questions[0], sentences=[sent])],
            warnings=["Kilde K1 (x_[b]canary[/b].txt) er markeret injection"],
        )
    )
    state = WorkingState(name="markup", raw="[b]x[/b]", question=q, draft=draft, hits={"1": [hit]})
    services = Services(
        settings=Settings(index_dir=tmp_path / "i", drafts_dir=tmp_path / "d"), searcher=FakeSearcher([hit])
    )
    app = AssistantApp(services, state)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        preview = _static_text(app, "#hit-preview").plain
        assert "[b]bold[/b] [/] [1]" in preview and "[red]ikke rød[/red]" in preview
        assert "Notat [/] om [b]budget[/b]" in preview
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, InspectorScreen)
        assert "[b]bold[/b] [/] [1]" in _static_text(app.screen, "#passage").plain
        assert "[bold]Afsnit[/]" in _static_text(app.screen, "#source-head").plain
        await pilot.press("escape")
        await pilot.pause()
        # the draft's warnings (e.g. injection flags) are shown with the draft, literally
        assert "x_[b]canary[/b].txt) er markeret injection" in _static_text(app, "#draft-info").plain
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "[/] koster" in _static_text(app, "#sq-bar").plain


# --- state, pure ------------------------------------------------------------------------


def test_update_sub_questions_keeps_ids():
    old = [SubQuestion(id="1", text="A?"), SubQuestion(id="2", text="B?"), SubQuestion(id="3", text="C?")]
    new = update_sub_questions(old, ["A?", "B ændret?", "", "D?"])
    assert [(s.id, s.text) for s in new] == [("1", "A?"), ("2", "B ændret?"), ("3", "D?")]
    removed = update_sub_questions(old, ["C?", "A?"])
    assert [s.id for s in removed] == ["3", "1"]
    added = update_sub_questions(old, ["A?", "B?", "C?", "E?"])
    assert added[-1].id == "4"


def _ref(key: str, chunk: str, text: str) -> SourceRef:
    meta = DocumentMeta(doc_id=chunk, title=chunk, source_path=f"/{chunk}.txt", sha256="0" * 64)
    return SourceRef(
        key=key, passage=Passage(chunk_id=chunk, doc_id=chunk, ordinal=0, text=text, start=0, end=len(text)), meta=meta
    )


def test_merge_sub_draft_renumbers_keys_and_reverify_flags_numbers():
    q = Question(raw="", text="", sub_questions=[SubQuestion(id="1", text="a"), SubQuestion(id="2", text="b")])
    t1 = "Bevillingen udløber i 2026 og udgør 54,0 mio. kr. til ældreområdet i kommunen."
    t2 = "Seniorcirkler afprøves i en hjemmeplejeenhed efter sommerferien i 2025 i København."
    base = Draft(
        question=q,
        sources=[_ref("K1", "a", t1)],
        sub_answers=[
            SubAnswer(
                sub_question=q.sub_questions[0],
                sentences=[Sentence(text=t1, citations=[Citation(key="K1")])],
                source_keys=["K1"],
            )
        ],
    )
    new = Draft(
        question=q.model_copy(update={"sub_questions": [q.sub_questions[1]]}),
        sources=[_ref("K1", "b", t2), _ref("K2", "a", t1)],
        sub_answers=[
            SubAnswer(
                sub_question=q.sub_questions[1],
                sentences=[
                    Sentence(text=t2, citations=[Citation(key="K1")]),
                    Sentence(text=t1, citations=[Citation(key="K2")]),
                ],
                source_keys=["K1", "K2"],
            )
        ],
    )
    merged = merge_sub_draft(base, new, "2")
    assert {s.key: s.passage.chunk_id for s in merged.sources} == {"K1": "a", "K2": "b"}
    a2 = merged.sub_answers[1]
    assert [c.key for s in a2.sentences for c in s.citations] == ["K2", "K1"]
    assert all(s.status == Status.verified for s in merged.sentences())

    edited = reverify_text(merged, "1", t1.replace("54,0", "999,9") + " [K1]")
    s = edited.sub_answers[0].sentences[0]
    assert s.status == Status.unverified and any("999,9" in p for p in s.problems)
    assert reverify_text(merged, "1", t1 + " [K1]").sub_answers[0].sentences[0].status == Status.verified


def test_save_state_is_atomic_and_resolvable(tmp_path):
    st = WorkingState(raw="spørgsmål", question=Question(raw="x", text="Hvad?", asker="A", party="B"))
    p = save_state(st, tmp_path)
    assert p.exists() and not [f for f in tmp_path.iterdir() if f.name.startswith(".")]
    assert load_state(p).question.asker == "A"
    assert resolve_resume(tmp_path, "latest") == p
    assert resolve_resume(tmp_path, p.stem) == p
    assert resolve_resume(tmp_path, "nope") is None
    assert resolve_resume(tmp_path / "missing", "latest") is None


def test_merge_filters_keeps_leave_one_out():
    f = merge_filters(Filters(exclude_sources={"000.txt"}), Filters(kinds={DocKind.decision}))
    assert f.exclude_sources == {"000.txt"} and f.kinds == {DocKind.decision}


# --- streaming and cancel with named fakes ----------------------------------------------


class StreamingFakeDrafter:
    """A draft function that streams two tokens, then waits until released (or cancelled via the stream)."""

    def __init__(self):
        import threading

        self.release = threading.Event()
        self.calls = 0

    def __call__(self, question, searcher, settings, *, drafter="offline", pins=None, on_token=None, **_):
        from assistant.draft import assign_keys

        self.calls += 1
        sq_id = question.sub_questions[0].id
        on_token(sq_id, "Beløbet er [/] 54,0 ")
        on_token(sq_id, "mio. kr. [K1]")
        while not self.release.wait(0.01):
            on_token(sq_id, "")  # lets the app's callback raise when the officer pressed Esc
        sources = assign_keys(pins)
        sq = question.sub_questions[0]
        s = Sentence(text="Beløbet er 54,0 mio. kr. i 2026.", citations=[Citation(key=sources[0].key)])
        return verify_draft(
            Draft(
                question=question,
                sources=sources,
                sub_answers=[SubAnswer(sub_question=sq, sentences=[s])],
                drafter=drafter,
            )
        )


async def _wait_for(pilot, cond, tries: int = 200) -> None:
    for _ in range(tries):
        if cond():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition not reached")


async def test_llm_text_streams_in_and_esc_cancels(tmp_path):
    from textual.widgets import LoadingIndicator, TextArea

    from assistant.tui.app import AssistantApp

    hit = _nasty_hit()
    q = Question(raw="x", text="Hvad koster det?", sub_questions=[SubQuestion(id="1", text="Hvad koster det?")])
    fake = StreamingFakeDrafter()
    settings = Settings(index_dir=tmp_path / "i", drafts_dir=tmp_path / "d", llm={"model": "fake/model"})
    services = Services(settings=settings, searcher=FakeSearcher([hit]), answer_fn=fake)
    state = WorkingState(name="stream", raw="x", question=q, pins={"1": [hit]})
    app = AssistantApp(services, state)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f7")  # offline -> llm (a model is configured)
        assert app.state.drafter == "llm"
        await pilot.press("f4", "f6")
        ta = app.query_one("#answer", TextArea)
        await _wait_for(pilot, lambda: "mio. kr. [K1]" in ta.text)
        assert ta.text == "Beløbet er [/] 54,0 mio. kr. [K1]"  # streamed, shown literally
        assert app.query_one("#busy", LoadingIndicator).display
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.state.draft is None and ta.text == ""
        assert not app.query_one("#busy", LoadingIndicator).display
        assert "Annulleret" in _static_text(app, "#status").plain

        fake.release.set()  # the second run is not cancelled: the verified draft replaces the stream
        await pilot.press("f6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert fake.calls == 2
        assert app.state.draft.drafter == "llm"
        assert ta.text == "Beløbet er 54,0 mio. kr. i 2026. [K1]"
        assert app.state.draft.sentences()[0].status == Status.verified


async def test_ingest_runs_in_a_worker_with_progress(tmp_path):
    from types import SimpleNamespace

    from textual.widgets import Input

    from assistant.tui.app import AssistantApp
    from assistant.tui.screens import PromptScreen

    seen: list = []

    def fake_ingest(paths, settings, *, progress=None):
        for i, p in enumerate(paths, start=1):
            progress(i, len(paths), Path(p).name)
        seen.extend(paths)
        return SimpleNamespace(added=[str(p) for p in paths], updated=[], unchanged=[], failed=[])

    services = Services(
        settings=Settings(index_dir=tmp_path / "i", drafts_dir=tmp_path / "d"),
        searcher=FakeSearcher([]),
        ingest_fn=fake_ingest,
    )
    app = AssistantApp(services)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_ingest()
        await pilot.pause()
        assert isinstance(app.screen, PromptScreen)
        app.screen.query_one("#p-value", Input).value = f"{tmp_path / 'a'}; {tmp_path / 'b.pdf'}"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert [p.name for p in seen] == ["a", "b.pdf"]
        assert "Indlæst: 2 nye" in _static_text(app, "#status").plain


async def test_drafts_list_reopens_a_saved_state(tmp_path):
    from textual.widgets import Input

    from assistant.tui.app import AssistantApp
    from assistant.tui.screens import DraftsScreen

    drafts = tmp_path / "d"
    other = WorkingState(name="20260101-000000", raw="x", question=Question(raw="x", text="Hvad?", asker="Bo Ek"))
    save_state(other, drafts)
    services = Services(settings=Settings(index_dir=tmp_path / "i", drafts_dir=drafts), searcher=FakeSearcher([]))
    app = AssistantApp(
        services, WorkingState(name="current", raw="y", question=Question(raw="y", text="Hvor?", asker="Al"))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, DraftsScreen)
        assert {p.stem for p in app.screen.files} == {"current", "20260101-000000"}  # the open one was saved first
        index = [p.stem for p in app.screen.files].index("20260101-000000")
        await pilot.press(*(["down"] * index), "enter")
        await pilot.pause()
        assert app.state.name == "20260101-000000"
        assert app.query_one("#f-asker", Input).value == "Bo Ek"
