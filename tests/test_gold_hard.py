"""The harder gold set (evals/gold/hard.jsonl): its format, its counts, and that its strings occur in its documents.

The checks live in scripts/check_gold_hard.py (standard library only) so the same code runs by hand and here.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import re

import pytest

from tests.conftest import ROOT, SHARED

_spec = importlib.util.spec_from_file_location("check_gold_hard", ROOT / "scripts" / "check_gold_hard.py")
chk = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(chk)

HARD = ROOT / "evals" / "gold" / "hard.jsonl"


@pytest.fixture(scope="module")
def items() -> list[dict]:
    return chk.load_items(HARD)


def test_every_item_has_the_format(items):
    assert chk.check_shape(items) == []


def test_counts_per_tag_and_holdout(items):
    assert chk.check_counts(items) == []
    counts = chk.tag_counts(items)
    for tag, n in chk.MIN_PER_TAG.items():
        assert counts[tag] >= n, tag
    assert len(items) >= 64
    assert 6 <= sum(it["corpus"] == "sample" for it in items) <= 12
    single = [it for it in items if len(it["sub_questions"]) == 1]
    assert len(single) >= 8  # single asks too, so a split that always cuts scores badly


def test_dependent_parts_carry_their_subject(items):
    by_id = {it["id"]: it for it in items}
    for i in chk.DEPENDENT_IDS:
        first, *later = by_id[i]["sub_questions"]
        assert later and all(sq["subject"] for sq in later), i
        # the later part names its own subject, not just "de" / "dem"
        assert all(any(s in sq["text"].lower() for s in sq["subject"]) for sq in later), i


def test_sample_strings_occur_in_sample_documents(items):
    problems, skipped = chk.check_occurrences([it for it in items if it["corpus"] == "sample"])
    assert skipped == [] and problems == []


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared (public documents) is absent")
def test_shared_strings_occur_in_shared_documents(items):
    problems, skipped = chk.check_occurrences([it for it in items if it["corpus"] == "shared"])
    assert skipped == [] and problems == []


def _windows(text: str, n: int):
    words = text.split()
    for i in range(len(words) - n + 1):
        yield " ".join(words[i : i + n])


@pytest.mark.skipif(not (SHARED / "seeds").is_dir(), reason="../shared (public documents) is absent")
def test_questions_are_not_copied_from_the_documents(items):
    """No run of 10 words of a question occurs in any of its gold documents. Sub-question texts may name an
    appropriation by its full table label (up to 12 words: "Øget fokus på tidlig opsporing ... med demens"), so
    they are held to runs of 13 words."""
    texts: dict[tuple[str, str], str] = {}
    for it in items:
        for name in it["gold_docs"]:
            for d in chk.corpus_dirs(it["corpus"]):
                if (d / name).is_file():
                    texts[(it["corpus"], name)] = chk.normalised((d / name).read_text(encoding="utf-8"))
        docs = [texts[(it["corpus"], n)] for n in it["gold_docs"]]
        texts_n = [(it["question"], 10)] + [(sq["text"], 13) for sq in it["sub_questions"]]
        for q, n in texts_n:
            q = re.sub(r'^.*?stillet følgende spørgsmål til [^:]*:\s*"', "", chk.collapse(q))
            copied = [w for w in _windows(q, n) if any(w in d for d in docs)]
            assert not copied, (it["id"], copied[:1])


def test_checker_reports_what_is_wrong(items, tmp_path):
    """The checker is not a rubber stamp: each kind of mistake is reported against the item."""
    good = next(it for it in items if it["id"] == "s01_anbefalet_og_pris")
    assert chk.check_shape([good]) == []

    wrong_fact = copy.deepcopy(good)
    wrong_fact["sub_questions"][1]["facts"][0]["text"] = "13.768"
    wrong_fact["must_have"] = [f["text"] for sq in wrong_fact["sub_questions"] for f in sq["facts"]]
    assert chk.check_shape([wrong_fact]) == []
    problems, _ = chk.check_occurrences([wrong_fact])
    assert problems == [f"line {good['_line']} (s01_anbefalet_og_pris): fact not in any gold doc: '13.768'"]

    cut_subject = copy.deepcopy(good)
    cut_subject["sub_questions"][1]["text"] = "Hvor meget koster de?"
    assert any("not named in its text" in p for p in chk.check_shape([cut_subject]))

    first_person = copy.deepcopy(good)
    first_person["sub_questions"][0]["text"] = "Jeg vil gerne spørge, hvilke bevillinger der bør videreføres?"
    assert any("neutral form" in p for p in chk.check_shape([first_person]))

    unanswerable_with_facts = copy.deepcopy(good)
    unanswerable_with_facts["sub_questions"][1]["answerable"] = False
    shape = chk.check_shape([unanswerable_with_facts])
    assert any("unanswerable part has facts=[]" in p for p in shape)

    missing = {k: v for k, v in good.items() if k != "holdout"}
    assert any("missing field 'holdout'" in p for p in chk.check_shape([missing]))

    stale_must_have = copy.deepcopy(good)
    stale_must_have["must_have"] = stale_must_have["must_have"][:-1]
    assert any("must_have must list every fact" in p for p in chk.check_shape([stale_must_have]))

    p = tmp_path / "bad.jsonl"
    p.write_text(json.dumps({k: v for k, v in wrong_fact.items() if k != "_line"}, ensure_ascii=False) + "\n")
    assert chk.main(["check", str(p)]) == 1
