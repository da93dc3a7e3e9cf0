"""An organiser brings an existing Pol.is conversation in: its open-data export, as the ZIP
Platsa writes or as ``comments.csv`` and ``votes.csv``. Everything is bounded before it is
parsed (upload size, the ZIP's unpacked sizes and member count, the number of votes), and
a file that is not a Pol.is export is refused with the reason and its line."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext

from platsa.core.opinion.polis_io import (
    Comment,
    PolisFormatError,
    Vote,
    read_comments,
    read_votes,
)

MAX_UNPACKED = 64 * 1024 * 1024  # both files, unpacked
MAX_VOTES = 300_000  # larger conversations: `platsa opinion` on the command line
MAX_COMMENTS = 5_000


class PolisImportError(ValueError):
    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class PolisExport:
    comments: dict[str, Comment]
    votes: list[Vote]


def _read(upload: UploadedFile, limit: int) -> bytes:
    if upload.size is not None and upload.size > limit:
        raise PolisImportError("too_big")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise PolisImportError("too_big")
    return data


def _from_zip(data: bytes) -> tuple[bytes, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PolisImportError("not_zip") from None
    members = archive.infolist()
    if len(members) > 20 or sum(m.file_size for m in members) > MAX_UNPACKED:
        raise PolisImportError("too_big")
    names = {m.filename.rsplit("/", 1)[-1]: m for m in members if not m.is_dir()}
    if "comments.csv" not in names or "votes.csv" not in names:
        raise PolisImportError("missing_files")
    out = []
    for name in ("comments.csv", "votes.csv"):
        with archive.open(names[name]) as member:
            content = member.read(MAX_UNPACKED + 1)  # the header's size may lie
        if len(content) > MAX_UNPACKED:
            raise PolisImportError("too_big")
        out.append(content)
    return out[0], out[1]


def read_upload(
    *, archive: UploadedFile | None, comments: UploadedFile | None, votes: UploadedFile | None
) -> PolisExport:
    if archive is not None:
        comments_data, votes_data = _from_zip(_read(archive, MAX_UNPACKED))
    elif comments is not None and votes is not None:
        comments_data = _read(comments, MAX_UNPACKED // 2)
        votes_data = _read(votes, MAX_UNPACKED // 2)
    else:
        raise PolisImportError("missing_files")
    try:
        parsed_comments = read_comments(comments_data)
        parsed_votes = read_votes(votes_data)
    except PolisFormatError as exc:
        raise PolisImportError("format", exc.text(gettext)) from None
    rows = sum(1 for row in csv.reader(io.StringIO(comments_data.decode("utf-8-sig"))) if row) - 1
    if rows != len(parsed_comments):  # a comment id twice: which text is meant?
        raise PolisImportError("duplicate_comments")
    if len(parsed_comments) > MAX_COMMENTS:
        raise PolisImportError("too_many_comments")
    if len(parsed_votes) > MAX_VOTES:
        raise PolisImportError("too_many_votes")
    unknown = {v.statement for v in parsed_votes} - set(parsed_comments)
    if unknown:
        raise PolisImportError("unknown_comments", ", ".join(sorted(unknown)[:5]))
    return PolisExport(parsed_comments, parsed_votes)
