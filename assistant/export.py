"""Export a draft to the administration's Word template (.docx).

The wrapper of a forvaltningssvar ("Til ...", title, the quoted question, the
answer heading, date, case numbers, case officer, the "Kilder" list) lives in a
docxtpl/Jinja template that a user may restyle in Word. The answer body is not
rendered by Jinja: the template holds ``{{ body }}`` alone in a paragraph, we
render it with a random token and then replace that paragraph with python-docx,
sentence by sentence, so that each sentence can carry highlighting, citation
numbers and Word comments. User text therefore never becomes template source;
the wrapper fields are rendered with autoescape and stripped of characters XML
cannot hold.

Sources: numbered references with a "Kilder" list (default). Why not footnotes:
an answer is short and read as a whole, so one list of sources at the end is
easier to check than notes at each page foot; numbers in brackets survive when
the text is pasted into Edoc/F2, an e-mail or the council's web page, where Word
footnotes are lost or renumbered; the officer can delete the list before
sending in one step; and python-docx has no footnote API, so references work
with any template made in Word. ``citation_style="footnotes"`` is available for
those who prefer it: it writes real Word footnotes (one per citation, repeating
the source line) into the document's footnotes part.

Review marks: a sentence whose citation check failed (``unverified``) or that
has no citation (``uncited``) is highlighted yellow and carries a Word comment
with the reason; an unanswered sub-question gets a highlighted note
"[Til sagsbehandler: ...]"; the draft's warnings (e.g. passages that read like
instructions to the model) become a comment on the start of the answer.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import secrets
import zipfile
from datetime import UTC, datetime
from datetime import date as _date
from importlib.resources import files
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from docxtpl import DocxTemplate
from jinja2 import Environment, TemplateError, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from assistant import house_style
from assistant.danish import format_date
from assistant.fsutil import atomic_write
from assistant.models import Draft, SourceRef, Status
from assistant.question import shown_text

# package data, found through importlib.resources (a real file in a checkout and in an installed wheel)
DEFAULT_TEMPLATE = Path(str(files("assistant") / "templates" / "forvaltningssvar.docx"))

REQUIRED_FIELDS: tuple[str, ...] = (
    "recipient",
    "title",
    "intro",
    "question",
    "answer_heading",
    "body",
    "date",
    "case_officer",
    "sources",
)
"""Variables a template must use. ``sources`` is not needed with footnotes."""

FIELD_DOCS: dict[str, str] = {
    "recipient": 'who asked, "Rasmus Steenberger (F)"; the template writes "Til {{ recipient }}"',
    "title": '"Svar til <asker> - Spørgsmål om <topic>"',
    "intro": '"<asker> har den 19. maj 2026 stillet følgende spørgsmål til <forvaltning>:"',
    "question": "the question as asked (quote it in the template)",
    "answer_heading": '"<Forvaltningens> svar"',
    "body": "the answer; must stand alone in its paragraph, whose formatting the body copies",
    "date": 'answer date, "22. maj 2026" (today when the draft has none)',
    "case_officer": "Sagsbehandler",
    "sources": "list of {number, text, title, authority, date, location, url}: the Kilder list",
    "case_numbers": "optional list of {label, value}, e.g. Edoc-sagsnummer / F2 sagsnummer",
    "edoc": "optional Edoc case number",
    "f2": "optional F2 case number",
    "administration": "optional name of the answering administration",
    "asker": "optional",
    "party": "optional",
    "topic": "optional",
    "date_asked": 'optional, "19. maj 2026"',
}

CASE_LABELS = {"edoc": "Edoc-sagsnummer", "f2": "F2 sagsnummer", "spm": "Spørgsmålsnummer"}
_RESERVED = {"body", "sources", "case_numbers"}
CITATION_STYLES = ("references", "footnotes")

AUTHOR = "Forvaltningssvar-assistent"
INITIALS = "FA"

# Filters a template may use (all pure text/list helpers). A template is a file an administration passes
# around, so it is rendered in Jinja's immutable sandbox with no globals (no lipsum, cycler, range, self ...),
# no attribute or item starting with "_", no include/import/extends, and only these filters.
ALLOWED_FILTERS = frozenset(
    "abs capitalize center count d default e escape first float indent int join last length list lower "
    "replace reverse round sort string sum title trim truncate unique upper wordcount wordwrap".split()
)
_FORBIDDEN_NAMES = frozenset({"self", "lipsum", "cycler", "joiner", "namespace", "range", "dict", "caller", "varargs",
                              "kwargs", "config", "request", "os", "sys"})  # fmt: skip

# XML 1.0 forbids C0 controls except \t \n \r, lone surrogates and U+FFFE/U+FFFF.
# \x7f is legal XML but a control character; docxtpl turns \a and \f into paragraph
# and page breaks, so they must go before rendering.
_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


class ExportError(Exception):
    """The export cannot be written; the message names the field or path."""


def clean_text(text: str) -> str:
    """Text safe for a Word document: newlines normalised, control characters dropped."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    return _INVALID.sub("", text)


# --- context -----------------------------------------------------------------


def _date_text(value: str) -> str:
    """An ISO date in house style ("22. maj 2026"); anything else (also "2026-02-30") as written."""
    value = clean_text(value).strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            _date.fromisoformat(value)
        except ValueError:
            return value
        return format_date(value)
    return value


def _location(src: SourceRef) -> str:
    parts = []
    heading = " > ".join(h.strip() for h in src.passage.heading_path if h.strip())
    if heading:
        parts.append(heading)
    if src.passage.page is not None:
        parts.append(f"s. {src.passage.page}")
    return ", ".join(parts)


def _source_entry(src: SourceRef) -> dict[str, Any]:
    meta = src.meta
    entry = {
        "title": clean_text(meta.title).strip(),
        "authority": clean_text(meta.authority or "").strip(),
        "date": _date_text(meta.date or ""),
        "location": clean_text(_location(src)),
        "url": clean_text(meta.url or "").strip(),
    }
    entry["text"] = ", ".join(v for v in (entry["title"], entry["authority"], entry["date"], entry["location"]) if v)
    if entry["url"]:
        entry["text"] += f" ({entry['url']})"
    return entry


def number_sources(draft: Draft) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Sources in order of first citation, numbered from 1, and citation key -> number.

    Keys that point at the same source line (same document and heading) share a number;
    keys that resolve to no source get none.
    """
    entries: list[dict[str, Any]] = []
    by_text: dict[str, int] = {}
    numbers: dict[str, int] = {}
    # sentences first, then the lines of answer tables, sub-answer by sub-answer
    cited = [
        cit
        for sa in draft.sub_answers
        for cit in [
            *(c for s in sa.sentences for c in s.citations),
            *(c for t in sa.tables for r in t.rows for c in r.citations),
        ]
    ]
    for cit in cited:
        if cit.key in numbers:
            continue
        src = draft.source(cit.key)
        if src is None:
            continue
        entry = _source_entry(src)
        n = by_text.get(entry["text"])
        if n is None:
            n = len(entries) + 1
            by_text[entry["text"]] = n
            entries.append({"number": n, "keys": [], **entry})
        entries[n - 1]["keys"].append(cit.key)
        numbers[cit.key] = n
    return entries, numbers


def build_context(draft: Draft, fields: dict[str, str] | None = None, *, today: str | None = None) -> dict[str, Any]:
    """The data given to the template (plain, cleaned text; escaping happens at render).

    Header values win over values derived from the question; ``fields`` win over both.
    ``fields`` keys: any template field (recipient, title, intro, question, answer_heading,
    date, case_officer, administration, ...), ``edoc``/``f2``/``spm`` (case numbers), or an
    extra variable a user template uses. ``today`` (ISO) fills an empty date.
    """
    fields = {k: v for k, v in (fields or {}).items() if v is not None}
    bad = sorted(_RESERVED & fields.keys())
    if bad:
        raise ExportError(f"field '{bad[0]}' is filled by the export and cannot be overridden")
    for key in fields:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
            raise ExportError(f"field name '{key}' is not a valid template variable")

    q, h = draft.question, draft.header
    asker = (q.asker or "").strip()
    party = (q.party or "").strip()
    administration = fields.get("administration") or h.administration or q.addressee or ""
    recipient = fields.get("recipient") or h.recipient or house_style.recipient(q)
    topic = (q.topic or "").strip()
    title = fields.get("title") or h.title
    if not title:
        title = f"Svar til {recipient}" if recipient else "Svar"
        if topic:
            title += f" - Spørgsmål om {topic}"
    intro = fields.get("intro") or h.intro or house_style.intro(q, q.addressee or administration, recipient)
    answer_heading = fields.get("answer_heading") or h.answer_heading or house_style.answer_heading(administration)

    case_numbers: dict[str, str] = {}
    for label, value in h.case_numbers.items():
        case_numbers[CASE_LABELS.get(label.lower(), label)] = value
    for key, label in CASE_LABELS.items():
        if fields.get(key):
            case_numbers[label] = fields[key]

    sources, _ = number_sources(draft)
    ctx: dict[str, Any] = {k: clean_text(v) for k, v in fields.items() if k not in CASE_LABELS}
    ctx.update(
        recipient=clean_text(recipient),
        title=clean_text(title),
        intro=clean_text(intro),
        question=clean_text(fields.get("question") or q.text).strip(),
        answer_heading=clean_text(answer_heading),
        administration=clean_text(administration),
        date=_date_text(fields.get("date") or h.date or today or ""),
        case_officer=clean_text(fields.get("case_officer") or h.case_officer),
        case_numbers=[{"label": clean_text(k), "value": clean_text(v)} for k, v in case_numbers.items() if v],
        edoc=clean_text(case_numbers.get(CASE_LABELS["edoc"], "")),
        f2=clean_text(case_numbers.get(CASE_LABELS["f2"], "")),
        asker=clean_text(asker),
        party=clean_text(party),
        topic=clean_text(topic),
        date_asked=_date_text(q.date_asked or ""),
        sources=sources,
    )
    return ctx


def _xml_safe(value: Any) -> Any:
    """Escape for the template: ``&`` ``<`` and quotes as entities, ``_`` as ``&#95;`` so
    docxtpl's post-render unescaping of ``{_{``/``}_}`` cannot touch user text."""
    if isinstance(value, str):
        return Markup(str(escape(clean_text(value))).replace("_", "&#95;"))
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_xml_safe(v) for v in value]
    return value


# --- template checks -----------------------------------------------------------

_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _template_paragraph_texts(path: Path) -> list[str]:
    doc = Document(str(path))
    parts = [doc.element.body]
    for section in doc.sections:
        for hf in (section.header, section.footer):
            if not hf.is_linked_to_previous:
                parts.append(hf._element)
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for part in parts for p in part.iter(qn("w:p"))]


def _locate_broken_tag(path: Path) -> str | None:
    """The first paragraph with an unbalanced or unparsable tag, quoted, or None."""
    env = Environment()
    for text in _template_paragraph_texts(path):
        for open_, close in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
            if text.count(open_) != text.count(close):
                return text.strip()
        for m in _TAG_RE.finditer(text):
            tag = m.group(0)
            if tag.startswith("{{"):
                inner = tag[2:-2].strip()
                inner = re.sub(r"^[rp]\s+", "", inner)  # docxtpl's {{r x }} / {{p x }}
                try:
                    env.parse("{{ " + inner + " }}")
                except TemplateSyntaxError:
                    return tag
    return None


def sandbox_env() -> ImmutableSandboxedEnvironment:
    """The only Jinja environment a Word template is rendered in: sandboxed, no globals, allowed filters only."""
    env = ImmutableSandboxedEnvironment(autoescape=True)
    env.globals.clear()
    env.filters = {k: v for k, v in env.filters.items() if k in ALLOWED_FILTERS}
    env.tests = {k: v for k, v in env.tests.items() if k in {"defined", "undefined", "none", "number", "string"}}
    return env


def _template_ast(path: Path):
    """The Jinja syntax tree of the whole template (body, headers, footers), as docxtpl renders it."""
    from docx.oxml import parse_xml as _parse

    tpl = DocxTemplate(str(path))
    doc = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(doc._element.body))
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and rel.target_part.blob:
            xml += tpl.patch_xml(tpl.xml_to_string(_parse(rel.target_part.blob)))
    props = doc.core_properties
    for name in ("author", "category", "comments", "content_status", "identifier", "keywords", "language",
                 "subject", "title", "version"):  # fmt: skip
        xml += "\n" + str(getattr(props, name, "") or "")
    return sandbox_env().parse(xml)


def unsafe_constructs(tree) -> list[str]:
    """What in a parsed template is not allowed: names, attributes, filters and tags that could run code."""
    found: list[str] = []
    for node in tree.find_all(nodes.Node):
        if isinstance(node, nodes.Name) and node.ctx == "load" and node.name in _FORBIDDEN_NAMES:
            found.append(f"the name '{node.name}'")
        elif isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
            found.append(f"the attribute '.{node.attr}'")
        elif (
            isinstance(node, nodes.Getitem)
            and isinstance(node.arg, nodes.Const)
            and str(node.arg.value).startswith("_")
        ):
            found.append(f"the item [{node.arg.value!r}]")
        elif isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            found.append(f"the filter '|{node.name}'")
        elif isinstance(node, nodes.Test) and node.name not in {"defined", "undefined", "none", "number", "string"}:
            found.append(f"the test 'is {node.name}'")
        elif isinstance(node, nodes.Include | nodes.Import | nodes.FromImport | nodes.Extends | nodes.Macro
                        | nodes.CallBlock | nodes.FilterBlock):  # fmt: skip
            found.append(f"the tag '{type(node).__name__.lower()}'")
        elif isinstance(node, nodes.Call) and not (
            isinstance(node.node, nodes.Getattr) and node.node.attr in {"upper", "lower", "strip", "title"}
        ):
            found.append("a function call")
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and "__" in node.value:
            found.append(f"the text {node.value!r}")
    return list(dict.fromkeys(found))


def _refused(path: Path, found: list[str]) -> str:
    return (
        f"template {path} is refused: it uses {', '.join(found[:3])}, which a template is not allowed to use "
        f"(allowed: the documented fields and the filters {', '.join(sorted(ALLOWED_FILTERS))})"
    )


def _variables(path: Path) -> set[str]:
    from jinja2 import meta

    try:
        tree = _template_ast(path)
    except TemplateSyntaxError as exc:
        where = _locate_broken_tag(path)
        hint = f" in {where!r}" if where else ""
        raise ExportError(f"template {path}: broken template tag{hint}: {exc.message}") from exc
    except TemplateError as exc:
        raise ExportError(f"template {path}: {exc}") from exc
    found = unsafe_constructs(tree)
    if found:
        raise ExportError(_refused(path, found))
    return meta.find_undeclared_variables(tree)


def check_template(path: Path, *, citation_style: str = "references") -> list[str]:
    """Problems that stop ``path`` from being used as a template (empty list: usable)."""
    path = Path(path)
    if not path.is_file():
        return [f"template not found: {path}"]
    if not zipfile.is_zipfile(path):
        return [f"template is not a .docx file: {path}"]
    try:
        found = _variables(path)
    except ExportError as exc:
        return [str(exc)]
    except Exception as exc:  # a zip that is not a Word document
        return [f"template {path} cannot be read as a Word document: {exc}"]
    required = [f for f in REQUIRED_FIELDS if not (f == "sources" and citation_style == "footnotes")]
    problems = [
        f"template {path} is missing the required field '{{{{ {f} }}}}' ({f})" for f in required if f not in found
    ]
    if not problems:
        broken = _locate_broken_tag(path)
        if broken:
            problems.append(f"template {path}: broken template tag in {broken!r}")
    return problems


_LISTS = {"body", "sources", "case_numbers"}  # filled by the export; an empty list is a normal case


def empty_fields(
    draft: Draft,
    *,
    template: Path | None = None,
    fields: dict[str, str] | None = None,
    citation_style: str = "references",
) -> list[str]:
    """Names of template fields that would render empty (``{{ kontor }}`` with no value given).

    The export still runs; callers show these as warnings naming the field.
    """
    template = Path(template) if template is not None else DEFAULT_TEMPLATE
    used = _variables(template)
    ctx = build_context(draft, fields, today=_date.today().isoformat())
    return [name for name in sorted(used - _LISTS) if not str(ctx.get(name) or "").strip()]


def empty_field_warning(name: str, *, cli: bool = True) -> str:
    how = "--field case_officer=NAVN eller draft.case_officer" if cli else "case_officer=NAVN under Felter"
    hint = f" ({how})" if name == "case_officer" else ""
    return f"skabelonfeltet {{{{ {name} }}}} har ingen værdi og bliver tomt i Word-filen{hint}"


# --- body ------------------------------------------------------------------------

_REVIEW = {Status.unverified, Status.uncited}


# schema order of w:settings children that follow w:footnotePr
_SETTINGS_AFTER_FOOTNOTEPR = (
    "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr", "w:attachedSchema", "w:themeFontLang",
    "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


class _Footnotes:
    """Minimal writer for real Word footnotes (python-docx has no API for them).

    Footnote marks of a commented sentence must lie inside the comment's range:
    LibreOffice (7.4) otherwise attaches the wrong texts to the footnotes after it.
    """

    _W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def __init__(self, doc) -> None:
        self._doc = doc
        self._part = None
        self._root = None
        for rel in doc.part.rels.values():
            if rel.reltype == RT.FOOTNOTES and not rel.is_external:
                self._part = rel.target_part
                self._root = self._part.element if isinstance(self._part, XmlPart) else parse_xml(self._part.blob)
        if self._root is None:
            xml = (
                f'<w:footnotes xmlns:w="{self._W}">'
                '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
                '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
                "</w:r></w:p></w:footnote></w:footnotes>"
            )
            self._root = parse_xml(xml)
            self._part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, self._root, doc.part.package)
            doc.part.relate_to(self._part, RT.FOOTNOTES)
            settings = doc.settings.element
            if settings.find(qn("w:footnotePr")) is None:
                settings.insert_element_before(
                    parse_xml(
                        f'<w:footnotePr xmlns:w="{self._W}"><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
                    ),
                    *_SETTINGS_AFTER_FOOTNOTEPR,
                )
        ids = [int(f.get(qn("w:id"))) for f in self._root.iter(qn("w:footnote"))]
        self._next = max([0, *ids]) + 1

    def add(self, after, text: str):
        """Put a footnote reference right after the ``w:r`` element ``after``; return the new ``w:r``."""
        fid = self._next
        self._next += 1
        note = parse_xml(
            f'<w:footnote xmlns:w="{self._W}" w:id="{fid}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:sz w:val="18"/><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:rPr><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        next(note.iter(qn("w:t"))).text = " " + text
        self._root.append(note)
        ref = parse_xml(
            f'<w:r xmlns:w="{self._W}"><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
            f'<w:footnoteReference w:id="{fid}"/></w:r>'
        )
        after.addnext(ref)
        return ref

    def close(self) -> None:
        if not isinstance(self._part, XmlPart):
            from lxml import etree

            self._part._blob = etree.tostring(self._root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _find_body_paragraph(doc, token: str) -> Paragraph:
    for p_el in doc.element.body.iter(qn("w:p")):
        text = "".join(t.text or "" for t in p_el.iter(qn("w:t")))
        if token in text:
            if text.strip() != token:
                raise ExportError("template field '{{ body }}' must stand alone in its own paragraph")
            return Paragraph(p_el, doc.part)
    raise ExportError("template field '{{ body }}' did not render (is it inside a condition or a header?)")


_KEY_RE = re.compile(r"\bK\d+\b")


def _numbered(text: str, labels: dict[str, str]) -> str:
    """Internal citation keys in a problem text ("findes ikke i K3") as the document names the
    source ("[1]", or its title with footnotes); keys the document does not show stay as they are."""
    return _KEY_RE.sub(lambda m: labels.get(m.group(0), m.group(0)), text)


def _reason(sentence, unresolved: list[str], labels: dict[str, str] | None = None) -> str:
    labels = labels or {}
    problems = [_numbered(clean_text(p), labels) for p in sentence.problems if clean_text(p).strip()]
    problems += [f"henvisningen {k} findes ikke blandt kilderne" for k in unresolved]
    if sentence.status == Status.unverified:
        head = "Ikke verificeret mod kilden"
        default = "kildekontrollen fejlede"
    else:
        head = "Ingen kildehenvisning"
        default = "påstanden er ikke underbygget af en kilde"
    return f"{head}: " + "; ".join(problems or [default]) + ". Kontrollér eller slet sætningen."


class _BodyWriter:
    def __init__(self, doc, anchor: Paragraph, numbers: dict[str, int], entries, footnotes: _Footnotes | None):
        self.doc = doc
        self.anchor = anchor
        self.numbers = numbers
        self.entries = entries
        self.footnotes = footnotes
        self.pPr = anchor._p.pPr
        first = anchor.runs[0]._r if anchor.runs else None
        self.rPr = first.rPr if first is not None else None
        self.first_runs: list = []
        if footnotes is None:
            self.labels = {k: f"[{n}]" for k, n in numbers.items()}
        else:  # footnotes are numbered per citation by Word: name the source by its title
            self.labels = {k: f"«{entries[n - 1]['title']}»" for k, n in numbers.items()}

    def paragraph(self) -> Paragraph:
        p = self.anchor.insert_paragraph_before()
        if self.pPr is not None:
            p._p.insert(0, copy.deepcopy(self.pPr))
        return p

    def run(self, p: Paragraph, text: str, *, bold: bool = False, highlight: bool = False):
        r = p.add_run()
        if self.rPr is not None:
            r._r.insert(0, copy.deepcopy(self.rPr))
        r.text = clean_text(text)
        if bold:
            r.bold = True
        if highlight:
            r.font.highlight_color = WD_COLOR_INDEX.YELLOW
        if not self.first_runs:
            self.first_runs.append(r)
        return r

    def note(self, text: str, comment: str | None = None) -> None:
        p = self.paragraph()
        r = self.run(p, f"[Til sagsbehandler: {text}]", bold=True, highlight=True)
        if comment:
            self.doc.add_comment(r, text=clean_text(comment), author=AUTHOR, initials=INITIALS)

    def sentences(self, p: Paragraph, sentences) -> None:
        first = True
        for s in sentences:
            review = s.status in _REVIEW
            text = clean_text(s.text).strip()
            if not text:
                continue
            if not first:
                self.run(p, " ")
            first = False
            runs = [self.run(p, text, highlight=review)]
            nums = sorted({self.numbers[c.key] for c in s.citations if c.key in self.numbers})
            unresolved = [c.key for c in s.citations if c.key not in self.numbers]
            if nums and self.footnotes is not None:
                after = runs[-1]._r
                for n in nums:
                    after = self.footnotes.add(after, self.entries[n - 1]["text"])
                runs.append(Run(after, p))
            elif nums:
                runs.append(self.run(p, " [" + ", ".join(str(n) for n in nums) + "]", highlight=review))
            if review:
                self.doc.add_comment(runs, text=_reason(s, unresolved, self.labels), author=AUTHOR, initials=INITIALS)

    def table(self, t) -> None:
        """An answer table (models.AnswerTable) as a Word table, its caption and unit above it;
        each line's sources are marked in its first cell, as in the text."""
        cap = self.paragraph()
        cap.paragraph_format.keep_with_next = True
        caption = clean_text(t.caption).strip()
        self.run(cap, f"{caption} ({clean_text(t.unit)})" if t.unit else caption, bold=True)
        ncols = max([1, len(t.columns), *(len(r.cells) for r in t.rows)])
        table = self.doc.add_table(rows=len(t.rows) + 1, cols=ncols)
        with contextlib.suppress(KeyError, ValueError):
            table.style = "Table Grid"  # a user template without the style keeps Word's default
        self.anchor._p.addprevious(table._tbl)
        for j, head in enumerate(t.columns):
            cell = table.rows[0].cells[j]
            cell.paragraphs[0].add_run(clean_text(head)).bold = True
        for i, row in enumerate(t.rows, start=1):
            for j, text in enumerate(row.cells[:ncols]):
                p = table.rows[i].cells[j].paragraphs[0]
                run = p.add_run(clean_text(text))
                if j:
                    continue
                nums = sorted({self.numbers[c.key] for c in row.citations if c.key in self.numbers})
                if nums and self.footnotes is not None:
                    after = run._r
                    for n in nums:
                        after = self.footnotes.add(after, self.entries[n - 1]["text"])
                elif nums:
                    p.add_run(" [" + ", ".join(str(n) for n in nums) + "]")
        if not self.first_runs and t.rows:
            self.first_runs.append(cap.runs[0])

    def write(self, draft: Draft) -> None:
        several = len(draft.sub_answers) > 1
        for sa in draft.sub_answers:
            sq = sa.sub_question
            if several:
                lead = self.paragraph()
                lead.paragraph_format.keep_with_next = True
                self.run(
                    lead, f"Ad spørgsmål {clean_text(sq.id)}: {clean_text(shown_text(sq.text)).strip()}", bold=True
                )
            if sa.sentences:
                self.sentences(self.paragraph(), sa.sentences)
            for t in sa.tables:
                self.table(t)
            if not sa.answered:
                what = "spørgsmålet" if several else f"spørgsmålet «{clean_text(shown_text(sq.text)).strip()}»"
                self.note(
                    f"Der er ikke fundet materiale, der besvarer {what}. Skriv svaret, eller slet spørgsmålet.",
                    comment=f"Delspørgsmål {clean_text(sq.id)} er ikke besvaret.",
                )
        if not self.first_runs:
            self.note("Udkastet indeholder intet svar.")
        warnings = [_numbered(clean_text(w).strip(), self.labels) for w in draft.warnings if clean_text(w).strip()]
        if warnings:
            text = "Advarsler fra assistenten:\n" + "\n".join(f"- {w}" for w in warnings)
            self.doc.add_comment(self.first_runs[0], text=text, author=AUTHOR, initials=INITIALS)
        self.anchor._p.getparent().remove(self.anchor._p)


# --- export ------------------------------------------------------------------------


def _write_atomic(data: bytes, out: Path, force: bool) -> None:
    try:
        atomic_write(out, data, overwrite=force)
    except FileExistsError:
        raise ExportError(f"{out} findes allerede; brug --force for at overskrive") from None
    except OSError as e:
        from assistant.diskspace import disk_problem

        why = disk_problem(out.parent, e) or (e.strerror or str(e))
        raise ExportError(f"kan ikke skrive {out}: {why}; intet er skrevet") from None


def keep_draft(draft: Draft, candidates: list[Path]) -> tuple[Path | None, list[str]]:
    """Save ``draft`` as JSON in the first of ``candidates`` that can be written (never over an existing file).

    Returns the path written (None when none could be) and why each earlier candidate failed, so
    a draft is not lost when its export target is full or read-only.
    """
    from assistant.diskspace import disk_problem

    data = draft.model_dump_json(indent=2).encode("utf-8")
    problems: list[str] = []
    for cand in candidates:
        cand = Path(cand)
        for n in range(100):
            target = cand if n == 0 else cand.with_name(f"{cand.stem.removesuffix('.draft')}-{n}.draft.json")
            if not target.exists():
                break
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, data, overwrite=False)
            return target, problems
        except (OSError, ExportError) as e:
            why = (disk_problem(target.parent, e) or e.strerror or str(e)) if isinstance(e, OSError) else str(e)
            problems.append(f"{target}: {why}")
    return None, problems


def render_docx(
    draft: Draft,
    *,
    template: Path | None = None,
    fields: dict[str, str] | None = None,
    citation_style: str = "references",
) -> bytes:
    """The exported document as bytes (no file written)."""
    if citation_style not in CITATION_STYLES:
        raise ExportError(f"citation_style must be one of {', '.join(CITATION_STYLES)}, not {citation_style!r}")
    template = Path(template) if template is not None else DEFAULT_TEMPLATE
    problems = check_template(template, citation_style=citation_style)
    if problems:
        raise ExportError("; ".join(problems))

    from assistant.cite import reverify

    draft = reverify(draft)  # the JSON may have been edited: statuses are checked again, never trusted
    ctx = build_context(draft, fields, today=_date.today().isoformat())
    entries, numbers = number_sources(draft)
    token = "BODY" + secrets.token_hex(12)
    render_ctx = _xml_safe({**ctx, "sources": [] if citation_style == "footnotes" else ctx["sources"]})
    render_ctx["body"] = token

    tpl = DocxTemplate(str(template))
    try:
        tpl.render(render_ctx, jinja_env=sandbox_env(), autoescape=True)
    except SecurityError as exc:
        raise ExportError(f"template {template} is refused: {exc} (a template is not allowed to do that)") from exc
    except (TemplateError, OverflowError) as exc:
        raise ExportError(f"template {template}: {exc}") from exc
    buf = io.BytesIO()
    tpl.save(buf)

    doc = Document(io.BytesIO(buf.getvalue()))
    anchor = _find_body_paragraph(doc, token)
    footnotes = _Footnotes(doc) if citation_style == "footnotes" else None
    _BodyWriter(doc, anchor, numbers, entries, footnotes).write(draft)
    if footnotes is not None:
        footnotes.close()
    props = doc.core_properties
    props.title = ctx["title"][:255]  # Word's core properties hold at most 255 characters
    props.author = (ctx["case_officer"] or AUTHOR)[:255]
    props.last_modified_by = AUTHOR
    props.comments = f"Udkast lavet af {AUTHOR} ({draft.drafter})"
    props.created = props.modified = datetime.now(UTC)
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def export_docx(
    draft: Draft,
    out: Path,
    *,
    template: Path | None = None,
    force: bool = False,
    fields: dict[str, str] | None = None,
    citation_style: str = "references",
) -> Path:
    """Write ``draft`` as a .docx at ``out`` (atomically; never overwrites without ``force``)."""
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportError(f"mappen findes ikke: {out.parent}")
    if out.exists() and not force:
        raise ExportError(f"{out} findes allerede; brug --force for at overskrive")
    if out.is_dir():
        raise ExportError(f"{out} er en mappe")
    data = render_docx(draft, template=template, fields=fields, citation_style=citation_style)
    _write_atomic(data, out, force)
    return out
