"""Hardening: index integrity under kill -9, one writer, damaged indexes, prompt injection, CPR numbers,
telemetry and network.

Counts for the hardening note are printed with ``pytest -s`` (lines starting with ``hardening:``).
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from tests import fixtures_adversarial as adv
from tests.conftest import EXTRA, ROOT, SEEDS
from tests.server_util import FakeOpenAI

PY = sys.executable


def _env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def _cli(*args: str, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PY, "-m", "assistant", *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env or _env()
    )


def _fresh_chroma() -> None:
    """Forget Chroma's in-process clients, so the next open reads what other processes wrote."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient.clear_system_cache()


# -- index integrity -----------------------------------------------------------------------------------


def _source_files() -> list[Path]:
    if SEEDS.exists() and EXTRA.exists():
        files = [p for d in (SEEDS, EXTRA) for p in sorted(d.iterdir()) if p.suffix == ".txt"]
    else:  # the project's own sample corpus
        files = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in (".md", ".txt"))
    return files


def _consistent_snapshot(index_dir: Path) -> tuple[dict[str, tuple[str, int]], int]:
    """Open the index as a reader; check every manifest entry has exactly its passages live; search."""
    from assistant.config import Settings
    from assistant.retrieve import Searcher
    from assistant.store import Store

    _fresh_chroma()
    s = Settings(index_dir=index_dir)
    store = Store(s)
    manifest = store.manifest()
    live: Counter[str] = Counter()
    ordinals: dict[str, set[int]] = {}
    for p, sha in store.iter_passages():
        e = manifest.get(p.doc_id)
        if e is not None and e.meta.sha256 == sha:
            live[p.doc_id] += 1
            ordinals.setdefault(p.doc_id, set()).add(p.ordinal)
    for doc_id, e in manifest.items():
        assert live[doc_id] == e.n_passages, f"{doc_id}: {live[doc_id]} live passages, manifest says {e.n_passages}"
        assert ordinals.get(doc_id) == set(range(e.n_passages)), doc_id
    sr = Searcher(s, store=store)
    assert len(sr.passages) == sum(e.n_passages for e in manifest.values())
    assert sr.search("plejehjem ældre", 5), "search found nothing in a non-empty index"
    return {d: (e.meta.sha256, e.n_passages) for d, e in manifest.items()}, len(sr.passages)


# A real ingest in a child process that stops at a chosen write to Chroma and waits there to be killed.
# The stop is found by counting calls, not by timing, so each kill lands where the test says it does.
_PAUSING_INGEST = """
import sys
from collections import Counter
from assistant import store as st
from assistant.cli import main

target, nth = sys.argv[1], int(sys.argv[2])
calls = Counter()


class Pausing:
    def __init__(self, coll, name):
        self._coll, self._name = coll, name

    def __getattr__(self, attr):
        fn = getattr(self._coll, attr)
        if attr not in ("upsert", "delete"):
            return fn

        def wrapped(*a, **kw):
            key = f"{self._name}.{attr}"
            calls[key] += 1
            if (key, calls[key]) == (target, nth):
                print("paused", key, nth, flush=True)
                sys.stdin.read()  # the parent sends SIGKILL while this write has not happened
            return fn(*a, **kw)

        return wrapped


for prop, name in (("chunks", "passages"), ("manifest_collection", "manifest")):
    real = getattr(st.Store, prop)
    setattr(st.Store, prop, property(lambda self, real=real, name=name: Pausing(real.fget(self), name)))
sys.exit(main(["ingest", *sys.argv[3:], "-q"]))
"""


def _kill_at(write: str, nth: int, *args: str, env: dict) -> None:
    """Run ``assistant ingest ARGS`` until it is about to make its ``nth`` ``write``, then kill -9 it."""
    proc = subprocess.Popen(
        [PY, "-c", _PAUSING_INGEST, write, str(nth), *args],
        cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()  # bounded: the child either pauses or runs to its end
        assert line.split() == ["paused", write, str(nth)], f"ingest never reached {write} #{nth}: {proc.stderr.read()}"
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL


@pytest.mark.slow
def test_kill_9_during_ingest_leaves_a_consistent_readable_index(tmp_path):
    """kill -9 at each step of a document's write leaves every document in its old or its new version."""
    from assistant.config import Settings
    from assistant.ingest import ingest

    index = tmp_path / "index"
    previous_dir = tmp_path / "previous"
    shutil.copytree(ROOT / "corpus", previous_dir, ignore=shutil.ignore_patterns("questions"))
    rep = ingest([previous_dir], Settings(index_dir=index))
    assert rep.ok and rep.passages > 0
    before, _ = _consistent_snapshot(index)

    batch = tmp_path / "batch"
    batch.mkdir()
    files = _source_files()
    for i in range(30):
        src = files[i % len(files)]
        shutil.copy(src, batch / f"kopi_{i:02d}_{src.name}")
    env = _env(ASSISTANT_STORE__BATCH_SIZE="2")  # several passage writes per document
    args = (str(batch), "--index-dir", str(index))

    # 1. the fifth new document's passages are written, its manifest entry is not: four new documents
    _kill_at("manifest.upsert", 5, *args, env=env)
    now, _ = _consistent_snapshot(index)
    assert {d: now[d] for d in before} == before and len(now) - len(before) == 4

    # 2. between two passage writes of the next document (the four done are unchanged, so it is the first written)
    _kill_at("passages.upsert", 2, *args, env=env)
    now, _ = _consistent_snapshot(index)
    assert {d: now[d] for d in before} == before and len(now) - len(before) == 4

    # the kills left passages no manifest entry names: never searched, counted by status
    status = _cli("status", "--index-dir", str(index))
    assert status.returncode == 0 and json.loads(status.stdout)["orphans"] > 0, status.stdout + status.stderr

    # 3. a changed document: its manifest entry is switched, its old passages are not yet deleted
    # (delete #1 is the sweep of the orphans above at the start of the ingest, #2 the document's own)
    changed = previous_dir / "03_beslutning_social_henvisning.md"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nTilføjet afsnit om opfølgning i 2027.\n", "utf-8")
    _kill_at("passages.delete", 2, str(changed), "--index-dir", str(index), env=env)
    now, _ = _consistent_snapshot(index)  # the stale passages are not live: the snapshot checks each entry
    switched = {d for d in before if now[d] != before[d]}
    assert len(switched) == 1 and now[next(iter(switched))][0] != before[next(iter(switched))][0]

    for folder in (batch, previous_dir):  # one at a time: a document's id depends on the folder ingested
        done = _cli("ingest", str(folder), "--index-dir", str(index), "-q")
        assert done.returncode == 0, done.stderr
    final, passages = _consistent_snapshot(index)
    assert len(final) == len(before) + 30
    status = _cli("status", "--index-dir", str(index))
    assert json.loads(status.stdout)["orphans"] == 0  # swept by the ingests that followed the kills
    assert {d: final[d] for d in before if d not in switched} == {d: before[d] for d in before if d not in switched}
    assert all(final[d] == now[d] for d in switched)  # the changed document in its new version
    print(f"\nhardening: kill -9 at 3 write steps (before a manifest switch, mid-passages, before stale deletion) "
          f"left a consistent index; final {len(final)} docs / {passages} passages")  # fmt: skip


def test_second_writer_is_refused_with_a_clear_message(tmp_path):
    from assistant.store import LockedError, write_lock

    index = tmp_path / "index"
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Kommunen har 12 plejehjem og 1.161 plejeboliger i alt.", encoding="utf-8")
    with write_lock(index):  # this process is the writer
        r = _cli("ingest", str(tmp_path / "docs"), "--index-dir", str(index), "-q")
        assert r.returncode == 2
        assert "another ingest is writing" in r.stderr and str(index) in r.stderr
        assert "Traceback" not in r.stderr
    # and the other way round: a writer in another process refuses this one
    holder = subprocess.Popen(
        [PY, "-c", "import sys,time; from pathlib import Path; from assistant.store import write_lock\n"
         "with write_lock(Path(sys.argv[1])):\n print('locked', flush=True); time.sleep(30)", str(index)],
        cwd=ROOT, env=_env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockedError, match="another ingest"), write_lock(index):
            pass
    finally:
        holder.kill()
        holder.wait(10)
    with write_lock(index):  # released when the holder died
        pass


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    from assistant.config import Settings
    from assistant.ingest import ingest

    d = tmp_path_factory.mktemp("small")
    rep = ingest([ROOT / "corpus" / p for p in sorted(os.listdir(ROOT / "corpus")) if p.endswith(".md")][:3],
                 Settings(index_dir=d / "index"))  # fmt: skip
    assert rep.ok and rep.passages
    _fresh_chroma()
    return d / "index"


def _damaged_copy(src: Path, dst: Path, how: str) -> Path:
    shutil.copytree(src, dst)
    db = dst / "chroma" / "chroma.sqlite3"
    if how == "garbage":
        db.write_bytes(random.Random(1).randbytes(200_000))
    elif how == "truncated":
        with open(db, "r+b") as fh:
            fh.truncate(max(4096, db.stat().st_size // 3))
    elif how == "newer-chroma":
        (dst / "chroma" / "assistant-store.json").write_text(json.dumps({"chromadb": "9.1.0", "format": 1}))
    elif how == "missing-db":
        db.unlink()
    return dst


@pytest.mark.parametrize("how", ["garbage", "truncated", "newer-chroma", "missing-db"])
def test_damaged_or_foreign_index_is_refused_by_the_cli_with_an_actionable_message(small_index, tmp_path, how):
    idx = _damaged_copy(small_index, tmp_path / f"idx-{how}", how)
    r = _cli("search", "plejehjem", "--index-dir", str(idx))
    assert r.returncode != 0
    assert "Traceback" not in r.stderr, r.stderr
    assert r.stderr.startswith("fejl:") and str(idx / "chroma") in r.stderr
    assert "assistant ingest" in r.stderr  # says how to fix it
    if how == "newer-chroma":
        assert "9.1.0" in r.stderr


def test_intact_index_gets_a_version_marker_and_opens(small_index):
    from assistant.config import Settings
    from assistant.store import MARKER, Store

    _fresh_chroma()
    assert Store(Settings(index_dir=small_index)).manifest()
    info = json.loads((small_index / "chroma" / MARKER).read_text())
    import chromadb

    assert info["chromadb"] == chromadb.__version__


# -- prompt injection ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory):
    pytest.importorskip("docx")
    from assistant.config import Settings
    from assistant.ingest import ingest
    from assistant.retrieve import Searcher

    d = tmp_path_factory.mktemp("adversarial")
    made = adv.write_adversarial_set(d / "docs")
    s = Settings(index_dir=d / "index", drafts_dir=d / "drafts")
    rep = ingest([d / "docs"], s)
    _fresh_chroma()
    return made, rep, s, Searcher(s)


def test_every_adversarial_document_is_flagged_at_ingest(adversarial):
    made, rep, _, sr = adversarial
    assert rep.ok, rep.failed
    flagged_docs = {cid.split(":")[0] for cid, _ in rep.flagged}
    by_name = {Path(m.source_path).name: doc_id for doc_id, m in sr.metas.items()}
    missing = [f"{name} ({where})" for name, where in made.items() if by_name[name] not in flagged_docs]
    assert not missing, f"not flagged: {missing}"
    flags = dict(Counter(f for _, f in rep.flagged))
    assert flags.get("injection", 0) >= len(made)
    hidden = {cid.split(":")[0] for cid, f in rep.flagged if f == "hidden-text"}
    for name in made:
        if any(k in name for k in ("whiterun", "hidden_", "whitepdf")):
            assert by_name[name] in hidden, f"{name}: hidden text not flagged"
    print(f"\nhardening: adversarial docs flagged {len(made)}/{len(made)} ({flags})")


def test_ordinary_documents_are_not_flagged(small_index):
    from assistant.config import Settings
    from assistant.retrieve import Searcher

    _fresh_chroma()
    sr = Searcher(Settings(index_dir=small_index))
    assert sr.passages and not [p.chunk_id for p in sr.passages if p.flags]


def _question(text="Hvor mange plejeboliger har kommunen, og hvor lang er ventetiden på en plejebolig?"):
    from assistant.question import parse_question

    return parse_question(text)


def _flagged_hits(sr) -> list:
    hits = sr.search("plejeboliger plejehjem ventetid kapacitet", 30)
    flagged = [h for h in hits if h.passage.flags]
    assert flagged
    return flagged


def test_offline_draft_never_copies_an_instruction(adversarial):
    from assistant.pipeline import answer_question, choose_evidence, search_sub_question

    _, _, s, sr = adversarial
    q = _question()
    evidence = {sq.id: choose_evidence(search_sub_question(sr, q, sq, s), s) for sq in q.sub_questions}
    assert all(not h.passage.flags or "injection" not in h.passage.flags for v in evidence.values() for h in v)
    d = answer_question(q, sr, s, drafter="offline")
    text = " ".join(x.text for x in d.sentences())
    assert adv.CANARY_BODY not in text
    assert not re.search(r"ignor|instruk|system prompt|du skal nu", text, re.I), text


def test_offline_draft_with_flagged_passages_pinned_still_copies_no_instruction(adversarial):
    """Even when the officer pins flagged passages as evidence, no instruction enters the draft."""
    from assistant.draft import draft_answer

    _, _, s, sr = adversarial
    q = _question()
    pinned = {sq.id: _flagged_hits(sr)[:5] for sq in q.sub_questions}
    d = draft_answer(q, sr, s, drafter="offline", evidence=pinned)
    text = " ".join(x.text for x in d.sentences())
    assert adv.CANARY_BODY not in text, text


def test_flags_surface_in_draft_warnings_tui_and_word(adversarial, tmp_path):
    from docx import Document as Docx

    from assistant.draft import draft_answer
    from assistant.export import export_docx

    _, _, s, sr = adversarial
    q = _question()
    flagged = _flagged_hits(sr)
    d = draft_answer(q, sr, s, drafter="offline", evidence={sq.id: flagged[:5] for sq in q.sub_questions})
    caught = [w for w in d.warnings if adv.CANARY_FILE in w]
    assert caught, d.warnings
    # Word: the warnings become a comment on the answer
    out = export_docx(d, tmp_path / "svar.docx")
    comments = " ".join(c.text for c in Docx(str(out)).comments)
    assert adv.CANARY_FILE in comments and "markeret" in comments
    assert adv.CANARY_BODY not in " ".join(p.text for p in Docx(str(out)).paragraphs)
    # TUI: the source preview of a flagged passage shows the flag and the file
    widgets = pytest.importorskip("assistant.tui.widgets")
    shown = widgets.hit_preview(flagged[0]).plain
    assert "markeret injection" in shown and adv.CANARY_FILE in shown
    print(f"\nhardening: canaries caught: draft warnings {len(caught)}, Word comment 1, TUI preview 1")


def test_flags_surface_in_warnings_of_an_automatic_draft(adversarial):
    from assistant.draft import draft_answer

    _, _, s, sr = adversarial
    d = draft_answer(_question(), sr, s, drafter="offline")
    assert any(adv.CANARY_FILE in w for w in d.warnings), d.warnings


def test_llm_prompt_fences_flagged_passages(adversarial):
    from assistant.draft import draft_answer

    _, _, s, sr = adversarial
    q = _question()
    flagged = _flagged_hits(sr)[:4]
    with FakeOpenAI(lambda m, b: (200, "Kommunen har 1.161 plejeboliger [K1].")) as fake:
        s2 = s.model_copy(deep=True)
        s2.llm.model, s2.llm.api_base, s2.llm.api_key, s2.llm.retries = "openai/fake", fake.url + "/v1", "sk-x", 0
        draft_answer(q, sr, s2, drafter="llm", evidence={sq.id: flagged for sq in q.sub_questions})
    user = fake.requests[0]["body"]["messages"][-1]["content"]
    for i, h in enumerate(flagged, start=1):
        m = re.search(rf"<<<KILDE K{i} \[(\w+)\]\n(.*?)\n\[\1\] KILDE K{i}>>>", user, re.S)
        if "hidden-text" in h.passage.flags:
            # text a reader cannot see is never a source for the model, not even pinned (issue 18)
            assert m is None and h.passage.text not in user, f"K{i} (hidden text) reached the model"
            continue
        assert m and h.passage.text in m.group(2), f"K{i} not fenced"
    # the instructions appear only inside fences (whose marker is random per prompt)
    outside = re.sub(r"<<<KILDE K\d+ \[(\w+)\]\n.*?\n\[\1\] KILDE K\d+>>>", "", user, flags=re.S)
    assert adv.CANARY_BODY not in outside


# -- personal data: CPR numbers ---------------------------------------------------------------------------


def _cpr_numbers(n: int = 1000, seed: int = 11) -> list[tuple[str, bool]]:
    """``n`` distinct CPR numbers in varied formats: (as written, passes modulus 11)."""
    from assistant.privacy import mod11_ok

    rng = random.Random(seed)
    days = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    seps = ["-", "", " ", "\u00a0", "–", "‑"]
    out, seen = [], set()
    while len(out) < n:
        mm = rng.randint(1, 12)
        dd = rng.randint(1, days[mm - 1])
        digits = f"{dd:02d}{mm:02d}{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}"
        want_mod11 = len(out) % 4 == 0  # a quarter pass the old check, the rest do not
        if want_mod11 and not mod11_ok(digits):
            for seq in range(10_000):
                cand = digits[:6] + f"{seq:04d}"
                if mod11_ok(cand) and cand not in seen:
                    digits = cand
                    break
        if digits in seen:
            continue
        seen.add(digits)
        out.append((digits[:6] + seps[len(out) % len(seps)] + digits[6:], mod11_ok(digits)))
    return out


def _contexts(cprs: list[str]) -> list[str]:
    frames = ["CPR-nr.: {}", "borgeren ({}) har klaget", "{}", "cpr {}.", "Vedr. {}, se bilag", "[{}]", "nr:{};"]
    return [frames[i % len(frames)].format(c) for i, c in enumerate(cprs)]


def test_thousand_cpr_numbers_never_leave_the_machine(tmp_path, capsys):
    from assistant.config import LLMSettings, Settings
    from assistant.draft import draft_answer
    from assistant.llm import SENT, _litellm
    from assistant.models import DocKind, DocumentMeta, Hit, Passage, Question, SubQuestion
    from assistant.privacy import find_cpr

    cprs = _cpr_numbers(1000)
    assert sum(1 for _, ok in cprs if not ok) >= 100 and sum(1 for _, ok in cprs if ok) >= 100
    written = [c for c, _ in cprs]
    lines = _contexts(written)
    assert len(find_cpr("\n".join(lines))) == 1000  # every format is recognised
    q_text = "Hvad er status for borgerne " + ", ".join(lines[:40]) + "?"
    hits = []
    for i in range(8):  # 960 more in the passages
        text = "Sagen om plejebolig: " + "; ".join(lines[40 + i * 120 : 40 + (i + 1) * 120]) + "."
        meta = DocumentMeta(doc_id=f"d{i}", title=f"Notat {i}", source_path=f"d{i}.txt", sha256=f"{i}" * 64,
                            kind=DocKind.other)  # fmt: skip
        p = Passage(chunk_id=f"d{i}:{i}:0000", doc_id=f"d{i}", ordinal=0, text=text, start=0, end=len(text))
        hits.append(Hit(passage=p, meta=meta, score=1.0, relevance=1.0))
    q = Question(raw=q_text, text=q_text, sub_questions=[SubQuestion(id="1", text=q_text)])

    lt = _litellm()
    SENT.clear()  # earlier tests may have recorded calls to a local model (not redacted by design)
    handler_records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            handler_records.append(self.format(record))

    keep = Keep(level=logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("", "assistant", "LiteLLM", "LiteLLM Router", "litellm", "httpx",
                                               "openai", "httpcore")]  # fmt: skip
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(keep)
        lg.setLevel(logging.DEBUG)
    old_verbose = getattr(lt, "set_verbose", False)
    lt.set_verbose = True
    reply = "Borgeren [CPR-1] og borgeren [CPR-2] har fået svar [K1]. Sagen om [CPR-3] er afsluttet [K2]."
    try:
        with FakeOpenAI(lambda m, b: (200, reply)) as fake:
            s = Settings(index_dir=tmp_path, llm=LLMSettings(model="openai/fake", api_base=fake.url + "/v1",
                                                             api_key="sk-x", retries=0))  # fmt: skip
            d = draft_answer(q, None, s, drafter="llm", evidence={"1": hits}, stream=lambda t: None)
    finally:
        lt.set_verbose = old_verbose
        for lg, level in saved:
            lg.removeHandler(keep)
            lg.setLevel(level)
    captured = capsys.readouterr()
    assert fake.requests
    outbound = [m["content"] for r in fake.requests for m in r["body"]["messages"]]
    joined = "\n".join(outbound)
    assert not find_cpr(joined), "a CPR number left the machine"
    leaked = [c for c in written if c in joined or re.sub(r"\D", "", c) in re.sub(r"[^\d\n]", "", joined)]
    assert not leaked, leaked[:5]
    placeholders = set(re.findall(r"\[CPR-(\d+)\]", joined))
    assert len(placeholders) == 1000
    # logs and the in-process record of what was sent
    logs = "\n".join(handler_records) + captured.out + captured.err
    assert handler_records, "nothing was logged: the log check would prove nothing"
    assert not find_cpr(logs), "a CPR number was written to a log"
    assert not find_cpr(json.dumps(list(SENT), ensure_ascii=False))
    # provenance: the draft's record of how it was made carries no CPR number
    assert not find_cpr(" ".join(d.warnings) + d.drafter)
    # the local result: the numbers are restored for the officer (the saved draft stays on this machine)
    answer = " ".join(x.text for x in d.sentences())
    restored = {x[2] for x in find_cpr(answer)}
    assert restored == {re.sub(r"\D", "", c) for c in written[:3]}  # [CPR-1..3] are the question's first three
    print(f"\nhardening: CPR numbers redacted {len(placeholders)} "
          f"({sum(1 for _, ok in cprs if not ok)} without modulus 11)")  # fmt: skip


# -- telemetry and network -----------------------------------------------------------------------------


def test_telemetry_is_off_in_the_clients(tmp_path):
    from assistant.config import Settings
    from assistant.llm import _litellm
    from assistant.store import Store

    client = Store(Settings(index_dir=tmp_path / "index"))._connect()
    assert client.get_settings().anonymized_telemetry is False
    assert _litellm().telemetry is False


SITECUSTOMIZE = """
import os, socket
_real = socket.socket.connect
_log = os.environ["NET_ATTEMPTS"]

def _guard(self, address):
    host = address[0] if isinstance(address, tuple) else address
    if self.family == socket.AF_UNIX or (isinstance(host, str) and (host.startswith("127.") or host in ("localhost", "::1"))):
        return _real(self, address)
    with open(_log, "a") as fh:
        fh.write(repr(address) + "\\n")
    raise OSError("network blocked by test: " + repr(address))

socket.socket.connect = _guard
socket.socket.connect_ex = lambda self, a: (_guard(self, a), 0)[1]
_real_gai = socket.getaddrinfo

def _gai(host, *a, **k):
    if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1")):
        with open(_log, "a") as fh:
            fh.write("dns " + host + "\\n")
        raise socket.gaierror("name resolution blocked by test: " + host)
    return _real_gai(host, *a, **k)

socket.getaddrinfo = _gai
"""


@pytest.mark.slow
def test_offline_flow_and_imports_make_no_network_access(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    attempts = tmp_path / "attempts.log"
    env = _env(PYTHONPATH=f"{site}{os.pathsep}{ROOT}", NET_ATTEMPTS=str(attempts))
    for k in ("LITELLM_LOCAL_MODEL_COST_MAP", "ANONYMIZED_TELEMETRY", "LITELLM_TELEMETRY"):
        env.pop(k, None)  # the code must switch these off itself
    docs = tmp_path / "docs"
    docs.mkdir()
    for p in sorted((ROOT / "corpus").glob("*.md"))[:3]:
        shutil.copy(p, docs / p.name)
    index = tmp_path / "index"
    r = _cli("ingest", str(docs), "--index-dir", str(index), "-q", env=env)
    assert r.returncode == 0, r.stderr
    r = _cli("draft", "Hvad koster indsatserne på plejehjemmene?", "--drafter", "offline", "--index-dir", str(index),
             env=env)  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "[" in r.stdout  # a drafted answer with citations
    imports = subprocess.run(
        [PY, "-c", "import assistant.llm as l, assistant.store, chromadb; l._litellm(); import litellm; "
         "print(litellm.telemetry)"],
        capture_output=True, text=True, timeout=180, cwd=ROOT, env=env,
    )  # fmt: skip
    assert imports.returncode == 0, imports.stderr
    assert imports.stdout.strip() == "False"
    assert not attempts.exists(), f"network attempts: {attempts.read_text()}"
