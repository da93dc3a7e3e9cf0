"""Forms for rounds, imports, codes and the survey itself (built from the framework)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.assessments.models import Round, RoundGroup
from platsa.core.io.importer import MAX_COMMENT_LENGTH, clean_text
from platsa.core.schema.frameworks import Framework, default_framework
from platsa.web.forms import PlainTextMixin

DONT_KNOW_VALUE = "dk"


class DateTimeField(forms.DateTimeField):
    """A date and time in the years a round can have: a typed year 0001 raised an
    OverflowError (a 500) when turned into the server's time zone."""

    default_error_messages = {"invalid": _("Give a date between the years 2000 and 2100.")}

    def to_python(self, value: Any) -> Any:
        try:
            result = super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if result is not None and not 2000 <= result.year <= 2100:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return result


class OpenPeriodMixin(PlainTextMixin):
    """A round closes after it opens."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing time must be after the opening time."))  # type: ignore[attr-defined]
        return data


class RoundForm(OpenPeriodMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the round"),
        max_length=120,
        help_text=_("For example “Hösten 2026”."),
        error_messages={"required": _("Give the round a name.")},
    )
    framework = forms.ChoiceField(label=_("Questionnaire"), widget=forms.RadioSelect)
    opens_at = DateTimeField(
        label=_("Opens"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to open when you press “Open the survey”."),
    )
    closes_at = DateTimeField(
        label=_("Closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    requires_code = forms.BooleanField(
        label=_("One response per person: respondents need a one-time code (e.g. from a letter)"),
        required=False,
    )

    def __init__(
        self, *args: Any, frameworks: dict[str, Framework], language: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [  # type: ignore[attr-defined]  # a ChoiceField
            (f.id, f.title.get(language)) for f in frameworks.values()
        ]
        if frameworks:
            self.fields["framework"].initial = default_framework(frameworks).id


class RoundSettingsForm(OpenPeriodMixin, forms.Form):
    """A round's name, open period and publication (they live on its process)."""

    name = forms.CharField(label=_("name"), max_length=120)
    opens_at = DateTimeField(
        label=_("opens"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    closes_at = DateTimeField(
        label=_("closes"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    results_public = forms.BooleanField(label=_("publish aggregated results"), required=False)

    def __init__(self, *args: Any, instance: Round, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": instance.name,
                "opens_at": instance.opens_at,
                "closes_at": instance.closes_at,
                "results_public": instance.results_public,
            },
        )
        super().__init__(*args, **kwargs)
        self.instance = instance


class GroupForm(PlainTextMixin, forms.Form):
    key = forms.SlugField(widget=forms.HiddenInput, required=False)
    label_sv = forms.CharField(label=_("Name in Swedish"), max_length=120, required=False)
    label_en = forms.CharField(label=_("Name in English"), max_length=120, required=False)
    side = forms.ChoiceField(
        label=_("Speaks for"),
        choices=[
            ("place", _("the place (residents)")),
            ("industry", _("industry and employers")),
            ("public", _("the municipality")),
            ("civil", _("associations")),
            ("other", _("other")),
        ],
        initial="other",
    )
    include = forms.BooleanField(label=_("Include this group"), required=False, initial=True)


GroupFormSet = forms.formset_factory(GroupForm, extra=2, max_num=20)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet with the paper answers (.xlsx or .csv)"),
        error_messages={"required": _("Choose a file to upload.")},
    )


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Number of new codes"), min_value=1, max_value=5000, initial=100
    )


class CodeEntryForm(forms.Form):
    code = forms.CharField(
        label=_("Your code"),
        max_length=20,
        help_text=_("The code on your letter, for example K7WP-3MXH."),
        error_messages={"required": _("Write the code from your letter.")},
    )


class SurveyForm(forms.Form):
    """The survey, generated from the round's framework and groups.

    Field names: ``group``, ``q_<question>`` (1..max or ``dk``), ``c_<kind>_<theme>``,
    ``age_band``, ``priorities`` and the hidden ``submission_id`` that makes a resend harmless.
    """

    submission_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        framework: Framework,
        groups: list[RoundGroup],
        language: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.language = language
        signature = tuple((g.key, g.label(language)) for g in groups)
        # Shared, not copied: these field objects are built once and never changed per form
        # (nothing here sets attributes on a field or widget after construction), and copying
        # 48 choice fields was a third of a survey submission's time.
        self.fields.update(_survey_fields(framework, signature, language))
        if not self.is_bound and "submission_id" not in self.initial:
            self.initial["submission_id"] = uuid.uuid4()

    def clean_priorities(self) -> list[str]:
        chosen = list(dict.fromkeys(self.cleaned_data.get("priorities") or []))  # each once
        limit = self.framework.max_priorities
        if len(chosen) > limit:
            raise forms.ValidationError(
                _("Choose at most %(n)d areas (you chose %(chosen)d).")
                % {"n": limit, "chosen": len(chosen)}
            )
        return chosen

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, value in list(data.items()):
            if name.startswith("c_") and value:
                data[name] = clean_text(value)
        said = any(
            data.get(name) for name in self.fields if name.startswith(("q_", "c_", "priorities"))
        )
        if not said and not self.errors:
            # Nothing at all (not even "don't know"): no answer to store, and no respondent
            # to count. "Don't know" everywhere is an answer and is kept.
            raise forms.ValidationError(
                _("Answer at least one question, or choose “Don't know”, before you send.")
            )
        return data

    def answer_values(self) -> list[int | str | None]:
        out: list[int | str | None] = []
        for qid in self.framework.question_ids:
            value = self.cleaned_data.get(f"q_{qid}")
            if value == DONT_KNOW_VALUE:
                out.append("?")
            elif value:
                out.append(int(value))
            else:
                out.append(None)
        return out

    def comments(self) -> dict[tuple[str, str], str]:
        out = {}
        for theme in self.framework.themes:
            for spec in self.framework.comments:
                text = self.cleaned_data.get(f"c_{spec.id}_{theme.id}")
                if text:
                    out[(theme.id, spec.id)] = text
        return out

    def themes_with_fields(self) -> list[dict[str, Any]]:
        """For the template: each theme with its question fields and comment fields."""
        out = []
        for index, theme in enumerate(self.framework.themes, start=1):
            out.append(
                {
                    "theme": theme,
                    "number": index,
                    "questions": [self[f"q_{q.id}"] for q in theme.questions],
                    "comments": [self[f"c_{c.id}_{theme.id}"] for c in self.framework.comments],
                    "has_comment": any(
                        (self[f"c_{c.id}_{theme.id}"].value() or "")
                        for c in self.framework.comments
                    ),
                }
            )
        return out

    @classmethod
    def initial_from_response(cls, framework: Framework, response: Any) -> dict[str, Any]:
        """Prefill the form from a stored response (a device editing its answer)."""
        from platsa.core.io.encoding import decode_one

        initial: dict[str, Any] = {"group": response.group.key if response.group else None}
        for qid, value in zip(
            framework.question_ids, decode_one(response.answers, framework.scale.min), strict=True
        ):
            if value == "?":
                initial[f"q_{qid}"] = DONT_KNOW_VALUE
            elif value is not None:
                initial[f"q_{qid}"] = str(value)
        initial["age_band"] = response.age_band
        initial["priorities"] = [p for p in response.priorities.split(",") if p]
        for comment in response.comments.all():
            initial[f"c_{comment.kind}_{comment.theme_id}"] = comment.text
        initial["submission_id"] = uuid.uuid4()
        return initial

    @classmethod
    def initial_from_data(
        cls, framework: Framework, data: Any, groups: list[RoundGroup]
    ) -> dict[str, Any]:
        """What a half-filled form holds, as the next page's initial values: switching the
        language mid-survey re-renders the form in the new language with every answer kept
        and no errors shown. Unknown values are dropped, never echoed."""
        known_groups = {g.key for g in groups}
        initial: dict[str, Any] = {}
        if data.get("group") in known_groups:
            initial["group"] = data["group"]
        allowed = {str(v) for v in framework.scale.values} | {DONT_KNOW_VALUE}
        for qid in framework.question_ids:
            if data.get(f"q_{qid}") in allowed:
                initial[f"q_{qid}"] = data[f"q_{qid}"]
        if data.get("age_band") in {a.id for a in framework.age_bands}:
            initial["age_band"] = data["age_band"]
        themes = set(framework.theme_ids)
        initial["priorities"] = [p for p in data.getlist("priorities") if p in themes][
            : framework.max_priorities
        ]
        for theme in framework.themes:
            for spec in framework.comments:
                name = f"c_{spec.id}_{theme.id}"
                if data.get(name):
                    initial[name] = clean_text(data[name])[:MAX_COMMENT_LENGTH]
        try:
            initial["submission_id"] = uuid.UUID(data.get("submission_id", ""))
        except ValueError:
            initial["submission_id"] = uuid.uuid4()
        return initial


# Keyed by the framework object's id; the entry holds the framework itself, so that id cannot
# be reused by another object while the entry exists.
_FIELD_CACHE: dict[tuple[int, tuple, str], tuple[Framework, dict[str, forms.Field]]] = {}


def _survey_fields(
    framework: Framework, groups: tuple[tuple[str, str], ...], language: str
) -> dict[str, forms.Field]:
    """The survey's fields, built once per framework, group list and language and copied per
    request: building 48 choice fields anew costs more than the rest of a submission."""
    key = (id(framework), groups, language)
    cached = _FIELD_CACHE.get(key)
    if cached is not None:
        return cached[1]
    fields: dict[str, forms.Field] = {
        "group": forms.ChoiceField(
            label=_("Which group do you belong to?"),
            choices=list(groups),
            widget=forms.RadioSelect,
            error_messages={"required": _("Choose the group you belong to.")},
        )
    }
    scale: list[tuple[str, object]] = [(str(v), str(v)) for v in framework.scale.values]
    if framework.scale.dont_know:
        scale.append((DONT_KNOW_VALUE, _("Don't know")))
    for theme in framework.themes:
        for question in theme.questions:
            fields[f"q_{question.id}"] = forms.ChoiceField(
                label=question.text.get(language),
                choices=scale,
                required=False,
                widget=forms.RadioSelect,
            )
        for spec in framework.comments:
            fields[f"c_{spec.id}_{theme.id}"] = forms.CharField(
                label=spec.prompt.get(language),
                required=False,
                max_length=MAX_COMMENT_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
    if framework.age_bands:
        fields["age_band"] = forms.ChoiceField(
            label=_("Your age"),
            required=False,
            choices=[("", _("I'd rather not say"))]
            + [(a.id, a.label.get(language)) for a in framework.age_bands],
        )
    if framework.max_priorities:
        fields["priorities"] = forms.MultipleChoiceField(
            label=_("Which areas matter most to you?"),
            required=False,
            choices=[(t.id, t.title.get(language)) for t in framework.themes],
            widget=forms.CheckboxSelectMultiple,
        )
    if len(_FIELD_CACHE) > 256:
        _FIELD_CACHE.clear()
    _FIELD_CACHE[key] = (framework, fields)
    return fields
