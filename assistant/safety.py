"""Prompt-injection flags for retrieved passages.

A stored document could contain text written to steer a language model ("ignore
previous instructions", "du skal nu ..."). ``injection_flags`` returns
``["injection"]`` for such passages, so they can be shown to the officer and
kept out of (or clearly fenced in) a prompt. The patterns are deliberately
specific: ordinary administrative Danish ("Forvaltningen skal ...", "Svar:")
must not trigger them.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "INJECTION_PATTERNS",
    "NOT_EVIDENCE",
    "flag_note",
    "injection_flags",
    "injection_matches",
    "usable_as_evidence",
]

# flags whose passages are never drafted from nor given to a language model as a source
NOT_EVIDENCE = frozenset({"injection", "hidden-text"})

_FLAG_NOTES = {
    "injection": "teksten ligner instruktioner til en sprogmodel",
    "hidden-text": "passagen indeholder skjult tekst, som en læser ikke kan se (skjult, hvid eller meget lille skrift)",
}


def usable_as_evidence(flags) -> bool:
    """A passage with these flags may be drafted from and sent to a model as a source."""
    return not NOT_EVIDENCE & set(flags)


def flag_note(flags) -> str:
    """What the flags mean, in the officer's words (Danish), e.g. for a draft warning."""
    return "; ".join(_FLAG_NOTES.get(f, f"markeret {f}") for f in flags)


_I = re.IGNORECASE
_IM = re.IGNORECASE | re.MULTILINE

INJECTION_PATTERNS: dict[str, re.Pattern[str]] = {
    # English
    "ignore-instructions": re.compile(
        r"\b(?:ignore|disregard|forget|override)\s+(?:please\s+|kindly\s+)?(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?"
        r"(?:previous|prior|above|earlier|preceding|foregoing|original)\s+(?:instructions?|prompts?|rules|directions|messages?|context)",
        _I,
    ),
    "forget-everything": re.compile(
        r"\b(?:forget|disregard|ignore)\s+(?:everything|anything)\b|\bforget\s+all\b"
        r"|\b(?:forget|disregard|ignore)\s+what\s+you\s+(?:were|have\s+been)\s+(?:told|given|asked)",
        _I,
    ),
    "note-to-model": re.compile(
        r"\b(?:note|message|instructions?|reminder)\s+(?:to|for)\s+(?:the\s+)?"
        r"(?:ai|a\.i\.|model|language\s+model|llm|assistant|chatbot|bot)\b"
        r"|\b(?:bemærk|besked|note|meddelelse|instruks(?:er)?|instruktion(?:er)?|information|hilsen)\s+til\s+"
        r"(?:sprogmodel(?:len)?|modellen|ai(?:'en|-en|en)?|assistenten|ai-assistenten|chatbot(?:ten)?|llm(?:'en)?|botten)\b",
        _I,
    ),
    "you-are-now": re.compile(r"\byou\s+are\s+now\b|\bfrom\s+now\s+on,?\s+you\b", _I),
    "system-prompt": re.compile(r"\bsystem[\s_-]?prompt\b|\bsystemprompt(?:en)?\b|\bsystem[\s-]besked(?:en)?\b", _I),
    "as-an-ai": re.compile(r"\bas\s+an?\s+(?:ai|a\.i\.|language\s+model|llm|assistant)\b", _I),
    "answer-only": re.compile(r"\b(?:respond|reply|answer|output)\s+(?:only|just)\s+(?:with|in)\b", _I),
    "write-following": re.compile(
        r"\b(?:write|include|insert|add)\s+the\s+following\s+(?:text\s+)?(?:in|into|to)\s+(?:the|your)\s+(?:answer|response|reply|output)",
        _I,
    ),
    "new-instructions": re.compile(r"\b(?:new|updated|real)\s+instructions?\s*:", _I),
    # Danish
    "ignorer-instruktioner": re.compile(
        r"\b(?:ignorer|ignorér|se\s+bort\s+fra|tilsidesæt|glem)\s+(?:venligst\s+|bare\s+|straks\s+|nu\s+)?"
        r"(?:alle\s+|al\s+|de\s+|dine\s+|disse\s+)?(?:(?:tidligere|ovenstående|foregående|forrige|oprindelige|"
        r"forudgående|hidtidige|givne)\s+)?"
        r"(?:instruktion(?:er|erne|en)?|instrukser(?:ne)?|instruks(?:en)?|anvisning(?:er|erne)?|beskeder(?:ne)?|"
        r"prompts?|prompten|regler(?:ne)?|retningslinjer(?:ne)?)\b",
        _I,
    ),
    "glem-alt": re.compile(
        r"\bglem\s+(?:alt|alle)\s+(?:ovenstående|tidligere|foregående|hvad|det\s+du|dine)\b"
        r"|\b(?:glem|ignorer|ignorér|se\s+bort\s+fra)\s+(?:alt\s+)?(?:hvad|det,?)\s+(?:du|der)\s+"
        r"(?:tidligere\s+|før\s+|ovenfor\s+)?(?:har|er|blev|fik|står|stod|tidligere|før|ovenfor)\b",
        _I,
    ),
    "du-skal-nu": re.compile(
        r"\bdu\s+(?:skal|må)\s+nu\b|\bdu\s+er\s+nu\s+(?:en|et|ikke)\b|\bfra\s+nu\s+af\s+skal\s+du\b", _I
    ),
    "svar-kun-med": re.compile(r"\b(?:svar|besvar|svar\s+altid)\s+(?:kun|udelukkende|altid)\s+(?:med|på)\b", _I),
    "skriv-foelgende": re.compile(
        r"\b(?:skriv|indsæt|tilføj)\s+(?:følgende|denne\s+tekst|teksten)\s+(?:i|ind\s+i|til)\s+(?:svaret|dit\s+svar|besvarelsen|udkastet)",
        _I,
    ),
    "som-ai": re.compile(
        r"\bsom\s+(?:(?:en\s+)?(?:ai|sprogmodel|ai-assistent|ai-model)|en\s+kunstig\s+intelligens)\b", _I
    ),
    "nye-instruktioner": re.compile(r"\b(?:nye|opdaterede|egentlige)\s+instruktioner\s*:", _I),
    # structure that only makes sense to a model
    "prompt-tags": re.compile(
        r"</?\s*(?:sources?|system|instructions?|kilder|context|passages?|prompt|user|assistant)\s*>"
        r"|\[/?INST\]|<\|im_(?:start|end)\|>|<<SYS>>",
        _I,
    ),
    # text that imitates the fences our prompts put around sources and the question
    "fence-imitation": re.compile(r"[<‹«＜]{3}|[>›»＞]{3}", _I),
    "role-tag": re.compile(r"^[ \t>#*]*(?:assistant|system|user|human|assistent|ai)\s*:", _IM),
}


_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# "I.g.n.o.r.e.r", "I g n o r e r", "i-g-n-o-r-e": single letters joined by one separator
_SPACED_RE = re.compile(r"(?<!\w)(?:[^\W\d_][ .\-_*·/]){3,}[^\W\d_](?!\w)")


def _variants(text: str) -> list[str]:
    """The text as written, and normalised: compatibility forms, invisible characters dropped,
    spaced-out or punctuated words joined up again."""
    norm = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", text))
    joined = _SPACED_RE.sub(lambda m: re.sub(r"[ .\-_*·/]", "", m.group(0)), norm)
    return list(dict.fromkeys([text, norm, joined]))


def injection_matches(text: str) -> list[str]:
    """Names of the injection patterns that ``text`` matches (for showing why it was flagged)."""
    forms = _variants(text)
    return [name for name, rx in INJECTION_PATTERNS.items() if any(rx.search(t) for t in forms)]


def injection_flags(text: str) -> list[str]:
    """``["injection"]`` when ``text`` reads like instructions to a model, else ``[]``."""
    return ["injection"] if injection_matches(text) else []
