"""The public survey: anonymous, phone-first, light (no script library), editable from the
same device until the round closes."""

from __future__ import annotations

import logging
import secrets
import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.core.signing import BadSignature
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from platsa.assessments.forms import CodeEntryForm, SurveyForm
from platsa.assessments.models import (
    RespondentCode,
    Response,
    Round,
    RoundGroup,
)
from platsa.assessments.services import (
    SurveyAnswer,
    SurveyError,
    code_lookup,
    device_hash,
    normal_code,
    response_delete,
    response_export,
    response_for_device,
    response_submit,
)
from platsa.processes.kinds import Feature
from platsa.processes.models import process_allows
from platsa.web import pagecache
from platsa.web.downloads import json_download, no_store
from platsa.web.language import chosen_language, remember_language
from platsa.web.limits import small_form_post
from platsa.web.ratelimit import hit

DEVICE_COOKIE = "platsa_device"
DEVICE_MAX_AGE = 400 * 24 * 3600
CODE_COOKIE = "platsa_code_{pk}"
CODE_ATTEMPT_RATE = "30/600"  # wrong codes per client and round


def _lang() -> str:
    return (get_language() or "sv")[:2]


def _round(key: str) -> Round:
    # The snapshot is parsed once per process (Round.framework); it is loaded only then.
    return get_object_or_404(
        Round.objects.defer("framework_snapshot").select_related("process__place"), survey_key=key
    )


_GROUPS: dict[tuple[int, object], list[RoundGroup]] = {}


def _groups(round_: Round) -> list[RoundGroup]:
    """The round's groups, read once per version of the round: every change to them moves
    ``changed_at`` (services and the admin), and a busy survey asks for them on every answer."""
    key = (round_.pk, round_.changed_at)
    groups = _GROUPS.get(key)
    if groups is None:
        if len(_GROUPS) > 256:  # one entry per round in use; old versions just go
            _GROUPS.clear()
        groups = _GROUPS[key] = list(round_.groups.all())
    return groups


def _device_token(request: HttpRequest) -> tuple[str, bool]:
    """The device cookie's random token, and whether it is new (to be set on the response)."""
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    if len(token) == 43 and token.replace("-", "").replace("_", "").isalnum():
        return token, False
    return secrets.token_urlsafe(32), True


def _set_device(response: HttpResponse, token: str) -> None:
    response.set_cookie(
        DEVICE_COOKIE,
        token,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def _current_code(request: HttpRequest, round_: Round) -> RespondentCode | None:
    try:
        value = request.get_signed_cookie(CODE_COOKIE.format(pk=round_.pk), salt="platsa-code")
    except (KeyError, BadSignature):
        return None
    return RespondentCode.objects.filter(round=round_, code=value).first()


def _closed(request: HttpRequest, round_: Round, status: int = 200) -> HttpResponse:
    not_yet = round_.status == Round.Status.DRAFT or bool(
        round_.opens_at and timezone.now() < round_.opens_at
    )
    return render(
        request,
        "assessments/survey_closed.html",
        {"round": round_, "not_yet": not_yet},
        status=status,
    )


def _own_response(
    request: HttpRequest, round_: Round
) -> tuple[Response | None, RespondentCode | None, str]:
    """The response this device (or, in rounds with codes, this code) already gave, the code,
    and the device hash. In rounds with codes the code alone identifies a respondent, so that
    people taking turns on one phone never see or change each other's answers."""
    if round_.requires_code:
        code = _current_code(request, round_)
        if code is None:
            return None, None, ""
        existing = (
            Response.objects.filter(round=round_, code=code).prefetch_related("comments").first()
        )
        return existing, code, ""
    token = request.COOKIES.get(DEVICE_COOKIE, "")
    device = device_hash(token, round_) if token else ""
    return response_for_device(round_, device), None, device


log = logging.getLogger(__name__)
SUBMISSION_PLACEHOLDER = "00000000-0000-4000-8000-00000000c0de"  # a UUID, so the form renders


def _survey_page_key(
    round_id: int, changed_at: object, place_changed_at: object, language: str
) -> str:
    """What the blank survey shows: the round (settings, groups), the place's name, the
    language. Any of these changing makes a new key (services stamp ``changed_at``)."""
    return "survey:" + pagecache.digest(
        round_id,
        pagecache.stamp(changed_at),
        pagecache.stamp(place_changed_at),
        language,
        pagecache.build_id(),
    )


# The survey's common case (someone opens the link for the first time) in one light query:
# building the ORM's query took longer than everything else in the request.
GATE_SQL = """
SELECT r.id, pr.kind, pr.phase, pr.opens_at, pr.closes_at, r.requires_code, pr.changed_at,
  p.changed_at
FROM assessments_round r JOIN processes_process pr ON pr.id = r.process_id
  JOIN places_place p ON p.id = pr.place_id
WHERE r.survey_key = %s
"""


def _blank_survey_from_cache(request: HttpRequest, key: str) -> HttpResponse | None:
    """A first visit to an open survey, served from the page cache; None when the full path
    must run (a round with codes, a closed round, a page not in the cache yet)."""
    if not pagecache.eligible(request):
        return None
    row = pagecache.gate_row(GATE_SQL, [key])
    if row is None:
        return None
    round_id, kind, phase, opens_at, closes_at, requires_code, changed_at, place_changed_at = row
    opens_at, closes_at = _aware(opens_at), _aware(closes_at)
    if requires_code or not process_allows(kind, phase, opens_at, closes_at, Feature.RESPOND):
        return None
    page = pagecache.cached(_survey_page_key(round_id, changed_at, place_changed_at, _lang()))
    if page is None:
        return None
    result = pagecache.respond(request, page, shared=False, fills=SUBMISSION_FILL)
    token, _new = _device_token(request)
    _set_device(result, token)
    return result


def _aware(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


SUBMISSION_FILL = {SUBMISSION_PLACEHOLDER: lambda _request: str(uuid.uuid4())}


@small_form_post
def survey(request: HttpRequest, key: str) -> HttpResponse:
    if request.method == "GET" and DEVICE_COOKIE not in request.COOKIES:
        fast = _blank_survey_from_cache(request, key)
        if fast is not None:
            return fast
    round_ = _round(key)
    if not round_.accepts_responses():
        return _closed(request, round_)
    language = _lang()
    if round_.requires_code:
        code = _current_code(request, round_)
        supplied = request.GET.get("code", "")
        if code is None or (supplied and normal_code(supplied) != code.code):
            return _code_entry(request, round_)  # no code yet, or another person's letter
    token, new_token = _device_token(request)
    fw = round_.framework

    if request.method == "POST" and "switch_language" in request.POST:
        return _switch_language(request, round_)
    if request.method == "POST":
        result = _submit(request, round_, token, new_token, language)
    else:
        existing, _code, _device = _own_response(request, round_)
        if existing is None:
            # A new answer: the same page for everyone, from the cache, with this visitor's
            # CSRF token and a fresh submission id spliced in.
            result = pagecache.serve(
                request,
                _survey_page_key(round_.pk, round_.changed_at, round_.place.changed_at, language),
                lambda for_cache: _render_survey(
                    request,
                    round_,
                    SurveyForm(
                        initial={
                            "submission_id": SUBMISSION_PLACEHOLDER if for_cache else uuid.uuid4()
                        },
                        framework=fw,
                        groups=_groups(round_),
                        language=language,
                    ),
                    extra=pagecache.page_context(for_cache),
                ),
                shared=False,
                fills=SUBMISSION_FILL,
            )
        else:
            form = SurveyForm(
                initial=SurveyForm.initial_from_response(fw, existing),
                framework=fw,
                groups=_groups(round_),
                language=language,
            )
            result = pagecache.render_for_visitor(
                _render_survey(request, round_, form, editing=True)
            )
    if new_token:
        _set_device(result, token)
    return result


def _submit(
    request: HttpRequest, round_: Round, token: str, new_token: bool, language: str
) -> HttpResponse:
    """Store the answer, or show the form again with what needs fixing (nothing lost)."""
    if not hit(request, f"survey:{round_.pk}", settings.PLATSA_SURVEY_RATE):
        return render(
            request, "assessments/survey_rate_limited.html", {"round": round_}, status=429
        )
    existing, code, device = _own_response(request, round_)
    if new_token and not round_.requires_code:
        device = device_hash(token, round_)
    groups = _groups(round_)
    form = SurveyForm(request.POST, framework=round_.framework, groups=groups, language=language)
    if not form.is_valid():
        return _render_survey(request, round_, form, editing=existing is not None, status=400)
    answer = SurveyAnswer(
        group_key=form.cleaned_data["group"],
        values=form.answer_values(),
        age_band=form.cleaned_data.get("age_band") or "",
        priorities=form.cleaned_data.get("priorities") or [],
        comments=form.comments(),
        language=language,
    )
    try:
        response_submit(
            round_=round_,
            group=next(g for g in groups if g.key == answer.group_key),
            answer=answer,
            submission_id=form.cleaned_data["submission_id"],
            device=device,
            code=code,
            new_device=new_token,
        )
    except SurveyError as exc:
        if exc.code == "closed":
            return _closed(request, round_)
        raise
    except OperationalError:
        # The database could not take the write in time (on SQLite: a large import holding
        # the write lock longer than the busy timeout). The answer must not be lost to an
        # error page: the same form comes back filled in, with the same submission id, so
        # pressing the button again stores it once.
        log.warning("Survey answer not stored for round %s: the database was busy", round_.pk)
        again = SurveyForm(
            initial=SurveyForm.initial_from_data(round_.framework, request.POST, groups),
            framework=round_.framework,
            groups=groups,
            language=language,
        )
        return _render_survey(
            request, round_, again, editing=existing is not None, status=503, extra={"busy": True}
        )
    return HttpResponseRedirect(reverse("survey:thanks", args=[round_.survey_key]))


def _switch_language(request: HttpRequest, round_: Round) -> HttpResponse:
    """The language button inside the survey: the same form in the other language, with
    every answer given so far kept (nothing is stored until the answer is sent)."""
    code = chosen_language(request.POST.get("switch_language", ""))
    translation.activate(code)
    request.LANGUAGE_CODE = code
    groups = _groups(round_)
    form = SurveyForm(
        initial=SurveyForm.initial_from_data(round_.framework, request.POST, groups),
        framework=round_.framework,
        groups=groups,
        language=code,
    )
    existing, _code, _device = _own_response(request, round_)
    result = remember_language(
        _render_survey(request, round_, form, editing=existing is not None), code
    )
    result["Content-Language"] = code
    return pagecache.render_for_visitor(result)


def _render_survey(
    request: HttpRequest,
    round_: Round,
    form: SurveyForm,
    *,
    editing: bool = False,
    status: int = 200,
    extra: dict | None = None,
) -> HttpResponse:
    fw = round_.framework
    language = form.language
    described = len(fw.scale.labels) == len(fw.scale.values)
    return render(
        request,
        "assessments/survey.html",
        {
            "round": round_,
            "form": form,
            "framework": fw,
            "themes": form.themes_with_fields(),
            "editing": editing,
            "scale_labels": {str(v): fw.scale.label_for(v, language) for v in fw.scale.values},
            # A scale that describes every level (a maturity scale) shows them all once, and
            # under each statement only the ends' names ("Inte påbörjat", "Ledande").
            "scale_low": _end(fw.scale.label_for(fw.scale.min, language), described),
            "scale_high": _end(fw.scale.label_for(fw.scale.max, language), described),
            "scale_key": [(v, fw.scale.label_for(v, language)) for v in fw.scale.values]
            if described
            else [],
            "scale_points": len(fw.scale.values),
            "other_language": "en" if language == "sv" else "sv",
            **(extra or {}),
        },
        status=status,
    )


def _end(label: str, short: bool) -> str:
    """A scale end's label; ``short``: only its name, before the colon."""
    return label.split(":")[0].strip() if short else label


def _code_entry(request: HttpRequest, round_: Round) -> HttpResponse:
    """Rounds with one-time codes: ask for the code (or take it from the letter's QR link)."""
    supplied = request.POST.get("code") if request.method == "POST" else request.GET.get("code")
    form = CodeEntryForm(request.POST if request.method == "POST" else None)
    if supplied:
        code = code_lookup(round_, supplied)
        if code is not None:  # a used code re-enters its own answer to edit it
            result = redirect("survey:form", key=round_.survey_key)
            result.set_signed_cookie(
                CODE_COOKIE.format(pk=round_.pk),
                code.code,
                salt="platsa-code",
                max_age=DEVICE_MAX_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return result
        # Only wrong codes count: a village hall's Wi-Fi shows every phone there as one
        # client, and 40 people with their own letters must all get in; guessing stays
        # hopeless at this rate (32^8 codes).
        if not hit(request, f"code:{round_.pk}", CODE_ATTEMPT_RATE):
            return render(
                request, "assessments/survey_rate_limited.html", {"round": round_}, status=429
            )
        form = CodeEntryForm({"code": supplied})
        form.is_valid()
        form.add_error("code", _code_error())
    return render(
        request, "assessments/survey_code.html", {"round": round_, "form": form}, status=200
    )


def _code_error() -> str:
    from django.utils.translation import gettext

    return gettext("That code is not valid for this survey. Check the letter and try again.")


def thanks(request: HttpRequest, key: str) -> HttpResponse:
    round_ = _round(key)
    existing, _code, _device = _own_response(request, round_)
    return no_store(
        render(
            request,
            "assessments/survey_thanks.html",
            {"round": round_, "response": existing, "open": round_.accepts_responses()},
        )
    )  # it says whether this device answered


@require_POST
@small_form_post
def delete_own(request: HttpRequest, key: str) -> HttpResponse:
    """The respondent deletes their own answer (GDPR art. 17)."""
    round_ = _round(key)
    existing, _code, _device = _own_response(request, round_)
    if existing is not None:
        response_delete(round_=round_, response=existing)
    return render(request, "assessments/survey_deleted.html", {"round": round_})


def export_own(request: HttpRequest, key: str) -> HttpResponse:
    """The respondent downloads what is stored about their answer (GDPR art. 15 and 20)."""
    round_ = _round(key)
    existing, _code, _device = _own_response(request, round_)
    data = response_export(existing) if existing else {"stored": None}
    return json_download(data, "mitt-svar.json")


@require_POST
@small_form_post
def new_respondent(request: HttpRequest, key: str) -> HttpResponse:
    """A shared device (a tablet at a meeting): forget this device so the next person starts
    a new answer. The earlier answer stays stored."""
    round_ = _round(key)
    result = redirect("survey:form", key=key)
    result.delete_cookie(DEVICE_COOKIE, samesite="Lax")
    result.delete_cookie(CODE_COOKIE.format(pk=round_.pk), samesite="Lax")
    return result
