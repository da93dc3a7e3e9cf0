"""Forms of open innovation. They bound and shape input; the services validate what the
data means (a theme of another process, a reversed date) and say why in ``InnovationError``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from platsa.innovation.models import (
    BODY_MAX,
    COMMENT_MAX,
    IMAGE_MAX_BYTES,
    POST_MAX,
    REASON_MAX,
    TITLE_MAX,
    Challenge,
    Idea,
    Pledge,
    Profile,
    Stop,
    Theme,
)
from platsa.processes.models import Process
from platsa.web.forms import CoordinateField


class DsForm(forms.Form):
    """Widgets with the design system's classes, and errors tied to their fields for screen
    readers (``aria-invalid``, ``aria-describedby`` naming the hint and the error)."""

    template_name_div = "innovation/_form_fields.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._style()

    def _style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput | forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "ds-input")
                continue
            widget.attrs.setdefault("class", "ds-input")
            if field.help_text:
                widget.attrs["aria-describedby"] = f"id_{name}_helptext"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                ids = [f"id_{name}_error"]
                if self.fields[name].help_text:
                    ids.insert(0, f"id_{name}_helptext")
                widget.attrs["aria-describedby"] = " ".join(ids)


class ImageField(forms.FileField):
    """An upload bounded before it is read: the size the browser sent is checked first
    (and, with JavaScript, before it is sent: ``file-limit.js``)."""

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {
            **super().widget_attrs(widget),
            "data-max-bytes": str(IMAGE_MAX_BYTES),
            "data-too-large": str(
                _(
                    "The picture is too large: at most 8 MB. Choose a smaller one; your text is kept."
                )
            ),
        }

    def clean(self, data: Any, initial: Any = None) -> bytes | None:
        upload = super().clean(data, initial)
        if not upload:
            return None
        if upload.size > IMAGE_MAX_BYTES:
            raise forms.ValidationError(
                _("The picture is too large: at most 8 MB."), code="image_too_large"
            )
        return bytes(upload.read(IMAGE_MAX_BYTES + 1))


class CreateForm(DsForm):
    title = forms.CharField(
        label=_("Name of the process"),
        max_length=TITLE_MAX,
        help_text=_("For example “Ragunda 2027” or “The journey Ragunda–Trondheim”."),
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the process is for, and what happens to the ideas. Markdown works."),
    )


class SettingsForm(DsForm):
    intro = CreateForm.base_fields["intro"]
    hold_first_posts = forms.BooleanField(
        label=_("Hold a new participant's first idea or comment until a moderator has read it"),
        required=False,
    )
    moderation_policy = forms.CharField(
        label=_("Moderation policy"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown publicly. Left empty, Platsa's standard policy is shown."),
    )


class ThemesForm(DsForm):
    names = forms.CharField(
        label=_("Themes, one per line"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class StopForm(DsForm):
    municipality = forms.CharField(
        label=_("Municipality"),
        max_length=120,
        help_text=_("A Swedish, Norwegian or Finnish municipality, e.g. “Steinkjer”."),
        widget=forms.TextInput(attrs={"list": "municipalities", "autocomplete": "off"}),
    )
    title = forms.CharField(label=_("Name of the stop"), max_length=TITLE_MAX)
    starts_on = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ModeratorForm(DsForm):
    email = forms.EmailField(
        label=_("E-mail address of the moderator's account"),
        max_length=254,
        help_text=_("The person signs in once (by code) before you add them."),
    )


def _theme_field(process: Process) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.filter(process=process),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class ChallengeForm(DsForm):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    owner_name = forms.CharField(
        label=_("Who owns the challenge"),
        max_length=120,
        help_text=_("The municipality, a company or an association, by name."),
    )
    owner_kind = forms.ChoiceField(label=_("Kind of owner"), choices=Challenge.OwnerKind.choices)
    story = forms.CharField(
        label=_("The story"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    problem = forms.CharField(
        label=_("The problem"), max_length=BODY_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    help_wanted = forms.MultipleChoiceField(
        label=_("What help is wanted"),
        choices=Challenge.HELP,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"] = _theme_field(process)
        stops = Stop.objects.filter(process=process)
        if stops.exists():
            self.fields["stop"] = forms.ModelChoiceField(
                label=_("Journey stop"),
                queryset=stops,
                required=False,
                empty_label=_("None in particular"),
            )
        self._style()


class IdeaForm(DsForm):
    title = forms.CharField(
        label=_("Your idea in one line"),
        max_length=TITLE_MAX,
        min_length=3,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("Describe it"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What would you do, for whom, and what is needed? You can use Markdown."),
    )
    image = ImageField(
        label=_("A picture"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
        help_text=_("JPEG, PNG, WebP or GIF, at most 8 MB. Its location data is removed."),
    )
    goal_amount = forms.IntegerField(
        label=_("What it would cost, in kronor"),
        required=False,
        min_value=1,
        max_value=100_000_000,
        help_text=_("Pledges of money are counted against it."),
    )
    lat = CoordinateField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = CoordinateField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    not_a_duplicate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"] = _theme_field(process)
        challenges = Challenge.objects.filter(process=process)
        if challenges.exists():
            self.fields["challenge"] = forms.ModelChoiceField(
                label=_("Which challenge does it answer?"),
                queryset=challenges,
                required=False,
                empty_label=_("None in particular"),
            )
        stops = Stop.objects.filter(process=process)
        if stops.exists():
            self.fields["stop"] = forms.ModelChoiceField(
                label=_("Journey stop"),
                queryset=stops,
                required=False,
                empty_label=_("None in particular"),
            )
        self._style()

    def main_fields(self) -> list[forms.BoundField]:
        return [f for f in self.visible_fields() if f.name not in ("lat", "lon")]

    def map_fields(self) -> list[forms.BoundField]:
        return [self["lat"], self["lon"]]


class IdeaEditForm(DsForm):
    title = IdeaForm.base_fields["title"]
    body = IdeaForm.base_fields["body"]

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"] = _theme_field(process)
        self._style()


class CommentForm(DsForm):
    body = forms.CharField(
        label=_("Your comment"), max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PledgeForm(DsForm):
    kind = forms.ChoiceField(label=_("What you offer"), choices=Pledge.Kind.choices)
    amount = forms.IntegerField(
        label=_("Amount in kronor (money)"), required=False, min_value=1, max_value=100_000_000
    )
    hours = forms.IntegerField(
        label=_("Hours (time)"), required=False, min_value=1, max_value=10_000
    )
    description = forms.CharField(
        label=_("What exactly (skills, premises…)"), required=False, max_length=300
    )


class ReportForm(DsForm):
    reason = forms.CharField(label=_("What is wrong?"), max_length=REASON_MAX)
    comment = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ModerateForm(DsForm):
    action = forms.ChoiceField(
        choices=[("hide", "hide"), ("show", "show"), ("release", "release"), ("dismiss", "dismiss")]
    )
    idea = forms.IntegerField(required=False)
    comment = forms.IntegerField(required=False)
    report = forms.IntegerField(required=False)
    reason = forms.CharField(
        label=_("Reason (the author sees it)"), required=False, max_length=REASON_MAX
    )


class StatusForm(DsForm):
    status = forms.ChoiceField(label=_("Status"), choices=Idea.Status.choices)
    answer = forms.CharField(
        label=_("The organisers' answer (shown on the idea)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(
        label=_("Why it was selected (for the report)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(DsForm):
    source = forms.IntegerField()
    target = forms.IntegerField()


class ProfileForm(DsForm):
    group = forms.ChoiceField(
        label=_("How are you linked to the place?"),
        choices=[("", _("I'd rather not say")), *Profile.Group.choices],
        required=False,
    )
    age_band = forms.ChoiceField(
        label=_("Your age"),
        choices=[("", _("I'd rather not say")), *Profile.AgeBand.choices],
        required=False,
    )
    country = forms.ChoiceField(
        label=_("Where do you live?"),
        choices=[("", _("I'd rather not say")), *Profile.Country.choices],
        required=False,
    )


class FeedPostForm(DsForm):
    body = forms.CharField(
        label=_("The update"), max_length=POST_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    video_url = forms.URLField(
        label=_("Link to a video"),
        required=False,
        max_length=300,
        assume_scheme="https",
    )
    image = ImageField(
        label=_("A photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )

    def __init__(self, *args: Any, process: Process, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stops = Stop.objects.filter(process=process)
        if stops.exists():
            self.fields["stop"] = forms.ModelChoiceField(
                label=_("Journey stop"),
                queryset=stops,
                required=False,
                empty_label=_("None in particular"),
            )
        self._style()
