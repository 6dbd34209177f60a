"""Who says what in an earlier answer: the document's text split into turns by speaker and role.

Folketing documents and committee minutes interleave the question, the asker's own speech, the
chair and the answering minister or administration. An earlier answer is only what the answering
party said, so ingest marks each stretch of text with a role:

* ``answer``   the minister, ministry or administration answering (``Ældreministeren (Mette Kierkgaard):``,
  the text after ``Svar:`` in a written answer);
* ``question`` the question as put (``Spørgsmål nr. 264:`` up to ``Svar:``, the ``Spm. nr.`` head);
* ``asker``    a member speaking (``Nick Zimmermann (DF):``), or a member's request quoted in minutes;
* ``chair``    the chair of the meeting (``Formanden (Søren Gade):``, ``Anden næstformand (…):``);
* ``frame``    letterhead and cover text before the question.

Pure functions over text; offsets point into the text given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ANSWER, QUESTION, ASKER, CHAIR, FRAME = "answer", "question", "asker", "chair", "frame"


@dataclass(frozen=True)
class Turn:
    start: int
    end: int
    speaker: str  # "Ældreministeren (Mette Kierkgaard)", "Social- og ældreministeren", "Nick Zimmermann (DF)"
    role: str


# "Ældreministeren (Mette Kierkgaard):", "Nick Zimmermann (DF):", "Anden næstformand (Jeppe Søe):" at a line
# start or right after a sentence end (extraction sometimes glues the speaker line to the previous one)
_SPEAKER_RE = re.compile(
    r"(?:(?<=^)|(?<=\n)|(?<=[.!?»”\"]))[ \t]*"
    r"(?P<who>(?:[A-ZÆØÅ][\wæøåÆØÅé.-]*)(?:[ \t]+(?:[a-zæøå-]+|[A-ZÆØÅ][\wæøåÆØÅé.-]*)){0,6}?)"
    r"[ \t]*\((?P<paren>[A-ZÆØÅ][^()\n]{0,40})\):",
    re.M,
)
_CHAIR_RE = re.compile(r"\b(?:formand(?:en)?|næstformand|mødeleder)\b", re.I)
_MINISTER_RE = re.compile(r"minister(?:en)?\b|\bborgmester(?:en)?\b|\brådmand(?:en)?\b", re.I)
_PARTY_RE = re.compile(r"^[A-ZÆØÅ]{1,3}$")
_QUESTION_HEAD_RE = re.compile(r"(?:^|\n)[ \t]*(?:Spørgsmål(?:\s+nr\.\s*[\w .]+?)?\s*:|Spm\.\s*nr\.)", re.I)
_ANSWER_HEAD_RE = re.compile(r"(?:^|\n)[ \t]*Svar\s*:", re.I)
_SIGNOFF_RE = re.compile(r"(?:^|\n)[ \t]*(?:Med\s+)?venlig\s+hilsen\b", re.I)
_ADDRESSEE_RE = re.compile(
    r"stillet\s+følgende\s+spørgsmål(?:\s+nr\.\s*[\w .]+?(?:\([^)]*\))?)?\s+til\s+(?P<who>[\wæøåÆØÅ -]*?minister(?:en)?)",
    re.I,
)
_QUOTED_REQUEST_RE = re.compile(r"[”\"„«][^”\"„«»“]{40,1200}?[”\"»“]", re.S)


def _oral_turns(text: str) -> list[Turn]:
    marks = list(_SPEAKER_RE.finditer(text))
    if len(marks) < 2:
        return []
    turns: list[Turn] = []
    if marks[0].start() > 0:
        turns.append(Turn(0, marks[0].start(), "", QUESTION))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        who = " ".join(m.group("who").split())
        paren = m.group("paren").strip()
        if _CHAIR_RE.search(who):
            role = CHAIR
        elif _MINISTER_RE.search(who) and not _PARTY_RE.match(paren):
            role = ANSWER
        else:
            role = ASKER
        turns.append(Turn(m.start(), end, f"{who} ({paren})", role))
    return turns


def _written_turns(text: str) -> list[Turn]:
    q = _QUESTION_HEAD_RE.search(text)
    a = _ANSWER_HEAD_RE.search(text, q.end() if q else 0)
    if not a:
        return []
    who = _ADDRESSEE_RE.search(text[: a.start()])
    answerer = who.group("who").strip() if who else ""
    sign = _SIGNOFF_RE.search(text, a.end())
    end = sign.start() if sign else len(text)
    turns: list[Turn] = []
    if q:
        if q.start() > 0:
            turns.append(Turn(0, q.start(), "", FRAME))
        turns.append(Turn(q.start(), a.start(), "", QUESTION))
    else:
        turns.append(Turn(0, a.start(), "", FRAME))
    turns.append(Turn(a.start(), end, answerer, ANSWER))
    if end < len(text):
        turns.append(Turn(end, len(text), "", FRAME))
    return turns


def _quoted_requests(text: str) -> list[Turn]:
    """A member's request quoted in minutes ("Dansk Folkeparti vil gerne have ...") is the asker's, not an answer."""
    out = []
    for m in _QUOTED_REQUEST_RE.finditer(text):
        body = m.group(0)
        if re.search(r"\b(?:vil\s+gerne|ønsker|ønskes|bedes|hvad\s+er|hvordan|hvorfor)\b", body, re.I):
            out.append(Turn(m.start(), m.end(), "", ASKER))
    return out


def speaker_turns(text: str, dialogue: bool = True) -> list[Turn]:
    """The turns of ``text``, in order; [] when the text is not a dialogue or a question-and-answer document.

    ``dialogue``: the document is an earlier answer or minutes (by its detected kind); other documents
    (budget notes, decisions) are never split by speaker, since their quotation marks quote titles.
    """
    if not dialogue:
        return []
    turns = _oral_turns(text)
    if not turns:
        turns = _written_turns(text)
    if not turns:
        turns = _quoted_requests(text)
    return turns


def turns_for_span(turns: list[Turn], start: int, end: int) -> list[Turn]:
    """The turns overlapping ``[start, end)``, clipped and made relative to ``start``."""
    out = []
    for t in turns:
        a, b = max(t.start, start), min(t.end, end)
        if a < b:
            out.append(Turn(a - start, b - start, t.speaker, t.role))
    return out


def role_at(turns: list[Turn], offset: int) -> Turn | None:
    for t in turns:
        if t.start <= offset < t.end:
            return t
    return None
