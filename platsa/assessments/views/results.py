"""Results: the members' page, the public aggregated page, and the files out.

What each reader sees follows one rule per role (``presenters.Audience``, docs/scoring.md):
organisers and owners everything, on the page and in the workbook; viewers the public
disclosure rules on both; the public page and the board report (PDF) always the public rules.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
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
from platsa.assessments.tasks import letter_batches
from platsa.assessments.versions import results_version
from platsa.assessments.views import files
from platsa.assessments.views.files import start_file
from platsa.assessments.views.rounds import get_round_for_user, survey_url
from platsa.jobs.models import Job
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
    if fmt == "xlsx":  # a workbook of a large round takes minutes: made in the background
        key = "xlsx:" + results_version(round_.pk, files.language())
        return start_file(request, round_, Job.Kind.RESPONSES, key)
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
    """The board report, made in the background once per version of the results and
    language (a PDF takes a second or more): the same report again is a download at once."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    return start_file(
        request, round_, Job.Kind.REPORT, results_version(round_.pk, files.language())
    )


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
    """One batch of letters (``?batch=N``, :data:`LETTERS_PER_PDF` codes each) for the codes
    not used yet, made in the background: 2,000 letters took a minute and a half."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    batches = letter_batches(round_)
    try:
        batch = batches[int(request.GET.get("batch", "0"))]
    except (ValueError, IndexError):
        raise Http404 from None
    key = f"letters:{batch['number']}:{batch['unused']}:{files.language()}"
    params = {"batch": batch["number"], "survey_url": survey_url(request, round_)}
    return start_file(request, round_, Job.Kind.LETTERS, key, params)


@login_required
def codes_csv(request: HttpRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    from platsa.core.io.tabular import write_csv

    rows = [(c.code, "yes" if c.used_at else "") for c in round_.codes.all()]
    return download(
        write_csv(["code", "used"], rows), "text/csv; charset=utf-8", f"{_stem(round_)}-koder.csv"
    )


@login_required
def template_file(request: HttpRequest, slug: str, round_slug: str, fmt: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    from django.utils.translation import gettext

    from platsa.core.io.template import template_csv, template_xlsx

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
