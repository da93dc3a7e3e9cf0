"""A coordinator's mapping pages: start one, and compare its municipalities (a heat-map
table, a map, percentile ranks among peers, shared development areas, lighthouse pairs),
with the same numbers in the workbook. Only aggregates leave a municipality."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from platsa.accounts.requests import AuthenticatedRequest
from platsa.catalogue.selectors import frameworks, shared_catalogue
from platsa.core.analysis.comparison import (
    Comparison,
    lighthouse_pairs,
    shared_development_areas,
    unit_changes,
)
from platsa.core.analysis.scoring import ThemeChange
from platsa.core.io.tabular import Sheet, write_xlsx
from platsa.core.render import charts
from platsa.core.render.explain import number
from platsa.jobs.models import Job
from platsa.jobs.selectors import job_stalled
from platsa.jobs.services import job_for
from platsa.mappings import selectors
from platsa.mappings.forms import MappingForm
from platsa.mappings.kind import MAPPING
from platsa.mappings.models import Programme
from platsa.mappings.programme import names_list
from platsa.mappings.services import mapping_create, mapping_set_phase
from platsa.mappings.tasks import comparison_report
from platsa.places.access import get_place_for_user, has_role
from platsa.places.models import AreaShape, Role
from platsa.processes.access import get_process_for_user, process_access
from platsa.processes.models import Process
from platsa.processes.services import PhaseError
from platsa.web import pagecache
from platsa.web.downloads import download


def _lang() -> str:
    return (get_language() or "sv")[:2]


@login_required
def mapping_create_view(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    available = frameworks()
    members = frozenset(e.lower() for e in place.memberships.values_list("user__email", flat=True))
    form = MappingForm(
        request.POST or None,
        frameworks=available,
        language=_lang(),
        forbidden_contacts=members,
    )
    if request.method == "POST" and form.is_valid():
        mapping, created = mapping_create(
            place=place,
            user=request.user,
            title=form.cleaned_data["title"],
            framework=available[form.cleaned_data["framework"]],
            participants=form.cleaned_data["participants"],
            base_url=request.build_absolute_uri("/"),
        )
        if created:  # else a double click or a resend on a slow line: the one made first
            messages.success(
                request,
                _("The mapping is open in %(n)s municipalities; their contacts are invited.")
                % {"n": len(form.cleaned_data["participants"])},
            )
        return redirect("mappings:detail", slug=place.slug, mapping_slug=mapping.slug)
    return render(request, "mappings/create.html", {"place": place, "form": form})


def _fmt(value: float | None) -> str:
    return number(value, _lang())


def _changes(
    mapping: Process, units: list[selectors.Unit], compared: Comparison
) -> tuple[Process | None, dict[str, tuple[ThemeChange, ...]]]:
    """The earlier mapping and each municipality's change since it."""
    earlier = selectors.previous_mapping(mapping, units)
    if earlier is None:
        return None, {}
    earlier_units = selectors.units_of(earlier)
    before = selectors.comparison(earlier, earlier_units)
    if before is None:
        return earlier, {}
    same = selectors.same_municipalities(units, earlier_units)
    return earlier, unit_changes(before, compared, same)


def _table(
    units: list[selectors.Unit],
    compared: Comparison,
    peers: str,
    changes: dict[str, tuple[ThemeChange, ...]],
) -> list[dict[str, Any]]:
    """Rows of the heat-map table: each municipality's score, class and percentile rank per
    dimension (the rank among its peers)."""
    ranks = selectors.ranks(units, compared, peers)
    invited = selectors.pending_invitations(units)
    above = _("above %(rank)s %%")
    highest, lowest = _("the highest"), _("the lowest")
    rows = []
    for i, (unit, scores) in enumerate(zip(units, compared.units, strict=True)):
        cells = []
        changed = {c.theme_id: c for c in changes.get(unit.key, ())}
        for j, theme in enumerate(scores.themes):
            cls = charts.heat_class(theme.score, compared.scale_min, compared.scale_max)
            rank = ranks[i, j]
            change = changed.get(theme.theme_id)
            cells.append(
                {
                    "text": _fmt(theme.score),
                    "n": theme.n,
                    "css": "heat-none" if cls is None else f"heat-{cls}",
                    "rank": None if rank != rank else round(float(rank)),
                    # written here, not by the template: 1,200 cells of {% blocktranslate %}
                    # were a third of the page's rendering
                    "rank_text": _rank_text(rank, above, highest, lowest),
                    "change": None
                    if change is None or change.change is None
                    else ("+" if change.change > 0 else "") + number(change.change, _lang()),
                    "clear": bool(change and change.significant),
                }
            )
        rows.append(
            {
                "unit": unit,
                "name": unit.area.name,
                "respondents": scores.respondents,
                "cells": cells,
                "invited": unit.round.process.place_id in invited,
            }
        )
    return rows


def _rank_text(rank: float, above: str, highest: str, lowest: str) -> str:
    """ "above 40 %"; at the ends "the highest" and "the lowest" ("above 100 %" reads as
    nonsense)."""
    if rank != rank:
        return ""
    shown = round(float(rank))
    if shown >= 100:
        return highest
    if shown <= 0:
        return lowest
    return above % {"rank": shown}


def _map(
    units: list[selectors.Unit], compared: Comparison, theme_index: int, title: str, key: str
) -> str:
    """The choropleth of one dimension, drawn once per version of the scores (``key``) and
    language: 300 boundaries are a few hundred kilobytes to read and draw."""
    cache_key = f"platsa:mapping-map:v2:{key}:{theme_index}:{_lang()}"
    svg = cache.get(cache_key)
    if svg is None:
        svg = _draw_map(units, compared, theme_index, title)
        cache.set(cache_key, svg, selectors.CACHE_SECONDS)
    return str(svg)


def _draw_map(
    units: list[selectors.Unit], compared: Comparison, theme_index: int, title: str
) -> str:
    shapes = {
        s.area_id: s.geometry
        for s in AreaShape.objects.filter(area_id__in=[u.area.pk for u in units])
    }
    areas = []
    for unit, scores in zip(units, compared.units, strict=True):
        geometry = shapes.get(unit.area.pk)
        if geometry is None:
            continue
        value = scores.themes[theme_index].score
        areas.append(
            charts.MapArea(
                key=unit.key,
                label=f"{unit.area.name}: {_fmt(value)}",
                geometry=geometry,
                value=value,
            )
        )
    lo, hi = compared.scale_min, compared.scale_max
    step = (hi - lo) / len(charts.HEAT)
    legend = [f"{_fmt(lo + i * step)}–{_fmt(lo + (i + 1) * step)}" for i in range(len(charts.HEAT))]
    return charts.choropleth(
        areas,
        title=title,
        low=lo,
        high=hi,
        legend=legend,
        chart_id=f"choropleth-{compared.theme_ids[theme_index]}",  # four in one PDF
    )


def comparison_context(
    mapping: Process,
    units: list[selectors.Unit],
    compared: Comparison,
    key: str,
    peers: str,
    theme_id: str,
) -> dict[str, Any]:
    """What the comparison page and its PDF show: the same numbers in both."""
    fw = units[0].round.framework
    language = _lang()
    titles = {t.id: t.title.get(language) for t in fw.themes}
    theme_index = compared.theme_ids.index(theme_id)
    names = {u.key: u.area.name for u in units}
    earlier, changes = _changes(mapping, units, compared)
    return {
        "framework": fw,
        "themes": [(t, titles[t]) for t in compared.theme_ids],
        "theme_id": theme_id,
        "theme_title": titles[theme_id],
        "peers": peers,
        "rows": _table(units, compared, peers, changes),
        "has_changes": any(c.change is not None for cs in changes.values() for c in cs),
        "earlier": earlier,
        "overall": [_fmt(value) for value in compared.overall],
        "respondents": sum(u.respondents for u in compared.units),
        # the "all together" row rests on the municipalities with a score shown
        "respondents_shown": sum(
            u.respondents for u in compared.units if any(t.score is not None for t in u.themes)
        ),
        "map_svg": _map(
            units,
            compared,
            theme_index,
            _("Map: %(theme)s per municipality") % {"theme": titles[theme_id]},
            key,
        ),
        "shared": [
            {"title": titles[a.theme_id], "weak": a.weak_units, "rated": a.rated_units}
            for a in shared_development_areas(compared)
            if a.rated_units
        ],
        "pairs": [
            {
                "theme": titles[p.theme_id],
                "lighthouse": names[p.lighthouse],
                "follower": names[p.follower],
                "difference": _fmt(p.difference),
            }
            for p in lighthouse_pairs(compared)
        ],
    }


@login_required
def mapping_detail(request: AuthenticatedRequest, slug: str, mapping_slug: str) -> HttpResponse:
    """The comparison. Rendering it reads every municipality's rounds and draws the table
    and the map (about 200 ms for 300 municipalities); each member's copy is kept for a
    minute under a key of what their own actions change (the mapping's phase, the
    programme, their role): new answers from the municipalities show within the minute."""
    access = process_access(request, slug, mapping_slug, kind=MAPPING.id, needs=Role.VIEWER)
    peers = request.GET.get("peers", "all")
    if peers not in selectors.PEER_SETS:
        peers = "all"
    theme = request.GET.get("theme", "")[:80]
    key = pagecache.digest(
        "mapping",
        access.process_id,
        access.changed_at.isoformat(),
        access.role,
        peers,
        theme,
        _lang(),
        pagecache.build_id(),
    )

    def page(for_cache: bool) -> HttpResponse:
        mapping, role = get_process_for_user(request, slug, mapping_slug, kind=MAPPING.id)
        return _detail_page(request, mapping, role, peers, theme, for_cache)

    return pagecache.serve_member(request, key, page)


def _detail_page(
    request: AuthenticatedRequest,
    mapping: Process,
    role: Role,
    peers: str,
    theme: str,
    for_cache: bool,
) -> HttpResponse:
    units = selectors.units_of(mapping)
    key = selectors.data_key(units)
    compared = selectors.comparison(mapping, units, key)
    context: dict[str, Any] = {
        "place": mapping.place,
        "mapping": mapping,
        "role": role,
        "can_manage": has_role(role, Role.ORGANISER),
        "units": units,
        "peer_sets": [
            ("all", _("all in the mapping")),
            ("country", _("the same country")),
            ("county", _("the same county or region")),
            ("skr_group", _("the same SKR municipality group")),
        ],
        "computed_at": timezone.now(),
        **pagecache.page_context(for_cache),
    }
    if compared is None:
        return render(request, "mappings/detail.html", context)
    theme_id = theme or compared.theme_ids[0]
    if theme_id not in compared.theme_ids:
        raise Http404
    context.update(comparison_context(mapping, units, compared, key, peers, theme_id))
    context["programme"] = Programme.objects.filter(mapping=mapping).first()
    return render(request, "mappings/detail.html", context)


def _programme_actions(
    mapping: Process,
    units: list[selectors.Unit],
    compared: Comparison,
    key: str,
    names: dict[str, str],
) -> list[dict[str, Any]]:
    fw = units[0].round.framework
    catalogue = shared_catalogue(fw.id, fw.version)
    language = _lang()
    out = []
    for shared in selectors.programme_actions(mapping, units, compared, key):
        action = catalogue.get(shared.action_id)
        if action is None:
            continue
        out.append(
            {
                "id": action.id,
                "title": action.title.get(language),
                "count": len(shared.units),
                "names": names_list(shared.units, names),
            }
        )
    return out


@login_required
def mapping_programme(request: AuthenticatedRequest, slug: str, mapping_slug: str) -> HttpResponse:
    """The actions on most municipalities' lists (the engine runs once per municipality):
    loaded into the comparison page after it is shown, or opened on its own without
    JavaScript."""
    mapping, _role = get_process_for_user(request, slug, mapping_slug, kind=MAPPING.id)
    units = selectors.units_of(mapping)
    key = selectors.data_key(units)
    compared = selectors.comparison(mapping, units, key)
    if compared is None:
        raise Http404
    names = {u.key: u.area.name for u in units}
    return render(
        request,
        "mappings/_programme_actions.html",
        {"actions": _programme_actions(mapping, units, compared, key, names)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mapping_phase(request: AuthenticatedRequest, slug: str, mapping_slug: str) -> HttpResponse:
    """Close the mapping (after a page that says what closing does: every municipality's
    survey closes at once) or open it again."""
    mapping, _role = get_process_for_user(
        request, slug, mapping_slug, needs=Role.ORGANISER, kind=MAPPING.id
    )
    if request.method == "GET":
        return render(
            request,
            "mappings/close_confirm.html",
            {
                "place": mapping.place,
                "mapping": mapping,
                "municipalities": mapping.children.count(),
            },
        )
    try:
        mapping_set_phase(mapping=mapping, phase=request.POST.get("phase", ""), actor=request.user)
    except (PhaseError, KeyError):
        messages.error(request, _("The mapping cannot go to that step."))
    else:
        messages.success(
            request, _("The mapping is now: %(phase)s.") % {"phase": mapping.get_phase_display()}
        )
    return redirect("mappings:detail", slug=slug, mapping_slug=mapping_slug)


@login_required
def mapping_export(request: AuthenticatedRequest, slug: str, mapping_slug: str) -> HttpResponse:
    """The comparison as a workbook: the same numbers as the page (scores, respondents,
    ranks among all), no individual answers."""
    mapping, _role = get_process_for_user(request, slug, mapping_slug, kind=MAPPING.id)
    units = selectors.units_of(mapping)
    compared = selectors.comparison(mapping, units)
    if compared is None:
        raise Http404
    fw = units[0].round.framework
    language = _lang()
    titles = [fw.theme(t).title.get(language) for t in compared.theme_ids]
    ranks = selectors.ranks(units, compared, "all")
    header = [_("Municipality"), _("Code"), _("Respondents"), *titles]
    header += [_("%(theme)s: percentile rank") % {"theme": t} for t in titles]
    rows = []
    for i, (unit, scores) in enumerate(zip(units, compared.units, strict=True)):
        values = [None if t.score is None else round(t.score, 1) for t in scores.themes]
        rank_values = [None if r != r else round(float(r)) for r in ranks[i]]
        rows.append([unit.area.name, unit.area.key, scores.respondents, *values, *rank_values])
    sheets = [Sheet(_("Comparison"), header, rows)]
    programme = Programme.objects.filter(mapping=mapping).first()
    if programme is not None:
        sheets.append(programme_sheet(programme))
    data = write_xlsx(sheets)
    return download(
        data,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{slugify(mapping.title) or 'kartlaggning'}.xlsx",
    )


def programme_sheet(programme: Programme) -> Sheet:
    """The programme as rows: one per item, in its order, with what the results said."""
    header = [_("Kind"), _("Title"), _("From the results"), _("What the network does")]
    header += [_("Who leads"), _("When")]
    rows: list[list[object]] = [["", _("Introduction"), "", programme.introduction, "", ""]]
    for item in programme.items.all():
        rows.append(
            [item.get_kind_display(), item.title, item.facts, item.note, item.lead, item.timing]
        )
    return Sheet(_("Programme"), header, rows)


def mapping_url(mapping: Process) -> str:
    return reverse("mappings:detail", args=[mapping.place.slug, mapping.slug])


@login_required
def mapping_pdf(request: AuthenticatedRequest, slug: str, mapping_slug: str) -> HttpResponse:
    """The comparison for a board or a network meeting: the table, a map per dimension, what
    the municipalities share and the programme, the same numbers as the page. Made in the
    background once per version of the scores, the programme and the language (seconds for
    hundreds of municipalities); the same report again is a download at once."""
    mapping, _role = get_process_for_user(request, slug, mapping_slug, kind=MAPPING.id)
    units = selectors.units_of(mapping)
    if not units:
        raise Http404
    programme = Programme.objects.filter(mapping=mapping).first()
    key = f"{mapping.pk}:" + pagecache.digest(
        selectors.data_key(units),
        mapping.changed_at.isoformat(),
        programme.updated_at.isoformat() if programme else "-",
        _lang(),
    )
    with transaction.atomic():
        # one report per version even when a meeting's worth of people ask at once
        Process.objects.select_for_update().filter(pk=mapping.pk).first()
        job = job_for(
            kind=Job.Kind.COMPARISON,
            key=key,
            place=mapping.place,
            round_=None,
            user=request.user,
            task=comparison_report,
            language=_lang(),
            params={"mapping": mapping.pk},
        )
    if job.status == Job.Status.DONE:
        return _pdf_file(mapping, job.pk)
    return redirect("mappings:pdf_job", slug=slug, mapping_slug=mapping_slug, job_id=job.pk)


def _mapping_job(
    request: AuthenticatedRequest, slug: str, mapping_slug: str, job_id: int
) -> tuple[Process, Job]:
    mapping, _role = get_process_for_user(request, slug, mapping_slug, kind=MAPPING.id)
    job = (
        Job.objects.defer("input_data", "output_data")
        .filter(place=mapping.place, kind=Job.Kind.COMPARISON, pk=job_id)
        .first()
    )
    if job is None or job.params.get("mapping") != mapping.pk:
        raise Http404
    return mapping, job


@login_required
def mapping_pdf_job(
    request: AuthenticatedRequest, slug: str, mapping_slug: str, job_id: int
) -> HttpResponse:
    """How the report is coming along; htmx asks again every second until it is ready."""
    mapping, job = _mapping_job(request, slug, mapping_slug, job_id)
    context = {"place": mapping.place, "mapping": mapping, "job": job, "stalled": job_stalled(job)}
    htmx = request.headers.get("HX-Request") == "true"
    template = "mappings/_pdf_status.html" if htmx else "mappings/pdf_job.html"
    return render(request, template, context)


@login_required
def mapping_pdf_file(
    request: AuthenticatedRequest, slug: str, mapping_slug: str, job_id: int
) -> HttpResponse:
    mapping, job = _mapping_job(request, slug, mapping_slug, job_id)
    return _pdf_file(mapping, job.pk)


def _pdf_file(mapping: Process, job_id: int) -> HttpResponse:
    job = Job.objects.filter(pk=job_id, status=Job.Status.DONE).first()
    if job is None:
        raise Http404
    name = f"{slugify(mapping.title) or 'kartlaggning'}.pdf"
    return download(bytes(job.output_data), "application/pdf", name)


def comparison_pdf(
    mapping: Process,
    units: list[selectors.Unit],
    compared: Comparison,
    key: str,
    programme: Programme | None,
) -> bytes:
    from weasyprint import HTML

    from platsa.mappings.programme_views import ordered_items

    context = comparison_context(mapping, units, compared, key, "all", compared.theme_ids[0])
    names = {u.key: u.area.name for u in units}
    context.update(
        {
            "place": mapping.place,
            "mapping": mapping,
            "heat": list(zip(charts.HEAT, charts.HEAT_TEXT, strict=True)),
            "maps": [
                {
                    "title": title,
                    "svg": _map(
                        units,
                        compared,
                        index,
                        _("Map: %(theme)s per municipality") % {"theme": title},
                        key,
                    ),
                }
                for index, (_theme, title) in enumerate(context["themes"])
            ],
            "actions": _programme_actions(mapping, units, compared, key, names),
            "programme": programme,
            "items": ordered_items(programme) if programme else [],
        }
    )
    html = render_to_string("mappings/comparison_pdf.html", context)
    return bytes(HTML(string=html, base_url=None).write_pdf())
