"""A crowd's open-innovation process, made fast for the benchmarks: participants, ideas with
themes, supports, likes and comments inserted in bulk (PostgreSQL ``COPY``, or
``bulk_create`` on SQLite), never through the services, so that a million likes take
seconds instead of hours.

The counts kept on each idea (``support_count``, ``like_count``, ``comment_count``) are
set to exactly the rows inserted for it, as the services would have left them; popularity
is skewed (a few ideas get most of the support, as on a shared hackathon page), and no
(user, idea) pair is supported or liked twice (the unique constraints hold).

    from bench.ideas_data import make_users, fill_process
    user_ids = make_users(1500, prefix="crowd")
    fill_process(process, user_ids, ideas=3000, supports=100_000, likes=1_000_000,
                 comments=30_000)

Call inside a configured Django (``django.setup()``).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

WORDS = [
    "bostäder",
    "inflyttare",
    "skola",
    "buss",
    "cykelväg",
    "laddstolpar",
    "bredband",
    "fiber",
    "turism",
    "fiske",
    "skoter",
    "kulturhus",
    "bibliotek",
    "förening",
    "hälsocentral",
    "matbutik",
    "coworking",
    "distansarbete",
    "solceller",
    "värmepump",
    "älven",
    "isen",
    "vandringsled",
    "badplats",
    "festival",
    "hackathon",
    "lokalproducerat",
    "mat",
    "hantverk",
    "ungdomar",
    "äldreomsorg",
    "pendling",
    "tåg",
    "samåkning",
]


@dataclass(frozen=True)
class Filled:
    """What :func:`fill_process` inserted (ids for the benchmarks to aim at)."""

    idea_ids: list[int]
    supports: int
    likes: int
    comments: int


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert ``rows`` into ``table``: ``COPY`` on PostgreSQL, executemany elsewhere."""
    n = 0
    if connection.vendor == "postgresql":
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            buffer = io.StringIO()
            for row in rows:
                buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
                buffer.write("\n")
                n += 1
                if n % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return n
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608  (our own table names)
    batch: list[Sequence[object]] = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(tuple(row))
            n += 1
            if len(batch) >= 20_000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
    return n


def make_users(n: int, prefix: str = "crowd") -> list[int]:
    """``n`` participants with unusable passwords (they sign in by code) and names."""
    from platsa.accounts.models import User

    now = timezone.now()
    User.objects.bulk_create(
        [
            User(
                email=f"{prefix}{i}@example.org",
                display_name=f"Deltagare {i}",
                password="!",  # noqa: S106  (unusable: participants sign in by e-mailed code)
                date_joined=now,
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    return list(
        User.objects.filter(email__startswith=prefix, email__endswith="@example.org")
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _skewed(total: int, n: int, cap: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` counts summing to ``total``, each at most ``cap``, Zipf-like (heavy head)."""
    if total > n * cap:
        raise ValueError(f"{total} rows do not fit {n} ideas of at most {cap}")
    weights = 1.0 / np.arange(1, n + 1) ** 0.7
    rng.shuffle(weights)
    counts = np.minimum(np.floor(weights / weights.sum() * total).astype(np.int64), cap)
    # Spread what is left (rounding, the cap) one by one over ideas with room.
    left = total - int(counts.sum())
    while left > 0:
        room = np.flatnonzero(counts < cap)
        pick = rng.choice(room, size=min(left, len(room)), replace=False)
        counts[pick] += 1
        left -= len(pick)
    return counts


@transaction.atomic
def fill_process(
    process: object,
    user_ids: Sequence[int],
    *,
    ideas: int,
    supports: int,
    likes: int,
    comments: int,
    seed: int = 9,
    hours: int = 48,
) -> Filled:
    """Ideas of ``process`` by ``user_ids`` with their themes, supports, likes and comments;
    the counts on each idea match its rows. Ideas are spread over ``hours`` before now."""
    from platsa.innovation.models import Challenge, Idea, Innovation, Theme

    rng = np.random.default_rng(seed)
    users = np.asarray(user_ids, dtype=np.int64)
    n_users = len(users)
    theme_ids = list(Theme.objects.filter(process=process).values_list("pk", flat=True))
    challenge_ids = list(Challenge.objects.filter(process=process).values_list("pk", flat=True))
    support_counts = _skewed(supports, ideas, n_users, rng)
    like_counts = _skewed(likes, ideas, n_users, rng)
    comment_counts = _skewed(comments, ideas, 10**9, rng)
    statuses = rng.choice(
        ["new", "review", "selected", "not_selected"], size=ideas, p=[0.85, 0.08, 0.05, 0.02]
    )
    now = timezone.now()
    start = now - timedelta(hours=hours)
    offsets = np.sort(rng.uniform(0, hours * 3600, size=ideas))
    made = []
    for i in range(ideas):
        words = rng.choice(WORDS, size=6)
        created = start + timedelta(seconds=float(offsets[i]))
        body = " ".join(rng.choice(WORDS, size=40))
        made.append(
            Idea(
                process_id=process.pk,  # type: ignore[attr-defined]
                author_id=int(users[rng.integers(n_users)]),
                challenge_id=(
                    int(rng.choice(challenge_ids)) if challenge_ids and rng.random() < 0.3 else None
                ),
                title=f"Idé {i}: {' '.join(words)}"[:120],
                body=body,
                body_html=f"<p>{body}</p>",
                status=str(statuses[i]),
                support_count=int(support_counts[i]),
                like_count=int(like_counts[i]),
                comment_count=int(comment_counts[i]),
                created_at=created,
                changed_at=created,
                text_changed_at=created,
            )
        )
    Idea.objects.bulk_create(made, batch_size=1000)
    idea_ids = [int(idea.pk) for idea in made]
    through = Idea.themes.through
    if theme_ids:
        ties = []
        for idea_id in idea_ids:
            for theme_id in rng.choice(theme_ids, size=int(rng.integers(1, 3)), replace=False):
                ties.append(through(idea_id=idea_id, theme_id=int(theme_id)))
        through.objects.bulk_create(ties, batch_size=5000)

    # Django's own text form of a UTC datetime on SQLite; PostgreSQL is told the zone.
    when = now.strftime("%Y-%m-%d %H:%M:%S.%f") + (
        "+00:00" if connection.vendor == "postgresql" else ""
    )

    def pairs(counts: np.ndarray) -> Iterable[tuple[int, int, str]]:
        for idea_id, k in zip(idea_ids, counts, strict=True):
            for user_id in users[rng.permutation(n_users)[: int(k)]]:
                yield idea_id, int(user_id), when

    n_supports = _copy(
        "innovation_support", ("idea_id", "user_id", "created_at"), pairs(support_counts)
    )
    n_likes = _copy("innovation_like", ("idea_id", "user_id", "created_at"), pairs(like_counts))

    def comment_rows() -> Iterable[tuple[object, ...]]:
        for idea_id, k in zip(idea_ids, comment_counts, strict=True):
            for j in range(int(k)):
                yield (
                    idea_id,
                    int(users[rng.integers(n_users)]),
                    f"Kommentar {j} om {' '.join(rng.choice(WORDS, size=8))}",
                    "shown",
                    "",
                    when,
                )

    n_comments = _copy(
        "innovation_comment",
        ("idea_id", "author_id", "body", "visibility", "hidden_reason", "created_at"),
        comment_rows(),
    )
    Innovation.objects.filter(process=process).update(ideas_changed_at=timezone.now())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in (
                "innovation_idea",
                "innovation_support",
                "innovation_like",
                "innovation_comment",
                "innovation_idea_themes",
            ):
                cursor.execute(f"ANALYZE {table}")
    return Filled(idea_ids, n_supports, n_likes, n_comments)


def counts_consistent(process: object) -> tuple[int, int]:
    """(ideas checked, ideas whose stored counts differ from their rows): the check that
    the generator, and a benchmark's writes, left the denormalised counts right."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            select count(*), coalesce(sum(case when i.support_count <> coalesce(s.n, 0)
                                          or i.like_count <> coalesce(l.n, 0)
                                          or i.comment_count <> coalesce(c.n, 0)
                                     then 1 else 0 end), 0)
            from innovation_idea i
            left join (select idea_id, count(*) n from innovation_support group by idea_id) s
                   on s.idea_id = i.id
            left join (select idea_id, count(*) n from innovation_like
                       where idea_id is not null group by idea_id) l on l.idea_id = i.id
            left join (select idea_id, count(*) n from innovation_comment
                       where idea_id is not null and visibility = 'shown' group by idea_id) c
                   on c.idea_id = i.id
            where i.process_id = %s
            """,
            [process.pk],  # type: ignore[attr-defined]
        )
        checked, wrong = cursor.fetchone()
    return int(checked), int(wrong)
