"""The TUI's working state and its persistence: pure data and functions, no Textual.

Everything the officer does in the app (the pasted text, the parsed and edited
question, search results, pins and drops, the draft and the raw text of every
edited sub-answer) lives in one :class:`WorkingState`. It is saved as JSON in
``settings.drafts_dir`` atomically (temp file + ``os.replace``), so a crash or
``kill -9`` loses at most the last autosave interval.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.fsutil import atomic_write
from assistant.house_style import short_title
from assistant.models import Draft, Hit, Question, SourceRef

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
        return short_title(self.question, self.raw)

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
    return atomic_write(out, state.model_dump_json(indent=1).encode("utf-8"))


def load_state(path: Path) -> WorkingState:
    """A saved working state, or a draft saved by ``assistant draft --save`` (opened with its question)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    if isinstance(data, dict) and "sub_answers" in data and "question" in data:
        draft = Draft.model_validate(data)
        state = WorkingState(raw=draft.question.raw, question=draft.question, draft=draft, drafter=draft.drafter)
    else:
        state = WorkingState.model_validate(data)
    if state.draft is not None:
        from assistant.cite import reverify

        # a saved file may have been edited by hand: every sentence is checked again against its sources
        state.draft = reverify(state.draft)
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


def source_for(draft: Draft | None, key: str) -> SourceRef | None:
    return draft.source(key) if draft is not None else None


def slug(text: str, limit: int = 40) -> str:
    s = re.sub(r"[^\wæøåÆØÅ]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-") or "svar"
