"""Typed data that flows through the pipeline.

Everything the core passes around is one of these models: documents and their
structural blocks (from ``documents``), passages (from ``chunking``), search
hits (from ``retrieve``), the parsed question (from ``question``) and the draft
with its citations and verification results (from ``draft`` and ``cite``).

They are pydantic models so a draft can be saved as JSON, reopened by the TUI,
exported to Word and compared in evals without any store being open.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

DRAFT_SCHEMA_VERSION = 3
"""Version of the draft JSON (``Draft``; ``schemas/draft.schema.json``). 1: the shape before the field
existed (no ``schema_version``, ``verification`` or ``provenance``); 3: ``DocKind`` gained ``transcript``. Bump it whenever the generated
JSON Schema changes; ``tests/test_schemas.py`` fails until you do."""

SEARCH_SCHEMA_VERSION = 2
"""Version of ``assistant search --json`` (``SearchResponse``; ``schemas/search.schema.json``).
2: ``DocKind`` gained ``transcript``."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocKind(str, Enum):
    """What sort of document a source is; drives labels and priorities."""

    prior_answer = "prior_answer"  # a forvaltningssvar or a minister's answer
    budget_note = "budget_note"  # budgetnotat, budget publication, bevillingsudløb
    decision = "decision"  # committee decision, indstilling
    minutes = "minutes"  # referat, dagsorden
    transcript = "transcript"  # verbatim debate record (Folketingstidende's forhandlinger)
    other = "other"


class DocumentMeta(_Model):
    """Metadata of one ingested file; detected from text, overridable by sidecar."""

    doc_id: str  # stable id: slug of the file name plus a short hash of its path
    title: str
    authority: str | None = None
    date: str | None = None  # ISO 8601, "2026-05-22"; or "2014" when only a year is known
    kind: DocKind = DocKind.other
    source_path: str
    url: str | None = None
    sha256: str
    case_numbers: dict[str, str] = Field(default_factory=dict)  # {"edoc": ..., "f2": ..., "spm": ...}
    sample: bool = False  # part of the project's own sample corpus


class BlockKind(str, Enum):
    heading = "heading"
    paragraph = "paragraph"
    table = "table"
    list_item = "list_item"


class Block(_Model):
    """A structural unit of a cleaned document: ``Document.text[start:end] == text``."""

    kind: BlockKind
    text: str
    start: int
    end: int
    level: int = 0  # heading level (1 = top), 0 for non-headings
    page: int | None = None  # 1-based page number where the source has pages


# --- tables ----------------------------------------------------------------


class TableCell(_Model):
    """One value cell of a table row.

    ``text`` is the cell as written with its whitespace collapsed (a cell wrapped over lines reads as
    one line); ``start``/``end`` is its span in the document's cleaned text (``start == end`` for an
    empty cell, placed where the cell would be). ``value`` is the number as written (``13.767`` ->
    13767.0, ``-1.161,4`` -> -1161.4, ``600.000 kr.`` -> 600000.0), before the table's unit is applied;
    None for text and empty cells.
    """

    column: str  # the column header ("" when the table has none)
    text: str
    value: float | None = None
    start: int
    end: int


class TableRow(_Model):
    """A row: its label (first column) and its value cells, in column order, every one with its span."""

    index: int  # 0-based position among the table's rows
    label: str
    label_start: int
    label_end: int
    cells: list[TableCell] = Field(default_factory=list)
    start: int  # span of the whole row in the cleaned text
    end: int
    group: str | None = None  # a group heading row above it ("Systematisk opsporing ..."), if any
    total: bool = False  # the label states a total ("I alt", "Udgifter i alt")
    uncertain: bool = False  # which column a value belongs to could not be decided from the text

    def cell(self, column: str) -> TableCell | None:
        for c in self.cells:
            if c.column == column:
                return c
        return None


class Table(_Model):
    """A table recognised in a document (see ``assistant.tables``)."""

    table_id: str  # f"{doc_id}:t{n}", n counting the document's tables from 1
    caption: str  # "Tabel 1. Bevillinger som udløber ...", or the heading above the table
    heading_path: list[str] = Field(default_factory=list)
    label_header: str = ""  # header of the label column
    columns: list[str] = Field(default_factory=list)  # headers of the value columns, in order
    unit: str | None = None  # "1.000 kr.", "mio. kr.", "kr." as stated in caption or headers
    price_basis: str | None = None  # "2026-pl", "2025-priser", "2015-p/l", "løbende p/l"
    rows: list[TableRow] = Field(default_factory=list)
    start: int
    end: int
    source: str = (
        "flat"  # "pipe": cells separated by | (Markdown, .docx, HTML, PDF via pdfplumber); "flat": extracted text
    )
    page: int | None = None


class RowContext(_Model):
    """What a row passage carries: the row with the table context needed to read it alone."""

    table_id: str
    caption: str
    unit: str | None = None
    price_basis: str | None = None
    label_header: str = ""
    columns: list[str] = Field(default_factory=list)
    row: TableRow


class Document(_Model):
    meta: DocumentMeta
    text: str  # the cleaned text; every offset in the pipeline points into it
    blocks: list[Block]
    tables: list[Table] = Field(default_factory=list)  # tables recognised in ``text`` (assistant.tables)


class Turn(_Model):
    """Who is speaking in a stretch of a passage (offsets relative to the passage text); see ``speakers``."""

    start: int
    end: int
    speaker: str = ""  # "Ældreministeren (Mette Kierkgaard)"; "" when not named
    role: str  # "answer", "question", "asker", "chair" or "frame"


class Passage(_Model):
    """A retrievable chunk. ``text`` equals the document's cleaned text[start:end]."""

    chunk_id: str  # f"{doc_id}:{sha256[:8]}:{ordinal:04d}": a changed file gets new ids
    doc_id: str
    ordinal: int
    text: str
    start: int
    end: int
    heading_path: list[str] = Field(default_factory=list)
    page: int | None = None
    flags: list[str] = Field(default_factory=list)  # e.g. "injection" when it reads like model instructions
    turns: list[Turn] = Field(default_factory=list)  # speakers in earlier answers and minutes; [] elsewhere
    # a table row passage: text is the row's span (label and cells), the row's structure and its table's
    # caption, unit and headers are here; ``assistant.tables.row_text`` renders both for search and prompts
    table_row: RowContext | None = None


class Hit(_Model):
    """A passage found for a query, with the fused score and per-retriever ranks."""

    passage: Passage
    meta: DocumentMeta
    score: float  # fused (weighted reciprocal-rank) score, normalised so 1.0 = first in every retriever
    relevance: float = 0.0  # idf-weighted share of the query's terms found in the passage (0-1)
    ranks: dict[str, int] = Field(default_factory=dict)  # retriever name -> 1-based rank
    matched_terms: list[str] = Field(default_factory=list)
    duplicates: list[str] = Field(default_factory=list)  # chunk ids of lower-ranked passages this one already holds


class SearchResult(Hit):
    """One hit as ``assistant search --json`` writes it: flat fields first, the nested hit beside them."""

    rank: int  # 1-based
    doc: str  # file name of the source document
    doc_id: str
    chunk_id: str
    start: int  # offsets of ``text`` in the document's cleaned text
    end: int
    text: str
    title: str

    @classmethod
    def from_hit(cls, rank: int, hit: Hit) -> SearchResult:
        from pathlib import PurePath

        p = hit.passage
        return cls(
            rank=rank,
            doc=PurePath(hit.meta.source_path).name,
            doc_id=p.doc_id,
            chunk_id=p.chunk_id,
            start=p.start,
            end=p.end,
            text=p.text,
            title=hit.meta.title,
            **hit.model_dump(),
        )


class SearchResponse(_Model):
    """``assistant search --json``: a versioned object (schemas/search.schema.json)."""

    schema_version: int = SEARCH_SCHEMA_VERSION
    query: str
    k: int
    filters: dict[str, Any] = Field(default_factory=dict)  # the filters applied (empty: none)
    index_version: str | None = None  # the manifest version searched
    results: list[SearchResult] = Field(default_factory=list)


# --- question intake -------------------------------------------------------


class SubQuestion(_Model):
    id: str  # "1", "2", ... stable within a draft
    text: str


class Question(_Model):
    """A council member's question as parsed from the text the officer pasted."""

    raw: str
    text: str  # the question itself, without the framing sentence
    asker: str | None = None
    party: str | None = None  # party letter, e.g. "F"
    date_asked: str | None = None  # ISO date
    addressee: str | None = None  # e.g. "Sundheds- og Omsorgsforvaltningen"
    topic: str | None = None  # short topic for the title "Spørgsmål om ..."
    sub_questions: list[SubQuestion] = Field(default_factory=list)


# --- the draft -------------------------------------------------------------


class CellRef(_Model):
    """A citation's pointer into a table: a row, optionally one cell of it (by column header)."""

    table_id: str
    row: int  # TableRow.index
    column: str | None = None  # None: the whole row
    span: tuple[int, int] | None = None  # the cell's (or row's) span in the document's cleaned text


class Citation(_Model):
    key: str  # the opaque key the drafter cited, e.g. "K3"
    chunk_id: str | None = None  # None when the key resolves to nothing
    span: tuple[int, int] | None = None  # supporting span inside the passage text
    # set when the key's passage is a table row and the sentence rests on one cell (or the row): then
    # verification checks the sentence's amounts against that cell (cite.verify_sentence)
    cell: CellRef | None = None


class Status(str, Enum):
    verified = "verified"
    unverified = "unverified"  # cited, but a check failed (reason in ``problems``)
    uncited = "uncited"  # a claim with no citation
    no_claim = "no_claim"  # house-style sentence that states nothing to source


class Sentence(_Model):
    text: str  # without citation markers
    citations: list[Citation] = Field(default_factory=list)
    status: Status = Status.uncited
    problems: list[str] = Field(default_factory=list)


class SourceRef(_Model):
    """A snapshot of a passage given to the drafter, so a saved draft is self-contained."""

    key: str
    passage: Passage
    meta: DocumentMeta
    score: float = 0.0
    pinned: bool = False


class AnswerTableRow(_Model):
    cells: list[str]  # one text per column of the AnswerTable, copied (or checked-reformatted) from source cells
    citations: list[Citation] = Field(default_factory=list)  # the source row(s) the line comes from
    status: Status = Status.uncited  # set by cite.verify_draft, like a sentence's
    problems: list[str] = Field(default_factory=list)


class AnswerTable(_Model):
    """A small table in an answer (many rows asked for at once); the Word export writes it as a table."""

    caption: str  # "Bevillinger som udløber ved udgangen af 2026"
    unit: str | None = None  # shown with the caption: "(1.000 kr., 2026-pl)"
    columns: list[str]
    rows: list[AnswerTableRow] = Field(default_factory=list)


class SubAnswer(_Model):
    sub_question: SubQuestion
    sentences: list[Sentence] = Field(default_factory=list)
    # answer tables shown after the sentences (table_answer.compose_from_rows); empty for prose answers
    tables: list[AnswerTable] = Field(default_factory=list)
    answered: bool = True  # False: nothing relevant was found; the draft says so
    source_keys: list[str] = Field(default_factory=list)  # keys of the sources offered for this sub-question

    def lines(self) -> list[Sentence]:
        """What the sub-answer states: its sentences, then each answer-table line as a sentence."""
        out = list(self.sentences)
        for t in self.tables:
            for r in t.rows:
                out.append(Sentence(text=table_line(t, r), citations=r.citations, status=r.status, problems=r.problems))
        return out


def table_line(table: AnswerTable, row: AnswerTableRow) -> str:
    """One line of an answer table as a sentence: "Madklubber på plejehjem: Beløb 1.750; Anbefaling Bør videreføres."."""
    cells = [c.strip() for c in row.cells]
    if not cells:
        return ""
    rest = [f"{col} {cell}".strip() for col, cell in zip(table.columns[1:], cells[1:], strict=False) if cell]
    unit = f" ({table.unit})" if table.unit else ""
    return f"{cells[0]}{unit}: {'; '.join(rest)}." if rest else f"{cells[0]}."


class Header(_Model):
    """The house-style wrapper of a forvaltningssvar (carried as data for export)."""

    recipient: str = ""  # "Rasmus Steenberger (F)"
    title: str = ""  # "Svar til Rasmus Steenberger (F) - Spørgsmål om ..."
    administration: str = ""  # "Sundheds- og Omsorgsforvaltningen"
    answer_heading: str = ""  # "Sundheds- og Omsorgsforvaltningens svar"
    intro: str = ""  # "X har den 19. maj 2026 stillet følgende spørgsmål til ...:"
    date: str = ""  # answer date, ISO
    case_numbers: dict[str, str] = Field(default_factory=dict)  # {"Edoc-sagsnummer": ..., "F2 sagsnummer": ...}
    case_officer: str = ""


class Verification(_Model):
    """Counts from the last verification of a draft (``cite.summary``)."""

    sentences: int = 0
    verified: int = 0
    unverified: int = 0
    uncited: int = 0
    no_claim: int = 0
    citations: int = 0
    invalid_keys: int = 0  # citation keys that resolve to no source
    numbers_stated: int = 0
    numbers_verified: int = 0


class PromptRef(_Model):
    name: str  # <name>.md
    source: str = "shipped"  # "shipped" (assistant/resources/prompts) or the prompts_dir file used
    sha256: str  # of the file's bytes as used


class Provenance(_Model):
    """How a draft was made: enough to say afterwards which model, prompts, settings and index made it."""

    drafter: str = ""  # "offline", "llm", "llm+offline" (LLM failed, offline fallback)
    model: str | None = None  # litellm model name; None for the offline drafter
    prompts: list[PromptRef] = Field(default_factory=list)  # the prompt templates used (none offline)
    settings: dict[str, Any] = Field(default_factory=dict)  # the settings that shape the result
    index_version: str | None = None  # manifest version of the index searched
    vector_key: str | None = None  # names the collection (embedding and chunking settings)
    timings: dict[str, float] = Field(default_factory=dict)  # seconds: "search", "draft", "total"
    assistant_version: str = ""


class Draft(_Model):
    schema_version: int = DRAFT_SCHEMA_VERSION
    question: Question
    header: Header = Field(default_factory=Header)
    sub_answers: list[SubAnswer] = Field(default_factory=list)
    sources: list[SourceRef] = Field(default_factory=list)
    drafter: str = "offline"
    created: str = ""  # ISO timestamp
    warnings: list[str] = Field(default_factory=list)
    verification: Verification = Field(default_factory=Verification)  # refreshed by every verify_draft
    provenance: Provenance | None = None  # None for drafts saved before schema version 2

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v > DRAFT_SCHEMA_VERSION:
            raise ValueError(
                f"udkastet har skemaversion {v}, denne version af assistenten læser op til {DRAFT_SCHEMA_VERSION}"
            )
        return v

    def source(self, key: str) -> SourceRef | None:
        for s in self.sources:
            if s.key == key:
                return s
        return None

    def sentences(self) -> list[Sentence]:
        return [s for a in self.sub_answers for s in a.sentences]
