"""The plan's accountability data as a spreadsheet, out and back in (what Decidim's users ask
for, decidim#5850): the actions with their status and progress, one row each, as CSV or
XLSX; filled in at a board meeting and uploaded, each row moves its action (a new status, a
progress figure, an update's text) and a row without an id adds an action.

The upload is read within tight bounds (size, rows, columns, seconds), every row is checked
before anything is written, and any problem refuses the whole file, naming the row: nothing
is half done. Each change then goes through the plan's services, so the audit log and the
notifications along the chain are the same as from the pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from platsa.accounts.models import User
from platsa.core.io.tabular import Sheet, TableLimits, write_csv, write_xlsx
from platsa.plans import services
from platsa.plans.models import SHORT_MAX, TITLE_MAX, Action, Lead, Plan
from platsa.web.sheet_uploads import SheetRefused, choice_by_name, read_named_columns

MAX_BYTES = 2_000_000
LIMITS = TableLimits(
    max_bytes=MAX_BYTES,
    max_rows=1_000,  # a plan's actions, with room: each row is a write through the services
    max_columns=30,
    max_cells=150_000,
    max_uncompressed_bytes=40_000_000,
    seconds=5,
)
HEADER = [
    "id", "titel", "organisation", "leds av", "start", "slut", "budget", "status",
    "framsteg", "uppdatering",
]  # fmt: skip
# What a column may be called (lower case), in Swedish or English.
COLUMNS = {
    "id": ("id", "åtgärd-id", "action id", "nr"),
    "title": ("titel", "title", "åtgärd", "action"),
    "org": ("organisation", "organisation ansvarig", "responsible", "ansvarig"),
    "lead": ("leds av", "lead", "lead actor"),
    "start": ("start", "starts", "från"),
    "end": ("slut", "end", "ends", "till"),
    "budget": ("budget",),
    "status": ("status",),
    "progress": ("framsteg", "progress", "framsteg (%)", "progress (%)"),
    "update": ("uppdatering", "update", "vad hände", "what happened"),
}


class AccountabilityError(SheetRefused):
    """The file is refused; ``problems`` say why, row by row, in the reader's language."""


@dataclass
class Row:
    number: int
    action: Action | None  # None: a new action
    title: str
    org: str | None
    lead: str | None
    starts_on: date | None
    ends_on: date | None
    budget: int | None
    status: str | None
    progress: int | None
    update: str


def _rows(plan: Plan) -> list[list[object]]:
    return [
        [
            a.pk,
            a.title,
            a.owner_org,
            a.lead,
            a.starts_on,
            a.ends_on,
            a.budget,
            a.status,
            a.progress,
            "",
        ]
        for a in plan.actions.order_by("position", "pk")
    ]


def export_csv(plan: Plan) -> bytes:
    return write_csv(HEADER, _rows(plan))


def export_xlsx(plan: Plan) -> bytes:
    statuses = [[value, str(label)] for value, label in Action.Status.choices]
    leads = [[value, str(label)] for value, label in Lead.choices]
    return write_xlsx(
        [
            Sheet(
                _("Actions"), HEADER, _rows(plan), widths=(8, 50, 30, 14, 12, 12, 14, 12, 10, 60)
            ),
            Sheet(_("Statuses"), ["status", _("means")], statuses, widths=(14, 30)),
            Sheet(_("Lead actors"), ["leds av", _("means")], leads, widths=(14, 30)),
        ]
    )


def _unquoted(text: str) -> str:
    """A cell as it was before the export guarded it: a text that begins with = + - @ is
    written with a leading ' so that a spreadsheet does not run it as a formula."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        return text[1:]
    return text


def _date(value: str) -> date | None:
    text = value.strip()[:10]
    if not text:
        return None
    try:
        found = date.fromisoformat(text)
    except ValueError:
        raise ValueError("date") from None
    if not date(1950, 1, 1) <= found <= date(2100, 12, 31):
        raise ValueError("date")
    return found


def _whole(value: str, low: int, high: int) -> int | None:
    text = value.strip().replace("\u00a0", "").replace(" ", "").removesuffix("%")
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise ValueError("number") from None
    if number != number or not low <= number <= high or not float(number).is_integer():
        raise ValueError("number")
    return int(number)


def read_rows(plan: Plan, data: bytes, filename: str) -> list[Row]:
    """The changes the file asks for, or :class:`AccountabilityError` naming each problem."""
    table, where = read_named_columns(
        data, filename, limits=LIMITS, columns=COLUMNS, refused=AccountabilityError
    )
    actions = {a.pk: a for a in plan.actions.all()}
    for loaded in actions.values():
        loaded.plan = plan  # each row's write reads its plan: not once per row from the database
    problems: list[str] = []
    rows: list[Row] = []
    seen: set[int] = set()

    def cell(row: list[str], key: str) -> str:
        i = where.get(key)
        return row[i].strip() if i is not None and i < len(row) else ""

    titles = {" ".join(a.title.split()).casefold() for a in actions.values()}
    for n, raw in enumerate(table.rows, start=table.first_row_number):
        if len(problems) >= 20:  # enough to fix first; the rest are read on the next upload
            break
        if not any(c.strip() for c in raw):
            continue
        raw_id = cell(raw, "id")
        action = None
        if raw_id:
            usable = raw_id.isascii() and raw_id.isdigit() and len(raw_id) <= 12
            action = actions.get(int(raw_id)) if usable else None
            if action is None:
                problems.append(
                    _("Row {n}: no action of this plan has the id “{id}”.").format(
                        n=n, id=raw_id[:20]
                    )
                )
                continue
            if action.pk in seen:
                problems.append(
                    _("Row {n}: the action {id} is named twice.").format(n=n, id=action.pk)
                )
                continue
            seen.add(action.pk)
        title = " ".join(_unquoted(cell(raw, "title")).split())
        if action is None and title.casefold() in titles:
            problems.append(
                _(
                    "Row {n}: the plan already has an action called “{title}”: give its id to change it."
                ).format(n=n, title=title[:80])
            )
            continue
        if action is None and len(title) < 3:
            problems.append(
                _("Row {n}: a new action needs a title of at least three characters.").format(n=n)
            )
            continue
        if len(title) > TITLE_MAX:
            problems.append(
                _("Row {n}: the title is longer than {limit} characters.").format(
                    n=n, limit=TITLE_MAX
                )
            )
            continue
        status = (
            choice_by_name(cell(raw, "status"), Action.Status.choices)
            if cell(raw, "status")
            else None
        )
        if cell(raw, "status") and status is None:
            problems.append(
                _("Row {n}: “{value}” is not a status (see the sheet Statuses).").format(
                    n=n, value=cell(raw, "status")[:40]
                )
            )
            continue
        lead = choice_by_name(cell(raw, "lead"), Lead.choices) if cell(raw, "lead") else None
        if cell(raw, "lead") and lead is None:
            problems.append(
                _("Row {n}: “{value}” is not a lead actor.").format(
                    n=n, value=cell(raw, "lead")[:40]
                )
            )
            continue
        try:
            progress = _whole(cell(raw, "progress"), 0, 100)
        except ValueError:
            problems.append(_("Row {n}: progress is a whole number from 0 to 100.").format(n=n))
            continue
        try:
            budget = _whole(cell(raw, "budget"), 0, 10**13)
        except ValueError:
            problems.append(_("Row {n}: the budget is not a whole, positive number.").format(n=n))
            continue
        try:
            starts_on, ends_on = _date(cell(raw, "start")), _date(cell(raw, "end"))
        except ValueError:
            problems.append(
                _("Row {n}: write dates as 2027-03-31, between 1950 and 2100.").format(n=n)
            )
            continue
        if starts_on and ends_on and ends_on < starts_on:
            problems.append(_("Row {n}: the end comes before the start.").format(n=n))
            continue
        update = _unquoted(cell(raw, "update"))
        if update and len(update) < 3:
            problems.append(
                _(
                    "Row {n}: write a few words about what happened, or leave the update empty."
                ).format(n=n)
            )
            continue
        if len(update) > SHORT_MAX:
            problems.append(
                _("Row {n}: the update is longer than {limit} characters.").format(
                    n=n, limit=SHORT_MAX
                )
            )
            continue
        rows.append(
            Row(
                n,
                action,
                title,
                _unquoted(cell(raw, "org")) if "org" in where else None,
                lead,
                starts_on,
                ends_on,
                budget,
                status,
                progress,
                update,
            )
        )
    if problems:
        raise AccountabilityError(problems)
    return rows


@dataclass
class Applied:
    added: int = 0
    changed: int = 0
    updates: int = 0


@transaction.atomic
def apply_rows(*, plan: Plan, actor: User, rows: list[Row]) -> Applied:
    """Write the rows through the plan's services, all or nothing."""
    done = Applied()
    for row in rows:
        if row.action is None:
            services.action_save(
                plan=plan,
                actor=actor,
                data=services.ActionData(
                    title=row.title,
                    owner_org=row.org or "",
                    lead=row.lead or "",
                    starts_on=row.starts_on,
                    ends_on=row.ends_on,
                    budget=row.budget,
                    status=row.status or Action.Status.PLANNED,
                    progress=row.progress,
                ),
            )
            done.added += 1
            continue
        action = row.action
        if _edited(action, row):
            services.action_save(plan=plan, actor=actor, data=_data(action, row), action=action)
            done.changed += 1
        if row.update:
            services.update_post(action=action, actor=actor, text=row.update)
            done.updates += 1
    return done


def _given(row: Row) -> dict[str, object]:
    """The row's filled-in cells, as the action's fields (an empty cell changes nothing)."""
    values: dict[str, object] = {
        "title": row.title or None,
        "owner_org": row.org or None,
        "lead": row.lead,
        "starts_on": row.starts_on,
        "ends_on": row.ends_on,
        "budget": row.budget,
        "status": row.status,
        "progress": row.progress,
    }
    return {k: v for k, v in values.items() if v is not None}


def _edited(action: Action, row: Row) -> bool:
    return any(getattr(action, k) != v for k, v in _given(row).items())


def _data(action: Action, row: Row) -> services.ActionData:
    """The action as it is, with the row's filled-in cells over it."""
    current = {
        "title": action.title,
        "description": action.description,
        "owner_org": action.owner_org,
        "owner_name": action.owner_name,
        "owner_email": action.owner_email,
        "owner_public": action.owner_public,
        "lead": action.lead,
        "partners": action.partners,
        "starts_on": action.starts_on,
        "ends_on": action.ends_on,
        "budget": action.budget,
        "outputs": action.outputs,
        "results": action.results,
        "status": action.status,
        "progress": action.progress,
    }
    current.update(_given(row))
    if row.status == Action.Status.DONE and row.progress is None:
        current["progress"] = services.PROGRESS_MAX  # done is done, whatever was reported
    return services.ActionData(place=action.place, **current)  # type: ignore[arg-type]
