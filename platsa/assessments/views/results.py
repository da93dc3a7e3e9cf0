"""Results: the members' page, the public aggregated page, and the files out.

What each reader sees follows one rule per role (``presenters.Audience``, docs/scoring.md):
organisers and owners everything, on the page and in the workbook; viewers the public
disclosure rules on both; the public page and the board report (PDF) always the public rules.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language

from platsa.assessments import reports
from platsa.assessments.analysis import analyse
from platsa.assessments.models import Round
from platsa.assessments.presenters import (
    Audience,
    audience_for,
    results_context,
    visible_comments,
)
from platsa.assessments.tasks import board_report
from platsa.assessments.versions import results_version
from platsa.assessments.views.rounds import get_round_for_user, survey_url
from platsa.jobs.models import Job
from platsa.jobs.selectors import job_of_round, job_stalled
from platsa.jobs.services import job_create, job_fail
from platsa.places.models import Role
from platsa.web.downloads import download


def _stem(round_: Round) -> str:
    return slugify(f"{round_.place.name}-{round_.name}") or "platsa"


@login_required
def results(request: HttpRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    context = results_context(analyse(round_), audience=audience_for(role))
    return render(request, "assessments/results.html", {**context, "role": role})


@login_required
def theme_comments(request: HttpRequest, slug: str, round_slug: str, theme_id: str) -> HttpResponse:
    """All comments on one theme (organisers): loaded into the results page by htmx."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    fw = round_.framework
    if not fw.has_theme(theme_id):
        raise Http404
    # Each with its question and group, as on the results page (organisers: no suppression).
    comments = visible_comments(round_, audience=Audience.ORGANISER, theme_id=theme_id, limit=500)
    return render(
        request,
        "assessments/_theme_comments.html",
        {"comments": comments, "theme": fw.theme(theme_id), "round": round_},
    )


@login_required
def export_responses(request: HttpRequest, slug: str, round_slug: str, fmt: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    if fmt == "xlsx":
        return download(
            reports.responses_xlsx(round_),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{_stem(round_)}-svar.xlsx",
        )
    return download(
        reports.responses_csv(round_), "text/csv; charset=utf-8", f"{_stem(round_)}-svar.csv"
    )


@login_required
def export_results(request: HttpRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    analysis = analyse(round_)
    # The workbook holds what the page shows this reader, comments included (all of them).
    context = results_context(analysis, audience=audience_for(role), comments=False)
    return download(
        reports.results_xlsx(analysis, context),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{_stem(round_)}-resultat.xlsx",
    )


@login_required
def export_pdf(request: HttpRequest, slug: str, round_slug: str) -> HttpResponse:
    """The board report. Made in the background once per version of the results and language
    (a PDF takes a second or more): the same report again is a download at once."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    language = (get_language() or "sv")[:2]
    key = results_version(round_.pk, language)
    job = (
        Job.objects.filter(round=round_, kind=Job.Kind.REPORT, key=key)
        .exclude(status=Job.Status.FAILED)
        .defer("input_data", "output_data")
        .first()
    )
    if job is not None and job_stalled(job) == "lost":
        job_fail(job.pk, result={"error": "lost"})
        job = None
    if job is None:
        job = job_create(
            kind=Job.Kind.REPORT,
            place=round_.place,
            round_=round_,
            user=request.user,
            task=board_report,
            language=language,
            key=key,
        )
    elif job.status == Job.Status.DONE:
        return _report_file(round_, job.pk)
    return redirect("assessments:report_job", slug=slug, round_slug=round_slug, job_id=job.pk)


@login_required
def report_job(request: HttpRequest, slug: str, round_slug: str, job_id: int) -> HttpResponse:
    """How the report is coming along; htmx asks again every second until it is ready."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    job = job_of_round(round_, job_id, Job.Kind.REPORT)
    context = {"round": round_, "place": round_.place, "job": job, "stalled": job_stalled(job)}
    template = "assessments/_report_status.html" if request.htmx else "assessments/report_job.html"
    return render(request, template, context)


@login_required
def report_file(request: HttpRequest, slug: str, round_slug: str, job_id: int) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    return _report_file(round_, job_id)


def _report_file(round_: Round, job_id: int) -> HttpResponse:
    job = get_object_or_404(
        Job, round=round_, pk=job_id, kind=Job.Kind.REPORT, status=Job.Status.DONE
    )
    return download(bytes(job.output_data), "application/pdf", f"{_stem(round_)}-rapport.pdf")


@login_required
def qr_code(request: HttpRequest, slug: str, round_slug: str, fmt: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    url = survey_url(request, round_)
    if fmt == "png":
        return download(reports.qr_png(url), "image/png", f"{_stem(round_)}-qr.png")
    response = HttpResponse(reports.qr_svg(url), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{_stem(round_)}-qr.svg"'
    return response


@login_required
def letters(request: HttpRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    codes = list(round_.codes.filter(used_at__isnull=True).values_list("code", flat=True)[:2000])
    return download(
        reports.letters_pdf(round_, survey_url(request, round_), codes),
        "application/pdf",
        f"{_stem(round_)}-brev.pdf",
    )


@login_required
def codes_csv(request: HttpRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    from platsa.core.tabular import write_csv

    rows = [(c.code, "yes" if c.used_at else "") for c in round_.codes.all()]
    return download(
        write_csv(["code", "used"], rows), "text/csv; charset=utf-8", f"{_stem(round_)}-koder.csv"
    )


@login_required
def template_file(request: HttpRequest, slug: str, round_slug: str, fmt: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    from django.utils.translation import get_language, gettext

    from platsa.core.template import template_csv, template_xlsx

    fw = round_.framework
    if fmt == "xlsx":
        language = (get_language() or "sv")[:2]
        data = template_xlsx(
            fw,
            groups=[g.label(language) for g in round_.groups.all()],
            language=language,
            _=gettext,
        )
        return download(
            data,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{_stem(round_)}-mall.xlsx",
        )
    return download(template_csv(fw), "text/csv; charset=utf-8", f"{_stem(round_)}-mall.csv")
