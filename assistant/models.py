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

DRAFT_SCHEMA_VERSION = 2
"""Version of the draft JSON (``Draft``; ``schemas/draft.schema.json``). 1: the shape before the field
existed (no ``schema_version``, ``verification`` or ``provenance``). Bump it whenever the generated
JSON Schema changes; ``tests/test_schemas.py`` fails until you do."""

SEARCH_SCHEMA_VERSION = 1
"""Version of ``assistant search --json`` (``SearchResponse``; ``schemas/search.schema.json``)."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class DocKind(str, Enum):
    """What sort of document a source is; drives labels and priorities."""

    prior_answer = "prior_answer"  # a forvaltningssvar or a minister's answer
    budget_note = "budget_note"  # budgetnotat, budget publication, bevillingsudløb
    decision = "decision"  # committee decision, indstilling
    minutes = "minutes"  # referat, dagsorden
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


class Document(_Model):
    meta: DocumentMeta
    text: str  # the cleaned text; every offset in the pipeline points into it
    blocks: list[Block]


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


class Citation(_Model):
    key: str  # the opaque key the drafter cited, e.g. "K3"
    chunk_id: str | None = None  # None when the key resolves to nothing
    span: tuple[int, int] | None = None  # supporting span inside the passage text


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


class SubAnswer(_Model):
    sub_question: SubQuestion
    sentences: list[Sentence] = Field(default_factory=list)
    answered: bool = True  # False: nothing relevant was found; the draft says so
    source_keys: list[str] = Field(default_factory=list)  # keys of the sources offered for this sub-question


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
    name: str  # prompts/<name>.md
    sha256: str  # of the file's text as used


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
