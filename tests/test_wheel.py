"""The built wheel works on its own: installed into a fresh venv and run from outside the checkout.

Builds the wheel from a copy of the sources (so no stale ``build/`` of the checkout leaks in),
installs it with ``--no-deps`` into a fresh venv, and reaches the third-party packages through a
``.pth`` line naming the current environment's site-packages (installing every dependency from the
registry takes minutes; the project's own editable install is not visible that way, because ``.pth``
files in a directory added by a ``.pth`` line are not processed). Then, from a temp dir outside the
checkout, through the installed ``assistant`` command: ingest a small folder, an offline draft, an
LLM draft against a local fake OpenAI-compatible server (the prompts must load from the wheel),
export to Word, ``assistant demo`` (the sample corpus must ship in the wheel), and the TUI started
headless (its stylesheet must load).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from tests.server_util import FakeOpenAI

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # about a minute; CI runs it (`python -m pytest -q` selects every marker)

QUESTION = "Hvor store bevillinger udløber på udvalgets ramme til Budget 2026, og hvad koster social henvisning?"
STEPS: dict[str, float] = {}


def _run(cmd: list[str], env: dict, cwd: Path, step: str, timeout: float = 300) -> subprocess.CompletedProcess:
    t = time.monotonic()
    p = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    STEPS[step] = time.monotonic() - t
    assert p.returncode == 0, f"{step}: exit {p.returncode}\nstdout:\n{p.stdout[-3000:]}\nstderr:\n{p.stderr[-3000:]}"
    return p


def _echo_first_source(model: str, body: dict) -> tuple[int, str]:
    """A named fake LLM that holds no answer: it repeats the first sentence of source K1 it was sent, cited."""
    user = body["messages"][-1]["content"]
    block = re.search(r"<<<KILDE (K\d+) \[(\w+)\]\n(.*?)\n\[\2\] KILDE \1>>>", user, re.S)  # random fence marker
    if not block:
        return 200, "Forvaltningen har ikke oplysninger om dette i det foreliggende materiale."
    key, _fence, text = block.groups()
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith(("Dokument:", "Afsnit:"))]
    first = re.split(r"(?<=[.!?])\s+", " ".join(lines))[0].rstrip(".")
    return 200, f"{first} [{key}]."


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(python, assistant command, env, workdir) of a fresh venv holding only the built wheel."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "*.egg-info")
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("assistant", "corpus"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)

    base_env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_") and k != "PYTHONPATH"}
    base_env.update(
        LITELLM_LOCAL_MODEL_COST_MAP="True", ANONYMIZED_TELEMETRY="False", PIP_DISABLE_PIP_VERSION_CHECK="1"
    )
    pip = [sys.executable, "-m", "pip"]
    _run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", str(tmp / "dist"), str(src)],
        base_env,
        tmp,
        "build wheel",
    )
    (wheel,) = (tmp / "dist").glob("forvaltningssvar_assistant-*.whl")

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base_env, tmp, "create venv")
    py = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # third-party dependencies only: the current environment's site-packages, after the venv's own
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(
        [*pip, "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        base_env,
        tmp,
        "install wheel",
    )

    work = tmp / "work"
    work.mkdir()
    env = {**base_env, "PATH": f"{venv / 'bin'}{os.pathsep}{base_env.get('PATH', '')}", "HOME": str(work)}
    env["ASSISTANT_INDEX_DIR"] = str(work / "index")
    env["ASSISTANT_DRAFTS_DIR"] = str(work / "drafts")
    return py, venv / "bin" / "assistant", env, work, venv


def test_installed_wheel_runs_outside_the_checkout(installed):
    py, assistant, env, work, venv = installed
    t0 = time.monotonic()
    assert ROOT not in work.parents and ROOT not in venv.parents

    # the package imported is the wheel's copy, with its resources
    p = _run(
        [
            str(py),
            "-c",
            "import assistant, assistant.prompts as p; print(assistant.__file__); print(p.PROMPTS_DIR)",
        ],
        env,
        work,
        "import",
    )
    file_, prompts_dir = p.stdout.split()
    assert Path(file_).is_relative_to(venv), file_
    assert Path(prompts_dir).is_relative_to(venv) and (Path(prompts_dir) / "draft_system.md").is_file()

    # ingest a small folder (three documents of the sample corpus, with their metadata sidecars)
    docs = work / "dokumenter"
    docs.mkdir()
    for stem in ("01_bevillingsudloeb_budget_2026", "03_beslutning_social_henvisning", "08_demensindsats_2025"):
        for suffix in (".md", ".meta.toml"):
            shutil.copy2(ROOT / "corpus" / f"{stem}{suffix}", docs / f"{stem}{suffix}")
    p = _run([str(assistant), "ingest", str(docs), "-q"], env, work, "ingest")
    assert p.stdout.startswith("3 tilføjet"), p.stdout

    # an offline draft with verified citations
    _run(
        [str(assistant), "draft", QUESTION, "--drafter", "offline", "--save", "offline.json"],
        env,
        work,
        "offline draft",
    )
    offline = json.loads((work / "offline.json").read_text(encoding="utf-8"))
    assert offline["drafter"] == "offline"
    cited = [s for sa in offline["sub_answers"] for s in sa["sentences"] if s["citations"]]
    assert cited and all(s["status"] == "verified" for s in cited)

    # an LLM draft against a local fake server: the prompts are rendered from the wheel's files
    shipped_rule = "Brug kun oplysninger fra kilderne"
    assert shipped_rule in (Path(prompts_dir) / "draft_system.md").read_text(encoding="utf-8")
    with FakeOpenAI(_echo_first_source) as fake:
        llm_env = {
            **env,
            "ASSISTANT_LLM__MODEL": "openai/fake-model",
            "ASSISTANT_LLM__API_BASE": fake.url + "/v1",
            "ASSISTANT_LLM__API_KEY": "sk-fake",
            "ASSISTANT_LLM__RETRIES": "0",
        }
        _run([str(assistant), "draft", QUESTION, "--json", "--save", "llm.json"], llm_env, work, "llm draft")
    assert fake.requests, "the fake LLM server was never called"
    system = fake.requests[0]["body"]["messages"][0]
    assert system["role"] == "system" and shipped_rule in system["content"]
    assert "<<<KILDE K1" in fake.requests[0]["body"]["messages"][1]["content"]
    llm_draft = json.loads((work / "llm.json").read_text(encoding="utf-8"))
    assert llm_draft["drafter"] == "llm"
    llm_cited = [s for sa in llm_draft["sub_answers"] for s in sa["sentences"] if s["citations"]]
    assert llm_cited and all(s["status"] == "verified" for s in llm_cited), llm_cited

    # export to Word through the shipped template
    _run([str(assistant), "export", "llm.json", "-o", "svar.docx"], env, work, "export")
    from docx import Document as DocxDocument

    text = "\n".join(par.text for par in DocxDocument(str(work / "svar.docx")).paragraphs)
    assert llm_cited[0]["text"][:40] in text and "Kilder" in text

    # the demo finds the sample corpus inside the installed package
    demo_env = {**env, "ASSISTANT_INDEX_DIR": str(work / "demo-index")}
    p = _run([str(assistant), "demo"], demo_env, work, "demo")
    assert "eksempeldokumenter i indekset" in p.stdout and "[K1]" in p.stdout and "Kilder" in p.stdout, p.stdout
    p = _run(
        [
            str(py),
            "-c",
            "from assistant.config import load_settings; from assistant.store import Store\n"
            "print(*sorted({e.meta.source_path for e in Store(load_settings(None, {})).manifest().values()}))",
        ],
        demo_env,
        work,
        "demo index sources",
    )
    demo_sources = [Path(x) for x in p.stdout.split()]
    assert demo_sources and all(x.parent.name == "sample_corpus" and x.is_relative_to(venv) for x in demo_sources)

    # the TUI starts headless with its stylesheet (Textual reads CSS_PATH beside the installed module)
    script = work / "tui_headless.py"
    script.write_text(
        "import asyncio, os\n"
        "from assistant.config import load_settings\n"
        "from assistant.tui.app import AssistantApp\n"
        "from assistant.tui.services import make_services\n"
        "async def main():\n"
        "    app = AssistantApp(make_services(load_settings(None, {})))\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        await pilot.pause()\n"
        "        print(app.query_one('#raw').styles.height, app.query_one('#sq-bar').styles.height)\n"
        "        print(*(location[0] for location in app.stylesheet.source))\n"
        "asyncio.run(main())\n",
        encoding="utf-8",
    )
    p = _run([str(py), str(script)], env, work, "tui headless")
    heights, sources = p.stdout.splitlines()[-2:]
    assert heights.split() == ["6", "1"], p.stdout  # from app.tcss: #raw { height: 6 }, #sq-bar { height: 1 }
    tcss = [s for s in sources.split() if s.endswith("app.tcss")]
    assert tcss and Path(tcss[0]).is_relative_to(venv), sources

    STEPS["total (after install)"] = time.monotonic() - t0
    print("\nwheel test steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in STEPS.items()))
