"""PDF tables with their cell structure, read by pdfplumber (the only module that imports it, lazily).

pypdf's text of a table interleaves wrapped cells ("Genoptræning og / forebyggende træning / 348
Ikke relevant at / videreføre / (pilotprojekt)") and splits words that a narrow cell broke
("forebygg else"). pdfplumber finds the ruled cells, so each cell's lines can be joined inside the
cell. Measured on ../shared/formats (see tests/test_tables.py): cells correct 1.00 with pdfplumber
against 0.45 for pypdf text read as a flattened table.

``tables_on_page(page)`` returns a page's tables as rows of cell texts. ``substitute(page_text,
tables)`` replaces the lines of ``page_text`` that hold a table with the table written as
``a | b | c`` lines, the form ``assistant.tables`` reads for every format, so cell spans point into
the cleaned text like those of .docx and HTML tables.

Joining the lines of a cell: LibreOffice and Word break a line inside a word only when the word is
wider than the cell, and then near the cell's edge. So two lines of a cell are joined without a
space when the first is one word filling at least 75 % of the cell's inner width, the second starts
in lower case and not with a short function word ("og", "i", ...), and the first is not itself the
tail of a broken word (a word is broken once at most); a line ending in "-" keeps its hyphen
("KK-" / "aktivitet"); otherwise lines are joined with a space. The geometry cannot always tell
("Sundhed" / "s- og" against "Sundhed" / "og"): the misses are listed in tests/test_tables.py.
"""

from __future__ import annotations

import re

_FUNCTION_WORDS = {"og", "i", "af", "for", "til", "med", "på", "om", "ved", "fra", "m.v.", "mv.", "samt", "eller"}


def _cell_lines(page, bbox) -> list[dict]:
    try:
        got = page.crop(bbox).extract_text_lines(strip=True)
    except ValueError:  # a bbox outside the page
        return []
    # crop clips characters to the cell, so a line of the next cell that touches the border comes
    # back as a sliver a fraction of a line high: a line belongs to the cell that holds most of it
    out = []
    for ln in got:
        size = max((ch.get("size", 0.0) for ch in ln.get("chars", [])), default=0.0)
        if ln["bottom"] - ln["top"] >= 0.5 * size:
            out.append(ln)
    return out


def _join(lines: list[dict], x0: float, x1: float) -> str:
    """One cell's lines as one string (see the module docstring for the rule)."""
    if not lines:
        return ""
    pad = min(ln["x0"] for ln in lines) - x0
    avail = max(1.0, (x1 - x0) - pad)
    out = " ".join(lines[0]["text"].split())
    broke = False  # the last join was inside a word: a word is broken once at most
    for k in range(1, len(lines)):
        text = " ".join(lines[k]["text"].split())
        prev = lines[k - 1]
        ptext = " ".join(prev["text"].split())
        first = text.split()[0] if text else ""
        fill = (prev["x1"] - x0 - pad) / avail
        if ptext.endswith("-") and first[:1].islower() and " " not in ptext[-3:]:
            out += text  # a hyphen at a line end stays: "KK-" + "aktivitet"
            broke = False
        elif (
            " " not in ptext
            and not broke
            and fill >= 0.75
            and first[:1].islower()
            and first.lower() not in _FUNCTION_WORDS
        ):
            out += text  # a word broken at the cell's edge: "forebygg" + "else"
            broke = True
        else:
            out += " " + text
            broke = False
    return out


def tables_on_page(page) -> list[list[list[str]]]:
    """The ruled tables of a pdfplumber page, each as rows of cell texts (None cells as "")."""
    found = []
    for table in page.find_tables():
        cells_by_row = [row.cells for row in table.rows]
        rows = []
        for cells in cells_by_row:
            row = []
            for bbox in cells:
                if bbox is None:
                    row.append("")
                    continue
                row.append(_join(_cell_lines(page, bbox), bbox[0], bbox[2]))
            rows.append(row)
        if len(rows) >= 2 and max(len(r) for r in rows) >= 2:
            found.append(rows)
    return found


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def substitute(page_text: str, tables: list[list[list[str]]]) -> str:
    """``page_text`` with each table's lines replaced by its rows written as ``a | b | c`` lines.

    A table's lines run from the first line that starts with its first non-empty cell to the last
    line holding the end of its last non-empty cell; a table not found that way is left as it was.
    """
    lines = page_text.split("\n")
    for rows in tables:
        cells = [c for r in rows for c in r if c.strip()]
        if not cells:
            continue
        head = _squash(cells[0])
        tail = _squash(cells[-1])
        sq = [_squash(ln) for ln in lines]
        start = next((i for i, s in enumerate(sq) if s and (head.startswith(s) or s.startswith(head[:12]))), None)
        if start is None:
            continue
        end = None
        for i in range(len(sq) - 1, start - 1, -1):
            if sq[i] and (tail.endswith(sq[i]) or sq[i].endswith(tail[-12:])):
                end = i
                break
        if end is None:
            continue
        rendered = [" | ".join(c.replace("|", "/") for c in r) for r in rows if any(c.strip() for c in r)]
        lines[start : end + 1] = rendered
    return "\n".join(lines)


def read_tables(path, page_numbers: list[int]) -> dict[int, list[list[list[str]]]]:
    """Tables of the given 0-based pages of the PDF at ``path`` (pages without tables left out)."""
    import pdfplumber

    out: dict[int, list[list[list[str]]]] = {}
    with pdfplumber.open(str(path)) as pdf:
        for i in page_numbers:
            if 0 <= i < len(pdf.pages):
                got = tables_on_page(pdf.pages[i])
                if got:
                    out[i] = got
    return out
