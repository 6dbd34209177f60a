"""Judges: ragas (non-LLM metrics, imported lazily) and the optional LLM judge behind the litellm seam.

The offline claim judge is the overlap rule in :mod:`.metrics` (``score_draft``: a
claim sentence is supported when it states a must-have fact of its sub-question or
>= half of its content tokens lie in one of its relevant spans). No maintained
Danish/multilingual entailment or QA model ships its weights inside a registry
package, and none may be downloaded at run time (see evals/README.md, "Claim judge").
With ``llm.model`` set and the LLM metrics enabled, :class:`RagasLLMJudge` scores
faithfulness, answer relevancy and factual correctness through ``llm.judge_completion``
(the one litellm seam: redaction and token accounting), capped by :class:`TokenBudget`.
"""

from __future__ import annotations

import math
import os
import tomllib
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .gold import REPO
from .metrics import mean

CONFIG_FILE = REPO / "evals" / "config.toml"


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

        from ..embed import make_embedder

        self.budget = budget
        self._loop = asyncio.new_event_loop()

        from ..llm import judge_completion

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
