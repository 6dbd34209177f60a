"""Gold sets: the one loader for the old and the new (per-sub-question) format, and text references.

Every consumer of ``evals/gold/*.jsonl`` (the eval runner, ``assistant bench``,
``scripts/ablation_at_scale.py``) reads the files through :func:`load_gold`, so a
field means the same everywhere. The schema is in ``evals/README.md``:

* the **old format** has ``sub_questions`` as a list of strings (``[]`` for a single
  ask) and one flat ``must_have`` list;
* the **new format** (``evals/gold/hard.jsonl``) has ``sub_questions`` as a list of
  objects ``{"text", "subject", "ask", "answerable", "facts", "relevant"}`` plus
  ``tags`` and ``holdout``.

Both load into :class:`GoldItem`; :attr:`GoldItem.parts` always holds one
:class:`SubQ` per expected sub-question, derived for old items (see
:func:`_old_parts`), so the metrics never need to know which format a file used.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if not (REPO / "evals" / "gold").is_dir():  # installed from a wheel: the gold sets of the checkout you run in
    REPO = Path.cwd()
GOLD_DIR = REPO / "evals" / "gold"

CORPORA = ("shared", "sample")
ASKS = ("figure", "list", "date", "yesno", "explain", "prior")
TAGS = ("table", "multi", "prior", "unanswerable", "paraphrase")


class GoldError(ValueError):
    """A gold file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Fact:
    """A must-have fact: a short exact string as in the source, and the claim it belongs to (may be empty)."""

    text: str
    claim: str = ""


@dataclass
class SubQ:
    """One expected sub-question (part) of a gold item."""

    text: str
    answerable: bool
    facts: list[Fact] = field(default_factory=list)
    relevant: list[str] = field(default_factory=list)
    # the words a produced part must name; None (old format): half of the text's content stems instead
    subject: list[str] | None = None
    ask: str | None = None  # one of ASKS; None when the gold file does not say (old format)


@dataclass
class GoldItem:
    id: str
    question: str | None
    asker: str | None
    date: str | None
    gold_answer: str | None
    gold_docs: list[str]
    gold_passages: list[str]
    must_have: list[str]
    answerable: bool
    exclude: list[str]
    sub_questions: list[str]  # the expected sub-question texts (either format); [] for a single old-format ask
    corpus: str
    question_ref: dict[str, str] | None = None
    gold_answer_ref: dict[str, str] | None = None
    origin: str = ""  # "file:line"
    parts: list[SubQ] = field(default_factory=list)  # [] until the question text is known (see with_parts)
    tags: list[str] = field(default_factory=list)
    holdout: bool = False
    new_format: bool = False
    # old multi-part items: must_have facts whose sub-question is unknown, scored against the whole draft
    unassigned_facts: list[Fact] = field(default_factory=list)


_STR_LIST = "list[str]"
_FIELDS: dict[str, tuple[str, bool]] = {  # name -> (type, required)
    "id": ("str", True),
    "question": ("str?", True),
    "asker": ("str?", False),
    "date": ("str?", False),
    "gold_answer": ("str?", False),
    "gold_docs": (_STR_LIST, True),
    "gold_passages": (_STR_LIST, False),
    "must_have": (_STR_LIST, False),
    "answerable": ("bool", True),
    "exclude": (_STR_LIST, False),
    "sub_questions": ("subs", False),
    "corpus": ("str", True),
    "question_ref": ("ref?", False),
    "gold_answer_ref": ("ref?", False),
    "tags": (_STR_LIST, False),
    "holdout": ("bool", False),
}
_SUB_FIELDS: dict[str, tuple[str, bool]] = {
    "text": ("str", True),
    "subject": (_STR_LIST, False),
    "ask": ("str", False),
    "answerable": ("bool", True),
    "facts": ("facts", False),
    "relevant": (_STR_LIST, False),
}


def _check_type(value: Any, kind: str) -> bool:
    if kind.endswith("?") and value is None:
        return True
    kind = kind.rstrip("?")
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == _STR_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "ref":
        return (
            isinstance(value, dict)
            and set(value) == {"file", "start", "end"}
            and all(isinstance(v, str) and v.strip() for v in value.values())
        )
    if kind == "subs":  # old: list of strings; new: list of objects (checked field by field)
        return isinstance(value, list) and (
            all(isinstance(v, str) for v in value) or all(isinstance(v, dict) for v in value)
        )
    if kind == "facts":
        return isinstance(value, list) and all(
            isinstance(f, str) or (isinstance(f, dict) and isinstance(f.get("text"), str)) for f in value
        )
    raise AssertionError(kind)


def _want(kind: str) -> str:
    if kind.startswith("ref"):
        return '{"file", "start", "end"} (non-empty strings)' + (" or null" if kind.endswith("?") else "")
    if kind == "subs":
        return "a list of strings (old format) or a list of objects (new format)"
    if kind == "facts":
        return 'a list of {"text", "claim"} objects'
    return kind.rstrip("?") + (" or null" if kind.endswith("?") else "")


def _parse_sub(where: str, i: int, d: dict) -> SubQ:
    at = f"{where}: sub_questions[{i}]"
    unknown = sorted(set(d) - set(_SUB_FIELDS))
    if unknown:
        raise GoldError(f"{at}: unknown field(s) {', '.join(unknown)}")
    for name, (kind, required) in _SUB_FIELDS.items():
        if name not in d:
            if required:
                raise GoldError(f"{at}: missing field {name!r}")
            continue
        if not _check_type(d[name], kind):
            raise GoldError(f"{at}: field {name!r} must be {_want(kind)}")
    if not d["text"].strip():
        raise GoldError(f"{at}: 'text' is empty")
    ask = d.get("ask")
    if ask is not None and ask not in ASKS:
        raise GoldError(f"{at}: ask must be one of {', '.join(ASKS)}, not {ask!r}")
    facts = [Fact(f) if isinstance(f, str) else Fact(f["text"], str(f.get("claim") or "")) for f in d.get("facts", [])]
    if not d["answerable"] and (facts or d.get("relevant")):
        raise GoldError(f"{at}: an unanswerable sub-question has no facts and no relevant spans")
    subject = [s.strip().lower() for s in d.get("subject", []) if s.strip()]
    return SubQ(
        text=d["text"],
        answerable=d["answerable"],
        facts=facts,
        relevant=list(d.get("relevant") or []),
        subject=subject or None,
        ask=ask,
    )


def load_gold(path: Path | str) -> list[GoldItem]:
    """Read and validate one JSONL gold set (old or new format). Raises :class:`GoldError` naming ``file:line``."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise GoldError(f"{path}: cannot read gold set ({e.strerror or e})") from None
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{where}: not valid JSON ({e.msg})") from None
        if not isinstance(data, dict):
            raise GoldError(f"{where}: expected a JSON object")
        unknown = sorted(set(data) - set(_FIELDS))
        if unknown:
            raise GoldError(f"{where}: unknown field(s) {', '.join(unknown)}")
        for name, (kind, required) in _FIELDS.items():
            if name not in data:
                if required:
                    raise GoldError(f"{where}: missing field {name!r}")
                continue
            if not _check_type(data[name], kind):
                raise GoldError(f"{where}: field {name!r} must be {_want(kind)}")
        if data["question"] is None and not data.get("question_ref"):
            raise GoldError(f"{where}: 'question' is null and there is no 'question_ref'")
        if data["corpus"] not in CORPORA:
            raise GoldError(f"{where}: corpus must be one of {', '.join(CORPORA)}, not {data['corpus']!r}")
        if not data["answerable"] and data["gold_docs"]:
            raise GoldError(f"{where}: an unanswerable item has no gold_docs")
        if data["answerable"] and not data["gold_docs"]:
            raise GoldError(f"{where}: an answerable item needs gold_docs")
        if data["id"] in seen:
            raise GoldError(f"{where}: duplicate id {data['id']!r} (first on line {seen[data['id']]})")
        bad_tags = sorted(set(data.get("tags") or []) - set(TAGS))
        if bad_tags:
            raise GoldError(f"{where}: unknown tag(s) {', '.join(bad_tags)} (known: {', '.join(TAGS)})")
        seen[data["id"]] = n
        raw_subs = data.get("sub_questions") or []
        new_format = bool(raw_subs) and isinstance(raw_subs[0], dict)
        parts = [_parse_sub(where, i, d) for i, d in enumerate(raw_subs)] if new_format else []
        if new_format and any(p.answerable for p in parts) != data["answerable"]:
            raise GoldError(f"{where}: 'answerable' must be true exactly when some sub-question is answerable")
        items.append(
            GoldItem(
                id=data["id"],
                question=data["question"],
                asker=data.get("asker"),
                date=data.get("date"),
                gold_answer=data.get("gold_answer"),
                gold_docs=list(data["gold_docs"]),
                gold_passages=list(data.get("gold_passages") or []),
                must_have=list(data.get("must_have") or []),
                answerable=data["answerable"],
                exclude=list(data.get("exclude") or []),
                sub_questions=[p.text for p in parts] if new_format else list(raw_subs),
                corpus=data["corpus"],
                question_ref=data.get("question_ref"),
                gold_answer_ref=data.get("gold_answer_ref"),
                origin=where,
                parts=parts,
                tags=list(data.get("tags") or []),
                holdout=bool(data.get("holdout", False)),
                new_format=new_format,
            )
        )
    if not items:
        raise GoldError(f"{path}: no gold items")
    return [with_parts(it) if it.question is not None else it for it in items]


def _old_parts(item: GoldItem) -> tuple[list[SubQ], list[Fact]]:
    """Parts of an old-format item: its sub-question strings (or the question itself), all sharing its answerability.

    A single ask gets every ``must_have`` fact and every ``gold_passages`` string; with
    several asks the old format does not say which fact belongs where, so the facts go to
    ``unassigned_facts`` (scored against the whole draft) and every part shares the passages.
    """
    facts = [Fact(f) for f in item.must_have]
    if not item.sub_questions:
        from ..question import parse_question

        text = parse_question(item.question or "").text or (item.question or "")
        return [SubQ(text=text, answerable=item.answerable, facts=facts, relevant=list(item.gold_passages))], []
    parts = [SubQ(text=t, answerable=item.answerable, relevant=list(item.gold_passages)) for t in item.sub_questions]
    return parts, facts


def with_parts(item: GoldItem) -> GoldItem:
    """``item`` with :attr:`GoldItem.parts` filled (old format: derived; new format: as loaded)."""
    if item.new_format or item.parts:
        return item
    parts, unassigned = _old_parts(item)
    return replace(item, parts=parts, unassigned_facts=unassigned)


def collapse(text: str) -> str:
    """All whitespace runs to one space."""
    return " ".join(text.split())


_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")


def dehyphenate(text: str) -> str:
    """Rejoin words hyphenated across a line break ("ta-\\n\\nbel" -> "tabel")."""
    return _HYPHEN_BREAK.sub(r"\1\2", text)


def resolve_ref(ref: Mapping[str, str], dirs: Sequence[Path]) -> str:
    """The text of ``ref["file"]`` from the first ``start`` to the following ``end`` (inclusive).

    Whitespace is collapsed; when the markers are not found as written, the text
    is tried again with hyphenated line breaks rejoined. Raises :class:`GoldError`.
    """
    name = ref["file"]
    path = next((d / name for d in dirs if (d / name).is_file()), None)
    if path is None:
        raise GoldError(f"reference to {name}: file not found in {', '.join(str(d) for d in dirs)}")
    raw = path.read_text(encoding="utf-8", errors="replace")
    start, end = collapse(ref["start"]), collapse(ref["end"])
    for text in (collapse(raw), collapse(dehyphenate(raw))):
        i = text.find(start)
        if i < 0:
            continue
        j = text.find(end, i)
        if j < 0:
            continue
        return text[i : j + len(end)]
    raise GoldError(f"reference to {name}: {ref['start']!r} ... {ref['end']!r} not found")


def resolve_item(item: GoldItem, dirs: Sequence[Path]) -> GoldItem:
    """A copy with ``question`` / ``gold_answer`` filled from their refs (and its parts derived)."""
    changes: dict[str, Any] = {}
    try:
        if item.question_ref:
            changes["question"] = resolve_ref(item.question_ref, dirs)
        if item.gold_answer_ref:
            changes["gold_answer"] = resolve_ref(item.gold_answer_ref, dirs)
    except GoldError as e:
        raise GoldError(f"{item.origin}: {e}") from None
    if not changes:
        return with_parts(item)
    return with_parts(replace(item, **changes))


def corpus_dirs(corpus: str, repo: Path = REPO) -> list[Path]:
    if corpus == "shared":
        shared = repo.parent / "shared"
        return [shared / "seeds", shared / "corpus-extra"]
    return [repo / "corpus"]


def corpus_files(corpus: str, repo: Path = REPO) -> list[Path] | None:
    """The files to index for a corpus, or None when its directories are absent."""
    dirs = corpus_dirs(corpus, repo)
    if not all(d.is_dir() for d in dirs):
        return None
    if corpus == "sample":  # top level only: corpus/questions/ holds questions, not sources
        return sorted(p for p in dirs[0].iterdir() if p.is_file())
    return dirs


def default_gold_files(gold_dir: Path = GOLD_DIR) -> list[Path]:
    """Every ``*.jsonl`` in ``evals/gold`` (shared, sample and, where present, hard)."""
    return sorted(gold_dir.glob("*.jsonl"))
