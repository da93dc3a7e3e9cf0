"""Reading and writing the spreadsheets people actually have: CSV and XLSX.

CSV from Swedish Excel is often semicolon-separated and Windows-1252 encoded; both are
detected. XLSX is read with openpyxl in read-only mode. Nothing here knows about
frameworks: it returns a header and rows of cell values as text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class TableError(ValueError):
    """The file cannot be read at all; ``code`` is an ``IMPORT_ERRORS`` key."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]  # data rows, every cell as text (not yet stripped)
    first_row_number: int = 2  # the spreadsheet row number of rows[0]


def _cell_text(value: Any) -> str:
    """A cell as text: whole floats lose their ``.0`` (Excel stores 4 as 4.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError("file_unreadable", kind="CSV")


def read_csv_bytes(data: bytes) -> Table:
    text = _decode(data)
    if not text.strip():
        raise TableError("file_empty")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        rows = list(reader)  # cells are stripped by the importer, once per distinct value
    except csv.Error as exc:
        raise TableError("file_unreadable", kind="CSV") from exc
    return Table([h.strip() for h in header], rows)


def read_xlsx_bytes(data: bytes) -> Table:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise TableError("file_unreadable", kind="XLSX") from exc
    try:
        sheet = _answer_sheet(workbook)
        iterator = sheet.iter_rows(values_only=True)
        try:
            header_row = next(iterator)
        except StopIteration as exc:
            raise TableError("file_empty") from exc
        header = [_cell_text(v) for v in header_row]
        while header and not header[-1]:
            header.pop()
        rows = [[_cell_text(v) for v in row] for row in iterator]
    finally:
        workbook.close()
    return Table(header, rows)


def _answer_sheet(workbook: Any) -> Any:
    """The sheet with the answers: the first whose header row has a ``group`` column (the
    template puts its instructions first), else the first sheet."""
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(max_row=1, values_only=True), ())
        if any(isinstance(v, str) and v.strip().lower() == "group" for v in first):
            return sheet
    return workbook.worksheets[0]


def read_table(data: bytes, filename: str) -> Table:
    """Read a CSV or XLSX upload by its file name's extension."""
    ext = Path(filename).suffix.lower()
    if ext == ".csv":
        return read_csv_bytes(data)
    if ext in (".xlsx", ".xlsm"):
        return read_xlsx_bytes(data)
    raise TableError("wrong_extension", ext=ext or "?")


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 CSV with a BOM, so that Excel opens å, ä and ö correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([_safe_cell(h) for h in header])
    writer.writerows([_safe_cell(v) for v in row] for row in rows)
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
        sheet.append([_safe_cell(h) for h in spec.header])
        for cell in sheet[1]:
            cell.font = bold
        for row in spec.rows:
            sheet.append([_safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[_column_letter(index)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formulas in user text (CSV/XLSX injection, OWASP's advice):
    text that a spreadsheet would run as a formula gets a leading apostrophe."""
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
