"""Prompt templates are files shipped in the package (``assistant/resources/prompts/*.md``,
read with ``importlib.resources``, so they load from an installed wheel); none are written inline in code.

A user's own folder (setting ``prompts_dir``) overrides them file by file: ``draft_system.md`` there
replaces the shipped ``draft_system.md``, and a prompt the folder lacks comes from the package. A file
there that names no shipped prompt is refused, so a misspelt override cannot be silently ignored.

Each file starts with front matter between ``---`` lines:

    ---
    description: what the prompt is for
    variables: [question, sources]
    ---
    Jinja2 text using {{ question }} ...

Loading fails when the variables declared differ from those the template uses,
so a renamed variable can never silently render as an empty string.

Fences: a prompt that declares the variable ``fence`` gets a fresh random marker on every
render (``render`` fills it), to put inside the ``<<<KILDE K1 [marker]`` ... ``[marker] KILDE K1>>>``
lines around data. A passage or question cannot guess it, and anything in the values that
looks like a fence (``<<<``, ``>>>`` and their look-alikes) is escaped, so text in a document
can never close its fence early and pose as instructions.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

PROMPTS_DIR: Traversable = files("assistant.resources") / "prompts"
"""The shipped prompts (a directory in the installed package)."""
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
        if "fence" in self.variables and "fence" not in values:
            values["fence"] = new_fence()
        fence = values.get("fence")
        values = {k: (v if k == "fence" else escape_fences(v, fence)) for k, v in values.items()}
        missing = set(self.variables) - set(values)
        extra = set(values) - set(self.variables)
        if missing or extra:
            raise PromptError(f"prompt {self.name}: missing {sorted(missing)}, unexpected {sorted(extra)}")
        return _env().from_string(self.body).render(**values).strip() + "\n"


_FENCE_LIKE = re.compile(r"[<‹«＜﹤]{3,}|[>›»＞﹥]{3,}")


def new_fence() -> str:
    """A random fence marker (12 hex digits), new for every prompt."""
    return secrets.token_hex(6)


def escape_fences(value, fence: str | None = None):
    """``value`` (a string, or dicts/lists of them) with fence look-alikes made harmless.

    ``<<<`` becomes ``«`` and ``>>>`` ``»``; the marker itself, should it appear, is removed.
    """
    if isinstance(value, str):
        out = _FENCE_LIKE.sub(lambda m: "«" if m.group(0)[0] in "<‹«＜﹤" else "»", value)
        return out.replace(fence, "") if fence else out
    if isinstance(value, dict):
        return {k: escape_fences(v, fence) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [escape_fences(v, fence) for v in value]
    return value


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


def _names(directory: Traversable) -> list[str]:
    return sorted(f.name[:-3] for f in directory.iterdir() if f.name.endswith(".md") and f.name.lower() != "readme.md")


def _user_file(name: str, directory: Path) -> Path | None:
    """The override for ``name`` in the user's ``prompts_dir``, or None to use the shipped prompt."""
    if not directory.is_dir():
        raise PromptError(f"prompts_dir {directory}: mappen findes ikke (indstillingen prompts_dir)")
    shipped = set(_names(PROMPTS_DIR))
    unknown = sorted(set(_names(directory)) - shipped)
    if unknown:
        raise PromptError(
            f"prompts_dir {directory}: {', '.join(u + '.md' for u in unknown)} svarer ikke til nogen prompt "
            f"(kendte: {', '.join(n + '.md' for n in sorted(shipped))})"
        )
    path = directory / f"{name}.md"
    return path if path.is_file() else None


def load_prompt(name: str, directory: Path | None = None) -> Prompt:
    """Prompt ``name``: from ``directory`` (the ``prompts_dir`` setting) when it holds ``name.md``, else shipped."""
    source: Traversable | Path | None = _user_file(name, Path(directory)) if directory is not None else None
    if source is None:
        source = PROMPTS_DIR / f"{name}.md"
        if not source.is_file():
            raise PromptError(f"prompt file not found: {name}.md (shipped: {', '.join(_names(PROMPTS_DIR))})")
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PromptError(f"prompt file {source}: cannot be read ({type(e).__name__})") from None
    return parse_prompt(name, text)


def all_prompts(directory: Path | None = None) -> list[Prompt]:
    """Every prompt as it would be used: shipped ones, overridden file by file from ``directory``."""
    return [load_prompt(n, directory) for n in _names(PROMPTS_DIR)]
