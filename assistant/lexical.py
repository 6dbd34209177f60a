"""Lexical retrieval over passages with bm25s: Danish BM25 and a compound-part BM25.

Built from the live passages of the store, saved beside the index and reused
while the manifest version it was built for is current.
"""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .analysis import CompoundSplitter, analyze, query_tokens, stem, tokens


def index_text(passage_text: str, heading_path: Sequence[str], title: str = "") -> str:
    """What the lexical side indexes: title and headings give a passage its context."""
    return "\n".join([title, *heading_path, passage_text])


class LexicalIndex:
    """BM25 over Danish tokens (``bm25``) and over compound parts (``compound``)."""

    def __init__(self, *, stemming: bool = True, compounds: bool = True):
        self.stemming = stemming
        self.compounds = compounds
        self.bm25 = None
        self.compound = None
        self.splitter: CompoundSplitter | None = None
        self.size = 0
        self.df: Counter[str] = Counter()

    @staticmethod
    def _bm25(corpus_tokens: list[list[str]]):
        import bm25s

        r = bm25s.BM25(k1=1.2, b=0.75)
        r.index([t or [""] for t in corpus_tokens], show_progress=False)
        return r

    def build(self, texts: Sequence[str]) -> LexicalIndex:
        self.size = len(texts)
        if not texts:
            return self
        # Tokenize once; the stemmed and the compound corpora both derive from these tokens.
        # Every occurrence of a word points at one interned string: at 100k passages that is
        # tens of millions of references instead of as many separate strings.
        pool: dict[str, str] = {}
        toks = [[pool.setdefault(t, t) for t in tokens(text)] for text in texts]
        if self.stemming:
            stems = {t: pool.setdefault(stem(t), stem(t)) for t in list(pool)}
            corpus = [[stems[t] for t in ts] for ts in toks]
        else:
            corpus = toks
        self.df = Counter(tok for c in corpus for tok in set(c))
        self.bm25 = self._bm25(corpus)
        del corpus
        if self.compounds:
            self.splitter = CompoundSplitter.learn_tokens(toks)
            parts = self._parts_memo()
            self.compound = self._bm25([[p for t in ts for p in parts(t)] for ts in toks])
        return self

    def _parts_memo(self):
        """``token -> stemmed compound parts``, memoised per distinct token (as ``CompoundSplitter.analyze``)."""
        memo: dict[str, tuple[str, ...]] = {}
        split = self.splitter.split

        def parts(t: str) -> tuple[str, ...]:
            r = memo.get(t)
            if r is None:
                r = memo[t] = tuple(stem(p) for p in split(t)) if t.isalpha() else (stem(t),)
            return r

        return parts

    def _present(self, text: str) -> set[str]:
        """Every term of ``text`` on either lexical side (stems and stemmed compound parts)."""
        uniq = set(tokens(text))
        present = {stem(t) for t in uniq} if self.stemming else set(uniq)
        if self.splitter is not None:
            split = self.splitter.split
            for t in uniq:
                if t.isalpha():
                    present.update(stem(p) for p in split(t))
                else:
                    present.add(stem(t))
        return present

    def query_tokens(self, query: str, which: str = "bm25") -> list[str]:
        if which == "compound":
            return self.splitter.analyze(query, query=True) if self.splitter else []
        return analyze(query, stemming=self.stemming, query=True)

    def search(
        self, query: str, n: int, which: str = "bm25", mask: np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """(row, score) pairs, best first; rows with score 0 are dropped. ``mask`` is 1 for allowed rows."""
        retriever = self.bm25 if which == "bm25" else self.compound
        if retriever is None or self.size == 0:
            return []
        toks = self.query_tokens(query, which)
        vocab = retriever.vocab_dict
        toks = [t for t in toks if t in vocab]
        if not toks:
            return []
        k = min(n, self.size)
        kwargs = {"weight_mask": np.asarray(mask, dtype=np.float32)} if mask is not None else {}
        docs, scores = retriever.retrieve([toks], k=k, show_progress=False, n_threads=0, **kwargs)
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]

    def idf(self, token: str) -> float:
        return math.log(1 + (self.size + 1) / (self.df.get(token, 0) + 0.5))

    def query_profile(self, query: str) -> list[tuple[str, str, float, tuple[str, ...]]]:
        """The query side of ``coverage``, computed once per query: (word, stem, weight, stemmed parts)."""
        q = list(dict.fromkeys(query_tokens(query)))
        stems = {t: stem(t) if self.stemming else t for t in q}
        # words found in more than a fifth of all passages ("kommunen", "2025") say little about the
        # topic: they neither earn nor cost relevance, unless the question has nothing else
        common = 0.2 * self.size
        specific = [t for t in q if self.df.get(stems[t], 0) <= common] or q
        profile = []
        for t in specific:
            s = stems[t]
            w = self.idf(s) ** 2  # squared: the question's rarest words decide whether a passage is on topic
            if not t[0].isalpha():
                w *= 0.3  # a year or amount alone does not put a passage on topic
            parts = self.splitter.split(t) if self.splitter is not None and t.isalpha() else (t,)
            profile.append((t, s, w, tuple(stem(p) for p in parts) if len(parts) > 1 else ()))
        return profile

    def coverage(self, query: str | list, text: str) -> tuple[float, list[str]]:
        """Idf-weighted share of the query's terms present in ``text``, and which terms matched.

        ``query`` may be a ``query_profile`` already computed, to score many passages for one query.
        """
        profile = self.query_profile(query) if isinstance(query, str) else query
        if not profile:
            return 0.0, []
        present = self._present(text)
        total = got = 0.0
        matched = []
        for t, s, w, parts in profile:
            total += w
            if s in present:
                got += w
                matched.append(t)
            elif parts:
                share = sum(p in present for p in parts) / len(parts)
                got += w * share * 0.8
                if share:
                    matched.append(t)
            elif len(s) >= 5 and s.isalpha() and any(len(x) > len(s) and x.endswith(s) for x in present):
                # the question's word is the head of a compound in the passage: "cirkler" in "seniorcirklerne"
                got += w * 0.8
                matched.append(t)
        return (got / total if total else 0.0), matched

    # -- persistence --------------------------------------------------------
    def save(self, path: Path) -> None:
        tmp = path.with_name(path.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        info = {"stemming": self.stemming, "compounds": self.compounds, "size": self.size}
        if self.bm25 is not None:
            self.bm25.save(str(tmp / "bm25"), show_progress=False)
        if self.compound is not None:
            self.compound.save(str(tmp / "compound"), show_progress=False)
            (tmp / "vocab.json").write_text(json.dumps(sorted(self.splitter.vocab), ensure_ascii=False))
        (tmp / "info.json").write_text(json.dumps(info))
        (tmp / "df.json").write_text(json.dumps(self.df, ensure_ascii=False))
        shutil.rmtree(path, ignore_errors=True)
        tmp.rename(path)

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        import bm25s

        info = json.loads((path / "info.json").read_text())
        idx = cls(stemming=info["stemming"], compounds=info["compounds"])
        idx.size = info["size"]
        idx.df = Counter(json.loads((path / "df.json").read_text()))
        if (path / "bm25").exists():
            idx.bm25 = bm25s.BM25.load(str(path / "bm25"), show_progress=False, verbosity=0)
        if (path / "compound").exists():
            idx.compound = bm25s.BM25.load(str(path / "compound"), show_progress=False, verbosity=0)
            idx.splitter = CompoundSplitter(json.loads((path / "vocab.json").read_text()))
        return idx
