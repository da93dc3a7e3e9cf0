"""What a programme draft says: the results of a mapping turned into items with their facts
written out (names and figures in the coordinator's language), for ``programme_draft``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from platsa.catalogue.selectors import shared_catalogue
from platsa.core.analysis.comparison import Comparison, lighthouse_pairs, shared_development_areas
from platsa.core.render.explain import number
from platsa.mappings import selectors
from platsa.mappings.models import ProgrammeItem
from platsa.mappings.services import ItemDraft
from platsa.processes.models import Process

MAX_NAMES = 12  # a line of names a reader still reads; the rest as "and 7 more"
MAX_ACTIONS = 5


def names_list(keys: tuple[str, ...] | list[str], names: dict[str, str]) -> str:
    """Municipalities by name, in alphabetical order, the first few and how many more."""
    shown = sorted(names[k] for k in keys)
    text = ", ".join(shown[:MAX_NAMES])
    if len(shown) > MAX_NAMES:
        rest = len(shown) - MAX_NAMES
        text += " " + ngettext("and %(n)s more", "and %(n)s more", rest) % {"n": rest}
    return text


def draft_items(
    mapping: Process,
    units: list[selectors.Unit],
    compared: Comparison,
    key: str,
    language: str,
) -> list[ItemDraft]:
    """The shared development areas (weak in at least two municipalities, or the most shared
    one), the actions on most lists, and the lighthouse pairs, in that order."""
    fw = units[0].round.framework
    titles = {t.id: t.title.get(language) for t in fw.themes}
    names = {u.key: u.area.name for u in units}
    items: list[ItemDraft] = []
    areas = [a for a in shared_development_areas(compared) if a.rated_units]
    chosen = [a for a in areas if a.weak_units >= 2] or [a for a in areas[:1] if a.weak_units]
    for area in chosen:
        facts = _(
            "Weak (below the scale's middle) in %(weak)s of %(rated)s municipalities: "
            "%(names)s. Mean of all: %(mean)s."
        ) % {
            "weak": area.weak_units,
            "rated": area.rated_units,
            "names": names_list(area.weak_keys, names),
            "mean": number(area.mean, language),
        }
        items.append(
            ItemDraft(
                kind=ProgrammeItem.Kind.AREA,
                title=titles[area.theme_id],
                facts=facts,
                theme_id=area.theme_id,
            )
        )
    catalogue = shared_catalogue(fw.id, fw.version)
    rated = sum(1 for u in compared.units if u.respondents)
    for shared in selectors.programme_actions(mapping, units, compared, key)[:MAX_ACTIONS]:
        action = catalogue.get(shared.action_id)
        if action is None:
            continue
        facts = _("On the list of %(count)s of %(rated)s municipalities: %(names)s.") % {
            "count": len(shared.units),
            "rated": rated,
            "names": names_list(shared.units, names),
        }
        items.append(
            ItemDraft(
                kind=ProgrammeItem.Kind.ACTION,
                title=action.title.get(language),
                facts=facts,
                theme_id=action.primary_theme,
                action_id=action.id,
            )
        )
    matrix = compared.matrix()
    row = {u.key: i for i, u in enumerate(compared.units)}
    for pair in lighthouse_pairs(compared, per_theme=1):  # the clearest pair per dimension
        j = compared.theme_ids.index(pair.theme_id)
        items.append(
            ItemDraft(
                kind=ProgrammeItem.Kind.PAIR,
                title=_("%(theme)s: %(lighthouse)s with %(follower)s")
                % {
                    "theme": titles[pair.theme_id],
                    "lighthouse": names[pair.lighthouse],
                    "follower": names[pair.follower],
                },
                facts=_("%(lighthouse)s %(high)s, %(follower)s %(low)s (%(difference)s apart).")
                % {
                    "lighthouse": names[pair.lighthouse],
                    "high": number(float(matrix[row[pair.lighthouse], j]), language),
                    "follower": names[pair.follower],
                    "low": number(float(matrix[row[pair.follower], j]), language),
                    "difference": number(pair.difference, language),
                },
                theme_id=pair.theme_id,
            )
        )
    return items
