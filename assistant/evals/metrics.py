"""Metric functions: pure, deterministic, unit-tested on hand-computed values.

Two groups:

* the retrieval and fact metrics the evals always had (hit@k, MRR, fact and passage
  recall, refusals, sub-question coverage); :func:`fact_found` and :func:`passage_found`
  are *the* "found" rules, used by the eval runner, ``assistant bench`` and
  ``scripts/ablation_at_scale.py`` alike;
* the draft metrics an officer would strike out, per expected sub-question
  (:func:`score_draft`): key-fact recall, precision, repeated sentences, voice
  violations, figure asked -> figure given, abstention per sub-question and split
  correctness by content. Their rules are documented in ``evals/README.md``
  ("Draft metrics per sub-question").
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from .gold import Fact, GoldItem, SubQ, collapse, dehyphenate

RETRIEVAL_METRICS = (
    "hit_at_1",
    "hit_at_3",
    "hit_at_5",
    "mrr",
    "fact_recall_at_5",
    "passage_recall_at_5",
    "context_precision",
    "context_recall",
)
DRAFT_METRICS = (
    "answer_fact_recall",
    "rouge_l",
    "string_similarity",
    "citation_validity",
    "numbers_verified_rate",
    "verified_rate",
    "uncited_rate",
    "uncited_per_draft",
    "subq_coverage",
    "subq_split_correct",
    "correct_refusal_rate",
    "false_refusal_rate",
    "latency_retrieval_ms_mean",
    "latency_draft_ms_mean",
    "latency_draft_ms_p95",
)
# the per-sub-question draft metrics (score_draft / aggregate_officer)
OFFICER_METRICS = (
    "key_fact_recall",
    "precision",
    "repeat_rate",
    "repeats_per_draft",
    "voice_violation_rate",
    "voice_violations_per_draft",
    "figure_given_rate",
    "subq_correct_abstention_rate",
    "subq_false_abstention_rate",
    "split_content",
    "split_content_exact",
)
# lower is better for these (the gate gives them a maximum)
LOWER_IS_BETTER = frozenset(
    {
        "uncited_rate",
        "uncited_per_draft",
        "false_refusal_rate",
        "repeat_rate",
        "repeats_per_draft",
        "voice_violation_rate",
        "voice_violations_per_draft",
        "subq_false_abstention_rate",
    }
)


# =====================================================================================
# retrieval, facts, passages, abstention (as before the split)
# =====================================================================================


def first_gold_rank(ranked_files: Sequence[str], gold_docs: Iterable[str]) -> int | None:
    """1-based rank of the first passage from a gold document; None when none is ranked."""
    gold = set(gold_docs)
    for i, name in enumerate(ranked_files, start=1):
        if name in gold:
            return i
    return None


def hit_at(rank: int | None, k: int) -> float:
    return 1.0 if rank is not None and rank <= k else 0.0


def reciprocal_rank(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def _significant_digits(raw: str) -> int:
    m = re.search(r"\d[\d.,]*", raw)
    digits = re.sub(r"\D", "", m.group(0).rstrip(".,")) if m else ""
    return len(digits.lstrip("0"))


def _claim_quantity(fact: str, claim: str):
    """The quantity in ``claim`` that states the bare number ``fact`` with its unit ("1.750" in "1.750 t.kr.")."""
    from ..cite import extract_quantities

    fq = extract_quantities(fact)
    if len(fq) != 1 or fq[0].unit is not None or fq[0].value is None:
        return None
    for cq in extract_quantities(claim):
        if cq.unit in ("kr", "pct", "pp") and cq.value is not None and abs(cq.value / cq.scale - fq[0].value) < 1e-9:
            return cq
    return None


def fact_found(fact: str, text: str, claim: str = "") -> bool:
    """Whether ``text`` states ``fact``: *the* rule for must-have facts (evals and bench alike).

    Case-insensitive, whitespace-collapsed substring match. A numeric fact must not match
    inside a longer number ("87" is not in "187") and is also found when ``text`` states
    the same quantity in another form under the citation checker's Danish normalisation
    (``cite.quantity_supported``: "54,0 mio. kr." is found in "54.044 t.kr."). A bare number
    ("1.750", as written in a table in 1.000 kr.) takes its unit from the quantity in
    ``claim`` that states it ("1.750 t.kr."), so "1,75 mio. kr." and "1.750.000 kr." count;
    and an amount or percentage in ``text`` with at least two significant digits that
    rounds the fact ("1,8 mio. kr." for 1.750 t.kr.) counts too.
    """
    from ..cite import extract_quantities, quantity_supported

    f, flat = collapse(fact).lower(), collapse(text).lower()
    qs = extract_quantities(fact)
    residue = fact
    for q in qs:
        residue = residue.replace(q.raw, " ")
    numeric = bool(qs) and not re.search(r"[A-Za-zÆØÅæøå]{4,}", residue)
    if not numeric:
        return f in flat
    # a number must not match inside a longer one ("87" is not in "187" or "87,5")
    # ("1.356" is stated by "1.356,0 mio. kr.": the same number with a zero decimal)
    if re.search(r"(?<![\d.,])" + re.escape(f) + r"(?:,0+)?(?!\d|[.,]\d)", flat):
        return True
    # the same amount in another form: "54,0 mio. kr." is stated by "54.044 t.kr."
    if all(quantity_supported(q, collapse(text)) for q in qs):
        return True
    cq = _claim_quantity(fact, claim) if claim else None
    if cq is None and len(qs) == 1 and qs[0].unit in ("kr", "pct", "pp"):
        cq = qs[0]
    if cq is None:
        return False
    if quantity_supported(cq, collapse(text)):
        return True
    # the text rounds the fact at its own precision ("1,8 mio. kr." for "1.750 t.kr.")
    return any(
        tq.unit == cq.unit and _significant_digits(tq.raw) >= 2 and quantity_supported(tq, cq.raw)
        for tq in extract_quantities(text)
    )


def fact_recall(facts: Sequence[str], texts: Sequence[str]) -> float | None:
    """Share of ``facts`` found in the concatenation of ``texts``; None without facts."""
    if not facts:
        return None
    joined = "\n".join(texts)
    return sum(fact_found(f, joined) for f in facts) / len(facts)


def passage_found(gold: str, text: str) -> bool:
    """Case-sensitive; whitespace-collapsed, with or without rejoined hyphenation."""
    g = collapse(gold)
    return g in collapse(text) or g in collapse(dehyphenate(text))


def passage_recall(gold_passages: Sequence[str], texts: Sequence[str]) -> float | None:
    if not gold_passages:
        return None
    return sum(any(passage_found(g, t) for t in texts) for g in gold_passages) / len(gold_passages)


def refused(answered: Sequence[bool]) -> bool:
    """A draft refuses when no sub-answer is answered."""
    return not any(answered)


def abstention_counts(records: Iterable[tuple[bool, bool]]) -> dict[str, float | int | None]:
    """From (answerable, refused) pairs: correct refusals on unanswerable, false refusals on answerable."""
    unans = ans = correct = false = 0
    for answerable, did_refuse in records:
        if answerable:
            ans += 1
            false += int(did_refuse)
        else:
            unans += 1
            correct += int(did_refuse)
    return {
        "unanswerable": unans,
        "answerable": ans,
        "correct_refusals": correct,
        "false_refusals": false,
        "correct_refusal_rate": correct / unans if unans else None,
        "false_refusal_rate": false / ans if ans else None,
    }


def subq_coverage(expected: Sequence[str], drafted: Sequence[str]) -> float:
    """Share of expected sub-questions that some drafted sub-question covers (>= half of its content stems)."""
    from ..analysis import analyze

    if not expected:
        return 1.0 if drafted else 0.0
    dsets = [set(analyze(d)) for d in drafted]
    covered = 0
    for e in expected:
        terms = set(analyze(e))
        if not terms:
            continue
        if any(len(terms & d) / len(terms) >= 0.5 for d in dsets):
            covered += 1
    return covered / len(expected)


def mean(values: Iterable[float | None]) -> float | None:
    vals = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return sum(vals) / len(vals) if vals else None


def ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (p in 0-100)."""
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


# =====================================================================================
# draft metrics per expected sub-question (what an officer would strike out)
# =====================================================================================

SUPPORT_OVERLAP = 0.5  # share of a sentence's content tokens that must lie in one relevant span
REPEAT_JACCARD = 0.8  # content-token Jaccard at which two sentences count as the same sentence
RESTATE_OVERLAP = 0.8  # share of a sentence's content tokens found in the question text
FIRST_PERSON = ("jeg", "mig", "min", "mit", "mine", "vi", "os", "vores")

_NUMBER_TOKEN = re.compile(r"(?<![\w])\d[\d.,]*\d|(?<![\w])\d")
# the offline drafter's attribution of a source: "Af <titel> (<myndighed>, <dato>) fremgår det:" and
# "Det fremgår af et tidligere svar (af <dato>) (<titel>):"; stripped before a sentence's own words are scored
_ATTRIBUTION = re.compile(
    r"^\s*(?:Af\s.{0,240}?\sfremgår\s+det:|Det\s+fremgår\s+af\s+et\s+tidligere\s+svar.{0,240}?:)\s*"
)
_PRIOR_LABEL = re.compile(r"^\s*Det\s+fremgår\s+af\s+et\s+tidligere\s+svar", re.I)
_FIRST_PERSON_RE = re.compile(r"(?<![\wæøåÆØÅ])(?:" + "|".join(FIRST_PERSON) + r")(?![\wæøåÆØÅ])", re.I)
_MIN_ABBREV = re.compile(r"(?<![\wæøå])min\.(?=\s*[a-zæøå\d,;)]|$)", re.I)  # "30 min." is minutes, not "my"
# quoted text, with any mix of Danish, English and typewriter quote marks ("„...“", "”...”", "’...’", "\"...”")
_QUOTE_CHARS = '„“”"«»‘’'
_QUOTED = re.compile(rf"(?:[„“”«‘]|(?<![\w])[\"’])[^{_QUOTE_CHARS}\n]{{0,400}}[“”\"»’‘](?![\w])")
# a question asking for a figure (hvor meget / mange / stor, koster, beløb)
ASKS_FIGURE_RE = re.compile(
    r"\bhvor\s+(?:meget|mange|stor|store|stort|høj|højt|høje)\b|\bkost(?:er|ede|e)\b|\bbeløb", re.I
)
# the asker's own words in a prior answer: the framing of a question, or a question
_ASKER_SPEECH = re.compile(r"stillet\s+(?:følgende\s+)?spørgsmål|\bspørgsmålet\s+lyder\b", re.I)
_PARTY_NAME = re.compile(r"\b[A-ZÆØÅ][a-zæøå]+(?:\s+[A-ZÆØÅ][a-zæøå]+)*\s+\([A-ZÆØÅ]{1,2}\)")
_QUESTION_SEGMENT = re.compile(r"stillet\s+(?:følgende\s+)?spørgsmål[^:]{0,80}:?\s*(.{0,600})", re.I | re.S)
ASKER_OVERLAP = 0.8  # share of a prior-answer sentence's content tokens found in the question it answered


def content_tokens(text: str) -> set[str]:
    """Content-word stems (the citation checker's: 6-letter prefixes, stop words out) plus the digits of numbers."""
    from ..cite import _stems

    nums = {re.sub(r"\D", "", m.group(0)) for m in _NUMBER_TOKEN.finditer(text)}
    return _stems(text) | {n for n in nums if n}


# the house-style attributions the drafter writes (compose.attribute): a lead clause ending in ", at", a
# quotation lead ending in ':', or a trailing ", jf. <kilde>." reference
_ATTRIBUTION_LEAD = re.compile(
    r"^\s*(?:Det\s+fremgår\s+af\s.{0,300}?,\s+at\s+|I\s+svar\s+på\s.{0,200}?\s(?:oplyste|sagde|skrev)\s.{0,120}?(?:,\s+at\s+|:\s*)"
    r"|[A-ZÆØÅ][\wæøå-]*(?:\s+\([^)]*\))?\s+tilføjede:\s*)"
)
_ATTRIBUTION_TAIL = re.compile(r",\s+jf\.\s.{3,300}\.$")


def strip_attribution(text: str) -> str:
    """The sentence without the drafter's source attribution (a lead clause, a quotation lead or a "jf." tail)."""
    out = _ATTRIBUTION.sub("", text, count=1)
    lead = _ATTRIBUTION_LEAD.match(out)
    if lead:
        out = out[lead.end() :]  # a quotation keeps its marks: the "jeg" inside is the answerer's
    out = _ATTRIBUTION_TAIL.sub(".", out)
    return out


_OPEN_QUOTE_TO_END = re.compile(rf"(?:[„“«]|(?<![\w])[\"”])[^{_QUOTE_CHARS}]*$")


def strip_quotes(text: str) -> str:
    """``text`` without quoted passages; a quote opened and not closed (it runs on past the sentence) ends it."""
    return _OPEN_QUOTE_TO_END.sub(" ", _QUOTED.sub(" ", text))


def span_overlap(sentence: str, span: str) -> float:
    """Share of the sentence's content tokens that occur in ``span`` (0 when the sentence has none)."""
    s = content_tokens(sentence)
    if not s:
        return 0.0
    return len(s & content_tokens(dehyphenate(span))) / len(s)


def near_same(a: str, b: str) -> bool:
    """Equal after collapsing case and whitespace, or content-token Jaccard >= REPEAT_JACCARD (3+ tokens each)."""
    if collapse(a).lower().rstrip(".") == collapse(b).lower().rstrip("."):
        return True
    ta, tb = content_tokens(a), content_tokens(b)
    if len(ta) < 3 or len(tb) < 3:
        return False
    return len(ta & tb) / len(ta | tb) >= REPEAT_JACCARD


def first_person(text: str) -> list[str]:
    """First-person pronouns outside quotation marks ("30 min." is not "min")."""
    t = _MIN_ABBREV.sub(" ", strip_quotes(text))
    return [m.group(0).lower() for m in _FIRST_PERSON_RE.finditer(t)]


def restates_question(sentence: str, question: str) -> bool:
    """The sentence mostly repeats the question: it states no number the question does not hold, and
    >= RESTATE_OVERLAP of its 3+ content tokens (words with "spørg..." left out) occur in the question text."""
    body = strip_attribution(sentence)
    s = {t for t in content_tokens(body) if not t.startswith("spørg")}  # "spørgsmålet er, ..." adds nothing
    if len(s) < 3:
        return False
    q = content_tokens(question)
    if any(t.isdigit() and t not in q for t in s):
        return False  # it states a figure the question does not hold
    return len(s & q) / len(s) >= RESTATE_OVERLAP


def asker_speech(sentence: str, cited_texts: Sequence[str], asker: str | None = None) -> str | None:
    """Why a sentence presented as a prior answer is really the asker's speech (None when it is not).

    Applies to sentences that cite a prior answer. It is the asker's speech when its words
    (after the attribution) frame or pose a question ("... har stillet følgende spørgsmål",
    "spørgsmålet lyder", a question mark), name a council member as "Navn (Parti)" or
    name the current asker, or when >= ASKER_OVERLAP of its content tokens lie in the
    question part of a cited passage (the quoted question after "stillet følgende spørgsmål").
    """
    body = strip_attribution(sentence).strip()
    if _ASKER_SPEECH.search(body):
        return "gengiver spørgsmålet som svar"
    if body.rstrip("»”\"' ").endswith("?"):
        return "et spørgsmål som svar"
    if re.search(r"\befter\s+ønske\s+fra\b", body, re.I):
        # "… stillet efter ønske fra Karina Adsbøl (DF)" reports who asked (what "efter hvis ønske?" asks),
        # from the answer's frame, which stands right after the quoted question
        return None
    if _PARTY_NAME.search(body):
        return "navngiver en spørger"  # any other "Navn (Parti)" in a prior answer's sentence is the asker's
    if asker:
        surname = re.sub(r"\s*\([^)]*\)\s*$", "", asker).split()[-1:]
        if surname and len(surname[0]) >= 3 and re.search(rf"\b{re.escape(surname[0])}\b", body):
            return "navngiver spørgeren"
    for t in cited_texts:
        for m in _QUESTION_SEGMENT.finditer(collapse(t)):
            if span_overlap(body, _question_part(m.group(1))) >= ASKER_OVERLAP:
                return "citerer spørgerens ord"
    return None


def _question_part(segment: str) -> str:
    """The quoted question at the start of ``segment`` (up to its closing quote mark, else its last "?")."""
    seg = segment.lstrip()
    if seg[:1] in _QUOTE_CHARS:
        end = re.search(r"[“”\"»]", seg[1:])
        return seg[1 : end.start() + 1] if end else seg
    q = seg.rfind("?")
    return seg[: q + 1] if q >= 0 else seg


def names_subject(part: SubQ, text: str) -> bool:
    """A produced text names the part's subject: every subject word occurs in it as a lower-cased substring of
    its first six letters (so inflections, stems and compound parts count: "politisk" is named by "politikerne",
    "madklubber" by "madklubberne"). Old-format parts (no subject): it shares half of the part's content stems."""
    if part.subject:
        low = collapse(text).lower()
        return all(all(w[:6] in low for w in s.split()) for s in part.subject)
    from ..analysis import analyze

    terms = set(analyze(part.text))
    return bool(terms) and len(terms & set(analyze(text))) / len(terms) >= 0.5


def match_parts(parts: Sequence[SubQ], produced: Sequence[str]) -> list[int | None]:
    """One-to-one match of expected parts to produced sub-question texts.

    A produced part can match an expected part only when it names that part's subject
    (:func:`names_subject`); among those, pairs are taken greedily by the share of the
    expected text's content stems the produced text shares (ties: document order).
    Returns, per expected part, the index of its produced part or None.
    """
    from ..analysis import analyze

    pairs = []
    for i, p in enumerate(parts):
        terms = set(analyze(p.text))
        for j, t in enumerate(produced):
            if names_subject(p, t):
                share = len(terms & set(analyze(t))) / len(terms) if terms else 0.0
                pairs.append((-share, i, j))
    out: list[int | None] = [None] * len(parts)
    if len(parts) > 0 and len(produced) <= 12:
        # the assignment with the most matches and then the largest total share (an exact search over which
        # produced parts are used), so that one produced part naming two expected parts' words does not take
        # the wrong one ("Hvor langt er Roskilde med at få penge fra Arbejdstilsynet …" against "Hvad er status
        # på ansøgningen …" and "Hvor stort et beløb har Arbejdstilsynet bevilget …")
        share = {(i, j): -neg for neg, i, j in pairs}

        @cache
        def best(i: int, used: int) -> tuple[float, tuple[int | None, ...]]:
            if i == len(parts):
                return 0.0, ()
            score, rest = best(i + 1, used)
            choice: tuple[float, tuple[int | None, ...]] = (score, (None, *rest))
            for j in range(len(produced)):
                if (i, j) in share and not used & (1 << j):
                    score, rest = best(i + 1, used | (1 << j))
                    score += 1.0 + share[(i, j)]  # a match counts first, then how much of the part it shares
                    if score > choice[0] + 1e-12:
                        choice = (score, (j, *rest))
            return choice

        return list(best(0, 0)[1])
    used: set[int] = set()
    for _, i, j in sorted(pairs):
        if out[i] is None and j not in used:
            out[i] = j
            used.add(j)
    return out


def asks_figure(part: SubQ) -> bool:
    return part.ask == "figure" if part.ask else bool(ASKS_FIGURE_RE.search(part.text))


def figure_given(part: SubQ, sentences: Sequence[str]) -> bool:
    """Some sentence states an amount/count (not a date or year) and names the part's subject."""
    from ..cite import extract_quantities

    for s in sentences:
        body = strip_attribution(s)
        if not any(q.value is not None and q.unit not in ("date", "year", "month") for q in extract_quantities(body)):
            continue
        if part.subject:
            if names_subject(part, s):
                return True
        else:
            from ..analysis import analyze

            if set(analyze(part.text)) & set(analyze(s)):
                return True
    return False


_BACK_REF_RE = re.compile(r"^Der henvises til svaret på delspørgsmål (?P<ids>[\d, og]+) ovenfor\.$")


def abstained(sub_answer, draft=None) -> bool:
    """A sub-answer abstains when it is marked unanswered or says only that the figure is not known: the
    no-information sentence, a source's own "har ikke viden om, hvor mange …" (what the documents answer to
    "hvor mange friplejehjem er der i Sverige?"), or a reference to an earlier part that says only that."""
    from ..compose import states_no_data
    from ..draft import NO_INFO

    texts = [collapse(s.text) for s in sub_answer.lines()]  # sentences and answer-table lines
    if (not sub_answer.answered) or not texts or all(t == NO_INFO for t in texts):
        return True
    earlier = {a.sub_question.id: a for a in (draft.sub_answers if draft is not None else [])}
    for t in texts:
        ref = _BACK_REF_RE.match(t)
        if ref:
            ids = re.findall(r"\d+", ref.group("ids"))
            if not ids or not all(
                i in earlier and earlier[i] is not sub_answer and _says_no_data(earlier[i]) for i in ids
            ):
                return False
        elif t != NO_INFO and not states_no_data(t):
            return False
    return True


def _says_no_data(sub_answer) -> bool:
    from ..compose import states_no_data

    return any(states_no_data(collapse(s.text)) for s in sub_answer.lines())


def score_draft(item: GoldItem, draft) -> dict[str, Any]:
    """Per-sub-question and per-sentence judgements of one draft against one gold item.

    ``draft`` is a :class:`assistant.models.Draft`; ``item.parts`` must be filled
    (``gold.with_parts`` / ``resolve_item``). Returns a JSON-ready dict with ``parts``
    (one row per expected sub-question), ``sentences`` (one row per draft sentence) and
    the item's counts (``claims``, ``supported``, ``repeats``, ``voice`` ...), which
    :func:`aggregate_officer` sums over a set.
    """
    from ..models import DocKind, Status

    parts = item.parts
    subs = draft.sub_answers
    match = match_parts(parts, [a.sub_question.text for a in subs])
    part_of_sub: dict[int, int] = {j: i for i, j in enumerate(match) if j is not None}
    all_text = "\n".join(s.text for a in draft.sub_answers for s in a.lines())
    question = item.question or draft.question.raw
    sources = {s.key: s for s in draft.sources}
    gold_answer_spans: list[str] = []
    if item.gold_answer:
        from ..cite import split_sentences

        gold_answer_spans = split_sentences(item.gold_answer)

    # per sentence ---------------------------------------------------------------------
    rows: list[dict[str, Any]] = []
    seen: list[tuple[int, str]] = []  # (row index, body) of earlier claim sentences
    for j, a in enumerate(subs):
        pi = part_of_sub.get(j)
        if pi is not None:
            facts = [*parts[pi].facts, *item.unassigned_facts]
            spans = list(parts[pi].relevant)
        else:  # an extra part: judged against the whole item
            facts = [f for p in parts for f in p.facts] + item.unassigned_facts
            spans = [r for p in parts for r in p.relevant]
        spans += gold_answer_spans
        for s in a.lines():  # its sentences and its answer-table lines
            body = strip_attribution(s.text)
            row: dict[str, Any] = {"sub": j, "part": pi, "text": s.text, "claim": s.status != Status.no_claim}
            problems: list[str] = []
            if row["claim"]:
                fact = next((f.text for f in facts if fact_found(f.text, body, f.claim)), None)
                best = max((span_overlap(body, sp) for sp in spans), default=0.0)
                question_mark = body.rstrip("»”\"' ").endswith("?")  # a question supports nothing
                row["supported"] = not question_mark and (fact is not None or best >= SUPPORT_OVERLAP)
                row["support"] = (
                    "et spørgsmål" if question_mark else f"fakta: {fact}" if fact else f"overlap {best:.2f}"
                )
                if not row["supported"]:
                    problems.append("uden for emnet")
                rep = next((k for k, b in seen if near_same(body, b)), None)
                if rep is not None:
                    row["repeat_of"] = rows[rep]["text"][:80]
                    problems.append("gentaget")
                seen.append((len(rows), body))
            voice: list[str] = []
            fp = first_person(body)
            if fp:
                voice.append(f"første person ({', '.join(dict.fromkeys(fp))})")
            if row["claim"] and restates_question(s.text, question):
                voice.append("gentager spørgsmålet")
            cited = [sources[c.key] for c in s.citations if c.key in sources]
            prior = [c.passage.text for c in cited if c.meta.kind == DocKind.prior_answer]
            if prior or _PRIOR_LABEL.match(s.text):
                why = asker_speech(s.text, prior, item.asker or draft.question.asker)
                if why:
                    voice.append(why)
            row["voice"] = voice
            problems += voice
            row["problems"] = problems
            rows.append(row)

    # per expected part ----------------------------------------------------------------
    everything_abstained = bool(subs) and all(abstained(a, draft) for a in subs)
    prow: list[dict[str, Any]] = []
    for i, p in enumerate(parts):
        j = match[i]
        sa = subs[j] if j is not None else None
        did_abstain = abstained(sa, draft) if sa is not None else everything_abstained
        r: dict[str, Any] = {
            "text": p.text,
            "answerable": p.answerable,
            "matched": j,
            "produced": sa.sub_question.text if sa is not None else None,
            "abstained": did_abstain,
        }
        if p.answerable and p.facts:
            found = [f.text for f in p.facts if fact_found(f.text, all_text, f.claim)]
            r["fact_recall"] = len(found) / len(p.facts)
            r["missing_facts"] = [f.text for f in p.facts if f.text not in found]
        if p.answerable and asks_figure(p):
            # unmatched (merged into another part, or split off from its subject): any sentence of the draft
            pool = sa.lines() if sa is not None else [s for a in subs for s in a.lines()]
            r["figure_given"] = figure_given(p, [s.text for s in pool if s.status != Status.no_claim])
        prow.append(r)
    extra = [{"fact_recall": fact_recall_of(item.unassigned_facts, all_text)}] if item.unassigned_facts else []
    claims = [r for r in rows if r["claim"]]
    return {
        "parts": prow,
        "sentences": rows,
        "fact_recalls": [r["fact_recall"] for r in prow if "fact_recall" in r] + [e["fact_recall"] for e in extra],
        "claims": len(claims),
        "supported": sum(bool(r.get("supported")) for r in claims),
        "repeats": sum("repeat_of" in r for r in rows),
        "sentences_n": len(rows),
        "voice": sum(bool(r["voice"]) for r in rows),
        "figure_asked": sum("figure_given" in r for r in prow),
        "figure_given": sum(bool(r.get("figure_given")) for r in prow),
        "parts_answerable": sum(p.answerable for p in parts),
        "parts_unanswerable": sum(not p.answerable for p in parts),
        "correct_abstentions": sum(r["abstained"] and not r["answerable"] for r in prow),
        "false_abstentions": sum(r["abstained"] and r["answerable"] for r in prow),
        "parts_matched": sum(r["matched"] is not None for r in prow),
        "parts_n": len(parts),
        "produced_n": len(subs),
        "split_exact": all(r["matched"] is not None for r in prow) and len(subs) == len(parts),
    }


def fact_recall_of(facts: Sequence[Fact], text: str) -> float | None:
    if not facts:
        return None
    return sum(fact_found(f.text, text, f.claim) for f in facts) / len(facts)


def aggregate_officer(scores: Sequence[Mapping[str, Any]]) -> dict[str, float | None]:
    """Set-level values of :data:`OFFICER_METRICS` from :func:`score_draft` results.

    ``key_fact_recall`` is the mean over scored sub-questions (each weighs the same);
    the rates are micro averages (sentences, parts); ``split_content_exact`` is the
    share of drafts whose every expected part is matched with no part left over.
    """

    def tot(k: str) -> int:
        return sum(int(s[k]) for s in scores)

    return {
        "key_fact_recall": mean(v for s in scores for v in s["fact_recalls"]),
        "precision": ratio(tot("supported"), tot("claims")),
        "repeat_rate": ratio(tot("repeats"), tot("claims")),
        "repeats_per_draft": ratio(tot("repeats"), len(scores)),
        "voice_violation_rate": ratio(tot("voice"), tot("sentences_n")),
        "voice_violations_per_draft": ratio(tot("voice"), len(scores)),
        "figure_given_rate": ratio(tot("figure_given"), tot("figure_asked")),
        "subq_correct_abstention_rate": ratio(tot("correct_abstentions"), tot("parts_unanswerable")),
        "subq_false_abstention_rate": ratio(tot("false_abstentions"), tot("parts_answerable")),
        "split_content": ratio(tot("parts_matched"), tot("parts_n")),
        "split_content_exact": mean(float(s["split_exact"]) for s in scores) if scores else None,
    }
