"""The organisers' and participants' forms of a conversation."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from platsa.conversations.models import STATEMENT_MAX
from platsa.conversations.services import SEEDS_MAX, clean_text


class StatementField(forms.CharField):
    """A statement as it is stored: one line, invisible characters out, then measured (a
    browser counts a line break as one character and sends two)."""

    def to_python(self, value: object) -> str:
        return clean_text(str(super().to_python(value)))


class ConversationForm(forms.Form):
    question = forms.CharField(
        label=_("Question"),
        max_length=200,
        help_text=_(
            "What the conversation is about, e.g. “How do we make Ragunda a place to stay?”"
        ),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to participants above the statements."),
    )
    participants_add = forms.BooleanField(
        label=_("Participants may add statements"), required=False, initial=True
    )
    strict = forms.BooleanField(
        label=_("Strict moderation: participants' statements are shown only once approved"),
        required=False,
        initial=True,
    )


def _at_most(message: str) -> str:
    # Filled in when shown, in the reader's language: "%" on a lazy text at import would
    # have fixed it in the server's.
    return gettext(message) % {"n": STATEMENT_MAX}


at_most = lazy(_at_most, str)


class SettingsForm(ConversationForm):
    results_public = forms.BooleanField(label=_("Participants see the results"), required=False)


class SeedForm(forms.Form):
    statements = forms.CharField(
        label=_("Statements, one per line"),
        max_length=SEEDS_MAX * (STATEMENT_MAX + 2),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=at_most(
            gettext_noop(
                "Short statements a person can agree or disagree with, at most %(n)s characters each."
            )
        ),
    )

    def clean_statements(self) -> list[str]:
        typed = [clean_text(line) for line in self.cleaned_data["statements"].splitlines()]
        lines = [line for line in typed if line]
        # Numbered as the organiser sees them in the box, empty lines included.
        too_long = [i + 1 for i, line in enumerate(typed) if len(line) > STATEMENT_MAX]
        if too_long:
            raise forms.ValidationError(
                _("Line %(lines)s is longer than %(n)s characters."),
                params={"lines": ", ".join(map(str, too_long[:5])), "n": STATEMENT_MAX},
            )
        if len(lines) > SEEDS_MAX:
            raise forms.ValidationError(
                _("At most %(n)s statements at a time."), params={"n": SEEDS_MAX}
            )
        if not lines:
            raise forms.ValidationError(_("Write at least one statement."))
        return lines


class StatementForm(forms.Form):
    text = StatementField(
        label=_("Your statement"),
        min_length=3,
        max_length=STATEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": STATEMENT_MAX}),
        help_text=at_most(
            gettext_noop(
                "One thought others can agree or disagree with, at most %(n)s characters. "
                "Not a question, and no names of private persons."
            )
        ),
    )
    # Sent once the participant has seen the similar statements and still wants to post,
    # with the one it seemed to repeat (for the moderators).
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    similar_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(choices=[("show", _("Show")), ("reject", _("Do not show"))])
    reason = forms.CharField(label=_("Reason (the author sees it)"), max_length=300, required=False)
