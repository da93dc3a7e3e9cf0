"""Full-text search over the shared action catalogue, in Swedish and English.

The catalogue lives in data files; the search index is a copy of their texts in the database,
built from the loaded catalogue and rebuilt on the fly whenever a digest of that catalogue
differs from the one stored with the index. So a fresh clone, the test database and a deploy
all search the files they have, with no command to remember (``manage.py
rebuild_search_index`` exists for when you want to do it by hand).

Two engines answer the same question:

* PostgreSQL: a weighted ``tsvector`` per action and language ('swedish' or 'english'
  configuration, GIN index), queried with prefix terms and ranked with ``ts_rank``.
* Anything else (SQLite): the same texts as Snowball stems, matched by prefix with ``LIKE``
  and ranked by weighted hits with ts_rank's own arithmetic (:func:`textsearch.rank`), so
  both engines put the same actions on top. Plain SQL, so it runs on PostgreSQL too (the
  tests compare the two there).

Tokenising, stop words and stemming come from :mod:`platsa.core.analysis.textsearch`, shared by both.
:func:`catalogue_listing` is the list page's selector: filters, search, order.
"""

from __future__ import annotations

import hashlib
import json
import weakref
from dataclasses import dataclass
from typing import Literal

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import Combinable

from platsa.catalogue.models import ActionSearchEntry, ActionSearchIndex
from platsa.core.analysis import textsearch
from platsa.core.schema.catalogue import Action, Catalogue
from platsa.core.schema.frameworks import Framework

Engine = Literal["postgres", "stems"]

# Which part of an action's text carries which of PostgreSQL's weights (A ranks highest).
PARTS: dict[str, str] = {"a": "A", "b": "B", "c": "C", "d": "D"}
# Ranks are kept to this many decimals (PostgreSQL computes them as 4-byte floats).
RANK_DIGITS = 4
# Bump when the texts put into the index change (what goes into which weight).
LAYOUT_VERSION = "1"

_digests: weakref.WeakKeyDictionary[Catalogue, str] = weakref.WeakKeyDictionary()


def action_texts(action: Action, language: str) -> dict[str, str]:
    """What is searchable about an action in a language, by weight (pure; no database).

    Place names and source titles are the same in both languages, so both carry them.
    """
    examples = [f"{e.place}. {e.text.get(language)}" for e in action.examples]
    sources = [e.source.title for e in action.examples] + [s.title for s in action.sources]
    return {
        "a": action.title.get(language),
        "b": action.summary.get(language),
        "c": "\n".join([action.description.get(language), *examples]),
        "d": "\n".join(sources),
    }


def catalogue_digest(catalogue: Catalogue) -> str:
    """A fingerprint of everything the index is built from, and of the rules it is built by.

    Remembered per catalogue object: the shared catalogue is loaded once per process, so
    this costs a few milliseconds once, not on every search.
    """
    known = _digests.get(catalogue)
    if known is not None:
        return known
    payload = {
        "rules": textsearch.RULES_VERSION,
        "layout": LAYOUT_VERSION,
        "framework": catalogue.framework_id,
        "actions": [a.model_dump(mode="json") for a in catalogue],
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    _digests[catalogue] = digest
    return digest


def _spaced(stems: list[str]) -> str:
    """Stems between spaces, so that " term" matches a stem's start (a prefix) and only that."""
    return f" {' '.join(stems)} " if stems else ""


def _entries(catalogue: Catalogue) -> list[ActionSearchEntry]:
    entries = []
    for action in catalogue:
        for language in textsearch.CONFIGS:
            texts = {k: textsearch.normalise(v) for k, v in action_texts(action, language).items()}
            stems = {k: _spaced(textsearch.stems(v, language)) for k, v in texts.items()}
            entries.append(
                ActionSearchEntry(
                    framework_id=catalogue.framework_id,
                    action_id=action.id,
                    language=language,
                    **{f"text_{k}": v for k, v in texts.items()},
                    **{f"stems_{k}": v for k, v in stems.items()},
                )
            )
    return entries


def rebuild_index(catalogue: Catalogue, *, force: bool = False) -> bool:
    """Replace the framework's index with one built from ``catalogue``, in one transaction.

    Concurrent callers queue on the index's row (``select_for_update``), and whoever comes
    second finds the index current and does nothing, unless ``force``. Returns whether it
    rebuilt. Readers never see a half-built index: the old one stays until the commit.
    """
    digest = catalogue_digest(catalogue)
    with transaction.atomic():
        state, _created = ActionSearchIndex.objects.select_for_update().get_or_create(
            framework_id=catalogue.framework_id, defaults={"digest": ""}
        )
        if state.digest == digest and not force:
            return False
        ActionSearchEntry.objects.filter(framework_id=catalogue.framework_id).delete()
        ActionSearchEntry.objects.bulk_create(_entries(catalogue), batch_size=200)
        if connection.vendor == "postgresql":
            for language, config in textsearch.CONFIGS.items():
                vector = (
                    SearchVector("text_a", weight="A", config=config)
                    + SearchVector("text_b", weight="B", config=config)
                    + SearchVector("text_c", weight="C", config=config)
                    + SearchVector("text_d", weight="D", config=config)
                )
                ActionSearchEntry.objects.filter(
                    framework_id=catalogue.framework_id, language=language
                ).update(vector=vector)
        state.digest = digest
        state.save()
    return True


def ensure_index(catalogue: Catalogue) -> None:
    """Rebuild the index if it was built from another catalogue (one query when it was not)."""
    current = ActionSearchIndex.objects.filter(
        framework_id=catalogue.framework_id, digest=catalogue_digest(catalogue)
    ).exists()
    if not current:
        rebuild_index(catalogue)


def default_engine() -> Engine:
    return "postgres" if connection.vendor == "postgresql" else "stems"


def _stems_search(
    entries: QuerySet[ActionSearchEntry], query: textsearch.Query
) -> dict[str, float]:
    """Prefix-match stems with LIKE in the database, then rank the few matches here."""
    columns = [f"stems_{part}" for part in PARTS]
    for stem in query.stems:
        entries = entries.filter(
            Q.create([(f"{c}__contains", f" {stem}") for c in columns], connector=Q.OR)
        )
    weights = [textsearch.TS_RANK_WEIGHTS[w] for w in PARTS.values()]
    return {
        action_id: textsearch.rank(
            [(w, text.split()) for w, text in zip(weights, texts, strict=True)], query.stems
        )
        for action_id, *texts in entries.values_list("action_id", *columns)
    }


def _postgres_search(
    entries: QuerySet[ActionSearchEntry], query: textsearch.Query
) -> dict[str, float]:
    """Match all prefix terms against the tsvector; rank as the sum of each term's ts_rank.

    Not ts_rank of the whole AND query: for that PostgreSQL scores how close together the
    terms stand, which gives nearly nothing to a title word plus a description word.
    """
    config = textsearch.CONFIGS[query.language]
    everything = SearchQuery(query.tsquery(), search_type="raw", config=config)
    rank: Combinable = Value(0.0)
    for word in query.words:
        one = SearchQuery(textsearch.prefix_tsquery([word]), search_type="raw", config=config)
        rank = rank + SearchRank(F("vector"), one)
    return dict(
        entries.filter(vector=everything).annotate(rank=rank).values_list("action_id", "rank")
    )


def search_actions(
    catalogue: Catalogue,
    query: textsearch.Query,
    *,
    engine: Engine | None = None,
    check_index: bool = True,
) -> dict[str, float]:
    """The actions whose texts in ``query.language`` match every term, with their rank.

    Higher ranks are better. Both engines score alike (see :func:`textsearch.rank`); ranks
    are rounded so that the last digits of PostgreSQL's single-precision floats do not
    decide between actions that rank the same (the caller's order breaks such ties). An
    empty query matches nothing (the caller decides what "no query" shows). A caller that
    searches twice for one page checks the index once (``check_index=False`` the second time).
    """
    if not query:
        return {}
    if check_index:
        ensure_index(catalogue)
    entries = ActionSearchEntry.objects.filter(
        framework_id=catalogue.framework_id, language=query.language
    )
    if (engine or default_engine()) == "postgres":
        ranks = _postgres_search(entries, query)
    else:
        ranks = _stems_search(entries, query)
    return {action_id: round(rank, RANK_DIGITS) for action_id, rank in ranks.items()}


# --- the list page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogueListing:
    """The actions for the catalogue's list page, in the order to show them.

    ``searched`` says a search was made (so the page says "n actions match"), and
    ``fallback_language`` which other language the matches were found in when nothing
    matched in the page's own (None when they match in the page's language).
    """

    actions: list[Action]
    searched: bool = False
    fallback_language: str | None = None


def _ranked(actions: list[Action], ranks: dict[str, float]) -> list[Action]:
    """The matching actions, best first; a stable sort keeps the list's order among equals."""
    return sorted((a for a in actions if a.id in ranks), key=lambda a: -ranks[a.id])


def catalogue_listing(
    catalogue: Catalogue,
    framework: Framework,
    *,
    language: str,
    theme: str = "",
    horizon: str = "",
    lead: str = "",
    query: str = "",
) -> CatalogueListing:
    """The shared catalogue filtered by theme, time horizon and lead, and searched.

    Without a query the order is the list's own: by theme (strongest first when one theme is
    chosen), then title. With one, the matches in the page's language come best first. If
    nothing matches in that language, the other language is searched too (titles and
    summaries are translations, so a visitor who types an English word on the Swedish page
    still finds the action) and the page says so. Filters apply to either search.
    """
    actions = list(catalogue)
    if theme:
        actions = sorted(
            (a for a in actions if theme in a.themes),
            key=lambda a: (-a.themes[theme], a.title.get(language)),
        )
    else:
        order = {t: i for i, t in enumerate(framework.theme_ids)}
        actions.sort(key=lambda a: (order.get(a.primary_theme, 99), a.title.get(language)))
    if horizon:
        actions = [a for a in actions if a.horizon.value == horizon]
    if lead:
        actions = [a for a in actions if any(x.value == lead for x in a.lead_actors)]
    if not query.strip():
        return CatalogueListing(actions)
    parsed = textsearch.parse_query(query, language)
    found = _ranked(actions, search_actions(catalogue, parsed)) if actions else []
    if found or not parsed or not actions:
        return CatalogueListing(found, searched=True)
    for other in textsearch.CONFIGS:
        if other == parsed.language:
            continue
        again = textsearch.parse_query(query, other)
        found = _ranked(actions, search_actions(catalogue, again, check_index=False))
        if found:
            return CatalogueListing(found, searched=True, fallback_language=other)
    return CatalogueListing([], searched=True)
