"""Figure answers composed from table rows, by safe rules. Pure: no I/O, no model.

Signature (what the offline drafter calls)::

    compose_from_rows(sub_question: str, question: str, rows: Sequence[SourceRef]) -> TableAnswer | None

``rows`` are the draft's sources whose passage is a table row (``SourceRef.passage.table_row``
set; others are ignored): the row passages retrieved for the sub-question
(``Searcher.search(text, k)`` ranks rows with text, ``rows=True`` searches rows only), widened to every
row of their table (``widen_rows(hits, searcher.table_rows)``) so "which ..." can list them all::

    hits = widen_rows(searcher.search(sq.text, 10, rows=True), searcher.table_rows)
    # ... give the hits keys like any other source, then
    answer = compose_from_rows(sq.text, question.text, refs)

Returns
None when no row answers what is asked; else a :class:`TableAnswer` with

* ``sentences``: house-style Danish sentences, each citing its row by key with a ``CellRef`` to the
  cell its number comes from, each already checked by ``cite.verify_sentence`` (a sentence that
  fails is dropped, never shown);
* ``tables``: an answer table (``models.AnswerTable``) when many rows are asked for, its cells
  copied from the source cells, each line citing its row;
* ``keys``: the source keys used, for the drafter's ``SubAnswer.source_keys``.

What is asked is read from the sub-question first and the whole question second:

* a **category** of a text column ("Bør videreføres", "Politisk", "Ikke relevant at videreføre")
  when the question asks which items are recommended (not) to continue or left to politicians;
* **every row** of the table ("hvilke bevillinger ...", "for hver", "alle") -> an answer table;
* a **row** whose label shares distinctive words with the question ("madklubber") -> one sentence
  per row, with its recommendation when the table has one;
* a **cost or total** ("hvad koster", "hvad forventes det at koste", "i alt") -> the table's own
  totals row, never a sum made here (totals only when the source states them);
* a **year** ("i 2026"), "første år" or "årene derefter" -> those columns only.

Numbers are copied from cells. The only reformatting is a unit change into kroner (1.750 in a
"1.000 kr." table -> 1.750.000 kr.; 989,2 in a "mio. kr." table stays 989,2 mio. kr.), and every
composed sentence is checked against its cited cell with ``cite``'s Danish normalisation. Cells of
a row marked ``uncertain`` (its numbers' columns could not be decided) are not stated by year.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from .cite import verify_sentence
from .models import (
    AnswerTable,
    AnswerTableRow,
    CellRef,
    Citation,
    Hit,
    RowContext,
    Sentence,
    SourceRef,
    Status,
    TableCell,
)
from .tables import unit_label, unit_scale

__all__ = ["TableAnswer", "compose_from_rows", "format_amount", "widen_rows"]


@dataclass
class TableAnswer:
    sentences: list[Sentence] = field(default_factory=list)
    tables: list[AnswerTable] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)


def widen_rows(hits: Sequence[Hit], table_rows, max_tables: int = 2) -> list[Hit]:
    """The row hits of ``hits`` widened to every row of their tables (the best ``max_tables``).

    ``table_rows(doc_id, table_id) -> list[Passage]`` is ``retrieve.Searcher.table_rows``. Added rows
    get the score of the row that brought their table in, so "hvilke ..." can list them all.
    """
    out: list[Hit] = []
    seen: set[str] = set()
    tables: list[tuple[str, str]] = []
    for h in hits:
        ctx = h.passage.table_row
        if ctx is None:
            continue
        if (h.passage.doc_id, ctx.table_id) not in tables and len(tables) < max_tables:
            tables.append((h.passage.doc_id, ctx.table_id))
            for p in table_rows(h.passage.doc_id, ctx.table_id):
                if p.chunk_id not in seen:
                    seen.add(p.chunk_id)
                    out.append(Hit(passage=p, meta=h.meta, score=h.score))
    return out


# --------------------------------------------------------------------------
# what is asked

_CONTINUE = r"videreføre[st]?|videreført|videreførelse|fortsætte[st]?|fortsat|forlænge[st]?|forlænget"
_CATEGORIES = (
    # (question pattern, cell pattern, name)
    (re.compile(rf"\b(?:ikke|ingen\s+grund)\b[^.?]*\b(?:{_CONTINUE}|relevant)\b|\bikke\s+anbefale|\bfraråd", re.I), re.compile(r"^ikke relevant", re.I)),
    (re.compile(r"\bpolitisk|\bpolitiker", re.I), re.compile(r"^politisk", re.I)),
    (re.compile(rf"\b(?:anbefal\w*|bør)\b[^.?]*\b(?:{_CONTINUE})\b|\b(?:{_CONTINUE})\b[^.?]*\banbefal", re.I), re.compile(r"^bør videreføres", re.I)),
)  # fmt: skip
# what a budget table's rows are: "hvilke bevillinger …" lists rows, "hvilke borgere …" does not
_ROW_NOUNS = re.compile(
    r"^(?:bevilling|udløb|bevillingsudløb|indsats|projekt|post|område|pulje|tiltag|initiativ|aktivitet|ordning|"
    r"opgave|forslag|budget|udgift|element|del)\w*$",
    re.I,
)


def _ask_sentence(text: str) -> str:
    """The sentence that asks (the last one ending in "?"), without the context sentences before it."""
    from .asks import sentence_start

    at = text.rfind("?")
    if at < 0:
        at = len(text.rstrip(" ."))  # ("Jeg er ved at se på, …. Jeg vil gerne vide, hvor mange …."): the last sentence
    start = sentence_start(text, at) if at > 0 else -1
    return text[start + 1 :].strip() if start >= 0 else text


def _lists_rows(asked: str, ctx0) -> bool:
    """Whether a "hvilke …" part lists things a table's rows can be: row nouns, or words of its caption or
    headers; a part that lists nothing ("Hvad består indsatsen af?") is not held to this."""
    m = re.search(r"\bhvilke[nt]?\s+(?:(?:to|tre|fire|fem|af\s+de|nye|andre)\s+)?(?P<n>[a-zæøå-]{3,})", asked, re.I)
    if not m:
        return True
    noun = m.group("n").lower()
    if _ROW_NOUNS.match(noun) or noun.endswith(("bevillinger", "udløb", "indsatser", "projekter")):
        return True
    from .analysis import stem

    around = " ".join([ctx0.caption or "", ctx0.label_header or "", *(ctx0.columns or [])]).lower()
    return stem(noun) in {stem(w) for w in re.findall(r"[a-zæøå-]+", around)}


_LIST_ALL = re.compile(r"\bhvilke\b|\bfor\s+hver\b|\bhver\s+(?:af|enkelt)\b|\balle\b|\bsamtlige\b|\boversigt\b", re.I)
_COST = re.compile(
    r"\bkost\w*|\budgift\w*|\bbeløb\w*|\bhvor\s+meget\b|\bpris\w*|\bi\s+alt\b|\bsamlet\b|\bbudget\w*|\bfinansier\w*",
    re.I,
)
_REC_ASK = re.compile(rf"\banbefal\w*|\bvurder\w*|\bindstill\w*|\bmen(?:er|te)\b|\b(?:{_CONTINUE})\b", re.I)
_FIG_ASK = re.compile(
    r"\bhvor\s+(?:mange|meget|stor[et]?|høj[et]?)\b|\w*beløb\w*|\bkost\w*|\budgør\b|\bpenge\b|\bpris\w*|\w*udgift\w*|"
    r"\w*budget\w*|\bhvad\s+(?:er|var)\s+(?:netto|brutto)|\bnetto\w*|\bbrutto\w*|\bgiver\s+det\b|"
    r"\bhvad\s+(?:skal|vil)\s+der\s+(?:bruges|afsættes)\b|\b(?:bruges|afsættes|afsat)\s+(?:der\s+)?(?:på|til)\b|"
    r"\bhvad\s+(?:er|var|blev)\s+der\s+sat\s+af\b|"
    # "Hvordan udvikler posten for pleje og træning sig over årene …?": a budget line's amounts
    r"\bposten\s+(?:for|til)\b|\budvikle[rt]?\s+(?:\w+\s+){0,6}?sig\b|\bregning\w*",
    re.I,
)
_FIRST_YEAR = re.compile(r"\bførste\s+år\b", re.I)
_LATER_YEARS = re.compile(
    r"\b(?:årene|år)\s+(?:efter|derefter)\b|\b(?:efterfølgende|følgende|kommende|næste)\s+år|\bderefter\b|\bårligt\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

_STOP = set(
    """at af alle andre den der det efter eller en er et for forvaltningen forvaltningens fra har hvad hvilke
    hver hvis hvor hvordan i ikke ind med men og om på skal som til ved vil være år årligt kr mio forventes
    koste koster udgør kommune kommunen kommunens mange meget over under efter mellem omkring blandt inden uden
    hele samlet samlede""".split()
)


_ENDINGS = ("ernes", "enes", "erne", "ene", "ers", "ets", "ens", "er", "en", "et", "es", "e", "s")


def _stem(w: str) -> str:
    for e in _ENDINGS:
        if w.endswith(e) and len(w) - len(e) >= 4:
            w = w[: -len(e)]
            break
    from .analysis import fold_end

    return fold_end(w)  # as ``analysis.stem`` does: "seniortræffene" / "seniortræf" alike


def _stems(text: str) -> set[str]:
    """Content words with their inflection cut ("bevillingen", "bevillinger" -> "bevilling")."""
    words = re.findall(r"[a-zæøå]+", text.lower())
    return {_stem(w) for w in words if len(w) >= 4 and w not in _STOP}


def _asked_stems(text: str) -> set[str]:
    """The question's ``_stems`` and those of the words the thesaurus groups with them
    ("omsorg" also names the row "Pleje og træning")."""
    from .analysis import stem
    from .thesaurus import load

    th = load()
    out = _stems(text)
    for w in re.findall(r"[a-zæøå]+", text.lower()):
        if len(w) >= 4 and w not in _STOP:
            out |= {_stem(a) for a in th.alternative_words(stem(w)) if len(a) >= 4}
    for st in th.phrase_stems(text.lower()):  # "holde på" stands for "fastholde", "fastholdelse"
        out |= {_stem(a) for a in th.group_words(st) | th.alternatives(st) if len(a) >= 4}
    return out


_COUNT = re.compile(r"\bhvor\s+mange\s+(?:af\s+(?:de\s+|dem\s+|disse\s+)?)?(?P<noun>[a-zæøå]+)", re.I)
_MONEY_NOUNS = {"penge", "kroner", "kr", "midler", "millioner", "mio", "mia", "tusind"}
_MONEY_NOUN = re.compile(r"^(?:indtægt|udgift|beløb|bevilling|midl|kron|penge|budget)", re.I)


def _counts_things(text: str) -> bool:
    """ "Hvor mange plejehjemspladser / borgere …" asks for a count, not for money ("hvor mange af
    indtægterne" asks an amount)."""
    m = _COUNT.search(text)
    if not m:
        return False
    noun = m.group("noun").lower()
    return noun not in _MONEY_NOUNS and not _MONEY_NOUN.match(noun)


def _money_row(ctx: RowContext) -> bool:
    """The row's figures are amounts of money: a kroner unit, or cells that name kroner."""
    if unit_scale(ctx.unit) is not None:
        return True
    return any(re.search(r"\bkr\b|kroner|\bmio\b", c.text, re.I) for c in ctx.row.cells)


_WHEN = re.compile(r"\bhvornår\b|\bhvilken\s+dato\b|\bhvor\s+længe\b|\bhvilket\s+tidspunkt\b", re.I)
_DATE_CELL = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}\.\s*\w+\b")


def _asks_when(text: str) -> bool:
    """The part asks for a date or a time ("Hvornår slutter det?"), and not also for an amount."""
    return bool(_WHEN.search(text)) and not _FIG_ASK.search(text)


def _dated_row(ctx: RowContext) -> bool:
    """A row that dates something: a text cell with a year or a date, or a caption saying when its rows expire."""
    if re.search(r"\budløb\w*\b.*\b(?:19|20)\d\d\b", ctx.caption or "", re.I):
        return True  # "Bevillinger som udløber ved udgangen af 2026": the caption dates every row
    return any(c.value is None and _DATE_CELL.search(c.text) for c in ctx.row.cells)


def asks_figure(text: str) -> bool:
    """The part asks for an amount or a count (``_FIG_ASK``)."""
    return bool(_FIG_ASK.search(text))


_REFERS_BACK = re.compile(
    r"\b(?:dem|disse|de\s+nævnte|de\s+pågældende|de\s+(?:to|tre|fire)|begge)\b|\bde\s+(?:\w+\s+)?hver\s+(?:især|for\s+sig)\b",
    re.I,
)


def refers_back(text: str) -> bool:
    """A part that points at what the part before named ("… for hver af dem?")."""
    return bool(_REFERS_BACK.search(text))


def _category(text: str) -> re.Pattern[str] | None:
    if re.search(r"\bfor\s+hver\b(?!\s+af\s+(?:dem|disse|de\s))|\bhver\s+enkelt\b", text, re.I):
        return None  # "hvad anbefaler forvaltningen for hver": every row with its recommendation
    for q_rx, cell_rx in _CATEGORIES:
        if q_rx.search(text):
            return cell_rx
    return None


# --------------------------------------------------------------------------
# amounts and phrases


def _danish_int(v: float) -> str:
    return f"{int(round(abs(v))):,}".replace(",", ".")


def format_amount(cell: TableCell, unit: str | None) -> str:
    """A cell's amount in house style: in kroner for kroner and thousand-kroner tables
    ("1.750" in 1.000 kr. -> "1.750.000 kr."), in its own unit otherwise ("989,2 mio. kr.");
    a cell that names its unit ("600.000 kr.") is copied as written. A sign is kept as the source
    writes it (budget tables write expenses as negatives)."""
    text = cell.text.strip()
    if re.search(r"\bkr\b|kroner", text, re.I):
        return text
    scale = unit_scale(unit)
    if cell.value is None or scale is None:
        return text
    if scale <= 1e3 and float(cell.value * scale).is_integer():
        sign = "-" if cell.value < 0 else ""
        return f"{sign}{_danish_int(cell.value * scale)} kr."
    return f"{text} {unit}"


def _col_phrase(column: str) -> str:
    c = column.strip()
    if _YEAR.fullmatch(c):
        return f"i {c}"
    low = c.lower()
    if low in {"i alt", "total"}:
        return "i alt"
    if re.search(r"derefter|efterfølgende", low):
        return low
    return f"({c})"


_PROPER = {"københavn", "københavns", "frederiksberg", "roskilde", "danmark", "hiv"}


def _subject(ctx: RowContext) -> str:
    label = ctx.row.label.rstrip("*").strip()
    first = label.split()[0] if label.split() else ""
    if first and not any(ch.isupper() for ch in first[1:]) and first.lower() not in _PROPER:
        label_lower = label[0].lower() + label[1:]
    else:
        label_lower = label
    context = f"{ctx.caption} {ctx.label_header}".lower()
    if "bevilling" in context:
        return f"Bevillingen til {label_lower}"
    return label


def _expiry(ctx: RowContext) -> str:
    m = re.search(r"\bsom\s+(udløber\s+[^.;:()]+)", ctx.caption, re.I)
    return f" og {m.group(1).strip()}" if m else ""


def _recommendation(cell: TableCell, ctx: RowContext, named: bool = False) -> str:
    """The recommendation in a sentence that keeps the source's own words ("bør videreføres"); ``named``:
    the row's own name stands in it ("… om bevillingen til velfærdsrejser for ældre skal videreføres"),
    for a part that answers for several rows without their amounts."""
    t = cell.text.strip().rstrip(".")
    noun = "bevillingen" if "bevilling" in f"{ctx.caption} {ctx.label_header}".lower() else "den"
    if named:
        sub = _subject(ctx)
        noun = sub[0].lower() + sub[1:] if sub[:1].isupper() and sub[1:2].islower() and noun != "den" else sub
    if re.match(r"^bør videreføres", t, re.I):
        return f"Forvaltningens anbefaling er, at {noun} bør videreføres."
    if re.match(r"^politisk", t, re.I):
        return f"Forvaltningen har overladt det til politisk vurdering, om {noun} skal videreføres."
    if re.match(r"^ikke relevant at videreføre", t, re.I):
        return f"Forvaltningen vurderer det ikke relevant at videreføre {noun}."
    column = cell.column.strip() or "Bemærkning"
    return f"{column[0].upper() + column[1:]}: {t}."


def _text_cell(ctx: RowContext) -> TableCell | None:
    for c in ctx.row.cells:
        if c.value is None and c.text and parse_free(c.text):
            return c
    return None


def parse_free(text: str) -> bool:
    """Whether a cell is text (not a number and not a dash)."""
    return bool(re.search(r"[A-Za-zÆØÅæøå]", text)) and not re.search(r"\d", text.replace("kr.", ""))


# --------------------------------------------------------------------------
# composing


def _cite(src: SourceRef, column: str | None) -> Citation:
    ctx = src.passage.table_row
    assert ctx is not None
    cell = ctx.row.cell(column) if column is not None else None
    span = (cell.start, cell.end) if cell is not None else (ctx.row.start, ctx.row.end)
    return Citation(key=src.key, cell=CellRef(table_id=ctx.table_id, row=ctx.row.index, column=column, span=span))


def _checked(text: str, citations: list[Citation], sources: dict[str, SourceRef]) -> Sentence | None:
    s = verify_sentence(Sentence(text=text, citations=citations), sources)
    return s if s.status in (Status.verified, Status.no_claim) else None


def _value_columns(ctx: RowContext, wanted: list[str] | None) -> list[TableCell]:
    cells = [c for c in ctx.row.cells if c.value is not None or re.search(r"\bkr\b", c.text)]
    if wanted is not None:
        cells = [c for c in cells if c.column in wanted]
    if ctx.row.uncertain:  # which year a number belongs to is not known: only a total column is safe
        cells = [c for c in cells if c.column.strip().lower() in {"i alt", "total"}]
    return cells


_EACH_YEAR = re.compile(
    r"\bår\s+for\s+år\b|\bfra\s+år\s+til\s+år\b|\bhvert\s+(?:enkelt\s+)?år\b|\bi\s+(?:hele\s+)?budgetperioden\b|\bfor\s+hvert\s+af\s+årene\b",
    re.I,
)
_AFTER_YEAR = re.compile(r"\b(?:efter|fra\s+og\s+med|fra)\s+((?:19|20)\d\d)\b", re.I)
_EXCLUDING = re.compile(r"\b(?:før|inden|uden|eksklusive?|ekskl\.)\b", re.I)
_MEASURES = (("netto", r"\bnetto\w*"), ("udgift", r"\budgift\w*|\bbrutto\w*"), ("indtægt", r"\bindtægt\w*"))


def _wanted_columns(ctx: RowContext, text: str) -> list[str] | None:
    cols = [c for c in ctx.columns if c]
    own = _ask_sentence(text)
    if own != text and not _YEAR.search(own):
        # a year in a context sentence ("Tilbage i 2014 … til Budget 2015 (SU1). Hvad var der sat af til
        # Seniortræf?") dates the story, it does not ask for that year's column
        text = _YEAR.sub(" ", text[: len(text) - len(own)]) + own
    # the row's own name is not a measure asked for ("posten andre udgifter": its income, not "udgifter")
    text = re.sub(re.escape(" ".join(ctx.row.label.split())), " ", " ".join(text.split()), flags=re.I)
    # "i alt i perioden 2015-2017", "samlet for 2015-2017": the table's own total column
    total_col = next((c for c in cols if c.strip().lower() in {"i alt", "total"}), None)
    if (
        total_col
        and re.search(r"\bom\s+året\b|\bårligt\b|\bpr\.\s*år\b|\bhvert\s+år\b|\bår\s+for\s+år\b", text, re.I)
        and re.search(r"\bi\s+alt\b|\bsamlet\b", text, re.I)
    ):
        return None  # "om året og i alt": the year columns and the total
    if total_col and (
        re.search(r"\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b", text) or re.search(r"\bi\s+alt\b|\bsamlet\b", text, re.I)
    ):
        return [total_col]
    years = [y for y in _YEAR.findall(text) if y in cols]
    after_cols = [c for c in cols if re.search(r"\bderefter\b|\bfølgende\s+år\b", c, re.I)]
    if (
        after_cols
        and years
        and re.search(r"\bderefter\b|\bårene\s+efter\b|\befterfølgende\s+år|\bde\s+følgende\s+år", own, re.I)
    ):
        # "… koste i 2026 og i årene derefter": the year's column and the table's "Årligt derefter"
        return [c for c in cols if c in years or c in after_cols]
    asked_years = list(dict.fromkeys(_YEAR.findall(own)))
    span = re.search(r"\b((?:19|20)\d\d)\s*(?:[-–]|til)\s*((?:19|20)\d\d)\b", own)
    if span and len(asked_years) == 2 and 0 < int(span.group(2)) - int(span.group(1)) <= 10:
        # "fra år til år i perioden 2025-2028": every year of the period, not its first and last
        asked_years = [str(y) for y in range(int(span.group(1)), int(span.group(2)) + 1)]
    if len(asked_years) >= 2:
        # "for hvert af årene 2025, 2026, 2027 og 2028" in a table whose first year is split by measure ("2025
        # udgifter | 2025 indtægter | 2025 Netto | 2026 | …"): each year's column, the first year's in the measure
        # asked (netto unless the part names another)
        picked: list[str] = []
        for y in asked_years:
            if y in cols:
                picked.append(y)
                continue
            split = [c for c in cols if y in c and c.strip() != y]
            named = [c for c in split if any(re.search(q, own, re.I) and name in c.lower() for name, q in _MEASURES)]
            net = [c for c in split if "netto" in c.lower()]
            if named or net:
                picked.append((named or net)[0])
        if len(picked) >= 2:
            return picked
    if _EACH_YEAR.search(text) and not years:
        # "nettobudgettet … år for år i budgetperioden": every year's column; of a year split by measure
        # ("2025 Udgifter | 2025 Indtægter | 2025 Netto | 2026 | 2027") the measure asked, if one is
        bare = [c for c in cols if _YEAR.fullmatch(c.strip())]
        split = [c for c in cols if c not in bare and _YEAR.search(c)]
        named = [c for c in split if any(re.search(q, text, re.I) and name in c.lower() for name, q in _MEASURES)]
        if bare and named:
            return [c for c in cols if c in named or c in bare]
        return None
    after = _AFTER_YEAR.search(text)
    if after and not [y for y in years if y != after.group(1)]:
        # "i hvert af budgetoverslagsårene efter 2025": the year columns after it
        start = int(after.group(1)) + (0 if re.match(r"fra\s+og\s+med", after.group(0), re.I) else 1)
        later = [c for c in cols if _YEAR.fullmatch(c.strip()) and int(c.strip()) >= start]
        if later:
            return later
    # income left out ("før indtægterne er trukket fra") is the spending column, and the other way round
    left_out = re.search(
        r"\b(?:før|inden|uden|eksklusive?)\s+(?:[\wæøå]+\s+){0,3}?(?P<m>indtægt|udgift)\w*", text, re.I
    )
    if left_out:
        other = "udgift" if left_out.group("m").lower() == "indtægt" else "indtægt"
        gross = [c for c in cols if other in c.lower() and any(y in c for y in _YEAR.findall(text))]
        if gross:
            return gross
    # a column named by year and measure ("2025 Netto") when the question names both; not when the
    # measure is named to be left out ("før indtægterne er trukket fra"): then no column is guessed
    # "før man ser på nettotallet": that measure is left out, the others are asked
    text = re.sub(r"\b(?:før|uden)\s+(?:[\wæøå]+\s+){0,4}?netto\w*", " ", text, flags=re.I)
    named_years = _YEAR.findall(text)
    measured = [
        c
        for c in cols
        if any(re.search(q, text, re.I) and name in c.lower() for name, q in _MEASURES)
        # a year the part names, or, when it names none, the measure's only columns ("indtægterne")
        and (any(y in c for y in named_years) or not named_years)
        and not _EXCLUDING.search(text)
    ]
    if measured and not named_years and len(measured) > 2:
        measured = []  # the measure in every year: which year is asked is not said
    if measured:
        net = [c for c in measured if "netto" in c.lower()]
        # "netto, når indtægterne er trukket fra": the net column, not the income one it names
        deducted = re.search(
            r"\b(?:indtægt|udgift)\w*\s+(?:er\s+|bliver\s+)?(?:trukket\s+fra|fratrukket|modregnet)", text, re.I
        )
        return net if net and deducted else measured
    if years:
        return years
    value_cols = [c.column for c in ctx.row.cells if c.value is not None or re.search(r"\bkr\b", c.text)]
    out: list[str] = []
    if _FIRST_YEAR.search(text) and value_cols:
        out.append(value_cols[0])
    if _LATER_YEARS.search(text):
        out += [c for c in value_cols if re.search(r"derefter|efterfølgende", c, re.I)]
    return out or None


_YEARS_WORD = {2: "to", 3: "tre", 4: "fire", 5: "fem", 6: "seks"}


def _even_sentence(src: SourceRef, sources: dict[str, SourceRef]) -> Sentence | None:
    """A row whose year cells cannot be placed in their years (``uncertain``) but all hold the same amount:
    "Seniortræf udgør 1.000.000 kr. om året i tre år, i alt 3.000.000 kr. (2015-p/l)." — true whichever
    years they are. Each amount is one of the cited cells."""
    ctx = src.passage.table_row
    assert ctx is not None
    totals = {"i alt", "total"}
    years = [c for c in ctx.row.cells if c.value is not None and c.column.strip().lower() not in totals]
    total = next((c for c in ctx.row.cells if c.value is not None and c.column.strip().lower() in totals), None)
    if len(years) not in _YEARS_WORD or len({c.value for c in years}) != 1 or _expense_convention(ctx):
        return None
    if total is not None and abs(total.value - years[0].value * len(years)) > 1e-6 * max(1.0, abs(total.value)):
        return None  # the total is not the years' sum: the row is read wrongly, say nothing of the years
    price = f" ({ctx.price_basis})" if ctx.price_basis else ""
    text = f"{_subject(ctx)} udgør {format_amount(years[0], ctx.unit)} om året i {_YEARS_WORD[len(years)]} år"
    cited = [_cite(src, years[0].column)]
    if total is not None:
        text += f", i alt {format_amount(total, ctx.unit)}"
        cited.append(_cite(src, total.column))
    return _checked(f"{text}{price}.", cited, sources)


def _amount_sentence(src: SourceRef, wanted: list[str] | None, sources: dict[str, SourceRef]) -> Sentence | None:
    ctx = src.passage.table_row
    assert ctx is not None
    if ctx.row.uncertain and wanted is None and (even := _even_sentence(src, sources)) is not None:
        return even
    cells = _value_columns(ctx, wanted)
    if not cells:
        return None
    price = f" ({ctx.price_basis})" if ctx.price_basis else ""
    subject = _subject(ctx)
    if _expense_convention(ctx) and all(c.value is not None for c in cells):
        # "+ = indtægter, - = udgifter": the sign becomes a word, as a case officer writes it
        name = re.sub(r"\s+i\s+alt$", "", ctx.row.label.strip(), flags=re.I) if ctx.row.total else subject
        text = f"{name} har {_signed_phrase(cells, ctx)}{price}."
        amount = _unsigned
    else:
        text = _udgoer_text(ctx, cells, subject, price)
        amount = format_amount
    # one citation per cell used: every amount must be one of the cited cells, and each cell is
    # checked on its own too (two cells of the same row cannot cover for each other)
    s = _checked(text, [_cite(src, c.column) for c in cells], sources)
    if s is not None and len(cells) > 1:
        for c in cells:
            if _checked(f"{amount(c, ctx.unit)}.", [_cite(src, c.column)], sources) is None:
                return None
    return s


def _udgoer_text(ctx: RowContext, cells: list[TableCell], subject: str, price: str) -> str:
    """ "<row> udgør <amount> <column>, …" as the table writes its amounts."""
    single = len(cells) == 1 and not _YEAR.fullmatch(cells[0].column.strip())
    single = single and not re.search(r"derefter|i alt", cells[0].column, re.I)
    parts = [f"{format_amount(c, ctx.unit)} {_col_phrase(c.column)}" for c in cells]
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
    if ctx.row.total:
        bare = re.fullmatch(r"(?:i\s+alt|total|sum)", ctx.row.label.strip(), re.I)
        bevilling = "bevilling" in f"{ctx.caption} {ctx.label_header}".lower()
        named = re.sub(r"\s+i\s+alt$", "", ctx.row.label.strip(), flags=re.I)  # "… i alt udgør i alt" once
        noun = "Bevillingerne" if bevilling else ("De samlede udgifter" if bare else named)
        expiry = _expiry(ctx).replace(" og ", ", som ", 1) + "," if _expiry(ctx) else ""
        only_total = len(cells) == 1 and cells[0].column.strip().lower() in {"i alt", "total"}
        return (
            f"{noun}{expiry} udgør i alt {format_amount(cells[0], ctx.unit)}{price}."
            if single or only_total
            else (f"{noun} udgør i alt {joined}{price}.")
        )
    if single:
        return f"{subject} udgør {format_amount(cells[0], ctx.unit)}{price}{_expiry(ctx)}."
    return f"{subject} udgør {joined}{price}."


# "Er der områder, hvor indtægterne er større end udgifterne?": the rows with more income than spending
_NET_INCOME_ASK = re.compile(
    r"\bindtægt\w*\s+(?:er\s+|var\s+|bliver\s+)?(?:større|højere)\s+end\s+(?:\w+\s+)?udgift\w*",
    re.I,
)


def _net_income_sentences(body: list[SourceRef], sources: dict[str, SourceRef]) -> list[Sentence]:
    """Each row (of a table that writes expenses as negatives) whose income is larger than its spending in the
    first year split by measure: "Andre udgifter har udgifter på 20,9 mio. kr. i 2025, indtægter på 45,6 mio.
    kr. i 2025 og nettoindtægter på 24,7 mio. kr. i 2025 (2025-priser)." Every amount cites its cell."""
    out: list[Sentence] = []
    for r in body:
        ctx = r.passage.table_row
        if ctx is None or not _expense_convention(ctx):
            continue
        spend = next((c for c in ctx.row.cells if "udgift" in c.column.lower() and c.value is not None), None)
        income = next((c for c in ctx.row.cells if "indtægt" in c.column.lower() and c.value is not None), None)
        if spend is None or income is None or abs(income.value) <= abs(spend.value):
            continue
        year = _YEAR.search(spend.column)
        cells = [spend, income]
        net = next(
            (c for c in ctx.row.cells if year and year.group(0) in c.column and "netto" in c.column.lower()), None
        )
        if net is not None and net.value is not None:
            cells.append(net)
        price = f" ({ctx.price_basis})" if ctx.price_basis else ""
        text = f"{_subject(ctx)} har {_signed_phrase(cells, ctx)}{price}."
        s = _checked(text, [_cite(r, c.column) for c in cells], sources)
        if s is not None:
            out.append(s)
    return out


def _expense_convention(ctx: RowContext) -> bool:
    """A budget table that writes expenses as negatives: an "udgifter" and an "indtægter" column,
    expenses never positive and income never negative in this row."""
    cols = [c.lower() for c in ctx.columns]
    if not (any("udgift" in c for c in cols) and any("indtægt" in c for c in cols)):
        return False
    for c in ctx.row.cells:
        low = c.column.lower()
        if c.value is not None and (("udgift" in low and c.value > 0) or ("indtægt" in low and c.value < 0)):
            return False
    return True


def _unsigned(cell: TableCell, unit: str | None) -> str:
    text = format_amount(cell, unit)
    return re.sub(r"^[-−–]\s*", "", text)


def _signed_phrase(cells: list[TableCell], ctx: RowContext) -> str:
    """ "udgifter på 1.161,4 mio. kr. i 2025, indtægter på 172,1 mio. kr. i 2025 og nettoudgifter på …"."""
    groups: list[tuple[str, list[str]]] = []
    for c in cells:
        low = c.column.lower()
        kind = (
            "udgifter"
            if "udgift" in low
            else "indtægter"
            if "indtægt" in low
            else ("nettoudgifter" if (c.value or 0) < 0 else "nettoindtægter")
        )
        year = _YEAR.search(c.column)
        item = _unsigned(c, ctx.unit) + (f" i {year.group(0)}" if year else f" ({c.column.strip()})")
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(item)
        else:
            groups.append((kind, [item]))

    def join(xs: list[str]) -> str:
        return xs[0] if len(xs) == 1 else ", ".join(xs[:-1]) + " og " + xs[-1]

    return join([f"{kind} på {join(items)}" for kind, items in groups])


_NUMBER_WORDS = {2: "to", 3: "tre", 4: "fire", 5: "fem"}
_COUNT_WORDS = {"to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, **{str(i): i for i in range(2, 10)}}


def _category_sentence(rows: list[SourceRef], sources: dict[str, SourceRef]) -> Sentence | None:
    """Several rows of one recommendation category in one sentence, each amount citing its own cell:
    "Forvaltningen anbefaler, at følgende fire bevillinger, som udløber ved udgangen af 2026, videreføres:
    faste teams … (13.767.000 kr.), … (2026-pl)."."""
    ctx0 = rows[0].passage.table_row
    cell0 = _text_cell(ctx0) if ctx0 is not None else None
    if ctx0 is None or cell0 is None:
        return None
    items, cites = [], []
    for r in rows:
        ctx = r.passage.table_row
        cells = _value_columns(ctx, None) if ctx is not None else []
        if ctx is None or len(cells) != 1:
            return None
        label = _subject(ctx).removeprefix("Bevillingen til ")
        items.append(f"{label} ({format_amount(cells[0], ctx.unit)})")
        cites.append(_cite(r, cells[0].column))
    n = _NUMBER_WORDS.get(len(rows), str(len(rows)))
    noun = "bevillinger" if "bevilling" in f"{ctx0.caption} {ctx0.label_header}".lower() else "poster"
    expiry = _expiry(ctx0).replace(" og ", ", som ", 1) + "," if _expiry(ctx0) else ""
    listed = ", ".join(items[:-1]) + " og " + items[-1]
    price = f" ({ctx0.price_basis})" if ctx0.price_basis else ""
    kind = cell0.text.strip().lower()
    if kind.startswith("bør videreføres"):
        lead = f"Forvaltningen anbefaler, at følgende {n} {noun}{expiry} videreføres"
    elif kind.startswith("politisk"):
        lead = f"Forvaltningen overlader det til en politisk vurdering, om følgende {n} {noun}{expiry} skal videreføres"
    elif kind.startswith("ikke relevant"):
        lead = f"Forvaltningen vurderer, at det ikke er relevant at videreføre følgende {n} {noun}{expiry.rstrip(',')}"
    else:
        return None
    return _checked(f"{lead}: {listed}{price}.", cites, sources)


def _year_listing(rows: list[SourceRef], asked: str, sources: dict[str, SourceRef]) -> Sentence | None:
    """ "Hvilke dele af pakken er der stadig penge til i 2017?": the rows with an amount in that year's
    column, each citing its cell — not the whole table. None when the part names no single year column,
    or every row has an amount in it (then the table answers)."""
    ctx0 = rows[0].passage.table_row
    years = sorted(set(_YEAR.findall(asked)))
    if ctx0 is None or len(years) != 1 or years[0] not in ctx0.columns:
        return None
    year = years[0]
    have = []
    for r in rows:
        ctx = r.passage.table_row
        cell = ctx.row.cell(year) if ctx is not None else None
        if cell is not None and cell.value:
            have.append((r, cell))
    if not have or len(have) == len(rows) or len(have) > 8:
        return None

    def name(r: SourceRef) -> str:
        label = " ".join(r.passage.table_row.row.label.split()).rstrip("*")
        return label[:1].lower() + label[1:] if label[1:2].islower() else label

    items = [f"{name(r)} ({format_amount(c, r.passage.table_row.unit)})" for r, c in have]
    listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]
    price = f" ({ctx0.price_basis})" if ctx0.price_basis else ""
    lead = f"I {year} er der afsat midler til"
    return _checked(f"{lead} {listed}{price}.", [_cite(r, year) for r, _c in have], sources)


def sum_sentence(rows: Sequence[SourceRef], what: str = "bevillinger") -> Sentence | None:
    """An explicit, checked sum of the rows' amounts, for "hvor meget koster de?" after a listing.

    Only when every row has one amount in the same unit; the sentence says it is a sum and cites
    each cell, and verification recomputes it from the cited cells (``cite``, "summen af").
    """
    cells, cites, unit, price = [], [], None, None
    for r in rows:
        ctx = r.passage.table_row
        vals = _value_columns(ctx, None) if ctx is not None else []
        if ctx is None or len(vals) != 1 or vals[0].value is None:
            return None
        if unit is not None and ctx.unit != unit:
            return None
        unit, price = ctx.unit, ctx.price_basis
        cells.append(vals[0])
        cites.append(_cite(r, vals[0].column))
    scale = unit_scale(unit)
    if len(cells) < 2 or scale is None:
        return None
    total = sum(c.value for c in cells) * scale
    if not float(total).is_integer():
        return None
    n = _NUMBER_WORDS.get(len(cells), str(len(cells)))
    basis = f" ({price})" if price else ""
    return Sentence(
        text=f"Tilsammen udgør de {n} {what} {_danish_int(total)} kr.{basis}, summen af de enkelte beløb.",
        citations=cites,
    )


_SUPERLATIVE = re.compile(r"\b(?:(?P<big>største|højeste|dyreste)|(?P<small>mindste|laveste|billigste))\b", re.I)


def superlative(text: str) -> bool | None:
    """True for "det største / højeste", False for "det mindste / laveste", None when neither is asked."""
    m = _SUPERLATIVE.search(text)
    return None if m is None else bool(m.group("big"))


_ITEM_WORD = re.compile(
    r"\b(?:\w*post(?:en|er)?|område(?:t)?|bevilling(?:en)?|indsats(?:en)?|initiativ(?:et)?)\b", re.I
)


def extreme_item(text: str) -> bool | None:
    """ "Hvad er den største udgiftspost?": True (largest) or False (smallest) when ``text`` asks for the item with
    the extreme amount, None otherwise."""
    largest = superlative(text)
    return largest if largest is not None and _ITEM_WORD.search(text) else None


def _extreme_row(rows: Sequence[SourceRef], text: str, largest: bool) -> tuple[SourceRef, list[str]] | None:
    """The row whose amount is largest (smallest) in one column: the year ``text`` names (its netto column
    where the year is split by measure), else the table's first amount column. Amounts are compared by size,
    whatever their sign (budget tables write expenses as negatives); an index row is not an amount."""
    ctx0 = rows[0].passage.table_row
    if ctx0 is None:
        return None
    cols = [c for c in ctx0.columns if c]
    year = next((y for y in _YEAR.findall(text) if any(y in c for c in cols)), None)
    in_year = [c for c in cols if year and year in c]
    col = next((c for c in in_year if "netto" in c.lower()), in_year[0] if in_year else (cols[0] if cols else None))
    if col is None:
        return None
    best: tuple[float, SourceRef] | None = None
    for r in rows:
        ctx = r.passage.table_row
        if ctx is None or re.match(r"\s*indeks\b", ctx.row.label, re.I):
            continue
        cell = next((c for c in ctx.row.cells if c.column == col and c.value is not None), None)
        if cell is None:
            continue
        key = abs(cell.value) if largest else -abs(cell.value)
        if best is not None and key == best[0]:
            return None  # a tie: no single row to name
        if best is None or key > best[0]:
            best = (key, r)
    return (best[1], [col]) if best is not None else None


def extreme_sentence(rows: Sequence[SourceRef], largest: bool) -> Sentence | None:
    """The largest (or smallest) of the rows' amounts, for "hvor stort er det største af dem?" after a
    listing: "Den største er … med 25.813.000 kr. (2026-pl)." Only when every row has one amount in the
    same unit and one row stands out; the sentence cites that row's cell, so the figure is checked."""
    best, unit = None, None
    for r in rows:
        ctx = r.passage.table_row
        vals = _value_columns(ctx, None) if ctx is not None else []
        if ctx is None or len(vals) != 1 or vals[0].value is None:
            return None
        if unit is not None and ctx.unit != unit:
            return None
        unit = ctx.unit
        key = vals[0].value if largest else -vals[0].value
        if best is not None and key == best[0]:
            return None  # a tie: no single row to name
        if best is None or key > best[0]:
            best = (key, r, vals[0])
    if best is None or len(rows) < 2:
        return None
    _, r, cell = best
    ctx = r.passage.table_row
    label = _subject(ctx).removeprefix("Bevillingen til ")
    basis = f" ({ctx.price_basis})" if ctx.price_basis else ""
    word = "største" if largest else "mindste"
    return Sentence(
        text=f"Den {word} er {label} med {format_amount(cell, ctx.unit)}{basis}.",
        citations=[_cite(r, cell.column)],
    )


def _recommendation_sentence(src: SourceRef, sources: dict[str, SourceRef], named: bool = False) -> Sentence | None:
    ctx = src.passage.table_row
    assert ctx is not None
    cell = _text_cell(ctx)
    if cell is None:
        return None
    recommends = re.search(r"anbefal|vurder|indstil|bemærk", cell.column, re.I)
    if not recommends and not re.match(r"^(?:bør videreføres|politisk|ikke relevant)", cell.text.strip(), re.I):
        return None  # a text cell such as "ingen merudgift" is not a recommendation
    return _checked(_recommendation(cell, ctx, named), [_cite(src, cell.column)], sources)


def _answer_table(rows: list[SourceRef], caption: str, ctx: RowContext) -> AnswerTable:
    label_header = ctx.label_header or "Post"
    columns = [label_header, *[c for c in ctx.columns]]
    out_rows = []
    for src in rows:
        r = src.passage.table_row
        assert r is not None
        cells = [r.row.label.rstrip("*").strip()] + [r.row.cell(c).text if r.row.cell(c) else "" for c in ctx.columns]
        out_rows.append(AnswerTableRow(cells=cells, citations=[_cite(src, None)]))
    unit = unit_label(ctx.unit, ctx.price_basis) or None
    if unit and unit in caption:
        unit = None  # "Økonomi (1.000 kr., 2015-pl)" names it already
    return AnswerTable(caption=caption, unit=unit, columns=columns, rows=out_rows)


def _pick_table(
    rows: list[SourceRef], text: str, bridge: Sequence[str] = (), own: str | None = None
) -> list[SourceRef]:
    """The table that answers: the one sharing most words (and years) with the part itself (``own``), then
    with the whole question (``text``): "Hvad skulle pakken koste i alt og år for år?" is the package's table,
    though a later part of the same question asks about "tidligere afsatte midler"."""
    by_table: dict[str, list[SourceRef]] = {}
    for r in rows:
        ctx = r.passage.table_row
        assert ctx is not None
        by_table.setdefault(ctx.table_id, []).append(r)
    q = _asked_stems(text)
    q_own = _asked_stems(own) if own else set()

    def score(group: list[SourceRef]) -> tuple[int, int, int]:
        ctx = group[0].passage.table_row
        assert ctx is not None
        words = _stems(" ".join([ctx.caption, ctx.label_header, *ctx.columns, *group[0].passage.heading_path]))
        words |= _stems(" ".join(g.passage.table_row.row.label for g in group if g.passage.table_row))
        words |= _stems(group[0].meta.title)
        years = sum(2 for y in _YEAR.findall(text) if y in ctx.columns or y in ctx.caption)
        # the table whose row the answering prose names ("Seniortræf er en festlig dag …")
        named = 3 * any(_bridged(g, bridge) for g in group)
        mine = len(q_own & words) + sum(2 for y in _YEAR.findall(own or "") if y in ctx.columns or y in ctx.caption)
        if own and re.search(r"\bi\s+alt\b|\bsamlet\b|\bsamlede\b|\btilsammen\b", own, re.I):
            # "hvad skulle pakken koste i alt": a table with a total (row or column) sums it
            mine += any(g.passage.table_row.row.total for g in group if g.passage.table_row) or any(
                c.strip().lower() in {"i alt", "total"} for c in ctx.columns
            )
        if own and _COST.search(own) and re.search(r"udgift|omkostning|økonomi", ctx.caption, re.I):
            mine += 1  # "hvad koster …": a table of expenses ("Tabel 1. Serviceudgifter")
        return mine + named, len(q & words) + years + named, len(group)

    best = max(by_table.values(), key=score)
    return sorted(best, key=lambda r: r.passage.table_row.row.index if r.passage.table_row else 0)


def _about_table(rows: list[SourceRef], text: str) -> bool:
    """The question shares a word with the table's topic (caption, headers, headings, title, labels):
    a cost question about madklubber is not answered with the total of another municipality's budget."""
    ctx = rows[0].passage.table_row
    assert ctx is not None
    words = _stems(" ".join([ctx.caption, ctx.label_header, *rows[0].passage.heading_path, rows[0].meta.title]))
    words |= _stems(" ".join(r.passage.table_row.row.label for r in rows if r.passage.table_row))
    generic = {"budget", "udgift", "udgifter", "beløb", "samlet", "samlede", "total", "penge", "koster", "kost"}
    return bool((_asked_stems(text) & words) - {_stem(g) for g in generic})


_WHOLE = re.compile(r"\bsamlede?\b|\bi\s+alt\b|\btotal\w*|\balle\b|\bhele\b|\btilsammen\b", re.I)


def _asks_whole(rows: list[SourceRef], part: str) -> bool:
    """The part asks for the table's total: it says so ("samlet", "i alt", "alle"), or it names what the
    whole table is about (two words of its title or caption: "en forsøgsordning med social henvisning").
    "… midlerne til løntillæg …" names one item, which no row matched: the grand total is not its amount."""
    if _WHOLE.search(part):
        return True
    ctx = rows[0].passage.table_row
    assert ctx is not None
    topic = _stems(" ".join([ctx.caption, rows[0].meta.title]))
    item = re.search(
        r"\b(?:midlerne|midler|bevillingen|pengene|puljen|indsatsen|ordningen)\s+til\s+(?P<x>[a-zæøå-]{4,})", part, re.I
    )
    labels = _stems(" ".join(r.passage.table_row.row.label for r in rows if r.passage.table_row))
    if item and _stem(item.group("x").lower()) not in topic | labels:
        return False  # "midlerne til løntillæg": one item, not the table's whole
    generic = {_stem(g) for g in ("budget", "udgift", "udgifter", "beløb", "penge", "koster", "kost", "bevilling")}
    return len((_asked_stems(part) & topic) - generic) >= 2


_GOVERNING = {"til", "på", "af", "for", "ved", "med", "i", "under"}


def _qualified_away(text: str, unknown: Sequence[str], matches: list[SourceRef]) -> bool:
    """An unknown noun governs the matched label word through a preposition: "<taxakørsel> til <genoptræning>"."""
    if not unknown:
        return False
    labels = set()
    for r in matches:
        labels |= _stems(r.passage.table_row.row.label) if r.passage.table_row else set()
    words = re.findall(r"[a-zæøå]+", text.lower())
    unknown_set = {u.lower() for u in unknown}
    verbal = {"at", "vil", "skal", "kan", "bør", "må", "kunne", "skulle", "ville", "måtte"}
    return any(
        w in unknown_set
        and i + 2 < len(words)
        and words[i + 1] in _GOVERNING
        and _stem(words[i + 2]) in labels
        and not (i and words[i - 1] in verbal)  # "at betale i aktivitetsbestemt medfinansiering": a verb
        for i, w in enumerate(words)
    )


def label_key(label: str) -> str:
    """A row label as ``bridge`` names it: lower case, single spaces."""
    return " ".join(label.lower().split())


def names_phrase(phrase: str, text: str) -> bool:
    """``text`` holds ``phrase`` (a key as ``label_key`` gives it) as whole words."""
    return bool(re.search(rf"(?<![\wæøå]){re.escape(phrase)}(?![\wæøå])", label_key(text)))


def _bridged(r: SourceRef, bridge: Sequence[str]) -> bool:
    return r.passage.table_row is not None and label_key(r.passage.table_row.row.label) in bridge


def _weak_match(r: SourceRef, text: str) -> bool:
    """A row the part matches by one word only ("tilbud" in "viser deres tilbud frem"), not by its name."""
    ctx = r.passage.table_row
    assert ctx is not None
    if names_phrase(label_key(ctx.row.label), text):
        return False  # "den post, der hedder andre udgifter"
    return len(_stems(ctx.row.label) & _asked_stems(text)) <= 1


# "udvalgets samlede …", "samlet", "i alt": the whole is asked, the table's own totals row
_TOTAL_ASKED = re.compile(r"\bsamlede?\b|\bsamlet\b|\bi\s+alt\b|\btotal\w*", re.I)


def _names_total(total: SourceRef, asked: set[str]) -> bool:
    """The part names the totals row's whole label ("Sundheds- og Omsorgsudvalget i alt"), not one word of it."""
    own = _stems(total.passage.table_row.row.label)
    return len(own) >= 2 and own <= asked


def _label_matches(rows: list[SourceRef], text: str) -> list[SourceRef]:
    """Rows whose label shares the most distinctive words (not caption or header words) with ``text``."""
    # "hvis ikke kun de praktiserende læger, men også kommunens egne medarbejdere …": what comes after
    # "men også" is asked, what "ikke kun" names is given
    text = re.sub(r"\bikke\s+(?:kun|blot|bare)\b[^,]*,?\s*men\s+også\b", " ", text, flags=re.I)
    q = _asked_stems(text)
    direct = _stems(text)
    ctx0 = rows[0].passage.table_row
    assert ctx0 is not None
    # words of the caption, headers, headings and title name the table's topic, not one row
    topic = [ctx0.caption, ctx0.label_header, *ctx0.columns, *rows[0].passage.heading_path, rows[0].meta.title]
    generic = _stems(" ".join(topic))
    scored = []
    for r in rows:
        ctx = r.passage.table_row
        assert ctx is not None
        label = _stems(ctx.row.label)
        hits = (q & label) - generic
        # a label word as the head of the question's compound: "træning" in "genoptræning"
        heads = {w for w in label - generic if len(w) >= 5 and any(len(x) > len(w) and x.endswith(w) for x in q)}
        hits |= heads
        # the question names the row by its label ("posten, der hedder andre udgifter"): that row, even
        # when its words are short or also stand in the headers
        lab = label_key(ctx.row.label)
        if not ctx.row.total and len(lab) >= 5 and names_phrase(lab, text):
            scored.append((10, r))
            continue
        if not (hits & (direct | heads)) and len(hits) < 2:
            continue  # one word the thesaurus only relates ("liste" / "Oversigt over tilbud …") does not pick a row
        # one short shared word ("fast" in "Fast Track City" / "Faste teams") does not pick a row
        if len(hits) == 1 and len(next(iter(hits))) < 5:
            continue
        if hits:
            scored.append((len(hits), r))
    if not scored:
        return []
    top = max(n for n, _ in scored)
    best = [r for n, r in scored if n == top]

    # "velfærdsrejser for ældre og … genoptræning og forebyggende træning": every row the part names by
    # its first word (the label's own subject), not only the one sharing most words
    def first(r: SourceRef) -> str:
        return next(iter(_stems(r.passage.table_row.row.label.split()[0])), "") if r.passage.table_row else ""

    firsts = [first(r) for r in rows]
    for _n, r in scored if top < 10 else []:  # (a row named by its whole label is the one asked)
        f = first(r)
        # (a first word two labels share, "Brobygning for ældre" / "Brobygning for socialt udsatte", picks neither)
        if r not in best and len(f) >= 6 and f in _stems(text) and f not in generic and firsts.count(f) == 1:
            best.append(r)
    best = best[:3]
    # "udvalgets samlede …", "i alt", or the totals row's whole label: the table's own totals row, when it is among
    # the best
    named_total = any(r.passage.table_row and r.passage.table_row.row.total and _names_total(r, q) for r in best)
    if named_total or _TOTAL_ASKED.search(text):
        totals = [r for r in best if r.passage.table_row and r.passage.table_row.row.total]
        if totals:
            return totals
    return best


def compose_from_rows(
    sub_question: str,
    question: str,
    rows: Sequence[SourceRef],
    unknown: Sequence[str] = (),
    bridge: Sequence[str] = (),
    before: Sequence[str] = (),
) -> TableAnswer | None:
    """Sentences and/or an answer table for ``sub_question`` from table ``rows`` (see module doc)."""
    rows = [r for r in rows if r.passage.table_row is not None]
    if not rows:
        return None
    asked = sub_question.strip() or question
    both = f"{sub_question} {question}"
    # a part that refers back ("hvor mange penge drejer det sig om for hver af dem?") takes the
    # category the whole question asks for
    back = refers_back(asked)
    category = _category(asked) or (_category(question) if back and question != asked else None)
    if category is not None:
        # only tables that have rows in that category can answer it
        in_category = {
            r.passage.table_row.table_id
            for r in rows
            if r.passage.table_row and (c := _text_cell(r.passage.table_row)) and category.search(c.text.strip())
        }
        if in_category:
            rows = [r for r in rows if r.passage.table_row and r.passage.table_row.table_id in in_category]
        else:
            category = None
    pre = _label_matches(rows, asked) if bridge else []
    pre_weak = all(_weak_match(r, asked) for r in pre)
    if bridge and (not pre or pre_weak):
        # the prose names the row the part asks about: its table is the one to answer from
        bridged = {r.passage.table_row.table_id for r in rows if _bridged(r, bridge)}
        rows = [r for r in rows if r.passage.table_row and r.passage.table_row.table_id in bridged] or rows
    rows = _pick_table(rows, both, bridge, own=_ask_sentence(asked))
    if _counts_things(asked) and all(_money_row(r.passage.table_row) for r in rows):
        return None  # "hvor mange plejehjemspladser …": an amount in kroner does not answer a count
    if _asks_when(asked) and all(_money_row(r.passage.table_row) and not _dated_row(r.passage.table_row) for r in rows):
        return None  # "hvornår slutter det?": amounts under year columns do not say when anything ends
    sources = {r.key: r for r in rows}
    ctx0 = rows[0].passage.table_row
    assert ctx0 is not None
    body = [r for r in rows if r.passage.table_row and not r.passage.table_row.row.total]
    total = next((r for r in rows if r.passage.table_row and r.passage.table_row.row.total), None)
    out = TableAnswer()
    if _NET_INCOME_ASK.search(asked):
        net = _net_income_sentences(body, sources)
        if net:
            out.sentences.extend(net)
            out.keys.extend(dict.fromkeys(c.key for s_ in net for c in s_.citations))
            return out

    def add(s: Sentence | None, key: str) -> None:
        if s is not None:
            out.sentences.append(s)
            if key not in out.keys:
                out.keys.append(key)

    # "udvalgets samlede udgifter": the totals row is a candidate too (it wins a tie, _label_matches)
    whole = total is not None and (
        _TOTAL_ASKED.search(asked)
        # "Hvor stort er … Sundheds- og Omsorgsudvalgs nettobudget i 2025?": the part names the totals row's subject
        # ("Sundheds- og Omsorgsudvalget i alt"), not "Sundhed og forebyggelse", which shares one word of it
        or _names_total(total, _asked_stems(asked))
    )
    matches = _label_matches(body + ([total] if whole else []), asked) if body else []
    largest = extreme_item(_ask_sentence(asked))
    if largest is not None and not matches and len(body) >= 2:
        # "Hvad er den største udgiftspost?": the row with the largest amount in the column asked (the year the
        # question names, netto where the first year is split by measure), its own cells cited
        extreme = _extreme_row(body, f"{asked} {question}", largest)
        if extreme is not None:
            row, cols = extreme
            s_ = _amount_sentence(row, cols, sources)
            if s_ is not None:
                word = "største" if largest else "mindste"
                label = re.sub(r"\s+", " ", row.passage.table_row.row.label).strip()
                lead = s_.text[len(label) :] if s_.text.startswith(label) else None
                if lead is not None:
                    s_ = s_.model_copy(update={"text": f"Den {word} post er {label}, som{lead}"})
                add(s_, row.key)
                return out
    from_before = False
    if not matches and before:
        # a part that refers back ("de to") to the rows the part before answered with
        matches = [r for r in body if r.passage.chunk_id in set(before)][:3]
        from_before = bool(matches)
    bridged = [r for r in body if _bridged(r, bridge)][:3]
    weak = bool(matches) and all(_weak_match(r, asked) for r in matches)
    if (
        total is not None
        and (not matches or weak)
        and re.search(r"\bhele\b|\bsamlede?\b|\btilsammen\b", asked, re.I)
        and (_COST.search(asked) or _FIG_ASK.search(asked) or re.search(r"\w*(?:udgift|budget|beløb)\w*", asked, re.I))
        and _about_table(rows, both)
    ):
        # "Hvad kostede hele ensomhedspakken samlet over perioden?": the table's total, not a row
        matches, bridged = [total], []
    if bridged and (not matches or (weak and not {r.key for r in matches} & {r.key for r in bridged})):
        # the part names no row (or only by one incidental word, "viser deres tilbud frem"), but the prose
        # that answers it names one ("Seniortræf er en festlig dag …")
        matches = bridged
    if matches and _qualified_away(asked, unknown, matches):
        return None  # "taxakørsel til genoptræning" is not the row "Genoptræning …": no document names it
    listing = bool(_LIST_ALL.search(asked))
    # ("Hvilke former for ensomhed …?" lists no rows: the table of expenses is not the answer)
    wants_all = listing and (not matches or len(matches) > 3) and _lists_rows(asked, ctx0)
    counted = re.search(r"\bhvilke\s+(?P<n>to|tre|fire|fem|seks|[2-9])\b", asked, re.I)
    if wants_all and counted and len(body) > _COUNT_WORDS.get(counted.group("n").lower(), 0):
        wants_all = False  # "hvilke to …": two of the rows, which the table alone does not say
    # a category selects rows when the question lists ("hvilke ...") or names no row
    if not (listing or back or not matches):
        category = None
    if category is not None:
        chosen = [r for r in body if (c := _text_cell(r.passage.table_row)) and category.search(c.text.strip())]
        if not chosen:
            return None
        if len(chosen) <= 5:
            listed = _category_sentence(chosen, sources) if len(chosen) >= 2 else None
            if listed is not None:
                out.sentences.append(listed)
                out.keys += [r.key for r in chosen if r.key not in out.keys]
            else:
                for r in chosen:
                    add(_amount_sentence(r, None, sources), r.key)
        else:
            out.tables.append(_answer_table(chosen, ctx0.caption, ctx0))
            out.keys += [r.key for r in chosen if r.key not in out.keys]
        return out if out.sentences or out.tables else None
    if wants_all and body:
        in_year = _year_listing(body, asked, sources)
        if in_year is not None:
            add(in_year, body[0].key)
            out.keys += [c.key for c in in_year.citations if c.key not in out.keys]
            return out
        if total is not None:
            add(_amount_sentence(total, None, sources), total.key)
        out.tables.append(_answer_table(body, ctx0.caption, ctx0))
        out.keys += [r.key for r in body if r.key not in out.keys]
        return out
    if matches and len(matches) <= 3:
        # the row's amount always (it names what the row is); its recommendation when that is asked
        # or no figure is (a part asking only "hvor stort er beløbet" gets the amount alone)
        # (what the ask itself says, not a context sentence before it: "Forsøget … er sendt videre til politisk
        # vurdering. Hvad går rejserne ud på?" asks what the trips are, not the recommendation)
        own = _ask_sentence(asked)
        rec_ask = bool(_REC_ASK.search(own))
        fig_ask = bool(_FIG_ASK.search(own))
        if not (fig_ask or rec_ask or _COST.search(asked)) and not (listing and _lists_rows(asked, ctx0)):
            # "Hvilke borgere er den målrettet?": borgere are not what the table's rows are; "Hvad går rejserne
            # ud på?" asks what the row's prose says, not its amount
            return None
        if rec_ask and not fig_ask and not any(_recommendation_sentence(r, sources) for r in matches):
            # "Hvad anbefalede forvaltningen?" and a table of costs without a recommendation: the rows do not answer
            return None
        for r in matches:
            ctx = r.passage.table_row
            assert ctx is not None
            if not (from_before and rec_ask and not fig_ask):
                add(_amount_sentence(r, _wanted_columns(ctx, asked), sources), r.key)
            if rec_ask or not fig_ask:
                # the amounts stand in the part before: each recommendation names its row
                add(_recommendation_sentence(r, sources, named=from_before and len(matches) > 1), r.key)
        return out if out.sentences else None
    if _COST.search(asked) and total is not None and _about_table(rows, both) and _asks_whole(rows, asked):
        ctx = total.passage.table_row
        assert ctx is not None
        add(_amount_sentence(total, _wanted_columns(ctx, asked), sources), total.key)
        if out.sentences and 1 < len(body) <= 8:
            out.tables.append(_answer_table(body + [total], ctx0.caption, ctx0))
            out.keys += [r.key for r in body if r.key not in out.keys]
        return out if out.sentences else None
    return None
