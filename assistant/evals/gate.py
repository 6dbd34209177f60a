"""Thresholds (``evals/thresholds.toml``) and the CI gate."""

from __future__ import annotations

import math
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from .gold import REPO, GoldError

THRESHOLDS_FILE = REPO / "evals" / "thresholds.toml"


# =====================================================================================
# thresholds and the gate
# =====================================================================================


def load_thresholds(path: Path | str = THRESHOLDS_FILE) -> dict[str, dict[str, float]]:
    """``{"sample.hit_at_5": {"min": 0.9}, ...}`` from ``[<set>.min]`` / ``[<set>.max]`` tables."""
    path = Path(path)
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        raise GoldError(f"{path}: not valid TOML ({e})") from None
    out: dict[str, dict[str, float]] = {}
    for scope, table in data.items():
        if not isinstance(table, dict):
            raise GoldError(f"{path}: top-level key {scope!r} must be a table like [{scope}.min]")
        for bound, metrics in table.items():
            if bound not in ("min", "max") or not isinstance(metrics, dict):
                raise GoldError(f"{path}: [{scope}.{bound}] must be [{scope}.min] or [{scope}.max]")
            for metric, value in metrics.items():
                if not isinstance(value, int | float):
                    raise GoldError(f"{path}: {scope}.{bound}.{metric} must be a number")
                out.setdefault(f"{scope}.{metric}", {})[bound] = float(value)
    return out


def check_gate(
    metrics: Mapping[str, float | None], thresholds: Mapping[str, Mapping[str, float]], skipped: Iterable[str] = ()
) -> list[str]:
    """Failures as readable lines; a metric missing from a set that ran is a failure too."""
    skip = set(skipped)
    failures = []
    for name, bounds in sorted(thresholds.items()):
        scope = name.split(".", 1)[0]
        if scope in skip:
            continue
        value = metrics.get(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            failures.append(f"{name}: no value (threshold {bounds})")
            continue
        if "min" in bounds and value < bounds["min"]:
            failures.append(f"{name} = {value:.3f} is below the minimum {bounds['min']:.3f}")
        if "max" in bounds and value > bounds["max"]:
            failures.append(f"{name} = {value:.3f} is above the maximum {bounds['max']:.3f}")
    return failures
