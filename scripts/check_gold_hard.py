"""Check a gold file in the harder format (evals/gold/hard.jsonl; see evals/README.md, "The harder gold set").

    python scripts/check_gold_hard.py [FILE]          # default evals/gold/hard.jsonl

Checks the shape of every item (fields, types, tags, sub-question objects, the flat lists derived
from the sub-questions), and that every gold passage, relevant string and fact string occurs in one
of the item's gold documents after whitespace collapsing and rejoining words hyphenated across a
line break. Documents are looked up where the eval runner looks for them: ``../shared/seeds`` and
``../shared/corpus-extra`` for corpus "shared", ``corpus/`` for corpus "sample". When ``../shared``
is absent the occurrence check of shared items is skipped and said so.

Prints the counts per tag and the problems; exits 1 when there are problems. Standard library only,
so it does not depend on (or import) the assistant package.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO / "evals" / "gold" / "hard.jsonl"

TAGS = ("table", "multi", "prior", "unanswerable", "paraphrase")
ASKS = ("figure", "list", "date", "yesno", "explain", "prior")
MIN_PER_TAG = {"table": 20, "multi": 15, "prior": 10, "unanswerable": 10, "paraphrase": 15}
MIN_ITEMS = 64
MIN_DEPENDENT = 4
# Multi-part items where a later ask depends on the subject of an earlier one ("hvilke bevillinger forvaltningen
# anbefaler at videreføre, og hvor meget de koster"): the later sub-question's text must carry that subject itself.
DEPENDENT_IDS = (
    "t03_viderefoeres_og_beloeb",
    "t04_politisk_og_stoerste",
    "t05_ikke_viderefoert_og_beloeb",
    "m05_frb_brobygning_hvem_og_pris",
    "s01_anbefalet_og_pris",
)

# field -> (types, required)
FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "id": ((str,), True),
    "corpus": ((str,), True),
    "question": ((str,), True),
    "asker": ((str, type(None)), True),
    "date": ((str, type(None)), True),
    "gold_answer": ((str, type(None)), True),
    "gold_docs": ((list,), True),
    "gold_passages": ((list,), True),
    "must_have": ((list,), True),
    "answerable": ((bool,), True),
    "exclude": ((list,), True),
    "tags": ((list,), True),
    "holdout": ((bool,), True),
    "sub_questions": ((list,), True),
}
SUB_FIELDS = {"text", "subject", "ask", "answerable", "facts", "relevant"}

_HYPHEN_BREAK = re.compile(r"(\w)-[ \t]*\n\s*(\w)")
_FIRST_PERSON = re.compile(r"\b(jeg|mig|min|mit|mine|vi|os|vores)\b", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def collapse(text: str) -> str:
    return " ".join(text.split())


def normalised(raw: str) -> str:
    """The text a gold string is matched against: hyphenated line breaks rejoined, whitespace collapsed."""
    return collapse(_HYPHEN_BREAK.sub(r"\1\2", raw))


def corpus_dirs(corpus: str, repo: Path = REPO) -> list[Path]:
    if corpus == "shared":
        return [repo.parent / "shared" / "seeds", repo.parent / "shared" / "corpus-extra"]
    return [repo / "corpus"]


def load_items(path: Path) -> list[dict]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            obj = json.loads(line)
            obj["_line"] = n
            items.append(obj)
    return items


def _words(s: str) -> int:
    return len(s.split())


def check_shape(items: list[dict]) -> list[str]:
    """Format problems, each naming the item (no document access needed)."""
    problems: list[str] = []
    seen: set[str] = set()
    for it in items:
        where = f"line {it['_line']} ({it.get('id', '?')})"
        for name, (types, required) in FIELDS.items():
            if name not in it:
                if required:
                    problems.append(f"{where}: missing field {name!r}")
                continue
            if not isinstance(it[name], types):
                problems.append(f"{where}: field {name!r} has type {type(it[name]).__name__}")
        unknown = set(it) - set(FIELDS) - {"_line"}
        if unknown:
            problems.append(f"{where}: unknown field(s) {sorted(unknown)}")
        if problems and problems[-1].startswith(where):
            continue
        if it["id"] in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(it["id"])
        if it["corpus"] not in ("shared", "sample"):
            problems.append(f"{where}: corpus {it['corpus']!r}")
        if it["date"] is not None and not _DATE.match(it["date"]):
            problems.append(f"{where}: date {it['date']!r} is not ISO")
        if (it["asker"] is None) != (it["date"] is None):
            problems.append(f"{where}: asker and date are both set or both null")
        if it["asker"] is not None and it["asker"] not in it["question"]:
            problems.append(f"{where}: asker not named in the question's framing")
        bad_tags = [t for t in it["tags"] if t not in TAGS]
        if bad_tags or not it["tags"] or len(set(it["tags"])) != len(it["tags"]):
            problems.append(f"{where}: tags {it['tags']}")
        for name in ("gold_docs", "gold_passages", "must_have", "exclude"):
            if not all(isinstance(v, str) and v.strip() for v in it[name]):
                problems.append(f"{where}: {name} must hold non-empty strings")
        subs = it["sub_questions"]
        if not subs:
            problems.append(f"{where}: no sub_questions")
            continue
        facts_all: list[str] = []
        for k, sq in enumerate(subs, start=1):
            sw = f"{where} sub {k}"
            if not isinstance(sq, dict) or set(sq) != SUB_FIELDS:
                problems.append(f"{sw}: needs exactly the fields {sorted(SUB_FIELDS)}")
                continue
            if not isinstance(sq["text"], str) or not sq["text"].strip().endswith("?"):
                problems.append(f"{sw}: text must be a question")
            elif _FIRST_PERSON.search(sq["text"]):
                problems.append(f"{sw}: text is not in neutral form (first person)")
            if sq["ask"] not in ASKS:
                problems.append(f"{sw}: ask {sq['ask']!r}")
            if not isinstance(sq["answerable"], bool):
                problems.append(f"{sw}: answerable must be bool")
            if not (
                isinstance(sq["subject"], list) and sq["subject"] and all(isinstance(s, str) for s in sq["subject"])
            ):
                problems.append(f"{sw}: subject must be a non-empty list of strings")
            else:
                missing = [s for s in sq["subject"] if s.lower() not in sq["text"].lower()]
                if missing:  # self-contained: the text carries its own subject
                    problems.append(f"{sw}: subject {missing} not named in its text")
            if not all(isinstance(f, dict) and set(f) == {"text", "claim"} for f in sq["facts"]):
                problems.append(f"{sw}: facts must be objects {{text, claim}}")
                continue
            for r in sq["relevant"]:
                if not 3 <= _words(r) <= 25:
                    problems.append(f"{sw}: relevant string of {_words(r)} words: {r!r}")
            if sq["answerable"]:
                if not sq["facts"] or not sq["relevant"]:
                    problems.append(f"{sw}: an answerable part needs facts and relevant strings")
            elif sq["facts"] or sq["relevant"]:
                problems.append(f"{sw}: an unanswerable part has facts=[] and relevant=[]")
            facts_all += [f["text"] for f in sq["facts"]]
        if any(not isinstance(sq, dict) or set(sq) != SUB_FIELDS for sq in subs):
            continue
        answerable = any(sq["answerable"] for sq in subs)
        if it["answerable"] != answerable:
            problems.append(f"{where}: answerable must be {answerable} (any sub-question answerable)")
        if it["must_have"] != list(dict.fromkeys(facts_all)):
            problems.append(f"{where}: must_have must list every fact text of the sub-questions, in order")
        if answerable and (not it["gold_docs"] or not it["gold_passages"]):
            problems.append(f"{where}: an answerable item needs gold_docs and gold_passages")
        if not answerable and (it["gold_docs"] or it["gold_passages"] or it["must_have"]):
            problems.append(f"{where}: an unanswerable item has empty gold_docs, gold_passages, must_have")
        for gp in it["gold_passages"]:
            if not 5 <= _words(gp) <= 15:
                problems.append(f"{where}: gold passage of {_words(gp)} words: {gp!r}")
        tags = set(it["tags"])
        if ("multi" in tags) != (len(subs) > 1):
            problems.append(f"{where}: tag 'multi' iff more than one sub-question")
        if ("unanswerable" in tags) != any(not sq["answerable"] for sq in subs):
            problems.append(f"{where}: tag 'unanswerable' iff some sub-question is unanswerable")
        if ("prior" in tags) != any(sq["ask"] == "prior" for sq in subs):
            problems.append(f"{where}: tag 'prior' iff some sub-question asks for an earlier answer")
    return problems


def check_counts(items: list[dict]) -> list[str]:
    problems = []
    counts = tag_counts(items)
    if len(items) < MIN_ITEMS:
        problems.append(f"{len(items)} items, want >= {MIN_ITEMS}")
    for tag, n in MIN_PER_TAG.items():
        if counts.get(tag, 0) < n:
            problems.append(f"tag {tag!r}: {counts.get(tag, 0)} items, want >= {n}")
    multi = {it["id"] for it in items if "multi" in it["tags"]}
    dependent = [i for i in DEPENDENT_IDS if i in multi]
    if len(dependent) < MIN_DEPENDENT or len(dependent) != len(DEPENDENT_IDS):
        problems.append(f"dependent multi-part items {dependent}, want all of {DEPENDENT_IDS} (>= {MIN_DEPENDENT})")
    holdout = sum(1 for it in items if it.get("holdout"))
    if not 0.25 <= holdout / max(len(items), 1) <= 0.42:
        problems.append(f"{holdout} of {len(items)} items are holdout, want about a third")
    for tag in TAGS:
        if counts.get(tag) and not any(it.get("holdout") and tag in it["tags"] for it in items):
            problems.append(f"no holdout item carries tag {tag!r}")
    return problems


def tag_counts(items: list[dict]) -> Counter:
    return Counter(t for it in items for t in it.get("tags", []))


def check_occurrences(items: list[dict], repo: Path = REPO) -> tuple[list[str], list[str]]:
    """(problems, skipped corpora). Every gold passage, relevant and fact string must occur in a gold doc."""
    problems: list[str] = []
    skipped: list[str] = []
    cache: dict[tuple[str, str], str | None] = {}

    def text_of(corpus: str, name: str) -> str | None:
        key = (corpus, name)
        if key not in cache:
            cache[key] = None
            for d in corpus_dirs(corpus, repo):
                if (d / name).is_file():
                    cache[key] = normalised((d / name).read_text(encoding="utf-8"))
                    break
        return cache[key]

    for it in items:
        corpus = it["corpus"]
        if not all(d.is_dir() for d in corpus_dirs(corpus, repo)):
            if corpus not in skipped:
                skipped.append(corpus)
            continue
        where = f"line {it['_line']} ({it['id']})"
        docs = {}
        for name in it["gold_docs"] + it["exclude"]:
            t = text_of(corpus, name)
            if t is None:
                problems.append(f"{where}: document {name!r} not found in {corpus} corpus")
            elif name in it["gold_docs"]:
                docs[name] = t
        strings = [("gold passage", s) for s in it["gold_passages"]]
        for sq in it["sub_questions"]:
            strings += [("relevant", s) for s in sq.get("relevant", [])]
            strings += [("fact", f["text"]) for f in sq.get("facts", []) if isinstance(f, dict)]
        for kind, s in strings:
            if not any(collapse(s) in t for t in docs.values()):
                problems.append(f"{where}: {kind} not in any gold doc: {s!r}")
    return problems, skipped


def main(argv: list[str]) -> int:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_FILE
    items = load_items(path)
    problems = check_shape(items)
    problems += check_counts(items) if not problems else []
    occ, skipped = check_occurrences(items) if not problems else ([], [])
    problems += occ
    counts = tag_counts(items)
    holdout = sum(1 for it in items if it.get("holdout"))
    print(f"{path}: {len(items)} items, {holdout} holdout")
    print("by corpus: " + ", ".join(f"{c} {n}" for c, n in sorted(Counter(it["corpus"] for it in items).items())))
    for tag in TAGS:
        ho = sum(1 for it in items if tag in it.get("tags", []) and it.get("holdout"))
        print(f"  {tag:13s} {counts.get(tag, 0):3d}  (holdout {ho})")
    subs = [sq for it in items for sq in it.get("sub_questions", []) if isinstance(sq, dict)]
    print(
        f"sub-questions: {len(subs)} ({sum(1 for s in subs if not s.get('answerable'))} unanswerable); "
        f"facts: {sum(len(s.get('facts', [])) for s in subs)}; "
        f"dependent multi items: {len(DEPENDENT_IDS)}"
    )
    for c in skipped:
        print(f"SKIPPED occurrence check for corpus {c!r}: its documents are absent ({corpus_dirs(c)[0].parent})")
    for p in problems:
        print("PROBLEM:", p)
    print("OK" if not problems else f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
