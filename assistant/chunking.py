"""Structure-aware chunking: Document -> Passages.

Headings open a new passage and set the heading path; paragraphs and list
items under a heading are merged up to ``max_words``; a paragraph longer than
that is split at sentence ends with ``overlap_words`` repeated; a table is
never split and keeps the caption or heading above it. Every passage records
its char span, so ``doc.text[p.start:p.end] == p.text`` always holds.

After the text's passages come one passage per table row (``tables.row_passages``): its text is
the row's span, its ``table_row`` the row with its table's caption, unit and headers. Rows are
numbered after the text's passages, so adding them left the ids of the text's passages as they were.
"""

from __future__ import annotations

import re

from .models import Block, BlockKind, DocKind, Document, Passage, Turn

_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ\"„”(])")
# abbreviations that end in a period but do not end a sentence
_ABBREV = re.compile(r"\b(?:mio|mia|kr|jf|fx|ca|pkt|nr|stk|bl\.a|f\.eks|inkl|ekskl|mv|evt|vedr|dvs|tekstanm)\.$", re.I)


def _words(text: str) -> int:
    return len(text.split())


def _sentence_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENT_END.finditer(text):
        if _ABBREV.search(text[: m.start()]):
            continue
        spans.append((offset + start, offset + m.start()))
        start = m.end()
    spans.append((offset + start, offset + len(text)))
    return [s for s in spans if s[1] > s[0]]


def _split_long(block: Block, max_words: int, overlap: int, text: str) -> list[tuple[int, int]]:
    """Char spans covering a long block in pieces of about max_words, cut at sentence ends."""
    sents = _sentence_spans(block.text, block.start)
    pieces: list[tuple[int, int]] = []
    i = 0
    while i < len(sents):
        j, words = i, 0
        while j < len(sents) and (words == 0 or words + _words(text[sents[j][0] : sents[j][1]]) <= max_words):
            words += _words(text[sents[j][0] : sents[j][1]])
            j += 1
        if words > max_words * 1.5 and j == i + 1:  # one giant sentence: cut on words
            s, e = sents[i]
            toks = list(re.finditer(r"\S+", text[s:e]))
            step = max(1, max_words - overlap)
            for k in range(0, len(toks), step):
                chunk = toks[k : k + max_words]
                pieces.append((s + chunk[0].start(), s + chunk[-1].end()))
                if k + max_words >= len(toks):
                    break
        else:
            pieces.append((sents[i][0], sents[j - 1][1]))
        if j >= len(sents):
            break
        # step back over whole sentences to create the overlap
        back, k = 0, j
        while k - 1 > i and back + _words(text[sents[k - 1][0] : sents[k - 1][1]]) <= overlap:
            k -= 1
            back += _words(text[sents[k][0] : sents[k][1]])
        i = k
    return pieces


def _lead_line(block: Block) -> bool:
    """A short line that names what follows: no sentence end, at most ten words."""
    t = block.text.strip()
    return (
        block.kind in (BlockKind.list_item, BlockKind.paragraph)
        and 0 < _words(t) <= 10
        and not t.endswith((".", "!", "?", ",", ";", ":"))
    )


def chunk_document(
    doc: Document, *, max_words: int = 180, overlap_words: int = 30, min_words: int = 25
) -> list[Passage]:
    """Split a document into passages along its structure."""
    from .speakers import speaker_turns, turns_for_span

    text = doc.text
    turns = speaker_turns(text, dialogue=doc.meta.kind in (DocKind.prior_answer, DocKind.minutes, DocKind.transcript))
    turn_starts = sorted(t.start for t in turns)
    passages: list[Passage] = []
    path: list[tuple[int, str]] = []  # (level, heading)
    group: list[Block] = []

    def heading_path() -> list[str]:
        return [h for _, h in path]

    def emit(start: int, end: int, page: int | None) -> None:
        piece = text[start:end]
        if not piece.strip():
            return
        passages.append(
            Passage(
                chunk_id=f"{doc.meta.doc_id}:{doc.meta.sha256[:8]}:{len(passages):04d}",
                doc_id=doc.meta.doc_id,
                ordinal=len(passages),
                text=piece,
                start=start,
                end=end,
                heading_path=heading_path(),
                page=page,
                turns=[
                    Turn(start=t.start, end=t.end, speaker=t.speaker, role=t.role)
                    for t in turns_for_span(turns, start, end)
                ],
            )
        )

    def starts_turn(block: Block) -> bool:
        # a new speaker (or the answer after the question) starts a new passage
        lo, hi = block.start - 2, block.start + min(4, len(block.text))
        return any(lo <= s <= hi for s in turn_starts)

    def flush() -> None:
        nonlocal group
        if group:
            emit(group[0].start, group[-1].end, group[0].page)
        group = []

    for block in doc.blocks:
        if block.kind == BlockKind.heading:
            # a heading directly after a heading (or with nothing under the last one) just refines the path
            if group and not all(b.kind == BlockKind.heading for b in group):
                flush()
            level = block.level or 1
            path = [(lv, h) for lv, h in path if lv < level]
            path.append((level, block.text.strip()))
            group = [b for b in group if b.kind == BlockKind.heading] + [block]
            continue
        words = _words(block.text)
        if turns and group and starts_turn(block):
            flush()
        group_words = sum(_words(b.text) for b in group if b.kind != BlockKind.heading)
        if block.kind == BlockKind.table:
            # a table stays whole, with the heading(s) or caption paragraph just above it
            caption = [b for b in group if b.kind == BlockKind.heading or _words(b.text) <= 25][-2:]
            rest = [b for b in group if b not in caption]
            if rest:
                group = rest
                flush()
            group = caption + [block]
            flush()
            continue
        if words > max_words:
            flush()
            for s, e in _split_long(block, max_words, overlap_words, text):
                emit(s, e, block.page)
            continue
        if group_words and group_words + words > max_words and group_words >= min_words:
            # a short lead line at the end ("d) Udvikling af nye partnerskaber") is the heading of what
            # follows: it opens the next passage instead of closing this one
            carry = [group.pop()] if len(group) > 1 and _lead_line(group[-1]) else []
            flush()
            group = carry
        new_page = group and block.page is not None and group[-1].page not in (None, block.page)
        if new_page and group_words >= min_words:
            flush()
        group.append(block)
    flush()
    # table rows come after the text's passages, so the ids of the text's passages do not move
    from .tables import row_passages

    passages.extend(row_passages(doc, len(passages)))
    return passages
