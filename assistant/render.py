"""Plain-text rendering of a draft in house style (terminal output and previews)."""

from __future__ import annotations

from pathlib import Path

from .danish import format_date
from .house_style import officer_note
from .models import Draft, Status
from .question import shown_text

MARK = {Status.verified: "", Status.no_claim: "", Status.unverified: " ⚠", Status.uncited: " ⚠"}


def render_text(draft: Draft, *, with_sources: bool = True) -> str:
    h = draft.header
    q = draft.question
    lines: list[str] = []
    if h.recipient:
        lines += [f"Til {h.recipient}", ""]
    lines += [h.title, ""]
    if h.intro:
        lines += [h.intro, ""]
    lines += [f'"{q.text.strip()}"', "", h.answer_heading, ""]
    several = len(draft.sub_answers) > 1
    for a in draft.sub_answers:
        if several:
            lines.append(f"[{a.sub_question.id}] {shown_text(a.sub_question.text)}")
        body = []
        for s in a.sentences:
            keys = ", ".join(dict.fromkeys(c.key for c in s.citations))  # two cells of one row: one key
            marker = f" [{keys}]" if keys else ""
            body.append(f"{s.text}{marker}{MARK.get(s.status, '')}")
        lines.append(" ".join(body))
        for t in a.tables:
            lines.append("")
            lines.append(f"  {t.caption}" + (f" ({t.unit})" if t.unit else ""))
            widths = [
                max(len(c), *(len(r.cells[i]) if i < len(r.cells) else 0 for r in t.rows))
                for i, c in enumerate(t.columns)
            ]
            lines.append("  " + " | ".join(c.ljust(w) for c, w in zip(t.columns, widths, strict=False)))
            for r in t.rows:
                keys = ", ".join(dict.fromkeys(c.key for c in r.citations))
                cells = " | ".join(x.ljust(w) for x, w in zip(r.cells, widths, strict=False))
                lines.append(f"  {cells}{f' [{keys}]' if keys else ''}{MARK.get(r.status, '')}")
        if not a.answered:
            lines.append(f"  >> Til sagsbehandler: {officer_note(a, draft.sources)}")
        for s in a.sentences:
            if s.problems:
                lines.append(f"  >> ⚠ «{s.text[:60]}…»: {'; '.join(s.problems)}")
        lines.append("")
    lines += [format_date(h.date), ""]
    for k, v in h.case_numbers.items():
        lines += [k, v, ""]
    if h.case_officer:
        lines += ["Sagsbehandler", h.case_officer, ""]
    if with_sources and draft.sources:
        used = {c.key for a in draft.sub_answers for s in a.lines() for c in s.citations}  # table lines too
        lines.append("Kilder")
        # keys that point at the same source line (the rows of one table) are listed together
        entries: dict[str, list[str]] = {}
        for src in draft.sources:
            if src.key not in used:
                continue
            m = src.meta
            where = " / ".join(src.passage.heading_path)
            page = f", s. {src.passage.page}" if src.passage.page else ""
            prior = " — besvaret tidligere" if m.kind.value == "prior_answer" else ""
            text = (
                f"{m.title} · {m.authority or 'ukendt afsender'} · {m.date or 'u.d.'}{prior}"
                f"{' · ' + where if where else ''}{page} · {Path(m.source_path).name}"
            )
            entries.setdefault(text, []).append(src.key)
        for text, keys in entries.items():
            lines.append(f"  [{', '.join(keys)}] {text}")
    for w in draft.warnings:
        lines.append(f"Advarsel: {w}")
    return "\n".join(lines).rstrip() + "\n"
