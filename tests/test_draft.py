"""Drafting end to end (offline) and the LLM drafter's plumbing through a named fake."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from assistant.cite import summary, verify_draft
from assistant.draft import NO_INFO, LLMDrafter, draft_answer
from assistant.models import Status
from assistant.question import parse_question
from assistant.retrieve import Filters
from tests.conftest import SEEDS

STEEN = "000_cec2ff78386550a7.txt"


def _steenberger_question() -> str:
    lines = (SEEDS / STEEN).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "har den 19. maj 2026 stillet" in line)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].strip().endswith('"'))
    return "\n".join(lines[start : end + 1])


@pytest.fixture(scope="module")
def steen_draft(shared_index):
    s, _, searcher = shared_index
    q = parse_question(_steenberger_question())
    return draft_answer(q, searcher, s, drafter="offline", filters=Filters(exclude_sources={STEEN}))


def test_steenberger_splits_and_each_part_is_answered_with_verified_citations(steen_draft):
    """With the real answer (000) left out, the first part is answered from Roskilde's budget (Seniorcirkler)
    and Frederiksberg's decision (social henvisning); whether the tiltag can be prioritised within the
    ældrereform funds is stated only in 000, so an honest draft may say the material does not answer it,
    but what it does state must be verified and about those funds."""
    d = steen_draft
    assert d.question.asker == "Rasmus Steenberger" and d.question.party == "F"
    assert d.question.date_asked == "2026-05-19"
    assert len(d.sub_answers) == 2
    assert "Roskilde" in d.sub_answers[0].sub_question.text
    assert "ældrereform" in d.sub_answers[1].sub_question.text
    first = d.sub_answers[0]
    assert first.answered
    files = {Path(d.source(c.key).meta.source_path).name for s in first.sentences for c in s.citations}
    assert {"001_6a1c76ecb7bcea29.txt", "003_bf5ca37dc327f5ce.txt"} <= files  # both examples the asker names
    for a in d.sub_answers:
        cited = [s for s in a.sentences if s.citations]
        assert cited or not a.answered, a.sub_question.text
        assert all(s.status == Status.verified for s in cited), [(s.text, s.problems) for s in cited]
    used = {c.key for s in d.sentences() for c in s.citations}
    files = {Path(src.meta.source_path).name for src in d.sources if src.key in used}
    assert STEEN not in files and files  # the excluded answer is never a source of its own draft
    # the first sub-answer draws on the Roskilde budget (Seniorcirkler)
    assert any(
        Path(d.source(c.key).meta.source_path).name == "001_6a1c76ecb7bcea29.txt"
        for s in d.sub_answers[0].sentences
        for c in s.citations
    )


def test_house_style_wrapper_is_data(steen_draft):
    h = steen_draft.header
    assert h.recipient == "Rasmus Steenberger (F)"
    assert h.title.startswith("Svar til Rasmus Steenberger (F) - Spørgsmål om ")
    assert h.answer_heading == "Sundheds- og Omsorgsforvaltningens svar"
    assert (
        h.intro
        == "Rasmus Steenberger (F) har den 19. maj 2026 stillet følgende spørgsmål til Sundheds- og Omsorgsforvaltningen:"
    )


def test_every_sentence_sentence_is_accounted_for(steen_draft):
    sm = summary(steen_draft)
    assert sm["sentences"] == sm["verified"] + sm["unverified"] + sm["uncited"] + sm["no_claim"]
    assert sm["invalid_keys"] == 0 and sm["numbers_verified"] == sm["numbers_stated"]


def test_altered_number_is_caught(steen_draft):
    d = steen_draft.model_copy(deep=True)
    target = next(s for s in d.sentences() if s.citations)
    target.text = target.text.rstrip(".") + " og koster 987,6 mio. kr."
    checked = verify_draft(d)
    bad = next(s for s in checked.sentences() if "987,6" in s.text)
    assert bad.status == Status.unverified and any("987,6" in p for p in bad.problems)


def test_unanswerable_question_says_so_without_citation(shared_index):
    s, _, searcher = shared_index
    q = parse_question("Hvor mange kilometer cykelsti har kommunen anlagt langs havnefronten siden 2019?")
    d = draft_answer(q, searcher, s, drafter="offline")
    assert len(d.sub_answers) == 1
    a = d.sub_answers[0]
    assert not a.answered
    assert [x.text for x in a.sentences] == [NO_INFO]
    assert not any(x.citations for x in a.sentences)


def test_llm_drafter_plumbing_with_a_named_fake(shared_index, monkeypatch):
    """litellm's mock_response is the fake; we assert what our code controls: prompt, keys, checks."""
    from assistant import llm

    s, _, searcher = shared_index
    s = s.model_copy(update={"llm": s.llm.model_copy(update={"model": "openai/gpt-4o-mini", "retries": 0})})
    q = parse_question("Hvad koster madklubber på plejehjem, som udløber til budget 2026?")
    # K1 exists; K99 is invented; 777 mio. kr. appears in no source
    fake = "Madklubber på plejehjem er en bevilling, der udløber. [K1] Den koster 777 mio. kr. [K1] Se også [K99]."
    d = draft_answer(q, searcher, s, drafter=LLMDrafter(mock_response=fake))
    sent = llm.SENT[-1]
    assert sent["model"] == "openai/gpt-4o-mini"
    system, user = sent["messages"][0]["content"], sent["messages"][1]["content"]
    assert "Brug kun oplysninger fra kilderne" in system  # rendered from prompts/draft_system.md
    assert "<<<KILDE K1" in user and "KILDE K1>>>" in user  # sources fenced with opaque keys
    sents = d.sub_answers[0].sentences
    assert sents[0].status == Status.verified
    assert sents[1].status == Status.unverified and any("777" in p for p in sents[1].problems)
    assert sents[2].status == Status.unverified and any("K99" in p for p in sents[2].problems)
    assert d.drafter == "llm"


def test_cpr_numbers_never_leave_the_machine_and_come_back_restored(shared_index):
    from assistant import llm

    s, _, _ = shared_index
    s = s.model_copy(update={"llm": s.llm.model_copy(update={"model": "openai/gpt-4o-mini", "retries": 0})})
    out = llm.chat(
        [{"role": "user", "content": "Borgeren med cpr 010203-1234 og 3112991235 klager."}],
        s,
        mock_response="Vi har noteret [CPR-1] og [CPR-2].",
    )
    payload = str(llm.SENT[-1]["messages"])
    assert "010203-1234" not in payload and "3112991235" not in payload and "[CPR-1]" in payload
    assert out == "Vi har noteret 010203-1234 og 3112991235."
    local = s.model_copy(update={"llm": s.llm.model_copy(update={"local": True})})
    llm.chat([{"role": "user", "content": "cpr 010203-1234"}], local, mock_response="ok")
    assert "010203-1234" in str(llm.SENT[-1]["messages"])  # a local model may see it; that is a setting


def test_unreachable_llm_names_model_and_setting_and_offline_fallback_works(shared_index):
    from assistant.draft import DraftError

    s, _, searcher = shared_index
    llm_cfg = s.llm.model_copy(
        update={
            "model": "openai/gpt-4o-mini",
            "api_base": "http://127.0.0.1:9/v1",
            "api_key": SecretStr("sk-test"),
            "timeout": 3,
            "retries": 0,
        }
    )
    s2 = s.model_copy(update={"llm": llm_cfg})
    q = parse_question("Hvad koster madklubber på plejehjem?")
    with pytest.raises(DraftError, match="gpt-4o-mini"):
        draft_answer(q, searcher, s2, drafter="llm")
    s3 = s2.model_copy(update={"draft": s2.draft.model_copy(update={"fallback": "offline"})})
    d = draft_answer(q, searcher, s3, drafter="llm")
    assert d.drafter == "llm+offline" and d.warnings and d.sub_answers[0].answered


def test_cli_draft_save_and_export_round_trip(shared_index, tmp_path):
    import json
    import subprocess
    import sys

    from docx import Document as Docx

    from tests.conftest import ROOT

    s = shared_index[0]
    q = tmp_path / "q.txt"
    q.write_text(_steenberger_question(), encoding="utf-8")
    out, saved = tmp_path / "svar.docx", tmp_path / "svar.json"
    base = [sys.executable, "-m", "assistant"]
    common = ["--index-dir", str(s.index_dir)]
    r = subprocess.run(
        [
            *base,
            "draft",
            str(q),
            *common,
            "--exclude",
            STEEN,
            "--save",
            str(saved),
            "-o",
            str(out),
            "--case-officer",
            "Test Sagsbehandler",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=180,
    )
    assert r.returncode == 0, r.stderr
    assert "Sundheds- og Omsorgsforvaltningens svar" in r.stdout
    draft = json.loads(saved.read_text(encoding="utf-8"))
    assert len(draft["sub_answers"]) == 2 and draft["header"]["case_officer"] == "Test Sagsbehandler"
    text = "\n".join(p.text for p in Docx(str(out)).paragraphs)
    assert "Til Rasmus Steenberger (F)" in text and "Kilder" in text and "Test Sagsbehandler" in text
    # export refuses to overwrite, then obeys --force and --field
    r = subprocess.run(
        [*base, "export", str(saved), "-o", str(out)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert r.returncode == 2 and "svar.docx" in r.stderr
    r = subprocess.run(
        [*base, "export", str(saved), "-o", str(out), "--force", "--field", "case_officer=Anden Person"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "Anden Person" in "\n".join(p.text for p in Docx(str(out)).paragraphs)


def test_llm_split_proposal_is_parsed_and_falls_back_to_rules(settings):
    """A named fake (litellm mock_response) proposes the split; we check parsing and the fallback."""
    from assistant import llm
    from assistant.draft import propose_split

    s = settings.model_copy(
        update={"llm": settings.llm.model_copy(update={"model": "openai/gpt-4o-mini", "retries": 0})}
    )
    q = parse_question("Hvad koster madklubber, og hvor mange plejehjem har dem?")
    subs = propose_split(q, s, mock_response="1. Hvad koster madklubber?\n2. Hvor mange plejehjem har madklubber?\n\n")
    assert [x.text for x in subs] == ["Hvad koster madklubber?", "Hvor mange plejehjem har madklubber?"]
    assert [x.id for x in subs] == ["1", "2"]
    assert "<<<SPØRGSMÅL" in llm.SENT[-1]["messages"][0]["content"]  # rendered from prompts/split_question.md
    assert propose_split(q, s, mock_response="ok") == q.sub_questions  # nothing usable: rules stand
