"""Tables as data: rows and cells recognised in a document's cleaned text.

Public functions (all pure, over typed data):

* ``extract_tables(text, blocks, doc_id) -> list[Table]``: every table block of a document
  (``BlockKind.table`` from ``documents``) as a :class:`~assistant.models.Table`: caption, heading
  path, headers, unit, price basis and rows of cells, each cell with its char span in ``text``.
* ``row_text(ctx) -> str``: a row rendered with its caption, unit and headers, the text that search
  indexes and prompts show for a row passage ("Tabel 1. ... (1.000 kr., 2026-pl) — Madklubber på
  plejehjem: Beløb 1.750; Forvaltningens anbefaling: Bør videreføres").
* ``row_passages(doc, first_ordinal) -> list[Passage]``: one passage per data row.
* ``parse_number(raw)`` and ``unit_scale(unit)``: a cell's number as written and the kroner per unit.

Two readers share one model:

* **pipe** tables: lines with cells separated by ``|``. Markdown pipe tables arrive so; ``documents``
  writes .docx and HTML tables (and PDF tables found by pdfplumber) the same way, so one reader
  serves every format whose tables carry their structure.
* **flattened** tables: a table that a PDF extraction has turned into lines (seed 002's "Tabel 1.",
  seed 001's "OPGAVER OG ØKONOMI", seed 004's "Tabel 1. Serviceudgifter"). The rules, in order:
  a caption line ("Tabel N."); header lines up to the last line of year headers (or up to the first
  line with a number that is not a year, a unit or a date); then rows, each a label followed by a
  run of numbers and, when the table has a text column, a text cell. Labels wrap over lines (a
  line starting in lower case, or with "(", continues the one above), a label may stand alone on
  the lines above its numbers, a text cell may sit on the line below its numbers, a line that is a
  date alone is a page footer, and label-only lines followed by a new label are a group heading.
  When a row has fewer numbers than the table has columns, the column of each number is decided by
  the table's own totals row (the placement under which every column sums to its stated total,
  rows left-first on ties); without totals the numbers fill from the right and the row is marked
  ``uncertain``.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

from .danish import find_dates
from .models import Block, BlockKind, Document, Passage, RowContext, Table, TableCell, TableRow

__all__ = [
    "extract_tables",
    "parse_number",
    "row_passages",
    "row_text",
    "unit_scale",
]

_CAPTION_RE = re.compile(r"^(?:Tabel|Tab\.|Table|Oversigt)\s*\d+[a-z]?\b", re.I)
# a number as a table cell: 13.767, -1.161,4, 0,0, 600.000 kr., 12 %, (1.067), 348*
_NUM_RE = re.compile(r"^[(]?[-+\u2212\u2013]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?[)]?\*?$")
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
_TOTAL_RE = re.compile(r"\bi\s+alt\b|\btotal\b|\bsum\b", re.I)
_UNIT_RES = (
    (re.compile(r"\bmia\.?\s*kr\.?", re.I), "mia. kr."),
    (re.compile(r"\bmio\.?\s*kr\.?", re.I), "mio. kr."),
    (re.compile(r"\b1\.000\s*kr\.?|\bt\.\s?kr\.?|\btkr\.?", re.I), "1.000 kr."),
    (re.compile(r"(?<![\w.])kr\.(?!\w)|\bkroner\b", re.I), "kr."),
)
_SCALES = {"mia. kr.": 1e9, "mio. kr.": 1e6, "1.000 kr.": 1e3, "kr.": 1.0}
_PRICE_RES = (
    (re.compile(r"\b((?:19|20)\d\d)\s*-?\s*pl\b", re.I), "{}-pl"),
    (re.compile(r"\b((?:19|20)\d\d)\s*-?\s*p/l\b", re.I), "{}-p/l"),
    (re.compile(r"\b((?:19|20)\d\d)\s*-\s*priser\b", re.I), "{}-priser"),
    (re.compile(r"\b((?:19|20)\d\d)\s*-?\s*prisniveau\b", re.I), "{}-prisniveau"),
    (re.compile(r"\bløbende\s+(p/l|priser)\b", re.I), "løbende {}"),
)
# a unit phrase to blank out before counting a header line's numbers ("(2026-pl) 1.000 kr.")
_UNIT_MASK_RE = re.compile(
    r"\b1\.000\s*kr\.?|\b(?:19|20)\d\d\s*-?\s*(?:pl|p/l|priser)\b|\bmio\.?\s*kr\.?|\bmia\.?\s*kr\.?", re.I
)


# --------------------------------------------------------------------------
# numbers and units


def parse_number(raw: str) -> float | None:
    """The number a cell states, as written: ``13.767`` -> 13767.0, ``-1.161,4`` -> -1161.4,
    ``600.000 kr.`` -> 600000.0, ``(1.067)`` -> 1067.0; None for text, dashes and empty cells."""
    s = raw.strip().replace("\u2212", "-").replace("\u2013", "-")
    s = re.sub(r"\s*(?:mio\.|mia\.|t\.)?\s*(?:kr\.?|kroner)$", "", s, flags=re.I).strip()
    s = s.rstrip("*").strip("()")
    m = re.fullmatch(r"([-+]?)(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?", s)
    if not m:
        return None
    whole = m.group(2).replace(".", "")
    v = float(f"{whole}.{m.group(3)}" if m.group(3) else whole)
    return -v if m.group(1) == "-" else v


def unit_scale(unit: str | None) -> float | None:
    """Kroner per unit: "1.000 kr." -> 1000.0, "mio. kr." -> 1e6; None for no or an unknown unit."""
    return _SCALES.get(unit or "")


def find_unit(text: str) -> str | None:
    for rx, unit in _UNIT_RES:
        if rx.search(text):
            return unit
    return None


def find_price_basis(text: str) -> str | None:
    for rx, fmt in _PRICE_RES:
        m = rx.search(text)
        if m:
            return fmt.format(m.group(1).lower())
    return None


def _squash(s: str) -> str:
    return " ".join(s.split())


# --------------------------------------------------------------------------
# lines of a block


class _Ln:
    __slots__ = ("text", "start", "end")

    def __init__(self, text: str, start: int) -> None:
        self.text = text
        self.start = start
        self.end = start + len(text)


def _block_lines(text: str, block: Block) -> list[_Ln]:
    out = []
    pos = block.start
    for raw in text[block.start : block.end].split("\n"):
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip()
        if stripped:
            out.append(_Ln(stripped, pos + lead))
        pos += len(raw) + 1
    return out


def _is_pipe_line(s: str) -> bool:
    return s.count("|") >= 1 and not _CAPTION_RE.match(s) and ("|" in s.strip("|") or s.startswith("|"))


# --------------------------------------------------------------------------
# pipe tables


def _split_pipe(ln: _Ln, markdown: bool) -> list[tuple[str, int, int]]:
    """Cells of one pipe line as (text, start, end) with spans in the document text."""
    s = ln.text
    bounds = [-1] + [i for i, ch in enumerate(s) if ch == "|"] + [len(s)]
    cells = []
    for a, b in itertools.pairwise(bounds):
        seg = s[a + 1 : b]
        lead = len(seg) - len(seg.lstrip())
        t = seg.strip()
        start = ln.start + a + 1 + lead
        cells.append((_squash(t), start, start + len(t)))
    if markdown:
        cells = cells[1:-1] if s.startswith("|") and s.endswith("|") else cells
    return cells


def _is_separator(s: str) -> bool:
    return bool(re.fullmatch(r"\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?", s))


def _pipe_table(lines: list[_Ln]) -> tuple[list[str], list[list[tuple[str, int, int]]], list[_Ln]]:
    """(header cells, rows of cells, non-pipe lines) of a pipe table block."""
    pipe = [ln for ln in lines if _is_pipe_line(ln.text) and not _is_separator(ln.text)]
    other = [ln for ln in lines if not _is_pipe_line(ln.text)]
    markdown = all(ln.text.startswith("|") and ln.text.endswith("|") for ln in pipe)
    rows = [_split_pipe(ln, markdown) for ln in pipe]
    if not rows:
        return [], [], other
    width = max(len(r) for r in rows)
    for r in rows:  # a row cut short (a trailing empty cell trimmed away) is padded where it ends
        while len(r) < width:
            end = r[-1][2] if r else 0
            r.append(("", end, end))
    first = rows[0]
    numeric = sum(1 for t, _, _ in first[1:] if parse_number(t) is not None and not _YEAR_RE.match(t))
    if numeric * 2 >= max(1, len(first) - 1):
        header: list[str] = [""] * width
    else:
        header = [t for t, _, _ in first]
        rows = rows[1:]
    # a row holding only a label in lower case or "(" continues the row above (a PDF page break
    # splits a wrapped cell over two table rows)
    merged: list[list[tuple[str, int, int]]] = []
    for r in rows:
        label = r[0][0]
        if merged and label and not any(t for t, _, _ in r[1:]) and (label[0].islower() or label[0] == "("):
            prev = merged[-1]
            prev[0] = (_squash(prev[0][0] + " " + label), prev[0][1], r[0][2])
            continue
        if any(t for t, _, _ in r):
            merged.append(r)
    return header, merged, other


# --------------------------------------------------------------------------
# flattened tables


def _tokens(s: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", s)]


def _is_num_token(t: str) -> bool:
    return bool(_NUM_RE.match(t))


def _split_line(ln: _Ln) -> tuple[tuple[str, int, int] | None, list[tuple[str, int, int]], tuple[str, int, int] | None]:
    """(label, numbers, trailing text) of a row line, each with document spans; numbers empty when the
    line has no run of numbers that only text follows."""
    toks = _tokens(ln.text)
    n = len(toks)
    # the last run of number tokens after which no number follows
    j = n
    while j > 0 and not _is_num_token(toks[j - 1][0]):
        j -= 1
    if j == 0:
        return (_span_of(ln, toks, 0, n), [], None)
    i = j
    while i > 0 and _is_num_token(toks[i - 1][0]):
        i -= 1
    # a lone year inside a label ("Bevillingsudløb 2026 i alt") is label text when more label follows
    label = _span_of(ln, toks, 0, i) if i > 0 else None
    nums = [(t, ln.start + a, ln.start + b) for t, a, b in toks[i:j]]
    tail = _span_of(ln, toks, j, n) if j < n else None
    return label, nums, tail


def _span_of(ln: _Ln, toks: list[tuple[str, int, int]], i: int, j: int) -> tuple[str, int, int] | None:
    if i >= j:
        return None
    a, b = toks[i][1], toks[j - 1][2]
    return (ln.text[a:b], ln.start + a, ln.start + b)


def _is_footer(s: str) -> bool:
    dates = find_dates(s)
    if dates and dates[0][0] <= 1 and dates[-1][1] >= len(s) - 1:
        return True
    # "Side 3", "3 af 7": a page counter (a lone number is a cell: documents drops page numbers already)
    return bool(re.fullmatch(r"side\s*\d{1,3}(?:\s*(?:af|/)\s*\d{1,3})?|\d{1,3}\s*af\s*\d{1,3}", s, re.I))


def _is_year_header(s: str) -> bool:
    toks = _UNIT_MASK_RE.sub(" ", s).split()
    years = [t for t in toks if _YEAR_RE.match(t.strip("()"))]
    nums = [t for t in toks if _is_num_token(t)]
    return bool(years) and len(years) == len(nums) and (len(years) >= 2 or len(toks) == 1)


def _is_data_line(s: str) -> bool:
    if _is_footer(s):
        return False
    masked = _UNIT_MASK_RE.sub(" ", s)
    if not masked.strip():
        return False
    label, nums, _ = _split_line(_Ln(masked, 0))
    return bool(nums) and not all(_YEAR_RE.match(t) for t, _, _ in nums)


def _starts_lower(s: str) -> bool:
    return bool(s) and (s[0].islower() or s[0] in "(-–")


class _Row:
    def __init__(self) -> None:
        self.label: list[tuple[str, int, int]] = []
        self.nums: list[tuple[str, int, int]] = []
        self.text: list[tuple[str, int, int]] = []
        self.group: str | None = None


def _segments(pending: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """Split label-only lines into runs that each start with a line not in lower case."""
    segs: list[list[tuple[str, int, int]]] = []
    for p in pending:
        if segs and _starts_lower(p[0]):
            segs[-1].append(p)
        else:
            segs.append([p])
    return segs


def _header_pieces(lines: list[_Ln]) -> list[str]:
    """Column headers from header lines: a year line splits into years (and a trailing "I alt");
    a lone year joins the word below it ("2025" / "udgifter"); other lines join until a line starts
    with a capital letter."""
    pieces: list[str] = []
    joinable = False  # whether the next lower-case or digit-led line continues the last piece
    for ln in lines:
        t = ln.text
        if re.fullmatch(r"[+\-−–]\s*=\s*\S+", t):  # "+=indtægter": a sign legend, not a header
            continue
        masked = _UNIT_MASK_RE.sub(" ", t)
        if not re.search(r"[A-Za-zÆØÅæøå0-9]", re.sub(r"\b(?:kr|I)\b", "", masked)):
            if pieces and joinable:  # "1.000 kr." below "Beløb som udløber (2026-pl)"
                pieces[-1] = _squash(pieces[-1] + " " + t)
            continue  # a unit line above the headers states the unit, not a column
        if _is_year_header(t) and len(t.split()) >= 2:
            toks = t.split()
            first_year = next(i for i, x in enumerate(toks) if _YEAR_RE.match(x.strip("()")))
            # "(1.000 kr. – 2015 p/l ) 2015 2016 ..." : years after the unit parenthesis
            close = max((i for i, x in enumerate(toks) if x.endswith(")")), default=-1)
            start = max(first_year, close + 1)
            rest = toks[start:]
            k = 0
            while k < len(rest) and _YEAR_RE.match(rest[k]):
                pieces.append(rest[k])
                k += 1
            if k < len(rest):
                pieces.append(" ".join(rest[k:]))
            joinable = False
            continue
        if pieces and joinable and (_starts_lower(t) or re.fullmatch(r"(?:19|20)\d\d", pieces[-1])):
            pieces[-1] = _squash(pieces[-1] + " " + t)
        else:
            pieces.append(_squash(t))
        joinable = True
    return pieces


def _fit_headers(pieces: list[str], n: int) -> list[str]:
    """``n`` headers from ``pieces``: merge the shortest piece into the next while there are too many."""
    pieces = [p for p in pieces if p]
    while len(pieces) > n:
        i = min(range(len(pieces) - 1), key=lambda k: (len(pieces[k].split()), k))
        pieces[i : i + 2] = [pieces[i] + " " + pieces[i + 1]]
    return [""] * (n - len(pieces)) + pieces


def _flat_table(lines: list[_Ln]) -> tuple[list[_Ln], list[_Ln], list[_Row], int | None]:
    """(caption lines, header lines, rows, number of value columns from a year header or None)."""
    caption: list[_Ln] = []
    i = 0
    if lines and _CAPTION_RE.match(lines[0].text):
        caption.append(lines[0])
        i = 1
    first_data = next((k for k in range(i, len(lines)) if _is_data_line(lines[k].text)), len(lines))
    zone = lines[i:first_data]
    last_year = max((k for k, ln in enumerate(zone) if _is_year_header(ln.text)), default=-1)
    if last_year >= 0:
        header, pending_lines = zone[: last_year + 1], zone[last_year + 1 :]
    else:
        # the first row's label may stand on the lines above its numbers: the last run that starts
        # with a capital letter, unless the data line carries its own label
        header, pending_lines = zone, []
        if first_data < len(lines):
            label, _, _ = _split_line(lines[first_data])
            if label is None and zone:
                k = len(zone) - 1
                while k > 0 and _starts_lower(zone[k].text):
                    k -= 1
                header, pending_lines = zone[:k], zone[k:]
    year_cols = None
    if last_year >= 0:
        year_cols = len(_header_pieces(header))
    rows: list[_Row] = []
    pending: list[tuple[str, int, int]] = [(ln.text, ln.start, ln.end) for ln in pending_lines]
    cur: _Row | None = None
    group: str | None = None
    body = lines[first_data:]
    # a text column: at least two rows carry text after their numbers on the same line
    has_text = sum(1 for ln in body if _split_line(ln)[1] and _split_line(ln)[2]) >= 2

    def start_row(label_parts: list[tuple[str, int, int]]) -> _Row:
        nonlocal cur, group
        segs = _segments(label_parts)
        if len(segs) > 1:
            group = _squash(" ".join(t for seg in segs[:-1] for t, _, _ in seg))
            label_parts = segs[-1]
        r = _Row()
        r.label = label_parts
        r.group = None if _TOTAL_RE.search(" ".join(p[0] for p in label_parts)) else group
        rows.append(r)
        cur = r
        return r

    for ln in body:
        t = ln.text
        if _is_footer(t):
            continue
        label, nums, tail = _split_line(ln)
        if nums and (label or tail) and all(_YEAR_RE.match(x) for x, _, _ in nums):
            nums = []  # "Budgetaftale 2014 – Ældrepuljen:": a year inside a text line
        if not nums:
            if pending and _starts_lower(t):
                pending.append((t, ln.start, ln.end))
            elif (
                cur is not None
                and has_text
                and not cur.text
                and cur.nums
                or cur is not None
                and has_text
                and cur.text
                and _starts_lower(t)
            ):
                cur.text.append((t, ln.start, ln.end))
            elif cur is not None and not has_text and _starts_lower(t) and not pending:
                cur.label.append((t, ln.start, ln.end))  # the label wraps below its numbers
            else:
                if pending and pending[-1][0].endswith(":") and not _starts_lower(t):
                    group = _squash(" ".join(p[0] for p in pending))
                    pending = []
                pending.append((t, ln.start, ln.end))
            continue
        if label is None:
            if pending:
                r = start_row(pending)
                pending = []
            elif cur is not None and not cur.text and (year_cols is None or len(cur.nums) < year_cols):
                r = cur
            else:
                r = start_row([])
        else:
            parts = pending + [label]
            if pending and not _starts_lower(label[0]):
                last = _segments(pending)[-1]
                one_word = len(label[0].split()) == 1 and len(last) == 1 and not last[-1][0].endswith(":")
                if one_word:  # "Ny viden om ensomhed - Magasinet" / "Efter 100 100": a title wrapped
                    parts = pending[:-1] + [(pending[-1][0] + " " + label[0], pending[-1][1], label[2])]
                    parts = [(p[0], p[1], p[2]) for p in parts]
                else:
                    group = _squash(" ".join(p[0] for p in pending))
                    parts = [label]
            r = start_row(parts)
            pending = []
        r.nums.extend(nums)
        if tail:
            r.text.append(tail)
    for p in pending:  # label-only lines at the end: a row without values
        if cur is not None and _starts_lower(p[0]):
            cur.label.append(p)
    return caption, header, rows, year_cols


def _place(rows: list[list[float | None]], n: int, total_idx: int | None) -> tuple[list[list[int]], list[bool]]:
    """Column positions of each row's values in ``n`` columns, checked against the totals row.

    Each row lists its values in order; a placement keeps that order. Returns (positions, per row
    whether its placement is certain).
    """
    options = [list(itertools.combinations(range(n), len(r))) for r in rows]
    fill_right = [tuple(range(n - len(r), n)) for r in rows]
    unsure = [len(r) == n for r in rows]
    if total_idx is None or any(not o for o in options):
        return [list(p) for p in fill_right], unsure
    size = 1
    for o in options:
        size *= len(o)
    if size > 300_000:
        return [list(p) for p in fill_right], unsure
    solutions = []
    others = [k for k in range(len(rows)) if k != total_idx]
    for combo in itertools.product(*options):
        sums = [0.0] * n
        for k in others:
            for pos, v in zip(combo[k], rows[k], strict=True):
                sums[pos] += v or 0.0
        totals = [0.0] * n
        for pos, v in zip(combo[total_idx], rows[total_idx], strict=True):
            totals[pos] = v or 0.0
        if all(abs(a - b) < 0.01 for a, b in zip(sums, totals, strict=True)):
            solutions.append(combo)
            if len(solutions) > 50:
                break
    if not solutions:
        return [list(p) for p in fill_right], unsure
    best = solutions[0]
    # a row is certain when every placement that satisfies the totals puts its numbers in the same
    # columns (seed 004: the totals row leaves one year blank and does not say which, so its short
    # rows stay uncertain although the left-first reading is the right one there)
    sure = [all(s[k] == best[k] for s in solutions) for k in range(len(rows))]
    return [list(p) for p in best], sure


# --------------------------------------------------------------------------
# assembling Table models


def _heading_paths(blocks: Sequence[Block]) -> list[list[str]]:
    path: list[tuple[int, str]] = []
    out = []
    for b in blocks:
        if b.kind == BlockKind.heading:
            level = b.level or 1
            path = [(lv, h) for lv, h in path if lv < level]
            path.append((level, b.text.strip()))
        out.append([h for _, h in path])
    return out


def _caption_from(blocks: Sequence[Block], k: int, own: str) -> str:
    if own:
        return own
    if k > 0:
        prev = blocks[k - 1]
        words = len(prev.text.split())
        if prev.kind == BlockKind.heading or (
            words <= 25 and (_CAPTION_RE.match(prev.text) or find_unit(prev.text) or not prev.text.endswith("."))
        ):
            return _squash(prev.text)
    return ""


def _units_from(*texts: str) -> tuple[str | None, str | None]:
    unit = price = None
    for t in texts:
        unit = unit or find_unit(t)
        price = price or find_price_basis(t)
    return unit, price


def extract_tables(text: str, blocks: Sequence[Block], doc_id: str) -> list[Table]:
    """Every table block of a document as a Table (blocks without rows are skipped)."""
    tables: list[Table] = []
    paths = _heading_paths(blocks)
    for k, block in enumerate(blocks):
        if block.kind != BlockKind.table:
            continue
        lines = _block_lines(text, block)
        if not lines:
            continue
        table_id = f"{doc_id}:t{len(tables) + 1}"
        heading_path = paths[k]
        if sum(1 for ln in lines if _is_pipe_line(ln.text)) >= 2:
            t = _from_pipe(text, blocks, k, lines, table_id, heading_path)
        else:
            t = _from_flat(text, blocks, k, lines, table_id, heading_path)
        if t is not None and t.rows:
            tables.append(t)
    return tables


def _from_pipe(
    text: str, blocks: Sequence[Block], k: int, lines: list[_Ln], table_id: str, heading_path: list[str]
) -> Table | None:
    header, rows, other = _pipe_table(lines)
    if not rows:
        return None
    own = _squash(" ".join(ln.text for ln in other))
    caption = _caption_from(blocks, k, own)
    unit, price = _units_from(caption, " ".join(header), *(heading_path[-1:] or [""]))
    columns = header[1:]
    out_rows = []
    for idx, r in enumerate(rows):
        label, ls, le = r[0]
        cells = [
            TableCell(column=columns[j] if j < len(columns) else "", text=t, value=parse_number(t), start=a, end=b)
            for j, (t, a, b) in enumerate(r[1:])
        ]
        out_rows.append(
            TableRow(
                index=idx,
                label=label,
                label_start=ls,
                label_end=le,
                cells=cells,
                start=ls,
                end=max([le] + [c.end for c in cells]),
                total=bool(_TOTAL_RE.search(label)),
            )
        )
    block = blocks[k]
    return Table(
        table_id=table_id,
        caption=caption or (heading_path[-1] if heading_path else ""),
        heading_path=heading_path,
        label_header=header[0] if header else "",
        columns=columns,
        unit=unit,
        price_basis=price,
        rows=out_rows,
        start=block.start,
        end=block.end,
        source="pipe",
        page=block.page,
    )


def _join_parts(parts: list[tuple[str, int, int]]) -> tuple[str, int, int]:
    if not parts:
        return "", -1, -1
    return _squash(" ".join(p[0] for p in parts)), parts[0][1], parts[-1][2]


def _from_flat(
    text: str, blocks: Sequence[Block], k: int, lines: list[_Ln], table_id: str, heading_path: list[str]
) -> Table | None:
    caption_lines, header_lines, rows, year_cols = _flat_table(lines)
    rows = [r for r in rows if r.nums or r.text]
    if len(rows) < 2:
        return None
    n_num = max(len(r.nums) for r in rows)
    if year_cols:
        n_num = max(n_num, year_cols)
    has_text = any(r.text for r in rows)
    pieces = _header_pieces(header_lines)
    n_cols = 1 + n_num + (1 if has_text else 0)
    if year_cols:
        headers = [""] * (n_cols - len(pieces)) + pieces if len(pieces) < n_cols else pieces[-n_cols:]
        if has_text and len(pieces) == n_num:
            headers = [""] + pieces + [""]
    else:
        headers = _fit_headers(pieces, n_cols)
    label_header, columns = headers[0], headers[1:]
    num_cols = columns[:n_num]
    own = _squash(" ".join(ln.text for ln in caption_lines))
    caption = _caption_from(blocks, k, own)
    header_text = " ".join(ln.text for ln in header_lines)
    unit, price = _units_from(caption, header_text, *(heading_path[-1:] or [""]))
    # which column each number goes to: the totals row decides when numbers are missing
    values = [[parse_number(t) for t, _, _ in r.nums] for r in rows]
    total_idx = next((i for i, r in enumerate(rows) if _TOTAL_RE.search(_join_parts(r.label)[0])), None)
    short = [i for i, r in enumerate(rows) if len(r.nums) < n_num]
    placements = [list(range(len(r.nums))) for r in rows]
    uncertain: set[int] = set()
    if short:
        total_col = n_num - 1 if num_cols and _TOTAL_RE.search(num_cols[-1]) else None
        work = [list(v) for v in values]
        fixed_total: dict[int, bool] = {}
        if total_col is not None:
            # a row's last number is its own total when the numbers before it add up to it
            for i, v in enumerate(work):
                if (
                    len(v) >= 2
                    and v[-1] is not None
                    and abs(sum(x or 0 for x in v[:-1]) - v[-1]) < 0.01
                    or len(v) == n_num
                ):
                    fixed_total[i] = True
                    work[i] = v[:-1]
            n_years = n_num - 1
        else:
            n_years = n_num
        ok = all(len(v) <= n_years for v in work)
        if ok:
            pos, sure = _place(work, n_years, total_idx)
        else:
            pos, sure = [list(range(len(v))) for v in work], [len(v) == n_years for v in work]
        for i in range(len(rows)):
            p = list(pos[i])
            if fixed_total.get(i):
                p.append(n_num - 1)
            placements[i] = p
            if len(values[i]) < n_num and not sure[i]:
                uncertain.add(i)
    out_rows = []
    for idx, r in enumerate(rows):
        label, ls, le = _join_parts(r.label)
        if ls < 0:
            ls = le = r.nums[0][1] if r.nums else r.text[0][1]
        cells: list[TableCell] = []
        slots: dict[int, tuple[str, int, int]] = dict(zip(placements[idx], r.nums, strict=False))
        anchor = le
        for j in range(n_num):
            if j in slots:
                t, a, b = slots[j]
                anchor = b
                cells.append(
                    TableCell(
                        column=num_cols[j] if j < len(num_cols) else "", text=t, value=parse_number(t), start=a, end=b
                    )
                )
            else:
                cells.append(
                    TableCell(column=num_cols[j] if j < len(num_cols) else "", text="", start=anchor, end=anchor)
                )
        if has_text:
            t, a, b = _join_parts(r.text)
            if a < 0:
                a = b = anchor
            cells.append(TableCell(column=columns[n_num] if len(columns) > n_num else "", text=t, start=a, end=b))
        end = max([le] + [c.end for c in cells])
        out_rows.append(
            TableRow(
                index=idx,
                label=label,
                label_start=ls,
                label_end=le,
                cells=cells,
                start=min([ls] + [c.start for c in cells if c.text]),
                end=end,
                group=r.group,
                total=bool(_TOTAL_RE.search(label)),
                uncertain=idx in uncertain,
            )
        )
    block = blocks[k]
    return Table(
        table_id=table_id,
        caption=caption or (heading_path[-1] if heading_path else ""),
        heading_path=heading_path,
        label_header=label_header,
        columns=columns,
        unit=unit,
        price_basis=price,
        rows=out_rows,
        start=block.start,
        end=block.end,
        source="flat",
        page=block.page,
    )


# --------------------------------------------------------------------------
# rows as passages


def context_of(table: Table, row: TableRow) -> RowContext:
    return RowContext(
        table_id=table.table_id,
        caption=table.caption,
        unit=table.unit,
        price_basis=table.price_basis,
        label_header=table.label_header,
        columns=table.columns,
        row=row,
    )


def unit_label(unit: str | None, price_basis: str | None) -> str:
    """ "1.000 kr., 2026-pl" (either part may be missing)."""
    return ", ".join(x for x in (unit, price_basis) if x)


def row_text(ctx: RowContext) -> str:
    """A row with its table context, for search, prompts and display."""
    head = ctx.caption.strip()
    unit = unit_label(ctx.unit, ctx.price_basis)
    if unit and unit.lower() not in head.lower():
        head = f"{head} ({unit})" if head else f"({unit})"
    cells = "; ".join(f"{c.column}: {c.text}" if c.column else c.text for c in ctx.row.cells if c.text)
    label = ctx.row.label
    if ctx.row.group:
        label = f"{ctx.row.group} – {label}"
    body = f"{label}: {cells}" if cells else label
    return f"{head} — {body}" if head else body


def row_prompt(ctx: RowContext) -> dict[str, str]:
    """A row for the LLM drafter's prompt: caption, unit, the header line and the row line."""
    header = " | ".join([ctx.label_header or "Post", *ctx.columns])
    row = " | ".join([ctx.row.label, *(c.text or "–" for c in ctx.row.cells)])
    return {"caption": ctx.caption, "unit": unit_label(ctx.unit, ctx.price_basis), "header": header, "row": row}


def row_passages(doc: Document, first_ordinal: int) -> list[Passage]:
    """One passage per row of every table of ``doc`` (rows without a value are skipped)."""
    out: list[Passage] = []
    for table in doc.tables:
        for row in table.rows:
            if not any(c.text for c in row.cells):
                continue
            ordinal = first_ordinal + len(out)
            out.append(
                Passage(
                    chunk_id=f"{doc.meta.doc_id}:{doc.meta.sha256[:8]}:{ordinal:04d}",
                    doc_id=doc.meta.doc_id,
                    ordinal=ordinal,
                    text=doc.text[row.start : row.end],
                    start=row.start,
                    end=row.end,
                    heading_path=table.heading_path,
                    page=table.page,
                    table_row=context_of(table, row),
                )
            )
    return out


def passage_text(p: Passage) -> str:
    """What search embeds and indexes for a passage: a row with its context, else the passage text."""
    return row_text(p.table_row) if p.table_row is not None else p.text
