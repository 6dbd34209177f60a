"""Smoke test of ``assistant bench``: a tiny run completes and writes the JSON the README describes.

No timed asserts: benchmarks measure, tests check behaviour.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from assistant import bench
from assistant.config import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared"


def test_percentiles_nearest_rank():
    samples = [i / 1000 for i in range(1, 101)]  # 1..100 ms, shuffled order must not matter
    samples.reverse()
    p = bench.percentiles(samples)
    assert p["n"] == 100
    assert p["p50"] == 50.0 and p["p95"] == 95.0 and p["p99"] == 99.0 and p["max"] == 100.0
    assert bench.percentiles([]) == {"n": 0}


def test_perturb_changes_names_numbers_and_years_deterministically():
    text = "Det sagde Karen Hansen den 12. marts 2023 om 54.044 kr. til Roskilde Kommune."
    a, b = bench.perturb(text, 1), bench.perturb(text, 1)
    assert a == b != text
    assert "2022" in a and "2023" not in a
    assert "Karen Hansen" not in a and "54.044" not in a
    assert bench.perturb(text, 2) != a
    assert a.startswith("Det sagde ")  # sentence words survive; only names and numbers move


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared/seeds not present (shared test corpus)")
def test_quick_run_writes_json_with_expected_shape(tmp_path, monkeypatch):
    seeds = sorted(p for p in (SHARED / "seeds").glob("*.txt"))[:3]
    monkeypatch.setattr(bench, "shared_files", lambda root: seeds)
    monkeypatch.setattr(bench, "scale_files", lambda root: [])
    monkeypatch.setitem(bench.SIZES, "1k", 50)
    monkeypatch.setattr(bench, "measure_tui", lambda s: {"status": "n/a", "reason": "skipped in test"})
    monkeypatch.setattr(bench, "measure_help", lambda repeat=5: 0.1)
    load_gold = bench.load_gold
    monkeypatch.setattr(bench, "load_gold", lambda path, shared=None: load_gold(path, shared)[:4])
    out = tmp_path / "r.json"
    args = argparse.Namespace(quick=True, json=str(out), index_dir=str(tmp_path / "work"), config=None)
    assert bench.main(args, Settings(index_dir=tmp_path / "unused")) == 0

    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["quick"] is True and [s["label"] for s in data["sizes"]] == ["1k"]
    st = data["sizes"][0]
    assert st["passages"] > 0 and st["documents"] == len(seeds)
    assert st["ingest"]["pages"] > 0 and st["ingest"]["passages"] == st["passages"]
    assert st["index_bytes"] > 0
    for name in ("hybrid", "bm25", "compound", "dense", "hybrid_kind_filter", "hybrid_exclude_filter"):
        lat = st["latency_ms"][name]
        assert lat["n"] > 0 and lat["p50"] <= lat["p95"] <= lat["p99"] <= lat["max"]
    for key in ("hybrid", "bm25", "rank_bm25", "llamaindex_bm25"):
        assert key in st["recall5"]
        v = st["recall5"][key]
        assert v is None or 0.0 <= v <= 1.0
    assert set(st["baselines"]) == {"rank_bm25", "llamaindex_bm25"}
    assert st["draft_ms"]["n"] > 0 and st["peak_rss_mb"] >= st["peak_rss_mb_ours"] > 0
    mem = st["memory_peak_mb"]
    for phase in ("ingest", "searcher_build", "officer_session", "in_process_queries"):
        assert 0 < mem[phase] <= st["peak_rss_mb"], phase
    assert st["compound_build_s"] >= 0
    assert st["officer_process"]["warm_s"] >= 0 and st["officer_process"]["search_p95_ms"] > 0
    assert data["global"]["evals"]["status"] == "skipped"
    assert {t["result"] for t in data["targets"]} <= {"PASS", "FAIL", "n/a", "info"}
    assert len(data["targets"]) == 8
    rss = next(t for t in data["targets"] if t["metric"].startswith("peak RSS @1k (MB): ingest"))
    assert rss["value"] == max(mem["ingest"], mem["searcher_build"], mem["officer_session"])


def test_peak_rss_window_resets_and_a_child_does_not_inherit_the_parents_peak(tmp_path):
    """The officer process reports its own peak, not this (larger) process's: ``ru_maxrss`` would not."""
    if not bench.reset_peak_rss():
        pytest.skip("no per-process peak reset on this platform")
    ballast = bytearray(300 * 1024 * 1024)
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    big = bench.peak_rss_mb()
    assert big >= 300
    child = bench.measure_officer(Settings(index_dir=tmp_path / "empty"), [])
    del ballast
    assert bench.reset_peak_rss()
    assert bench.peak_rss_mb() < big - 250  # the window starts again at the current size
    assert "error" not in child, child
    assert child["peak_rss_mb"] < big - 150  # a fresh interpreter with an empty index, not the ballast


def test_bench_reads_gold_through_the_evals_loader_and_found_rule(tmp_path):
    """One loader and one "found" rule: bench takes new-format sub-questions and matches passages as the evals do."""
    from assistant.evals.metrics import passage_found

    row = {
        "id": "b1",
        "corpus": "sample",
        "question": "Hvor meget koster madklubberne, og hvem betaler?",
        "gold_docs": ["01_bevillingsudloeb_budget_2026.md"],
        "gold_passages": ["Madklubber på plejehjem"],
        "answerable": True,
        "sub_questions": [
            {"text": "Hvor meget koster madklubberne?", "answerable": True, "subject": ["madklub"]},
            {"text": "Hvem betaler for madklubberne?", "answerable": True, "subject": ["madklub"]},
        ],
    }
    p = tmp_path / "g.jsonl"
    p.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    (g,) = bench.load_gold(p, tmp_path)
    assert g.sub_queries == ["Hvor meget koster madklubberne?", "Hvem betaler for madklubberne?"]
    assert g.passages == ["Madklubber på plejehjem"]  # kept as written: the rule is case-sensitive
    texts = ["| Mad-\n\nklubber på plejehjem | 1.750 |"]
    assert bench._found(g, texts) and passage_found(g.passages[0], texts[0])
    assert not bench._found(g, ["MADKLUBBER PÅ PLEJEHJEM"])
    assert bench.load_gold(tmp_path / "absent.jsonl") == []
