"""Shared fixtures. Sockets are blocked in every test: nothing may reach the network by accident."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
EXTRA = SHARED / "corpus-extra"
SCALE = SHARED / "scale" / "folketingstidende"

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch, request):
    """Block outbound connections except to loopback (local test servers are allowed)."""
    if request.node.get_closest_marker("allow_network"):
        return
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if (
            isinstance(host, str)
            and (host.startswith("127.") or host in ("localhost", "::1"))
            or self.family == socket.AF_UNIX
        ):
            return real_connect(self, address)
        raise NetworkBlocked(f"test tried to reach {address}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


def need_shared():
    if not SEEDS.exists() or not EXTRA.exists():
        pytest.skip("../shared/seeds and ../shared/corpus-extra are not beside the repo")


@pytest.fixture
def settings(tmp_path):
    from assistant.config import Settings

    return Settings(index_dir=tmp_path / "index", drafts_dir=tmp_path / "drafts")


@pytest.fixture(scope="session")
def shared_index(tmp_path_factory):
    """The seeds and corpus-extra ingested once per test session into a temp index."""
    need_shared()
    from assistant.config import Settings
    from assistant.ingest import ingest
    from assistant.retrieve import Searcher

    d = tmp_path_factory.mktemp("shared-index")
    s = Settings(index_dir=d / "index", drafts_dir=d / "drafts")
    rep = ingest([SEEDS, EXTRA], s)
    assert rep.ok, rep.failed
    return s, rep, Searcher(s)


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_network: the test may open non-loopback sockets")
    config.addinivalue_line("markers", "slow: takes more than a few seconds")
