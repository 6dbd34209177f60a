"""The TUI's working state and its persistence: pure data and functions, no Textual.

Everything the officer does in the app (the pasted text, the parsed and edited
question, search results, pins and drops, the draft and the raw text of every
edited sub-answer) lives in one :class:`WorkingState`. It is saved as JSON in
``settings.drafts_dir`` atomically (temp file + ``os.replace``), so a crash or
``kill -9`` loses at most the last autosave interval.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.cite import parse_sentences, render_sentences, verify_draft
from assistant.draft import NO_INFO, build_header
from assistant.models import Draft, Hit, Question, Sentence, SourceRef, Status, SubAnswer, SubQuestion

STATE_VERSION = 1


class WorkingState(BaseModel):
    """What the app autosaves; a saved file reopens the session exactly."""

    model_config = ConfigDict(extra="ignore")

    version: int = STATE_VERSION
    name: str = ""  # file stem in drafts_dir
    saved: str = ""  # ISO timestamp of the last save
    raw: str = ""  # the text the officer pasted or opened
    question: Question | None = None
    draft: Draft | None = None
    hits: dict[str, list[Hit]] = Field(default_factory=dict)  # sub-question id -> last search results
    pins: dict[str, list[Hit]] = Field(default_factory=dict)  # sub-question id -> pinned passages
    dropped: dict[str, list[str]] = Field(default_factory=dict)  # sub-question id -> dropped chunk ids
    edits: dict[str, str] = Field(default_factory=dict)  # sub-question id -> the draft text as edited
    replaced: dict[str, str] = Field(default_factory=dict)  # sub-question id -> its text before the last re-draft
    excluded: list[str] = Field(default_factory=list)  # file names left out for the whole question
    export: dict[str, str] = Field(default_factory=dict)  # the last export's "out", "template", "fields"
    drafter: str = "offline"

    def title(self) -> str:
        q = self.question
        if q is None:
            return (self.raw.strip().splitlines() or ["(tom)"])[0][:60]
        who = f"{q.asker} ({q.party})" if q.asker and q.party else (q.asker or "")
        what = q.topic or q.text[:50]
        return f"{who} - {what}" if who else what

    def is_empty(self) -> bool:
        return not self.raw.strip() and self.question is None and self.draft is None


def new_state_name(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S")


# --- persistence -------------------------------------------------------------------


def save_state(state: WorkingState, drafts_dir: Path) -> Path:
    """Write ``state`` to ``drafts_dir/<name>.json`` atomically; returns the path."""
    drafts_dir = Path(drafts_dir)
    drafts_dir.mkdir(parents=True, exist_ok=True)
    if not state.name:
        state.name = new_state_name()
    state.saved = datetime.now().isoformat(timespec="seconds")
    out = drafts_dir / f"{state.name}.json"
    data = state.model_dump_json(indent=1).encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=drafts_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return out


def load_state(path: Path) -> WorkingState:
    path = Path(path)
    state = WorkingState.model_validate_json(path.read_text(encoding="utf-8"))
    state.name = path.stem
    return state


def list_states(drafts_dir: Path) -> list[Path]:
    """Saved states, newest first."""
    d = Path(drafts_dir)
    if not d.is_dir():
        return []
    files = [p for p in d.glob("*.json") if not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name), reverse=True)


def resolve_resume(drafts_dir: Path, name: str | None) -> Path | None:
    """``"latest"`` (or empty) -> newest saved state; a name or path -> that file; None when absent."""
    if name in (None, "", "latest"):
        files = list_states(drafts_dir)
        return files[0] if files else None
    for cand in (Path(name), Path(drafts_dir) / name, Path(drafts_dir) / f"{name}.json"):
        if cand.is_file():
            return cand
    return None


# --- question editing --------------------------------------------------------------


def update_sub_questions(old: list[SubQuestion], lines: list[str]) -> list[SubQuestion]:
    """New sub-question texts (one per line) -> sub-questions, keeping ids stable.

    An unchanged text keeps its id; an edited line keeps the id of the line it
    replaced (same position); a new line gets a fresh id.
    """
    texts = [t.strip() for t in lines if t.strip()]
    used: set[str] = set()
    by_text = {}
    for sq in old:
        by_text.setdefault(sq.text, sq.id)
    out: list[SubQuestion] = []
    pending: list[tuple[int, str]] = []
    for i, t in enumerate(texts):
        sid = by_text.get(t)
        if sid is not None and sid not in used:
            used.add(sid)
            out.append(SubQuestion(id=sid, text=t))
        else:
            out.append(SubQuestion(id="", text=t))
            pending.append((i, t))
    nums = [int(sq.id) for sq in old if sq.id.isdigit()]
    nxt = max(nums, default=0) + 1
    for i, t in pending:
        sid = old[i].id if i < len(old) and old[i].id not in used else None
        if sid is None:
            while str(nxt) in used:
                nxt += 1
            sid = str(nxt)
            nxt += 1
        used.add(sid)
        out[i] = SubQuestion(id=sid, text=t)
    return out


# --- draft editing -----------------------------------------------------------------


def _refs_used(draft: Draft) -> set[str]:
    keys = {k for a in draft.sub_answers for k in a.source_keys}
    keys |= {c.key for s in draft.sentences() for c in s.citations}
    return keys


def merge_sub_draft(base: Draft | None, new: Draft, sq_id: str) -> Draft:
    """Put the answer to ``sq_id`` from ``new`` into ``base``, renumbering ``new``'s keys.

    A passage already in ``base`` keeps its key; other passages get the next free
    ``K<n>``. Sources no sub-answer uses any more are dropped.
    """
    answer = next((a for a in new.sub_answers if a.sub_question.id == sq_id), None)
    if base is None:
        return new
    if answer is None:
        return base
    by_chunk = {s.passage.chunk_id: s.key for s in base.sources}
    nums = [int(s.key[1:]) for s in base.sources if s.key[1:].isdigit()]
    nxt = max(nums, default=0) + 1
    remap: dict[str, str] = {}
    sources = list(base.sources)
    for ref in new.sources:
        if ref.passage.chunk_id in by_chunk:
            remap[ref.key] = by_chunk[ref.passage.chunk_id]
            continue
        key = f"K{nxt}"
        nxt += 1
        remap[ref.key] = key
        by_chunk[ref.passage.chunk_id] = key
        sources.append(ref.model_copy(update={"key": key}))
    sentences = [
        s.model_copy(update={"citations": [c.model_copy(update={"key": remap.get(c.key, c.key)}) for c in s.citations]})
        for s in answer.sentences
    ]
    answer = answer.model_copy(
        update={"sentences": sentences, "source_keys": [remap.get(k, k) for k in answer.source_keys]}
    )
    answers = [a for a in base.sub_answers if a.sub_question.id != sq_id]
    answers.append(answer)
    order = {sq.id: i for i, sq in enumerate(base.question.sub_questions)}
    answers.sort(key=lambda a: order.get(a.sub_question.id, len(order)))
    merged = base.model_copy(
        update={
            "sub_answers": answers,
            "sources": sources,
            "drafter": new.drafter,
            "warnings": list(dict.fromkeys(base.warnings + new.warnings)),
        }
    )
    used = _refs_used(merged)
    merged = merged.model_copy(update={"sources": [s for s in merged.sources if s.key in used]})
    return verify_draft(merged)


def answer_text(draft: Draft | None, sq_id: str) -> str:
    """The editable text of one sub-answer: sentences with their ``[K1]`` markers."""
    if draft is None:
        return ""
    for a in draft.sub_answers:
        if a.sub_question.id == sq_id:
            return render_sentences(a.sentences)
    return ""


def reverify_text(draft: Draft, sq_id: str, text: str) -> Draft:
    """The officer edited the text of one sub-answer: parse it, rebuild the answer, verify the draft.

    Sentences that were house-style connectives (``no_claim``) keep that mark when
    their text is unchanged, so editing elsewhere does not turn them into
    "uncited" claims.
    """
    old = next((a for a in draft.sub_answers if a.sub_question.id == sq_id), None)
    connectives = {s.text for s in (old.sentences if old else []) if s.status == Status.no_claim}
    sentences: list[Sentence] = []
    for s in parse_sentences(text):
        if not s.citations and s.text in connectives:
            s = s.model_copy(update={"status": Status.no_claim})
        sentences.append(s)
    sq = old.sub_question if old else _find_sq(draft.question, sq_id)
    answered = bool(sentences) and not (len(sentences) == 1 and sentences[0].text.strip() == NO_INFO)
    answer = SubAnswer(
        sub_question=sq,
        sentences=sentences,
        answered=answered,
        source_keys=old.source_keys if old else [],
    )
    answers = [answer if a.sub_question.id == sq_id else a for a in draft.sub_answers]
    if old is None:
        answers.append(answer)
    return verify_draft(draft.model_copy(update={"sub_answers": answers}))


def _find_sq(q: Question, sq_id: str) -> SubQuestion:
    for sq in q.sub_questions:
        if sq.id == sq_id:
            return sq
    return SubQuestion(id=sq_id, text="")


def sync_question(draft: Draft, question: Question, settings) -> Draft:
    """Carry question edits into the draft: header, sub-question texts and order."""
    by_id = {a.sub_question.id: a for a in draft.sub_answers}
    answers = []
    for sq in question.sub_questions:
        a = by_id.get(sq.id)
        if a is not None:
            answers.append(a.model_copy(update={"sub_question": sq}))
    header = build_header(question, settings).model_copy(
        update={"date": draft.header.date or "", "case_numbers": draft.header.case_numbers}
    )
    if draft.header.case_officer:
        header = header.model_copy(update={"case_officer": draft.header.case_officer})
    return draft.model_copy(update={"question": question, "header": header, "sub_answers": answers})


def complete_draft(draft: Draft | None, question: Question, settings) -> Draft:
    """The draft to export: every sub-question present, unanswered ones saying so."""
    if draft is None:
        draft = Draft(question=question, header=build_header(question, settings))
    draft = sync_question(draft, question, settings)
    by_id = {a.sub_question.id: a for a in draft.sub_answers}
    answers = [
        by_id.get(sq.id)
        or SubAnswer(sub_question=sq, sentences=[Sentence(text=NO_INFO, status=Status.no_claim)], answered=False)
        for sq in question.sub_questions
    ]
    return verify_draft(draft.model_copy(update={"sub_answers": answers}))


def source_for(draft: Draft | None, key: str) -> SourceRef | None:
    return draft.source(key) if draft is not None else None


def slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"[^\wæøåÆØÅ]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-") or "svar"
