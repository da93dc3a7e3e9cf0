"""A quick reader for the CSV files most people have, by column, with NumPy on the bytes.

Why: ``platsa assess`` must read 100,000 respondents in at most four times what a bare
``csv.reader`` pass over the file takes, and the csv module alone, making a Python string
of each of the file's five million cells, is most of that. Most cells are one digit or
empty; here they never become Python objects: the file's separators are found at once
with NumPy, and each column is taken from the bytes as the reader that needs it wants it
(one byte per cell for ratings, one string per cell for groups, text only where a cell
holds any).

The reader takes only files it reads exactly as :func:`read_csv_bytes` does, and returns
None for any other, which the caller then reads with :func:`read_csv_bytes`: so every
refusal and its message comes from one reader. It takes UTF-8 text without control
characters and without carriage returns other than before line feeds, every line of which
is one record as wide as the header and not blank, within the limits. A line with a
quotation mark is read by the csv module itself (it must hold the whole record); the lines
without, where a cell is the text between two separators, are cut with NumPy.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass

import numpy as np

from platsa.core.io.tabular.common import (
    _CONTROL_BYTES,
    DEFAULT_LIMITS,
    TableLimits,
    _start,
)
from platsa.core.io.tabular.csv_reader import _delimiter, _has_long_line, _utf16_codec

_BOM = b"\xef\xbb\xbf"
_LF, _CR = 10, 13
_MAX_WORDS = 8  # cells up to 8 x 8 bytes long are told apart by their bytes, by column
_PADDING = 8 * _MAX_WORDS
# The low ``i`` bytes of a little-endian 64-bit word.
_MASKS = np.array([(1 << (8 * i)) - 1 for i in range(9)], dtype=np.uint64)


@dataclass
class CsvColumns:
    """The data rows of a CSV file, as columns that are taken from its bytes on demand.

    ``plain`` are the indices (among the data rows) of the rows cut from the bytes: in the
    i-th of them, cell ``j`` ends at ``ends[i, j]`` in ``data`` (at the separator, CR or LF
    after it) and starts after the end of cell ``j - 1``, or at ``line_starts[i]``.
    ``quoted`` are the rows the csv module read, by index. Cells are as
    :func:`read_csv_bytes` gives them: not stripped."""

    header: list[str]
    n: int
    data: np.ndarray  # the file's bytes after any BOM, ending in a line feed
    delimiter: str
    line_starts: np.ndarray  # (plain rows,)
    ends: np.ndarray  # (plain rows, width)
    plain: np.ndarray
    quoted: dict[int, list[str]]
    words: np.ndarray  # the 8 bytes from each byte of ``data`` on, as a little-endian number
    first_row_number: int = 2

    def edges(self, first: int, last: int) -> np.ndarray:
        """(plain rows, last - first + 2): where the cell before column ``first`` ends (one
        before the line's start for the first column), then the ends of ``first`` to
        ``last``: cell ``first + k`` is from ``edges[:, k] + 1`` to ``edges[:, k + 1]``. A
        view of :attr:`ends` unless ``first`` is 0."""
        if first > 0:
            return self.ends[:, first - 1 : last + 1]
        return np.column_stack([self.line_starts - 1, self.ends[:, : last + 1]])

    def strings(self, first: int, last: int) -> list[list[str]]:
        """Every row's cells in columns ``first`` to ``last``, as text, column by column:
        the cells' bytes gathered with the separators between them (no plain cell holds
        one) into one text, split once."""
        edges = self.edges(first, last)
        count = last - first + 1
        cells = self.texts(edges[:, 0] + 1, edges[:, -1])
        columns = [cells[k::count] for k in range(count)]
        if not self.quoted:
            return columns
        rows = sorted(self.quoted)
        at = np.searchsorted(self.plain, rows).tolist()  # plain rows before each
        out = []
        for k, column in enumerate(columns):
            full: list[str] = []
            taken = 0
            for row, plain_before in zip(rows, at, strict=True):
                full += column[taken:plain_before]
                full.append(self.quoted[row][first + k])
                taken = plain_before
            full += column[taken:]
            out.append(full)
        return out

    def distinct(
        self, column: int
    ) -> tuple[np.ndarray, list[tuple[int, str]], list[tuple[int, str]]]:
        """The distinct cells of ``column``, found from their bytes without a string for
        every cell: (for each plain row, the index of its cell's value among the distinct
        ones, -1 if it is among ``others``; the distinct values as (plain row of first
        appearance, text); ``others``: the cells that were not sorted in, as (data row, text),
        the plain ones longer than 64 bytes and those of the rows the csv module read).

        A cell is the 64-bit words of its bytes, zero-padded to the column's longest (a cell
        holds no NUL, so the padding is no character): equal words, equal cells. The words
        are hashed into one number to be sorted; the cells that share a hash are compared
        word for word, and a column where two differ (so far unseen) is read cell by cell."""
        edges = self.edges(column, column)
        starts, ends = edges[:, 0] + 1, edges[:, 1]
        lengths = ends - starts
        longest = int(lengths.max()) if len(lengths) else 0
        size = min(_MAX_WORDS, max(1, -(-longest // 8))) * 8  # bytes compared, in words
        short = np.flatnonzero(lengths <= size)
        words = np.empty((len(short), size // 8), dtype=np.uint64)
        short_starts, short_lengths = starts, lengths
        if len(short) < len(lengths):
            short_starts, short_lengths = starts[short], lengths[short]
        for k in range(size // 8):
            # The 8 bytes from each cell's byte 8k on, read as one number (the data has
            # padding after its end for this), the bytes past the cell's end masked off.
            left = np.clip(short_lengths - 8 * k, 0, 8)
            words[:, k] = self.words[short_starts + 8 * k] & _MASKS[left]
        keys = words[:, 0].copy()
        with np.errstate(over="ignore"):
            for k in range(1, words.shape[1]):
                keys *= np.uint64(0x9E3779B97F4A7C15)
                keys ^= words[:, k]
        distinct, inverse = np.unique(keys, return_inverse=True)
        inverse = inverse.reshape(-1)
        first = np.full(len(distinct), len(keys), dtype=np.int64)  # each one's first cell
        np.minimum.at(first, inverse, np.arange(len(keys)))
        index = np.full(len(starts), -1, dtype=np.int64)
        if (words == words[first[inverse]]).all():
            index[short] = inverse
            first = short[first]
        else:
            first = short[:0]  # two cells share a hash: every cell on its own
        values = list(zip(first.tolist(), self.texts(starts[first], ends[first]), strict=True))
        alone = np.flatnonzero(index < 0)
        texts = self.texts(starts[alone], ends[alone])
        others = list(zip(self.plain[alone].tolist(), texts, strict=True))
        others += [(row, record[column]) for row, record in self.quoted.items()]
        return index, values, others

    def cell(self, row: int, column: int) -> str:
        """Data row ``row``'s (from 0) cell in ``column``, as text."""
        record = self.quoted.get(row)
        if record is not None:
            return record[column]
        at = int(np.searchsorted(self.plain, row))
        start = int(self.line_starts[at] if column == 0 else self.ends[at, column - 1] + 1)
        return self.data[start : int(self.ends[at, column])].tobytes().decode("utf-8")

    def texts(self, starts: np.ndarray, ends: np.ndarray) -> list[str]:
        """The text of plain cells from ``starts`` to ``ends`` (in ``data``), or of spans of
        side-by-side cells with their separators in them.

        Each is gathered with the byte after it, made a separator, into one text that is
        split once: one Python string per cell and no other Python object. The bytes'
        positions are a running sum of steps of 1 within a cell and jumps between cells."""
        if not len(starts):
            return []
        kind = np.int32 if len(self.data) < 2**31 else np.int64
        sizes = (ends - starts + 1).astype(kind)  # and the byte after, to be a separator
        step = np.ones(int(sizes.sum()), dtype=kind)
        firsts = np.cumsum(sizes) - sizes
        step[firsts[1:]] = starts[1:] - ends[:-1]
        step[0] = starts[0]
        gathered = self.data[np.cumsum(step, dtype=kind)]
        gathered[firsts + sizes - 1] = ord(self.delimiter)
        text: str = gathered.tobytes().decode("utf-8")
        cells = text.split(self.delimiter)
        cells.pop()  # after the last separator
        return cells


def read_csv_columns(data: bytes, *, limits: TableLimits = DEFAULT_LIMITS) -> CsvColumns | None:
    """``data`` as :class:`CsvColumns` if it is a file this reader takes (see the module),
    else None: then :func:`read_csv_bytes` reads it, and refuses it if it must. A file over
    the byte limit is refused here as there (:class:`TableError`)."""
    budget = _start(data, limits, None)
    if _utf16_codec(data) is not None:
        return None
    if _has_controls(data):
        return None  # control characters to remove: the reader of rows does
    bom = len(_BOM) if data.startswith(_BOM) else 0  # the text starts after it
    if not data.isascii() and not _is_utf8(memoryview(data)[bom:]):
        return None  # Windows-1252
    cell_limit = min(limits.max_cell_chars, csv.field_size_limit())
    if _has_long_line(data, cell_limit):  # (the BOM only makes the first line look longer)
        return None  # a cell may be too long: the reader that names it
    # The text's bytes, copied once: ending in a line feed, then zeros (for ``words``).
    size = len(data) - bom
    end = 0 if data.endswith(b"\n") else 1
    padded = np.zeros(size + end + _PADDING, dtype=np.uint8)
    padded[:size] = np.frombuffer(data, dtype=np.uint8, offset=bom)
    padded[size : size + end] = _LF
    raw = padded[: size + end]
    first_feed = data.find(b"\n", bom) - bom if data.find(b"\n", bom) >= 0 else size
    header_line = raw[: first_feed + 1].tobytes().decode("utf-8")
    delimiter = _delimiter(header_line)
    header_record = _one_record(header_line, delimiter)
    if header_record is None or len(header_record) < 2 or not "".join(header_record).strip():
        return None
    width = len(header_record)
    if data.find(b"\xc2", bom) >= 0:  # in UTF-8, a C1 control (U+0080-U+009F) is C2 80 to C2 9F
        follow = raw[_find_all(raw, 0xC2) + 1]
        if ((follow >= 0x80) & (follow <= 0x9F)).any():
            return None
    feeds = _find_all(raw, _LF)
    n = len(feeds) - 1
    if n < 1:
        return None
    if data.count(b"\r", bom) != np.count_nonzero(raw[feeds[feeds > 0] - 1] == _CR):
        return None  # a CR that is not before a line feed ends a line too
    if width > limits.max_columns or n > limits.max_rows or (n + 1) * width > limits.max_cells:
        return None
    quote_lines = np.unique(np.searchsorted(feeds, _find_all(raw, ord('"'))))
    is_plain = np.ones(n, dtype=bool)
    is_plain[quote_lines[quote_lines > 0] - 1] = False
    plain = np.flatnonzero(is_plain)
    starts = feeds[:-1][plain] + 1
    ends = _cell_ends(raw, feeds, is_plain, ord(delimiter), width)
    if ends is None:
        return None  # a row narrower or wider than the header, or blank
    ends[:, -1] -= raw[ends[:, -1] - 1] == _CR  # a CR before the LF ends the line with it
    if (ends[:, -1] - starts == width - 1).any():
        return None  # a row of empty cells, which the importer skips as blank
    quoted_rows = np.flatnonzero(~is_plain).tolist()
    lines = [raw[feeds[r] + 1 : feeds[r + 1] + 1].tobytes().decode("utf-8") for r in quoted_rows]
    records = _records(lines, delimiter)
    if records is None or any(len(r) != width or not any(r) for r in records):
        return None
    quoted = dict(zip(quoted_rows, records, strict=True))
    budget.add_cells((n + 1) * width)
    budget.check_time()
    return CsvColumns(
        header=[h.strip() for h in header_record],
        n=n,
        data=raw,
        delimiter=delimiter,
        line_starts=starts,
        ends=ends,
        plain=plain,
        quoted=quoted,
        words=np.ndarray((len(padded) - 7,), dtype="<u8", buffer=padded.data, strides=(1,)),
    )


_CHUNK = 1 << 15  # bytes checked at a time: a few small buffers, not one the file's size
# Lines cut at a time. A large temporary array costs more to be given its memory than to
# be filled (a fresh page is a fault); small ones, reused, do not.
_BLOCK_LINES = 4096
_BLOCK_BYTES = 1 << 20


def _find_all(raw: np.ndarray, byte: int) -> np.ndarray:
    """Where ``byte`` is in ``raw``, a block at a time."""
    found = [
        np.flatnonzero(raw[start : start + _BLOCK_BYTES] == byte) + start
        for start in range(0, len(raw), _BLOCK_BYTES)
    ]
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _cell_ends(
    raw: np.ndarray, feeds: np.ndarray, is_plain: np.ndarray, delimiter: int, width: int
) -> np.ndarray | None:
    """(plain rows, width): where each cell of the plain data rows ends (at the separator
    or line feed after it), or None if one of them does not have ``width`` cells. Found a
    block of lines at a time; int32 where the file allows."""
    kind = np.int32 if len(raw) < 2**31 - 1 else np.int64
    ends = np.empty((int(is_plain.sum()), width), dtype=kind)
    done = 0
    for first in range(0, len(is_plain), _BLOCK_LINES):
        last = min(first + _BLOCK_LINES, len(is_plain))  # data rows first..last - 1
        start, stop = int(feeds[first]) + 1, int(feeds[last]) + 1
        block = raw[start:stop]
        is_cut = block == delimiter
        np.logical_or(is_cut, block == _LF, out=is_cut)
        cut = np.flatnonzero(is_cut)
        cut += start
        at_feed = np.flatnonzero(raw[cut] == _LF)  # one per line, the block ends with one
        per_line = np.diff(at_feed, prepend=-1)  # cells on each line
        plain = is_plain[first:last]
        if (per_line[plain] != width).any():
            return None
        count = int(plain.sum())
        ends[done : done + count] = cut[np.repeat(plain, per_line)].reshape(count, width)
        done += count
    return ends


def _has_controls(data: bytes) -> bool:
    """Whether ``data`` holds a control byte the reader of rows removes."""
    for start in range(0, len(data), _CHUNK):
        chunk = data[start : start + _CHUNK]
        if len(chunk.translate(None, _CONTROL_BYTES)) != len(chunk):
            return True
    return False


def _is_utf8(data: bytes | memoryview) -> bool:
    """Whether ``data`` decodes as UTF-8, as ``data.decode()`` would tell, without the
    text of the whole file at once."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(view[start : start + _CHUNK])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _records(lines: list[str], delimiter: str) -> list[list[str]] | None:
    """The record the csv module reads in each of ``lines``, or None if one of them holds
    no whole record (each must end on its own line: the line count tells) or fails."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if reader.line_num != len(records):
                return None
    except csv.Error:
        return None
    return records if len(records) == len(lines) else None


def _one_record(line: str, delimiter: str) -> list[str] | None:
    """The one record the csv module reads in ``line``, or None if it reads none, more than
    one, or fails (a quoted cell that goes on to the next line, a stray quotation mark)."""
    try:
        records = list(csv.reader([line], delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return records[0] if len(records) == 1 else None
