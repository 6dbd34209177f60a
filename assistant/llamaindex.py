"""llama-index seam: this project's hybrid retriever as a llama-index ``BaseRetriever``.

A llama-index application can search an index built by ``assistant ingest`` without knowing how
it is built (Danish BM25, compound parts, vectors, weighted reciprocal-rank fusion)::

    from llama_index.core.query_engine import RetrieverQueryEngine
    from assistant.config import load_settings
    from assistant.llamaindex import HybridRetriever

    retriever = HybridRetriever.from_settings(load_settings())
    nodes = retriever.retrieve("madklubber plejehjem")          # list[NodeWithScore], best first
    engine = RetrieverQueryEngine.from_args(retriever, llm=your_llm)

Each passage becomes a ``TextNode`` whose id is the passage's ``chunk_id`` and whose
``start_char_idx``/``end_char_idx`` locate it in the document's cleaned text; its metadata carries
``doc`` (file name), ``doc_id``, ``chunk_id``, ``title``, ``kind``, ``date``, ``authority``,
``heading_path`` (" / "-joined), ``page``, ``start``, ``end``, ``flags`` and ``relevance``, all flat
values, so any llama-index vector store or postprocessor can hold them. The ``NodeWithScore`` score is
the fused score ``assistant search`` prints (1.0 = first in every retriever); the order is exactly
``Searcher.search``'s.

This module imports llama-index when it is imported, and no other module of the package imports
it (an import contract), so the CLI, the TUI and the core never pay for llama-index.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llama_index.core.callbacks import CallbackManager
from llama_index.core.retrievers import BaseRetriever
from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

if TYPE_CHECKING:
    from .config import Settings
    from .models import Hit
    from .retrieve import Filters, Searcher

LLM_HIDDEN = ["doc_id", "chunk_id", "start", "end", "flags", "relevance"]
"""Metadata the LLM need not read (ids and offsets); title, kind, date, authority and heading stay visible."""


def hit_to_node(hit: Hit) -> NodeWithScore:
    """One search hit as a llama-index node with its fused score."""
    p, m = hit.passage, hit.meta
    metadata: dict[str, Any] = {
        "doc": Path(m.source_path).name,
        "doc_id": m.doc_id,
        "chunk_id": p.chunk_id,
        "title": m.title,
        "kind": m.kind.value,
        "date": m.date,
        "authority": m.authority,
        "heading_path": " / ".join(p.heading_path),
        "page": p.page,
        "start": p.start,
        "end": p.end,
        "flags": ",".join(p.flags),
        "relevance": hit.relevance,
    }
    node = TextNode(
        id_=p.chunk_id,
        text=p.text,
        metadata=metadata,
        start_char_idx=p.start,
        end_char_idx=p.end,
        excluded_llm_metadata_keys=list(LLM_HIDDEN),
        excluded_embed_metadata_keys=list(LLM_HIDDEN),
    )
    return NodeWithScore(node=node, score=hit.score)


class HybridRetriever(BaseRetriever):
    """``Searcher.search`` behind llama-index's retriever interface (``retrieve``/``aretrieve``)."""

    def __init__(
        self,
        searcher: Searcher,
        *,
        k: int | None = None,
        filters: Filters | None = None,
        weights: Mapping[str, float] | None = None,
        callback_manager: CallbackManager | None = None,
    ) -> None:
        super().__init__(callback_manager=callback_manager)
        self.searcher = searcher
        self.k = k  # None: retrieval.top_k
        self.filters = filters
        self.weights = weights  # None: retrieval.weights

    @classmethod
    def from_settings(cls, settings: Settings, **kwargs: Any) -> HybridRetriever:
        """A retriever over the index the settings name (``index_dir`` or ``store.url``)."""
        from .retrieve import Searcher

        return cls(Searcher(settings), **kwargs)

    def _retrieve(self, query_bundle: QueryBundle) -> list[NodeWithScore]:
        hits = self.searcher.search(query_bundle.query_str, self.k, filters=self.filters, weights=self.weights)
        return [hit_to_node(h) for h in hits]
