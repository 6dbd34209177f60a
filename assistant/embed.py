"""Embedders: the offline hashing embedder, and any litellm embedding model.

The default ``hash`` embedder needs no weights and no network: each word and
the character 4-grams of longer words are hashed (crc32, stable across runs)
into a fixed number of buckets, then the vector is L2-normalised. It is a
lexical-morphological signal (it matches "plejehjemmet" with "plejehjem"), not
a semantic one; a real embedding model is a setting away.
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

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


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

    def embed_array(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self.embed_one(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)


def make_embedder(settings) -> Embedder:
    """The embedder the settings name: ``hash`` offline, anything else through litellm."""
    if settings.embedding.model == "hash":
        return HashEmbedder(settings.embedding.dim)
    from .llm import LiteLLMEmbedder

    return LiteLLMEmbedder(settings)
