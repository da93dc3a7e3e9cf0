"""The plan's documents for its members: the local development plan (LUP) as PDF or DOCX,
made by the background worker, and the accountability data as XLSX, made in the request
(values only: fast). See ``platsa.plans.documents`` for what each file holds and leaves out.

Any member of the plan (viewer and up) may make and download them. A member from outside
the organising place gets the assessment as the public sees it; a file made for the place's
own members (which may show unpublished rounds) is not handed to them.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from platsa.jobs.models import Job
from platsa.jobs.selectors import job_stalled
from platsa.jobs.services import job_for
from platsa.plans.access import PlanAccess, get_plan_for_user
from platsa.plans.documents import (
    CONTENT_TYPES,
    FORMATS,
    KEY_PREFIX,
    data_key,
    key_prefix,
    lup_content,
    plan_xlsx,
)
from platsa.plans.models import Plan, PlanRole
from platsa.plans.tasks import plan_document
from platsa.web.downloads import download, no_store

KIND = Job.Kind.PLAN
IN_WORKER = ("pdf", "docx")
LABELS = {
    "pdf": gettext_lazy("The local development plan (PDF)"),
    "docx": gettext_lazy("The local development plan (Word, DOCX)"),
    "xlsx": gettext_lazy("The accountability data (XLSX)"),
}
HELP = {
    "pdf": gettext_lazy(
        "Ready to print or send: the place today with its open data and assessment, the "
        "SWOT, the vision and choices of path, the goals with their indicators, the actions "
        "with who, by when, budget and funding, and how the plan is followed up."
    ),
    "docx": gettext_lazy(
        "The same plan as a Word document with real headings, to edit further or to paste "
        "into an application."
    ),
    "xlsx": gettext_lazy(
        "One sheet each for the goals, indicators, actions, milestones, funding and updates."
    ),
}


def _lang() -> str:
    return (get_language() or "sv")[:2]


def _jobs(plan: Plan, fmt: str, public: bool) -> Any:
    return Job.objects.defer("input_data", "output_data").filter(
        place=plan.process.place_id,
        round=None,
        kind=KIND,
        key__startswith=key_prefix(plan, fmt, public=public),
    )


def _stem(plan: Plan) -> str:
    return slugify(plan.process.title) or "plan"


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, slug: str, plan_slug: str) -> HttpResponse:
    """GET: the formats, each with the state of its newest file in the page's language (asked again every second
    by htmx while one is being made). POST ``format``: the XLSX at once, or the PDF or DOCX
    started (or the one already made of this data and language found) and the page again."""
    access = get_plan_for_user(request, slug, plan_slug, needs=PlanRole.VIEWER)
    plan = access.plan
    public = not access.in_place
    here = reverse("plans:documents", args=[slug, plan_slug])
    if request.method == "POST":
        fmt = request.POST.get("format", "")
        if fmt not in FORMATS:
            return HttpResponseBadRequest()
        language = _lang()
        if fmt == "xlsx":
            content = lup_content(plan, public=public, language=language)
            return download(plan_xlsx(content), CONTENT_TYPES[fmt], f"{_stem(plan)}-lup.xlsx")
        with transaction.atomic():
            # one file per version even when every member clicks at once
            Plan.objects.select_for_update().filter(pk=plan.pk).first()
            job_for(
                kind=KIND,
                key=data_key(plan, fmt, public=public, language=language),
                place=access.process.place,
                round_=None,
                user=request.user,  # type: ignore[arg-type]
                task=plan_document,
                language=language,
                params={"plan": plan.pk, "format": fmt, "public": public},
            )
        return redirect(here)
    rows = [_row(access, fmt, public) for fmt in FORMATS]
    context = {
        "access": access,
        "plan": plan,
        "process": access.process,
        "place": access.process.place,
        "rows": rows,
        "waiting": any(r["job"] is not None and not r["job"].finished for r in rows),
        "here": here,
    }
    return no_store(render(request, "plans/documents.html", context))


def _row(access: PlanAccess, fmt: str, public: bool) -> dict[str, Any]:
    plan = access.plan
    job = None
    if fmt in IN_WORKER:  # the newest in the page's language: the one a click would make
        job = (
            _jobs(plan, fmt, public).filter(language=_lang()).order_by("-created_at", "-pk").first()
        )
    return {
        "format": fmt,
        "label": LABELS[fmt],
        "help": HELP[fmt],
        "worker": fmt in IN_WORKER,
        "job": job,
        "stalled": job_stalled(job) if job is not None else "",
        "outdated": job is not None
        and job.status == Job.Status.DONE
        and job.key != data_key(plan, fmt, public=public, language=job.language),
        "url": reverse(
            "plans:document_file", args=[access.process.place.slug, access.process.slug, job.pk]
        )
        if job is not None
        else "",
    }


@login_required
@require_GET
def document_file(request: HttpRequest, slug: str, plan_slug: str, job_id: int) -> HttpResponse:
    """A finished file of this plan, for its members (404 for another plan's job, one not
    made yet, or one made with assessment figures this member may not see)."""
    access = get_plan_for_user(request, slug, plan_slug, needs=PlanRole.VIEWER)
    plan = access.plan
    job = (
        Job.objects.filter(
            pk=job_id,
            kind=KIND,
            status=Job.Status.DONE,
            place=access.process.place_id,
            round=None,
            key__startswith=f"{KEY_PREFIX}{plan.pk}:",
        )
        .only("pk", "key", "params", "output_data", "output_type", "output_name")
        .first()
    )
    if job is None or job.params.get("plan") != plan.pk:
        raise Http404
    fmt = job.params.get("format")
    if fmt not in IN_WORKER:
        raise Http404
    if not job.params.get("public", True) and not access.in_place:
        raise Http404  # made for the place's members: may show unpublished rounds
    return download(bytes(job.output_data), CONTENT_TYPES[fmt], f"{_stem(plan)}-lup.{fmt}")
