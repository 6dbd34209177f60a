"""Citations are data, and they are checked.

The drafter writes Danish prose with citation markers after each sentence::

    Udvalget har bevillingsudløb for 54,0 mio. kr. i 2026. [K2]

This module turns such text into :class:`~assistant.models.Sentence` objects
(``parse_sentences``), back into text (``render_sentences``) and verifies every
sentence against the passages its keys point to (``verify_sentence``,
``verify_draft``):

* every key must resolve to a source of the draft;
* every number, amount, percentage, year and date in the sentence must be found
  in one of the cited passages, under Danish normalisation (``54.044 t.kr.``
  supports ``54,0 mio. kr.``; ``19.05.2026`` supports ``19. maj 2026``);
* every quotation must occur verbatim in a cited passage;
* the sentence must share a minimum of content words with its passages.

What counts as a numeric claim: every digit-bearing token that is not part of a
citation marker, with these exceptions (see ``extract_quantities``): case
numbers such as ``2026-0179144`` or ``2026 - 11792``, phone numbers (``+45 ...``),
list numbering such as ``1)`` at the start of a sentence or after punctuation,
and small ordinals before an ordinary lower-case word (``2. viceborgmester``,
``3. behandling``). Number words (``tre``) are not claims.

Everything here is pure: no I/O, no model calls.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from assistant.danish import MONTHS, find_dates
from assistant.models import CellRef, Citation, Draft, Sentence, SourceRef, Status, Verification, table_line

__all__ = [
    "MARKER_RE",
    "Quantity",
    "best_span",
    "extract_quantities",
    "extract_quotes",
    "is_claim",
    "marker_keys",
    "normalise_key",
    "normalise_markers",
    "parse_sentences",
    "quantity_supported",
    "render_sentences",
    "reverify",
    "sentence_spans",
    "split_sentences",
    "summary",
    "verify_draft",
    "verify_sentence",
]

# --- citation markers ------------------------------------------------------

_KEY = r"[Kk]\s*\d+"
_KEY_RE = re.compile(r"([Kk])\s*(\d+)")
MARKER_RE = re.compile(rf"\[\s*{_KEY}(?:\s*(?:,|;|&|\bog\b|\band\b)?\s*{_KEY})*\s*\]")
"""One bracketed marker: ``[K1]``, ``[K1, K3]``, ``[k 2; K4]``, ``[K1 og K2]``."""

_MARKER_RUN_RE = re.compile(rf"(?:\s*{MARKER_RE.pattern})+")


def normalise_key(key: str) -> str:
    """``" k 03 "`` -> ``"K3"``; keys that do not look like K+digits are returned stripped."""
    m = _KEY_RE.fullmatch(key.strip())
    if not m:
        return key.strip()
    return f"K{int(m.group(2))}"


_ALT_MARKERS = [
    # "(K1)", "(K1, K2)", "(kilde K1)": parentheses instead of brackets
    (re.compile(rf"\((?:\s*kilder?\s*:?)?\s*({_KEY}(?:\s*(?:,|;|&|\bog\b)\s*{_KEY})*)\s*\)", re.I), r"[\1]"),
    # "[Kilde K1]", "[Kilder: K1, K2]", "【K1】"
    (re.compile(rf"[\[【]\s*kilder?\s*:?\s*({_KEY}(?:\s*(?:,|;|&|\bog\b)\s*{_KEY})*)\s*[\]】]", re.I), r"[\1]"),
    (re.compile(rf"【\s*({_KEY}(?:\s*,\s*{_KEY})*)\s*】"), r"[\1]"),
]
# "K1: Bevillingen udgør …" (a key in front of its sentence, at a line or sentence start)
_LEADING_KEY_RE = re.compile(
    rf"(?:(?<=^)|(?<=\n)|(?<=[.!?]\s))\s*\[?({_KEY})\]?\s*:\s+(?P<body>[^\n]+?(?:[.!?](?=\s|$)|$))", re.M
)


def normalise_markers(text: str) -> str:
    """The citation forms models actually write, as ``[K1]`` markers: ``(K1)``, ``[Kilde K1]``, ``K1: …``."""
    for rx, rep in _ALT_MARKERS:
        text = rx.sub(rep, text)
    return _LEADING_KEY_RE.sub(lambda m: f"{m.group('body')} [{m.group(1)}]", text)


def marker_keys(text: str) -> list[str]:
    """All keys cited in ``text`` in order of first appearance, normalised (``K1``)."""
    keys: list[str] = []
    for m in MARKER_RE.finditer(text):
        for km in _KEY_RE.finditer(m.group(0)):
            k = f"K{int(km.group(2))}"
            if k not in keys:
                keys.append(k)
    return keys


# --- sentence splitting ----------------------------------------------------

# Abbreviations after which a full stop never ends a sentence.
_NON_TERMINAL = {
    "jf.", "jfr.", "fx.", "f.eks.", "bl.a.", "ca.", "pkt.", "nr.", "stk.", "tekstanm.", "inkl.", "ekskl.",
    "dvs.", "evt.", "vedr.", "mio.", "mia.", "t.", "ifbm.", "ift.", "iht.", "jvf.", "kl.", "d.", "pga.",
    "p.g.a.", "mht.", "m.h.t.", "hhv.", "henh.", "bemærkn.", "afs.", "sagsnr.", "j.nr.", "tlf.", "adr.",
    "st.", "s.", "vol.", "gl.", "ang.", "vha.", "ml.", "incl.", "e.g.", "i.e.", "cf.", "no.", "dok.",
    "sagsbeh.", "ref.", "mr.", "dr.", "prof.", "lign.", "kap.", "afsn.", "sml.", "f.", "el.", "resp.",
    "max.", "min.", "gns.", "o.", "pr.", "alm.", "bl.", "tilsv.",
}  # fmt: skip
# Abbreviations that often end a sentence: they end one when a capital letter follows.
_TERMINAL = {
    "kr.", "mv.", "m.v.", "m.fl.", "o.l.", "pct.", "osv.", "t.kr.", "tkr.", "etc.", "mfl.", "m.m.",
    "mm.", "o.lign.", "a/s.", "aps.", "proc.",
}  # fmt: skip

# month abbreviations: "dec. 2023" does not end a sentence (a year follows)
_MONTH_ABBREV = {"jan", "feb", "febr", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec"}
_CLOSERS = "\"'”’“»)]"
_OPENERS = "\"'„“”«(["
_BLANK_LINE_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_BULLET_LINE_RE = re.compile(r"\n[ \t]*(?=(?:[-•*▪–]\s|\d{1,2}[.)]\s|[a-zæøå]\)\s))")
_TERM_RE = re.compile(r"[.!?]")


def _token_before(text: str, i: int) -> str:
    """The whitespace-delimited token ending at index ``i`` (exclusive), lowercased."""
    j = i
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in _OPENERS:
        j -= 1
    return text[j:i].lower()


def _word_before_token(text: str, token_start: int) -> str:
    j = token_start
    while j > 0 and text[j - 1].isspace():
        j -= 1
    k = j
    while k > 0 and not text[k - 1].isspace():
        k -= 1
    return text[k:j]


def _is_boundary(text: str, dot: int, nxt: int) -> bool:
    """Whether the terminal punctuation at ``dot`` ends a sentence; ``nxt`` is the next non-space char index."""
    ch = text[dot]
    if nxt >= len(text):
        return True
    c = text[nxt]
    if c.islower():
        return False
    if ch in "!?":
        return True
    token = _token_before(text, dot + 1)  # includes the dot
    bare = token.rstrip(".")
    if token in _NON_TERMINAL:
        return False
    if bare in _MONTH_ABBREV and c.isdigit():  # "i dec. 2023 indgået …"
        return False
    if token in _TERMINAL:
        return c.isupper() or c in _OPENERS or c == "["
    if re.fullmatch(r"[a-zæøåA-ZÆØÅ]", bare):  # initials: "A. Jensen"
        return False
    if re.fullmatch(r"\d{1,2}", bare):
        # "§ 7. Stk. 2", "1. Indsats" at the start of a line, "den 3. Marts"
        before = _word_before_token(text, dot - len(bare))
        line_start = text.rfind("\n", 0, dot - len(bare)) + 1
        if (
            before in {"§", "§§", "stk.", "Stk.", "nr.", "pkt.", "kap."}
            or not text[line_start : dot - len(bare)].strip()
        ):
            return False
        word = re.match(r"[A-Za-zÆØÅæøå]+", text[nxt:])
        if word and word.group(0).lower() in MONTHS:
            return False
    return True


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text`` (stripped, non-empty), Danish-aware.

    A sentence ends at ``.``, ``!`` or ``?`` (plus closing quotes/brackets and any
    citation markers that follow) when the next word does not start in lower case
    and the full stop is not part of an abbreviation, an ordinal date or a
    ``§ 7.`` number; and at blank lines and the start of bullet/numbered lines.
    """
    cuts: set[int] = set()
    for m in _BLANK_LINE_RE.finditer(text):
        cuts.add(m.start())
    for m in _BULLET_LINE_RE.finditer(text):
        cuts.add(m.start())
    i = 0
    n = len(text)
    while i < n:
        m = _TERM_RE.search(text, i)
        if not m:
            break
        dot = m.start()
        j = dot + 1
        while j < n and text[j] in ".!?…":
            j += 1
        while j < n and text[j] in _CLOSERS:
            j += 1
        mk = _MARKER_RUN_RE.match(text, j)
        end = mk.end() if mk else j
        # a full stop directly after the markers: "tekst [K1]."
        if mk and end < n and text[end] in ".!?":
            end += 1
        if end < n and not text[end].isspace():
            i = dot + 1
            continue
        k = end
        while k < n and text[k].isspace():
            k += 1
        if (mk and (k >= n or not text[k].islower())) or _is_boundary(text, dot, k):
            cuts.add(end)
            i = max(end, dot + 1)
        else:
            i = dot + 1
    spans: list[tuple[int, int]] = []
    start = 0
    for cut in sorted(cuts) + [n]:
        seg = text[start:cut]
        if seg.strip():
            lead = len(seg) - len(seg.lstrip())
            trail = len(seg) - len(seg.rstrip())
            spans.append((start + lead, cut - trail))
        start = cut
    return spans


def split_sentences(text: str) -> list[str]:
    """Split Danish prose into sentences; citation markers stay with the sentence they follow."""
    return [text[a:b] for a, b in sentence_spans(text)]


# --- parse / render --------------------------------------------------------


def _tidy(text: str) -> str:
    t = re.sub(r"\s+", " ", text).strip()
    t = re.sub(r"\s+([.,;:!?)\]])", r"\1", t)
    t = re.sub(r"\s+”(?!\w)", "”", t)  # a closing ” only: Danish also opens quotes with ” (byrådets ”Vision”)
    t = re.sub(r"([(\[„])\s+", r"\1", t)
    return t


def parse_sentences(text: str) -> list[Sentence]:
    """Text with ``[K1]`` markers -> sentences with citations; texts without markers.

    Other forms models write (``(K1)``, ``[Kilde K1]``, ``K1: …``) are read as markers too.
    """
    out: list[Sentence] = []
    for raw in split_sentences(normalise_markers(text)):
        keys = marker_keys(raw)
        clean = _tidy(MARKER_RE.sub(" ", raw))
        if not re.search(r"\w", clean):
            if out and keys:  # a stray marker run: it belongs to the sentence before
                prev = out[-1]
                have = [c.key for c in prev.citations]
                extra = [Citation(key=k) for k in keys if k not in have]
                out[-1] = prev.model_copy(update={"citations": prev.citations + extra})
            continue
        out.append(Sentence(text=clean, citations=[Citation(key=k) for k in keys]))
    return out


def _render_one(s: Sentence) -> str:
    keys: list[str] = []
    for c in s.citations:
        if c.key not in keys:
            keys.append(c.key)
    return s.text + (f" [{', '.join(keys)}]" if keys else "")


def render_sentences(sentences: list[Sentence]) -> str:
    """Inverse of :func:`parse_sentences`: ``"tekst [K1, K2] Næste tekst."``.

    Sentences are joined by a space, or by a blank line where a space would let
    the two run together when parsed again (e.g. a heading without a full stop).
    """
    parts = [_render_one(s) for s in sentences]
    out = ""
    for i, p in enumerate(parts):
        if i == 0:
            out = p
            continue
        joined = parts[i - 1] + " " + p
        apart = len(sentence_spans(parts[i - 1])) + len(sentence_spans(p))
        sep = " " if len(sentence_spans(joined)) == apart else "\n\n"
        out += sep + p
    return out


# --- quantities ------------------------------------------------------------


@dataclass(frozen=True)
class Quantity:
    """A number stated in text, normalised.

    ``value`` is in base units (kroner, percent, the year, a plain count) with
    the sign as written; ``scale`` is the multiplier of the stated unit (1e6 for
    "mio. kr.") and ``decimals`` the number of decimals written, so a claim can
    be checked with rounding tolerance in the unit it was stated in.
    """

    raw: str
    value: float | None
    unit: str | None = None  # "kr", "pct", "pp", "year", "date", "month", or None for a plain number
    iso: str | None = None  # "2026-05-19" for dates, "--05-19" without year, "2026-05" for months
    scale: float = 1.0
    decimals: int = 0
    start: int = 0
    end: int = 0


_NUM = r"(?<![\w.,])[-−–]?(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?)(?![\w])(?!\.\d)(?!,\d)"
_NUM_RE = re.compile(_NUM)
_TOKEN_RE = re.compile(r"(?<![\w])\d[\d.,]*\d|(?<![\w])\d")
_CASE_RE = re.compile(r"(?<!\d)\d{4}\s?[-–]\s?\d{5,}(?!\d)|(?<!\d)\d{4}\s[-–]\s\d{5}(?!\d)")
_PHONE_RE = re.compile(r"\+\s?\d{2}(?:\s?\d){8}")
_LIST_RE = re.compile(r"(?:(?<=^)|(?<=\n)|(?<=[:;,.]\s)|(?<=\())\s*(\d{1,2}|[a-zA-Z])\)")
_ORDINAL_RE = re.compile(r"(?<![\d.,])(\d{1,2})\.\s+(?=([a-zæøå]+))")
_DAY_MONTH_RE = re.compile(
    rf"\b(\d{{1,2}})\.?\s+({'|'.join(sorted(MONTHS, key=len, reverse=True))})\b\.?(?!\s+\d{{4}})", re.I
)
_MONTH_YEAR_RE = re.compile(
    rf"(?<!\d\.\s)(?<!\d\s)\b({'|'.join(sorted(MONTHS, key=len, reverse=True))})\.?\s+(\d{{4}})\b", re.I
)
_YEAR_RANGE_RE = re.compile(r"(?<![\d.,])((?:19|20)\d{2})\s?[-–/]\s?((?:19|20)\d{2}|\d{2})(?![\d])(?!\.\d)")
_SCALE_WORDS = {
    "mio": 1e6, "mio.": 1e6, "million": 1e6, "millioner": 1e6, "mia": 1e9, "mia.": 1e9, "milliard": 1e9,
    "milliarder": 1e9, "mrd.": 1e9, "mrd": 1e9, "t.": 1e3, "tusind": 1e3, "tusinde": 1e3,
}  # fmt: skip
_UNIT_AFTER_RE = re.compile(
    r"\s*(?:(?P<tkr>t\.\s?kr\.?|tkr\.?|t\.\s?kroner|1\.000\s?kr\.?)"
    r"|(?P<scale>mio\.?|millioner|million|mia\.?|milliarder|milliard|mrd\.?|tusinde?)?\s*(?P<kr>kr\.?(?![a-zæøå])|kroner|dkk)"
    r"|(?P<scale2>mio\.|millioner|million|mia\.|milliarder|milliard|mrd\.|tusinde?)(?![a-zæøå])"
    r"|(?P<pp>procentpoint|pct\.?-point|%-point|procent-point)"
    r"|(?P<pct>%|pct\.?(?![a-zæøå])|procent(?![a-zæøå])))",
    re.I,
)


def _to_float(num: str) -> tuple[float, int] | None:
    s = num.replace("−", "-").replace("–", "-")
    neg = s.startswith("-")
    s = s.lstrip("-")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", s):
        s = s.replace(".", "")
    elif not re.fullmatch(r"\d+(?:,\d+)?", s):
        return None
    decimals = len(s.split(",")[1]) if "," in s else 0
    try:
        v = float(s.replace(",", "."))
    except ValueError:
        return None
    return (-v if neg else v), decimals


def _mask(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Blank out citation markers, case numbers and phone numbers (same length, offsets kept)."""
    masked = list(text)
    ignored: list[tuple[int, int]] = []
    for rx in (MARKER_RE, _CASE_RE, _PHONE_RE):
        for m in rx.finditer("".join(masked)):
            for i in range(m.start(), m.end()):
                masked[i] = " " if not masked[i].isspace() else masked[i]
            ignored.append((m.start(), m.end()))
    return "".join(masked), ignored


def extract_quantities(text: str) -> list[Quantity]:
    """Every numeric claim in ``text``: amounts, percentages, years, dates and plain numbers.

    Ignored (not claims): citation markers, case numbers (``2026-0179144``,
    ``2026 - 11792``), phone numbers, list numbering (``1)``), small ordinals
    before an ordinary word (``2. viceborgmester``) and number words.
    """
    masked, _ = _mask(text)
    taken: list[tuple[int, int]] = []
    out: list[Quantity] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(q: Quantity) -> None:
        taken.append((q.start, q.end))
        out.append(q)

    # full dates: "19. maj 2026", "19.05.2026", "2026-05-19"
    for a, b, iso in find_dates(masked):
        if free(a, b):
            add(Quantity(raw=text[a:b], value=None, unit="date", iso=iso, start=a, end=b))
    for m in _DAY_MONTH_RE.finditer(masked):
        if free(m.start(), m.end()):
            day, month = int(m.group(1)), MONTHS[m.group(2).lower()]
            if 1 <= day <= 31:
                add(
                    Quantity(m.group(0).strip(), None, "date", f"--{month:02d}-{day:02d}", start=m.start(), end=m.end())
                )
    for m in _MONTH_YEAR_RE.finditer(masked):
        if free(m.start(), m.end()):
            month, year = MONTHS[m.group(1).lower()], int(m.group(2))
            add(Quantity(m.group(0), float(year), "month", f"{year}-{month:02d}", start=m.start(), end=m.end()))
    # year ranges: "2025-2028" -> two years (unless an amount unit follows)
    for m in _YEAR_RANGE_RE.finditer(masked):
        if not free(m.start(), m.end()) or _UNIT_AFTER_RE.match(masked, m.end()):
            continue
        y1 = int(m.group(1))
        y2s = m.group(2)
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 <= y1 or y2 - y1 > 50:
            continue
        add(Quantity(m.group(1), float(y1), "year", start=m.start(1), end=m.end(1)))
        add(Quantity(y2s, float(y2), "year", start=m.start(2), end=m.end(2)))
    # list numbering "1)" and small ordinals "2. viceborgmester" are not claims
    for m in _LIST_RE.finditer(masked):
        taken.append((m.start(1), m.end()))
    for m in _ORDINAL_RE.finditer(masked):
        if m.group(2).lower() not in MONTHS and free(m.start(), m.end()):
            taken.append((m.start(1), m.end(1) + 1))
    # numbers with optional units
    for m in _NUM_RE.finditer(masked):
        a, b = m.start(), m.end()
        if not free(a, b):
            continue
        parsed = _to_float(m.group(0))
        if parsed is None:
            continue
        value, decimals = parsed
        unit: str | None = None
        scale = 1.0
        end = b
        um = _UNIT_AFTER_RE.match(masked, b)
        if um:
            if um.group("tkr"):
                unit, scale = "kr", 1e3
            elif um.group("kr"):
                unit = "kr"
                if um.group("scale"):
                    scale = _SCALE_WORDS.get(um.group("scale").lower(), 1e6)
            elif um.group("scale2"):
                scale = _SCALE_WORDS.get(um.group("scale2").lower(), 1.0)
            elif um.group("pp"):
                unit = "pp"
            elif um.group("pct"):
                unit = "pct"
            end = um.end()
        if unit is None and scale == 1.0 and decimals == 0 and not m.group(0).startswith(("-", "−", "–")):
            iv = int(abs(value))
            if "." not in m.group(0) and 1900 <= iv <= 2099 and len(m.group(0)) == 4:
                unit = "year"
        raw = text[a:end].strip()
        add(
            Quantity(raw=raw, value=value * scale, unit=unit, scale=scale, decimals=decimals, start=a, end=a + len(raw))
        )
    # any other digit-bearing token ("8.30", "1.2.3") is a claim checked verbatim
    for m in _TOKEN_RE.finditer(masked):
        if free(m.start(), m.end()):
            add(Quantity(raw=m.group(0), value=None, unit=None, start=m.start(), end=m.end()))
    out.sort(key=lambda q: q.start)
    return out


_NUMBER_WORDS = {
    "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8, "ni": 9, "ti": 10,
    "elleve": 11, "tolv": 12, "tyve": 20, "halvtreds": 50, "hundrede": 100,
}  # fmt: skip

_CONTEXT_SCALES = (
    (re.compile(r"mio\.?\s*kr|millioner\s+kr|mio\.?\s*kroner", re.I), 1e6),
    (re.compile(r"mia\.?\s*kr|milliarder\s+kr", re.I), 1e9),
    (re.compile(r"t\.\s?kr|\btkr|1\.000\s?kr|tusinde?\s+kr", re.I), 1e3),
)


def _rounds_to(passage_value: float, q: Quantity) -> bool:
    assert q.value is not None
    try:
        exp = Decimal(1).scaleb(-q.decimals)
        stated = (Decimal(repr(abs(q.value))) / Decimal(repr(q.scale))).quantize(exp, rounding=ROUND_HALF_UP)
        found = (Decimal(repr(abs(passage_value))) / Decimal(repr(q.scale))).quantize(exp, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return False
    return stated == found


def _norm_ws(text: str) -> str:
    text = re.sub(r"([a-zæøå])-\s*\n\s*([a-zæøå])", r"\1\2", text)  # "ta-\nbel" -> "tabel"
    return re.sub(r"\s+", " ", text).strip()


def quantity_supported(q: Quantity, passage_text: str) -> bool:
    """Whether ``passage_text`` states the same quantity as ``q`` under Danish normalisation.

    Amounts and plain numbers are matched with rounding tolerance in the unit
    they were stated in (``54,0 mio. kr.`` is supported by ``54.044 t.kr.``, not
    the other way round); signs are ignored (budget tables write expenses as
    negatives). A bare number in a passage that names its unit elsewhere
    ("I mio. kr.", "1.000 kr.") counts as an amount in that unit. Years are
    supported by the year anywhere in the passage; dates by the same date in any
    format.
    """
    text = _norm_ws(passage_text)
    verbatim = bool(q.raw) and _norm_ws(q.raw) in text
    if verbatim and (q.value is None or q.unit in ("date", "month")):
        return True
    if q.unit == "year":
        return re.search(rf"(?<!\d){int(q.value or 0)}(?!\d)", text) is not None or any(
            p.unit == "year" and p.value == q.value for p in extract_quantities(text)
        )
    found = extract_quantities(text)
    if q.unit == "date":
        if not q.iso:
            return False
        if q.iso.startswith("--"):
            return any(p.unit == "date" and p.iso and p.iso.endswith(q.iso[1:]) for p in found)
        return any(p.unit == "date" and p.iso == q.iso for p in found)
    if q.unit == "month":
        return any(p.unit in ("date", "month") and p.iso and p.iso.startswith(q.iso or "?") for p in found)
    if q.value is None:
        return _norm_ws(q.raw) in text
    numeric = [p for p in found if p.value is not None and p.unit not in ("date", "month")]
    if q.unit in ("kr", "pct", "pp"):
        candidates = [p.value for p in numeric if p.unit == q.unit]
        if q.unit == "pct":
            candidates += [p.value for p in numeric if p.unit == "pp"]
        bare = [p.value for p in numeric if p.unit in (None, "year")]
        if q.unit == "kr":
            scales = [s for rx, s in _CONTEXT_SCALES if rx.search(text)]
            if scales or re.search(r"\bkr\b|kroner", text, re.I):
                scales.append(1.0)
        else:
            scales = [1.0] if re.search(r"%|pct|procent", text, re.I) else []
        candidates += [v * s for v in bare for s in scales]
        return any(_rounds_to(v, q) for v in candidates)
    # plain number: any number in the passage, in any unit except dates; small integers also
    # as list numbers ("3)") or number words ("tre")
    if any(_rounds_to(p.value, q) for p in numeric if p.value is not None):
        return True
    if q.decimals == 0 and q.scale == 1.0 and abs(q.value) < 100:
        iv = int(abs(q.value))
        if re.search(rf"(?<![\d.,]){iv}(?![\d]|[.,]\d)", text):
            return True
        words = [w for w, v in _NUMBER_WORDS.items() if v == iv]
        return any(re.search(rf"\b{w}\b", text, re.I) for w in words)
    return False


# --- quotes ----------------------------------------------------------------

_QUOTE_RES = (
    re.compile(r"„([^„“”\"]+?)[“”\"]"),
    re.compile(r"“([^“”\"]+?)”"),
    re.compile(r"”([^”\"“]+?)”"),
    re.compile(r"«([^«»]+?)»"),
    re.compile(r"(?<![\w])\"([^\"]+?)\"(?![\w])"),
)


def extract_quotes(text: str) -> list[str]:
    """Quoted passages in ``text`` (without the quote marks), in order of appearance."""
    found: list[tuple[int, int, str]] = []
    for rx in _QUOTE_RES:
        for m in rx.finditer(text):
            if all(m.end() <= a or m.start() >= b for a, b, _ in found):
                inner = m.group(1).strip()
                if inner:
                    found.append((m.start(), m.end(), inner))
    return [q for _, _, q in sorted(found)]


# --- content-word overlap --------------------------------------------------

_STOP_WORDS = """
og i at det er en et til på de den som med for af har der ikke kan vil skal om så fra var blev være
bliver ved efter også men eller hvis når hvor hvad hvilke hvilken hvilket hvordan hvorfor sig sin
sine sit deres dets dens vi jeg du han hun man os dem mig dig hans hendes denne dette disse samt mv
mfl mere meget flere mange nogle alle andre anden andet hver kun kunne skulle ville have haft været
blive blevet bør her heraf herunder dermed derfor desuden dog jo nu ud op ind over under mellem mod
uden inden end ift ifm ifbm jf fx bl ca kr mio mia pct procent nr stk pkt dvs evt inkl ekskl vedr
the of and to in is that for on with as are this be by an or at it from
"""
_STOP = frozenset(_STOP_WORDS.split())
_WORD_RE = re.compile(r"[A-Za-zÆØÅæøåÉéÄäÖöÜü]+")


def _stems(text: str) -> set[str]:
    return {w.lower()[:6] for w in _WORD_RE.findall(text) if len(w) >= 3 and w.lower() not in _STOP}


def _overlap(sentence_text: str, passage_text: str) -> float:
    words = _stems(sentence_text)
    if not words:
        return 1.0
    return len(words & _stems(_norm_ws(passage_text))) / len(words)


def supporting_text(sentence_text: str, passage_text: str, span: tuple[int, int] | None) -> str:
    """The parts of a passage that can support a claim: the cited span, and sentences sharing its words.

    A sentence of the passage counts when at least a third of the claim's content words occur in it
    (or, for a short claim, two of them); a table row's header line counts with its row.
    """
    words = _stems(sentence_text)
    parts = [passage_text[span[0] : span[1]]] if span else []
    need = max(2, round(len(words) / 3))
    for a, b in sentence_spans(passage_text):
        seg = passage_text[a:b]
        if span and a == span[0] and b == span[1]:
            continue
        if len(words & _stems(_norm_ws(seg))) >= need:
            parts.append(seg)
    return "\n".join(parts)


def best_span(sentence_text: str, passage_text: str) -> tuple[int, int] | None:
    """Char span of the passage sentence that best supports ``sentence_text`` (None without any overlap)."""
    words = _stems(sentence_text)
    nums = {q.value for q in extract_quantities(sentence_text) if q.value is not None}
    best: tuple[float, tuple[int, int]] | None = None
    for a, b in sentence_spans(passage_text):
        seg = passage_text[a:b]
        score = float(len(words & _stems(_norm_ws(seg))))
        if nums:
            pv = {q.value for q in extract_quantities(seg) if q.value is not None}
            score += 2 * len(nums & pv)
        if score > 0 and (best is None or score > best[0]):
            best = (score, (a, b))
    return best[1] if best else None


# --- claims ----------------------------------------------------------------

_NO_CLAIM_RES = [
    re.compile(p, re.I)
    for p in (
        r"^(forvaltningen|ministeriet|administrationen)\s+kan\s+(hertil\s+)?oplyse(,)?\s+(følgende|at)?[.:]?$",
        r"^(med\s+)?venlig\s+hilsen\b",
        r"^(der\s+)?henvises\s+(i\s+øvrigt\s+)?til\s+(svaret|besvarelsen|nedenstående|ovenstående)",
        r"^(spørgsmålet|spørgsmålene)\s+besvares\s+(nedenfor|samlet|herunder)[.:]?$",
        r"^jeg\s+kan\s+oplyse\s+følgende[.:]?$",
        # the drafter's references back to an earlier part ("Der henvises til svaret på delspørgsmål 1 ovenfor.")
        r"^(?:der\s+henvises\s+til|beløbene\s+fremgår\s+af|se)\s+(?:tabellen\s+i\s+)?svaret\s+på\s+delspørgsmål\s+[\d ,og]+\s+ovenfor\.?$",
        r"^tabellen\s+nedenfor\s+viser\s+beløbene\.?$",
    )
]


def is_claim(text: str) -> bool:
    """A sentence states something to source: it has a digit, or more than six words.

    Short house-style connectives ("Forvaltningen kan oplyse følgende:") are not claims.
    """
    t = MARKER_RE.sub(" ", text).strip()
    if any(rx.search(t) for rx in _NO_CLAIM_RES):
        return False
    if re.search(r"\d", t):
        return True
    return len(_WORD_RE.findall(t)) > 6


# --- verification ----------------------------------------------------------

_LOW_OVERLAP = 0.15


def _lookup(sources: Mapping[str, SourceRef]) -> dict[str, SourceRef]:
    table: dict[str, SourceRef] = {}
    for k, v in sources.items():
        table.setdefault(normalise_key(k), v)
        table.setdefault(normalise_key(v.key), v)
    return table


def _meta_text(src: SourceRef) -> str:
    from .danish import format_date

    m = src.meta
    return "\n".join(x for x in (m.title, m.authority or "", m.date or "", format_date(m.date or "")) if x)


_CELL_UNIT = {"1.000 kr.": "t.kr.", "mio. kr.": "mio. kr.", "mia. kr.": "mia. kr.", "kr.": "kr."}


def source_text(src: SourceRef) -> str:
    """What a citation of ``src`` may rest on: the passage, and for a table row also its rendering
    with caption, unit and headers (a row's years and price basis live in its headers)."""
    ctx = src.passage.table_row
    if ctx is None:
        return src.passage.text
    from .tables import row_text

    return row_text(ctx) + "\n" + src.passage.text


def cell_text(src: SourceRef, cell: CellRef) -> tuple[str | None, str | None]:
    """(the cited cell's text with its table's unit, or None; a problem, or None).

    The unit is written the way ``extract_quantities`` reads it ("1.750 t.kr."), so an amount
    restated in another unit (1.750.000 kr., 1,75 mio. kr.) is checked by the same normalisation.
    """
    ctx = src.passage.table_row
    if ctx is None or ctx.table_id != cell.table_id or ctx.row.index != cell.row:
        return None, f"{src.key} er ikke række {cell.row + 1} i tabellen"
    if cell.column is None:
        from .tables import row_text

        return row_text(ctx), None
    c = ctx.row.cell(cell.column)
    if c is None:
        return None, f"kolonnen „{cell.column}“ findes ikke i {src.key}"
    unit = _CELL_UNIT.get(ctx.unit or "")
    if unit and c.value is not None and not re.search(r"\bkr\b|kroner", c.text, re.I):
        return f"{c.text} {unit}", None
    return c.text, None


_SUM_RE = re.compile(r"\bsummen\s+af\b|\btilsammen\b", re.I)


def _is_checked_sum(q: Quantity, text: str, cells: list[str]) -> bool:
    """A sentence that says it sums ("Tilsammen …, summen af de enkelte beløb") states the sum of its cited cells."""
    if not _SUM_RE.search(text) or len(cells) < 2 or q.value is None or q.unit != "kr":
        return False
    values = []
    for ct in cells:
        qs = [x for x in extract_quantities(ct) if x.value is not None and x.unit == "kr"]
        if len(qs) != 1:
            return False
        values.append(qs[0].value)
    total = sum(values)
    # exact, up to the precision the sum is stated in ("19.304.000 kr." exactly; "19,3 mio. kr." to 0,05 mio.)
    return abs(total - q.value) <= 0.5 * q.scale * 10 ** (-q.decimals) + 1e-6


_ATTRIBUTING = re.compile(
    r"Det\s+fremgår\s+af|,\s+jf\.\s|\bI\s+svar\s+på\b|\btilføjede:|\bfremgår\s+det\b|\bAf\s.{0,200}\s\(", re.I
)


def verify_sentence(sentence: Sentence, sources: Mapping[str, SourceRef]) -> Sentence:
    """Check one sentence against the passages it cites; returns a new Sentence.

    Fills each citation's ``chunk_id`` (None for an unknown key) and ``span``;
    sets ``status`` and ``problems`` (earlier problems are discarded). A citation
    that points at a table cell (``Citation.cell``) also requires every amount and
    plain number of the sentence to be the cited cell's (years and dates may come
    from the row's caption and headers).
    """
    table = _lookup(sources)
    text = sentence.text
    if not sentence.citations:
        marked = sentence.status == Status.no_claim and not re.search(r"\d", text)
        status = Status.no_claim if marked or not is_claim(text) else Status.uncited
        if sentence.status == Status.no_claim and any(rx.search(text) for rx in _NO_CLAIM_RES):
            status = Status.no_claim
        return sentence.model_copy(update={"status": status, "problems": [], "citations": []})

    problems: list[str] = []
    citations: list[Citation] = []
    passages: list[tuple[str, str]] = []
    cells: list[str] = []
    for c in sentence.citations:
        src = table.get(normalise_key(c.key))
        if src is None:
            problems.append(f"ukendt kilde {c.key}")
            citations.append(Citation(key=c.key, cell=c.cell))
            continue
        ptext = src.passage.text
        span = c.span if c.span and 0 <= c.span[0] < c.span[1] <= len(ptext) else best_span(text, ptext)
        citations.append(c.model_copy(update={"chunk_id": src.passage.chunk_id, "span": span}))
        if c.cell is not None:
            ctext, problem = cell_text(src, c.cell)
            if problem:
                problems.append(problem)
            elif ctext is not None:
                cells.append(ctext)
        # a figure must stand where the claim comes from: the cited span and the passage's sentences that
        # say the same thing (a table row: the row with its caption, unit and headers), not anywhere in the
        # passage. An attribution ("Det fremgår af notatet … (3. februar 2025), at …") may state the
        # source's own metadata, so that counts too.
        local = source_text(src) if src.passage.table_row is not None else supporting_text(text, ptext, span)
        # the source's own metadata (its date) supports only a sentence that names the source
        named = bool(_ATTRIBUTING.search(text))
        passages.append((c.key, local + ("\n" + _meta_text(src) if named else "")))

    if passages:
        keys = ", ".join(k for k, _ in passages)
        for q in extract_quantities(text):
            if not any(quantity_supported(q, p) for _, p in passages) and not _is_checked_sum(q, text, cells):
                problems.append(f"tallet {q.raw} findes ikke i {keys}")
            elif (
                cells
                and q.unit not in ("year", "date", "month")
                and q.value is not None
                and not any(quantity_supported(q, ct) for ct in cells)
                and not _is_checked_sum(q, text, cells)
            ):
                problems.append(f"tallet {q.raw} står ikke i den citerede celle")
        joined = [_norm_ws(p) for _, p in passages]
        titles = [
            _norm_ws(s.meta.title) for k in (c.key for c in sentence.citations) if (s := table.get(normalise_key(k)))
        ]
        for quote in extract_quotes(text):
            nq = _norm_ws(quote)
            bare = nq.removesuffix("…").removesuffix("...").strip()
            if bare and any(t.startswith(bare) for t in titles):
                continue  # the cited document's own title, named in an attribution
            if not any(nq in p for p in joined):
                short = nq if len(nq) <= 60 else nq[:57] + "..."
                problems.append(f"citat findes ikke ordret i kilden: „{short}“")
        union = " ".join(p for _, p in passages)
        if len(_stems(text)) >= 3 and _overlap(text, union) < _LOW_OVERLAP:
            problems.append("lav overensstemmelse med kilden")

    status = Status.verified if not problems else Status.unverified
    return sentence.model_copy(update={"status": status, "problems": problems, "citations": citations})


OFF_QUESTION = "handler ikke om spørgsmålet"

# words of a question that say what kind of answer is wanted, not what it is about
_ASK_STEMS = {"kost", "koster", "beløb", "udgør", "antal", "pris", "hvornår", "oplys", "svared", "sagd", "tidlig"}


def question_terms(text: str) -> set[str]:
    """The sub-question's specific terms, as the draft check reads them (a cited sentence must name one)."""
    from .analysis import analyze

    return {t for t in analyze(text, query=True) if t.isalpha() and len(t) >= 3 and t not in _ASK_STEMS}


def names_a_term(terms: set[str], text: str) -> bool:
    """Whether ``text`` (a sentence with what it stands under) names any of ``terms`` (``question_terms``)."""
    from .analysis import analyze, same_term

    words = set(analyze(text))
    return any(same_term(t, w) for t in terms for w in words)


LOOKBACK_CHARS = 250  # the text before a cited sentence that it may point back to ("En sådan udvidelse …")


def _shares_a_term(sentence: Sentence, terms: set[str], sources: Mapping[str, SourceRef]) -> bool:
    """Whether a cited sentence (or the heading it stands under) names any of the sub-question's terms."""
    table = _lookup(sources)
    # a quoted document title in an attribution names the source, not the subject; each piece is read on its
    # own (joined, the end of one and the start of the next could read as one word)
    pieces = [re.sub(r'"[^"]{3,120}"', " ", sentence.text)]
    for c in sentence.citations:
        src = table.get(normalise_key(c.key))
        if src is not None:
            pieces.append(" ".join(src.passage.heading_path))
            if c.span:  # the sentence before the cited one ("En sådan udvidelse …" points back to it)
                pieces.append(src.passage.text[max(0, c.span[0] - LOOKBACK_CHARS) : c.span[0]])
            if src.passage.table_row is not None:  # a row speaks of its label, under its table's caption
                pieces.append(source_text(src))
    return any(names_a_term(terms, piece) for piece in pieces)


def verify_draft(draft: Draft) -> Draft:
    """Verify every sentence of every sub-answer against ``draft.sources``; returns a new Draft.

    Besides the checks of :func:`verify_sentence`, a cited sentence that names none of its
    sub-question's specific terms (nor does the heading it stands under) is marked "handler ikke
    om spørgsmålet": verified as copied, but not an answer to what was asked.
    """
    sources = {s.key: s for s in draft.sources}
    answers = []
    for a in draft.sub_answers:
        terms = question_terms(a.sub_question.text)
        checked = []
        for s in a.sentences:
            v = verify_sentence(s, sources)
            if v.citations and terms and not _shares_a_term(v, terms, sources):
                v = v.model_copy(update={"status": Status.unverified, "problems": [*v.problems, OFF_QUESTION]})
            checked.append(v)
        tables = []
        for t in a.tables:
            rows = []
            for r in t.rows:
                v = verify_sentence(Sentence(text=table_line(t, r), citations=r.citations), sources)
                rows.append(r.model_copy(update={"status": v.status, "problems": v.problems, "citations": v.citations}))
            tables.append(t.model_copy(update={"rows": rows}))
        answers.append(a.model_copy(update={"sentences": checked, "tables": tables}))
    verified = draft.model_copy(update={"sub_answers": answers})
    return verified.model_copy(update={"verification": Verification(**summary(verified))})


def reverify(draft: Draft) -> Draft:
    """Check a draft that comes back from disk (export, the TUI on resume) as if it were new.

    A saved draft is a file anyone can edit: its ``status`` fields are not trusted. Every sentence is
    verified again against the passages stored in ``draft.sources``, so a changed number kept as
    "verified" becomes unverified and a citation to a key the draft does not hold (K999) is a problem.
    A mark for review stored in the draft (unverified, uncited) is never lifted here: the stricter of the
    stored and the recomputed status wins, with the recomputed problems when it is the recomputed one.
    """
    fresh = verify_draft(draft)
    answers = []
    for old_sa, new_sa in zip(draft.sub_answers, fresh.sub_answers, strict=True):
        kept = []
        for old, new in zip(old_sa.sentences, new_sa.sentences, strict=True):
            if _REVIEW_RANK.get(old.status, 0) > _REVIEW_RANK.get(new.status, 0):
                new = new.model_copy(update={"status": old.status, "problems": list(old.problems)})
            kept.append(new)
        answers.append(new_sa.model_copy(update={"sentences": kept}))
    return fresh.model_copy(update={"sub_answers": answers})


_REVIEW_RANK = {Status.uncited: 1, Status.unverified: 2}


def summary(draft: Draft) -> dict[str, int]:
    """Counts for a (verified) draft: sentences by status, citations, unknown keys and numbers checked."""
    table = _lookup({s.key: s for s in draft.sources})
    counts = {
        "sentences": 0,
        "verified": 0,
        "unverified": 0,
        "uncited": 0,
        "no_claim": 0,
        "citations": 0,
        "invalid_keys": 0,
        "numbers_stated": 0,
        "numbers_verified": 0,
    }
    for s in (line for a in draft.sub_answers for line in a.lines()):
        counts["sentences"] += 1
        counts[s.status.value] += 1
        counts["citations"] += len(s.citations)
        passages = []
        cells = []
        for c in s.citations:
            src = table.get(normalise_key(c.key))
            if src is None:
                counts["invalid_keys"] += 1
            else:
                passages.append(source_text(src) + "\n" + _meta_text(src))
                if c.cell is not None and (ct := cell_text(src, c.cell)[0]) is not None:
                    cells.append(ct)
        if s.status == Status.no_claim:
            continue  # house style ("Der henvises til svaret på delspørgsmål 1 ovenfor.") states no figure
        for q in extract_quantities(s.text):
            counts["numbers_stated"] += 1
            if any(quantity_supported(q, p) for p in passages) or _is_checked_sum(q, s.text, cells):
                counts["numbers_verified"] += 1
    return counts
