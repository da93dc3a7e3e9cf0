"""Organisers' pages for a round: create, share, open and close, groups, paper import,
one-time codes and comment moderation."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from platsa.accounts.requests import HtmxRequest
from platsa.assessments.forms import (
    CodesForm,
    GroupForm,
    GroupFormSet,
    ImportForm,
    RoundForm,
    RoundSettingsForm,
)
from platsa.assessments.kind import ASSESSMENT
from platsa.assessments.models import Comment, Response, Round
from platsa.assessments.services import (
    GroupSpec,
    SurveyError,
    codes_generate,
    comment_delete,
    comment_set_status,
    comments_set_status,
    default_groups,
    import_undo,
    response_erase,
    round_create,
    round_groups_update,
    round_set_status,
    round_update,
)
from platsa.assessments.tasks import import_answers, issue_from_record, letter_batches
from platsa.catalogue.selectors import frameworks
from platsa.core.render.explain import explain_issues
from platsa.core.render.messages import IMPORT_ERRORS
from platsa.core.schema.frameworks import default_framework
from platsa.jobs.models import Job
from platsa.jobs.selectors import job_of_round, job_stalled
from platsa.jobs.services import job_create
from platsa.places.access import get_place_for_user
from platsa.places.models import Role
from platsa.processes.access import get_process_for_user
from platsa.processes.services import PhaseError


def _lang() -> str:
    return (get_language() or "sv")[:2]


def get_round_for_user(
    request: HttpRequest, slug: str, round_slug: str, *, needs: Role
) -> tuple[Round, Role]:
    """The round ``round_slug`` of place ``slug`` through the spine's one access check
    (``platsa.processes.access``): 404 for non-members, 403 for too low a role."""
    process, role = get_process_for_user(request, slug, round_slug, needs=needs, kind=ASSESSMENT.id)
    round_ = get_object_or_404(Round.objects.select_related("process"), process=process)
    round_.process = process  # with its place and municipality, as loaded
    return round_, role


def survey_url(request: HttpRequest, round_: Round) -> str:
    path = reverse("survey:form", args=[round_.survey_key])
    if settings.PLATSA_SITE_URL:
        return settings.PLATSA_SITE_URL.rstrip("/") + path
    return request.build_absolute_uri(path)


def _group_specs(formset: BaseFormSet[GroupForm]) -> list[GroupSpec]:
    from django.utils.text import slugify

    specs: list[GroupSpec] = []
    seen: set[str] = set()
    for form in formset.forms:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        label = (data.get("label_sv") or "").strip()
        if not data.get("include") or not label:
            continue
        key = data.get("key") or slugify(label).replace("-", "_")[:60] or f"group_{len(specs) + 1}"
        base, n = key, 2
        while key in seen:
            key = f"{base}_{n}"
            n += 1
        seen.add(key)
        specs.append(
            GroupSpec(key, label, (data.get("label_en") or "").strip(), data.get("side") or "other")
        )
    return specs


@login_required
def round_create_view(request: HtmxRequest, slug: str) -> HttpResponse:
    place, _role = get_place_for_user(request, slug, needs=Role.ORGANISER)
    available = frameworks()
    language = _lang()
    default_fw = default_framework(available)
    initial_groups = [
        {
            "key": g.key,
            "label_sv": g.label_sv,
            "label_en": g.label_en,
            "side": g.side,
            "include": True,
        }
        for g in default_groups(default_fw)
    ]
    if request.method == "POST":
        form = RoundForm(request.POST, frameworks=available, language=language)
        formset = GroupFormSet(request.POST, initial=initial_groups, prefix="groups")
        if form.is_valid() and formset.is_valid():
            groups = _group_specs(formset)
            if not groups:
                messages.error(request, _("Choose at least one group of respondents."))
            else:
                data = form.cleaned_data
                round_ = round_create(
                    place=place,
                    user=request.user,
                    name=data["name"],
                    framework=available[data["framework"]],
                    groups=groups,
                    opens_at=data.get("opens_at"),
                    closes_at=data.get("closes_at"),
                    requires_code=data.get("requires_code", False),
                )
                messages.success(
                    request, _("The round was created. Open the survey when you are ready.")
                )
                return redirect("assessments:dashboard", slug=slug, round_slug=round_.slug)
    else:
        form = RoundForm(frameworks=available, language=language)
        formset = GroupFormSet(initial=initial_groups, prefix="groups")
    return render(
        request, "assessments/round_form.html", {"place": place, "form": form, "formset": formset}
    )


@login_required
def dashboard(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    by_group = dict(
        Response.objects.filter(round=round_)
        .values_list("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    )
    by_source = dict(
        Response.objects.filter(round=round_)
        .values_list("source")
        .annotate(n=Count("id"))
        .values_list("source", "n")
    )
    groups = [(g, by_group.get(g.pk, 0)) for g in round_.groups.all()]
    codes = (
        round_.codes.aggregate(total=Count("id"), used=Count("used_at"))
        if round_.requires_code
        else None
    )
    settings_form = RoundSettingsForm(instance=round_)
    return render(
        request,
        "assessments/dashboard.html",
        {
            "round": round_,
            "place": round_.place,
            "role": role,
            "survey_url": survey_url(request, round_),
            "groups": groups,
            "total": sum(by_group.values()),
            "paper": by_source.get(Response.Source.PAPER, 0),
            "web": by_source.get(Response.Source.WEB, 0),
            "imports": round_.imports.all()[:20],
            "codes": codes,
            "pending_comments": round_.comments.filter(status=Comment.Status.PENDING).count(),
            "settings_form": settings_form,
            "accepting": round_.accepts_responses(),
        },
    )


@login_required
@require_POST
def round_status(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    status = request.POST.get("status")
    if status in Round.Status.values:
        try:
            round_set_status(round_=round_, status=status, actor=request.user)
        except PhaseError:
            messages.error(
                request,
                _("The survey cannot go from “%(source)s” to that step.")
                % {"source": round_.get_status_display()},
            )
        else:
            messages.success(
                request,
                _("The survey is now: %(status)s.") % {"status": round_.get_status_display()},
            )
    return redirect("assessments:dashboard", slug=slug, round_slug=round_slug)


@login_required
@require_POST
def round_settings(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    form = RoundSettingsForm(request.POST, instance=round_)
    if form.is_valid():
        data = form.cleaned_data
        round_update(
            round_=round_,
            actor=request.user,
            name=data["name"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            public=data["results_public"],
        )
        messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("assessments:dashboard", slug=slug, round_slug=round_slug)


@login_required
def groups_edit(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    initial = [
        {
            "key": g.key,
            "label_sv": g.label_sv,
            "label_en": g.label_en,
            "side": g.side,
            "include": True,
        }
        for g in round_.groups.all()
    ]
    if request.method == "POST":
        formset = GroupFormSet(request.POST, initial=initial, prefix="groups")
        if formset.is_valid():
            specs = _group_specs(formset)
            if not specs:
                messages.error(request, _("Choose at least one group of respondents."))
            else:
                try:
                    round_groups_update(round_=round_, groups=specs)
                    messages.success(request, _("Saved."))
                    return redirect("assessments:dashboard", slug=slug, round_slug=round_slug)
                except SurveyError:
                    messages.error(
                        request, _("A group that already has responses cannot be removed.")
                    )
    else:
        formset = GroupFormSet(initial=initial, prefix="groups")
    return render(
        request,
        "assessments/groups_form.html",
        {"round": round_, "place": round_.place, "formset": formset},
    )


@login_required
def import_view(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    """Upload a spreadsheet of paper answers. The file is only stored here; a background
    worker reads and checks it (a hostile or huge file never ties up a web worker), and the
    job's page shows its progress and then the result."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.PLATSA_IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                _(IMPORT_ERRORS["file_too_large"]).format(
                    limit=settings.PLATSA_IMPORT_MAX_BYTES // (1024 * 1024)
                ),
            )
        else:
            job = job_create(
                kind=Job.Kind.IMPORT,
                place=round_.place,
                round_=round_,
                user=request.user,
                task=import_answers,
                language=_lang(),
                input_name=upload.name,
                input_data=upload.read(),
            )
            return redirect(
                "assessments:import_job", slug=slug, round_slug=round_slug, job_id=job.pk
            )
    return render(
        request,
        "assessments/import.html",
        {
            "round": round_,
            "place": round_.place,
            "form": form,
            "imports": round_.imports.all()[:20],
            "jobs": round_.jobs.filter(kind=Job.Kind.IMPORT).defer("input_data", "output_data")[:5],
        },
        status=400 if form.errors else 200,
    )


@login_required
def import_job(request: HtmxRequest, slug: str, round_slug: str, job_id: int) -> HttpResponse:
    """How an import is going; htmx asks again every second until it is finished."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    job = job_of_round(round_, job_id, Job.Kind.IMPORT)
    # By row, and a mistake repeated on many rows (the same file twice) as one line.
    problems = explain_issues(
        [issue_from_record(i) for i in job.result.get("issues", [])],
        total=job.result.get("total", 0),
        _=_,
    )
    context = {
        "round": round_,
        "place": round_.place,
        "job": job,
        "problems": problems,
        "total": job.result.get("total", 0),
        "stalled": job_stalled(job),
    }
    template = "assessments/_import_status.html" if request.htmx else "assessments/import_job.html"
    return render(request, template, context)


@login_required
@require_POST
def response_erase_view(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    """Erase one paper answer by its form number (a respondent's request, GDPR art. 17)."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    if response_erase(round_=round_, respondent_ref=request.POST.get("respondent", "")):
        messages.success(request, _("The answer and its comments were deleted."))
    else:
        messages.error(request, _("No answer in this round has that form number."))
    return redirect("assessments:import", slug=slug, round_slug=round_slug)


@login_required
@require_POST
def import_delete(request: HtmxRequest, slug: str, round_slug: str, batch_id: int) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    try:
        count = import_undo(round_=round_, batch_id=batch_id)
        messages.success(
            request, _("The import was undone: %(n)d responses removed.") % {"n": count}
        )
    except SurveyError:
        messages.error(request, _("That import no longer exists."))
    return redirect("assessments:import", slug=slug, round_slug=round_slug)


@login_required
def codes_view(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made = codes_generate(round_=round_, count=form.cleaned_data["count"])
        messages.success(
            request,
            ngettext("%(n)d new code was made.", "%(n)d new codes were made.", len(made))
            % {"n": len(made)},
        )
        return redirect("assessments:codes", slug=slug, round_slug=round_slug)
    stats = round_.codes.aggregate(total=Count("id"), used=Count("used_at"))
    return render(
        request,
        "assessments/codes.html",
        {
            "round": round_,
            "place": round_.place,
            "form": form,
            "stats": stats,
            "batches": letter_batches(round_) if stats["total"] else [],
        },
    )


def _comment_delete(request: HtmxRequest, round_: Round) -> HttpResponse:
    """Delete a comment, or the whole response it belongs to (a respondent's erasure request)."""
    try:
        comment = Comment.objects.get(round=round_, pk=int(request.POST.get("comment", "0")))
    except (Comment.DoesNotExist, ValueError):
        return HttpResponse(status=400)
    if request.POST["delete"] == "response":
        response_erase(round_=round_, response_id=comment.response_id)
        messages.success(request, _("The answer and its comments were deleted."))
    else:
        comment_delete(round_=round_, comment_id=comment.pk)
        messages.success(request, _("The comment was deleted."))
    if request.htmx:
        return HttpResponse("")  # the row disappears
    return redirect(
        f"{reverse('assessments:comments', args=[round_.place.slug, round_.slug])}?{request.GET.urlencode()}"
    )


COMMENTS_PER_PAGE = 100


@login_required
def comments_view(request: HtmxRequest, slug: str, round_slug: str) -> HttpResponse:
    """Review comments before any is shown publicly: one at a time (htmx swaps the row), a
    selection, or everything the filter shows."""
    round_, _role = get_round_for_user(request, slug, round_slug, needs=Role.ORGANISER)
    if request.method == "POST" and request.POST.get("delete"):
        return _comment_delete(request, round_)
    if request.method == "POST" and (request.POST.get("bulk") or request.POST.get("bulk_all")):
        return _comments_bulk(request, round_)
    if request.method == "POST":
        try:
            comment = comment_set_status(
                round_=round_,
                comment_id=int(request.POST.get("comment", "0")),
                status=request.POST.get("status", ""),
            )
        except (SurveyError, ValueError):
            return HttpResponse(status=400)
        if request.htmx:
            row = _comment_rows(round_, Comment.objects.filter(pk=comment.pk))[0]
            return render(request, "assessments/_comment_row.html", {"c": row, "round": round_})
        return redirect(
            f"{reverse('assessments:comments', args=[slug, round_slug])}?{request.GET.urlencode()}"
        )
    status = request.GET.get("status", Comment.Status.PENDING)
    theme = request.GET.get("theme", "")
    fw = round_.framework
    qs = Comment.objects.filter(round=round_)
    if status in Comment.Status.values:
        qs = qs.filter(status=status)
    else:
        status = ""
    if theme and fw.has_theme(theme):
        qs = qs.filter(theme_id=theme)
    else:
        theme = ""
    shown = qs.count()
    counts = dict(
        Comment.objects.filter(round=round_)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return render(
        request,
        "assessments/comments.html",
        {
            "round": round_,
            "place": round_.place,
            "fw": fw,
            "comments": _comment_rows(round_, qs[:COMMENTS_PER_PAGE]),
            "shown": shown,
            "more": max(0, shown - COMMENTS_PER_PAGE),
            "status": status,
            "theme": theme,
            "counts": counts,
            "statuses": Comment.Status.choices,
        },
    )


def _comment_rows(round_: Round, comments: Any) -> list[dict[str, Any]]:
    """Each comment with its theme, its question and the respondent's group, as words."""
    fw = round_.framework
    language = _lang()
    themes = {t.id: t.title.get(language) for t in fw.themes}
    questions = {c.id: c.prompt.get(language) for c in fw.comments}
    return [
        {
            "pk": c.pk,
            "text": c.text,
            "status": c.status,
            "status_label": c.get_status_display(),
            "theme": themes.get(c.theme_id, c.theme_id),
            "question": questions.get(c.kind, c.kind),
            "group": c.response.group.label(language) if c.response.group else "",
        }
        for c in comments.select_related("response__group")
    ]


def _comments_bulk(request: HtmxRequest, round_: Round) -> HttpResponse:
    """Approve or hide the ticked comments, or all that the current filter shows."""
    every = bool(request.POST.get("bulk_all"))
    target = request.POST.get("bulk_all" if every else "bulk", "")
    status = request.POST.get("status", "")
    theme = request.POST.get("theme", "")
    if target not in (Comment.Status.APPROVED, Comment.Status.HIDDEN):
        return HttpResponse(status=400)
    # A filter that is not one of the page's own would widen "all shown" to every comment.
    if (theme and not round_.framework.has_theme(theme)) or (
        status and status not in Comment.Status.values
    ):
        return HttpResponse(status=400)
    if every:
        changed = comments_set_status(
            round_=round_, status=target, theme_id=theme, from_status=status
        )
    else:
        try:
            ids = [int(i) for i in request.POST.getlist("comment")]
        except ValueError:
            return HttpResponse(status=400)
        if any(not 0 < i < 2**63 for i in ids):  # a database id, or a 500 from the database
            return HttpResponse(status=400)
        changed = comments_set_status(round_=round_, status=target, comment_ids=ids)
    text = (
        ngettext("%(n)d comment was approved.", "%(n)d comments were approved.", changed)
        if target == Comment.Status.APPROVED
        else ngettext("%(n)d comment was hidden.", "%(n)d comments were hidden.", changed)
    )
    messages.success(request, text % {"n": changed})
    query = urlencode({k: v for k, v in (("status", status), ("theme", theme)) if v})
    return redirect(
        f"{reverse('assessments:comments', args=[round_.place.slug, round_.slug])}?{query}"
    )
