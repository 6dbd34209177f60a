"""The audit log: one JSON line per draft and export, retention applied on write, CSV export."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.audit import read_entries, record, write_csv
from assistant.config import Settings
from assistant.models import (
    DRAFT_SCHEMA_VERSION,
    Citation,
    DocumentMeta,
    Draft,
    Passage,
    PromptRef,
    Provenance,
    Question,
    Sentence,
    SourceRef,
    Status,
    SubAnswer,
    SubQuestion,
)

ROOT = Path(__file__).resolve().parents[1]


def _draft() -> Draft:
    text = "Madklubberne fik 2,5 mio. kr."
    sq = SubQuestion(id="1", text="Hvor mange penge?")
    ref = SourceRef(
        key="K1",
        passage=Passage(chunk_id="d1:ab:0000", doc_id="d1", ordinal=0, text=text, start=0, end=len(text)),
        meta=DocumentMeta(doc_id="d1", title="Notat", source_path="/x/notat.txt", sha256="0" * 64),
    )
    return Draft(
        question=Question(raw="x", text="Hvor mange penge?", asker="Anna Bach", party="Ø", sub_questions=[sq]),
        sub_answers=[
            SubAnswer(
                sub_question=sq,
                sentences=[
                    Sentence(text=text, citations=[Citation(key="K1", chunk_id="d1:ab:0000")], status=Status.verified)
                ],
            )
        ],
        sources=[ref],
        drafter="llm",
        provenance=Provenance(drafter="llm", model="fake/model", prompts=[PromptRef(name="p", sha256="ab" * 32)]),
    )


def test_entries_are_appended_and_name_model_prompts_and_sources(tmp_path):
    s = Settings(index_dir=tmp_path / "index")
    path = record(s, "draft", _draft())
    record(s, "export", _draft(), output=tmp_path / "svar.docx")
    assert path == tmp_path / "audit.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    first, second = (json.loads(x) for x in lines)
    assert first["event"] == "draft" and second["event"] == "export"
    assert first["model"] == "fake/model" and first["prompts"][0]["sha256"] == "ab" * 32
    assert first["sources_cited"] == ["d1:ab:0000"] and first["question"] == "Anna Bach (Ø)"
    assert second["output"] == str((tmp_path / "svar.docx").resolve())


def test_retention_drops_old_entries_when_the_log_is_next_written(tmp_path):
    s = Settings(index_dir=tmp_path / "index", audit={"retention_days": 30})
    path = s.audit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    old = (datetime.now(UTC) - timedelta(days=40)).isoformat(timespec="seconds")
    recent = (datetime.now(UTC) - timedelta(days=10)).isoformat(timespec="seconds")
    path.write_text(
        json.dumps({"when": old, "event": "draft"}) + "\n" + json.dumps({"when": recent, "event": "export"}) + "\n",
        encoding="utf-8",
    )
    record(s, "draft", _draft())
    entries = read_entries(path)
    assert [e["when"] for e in entries][:1] == [recent] and len(entries) == 2


def test_disabled_log_writes_nothing(tmp_path):
    s = Settings(index_dir=tmp_path / "index", audit={"enabled": False})
    assert record(s, "draft", _draft()) is None and not s.audit_path().exists()


def test_csv_export_and_cli(tmp_path):
    s = Settings(index_dir=tmp_path / "index")
    record(s, "export", _draft(), output=tmp_path / "svar.docx")
    out = tmp_path / "a.csv"
    assert write_csv(read_entries(s.audit_path()), out) == 1
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig"), delimiter=";"))
    assert rows[0]["event"] == "export" and rows[0]["prompts"] == "p:" + "ab" * 32
    r = subprocess.run(
        [sys.executable, "-m", "assistant", "audit", "--csv", str(tmp_path / "b.csv"), "--index-dir", str(s.index_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "LITELLM_LOCAL_MODEL_COST_MAP": "True", "ANONYMIZED_TELEMETRY": "False"},
    )
    assert r.returncode == 0, r.stderr
    assert "1 poster" in r.stdout and (tmp_path / "b.csv").read_text(encoding="utf-8-sig").count("\n") == 2


def test_cli_draft_sets_word_fields_warns_empty_ones_and_audits(shared_index, tmp_path):
    from docx import Document

    s = shared_index[0]
    env = {
        "PATH": "/usr/bin:/bin",
        "LITELLM_LOCAL_MODEL_COST_MAP": "True",
        "ANONYMIZED_TELEMETRY": "False",
        "ASSISTANT_AUDIT__PATH": str(tmp_path / "audit.jsonl"),
    }
    base = [sys.executable, "-m", "assistant", "draft", "Hvilke erfaringer er der med seniorcirkler i Roskilde?"]
    base += ["--index-dir", str(s.index_dir)]
    out, saved = tmp_path / "svar.docx", tmp_path / "svar.json"
    cmd = [*base, "-o", str(out), "--save", str(saved), "--field", "case_officer=Testperson"]
    r = subprocess.run([*cmd, "--field", "edoc=2026-0179144"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert r.returncode == 0, r.stderr
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Testperson" in text and "2026-0179144" in text
    assert "case_officer" not in r.stderr
    draft = json.loads(saved.read_text(encoding="utf-8"))
    assert draft["schema_version"] == DRAFT_SCHEMA_VERSION and draft["provenance"]["index_version"]
    assert draft["verification"]["sentences"] == sum(len(a["sentences"]) for a in draft["sub_answers"])
    events = [e["event"] for e in read_entries(tmp_path / "audit.jsonl")]
    assert events == ["draft", "export"]

    # without a case officer the empty field is named; a --field without "=" is refused by name
    r = subprocess.run([*base, "-o", str(tmp_path / "b.docx")], capture_output=True, text=True, cwd=ROOT, env=env)
    assert r.returncode == 0 and "{{ case_officer }}" in r.stderr
    r = subprocess.run([*base, "--field", "edoc"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert r.returncode != 0 and "--field 'edoc'" in r.stderr


def test_cli_status_line_accounts_for_every_sentence(shared_index, tmp_path):
    """The stderr summary's categories add up to its sentence count (house-style lines included)."""
    import re

    s = shared_index[0]
    env = {"PATH": "/usr/bin:/bin", "LITELLM_LOCAL_MODEL_COST_MAP": "True", "ANONYMIZED_TELEMETRY": "False"}
    q = "Hvilke erfaringer er der med seniorcirkler i Roskilde? Hvor mange astronauter har kommunen ansat?"
    r = subprocess.run(
        [sys.executable, "-m", "assistant", "draft", q, "--index-dir", str(s.index_dir)],
        capture_output=True, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    m = re.search(r"(\d+) sætninger: (\d+) verificeret, (\d+) ikke verificeret, (\d+) uden kilde, (\d+) uden påstand",
                  r.stderr)  # fmt: skip
    assert m, r.stderr
    total, *parts = map(int, m.groups())
    assert parts[-1] >= 1, r.stderr  # the unanswerable part is said plainly, in a line that claims nothing
    assert total == sum(parts), r.stderr
