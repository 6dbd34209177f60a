"""Tests for assistant.question: framing, topic and sub-question splitting."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.question import derive_topic, parse_question, split_question

SHARED = Path(__file__).resolve().parents[2] / "shared"
STEENBERGER = SHARED / "seeds" / "000_cec2ff78386550a7.txt"


def _parts(text: str) -> list[str]:
    """The sub-questions' texts, as ``split_question`` gives them."""
    return [s.text for s in split_question(text)]


def _steenberger() -> str:
    if not STEENBERGER.exists():
        pytest.skip(f"shared seed not available: {STEENBERGER}")
    return STEENBERGER.read_text(encoding="utf-8")


# --- the real question -----------------------------------------------------


def test_steenberger_full_answer_document():
    q = parse_question(_steenberger())
    assert q.asker == "Rasmus Steenberger"
    assert q.party == "F"
    assert q.date_asked == "2026-05-19"
    assert q.addressee == "Sundheds- og Omsorgsforvaltningen"
    assert q.text.startswith("Med afsæt i Roskilde")
    assert q.text.endswith("ældrereformmidlerne.")
    assert '"' not in q.text
    # the answer that follows the question in this document is not part of it
    assert "Seniorcirkler" not in q.text
    # the title "Spørgsmål om ..." in the pasted text gives the topic
    assert q.topic == "trivselsindsatser - læring fra Roskilde"
    subs = q.sub_questions
    assert [s.id for s in subs] == ["1", "2"]
    assert "Roskilde" in subs[0].text and "social henvisning" in subs[0].text
    assert "ældrereformmidlerne" not in subs[0].text
    assert "prioritere" in subs[1].text and "ældrereformmidlerne" in subs[1].text


def test_steenberger_framing_only_derives_topic():
    doc = _steenberger()
    start = doc.index("Rasmus Steenberger (F) har")
    end = doc.index("###", start)
    q = parse_question(doc[start:end])
    assert q.asker == "Rasmus Steenberger" and q.party == "F" and q.date_asked == "2026-05-19"
    assert len(q.sub_questions) == 2
    assert q.topic and q.topic[0].islower() and len(q.topic) <= 60
    assert "trivsel" in q.topic or "ældrereform" in q.topic


# --- framings --------------------------------------------------------------


def test_framing_without_party_or_date_and_curly_quotes():
    raw = "Til Mette Hansen\n\nMette Hansen har stillet følgende spørgsmål til Økonomiforvaltningen:\n\n„Hvor mange ansatte er der i hjemmeplejen?“"
    q = parse_question(raw)
    assert q.asker == "Mette Hansen"
    assert q.party is None and q.date_asked is None
    assert q.addressee == "Økonomiforvaltningen"
    assert q.text == "Hvor mange ansatte er der i hjemmeplejen?"


def test_framing_spoerger_without_quotes():
    q = parse_question("Karina Adsbøl (DF) spørger: Hvad koster klippekortet pr. beboer?")
    assert (q.asker, q.party) == ("Karina Adsbøl", "DF")
    assert q.text == "Hvad koster klippekortet pr. beboer?"
    assert q.addressee is None


def test_framing_with_numeric_date_and_right_quotes():
    raw = (
        "Svar til Jan Herskov (O) - Spørgsmål om forebyggelse\n"
        "Jan Herskov (O) har den 10.04.2018 stillet følgende spørgsmål til Sundheds- og Omsorgsudvalget:\n"
        "”Hvilke forebyggende indsatser er blevet reduceret i 2018?”"
    )
    q = parse_question(raw)
    assert q.asker == "Jan Herskov" and q.party == "O"
    assert q.date_asked == "2018-04-10"
    assert q.addressee == "Sundheds- og Omsorgsudvalget"
    assert q.text == "Hvilke forebyggende indsatser er blevet reduceret i 2018?"
    assert q.topic == "forebyggelse"


def test_unframed_text_falls_back_to_input():
    raw = "Hvor mange plejehjemspladser står tomme i Roskilde?"
    q = parse_question(raw)
    assert q.text == raw
    assert q.asker is None and q.party is None and q.addressee is None
    assert len(q.sub_questions) == 1


def test_folketing_committee_question():
    p = SHARED / "corpus-extra" / "qa01_ft_SUU_2019-20_spm1581_foreloebigt_svar.txt"
    if not p.exists():
        pytest.skip(f"shared document not available: {p}")
    q = parse_question(p.read_text(encoding="utf-8"))
    assert q.asker == "Folketingets Sundheds- og Ældreudvalg"
    assert q.date_asked == "2020-08-18"
    assert q.addressee == "sundheds- og ældreministeren"
    assert q.text.startswith("Ministeren bedes redegøre for")
    assert "Svar" not in q.text and "besva-" not in q.text
    assert len(q.sub_questions) == 2
    assert q.sub_questions[1].text.startswith("Ministeren bedes redegøre for, hvordan man har sikret hjælp")


def test_derive_topic_uses_key_nouns_in_indefinite_form():
    topic = derive_topic("Hvad er ventetiden på en plejebolig, og hvor stor er ældrereformmidlerne i 2026?")
    assert topic is not None
    assert "ældrereformmidler" in topic and "ældrereformmidlerne" not in topic
    assert derive_topic("Hvad er det?") is None


# --- splitting: a labelled set ---------------------------------------------

# (question, one phrase per expected sub-question, in order)
SPLIT_CASES: list[tuple[str, list[str]]] = [
    (
        "Hvor mange plejeboliger er der i kommunen, og hvad er ventetiden på en plejebolig?",
        ["plejeboliger", "ventetiden"],
    ),
    (
        "Kan forvaltningen oplyse, hvor mange borgere der modtager hjemmehjælp, og hvordan udviklingen har været siden 2020?",
        ["Kan forvaltningen oplyse, hvor mange borgere", "Kan forvaltningen oplyse, hvordan udviklingen"],
    ),
    ("Hvad koster Seniorcirkler og social henvisning pr. borger?", ["Seniorcirkler og social henvisning"]),
    (
        "1) Hvor mange demenskoordinatorer er ansat?\n2) Hvad er deres opgaver?\n3) Er der planer om at ansætte flere?",
        ["demenskoordinatorer", "opgaver", "flere"],
    ),
    (
        "Jeg vil gerne spørge om følgende:\na) Hvor mange madklubber findes der på plejehjem?\nb) Hvor mange beboere deltager?",
        ["madklubber", "beboere"],
    ),
    ("Hvorfor er klippekortet afskaffet? Hvad er besparelsen ved det?", ["klippekortet", "besparelsen"]),
    (
        "Forvaltningen bedes redegøre for brugen af vikarer i hjemmeplejen. Derudover ønskes en oversigt over udgifterne til vikarer i 2024 og 2025.",
        ["vikarer i hjemmeplejen", "udgifterne"],
    ),
    (
        "Jeg har læst i pressen, at flere plejehjem mangler personale. Hvor mange ubesatte stillinger er der på kommunens plejehjem?",
        ["pressen, at flere plejehjem mangler personale. Hvor mange ubesatte"],
    ),
    (
        "Vil forvaltningen indføre faste teams på alle plejehjem? Hvis ja, hvornår?",
        ["faste teams på alle plejehjem? Hvis ja"],
    ),
    ("Hvordan sikres kvaliteten i den private og den kommunale hjemmepleje?", ["private og den kommunale"]),
    (
        "Hvilke erfaringer er der med velfærdsteknologi og træning i eget hjem? Endvidere ønskes oplyst, om indsatsen kan udbredes til hele kommunen.",
        ["velfærdsteknologi og træning", "udbredes"],
    ),
    ("- Hvor mange ældre oplever ensomhed?\n- Hvilke tilbud findes der til dem?", ["ensomhed", "tilbud"]),
    (
        "Hvor mange borgere er visiteret til rehabilitering samt hvor mange har afsluttet et forløb?",
        ["visiteret", "afsluttet"],
    ),
    (
        "Kan forvaltningen oplyse status på ombygningen af Bystævneparken og tidsplanen for genåbningen?",
        ["Bystævneparken og tidsplanen"],
    ),
    ("Hvordan og hvornår vil forvaltningen udbrede social henvisning?", ["Hvordan og hvornår"]),
    (
        "Ministeren bedes svare på, hvor mange friplejehjem der findes i Danmark. Oversigten bedes vise både antal og andel.",
        ["friplejehjem der findes i Danmark. Oversigten bedes"],
    ),
]


# Written after the rules above were settled and scored once before any change (9/10; the miss,
# a yes/no question joined to a "hvad" clause, led to the yes/no rule). Kept as a second set.
HELD_OUT: list[tuple[str, list[str]]] = [
    (
        "Hvad er den gennemsnitlige ventetid på en plejebolig, og hvor mange står på venteliste?",
        ["ventetid", "venteliste"],
    ),
    ("Kan forvaltningen redegøre for, hvordan ældrereformmidlerne er anvendt i 2025?", ["ældrereformmidlerne"]),
    (
        "Hvor mange medarbejdere i hjemmeplejen er uddannede social- og sundhedsassistenter og social- og sundhedshjælpere?",
        ["assistenter og social- og sundhedshjælpere"],
    ),
    (
        "Hvad er begrundelsen for at lukke dagcentret? Hvilke alternativer tilbydes brugerne? Hvornår træffes den endelige beslutning?",
        ["begrundelsen", "alternativer", "beslutning"],
    ),
    (
        "Jeg ønsker oplyst udgifterne til madservice i 2023 og 2024. Herudover ønskes oplyst, hvor mange borgere der modtager madservice.",
        # parts are shown in neutral form: the asker's "Herudover ønskes oplyst" preamble is dropped
        ["dgifterne til madservice", "Hvor mange borgere modtager madservice?"],
    ),
    (
        "Forvaltningen bedes oplyse, hvilke tilbud der findes til pårørende til demente, samt hvor mange der benytter dem.",
        ["Forvaltningen bedes oplyse, hvilke tilbud", "Forvaltningen bedes oplyse, hvor mange"],
    ),
    (
        "Hvorfor har kommunen valgt at udlicitere rengøringen, og hvilke besparelser forventes?",
        ["udlicitere", "besparelser"],
    ),
    (
        "1. Hvor mange plejehjemsbeboere er faldet i 2024?\n2. Hvilke forebyggende tiltag er iværksat?",
        ["faldet", "tiltag"],
    ),
    (
        "Hvilken betydning har demensstrategien haft for antallet af udredninger og for pårørendes trivsel?",
        ["udredninger og for pårørendes"],
    ),
    (
        "Vil forvaltningen undersøge muligheden for at etablere seniorcirkler i København, og hvad vil det koste?",
        ["seniorcirkler i København?", "Hvad vil det koste (at etablere seniorcirkler i København)?"],
    ),
]


def _split_ok(text: str, phrases: list[str]) -> bool:
    parts = _parts(text)
    return len(parts) == len(phrases) and all(p in part for p, part in zip(phrases, parts, strict=True))


@pytest.mark.parametrize(("text", "phrases"), SPLIT_CASES, ids=[str(i) for i in range(len(SPLIT_CASES))])
def test_split_question_cases(text, phrases):
    parts = _parts(text)
    assert _split_ok(text, phrases), parts


@pytest.mark.parametrize(("text", "phrases"), HELD_OUT, ids=[f"held-out-{i}" for i in range(len(HELD_OUT))])
def test_split_question_held_out(text, phrases):
    parts = _parts(text)
    assert _split_ok(text, phrases), parts


def test_split_accuracy_on_labelled_set():
    cases = SPLIT_CASES + HELD_OUT
    correct = sum(_split_ok(t, p) for t, p in cases)
    accuracy = correct / len(cases)
    print(f"split accuracy: {correct}/{len(cases)} = {accuracy:.0%}")
    assert len(cases) >= 20
    assert accuracy >= 0.9


def test_split_ids_and_self_contained_og_split():
    subs = split_question("Hvor mange plejeboliger er der, og hvad koster en plads?")
    assert [s.id for s in subs] == ["1", "2"]
    assert subs[1].text == "Hvad koster en plads?"
    assert all(s.text.endswith("?") for s in subs)


def test_split_empty_and_sign_off():
    assert split_question("   ") == []
    subs = split_question("Hvad koster ordningen?\n\nVenlig hilsen\nJan Herskov\nByrådsmedlem")
    assert [s.text for s in subs] == ["Hvad koster ordningen?"]


# Self-contained, neutral parts (issue 16): written with the rules, so they test the rules, not accuracy.
SELF_CONTAINED = [
    (
        "Forud for budgetforhandlingerne vil jeg gerne spørge forvaltningen, hvilke af de bevillinger på "
        "udvalgets ramme, der udløber til Budget 2026, forvaltningen anbefaler at videreføre, og hvor meget de koster.",
        [
            "Hvilke af de bevillinger på udvalgets ramme, der udløber til Budget 2026, anbefaler forvaltningen at videreføre?",
            "Hvor meget koster de bevillinger på udvalgets ramme, der udløber til Budget 2026, og som forvaltningen "
            "anbefaler at videreføre?",
        ],
    ),
    (
        "Herudover ønsker jeg oplyst, hvad en forsøgsordning med social henvisning forventes at koste.",
        ["Hvad forventes en forsøgsordning med social henvisning at koste?"],
    ),
    (
        "Kan forvaltningen oplyse, om der er venteliste til plejeboliger, om ventetiden er steget, og om der er planer om flere pladser?",
        [
            "Kan forvaltningen oplyse, om der er venteliste til plejeboliger?",
            "Kan forvaltningen oplyse, om ventetiden er steget?",
            "Kan forvaltningen oplyse, om der er planer om flere pladser?",
        ],
    ),
    (
        "Hvilke bevillinger udløber ved udgangen af 2026, og hvad anbefaler forvaltningen for hver?",
        [
            "Hvilke bevillinger udløber ved udgangen af 2026?",
            "Hvad anbefaler forvaltningen for hver af de bevillinger, der udløber ved udgangen af 2026?",
        ],
    ),
    (
        "Hvor mange madklubber findes der, hvad koster de, og hvem driver dem?",
        ["Hvor mange madklubber findes der?", "Hvad koster de (madklubber)?", "Hvem driver dem (madklubber)?"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SELF_CONTAINED, ids=[str(i) for i in range(len(SELF_CONTAINED))])
def test_parts_are_self_contained_and_neutral(text, expected):
    parts = _parts(text)
    assert parts == expected
    assert not any(w in p.lower().split() for p in parts for w in ("jeg", "vi", "mig"))


def test_a_part_referring_back_carries_the_noun_phrase_with_its_clauses():
    """ "… og hvor stort er det største af dem?" names what "dem" are, category included, in neutral form;
    before, the last phrase of the part above was carried ("(os politikere at tage stilling til)")."""
    first, second = split_question(
        "Hvilke af de tidsbegrænsede midler, der ophører næste år, har forvaltningen overladt til os politikere "
        "at tage stilling til, og hvor stort er det største af dem?"
    )
    assert second.text == (
        "Hvor stort er det største af de tidsbegrænsede midler, der ophører næste år, og som forvaltningen har "
        "overladt til politikerne at tage stilling til?"
    )
    _, second = split_question(
        "Hvilke af de midlertidige indsatser, som løber ud med 2026, ser forvaltningen ingen grund til at forlænge, "
        "og hvor mange penge drejer det sig om for hver af dem?"
    )
    assert second.text.startswith("Hvor mange penge drejer det sig om for hver af de midlertidige indsatser, som")
    assert second.text.endswith("og som forvaltningen ser ingen grund til at forlænge?")


def test_a_bare_why_after_a_which_part_is_made_whole_and_starts_a_sentence():
    assert [x.text for x in split_question("Hvilke to bevillingsudløb kommer på en særskilt liste, og hvorfor?")] == [
        "Hvilke to bevillingsudløb kommer på en særskilt liste?",
        "Hvorfor kommer de to bevillingsudløb på en særskilt liste?",
    ]
    parts = split_question("To udløb står på en anden liste end de øvrige. Hvilke er det, og hvorfor?")
    assert parts[1].text == "To udløb står på en anden liste end de øvrige. Hvorfor?"  # not "… øvrige. hvorfor?"


def test_a_part_that_names_nothing_carries_the_noun_and_clause_before_the_colon():
    parts = split_question(
        "Hvad sker der med ordningen, der skal gøre overgangen fra sygehus til eget hjem sikker for ældre: "
        "hvor mange penge løber ud, og hvad mener forvaltningen?"
    )
    assert parts[1].text == (
        "Hvad mener forvaltningen om ordningen, der skal gøre overgangen fra sygehus til eget hjem sikker for ældre?"
    )


def test_a_dash_before_og_joins_two_asks_and_stays_out_of_both():

    parts = _parts("Hvornår slutter arbejdet – og hvad skal der komme ud af det?")
    assert parts[0] == "Hvornår slutter arbejdet?"
    assert parts[1].startswith("Hvad skal der komme ud af det") and "–" not in parts[1]


def test_a_bare_definite_noun_points_back_but_a_named_scheme_does_not():

    parts = _parts("Hvor mange plejehjemsbeboere har brugt deres klippekort i 2024, og hvad har ordningen kostet?")
    assert parts[1] == "Hvad har ordningen kostet (klippekort)?"
    parts = _parts("Hvad koster madklubberne? Hvornår blev ordningen med klippekort indført?")
    assert parts[1] == "Hvornår blev ordningen med klippekort indført?"


def test_an_interrogative_clause_governed_by_a_preposition_is_not_split_off():
    parts = _parts(
        "Hvad svarede ministeren om kommunernes pligt til praktisk hjælp, og betyder det noget for, hvordan "
        "borgerne visiteres?"
    )
    assert parts == [
        "Hvad svarede ministeren om kommunernes pligt til praktisk hjælp?",
        "Betyder det noget for, hvordan borgerne visiteres?",
    ]
    # a stranded "til" before ", og hvor mange …" still ends the first ask
    assert len(split_question("Hvad bruges midlerne til demens til, og hvor mange borgere har fået støtte?")) == 2


def test_a_later_part_gets_the_year_and_the_quoted_name_of_the_part_before():

    parts = _parts(
        "Hvor store er udgifterne under 'Andre udgifter' i 2025, og hvad giver det netto? Hvad er der "
        "budgetteret med til pleje og træning i 2026, og hvad er udvalgets samlede nettobudget det år?"
    )
    assert parts[1] == "Hvad giver det netto (Andre udgifter)?"
    assert parts[3] == "Hvad er udvalgets samlede nettobudget i 2026?"


def test_a_clause_governed_by_om_stays_with_its_ask():

    parts = _parts(
        "Hvor mange tillæg blev der betalt ud i 2024? Og hvad har forvaltningens analyser vist om, hvorvidt "
        "tillæggene virker?"
    )
    assert parts[1] == "Hvad har forvaltningens analyser vist om, hvorvidt tillæggene virker?"


def test_an_umbrella_sentence_before_the_questions_is_not_a_part_and_ordinals_are_dropped():

    parts = _parts(
        "Til næste udvalgsmøde vil jeg gerne have afklaret to ting. For det første: Hvad svarede forvaltningen "
        "om rengøring efter asbestfund? For det andet: Hvad viste undersøgelsen blandt de pårørende?"
    )
    assert parts == [
        "Hvad svarede forvaltningen om rengøring efter asbestfund?",
        "Hvad viste undersøgelsen blandt de pårørende?",
    ]


def test_indsatsen_stands_for_the_scheme_named_before_and_a_request_without_a_question_mark_is_an_ask():

    parts = _parts(
        "Forvaltningen vil ikke anbefale at fortsætte Tryg hjemkomst fra hospital. Jeg vil derfor bede "
        "forvaltningen oplyse, hvor mange penge der er tale om. Hvorfor mener forvaltningen, at indsatsen "
        "ikke skal fortsætte?"
    )
    assert len(parts) == 2
    assert parts[1] == "Hvorfor mener forvaltningen, at indsatsen ikke skal fortsætte (Tryg hjemkomst fra hospital)?"


def test_a_noun_starting_like_a_pronoun_is_carried_whole_and_det_aar_takes_the_first_parts_year():
    """ "Hvilke dele af …": "de" is not stripped off "dele" (it was: "(le af ensomhedspakken)"); "det år"
    three parts on is the year the first part names."""
    parts = _parts(
        "Hvilke dele af ensomhedspakken er der stadig penge til i 2017, hvor meget får de hver især, "
        "og hvad koster pakken i alt det år?"
    )
    assert parts[1] == "Hvor meget får de hver især (dele af ensomhedspakken)?"
    assert parts[2] == "Hvad koster pakken i alt i 2017?"


def test_a_part_is_shown_without_the_askers_own_preamble():
    """The draft's "[1] …" and Word's "Ad spørgsmål 1: …" repeated "Jeg har læst notatet … og vil gerne blive
    klogere på …" before every part; the part keeps it for search, the reader gets the ask (and a context
    sentence in the third person, which names the subject)."""
    from assistant.question import shown_text

    assert (
        shown_text(
            "Jeg har læst notatet om de bevillinger, der løber ud, og vil gerne blive klogere på to af dem. "
            "Velfærdsrejserne for ældre: Hvor mange penge er der tale om?"
        )
        == "Velfærdsrejserne for ældre: Hvor mange penge er der tale om?"
    )
    assert shown_text("Vi bruger Roskilde som sammenligningskommune. Hvad er nettobudgettet i 2028?") == (
        "Hvad er nettobudgettet i 2028?"
    )
    third = "Forsøget med en helhedsorienteret indsats anbefales ikke videreført. Hvor mange borgere kom i forløb?"
    assert shown_text(third) == third
    assert shown_text("Hvor meget koster det?") == "Hvor meget koster det?"


def test_a_verb_before_the_subject_stays_out_of_the_carried_noun():
    """ "Hvilke udløb mener forvaltningen bør fortsætte, og med hvilke beløb?": the second part carried
    "udløb mener" (the inverted verb taken for part of the noun)."""
    parts = _parts("Hvilke udløb mener forvaltningen bør fortsætte, og med hvilke beløb?")
    assert len(parts) == 2 and "mener?" not in parts[1] and "udløb" in parts[1]
    parts = [
        s.text
        for s in split_question("Hvilke bevillinger anbefaler forvaltningen at videreføre, og hvor meget koster de?")
    ]
    assert parts[1] == "Hvor meget koster de (bevillinger)?"


def test_greetings_marks_and_meta_lead_ins_are_not_shown_as_part_of_a_sub_question():
    """Read blind, sub-question headings began "Hej." / "Jeg beder om svar på: 1)" / "Kort spørgsmål til
    budgetarbejdet:"; a lead-in that names the subject ("Kort spørgsmål om løntillæggene …:") stays, and a
    bare "og hvornår?" carries its subject in parentheses, not as "Hvornår om …?"."""
    from assistant.question import shown_text

    parts = _parts("Hej forvaltning. Hvor mange madklubber har der været, og hvornår?")
    assert not parts[0].startswith("Hej") and parts[1].startswith("Hvornår (")
    assert shown_text("Jeg beder om svar på: 1) Hvor meget var der afsat til seniortræf?") == (
        "Hvor meget var der afsat til seniortræf?"
    )
    assert shown_text("2. Hvordan finansierer Roskilde omstillingen?") == "Hvordan finansierer Roskilde omstillingen?"
    assert shown_text("Kort spørgsmål til budgetarbejdet: Hvilke bevillinger bør fortsætte?") == (
        "Hvilke bevillinger bør fortsætte?"
    )
    kept = "Kort spørgsmål om løntillæggene til sygeplejersker: Hvor mange tillæg blev udbetalt?"
    assert shown_text(kept) == kept


def test_an_overview_asked_before_the_questions_is_an_ask_of_its_own():
    """ "Jeg … vil gerne have overblik over de midlertidige bevillinger, der stopper ved udgangen af 2026." before
    two questions asks for the list itself (with a greeting before it, it was kept; once greetings were dropped,
    the umbrella rule dropped it and the table with it). "… jeg vil gerne have lidt baggrund." stays an umbrella."""
    parts = _parts(
        "Hej forvaltning. Jeg vil gerne have overblik over de midlertidige bevillinger, der stopper ved udgangen "
        "af 2026. Hvilke af dem bør fortsætte? Hvor meget løber der ud i alt?"
    )
    assert len(parts) == 3 and "overblik over de midlertidige bevillinger" in parts[0]
    parts = _parts("Jeg vil gerne have lidt baggrund. Hvad koster det? Hvornår starter det?")
    assert len(parts) == 2


def test_the_asker_is_found_in_a_signature_a_from_line_or_a_party_via_a_person():
    """Read blind, six drafts said "[spørger]" though the question named its asker: in a signature, in a
    "Spørgsmål fra … (A)" line, or as "Socialdemokratiet v/ Peter Nørgaard har … stillet følgende spørgsmål"."""
    q = parse_question("Hej forvaltning. Hvad koster madklubberne? Venlig hilsen Jonas Krogh (V)")
    assert (q.asker, q.party) == ("Jonas Krogh", "V") and "Venlig hilsen" not in q.text
    q = parse_question("Hej. Hvor mange kommuner droppede klippekortet? Mvh. Sofie Winther (EL)")
    assert (q.asker, q.party) == ("Sofie Winther", "EL")
    q = parse_question("Spørgsmål fra Lise Damgaard (A) om demensmidlerne:\n1. Hvad er de brugt til?\n2. Hvem fik dem?")
    assert (q.asker, q.party) == ("Lise Damgaard", "A")
    q = parse_question("Spørgsmål til forvaltningen om social henvisning (fra Maja Lind, SF)\nHvad koster det?")
    assert (q.asker, q.party) == ("Maja Lind", "SF")
    q = parse_question(
        'Socialdemokratiet v/ Peter Nørgaard har den 5. november stillet følgende spørgsmål: "Hvad koster det?"'
    )
    assert (q.asker, q.party) == ("Peter Nørgaard", "Socialdemokratiet")


def test_two_key_words_carried_for_search_are_not_shown_in_the_heading():
    from assistant.question import shown_text

    assert shown_text("Hvad mener forvaltningen, der bør ske (forsvinder og tidligt)?") == (
        "Hvad mener forvaltningen, der bør ske?"
    )
    assert shown_text("Hvad bruges pengene til (seniorklubber)?") == "Hvad bruges pengene til (seniorklubber)?"
    assert shown_text("Hvornår slutter det (Sundhed for alle)?") == "Hvornår slutter det (Sundhed for alle)?"


def test_headings_from_one_long_indirect_request_and_thanks_read_as_the_asks():
    """Read blind (r19): one sentence "Jeg er blevet kontaktet af …, og vil derfor gerne have oplyst, hvad …,
    hvor mange … og hvorfor …" showed its preamble before every part; "Tak!" and "På forhånd tak." ended the
    last part; "Hej Sundheds- og Omsorgsforvaltningen." and "For det første …:" opened parts; a topic
    "nettobudget" was carried as "(nettobudg)"."""
    from assistant.question import derive_topic, shown_text

    q = parse_question(
        "Jeg er blevet kontaktet af en borger, og vil derfor gerne have oplyst, hvad ministeren har sagt om "
        "asbest, og hvor mange kommuner der valgte klippekortet fra. Tak!"
    )
    shown = [shown_text(s.text) for s in q.sub_questions]
    # (and in a direct question's word order, as a heading reads: "Hvad har ministeren sagt …", "Hvor mange
    # kommuner valgte …")
    assert shown[0].startswith("Hvad har ministeren sagt om asbest") and shown[-1].endswith("fra?")
    assert shown[-1].startswith("Hvor mange kommuner valgte klippekortet fra"), shown
    assert not any("Tak" in x or "kontaktet" in x for x in shown)
    q = parse_question("Hej Sundheds- og Omsorgsforvaltningen. Hvad koster madklubberne? På forhånd tak.")
    assert [shown_text(s.text) for s in q.sub_questions] == ["Hvad koster madklubberne?"]
    assert shown_text("For det første løntillæggene: hvor mange blev udbetalt?") == (
        "Løntillæggene: Hvor mange blev udbetalt?"
    )
    assert derive_topic("Hvor stort er udvalgets samlede nettobudget i 2025?") == "nettobudget"


def test_a_numbered_list_with_a_dash_inside_an_item_and_a_greeting_on_its_own_line():
    """ "… fundet asbest – hvad har forvaltningen svaret?" has a dash inside a sentence: not a bullet, so the list
    "1) … 4)" is still read as a list; the greeting on its own line and the lead-in ending in ":" are no part."""
    parts = _parts(
        "Kære forvaltning\n\nForud for dialogmødet vil jeg bede om svar på følgende:\n"
        "1) Hvor mange kommuner holdt op med klippekortet?\n"
        "2) Kan hjemmeplejen gøre rent, hvor der er fundet asbest – hvad har forvaltningen svaret?\n"
        "3) Hvad foreslår forvaltningen på demensområdet?\n\nMed venlig hilsen\nOle Eksempel (X)"
    )
    assert len(parts) == 3, parts
    assert parts[0].startswith("Hvor mange kommuner") and "Kære" not in parts[0]
    assert "asbest – hvad har forvaltningen svaret" in parts[1]


def test_a_question_reported_after_spurgte_is_not_split_from_it():
    """ "da Socialudvalget spurgte, hvordan …": the clause after the comma is what was asked, not a second ask."""
    parts = _parts(
        "Hvad svarede regeringen i december 2012, da Socialudvalget spurgte, hvordan de ældre skulle "
        "kompenseres for at miste tilskuddet?"
    )
    assert len(parts) == 1, parts


def test_what_a_municipality_uses_on_something_asks_for_an_amount():
    from assistant.asks import FIGURE, classify_ask, figure_wanted

    q = "Hvad regner kommunen med at bruge netto på omsorg i hvert af budgetoverslagsårene?"
    assert classify_ask(q) == FIGURE and figure_wanted(q) == "money"
    assert classify_ask("Hvad har kommunen brugt på taxakørsel til genoptræning?") == FIGURE


def test_an_indirect_question_is_shown_in_a_direct_questions_word_order():
    from assistant.question import direct_order, shown_text

    assert direct_order("Hvad pakken koster i alt?") == "Hvad koster pakken i alt?"
    assert direct_order("Om der allerede er afsat midler?") == "Er der allerede afsat midler?"
    assert direct_order("Hvad der konkret er sat i gang?") == "Hvad er der konkret sat i gang?"
    assert direct_order("Hvem der stillede spørgsmålet?") == "Hvem stillede spørgsmålet?"
    assert direct_order("Hvordan sundhedsministeren reagerede, da foreningerne klagede?") == (
        "Hvordan reagerede sundhedsministeren, da foreningerne klagede?"
    )
    for direct in ("Hvad koster pakken?", "Hvordan ser ministeren de pårørendes rolle?", "Hvem kan få en plejebolig?"):
        assert direct_order(direct) == direct
    assert (
        shown_text(
            "Jeg vil gerne bede om en kort status på udvalgets projekter, herunder hvornår vi besluttede at indføre teams."
        )
        == "Hvornår besluttede vi at indføre teams?"
    )
    assert shown_text("Kan I derfor svare på følgende: hvilke tal blev der henvist til?") == (
        "Hvilke tal blev der henvist til?"
    )


def test_a_request_with_its_own_indirect_question_before_the_questions_is_an_ask():
    """Read blind (r20): "Jeg vil gerne have oplyst, hvilke af de midlertidige bevillinger … bør videreføres, og
    hvor mange penge …" before two questions about other things was dropped as the umbrella over them; the
    draft never said which appropriations. An umbrella repeats what the questions after it ask."""
    parts = _parts(
        "Jeg vil gerne have oplyst, hvilke af de midlertidige bevillinger på udvalgets ramme, der løber ud med "
        "Budget 2026, forvaltningen mener bør videreføres, og hvor mange penge der er tale om for hver af dem. "
        "Hvor meget udløber der samlet set? Hvad vil tolkebistand koste ekstra?"
    )
    assert len(parts) == 4 and "bør videreføres" in parts[0], parts
    parts = _parts(
        "Demens fylder mere og mere, og jeg vil gerne vide, hvad ministrene har sagt om demens. "
        "Hvad sagde ministeren om demens i 2017? Hvad sagde ministeren om demens i 2010?"
    )
    assert len(parts) == 2, parts


def test_the_asker_from_a_name_alone_on_the_last_line():
    """Read blind (r21): "…?\\n\\nJakob Friis (LA)" and "…?\\n\\n/Anne Skov (F)" left "[spørger]" and put the name in
    the last part's heading. A sentence's words in parentheses are no name."""
    q = parse_question("Hvad koster det?\n\nJakob Friis (LA)")
    assert (q.asker, q.party) == ("Jakob Friis", "LA") and "Friis" not in q.sub_questions[-1].text
    q = parse_question("Hvad koster det?\n\n/Anne Skov (F)")
    assert (q.asker, q.party) == ("Anne Skov", "F")
    q = parse_question("Kære forvaltning\n\nHvad koster det?\n\nMvh\nKaren Dahl (DF)")
    assert (q.asker, q.party) == ("Karen Dahl", "DF")
    assert parse_question("Hvad koster det?\n\nDet spørger jeg om (igen)").asker is None
    from assistant.house_style import answer_heading

    assert answer_heading("forvaltningen") == "Forvaltningens svar"


def test_headings_split_every_ask_and_read_in_direct_order():
    """Read blind (r21), 14 of 19 drafts had a garbled or merged sub-question heading: three asks of one long
    sentence under one heading ("…, hvad der kom ud af …, samt om det overhovedet er muligt …"), an "om"-clause
    glued to the ask before it, "Kan hjemmeplejen gøre rent hos en borger," repeated before the next ask, "der
    er tale om," read as governing the clause after it, and indirect word order left in the heading."""

    def heads(text: str) -> list[str]:
        from assistant.question import shown_text

        return [shown_text(s.text) for s in parse_question(text).sub_questions]

    assert heads(
        "Hvor mange penge er der samlet tale om, hvilke af bevillingerne mener forvaltningen bør fortsætte, og "
        "hvor meget koster hver af dem?"
    ) == [
        "Hvor mange penge er der samlet tale om?",
        "Hvilke af bevillingerne mener forvaltningen bør fortsætte?",
        "Hvor meget koster hver af de bevillinger, som forvaltningen mener bør fortsætte?",
    ]
    assert heads(
        "Jeg vil gerne have oplyst, hvad Sundheds- og Omsorgsudvalget i Roskilde besluttede i november 2017, hvor "
        "mange ledige ældreboliger den efterfølgende opgørelse viste, hvad der kom ud af anmodningen i april 2018, "
        "samt om det overhovedet er muligt at lave en beskyttet bolig om til en plejebolig."
    ) == [
        "Hvad besluttede Sundheds- og Omsorgsudvalget i Roskilde i november 2017?",
        "Hvor mange ledige ældreboliger viste den efterfølgende opgørelse?",
        "Hvad kom ud af anmodningen i april 2018?",
        "Er det overhovedet muligt at lave en beskyttet bolig om til en plejebolig?",
    ]
    assert heads(
        "Jeg vil gerne vide, hvad forvaltningen foreslår for at styrke samarbejdet med de pårørende, om "
        "hjemmeplejen må gøre rent hos borgere, hvor der er fundet asbest, om kommunen stadig har klippekortet, "
        "og hvad forvaltningen foreslår om opgørelser."
    ) == [
        "Hvad foreslår forvaltningen for at styrke samarbejdet med de pårørende?",
        "Må hjemmeplejen gøre rent hos borgere, hvor der er fundet asbest?",
        "Har kommunen stadig klippekortet?",
        "Hvad foreslår forvaltningen om opgørelser?",
    ]
    assert heads("Kan hjemmeplejen gøre rent hos en borger, hvor der er fundet asbest, og hvad sagde ministeren?") == [
        "Kan hjemmeplejen gøre rent hos en borger, hvor der er fundet asbest?",
        "Hvad sagde ministeren?",
    ]
    assert heads("Er I involveret i social henvisning, og kan begge dele finansieres af ældrereformmidlerne?") == [
        "Er I involveret i social henvisning?",
        "Kan begge dele finansieres af ældrereformmidlerne?",
    ]
    assert heads(
        "Jeg vil gerne bede forvaltningen oplyse, hvor stort nettobudgettet for udvalget er i 2025, hvor meget "
        "pleje og træning fylder i budgettet, og hvor mange netværksmedarbejdere Roskilde ansætter."
    ) == [
        "Hvor stort er nettobudgettet for udvalget i 2025?",
        "Hvor meget fylder pleje og træning i budgettet?",
        "Hvor mange netværksmedarbejdere ansætter Roskilde?",
    ]
    # the asking phrase is the subject, or the clause is governed: left as it is
    assert heads("Hvor stor en andel af plejehjemsbeboerne er tilfredse med plejen?") == [
        "Hvor stor en andel af plejehjemsbeboerne er tilfredse med plejen?"
    ]
    assert heads("Hvad sagde ministeren om tilfredsheden og om de pårørendes rolle?") == [
        "Hvad sagde ministeren om tilfredsheden og om de pårørendes rolle?"
    ]
    assert heads("Hvornår regner forvaltningen med at kunne vurdere, om værktøjet skal tages i brug?") == [
        "Hvornår regner forvaltningen med at kunne vurdere, om værktøjet skal tages i brug?"
    ]


def test_context_umbrellas_and_lists_read_blind_in_r22():
    """Read blind (r22, fresh 14), 8 of 16 drafts answered a context or umbrella sentence as a part ("Jeg er
    ved at se på, hvad kommunen tidligere har brugt …", "Jeg vil gerne have svar på et par ting."), a dash list
    after "Spørgsmål:" was read as one sentence, a semicolon list as one ask, and "Hilsen" ended a heading."""

    def heads(text: str) -> list[str]:
        from assistant.question import shown_text

        return [shown_text(s.text) for s in parse_question(text).sub_questions]

    # no question mark anywhere: a sentence asks only with a request or an asking word
    assert heads(
        "I budgetpublikationen kan man se, hvad udvalget har at gøre godt med. Jeg beder om at få oplyst udvalgets "
        "samlede nettobudget for 2026, og hvordan posten for pleje udvikler sig."
    ) == ["Hvad er udvalgets samlede nettobudget for 2026?", "Hvordan udvikler posten for pleje sig?"]
    shown = heads(
        "Der bliver flere gamle. Jeg vil gerne have svar på et par ting. Hvem bestemmer reglerne? Kan en beskyttet "
        "bolig laves om?\n\nHilsen\nBirgit Sønderby (O)"
    )
    assert (
        len(shown) == 2
        and shown[0].endswith("Hvem bestemmer reglerne?")
        and shown[1] == "Kan en beskyttet bolig laves om?"
    )
    assert not any("et par ting" in x or "Hilsen" in x for x in shown)
    assert heads(
        "Baggrund: Noget om ensomhed.\n\nSpørgsmål:\n– Hvor mange samtaler er der?\n– Hvad koster bladet?"
    ) == [
        # (a list item with hardly a word of its own carries what the lines before it name, since session 8)
        "Hvor mange samtaler er der (ensomhed)?",
        "Hvad koster bladet (ensomhed)?",
    ]
    assert heads(
        "Jeg vil derfor bede om svar på følgende: hvor mange penge der er tale om; hvad indsatsen konkret har nået; "
        "og om det er dyrere at bygge plejeboliger til demente."
    ) == [
        "Hvor mange penge er der tale om?",
        "Hvad har indsatsen konkret nået?",
        "Er det dyrere at bygge plejeboliger til demente?",
    ]
    # "Helt konkret …" says what the sentence before it asks
    assert heads(
        "Jeg vil gerne vide, hvordan pengene var fordelt over årene. Helt konkret vil jeg gerne vide, hvor meget der "
        "var afsat i 2015, og hvilke initiativer der fik penge i 2016."
    ) == ["Hvor meget var der afsat i 2015?", "Hvilke initiativer fik penge i 2016?"]
    # "hvad sagde ministeren …, og hvorfor?": why the minister said so, one ask
    assert heads("Hvad sagde ministeren om, hvorvidt hjemmeplejen må gøre rent, og hvorfor?") == [
        "Hvad sagde ministeren om, hvorvidt hjemmeplejen må gøre rent, og hvorfor?"
    ]


def test_a_from_line_with_a_date_frames_the_question_and_its_words_are_no_topic():
    """Read blind (r23): "Spørgsmål fra Hanne Vestergaard (SF), modtaget den 15. januar 2024: "…"" stayed in every
    part, so each part named "Hanne Vestergaard" — a name no document has — and all four were left unanswered."""
    q = parse_question(
        'Spørgsmål fra Hanne Vestergaard (SF), modtaget den 15. januar 2024: "Jeg vil gerne vide, hvor tilfredse '
        'beboerne på plejehjem egentlig er, og hvordan ledsagerordningen skulle fungere."'
    )
    assert (q.asker, q.party, q.date_asked) == ("Hanne Vestergaard", "SF", "2024-01-15")
    assert not any("Vestergaard" in s.text or "modtaget" in s.text for s in q.sub_questions)
    from assistant.question import shown_text

    assert shown_text(q.sub_questions[0].text) == "Hvor tilfredse er beboerne på plejehjem egentlig?"
    # the question quoted in the answer keeps its list lines and drops the greeting and the sign-off
    q = parse_question("Kære forvaltning\n\n1. Hvad koster det?\n2. Hvem betaler?\n\nMed venlig hilsen\nLine Bech (Ø)")
    assert q.text == "1. Hvad koster det?\n2. Hvem betaler?"


def test_a_question_without_question_marks_keeps_its_wants_to_know_sentence():
    """Read blind (r24, paired with the session's start): the intake that took context sentences out dropped
    "Jeg kunne godt tænke mig at vide, hvad … vil koste …" too — the whole cost part disappeared."""
    from assistant.question import shown_text

    q = parse_question(
        "Til forvaltningen\n\nJeg kunne godt tænke mig at vide, hvad en forsøgsordning med social henvisning for "
        "ensomme ældre vil koste det første år og hvert år derefter, og hvilke dele beløbet består af. Jeg vil også "
        "gerne vide, hvem der skal hjælpe borgerne ud i fællesskaberne.\n\nVh. Maria Lind (B)"
    )
    shown = [shown_text(s.text) for s in q.sub_questions]
    assert shown[0] == (
        "Hvad vil en forsøgsordning med social henvisning for ensomme ældre koste det første år og hvert år derefter?"
    )
    assert shown[1] == "Hvilke dele består beløbet af?" and len(shown) == 3


def test_a_request_without_a_question_mark_asks_beside_sentences_that_have_one():
    """Fresh 17 (u01): "Jeg beder forvaltningen oplyse, hvordan …, og hvad … er i de samme år." stood before two
    sentences with "?", was taken for context and the year-by-year part (the question's first ask) disappeared."""
    from assistant.question import shown_text

    q = parse_question(
        'Lone Vestergaard (V) har den 3. marts 2025 stillet følgende spørgsmål til forvaltningen:\n\n"Af '
        "budgetpublikationen fremgår en tabel over udvalgets økonomi. Jeg beder forvaltningen oplyse, hvordan "
        "nettobudgettet til Pleje og træning udvikler sig fra år til år i perioden 2025-2028, og hvad udvalgets "
        'samlede nettobudget er i de samme år. Hvilken linje har et positivt fortegn?"'
    )
    shown = [shown_text(s.text) for s in q.sub_questions]
    assert shown == [
        "Hvordan udvikler nettobudgettet til Pleje og træning sig fra år til år i perioden 2025-2028?",
        # "de samme år" is the period of the part before, not its first year; "samlede" after a genitive is no verb
        "Hvad er udvalgets samlede nettobudget i årene 2025-2028?",
        "Hvilken linje har et positivt fortegn?",
    ]


def test_the_amounts_asked_after_which_items_carry_those_items():
    """Read blind (r25, u12): "Hvilke af de bevillinger …, og hvor store er beløbene?" gave a second part "Hvor store er
    beløbene (bevillinger og vurdering)?", which lost which items; it was left "ikke oplysninger" right under the
    part that had listed every amount. The second part carries the items, as "… for hver af dem" already did."""
    parts = [
        s.text
        for s in split_question(
            "Hvilke af de bevillinger, der udløber til Budget 2026, har forvaltningen overladt til politisk vurdering, og "
            "hvor store er beløbene?"
        )
    ]
    assert parts == [
        "Hvilke af de bevillinger, der udløber til Budget 2026, har forvaltningen overladt til politisk vurdering?",
        "Hvor store er beløbene for de bevillinger, der udløber til Budget 2026, og som forvaltningen har overladt til "
        "politisk vurdering?",
    ]
    _, second = split_question("Hvilke udløb mener forvaltningen bør fortsætte, og med hvilke beløb?")
    assert second.text == "Med hvilke beløb for de udløb, som forvaltningen mener bør fortsætte?"
    # "finder" before the subject is the verb, not part of the noun
    _, second = split_question(
        "Hvilke af de udløbende bevillinger på udvalgets område finder forvaltningen det ikke relevant at fortsætte, "
        "og hvor store er beløbene?"
    )
    assert second.text == (
        "Hvor store er beløbene for de udløbende bevillinger på udvalgets område, som forvaltningen finder det ikke "
        "relevant at fortsætte?"
    )


def test_a_topic_word_loses_its_definite_ending_and_nothing_more():
    """Read blind (r24, r25): titles read "Spørgsmål om pilotforsøge og indsats", "hiv-arbejd", "ensomhedsarbejd":
    a neuter noun's "-et" was stripped by the rule for "-en" ("aftalen" -> "aftale")."""
    from assistant.question import _indefinite

    assert [_indefinite(w) for w in ("pilotforsøget", "hiv-arbejdet", "plejepersonalet", "udvalget", "tilbuddet")] == [
        "pilotforsøg",
        "hiv-arbejde",
        "plejepersonale",
        "udvalg",
        "tilbud",
    ]
    assert [_indefinite(w) for w in ("ældreaftalen", "hjemmeplejen", "ældrereformmidlerne")] == [
        "ældreaftale",
        "hjemmepleje",
        "ældrereformmidler",
    ]


def test_intake_read_blind_in_r26():
    """Fresh 18, read blind (r26): guillemets stayed in the parts ("»Hvilke …", "… hiv-området.«?"), a sign-off
    without a party ("Mvh\\nAnders Lund", "Mvh Birgitte") ended up in the last part, a title line took the name
    ("Lise Dam Byrådsmedlem"), "Kan du hjælpe mig med tre ting?" became a part, "…, og hvor meget?" a part of its
    own ("Hvor meget om ensomhedspak?"), "…, og hvad var begrundelsen?" took the stem "Hvad sagde ministeren om,",
    "hvornår ved man, om det skal fortsætte?" split at "om", and "de resterende" read "resterende" as the verb."""
    from assistant.question import shown_text

    def heads(text):
        return [shown_text(s.text) for s in parse_question(text).sub_questions]

    q = parse_question(
        "Karen Holm (C) har den 10. marts 2025 stillet følgende spørgsmål: »Hvilke af de bevillinger, der udløber til "
        "Budget 2026, mener forvaltningen ikke bør forlænges, og hvor store er beløbene?«"
    )
    assert [s.text for s in q.sub_questions] == [
        "Hvilke af de bevillinger, der udløber til Budget 2026, mener forvaltningen ikke bør forlænges?",
        "Hvor store er beløbene for de bevillinger, der udløber til Budget 2026, og som forvaltningen mener ikke bør "
        "forlænges?",
    ]
    q = parse_question("Kære forvaltning\n\nHvor mange spørgsmål har skemaet?\n\nMvh\nAnders Lund")
    assert q.asker == "Anders Lund" and heads(q.raw) == ["Hvor mange spørgsmål har skemaet?"]
    q = parse_question("Hej\n\nKan man lave en beskyttet bolig om?\n\nPå forhånd tak\nMvh Birgitte")
    assert q.asker == "Birgitte" and heads(q.raw) == ["Kan man lave en beskyttet bolig om?"]
    q = parse_question("Kære forvaltning\n\nVille ministeren gribe ind?\n\nMvh\nLise Dam\nByrådsmedlem (O)")
    assert (q.asker, q.party) == ("Lise Dam", "O")
    assert heads(
        "Hej Mette\n\nJeg har læst Frederiksbergs sag. Kan du hjælpe mig med tre ting?\n\nHvad koster brobygningen?\n\n"
        "Har de haft et lignende forslag oppe tidligere?\n\nHvor mange borgere vil lægerne henvise?"
    ) == ["Hvad koster brobygningen?", "Har de haft et lignende forslag oppe tidligere?",
          "Hvor mange borgere vil lægerne henvise?"]  # fmt: skip
    assert heads("Hvilket enkelt initiativ lagde beslag på flest penge, og hvor meget?") == [
        "Hvilket enkelt initiativ lagde beslag på flest penge, og hvor meget?"
    ]
    assert heads("Hvad sagde ministeren om, hvorvidt hjemmeplejen kan gøre rent, og hvad var begrundelsen?") == [
        "Hvad sagde ministeren om, hvorvidt hjemmeplejen kan gøre rent, og hvad var begrundelsen?"
    ]
    assert heads("Hvor mange penge er der brugt på værktøjet i 2024, og hvornår ved man, om det skal fortsætte?") == [
        "Hvor mange penge er der brugt på værktøjet i 2024?",
        "Hvornår ved man, om det skal fortsætte (værktøjet)?",  # "det" is the tool, not "penge"
    ]
    assert heads(
        "Kan forvaltningen oplyse, hvor meget Roskilde netto bruger på pleje i hvert af årene 2025 til 2028, og hvordan "
        "Roskildes samlede nettobudget ser ud i de samme fire år, og hvornår de resterende hjemmeplejegrupper kommer "
        "over i mini-teams?"
    ) == [
        "Hvor meget bruger Roskilde netto på pleje i hvert af årene 2025 til 2028?",
        "Hvordan ser Roskildes samlede nettobudget ud i årene 2025-2028?",
        "Hvornår kommer de resterende hjemmeplejegrupper over i mini-teams?",
    ]


def test_intake_read_blind_in_r27():
    """Fresh 19 (r27): "Mvh\\nHenrik Dahl, Venstre" stayed in the last part, and "… vil jeg gerne have et overblik over
    de udløbende bevillinger, som forvaltningen har overladt til os politikere. Hvilke drejer det sig om, og hvad
    koster de?" made the overview sentence a part of its own, answered with the grouping of all twelve."""
    from assistant.question import shown_text

    q = parse_question(
        "Hej\n\nInden budgetseminaret vil jeg gerne have et overblik over de udløbende bevillinger, som forvaltningen "
        "har overladt til os politikere at vurdere. Hvilke drejer det sig om, og hvad koster de hver især? Og hvad "
        "anbefaler I med pengene til seniorklubberne?\n\nMvh\nHenrik Dahl, Venstre"
    )
    assert (q.asker, q.party) == ("Henrik Dahl", "Venstre")
    shown = [shown_text(s.text) for s in q.sub_questions]
    assert len(shown) == 3 and shown[0] == "Hvilke drejer det sig om?", shown
    assert "overblik" in q.sub_questions[0].text  # the context stays with the part for search and answering
    assert not shown[2].endswith(")?")  # "pengene til seniorklubberne" names what it is about: nothing carried
    q = parse_question(
        "Hej med jer\n\n- Kan en beskyttet bolig laves om?\n- Er klageportalen kommet op at køre?\n\nTak\nMona"
    )
    assert q.asker == "Mona" and shown_text(q.sub_questions[-1].text) == "Er klageportalen kommet op at køre?"
    q = parse_question("Jeg beder forvaltningen oplyse:\n\n1) hvor mange kommuner der har stoppet klippekortet,\n"
                       "2) hvilke begrundelser kommunerne har givet for at stoppe ordningen.")  # fmt: skip
    assert not any(s.text.rstrip("?").endswith(",") for s in q.sub_questions)
    parts = [s.text for s in split_question(
        "Hvilke af dem mener forvaltningen bør fortsætte, og hvor stort er beløbet for hver af dem?"
    )]  # fmt: skip
    assert "de dem" not in parts[-1]
