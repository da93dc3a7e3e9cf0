"""Writes for rounds and responses: one function per action, each validating what it writes.

Views call these and nothing else to change data; database constraints back them up (a
resent form, a second tab or a double tap cannot store a response twice).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from platsa.assessments import snapshots
from platsa.assessments.kind import ASSESSMENT
from platsa.assessments.models import (
    EARLIER_SUBMISSIONS_KEPT,
    Comment,
    ImportBatch,
    RespondentCode,
    Response,
    ResultSnapshot,
    Round,
    RoundGroup,
)
from platsa.core.io.encoding import encode, encode_matrix
from platsa.core.io.importer import (
    ImportedResponses,
    ImportErrorCode,
    ImportIssue,
    ImportValidationError,
)
from platsa.core.schema.frameworks import Framework
from platsa.places.models import Place
from platsa.processes.models import Process
from platsa.processes.services import (
    process_create,
    process_set_phase,
    process_set_public,
    process_update,
    signed_in,
)

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are typed from paper


class SurveyError(ValueError):
    """The survey cannot take this answer now; ``code`` names the reason for the page."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class GroupSpec:
    key: str
    label_sv: str
    label_en: str = ""
    side: str = "other"


@dataclass
class SurveyAnswer:
    """One respondent's answers from the survey form, already validated."""

    group_key: str
    values: list[int | str | None]  # per question: rating, "?" (don't know) or None
    age_band: str = ""
    priorities: list[str] = field(default_factory=list)
    comments: dict[tuple[str, str], str] = field(default_factory=dict)  # (theme, kind) -> text
    language: str = ""


def device_hash(device_token: str, round_: Round) -> str:
    """A keyed hash of the device cookie, per round: recognises the device's own response
    without storing anything that links it to other rounds or to a person."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{round_.pk}:{device_token}".encode(), hashlib.sha256).hexdigest()


# --- rounds ------------------------------------------------------------------------------


def default_groups(framework: Framework) -> list[GroupSpec]:
    return [GroupSpec(g.id, g.label.sv, g.label.en, g.side) for g in framework.groups]


@transaction.atomic
def round_create(
    *,
    place: Place,
    user: object,
    name: str,
    framework: Framework,
    groups: Sequence[GroupSpec],
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    requires_code: bool = False,
    open_now: bool = False,
    parent: Process | None = None,
) -> Round:
    """A new round: a process of the assessment kind with its questionnaire and groups
    (inside ``parent`` when it is a municipality's round of a mapping)."""
    if not groups:
        raise SurveyError("no_groups")
    process = process_create(
        place=place,
        kind=ASSESSMENT.id,
        title=name,
        user=user,
        phase=Round.Status.OPEN if open_now else Round.Status.DRAFT,
        opens_at=opens_at,
        closes_at=closes_at,
        slug_fallback="omgang",
        parent=parent,
    )
    round_ = Round.objects.create(
        process=process,
        framework_id=framework.id,
        framework_version=framework.version,
        framework_snapshot=framework.model_dump(mode="json"),
        requires_code=requires_code,
    )
    RoundGroup.objects.bulk_create(
        [
            RoundGroup(
                round=round_,
                key=g.key,
                label_sv=g.label_sv,
                label_en=g.label_en,
                side=g.side,
                order=i,
            )
            for i, g in enumerate(groups)
        ]
    )
    return round_


def round_touch(round_id: int) -> None:
    """Mark a round's pages as changed (a cache key part): every write that changes what its
    survey or results pages show calls this, except giving or editing an answer, which
    stamps the answer's own ``updated_at`` instead (no write to a row every answer shares)."""
    Process.objects.filter(round__pk=round_id).update(changed_at=timezone.now())


@transaction.atomic
def round_set_status(*, round_: Round, status: str, actor: object = None) -> Round:
    """Open or close the survey (the kind's phases: draft -> open <-> closed). Closing
    freezes the results, unless the newest frozen version already holds these answers."""
    process_set_phase(process=round_.process, phase=Round.Status(status), actor=actor)
    if status == Round.Status.CLOSED:
        snapshots.results_freeze(
            round_, reason=ResultSnapshot.Reason.CLOSED, actor=actor, if_changed=True
        )
    return round_


@transaction.atomic
def round_publish(*, round_: Round, public: bool, actor: object = None) -> Round:
    """Publish the aggregated results (or take them down). Publishing freezes them: the
    public page shows that frozen version until the organiser runs it again."""
    process_set_public(process=round_.process, public=public, actor=actor)
    if public:
        snapshots.results_freeze(
            round_, reason=ResultSnapshot.Reason.PUBLISHED, actor=actor, if_changed=True
        )
    return round_


def round_rerun(*, round_: Round, actor: object = None) -> ResultSnapshot:
    """Run the results and recommendations again on purpose (a new catalogue, new answers
    since the round was published): a new frozen version; the earlier ones are kept."""
    snapshot = snapshots.results_freeze(
        round_, reason=ResultSnapshot.Reason.RERUN, actor=actor, if_unchanged_keep=True
    )
    round_touch(round_.pk)
    return snapshot


@transaction.atomic
def round_update(
    *,
    round_: Round,
    actor: object = None,
    name: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    public: bool,
) -> Round:
    """Save the round's settings: name, open period and publication."""
    process_update(
        process=round_.process, actor=actor, title=name, opens_at=opens_at, closes_at=closes_at
    )
    return round_publish(round_=round_, public=public, actor=actor)


@transaction.atomic
def round_groups_update(*, round_: Round, groups: Sequence[GroupSpec]) -> None:
    """Rename, add and remove groups. A group that has responses cannot be removed."""
    keep = {g.key for g in groups}
    removed = round_.groups.exclude(key__in=keep)
    if Response.objects.filter(group__in=removed).exists():
        raise SurveyError("group_has_responses")
    removed.delete()
    round_touch(round_.pk)
    for order, spec in enumerate(groups):
        RoundGroup.objects.update_or_create(
            round=round_,
            key=spec.key,
            defaults={
                "label_sv": spec.label_sv,
                "label_en": spec.label_en,
                "side": spec.side,
                "order": order,
            },
        )


# --- survey responses ------------------------------------------------------------------------


def _comments_for(response: Response, answer: SurveyAnswer) -> list[Comment]:
    return [
        Comment(round_id=response.round_id, response=response, theme_id=theme, kind=kind, text=text)
        for (theme, kind), text in answer.comments.items()
        if text
    ]


def _sync_comments(response: Response, answer: SurveyAnswer) -> None:
    """Keep unchanged comments (and their moderation); changed ones go back to review."""
    existing = {(c.theme_id, c.kind): c for c in response.comments.all()}
    wanted = {k: v for k, v in answer.comments.items() if v}
    stale = [c.pk for k, c in existing.items() if wanted.get(k) != c.text]
    if stale:
        Comment.objects.filter(pk__in=stale).delete()
    new = [
        Comment(round_id=response.round_id, response=response, theme_id=theme, kind=kind, text=text)
        for (theme, kind), text in wanted.items()
        if (theme, kind) not in existing or existing[(theme, kind)].text != text
    ]
    Comment.objects.bulk_create(new)


def response_submit(
    *,
    round_: Round,
    answer: SurveyAnswer,
    submission_id: uuid.UUID,
    device: str = "",
    code: RespondentCode | None = None,
    group: RoundGroup | None = None,
    new_device: bool = False,
) -> tuple[Response, bool]:
    """Store or update a survey answer; returns ``(response, created)``.

    - The same ``submission_id`` again (double tap, resend) returns the stored response.
    - The same device (or the same one-time code) updates its earlier response.
    - Closed rounds, and dates outside the open period, refuse with ``SurveyError("closed")``.

    ``new_device`` says the device cookie was made by this very request, so the device can
    have no earlier answer: the answer is inserted at once and only a resend (the unique
    submission id) can collide. That is the common case, kept to a single statement.
    """
    if not round_.accepts_responses():
        raise SurveyError("closed")
    if round_.requires_code and code is None:
        raise SurveyError("code_required")
    if group is None or group.key != answer.group_key or group.round_id != round_.pk:
        group = round_.groups.filter(key=answer.group_key).first()
    if group is None:
        raise SurveyError("unknown_group")
    now = timezone.now()
    fields = {
        "group": group,
        "age_band": answer.age_band,
        "answers": encode(answer.values, round_.framework.scale.min),
        "priorities": ",".join(answer.priorities),
        "language": answer.language[:8],
        "updated_at": now,
        "submission_id": submission_id,
    }
    try:
        if new_device and code is None:
            return _response_create(round_, answer, fields, device=device, code=None, now=now), True
        with transaction.atomic():
            # One query finds both a resend (same submission) and this respondent's earlier answer.
            mine = (
                Q(code=code)
                if code is not None
                else Q(device_hash=device)
                if device
                else Q(pk__in=[])
            )
            found = list(
                Response.objects.filter(Q(submission_id=submission_id) | mine, round=round_)
            )
            earlier = next((r for r in found if r.submission_id == submission_id), None)
            if earlier is not None:
                return earlier, False
            if found:
                current = found[0]
                sent_before = current.earlier_submissions.split(",")
                if submission_id.hex in sent_before:
                    return current, False  # a late resend of an older form: keep the edit
                if current.submission_id:
                    sent_before = [current.submission_id.hex, *sent_before]
                fields["earlier_submissions"] = ",".join(
                    [s for s in sent_before if s][:EARLIER_SUBMISSIONS_KEPT]
                )
                for name, value in fields.items():
                    setattr(current, name, value)
                current.save()
                _sync_comments(current, answer)
                return current, False
            return _response_create(round_, answer, fields, device=device, code=code, now=now), True
    except IntegrityError:
        # Two requests raced (a double tap on a slow line, a resend): the other one stored it.
        stored = Response.objects.filter(round=round_, submission_id=submission_id).first()
        if stored is None and code is not None:
            stored = Response.objects.filter(round=round_, code=code).first()
        elif stored is None and device:
            stored = Response.objects.filter(round=round_, device_hash=device).first()
        if stored is None:
            raise
        return stored, False


def _response_create(
    round_: Round,
    answer: SurveyAnswer,
    fields: dict,
    *,
    device: str,
    code: RespondentCode | None,
    now: datetime,
) -> Response:
    """Insert a new response with its comments, atomically (one statement when it has none)."""
    comments = [(theme, kind, text) for (theme, kind), text in answer.comments.items() if text]

    def insert() -> Response:
        return Response.objects.create(
            round=round_,
            source=Response.Source.WEB,
            device_hash=device,
            code=code,
            created_at=now,
            **fields,
        )

    if not comments and code is None and not transaction.get_connection().in_atomic_block:
        return insert()  # autocommit: a single INSERT is atomic by itself
    # Otherwise a transaction (or a savepoint, inside one) so that a collision or a failed
    # comment leaves nothing half-stored and the caller's transaction usable.
    with transaction.atomic():
        response = insert()
        Comment.objects.bulk_create(_comments_for(response, answer))
        if code is not None:
            RespondentCode.objects.filter(pk=code.pk).update(used_at=now)
    return response


def response_for_device(round_: Round, device: str) -> Response | None:
    if not device:
        return None
    return (
        Response.objects.filter(round=round_, device_hash=device)
        .prefetch_related("comments")
        .first()
    )


def response_delete(*, round_: Round, response: Response) -> None:
    """A respondent removes their own answer and its comments, at any time: the right to
    erasure does not end when the round closes."""
    if response.round_id != round_.pk:
        raise SurveyError("not_found")
    if response.code_id:
        RespondentCode.objects.filter(pk=response.code_id).update(used_at=None)
    response.delete()
    round_touch(round_.pk)


def response_export(response: Response) -> dict:
    """Everything stored about one response, for the respondent's own copy (GDPR art. 15)."""
    fw = response.round.framework
    from platsa.core.io.encoding import decode_one

    values = decode_one(response.answers, fw.scale.min)
    return {
        "round": response.round.name,
        "place": response.round.place.name,
        "group": response.group.label_sv if response.group else None,
        "age_band": response.age_band or None,
        "answers": {
            q: ("don't know" if v == "?" else v)
            for q, v in zip(fw.question_ids, values, strict=True)
        },
        "priorities": [p for p in response.priorities.split(",") if p],
        "comments": [
            {"theme": c.theme_id, "kind": c.kind, "text": c.text} for c in response.comments.all()
        ],
        "created_at": response.created_at.isoformat(),
        "updated_at": response.updated_at.isoformat(),
        "stored_about_you": "No name, e-mail or IP address is stored; only a keyed hash of a "
        "random cookie so this device can edit its own answer.",
    }


# --- respondent codes ------------------------------------------------------------------------


def codes_generate(*, round_: Round, count: int) -> list[RespondentCode]:
    """``count`` new one-time codes (8 characters, grouped 4-4 for reading aloud)."""
    if not 1 <= count <= 5000:
        raise SurveyError("code_count")
    made: list[RespondentCode] = []
    while len(made) < count:
        batch = []
        for _ in range(count - len(made)):
            raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
            batch.append(RespondentCode(round=round_, code=f"{raw[:4]}-{raw[4:]}"))
        codes = {c.code for c in batch}
        taken = set(RespondentCode.objects.filter(code__in=codes).values_list("code", flat=True))
        fresh = [c for c in batch if c.code not in taken]
        made += RespondentCode.objects.bulk_create(fresh)
    return made


def normal_code(text: str) -> str:
    """A code as typed ("k7wp 3mxh") in its stored form ("K7WP-3MXH"); "" if it cannot be one."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    return f"{cleaned[:4]}-{cleaned[4:]}" if len(cleaned) == 8 else ""


def code_lookup(round_: Round, text: str) -> RespondentCode | None:
    code = normal_code(text)
    return RespondentCode.objects.filter(round=round_, code=code).first() if code else None


# --- import of paper answers ----------------------------------------------------------------


@transaction.atomic
def import_apply(
    *,
    round_: Round,
    user: object,
    imported: ImportedResponses,
    filename: str,
    source: str = Response.Source.PAPER,
) -> ImportBatch:
    """Store validated paper answers, all or nothing. A form number already imported to the
    round is an error (the same file uploaded twice), reported by row like any other."""
    refs = [r for r in imported.respondents if r]
    taken = set(
        Response.objects.filter(round=round_, respondent_ref__in=refs).values_list(
            "respondent_ref", flat=True
        )
    )
    if taken:
        issues = [
            ImportIssue(
                ImportErrorCode.RESPONDENT_EXISTS,
                imported.row_numbers[i],
                "respondent",
                None,
                {"value": ref},
            )
            for i, ref in enumerate(imported.respondents)
            if ref in taken
        ]
        raise ImportValidationError(issues[:200], len(issues))
    rs = imported.responses
    fw = rs.framework
    groups = {g.key: g for g in round_.groups.all()}
    group_keys = [rs.groups[i].key if i >= 0 else None for i in rs.group]
    ages = [fw.age_bands[i].id if i >= 0 else "" for i in rs.age_band]
    theme_ids = fw.theme_ids
    encoded = encode_matrix(rs.values, rs.dont_know, fw.scale.min)
    batch = ImportBatch.objects.create(
        round=round_, filename=filename[:200], rows=rs.n, uploaded_by=signed_in(user)
    )
    now = timezone.now()
    responses = Response.objects.bulk_create(
        [
            Response(
                round=round_,
                group=groups.get(key) if (key := group_keys[i]) else None,
                age_band=ages[i],
                answers=encoded[i],
                priorities=",".join(
                    t for t, on in zip(theme_ids, rs.priorities[i], strict=True) if on
                ),
                source=source,
                respondent_ref=imported.respondents[i],
                import_batch=batch,
                created_at=now,
                updated_at=now,
            )
            for i in range(rs.n)
        ],
        batch_size=500,
    )
    Comment.objects.bulk_create(
        [
            Comment(
                round=round_,
                response=responses[c.respondent],
                theme_id=c.theme_id,
                kind=c.kind,
                text=c.text,
            )
            for c in rs.comments
        ],
        batch_size=500,
    )
    round_touch(round_.pk)
    return batch


def import_undo(*, round_: Round, batch_id: int) -> int:
    """Remove an imported file's responses; returns how many."""
    batch = ImportBatch.objects.filter(round=round_, pk=batch_id).first()
    if batch is None:
        raise SurveyError("not_found")
    count = batch.rows
    batch.delete()
    round_touch(round_.pk)
    return count


def comment_delete(*, round_: Round, comment_id: int) -> None:
    """Delete a comment for good (e.g. it names a person who asked to be removed)."""
    deleted, _ = Comment.objects.filter(round=round_, pk=comment_id).delete()
    if not deleted:
        raise SurveyError("not_found")
    round_touch(round_.pk)


def response_erase(
    *, round_: Round, response_id: int | None = None, respondent_ref: str = ""
) -> int:
    """An organiser erases one response with its comments: found by id (from one of its
    comments) or by the number of the paper form. Returns how many were erased (0 or 1)."""
    responses = Response.objects.filter(round=round_)
    if response_id is not None:
        responses = responses.filter(pk=response_id)
    elif respondent_ref.strip():
        responses = responses.filter(respondent_ref=respondent_ref.strip())
    else:
        return 0
    response = responses.first()
    if response is None:
        return 0
    response_delete(round_=round_, response=response)
    return 1


def comment_set_status(*, round_: Round, comment_id: int, status: str) -> Comment:
    comment = Comment.objects.filter(round=round_, pk=comment_id).first()
    if comment is None:
        raise SurveyError("not_found")
    comment.status = Comment.Status(status)
    comment.save(update_fields=["status"])
    round_touch(round_.pk)
    return comment


def comments_set_status(
    *,
    round_: Round,
    status: str,
    comment_ids: Sequence[int] | None = None,
    theme_id: str = "",
    from_status: str = "",
) -> int:
    """Approve or hide many comments at once: those listed, or (``comment_ids=None``) every
    comment of the round on ``theme_id`` now in ``from_status`` (either may be empty: all).
    Returns how many changed."""
    target = Comment.Status(status)
    comments = Comment.objects.filter(round=round_).exclude(status=target)
    if comment_ids is not None:
        comments = comments.filter(pk__in=list(comment_ids))
    if theme_id:
        comments = comments.filter(theme_id=theme_id)
    if from_status:
        comments = comments.filter(status=Comment.Status(from_status))
    changed = comments.update(status=target)
    if changed:
        round_touch(round_.pk)
    return changed
