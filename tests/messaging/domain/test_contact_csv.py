"""Contact CSV files: the sniff of an upload's head, records with their offsets (and resuming from one), the column
mapping guessed and checked, tag slugs, and cells a spreadsheet will not run as formulas."""

from __future__ import annotations

import io

import pytest

from messaging.domain.contact_csv import (
    HEAD_BYTES,
    MAX_LINE_BYTES,
    CsvHead,
    LineTooLong,
    MappingError,
    NotCsv,
    check_mapping,
    column_key,
    csv_lines,
    guess_mapping,
    read_records,
    safe_cell,
    sniff,
    split_tags,
    tag_slug,
)

SAVE_AS = "save it as “CSV UTF-8” in your spreadsheet and upload that"


@pytest.mark.parametrize(
    ("head", "message"),
    [
        (b"", "the file is empty: it needs a header row naming its columns, then a row per contact"),
        (b"\xef\xbb\xbf\n", "the file is empty: it needs a header row naming its columns, then a row per contact"),
        (b"PK\x03\x04\x14\x00rest", f"the file is a ZIP archive or an Excel workbook (.xlsx), not CSV: {SAVE_AS}"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1", f"the file is an Excel 97-2003 workbook (.xls), not CSV: {SAVE_AS}"),
        (b"%PDF-1.7\n", f"the file is a PDF document, not CSV: {SAVE_AS}"),
        (b"\xff\xfep\x00h\x00", f"the file is UTF-16 text, not UTF-8: {SAVE_AS}"),
        (b"phone\n\x00\x01\x02", f"the file is binary (it holds NUL bytes), not CSV text: {SAVE_AS}"),
        (b"phone\n\x01\x02\x03", f"the file is binary (it holds control characters), not CSV text: {SAVE_AS}"),
        (b"phone,name\n+14155550100,Ren\xe9\n", f"the file is not UTF-8 text (byte 0xE9 on line 2): {SAVE_AS}"),
        (
            b"phone,name\r+14155550100,Ann\r",
            f"the lines end with a carriage return alone (an old Mac format): {SAVE_AS}",
        ),
        (b"\n\nphone\n", "the first row is empty: the file needs a header row naming its columns, e.g. phone,name"),
        (b"Phone,name,PHONE\n", "the header names the column 'PHONE' twice: give each column its own name"),
        (
            b"+1 (415) 555-0100,Ann\n",
            "the first row looks like data ('+1 (415) 555-0100'), not a header: add a header row naming the columns, "
            "e.g. phone,name",
        ),
    ],
)
def test_an_upload_that_is_not_a_csv_with_a_header_is_refused_saying_why(head, message):
    with pytest.raises(NotCsv) as refused:
        sniff(head, whole_file=True)
    assert refused.value.message == message


def test_a_head_without_a_line_break_is_refused():
    with pytest.raises(NotCsv) as refused:
        sniff(b"phone," * (HEAD_BYTES // 6), whole_file=False)
    assert refused.value.message == "no line break in the first 64 KB: this is not a CSV file with a row per line"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (
            b"phone,name\n+14155550100,Ann\n",
            CsvHead(("phone", "name"), (("+14155550100", "Ann"),), ",", 11),
        ),
        (  # Excel's "CSV UTF-8" writes a byte-order mark; names are stripped; blank rows are no preview
            "\ufeff Mobile ; Name\r\n\r\n0612345678;Zoë\r\n".encode(),
            CsvHead(("Mobile", "Name"), (("0612345678", "Zoë"),), ";", 19),
        ),
        (  # a quoted cell spanning lines is one row; the last row of the head needs no line break when it is whole
            b'phone\tnote\n+14155550100\t"two\nlines"\n+14155550101\tend',
            CsvHead(("phone", "note"), (("+14155550100", "two\nlines"), ("+14155550101", "end")), "\t", 11),
        ),
        (b"phone\n", CsvHead(("phone",), (), ",", 6)),
    ],
)
def test_the_sniff_reads_the_header_the_delimiter_and_where_the_data_starts(head, expected):
    assert sniff(head, whole_file=True) == expected


def test_the_preview_is_the_first_five_rows_cut_short_and_a_cut_head_ends_on_a_whole_line():
    rows = "".join(f"+1415555{n:04d},{'x' * 150}\n" for n in range(10))
    head = ("phone,name\n" + rows).encode()[:300]
    found = sniff(head, whole_file=False)
    assert [row[0] for row in found.preview] == ["+14155550000"]
    assert len(found.preview[0][1]) == 100
    assert sniff(("phone,name\n" + rows).encode(), whole_file=True).preview[4][0] == "+14155550004"


def _records(data: bytes, offset: int = 0, row: int = 0):
    stream = io.BytesIO(data)
    stream.seek(offset)
    return list(read_records(stream, offset=offset, row=row, delimiter=","))


def test_records_come_with_their_row_number_and_the_offset_after_them():
    data = b'phone,name\n+14155550100,"Ann\nLee"\n\n+14155550101,Bo\xff\n+14155550102,Cy'
    records = _records(data)
    assert [(r.row, r.cells, r.end_offset, r.problem) for r in records] == [
        (1, ["phone", "name"], 11, ""),
        (2, ["+14155550100", "Ann\nLee"], 34, ""),
        (3, [], 35, ""),
        (4, ["+14155550101", "Bo\ufffd"], 52, "the row is not UTF-8 text"),
        (5, ["+14155550102", "Cy"], 67, ""),
    ]


def test_reading_resumed_at_an_offset_goes_on_with_the_next_row_and_its_number():
    data = b"phone\n+14155550100\n+14155550101\n+14155550102\n"
    first = _records(data)
    resumed = _records(data, offset=first[1].end_offset, row=first[1].row)
    assert [(r.row, r.cells) for r in resumed] == [(3, ["+14155550101"]), (4, ["+14155550102"])]
    assert resumed[-1].end_offset == len(data)


def test_a_line_longer_than_the_limit_stops_the_reading():
    with pytest.raises(LineTooLong):
        _records(b"phone\n" + b"1" * (MAX_LINE_BYTES + 1))


@pytest.mark.parametrize(
    ("header", "mapping"),
    [
        (
            ["Mobile", "Full Name", "TZ", "Tags", "First Name", "E-mail", ""],
            {"Mobile": "phone", "Full Name": "name", "TZ": "time_zone", "Tags": "tags",
             "First Name": "attribute:first_name", "E-mail": "attribute:e_mail"},
        ),
        (  # the first phone-like column is the phone; the second becomes an attribute
            ["phone", "cell", "name", "Name 2"],
            {"phone": "phone", "cell": "attribute:cell", "name": "name", "Name 2": "attribute:name_2"},
        ),
        (  # our own export reads back; our rejects file too
            ["phone_number", "name", "time_zone", "tags", "lists", "status", "unsendable_reason", "country",
             "created_at", "attribute:name", "plan", "rejected_row", "rejected_reason"],
            {"phone_number": "phone", "name": "name", "time_zone": "time_zone", "tags": "tags", "lists": "ignore",
             "status": "ignore", "unsendable_reason": "ignore", "country": "ignore", "created_at": "ignore",
             "attribute:name": "attribute:name", "plan": "attribute:plan", "rejected_row": "ignore",
             "rejected_reason": "ignore"},
        ),
        (["2nd line", "Straße"], {"2nd line": "ignore", "Straße": "attribute:strae"}),
    ],
)  # fmt: skip
def test_the_mapping_is_guessed_from_the_header(header, mapping):
    assert guess_mapping(header) == mapping


HEADER = ["Phone", "Name", "Zone", "Plan", "Notes"]


def test_a_mapping_is_completed_with_ignore_and_normalised():
    mapping = {"Phone": " PHONE ", "Plan": "attribute:plan", "Notes": "Ignore"}
    assert check_mapping(HEADER, mapping) == {
        "Phone": "phone", "Name": "ignore", "Zone": "ignore", "Plan": "attribute:plan", "Notes": "ignore",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("mapping", "field", "message"),
    [
        ({"Name": "name"}, "mapping", "the mapping names no phone column: map the column of numbers to phone"),
        (
            {"Phone": "phone", "Mobile": "phone"},
            "mapping.Mobile",
            "the file's header has no column 'Mobile'; its columns: Phone, Name, Zone, Plan, Notes",
        ),
        ({"Phone": "phone", "Name": "phone"}, "mapping", "the mapping names 2 phone columns (Phone, Name)"),
        ({"Phone": "phone", "Name": "name", "Notes": "name"}, "mapping",
         "the mapping names 2 name columns (Name, Notes)"),
        ({"Phone": "phone", "Plan": "email"}, "mapping.Plan",
         "'email' is not a target: use phone, name, time_zone, tags, attribute:<key> or ignore"),
        ({"Phone": "phone", "Plan": "attribute:Plan Name"}, "mapping.Plan",
         "'attribute:Plan Name': an attribute key is 1 to 64 lowercase letters, digits or underscores, starting with "
         "a letter"),
        ({"Phone": "phone", "Plan": "attribute:x", "Notes": "attribute:x"}, "mapping",
         "two columns map to attribute:x"),
        (["Phone"], "mapping", "the mapping must be an object of column names to targets"),
        ({"Phone": 1}, "mapping", "the mapping must be an object of column names to targets"),
    ],
)  # fmt: skip
def test_a_mapping_that_does_not_fit_the_header_is_refused_naming_the_field(mapping, field, message):
    with pytest.raises(MappingError) as refused:
        check_mapping(HEADER, mapping)
    assert (refused.value.field, refused.value.message) == (field, message)


@pytest.mark.parametrize(
    ("raw", "slug"),
    [("VIP", "vip"), ("VIP Customers", "vip-customers"), ("  été 2026! ", "ete-2026"), ("!!!", ""), ("a_b", "a-b")],
)
def test_tags_are_lowercase_slugs(raw, slug):
    assert tag_slug(raw) == slug


def test_a_tag_cell_splits_on_commas_semicolons_and_bars():
    assert split_tags("VIP, Gold; vip | | New customer") == ["vip", "gold", "new-customer"]
    assert column_key(" First-Name ") == "first_name"


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+1 (415) 555-0100", "'+1 (415) 555-0100"),
        ("-2+3", "'-2+3"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("+14155550100", "+14155550100"),  # E.164 numbers stay usable
        ("-12.5", "-12.5"),
        ("42", "42"),
        ("Ann = Bo", "Ann = Bo"),
        ("", ""),
    ],
)
def test_cells_starting_a_formula_are_neutralised_but_plain_numbers_stay(cell, safe):
    assert safe_cell(cell) == safe


def test_csv_lines_start_with_a_byte_order_mark_and_neutralise_every_cell():
    lines = list(csv_lines([["phone", "name"], ["+14155550100", "=1+1"], ["+447911123456", 'say "hi", =x']]))
    assert lines == ["\ufeff", "phone,name\r\n", "+14155550100,'=1+1\r\n", '+447911123456,"say ""hi"", =x"\r\n']
