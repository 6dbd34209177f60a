"""Drafting: question -> evidence per sub-question -> sentences with citations -> verified draft.

One seam, two drafters:

* ``OfflineDrafter`` (the default with no LLM): extractive. For each
  sub-question it picks sentences from the selected passages by maximal
  marginal relevance, keeps them verbatim (so every figure is the source's),
  introduces each source in house style and cites it.
* ``LLMDrafter``: renders ``prompts/draft_*.md`` with the passages as fenced,
  keyed data, calls ``llm.chat`` (streaming), and parses the markers.

Whatever a drafter writes goes through ``cite.verify_draft``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Protocol

from .config import Settings
from .danish import format_date, genitive
from .models import (
    Citation,
    DocKind,
    Draft,
    Header,
    Hit,
    Question,
    Sentence,
    SourceRef,
    Status,
    SubAnswer,
    SubQuestion,
)
from .safety import flag_note, usable_as_evidence

NO_INFO = "Forvaltningen har ikke oplysninger om dette i det foreliggende materiale."
NO_FIGURE = (
    "Det efterspurgte tal fremgår ikke af det foreliggende materiale; nedenfor er det, materialet oplyser om emnet."
)
NO_DATE = "Det efterspurgte tidspunkt fremgår ikke af det foreliggende materiale; nedenfor er det, materialet oplyser om emnet."

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
    """Keep relevant hits, drop near-duplicates (the same text indexed twice), spread across documents."""
    chosen: list[Hit] = []
    per: dict[str, int] = {}
    floor = max(min_relevance, relative * max((h.relevance for h in hits), default=0.0))
    for h in hits:
        # a long question dilutes the share of its terms any one passage can hold, so a passage
        # that matches several of its specific terms is relevant too
        if h.relevance < floor and len(h.matched_terms) < min_terms:
            continue
        if not usable_as_evidence(h.passage.flags):  # injection, hidden-text (assistant.safety.NOT_EVIDENCE)
            if skipped is not None:
                skipped.append(h)  # never drafted from, but the draft says it was there
            continue
        if per.get(h.meta.doc_id, 0) >= per_doc:
            continue
        if any(_overlap(h.passage.text, c.passage.text) > 0.8 for c in chosen):
            continue
        chosen.append(h)
        per[h.meta.doc_id] = per.get(h.meta.doc_id, 0) + 1
        if len(chosen) >= limit:
            break
    return chosen


def gather_evidence(
    question: Question, searcher, settings: Settings, filters=None, skipped: list[Hit] | None = None
) -> dict[str, list[Hit]]:
    """Hybrid retrieval per sub-question, then selection; relevant but flagged hits go to ``skipped``."""
    d = settings.draft
    out: dict[str, list[Hit]] = {}
    for sq in question.sub_questions:
        hits = searcher.search(sq.text, max(20, settings.retrieval.top_k), filters=filters)
        out[sq.id] = select_evidence(
            hits,
            min_relevance=d.min_score,
            limit=d.passages_per_subquestion,
            relative=d.relative_score,
            min_terms=d.min_terms,
            skipped=skipped,
        )
    return out


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


class Drafter(Protocol):
    name: str

    def answer(self, sq: SubQuestion, sources: list[SourceRef], ctx: DraftContext) -> list[Sentence]: ...


def _source_label(ref: SourceRef) -> str:
    m = ref.meta
    when = format_date(m.date) if m.date and len(m.date) >= 10 else (m.date or "")
    title = " ".join(m.title.split()).rstrip(".:")
    if len(title) > 90:
        title = title[:87].rsplit(" ", 1)[0] + " …"
    if m.kind == DocKind.prior_answer:
        return f"Det fremgår af et tidligere svar{f' af {when}' if when else ''} ({title}):"
    who = m.authority or "kilden"
    return f"Af {title} ({who}{', ' + when if when else ''}) fremgår det:"


_BAD_SENT = re.compile(r"^(?:\W|\d)+$")
# procedural sentences that carry no answer: who asked, cover-letter phrases, references to attachments
_BOILERPLATE = re.compile(
    r"(?:stillet efter ønske fra|under henvisning til|følger hermed|vedlagt (?:fremsendes|følger)|"
    r"spørgsmålet lyder|besvarelse af spørgsmål|jeg skal i øvrigt henvise|kan ikke besvares inden for fristen|"
    r"^dato:|^med venlig hilsen|til sagen|se bilag)",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^\s*(?:[•\-–*]|\d+[.)]|[a-z]\))\s+")


def _candidate_sentences(ref: SourceRef) -> list[tuple[str, tuple[int, int]]]:
    from .cite import split_sentences

    text = ref.passage.text
    headings = {" ".join(h.split()).rstrip(".:").lower() for h in [*ref.passage.heading_path, ref.meta.title]}
    out = []
    pos = 0
    # sentences never run across a block break (a heading line has no full stop to end it)
    pieces = [s for block in re.split(r"\n\s*\n", text) for s in split_sentences(block)]
    for s in pieces:
        i = text.find(s, pos)
        if i < 0:
            i = text.find(s)
        if i >= 0:
            pos = i + len(s)
        clean = _LEAD.sub("", " ".join(s.split()))
        if clean.rstrip(".:").lower() in headings or "|" in clean:
            continue  # a heading or a table row is not a sentence of the answer
        words = clean.split()
        if len(words) < 6 or len(words) > 70 or _BAD_SENT.match(clean) or _BOILERPLATE.search(clean):
            continue
        digits = sum(ch.isdigit() for ch in clean)
        if digits > 0.25 * len(clean):  # table rows flattened into a line
            continue
        if clean[-1] not in ".!?":
            if clean.endswith(":"):
                continue  # a lead-in to a list, meaningless alone
            clean += "."
        out.append((clean, (i, i + len(s)) if i >= 0 else (0, 0)))
    return out


class OfflineDrafter:
    """Extractive drafting by maximal marginal relevance; no model needed."""

    name = "offline"

    def __init__(self, lam: float = 0.7):
        self.lam = lam

    def answer(self, sq: SubQuestion, sources: list[SourceRef], ctx: DraftContext) -> list[Sentence]:
        from .analysis import analyze

        idf = ctx.idf or (lambda t: 1.0)
        splitter = ctx.splitter

        def terms_of(text: str, query: bool = False) -> set[str]:
            found = set(analyze(text, query=query))
            if splitter is not None:
                found |= set(splitter.analyze(text, query=query))
            return found

        # the sub-question's own terms count fully, the rest of the question's as context
        own = terms_of(sq.text, query=True)
        weights = {t: 0.3 * idf(t) for t in terms_of(ctx.question.text, query=True)}
        weights.update({t: idf(t) for t in own})
        total = sum(weights[t] for t in own) or 1.0
        qterms = set(weights)
        cands = []
        for rank, ref in enumerate(sources):
            if "injection" in ref.passage.flags:
                continue  # even when pinned: its text is shown to the officer, never copied into the answer
            for text, span in _candidate_sentences(ref):
                terms = terms_of(text)
                rel = sum(weights[t] for t in terms & qterms) / total
                rel += 0.15 / (rank + 1)  # the better passage wins ties
                cands.append((rel, ref, text, span, terms))
        chosen: list[tuple[float, SourceRef, str, tuple[int, int], set]] = []
        limit = ctx.settings.draft.max_sentences
        while cands and len(chosen) < limit:

            def mmr(c):
                sim = max((len(c[4] & x[4]) / (len(c[4] | x[4]) or 1) for x in chosen), default=0.0)
                return self.lam * c[0] - (1 - self.lam) * sim

            best = max(cands, key=mmr)
            cands.remove(best)
            if best[0] < 0.2 and chosen:
                break
            if best[0] <= 0.15:  # shares no term with the question
                continue
            if any(len(best[4] & x[4]) / (len(best[4] | x[4]) or 1) > 0.7 for x in chosen):
                continue
            chosen.append(best)
        # present in source order, then document order, so the text reads as a summary per source
        order = {ref.key: i for i, ref in enumerate(sources)}
        chosen.sort(key=lambda c: (order[c[1].key], c[3][0]))
        out: list[Sentence] = []
        last_doc = None
        for _, ref, text, span, _ in chosen:
            if ref.meta.doc_id != last_doc:
                # attribute each new source once, in the same sentence as its first statement
                text = f"{_source_label(ref)} {text}"
                last_doc = ref.meta.doc_id
            out.append(Sentence(text=text, citations=[Citation(key=ref.key, chunk_id=ref.passage.chunk_id, span=span)]))
        return out


class LLMDrafter:
    name = "llm"

    def __init__(self, mock_response: str | None = None):
        self.mock_response = mock_response  # a named fake for tests: litellm's mock_response

    def answer(self, sq: SubQuestion, sources: list[SourceRef], ctx: DraftContext) -> list[Sentence]:
        from .cite import parse_sentences
        from .llm import chat
        from .prompts import load_prompt

        s = ctx.settings
        system = load_prompt("draft_system").render(administration=s.draft.administration)
        user = load_prompt("draft_subanswer").render(
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
                }
                for r in sources
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
    """Ask the configured LLM to split the question (``prompts/split_question.md``).

    The rule-based split stays the default; this is used when ``llm.split_with_llm`` is set.
    Lines that are empty or repeat are dropped; if nothing usable comes back, the rule-based
    split is kept, so a confused model can never leave a question without sub-questions.
    """
    from .llm import chat
    from .prompts import load_prompt

    text = chat(
        [{"role": "user", "content": load_prompt("split_question").render(question=question.text)}],
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


def build_header(q: Question, settings: Settings) -> Header:
    adm = q.addressee or settings.draft.administration
    recipient = f"{q.asker} ({q.party})" if q.asker and q.party else (q.asker or "")
    topic = q.topic or ""
    intro = ""
    if q.asker:
        when = f" den {format_date(q.date_asked)}" if q.date_asked else ""
        intro = f"{recipient} har{when} stillet følgende spørgsmål til {adm}:"
    return Header(
        recipient=recipient,
        title=f"Svar til {recipient or '[spørger]'} - Spørgsmål om {topic or '[emne]'}",
        administration=adm,
        answer_heading=f"{genitive(adm)} svar",
        intro=intro,
        date=datetime.now().date().isoformat(),
        case_officer=settings.draft.case_officer,
    )


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
    """The whole drafting pipeline; the result is always verified."""
    from .cite import verify_draft

    if not question.sub_questions:
        question = question.model_copy(update={"sub_questions": [SubQuestion(id="1", text=question.text)]})
    if isinstance(drafter, str):
        want = drafter
        if want == "auto":
            want = "llm" if settings.llm.model else "offline"
        drafter = LLMDrafter() if want == "llm" else OfflineDrafter()
    skipped: list[Hit] = []
    if evidence is None:
        evidence = gather_evidence(question, searcher, settings, filters, skipped=skipped)
    sources = assign_keys(evidence)
    by_chunk = {s.passage.chunk_id: s for s in sources}
    lexical = getattr(searcher, "lexical", None)
    ctx = DraftContext(
        question,
        settings,
        on_token=stream,
        idf=getattr(lexical, "idf", None),
        splitter=getattr(lexical, "splitter", None),
    )
    warnings: list[str] = []
    answers: list[SubAnswer] = []
    used = drafter.name
    for sq in question.sub_questions:
        refs = [by_chunk[h.passage.chunk_id] for h in evidence.get(sq.id, [])]
        if not refs:
            answers.append(_unanswered(sq))
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
        if not sentences or (len(sentences) == 1 and sentences[0].text.strip() == NO_INFO):
            answers.append(_unanswered(sq, refs))
            continue
        missing = answers_the_ask(sq.text, sentences)
        if missing:
            # keep what the material does say, but mark the sub-answer for the officer
            sentences = [Sentence(text=missing, status=Status.no_claim), *sentences]
        answers.append(
            SubAnswer(sub_question=sq, sentences=sentences, answered=not missing, source_keys=[r.key for r in refs])
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
    return verify_draft(draft)


def _unanswered(sq: SubQuestion, refs: list[SourceRef] | None = None) -> SubAnswer:
    return SubAnswer(
        sub_question=sq,
        sentences=[Sentence(text=NO_INFO, status=Status.no_claim)],
        answered=False,
        source_keys=[r.key for r in refs or []],
    )
