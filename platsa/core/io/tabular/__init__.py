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

from pathlib import Path
from typing import Any

from platsa.core.io.tabular.common import (
    DEFAULT_LIMITS,
    Progress,
    Table,
    TableError,
    TableErrorCode,
    TableLimits,
    column_letter,
    column_number,
    strip_controls,
)
from platsa.core.io.tabular.csv_reader import read_csv_bytes
from platsa.core.io.tabular.writing import Sheet, safe_cell, write_csv, write_xlsx


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
        from platsa.core.io.tabular.xlsx_sheet import read_xlsx_bytes

        return read_xlsx_bytes(data, limits=limits, progress=progress)
    raise TableError(TableErrorCode.WRONG_EXTENSION, ext=ext or "?")


def __getattr__(name: str) -> Any:
    """``read_xlsx_bytes`` on first use: the XLSX reader's modules are not loaded to read a
    CSV file (``platsa assess`` starts a new process for every file)."""
    if name == "read_xlsx_bytes":
        from platsa.core.io.tabular.xlsx_sheet import read_xlsx_bytes

        return read_xlsx_bytes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_LIMITS",
    "Sheet",
    "Table",
    "TableError",
    "TableErrorCode",
    "TableLimits",
    "column_letter",
    "column_number",
    "read_csv_bytes",
    "read_table",
    "read_xlsx_bytes",
    "safe_cell",
    "strip_controls",
    "write_csv",
    "write_xlsx",
]
