"""Words that mean the same thing in the administration's documents: a small packaged thesaurus.

A council member writes "tidsbegrænsede midler, der ophører"; the budget note says "bevillinger,
som udløber". Lexical retrieval and the drafter's "is this sentence about the question?" test both
need to know that these are the same words. ``resources/thesaurus.txt`` holds the groups (written
by the project, kept tight on purpose); this module reads it once and answers, for a Snowball stem,
which other stems and words mean the same.

Pure functions over the packaged file; no model, no download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Thesaurus:
    """Groups of words, looked up by stem. ``alternatives(stem)`` never contains ``stem`` itself."""

    stems: dict[str, frozenset[str]] = field(default_factory=dict)  # stem -> other stems (4+ letters)
    query_stems: dict[str, frozenset[str]] = field(default_factory=dict)  # stem -> other stems, all lengths
    words: dict[str, frozenset[str]] = field(default_factory=dict)  # stem -> the groups' words (surface)
    phrases: tuple[tuple[re.Pattern[str], str], ...] = ()  # multi-word phrase -> a stem of its group
    forms: dict[str, frozenset[str]] = field(default_factory=dict)  # stem -> the other words' inflected forms
    members: dict[str, frozenset[str]] = field(default_factory=dict)  # stem -> every word of its groups

    def alternatives(self, stem: str) -> frozenset[str]:
        """Other stems of the groups, those of four letters or more: a shorter stem collides with other
        words ("ledige" and the noun "led" both stem to "led"), so it is matched by ``alternative_forms``."""
        return self.stems.get(stem, frozenset())

    def query_alternatives(self, stem: str) -> frozenset[str]:
        """Every other stem of the groups, short ones too ("demens" stems to "dem"): for widening a
        search query, where a collision only costs a little ranking, not a wrong answer."""
        return self.query_stems.get(stem, frozenset())

    def alternative_forms(self, stem: str) -> frozenset[str]:
        """The other words of the groups in their usual inflections ("ledige", "ledig", …), for words
        whose stem is too short to match on."""
        return self.forms.get(stem, frozenset())

    def alternative_words(self, stem: str) -> frozenset[str]:
        return self.words.get(stem, frozenset())

    def group_words(self, stem: str) -> frozenset[str]:
        """Every word of the groups ``stem`` belongs to, its own forms included (what a phrase stands for:
        "holde på" -> "fastholde", "fastholdelse")."""
        return self.members.get(stem, frozenset())

    def phrase_stems(self, text: str) -> set[str]:
        """Stems that multi-word phrases in ``text`` stand for ("løber ud" -> the stem of "udløbe")."""
        return {s for rx, s in self.phrases if rx.search(text)}

    def same(self, a: str, b: str) -> bool:
        return len(a) >= 4 and b in self.stems.get(a, ())


_ENDINGS = ("", "e", "en", "er", "erne", "et", "ede", "es", "s", "ene")


def _forms(word: str) -> set[str]:
    """The word and its usual inflections, so every stem Snowball gives them finds the group
    ("tidsbegrænset" and "tidsbegrænsede" stem differently)."""
    forms = {word} | {word + e for e in _ENDINGS if len(word) >= 4}
    if word.endswith("et") and len(word) >= 6:
        forms |= {word[:-1] + "de", word[:-1] + "des"}  # adjective: begrænset -> begrænsede
    if word.endswith("e") and len(word) >= 4:
        forms |= {word + "r", word + "s", word + "de", word + "t", word[:-1] + "te"}  # udløber, udløbet; mente
    return forms


def parse(text: str) -> Thesaurus:
    from .analysis import stem

    stems: dict[str, set[str]] = {}
    words: dict[str, set[str]] = {}
    forms: dict[str, set[str]] = {}
    query_stems: dict[str, set[str]] = {}
    members: dict[str, set[str]] = {}
    phrases: list[tuple[re.Pattern[str], str]] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        group = [w.strip().lower() for w in line.split(",") if w.strip()]
        singles = [w for w in group if " " not in w]
        group_stems = {stem(v) for w in singles for v in _forms(w)}
        if len(group_stems) < 2 and len(group) < 2:
            continue
        anchor = stem(singles[0]) if singles else None
        for w in group:
            if " " in w:
                if anchor is not None:
                    # each long word of the phrase with its inflection ("løbe ud" finds "løber ud")
                    parts = [re.escape(p) + (r"\w{0,3}" if len(p) >= 4 else "") for p in w.split()]
                    rx = re.compile(r"\b" + r"\s+".join(parts) + r"\b", re.I)
                    phrases.append((rx, anchor))
                continue
        for s in group_stems:
            stems.setdefault(s, set()).update(x for x in group_stems - {s} if len(x) >= 4)
            query_stems.setdefault(s, set()).update(group_stems - {s})
            forms.setdefault(s, set()).update(
                f for w in singles if s not in {stem(v) for v in _forms(w)} for f in _forms(w)
            )
            words.setdefault(s, set()).update(w for w in singles if s not in {stem(v) for v in _forms(w)})
            members.setdefault(s, set()).update(singles)
    return Thesaurus(
        stems={k: frozenset(v) for k, v in stems.items() if v},
        words={k: frozenset(v) for k, v in words.items() if v},
        phrases=tuple(phrases),
        forms={k: frozenset(v) for k, v in forms.items() if v},
        query_stems={k: frozenset(v) for k, v in query_stems.items() if v},
        members={k: frozenset(v) for k, v in members.items() if v},
    )


@lru_cache(maxsize=1)
def load() -> Thesaurus:
    """The packaged thesaurus (``assistant/resources/thesaurus.txt``)."""
    text = resources.files("assistant.resources").joinpath("thesaurus.txt").read_text(encoding="utf-8")
    return parse(text)
