"""The opt-out register as CSV (pure): which columns an import reads, and cells an export writes safely.

An import has a header row naming a number column (`number`, `phone`, `phone_number`, `mobile`, `to`), and may
name `scope`, `opted_out_at` (ISO 8601) and `evidence`; other columns are ignored. An export writes those columns
and more, so it imports back as it is.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Final

NUMBER_COLUMNS: Final = ("number", "phone", "phone_number", "mobile", "to")
OPTIONAL_COLUMNS: Final = {
    "scope": ("scope",),
    "opted_out_at": ("opted_out_at", "occurred_at", "date"),
    "evidence": ("evidence", "note", "reason"),
}
EXPORT_COLUMNS: Final = ("number", "scope", "opted_out_at", "source", "keyword", "message_sid", "evidence", "actor")
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER: Final = re.compile(r"^[+-]?[0-9]+(?:\.[0-9]+)?$")
MAX_CELL: Final = 2000


class RegisterCsvError(ValueError):
    """A file the import cannot read at all; the message says why."""


@dataclass(frozen=True)
class Columns:
    """Where each column the import reads sits in a row (None: not in the file)."""

    number: int
    scope: int | None = None
    opted_out_at: int | None = None
    evidence: int | None = None


@dataclass(frozen=True)
class Row:
    """One data row as written: its number in the file (the header is row 1) and its cells."""

    row: int
    number: str
    scope: str
    opted_out_at: str
    evidence: str


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower().lstrip("\ufeff")).strip("_")


def columns_of(header: Sequence[str]) -> Columns:
    """The columns of a header row; RegisterCsvError when no column holds the numbers."""
    keys = [_key(name) for name in header]

    def find(names: Iterable[str]) -> int | None:
        return next((i for i, key in enumerate(keys) if key in names), None)

    number = find(NUMBER_COLUMNS)
    if number is None:
        raise RegisterCsvError("the header row names no number column: call it one of " + ", ".join(NUMBER_COLUMNS))
    return Columns(number, *(find(names) for names in OPTIONAL_COLUMNS.values()))


def read_rows(lines: Iterable[str]) -> Iterator[Row]:
    """The data rows of CSV text given line by line (blank rows skipped); RegisterCsvError for a file without a
    header row."""
    reader = csv.reader(lines)
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise RegisterCsvError("the file is empty: a CSV file starts with a header row")
    columns = columns_of(header)
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue

        def cell(index: int | None, cells=cells) -> str:
            return cells[index].strip()[:MAX_CELL] if index is not None and index < len(cells) else ""

        yield Row(
            number,
            cell(columns.number),
            cell(columns.scope),
            cell(columns.opted_out_at),
            cell(columns.evidence),
        )


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting with = + - @ tab or CR gets a leading quote,
    unless it is a plain number (so +14155550100 stays as it is)."""
    if value.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


class _Line:
    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """CSV text line by line: a UTF-8 byte-order mark, then each row with every cell made safe by `safe_cell`."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([safe_cell(str(cell)) for cell in row])
