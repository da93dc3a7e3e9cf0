"""The catalogue: a public library of actions and good examples by theme, and a place's
own actions and examples (organisers add them in the app, not only in the admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.catalogue import services
from platsa.catalogue.forms import LocalActionForm, LocalExampleForm
from platsa.catalogue.models import LocalAction, LocalExample
from platsa.catalogue.search import catalogue_listing
from platsa.catalogue.selectors import (
    action_titles,
    frameworks,
    local_actions,
    local_examples,
    shared_catalogue,
)
from platsa.core.analysis import textsearch
from platsa.core.schema.catalogue import Horizon, Lead
from platsa.core.schema.frameworks import Framework, default_framework
from platsa.places.access import get_place_for_user
from platsa.places.models import Place, Role

CATALOGUE_PAGE_SIZE = 20


def _default_id() -> str:
    return default_framework(frameworks()).id


def _lang() -> str:
    return (get_language() or "sv")[:2]


def _framework(request: HttpRequest) -> Framework:
    available = frameworks()
    fid = request.GET.get("framework", _default_id())
    if fid not in available:
        fid = _default_id()
    return available[fid]


def catalogue_list(request: HttpRequest) -> HttpResponse:
    """All actions, filterable by theme, time horizon and who leads them, searchable in the
    page's language, a page at a time."""
    fw = _framework(request)
    catalogue = shared_catalogue(fw.id, fw.version)
    theme = request.GET.get("theme", "")
    theme = theme if fw.has_theme(theme) else ""
    horizon = request.GET.get("horizon", "")
    horizon = horizon if horizon in [h.value for h in Horizon] else ""
    lead = request.GET.get("lead", "")
    lead = lead if lead in [x.value for x in Lead] else ""
    query = request.GET.get("q", "").strip()[: textsearch.MAX_QUERY_CHARS]
    listing = catalogue_listing(
        catalogue,
        fw,
        language=textsearch.language_of(_lang()),
        theme=theme,
        horizon=horizon,
        lead=lead,
        query=query,
    )
    # Any page number works: one past the end shows the last page, one that is not a number
    # the first (Paginator.get_page), so a stale or hand-edited link never fails.
    page = Paginator(listing.actions, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/list.html",
        {
            "framework": fw,
            "actions": page.object_list,
            "page_obj": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "searched": listing.searched,
            "fallback_language": listing.fallback_language,
            "total": len(catalogue),
            "examples": sum(len(a.examples) for a in catalogue),
            "theme": theme,
            "horizon": horizon,
            "lead": lead,
            "q": query,
            "horizons": [h.value for h in Horizon],
            "leads": [x.value for x in Lead],
        },
    )


def action_detail(request: HttpRequest, action_id: str) -> HttpResponse:
    for fw in frameworks().values():
        catalogue = shared_catalogue(fw.id, fw.version)
        action = catalogue.get(action_id)
        if action is None:
            continue
        if action.id != action_id:  # merged into another action: its links keep working
            return redirect("catalogue:detail", action_id=action.id, permanent=True)
        from platsa.plans.adoption import stats_for

        return render(
            request,
            "catalogue/detail.html",
            {
                "action": action,
                "framework": fw,
                "funding": catalogue.funding_for(action, None),
                "adoption": stats_for(action.id),
                "theme_titles": {t.id: t.title for t in fw.themes},
            },
        )
    raise Http404


def method(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogue/method.html")


# --- a place's own actions and examples --------------------------------------------------------


@login_required
def local_list(request: HttpRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    return render(
        request,
        "catalogue/local_list.html",
        {
            "place": place,
            "actions": local_actions(place),
            "examples": local_examples(place),
            "titles": action_titles(place, default_framework(frameworks()), _lang()),
        },
    )


@login_required
def local_action_edit(
    request: AuthenticatedRequest, slug: str, pk: int | None = None
) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    fw = default_framework(frameworks())
    instance = (
        get_object_or_404(LocalAction, place=place, pk=pk)
        if pk
        else LocalAction(place=place, framework_id=fw.id)
    )
    idea = (
        None
        if pk
        else _selected_idea(place, request.POST.get("from_idea") or request.GET.get("from_idea"))
    )
    initial = _idea_initial(idea) if idea is not None else None
    form = LocalActionForm(
        request.POST or None, instance=instance, framework=fw, language=_lang(), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        action = services.local_action_save(
            action=form.save(commit=False),
            themes=form.cleaned_data["themes"],
            lead_actors=form.cleaned_data["lead_actors"],
            user=request.user,
            framework=fw,
        )
        if idea is not None:
            from platsa.innovation.services import idea_to_action

            idea_to_action(idea=idea, action=action, actor=request.user)
        messages.success(
            request, _("The action was saved. It is now part of this place's recommendations.")
        )
        return redirect("place_catalogue:list", slug=slug)
    return render(
        request,
        "catalogue/local_action_form.html",
        {"place": place, "form": form, "instance": instance, "from_idea": idea},
    )


def _selected_idea(place: Place, raw: str | None) -> Any:
    """A selected idea of one of the place's open-innovation processes, by id."""
    if not raw or not (str(raw).isascii() and str(raw).isdigit()):
        return None
    from platsa.innovation.models import Idea
    from platsa.innovation.services import SELECTED

    return (
        Idea.objects.select_related("process")
        .filter(pk=int(raw), process__place=place, status__in=SELECTED, local_action=None)
        .first()
    )


def _idea_initial(idea: Any) -> dict[str, str]:
    """The action's first words, from the idea as its author wrote them."""
    from platsa.core.render.markdown_safe import plain_text

    return {
        "title_sv": idea.title[:200],
        "summary_sv": plain_text(idea.body, 400),
        "description_sv": idea.body[:4000],
    }


@login_required
@require_POST
def local_action_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    services.local_action_delete(action=get_object_or_404(LocalAction, place=place, pk=pk))
    messages.success(request, _("The action was deleted."))
    return redirect("place_catalogue:list", slug=slug)


@login_required
def local_example_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    titles = action_titles(place, default_framework(frameworks()), _lang())
    choices = sorted(titles.items(), key=lambda item: item[1])
    initial = {"action_id": request.GET.get("action", "")}
    form = LocalExampleForm(request.POST or None, initial=initial, action_choices=choices)
    if request.method == "POST" and form.is_valid():
        services.local_example_save(example=form.save(commit=False), place=place, user=request.user)
        messages.success(
            request,
            _(
                "The example was saved. It is shown with the action in this place's recommendations."
            ),
        )
        return redirect("place_catalogue:list", slug=slug)
    return render(request, "catalogue/local_example_form.html", {"place": place, "form": form})


@login_required
@require_POST
def local_example_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    services.local_example_delete(example=get_object_or_404(LocalExample, place=place, pk=pk))
    messages.success(request, _("The example was deleted."))
    return redirect("place_catalogue:list", slug=slug)
