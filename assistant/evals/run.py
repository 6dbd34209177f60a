"""The eval runner: index each gold set's corpus, search with every system, draft, score, aggregate.

``assistant evals`` (``cli.cmd_evals``) calls :func:`main`. Each set's corpus is indexed
once (a cache under ``.assistant/evals-cache`` keyed by the vector-shaping settings;
ingest is incremental); every question is searched by the full system and the
baselines (:data:`SYSTEMS`), honouring its leave-one-out ``exclude``; the full system
also drafts an answer (:func:`draft_for`, the one place a draft is made), which is scored
by the old draft metrics and per expected sub-question (``metrics.score_draft``).
Metrics are aggregated per set (``"<set>.<metric>"``), printed, written as JSON /
Markdown with plots (:mod:`.report`), compared with an earlier run (``--compare``) and
checked against ``evals/thresholds.toml`` (:mod:`.gate`).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .gate import THRESHOLDS_FILE, check_gate, load_thresholds
from .gold import (
    REPO,
    GoldError,
    GoldItem,
    corpus_dirs,
    corpus_files,
    default_gold_files,
    load_gold,
    resolve_item,
)
from .judge import Judge, RagasLLMJudge, RagasScores, TokenBudget, load_eval_config, run_llm_metrics
from .metrics import (
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

__all__ = ["DRAFT_METRICS", "OFFICER_METRICS", "RETRIEVAL_METRICS", "SYSTEMS", "main", "run", "run_set"]


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
    from ..ingest import ingest

    index_dir = Path(cache_root) / f"{corpus}-{settings.vector_key()}"
    s = settings.model_copy(update={"index_dir": index_dir}, deep=True)
    rep = ingest(files, s, prune=True)
    for path, reason in rep.failed:
        _log(f"evals: {corpus}: could not index {path}: {reason}")
    return s, rep


def make_searchers(settings, systems: Sequence[str]) -> dict[str, Any]:
    """One Searcher per distinct lexical configuration, sharing the store and embedder."""
    from ..retrieve import Searcher

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
    from ..retrieve import Filters

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


def draft_for(item: GoldItem, searcher, settings):
    """The one place the evals make a draft: ``item``'s question through the answer pipeline (``pipeline.py``).

    Everything else in the runner only scores the returned :class:`assistant.models.Draft`,
    so switching the evals to another pipeline entry point is a change here alone.
    """
    from ..pipeline import answer_question, prepare_question
    from ..retrieve import Filters

    q = prepare_question(item.question or "", settings).question
    return answer_question(q, searcher, settings, drafter="auto", filters=Filters(exclude_sources=set(item.exclude)))


def eval_draft(item: GoldItem, searcher, settings, ragas: RagasScores | None) -> tuple[dict[str, Any], Any]:
    from ..cite import summary

    t0 = time.perf_counter()
    draft = draft_for(item, searcher, settings)
    ms = (time.perf_counter() - t0) * 1000
    sm = summary(draft)
    answered = [a.answered for a in draft.sub_answers]
    text = " ".join(s.text for a in draft.sub_answers if a.answered for s in a.lines())
    n_expected = max(1, len(item.sub_questions))
    row: dict[str, Any] = {
        "ms": round(ms, 1),
        "drafter": draft.drafter,
        "sub_answers": len(draft.sub_answers),
        "sub_questions": [a.sub_question.text for a in draft.sub_answers],
        "answered": answered,
        "refused": refused(answered),
        "subq_expected": n_expected,
        "subq_split_correct": float(len(draft.sub_answers) == n_expected),
        "subq_coverage": subq_coverage(item.sub_questions, [a.sub_question.text for a in draft.sub_answers])
        if item.sub_questions
        else float(bool(draft.sub_answers)),
        "summary": sm,
        "text": text,
        "officer": score_draft(item, draft),
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
        **aggregate_officer([r["officer"] for r in rows]),
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
    by_tag: dict[str, dict[str, Any]] = field(default_factory=dict)  # officer metrics per gold tag (and holdout)


def officer_by_tag(items: Sequence[GoldItem], rows: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The per-sub-question metrics over the items of each tag, and over the holdout / tuning halves."""
    groups: dict[str, list[Mapping[str, Any]]] = {}
    for it, r in zip(items, rows, strict=True):
        for t in it.tags:
            groups.setdefault(t, []).append(r["officer"])
        if it.new_format:
            groups.setdefault("holdout" if it.holdout else "not holdout", []).append(r["officer"])
    return {t: {"questions": len(v), **aggregate_officer(v)} for t, v in sorted(groups.items())}


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
    corpus: str | None = None,
) -> SetResult:
    from ..question import parse_question

    t0 = time.perf_counter()
    items = [resolve_item(it, dirs) for it in items]
    res = SetResult(name=name, items=items)
    s, rep = build_index(corpus or name, files, settings, cache_root)  # sets over one corpus share its index
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
        q: dict[str, Any] = {
            "set": name,
            "id": it.id,
            "answerable": it.answerable,
            "tags": it.tags,
            "holdout": it.holdout,
            "query": query,
            "retrieval": {},
        }
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
    res.by_tag = officer_by_tag(items, draft_rows)
    res.seconds = time.perf_counter() - t0
    return res


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
                corpus=corpus,
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
        "sets": {
            r.name: {"counts": r.counts, "index": r.index, "seconds": round(r.seconds, 2), "by_tag": r.by_tag}
            for r in sets
        },
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


def main(args, settings) -> int:
    """``assistant evals``: run, print the table, write JSON/report, apply the gate (exit 1 below thresholds).

    ``--gold FILE`` (repeatable) scores any gold file in the old or new format (blind mode);
    ``--compare OLD.json`` adds a comparison with an earlier run's ``--json`` output.
    """
    from .report import compare_metrics, json_default, load_previous, render_table, write_report

    gold = [Path(g) for g in (getattr(args, "gold", None) or [])] or default_gold_files()
    try:
        previous = load_previous(Path(args.compare)) if getattr(args, "compare", None) else None
        thresholds = load_thresholds(THRESHOLDS_FILE)
        result = run(gold, settings, baselines=not getattr(args, "no_baselines", False))
    except GoldError as e:
        print(f"fejl: {e}", file=sys.stderr)
        return 2
    if previous is not None:
        result["comparison"] = compare_metrics(previous, result, source=str(args.compare))
    print(render_table(result, thresholds))
    if getattr(args, "json", None):
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=json_default), encoding="utf-8")
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
