"""The plan's forms. Fields are bounded here (lengths, ranges, dates) before the services
check them again; choices are built per plan (its goals, places and milestones)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from platsa.innovation.forms import DsForm
from platsa.places.models import Place
from platsa.plans.models import (
    SHORT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    Action,
    FundingLine,
    Goal,
    Indicator,
    Lead,
    Milestone,
    Plan,
    PlanRole,
    Strategy,
)
from platsa.plans.selectors import theme_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YEARS = [MinValueValidator(1950), MaxValueValidator(2100)]


def _area(rows: int = 4, limit: int = SHORT_MAX) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit})


class Bounded(DsForm):
    """Dates within 1950–2100 (a typo of 20266 is refused, not stored)."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):  # add_error removes the field from data
            if isinstance(value, date) and not date(1950, 1, 1) <= value <= date(2100, 12, 31):
                self.add_error(name, _("Give a date between 1950 and 2100."))
        return data


class CreateForm(DsForm):
    title = forms.CharField(
        label=_("Name of the plan"),
        max_length=120,
        min_length=3,
        help_text=_("For example “Utvecklingsplan för Hammarstrand 2027–2030”."),
    )
    scope = forms.ChoiceField(label=_("The plan is for"), choices=Plan.Scope.choices)
    places = forms.ModelMultipleChoiceField(
        label=_("Other places in the plan"),
        queryset=Place.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Villages planning together: each keeps its own part, the shared goals and actions are the plan's."
        ),
    )
    vision = forms.CharField(
        label=_("Vision"), required=False, max_length=TEXT_MAX, widget=_area(3, TEXT_MAX)
    )

    def __init__(self, *args: Any, places: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if places is not None:
            self.fields["places"].queryset = places  # type: ignore[attr-defined]
        if not self.fields["places"].queryset.exists():  # type: ignore[attr-defined]
            del self.fields["places"]


class TextsForm(Bounded):
    vision = forms.CharField(
        label=_("Vision"),
        required=False,
        max_length=TEXT_MAX,
        widget=_area(4, TEXT_MAX),
        help_text=_("Where the place wants to be, in a few sentences."),
    )
    history = forms.CharField(
        label=_("History and the place today"),
        required=False,
        max_length=TEXT_MAX,
        widget=_area(6, TEXT_MAX),
        help_text=_(
            "Services, housing, associations and business, in your words. The facts and the assessment are added from the data."
        ),
    )
    strengths = forms.CharField(
        label=_("Strengths"), required=False, max_length=SHORT_MAX, widget=_area()
    )
    weaknesses = forms.CharField(
        label=_("Weaknesses"), required=False, max_length=SHORT_MAX, widget=_area()
    )
    opportunities = forms.CharField(
        label=_("Opportunities"), required=False, max_length=SHORT_MAX, widget=_area()
    )
    threats = forms.CharField(
        label=_("Threats"), required=False, max_length=SHORT_MAX, widget=_area()
    )
    follow_up = forms.CharField(
        label=_("How the plan is followed up and revised"),
        required=False,
        max_length=SHORT_MAX,
        widget=_area(),
        help_text=_(
            "Who follows up, how often, and when the plan is revised (every year is common)."
        ),
    )
    starts_on = forms.DateField(label=_("Plan period from"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("Plan period to"), required=False, widget=DATE)


class StrategyForm(DsForm):
    level = forms.ChoiceField(label=_("Level"), choices=Strategy.Level.choices)
    name = forms.CharField(label=_("Name of the strategy"), max_length=TITLE_MAX, min_length=2)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")


class PathForm(DsForm):
    title = forms.CharField(label=_("Choice of path"), max_length=TITLE_MAX, min_length=3)
    description = forms.CharField(
        label=_("Why this way"), required=False, max_length=SHORT_MAX, widget=_area(3)
    )


def _place_choices(places: list[Place]) -> list[tuple[str, Any]]:
    return [("", _("The whole plan (shared)"))] + [(str(p.pk), p.name) for p in places]


class GoalForm(DsForm):
    title = forms.CharField(label=_("Goal"), max_length=TITLE_MAX, min_length=3)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=SHORT_MAX, widget=_area(3)
    )
    theme_id = forms.ChoiceField(label=_("Assessment theme it serves"), required=False)
    path = forms.ChoiceField(label=_("Choice of path"), required=False)
    place = forms.ChoiceField(label=_("Whose goal"), required=False)

    def __init__(self, *args: Any, plan: Plan, places: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme_id"].choices = [("", "—"), *theme_choices()]  # type: ignore[attr-defined]
        self.fields["path"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(p.pk), p.title) for p in plan.paths.all()
        ]
        if len(places) > 1:
            self.fields["place"].choices = _place_choices(places)  # type: ignore[attr-defined]
        else:
            del self.fields["place"]


class IndicatorForm(Bounded):
    kind = forms.ChoiceField(label=_("What is measured"), choices=Indicator.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=TITLE_MAX, min_length=2)
    theme_id = forms.ChoiceField(label=_("Theme (for a theme's score)"), required=False)
    fact_key = forms.ChoiceField(label=_("Figure (for open data)"), required=False)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=40)
    baseline = forms.FloatField(label=_("Baseline"), required=False)
    baseline_year = forms.IntegerField(label=_("Baseline year"), required=False, validators=YEARS)
    target = forms.FloatField(label=_("Target"), required=False)
    target_year = forms.IntegerField(label=_("Target year"), required=False, validators=YEARS)
    higher_is_better = forms.BooleanField(label=_("Higher is better"), required=False, initial=True)

    def __init__(
        self, *args: Any, kolada: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme_id"].choices = [("", "—"), *theme_choices()]  # type: ignore[attr-defined]
        facts = [
            ("population", _("Population")),
            ("share_65_plus_pct", _("Share aged 65 and over (%)")),
            ("share_0_19_pct", _("Share aged 0–19 (%)")),
        ]
        self.fields["fact_key"].choices = [("", "—"), *facts, *(kolada or [])]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("kind")
        if kind == Indicator.Kind.THEME and not data.get("theme_id"):
            self.add_error("theme_id", _("Choose the theme whose score is measured."))
        if kind == Indicator.Kind.FACT and not data.get("fact_key"):
            self.add_error("fact_key", _("Choose the figure."))
        return data


class ValueForm(DsForm):
    year = forms.IntegerField(label=_("Year"), validators=YEARS)
    value = forms.FloatField(label=_("Value"))
    note = forms.CharField(label=_("Source or note"), required=False, max_length=300)


class ActionForm(Bounded):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX, min_length=3)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=TEXT_MAX, widget=_area(4, TEXT_MAX)
    )
    goals = forms.MultipleChoiceField(
        label=_("Goals it serves"), required=False, widget=forms.CheckboxSelectMultiple
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes it addresses"), required=False, widget=forms.CheckboxSelectMultiple
    )
    place = forms.ChoiceField(label=_("Whose action"), required=False)
    owner_org = forms.CharField(
        label=_("Responsible organisation"), required=False, max_length=TITLE_MAX
    )
    owner_name = forms.CharField(label=_("Contact person"), required=False, max_length=TITLE_MAX)
    owner_email = forms.EmailField(
        label=_("Contact e-mail"),
        required=False,
        help_text=_(
            "This person may post updates on this action once they sign in with this address. Never shown publicly."
        ),
    )
    owner_public = forms.BooleanField(
        label=_("The contact person agreed to be named on the public page"), required=False
    )
    lead = forms.ChoiceField(
        label=_("Lead actor"), required=False, choices=[("", "—"), *Lead.choices]
    )
    partners = forms.CharField(label=_("Partners"), required=False, max_length=SHORT_MAX)
    starts_on = forms.DateField(label=_("Start"), required=False, widget=DATE)
    ends_on = forms.DateField(label=_("End"), required=False, widget=DATE)
    budget = forms.IntegerField(label=_("Budget"), required=False, min_value=0, max_value=10**13)
    outputs = forms.CharField(
        label=_("Outputs (what is made)"), required=False, max_length=SHORT_MAX, widget=_area(2)
    )
    results = forms.CharField(
        label=_("Results (what changes)"), required=False, max_length=SHORT_MAX, widget=_area(2)
    )
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    progress = forms.IntegerField(
        label=_("Progress (%)"), required=False, min_value=0, max_value=100
    )

    def __init__(self, *args: Any, plan: Plan, places: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].choices = [(str(g.pk), g.title) for g in plan.goals.all()]  # type: ignore[attr-defined]
        if not self.fields["goals"].choices:  # type: ignore[attr-defined]
            del self.fields["goals"]
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]
        if len(places) > 1:
            self.fields["place"].choices = _place_choices(places)  # type: ignore[attr-defined]
        else:
            del self.fields["place"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("The end comes before the start."))
        return data


class FundingForm(DsForm):
    source_id = forms.ChoiceField(label=_("Funder or programme"), required=False)
    name = forms.CharField(
        label=_("Or its name, if it is not in the list"), required=False, max_length=TITLE_MAX
    )
    status = forms.ChoiceField(label=_("Status"), choices=FundingLine.Status.choices)
    amount = forms.IntegerField(label=_("Amount"), required=False, min_value=0, max_value=10**13)

    def __init__(self, *args: Any, sources: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources = dict(sources)
        self.fields["source_id"].choices = [("", "—"), *sources]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source = data.get("source_id")
        if not source and len((data.get("name") or "").strip()) < 2:
            self.add_error("name", _("Choose a programme or write its name."))
        if source:
            data["name"] = self.sources.get(source, data.get("name", ""))
        return data


class LocalFundingForm(DsForm):
    name = forms.CharField(label=_("Name"), max_length=TITLE_MAX, min_length=3)
    publisher = forms.CharField(label=_("Who pays"), max_length=TITLE_MAX)
    funds = forms.CharField(label=_("What it pays for"), max_length=SHORT_MAX, widget=_area(3))
    applicants = forms.MultipleChoiceField(
        label=_("Who can apply"),
        choices=Lead.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes it fits"), required=False, widget=forms.CheckboxSelectMultiple
    )
    amount_max = forms.IntegerField(
        label=_("Largest amount"), required=False, min_value=0, max_value=10**13
    )
    staged = forms.BooleanField(
        label=_("Pays in stages (advances tied to milestones)"), required=False
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]


class MilestoneForm(Bounded):
    title = forms.CharField(label=_("Milestone"), max_length=TITLE_MAX, min_length=3)
    due_on = forms.DateField(label=_("Due"), widget=DATE)


class UpdateForm(DsForm):
    text = forms.CharField(
        label=_("What happened"), max_length=SHORT_MAX, min_length=3, widget=_area(4)
    )
    milestone = forms.ChoiceField(label=_("A milestone it completes"), required=False)
    progress = forms.IntegerField(
        label=_("Progress now (%)"), required=False, min_value=0, max_value=100
    )
    status = forms.ChoiceField(label=_("Status now"), required=False)
    image = forms.FileField(
        label=_("A photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 8 MB. Where and when it was taken is removed."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": "image/jpeg,image/png,image/webp,image/gif",
                "data-max-bytes": "8000000",
                "data-too-large": _("The picture is too large: at most 8 MB."),
            }
        ),
    )

    def __init__(self, *args: Any, action: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["milestone"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(m.pk), f"{m.title} ({m.due_on:%Y-%m-%d})")
            for m in action.milestones.filter(done_on=None)
        ]
        self.fields["status"].choices = [("", _("Unchanged"))] + [  # type: ignore[attr-defined]
            c for c in Action.Status.choices if c[0] != action.status
        ]

    def milestone_object(self, action: Action) -> Milestone | None:
        value = self.cleaned_data.get("milestone")
        return action.milestones.filter(pk=value).first() if value else None


class MemberForm(DsForm):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (PlanRole.EDITOR, _("Editor: changes the plan and every action")),
            (PlanRole.ACTION_OWNER, _("Action owner: updates the actions naming this address")),
            (PlanRole.VIEWER, _("Viewer: reads the plan, also before it is published")),
        ],
    )


def goal_objects(plan: Plan, ids: list[str]) -> list[Goal]:
    return list(plan.goals.filter(pk__in=[int(i) for i in ids if str(i).isdigit()]))


def place_object(places: list[Place], value: str | None) -> Place | None:
    return next((p for p in places if str(p.pk) == str(value)), None)
