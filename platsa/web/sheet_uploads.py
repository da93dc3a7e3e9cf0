"""A spreadsheet that organisers fill in and upload back (official answers to ideas, a plan's
accountability data): read within its bounds, its columns found by the names people give
them in Swedish or English, and choices read by their id or their name in either language.

Any problem refuses the whole file with sentences that say what is wrong, in the reader's
language (:class:`SheetRefused`), so that the caller can check every row before it writes
anything.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils import translation
from django.utils.translation import gettext as _

from platsa.core.io.importer import table_issue
from platsa.core.io.tabular import Table, TableError, TableLimits, read_table
from platsa.core.render.explain import describe_issue


class SheetRefused(ValueError):  # noqa: N818 - named for what the user meets, like Http404
    """The file is refused; ``problems`` say why, row by row, in the reader's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_named_columns(
    data: bytes,
    filename: str,
    *,
    limits: TableLimits,
    columns: Mapping[str, Sequence[str]],
    required: Sequence[str] = ("id", "status"),
    refused: type[SheetRefused] = SheetRefused,
) -> tuple[Table, dict[str, int]]:
    """The table and, per column key, its index (the first column whose lower-case name is
    one of the key's accepted names); ``refused`` when the file is too large, cannot be
    read within ``limits``, or lacks a ``required`` column."""
    if len(data) > limits.max_bytes:
        megabytes = limits.max_bytes // 1_000_000
        raise refused(
            [_("The file is larger than 2 MB.")]
            if megabytes == 2
            else [_("The file is larger than {megabytes} MB.").format(megabytes=megabytes)]
        )
    try:
        table = read_table(data, filename, limits=limits)
    except TableError as error:
        raise refused([describe_issue(table_issue(error), _=_)]) from None
    names = [h.strip().casefold() for h in table.header]
    where: dict[str, int] = {}
    for key, accepted in columns.items():
        for i, name in enumerate(names):
            if name in accepted:
                where.setdefault(key, i)
    if any(key not in where for key in required):
        raise refused([_("The first row must name the columns “id” and “status”.")])
    return table, where


def choice_by_name(value: str, choices: Sequence[tuple[str, object]]) -> str | None:
    """A choice by its id or its label in Swedish or English ("under_way", "Pågår")."""
    text = value.strip().casefold()
    for key, label in choices:
        names = {str(key)}
        for language in ("sv", "en"):
            with translation.override(language):
                names.add(str(label).casefold())
        if text in names:
            return str(key)
    return None
