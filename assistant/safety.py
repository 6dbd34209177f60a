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

__all__ = ["INJECTION_PATTERNS", "injection_flags", "injection_matches"]

_I = re.IGNORECASE
_IM = re.IGNORECASE | re.MULTILINE

INJECTION_PATTERNS: dict[str, re.Pattern[str]] = {
    # English
    "ignore-instructions": re.compile(
        r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:the\s+|your\s+|my\s+)?"
        r"(?:previous|prior|above|earlier|preceding|foregoing|original)\s+(?:instructions?|prompts?|rules|directions|messages?|context)",
        _I,
    ),
    "forget-everything": re.compile(r"\bforget\s+(?:everything|all)\b(?:\s+(?:above|before|you\s+were\s+told))?", _I),
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
        r"\b(?:ignorer|ignorér|se\s+bort\s+fra|tilsidesæt)\s+(?:alle\s+|al\s+|de\s+|dine\s+)?(?:tidligere|ovenstående|foregående|forrige|oprindelige)\s+"
        r"(?:instruktioner|instruktion|instrukser|anvisninger|beskeder|prompts?|regler)",
        _I,
    ),
    "glem-alt": re.compile(r"\bglem\s+(?:alt|alle)\s+(?:ovenstående|tidligere|foregående|hvad|det\s+du|dine)\b", _I),
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
    "role-tag": re.compile(r"^[ \t>#*]*(?:assistant|system|user|human|assistent|ai)\s*:", _IM),
}


def injection_matches(text: str) -> list[str]:
    """Names of the injection patterns that ``text`` matches (for showing why it was flagged)."""
    return [name for name, rx in INJECTION_PATTERNS.items() if rx.search(text)]


def injection_flags(text: str) -> list[str]:
    """``["injection"]`` when ``text`` reads like instructions to a model, else ``[]``."""
    return ["injection"] if injection_matches(text) else []
