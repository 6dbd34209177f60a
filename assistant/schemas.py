"""The draft JSON and the search JSON as versioned, documented formats.

``schemas/<name>.schema.json`` is the JSON Schema generated from the pydantic
model, committed; ``schemas/versions.json`` records the sha256 of the schema
for each version. ``python scripts/make_schemas.py`` rewrites the files and
refuses when a model's schema changed but its version constant did not
(``tests/test_schemas.py`` fails in that case too).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from assistant.models import DRAFT_SCHEMA_VERSION, SEARCH_SCHEMA_VERSION, Draft, SearchResponse

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"

MODELS = {
    "draft": (Draft, DRAFT_SCHEMA_VERSION, "A drafted forvaltningssvar (assistant draft --json/--save, the TUI)"),
    "search": (SearchResponse, SEARCH_SCHEMA_VERSION, "Search results (assistant search --json)"),
}


def generate(name: str) -> dict:
    model, version, title = MODELS[name]
    schema = model.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"forvaltningssvar-assistant/{name}/v{version}",
        "x-schema-version": version,
        "description": title,
        **schema,
    }


def dumps(schema: dict) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def digest(schema: dict) -> str:
    """sha256 of the schema without the version markers (they change with every bump)."""
    body = {k: v for k, v in schema.items() if k not in ("$id", "x-schema-version")}
    return hashlib.sha256(dumps(body).encode("utf-8")).hexdigest()


def versions(directory: Path = SCHEMA_DIR) -> dict[str, dict[str, str]]:
    path = directory / "versions.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_all(directory: Path = SCHEMA_DIR) -> list[str]:
    """Write every schema and record its hash; raises ValueError when a schema changed without a bump."""
    record = versions(directory)
    written = []
    for name, (_model, version, _title) in MODELS.items():
        schema = generate(name)
        h = digest(schema)
        known = record.setdefault(name, {})
        if known.get(str(version), h) != h:
            raise ValueError(
                f"the {name} schema changed but its version is still {version}: "
                f"bump {name.upper()}_SCHEMA_VERSION in assistant/models.py"
            )
        known[str(version)] = h
        (directory / f"{name}.schema.json").write_text(dumps(schema), encoding="utf-8")
        written.append(name)
    (directory / "versions.json").write_text(dumps(record), encoding="utf-8")
    return written
