"""What every reader shares: the limits, the table, the time and size budget, and cell text."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

MiB = 1024 * 1024
PROGRESS_EVERY = 500  # rows between two calls of the ``progress`` callback
CSV_CHUNK = 500  # CSV records parsed between two checks of the limits
WHOLE_PART_MAX_BYTES = 16 * MiB  # XML parts openpyxl parses whole (workbook, styles, ...)
_MAX_PROLOG_BYTES = 1 * MiB  # before an XML part's root element: a declaration and comments

Progress = Callable[[int], None]


class TableErrorCode(StrEnum):
    """Why a file could not be read at all. Each is an ``IMPORT_ERRORS`` key (in
    ``platsa.core.render.messages``) whose message says it, with the error's ``params``;
    the values are stored in the results of import jobs, so they never change."""

    FILE_UNREADABLE = "file_unreadable"  # {kind}: not a CSV or XLSX at all
    FILE_EMPTY = "file_empty"
    FILE_TOO_LARGE = "file_too_large"  # {limit} MB
    WRONG_EXTENSION = "wrong_extension"  # {ext}
    FILE_TOO_LARGE_UNPACKED = "file_too_large_unpacked"  # {limit} MB
    FILE_TOO_MANY_PARTS = "file_too_many_parts"  # {count}, {limit}
    FILE_PACKED_ODDLY = "file_packed_oddly"  # {ratio}
    FILE_UNSAFE_XML = "file_unsafe_xml"
    READ_TIMEOUT = "read_timeout"  # {seconds}
    TOO_MANY_CELLS = "too_many_cells"  # {limit}
    TOO_MANY_COLUMNS = "too_many_columns"  # {cell}, {limit}
    ROW_BEYOND_LIMIT = "row_beyond_limit"  # {cell}, {limit}
    CELL_TOO_LONG = "cell_too_long"  # {cell}, {limit}
    UNCLOSED_QUOTE = "unclosed_quote"  # {quote_row}, {line}
    FORMULA_WITHOUT_VALUE = "formula_without_value"  # {cell}
    FORMULAS_WITHOUT_VALUE = "formulas_without_value"  # {cell}, {count}
    ERROR_CELL = "error_cell"  # {cell}, {error}
    ERROR_CELLS = "error_cells"  # {cell}, {error}, {count}


class TableError(ValueError):
    """The file cannot be read at all; ``code`` says why, ``params`` are its message's
    placeholders. The message names the place in the file itself (``cell``, ``line``), so
    that it reads the same on the command line, which shows no location column."""

    def __init__(self, code: TableErrorCode, **params: Any) -> None:
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
            raise TableError(TableErrorCode.READ_TIMEOUT, seconds=_plain(self.limits.seconds))

    def add_cells(self, count: int) -> None:
        self.cells += count
        if self.cells > self.limits.max_cells:
            raise TableError(TableErrorCode.TOO_MANY_CELLS, limit=self.limits.max_cells)

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
        raise TableError(TableErrorCode.FILE_TOO_LARGE, limit=_megabytes(limits.max_bytes))
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


def _too_many_columns(row: int, limit: int, column: int | None = None) -> TableError:
    """The cell that holds the value beyond the limit (the first past it if unknown): the
    one a person has to find and delete."""
    where = column if column is not None else limit + 1
    return TableError(
        TableErrorCode.TOO_MANY_COLUMNS, cell=f"{column_letter(where)}{row}", limit=limit
    )


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
