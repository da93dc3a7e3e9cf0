"""A demo open-innovation journey (``seed_demo``), after seed 000: a hackathon that starts
at the demo place and moves on to Östersund, Åre and Steinkjer, with challenges of the
municipality and a company, ideas from made-up participants (marked demo, from a fixed
seed), supports, comments, a pledge and the first updates of the live feed."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from platsa.accounts.models import User
from platsa.innovation.models import Idea, Theme
from platsa.innovation.services import (
    challenge_save,
    comment_add,
    feed_post_add,
    idea_set_status,
    idea_submit,
    idea_support,
    innovation_create,
    like_toggle,
    pledge_add,
    stop_save,
)
from platsa.places.models import Area, Place
from platsa.processes.services import process_set_phase

IDEAS = [
    (
        "Hyresrätter för inflyttare",
        "Kommunen och företagen bygger tillsammans **små hyresrätter** nära jobben, så att den som flyttar hit har någonstans att bo första året.",
        "Boende",
    ),
    (
        "Gamla skolan blir coworking",
        "Skolan står tom. Med fiber, kaffe och ett par skrivbord blir den en mötesplats för distansarbetare och nya företag.",
        "Arbete och företag",
    ),
    (
        "Anropsstyrd buss på kvällar",
        "Bussen slutar gå kl 18. En anropsstyrd tur på kvällar och helger skulle räcka för unga och äldre.",
        "Resor och kommunikationer",
    ),
    (
        "Sommarjobb i bygdens företag",
        "Företagen tar emot ungdomar varje sommar, så att de lär känna jobben som finns här.",
        "Arbete och företag",
    ),
    (
        "Välkomstpaket för nya invånare",
        "En kontaktperson och ett paket med det man behöver veta: förskola, föreningar, vem man ringer.",
        "Gemenskap och inflyttning",
    ),
    (
        "Laddstolpar vid macken",
        "Turister med elbil stannar inte här i dag. Fyra laddstolpar vid macken skulle ändra det.",
        "Resor och kommunikationer",
    ),
    (
        "Digital byapanel",
        "En skärm på affären och i appen med allt som händer i byn denna vecka.",
        "Digitalisering",
    ),
    (
        "Vandringsled längs älven",
        "Märk upp en led längs älven med rastplatser och berättelser om flottningen.",
        "Natur, kultur och fritid",
    ),
    (
        "Lägenheter för unga",
        "Unga som vill bo kvar hittar ingen lägenhet. Bygg små hyreslägenheter nära centrum.",
        "Boende",
    ),
    (
        "Bostäder för säsongsarbetare",
        "Företagen hittar folk men inte bostäder: hyresrätter för dem som jobbar här en säsong.",
        "Boende",
    ),
    (
        "Tidig buss till Östersund",
        "En buss till Östersund före sju så att man kan pendla till jobbet utan bil.",
        "Resor och kommunikationer",
    ),
    (
        "Samåkning till jobben",
        "En app där grannar samåker och pendlar till jobben i Östersund och Hammarstrand.",
        "Resor och kommunikationer",
    ),
    (
        "Fiber till varje by",
        "Flera byar saknar fiber. Bygg ut bredbandet så att man kan jobba hemifrån.",
        "Digitalisering",
    ),
    (
        "Företagsby i gamla sågen",
        "Små lokaler för nya företag i den gamla sågen, med fiber och en gemensam verkstad.",
        "Arbete och företag",
    ),
]
STOPS = [
    ("2303", "SE", "Ragunda – hackathon 48 h", 0),
    ("2380", "SE", "Östersund", 14),
    ("2321", "SE", "Åre", 21),
    ("5006", "NO", "Steinkjer", 35),
]


def demo_innovation(place: Place, user: User) -> None:
    """The journey "Ragunda 2027 (demo)" of ``place``, collecting ideas (a newcomer can post one)."""
    innovation = innovation_create(
        place=place,
        title="Ragunda 2027 – resan (demo)",
        user=user,
        intro=(
            "En hackathon på 48 timmar som sedan reser vidare till Östersund, Åre och "
            "Steinkjer. Kommunen och företagen delar sina utmaningar; **alla** kan läsa, "
            "och med ett inloggningskod via e-post kan du skicka idéer, stödja och lova tid "
            "eller pengar. *Demo: idéerna och deltagarna är påhittade.*"
        ),
    )
    process = innovation.process
    start = timezone.localdate() - timedelta(days=3)
    stops = []
    for code, country, title, offset in STOPS:
        area = Area.objects.filter(kind=Area.Kind.MUNICIPALITY, country=country, code=code).first()
        if area is None:
            continue
        day = start + timedelta(days=offset)
        stops.append(
            stop_save(
                process=process,
                municipality=area,
                title=title,
                starts_on=day,
                ends_on=day + timedelta(days=1),
            )
        )
    themes = {t.name: t for t in Theme.objects.filter(process=process)}
    housing = challenge_save(
        process=process,
        title="Bostäder till dem som vill flytta hit",
        owner_name="Ragunda kommun (demo)",
        owner_kind="municipality",
        story="Företagen har lediga jobb, men den som får jobbet hittar ingen bostad.",
        problem="Det finns nästan inga lediga hyreslägenheter, och att bygga nytt lönar sig inte med dagens hyror.",
        help_wanted=["ideas", "partners", "funding"],
        themes=[themes["Boende"]],
        stop=stops[0] if stops else None,
    )
    skills = challenge_save(
        process=process,
        title="Svetsare och elektriker till bruket",
        owner_name="Bruket AB (demo)",
        owner_kind="company",
        problem="Vi behöver tio yrkesarbetare de kommande två åren och hittar dem inte här.",
        help_wanted=["ideas", "people"],
        themes=[themes["Arbete och företag"]],
    )
    process_set_phase(process=process, phase="challenges", actor=user)
    process_set_phase(process=process, phase="ideas", actor=user)
    rng = random.Random(2027)
    people = [
        User.objects.get_or_create(
            email=f"deltagare{i}@demo.platsa.local",
            defaults={"display_name": name},
        )[0]
        for i, name in enumerate(
            [
                "Anna",
                "Bo",
                "Cecilia",
                "Dawit",
                "Eva",
                "Frida",
                "Gunnar",
                "Hanna",
                "Ivar",
                "Jonna",
                "Kari",
                "Lars",
            ]
        )
    ]
    from allauth.account.models import EmailAddress

    for person in people:
        if person.has_usable_password():
            person.set_unusable_password()
            person.save(update_fields=["password"])
        # As after a sign-in by code: the address is proven (one code signs them in).
        EmailAddress.objects.get_or_create(
            user=person, email=person.email, defaults={"verified": True, "primary": True}
        )
    ideas: list[Idea] = []
    for i, (title, body, theme) in enumerate(IDEAS):
        ideas.append(
            idea_submit(
                process=process,
                user=people[i % len(people)],
                title=title,
                body=body,
                themes=[themes[theme]],
                challenge=housing if theme == "Boende" else (skills if i == 3 else None),
                stop=stops[i % len(stops)] if stops else None,
                goal_amount=250000 if i == 1 else None,
            )
        )
    for idea in ideas:
        for person in rng.sample(people, rng.randint(1, len(people) - 2)):
            if person.pk != idea.author_id:
                idea_support(idea=idea, user=person)
        for person in rng.sample(people, 3):
            like_toggle(user=person, idea=idea)
    comment_add(
        user=people[4],
        idea=ideas[0],
        body="Vi har en tom villa i byn som kunde bli två lägenheter.",
    )
    comment_add(
        user=people[5], idea=ideas[1], body="Jag jobbar på distans och skulle hyra en plats direkt!"
    )
    comment_add(
        user=people[6],
        idea=ideas[2],
        body="Bussen behövs, jag pendlar till Östersund varje dag och har ingen bil.",
    )
    comment_add(user=people[7], idea=ideas[5], body="Bra idé!")
    pledge_add(
        idea=ideas[1],
        user=people[6],
        kind="money",
        amount=50000,
        description="Från byns bygdemedel (demo)",
    )
    pledge_add(
        idea=ideas[1], user=people[7], kind="time", hours=40, description="Jag drar fiber och målar"
    )
    pledge_add(
        idea=ideas[1], user=people[8], kind="premises", description="Möbler från vårt kontor"
    )
    for stop, text in zip(
        stops[:2],
        [
            "Dag 1 i Ragunda: **15 på plats** och över tusen som följer på nätet. Fyra utmaningar presenterade.",
            "Nästa stopp Östersund: vi tar med oss idéerna om bostäder och coworking.",
        ],
        strict=False,
    ):
        feed_post_add(process=process, author=user, body=text, stop=stop)
    idea_set_status(
        idea=ideas[1],
        actor=user,
        status=Idea.Status.REVIEW,
        answer="Kommunen undersöker om skolan kan hyras ut till en förening.",
    )
