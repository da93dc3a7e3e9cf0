"""A place always has an owner: one rule (places.services.sole_owner_places) behind changing a
role, removing a member and deleting an account; and the services that update and delete a
place and delete an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from platsa.accounts.services import AccountError, account_delete
from platsa.places.models import Area, Invitation, Membership, Place, Role
from platsa.places.services import (
    PlaceError,
    membership_remove,
    membership_set,
    place_create,
    place_delete,
    place_update,
    sole_owner_places,
)

pytestmark = pytest.mark.django_db


def _accepted_invitation(place: Place, user: object, link: str = "a-link") -> Invitation:
    """An invitation ``user`` accepted: the row keeps the address it was sent to."""
    from platsa.places.invitations import _hash, invitation_accept

    Invitation.objects.create(
        place=place,
        email=user.email,
        role=Role.VIEWER,
        token_hash=_hash(link),
        expires_at=timezone.now() + timedelta(days=1),
    )
    invitation_accept(token=link, user=user)
    return Invitation.objects.get(token_hash=_hash(link))


# --- the rule ---------------------------------------------------------------------------------


def test_sole_owner_places_are_those_with_no_other_owner(owner, organiser, borlange, place):
    shared = place_create(user=owner, name="Tuna", municipality=borlange)
    membership_set(place=shared, email=organiser.email, role=Role.OWNER)
    alone = place_create(user=owner, name="Ornäs", municipality=borlange)
    theirs = place_create(user=organiser, name="Gustafs", municipality=borlange)
    membership_set(place=theirs, email=owner.email, role=Role.ORGANISER)

    assert list(sole_owner_places(owner)) == [place, alone]  # by name: Domnarvet, Ornäs
    assert list(sole_owner_places(organiser)) == [theirs]


def test_the_sole_owner_cannot_be_demoted_until_there_is_another(place, owner, organiser):
    with pytest.raises(PlaceError, match="last_owner"):
        membership_set(place=place, email=owner.email, role=Role.ORGANISER)
    assert Membership.objects.get(place=place, user=owner).role == Role.OWNER

    membership_set(place=place, email=organiser.email, role=Role.OWNER)
    membership_set(place=place, email=owner.email, role=Role.VIEWER)
    assert Membership.objects.get(place=place, user=owner).role == Role.VIEWER
    # and now the other one is the sole owner
    with pytest.raises(PlaceError, match="last_owner"):
        membership_set(place=place, email=organiser.email, role=Role.VIEWER)


def test_the_sole_owner_cannot_be_removed_but_another_owner_can(place, owner, organiser):
    own = Membership.objects.get(place=place, user=owner)
    with pytest.raises(PlaceError, match="last_owner"):
        membership_remove(place=place, membership_id=own.pk)
    assert Membership.objects.filter(pk=own.pk).exists()

    membership_set(place=place, email=organiser.email, role=Role.OWNER)
    membership_remove(place=place, membership_id=own.pk)
    assert not Membership.objects.filter(pk=own.pk).exists()
    with pytest.raises(PlaceError, match="no_member"):
        membership_remove(place=place, membership_id=own.pk)


def test_a_member_of_another_place_cannot_be_removed_through_this_one(place, owner, borlange):
    other = place_create(user=owner, name="Tuna", municipality=borlange)
    theirs = Membership.objects.get(place=other, user=owner)
    with pytest.raises(PlaceError, match="no_member"):
        membership_remove(place=place, membership_id=theirs.pk)
    assert Membership.objects.filter(pk=theirs.pk).exists()


# --- deleting an account ---------------------------------------------------------------------


def test_the_sole_owner_of_a_place_with_members_keeps_account_and_place(
    place, owner, django_user_model
):
    with pytest.raises(AccountError) as raised:
        account_delete(user=owner)
    assert raised.value.places == ["Domnarvet"]
    assert django_user_model.objects.filter(pk=owner.pk).exists()
    assert Place.objects.filter(pk=place.pk).exists()
    assert Membership.objects.filter(place=place).count() == 3  # nobody was removed


def test_the_sole_owner_of_a_place_alone_must_delete_it_first(owner, borlange, django_user_model):
    """Today's rule: any place the account alone owns blocks the deletion, members or not
    (the account page says: another owner, or delete the place)."""
    solo = place_create(user=owner, name="Ornäs", municipality=borlange)
    with pytest.raises(AccountError):
        account_delete(user=owner)
    place_delete(place=solo)
    account_delete(user=owner)
    assert not django_user_model.objects.filter(pk=owner.pk).exists()


def test_with_another_owner_the_account_and_its_personal_data_go(
    place, owner, organiser, borlange, django_user_model
):
    from allauth.account.models import EmailAddress

    other = place_create(user=organiser, name="Tuna", municipality=borlange)
    invitation = _accepted_invitation(other, owner)
    membership_set(place=place, email=organiser.email, role=Role.OWNER)

    account_delete(user=owner)

    assert not django_user_model.objects.filter(pk=owner.pk).exists()
    assert not EmailAddress.objects.filter(email=owner.email).exists()
    assert not Membership.objects.filter(user_id=owner.pk).exists()
    # The accepted invitation held the address; it goes with the account.
    assert not Invitation.objects.filter(pk=invitation.pk).exists()
    assert not Invitation.objects.filter(email=owner.email).exists()
    # The place stays, with its other owner and members, no longer linked to the account.
    place.refresh_from_db()
    assert place.created_by is None
    assert Membership.objects.get(place=place, user=organiser).role == Role.OWNER
    assert Membership.objects.filter(place=place).count() == 2


def test_the_account_page_names_the_places_to_hand_over(client, place, owner):
    client.force_login(owner)
    response = client.post(reverse("accounts:delete"))
    assert response.url == reverse("accounts:mine")
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("Domnarvet" in t for t in texts), texts


def test_the_account_page_deletes_once_handed_over(client, place, owner, organiser):
    membership_set(place=place, email=organiser.email, role=Role.OWNER)
    client.force_login(owner)
    response = client.post(reverse("accounts:delete"))
    assert response.url == reverse("home")
    assert client.get(reverse("accounts:mine")).status_code == 302  # signed out


# --- updating and deleting a place -----------------------------------------------------------


def test_place_update_keeps_the_slug_and_moves_the_stamp(place, borlange):
    slug, stamp = place.slug, place.changed_at
    place_update(
        place=place,
        name="  Domnarvet och Bullermyren ",
        municipality=borlange,
        kind=Place.Kind.MUNICIPALITY,
        population_estimate=9000,
        has_industry_employer=Place.Industry.NO,
        description="",
        lat=60.48,
        lon=15.42,
    )
    place.refresh_from_db()
    assert place.name == "Domnarvet och Bullermyren"
    assert place.slug == slug  # links and survey addresses keep working
    assert place.changed_at > stamp  # public pages show the new name at once
    assert place.population_estimate is None  # a whole municipality has no estimate
    assert (place.lat, place.lon) == (60.48, 15.42)


def test_place_update_refuses_an_area_that_is_not_a_municipality(place, reference):
    country = Area.objects.get(kind=Area.Kind.COUNTRY, country="SE")
    with pytest.raises(PlaceError):
        place_update(
            place=place,
            name="X",
            municipality=country,
            kind=Place.Kind.LOCALITY,
            population_estimate=None,
            has_industry_employer=Place.Industry.UNKNOWN,
            description="",
            lat=None,
            lon=None,
        )
    place.refresh_from_db()
    assert place.name == "Domnarvet"


def test_the_edit_page_saves_through_the_service(client, place, owner, borlange):
    client.force_login(owner)
    client.post(
        reverse("places:edit", args=[place.slug]),
        {
            "save": "1",
            "name": "Domnarvet",
            "municipality": borlange.pk,
            "kind": "locality",
            "population_estimate": "7500",
            "has_industry_employer": "yes",
            "description": "Bruksorten",
            "lat": "",
            "lon": "",
        },
    )
    place.refresh_from_db()
    assert (place.population_estimate, place.description) == (7500, "Bruksorten")


def test_place_delete_takes_members_invitations_and_own_actions_but_no_other_place(
    place, owner, borlange
):
    from platsa.catalogue.models import LocalAction

    other = place_create(user=owner, name="Tuna", municipality=borlange)
    Invitation.objects.create(
        place=place,
        email="new@example.org",
        role=Role.VIEWER,
        token_hash="x" * 64,
        expires_at=timezone.now() + timedelta(days=1),
    )
    LocalAction.objects.create(
        place=place,
        key="bygdebuss",
        title_sv="Bygdebuss",
        summary_sv="En buss",
        themes={"mobility": 2},
        effort="low",
        cost_band="low",
        horizon="short",
        lead_actors=["association"],
    )

    assert place_delete(place=place) == "Domnarvet"

    assert not Place.objects.filter(pk=place.pk).exists()
    assert not Membership.objects.filter(place_id=place.pk).exists()
    assert not Invitation.objects.filter(place_id=place.pk).exists()
    assert not LocalAction.objects.filter(place_id=place.pk).exists()
    assert Place.objects.filter(pk=other.pk).exists()
    assert Membership.objects.filter(place=other, user=owner).exists()


def test_removing_someone_no_longer_a_member_says_so(client, place, owner, viewer):
    gone = Membership.objects.get(place=place, user=viewer)
    membership_remove(place=place, membership_id=gone.pk)
    client.force_login(owner)
    client.get(reverse("set_language", args=["en"]))
    response = client.post(reverse("places:members", args=[place.slug]), {"remove": gone.pk})
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts == ["That person is no longer a member."]
