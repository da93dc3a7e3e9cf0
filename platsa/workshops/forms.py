"""The facilitator's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.conversations.forms import StatementField
from platsa.conversations.services import clean_text
from platsa.workshops.models import GROUPS_MAX, OPTIONS_MAX, Question, Workshop

WITH_OPTIONS = ("choice", "ranking", "points", "matrix")


def _framework_choices() -> list[tuple[str, str]]:
    from django.utils.translation import get_language

    from platsa.catalogue.selectors import frameworks

    language = (get_language() or "sv")[:2]
    return [(fw.id, fw.title.get(language)) for fw in frameworks().values()]


def option_lines(text: object) -> list[str]:
    """The options typed one per line: plain text, empty lines out, each option once."""
    seen = (clean_text(line)[:80] for line in str(text or "").splitlines())
    return list(dict.fromkeys(line for line in seen if line))


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
        label=_("Options, one per line (multiple choice, ranking, points, 2×2)"),
        required=False,
        max_length=OPTIONS_MAX * 90,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    # A framework's scale may run 1-5: the ends are named, not numbered.
    low_label = forms.CharField(
        label=_("The lowest point means (scales)"), max_length=60, required=False
    )
    high_label = forms.CharField(
        label=_("The highest point means (scales)"), max_length=60, required=False
    )
    framework = forms.ChoiceField(
        label=_("Framework (scale per theme)"), choices=(), required=False
    )
    x_label = forms.CharField(
        label=_("Across (2×2), e.g. “Benefit”"), max_length=60, required=False
    )
    y_label = forms.CharField(label=_("Up (2×2), e.g. “Easy to do”"), max_length=60, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["framework"].choices = _framework_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        lines = option_lines(data.get("options"))
        data["options"] = lines
        if data.get("kind") in WITH_OPTIONS and not 2 <= len(lines) <= OPTIONS_MAX:
            self.add_error(
                "options",
                _("Write between 2 and %(n)s options, one per line.") % {"n": OPTIONS_MAX},
            )
        return data


class QuestionEditForm(forms.Form):
    """A question's words, fixed after it was made (its kind stays what it is)."""

    prompt = QuestionForm.base_fields["prompt"]
    options = forms.CharField(
        label=_("Options, one per line"),
        required=False,
        max_length=OPTIONS_MAX * 90,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    low_label = QuestionForm.base_fields["low_label"]
    high_label = QuestionForm.base_fields["high_label"]
    x_label = QuestionForm.base_fields["x_label"]
    y_label = QuestionForm.base_fields["y_label"]

    def clean_options(self) -> list[str]:
        return option_lines(self.cleaned_data.get("options"))


class SettingsForm(forms.Form):
    pace = forms.ChoiceField(
        label=_("Pace"), choices=Workshop.Pace.choices, widget=forms.RadioSelect
    )
    groups = forms.CharField(
        label=_("Themed groups, one per line (none: the room is one group)"),
        help_text=_(
            "E.g. “Kunskap och kompetens”, “Nätverk och samverkan”, “Teknik”. Each phone "
            "chooses its group; the groups' answers and boards are kept apart, and the "
            "screen can show them side by side. A group is its line: changing a line renames "
            "that group."
        ),
        required=False,
        max_length=GROUPS_MAX * 70,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_groups(self) -> list[str]:
        seen = (clean_text(line)[:60] for line in self.cleaned_data["groups"].splitlines())
        names = list(dict.fromkeys(name for name in seen if name))
        if len(names) == 1 or len(names) > GROUPS_MAX:
            raise forms.ValidationError(
                _("Write between 2 and %(n)s groups, or none."), params={"n": GROUPS_MAX}
            )
        return names
