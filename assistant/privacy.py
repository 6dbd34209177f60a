"""CPR-number redaction before any text leaves the machine.

``redact`` replaces every Danish personal identity number (CPR) with a
placeholder such as ``[CPR-1]`` and returns the mapping needed to put the
numbers back with ``restore`` once the model's answer is home.

A CPR number is ``DDMMYY-XXXX``, ``DDMMYYXXXX``, ``DDMMYY XXXX``, ``DDMMYY.XXXX``,
``DDMMYY - XXXX`` or ``DD.MM.YY-XXXX`` (any dash, dot or space character; invisible
characters such as a zero-width space or a soft hyphen are ignored) whose first six
digits are a valid day and month (29 February is always allowed, the century
is not checked). The modulus-11 check is never required: numbers without it
have been issued since 2007. Numbers are bounded by digits, not words, so lists
("101112-1118,111213-1119") and a trailing ".5" do not hide one. A candidate that
is part of a longer run of digits (``12345678901``) or a decimal fraction
(``1.0101901234``) is not a CPR number; eight-digit phone numbers are too short to match.

The mapping is sensitive: it is a ``dict`` whose ``repr``/``str`` hide the
numbers, so logging it by accident does not leak them. Never log its values.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CprMapping", "find_cpr", "is_valid_cpr_date", "mod11_ok", "redact", "restore"]

# Before matching, text is normalised (positions kept): invisible characters are dropped, dash-like
# characters become "-", dot-like ones ".", spaces of every width " ", and every decimal digit (fullwidth,
# Arabic-Indic ...) its ASCII digit. Then a candidate is bounded by digits, not words: "1118,111213-1119"
# holds two numbers and "1127.5" one followed by ".5".
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e\u034f")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043_\uff3f")
_DOTS = frozenset(".\u00b7\u2022\u2027\u22c5\u2219\uff0e\u3002")
_CPR_RE = re.compile(
    r"(?<!\d)(?<!\d\.)"  # not inside a longer number or a decimal fraction ("1.0101901234")
    r"(?P<dd>\d{2})(?P<ds>[./-]?)(?P<mm>\d{2})(?P=ds)(?P<yy>\d{2})"  # 060708, 06.07.08, 06-07-08
    r"(?P<sep> ?[-.] ?| ?)"
    r"(?P<seq>\d{4})"
    r"(?!\d)",
    re.ASCII,
)
_PLACEHOLDER_RE = re.compile(r"\[\s*CPR[-\s]?(\d+)\s*\]", re.I)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)


class CprMapping(dict[str, str]):
    """Placeholder -> original CPR text. Its repr never shows the numbers."""

    def __repr__(self) -> str:
        return f"<CprMapping: {len(self)} redacted>"

    __str__ = __repr__


def is_valid_cpr_date(dd: int, mm: int) -> bool:
    """Day and month of a CPR number are plausible (29 February always allowed)."""
    return 1 <= mm <= 12 and 1 <= dd <= _DAYS[mm - 1]


def mod11_ok(digits: str) -> bool:
    """The old modulus-11 check (informative only; never required)."""
    d = re.sub(r"\D", "", digits)
    if len(d) != 10:
        return False
    return sum(int(c) * w for c, w in zip(d, _WEIGHTS, strict=True)) % 11 == 0


def _normalised(text: str) -> tuple[str, list[int]]:
    """``text`` normalised for matching, and for each of its characters the index in ``text``."""
    out: list[str] = []
    pos: list[int] = []
    for i, ch in enumerate(text):
        if ch in _INVISIBLE:
            continue
        if ch.isdigit():
            ch = str(unicodedata.digit(ch, ch))
        elif ch in _DASHES:
            ch = "-"
        elif ch in _DOTS:
            ch = "."
        elif ch.isspace():
            ch = " "
        out.append(ch)
        pos.append(i)
    return "".join(out), pos


def find_cpr(text: str) -> list[tuple[int, int, str]]:
    """All CPR numbers in ``text`` as (start, end, digits-only ASCII), in order; positions are in ``text``."""
    norm, pos = _normalised(text)
    out: list[tuple[int, int, str]] = []
    for m in _CPR_RE.finditer(norm):
        if not is_valid_cpr_date(int(m.group("dd")), int(m.group("mm"))):
            continue
        digits = m.group("dd") + m.group("mm") + m.group("yy") + m.group("seq")
        out.append((pos[m.start()], pos[m.end() - 1] + 1, digits))
    return out


def redact(text: str, mapping: dict[str, str] | None = None) -> tuple[str, CprMapping]:
    """Replace CPR numbers by ``[CPR-n]``; the same number always gets the same placeholder.

    Pass the mapping from an earlier call to keep placeholders consistent across
    several texts (question and passages of one prompt). Text that is already
    redacted is returned unchanged; numbering continues after any placeholder
    already present, so an existing ``[CPR-1]`` is never reused for another number.
    """
    out_map = CprMapping(mapping or {})
    by_digits = {re.sub(r"\D", "", v): k for k, v in out_map.items()}
    used = [int(n) for n in _PLACEHOLDER_RE.findall(text)]
    used += [int(n) for k in out_map for n in _PLACEHOLDER_RE.findall(k)]
    counter = max(used, default=0)
    pieces: list[str] = []
    pos = 0
    for start, end, digits in find_cpr(text):
        ph = by_digits.get(digits)
        if ph is None:
            counter += 1
            ph = f"[CPR-{counter}]"
            by_digits[digits] = ph
            out_map[ph] = text[start:end]
        pieces.append(text[pos:start])
        pieces.append(ph)
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces), out_map


def restore(text: str, mapping: dict[str, str]) -> str:
    """Put the original numbers back; tolerates ``[CPR 1]``/``[cpr-1]``; unknown placeholders stay."""
    table = {}
    for k, v in mapping.items():
        m = _PLACEHOLDER_RE.fullmatch(k)
        if m:
            table[int(m.group(1))] = v

    def sub(m: re.Match[str]) -> str:
        return table.get(int(m.group(1)), m.group(0))

    return _PLACEHOLDER_RE.sub(sub, text)
