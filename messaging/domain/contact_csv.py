"""Contact CSV files (pure): the sniff of an upload's head, records read from a byte stream with the offset after
each, the column mapping (guessed and checked), tag slugs, and cells made safe to open in a spreadsheet.

Row numbers are a spreadsheet's: the header is row 1 and the first data row is row 2; a quoted cell that spans
lines is still one row. Offsets count bytes from the start of the file, so a reader resumes exactly after the last
row it committed, with no row read twice and none skipped.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO, Final

HEAD_BYTES: Final = 64 * 1024  # read at upload for the checks, the header and the preview
SNIFF_BYTES: Final = 1024  # where binary content shows at once
MAX_LINE_BYTES: Final = 1024 * 1024
PREVIEW_ROWS: Final = 5
PREVIEW_CELL_CHARS: Final = 100
DELIMITERS: Final = (",", ";", "\t", "|")

PHONE, NAME, TIME_ZONE, TAGS, IGNORE = "phone", "name", "time_zone", "tags", "ignore"
ATTRIBUTE_PREFIX: Final = "attribute:"
FIXED_TARGETS: Final = (PHONE, NAME, TIME_ZONE, TAGS, IGNORE)
ONCE_ONLY: Final = (PHONE, NAME, TIME_ZONE)
ATTRIBUTE_KEY: Final = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
ATTRIBUTE_KEY_RULE: Final = (
    "an attribute key is 1 to 64 lowercase letters, digits or underscores, starting with a letter"
)
MAX_TAG_LENGTH: Final = 50

SAVE_AS: Final = "save it as “CSV UTF-8” in your spreadsheet and upload that"
BINARY_SIGNATURES: Final = (
    (b"PK\x03\x04", "a ZIP archive or an Excel workbook (.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
)
CONTROL_BYTES: Final = re.compile(rb"[\x01-\x08\x0b\x0e-\x1f\x7f]")
LOOKS_LIKE_DATA: Final = re.compile(r"^\+?[\d\s().\-]*\d{3}[\d\s().\-]*$")
TAG_SEPARATORS: Final = re.compile(r"[,;|]")

# Headers that name the targets, compared after `column_key`; the first column to match a target wins.
GUESSES: Final = {
    PHONE: ("phone", "phone_number", "phonenumber", "mobile", "mobile_number", "mobile_phone", "cell", "cell_phone",
            "cellphone", "msisdn", "number", "telephone", "tel", "e164", "sms", "whatsapp"),
    NAME: ("name", "full_name", "fullname", "contact_name", "contact"),
    TIME_ZONE: ("time_zone", "timezone", "tz", "zone"),
    TAGS: ("tags", "tag", "labels", "label"),
}  # fmt: skip
# Columns of our own export that are facts of the number or of the platform, not attributes to import.
NOT_ATTRIBUTES: Final = frozenset(
    {"id", "country", "status", "unsendable_reason", "unsendable_since", "lists", "list", "created_at", "updated_at"}
)
FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER: Final = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


class NotCsv(ValueError):
    """The upload is not a CSV file we can read; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MappingError(ValueError):
    """A column mapping that cannot be used: the field at fault ('mapping' or 'mapping.<column>') and why."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


class LineTooLong(ValueError):
    """A line longer than MAX_LINE_BYTES: not a CSV file with one row per line."""


@dataclass(frozen=True)
class CsvHead:
    """What the head of an upload says: its header, the first rows, the delimiter and where the data starts."""

    header: tuple[str, ...]
    preview: tuple[tuple[str, ...], ...]
    delimiter: str
    data_offset: int


@dataclass(frozen=True)
class Record:
    """One row read from the file: its row number, its cells, the offset just after it, and a problem if any."""

    row: int
    cells: list[str]
    end_offset: int
    problem: str = ""


# --- reading ------------------------------------------------------------------------------------------------------


class _Position:
    """Bytes consumed so far, and whether a line of the current row was not UTF-8."""

    def __init__(self, offset: int):
        self.offset = offset
        self.undecodable = False


def _lines(stream: BinaryIO, position: _Position) -> Iterator[str]:
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        if len(raw) > MAX_LINE_BYTES:
            raise LineTooLong(f"a line at byte {position.offset} is longer than {MAX_LINE_BYTES:,} bytes")
        position.offset += len(raw)
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            position.undecodable = True
            yield raw.decode("utf-8", "replace")


def read_records(stream: BinaryIO, *, offset: int, row: int, delimiter: str) -> Iterator[Record]:
    """The rows of `stream`, which stands at byte `offset` just after row `row`, each with the offset after it.

    A row that is not UTF-8 or not well-formed CSV comes with its `problem`; reading goes on after it. Raises
    LineTooLong for a line over MAX_LINE_BYTES (a file without line breaks).
    """
    position = _Position(offset)
    reader = csv.reader(_lines(stream, position), delimiter=delimiter)
    while True:
        position.undecodable = False
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            row += 1
            yield Record(row, [], position.offset, f"the row is not well-formed CSV ({exc})")
            continue
        row += 1
        yield Record(row, cells, position.offset, "the row is not UTF-8 text" if position.undecodable else "")


# --- the sniff ----------------------------------------------------------------------------------------------------


def sniff(head: bytes, *, whole_file: bool) -> CsvHead:
    """Check the first bytes of an upload (HEAD_BYTES, or the whole file when `whole_file`) and read its header.

    Refuses with NotCsv: an empty file, a binary one (known signatures, NUL or control bytes in the first
    SNIFF_BYTES), UTF-16, bytes that are not UTF-8 (a UTF-8 BOM is fine), a file without line breaks, and a first
    row that is empty, repeats a column name or looks like data rather than a header.
    """
    for signature, what in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise NotCsv(f"the file is {what}, not CSV: {SAVE_AS}")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise NotCsv(f"the file is UTF-16 text, not UTF-8: {SAVE_AS}")
    if b"\x00" in head[:SNIFF_BYTES]:
        raise NotCsv(f"the file is binary (it holds NUL bytes), not CSV text: {SAVE_AS}")
    if CONTROL_BYTES.search(head[:SNIFF_BYTES]):
        raise NotCsv(f"the file is binary (it holds control characters), not CSV text: {SAVE_AS}")
    bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    complete = head if whole_file else head[: head.rfind(b"\n") + 1]
    if not head[bom:].strip():
        raise NotCsv("the file is empty: it needs a header row naming its columns, then a row per contact")
    if not complete[bom:].strip():
        raise NotCsv(f"no line break in the first {HEAD_BYTES // 1024} KB: this is not a CSV file with a row per line")
    _check_utf8(complete)
    if b"\n" not in complete and b"\r" in complete.rstrip(b"\r"):
        raise NotCsv(f"the lines end with a carriage return alone (an old Mac format): {SAVE_AS}")
    first_line = complete[bom:].split(b"\n", 1)[0].decode("utf-8")
    delimiter = max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","
    stream = io.BytesIO(complete)
    stream.seek(bom)
    records = read_records(stream, offset=bom, row=0, delimiter=delimiter)
    header_record = next(records)
    header = tuple(cell.strip() for cell in header_record.cells)
    _check_header(header, header_record)
    preview = []
    for record in records:
        if len(preview) == PREVIEW_ROWS:
            break
        if any(cell.strip() for cell in record.cells):
            preview.append(tuple(cell[:PREVIEW_CELL_CHARS] for cell in record.cells))
    return CsvHead(header, tuple(preview), delimiter, header_record.end_offset)


def _check_utf8(data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise NotCsv(f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X} on line {line}): {SAVE_AS}") from exc


def _check_header(header: tuple[str, ...], record: Record) -> None:
    if record.problem:
        raise NotCsv(f"the header row cannot be read: {record.problem}")
    if not any(header):
        raise NotCsv("the first row is empty: the file needs a header row naming its columns, e.g. phone,name")
    seen: dict[str, str] = {}
    for name in filter(None, header):
        if name.casefold() in seen:
            raise NotCsv(f"the header names the column '{name}' twice: give each column its own name")
        seen[name.casefold()] = name
        if LOOKS_LIKE_DATA.match(name):
            raise NotCsv(
                f"the first row looks like data ('{name}'), not a header: add a header row naming the columns, "
                "e.g. phone,name"
            )


# --- the column mapping -------------------------------------------------------------------------------------------


def column_key(name: str) -> str:
    """A header name as an identifier: lowercase ASCII letters, digits and underscores ('First Name' → 'first_name')."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", folded).strip("_")


def guess_mapping(header: tuple[str, ...] | list[str]) -> dict[str, str]:
    """A mapping of every named column to a target, guessed from the header's names.

    The first column named like a phone, name, time zone or tags column takes that target; columns of our own
    export that are not attributes (status, lists, …) and those of a rejects file (rejected_…) are ignored; any
    other column becomes an attribute named after it.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for name in filter(None, header):
        key = column_key(name)
        target = next((t for t, names in GUESSES.items() if key in names and t not in taken), None)
        if target is None:
            attribute = _attribute_from_header(name)
            ignored = key in NOT_ATTRIBUTES or key.startswith("rejected_") or not attribute or attribute in taken
            target = IGNORE if ignored else attribute
        if target in ONCE_ONLY or target.startswith(ATTRIBUTE_PREFIX):
            taken.add(target)
        mapping[name] = target
    return mapping


def _attribute_from_header(name: str) -> str | None:
    if name.lower().startswith(ATTRIBUTE_PREFIX):
        name = name[len(ATTRIBUTE_PREFIX) :]
    key = column_key(name)[:64]
    return ATTRIBUTE_PREFIX + key if ATTRIBUTE_KEY.match(key) else None


def check_mapping(header: tuple[str, ...] | list[str], mapping: object) -> dict[str, str]:
    """The mapping completed for every named column of `header` (unmapped columns are ignored) and normalised.

    Refuses with MappingError: a mapping that is not an object of column names to targets, a column not in the
    header, an unknown target or attribute key, no phone column, and a target other than tags or ignore twice.
    """
    if not isinstance(mapping, Mapping) or not all(isinstance(v, str) for v in mapping.values()):
        raise MappingError("mapping", "the mapping must be an object of column names to targets")
    named = [name for name in header if name]
    result = dict.fromkeys(named, IGNORE)
    for column, target in mapping.items():
        if column not in result:
            raise MappingError(
                f"mapping.{column}", f"the file's header has no column '{column}'; its columns: {_listed(named)}"
            )
        result[column] = _target(column, target)
    for target in ONCE_ONLY:
        columns = [column for column, chosen in result.items() if chosen == target]
        if not columns and target == PHONE:
            raise MappingError("mapping", "the mapping names no phone column: map the column of numbers to phone")
        if len(columns) > 1:
            raise MappingError("mapping", f"the mapping names {len(columns)} {target} columns ({_listed(columns)})")
    attributes = [chosen for chosen in result.values() if chosen.startswith(ATTRIBUTE_PREFIX)]
    repeated = sorted({key for key in attributes if attributes.count(key) > 1})
    if repeated:
        raise MappingError("mapping", f"two columns map to {repeated[0]}")
    return result


def _target(column: str, target: str) -> str:
    value = target.strip()
    if value.lower() in FIXED_TARGETS:
        return value.lower()
    if value.lower().startswith(ATTRIBUTE_PREFIX):
        key = value[len(ATTRIBUTE_PREFIX) :]
        if not ATTRIBUTE_KEY.match(key):
            raise MappingError(f"mapping.{column}", f"'{target}': {ATTRIBUTE_KEY_RULE}")
        return ATTRIBUTE_PREFIX + key
    raise MappingError(
        f"mapping.{column}",
        f"'{target}' is not a target: use phone, name, time_zone, tags, attribute:<key> or ignore",
    )


def _listed(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# --- tags and cells -----------------------------------------------------------------------------------------------


def tag_slug(raw: str) -> str:
    """A tag as a lowercase slug: ASCII letters and digits, words joined by hyphens ('VIP Customers' → 'vip-customers');
    empty when nothing is left."""
    folded = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def split_tags(cell: str) -> list[str]:
    """The tags of one cell, separated by commas, semicolons or bars, as slugs in their order, without repeats."""
    if not cell:
        return []
    slugs = (tag_slug(part) for part in TAG_SEPARATORS.split(cell))
    return list(dict.fromkeys(slug for slug in slugs if slug))


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting with = + - @ tab or CR gets a leading quote.

    A plain number is left as it is, signed or not, so E.164 numbers (+14155550100) stay usable; a spreadsheet reads
    it as a number, never as a formula. Anything else after a + or - (+1 (415) 555-0100, -2+3) is neutralised.
    """
    if value.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.match(value):
        return "'" + value
    return value


# --- writing ------------------------------------------------------------------------------------------------------

# The columns of a contacts export before its attribute columns; `guess_mapping` reads such a file back.
FIXED_EXPORT_COLUMNS: Final = (
    "phone_number", "name", "time_zone", "tags", "lists", "status", "unsendable_reason", "country", "created_at",
)  # fmt: skip


class _Line:
    """A file-like object whose write returns the text written (so csv.writer yields lines one by one)."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """CSV text line by line: a UTF-8 byte-order mark first (so spreadsheets read the file as UTF-8), then each row
    with every cell made safe by `safe_cell`."""
    writer = csv.writer(_Line())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])
