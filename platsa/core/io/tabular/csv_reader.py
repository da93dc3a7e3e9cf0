"""Reading CSV as people have it: Swedish Excel's semicolons and Windows-1252, Excel's UTF-16
"Unicode text" with tabs, and a quotation mark left open refused rather than swallowing rows."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable

from platsa.core.io.tabular.common import (
    _CONTROL_BYTES,
    CSV_CHUNK,
    DEFAULT_LIMITS,
    Progress,
    Table,
    TableError,
    TableErrorCode,
    TableLimits,
    _Budget,
    _start,
    _too_many_columns,
    column_letter,
    strip_controls,
)

# --- CSV ------------------------------------------------------------------------------------


def _utf16_codec(data: bytes) -> str | None:
    """The UTF-16 codec for ``data``, or None: by its byte order mark (Excel's "Unicode
    text"), else by the NUL bytes every other byte of mostly-ASCII UTF-16 text carries."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"  # reads the mark and drops it
    sample = data[:4096]
    if len(sample) >= 4 and sample.count(0) * 3 > len(sample):
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    return None


def _decode(data: bytes) -> str:
    codec = _utf16_codec(data)
    if codec is not None:
        try:
            return strip_controls(data.decode(codec))
        except UnicodeDecodeError as exc:
            raise TableError(TableErrorCode.FILE_UNREADABLE, kind="CSV") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # The bytes tell quickly whether there is anything to remove (both encodings are
        # ASCII-compatible, and C1 controls need a \xc2 in UTF-8): most files skip the regex.
        clean = len(data.translate(None, _CONTROL_BYTES)) == len(data)
        if clean and (encoding == "cp1252" or b"\xc2" not in data):
            return text
        return strip_controls(text)
    raise TableError(TableErrorCode.FILE_UNREADABLE, kind="CSV")


def _delimiter(text: str) -> str:
    """The header line's most frequent of comma, semicolon (Swedish Excel) and tab (Excel's
    "Unicode text"); comma when none occurs."""
    end = text.find("\n")
    first_line = text[: end if end >= 0 else len(text)]
    return max(",;\t", key=first_line.count)


def read_csv_bytes(
    data: bytes, *, limits: TableLimits = DEFAULT_LIMITS, progress: Progress | None = None
) -> Table:
    """A CSV upload as a table, within ``limits``.

    Parsed by the csv module in chunks of records, so that the limits are checked as the
    rows come and the fast path stays the C parser (``platsa assess`` reads 100,000 rows
    in well under a second). ``strict`` parsing refuses a quotation mark that is opened and
    never closed, which would otherwise swallow the rest of the file into one cell.
    """
    budget = _start(data, limits, progress)
    text = _decode(data)
    if not text or text.isspace():
        raise TableError(TableErrorCode.FILE_EMPTY)
    delimiter = _delimiter(text)
    cell_limit = min(limits.max_cell_chars, csv.field_size_limit())
    # A cell longer than the limit needs a line longer than the limit, unless its record
    # spans lines (a quoted cell with line breaks): then only those chunks are checked.
    # Lines are measured in bytes, at least one per character, which is quicker.
    long_lines = _has_long_line(data, cell_limit)
    reader = csv.reader(_lines(text), delimiter=delimiter, strict=True)
    records: list[list[str]] = []  # the header first
    lines_before = 0
    while True:
        chunk: list[list[str]] = []
        try:
            chunk.extend(itertools.islice(reader, CSV_CHUNK))
        except csv.Error as exc:
            failed = len(records) + len(chunk)  # records read before the failing one
            raise _csv_error(exc, text, delimiter, failed, cell_limit) from exc
        if not chunk:
            break
        first = len(records)
        records.extend(chunk)
        _check_csv_chunk(chunk, first, limits, budget)
        if long_lines or reader.line_num - lines_before != len(chunk):
            _check_cell_lengths(chunk, first, cell_limit)
        lines_before = reader.line_num
        budget.report(len(records) - 1)  # a chunk is a few hundred rows
    header = [h.strip() for h in records[0]]
    del records[0]
    budget.done(len(records))
    return Table(header, records)


def _has_long_line(data: bytes, limit: int) -> bool:
    """Whether a line of ``data`` (split at line feeds) is longer than ``limit`` bytes.

    Jumps a window of ``limit`` bytes at a time to the last line feed in it, so a file of
    short lines costs a few hundred searches instead of a list of every line."""
    position = 0
    while len(data) - position > limit:
        last = data.rfind(b"\n", position, position + limit + 1)
        if last < 0:
            return True  # the line that starts at ``position`` runs past the window
        position = last + 1
    return False


def _lines(text: str) -> Iterable[str]:
    """``text`` split into lines as ``open(newline="")`` splits it (at CR, LF or CRLF, the
    ends kept), for the csv module.

    ``str.splitlines`` is a quarter quicker than reading an ``io.StringIO``, but it also
    splits at characters that are not line ends to the csv module. Of those, the decoded
    text can hold only U+2028 and U+2029 (control characters are removed before), so a
    text with either is read through ``io.StringIO``."""
    if "\u2028" in text or "\u2029" in text:
        return io.StringIO(text, newline="")
    return text.splitlines(keepends=True)


def _check_csv_chunk(
    chunk: list[list[str]], first: int, limits: TableLimits, budget: _Budget
) -> None:
    """Columns, cells and rows of the records ``chunk`` (the first is record ``first``,
    0 being the header), checked before the next chunk is parsed."""
    if max(map(len, chunk)) > limits.max_columns:
        offset = next(i for i, r in enumerate(chunk) if len(r) > limits.max_columns)
        row = chunk[offset]
        filled = [i + 1 for i, value in enumerate(row) if value.strip()]
        column = filled[-1] if filled and filled[-1] > limits.max_columns else None
        raise _too_many_columns(first + offset + 1, limits.max_columns, column)
    budget.add_cells(sum(map(len, chunk)))
    # Record ``first + i`` is spreadsheet row ``first + i + 1``; rows past the limit may be
    # blank (a typed sheet often ends in empty lines) but must hold no value.
    past = max(0, limits.max_rows + 1 - first)
    for offset, record in enumerate(chunk[past:], start=past):
        if any(record):
            column = next(i for i, cell in enumerate(record, start=1) if cell)
            cell = f"{column_letter(column)}{first + offset + 1}"
            raise TableError(TableErrorCode.ROW_BEYOND_LIMIT, cell=cell, limit=limits.max_rows)


def _check_cell_lengths(chunk: list[list[str]], first: int, limit: int) -> None:
    for offset, record in enumerate(chunk):
        if record and max(map(len, record)) > limit:
            column = next(i for i, cell in enumerate(record, start=1) if len(cell) > limit)
            cell = f"{column_letter(column)}{first + offset + 1}"
            raise TableError(TableErrorCode.CELL_TOO_LONG, cell=cell, limit=limit)


def _csv_error(
    exc: csv.Error, text: str, delimiter: str, records_before: int, cell_limit: int
) -> TableError:
    """The csv module's complaint as a message that says where: it only knows the line it
    had reached, so the record that failed is found again from the records before it."""
    message = str(exc)
    row = records_before + 1  # the failing record's spreadsheet row
    line = _line_of_record(text, delimiter, records_before)
    if message.startswith("field larger than field limit"):
        column = _long_field(text, _offset_of_line(text, line), delimiter, cell_limit)
        return TableError(
            TableErrorCode.CELL_TOO_LONG, cell=f"{column_letter(column)}{row}", limit=cell_limit
        )
    if "expected after" in message or message == "unexpected end of data":
        return TableError(TableErrorCode.UNCLOSED_QUOTE, quote_row=row, line=line)
    return TableError(TableErrorCode.FILE_UNREADABLE, kind="CSV")


def _line_of_record(text: str, delimiter: str, records_before: int) -> int:
    """The line (from 1) on which record ``records_before`` (from 0) starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    for _ in itertools.islice(reader, records_before):
        pass
    return reader.line_num + 1


def _offset_of_line(text: str, line: int) -> int:
    """Where line ``line`` (from 1) starts, counting lines as the csv module was fed them."""
    return sum(map(len, itertools.islice(io.StringIO(text, newline=""), line - 1)))


_QUOTED_FIELD = re.compile(r'"[^"]*(?:""[^"]*)*"?')


def _long_field(text: str, start: int, delimiter: str, limit: int) -> int:
    """The column (from 1) of the first field longer than ``limit`` in the record at
    ``start``: the csv module stops at such a field without saying which it was."""
    rest_of_field = re.compile(f"[^{re.escape(delimiter)}\r\n]*")
    position, column = start, 1
    while True:
        end = position
        if text.startswith('"', position):
            end = _QUOTED_FIELD.match(text, position).end()  # type: ignore[union-attr]
        end = rest_of_field.match(text, end).end()  # type: ignore[union-attr]
        if end - position > limit or end >= len(text) or text[end] != delimiter:
            return column
        position, column = end + 1, column + 1
