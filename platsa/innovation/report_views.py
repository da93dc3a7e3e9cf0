"""The summary report ("white paper") and the organisers' exports of an open-innovation
process.

The report as PDF is made by the background worker (one job per version of the data and
language, so a room's worth of clicks makes one file): ``report_start`` starts it (POST)
and shows how it is coming along and the download (GET). The spreadsheets (the report's
tables, the pledges with the pledgers' contact addresses, the ideas as CSV) are handed out
only through signed links that expire after an hour: the organiser's exports page makes
them; each link names the process, the export and the organiser, and works only for that
organiser while she still is one (a link forwarded, or kept after she left the place, does
not).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from platsa.accounts.requests import AuthenticatedRequest
from platsa.innovation.models import Moderator
from platsa.innovation.report import (
    KEY_PREFIX,
    data_key,
    ideas_csv,
    pledges_xlsx,
    report_xlsx,
)
from platsa.innovation.tasks import innovation_report
from platsa.jobs.models import Job
from platsa.jobs.selectors import job_stalled
from platsa.jobs.services import job_for
from platsa.places.models import Membership, Role
from platsa.processes.access import get_process_for_user
from platsa.processes.models import Process
from platsa.web.downloads import download, no_store

KIND = Job.Kind.INNOVATION
PROCESS_KIND = "innovation"
SALT = "platsa.innovation.export"
MAX_AGE = timedelta(hours=1)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The exports a signed link may name: what it makes, its type, the file name's ending.
EXPORTS: dict[str, dict[str, Any]] = {
    "report": {
        "label": gettext_lazy("The report's tables (XLSX)"),
        "help": gettext_lazy(
            "Every table of the summary report, one sheet each, and every shown idea with "
            "its counts. Nobody is named."
        ),
        "type": XLSX,
        "suffix": "report.xlsx",
    },
    "pledges": {
        "label": gettext_lazy("The pledges, with contact addresses (XLSX)"),
        "help": gettext_lazy(
            "One row per pledge: the idea, what was offered, when, and the e-mail address of "
            "the person who pledged, so that you can follow it up. This is the only export "
            "with people's addresses: keep it safe and delete it when the pledges are "
            "followed up."
        ),
        "type": XLSX,
        "suffix": "pledges.xlsx",
    },
    "ideas": {
        "label": gettext_lazy("The ideas (CSV)"),
        "help": gettext_lazy(
            "One row per shown idea: its number, title, status, themes, counts and date. "
            "Nobody is named."
        ),
        "type": "text/csv; charset=utf-8",
        "suffix": "ideas.csv",
    },
    "answers": {
        "label": gettext_lazy("The ideas to answer, with status and answer (XLSX)"),
        "help": gettext_lazy(
            "Fill in a status and an answer for each idea and upload it on the ideas page."
        ),
        "type": XLSX,
        "suffix": "svar.xlsx",
    },
    "moderation": {
        "label": gettext_lazy("The moderation log (CSV)"),
        "help": gettext_lazy(
            "Every moderation decision: when, what, which idea or comment, the reason, and "
            "whether an organiser, a moderator or the system made it. No names, no texts."
        ),
        "type": "text/csv; charset=utf-8",
        "suffix": "moderering.csv",
    },
}


def _answers(process: Process) -> bytes:
    from platsa.innovation.answers_import import template_xlsx

    return template_xlsx(process)


def _moderation(process: Process) -> bytes:
    from platsa.innovation.manage_views import moderation_csv

    return moderation_csv(process)


MAKERS = {
    "report": report_xlsx,
    "pledges": pledges_xlsx,
    "ideas": ideas_csv,
    "answers": _answers,
    "moderation": _moderation,
}
# Exports a process's own moderators may take too (the others are for organisers only).
FOR_MODERATORS = frozenset({"moderation"})


def _lang() -> str:
    return (get_language() or "sv")[:2]


def _load(request: HttpRequest, slug: str, process_slug: str) -> Process:
    """The process for one of its organisers (404 for a non-member or another kind, 403 for
    a member below organiser)."""
    process, _role = get_process_for_user(
        request, slug, process_slug, needs=Role.ORGANISER, kind=PROCESS_KIND
    )
    return process


# --- the PDF report ----------------------------------------------------------------------


def _jobs(process: Process) -> Any:
    return Job.objects.defer("input_data", "output_data").filter(
        place=process.place_id,
        round=None,
        kind=KIND,
        key__startswith=f"{KEY_PREFIX}{process.pk}:",
    )


@require_http_methods(["GET", "POST"])
def report_start(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """POST: start the report, or find the one already made (or being made) of this data
    and language. GET: the page with the report's state (``?job=``: that job; otherwise
    the newest), asked again every second by htmx until it is ready; ``&download=1``: the
    file."""
    process = _load(request, slug, process_slug)
    here = reverse("innovation:report", args=[slug, process_slug])
    if request.method == "POST":
        language = _lang()
        with transaction.atomic():
            # one report per version even when every organiser of the journey clicks at once
            Process.objects.select_for_update().filter(pk=process.pk).first()
            job = job_for(
                kind=KIND,
                key=data_key(process, language),
                place=process.place,
                round_=None,
                user=request.user,
                task=innovation_report,
                language=language,
                params={"process": process.pk},
            )
        return redirect(f"{here}?job={job.pk}")
    asked = request.GET.get("job", "")
    if asked:
        if not (asked.isascii() and asked.isdigit()) or len(asked) > 12:
            raise Http404
        job = _jobs(process).filter(pk=int(asked)).first()
        if job is None or job.params.get("process") != process.pk:
            raise Http404
    else:
        job = _jobs(process).order_by("-created_at", "-pk").first()
    if request.GET.get("download"):
        done = (
            Job.objects.filter(pk=job.pk, status=Job.Status.DONE).only("output_data").first()
            if job is not None
            else None
        )
        if done is None:
            raise Http404
        name = f"{slugify(process.title) or 'innovation'}-report.pdf"
        return download(bytes(done.output_data), "application/pdf", name)
    context = {
        "place": process.place,
        "process": process,
        "job": job,
        "stalled": job_stalled(job) if job is not None else "",
        "outdated": job is not None
        and job.status == Job.Status.DONE
        and job.key != data_key(process, job.language),
        "here": here,
    }
    return no_store(render(request, "innovation/report_page.html", context))


# --- signed export links -----------------------------------------------------------------


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def export_token(process: Process, name: str, user_id: int) -> str:
    """A link's token: the process, the export and the organiser it was made for, signed
    with the time (checked against ``MAX_AGE`` when used)."""
    if name not in EXPORTS:
        raise ValueError(name)
    return _signer().sign_object({"p": process.pk, "e": name, "u": user_id}, compress=True)


@require_GET
def export_links(request: AuthenticatedRequest, slug: str, process_slug: str) -> HttpResponse:
    """The organiser's exports: a fresh signed link to each, valid for an hour."""
    process = _load(request, slug, process_slug)
    links = [
        {
            "name": name,
            "label": spec["label"],
            "help": spec["help"],
            "url": reverse(
                "innovation_public:signed_export",
                args=[export_token(process, name, request.user.pk)],
            ),
        }
        for name, spec in EXPORTS.items()
    ]
    context = {
        "place": process.place,
        "process": process,
        "links": links,
        "valid_until": timezone.now() + MAX_AGE,
        "minutes": int(MAX_AGE.total_seconds() // 60),
    }
    response = render(request, "innovation/exports.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return no_store(response)


def _refused(request: HttpRequest, status: int, message: str) -> HttpResponse:
    response = render(request, "innovation/exports.html", {"refused": message}, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return no_store(response)


def _read_token(token: str) -> dict[str, Any] | str:
    """The token's contents, or why it is refused: "expired" or "bad"."""
    try:
        data = _signer().unsign_object(token, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return "expired"
    except (signing.BadSignature, ValueError, TypeError):
        return "bad"
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("p"), int)
        or not isinstance(data.get("u"), int)
        or data.get("e") not in EXPORTS
    ):
        return "bad"
    return data


@require_GET
def signed_export(request: HttpRequest, token: str) -> HttpResponse:
    """The file a signed link names, for the organiser it was made for, while the link is
    young and she still organises the process's place."""
    data = _read_token(token)
    if data == "expired":
        return _refused(
            request,
            410,
            _(
                "This export link has expired: links work for an hour after they were made. "
                "Open the exports page again for a new one."
            ),
        )
    if not isinstance(data, dict):
        return _refused(
            request,
            403,
            _("This export link is not valid. Open the exports page again for a new one."),
        )
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if user.pk != data["u"]:
        return _refused(
            request,
            403,
            _(
                "This export link was made for another account. Each organiser opens the "
                "exports page for links of her own."
            ),
        )
    process = (
        Process.objects.select_related("place").filter(pk=data["p"], kind=PROCESS_KIND).first()
    )
    if process is None:
        return _refused(request, 410, _("The process of this export link no longer exists."))
    still = Membership.objects.filter(
        place_id=process.place_id, user_id=user.pk, role__in=[Role.OWNER, Role.ORGANISER]
    ).exists() or (
        data["e"] in FOR_MODERATORS
        and Moderator.objects.filter(process=process, user_id=user.pk).exists()
    )
    if not still:
        return _refused(
            request,
            403,
            _(
                "Only the organisers of the process's place may download its exports, and "
                "this account is no longer one."
            ),
        )
    name = data["e"]
    spec = EXPORTS[name]
    content = MAKERS[name](process)
    filename = f"{slugify(process.title) or 'innovation'}-{spec['suffix']}"
    return download(content, spec["type"], filename)
