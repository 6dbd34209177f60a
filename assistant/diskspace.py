"""Why a write failed for lack of room or rights, in words an officer can act on (no heavy imports)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["disk_problem"]

_DISK_WORDS = ("disk is full", "no space", "database or disk", "compaction", "readonly", "read-only", "errno 28",
               "errno 30", "backfill")  # fmt: skip


def disk_problem(path: Path, error: BaseException | None = None) -> str | None:
    """Why writing under ``path`` fails for lack of room or rights (Danish, naming the folder), or None.

    Looks at the error (ENOSPC, EROFS, SQLite's "database or disk is full", Chroma's failed compaction)
    and at the disk itself (free space, a read-only mount).
    """
    import errno
    import shutil

    p = Path(path)
    while not p.exists() and p != p.parent:
        p = p.parent
    chain, e = [], error
    while e is not None and len(chain) < 5:
        chain.append(e)
        e = e.__cause__ or e.__context__
    codes = {getattr(x, "errno", None) for x in chain}
    text = " ".join(f"{type(x).__name__}: {x}" for x in chain).lower()
    try:
        du = shutil.disk_usage(p)
        free = f"{du.free / 1e6:,.1f} MB fri af {du.total / 1e6:,.0f} MB"
        low = du.free < 20_000_000 or du.free < 0.005 * du.total
    except OSError:
        du, free, low = None, "ukendt ledig plads", False
    try:
        readonly = bool(os.statvfs(p).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):
        readonly = False
    if readonly or errno.EROFS in codes or errno.EACCES in codes and not low:
        return f"mappen {p} er skrivebeskyttet (eller du har ikke skriveadgang); {free}"
    if errno.ENOSPC in codes or low or (error is not None and any(w in text for w in _DISK_WORDS)):
        return f"disken med {p} er fuld ({free})"
    return None
