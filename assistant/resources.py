"""Files the package carries (prompts, the TUI stylesheet, the Word template) and the sample corpus.

Read through ``importlib.resources`` so they are found the same way from a checkout and from an
installed wheel.
"""

from __future__ import annotations

from pathlib import Path


def sample_corpus() -> Path | None:
    """The project's sample corpus: packaged with the wheel, or ``corpus/`` beside a checkout's package."""
    from importlib.resources import files

    packaged = files("assistant").joinpath("sample_corpus")
    try:
        candidate = Path(str(packaged))
        if candidate.is_dir() and any(candidate.glob("*.md")):
            return candidate
    except (TypeError, OSError):
        pass
    checkout = Path(__file__).resolve().parent.parent / "corpus"
    return checkout if checkout.is_dir() else None
