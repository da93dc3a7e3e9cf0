"""Full-text search and paging in the public catalogue (/katalog/), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from platsa.catalogue.models import ActionSearchEntry, ActionSearchIndex
from platsa.catalogue.search import catalogue_digest, ensure_index, search_actions
from platsa.catalogue.selectors import shared_catalogue
from platsa.catalogue.views import CATALOGUE_PAGE_SIZE
from platsa.core.analysis import textsearch
from platsa.core.schema.catalogue import Catalogue

pytestmark = pytest.mark.django_db

FIBRE = "broadband_cooperative"  # "Fiberförening som bygger byanät" in actions_a.yaml
ON_POSTGRES = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own full-text search"
)


@pytest.fixture
def shared(framework) -> Catalogue:
    return shared_catalogue(framework.id, framework.version)


def listed(client, **params) -> list[str]:
    response = client.get(reverse("catalogue:list"), params)
    assert response.status_code == 200
    return [a.id for a in response.context["actions"]]


def all_listed(client, **params) -> list[str]:
    """Every action the list shows for these parameters, page after page."""
    first = client.get(reverse("catalogue:list"), params)
    pages = first.context["page_obj"].paginator.num_pages
    ids = [a.id for a in first.context["actions"]]
    for number in range(2, pages + 1):
        ids += listed(client, **params, page=number)
    return ids


def status(html: str) -> str:
    """The result count the page announces (its role="status" paragraph)."""
    start = html.index('<p role="status">')
    return html[start : html.index("</p>", start)]


def english(client):
    client.cookies["platsa_lang"] = "en"
    return client


# --- finding things --------------------------------------------------------------------------


def test_bredband_finds_the_fibre_cooperative_in_swedish(client):
    """The action never says "bredband" itself: its sources say "bredband" and
    "bredbandsföreningar", which only a prefix search over the sources finds."""
    response = client.get(reverse("catalogue:list"), {"q": "bredband"})
    ids = [a.id for a in response.context["actions"]]
    assert ids[0] == FIBRE
    assert {FIBRE, "mobile_coverage_mapping", "community_mobile_mast"} <= set(ids)
    html = response.content.decode()
    assert "Fiberförening som bygger byanät" in html
    assert str(len(ids)) in status(html)  # the count, and the query it is for
    assert "bredband" in status(html)
    assert response.context["fallback_language"] is None


def test_broadband_finds_it_in_english(client):
    ids = listed(english(client), q="broadband")
    assert ids[0] == FIBRE
    assert "Broadband co-operative building a village fibre network" in (
        client.get(reverse("catalogue:list"), {"q": "broadband"}).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "forms"),
    [
        ("sv", ["förening", "föreningar", "föreningarna", "Föreningen"]),
        ("en", ["association", "associations"]),
    ],
)
def test_every_inflection_finds_the_same_actions(client, language, forms):
    if language == "en":
        english(client)
    found = [set(all_listed(client, q=form)) for form in forms]
    assert all(f == found[0] for f in found)
    # The car pool's texts say "förening" and "föreningen" (and "association"), never the
    # plural: only a stemmed index finds it for "föreningar" / "associations".
    assert "car_sharing_pool" in found[0]


def test_a_query_of_several_words_needs_them_all(client):
    both = listed(client, q="fiber förening")
    assert both[0] == FIBRE
    assert set(both) <= set(all_listed(client, q="fiber"))
    assert set(both) <= set(all_listed(client, q="förening"))


def test_place_names_of_good_examples_are_searched(client):
    assert listed(client, q="Ambjörby") == ["svc_village_school_kept"]
    assert listed(english(client), q="ambjorby") == []  # no accent folding: "ö" is a letter


def test_nothing_in_the_page_language_falls_back_to_the_other(client):
    """An English word typed on the Swedish page still finds the action, and says so."""
    response = client.get(reverse("catalogue:list"), {"q": "co-operative"})
    ids = [a.id for a in response.context["actions"]]
    assert FIBRE in ids
    assert response.context["fallback_language"] == "en"
    assert 'class="note"' in response.content.decode()


def test_no_match_in_either_language_is_an_empty_list(client):
    response = client.get(reverse("catalogue:list"), {"q": "zxqvbnm"})
    assert response.status_code == 200
    assert list(response.context["actions"]) == []
    assert response.context["page_obj"].paginator.count == 0
    assert "0" in status(response.content.decode())
    assert "zxqvbnm" in status(response.content.decode())


# --- filters and order -----------------------------------------------------------------------


def test_filters_combine_with_the_query(client, shared):
    everything = set(all_listed(client, q="förening"))
    mobility = all_listed(client, q="förening", theme="mobility")
    assert "car_sharing_pool" in mobility
    assert set(mobility) < everything
    assert all("mobility" in shared.get(i).themes for i in mobility)
    narrow = all_listed(client, q="förening", theme="mobility", horizon="short", lead="association")
    assert narrow
    for action in map(shared.get, narrow):
        assert "mobility" in action.themes
        assert action.horizon.value == "short"
        assert "association" in [x.value for x in action.lead_actors]


def test_results_are_ranked_by_relevance(client, shared):
    """A title hit beats a hit in a long description: the order is the rank's, not the
    list's own (the school actions are not first in the list without a query)."""
    ids = all_listed(client, q="skola")
    titles = [shared_action(i).title.sv.lower() for i in ids]
    assert all("skol" in t for t in titles[:2])  # title hits first
    assert not all("skol" in t for t in titles)  # then hits in the texts
    assert ids != [i for i in all_listed(client) if i in ids]


def test_without_a_query_the_order_is_unchanged(client, framework, shared):
    order = {t: i for i, t in enumerate(framework.theme_ids)}
    expected = sorted(shared, key=lambda a: (order.get(a.primary_theme, 99), a.title.sv))
    assert all_listed(client) == [a.id for a in expected]


# --- paging ----------------------------------------------------------------------------------


def test_the_list_is_paged(client, shared):
    everything = all_listed(client)
    assert len(everything) == len(shared) == len(set(everything))
    page_one = listed(client)
    page_two = listed(client, page=2)
    assert len(page_one) == CATALOGUE_PAGE_SIZE
    assert page_two == everything[CATALOGUE_PAGE_SIZE : 2 * CATALOGUE_PAGE_SIZE]


def test_page_links_keep_the_filters_and_are_accessible(client):
    html = client.get(
        reverse("catalogue:list"), {"q": "förening", "theme": "community", "page": 2}
    ).content.decode()
    nav = html[html.index('<nav class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    assert 'aria-label="' in nav
    assert 'href="?q=f%C3%B6rening&amp;theme=community&amp;page=1"' in nav
    assert 'href="?q=f%C3%B6rening&amp;theme=community&amp;page=2" aria-current="page"' in nav
    assert nav.count('aria-current="page"') == 1


@pytest.mark.parametrize(
    ("page", "expected"),
    [("999", "last"), ("-1", "last"), ("0", "last"), ("abc", 1), ("", 1), ("1e9", 1)],
)
def test_a_bad_page_number_shows_the_first_or_last_page(client, page, expected):
    response = client.get(reverse("catalogue:list"), {"page": page})
    assert response.status_code == 200
    page_obj = response.context["page_obj"]
    assert page_obj.number == (page_obj.paginator.num_pages if expected == "last" else expected)


def test_few_results_have_no_page_links(client):
    assert (
        "pagination"
        not in client.get(reverse("catalogue:list"), {"q": "bredband"}).content.decode()
    )


# --- hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "x" * 10_000,
        "bredband " * 500,
        "'\"&|!:*()",
        "'; DROP TABLE catalogue_actionsearchentry; --",
        "bredband:* | !förening & (",
        "<script>alert(1)</script>",
        "%_%",
        "\\",
        "\x00bredband",
        "🙂 ☃",
        "a b c d e f g h i j k l",
    ],
)
def test_hostile_queries_never_fail(client, query):
    response = client.get(reverse("catalogue:list"), {"q": query, "page": "2"})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert listed(client, q="bredband")[0] == FIBRE  # and the index is as it was


def test_operators_are_not_a_query(client):
    """Nothing searchable is left of punctuation or stop words: no action matches."""
    for query in ("'\"&|!:*()", "och att", "%_%"):
        assert listed(client, q=query) == []


# --- keeping the index in step ---------------------------------------------------------------


def test_the_index_is_built_on_first_search_and_rebuilt_when_the_catalogue_changes(
    shared, django_assert_num_queries
):
    assert not ActionSearchIndex.objects.exists()
    query = textsearch.parse_query("zebrabuss", "sv")
    assert search_actions(shared, query) == {}
    state = ActionSearchIndex.objects.get(framework_id=shared.framework_id)
    assert state.digest == catalogue_digest(shared)
    assert ActionSearchEntry.objects.filter(framework_id=shared.framework_id).count() == 2 * len(
        shared
    )
    with django_assert_num_queries(1):  # in step: one look at the digest
        ensure_index(shared)

    # The data files change: an action is renamed, one is removed.
    actions = list(shared)
    renamed = actions[0].model_copy(
        update={"title": actions[0].title.model_copy(update={"sv": "Zebrabussen i byn"})}
    )
    changed = Catalogue(shared.framework_id, [renamed, *actions[1:-1]])
    assert catalogue_digest(changed) != state.digest
    assert search_actions(changed, query) == {renamed.id: pytest.approx(0.6079, abs=1e-3)}
    assert ActionSearchEntry.objects.filter(framework_id=shared.framework_id).count() == 2 * (
        len(shared) - 1
    )
    # ... and back: the old texts are searched again.
    assert search_actions(shared, query) == {}
    assert search_actions(shared, textsearch.parse_query(actions[-1].title.sv, "sv"))


def test_the_command_rebuilds_the_index(shared):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert f"{shared.framework_id}: {len(shared)} actions" in out.getvalue()
    state = ActionSearchIndex.objects.get(framework_id=shared.framework_id)
    assert state.digest == catalogue_digest(shared)
    assert ActionSearchEntry.objects.filter(language="en", action_id=FIBRE).exists()


# --- bounded queries -------------------------------------------------------------------------


def test_the_list_issues_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):  # the first search builds the index
        client.get(reverse("catalogue:list"), {"q": "förening"})
    with django_assert_max_num_queries(2):  # digest check and search
        client.get(reverse("catalogue:list"), {"q": "förening", "theme": "community", "page": 2})
    with django_assert_max_num_queries(3):  # ... and the other language when nothing matched
        client.get(reverse("catalogue:list"), {"q": "co-operative"})
    with django_assert_max_num_queries(0):  # no query: no database at all
        client.get(reverse("catalogue:list"), {"page": 3})


# --- the two engines -------------------------------------------------------------------------

SAME_ON_BOTH = [
    ("bredband", "sv"),
    ("broadband", "en"),
    ("förening", "sv"),
    ("föreningar", "sv"),
    ("skola", "sv"),
    ("bostäder", "sv"),
    ("school", "en"),
    ("fiber förening", "sv"),
]


@ON_POSTGRES
@pytest.mark.parametrize(("text", "language"), SAME_ON_BOTH)
def test_both_engines_find_the_same_and_rank_the_top_alike(shared, text, language):
    """The stems engine (SQLite's) runs on PostgreSQL too, so the two can be compared."""
    query = textsearch.parse_query(text, language)
    postgres = search_actions(shared, query, engine="postgres")
    stems = search_actions(shared, query, engine="stems")
    assert postgres
    assert set(postgres) == set(stems)
    order = {a.id: i for i, a in enumerate(shared)}

    def top(ranks: dict[str, float]) -> list[str]:
        return sorted(ranks, key=lambda i: (-ranks[i], order[i]))[:5]

    assert top(postgres) == top(stems)


@ON_POSTGRES
def test_postgres_swedish_stemmer_keeps_compounds_whole():
    """Why prefix matching is needed: PostgreSQL does not split Swedish compounds, so
    "bredbandsföreningar" is one lexeme ('bredbandsförening'), found by "bredband:*" but
    not by "förening"; the stems engine behaves the same."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_tsvector('swedish', %s)::text, "
            "to_tsvector('swedish', %s) @@ to_tsquery('swedish', %s), "
            "to_tsvector('swedish', %s) @@ to_tsquery('swedish', %s)",
            ["bredbandsföreningar"] * 2 + ["'bredband':*", "bredbandsföreningar", "'förening':*"],
        )
        vector, by_prefix, by_suffix = cursor.fetchone()
    assert vector == "'bredbandsförening':1"
    assert by_prefix is True
    assert by_suffix is False
    assert textsearch.stems("bredbandsföreningar", "sv") == ["bredbandsförening"]


# --- the core's rules ------------------------------------------------------------------------


def test_queries_keep_only_letters_and_digits():
    query = textsearch.parse_query("Bredband'\":*&|!() OCH föreningar föreningar x", "sv")
    assert query.words == ("bredband", "föreningar")
    assert query.stems == ("bredband", "förening")
    assert query.tsquery() == "'bredband':* & 'föreningar':*"
    assert not textsearch.parse_query("'\"&|!:*() och", "sv")
    assert len(textsearch.parse_query("ord " * 100 + "a b c d e f g h i j", "sv").words) <= (
        textsearch.MAX_QUERY_TERMS
    )


def test_hyphenated_words_are_indexed_whole_and_in_parts_as_postgres_does():
    assert textsearch.index_words("e-post och 2018-11-06") == [
        "e-post",
        "e",
        "post",
        "och",
        "2018",
        "11",
        "06",
    ]
    assert textsearch.words("e-post") == ["e", "post"]


def test_rank_follows_ts_rank():
    title_once = textsearch.rank([(1.0, ["förening"]), (0.2, [])], ["förening"])
    description_often = textsearch.rank([(1.0, []), (0.2, ["förening"] * 8)], ["förening"])
    assert title_once == pytest.approx(0.6079, abs=1e-4)  # ts_rank('förening:1A', ...)
    assert title_once > description_often > 0


def shared_action(action_id: str):
    from platsa.catalogue.selectors import frameworks, shared_catalogue

    fw = frameworks()["place-attractiveness"]
    return shared_catalogue(fw.id, fw.version).get(action_id)
