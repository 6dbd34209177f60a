"""Unit tests for analysis, embedding, fusion and chunking: pure functions, no store."""

from __future__ import annotations

import pytest

from assistant.analysis import CompoundSplitter, analyze, tokens
from assistant.chunking import chunk_document
from assistant.embed import HashEmbedder
from assistant.models import Block, BlockKind, Document, DocumentMeta
from assistant.retrieve import Filters, fuse


def test_tokens_keep_budget_identifiers():
    toks = tokens("§ 7.11.01 udgør 123,4 mio. kr., jf. tekstanm. 3 og 54.044 t.kr.")
    assert "§" in toks and "7.11.01" in toks and "123,4" in toks and "54.044" in toks and "3" in toks
    assert "og" not in toks  # stopword


def test_danish_stemming_can_be_switched_off():
    assert analyze("plejehjemmene kommunerne") != analyze("plejehjemmene kommunerne", stemming=False)
    assert analyze("kommunerne") == analyze("kommunen")  # both stem to the same Danish stem


def test_compound_splitter_uses_corpus_vocabulary():
    texts = ["ældre reform midler", "ældre og reform", "midlerne til ældre", "reform af midler"] * 2
    cs = CompoundSplitter.learn(texts)
    parts = cs.split("ældrereformmidler")
    assert parts[0] == "ældre" and len(parts) >= 2
    assert cs.split("kaffe") == ("kaffe",)  # unknown short word is left alone


def test_hash_embedder_is_deterministic_and_morphology_aware():
    e = HashEmbedder(256)
    a, b, c = e.embed_array(["plejehjemmet i byen", "plejehjem i byen", "budget for skoler"])
    assert e.embed(["plejehjem"]) == HashEmbedder(256).embed(["plejehjem"])
    assert float(a @ b) > float(a @ c)
    assert abs(float(a @ a) - 1.0) < 1e-5


def test_fuse_rewards_agreement_and_respects_weights():
    ranked = fuse({"bm25": ["a", "b", "c"], "dense": ["b", "a", "d"]}, {"bm25": 1.0, "dense": 1.0})
    ids = [i for i, _, _ in ranked]
    assert set(ids[:2]) == {"a", "b"} and ids[-1] in {"c", "d"}
    assert ranked[0][1] <= 1.0
    only_dense = fuse({"bm25": ["a"], "dense": ["d"]}, {"bm25": 0.0, "dense": 1.0})
    assert [i for i, _, _ in only_dense] == ["d"]
    assert only_dense[0][1] == pytest.approx(1.0)
    assert ranked[0][2]  # ranks per retriever are reported


def test_fuse_floor_scores_a_missing_item_as_ranked_just_below_the_list():
    bm25 = ["a", "b"] + [f"x{i}" for i in range(20)]
    dense = [f"x{i}" for i in range(12, 20)] + ["c"]  # "b" is BM25's second but missing from the dense list
    w = {"bm25": 1.0, "dense": 0.25}
    plain = [i for i, _, _ in fuse({"bm25": bm25, "dense": dense}, w)]
    floored = fuse({"bm25": bm25, "dense": dense}, w, floor_at=len(dense))
    assert plain.index("b") > plain.index("x12")  # without the floor, agreement on rank 15 beats rank 2
    ids = [i for i, _, _ in floored]
    assert ids[:2] == ["a", "b"]
    score = dict((i, sc) for i, sc, _ in floored)
    best = 1.0 / 61 + 0.25 / 61
    assert score["b"] == pytest.approx((1.0 / 62 + 0.25 / (60 + len(dense) + 1)) / best)
    assert "dense" not in floored[1][2]  # the reported ranks stay the real ones
    # with one list the floor changes nothing
    assert fuse({"bm25": bm25}, {"bm25": 1.0}, floor_at=len(bm25)) == fuse({"bm25": bm25}, {"bm25": 1.0})


def test_fuse_floor_leaves_a_complete_short_list_alone():
    """BM25 returns only passages holding a query word: one not in its short list does not match at all."""
    dense = [f"d{i}" for i in range(50)]
    w = {"bm25": 1.0, "dense": 0.25}
    ranked = fuse({"bm25": ["only"], "dense": dense}, w, floor_at=50)
    score = {i: sc for i, sc, _ in ranked}
    best = 1 / 61 + 0.25 / 61
    assert ranked[0][0] == "only"
    assert score["d0"] == pytest.approx((0.25 / 61) / best)  # no BM25 credit for passages without a query word
    assert score["only"] == pytest.approx((1 / 61 + 0.25 / 111) / best)  # the full dense list still floors it


def test_fuse_matches_llama_index_reciprocal_rerank_on_equal_weights():
    """Our weighted RRF reduces to llama-index's reciprocal rerank when all weights are 1."""
    from llama_index.core.retrievers.fusion_retriever import QueryFusionRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

    lists = {"bm25": ["a", "b", "c"], "dense": ["c", "a", "e"]}
    results = {
        (f"q{i}", i): [NodeWithScore(node=TextNode(id_=x, text=x), score=1.0 / (r + 1)) for r, x in enumerate(v)]
        for i, v in enumerate(lists.values())
    }
    fr = QueryFusionRetriever.__new__(QueryFusionRetriever)
    fr.similarity_top_k = 10
    theirs = [n.node.node_id for n in QueryFusionRetriever._reciprocal_rerank_fusion(fr, results)]
    ours = [i for i, _, _ in fuse(lists, {"bm25": 1.0, "dense": 1.0})]
    assert ours[: len(theirs)] == theirs
    assert QueryBundle  # imported to make sure the llama-index schema is the one we target


def _doc(blocks_spec):
    text, blocks, pos = "", [], 0
    for kind, t, level in blocks_spec:
        if text:
            text += "\n\n"
            pos = len(text)
        text += t
        blocks.append(Block(kind=kind, text=t, start=pos, end=pos + len(t), level=level))
    meta = DocumentMeta(doc_id="d-1", title="T", source_path="/x/t.md", sha256="ab" * 32)
    return Document(meta=meta, text=text, blocks=blocks)


def test_chunks_follow_headings_and_keep_spans():
    para = "Forvaltningen anbefaler at videreføre indsatsen. " * 5
    doc = _doc(
        [
            (BlockKind.heading, "Budget", 1),
            (BlockKind.paragraph, para, 0),
            (BlockKind.heading, "Madklubber", 2),
            (BlockKind.paragraph, "Madklubber på plejehjem koster 1.750 t.kr. om året.", 0),
            (BlockKind.table, "Indsats | Beløb\nMadklubber | 1.750\nI alt | 54.044", 0),
        ]
    )
    ps = chunk_document(doc, max_words=60, overlap_words=10, min_words=5)
    for p in ps:
        assert doc.text[p.start : p.end] == p.text
    assert ps[0].heading_path == ["Budget"]
    table = [p for p in ps if "54.044" in p.text]
    assert len(table) == 1 and "Madklubber | 1.750" in table[0].text  # the table is whole
    assert table[0].heading_path == ["Budget", "Madklubber"]
    assert len({p.chunk_id for p in ps}) == len(ps)


def test_long_paragraph_is_split_with_overlap():
    sent = [f"Sætning nummer {i} handler om ældreområdet og budgettet." for i in range(40)]
    doc = _doc([(BlockKind.paragraph, " ".join(sent), 0)])
    ps = chunk_document(doc, max_words=50, overlap_words=10, min_words=5)
    assert len(ps) > 3
    for a, b in zip(ps, ps[1:], strict=False):
        assert b.start < a.end  # consecutive pieces overlap
        assert len(b.text.split()) <= 60


def test_filters_on_metadata():
    from assistant.models import DocKind

    m = DocumentMeta(
        doc_id="x",
        title="t",
        source_path="/a/000_x.txt",
        sha256="0",
        kind=DocKind.prior_answer,
        date="2026-05-22",
        authority="Københavns Kommune",
    )
    assert Filters(exclude_sources={"000_x.txt"}).allows(m) is False
    assert Filters(kinds={DocKind.budget_note}).allows(m) is False
    assert Filters(authority="københavn", date_from="2026").allows(m) is True
    assert Filters(date_to="2025-12-31").allows(m) is False
