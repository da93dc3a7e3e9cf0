"""The catalogue: a public library of actions and good examples by theme, and a place's
own actions and examples (organisers add them in the app, not only in the admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.catalogue.forms import LocalActionForm, LocalExampleForm
from platsa.catalogue.models import LocalAction, LocalExample
from platsa.catalogue.selectors import frameworks, shared_catalogue
from platsa.core.catalogue import Horizon, Lead, validate_action
from platsa.places.access import get_place_for_user
from platsa.places.models import Role

DEFAULT_FRAMEWORK = "place-attractiveness"


def _lang() -> str:
    return (get_language() or "sv")[:2]


def _framework(request: HttpRequest):
    available = frameworks()
    fid = request.GET.get("framework", DEFAULT_FRAMEWORK)
    if fid not in available:
        fid = DEFAULT_FRAMEWORK
    return available[fid]


def catalogue_list(request: HttpRequest) -> HttpResponse:
    """All actions, filterable by theme, time horizon and who leads them."""
    fw = _framework(request)
    catalogue = shared_catalogue(fw.id, fw.version)
    theme = request.GET.get("theme", "")
    horizon = request.GET.get("horizon", "")
    lead = request.GET.get("lead", "")
    query = request.GET.get("q", "").strip().casefold()
    language = _lang()
    actions = list(catalogue)
    if theme and fw.has_theme(theme):
        actions = sorted(
            (a for a in actions if theme in a.themes),
            key=lambda a: (-a.themes[theme], a.title.get(language)),
        )
    else:
        theme = ""
        order = {t: i for i, t in enumerate(fw.theme_ids)}
        actions.sort(key=lambda a: (order.get(a.primary_theme, 99), a.title.get(language)))
    if horizon in [h.value for h in Horizon]:
        actions = [a for a in actions if a.horizon.value == horizon]
    if lead in [x.value for x in Lead]:
        actions = [a for a in actions if any(x.value == lead for x in a.lead_actors)]
    if query:
        actions = [
            a
            for a in actions
            if query in a.title.get(language).casefold()
            or query in a.summary.get(language).casefold()
            or any(query in e.place.casefold() for e in a.examples)
        ]
    return render(
        request,
        "catalogue/list.html",
        {
            "framework": fw,
            "actions": actions,
            "total": len(catalogue),
            "examples": sum(len(a.examples) for a in catalogue),
            "theme": theme,
            "horizon": horizon,
            "lead": lead,
            "q": request.GET.get("q", ""),
            "horizons": [h.value for h in Horizon],
            "leads": [x.value for x in Lead],
        },
    )


def action_detail(request: HttpRequest, action_id: str) -> HttpResponse:
    for fw in frameworks().values():
        action = shared_catalogue(fw.id, fw.version).get(action_id)
        if action is not None:
            return render(request, "catalogue/detail.html", {"action": action, "framework": fw})
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
            "actions": LocalAction.objects.filter(place=place),
            "examples": LocalExample.objects.filter(place=place),
            "titles": _action_titles(place),
        },
    )


def _action_titles(place) -> dict[str, str]:
    fw = frameworks()[DEFAULT_FRAMEWORK]
    language = _lang()
    titles = {a.id: a.title.get(language) for a in shared_catalogue(fw.id, fw.version)}
    for a in LocalAction.objects.filter(place=place):
        titles[a.action_id] = a.title_sv if language == "sv" or not a.title_en else a.title_en
    return titles


@login_required
def local_action_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    fw = frameworks()[DEFAULT_FRAMEWORK]
    instance = (
        get_object_or_404(LocalAction, place=place, pk=pk)
        if pk
        else LocalAction(place=place, framework_id=fw.id)
    )
    form = LocalActionForm(request.POST or None, instance=instance, framework=fw, language=_lang())
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.themes = form.cleaned_data["themes"]
        action.lead_actors = form.cleaned_data["lead_actors"]
        if not action.key:
            base = slugify(action.title_sv).replace("-", "_")[:60] or "atgard"
            key, n = base, 2
            while LocalAction.objects.filter(place=place, key=key).exists():
                key, n = f"{base}_{n}", n + 1
            action.key = key
        action.created_by = action.created_by or request.user
        validate_action(action.to_action([]), fw)
        action.save()
        messages.success(
            request, _("The action was saved. It is now part of this place's recommendations.")
        )
        return redirect("place_catalogue:list", slug=slug)
    return render(
        request,
        "catalogue/local_action_form.html",
        {"place": place, "form": form, "instance": instance},
    )


@login_required
@require_POST
def local_action_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    action = get_object_or_404(LocalAction, place=place, pk=pk)
    LocalExample.objects.filter(place=place, action_id=action.action_id).delete()
    action.delete()
    messages.success(request, _("The action was deleted."))
    return redirect("place_catalogue:list", slug=slug)


@login_required
def local_example_create(request: HttpRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    titles = _action_titles(place)
    choices = sorted(titles.items(), key=lambda item: item[1])
    initial = {"action_id": request.GET.get("action", "")}
    form = LocalExampleForm(request.POST or None, initial=initial, action_choices=choices)
    if request.method == "POST" and form.is_valid():
        example = form.save(commit=False)
        example.place = place
        example.created_by = request.user
        example.save()
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
    get_object_or_404(LocalExample, place=place, pk=pk).delete()
    messages.success(request, _("The example was deleted."))
    return redirect("place_catalogue:list", slug=slug)
