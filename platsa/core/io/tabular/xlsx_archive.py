"""An XLSX's zip and XML checked before anything is unpacked or parsed: member count, declared
sizes, packing ratio, no DTDs; the workbook opened and its shared strings read within budget."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

from platsa.core.io.tabular.common import (
    _MAX_PROLOG_BYTES,
    WHOLE_PART_MAX_BYTES,
    MiB,
    TableError,
    TableErrorCode,
    TableLimits,
    _Budget,
    _clean_xml_text,
    _megabytes,
)

if TYPE_CHECKING:  # zipfile and XML are imported when an XLSX is read: CSV stays quick
    import zipfile
    from xml.etree.ElementTree import Element


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
        raise TableError(TableErrorCode.FILE_UNSAFE_XML)

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
            raise TableError(TableErrorCode.FILE_UNREADABLE, kind="XLSX")
    except _PrologOverError:
        pass
    except expat.ExpatError as exc:
        raise TableError(TableErrorCode.FILE_UNREADABLE, kind="XLSX") from exc
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
    events: tuple[Literal["start"], Literal["end"]] = ("start", "end")
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
                raise TableError(TableErrorCode.FILE_UNREADABLE, kind="XLSX")


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
        raise TableError(TableErrorCode.FILE_TOO_MANY_PARTS, count=count, limit=limits.max_members)


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
        raise TableError(
            TableErrorCode.FILE_TOO_MANY_PARTS, count=len(members), limit=limits.max_members
        )
    too_large = TableError(
        TableErrorCode.FILE_TOO_LARGE_UNPACKED, limit=_megabytes(limits.max_uncompressed_bytes)
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
            raise TableError(
                TableErrorCode.FILE_PACKED_ODDLY, ratio=round(member.file_size / packed)
            )


def _check_whole_part(archive: zipfile.ZipFile, name: str) -> None:
    """openpyxl parses the small parts of a workbook whole, in memory and without a
    deadline: keep those small (they are kilobytes in any real file)."""
    member = archive.NameToInfo.get(name)
    if member is not None and member.file_size > WHOLE_PART_MAX_BYTES:
        raise TableError(
            TableErrorCode.FILE_TOO_LARGE_UNPACKED, limit=_megabytes(WHOLE_PART_MAX_BYTES)
        )


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
            raise TableError(TableErrorCode.TOO_MANY_CELLS, limit=budget.limits.max_cells)
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
