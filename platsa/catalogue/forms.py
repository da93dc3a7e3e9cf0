from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from platsa.catalogue.models import (
    COST_CHOICES,
    EFFORT_CHOICES,
    HORIZON_CHOICES,
    LEAD_CHOICES,
    LocalAction,
    LocalExample,
)
from platsa.core.render.messages import label as vocab_label
from platsa.core.schema.catalogue import SOURCE_URL_SCHEMES
from platsa.core.schema.frameworks import Framework
from platsa.web.forms import PlainTextMixin

STRENGTH_CHOICES = [
    ("", _("No effect")),
    ("1", _("Some effect")),
    ("2", _("Clear effect")),
    ("3", _("Directly addresses it")),
]


class LocalActionForm(PlainTextMixin, forms.ModelForm):
    """A place's own action; one strength field per theme of the framework."""

    lead_actors = forms.MultipleChoiceField(
        label=_("Usually led by"), choices=LEAD_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = LocalAction
        fields = [
            "title_sv",
            "title_en",
            "summary_sv",
            "summary_en",
            "description_sv",
            "description_en",
            "effort",
            "cost_band",
            "horizon",
            "lead_actors",
        ]
        widgets = {
            "description_sv": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, framework: Framework, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        # The values' labels in the reader's language, from the vocabulary (the model's
        # choices are the bare values), and no blank choice: each is required.
        for name, kind, choices in (
            ("effort", "effort", EFFORT_CHOICES),
            ("cost_band", "cost_band", COST_CHOICES),
            ("horizon", "horizon", HORIZON_CHOICES),
            ("lead_actors", "lead", LEAD_CHOICES),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (value, vocab_label(f"{kind}:{value}", gettext)) for value, _label in choices
            ]
        if self.instance.pk:
            self.initial["lead_actors"] = list(self.instance.lead_actors)
        current = dict(self.instance.themes or {})
        for theme in framework.themes:
            self.fields[f"theme_{theme.id}"] = forms.ChoiceField(
                label=theme.title.get(language),
                choices=STRENGTH_CHOICES,
                required=False,
                initial=str(current.get(theme.id, "")),
            )

    def theme_fields(self) -> list[forms.BoundField]:
        return [self[f"theme_{t.id}"] for t in self.framework.themes]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        themes = {
            t.id: int(data[f"theme_{t.id}"])
            for t in self.framework.themes
            if data.get(f"theme_{t.id}")
        }
        if not themes:
            raise forms.ValidationError(_("Choose at least one theme the action has an effect on."))
        data["themes"] = themes
        return data


def _https_urls(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Links typed without a scheme are taken as https:// (Django 6's default, chosen now),
    and only the schemes the core accepts for a source pass (Django's URLField would also
    take ftp://, which the core refuses: the record would then break every page showing it).
    """
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
        formfield = field.formfield(**kwargs)
        assert formfield is not None  # a URLField always has a form field
        formfield.validators = [
            v for v in formfield.validators if not isinstance(v, URLValidator)
        ] + [
            URLValidator(
                schemes=list(SOURCE_URL_SCHEMES),
                message=_("Give a web address that starts with https:// or http://."),
                code="scheme",  # not "invalid": the field would swap in its generic message
            )
        ]
        return formfield
    return field.formfield(**kwargs)


class LocalExampleForm(PlainTextMixin, forms.ModelForm):
    class Meta:
        formfield_callback = _https_urls
        model = LocalExample
        fields = [
            "action_id",
            "example_place",
            "country",
            "year",
            "text_sv",
            "text_en",
            "source_title",
            "source_url",
        ]
        widgets = {
            "action_id": forms.Select,
            "text_sv": forms.Textarea(attrs={"rows": 3}),
            "text_en": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"action_id": _("Action")}

    def __init__(self, *args: Any, action_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action_id"].widget = forms.Select(choices=action_choices)
        self.valid_actions = {value for value, _label in action_choices}
        self.fields["country"].widget = forms.Select(
            choices=[
                ("SE", "Sverige"),
                ("NO", "Norge"),
                ("FI", "Suomi"),
                ("DK", "Danmark"),
                ("IS", "Ísland"),
            ]
        )

    def clean_action_id(self) -> str:
        value = self.cleaned_data["action_id"]
        if value not in self.valid_actions:
            raise forms.ValidationError(_("Choose an action from the list."))
        return value
