"""Version stamps of what a round's published results show: the keys under which its public
page and its board report are kept, so that both are made once per change, not per request.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from platsa.catalogue.selectors import shared_catalogue_digest
from platsa.web.pagecache import build_id, digest

# One statement, written out: building it with the ORM's nested subqueries took longer than
# running it. The round's publication, phase and newest frozen version (a closed or
# published round shows that version); over this round and the earlier rounds of the place
# with the same questionnaire (the change since the last round is shown, if that round is
# published): the newest answer given or edited, each one step down the (round, updated_at)
# index, and the newest other change (settings, publication, moderation, deletions).
_STAMPS = """
SELECT r.id, pr.is_public, pr.phase, p.changed_at,
  (SELECT MAX(s.id) FROM assessments_resultsnapshot s WHERE s.round_id = r.id),
  (SELECT MAX((SELECT a.updated_at FROM assessments_response a
               WHERE a.round_id = e.id ORDER BY a.updated_at DESC LIMIT 1))
   FROM assessments_round e JOIN processes_process ep ON ep.id = e.process_id
   WHERE ep.place_id = pr.place_id AND e.framework_id = r.framework_id
     AND ep.created_at <= pr.created_at),
  (SELECT MAX(ep.changed_at)
   FROM assessments_round e JOIN processes_process ep ON ep.id = e.process_id
   WHERE ep.place_id = pr.place_id AND e.framework_id = r.framework_id
     AND ep.created_at <= pr.created_at)
FROM assessments_round r JOIN processes_process pr ON pr.id = r.process_id
  JOIN places_place p ON p.id = pr.place_id
"""
BY_SLUGS = _STAMPS + "WHERE p.slug = %s AND pr.slug = %s"
BY_ID = _STAMPS + "WHERE r.id = %s"


def _fetch(sql: str, params: list[Any]) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def published_version(place_slug: str, round_slug: str, language: str) -> tuple[int, str] | None:
    """``(round id, version key)`` of a published round's results; None if there is no such
    round or it is not published."""
    row = _fetch(BY_SLUGS, [place_slug, round_slug])
    if row is None or not row[1]:
        return None
    return row[0], _key(row, language)


def results_version(round_id: int, language: str) -> str:
    """The version key of a round's results, published or not (the board report's)."""
    row = _fetch(BY_ID, [round_id])
    if row is None:
        raise LookupError(round_id)
    return _key(row, language)


def _key(row: tuple, language: str) -> str:
    round_id, public, *stamps = row  # stamps: phase, place, frozen version, answers, changes
    # build_id: a deploy with new templates is a new version of every page
    return digest(round_id, public, *stamps, shared_catalogue_digest(), language, build_id())
