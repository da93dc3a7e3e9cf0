"""The answer sheet of an XLSX, streamed cell by cell with explicit coordinates (the sheet's
<dimension> is never trusted), refusing formulas without saved values and error cells."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, BinaryIO

from platsa.core.io.tabular.common import (
    DEFAULT_LIMITS,
    Progress,
    Table,
    TableError,
    TableErrorCode,
    TableLimits,
    _Budget,
    _cell_text,
    _clean_xml_text,
    _start,
    _too_many_columns,
    column_letter,
    column_number,
)
from platsa.core.io.tabular.xlsx_archive import (
    _MAIN_NS,
    _open_workbook,
    _rich_text,
    _Workbook,
    _xml_records,
)

if TYPE_CHECKING:  # zipfile and XML are imported when an XLSX is read: CSV stays quick
    from xml.etree.ElementTree import Element


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

    # openpyxl publishes no types, so its parser is Any to mypy: subclassing it is the point.
    class BoundedSheetParser(WorkSheetParser):  # type: ignore[misc]
        """openpyxl's sheet parser, driven by :func:`_xml_records` and bounded by a budget.

        ``parse`` yields ``(row number, cells as text)`` for every row, placing each cell by
        its own coordinate; cells that cannot be read as the file's owner sees them are
        collected (formulas without a saved value, error values) to refuse the file.
        """

        row_counter: int  # openpyxl's: the row being parsed, and the column in it
        col_counter: int

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
                    raise TableError(TableErrorCode.FILE_UNREADABLE, kind="XLSX")
                last = number
                yield number, cells

        def parse_row(self, row: Element) -> tuple[int, list[str]]:
            number = _row_number(row.get("r"), int(self.row_counter))
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
                    raise TableError(TableErrorCode.FILE_UNREADABLE, kind="XLSX")
                previous = column
                if text:
                    if column > limit:
                        raise _too_many_columns(number, limit, column)
                    if column > len(values) + 1:
                        values.extend([""] * (column - 1 - len(values)))
                    values.append(text)
            return number, values

        def parse_cell(self, element: Element) -> tuple[int, str]:
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
                    TableErrorCode.CELL_TOO_LONG,
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
        raise TableError(TableErrorCode.FILE_UNSAFE_XML) from exc
    except unreadable as exc:
        if exc is budget.callback_error:
            raise
        raise TableError(TableErrorCode.FILE_UNREADABLE, kind="XLSX") from exc


def _read_answer_sheet(book: _Workbook, budget: _Budget) -> Table:
    parser_class = _sheet_parser_class()
    path = _answer_sheet(book, budget, parser_class)
    if path is None:
        raise TableError(TableErrorCode.FILE_EMPTY)
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
                raise TableError(TableErrorCode.ROW_BEYOND_LIMIT, cell=cell, limit=limits.max_rows)
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
            raise TableError(TableErrorCode.FORMULA_WITHOUT_VALUE, cell=cells[0])
        raise TableError(TableErrorCode.FORMULAS_WITHOUT_VALUE, cell=cells[0], count=len(cells))
    if parser.errors:
        (cell, value), count = parser.errors[0], len(parser.errors)
        if count == 1:
            raise TableError(TableErrorCode.ERROR_CELL, cell=cell, error=value)
        raise TableError(TableErrorCode.ERROR_CELLS, cell=cell, error=value, count=count)


def _answer_sheet(book: _Workbook, budget: _Budget, parser_class: type) -> str | None:
    """The sheet with the answers: the first whose header row has a ``group`` column (the
    template puts its instructions first), else the first sheet. Only first rows are read."""
    for path in book.sheets:
        with book.archive.open(path) as stream:
            first: tuple[int, list[str]] = next(
                iter(parser_class(stream, book, budget).parse()), (0, [])
            )
        if first[0] == 1 and any(v.strip().lower() == "group" for v in first[1]):
            return path
    return book.sheets[0] if book.sheets else None
