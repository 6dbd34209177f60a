"""Helpers for the server-mode tests: a real Chroma server, a token-checking proxy, a fake LLM endpoint.

Everything listens on 127.0.0.1 only and every wait is bounded.

Also runnable as a script (used by the multi-process test, one process per searcher)::

    python tests/server_util.py search-worker URL PREFIX INDEX_DIR OUT.json SECONDS STOP_FILE
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def chroma_binary() -> Path | None:
    """The ``chroma`` CLI of the running interpreter's environment, else the one on PATH."""
    beside = Path(sys.executable).with_name("chroma")
    if beside.exists():
        return beside
    found = shutil.which("chroma")
    return Path(found) if found else None


def heartbeat(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


class ChromaServer:
    """``chroma run --path DIR --host 127.0.0.1 --port PORT`` as a child process."""

    def __init__(self, path: Path, port: int | None = None, binary: Path | None = None):
        self.path = Path(path)
        self.port = port or free_port()
        self.binary = binary or chroma_binary()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = self.path.parent / f"chroma-{self.port}.log"

    def start(self, timeout: float = 30.0) -> str:
        if self.binary is None:
            raise FileNotFoundError("the `chroma` command is not installed (pip install chromadb)")
        self.path.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "NO_COLOR": "1"}
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [str(self.binary), "run", "--path", str(self.path), "--host", LOOPBACK, "--port", str(self.port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # its own process group, so stop() reaches any children
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chroma exited with {self.proc.returncode}; log:\n{self.tail()}")
            if heartbeat(self.url, timeout=0.5):
                return self.url
            time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"chroma did not answer {self.url}/api/v2/heartbeat within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, n: int = 2000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def stop(self, timeout: float = 10.0) -> None:
        p, self.proc = self.proc, None
        if p is None or p.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, signal.SIGTERM)
        try:
            p.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait(timeout)


# -- a token-checking reverse proxy: how a Chroma 1.x server gets auth in practice ---------------------------


_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "host"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextlib.contextmanager
def _serve(handler: type[BaseHTTPRequestHandler], tls: tuple[Path, Path] | None = None) -> Iterator[_Server]:
    srv = _Server((LOOPBACK, 0), handler)
    if tls is not None:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(str(tls[0]), str(tls[1]))
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    t = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    t.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()
        t.join(5)


class AuthProxy:
    """Forwards to ``upstream`` only requests carrying ``Authorization: Bearer <token>``; records every header set.

    Stands in for the nginx/Caddy/Traefik in front of a Chroma server (the Rust server in chromadb 1.x has no
    token auth of its own). With ``tls=(cert, key)`` it speaks https.
    """

    def __init__(self, upstream: str, token: str, tls: tuple[Path, Path] | None = None):
        self.upstream = upstream.removeprefix("http://")
        self.token = token
        self.tls = tls
        self.seen: list[dict[str, str]] = []
        self.refused = 0
        self._cm = None
        self.url = ""

    def __enter__(self) -> AuthProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):  # quiet
                pass

            def _any(self):
                proxy.seen.append({k.lower(): v for k, v in self.headers.items()})
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Authorization") != f"Bearer {proxy.token}":
                    proxy.refused += 1
                    msg = b'{"error":"Unauthorized","message":"missing or wrong bearer token"}'
                    self.send_response(401)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(msg)))
                    self.end_headers()
                    self.wfile.write(msg)
                    return
                conn = http.client.HTTPConnection(proxy.upstream, timeout=30)
                try:
                    fwd = {
                        k: v for k, v in self.headers.items() if k.lower() not in _HOP and k.lower() != "authorization"
                    }
                    conn.request(self.command, self.path, body=body or None, headers=fwd)
                    r = conn.getresponse()
                    data = r.read()
                finally:
                    conn.close()
                self.send_response(r.status)
                for k, v in r.getheaders():
                    if k.lower() not in _HOP and k.lower() != "content-length":
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any

        self._cm = _serve(Handler, self.tls)
        srv = self._cm.__enter__()
        scheme = "https" if self.tls else "http"
        # a name, not an IP, so a certificate for "localhost" matches
        self.url = f"{scheme}://{'localhost' if self.tls else LOOPBACK}:{srv.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)


def self_signed_cert(directory: Path) -> tuple[Path, Path] | None:
    """A throwaway certificate for ``localhost`` made with the openssl CLI; None when openssl is missing."""
    exe = shutil.which("openssl")
    if exe is None:
        return None
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [exe, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return cert, key


# -- a fake OpenAI-compatible endpoint (stands in for a litellm proxy or a vLLM/Ollama server) ----------------


class FakeOpenAI:
    """``POST /v1/chat/completions`` (and a fake ``/v1/embeddings``) on loopback. ``reply(model, body)`` decides each answer.

    ``reply`` returns ``(status, text)`` or ``(status, text, options)``; the options script failures:

    * ``delay``: seconds to wait before answering (a long one is a hang; cut short when the server stops);
    * ``raw``: bytes sent verbatim as a 200 ``text/event-stream`` body (a malformed stream);
    * ``cut_after``: stream this many chunks, then drop the connection without ``[DONE]``;
    * ``chunk_delay``: seconds between streamed chunks.

    ``requests`` records every request (``path``, ``model``, ``body``, ``headers``, ``t`` = monotonic arrival time).
    """

    def __init__(self, reply: Callable[[str, dict], tuple]):
        self.reply = reply
        self.requests: list[dict] = []  # {"path", "model", "body", "headers", "t"}
        self.stopping = threading.Event()
        self._cm = None
        self.url = ""

    def __enter__(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                model = body.get("model", "")
                fake.requests.append(
                    {
                        "path": self.path,
                        "model": model,
                        "body": body,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "t": time.monotonic(),
                    }
                )
                if self.path.endswith("/embeddings"):  # a fake embedding model: 8 numbers per input
                    inputs = body.get("input") or []
                    inputs = [inputs] if isinstance(inputs, str) else inputs
                    data = [{"object": "embedding", "index": i, "embedding": [0.125] * 8} for i in range(len(inputs))]
                    usage = {"prompt_tokens": 1, "total_tokens": 1}
                    out = json.dumps({"object": "list", "data": data, "model": model, "usage": usage}).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(out)))
                    self.end_headers()
                    self.wfile.write(out)
                    return
                status, text, *more = fake.reply(model, body)
                opts = more[0] if more else {}
                if opts.get("delay") and fake.stopping.wait(opts["delay"]):
                    self.close_connection = True
                    return  # the server is stopping: hang up
                if "raw" in opts:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(opts["raw"])
                    self.close_connection = True
                    return
                if status != 200:
                    payload = {"error": {"message": text, "type": "server_error", "code": status}}
                elif body.get("stream"):
                    return self._stream(model, text, opts)
                else:
                    payload = {
                        "id": f"chatcmpl-fake-{len(fake.requests)}",
                        "object": "chat.completion",
                        "created": int(time.time()),
                        "model": model,
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
                        ],
                        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
                    }
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, model: str, text: str, opts: dict):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                words = text.split(" ")
                for i, w in enumerate(words):
                    if opts.get("cut_after") is not None and i >= opts["cut_after"]:
                        self.wfile.flush()
                        with contextlib.suppress(OSError):
                            self.connection.shutdown(socket.SHUT_RDWR)  # drop the line mid-answer
                        return
                    delta = {"content": w + (" " if i < len(words) - 1 else "")}
                    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": model,
                             "choices": [{"index": 0, "delta": delta, "finish_reason": None}]}  # fmt: skip
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                    if opts.get("chunk_delay"):
                        self.wfile.flush()
                        fake.stopping.wait(opts["chunk_delay"])
                end = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": model,
                       "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}  # fmt: skip
                self.wfile.write(f"data: {json.dumps(end)}\n\ndata: [DONE]\n\n".encode())

        self._cm = _serve(Handler)
        srv = self._cm.__enter__()
        self.url = f"http://{LOOPBACK}:{srv.server_address[1]}"
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self._cm.__exit__(*exc)


# -- latency ---------------------------------------------------------------------------------------------------


def latency(search: Callable[[str], object], queries: list[str], warmup: int = 3) -> dict[str, float]:
    """Wall-clock milliseconds per call: p50, p95, mean over ``queries`` (after a few warm-up calls)."""
    for q in queries[:warmup]:
        search(q)
    ms = []
    for q in queries:
        t = time.perf_counter()
        search(q)
        ms.append((time.perf_counter() - t) * 1000)
    ms.sort()
    return {
        "n": len(ms),
        "p50": statistics.median(ms),
        "p95": ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))],
        "mean": statistics.fmean(ms),
    }


# -- the searcher process of the concurrency test --------------------------------------------------------------


def search_worker(url: str, prefix: str, index_dir: str, out: str, seconds: float, stop_file: str) -> int:
    """Open a fresh Searcher again and again until ``stop_file`` exists (at most ``seconds``), search, check every hit.

    ``OUT.ready`` is written after the first round, so a writer can wait for the searchers to be running.

    Writes a JSON summary to ``out``:

    * ``errors``: exceptions (any is a failure);
    * ``mismatched``: a hit whose passage belongs to another version of its document than the manifest
      entry it was shown with (chunk ids are ``<doc_id>:<sha256[:8]>:<n>``) - a half-written document;
    * ``missing``: a hit whose document is absent from the manifest read right after the search;
    * ``stale``: a hit whose document has since been re-ingested with new content (allowed: the next
      Searcher sees the new version);
    * ``incomplete``: Searcher builds where a live document had fewer passages than its manifest entry says.
    """
    from assistant.config import Settings, StoreSettings
    from assistant.retrieve import Searcher
    from assistant.store import Store

    s = Settings(index_dir=Path(index_dir), store=StoreSettings(url=url, collection_prefix=prefix))
    store = Store(s)
    queries = ["De Jong Gierveld", "ensomhed ældre", "plejehjem pårørende", "demens handlingsplan", "hjemmehjælp"]
    res: dict = {"rounds": 0, "hits": 0, "errors": [], "mismatched": [], "missing": [], "stale": 0, "incomplete": 0}
    res["docs_seen"] = []
    end = time.monotonic() + seconds
    while time.monotonic() < end and res["rounds"] < 500 and not Path(stop_file).exists():
        try:
            sr = Searcher(s, store=store)
            res["docs_seen"].append(len(sr.metas))
            per_doc: dict[str, int] = {}
            for p in sr.passages:
                per_doc[p.doc_id] = per_doc.get(p.doc_id, 0) + 1
            if any(per_doc.get(d, 0) != e.n_passages for d, e in sr.manifest.items()):
                res["incomplete"] += 1
            for q in queries:
                hits = sr.search(q, 5)
                fresh = store.manifest()
                for h in hits:
                    res["hits"] += 1
                    if not h.passage.chunk_id.startswith(f"{h.meta.doc_id}:{h.meta.sha256[:8]}:"):
                        res["mismatched"].append([q, h.passage.chunk_id, h.meta.sha256[:8]])
                    e = fresh.get(h.meta.doc_id)
                    if e is None:
                        res["missing"].append([q, h.meta.doc_id])
                    elif e.meta.sha256 != h.meta.sha256:
                        res["stale"] += 1
        except Exception as e:  # recorded; the test fails on any
            res["errors"].append(f"{type(e).__name__}: {e}")
        res["rounds"] += 1
        if res["rounds"] == 1:
            Path(out + ".ready").write_text("", encoding="utf-8")
        time.sleep(0.1)  # leave the CPU to the writer now and then
    Path(out).write_text(json.dumps(res), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 8 and sys.argv[1] == "search-worker":
        a = sys.argv
        sys.exit(search_worker(a[2], a[3], a[4], a[5], float(a[6]), a[7]))
    sys.exit(__doc__)
