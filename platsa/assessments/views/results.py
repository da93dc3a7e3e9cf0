"""Results: the members' page, the public aggregated page, and the files out.

What each reader sees follows one rule per role (``presenters.Audience``, docs/scoring.md):
organisers and owners everything, on the page and in the workbook; viewers the public
disclosure rules on both; the public page and the board report (PDF) always the public rules.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import HtmxRequest
from platsa.assessments import reports
from platsa.assessments.analysis import Analysis
from platsa.assessments.models import Round
from platsa.assessments.presenters import (
    Audience,
    audience_for,
    results_context,
    visible_comments,
)
from platsa.assessments.services import round_rerun
from platsa.assessments.snapshots import displayed_analysis
from platsa.assessments.tasks import letter_batches
from platsa.assessments.versions import results_version
from platsa.assessments.views import files
from platsa.assessments.views.files import start_file
from platsa.assessments.views.rounds import get_round_for_user, survey_url
from platsa.jobs.models import Job
from platsa.places.access import has_role
from platsa.places.models import Role
from platsa.web.downloads import download

VERSION = re.compile(r"[1-9][0-9]{0,8}")  # ASCII digits only: str.isdigit() takes "１"


def _stem(round_: Round) -> str:
    return slugify(f"{round_.place.name}-{round_.name}") or "platsa"


@login_required
def results(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    analysis = _analysis(request, round_)
    context = results_context(analysis, audience=audience_for(role))
    return render(
        request,
        "assessments/results.html",
        {**context, "role": role, **versions_context(round_, analysis, role)},
    )


def _analysis(request: HttpRequest, round_: Round) -> Analysis:
    """The version asked for (``?version=N``), else what the round shows (see
    ``platsa.assessments.snapshots``); an unknown version is a 404."""
    asked = request.GET.get("version")
    if asked is None:
        return displayed_analysis(round_)
    if not VERSION.fullmatch(asked):  # "abc", "-1", "１": no such version
        raise Http404
    try:
        return displayed_analysis(round_, int(asked))
    except LookupError:
        raise Http404 from None


def versions_context(round_: Round, analysis: Analysis, role: Role) -> dict[str, object]:
    """The frozen versions panel: which version is shown, the others, and how many answers
    came after the newest (organisers may run it again)."""
    snapshots = list(round_.snapshots.select_related("created_by")[:20])
    shown = analysis.snapshot
    newer_answers = 0
    if snapshots and shown is not None and shown.pk == snapshots[0].pk:
        newer_answers = max(0, round_.responses.count() - shown.respondents)
    return {
        "snapshot": shown,
        "snapshots": snapshots,
        "newer_answers": newer_answers,
        "can_rerun": has_role(role, Role.ORGANISER),
    }


@login_required
@require_POST
def rerun(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    """Run the recommendations again on purpose: a new frozen version, the old ones kept."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    before = round_.snapshots.order_by("-version").values_list("version", flat=True).first()
    snapshot = round_rerun(round_=round_, actor=request.user)
    if snapshot.version == before:
        messages.info(
            request,
            _(
                "Nothing has changed since version %(version)s (answers, catalogue and engine "
                "are the same): it stays the one shown."
            )
            % {"version": snapshot.version},
        )
    else:
        messages.success(
            request,
            _("Version %(version)s of the results is frozen and shown from now on.")
            % {"version": snapshot.version},
        )
    return redirect("assessments:results", slug=slug, round_slug=round_slug)


@login_required
def theme_comments(request: HtmxRequest, slug: str, round_slug: str, theme_id: str) -> HttpResponse:
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
def export_responses(request: HtmxRequest, slug: str, round_slug: str, fmt: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    if fmt == "xlsx":  # a workbook of a large round takes minutes: made in the background
        key = "xlsx:" + results_version(round_.pk, files.language())
        return start_file(request, round_, Job.Kind.RESPONSES, key)
    return download(
        reports.responses_csv(round_), "text/csv; charset=utf-8", f"{_stem(round_)}-svar.csv"
    )


@login_required
def export_results(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    analysis = _analysis(request, round_)
    # The workbook holds what the page shows this reader, comments included (all of them).
    context = results_context(analysis, audience=audience_for(role), comments=False)
    return download(
        reports.results_xlsx(analysis, context),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{_stem(round_)}-resultat.xlsx",
    )


@login_required
def export_pdf(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    """The board report, made in the background once per version of the results and
    language (a PDF takes a second or more): the same report again is a download at once."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.VIEWER)
    return start_file(
        request, round_, Job.Kind.REPORT, results_version(round_.pk, files.language())
    )


@login_required
def qr_code(request: HtmxRequest, slug: str, round_slug: str, fmt: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    url = survey_url(request, round_)
    if fmt == "png":
        return download(reports.qr_png(url), "image/png", f"{_stem(round_)}-qr.png")
    response = HttpResponse(reports.qr_svg(url), content_type="image/svg+xml")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="{_stem(round_)}-qr.svg"'
    return response


@login_required
def letters(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
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
def codes_csv(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    from platsa.core.io.tabular import write_csv

    rows = [(c.code, "yes" if c.used_at else "") for c in round_.codes.all()]
    return download(
        write_csv(["code", "used"], rows), "text/csv; charset=utf-8", f"{_stem(round_)}-koder.csv"
    )


@login_required
def template_file(request: HtmxRequest, slug: str, round_slug: str, fmt: str) -> HttpResponse:
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
