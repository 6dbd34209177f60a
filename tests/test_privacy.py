"""Tests for assistant.privacy: CPR detection, redaction and restoration."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from assistant.privacy import find_cpr, is_valid_cpr_date, mod11_ok, redact, restore

_WEIGHTS = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)

TEMPLATES = [
    "Borgeren med CPR-nr. {cpr} er visiteret til hjemmehjælp.",
    "{cpr} har klaget over ventetiden.",
    "Vedr. borger ({cpr}): afgørelsen er truffet den 19. maj 2026.",
    "Pårørende oplyste cpr {cpr}, og sagen har Edoc-nummer 2026-0179144.",
    "Sag 2026 - 11792 vedrører {cpr}; beløbet er 54.044 t.kr.",
    "Ring på 33 66 33 66 eller skriv om {cpr}.",
    "CPR:{cpr}\nAdresse: Rådhuspladsen 1",
    "Hjælpen til „{cpr}“ ophører 1.1.2027.",
]


def _cpr_digits(rng: random.Random, want_mod11: bool) -> str:
    while True:
        d = date(1900, 1, 1) + timedelta(days=rng.randrange(0, 46000))
        head = d.strftime("%d%m%y")
        seq = f"{rng.randrange(0, 10000):04d}"
        digits = head + seq
        if mod11_ok(digits) == want_mod11:
            return digits


def _format(rng: random.Random, digits: str) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"{digits[:6]}-{digits[6:]}"
    if style == 1:
        return digits
    if style == 2:
        return f"{digits[:6]} {digits[6:]}"
    return f"{digits[:6]}–{digits[6:]}"  # en dash from word processors


def _corpus(n: int, failing: int, seed: int = 7) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        digits = _cpr_digits(rng, want_mod11=i >= failing)
        cpr = _format(rng, digits)
        out.append((TEMPLATES[i % len(TEMPLATES)].format(cpr=cpr), cpr))
    return out


def test_mod11_helper():
    assert mod11_ok("0707614285")  # weights sum 154 = 14 * 11
    assert not mod11_ok("0707614286")
    assert sum(int(c) * w for c, w in zip("0707614285", _WEIGHTS, strict=True)) % 11 == 0


def test_thousand_cprs_redacted_and_restored():
    corpus = _corpus(1200, failing=300)
    assert sum(not mod11_ok(c) for _, c in corpus) >= 100
    for text, cpr in corpus:
        found = find_cpr(text)
        assert [text[a:b] for a, b, _ in found] == [cpr], text
        red, mapping = redact(text)
        assert cpr not in red
        assert cpr.replace("-", "").replace(" ", "").replace("–", "") not in red.replace(" ", "")
        assert "[CPR-1]" in red
        assert restore(red, mapping) == text
        # untouched context survives redaction
        for keep in ("2026-0179144", "2026 - 11792", "54.044", "33 66 33 66", "19. maj 2026", "1.1.2027"):
            if keep in text:
                assert keep in red


def test_many_numbers_in_one_text_share_placeholders():
    corpus = _corpus(50, failing=10, seed=3)
    text = " ".join(t for t, _ in corpus) + " Igen: " + corpus[0][1]
    red, mapping = redact(text)
    assert len(mapping) == len({c.replace("-", "").replace(" ", "").replace("–", "") for _, c in corpus})
    assert red.count("[CPR-1]") == 2
    assert restore(red, mapping) == text
    assert find_cpr(red) == []


def test_redaction_is_idempotent_and_numbering_does_not_collide():
    text = "Borger 010190-1234 og 020285 4321."
    red, mapping = redact(text)
    again, mapping2 = redact(red)
    assert again == red and len(mapping2) == 0
    # a text that already has [CPR-1] gets fresh numbers for new CPRs
    mixed, m3 = redact(red + " Ny: 030303-3333")
    assert "[CPR-3]" in mixed and "030303-3333" in m3.values()
    # a shared mapping keeps placeholders stable across texts
    red_b, m4 = redact("Igen 0101901234 og 050505-5555", mapping)
    assert red_b.startswith("Igen [CPR-1] og [CPR-3]")
    assert restore(red_b, m4) == "Igen 010190-1234 og 050505-5555"


def test_restore_is_lenient_about_placeholder_spelling():
    _, mapping = redact("x 010190-1234")
    assert (
        restore("Svar om [cpr 1] og [CPR-1] og [CPR-9].", mapping) == "Svar om 010190-1234 og 010190-1234 og [CPR-9]."
    )


def test_mapping_repr_hides_numbers():
    _, mapping = redact("x 010190-1234")
    assert "010190" not in repr(mapping) and "010190" not in str(mapping)
    assert "010190" not in f"{mapping}"


@pytest.mark.parametrize(
    "text",
    [
        "Edoc-sagsnummer 2026-0179144",
        "F2 sagsnummer 2026 - 11792",
        "Beløbet er 54.044 t.kr. og 1.356 mio. kr.",
        "Mødet er den 19.05.2026 og 2026-05-19.",
        "Ring på 72269000 eller +45 7226 9000 eller 33 66 33 66.",
        "Kontonummer 12345678901 og 1234567890.",  # 11 digits; 10 digits with month 34
        "Dok. nr.: 1316501, Sagsnr.: 2011195",
        "Dato 320190-1234 og 011390-1234 og 300290-1234",  # invalid day/month
        "Løbenummer 1.010190-1234 og 010190-12345",  # part of longer numbers
        "Budget 2025-2028 og 2022-2025.",
    ],
)
def test_non_cpr_numbers_untouched(text):
    assert find_cpr(text) == []
    red, mapping = redact(text)
    assert red == text and not mapping


def test_date_validation():
    assert is_valid_cpr_date(29, 2)
    assert not is_valid_cpr_date(30, 2)
    assert is_valid_cpr_date(31, 12)
    assert not is_valid_cpr_date(31, 4)
    assert not is_valid_cpr_date(0, 1)
    assert not is_valid_cpr_date(1, 13)
