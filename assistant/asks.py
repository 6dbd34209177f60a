"""What a sub-question asks for, and the words an answer must be about.

``classify_ask`` tells a figure question ("hvor mange", "hvad koster") from a date question
("hvornår"), a list ("hvilke …"), a yes/no question ("Vil forvaltningen …"), a question about
what was answered before, or a request for an explanation. ``Profile`` holds the sub-question's
specific terms, weighted by how rare they are in the index, so that "taxakørsel" or "Valby"
decides whether a passage is on the question and "kommunen" does not.

Pure functions; the term weights come from the index's lexical side when there is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

FIGURE, DATE, LIST, YESNO, PRIOR, EXPLAIN = "figure", "date", "list", "yesno", "prior", "explain"

_FIGURE_RE = re.compile(
    r"\b(?:hvor\s+(?:mange|meget|stor[et]?|høj[et]?|lange?(?!\s+tid)|langt(?!\s+(?:er|var|har|havde|nået|kommet)\b))|hvad\s+(?:koster|kostede|vil\s+\w+(?:\s+\w+){0,8}\s+koste|"
    r"forventes\s+\w+(?:\s+\w+){0,12}\s+(?:at\s+)?koste|er\s+(?:prisen|udgiften|udgifterne|beløbet|budgettet)|udgør|"
    # "Hvad er nettobudgettet til …", "Hvad var bruttoudgiften …"
    r"(?:er|var|bliver)\s+(?:(?!(?:med|for|til|af|om|baggrund\w*|formål\w*|status\w*)\s)[\wæøå-]+\s+){0,4}"
    r"\w*(?:budget|udgift|beløb)(?:tet|en|et|erne)?\b|"
    r"(?:er|var)\s+der\s+(?:allerede\s+|tidligere\s+|oprindeligt\s+)?(?:budgetteret|afsat|bevilget|sat\s+af))|budgetteret\s+(?:med|til)|"
    r"hvilket\s+beløb|hvilke\s+beløb|antal(?:let)?\s+af|beløb(?:et)?|udgift(?:en|er|erne)?\s+til|"
    r"koster|kostede|kostet|prisen\s+på|budget(?:tet)?\s+(?:til|for)|"
    # "Hvad lander den samlede nettoudgift på i 2028?", "Hvad ender udgiften på?"
    # "Hvad regner kommunen med at bruge netto på …?", "Hvad har kommunen brugt på taxakørsel?": an amount
    r"hvad\s+(?:\w+\s+){0,5}?(?:bruge|bruger|brugt|brugte)\s+(?:\w+\s+){0,2}?(?:på|til)\b|"
    r"fordeler\s+sig\s+på|fordelt\s+på|hvad\s+(?:skal\s+der\s+|vil\s+der\s+)?(?:bruges|afsættes|går)\s+(?:der\s+)?(?:på|til)|"
    # (in an indirect question's order: "… spørge, hvad den foreslåede forsøgsordning samlet vil koste")
    r"hvad\s+(?:[\wæøå-]+\s+){1,10}?(?:vil|skal|kan|ville|skulle)\s+koste\b|"
    # (in an indirect question's order: "… oplyse, hvad udvalgets samlede nettobudget er i årene 2025-2028")
    r"hvad\s+(?:[\wæøå-]+\s+){0,4}?\w*(?:budget|udgift|beløb)\w*\s+(?:er|var|bliver|blev|udgør|udgjorde)\b|"
    r"hvad\s+(?:lander|ender|løber)\s+(?:\w+\s+){0,8}?\w*(?:udgift\w*|budget\w*|beløb\w*|bevilling\w*)\b|"
    # "Hvad siger tallene om …?", "Hvilke tal om behovet …?": figures asked for
    r"hvad\s+(?:siger|viser|sagde|viste)\s+tallene|hvad\s+tallene\s+(?:\w+\s+){0,3}?(?:siger|viser)|hvilke\s+tal\b|"
    # "Hvordan udvikler posten for pleje og træning sig over årene 2025-2028?": the amounts year by year
    r"hvordan\s+(?:[\w-]+\s+){0,8}?(?:udvikler|udviklede|ser)\s+(?:[\w-]+\s+){0,8}?(?:sig|ud)\s+(?:[\w-]+\s+){0,4}?"
    r"(?:år|årene|perioden|(?:19|20)\d\d)|\w*budget(?:tet)?\s+(?:til|for\s+(?:hvert|årene|(?:19|20)\d\d)))\b",
    re.I,
)
# "hvor længe", "hvor lang tid", "i hvilken periode": a period is a date answer ("i 2022-2024", "til og med 2025")
_DATE_RE = re.compile(
    r"\b(?:hvornår|hvilken\s+dato|hvilket\s+år|tidsplan(?:en)?|tidspunkt(?:et)?|hvor\s+længe|hvor\s+lang\s+tid|"
    r"i\s+hvilken\s+periode|hvilken\s+periode)\b",
    re.I,
)
_PRIOR_RE = re.compile(
    r"\b(?:tidligere\s+svar|(?:har|havde)\s+\w+\s+(?:svaret|oplyst|besvaret)|hvad\s+(?:svarede|sagde|oplyste)|"
    r"svarede|besvarede|i\s+svar\s+på|hvem\s+(?:svarede|besvarede)|hvad\s+var\s+svaret|spørgsmål\s+(?:nr\.\s*)?S?\s?\d+|"
    r"efter\s+(?:hvis\s+ønske|ønske\s+fra\s+(?:hvem|hvilke[nt]?))|hvem\s+stillede|"
    # "Hvem har ifølge ministeren ansvaret …?": what the minister said
    r"ifølge\s+(?:\w+-\s+og\s+)?\w*minister(?:en|ens\s+svar)|ifølge\s+(?:svaret|besvarelsen)|"
    # "Hvorfor mener ministeren, at …?": a minister's view is what the minister has said
    r"(?:mener|mente)\s+(?:\w+-\s+og\s+)?\w*ministeren)",
    re.I,
)
_LIST_RE = re.compile(r"^\s*(?:hvilke|hvilken|hvilket|hvem)\b", re.I)
_YESNO_RE = re.compile(
    r"^\s*(?:vil|kan|er|har|bør|skal|agter|påtænker|overvejer|findes|ønsker|mener|forventer)\s+"
    r"(?:forvaltningen|ministeren|borgmesteren|rådmanden|kommunen|udvalget|administrationen|man|der|du)\b",
    re.I,
)
_EMBEDDED_RE = re.compile(
    r"^\s*(?:(?:kan|vil)\s+\w+\s+(?:oplyse|redegøre\s+for|beskrive|forklare)"
    # "Jeg beder forvaltningen oplyse, hvad …", "Jeg vil gerne have oplyst, hvor mange …", "Endelig ønsker jeg oplyst, …"
    r"|(?:jeg|vi)\s+(?:beder|vil\s+(?:gerne\s+)?bede)\s+(?:forvaltningen|jer|dig)\s+(?:om\s+at\s+)?"
    r"(?:oplyse|redegøre\s+for|beskrive|forklare)"
    r"|(?:jeg|vi)\s+(?:vil\s+)?(?:gerne\s+)?(?:have\s+)?(?:oplyst|vide)"
    r"|(?:endelig\s+|desuden\s+|også\s+)?ønsker\s+(?:jeg|vi)\s+(?:desuden\s+|også\s+)?oplyst)\s*,?\s*(?P<rest>.+)$",
    re.I,
)


def classify_ask(text: str) -> str:
    """The kind of answer ``text`` asks for: figure, date, list, yesno, prior or explain."""
    t = " ".join(text.split())
    at = context_end(t)
    if at > 0 and len(t[at + 1 :].split()) >= 3:
        t = t[at + 1 :].strip(" :")  # the asking sentence says what kind of answer; the context before it does not
    m = _EMBEDDED_RE.match(t)
    inner = m.group("rest") if m else t  # "Kan forvaltningen oplyse, hvor mange ..." asks for a figure
    if _PRIOR_RE.search(t):
        return PRIOR
    if _FIGURE_RE.search(inner):
        return FIGURE
    if _DATE_RE.search(inner):
        return DATE
    if _LIST_RE.match(inner):
        return LIST
    if m and re.match(r"\s*om\b", inner, re.I):
        return YESNO
    if _YESNO_RE.match(t) and not (m and re.match(r"\s*(?:hv\w+|i\s+hvilke[nt]?)\b", inner, re.I)):
        return YESNO  # (not "Kan forvaltningen oplyse, hvordan …": the clause after it asks)
    return EXPLAIN


@dataclass
class Profile:
    """A sub-question's specific terms and how to measure a text's coverage of them."""

    text: str
    ask: str
    lexical: object | None = None  # the index's LexicalIndex (coverage with idf and compounds), or None
    _profile: list = field(default_factory=list)
    _plain: set[str] = field(default_factory=set)
    ask_terms: set[str] = field(default_factory=set)  # stems of how it is asked ("kategoriseret", "besluttede")
    # alternatives named as examples ("tiltag fra Roskilde (cirkler, social henvisning, mv)"): one of them is enough
    groups: list[list[set[str]]] = field(default_factory=list)
    # the ask's own words: not a context sentence before it, nor the subject carried in "(…)" from a part before
    focus: set[str] = field(default_factory=set)
    carried: set[str] = field(default_factory=set)  # the words of that carried subject

    def asks_share(self, text: str) -> float:
        """Share of the ask's own verbs and adjectives in ``text`` (ranks the sentence that answers the ask)."""
        if not self.ask_terms:
            return 0.0
        from .analysis import analyze, same_term

        words = set(analyze(text))
        # "mente" asked, "vurderer" written: the thesaurus's words count as the ask's own
        return sum(any(same_term(a, w) for w in words) for a in self.ask_terms) / len(self.ask_terms)

    def coverage(self, text: str) -> tuple[float, list[str]]:
        """Idf-weighted share of the specific terms found in ``text`` (0-1) and which matched.

        Terms of an enumeration of alternatives count as one: the best-covered alternative's weight
        against the heaviest alternative's, so a passage about one of the examples is on the question.
        """
        if self.lexical is not None and self._profile:
            share, matched = self.lexical.coverage(self._profile, text)
            if not self.groups:
                return share, matched
            weight = {t: w for t, _s, w, _p in self._profile}
            got = set(matched)
            grouped = {t for g in self.groups for item in g for t in item}
            total = sum(w for t, w in weight.items() if t not in grouped)
            have = sum(w for t, w in weight.items() if t not in grouped and t in got)
            for g in self.groups:
                items = [[t for t in item if t in weight] for item in g]
                items = [i for i in items if i]
                if not items:
                    continue
                heaviest = max(sum(weight[t] for t in i) for i in items)
                total += heaviest
                # the best-covered alternative, as a share of itself: "social henvisning" in full counts in full
                have += heaviest * max(sum(weight[t] for t in i if t in got) / sum(weight[t] for t in i) for i in items)
            return (have / total if total else 0.0), matched
        from .analysis import analyze

        if not self._plain:
            return 0.0, []
        got = self._plain & set(analyze(text))
        return len(got) / len(self._plain), sorted(got)

    def focus_rows(self, exclude: set[str]) -> list:
        """The profile rows of the ask's own words (not its context or carried subject), less ``exclude``."""
        if self.lexical is None or not self.focus:
            return []
        rows = [r for r in self._profile if r[0] in self.focus and r[0] not in exclude]
        # only when some word of the subject is left out: otherwise the focus is the cover itself
        dropped = [r for r in self._profile if r not in rows and r[0] not in _HOW_WORDS]
        return rows if rows and dropped else []

    @property
    def terms(self) -> list[str]:
        if self._profile:
            return [t for t, *_ in self._profile]
        return sorted(self._plain)


_IDENTIFIES = re.compile(
    r"^(?:\w*minister\w*|spørgetime\w*|spørgsmål\w*|svar\w*|besvare\w*|folketing\w*|udvalg\w*|møde\w*|"
    r"januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|sou|suu|bou|alm|nr|"
    r"s|\d+|tidligere|oplyste|sagde|skrev|regeringen|høringssvar\w*|ældreråd\w*|sommer\w*|forår\w*|efterår\w*|vinter\w*)$",
    re.I,
)


_ENUM_PAREN_RE = re.compile(r"\(([^()]{3,120})\)")
_ENUM_FX_RE = re.compile(r"\b(?:fx|f\.eks\.|eksempelvis|herunder|såsom)\s+([^.?;]{3,120})", re.I)


def enumerations(text: str) -> list[list[set[str]]]:
    """Lists of alternatives in a question: "(cirkler, social henvisning, mv)" -> [[{cirkler}, {social, henvisning}]]."""
    from .analysis import query_tokens

    out = []
    for m in [*_ENUM_PAREN_RE.finditer(text), *_ENUM_FX_RE.finditer(text)]:
        if re.match(r"\s*(?:ved\s+at|at|til\s+at|om\s+at)\b", m.group(1), re.I):
            continue  # "fx ved at udbygge eller justere …": ways of doing, not alternatives to look for
        body = re.sub(r"\b(?:mv|m\.v|mm|m\.m|osv|etc)\b\.?", " ", m.group(1), flags=re.I)
        pieces = [p for p in re.split(r",|;|\s+og\s+|\s+eller\s+", body) if p.strip()]
        items = [set(query_tokens(p)) for p in pieces]
        items = [i for i in items if i]
        if len(items) >= 2:
            out.append(items)
    return out


_OUTCOME_RE = re.compile(
    r"\b(?:hvad\s+endte\s+\w+\s+med|hvordan\s+endte|hvad\s+blev\s+(?:udfaldet|resultatet|der\s+besluttet)|"
    r"hvad\s+kom\s+der\s+ud\s+af|hvad\s+blev\s+sagen\s+afgjort\s+med)\b",
    re.I,
)


def make_profile(text: str, lexical: object | None = None) -> Profile:
    from .analysis import analyze

    p = Profile(text=text, ask=classify_ask(text), lexical=lexical)
    from .analysis import stem as _stem
    from .analysis import weak_words

    # (the subject carried in "(…)" from the part before is what it is about, not how it is asked)
    asked = without_carried(text)
    p.ask_terms = {_stem(w) for w in weak_words(asked) if len(w) >= 4 and w.lower() not in _HOW_WORDS} | {
        _stem(w) for w in re.findall(r"[a-zæøå]+", asked.lower()) if w in _ASK_VERBS
    }
    if _OUTCOME_RE.search(text):
        # "Hvad endte udvalget med at gøre?", "Hvad blev udfaldet af sagen?": what was decided
        p.ask_terms |= {
            _stem(w) for w in ("besluttede", "beslutning", "oversendte", "vedtog", "godkendte", "tiltrådte", "drøftet")
        }
    if re.search(r"\b(?:mener|mente|synes|syntes)\s+(?:forvaltningen|administrationen|kommunen)\b", text, re.I):
        # what the administration thinks is what it assesses and recommends
        p.ask_terms |= {_stem(w) for w in ("vurderer", "anbefaler", "anbefales", "indstiller", "kategoriseret")}
    if lexical is not None and hasattr(lexical, "query_profile"):
        rows = [row for row in lexical.query_profile(text) if _content(row[0])]
        # retrieval leaves out words found in a fifth of all passages; an answer must still be about them
        # ("bevillinger" in a budget note), at the low weight their frequency gives them
        from .analysis import query_tokens, stem, weak_words

        have = {row[0] for row in rows}
        weak = weak_words(text)
        for t in dict.fromkeys(query_tokens(text)):
            if t in have or not t[0].isalpha() or not _content(t):
                continue
            s = stem(t) if getattr(lexical, "stemming", True) else t
            w = lexical.idf(s) ** 2 * (0.25 if t in weak else 1.0)
            rows.append((t, s, w, ()))
        # "ordningen", "pengene": a definite noun for the thing itself names no subject of its own (the subject
        # is carried from the part before, or follows: "ordningen med klippekort")
        rows = [(t, s_, w * (GENERIC_WEIGHT if t in _GENERIC_NOUNS else 1.0), parts) for t, s_, w, parts in rows]
        p.groups = enumerations(text)
        # a context sentence before the ask ("I august 2020 bad udvalget ministeren redegøre for, … . Hvornår
        # lovede han et egentligt svar?") is shared by the parts after it: its words tell which matter, the
        # ask's own words what this part wants, so words only in the context count for less
        ctx_end = context_end(text)
        ask = text[ctx_end:]
        # (not when the ask points into the context: "Hvor mange penge var der sat af til det …?")
        # ("den første periode", "de samlede udgifter": an article before an adjective and its noun, not a pronoun)
        articles = re.sub(r"\b(?:det|den|de)\s+[a-zæøå]+e\s+[a-zæøå]{3,}", " ", ask, flags=re.I)
        # ("de ensomme", "de ældre": an article before an adjective used as a noun)
        articles = re.sub(
            r"\b(?:den|de)\s+[a-zæøå]{3,}e(?=\s*[?.,]|\s+(?:og|i|på|med|til|som|der)\b)", " ", articles, flags=re.I
        )
        points_back = re.search(r"\b(?:det|den|de|dem|disse|dette|denne|dens|dets|deres|han|hun)\b", articles, re.I)
        carried = CARRIED_RE.search(ask if ctx_end >= 0 else text)
        if carried:
            p.carried = {t for t in query_tokens(carried.group(0)) if _content(t)} - _HOW_WORDS
        if carried or ctx_end > 0:
            # a part with a context sentence or a subject carried from the part before: its own words say
            # what is asked of that subject
            own_ask = ask if ctx_end >= 0 else text
            p.focus = set(query_tokens(without_carried(own_ask))) - _HOW_WORDS
        # ("Jeg har læst beslutningsprotokollen fra mødet den 27. oktober 2005.": the asker's own preamble names
        # where to look, never what is asked, whatever pronouns the ask has)
        preamble = ctx_end > 0 and bool(FIRST_PERSON_RE.search(text[:ctx_end]))
        if ctx_end > 0 and len(ask.split()) >= 3 and (preamble or not points_back):
            own = set(query_tokens(ask))

            def ctx_weight(t: str, s_: str, parts: tuple) -> float:
                if t in own:
                    return 1.0
                if not parts and lexical.df(s_) == 0:
                    # a word of the context that no passage has ("Vi bruger Roskilde som sammenligningskommune.",
                    # "Tilbage i 2014 lagde forvaltningen en pakke …"): it cannot point to a document, and at an
                    # unseen word's weight it would leave every passage short of the part's own ask
                    return UNSEEN_PREAMBLE_WEIGHT
                return CONTEXT_WEIGHT

            rows = [(t, s_, w * ctx_weight(t, s_, parts), parts) for t, s_, w, parts in rows]
            # a long context ("Mange pårørende fortæller mig, at … . Samtidig får jeg at vide, at …") must not
            # outweigh the ask: its words together count for at most half of the ask's own
            own_total = sum(w for t, _s, w, _p in rows if t in own)
            ctx_total = sum(w for t, _s, w, _p in rows if t not in own)
            if own_total > 0 and ctx_total > CONTEXT_SHARE * own_total:
                f = CONTEXT_SHARE * own_total / ctx_total
                rows = [(t, s_, w if t in own else w * f, parts) for t, s_, w, parts in rows]
        # a word no passage holds, not even by its compound parts ("fastlægger", "overhovedet", "afsted"): at the
        # weight of the rarest word it would leave every sentence short of the part, however well it answers; a
        # name no document has ("Valby") leaves the part unanswered by itself (compose.unknown_names)
        # A noun no passage has ("… koster taxakørsel", "på taxakørsel") is what the part is about, and keeps its
        # weight: the documents do not answer about it.
        # (nor a word the thesaurus relates to one that passages have: "bekosteligt", "omkostninger")
        nouns = _noun_positions(text)
        from .thesaurus import load as _thesaurus

        def unseen(t: str, s_: str, parts: tuple) -> bool:
            if parts or not t.isalpha() or t in nouns or lexical.df(s_) > 0:
                return False
            return not any(lexical.df(a) > 0 for a in _thesaurus().query_alternatives(s_))

        rows = [(t, s_, w * (UNSEEN_WEIGHT if unseen(t, s_, parts) else 1.0), parts) for t, s_, w, parts in rows]
        if p.ask == PRIOR:
            # who answered and when picks the document; what the answer must be about is the rest
            rows = [(t, s, w * (0.2 if _IDENTIFIES.match(t) else 1.0), parts) for t, s, w, parts in rows]
        p._profile = rows
    if not p._profile:
        p.lexical = None
        p._plain = {t for t in analyze(text, query=True) if _content(t)}
    return p


_NOUN_BEFORE = frozenset(
    """på til om af med for i ved fra over under efter mod uden en et den det de nogen noget ingen
    koster kostede koste bruger brugt bruge""".split()
)


def context_end(text: str) -> int:
    """Where a part's context before its ask ends ("I august 2020 bad udvalget … . Hvornår lovede han …?"): the
    index of the ". " or the lead-in's ": " before the asking sentence, or -1 when the part is its ask alone."""
    # (a part without a question mark asks in its last sentence: "Demens fylder …. Jeg vil derfor bede om svar
    # på følgende: hvad de går til.")
    q_at = text.rfind("?")
    if q_at < 0:
        q_at = len(text.rstrip(" ."))
    ctx_end = sentence_start(text, q_at)
    colon = text.rfind(": ", 0, max(0, q_at))
    if (
        colon > ctx_end
        and FIRST_PERSON_RE.search(text[:colon])
        and re.match(
            r"\s*(?:hvad|hvor|hvilke|hvilken|hvilket|hvem|hvornår|hvordan|hvorfor|med)\b", text[colon + 2 :], re.I
        )
    ):
        # "Forud for revisionen … vil jeg gerne bede om et kort overblik: hvad …?": the asker's lead-in is context
        ctx_end = colon
    return ctx_end


def own_ask(text: str) -> str | None:
    """The asking sentence of a part that has context before it, else None."""
    at = context_end(text)
    if at <= 0:
        if CARRIED_RE.search(text):
            # "Hvad endte udvalget med at gøre (forslag om …)?": the ask without the subject carried in
            ask = without_carried(text).strip()
            return ask if len(ask.split()) >= 2 else None
        return None
    ask = without_carried(text[at + 1 :]).strip(" :")
    return ask if len(ask.split()) >= 2 else None


_DETERMINERS = frozenset(
    "jeres vores deres egen egne eget hele alle selve samme nogle mange andre øvrige øvrigt".split()
)


def _noun_positions(text: str) -> set[str]:
    """Lower-cased words of ``text`` placed as nouns are: after a preposition, an article or "koster", or with
    a noun's ending ("taxakørsel" in "hvad koster taxakørsel", "genoptræningen")."""
    from .analysis import NOUNLIKE_SUFFIXES

    words = re.findall(r"[a-zæøåé-]+", text.lower())
    out = {
        w
        for prev, w in zip(["", *words], words, strict=False)
        if prev in _NOUN_BEFORE and len(w) >= 6 and w not in _DETERMINERS  # ("på jeres anbefalinger", "et par")
    }
    return out | {w for w in words if w.endswith(NOUNLIKE_SUFFIXES)}


# the subject a part carries from the part before, at its end: "Hvad bruges pengene til (seniorklubber)?"
CARRIED_RE = re.compile(r"\(([^()]+)\)\s*\?\s*$")


def without_carried(text: str) -> str:
    """``text`` without the subject it carries in "(…)" from the part before (see ``question._carry_subject``)."""
    return CARRIED_RE.sub("?", text)


def sentence_start(text: str, at: int) -> int:
    """Where the sentence holding position ``at`` starts: the ". " or "! " before it (its index), or -1
    when nothing ends before it ("I august 2020 bad udvalget …. Hvornår lovede han …?")."""
    return max(text.rfind(". ", 0, at), text.rfind("! ", 0, at)) if at > 0 else -1


GENERIC_WEIGHT = 0.25
_GENERIC_NOUNS = {
    "ordningen", "ordningerne", "pengene", "midlerne", "bevillingen", "indsatsen", "puljen", "projektet", "forsøget",
    "tilbuddet", "initiativet", "tiltaget", "tiltagene",
    "konkret",  # "Hvad bruges pengene konkret til?": mostly how the asker talks, now and then the text's own word
    "mulighed", "muligheden", "muligheder", "mulighederne",  # "mulighederne for at finde …": the rest says what
    "året", "årligt", "årlig", "årlige",  # "… samtaler om året" / "… årligt": how often, not what it is about
}  # fmt: skip

# "hvor stor en andel", "hvor længe": how it is asked, never what the answer must say
_HOW_WORDS = {"stor", "store", "stort", "høj", "høje", "højt", "lang", "lange", "langt", "længe", "mange", "meget"}

CONTEXT_WEIGHT = 0.4  # a word only in a part's context sentence, against the words of its ask
CONTEXT_SHARE = 0.5  # the context's words together, at most this share of the ask's own words' weight
UNSEEN_WEIGHT = 0.25  # a word of the part that no passage holds
UNSEEN_PREAMBLE_WEIGHT = 0.05  # a word only in a part's context sentence that no passage holds

_ASK_VERBS = {
    "besluttede", "beslutte", "besluttet", "anbefaler", "anbefales", "anbefalede", "kategoriseret", "vurderer",
    "vurderede", "svarede", "oplyste", "skrev", "sagde", "foreslog", "fordelt", "fordeler", "finansieret",
}  # fmt: skip

# words of the ask itself: they tell what kind of answer is wanted, not what it is about
_ASK_WORDS = {
    "koster", "koste", "kostede", "beløb", "beløbet", "udgør", "antal", "antallet", "prisen", "pris",
    "hvornår", "tidspunkt", "tidsplan", "anbefaler", "anbefale", "oplyse", "svarede", "svaret", "sagde",
    "oplyste", "tidligere", "forventes", "udgiften", "udgifterne", "udgifter", "hver", "samlet", "dato",
    # how the asker talks ("Hvad bruges pengene konkret til?", "Hvad består det egentlig af?")
    "egentlig", "præcist", "præcis", "nærmere", "faktisk",
}  # fmt: skip


def _content(token: str) -> bool:
    return token not in _ASK_WORDS and not re.fullmatch(r"\d{1,2}", token)


FIRST_PERSON_RE = re.compile(r"\b(?:jeg|mig|min|mit|mine|vi|os|vores)\b", re.I)


def first_person(text: str) -> bool:
    """First-person pronouns outside quotation marks ("Jeg er selv sygeplejerske …")."""
    outside = re.sub(r"[\"„“”»«][^\"„“”»«]*[\"„“”»«]", " ", text)
    return bool(FIRST_PERSON_RE.search(outside))


def restates(sentence: str, question: str, threshold: float = 0.8) -> bool:
    """The sentence repeats the question (a transcript quoting it, the asker's own words), adding no figure."""
    from .analysis import analyze
    from .cite import extract_quantities

    s = set(analyze(sentence))
    q = set(analyze(question))
    if len(s) < 5 or not q:
        return False
    if len(s & q) / len(s) < threshold:
        return False
    asked = {x.raw for x in extract_quantities(question)}
    return all(x.raw in asked for x in extract_quantities(sentence))


def kind_of_quantities(quantities: Iterable) -> set[str]:
    """Figure kinds: "amount" for any figure (with "money" for kroner, "share" for percentages), "time" for dates."""
    kinds = set()
    for q in quantities:
        if q.unit in ("date", "year", "month"):
            kinds.add("time")
        else:
            kinds.add("amount")
            if q.unit == "kr":
                kinds.add("money")
            elif q.unit in ("pct", "pp"):
                kinds.add("share")
    return kinds


_MONEY_RE = re.compile(
    r"\b(?:kost\w*|beløb\w*|udgift\w*|pris\w*|\w*budget\w*|bevilling\w*|finansiering\w*|kroner|penge|midler|afsat\w*|"
    r"afsætte\w*|udløb\w*|netto\w*|indtægt\w*|ramme\w*|betal\w*|medfinansiering\w*|posten\s+(?:for|til)|regning\w*|"
    r"brug(?:e|er|t|te)\s+(?:\w+\s+){0,2}?(?:på|til))\b",
    re.I,
)
_SHARE_RE = re.compile(r"\b(?:procent\w*|pct|hvor\s+stor\s+(?:en\s+)?andel)\b", re.I)


def figure_wanted(text: str) -> str:
    """Which figure a figure question wants: "money" (what it costs), "share" (a percentage) or "amount"."""
    if _SHARE_RE.search(text):
        return "share"
    if _MONEY_RE.search(text) and not re.search(
        r"\bhvor\s+mange\b(?!\s+(?:af\s+(?:de\s+)?)?(?:penge|kroner|midler|indtægt|udgift|beløb))", text, re.I
    ):
        return "money"
    return "amount"
