"""The body template language of campaigns: `{{ name }}` placeholders filled from a dict, nothing else (pure).

A template is text with placeholders `{{ path | filter | filter:"argument" }}`:

- `path` is a name (`first_name`) or names joined by dots (`attributes.plan`), each letters, digits and `_`, not
  starting with `_`; it is looked up key by key in the dict given to `render`, never through attributes, so a
  template cannot reach any Python object. A value that is missing, None or "" counts as missing.
- filters: `default:"text"` (used when the value is missing; the recipient is then not counted as missing),
  `upper`, `lower`, `capitalize`, `trim`.
- `{{` with no closing `}}`, an empty placeholder, an unknown filter or a bad name is a TemplateSyntaxError naming
  the place (1-based character offset). Text outside placeholders is kept exactly; a lone `}}` is ordinary text.

`compile_template` parses once; `Template.render(values)` fills it and reports which paths were missing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from messaging.domain.errors import DomainInputError

__all__ = ["Placeholder", "Rendered", "Template", "TemplateSyntaxError", "compile_template"]

OPEN: Final = "{{"
CLOSE: Final = "}}"
MAX_DEPTH: Final = 4
_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")
_FILTER: Final = re.compile(r'\s*([a-z_]+)\s*(?::\s*"((?:[^"\\]|\\.)*)")?\s*\Z', re.S)
_NO_ARGUMENT: Final = {
    "upper": str.upper,
    "lower": str.lower,
    "capitalize": str.capitalize,
    "trim": str.strip,
}


class TemplateSyntaxError(DomainInputError):
    """A template that cannot be parsed: what is wrong and where."""

    def __init__(self, message: str, *, field: str = "body"):
        super().__init__(field, message)


@dataclass(frozen=True, slots=True)
class Placeholder:
    path: tuple[str, ...]
    default: str | None
    transforms: tuple[str, ...]

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    missing: tuple[str, ...]  # paths that had no value and no default, in template order, once each


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple[str | Placeholder, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(part for part in self.parts if isinstance(part, Placeholder))

    @property
    def is_static(self) -> bool:
        return not self.placeholders

    def render(self, values: Mapping[str, Any]) -> Rendered:
        """The text with every placeholder filled from `values` (a missing value with no default becomes "")."""
        out: list[str] = []
        missing: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = _lookup(values, part.path)
            if value is None:
                if part.default is None:
                    if part.name not in missing:
                        missing.append(part.name)
                    value = ""
                else:
                    value = part.default
            for transform in part.transforms:
                value = _NO_ARGUMENT[transform](value)
            out.append(value)
        return Rendered("".join(out), tuple(missing))


def _lookup(values: Mapping[str, Any], path: tuple[str, ...]) -> str | None:
    current: Any = values
    for key in path:
        if not isinstance(current, Mapping) or key not in current:
            return None
        current = current[key]
    if current is None or isinstance(current, Mapping | list | tuple):
        return None
    if isinstance(current, bool):
        text = "true" if current else "false"
    elif isinstance(current, int | float | str):
        text = str(current)
    else:
        return None  # only plain values are ever shown
    return text if text != "" else None


def compile_template(text: str, *, field: str = "body") -> Template:
    """Parse `text`; TemplateSyntaxError (naming `field` and the offset) when a placeholder is malformed."""
    parts: list[str | Placeholder] = []
    position = 0
    while True:
        start = text.find(OPEN, position)
        if start < 0:
            if position < len(text):
                parts.append(text[position:])
            break
        end = text.find(CLOSE, start + len(OPEN))
        if end < 0:
            raise TemplateSyntaxError(f"'{{{{' at character {start + 1} is never closed with '}}}}'", field=field)
        if start > position:
            parts.append(text[position:start])
        parts.append(_placeholder(text[start + len(OPEN) : end], start + 1, field))
        position = end + len(CLOSE)
    return Template(tuple(parts))


def _placeholder(inner: str, offset: int, field: str) -> Placeholder:
    pieces = _split_filters(inner)
    path_text = pieces[0].strip()
    if not path_text:
        raise TemplateSyntaxError(f"the placeholder at character {offset} names nothing", field=field)
    path = tuple(path_text.split("."))
    if len(path) > MAX_DEPTH or not all(_NAME.match(key) for key in path):
        raise TemplateSyntaxError(
            f"'{path_text}' at character {offset} is not a field name (letters, digits, _ and dots)", field=field
        )
    default: str | None = None
    transforms: list[str] = []
    for piece in pieces[1:]:
        match = _FILTER.match(piece)
        if not match:
            raise TemplateSyntaxError(f"'{piece.strip()}' at character {offset} is not a filter", field=field)
        name, argument = match.group(1), match.group(2)
        if name == "default":
            if argument is None:
                raise TemplateSyntaxError(f'default at character {offset} needs a value: default:"…"', field=field)
            default = re.sub(r"\\(.)", r"\1", argument)
        elif name in _NO_ARGUMENT and argument is None:
            transforms.append(name)
        else:
            known = ", ".join(["default", *_NO_ARGUMENT])
            raise TemplateSyntaxError(f"unknown filter '{name}' at character {offset} (known: {known})", field=field)
    return Placeholder(path, default, tuple(transforms))


def _split_filters(inner: str) -> list[str]:
    """Split on `|` outside double quotes."""
    pieces, current, quoted, escaped = [], [], False, False
    for char in inner:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\" and quoted:
            current.append(char)
            escaped = True
        elif char == '"':
            current.append(char)
            quoted = not quoted
        elif char == "|" and not quoted:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
    pieces.append("".join(current))
    return pieces
