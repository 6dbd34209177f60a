"""Question intake: from the text an officer pastes to a :class:`~assistant.models.Question`.

A council member's question usually arrives framed as::

    Rasmus Steenberger (F) har den 19. maj 2026 stillet følgende spørgsmål til
    Sundheds- og Omsorgsforvaltningen:

    "Med afsæt i ... ?"

``parse_question`` recognises that framing (and looser variants), fills asker,
party, date, addressee, the question text and a short topic, and splits the
question into self-contained sub-questions with ``split_question``. Both are
rule-based and pure.
"""

from __future__ import annotations

import re

from assistant.asks import CARRIED_RE, FIRST_PERSON_RE, sentence_start
from assistant.cite import split_sentences
from assistant.danish import find_dates
from assistant.models import Question, SubQuestion

__all__ = ["parse_question", "split_question", "derive_topic"]

_PARTY = r"[A-ZÆØÅ][A-ZÆØÅa-zæøå]{0,3}"  # a party letter or short name: "F", "SF", "EL", "Ø"
_NAME = r"[A-ZÆØÅ][\wæøåÆØÅéü.'-]*(?:(?:(?<=-)[ \t]+og[ \t]+|[ \t]+)(?:[A-ZÆØÅ][\wæøåÆØÅéü.'-]*|von|van|de|la|af))*"
_FRAME_RE = re.compile(
    rf"(?P<asker>{_NAME})\s*(?:\((?P<party>{_PARTY})\))?\s*,?\s+"
    r"(?:(?:har|havde)\s+)?(?P<middle>[^:\"„“”]{0,60}?)\s*"
    r"(?P<verb>stillet\s+(?:følgende\s+|et\s+|dette\s+)?(?:skriftlige?\s+)?spørgsmål|stiller\s+(?:følgende\s+)?spørgsmål"
    r"|spurgt|spørger|spurgte|anmodet\s+om\s+(?:svar\s+på|besvarelse\s+af)\s+følgende"
    r"|bedt\s+om\s+(?:følgende\s+)?oplysninger(?:\s+om\s+[^:\n\"„“”]{3,160}?)?(?=\s*:))"
    r"(?:\s+nr\.\s*\d+(?:\s*\([^)\n]{1,20}\))?)?"
    r"(?:\s+(?:til|hos)\s+(?P<addressee>[^:\n\"„“”,]+?(?:\n[^:\n\"„“”,]+?)?))?\s*(?::|(?=\s*[\"„“”])|,|\n|$)",
)
_WRAPPER_RE = re.compile(r"^\s*(?:#+\s*)?(?:til|svar\s+til|vedr\.?|emne|att\.?)\s*:?\s+\S", re.I)
_TITLE_TOPIC_RE = re.compile(r"spørgsmål\s+om\s+(?P<topic>[^\n]+)", re.I)
_ANSWER_START_RE = re.compile(
    r"^\s*(?:#+\s*)?(?:[\w-]+(?:\s+og\s+[\w-]+)?\s+svar\b|svar\s*:|besvarelse\s*:|med venlig hilsen|venlig hilsen)",
    re.I | re.M,
)
_QUOTE_PAIRS = {'"': '"', "„": '“”"', "“": "”", "”": "”", "«": "»", "»": "«»"}
_NON_NAMES = {
    "Til",
    "Svar",
    "Spørgsmål",
    "Vedr",
    "Emne",
    "Den",
    "Det",
    "Der",
    "Jeg",
    "Vi",
    "Hilsen",
    "Mvh",
    "Vh",
    "Borgerrepræsentationsmedlem",
    "Byrådsmedlem",
    "Kommunalbestyrelsesmedlem",
    "Medlem",
    "Rådmand",
}
# a question's first word is never the asker: "Hvad svarede ministeren, da hun blev spurgt, om …"
_INTERROGATIVES = {"Hvad", "Hvem", "Hvornår", "Hvordan", "Hvorfor", "Hvilke", "Hvilken", "Hvilket", "Hvor", "Hvis"}
_INTERROGATIVES |= {"Kan", "Kunne", "Vil", "Ville", "Er", "Var", "Har", "Havde", "Bør", "Skal", "Og", "Men", "Hvorvidt"}


def _strip_quotes(text: str) -> str:
    t = text.strip()
    if t and t[0] in _QUOTE_PAIRS:
        closers = _QUOTE_PAIRS[t[0]]
        last = max(t.rfind(c) for c in closers)
        if last > 0:
            return t[1:last].strip()
        return t[1:].strip()
    return t


def _quoted_block(text: str) -> str | None:
    """The first quoted block in ``text`` (quotes may span lines), without the quotes."""
    m = re.search(r"[\"„“”«»]", text)
    if not m or len(text[: m.start()].strip()) > 400:
        return None
    stop = _ANSWER_START_RE.search(text)
    if stop and stop.start() < m.start():
        return None
    opener = m.group(0)
    closers = _QUOTE_PAIRS[opener]
    # the closing quote: the last closer before the answer starts (or the end)
    stop = _ANSWER_START_RE.search(text, m.end())
    limit = stop.start() if stop else len(text)
    last = max(text.rfind(c, m.end(), limit) for c in closers)
    if last <= m.end():
        return None
    return text[m.end() : last].strip()


def _unwrap(text: str) -> str:
    """Undo line-break hyphenation ("besva-\\nres" -> "besvares") and tidy spaces; keep "Sundheds- og"."""
    text = re.sub(r"([a-zæøå])-[ \t]*\n\s*(?!og\b|eller\b)([a-zæøå])", r"\1\2", text)
    text = re.sub(r"([\wæøå])-[ \t]*\n\s*(\d)", r"\1-\2", text)
    # (a line that opens with a dash or bullet is a list item: "Spørgsmål:\n– Hvor mange …\n– Hvad …")
    text = re.sub(r"(?<!\n)\n(?!\n|[ \t]*(?:[-•*▪–]|\(?\d{1,2}[.)]|\(?[a-h]\))[ \t]+\S)", " ", text.strip())
    return re.sub(r"[ \t]+", " ", text).strip()


def _clean_name(name: str) -> str:
    words = name.split()
    while words and words[0].rstrip(".:") in _NON_NAMES:
        words = words[1:]
    return " ".join(words)


def parse_question(raw: str) -> Question:
    """Parse a pasted question; whatever is not found stays None, ``text`` falls back to the input."""
    lines = raw.splitlines()
    kept: list[str] = []
    title_topic: str | None = None
    for line in lines:
        tm = _TITLE_TOPIC_RE.search(line)
        if re.match(r"^\s*(?:#+\s*)?svar\s+til\b", line, re.I):
            if tm:
                title_topic = tm.group("topic").strip().rstrip(".")
            continue
        if _WRAPPER_RE.match(line) and not _FRAME_RE.search(line):
            continue
        kept.append(line)
    body = "\n".join(kept).strip()

    asker = party = date_asked = addressee = None
    text = body
    m = None
    for cand in _FRAME_RE.finditer(body):
        name = _clean_name(cand.group("asker"))
        if name.partition(" ")[0] in _INTERROGATIVES:
            continue
        if name and cand.group("middle").count(" ") <= 8:
            m = cand
            break
    if m:
        asker = _clean_name(m.group("asker")) or None
        party = m.group("party")
        via = re.match(r"v/\s*(?P<name>[A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+){1,3})", m.group("middle") or "")
        if via:  # "Socialdemokratiet v/ Peter Nørgaard har …": the person asks for the party
            asker, party = via.group("name"), party or asker
        dates = find_dates(m.group("middle") or "")
        date_asked = dates[0][2] if dates else None
        if m.group("addressee"):
            addressee = re.sub(r"\s+", " ", m.group("addressee")).strip().rstrip(",.") or None
        rest = body[m.end() :].lstrip(" :\n\t")
        quoted = _quoted_block(rest)
        if quoted is not None:
            text = quoted
        else:
            stop = _ANSWER_START_RE.search(rest)
            text = (rest[: stop.start()] if stop else rest).strip()
        if not text:
            text = body
    elif (lead := _FROM_LEAD_RE.match(body)) is not None:
        # "Spørgsmål fra Hanne Vestergaard (SF), modtaget den 15. januar 2024: "…"": the asker, the date and the
        # question after the colon (the lead-in is no part of what is asked)
        asker = _clean_name(lead.group("asker")) or None
        party = lead.group("party")
        dates = find_dates(lead.group("when") or "")
        date_asked = dates[0][2] if dates else None
        rest = body[lead.end() :].strip()
        text = _quoted_block(rest) or _strip_quotes(rest) or rest
    else:
        text = _strip_quotes(body) or raw.strip()
        # no "X (A) har … stillet følgende spørgsmål": a signature ("Venlig hilsen Jonas Krogh (V)", "Mvh. Sofie
        # Winther (EL)") or a line naming the asker ("Spørgsmål fra Lise Damgaard (A) om …", "(fra Maja Lind, SF)")
        sig = _SIGNATURE_RE.search(text) or _SIGNOFF_NAME_RE.search(text) or _NAME_LINE_RE.search(text)
        who = sig or _FROM_RE.search(body)
        if who:
            asker = _clean_name(who.group("asker")) or None
            party = who.group("party") or who.groupdict().get("party2") or who.groupdict().get("party3")
        if sig:
            text = text[: sig.start()].rstrip()
    text = _unwrap(text)
    # the question as quoted in the answer: without the greeting before it, the thanks and the sign-off after it
    # ("Kære forvaltning", "På forhånd tak.", "Med venlig hilsen"); its lists keep their lines
    text = _THANKS_RE.sub("", _SIGNOFF_RE.sub("", _GREETING_RE.sub("", text, count=1))).strip() or text
    topic = title_topic or derive_topic(text)
    if topic:
        topic = topic[0].lower() + topic[1:] if not topic[:2].isupper() else topic
    return Question(
        raw=raw,
        text=text,
        asker=asker,
        party=party,
        date_asked=date_asked,
        addressee=addressee,
        topic=topic,
        sub_questions=split_question(text),
    )


# --- topic -----------------------------------------------------------------

_TOPIC_STOP = {
    "forvaltningen", "forvaltningens", "kommunen", "kommunens", "kommune", "kommunes", "spørgsmål", "spørgsmålet",
    "mening", "mulighed", "muligheder", "muligheden", "mulighederne", "ministeren", "ministeriet", "borgmesteren",
    "udvalget", "udvalgets", "besvarelse", "redegørelse", "oplysninger", "herunder", "hvilke", "hvordan",
    "oplyse", "oplyst", "redegøre", "fortælle", "forklare", "beskrive",
    "hvorfor", "hvornår", "hvilken", "hvilket", "gerne", "spørge", "eksisterende", "baggrund", "forbindelse",
    "følgende", "derudover", "herudover", "endvidere", "desuden", "samtidig", "nuværende", "hvorvidt",
    "udførlig", "oversigt", "vedlagt", "afsæt", "tiltag", "tiltagene", "indsatser", "indsatsen",
    "midler", "midlerne", "penge", "pengene", "ordning", "ordningen", "bevilling", "bevillingen",
    "eksempel", "eksempelvis", "spørgeren", "ønsker", "fremadrettet", "konkret", "konkrete",
    "orientering", "status", "område", "området", "områder", "ældreministeren", "ministerens", "folketingets",
    "spørgetime", "spørgetimen", "ældreminister", "socialministeren", "sundhedsministeren", "anbefaler",
    "anbefale", "koster", "udløber", "mangler", "kroner", "overladt", "forventes", "stillet", "udgangen",
}  # fmt: skip
_NOUN_SUFFIXES = (
    "ning", "ninger", "ningen", "else", "elser", "hed", "heder", "skab", "skaber", "midler", "midlerne",
    "indsats", "indsatser", "tion", "tioner", "plads", "pladser", "bolig", "boliger", "tilbud", "reform",
    "regnskab", "pleje", "hjem", "center", "centre", "personale", "ordning", "ordninger", "udgifter",
    "budget", "aftale", "aftaler", "strategi", "politik", "hjælp", "tilsyn", "ventetid", "ventetider",
)  # fmt: skip
_NON_NOUN_SUFFIXES = ("ende", "ige", "lige", "iske", "fulde", "ede", "ere", "ste", "ske", "erede", "bare", "vis")


_VOWELS = "aeiouyæøå"


def _indefinite(word: str) -> str:
    """Strip a Danish definite ending: "ældrereformmidlerne" -> "ældrereformmidler", "råderummet" -> "råderum"."""
    w = word
    if w.endswith(("budget", "kabinet", "tapet", "sekretariat", "resultat", "mandat", "projekt")):
        return w  # a base form in -et ("nettobudget" is not "nettobudg" + -et)
    for suf, rep in (("erne", "er"), ("ene", "e"), ("ningen", "ning"), ("heden", "hed"), ("en", ""), ("et", "")):
        if w.endswith(suf) and len(w) - len(suf) >= 5:
            w = w[: -len(suf)] + rep
            if suf in ("en", "et") and len(w) >= 3:
                if w[-1] == w[-2] and w[-1] not in _VOWELS:
                    w = w[:-1]  # "råderumm" -> "råderum"
                elif suf == "en" and w[-1] in "ldjvg" and w[-2] in _VOWELS:
                    w += "e"  # "ældreaftal" -> "ældreaftale", "hjemmeplej" -> "hjemmepleje", "lægen" -> "læge"
                elif suf == "et" and w.endswith(("arbejd", "områd", "mød", "tilfæld", "personal", "anbefal")):
                    w += "e"  # a neuter noun in -e takes "-t": "hiv-arbejdet" -> "hiv-arbejde" ("pilotforsøget" stays)
            break
    return w


def derive_topic(text: str, max_terms: int = 2) -> str | None:
    """A short topic ("trivselsregnskab og ældrereformmidler") from the key nouns of a question."""
    from .analysis import weak_words

    words = list(re.finditer(r"[A-Za-zÆØÅæøå-]+", text))
    weak = weak_words(text)  # verbs and adjectives ("anbefaler" after "hvad", "konstateret") name no topic
    scored: dict[str, tuple[float, int]] = {}
    for i, m in enumerate(words):
        w = m.group(0).strip("-")
        lw = w.lower()
        if len(lw) < 6 or lw in _TOPIC_STOP or lw in weak or lw.endswith(("eret", "erede")):
            continue
        start = m.start()
        sentence_initial = start == 0 or re.search(r"[.!?:]\s*[\"„“”]?\s*$", text[:start]) is not None
        if w[0].isupper() and not sentence_initial:
            continue  # proper noun (Roskilde, København)
        if i > 0 and words[i - 1].group(0).lower() == "at":
            continue  # infinitive
        if lw.endswith(_NON_NOUN_SUFFIXES) and not lw.endswith(_NOUN_SUFFIXES):
            continue
        base = _indefinite(lw)
        score = float(len(base))
        if base.endswith(_NOUN_SUFFIXES) or lw.endswith(_NOUN_SUFFIXES):
            score += 6
        if len(base) >= 12:
            score += 3
        if base not in scored or scored[base][0] < score:
            scored[base] = (score, scored.get(base, (0, start))[1] if base in scored else start)
    if not scored:
        return None
    top = sorted(scored.items(), key=lambda kv: -kv[1][0])[:max_terms]
    top.sort(key=lambda kv: kv[1][1])
    return " og ".join(w for w, _ in top)


# --- splitting -------------------------------------------------------------

# (a dash or bullet marks an item only at a line's start: "… fundet asbest – hvad har …" is a dash in a sentence)
_ENUM_RE = re.compile(r"(?:(?:(?<=^)|(?<=\s)|(?<=[:;]))(?:\(?\d{1,2}[.)]|\(?[a-h]\))|^[ \t]*[-•*▪–])\s+(?=\S)", re.M)
_INTERROG = r"(?:hvor\s+mange|hvor\s+meget|hvor\s+stor[et]?|hvor\s+længe|efter\s+hvis\s+ønske|efter\s+ønske\s+fra\s+hvem|på\s+hvis\s+foranledning|hvad|hvilke|hvilken|hvilket|hvordan|hvorfor|hvornår|hvem|hvorvidt|hvor)"
# a bare comma splits only before an interrogative that cannot be a relative pronoun ("borgere, hvor der …")
_COMMA_INTERROG = r"(?:hvor\s+(?:mange|meget|stor[et]?|længe|ofte|godt|tit)|hvad|hvilke|hvilken|hvilket|hvordan|hvorfor|hvornår|hvem|hvorvidt)"
# "…, og kunne ministeren gribe ind?": a yes/no question joined by "og"
_YESNO_AFTER_OG = (
    r"(?:(?:kan|kunne|vil|ville|er|var|har|havde|bør|skal|agter)\s+(?:\w*ministeren|forvaltningen|kommunen|udvalget|"
    r"regeringen|man|borgmesteren|begge\s+dele|(?-i:I))|(?:betyder|ændrer|påvirker)\s+(?:det|dette|det\s+her)\s+\w+)\b"
)
_NOT_A_TIME = r"(?!(?:året|ugen|måneden|dagen|aftenen|natten|morgenen|sommeren|vinteren|foråret|efteråret)\b)"
_OG_SPLIT_RE = re.compile(
    rf"(?:\s+[–—-])?,?\s+(?:og|samt)\s+(?:endelig\s+|desuden\s+|også\s+)?(?=(?:(?:i|på|for|til|med|fra|ved|efter|under)\s+)?{_INTERROG}\b)|,\s+(?={_COMMA_INTERROG}\b)|,?\s+og\s+(?={_YESNO_AFTER_OG})"
    # "… hvor mange penge der er tale om, og hvad de går til; hvad indsatsen konkret har nået; og om …"
    rf"|;\s+(?:og\s+)?(?=(?:{_INTERROG}|om)\b)"
    # "…, om hjemmeplejen må …, og om kommunen stadig har …": an "om"-clause after an ask of another kind
    rf"|,?\s+(?:og|samt)\s+(?=om\s+(?!at\b){_NOT_A_TIME}\w+\s+\w+)|,\s+(?=om\s+(?!at\b){_NOT_A_TIME}\w+\s+\w+)",
    re.I,
)
# a preposition or a verb of saying before the comma: the interrogative clause after it is its object
_GOVERNS_RE = re.compile(r"\b(?:for|om|til|på|af|med|over|ved|efter|oplyse|vide|spørge|forklare|redegøre)$", re.I)


_STEM_LEAD_RE = re.compile(r"\b(?:om|hvorvidt|oplyse|redegøre\s+for|spørge|vide)$", re.I)


def _governs(left: str) -> bool:
    """The clause before a comma ends in a word whose object is the clause after it ("… vist om, hvorvidt");
    not "der er tale om," which closes its own question ("Hvor mange penge er der tale om, hvilke …")."""
    return bool(_GOVERNS_RE.search(left)) and not re.search(r"\b(?:tale\s+om|ud\s+på)$", left, re.I)


# "… og jeg vil gerne have styr på, hvad der faktisk blev sagt." after context: the umbrella over the questions
_UMBRELLA_AFTER_CONTEXT_RE = re.compile(
    r"\b(?:have\s+styr\s+på|have\s+overblik\s+over|vide|forstå|høre)\s*,?\s*(?:hvad|hvordan)\s+(?:der\s+)?"
    r"(?:faktisk\s+|egentlig\s+)?(?:blev\s+sagt|er\s+sagt|blev\s+svaret|skete|er\s+sket|foregik)\b",
    re.I,
)
# a verb whose object is the clause after the comma ("… selv kan beslutte, hvad borgeren har brug for")
_GOVERNS_VERB_RE = re.compile(
    r"\b(?:ved\s+man|vide|forstå|høre|beslutte|bestemme|vurdere|afgøre|vælge|afklare|undersøge|beskrive|fortælle|se|vise|"
    r"besluttet|vurderet|afgjort|undersøgt|beskrevet|spurgte|spurgt|spørger|undrede\s+sig\s+over|oplyste|forklarede|"
    r"beskrev|viste)$",
    re.I,
)
# "Kan forvaltningen oplyse, om X, om Y, og om Z?": one ask per "om"-clause
_OM_LIST_RE = re.compile(r",?\s+(?:og\s+|samt\s+)?(?=om\s)", re.I)
_INTERROG_RE = re.compile(rf"\b{_INTERROG}\b", re.I)
_YES_NO_RE = re.compile(
    r"^(?:vil|kan|er|har|bør|skal|agter|påtænker|overvejer|findes|ønsker|mener|forventer)\s+"
    r"(?:forvaltningen|ministeren|borgmesteren|rådmanden|kommunen|udvalget|administrationen|man|der|du|i)\b",
    re.I,
)
_ADDON_RE = re.compile(r"^(?:herunder|herudover|derudover|endvidere|desuden|ydermere|samtidig|og|samt)\b", re.I)
_FOLLOWUP_RE = re.compile(
    r"^(?:hvis\s+(?:ja|nej|ikke|det\s+er\s+tilfældet)|i\s+(?:så|bekræftende|benægtende)\s+fald)\b", re.I
)
_ASK_RE = re.compile(
    r"\?|\b(?:bedes|ønsker|ønskes|vil\s+(?:jeg|vi)\s+gerne|gerne\s+(?:spørge|vide|have)|spørge|redegør|redegøre|"
    r"oplyse|oplys|beskriv|beskrive|forklar|forklare|kommentere?|vurdere|vurdering|hvor|hvad|hvilke|hvilken|"
    r"hvilket|hvordan|hvorfor|hvornår|hvem|hvorvidt|mulighed(?:er)?\s+for)\b",
    re.I,
)
_META_RE = re.compile(
    r"^(?:spørgeren\s+ønsker|der\s+ønskes\s+en\s+(?:udførlig|skriftlig)|tak\b|på\s+forhånd\s+tak"
    r"|(?:oversigten|svaret|besvarelsen|opgørelsen|tallene)\s+(?:bedes|skal|må\s+gerne))",
    re.I,
)
_REQUEST_RE = re.compile(
    r"\b(?:bedes|ønsker|ønskes|vil\s+(?:jeg|vi)\s+gerne|gerne\s+(?:spørge|vide|have|forstå|høre)|redegør|redegøre|spørger?|"
    r"beder?\s+(?:forvaltningen|\w+)\s+(?:om\s+at\s+)?oplyse|beder\s+om|bede\s+om|have\s+(?:oplyst|belyst))\b",
    re.I,
)
# a request that only says questions follow ("Jeg vil gerne have svar på et par ting.", "… overblik over tre ting.",
# "… og jeg vil gerne vide mere, før vi selv tager stilling."): the umbrella over the asks, not an ask
_WANTS_TO_KNOW_RE = re.compile(
    r"\b(?:jeg|vi)\b[^.?!]{0,60}?\b(?:vide|høre|forstå|oplyst|belyst|spørge|kende)\b\s*,?\s*"
    r"(?:hvad|hvor|hvilke[nt]?|hvordan|hvorfor|hvornår|hvem|hvorvidt|om)\b",
    re.I,
)
_UMBRELLA_RE = re.compile(
    r"\b(?:(?:svar\s+på|spørge\s+om|vide|høre\s+om|overblik\s+over|spørgsmål\s+(?:om|til)|hjælpe\s+(?:mig|os)\s+med)\s+"
    r"(?:et\s+par|nogle|to|tre|fire|fem|følgende|flere)\s+(?:ting|spørgsmål|forhold|punkter|emner)"
    r"|gerne\s+vide\s+mere)\b",
    re.I,
)
_ORDINAL_LEAD_RE = re.compile(
    r"^(?:for\s+det\s+(?:første|andet|tredje|fjerde|femte)|endelig|til\s+sidst)\s*[:,]\s*", re.I
)
# the same lead-in shown without a colon after it ("For det første løntillæggene …: hvor mange …?"); the split
# drops it only when a colon or comma follows (``_ORDINAL_LEAD_RE``)
_ORDINAL_WORDS_RE = re.compile(r"^(?:for\s+det\s+(?:første|andet|tredje|fjerde)|endelig|til\s+sidst)\s*[:,]?\s+", re.I)
_NARRATED_RE = re.compile(r"\b(?:bad|spurgte|ønskede|anmodede|blev\s+(?:spurgt|bedt))\b", re.I)
_SIGNATURE_RE = re.compile(
    rf"(?:med\s+venlig\s+hilsen|venlig\s+hilsen|mvh\.?|vh\.?|på\s+forhånd\s+tak)\s*[,.]?\s*"
    rf"(?P<asker>[A-ZÆØÅ][\wæøå-]+(?:[ \t]+[A-ZÆØÅ][\wæøå-]+){{1,3}})[ \t]*\((?P<party>{_PARTY})\)\s*\.?\s*$",
    re.I,
)
_PARTY_NAMES = (
    r"(?:Venstre|Socialdemokratiet|Enhedslisten|Det\s+Konservative\s+Folkeparti|Konservative|SF|Radikale\s+Venstre|"
    r"Dansk\s+Folkeparti|Liberal\s+Alliance|Moderaterne|Alternativet|Danmarksdemokraterne|Nye\s+Borgerlige)"
)
# a sign-off with a name without a party, or with the party on a title line below it ("Mvh\nAnders Lund",
# "Mvh Birgitte", "Mvh\nLise Dam\nByrådsmedlem (O)"); the name is case-sensitive, the sign-off is not
_SIGNOFF_NAME_RE = re.compile(
    rf"(?i:med\s+venlig\s+hilsen|venlig\s+hilsen|hilsen|mvh\.?|vh\.?|(?:på\s+forhånd\s+)?(?:mange\s+)?tak)[ \t]*[,.!]?\s*"
    rf"(?P<asker>[A-ZÆØÅ][a-zæøåé-]+(?:[ \t]+[A-ZÆØÅ][a-zæøåé-]+){{0,3}}?)[ \t]*(?:\((?P<party>{_PARTY})\)"
    rf"|,[ \t]*(?P<party3>{_PARTY_NAMES}))?"
    rf"(?:[ \t]*\n[ \t]*[A-ZÆØÅ][\wæøå -]{{2,40}}?[ \t]*\((?P<party2>{_PARTY})\))?[ \t]*\.?\s*$"
)
# the name and party alone on the last line ("/Anne Skov (F)", "Jakob Friis (LA)"); case-sensitive, so a
# sentence's words are never taken for a name
_NAME_LINE_RE = re.compile(
    rf"(?:\n|(?<=[.?!])[ \t]+)[ \t]*/?[ \t]*(?P<asker>[A-ZÆØÅ][a-zæøåé-]+(?:[ \t]+[A-ZÆØÅ][a-zæøåé-]+){{1,3}})[ \t]*\((?P<party>{_PARTY})\)[ \t]*\.?\s*$"
)
_FROM_RE = re.compile(
    rf"\bfra\s+(?P<asker>[A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+){{1,3}})\s*(?:\((?P<party>{_PARTY})\)|,\s*(?P<party2>{_PARTY})\b)"
)
_FROM_LEAD_RE = re.compile(
    rf"^\s*(?:[Ss]kriftligt\s+)?[Ss]pørgsmål\s+fra\s+(?P<asker>[A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+){{1,3}})\s*"
    rf"\((?P<party>{_PARTY})\)(?P<when>[^:\n]{{0,60}})?:\s*",
)
_SIGNOFF_RE = re.compile(
    r"\n\s*(?:(?:med\s+)?(?:venlig|venligst|kærlig)\s+hilsen\b|(?:hilsen|de\s+bedste\s+hilsner|mvh\.?|vh\.?)[ \t]*(?:\n|$)).*$",
    re.I | re.S,
)


def _enumerated(text: str) -> list[str] | None:
    """Items of a numbered/lettered/bulleted list, if the text has at least two."""
    marks = list(_ENUM_RE.finditer(text))
    if len(marks) < 2:
        return None
    # the markers must be of one kind and (for numbers/letters) consecutive from 1/a
    kinds = [re.sub(r"[\s(]", "", m.group(0)) for m in marks]
    nums = [re.match(r"(\d{1,2}|[a-h])", k) for k in kinds]
    if all(nums):
        seq = [n.group(1) for n in nums if n]
        expected = [str(i + 1) for i in range(len(seq))] if seq[0].isdigit() else [chr(97 + i) for i in range(len(seq))]
        if seq != expected:
            return None
    elif any(nums):
        return None
    items: list[str] = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        item = re.sub(r"\s+", " ", text[m.end() : end]).strip().rstrip(",;")  # "1) hvor mange …," "2) …,"
        if item:
            items.append(item)
    preamble = text[: marks[0].start()].strip()
    if preamble and not preamble.endswith(":") and _ASK_RE.search(preamble) and "?" in preamble:
        items.insert(0, re.sub(r"\s+", " ", preamble))
    return items if len(items) >= 2 else None


def _next_refers_back(later: list[str]) -> bool:
    """The next question points back at what the sentence before it named ("Hvilke af dem …?", "Hvilke
    bevillinger drejer det sig om?", "… hvilke af bevillingerne …"): that sentence named the thing asked about."""
    nxt = next((x for x in later if "?" in x), "")
    return bool(re.search(r"\b(?:dem|de|disse|det|den)\b", nxt, re.I) or _BARE_DEFINITE_RE.search(nxt))


def _own_indirect_ask(sentence: str, later: str) -> bool:
    """A request sentence with an indirect question of its own ("…, hvilke af de bevillinger … bør videreføres")
    whose subject the questions after it do not repeat: an ask, not the umbrella over them ("… jeg vil gerne
    vide, hvad ministrene har sagt.")."""
    from .analysis import analyze

    m = re.search(
        r",?\s+(?:hvilke[nt]?|hvad|hvor\s+(?:mange|meget|stor[et]?)|hvornår|hvordan|hvorfor|hvem)\b(.+)$",
        sentence,
        re.I,
    )
    if not m:
        return False
    own = set(analyze(m.group(1), query=True))
    if len(own) < 4:
        return False
    return len(own & set(analyze(later, query=True))) < 0.5 * len(own)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def _split_og(sentence: str) -> list[str]:
    """Split "hvor mange ... og hvad ..." into two asks; the shared stem is repeated when there is one.

    The left clause must itself ask: contain an interrogative word, or be a yes/no
    question opening with a finite verb ("Vil forvaltningen ..., og hvad ...?").
    """
    # context sentences before the ask ("I august 2020 bad udvalget ministeren redegøre for, hvordan …. Hvad
    # svarede ministeren, og …?"): the first interrogative is looked for in the asking sentence
    # (without a question mark: the last sentence asks, "… kan man se, hvad …. Jeg beder om at få oplyst …")
    q_at = sentence.find("?")
    if q_at < 0:
        # the last sentence that asks (not "Spørgeren ønsker en udførlig besvarelse." after it)
        starts = [0, *(m.end() for m in re.finditer(r"[.!]\s+", sentence))]
        asking = [
            a
            for a in starts
            if (_INTERROG_RE.search(sentence[a:]) or _REQUEST_RE.search(sentence[a:]))
            and not _META_RE.match(sentence[a:])
        ]
        q_at = (asking[-1] if asking else starts[-1]) + 1
    bound = sentence_start(sentence, q_at)
    first = _INTERROG_RE.search(sentence, bound + 2 if bound >= 0 else 0)
    # a yes/no question opens with its verb: "Vil forvaltningen …", "Kan en beskyttet bolig …"
    yes_no = (
        _YES_NO_RE.match(sentence) is not None
        or re.match(r"^(?:vil|kan|kunne|er|har|bør|skal|må|findes|bliver)\s+\w+", sentence, re.I) is not None
    )
    if not first and not yes_no:
        return [sentence]
    parts: list[str] = []
    pos = 0
    lead = (
        re.search(r",?\s+(?:og|samt)\s+$", sentence[: first.start()])
        if first and not yes_no and re.match(_COMMA_INTERROG, first.group(0), re.I)
        else None
    )
    if (
        lead
        and _REQUEST_RE.search(sentence[bound + 1 if bound >= 0 else 0 : lead.start()])
        and not _INTERROG_RE.search(sentence[bound + 1 if bound >= 0 else 0 : lead.start()])
    ):
        # "Jeg beder om at få oplyst udvalgets samlede nettobudget for …, og hvordan posten … udvikler sig": a
        # request for a thing, then an indirect question; two asks, no shared stem
        parts.append(sentence[: lead.start()])
        pos = first.start()
    for m in _OG_SPLIT_RE.finditer(sentence, first.end() if first and not yes_no else 0):
        if first and m.start() < first.end() and not re.search(r"\b(?:og|samt)\b", m.group(0)):
            continue  # "Kan forvaltningen oplyse, hvor mange ...": the comma before the first ask is the stem's
        left = sentence[pos : m.start()].strip()
        if sentence[m.end() :].lower().startswith("om ") and (
            re.search(r"\b(?:oplyse|vide|spørge|høre|fortælle|redegøre\s+for)\s*,\s*om\s", sentence, re.I)
            or _governs(left)
            or _GOVERNS_VERB_RE.search(left)
            or not _om_clause(sentence[m.end() :])
        ):
            # "Kan forvaltningen oplyse, om X, om Y og om Z?": the "om"-list shares its stem (``_split_om``);
            # "… svaret på, om det er dyrere": governed; "… om tilfredsheden og om de pårørendes rolle": "om" is
            # the preposition, not a yes/no question of its own
            continue
        if (not parts and not (yes_no or _INTERROG_RE.search(left))) or len(left.split()) < 3:
            continue
        if re.fullmatch(
            r"\s*hvor\s+(?:meget|mange|stor[et]?)(?:\s+(?:i\s+alt|samlet|om\s+året|årligt))?\s*[?.]?\s*",
            sentence[m.end() :],
            re.I,
        ):
            continue  # "Hvilket initiativ lagde beslag på flest penge, og hvor meget?": how much of that one
        tail = re.split(r",?\s+og\s+", left)[-1]  # the clause before the comma
        bare_comma = m.group(0).strip() == ","
        clause = re.split(r"[.!?]\s+", left)[-1]  # the sentence the comma is in
        if (
            bare_comma
            and (
                # ("… konkret blevet brugt til, hvordan er beløbet fordelt …?": a direct question after it asks on its own)
                (
                    _governs(left)
                    # (the first piece ending "… sagt om," is the stem the asks after it share, below; one ending
                    # "… kriterierne for," or "… svarede … på," governs the clause after it)
                    and (parts or tail != left or not _STEM_LEAD_RE.search(left.rstrip(" ,")))
                    and not _direct_after(sentence[m.end() :])
                )
                or (
                    _GOVERNS_VERB_RE.search(left)
                    # ("hvor mange ledige ældreboliger den efterfølgende opgørelse viste, hvad …": the indirect
                    # question's own verb at its end, not a verb governing the next clause)
                    and not (
                        re.search(r"\b(?:viste|oplyste|forklarede|beskrev|spurgte|besluttede)$", left, re.I)
                        and re.match(rf"{_COMMA_INTERROG}\b", re.split(r",\s*", left)[-1], re.I)
                        and not _direct_order(re.split(r",\s*", left)[-1])
                    )
                )
                or not _INTERROG_RE.search(clause)
            )
        ):
            continue  # "… og betyder det noget for, hvordan vi visiterer?": the clause is what "for" governs
        parts.append(left)
        pos = m.end()
    if not parts:
        return [sentence]
    parts.append(sentence[pos:].strip())
    if (
        len(parts) >= 2
        and (
            why := re.fullmatch(
                r"\s*(hvorfor|hvad\s+(?:var|er)\s+begrundelsen(?:\s+for\s+det)?)\s*[?.]?\s*", parts[-1], re.I
            )
        )
        and re.search(r"\bhvad\s+(?:sagde|svarede|mente|skrev|oplyste)\b", " ".join(parts[:-1]), re.I)
    ):
        # "Hvad sagde ministeren om, hvorvidt …, og hvorfor?" / "…, og hvad var begrundelsen?": why the minister
        # said so, one ask
        parts = [*parts[:-2], f"{parts[-2].rstrip(' ,?.')}, og {why.group(1).lower()}"]
        if len(parts) == 1:
            return [sentence]
    # "… hvad har analyserne vist om, hvorvidt tillæggene virker?": a piece that ends in the word governing
    # the next one is not an ask of its own; they stay one (unless the stem rule below shares it out)
    if (
        len(parts) == 2
        and re.search(r"\b(?:om|vist\s+om|oplyse|vide|spørge|forklare|redegøre\s+for)$", parts[0].rstrip(" ,"), re.I)
        and (
            re.match(r"(?:hvorvidt|om)\b", parts[1], re.I)
            or (re.match(_COMMA_INTERROG, parts[1], re.I) and not _direct_after(parts[1]))
        )
    ):
        # ("Hvad har ministeren svaret på spørgsmålet om, hvordan ældreaftalen … er fulgt op?": one ask)
        return [sentence]

    # "Hvad har ministeren sagt om, hvor godt …, og hvordan …?": the first piece is the stem of the others
    if (
        len(parts) > 2
        and re.search(r"\b(?:om|hvorvidt|oplyse|redegøre\s+for|spørge|vide)$", parts[0].rstrip(" ,"), re.I)
        and not re.search(r"\btale\s+om$", parts[0].rstrip(" ,"), re.I)
    ):
        lead = parts[0].rstrip(" ,")
        # a piece in a direct question's word order ("hvornår ventede ministeren …") asks on its own; the
        # lead governs only the indirect ones ("om, hvordan aftalen var blevet fulgt op")
        governed = [p for p in parts[1:] if not _direct_order(p)]
        alone = [p for p in parts[1:] if _direct_order(p)]
        if len(governed) == 1:
            parts = [f"{lead}, {governed[0]}", *alone]
        else:
            parts = [f"{lead}, {p[0].lower() + p[1:] if p else p}" for p in governed] + alone
        first = None
    ends_q = sentence.rstrip().endswith("?")
    stem = ""
    if first and first.start() < len(parts[0]):
        stem = sentence[: first.start()]
        # ("Jeg vil også gerne vide, i hvilke år …, hvad …": the preposition belongs to the first ask)
        stem = re.sub(r"\b(?:i|på|for|til|med|fra|ved|efter|under)\s+$", "", stem, flags=re.I)
        stem = stem if re.search(r"\w", stem) else ""
        if yes_no and not re.search(
            r"\b(?:oplyse|fortælle|redegøre\s+for|forklare|svare\s+på|vide)\s*,?\s*$", stem, re.I
        ):
            # "Kan hjemmeplejen gøre rent hos en borger, hvor …, og hvad sagde …?": the yes/no question is an
            # ask of its own, not a stem the next ask shares ("Kan forvaltningen oplyse, hvor …, og hvordan …")
            stem = ""
    out: list[str] = []
    for i, p in enumerate(parts):
        p = p.rstrip(" ,;–—-")  # "hvornår slutter arbejdet – og hvad …": the dash belongs to the join
        if i > 0 and stem:
            # the stem is a whole sentence of context ("To af … budgetforhandlingerne. "): the ask after
            # it starts a sentence of its own
            p = stem + (_cap(p) if re.search(r"[.!?]\s*$", stem) else p)
        p = _cap(p)
        if ends_q and not p.endswith("?"):
            p = p.rstrip(".") + "?"
        elif not ends_q and not p.endswith((".", "?", "!")):
            p += "."
        out.append(p)
    return out


_DIRECT_SUBJECT = (
    r"(?:\w*ministeren|forvaltningen|kommunen|regeringen|udvalget|borgmesteren|rådmanden|administrationen|"
    r"man|de|der|det|den|han|hun|vi|jeg)"
)


def _direct_after(text: str) -> bool:
    """ "hvordan er beløbet fordelt …": an asking word and then a finite verb, a question in its own right."""
    words = text.split()
    return len(words) >= 3 and bool(re.match(_COMMA_INTERROG, words[0], re.I)) and words[1].lower() in _FINITE_WORDS


def _om_clause(text: str) -> bool:
    """ "om kommunen stadig har …", "om det kan betales": "om" opening a yes/no clause (a finite verb within
    four words), not the preposition ("om de pårørendes rolle")."""
    words = text.split()[1:6]
    return any(_finite(w) for w in words[1:])


def _direct_order(piece: str) -> bool:
    """ "hvornår ventede ministeren at svare": interrogative, finite verb, subject — a direct question."""
    return bool(
        re.match(
            rf"^(?:(?:i|på|for|til|med|fra)\s+)?{_COMMA_INTERROG}\s+[a-zæøå]+\s+{_DIRECT_SUBJECT}\b",
            piece.strip(),
            re.I,
        )
    )


def _split_om(sentence: str) -> list[str]:
    """ "Kan forvaltningen oplyse, om X, om Y og om Z?" -> three asks sharing the stem."""
    m = re.search(r",\s*om\s", sentence)
    if not m or len(re.findall(r"(?:,|\bog|\bsamt)\s+om\s", sentence)) < 2:
        return [sentence]
    stem = sentence[: m.start()].rstrip(" ,")
    rest = sentence[m.end() - 3 :].strip()
    pieces = [
        p.strip(" ,") for p in re.split(r"(?:,\s*(?:og\s+|samt\s+)?|\s+(?:og|samt)\s+)(?=om\s)", rest) if p.strip(" ,")
    ]
    if len(pieces) < 2 or any(len(p.split()) < 3 for p in pieces):
        return [sentence]
    ends_q = sentence.rstrip().endswith("?")
    return [f"{stem}, {p.rstrip('?.')}" + ("?" if ends_q else ".") for p in pieces]


# --- neutral, self-contained parts ------------------------------------------

# the asker's preamble before the ask itself: "Forud for budgetforhandlingerne vil jeg gerne spørge
# forvaltningen, hvilke ..." -> "hvilke ..."; "Herudover ønsker jeg oplyst, hvad ..." -> "hvad ..."
_PREAMBLE_RE = re.compile(
    r"^(?:(?:med\s+afsæt\s+i|forud\s+for|i\s+forbindelse\s+med|på\s+baggrund\s+af|i\s+lyset\s+af)\s+[^,]{1,120}?\s+)?"
    r"(?:(?:herudover|derudover|endvidere|desuden|samtidig|og|samt|endelig)\s*,?\s+)?"
    r"(?:(?:vil|ville|skal)\s+(?:jeg|vi)\s+(?:også\s+)?(?:gerne\s+)?(?:spørge|vide|bede\s+om\s+at\s+få\s+oplyst|have\s+oplyst|bede\s+forvaltningen\s+(?:om\s+at\s+)?oplyse)"
    r"|(?:jeg|vi)\s+(?:vil|ville)\s+(?:også\s+)?gerne\s+(?:spørge|vide|have\s+oplyst|forstå|høre)"
    r"|(?:ønsker|ønskes)\s+(?:jeg|vi)?\s*(?:også\s+)?(?:oplyst|at\s+vide|en\s+redegørelse\s+for)"
    r"|(?:jeg|vi)\s+(?:ønsker|beder\s+om)\s+(?:også\s+)?(?:oplyst|at\s+vide|at\s+få\s+oplyst|en\s+redegørelse\s+for))"
    r"(?:\s+(?:forvaltningen|ministeren|borgmesteren|rådmanden|administrationen))?(?:\s+om)?\s*,?\s+",
    re.I,
)
_SUBJECTS = (
    r"(?:forvaltningen|kommunen|ministeren|ministeriet|borgmesteren|rådmanden|udvalget|administrationen|man|regeringen)"
)
_PRONOUN_LED = re.compile(
    r"^(?P<w>hvor\s+meget|hvor\s+mange|hvor\s+stor[et]?|hvad|hvornår|hvordan|hvorfor|hvem)\s+"
    r"(?P<pron>de|det|den|disse|dette|denne)\s+(?P<rest>.+?)[?.]?$",
    re.I,
)
_MODALS = {"vil", "kan", "skal", "bør", "må", "forventes", "ventes", "skønnes", "vurderes", "anslås"}
_PRONOUNS_ANY = re.compile(
    r"\b(?:de|dem|deres|det|den|disse|dette|denne|heraf|hver)\b[?.]?\s*$|\b(?:dem|deres)\b", re.I
)


def _strip_preamble(part: str) -> str:
    """The ask itself, in the asker's (often indirect) word order: "vil jeg gerne spørge, hvilke ..." -> "hvilke ..."."""
    text = re.sub(r"^(?:og|samt|men)\s+(?=\w)", "", part.strip(), flags=re.I)
    m = _PREAMBLE_RE.match(text)
    if m and len(text) - m.end() >= 12:
        text = text[m.end() :]
    m = re.match(
        r"^(?:herunder|herudover|derudover|endvidere|desuden)\s*,?\s+(mulighed(?:en|erne)?\s+for\s+.+)$",
        text,
        re.I | re.S,
    )
    if m:
        text = "er der " + m.group(1).rstrip(".?")
    return text.strip().rstrip(".")


def neutral_form(part: str) -> str:
    """The ask without the asker's preamble and first person, as a direct question where a safe rule allows."""
    text = _strip_preamble(part)
    # indirect word order with a named subject: "hvad forvaltningen anbefaler ..." -> "hvad anbefaler forvaltningen ..."
    text = re.sub(
        rf"^({_INTERROG}(?:\s+af\s+de)?(?:\s+[^,]+,\s*der\s+[^,]+,)?)\s+({_SUBJECTS}(?:\s+(?:ikke|også|selv|fortsat|stadig))?)"
        r"\s+(\w+(?:er|es|r))\b",
        r"\1 \3 \2",
        text,
        count=1,
        flags=re.I,
    )
    # "hvad en forsøgsordning ... forventes at koste" -> "hvad forventes en forsøgsordning ... at koste"
    text = re.sub(
        r"^(hvad|hvor\s+meget|hvor\s+mange|hvornår)\s+((?:en|et|den|det|de)\s+[^,?]+?)\s+"
        r"(forventes|ventes|vil|kan|skal|skønnes|anslås|vurderes)\s+((?:at\s+)?\w+)$",
        r"\1 \3 \2 \4",
        text,
        count=1,
        flags=re.I,
    )
    # "hvilke muligheder der er for at" -> "hvilke muligheder er der for, at"; "hvilke bevillinger der udløber" -> "... udløber"
    text = re.sub(
        r"^(hvilke[nt]?\s+\w+)\s+der\s+er\s+(for|til|i|på|med)\s+at\b", r"\1 er der \2, at", text, count=1, flags=re.I
    )
    text = re.sub(r"^(hvilke[nt]?\s+\w+)\s+der\s+er\s+(for|til|i|på|med)\b", r"\1 er der \2", text, count=1, flags=re.I)
    text = re.sub(
        r"^(hvilke[nt]?\s+\w+|hvem|hvad|hvor\s+mange\s+\w+)\s+der\s+(?!er\b)(\w+)", r"\1 \2", text, count=1, flags=re.I
    )
    if not text.endswith("?") and (
        _INTERROG_RE.match(text) or _YES_NO_RE.match(text) or text.lower().startswith("er der")
    ):
        text += "?"
    elif not text.endswith(("?", "!", ".")):
        text += "."
    return _cap(text)


def _noun_phrase(part: str) -> str | None:
    np = _noun_phrase_of(part)
    if np and len(np.split()) > 1 and np.split()[1].rstrip(",").lower() in ("dem", "de", "disse", "det"):
        return None  # "Hvilke af dem …": the noun is in the part before, not here ("hver af de dem, som …")
    return np


def _noun_phrase_of(part: str) -> str | None:
    """The thing a "hvilke/hvor mange" part asks about, as a noun phrase a following part can refer to.

    "hvilke af de bevillinger ..., der udløber til Budget 2026, forvaltningen anbefaler at videreføre"
    -> "de bevillinger ..., der udløber til Budget 2026, og som forvaltningen anbefaler at videreføre".
    """
    t = _strip_preamble(part).rstrip("?.")
    t = re.sub(r"^(?:kan|vil)\s+(?:forvaltningen|I|du)\s+(?:oplyse|fortælle|redegøre\s+for)\s*,?\s+", "", t, flags=re.I)
    t = t[:1].lower() + t[1:]
    # "hvilke af de bevillinger, der udløber til Budget 2026, forvaltningen ikke mener bør fortsætte": the
    # subject before its verb, as an indirect question has it
    m = re.match(
        rf"^hvilke[nt]?\s+af\s+(?:de|den|det)\s+(?P<np>[^,]+),\s*(?P<rel>(?:der|som)\s+[^,]+),\s*"
        rf"(?P<subj>{_SUBJECTS})\s+(?P<adv>(?:ikke|også)\s+)?(?P<v>\w+)\s+(?P<rest>.+)$",
        t,
        re.I,
    )
    if m and _finite(m.group("v"), m.group("subj")):
        adv = m.group("adv") or ""
        return f"de {m.group('np')}, {m.group('rel')}, og som {m.group('subj')} {adv}{m.group('v')} {m.group('rest')}"
    # "hvilke af de tidsbegrænsede midler, der ophører næste år, har forvaltningen overladt til …":
    # the noun, its relative clause, and the main clause turned into a second one
    m = re.match(
        rf"^hvilke[nt]?\s+af\s+(?:de|den|det)\s+(?P<np>[^,]+),\s*(?P<rel>(?:der|som)\s+[^,]+),\s*"
        rf"(?P<v>\w+)\s+(?P<subj>{_SUBJECTS})\s+(?P<rest>.+)$",
        t,
        re.I,
    )
    if m:
        rest = re.sub(r"\bos\s+politikere\b", "politikerne", m.group("rest"), flags=re.I)
        return f"de {m.group('np')}, {m.group('rel')}, og som {m.group('subj')} {m.group('v')} {rest}"
    m = re.match(
        rf"^(?:hvilke[nt]?|hvor\s+mange)\s+(?:af\s+)?(?:(?:de|den|det)\s+)?(?P<np>.+?)(?:,\s*|\s+)(?P<cl>{_SUBJECTS}\s+\w+.*)$",
        t,
        re.I,
    )
    if m:
        np = m.group("np").rstrip(", ")
        cl = m.group("cl")
        # "Hvilke udløb mener forvaltningen bør fortsætte": the verb before the subject belongs after it
        # ("de udløb, som forvaltningen mener bør fortsætte", not "de udløb mener, som forvaltningen …")
        inv = re.match(
            r"^(?P<np>.+?)\s+(?P<v>mener|synes|finder|vurderer|anbefaler|foreslår|forventer|regner|ønsker|har|havde|vil|kan|skal|er)$",
            np,
            re.I,
        )
        if inv:
            subj, _, rest = cl.partition(" ")
            np, cl = inv.group("np"), f"{subj} {inv.group('v')} {rest}".strip()
        joiner = ", og som " if re.search(r",\s*(?:der|som)\s", np) else ", som "
        np = re.sub(r"^([a-zæøå]{3,}er)ne\b", r"\1", np)  # "hvilke af bevillingerne" -> "de bevillinger, som …"
        return f"de {np}{joiner}{cl}"
    m = re.match(r"^hvilke[nt]?\s+(?:af\s+de\s+)?(?P<np>\w+(?:\s+\w+)?)\s+der\s+(?P<rel>.+)$", t, re.I)
    if m:
        return f"de {m.group('np')}, der {m.group('rel')}"
    m = re.match(
        r"^hvilke[nt]?\s+(?:af\s+de\s+)?(?P<np>\w+)\s+(?P<v>\w+(?:er|es)|er|har|får)\s+(?P<rest>[^?]+)$", t, re.I
    )
    if m and not m.group("v").lower().startswith("der"):
        return f"de {m.group('np')}, der {m.group('v')} {m.group('rest')}"
    m = re.match(
        r"^(?:hvilke[nt]?|hvor\s+mange)\s+(?:af\s+)?(?:(?:de|den|det)\s+)?(?P<np>[^,]+?)\s+(?:findes|er|har|udløber|bliver|får)\b",
        t,
        re.I,
    )
    if m:
        return m.group("np").strip()
    return None


# words that do not name a subject: who is asked, and what kind of answer
_NOT_SUBJECT = set(
    """hvad hvilke hvilken hvilket hvor hvornår hvordan hvorfor hvem mange meget stor store stort anbefaler anbefale
    mener vurderer gør gøre vil kan skal bør forvaltningen kommunen ministeren udvalget man der det de den dem
    deres disse dette denne om at er har og i på til for med af koster koste koste udgør beløb beløbet det
    samlet samlede hver enkelt egentlig første årene derefter efterfølgende følgende året""".split()
) | {  # definite nouns that point back to the earlier part's subject ("hvad gør man med bevillingen?")
    "bevillingen", "bevillingerne", "ordningen", "indsatsen", "indsatserne", "midlerne", "projektet", "forsøget",
    "tilbuddet", "puljen", "initiativet", "beløbet", "beløbene", "udgiften", "udgifterne", "tiltaget", "tiltagene",
    "pengene",
}  # fmt: skip


def _has_subject(part: str) -> bool:
    words = [w.lower() for w in re.findall(r"[A-Za-zÆØÅæøå-]+", part)]
    return any(len(w) >= 4 and w not in _NOT_SUBJECT for w in words)


_INSTITUTION_RE = re.compile(
    r"^(?:sundheds|omsorgs|social|ældre|budget|kommun|københavn|roskilde|frederiksberg|folketing|forvaltning|"
    r"udvalg|regering|minister|byråd|borgerrepræsentation|jeg|vi|det|den|de|hvad|hvor|hvilke|hvordan|hvorfor|"
    r"dansk|folkeparti|socialdemokrat|venstre|enhedslisten|konservative|liberal|radikale|alternativet|moderaterne)",
    re.I,
)


def _named_scheme(text: str) -> str | None:
    """A scheme named with a capital inside a sentence ("… at fortsætte Tryg hjemkomst fra hospital."): what
    "indsatsen" or "ordningen" in a later part stands for; not an institution, a place or a sentence start."""
    for m in re.finditer(r"(?<=[a-zæøå,]\s)([A-ZÆØÅ][a-zæøå]+(?:\s+[a-zæøå]+){0,3})", text):
        name = m.group(1)
        if _INSTITUTION_RE.match(name):
            continue
        words = name.split()
        while words and (words[-1].lower() in _NOT_AN_END or words[-1].lower() in _NOT_SUBJECT):
            words.pop()
        if len(words) >= 2:
            return " ".join(words)
    return None


def _plausible(np: str | None) -> str | None:
    """A subject phrase that reads as one: at most twenty words, not ending in a preposition or an adverb
    ("ensomhed skelnede forvaltningens analyse mellem" is a clause, not what the part is about)."""
    if not np:
        return None
    words = np.split()
    if len(words) > 20 or words[-1].lower() in _NOT_AN_END:
        return None
    if words[-1].lower() == "sig" or (len(words) > 1 and words[-1].lower() in _FINITE_WORDS):
        return None  # "Pleje og træning udvikler sig": a clause, not what the part is about
    if (words[0].lower() in ("os", "jer", "mig", "dig") or (words[0].lower() == "at" and len(words) <= 2)) or (
        len(words) == 1
        and (
            len(words[0]) <= 4
            or words[0].lower() in _GENERIC_TOPICS
            or re.search(r"(?:ale|lige|iske|ede|ende|elle)$", words[0].lower())  # "(nationale)": an adjective
        )
    ):
        return None  # "(at blive)", "(os politikere)", "(folk)": how it is asked, not what it is about
    return np


# one word that names no subject of its own in a heading's "(…)": "(penge)", "(ældre)", "(bevillinger)"
_GENERIC_TOPICS = {
    "penge", "pengene", "ældre", "borgere", "borgerne", "bevillinger", "bevillingerne", "midler", "midlerne",
    "kommunen", "foreninger", "foreningerne", "forvaltningen", "udvalget", "området", "socialrådgiveren",
}  # fmt: skip
_NOT_AN_END = {"mellem", "om", "for", "til", "på", "af", "med", "i", "fra", "ved", "efter", "egentlig"}


def _subject_of(part: str) -> str | None:
    """What an earlier part is about, for a later part that names nothing: "… udløber til faste teams …"."""
    t = _strip_preamble(part).rstrip("?.")
    # "Hvad sker der med ordningen, der skal gøre overgangen fra sygehus til eget hjem sikker for ældre: …":
    # a definite noun with its relative clause, before the colon that opens the asks
    m = re.search(
        r"\b(?:med|om|for)\s+(?P<np>(?:den|det|de)?\s*[a-zæøå-]+(?:en|et|ne|erne)\s*,\s*(?:der|som)\s+[^:?]{5,160}?)\s*:",
        t,
        re.I,
    )
    if m and _has_subject(m.group("np")):
        return m.group("np").strip()
    t = re.sub(
        r"\s+(?:ved\s+udgangen\s+af|i|til|fra|efter|før|pr\.)\s+(?:(?:budget|året)\s+)?\d{4}(?:-\d{2,4})?$",
        "",
        t,
        flags=re.I,
    )
    t = re.sub(r"\s+(?:om\s+året|om\s+måneden|hvert\s+år|årligt|i\s+alt)$", "", t, flags=re.I)  # when, not what
    # "… i hvert af årene 2025 til 2028", "… i perioden 2025-2028", "… fra år til år": when, not what
    t = re.sub(
        r"\s+(?:fra\s+år\s+til\s+år|år\s+for\s+år)(?=\s+(?:i|for|over)\s+(?:årene|perioden)\b|$)", "", t, flags=re.I
    )
    t = re.sub(
        r"\s+(?:i|for|over)\s+(?:hvert\s+af\s+)?(?:årene|perioden)\s+(?:19|20)\d\d(?:\s*(?:[-–]|til|og)\s*(?:19|20)\d\d)?$",
        "",
        t,
        flags=re.I,
    )
    # "… støtte borgere med demens udløber": the thing, not the verb that ends the clause
    t = re.sub(r"\s+(?:udløber|ophører|stopper|bortfalder|slutter|forsvinder)$", "", t, flags=re.I)
    m = re.search(
        r"\b(?:til|om|for|med|vedrørende|vedr\.|(?<=bruger\s)på|(?<=brugt\s)på)\s+"
        r"(?P<np>(?:[a-zæøå]+\s+){0,8}?[a-zæøå]+(?:\s+(?:og|på|i|til)\s+[\wæøå-]+){0,4})$",
        t,
        re.I,
    ) or re.search(
        # "Hvad er nyt i Roskildes opdaterede demensstrategi?": what "den" in the next part stands for
        r"\b(?:i|på)\s+(?P<np>[A-ZÆØÅa-zæøå]+s\s+(?:[a-zæøå]+\s+){0,2}[a-zæøå]{6,})$",
        t,
    )
    if m and _has_subject(m.group("np")):
        np = m.group("np")
        # "… med at bruge netto på pleje og træning": the thing, after the last "på", not the verb phrase
        last = re.search(
            r"^(?:at\s+)?[a-zæøå]+(?:\s+[a-zæøå]+)?\s+på\s+(?P<np>[a-zæøå]+(?:\s+og\s+[a-zæøå]+)?)$", np, re.I
        )
        return last.group("np") if last and _has_subject(last.group("np")) else np
    # "Hvem skal hjælpe de socialt udsatte borgere videre?": the definite object a who-question is about
    m = re.match(
        r"^hvem\s+(?:skal|kan|vil|har|får)\s+[a-zæøå]+\s+(?:de|den|det)\s+(?P<np>(?:[a-zæøå]+\s+){0,3}[a-zæøå]{5,})\b",
        t,
        re.I,
    )
    if m and _has_subject(m.group("np")) and not any(_finite(w) for w in m.group("np").split()):
        return m.group("np")
    return None


_ANAPHOR_RE = re.compile(
    r"\b(?:de|dem|deres|det|den|disse|dette|denne|heraf|ordningen|bevillingen|bevillingerne|udløbet|udløbene|"
    r"indsatsen|indsatserne|midlerne|pengene|beløbet|beløbene|projektet|forsøget|tilbuddet|puljen|tiltagene|"
    r"det\s+beløb|det\s+tal|den\s+udgift|området)\b",
    re.I,
)


# an ask for amounts that names nothing of its own: "hvor store er beløbene", "med hvilke beløb", "hvor mange penge
# drejer det sig om"
_BARE_AMOUNTS_RE = re.compile(
    r"\s*(?:og\s+)?(?:hvor\s+store\s+er\s+beløbene|hvad\s+er\s+beløbene|med\s+hvilke[nt]?\s+beløb"
    r"|hvor\s+(?:store\s+beløb|mange\s+penge|meget)\s+(?:drejer\s+det\s+sig\s+om|er\s+der\s+tale\s+om))\s*",
    re.I,
)

_ANAPHOR_PRONOUN_RE = re.compile(r"\b(?:de|dem|deres|det|den|disse|dette|denne)\b", re.I)

# a definite noun for "the scheme / the money" with nothing after it that says which
_BARE_DEFINITE_RE = re.compile(
    r"\b(?:ordningen|bevillingen|bevillingerne|indsatsen|indsatserne|midlerne|pengene|puljen|projektet|"
    r"forsøget|tilbuddet|initiativet|tiltaget|tiltagene|beløbet|beløbene|tallet|tallene)\b"
    r"(?!\s*(?:,\s*)?(?:med|til|for|om|på|af|i|fra|under|vedrørende|der|som|,)\s)",
    re.I,
)

# a noun that points back however many words of its own the part has
_POINTS_BACK = re.compile(
    r"\b(?:det\s+beløb|det\s+tal|den\s+udgift|de\s+midler|det\s+område|området|beløbet|beløbene)\b", re.I
)


def _subject_words(part: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-zÆØÅæøå-]+", part) if len(w) >= 4 and w.lower() not in _NOT_SUBJECT]


def _carry_subject(part: str, np: str | None, previous: str | None = None, first: str | None = None) -> str:
    # ("Kort spørgsmål til budgetarbejdet: …": what the lead-in says is that questions follow, not their subject)
    previous = _META_LEAD_RE.sub("", previous) if previous else previous
    first = _META_LEAD_RE.sub("", first) if first else first
    return _carry(part, np, previous, first)


def _carry(part: str, np: str | None, previous: str | None = None, first: str | None = None) -> str:
    """A later part that refers back gets the subject it refers to, so it can be searched and answered alone.

    "hvor meget de koster" -> "Hvor meget koster de bevillinger …, som forvaltningen anbefaler at videreføre?";
    "og hvad anbefaler forvaltningen?" -> "Hvad anbefaler forvaltningen om faste teams …?";
    "Hvordan blev de finansieret i 2025?" -> "Hvordan blev de finansieret i 2025 (madklubber)?".
    """
    t = part.strip().rstrip("?.")
    end = "?" if part.rstrip().endswith("?") else "."
    if np:
        m = _PRONOUN_LED.match(t)
        if m:
            words = m.group("rest").split()
            w = m.group("w")
            if words and words[0].lower() in _MODALS and len(words) >= 2:
                return _cap(f"{w} {words[0]} {np} {' '.join(words[1:])}?")
            return _cap(f"{w} {' '.join(words[:1])} {np}{' ' + ' '.join(words[1:]) if len(words) > 1 else ''}?")
        if np.startswith("de ") and _BARE_AMOUNTS_RE.fullmatch(t):
            # "Hvilke af de bevillinger, der …, og hvor store er beløbene?": the amounts of the items the part before
            # asks for ("… (bevillinger og vurdering)" lost which items, and the part was left unanswered)
            return _cap(f"{t} for {np}?")
        if re.search(r"\bfor\s+hver$", t, re.I) and np.startswith("de "):
            return _cap(f"{t} af {np}?")
        if (
            re.search(r"\baf\s+dem\b", t, re.I)
            and np.startswith("de ")
            and np.split()[1].lower() not in ("dem", "de", "disse")
        ):
            # "hvor stort er det største af dem?" -> "… af de tidsbegrænsede midler, der …?"; "hvor meget hver
            # af dem udgør" -> "hvor meget hver af de bevillinger, … udgør"
            return _cap(re.sub(r"\baf\s+dem\b", lambda _m: f"af {np}", t, count=1, flags=re.I) + "?")
    if previous is None:
        return part
    bare = re.fullmatch(r"(?P<w>hvorfor|hvordan|hvornår)", t.strip(), re.I)
    prev = re.match(
        r"^hvilke[nt]?\s+(?P<n>(?:to|tre|fire|fem|\d+)\s+)?(?P<np>[\wæøå-]+(?:\s+[\wæøå-]+)?)\s+"
        r"(?P<v>[\wæøå]+(?:er|es))\s+(?P<rest>[^?]+)\?$",
        previous.strip(),
        re.I,
    )
    if prev and not (_finite(prev.group("v")) or prev.group("v").lower().endswith("es")):
        prev = None  # "Hvilke konkrete idéer har …": "idéer" is the noun, not the verb
    if bare and prev:
        # "Hvilke to bevillingsudløb kommer på en særskilt liste, og hvorfor?" ->
        # "Hvorfor kommer de to bevillingsudløb på en særskilt liste?"
        n = prev.group("n") or ""
        return _cap(f"{bare.group('w')} {prev.group('v')} de {n}{prev.group('np')} {prev.group('rest')}?")
    # (the year of the part before, or of the first part: "… i 2017, hvor meget får de …, og hvad koster
    # pakken i alt det år?")
    year = re.search(r"\b(?:19|20)\d\d\b", previous) or (re.search(r"\b(?:19|20)\d\d\b", first) if first else None)
    last_sentence = re.split(r"(?<=[.:])\s+", previous.strip())[-1]
    years = list(dict.fromkeys(re.findall(r"\b(?:19|20)\d\d\b", last_sentence)))
    ranged = re.search(r"\b(?:19|20)\d\d\s*(?:[-–]|til)\s*(?:19|20)\d\d\b", last_sentence)
    if len(years) >= 2 and not ranged and re.search(r"\b(?:de\s+)?samme\s+(?:to|tre|fire|fem|seks|\d)\s+år\b", t, re.I):
        # "… over de samme fire år" after "… for hvert af årene 2025, 2026, 2027 og 2028": those years
        listed = ", ".join(years[:-1]) + f" og {years[-1]}"
        t = re.sub(r"\b(?:de\s+)?samme\s+(?:to|tre|fire|fem|seks|\d)\s+år\b", f"årene {listed}", t, count=1, flags=re.I)
        part = f"{t}{end}"
    span_rx = r"\b(?:perioden\s+)?((?:19|20)\d\d)\s*(?:[-–]|til)\s*((?:19|20)\d\d)\b"
    span = re.search(span_rx, previous) or (re.search(span_rx, first) if first else None)
    same = r"\b(?:i\s+)?de\s+samme\s+(?:(?:to|tre|fire|fem|seks)\s+)?år\b"
    if span and re.search(same, t, re.I):
        # "… og hvad er udvalgets samlede nettobudget i de samme år?" after "… i perioden 2025-2028": that period
        t = re.sub(
            same,
            lambda m: f"{'i ' if m.group(0).lower().startswith('i ') else ''}årene {span.group(1)}-{span.group(2)}",
            t,
            count=1,
            flags=re.I,
        )
        part = f"{t}{end}"
    if year and re.search(r"\b(?:det|samme)\s+år\b", t, re.I) and not re.search(r"\bde\s+samme\s+år\b", t, re.I):
        # "… og hvad er udvalgets samlede nettobudget det år?": the year of the part before
        t = re.sub(r"\b(?:i\s+)?(?:det|samme)\s+år\b", f"i {year.group(0)}", t, count=1, flags=re.I)
        part = f"{t}{end}"
    # (the ask after a context sentence or a lead-in "…budgettabel …: hvad giver det netto?" is what refers)
    whole, t = t, re.split(r"(?<=[.:])\s+", t)[-1]
    refers = bool(_ANAPHOR_RE.search(t)) and len(_subject_words(t)) <= 2
    if re.search(
        r"\b(?:pengene|midlerne|beløbet|bevillingen|ordningen)\s+(?:til|for|på|med)\s+[\wæøå-]{4,}", t, re.I
    ) and not (_ANAPHOR_PRONOUN_RE.search(t)):
        refers = False  # "… med pengene til seniorklubberne": they are named
    # "Hvornår blev ordningen sidst forlænget?", "Hvad bruges pengene til?": a bare definite noun for the
    # thing itself is the earlier part's subject (not "ordningen med klippekort", which names its own)
    bare = bool(_BARE_DEFINITE_RE.search(t)) and len(_subject_words(t)) <= 3
    refers = refers or bare
    # "Hvor meget det beløb forventes at være vokset til i 2028?": a demonstrative noun points back
    refers = refers or bool(_POINTS_BACK.search(t))
    # "Kunne ministeren gribe ind?": a yes/no part with hardly a word of its own is about the earlier subject
    refers = refers or (bool(_YES_NO_RE.match(t) or re.match(_YESNO_AFTER_OG, t, re.I)) and len(_subject_words(t)) <= 2)
    if _has_subject(part) and not refers:
        return part
    t = whole
    # "ordningen" / "pengene" stands for the thing the part before is about ("… brugt deres klippekort"),
    # its key noun, rather than who it speaks of
    carried = CARRIED_RE.search(previous)  # the part before carries one already: the same
    topic = carried.group(1) if carried else None
    quoted = re.search(r"['‘’\"“”]([^'‘’\"“”]{3,60})['‘’\"“”]", previous)
    if topic is None and quoted and _has_subject(quoted.group(1)):
        topic = quoted.group(1)  # "under 'Andre udgifter'": the name the part before quotes
    if topic is None and bare and not _ANAPHOR_PRONOUN_RE.search(t):
        topic = _named_scheme(previous) or derive_topic(previous)
    topic = topic or _plausible(_subject_of(previous)) or (_plausible(_subject_of(first)) if first else None)
    singular = {w.lower() for w in _ANAPHOR_PRONOUN_RE.findall(t)} <= {
        "det",
        "dette",
        "den",
        "denne",
    } and not re.search(
        r"\bdet\s+(?:samlet|i\s+alt|tilsammen)\b", t, re.I
    )  # ("Hvad koster det samlet?" after "Hvilke indsatser …?": all of them)
    plural_np = bool(np) and bool(re.search(r"(?:penge|er|erne|ene|ne)$", re.split(r",", np)[0].strip(), re.I))
    if topic is None and np and not (singular and plural_np and _ANAPHOR_PRONOUN_RE.search(t)):
        # ("… brugt på værktøjet, og hvornår ved man, om det skal fortsætte?": "det" is not "penge")
        topic = re.split(r",", np)[0]
        topic = topic[3:] if topic.startswith("de ") else topic
    if topic is None:
        topic = derive_topic(first or previous)
    if (
        not topic
        or topic.lower() in t.lower()
        or not _has_subject(topic)
        or re.fullmatch(r"[a-zæøå]+(?:ale|lige|iske|ede|ende|elle)", topic.strip().lower())  # "(nationale)"
    ):
        return part  # (nor "(samlet)" from "Hvor mange penge er der samlet tale om?")
    bare_wh = re.fullmatch(
        r"\s*(?:(?:\d{1,2}|[a-h])[.)]\s*)?(?:og\s+)?(?:hvornår|hvorfor|hvordan|hvor\s+længe)\s*", t, re.I
    )
    if (
        _ANAPHOR_RE.search(t)
        or _YES_NO_RE.match(t)
        or re.match(_YESNO_AFTER_OG, t, re.I)
        or bare_wh
        or re.match(r"\s*(?:med|til|for|i|på)\s+hvilke[nt]?\b", t, re.I)  # "Med hvilke beløb (udløb)?"
    ):
        # ("Hvornår?" after "Hvilke idéer har Ældrerådet givet …": "Hvornår (idéer …)?", not "Hvornår om …?")
        return _cap(f"{t} ({topic}){end}")
    return _cap(f"{t} om {topic}{end}")


def split_question(text: str) -> list[SubQuestion]:
    """Rule-based split of a question into self-contained sub-questions (ids "1", "2", ...).

    Rules, in order: a numbered/lettered/bulleted list gives one sub-question per
    item; otherwise each sentence that asks something is a part, sentences opening
    with "Herunder/Herudover/Derudover/Endvidere/Desuden" are their own part,
    context sentences join the next ask, "Hvis ja/nej ..." follow-ups and meta
    requests ("Spørgeren ønsker en udførlig besvarelse") join the previous one;
    then an ask joining interrogative clauses with "og"/"samt" or commas ("hvor
    mange ..., hvad ... og hvornår ...") or listing "om"-clauses is split. Noun
    coordinations ("Seniorcirkler og social henvisning") are never split. Each part
    is put in neutral form (the asker's preamble and first person dropped) and a
    part that refers back with a pronoun ("og hvor meget de koster") gets the
    subject of the part before it, so it can be searched and answered on its own.
    """
    body = _SIGNOFF_RE.sub("", text.strip())
    body = _GREETING_RE.sub("", body, count=1)  # "Hej forvaltning." / "Hej." / "Kære forvaltning,": not a part
    body = _THANKS_RE.sub("", body)  # "… om året? Tak!" / "På forhånd tak.": not part of the last ask
    body = _strip_quotes(body) if body[:1] in _QUOTE_PAIRS else body
    if not body:
        return []
    items = _enumerated(body)
    enumerated = items is not None
    if items is None:
        sentences = [re.sub(r"\s+", " ", s).strip() for s in split_sentences(body)]
        has_qmark = "?" in body
        items = []
        pending: list[str] = []  # context sentences waiting for an ask
        # (the asks after each sentence: "Hvilke nationale mål …, hvad har Roskilde …, og hvad har …?" asks three)
        n_asks = [len(_split_og(x)) if "?" in x else 0 for x in sentences]
        later_q = [sum(n_asks[i + 1 :]) for i in range(len(sentences))]
        for i, s in enumerate(sentences):
            if not s:
                continue
            s = _ORDINAL_LEAD_RE.sub("", s)  # "For det første: Hvad svarede …?"
            if items and (_FOLLOWUP_RE.match(s) or _META_RE.match(s)):
                items[-1] = items[-1] + " " + s
                continue
            # ("Samtidig får jeg at vide, at beboerne selv er godt tilfredse.": an opening word of an add-on, but no ask)
            is_addon = bool(_ADDON_RE.match(s)) and (
                not re.match(r"(?:samtidig|og|samt)\b", s, re.I)
                or "?" in s
                or bool(_REQUEST_RE.search(s))
                or bool(_INTERROG_RE.search(s))
            )
            # where the text asks with question marks, a sentence without one is context
            # unless it makes an explicit request ("bedes", "ønskes", "vil gerne spørge")
            # (without any question mark, a sentence asks when it makes a request or opens with an asking word:
            # "I budgetpublikationen … kan man se, hvad udvalget har at gøre godt med." is context)
            asks = (
                "?" in s
                or _REQUEST_RE.search(s)
                or (not has_qmark and re.match(rf"\s*{_INTERROG}\b", s, re.I))
                # "Jeg kunne godt tænke mig at vide, hvad …": the asker wants to know what the clause asks
                or (not has_qmark and _WANTS_TO_KNOW_RE.search(s))
            )
            if (
                asks
                and _UMBRELLA_RE.search(s)
                and not re.search(r":\s*\S", s)
                and ("?" not in s or (later_q[i] >= 2 and len(s.split()) <= 12))
            ):
                continue  # "Jeg vil gerne have svar på et par ting." / "Kan du hjælpe mig med tre ting?": the asks follow
            if (
                asks
                and "?" not in s
                and i + 1 < len(sentences)
                and re.match(
                    r"(?:helt\s+)?konkret|mere\s+præcist|nærmere\s+bestemt|det\s+vil\s+sige", sentences[i + 1], re.I
                )
            ):
                continue  # "Jeg vil gerne vide, hvordan pengene var fordelt. Helt konkret vil jeg gerne vide, …": the
                # sentence after says what it asks
            if asks and "?" not in s and has_qmark and _NARRATED_RE.search(s):
                asks = None  # "I august 2020 bad udvalget ministeren redegøre for …": what happened, context
            if (
                asks
                and "?" not in s
                and re.search(r"\b(?:overblik|oversigt)\s+over\b", s, re.I)
                and i + 1 < len(sentences)
                # ("Hvilke drejer det sig om?" names the same set; "Hvilke af dem bør fortsætte?" asks for a part of
                # it, and the overview is then an ask of its own)
                and re.match(
                    r"\s*(?:og\s+)?hvilke[nt]?\s+(?:[\wæøå]+\s+)?(?:drejer\s+det\s+sig\s+om|er\s+det)\b",
                    sentences[i + 1],
                    re.I,
                )
            ):
                # "… vil gerne have et overblik over de udløbende bevillinger, som forvaltningen har overladt til os
                # politikere. Hvilke drejer det sig om, og hvad koster de?": the sentence names what the questions after
                # it ask about; it is their context, not an ask answered on its own (read blind r27)
                pending.append(s)
                continue
            if (
                asks
                and "?" not in s
                and not items
                # ("I Folketingets spørgetime … blev ministeren spurgt om … . Vi diskuterer …, og jeg vil gerne have styr
                # på, hvad der faktisk blev sagt." before three questions: context, then the umbrella over them)
                and (not pending or _UMBRELLA_AFTER_CONTEXT_RE.search(s))
                and later_q[i] >= 2
                # ("… vil gerne have overblik over de midlertidige bevillinger, der stopper …": an ask of its own)
                and not (
                    re.search(r"\b(?:overblik|oversigt|liste|opgørelse)\s+over\b", s, re.I)
                    and _next_refers_back(sentences[i + 1 :])
                )
                # ("Jeg vil gerne have oplyst, hvilke af de midlertidige bevillinger … bør videreføres, og hvor mange
                # penge …": an ask of its own, about what the questions after it do not name)
                and (
                    re.search(r"\b(?:overblik|oversigt)\s+over\b", s, re.I)
                    or not _own_indirect_ask(s, " ".join(x for x in sentences[i + 1 :] if "?" in x))
                )
            ):
                # "Demens fylder mere og mere, og jeg vil gerne have lidt baggrund …" / "… jeg vil gerne vide, hvad
                # ministrene har sagt." before the questions themselves: the umbrella over them, not an ask and
                # not the first part's context (the whole question is the context of every part's search)
                continue
            if is_addon or asks:
                items.append(" ".join(pending + [s]))
                pending = []
            else:
                pending.append(s)
        if pending:
            if items:
                items[-1] = items[-1] + " " + " ".join(pending)
            else:
                items.append(" ".join(pending))
    parts: list[str] = []
    for item in items:
        for piece in _split_og(item):
            parts.extend(_split_om(piece))
    out: list[str] = []
    np: str | None = None
    matter = _matter(body)
    lead = _list_lead(body) if enumerated else None
    for p in parts:
        if not p.strip():
            continue
        part = _carry_subject(neutral_form(p), np, out[-1] if out else None, out[0] if out else None)
        if lead and _bare_ask(re.sub(r"\([^()]*\)\s*\?\s*$", "?", part)) and not _names_any(part, lead):
            # "Fast Track Cities … hiv … Bevillingen står til at udløbe. Jeg har tre korte spørgsmål: – Hvor mange penge
            # har der været sat af?": a list item with hardly a word of its own is about what the lines before name
            carried = CARRIED_RE.search(part)
            inner = f"{carried.group(1)}; {lead}" if carried else lead
            part = f"{part[: carried.start()] if carried else part.rstrip(' ?.')} ({inner})?".replace("  ", " ")
        if out and matter and not CARRIED_RE.search(part) and _bare_ask(part) and matter.lower() not in part.lower():
            # "Hvad endte udvalget med at gøre?" after "På Frederiksberg har man behandlet et forslag om, at …":
            # a part with hardly a word of its own is about the matter the question opened with
            part = f"{part.rstrip(' ?.')} ({matter})?"
        out.append(part)
        # (of the asking sentence: a context sentence before it is not what "dem" points to)
        ask_np = _noun_phrase(re.split(r"(?<=[.:])\s+", p.strip())[-1])
        np = _noun_phrase(p) or (ask_np if ask_np and ask_np.startswith("de ") else None) or np
    return [SubQuestion(id=str(i + 1), text=p) for i, p in enumerate(out)]


_PLACE_RE = re.compile(
    r"\b(?:Københavns?|Roskildes?|Frederiksbergs?|Køges?|Aarhus|Odenses?|Aalborgs?)(?:\s+Kommunes?)?\b"
)


def _list_lead(body: str) -> str | None:
    """What the lines before a list of questions are about, when they only tell ("København har siden 2021 været med
    i netværket af Fast Track Cities … nye hiv-tilfælde … Bevillingen til arbejdet står nu til at udløbe.")."""
    first = _ENUM_RE.search(body)
    head = body[: first.start()].strip() if first else ""
    if not head or "?" in head:
        return None
    # ("Jeg har tre korte spørgsmål:" / "Jeg vil gerne have svar på følgende:" only says questions follow)
    told = [x for x in split_sentences(head) if not re.search(r":\s*$", x.strip()) and not FIRST_PERSON_RE.search(x)]
    if not told:
        return None
    text = _PLACE_RE.sub("", " ".join(told))
    # a name of two or more capitalised words inside a sentence ("netværket af Fast Track Cities") says it best
    # (not a person: "Spørgsmål fra Ida Mortensen (SF) …", the asker with a party)
    for m in re.finditer(r"(?<=[a-zæøå,]\s)([A-ZÆØÅ][\wæøå-]+(?:\s+[A-ZÆØÅ][\wæøå-]+)+)(?![\wæøå-])(?!\s*\()", text):
        if not _INSTITUTION_RE.match(m.group(1)):
            return m.group(1)
    return derive_topic(text)


def _names_any(part: str, topic: str) -> bool:
    low = part.lower()
    return any(w and w in low for w in (x.strip() for x in topic.lower().split(" og ")))


# the matter a question opens with: "et forslag om, at lægerne skal kunne …", "forslaget fra … om at lade …"
_MATTER_RE = re.compile(
    r"\b(?:et|det|en|den)?\s*(?P<m>(?:beslutnings)?forslag(?:et)?(?:\s+fra\s+[^,.?:;]{3,60}?)?\s+om,?\s+[^.?:;]{8,140})",
    re.I,
)


def _matter(body: str) -> str | None:
    """The matter named before the first ask of a question ("forslag om, at lægerne skal kunne sende ensomme
    borgere videre til en slags brobygger"), or None."""
    first_q = body.find("?")
    head = body[: sentence_start(body, first_q) + 1] if first_q > 0 else ""
    m = _MATTER_RE.search(head)
    if not m:
        return None
    text = re.split(r"\s+(?:har|vil|og\s+jeg|så\s+jeg)\s+", m.group("m").strip())[0]
    return " ".join(text.split()).rstrip(" ,")


def _bare_ask(part: str) -> bool:
    """A part with at most two words of its own to search on ("Hvad endte udvalget med at gøre?")."""
    from .analysis import query_tokens

    return len([t for t in query_tokens(part) if t.isalpha()]) <= 2


_GREETING_RE = re.compile(
    r"^\s*(?:(?:hej|goddag|kære)(?:[ \t]+(?!jeg\b|vi\b)[\wæøå-]+){0,4}[ \t]*(?:[.!,]|\n)|til\s+forvaltningen\s*(?:\n|[.!,]))\s*",
    re.I,
)
_THANKS_RE = re.compile(
    r"\s*(?:på\s+forhånd\s+(?:mange\s+)?tak|(?:mange\s+)?tak(?:\s+for\s+hjælpen|\s+på\s+forhånd)?)\s*[.!]*\s*$", re.I
)
# "Jeg er blevet kontaktet af …, og vil derfor gerne have oplyst, hvad …" / "Kan I fortælle mig, hvad …": shown from
# the asking word on (the part keeps the preamble for search)
_INDIRECT_RE = re.compile(
    r"^.{0,240}?\b(?:(?:vil|ville)\s+(?:jeg\s+)?(?:derfor\s+|også\s+|gerne\s+|i\s+den\s+forbindelse\s+|desuden\s+|samtidig\s+)*"
    r"(?:have\s+)?(?:oplyst|belyst|vide|spørge(?:\s+om)?|høre)"
    r"|(?:er\s+jeg|jeg\s+er)\s+(?:også\s+)?nysgerrig\s+efter"
    r"|(?:jeg|vi)\s+beder\s+om\s+(?:en\s+)?(?:oversigt|opgørelse|redegørelse)\s+over"
    r"|(?:kunne|vil|ville)\s+(?:godt|gerne)\s+tænke\s+mig\s+at\s+vide"
    r"|(?:jeg|vi)\s+ønsker\s+(?:desuden\s+|også\s+|derudover\s+)?oplyst"
    r"|(?:vil|ville)\s+(?:jeg\s+)?(?:derfor\s+|også\s+|gerne\s+)*bede\s+(?:forvaltningen|om\s+at\s+få)\s+(?:om\s+at\s+)?"
    r"(?:oplyse|oplyst|redegøre\s+for|forklare|beskrive)"
    r"|(?:jeg|vi)\s+beder\s+(?:forvaltningen|jer|dig)\s+(?:om\s+at\s+)?(?:redegøre\s+for|oplyse|forklare|beskrive)"
    r"|kan\s+(?:I|forvaltningen|du)\s+(?:samtidig\s+|også\s+|desuden\s+)?(?:fortælle|oplyse)(?:\s+mig)?(?:\s+om)?)\s*,?\s+"
    r"(?P<rest>(?:(?:med|i|på|til|for|fra)\s+)?(?:hvad|hvor|hvem|hvilke|hvilken|hvilket|hvordan|hvorfor|hvornår|om)\b.+)$",
    re.I | re.S,
)
# an enumeration mark left at a part's start ("1. Hvor tilfredse …", "2) Hvor meget …", "a) …")
_MARK_RE = re.compile(r"^\s*(?:\d{1,2}|[a-h])[.)]\s+(?=\S)", re.I)
# a lead-in that only says questions follow ("Kort spørgsmål til budgetarbejdet:", "Jeg beder om svar på:"), not one
# that names their subject ("Kort spørgsmål om løntillæggene til sygeplejersker:")
_META_LEAD_RE = re.compile(
    r"^\s*(?:(?:kort|et\s+par|nogle|to|tre|mine)\s+(?:\w+\s+)?(?:spørgsmål|ting)\b(?:(?!\bom\b)[^:?]){0,60}|jeg\s+beder\s+om\s+svar\s+på"
    r"|spørgsmål\s+fra\s+[^:?]{3,90})\s*:\s*[\"„“]?",
    re.I,
)


def shown_text(part: str) -> str:
    """A sub-question as the draft and the Word file show it: without the asker's own preamble.

    A part keeps the context sentences before its ask for search and for deciding what it is about
    ("Vi bruger Roskilde som sammenligningskommune. Hvad er nettobudgettet …?"); shown under "[1]" or
    "Ad spørgsmål 1:", the asker's first-person sentences only repeat the quoted question. Context in the
    third person ("Forsøget … anbefales ikke videreført.") names the subject and stays.
    """
    t = _GREETING_RE.sub("", part.strip(), count=1)
    at = t.rfind("?")
    # (a sentence ends before a capital: not "pr. år", "ca. 30 pct. af de pårørende", "den 22. november")
    ends = [m.start() for m in re.finditer(r"[.!] (?=[A-ZÆØÅ\"„“])", t[: max(at, 0)])]
    start = ends[-1] if at > 0 and ends else -1
    if start >= 0:
        context, ask = t[: start + 1], t[start + 1 :].strip()
        # (an ask that names three things of its own reads alone under the quoted question; one that names fewer
        # keeps the third-person context that names its subject: "Forsøget … anbefales ikke videreført. Hvor
        # mange borgere kom i forløb?")
        kept = [
            s
            for s in re.split(r"(?<=[.!])\s+", context.strip())
            if s and not FIRST_PERSON_RE.search(s) and len(_subject_words(ask)) < 3
        ]
        t = " ".join([*kept, ask]) if ask else t
    if "?" not in t:
        # "I budgetpublikationen … kan man se, hvad …. Jeg beder om at få oplyst …": the heading is the sentence
        # that asks; the context before it is in the quoted question above
        pieces = [x for x in re.split(r"(?<=[.!])\s+(?=[A-ZÆØÅ])", t.strip()) if x]
        asking = [x for x in pieces if _REQUEST_RE.search(x) or re.match(rf"\s*{_INTERROG}\b", x, re.I)]
        if len(pieces) > 1 and asking:
            t = asking[-1]
        # "Jeg beder om at få oplyst udvalgets samlede nettobudget for …." -> "Hvad er udvalgets samlede …?"
        np = re.match(
            r"^(?:jeg|vi)\s+(?:beder\s+om\s+at\s+få\s+oplyst|ønsker\s+(?:\w+\s+)?oplyst|vil\s+gerne\s+have\s+oplyst)\s+"
            r"(?P<np>(?!hv|om\b)[a-zæøå][^?]{3,200}?)\.?$",
            t,
            re.I,
        )
        if np:
            t = f"Hvad er {np.group('np')}?"
    t = _META_LEAD_RE.sub("", t, count=1)
    t = _MARK_RE.sub("", t, count=1)
    t = _THANKS_RE.sub("", t) or t
    t = re.sub(r"[.]?[\"”“„»]+\s*([?.]?)\s*$", r"\1", t)  # "… skulle fungere."?" -> "… skulle fungere?"
    herunder = re.match(
        r"^(?P<lead>.{0,240}?),\s+herunder\s+(?P<ask>(?:hvad|hvor|hvem|hvilke|hvilken|hvilket|hvordan|hvorfor|hvornår)\b.+)$",
        t,
        re.I | re.S,
    )
    if herunder and FIRST_PERSON_RE.search(herunder.group("lead")):
        # "Jeg vil gerne bede om en kort status på …, herunder hvornår vi besluttede …": the ask after "herunder"
        t = _cap(herunder.group("ask").rstrip(" .?")) + "?"
    lead, colon, ask = t.partition(": ")
    if (
        colon
        and ask
        and "?" not in lead
        and (
            FIRST_PERSON_RE.search(lead)
            or re.search(r"\b(?:svare?\s+på\s+følgende|følgende\s+spørgsmål)\b", lead, re.I)
        )
    ):
        t = ask  # "Jeg vil gerne have et hurtigt overblik over forsøget …: Hvad vil forsøget koste …?"
    t = _ORDINAL_WORDS_RE.sub("", t, count=1)
    ind = _INDIRECT_RE.match(t)
    if ind:
        rest = ind.group("rest").rstrip(" .")
        rest = rest if rest.endswith("?") else f"{rest}?"
        if not rest.lower().startswith("om ") or direct_order(rest) != rest:
            # ("Kan forvaltningen oplyse, om madklubberne fortsætter?" stays: "Om madklubberne fortsætter?" is
            # no heading, and no rule safely turns it round)
            t = rest
    t = direct_order(t)
    # "Velfærdsrejserne for ældre: hvordan har forvaltningen …": the ask after the topic opens with a capital
    t = re.sub(
        r"^([^:?]{3,80}:\s+)(hvad|hvor|hvem|hvilke[nt]?|hvordan|hvorfor|hvornår)\b",
        lambda m: m.group(1) + m.group(2).capitalize(),
        t,
        count=1,
    )
    carried = CARRIED_RE.search(t)
    if carried and re.fullmatch(r"[\wæøå-]+\s+og\s+[\wæøå-]+", carried.group(1).strip(), re.I):
        # "(forsvinder og tidligt)": two key words carried in for search read as noise in a heading; a subject
        # ("(seniorklubber)", "(Sundhed for alle)", "(de bevillinger, …)") stays
        t = t[: carried.start()].rstrip() + "?"
    return _cap(t) if t else part.strip()


# finite verbs that follow the subject in an indirect question ("hvad pakken koster", "om der er afsat")
_FINITE_WORDS = frozenset(
    """er var har havde kan kunne vil ville skal skulle bør burde må måtte får fik bliver blev koster kostede
    udgør ser så fordeler samarbejder valgte vælger oplever mener mente ligger lå står stod kommer kom går gik gør gjorde
    sker skete findes fandtes viser viste betyder arbejder tænker forventer regner bruger bruges fylder ansætter
    foreslår foreslog anbefaler anbefalede besluttede svarede sagde siger giver gav tager tog når nåede bor boede sendte endte udvikler udviklede stiger steg falder faldt lagde lægger udløber løber beløber består bestod forventes ventes vurderes skønnes anslås""".split()
)
_ADVERBS_Q = frozenset(
    "konkret allerede tidligere nu egentlig faktisk også stadig fortsat ikke kun overhovedet oprindeligt tilsammen".split()
)
# words after which a word in -er is a noun ("de udgifter", "kommunens borgere"), not the verb
_BEFORE_NOUN = frozenset(
    """de en et den det sine sin sit hans hendes deres vores jeres alle flere mange nye andre disse dette denne
    nogle ingen få to tre fire fem af om til for i på med fra ved efter under over mod uden hos""".split()
)
# words in -et/-en that are no definite noun: "meget", "samlet", "egentlig"
_NOT_NOUNS_ET = frozenset("meget samlet særligt hinanden igen siden bagefter derefter herefter".split())
_PREPOSITIONS = frozenset("af om til for i på med fra ved efter under over mod uden hos ifølge blandt".split())
_SUBJECT_WORDS = frozenset(
    """man vi de det den han hun forvaltningen kommunen ministeren ministeriet regeringen udvalget
    borgmesteren rådmanden administrationen""".split()
)
_INDIRECT_WH = re.compile(r"^(?P<wh>hvad|hvordan|hvornår|hvem|hvorfor|hvor|om)\s+(?P<rest>[^?]+)\?$", re.I)
_INDIRECT_AMOUNT = re.compile(
    r"^(?P<wh>(?:hvor\s+(?:mange|meget|stor[et]?)|hvilke[nt]?)\b[^?,]{0,80}?)\s+der\s+(?P<rest>[^?]+)\?$", re.I
)
_HOW_MUCH = re.compile(
    r"^(?P<wh>hvor\s+(?:mange|meget|stor[et]?|længe|langt|tilfredse?|bekymrede?|ofte|godt|høj[et]?)|hvilke[nt]?)\s+(?P<rest>[^?]+)\?$",
    re.I,
)


def _finite(word: str, before: str | None = None) -> bool:
    w = word.lower().rstrip(",;:.")
    if w in _FINITE_WORDS or (len(w) >= 6 and w.endswith("ede") and w not in _ADVERBS_Q):
        return True
    # a present tense in -er after the subject ("hvor mange … Roskilde ansætter", "hvad udvalget prioriterer"),
    # not a plural noun after a determiner or a genitive ("de udgifter", "kommunens borgere")
    return (
        before is not None
        and word[:1].islower()
        and len(w) >= 6
        and w.endswith("er")
        and not w.endswith(("heder", "inger", "ioner", "aler"))
        and w
        not in (
            "fremover",
            "herefter",
            "derefter",
            "bagefter",
            "heller",
            "sammenlagt",
            "sommer",
            "vinter",
            "derover",
            "herover",
            "derunder",
            "herunder",
            "omkring",
            "senere",
            "tidligere",
            "bagover",
        )
        and before.lower() not in _BEFORE_NOUN
        and not before.lower().endswith("s")
        # ("de udsatte boligområder": after an adjective in -e; "kommunerne visiterer" is a subject in -ne)
        and not (before[:1].islower() and before.endswith("e") and not before.endswith("ne"))
    )


def _definite(word: str) -> bool:
    w = word.lower()
    return (
        word[:1].isupper()
        or w in ("de", "det", "den", "man", "vi", "kommunen")
        or (w not in ("en", "et") and w.endswith(("en", "et", "ne")))
        or (len(w) >= 5 and w.endswith("s"))  # a genitive opens the subject: "kommunens udgifter"
    )


def _clear_subject(word: str, before: str) -> bool:
    """A word that opens the subject after the asking phrase ("… ældreboliger | den efterfølgende opgørelse viste",
    "… netværksmedarbejdere | Roskilde ansætter"): a pronoun, an authority, a name, a definite noun or a genitive;
    never the object of a preposition ("en andel af plejehjemsbeboerne er …" has its subject in the asking phrase)."""
    w = word.lower()
    if (
        before.lower() in _PREPOSITIONS
        or before.lower() in ("en", "et", "og", "de", "den", "det", "disse", "denne", "dette")
        or before.endswith("-")
    ):
        return False  # (nor "ældreministeren" in "ifølge sundheds- og ældreministeren", "pårørendes" in "om de …")
    return (
        w in _SUBJECT_WORDS
        or word[:1].isupper()  # a name, or "I"
        or (len(w) >= 5 and w.endswith(("en", "et", "ne")) and w not in _ADVERBS_Q and w not in _NOT_NOUNS_ET)
        or (len(w) >= 6 and w.endswith("s"))
    )


def _how_much_order(wh: str, words: list[str]) -> str | None:
    """ "hvor mange ledige ældreboliger den efterfølgende opgørelse viste" -> "hvor mange ledige ældreboliger viste
    den efterfølgende opgørelse"; "hvor stort nettobudgettet … er i 2025" -> "hvor stort er nettobudgettet … i
    2025". None when the asking phrase is itself the subject ("hvor stor en andel af beboerne er tilfredse") or
    no subject and verb are found within a few words."""
    if not words or words[0].lower() == "der":
        return None
    if len(words) > 2 and not _definite(words[0]) and words[1].lower() == "og" and not _finite(words[0], wh):
        j = 0  # "hvor meget pleje og træning fylder …": a coordinated subject right after the asking words
    else:
        j = next(
            (
                i
                # (after "hvor mange" the next word is what is counted: "hvor mange kommuners erfaringer …")
                for i in range(
                    1 if wh.lower().endswith(("mange", "hvilke", "hvilken", "hvilket")) else 0, min(10, len(words))
                )
                if _clear_subject(words[i], words[i - 1] if i else wh.split()[-1])
                # (after "hvilke" only a pronoun, an authority or a name: "hvilke mål vi bør måle os op imod")
                and (
                    not wh.lower().startswith("hvilke")
                    or words[i].lower() in _SUBJECT_WORDS
                    or words[i][:1].isupper()
                    or i == 1  # "hvilke dele | beløbet består af": a definite noun right after the noun asked about
                )
                and not (i and words[i - 1][:1].isupper() and words[i][:1].isupper())
            ),
            None,
        )
    if j is None:
        return None
    if any(_finite(w) or re.search(r"[,;:]$", w) for w in words[:j]):
        return None  # "hvor mange penge oprindeligt blev sat af …": already a direct question
    k = _verb_index(words, j + 1, j + 9)
    if k is None:
        return None
    verb = words[k].rstrip(",;:")
    subject, adverbs = _subject_adverbs(words[j:k])
    if not subject:
        return None
    moved = [*subject, *adverbs]
    if words[k] != verb:
        moved[-1] += words[k][len(verb) :]
    return " ".join([wh, *words[:j], verb, *moved, *words[k + 1 :]]) + "?"


def _subject_adverbs(before_verb: list[str]) -> tuple[list[str], list[str]]:
    """The words before an indirect question's verb, as the subject and the adverbs that end them ("pakken |
    egentlig"): in the direct question the adverbs follow the moved subject."""
    subject = list(before_verb)
    adverbs: list[str] = []
    while subject and subject[-1].lower() in _ADVERBS_Q:
        adverbs.insert(0, subject.pop())
    return subject, adverbs


_NOT_A_NOUN = {"at", "og", "i", "på", "til", "for", "med", "fra", "om", "af", "ud", "sig", "ikke", "der", "som", "det"}


def _verb_index(words: list[str], start: int, stop: int) -> int | None:
    """Where the finite verb of an indirect question is, from ``start`` to ``stop``: a known finite verb first
    ("hvad forvaltningens egne undersøgelser siger": "siger", not the noun "undersøgelser"), else a word in -er
    after the subject; None when the clause ends (a comma, a dash, a relative "der"/"som") before any."""
    end = min(stop, len(words))
    for i in range(start, end):
        if (
            re.search(r"[,;:]$", words[i - 1])
            or words[i - 1] in ("–", "—", "-")
            or (i > 1 and words[i - 1].lower() in ("der", "som"))
        ):
            end = i
            break

    def adjective(i: int) -> bool:
        # "udvalgets samlede nettobudget", "de samlede udgifter": after a genitive or an article a word in -ede
        # is an adjective of the noun that follows, not the past tense of a verb
        prev = words[i - 1] if i > 0 else ""
        low = prev.lower()
        genitive = low.endswith("s") and len(low) > 4 and (prev[:1].isupper() or not _finite(low))  # "Roskildes"
        if words[i].lower().endswith("ende") and len(words[i]) > 5:
            return True  # a present participle ("de resterende hjemmeplejegrupper") is never the finite verb
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        # ("det kostede at få …": "det" is the subject and "kostede" its verb; "de samlede udgifter": an article)
        article = low in ("de", "den", "det", "sin", "sit", "sine") and nxt[:1].isalpha() and nxt not in _NOT_A_NOUN
        return words[i].lower().endswith("ede") and (genitive or article)

    strict = next((i for i in range(start, end) if _finite(words[i]) and not adjective(i)), None)
    if strict is not None:
        return strict
    # (a word in -er taken for the verb only near the subject's start)
    return next(
        (i for i in range(start, min(end, start + 7)) if _finite(words[i], words[i - 1]) and not adjective(i)), None
    )


def _reorder(wh: str, words: list[str], limit: int) -> str | None:
    """ "hvad" + "pakken koster i alt" -> "hvad koster pakken i alt"; None when no finite verb is found within
    ``limit`` words of the subject, or the subject runs into a clause of its own."""
    i = _verb_index(words, 1, limit)
    if (
        len(words) > 1
        and words[0].lower() in ("man", "vi", "de", "han", "hun", "jeg", "du")
        and words[1].lower()
        not in ("i", "på", "til", "for", "med", "fra", "om", "af", "efter", "under", "og", "der", "som")
        and words[1].lower() not in _ADVERBS_Q
        and words[1][:1].islower()
        # ("hvornår de resterende hjemmeplejegrupper kommer over": "de" is the article of a noun, not the subject)
        and not words[1].lower().endswith("ende")
        and not (
            words[0].lower() == "de"
            and words[1].lower().endswith("ede")
            and len(words) > 2
            and words[2][:1].islower()
            and words[2].lower() not in ("i", "på", "til", "for", "med", "fra", "om", "af", "og")
        )
    ):
        i = 1  # "hvad man ved om …": after a pronoun subject comes its verb -> "Hvad ved man om …"
    if i is None:
        return None
    subject, adverbs = _subject_adverbs(words[:i])
    if not subject:
        return None
    verb = words[i].rstrip(",;:")
    tail = words[i + 1 :]
    if tail and tail[0].lower() == "sig":
        subject, tail = (
            [*subject, "sig"],
            tail[1:],
        )  # "hvad de tilsammen beløber sig til" -> "… beløber de sig tilsammen til"
    moved = [*subject, *adverbs]
    if words[i] != verb:
        moved[-1] += words[i][len(verb) :]  # "…, da": the comma follows the verb's new last word
    if subject == ["der"] and wh.lower() in ("hvem", "hvad") and verb.lower() not in ("er", "var", "bliver", "blev"):
        # "hvem der stillede spørgsmålet" -> "Hvem stillede spørgsmålet" ("der" marks the asked subject)
        moved = moved[1:]
        if not moved and not tail:
            moved = ["der"]  # "hvad der skete" -> "Hvad skete der"
    if wh.lower() == "om":
        return _cap(" ".join([verb, *moved, *tail])) + "?"
    return f"{wh} {' '.join([verb, *moved, *tail])}?"


def direct_order(t: str) -> str:
    """An indirect question left as a part ("Hvad pakken koster i alt?", "Om der allerede er afsat midler …?",
    "Hvor mange kommuner der valgte …?", "Hvor stort nettobudgettet … er i 2025?") in a direct question's word
    order, as a heading reads: "Hvad koster pakken i alt?", "Er der allerede afsat midler …?", "Hvor mange
    kommuner valgte …?", "Hvor stort er nettobudgettet … i 2025?". Only where the finite verb is found within a
    few words after the asking word and the subject before it reads as one; otherwise the text is left as it is."""
    if t.endswith(".") and re.match(
        r"(?:(?:i|på|for|til|med|fra)\s+)?(?:om|hvad|hvordan|hvornår|hvem|hvorfor|hvor|hvilke[nt]?)\s", t, re.I
    ):
        t = t[:-1] + "?"  # "c) om ministeriet har redegjort for, …." ends a list item with a full stop
    pre = re.match(r"(?P<p>i|på|for|til|med|fra)\s+(?P<rest>(?:hvilke[nt]?|hvad|hvor)\b.+\?)$", t, re.I)
    if pre:
        # "I hvilke år pengene … skulle bruges?" -> "I hvilke år skulle pengene … bruges?"
        inner = direct_order(pre.group("rest")[:1].upper() + pre.group("rest")[1:])
        return _cap(f"{pre.group('p').lower()} {inner[:1].lower()}{inner[1:]}")
    m = re.match(
        rf"^(?P<wh>hvilke[nt]?\s+(?:af\s+)?(?:de\s+|den\s+|det\s+)?[\wæøå-]+,\s*(?:der|som)\s+[^,?]+,)\s+"
        rf"(?P<subj>{_SUBJECTS})\s+(?P<adv>(?:ikke|også|selv|fortsat|stadig)\s+)?(?P<v>[a-zæøå]+)\s+(?P<rest>[^?]+)\?$",
        t,
        re.I,
    )
    if m and _finite(m.group("v"), m.group("subj")):
        # "Hvilke af de bevillinger, der udløber …, forvaltningen ikke mener bør fortsætte?" -> "…, mener
        # forvaltningen ikke bør fortsætte?"
        adv = m.group("adv") or ""
        return f"{m.group('wh')} {m.group('v')} {m.group('subj')} {adv}{m.group('rest')}?"
    m = re.match(
        r"^(?P<wh>(?:hvor\s+(?:mange|meget|stor[et]?)|hvilke[nt]?)\s+[^?,]{1,60}?)\s+"
        r"(?P<adv>faktisk|oprindeligt|kun|allerede|tidligere|egentlig|samlet)\s+(?P<v>[a-zæøå]+)\b(?P<rest>[^?]*)\?$",
        t,
        re.I,
    )
    if m and _finite(m.group("v")) and not re.search(r"\bder\b", m.group("wh")):
        # "Hvor mange af de forskellige tillæg faktisk blev udbetalt?" -> "… blev faktisk udbetalt?"
        return f"{m.group('wh')} {m.group('v')} {m.group('adv')}{m.group('rest')}?"
    m = _INDIRECT_AMOUNT.match(t)
    if m:
        words = m.group("rest").split()
        if (
            len(words) > 1
            and words[0].lower() in ("er", "var", "bliver", "blev")
            and re.match(
                r"(?:tale|brug|behov|afsat|sat|budgetteret|bevilget|udbetalt|ansat|brugt|registreret|givet)\b",
                words[1],
                re.I,
            )
        ):
            # "hvor mange penge der er tale om" -> "… er der tale om" ("der" is the formal subject, it stays)
            return f"{m.group('wh')} {words[0]} der {' '.join(words[1:])}?"
        if len(words) > 1 and words[0].lower() in _ADVERBS_Q and _finite(words[1]):
            if (
                len(words) > 2
                and words[1].lower() in ("er", "var", "blev", "bliver")
                and re.match(r"(?:afsat|sat|budgetteret|bevilget|brugt|givet)\b", words[2], re.I)
            ):
                # "hvor meget der oprindeligt blev afsat" -> "Hvor meget blev der oprindeligt afsat"
                return f"{m.group('wh')} {' '.join([words[1], 'der', words[0], *words[2:]])}?"
            # "hvor mange af de forskellige tillæg der faktisk blev udbetalt" -> "… blev faktisk udbetalt"
            return f"{m.group('wh')} {' '.join([words[1], words[0], *words[2:]])}?"
        if words and (_finite(words[0]) or words[0].lower() in _ADVERBS_Q):
            return f"{m.group('wh')} {m.group('rest')}?"
        # "hvor mange kommuner der ifølge ministeren har valgt …" -> "… har ifølge ministeren valgt …"
        for i in range(1, min(4, len(words))):
            if re.search(r"[,;:]$", words[i - 1]):
                break
            if _finite(words[i]):
                return f"{m.group('wh')} {' '.join([words[i], *words[:i], *words[i + 1 :]])}?"
        return t
    m = re.match(
        r"^(?P<wh>hvor\s+(?:meget|mange|stor[et]?))\s+(?P<subj>hver\s+af\s+[^?]+?)\s+(?P<v>[a-zæøå]+)\?$", t, re.I
    )
    if m and _finite(m.group("v")):
        return f"{m.group('wh')} {m.group('v')} {m.group('subj')}?"  # "Hvor meget hver af dem udgør?"
    m = _HOW_MUCH.match(t)
    if m:
        return _how_much_order(m.group("wh"), m.group("rest").split()) or t
    m = _INDIRECT_WH.match(t)
    if not m:
        return t
    words = m.group("rest").split()
    if not words or _finite(words[0], m.group("wh")) or words[0].lower() in ("og", "eller"):
        return t  # already direct: "Hvad koster …"; "Hvornår og i hvilket tempo har …" is direct too
    if m.group("wh").lower() == "hvor" and not (words[0].lower() in ("en", "et") or _clear_subject(words[0], "hvor")):
        return t  # "Hvor lang er ventetiden …": "hvor" with an adjective asks how much; "hvor en del af … kommer fra"
    return _reorder(m.group("wh"), words, 12) or t
