"""The house style of a forvaltningssvar, in one place.

The fixed sentences a draft uses when the documents do not answer, and the header
(recipient, title, intro, answer heading) that the terminal rendering, the TUI and the
Word export all show. Pure functions over the typed models.
"""

from __future__ import annotations

import re
from datetime import datetime

from .danish import format_date, genitive
from .models import Header, Question, Sentence, SourceRef, Status, SubAnswer, SubQuestion

NO_INFO = "Forvaltningen har ikke oplysninger om dette i det foreliggende materiale."
NO_FIGURE = (
    "Det efterspurgte tal fremgår ikke af det foreliggende materiale; nedenfor er det, materialet oplyser om emnet."
)
NO_DATE = "Det efterspurgte tidspunkt fremgår ikke af det foreliggende materiale; nedenfor er det, materialet oplyser om emnet."
OFFICER_NOTE_NO_INFO = "intet relevant fundet i materialet; uddyb eller fjern."


def recipient(q: Question) -> str:
    """ "Rasmus Steenberger (F)"; the asker alone without a party; "" without an asker."""
    asker = (q.asker or "").strip()
    party = (q.party or "").strip()
    return f"{asker} ({party})" if asker and party else asker


def title(q: Question, recipient_text: str | None = None) -> str:
    """ "Svar til Rasmus Steenberger (F) - Spørgsmål om …"; placeholders for what is not known."""
    who = recipient(q) if recipient_text is None else recipient_text
    return f"Svar til {who or '[spørger]'} - Spørgsmål om {(q.topic or '').strip() or '[emne]'}"


def intro(q: Question, administration: str, recipient_text: str | None = None) -> str:
    """ "X har den 19. maj 2026 stillet følgende spørgsmål til …:"; "" without an asker."""
    who = recipient(q) if recipient_text is None else recipient_text
    if not who:
        return ""
    when = f" den {format_date(q.date_asked)}" if q.date_asked else ""
    to = f" til {administration}" if administration else ""
    return f"{who} har{when} stillet følgende spørgsmål{to}:"


def answer_heading(administration: str) -> str:
    """ "Sundheds- og Omsorgsforvaltningens svar"; a question put "til forvaltningen" gives "Forvaltningens svar"
    (a heading starts with a capital)."""
    heading = f"{genitive(administration)} svar" if administration else "Forvaltningens svar"
    return heading[:1].upper() + heading[1:]


def short_title(q: Question | None, raw: str = "") -> str:
    """A one-line name for a working session: "Rasmus Steenberger (F) - ældrereformmidler"."""
    if q is None:
        return (raw.strip().splitlines() or ["(tom)"])[0][:60]
    who = recipient(q)
    what = q.topic or q.text[:50]
    return f"{who} - {what}" if who else what


def build_header(q: Question, settings) -> Header:
    adm = q.addressee or settings.draft.administration
    return Header(
        recipient=recipient(q),
        title=title(q),
        administration=adm,
        answer_heading=answer_heading(adm),
        intro=intro(q, adm),
        date=datetime.now().date().isoformat(),
        case_officer=settings.draft.case_officer,
    )


def is_unanswered(sentences: list[Sentence]) -> bool:
    """A sub-answer that says nothing but the no-information sentence (or nothing at all)."""
    claims = [s for s in sentences if s.text.strip()]
    return not claims or (len(claims) == 1 and claims[0].text.strip() == NO_INFO)


def unanswered(sq: SubQuestion, refs: list[SourceRef] | None = None) -> SubAnswer:
    return SubAnswer(
        sub_question=sq,
        sentences=[Sentence(text=NO_INFO, status=Status.no_claim)],
        answered=False,
        source_keys=[r.key for r in refs or []],
    )


def officer_note(answer: SubAnswer, sources: list[SourceRef] | None = None) -> str:
    """The note to the officer under an unanswered part: which documents were searched, so a miss can be checked."""
    from pathlib import Path

    by_key = {s.key: s for s in sources or []}
    files = list(dict.fromkeys(Path(by_key[k].meta.source_path).name for k in answer.source_keys if k in by_key))
    if files:
        near = nearest_sentence(answer.sub_question.text, [by_key[k] for k in answer.source_keys if k in by_key])
        hint = f" Nærmeste fund: «{near[0]}» [{near[1]}]." if near else ""
        return (
            f"materialet svarer ikke direkte på dette; tjek de fundne dokumenter ({', '.join(files[:3])}), "
            f"skriv svaret, eller slet delspørgsmålet.{hint}"
        )
    return OFFICER_NOTE_NO_INFO


def nearest_sentence(question: str, sources: list[SourceRef], width: int = 160) -> tuple[str, str] | None:
    """The sentence of the searched passages that shares most of the part's words (thesaurus included),
    for the officer to check a possible miss in one look; never put in the answer. None if none shares two."""
    from .analysis import analyze, same_term
    from .asks import FIGURE, classify_ask
    from .cite import split_sentences
    from .safety import usable_as_evidence

    asked = set(analyze(question, query=True))
    figure = classify_ask(question) == FIGURE
    best: tuple[int, str, str] | None = None
    for ref in sources:
        if ref.passage.table_row is not None or not usable_as_evidence(ref.passage.flags):
            continue
        for sent in split_sentences(ref.passage.text):
            text = " ".join(sent.split())
            if len(text.split()) < 5:
                continue
            words = set(analyze(text))
            score = sum(any(same_term(a, w) for w in words) for a in asked)
            if figure and re.search(r"\d[\d.,]*\s*(?:mio\.|mia\.|kr\.|t\.kr\.|%|pct\.)", text):
                score += 1  # a figure asked: a sentence with an amount is the likelier miss
            if score >= 2 and (best is None or score > best[0]):
                best = (score, text, ref.key)
    if best is None:
        return None
    text = best[1] if len(best[1]) <= width else best[1][: width - 1].rsplit(" ", 1)[0] + " …"
    return text, best[2]
