"""Benchmarks at scale: ingest, index size, search latency, recall, drafting, start-up.

``assistant bench`` builds growing corpora in a temp directory and measures, in one run:

* ingest throughput (pages/s, passages/s). Inputs are .txt, so a *page* is counted as
  2,000 characters of source text (``PAGE_CHARS``);
* index size on disk (Chroma + manifest + the lexical cache);
* search latency p50/p95/p99: hybrid, each retriever alone, and hybrid with a kind
  filter and an exclude filter;
* answer-passage recall@5 on ``evals/gold/shared.jsonl`` (a gold passage string
  appears in one of the top five passages) at every size;
* the same latency and recall for two baselines on the same passages and queries:
  ``rank_bm25.BM25Okapi`` with whitespace tokens, and llama-index's ``BM25Retriever``
  with its English defaults;
* offline draft latency end to end (``pipeline.prepare_question`` + ``pipeline.answer_question``);
* peak RSS per phase (ingest, index build, a fresh officer process searching from the
  cache; Linux ``VmHWM``) and of the whole bench process, ``assistant --help`` wall time (best of 5), TUI first
  paint and evals wall time when those modules exist.

Sizes: 1k passages (the shared documents plus a slice of ../shared/scale), 10k (more of
the scale corpus) and 100k (the scale corpus plus copies with perturbed names, numbers
and dates). Stages grow one index incrementally, so each stage ingests only what it
adds. ``--quick`` runs the 1k stage only (CI smoke run, well under a minute).

Benchmarks are not tests: nothing here asserts a time.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import gc
import importlib.util
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

PAGE_CHARS = 2000
BYTES_PER_PASSAGE = 950  # measured on the shared + scale corpora at default chunking; only used to pick files
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000}
TOP = 5

TARGETS = {
    "hybrid_p95_ms": 20.0,  # at 100k, filtered queries included
    "ingest_pages_per_s": 50.0,
    "help_s": 0.3,
    "tui_first_paint_s": 1.5,
    "draft_s": 2.0,
    "peak_rss_mb": 1536.0,
}


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[1]


def _shared_root() -> Path:
    return Path(os.environ.get("ASSISTANT_SHARED", _repo_root().parent / "shared"))


# -- small helpers ----------------------------------------------------------------------


def percentiles(samples_s: Sequence[float]) -> dict:
    """p50/p95/p99/max in milliseconds (nearest-rank), and the sample count."""
    if not samples_s:
        return {"n": 0}
    xs = sorted(samples_s)

    def pct(p: float) -> float:
        i = min(len(xs) - 1, max(0, math.ceil(p / 100 * len(xs) - 1e-9) - 1))
        return round(xs[i] * 1000, 3)

    return {"n": len(xs), "p50": pct(50), "p95": pct(95), "p99": pct(99), "max": round(xs[-1] * 1000, 3)}


def peak_rss_mb() -> float:
    """Peak RSS of this process image: ``VmHWM`` on Linux (since the last ``reset_peak_rss``), else ``ru_maxrss``.

    ``ru_maxrss`` alone is wrong for a child process on Linux: after fork and exec it reports the
    parent's resident size at the moment of the fork when that was larger (it is kept across exec).
    """
    hwm = _proc_status("VmHWM")
    return hwm if hwm is not None else lifetime_peak_rss_mb()


def lifetime_peak_rss_mb() -> float:
    """Peak RSS over the whole life of this process (``ru_maxrss``); never reset."""
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux, bytes on macOS
    return round(r / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)


def reset_peak_rss() -> bool:
    """Start a new peak-RSS window (Linux ``clear_refs`` 5 resets ``VmHWM``); False where unsupported."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _proc_status(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def current_rss_mb() -> float | None:
    return _proc_status("VmRSS")


def dir_bytes(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


# -- corpus -------------------------------------------------------------------------------

_NAME_RE = re.compile(r"(?<=[a-zæøå,] )[A-ZÆØÅ][a-zæøå]{3,}(?: [A-ZÆØÅ][a-zæøå]{3,})?")
_NUM_RE = re.compile(r"\d+")
_SYLLABLES = ("sen", "berg", "holm", "gaard", "lund", "strup", "vig", "toft", "dal", "by")


def perturb(text: str, seed: int) -> str:
    """A distractor copy: mid-sentence capitalised words (names, places) and all numbers changed.

    Deterministic for a seed. Years move by ``seed`` and stay plausible; other numbers
    are shifted, so a date or an amount in a copy no longer matches the original.
    """
    rng = random.Random(seed)
    names: dict[str, str] = {}

    def name(m: re.Match) -> str:
        w = m.group(0)
        if w not in names:
            names[w] = " ".join(p[: max(3, len(p) - 2)] + rng.choice(_SYLLABLES) for p in w.split(" "))
        return names[w]

    def num(m: re.Match) -> str:
        s = m.group(0)
        n = int(s)
        if len(s) == 4 and 1900 <= n <= 2100:
            return str(n - seed)
        if len(s) <= 2 and n <= 31:
            return str(max(1, (n + seed) % 28 or 1)).zfill(len(s))
        return str(n + seed * 7).zfill(len(s))

    return _NUM_RE.sub(num, _NAME_RE.sub(name, text))


def shared_files(root: Path) -> list[Path]:
    from .documents import iter_files

    dirs = [root / "seeds", root / "corpus-extra"]
    return list(iter_files([d for d in dirs if d.exists()]))


def scale_files(root: Path) -> list[Path]:
    d = root / "scale" / "folketingstidende"
    return sorted(d.glob("*.txt")) if d.exists() else []


@dataclass
class Stage:
    label: str
    target: int
    files: list[Path] = field(default_factory=list)  # files added by this stage


def plan_stages(labels: Iterable[str], shared: list[Path], scale: list[Path], workdir: Path) -> list[Stage]:
    """Files each stage adds, chosen by size so the stages land near their passage targets."""
    stages: list[Stage] = []
    budget_bytes = 0
    pool = list(scale)
    used = 0
    copies_dir = workdir / "perturbed"
    copy = 0
    first = True
    for label in labels:
        st = Stage(label, SIZES[label])
        if first:
            st.files.extend(shared)
            budget_bytes += sum(f.stat().st_size for f in shared)
            first = False
        want = st.target * BYTES_PER_PASSAGE
        while budget_bytes < want:
            if used >= len(pool):
                copy += 1
                if copy > 9 or not scale:
                    break
                out = copies_dir / f"v{copy}"
                out.mkdir(parents=True, exist_ok=True)
                for f in scale:
                    dst = out / f"{f.stem}_v{copy}.txt"
                    dst.write_text(perturb(f.read_text(encoding="utf-8"), copy), encoding="utf-8")
                    pool.append(dst)
            f = pool[used]
            used += 1
            st.files.append(f)
            budget_bytes += f.stat().st_size
        stages.append(st)
    return stages


# -- queries and gold -------------------------------------------------------------------------


@dataclass
class Gold:
    id: str
    query: str
    sub_queries: list[str]
    raw: str
    passages: list[str]
    exclude: list[str]


def load_gold(path: Path, shared: Path | None = None) -> list[Gold]:
    """The shared gold set through the evals' one loader (``evals.gold``), refs resolved against ``shared``.

    Items whose question cannot be resolved (a ref into a document that is absent) are left out;
    a malformed file raises ``GoldError`` naming the file and line, as in ``assistant evals``.
    """
    from .evals.gold import GoldError, resolve_item
    from .evals.gold import load_gold as load_eval_gold
    from .question import parse_question

    shared = shared or _shared_root()
    if not path.exists():
        return []
    dirs = [shared / "seeds", shared / "corpus-extra"]
    out = []
    for item in load_eval_gold(path):
        try:
            item = resolve_item(item, dirs)
        except GoldError:
            continue
        if not item.question:
            continue
        q = parse_question(item.question)
        subs = item.sub_questions or [s.text for s in q.sub_questions]
        out.append(
            Gold(
                id=item.id,
                query=q.text or item.question,
                sub_queries=list(subs),
                raw=item.question,
                passages=[p for p in item.gold_passages if p.strip()],
                exclude=list(item.exclude),
            )
        )
    return out


def _found(gold: Gold, texts: Iterable[str]) -> bool:
    """A gold passage occurs in one of ``texts``: the evals' rule (``evals.metrics.passage_found``)."""
    from .evals.metrics import passage_found

    return any(passage_found(g, t) for t in texts for g in gold.passages)


# -- baselines ------------------------------------------------------------------------------


class RankBM25Baseline:
    """rank_bm25's BM25Okapi over lower-cased whitespace tokens."""

    name = "rank_bm25"

    def __init__(self, texts: Sequence[str]):
        import numpy as np
        from rank_bm25 import BM25Okapi

        self.np = np
        self.bm25 = BM25Okapi([t.lower().split() or [""] for t in texts])

    def search(self, query: str, k: int, banned=None) -> list[int]:
        np = self.np
        scores = self.bm25.get_scores(query.lower().split())
        if banned is not None:
            scores = np.where(banned, -np.inf, scores)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        return [int(i) for i in top[np.argsort(-scores[top])]]


class LlamaBM25Baseline:
    """llama-index's BM25Retriever.from_defaults (English stemmer and stopwords)."""

    name = "llamaindex_bm25"

    def __init__(self, texts: Sequence[str], k: int):
        import logging

        from llama_index.core.schema import TextNode
        from llama_index.retrievers.bm25 import BM25Retriever

        logging.getLogger("bm25s").setLevel(logging.ERROR)
        nodes = [TextNode(text=t, id_=str(i)) for i, t in enumerate(texts)]
        self.k = k
        with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
            self.retriever = BM25Retriever.from_defaults(nodes=nodes, similarity_top_k=k)

    def search(self, query: str, k: int, banned=None) -> list[int]:
        rows = [int(n.node.node_id) for n in self.retriever.retrieve(query)]
        if banned is not None:
            rows = [r for r in rows if not banned[r]]
        return rows[:k]


def _versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for pkg in ("bm25s", "chromadb", "rank-bm25", "llama-index-core", "llama-index-retrievers-bm25", "numpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = None
    return out


# -- one-off measurements --------------------------------------------------------------------------


_OFFICER = """
import json, resource, sys, time
from assistant.config import Settings
from assistant.retrieve import Searcher
t = time.perf_counter()
sr = Searcher(Settings(index_dir=sys.argv[1]))
load = time.perf_counter() - t
t = time.perf_counter()
sr.warm()  # as the TUI does in the background when it opens the index
warm = time.perf_counter() - t
qs = json.loads(sys.stdin.read())
ms = []
for q in qs:
    t = time.perf_counter(); sr.search(q); ms.append((time.perf_counter() - t) * 1000)
ms.sort()
peak = None
try:  # VmHWM: this process image's peak; ru_maxrss would report the parent's size (kept across exec)
    peak = [int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:")][0] / 1024
except (OSError, IndexError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"load_s": round(load, 2), "warm_s": round(warm, 2), "search_p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 1) if ms else None,
                  "peak_rss_mb": round(peak, 1)}))
"""


_BUILD = """
import json, sys, time
from assistant.config import Settings
from assistant.retrieve import Searcher
t = time.perf_counter()
sr = Searcher(Settings(index_dir=sys.argv[1]))
build = time.perf_counter() - t
peak = [int(x.split()[1]) for x in open("/proc/self/status") if x.startswith("VmHWM:")][0] / 1024
print(json.dumps({"build_s": round(build, 2), "passages": len(sr.passages), "peak_rss_mb": round(peak, 1)}))
"""


def _child_json(script: str, settings, timeout: float, stdin: str | None = None) -> dict:
    """Run ``script`` in a fresh interpreter on the index and read the JSON of its last line."""
    try:
        r = subprocess.run(
            [sys.executable, "-c", script, str(settings.index_dir)],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(_repo_root()),
        )
        return json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else {"error": r.stderr[-300:]}
    except (subprocess.TimeoutExpired, ValueError, IndexError) as e:
        return {"error": f"{type(e).__name__}"}


def measure_build(settings, timeout: float = 1800) -> dict:
    """The first search after an ingest, as the officer meets it: a fresh process building the lexical cache
    from the store (``assistant ingest`` and ``assistant ask`` are separate processes). Linux only (VmHWM)."""
    return _child_json(_BUILD, settings, timeout)


def measure_officer(settings, queries: list[str], timeout: float = 600) -> dict:
    """What a case officer's session costs: a fresh process that opens the index from its cache and searches."""
    return _child_json(_OFFICER, settings, timeout, stdin=json.dumps(queries))


def measure_help(repeat: int = 5) -> float:
    """Best wall time of ``python -m assistant --help`` in a fresh interpreter."""
    env = dict(os.environ, PYTHONPATH=str(_repo_root()) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant", "--help"],
            check=True,
            stdout=subprocess.DEVNULL,
            env=env,
            cwd=str(_repo_root()),
        )
        best = min(best, time.perf_counter() - t)
    return round(best, 4)


def measure_tui(settings) -> dict:
    """Seconds from importing the TUI to its first mounted screen (``App.run_test``), when it exists.

    Includes the import of ``assistant.tui.app`` and building its services, since the officer waits for both.
    """
    if importlib.util.find_spec("assistant.tui") is None:
        return {"status": "n/a", "reason": "assistant.tui not present"}
    try:
        import asyncio

        t0 = time.perf_counter()
        try:
            mod = importlib.import_module("assistant.tui.app")
        except ImportError as e:
            return {"status": "n/a", "reason": f"assistant.tui.app not importable: {e}"}
        t_import = time.perf_counter() - t0
        cls = getattr(mod, "AssistantApp", None)
        make_services = getattr(mod, "make_services", None)
        if cls is None or make_services is None:
            return {"status": "n/a", "reason": "assistant.tui.app has no AssistantApp/make_services"}
        app = cls(make_services(settings), None)

        async def go() -> float:
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                return time.perf_counter() - t0

        total = asyncio.run(go())
        return {"status": "ok", "seconds": round(total, 4), "import_s": round(t_import, 4)}
    except Exception as e:  # a broken TUI is reported, it does not stop the benchmark
        return {"status": "error", "reason": f"{type(e).__name__}: {e}"}


def measure_evals(index_dir: Path, timeout: float = 600) -> dict:
    if importlib.util.find_spec("assistant.evals.run") is None:
        return {"status": "n/a", "reason": "assistant.evals not present"}
    out = index_dir.parent / "evals.json"
    env = dict(os.environ, PYTHONPATH=str(_repo_root()) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "assistant", "evals", "--no-gate", "--json", str(out), "--index-dir", str(index_dir)]
    t = time.perf_counter()
    try:
        r = subprocess.run(cmd, cwd=str(_repo_root()), env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": timeout}
    dt = time.perf_counter() - t
    return {"status": "ok" if r.returncode in (0, 1) else "error", "seconds": round(dt, 2), "exit": r.returncode}


# -- one stage ------------------------------------------------------------------------------------


def time_queries(fn: Callable[[str], object], queries: Sequence[str], reps: int) -> dict:
    samples = []
    for _ in range(reps):
        for q in queries:
            t = time.perf_counter()
            fn(q)
            samples.append(time.perf_counter() - t)
    return percentiles(samples)


def ingest_stage(files: list[Path], settings, ingest) -> object:
    """Ingest a stage's files, the perturbed copies apart from the rest.

    A document's id hashes its path relative to the common folder of one ingest call. Ingested
    together with ../shared, the copies' ids would contain the temp work dir's name, and which of
    two equally scored passages (an original and its copy) ranks first would change from run to
    run. Apart, their ids depend only on ``v1/<name>``. Returns one combined report.
    """
    copies = [f for f in files if f.parent.parent.name == "perturbed"]
    rest = [f for f in files if f not in set(copies)]
    reports = [ingest(group, settings) for group in (rest, copies) if group]
    rep = reports[0]
    for more in reports[1:]:
        rep.passages += more.passages
        rep.seconds += more.seconds
        rep.failed += more.failed
        rep.added += more.added
    return rep


def bench_stage(
    stage: Stage,
    settings,
    golds: list[Gold],
    *,
    reachable: set[str] | None,
    baselines: bool,
    reps: int,
    log: Callable[[str], None],
) -> dict:
    from .ingest import ingest
    from .models import DocKind
    from .pipeline import answer_question, prepare_question
    from .retrieve import Filters, Searcher

    res: dict = {"label": stage.label, "target_passages": stage.target}
    chars = sum(len(f.read_text(encoding="utf-8")) for f in stage.files)
    log(f"[{stage.label}] ingest {len(stage.files)} files, {chars / 1e6:.1f} M chars")
    memory: dict = {"method": "VmHWM per phase" if reset_peak_rss() else "ru_maxrss (no per-phase reset here)"}
    gc.collect()
    reset_peak_rss()
    rep = ingest_stage(stage.files, settings, ingest)
    memory["ingest"] = peak_rss_mb()
    pages = chars / PAGE_CHARS
    res["ingest"] = {
        "files": len(stage.files),
        "chars": chars,
        "pages": round(pages, 1),
        "page_definition": f"{PAGE_CHARS} characters of .txt source",
        "passages": rep.passages,
        "seconds": round(rep.seconds, 2),
        "pages_per_s": round(pages / rep.seconds, 1) if rep.seconds else None,
        "passages_per_s": round(rep.passages / rep.seconds, 1) if rep.seconds else None,
        "failed": [f"{p}: {r}" for p, r in rep.failed],
    }
    log(f"[{stage.label}] ingest {res['ingest']['seconds']} s, {res['ingest']['pages_per_s']} pages/s")

    # cold build in a fresh process (what the officer's first search after an ingest costs), then again in this
    # process, whose peak also holds what this and the earlier stages' ingests left behind (reported, not a target)
    res["build_process"] = measure_build(settings)
    memory["searcher_build"] = res["build_process"].get("peak_rss_mb")
    shutil.rmtree(settings.index_dir / "cache", ignore_errors=True)
    gc.collect()
    reset_peak_rss()
    build_s, searcher = _timed(lambda: Searcher(settings))  # cold: reads the store, builds the lexical cache
    memory["searcher_build_in_bench_process"] = peak_rss_mb()
    del searcher
    gc.collect()
    reset_peak_rss()
    load_s, searcher = _timed(lambda: Searcher(settings))  # warm: from the lexical cache
    res["documents"] = len(searcher.metas)
    res["passages"] = len(searcher.passages)
    res["searcher_build_s"] = round(build_s, 2)
    res["searcher_load_s"] = round(load_s, 2)
    res["index_bytes"] = dir_bytes(settings.index_dir)
    res["index_mb"] = round(res["index_bytes"] / 1e6, 1)
    log(f"[{stage.label}] {res['passages']} passages, searcher build {build_s:.1f} s, load {load_s:.1f} s")

    queries = list(dict.fromkeys([g.query for g in golds] + [s for g in golds for s in g.sub_queries]))
    res["officer_process"] = measure_officer(settings, queries[:30])
    memory["officer_session"] = res["officer_process"].get("peak_rss_mb")
    log(f"[{stage.label}] fresh process from cache: {res['officer_process']}")
    for q in queries[:3]:  # warm caches (stemmer, splitter, hnsw pages)
        searcher.search(q)
    # the compound-part index is built on first use when its weight is 0 (the default): not inside a timing
    probe = queries[0] if queries else "kommunen budget"
    res["compound_build_s"] = round(_timed(lambda: searcher.rankings(probe, retrievers=["compound"]))[0], 2)
    kinds = {m.kind for m in searcher.metas.values()}
    kind = DocKind.prior_answer if DocKind.prior_answer in kinds else next(iter(kinds))
    some_file = Path(next(iter(searcher.metas.values())).source_path).name
    excl = {g.exclude[0] for g in golds if g.exclude} or {some_file}
    configs: dict[str, Callable[[str], object]] = {
        "hybrid": lambda q: searcher.search(q),
        "bm25": lambda q: searcher.search(q, weights={"bm25": 1.0}),
        "compound": lambda q: searcher.search(q, weights={"compound": 1.0}),
        "dense": lambda q: searcher.search(q, weights={"dense": 1.0}),
        "hybrid_kind_filter": lambda q: searcher.search(q, filters=Filters(kinds={kind})),
        "hybrid_exclude_filter": lambda q: searcher.search(q, filters=Filters(exclude_sources=excl)),
    }
    lat = {name: time_queries(fn, queries, reps) for name, fn in configs.items()}
    lat["filters"] = {"kind": kind.value, "exclude": sorted(excl)}
    res["latency_ms"] = lat
    log(f"[{stage.label}] hybrid p95 {lat['hybrid'].get('p95')} ms over {len(queries)} queries x {reps}")

    # recall@5 ----------------------------------------------------------------------------------
    scored = [g for g in golds if g.passages and (reachable is None or g.id in reachable)]
    recall: dict = {"questions": len(scored)}

    def ours(weights=None):
        hit = 0
        for g in scored:
            f = Filters(exclude_sources=set(g.exclude)) if g.exclude else None
            hits = searcher.search(g.query, TOP, filters=f, weights=weights)
            hit += _found(g, (h.passage.text for h in hits))
        return round(hit / len(scored), 3) if scored else None

    recall["hybrid"] = ours()
    for name in ("bm25", "compound", "dense"):
        recall[name] = ours({name: 1.0})

    # baselines on the same passages and queries --------------------------------------------------
    memory["in_process_queries"] = peak_rss_mb()  # load from cache, every query above, the lazy compound index
    res["peak_rss_mb_ours"] = lifetime_peak_rss_mb()
    res["rss_mb_ours"] = current_rss_mb()
    base: dict = {}
    if baselines:
        import numpy as np

        texts = [searcher.index_text(p) for p in searcher.passages]
        names = [Path(searcher.metas[p.doc_id].source_path).name for p in searcher.passages]
        makers = {
            "rank_bm25": lambda: RankBM25Baseline(texts),
            "llamaindex_bm25": lambda: LlamaBM25Baseline(texts, TOP + 40),
        }
        for bname, make in makers.items():
            try:
                bs, b = _timed(make)
            except Exception as e:
                base[bname] = {"status": "error", "reason": f"{type(e).__name__}: {e}"}
                continue
            n_lat = queries if stage.target <= 10_000 else queries[:40]
            entry = {"build_s": round(bs, 2), "latency_ms": time_queries(lambda q, b=b: b.search(q, TOP), n_lat, 1)}
            hit = 0
            for g in scored:
                banned = np.array([n in g.exclude for n in names]) if g.exclude else None
                rows = b.search(g.query, TOP, banned)
                hit += _found(g, (searcher.passages[r].text for r in rows))
            entry["recall5"] = round(hit / len(scored), 3) if scored else None
            base[bname] = entry
            recall[bname] = entry["recall5"]
            log(f"[{stage.label}] baseline {bname}: build {bs:.1f} s, p95 {entry['latency_ms'].get('p95')} ms")
            del b
            gc.collect()
    res["baselines"] = base
    res["recall5"] = recall
    log(f"[{stage.label}] recall@5 {recall}")

    # offline draft end to end --------------------------------------------------------------------
    samples = []
    for g in golds[: min(len(golds), 20)]:
        f = Filters(exclude_sources=set(g.exclude)) if g.exclude else None
        t = time.perf_counter()
        q = prepare_question(g.raw, settings, drafter="offline").question
        answer_question(q, searcher, settings, drafter="offline", filters=f)
        samples.append(time.perf_counter() - t)
    res["draft_ms"] = percentiles(samples)
    res["peak_rss_mb"] = lifetime_peak_rss_mb()
    res["memory_peak_mb"] = memory
    log(f"[{stage.label}] draft p95 {res['draft_ms'].get('p95')} ms, peak RSS {res['peak_rss_mb']} MB")
    return res


def reachable_golds(golds: list[Gold], settings) -> set[str]:
    """Gold questions whose passage strings occur inside some indexed passage (chunking can split them)."""
    from .evals.metrics import passage_found
    from .retrieve import Searcher

    texts = [p.text for p in Searcher(settings).passages]
    return {g.id for g in golds if g.passages and any(passage_found(gp, t) for gp in g.passages for t in texts)}


# -- report ---------------------------------------------------------------------------------------


def _pf(value, target, lower_is_better=True) -> str:
    if value is None:
        return "n/a"
    ok = value <= target if lower_is_better else value >= target
    return "PASS" if ok else "FAIL"


def targets(result: dict) -> list[dict]:
    sizes = result["sizes"]
    out = []
    if not sizes:
        return out
    big = sizes[-1]
    lat = big["latency_ms"]
    p95 = max(lat[k].get("p95", 0) for k in ("hybrid", "hybrid_kind_filter", "hybrid_exclude_filter"))
    ing_pages = sum(s["ingest"]["pages"] for s in sizes)
    ing_secs = sum(s["ingest"]["seconds"] for s in sizes)
    rows = [
        (f"hybrid p95 incl. filtered @{big['label']} (ms)", p95, TARGETS["hybrid_p95_ms"], True),
        ("ingest (pages/s, all stages)", round(ing_pages / ing_secs, 1) if ing_secs else None, 50.0, False),
        ("assistant --help (s)", result["global"].get("help_s"), TARGETS["help_s"], True),
        ("TUI first paint (s)", result["global"]["tui"].get("seconds"), TARGETS["tui_first_paint_s"], True),
        (
            f"offline draft p95 @{big['label']} (s)",
            round(big["draft_ms"].get("p95", 0) / 1000, 3),
            TARGETS["draft_s"],
            True,
        ),
        (
            f"peak RSS @{big['label']} (MB): ingest / index build (fresh process) / officer session, the largest",
            _largest_phase(big),
            TARGETS["peak_rss_mb"],
            True,
        ),
    ]
    for name, value, target, lower in rows:
        out.append({"metric": name, "value": value, "target": target, "result": _pf(value, target, lower)})
    out.append(
        {
            "metric": f"peak RSS @{big['label']} (MB): this bench process, all stages, before baselines",
            "value": big["peak_rss_mb_ours"],
            "target": "(information: one process that ingests 1k+10k+100k and builds every index)",
            "result": "info",
        }
    )
    first = sizes[0]["recall5"].get("hybrid")
    last = big["recall5"].get("hybrid")
    out.append(
        {
            "metric": f"hybrid recall@5 {sizes[0]['label']} -> {big['label']}",
            "value": f"{first} -> {last}",
            "target": "no drop",
            "result": "n/a" if first is None or last is None else ("PASS" if last >= first else "FAIL"),
        }
    )
    return out


def _largest_phase(size: dict) -> float | None:
    """The largest per-phase peak of one stage: what a machine must hold to ingest, build and search."""
    mem = size.get("memory_peak_mb") or {}
    vals = [mem.get(k) for k in ("ingest", "searcher_build", "officer_session")]
    vals = [v for v in vals if isinstance(v, (int, float))]
    return max(vals) if vals else size.get("peak_rss_mb_ours")


def format_table(result: dict) -> str:
    sizes = result["sizes"]
    cols = [s["label"] for s in sizes]
    lines: list[str] = []

    def row(name: str, vals: list) -> None:
        lines.append(f"{name:<38}" + "".join(f"{'' if v is None else v!s:>16}" for v in vals))

    row("", cols)
    row("documents / passages", [f"{s['documents']}/{s['passages']}" for s in sizes])
    row("ingest pages/s (2000 chars = 1 page)", [s["ingest"]["pages_per_s"] for s in sizes])
    row("ingest passages/s", [s["ingest"]["passages_per_s"] for s in sizes])
    row("index on disk (MB)", [s["index_mb"] for s in sizes])
    row("searcher build / load (s)", [f"{s['searcher_build_s']}/{s['searcher_load_s']}" for s in sizes])
    for k in ("hybrid", "hybrid_kind_filter", "hybrid_exclude_filter", "bm25", "compound", "dense"):
        row(
            f"{k} p50/p95/p99 ms",
            [
                "{p50:.1f}/{p95:.1f}/{p99:.1f}".format(**s["latency_ms"][k]) if s["latency_ms"][k].get("n") else "-"
                for s in sizes
            ],
        )
    for b in ("rank_bm25", "llamaindex_bm25"):
        row(
            f"  baseline {b} p50/p95 ms",
            [
                "{p50:.1f}/{p95:.1f}".format(**s["baselines"][b]["latency_ms"])
                if s["baselines"].get(b, {}).get("latency_ms")
                else "-"
                for s in sizes
            ],
        )
        row(f"  baseline {b} build s", [s["baselines"].get(b, {}).get("build_s") for s in sizes])
    for k in ("hybrid", "bm25", "compound", "dense", "rank_bm25", "llamaindex_bm25"):
        row(f"recall@5 {k}", [s["recall5"].get(k) for s in sizes])
    row("recall questions scored", [s["recall5"].get("questions") for s in sizes])
    row("offline draft p50/p95 ms", ["{p50:.0f}/{p95:.0f}".format(**s["draft_ms"]) for s in sizes])
    for k in ("ingest", "searcher_build", "searcher_build_in_bench_process", "officer_session", "in_process_queries"):
        row(f"peak RSS MB: {k.replace('_', ' ')}", [(s.get("memory_peak_mb") or {}).get(k) for s in sizes])
    row(
        "peak RSS MB, bench process (ours / +baselines)", [f"{s['peak_rss_mb_ours']}/{s['peak_rss_mb']}" for s in sizes]
    )
    row(
        "officer: load s/warm s/p95 ms/RSS MB",
        [
            "/".join(
                str(s.get("officer_process", {}).get(k)) for k in ("load_s", "warm_s", "search_p95_ms", "peak_rss_mb")
            )
            for s in sizes
        ],
    )
    g = result["global"]
    lines.append("")
    lines.append(f"assistant --help best of 5: {g.get('help_s')} s")
    tui = g["tui"]
    lines.append(f"TUI first paint: {tui.get('seconds', tui.get('status'))} ({tui.get('reason', '')})")
    ev = g["evals"]
    lines.append(f"evals wall time: {ev.get('seconds', ev.get('status'))} {ev.get('reason', '')}")
    lines.append("")
    lines.append("targets:")
    for t in result["targets"]:
        lines.append(f"  {t['result']:<5} {t['metric']:<44} {t['value']!s:>14}  (target {t['target']})")
    return "\n".join(lines)


# -- entry point -----------------------------------------------------------------------------------


def run(
    settings,
    *,
    quick: bool = False,
    workdir: Path | None = None,
    baselines: bool = True,
    log: Callable[[str], None] = print,
    partial: Path | None = None,
) -> dict:
    """Run the stages; with ``partial`` the result so far is written there after every stage."""
    shared = _shared_root()
    s_files, sc_files = shared_files(shared), scale_files(shared)
    if not s_files:
        raise FileNotFoundError(f"no shared documents under {shared} (set ASSISTANT_SHARED)")
    labels = ["1k"] if quick else list(SIZES)
    own = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="assistant-bench-")) if own else Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    s = settings.model_copy(update={"index_dir": workdir / "index"})
    golds = load_gold(_repo_root() / "evals" / "gold" / "shared.jsonl")
    result: dict = {
        "date": _dt.date.today().isoformat(),
        "quick": quick,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
        },
        "versions": _versions(),
        "settings": {
            "chunking": s.chunking.model_dump(),
            "embedding": s.embedding.model,
            "retrieval": s.retrieval.model_dump(),
        },
        "page_definition": f"{PAGE_CHARS} characters of .txt source text",
        "sizes": [],
    }
    try:
        t0 = time.perf_counter()
        stages = plan_stages(labels, s_files, sc_files, workdir)
        from .store import Store

        Store(s).count()  # open Chroma once, outside the timed ingest
        reachable = None
        for i, st in enumerate(stages):
            res = bench_stage(st, s, golds, reachable=reachable, baselines=baselines, reps=1 if quick else 2, log=log)
            if i == 0:
                reachable = reachable_golds(golds, s)
                res["recall5"]["note"] = "scored on questions whose gold strings occur inside one 1k passage"
            result["sizes"].append(res)
            if partial is not None:
                partial.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        result["global"] = {
            "help_s": measure_help(),
            "tui": measure_tui(s),
            "evals": {"status": "skipped", "reason": "--quick"} if quick else measure_evals(workdir / "evals-index"),
        }
        result["total_s"] = round(time.perf_counter() - t0, 1)
        result["targets"] = targets(result)
    finally:
        if own:
            shutil.rmtree(workdir, ignore_errors=True)
    return result


def main(args, settings) -> int:
    """``assistant bench [--quick] [--json OUT]``. Prints the table; 0 on a completed run."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    workdir = Path(args.index_dir) if getattr(args, "index_dir", None) else None
    out = getattr(args, "json", None)
    if out:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    try:
        result = run(
            settings,
            quick=bool(getattr(args, "quick", False)),
            workdir=workdir,
            log=lambda m: print(m, flush=True),
            partial=Path(out + ".partial") if out else None,
        )
    except FileNotFoundError as e:
        print(f"fejl: {e}", file=sys.stderr)
        return 2
    print()
    print(format_table(result))
    if out:
        Path(out + ".partial").unlink(missing_ok=True)
        Path(out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nJSON: {out}")
    return 0
