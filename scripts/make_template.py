"""Generate the default Word template for exported answers (forvaltningssvar).

Run from the repository root::

    .venv/bin/python scripts/make_template.py [OUT.docx]

The result (``assistant/templates/forvaltningssvar.docx`` by default) is committed
so the package ships a template; rerun this script after changing the layout.

The template is an ordinary .docx with docxtpl/Jinja fields, so it can be opened
and restyled in Word. Fields (documented in the README and in
``assistant.export.REQUIRED_FIELDS``):

``recipient`` ``title`` ``intro`` ``question`` ``answer_heading`` ``body``
``date`` ``case_numbers`` (list of ``label``/``value``) ``case_officer``
``sources`` (list of ``number``/``text``). ``{{ body }}`` must stand alone in its
paragraph: the export replaces that paragraph with the drafted answer and
copies its paragraph and character formatting.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt, RGBColor

FONT = "Arial"
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "assistant" / "templates" / "forvaltningssvar.docx"


def _style_fonts(doc) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", 15), ("Heading 2", 12), ("Heading 3", 11)):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(14 if name == "Heading 1" else 12)
        style.paragraph_format.space_after = Pt(6)
    if "Kilde" not in [s.name for s in doc.styles]:
        kilde = doc.styles.add_style("Kilde", WD_STYLE_TYPE.PARAGRAPH)
        kilde.base_style = normal
        kilde.font.size = Pt(9)
        kilde.paragraph_format.space_after = Pt(2)


def build(out: Path) -> Path:
    doc = Document()
    _style_fonts(doc)
    props = doc.core_properties
    props.title = "Forvaltningssvar"
    props.author = "forvaltningssvar-assistant"
    props.comments = "Skabelon med docxtpl-felter; se README (Word-skabelon)."
    fixed = datetime(2026, 1, 1, tzinfo=UTC)
    props.created = fixed
    props.modified = fixed
    props.last_modified_by = "forvaltningssvar-assistant"
    props.revision = 1

    doc.add_paragraph("Til {{ recipient }}")
    doc.add_paragraph("{{ title }}", style="Heading 1")
    doc.add_paragraph("{{ intro }}")
    doc.add_paragraph('"{{ question }}"')
    doc.add_paragraph("{{ answer_heading }}", style="Heading 2")
    doc.add_paragraph("{{ body }}")

    date_p = doc.add_paragraph("{{ date }}")
    date_p.paragraph_format.space_before = Pt(18)

    doc.add_paragraph("{%p for c in case_numbers %}")
    p = doc.add_paragraph()
    p.add_run("{{ c.label }}")
    p.runs[-1].add_break()
    p.add_run("{{ c.value }}")
    doc.add_paragraph("{%p endfor %}")

    p = doc.add_paragraph()
    p.add_run("Sagsbehandler")
    p.runs[-1].add_break()
    p.add_run("{{ case_officer }}")

    doc.add_paragraph("{%p if sources %}")
    doc.add_paragraph("Kilder", style="Heading 3")
    doc.add_paragraph("{%p for s in sources %}")
    doc.add_paragraph("[{{ s.number }}] {{ s.text }}", style="Kilde")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    print(build(target))
