"""Small Danish-language helpers shared by parsing, metadata and citation checks."""

from __future__ import annotations

import re
from datetime import date

MONTHS = {
    "januar": 1, "februar": 2, "marts": 3, "april": 4, "maj": 5, "juni": 6,
    "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH_NAMES = [
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
]  # fmt: skip

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
# "19. maj 2026", "19 maj 2026", "d. 3. marts 2025", "1. sept. 2020"
DATE_WORDS_RE = re.compile(rf"\b(\d{{1,2}})\.?\s+({_MONTH_RE})\.?\s+(\d{{4}})\b", re.IGNORECASE)
# "19.05.2026", "19-05-2026", "19/5 2026"
DATE_NUM_RE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
DATE_ISO_RE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _safe(y: int, m: int, d: int) -> str | None:
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """All dates in ``text`` as (start, end, iso), in order of appearance."""
    found: list[tuple[int, int, str]] = []
    for m in DATE_WORDS_RE.finditer(text):
        iso = _safe(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in DATE_NUM_RE.finditer(text):
        iso = _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if iso:
            found.append((m.start(), m.end(), iso))
    for m in DATE_ISO_RE.finditer(text):
        iso = _safe(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if iso:
            found.append((m.start(), m.end(), iso))
    found.sort()
    # drop matches nested inside an earlier one
    out: list[tuple[int, int, str]] = []
    for f in found:
        if out and f[0] < out[-1][1]:
            continue
        out.append(f)
    return out


_MONTH_YEAR_RE = re.compile(rf"(?<![\d.])\b({_MONTH_RE})\s+(\d{{4}})\b", re.IGNORECASE)


def find_months(text: str) -> list[str]:
    """Months named without a day ("i november 2023") as "YYYY-MM"; a full date is not one of them."""
    out = []
    for m in _MONTH_YEAR_RE.finditer(text):
        before = text[max(0, m.start() - 4) : m.start()]
        if re.search(r"\d\.?\s*$", before):
            continue  # "22. november 2023" is a date, found by find_dates
        out.append(f"{int(m.group(2)):04d}-{MONTHS[m.group(1).lower()]:02d}")
    return out


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO, or None."""
    d = find_dates(text)
    return d[0][2] if d else None


def format_date(iso: str) -> str:
    """ISO date -> house style "22. maj 2026" (a bare year, or text that is no real date, is returned as is)."""
    if not iso or len(iso) < 10:
        return iso or ""
    from datetime import date

    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:  # "ikke en dato", "2026-02-30" in an edited draft: shown as written, never a crash
        return iso
    return f"{day.day}. {MONTH_NAMES[day.month - 1]} {day.year}"


def genitive(name: str) -> str:
    """Danish genitive: "Sundheds- og Omsorgsforvaltningen" -> "...forvaltningens"."""
    if not name:
        return name
    if name[-1] in "sxz":
        return name + "'"
    return name + "s"
