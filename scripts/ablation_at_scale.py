"""Retrieval ablation on the shared documents alone and with the Folketing scale corpus beside them.

Issue 2 asks what stemming, compound splitting and the dense side buy, and what they cost, at
two sizes. This script

1. ingests ``../shared/seeds`` + ``../shared/corpus-extra`` into one temporary index and the same
   files plus ``../shared/scale/folketingstidende`` into another (``assistant.ingest.ingest``;
   wall time, passages, pages at 2,000 characters of source per page, ``du`` of the index dir);
2. for each index evaluates the configurations in :data:`CONFIGS` on the answerable questions of
   ``evals/gold/shared.jsonl`` (refs resolved with ``evals.gold.resolve_item``, each question's
   ``exclude`` files filtered out, the query parsed as ``assistant evals`` parses it):
   answer-passage recall@5, hit@5 on ``gold_docs``, MRR (over the top 10, as in the evals) and
   search latency p50/p95 over all gold queries (one warm-up pass, 3 timed repeats);
3. prints a Markdown table and writes JSON (default ``benchmarks/results/<today>-ablation.json``).

Run from the repo root::

    .venv/bin/python scripts/ablation_at_scale.py                     # both indexes
    .venv/bin/python scripts/ablation_at_scale.py --no-scale          # shared documents only (~1 min)
    .venv/bin/python scripts/ablation_at_scale.py --workdir /tmp/abl  # keep the indexes

Variant searchers share the base searcher's store and embedder: stemming only changes the
lexical cache, never the vectors. Timings depend on what else runs on the machine, so load
averages are recorded at every phase.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

PAGE_CHARS = 2000
TOP = 5  # recall@5 and hit@5
RANK_K = 10  # MRR over the top 10, as RETRIEVAL_K in assistant/evals/run.py
REPEATS = 3

# name -> (retrieval setting changes, fusion weights); None weights = the configured ones
CONFIGS: dict[str, tuple[dict, dict[str, float] | None]] = {
    "full": ({}, None),
    "no-stemming": ({"stemming": False}, None),
    "no-compound": ({}, {"bm25": 1.0, "compound": 0.0, "dense": 0.5}),
    "no-dense": ({}, {"bm25": 1.0, "compound": 0.5, "dense": 0.0}),
    "bm25-only (stemmed)": ({}, {"bm25": 1.0, "compound": 0.0, "dense": 0.0}),
    "bm25-only (unstemmed)": ({"stemming": False}, {"bm25": 1.0, "compound": 0.0, "dense": 0.0}),
    "dense-only": ({}, {"bm25": 0.0, "compound": 0.0, "dense": 1.0}),
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def loadavg() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


def du_bytes(path: Path) -> int:
    """``du -sb`` of a directory (apparent size), falling back to summing file sizes."""
    try:
        out = subprocess.run(["du", "-sb", str(path)], capture_output=True, text=True, check=True).stdout
        return int(out.split()[0])
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError):
        from assistant.bench import dir_bytes

        return dir_bytes(path)


# -- gold ------------------------------------------------------------------------------------


def load_questions(gold_path: Path, shared: Path) -> list[dict]:
    """All gold items of the shared set as dicts with the parsed query; refs resolved."""
    from assistant.evals.gold import load_gold, resolve_item
    from assistant.question import parse_question

    dirs = [shared / "seeds", shared / "corpus-extra"]
    out = []
    for it in load_gold(gold_path):
        if it.corpus != "shared":
            continue
        it = resolve_item(it, dirs)
        out.append(
            {
                "id": it.id,
                "query": parse_question(it.question or "").text,
                "answerable": it.answerable,
                "gold_docs": list(it.gold_docs),
                "gold_passages": list(it.gold_passages),
                "exclude": list(it.exclude),
            }
        )
    return out


# -- indexes -----------------------------------------------------------------------------------


def build_index(name: str, files: list[Path], index_dir: Path, base_settings) -> dict:
    """Ingest ``files`` into ``index_dir``; wall time, passages, pages and size on disk."""
    from assistant.embed import make_embedder
    from assistant.ingest import ingest
    from assistant.store import Store

    s = base_settings.model_copy(update={"index_dir": index_dir}, deep=True)
    chars = sum(len(f.read_text(encoding="utf-8", errors="replace")) for f in files)
    store = Store(s)
    store.count()  # open Chroma before the clock starts (import + client), as assistant bench does
    embedder = make_embedder(s)
    la0 = loadavg()
    log(f"{name}: ingest {len(files)} files, {chars / 1e6:.2f} M chars into {index_dir}")
    gc.collect()
    t = time.perf_counter()
    rep = ingest(files, s, store=store, embedder=embedder)
    wall = time.perf_counter() - t
    pages = chars / PAGE_CHARS
    res = {
        "files": len(files),
        "chars": chars,
        "pages": round(pages, 1),
        "passages_ingested": rep.passages,
        "added": len(rep.added) + len(rep.updated),
        "unchanged": len(rep.unchanged),
        "failed": [f"{p}: {r}" for p, r in rep.failed],
        "wall_s": round(wall, 2),
        "pages_per_s": round(pages / wall, 1) if wall and rep.passages else None,
        "passages_per_s": round(rep.passages / wall, 1) if wall and rep.passages else None,
        "bytes_after_ingest": du_bytes(index_dir),
        "loadavg_before": la0,
        "loadavg_after": loadavg(),
    }
    if rep.unchanged and not rep.passages:
        res["note"] = "index reused (--workdir): nothing was ingested, so wall_s is not an ingest time"
    log(
        f"{name}: ingest {wall:.1f} s, {rep.passages} passages, {res['pages_per_s']} pages/s, load {res['loadavg_after']}"
    )
    return {"settings": s, "store": store, "embedder": embedder, "ingest": res}


def make_searchers(s, store, embedder) -> tuple[dict[str, object], dict[str, float], int]:
    """One Searcher per lexical configuration (stemming on/off), sharing store and embedder.

    Also returns ``du`` of the index dir after the default (stemmed) searcher has written its
    lexical cache: Chroma + manifest + the cache a normal installation keeps.
    """
    from assistant.retrieve import Searcher

    searchers: dict[str, object] = {}
    build_s: dict[str, float] = {}
    size = 0
    for stemming in (True, False):
        v = s.model_copy(deep=True)
        v.retrieval.stemming = stemming
        t = time.perf_counter()
        searchers[f"s{int(stemming)}"] = Searcher(v, store=store, embedder=embedder)
        build_s[f"stemming={stemming}"] = round(time.perf_counter() - t, 2)
        if stemming:
            size = du_bytes(s.index_dir)
    return searchers, build_s, size


# -- evaluation ------------------------------------------------------------------------------------


def _file(hit) -> str:
    return Path(hit.meta.source_path).name


def evaluate(searcher, weights: dict[str, float] | None, questions: list[dict]) -> dict:
    """Quality on the answerable questions and latency over all questions for one configuration."""
    from assistant.bench import time_queries
    from assistant.evals.metrics import first_gold_rank, passage_found
    from assistant.retrieve import Filters

    def run(q: dict):
        f = Filters(exclude_sources=set(q["exclude"])) if q["exclude"] else None
        return searcher.search(q["query"], RANK_K, filters=f, weights=weights)

    # quality (one untimed pass that also warms caches)
    per: dict[str, dict] = {}
    leaks = 0
    for q in questions:
        hits = run(q)
        files = [_file(h) for h in hits]
        leaks += bool(set(files) & set(q["exclude"]))
        if not q["answerable"]:
            continue
        top = [h.passage.text for h in hits[:TOP]]
        rank = first_gold_rank(files, q["gold_docs"])
        found = [any(passage_found(g, t) for t in top) for g in q["gold_passages"]]
        per[q["id"]] = {
            "rank": rank,
            "hit5": rank is not None and rank <= TOP,
            "passage_any": any(found) if found else None,
            "passage_share": sum(found) / len(found) if found else None,
        }
    scored = [r for r in per.values() if r["passage_any"] is not None]

    def mean(xs):
        xs = list(xs)
        return round(sum(xs) / len(xs), 3) if xs else None

    # latency: every gold query, REPEATS timed passes after the warm pass above (the bench's timer)
    latency = time_queries(run, questions, REPEATS)
    return {
        "recall5": mean(r["passage_any"] for r in scored),
        "passage_recall5": mean(r["passage_share"] for r in scored),
        "hit5": mean(float(r["hit5"]) for r in per.values()),
        "mrr": mean(1.0 / r["rank"] if r["rank"] else 0.0 for r in per.values()),
        "answerable": len(per),
        "recall_scored": len(scored),
        "leaks": leaks,
        "latency_ms": latency,
        "per_question": per,
    }


def evaluate_index(name: str, idx: dict, questions: list[dict]) -> dict:
    s = idx["settings"]
    la0 = loadavg()
    searchers, build_s, size = make_searchers(s, idx["store"], idx["embedder"])
    base = searchers["s1"]
    log(f"{name}: {len(base.passages)} passages in {len(base.metas)} documents; searcher build {build_s}")
    out = {
        "documents": len(base.metas),
        "passages": len(base.passages),
        "searcher_build_s": build_s,
        "index_bytes": size,  # du: Chroma + manifest + the default (stemmed) lexical cache
        "configs": {},
        "loadavg_before": la0,
    }
    out["index_mb"] = round(out["index_bytes"] / 1e6, 1)
    for cname, (changes, weights) in CONFIGS.items():
        searcher = searchers["s0"] if changes.get("stemming") is False else base
        w = dict(weights) if weights is not None else dict(s.retrieval.weights)
        t = time.perf_counter()
        r = evaluate(searcher, w, questions)
        r["weights"] = w
        r["stemming"] = searcher.settings.retrieval.stemming
        r["seconds"] = round(time.perf_counter() - t, 1)
        out["configs"][cname] = r
        log(
            f"{name} / {cname}: recall@5 {r['recall5']} hit@5 {r['hit5']} MRR {r['mrr']} "
            f"p50/p95 {r['latency_ms']['p50']}/{r['latency_ms']['p95']} ms"
        )
    out["loadavg_after"] = loadavg()
    return out


# -- report -------------------------------------------------------------------------------------


def markdown(result: dict) -> str:
    idx = result["indexes"]
    names = list(idx)
    lines = []
    hdr = "| configuration | " + " | ".join(f"{n}: recall@5 | hit@5 | MRR | p50 / p95 ms" for n in names) + " |"
    lines.append(hdr)
    lines.append("|---|" + "---|---|---|---|" * len(names))
    for cname in CONFIGS:
        cells = []
        for n in names:
            r = idx[n]["eval"]["configs"][cname]
            lat = r["latency_ms"]
            cells.append(f"{r['recall5']:.3f} | {r['hit5']:.3f} | {r['mrr']:.3f} | {lat['p50']:.1f} / {lat['p95']:.1f}")
        lines.append(f"| {cname} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("| index | files | passages | pages | ingest wall s | pages/s | passages/s | index on disk MB |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for n in names:
        ing, ev = idx[n]["ingest"], idx[n]["eval"]
        lines.append(
            f"| {n} | {ing['files']} | {ev['passages']} | {ing['pages']:.0f} | {ing['wall_s']} | "
            f"{ing['pages_per_s']} | {ing['passages_per_s']} | {ev['index_mb']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("ASSISTANT_SHARED", REPO.parent / "shared")))
    ap.add_argument("--gold", type=Path, default=REPO / "evals" / "gold" / "shared.jsonl")
    ap.add_argument("--json", type=Path, default=REPO / "benchmarks" / "results" / f"{_dt.date.today()}-ablation.json")
    ap.add_argument("--workdir", type=Path, help="keep the indexes here (default: a temp dir, removed)")
    ap.add_argument("--no-scale", action="store_true", help="only the shared documents")
    args = ap.parse_args(argv)

    from assistant.bench import shared_files
    from assistant.config import Settings

    shared = args.shared
    s_files = shared_files(shared)
    scale = sorted((shared / "scale" / "folketingstidende").glob("*.txt"))
    if not s_files:
        print(f"no shared documents under {shared}", file=sys.stderr)
        return 2
    questions = load_questions(args.gold, shared)
    own = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="assistant-ablation-")) if own else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    base = Settings(index_dir=work / "unused")
    result: dict = {
        "date": _dt.date.today().isoformat(),
        "issue": 2,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": loadavg(),
        },
        "settings": {
            "chunking": base.chunking.model_dump(),
            "embedding": base.embedding.model,
            "retrieval": base.retrieval.model_dump(),
        },
        "page_definition": f"{PAGE_CHARS} characters of .txt source",
        "metrics": {
            "recall5": "share of answerable questions with a gold_passages string (whitespace-collapsed, "
            "case-sensitive, hyphenation rejoined: evals.metrics.passage_found) inside one of the top 5 passages",
            "passage_recall5": "mean share of a question's gold_passages found in the top 5 (the evals metric)",
            "hit5": "a passage of a gold_docs file (by name) in the top 5",
            "mrr": f"reciprocal rank of the first gold_docs passage in the top {RANK_K}",
            "latency": f"search(query, {RANK_K}, exclude filter) over all {len(questions)} gold queries, "
            f"1 warm pass + {REPEATS} timed",
        },
        "questions": {"all": len(questions), "answerable": sum(q["answerable"] for q in questions)},
        "configs": {k: {"retrieval": c, "weights": w} for k, (c, w) in CONFIGS.items()},
        "indexes": {},
    }
    plan = [("shared", s_files)]
    if not args.no_scale and scale:
        plan.append(("shared+scale", s_files + scale))
    t0 = time.perf_counter()
    try:
        for name, files in plan:
            idx = build_index(name, files, work / name.replace("+", "_"), base)
            ev = evaluate_index(name, idx, questions)
            result["indexes"][name] = {"ingest": idx["ingest"], "eval": ev}
            idx["store"] = idx["embedder"] = None
            gc.collect()
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.with_suffix(".json.partial").write_text(
                json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
            )
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
    if len(result["indexes"]) == 2:
        a, b = (result["indexes"][n]["eval"]["configs"]["full"]["per_question"] for n in ("shared", "shared+scale"))
        result["full_lost_at_scale"] = sorted(q for q in a if a[q]["passage_any"] and not b[q]["passage_any"])
        result["full_gained_at_scale"] = sorted(q for q in a if not a[q]["passage_any"] and b[q]["passage_any"])
    result["machine"]["loadavg_at_end"] = loadavg()
    result["total_s"] = round(time.perf_counter() - t0, 1)
    table = markdown(result)
    result["table_md"] = table
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    args.json.with_suffix(".json.partial").unlink(missing_ok=True)
    print()
    print(table)
    print(f"\nload averages: start {result['machine']['loadavg_at_start']}, end {result['machine']['loadavg_at_end']}")
    print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
