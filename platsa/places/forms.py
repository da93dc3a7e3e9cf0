from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.places.models import Area, Place, Role
from platsa.places.services import PLACE_FIELDS
from platsa.web.forms import CoordinateField, PlainTextMixin


class PlaceForm(PlainTextMixin, forms.ModelForm):
    """Create or edit a place. The municipality is picked from the real list by searching."""

    municipality = forms.ModelChoiceField(
        queryset=Area.objects.filter(kind=Area.Kind.MUNICIPALITY),
        label=_("Municipality"),
        error_messages={"required": _("Choose the municipality the place is in.")},
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Place
        fields = list(PLACE_FIELDS)  # what place_create and place_update write
        widgets = {
            "kind": forms.RadioSelect,
            "has_industry_employer": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"lat": CoordinateField, "lon": CoordinateField}
        help_texts = {
            "name": _(
                "For example Domnarvet, or the municipality's name for the whole municipality."
            ),
            "lat": _("Optional. Click the map, or type it, e.g. 60.48."),
        }
        error_messages = {"name": {"required": _("Write the place's name.")}}

    def clean_lat(self) -> float | None:
        lat = self.cleaned_data.get("lat")
        if lat is not None and not 54 <= lat <= 72:
            raise forms.ValidationError(_("The latitude must be in the Nordic countries (54–72)."))
        return lat

    def clean_lon(self) -> float | None:
        lon = self.cleaned_data.get("lon")
        if lon is not None and not 4 <= lon <= 32:
            raise forms.ValidationError(_("The longitude must be in the Nordic countries (4–32)."))
        return lon

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise forms.ValidationError(_("Give both latitude and longitude, or neither."))
        if data.get("kind") == Place.Kind.MUNICIPALITY:
            data["population_estimate"] = None
        return data


class MemberForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_(
            "Someone without an account gets an e-mail with a link to create one and join."
        ),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=Role.choices, initial=Role.ORGANISER, widget=forms.RadioSelect
    )
