"""An append-only audit log of drafts and exports (JSON lines).

One line per event: when (UTC), what ("draft" or "export"), who (the OS user and
the case officer on the draft), the drafter and model, the prompt templates'
hashes, the passages cited and offered (chunk ids), the index version and the
output file. Kept for access requests ("which documents was this answer based
on?"); it holds no passage text and no question text beyond its title.

Writes take an exclusive ``flock`` on the file, so a CLI and a TUI on the same
machine never interleave lines. ``audit.retention_days`` is applied when the log
is next written: if its oldest entry is past the limit, the log is rewritten
atomically without the expired entries (the one moment it is not append-only).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import getpass
import json
import os
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from assistant.config import Settings
from assistant.models import Draft

CSV_COLUMNS = (
    "when",
    "event",
    "user",
    "case_officer",
    "drafter",
    "model",
    "prompts",
    "question",
    "sources_cited",
    "sources_offered",
    "index_version",
    "output",
)


def _now() -> datetime:
    return datetime.now(UTC)


def entry_for(event: str, draft: Draft, *, output: Path | str | None = None, when: datetime | None = None) -> dict:
    p = draft.provenance
    cited = list(dict.fromkeys(c.chunk_id for s in draft.sentences() for c in s.citations if c.chunk_id))
    try:
        user = getpass.getuser()
    except Exception:  # no login name (a container without a passwd entry)
        user = ""
    q = draft.question
    who = f"{q.asker} ({q.party})" if q.asker and q.party else (q.asker or "")
    return {
        "when": (when or _now()).isoformat(timespec="seconds"),
        "event": event,
        "user": user,
        "case_officer": draft.header.case_officer,
        "drafter": draft.drafter,
        "model": p.model if p else None,
        "prompts": [r.model_dump() for r in p.prompts] if p else [],
        "question": " - ".join(x for x in (who, q.topic or "") if x) or q.text[:80],
        "sources_cited": cited,
        "sources_offered": [s.passage.chunk_id for s in draft.sources],
        "index_version": p.index_version if p else None,
        "output": str(Path(output).resolve()) if output else None,
    }


@contextlib.contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def _when(line: str) -> datetime | None:
    try:
        return datetime.fromisoformat(json.loads(line)["when"])
    except (ValueError, KeyError, TypeError):
        return None


def _prune_locked(path: Path, retention_days: int, now: datetime) -> int:
    if retention_days <= 0:
        return 0
    cutoff = now - timedelta(days=retention_days)
    with path.open(encoding="utf-8") as fh:
        first = fh.readline()
    when = _when(first) if first else None
    if when is None or when >= cutoff:
        return 0
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # an unreadable line is kept: the log is evidence, it is never dropped for its form
    keep = [ln for ln in lines if ln.strip() and ((_when(ln) or cutoff) >= cutoff)]
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.writelines(keep)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return len(lines) - len(keep)


def record(settings: Settings, event: str, draft: Draft, *, output: Path | str | None = None) -> Path | None:
    """Append one entry; returns the log's path (None when the audit log is off)."""
    if not settings.audit.enabled:
        return None
    path = settings.audit_path()
    now = _now()
    line = json.dumps(entry_for(event, draft, output=output, when=now), ensure_ascii=False) + "\n"
    with _locked(path) as fd:
        _prune_locked(path, settings.audit.retention_days, now)
        # the prune may have replaced the file: append to the path, not the descriptor we locked
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        del fd
    return path


def read_entries(path: Path) -> list[dict]:
    """Every entry of the log (an unreadable line is returned as ``{"unreadable": line}``)."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append({"unreadable": line})
    return out


def write_csv(entries: list[dict], out: Path) -> int:
    """The entries as CSV (lists joined with ``;``, prompts as ``name:sha256``); returns the row count."""

    def cell(key: str, value) -> str:
        if value is None:
            return ""
        if key == "prompts":
            return "; ".join(f"{p.get('name')}:{p.get('sha256')}" for p in value)
        if isinstance(value, list):
            return "; ".join(str(v) for v in value)
        return str(value)

    with Path(out).open("w", encoding="utf-8-sig", newline="") as fh:  # utf-8-sig: Excel reads æøå
        w = csv.writer(fh, delimiter=";")
        w.writerow(CSV_COLUMNS)
        for e in entries:
            w.writerow([cell(k, e.get(k)) for k in CSV_COLUMNS])
    return len(entries)
