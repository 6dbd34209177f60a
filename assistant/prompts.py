"""Prompt templates live in ``prompts/`` as files; none are written inline in code.

Each file starts with front matter between ``---`` lines:

    ---
    description: what the prompt is for
    variables: [question, sources]
    ---
    Jinja2 text using {{ question }} ...

Loading fails when the variables declared differ from those the template uses,
so a renamed variable can never silently render as an empty string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROMPTS_DIR = Path(__file__).resolve().parent.parent / "prompts"
_FRONT = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)


class PromptError(ValueError):
    pass


@dataclass(frozen=True)
class Prompt:
    name: str
    description: str
    variables: tuple[str, ...]
    body: str

    def render(self, **values) -> str:
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise PromptError(f"prompt {self.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
        return _env().from_string(self.body).render(**values).strip() + "\n"


@lru_cache(maxsize=1)
def _env():
    import jinja2

    return jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)


def parse_prompt(name: str, text: str) -> Prompt:
    import jinja2
    from jinja2 import meta

    m = _FRONT.match(text.replace("\r\n", "\n"))
    if not m:
        raise PromptError(f"prompt {name}: missing front matter (--- description/variables ---)")
    head, body = m.groups()
    fields: dict[str, str] = {}
    for line in head.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    declared = tuple(v.strip() for v in fields.get("variables", "").strip("[]").split(",") if v.strip())
    try:
        used = meta.find_undeclared_variables(_env().parse(body))
    except jinja2.TemplateSyntaxError as e:
        raise PromptError(f"prompt {name}: template error on line {e.lineno}: {e.message}") from None
    if set(declared) != used:
        raise PromptError(f"prompt {name}: declared variables {sorted(declared)} differ from used {sorted(used)}")
    return Prompt(name, fields.get("description", ""), declared, body)


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    path = (directory or PROMPTS_DIR) / f"{name}.md"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(f"prompt file not found: {path}") from None
    return parse_prompt(name, text)


def all_prompts(directory: Path | None = None) -> list[Prompt]:
    d = directory or PROMPTS_DIR
    return [load_prompt(p.stem, d) for p in sorted(d.glob("*.md")) if p.name.lower() != "readme.md"]
