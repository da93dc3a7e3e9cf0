"""The form that starts a mapping: its name, its questionnaire, and the municipalities
with their contacts, one per line."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from platsa.core.io.reference import split_code
from platsa.core.schema.frameworks import Framework, default_framework
from platsa.mappings.services import Participant
from platsa.places.models import Area
from platsa.web.forms import PlainTextMixin

MAX_PARTICIPANTS = 400  # a country's municipalities fit; a pasted novel does not
_SPLIT = re.compile(r"[\s,;]+")


class MappingForm(PlainTextMixin, forms.Form):
    title = forms.CharField(
        label=_("Name of the mapping"),
        max_length=120,
        help_text=_("For example “Innovationsförmåga i Västernorrland 2027”."),
    )
    framework = forms.ChoiceField(label=_("Questionnaire"), widget=forms.RadioSelect)
    participants = forms.CharField(
        label=_("Municipalities and their contacts"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=40_000,
        help_text=_(
            "One municipality per line: its official code and the e-mail address of its "
            "contact, e.g. “2281 anna.berg@sundsvall.se”. Norwegian and Finnish codes with "
            "their country: “NO-5001”, “FI-091”."
        ),
    )

    def __init__(
        self,
        *args: Any,
        frameworks: dict[str, Framework],
        language: str,
        forbidden_contacts: frozenset[str] = frozenset(),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The coordinating place's members: not a municipality's contact (see below).
        self.forbidden_contacts = forbidden_contacts
        field = self.fields["framework"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(f.id, f.title.get(language)) for f in frameworks.values()]
        if frameworks:
            preferred = frameworks.get("innovation-capacity") or default_framework(frameworks)
            field.initial = preferred.id

    def clean_participants(self) -> list[Participant]:
        lines = [line for line in self.cleaned_data["participants"].splitlines() if line.strip()]
        if len(lines) > MAX_PARTICIPANTS:
            raise ValidationError(
                _("At most %(n)s municipalities in one mapping."), params={"n": MAX_PARTICIPANTS}
            )
        wanted = []
        errors = []
        for number, line in enumerate(lines, start=1):
            parts = [p for p in _SPLIT.split(line.strip()) if p]
            if not parts:  # separators only, as a pasted sheet with empty cells has
                continue
            if len(parts) > 2:
                errors.append(
                    _("Line %(line)s: give one code and one e-mail address, not “%(text)s”.")
                    % {"line": number, "text": line.strip()[:80]}
                )
                continue
            typed = parts[0]
            country, code = split_code(typed)
            email = parts[1] if len(parts) > 1 else ""
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    errors.append(
                        _("Line %(line)s: “%(email)s” is not an e-mail address.")
                        % {"line": number, "email": email[:80]}
                    )
            wanted.append((number, country, code, email.lower(), typed))
        found = {
            (a.country, a.code): a
            for a in Area.objects.filter(
                kind=Area.Kind.MUNICIPALITY, code__in=[w[2] for w in wanted]
            )
        }
        participants: dict[int, Participant] = {}
        for number, country, code, email, typed in wanted:
            area = found.get((country, code))
            if area is None:
                errors.append(
                    _("Line %(line)s: no municipality has the code “%(code)s”.")
                    % {"line": number, "code": typed[:40]}
                )
            elif email and email in self.forbidden_contacts:
                errors.append(
                    _(
                        "Line %(line)s: %(email)s is a member of the coordinating place; a "
                        "municipality's contact must be someone of its own, or its answers "
                        "would not stay inside it."
                    )
                    % {"line": number, "email": email[:80]}
                )
            elif area.pk in participants:
                errors.append(
                    _("Line %(line)s: %(name)s is already in the list.")
                    % {"line": number, "name": area.name}
                )
            else:
                participants[area.pk] = Participant(municipality=area, email=email)
        if errors:
            raise ValidationError(errors)
        if not participants:
            raise ValidationError(_("Give at least one municipality."))
        return list(participants.values())


class ProgrammeForm(PlainTextMixin, forms.Form):
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the network wants to achieve together, and for whom."),
    )
    # The programme as the editor saw it (its last save's time), and this form's own id:
    # a save over someone else's newer one is refused, the same form sent twice saves once.
    version = forms.CharField(widget=forms.HiddenInput, max_length=40)
    token = forms.UUIDField(widget=forms.HiddenInput)


class ProgrammeItemForm(PlainTextMixin, forms.Form):
    """One item: what the results said stays as drafted (shown, not edited); the title and
    what the network does, who leads and when are the coordinator's."""

    item = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    title = forms.CharField(label=_("Title"), max_length=200)
    note = forms.CharField(
        label=_("What the network does"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lead = forms.CharField(label=_("Who leads"), required=False, max_length=200)
    timing = forms.CharField(
        label=_("When"),
        required=False,
        max_length=100,
        help_text=_("For example “spring 2027”."),
    )


MAX_PROGRAMME_ITEMS = 60
MAX_POSITION = 1000


class _ItemFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        # Bounded, so that a pasted huge number is a clear error, not a crash (Django's
        # own field takes any integer); its place in the list as before.
        given = form.fields["ORDER"]
        form.fields["ORDER"] = forms.IntegerField(
            label=_("Position"),
            initial=given.initial,
            widget=given.widget,
            required=False,
            min_value=-MAX_POSITION,
            max_value=MAX_POSITION,
        )

    def clean(self) -> None:
        super().clean()
        kept = [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        if len(kept) > MAX_PROGRAMME_ITEMS:
            raise ValidationError(
                _("A programme holds at most %(n)s items: remove some before you add more.")
                % {"n": MAX_PROGRAMME_ITEMS}
            )


# The forms a page may send: the items allowed, those being removed and a new one; past
# this Django refuses the page outright (a forged form count).
MAX_PROGRAMME_FORMS = 3 * MAX_PROGRAMME_ITEMS
ProgrammeItemFormSet = forms.formset_factory(
    ProgrammeItemForm,
    formset=_ItemFormSet,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=MAX_PROGRAMME_FORMS,
    absolute_max=MAX_PROGRAMME_FORMS,
    validate_max=True,
)
