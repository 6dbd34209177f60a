"""Export to Word: reopen the .docx with python-docx and compare its structure with the draft."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_COLOR_INDEX

from assistant.export import (
    DEFAULT_TEMPLATE,
    REQUIRED_FIELDS,
    ExportError,
    build_context,
    check_template,
    clean_text,
    export_docx,
)
from assistant.models import (
    Citation,
    Draft,
    Header,
    Passage,
    Question,
    Sentence,
    SourceRef,
    Status,
    SubAnswer,
    SubQuestion,
)
from assistant.models import DocumentMeta as Meta

_TEXTS = {
    "K1": "Erfaringerne med seniorcirkler: en pilot med en seniorcirkel starter efter sommerferien 2025.",
    "K2": "Tiltagene kan finansieres: begge tiltag kan prioriteres inden for ældrereformmidlerne.",
}


def _src(key: str, doc_id: str, title: str, heading: list[str], page: int | None, ordinal: int = 0) -> SourceRef:
    # what the sentences citing it say, so that the export's re-verification agrees with the stored statuses
    text = _TEXTS.get(key, f"Passage {key} om seniorcirkler i 2025.")
    return SourceRef(
        key=key,
        passage=Passage(
            chunk_id=f"{doc_id}:{ordinal:04d}",
            doc_id=doc_id,
            ordinal=ordinal,
            text=text,
            start=0,
            end=len(text),
            heading_path=heading,
            page=page,
        ),
        meta=Meta(
            doc_id=doc_id,
            title=title,
            authority="Sundheds- og Omsorgsforvaltningen",
            date="2025-03-04",
            source_path=f"/x/{doc_id}.pdf",
            sha256="0" * 64,
        ),
    )


def make_draft(**over) -> Draft:
    sq1 = SubQuestion(id="1", text="Hvilke erfaringer er der med en pilot med seniorcirkler?")
    sq2 = SubQuestion(id="2", text="Kan tiltagene finansieres af ældrereformmidlerne?")
    sq3 = SubQuestion(id="3", text="Hvad koster social henvisning?")
    draft = Draft(
        question=Question(
            raw="...",
            text="Hvilke muligheder er der for at lære af Roskilde?",
            asker="Rasmus Steenberger",
            party="F",
            date_asked="2026-05-19",
            addressee="Sundheds- og Omsorgsforvaltningen",
            topic="trivselsindsatser",
            sub_questions=[sq1, sq2, sq3],
        ),
        header=Header(
            administration="Sundheds- og Omsorgsforvaltningen",
            date="2026-05-22",
            case_numbers={"Edoc-sagsnummer": "2026-0179144", "F2 sagsnummer": "2026 - 11792"},
            case_officer="Mads Wallentin",
        ),
        sub_answers=[
            SubAnswer(
                sub_question=sq1,
                sentences=[
                    Sentence(text="Forvaltningen følger udviklingen i Roskilde.", status=Status.no_claim),
                    Sentence(
                        text="En pilot med en seniorcirkel starter efter sommerferien 2025.",
                        citations=[Citation(key="K1", chunk_id="notat-a:0000")],
                        status=Status.verified,
                    ),
                    Sentence(
                        text="Piloten omfatter 40 borgere.",
                        citations=[Citation(key="K2", chunk_id="notat-b:0003")],
                        status=Status.unverified,
                        problems=["tallet 40 står ikke i den citerede passage"],
                    ),
                ],
            ),
            SubAnswer(
                sub_question=sq2,
                sentences=[
                    Sentence(
                        text="Begge tiltag kan prioriteres inden for ældrereformmidlerne.",
                        citations=[Citation(key="K2", chunk_id="notat-b:0003"), Citation(key="K1")],
                        status=Status.verified,
                    ),
                    Sentence(text="Det vil styrke fællesskaberne markant.", status=Status.uncited),
                ],
            ),
            SubAnswer(sub_question=sq3, answered=False),
        ],
        sources=[
            _src("K1", "notat-a", "Notat om seniorcirkler", ["Status", "Pilot"], None),
            _src("K2", "notat-b", "Budgetnotat 2026", [], 7, ordinal=3),
            _src("K3", "notat-c", "Ubrugt kilde", [], None),
        ],
        warnings=["Passage K3 ligner instruktioner til modellen (injection) og er ikke brugt."],
    )
    return draft.model_copy(update=over)


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _comments(path: Path) -> list[str]:
    doc = Document(str(path))
    return ["\n".join(p.text for p in c.paragraphs) for c in doc.comments]


def _commented_text(path: Path) -> dict[str, str]:
    """comment id -> the document text inside that comment's range."""
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    out = {}
    for m in re.finditer(r'<w:commentRangeStart w:id="(\d+)"/>(.*?)<w:commentRangeEnd w:id="\1"/>', xml, re.S):
        out[m.group(1)] = "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", m.group(2)))
    return out


@pytest.fixture
def exported(tmp_path):
    out = export_docx(make_draft(), tmp_path / "svar.docx")
    return out, Document(str(out))


def test_round_trip_structure(exported):
    path, doc = exported
    texts = [t for t in _texts(doc) if t.strip()]
    assert texts[0] == "Til Rasmus Steenberger (F)"
    title = "Svar til Rasmus Steenberger (F) - Spørgsmål om trivselsindsatser"
    assert texts[1] == title
    assert doc.paragraphs[[p.text for p in doc.paragraphs].index(title)].style.name.startswith("Heading")
    assert texts[2] == (
        "Rasmus Steenberger (F) har den 19. maj 2026 stillet følgende spørgsmål til Sundheds- og Omsorgsforvaltningen:"
    )
    assert texts[3] == '"Hvilke muligheder er der for at lære af Roskilde?"'
    assert texts[4] == "Sundheds- og Omsorgsforvaltningens svar"
    # sub-question lead-ins, in order, with the sentences of each after it
    i1 = texts.index("Ad spørgsmål 1: Hvilke erfaringer er der med en pilot med seniorcirkler?")
    i2 = texts.index("Ad spørgsmål 2: Kan tiltagene finansieres af ældrereformmidlerne?")
    i3 = texts.index("Ad spørgsmål 3: Hvad koster social henvisning?")
    assert 4 < i1 < i2 < i3
    assert texts[i1 + 1] == (
        "Forvaltningen følger udviklingen i Roskilde. "
        "En pilot med en seniorcirkel starter efter sommerferien 2025. [1] "
        "Piloten omfatter 40 borgere. [2]"
    )
    # K2 was numbered first in body order -> [2]; both cited here -> "[1, 2]"
    assert texts[i2 + 1] == (
        "Begge tiltag kan prioriteres inden for ældrereformmidlerne. [1, 2] Det vil styrke fællesskaberne markant."
    )
    assert texts[i3 + 1].startswith("[Til sagsbehandler: ")
    # wrapper after the body
    tail = texts[i3 + 2 :]
    assert tail[0] == "22. maj 2026"
    assert "Edoc-sagsnummer\n2026-0179144" in tail
    assert "F2 sagsnummer\n2026 - 11792" in tail
    assert "Sagsbehandler\nMads Wallentin" in tail
    k = tail.index("Kilder")
    assert tail[k + 1 :] == [
        "[1] Notat om seniorcirkler, Sundheds- og Omsorgsforvaltningen, 4. marts 2025, Status > Pilot",
        "[2] Budgetnotat 2026, Sundheds- og Omsorgsforvaltningen, 4. marts 2025, s. 7",
    ]
    # no template tag survives
    assert not any("{{" in t or "{%" in t for t in _texts(doc))


def test_review_marks_and_comments(exported):
    path, doc = exported
    highlighted = [
        r.text for p in doc.paragraphs for r in p.runs if r.font.highlight_color == WD_COLOR_INDEX.YELLOW and r.text
    ]
    assert "Piloten omfatter 40 borgere." in highlighted
    assert "Det vil styrke fællesskaberne markant." in highlighted
    assert any(t.startswith("[Til sagsbehandler:") for t in highlighted)
    assert "En pilot med en seniorcirkel starter efter sommerferien 2025." not in highlighted
    assert "Forvaltningen følger udviklingen i Roskilde." not in highlighted

    comments = _comments(path)
    # export verifies again: the reason is the recomputed one
    unverified = [c for c in comments if "tallet 40 findes ikke i [2]" in c]
    assert len(unverified) == 1 and unverified[0].startswith("Ikke verificeret")
    assert any(c.startswith("Ingen kildehenvisning") for c in comments)
    assert any("Delspørgsmål 3" in c for c in comments)
    assert any("injection" in c for c in comments)
    # the reason comment is anchored on the sentence it explains
    ranges = _commented_text(path)
    assert "Piloten omfatter 40 borgere. [2]" in ranges.values()
    assert "Det vil styrke fællesskaberne markant." in ranges.values()
    authors = {c.author for c in Document(str(path)).comments}
    assert authors == {"Forvaltningssvar-assistent"}


def test_single_sub_answer_has_no_lead_in(tmp_path):
    d = make_draft()
    d = d.model_copy(update={"sub_answers": d.sub_answers[:1], "warnings": []})
    doc = Document(str(export_docx(d, tmp_path / "a.docx")))
    texts = _texts(doc)
    assert not any(t.startswith("Ad spørgsmål") for t in texts)
    heading = texts.index("Sundheds- og Omsorgsforvaltningens svar")
    body = [t for t in texts[heading + 1 :] if t.strip()][0]
    assert body.startswith("Forvaltningen følger udviklingen i Roskilde.")
    # only the source actually cited is listed
    assert [t for t in texts if t.startswith("[")] == [
        "[1] Notat om seniorcirkler, Sundheds- og Omsorgsforvaltningen, 4. marts 2025, Status > Pilot",
        "[2] Budgetnotat 2026, Sundheds- og Omsorgsforvaltningen, 4. marts 2025, s. 7",
    ]


def test_fields_override_header(tmp_path):
    out = export_docx(
        make_draft(),
        tmp_path / "a.docx",
        fields={"recipient": "Anna Bach (Ø)", "case_officer": "Lise Holm", "date": "2026-06-01", "edoc": "2026-1"},
    )
    texts = _texts(Document(str(out)))
    assert "Til Anna Bach (Ø)" in texts
    assert "Sagsbehandler\nLise Holm" in texts
    assert "1. juni 2026" in texts
    assert "Edoc-sagsnummer\n2026-1" in texts
    with pytest.raises(ExportError, match="body"):
        export_docx(make_draft(), tmp_path / "b.docx", fields={"body": "x"})


def test_no_overwrite_without_force_and_atomic(tmp_path):
    out = tmp_path / "svar.docx"
    out.write_bytes(b"keep me")
    with pytest.raises(ExportError, match=re.escape(str(out))):
        export_docx(make_draft(), out)
    assert out.read_bytes() == b"keep me"
    export_docx(make_draft(), out, force=True)
    assert zipfile.is_zipfile(out)
    assert "Til Rasmus Steenberger (F)" in _texts(Document(str(out)))
    # no temp files left in the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["svar.docx"]
    with pytest.raises(ExportError, match="mappen findes ikke"):
        export_docx(make_draft(), tmp_path / "nope" / "svar.docx")


def test_failed_render_leaves_no_file(tmp_path):
    bad = tmp_path / "bad.docx"
    _template_without(bad, "{{ body }}")
    out = tmp_path / "svar.docx"
    with pytest.raises(ExportError):
        export_docx(make_draft(), out, template=bad)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.docx"]


NASTY = "A <b>&amp; {{ x }} }} {% if %} {#c#} {_{ [1] \"q\" 'a' æøå \x00\x01\x07\x0c\x1b\ud800\ufffe\tend\r\nline2"


def test_nasty_strings_round_trip(tmp_path):
    d = make_draft()
    sq = SubQuestion(id="1", text=NASTY)
    d = d.model_copy(
        update={
            "question": d.question.model_copy(update={"text": NASTY, "asker": "O'Brien <&>", "topic": "{{ topic }}"}),
            "sub_answers": [
                SubAnswer(
                    sub_question=sq,
                    sentences=[
                        Sentence(
                            text=NASTY, citations=[Citation(key="K1")], status=Status.unverified, problems=[NASTY]
                        ),
                        Sentence(text="Næste [1] sætning.", status=Status.no_claim),
                    ],
                )
            ],
            "sources": [
                d.sources[0].model_copy(update={"meta": d.sources[0].meta.model_copy(update={"title": NASTY})})
            ],
            "warnings": [NASTY],
        }
    )
    out = export_docx(d, tmp_path / "nasty.docx", fields={"case_officer": NASTY})
    doc = Document(str(out))
    texts = _texts(doc)
    want = clean_text(NASTY)
    assert "\x00" not in want and "\x07" not in want and "<b>&amp; {{ x }}" in want
    assert want.endswith("\tend\nline2")
    # wrapper fields (rendered by Jinja) and the body (written by python-docx) both intact
    assert "Til O'Brien <&> (F)" in texts
    assert "Svar til O'Brien <&> (F) - Spørgsmål om {{ topic }}" in texts
    assert f'"{want}"' in texts
    assert f"{want} [1] Næste [1] sætning." in texts
    assert f"Sagsbehandler\n{want}" in texts
    assert any(t == f"[1] {want}, Sundheds- og Omsorgsforvaltningen, 4. marts 2025, Status > Pilot" for t in texts)
    comments = _comments(out)
    assert any(want in c for c in comments)
    # still one paragraph per line: \a and \f did not split paragraphs or add page breaks
    xml = zipfile.ZipFile(out).read("word/document.xml").decode()
    assert 'w:type="page"' not in xml


def _template_without(path: Path, tag: str, replace: str = "") -> Path:
    doc = Document(str(DEFAULT_TEMPLATE))
    found = False
    for p in doc.paragraphs:
        for r in p.runs:
            if tag in r.text:
                r.text = r.text.replace(tag, replace)
                found = True
    assert found, tag
    doc.save(str(path))
    return path


def test_default_template_is_valid_and_documents_fields():
    assert check_template(DEFAULT_TEMPLATE) == []
    assert {"body", "recipient", "sources", "case_officer"} <= set(REQUIRED_FIELDS)


@pytest.mark.parametrize("field", ["case_officer", "body"])
def test_template_missing_field_rejected(tmp_path, field):
    tpl = _template_without(tmp_path / "mine.docx", "{{ " + field + " }}")
    problems = check_template(tpl)
    assert len(problems) == 1 and f"'{{{{ {field} }}}}'" in problems[0]
    with pytest.raises(ExportError, match=field):
        export_docx(make_draft(), tmp_path / "out.docx", template=tpl)


def test_template_broken_tag_rejected(tmp_path):
    tpl = _template_without(tmp_path / "broken.docx", "{{ recipient }}", "{{ recipient }")
    problems = check_template(tpl)
    assert problems and "recipient" in problems[0] and "broken" in problems[0]
    with pytest.raises(ExportError, match="recipient"):
        export_docx(make_draft(), tmp_path / "out.docx", template=tpl)
    tpl2 = _template_without(tmp_path / "broken2.docx", "{{ title }}", "{{ title | }}")
    assert any("title" in p for p in check_template(tpl2))


def test_user_template_edited_in_word_works(tmp_path):
    """A user's own template: other text and styles, fields split over runs as Word does."""
    doc = Document()
    doc.add_paragraph("KØBENHAVNS KOMMUNE")
    p = doc.add_paragraph("Til ")
    for piece in ("{{ recip", "ient }}"):  # Word often splits a field over runs
        p.add_run(piece).bold = True
    doc.add_heading("{{ title }}", level=2)
    doc.add_paragraph("{{ intro }}")
    doc.add_paragraph("»{{ question }}«")
    doc.add_heading("{{ answer_heading }}", level=3)
    body = doc.add_paragraph()
    body.add_run("{{ body }}").italic = True
    doc.add_paragraph("Dato: {{ date }} · Edoc: {{ edoc }} · Udvalg: {{ udvalg }}")
    doc.add_paragraph("Sagsbehandler: {{ case_officer }}")
    doc.add_paragraph("{%p for s in sources %}")
    doc.add_paragraph("{{ s.number }}. {{ s.title }} ({{ s.location }})")
    doc.add_paragraph("{%p endfor %}")
    tpl = tmp_path / "mine.docx"
    doc.save(str(tpl))
    assert check_template(tpl) == []

    out = export_docx(make_draft(), tmp_path / "svar.docx", template=tpl, fields={"udvalg": "Sundhedsudvalget"})
    res = Document(str(out))
    texts = _texts(res)
    assert texts[0] == "KØBENHAVNS KOMMUNE"
    assert "Til Rasmus Steenberger (F)" in texts
    assert "»Hvilke muligheder er der for at lære af Roskilde?«" in texts
    assert "Dato: 22. maj 2026 · Edoc: 2026-0179144 · Udvalg: Sundhedsudvalget" in texts
    assert "1. Notat om seniorcirkler (Status > Pilot)" in texts
    # body paragraphs copy the formatting of the {{ body }} run
    body_p = next(p for p in res.paragraphs if p.text.startswith("Forvaltningen følger"))
    assert body_p.runs[0].italic is True


def test_footnotes_style(tmp_path):
    out = export_docx(make_draft(), tmp_path / "fn.docx", citation_style="footnotes")
    texts = _texts(Document(str(out)))
    assert "Kilder" not in texts
    assert not any("[1]" in t for t in texts)
    with zipfile.ZipFile(out) as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    assert "footnotes.xml" in rels and "footnotes+xml" in types
    refs = re.findall(r'<w:footnoteReference w:id="(\d+)"/>', body)
    assert len(refs) == 4  # K1; K2; K1+K2
    texts = []
    for fid in refs:
        m = re.search(rf'<w:footnote w:id="{fid}">(.*?)</w:footnote>', notes, re.S)
        texts.append("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", m.group(1))).strip().split(",")[0])
    assert texts == ["Notat om seniorcirkler", "Budgetnotat 2026", "Notat om seniorcirkler", "Budgetnotat 2026"]
    # the reason comment covers the unverified sentence and its footnote mark
    assert any(t == "Piloten omfatter 40 borgere." for t in _commented_text(out).values())
    assert 'w:footnotePr><w:footnote w:id="-1"/>' in z_settings(out)
    assert "Budgetnotat 2026, Sundheds- og Omsorgsforvaltningen, 4. marts 2025, s. 7" in notes
    with pytest.raises(ExportError, match="citation_style"):
        export_docx(make_draft(), tmp_path / "x.docx", citation_style="endnotes")


def test_build_context_is_pure_and_derives_house_style():
    d = make_draft(header=Header(administration="Sundheds- og Omsorgsforvaltningen"))
    ctx = build_context(d, {"f2": "2026 - 1"}, today="2026-05-22")
    assert ctx["recipient"] == "Rasmus Steenberger (F)"
    assert ctx["title"] == "Svar til Rasmus Steenberger (F) - Spørgsmål om trivselsindsatser"
    assert ctx["answer_heading"] == "Sundheds- og Omsorgsforvaltningens svar"
    assert ctx["date"] == "22. maj 2026"
    assert ctx["case_numbers"] == [{"label": "F2 sagsnummer", "value": "2026 - 1"}]
    assert [s["number"] for s in ctx["sources"]] == [1, 2]
    assert ctx["sources"][0]["keys"] == ["K1"]
    assert build_context(d, {"f2": "2026 - 1"}, today="2026-05-22") == ctx


def test_empty_answer_is_marked_and_warnings_kept(tmp_path):
    d = make_draft()
    d = d.model_copy(update={"sub_answers": [SubAnswer(sub_question=d.question.sub_questions[0])]})
    out = export_docx(d, tmp_path / "empty.docx")
    texts = _texts(Document(str(out)))
    assert "[Til sagsbehandler: Udkastet indeholder intet svar.]" in texts
    assert "Kilder" not in texts  # nothing cited, so no list
    assert any("injection" in c for c in _comments(out))


def z_settings(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/settings.xml").decode()


def test_comment_names_the_source_by_its_number_not_the_internal_key(tmp_path):
    d = make_draft()
    a = d.sub_answers[0]
    bad = a.sentences[2].model_copy(update={"problems": ["tallet 40 findes ikke i K2"]})
    d = d.model_copy(
        update={"sub_answers": [a.model_copy(update={"sentences": [*a.sentences[:2], bad]}), *d.sub_answers[1:]]}
    )
    comments = _comments(export_docx(d, tmp_path / "a.docx"))
    reason = next(c for c in comments if "tallet 40" in c)
    assert "findes ikke i [2]" in reason and "K2" not in reason
    # with footnotes Word numbers the notes per citation, so the comment names the source's title
    comments = _comments(export_docx(d, tmp_path / "b.docx", citation_style="footnotes"))
    reason = next(c for c in comments if "tallet 40" in c)
    assert "findes ikke i «Budgetnotat 2026»" in reason


def test_template_field_without_value_is_named(tmp_path):
    from assistant.export import empty_field_warning, empty_fields

    tpl = tmp_path / "t.docx"
    doc = Document(str(DEFAULT_TEMPLATE))
    doc.add_paragraph("Kontor: {{ kontor }}")
    doc.save(str(tpl))
    assert empty_fields(make_draft(), template=tpl) == ["kontor"]
    assert empty_fields(make_draft(), template=tpl, fields={"kontor": "Ældrekontoret"}) == []
    no_officer = make_draft(header=make_draft().header.model_copy(update={"case_officer": ""}))
    assert empty_fields(no_officer) == ["case_officer"]
    assert "{{ kontor }}" in empty_field_warning("kontor")


def test_answer_table_is_a_word_table_with_caption_and_unit(tmp_path):
    from assistant.models import AnswerTable, AnswerTableRow

    table = AnswerTable(
        caption="Tabel 1. Bevillinger som udløber",
        unit="1.000 kr., 2026-pl",
        columns=["Bevilling", "Beløb", "Forvaltningens anbefaling"],
        rows=[
            AnswerTableRow(
                cells=["Madklubber på plejehjem", "1.750", "Bør videreføres"], citations=[Citation(key="K2")]
            ),
            AnswerTableRow(
                cells=["Tryg hjemkomst", "3.832", "Ikke relevant at videreføre"], citations=[Citation(key="K1")]
            ),
        ],
    )
    draft = make_draft()
    answers = list(draft.sub_answers)
    answers[2] = SubAnswer(sub_question=answers[2].sub_question, tables=[table])
    out = export_docx(draft.model_copy(update={"sub_answers": answers}), tmp_path / "tabel.docx")
    doc = Document(str(out))
    assert len(doc.tables) == 1
    t = doc.tables[0]
    cells = [[c.text for c in r.cells] for r in t.rows]
    assert cells[0] == ["Bevilling", "Beløb", "Forvaltningens anbefaling"]
    assert t.rows[0].cells[0].paragraphs[0].runs[0].bold
    # each line names its source by the number the text uses (K2 is [2], K1 is [1] in this draft)
    assert cells[1] == ["Madklubber på plejehjem [2]", "1.750", "Bør videreføres"]
    assert cells[2][0] == "Tryg hjemkomst [1]"
    texts = _texts(doc)
    assert "Tabel 1. Bevillinger som udløber (1.000 kr., 2026-pl)" in texts
    # the caption sits in the body before the table, under its sub-question's lead-in
    body = [el.tag.rsplit("}", 1)[-1] for el in doc.element.body.iterchildren()]
    assert "tbl" in body
    assert texts.index("Tabel 1. Bevillinger som udløber (1.000 kr., 2026-pl)") > texts.index(
        "Ad spørgsmål 3: Hvad koster social henvisning?"
    )
    fn = export_docx(
        draft.model_copy(update={"sub_answers": answers}), tmp_path / "fn.docx", citation_style="footnotes"
    )
    with zipfile.ZipFile(fn) as z:
        assert len(re.findall(r"<w:footnoteReference", z.read("word/document.xml").decode())) == 6
