"""Places like this one: the municipalities most like a place's own, and what they did.

A small municipality looking for others that have faced the same wants peers on the facts
that shape local development (``platsa.core.analysis.peers``), and then what those peers
have done: the results they chose to publish, the actions those results put first, and the
catalogue's good examples from there. Only what is public anywhere else in Platsa is shown:
rounds whose process ``is_public`` (their page is ``/p/<place>/<round>/``), the frozen
actions shown on that page, and the shared catalogue's examples. Nothing from members-only
pages (unpublished rounds, places' own draft actions, who the members are).

Cost, because the place page is opened often: the peer index is the process-wide one of
the reference files (``reference_peer_index``, built once, 0.1-0.3 s on the first page); the
catalogue's examples are grouped by municipality once per process; a page adds at most two
queries (the peers' public rounds, with their newest frozen version; the top actions of
those versions) and one when no peer has a public round; with the rendering about 1.5 ms a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext as _

from platsa.core.analysis.peers import Closeness, Peer, reference_peer_index
from platsa.core.render.explain import density, number
from platsa.core.render.messages import label as vocab_label
from platsa.places.models import Area

if TYPE_CHECKING:
    from platsa.core.io.reference import Municipality
    from platsa.core.schema.catalogue import Example
    from platsa.core.schema.texts import LocalText

PEER_COUNT = 5  # as many as `platsa places show` lists
REASONS_SHOWN = 4  # the closest facts; more reads as a table, not a reason
ROUNDS_PER_PEER = 2  # the newest published rounds of places in a peer municipality
ACTIONS_PER_ROUND = 3  # the first actions of a round's newest frozen version
EXAMPLES_PER_PEER = 3


@dataclass(frozen=True)
class Likeness:
    """One fact a peer is close on, as shown: its label and the peer's own figure."""

    feature: str
    label: str
    value: str


@dataclass(frozen=True)
class PeerAction:
    """One recommended action of a published round, linked to the public catalogue when it
    is a catalogue action (a place's own action has no public page of its own)."""

    title: str
    url: str


@dataclass(frozen=True)
class PeerRound:
    place_name: str
    name: str
    url: str  # the public results page
    actions: tuple[PeerAction, ...]


@dataclass(frozen=True)
class PeerExample:
    place: str
    action_title: str
    year: int | None
    url: str  # the action's page in the public catalogue


@dataclass(frozen=True)
class PeerPlace:
    key: str
    name: str
    country: str
    country_name: str
    population: str
    population_date: str
    reasons: tuple[Likeness, ...]
    rounds: tuple[PeerRound, ...]
    examples: tuple[PeerExample, ...]
    more_examples: int  # examples from here beyond those shown


# -- the catalogue's good examples, by municipality (once per process) -----------------------


@dataclass(frozen=True)
class _Example:
    action_id: str
    action_title: LocalText
    example: Example


@cache
def examples_by_municipality() -> dict[str, tuple[_Example, ...]]:
    """The shared catalogue's good examples that name their municipality, by its key
    ("SE-2034"), over every framework's catalogue, newest first. Examples without a
    ``municipality_code`` (39 of 246 in the 2026 catalogue) cannot be placed and are left
    out rather than guessed from the place name."""
    from platsa.catalogue.selectors import frameworks, shared_catalogue

    found: dict[str, list[_Example]] = {}
    for fw in frameworks().values():
        for action in shared_catalogue(fw.id, fw.version):
            for example in action.examples:
                if example.municipality_code:
                    key = f"{example.country}-{example.municipality_code}"
                    found.setdefault(key, []).append(_Example(action.id, action.title, example))
    return {
        key: tuple(sorted(items, key=lambda e: -(e.example.year or 0)))
        for key, items in found.items()
    }


@cache
def _catalogue_action_ids() -> frozenset[str]:
    """Every id the public catalogue answers to (merged-away ids too)."""
    from platsa.catalogue.selectors import frameworks, shared_catalogue

    ids: set[str] = set()
    for fw in frameworks().values():
        catalogue = shared_catalogue(fw.id, fw.version)
        ids.update(catalogue.actions)
        ids.update(catalogue.aliases)
    return frozenset(ids)


# -- the facts a peer is close on --------------------------------------------------------------


def _shown(closeness: Closeness, language: str) -> str:
    value = closeness.peer_value
    if isinstance(value, str):  # the SKR group's code
        return value
    if closeness.feature == "population":
        return number(int(value), language)
    if closeness.feature == "density":
        return _("%(value)s per km²") % {"value": density(value, language)}
    if closeness.feature == "population_change_pct":
        return ("+" if value > 0 else "") + number(value, language) + "\u00a0%"
    return number(value, language) + "\u00a0%"


def _label(feature: str) -> str:
    if feature == "density":  # not a fact of the facts list, so not in its vocabulary
        return _("Population density")
    return vocab_label(f"fact:{feature}", _)


def likenesses(peer: Peer, language: str) -> tuple[Likeness, ...]:
    """The closest facts, SKR group first (as ``PeerIndex.reasons`` orders them)."""
    return tuple(
        Likeness(r.feature, _label(r.feature), _shown(r, language))
        for r in peer.reasons[:REASONS_SHOWN]
    )


# -- what the peers published ------------------------------------------------------------------


# One statement, written out: built with the ORM (a window, a subquery, a five-way OR) the
# section took about 7 ms a page, nearly all of it building the SQL; written out about 0.6 ms
# (platsa.assessments.versions does the same). Per municipality its newest public rounds,
# each with its newest frozen version's id (none for a round published by a bare update
# and not yet shown: it is linked without actions).
_PUBLIC_ROUNDS = """
SELECT title, slug, place_name, place_slug, country, code, snapshot_id FROM (
  SELECT pr.title AS title, pr.slug AS slug, p.name AS place_name, p.slug AS place_slug,
    a.country AS country, a.code AS code, pr.created_at AS created_at, r.id AS round_id,
    (SELECT s.id FROM assessments_resultsnapshot s WHERE s.round_id = r.id
     ORDER BY s.version DESC LIMIT 1) AS snapshot_id,
    ROW_NUMBER() OVER (PARTITION BY a.id ORDER BY pr.created_at DESC, r.id DESC) AS position
  FROM assessments_round r
    JOIN processes_process pr ON pr.id = r.process_id
    JOIN places_place p ON p.id = pr.place_id
    JOIN places_area a ON a.id = p.municipality_id
  WHERE pr.is_public = %s AND a.kind = %s AND ({areas})
) ranked
WHERE position <= %s
ORDER BY created_at DESC, round_id DESC
"""


def _public_round_rows(keys: list[tuple[str, str]]) -> list[dict[str, Any]]:
    areas = " OR ".join(["(a.country = %s AND a.code = %s)"] * len(keys))
    params: list[Any] = [True, Area.Kind.MUNICIPALITY.value]
    params += [part for key in keys for part in key]
    params.append(ROUNDS_PER_PEER)
    with connection.cursor() as cursor:
        cursor.execute(_PUBLIC_ROUNDS.format(areas=areas), params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# The first actions of the frozen versions, with their titles read out of the stored action
# (not the whole action, a few kB each): JSON is read differently by the two databases.
_TITLE = {
    "postgresql": "action -> 'title' ->> '{language}'",
    "sqlite": "json_extract(action, '$.title.{language}')",
}
_TOP_ACTIONS = """
SELECT snapshot_id, action_id, {sv}, {en} FROM assessments_frozenrecommendation
WHERE snapshot_id IN ({snapshots}) AND rank <= %s ORDER BY snapshot_id, rank
"""


def _top_action_rows(snapshots: list[int]) -> list[tuple[int, str, str | None, str | None]]:
    title = _TITLE.get(connection.vendor)
    if title is None:  # another database: the ORM's JSON lookups, slower to build
        from platsa.assessments.models import FrozenRecommendation

        return list(
            FrozenRecommendation.objects.filter(
                snapshot_id__in=snapshots, rank__lte=ACTIONS_PER_ROUND
            )
            .order_by("snapshot_id", "rank")
            .values_list("snapshot_id", "action_id", "action__title__sv", "action__title__en")
        )
    sql = _TOP_ACTIONS.format(
        sv=title.format(language="sv"),
        en=title.format(language="en"),
        snapshots=", ".join(["%s"] * len(snapshots)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*snapshots, ACTIONS_PER_ROUND])
        return list(cursor.fetchall())


def public_rounds(keys: list[tuple[str, str]], language: str) -> dict[str, list[PeerRound]]:
    """The newest published rounds of places in the municipalities ``keys`` ((country,
    code) pairs), with the first actions of each round's newest frozen version, by the
    municipality's key. Two queries (one when none is published)."""
    if not keys:
        return {}
    rows = _public_round_rows(keys)
    actions: dict[int, list[PeerAction]] = {}
    snapshots = [r["snapshot_id"] for r in rows if r["snapshot_id"] is not None]
    if snapshots:
        catalogue_ids = _catalogue_action_ids()
        english = language.startswith("en")
        for snapshot_id, action_id, title_sv, title_en in _top_action_rows(snapshots):
            title = (title_en if english else None) or title_sv or action_id
            url = (
                reverse("catalogue:detail", args=[action_id]) if action_id in catalogue_ids else ""
            )
            actions.setdefault(snapshot_id, []).append(PeerAction(title=str(title), url=url))
    found: dict[str, list[PeerRound]] = {}
    for row in rows:
        found.setdefault(f"{row['country']}-{row['code']}", []).append(
            PeerRound(
                place_name=row["place_name"],
                name=row["title"],
                url=reverse("public:results", args=[row["place_slug"], row["slug"]]),
                actions=tuple(actions.get(row["snapshot_id"], ())),
            )
        )
    return found


def _examples(key: str, language: str) -> tuple[tuple[PeerExample, ...], int]:
    items = examples_by_municipality().get(key, ())
    shown = tuple(
        PeerExample(
            place=e.example.place,
            action_title=e.action_title.get(language),
            year=e.example.year,
            url=reverse("catalogue:detail", args=[e.action_id]),
        )
        for e in items[:EXAMPLES_PER_PEER]
    )
    return shown, max(0, len(items) - EXAMPLES_PER_PEER)


# -- the section -------------------------------------------------------------------------------


def place_peers(
    area: Area,
    language: str,
    *,
    count: int = PEER_COUNT,
) -> list[PeerPlace]:
    """The ``count`` municipalities across Sweden, Norway and Finland most like ``area`` (a
    place's municipality), each with why, its population and what its places published.
    Empty for an area the reference data does not hold."""
    peers_index = reference_peer_index()
    if area.key not in peers_index:
        return []
    peers = peers_index.nearest(area.key, count)
    municipality: dict[str, Municipality] = {
        p.key: peers_index.municipalities[peers_index.position(p.key)] for p in peers
    }
    rounds = public_rounds([(p.country, p.code) for p in peers], language)
    out = []
    for p in peers:
        m = municipality[p.key]
        examples, more = _examples(p.key, language)
        out.append(
            PeerPlace(
                key=p.key,
                name=p.name,
                country=p.country,
                country_name=vocab_label(f"country:{p.country}", _),
                population=number(m.population, language) if m.population else "",
                population_date=m.population_date[:4],
                reasons=likenesses(p, language),
                rounds=tuple(rounds.get(p.key, ())),
                examples=examples,
                more_examples=more,
            )
        )
    return out


__all__ = [
    "Likeness",
    "PeerAction",
    "PeerExample",
    "PeerPlace",
    "PeerRound",
    "examples_by_municipality",
    "likenesses",
    "place_peers",
    "public_rounds",
]
