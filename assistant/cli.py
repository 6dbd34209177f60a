"""Command line: thin. Parses arguments, calls the core, prints. Heavy imports happen inside commands."""

from __future__ import annotations

import argparse
import json
import os
import sys
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


def _err(msg: str) -> None:
    print(f"fejl: {msg}", file=sys.stderr)


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

    def progress(n: int, total: int, name: str) -> None:
        if show and total > 5:
            width = 30
            done = int(width * n / total)
            print(f"\r[{'#' * done}{'.' * (width - done)}] {n}/{total} {name[:40]:<40}", end="", file=sys.stderr)
            if n == total:
                print(file=sys.stderr)

    try:
        rep = ingest([Path(p) for p in args.paths], s, prune=args.prune, progress=progress)
    except Exception as e:
        from .store import StoreError

        if isinstance(e, StoreError | OSError):
            _err(str(e))
            return 2
        raise
    print(
        f"{len(rep.added)} tilføjet, {len(rep.updated)} opdateret, {len(rep.unchanged)} uændret, "
        f"{len(rep.removed)} fjernet, {len(rep.failed)} fejlet; {rep.passages} passager på {rep.seconds:.1f} s "
        f"(indeks: {s.index_dir})"
    )
    if rep.swept:
        print(f"{rep.swept} forældede passager fra en afbrudt indeksering er fjernet", file=sys.stderr)
    from .safety import flag_note

    for cid, flag in rep.flagged:
        print(f"advarsel: passage {cid} markeret '{flag}' ({flag_note([flag])})", file=sys.stderr)
    for path, reason in rep.skipped:
        print(f"sprunget over: {path}: {reason}", file=sys.stderr)
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
    hits = sr.search(args.query, args.k, filters=_filters(args))
    if args.json:
        from .retrieve import hits_to_json

        print(hits_to_json(hits))
        return 0
    if not hits:
        print("ingen resultater")
        return 0
    for i, h in enumerate(hits, 1):
        where = " / ".join(h.passage.heading_path) or "-"
        page = f", side {h.passage.page}" if h.passage.page else ""
        ranks = " ".join(f"{k}#{v}" for k, v in sorted(h.ranks.items()))
        print(f"{i}. {h.meta.title[:70]}  [{h.meta.kind.value}, {h.meta.date or 'u.d.'}{page}]")
        print(
            f"   {Path(h.meta.source_path).name} · {where[:60]} · score {h.score:.2f} · relevans {h.relevance:.2f} · {ranks}"
        )
        snippet = " ".join(h.passage.text.split())
        print(f"   {snippet[:240]}{'…' if len(snippet) > 240 else ''}")
    return 0


def _read_question(args) -> str:
    src = args.question
    if src in (None, "-"):
        if sys.stdin.isatty():
            raise SystemExit("fejl: giv spørgsmålet som tekst, som fil (.txt/.md/.docx) eller på stdin")
        return sys.stdin.read()
    p = Path(src)
    if p.suffix.lower() in {".txt", ".md", ".docx"} and p.exists():
        if p.suffix.lower() == ".docx":
            from .documents import read_document

            return read_document(p).text
        return p.read_text(encoding="utf-8")
    return src


def cmd_draft(args) -> int:
    from .draft import DraftError, draft_answer
    from .question import parse_question

    s = _settings(args, llm__model=args.model, draft__fallback=args.fallback, draft__case_officer=args.case_officer)
    raw = _read_question(args)
    q = parse_question(raw)
    for field in ("asker", "party", "addressee"):
        if getattr(args, field, None):
            setattr(q, field, getattr(args, field))
    if args.date:
        from .danish import parse_date

        q.date_asked = parse_date(args.date) or args.date
    if s.llm.model and s.llm.split_with_llm and args.drafter != "offline":
        from .draft import propose_split
        from .llm import LLMError

        try:
            q.sub_questions = propose_split(q, s)
        except LLMError as e:
            _err(f"{e}; the rule-based split is used")
    sr = _searcher(s)
    try:
        draft = draft_answer(
            q,
            sr,
            s,
            drafter=args.drafter,
            filters=_filters(args),
            stream=None if args.json else (lambda t: print(t, end="", flush=True, file=sys.stderr)),
        )
    except DraftError as e:
        _err(str(e))
        return 2
    from .cite import summary

    if args.save:
        Path(args.save).write_text(draft.model_dump_json(indent=2), encoding="utf-8")
    if args.json:
        print(draft.model_dump_json(indent=2))
    else:
        from .render import render_text

        print(render_text(draft))
        sm = summary(draft)
        print(
            f"\n— {sm['sentences']} sætninger: {sm['verified']} verificeret, {sm['unverified']} ikke verificeret, "
            f"{sm['uncited']} uden kilde · tal verificeret {sm['numbers_verified']}/{sm['numbers_stated']}",
            file=sys.stderr,
        )
    if args.output:
        from .export import ExportError, export_docx

        try:
            out = export_docx(
                draft,
                Path(args.output),
                template=s.export.template,
                force=args.force,
                citation_style=s.export.citation_style,
            )
        except ExportError as e:
            _err(str(e))
            if not args.save:
                keep = Path(args.output).with_suffix(".draft.json")
                keep.write_text(draft.model_dump_json(indent=2), encoding="utf-8")
                _err(f"udkastet er gemt i {keep}")
            return 2
        print(f"eksporteret: {out}", file=sys.stderr)
    return 0


def cmd_export(args) -> int:
    from .export import ExportError, export_docx
    from .models import Draft

    s = _settings(args)
    try:
        draft = Draft.model_validate_json(Path(args.draft).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        _err(f"{args.draft}: kan ikke læses som udkast ({type(e).__name__})")
        return 2
    fields = dict(kv.split("=", 1) for kv in args.field or [])
    try:
        out = export_docx(
            draft,
            Path(args.output),
            template=Path(args.template) if args.template else s.export.template,
            force=args.force,
            fields=fields,
            citation_style=s.export.citation_style,
        )
    except ExportError as e:
        _err(str(e))
        return 2
    print(f"eksporteret: {out}")
    return 0


def cmd_evals(args) -> int:
    from .evaluation import main as evals_main

    return evals_main(args, _settings(args))


def cmd_tui(args) -> int:
    from .tui.app import run

    return run(_settings(args), resume=args.resume)


def cmd_demo(args) -> int:
    """Ingest the sample corpus and draft the sample question: the README's main job."""
    root = Path(__file__).resolve().parent.parent
    corpus = root / "corpus"
    if not corpus.exists():
        _err(f"sample corpus not found at {corpus}")
        return 2
    ns = argparse.Namespace(**vars(args))
    # the documents, not the sample questions in corpus/questions/
    docs = [str(p) for p in sorted(corpus.iterdir()) if p.is_file()]
    ns.paths, ns.prune, ns.quiet = docs, True, False
    rc = cmd_ingest(ns)
    if rc not in (0,):
        return rc
    q = sorted((root / "corpus" / "questions").glob("*.txt"))[0]
    ns.question = str(q)
    for k in (
        "asker",
        "party",
        "addressee",
        "date",
        "model",
        "fallback",
        "case_officer",
        "save",
        "output",
        "kind",
        "authority",
        "since",
        "until",
        "exclude",
    ):
        setattr(ns, k, getattr(ns, k, None))
    ns.drafter, ns.json, ns.force = "offline", False, False
    print(f"\n=== Udkast til svar på {q.relative_to(root)} ===\n")
    return cmd_draft(ns)


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
        choices=["prior_answer", "budget_note", "decision", "minutes", "other"],
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
    p.add_argument("-k", type=int, default=None, help="number of passages (default: retrieval.top_k)")
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
    p.add_argument("--gold", action="append", help="gold set file(s) (default: evals/gold/*.jsonl)")
    p.add_argument("--json", metavar="OUT", help="write metrics and per-question results as JSON")
    p.add_argument("--report", metavar="DIR", help="write a Markdown report with plots")
    p.add_argument("--no-baselines", action="store_true", help="skip the ablation runs")
    p.add_argument("--no-gate", action="store_true", help="do not fail on thresholds")
    p.set_defaults(func=cmd_evals)

    p = sub.add_parser("tui", parents=[common], help="the case officer's terminal app")
    p.add_argument("--resume", nargs="?", const="latest", help="reopen the latest (or a named) autosaved draft")
    p.set_defaults(func=cmd_tui)

    p = sub.add_parser("demo", parents=[common], help="ingest the sample corpus and draft the sample question")
    p.set_defaults(func=cmd_demo)

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
    except (ConfigError, StoreError) as e:
        _err(str(e))
        return 2
    except KeyboardInterrupt:
        _err("afbrudt")
        return 130


if __name__ == "__main__":
    sys.exit(main())
