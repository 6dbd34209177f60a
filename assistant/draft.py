"""Drafting: question -> evidence per sub-question -> sentences with citations -> verified draft.

One seam, two drafters:

* ``OfflineDrafter`` (the default with no LLM): extractive. For each
  sub-question it picks sentences from the selected passages by maximal
  marginal relevance, keeps them verbatim (so every figure is the source's),
  introduces each source in house style and cites it.
* ``LLMDrafter``: renders ``resources/prompts/draft_*.md`` with the passages as fenced,
  keyed data, calls ``llm.chat`` (streaming), and parses the markers.

Whatever a drafter writes goes through ``cite.verify_draft``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from .compose import OfflineDrafter, Pool  # the offline drafter
from .config import Settings
from .house_style import NO_DATE, NO_FIGURE, NO_INFO, build_header, is_unanswered, unanswered
from .models import (
    DocKind,
    Draft,
    Hit,
    Question,
    Sentence,
    SourceRef,
    Status,
    SubAnswer,
    SubQuestion,
)
from .safety import flag_note, usable_as_evidence

__all__ = ["NO_INFO", "NO_FIGURE", "NO_DATE", "build_header", "compose_draft", "draft_answer", "select_evidence"]

# questions that ask for a figure, and questions that ask for a point in time
_ASKS_FIGURE = re.compile(
    r"\b(?:hvor\s+(?:mange|meget|stor|store|høj|høje|lang|længe)|hvad\s+(?:koster|kostede|vil\s+det\s+koste|er\s+prisen|udgør)|"
    r"hvilket\s+beløb|antal(?:let)?\s+af)\b",
    re.IGNORECASE,
)
_ASKS_DATE = re.compile(r"\bhvornår\b", re.IGNORECASE)


def answers_the_ask(sub_question: str, sentences: list[Sentence]) -> str | None:
    """None when the sentences can answer what is asked; else the note saying what is missing.

    A question for a figure ("hvor mange", "hvad koster") is not answered by sentences
    without a number, and "hvornår" not without a date or year: the draft says so.
    """
    from .cite import extract_quantities

    found = [q for s in sentences if s.citations for q in extract_quantities(s.text)]
    if _ASKS_DATE.search(sub_question) and not any(q.unit in ("date", "year", "month") for q in found):
        return NO_DATE
    if _ASKS_FIGURE.search(sub_question) and not any(q.unit not in ("date", "year", "month") for q in found):
        return NO_FIGURE
    return None


class DraftError(RuntimeError):
    pass


# -- evidence -----------------------------------------------------------------------


def _overlap(a: str, b: str) -> float:
    from .analysis import analyze

    sa, sb = set(analyze(a)), set(analyze(b))
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def select_evidence(
    hits: list[Hit],
    *,
    min_relevance: float,
    limit: int,
    per_doc: int = 2,
    relative: float = 0.0,
    min_terms: int = 99,
    skipped: list[Hit] | None = None,
) -> list[Hit]:
    """Keep relevant hits, drop near-duplicates (the same text indexed twice), spread across documents.

    ``per_doc`` spreads the first choices over documents; when fewer than ``limit`` relevant passages
    come from other documents, the remaining places go to further passages of the same ones (a long
    budget note is often the one source, and its fourth section may hold the figure).
    """
    floor = max(min_relevance, relative * max((h.relevance for h in hits), default=0.0))
    relevant: list[Hit] = []
    for h in hits:
        # a long question dilutes the share of its terms any one passage can hold, so a passage
        # that matches several of its specific terms is relevant too
        # (a passage whose section heading the question names, "… udvalg om 'Sundhed for alle' …", is that
        # section even when the question's other words are not in it: half the absolute floor applies)
        named = "heading" in h.ranks and h.relevance >= min_relevance / 2
        if h.relevance < floor and len(h.matched_terms) < min_terms and not named:
            continue
        if not usable_as_evidence(h.passage.flags):  # injection, hidden-text (assistant.safety.NOT_EVIDENCE)
            if skipped is not None:
                skipped.append(h)  # never drafted from, but the draft says it was there
            continue
        if h.passage.turns and not any(t.role == "answer" for t in h.passage.turns):
            continue  # the question, the asker's speech or the chair: shown in search, never an answer
        relevant.append(h)
    chosen: list[Hit] = []
    per: dict[str, int] = {}
    for capped in (True, False):
        for h in relevant:
            if len(chosen) >= limit:
                break
            if any(h is c for c in chosen):
                continue
            if capped and per.get(h.meta.doc_id, 0) >= per_doc:
                continue
            if any(_overlap(h.passage.text, c.passage.text) > 0.8 for c in chosen):
                continue
            chosen.append(h)
            per[h.meta.doc_id] = per.get(h.meta.doc_id, 0) + 1
    order = {id(h): i for i, h in enumerate(hits)}
    return sorted(chosen, key=lambda h: order[id(h)])


def assign_keys(evidence: dict[str, list[Hit]], pinned: set[str] | None = None) -> list[SourceRef]:
    """Opaque keys K1, K2 ... in order of first use; one key per passage."""
    refs: dict[str, SourceRef] = {}
    for hits in evidence.values():
        for h in hits:
            if h.passage.chunk_id not in refs:
                refs[h.passage.chunk_id] = SourceRef(
                    key=f"K{len(refs) + 1}",
                    passage=h.passage,
                    meta=h.meta,
                    score=h.score,
                    pinned=h.passage.chunk_id in (pinned or set()),
                )
    return list(refs.values())


# -- drafters -----------------------------------------------------------------------


@dataclass
class DraftContext:
    question: Question
    settings: Settings
    on_token: Callable[[str], None] | None = None
    idf: Callable[[str], float] | None = None  # term weight from the index; uniform when None
    splitter: object | None = None  # the index's CompoundSplitter: "seniorcirklerne" also counts as "cirkler"
    lexical: object | None = None  # the index's lexical side (coverage with idf and compounds), when there is one
    pool: Pool | None = None  # sentences and sources the draft has used so far (one pool across sub-answers)
    tables: dict[str, list] | None = None  # sub-question id -> answer tables the drafter composed from rows


class Drafter(Protocol):
    name: str

    def answer(self, sq: SubQuestion, sources: list[SourceRef], ctx: DraftContext) -> list[Sentence]: ...


class LLMDrafter:
    name = "llm"

    def __init__(self, mock_response: str | None = None):
        self.mock_response = mock_response  # a named fake for tests: litellm's mock_response

    def answer(self, sq: SubQuestion, sources: list[SourceRef], ctx: DraftContext) -> list[Sentence]:
        from .cite import parse_sentences
        from .llm import chat
        from .prompts import load_prompt
        from .tables import row_prompt

        s = ctx.settings
        system = load_prompt("draft_system", s.prompts_dir).render(administration=s.draft.administration)
        user = load_prompt("draft_subanswer", s.prompts_dir).render(
            question=ctx.question.text,
            sub_question=sq.text,
            sources=[
                {
                    "key": r.key,
                    "title": r.meta.title,
                    "authority": r.meta.authority or "",
                    "date": r.meta.date or "",
                    "prior": r.meta.kind == DocKind.prior_answer,
                    "heading": " / ".join(r.passage.heading_path),
                    "text": r.passage.text,
                    "table": row_prompt(r.passage.table_row) if r.passage.table_row else None,
                }
                for r in sources
                if "hidden-text" not in r.passage.flags  # text a reader cannot see never reaches the model
            ],
        )
        text = chat(
            [{"role": "system", "content": system}, {"role": "user", "content": user}],
            s,
            on_token=ctx.on_token,
            mock_response=self.mock_response,
        )
        return parse_sentences(text)


def propose_split(question: Question, settings: Settings, *, mock_response: str | None = None) -> list[SubQuestion]:
    """Ask the configured LLM to split the question (``resources/prompts/split_question.md``).

    The rule-based split stays the default; this is used when ``llm.split_with_llm`` is set.
    Lines that are empty or repeat are dropped; if nothing usable comes back, the rule-based
    split is kept, so a confused model can never leave a question without sub-questions.
    """
    from .llm import chat
    from .prompts import load_prompt

    text = chat(
        [
            {
                "role": "user",
                "content": load_prompt("split_question", settings.prompts_dir).render(question=question.text),
            }
        ],
        settings,
        mock_response=mock_response,
    )
    lines: list[str] = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-•*]|\d+[.)])\s*", "", line).strip()
        if len(line.split()) >= 3 and line not in lines:
            lines.append(line)
    if not lines:
        return question.sub_questions
    return [SubQuestion(id=str(i), text=t) for i, t in enumerate(lines, start=1)]


# -- orchestration ------------------------------------------------------------------


def draft_answer(
    question: Question,
    searcher,
    settings: Settings,
    *,
    drafter: str | Drafter = "auto",
    filters=None,
    stream: Callable[[str], None] | None = None,
    evidence: dict[str, list[Hit]] | None = None,
) -> Draft:
    """Compatibility entry: the pipeline (``pipeline.answer_question``), or, with ``evidence``, drafting from it as given."""
    on_token = (lambda _sq, t: stream(t)) if stream is not None else None
    if evidence is None:
        from .pipeline import answer_question

        return answer_question(question, searcher, settings, drafter=drafter, filters=filters, on_token=on_token)
    lexical = getattr(searcher, "lexical", None) if searcher is not None else None
    draft = compose_draft(question, evidence, settings, drafter=drafter, lexical=lexical, on_token=on_token)
    from .provenance import with_index

    return with_index(draft, searcher)


def compose_draft(
    question: Question,
    evidence: dict[str, list[Hit]],
    settings: Settings,
    *,
    drafter: str | Drafter = "auto",
    lexical=None,
    on_token: Callable[[str, str], None] | None = None,
    skipped: list[Hit] | None = None,
    pinned: set[str] | None = None,
) -> Draft:
    """Draft every sub-question of ``question`` from its evidence; the result is always verified.

    ``pinned``: chunk ids the officer pinned; the drafter uses them even where its relevance floors would not.

    ``lexical``: the index's lexical side (term weights and compound splitter) when there is one.
    ``skipped``: relevant passages selection left out because they are flagged (named in the warnings).
    """
    from .cite import verify_draft

    if not question.sub_questions:
        question = question.model_copy(update={"sub_questions": [SubQuestion(id="1", text=question.text)]})
    if isinstance(drafter, str):
        want = drafter
        if want == "auto":
            want = "llm" if settings.llm.model else "offline"
        drafter = LLMDrafter() if want == "llm" else OfflineDrafter()
    skipped = skipped or []
    t0 = time.perf_counter()
    sources = assign_keys(evidence, pinned)
    by_chunk = {s.passage.chunk_id: s for s in sources}
    ctx = DraftContext(
        question,
        settings,
        idf=getattr(lexical, "idf", None),
        splitter=getattr(lexical, "splitter", None),
        lexical=lexical,
        pool=Pool(),
        tables={},
    )
    warnings: list[str] = []
    answers: list[SubAnswer] = []
    used = drafter.name
    for sq in question.sub_questions:
        ctx.on_token = (lambda t, sid=sq.id: on_token(sid, t)) if on_token is not None else None
        refs = [by_chunk[h.passage.chunk_id] for h in evidence.get(sq.id, [])]
        if not refs:
            answers.append(unanswered(sq))
            continue
        try:
            sentences = drafter.answer(sq, refs, ctx)
        except Exception as e:
            from .llm import LLMError

            if isinstance(e, LLMError) and settings.draft.fallback == "offline":
                warnings.append(f"LLM fejlede ({e}); delsvar {sq.id} er skrevet af den offline drafter")
                sentences = OfflineDrafter().answer(sq, refs, ctx)
                used = f"{drafter.name}+offline"
            elif isinstance(e, LLMError):
                raise DraftError(str(e)) from None
            else:
                raise
        if is_unanswered(sentences) or all(s.text in (NO_FIGURE, NO_DATE) for s in sentences):
            answers.append(unanswered(sq, refs))  # "nedenfor er det, materialet oplyser" needs something below it
            continue
        if sentences[0].text in (NO_FIGURE, NO_DATE):
            missing = sentences[0].text  # the offline drafter found the topic but not the figure (date) asked
        elif drafter.name == "offline":
            missing = None  # the offline drafter decides per part on the source text (compose.choose)
        else:
            missing = answers_the_ask(sq.text, sentences)
        if missing and sentences[0].text != missing:
            # keep what the material does say, but mark the sub-answer for the officer
            sentences = [Sentence(text=missing, status=Status.no_claim), *sentences]
        answers.append(
            SubAnswer(
                sub_question=sq,
                sentences=sentences,
                tables=(ctx.tables or {}).get(sq.id, []),
                answered=not missing,
                source_keys=[r.key for r in refs],
            )
        )
    for h in {h.passage.chunk_id: h for h in skipped}.values():
        warnings.append(
            f"En relevant passage i {Path(h.meta.source_path).name} er markeret {', '.join(h.passage.flags)}: "
            f"{flag_note(h.passage.flags)}, og den er ikke brugt i udkastet"
        )
    for ref in sources:
        if ref.passage.flags:
            warnings.append(
                f"Kilde {ref.key} ({Path(ref.meta.source_path).name}) er markeret {', '.join(ref.passage.flags)}: "
                f"{flag_note(ref.passage.flags)}; den er kun brugt som data"
            )
    draft = Draft(
        question=question,
        header=build_header(question, settings),
        sub_answers=answers,
        sources=sources,
        drafter=used,
        created=datetime.now().isoformat(timespec="seconds"),
        warnings=warnings,
    )
    from .provenance import build_provenance

    draft.provenance = build_provenance(settings, used, timings={"draft": time.perf_counter() - t0})
    return verify_draft(draft)
