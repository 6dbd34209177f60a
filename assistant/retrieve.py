"""Hybrid retrieval: Danish BM25 + compound-part BM25 + dense vectors, fused by weighted RRF.

``fuse`` is a pure function. ``Searcher`` is the thin layer that opens the
store, loads (or builds and caches) the lexical side for the current manifest
version, and turns rows into typed ``Hit``s. Filters (kind, authority, dates,
excluded files) are applied where they are cheap: as a row mask on the BM25
side and as a post-filter on dense candidates, never as a Chroma ``where``.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .analysis import tokens
from .config import Settings
from .embed import query_vector
from .lexical import LexicalBuilder, LexicalIndex, index_text
from .models import DocKind, DocumentMeta, Hit, Passage
from .tables import passage_text

RETRIEVERS = ("bm25", "compound", "dense")


def fuse(
    rankings: Mapping[str, Sequence[str]],
    weights: Mapping[str, float],
    k: int = 60,
    *,
    floor_at: int | None = None,
) -> list[tuple[str, float, dict[str, int]]]:
    """Weighted reciprocal-rank fusion.

    Returns (id, score, ranks) best first. The score is normalised by the best
    possible one (first in every weighted list), so it lies in (0, 1].

    With ``floor_at`` (the number of candidates asked of each retriever), an item missing from a
    list that was cut off there scores as if ranked just below its end (its best possible rank)
    instead of not at all. A cut-off list then no longer decides by itself: BM25's second passage
    is not pushed below passages both lists rank 13th merely because an approximate vector search
    returned 50 others first. A shorter list is complete (BM25 drops passages without a query
    word), so missing from it means not matching, and it gets no floor.
    """
    scores: dict[str, float] = {}
    ranks: dict[str, dict[str, int]] = {}
    active = {name: w for name, w in weights.items() if w > 0 and rankings.get(name)}
    best = sum(w / (k + 1) for w in active.values()) or 1.0
    for name, w in active.items():
        for r, item in enumerate(rankings[name], start=1):
            scores[item] = scores.get(item, 0.0) + w / (k + r)
            ranks.setdefault(item, {})[name] = r
    if floor_at:
        for name, w in active.items():
            if len(rankings[name]) < floor_at:
                continue
            below = w / (k + len(rankings[name]) + 1)
            for item, score in scores.items():
                if name not in ranks[item]:
                    scores[item] = score + below
    order = sorted(scores, key=lambda i: (-scores[i], i))
    return [(i, scores[i] / best, ranks[i]) for i in order]


# words that say what sort of body an authority is, not which one
_GENERIC_AUTHORITY = re.compile(
    r"(forvaltning|forvaltningen|borgmester|borgmesteren|rådmand|rådmanden|udvalg|udvalget|udvalgets|ministeriet|"
    r"ministeren|minister|ministeriets)$"
)
_AUTHORITY_STOP = {"og", "for", "til", "i", "kommune", "kommunes", "region", "den", "det", "de"}


@functools.lru_cache(maxsize=4096)
def authority_terms(name: str | None) -> frozenset[str]:
    """Distinctive parts of an authority or addressee: ``Sundheds- og Omsorgsborgmesteren`` -> {sundheds, omsorgs},
    ``ældreministeren`` -> {ældre}, ``Københavns Kommune`` -> {københavns}."""
    out = set()
    for w in re.findall(r"[a-zæøå]+", (name or "").lower()):
        if w in _AUTHORITY_STOP:
            continue
        stem = _GENERIC_AUTHORITY.sub("", w)
        if len(stem) >= 3:
            out.add(stem.rstrip("s") if len(stem) > 4 else stem)
    return frozenset(out)


def authority_matches(targets: Iterable[str], authority: str | None) -> bool:
    """True when the document's authority shares a distinctive part with one of the targets
    (the question's addressee, or the administration's own names)."""
    have = authority_terms(authority)
    return bool(have) and any(authority_terms(t) & have for t in targets)


def source_prior(
    meta: DocumentMeta, kind_priors: Mapping[str, float], targets: Sequence[str], authority_prior: float
) -> float:
    """The factor a passage's fused score is multiplied by: its document kind's prior times, when there are
    targets to match (an addressee or the own administration), ``authority_prior`` for another authority."""
    f = float(kind_priors.get(meta.kind.value, 1.0))
    if targets and authority_prior != 1.0 and not authority_matches(targets, meta.authority):
        f *= authority_prior
    return f


def apply_priors(
    ranked: Sequence[tuple[str, float, dict[str, int]]], factor: Mapping[str, float]
) -> list[tuple[str, float, dict[str, int]]]:
    """Fused ranking with each score times its source prior (missing: 1), best first, ties by id.

    RRF scores fall slowly with rank (with k = 60, rank 10 still scores 0.87 of rank 1), so a
    prior of 0.9 moves a passage down about as far as being ranked 7-8 places lower everywhere.
    """
    out = [(i, s * factor.get(i, 1.0), r) for i, s, r in ranked]
    out.sort(key=lambda x: (-x[1], x[0]))
    return out


MIN_FOLD_WORDS = 8  # distinct words a passage needs before it can be folded into another


def text_signature(text: str | set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """Distinct words and distinct numbers of a passage (or of its ``tokens``), for ``adds_nothing``."""
    toks = set(tokens(text)) if isinstance(text, str) else text
    nums = frozenset(t for t in toks if not t[0].isalpha())
    return frozenset(toks - nums), nums


def adds_nothing(
    candidate: tuple[frozenset[str], frozenset[str]], kept: tuple[frozenset[str], frozenset[str]], share: float = 0.9
) -> bool:
    """True when a passage holds no number the kept one lacks and at least ``share`` of its words occur there.

    The same paragraph in two documents (cut at different points) is caught; two budget notes
    worded alike but with other figures are not.
    """
    words, nums = candidate
    if len(words) < MIN_FOLD_WORDS or not nums <= kept[1]:
        return False  # a heading or a short line is not "the same text"
    return len(words & kept[0]) >= share * len(words)


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


class PassageTable(Sequence[Passage]):
    """Passages by row, parsed on demand from their JSON lines.

    The lines live in the lexical cache file, mapped into memory (or, when no cache could be
    written, in one bytes buffer); only the ids are Python objects. At 100k passages this keeps
    about 100 MB of text and several hundred MB of Passage objects out of the heap.
    """

    def __init__(
        self, buf, spans: np.ndarray, chunk_ids: list[str], doc_ids: list[str], is_row: np.ndarray | None = None
    ):
        self._buf = buf
        self._spans = spans  # (n, 2) int64: start and end of each row's line in ``buf``
        self.chunk_ids = chunk_ids
        self.doc_ids = doc_ids
        # which passages are table rows (Passage.table_row set), known without parsing them
        self.is_row = is_row if is_row is not None else np.zeros(len(chunk_ids), dtype=bool)

    @classmethod
    def open(cls, path: Path) -> PassageTable:
        import mmap

        spans = np.load(path / "rows.npy")
        ids, docs, rows = [], [], []
        pool: dict[str, str] = {}
        text = (path / "ids.tsv").read_text(encoding="utf-8")
        for line in text.splitlines():
            cid, _, rest = line.partition("\t")
            doc, _, flag = rest.partition("\t")
            ids.append(cid)
            docs.append(pool.setdefault(doc, doc))
            rows.append(flag == "row")
        if len(ids) != len(spans):
            raise ValueError(f"{path}: ids.tsv and rows.npy disagree")
        is_row = np.array(rows, dtype=bool)
        if not ids:
            return cls(b"", spans, ids, docs, is_row)
        with open(path / "passages.jsonl", "rb") as fh:
            buf = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        if int(spans[:, 1].max()) > len(buf):
            raise ValueError(f"{path}: passages.jsonl is shorter than its rows")
        return cls(buf, spans, ids, docs, is_row)

    def __len__(self) -> int:
        return len(self.chunk_ids)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        start, end = self._spans[i]
        return Passage.model_validate_json(self._buf[int(start) : int(end)])

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


def _heading_key(heading: str) -> str | None:
    """A section heading as ``Searcher._names_heading`` looks for it in a query (" sundhed for alle "), or
    None when it is too short to name a section by itself (one word, under eight letters)."""
    head = " ".join(re.findall(r"[\wæøå§-]+", heading.lower()))
    return f" {head} " if len(head) >= 8 and len(head.split()) >= 2 else None


HEADING_BOOST = 1.3  # a passage whose section heading the query names word for word (``_names_heading``)
# bump when the files of a lexical cache change (3: ids.tsv marks table rows; 4: stable stems; 5: -el stems;
# 6: undoubled final consonants; 7: participles of verbs in -å)
CACHE_LAYOUT = 7


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
        self.passages: PassageTable = PassageTable(b"", np.zeros((0, 2), np.int64), [], [])
        self.lexical = LexicalIndex()
        self._load_or_build()
        self.chunk_ids = self.passages.chunk_ids
        self.row_of: dict[str, int] = {c: i for i, c in enumerate(self.chunk_ids)}
        self._rows_by_doc: dict[str, list[int]] | None = None  # doc id -> positions of its table rows
        self._masks: dict[str, np.ndarray] = {}
        self._subsets: dict[bytes, tuple[list[str], np.ndarray]] = {}
        self._heading_keys: dict[str, str | None] = {}  # chunk id -> its section heading as a query would name it
        self._context: dict[tuple[str, ...], set[str]] = {}
        self._compound_lock = threading.Lock()
        self._doc_order = sorted(self.metas)  # row of each document in a filter's allow-list
        doc_index = {d: i for i, d in enumerate(self._doc_order)}
        self._doc_rows = np.array([doc_index.get(d, -1) for d in self.passages.doc_ids], dtype=np.int64)

    # -- cache ------------------------------------------------------------
    def _cache_root(self) -> Path:
        return self.settings.index_dir / "cache" / self.store.name

    def _cache_dir(self) -> Path:
        r = self.settings.retrieval
        return self._cache_root() / f"{self.version}-s{int(r.stemming)}c{int(r.compounds)}-l{CACHE_LAYOUT}"

    def _wants_compound_index(self) -> bool:
        r = self.settings.retrieval
        return r.compounds and r.weights.get("compound", 0.0) > 0

    def _load_or_build(self) -> None:
        path = self._cache_dir()
        if all((path / f).exists() for f in ("passages.jsonl", "rows.npy", "ids.tsv", "lexical")):
            try:
                self.passages = PassageTable.open(path)
                # a compound index saved by an earlier run stays on disk until a search asks for it
                self.lexical = LexicalIndex.load(path / "lexical", compound=self._wants_compound_index())
                if self.lexical.size != len(self.passages):
                    raise ValueError("lexical index and passages disagree")
                return
            except (OSError, ValueError, KeyError, EOFError):
                shutil.rmtree(path, ignore_errors=True)  # a damaged cache is rebuilt, never trusted
        self._build(path)

    def _build(self, path: Path) -> None:
        """Read the live passages from the store once: their JSON lines and the lexical index, streamed."""
        import io

        live = {d: e.meta.sha256 for d, e in self.manifest.items()}
        r = self.settings.retrieval
        builder = LexicalBuilder(stemming=r.stemming, compounds=r.compounds)
        lines = io.BytesIO()
        starts: list[int] = []
        ids: list[str] = []
        docs: list[str] = []
        row_flags: list[bool] = []
        for p, sha in self.store.iter_passages():
            if live.get(p.doc_id) != sha:
                continue
            starts.append(lines.tell())
            lines.write(p.model_dump_json().encode())
            lines.write(b"\n")
            ids.append(p.chunk_id)
            docs.append(p.doc_id)
            row_flags.append(p.table_row is not None)
            builder.add(self.index_text(p))
        ends = starts[1:] + [lines.tell()]
        order = sorted(range(len(ids)), key=ids.__getitem__)  # rows in chunk-id order: the same on every store
        spans = np.array([(starts[i], ends[i] - 1) for i in order], dtype=np.int64).reshape(len(order), 2)
        ids = [ids[i] for i in order]
        docs = [docs[i] for i in order]
        flags = [row_flags[i] for i in order]
        del starts, ends
        self.lexical = builder.finish(order, compound_index=self._wants_compound_index())
        tmp: Path | None = None
        try:
            # a name of its own: two processes building the same version must not mix their files
            self._cache_root().mkdir(parents=True, exist_ok=True)
            tmp = Path(tempfile.mkdtemp(prefix=f"{path.name}.building-", dir=self._cache_root()))
            (tmp / "passages.jsonl").write_bytes(lines.getbuffer())
            np.save(tmp / "rows.npy", spans)
            (tmp / "ids.tsv").write_text(
                "".join(f"{c}\t{d}\t{'row' if f else ''}\n" for c, d, f in zip(ids, docs, flags, strict=True)), "utf-8"
            )
            self.lexical.save(tmp / "lexical")
            shutil.rmtree(path, ignore_errors=True)
            tmp.rename(path)
            for old in self._cache_root().iterdir():  # drop caches of older manifest versions only
                if not old.name.startswith(f"{self.version}-"):
                    shutil.rmtree(old, ignore_errors=True)
            self.passages = PassageTable.open(path)
            return  # the mapped file replaces the buffer
        except (OSError, ValueError, EOFError):
            # a cache we cannot write (read-only or full disk), or one another process replaced
            # under us, only costs a rebuild next time: this process keeps its own copy
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
        self.passages = PassageTable(lines.getvalue(), spans, ids, docs, np.array(flags, dtype=bool))

    def index_text(self, p: Passage) -> str:
        """What the lexical side indexes for a passage (its document's title and headings included)."""
        return index_text(passage_text(p), p.heading_path, self.metas[p.doc_id].title)

    def _ensure_compound(self) -> None:
        """Load or build the compound-part index on first use (not while its weight is 0)."""
        lx = self.lexical
        if lx.compound is not None or not self.settings.retrieval.compounds or lx.splitter is None:
            return
        with self._compound_lock:  # the TUI searches from worker threads
            if lx.compound is not None:
                return
            saved = self._cache_dir() / "lexical"
            with contextlib.suppress(OSError, ValueError):
                if lx.load_compound(saved):
                    return
            lx.build_compound(self.index_text(p) for p in self.passages)
            if (saved / "info.json").exists():  # never recreate a cache another process removed
                with contextlib.suppress(OSError):
                    lx.save_compound(saved)

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

    def _dense_exact(self, vec, mask: np.ndarray | None, n: int) -> list[str]:
        """Exact cosine ranking over the rows ``mask`` allows (every row when None), their vectors cached."""
        key = mask.tobytes() if mask is not None else b"all"
        cached = self._subsets.get(key)
        if cached is None:
            rows = np.flatnonzero(mask) if mask is not None else np.arange(len(self.passages))
            ids = [self.chunk_ids[r] for r in rows]
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
        top = np.argsort(-sims, kind="stable")[:n]
        return [ids[i] for i in top]

    # -- search -------------------------------------------------------------
    def rankings(
        self,
        query: str,
        *,
        filters: Filters | None = None,
        candidates: int | None = None,
        retrievers: Iterable[str] = RETRIEVERS,
        rows: bool | None = None,
    ) -> dict[str, list[str]]:
        """Per-retriever ranked chunk ids (before fusion); ``rows``: table rows only."""
        n = candidates or self.settings.retrieval.candidates
        mask = self._mask(filters)
        if rows:  # table rows only: a small set, searched with a mask (exactly on the dense side)
            row_mask = self.passages.is_row.astype(np.float32)
            mask = row_mask if mask is None else mask * row_mask
        out: dict[str, list[str]] = {}
        for which in ("bm25", "compound"):
            if which in retrievers:
                if which == "compound":
                    self._ensure_compound()
                out[which] = [self.chunk_ids[r] for r, _ in self.lexical.search(query, n, which, mask)]
        if "dense" in retrievers and self.passages:
            vec = query_vector(self.embedder, query)
            if mask is None and len(self.passages) <= self.EXACT_DENSE_ROWS:
                # a small index is searched exactly: the approximate graph's last places vary between
                # processes (measured: a table row in or out of the top 50 by PYTHONHASHSEED), and a
                # draft must not change with them
                out["dense"] = self._dense_exact(vec, None, n)
                return out
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
        rows: bool | None = None,
        addressee: str | None = None,
    ) -> list[Hit]:
        """The best ``k`` passages for ``query``.

        ``rows=None`` (the default): text passages and table rows ranked together (the pipeline
        separates them, ``pipeline.table_rows_for``); ``rows=False``: text passages only;
        ``rows=True``: table rows only, for ``table_answer.compose_from_rows``.
        ``addressee`` (who the question is put to, from ``parse_question``) joins the own
        administration as an authority the source priors prefer.
        """
        k = k or self.settings.retrieval.top_k
        w = dict(weights if weights is not None else self.settings.retrieval.weights)
        if not self.settings.retrieval.compounds:
            w["compound"] = 0.0
        active = [name for name, x in w.items() if x > 0]
        r = self.settings.retrieval
        floor_at = r.candidates if r.rank_floor else None
        ranked = fuse(
            self.rankings(query, filters=filters, retrievers=active, rows=rows), w, r.rrf_k, floor_at=floor_at
        )
        if rows is False and self.passages.is_row.any():
            is_row = self.passages.is_row
            ranked = [x for x in ranked if not is_row[self.row_of[x[0]]]]
        if r.priors and ranked:
            ranked = apply_priors(ranked, self._prior_factors(ranked, addressee))
        if ranked:
            named = self._names_heading(query, ranked[: 3 * k + 10])
            if named:
                ranked = [
                    (cid, score, {**ranks, "heading": 1} if cid in named else ranks)
                    for cid, score, ranks in apply_priors(ranked, {cid: HEADING_BOOST for cid in named})
                ]
        collapse = r.collapse_duplicates
        hits: list[Hit] = []
        kept: list[tuple[frozenset[str], frozenset[str]]] = []
        profile = self.lexical.query_profile(query)
        # a few duplicates are expected (quoted questions, copied paragraphs); looking further than this
        # for distinct text would cost latency for little
        for cid, score, ranks in ranked[: 3 * k + 10] if collapse else ranked[:k]:
            p = self.passages[self.row_of[cid]]
            words = set(tokens(passage_text(p)))
            # a table row repeats part of its table's passage on purpose: rows are never collapsed,
            # and nothing collapses into a row (its signature is empty)
            if collapse:
                sig = text_signature(words) if p.table_row is None else (frozenset(), frozenset())
                same = None
                if p.table_row is None:
                    same = next((h for h, s in zip(hits, kept, strict=True) if adds_nothing(sig, s)), None)
                if same is not None:
                    same.duplicates.append(cid)
                    continue
                kept.append(sig)
            meta = self.metas[p.doc_id]
            # the words of index_text(): title and headings give the passage its context
            rel, matched = self.lexical.coverage(profile, words | self._context_words(meta.title, p.heading_path))
            hits.append(Hit(passage=p, meta=meta, score=score, relevance=rel, ranks=ranks, matched_terms=matched))
            if len(hits) >= k:
                break
        return hits

    def _names_heading(self, query: str, ranked) -> set[str]:
        """Candidates whose own section heading the query names word for word ("Hvad er Roskildes indsats
        Tidlig forebyggelse?" names the section "Tidlig forebyggelse"): a named scheme is that section."""
        q = " " + " ".join(re.findall(r"[\wæøå§-]+", query.lower())) + " "
        out: set[str] = set()
        is_row = self.passages.is_row
        for cid, _score, _ranks in ranked:
            i = self.row_of[cid]
            if is_row[i]:
                continue
            if cid not in self._heading_keys:  # a passage parsed once per process, not once per query
                path = self.passages[i].heading_path
                self._heading_keys[cid] = _heading_key(path[-1]) if path else None
            head = self._heading_keys[cid]
            if head and head in q:
                out.add(cid)
        return out

    def _prior_factors(self, ranked, addressee: str | None) -> dict[str, float]:
        r = self.settings.retrieval
        targets = list(r.own_authorities or [self.settings.draft.administration])
        if addressee:
            targets.append(addressee)
        cache: dict[str, float] = {}
        out: dict[str, float] = {}
        for cid, _score, _ranks in ranked:
            doc = self.passages.doc_ids[self.row_of[cid]]
            f = cache.get(doc)
            if f is None:
                f = cache[doc] = source_prior(self.metas[doc], r.kind_priors, targets, r.authority_prior)
            out[cid] = f
        return out

    def _row_positions(self, doc_id: str) -> list[int]:
        """Positions of one document's table-row passages (an index over all documents, built on first use)."""
        if self._rows_by_doc is None:
            by_doc: dict[str, list[int]] = {}
            for i in np.flatnonzero(self.passages.is_row):
                by_doc.setdefault(self.passages.doc_ids[i], []).append(int(i))
            self._rows_by_doc = by_doc
        return self._rows_by_doc.get(doc_id, [])

    def table_rows(self, doc_id: str, table_id: str) -> list[Passage]:
        """Every row passage of one table, in row order (the rows a figure answer may list)."""
        rows = [
            p
            for i in self._row_positions(doc_id)
            if (p := self.passages[i]).table_row is not None and p.table_row.table_id == table_id
        ]
        return sorted(rows, key=lambda p: p.table_row.row.index if p.table_row else 0)

    def next_passage(self, chunk_id: str, step: int = 1) -> Passage | None:
        """The text passage ``step`` places after (before, when negative) ``chunk_id`` in the same document
        (an earlier answer's "Svar:" after the passage that holds its question), or None."""
        i = self.row_of.get(chunk_id)
        docs, rows = self.passages.doc_ids, self.passages.is_row
        j = i + step if i is not None else -1
        if i is None or not 0 <= j < len(docs) or docs[j] != docs[i] or rows[j]:
            return None
        return self.passages[j]

    def doc_tables(self, doc_id: str) -> list[str]:
        """The ids of one document's tables, in the order their first rows stand."""
        out: list[str] = []
        for i in self._row_positions(doc_id):
            ctx = self.passages[i].table_row
            if ctx is not None and ctx.table_id not in out:
                out.append(ctx.table_id)
        return out

    def warm(self) -> None:
        """Pay the first search's start-up costs now (Chroma loads its vector index on the first query:
        about 1 s at 100k passages). The TUI calls this in the background while the officer types."""
        if self.passages:
            self.search("kommunen budget", 1)

    def _context_words(self, title: str, heading_path: list[str]) -> set[str]:
        key = (title, *heading_path)
        words = self._context.get(key)
        if words is None:
            if len(self._context) > 10_000:
                self._context.clear()
            words = self._context[key] = set(tokens("\n".join(key)))
        return words

    def stats(self) -> dict:
        return {
            "documents": len(self.metas),
            "passages": len(self.passages),
            "version": self.version,
            "collection": self.store.name,
            "location": self.store.location,
        }


def filters_to_json(filters: Filters | None) -> dict:
    """The filters that are set, as plain data (sets sorted)."""
    if filters is None:
        return {}
    out: dict = {}
    for name, value in vars(filters).items():
        if value:
            out[name] = (
                sorted(v.value if hasattr(v, "value") else v for v in value) if isinstance(value, set) else value
            )
    return out


def hits_to_json(
    hits: list[Hit],
    *,
    query: str = "",
    k: int | None = None,
    filters: Filters | None = None,
    index_version: str | None = None,
) -> str:
    """``assistant search --json``: a ``SearchResponse`` (schemas/search.schema.json)."""
    from .models import SearchResponse, SearchResult

    resp = SearchResponse(
        query=query,
        k=k if k is not None else len(hits),
        filters=filters_to_json(filters),
        index_version=str(index_version) if index_version is not None else None,
        results=[SearchResult.from_hit(i, h) for i, h in enumerate(hits, 1)],
    )
    return json.dumps(resp.model_dump(mode="json"), ensure_ascii=False, indent=2)
