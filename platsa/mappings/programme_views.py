"""The up-scaling programme's pages: drafted from the mapping's results by an organiser of
the coordinating place, then edited; read by every member; in the workbook and the PDF."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.mappings import selectors
from platsa.mappings.forms import ProgrammeForm, ProgrammeItemFormSet
from platsa.mappings.kind import MAPPING
from platsa.mappings.models import Programme, ProgrammeItem
from platsa.mappings.programme import draft_items
from platsa.mappings.services import (
    ItemInput,
    programme_draft,
    programme_save,
)
from platsa.places.access import has_role
from platsa.places.models import Role
from platsa.processes.access import get_process_for_user
from platsa.processes.models import Process


def _lang() -> str:
    return (get_language() or "sv")[:2]


def ordered_items(programme: Programme) -> list[ProgrammeItem]:
    """The items in the coordinator's order (as in the edit form and the workbook), each
    naming its kind."""
    return list(programme.items.all())


@login_required
def programme_detail(request: AuthenticatedRequest, slug: str, mapping_slug: str) -> HttpResponse:
    mapping, role = get_process_for_user(request, slug, mapping_slug, kind=MAPPING.id)
    programme = Programme.objects.filter(mapping=mapping).first()
    if programme is None:
        raise Http404
    return render(
        request,
        "mappings/programme.html",
        {
            "place": mapping.place,
            "mapping": mapping,
            "programme": programme,
            "items": ordered_items(programme),
            "can_manage": has_role(role, Role.ORGANISER),
        },
    )


def _introduction(mapping: Process, units: list[selectors.Unit], respondents: int) -> str:
    return _(
        "Drafted from the results of “%(title)s” on %(date)s: %(units)s municipalities, "
        "%(respondents)s respondents. The network's own aims go here."
    ) % {
        "title": mapping.title,
        "date": date_format(localtime(), "j F Y"),
        "units": len(units),
        "respondents": respondents,
    }


@login_required
@require_POST
def programme_draft_view(
    request: AuthenticatedRequest, slug: str, mapping_slug: str
) -> HttpResponse:
    mapping, _role = get_process_for_user(
        request, slug, mapping_slug, needs=Role.ORGANISER, kind=MAPPING.id
    )
    units = selectors.units_of(mapping)
    key = selectors.data_key(units)
    compared = selectors.comparison(mapping, units, key)
    if compared is None:
        messages.error(request, _("There are no results to draft a programme from yet."))
        return redirect("mappings:detail", slug=slug, mapping_slug=mapping_slug)
    respondents = sum(u.respondents for u in compared.units)
    _programme, created, added = programme_draft(
        mapping=mapping,
        actor=request.user,
        introduction=_introduction(mapping, units, respondents),
        items=draft_items(mapping, units, compared, key, _lang()),
    )
    if created:
        messages.success(
            request,
            _("A draft programme is made from the results. Now write what the network does."),
        )
    elif added:
        messages.success(
            request,
            ngettext(
                "%(n)s item from the current results is added at the end.",
                "%(n)s items from the current results are added at the end.",
                added,
            )
            % {"n": added},
        )
    else:
        messages.info(request, _("The programme holds everything the results show already."))
    return redirect("mappings:programme_edit", slug=slug, mapping_slug=mapping_slug)


@login_required
def programme_edit(request: AuthenticatedRequest, slug: str, mapping_slug: str) -> HttpResponse:
    mapping, _role = get_process_for_user(
        request, slug, mapping_slug, needs=Role.ORGANISER, kind=MAPPING.id
    )
    programme = Programme.objects.filter(mapping=mapping).first()
    if programme is None:
        raise Http404
    items = {i.pk: i for i in programme.items.all()}
    version = programme.updated_at.isoformat()
    if request.method == "POST":
        form = ProgrammeForm(request.POST)
        # No initial values on a post: each row names its item by id, and pairing rows
        # with the items by place in the list went wrong once another tab had added one.
        formset = ProgrammeItemFormSet(request.POST, prefix="items")
        if form.is_valid() and formset.is_valid():
            token = form.cleaned_data["token"]
            if programme.last_save == token:  # the same form again: saved already
                return redirect("mappings:programme_page", slug=slug, mapping_slug=mapping_slug)
            if form.cleaned_data["version"] != version:
                form.add_error(
                    None,
                    _(
                        "Someone saved the programme after you opened it, so nothing was "
                        "saved: what you wrote is still below. Open the programme again to "
                        "see their changes, then add yours."
                    ),
                )
            else:
                kept, removed = _items_from(formset, items)
                programme_save(
                    programme=programme,
                    actor=request.user,
                    introduction=form.cleaned_data["introduction"],
                    items=kept,
                    removed=removed,
                    token=token,
                )
                messages.success(request, _("The programme is saved."))
                return redirect("mappings:programme_page", slug=slug, mapping_slug=mapping_slug)
    else:
        form = ProgrammeForm(
            initial={"introduction": programme.introduction, "version": version, "token": uuid4()}
        )
        formset = ProgrammeItemFormSet(
            initial=[
                {"item": i.pk, "title": i.title, "note": i.note, "lead": i.lead, "timing": i.timing}
                for i in items.values()
            ],
            prefix="items",
        )
    rows = []
    for sub in formset.forms:
        pk = sub["item"].value()
        try:
            item = items.get(int(pk)) if pk not in (None, "") else None
        except (TypeError, ValueError):
            item = None
        rows.append({"form": sub, "item": item})
    return render(
        request,
        "mappings/programme_edit.html",
        {
            "place": mapping.place,
            "mapping": mapping,
            "programme": programme,
            "form": form,
            "formset": formset,
            "rows": rows,
        },
    )


def _items_from(formset: Any, items: dict[int, ProgrammeItem]) -> tuple[list[ItemInput], set[int]]:
    """The kept items in the order asked for (blank order keeps their place), the removed
    ones, and new ones with a title. An item id not of this programme is ignored."""
    kept: list[tuple[float, int, ItemInput]] = []
    removed: set[int] = set()
    for index, sub in enumerate(formset.forms):
        data = getattr(sub, "cleaned_data", None)
        if not data:
            continue
        pk = data.get("item")
        if pk is not None and pk not in items:
            continue
        if data.get("DELETE"):
            if pk is not None:
                removed.add(pk)
            continue
        order = data.get("ORDER")
        entry = ItemInput(
            pk=pk,
            title=data["title"],
            note=data.get("note", ""),
            lead=data.get("lead", ""),
            timing=data.get("timing", ""),
        )
        kept.append((float(order) if order is not None else index + 0.5, index, entry))
    kept.sort(key=lambda t: (t[0], t[1]))
    ordered = [
        ItemInput(
            pk=e.pk, title=e.title, note=e.note, lead=e.lead, timing=e.timing, position=(i + 1) * 10
        )
        for i, (_o, _i, e) in enumerate(kept)
    ]
    return ordered, removed
