"""The action catalogue: actions a place can take, with good examples and their sources.

Actions are data files (``platsa/data/catalogue/*.yaml``), validated on load against the
framework whose themes they address. Every word a user reads about an action comes from
these files; the recommendation engine only reads the structured fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from platsa.core.datafiles import load_yaml
from platsa.core.frameworks import Framework
from platsa.core.texts import LocalText

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "data" / "catalogue"


class CatalogueError(ValueError):
    """A catalogue file does not follow the schema or names unknown themes."""


class SizeClass(StrEnum):
    """Size of the place itself (not its municipality), by inhabitants."""

    VILLAGE = "village"  # fewer than 1 000
    SMALL_TOWN = "small_town"  # 1 000 - 9 999
    TOWN = "town"  # 10 000 - 49 999
    CITY = "city"  # 50 000 or more


class Remoteness(StrEnum):
    URBAN = "urban"
    NEAR_TOWN = "near_town"
    RURAL = "rural"


class Effort(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class CostBand(StrEnum):
    LOW = "low"  # under 100 000 SEK
    MEDIUM = "medium"  # 100 000 - 1 million SEK
    HIGH = "high"  # 1 - 10 million SEK
    VERY_HIGH = "very_high"  # over 10 million SEK


class Horizon(StrEnum):
    SHORT = "short"  # within a year
    MEDIUM = "medium"  # 1-3 years
    LONG = "long"  # more than 3 years


class Lead(StrEnum):
    MUNICIPALITY = "municipality"
    INDUSTRY = "industry"
    ASSOCIATION = "association"
    REGION = "region"
    JOINTLY = "jointly"


class Funding(StrEnum):
    LEADER = "leader"
    TILLVAXTVERKET = "tillvaxtverket"
    JORDBRUKSVERKET = "jordbruksverket"
    INTERREG = "interreg"
    BOVERKET = "boverket"
    VINNOVA = "vinnova"
    MUNICIPAL_BUDGET = "municipal_budget"
    REGION = "region"
    ARVSFONDEN = "arvsfonden"
    PTS = "pts"
    TRAFIKVERKET = "trafikverket"
    ENERGIMYNDIGHETEN = "energimyndigheten"
    ESF = "esf"
    PRIVATE = "private"
    CROWDFUNDING = "crowdfunding"
    HOUSING_COMPANY = "housing_company"


class ContextTag(StrEnum):
    """Facts about a place that make an action fit better (a soft boost, never a filter)."""

    DECLINING_POPULATION = "declining_population"
    GROWING_POPULATION = "growing_population"
    AGEING = "ageing"
    REMOTE = "remote"
    INDUSTRY_TOWN = "industry_town"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# A source must be a page people can open in a browser. The web form checks links with this
# same rule (platsa.catalogue.forms), so nothing the form accepts is refused here later.
SOURCE_URL_SCHEMES = ("https", "http")


def is_source_url(url: str) -> bool:
    """``https://…`` or ``http://…`` with a host: what a reader can open from a page."""
    scheme, sep, rest = url.partition("://")
    return bool(sep) and scheme.lower() in SOURCE_URL_SCHEMES and bool(rest.split("/", 1)[0])


class SourceRef(_Strict):
    """A public source: a report, a web page, a seed document."""

    title: str = Field(min_length=3)
    url: str | None = None
    publisher: str | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)

    @field_validator("url")
    @classmethod
    def _https(cls, value: str | None) -> str | None:
        if value is not None and not is_source_url(value):
            raise ValueError("url must start with https:// or http://")
        return value


class Example(_Strict):
    """A good example: a real place that did it, and where that is written down."""

    place: str = Field(min_length=2)
    municipality_code: str | None = Field(default=None, pattern=r"^\d{3,4}$")
    country: str = Field(default="SE", pattern=r"^[A-Z]{2}$")
    year: int | None = Field(default=None, ge=1900, le=2100)
    text: LocalText
    source: SourceRef

    @field_validator("country", mode="before")
    @classmethod
    def _norway(cls, value: object) -> object:
        """YAML 1.1 reads an unquoted ``NO`` as false (the "Norway problem")."""
        return "NO" if value is False else value


class Preconditions(_Strict):
    """When an action can apply at all. An empty list means "any"."""

    size_classes: tuple[SizeClass, ...] = ()
    remoteness: tuple[Remoteness, ...] = ()
    requires_industry_employer: bool = False


class Action(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: LocalText
    summary: LocalText
    description: LocalText
    themes: dict[str, int]
    preconditions: Preconditions = Preconditions()
    fits: tuple[ContextTag, ...] = ()
    effort: Effort
    cost_band: CostBand
    horizon: Horizon
    lead_actors: tuple[Lead, ...] = Field(min_length=1)
    funding: tuple[Funding, ...] = ()
    examples: tuple[Example, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    # Set for actions that a place wrote itself in the web app, empty for the shared catalogue.
    origin: str = "catalogue"

    @field_validator("themes")
    @classmethod
    def _strengths(cls, value: dict[str, int]) -> dict[str, int]:
        if not value:
            raise ValueError("an action must address at least one theme")
        for theme, strength in value.items():
            if strength not in (1, 2, 3):
                raise ValueError(f"strength for {theme} must be 1, 2 or 3")
        return value

    @property
    def is_joint(self) -> bool:
        """Led jointly, or by more than one kind of actor: what a place/industry gap calls for."""
        return Lead.JOINTLY in self.lead_actors or len(set(self.lead_actors)) > 1

    @property
    def primary_theme(self) -> str:
        """The theme the action addresses most strongly (first listed on a tie)."""
        return max(self.themes, key=lambda t: self.themes[t])


class CatalogueFile(_Strict):
    framework: str
    actions: tuple[Action, ...]


class Catalogue:
    """All actions for one framework, by id, in file order."""

    def __init__(self, framework_id: str, actions: Iterable[Action]) -> None:
        self.framework_id = framework_id
        self.actions: dict[str, Action] = {}
        for action in actions:
            if action.id in self.actions:
                raise CatalogueError(f"duplicate action id {action.id!r}")
            self.actions[action.id] = action

    def __len__(self) -> int:
        return len(self.actions)

    def __iter__(self):
        return iter(self.actions.values())

    def get(self, action_id: str) -> Action | None:
        return self.actions.get(action_id)

    def with_extra(self, extra: Iterable[Action]) -> Catalogue:
        """This catalogue plus a place's own actions (their ids must not clash)."""
        return Catalogue(self.framework_id, [*self.actions.values(), *extra])

    def for_theme(self, theme_id: str) -> list[Action]:
        return [a for a in self.actions.values() if theme_id in a.themes]


def _check_themes(action: Action, framework: Framework, where: str) -> None:
    unknown = [t for t in action.themes if not framework.has_theme(t)]
    if unknown:
        raise CatalogueError(
            f"{where}: action {action.id!r} names unknown theme(s) {', '.join(unknown)} "
            f"of framework {framework.id!r}"
        )


def load_catalogue(framework: Framework, folders: Iterable[Path] = (BUILTIN_DIR,)) -> Catalogue:
    """Every action for ``framework`` from the catalogue folders, validated."""
    actions: list[Action] = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            try:
                raw = load_yaml(path)
                data = CatalogueFile.model_validate(raw)
            except (OSError, yaml.YAMLError, ValidationError) as exc:
                raise CatalogueError(f"{path}: invalid catalogue file:\n{exc}") from exc
            if data.framework != framework.id:
                continue
            for action in data.actions:
                _check_themes(action, framework, str(path))
                actions.append(action)
    return Catalogue(framework.id, actions)


def validate_action(action: Action, framework: Framework) -> None:
    """Check a place's own action against the framework (used by the web form)."""
    _check_themes(action, framework, "action")
