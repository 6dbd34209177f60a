"""The draft and search JSON are versioned formats: committed schemas, checked against the models."""

from __future__ import annotations

import json

import jsonschema
import pytest

from assistant.models import DRAFT_SCHEMA_VERSION, DocumentMeta, Draft, Hit, Passage, Question, SubQuestion
from assistant.schemas import MODELS, SCHEMA_DIR, digest, dumps, generate, versions, write_all


@pytest.mark.parametrize("name", sorted(MODELS))
def test_committed_schema_matches_the_model(name):
    committed = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == dumps(generate(name)), (
        f"schemas/{name}.schema.json is stale: run `python scripts/make_schemas.py` "
        f"(and bump {name.upper()}_SCHEMA_VERSION if the format changed)"
    )


@pytest.mark.parametrize("name", sorted(MODELS))
def test_schema_change_needs_a_version_bump(name):
    _model, version, _ = MODELS[name]
    recorded = versions()[name]
    assert recorded.get(str(version)) == digest(generate(name)), (
        f"the {name} schema differs from the one recorded for version {version}: bump the version"
    )


def test_write_all_refuses_a_changed_schema_under_the_same_version(tmp_path, monkeypatch):
    write_all(tmp_path)
    record = json.loads((tmp_path / "versions.json").read_text(encoding="utf-8"))
    record["draft"][str(DRAFT_SCHEMA_VERSION)] = "0" * 64  # as if the model had been different at this version
    (tmp_path / "versions.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(ValueError, match="bump DRAFT_SCHEMA_VERSION"):
        write_all(tmp_path)


def _hit() -> Hit:
    text = "Madklubberne fik 2,5 mio. kr. i 2025."
    meta = DocumentMeta(doc_id="d1", title="Notat", source_path="/x/notat.txt", sha256="ab" * 32)
    return Hit(
        passage=Passage(chunk_id="d1:abababab:0000", doc_id="d1", ordinal=0, text=text, start=10, end=10 + len(text)),
        meta=meta,
        score=1.0,
    )


def test_search_json_is_flat_and_valid():
    from assistant.retrieve import Filters, hits_to_json

    out = json.loads(hits_to_json([_hit()], query="madklubber", k=5, filters=Filters(exclude_sources={"a.txt"})))
    jsonschema.validate(out, json.loads((SCHEMA_DIR / "search.schema.json").read_text(encoding="utf-8")))
    r = out["results"][0]
    assert (r["doc"], r["doc_id"], r["chunk_id"], r["start"], r["end"], r["score"]) == (
        "notat.txt",
        "d1",
        "d1:abababab:0000",
        10,
        47,
        1.0,
    )
    assert r["text"].startswith("Madklubberne") and out["filters"] == {"exclude_sources": ["a.txt"]}


def test_a_draft_carries_verification_and_provenance_and_validates():
    from assistant.config import Settings

    q = Question(raw="x", text="Hvor mange penge fik madklubberne?", sub_questions=[SubQuestion(id="1", text="x")])
    q.sub_questions = [SubQuestion(id="1", text=q.text)]
    from assistant.pipeline import answer_question

    d = answer_question(q, None, Settings(), drafter="offline", pins={"1": [_hit()]})
    assert d.schema_version == DRAFT_SCHEMA_VERSION
    assert d.verification.sentences == len(d.sentences()) > 0
    assert d.verification.verified == sum(1 for s in d.sentences() if s.status.value == "verified")
    p = d.provenance
    assert p is not None and p.drafter == "offline" and p.model is None and p.prompts == []
    assert p.settings["retrieval"]["weights"]["bm25"] == 1.0 and {"search", "draft", "total"} <= set(p.timings)
    jsonschema.validate(
        json.loads(d.model_dump_json()), json.loads((SCHEMA_DIR / "draft.schema.json").read_text(encoding="utf-8"))
    )


def test_llm_provenance_names_prompts_with_hashes():
    from assistant.config import Settings
    from assistant.provenance import build_provenance

    p = build_provenance(Settings(llm={"model": "fake/model"}), "llm")
    assert [x.name for x in p.prompts] == ["draft_system", "draft_subanswer"]
    assert all(len(x.sha256) == 64 for x in p.prompts) and p.model == "fake/model"


def test_a_draft_from_a_newer_version_is_refused_by_name():
    with pytest.raises(ValueError, match="skemaversion 99"):
        Draft.model_validate({"schema_version": 99, "question": {"raw": "", "text": ""}})


def test_a_version_1_draft_still_loads():
    d = Draft.model_validate({"question": {"raw": "", "text": "q"}, "drafter": "offline"})
    assert d.provenance is None and d.verification.sentences == 0
