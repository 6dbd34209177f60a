"""Evaluation harness: gold sets -> retrieval, draft, citation and abstention metrics -> gate.

``assistant evals`` (see ``cli.cmd_evals``) calls :func:`main`. The pieces:

* **gold sets** (``evals/gold/*.jsonl``, schema in ``evals/README.md``) are loaded
  and validated by :func:`load_gold`; long texts of the public documents are not
  committed but pointed at (``question_ref`` / ``gold_answer_ref``) and resolved
  at run time by :func:`resolve_ref`.
* each set's corpus is indexed once (a cache under ``.assistant/evals-cache``
  keyed by the vector-shaping settings; ingest is incremental, so an unchanged
  corpus costs nothing the second time);
* every question is searched by the full system and by the baselines
  (:data:`SYSTEMS`), honouring its leave-one-out ``exclude``; the full system
  also drafts an answer, which is scored for facts, similarity with a real
  answer, citations, sub-question coverage and abstention;
* metrics are aggregated per set (``"<set>.<metric>"``), printed as a table,
  written as JSON / Markdown with plots, and checked against
  ``evals/thresholds.toml``.

The metric functions at the top are pure and unit-tested by hand-computed values.
ragas is used for the non-LLM context precision/recall, ROUGE-L and string
similarity (imported lazily: it takes seconds to import), and, behind a flag in
``evals/config.toml`` with a token/cost cap, for the LLM-judged metrics.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
import tomllib
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOLD_DIR = REPO / "evals" / "gold"
THRESHOLDS_FILE = REPO / "evals" / "thresholds.toml"
CONFIG_FILE = REPO / "evals" / "config.toml"
CACHE_DIR = REPO / ".assistant" / "evals-cache"

RETRIEVAL_K = 10  # ranks considered for hit@k and MRR
CONTEXT_K = 5  # passages treated as "the retrieved context" for fact/passage recall and ragas

# name -> (settings changes, fusion weights). ``None`` weights: the configured ones.
SYSTEMS: dict[str, tuple[dict[str, Any], dict[str, float] | None]] = {
    "bm25-nostem": ({"stemming": False}, {"bm25": 1.0, "compound": 0.0, "dense": 0.0}),
    "bm25": ({}, {"bm25": 1.0, "compound": 0.0, "dense": 0.0}),
    "dense-only": ({}, {"bm25": 0.0, "compound": 0.0, "dense": 1.0}),
    "hybrid-no-compound": ({}, None),  # configured weights with compound switched off (filled in at run time)
    "full": ({}, None),
}
BASELINES = tuple(n for n in SYSTEMS if n != "full")

RETRIEVAL_METRICS = (
    "hit_at_1",
    "hit_at_3",
    "hit_at_5",
    "mrr",
    "fact_recall_at_5",
    "passage_recall_at_5",
    "context_precision",
    "context_recall",
)
DRAFT_METRICS = (
    "answer_fact_recall",
    "rouge_l",
    "string_similarity",
    "citation_validity",
    "numbers_verified_rate",
    "verified_rate",
    "uncited_rate",
    "uncited_per_draft",
    "subq_coverage",
    "subq_split_correct",
    "correct_refusal_rate",
    "false_refusal_rate",
    "latency_retrieval_ms_mean",
    "latency_draft_ms_mean",
    "latency_draft_ms_p95",
)


# =====================================================================================
# gold sets
# =====================================================================================


class GoldError(ValueError):
    """A gold file is malformed; the message names the file and line."""


@dataclass
class GoldItem:
    id: str
    question: str | None
    asker: str | None
    date: str | None
    gold_answer: str | None
    gold_docs: list[str]
    gold_passages: list[str]
    must_have: list[str]
    answerable: bool
    exclude: list[str]
    sub_questions: list[str]
    corpus: str
    question_ref: dict[str, str] | None = None
    gold_answer_ref: dict[str, str] | None = None
    origin: str = ""  # "file:line"


_STR_LIST = "list[str]"
_FIELDS: dict[str, tuple[str, bool]] = {  # name -> (type, required)
    "id": ("str", True),
    "question": ("str?", True),
    "asker": ("str?", False),
    "date": ("str?", False),
    "gold_answer": ("str?", False),
    "gold_docs": (_STR_LIST, True),
    "gold_passages": (_STR_LIST, False),
    "must_have": (_STR_LIST, False),
    "answerable": ("bool", True),
    "exclude": (_STR_LIST, False),
    "sub_questions": (_STR_LIST, False),
    "corpus": ("str", True),
    "question_ref": ("ref?", False),
    "gold_answer_ref": ("ref?", False),
}
CORPORA = ("shared", "sample")


def _check_type(value: Any, kind: str) -> bool:
    if kind.endswith("?") and value is None:
        return True
    kind = kind.rstrip("?")
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == _STR_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "ref":
        return (
            isinstance(value, dict)
            and set(value) == {"file", "start", "end"}
            and all(isinstance(v, str) and v.strip() for v in value.values())
        )
    raise AssertionError(kind)


def load_gold(path: Path | str) -> list[GoldItem]:
    """Read and validate one JSONL gold set. Raises :class:`GoldError` naming ``file:line``."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise GoldError(f"{path}: cannot read gold set ({e.strerror or e})") from None
    items: list[GoldItem] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as e:
            raise GoldError(f"{where}: not valid JSON ({e.msg})") from None
        if not isinstance(data, dict):
            raise GoldError(f"{where}: expected a JSON object")
        unknown = sorted(set(data) - set(_FIELDS))
        if unknown:
            raise GoldError(f"{where}: unknown field(s) {', '.join(unknown)}")
        for name, (kind, required) in _FIELDS.items():
            if name not in data:
                if required:
                    raise GoldError(f"{where}: missing field {name!r}")
                continue
            if not _check_type(data[name], kind):
                want = kind.rstrip("?") + (" or null" if kind.endswith("?") else "")
                if kind.startswith("ref"):
                    want = '{"file", "start", "end"} (non-empty strings)' + (" or null" if kind.endswith("?") else "")
                raise GoldError(f"{where}: field {name!r} must be {want}")
        if data["question"] is None and not data.get("question_ref"):
            raise GoldError(f"{where}: 'question' is null and there is no 'question_ref'")
        if data["corpus"] not in CORPORA:
            raise GoldError(f"{where}: corpus must be one of {', '.join(CORPORA)}, not {data['corpus']!r}")
        if not data["answerable"] and data["gold_docs"]:
            raise GoldError(f"{where}: an unanswerable item has no gold_docs")
        if data["answerable"] and not data["gold_docs"]:
            raise GoldError(f"{where}: an answerable item needs gold_docs")
        if data["id"] in seen:
            raise GoldError(f"{where}: duplicate id {data['id']!r} (first on line {seen[data['id']]})")
        seen[data["id"]] = n
        items.append(
            GoldItem(
                id=data["id"],
                question=data["question"],
                asker=data.get("asker"),
                date=data.get("date"),
                gold_answer=data.get("gold_answer"),
                gold_docs=list(data["gold_docs"]),
                gold_passages=list(data.get("gold_passages") or []),
                must_have=list(data.get("must_have") or []),
                answerable=data["answerable"],
                exclude=list(data.get("exclude") or []),
                sub_questions=list(data.get("sub_questions") or []),
                corpus=data["corpus"],
                question_ref=data.get("question_ref"),
                gold_answer_ref=data.get("gold_answer_ref"),
                origin=where,
            )
        )
    if not items:
        raise GoldError(f"{path}: no gold items")
    return items


def collapse(text: str) -> str:
    """All whitespace runs to one space."""
    return " ".join(text.split())


_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")


def dehyphenate(text: str) -> str:
    """Rejoin words hyphenated across a line break ("ta-\\n\\nbel" -> "tabel")."""
    return _HYPHEN_BREAK.sub(r"\1\2", text)


def resolve_ref(ref: Mapping[str, str], dirs: Sequence[Path]) -> str:
    """The text of ``ref["file"]`` from the first ``start`` to the following ``end`` (inclusive).

    Whitespace is collapsed; when the markers are not found as written, the text
    is tried again with hyphenated line breaks rejoined. Raises :class:`GoldError`.
    """
    name = ref["file"]
    path = next((d / name for d in dirs if (d / name).is_file()), None)
    if path is None:
        raise GoldError(f"reference to {name}: file not found in {', '.join(str(d) for d in dirs)}")
    raw = path.read_text(encoding="utf-8", errors="replace")
    start, end = collapse(ref["start"]), collapse(ref["end"])
    for text in (collapse(raw), collapse(dehyphenate(raw))):
        i = text.find(start)
        if i < 0:
            continue
        j = text.find(end, i)
        if j < 0:
            continue
        return text[i : j + len(end)]
    raise GoldError(f"reference to {name}: {ref['start']!r} ... {ref['end']!r} not found")


def resolve_item(item: GoldItem, dirs: Sequence[Path]) -> GoldItem:
    """A copy with ``question`` / ``gold_answer`` filled from their refs."""
    changes: dict[str, Any] = {}
    try:
        if item.question_ref:
            changes["question"] = resolve_ref(item.question_ref, dirs)
        if item.gold_answer_ref:
            changes["gold_answer"] = resolve_ref(item.gold_answer_ref, dirs)
    except GoldError as e:
        raise GoldError(f"{item.origin}: {e}") from None
    if not changes:
        return item
    from dataclasses import replace

    return replace(item, **changes)


def corpus_dirs(corpus: str, repo: Path = REPO) -> list[Path]:
    if corpus == "shared":
        shared = repo.parent / "shared"
        return [shared / "seeds", shared / "corpus-extra"]
    return [repo / "corpus"]


def corpus_files(corpus: str, repo: Path = REPO) -> list[Path] | None:
    """The files to index for a corpus, or None when its directories are absent."""
    dirs = corpus_dirs(corpus, repo)
    if not all(d.is_dir() for d in dirs):
        return None
    if corpus == "sample":  # top level only: corpus/questions/ holds questions, not sources
        return sorted(p for p in dirs[0].iterdir() if p.is_file())
    return dirs


# =====================================================================================
# metric functions (pure)
# =====================================================================================


def first_gold_rank(ranked_files: Sequence[str], gold_docs: Iterable[str]) -> int | None:
    """1-based rank of the first passage from a gold document; None when none is ranked."""
    gold = set(gold_docs)
    for i, name in enumerate(ranked_files, start=1):
        if name in gold:
            return i
    return None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def fact_found(fact: str, text: str) -> bool:
    """Case-insensitive, whitespace-collapsed substring match; numeric facts also under Danish normalisation."""
    from .cite import extract_quantities, quantity_supported

    f, flat = collapse(fact).lower(), collapse(text).lower()
    qs = extract_quantities(fact)
    residue = fact
    for q in qs:
        residue = residue.replace(q.raw, " ")
    numeric = bool(qs) and not re.search(r"[A-Za-zÆØÅæøå]{4,}", residue)
    if not numeric:
        return f in flat
    # a number must not match inside a longer one ("87" is not in "187" or "87,5")
    if re.search(r"(?<![\d.,])" + re.escape(f) + r"(?!\d|[.,]\d)", flat):
        return True
    # the same amount in another form: "54,0 mio. kr." is stated by "54.044 t.kr."
    return all(quantity_supported(q, collapse(text)) for q in qs)


def fact_recall(facts: Sequence[str], texts: Sequence[str]) -> float | None:
    """Share of ``facts`` found in the concatenation of ``texts``; None without facts."""
    if not facts:
        return None
    joined = "\n".join(texts)
    return sum(fact_found(f, joined) for f in facts) / len(facts)


def passage_found(gold: str, text: str) -> bool:
    """Case-sensitive; whitespace-collapsed, with or without rejoined hyphenation."""
    g = collapse(gold)
    return g in collapse(text) or g in collapse(dehyphenate(text))


def passage_recall(gold_passages: Sequence[str], texts: Sequence[str]) -> float | None:
    if not gold_passages:
        return None
    return sum(any(passage_found(g, t) for t in texts) for g in gold_passages) / len(gold_passages)


def refused(answered: Sequence[bool]) -> bool:
    """A draft refuses when no sub-answer is answered."""
    return not any(answered)


def abstention_counts(records: Iterable[tuple[bool, bool]]) -> dict[str, float | int | None]:
    """From (answerable, refused) pairs: correct refusals on unanswerable, false refusals on answerable."""
    unans = ans = correct = false = 0
    for answerable, did_refuse in records:
        if answerable:
            ans += 1
            false += int(did_refuse)
        else:
            unans += 1
            correct += int(did_refuse)
    return {
        "unanswerable": unans,
        "answerable": ans,
        "correct_refusals": correct,
        "false_refusals": false,
        "correct_refusal_rate": correct / unans if unans else None,
        "false_refusal_rate": false / ans if ans else None,
    }


def subq_coverage(expected: Sequence[str], drafted: Sequence[str]) -> float:
    """Share of expected sub-questions that some drafted sub-question covers (>= half of its content stems)."""
    from .analysis import analyze

    if not expected:
        return 1.0 if drafted else 0.0
    dsets = [set(analyze(d)) for d in drafted]
    covered = 0
    for e in expected:
        terms = set(analyze(e))
        if not terms:
            continue
        if any(len(terms & d) / len(terms) >= 0.5 for d in dsets):
            covered += 1
    return covered / len(expected)


def mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return sum(vals) / len(vals) if vals else None


def ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0-100)."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


# =====================================================================================
# thresholds and the gate
# =====================================================================================


def load_thresholds(path: Path | str = THRESHOLDS_FILE) -> dict[str, dict[str, float]]:
    """``{"sample.hit_at_5": {"min": 0.9}, ...}`` from ``[<set>.min]`` / ``[<set>.max]`` tables."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise GoldError(f"{path}: not valid TOML ({e})") from None
    out: dict[str, dict[str, float]] = {}
    for scope, table in data.items():
        if not isinstance(table, dict):
            raise GoldError(f"{path}: top-level key {scope!r} must be a table like [{scope}.min]")
        for bound, metrics in table.items():
            if bound not in ("min", "max") or not isinstance(metrics, dict):
                raise GoldError(f"{path}: [{scope}.{bound}] must be [{scope}.min] or [{scope}.max]")
            for metric, value in metrics.items():
                if not isinstance(value, int | float):
                    raise GoldError(f"{path}: {scope}.{bound}.{metric} must be a number")
                out.setdefault(f"{scope}.{metric}", {})[bound] = float(value)
    return out


def check_gate(
    metrics: Mapping[str, float | None], thresholds: Mapping[str, Mapping[str, float]], skipped: Iterable[str] = ()
) -> list[str]:
    """Failures as readable lines; a metric missing from a set that ran is a failure too."""
    skip = set(skipped)
    failures = []
    for name, bounds in sorted(thresholds.items()):
        scope = name.split(".", 1)[0]
        if scope in skip:
            continue
        value = metrics.get(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            failures.append(f"{name}: no value (threshold {bounds})")
            continue
        if "min" in bounds and value < bounds["min"]:
            failures.append(f"{name} = {value:.3f} is below the minimum {bounds['min']:.3f}")
        if "max" in bounds and value > bounds["max"]:
            failures.append(f"{name} = {value:.3f} is above the maximum {bounds['max']:.3f}")
    return failures


# =====================================================================================
# ragas wrappers
# =====================================================================================


class RagasScores:
    """The non-LLM ragas metrics, imported on first use (ragas takes seconds to import)."""

    def __init__(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ragas import SingleTurnSample
            from ragas.metrics import (
                NonLLMContextPrecisionWithReference,
                NonLLMContextRecall,
                NonLLMStringSimilarity,
                RougeScore,
            )
        self._sample = SingleTurnSample
        self._precision = NonLLMContextPrecisionWithReference()
        self._recall = NonLLMContextRecall()
        self._rouge = RougeScore(rouge_type="rougeL", mode="fmeasure")
        self._similarity = NonLLMStringSimilarity()

    def context(self, retrieved: list[str], reference: list[str]) -> tuple[float | None, float | None]:
        if not retrieved or not reference:
            return None, None
        s = self._sample(retrieved_contexts=retrieved, reference_contexts=reference)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(self._precision.single_turn_score(s)), float(self._recall.single_turn_score(s))

    def answer(self, response: str, reference: str) -> tuple[float | None, float | None]:
        if not response.strip() or not reference.strip():
            return None, None
        s = self._sample(response=response, reference=reference)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(self._rouge.single_turn_score(s)), float(self._similarity.single_turn_score(s))


# =====================================================================================
# LLM-judged metrics (optional, capped)
# =====================================================================================

LLM_METRICS = ("faithfulness", "answer_relevancy", "factual_correctness")


@dataclass
class TokenBudget:
    """Counts prompt+completion tokens (and cost where known) of judge calls; the run stops when exceeded."""

    max_tokens: int
    max_cost: float | None = None
    tokens: int = 0
    cost: float = 0.0
    calls: int = 0

    def add(self, prompt_tokens: int, completion_tokens: int, cost: float = 0.0) -> None:
        self.tokens += int(prompt_tokens or 0) + int(completion_tokens or 0)
        self.cost += float(cost or 0.0)
        self.calls += 1

    @property
    def exhausted(self) -> bool:
        return self.tokens >= self.max_tokens or (self.max_cost is not None and self.cost >= self.max_cost)


# judge(sample) -> {metric: value}; sample has question, answer, contexts, reference; it reports usage to the budget
Judge = Callable[[dict[str, Any]], Mapping[str, float | None]]


def run_llm_metrics(samples: Sequence[dict[str, Any]], judge: Judge, budget: TokenBudget) -> dict[str, Any]:
    """Score ``samples`` with ``judge`` until done or the budget is spent; NaNs are counted, not averaged."""
    per: dict[str, dict[str, float | None]] = {}
    nans = dict.fromkeys(LLM_METRICS, 0)
    errors: list[str] = []
    stopped = False
    for s in samples:
        if budget.exhausted:
            stopped = True
            break
        try:
            scores = dict(judge(s))
        except Exception as e:  # a failing judge call costs one question, not the run
            errors.append(f"{s.get('id')}: {type(e).__name__}: {e}")
            scores = {}
        row: dict[str, float | None] = {}
        for m in LLM_METRICS:
            v = scores.get(m)
            if v is None or (isinstance(v, float) and math.isnan(v)):
                nans[m] += 1
                row[m] = None
            else:
                row[m] = float(v)
        per[s["id"]] = row
    means = {m: mean(r[m] for r in per.values()) for m in LLM_METRICS}
    return {
        "scored": len(per),
        "requested": len(samples),
        "stopped_by_budget": stopped,
        "tokens": budget.tokens,
        "cost": round(budget.cost, 4),
        "nan": nans,
        "errors": errors,
        "means": means,
        "per_question": per,
    }


class RagasLLMJudge:
    """Faithfulness, answer relevancy and factual correctness through ragas with the litellm settings."""

    def __init__(self, settings, budget: TokenBudget):  # pragma: no cover - needs a live model
        import asyncio

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ragas.embeddings.base import BaseRagasEmbedding
            from ragas.llms import llm_factory
            from ragas.metrics.collections import AnswerRelevancy, FactualCorrectness, Faithfulness

        from .embed import make_embedder

        self.budget = budget
        self._loop = asyncio.new_event_loop()

        from .llm import judge_completion

        completion = judge_completion(settings, budget.add)  # the one litellm seam: redaction and usage
        s = settings.llm
        extra = {"temperature": 0.0}
        if s.api_base:
            extra["api_base"] = s.api_base
        if s.api_key:
            extra["api_key"] = s.api_key.get_secret_value()
        if s.api_version:
            extra["api_version"] = s.api_version
        llm = llm_factory(s.model, provider="litellm", client=completion, **extra)
        embedder = make_embedder(settings)

        class _Emb(BaseRagasEmbedding):
            def embed_text(self, text, **kw):
                return list(map(float, embedder.embed([text])[0]))

            async def aembed_text(self, text, **kw):
                return self.embed_text(text)

            def embed_texts(self, texts, **kw):
                return [list(map(float, v)) for v in embedder.embed(list(texts))]

            async def aembed_texts(self, texts, **kw):
                return self.embed_texts(texts)

        self._faith = Faithfulness(llm=llm)
        self._rel = AnswerRelevancy(llm=llm, embeddings=_Emb())
        self._fact = FactualCorrectness(llm=llm)

    def __call__(self, sample: dict[str, Any]) -> dict[str, float | None]:  # pragma: no cover - needs a live model
        run = self._loop.run_until_complete
        out: dict[str, float | None] = {}
        out["faithfulness"] = run(
            self._faith.ascore(
                user_input=sample["question"], response=sample["answer"], retrieved_contexts=sample["contexts"]
            )
        ).value
        if self.budget.exhausted:
            return out
        out["answer_relevancy"] = run(self._rel.ascore(user_input=sample["question"], response=sample["answer"])).value
        if sample.get("reference") and not self.budget.exhausted:
            out["factual_correctness"] = run(
                self._fact.ascore(response=sample["answer"], reference=sample["reference"])
            ).value
        return out


def load_eval_config(path: Path = CONFIG_FILE) -> dict[str, Any]:
    """``evals/config.toml`` plus ``ASSISTANT_EVALS_LLM=1`` to switch the LLM metrics on."""
    cfg: dict[str, Any] = {"llm": {"enabled": False, "max_tokens": 200_000, "max_cost_usd": 5.0, "max_questions": 0}}
    if path.exists():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for k, v in data.items():
            if isinstance(v, dict):
                cfg.setdefault(k, {}).update(v)
            else:
                cfg[k] = v
    env = os.environ.get("ASSISTANT_EVALS_LLM")
    if env is not None:
        cfg["llm"]["enabled"] = env.strip().lower() in ("1", "true", "yes", "on")
    return cfg


# =====================================================================================
# running a set
# =====================================================================================


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _system_weights(settings, name: str) -> dict[str, float]:
    changes, w = SYSTEMS[name]
    if w is not None:
        return dict(w)
    w = dict(settings.retrieval.weights)
    if name == "hybrid-no-compound":
        w["compound"] = 0.0
    return w


def build_index(corpus: str, files: list[Path], settings, cache_root: Path):
    """Ingest ``files`` into a cached index for ``corpus``; returns (eval settings, ingest report)."""
    from .ingest import ingest

    index_dir = Path(cache_root) / f"{corpus}-{settings.vector_key()}"
    s = settings.model_copy(update={"index_dir": index_dir}, deep=True)
    rep = ingest(files, s, prune=True)
    for path, reason in rep.failed:
        _log(f"evals: {corpus}: could not index {path}: {reason}")
    return s, rep


def make_searchers(settings, systems: Sequence[str]) -> dict[str, Any]:
    """One Searcher per distinct lexical configuration, sharing the store and embedder."""
    from .retrieve import Searcher

    base = Searcher(settings)
    out = {}
    for name in systems:
        changes = SYSTEMS[name][0]
        if not changes:
            out[name] = base
            continue
        s = settings.model_copy(deep=True)
        for k, v in changes.items():
            setattr(s.retrieval, k, v)
        out[name] = Searcher(s, store=base.store, embedder=base.embedder)
    return out


def _file_of(hit) -> str:
    return Path(hit.meta.source_path).name


def reference_contexts(item: GoldItem, passages, metas) -> list[str]:
    """Indexed passages (from gold documents, not excluded) that contain a gold passage; else the strings."""
    out: list[str] = []
    gold = set(item.gold_docs) - set(item.exclude)
    docs = {d for d, m in metas.items() if Path(m.source_path).name in gold}
    doc_ids = getattr(passages, "doc_ids", None)  # a PassageTable: parse only the gold documents' rows
    texts = (
        [passages[i].text for i, d in enumerate(doc_ids) if d in docs]
        if doc_ids is not None
        else [p.text for p in passages if p.doc_id in docs]
    )
    for g in item.gold_passages:
        found = [t for t in texts if passage_found(g, t) and t not in out]
        out.extend(found[:1] or [g])
    return out


def eval_retrieval(item: GoldItem, query: str, searcher, weights, ragas: RagasScores | None) -> dict[str, Any]:
    from .retrieve import Filters

    filters = Filters(exclude_sources=set(item.exclude))
    t0 = time.perf_counter()
    hits = searcher.search(query, RETRIEVAL_K, filters=filters, weights=weights)
    ms = (time.perf_counter() - t0) * 1000
    files = [_file_of(h) for h in hits]
    texts = [h.passage.text for h in hits[:CONTEXT_K]]
    leaked = sorted(set(files) & set(item.exclude))
    row: dict[str, Any] = {"top_docs": files[:CONTEXT_K], "ms": round(ms, 2)}
    if leaked:
        row["leaked_excluded"] = leaked
    if item.answerable:
        rank = first_gold_rank(files, item.gold_docs)
        row.update(
            rank=rank,
            hit_at_1=hit_at(rank, 1),
            hit_at_3=hit_at(rank, 3),
            hit_at_5=hit_at(rank, 5),
            mrr=reciprocal_rank(rank),
            fact_recall_at_5=fact_recall(item.must_have, texts),
            passage_recall_at_5=passage_recall(item.gold_passages, texts),
        )
        if ragas is not None and item.gold_passages:
            refs = reference_contexts(item, searcher.passages, searcher.metas)
            p, r = ragas.context(texts, refs)
            row.update(context_precision=p, context_recall=r)
    return row


def eval_draft(item: GoldItem, searcher, settings, ragas: RagasScores | None) -> tuple[dict[str, Any], Any]:
    from .cite import summary
    from .pipeline import answer_question, prepare_question
    from .retrieve import Filters

    q = prepare_question(item.question or "", settings).question
    t0 = time.perf_counter()
    draft = answer_question(q, searcher, settings, drafter="auto", filters=Filters(exclude_sources=set(item.exclude)))
    ms = (time.perf_counter() - t0) * 1000
    sm = summary(draft)
    answered = [a.answered for a in draft.sub_answers]
    text = " ".join(s.text for a in draft.sub_answers if a.answered for s in a.sentences)
    n_expected = max(1, len(item.sub_questions))
    row: dict[str, Any] = {
        "ms": round(ms, 1),
        "drafter": draft.drafter,
        "sub_answers": len(draft.sub_answers),
        "answered": answered,
        "refused": refused(answered),
        "subq_expected": n_expected,
        "subq_split_correct": float(len(draft.sub_answers) == n_expected),
        "subq_coverage": subq_coverage(item.sub_questions, [a.sub_question.text for a in draft.sub_answers])
        if item.sub_questions
        else float(bool(draft.sub_answers)),
        "summary": sm,
        "text": text,
    }
    if item.answerable:
        row["answer_fact_recall"] = fact_recall(item.must_have, [text])
        row["missing_facts"] = [f for f in item.must_have if not fact_found(f, text)]
        if item.gold_answer and ragas is not None:
            full = " ".join(s.text for s in draft.sentences())
            row["rouge_l"], row["string_similarity"] = ragas.answer(full, item.gold_answer)
    return row, draft


def aggregate_retrieval(rows: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    scored = [r for r in rows if "rank" in r]
    return {m: mean(r.get(m) for r in scored) for m in RETRIEVAL_METRICS}


def aggregate_draft(items: Sequence[GoldItem], rows: Sequence[Mapping[str, Any]], latency_retrieval: Sequence[float]):
    sums: dict[str, int] = {}
    for r in rows:
        for k, v in r["summary"].items():
            sums[k] = sums.get(k, 0) + v
    claims = sums.get("verified", 0) + sums.get("unverified", 0) + sums.get("uncited", 0)
    ab = abstention_counts((it.answerable, r["refused"]) for it, r in zip(items, rows, strict=True))
    draft_ms = [r["ms"] for r in rows]
    metrics = {
        "answer_fact_recall": mean(r.get("answer_fact_recall") for r in rows),
        "rouge_l": mean(r.get("rouge_l") for r in rows),
        "string_similarity": mean(r.get("string_similarity") for r in rows),
        "citation_validity": ratio(sums.get("citations", 0) - sums.get("invalid_keys", 0), sums.get("citations", 0)),
        "numbers_verified_rate": ratio(sums.get("numbers_verified", 0), sums.get("numbers_stated", 0)),
        "verified_rate": ratio(sums.get("verified", 0), claims),
        "uncited_rate": ratio(sums.get("uncited", 0), claims),
        "uncited_per_draft": ratio(sums.get("uncited", 0), len(rows)),
        "subq_coverage": mean(r["subq_coverage"] for r in rows),
        "subq_split_correct": mean(r["subq_split_correct"] for r in rows),
        "correct_refusal_rate": ab["correct_refusal_rate"],
        "false_refusal_rate": ab["false_refusal_rate"],
        "latency_retrieval_ms_mean": mean(latency_retrieval),
        "latency_draft_ms_mean": mean(draft_ms),
        "latency_draft_ms_p95": percentile(draft_ms, 95),
    }
    counts = {**ab, "citations": sums.get("citations", 0), "numbers_stated": sums.get("numbers_stated", 0)}
    return metrics, counts


@dataclass
class SetResult:
    name: str
    items: list[GoldItem]
    questions: list[dict[str, Any]] = field(default_factory=list)
    metrics: dict[str, float | None] = field(default_factory=dict)
    baselines: dict[str, dict[str, float | None]] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0
    index: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None
    drafts: list[Any] = field(default_factory=list)


def run_set(
    name: str,
    items: list[GoldItem],
    settings,
    *,
    files: list[Path],
    dirs: Sequence[Path],
    cache_root: Path,
    baselines: bool = True,
    ragas: RagasScores | None = None,
) -> SetResult:
    from .question import parse_question

    t0 = time.perf_counter()
    items = [resolve_item(it, dirs) for it in items]
    res = SetResult(name=name, items=items)
    s, rep = build_index(name, files, settings, cache_root)
    systems = list(SYSTEMS) if baselines else ["full"]
    searchers = make_searchers(s, systems)
    res.index = {
        "documents": len(searchers["full"].metas),
        "passages": len(searchers["full"].passages),
        "ingest_seconds": round(rep.seconds, 2),
        "ingested": len(rep.added) + len(rep.updated),
        "failed": [list(f) for f in rep.failed],
    }
    per_system: dict[str, list[dict[str, Any]]] = {n: [] for n in systems}
    retrieval_ms: list[float] = []
    draft_rows: list[dict[str, Any]] = []
    for it in items:
        query = parse_question(it.question or "").text
        q: dict[str, Any] = {"set": name, "id": it.id, "answerable": it.answerable, "query": query, "retrieval": {}}
        for sys_name in systems:
            row = eval_retrieval(it, query, searchers[sys_name], _system_weights(s, sys_name), ragas)
            per_system[sys_name].append(row)
            q["retrieval"][sys_name] = row
        retrieval_ms.append(q["retrieval"]["full"]["ms"])
        drow, draft = eval_draft(it, searchers["full"], s, ragas)
        draft_rows.append(drow)
        res.drafts.append(draft)
        q["draft"] = drow
        q["latency_ms"] = {"retrieval": q["retrieval"]["full"]["ms"], "draft": drow["ms"]}
        res.questions.append(q)
    for sys_name in systems:
        res.baselines[sys_name] = aggregate_retrieval(per_system[sys_name])
    dm, counts = aggregate_draft(items, draft_rows, retrieval_ms)
    res.metrics = {**res.baselines["full"], **dm}
    res.counts = {
        "questions": len(items),
        "answerable": sum(it.answerable for it in items),
        "unanswerable": sum(not it.answerable for it in items),
        "with_gold_answer": sum(bool(it.gold_answer) for it in items),
        "leaks": sum(1 for q in res.questions for r in q["retrieval"].values() if r.get("leaked_excluded")),
        **counts,
    }
    res.seconds = time.perf_counter() - t0
    return res


def default_gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.jsonl"))


def run(
    gold_files: Sequence[Path | str],
    settings,
    *,
    baselines: bool = True,
    use_ragas: bool = True,
    cache_root: Path | None = None,
    repo: Path = REPO,
    scorer: RagasScores | None = None,
    judge_factory: Callable[[Any, TokenBudget], Judge] | None = None,
    config: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Evaluate every gold file; returns the JSON-ready result (``metrics``, ``questions``, ``baselines`` ...)."""
    t0 = time.perf_counter()
    cache_root = Path(cache_root) if cache_root is not None else CACHE_DIR
    loaded = [(Path(gf), load_gold(gf)) for gf in gold_files]  # a malformed file fails before anything slow
    ragas = scorer
    if ragas is None and use_ragas:
        t_r = time.perf_counter()
        ragas = RagasScores()
        _log(f"evals: ragas loaded in {time.perf_counter() - t_r:.1f} s")
    sets: list[SetResult] = []
    skipped: dict[str, str] = {}
    for gf, items in loaded:
        by_corpus: dict[str, list[GoldItem]] = {}
        for it in items:
            by_corpus.setdefault(it.corpus, []).append(it)
        for corpus, its in by_corpus.items():
            set_name = gf.stem if len(by_corpus) == 1 else f"{gf.stem}-{corpus}"
            files = corpus_files(corpus, repo)
            if files is None:
                dirs = ", ".join(str(d) for d in corpus_dirs(corpus, repo))
                skipped[set_name] = f"corpus directories not found ({dirs})"
                _log(f"evals: skipping {set_name}: {skipped[set_name]}")
                continue
            _log(f"evals: {set_name}: {len(its)} questions ...")
            r = run_set(
                set_name,
                its,
                settings,
                files=files,
                dirs=corpus_dirs(corpus, repo),
                cache_root=cache_root,
                baselines=baselines,
                ragas=ragas,
            )
            _log(f"evals: {set_name}: done in {r.seconds:.1f} s")
            sets.append(r)
    metrics: dict[str, float | None] = {}
    baseline_out: dict[str, dict[str, float | None]] = {}
    for r in sets:
        metrics.update({f"{r.name}.{k}": v for k, v in r.metrics.items()})
        for sys_name, m in r.baselines.items():
            baseline_out.setdefault(sys_name, {}).update({f"{r.name}.{k}": v for k, v in m.items()})
    result: dict[str, Any] = {
        "metrics": metrics,
        "baselines": baseline_out,
        "questions": [q for r in sets for q in r.questions],
        "sets": {r.name: {"counts": r.counts, "index": r.index, "seconds": round(r.seconds, 2)} for r in sets},
        "skipped": skipped,
        "settings": {
            "vector_key": settings.vector_key(),
            "weights": dict(settings.retrieval.weights),
            "embedding": settings.embedding.model,
            "drafter": "llm" if settings.llm.model else "offline",
            "retrieval_k": RETRIEVAL_K,
            "context_k": CONTEXT_K,
        },
        "date": date.today().isoformat(),
    }
    cfg = config if config is not None else load_eval_config()
    llm_cfg = cfg.get("llm", {})
    if llm_cfg.get("enabled") and (settings.llm.model or judge_factory):
        budget = TokenBudget(int(llm_cfg.get("max_tokens", 200_000)), llm_cfg.get("max_cost_usd"))
        judge = (judge_factory or RagasLLMJudge)(settings, budget)
        samples = []
        for r in sets:
            for it, d in zip(r.items, r.drafts, strict=True):
                if not it.answerable:
                    continue
                samples.append(
                    {
                        "id": f"{r.name}/{it.id}",
                        "question": d.question.text,
                        "answer": " ".join(s.text for s in d.sentences()),
                        "contexts": [src.passage.text for src in d.sources],
                        "reference": it.gold_answer,
                    }
                )
        if llm_cfg.get("max_questions"):
            samples = samples[: int(llm_cfg["max_questions"])]
        llm = run_llm_metrics(samples, judge, budget)
        result["llm"] = llm
        for m, v in llm["means"].items():
            metrics[f"llm.{m}"] = v
        if llm["stopped_by_budget"]:
            _log(f"evals: LLM metrics stopped by the token/cost cap after {llm['scored']}/{llm['requested']} questions")
    result["wall_seconds"] = round(time.perf_counter() - t0, 2)
    metrics["all.wall_seconds"] = result["wall_seconds"]
    return result


# =====================================================================================
# output
# =====================================================================================


def _fmt(v: float | None, metric: str = "") -> str:
    if v is None:
        return "-"
    if "ms" in metric or metric.endswith("seconds") or metric.endswith("per_draft"):
        return f"{v:.1f}"
    return f"{v:.3f}"


def _bound(thresholds: Mapping[str, Mapping[str, float]], name: str) -> str:
    b = thresholds.get(name, {})
    parts = []
    if "min" in b:
        parts.append(f">= {b['min']:g}")
    if "max" in b:
        parts.append(f"<= {b['max']:g}")
    return ", ".join(parts)


def _set_names(result: Mapping[str, Any]) -> list[str]:
    return list(result["sets"])


def render_table(result: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]]) -> str:
    """Plain-text table: per set, retrieval metrics for every system, then the full system's draft metrics."""
    lines: list[str] = []
    systems = [s for s in SYSTEMS if s in result["baselines"]]
    for name in _set_names(result):
        info = result["sets"][name]
        c = info["counts"]
        lines.append(
            f"== {name}: {c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} unanswerable), "
            f"{info['index']['documents']} documents / {info['index']['passages']} passages, {info['seconds']:.1f} s =="
        )
        head = f"{'retrieval metric':<22}" + "".join(f"{s:>20}" for s in systems) + f"{'threshold':>14}"
        lines.append(head)
        for m in RETRIEVAL_METRICS:
            key = f"{name}.{m}"
            row = f"{m:<22}" + "".join(f"{_fmt(result['baselines'][s].get(key)):>20}" for s in systems)
            lines.append(row + f"{_bound(thresholds, key):>14}")
        lines.append(f"{'draft metric (full)':<22}{'value':>20}{'threshold':>20}")
        for m in DRAFT_METRICS:
            key = f"{name}.{m}"
            lines.append(f"{m:<22}{_fmt(result['metrics'].get(key), m):>20}{_bound(thresholds, key):>20}")
        lines.append(
            f"refusals: {c['correct_refusals']}/{c['unanswerable']} unanswerable refused, "
            f"{c['false_refusals']}/{c['answerable']} answerable refused; leaks of excluded files: {c['leaks']}"
        )
        lines.append("")
    for name, why in result.get("skipped", {}).items():
        lines.append(f"skipped {name}: {why}")
    if "llm" in result:
        llm = result["llm"]
        lines.append(
            f"LLM metrics: {llm['scored']}/{llm['requested']} questions, {llm['tokens']} tokens"
            f"{' (stopped by cap)' if llm['stopped_by_budget'] else ''}; NaNs {llm['nan']}"
        )
        for m, v in llm["means"].items():
            lines.append(f"  {m:<22}{_fmt(v):>10}")
    lines.append(f"wall time: {result['wall_seconds']:.1f} s")
    return "\n".join(lines)


def write_report(result: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]], out_dir: Path) -> Path:
    """``report.md`` plus one PNG per set and metric group (metric vs thresholds and baselines)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    systems = [s for s in SYSTEMS if s in result["baselines"]]
    colors = {
        "bm25-nostem": "#bbbbbb",
        "bm25": "#8da0cb",
        "dense-only": "#fc8d62",
        "hybrid-no-compound": "#66c2a5",
        "full": "#1b5e20",
    }
    md = [
        "# Evaluation report",
        "",
        f"Run {result['date']} · wall time {result['wall_seconds']:.1f} s · drafter `{result['settings']['drafter']}` · "
        f"embedding `{result['settings']['embedding']}` · weights `{result['settings']['weights']}`.",
        "",
        "Retrieval metrics are computed for every system on the answerable questions (hit@k and MRR over the "
        f"top {RETRIEVAL_K}, recall and ragas context metrics over the top {CONTEXT_K}); draft metrics for the full "
        "system. Thresholds come from `evals/thresholds.toml`.",
        "",
    ]
    for name in _set_names(result):
        info = result["sets"][name]
        c = info["counts"]
        md += [
            f"## {name}",
            "",
            f"{c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} unanswerable); "
            f"{info['index']['documents']} documents, {info['index']['passages']} passages; {info['seconds']:.1f} s.",
            "",
            "| retrieval metric | " + " | ".join(systems) + " | threshold |",
            "|---|" + "---:|" * len(systems) + "---|",
        ]
        for m in RETRIEVAL_METRICS:
            key = f"{name}.{m}"
            cells = " | ".join(_fmt(result["baselines"][s].get(key)) for s in systems)
            md.append(f"| {m} | {cells} | {_bound(thresholds, key)} |")
        md += ["", "| draft metric (full system) | value | threshold |", "|---|---:|---|"]
        for m in DRAFT_METRICS:
            key = f"{name}.{m}"
            md.append(f"| {m} | {_fmt(result['metrics'].get(key), m)} | {_bound(thresholds, key)} |")
        md += [
            "",
            f"Refusals: {c['correct_refusals']} of {c['unanswerable']} unanswerable questions refused; "
            f"{c['false_refusals']} of {c['answerable']} answerable questions wrongly refused.",
            "",
        ]
        # plot 1: retrieval metrics per system, with the threshold of the full system
        fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=80)
        width = 0.8 / max(1, len(systems))
        for i, s in enumerate(systems):
            vals = [result["baselines"][s].get(f"{name}.{m}") or 0.0 for m in RETRIEVAL_METRICS]
            ax.bar([x + i * width for x in range(len(RETRIEVAL_METRICS))], vals, width, label=s, color=colors.get(s))
        for x, m in enumerate(RETRIEVAL_METRICS):
            lo = thresholds.get(f"{name}.{m}", {}).get("min")
            if lo is not None:
                ax.hlines(lo, x - width / 2, x + width * (len(systems) - 0.5), colors="red", linestyles="--", lw=1)
        ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(RETRIEVAL_METRICS))])
        ax.set_xticklabels(RETRIEVAL_METRICS, rotation=25, ha="right", fontsize=7)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{name}: retrieval (red dashes: minimum)", fontsize=9)
        ax.legend(fontsize=6, ncol=len(systems), loc="upper center", bbox_to_anchor=(0.5, -0.32))
        fig.tight_layout()
        png = f"{name}_retrieval.png"
        fig.savefig(out_dir / png)
        plt.close(fig)
        # plot 2: draft rates of the full system against their thresholds
        rates = [m for m in DRAFT_METRICS if "ms" not in m and m != "uncited_per_draft"]
        fig, ax = plt.subplots(figsize=(7.5, 3.0), dpi=80)
        vals = [result["metrics"].get(f"{name}.{m}") for m in rates]
        ax.bar(range(len(rates)), [v or 0.0 for v in vals], 0.6, color=colors["full"])
        for x, m in enumerate(rates):
            b = thresholds.get(f"{name}.{m}", {})
            if "min" in b:
                ax.hlines(b["min"], x - 0.35, x + 0.35, colors="red", linestyles="--", lw=1)
            if "max" in b:
                ax.hlines(b["max"], x - 0.35, x + 0.35, colors="purple", linestyles=":", lw=1.5)
            if vals[x] is None:
                ax.text(x, 0.02, "n/a", ha="center", fontsize=6)
        ax.set_xticks(range(len(rates)))
        ax.set_xticklabels(rates, rotation=30, ha="right", fontsize=7)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{name}: draft, full system (red: minimum, purple: maximum)", fontsize=9)
        fig.tight_layout()
        png2 = f"{name}_draft.png"
        fig.savefig(out_dir / png2)
        plt.close(fig)
        md += [f"![{name} retrieval]({png})", "", f"![{name} draft]({png2})", ""]
        # the weakest answerable questions, so a reader knows where to look
        weak = [
            q
            for q in result["questions"]
            if q["set"] == name and q["answerable"] and (q["retrieval"]["full"].get("rank") or 99) > 3
        ]
        if weak:
            md += ["Answerable questions whose first gold passage is not in the full system's top 3:", ""]
            md += [
                f"- `{q['id']}`: rank {q['retrieval']['full'].get('rank') or '>' + str(RETRIEVAL_K)}; "
                f"top: {', '.join(q['retrieval']['full']['top_docs'][:3])}"
                for q in weak
            ]
            md.append("")
    for name, why in result.get("skipped", {}).items():
        md += [f"Skipped `{name}`: {why}.", ""]
    if "llm" in result:
        llm = result["llm"]
        md += [
            "## LLM-judged metrics",
            "",
            f"{llm['scored']} of {llm['requested']} questions, {llm['tokens']} tokens, cost {llm['cost']}"
            f"{' (stopped by the cap)' if llm['stopped_by_budget'] else ''}. NaNs: {llm['nan']}.",
            "",
        ]
        md += [f"- {m}: {_fmt(v)}" for m, v in llm["means"].items()]
        md.append("")
    path = out_dir / "report.md"
    path.write_text("\n".join(md), encoding="utf-8")
    return path


def _json_default(o: Any) -> Any:
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, float) and math.isnan(o):
        return None
    return str(o)


def main(args, settings) -> int:
    """``assistant evals``: run, print the table, write JSON/report, apply the gate (exit 1 below thresholds)."""
    gold = [Path(g) for g in (getattr(args, "gold", None) or [])] or default_gold_files()
    try:
        thresholds = load_thresholds(THRESHOLDS_FILE)
        result = run(gold, settings, baselines=not getattr(args, "no_baselines", False))
    except GoldError as e:
        print(f"fejl: {e}", file=sys.stderr)
        return 2
    print(render_table(result, thresholds))
    if getattr(args, "json", None):
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=_json_default), encoding="utf-8")
        _log(f"evals: JSON written to {out}")
    if getattr(args, "report", None):
        p = write_report(result, thresholds, Path(args.report))
        _log(f"evals: report written to {p}")
    if getattr(args, "no_gate", False):
        return 0
    ran = set(result["sets"])
    not_run = {n.split(".", 1)[0] for n in thresholds} - ran - {"llm", "all"}
    if "llm" not in result:
        not_run.add("llm")
    failures = check_gate(result["metrics"], thresholds, skipped=not_run)
    if failures:
        print("\nGATE FAILED:", file=sys.stderr)
        for f in failures:
            print(f"  {f}", file=sys.stderr)
        return 1
    print(f"\ngate: all {sum(1 for n in thresholds if n.split('.', 1)[0] not in not_run)} thresholds met")
    return 0
