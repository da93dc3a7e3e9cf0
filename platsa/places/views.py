"""Place pages: create, facts from open data, members."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import AuthenticatedRequest
from platsa.core.io.reference import SOURCES
from platsa.core.render import charts
from platsa.places import services
from platsa.places.access import get_place_for_user, has_role
from platsa.places.facts import area_charts, area_facts, kolada_indicators
from platsa.places.forms import MemberForm, PlaceForm
from platsa.places.invitations import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_for_token,
    invitation_withdraw,
)
from platsa.places.models import Area, Role
from platsa.places.peers import place_peers
from platsa.places.selectors import (
    area_shape,
    memberships_with_rounds,
    municipality_by_id,
    open_invitations,
    place_members,
    place_processes,
    place_rounds,
    search_municipalities,
)
from platsa.places.services import PLACE_FIELDS, PlaceError


def municipality_search(request: HttpRequest) -> HttpResponse:
    """htmx: the matching municipalities as radio buttons (also works as a plain GET)."""
    query = request.GET.get("q", "")
    return render(
        request,
        "places/_municipality_choices.html",
        {
            "results": search_municipalities(query),
            "query": query,
            "selected": request.GET.get("municipality"),
        },
    )


@login_required
def place_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "places/list.html", {"memberships": memberships_with_rounds(request.user)}
    )


def map_for(
    area: Area | None, lat: object = None, lon: object = None, *, to_set: bool = True
) -> str:
    """The municipality's outline to click on, with the point if one is given; with
    ``to_set`` False, a picture of where the point is (its title says nothing of clicking)."""
    if area is None:
        return ""
    shape = area_shape(area)
    if shape is None:
        return ""
    point: tuple[float, float] | None = None
    if lat not in (None, "") and lon not in (None, ""):
        try:
            point = (float(str(lat)), float(str(lon)))
        except ValueError:
            point = None
    title = (
        _("Map of %(area)s: click to set the place's point")
        if to_set
        else _("Map of %(area)s with the point marked")
    )
    return charts.area_map(shape.geometry, title=title % {"area": area.name}, point=point)


def municipality_map(request: HttpRequest) -> HttpResponse:
    """htmx: the chosen municipality's map on the place form, to click the point on."""
    area = municipality_by_id(request.GET.get("municipality", ""))
    return render(
        request,
        "places/_map.html",
        {"map_svg": map_for(area, request.GET.get("lat"), request.GET.get("lon"))},
    )


def _form_context(form: PlaceForm, request: HttpRequest) -> dict[str, Any]:
    query = request.POST.get("q") or request.GET.get("q") or ""
    chosen = municipality_by_id(str(form["municipality"].value() or ""))
    results = search_municipalities(query) if query else []
    if chosen and chosen not in results:
        results.insert(0, chosen)
    return {
        "form": form,
        "query": query,
        "results": results,
        "selected": str(chosen.pk) if chosen else "",
        "map_svg": map_for(chosen, form["lat"].value(), form["lon"].value()),
    }


def _place_data(form: PlaceForm) -> dict[str, Any]:
    """The valid form's fields, as the services take them."""
    return {name: form.cleaned_data[name] for name in PLACE_FIELDS}


@login_required
def place_create_view(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST" and "save" in request.POST:
        form = PlaceForm(request.POST)
        if form.is_valid():
            place = services.place_create(user=request.user, **_place_data(form))
            messages.success(request, _("The place %(name)s was created.") % {"name": place.name})
            return redirect("places:detail", slug=place.slug)
    else:
        # A search submitted without JavaScript lands here too: keep what was typed.
        form = PlaceForm(request.POST or None) if request.method == "POST" else PlaceForm()
        if request.method == "POST":
            form.errors.clear()
    return render(request, "places/form.html", {**_form_context(form, request), "creating": True})


@login_required
def place_edit(request: HttpRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.OWNER)
    if request.method == "POST" and "save" in request.POST:
        form = PlaceForm(request.POST, instance=place)
        if form.is_valid():
            try:
                services.place_update(place=place, **_place_data(form))
            except PlaceError:
                form.add_error(
                    "municipality",
                    _(
                        "The place takes part in a mapping of municipalities, which compares "
                        "it as this municipality: its municipality and kind stay as they are."
                    ),
                )
            else:
                messages.success(request, _("Saved."))
                return redirect("places:detail", slug=place.slug)
    else:
        form = PlaceForm(instance=place)
    return render(request, "places/form.html", {**_form_context(form, request), "place": place})


def _fact_rows(area: Area) -> list[dict]:
    rows = []
    for fact in area_facts(area):
        source = SOURCES.get(fact.source)
        rows.append({"fact": fact, "source": source})
    return rows


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place, role = get_place_for_user(request, slug)
    area = place.municipality
    shape = area_shape(area)
    map_svg = ""
    if shape:
        point = (place.lat, place.lon) if place.lat is not None and place.lon is not None else None
        map_svg = charts.area_map(
            shape.geometry, title=_("Map of %(area)s") % {"area": area.name}, point=point
        )
    return render(
        request,
        "places/detail.html",
        {
            "place": place,
            "role": role,
            "can_organise": has_role(role, Role.ORGANISER),
            "is_owner": role == Role.OWNER,
            "facts": _fact_rows(area),
            **area_charts(area),
            "indicators": kolada_indicators(area),
            "map_svg": map_svg,
            "rounds": place_rounds(place),
            "mappings": place_processes(place, "mapping"),
            "conversations": place_processes(place, "conversation"),
            "workshops": place_processes(place, "workshop"),
            "innovations": place_processes(place, "innovation"),
            "plans": place_processes(place, "plan"),
            "peers": place_peers(area, (get_language() or "sv")[:2]),
        },
    )


@login_required
def members(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Owners add members by e-mail (an invitation for someone without an account),
    change roles, remove members and withdraw invitations."""
    place, _role = get_place_for_user(request, slug, needs=Role.OWNER)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            try:
                services.membership_remove(place=place, membership_id=int(request.POST["remove"]))
            except PlaceError as exc:
                if str(exc) == "last_owner":
                    messages.error(request, _("A place must keep at least one owner."))
                else:
                    messages.error(request, _("That person is no longer a member."))
            except ValueError:
                messages.error(request, _("That person is no longer a member."))
            else:
                messages.success(request, _("The member was removed."))
            return redirect("places:members", slug=slug)
        if "withdraw" in request.POST:
            try:
                invitation_withdraw(place=place, invitation_id=int(request.POST["withdraw"]))
                messages.success(request, _("The invitation was withdrawn."))
            except (InvitationError, ValueError):
                messages.error(request, _("That invitation no longer exists."))
            return redirect("places:members", slug=slug)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                invitation, _membership = invitation_create(
                    place=place,
                    email=email,
                    role=Role(form.cleaned_data["role"]),
                    invited_by=request.user,
                    base_url=request.build_absolute_uri("/"),
                )
            except PlaceError:
                form.add_error("role", _("A place must keep at least one owner."))
            else:
                if invitation is not None:
                    text = _("An invitation was sent to %(email)s.")
                else:
                    text = _("%(email)s was added and told by e-mail.")
                messages.success(request, text % {"email": email})
                return redirect("places:members", slug=slug)
    return render(
        request,
        "places/members.html",
        {
            "place": place,
            "form": form,
            "memberships": place_members(place),
            "invitations": open_invitations(place),
        },
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link in an invitation e-mail: sign up (or in) with the invited address, then
    join with one click. Joining is a POST, so a link preview cannot accept it."""
    try:
        invite = invitation_for_token(token)
    except InvitationError as exc:
        return render(
            request, "places/invitation.html", {"problem": exc.code, "invite": exc.invitation}
        )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = invitation_accept(token=token, user=request.user)
        except InvitationError as exc:
            return render(
                request,
                "places/invitation.html",
                {"problem": exc.code, "invite": invite},
                status=400 if exc.code == "wrong_account" else 200,
            )
        messages.success(
            request,
            _("Welcome to %(place)s. You are %(role)s.")
            % {"place": membership.place.name, "role": membership.get_role_display()},
        )
        return redirect("places:detail", slug=membership.place.slug)
    if not request.user.is_authenticated:
        # Sign-up with the invited address marks it verified: the link proves the address.
        from allauth.account.adapter import get_adapter

        get_adapter(request).stash_verified_email(request, invite.email)
    wrong_account = (
        request.user.is_authenticated and request.user.email.lower() != invite.email.lower()
    )
    return render(
        request,
        "places/invitation.html",
        {"invite": invite, "wrong_account": wrong_account, "next": request.path},
    )


@login_required
@require_POST
def place_delete(request: HttpRequest, slug: str) -> HttpResponse:
    """Delete a place with all its rounds, responses and comments (owners only)."""
    place, _role = get_place_for_user(request, slug, needs=Role.OWNER)
    if request.POST.get("confirm") != place.name:
        messages.error(request, _("Type the place's name to confirm."))
        return redirect("places:edit", slug=slug)
    name = services.place_delete(place=place)
    messages.success(request, _("%(name)s and all its data were deleted.") % {"name": name})
    return redirect("places:list")
