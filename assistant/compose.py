"""The offline drafter: answers what is asked, from the sources' own sentences, in the house voice.

For each sub-question:

1. **What is asked** (``asks``): a figure, a date, a list, yes/no, an earlier answer, an explanation,
   and the sub-question's specific terms weighted by rarity in the index.
2. **Candidates**: every sentence of the chosen passages, scored by its coverage of those terms (the
   passage's heading counts as context). A figure or date question wants a sentence with an amount
   or a date; a sentence with the figure right after a sentence about the asked item inherits its
   relevance (the "bør der afsættes ressourcer …" / "… 300.000 kr. i 2026" case).
3. **Voice**: in earlier answers and minutes only the answering party is used (speaker turns from
   ingest); the asker's speech, the chair, the question and sentences restating the question are
   never used; first-person sentences are used only as a quotation with attribution.
4. **One pool**: a sentence used for one sub-question is not repeated in another; a sub-answer
   whose evidence was all used earlier refers back to it.
5. **Honest abstention**: a sub-question is answered only when the chosen sentences cover its
   specific terms, and for a figure or a date hold one tied to them; otherwise the draft says the
   material does not answer it (for that part only).
6. **Attribution once per source**, in plain Danish ("Det fremgår af notatet "…" (3. februar 2025),
   at …"; "I svar på spørgsmål S 222 af 22. november 2023 oplyste ældreministeren …"); the first
   sentence is the most direct answer; no sub-question is restated.

Every sentence is a source sentence (verbatim, or in subordinate word order after "at"), so every
figure is the source's; ``cite.verify_draft`` checks each against its cited span.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from os.path import commonprefix

from .analysis import same_term as _same_term
from .asks import (
    CARRIED_RE,
    DATE,
    FIGURE,
    LIST,
    PRIOR,
    YESNO,
    Profile,
    figure_wanted,
    first_person,
    kind_of_quantities,
    make_profile,
    restates,
    sentence_start,
)
from .danish import MONTH_NAMES, format_date
from .models import Citation, DocKind, Sentence, SourceRef, Status, SubQuestion

# coverage of a sub-question's specific terms a sentence needs to be used, and the coverage the
# chosen sentences need (best one) for the sub-question to count as answered
MIN_SENTENCE_COVER = 0.34
# 0.5 -> 0.4 on the hard set's non-holdout parts: false abstention 0.205 -> 0.128, correct unchanged.
# 0.4 -> 0.3 (2026-12-01, third session): on 32 new questions written blind, parts without an answer 30 -> 27
# of 93 (6 truly unanswerable); hard-shared false abstention 0.08 -> 0.07, correct abstention 0.92 unchanged,
# precision 0.36 -> 0.35. At 0.28 precision fell to 0.34 for one part more.
MIN_ANSWER_COVER = 0.3
ASK_SENTENCES = {FIGURE: 2, DATE: 2, YESNO: 2, LIST: 3, PRIOR: 3}  # most sentences per ask; others 3
PRIOR_ANSWER_COVER = 0.3  # what an earlier answer said: the answerer's turn needs less of the question's wording
NEIGHBOUR_SHARE = 0.8  # a figure sentence next to an on-topic sentence inherits this share of its cover
_ASKS_WHO_ASKED = re.compile(
    r"\befter\s+(?:hvis\s+ønske|ønske\s+fra\s+(?:hvem|hvilke[nt]?))\b|\bhvem\s+(?:stillede|bad\s+om|ønskede)\b|"
    r"\bpå\s+hvis\s+foranledning\b",
    re.I,
)
_WHO_ASKED = re.compile(r"\befter\s+ønske\s+fra\b|\bpå\s+foranledning\s+af\b", re.I)


def _only_who_asked(text: str) -> bool:
    """The part asks nothing but after whose request a question was put (no "hvornår", "hvor mange" beside it)."""
    m = _ASKS_WHO_ASKED.search(text)
    if not m:
        return False
    rest = text[: m.start()] + text[m.end() :]
    return not re.search(
        r"\b(?:hvad|hvornår|hvordan|hvorfor|hvilke[nt]?|hvor\s+(?:mange|meget|stor[et]?))\b", rest, re.I
    )


CONTINUATION_SHARE = 0.9  # a sentence that goes on from the one before ("Det drejer sig om …") inherits this share
_CONTINUES = re.compile(
    r"^(?:(?:Det|Der)\s+(?:drejer\s+sig\s+om|er\s+tale\s+om)|(?:Dette|Det)\s+(?:skyldes|betyder|indebærer)|"
    r"Heraf|Disse\s+er|Begrundelsen\s+er|Årsagen\s+er|Resten|Derudover|Desuden|Herudover|Endvidere|Samtidig)\b"
)

_DATE_WORDS = re.compile(rf"\b\d+(?:[.,-]\d+)*\.?|\b(?:{'|'.join(MONTH_NAMES)})\b", re.I)
_BAD_SENT = re.compile(r"^(?:\W|\d)+$")
_BOILERPLATE = re.compile(
    r"(?:stillet efter ønske fra|under henvisning til|følger hermed|vedlagt (?:fremsendes|følger)|"
    r"spørgsmålet lyder|besvarelse af spørgsmål|jeg skal i øvrigt henvise|"
    r"^dato:|^med venlig hilsen|til sagen|se bilag|^tak for (?:det|ordet|spørgsmålet)|^værsgo|^mange tak\b|"
    r"\ber fiktiv\b|genfortalt fra|eksempeldata|sample data|\bhenviste\s+til\s+(?:et\s+|det\s+)?(?:notat|bilag)|"
    # what the document says about itself, not about the matter ("Notatet skal bruges, når udvalget drøfter …",
    # "Forvaltningen har samlet de oplysninger, …", "I dette notat beskrives …")
    r"^(?:dette\s+|nærværende\s+)?(?:notat|baggrundsnotat|orienteringsnotat)(?:et)?\s+(?:skal|beskriver|samler|giver|"
    r"redegør|har\s+til\s+formål|indeholder|opsummerer)\b|^forvaltningen\s+har\s+(?:her\s+)?samlet\b(?!\s+set\b)|"
    r"^i\s+(?:dette|nærværende)\s+notat\b)",
    re.I,
)
_LATE = re.compile(r"kan ikke besvares inden for fristen", re.I)
_LEAD = re.compile(r"^\s*(?:[•\-–*]|\d+[.)]|[a-z]\))\s+")
_REPORTED_QUESTION = re.compile(
    r"\b(?:spurgte|stillede\s+spørgsmål|efterlyste|ønskede\s+(?:en|at)|(?:har|havde)\s+(?:på\s+vegne\s+af\s+\w+\s+)?anmodet\s+om)\b",
    re.I,
)
_REPLY = re.compile(
    r"^[A-ZÆØÅ][\w.\-]*(?:\s+[A-ZÆØÅ][\w.\-]*){0,3}(?:\s+\([^()]{1,20}\))?\s+"
    r"(?:svarede|oplyste|orienterede|redegjorde|forklarede|bekræftede|tilkendegav|henviste)\b"
)


def _reply_to(ref: SourceRef, before: str, sentence: str) -> bool:
    """In minutes or an earlier answer, ``sentence`` is a named person's reply ("Lene Sillasen svarede, at …")
    to the question reported just before it ("Jette Bergenholz Bautrup (A) spurgte til, om …")."""
    if ref.meta.kind not in (DocKind.minutes, DocKind.prior_answer, DocKind.transcript):
        return False
    return bool(_REPORTED_QUESTION.search(before) and _REPLY.match(_clean(sentence)))


_SPEAKER_HEAD = re.compile(r"^[A-ZÆØÅ][^\n:()]{2,60}\([^()\n]{1,40}\):\s*")


@dataclass
class Pool:
    """What the draft has used so far: sentences (not repeated) and sources already attributed."""

    used: dict[str, str] = field(default_factory=dict)  # normalised sentence -> sub-question id
    attributed: set[str] = field(default_factory=set)  # doc ids
    tables: dict[str, str] = field(default_factory=dict)  # answer-table caption -> sub-question id
    rows: list[str] = field(default_factory=list)  # chunk ids of the table rows the last table answer cited


@dataclass
class Candidate:
    ref: SourceRef
    rank: int
    text: str
    span: tuple[int, int]
    cover: float
    kinds: set[str]
    role: str | None
    speaker: str
    quote_only: bool  # first person in the answering party's speech: usable only as a quotation
    score: float = 0.0
    named: bool = False  # from the earlier answer the question names (by number or date), the answerer's words
    lead: str = ""  # the sentence(s) before it that a continuation ("Det drejer sig om …") goes on from
    # share of the ask's own words the sentence holds, beyond those its section heading already names: in a
    # section about the subject, the sentence that says what is asked of it ("forlænget", "anvendes til")
    focus: float = 0.0
    # the ask's own words, in a document about the part's context ("… har jeg et par spørgsmål: Hvad
    # indstillede forvaltningen?" and "Forvaltningen indstiller, at …" in the decision on that proposal)
    focused: bool = False


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _sentences(ref: SourceRef) -> list[tuple[str, tuple[int, int]]]:
    """The passage's sentences (cleaned) with their spans; never across a block break."""
    from .cite import split_sentences

    text = ref.passage.text
    out = []
    pos = 0
    for block in re.split(r"\n\s*\n", text):
        for s in split_sentences(block):
            i = text.find(s, pos)
            if i < 0:
                i = text.find(s)
            if i >= 0:
                pos = i + len(s)
            out.append((s, (i, i + len(s)) if i >= 0 else (0, 0)))
    return out


def _with_lists(
    text: str, sents: list[tuple[str, tuple[int, int]]], findings: dict[int, str] | None = None
) -> list[tuple[str, tuple[int, int]]]:
    """A lead-in ending in ":" and the list items after it, read as one sentence.

    "De tre mål indebærer, at:" + "Danmark skal have 98 demensvenlige kommuner," + … + "… frem mod år
    2025." becomes "De tre mål indebærer, at Danmark skal have 98 …, … 2025.": the items are what the lead
    announces, and alone neither is an answer. Only items that follow directly (whitespace or bullets
    between them) and until one ends the sentence, at most eight.
    """
    out: list[tuple[str, tuple[int, int]]] = []
    i = 0
    while i < len(sents):
        raw, span = sents[i]
        if (
            i + 1 < len(sents)
            and span != (0, 0)
            and sents[i + 1][1] != (0, 0)
            and len(raw.split()) >= 4
            and raw[:1].isupper()
            and not raw.rstrip().endswith((".", "!", "?", ":", ";", ","))
            and sents[i + 1][0][:1].islower()
            and text[span[1] : sents[i + 1][1][0]].strip(" \t\n•-–*") == ""
        ):
            # a sentence the extraction broke at a dropped bullet ("Forvaltningen indstiller, at udvalget" +
            # "indstiller til Magistraten, at …."): one sentence again
            nxt, nspan = sents[i + 1]
            sents = [*sents[:i], (f"{raw.rstrip()} {nxt.lstrip()}", (span[0], nspan[1])), *sents[i + 2 :]]
            continue
        if raw.rstrip().endswith(":") and span != (0, 0):
            items, end, j = [], span[1], i + 1
            bullets = False
            while j < len(sents) and len(items) < 8:
                nxt, nspan = sents[j]
                gap = text[end : nspan[0]] if nspan != (0, 0) else ""
                if nspan == (0, 0) or gap.strip(" \t\n•-–*") != "":
                    break
                marked = any(ch in gap for ch in "•-–*") or bool(_LEAD.match(nxt))
                if not items:
                    bullets = marked
                elif bullets and not marked:
                    break  # the paragraph after a bulleted list is not one of its items
                elif len(items) >= 2 and all(_bare_line(x) for x in items) and nxt.rstrip().endswith((".", "!", "?")):
                    bullets = True  # lines without punctuation (bullets lost in extraction), then a paragraph
                    break
                items.append(nxt)
                end = nspan[1]
                j += 1
                if nxt.rstrip().endswith((".", "!", "?")):
                    break
            if bullets and len(items) >= 2 and not items[-1].rstrip().endswith("."):
                # bullet lines without punctuation: "Målene er: - Skabe … - Mindske …" ->
                # "Målene er: skabe …, mindske … og forbedre …." (an infinitive loses its capital)
                parts = [_bullet_item(x) for x in items]
                end = sents[j - 1][1][1]
                out.append((f"{raw.rstrip()} {', '.join(parts[:-1])} og {parts[-1]}.", (span[0], end)))
                i = j
                continue
            if len(items) >= 2 and items[-1].rstrip().endswith("."):
                lead = re.sub(r",?\s*at\s*:$", ", at", raw.rstrip()).rstrip(":")
                clean_items = [_LEAD.sub("", " ".join(x.split())).rstrip(" ,;") for x in items]
                if all(re.match(r"at\s", x) for x in clean_items):
                    # "Analysen … viser:" + "at tillæggene …" + "at tillidsrepræsentanterne …." -> "Analysen …
                    # viser, at tillæggene …, og at tillidsrepræsentanterne …."
                    lead = lead.rstrip(",") + ","
                    body = ", ".join(clean_items[:-1]) + ", og " + clean_items[-1]
                    if len(f"{lead} {body}".split()) > 60:
                        # too long for one sentence of an answer: each finding with the lead that announces it
                        for k, item in enumerate(clean_items):
                            if findings is not None:
                                findings[len(out)] = item  # what it is about: the finding, not the lead's words
                            out.append((f"{lead} {item.rstrip('.')}.", (span[0], sents[i + 1 + k][1][1])))
                        i = j
                        continue
                else:
                    body = " ".join(_LEAD.sub("", " ".join(x.split())) for x in items)
                out.append((f"{lead} {body}", (span[0], end)))
                i = j
                continue
        out.append((raw, span))
        i += 1
    return out


def _bare_line(item: str) -> bool:
    """A short line with no punctuation at its end: a list item whose bullet extraction dropped."""
    t = item.strip()
    return bool(t) and not t.endswith((".", ",", ";", ":", "!", "?")) and len(t.split()) <= 14


def _bullet_item(item: str) -> str:
    t = _LEAD.sub("", " ".join(item.split())).rstrip(" ,;")
    first = t.split(" ", 1)[0]
    if first[:1].isupper() and first[1:].islower() and first.endswith("e") and len(first) >= 3:
        t = t[:1].lower() + t[1:]  # "Skabe let adgang" -> "skabe let adgang"; "Danmark skal" stays
    return t


def _clean(s: str) -> str:
    t = _LEAD.sub("", " ".join(s.split()))
    t = re.sub(r"^Svar\s*:\s*(?=[A-ZÆØÅ])", "", t)  # an earlier answer's label: "Svar: Almene plejeboliger …"
    # a footnote mark glued to a word by the extraction ("ét valideret screeningsredskab1, som …")
    t = re.sub(r"(?<=[a-zæøå]{6})\d{1,2}(?=[\s,.;:)])", "", t)
    return _SPEAKER_HEAD.sub("", t)


def _unmarked(text: str) -> str:
    """A sentence as the answer writes it: a bold label opening a Markdown paragraph ("**Systematisk opsporing.**
    Forvaltningen har …") is the heading of the point, not part of the sentence (the candidate keeps it: it names
    a table row the prose speaks of); bold inside a sentence loses its asterisks."""
    t = re.sub(r"^\*\*[^*]{2,80}?[.:]\*\*\s*(?=[A-ZÆØÅ])", "", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"\1", t)


_QUOTED_QUESTION = re.compile(r"\bfølgende\s+spørgsmål\b[^:\n]{0,120}:\s*[\"“„»](?P<q>[^\"”“«]{10,3000})[\"”«]", re.I)


@functools.lru_cache(maxsize=4096)
def _quoted_questions(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of a question quoted after "… har stillet følgende spørgsmål:" (an earlier answer repeats the
    question it answers): the asker's words, never the answer."""
    return tuple((m.start("q"), m.end("q")) for m in _QUOTED_QUESTION.finditer(text))


def _role(ref: SourceRef, offset: int) -> tuple[str | None, str]:
    for t in ref.passage.turns:
        if t.start <= offset < t.end:
            return t.role, t.speaker
    return None, ""


OTHER_SECTION = 0.6
OTHER_PLACE = 0.5  # a sentence from another municipality's document than the one the question names

_MUNICIPALITIES = {
    "københavn": ("københavn", "københavns"),
    "frederiksberg": ("frederiksberg",),
    "roskilde": ("roskilde",),
    "køge": ("køge",),
    "aarhus": ("aarhus", "århus"),
    "odense": ("odense",),
    "aalborg": ("aalborg",),
    "eksempel": ("eksempel",),
}


def named_municipalities(text: str) -> set[str]:
    """The municipalities a question names ("Roskilde", "Københavns Kommune", "i København")."""
    low = text.lower()
    return {
        m for m, forms in _MUNICIPALITIES.items() if any(re.search(rf"(?<![\wæøå]){f}(?![\wæøå])", low) for f in forms)
    }


def _other_municipality(ref: SourceRef, places: set[str]) -> bool:
    """The document is a municipality's own (its authority names one) and not one the question names."""
    own = named_municipalities(ref.meta.authority or "")
    if not own or own & places:
        return False
    # a note by one municipality about another ("Seniorcirkler … i Roskilde Kommune") is about it
    about = named_municipalities(" ".join([ref.meta.title, *ref.passage.heading_path, ref.passage.text]))
    return not about & places


def _names_subject(stem: str, profile: Profile) -> bool:
    """A heading word that names a particular subject: rare in the index (generic headings are frequent)."""
    lex = profile.lexical
    if lex is None or not hasattr(lex, "df") or not getattr(lex, "size", 0):
        return False
    return stem.isalpha() and len(stem) >= 4 and lex.df(stem) <= max(3, 0.03 * lex.size)


def names_document(text: str, ref: SourceRef, *, months: bool = False) -> bool:
    """Whether a question names this earlier answer: its question number ("S 53", "nr. 264") or its date
    (``months``: or its month, when the question names no day — used to rank, since a month can hold
    several documents)."""
    from .danish import find_dates, find_months

    m = ref.meta
    if m.kind not in (DocKind.prior_answer, DocKind.minutes, DocKind.transcript):
        return False
    spm = (m.case_numbers.get("spm") or "").strip()
    if spm:
        num = re.escape(spm).replace(r"\ ", r"\s*")
        if re.search(
            rf"(?:spørgsmål|spm\.?)\s*(?:nr\.\s*)?{num}\b|\b{num}\b(?=\s*(?:om|af|til|\)|,|\?|$))", text, re.I
        ):
            return True
    if m.date and len(m.date) == 10:
        if any(iso == m.date for _s, _e, iso in find_dates(text)):
            return True
        # "i spørgetimen i november 2023": the month, when the question names no day
        return months and m.date[:7] in find_months(text)
    return False


_CODE_RE = re.compile(r"\b[A-ZÆØÅ]{2,4}\d{1,3}\b")


def names_code(text: str, ref: SourceRef) -> bool:
    """The question names the document by the code its title starts with or holds ("SU1", "SU39")."""
    codes = set(_CODE_RE.findall(ref.meta.title))
    return bool(codes) and any(re.search(rf"\b{re.escape(c)}\b", text) for c in codes)


def _flat(text: str) -> str:
    return " ".join(re.findall(r"[\wæøå§-]+", text.lower()))


def _carried_phrase(part: str) -> str | None:
    """The subject a part carries in "(…)" when it is a name of two words or more ("Sundhed for alle")."""
    m = CARRIED_RE.search(part)
    if not m:
        return None
    name = _flat(m.group(1))
    return name if len(name.split()) >= 2 and " og " not in f" {name} " else None


def _context_docs(profile: Profile, sources: list[SourceRef]) -> tuple[list, dict[str, float]]:
    """For a part with context before its ask: the profile rows of the ask's own words, and the documents about
    the context (the share of its words their best passage holds, for those nearly as much about it as the
    one most about it). Empty when the part is its ask alone."""
    own_rows = [r for r in profile._profile if r[0] in profile.focus and r[0] not in _NOT_OWN] if profile.focus else []
    rest_rows = [r for r in profile._profile if r not in own_rows]
    doc_about: dict[str, float] = {}
    if own_rows and rest_rows and profile.lexical is not None:
        for ref in sources:
            where = f"{ref.meta.title} {' '.join(ref.passage.heading_path)} {ref.passage.text}"
            about = profile.lexical.coverage(rest_rows, where)[0]
            doc_about[ref.meta.doc_id] = max(doc_about.get(ref.meta.doc_id, 0.0), about)
    # (the document most about it, or as much: not every document that shares a word of the context)
    top_about = max(doc_about.values(), default=0.0)
    return own_rows, {d: a for d, a in doc_about.items() if a >= FOCUS_DOC_SHARE * top_about}


def candidates(sq: SubQuestion, profile: Profile, sources: list[SourceRef], question_text: str) -> list[Candidate]:
    from .analysis import analyze
    from .cite import extract_quantities

    asked_terms = set(analyze(sq.text + " " + question_text, query=True))
    # the question names an earlier answer (its number or date): other documents' sentences count for less
    # a month names an earlier answer when what it said is asked ("Hvad sagde ministeren i november 2023 …")
    months = profile.ask == PRIOR
    asks_who, only_who = bool(_ASKS_WHO_ASKED.search(profile.text)), _only_who_asked(profile.text)
    asks_late = bool(re.search(r"\bforeløbig\w*|\bfrist\w*|\bendelig\w*\s+svar|\bsvare\s+endeligt", profile.text, re.I))
    some_named = any(names_document(sq.text + " " + question_text, r, months=months) for r in sources)
    # a budget note the question names by its code ("pakken mod ensomhed … (SU1)"): other documents' sentences
    # count for less (a madklub note's "råvarer, redskaber" is not the SU1 note's screening tool)
    coded = {r.meta.doc_id for r in sources if names_code(sq.text + " " + question_text, r)}
    # minutes of questions and replies ("X spurgte til, om …" / "Y svarede, at …"): in such a document the
    # replies are what was answered, not its frame lines ("BESLUTNINGSPROTOKOL fra ordinært møde …")
    split = [_sentences(ref) for ref in sources]
    reply_docs = set()
    for ref, ref_sents in zip(sources, split, strict=True):
        ss = [raw for raw, _ in ref_sents]
        if any(_reply_to(ref, a, b) for a, b in zip(ss, ss[1:], strict=False)):
            reply_docs.add(ref.meta.doc_id)
    # (the part's own words, or the question's opening before its first ask: "Københavns demensbevilling" in
    # part 2 does not make part 1 about Copenhagen; "Vi bruger Roskilde som sammenligning. …" speaks for all)
    first_ask = question_text.find("?")
    opening = question_text[: sentence_start(question_text, first_ask) + 1] if first_ask > 0 else ""
    places = named_municipalities(sq.text) or named_municipalities(opening)
    noun = counted_noun(profile.text) if profile.ask == FIGURE else None
    # a subject of several words carried in "(Sundhed for alle)": where some passage names it word for
    # word, a sentence from a passage that does not is about something else sharing a word ("Sundheds- og
    # Omsorgsforvaltningen")
    phrase = _carried_phrase(profile.text)
    phrase_in = {
        id(ref)
        for ref in sources
        if phrase and phrase in _flat(" ".join([*ref.passage.heading_path, ref.passage.text]))
    }
    # a part with context before its ask: the ask's own words, and the documents about the rest
    own_rows, doc_about = _context_docs(profile, sources)
    pass_floor = sentence_floor(profile)
    out: list[Candidate] = []
    for rank, ref in enumerate(sources):
        named = names_document(sq.text + " " + question_text, ref, months=months)
        # a section about another subject ("Madklubber på plejehjem" under a question on Seniorcirkler):
        # its sentences match the question only by a shared word, so they count for less
        section = set(analyze(" ".join(h for h in ref.passage.heading_path if h.strip() != ref.meta.title.strip())))
        naming = {t for t in section if _names_subject(t, profile)}  # "madklub", not "anbefaling" or "effekt"
        # (an earlier answer's or a minutes' headings name the addressee, "Folketingets Boligudvalg", not a subject)
        elsewhere = (
            bool(naming)
            and ref.meta.kind not in (DocKind.prior_answer, DocKind.minutes, DocKind.transcript)
            and not any(_same_term(a, b) for a in asked_terms for b in section)
        )
        if {"injection", "hidden-text"} & set(ref.passage.flags):
            continue  # shown to the officer as a warning, never copied into the answer
        headings = " ".join([*ref.passage.heading_path])
        if (
            ref.meta.kind == DocKind.prior_answer
            and ref.passage.turns
            and re.match(r"(?:spørgsmål|spm)", ref.meta.title, re.I)
        ):
            # an earlier answer titled by its question ("Spørgsmål nr. 409: Mener ministeren, at …"): its
            # answer's sentences are read with the question they answer
            headings = f"{headings} {ref.meta.title}"
        asked_here = " ".join(ref.passage.text[t.start : t.end] for t in ref.passage.turns if t.role == "question")
        if ref.meta.kind == DocKind.prior_answer and asked_here:
            # the question the answer in this passage answers ("Ministeren bedes kommentere henvendelsen …
            # om besøgsrestriktioner"): the answer's sentences are read with it
            headings = f"{headings} {asked_here}"
        title_line = _title_line(ref.passage.text)
        if title_line and title_line.strip() != ref.meta.title.strip():
            # an unmarked heading opening the passage ("Rekruttering til seniorklubber (budget 2025)") names
            # the subject its sentences speak of, as a marked one does
            headings = f"{headings} {title_line}"
        titles = {" ".join(h.split()).rstrip(".:").lower() for h in [*ref.passage.heading_path, ref.meta.title]}
        has_turns = bool(ref.passage.turns)
        findings: dict[int, str] = {}
        sents = _with_lists(ref.passage.text, split[rank], findings)
        # (a question naming two, "hvad København kan lære af Roskilde", is open to other examples)
        elsewhere_place = len(places) == 1 and _other_municipality(ref, places)
        head_named = set(profile.coverage(headings)[1]) if headings else set()
        focus_rows = profile.focus_rows(head_named)
        if focus_rows:
            # the ask's own words count where the passage is about the rest of the question ("fordelt" in a
            # national plan's "fordelt på fem fokusområder" does not answer how the municipality's money is split)
            own = {r[0] for r in focus_rows}
            rest = [r for r in profile._profile if r[0] not in own]
            about = profile.lexical.coverage(rest, f"{headings} {ref.passage.text}")[0] if rest else 1.0
            focus_scale = min(1.0, about / FOCUS_ABOUT)
        else:
            focus_scale = 0.0
        covers = []
        for n, (raw, _span) in enumerate(sents):
            own = findings.get(n, raw)
            c, _ = profile.coverage(own)
            if headings and c > 0:
                # the section heading names the subject a sentence speaks of ("Madklubber på plejehjem")
                c += 0.7 * max(0.0, profile.coverage(own + " " + headings)[0] - c)
            covers.append(c)
        # a sentence that goes on from the one before ("Det drejer sig om …", "Dette skyldes, at …") says what
        # that one announced: it inherits its cover, along a chain of such sentences
        leads = [""] * len(sents)
        replies = {i for i in range(1, len(sents)) if _reply_to(ref, sents[i - 1][0], sents[i][0])}
        for i in range(1, len(sents)):
            if i in replies:
                # minutes: "X spurgte til, om …" then "Y svarede, at …": the reply answers what was asked, so it
                # is as relevant as the reported question (never a candidate itself), whatever its own words
                covers[i] = covers[i - 1]
                leads[i] = _clean(sents[i - 1][0])
            elif _CONTINUES.match(_clean(sents[i][0])):
                covers[i] = max(covers[i], CONTINUATION_SHARE * covers[i - 1])
                leads[i] = f"{leads[i - 1]} {sents[i - 1][0]}".strip()
        for i, (raw, span) in enumerate(sents):
            clean = _clean(raw)
            words = clean.split()
            # "Efter hvis ønske blev spørgsmålet stillet?": the answer's frame line is the answer
            who_asked = bool(asks_who and _WHO_ASKED.search(clean))
            if clean.rstrip(".:").lower() in titles or "|" in clean:
                continue  # a heading, or a table row (table rows are answered from the table, as data)
            if (
                len(words) < 5
                or len(words) > 70
                or _BAD_SENT.match(clean)
                or (_BOILERPLATE.search(clean) and not who_asked)
                # "Spørgsmålet kan ikke besvares inden for fristen, fordi …": a formality, unless the part
                # asks why the answer was only preliminary
                or (_LATE.search(clean) and not asks_late)
            ):
                continue
            if sum(ch.isdigit() for ch in clean) > 0.25 * len(clean) or len(_ROW_RUN.findall(clean)) >= 2:
                continue  # a flattened table row ("… (pilotprojekt) 348 Ikke relevant at videreføre Tryg …")
            if clean.endswith(":"):
                continue  # a lead-in to a list, meaningless alone
            if re.match(r"(?:pkt|punkt)\.?\s*\d+\b", clean, re.I):
                continue  # an agenda item's heading in minutes ("Pkt. 169 Anmodning om optagelse af sag …")
            if len(words) <= 16 and re.search(r"\((?:budget|b)\s*\d{4}\)\.?$", clean, re.I):
                continue  # a section heading ("København som foregangsby i arbejdet … (budget 2022).")
            if re.fullmatch(r"\W*(?:https?://|www\.)\S+\W*", clean):
                continue  # a bare link, not a statement
            if (
                re.search(r"https?://|www\.", clean)
                and len(re.sub(r"\S*(?:https?://|www\.)\S*", " ", clean).split()) < 15
            ):
                continue  # a reference-list line ("A 6-Item Scale for …: http://…"), not a statement
            if clean[0].islower() or re.match(r"^(?:At|Og|Samt|Men|Eller)\s", clean):
                continue  # a fragment: a list item or a sentence the extraction split off
            if re.search(r"\b(?:og|at|samt|eller|som|der|med|til|for|af|i)\s*[.:]?$", clean.rstrip(".")):
                continue  # broken off in the middle ("… skal have en specifik diagnose, og at.")
            if clean.endswith("?"):
                continue  # a question (the one an earlier answer repeats, a report's rhetorical one) answers nothing
            if any(a <= span[0] < b for a, b in _quoted_questions(ref.passage.text)):
                continue  # the asker's question as the answer quotes it ("… stillet følgende spørgsmål: "…"")
            role, speaker = _role(ref, span[0])
            if has_turns and role not in ("answer", None) and not who_asked:
                continue  # the question, the asker's speech or the chair: never an answer
            if (
                ref.meta.kind
                in (
                    DocKind.minutes,
                    DocKind.transcript,
                    DocKind.prior_answer,
                )
                and _REPORTED_QUESTION.search(clean)
                and not who_asked
            ):
                continue  # "X (A) spurgte til, om …" reports the question, not the answer
            if restates(clean, question_text):
                continue
            fp = first_person(clean)
            if fp and not (role == "answer" and ref.meta.kind == DocKind.prior_answer):
                continue  # someone's "jeg" is not the administration's voice
            if clean[-1] not in ".!?":
                if len(words) <= 12 and re.search(r"\(budget\s+\d{4}\)$", clean, re.I):
                    continue  # a section heading left as a line ("Socialrådgivere hos læger … (budget 2022)")
                clean += "."
            kinds = kind_of_quantities(extract_quantities(clean))
            cover = (
                covers[i]
                * (OTHER_SECTION if elsewhere else 1.0)
                * (OTHER_SECTION if some_named and not named else 1.0)
                * (OTHER_SECTION if coded and ref.meta.doc_id not in coded else 1.0)
            )
            if profile.carried and not profile.carried & set(profile.coverage(f"{clean} {headings} {leads[i]}")[1]):
                # "Hvad bruges pengene til (seniorklubber)?": a sentence must be about the subject carried in, or
                # stand under it; "midlerne er anvendt til løntillæg" answers another section's money
                cover *= OTHER_SECTION
            elif phrase_in and id(ref) not in phrase_in:
                cover *= OTHER_SECTION
            if elsewhere_place:
                cover *= OTHER_PLACE  # "Hvornår besluttede Roskilde …": Copenhagen's budget note is not the source
            if ref.meta.doc_id in reply_docs and i not in replies:
                cover *= OTHER_SECTION  # minutes of questions and replies: a frame line is not what was answered
            if has_turns and profile.ask != PRIOR and not named:
                # a minister in a debate is not the administration's source for a budget or status question
                cover *= OTHER_SECTION
            if who_asked:
                cover = 1.0  # "Spørgsmålet er stillet efter ønske fra …": exactly what is asked
            elif only_who:
                cover *= 0.3  # what the minister answered is not who asked the question
            if (
                named
                and role in ("answer", None)
                and (i in replies or ref.meta.doc_id not in reply_docs)  # minutes: the replies are the answers
                and cover > 0
                and profile.coverage(_DATE_WORDS.sub(" ", clean))[0] > 0
            ):
                # "Hvad svarede ministeren den 11. oktober 2023 om …": the named answer's own sentences (on a
                # word of the question, not only on the date that names the answer: "… mødet den 27. oktober 2005.")
                cover = max(cover, PRIOR_ANSWER_COVER + 0.5 * cover)
            if profile.ask in (FIGURE, DATE):
                want = figure_wanted(profile.text) if profile.ask == FIGURE else "time"
                nb = max(covers[max(0, i - 2) : i] + covers[i + 1 : i + 2] or [0.0])
                if counts(clean, noun) if noun else want in kinds:
                    cover = max(cover, NEIGHBOUR_SHARE * nb)
            focused = (
                doc_about.get(ref.meta.doc_id, 0.0) >= FOCUS_DOC_ABOUT
                and role in ("answer", None)
                and profile.lexical.coverage(own_rows, f"{clean} {headings}")[0] >= FOCUS_OWN_COVER
                and profile.lexical.coverage(own_rows, clean)[0] > 0
            )
            if focused:
                cover = max(cover, pass_floor)
            out.append(
                Candidate(
                    ref,
                    rank,
                    clean,
                    span,
                    cover,
                    kinds,
                    role,
                    speaker,
                    fp,
                    named=named and (role == "answer" or who_asked),
                    lead=leads[i],
                    # (scaled as the cover is: another section, another municipality, a debate)
                    focus=focus_scale * min(1.0, cover / covers[i]) * profile.lexical.coverage(focus_rows, clean)[0]
                    if focus_rows and covers[i] > 0
                    else 0.0,
                    focused=focused,
                )
            )
    return _by_named_speaker(out, profile.text)


# "Hvordan ser ældreministeren på de pårørendes rolle?", "Hvad sagde social- og boligministeren …": a minister
# named as the one whose view or words are asked
_NAMED_MINISTER = re.compile(
    r"\b(?P<t>(?:[a-zæøå]+-\s+og\s+)?[a-zæøå]*minister(?:en)?)\s+(?:\w+\s+){0,2}?"
    r"(?:ser|så|sagde|sagt|siger|mener|mente|svarede|svaret|svarer|oplyste|oplyst|vurderer|vurderede|skrev|skrevet|lovede|udtalt|nævnt)\b"
    r"|\b(?:ser|så|sagde|sagt|siger|mener|mente|svarede|svaret|svarer|oplyste|oplyst|vurderer|vurderede|skrev|skrevet|lovede|udtalt|nævnt)\s+"
    r"(?P<t2>(?:[a-zæøå]+-\s+og\s+)?[a-zæøå]*minister(?:en)?)\b",
    re.I,
)
NAMED_SPEAKER_BONUS = 1.5  # a sentence in the named minister's own turn
OTHER_VOICE_FACTOR = 0.6  # a sentence in no turn of that minister, when the minister's words are asked


def _by_named_speaker(cands: list[Candidate], text: str) -> list[Candidate]:
    """When the part asks what a named minister said or thinks, that minister's own turns are the answer:
    their sentences count for more, and sentences outside any of that minister's turns (a budget note's
    "Pårørende ses som en bred kreds …") for less. Only when one of the candidates is in such a turn."""
    m = _NAMED_MINISTER.search(text)
    if not m:
        return cands
    title = (m.group("t") or m.group("t2") or "").lower()
    core = re.sub(r"en$", "", title.split()[-1])  # "ældreminister"
    if core in ("minister", ""):
        return cands
    theirs = [c for c in cands if c.role == "answer" and core in c.speaker.lower()]
    if not theirs:
        return cands
    for c in cands:
        if c in theirs:
            c.cover = min(1.0, c.cover * NAMED_SPEAKER_BONUS)
        else:
            c.cover *= OTHER_VOICE_FACTOR
    return cands


# how it is asked, beyond the how-words the profile's focus already leaves out ("Hvad foreslår forvaltningen konkret …")
_NOT_OWN = {"konkret", "konkrete"}

# a figure followed by the next cell or row's capitalised label: text of a flattened table, not prose
_ROW_RUN = re.compile(r"(?<![§\w.,])\d[\d.,]*\s+(?!(?:kr|mio|mia|pct|procent|Stk)\b)[A-ZÆØÅ][a-zæøå]")
_REASON = re.compile(r"\b(?:skyldes|fordi|idet|derfor|på\s+grund\s+af|grundet|årsagen|begrundelsen)\b", re.I)


def _asks_why(text: str) -> bool:
    return bool(re.search(r"\bhvorfor\b", text, re.I))


_DISTRIBUTION = re.compile(r"\bfordel(?:er|es|t|ingen)\b", re.I)  # "hvordan fordeler beløbet sig på …"
_RELATIVE_TIME = re.compile(
    r"\b(?:i\s+(?:denne|sidste|næste)\s+(?:uge|måned)|i\s+dag|i\s+går|i\s+morgen|i\s+år|til\s+næste\s+år|"
    rf"(?:medio|primo|ultimo|i\s+løbet\s+af|inden\s+udgangen\s+af)\s+(?:{'|'.join(MONTH_NAMES)}))\b",
    re.I,
)
_COUNT_ASK = re.compile(
    r"\bhvor\s+mange\s+(?:af\s+(?:de|dem|disse|\w+s)\s+)?(?:(?:nye|flere|andre|egne)\s+)?(?P<noun>[a-zæøå-]{4,})", re.I
)
_MONEY_NOUNS = {"penge", "kroner", "midler", "millioner", "mio", "tusind"}
_NUMBER = (
    r"(?:\d[\d.,]*|en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|elleve|tolv|tretten|fjorten|femten|tyve|tredive|"
    r"fyrre|halvtreds|hundrede|tusinde?)"
)


_COUNT_STOP = {"med", "til", "for", "i", "på", "om", "fra", "hos", "blandt", "under", "over", "og", "eller", "end"}


def counted_noun(text: str) -> str | None:
    """The thing a "hvor mange …" part counts ("livsmodsgrupper", "områder"; "planlagte samtaler" for an adjective
    before its noun, either word counting); None for money or no count."""
    m = _COUNT_ASK.search(text)
    if not m or m.group("noun").lower() in _MONEY_NOUNS:
        return None
    noun = m.group("noun").lower()
    # "hvor mange planlagte samtaler", "hvor mange ældre borgere": an adjective before the noun it counts
    nxt = re.match(r"\s+([a-zæøå-]{4,})\b", text[m.end() :], re.I)
    # (not a plural noun in -ere before its verb: "hvor mange borgere nåede …")
    after = nxt.group(1).lower() if nxt else ""
    if (
        after
        and noun.endswith("e")
        and not noun.endswith("ere")
        and after not in _FINITE
        and after not in _COUNT_STOP
        and not after.endswith("ede")
    ):
        return f"{noun} {after}"  # either counts: "40 unge borgere" answers "hvor mange unge sygemeldte"
    return noun


def counts(text: str, noun: str) -> bool:
    """``text`` gives a number of ``noun``: "i alle fem lokalområder" counts "områder", "33 madklubber"
    counts "madklubber"; a number of something else ("6 spørgsmål") does not."""
    from .analysis import stem

    if " " in noun:  # an adjective and its noun (``counted_noun``): a number of either
        return any(counts(text, n) for n in noun.split())
    want = stem(noun)
    low = text.lower()
    for m in re.finditer(rf"(?<![\wæøå]){_NUMBER}(?:\s*[-–]\s*\d+)?(?P<after>(?:\s+[a-zæøå%-]+){{1,4}})", low):
        for w in m.group("after").split():
            if w in _COUNT_STOP:
                break  # "18.000 planmæssige samtaler med ældre" counts samtaler, not ældre
            if w == noun:
                return True
            got = stem(w)
            # the same head: "løntillæg" / "fastholdelsestillæg", "områder" / "lokalområder"
            if got == want or len(commonprefix([got[::-1], want[::-1]])) >= 5:
                return True
    return False


def _years(text: str) -> set[int]:
    """The years a text names, a range "2025-2028" with the years between."""
    out: set[int] = set()
    for m in re.finditer(r"\b((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?\b", text):
        a, b = int(m.group(1)), int(m.group(2) or m.group(1))
        out |= set(range(a, b + 1)) if 0 <= b - a <= 30 else {a, b}
    return out


def _other_year(c: Candidate, text: str) -> bool:
    """The part asks for a year ("… i 2028?") and the sentence gives its figure for other years only."""
    asked = _years(text)
    said = _years(c.text)
    return bool(asked and said and not asked & said)


_HOW_LONG = re.compile(r"\bhvor\s+(?:længe|lang\s+tid)\b|\bi\s+hvilken\s+periode\b", re.I)
_PERIOD = re.compile(
    r"\b(?:\d+|en|et|to|tre|fire|fem|seks|syv|otte|ni|ti|tolv|flere|nogle|mange)\s+(?:dage|døgn|uger|måneder|år|timer)\b"
    r"|\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d\b|\b(?:frem\s+til|til\s+og\s+med|indtil|siden|varig\w*|permanent\w*)\b"
    r"|\bfra\s+\S+(?:\s+\S+){0,3}\s+til\b",
    re.I,
)


_NO_DATA = re.compile(
    r"\b(?:har\s+ikke\s+(?:viden|oplysninger|tal|data|kendskab|overblik)\s+(?:om|over)"
    r"|(?:ikke|ikke\s+været)\s+muligt\s+at\s+(?:indsamle|opgøre|oplyse|fremskaffe|tilvejebringe)"
    r"|(?:tal|data|oplysninger|opgørelser?)\s+(?:herom\s+)?(?:foreligger|findes)\s+ikke"
    r"|er\s+ikke\s+(?:opgjort|registreret)|ingen\s+(?:opgørelser?|viden|tal|data)\s+(?:om|over))",
    re.I,
)


def states_no_data(text: str) -> bool:
    """The sentence says the figure is not known or not collected ("… har ikke viden om, hvor mange …")."""
    return bool(_NO_DATA.search(text))


def _fits(c: Candidate, ask: str, text: str = "") -> bool:
    if ask == FIGURE and _other_year(c, text):
        return False  # "nettobudget udgør 1.356 mio. kr. i 2025" does not answer "… i 2028?"
    if ask == FIGURE and _NO_DATA.search(c.text):
        # "Ministeriet har ikke viden om, hvor mange friplejehjem der findes i Norge …": that no figure exists is
        # what the documents answer
        return True
    if ask == FIGURE:
        noun = counted_noun(text)
        if noun is not None:
            # "hvor mange livsmodsgrupper": a number of them, not any number in the sentence
            return counts(c.text, noun)
        return figure_wanted(text) in c.kinds
    if ask == DATE and _HOW_LONG.search(text):
        # "hvor længe varede det?": a period ("i tre måneder", "2022-2025", "frem til 2026"), not the date a
        # document or an answer carries ("svaret på spørgsmål nr. 64 af 21. december 2012")
        return bool(_PERIOD.search(c.text))
    if ask == DATE:
        # "det er sket i denne uge" in dated minutes: a time, told relative to the document's date (which
        # the attribution gives)
        return "time" in c.kinds or bool(c.ref.meta.date and _RELATIVE_TIME.search(c.text))
    if _asks_why(text):
        return bool(_REASON.search(c.text))  # "hvorfor?": the sentence that gives the reason
    return True


def _unknown_words(profile: Profile) -> list[str]:
    """Words of the part that no passage contains, whole, by compound parts or by a thesaurus word
    ("taxakørsel"). Used only to keep a table row from answering "taxakørsel til genoptræning"."""
    lex = profile.lexical
    if lex is None or not hasattr(lex, "df") or not profile._profile:
        return []
    from .analysis import weak_words
    from .thesaurus import load

    th = load()
    weak = weak_words(profile.text)
    compound_vocab = getattr(getattr(lex, "compound", None), "vocab_dict", None) or {}
    out = []
    for t, s, _w, parts in profile._profile:
        if not t.isalpha() or len(t) < 5 or lex.df(s) > 0:
            continue
        if parts and all(lex.df(p) > 0 for p in parts):
            continue
        if any(lex.df(a) > 0 for a in th.query_alternatives(s)):
            continue
        if s in compound_vocab:
            continue  # "pakken": written only inside compounds ("ensomhedspakke"), but written
        if t.lower() in weak or re.search(r"(?:et|te|ede)$", t.lower()) and t[:1].islower():
            continue  # "var regnet med", "blev afsat": how it is asked, not a thing the documents must name
        out.append(t)
    return out


def unknown_names(profile: Profile) -> list[str]:
    """Names in a part that no document in the index mentions ("Valby"): the documents cannot answer about them."""
    lex = profile.lexical
    if lex is None or not hasattr(lex, "df"):
        return []
    from .analysis import stem

    out = []
    from .analysis import QUERY_STOPWORDS, STOPWORDS, tokens

    for m in re.finditer(r"(?<=\s)([A-ZÆØÅ][a-zæøå]{3,}(?:-[A-Za-zæøåÆØÅ]+)*)", profile.text):
        w = m.group(1)
        if re.search(r"(?:^|[.!?:\n]|(?:^|\s)\(?(?:\d{1,2}|[a-h])[.)])\s*$", profile.text[: m.start()]):
            continue  # the first word of a sentence or list item ("… flere ting. Hvad …", "2) Hvor …"), not a name
        if w.lower() in QUERY_STOPWORDS or w.lower() in STOPWORDS:
            continue  # "Hvad", "Hvor": never a name, and never indexed
        forms = {w.lower(), *tokens(w)}  # "Frederiksberg-modellen" is indexed as one token
        # ("Cities" is written only in "Fast Track Cities-initiativet", indexed as one token: a name the documents have)
        starts = getattr(lex, "has_term_starting", None)  # (any index with ``df`` will do; only ours has this)
        if all(lex.df(stem(f)) == 0 and lex.df(f) == 0 for f in forms) and not (starts and starts(f"{w.lower()}-")):
            out.append(w)
    return out


def sentence_floor(profile: Profile) -> float:
    """The coverage a sentence needs: a third of the terms' weight, less for a long question with many terms."""
    n = len(profile.terms)
    return MIN_SENTENCE_COVER if n <= 3 else max(0.18, MIN_SENTENCE_COVER - 0.04 * (n - 3))


def _title_line(text: str) -> str:
    """A passage's first line when it reads as a heading the extraction did not mark ("Pilotforsøg vedrørende
    helhedsorienteret indsats (budget 2022)"): short, no sentence end. It names what the passage is about."""
    first = text.lstrip().split("\n", 1)[0].strip()
    return first if first and len(first.split()) <= 12 and not first.endswith((".", ":", "?", "!")) else ""


_HOW_MANY = re.compile(r"\bhvor\s+(?:mange|meget|stor[et]?)\b", re.I)


def _names_a_term(c: Candidate, terms: set[str]) -> bool:
    """Whether the sentence, its heading or the text it goes on from names any of the part's terms: the test the
    check applies to the finished draft (cite.verify_draft), so what is chosen passes it."""
    from .cite import LOOKBACK_CHARS, names_a_term

    if not terms:
        return True
    before = c.ref.passage.text[max(0, c.span[0] - LOOKBACK_CHARS) : c.span[0]] if c.span else ""
    return names_a_term(terms, f"{c.text} {' '.join(c.ref.passage.heading_path)} {c.lead} {before}")


# the retrieval's order: the best passage's sentence opened a correct answer on the blind sets 219 times in 320,
# the second's 28 in 70, the third's 8 in 31, a later one's never (10)
RANK_WEIGHT = 0.3  # (for the first sentence only: for the rest it brought the best passage's background sentences in)
FOCUS_OWN_COVER = 0.6  # the share of the ask's own words a sentence (with its heading) holds to answer it
FOCUS_DOC_ABOUT = 0.4  # … in a document that holds this share of the part's context words
FOCUS_DOC_SHARE = 0.8  # … and nearly as much as the document most about them
RELATED_COVER = 0.5  # cover of the chosen sentences for "the figure is not stated; this is what is said"
FOCUS_WEIGHT = 0.3  # the ask's own words beyond the section's subject, against the cover of all the words
FOCUS_ABOUT = 0.5  # the share of the question's other words a passage must hold for the focus to count in full


def choose(
    cands: list[Candidate], profile: Profile, limit: int, pool: Pool, sq_id: str
) -> tuple[list[Candidate], list[str], bool]:
    """Pick sentences; returns (chosen, sub-question ids whose answer already holds the best ones, answered).

    Answered means: together the chosen sentences (with the headings they stand under) cover at
    least half of the sub-question's term weight, and for a figure or a date one of them holds a
    figure (date) of the kind asked for and is itself on the question.
    """
    from .analysis import analyze

    floor = sentence_floor(profile)
    if cands and all(c.ref.pinned for c in cands):
        floor = 0.0  # the officer chose these passages: draft from them, best sentences first
    # "Hvor mange kommuner har ifølge ministeren …?": what was said, and the figure in it
    fit_ask = FIGURE if profile.ask == PRIOR and _HOW_MANY.search(profile.text) else profile.ask
    for c in cands:
        fit = _fits(c, fit_ask, profile.text)
        # the sentence that answers the ask ("… er kategoriseret som politisk", "Udvalget besluttede, at …")
        # ranks above sentences that only name the subject
        c.score = (
            c.cover * (1.0 if fit else 0.7)
            # (for a figure or a date, a sentence without one is not the answer however it is worded)
            + 0.3 * profile.asks_share(c.text) * (1.0 if fit else 0.5)
            + FOCUS_WEIGHT * c.focus * (c.cover > 0)
            + 0.03 / (c.rank + 1)
        )
    ranked = sorted((c for c in cands if c.cover >= floor), key=lambda c: -c.score)
    # the first sentence: the retrieval's order counts more in choosing it than in what may follow it
    fresh = [c for c in ranked if _key(c.text) not in pool.used]
    top = fresh[0].score if fresh else 0.0
    if fresh:
        leads = fresh
        if profile.ask in (FIGURE, DATE):
            # a figure asked: the sentence that holds one of the kind asked opens the answer when it is nearly as
            # good ("Der er i Budget 2022 afsat 0,3 mio. kr. årligt …" under "Hvor mange penge har der været sat af",
            # not the better-ranked "Hvis bevillingen ophører, vil der ikke være midler …", read blind r25)
            fitting = [c for c in fresh if _fits(c, fit_ask, profile.text)]
            if fitting and max(c.score for c in fitting) >= 0.8 * top:
                leads = fitting
        lead = max(leads, key=lambda c: c.score + (RANK_WEIGHT - 0.03) / (c.rank + 1))
        if lead is not fresh[0]:
            ranked = [lead, *(c for c in ranked if c is not lead)]
    if _DISTRIBUTION.search(profile.text) and any(_fits(c, profile.ask, profile.text) for c in ranked):
        # "hvordan fordeler beløbet sig på …": the parts with their amounts, not the sentences around them
        ranked = [c for c in ranked if _fits(c, profile.ask, profile.text)]
    from .cite import question_terms

    terms_asked = question_terms(profile.text)
    # a part about two places or sources ("hvad København kan lære af Roskilde og Frederiksberg") may take each
    several = len(named_municipalities(profile.text)) >= 2
    chosen: list[Candidate] = []
    earlier: list[str] = []
    seen_terms: list[set[str]] = []
    best_used = 0.0  # the best sentence for this part that an earlier part already gave
    for c in ranked:
        if len(chosen) >= limit:
            break
        k = _key(c.text)
        if k in pool.used:
            if not chosen:
                best_used = max(best_used, c.score)
            # "see the answer above" only when that answer holds what is asked: a figure for a figure
            fits_ask = profile.ask not in (FIGURE, DATE) or _fits(c, profile.ask, profile.text)
            if pool.used[k] != sq_id and pool.used[k] not in earlier and fits_ask:
                earlier.append(pool.used[k])
            continue
        terms = set(analyze(c.text))
        if any(len(terms & t) / (len(terms | t) or 1) > 0.6 for t in seen_terms):
            continue  # says the same as a sentence already chosen
        if chosen and not c.ref.pinned and not _names_a_term(c, terms_asked):
            continue  # shares no word of the part, nor does its heading: the check would mark it off the question
        if chosen and not c.ref.pinned and c.ref.meta.doc_id != chosen[0].ref.meta.doc_id and not several:
            # the first sentence says which document answers; a further sentence from another one shares words with
            # the part far more often than it answers it (on the blind sets, 19 of 104 such sentences stated a fact
            # the answer needed, against 167 of 333 further sentences from the same document)
            continue
        if chosen and c.score < 0.5 * max(chosen[0].score, top):
            break
        chosen.append(c)
        seen_terms.append(terms)
    if chosen and earlier and chosen[0].score < 0.5 * best_used:
        # the answer is in an earlier part; what is left is much weaker and would be padding
        chosen = []
    why = chosen and earlier and _asks_why(profile.text)
    if (
        why
        and not any(_fits(c, profile.ask, profile.text) for c in chosen)
        and any(_fits(c, profile.ask, profile.text) for c in ranked if _key(c.text) in pool.used)
    ):
        chosen = []  # "… og hvorfor?": the reason was given in the part above; the rest does not give one
    if not chosen:
        return chosen, earlier, False
    if all(c.ref.pinned for c in chosen):
        return chosen, earlier, True
    # what the chosen sentences say, with the sentences a continuation goes on from (its subject is there)
    context = " ".join(
        [c.text for c in chosen]
        + [c.lead for c in chosen]
        + [" ".join(c.ref.passage.heading_path) for c in chosen]
        + [_title_line(c.ref.passage.text) for c in chosen]
    )
    need = MIN_ANSWER_COVER
    if profile.ask == PRIOR and any(c.role == "answer" for c in chosen):
        need = PRIOR_ANSWER_COVER  # the answering party's own words in the document asked about
    answered = profile.coverage(context)[0] >= need or any(c.named or c.focused for c in chosen)
    if not answered and profile.ask == PRIOR and any(c.role == "answer" for c in chosen):
        # what an earlier answer said: the answering party's turn in a document that as a whole is about
        # what is asked (its question and answer together cover the part), however few words a sentence shares
        whole = " ".join(
            {
                c.ref.passage.chunk_id: f"{c.ref.meta.title} {c.ref.passage.text}" for c in chosen if c.role == "answer"
            }.values()
        )
        answered = profile.coverage(whole)[0] >= PRIOR_ANSWER_COVER
    # "Efter hvis ønske …?": a sentence saying after whose request answers it, whatever else it shares
    answered = answered or bool(_ASKS_WHO_ASKED.search(profile.text) and any(_WHO_ASKED.search(c.text) for c in chosen))
    if answered and unknown_names(profile):
        answered = False
    if answered and profile.ask in (FIGURE, DATE):
        answered = any(_fits(c, profile.ask, profile.text) and c.cover >= floor for c in chosen)
    elif answered and profile.ask == PRIOR and _HOW_MANY.search(profile.text):
        # "hvor mange plejeboliger sagde ministeren, at der er behov for": what was said must hold the figure
        noun = counted_noun(profile.text)  # "hvor mange nye plejeboliger": a number of them, not "spm. nr. 18"
        answered = any(counts(c.text, noun) if noun else figure_wanted(profile.text) in c.kinds for c in chosen)
    return chosen, earlier, answered


# --- the house voice -------------------------------------------------------

_FINITE = set(
    """er var har havde kan kunne vil ville skal skulle bør burde må måtte får fik bliver blev gives findes fandtes
    udgør udgjorde anbefaler anbefales anbefalede vurderer vurderes vurderede forventer forventes udløber udløb
    indgår omfatter omfattede betyder viser viste peger giver gav ligger lå står stod kommer kom går gik tager tog
    sker skete foreslår foreslås foreslog afsættes afsatte bruges brugte koster kostede modtager modtog tilbyder
    tilbydes arbejder arbejdede deltager ønsker ønskede mener mente oplyser oplyste besluttede beslutter fremgår
    drejer handler gælder gjaldt følger fortsætter dækker består rummer indebærer sikrer understøtter bidrager
    udbetales udbetaltes etableres etableredes tildeles tildeltes videreføres finansieres finansieredes styrkes
    iværksættes iværksattes gennemføres gennemførtes anvendes anvendtes indebar sendte sender""".split()
)
_SUBJECT_WORDS = set(
    """der det den de han hun man forvaltningen kommunen udvalget ministeriet regeringen ordningen bevillingen
    indsatsen projektet midlerne puljen tilbuddet initiativet notatet administrationen borgerne beboerne
    ældrerådet socialudvalget byrådet""".split()
)
_ADVERBS = {"ikke", "også", "altid", "aldrig", "kun", "derfor", "dog", "jo", "nu", "fortsat", "stadig", "allerede", "typisk", "gerne", "heller", "ofte", "samtidig", "desuden", "primært"}  # fmt: skip
_FRONT_WORDS = {"i", "til", "på", "med", "for", "fra", "efter", "inden", "ved", "under", "over", "siden", "derfor", "samlet", "herudover", "desuden", "endvidere", "dermed", "her", "der", "da", "som", "af", "om", "hertil", "samtidig", "endelig", "fremover", "fremadrettet", "ifølge"}  # fmt: skip


def subordinate(sentence: str) -> str | None:
    """``sentence`` as a clause after "at" (Danish subordinate word order), or None when no safe rule applies."""
    words = sentence.rstrip(".!?").split()
    if len(words) < 3:
        return None
    low = [w.lower().strip(",") for w in words]

    def move_adverbs(subject: list[str], verb: str, rest: list[str]) -> str:
        adv = []
        while rest:
            if rest[0].lower() in _ADVERBS:
                adv.append(rest.pop(0))
            elif len(rest) > 1 and f"{rest[0]} {rest[1]}".lower().rstrip(",") in (
                "samlet set",
                "i dag",
                "på sigt",
                "for nuværende",
            ):
                adv += [rest.pop(0), rest.pop(0)]
            else:
                break
        if adv and adv[-1].endswith(","):  # "vurderer samlet set, at …" -> "samlet set vurderer, at …"
            adv[-1] = adv[-1].rstrip(",")
            verb = verb + ","
        return " ".join([*subject, *adv, verb, *rest])

    # subject first: "Forvaltningen anbefaler ikke …" -> "forvaltningen ikke anbefaler …"
    if low[0] in _SUBJECT_WORDS and low[1] in _FINITE and "," not in words[0]:
        return move_adverbs([low[0]], words[1], words[2:])
    # "Bevillingen til X udgør …": a definite noun subject with up to four words before the verb
    if low[0].endswith(("en", "et", "ne")) and words[0][0].isupper() and low[0] not in _FRONT_WORDS:
        for i in range(1, min(6, len(words) - 1)):
            if "," in words[i - 1]:
                break
            if low[i] in _FINITE:
                return move_adverbs([low[0], *words[1:i]], words[i], words[i + 1 :])
    # fronted adverbial, inverted: "Til Budget 2026 udløber der …" -> "der til Budget 2026 udløber …"
    if low[0] in _FRONT_WORDS:
        for i in range(1, min(7, len(words) - 1)):
            fronted_end = i if "," in words[i - 1] and i > 1 else i
            if low[i] in _FINITE and low[i + 1] in _SUBJECT_WORDS:
                fronted = [words[0][0].lower() + words[0][1:], *words[1:fronted_end]]
                fronted[-1] = fronted[-1].rstrip(",")
                subj = low[i + 1]
                rest = words[i + 2 :]
                adv = []
                while rest and rest[0].lower() in _ADVERBS:
                    adv.append(rest.pop(0))
                return " ".join([subj, *fronted, *adv, words[i], *rest])
    return None


_KIND_NOUN = {
    "notat": "notatet",
    "budgetnotat": "budgetnotatet",
    "orienteringsnotat": "orienteringsnotatet",
    "baggrundsnotat": "baggrundsnotatet",
    "beslutning": "beslutningen",
    "referat": "referatet",
    "indstilling": "indstillingen",
}


def source_phrase(ref: SourceRef, administration: str = "") -> str:
    """How the house style names a source in a sentence: 'notatet "Demensindsatsen …" (1. april 2025)'."""
    m = ref.meta
    title = " ".join(m.title.split()).rstrip(".:")
    noun = "dokumentet"
    head, sep, rest = title.partition(":")
    if sep and head.lower() in _KIND_NOUN and rest.strip():
        noun, title = _KIND_NOUN[head.lower()], rest.strip()
    elif m.kind == DocKind.budget_note:
        noun = "budgetnotatet" if "budget" not in title.lower()[:12] else "publikationen"
    elif m.kind == DocKind.decision:
        noun = "beslutningen"
    elif m.kind == DocKind.minutes:
        noun = "referatet"
    elif m.kind == DocKind.transcript:
        noun = "forhandlingerne"
    if len(title) > 90:
        title = title[:87].rsplit(" ", 1)[0] + " …"
    when = format_date(m.date) if m.date and len(m.date) >= 10 else (m.date or "")
    who = m.authority or ""
    own = bool(administration) and who.endswith(administration)
    by = f" fra {who}" if who and not own else ""
    return f'{noun} "{title}"{by}' + (f" ({when})" if when else "")


def _answerer(c: Candidate) -> str:
    s = c.speaker.strip()
    if not s:
        return "ministeren"
    return s[0].lower() + s[1:]


_GENERIC_SUBJECT = re.compile(r"^(Bevillingen|Midlerne|Puljen)\s+(?!til\b|på\b|for\b|fra\b|er\s+afsat\s+til\b)")
_SECTION_NAME = re.compile(r"^(?P<name>[^()\n]{4,90}?)\s*\((?:budget|b)\s*\d{4}\)\s*$", re.I)


def named_subject(c: Candidate) -> Candidate:
    """ "Bevillingen blev finansieret etårigt i 2025 …" under the section "Madklubber på plejehjem (budget
    2022)" says which appropriation only by where it stands; quoted in an answer it must say it itself:
    "Bevillingen til madklubber på plejehjem blev finansieret …"."""
    m = _GENERIC_SUBJECT.match(c.text)
    if not m:
        return c
    title = _title_line(c.ref.passage.text)
    name = _SECTION_NAME.match(title) if title else None
    if not name:
        return c
    n = name.group("name").strip()
    from .analysis import analyze

    own = set(analyze(n))
    if own and len(own & set(analyze(c.text))) * 2 >= len(own):
        return c  # the sentence names it already ("Midlerne anvendes til rekruttering til seniorklubber …")
    if not named_municipalities(n.split()[0]):
        n = n[:1].lower() + n[1:]  # "Madklubber på plejehjem" -> "madklubber på plejehjem"; "København …" stays
    return replace(c, text=f"{m.group(1)} til {n} {c.text[m.end() :]}")


def attribute(c: Candidate, administration: str) -> str:
    """The first sentence from a source, with the source named once in plain Danish."""
    m = c.ref.meta
    body = c.text
    if m.kind == DocKind.prior_answer and c.role == "answer":
        spm = m.case_numbers.get("spm")
        when = format_date(m.date) if m.date and len(m.date) >= 10 else ""
        ref = f"spørgsmål {'nr. ' if spm and spm[:1].isdigit() else ''}{spm}" if spm else "et tidligere spørgsmål"
        lead = f"I svar på {ref}{f' af {when}' if when else ''}"
        clause = None if c.quote_only else subordinate(body)
        if clause:
            return f"{lead} oplyste {_answerer(c)}, at {clause}."
        return f'{lead} sagde {_answerer(c)}: "{body.rstrip()}"'
    if m.kind == DocKind.prior_answer and m.case_numbers.get("spm"):
        # the frame of a numbered answer (a minister's, not the administration's): "svaret på spørgsmål nr. 516 …"
        spm = m.case_numbers["spm"]
        when = format_date(m.date) if m.date and len(m.date) >= 10 else ""
        phrase = f"svaret på spørgsmål {'nr. ' if spm[:1].isdigit() else ''}{spm}{f' af {when}' if when else ''}"
    elif m.kind == DocKind.prior_answer:
        who = m.title.split(" - ")[0].removeprefix("Svar til ").strip() if m.title.startswith("Svar til") else ""
        when = format_date(m.date) if m.date and len(m.date) >= 10 else ""
        phrase = f"forvaltningens svar{f' til {who}' if who else ''}{f' af {when}' if when else ''}"
    else:
        phrase = source_phrase(c.ref, administration)
    clause = subordinate(body)
    if clause:
        return f"Det fremgår af {phrase}, at {clause}."
    return f"{body.rstrip('.!?')}, jf. {phrase}."


_ESTIMATE_RE = re.compile(
    r"\bskøn(?:net|nes|ne|s)?\b|\bskitse\w*|\bi\s+størrelsesordenen\b|\banslå\w*|\bestimat\w*", re.I
)


def _estimates(rows: list[SourceRef], texts: list[SourceRef]) -> set[str]:
    """Documents whose text (the passages drafted from) says their table's amounts are estimates."""
    docs = {r.meta.doc_id for r in rows}
    out = {r.meta.doc_id for r in texts if r.meta.doc_id in docs and _ESTIMATE_RE.search(r.passage.text)}
    # a table presented as a sketch ("Skitse til model og økonomi") holds estimates too
    out |= {r.meta.doc_id for r in rows if r.passage.table_row and _ESTIMATE_RE.search(r.passage.table_row.caption)}
    return out


_JF_TAIL = re.compile(r",\s+jf\.\s+(?P<src>.+)\.$")


def _move_attribution(lead: Sentence, items: list[Sentence]) -> tuple[Sentence, list[Sentence]]:
    """A summary sentence put before the rows gets the source reference the first row carried."""
    if not items or "Det fremgår af" in lead.text or ", jf. " in lead.text:
        return lead, items
    m = _JF_TAIL.search(items[0].text)
    if not m or not lead.citations or not items[0].citations:
        return lead, items
    lead = lead.model_copy(update={"text": f"{lead.text.rstrip('.')}, jf. {m.group('src')}."})
    items[0] = items[0].model_copy(update={"text": items[0].text[: m.start()] + "."})
    return lead, items


_RECOMMEND_RE = re.compile(r"\banbefal\w*|\bvidereføre\w*|\bpolitisk\s+vurdering", re.I)


def _cited(sentences: list[Sentence]) -> set[str]:
    return {c.key for s in sentences for c in s.citations}


def _rows_answer(profile: Profile) -> bool:
    """Whether table rows answer this kind of ask: an amount of money, a list, or a recommendation per item.

    "Hvor mange madklubber …" asks for a count the text states, not for the appropriation's amount;
    "Hvilket mål …" asks for one thing, not a list of rows.
    """
    from .table_answer import _NET_INCOME_ASK

    if _NET_INCOME_ASK.search(profile.text):
        return True  # "… områder, hvor indtægterne er større end udgifterne?": rows compared
    if profile.ask == FIGURE:
        return figure_wanted(profile.text) in ("money", "share")
    from .table_answer import extreme_item

    if extreme_item(profile.text) is not None:
        return True  # "Hvad er den største udgiftspost?": the row with the largest amount
    if profile.ask == LIST and re.match(r"\s*hvilke\b", profile.text, re.I):
        return True
    return bool(_RECOMMEND_RE.search(profile.text))


BRIDGE_SENTENCES = 3  # the best text sentences whose words may name the table row a part asks about


def bridged_labels(rows: list[SourceRef], cands: list[Candidate], profile: Profile) -> list[str]:
    """Row labels the best text evidence names, for a part that names no row itself.

    Asked "Hvad vil det koste at holde en årlig festdag for seniorer …?", the budget note's prose says
    "Seniortræf er en festlig dag, hvor …"; its table has the row "Seniortræf 1.000 1.000 1.000 3.000".
    The question shares no word with the label, the prose shares both: the row is what is asked.
    Only labels of the same document as the sentence, of five letters or more, named as whole words.
    """
    if not rows or not cands:
        return []
    from .table_answer import label_key, names_phrase

    floor = 0.5 * sentence_floor(profile)  # the sentence only names the row; the row must still be asked about
    best = sorted((c for c in cands if c.cover >= floor), key=lambda c: -c.cover)[:BRIDGE_SENTENCES]
    out: list[str] = []
    for c in best:
        where = " ".join([*c.ref.passage.heading_path, _title_line(c.ref.passage.text)])
        text = f"{c.text} {where}"
        for r in rows:
            ctx = r.passage.table_row
            if ctx is None or ctx.row.total or r.meta.doc_id != c.ref.meta.doc_id:
                continue
            label = label_key(ctx.row.label)
            # "hjælp til at bryde tabuet … (partnerskaber med frivillige)": named without its parenthesis
            core = re.sub(r"\s*\([^()]*\)\s*$", "", label)
            if len(core) >= 5 and label not in out and names_phrase(core, text):
                out.append(label)
    return out


def _figures(text: str) -> set[float]:
    """The amounts a sentence states (years and dates left out), as values: "1.356 mio." and "1.356,0 mio." alike."""
    from .cite import extract_quantities

    return {
        round(q.value, 3)
        for q in extract_quantities(text)
        if q.value is not None and q.unit not in ("date", "year", "month")
    }


class OfflineDrafter:
    """Extractive and ask-aware; no model needed."""

    name = "offline"

    def answer(self, sq: SubQuestion, sources: list[SourceRef], ctx) -> list[Sentence]:
        pool: Pool = ctx.pool if getattr(ctx, "pool", None) is not None else Pool()
        profile = make_profile(sq.text, getattr(ctx, "lexical", None))
        administration = ctx.question.addressee or ctx.settings.draft.administration
        rows = [r for r in sources if r.passage.table_row is not None]
        text_sources = [r for r in sources if r.passage.table_row is None]
        cands = candidates(sq, profile, text_sources, ctx.question.text)
        bridge = bridged_labels(rows, cands, profile)
        from_rows = (
            self._from_rows(sq, rows, text_sources, ctx, profile, pool, bridge) if _rows_answer(profile) else None
        )
        # a figure or a yes/no is answered in a sentence or two; a list or an explanation may take more
        limit = min(ctx.settings.draft.max_sentences, ASK_SENTENCES.get(profile.ask, 3))
        if profile.ask == FIGURE and _DISTRIBUTION.search(profile.text):
            limit = max(limit, min(ctx.settings.draft.max_sentences, 4))  # one amount per part of the whole
        only_refers = bool(from_rows) and all(s.status == Status.no_claim for s in from_rows)
        if from_rows is not None and not only_refers:
            limit = 1  # the table answers; one sentence of prose at most adds context
        chosen, earlier, answered = choose(cands, profile, limit, pool, sq.id)
        if only_refers:
            # "hvordan fordeler beløbet sig på …": the row's amount was given above; the prose may have the split
            split = profile.ask == FIGURE and _DISTRIBUTION.search(profile.text)
            if not (split and answered and any(_fits(c, profile.ask, profile.text) for c in chosen)):
                return from_rows  # the rows were given for an earlier part: refer to it, add nothing
            from_rows = None
        if from_rows is not None:
            from .table_answer import _NET_INCOME_ASK

            if _NET_INCOME_ASK.search(profile.text):
                return from_rows  # the rows compared are the answer; prose about the area's budget is another
            from .table_answer import extreme_item

            if extreme_item(profile.text) is not None:
                return from_rows  # "den største post": the row found by comparing the amounts is the answer
            keep = chosen[:2] if answered else []
            from .table_answer import refers_back as _refers

            if _refers(sq.text) and any(s.status != Status.no_claim for s in from_rows):
                keep = []  # "… de to …": answered for the rows the part before named; more prose is another answer
            if profile.ask == FIGURE and from_rows and from_rows[0].status == Status.no_claim:
                # the amount asked is the sum of the rows listed above; a sentence of prose with another
                # amount of money ("… bevillinger for i alt 54,0 mio. kr.") competes with it
                keep = [c for c in keep if "money" not in c.kinds]
            # ("… nettobudget udgør i alt 1.356 mio. kr. i 2025" after the row's "1.356,0 mio. kr. i 2025, …"): prose
            # whose every figure the rows already state says nothing new
            stated = _figures(" ".join(s.text for s in from_rows))
            keep = [c for c in keep if not (_figures(c.text) and _figures(c.text) <= stated)]
            if profile.ask == FIGURE and any(s.status != Status.no_claim for s in from_rows):
                # an amount read off the rows: prose with an amount of its own must be about those rows ("Pleje og
                # træning har udgifter på …" then "Sundheds- og Omsorgsudvalgets andel udgør 31 mio. kr." answered
                # another question, read blind r26)
                labels = " ".join(
                    r.passage.table_row.row.label for r in rows if r.passage.table_row and r.key in _cited(from_rows)
                )
                from .cite import names_a_term, question_terms

                label_terms = question_terms(labels)
                years = set(re.findall(r"\b(?:19|20)\d\d\b", profile.text))
                keep = [
                    c
                    for c in keep
                    if not ({"money", "amount"} & c.kinds)
                    or not years  # (a part that names no year: as before)
                    or names_a_term(label_terms, c.text)
                    or years & set(re.findall(r"\b(?:19|20)\d\d\b", c.text))
                ]
            prose = [s for c in keep if (s := self._sentence(c, pool, sq.id, administration))]
            if profile.ask == LIST and prose:
                lead, items = _move_attribution(prose[0], list(from_rows))
                return [lead, *items, *prose[1:]]  # a summary first, then the items
            if profile.ask == FIGURE and not (chosen and chosen[0].cover >= MIN_ANSWER_COVER):
                return from_rows  # the figure asked for is the answer; loosely related prose is padding
            return [*from_rows, *prose]
        if (not chosen or not answered) and rows and from_rows is None and not (earlier and not chosen):
            # the text does not answer; a table row may (a count or a date kept in a table)
            last = self._from_rows(sq, rows, text_sources, ctx, profile, pool, bridge)
            if last is not None:
                return last
        if not chosen:
            if earlier:
                ids = " og ".join(earlier)
                return [
                    Sentence(text=f"Der henvises til svaret på delspørgsmål {ids} ovenfor.", status=Status.no_claim)
                ]
            return []
        # the most direct answer first, then the rest in the order the sources give them
        first, rest = chosen[0], chosen[1:]
        order = {ref.key: i for i, ref in enumerate(sources)}
        rest.sort(key=lambda c: (order[c.ref.key], c.span[0]))
        if _CONTINUES.match(first.text):
            # "Resten finansieres ved …" goes on from a sentence before it: that one opens the answer
            lead = [c for c in rest if c.ref.key == first.ref.key and c.span[0] < first.span[0]]
            if lead:
                first, rest = lead[-1], [c for c in rest if c is not lead[-1]]
                rest.insert(0, chosen[0])
        before = set(pool.attributed)
        out = [s for c in [first, *rest] if (s := self._sentence(c, pool, sq.id, administration)) is not None]
        newly = pool.attributed - before
        if not answered:
            from .house_style import NO_DATE, NO_FIGURE, NO_INFO

            # what the material says about the subject is offered only when it is plainly about it: a sentence
            # sharing a word or two ("Metoden anvendes til at forebygge …") is padding the officer strikes out
            on_topic = profile.coverage(" ".join(c.text for c in chosen))[0] >= RELATED_COVER
            on_topic = on_topic and not unknown_names(profile)  # about another place: not "the topic" either
            if profile.ask == FIGURE and on_topic:
                return [Sentence(text=NO_FIGURE, status=Status.no_claim), *out]
            if profile.ask == DATE and on_topic:
                return [Sentence(text=NO_DATE, status=Status.no_claim), *out]
            for c in chosen:  # nothing said after all: free the sentences and sources for other parts
                pool.used.pop(_key(c.text), None)
            pool.attributed -= newly
            return [Sentence(text=NO_INFO, status=Status.no_claim)]
        return out

    @staticmethod
    def _sentence(c: Candidate, pool: Pool, sq_id: str, administration: str) -> Sentence | None:
        key = _key(c.text)  # (the source's own wording: what "used" means across parts)
        c = named_subject(c)
        doc = c.ref.meta.doc_id
        text = _unmarked(c.text)
        if c.quote_only and doc in pool.attributed:
            # the same answerer again: quoted, so the "jeg" stays the minister's, not the administration's
            who = _answerer(c)
            who = who.split(" (")[0]
            text = f'{who[:1].upper() + who[1:]} tilføjede: "{c.text.rstrip()}"'
        elif doc not in pool.attributed:
            text = _unmarked(attribute(c, administration))
            pool.attributed.add(doc)
        pool.used[key] = sq_id
        return Sentence(text=text, citations=[Citation(key=c.ref.key, chunk_id=c.ref.passage.chunk_id, span=c.span)])

    @staticmethod
    def _from_rows(
        sq: SubQuestion,
        rows: list[SourceRef],
        texts: list[SourceRef],
        ctx,
        profile: Profile,
        pool: Pool,
        bridge: Sequence[str] = (),
    ) -> list[Sentence] | None:
        """The answer from table rows as data (``table_answer``), when a row answers what is asked."""
        if not rows:
            return None
        from .table_answer import compose_from_rows, refers_back

        # "Hvordan har forvaltningen placeret de to …?": the rows the part before answered with
        before = pool.rows if refers_back(sq.text) else []
        ta = compose_from_rows(
            sq.text, ctx.question.text, rows, unknown=_unknown_words(profile), bridge=bridge, before=before
        )
        if ta is not None and (ta.sentences or ta.tables):
            pool.rows = [c.chunk_id for s in ta.sentences for c in s.citations if c.chunk_id]
        if ta is None or not (ta.sentences or ta.tables):
            return None
        shown = [pool.tables[t.caption] for t in ta.tables if t.caption in pool.tables]
        if ta.tables and len(shown) == len(ta.tables):
            ids = " og ".join(sorted(set(shown)))
            return [
                Sentence(
                    text=f"Der henvises til tabellen i svaret på delspørgsmål {ids} ovenfor.", status=Status.no_claim
                )
            ]
        for t in ta.tables:
            pool.tables.setdefault(t.caption, sq.id)
        fresh = [s for s in ta.sentences if _key(s.text) not in pool.used]
        if ta.sentences and not fresh and not ta.tables:
            if not _rows_answer(profile):
                # "Hvem har fået pengene?" after the amounts were given: the rows hold amounts, not who got them
                # ("Beløbene fremgår af svaret ovenfor" answered a who-question with amounts, read blind r25)
                return None
            earlier = sorted({pool.used[_key(s.text)] for s in ta.sentences})
            ids = " og ".join(earlier)
            back = Sentence(text=f"Beløbene fremgår af svaret på delspørgsmål {ids} ovenfor.", status=Status.no_claim)
            listed = {c.key for s in ta.sentences for c in s.citations}
            from .table_answer import extreme_sentence, superlative

            if (largest := superlative(sq.text)) is not None:
                # "hvor stort er det største af dem?": the one row, its own cell cited
                one = extreme_sentence([r for r in rows if r.key in listed], largest)
                if one is not None:
                    return [one]
            if profile.ask == FIGURE:
                # "og hvor meget koster de?": the listed rows' sum, explicit and checked against the cells
                from .table_answer import sum_sentence

                listed = {c.key for s in ta.sentences for c in s.citations}
                total = sum_sentence([r for r in rows if r.key in listed])
                if total is not None:
                    return [back, total]
            return [back]
        by_key = {r.key: r for r in rows}
        administration = ctx.question.addressee or ctx.settings.draft.administration
        estimated = _estimates(rows, texts)
        for i, s in enumerate(fresh):
            pool.used[_key(s.text)] = sq.id
            ref = by_key.get(s.citations[0].key) if s.citations else None
            if ref is not None and ref.meta.doc_id in estimated:
                # the document calls its amounts estimates ("Beløbene er skøn i størrelsesordenen"): say so
                s = fresh[i] = s.model_copy(update={"text": re.sub(r"\budgør\b", "skønnes at udgøre", s.text, count=1)})
            if ref is not None and ref.meta.doc_id not in pool.attributed:
                # the table's document named once, as for prose: "…, jf. beslutningen "…" (11. august 2025)."
                pool.attributed.add(ref.meta.doc_id)
                fresh[i] = s.model_copy(
                    update={"text": f"{s.text.rstrip('.')}, jf. {source_phrase(ref, administration)}."}
                )
        tables = getattr(ctx, "tables", None)
        if tables is not None and ta.tables:
            tables[sq.id] = list(ta.tables)
        return fresh or [Sentence(text="Tabellen nedenfor viser beløbene.", status=Status.no_claim)]


__all__ = ["OfflineDrafter", "Pool", "attribute", "subordinate", "source_phrase", "PRIOR"]
