"""Editing a draft: the operations the officer performs, as pure functions over the typed models.

The TUI calls these; so can any other front end. Every operation returns a new, re-verified
:class:`~assistant.models.Draft` (or question parts); nothing here touches files or widgets.
"""

from __future__ import annotations

from .cite import parse_sentences, render_sentences, verify_draft
from .house_style import build_header, is_unanswered, unanswered
from .models import Draft, Question, Sentence, Status, SubAnswer, SubQuestion

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
    answered = not is_unanswered(sentences)
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
    answers = [by_id.get(sq.id) or unanswered(sq) for sq in question.sub_questions]
    return verify_draft(draft.model_copy(update={"sub_answers": answers}))
