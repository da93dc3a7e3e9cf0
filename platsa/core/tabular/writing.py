"""Writing CSV and XLSX that open cleanly in Excel, with spreadsheet formulas neutralised in
anything people typed."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from platsa.core.tabular.common import _column_letter

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
