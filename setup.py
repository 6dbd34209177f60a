"""The one build step pyproject.toml cannot express: ship the sample corpus in the wheel.

``corpus/`` stays at the top of the checkout (tests, the evals gold sets and the README use it
there); building a wheel copies its documents, ``.meta.toml`` sidecars and ``questions/`` into the
package as ``assistant/sample_corpus/``, where ``assistant.resources.sample_corpus()`` finds it, so
``assistant demo`` works from an installed wheel. Editable installs read ``corpus/`` in place.
Everything else about the build is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CORPUS = Path(__file__).resolve().parent / "corpus"
SUFFIXES = {".md", ".toml", ".txt"}


class BuildPyWithSampleCorpus(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False) or not CORPUS.is_dir():
            return
        dest = Path(self.build_lib) / "assistant" / "sample_corpus"
        if dest.exists():
            shutil.rmtree(dest)  # no stale files from an earlier build
        for src in sorted(CORPUS.rglob("*")):
            if src.is_file() and src.suffix in SUFFIXES:
                out = dest / src.relative_to(CORPUS)
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src, out)


setup(cmdclass={"build_py": BuildPyWithSampleCorpus})
