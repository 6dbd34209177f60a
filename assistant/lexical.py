"""Lexical retrieval over passages with bm25s: Danish BM25 and a compound-part BM25.

Built from the live passages of the store, saved beside the index and reused
while the manifest version it was built for is current.

The build streams: each passage is tokenized once into an array of 4-byte term
ids, so memory grows with the number of token occurrences times four bytes,
not with Python strings or lists. Document frequencies are read off the BM25
matrix itself (one column per term), not kept in a second table. The
compound-part index is only built when asked for (its fusion weight is 0 by
default); the compound splitter, which relevance scoring uses, is always learned.
"""

from __future__ import annotations

import bisect
import json
import math
import shutil
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .analysis import CompoundSplitter, analyze, query_tokens, stem, tokens, weak_words
from .thesaurus import load as thesaurus

# a question word found only as a thesaurus alternative counts this much of its weight (a compound
# part found counts 0.8): near the word itself, since the groups are kept tight
SYNONYM_WEIGHT = 0.8


def index_text(passage_text: str, heading_path: Sequence[str], title: str = "") -> str:
    """What the lexical side indexes: title and headings give a passage its context."""
    return "\n".join([title, *heading_path, passage_text])


class LexicalBuilder:
    """Collects passages one at a time; ``finish`` turns them into a ``LexicalIndex``.

    Keeps one ``array('i')`` of word ids per passage and one dict of distinct words.
    """

    def __init__(self, *, stemming: bool = True, compounds: bool = True):
        self.stemming = stemming
        self.compounds = compounds
        self.words: dict[str, int] = {}
        self.docs: list[array] = []

    def add(self, text: str) -> None:
        words = self.words
        self.docs.append(array("i", [words.setdefault(w, len(words)) for w in tokens(text)]))

    def finish(self, order: Sequence[int] | None = None, *, compound_index: bool = True) -> LexicalIndex:
        """The index over the passages added, in ``order`` (row i is the ``order[i]``-th added passage)."""
        docs = self.docs if order is None else [self.docs[i] for i in order]
        self.docs = []
        idx = LexicalIndex(stemming=self.stemming, compounds=self.compounds)
        idx.size = len(docs)
        if not docs:
            return idx
        words = list(self.words)  # by id
        self.words = {}
        # term ids of the stemmed (or plain) side; id 0 is the empty token bm25s scores empty passages with
        vocab: dict[str, int] = {"": 0}
        to_term = np.array(
            [vocab.setdefault(stem(w) if self.stemming else w, len(vocab)) for w in words], dtype=np.int32
        )
        idx.bm25 = LexicalIndex._bm25(_mapped(docs, to_term), vocab)
        if self.compounds:
            # how often each word occurs: the splitter knows words seen at least twice
            counts = np.bincount(np.frombuffer(b"".join(docs), dtype=np.int32), minlength=len(words))
            idx.splitter = CompoundSplitter.from_counts(zip(words, counts.tolist(), strict=True))
            if compound_index:
                idx._build_compound_from(docs, words)
        return idx


def _mapped(docs: list[array], to_id: np.ndarray) -> list[array]:
    """Word-id arrays mapped through ``to_id``; an empty passage gets the empty token (id 0)."""
    return [array("i", to_id[np.frombuffer(d, dtype=np.int32)].tobytes()) if len(d) else array("i", [0]) for d in docs]


class LexicalIndex:
    """BM25 over Danish tokens (``bm25``) and over compound parts (``compound``)."""

    def __init__(self, *, stemming: bool = True, compounds: bool = True):
        self.stemming = stemming
        self.compounds = compounds
        self.bm25 = None
        self.compound = None
        self.splitter: CompoundSplitter | None = None
        self.size = 0
        self._df: np.ndarray | None = None
        self._terms_memo: dict[str, tuple[str, ...]] = {}
        self._sorted_terms: list[str] | None = None  # the BM25 vocabulary sorted, for ``has_term_starting``

    @staticmethod
    def _bm25(corpus_ids: list[array], vocab: dict[str, int]):
        import bm25s

        r = bm25s.BM25(k1=1.2, b=0.75)
        r.index((corpus_ids, vocab), show_progress=False)
        return r

    def build(self, texts: Iterable[str], *, compound_index: bool = True) -> LexicalIndex:
        """Index ``texts`` (row i = the i-th text). Returns the built index (self is not changed)."""
        b = LexicalBuilder(stemming=self.stemming, compounds=self.compounds)
        for t in texts:
            b.add(t)
        return b.finish(compound_index=compound_index)

    # -- compound-part side ------------------------------------------------------------
    def _build_compound_from(self, docs: list[array], words: list[str]) -> None:
        split = self.splitter.split
        vocab: dict[str, int] = {"": 0}
        parts: list[tuple[int, ...]] = []
        for w in words:
            ps = (stem(p) for p in split(w)) if w.isalpha() else (stem(w),)
            parts.append(tuple(vocab.setdefault(p, len(vocab)) for p in ps))
        corpus = []
        for d in docs:
            ids = array("i")
            for i in d:
                ids.extend(parts[i])
            corpus.append(ids if len(ids) else array("i", [0]))
        self.compound = self._bm25(corpus, vocab)

    def build_compound(self, texts: Iterable[str]) -> None:
        """Build the compound-part index later, from the same texts in the same row order."""
        if not self.compounds or self.splitter is None or self.compound is not None:
            return
        b = LexicalBuilder(stemming=self.stemming, compounds=False)
        for t in texts:
            b.add(t)
        self._build_compound_from(b.docs, list(b.words))

    # -- search ---------------------------------------------------------------------------
    _TERMS_MEMO_MAX = 300_000  # distinct words remembered by ``_present`` (tens of MB at most)

    def _present(self, words: Iterable[str]) -> set[str]:
        """Every term of these words on either lexical side (stems and stemmed compound parts)."""
        memo = self._terms_memo
        if len(memo) > self._TERMS_MEMO_MAX:
            memo.clear()
        present: set[str] = set()
        for t in words:
            terms = memo.get(t)
            if terms is None:
                s = stem(t) if self.stemming else t
                if self.splitter is not None:
                    parts = {stem(p) for p in self.splitter.split(t)} if t.isalpha() else {stem(t)}
                    terms = tuple(parts | {s})
                else:
                    terms = (s,)
                memo[t] = terms
            present.update(terms)
        return present

    def query_tokens(self, query: str, which: str = "bm25") -> list[str]:
        if which == "compound":
            return self.splitter.analyze(query, query=True) if self.splitter else []
        toks = analyze(query, stemming=self.stemming, query=True)
        if not self.stemming:
            return toks
        # words the thesaurus groups with the question's words ("ophører" -> "udløber"), once each
        th = thesaurus()
        extra = {a for t in toks for a in th.query_alternatives(t)} | th.phrase_stems(query)
        return toks + sorted(extra - set(toks))

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
        weights = np.asarray(mask, dtype=np.float32) if mask is not None else None
        scores = retriever.get_scores(toks, weight_mask=weights)
        # only the passages holding a query word score above 0: selecting among those is what costs
        # nothing (bm25s's own top-k partitions all rows, 5 ms of a 6 ms query at 145k passages, the
        # zeros' ties making the partition slow); ties are broken by row, so a ranking never varies
        rows = np.flatnonzero(scores > 0)
        if len(rows) > n:
            kth = np.partition(scores[rows], len(rows) - n)[len(rows) - n]
            rows = rows[scores[rows] >= kth]
        order = np.lexsort((rows, -scores[rows]))[:n]
        return [(int(r), float(scores[r])) for r in rows[order]]

    def has_term_starting(self, prefix: str) -> bool:
        """Whether an indexed term (a stem when stemming) begins with ``prefix`` ("cities-" for
        "cities-initiativet"). The sorted vocabulary is built on first use."""
        if self.bm25 is None:
            return False
        if self._sorted_terms is None:
            self._sorted_terms = sorted(self.bm25.vocab_dict)
        i = bisect.bisect_left(self._sorted_terms, prefix)
        return i < len(self._sorted_terms) and self._sorted_terms[i].startswith(prefix)

    def df(self, term: str) -> int:
        """Passages that contain ``term`` (a stem when stemming): the length of its BM25 column."""
        if self.bm25 is None:
            return 0
        if self._df is None:
            self._df = np.diff(np.asarray(self.bm25.scores["indptr"]))
        i = self.bm25.vocab_dict.get(term)
        return int(self._df[i]) if i is not None and i < len(self._df) else 0

    def idf(self, token: str) -> float:
        return math.log(1 + (self.size + 1) / (self.df(token) + 0.5))

    def query_profile(self, query: str) -> list[tuple[str, str, float, tuple[str, ...]]]:
        """The query side of ``coverage``, computed once per query: (word, stem, weight, stemmed parts)."""
        q = list(dict.fromkeys(query_tokens(query)))
        stems = {t: stem(t) if self.stemming else t for t in q}
        for t in q:
            if self.stemming and t.isalpha() and self.df(stems[t]) == 0:
                # an inflected form the stemmer leaves apart from the indexed one ("årene" and "år")
                for suffix in ("erne", "ende", "ede", "ene", "en", "et", "er", "te", "e"):
                    base = t.removesuffix(suffix)
                    if base != t and len(base) >= 2 and self.df(stem(base)) > 0:
                        stems[t] = stem(base)
                        break
        # words found in more than a fifth of all passages ("kommunen", "2025") say little about the
        # topic: they neither earn nor cost relevance, unless the question has nothing else
        # (a third, not a fifth: table rows repeat their caption's words, so a small index with one
        # long table would otherwise call "bevillinger" common)
        common = 0.34 * self.size
        specific = [t for t in q if self.df(stems[t]) <= common] or q
        weak = weak_words(query)
        profile = []
        for t in specific:
            s = stems[t]
            w = self.idf(s) ** 2  # squared: the question's rarest words decide whether a passage is on topic
            if not t[0].isalpha():
                w *= 0.3  # a year or amount alone does not put a passage on topic
            elif t in weak:
                w *= 0.25  # a rare verb or adjective ("justere", "effektfulde") is how it is asked, not what about
            parts = self.splitter.split(t) if self.splitter is not None and t.isalpha() else (t,)
            if len(parts) < 2 and t.isalpha() and self.df(s) == 0:
                parts = self._split_unseen(t)
            profile.append((t, s, w, tuple(stem(p) for p in parts) if len(parts) > 1 else ()))
        return profile

    def _split_unseen(self, word: str) -> tuple[str, ...]:
        """A compound no passage has, split where both sides are indexed words ("demensområdet": "demens" and
        "området"). The splitter learns only words seen twice, so in a small corpus it misses these; a word no
        passage has would otherwise count against every passage at the highest weight."""
        best: tuple[str, ...] = (word,)
        best_len = 0
        for i in range(4, len(word) - 3):
            right = word[i:]
            for left in {word[:i], word[:i].removesuffix("s"), word[:i].removesuffix("e")}:
                if len(left) < 4 or min(len(left), len(right)) <= best_len:
                    continue
                if self.df(stem(left)) > 0 and self.df(stem(right)) > 0:
                    best, best_len = (left, right), min(len(left), len(right))
        return best

    def coverage(self, query: str | list, text: str | set[str]) -> tuple[float, list[str]]:
        """Idf-weighted share of the query's terms present in ``text``, and which terms matched.

        ``query`` may be a ``query_profile`` already computed, to score many passages for one query;
        ``text`` may be the set of its ``tokens`` already computed.
        """
        profile = self.query_profile(query) if isinstance(query, str) else query
        if not profile:
            return 0.0, []
        words = set(tokens(text)) if isinstance(text, str) else text
        present = self._present(words)
        if isinstance(text, str):
            # a phrase the thesaurus groups with a word ("består af" with "sammensat") stands for its group
            present |= thesaurus().phrase_stems(text)
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
            elif (
                (len(s) >= 5 and s.isalpha() and any(len(x) > len(s) and x.endswith(s) for x in present))
                or (len(t) >= 5 and t.isalpha() and any(len(x) > len(t) + 2 and x.endswith(t) for x in words))
                # the first part of a hyphenated compound: "sosu" in "sosu-hjælpere"
                or (len(t) >= 3 and t.isalpha() and any(x.startswith(t + "-") for x in words))
            ):
                # the question's word is the head of a compound in the passage: "cirkler" in "seniorcirklerne";
                # a short stem by its whole word form: "rådet" in "ældrerådet"
                got += w * 0.8
                matched.append(t)
            elif not thesaurus().alternatives(s).isdisjoint(present) or not thesaurus().alternative_forms(s).isdisjoint(
                words
            ):
                # a word the thesaurus groups with it: "sygehus" in the question, "hospital" in the passage
                got += w * SYNONYM_WEIGHT
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
        if self.splitter is not None:
            (tmp / "vocab.json").write_text(json.dumps(sorted(self.splitter.vocab), ensure_ascii=False))
        (tmp / "info.json").write_text(json.dumps(info))
        shutil.rmtree(path, ignore_errors=True)
        tmp.rename(path)

    def save_compound(self, path: Path) -> None:
        """Add a compound index built later to a saved index directory."""
        if self.compound is None:
            return
        import tempfile

        tmp = Path(tempfile.mkdtemp(prefix="compound.tmp-", dir=path))  # own name: processes may race here
        try:
            self.compound.save(str(tmp), show_progress=False)
            shutil.rmtree(path / "compound", ignore_errors=True)
            tmp.rename(path / "compound")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def load_compound(self, path: Path) -> bool:
        """Load a compound index saved beside this one; False when there is none."""
        import bm25s

        if not (path / "compound" / "params.index.json").exists():
            return False
        compound = bm25s.BM25.load(str(path / "compound"), show_progress=False, verbosity=0)
        if int(compound.scores.get("num_docs") or 0) != self.size:
            raise ValueError(f"{path / 'compound'} does not match the index ({self.size} passages)")
        self.compound = compound
        return True

    @classmethod
    def load(cls, path: Path, *, compound: bool = True) -> LexicalIndex:
        """A saved index; with ``compound=False`` a saved compound index stays on disk (``load_compound``)."""
        import bm25s

        info = json.loads((path / "info.json").read_text())
        idx = cls(stemming=info["stemming"], compounds=info["compounds"])
        idx.size = info["size"]
        if (path / "bm25").exists():
            idx.bm25 = bm25s.BM25.load(str(path / "bm25"), show_progress=False, verbosity=0)
        if (path / "vocab.json").exists():
            idx.splitter = CompoundSplitter(json.loads((path / "vocab.json").read_text()))
        if compound:
            idx.load_compound(path)
        return idx
