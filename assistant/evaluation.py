"""Compatibility: the evaluation harness now lives in the :mod:`assistant.evals` package.

This module re-exports its public names so ``from assistant.evaluation import ...`` keeps
working. Patch attributes (``CACHE_DIR``, ``THRESHOLDS_FILE``, ``RagasScores``) on
:mod:`assistant.evals.run`, where the runner reads them, not here.
"""

from __future__ import annotations

from .evals.gate import THRESHOLDS_FILE, check_gate, load_thresholds
from .evals.gold import (
    CORPORA,
    GOLD_DIR,
    REPO,
    Fact,
    GoldError,
    GoldItem,
    SubQ,
    collapse,
    corpus_dirs,
    corpus_files,
    default_gold_files,
    dehyphenate,
    load_gold,
    resolve_item,
    resolve_ref,
    with_parts,
)
from .evals.judge import (
    CONFIG_FILE,
    LLM_METRICS,
    Judge,
    RagasLLMJudge,
    RagasScores,
    TokenBudget,
    load_eval_config,
    run_llm_metrics,
)
from .evals.metrics import (
    DRAFT_METRICS,
    OFFICER_METRICS,
    RETRIEVAL_METRICS,
    abstention_counts,
    aggregate_officer,
    fact_found,
    fact_recall,
    first_gold_rank,
    hit_at,
    mean,
    passage_found,
    passage_recall,
    percentile,
    ratio,
    reciprocal_rank,
    refused,
    score_draft,
    subq_coverage,
)
from .evals.report import compare_metrics, render_table, write_report
from .evals.run import (
    BASELINES,
    CACHE_DIR,
    CONTEXT_K,
    RETRIEVAL_K,
    SYSTEMS,
    SetResult,
    aggregate_draft,
    aggregate_retrieval,
    build_index,
    draft_for,
    eval_draft,
    eval_retrieval,
    main,
    make_searchers,
    reference_contexts,
    run,
    run_set,
)

__all__ = [
    "BASELINES", "CACHE_DIR", "CONFIG_FILE", "CONTEXT_K", "CORPORA", "DRAFT_METRICS", "GOLD_DIR", "LLM_METRICS",
    "OFFICER_METRICS", "REPO", "RETRIEVAL_K", "RETRIEVAL_METRICS", "SYSTEMS", "THRESHOLDS_FILE", "Fact", "GoldError",
    "GoldItem", "Judge", "RagasLLMJudge", "RagasScores", "SetResult", "SubQ", "TokenBudget", "abstention_counts",
    "aggregate_draft", "aggregate_officer", "aggregate_retrieval", "build_index", "check_gate", "collapse",
    "compare_metrics", "corpus_dirs", "corpus_files", "default_gold_files", "dehyphenate", "draft_for", "eval_draft",
    "eval_retrieval", "fact_found", "fact_recall", "first_gold_rank", "hit_at", "load_eval_config", "load_gold",
    "load_thresholds", "main", "make_searchers", "mean", "passage_found", "passage_recall", "percentile", "ratio",
    "reciprocal_rank", "reference_contexts", "refused", "render_table", "resolve_item", "resolve_ref", "run",
    "run_llm_metrics", "run_set", "score_draft", "subq_coverage", "with_parts", "write_report",
]  # fmt: skip
