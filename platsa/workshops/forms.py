"""The facilitator's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.conversations.forms import StatementField
from platsa.conversations.services import clean_text
from platsa.workshops.models import OPTIONS_MAX, Question


class WorkshopForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the session"),
        max_length=120,
        help_text=_("E.g. “Nätverksträff Smarta landsbygder, 12 mars”."),
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=Question.Kind.choices)
    prompt = StatementField(label=_("Question"), max_length=200)  # invisible characters out
    options = forms.CharField(
        label=_("Options, one per line (multiple choice)"),
        required=False,
        max_length=OPTIONS_MAX * 90,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    low_label = forms.CharField(label=_("1 means (scale)"), max_length=60, required=False)
    high_label = forms.CharField(label=_("7 means (scale)"), max_length=60, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        seen = (clean_text(line)[:80] for line in str(data.get("options") or "").splitlines())
        lines = list(dict.fromkeys(line for line in seen if line))  # each option once
        data["options"] = lines
        if data.get("kind") == Question.Kind.CHOICE and not 2 <= len(lines) <= OPTIONS_MAX:
            self.add_error(
                "options",
                _("Write between 2 and %(n)s options, one per line.") % {"n": OPTIONS_MAX},
            )
        return data
