"""Files the package ships and the helpers that find them (``importlib.resources``, so they are found
in an installed wheel as in a checkout).

- ``prompts/*.md``: every LLM prompt (loaded by ``assistant.prompts``; setting ``prompts_dir`` overrides).
- the sample corpus: ``corpus/`` at the top of the checkout, copied into the wheel as
  ``assistant/sample_corpus/`` by ``setup.py`` (it stays at the top level because tests, evals and the
  README use it there). ``sample_corpus()`` finds either.

The Word template (``assistant/templates/``) and the TUI stylesheet (``assistant/tui/app.tcss``) sit
beside the code that uses them and are package data too (pyproject ``package-data``).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def sample_corpus() -> Path | None:
    """The sample corpus folder (documents, ``.meta.toml`` sidecars, ``questions/``), or None when absent.

    Looked for in the installed package first (``assistant/sample_corpus``), then next to the checkout.
    """
    packaged = files("assistant") / "sample_corpus"
    if isinstance(packaged, Path) and (packaged / "questions").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "corpus"
    if (checkout / "questions").is_dir():
        return checkout
    return None
