"""Frameworks: questionnaires kept as data files and validated on load.

A framework is one YAML file: themes, questions, the answer scale, the default respondent
groups, age bands, how many priorities a respondent may name and which comments are asked
for. Everything downstream (survey form, import template, scoring, recommendations) is
generic over it, so adding a questionnaire means adding one file, nothing else.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from enum import StrEnum
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from platsa.core.schema.datafiles import load_yaml
from platsa.core.schema.texts import LocalText

BUILTIN_DIR = Path(__file__).resolve().parents[2] / "data" / "frameworks"
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
FRAMEWORK_ID_PATTERN = r"^[a-z][a-z0-9-]*$"
# Answers are stored one character per question (see ``platsa.core.io.encoding``); these are the
# characters available for scale values, so a scale may span at most 36 steps.
MAX_SCALE_STEPS = 36

# What the database can hold (``platsa.assessments.models``): a framework that passes these
# is one every round can store, so a file that does not is refused when it is loaded, not
# when the first answer fails to save. A change to a column's size changes its number here.
MAX_QUESTIONS = 255  # Response.answers: CharField(255), one character per question
# Theme and question ids: Comment.theme_id is CharField(64), and a theme with one question
# has the theme id as its question id.
MAX_ID_LENGTH = 64
MAX_GROUP_ID_LENGTH = 64  # RoundGroup.key: SlugField(64)
MAX_GROUP_LABEL_LENGTH = 120  # RoundGroup.label_sv, label_en: CharField(120)
MAX_PRIORITIES_LENGTH = 255  # Response.priorities: CharField(255), theme ids joined by ","
MAX_AGE_BAND_ID_LENGTH = 16  # Response.age_band: CharField(16)
MAX_COMMENT_ID_LENGTH = 32  # Comment.kind: CharField(32)
MAX_FRAMEWORK_ID_LENGTH = 64  # Round.framework_id: CharField(64)
MAX_VERSION_LENGTH = 32  # Round.framework_version: CharField(32)


class FrameworkError(ValueError):
    """A framework file is missing or does not follow the schema."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Side(StrEnum):
    """Which party of the place a respondent group speaks for. The recommendation engine
    compares different sides (the place and its industry); the values are what frameworks,
    rounds (``RoundGroup.side``) and stored results hold."""

    PLACE = "place"  # residents, young people
    INDUSTRY = "industry"  # employers and employees
    PUBLIC = "public"  # the municipality
    CIVIL = "civil"  # associations
    OTHER = "other"


class ScaleLabel(_Strict):
    value: int
    text: LocalText


class Scale(_Strict):
    """An integer scale, e.g. 1-7, with optional labels for some points and a "don't know"."""

    min: int
    max: int
    labels: tuple[ScaleLabel, ...] = ()
    dont_know: bool = True

    @model_validator(mode="after")
    def _check(self) -> Scale:
        if self.max <= self.min:
            raise ValueError("scale max must be greater than min")
        if self.max - self.min + 1 > MAX_SCALE_STEPS:
            raise ValueError(f"a scale may have at most {MAX_SCALE_STEPS} steps")
        for label in self.labels:
            if not self.min <= label.value <= self.max:
                raise ValueError(f"label for {label.value} is outside the scale")
        return self

    @property
    def values(self) -> range:
        return range(self.min, self.max + 1)

    def label_for(self, value: int, language: str | None) -> str:
        for label in self.labels:
            if label.value == value:
                return label.text.get(language)
        return ""


class Question(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)
    text: LocalText
    help: LocalText | None = None


class Theme(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=MAX_ID_LENGTH)
    title: LocalText
    description: LocalText
    questions: tuple[Question, ...] = Field(min_length=1)


class GroupSpec(_Strict):
    """A default respondent group. ``side`` says which party of the place it speaks for:
    the recommendation engine looks for gaps between the sides (the place and its industry)."""

    # ID_PATTERN is a slug (RoundGroup.key is a SlugField).
    id: str = Field(pattern=ID_PATTERN, max_length=MAX_GROUP_ID_LENGTH)
    label: LocalText
    side: Side

    @field_validator("label")
    @classmethod
    def _label_fits(cls, label: LocalText) -> LocalText:
        for language in ("sv", "en"):
            if len(getattr(label, language)) > MAX_GROUP_LABEL_LENGTH:
                raise ValueError(
                    f"the {language} label may have at most {MAX_GROUP_LABEL_LENGTH} "
                    "characters (a round stores it as the group's name)"
                )
        return label


class AgeBand(_Strict):
    id: str = Field(pattern=r"^[a-z0-9_]+$", max_length=MAX_AGE_BAND_ID_LENGTH)
    label: LocalText


class CommentSpec(_Strict):
    id: str = Field(pattern=ID_PATTERN, max_length=MAX_COMMENT_ID_LENGTH)
    prompt: LocalText


class Source(_Strict):
    title: str
    url: str | None = None
    note: str | None = None


class Framework(_Strict):
    """One questionnaire. Question ids are unique across the framework; with one question per
    theme the question id equals the theme id, which is what the import template uses."""

    id: str = Field(pattern=FRAMEWORK_ID_PATTERN, max_length=MAX_FRAMEWORK_ID_LENGTH)
    version: str = Field(max_length=MAX_VERSION_LENGTH)
    title: LocalText
    description: LocalText
    intro: LocalText | None = None
    scale: Scale
    themes: tuple[Theme, ...] = Field(min_length=1)
    groups: tuple[GroupSpec, ...] = Field(min_length=1)
    age_bands: tuple[AgeBand, ...] = ()
    max_priorities: int = Field(default=3, ge=0, le=10)
    comments: tuple[CommentSpec, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    # The questionnaire offered first (a new round, the catalogue's page): one file says so.
    default: bool = False

    @model_validator(mode="after")
    def _unique_ids(self) -> Framework:
        for kind, ids in (
            ("theme", [t.id for t in self.themes]),
            ("question", [q.id for q in self.questions]),
            ("group", [g.id for g in self.groups]),
            ("age band", [a.id for a in self.age_bands]),
            ("comment", [c.id for c in self.comments]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {kind} id(s): {', '.join(dupes)}")
        return self

    @model_validator(mode="after")
    def _fits_storage(self) -> Framework:
        """The limits a round's answers are stored within (see ``MAX_QUESTIONS`` above)."""
        if len(self.questions) > MAX_QUESTIONS:
            raise ValueError(
                f"themes: {len(self.questions)} questions, at most {MAX_QUESTIONS} (answers "
                "are stored one character per question)"
            )
        longest = max(len(t.id) for t in self.themes)
        needed = self.max_priorities * (longest + 1) - 1
        if self.max_priorities and needed > MAX_PRIORITIES_LENGTH:
            raise ValueError(
                f"max_priorities: {self.max_priorities} priorities of theme ids up to {longest} "
                f"characters need {needed} characters, and at most {MAX_PRIORITIES_LENGTH} are "
                "stored (fewer priorities or shorter theme ids)"
            )
        return self

    # --- derived views (cached: frameworks are immutable) ---------------------------------

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for t in self.themes for q in t.questions)

    @cached_property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    @cached_property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @cached_property
    def question_theme_index(self) -> tuple[int, ...]:
        """For each question (in order), the index of its theme."""
        return tuple(i for i, t in enumerate(self.themes) for _ in t.questions)

    @cached_property
    def _themes_by_id(self) -> dict[str, Theme]:
        return {t.id: t for t in self.themes}

    def theme(self, theme_id: str) -> Theme:
        return self._themes_by_id[theme_id]

    def has_theme(self, theme_id: str) -> bool:
        return theme_id in self._themes_by_id


def load_framework_file(path: Path) -> Framework:
    """Read and validate one framework file; errors name the file and the failing field."""
    try:
        raw = load_yaml(path)
    except (OSError, yaml.YAMLError) as exc:
        raise FrameworkError(f"{path}: cannot read framework: {exc}") from exc
    try:
        framework = Framework.model_validate(raw)
    except ValidationError as exc:
        raise FrameworkError(f"{path}: invalid framework:\n{exc}") from exc
    if path.stem != framework.id:
        raise FrameworkError(f"{path}: file name must be the framework id ({framework.id}.yaml)")
    return framework


def framework_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """The built-in folder, then folders in ``PLATSA_FRAMEWORK_DIRS`` (``os.pathsep``-separated),
    then ``extra``. A later folder's framework with the same id replaces an earlier one."""
    dirs = [BUILTIN_DIR]
    env = os.environ.get("PLATSA_FRAMEWORK_DIRS", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p.strip()]
    dirs += [Path(p) for p in extra]
    return dirs


def load_frameworks(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Framework]:
    """All frameworks, by id, from every framework folder."""
    found: dict[str, Framework] = {}
    for folder in framework_dirs(extra_dirs):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            framework = load_framework_file(path)
            found[framework.id] = framework
    return found


def default_framework(frameworks: dict[str, Framework]) -> Framework:
    """The framework marked ``default: true`` in its file, else the first by id: what a new
    round and the catalogue start with. No id is written in code."""
    if not frameworks:
        raise FrameworkError("no frameworks found")
    marked = [f for f in frameworks.values() if f.default]
    return marked[0] if marked else frameworks[min(frameworks)]


def get_framework(framework_id: str, extra_dirs: Iterable[str | Path] = ()) -> Framework:
    frameworks = load_frameworks(extra_dirs)
    if framework_id not in frameworks:
        known = ", ".join(sorted(frameworks)) or "none"
        raise FrameworkError(f"unknown framework {framework_id!r} (known: {known})")
    return frameworks[framework_id]
