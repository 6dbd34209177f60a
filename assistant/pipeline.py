"""The one answer pipeline: question text -> parsed question -> evidence -> draft -> verified draft.

Every front end goes through here: ``assistant draft`` and ``assistant demo`` (cli.py), the TUI's
workers (tui/services.py), ``assistant evals`` and ``assistant bench``. None of them parses,
splits, searches, selects evidence, drafts or verifies on its own, so what the evals measure is
what the officer gets.

* :func:`prepare_question` parses the pasted text (framing, asker, date, addressee), applies the
  officer's overrides and splits it into sub-questions (rules, or the LLM when
  ``llm.split_with_llm`` is set and an LLM drafts).
* :func:`search_sub_question` and :func:`choose_evidence` are the retrieval and selection steps for
  one sub-question; the TUI calls them too when it shows sources before drafting.
* :func:`answer_question` runs the steps for all (or some) sub-questions and drafts; the officer's
  pins replace a sub-question's evidence, dropped passages are left out.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from .config import Settings
from .models import Draft, Hit, Passage, Question, SubQuestion

TokenFn = Callable[[str, str], None]
"""Streaming callback: (sub-question id, text piece)."""


@runtime_checkable
class SearcherLike(Protocol):
    """What the pipeline needs from an index: ranked hits for a query (``retrieve.Searcher`` is one)."""

    def search(self, query: str, k: int = ..., *, filters: Any = None) -> list[Hit]: ...

    # optional, looked up with getattr: lexical, table_rows, doc_tables, next_passage, and search(..., rows=True)
    # beside table_rows (table rows searched alone); the TUI's lazy searcher forwards every one of them


@dataclass
class Prepared:
    """A parsed question and what the officer should know about how it was parsed."""

    question: Question
    warnings: list[str] = field(default_factory=list)


class QuestionError(ValueError):
    """The question cannot be drafted (empty, too long, or an override is not valid)."""


def prepare_question(
    raw: str,
    settings: Settings,
    *,
    asker: str | None = None,
    party: str | None = None,
    addressee: str | None = None,
    date: str | None = None,
    drafter: str = "auto",
) -> Prepared:
    """Parse ``raw`` into a :class:`Question` with sub-questions, honouring overrides and settings."""
    from .question import parse_question

    if not raw or not raw.strip():
        raise QuestionError("spørgsmålet er tomt")
    q = parse_question(raw)
    warnings: list[str] = []
    updates: dict[str, Any] = {k: v for k, v in (("asker", asker), ("party", party), ("addressee", addressee)) if v}
    if date:
        from .danish import parse_date

        parsed = parse_date(date)
        if not parsed:
            raise QuestionError(f"--date: '{date}' er ikke en dato (skriv fx 2026-05-19 eller 19. maj 2026)")
        updates["date_asked"] = parsed
    if updates:
        q = q.model_copy(update=updates)
    if not q.sub_questions:
        q = q.model_copy(update={"sub_questions": [SubQuestion(id="1", text=q.text)]})
    wants_llm = drafter == "llm" or (drafter == "auto" and settings.llm.model)
    if settings.llm.model and settings.llm.split_with_llm and wants_llm:
        from .draft import propose_split
        from .llm import LLMError

        try:
            q = q.model_copy(update={"sub_questions": propose_split(q, settings)})
        except LLMError as e:
            warnings.append(f"sprogmodellen kunne ikke dele spørgsmålet op ({e}); den regelbaserede opdeling bruges")
    return Prepared(q, warnings)


def search_k(settings: Settings) -> int:
    """How many hits one sub-question's search asks for before selection."""
    return max(20, settings.retrieval.top_k)


CONTEXT_WEIGHT = 0.5  # the whole question's ranking, fused with the sub-question's own
CONTEXT_RELEVANCE = 0.8  # share of a passage's relevance to the whole question that counts for a part


def search_sub_question(
    searcher: SearcherLike, question: Question, sq: SubQuestion, settings: Settings, filters: Any = None
) -> list[Hit]:
    """Retrieval for one sub-question, with the whole question as context.

    A part of a longer question ("Er der mulighed for at prioritere tiltagene …") is searched on its
    own and as part of the whole question; the two rankings are fused (the part's counting double),
    and a passage's relevance is the larger of its relevance to the part and (discounted) to the
    whole. Whether a part is *answered* is decided later, on the part's own terms (``compose``).
    """
    k = search_k(settings)
    own = _with_alternatives(searcher.search(sq.text, k, filters=filters), sq, searcher, k, filters)
    whole = " ".join(question.text.split())
    if len(question.sub_questions) <= 1 or " ".join(sq.text.split()) == whole:
        return _with_focus(_named_first(own, sq.text, question.text, settings), sq, searcher, settings, filters)
    context = searcher.search(whole, k, filters=filters)
    rrf = settings.retrieval.rrf_k
    score: dict[str, float] = {}
    hit: dict[str, Hit] = {}
    for weight, hits in ((1.0, own), (CONTEXT_WEIGHT, context)):
        for rank, h in enumerate(hits):
            cid = h.passage.chunk_id
            score[cid] = score.get(cid, 0.0) + weight / (rrf + rank + 1)
            hit.setdefault(cid, h)
    own_ids = {h.passage.chunk_id for h in own}
    lexical = getattr(searcher, "lexical", None)
    profile = lexical.query_profile(sq.text) if lexical is not None and hasattr(lexical, "coverage") else None
    out = []
    ctx_rel = {h.passage.chunk_id: h.relevance for h in context}
    for cid in sorted(score, key=lambda c: -score[c])[:k]:
        h = hit[cid]
        rel = h.relevance if cid in own_ids else 0.0
        matched = list(h.matched_terms) if cid in own_ids else []
        if cid not in own_ids and profile is not None:
            rel, matched = lexical.coverage(profile, h.passage.text)
        rel = max(rel, CONTEXT_RELEVANCE * ctx_rel.get(cid, 0.0))
        out.append(h.model_copy(update={"relevance": rel, "matched_terms": matched, "score": score[cid]}))
    return _with_focus(_named_first(out, sq.text, question.text, settings), sq, searcher, settings, filters)


FOCUS_DOCS = 2  # the best documents searched again for a part's own ask
FOCUS_COVER = 0.5  # the share of the ask's own words a passage of those documents must hold


def _with_focus(hits: list[Hit], sq: SubQuestion, searcher: Any, settings: Settings, filters: Any) -> list[Hit]:
    """A part with context before its ask ("I forlængelse af behandlingen … af forslaget om … har jeg et par
    spørgsmål: Hvad indstillede forvaltningen?") finds its documents by the context, but the passage that
    answers ("Indstilling: Forvaltningen indstiller, at …") shares few of the context's words. The best
    documents are searched again for the ask's own words; a passage holding most of them is put right after
    the best passage, as relevant as its document is."""
    from .asks import own_ask
    from .retrieve import Filters

    ask = own_ask(sq.text)
    lexical = getattr(searcher, "lexical", None)
    if not ask or lexical is None or not hasattr(lexical, "query_profile") or not hits:
        return hits
    best: dict[str, float] = {}
    source: dict[str, str] = {}
    for h in hits:
        if h.meta.doc_id not in best and len(best) < FOCUS_DOCS and h.relevance >= settings.draft.min_score:
            best[h.meta.doc_id] = h.relevance
            source[h.meta.doc_id] = Path(h.meta.source_path).name
        elif h.meta.doc_id in best:
            best[h.meta.doc_id] = max(best[h.meta.doc_id], h.relevance)
    if not best:
        return hits
    names = set(source.values())
    if filters is not None and filters.only_sources:
        names &= filters.only_sources
    scoped = replace(filters, only_sources=names) if filters is not None else Filters(only_sources=names)
    profile = lexical.query_profile(ask)
    have = {h.passage.chunk_id for h in hits}
    extra = []
    for h in searcher.search(ask, search_k(settings) // 2, filters=scoped):
        if h.passage.chunk_id in have or h.meta.doc_id not in best or h.passage.table_row is not None:
            continue
        cover, matched = lexical.coverage(profile, f"{' '.join(h.passage.heading_path)} {h.passage.text}")
        if cover >= FOCUS_COVER:
            extra.append(h.model_copy(update={"relevance": cover * best[h.meta.doc_id], "matched_terms": matched}))
    if not extra:
        return hits
    extra.sort(key=lambda h: -h.relevance)
    return [hits[0], *extra[:1], *hits[1:], *extra[1:]]


def _named_first(hits: list[Hit], part: str, question_text: str, settings: Settings) -> list[Hit]:
    """Passages of the earlier answer the question names (its number, its date, or its month when no
    day is given: "i spørgetimen i november 2023") first, and relevant enough to be drafted from.

    Two answers by the same minister share most words; which one is meant is said by the number or
    the date, not by the words (S 53 of October and S 222 of November 2023 are both "ældreministeren …
    plejehjem").
    """
    from .asks import PRIOR, classify_ask
    from .compose import names_document

    text = f"{part} {question_text}"
    named = {h.meta.doc_id for h in hits if names_document(text, h, months=True)}
    if not named or len(named) == len({h.meta.doc_id for h in hits}):
        return hits
    titles = {t.lower() for t in re.findall(r"\b[\wæøå-]*minister(?:en)?\b", text, re.I)}
    if len(named) > 1 and titles:
        # two answers in the same month: the one the named minister gave ("ældreministeren", not
        # "social- og boligministeren")
        speaking = {
            h.meta.doc_id
            for h in hits
            if h.meta.doc_id in named
            and any(
                # a turn header "Ældreministeren (Mette Kierkgaard):", not a mention in passing
                re.search(rf"(?:^|\n)\s*{re.escape(t)}\s*\([^)]*\)\s*:", h.passage.text, re.I)
                for t in titles
            )
        }
        named = speaking or named
    # what the named answer said is asked ("Hvad sagde ministeren …"): its passages are evidence even
    # when worded away from the question; any other part keeps its relevance, only its order changes
    floor = settings.draft.min_score if classify_ask(part) == PRIOR else 0.0
    first = [
        h.model_copy(update={"relevance": max(h.relevance, floor)}) if h.relevance > 0 else h
        for h in hits
        if h.meta.doc_id in named
    ]
    return first + [h for h in hits if h.meta.doc_id not in named]


def choose_evidence(
    hits: list[Hit],
    settings: Settings,
    *,
    dropped: Iterable[str] = (),
    skipped: list[Hit] | None = None,
    part: str | None = None,
) -> list[Hit]:
    """The passages a sub-question is drafted from: relevant, not dropped by the officer, not flagged.

    A part asking who asked for an earlier answer ("Efter hvis ønske blev spørgsmålet stillet?") also gets
    the frame of the answer that says so ("Spørgsmålet er stillet efter ønske fra …"), which is otherwise
    never evidence (it is not the answering party's words).
    """
    from .compose import _ASKS_WHO_ASKED, _WHO_ASKED
    from .draft import select_evidence
    from .safety import usable_as_evidence

    gone = set(dropped)
    d = settings.draft
    chosen = select_evidence(
        [h for h in hits if h.passage.chunk_id not in gone],
        min_relevance=d.min_score,
        limit=d.passages_per_subquestion,
        relative=d.relative_score,
        min_terms=d.min_terms,
        skipped=skipped,
    )
    if part and _ASKS_WHO_ASKED.search(part):
        have = {h.passage.chunk_id for h in chosen}
        docs = [h.meta.doc_id for h in chosen] or [h.meta.doc_id for h in hits[:1]]
        frame = next(
            (
                h
                for h in hits
                if h.meta.doc_id in docs[:2]
                and h.passage.chunk_id not in have | gone
                and _WHO_ASKED.search(h.passage.text)
                and usable_as_evidence(h.passage.flags)
            ),
            None,
        )
        if frame is not None:
            chosen = [frame, *chosen]
    return chosen


def _with_alternatives(hits: list[Hit], sq: SubQuestion, searcher: Any, k: int, filters: Any) -> list[Hit]:
    """A part naming examples as alternatives ("(cirkler, social henvisning, mv)") is also searched per example,
    and a passage's relevance counts one example as enough (``asks.Profile.coverage``)."""
    from .asks import enumerations, make_profile

    groups = enumerations(sq.text)
    lexical = getattr(searcher, "lexical", None)
    if not groups or lexical is None:
        return hits
    base = re.sub(r"\([^()]*\)", " ", sq.text)
    seen = {h.passage.chunk_id: h for h in hits}
    extra: list[Hit] = []
    for g in groups:
        for item in g:
            for h in searcher.search(" ".join(sorted(item)) + " " + base, k // 2, filters=filters):
                if h.passage.chunk_id not in seen:
                    seen[h.passage.chunk_id] = h
                    extra.append(h)
    profile = make_profile(sq.text, lexical)
    out = []
    for h in [*hits, *extra]:
        rel, _ = profile.coverage(h.passage.text + " " + " ".join(h.passage.heading_path) + " " + h.meta.title)
        out.append(h.model_copy(update={"relevance": max(h.relevance, rel)}))
    # the part's own ranking first; passages found through an example follow, best relevance first
    return out[: len(hits)] + sorted(out[len(hits) :], key=lambda h: -h.relevance)


ROW_MIN_RELEVANCE = 0.2  # a table row found for a part brings its table in when it is this relevant


TOP_DOC_TABLES = 2  # a figure part that found no row takes at most this many tables of its best document
FIGURE_DOC_RELEVANCE = (
    0.3  # a figure part that found no row takes its best document's tables when that is this relevant
)
ROW_SEARCH_K = 5  # a figure part that found no row searches the table rows alone for this many
TOP_TEXT_HITS = 3  # the best document of a part is the most relevant of its first this many text hits
ROW_TOP_RANK = 5  # a part asking for a figure takes the table of a row ranked this high, at half the floor


def _asked_heading(question_passage: Passage) -> str:
    asked = " ".join(
        " ".join(question_passage.text[t.start : t.end] for t in question_passage.turns if t.role == "question").split()
    )
    words = asked.split()
    return " ".join(words[:60]) + (" …" if len(words) > 60 else "")


def with_answer_turns(found: list[Hit], searcher: Any, *, dropped: Iterable[str] = ()) -> list[Hit]:
    """An earlier answer is read with its question. A passage that holds only the question ("Spørgsmål nr.
    1382: Ministeren bedes kommentere …") brings the passage after it, where the answer stands, at the same
    score; an answer passage (brought or found) gets the question's first words as its last heading, so
    its sentences are read with what they answer."""
    from .models import DocKind

    nxt = getattr(searcher, "next_passage", None)
    if nxt is None:
        return found
    have = {h.passage.chunk_id for h in found} | set(dropped)

    def answers(p: Passage) -> bool:
        return (
            bool(p.turns)
            and any(t.role == "answer" for t in p.turns)
            and not any(t.role == "question" for t in p.turns)
        )

    def under(h: Hit, answer: Passage, question: Passage | None) -> Hit:
        """``h`` as the answer passage, read under its question (when there is one to name)."""
        head = _asked_heading(question) if question is not None else ""
        if head:
            answer = answer.model_copy(update={"heading_path": [*answer.heading_path, head]})
        return h if answer is h.passage else h.model_copy(update={"passage": answer})

    out: list[Hit] = []
    for h in found:
        p = h.passage
        if h.meta.kind != DocKind.prior_answer or not p.turns:
            out.append(h)
        elif answers(p):
            out.append(under(h, p, nxt(p.chunk_id, -1)))
        else:
            out.append(h)
            after = None if any(t.role == "answer" for t in p.turns) else nxt(p.chunk_id)
            if after is not None and after.chunk_id not in have and answers(after):
                have.add(after.chunk_id)
                out.append(under(h, after, p))
    return out


def table_rows_for(
    found: list[Hit],
    chosen: list[Hit],
    searcher: Any,
    settings: Settings,
    *,
    dropped: Iterable[str] = (),
    figure: bool = False,
    part: str | None = None,
    filters: Any = None,
) -> list[Hit]:
    """The rows of the tables a part's search found (every row, so "hvilke …" can list them all).

    A figure is answered from its table row as data (``table_answer``): rows found among the search
    results, relevant enough, bring the whole of their table (``Searcher.table_rows``), best two tables.
    """
    from .table_answer import label_key, names_phrase, widen_rows

    gone = set(dropped) | {h.passage.chunk_id for h in chosen}
    # a row is on the question when it is itself relevant, or stands in a document the text hits show is
    best_doc: dict[str, float] = {}
    for h in found:
        if h.passage.table_row is None:
            best_doc[h.meta.doc_id] = max(best_doc.get(h.meta.doc_id, 0.0), h.relevance)
    # the document of the best text hit, when its rows are found at all: a question worded away from
    # the table ("midlertidige indsatser … ingen grund til at forlænge") still names its rows' category
    # (the most relevant of the first few: a long question's first hit may be a meeting agenda that
    # shares its committee's name, the budget note one rank below it holds the figures)
    first_text = [h for h in found if h.passage.table_row is None][:TOP_TEXT_HITS]
    top_doc = max(first_text, key=lambda h: h.relevance).meta.doc_id if first_text else None
    rows = [
        h
        for rank, h in enumerate(found)
        if h.passage.table_row is not None
        and not set(h.passage.flags)
        and (
            h.relevance >= ROW_MIN_RELEVANCE
            or best_doc.get(h.meta.doc_id, 0.0) >= 2 * ROW_MIN_RELEVANCE
            or (h.meta.doc_id == top_doc and best_doc.get(h.meta.doc_id, 0.0) >= ROW_MIN_RELEVANCE)
            # "hvad regner kommunen med at bruge netto på omsorg …": the row "Pleje og træning" ranks
            # high but shares few words; for a figure the table composer decides on its label
            or (figure and rank < ROW_TOP_RANK and h.relevance >= ROW_MIN_RELEVANCE / 2)
        )
    ]
    table_rows = getattr(searcher, "table_rows", None)
    doc_tables = getattr(searcher, "doc_tables", None)

    def doc_table_hits(meta, have: set[tuple[str, str]]) -> list[Hit]:
        """The rows of the document's first tables that ``have`` does not hold yet."""
        if doc_tables is None or table_rows is None:
            return []
        doc = meta.doc_id
        return [
            Hit(passage=p, meta=meta, score=0.0)
            for t in doc_tables(doc)[:TOP_DOC_TABLES]
            if (doc, t) not in have
            for p in table_rows(doc, t)
        ]

    if not rows and figure and top_doc and best_doc.get(top_doc, 0.0) >= FIGURE_DOC_RELEVANCE:
        # a figure asked in other words than the table's ("en årlig festdag for seniorer"): the best text
        # hit's document is the source, so its tables come in; the table composer answers from a row
        # only when the question or the prose that answers it names the row ("Seniortræf")
        meta = next(h.meta for h in found if h.meta.doc_id == top_doc)
        return [h for h in doc_table_hits(meta, set()) if h.passage.chunk_id not in gone]
    if not rows and figure and part and table_rows is not None:
        # a long question whose words pull prose first ("Vi bruger Roskilde som sammenligningskommune. Hvad
        # er nettobudgettet til sundhed og forebyggelse …"): the part searched among table rows alone, a row
        # taken only when the part names its label word for word ("sundhed og forebyggelse"): a row found by
        # a shared word would answer what the documents do not (measured: "gratis skolemad" got Roskilde's
        # budget table, "støtte af foreningsarbejdet" a Copenhagen appropriation)
        rows = [
            h
            for h in searcher.search(part, ROW_SEARCH_K, filters=filters, rows=True)
            if not set(h.passage.flags)
            and h.passage.table_row is not None
            and not h.passage.table_row.row.total
            and len(label_key(h.passage.table_row.row.label)) >= 8
            and names_phrase(label_key(h.passage.table_row.row.label), part)
        ][:1]
    if not rows:
        return []
    wide = widen_rows(rows, table_rows) if table_rows is not None else rows
    if figure:
        # the document's other tables too ("Tabel 1. Serviceudgifter" beside "Tabel 2. Tidligere afsatte
        # midler"): which one answers is the table composer's choice, by the words of the question
        have = {(h.passage.doc_id, h.passage.table_row.table_id) for h in wide if h.passage.table_row}
        wide += doc_table_hits(rows[0].meta, have)
    return [h for h in wide if h.passage.chunk_id not in gone]


def answer_question(
    question: Question | str,
    searcher: SearcherLike | None,
    settings: Settings,
    *,
    drafter: Any = "auto",
    filters: Any = None,
    pins: Mapping[str, list[Hit]] | None = None,
    dropped: Mapping[str, Iterable[str]] | None = None,
    hits: Mapping[str, list[Hit]] | None = None,
    only: Iterable[str] | None = None,
    on_token: TokenFn | None = None,
    searched: dict[str, list[Hit]] | None = None,
) -> Draft:
    """Answer ``question`` (or the sub-questions named in ``only``) and return the verified draft.

    ``pins``: sub-question id -> passages the officer chose; they replace that sub-question's
    evidence. ``hits``: results already searched (the TUI's source list), used instead of searching
    again. ``dropped``: sub-question id -> chunk ids the officer left out. ``searched``, when given,
    receives the hits searched for each sub-question, so a front end can show them.
    """
    from .draft import compose_draft

    if isinstance(question, str):
        question = prepare_question(
            question, settings, drafter=drafter if isinstance(drafter, str) else "auto"
        ).question
    if not question.sub_questions:
        question = question.model_copy(update={"sub_questions": [SubQuestion(id="1", text=question.text)]})
    t0 = time.perf_counter()
    wanted = set(only) if only is not None else None
    todo = [sq for sq in question.sub_questions if wanted is None or sq.id in wanted]
    pins = pins or {}
    dropped = dropped or {}
    hits = hits or {}
    skipped: list[Hit] = []
    evidence: dict[str, list[Hit]] = {}
    previous_rows: list[Hit] = []
    from .table_answer import asks_figure, refers_back

    for sq in todo:
        if pins.get(sq.id):
            evidence[sq.id] = list(pins[sq.id])
            continue
        found = hits.get(sq.id)
        if found is None:
            if searcher is None:
                raise ValueError(f"sub-question {sq.id} has no evidence and no searcher was given")
            found = search_sub_question(searcher, question, sq, settings, filters)
        if searched is not None:
            searched[sq.id] = found
        found = with_answer_turns(found, searcher, dropped=dropped.get(sq.id, ()))
        chosen = choose_evidence(found, settings, dropped=dropped.get(sq.id, ()), skipped=skipped, part=sq.text)
        rows = table_rows_for(
            found,
            chosen,
            searcher,
            settings,
            dropped=dropped.get(sq.id, ()),
            figure=asks_figure(sq.text),
            part=sq.text,
            filters=filters,
        )
        if not rows and previous_rows and refers_back(sq.text):
            # "… og hvor mange penge drejer det sig om for hver af dem?": the rows the part before found
            gone = set(dropped.get(sq.id, ())) | {h.passage.chunk_id for h in chosen}
            rows = [h for h in previous_rows if h.passage.chunk_id not in gone]
        evidence[sq.id] = chosen + rows
        previous_rows = rows
    t_search = time.perf_counter() - t0
    lexical = getattr(searcher, "lexical", None) if searcher is not None else None
    part = question.model_copy(update={"sub_questions": todo}) if wanted is not None else question
    draft = compose_draft(
        part,
        evidence,
        settings,
        drafter=drafter,
        lexical=lexical,
        on_token=on_token,
        skipped=skipped,
        pinned={h.passage.chunk_id for sid in evidence if pins.get(sid) for h in pins[sid]},
    )
    if wanted is not None:
        draft = draft.model_copy(update={"question": question})
    from .provenance import with_index

    return with_index(draft, searcher, search_seconds=t_search, total_seconds=time.perf_counter() - t0)
