"""The writes of open innovation, one function each: they validate, write, keep the counts
on the idea in step with the rows they count, write the moderation log, and mark what the
public pages show as changed (their cache keys read the stamps).

Counts are changed with ``F()`` in the transaction that adds or removes the counted row,
and only when a row was really added or removed, so a double click or fifty requests at once
never count twice (the unique constraints refuse the second row).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Model, Q
from django.utils import timezone

from platsa.accounts.models import User
from platsa.core.io.images import ImageRefused, reencode_image
from platsa.core.render.markdown_safe import TextTooLong, render_markdown
from platsa.innovation.models import (
    BODY_MAX,
    COMMENT_MAX,
    IMAGE_MAX_BYTES,
    POST_MAX,
    REASON_MAX,
    THEMES_MAX,
    TITLE_MAX,
    Challenge,
    Comment,
    FeedPost,
    Follow,
    Idea,
    Image,
    Innovation,
    Like,
    ModerationEntry,
    Moderator,
    Pledge,
    Profile,
    Report,
    Stop,
    Support,
    Theme,
    Visibility,
)
from platsa.innovation.text import clean_line, clean_text
from platsa.places.models import Area, Place
from platsa.places.selectors import area_holds
from platsa.processes.models import Process
from platsa.processes.services import process_create, process_touch

# Themes a new process starts with (the organisers rename, add and remove them).
DEFAULT_THEMES = (
    "Boende",
    "Arbete och företag",
    "Resor och kommunikationer",
    "Service och handel",
    "Digitalisering",
    "Natur, kultur och fritid",
    "Gemenskap och inflyttning",
)
PLEDGE_MONEY_MAX = 100_000_000
PLEDGE_HOURS_MAX = 10_000


class InnovationError(ValueError):
    """A write that cannot be done; ``code`` names the reason for the message shown."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _now() -> Any:
    return timezone.now()


def ideas_touch(process_id: int) -> None:
    """The idea lists of the process changed (a part of their cache keys)."""
    Innovation.objects.filter(process_id=process_id).update(ideas_changed_at=_now())


def idea_touch(idea_id: int, process_id: int) -> None:
    Idea.objects.filter(pk=idea_id).update(changed_at=_now())
    ideas_touch(process_id)


def _markdown(text: str, limit: int) -> tuple[str, str]:
    body = clean_text(text)
    if not body:
        raise InnovationError("empty")
    if len(body) > limit:
        raise InnovationError("too_long", limit=limit)
    try:
        return body, render_markdown(body, max_chars=limit)
    except TextTooLong:
        raise InnovationError("too_long", limit=limit) from None


def _title(text: str) -> str:
    title = clean_line(text)
    if len(title) < 3:
        raise InnovationError("title_short")
    if len(title) > TITLE_MAX:
        raise InnovationError("title_long", limit=TITLE_MAX)
    return title


def image_store(data: bytes, user: User | None) -> Image:
    """Re-encode an upload (no metadata, bounded size) and keep it."""
    if len(data) > IMAGE_MAX_BYTES:
        raise InnovationError("image_too_large")
    try:
        clean = reencode_image(data, max_bytes=IMAGE_MAX_BYTES)
    except ImageRefused as refused:
        raise InnovationError(f"image_{refused.code}") from None
    return Image.objects.create(
        data=clean.data,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        uploaded_by=user,
    )


def _own_image(image_id: int | None, user: User) -> Image | None:
    """A picture ``user`` uploaded and no idea or post uses yet."""
    if image_id is None:
        return None
    return Image.objects.filter(
        pk=image_id, uploaded_by=user, idea__isnull=True, feedpost__isnull=True
    ).first()


# --- the process -------------------------------------------------------------------------


@transaction.atomic
def innovation_create(*, place: Place, title: str, user: User, intro: str = "") -> Innovation:
    """A new open-innovation process of ``place``, with the default themes."""
    process = process_create(
        place=place, kind="innovation", title=_title(title), user=user, slug_fallback="ideer"
    )
    innovation = Innovation.objects.create(process=process, intro=clean_text(intro)[:BODY_MAX])
    Theme.objects.bulk_create(
        Theme(process=process, name=name, position=i) for i, name in enumerate(DEFAULT_THEMES)
    )
    return innovation


@transaction.atomic
def innovation_update(
    *,
    innovation: Innovation,
    actor: User,
    intro: str,
    hold_first_posts: bool,
    moderation_policy: str,
) -> Innovation:
    innovation.intro = clean_text(intro)[:BODY_MAX]
    innovation.hold_first_posts = hold_first_posts
    innovation.moderation_policy = clean_text(moderation_policy)[:BODY_MAX]
    innovation.save(update_fields=["intro", "hold_first_posts", "moderation_policy"])
    process_touch(innovation.process_id)
    ideas_touch(innovation.process_id)
    return innovation


@transaction.atomic
def themes_set(*, process: Process, names: list[str]) -> list[Theme]:
    """The process's themes, in order: kept by name (their ties stay), new ones added, the
    rest removed (ideas tied to a removed theme lose only that tie)."""
    wanted: list[str] = []
    for raw in names:
        name = clean_line(raw)[:60]
        if name and name.casefold() not in {w.casefold() for w in wanted}:
            wanted.append(name)
    if not wanted:
        raise InnovationError("no_themes")
    if len(wanted) > THEMES_MAX:
        raise InnovationError("too_many_themes", limit=THEMES_MAX)
    existing = {t.name.casefold(): t for t in Theme.objects.filter(process=process)}
    keep: list[Theme] = []
    for position, name in enumerate(wanted):
        theme = existing.pop(name.casefold(), None)
        if theme is None:
            theme = Theme.objects.create(process=process, name=name, position=position)
        elif theme.position != position or theme.name != name:
            theme.position, theme.name = position, name
            theme.save(update_fields=["position", "name"])
        keep.append(theme)
    Theme.objects.filter(pk__in=[t.pk for t in existing.values()]).delete()
    process_touch(process.pk)
    ideas_touch(process.pk)
    return keep


@transaction.atomic
def stop_save(
    *,
    process: Process,
    municipality: Area,
    title: str,
    starts_on: date,
    ends_on: date,
    description: str = "",
    stop: Stop | None = None,
) -> Stop:
    """Add a journey stop, or change one."""
    if municipality.kind != Area.Kind.MUNICIPALITY:
        raise InnovationError("not_municipality")
    if ends_on < starts_on:
        raise InnovationError("dates_reversed")
    stop = stop or Stop(process=process)
    stop.municipality = municipality
    stop.title = _title(title)
    stop.starts_on, stop.ends_on = starts_on, ends_on
    stop.description = clean_text(description)[:2000]
    stop.save()
    process_touch(process.pk)
    return stop


@transaction.atomic
def stop_remove(*, stop: Stop) -> None:
    process_id = stop.process_id
    stop.delete()
    process_touch(process_id)
    ideas_touch(process_id)


@transaction.atomic
def moderator_add(*, process: Process, email: str) -> Moderator:
    user = User.objects.filter(email=email.strip().lower()).first()
    if user is None:
        raise InnovationError("no_such_account")
    moderator, _created = Moderator.objects.get_or_create(process=process, user=user)
    return moderator


# --- challenges --------------------------------------------------------------------------


@transaction.atomic
def challenge_save(
    *,
    process: Process,
    title: str,
    owner_name: str,
    owner_kind: str,
    problem: str,
    story: str = "",
    help_wanted: list[str] | None = None,
    themes: list[Theme] | None = None,
    stop: Stop | None = None,
    recommendation_id: int | None = None,
    challenge: Challenge | None = None,
) -> Challenge:
    """Post a challenge of the municipality or a company, or change one."""
    challenge = challenge or Challenge(process=process)
    challenge.title = _title(title)
    challenge.owner_name = clean_line(owner_name)[:120]
    if not challenge.owner_name:
        raise InnovationError("owner_missing")
    if owner_kind not in Challenge.OwnerKind.values:
        raise InnovationError("bad_choice")
    challenge.owner_kind = owner_kind
    challenge.problem, _html = _markdown(problem, BODY_MAX)
    challenge.story = clean_text(story)[:BODY_MAX]
    known = {h for h, _label in Challenge.HELP}
    challenge.help_wanted = [h for h in (help_wanted or []) if h in known]
    if stop is not None and stop.process_id != process.pk:
        raise InnovationError("bad_choice")
    challenge.stop = stop
    challenge.recommendation_id = recommendation_id
    challenge.save()
    if themes is not None:
        if any(t.process_id != process.pk for t in themes):
            raise InnovationError("bad_choice")
        challenge.themes.set(themes)
    process_touch(process.pk)
    ideas_touch(process.pk)
    return challenge


# --- ideas -------------------------------------------------------------------------------


def _first_post(process: Process, user: User) -> bool:
    """Whether ``user`` has nothing shown in this process yet (held for review when the
    process asks for it)."""
    return not (
        Idea.objects.filter(process=process, author=user, visibility=Visibility.SHOWN).exists()
        or Comment.objects.filter(
            Q(idea__process=process) | Q(post__process=process),
            author=user,
            visibility=Visibility.SHOWN,
        ).exists()
    )


def is_staff(process: Process, user: User) -> bool:
    """An organiser of the process's place, or one of its moderators: never held."""
    from platsa.places.models import Membership, Role

    return (
        Membership.objects.filter(
            place_id=process.place_id, user=user, role__in=[Role.OWNER, Role.ORGANISER]
        ).exists()
        or Moderator.objects.filter(process=process, user=user).exists()
    )


def _held(process: Process, user: User, *, editing: Idea | None = None) -> bool:
    """Whether what ``user`` posts now waits for a moderator: the process holds a new
    participant's first post, and nothing else of theirs is shown yet (an edit of their
    only shown idea counts as a first post again: released, then rewritten)."""
    innovation = Innovation.objects.only("hold_first_posts").get(process=process)
    if not innovation.hold_first_posts or is_staff(process, user):
        return False
    if editing is None:
        return _first_post(process, user)
    others = Idea.objects.filter(process=process, author=user, visibility=Visibility.SHOWN).exclude(
        pk=editing.pk
    )
    comments = Comment.objects.filter(
        Q(idea__process=process) | Q(post__process=process),
        author=user,
        visibility=Visibility.SHOWN,
    )
    return not (others.exists() or comments.exists())


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float


def _location(lat: float | None, lon: float | None, areas: Sequence[Area] = ()) -> Location | None:
    """The idea's point, inside one of ``areas`` (the place's municipality, whose map the
    form shows, or the journey stop's): a point across the country (or a typo in a number
    sent to the API) would put the idea on the wrong map."""
    if lat is None and lon is None:
        return None
    if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
        raise InnovationError("bad_location")
    if not (-90 <= lat <= 90) or not (-180 <= lon <= 180):
        raise InnovationError("bad_location")
    if areas and not any(area_holds(area, lat, lon) for area in areas):
        raise InnovationError("location_outside", area=areas[0].name)
    return Location(round(lat, 6), round(lon, 6))


@transaction.atomic
def idea_submit(
    *,
    process: Process,
    user: User,
    title: str,
    body: str,
    themes: list[Theme] | None = None,
    challenge: Challenge | None = None,
    stop: Stop | None = None,
    lat: float | None = None,
    lon: float | None = None,
    image: bytes | None = None,
    image_id: int | None = None,
    goal_amount: int | None = None,
) -> Idea:
    """A participant's new idea: shown at once, or held for review when the process holds a
    new participant's first post. ``image_id``: a picture this user uploaded already (kept
    while they were shown the ideas like theirs)."""
    clean_title = _title(title)
    text, html = _markdown(body, BODY_MAX)
    for tied in (challenge, stop):
        if tied is not None and tied.process_id != process.pk:
            raise InnovationError("bad_choice")
    themes = themes or []
    if any(t.process_id != process.pk for t in themes):
        raise InnovationError("bad_choice")
    maps = [process.place.municipality, stop.municipality if stop else None]
    where = _location(lat, lon, [a for a in dict.fromkeys(maps) if a is not None])
    if goal_amount is not None and not (0 < goal_amount <= PLEDGE_MONEY_MAX):
        raise InnovationError("bad_amount")
    held = _held(process, user)
    idea = Idea.objects.create(
        process=process,
        author=user,
        title=clean_title,
        body=text,
        body_html=html,
        challenge=challenge,
        stop=stop,
        lat=where.lat if where else None,
        lon=where.lon if where else None,
        goal_amount=goal_amount,
        image=_own_image(image_id, user) or (image_store(image, user) if image else None),
        visibility=Visibility.HELD if held else Visibility.SHOWN,
    )
    if themes:
        idea.themes.set(themes)
    if held:
        ModerationEntry.objects.create(
            process=process, idea=idea, action=ModerationEntry.Action.HELD, detail="first post"
        )
    ideas_touch(process.pk)
    return idea


@transaction.atomic
def idea_edit(
    *, idea: Idea, user: User, title: str, body: str, themes: list[Theme] | None = None
) -> Idea:
    """The author changes their idea while it is new (not once it is being reviewed)."""
    if idea.author_id != user.pk:
        raise InnovationError("not_yours")
    if idea.status != Idea.Status.NEW or idea.visibility == Visibility.HIDDEN:
        raise InnovationError("not_editable")
    idea.title = _title(title)
    idea.body, idea.body_html = _markdown(body, BODY_MAX)
    idea.changed_at = idea.text_changed_at = _now()
    fields = ["title", "body", "body_html", "changed_at", "text_changed_at"]
    if idea.visibility == Visibility.SHOWN and _held(idea.process, user, editing=idea):
        idea.visibility = Visibility.HELD
        fields.append("visibility")
        ModerationEntry.objects.create(
            process_id=idea.process_id,
            idea=idea,
            action=ModerationEntry.Action.HELD,
            detail="edited first post",
        )
    idea.save(update_fields=fields)
    if themes is not None:
        if any(t.process_id != idea.process_id for t in themes):
            raise InnovationError("bad_choice")
        idea.themes.set(themes)
    ideas_touch(idea.process_id)
    return idea


def _insert(model: type[Model], columns: dict[str, Any]) -> tuple[str, list[Any]]:
    """``INSERT INTO <table> (<columns>) VALUES (…)`` of one row of ``model`` and its
    parameters: the raw writes below add to it (``ON CONFLICT``, ``RETURNING``, a ``WITH``)."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    table = connection.ops.quote_name(model._meta.db_table)
    return f"INSERT INTO {table} ({names}) VALUES ({marks})", list(columns.values())  # noqa: S608 - the model's own names


def _once(model: type[Support] | type[Like], **fields: Any) -> tuple[str, list[Any]]:
    """The row of a support or like, inserted unless it exists (its unique constraint
    decides, so fifty requests at once add one), returning 1 when this statement added it."""
    columns = {f"{name}_id": value.pk for name, value in fields.items()}
    columns["created_at"] = connection.ops.adapt_datetimefield_value(_now())
    sql, params = _insert(model, columns)
    return f"{sql} ON CONFLICT DO NOTHING RETURNING 1", params


def _add_once(model: type[Support] | type[Like], **fields: Any) -> bool:
    """Insert the row unless it exists; True when this call added it. One statement,
    ``INSERT … ON CONFLICT DO NOTHING`` (PostgreSQL, and SQLite 3.35 or newer), instead of a
    savepoint and an insert that may fail."""
    sql, params = _once(model, **fields)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


# A support and its count in one statement (PostgreSQL runs a data-modifying WITH and the
# UPDATE that reads its result as one, atomic on its own): one round trip and no BEGIN or
# COMMIT of its own, where the crowd's busiest write took four. The row's unique constraint
# still decides, so fifty at once add one.
_COUNT_SUPPORT = (
    "UPDATE innovation_idea SET support_count = support_count + 1, changed_at = %s "
    "WHERE id = %s AND EXISTS (SELECT 1 FROM added) RETURNING 1"
)


def idea_support(*, idea: Idea, user: User, support: bool = True) -> bool:
    """Support an idea (``support``) or withdraw the support. True when it changed."""
    if not idea.is_shown:
        raise InnovationError("not_shown")
    if support and connection.vendor == "postgresql":
        added, params = _once(Support, idea=idea, user=user)
        with connection.cursor() as cursor:
            cursor.execute(f"WITH added AS ({added}) {_COUNT_SUPPORT}", [*params, _now(), idea.pk])
            return cursor.fetchone() is not None
    with transaction.atomic():
        if support:
            changed = _add_once(Support, idea=idea, user=user)
            step = 1
        else:
            changed = Support.objects.filter(idea=idea, user=user).delete()[0] > 0
            step = -1
        if changed:
            # The idea's stamp is the list's version too (selectors.stamps): no process row.
            Idea.objects.filter(pk=idea.pk).update(
                support_count=F("support_count") + step, changed_at=_now()
            )
    return changed


@transaction.atomic
def like_toggle(*, user: User, idea: Idea | None = None, post: FeedPost | None = None) -> bool:
    """Like an idea or a feed post, or take the like back. True when it is liked now."""
    if (idea is None) == (post is None):
        raise ValueError("like one idea or one post")
    target: dict[str, Any] = {"idea": idea} if idea is not None else {"post": post}
    if idea is not None and not idea.is_shown:
        raise InnovationError("not_shown")
    removed = Like.objects.filter(user=user, **target).delete()[0] > 0
    liked = False if removed else _add_once(Like, user=user, **target)
    if not removed and not liked:
        return True  # another request liked it meanwhile: it is liked
    step = 1 if liked else -1
    if idea is not None:
        Idea.objects.filter(pk=idea.pk).update(like_count=F("like_count") + step, changed_at=_now())
    else:
        assert post is not None
        FeedPost.objects.filter(pk=post.pk).update(
            like_count=F("like_count") + step, changed_at=_now()
        )
    return liked


def _count_comment(comment: Comment, step: int) -> None:
    """The comment count of its idea or post, and that one's stamp (the lists' version)."""
    if comment.idea_id:
        Idea.objects.filter(pk=comment.idea_id).update(
            comment_count=F("comment_count") + step, changed_at=_now()
        )
    else:
        FeedPost.objects.filter(comments=comment).update(
            comment_count=F("comment_count") + step, changed_at=_now()
        )


def _comment_counted_at_once(comment: Comment) -> None:
    """Store a shown comment on an idea and count it on its idea in one statement
    (PostgreSQL: both parts of the WITH run, atomic together), as a support is."""
    made, params = _insert(
        Comment,
        {
            str(f.column): f.get_db_prep_save(getattr(comment, f.attname), connection)
            for f in Comment._meta.concrete_fields
            if not f.primary_key
        },
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH made AS ({made} RETURNING id), counted AS (UPDATE innovation_idea SET "  # noqa: S608 - the model's own names
            "comment_count = comment_count + 1, changed_at = %s WHERE id = %s RETURNING 1) "
            "SELECT id FROM made",
            [*params, _now(), comment.idea_id],
        )
        comment.pk = cursor.fetchone()[0]
    comment._state.adding = False
    comment._state.db = connection.alias


def comment_add(
    *,
    user: User,
    body: str,
    idea: Idea | None = None,
    post: FeedPost | None = None,
    parent: Comment | None = None,
) -> Comment:
    """A comment on an idea or a feed post. A reply to a reply answers the first comment:
    threads are one level deep."""
    if (idea is None) == (post is None):
        raise ValueError("comment on one idea or one post")
    if idea is not None and not idea.is_shown:
        raise InnovationError("not_shown")
    text = clean_text(body)
    if len(text) < 2:
        raise InnovationError("empty")
    if len(text) > COMMENT_MAX:
        raise InnovationError("too_long", limit=COMMENT_MAX)
    if parent is not None:
        if (parent.idea_id, parent.post_id) != (
            idea.pk if idea else None,
            post.pk if post else None,
        ):
            raise InnovationError("bad_choice")
        if parent.parent_id:
            parent = parent.parent
    process = (idea if idea is not None else post).process  # type: ignore[union-attr]
    held = _held(process, user)
    comment = Comment(
        idea=idea,
        post=post,
        parent=parent,
        author=user,
        body=text,
        visibility=Visibility.HELD if held else Visibility.SHOWN,
    )
    if not held and idea is not None and connection.vendor == "postgresql":
        _comment_counted_at_once(comment)  # the crowd's common case: one round trip
        return comment
    with transaction.atomic():
        comment.save(force_insert=True)
        if held:
            ModerationEntry.objects.create(
                process=process,
                comment=comment,
                action=ModerationEntry.Action.HELD,
                detail="first post",
            )
        else:
            _count_comment(comment, 1)
    return comment


@transaction.atomic
def pledge_add(
    *,
    idea: Idea,
    user: User,
    kind: str,
    amount: int | None = None,
    hours: int | None = None,
    description: str = "",
) -> Pledge:
    """Record a commitment (not a payment) towards an idea."""
    if not idea.is_shown:
        raise InnovationError("not_shown")
    if kind not in Pledge.Kind.values:
        raise InnovationError("bad_choice")
    text = clean_line(description)[:300]
    if kind == Pledge.Kind.MONEY:
        if amount is None or not (0 < amount <= PLEDGE_MONEY_MAX):
            raise InnovationError("bad_amount")
        if idea.goal_amount and amount > idea.goal_amount:
            raise InnovationError("over_goal", goal=idea.goal_amount)
        earlier = Pledge.objects.filter(idea=idea, user=user, kind=Pledge.Kind.MONEY).first()
        if earlier is not None:  # one money pledge per person and idea: a new one replaces it
            pledge_withdraw(pledge=earlier, user=user)
        hours = None
    elif kind == Pledge.Kind.TIME:
        if hours is None or not (0 < hours <= PLEDGE_HOURS_MAX):
            raise InnovationError("bad_hours")
        amount = None
    else:
        amount = hours = None
        if len(text) < 3:
            raise InnovationError("describe_pledge")
    pledge = Pledge.objects.create(
        idea=idea, user=user, kind=kind, amount=amount, hours=hours, description=text
    )
    Idea.objects.filter(pk=idea.pk).update(
        pledge_count=F("pledge_count") + 1,
        pledged_money=F("pledged_money") + (amount or 0),
        changed_at=_now(),
    )
    return pledge


@transaction.atomic
def pledge_withdraw(*, pledge: Pledge, user: User) -> None:
    if pledge.user_id != user.pk:
        raise InnovationError("not_yours")
    idea_id, amount = pledge.idea_id, pledge.amount or 0
    pledge.delete()
    Idea.objects.filter(pk=idea_id).update(
        pledge_count=F("pledge_count") - 1,
        pledged_money=F("pledged_money") - amount,
        changed_at=_now(),
    )


@transaction.atomic
def report_add(
    *, user: User, reason: str, idea: Idea | None = None, comment: Comment | None = None
) -> Report:
    if (idea is None) == (comment is None):
        raise ValueError("report one idea or one comment")
    text = clean_line(reason)
    if len(text) < 3:
        raise InnovationError("reason_missing")
    if idea is not None and not idea.is_shown:
        raise InnovationError("not_shown")
    open_one = Report.objects.filter(
        idea=idea, comment=comment, reporter=user, handled_at=None
    ).first()
    if open_one is not None:  # the moderators have not answered the first one yet
        return open_one
    return Report.objects.create(
        idea=idea, comment=comment, reporter=user, reason=text[:REASON_MAX]
    )


# --- moderation --------------------------------------------------------------------------

MODERATION_TARGETS = {
    "hide": Visibility.HIDDEN,
    "show": Visibility.SHOWN,
    "release": Visibility.SHOWN,
}


@transaction.atomic
def moderate(
    *,
    process: Process,
    actor: User,
    action: str,
    reason: str = "",
    idea: Idea | None = None,
    comment: Comment | None = None,
) -> None:
    """Hide (with a reason the author sees), show again, or release what was held. Reports
    about the target are marked handled."""
    if action not in MODERATION_TARGETS or (idea is None) == (comment is None):
        raise InnovationError("bad_choice")
    target: Idea | Comment = idea if idea is not None else comment  # type: ignore[assignment]
    owner = idea.process_id if idea is not None else _comment_process(comment)  # type: ignore[arg-type]
    if owner != process.pk:
        raise InnovationError("bad_choice")
    text = clean_line(reason)[:REASON_MAX]
    if action == "hide" and len(text) < 3:
        raise InnovationError("reason_missing")
    before = target.visibility
    after = MODERATION_TARGETS[action]
    if before == after:
        return
    target.visibility = after
    target.hidden_reason = text if after == Visibility.HIDDEN else ""
    target.save(update_fields=["visibility", "hidden_reason"])
    log_action = {
        "hide": ModerationEntry.Action.HIDDEN,
        "show": ModerationEntry.Action.SHOWN,
        "release": ModerationEntry.Action.RELEASED,
    }[action]
    ModerationEntry.objects.create(
        process=process,
        idea=idea,
        comment=comment,
        action=log_action,
        reason=text,
        detail=f"{before}->{after}",
        actor=actor,
    )
    Report.objects.filter(Q(idea=idea) if idea else Q(comment=comment), handled_at=None).update(
        handled_at=_now()
    )
    if comment is not None and (before == Visibility.SHOWN) != (after == Visibility.SHOWN):
        _count_comment(comment, 1 if after == Visibility.SHOWN else -1)
    if idea is not None:
        idea_touch(idea.pk, process.pk)


def _comment_process(comment: Comment) -> int:
    if comment.idea_id:
        return Idea.objects.values_list("process_id", flat=True).get(pk=comment.idea_id)
    return FeedPost.objects.filter(comments=comment).values_list("process_id", flat=True).get()


@transaction.atomic
def report_dismiss(*, report: Report, actor: User, process: Process) -> None:
    """The moderators looked and leave the text as it is."""
    Report.objects.filter(pk=report.pk).update(handled_at=_now())
    ModerationEntry.objects.create(
        process=process,
        idea_id=report.idea_id,
        comment_id=report.comment_id,
        action=ModerationEntry.Action.REPORT,
        detail="dismissed",
        actor=actor,
    )


@transaction.atomic
def idea_set_status(
    *,
    idea: Idea,
    actor: User,
    status: str,
    answer: str | None = None,
    reason: str | None = None,
) -> bool:
    """Move an idea to ``status`` (selected, in the plan, done…) with the organisers' answer;
    its author, commenters and supporters are told (on commit). True when it changed."""
    if status not in Idea.Status.values:
        raise InnovationError("bad_choice")
    fields = []
    before = idea.status
    if status != idea.status:
        idea.status = status
        fields.append("status")
    if answer is not None and clean_text(answer) != idea.official_answer:
        idea.official_answer = clean_text(answer)[:BODY_MAX]
        fields.append("official_answer")
    if reason is not None and clean_text(reason) != idea.selection_reason:
        idea.selection_reason = clean_text(reason)[:2000]
        fields.append("selection_reason")
    if not fields:
        return False
    idea.changed_at = _now()
    idea.save(update_fields=[*fields, "changed_at"])
    if "status" in fields:
        ModerationEntry.objects.create(
            process_id=idea.process_id,
            idea=idea,
            action=ModerationEntry.Action.STATUS,
            detail=f"{before}->{status}",
            actor=actor,
        )
        from platsa.innovation.notify import status_changed

        transaction.on_commit(lambda: status_changed(idea.pk, before))
    ideas_touch(idea.process_id)
    return True


@transaction.atomic
def idea_merge(*, source: Idea, target: Idea, actor: User) -> Idea:
    """Merge ``source`` into ``target`` (organisers confirm a likely duplicate): supports,
    likes, pledges and comments move; a person who supported both counts once. The source
    stays, marked merged, pointing at the target."""
    if source.pk == target.pk or source.process_id != target.process_id:
        raise InnovationError("bad_choice")
    if target.merged_into_id is not None or source.merged_into_id is not None:
        raise InnovationError("already_merged")
    both = Support.objects.filter(idea=target).values("user_id")
    Support.objects.filter(idea=source, user_id__in=both).delete()
    Support.objects.filter(idea=source).update(idea=target)
    liked = Like.objects.filter(idea=target).values("user_id")
    Like.objects.filter(idea=source, user_id__in=liked).delete()
    Like.objects.filter(idea=source).update(idea=target)
    Pledge.objects.filter(idea=source).update(idea=target)
    Comment.objects.filter(idea=source).update(idea=target)
    _recount(target)
    Idea.objects.filter(pk=source.pk).update(
        merged_into=target,
        support_count=0,
        like_count=0,
        comment_count=0,
        pledge_count=0,
        pledged_money=0,
        changed_at=_now(),
    )
    ModerationEntry.objects.create(
        process_id=target.process_id,
        idea=source,
        action=ModerationEntry.Action.MERGED,
        detail=f"into {target.pk}",
        actor=actor,
    )
    ideas_touch(target.process_id)
    target.refresh_from_db()
    return target


def _recount(idea: Idea) -> None:
    """Set an idea's counts from its rows (after a merge moved rows in bulk)."""
    money = sum(
        amount or 0
        for amount in Pledge.objects.filter(idea=idea, kind=Pledge.Kind.MONEY).values_list(
            "amount", flat=True
        )
    )
    Idea.objects.filter(pk=idea.pk).update(
        support_count=Support.objects.filter(idea=idea).count(),
        like_count=Like.objects.filter(idea=idea).count(),
        comment_count=Comment.objects.filter(idea=idea, visibility=Visibility.SHOWN).count(),
        pledge_count=Pledge.objects.filter(idea=idea).count(),
        pledged_money=money or 0,
        changed_at=_now(),
    )


# --- the live feed -----------------------------------------------------------------------


@transaction.atomic
def feed_post_add(
    *,
    process: Process,
    author: User,
    body: str,
    stop: Stop | None = None,
    video_url: str = "",
    image: bytes | None = None,
) -> FeedPost:
    """An organiser's update during the hackathon, in a stop's feed or the process's."""
    text, html = _markdown(body, POST_MAX)
    if stop is not None and stop.process_id != process.pk:
        raise InnovationError("bad_choice")
    video = video_url.strip()
    if video and not video.startswith("https://"):
        raise InnovationError("bad_link")
    post = FeedPost.objects.create(
        process=process,
        stop=stop,
        author=author,
        body=text,
        body_html=html,
        video_url=video[:300],
        image=image_store(image, author) if image else None,
    )
    Innovation.objects.filter(process=process).update(feed_changed_at=_now())
    return post


@transaction.atomic
def read_counts_add(counts: dict[int, int]) -> None:
    """Add reads counted in the cache to the ideas (they are not a change of the page)."""
    for idea_id, n in counts.items():
        if n > 0:
            Idea.objects.filter(pk=idea_id).update(read_count=F("read_count") + n)


@transaction.atomic
def participant_forget(*, user: User) -> None:
    """Before an account is deleted: its supports, likes and pledges are withdrawn, the
    counts on the ideas and posts following (deleting the rows by cascade would leave the
    counts too high). Its ideas and comments stay, without its name."""
    for support in Support.objects.filter(user=user).select_related("idea"):
        # Directly, not through idea_support: a hidden idea's support goes too.
        support.delete()
        Idea.objects.filter(pk=support.idea_id).update(
            support_count=F("support_count") - 1, changed_at=_now()
        )
    for like in Like.objects.filter(user=user).select_related("idea", "post"):
        step = {"like_count": F("like_count") - 1, "changed_at": _now()}
        if like.idea_id:
            Idea.objects.filter(pk=like.idea_id).update(**step)
        else:
            FeedPost.objects.filter(likes=like).update(**step)
        like.delete()
    for pledge in Pledge.objects.filter(user=user):
        pledge_withdraw(pledge=pledge, user=user)


@transaction.atomic
def profile_save(*, user: User, group: str, age_band: str, country: str) -> Profile:
    """What a participant says about themself (each may be left unsaid)."""
    if (
        group not in ("", *Profile.Group.values)
        or age_band not in ("", *Profile.AgeBand.values)
        or country not in ("", *Profile.Country.values)
    ):
        raise InnovationError("bad_choice")
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={"group": group, "age_band": age_band, "country": country, "changed_at": _now()},
    )
    return profile


@transaction.atomic
def follow_set(*, process: Process, user: User, follow: bool) -> bool:
    """Follow the process by e-mail digest, or stop; True when following now."""
    if follow:
        Follow.objects.get_or_create(process=process, user=user)
        return True
    Follow.objects.filter(process=process, user=user).delete()
    return False


SELECTED = (Idea.Status.SELECTED, Idea.Status.IN_PLAN, Idea.Status.DONE)


@transaction.atomic
def idea_to_action(*, idea: Idea, action: Any, actor: User) -> Idea:
    """A selected idea became one of the place's own actions (``catalogue.LocalAction``):
    the idea points at it and is "in the plan" (its followers are told)."""
    if idea.status not in SELECTED or action.place_id != idea.process.place_id:
        raise InnovationError("bad_choice")
    Idea.objects.filter(pk=idea.pk).update(local_action=action)
    idea.local_action = action
    if idea.status == Idea.Status.SELECTED:
        idea_set_status(idea=idea, actor=actor, status=Idea.Status.IN_PLAN)
    else:
        idea_touch(idea.pk, idea.process_id)
    return idea
