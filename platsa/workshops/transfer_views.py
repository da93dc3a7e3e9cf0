"""A session moved between installations: the organiser takes it out of one as a ZIP
(platsa.workshops.transfer) and brings it into a place of another, where it arrives closed.

``urlpatterns_session`` go under a session's ``<slug:process_slug>/``, ``urlpatterns_place``
under the place's ``workshoppar/`` (before ``<slug:process_slug>/``, which would take
"importera" for a session's slug)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platsa.accounts.requests import AuthenticatedRequest
from platsa.places.access import get_place_for_user
from platsa.places.models import Role
from platsa.processes.access import get_process_for_user
from platsa.web.downloads import download
from platsa.workshops.kind import WORKSHOP
from platsa.workshops.models import Answer, Entry, Workshop
from platsa.workshops.transfer import (
    MAX_UPLOAD,
    TransferError,
    export_session,
    import_session,
)

ERRORS: dict[str, Promise] = {
    "too_big": gettext_lazy("The file is too large to import (at most 16 MB, 16 MB unpacked)."),
    "too_many_values": gettext_lazy(
        "The file holds far more values than a session's export does: it is not one."
    ),
    "not_zip": gettext_lazy("The file is not a ZIP archive. Choose the ZIP the export made."),
    "too_many_files": gettext_lazy("The ZIP holds more than %(n)s files: it is not an export."),
    "missing_file": gettext_lazy("The ZIP has no session.json: it is not a session's export."),
    "encoding": gettext_lazy("session.json is not UTF-8 text."),
    "characters": gettext_lazy("A text has a broken character at %(where)s."),
    "json": gettext_lazy("session.json is not valid JSON."),
    "too_deep": gettext_lazy("session.json is nested deeper than a session's export is."),
    "format": gettext_lazy("The file is not a Platsa workshop session's export."),
    "version": gettext_lazy(
        "The file is of a version this installation cannot read (%(version)s). Update Platsa."
    ),
    "too_many": gettext_lazy("The file has too many %(what)s (at most %(n)s)."),
    "type": gettext_lazy("The file is broken: a value of the wrong type at %(where)s."),
    "range": gettext_lazy("The file is broken: a number out of range at %(where)s."),
    "reference": gettext_lazy(
        "The file is broken: %(where)s refers to a question, participant or idea it lacks."
    ),
    "too_long": gettext_lazy("A text is longer than %(n)s characters at %(where)s."),
    "empty": gettext_lazy("A text that is needed is empty at %(where)s."),
    "date": gettext_lazy("The file is broken: not a date and time at %(where)s."),
    "options": gettext_lazy(
        "The file is broken: the options at %(where)s (2 to 10 for multiple choice, "
        "ranking, points and 2×2; none for the other kinds)."
    ),
    "duplicate": gettext_lazy("The file is broken: the same thing twice at %(where)s."),
    "kind": gettext_lazy("The file is broken: an unknown kind of question at %(where)s."),
    "framework": gettext_lazy("The file is broken: no framework for the themes at %(where)s."),
    "groups": gettext_lazy("The file is broken: a session has no groups or 2 to 12 of them."),
    "group": gettext_lazy("The file is broken: a group the session lacks at %(where)s."),
    "data": gettext_lazy("The file is broken: an answer of the wrong shape at %(where)s."),
    "area": gettext_lazy("An answer names a municipality this installation lacks: %(name)s."),
    "pace": gettext_lazy("The file is broken: an unknown pace."),
    "no_code": gettext_lazy("No free code for a new session was found. Try again."),
}
UNKNOWN = gettext_lazy("The file could not be imported (%(code)s).")


def error_message(exc: TransferError) -> str:
    """The error's words, with its details filled in (a missing one stays empty)."""
    words = ERRORS.get(exc.code, UNKNOWN)
    detail = {"where": "", "n": "", "what": "", "name": "", "version": "", **exc.detail}
    detail["code"] = exc.code
    return str(words) % detail


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("The session's export (ZIP)"),
        help_text=gettext_lazy(
            "The ZIP that “Export the session” made, on this installation or another."
        ),
    )


@login_required
def transfer_export(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """The whole session, anonymous, for another installation."""
    process, _role = get_process_for_user(
        request, slug, process_slug, kind=WORKSHOP.id, needs=Role.ORGANISER
    )
    workshop = Workshop.objects.select_related("process").get(process=process)
    return download(export_session(workshop), "application/zip", f"workshop-{process.slug}.zip")


def _read(upload: UploadedFile) -> bytes:
    """The upload's bytes, never more than MAX_UPLOAD of them (its stated size may lie)."""
    if upload.size is not None and upload.size > MAX_UPLOAD:
        raise TransferError("too_big")
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise TransferError("too_big")
    return bytes(data)


@login_required
def transfer_import(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """A session exported elsewhere, as a new closed session of this place."""
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    posted = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if posted else ImportForm()
    if posted and form.is_valid():
        try:
            workshop = import_session(
                place=place, user=request.user, data=_read(form.cleaned_data["file"])
            )
        except TransferError as exc:
            form.add_error("file", error_message(exc))
        else:
            messages.success(
                request,
                _(
                    "The session is imported. Questions: %(q)s. Participants: %(p)s. "
                    "Answers: %(a)s. Ideas and questions: %(e)s."
                )
                % {
                    "q": workshop.questions.count(),
                    "p": workshop.participants.count(),
                    "a": Answer.objects.filter(question__workshop=workshop).count(),
                    "e": Entry.objects.filter(question__workshop=workshop).count(),
                },
            )
            return redirect("workshops:detail", slug=place.slug, process_slug=workshop.process.slug)
    status = 400 if form.errors else 200
    return render(request, "workshops/import.html", {"place": place, "form": form}, status=status)


urlpatterns_session = [path("export.zip", transfer_export, name="transfer_export")]
urlpatterns_place = [path("importera/", transfer_import, name="transfer_import")]
