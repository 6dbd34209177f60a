"""Regenerate schemas/*.schema.json from the pydantic models (see assistant/schemas.py)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.schemas import SCHEMA_DIR, write_all  # noqa: E402

if __name__ == "__main__":
    for name in write_all():
        print(f"wrote {SCHEMA_DIR / (name + '.schema.json')}")
