"""The store of record (Chroma) and the manifest. The only module that imports chromadb.

Two Chroma collections per index, both named after ``Settings.vector_key()`` so
vectors made under other chunking or embedding settings are never reused:

* ``<prefix>-<key>``: one record per passage (embedding, text, metadata);
* ``<prefix>-<key>-manifest``: one record per document (its metadata as JSON
  and the sha256 of the file it came from).

A passage is live only when its document's manifest entry carries the same
sha256. Ingest writes a changed document's new passages first, then switches
the manifest entry, then deletes the old passages, so a reader never sees a
half-written document: it sees the old version or the new one.

The embedded default is ``PersistentClient`` in ``index_dir/chroma``; setting
``store.url`` switches to ``HttpClient`` with no change anywhere else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from .config import Settings
from .diskspace import disk_problem
from .documents import READER_VERSION
from .models import DocumentMeta, Passage, RowContext

_DISK_ADVICE = (
    "Intet gemt er tabt: frigør plads eller gør mappen skrivbar (eller flyt indekset, index_dir), og kør igen"
)


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message says which and how to fix it."""


class LockedError(StoreError):
    pass


@dataclass
class ManifestEntry:
    meta: DocumentMeta
    n_passages: int
    reader: int = 0  # documents.READER_VERSION that cleaned and chunked it (0: written before it was kept)


STORE_FORMAT = 1  # layout of our collections inside Chroma; bump when it changes
MARKER = "assistant-store.json"  # beside chroma.sqlite3: who wrote this index
_REBUILD = (
    "move the folder aside (or delete it) and run `assistant ingest` again to rebuild it, "
    "or restore it from a backup; the source files are not affected"
)


def _version_tuple(v: str) -> tuple[int, int]:
    parts = (v.split(".") + ["0", "0"])[:2]
    return tuple(int("".join(ch for ch in x if ch.isdigit()) or 0) for x in parts)  # type: ignore[return-value]


def check_index_dir(path: Path, chroma_version: str) -> None:
    """Refuse a damaged or foreign embedded index before Chroma touches it (it may migrate or crash on one).

    Checks that ``chroma.sqlite3`` is an SQLite file and that the marker written when the index was
    created names a Chroma of the same major version, not newer than the installed one, and our layout.
    """
    db = path / "chroma.sqlite3"
    marker = path / MARKER
    if db.exists():
        try:
            with open(db, "rb") as fh:
                head = fh.read(16)
        except OSError as e:
            raise StoreError(f"cannot open index {path}: cannot read {db.name} ({e.strerror or e})") from None
        if head != b"SQLite format 3\x00" and (head or marker.exists()):
            raise StoreError(f"cannot open index {path}: {db.name} is damaged (not an SQLite database); {_REBUILD}")
    elif marker.exists():
        raise StoreError(f"cannot open index {path}: {db.name} is missing; {_REBUILD}")
    if not marker.exists():
        return
    try:
        info = json.loads(marker.read_text(encoding="utf-8"))
        written = str(info["chromadb"])
        fmt = int(info.get("format", 0))
    except (OSError, ValueError, KeyError, TypeError):
        raise StoreError(f"cannot open index {path}: {MARKER} is damaged; {_REBUILD}") from None
    have, made = _version_tuple(chroma_version), _version_tuple(written)
    if made[0] != have[0] or made > have:
        raise StoreError(
            f"cannot open index {path}: it was written by chromadb {written}, installed is {chroma_version}; "
            f"install chromadb {written} (see constraints.txt), or {_REBUILD}"
        )
    if fmt != STORE_FORMAT:
        raise StoreError(
            f"cannot open index {path}: index layout {fmt} is not this version's ({STORE_FORMAT}); {_REBUILD}"
        )


def _write_marker(path: Path, chroma_version: str) -> None:
    marker = path / MARKER
    if marker.exists():
        return
    tmp = marker.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"chromadb": chroma_version, "format": STORE_FORMAT}), encoding="utf-8")
        os.replace(tmp, marker)
    except OSError:
        pass  # a read-only index still opens; it is only checked less


def _chroma_settings(**extra):
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False, **extra)


class Store:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.key = settings.vector_key()
        self.name = f"{settings.store.collection_prefix}-{self.key}"
        self._client = None
        self._chunks = None
        self._manifest = None

    # -- connection -------------------------------------------------------
    @property
    def location(self) -> str:
        return self.settings.store.url or str(self.settings.index_dir / "chroma")

    def _connect(self):
        if self._client is not None:
            return self._client
        os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
        import chromadb

        url = self.settings.store.url
        try:
            if url:
                u = urlparse(url)
                if u.scheme not in ("http", "https") or not u.hostname:
                    raise ValueError("expected http://HOST:PORT or https://HOST[:PORT]")
                headers = {}
                if self.settings.store.token is not None:
                    headers["Authorization"] = f"Bearer {self.settings.store.token.get_secret_value()}"
                https = u.scheme == "https"
                self._client = chromadb.HttpClient(
                    host=u.hostname,
                    port=u.port or (443 if https else 8000),
                    ssl=https,
                    headers=headers or None,
                    # store.tls_verify=false accepts a self-signed certificate (test setups only)
                    settings=_chroma_settings(
                        **({"chroma_server_ssl_verify": self.settings.store.tls_verify} if https else {})
                    ),
                )
                self._client.heartbeat()
            else:
                path = self.settings.index_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                check_index_dir(path, chromadb.__version__)
                self._client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
                _write_marker(path, chromadb.__version__)
        except StoreError:
            raise
        except Exception as e:  # chroma raises many kinds; all mean the same to the user
            disk = None if url else disk_problem(path, e)
            if disk:
                raise StoreError(
                    f"cannot open index {path}: {disk}. {_DISK_ADVICE} ({type(e).__name__}: {str(e)[:200]})"
                ) from None
            where = f"Chroma server {url} (setting store.url / ASSISTANT_STORE_URL)" if url else f"index {path}"
            detail = f"{type(e).__name__}: {e}"
            inner = e.__cause__ or e.__context__  # chroma hides TLS and refused-connection reasons here
            if inner is not None and str(inner) not in detail:
                detail += f" ({type(inner).__name__}: {inner})"
            hint = "" if url else f"; if the index is damaged, {_REBUILD}"
            raise StoreError(f"cannot open {where}: {detail}{hint}") from None
        return self._client

    def _failed(self, e: Exception, what: str) -> StoreError:
        if isinstance(e, StoreError):
            return e
        disk = None if self.settings.store.url else disk_problem(Path(self.location), e)
        if disk:
            return StoreError(
                f"cannot {what} index {self.location}: {disk}. {_DISK_ADVICE} ({type(e).__name__}: {str(e)[:200]})"
            )
        where = f"Chroma server {self.settings.store.url}" if self.settings.store.url else f"index {self.location}"
        hint = "" if self.settings.store.url else f"; if the index is damaged, {_REBUILD}"
        return StoreError(f"cannot {what} {where}: {type(e).__name__}: {str(e)[:300]}{hint}")

    @property
    def chunks(self):
        if self._chunks is None:
            client = self._connect()
            try:
                self._chunks = client.get_or_create_collection(
                    self.name, metadata={"hnsw:space": "cosine"}, embedding_function=None
                )
            except Exception as e:
                raise self._failed(e, "open the passages of") from None
        return self._chunks

    @property
    def manifest_collection(self):
        if self._manifest is None:
            client = self._connect()
            try:
                self._manifest = client.get_or_create_collection(self.name + "-manifest", embedding_function=None)
            except Exception as e:
                raise self._failed(e, "open the manifest of") from None
        return self._manifest

    # -- manifest ---------------------------------------------------------
    def manifest(self) -> dict[str, ManifestEntry]:
        coll = self.manifest_collection
        try:
            got = coll.get(include=["documents", "metadatas"])
        except Exception as e:
            raise self._failed(e, "read the manifest of") from None
        out: dict[str, ManifestEntry] = {}
        for doc_id, doc, md in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], strict=False):
            out[doc_id] = ManifestEntry(
                DocumentMeta.model_validate_json(doc),
                int((md or {}).get("n_passages", 0)),
                int((md or {}).get("reader", 0)),
            )
        return out

    @staticmethod
    def version_of(manifest: dict[str, ManifestEntry]) -> str:
        h = hashlib.sha256()
        for doc_id in sorted(manifest):
            e = manifest[doc_id]
            # the reader is part of it: a file read again by a newer reader changes the index's version,
            # so the lexical index and the passage cache built on the old text are rebuilt
            h.update(f"{doc_id}:{e.meta.sha256}:{e.reader}:{e.meta.model_dump_json()}\n".encode())
        return h.hexdigest()[:16]

    # -- writes -----------------------------------------------------------
    def put_document(self, meta: DocumentMeta, passages: list[Passage], embeddings: list[list[float]]) -> None:
        """Write a document's passages, switch its manifest entry, then drop its old passages."""
        self.put_passages(meta, passages, embeddings)
        self.commit_document(meta, passages)

    def put_passages(self, meta: DocumentMeta, passages: list[Passage], embeddings: list[list[float]]) -> None:
        """Write passages of a document version that is not live yet (its manifest entry is switched by
        ``commit_document``): readers skip them, and an interrupted ingest finds their vectors again."""
        try:
            bs = max(1, min(self.settings.store.batch_size, 5000))
            for i in range(0, len(passages), bs):
                batch = passages[i : i + bs]
                self.chunks.upsert(
                    ids=[p.chunk_id for p in batch],
                    embeddings=embeddings[i : i + bs],
                    documents=[p.text for p in batch],
                    metadatas=[_passage_metadata(p, meta) for p in batch],
                )
        except Exception as e:
            raise self._failed(e, "write to the") from None

    def commit_document(self, meta: DocumentMeta, passages: list[Passage]) -> None:
        """Make the written passages the live version of the document, then drop the others."""
        try:
            bs = max(1, min(self.settings.store.batch_size, 5000))
            self.manifest_collection.upsert(
                ids=[meta.doc_id],
                embeddings=[[1.0]],
                documents=[meta.model_dump_json()],
                metadatas=[
                    {
                        "sha256": meta.sha256,
                        "n_passages": len(passages),
                        "source_path": meta.source_path,
                        "reader": READER_VERSION,
                    }
                ],
            )
            keep = {p.chunk_id for p in passages}
            old = self.chunks.get(where={"doc_id": meta.doc_id}, include=[])["ids"]
            stale = [i for i in old if i not in keep]
            for i in range(0, len(stale), bs):
                self.chunks.delete(ids=stale[i : i + bs])
        except Exception as e:
            raise self._failed(e, "write to the") from None

    def orphans(self, manifest: dict[str, ManifestEntry] | None = None, batch: int = 5000) -> list[str]:
        """Chunk ids of passages that no manifest entry names (left by a writer killed midway)."""
        try:
            manifest = self.manifest() if manifest is None else manifest
            live = {d: e.meta.sha256 for d, e in manifest.items()}
            found: list[str] = []
            total = self.chunks.count()
            for off in range(0, total, batch):
                got = self.chunks.get(include=["metadatas"], limit=batch, offset=off)
                for cid, md in zip(got["ids"], got["metadatas"], strict=True):
                    md = md or {}
                    if live.get(md.get("doc_id")) != md.get("sha256"):
                        found.append(cid)
            return found
        except Exception as e:
            raise self._failed(e, "read the") from None

    def sweep_orphans(self, manifest: dict[str, ManifestEntry] | None = None) -> int:
        """Delete the passages no manifest entry names; returns how many. Call only under ``write_lock``."""
        try:
            stale = self.orphans(manifest)
            for i in range(0, len(stale), 1000):
                self.chunks.delete(ids=stale[i : i + 1000])
            return len(stale)
        except Exception as e:
            raise self._failed(e, "write to the") from None

    def stored_vectors(self, doc_id: str) -> dict[str, list[float]]:
        """Vectors already stored for a document's passages (any version, live or half-written), by
        ``text_key`` of the text that was embedded (``tables.passage_text``): what ingest reuses instead
        of embedding the same text again."""
        from .tables import passage_text

        got = self.chunks.get(where={"doc_id": doc_id}, include=["documents", "metadatas", "embeddings"])
        embs = got.get("embeddings")
        if embs is None:
            return {}
        out = {}
        for cid, t, md, v in zip(got["ids"], got["documents"] or [], got["metadatas"] or [], embs, strict=True):
            # keyed on what was embedded: a table row's text with its caption and headers
            out[text_key(passage_text(_passage_from(cid, t, md)))] = list(map(float, v))
        return out

    def remove_document(self, doc_id: str) -> None:
        try:
            self.manifest_collection.delete(ids=[doc_id])
            ids = self.chunks.get(where={"doc_id": doc_id}, include=[])["ids"]
            for i in range(0, len(ids), 1000):
                self.chunks.delete(ids=ids[i : i + 1000])
        except Exception as e:
            raise self._failed(e, "write to the") from None

    # -- reads ------------------------------------------------------------
    def iter_passages(self, batch: int = 2000) -> Iterator[tuple[Passage, str]]:
        """Every stored passage with its document's sha256 (live or not; callers filter)."""
        try:
            total = self.chunks.count()
        except Exception as e:
            raise self._failed(e, "read the") from None
        for off in range(0, total, batch):
            try:
                got = self.chunks.get(include=["documents", "metadatas"], limit=batch, offset=off)
            except Exception as e:
                raise self._failed(e, "read the") from None
            for cid, text, md in zip(got["ids"], got["documents"], got["metadatas"], strict=True):
                yield _passage_from(cid, text, md), md.get("sha256", "")

    def dense_query(self, vector: list[float], n: int, count: int | None = None) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the nearest passages (``count``: the caller's known size, saves a call)."""
        try:
            count = self.chunks.count() if count is None else count
            if count == 0:
                return []
            got = self.chunks.query(query_embeddings=[vector], n_results=min(n, count), include=["distances"])
            return [(cid, 1.0 - d) for cid, d in zip(got["ids"][0], got["distances"][0], strict=True)]
        except Exception as e:
            raise self._failed(e, "search the") from None

    def embeddings(self, ids: list[str], batch: int = 2000):
        """Stored vectors of ``ids`` as a float32 matrix, rows in the order of ``ids``."""
        try:
            import numpy as np

            rows: dict[str, object] = {}
            for i in range(0, len(ids), batch):
                got = self.chunks.get(ids=ids[i : i + batch], include=["embeddings"])
                rows.update(zip(got["ids"], got["embeddings"], strict=True))
            dim = len(next(iter(rows.values()))) if rows else 0
            return np.array([rows[i] if i in rows else np.zeros(dim) for i in ids], dtype=np.float32).reshape(
                len(ids), dim
            )
        except Exception as e:
            raise self._failed(e, "read the") from None

    def count(self) -> int:
        try:
            return self.chunks.count()
        except Exception as e:
            raise self._failed(e, "read the") from None


def text_key(text: str) -> str:
    """Identity of a passage text for vector reuse (same collection = same embedder and chunking)."""
    return hashlib.sha256(text.encode()).hexdigest()


def _passage_metadata(p: Passage, meta: DocumentMeta) -> dict:
    return {
        "doc_id": p.doc_id,
        "sha256": meta.sha256,
        "ordinal": p.ordinal,
        "start": p.start,
        "end": p.end,
        "page": p.page if p.page is not None else -1,
        "heading_path": json.dumps(p.heading_path, ensure_ascii=False),
        "flags": ",".join(p.flags),
        "turns": json.dumps([t.model_dump() for t in p.turns], ensure_ascii=False) if p.turns else "",
        "kind": meta.kind.value,
        "date": meta.date or "",
        "table_row": p.table_row.model_dump_json() if p.table_row is not None else "",
    }


def _passage_from(cid: str, text: str, md: dict) -> Passage:
    page = md.get("page", -1)
    return Passage(
        chunk_id=cid,
        doc_id=md["doc_id"],
        ordinal=int(md.get("ordinal", 0)),
        text=text,
        start=int(md.get("start", 0)),
        end=int(md.get("end", 0)),
        heading_path=json.loads(md.get("heading_path") or "[]"),
        page=None if page in (-1, None) else int(page),
        flags=[f for f in (md.get("flags") or "").split(",") if f],
        turns=json.loads(md.get("turns") or "[]"),
        table_row=RowContext.model_validate_json(md["table_row"]) if md.get("table_row") else None,
    )


@contextlib.contextmanager
def write_lock(index_dir: Path):
    """One writer at a time per index directory; a second one is refused, not queued."""
    import fcntl

    path = index_dir / "write.lock"
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        fh = open(path, "a+")  # noqa: SIM115 (held for the lifetime of the lock)
    except OSError as e:
        why = disk_problem(index_dir, e) or f"{e.strerror or e}"
        raise StoreError(f"cannot write to index {index_dir}: {why}. {_DISK_ADVICE}") from None
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise LockedError(
            f"another ingest is writing to {index_dir} (lock {path}); wait for it to finish and run again"
        ) from None
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()
