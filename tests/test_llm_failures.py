"""LLM failure modes against FakeOpenAI, a named fake of an OpenAI-compatible endpoint on 127.0.0.1.

Each failure must give a clear ``LLMError`` naming the model within the configured time, retry only
where it makes sense (429, 5xx, timeouts: up to ``llm.retries``; never 400/401), and keep the draft in
progress: ``draft.fallback = "offline"`` still produces a draft, and a stream that stops midway has
delivered its text to ``on_token`` and hands it back in ``LLMError.partial``.
"""

from __future__ import annotations

import time

import pytest

from tests.server_util import FakeOpenAI

TIMEOUT = 0.5
RETRIES = 2
BACKOFF = 0.25 + 0.5  # llm.chat sleeps 0.25 * 2**attempt between attempts
SLACK = 2.0
ANSWER = "Kommunen har 1.161 plejeboliger [K1]. Ventetiden var 42 dage i 2025 [K1]."


@pytest.fixture(scope="module", autouse=True)
def _warm_litellm():
    """Import litellm once before anything is timed (the import alone takes seconds)."""
    from assistant.llm import _litellm

    _litellm()


def _settings(url: str, **llm):
    from assistant.config import LLMSettings, Settings

    kw = {"model": "openai/fake", "api_base": url + "/v1", "api_key": "sk-test", "retries": RETRIES, "timeout": TIMEOUT}
    kw.update(llm)
    return Settings(llm=LLMSettings(**kw))


def _call(reply, *, stream: bool, **llm):
    from assistant.llm import LLMError, chat

    tokens: list[str] = []
    with FakeOpenAI(reply) as fake:
        s = _settings(fake.url, **llm)
        t = time.monotonic()
        with pytest.raises(LLMError) as e:
            chat(
                [{"role": "user", "content": "Hvor mange plejeboliger?"}], s, on_token=tokens.append if stream else None
            )
        elapsed = time.monotonic() - t
    return e.value, fake.requests, elapsed, tokens


ATTEMPTS_BOUND = (RETRIES + 1) * TIMEOUT + BACKOFF + SLACK


_CASES = [
    ("429", lambda m, b: (429, "rate limited"), RETRIES + 1),
    ("500", lambda m, b: (500, "internal error"), RETRIES + 1),
    ("400", lambda m, b: (400, "bad request"), 1),
    ("401", lambda m, b: (401, "invalid api key"), 1),
    ("timeout", lambda m, b: (200, "for sent", {"delay": TIMEOUT * 4}), RETRIES + 1),
    ("hang", lambda m, b: (200, "aldrig", {"delay": 3600}), RETRIES + 1),
]


@pytest.mark.parametrize(
    ("name", "reply", "attempts", "stream"),
    [(*c, False) for c in _CASES] + [(*c, True) for c in _CASES if c[0] != "timeout"],  # hang covers it streamed
    ids=[f"{c[0]}" for c in _CASES] + [f"{c[0]}-stream" for c in _CASES if c[0] != "timeout"],
)
def test_failure_is_a_clear_error_within_time_with_sensible_retries(name, reply, attempts, stream):
    err, requests, elapsed, tokens = _call(reply, stream=stream)
    assert "'openai/fake'" in str(err), str(err)
    assert len(requests) == attempts, f"{name}: {len(requests)} requests, expected {attempts}"
    assert elapsed < ATTEMPTS_BOUND, f"{name}: {elapsed:.1f} s"
    assert tokens == []
    if name in ("401",):
        assert "llm.api_key" in str(err)


def test_malformed_stream_is_an_error_not_a_silent_answer():
    garbage = b'data: {"id": "c", "choices": [{"delta": {"cont\n\ndata: \x00\xff\xfe not json\n\n'
    err, requests, elapsed, tokens = _call(lambda m, b: (200, "", {"raw": garbage}), stream=True)
    assert "'openai/fake'" in str(err)
    assert 1 <= len(requests) <= RETRIES + 1 and elapsed < ATTEMPTS_BOUND
    assert "".join(tokens) == err.partial


def test_malformed_json_body_is_an_error():
    err, requests, elapsed, _ = _call(lambda m, b: (200, "", {"raw": b"<html>502 Bad Gateway</html>"}), stream=False)
    assert "'openai/fake'" in str(err) and elapsed < ATTEMPTS_BOUND


def test_stream_stopping_midway_keeps_partial_text_and_is_not_retried():
    words = "Kommunen har 1.161 plejeboliger og en ventetid på 42 dage i 2025 [K1]."
    err, requests, elapsed, tokens = _call(lambda m, b: (200, words, {"cut_after": 4}), stream=True)
    assert len(requests) == 1  # text was already shown: a retry would repeat it
    assert "".join(tokens) == "Kommunen har 1.161 plejeboliger "
    assert err.partial == "".join(tokens)
    assert "'openai/fake'" in str(err) and "midway" in str(err)
    assert elapsed < TIMEOUT + SLACK


def test_partial_text_has_cpr_numbers_restored_locally():
    from assistant.llm import SENT

    reply = (200, "Borgeren [CPR-1] venter stadig på en plejebolig i kommunen", {"cut_after": 3})
    from assistant.llm import LLMError, chat

    tokens: list[str] = []
    with FakeOpenAI(lambda m, b: reply) as fake:
        with pytest.raises(LLMError) as e:
            chat([{"role": "user", "content": "Status for 010203-1234?"}], _settings(fake.url), on_token=tokens.append)
        sent = fake.requests[0]["body"]["messages"][0]["content"]
    assert "010203-1234" not in sent and "[CPR-1]" in sent
    assert "010203-1234" not in str(SENT[-1])
    assert e.value.partial.startswith("Borgeren 010203-1234 venter")


def test_fallback_model_after_retries_then_success():
    from assistant.llm import chat

    def reply(model, body):
        return (503, "overloaded") if model == "primary" else (200, "Svar fra reserven.")

    with FakeOpenAI(reply) as fake:
        s = _settings(fake.url, model="openai/primary", fallbacks=["openai/backup"])
        assert chat([{"role": "user", "content": "x"}], s) == "Svar fra reserven."
    assert [r["model"] for r in fake.requests] == ["primary"] * (RETRIES + 1) + ["backup"]


def test_transient_500_then_success_is_retried():
    from assistant.llm import chat

    calls = {"n": 0}

    def reply(model, body):
        calls["n"] += 1
        return (500, "flaky") if calls["n"] == 1 else (200, "Andet forsøg lykkedes.")

    with FakeOpenAI(reply) as fake:
        assert chat([{"role": "user", "content": "x"}], _settings(fake.url)) == "Andet forsøg lykkedes."
    assert len(fake.requests) == 2


# -- the draft in progress -------------------------------------------------------------------------------


def _evidence():
    from assistant.models import DocKind, DocumentMeta, Hit, Passage

    text = (
        "Kommunen har i alt 1.161 plejeboliger fordelt på tolv plejehjem. Ventetiden på en plejebolig var i 2025 "
        "gennemsnitligt 42 dage, og forvaltningen vurderer, at der er behov for flere plejeboliger."
    )
    meta = DocumentMeta(
        doc_id="notat", title="Notat om plejeboliger", authority="Sundhedsforvaltningen", date="2025-03-01",
        kind=DocKind.budget_note, source_path="notat.txt", sha256="a" * 64,
    )  # fmt: skip
    p = Passage(chunk_id="notat:aaaaaaaa:0000", doc_id="notat", ordinal=0, text=text, start=0, end=len(text))
    return {"1": [Hit(passage=p, meta=meta, score=1.0, relevance=1.0)]}


def _question():
    from assistant.models import Question, SubQuestion

    q = "Hvor mange plejeboliger har kommunen, og hvor lang er ventetiden?"
    return Question(raw=q, text=q, sub_questions=[SubQuestion(id="1", text=q)])


@pytest.mark.parametrize(
    "reply",
    [
        lambda m, b: (500, "down"),
        lambda m, b: (200, "x", {"delay": 3600}),
        lambda m, b: (200, ANSWER, {"cut_after": 3}),
    ],
    ids=["500", "hang", "cut"],
)
def test_draft_falls_back_to_offline_and_keeps_going(reply):
    from assistant.draft import draft_answer

    tokens: list[str] = []
    with FakeOpenAI(reply) as fake:
        s = _settings(fake.url)
        s.draft.fallback = "offline"
        t = time.monotonic()
        d = draft_answer(_question(), None, s, drafter="llm", evidence=_evidence(), stream=tokens.append)
        assert time.monotonic() - t < ATTEMPTS_BOUND + 2
    assert d.drafter == "llm+offline"
    assert any("openai/fake" in w and "offline" in w for w in d.warnings)
    assert d.sub_answers[0].answered and any("1.161" in x.text for x in d.sentences())


def test_draft_without_fallback_raises_draft_error_naming_model():
    from assistant.draft import DraftError, draft_answer

    with FakeOpenAI(lambda m, b: (429, "slow down")) as fake:
        s = _settings(fake.url)
        with pytest.raises(DraftError, match="openai/fake"):
            draft_answer(_question(), None, s, drafter="llm", evidence=_evidence())
    assert len(fake.requests) == RETRIES + 1


def test_successful_stream_through_the_fake_is_drafted():
    from assistant.draft import draft_answer

    tokens: list[str] = []
    with FakeOpenAI(lambda m, b: (200, ANSWER)) as fake:
        d = draft_answer(
            _question(), None, _settings(fake.url), drafter="llm", evidence=_evidence(), stream=tokens.append
        )
    assert "".join(tokens) == ANSWER
    assert d.drafter == "llm" and not d.warnings
    assert [s.citations[0].key for s in d.sentences() if s.citations] == ["K1", "K1"]
