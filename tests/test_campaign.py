"""Issue 18: the cases an outside security and reliability campaign found, one test (or table) per item.

Each case failed on main before the fix; fakes are only at the boundaries (a local fake OpenAI server,
litellm's recorded payloads, a tmpfs or a simulated ENOSPC).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from docx import Document

from assistant.export import DEFAULT_TEMPLATE, ExportError, check_template, export_docx

# -- 1. templates never run code --------------------------------------------------------------------------------


def _template_with(path: Path, paragraph: str) -> Path:
    """A copy of the shipped template with one extra paragraph (after the title)."""
    doc = Document(str(DEFAULT_TEMPLATE))
    anchor = next(p for p in doc.paragraphs if "{{ title }}" in p.text)
    new = copy.deepcopy(anchor._p)
    anchor._p.addnext(new)
    from docx.text.paragraph import Paragraph

    par = Paragraph(new, anchor._parent)
    for r in par.runs[1:]:
        r._r.getparent().remove(r._r)
    par.runs[0].text = paragraph
    doc.save(str(path))
    return path


def _payloads(marker: Path) -> list[str]:
    cmd = f"touch {marker}"
    return [
        "{{ lipsum.__globals__['os'].popen('" + cmd + "').read() }}",
        "{{ cycler.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "{{ joiner.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "{{ namespace.__init__.__globals__.os.popen('" + cmd + "').read() }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
        "{{ self.__init__.__globals__.__builtins__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ recipient|attr('__class__') }}",
        "{{ recipient.__class__.__base__ }}",
        "{{ '{0.__class__}'.format(recipient) }}",
        "{% set x = lipsum %}{{ x.__globals__ }}",
        "{% include '/etc/passwd' %}",
        "{{ range(10**7)|list|length }}",
    ]


@pytest.mark.parametrize("i", range(14))
def test_template_payloads_never_run_and_are_refused_by_name(tmp_path, i):
    from tests.test_export import make_draft

    marker = tmp_path / "ran"
    payload = _payloads(marker)[i]
    tpl = _template_with(tmp_path / "evil.docx", f"Til orientering: {payload}")
    out = tmp_path / "svar.docx"
    with pytest.raises(ExportError) as exc:
        export_docx(make_draft(), out, template=tpl)
    msg = str(exc.value)
    assert str(tpl) in msg and ("tillad" in msg or "not allowed" in msg), msg
    assert not marker.exists(), "the template ran a command"
    assert not out.exists()
    assert check_template(tpl), "check_template must name the problem too"


def test_sandboxed_template_keeps_documented_fields_and_filters(tmp_path):
    from tests.test_export import make_draft

    tpl = _template_with(
        tmp_path / "ok.docx", "{{ recipient|upper }} · {{ topic|default('x') }} · {{ sources|length }}"
    )
    assert check_template(tpl) == []
    res = Document(str(export_docx(make_draft(), tmp_path / "svar.docx", template=tpl)))
    assert "RASMUS STEENBERGER (F) · trivselsindsatser · 2" in [p.text for p in res.paragraphs]


# -- 4. export re-verifies the draft it is given ----------------------------------------------------------------


def _verified_draft():
    from assistant.cite import verify_draft
    from assistant.models import Citation, Draft, Passage, Question, Sentence, SourceRef, SubAnswer, SubQuestion
    from assistant.models import DocumentMeta as Meta

    text = "Kommunen har i 2025 i alt 1.161 plejeboliger fordelt på 12 plejecentre."
    src = SourceRef(
        key="K1",
        passage=Passage(chunk_id="n:0000", doc_id="n", ordinal=0, text=text, start=0, end=len(text)),
        meta=Meta(doc_id="n", title="Notat om plejeboliger", source_path="/x/n.txt", sha256="0" * 64),
    )
    sq = SubQuestion(id="1", text="Hvor mange plejeboliger er der?")
    s = Sentence(text="Kommunen har i 2025 i alt 1.161 plejeboliger.", citations=[Citation(key="K1")])
    d = Draft(
        question=Question(raw="x", text=sq.text, sub_questions=[sq]),
        sub_answers=[SubAnswer(sub_question=sq, sentences=[s])],
        sources=[src],
    )
    d = verify_draft(d)
    assert d.sub_answers[0].sentences[0].status.value == "verified"
    return d


def _edited_json(draft, **sentence) -> str:
    import json

    data = json.loads(draft.model_dump_json())
    data["sub_answers"][0]["sentences"][0].update(sentence)
    return json.dumps(data, ensure_ascii=False)


def _highlighted_and_comments(path: Path) -> tuple[list[str], list[str]]:
    from docx.enum.text import WD_COLOR_INDEX

    doc = Document(str(path))
    hl = [r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW]
    return hl, ["\n".join(p.text for p in c.paragraphs) for c in doc.comments]


def test_export_catches_a_changed_number_kept_as_verified(tmp_path):
    from assistant.models import Draft

    raw = _edited_json(_verified_draft(), text="Kommunen har i 2025 i alt 2.161 plejeboliger.", status="verified")
    out = export_docx(Draft.model_validate_json(raw), tmp_path / "svar.docx")
    hl, comments = _highlighted_and_comments(out)
    assert "Kommunen har i 2025 i alt 2.161 plejeboliger." in hl
    assert any("2.161" in c for c in comments), comments


def test_export_comments_a_citation_to_an_unknown_key(tmp_path):
    from assistant.models import Draft

    raw = _edited_json(_verified_draft(), citations=[{"key": "K999"}], status="verified")
    out = export_docx(Draft.model_validate_json(raw), tmp_path / "svar.docx")
    hl, comments = _highlighted_and_comments(out)
    assert any("K999" in c for c in comments), comments
    assert any("plejeboliger" in h for h in hl)


def test_reverify_is_the_core_call_for_a_resumed_draft():
    from assistant.cite import reverify
    from assistant.models import Draft

    d = Draft.model_validate_json(
        _edited_json(_verified_draft(), text="Kommunen har i 2025 i alt 2.161 plejeboliger.", status="verified")
    )
    s = reverify(d).sub_answers[0].sentences[0]
    assert s.status.value == "unverified" and any("2.161" in p for p in s.problems)
