"""The action catalogue: actions a place can take, with good examples and their sources.

Actions are data files (``platsa/data/catalogue/*.yaml``), validated on load against the
framework whose themes they address. Every word a user reads about an action comes from
these files; the recommendation engine only reads the structured fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import Literal

import yaml
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from platsa.core.schema.datafiles import load_yaml
from platsa.core.schema.frameworks import Framework
from platsa.core.schema.texts import LocalText

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "data" / "catalogue"
FUNDING_DIR = Path(__file__).resolve().parents[2] / "data" / "funding"


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


class Trend(StrEnum):
    """Which way the population goes (see ``platsa.core.analysis.context`` for the thresholds)."""

    GROWING = "growing"
    STABLE = "stable"
    DECLINING = "declining"


class Country(StrEnum):
    """Countries whose places, instruments and funders the catalogue knows."""

    SE = "SE"
    NO = "NO"
    FI = "FI"


# Currency per country, for cost bands shown in the place's own money.
CURRENCY = {Country.SE: "SEK", Country.NO: "NOK", Country.FI: "EUR"}
# Cost band limits per currency (lower, upper; None = open). SEK and NOK are close enough
# that the same round figures serve both; EUR is a tenth, rounded. A band is an order of
# magnitude, not a price.
COST_BAND_LIMITS: dict[str, dict[str, tuple[int, int | None]]] = {
    "SEK": {
        "low": (0, 100_000),
        "medium": (100_000, 1_000_000),
        "high": (1_000_000, 10_000_000),
        "very_high": (10_000_000, None),
    },
    "NOK": {
        "low": (0, 100_000),
        "medium": (100_000, 1_000_000),
        "high": (1_000_000, 10_000_000),
        "very_high": (10_000_000, None),
    },
    "EUR": {
        "low": (0, 10_000),
        "medium": (10_000, 100_000),
        "high": (100_000, 1_000_000),
        "very_high": (1_000_000, None),
    },
}


def _country(value: object) -> object:
    """YAML 1.1 reads an unquoted ``NO`` as false (the "Norway problem")."""
    return "NO" if value is False else value


class ContextTag(StrEnum):
    """Facts about a place that make an action fit better (a soft boost, never a filter)."""

    DECLINING_POPULATION = "declining_population"
    GROWING_POPULATION = "growing_population"
    AGEING = "ageing"
    REMOTE = "remote"
    INDUSTRY_TOWN = (
        "industry_town"  # a large employer recruits here (mill, mine, resort, fish plant)
    )


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
    # The size of the example's own place (not its municipality's): with the municipality's
    # trend and remoteness from the reference data it decides which examples a place sees
    # first (a village sees villages).
    size_class: SizeClass | None = None
    year: int | None = Field(default=None, ge=1900, le=2100)
    text: LocalText
    source: SourceRef

    @field_validator("country", mode="before")
    @classmethod
    def _norway(cls, value: object) -> object:
        return _country(value)


class Preconditions(_Strict):
    """When an action can apply at all. An empty list means "any".

    ``size_classes`` works both ways: a village shop lists ``[village, small_town]`` and so
    does not fit a town of 9,300; a higher vocational programme lists ``[town, city]`` and so
    does not fit a village. ``trends`` keeps tools for declining places (matching empty
    houses) away from growing ones and the other way round. ``countries`` limits national
    instruments (YH, Husbanken, oppisopimus) to their country. ``requires_large_employer``
    (formerly ``requires_industry_employer``, still read) asks for an employer that recruits
    like a mill: a mine, a ski resort, a fish plant, a hospital."""

    size_classes: tuple[SizeClass, ...] = ()
    remoteness: tuple[Remoteness, ...] = ()
    trends: tuple[Trend, ...] = ()
    countries: tuple[Country, ...] = ()
    requires_large_employer: bool = Field(
        default=False,
        validation_alias=AliasChoices("requires_large_employer", "requires_industry_employer"),
    )

    @field_validator("countries", mode="before")
    @classmethod
    def _norway(cls, value: object) -> object:
        return [_country(v) for v in value] if isinstance(value, list | tuple) else value


class Keywords(_Strict):
    """Words that, found in what respondents wrote about the action's themes, show that
    people ask for it. Matched on Snowball stems, so ``butik`` also finds ``butiken``."""

    sv: tuple[str, ...] = ()
    en: tuple[str, ...] = ()
    nb: tuple[str, ...] = ()
    fi: tuple[str, ...] = ()


class Applicant(StrEnum):
    """Who may apply to a funder or programme, as its own pages state it.

    Kept apart from :class:`Lead` (who leads an action) because a funder's rules name legal
    forms, not roles: a village association (byalag, grendelag, kyläyhdistys) is an
    ``association``; a farm, a shop or an operator is a ``company``. ``partnership`` is a
    programme that asks for several applicants together (at least three municipalities, a
    municipality with an association)."""

    MUNICIPALITY = "municipality"
    REGION = "region"  # Swedish region, Norwegian fylkeskommune, Finnish maakunnan liitto
    ASSOCIATION = "association"  # non-profit associations and foundations, byalag
    COMPANY = "company"
    INDIVIDUAL = "individual"
    RESEARCH = "research"  # universities and research institutes
    PARTNERSHIP = "partnership"


def _https_source(value: str, what: str) -> str:
    """A funding claim's source: a page people can open, over https."""
    if not value.startswith("https://") or not is_source_url(value):
        raise ValueError(f"{what} must start with https://")
    return value


class FundingAmounts(_Strict):
    """The typical size of one grant or loan, only as a published page states it.

    Either end may be open (``max`` unset: the page names a floor but no ceiling). The
    currency is the one the page uses, and must be the money of a country the source applies
    in (checked by :class:`FundingSource`). ``source`` is the page that says it: an amount
    nobody can check is worse than none."""

    min: int | None = Field(default=None, ge=0)
    max: int | None = Field(default=None, ge=0)
    currency: Literal["SEK", "NOK", "EUR"]
    note: LocalText | None = None
    source: str

    @field_validator("source")
    @classmethod
    def _https(cls, value: str) -> str:
        return _https_source(value, "an amount's source")

    @model_validator(mode="after")
    def _range(self) -> FundingAmounts:
        if self.min is None and self.max is None:
            raise ValueError("amounts need a min, a max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"amounts min {self.min} is above max {self.max}")
        return self


class FundingSource(_Strict):
    """A funder or a programme that pays for actions, with where it applies.

    Everything after ``url`` is optional with an empty default, because frozen
    recommendations store funding sources as JSON and must still load after fields are
    added: ``applicants`` (empty: not stated), ``amounts`` (only where a page says it),
    ``staged`` (``None``: not stated; ``True``: pays part before the end, in stages or as an
    advance; ``False``: pays only afterwards), and ``themes`` (framework theme ids it fits,
    which the funding matcher reads; empty: shown only where an action names it).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalText
    publisher: str = Field(min_length=2)
    countries: tuple[Country, ...] = Field(min_length=1)
    funds: LocalText  # what it pays for, one or two sentences
    url: str
    applicants: tuple[Applicant, ...] = ()
    amounts: FundingAmounts | None = None
    staged: bool | None = None
    staged_note: LocalText | None = None
    staged_source: str | None = None  # the page that says how it pays out
    themes: tuple[str, ...] = ()

    @field_validator("countries", mode="before")
    @classmethod
    def _norway(cls, value: object) -> object:
        return [_country(v) for v in value] if isinstance(value, list | tuple) else value

    @field_validator("url")
    @classmethod
    def _https(cls, value: str) -> str:
        return _https_source(value, "a funding source's url")

    @field_validator("staged_source")
    @classmethod
    def _staged_https(cls, value: str | None) -> str | None:
        return None if value is None else _https_source(value, "staged_source")

    @field_validator("applicants", "themes")
    @classmethod
    def _unique(cls, value: tuple[object, ...]) -> tuple[object, ...]:
        if len(set(value)) != len(value):
            raise ValueError("values must not repeat")
        return value

    @field_validator("themes")
    @classmethod
    def _theme_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for theme in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", theme):
                raise ValueError(f"{theme!r} is not a theme id")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> FundingSource:
        if self.amounts is not None:
            money = {CURRENCY[c] for c in self.countries}
            if self.amounts.currency not in money:
                raise ValueError(
                    f"amounts in {self.amounts.currency}, but {self.id!r} applies in "
                    f"{', '.join(c.value for c in self.countries)} ({', '.join(sorted(money))})"
                )
        if self.staged is None and (self.staged_note or self.staged_source):
            raise ValueError("staged_note and staged_source need staged to be true or false")
        return self


class FundingFile(_Strict):
    funding: tuple[FundingSource, ...]


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
    keywords: Keywords = Keywords()
    funding: tuple[str, ...] = ()  # ids of funding sources (platsa/data/funding/*.yaml)
    examples: tuple[Example, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    # Ids this action took over when duplicates were merged: links to them keep working.
    replaces: tuple[str, ...] = ()
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
        """Really co-led (``jointly`` among its leads): only such an action bridges a gap
        between the place and its industry. An action that several kinds of actor *could*
        lead, each on its own, is not joint."""
        return Lead.JOINTLY in self.lead_actors

    @property
    def primary_theme(self) -> str:
        """The theme the action addresses most strongly (first listed on a tie)."""
        return max(self.themes, key=lambda t: self.themes[t])


class CatalogueFile(_Strict):
    framework: str
    actions: tuple[Action, ...]


class Catalogue:
    """All actions for one framework, by id, in file order, and the funding sources they
    name."""

    def __init__(
        self,
        framework_id: str,
        actions: Iterable[Action],
        funding: dict[str, FundingSource] | None = None,
    ) -> None:
        self.framework_id = framework_id
        self.funding: dict[str, FundingSource] = dict(funding or {})
        self.actions: dict[str, Action] = {}
        self.aliases: dict[str, str] = {}  # merged-away id -> the id that replaced it
        for action in actions:
            if action.id in self.actions:
                raise CatalogueError(f"duplicate action id {action.id!r}")
            self.actions[action.id] = action
            for old in action.replaces:
                self.aliases[old] = action.id
        clash = sorted(set(self.aliases) & set(self.actions))
        if clash:
            raise CatalogueError(f"replaced id(s) still in use: {', '.join(clash)}")

    def __len__(self) -> int:
        return len(self.actions)

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions.values())

    def get(self, action_id: str) -> Action | None:
        """The action by id, or by an id it replaced when duplicates were merged."""
        return self.actions.get(action_id) or self.actions.get(self.aliases.get(action_id, ""))

    def with_extra(self, extra: Iterable[Action]) -> Catalogue:
        """This catalogue plus a place's own actions (their ids must not clash)."""
        return Catalogue(self.framework_id, [*self.actions.values(), *extra], self.funding)

    def for_theme(self, theme_id: str) -> list[Action]:
        return [a for a in self.actions.values() if theme_id in a.themes]

    def funding_for(self, action: Action, country: str | None) -> list[FundingSource]:
        """The action's funding sources that exist in ``country`` (all when unknown)."""
        out = []
        for key in action.funding:
            source = self.funding.get(key)
            if source is not None and (country is None or country in source.countries):
                out.append(source)
        return out


def load_funding(folders: Iterable[Path] = (FUNDING_DIR,)) -> dict[str, FundingSource]:
    """Every funding source, by id, validated."""
    found: dict[str, FundingSource] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.yaml")):
            try:
                data = FundingFile.model_validate(load_yaml(path))
            except (OSError, yaml.YAMLError, ValidationError) as exc:
                raise CatalogueError(f"{path}: invalid funding file:\n{exc}") from exc
            for source in data.funding:
                if source.id in found:
                    raise CatalogueError(f"{path}: duplicate funding id {source.id!r}")
                found[source.id] = source
    return found


def _check_themes(action: Action, framework: Framework, where: str) -> None:
    unknown = [t for t in action.themes if not framework.has_theme(t)]
    if unknown:
        raise CatalogueError(
            f"{where}: action {action.id!r} names unknown theme(s) {', '.join(unknown)} "
            f"of framework {framework.id!r}"
        )


def load_catalogue(
    framework: Framework,
    folders: Iterable[Path] = (BUILTIN_DIR,),
    funding_folders: Iterable[Path] = (FUNDING_DIR,),
) -> Catalogue:
    """Every action for ``framework`` from the catalogue folders, validated: themes against
    the framework, funding ids against the funding files."""
    funding = load_funding(funding_folders)
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
                unknown = [f for f in action.funding if f not in funding]
                if unknown:
                    raise CatalogueError(
                        f"{path}: action {action.id!r} names unknown funding {', '.join(unknown)}"
                    )
                actions.append(action)
    return Catalogue(framework.id, actions, funding)


def validate_action(action: Action, framework: Framework) -> None:
    """Check a place's own action against the framework (used by the web form)."""
    _check_themes(action, framework, "action")
