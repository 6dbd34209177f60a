"""The per-sub-question draft metrics, the new gold format and blind mode, on hand-made drafts and hand-computed values.

The drafts here are built from the data models directly (no drafter, no index): each test states
which sentences an officer would keep or strike out and checks that the metrics count exactly those.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from assistant.draft import NO_FIGURE, NO_INFO
from assistant.evals import gold as g
from assistant.evals import metrics as m
from assistant.evals import run as evrun
from assistant.evals.report import compare_metrics, load_previous, question_table
from assistant.models import (
    Citation,
    DocKind,
    DocumentMeta,
    Draft,
    Passage,
    Question,
    Sentence,
    SourceRef,
    Status,
    SubAnswer,
    SubQuestion,
)
from tests.conftest import ROOT

# -- fixtures: three items in the new format over the sample corpus -----------------------------

MADKLUBBER = {
    "id": "n_madklubber",
    "corpus": "sample",
    "question": "Karen Eksempel (Y) har den 2. juni 2026 stillet følgende spørgsmål til Sundheds- og Omsorgsforvaltningen: "
    '"Hvor meget koster madklubberne på plejehjem, og hvornår blev de evalueret?"',
    "asker": "Karen Eksempel (Y)",
    "date": "2026-06-02",
    "gold_answer": None,
    "gold_docs": ["01_bevillingsudloeb_budget_2026.md"],
    "gold_passages": ["Madklubber på plejehjem | 1.750 | Bør videreføres"],
    "must_have": ["1.750"],
    "answerable": True,
    "exclude": [],
    "tags": ["table", "multi", "unanswerable"],
    "holdout": False,
    "sub_questions": [
        {
            "text": "Hvor meget koster madklubberne på plejehjem?",
            "subject": ["madklub"],
            "ask": "figure",
            "answerable": True,
            "facts": [{"text": "1.750", "claim": "Madklubber på plejehjem koster 1.750 t.kr. i 2026."}],
            "relevant": ["Der har været 33 madklubber på plejehjem i perioden 2021-2024."],
        },
        {
            "text": "Hvornår blev madklubberne evalueret?",
            "subject": ["madklub", "evalu"],
            "ask": "date",
            "answerable": False,
            "facts": [],
            "relevant": [],
        },
    ],
}
TOTAL = {
    "id": "n_total",
    "corpus": "sample",
    "question": "Hvor store bevillinger udløber på udvalgets ramme til Budget 2026?",
    "gold_docs": ["01_bevillingsudloeb_budget_2026.md"],
    "gold_passages": ["Til Budget 2026 udløber der bevillinger for i alt 54,0 mio. kr. på udvalgets ramme."],
    "must_have": ["54,0 mio. kr."],
    "answerable": True,
    "tags": ["paraphrase"],
    "holdout": True,
    "sub_questions": [
        {
            "text": "Hvor store bevillinger udløber på udvalgets ramme til Budget 2026?",
            "subject": ["bevilling"],
            "ask": "figure",
            "answerable": True,
            "facts": [{"text": "54,0 mio. kr.", "claim": "Der udløber bevillinger for i alt 54,0 mio. kr."}],
            "relevant": ["Til Budget 2026 udløber der bevillinger for i alt 54,0 mio. kr. på udvalgets ramme."],
        }
    ],
}
SNE = {
    "id": "n_sne",
    "corpus": "sample",
    "question": "Hvor mange kilometer cykelsti ryddes for sne i kommunen?",
    "gold_docs": [],
    "answerable": False,
    "sub_questions": [
        {"text": "Hvor mange kilometer cykelsti ryddes for sne?", "subject": ["cykelsti"], "ask": "figure",
         "answerable": False, "facts": [], "relevant": []}
    ],
}  # fmt: skip


def _write(tmp_path: Path, rows: list, name: str = "new.jsonl") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return p


# -- the loader: both formats into one shape ----------------------------------------------------


def test_new_format_loads_into_parts_with_facts_and_claims(tmp_path):
    items = g.load_gold(_write(tmp_path, [MADKLUBBER, TOTAL, SNE]))
    mk, total, sne = items
    assert mk.new_format and mk.tags == ["table", "multi", "unanswerable"] and not mk.holdout and total.holdout
    assert mk.sub_questions == ["Hvor meget koster madklubberne på plejehjem?", "Hvornår blev madklubberne evalueret?"]
    assert [p.answerable for p in mk.parts] == [True, False]
    assert mk.parts[0].facts == [g.Fact("1.750", "Madklubber på plejehjem koster 1.750 t.kr. i 2026.")]
    assert mk.parts[1].subject == ["madklub", "evalu"] and mk.parts[1].ask == "date"
    assert not sne.answerable and sne.parts[0].facts == [] and not mk.unassigned_facts


def test_old_format_items_get_derived_parts():
    items = {i.id: i for i in g.load_gold(ROOT / "evals/gold/sample.jsonl")}
    single = items["s_bevillingsudloeb_total"]
    assert len(single.parts) == 1 and single.parts[0].subject is None
    assert [f.text for f in single.parts[0].facts] == ["54,0 mio. kr.", "54.044"]
    assert single.parts[0].relevant == single.gold_passages
    multi = items["s_demens_udredning"]  # two asks: which fact belongs where is unknown in the old format
    assert [p.text for p in multi.parts] == multi.sub_questions and all(p.facts == [] for p in multi.parts)
    assert [f.text for f in multi.unassigned_facts] == ["87", "2.640"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"sub_questions": [{"text": "x", "answerable": True, "ask": "hvor"}]}, "sub_questions[0]: ask must be one of"),
        ({"sub_questions": [{"text": "x"}]}, "sub_questions[0]: missing field 'answerable'"),
        ({"sub_questions": [{"text": "x", "answerable": True, "colour": 1}]}, "unknown field(s) colour"),
        (
            {"sub_questions": [{"text": "x", "answerable": False, "facts": [{"text": "1"}]}]},
            "unanswerable sub-question has no facts",
        ),
        ({"sub_questions": [{"text": "x", "answerable": False}]}, "'answerable' must be true exactly when"),
        ({"sub_questions": ["x", {"text": "y", "answerable": True}]}, "'sub_questions' must be a list of strings"),
        ({"tags": ["budget"]}, "unknown tag(s) budget"),
    ],
)
def test_new_format_errors_name_file_line_and_part(tmp_path, change, message):
    p = _write(tmp_path, [TOTAL, {**TOTAL, "id": "b", **change}])
    with pytest.raises(g.GoldError) as e:
        g.load_gold(p)
    assert f"{p}:2:" in str(e.value) and message in str(e.value)


# -- facts under Danish number normalisation --------------------------------------------------


def test_a_table_figure_is_found_in_any_danish_form_of_its_amount():
    claim = "Madklubber på plejehjem koster 1.750 t.kr. i 2026."
    for text in ("Der er afsat 1,75 mio. kr.", "i alt 1.750.000 kr. om året", "1.750 t.kr.", "knap 1,8 mio. kr."):
        assert m.fact_found("1.750", text, claim), text
    for text in ("17.500 kr.", "2 mio. kr.", "1,7 mio. kr.", "1.751 t.kr."):
        assert not m.fact_found("1.750", text, claim), text
    assert m.fact_found("1.750", "| Madklubber på plejehjem | 1.750 |")  # verbatim, no claim needed
    assert not m.fact_found("1.750", "Der er afsat 1,75 mio. kr.")  # a bare number without its unit stays bare
    assert m.fact_found("1,75 mio. kr.", "Beløbet er 1.750 t.kr.")


# -- one hand-made draft, every metric by hand -----------------------------------------------


def _src(key: str, text: str, kind: DocKind = DocKind.budget_note) -> SourceRef:
    meta = DocumentMeta(doc_id=f"d{key}", title=f"Titel {key}", source_path=f"/x/{key}.md", sha256="0", kind=kind)
    return SourceRef(key=key, passage=Passage(chunk_id=f"c{key}", doc_id=meta.doc_id, ordinal=0, text=text, start=0,
                                              end=len(text)), meta=meta)  # fmt: skip


def _s(text: str, key: str | None = "K1", status: Status = Status.verified) -> Sentence:
    return Sentence(text=text, citations=[Citation(key=key)] if key else [], status=status)


def _draft(question: str, parts: list[tuple[str, list[Sentence], bool]], sources: list[SourceRef]) -> Draft:
    subs = [
        SubAnswer(sub_question=SubQuestion(id=str(i + 1), text=t), sentences=ss, answered=ok)
        for i, (t, ss, ok) in enumerate(parts)
    ]
    return Draft(question=Question(raw=question, text=question, asker="Karen Eksempel"), sub_answers=subs,
                 sources=sources)  # fmt: skip


PRIOR = _src(
    "K2",
    'Jens Hansen (V) har den 1. marts 2024 stillet følgende spørgsmål: "Hvad koster madklubberne på plejehjemmene '
    'i kommunen?" Svar: Madklubberne er finansieret med ældrereformmidler.',
    DocKind.prior_answer,
)


def _madklubber_draft() -> Draft:
    budget = _src("K1", "Madklubber på plejehjem | 1.750 | Bør videreføres. Der har været 33 madklubber på plejehjem.")
    sub1 = [
        # 1 supported by the fact (1,75 mio. kr. == 1.750 t.kr.), after the attribution
        _s("Af Titel K1 (Kommunen) fremgår det: Madklubber på plejehjem koster 1,75 mio. kr. om året."),
        # 2 supported by overlap: every content token lies in the relevant span
        _s("Der har været 33 madklubber på plejehjem."),
        # 3 off-topic and in the first person
        _s("Vi arbejder løbende med rekruttering af medarbejdere på ældreområdet i hele kommunen."),
        # 4 repeats sentence 2 (same sentence again), still supported
        _s("Der har været 33 madklubber på plejehjem."),
        # 5 no claim: not scored for precision
        _s("Forvaltningen kan oplyse følgende:", key=None, status=Status.no_claim),
    ]
    sub2 = [
        _s(NO_FIGURE, key=None, status=Status.no_claim),
        # the asker's question of a prior answer presented as its answer: off-topic and a voice violation
        _s("Det fremgår af et tidligere svar (Titel K2): Hvad koster madklubberne på plejehjemmene i kommunen?", "K2"),
    ]
    return _draft(
        MADKLUBBER["question"],
        [("Hvor meget koster madklubberne på plejehjem?", sub1, True), ("Hvornår blev de evalueret?", sub2, False)],
        [budget, PRIOR],
    )


def test_score_draft_counts_what_an_officer_would_strike_out(tmp_path):
    item = g.load_gold(_write(tmp_path, [MADKLUBBER]))[0]
    sc = m.score_draft(item, _madklubber_draft())
    # parts: "Hvornår blev de evalueret?" does not name "madklub", so the second expected part is unmatched
    assert [p["matched"] for p in sc["parts"]] == [0, None]
    assert sc["parts_matched"] == 1 and sc["parts_n"] == 2 and sc["produced_n"] == 2 and not sc["split_exact"]
    # claims: sentences 1-4 of sub-answer 1 and the prior-answer sentence = 5; supported: 1, 2, 4
    assert sc["claims"] == 5 and sc["supported"] == 3
    rows = sc["sentences"]
    assert [r.get("supported") for r in rows if r["claim"]] == [True, True, False, True, False]
    assert rows[0]["support"] == "fakta: 1.750" and rows[1]["support"] == "overlap 1.00"
    assert sc["repeats"] == 1 and "repeat_of" in rows[3]
    # voice: "Vi arbejder ..." and the asker's question as an answer
    assert sc["voice"] == 2
    assert rows[2]["voice"] == ["første person (vi)"] and rows[6]["voice"] == ["et spørgsmål som svar"]
    assert rows[2]["problems"] == ["uden for emnet", "første person (vi)"]
    # figure asked in part 1 and given with its subject; key facts 1/1
    assert sc["figure_asked"] == 1 and sc["figure_given"] == 1 and sc["fact_recalls"] == [1.0]
    # abstention: the unanswerable part is unmatched and not every sub-answer abstained -> not a correct abstention
    assert sc["correct_abstentions"] == 0 and sc["false_abstentions"] == 0 and sc["parts_unanswerable"] == 1

    agg = m.aggregate_officer([sc])
    assert agg["precision"] == pytest.approx(3 / 5) and agg["repeat_rate"] == pytest.approx(1 / 5)
    assert agg["voice_violation_rate"] == pytest.approx(2 / 7) and agg["voice_violations_per_draft"] == 2
    assert agg["split_content"] == pytest.approx(1 / 2) and agg["split_content_exact"] == 0.0
    assert agg["subq_correct_abstention_rate"] == 0.0 and agg["subq_false_abstention_rate"] == 0.0
    assert agg["figure_given_rate"] == 1.0 and agg["key_fact_recall"] == 1.0
    md = "\n".join(question_table({"questions": [{"set": "x", "id": item.id, "draft": {"officer": sc}}]}, "x"))
    assert "[uden for emnet, første person (vi)] Vi arbejder" in md and "[gentaget] Der har været 33" in md


def test_abstention_per_sub_question_correct_and_false(tmp_path):
    item = g.load_gold(_write(tmp_path, [MADKLUBBER]))[0]
    info = _s(NO_INFO, key=None, status=Status.no_claim)
    # both parts matched: the answerable one abstains (false), the unanswerable one abstains (correct)
    d = _draft(
        item.question,
        [
            ("Hvor meget koster madklubberne?", [info], False),
            ("Hvornår blev madklubberne evalueret?", [info], False),
        ],
        [],
    )
    sc = m.score_draft(item, d)
    assert [p["matched"] for p in sc["parts"]] == [0, 1] and sc["split_exact"]
    assert sc["correct_abstentions"] == 1 and sc["false_abstentions"] == 1 and sc["claims"] == 0
    assert sc["fact_recalls"] == [0.0] and sc["figure_given"] == 0 and sc["figure_asked"] == 1
    agg = m.aggregate_officer([sc])
    assert agg["precision"] is None and agg["subq_false_abstention_rate"] == 1.0
    # an answered sub-answer that says only the no-information sentence counts as abstained too
    assert m.abstained(SubAnswer(sub_question=SubQuestion(id="1", text="x"), sentences=[info], answered=True))
    # a whole-draft refusal covers the parts nothing was produced for
    sne = g.load_gold(_write(tmp_path, [SNE], "sne.jsonl"))[0]
    d = _draft(sne.question, [("Hvad gør kommunen ved sne?", [info], False)], [])
    sc = m.score_draft(sne, d)
    assert sc["parts"][0]["matched"] is None and sc["correct_abstentions"] == 1


def test_split_by_content_needs_the_subject_in_each_part():
    parts = [
        g.SubQ(text="Hvilke bevillinger til demens udløber?", answerable=True, subject=["demens"]),
        g.SubQ(text="Hvor meget koster demensindsatsen?", answerable=True, subject=["demens", "kost"]),
    ]
    # "hvor meget de koster" split off from its subject names neither subject
    assert m.match_parts(parts, ["Hvilke bevillinger til demens udløber?", "Og hvor meget de koster?"]) == [0, None]
    good = ["Hvilke bevillinger til demens udløber?", "Hvor meget koster demensindsatsen i 2026?"]
    assert m.match_parts(parts, good) == [0, 1]
    # one produced part cannot serve two expected parts
    assert m.match_parts(parts, ["Hvad koster demensindsatsen, og hvilke bevillinger udløber?"]) in (
        [0, None],
        [None, 0],
    )


def test_voice_rules_one_by_one():
    assert m.first_person("Vi vil gerne oplyse, at vores tal er nye.") == ["vi", "vores"]
    assert m.first_person("Visionen er „Velfærd skaber vi sammen“ og ’det gør vi’.") == []
    assert m.first_person("Turen tager 30 min. i alt.") == []
    assert m.first_person('Svaret citerer: "Jeg vil gerne spørge, om vi kan') == []  # the quote runs on
    assert m.first_person('Vi skriver: "Jeg spørger"') == ["vi"]
    q = "Hvor mange borgere har demenssygeplejerskerne fulgt gennem en udredning?"
    assert m.restates_question("Spørgsmålet er, hvor mange borgere demenssygeplejerskerne har fulgt.", q)
    assert not m.restates_question("Demenssygeplejerskerne har fulgt 87 borgere gennem en udredning.", q)
    assert m.asker_speech("Jens Hansen (V) ønsker svar på dette.", []) == "navngiver en spørger"
    # who asked for the answer, reported (what "efter hvis ønske?" asks), is not the asker's speech
    assert m.asker_speech("Spørgsmålet er stillet efter ønske fra Karina Adsbøl (DF).", []) is None
    assert m.asker_speech("Det fremgår af et tidligere svar: Karen Eksempel mener det.", [], "Karen Eksempel (Y)")
    assert m.asker_speech("Madklubberne er finansieret med ældrereformmidler.", [PRIOR.passage.text]) is None
    assert m.asker_speech("Hvad koster madklubberne på plejehjemmene i kommunen.", [PRIOR.passage.text]) == (
        "citerer spørgerens ord"
    )


def test_precision_overlap_rule_is_share_of_the_sentence():
    span = "Der har været 33 madklubber på plejehjem i perioden 2021-2024."
    # content tokens of the sentence: madklu, plejeh, 33, 2021, 2024, rekrut, medarb -> 5 of 7 in the span
    s = "Der har været 33 madklubber på plejehjem i 2021-2024 og rekruttering af medarbejdere."
    assert m.span_overlap(s, span) == pytest.approx(5 / 7)
    assert m.span_overlap("Rekruttering af medarbejdere er svær.", span) == 0.0
    assert m.near_same("Der er 33 madklubber på plejehjem.", "der er 33  madklubber på plejehjem")
    assert not m.near_same("Der er 33 madklubber på plejehjem.", "Der er 12 madklubber på friplejehjem i alt.")


# -- comparison and blind mode ----------------------------------------------------------------


def test_compare_metrics_knows_which_direction_is_better(tmp_path):
    prev = {"date": "2026-11-28", "metrics": {"s.precision": 0.2, "s.repeat_rate": 0.1, "s.mrr": 0.9, "s.old": 1.0}}
    now = {"metrics": {"s.precision": 0.3, "s.repeat_rate": 0.2, "s.mrr": 0.9, "s.new": 0.5}}
    rows = {r["metric"]: r["verdict"] for r in compare_metrics(prev, now)["rows"]}
    assert rows == {"s.precision": "better", "s.repeat_rate": "worse", "s.mrr": "same", "s.old": "gone", "s.new": "new"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"no": 1}', encoding="utf-8")
    with pytest.raises(g.GoldError, match="ingen 'metrics'"):
        load_previous(bad)


def test_blind_mode_scores_a_new_format_file_and_compares(tmp_path, monkeypatch, capsys):
    from assistant.config import Settings

    gold = _write(tmp_path, [MADKLUBBER, TOTAL, SNE], "blind.jsonl")
    prev = tmp_path / "prev.json"
    prev.write_text(json.dumps({"date": "2026-01-01", "metrics": {"blind.precision": 0.0}}), encoding="utf-8")
    monkeypatch.setattr(evrun, "CACHE_DIR", tmp_path / "cache")
    monkeypatch.setattr(evrun, "THRESHOLDS_FILE", tmp_path / "none.toml")
    monkeypatch.setenv("ASSISTANT_EVALS_LLM", "0")
    monkeypatch.setattr(evrun, "RagasScores", lambda: None)
    args = argparse.Namespace(gold=[str(gold)], json=str(tmp_path / "out.json"), report=str(tmp_path / "rep"),
                              no_baselines=True, no_gate=False, compare=str(prev))  # fmt: skip
    assert evrun.main(args, Settings(index_dir=tmp_path / "idx", drafts_dir=tmp_path / "d")) == 0
    out = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    for name in m.OFFICER_METRICS:
        assert f"blind.{name}" in out["metrics"], name
    assert [q["id"] for q in out["questions"]] == ["n_madklubber", "n_total", "n_sne"]
    assert out["questions"][1]["holdout"] and out["questions"][0]["tags"][0] == "table"
    parts = out["questions"][0]["draft"]["officer"]["parts"]
    assert [p["answerable"] for p in parts] == [True, False]
    cmp = {r["metric"]: r for r in out["comparison"]["rows"]}
    assert cmp["blind.precision"]["old"] == 0.0
    report = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "### blind: per question" in report and "## Comparison with the previous run" in report
    assert "compared with" in capsys.readouterr().out


def test_an_unmatched_part_is_still_credited_for_a_figure_and_facts_given_elsewhere(tmp_path):
    item = g.load_gold(_write(tmp_path, [TOTAL]))[0]
    said = _s("Der udløber bevillinger for i alt 54,0 mio. kr. på rammen.")
    d = _draft(item.question, [("Hvad sker der med rammen?", [said], True)], [])
    sc = m.score_draft(item, d)
    assert sc["parts"][0]["matched"] is None and sc["parts_matched"] == 0  # split metric: not self-contained
    assert sc["parts"][0]["figure_given"] and sc["fact_recalls"] == [1.0]  # but the officer does get the figure
    # an extra part is judged against the whole item: the sentence still supports the item's fact
    assert sc["supported"] == 1
    vague = _draft(
        item.question, [("Hvor store bevillinger udløber?", [_s("Bevillingerne udløber i 2026.")], True)], []
    )
    assert not m.score_draft(item, vague)["parts"][0]["figure_given"]  # a year is not the figure asked for


def test_answer_table_lines_count_as_what_the_sub_answer_states(tmp_path):
    from assistant.models import AnswerTable, AnswerTableRow

    item = g.load_gold(_write(tmp_path, [MADKLUBBER]))[0]
    table = AnswerTable(
        caption="Bevillinger som udløber",
        unit="1.000 kr.",
        columns=["Indsats", "Beløb"],
        rows=[AnswerTableRow(cells=["Madklubber på plejehjem", "1.750"], citations=[Citation(key="K1")],
                             status=Status.verified)],
    )  # fmt: skip
    sa = SubAnswer(
        sub_question=SubQuestion(id="1", text="Hvor meget koster madklubberne?"), sentences=[], tables=[table]
    )
    d = Draft(question=Question(raw=item.question, text=item.question), sub_answers=[sa], sources=[])
    assert not m.abstained(sa)  # a table line is content, not the no-information sentence
    sc = m.score_draft(item, d)
    # the line "Madklubber på plejehjem (1.000 kr.): Beløb 1.750." states the fact, names the subject, gives the figure
    assert sc["fact_recalls"] == [1.0] and sc["parts"][0]["figure_given"] and sc["supported"] == sc["claims"] == 1


def test_parts_are_matched_by_the_best_total_assignment_not_greedily():
    """Greedy matching gave "Hvor stort et beløb har Arbejdstilsynet bevilget …" (unanswerable) the produced
    part about the application's status, because that part shares more of its words; the status part was
    then left without its match, and the draft's honest abstention on the amount was scored as an answer."""
    parts = [
        g.SubQ(
            text="Hvad er status på ansøgningen om penge fra Arbejdstilsynet?",
            answerable=True,
            subject=["arbejdstilsynet"],
        ),
        g.SubQ(
            text="Hvor stort et beløb har Arbejdstilsynet bevilget til Marte Meo i Roskilde?",
            answerable=False,
            subject=["arbejdstilsynet"],
        ),
    ]
    produced = [
        "Hvor langt er Roskilde med at få penge fra Arbejdstilsynet til at brede Marte Meo ud?",
        "Hvor stort et beløb har Arbejdstilsynet givet?",
    ]
    assert m.match_parts(parts, produced) == [0, 1]


def test_a_source_saying_the_figure_is_not_known_counts_as_abstaining():
    """Asked how many friplejehjem Sweden has, the draft quotes the ministry: "… har ikke viden om, hvor mange
    friplejehjem …". That says plainly the documents do not give the figure; so does a reference to the part
    that quotes it. A sentence that states a figure does not."""
    from assistant.models import Draft, Question, Sentence, SubAnswer, SubQuestion

    nodata = Sentence(
        text='Ministeriet svarede: "Social- og Ældreministeriet har ikke viden om, hvor mange friplejehjem der findes i Sverige."'
    )
    back = Sentence(text="Der henvises til svaret på delspørgsmål 1 ovenfor.")
    figure = Sentence(text="Der er 263 friplejehjem i Danmark.")
    a1 = SubAnswer(sub_question=SubQuestion(id="1", text="Hvad svarede ministeren?"), sentences=[nodata], answered=True)
    a2 = SubAnswer(
        sub_question=SubQuestion(id="2", text="Hvor mange er der i Sverige?"), sentences=[back], answered=True
    )
    a3 = SubAnswer(
        sub_question=SubQuestion(id="3", text="Hvor mange er der i Danmark?"), sentences=[figure], answered=True
    )
    d = Draft(
        question=Question(raw="x", text="x", sub_questions=[a.sub_question for a in (a1, a2, a3)]),
        sub_answers=[a1, a2, a3],
        sources=[],
    )
    assert m.abstained(a1, d) and m.abstained(a2, d)
    assert not m.abstained(a3, d)


def test_a_number_with_a_zero_decimal_states_the_same_number():
    assert m.fact_found("1.356", "nettoudgifter på 1.356,0 mio. kr. i 2025")
    assert not m.fact_found("1.356", "nettoudgifter på 1.356,4 mio. kr. i 2025")
    assert not m.fact_found("87", "87,5 pct.")
