"""The llama-index seam: ``assistant.llamaindex.HybridRetriever`` ranks exactly as ``assistant search``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.resources import sample_corpus

QUERIES = [
    "madklubber plejehjem",
    "Hvad koster en forsøgsordning med social henvisning for ensomme ældre?",
    "demenssygeplejersker udredning borgere",
    "bevillinger der udløber til Budget 2026",
    "klippekort plejehjemsbeboere kommuner",
]


@pytest.fixture(scope="module")
def sample_index(tmp_path_factory):
    from assistant.ingest import ingest
    from assistant.retrieve import Searcher

    d = tmp_path_factory.mktemp("li")
    s = Settings(index_dir=d / "index", drafts_dir=d / "drafts")
    corpus = sample_corpus()
    rep = ingest([p for p in sorted(corpus.iterdir()) if p.suffix == ".md" and p.name != "README.md"], s)
    assert rep.ok and rep.passages > 20
    return s, Searcher(s)


def test_retriever_ranks_as_assistant_search_with_passage_metadata(sample_index, capsys):
    from llama_index.core.retrievers import BaseRetriever
    from llama_index.core.schema import NodeWithScore, QueryBundle, TextNode

    from assistant.cli import main
    from assistant.llamaindex import HybridRetriever

    s, searcher = sample_index
    retriever = HybridRetriever(searcher, k=6)
    assert isinstance(retriever, BaseRetriever)
    for q in QUERIES:
        assert main(["search", q, "-k", "6", "--json", "--index-dir", str(s.index_dir)]) == 0
        cli_hits = json.loads(capsys.readouterr().out)["results"]  # the versioned search JSON (schemas/)
        nodes = retriever.retrieve(q)
        assert cli_hits and all(isinstance(n, NodeWithScore) and isinstance(n.node, TextNode) for n in nodes)
        assert [n.node.node_id for n in nodes] == [h["passage"]["chunk_id"] for h in cli_hits], q
        assert [n.score for n in nodes] == pytest.approx([h["score"] for h in cli_hits]), q
        for n, h in zip(nodes, cli_hits, strict=True):
            p, m = h["passage"], h["meta"]
            assert n.node.text == p["text"]
            assert (n.node.start_char_idx, n.node.end_char_idx) == (p["start"], p["end"])
            assert n.node.metadata == {
                "doc": Path(m["source_path"]).name,
                "doc_id": m["doc_id"],
                "chunk_id": p["chunk_id"],
                "title": m["title"],
                "kind": m["kind"],
                "date": m["date"],
                "authority": m["authority"],
                "heading_path": " / ".join(p["heading_path"]),
                "page": p["page"],
                "start": p["start"],
                "end": p["end"],
                "flags": ",".join(p["flags"]),
                "relevance": h["relevance"],
            }
    # a QueryBundle works as well as a string, and async retrieval gives the same
    assert [n.node.node_id for n in retriever.retrieve(QueryBundle(QUERIES[1]))] == [
        n.node.node_id for n in retriever.retrieve(QUERIES[1])
    ]


async def test_aretrieve_matches_retrieve(sample_index):
    from assistant.llamaindex import HybridRetriever

    retriever = HybridRetriever(sample_index[1])
    got = await retriever.aretrieve(QUERIES[3])
    assert [n.node.node_id for n in got] == [h.passage.chunk_id for h in sample_index[1].search(QUERIES[3])]


def test_filters_and_the_query_engine_use_our_ranking(sample_index):
    from llama_index.core.llms import MockLLM
    from llama_index.core.query_engine import RetrieverQueryEngine

    from assistant.llamaindex import HybridRetriever
    from assistant.models import DocKind
    from assistant.retrieve import Filters

    s, searcher = sample_index
    only = Filters(kinds={DocKind.decision})
    retriever = HybridRetriever(searcher, k=3, filters=only)
    nodes = retriever.retrieve(QUERIES[1])
    assert nodes and {n.node.metadata["kind"] for n in nodes} == {"decision"}

    # a fake LLM (llama-index's MockLLM repeats the prompt it gets: it holds no answer of its own)
    engine = RetrieverQueryEngine.from_args(retriever, llm=MockLLM())
    response = engine.query(QUERIES[1])
    assert [n.node.node_id for n in response.source_nodes] == [n.node.node_id for n in nodes]
    top = nodes[0].node
    assert top.get_content()[:60] in str(response)  # our top passage reached the LLM's context
    assert top.metadata["title"] in str(response) and top.metadata["chunk_id"] not in str(response)
