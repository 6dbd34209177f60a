"""Architecture boundaries as import-linter contracts (``[tool.importlinter]`` in pyproject.toml).

The contracts read every import statement, those inside functions included, so a lazy
``import chromadb`` in the wrong module breaks them as surely as a top-level one. A second test
plants violations in a copy of the package and checks that the same configuration reports each of
them, so the contracts cannot pass vacuously (for instance by naming a module that is gone).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = (
    "Only the TUI imports textual",
    "Only the CLI imports the TUI",
    "Only the llm module imports litellm",
    "Only the store module imports chromadb",
    "Only the llama-index adapter (and the benchmark baselines) import llama_index",
)


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_contracts_hold():
    r = _lint(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    for name in CONTRACTS:
        assert f"{name}" in r.stdout and "BROKEN" not in r.stdout
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in r.stdout


def test_contracts_report_planted_violations(tmp_path):
    pkg = tmp_path / "assistant"
    shutil.copytree(ROOT / "assistant", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    planted = {
        "retrieve.py": "\n\ndef _planted():\n    import chromadb\n\n    return chromadb\n",  # lazy, still an import
        "render.py": "\n\ndef _planted():\n    from litellm import completion\n\n    return completion\n",
        "cite.py": "\n\ndef _planted():\n    from textual.widgets import Static\n\n    return Static\n",
        "models.py": "\n\ndef _planted():\n    from .tui import widgets\n\n    return widgets\n",
        "draft.py": "\n\ndef _planted():\n    from llama_index.core.schema import TextNode\n\n    return TextNode\n",
    }
    for name, code in planted.items():
        with open(pkg / name, "a", encoding="utf-8") as f:
            f.write(code)
    r = _lint(tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"Contracts: 0 kept, {len(CONTRACTS)} broken." in r.stdout, r.stdout
    for module, target in [
        ("assistant.retrieve", "chromadb"),
        ("assistant.render", "litellm"),
        ("assistant.cite", "textual"),
        ("assistant.models", "assistant.tui"),
        ("assistant.draft", "llama_index"),
    ]:
        assert f"{module} -> {target}" in r.stdout, r.stdout


def test_importing_the_core_loads_no_heavy_package():
    """At run time too: importing every module but tui/ and the llama-index adapter loads no heavy package."""
    code = (
        "import importlib, pkgutil, sys, assistant\n"
        "names = [m.name for m in pkgutil.walk_packages(assistant.__path__, 'assistant.')\n"
        "         if not m.name.startswith('assistant.tui') and m.name not in ('assistant.__main__', 'assistant.llamaindex')]\n"
        "for n in names: importlib.import_module(n)\n"
        "print(len(names), *[h for h in ('textual', 'litellm', 'chromadb', 'ragas', 'llama_index') if h in sys.modules])"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    count, *heavy = r.stdout.split()
    assert int(count) >= 20 and heavy == []
