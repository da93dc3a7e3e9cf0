"""Reading and writing Pol.is's open-data export (compdemocracy/openData): ``votes.csv``,
``comments.csv`` and the wide ``participants-votes.csv``.

Files arrive from users, so they are bounded (:data:`MAX_FILE_BYTES`), decoded strictly as
UTF-8 (a byte-order mark is allowed), and every malformed row is reported with its line
number (:class:`PolisFormatError`). Ids are kept as the text the file has."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from platsa.core.opinion.matrix import VoteMatrix
from platsa.core.render.messages import Translate, gettext_noop, identity

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_FIELD_CHARS = 100_000  # one comment's text; longer is not a Pol.is export

VOTES_HEADER = ("timestamp", "datetime", "comment-id", "voter-id", "vote")
COMMENTS_HEADER = (
    "timestamp",
    "datetime",
    "comment-id",
    "author-id",
    "agrees",
    "disagrees",
    "moderated",
    "comment-body",
)
PV_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


class PolisFormatError(ValueError):
    """A file that is not a readable Pol.is export; ``line`` is 1-based (None: whole file).

    ``template`` is an English message id with ``{placeholders}`` filled from ``params``, so
    the command line and the web import say it in the reader's language (:meth:`text`)."""

    def __init__(self, name: str, template: str, line: int | None = None, **params: object) -> None:
        self.name, self.template, self.line, self.params = name, template, line, params
        self.message = template.format(**params)
        super().__init__(self.text())

    def text(self, _: Translate = identity) -> str:
        """The whole message (file, line, what is wrong) in the language of ``_``."""
        message = _(self.template).format(**self.params)
        if self.line is None:
            return _("{name}: {message}").format(name=self.name, message=message)
        return _("{name}, line {line}: {message}").format(
            name=self.name, line=self.line, message=message
        )


@dataclass(frozen=True)
class Comment:
    id: str
    text: str
    author: str
    moderated: int  # -1 moderated out, 0 not yet moderated, 1 accepted
    agrees: int = 0
    disagrees: int = 0
    timestamp: str = ""
    datetime: str = ""


@dataclass(frozen=True)
class Vote:
    participant: str
    statement: str
    vote: int
    timestamp: int = 0
    datetime: str = ""


@dataclass(frozen=True)
class ParticipantsVotes:
    statement_ids: tuple[str, ...]
    votes: tuple[tuple[str, str, int], ...]
    groups: Mapping[str, str]  # participant -> Pol.is's group-id ("" when none)


def check_size(size: int, name: str, limit: int | None = None) -> None:
    """Refuse a file over ``limit`` bytes (default :data:`MAX_FILE_BYTES`) before reading it."""
    limit = MAX_FILE_BYTES if limit is None else limit
    if size > limit:
        raise PolisFormatError(
            name,
            gettext_noop("the file has {size} bytes; at most {limit} are read"),
            size=f"{size:,}".replace(",", " "),
            limit=f"{limit:,}".replace(",", " "),
        )


def _decode(data: bytes, name: str) -> str:
    check_size(len(data), name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise PolisFormatError(
            name, gettext_noop("not UTF-8 text (Pol.is exports are UTF-8)"), line
        ) from None


def _csv_problem(exc: csv.Error, name: str, line: int, otherwise: str) -> PolisFormatError:
    """The csv module's complaint in the reader's language where it is the one a hostile
    file gives (a field too long to be a comment); its own English words for the rest (a
    stray quote, say)."""
    if "field larger than field limit" in str(exc):
        return PolisFormatError(
            name,
            gettext_noop("a field of more than {limit} characters"),
            line,
            limit=f"{MAX_FIELD_CHARS:,}".replace(",", " "),
        )
    return PolisFormatError(name, otherwise, line, error=exc)


def _rows(
    data: bytes, name: str, required: Sequence[str]
) -> tuple[list[str], Iterable[tuple[int, list[str]]]]:
    text = _decode(data, name)
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise PolisFormatError(name, gettext_noop("the file is empty")) from None
    except csv.Error as exc:
        raise _csv_problem(exc, name, 1, gettext_noop("unreadable header ({error})")) from None
    header = [h.strip() for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise PolisFormatError(
            name, gettext_noop("missing column(s): {columns}"), 1, columns=", ".join(missing)
        )

    def gen() -> Iterable[tuple[int, list[str]]]:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise _csv_problem(
                    exc, name, reader.line_num, gettext_noop("unreadable row ({error})")
                ) from None
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(header):
                raise PolisFormatError(
                    name,
                    gettext_noop("{fields} fields where the header has {columns}"),
                    reader.line_num,
                    fields=len(row),
                    columns=len(header),
                )
            yield reader.line_num, row

    return header, gen()


def _int(value: str, what: str, name: str, line: int) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise PolisFormatError(
            name,
            gettext_noop("{what} {value} is not a whole number"),
            line,
            what=what,
            value=repr(value),
        ) from None


def _vote(value: str, name: str, line: int) -> int:
    v = value.strip()
    if v in ("1", "1.0"):
        return 1
    if v in ("-1", "-1.0"):
        return -1
    if v in ("0", "0.0"):
        return 0
    raise PolisFormatError(
        name, gettext_noop("vote {value} is not 1, -1 or 0"), line, value=repr(value)
    )


def _id(value: str, what: str, name: str, line: int) -> str:
    v = value.strip()
    if not v:
        raise PolisFormatError(name, gettext_noop("{what} is empty"), line, what=what)
    if len(v) > 200:
        raise PolisFormatError(
            name, gettext_noop("{what} is longer than 200 characters"), line, what=what
        )
    return v


def read_votes(data: bytes, name: str = "votes.csv") -> list[Vote]:
    """Votes in the order they were cast (by timestamp; the file's order among equal
    timestamps), so that a later vote of the same pair replaces an earlier one."""
    header, rows = _rows(data, name, ("comment-id", "voter-id", "vote"))
    col = {h: i for i, h in enumerate(header)}
    ts_i, dt_i = col.get("timestamp"), col.get("datetime")
    out: list[Vote] = []
    for line, row in rows:
        ts = (
            _int(row[ts_i], "timestamp", name, line)
            if ts_i is not None and row[ts_i].strip()
            else 0
        )
        out.append(
            Vote(
                _id(row[col["voter-id"]], "voter-id", name, line),
                _id(row[col["comment-id"]], "comment-id", name, line),
                _vote(row[col["vote"]], name, line),
                ts,
                row[dt_i] if dt_i is not None else "",
            )
        )
    out.sort(key=lambda v: v.timestamp)  # stable
    return out


def read_comments(data: bytes, name: str = "comments.csv") -> dict[str, Comment]:
    header, rows = _rows(data, name, ("comment-id", "moderated", "comment-body"))
    col = {h: i for i, h in enumerate(header)}

    def get(row: list[str], key: str) -> str:
        i = col.get(key)
        return row[i] if i is not None else ""

    out: dict[str, Comment] = {}
    for line, row in rows:
        cid = _id(row[col["comment-id"]], "comment-id", name, line)
        mod_text = row[col["moderated"]].strip()
        moderated = _int(mod_text, "moderated", name, line) if mod_text else 0
        if moderated not in (-1, 0, 1):
            raise PolisFormatError(
                name,
                gettext_noop("moderated {value} is not -1, 0 or 1"),
                line,
                value=repr(mod_text),
            )
        out[cid] = Comment(
            cid,
            row[col["comment-body"]],
            get(row, "author-id").strip(),
            moderated,
            _int(get(row, "agrees") or "0", "agrees", name, line),
            _int(get(row, "disagrees") or "0", "disagrees", name, line),
            get(row, "timestamp").strip(),
            get(row, "datetime"),
        )
    return out


def read_participants_votes(data: bytes, name: str = "participants-votes.csv") -> ParticipantsVotes:
    """The wide export: one row per participant, one column per comment id (1 / -1 / 0 /
    empty for no vote)."""
    header, rows = _rows(data, name, ("participant",))
    fixed = [h for h in header if h in PV_FIXED]
    sids = tuple(h for h in header if h not in PV_FIXED)
    col = {h: i for i, h in enumerate(header)}
    s_cols = [(col[s], s) for s in sids]
    g_i = col.get("group-id")
    del fixed
    votes: list[tuple[str, str, int]] = []
    groups: dict[str, str] = {}
    for line, row in rows:
        pid = _id(row[col["participant"]], "participant", name, line)
        groups[pid] = row[g_i].strip() if g_i is not None else ""
        for i, s in s_cols:
            cell = row[i]
            if cell.strip():
                votes.append((pid, s, _vote(cell, name, line)))
    return ParticipantsVotes(sids, tuple(votes), groups)


def moderated_out(comments: Mapping[str, Comment]) -> frozenset[str]:
    return frozenset(c.id for c in comments.values() if c.moderated == -1)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_votes(votes: Iterable[Vote]) -> str:
    return _csv(
        VOTES_HEADER,
        ((v.timestamp, v.datetime, v.statement, v.participant, v.vote) for v in votes),
    )


def write_comments(comments: Iterable[Comment]) -> str:
    return _csv(
        COMMENTS_HEADER,
        (
            (c.timestamp, c.datetime, c.id, c.author, c.agrees, c.disagrees, c.moderated, c.text)
            for c in comments
        ),
    )


def write_participants_votes(
    matrix: VoteMatrix,
    groups: Mapping[str, int | str] | None = None,
    comments_by_author: Mapping[str, int] | None = None,
) -> str:
    """The wide export of a matrix (``group-id`` from ``groups``, empty when absent)."""
    groups = groups or {}
    comments_by_author = comments_by_author or {}
    n_s = len(matrix.statement_ids)
    v = matrix.values

    def rows() -> Iterable[list[object]]:
        for r, pid in enumerate(matrix.participant_ids):
            cells: list[object] = [""] * n_s
            lo, hi = v.indptr[r], v.indptr[r + 1]
            vals = v.data[lo:hi].tolist()
            for c, x in zip(v.indices[lo:hi].tolist(), vals, strict=True):
                cells[c] = int(x)
            g = groups.get(pid, "")
            yield [
                pid,
                g,
                comments_by_author.get(pid, 0),
                len(vals),
                sum(1 for x in vals if x > 0),
                sum(1 for x in vals if x < 0),
                *cells,
            ]

    return _csv((*PV_FIXED, *matrix.statement_ids), rows())


@dataclass(frozen=True)
class Conversation:
    """One exported conversation read from its folder: the vote matrix (moderated-out
    statements removed), statement texts, and Pol.is's own group per participant when the
    wide export has it."""

    matrix: VoteMatrix
    texts: Mapping[str, str]
    polis_groups: Mapping[str, str]
    source: str  # "votes.csv" or "participants-votes.csv"


def read_conversation(folder: Path) -> Conversation:
    """Prefer votes.csv (every vote, in casting order); otherwise the wide export."""
    comments = read_comments((folder / "comments.csv").read_bytes(), str(folder / "comments.csv"))
    out = moderated_out(comments)
    texts = {c.id: c.text for c in comments.values()}
    pv_path = folder / "participants-votes.csv"
    wide = read_participants_votes(pv_path.read_bytes(), str(pv_path)) if pv_path.exists() else None
    votes_path = folder / "votes.csv"
    if votes_path.exists():
        votes = read_votes(votes_path.read_bytes(), str(votes_path))
        triples = [(v.participant, v.statement, v.vote) for v in votes]
        source = "votes.csv"
    elif wide is not None:
        triples = list(wide.votes)
        source = "participants-votes.csv"
    else:
        raise PolisFormatError(
            str(folder), gettext_noop("neither votes.csv nor participants-votes.csv")
        )
    matrix = VoteMatrix.from_votes(triples, moderated_out=out)
    return Conversation(matrix, texts, dict(wide.groups) if wide else {}, source)
