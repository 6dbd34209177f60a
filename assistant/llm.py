"""The one seam to language and embedding models. The only module that imports litellm.

Every call goes through ``chat``: CPR numbers are replaced by placeholders
before a non-local call and restored in the result; timeouts, retries and
fallbacks come from settings; failures become ``LLMError`` naming the model
and the setting to change. ``SENT`` records the last outbound payloads for
tests (a bounded list, never written anywhere).
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from .config import Settings
from .privacy import redact, restore

SENT: deque[dict] = deque(maxlen=20)  # last outbound requests, for tests and debugging in-process only


class LLMError(RuntimeError):
    """A model call failed; the message names the model and the setting.

    ``partial`` holds the text already streamed when a stream broke midway (else "").
    """

    partial: str = ""


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


# HTTP statuses worth another try: rate limits and transient server trouble; never other 4xx
_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


def _retryable(e: Exception) -> bool:
    names = {c.__name__ for c in type(e).__mro__}
    if any("MidStream" in n for n in names):
        return False  # a stream that broke after it began: another try would repeat text already shown
    if names & {"Timeout", "APITimeoutError", "TimeoutException"}:
        return True
    status = getattr(e, "status_code", None)
    if isinstance(status, int):
        return status in _RETRY_STATUS
    return "APIConnectionError" in names


class _StreamCut(Exception):
    """The stream ended before the model said it was done (no finish_reason)."""


def _call_once(
    lt, model: str, messages: list[dict], kw: dict, on_token, mapping: dict, parts: list[str], router=None
) -> str:
    if router is not None:
        resp = router.completion(model=model, messages=messages, **kw)
    else:
        resp = lt.completion(model=model, messages=messages, **kw)
    if on_token is None:
        return resp.choices[0].message.content or ""
    for chunk in resp:
        choice = chunk.choices[0] if chunk.choices else None
        delta = choice.delta.content if choice is not None and choice.delta is not None else None
        if delta:
            parts.append(delta)
            on_token(restore(delta, mapping) if mapping else delta)
    # litellm closes every stream with a finish_reason of its own; whether the provider sent one is kept here
    # (a Router wraps the stream again and does not keep it: router streams are not checked)
    done = getattr(resp, "received_finish_reason", "n/a") or getattr(resp, "intermittent_finish_reason", None)
    if done is None and router is None and "mock_response" not in kw:
        raise _StreamCut()
    return "".join(parts)


def chat(
    messages: list[dict[str, str]],
    settings: Settings,
    *,
    on_token: Callable[[str], None] | None = None,
    mock_response: str | None = None,
) -> str:
    """Send a chat, return the full text (streamed to ``on_token`` as it arrives).

    Each model in ``[llm.model, *llm.fallbacks]`` gets ``1 + llm.retries`` attempts, retried only on
    429, 5xx, timeouts and refused connections (never on other 4xx); ``llm.timeout`` bounds each attempt
    (no byte for that long ends it). Once text has been streamed to ``on_token`` nothing is retried: the
    error is raised at once and carries the text shown so far in ``LLMError.partial``.
    """
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
    # retries are ours (below), so litellm and the OpenAI client must not add their own
    kw.update(num_retries=0, max_retries=0)
    kw.update(temperature=s.temperature, max_tokens=s.max_tokens, stream=on_token is not None)
    if mock_response is not None:
        kw["mock_response"] = mock_response
    router = None
    if s.router_config:
        router = _router(settings)  # the router has its own deployments, retries and fallbacks
        kw = {k: v for k, v in kw.items() if k in ("stream", "temperature", "max_tokens", "mock_response")}
        chain, attempts = [s.model], 1
    else:
        chain, attempts = [s.model, *s.fallbacks], 1 + max(0, s.retries)
    failures: list[str] = []
    parts: list[str] = []
    for model in chain:
        for attempt in range(attempts):
            parts.clear()
            try:
                text = _call_once(lt, model, messages, kw, on_token, mapping, parts, router)
                return restore(text, mapping) if mapping else text
            except LLMError:
                raise
            except Exception as e:
                cut = isinstance(e, _StreamCut)
                if cut:
                    detail = f"the answer stopped midway after {len(''.join(parts))} characters"
                else:
                    detail = f"{type(e).__name__}: {str(e)[:300]}"
                failures.append(f"{model!r} ({detail})")
                if parts:  # text already shown: keep it, never repeat it
                    partial = "".join(parts)
                    err = LLMError(f"model {model!r} failed mid-answer ({detail}); the text received so far is kept")
                    err.partial = restore(partial, mapping) if mapping else partial
                    raise err from None
                if not _retryable(e) or attempt == attempts - 1:
                    break
                time.sleep(min(4.0, 0.25 * 2**attempt))
    kinds = " ".join(failures)
    hint = (
        "check llm.api_base / llm.api_key"
        if any(k in kinds for k in ("Connection", "Auth", "NotFound", "Permission"))
        else "see llm.timeout / llm.retries / llm.fallbacks"
    )
    names = ", ".join(repr(m) for m in chain)
    raise LLMError(f"model {names} failed after {len(failures)} attempt(s): {'; '.join(failures)}; {hint}")


def _redact_content(content):
    """A message's content with CPR numbers replaced: plain text, or the text parts of a list of parts."""
    if isinstance(content, str):
        return redact(content)[0]
    if isinstance(content, list):
        return [
            {**part, "text": redact(part["text"])[0]} if isinstance(part, dict) and isinstance(part.get("text"), str)
            else part
            for part in content
        ]  # fmt: skip
    return content


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
            kwargs["messages"] = [{**m, "content": _redact_content(m.get("content"))} for m in kwargs["messages"]]
        SENT.append({"model": kwargs.get("model"), "messages": kwargs.get("messages")})
        return lt.completion(*args, **kwargs)

    return completion


class LiteLLMEmbedder:
    """Embeddings through litellm (``embedding.model`` for passages, ``embedding.query_model`` for queries), batched."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.name = settings.embedding.model
        self.dim = None

    def embed(self, texts):
        return self._call(self.settings.embedding.model, texts)

    def embed_query(self, text: str) -> list[float]:
        e = self.settings.embedding
        return self._call(e.query_model or e.model, [text])[0]

    def _call(self, model: str, texts):
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
            if self.settings.draft.redact_cpr and not e.local:  # the embedding provider has its own setting
                batch = [redact(t)[0] for t in batch]
            try:
                resp = lt.embedding(model=model, input=batch, **kw)
            except Exception as ex:
                raise LLMError(
                    f"embedding model {model!r} failed ({type(ex).__name__}: {str(ex)[:300]}); "
                    "check embedding.api_base / embedding.api_key"
                ) from None
            out.extend(d["embedding"] for d in resp.data)
        return out
