"""Provenance of a draft: which drafter, model, prompts, settings and index made it.

Pure: reads the prompt files' text (to hash them) and the settings; the index's
manifest version comes from whatever searcher was used (``searcher.version``).
"""

from __future__ import annotations

import hashlib

from assistant.config import Settings
from assistant.models import PromptRef, Provenance

LLM_PROMPTS = ("draft_system", "draft_subanswer")
SPLIT_PROMPT = "split_question"


def prompt_ref(name: str, prompts_dir=None) -> PromptRef:
    """Name, source and sha256 of the prompt file used: the officer's ``prompts_dir`` override when it
    holds ``<name>.md``, else the shipped one (an unreadable file hashes as ``missing``)."""
    from pathlib import Path

    from assistant.prompts import PROMPTS_DIR

    user = Path(prompts_dir) / f"{name}.md" if prompts_dir is not None else None
    source = user if user is not None and user.is_file() else PROMPTS_DIR / f"{name}.md"
    try:
        data = source.read_bytes()
    except OSError:
        return PromptRef(name=name, sha256="missing")
    where = str(source) if source is user else "shipped"
    return PromptRef(name=name, source=where, sha256=hashlib.sha256(data).hexdigest())


def shaping_settings(settings: Settings) -> dict:
    """The settings that change what a draft says (no secrets, no paths)."""
    r, d, llm = settings.retrieval, settings.draft, settings.llm
    return {
        "retrieval": r.model_dump(mode="json"),
        "draft": d.model_dump(mode="json", exclude={"case_officer"}),
        "llm": {
            "model": llm.model,
            "temperature": llm.temperature,
            "max_tokens": llm.max_tokens,
            "fallbacks": list(llm.fallbacks),
            "local": llm.local,
            "split_with_llm": llm.split_with_llm,
        },
        "embedding": {"model": settings.embedding.model, "dim": settings.embedding.dim},
        "chunking": settings.chunking.model_dump(mode="json"),
    }


def build_provenance(
    settings: Settings,
    drafter: str,
    *,
    searcher=None,
    timings: dict[str, float] | None = None,
    split_with_llm: bool = False,
) -> Provenance:
    """Provenance for a draft written by ``drafter`` ("offline", "llm", "llm+offline")."""
    from assistant import __version__

    uses_llm = drafter.startswith("llm")
    prompts = [prompt_ref(n, settings.prompts_dir) for n in LLM_PROMPTS] if uses_llm else []
    if split_with_llm:
        prompts.append(prompt_ref(SPLIT_PROMPT, settings.prompts_dir))
    version = getattr(searcher, "version", None)
    return Provenance(
        drafter=drafter,
        model=settings.llm.model if uses_llm else None,
        prompts=prompts,
        settings=shaping_settings(settings),
        index_version=str(version) if version is not None else None,
        vector_key=settings.vector_key(),
        timings={k: round(v, 4) for k, v in (timings or {}).items()},
        assistant_version=__version__,
    )


def merge_provenance(base: Provenance | None, new: Provenance | None) -> Provenance | None:
    """A draft built one sub-question at a time (the TUI): the latest run's provenance, with the
    prompts of every run and timings summed, so no prompt used is left out."""
    if base is None or new is None:
        return new or base
    prompts = {p.name + p.sha256: p for p in [*base.prompts, *new.prompts]}
    timings = dict(base.timings)
    for k, v in new.timings.items():
        timings[k] = round(timings.get(k, 0.0) + v, 4)
    drafter = new.drafter if base.drafter in ("", new.drafter) else f"{base.drafter},{new.drafter}"
    drafter = ",".join(dict.fromkeys(drafter.split(",")))
    return new.model_copy(update={"prompts": list(prompts.values()), "timings": timings, "drafter": drafter})


def with_index(draft, searcher, *, search_seconds: float | None = None, total_seconds: float | None = None):
    """The draft with the searched index's manifest version (and search timings) in its provenance."""
    p = draft.provenance
    if p is None:
        return draft
    version = getattr(searcher, "version", None) if searcher is not None else None
    timings = dict(p.timings)
    if search_seconds is not None:
        timings["search"] = round(search_seconds, 4)
    if total_seconds is not None:
        timings["total"] = round(total_seconds, 4)
    update = {"timings": timings}
    if version is not None:
        update["index_version"] = str(version)
    return draft.model_copy(update={"provenance": p.model_copy(update=update)})
