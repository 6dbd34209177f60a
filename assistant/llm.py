"""The one seam to language and embedding models. The only module that imports litellm.

Every call goes through ``chat``: CPR numbers are replaced by placeholders
before a non-local call and restored in the result; timeouts, retries and
fallbacks come from settings; failures become ``LLMError`` naming the model
and the setting to change. ``SENT`` records the last outbound payloads for
tests (a bounded list, never written anywhere).
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from typing import Any

from .config import Settings
from .privacy import redact, restore

SENT: deque[dict] = deque(maxlen=20)  # last outbound requests, for tests and debugging in-process only


class LLMError(RuntimeError):
    """A model call failed; the message names the model and the setting."""


def _litellm():
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_TELEMETRY", "False")
    import litellm

    litellm.telemetry = False
    litellm.suppress_debug_info = True
    return litellm


def _common_kwargs(settings: Settings) -> dict[str, Any]:
    s = settings.llm
    kw: dict[str, Any] = {"timeout": s.timeout, "num_retries": s.retries}
    if s.api_base:
        kw["api_base"] = s.api_base
    if s.api_key is not None:
        kw["api_key"] = s.api_key.get_secret_value()
    if s.api_version:
        kw["api_version"] = s.api_version
    return kw


def _router(settings: Settings):
    import yaml  # pyyaml comes with litellm

    lt = _litellm()
    path = settings.llm.router_config
    try:
        cfg = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise LLMError(f"cannot read llm.router_config {path}: {e}") from None
    return lt.Router(
        model_list=cfg.get("model_list", []),
        fallbacks=cfg.get("fallbacks", []),
        num_retries=settings.llm.retries,
        timeout=settings.llm.timeout,
    )


def chat(
    messages: list[dict[str, str]],
    settings: Settings,
    *,
    on_token: Callable[[str], None] | None = None,
    mock_response: str | None = None,
) -> str:
    """Send a chat, return the full text (streamed to ``on_token`` as it arrives)."""
    s = settings.llm
    if not s.model:
        raise LLMError("no LLM configured: set llm.model (ASSISTANT_LLM__MODEL) or use the offline drafter")
    mapping: dict[str, str] = {}
    if settings.draft.redact_cpr and not s.local:
        red = []
        for m in messages:
            text, found = redact(m["content"])
            # one placeholder space across all messages of the call
            mapping.update(found)
            red.append({**m, "content": text})
        messages = red
    SENT.append({"model": s.model, "messages": messages})
    lt = _litellm()
    kw = _common_kwargs(settings)
    kw.update(temperature=s.temperature, max_tokens=s.max_tokens, stream=on_token is not None)
    if s.fallbacks:
        kw["fallbacks"] = list(s.fallbacks)
    if mock_response is not None:
        kw["mock_response"] = mock_response
    try:
        if s.router_config:
            resp = _router(settings).completion(
                model=s.model,
                messages=messages,
                **{k: v for k, v in kw.items() if k in ("stream", "temperature", "max_tokens", "mock_response")},
            )
        else:
            resp = lt.completion(model=s.model, messages=messages, **kw)
        if on_token is None:
            text = resp.choices[0].message.content or ""
        else:
            parts = []
            for chunk in resp:
                delta = chunk.choices[0].delta.content if chunk.choices else None
                if delta:
                    parts.append(delta)
                    on_token(restore(delta, mapping) if mapping else delta)
            text = "".join(parts)
    except LLMError:
        raise
    except Exception as e:
        kind = type(e).__name__
        hint = (
            "check llm.api_base / llm.api_key"
            if "Connection" in kind or "Auth" in kind
            else "see llm.timeout / llm.retries"
        )
        raise LLMError(f"model {s.model!r} failed ({kind}: {str(e)[:300]}); {hint}") from None
    return restore(text, mapping) if mapping else text


def judge_completion(settings: Settings, on_usage: Callable[[int, int, float], None]) -> Callable[..., Any]:
    """A litellm ``completion`` for evaluation judges (ragas): CPR-redacted, usage reported to ``on_usage``."""
    lt = _litellm()

    def _count(kwargs, response, start, end):
        usage = getattr(response, "usage", None)
        cost = (kwargs.get("response_cost") or 0.0) if isinstance(kwargs, dict) else 0.0
        if usage is not None:
            on_usage(getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0, cost)

    lt.success_callback = [*getattr(lt, "success_callback", []), _count]

    def completion(*args, **kwargs):
        if settings.draft.redact_cpr and not settings.llm.local and kwargs.get("messages"):
            kwargs["messages"] = [
                {**m, "content": redact(m["content"])[0]} if isinstance(m.get("content"), str) else m
                for m in kwargs["messages"]
            ]
        SENT.append({"model": kwargs.get("model"), "messages": kwargs.get("messages")})
        return lt.completion(*args, **kwargs)

    return completion


class LiteLLMEmbedder:
    """Embeddings through litellm (``embedding.model``), batched."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.embedding.model
        self.dim = None

    def embed(self, texts):
        e = self.settings.embedding
        lt = _litellm()
        kw: dict[str, Any] = {"timeout": self.settings.llm.timeout}
        if e.api_base:
            kw["api_base"] = e.api_base
        if e.api_key is not None:
            kw["api_key"] = e.api_key.get_secret_value()
        out: list[list[float]] = []
        for i in range(0, len(texts), e.batch_size):
            batch = list(texts[i : i + e.batch_size])
            if self.settings.draft.redact_cpr and not self.settings.llm.local:
                batch = [redact(t)[0] for t in batch]
            try:
                resp = lt.embedding(model=e.model, input=batch, **kw)
            except Exception as ex:
                raise LLMError(
                    f"embedding model {e.model!r} failed ({type(ex).__name__}: {str(ex)[:300]}); "
                    "check embedding.api_base / embedding.api_key"
                ) from None
            out.extend(d["embedding"] for d in resp.data)
        return out
