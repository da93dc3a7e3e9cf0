"""Peer places: the municipalities of Sweden, Norway and Finland most like a given one.

A coordinator comparing a county's municipalities, or a small municipality looking for
others that have faced the same, wants peers on the facts that shape local development,
not on the map: a shrinking inland municipality of 2,500 in Norrland has more in common
with one in Finnmark or Kainuu than with its growing neighbour on the coast. The facts are
the shipped open data (``platsa.core.io.reference``), never typed in:

==========================  =========================================  ======
fact (key)                  compared as                                weight
==========================  =========================================  ======
``population``              log10 of the most recent population         1.0
``density``                 log10 of inhabitants per km² of land        1.0
``population_change_pct``   change over ten years of the series, %      1.0
``share_65_plus_pct``       share aged 65 or older, %                   0.5
``share_0_19_pct``          share aged 0-19, %                          0.5
``skr_group``               SKR's municipality group (Sweden only)      1.0
==========================  =========================================  ======

Why these weights: size, density and trend are three different things a peer must share;
the two age shares describe one thing (how old the population is; the shares are strongly
correlated, more old people leaves room for fewer young), so each counts half. Population
and density are compared on a log scale because a municipality of 2,000 differs from one of
20,000 as one of 20,000 does from one of 200,000, not ten times less.

Each measured fact is standardised over every municipality the index is built from (all
956 for the reference index): its z-score is (value - mean) / standard deviation, so that a
percentage point and a factor of ten weigh what they weigh among real municipalities.

The distance between two municipalities is the weighted root mean square of the
differences of their z-scores, over the facts known for both::

    d(a, b) = sqrt( sum_f w_f (z_af - z_bf)^2 / sum_f w_f )     f: known on both sides

A fact missing on either side is left out of the sum and of the weights, so the distance
is rescaled to the facts compared instead of treating a gap as a likeness (or as a
difference). Fewer than :data:`MIN_SHARED_FEATURES` measured facts in common give no
distance at all (infinity: never a peer). The SKR group is a category, compared only when
both municipalities have one (two Swedish municipalities): the same group adds 0, a
different one adds :data:`SKR_MISMATCH` = 2, which is what two municipalities picked at
random differ by on average on a standardised fact (the mean of (z_a - z_b)² over all pairs
is 2). So the same group counts as closer, a different group as a typical difference. Like
every rescaled distance, a pair compared on more facts is not penalised for it: a
different group can leave two Swedish municipalities that already differ by more than a
random pair slightly closer than without it. Those are never anyone's nearest peers.

What the distance cannot know: the figures are of different years in the three countries
(the shares aged 65+ of Sweden 2022, Norway 2025, Finland 2019; the change 2012-2022 in
Sweden and Finland, 2016-2026 in Norway), and a municipality's land area does not say
where in it people live. A distance of 0 means alike on every fact compared, not the same
place. :class:`Peer` says which facts were compared and which were close, in data.

Building the index reads each municipality's facts once (about 15 ms for 956 after the
files are read); a query is NumPy over the whole index, no loop over municipalities (about
0.2 ms over all 956: ``bench/bench_peers.py``; the target is 50 ms).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from platsa.core.io.reference import Municipality

Floats = npt.NDArray[np.float64]

# The measured facts, in the order of the feature matrix's columns, with their weights.
FEATURES: tuple[str, ...] = (
    "population",
    "density",
    "population_change_pct",
    "share_65_plus_pct",
    "share_0_19_pct",
)
WEIGHTS: tuple[float, ...] = (1.0, 1.0, 1.0, 0.5, 0.5)
SKR_GROUP = "skr_group"
SKR_WEIGHT = 1.0
# The squared difference of two different groups: that of a random pair on a z-scored fact.
SKR_MISMATCH = 2.0
# At least this many of the five measured facts known on both sides, or no distance.
MIN_SHARED_FEATURES = 3
# A fact counts as close (a reason) within this many standard deviations: among the 956
# municipalities a quarter of one is about a factor 1.4 in population, 2.4 percentage
# points in the ten years' change and 1.4 in the share aged 65+.
CLOSE_WITHIN_SD = 0.25


def _log10(value: float | None) -> float | None:
    return math.log10(value) if value is not None and value > 0 else None


def _change(m: Municipality) -> float | None:
    change = m.population_change_detail
    return change.pct if change is not None else None


# How each measured fact is read from a municipality (the value shown in reasons), and
# what is compared (its logarithm for population and density).
_READ: tuple[Callable[[Municipality], float | None], ...] = (
    lambda m: float(m.population) if m.population else None,
    lambda m: m.density,
    _change,
    lambda m: m.share_65_plus_pct,
    lambda m: m.share_0_19_pct,
)
_TRANSFORM: tuple[Callable[[float | None], float | None], ...] = (
    _log10,
    _log10,
    lambda v: v,
    lambda v: v,
    lambda v: v,
)


def municipality_key(code: str) -> str:
    """``"SE-2081"`` for ``"2081"``, ``"se-2081"`` or ``"SE-2081"``: the forms
    ``platsa.core.io.reference.find_municipality`` accepts (a bare 4-digit code is Swedish,
    a bare 3-digit code Finnish)."""
    from platsa.core.io.reference import split_code

    country, digits = split_code(code)
    return f"{country}-{digits}"


@dataclass(frozen=True)
class Closeness:
    """One fact on which a peer is close: both values as the data has them (population
    and density unlogged) and their difference in standard deviations (0 for the same
    SKR group)."""

    feature: str
    value: float | str
    peer_value: float | str
    difference_sd: float


@dataclass(frozen=True)
class Peer:
    """A municipality near the one asked about."""

    code: str
    name: str
    country: str
    region_code: str
    skr_group_code: str
    distance: float
    # The facts compared for this pair (known on both sides), in FEATURES order, then
    # "skr_group" when both have a group.
    shared_features: tuple[str, ...]
    # The facts on which the two are close (within CLOSE_WITHIN_SD), closest first.
    reasons: tuple[Closeness, ...]

    @property
    def key(self) -> str:
        return f"{self.country}-{self.code}"


SPREAD_EPSILON = 1e-9  # relative: below it a fact's values count as all equal


def _standardise(raw: Floats) -> tuple[Floats, Floats, Floats]:
    """Z-scores of each column over its known values, with the means and standard
    deviations used. The sums run over the sorted values, so the result does not depend on
    the order the municipalities come in, to the last bit. A column with no spread (or no
    value) has a standard deviation of 1: every z-score 0, the fact adds nothing."""
    columns = raw.shape[1]
    means = np.zeros(columns)
    sds = np.ones(columns)
    for f in range(columns):
        known = np.sort(raw[~np.isnan(raw[:, f]), f])
        if known.size:
            means[f] = known.mean()
            spread = float(np.sqrt(((known - means[f]) ** 2).mean()))
            # A spread in the last bits of the values (1.0 against 1.0000000000000002) is
            # no spread: dividing by it would turn rounding noise into large distances.
            if spread > SPREAD_EPSILON * max(1.0, abs(float(means[f]))):
                sds[f] = spread
    return (raw - means) / sds, means, sds


class PeerIndex:
    """The feature matrix of a set of municipalities, built once, queried many times."""

    def __init__(self, municipalities: Sequence[Municipality]) -> None:
        keys = [m.key for m in municipalities]
        if len(set(keys)) != len(keys):
            raise ValueError("a municipality appears more than once")
        self.municipalities: tuple[Municipality, ...] = tuple(municipalities)
        self.keys: tuple[str, ...] = tuple(keys)
        self._position = {k: i for i, k in enumerate(keys)}
        n = len(keys)
        # Raw values as the data has them (for reasons), and the values compared.
        self.raw: Floats = np.full((n, len(FEATURES)), np.nan)
        compared: Floats = np.full((n, len(FEATURES)), np.nan)
        for i, m in enumerate(municipalities):
            for f, (read, transform) in enumerate(zip(_READ, _TRANSFORM, strict=True)):
                value = read(m)
                shown = transform(value)
                if value is not None and shown is not None and math.isfinite(shown):
                    self.raw[i, f] = value
                    compared[i, f] = shown
        self.known: npt.NDArray[np.bool_] = ~np.isnan(compared)
        z, self.means, self.sds = _standardise(compared)
        self.z: Floats = np.where(self.known, z, 0.0)
        self.weights: Floats = np.array(WEIGHTS)
        groups = sorted({m.skr_group_code for m in municipalities if m.skr_group_code})
        self.groups: tuple[str, ...] = tuple(groups)
        number = {g: i for i, g in enumerate(groups)}
        self.group = np.array([number.get(m.skr_group_code, -1) for m in municipalities])
        countries = sorted({m.country for m in municipalities})
        self._countries = {c: i for i, c in enumerate(countries)}
        self.country = np.array([self._countries[m.country] for m in municipalities])
        regions = {f"{m.country}-{m.region_code}" for m in municipalities}
        region_number = {r: i for i, r in enumerate(sorted(regions))}
        self.region = np.array(
            [region_number[f"{m.country}-{m.region_code}"] for m in municipalities]
        )
        # Ties are broken by the key, so the order of the input changes no result.
        self._rank = np.argsort(np.argsort(np.array(keys, dtype=str), kind="stable"))

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and municipality_key(code) in self._position

    def position(self, code: str) -> int:
        """The row of a municipality (any form :func:`municipality_key` reads); KeyError
        for one the index does not hold."""
        key = municipality_key(code)
        try:
            return self._position[key]
        except KeyError:
            raise KeyError(f"no municipality {key} in the index") from None

    def _distances(self, i: int) -> tuple[Floats, npt.NDArray[np.intp]]:
        both = self.known & self.known[i]
        diff = self.z - self.z[i]
        # Feature by feature in a fixed order (not a matrix product, whose order of
        # summation may depend on the row): d(a, b) equals d(b, a) to the last bit.
        num = np.zeros(len(self.keys))
        den = np.zeros(len(self.keys))
        for f, w in enumerate(WEIGHTS):
            num += np.where(both[:, f], w * diff[:, f] * diff[:, f], 0.0)
            den += np.where(both[:, f], w, 0.0)
        own = self.group[i]
        if own >= 0:
            grouped = self.group >= 0
            num += np.where(grouped & (self.group != own), SKR_WEIGHT * SKR_MISMATCH, 0.0)
            den += np.where(grouped, SKR_WEIGHT, 0.0)
        shared = both.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            d = np.sqrt(num / den)
        return np.where(shared >= MIN_SHARED_FEATURES, d, np.inf), shared

    def distances(self, code: str) -> Floats:
        """The distance from one municipality to every one in the index, in the index's
        order (infinity where too few facts are known on both sides)."""
        return self._distances(self.position(code))[0]

    def distance(self, a: str, b: str) -> float:
        """The distance between two municipalities (infinity if not comparable)."""
        return float(self.distances(a)[self.position(b)])

    def shared_features(self, i: int, j: int) -> tuple[str, ...]:
        both = self.known[i] & self.known[j]
        names = tuple(name for name, k in zip(FEATURES, both, strict=True) if k)
        if self.group[i] >= 0 and self.group[j] >= 0:
            names += (SKR_GROUP,)
        return names

    def reasons(self, i: int, j: int) -> tuple[Closeness, ...]:
        """The facts on which ``j`` is close to ``i``, closest first."""
        close: list[Closeness] = []
        for f, name in enumerate(FEATURES):
            if self.known[i, f] and self.known[j, f]:
                gap = abs(float(self.z[i, f] - self.z[j, f]))
                if gap <= CLOSE_WITHIN_SD:
                    close.append(Closeness(name, float(self.raw[i, f]), float(self.raw[j, f]), gap))
        close.sort(key=lambda c: c.difference_sd)
        if self.group[i] >= 0 and self.group[i] == self.group[j]:
            group = self.groups[int(self.group[i])]
            close.insert(0, Closeness(SKR_GROUP, group, group, 0.0))
        return tuple(close)

    def nearest(
        self,
        code: str,
        k: int = 10,
        *,
        country: str | None = None,
        same_country: bool = False,
        same_region: bool = False,
        same_group: bool = False,
    ) -> list[Peer]:
        """The ``k`` municipalities nearest to ``code``, nearest first, itself left out.

        The filters narrow the candidates (all of them together): ``country`` ("SE", "NO",
        "FI") to one country, ``same_country`` to the municipality's own, ``same_region``
        to its county (Swedish län, Norwegian fylke, Finnish wellbeing services county),
        ``same_group`` to its SKR municipality group; a municipality without a group (any
        outside Sweden) has no peers of the same group, an empty list. With none of them,
        all three countries. Equal distances are ordered by key."""
        if k < 0:
            raise ValueError("k must be 0 or more")
        i = self.position(code)
        d, _ = self._distances(i)
        allowed = np.isfinite(d)
        allowed[i] = False
        if country is not None:
            wanted = self._countries.get(country.upper(), -1)
            allowed &= self.country == wanted
        if same_country:
            allowed &= self.country == self.country[i]
        if same_region:
            allowed &= self.region == self.region[i]
        if same_group:
            allowed &= (self.group == self.group[i]) & (self.group[i] >= 0)
        candidates = np.flatnonzero(allowed)
        order = candidates[np.lexsort((self._rank[candidates], d[candidates]))][:k]
        out = []
        for j in order.tolist():
            m = self.municipalities[j]
            out.append(
                Peer(
                    code=m.code,
                    name=m.name,
                    country=m.country,
                    region_code=m.region_code,
                    skr_group_code=m.skr_group_code,
                    distance=float(d[j]),
                    shared_features=self.shared_features(i, j),
                    reasons=self.reasons(i, j),
                )
            )
        return out


def peer_index(municipalities: Sequence[Municipality]) -> PeerIndex:
    """The index of ``municipalities``, standardised over exactly these."""
    return PeerIndex(municipalities)


@cache
def reference_peer_index(root: Path | None = None) -> PeerIndex:
    """The index of all municipalities of the reference data (956), built once a process."""
    from platsa.core.io.reference import REFERENCE_DIR, load_reference  # reads the files

    _, municipalities = load_reference(root or REFERENCE_DIR)
    return PeerIndex(municipalities)
