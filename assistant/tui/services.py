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

DraftFn = Callable[..., Draft]
"""``draft_answer``-shaped: (question, searcher, settings, *, drafter, filters, stream, evidence) -> Draft."""
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
    draft_fn: DraftFn | None = None
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

    def draft(
        self,
        question: Question,
        *,
        drafter: str = "offline",
        evidence: dict[str, list[Hit]] | None = None,
        stream: Callable[[str], None] | None = None,
        filters: Filters | None = None,
    ) -> Draft:
        fn = self.draft_fn
        if fn is None:
            from assistant.draft import draft_answer

            fn = draft_answer
        searcher = self.searcher if evidence is not None and self.searcher is not None else None
        if evidence is None or any(sq.id not in evidence for sq in question.sub_questions):
            searcher = self.get_searcher()
        return fn(
            question,
            searcher,
            self.settings,
            drafter=drafter,
            filters=merge_filters(self.default_filters, filters),
            stream=stream,
            evidence=evidence,
        )

    def draft_one(
        self,
        question: Question,
        sq: SubQuestion,
        evidence: list[Hit],
        *,
        drafter: str = "offline",
        stream: Callable[[str], None] | None = None,
    ) -> Draft:
        """Draft one sub-question from the given (pinned or selected) passages."""
        one = question.model_copy(update={"sub_questions": [sq]})
        return self.draft(one, drafter=drafter, evidence={sq.id: evidence}, stream=stream)

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
    """The real services: the configured index (opened on first search), ``draft_answer``, ``export_docx``."""
    from assistant.draft import draft_answer

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
        draft_fn=draft_answer,
        default_filters=default_filters,
    )
