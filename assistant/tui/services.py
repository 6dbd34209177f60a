"""What the TUI needs from the core, behind one seam.

The app never opens Chroma or calls litellm itself: its workers call a
:class:`Services` object. ``make_services(settings)`` builds the real one (the
searcher is opened lazily, on first use, inside a worker); tests build one with
a temp index or with named fakes.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.models import Draft, Hit, Question, SubQuestion
from assistant.retrieve import Filters

AnswerFn = Callable[..., Draft]
"""``pipeline.answer_question``-shaped: (question, searcher, settings, *, drafter, filters, pins, dropped, hits,
only, on_token, searched) -> Draft. The real one is the pipeline itself; tests may pass a named fake."""
ExportFn = Callable[..., Path]
"""``export_docx``-shaped: (draft, out, *, template, force, fields) -> Path."""


def merge_filters(base: Filters | None, extra: Filters | None) -> Filters | None:
    """Combine the services' default filters (e.g. leave-one-out) with the officer's."""
    if base is None:
        return extra
    if extra is None:
        return base
    return Filters(
        kinds=set(extra.kinds or base.kinds),
        authority=extra.authority or base.authority,
        date_from=extra.date_from or base.date_from,
        date_to=extra.date_to or base.date_to,
        exclude_sources=set(base.exclude_sources) | set(extra.exclude_sources),
        only_sources=set(extra.only_sources or base.only_sources),
    )


@dataclass
class Services:
    """The app's access to retrieval, drafting and export."""

    settings: Settings
    searcher: Any = None  # anything with .search(query, k, filters=...) -> list[Hit]
    searcher_factory: Callable[[], Any] | None = None  # used once, lazily, when ``searcher`` is None
    answer_fn: AnswerFn | None = None  # None: ``pipeline.answer_question``
    exporter: ExportFn | None = None
    default_filters: Filters | None = None
    ingest_fn: Callable[..., Any] | None = None  # ``ingest``-shaped: (paths, settings, *, progress) -> IngestReport
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def get_searcher(self) -> Any:
        with self._lock:
            if self.searcher is None:
                if self.searcher_factory is None:
                    raise RuntimeError("no search index is configured")
                self.searcher = self.searcher_factory()
            return self.searcher

    @property
    def llm_available(self) -> bool:
        return bool(self.settings.llm.model)

    def search(self, query: str, k: int | None = None, filters: Filters | None = None) -> list[Hit]:
        k = k or max(20, self.settings.retrieval.top_k)
        return self.get_searcher().search(query, k, filters=merge_filters(self.default_filters, filters))

    def search_sub_question(self, question: Question, sq: SubQuestion, filters: Filters | None = None) -> list[Hit]:
        """The pipeline's own retrieval for one sub-question (what ``assistant draft`` would search)."""
        from assistant.pipeline import search_sub_question

        return search_sub_question(
            _LazySearcher(self), question, sq, self.settings, merge_filters(self.default_filters, filters)
        )

    def answer(
        self,
        question: Question,
        *,
        drafter: str = "offline",
        only: list[str] | None = None,
        pins: dict[str, list[Hit]] | None = None,
        dropped: dict[str, list[str]] | None = None,
        hits: dict[str, list[Hit]] | None = None,
        on_token: Callable[[str, str], None] | None = None,
        filters: Filters | None = None,
        searched: dict[str, list[Hit]] | None = None,
    ) -> Draft:
        """Draft (some of) the question through the one pipeline, with the officer's pins, drops and results."""
        fn = self.answer_fn
        if fn is None:
            from assistant.pipeline import answer_question

            fn = answer_question
        return fn(
            question,
            _LazySearcher(self),
            self.settings,
            drafter=drafter,
            filters=merge_filters(self.default_filters, filters),
            pins=pins,
            dropped=dropped,
            hits=hits,
            only=only,
            on_token=on_token,
            searched=searched,
        )

    def export(
        self,
        draft: Draft,
        out: Path,
        *,
        template: Path | None = None,
        force: bool = False,
        fields: dict[str, str] | None = None,
    ) -> Path:
        template = template or self.settings.export.template
        if self.exporter is not None:
            return self.exporter(draft, out, template=template, force=force, fields=fields)
        from assistant.export import export_docx

        style = self.settings.export.citation_style
        return export_docx(draft, out, template=template, force=force, fields=fields, citation_style=style)

    def ingest(self, paths: list[Path], progress: Callable[[int, int, str], None] | None = None):
        """Ingest files/folders into the index; the searcher is reopened on next use."""
        fn = self.ingest_fn
        if fn is None:
            from assistant.ingest import ingest

            fn = ingest
        report = fn(paths, self.settings, progress=progress)
        if self.searcher_factory is not None:
            with self._lock:
                self.searcher = None
        return report


def make_services(settings: Settings, *, default_filters: Filters | None = None) -> Services:
    """The real services: the configured index (opened on first search), the pipeline, ``export_docx``."""

    def open_searcher():
        from assistant.retrieve import Searcher

        searcher = Searcher(settings)
        # opened in a background worker, so the officer's first search is not the slow one; a failure
        # here costs only the head start: a real problem shows, with its message, on the first search
        with contextlib.suppress(Exception):
            searcher.warm()
        return searcher

    return Services(
        settings=settings,
        searcher_factory=open_searcher,
        default_filters=default_filters,
    )


class _LazySearcher:
    """The services' searcher, opened only when the pipeline searches or asks for term weights."""

    def __init__(self, services: Services):
        self._services = services

    def search(self, query: str, k: int = 20, *, filters=None, rows: bool | None = None) -> list[Hit]:
        searcher = self._services.get_searcher()
        if rows is None:  # (a searcher without table rows takes no ``rows``)
            return searcher.search(query, k, filters=filters)
        return searcher.search(query, k, filters=filters, rows=rows)

    def table_rows(self, doc_id: str, table_id: str):
        return self._services.get_searcher().table_rows(doc_id, table_id)

    def doc_tables(self, doc_id: str):
        return self._services.get_searcher().doc_tables(doc_id)

    def next_passage(self, chunk_id: str, step: int = 1):
        return self._services.get_searcher().next_passage(chunk_id, step)

    @property
    def lexical(self):
        s = self._services
        if s.searcher is None and s.searcher_factory is None:
            return None
        return getattr(s.get_searcher(), "lexical", None)

    @property
    def version(self):
        """The index's manifest version, for the draft's provenance (None when no index is open)."""
        s = self._services
        return getattr(s.searcher, "version", None) if s.searcher is not None else None
