"""Danish text analysis for lexical retrieval: tokens, stems, compound parts.

Budget text needs its own tokens: "§ 7.11.01", "54.044", "1.161,4", "tekstanm. 3"
keep their meaning, and one-character tokens such as "§" survive. Stemming is
Danish Snowball (PyStemmer). Compound splitting ("ældrereformmidlerne" ->
"ældre", "reform", "midlerne") uses a vocabulary learned from the indexed
passages themselves, so no word list or model has to be downloaded.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

# numbers with Danish separators (1.161,4 / 54.044 / 7.11.01), section signs, words with Danish letters
TOKEN_RE = re.compile(r"§|\d+(?:[.,]\d+)*|[a-zæøåéüöä]+(?:-[a-zæøåéüöä]+)*", re.IGNORECASE)

# Function words that carry no topic. Kept short on purpose: "ikke", "ingen" and
# number words stay, since they change what a passage says.
STOPWORDS = frozenset(
    [
        "og",
        "i",
        "at",
        "det",
        "der",
        "en",
        "den",
        "til",
        "er",
        "som",
        "på",
        "de",
        "med",
        "for",
        "af",
        "ikke",
        "var",
        "han",
        "et",
        "har",
        "jeg",
        "hun",
        "nu",
        "over",
        "da",
        "fra",
        "du",
        "ud",
        "sin",
        "dem",
        "os",
        "op",
        "man",
        "hans",
        "hvor",
        "eller",
        "hvad",
        "skal",
        "selv",
        "her",
        "alle",
        "vil",
        "blev",
        "kunne",
        "ind",
        "når",
        "være",
        "dog",
        "noget",
        "ville",
        "jo",
        "deres",
        "efter",
        "ned",
        "skulle",
        "denne",
        "end",
        "dette",
        "mig",
        "også",
        "under",
        "have",
        "dig",
        "hvis",
        "hende",
        "hvordan",
        "men",
        "mod",
        "disse",
        "hvorfor",
        "sig",
        "sine",
        "sit",
        "blive",
        "bliver",
        "mellem",
        "min",
        "mine",
        "meget",
        "min",
        "vores",
        "vi",
        "hvilke",
        "hvilken",
        "hvem",
        "om",
        "ved",
        "kan",
        "så",
        "nogle",
        "thi",
        "ham",
        "mit",
        "var",
        "været",
        "havde",
        "ja",
        "eller",
        "hvornår",
        "samt",
        "mv",
        "m.v.",
        "fx",
        "jf",
        "ifm",
        "ifbm",
        "bl.a.",
        "evt",
    ]
)

# Words that frame a council member's question but say nothing about its subject.
# Dropped from queries only (documents keep them).
QUERY_STOPWORDS = frozenset(
    """
    spørge spørger spørgsmål spørgsmålet gerne ønsker ønske oplyst oplyse oplysning oplysninger bede bedes
    forvaltningen forvaltningens forvaltning redegøre redegørelse mulighed muligheder afsæt vedlagt hvilke
    hvilket hvordan hvorfor hvornår hvor herunder herudover derudover endvidere eksempel fx mv mm kan kunne
    vil ville gøre gør bliver blevet tænkt ift ifm ifbm jf ca dels samt ligesom fremover fremadrettet borgmester
    rådmand udvalget stillet følgende svar besvare besvarelse venligst går gå gik siden langs mange meget
    koster koste kostede status sker ske skete står stå ligger blive nogen nogle ønsket aktuelt aktuelle
    stedet sammen øvrige øvrig andre anden andet samme hinanden spurgt spurgte ifølge før igen gjort allerede vedkommende bad sag sagen dagsordenen dér
    desuden endelig samtidig ydermere belyst landsplan større mindre flere færre højere lavere bedre værre
    """.split()
)

_LINKERS = ("s", "e", "")


_HOW_SIZE = frozenset(
    "stor store stort lang lange langt længe høj høje højt mange meget ofte tit godt dyr dyrt dyre".split()
)
_VERB_BEFORE = frozenset("at kan kunne vil ville skal skulle må måtte bør burde".split())
_WEAK_SUFFIXES = ("ende", "ige", "lige", "iske", "fulde", "løse", "ede", "bare", "vis", "mæssige", "mæssigt", "es")
_INTERROGATIVES = frozenset("hvad hvornår hvordan hvorfor hvem hvilken hvilket".split())
NOUNLIKE_SUFFIXES = ("ning", "ninger", "ningen", "hed", "heder", "else", "skab", "tion", "ordning", "indsats", "pleje", "hjem", "midler", "midlerne", "bolig", "boliger", "center", "erne", "ene")  # fmt: skip


def weak_words(text: str) -> frozenset[str]:
    """Words of a question that are likely verbs or adjectives ("justere", "effektfulde", "eksisterende").

    They are part of how a question is put, not what it is about: a rare verb must not decide whether
    a passage is on topic the way a rare noun ("taxakørsel", "Valby") does. A word right after "at" or
    a modal verb is an infinitive; a word with an adjective or participle ending is weak unless it
    also ends like a noun. Capitalised words inside a sentence (names) are never weak.
    """
    out = set()
    words = list(re.finditer(r"[A-Za-zÆØÅæøåÉé-]+", text))
    for i, m in enumerate(words):
        w = m.group(0)
        lw = w.lower()
        start = m.start()
        initial = start == 0 or re.search(r"[.!?:]\s*[\"„“”]?\s*$", text[:start]) is not None
        if w[0].isupper() and not initial:
            continue
        prev = words[i - 1].group(0).lower() if i else ""
        before = words[i - 2].group(0).lower() if i > 1 else ""
        # "at justere", "kan lære", "udbygge eller justere"; the finite verb after "hvad"/"hvornår" ("hvad forventes")
        infinitive = prev in _VERB_BEFORE or prev in _INTERROGATIVES or (prev in ("eller", "og") and before in out)
        # "hvor store", "hvor lang": how it is asked; not "hvor tilfredse", which is what is asked
        infinitive = infinitive or (prev == "hvor" and lw in _HOW_SIZE)
        if (infinitive or (lw.endswith(_WEAK_SUFFIXES) and len(lw) >= 6)) and not lw.endswith(NOUNLIKE_SUFFIXES):
            out.add(lw)
        elif lw == "kort" and i + 1 < len(words) and words[i + 1].group(0).lower() in ("om", "fortalt", "sagt"):
            out.add(lw)  # "Kort om løntillæggene: …" is how it is asked, not a card
    return frozenset(out)


def same_term(a: str, b: str) -> bool:
    """Two stems name the same thing: compounds included ("fasthold" / "fastholdelsestillæg"), and
    words the packaged thesaurus groups together ("sygehus" / "hospital")."""
    return (
        a == b
        or (len(a) >= 5 and len(b) >= 5 and (a.startswith(b) or b.startswith(a) or a.endswith(b) or b.endswith(a)))
        or _thesaurus().same(a, b)
    )


@lru_cache(maxsize=1)
def _thesaurus():
    from .thesaurus import load

    return load()


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: C Snowball, imports in a few ms

    return Stemmer.Stemmer("danish")


def tokens(text: str) -> list[str]:
    """Lower-cased tokens, stopwords removed; numbers and "§" kept."""
    return [t for t in TOKEN_RE.findall(text.lower()) if t not in STOPWORDS]


# a particle verb a question splits where a budget note writes one word: "der er sat penge af" / "afsat"
_PARTICLE_RE = re.compile(r"\b(sat|sættes|sætte)\s+(?:[\wæøå.,]+\s+){0,3}?af\b", re.I)


def query_tokens(text: str) -> list[str]:
    """Tokens of a question: like ``tokens`` but without the framing words of a question; a split particle verb
    ("hvor mange penge har der været sat af") is read as the one word the documents write ("afsat")."""
    text = _PARTICLE_RE.sub(lambda m: "af" + m.group(1).lower(), text)
    return [t for t in tokens(text) if t not in QUERY_STOPWORDS]


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Danish Snowball, applied until it stops changing the word.

    One pass is not stable for Danish nouns in -et/-s: "budgettet" -> "budget" but "budget" ->
    "budg", "konsekvenser" -> "konsekvens" but "konsekvens" -> "konsekv", "pladser" -> "plads" ->
    "plad" — so a question's "budgettet" never met a passage's "budget". A second pass gives both
    forms one stem (measured on ../shared + corpus/: 25 stem groups merge, e.g. budget/budgettet,
    aktivitet/aktiviteter, kvalitet/kvaliteten, dagsorden/dagsordenen, mulighed/muligheder).
    """
    if not token[0].isalpha():
        return token
    s = _stemmer().stemWord(token)
    for _ in range(2):
        t = _stemmer().stemWord(s)
        if t == s:
            break
        s = t
    return fold_end(s)


def fold_end(s: str) -> str:
    """The end of a stem where Snowball leaves two forms of one word apart: a doubled final consonant
    ("seniortræffene" -> "seniortræff" beside "seniortræf") and a noun in -el, whose e goes before an ending
    ("seniorcirkel" / "seniorcirkler" -> "seniorcirkl", "regel" / "regler"), and a verb in -å's participle."""
    if len(s) >= 5 and s[-1] == s[-2] and s[-1] in "bdfgklmnprtv":
        s = s[:-1]
    if len(s) >= 5 and s.endswith("el") and s[-3] not in "aeiouyæøå":
        s = s[:-2] + "l"
    if s.endswith("ået") and len(s) >= 4:
        s = s[:-2]  # the participle of a verb in -å: "nået" / "nå", "opnået" / "opnå", "forstået" / "forstå"
    return s


def analyze(text: str, *, stemming: bool = True, query: bool = False) -> list[str]:
    """Tokens for the BM25 index (and, with ``query=True``, for questions)."""
    toks = query_tokens(text) if query else tokens(text)
    return [stem(t) for t in toks] if stemming else toks


class CompoundSplitter:
    """Splits Danish compounds into parts that occur as words in the corpus.

    ``vocab`` holds lower-cased words seen at least ``min_count`` times with at
    least ``min_part`` letters. A word is split at the point where both sides
    (allowing a linking -s- or -e-) are known words, or the right side splits again.
    """

    def __init__(self, vocab: Iterable[str], *, min_part: int = 4, max_parts: int = 4):
        self.vocab = frozenset(vocab)
        self.min_part = min_part
        self.max_parts = max_parts
        self._cache: dict[str, tuple[str, ...]] = {}

    @classmethod
    def learn(cls, texts: Iterable[str], *, min_count: int = 2, min_part: int = 4) -> CompoundSplitter:
        return cls.learn_tokens((tokens(t) for t in texts), min_count=min_count, min_part=min_part)

    @classmethod
    def learn_tokens(
        cls, token_lists: Iterable[Iterable[str]], *, min_count: int = 2, min_part: int = 4
    ) -> CompoundSplitter:
        """Learn the vocabulary from texts already split by ``tokens`` (saves a second pass)."""
        counts: Counter[str] = Counter()
        for toks in token_lists:
            counts.update(toks)
        return cls.from_counts(counts.items(), min_count=min_count, min_part=min_part)

    @classmethod
    def from_counts(
        cls, counts: Iterable[tuple[str, int]], *, min_count: int = 2, min_part: int = 4
    ) -> CompoundSplitter:
        """Learn the vocabulary from (word, occurrences) pairs: words seen often enough, long enough."""
        return cls((w for w, c in counts if c >= min_count and len(w) >= min_part and w.isalpha()), min_part=min_part)

    def _known(self, part: str) -> bool:
        return len(part) >= self.min_part and (part in self.vocab or stem(part) in self.vocab)

    def split(self, word: str, depth: int = 0) -> tuple[str, ...]:
        word = word.lower()
        if word in self._cache:
            return self._cache[word]
        result: tuple[str, ...] = (word,)
        if len(word) >= 2 * self.min_part and word.isalpha() and depth < self.max_parts:
            # prefer the longest known head, so "ældrereform" beats "ældre" + "reform" only when known
            for i in range(len(word) - self.min_part, self.min_part - 1, -1):
                head, rest = word[:i], word[i:]
                for link in _LINKERS:
                    if link and not head.endswith(link):
                        continue
                    h = head[: len(head) - len(link)] if link else head
                    if not self._known(h):
                        continue
                    if self._known(rest):
                        result = (h, rest)
                    else:
                        tail = self.split(rest, depth + 1)
                        if len(tail) > 1:
                            result = (h, *tail)
                    if len(result) > 1:
                        break
                if len(result) > 1:
                    break
        if depth == 0:
            self._cache[word] = result
        return result

    def analyze(self, text: str, *, query: bool = False) -> list[str]:
        """The text fully decomposed: stems of compound parts, and of words that do not split."""
        out: list[str] = []
        for t in query_tokens(text) if query else tokens(text):
            parts = self.split(t) if t.isalpha() else (t,)
            out.extend(stem(p) for p in parts)
        return out
