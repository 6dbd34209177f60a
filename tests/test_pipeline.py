"""Integration: ingest ../shared/seeds + corpus-extra into a temp index, then search it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.ingest import ingest
from assistant.models import SEARCH_SCHEMA_VERSION
from assistant.retrieve import Filters, Searcher
from tests.conftest import EXTRA, ROOT, SEEDS, need_shared


def _top_file(searcher: Searcher, query: str, **kw) -> str:
    hits = searcher.search(query, 5, **kw)
    assert hits, f"no hits for {query!r}"
    return Path(hits[0].meta.source_path).name


def test_every_shared_file_is_indexed(shared_index):
    s, rep, searcher = shared_index
    assert len(rep.added) == 19 and not rep.failed
    assert searcher.stats()["documents"] == 19
    assert rep.passages == len(searcher.passages) > 50


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("madklubber plejehjem", "002_75796f79be92bc9e.txt"),
        ("klippekort plejehjem kommuner", "qa06_ft_SUU_2019-20_spm516_klippekort_plejehjem.txt"),
        ("De Jong Gierveld", "004_97d66f51cd9469be.txt"),
    ],
)
def test_known_queries_rank_their_document_first(shared_index, query, expected):
    assert _top_file(shared_index[2], query) == expected


def test_seed_003_body_is_not_doubled(shared_index):
    searcher = shared_index[2]
    texts = [
        p.text for p in searcher.passages if searcher.metas[p.doc_id].source_path.endswith("003_bf5ca37dc327f5ce.txt")
    ]
    joined = "\n".join(texts)
    needle = "praktiserende læger kan henvise til en social brobygger"
    assert joined.count(needle) == 1, joined.count(needle)
    assert "DocumentId" not in joined and "<div" not in joined


def test_hyphenation_repaired_and_debris_gone(shared_index):
    searcher = shared_index[2]
    text = "\n".join(p.text for p in searcher.passages)
    assert "nettoudgiftspost" in text
    assert "Sundheds- og Omsorgsudvalget" in text  # a real hyphen survives
    assert "Afdeling for Økonomi 12/12" not in text
    assert ".png" not in text


def test_passage_spans_point_into_the_cleaned_document(shared_index):
    from assistant.documents import read_document

    searcher = shared_index[2]
    by_doc: dict[str, list] = {}
    for p in searcher.passages:
        by_doc.setdefault(p.doc_id, []).append(p)
    for doc_id, ps in by_doc.items():
        doc = read_document(Path(searcher.metas[doc_id].source_path), root=SEEDS.parent)
        for p in ps:
            assert doc.text[p.start : p.end] == p.text


def test_filters_exclude_and_kind(shared_index):
    searcher = shared_index[2]
    f = Filters(exclude_sources={"002_75796f79be92bc9e.txt"})
    assert _top_file(searcher, "madklubber plejehjem", filters=f) != "002_75796f79be92bc9e.txt"
    from assistant.models import DocKind

    hits = searcher.search("plejehjem", 10, filters=Filters(kinds={DocKind.prior_answer}))
    assert hits and all(h.meta.kind == DocKind.prior_answer for h in hits)


def test_reingest_unchanged_writes_nothing_and_changes_replace(tmp_path):
    need_shared()
    src = tmp_path / "docs"
    src.mkdir()
    for name in ("004_97d66f51cd9469be.txt", "002_75796f79be92bc9e.txt"):
        shutil.copy(SEEDS / name, src / name)
    s = Settings(index_dir=tmp_path / "index")
    first = ingest([src], s)
    assert len(first.added) == 2
    second = ingest([src], s)
    assert second.added == [] and second.updated == [] and len(second.unchanged) == 2 and second.passages == 0
    # change one file: its passages are replaced, the other is untouched
    f = src / "004_97d66f51cd9469be.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n\nTilføjet afsnit om zebraovergange i 2031.\n", encoding="utf-8")
    third = ingest([src], s)
    assert [Path(p).name for p in third.updated] == ["004_97d66f51cd9469be.txt"] and len(third.unchanged) == 1
    sr = Searcher(s)
    assert _top_file(sr, "zebraovergange") == "004_97d66f51cd9469be.txt"
    live = {e.meta.sha256 for e in sr.manifest.values()}
    assert sr.store.count() == len(sr.passages)  # old passages of the changed file are gone
    assert all(sr.metas[p.doc_id].sha256 in live for p in sr.passages)
    # prune: a deleted file disappears from the index
    (src / "002_75796f79be92bc9e.txt").unlink()
    pruned = ingest([src], s, prune=True)
    assert [Path(p).name for p in pruned.removed] == ["002_75796f79be92bc9e.txt"]
    assert Searcher(s).stats()["documents"] == 1


def test_bad_files_are_named_and_do_not_stop_the_run(tmp_path):
    need_shared()
    src = tmp_path / "docs"
    src.mkdir()
    shutil.copy(SEEDS / "004_97d66f51cd9469be.txt", src)
    (src / "corrupt.docx").write_bytes(b"PK\x03\x04 this is not really a docx")
    (src / "empty.pdf").write_bytes(b"")
    s = Settings(index_dir=tmp_path / "index")
    rep = ingest([src], s)
    failed = {Path(p).name: reason for p, reason in rep.failed}
    assert set(failed) == {"corrupt.docx", "empty.pdf"}
    assert all(reason for reason in failed.values())
    assert len(rep.added) == 1
    # the CLI says so by name and exits non-zero, with the good file indexed
    r = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(src), "--index-dir", str(tmp_path / "i2")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 1
    assert "corrupt.docx" in r.stderr and "empty.pdf" in r.stderr
    assert "1 tilføjet" in r.stdout


def test_empty_corpus_and_empty_index_are_clear_errors(tmp_path):
    empty = tmp_path / "nothing"
    empty.mkdir()
    r = subprocess.run(
        [sys.executable, "-m", "assistant", "ingest", str(empty), "--index-dir", str(tmp_path / "i")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 1 and "ingen filer" in r.stderr
    r = subprocess.run(
        [sys.executable, "-m", "assistant", "search", "plejehjem", "--index-dir", str(tmp_path / "i")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode != 0 and "tomt" in r.stderr


def test_lexical_cache_is_reused_and_rebuilt_on_change(shared_index, tmp_path):
    s, _, searcher = shared_index
    cache = searcher._cache_dir()
    assert (cache / "passages.jsonl").exists()
    again = Searcher(s)
    assert again.version == searcher.version and len(again.passages) == len(searcher.passages)
    # a damaged cache is rebuilt, not trusted
    (cache / "lexical" / "info.json").write_text("{broken")
    rebuilt = Searcher(s)
    assert len(rebuilt.passages) == len(searcher.passages)
    assert _top_file(rebuilt, "De Jong Gierveld") == "004_97d66f51cd9469be.txt"


def test_search_cli_json(shared_index):
    import json

    s = shared_index[0]
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant",
            "search",
            "De Jong Gierveld",
            "--json",
            "-k",
            "2",
            "--index-dir",
            str(s.index_dir),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["schema_version"] == SEARCH_SCHEMA_VERSION and out["query"] == "De Jong Gierveld"
    hits = out["results"]
    assert hits[0]["doc"] == "004_97d66f51cd9469be.txt" and hits[0]["rank"] == 1
    assert hits[0]["chunk_id"] == hits[0]["passage"]["chunk_id"] and hits[0]["text"] == hits[0]["passage"]["text"]
    assert len(hits) == 2 and hits[0]["meta"]["source_path"].endswith("004_97d66f51cd9469be.txt")
    assert EXTRA.exists()


def test_narrow_filter_still_gets_a_full_dense_list(shared_index):
    """With few rows allowed, the dense side is searched exactly over them, not post-filtered away."""
    from assistant.models import DocKind

    searcher = shared_index[2]
    f = Filters(kinds={DocKind.prior_answer})
    allowed = [p for p in searcher.passages if searcher.metas[p.doc_id].kind == DocKind.prior_answer]
    dense = searcher.rankings("plejehjem pårørende", filters=f, candidates=10, retrievers=("dense",))["dense"]
    assert len(dense) == min(10, len(allowed))
    assert all(searcher.metas[searcher.passages[searcher.row_of[c]].doc_id].kind == DocKind.prior_answer for c in dense)
    # and the exact ranking agrees with the unfiltered store's order on the allowed rows
    full = [c for c, _ in searcher.store.dense_query(searcher.embedder.embed(["plejehjem pårørende"])[0], 500)]
    expected = [c for c in full if c in {p.chunk_id for p in allowed}][:3]
    assert dense[:3] == expected
