"""Server mode: the store on a real Chroma server, several processes, auth and TLS in front, LLM gateways.

A session fixture starts ``chroma run`` on a free loopback port and stops it at the end. When the ``chroma``
command is missing the tests skip, except under CI (``CI`` set), where that is a failure.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import EXTRA, ROOT, SEEDS, need_shared
from tests.server_util import AuthProxy, ChromaServer, FakeOpenAI, chroma_binary, latency, self_signed_cert

EXAMPLES = ROOT / "examples"
QUERY, EXPECTED = "De Jong Gierveld", "004_97d66f51cd9469be.txt"


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    if chroma_binary() is None:
        msg = "the `chroma` command (from chromadb) is not installed; server-mode tests need it"
        if os.environ.get("CI"):
            pytest.fail(msg)
        pytest.skip(msg)
    srv = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "data")
    with pytest.MonkeyPatch.context() as mp:
        # an HTTP(S)_PROXY in the environment (CI runners) must not capture loopback traffic
        no_proxy = ",".join(x for x in (os.environ.get("NO_PROXY", ""), "127.0.0.1,localhost") if x)
        mp.setenv("NO_PROXY", no_proxy)
        mp.setenv("no_proxy", no_proxy)
        url = srv.start(timeout=30)
        try:
            yield url
        finally:
            srv.stop()


def _settings(tmp: Path, url: str, prefix: str, **store):
    from assistant.config import Settings, StoreSettings

    return Settings(
        index_dir=tmp / "index",
        drafts_dir=tmp / "drafts",
        store=StoreSettings(url=url, collection_prefix=prefix, **store),
    )


@pytest.fixture(scope="session")
def server_index(chroma_url, tmp_path_factory):
    """Seeds and corpus-extra ingested once into the server (its own collection prefix)."""
    need_shared()
    from assistant.ingest import ingest

    s = _settings(tmp_path_factory.mktemp("server-index"), chroma_url, "shared")
    rep = ingest([SEEDS, EXTRA], s)
    assert rep.ok, rep.failed
    return s


def _env(url: str, prefix: str, index_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_STORE_URL=url,
        ASSISTANT_STORE__COLLECTION_PREFIX=prefix,
        ASSISTANT_INDEX_DIR=str(index_dir),
        PYTHONPATH=str(ROOT),
        ANONYMIZED_TELEMETRY="False",
    )
    return env


# -- the store switch ----------------------------------------------------------------------------------------


def test_env_url_puts_the_index_on_the_server_not_on_disk(chroma_url, tmp_path, monkeypatch):
    need_shared()
    import chromadb

    from assistant.config import load_settings
    from assistant.ingest import ingest
    from assistant.retrieve import Searcher
    from assistant.store import Store

    monkeypatch.setenv("ASSISTANT_STORE_URL", chroma_url)
    monkeypatch.setenv("ASSISTANT_STORE__COLLECTION_PREFIX", "envswitch")
    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(tmp_path / "index"))
    s = load_settings()
    assert s.store.url == chroma_url
    rep = ingest([SEEDS], s)
    assert rep.ok and rep.added
    assert not (tmp_path / "index" / "chroma").exists(), "server mode must not create an embedded store"
    other = chromadb.HttpClient(host="127.0.0.1", port=int(chroma_url.rsplit(":", 1)[1]))
    names = {c.name for c in other.list_collections()}
    st = Store(s)
    assert {st.name, st.name + "-manifest"} <= names
    assert other.get_collection(st.name).count() == rep.passages
    hits = Searcher(s).search(QUERY, 3)
    assert Path(hits[0].meta.source_path).name == EXPECTED


def test_search_on_server_matches_embedded_store(server_index, shared_index):
    from assistant.retrieve import Searcher

    server = Searcher(server_index)
    _, _, embedded = shared_index
    assert server.stats()["location"].startswith("http://127.0.0.1:")
    assert len(server.passages) == len(embedded.passages) > 0
    first = server.search(QUERY, 5)
    assert Path(first[0].meta.source_path).name == EXPECTED
    for q in (QUERY, "ensomhed blandt ældre", "besøgsrestriktioner på plejehjem", "demensegnede plejeboliger"):
        # the lexical side is built from the same passages, so it must agree exactly
        lex = {"bm25": 1.0}
        assert [h.passage.chunk_id for h in server.search(q, 5, weights=lex)] == [
            h.passage.chunk_id for h in embedded.search(q, 5, weights=lex)
        ], q
        # the vector side is an approximate (HNSW) index built separately in each store, so ties
        # lower down may break differently: the best hit agrees, and most of the top three
        a = [h.passage.chunk_id for h in server.search(q, 5)]
        b = [h.passage.chunk_id for h in embedded.search(q, 5)]
        assert a[0] == b[0] and len(set(a[:3]) & set(b[:3])) >= 2, q


def test_unreachable_server_names_the_setting(tmp_path):
    from assistant.store import Store, StoreError
    from tests.server_util import free_port

    s = _settings(tmp_path, f"http://127.0.0.1:{free_port()}", "nobody")
    with pytest.raises(StoreError, match="ASSISTANT_STORE_URL"):
        Store(s).count()
    with pytest.raises(StoreError, match="HOST"):
        Store(_settings(tmp_path, "chroma.kommune.local:8000", "nobody")).count()


# -- many processes, one server ------------------------------------------------------------------------------


@pytest.mark.slow
def test_searchers_in_other_processes_stay_consistent_while_one_ingests(chroma_url, tmp_path):
    """Two searcher processes and a CLI search run while another process ingests and rewrites documents.

    No errors; every hit shows a passage of exactly the document version its manifest entry names.
    Afterwards a Searcher with its own index_dir sees the new documents, and an old index_dir's BM25 cache
    is rebuilt once for the new manifest version and then reused.
    """
    need_shared()
    from assistant.ingest import ingest
    from assistant.retrieve import Searcher

    prefix = "concurrent"
    a = _settings(tmp_path / "a", chroma_url, prefix)
    assert ingest([SEEDS], a).ok
    before = Searcher(a)
    n_before = len(before.metas)
    extra_names = {p.name for p in EXTRA.glob("*.txt")}
    assert not extra_names & {Path(m.source_path).name for m in before.metas.values()}

    util = str(ROOT / "tests" / "server_util.py")
    stop = tmp_path / "stop"
    workers = []
    for i in range(2):
        out = tmp_path / f"worker{i}.json"
        cmd = [
            sys.executable,
            util,
            "search-worker",
            chroma_url,
            prefix,
            str(tmp_path / f"w{i}"),
            str(out),
            "90",
            str(stop),
        ]
        workers.append(
            (out, subprocess.Popen(cmd, env=_env(chroma_url, prefix, tmp_path / f"w{i}"), stderr=subprocess.PIPE))
        )
    writer_dir = tmp_path / "writer"
    writer_dir.mkdir()
    ready = [str(out) + ".ready" for out, _ in workers]
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(EXTRA), str(tmp_path / "rewritten"), "3", *ready],
        env=_env(chroma_url, prefix, writer_dir / "index"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        cli = subprocess.run(  # a one-shot CLI search, started while the writer is busy
            [sys.executable, "-m", "assistant", "search", QUERY, "--json", "-k", "5"],
            env=_env(chroma_url, prefix, tmp_path / "cli"),
            capture_output=True,
            text=True,
            timeout=90,
        )
        w_out, w_err = writer.communicate(timeout=90)
    finally:
        stop.write_text("", encoding="utf-8")
        writer.kill() if writer.poll() is None else None
    assert writer.returncode == 0, w_err[-2000:]
    summary = json.loads(w_out.strip().splitlines()[-1])
    assert summary["extra_added"] == len(extra_names) and summary["rewrites"] == 3

    assert cli.returncode == 0, cli.stderr[-2000:]
    cli_hits = json.loads(cli.stdout)["results"]
    assert Path(cli_hits[0]["meta"]["source_path"]).name == EXPECTED

    total_hits = 0
    seen_growth = False
    for out, proc in workers:
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err.decode()[-2000:]
        r = json.loads(out.read_text())
        print(
            f"[worker] rounds={r['rounds']} hits={r['hits']} stale={r['stale']} incomplete={r['incomplete']} docs={r['docs_seen']}"
        )
        assert r["errors"] == [], r["errors"][:3]
        assert r["mismatched"] == [], r["mismatched"][:3]
        assert r["missing"] == [], r["missing"][:3]
        assert r["rounds"] >= 2, r
        total_hits += r["hits"]
        seen_growth |= min(r["docs_seen"]) < max(r["docs_seen"])
    assert total_hits > 0
    assert seen_growth, "no searcher ran while documents were being added"

    # another machine: its own index_dir, nothing cached yet
    b = Searcher(_settings(tmp_path / "b", chroma_url, prefix))
    names_b = {Path(m.source_path).name for m in b.metas.values()}
    assert extra_names <= names_b and len(b.metas) == n_before + len(extra_names) + 1
    assert {p.doc_id for p in b.passages} == set(b.metas)
    # the long-lived instance keeps its snapshot; a new one on the same index_dir follows the store
    assert len(before.metas) == n_before
    again = Searcher(a)
    assert again.version == b.version != before.version
    cache_root = a.index_dir / "cache" / again.store.name
    assert [p.name.split("-")[0] for p in cache_root.iterdir()] == [again.version]

    from assistant.store import Store

    def no_store_scan(*a, **k):
        raise AssertionError("the cached BM25 side should have been reused")

    store = Store(a)
    store.iter_passages = no_store_scan  # a third instance on the same index_dir must not rebuild
    reused = Searcher(a, store=store)
    assert [h.passage.chunk_id for h in reused.search(QUERY, 3)] == [h.passage.chunk_id for h in b.search(QUERY, 3)]


_WRITER = r"""
import json, sys, time
from pathlib import Path
from assistant.config import load_settings
from assistant.ingest import ingest

extra, rewritten, rounds, ready = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
deadline = time.monotonic() + 60
while not all(Path(r).exists() for r in ready) and time.monotonic() < deadline:
    time.sleep(0.1)  # start writing once every searcher is running
s = load_settings()
rewritten.mkdir(parents=True, exist_ok=True)
doc = rewritten / "notat_rewritten.txt"
base = "Notat om ensomhed blandt ældre på plejehjem og hjemmehjælp. " * 40
rep = ingest([extra], s)
assert rep.ok, rep.failed
rewrites = 0
for i in range(rounds):
    doc.write_text(f"Version {i}. " + base + f" Opdateret i runde {i}. " * (i + 1), encoding="utf-8")
    r = ingest([rewritten], s)
    assert r.ok and (r.added or r.updated), r
    rewrites += 1
    time.sleep(0.5)
print(json.dumps({"extra_added": len(rep.added), "rewrites": rewrites}))
"""


# -- auth and TLS in front of the server ---------------------------------------------------------------------


def test_token_is_sent_and_required_by_the_auth_proxy(chroma_url, tmp_path):
    from assistant.store import Store, StoreError

    with AuthProxy(chroma_url, token="s3cret-token") as proxy:
        ok = Store(_settings(tmp_path, proxy.url, "auth", token="s3cret-token"))
        assert ok.count() == 0
        assert proxy.seen and all(h.get("authorization") == "Bearer s3cret-token" for h in proxy.seen)
        assert proxy.refused == 0
        for bad in (None, "wrong"):
            with pytest.raises(StoreError, match="401|[Uu]nauthori"):
                Store(_settings(tmp_path, proxy.url, "auth", token=bad)).count()
        assert proxy.refused >= 2


def test_https_with_tls_verify_setting(chroma_url, tmp_path, monkeypatch):
    from assistant.store import Store, StoreError

    tls = self_signed_cert(tmp_path)
    if tls is None:
        pytest.skip("openssl is not installed; cannot make a test certificate")
    with AuthProxy(chroma_url, token="t", tls=tls) as proxy:
        assert proxy.url.startswith("https://localhost:")
        with pytest.raises(StoreError, match="(?i)certificate|ssl"):
            Store(_settings(tmp_path, proxy.url, "tls", token="t", tls_verify=True)).count()
        assert Store(_settings(tmp_path, proxy.url, "tls", token="t", tls_verify=False)).count() == 0
        # the production way: keep verification on and trust the administration's CA
        monkeypatch.setenv("SSL_CERT_FILE", str(tls[0]))
        assert Store(_settings(tmp_path, proxy.url, "tls", token="t", tls_verify=True)).count() == 0
        assert proxy.seen


# -- latency ---------------------------------------------------------------------------------------------------


def test_search_latency_server_vs_embedded(server_index, shared_index, capsys):
    from assistant.retrieve import Searcher

    server = Searcher(server_index)
    _, _, embedded = shared_index
    words = [w for p in embedded.passages for w in p.text.split() if len(w) > 6 and w.isalpha()]
    n = int(os.environ.get("ASSISTANT_LATENCY_QUERIES", "60"))  # the report used 200
    queries = [" ".join(words[i : i + 3]) for i in range(0, min(len(words) - 3, 3 * n), 3)]
    assert len(queries) >= min(n, 40)
    res = {
        name: latency(lambda q, sr=sr: sr.search(q, 8), queries)
        for name, sr in (("server", server), ("embedded", embedded))
    }
    with capsys.disabled():
        for name, r in res.items():
            print(f"\n[latency] {name}: n={r['n']} p50={r['p50']:.1f} ms p95={r['p95']:.1f} ms mean={r['mean']:.1f} ms")
    # a loopback server adds a round trip, not seconds
    assert res["server"]["p95"] < 1000


# -- LLM gateways ----------------------------------------------------------------------------------------------


def test_example_configs_are_valid():
    from assistant.config import load_settings

    s = load_settings(EXAMPLES / "server.toml")
    assert s.store.url and s.store.url.startswith("https://") and s.store.tls_verify
    g = load_settings(EXAMPLES / "gateway.toml")
    assert g.llm.model and g.llm.model.startswith("openai/") and g.llm.api_base and not g.llm.local
    for name in ("router.yaml", "litellm_proxy.yaml"):
        cfg = yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))
        names = {m["model_name"] for m in cfg["model_list"]}
        fallbacks = cfg.get("fallbacks") or cfg["litellm_settings"]["fallbacks"]
        for rule in fallbacks:
            for primary, backups in rule.items():
                assert primary in names and set(backups) <= names, (name, rule)
        for m in cfg["model_list"]:
            key = m["litellm_params"].get("api_key", "")
            assert key.startswith("os.environ/"), f"{name}: keys come from the environment, never the file"


def _fake_reply(bad: set[str]):
    def reply(model: str, body: dict) -> tuple[int, str]:
        if model in bad:
            return 500, f"{model} is down"
        return 200, f"Svar fra {model}: borger [CPR-1] er nævnt."

    return reply


def test_chat_through_gateway_falls_back_and_redacts_cpr(tmp_path):
    from assistant.config import LLMSettings, Settings
    from assistant.llm import chat

    with FakeOpenAI(_fake_reply({"primary"})) as fake:
        s = Settings(
            index_dir=tmp_path,
            llm=LLMSettings(
                model="openai/primary", api_base=fake.url + "/v1", api_key="sk-officer", retries=0, timeout=10,
                fallbacks=["openai/backup"],
            ),
        )  # fmt: skip
        text = chat([{"role": "user", "content": "Sagen om 010203-1234: hvad er status?"}], s)
    assert [r["model"] for r in fake.requests] == ["primary", "backup"]
    assert all(r["headers"].get("authorization") == "Bearer sk-officer" for r in fake.requests)
    sent = json.dumps([r["body"]["messages"] for r in fake.requests])
    assert "010203-1234" not in sent and "[CPR-1]" in sent
    assert text == "Svar fra backup: borger 010203-1234 er nævnt."


def _router_yaml_for(fake_url: str, tmp_path: Path) -> tuple[Path, str, str]:
    """examples/router.yaml with every deployment pointed at the fake endpoint (model = deployment's name)."""
    cfg = yaml.safe_load((EXAMPLES / "router.yaml").read_text(encoding="utf-8"))
    for m in cfg["model_list"]:
        m["litellm_params"] = {"model": f"openai/{m['model_name']}", "api_base": fake_url + "/v1", "api_key": "sk-x"}
    primary, backups = next(iter(cfg["fallbacks"][0].items()))
    p = tmp_path / "router.yaml"
    p.write_text(yaml.safe_dump(cfg), encoding="utf-8")
    return p, primary, backups[0]


@pytest.mark.parametrize("stream", [False, True])
def test_chat_with_router_config_uses_the_fallback_deployment(tmp_path, stream):
    from assistant.config import LLMSettings, Settings
    from assistant.llm import chat

    with FakeOpenAI(lambda m, b: (0, "")) as fake:
        path, primary, backup = _router_yaml_for(fake.url, tmp_path)
        fake.reply = _fake_reply({primary})
        s = Settings(index_dir=tmp_path, llm=LLMSettings(model=primary, router_config=path, retries=0, timeout=10))
        tokens: list[str] = []
        text = chat(
            [{"role": "user", "content": "Hvor mange plejeboliger?"}], s, on_token=tokens.append if stream else None
        )
    models = [r["model"] for r in fake.requests]
    assert models[0] == primary and models[-1] == backup and set(models) == {primary, backup}
    assert text == f"Svar fra {backup}: borger [CPR-1] er nævnt."
    if stream:
        assert len(tokens) > 1 and "".join(tokens) == text


def test_router_with_every_deployment_down_raises_llm_error(tmp_path):
    from assistant.config import LLMSettings, Settings
    from assistant.llm import LLMError, chat

    with FakeOpenAI(lambda m, b: (500, "down")) as fake:
        path, primary, _ = _router_yaml_for(fake.url, tmp_path)
        s = Settings(index_dir=tmp_path, llm=LLMSettings(model=primary, router_config=path, retries=0, timeout=10))
        with pytest.raises(LLMError, match=primary):
            chat([{"role": "user", "content": "x"}], s)
    assert len(fake.requests) >= 2
