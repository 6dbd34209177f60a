"""Snapshots of the app's main screens at 80x24, with named fakes for deterministic content.

Regenerate after an intended UI change with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.cite import verify_draft
from assistant.config import Settings
from assistant.draft import build_header
from assistant.models import (
    Citation,
    DocKind,
    DocumentMeta,
    Draft,
    Hit,
    Passage,
    Sentence,
    Status,
    SubAnswer,
)
from assistant.tui.services import Services
from assistant.tui.state import WorkingState

pytest.importorskip("pytest_textual_snapshot")

SIZE = (80, 24)

QUESTION = (
    "Anna Hansen (Ø) har den 3. marts 2026 stillet følgende spørgsmål til Sundheds- og Omsorgsforvaltningen:\n\n"
    '"Hvor mange pladser på midlertidige ophold var der i 2025? '
    'Herunder hvad koster en plads om året?"'
)


def _hit(n: int, title: str, text: str, kind: DocKind, date: str, terms: list[str], score: float) -> Hit:
    meta = DocumentMeta(
        doc_id=f"doc{n}",
        title=title,
        authority="Københavns Kommune",
        date=date,
        kind=kind,
        source_path=f"/corpus/doc{n}.txt",
        sha256=f"{n}" * 64,
    )
    p = Passage(
        chunk_id=f"doc{n}:{n}{n}{n}{n}{n}{n}{n}{n}:0000",
        doc_id=f"doc{n}",
        ordinal=0,
        text=text,
        start=0,
        end=len(text),
        heading_path=["Midlertidige ophold", "Økonomi"],
        page=2,
    )
    return Hit(passage=p, meta=meta, score=score, relevance=0.6, matched_terms=terms)


HITS = [
    _hit(
        1,
        "Budgetnotat om midlertidige ophold",
        "I 2025 var der 120 pladser på midlertidige ophold. En plads koster 650.000 kr. om året [1].",
        DocKind.budget_note,
        "2025-02-03",
        ["pladser", "midlertidige", "ophold"],
        0.97,
    ),
    _hit(
        2,
        "Svar på spørgsmål om ophold",
        "Forvaltningen oplyste i 2024, at belægningen på midlertidige ophold var høj [/].",
        DocKind.prior_answer,
        "2024-11-22",
        ["midlertidige", "ophold"],
        0.81,
    ),
    _hit(
        3,
        "Referat fra udvalgsmødet",
        "Udvalget drøftede kapaciteten på pladser til borgere efter udskrivning.",
        DocKind.minutes,
        "2025-06-10",
        ["pladser"],
        0.55,
    ),
]


class FakeSearcher:
    """Returns the fixed hits for every query."""

    def search(self, query, k=None, filters=None):
        return list(HITS)


def fake_draft(question, searcher, settings, *, pins=None, hits=None, only=None, filters=None, **_):
    """A named fake of the pipeline: a fixed draft over the pinned or listed passages, one verified
    sentence and one with a wrong number (what the TUI shows is under test, not the drafting)."""
    from assistant.draft import assign_keys

    wanted = [sq for sq in question.sub_questions if only is None or sq.id in only]
    evidence = {
        sq.id: (pins or {}).get(sq.id) or (hits or {}).get(sq.id) or searcher.search(sq.text, filters=filters)
        for sq in wanted
    }
    question = question.model_copy(update={"sub_questions": wanted})
    sources = assign_keys(evidence)
    sq = question.sub_questions[0]
    k = sources[0].key
    sentences = [
        Sentence(text="Forvaltningen kan oplyse følgende:", status=Status.no_claim),
        Sentence(text="I 2025 var der 120 pladser på midlertidige ophold.", citations=[Citation(key=k)]),
        Sentence(text="En plads koster 700.000 kr. om året.", citations=[Citation(key=k)]),
        Sentence(text="Belægningen har været høj i en længere periode."),
    ]
    draft = Draft(
        question=question,
        header=build_header(question, settings).model_copy(update={"date": "2026-03-10"}),
        sub_answers=[SubAnswer(sub_question=sq, sentences=sentences, source_keys=[s.key for s in sources])],
        sources=sources,
        drafter="offline",
        created="2026-03-10T10:00:00",
    )
    return verify_draft(draft)


class FakeServices(Services):
    """Services with the fake searcher and drafter; export is never called in snapshots."""

    def __init__(self, tmp: Path):
        super().__init__(
            settings=Settings(index_dir=tmp / "index", drafts_dir=tmp / "drafts"),
            searcher=FakeSearcher(),
            answer_fn=fake_draft,
        )


def make_app(tmp: Path):
    from assistant.tui.app import AssistantApp

    return AssistantApp(FakeServices(tmp), WorkingState(name="snapshot"), autosave_delay=60)


async def _intake(pilot) -> None:
    from textual.widgets import TextArea

    app = pilot.app
    app.query_one("#raw", TextArea).load_text(QUESTION)
    app.query_one("#raw", TextArea).focus()
    await pilot.press("f5")
    await pilot.pause()


async def _sources(pilot) -> None:
    await _intake(pilot)
    await pilot.press("f3", "f5")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("p")
    await pilot.pause()


async def _draft(pilot) -> None:
    await _sources(pilot)
    await pilot.press("f6")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("f4")
    await pilot.pause()


def test_snapshot_intake(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=_intake)


def test_snapshot_sources(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=_sources)


def test_snapshot_draft(snap_compare, tmp_path):
    assert snap_compare(make_app(tmp_path), terminal_size=SIZE, run_before=_draft)


def test_fake_draft_is_what_the_draft_snapshot_shows(tmp_path):
    """Guards the snapshot's meaning: one verified claim, one wrong number, one uncited claim."""
    from assistant.question import parse_question

    q = parse_question(QUESTION)
    assert q.asker == "Anna Hansen" and len(q.sub_questions) == 2
    d = fake_draft(q, None, Settings(), pins={q.sub_questions[0].id: HITS[:1]}, only=[q.sub_questions[0].id])
    assert [s.status for s in d.sentences()] == [Status.no_claim, Status.verified, Status.unverified, Status.uncited]
    assert any("700.000" in p for p in d.sentences()[2].problems)
    # and the stored draft snapshot shows exactly these sentences, each with its status mark and problems
    from assistant.tui.widgets import STATUS_MARK

    shown = _svg_text(Path(__file__).parent / "__snapshots__" / "test_tui_snapshots" / "test_snapshot_draft.svg")
    assert d.header.recipient in shown
    for i, s in enumerate(d.sentences(), 1):
        assert f"{STATUS_MARK[s.status][0]} {i}. {s.text}" in shown, (i, s.text)
        for problem in s.problems:
            assert problem in shown, problem


def _svg_text(path: Path) -> str:
    """The text of a Textual SVG snapshot, runs joined and whitespace collapsed."""
    import html
    import re

    runs = re.findall(r"<text[^>]*>(.*?)</text>", path.read_text(encoding="utf-8"), re.S)
    return " ".join(" ".join(html.unescape(r).replace("\xa0", " ") for r in runs).split())
