"""The action catalogue as data: size, contract, seed innovations, sources."""

from __future__ import annotations

import pytest
import yaml

from platsa.core.catalogue import CatalogueError, load_catalogue

# Every innovation named in seed 002 (smart rural areas), by the action that carries it.
SEED_002_INNOVATIONS = {
    "car sharing": "car_sharing_pool",
    "village-owned shop": "svc_village_owned_shop",
    "housing swap for older people": "senior_housing_swap",
    "REKO rings / local food nodes": "svc_reko_ring",
    "community-supported agriculture": "svc_community_supported_agriculture",
    "broadband co-operatives": "broadband_cooperative",
    "ride-sharing app": "rideshare_app",
    "digital citizen dialogue": "com_digital_citizen_dialogue",
    "innovative procurement": "com_innovative_procurement_local",
    "co-operatives taking over care and preschool": "svc_village_care_cooperative",
    "parent co-operative preschool": "svc_parent_coop_preschool",
    "transport arranged by associations": "volunteer_transport_service",
    "social enterprise local bus": "community_village_bus",
    "older people driven to the shop": "elderly_shop_pickup",
    "meeting places and events": "svc_meeting_place_events",
    "remote work": "remote_work_hub",
    "cooperation between municipal services": "com_municipal_service_coordination",
    "villages cooperating as one smart village": "com_village_cluster",
    "local economic analysis": "local_economic_analysis",
    "local development plan": "com_local_development_plan",
    "digital support for low digital maturity": "digital_support_library",
    "spreading good examples": "com_good_examples_exchange",
    "reaching people via social media": "com_local_ambassadors",
    "food experiences for local producers": "svc_food_trail_weekend",
}


def test_at_least_80_actions_in_both_languages(catalogue):
    assert len(catalogue) >= 80
    for a in catalogue:
        for text in (a.title, a.summary, a.description):
            assert text.sv.strip()
            assert text.en.strip()
        assert a.summary.sv != a.summary.en  # really written in both languages


@pytest.mark.parametrize(("innovation", "action_id"), SEED_002_INNOVATIONS.items())
def test_seed_002_innovations_are_in_the_catalogue(catalogue, innovation, action_id):
    assert catalogue.get(action_id) is not None, innovation


def test_examples_have_sources(catalogue):
    examples = [e for a in catalogue for e in a.examples]
    assert len(examples) >= 80
    for e in examples:
        assert e.source.title
        assert e.source.url is None or e.source.url.startswith(("http://", "https://"))
    with_url = [e for e in examples if e.source.url]
    assert len(with_url) >= 0.9 * len(examples)


def test_a_mix_of_horizons_leads_and_funding(catalogue):
    horizons = {a.horizon.value for a in catalogue}
    assert horizons == {"short", "medium", "long"}
    assert {lead.value for a in catalogue for lead in a.lead_actors} >= {
        "municipality",
        "industry",
        "association",
        "region",
        "jointly",
    }
    assert sum(1 for a in catalogue if a.preconditions.requires_industry_employer) >= 3
    funding = {f.value for a in catalogue for f in a.funding}
    assert {
        "leader",
        "tillvaxtverket",
        "jordbruksverket",
        "interreg",
        "boverket",
        "vinnova",
        "municipal_budget",
    } <= funding


def test_every_theme_has_actions(catalogue, framework):
    for theme in framework.theme_ids:
        assert len(catalogue.for_theme(theme)) >= 3, theme


def test_unknown_theme_is_rejected(tmp_path, framework):
    bad = {
        "framework": framework.id,
        "actions": [
            {
                "id": "x",
                "title": {"sv": "x", "en": "x"},
                "summary": {"sv": "x", "en": "x"},
                "description": {"sv": "x", "en": "x"},
                "themes": {"parking": 2},
                "effort": "low",
                "cost_band": "low",
                "horizon": "short",
                "lead_actors": ["municipality"],
            }
        ],
    }
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(bad))
    with pytest.raises(CatalogueError, match="parking"):
        load_catalogue(framework, [tmp_path])


def test_misspelt_field_is_rejected(tmp_path, framework):
    (tmp_path / "bad.yaml").write_text(
        "framework: place-attractiveness\nactions:\n  - id: y\n    titel: {sv: a, en: b}\n"
    )
    with pytest.raises(CatalogueError, match="titel"):
        load_catalogue(framework, [tmp_path])
