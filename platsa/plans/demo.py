"""A demo action plan (``seed_demo``), after seeds 001 and 002: the demo place's plan for
2026–2029 with a vision, a SWOT drafted from its data, goals measured by its assessment's
themes, its population and a measure of its own, and actions made from the assessment's
recommendations, the open-innovation ideas, the live workshop's answers and the catalogue,
with owners, milestones (one overdue), funding and the first updates. In effect and
published, so the quick start shows the public follow-up page.

Names of people and organisations are made up (marked demo). No number about the place is
typed in: the figures come from its rounds and the imported open data.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from platsa.accounts.models import User
from platsa.places.models import Place
from platsa.plans import services
from platsa.plans.models import Action, Plan
from platsa.plans.swot import swot_draft
from platsa.processes.services import process_set_phase, process_set_public


def _lines(draft: dict[str, list[str]], key: str) -> str:
    return "\n".join(f"- {line}" for line in draft.get(key, []))


def demo_plan(place: Place, user: User) -> Plan:
    from platsa.assessments.models import FrozenRecommendation, ResultSnapshot

    today = timezone.localdate()
    start = date(today.year, 1, 1)
    plan = services.plan_create(
        place=place,
        title=f"{place.name}: utvecklingsplan {start.year}–{start.year + 3}",
        user=user,
        vision=(
            "En bruksort där det är lätt att bo, arbeta och mötas: bostäder för dem som "
            "flyttar hit, ett levande centrum och unga som vill stanna."
        ),
    )
    draft = swot_draft(plan, public=False)
    services.plan_update(
        plan=plan,
        actor=user,
        starts_on=start,
        ends_on=date(start.year + 3, 12, 31),
        history=(
            "Demo: Domnarvet växte kring järnverket. Här finns skola, vårdcentral och ett "
            "starkt föreningsliv, men bostäderna räcker inte till dem som får jobb på bruket."
        ),
        strengths=_lines(draft, "strengths"),
        weaknesses=_lines(draft, "weaknesses"),
        opportunities=_lines(draft, "opportunities"),
        threats=_lines(draft, "threats"),
        follow_up=(
            "Byarådet följer upp planen vid varje möte. Varje höst görs en ny enkät, och "
            "planen revideras i januari."
        ),
    )
    services.strategy_add(plan=plan, actor=user, level="municipal", name="Kommunens översiktsplan")
    services.strategy_add(
        plan=plan, actor=user, level="regional", name="Den regionala utvecklingsstrategin"
    )
    path = services.path_save(
        plan=plan,
        actor=user,
        title="Bruket och orten tillsammans",
        description="Företaget och orten gör attraktiviteten till en gemensam fråga (seed 004).",
    )
    housing = services.goal_save(
        plan=plan,
        actor=user,
        title="Fler bostäder för dem som flyttar hit",
        theme_id="housing",
        path=path,
    )
    centre = services.goal_save(
        plan=plan, actor=user, title="Ett levande centrum", theme_id="public_spaces", path=path
    )
    young = services.goal_save(plan=plan, actor=user, title="Fler unga vill stanna", path=path)
    services.indicator_save(
        goal=housing, actor=user, kind="theme", name="Bostäder i enkäten", theme_id="housing",
        baseline_year=start.year - 1, target_year=start.year + 3, higher_is_better=True,
    )  # fmt: skip
    services.indicator_save(
        goal=housing, actor=user, kind="fact", name="Befolkningen i kommunen",
        fact_key="population", higher_is_better=True,
    )  # fmt: skip
    services.indicator_save(
        goal=centre, actor=user, kind="theme", name="Offentliga platser i enkäten",
        theme_id="public_spaces", higher_is_better=True,
    )  # fmt: skip
    jobs = services.indicator_save(
        goal=young, actor=user, kind="custom", name="Sommarjobb för unga på orten", unit="st",
        baseline=0, baseline_year=start.year - 1, target=30, target_year=start.year + 3,
    )  # fmt: skip
    services.indicator_value_set(
        indicator=jobs, actor=user, year=start.year - 1, value=0, note="Demo"
    )
    services.indicator_value_set(indicator=jobs, actor=user, year=start.year, value=12, note="Demo")

    made: list[Action] = []
    snapshot = (
        ResultSnapshot.objects.filter(round__process__place=place)
        .order_by("-created_at", "-version")
        .first()
    )
    if snapshot is not None:
        for rec in FrozenRecommendation.objects.filter(
            snapshot=snapshot, in_portfolio=True
        ).order_by("rank")[:3]:
            made.append(
                services.action_from_recommendation(
                    plan=plan, recommendation=rec, actor=user, goals=[housing]
                )
            )
    from platsa.innovation.models import Idea

    idea = (
        Idea.objects.filter(process__place=place, visibility="shown")
        .order_by("-support_count")
        .first()
    )
    if idea is not None:
        from platsa.innovation.services import idea_set_status

        idea_set_status(idea=idea, actor=user, status=Idea.Status.SELECTED)
        made.append(services.action_from_idea(plan=plan, idea=idea, actor=user, goals=[housing]))
    from platsa.workshops.models import Answer

    answer = (
        Answer.objects.filter(
            question__workshop__process__place=place, question__kind="words", hidden=False
        )
        .exclude(text="")
        .first()
    )
    if answer is not None:
        made.append(
            services.action_from_workshop(plan=plan, item=answer, actor=user, goals=[centre])
        )
    own = services.action_save(
        plan=plan,
        actor=user,
        data=services.ActionData(
            title="Sommarjobb för unga på bruket",
            description="Bruket och kommunen erbjuder sommarjobb till ortens unga, med handledare.",
            goals=[young],
            themes=["work_business", "skills_supply"],
            owner_org="Bruket (demo)",
            owner_name="Karin Demo",
            owner_public=True,
            lead="jointly",
            partners="Kommunen, gymnasiet",
            starts_on=start,
            ends_on=date(start.year + 3, 8, 31),
            budget=450_000,
            status=Action.Status.UNDER_WAY,
            progress=40,
            outputs="30 sommarjobb per år",
            results="Fler unga ser en framtid på orten",
        ),
    )
    made.append(own)
    # Milestones and updates, so the timeline and the reminders have something to show.
    first = made[0] if made else own
    done = services.milestone_save(
        action=first, actor=user, title="Förstudie klar", due_on=today - timedelta(days=40)
    )
    services.milestone_save(
        action=first, actor=user, title="Beslut i kommunstyrelsen", due_on=today - timedelta(days=3)
    )
    services.milestone_save(
        action=first, actor=user, title="Byggstart", due_on=today + timedelta(days=120)
    )
    placed = services.milestone_save(
        action=own, actor=user, title="Tio platser klara", due_on=today - timedelta(days=10)
    )
    services.milestone_save(
        action=own, actor=user, title="Utvärdering med de unga", due_on=today + timedelta(days=60)
    )
    services.funding_line_save(
        action=own, actor=user, name="Bruket (demo)", status="granted", amount=300_000
    )
    services.funding_line_save(
        action=own,
        actor=user,
        name="Kommunens egen budget",
        source_id="municipal_budget",
        status="applied",
        amount=150_000,
    )
    process_set_phase(process=plan.process, phase="in_effect", actor=user)
    services.update_post(
        action=first,
        actor=user,
        text="Förstudien är klar och visar behov av 40 lägenheter.",
        milestone=done,
        status="under_way",
        progress=20,
    )
    services.update_post(
        action=own,
        actor=user,
        text="Tio unga har fått sommarjobb i år.",
        milestone=placed,
        progress=40,
    )
    process_set_public(process=plan.process, public=True, actor=user)
    services.plan_touch(plan)
    return plan
