"""Source priority: document-kind and authority priors fused with the rankings (pure functions),
the transcript kind, and the prior in a real search."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.models import DocKind, DocumentMeta
from assistant.retrieve import apply_priors, authority_matches, authority_terms, fuse, source_prior


def _meta(kind: DocKind, authority: str | None = None) -> DocumentMeta:
    return DocumentMeta(doc_id="d", title="t", authority=authority, kind=kind, source_path="x", sha256="0" * 64)


KINDS = {"prior_answer": 1.0, "budget_note": 1.0, "transcript": 0.9}


def test_authority_terms_keep_what_names_the_body():
    assert authority_terms("Sundheds- og Omsorgsborgmesteren") == {"sundhed", "omsorg"}
    assert authority_terms("Sundheds- og Omsorgsforvaltningen") == {"sundhed", "omsorg"}
    assert authority_terms("ældreministeren") == {"ældre"}
    assert authority_terms("Københavns Kommune") == {"københavn"}
    assert authority_terms(None) == set()


def test_authority_match_by_distinctive_words():
    assert authority_matches(["ældreministeren"], "Sundheds- og Ældreministeriet")
    assert authority_matches(["Sundheds- og Omsorgsborgmesteren"], "Sundheds- og Omsorgsforvaltningen")
    assert not authority_matches(["Sundheds- og Omsorgsforvaltningen"], "Roskilde Kommune")
    assert not authority_matches(["Kommune"], "Roskilde Kommune")  # generic words never match
    assert not authority_matches(["ældreministeren"], None)


def test_source_prior_multiplies_kind_and_authority():
    targets = ["Sundheds- og Omsorgsforvaltningen"]
    own = _meta(DocKind.budget_note, "Sundheds- og Omsorgsforvaltningen")
    other = _meta(DocKind.budget_note, "Roskilde Kommune")
    debate = _meta(DocKind.transcript, "Folketinget")
    assert source_prior(own, KINDS, targets, 0.95) == 1.0
    assert source_prior(other, KINDS, targets, 0.95) == pytest.approx(0.95)
    assert source_prior(debate, KINDS, targets, 0.95) == pytest.approx(0.9 * 0.95)
    assert source_prior(debate, KINDS, [], 0.95) == pytest.approx(0.9)  # nothing to match: kind only
    assert source_prior(_meta(DocKind.minutes), KINDS, targets, 1.0) == 1.0  # kind not listed: 1.0


def test_priors_reorder_close_fused_scores_but_not_distant_ones():
    # two retrievers agree on 20 passages; "tr" (a transcript) is first in both
    ids = ["tr"] + [f"p{i:02d}" for i in range(1, 20)]
    ranked = fuse({"bm25": ids, "dense": ids}, {"bm25": 1, "dense": 1})
    assert [i for i, _, _ in ranked] == ids
    # a slight prior only swaps it with the next one
    out = [i for i, _, _ in apply_priors(ranked, {"tr": 0.98})]
    assert out[:3] == ["p01", "tr", "p02"]
    # 0.9 is worth about 7 ranks with RRF k = 60: below the next few, never below the tenth
    out = [i for i, _, s in apply_priors(ranked, {"tr": 0.9})]
    assert 5 <= out.index("tr") <= 9
    assert dict((i, s) for i, s, _ in apply_priors(ranked, {"tr": 0.9}))["tr"] == pytest.approx(ranked[0][1] * 0.9)
    assert apply_priors([], {}) == []


def test_no_priors_keep_the_fused_order():
    ranked = fuse({"bm25": ["a", "b", "c"]}, {"bm25": 1})
    assert apply_priors(ranked, {}) == ranked


def test_plenary_transcripts_get_their_own_kind(tmp_path: Path):
    from assistant.documents import read_document

    f = tmp_path / "forhandling.txt"
    f.write_text(
        "                 7. møde\n        Tirsdag den 3. oktober 2023 kl. 13.00\n\n           Dagsorden\n\n"
        "1) Spørgsmål til ældreministeren om hjemmehjælp.\n\nFormanden (Søren Gade):\nMødet er åbnet.\n",
        encoding="utf-8",
    )
    d = read_document(f, root=tmp_path)
    assert d.meta.kind is DocKind.transcript and d.meta.authority == "Folketinget"
    g = tmp_path / "referat.txt"
    g.write_text("Referat\n\nPkt. 3 Ældreboliger\n\nUdvalget drøftede ventelisten.\n", encoding="utf-8")
    assert read_document(g, root=tmp_path).meta.kind is DocKind.minutes


def test_transcript_prior_in_a_real_search(settings, tmp_path: Path):
    """The same words in a debate transcript and in the administration's note: the note comes first
    with the prior, the transcript without it (the transcript repeats the words, so BM25 prefers it)."""
    from assistant.ingest import ingest
    from assistant.retrieve import Searcher

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "notat.md").write_text(
        "# Budgetnotat: Madklubber for ældre\n\nForvaltningen foreslår madklubber for ensomme ældre i "
        "lokalområderne med 1,2 mio. kr. årligt fra 2026 til frivillige og lokaler.\n",
        encoding="utf-8",
    )
    (docs / "debat.txt").write_text(
        "                 7. møde\n        Tirsdag den 3. oktober 2023 kl. 13.00\n\n           Dagsorden\n\n"
        "1) Forespørgsel om madklubber for ensomme ældre.\n\nFormanden (Søren Gade):\nMadklubber for ensomme "
        "ældre er vigtige, madklubber for ensomme ældre i lokalområderne, siger ordføreren om madklubber.\n",
        encoding="utf-8",
    )
    assert ingest([docs], settings).ok
    query = "madklubber for ensomme ældre i lokalområderne"
    settings.retrieval.priors = False
    plain = Searcher(settings).search(query, 2)
    assert Path(plain[0].meta.source_path).name == "debat.txt"
    # a prior strong enough to pass one rank in both lists (RRF scores of ranks 1 and 2 differ by ~3 %)
    settings.retrieval.priors = True
    settings.retrieval.kind_priors = {**settings.retrieval.kind_priors, "transcript": 0.9}
    ranked = Searcher(settings).search(query, 2)
    assert [Path(h.meta.source_path).name for h in ranked] == ["notat.md", "debat.txt"]
