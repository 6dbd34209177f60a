"""Hybrid retrieval: Danish BM25 + compound-part BM25 + dense vectors, fused by weighted RRF.

``fuse`` is a pure function. ``Searcher`` is the thin layer that opens the
store, loads (or builds and caches) the lexical side for the current manifest
version, and turns rows into typed ``Hit``s. Filters (kind, authority, dates,
excluded files) are applied where they are cheap: as a row mask on the BM25
side and as a post-filter on dense candidates, never as a Chroma ``where``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .config import Settings
from .lexical import LexicalIndex, index_text
from .models import DocKind, DocumentMeta, Hit, Passage

RETRIEVERS = ("bm25", "compound", "dense")


def fuse(
    rankings: Mapping[str, Sequence[str]], weights: Mapping[str, float], k: int = 60
) -> list[tuple[str, float, dict[str, int]]]:
    """Weighted reciprocal-rank fusion.

    Returns (id, score, ranks) best first. The score is normalised by the best
    possible one (first in every weighted list), so it lies in (0, 1].
    """
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    active = {name: w for name, w in weights.items() if w > 0 and rankings.get(name)}
    best = sum(w / (k + 1) for w in active.values()) or 1.0
    for name, w in active.items():
        for r, item in enumerate(rankings[name], start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + r)
            ranks.setdefault(item, {})[name] = r
    order = sorted(scores, key=lambda i: (-scores[i], i))
    return [(i, scores[i] / best, ranks[i]) for i in order]


@dataclass
class Filters:
    kinds: set[DocKind] = field(default_factory=set)
    authority: str | None = None  # case-insensitive substring
    date_from: str | None = None  # ISO; compares on the string prefix
    date_to: str | None = None
    exclude_sources: set[str] = field(default_factory=set)  # file names (leave-one-out in evals)
    only_sources: set[str] = field(default_factory=set)

    def allows(self, meta: DocumentMeta) -> bool:
        name = Path(meta.source_path).name
        if name in self.exclude_sources:
            return False
        if self.only_sources and name not in self.only_sources:
            return False
        if self.kinds and meta.kind not in self.kinds:
            return False
        if self.authority and self.authority.lower() not in (meta.authority or "").lower():
            return False
        d = meta.date or ""
        if self.date_from and (not d or d < self.date_from[: len(d)]):
            return False
        return not (self.date_to and (not d or d[: len(self.date_to)] > self.date_to))

    def empty(self) -> bool:
        return not (
            self.kinds or self.authority or self.date_from or self.date_to or self.exclude_sources or self.only_sources
        )


class Searcher:
    """Search over one index. Cheap to query, built once per process."""

    def __init__(self, settings: Settings, *, store=None, embedder=None):
        from .embed import make_embedder
        from .store import Store

        self.settings = settings
        self.store = store or Store(settings)
        self.embedder = embedder or make_embedder(settings)
        self.manifest = self.store.manifest()
        self.version = self.store.version_of(self.manifest)
        self.metas: dict[str, DocumentMeta] = {d: e.meta for d, e in self.manifest.items()}
        self.passages: list[Passage] = []
        self.row_of: dict[str, int] = {}
        self.lexical = LexicalIndex()
        self._load_or_build()
        self._masks: dict[str, np.ndarray] = {}
        self._subsets: dict[bytes, tuple[list[str], np.ndarray]] = {}
        self._doc_order = sorted(self.metas)  # row of each document in a filter's allow-list
        doc_index = {d: i for i, d in enumerate(self._doc_order)}
        self._doc_rows = np.array([doc_index.get(p.doc_id, -1) for p in self.passages], dtype=np.int64)

    # -- cache ------------------------------------------------------------
    def _cache_root(self) -> Path:
        return self.settings.index_dir / "cache" / self.store.name

    def _cache_dir(self) -> Path:
        r = self.settings.retrieval
        return self._cache_root() / f"{self.version}-s{int(r.stemming)}c{int(r.compounds)}"

    def _load_or_build(self) -> None:
        path = self._cache_dir()
        if (path / "passages.jsonl").exists() and (path / "lexical").exists():
            try:
                with open(path / "passages.jsonl", encoding="utf-8") as fh:
                    self.passages = [Passage.model_validate_json(line) for line in fh]
                self.lexical = LexicalIndex.load(path / "lexical")
                self.row_of = {p.chunk_id: i for i, p in enumerate(self.passages)}
                return
            except (OSError, ValueError, KeyError):
                shutil.rmtree(path, ignore_errors=True)  # a damaged cache is rebuilt, never trusted
        live = {d: e.meta.sha256 for d, e in self.manifest.items()}
        rows = [p for p, sha in self.store.iter_passages() if live.get(p.doc_id) == sha]
        rows.sort(key=lambda p: p.chunk_id)
        self.passages = rows
        self.row_of = {p.chunk_id: i for i, p in enumerate(rows)}
        r = self.settings.retrieval
        self.lexical = LexicalIndex(stemming=r.stemming, compounds=r.compounds).build(
            [index_text(p.text, p.heading_path, self.metas[p.doc_id].title) for p in rows]
        )
        try:
            tmp = path.with_name(path.name + ".building")
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            with open(tmp / "passages.jsonl", "w", encoding="utf-8") as fh:
                for p in rows:
                    fh.write(p.model_dump_json() + "\n")
            self.lexical.save(tmp / "lexical")
            shutil.rmtree(path, ignore_errors=True)
            tmp.rename(path)
            for old in self._cache_root().iterdir():  # drop caches of older manifest versions only
                if not old.name.startswith(f"{self.version}-"):
                    shutil.rmtree(old, ignore_errors=True)
        except OSError:
            pass  # a cache we cannot write (read-only or full disk) only costs a rebuild next time

    def _mask(self, filters: Filters | None) -> np.ndarray | None:
        """Allowed rows as a float32 0/1 array (what bm25s takes), cached per filter."""
        if filters is None or filters.empty():
            return None
        key = repr(sorted((k, sorted(v) if isinstance(v, set) else v) for k, v in vars(filters).items()))
        mask = self._masks.get(key)
        if mask is None:
            # the trailing False is what row -1 (a passage whose document left the manifest) maps to
            allowed_docs = np.array([filters.allows(self.metas[d]) for d in self._doc_order] + [False])
            mask = allowed_docs[self._doc_rows].astype(np.float32)
            if len(self._masks) >= 16:
                self._masks.pop(next(iter(self._masks)))
            self._masks[key] = mask
        return mask

    # A filter that leaves fewer rows than this is searched exactly on the dense side: Chroma's
    # nearest neighbours would mostly be filtered away (at 44k passages a kind filter left 3.7 of 50).
    EXACT_DENSE_ROWS = 5000

    def _dense_exact(self, vec, mask: np.ndarray, n: int) -> list[str]:
        key = mask.tobytes()
        cached = self._subsets.get(key)
        if cached is None:
            rows = np.flatnonzero(mask)
            ids = [self.passages[r].chunk_id for r in rows]
            mat = self.store.embeddings(ids)
            norms = np.linalg.norm(mat, axis=1, keepdims=True)
            cached = (ids, mat / np.where(norms == 0, 1, norms))
            if len(self._subsets) >= 8:
                self._subsets.pop(next(iter(self._subsets)))
            self._subsets[key] = cached
        ids, mat = cached
        if not ids:
            return []
        q = np.asarray(vec, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        sims = mat @ q
        top = np.argsort(-sims)[:n]
        return [ids[i] for i in top]

    # -- search -------------------------------------------------------------
    def rankings(
        self,
        query: str,
        *,
        filters: Filters | None = None,
        candidates: int | None = None,
        retrievers: Iterable[str] = RETRIEVERS,
    ) -> dict[str, list[str]]:
        """Per-retriever ranked chunk ids (before fusion)."""
        n = candidates or self.settings.retrieval.candidates
        mask = self._mask(filters)
        out: dict[str, list[str]] = {}
        for which in ("bm25", "compound"):
            if which in retrievers:
                out[which] = [self.passages[r].chunk_id for r, _ in self.lexical.search(query, n, which, mask)]
        if "dense" in retrievers and self.passages:
            vec = self.embedder.embed([query])[0]
            allowed = len(self.passages) if mask is None else int(mask.sum())
            if mask is not None and allowed <= self.EXACT_DENSE_ROWS:
                out["dense"] = self._dense_exact(vec, mask, n)
                return out
            extra = len(self.passages) - allowed
            dense = []
            # stale passages of a document being replaced may still be stored: ask for a few more
            for cid, _sim in self.store.dense_query(vec, n + min(extra, 4 * n) + 8, count=len(self.passages) + 8):
                row = self.row_of.get(cid)
                if row is None or (mask is not None and mask[row] == 0):
                    continue
                dense.append(cid)
                if len(dense) >= n:
                    break
            out["dense"] = dense
        return out

    def search(
        self,
        query: str,
        k: int | None = None,
        *,
        filters: Filters | None = None,
        weights: Mapping[str, float] | None = None,
    ) -> list[Hit]:
        k = k or self.settings.retrieval.top_k
        w = dict(weights if weights is not None else self.settings.retrieval.weights)
        if not self.settings.retrieval.compounds:
            w["compound"] = 0.0
        active = [name for name, x in w.items() if x > 0]
        ranked = fuse(self.rankings(query, filters=filters, retrievers=active), w, self.settings.retrieval.rrf_k)
        hits = []
        profile = self.lexical.query_profile(query)
        for cid, score, ranks in ranked[:k]:
            p = self.passages[self.row_of[cid]]
            meta = self.metas[p.doc_id]
            rel, matched = self.lexical.coverage(profile, index_text(p.text, p.heading_path, meta.title))
            hits.append(Hit(passage=p, meta=meta, score=score, relevance=rel, ranks=ranks, matched_terms=matched))
        return hits

    def stats(self) -> dict:
        return {
            "documents": len(self.metas),
            "passages": len(self.passages),
            "version": self.version,
            "collection": self.store.name,
            "location": self.store.location,
        }


def hits_to_json(hits: list[Hit]) -> str:
    return json.dumps([h.model_dump(mode="json") for h in hits], ensure_ascii=False, indent=2)
