"""Reading and writing the spreadsheets people actually have: CSV and XLSX.

CSV from Swedish Excel is often semicolon-separated and Windows-1252 encoded, and Excel's
"Unicode text" is tab-separated UTF-16; all are detected. Nothing here knows about
frameworks: it returns a header and rows of cell values as text.

Uploads come from anyone, so reading is bounded by :class:`TableLimits` before and while it
happens, never afterwards: the size of the upload, what an XLSX's zip declares it unpacks
to, the rows, columns and cells actually met, the length of a cell and the time spent. A
file is never read in part or differently from how its owner sees it: a formula nobody
calculated, an error such as #DIV/0! or a quotation mark that swallows the rest of a CSV
file refuses the file, naming the cell, rather than quietly becoming empty cells.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

if TYPE_CHECKING:  # zipfile and XML are imported when an XLSX is read: CSV stays quick
    import zipfile
    from xml.etree.ElementTree import Element

MiB = 1024 * 1024
PROGRESS_EVERY = 500  # rows between two calls of the ``progress`` callback
CSV_CHUNK = 500  # CSV records parsed between two checks of the limits
WHOLE_PART_MAX_BYTES = 16 * MiB  # XML parts openpyxl parses whole (workbook, styles, ...)
_MAX_PROLOG_BYTES = 1 * MiB  # before an XML part's root element: a declaration and comments

Progress = Callable[[int], None]


class TableError(ValueError):
    """The file cannot be read at all; ``code`` is an ``IMPORT_ERRORS`` key, ``params`` its
    placeholders. The message names the place in the file itself (``cell``, ``line``), so
    that it reads the same on the command line, which shows no location column."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class TableLimits:
    """How much of one file the reader is willing to read.

    The defaults suit the command line (a large survey on a laptop: ``platsa assess`` reads
    100,000 respondents); the web app passes tighter values from its settings. Each bound
    is checked before the work it bounds, or as the work goes, so that a hostile file costs
    at most about one bound's worth of time and memory.
    """

    max_bytes: int = 100 * MiB  # the upload itself
    max_rows: int = 1_000_000  # the last row with a value, counted below the header
    max_columns: int = 1_000  # the last column that holds a value
    max_cells: int = 20_000_000  # cells parsed, empty ones included: they cost time too
    max_uncompressed_bytes: int = 512 * MiB  # what an XLSX's members unpack to, together
    max_cell_chars: int = 32_767  # Excel's own limit: a longer cell never came from Excel
    seconds: float = 120.0  # the whole read, from bytes to table
    max_members: int = 1_000  # files inside an XLSX (a normal one has 10 to 30)
    max_ratio: float = 100.0  # unpacked / packed for a member over 1 MiB (normal: 5 to 20)


DEFAULT_LIMITS = TableLimits()


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows, every cell as text (not yet stripped)
    first_row_number: int = 2  # the spreadsheet row number of rows[0]


class _Budget:
    """What one read has spent against its limits and the clock, and whom to tell how far
    it has got. Raises :class:`TableError` the moment a limit is passed."""

    def __init__(self, limits: TableLimits, progress: Progress | None) -> None:
        self.limits = limits
        self.progress = progress
        self.deadline = time.monotonic() + limits.seconds
        self.cells = 0
        self.reported = 0
        self.callback_error: Exception | None = None

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TableError("read_timeout", seconds=_plain(self.limits.seconds))

    def add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > self.limits.max_cells:
            raise TableError("too_many_cells", limit=self.limits.max_cells)

    def rows_read(self, count: int) -> None:
        """``count`` rows read so far: every few hundred, look at the clock and report."""
        if count - self.reported >= PROGRESS_EVERY:
            self.report(count)

    def report(self, count: int) -> None:
        self.reported = count
        self.check_time()
        if self.progress is not None:
            try:
                self.progress(count)
            except Exception as exc:
                self.callback_error = exc  # the caller's own error: never "file unreadable"
                raise

    def done(self, count: int) -> None:
        """The read is over: report its total, unless that was just reported."""
        if self.progress is not None and count != self.reported:
            self.progress(count)


def _start(data: bytes, limits: TableLimits, progress: Progress | None) -> _Budget:
    if len(data) > limits.max_bytes:
        raise TableError("file_too_large", limit=_megabytes(limits.max_bytes))
    return _Budget(limits, progress)


def _plain(value: float) -> int | float:
    """A limit as people write it: 30, not 30.0."""
    return int(value) if float(value).is_integer() else value


def _megabytes(size: int) -> int | float:
    return _plain(round(size / MiB, 1)) if size < 10 * MiB else round(size / MiB)


# --- cell text ------------------------------------------------------------------------------

# Control characters are removed from every cell as it is read. They are invisible in Excel
# and on the paper form, so a person told "cell D5 contains a control character" could not
# find it, let alone fix it; they never mean anything in a survey answer; and PostgreSQL's
# text type cannot store NUL at all. Tab, line feed and carriage return stay: they are how
# a comment spans lines. C1 controls (U+0080-U+009F) go too: in text they are mis-decoded
# bytes, never characters anyone typed.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
# OOXML writes characters XML cannot hold as _xHHHH_ (ECMA-376 ST_Xstring); _x005F_ is "_".
_XML_ESCAPE = re.compile("_x([0-9A-Fa-f]{4})_")


def strip_controls(text: str) -> str:
    """``text`` without control characters (see ``_CONTROL`` for which, and why)."""
    return _CONTROL.sub("", text)


def _cell_text(value: Any) -> str:
    """A cell as text: whole floats lose their ``.0`` (Excel stores 4 as 4.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _clean_xml_text(text: str) -> str:
    """Text from an XLSX as Excel shows it: escapes decoded, control characters removed."""
    if "_x" in text:
        text = _XML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    if not text.isprintable():  # fast for the usual letters and digits; regex otherwise
        text = _CONTROL.sub("", text)
    return text


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
            raise TableError("file_unreadable", kind="CSV") from exc
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
    raise TableError("file_unreadable", kind="CSV")


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
        raise TableError("file_empty")
    delimiter = _delimiter(text)
    cell_limit = min(limits.max_cell_chars, csv.field_size_limit())
    # A cell longer than the limit needs a line longer than the limit, unless its record
    # spans lines (a quoted cell with line breaks): then only those chunks are checked.
    # Lines are measured in bytes, at least one per character, which is quicker.
    long_lines = len(data) > cell_limit and max(map(len, data.split(b"\n"))) > cell_limit
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
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


def _check_csv_chunk(
    chunk: list[list[str]], first: int, limits: TableLimits, budget: _Budget
) -> None:
    """Columns, cells and rows of the records ``chunk`` (the first is record ``first``,
    0 being the header), checked before the next chunk is parsed."""
    if max(map(len, chunk)) > limits.max_columns:
        offset = next(i for i, r in enumerate(chunk) if len(r) > limits.max_columns)
        raise _too_many_columns(first + offset + 1, limits.max_columns)
    budget.add_cells(sum(map(len, chunk)))
    # Record ``first + i`` is spreadsheet row ``first + i + 1``; rows past the limit may be
    # blank (a typed sheet often ends in empty lines) but must hold no value.
    past = max(0, limits.max_rows + 1 - first)
    for offset, record in enumerate(chunk[past:], start=past):
        if any(record):
            column = next(i for i, cell in enumerate(record, start=1) if cell)
            cell = f"{column_letter(column)}{first + offset + 1}"
            raise TableError("row_beyond_limit", cell=cell, limit=limits.max_rows)


def _check_cell_lengths(chunk: list[list[str]], first: int, limit: int) -> None:
    for offset, record in enumerate(chunk):
        if record and max(map(len, record)) > limit:
            column = next(i for i, cell in enumerate(record, start=1) if len(cell) > limit)
            cell = f"{column_letter(column)}{first + offset + 1}"
            raise TableError("cell_too_long", cell=cell, limit=limit)


def _too_many_columns(row: int, limit: int) -> TableError:
    return TableError("too_many_columns", cell=f"{column_letter(limit + 1)}{row}", limit=limit)


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
        return TableError("cell_too_long", cell=f"{column_letter(column)}{row}", limit=cell_limit)
    if "expected after" in message or message == "unexpected end of data":
        return TableError("unclosed_quote", quote_row=row, line=line)
    return TableError("file_unreadable", kind="CSV")


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


# --- XLSX -----------------------------------------------------------------------------------
#
# openpyxl's own read-only ``iter_rows`` trusts the sheet's <dimension> element, which any
# program may write wrongly: a stale "A1:Z2" silently hid all but the first row of answers,
# and a 5 KB file declaring "A1:XFD1048576" had every row padded to 16,384 cells, missing
# rows included (one cell far down: billions of cells, for minutes). So the
# answer sheet's XML is streamed here, through a subclass of openpyxl's WorkSheetParser
# that reads every cell's own coordinate, ignores <dimension> entirely and stops as soon as
# a limit is passed. openpyxl still reads the workbook's small parts (content types,
# workbook, relationships, styles) with defusedxml, which it uses whenever installed.


class _PrologOverError(Exception):
    """The XML prolog is over: no document type declaration can follow."""


def _without_dtd(stream: BinaryIO, budget: _Budget) -> BinaryIO:
    """``stream``, refused if its XML declares a document type (DTD).

    Entity-expansion bombs ("billion laughs") and external entities all need a DTD, and
    XLSX never uses one. Expat itself reads the prolog (so encodings are judged exactly as
    the real parser will judge them) and stops at the root element, after which a DTD is
    not well-formed XML. The bytes read are then replayed to the fast C parser: defusedxml's
    parser is pure Python and would make a 50,000-row sheet several seconds slower.
    """
    from xml.parsers import expat

    def doctype(*_args: Any) -> None:
        raise TableError("file_unsafe_xml")

    def root(*_args: Any) -> None:
        raise _PrologOverError

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    head = bytearray()
    try:
        while len(head) <= _MAX_PROLOG_BYTES:
            chunk = stream.read(64 * 1024)
            head += chunk
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
            budget.check_time()
        else:
            raise TableError("file_unreadable", kind="XLSX")
    except _PrologOverError:
        pass
    except expat.ExpatError as exc:
        raise TableError("file_unreadable", kind="XLSX") from exc
    return _Replay(bytes(head), stream)  # type: ignore[return-value]


class _Replay:
    """A stream that gives the bytes already read first, then the rest of ``rest``."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self.head = head
        self.rest = rest

    def read(self, size: int = -1) -> bytes:
        if not self.head:
            return self.rest.read(size)
        if size < 0:
            data, self.head = self.head + self.rest.read(), b""
        else:
            data, self.head = self.head[:size], self.head[size:]
        return data


def _xml_records(
    stream: BinaryIO, container: str | None, record: str, budget: _Budget
) -> Iterator[Element]:
    """The complete ``record`` elements of an XML part, one at a time: the children of the
    root's ``container`` child (``sheetData`` -> ``row``), or of the root itself (``None``:
    ``sst`` -> ``si``). Stops at the end of the container, and frees what it has read as it
    goes, so memory stays bounded however the XML is built: a row is kept only until it has
    been handed over, and anything that grows without ever completing a record is refused.
    """
    from xml.etree.ElementTree import iterparse

    most_pending = 64 * budget.limits.max_columns + 100_000  # a record's own elements, and more
    level = 2 if container else 1  # depth (after an end event) of the container's children
    depth = pending = seen = 0
    root: Element | None = None
    box: Element | None = None
    events = ("start", "end")
    # The C parser, fast; safe because _without_dtd refuses any DTD before it starts.
    for event, element in iterparse(_without_dtd(stream, budget), events):  # noqa: S314
        if event == "start":
            depth += 1
            if depth == 1:
                root = element
                box = None if container else element
            elif depth == 2 and box is None and element.tag == container:
                box = element
            continue
        depth -= 1
        seen += 1
        if not seen % 4096:
            budget.check_time()
        if depth == level and box is not None:
            if element.tag == record:
                yield element
            box.clear()
            pending = 0
        elif depth == 1 and root is not None:  # another child of the root ended
            if element is box:
                return
            root.clear()
            pending = 0
        else:
            pending += 1
            if pending > most_pending:
                raise TableError("file_unreadable", kind="XLSX")


@dataclass
class _Workbook:
    archive: zipfile.ZipFile
    sheets: list[str]  # paths of the worksheets in the archive, in the workbook's order
    shared_strings: list[str]
    epoch: Any
    date_formats: set[int]
    timedelta_formats: set[int]


def _check_member_count(data: bytes, limits: TableLimits) -> None:
    """Refuse a zip with too many members before ``ZipFile`` builds an object for each: its
    end record says how many there are and how long their directory is (an honest member's
    entry is well under a kilobyte)."""
    import struct

    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65_535))
    if end < 0 or len(data) < end + 22:
        return  # not a zip: ZipFile says so
    count, directory_size = struct.unpack_from("<HL", data, end + 10)
    if count > limits.max_members or directory_size > limits.max_members * 1024:
        raise TableError("file_too_many_parts", count=count, limit=limits.max_members)


def _check_archive(archive: zipfile.ZipFile, limits: TableLimits) -> None:
    """Refuse a zip bomb from its central directory alone, before anything is unpacked.

    The declared sizes are a safe bound: in CPython 3.11's zipfile.py, ``ZipFile.open``
    takes ``file_size`` from the central directory (the local header is only compared for
    the name), and ``ZipExtFile._read1`` cuts every decompressed chunk to the bytes still
    left of it (``data = data[:self._left]``) and ends the member there, then checks the
    CRC. A member that would unpack to more than it declares is cut short and fails its CRC
    (BadZipFile); it is never read past its declared size. (Checked in the 3.11.7 source,
    ``ZipExtFile.__init__`` and ``_read1``; 3.12.1 and 3.13.0 do the same.)
    """
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise TableError("file_too_many_parts", count=len(members), limit=limits.max_members)
    too_large = TableError(
        "file_too_large_unpacked", limit=_megabytes(limits.max_uncompressed_bytes)
    )
    total = 0
    for member in members:
        total += member.file_size
        if (
            member.file_size > limits.max_uncompressed_bytes
            or total > limits.max_uncompressed_bytes
        ):
            raise too_large
        packed = max(member.compress_size, 1)
        if member.file_size > MiB and member.file_size > limits.max_ratio * packed:
            raise TableError("file_packed_oddly", ratio=round(member.file_size / packed))


def _check_whole_part(archive: zipfile.ZipFile, name: str) -> None:
    """openpyxl parses the small parts of a workbook whole, in memory and without a
    deadline: keep those small (they are kilobytes in any real file)."""
    member = archive.NameToInfo.get(name)
    if member is not None and member.file_size > WHOLE_PART_MAX_BYTES:
        raise TableError("file_too_large_unpacked", limit=_megabytes(WHOLE_PART_MAX_BYTES))


def _open_workbook(data: bytes, budget: _Budget) -> _Workbook:
    """The workbook's parts that say where the answers are and how to read them."""
    from openpyxl.packaging.relationship import get_rels_path
    from openpyxl.reader.excel import ExcelReader, _find_workbook_part
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, ARC_STYLE, SHARED_STRINGS

    _check_member_count(data, budget.limits)
    reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    archive = reader.archive
    try:
        _check_archive(archive, budget.limits)
        _check_whole_part(archive, ARC_CONTENT_TYPES)
        reader.read_manifest()
        workbook_part = _find_workbook_part(reader.package).PartName[1:]
        for name in (workbook_part, get_rels_path(workbook_part), ARC_STYLE):
            _check_whole_part(archive, name)
        reader.read_workbook()
        apply_stylesheet(archive, reader.wb)
        strings_part = reader.package.find(SHARED_STRINGS)
        strings: list[str] = []
        if strings_part is not None:
            with archive.open(strings_part.PartName[1:]) as stream:
                strings = _read_shared_strings(stream, budget)
        sheets = [
            rel.target
            for _sheet, rel in reader.parser.find_sheets()
            if "chartsheet" not in rel.Type and rel.target in archive.NameToInfo
        ]
    except BaseException:
        archive.close()
        raise
    wb = reader.wb
    return _Workbook(
        archive, sheets, strings, wb.epoch, set(wb._date_formats), set(wb._timedelta_formats)
    )


def _read_shared_strings(stream: BinaryIO, budget: _Budget) -> list[str]:
    strings: list[str] = []
    for item in _xml_records(stream, None, f"{{{_MAIN_NS}}}si", budget):
        strings.append(_clean_xml_text(_rich_text(item)))
        if len(strings) > budget.limits.max_cells:
            raise TableError("too_many_cells", limit=budget.limits.max_cells)
    return strings


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_T_TAG = f"{{{_MAIN_NS}}}t"
_RUN_TAG = f"{{{_MAIN_NS}}}r"


def _rich_text(node: Element) -> str:
    """The text of an ``<si>`` or ``<is>``: its ``<t>``, or its runs' ``<t>``; phonetic
    guides (``<rPh>``) are not part of it. What openpyxl's ``Text.content`` gives, faster
    (openpyxl builds an object per run; here the usual single ``<t>`` costs one lookup)."""
    if len(node) == 1 and node[0].tag == _T_TAG:
        return node[0].text or ""
    parts = []
    for child in node:
        if child.tag == _T_TAG:
            parts.append(child.text or "")
        elif child.tag == _RUN_TAG:
            parts.extend(t.text or "" for t in child if t.tag == _T_TAG)
    return "".join(parts)


@cache
def _column_index(letters: str) -> int:
    """:func:`column_number`, cached: a sheet repeats the same few letters in every row."""
    return column_number(letters)


@cache
def _sheet_parser_class() -> type:
    """The bounded sheet parser (openpyxl is imported only when an XLSX is read)."""
    from openpyxl.utils.datetime import from_excel, from_ISO8601
    from openpyxl.worksheet._reader import (
        CELL_TAG,
        FORMULA_TAG,
        INLINE_STRING,
        ROW_TAG,
        VALUE_TAG,
        WorkSheetParser,
        _cast_number,
    )

    sheet_data_tag = f"{{{_MAIN_NS}}}sheetData"
    digits = "0123456789"

    class BoundedSheetParser(WorkSheetParser):
        """openpyxl's sheet parser, driven by :func:`_xml_records` and bounded by a budget.

        ``parse`` yields ``(row number, cells as text)`` for every row, placing each cell by
        its own coordinate; cells that cannot be read as the file's owner sees them are
        collected (formulas without a saved value, error values) to refuse the file.
        """

        def __init__(self, source: BinaryIO, book: _Workbook, budget: _Budget) -> None:
            super().__init__(
                source,
                book.shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book.date_formats,
                timedelta_formats=book.timedelta_formats,
            )
            self.budget = budget
            self.uncalculated: list[str] = []  # cells with a formula but no saved value
            self.errors: list[tuple[str, str]] = []  # (cell, error value such as #DIV/0!)

        def parse(self) -> Iterator[tuple[int, list[str]]]:
            last = 0
            for row in _xml_records(self.source, sheet_data_tag, ROW_TAG, self.budget):
                number, cells = self.parse_row(row)
                if number <= last:  # rows out of order: a damaged or hand-made file
                    raise TableError("file_unreadable", kind="XLSX")
                last = number
                yield number, cells

        def parse_row(self, row: Element) -> tuple[int, list[str]]:  # type: ignore[override]
            number = _row_number(row.get("r"), self.row_counter)
            self.row_counter, self.col_counter = number, 0
            self.budget.add_cells(len(row))
            limit = self.budget.limits.max_columns
            values: list[str] = []
            previous = 0
            for element in row:
                if element.tag != CELL_TAG:
                    continue
                column, text = self.parse_cell(element)
                if column <= previous:  # two cells in one place: damaged or hand-made
                    raise TableError("file_unreadable", kind="XLSX")
                previous = column
                if text:
                    if column > limit:
                        raise _too_many_columns(number, limit)
                    if column > len(values) + 1:
                        values.extend([""] * (column - 1 - len(values)))
                    values.append(text)
            return number, values

        def parse_cell(self, element: Element) -> tuple[int, str]:  # type: ignore[override]
            coordinate = element.get("r")
            column = (
                _column_index(coordinate.rstrip(digits)) if coordinate else self.col_counter + 1
            )
            self.col_counter = column
            if not len(element):  # no <v>, <f> or <is>: empty, whatever its type and style
                return column, ""
            kind = element.get("t", "n")
            if kind == "inlineStr":
                child = element.find(INLINE_STRING)
                text = "" if child is None else _clean_xml_text(_rich_text(child))
                return column, self._checked(text.strip(), column)
            value = element.findtext(VALUE_TAG)
            if not value:
                # No saved value, or an empty one (openpyxl writes <v/> after a formula it
                # cannot calculate); only a text formula's result can really be empty.
                if element.find(FORMULA_TAG) is not None and not (value == "" and kind == "str"):
                    self.uncalculated.append(self._cell(column))
                return column, ""
            if kind == "n":
                return column, self._number(value, element.get("s"), column)
            if kind == "s":
                index = int(value)
                if index < 0:  # Python would count from the end: another string, silently
                    raise IndexError(index)
                return column, self._checked(self.shared_strings[index].strip(), column)
            if kind == "e":
                self.errors.append((self._cell(column), value))
                return column, ""
            if kind == "b":
                return column, str(bool(int(value)))
            if kind == "d":
                return column, _cell_text(from_ISO8601(value))
            return column, self._checked(_clean_xml_text(value).strip(), column)  # "str"

        def _number(self, value: str, style: str | None, column: int) -> str:
            number = _cast_number(value)
            if style and int(style) in self.date_formats:
                try:
                    return _cell_text(
                        from_excel(
                            number, self.epoch, timedelta=int(style) in self.timedelta_formats
                        )
                    )
                except (OverflowError, ValueError):  # what Excel shows as ##### / #VALUE!
                    self.errors.append((self._cell(column), "#VALUE!"))
                    return ""
            return _cell_text(number)

        def _checked(self, text: str, column: int) -> str:
            if len(text) > self.budget.limits.max_cell_chars:
                raise TableError(
                    "cell_too_long",
                    cell=self._cell(column),
                    limit=self.budget.limits.max_cell_chars,
                )
            return text

        def _cell(self, column: int) -> str:
            return f"{column_letter(column)}{self.row_counter}"

    return BoundedSheetParser


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        number = float(text)  # some writers say "5.0"
        if not number.is_integer():
            raise
        return int(number)


def read_xlsx_bytes(
    data: bytes, *, limits: TableLimits = DEFAULT_LIMITS, progress: Progress | None = None
) -> Table:
    """An XLSX upload's answer sheet as a table, within ``limits`` (see the notes above)."""
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    import openpyxl
    from defusedxml import DefusedXmlException
    from openpyxl.utils.exceptions import InvalidFileException

    if not (openpyxl.DEFUSEDXML or openpyxl.LXML):  # a broken installation, not a bad file
        raise RuntimeError("openpyxl must parse XML with defusedxml: install defusedxml")
    budget = _start(data, limits, progress)
    unreadable = (
        zipfile.BadZipFile,
        InvalidFileException,
        KeyError,
        IndexError,
        OSError,
        EOFError,
        TypeError,  # openpyxl's descriptors, on values of the wrong kind
        AttributeError,  # openpyxl, on a part missing what it expects
        ValueError,
        ParseError,
        zlib.error,
        NotImplementedError,  # a compression method zipfile lacks
        RuntimeError,  # an encrypted member
    )
    try:
        book = _open_workbook(data, budget)
        try:
            return _read_answer_sheet(book, budget)
        finally:
            book.archive.close()
    except TableError:
        raise
    except DefusedXmlException as exc:
        raise TableError("file_unsafe_xml") from exc
    except unreadable as exc:
        if exc is budget.callback_error:
            raise
        raise TableError("file_unreadable", kind="XLSX") from exc


def _read_answer_sheet(book: _Workbook, budget: _Budget) -> Table:
    parser_class = _sheet_parser_class()
    path = _answer_sheet(book, budget, parser_class)
    if path is None:
        raise TableError("file_empty")
    limits = budget.limits
    header: list[str] = []
    rows: list[list[str]] = []
    with book.archive.open(path) as stream:
        parser = parser_class(stream, book, budget)
        for number, cells in parser.parse():
            if number == 1:
                header = cells
                continue
            if not cells:
                continue  # an empty or formatted-only row: nothing to place, nothing to pad
            if number - 1 > limits.max_rows:
                column = next(i for i, cell in enumerate(cells, start=1) if cell)
                cell = f"{column_letter(column)}{number}"
                raise TableError("row_beyond_limit", cell=cell, limit=limits.max_rows)
            rows.extend([] for _ in range(number - 2 - len(rows)))  # rows with no cells
            rows.append(cells)
            budget.rows_read(number - 1)
    _refuse_unreadable_cells(parser)
    while header and not header[-1]:
        header.pop()
    budget.done(len(rows))
    return Table(header, rows)


def _refuse_unreadable_cells(parser: Any) -> None:
    if parser.uncalculated:
        cells = parser.uncalculated
        if len(cells) == 1:
            raise TableError("formula_without_value", cell=cells[0])
        raise TableError("formulas_without_value", cell=cells[0], count=len(cells))
    if parser.errors:
        (cell, value), count = parser.errors[0], len(parser.errors)
        if count == 1:
            raise TableError("error_cell", cell=cell, error=value)
        raise TableError("error_cells", cell=cell, error=value, count=count)


def _answer_sheet(book: _Workbook, budget: _Budget, parser_class: type) -> str | None:
    """The sheet with the answers: the first whose header row has a ``group`` column (the
    template puts its instructions first), else the first sheet. Only first rows are read."""
    for path in book.sheets:
        with book.archive.open(path) as stream:
            first = next(iter(parser_class(stream, book, budget).parse()), (0, []))
        if first[0] == 1 and any(v.strip().lower() == "group" for v in first[1]):
            return path
    return book.sheets[0] if book.sheets else None


def read_table(
    data: bytes,
    filename: str,
    *,
    limits: TableLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> Table:
    """Read a CSV or XLSX upload by its file name's extension, within ``limits``;
    ``progress`` is told the number of rows read every few hundred rows, and at the end."""
    ext = Path(filename).suffix.lower()
    if ext == ".csv":
        return read_csv_bytes(data, limits=limits, progress=progress)
    if ext in (".xlsx", ".xlsm"):
        return read_xlsx_bytes(data, limits=limits, progress=progress)
    raise TableError("wrong_extension", ext=ext or "?")


# --- writing --------------------------------------------------------------------------------


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel opens å, ä and ö correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] = ()


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook with one sheet per :class:`Sheet`, header row bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        sheet.append([safe_cell(h) for h in spec.header])
        for cell in sheet[1]:
            cell.font = bold
        for row in spec.rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in user text (CSV/XLSX injection, OWASP's advice):
    text that a spreadsheet would run as a formula gets a leading apostrophe. Use it for
    every value people typed that goes into a file we write."""
    if (
        isinstance(value, str)
        and len(value) > 1
        and value[0] in ("=", "+", "-", "@", "\t", "\r")
        and not _is_number(value)
    ):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _column_letter(index: int) -> str:
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA: how spreadsheet users find a column."""
    return _column_letter(index)


def column_number(letters: str) -> int:
    """A -> 1, AA -> 27: the inverse of :func:`column_letter`."""
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha()):
        raise ValueError(f"not a column: {letters!r}")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number
