"""Package resources: shipped prompts, the ``prompts_dir`` override, the sample corpus locator."""

from __future__ import annotations

import pytest

from assistant.config import load_settings
from assistant.prompts import PROMPTS_DIR, PromptError, all_prompts, load_prompt
from assistant.resources import sample_corpus


def test_shipped_prompts_load_through_importlib_resources():
    assert PROMPTS_DIR.joinpath("draft_system.md").is_file()
    names = {p.name for p in all_prompts()}
    assert names == {"draft_system", "draft_subanswer", "split_question"}


def test_prompts_dir_overrides_file_by_file(tmp_path):
    (tmp_path / "draft_system.md").write_text(
        "---\ndescription: own\nvariables: [administration]\n---\nEGEN SYSTEMPROMPT for {{ administration }}\n",
        encoding="utf-8",
    )
    own = load_prompt("draft_system", tmp_path).render(administration="Forvaltningen")
    assert own == "EGEN SYSTEMPROMPT for Forvaltningen\n"
    # a prompt the folder lacks comes from the package
    shipped = load_prompt("split_question").render(question="Q?", fence="f1x")  # the fence is random unless given
    assert load_prompt("split_question", tmp_path).render(question="Q?", fence="f1x") == shipped
    assert {p.description for p in all_prompts(tmp_path)} >= {"own"}


def test_prompts_dir_setting_reaches_the_llm_drafter(tmp_path, monkeypatch):
    from assistant.draft import propose_split
    from assistant.question import parse_question

    (tmp_path / "split_question.md").write_text(
        "---\ndescription: own split\nvariables: [question]\n---\nDEL OP: {{ question }}\n", encoding="utf-8"
    )
    s = load_settings(None, {"prompts_dir": str(tmp_path), "llm": {"model": "openai/fake-model"}})
    sent = []
    import assistant.llm as llm

    real_chat = llm.chat

    def recording_chat(messages, settings, **kw):
        sent.append(messages)
        return real_chat(messages, settings, **kw)

    monkeypatch.setattr(llm, "chat", recording_chat)
    q = parse_question("Hvad koster ordningen? Og hvem betaler?")
    propose_split(q, s, mock_response="Hvad koster ordningen?\nHvem betaler?")
    assert sent and sent[0][0]["content"].startswith("DEL OP: ")


def test_prompts_dir_errors_name_the_setting_and_file(tmp_path):
    with pytest.raises(PromptError, match="prompts_dir .*findes ikke"):
        load_prompt("draft_system", tmp_path / "nope")
    (tmp_path / "draft_sytem.md").write_text("---\nvariables: []\n---\nx\n", encoding="utf-8")
    with pytest.raises(PromptError, match=r"draft_sytem\.md svarer ikke til nogen prompt"):
        load_prompt("draft_system", tmp_path)
    with pytest.raises(PromptError, match="not found: nope.md"):
        load_prompt("nope")


def test_sample_corpus_is_found_with_its_question():
    corpus = sample_corpus()
    assert corpus is not None
    assert (corpus / "01_bevillingsudloeb_budget_2026.md").is_file()
    assert sorted((corpus / "questions").glob("*.txt"))
