"""Output of an eval run: the plain-text table, the Markdown report with plots, the comparison with an earlier run."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .gold import GoldError
from .metrics import DRAFT_METRICS, LOWER_IS_BETTER, OFFICER_METRICS, RETRIEVAL_METRICS
from .run import CONTEXT_K, RETRIEVAL_K, SYSTEMS


def _fmt(v: float | None, metric: str = "") -> str:
    if v is None:
        return "-"
    if "ms" in metric or metric.endswith("seconds") or metric.endswith("per_draft"):
        return f"{v:.1f}"
    return f"{v:.3f}"


def _bound(thresholds: Mapping[str, Mapping[str, float]], name: str) -> str:
    b = thresholds.get(name, {})
    parts = []
    if "min" in b:
        parts.append(f">= {b['min']:g}")
    if "max" in b:
        parts.append(f"<= {b['max']:g}")
    return ", ".join(parts)


def _set_names(result: Mapping[str, Any]) -> list[str]:
    return list(result["sets"])


def render_table(result: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]]) -> str:
    """Plain-text table: per set, retrieval metrics for every system, then the full system's draft metrics."""
    lines: list[str] = []
    systems = [s for s in SYSTEMS if s in result["baselines"]]
    for name in _set_names(result):
        info = result["sets"][name]
        c = info["counts"]
        lines.append(
            f"== {name}: {c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} unanswerable), "
            f"{info['index']['documents']} documents / {info['index']['passages']} passages, {info['seconds']:.1f} s =="
        )
        head = f"{'retrieval metric':<22}" + "".join(f"{s:>20}" for s in systems) + f"{'threshold':>14}"
        lines.append(head)
        for m in RETRIEVAL_METRICS:
            key = f"{name}.{m}"
            row = f"{m:<22}" + "".join(f"{_fmt(result['baselines'][s].get(key)):>20}" for s in systems)
            lines.append(row + f"{_bound(thresholds, key):>14}")
        lines.append(f"{'draft metric (full)':<22}{'value':>20}{'threshold':>20}")
        for m in DRAFT_METRICS:
            key = f"{name}.{m}"
            lines.append(f"{m:<22}{_fmt(result['metrics'].get(key), m):>20}{_bound(thresholds, key):>20}")
        lines.append(f"{'per sub-question':<28}{'value':>14}{'threshold':>20}")
        for m in OFFICER_METRICS:
            key = f"{name}.{m}"
            lines.append(f"{m:<28}{_fmt(result['metrics'].get(key), m):>14}{_bound(thresholds, key):>20}")
        lines.append(
            f"refusals: {c['correct_refusals']}/{c['unanswerable']} unanswerable refused, "
            f"{c['false_refusals']}/{c['answerable']} answerable refused; leaks of excluded files: {c['leaks']}"
        )
        lines.append("")
    for name, why in result.get("skipped", {}).items():
        lines.append(f"skipped {name}: {why}")
    if "llm" in result:
        llm = result["llm"]
        lines.append(
            f"LLM metrics: {llm['scored']}/{llm['requested']} questions, {llm['tokens']} tokens"
            f"{' (stopped by cap)' if llm['stopped_by_budget'] else ''}; NaNs {llm['nan']}"
        )
        for m, v in llm["means"].items():
            lines.append(f"  {m:<22}{_fmt(v):>10}")
    if "comparison" in result:
        cmp = result["comparison"]
        changed = [r for r in cmp["rows"] if r["verdict"] in ("better", "worse")]
        lines.append(f"compared with {cmp['source']} ({cmp.get('date') or '?'}): {len(changed)} metrics changed")
        for r in changed:
            lines.append(
                f"  {r['metric']:<44}{_fmt(r['old'], r['metric']):>10} -> {_fmt(r['new'], r['metric']):<10}{r['verdict']}"
            )
    lines.append(f"wall time: {result['wall_seconds']:.1f} s")
    return "\n".join(lines)


def write_report(result: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]], out_dir: Path) -> Path:
    """``report.md`` plus one PNG per set and metric group (metric vs thresholds and baselines)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    systems = [s for s in SYSTEMS if s in result["baselines"]]
    colors = {
        "bm25-nostem": "#bbbbbb",
        "bm25": "#8da0cb",
        "dense-only": "#fc8d62",
        "hybrid-no-compound": "#66c2a5",
        "full": "#1b5e20",
    }
    md = [
        "# Evaluation report",
        "",
        f"Run {result['date']} · wall time {result['wall_seconds']:.1f} s · drafter `{result['settings']['drafter']}` · "
        f"embedding `{result['settings']['embedding']}` · weights `{result['settings']['weights']}`.",
        "",
        "Retrieval metrics are computed for every system on the answerable questions (hit@k and MRR over the "
        f"top {RETRIEVAL_K}, recall and ragas context metrics over the top {CONTEXT_K}); draft metrics for the full "
        "system. Thresholds come from `evals/thresholds.toml`.",
        "",
    ]
    for name in _set_names(result):
        info = result["sets"][name]
        c = info["counts"]
        md += [
            f"## {name}",
            "",
            f"{c['questions']} questions ({c['answerable']} answerable, {c['unanswerable']} unanswerable); "
            f"{info['index']['documents']} documents, {info['index']['passages']} passages; {info['seconds']:.1f} s.",
            "",
            "| retrieval metric | " + " | ".join(systems) + " | threshold |",
            "|---|" + "---:|" * len(systems) + "---|",
        ]
        for m in RETRIEVAL_METRICS:
            key = f"{name}.{m}"
            cells = " | ".join(_fmt(result["baselines"][s].get(key)) for s in systems)
            md.append(f"| {m} | {cells} | {_bound(thresholds, key)} |")
        md += ["", "| draft metric (full system) | value | threshold |", "|---|---:|---|"]
        for m in DRAFT_METRICS:
            key = f"{name}.{m}"
            md.append(f"| {m} | {_fmt(result['metrics'].get(key), m)} | {_bound(thresholds, key)} |")
        md += ["", "| draft metric per sub-question (full system) | value | threshold |", "|---|---:|---|"]
        for m in OFFICER_METRICS:
            key = f"{name}.{m}"
            md.append(f"| {m} | {_fmt(result['metrics'].get(key), m)} | {_bound(thresholds, key)} |")
        md += [
            "",
            f"Refusals: {c['correct_refusals']} of {c['unanswerable']} unanswerable questions refused; "
            f"{c['false_refusals']} of {c['answerable']} answerable questions wrongly refused.",
            "",
        ]
        # plot 1: retrieval metrics per system, with the threshold of the full system
        fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=80)
        width = 0.8 / max(1, len(systems))
        for i, s in enumerate(systems):
            vals = [result["baselines"][s].get(f"{name}.{m}") or 0.0 for m in RETRIEVAL_METRICS]
            ax.bar([x + i * width for x in range(len(RETRIEVAL_METRICS))], vals, width, label=s, color=colors.get(s))
        for x, m in enumerate(RETRIEVAL_METRICS):
            lo = thresholds.get(f"{name}.{m}", {}).get("min")
            if lo is not None:
                ax.hlines(lo, x - width / 2, x + width * (len(systems) - 0.5), colors="red", linestyles="--", lw=1)
        ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(RETRIEVAL_METRICS))])
        ax.set_xticklabels(RETRIEVAL_METRICS, rotation=25, ha="right", fontsize=7)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{name}: retrieval (red dashes: minimum)", fontsize=9)
        ax.legend(fontsize=6, ncol=len(systems), loc="upper center", bbox_to_anchor=(0.5, -0.32))
        fig.tight_layout()
        png = f"{name}_retrieval.png"
        fig.savefig(out_dir / png)
        plt.close(fig)
        # plot 2: draft rates of the full system against their thresholds
        rates = [m for m in (*DRAFT_METRICS, *OFFICER_METRICS) if "ms" not in m and not m.endswith("per_draft")]
        fig, ax = plt.subplots(figsize=(9.5, 3.4), dpi=80)
        vals = [result["metrics"].get(f"{name}.{m}") for m in rates]
        ax.bar(range(len(rates)), [v or 0.0 for v in vals], 0.6, color=colors["full"])
        for x, m in enumerate(rates):
            b = thresholds.get(f"{name}.{m}", {})
            if "min" in b:
                ax.hlines(b["min"], x - 0.35, x + 0.35, colors="red", linestyles="--", lw=1)
            if "max" in b:
                ax.hlines(b["max"], x - 0.35, x + 0.35, colors="purple", linestyles=":", lw=1.5)
            if vals[x] is None:
                ax.text(x, 0.02, "n/a", ha="center", fontsize=6)
        ax.set_xticks(range(len(rates)))
        ax.set_xticklabels(rates, rotation=30, ha="right", fontsize=7)
        ax.set_ylim(0, 1.05)
        ax.set_title(f"{name}: draft, full system (red: minimum, purple: maximum)", fontsize=9)
        fig.tight_layout()
        png2 = f"{name}_draft.png"
        fig.savefig(out_dir / png2)
        plt.close(fig)
        md += [f"![{name} retrieval]({png})", "", f"![{name} draft]({png2})", ""]
        # the weakest answerable questions, so a reader knows where to look
        weak = [
            q
            for q in result["questions"]
            if q["set"] == name and q["answerable"] and (q["retrieval"]["full"].get("rank") or 99) > 3
        ]
        if weak:
            md += ["Answerable questions whose first gold passage is not in the full system's top 3:", ""]
            md += [
                f"- `{q['id']}`: rank {q['retrieval']['full'].get('rank') or '>' + str(RETRIEVAL_K)}; "
                f"top: {', '.join(q['retrieval']['full']['top_docs'][:3])}"
                for q in weak
            ]
            md.append("")
        md += tag_table(result, name)
        md += question_table(result, name)
    for name, why in result.get("skipped", {}).items():
        md += [f"Skipped `{name}`: {why}.", ""]
    if "comparison" in result:
        md += comparison_section(result["comparison"])
    md += thresholds_section(result, thresholds)
    if "llm" in result:
        llm = result["llm"]
        md += [
            "## LLM-judged metrics",
            "",
            f"{llm['scored']} of {llm['requested']} questions, {llm['tokens']} tokens, cost {llm['cost']}"
            f"{' (stopped by the cap)' if llm['stopped_by_budget'] else ''}. NaNs: {llm['nan']}.",
            "",
        ]
        md += [f"- {m}: {_fmt(v)}" for m, v in llm["means"].items()]
        md.append("")
    path = out_dir / "report.md"
    path.write_text("\n".join(md), encoding="utf-8")
    return path


def json_default(o: Any) -> Any:
    if isinstance(o, Path):
        return str(o)
    if isinstance(o, float) and math.isnan(o):
        return None
    return str(o)


# -- per tag ---------------------------------------------------------------------------------


def tag_table(result: Mapping[str, Any], set_name: str) -> list[str]:
    """The per-sub-question metrics per gold tag (new-format sets), so a change can be read by question type."""
    by_tag = result["sets"][set_name].get("by_tag") or {}
    if not by_tag:
        return []
    cols = [m for m in OFFICER_METRICS if not m.endswith("per_draft")]
    md = [f"### {set_name}: by tag", "", "| tag | questions | " + " | ".join(cols) + " |"]
    md.append("|---|---:|" + "---:|" * len(cols))
    for tag, vals in by_tag.items():
        md.append(f"| {tag} | {vals['questions']} | " + " | ".join(_fmt(vals.get(c), c) for c in cols) + " |")
    md.append("")
    return md


# -- per question ------------------------------------------------------------------------------


def _cell(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def _short(text: str, n: int = 220) -> str:
    t = " ".join(text.split()).replace("|", "/")
    return t if len(t) <= n else t[: n - 1] + "…"


def question_table(result: Mapping[str, Any], set_name: str, max_sentences: int = 12) -> list[str]:
    """Per question: the per-sub-question numbers, then the sentences an officer would strike out and why."""
    qs = [q for q in result["questions"] if q["set"] == set_name and "officer" in q.get("draft", {})]
    if not qs:
        return []
    md = [
        f"### {set_name}: per question",
        "",
        "Parts: expected sub-questions matched by a produced part naming their subject / expected (produced). "
        "Abstention: unanswerable parts abstained / unanswerable; answerable parts wrongly abstained.",
        "",
        "| question | tags | parts | key facts | precision | repeats | voice | figure given | abstention ok / false |",
        "|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for q in qs:
        o = q["draft"]["officer"]
        fr = o["fact_recalls"]
        kf = sum(fr) / len(fr) if fr else None
        prec = f"{o['supported']}/{o['claims']}" if o["claims"] else "-"
        fig = f"{o['figure_given']}/{o['figure_asked']}" if o["figure_asked"] else "-"
        ab = f"{o['correct_abstentions']}/{o['parts_unanswerable']} · {o['false_abstentions']}"
        tags = ", ".join(q.get("tags") or []) + (" (holdout)" if q.get("holdout") else "")
        md.append(
            f"| `{q['id']}` | {tags} | {o['parts_matched']}/{o['parts_n']} ({o['produced_n']}) | {_cell(kf)} | "
            f"{prec} | {o['repeats']} | {o['voice']} | {fig} | {ab} |"
        )
    md.append("")
    flagged = [(q, [r for r in q["draft"]["officer"]["sentences"] if r["problems"]]) for q in qs]
    flagged = [(q, rows) for q, rows in flagged if rows]
    if flagged:
        md += [
            f"Failing sentences ({set_name}): off-topic (no fact of its sub-question, no relevant span), "
            "repeated, or a voice violation.",
            "",
        ]
        for q, rows in flagged:
            md.append(f"- `{q['id']}`")
            for r in rows[:max_sentences]:
                md.append(f"  - [{', '.join(r['problems'])}] {_short(r['text'])}")
            if len(rows) > max_sentences:
                md.append(f"  - … {len(rows) - max_sentences} more")
        md.append("")
    missing = [(q, p) for q in qs for p in q["draft"]["officer"]["parts"] if p.get("missing_facts")]
    if missing:
        md += [f"Missing key facts ({set_name}):", ""]
        md += [f"- `{q['id']}`: {_short(p['text'], 90)} — {', '.join(p['missing_facts'])}" for q, p in missing]
        md.append("")
    return md


# -- comparison with an earlier run -----------------------------------------------------------


def load_previous(path: Path) -> dict[str, Any]:
    """An earlier run's ``--json`` output; :class:`GoldError` (exit 2) with a clear message when unusable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise GoldError(f"{path}: kan ikke læse den tidligere kørsel ({e.strerror or e})") from None
    except json.JSONDecodeError as e:
        raise GoldError(f"{path}: den tidligere kørsel er ikke gyldig JSON ({e.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise GoldError(f"{path}: ingen 'metrics' i filen; brug JSON fra `assistant evals --json`")
    return data


def _metric_name(key: str) -> str:
    return key.split(".", 1)[1] if "." in key else key


def compare_metrics(previous: Mapping[str, Any], result: Mapping[str, Any], source: str = "") -> dict[str, Any]:
    """Metric by metric: old, new, delta and a verdict (better / worse / same / new / gone).

    Direction: higher is better except for :data:`LOWER_IS_BETTER` metrics and latencies;
    changes smaller than 0.0005 are "same".
    """
    old, new = previous.get("metrics", {}), result.get("metrics", {})
    rows = []
    for key in sorted(set(old) | set(new)):
        if key.startswith("all.") or "latency" in key:
            continue
        a, b = old.get(key), new.get(key)
        if a is None and b is None:
            continue
        if a is None or b is None:
            rows.append({"metric": key, "old": a, "new": b, "delta": None, "verdict": "new" if a is None else "gone"})
            continue
        d = b - a
        lower = _metric_name(key) in LOWER_IS_BETTER
        verdict = "same" if abs(d) < 0.0005 else ("better" if (d < 0) == lower else "worse")
        rows.append({"metric": key, "old": a, "new": b, "delta": d, "verdict": verdict})
    return {"source": source, "date": previous.get("date"), "rows": rows}


def comparison_section(cmp: Mapping[str, Any]) -> list[str]:
    rows = [r for r in cmp["rows"] if r["verdict"] != "same"]
    md = [
        "## Comparison with the previous run",
        "",
        f"Previous run: `{cmp['source']}` ({cmp.get('date') or 'no date'}). "
        f"{sum(r['verdict'] == 'better' for r in rows)} better, {sum(r['verdict'] == 'worse' for r in rows)} worse, "
        f"{sum(r['verdict'] == 'same' for r in cmp['rows'])} unchanged; metrics only one run has are listed as new/gone.",
        "",
    ]
    if rows:
        md += ["| metric | previous | now | change | |", "|---|---:|---:|---:|---|"]
        for r in rows:
            delta = "" if r["delta"] is None else f"{r['delta']:+.3f}"
            md.append(
                f"| {r['metric']} | {_fmt(r['old'], r['metric'])} | {_fmt(r['new'], r['metric'])} | {delta} | "
                f"{r['verdict']} |"
            )
        md.append("")
    return md


def thresholds_section(result: Mapping[str, Any], thresholds: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Every threshold of a set that ran, with the value and whether it holds."""
    ran = set(result["sets"]) | {"all"} | ({"llm"} if "llm" in result else set())
    md = ["## Thresholds", "", "From `evals/thresholds.toml`; sets that did not run are left out.", ""]
    md += ["| metric | bound | value | |", "|---|---|---:|---|"]
    for key in sorted(thresholds):
        if key.split(".", 1)[0] not in ran:
            continue
        b = thresholds[key]
        v = result["metrics"].get(key)
        ok = v is not None and not (isinstance(v, float) and math.isnan(v))
        ok = ok and ("min" not in b or v >= b["min"]) and ("max" not in b or v <= b["max"])
        md.append(f"| {key} | {_bound(thresholds, key)} | {_fmt(v, key)} | {'ok' if ok else '**FAILS**'} |")
    md.append("")
    return md
