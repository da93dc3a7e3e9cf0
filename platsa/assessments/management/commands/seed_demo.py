"""A demo place with generated answers, so the quick start shows a full results page.

The answers are artificial (platsa.core.io.synthetic) and the place says so in its description.
Idempotent: an existing demo place is left alone unless --reset is given.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from platsa.assessments.generated import round_fill_generated
from platsa.assessments.models import Round
from platsa.assessments.services import (
    default_groups,
    round_create,
    round_publish,
    round_set_status,
)
from platsa.core.schema.frameworks import default_framework, load_frameworks
from platsa.places.models import Area, Place
from platsa.places.services import place_create
from platsa.processes.models import Process

DEMO_EMAIL = "demo@platsa.local"
DEMO_PASSWORD = "platsa-demo-2026"  # noqa: S105 - a documented demo login for the local quick start
DEMO_REGION = "Regionsamverkan Dalarna (demo)"
DEMO_MAPPING = "Innovationsförmåga i Dalarna 2027"
DEMO_PLACE = "Domnarvet (demo)"
# Generated comments, each under the theme and the question ("what is good" / "what could be
# better") it belongs to, so that the demo reads like a real round.
COMMENTS = [
    (
        "housing",
        "better",
        "Det saknas hyreslägenheter för den som vill flytta hit och jobba på bruket.",
    ),
    (
        "nature_environment",
        "good",
        "Naturen runt älven är fantastisk, och elljusspåret används mycket.",
    ),
    ("mobility", "better", "Bussen går för sällan på kvällar och helger."),
    ("skills_supply", "better", "Svårt att rekrytera elektriker och underhållstekniker."),
    ("community", "good", "Föreningslivet är starkt, men det är samma eldsjälar överallt."),
    ("public_spaces", "better", "Torget behöver en upprustning och fler sittplatser."),
    ("schools_childcare", "good", "Bra skola och förskola nära hemmet."),
    ("culture_leisure", "better", "Unga har ingenstans att vara på kvällarna."),
    ("collaboration", "better", "Kommunen och företagen borde prata mer med varandra."),
    (
        "digital_connectivity",
        "better",
        "Bredbandet fungerar bra i tätorten men inte i byarna runt omkring.",
    ),
    ("identity_image", "good", "Folk pratar gott om orten igen sedan festivalen började."),
    ("safety", "better", "Det känns otryggt vid stationen när det är mörkt."),
]


class Command(BaseCommand):
    help = "Create a demo organiser, the place Domnarvet in Borlänge and two rounds of generated answers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--responses", type=int, default=300, help="answers in the current round"
        )
        parser.add_argument(
            "--reset", action="store_true", help="delete and recreate the demo place"
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        municipality = Area.objects.filter(
            kind=Area.Kind.MUNICIPALITY, country="SE", code="2081"
        ).first()
        if municipality is None:
            raise CommandError("Borlänge (2081) is missing: run manage.py import_reference first.")
        user_model = get_user_model()
        user = user_model.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            user = user_model.objects.create_user(email=DEMO_EMAIL, password=DEMO_PASSWORD)
            user.display_name = "Demo"
            user.save(update_fields=["display_name"])
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=DEMO_EMAIL, verified=True, primary=True)
        existing = Place.objects.filter(name=DEMO_PLACE, municipality=municipality).first()
        if existing and not options["reset"]:
            self.stdout.write(
                f"demo: {DEMO_PLACE} exists (use --reset to recreate); login {DEMO_EMAIL} / {DEMO_PASSWORD}"
            )
            return
        if existing:
            existing.delete()
        place = place_create(
            user=user,
            name=DEMO_PLACE,
            municipality=municipality,
            kind=Place.Kind.LOCALITY,
            population_estimate=8000,
            has_industry_employer=Place.Industry.YES,
            description="Demo: en påhittad enkät med genererade svar, som visar vad Platsa gör.",
            lat=60.4742,
            lon=15.4287,
        )
        fw = default_framework(load_frameworks())
        year_ago = timezone.now() - dt.timedelta(days=365)
        # A year earlier the town centre and the place's image were worse, housing a little better.
        earlier = self._round(
            place,
            user,
            fw,
            "Hösten 2025",
            180,
            seed=2025,
            comments=False,
            shift={"public_spaces": -0.8, "identity_image": -0.6, "housing": 0.4},
        )
        Process.objects.filter(round__pk=earlier.pk).update(created_at=year_ago)
        earlier = Round.objects.select_related("process").get(pk=earlier.pk)
        round_set_status(round_=earlier, status=Round.Status.CLOSED, actor=user)
        round_publish(round_=earlier, public=True, actor=user)
        current = self._round(
            place, user, fw, "Hösten 2026", options["responses"], seed=2026, comments=True
        )
        round_publish(round_=current, public=True, actor=user)
        mapped = self._mapping(user, municipality)
        from platsa.conversations.demo import demo_conversation

        demo_conversation(place, user)
        from platsa.workshops.demo import demo_workshop

        demo_workshop(place, user)
        from platsa.innovation.demo import demo_innovation

        demo_innovation(place, user)
        from platsa.plans.demo import demo_plan

        demo_plan(place, user)
        self.stdout.write(
            f"demo: {place.name} with rounds '{earlier.name}' (180) and '{current.name}' "
            f"({options['responses']}); a mapping of {mapped} municipalities coordinated by "
            f"{DEMO_REGION}; login {DEMO_EMAIL} / {DEMO_PASSWORD}"
        )

    def _mapping(self, user: Any, municipality: Area) -> int:
        """A regional body (a place of its own) mapping its county's municipalities with
        generated answers, each municipality a little different: the comparison pages."""
        from platsa.mappings.services import Participant, mapping_create, mapping_rounds

        old = Process.objects.filter(kind="mapping", title=DEMO_MAPPING)
        # the municipalities' places it made (nobody was invited to them) go with it
        Place.objects.filter(
            processes__parent__in=old, memberships__isnull=True
        ).distinct().delete()
        old.delete()
        Place.objects.filter(name=DEMO_REGION).delete()
        region = place_create(
            user=user,
            name=DEMO_REGION,
            municipality=municipality,
            kind=Place.Kind.OTHER,
            description="Demo: en regional samordnare som jämför länets kommuner.",
        )
        frameworks = load_frameworks()
        fw = frameworks.get("innovation-capacity") or default_framework(frameworks)
        county = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, parent=municipality.parent)
        mapping, _created = mapping_create(
            place=region,
            user=user,
            title=DEMO_MAPPING,
            framework=fw,
            participants=[Participant(municipality=a) for a in county.order_by("name")],
            base_url="http://127.0.0.1:8000/",
        )
        rounds = mapping_rounds(mapping)
        for i, round_ in enumerate(rounds):
            shift = {t: ((i * 7 + j * 3) % 5 - 2) * 0.5 for j, t in enumerate(fw.theme_ids)}
            round_fill_generated(round_, 25 + (i * 11) % 30, seed=100 + i, profile_shift=shift)
        return len(rounds)

    def _round(
        self,
        place: Place,
        user: Any,
        fw: Any,
        name: str,
        n: int,
        *,
        seed: int,
        comments: bool,
        shift: dict[str, float] | None = None,
    ) -> Round:
        round_ = round_create(
            place=place,
            user=user,
            name=name,
            framework=fw,
            groups=default_groups(fw),
            open_now=True,
        )
        round_fill_generated(
            round_,
            n,
            seed=seed,
            comment_rate=0.35 if comments else 0.0,
            comments=COMMENTS,
            profile_shift=shift,
            user=user,
        )
        round_.comments.update(status="approved")
        return round_
