"""Kolada (RKA): key figures per Swedish municipality, fetched from Kolada's open API.

Kolada publishes some 5 000 key figures (KPIs) per kommun and year, free and without a key,
asking only for "Källa: Kolada" wherever they are shown (``docs/open-data.md``). This module
fetches chosen KPIs for every municipality and year and stores them as
:class:`~platsa.places.models.AreaIndicator` rows. It lives in the places app, not in
``platsa.core``, because it talks to the network and writes the database; the core does
neither.

Why it is built the way it is:

- **v3 if it answers, else v2.** Kolada released v3 in April 2025 and reportedly answers v2
  with 410 Gone; the v2 documentation is still the only official one. The first request asks
  v3 for its municipality list; a 404 or 410 there switches the client to v2. Both wrap their
  rows in ``{"values": [...]}`` and page with a full URL (``next_url`` in v3, ``next_page``
  in v2); the rows are the same: ``{"kpi", "municipality", "period", "values": [{"gender",
  "value", "status", "count"}]}``.
- **One KPI and year per request series** (``/data/kpi/{kpi}/year/{year}``: every
  municipality at once, as ``shared/data/APIS.md`` advises). All its pages are read and
  checked before anything is written, and written in one transaction, so a KPI and year is
  either stored whole or not at all: a run that stops (no network, a bad page) resumes
  where it stopped and never mistakes half a year for a whole one.
- **Polite and patient.** No rate limit is published, so requests are spaced by ``delay``
  seconds; 429 and 5xx answers and network errors are retried with exponential backoff
  (honouring ``Retry-After``); every request has a timeout.
- **Distrustful.** A response is data from the network: its size is capped while it is
  read, pages are capped, ``next`` links must stay on Kolada's host, and every row is checked
  (the KPI and year asked for, a known gender, a finite number or null) before it is used;
  anything else is a :class:`KoladaFormatError` naming the URL.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from platsa.places.models import Area, AreaIndicator

BASE_URL = "https://api.kolada.se"
SOURCE = "kolada"
API_VERSIONS = ("v3", "v2")

# Statuses worth another try: too many requests, and the server's own troubles.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A route that does not exist (any more): v3 missing, or v2 retired (410 Gone).
GONE_STATUSES = frozenset({404, 410})
# One page holds at most 5000 rows of about 200 bytes; far more is not a Kolada page.
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_PAGES = 50
MAX_RETRY_WAIT = 120.0
KPI_ID = re.compile(r"^[A-Z][0-9]{5}$")  # N01951, U00405: a letter and five digits
AREA_ID = re.compile(r"^[0-9A-Za-z_-]{1,32}$")
MUNICIPALITY_CODE = re.compile(r"^[0-9]{4}$")
GENDERS = frozenset(choice.value for choice in AreaIndicator.Gender)
MAX_STATUS = AreaIndicator._meta.get_field("status").max_length or 32


@dataclass(frozen=True)
class Kpi:
    """A KPI the importer fetches by default, with what the material here says about it."""

    id: str
    title: str  # Kolada's title as reported (Swedish)
    meaning: str  # what Platsa uses it for
    confidence: str  # how sure the id is, in the words of shared/data/APIS.md


# The defaults of ``manage.py import_kolada``. None of these was checked against the live
# API (there is no network where this was written); the command prints Kolada's own title
# and unit of each KPI it fetches so that the first run with a network confirms them.
DEFAULT_KPIS: tuple[Kpi, ...] = (
    Kpi("N01951", "Invånare totalt, antal", "population on 31 December", "confirmed"),
    Kpi("N01963", "Befolkningsförändring sedan fg. år, andel (%)", "population change", "[2+]"),
    Kpi("N01812", "Invånare 65–79 år, andel (%)", "share 65–79 (share 65+ with N01813)", "[2+]"),
    Kpi("N01813", "Invånare 80+, andel (%)", "share 80+ (share 65+ with N01812)", "[2+]"),
    Kpi("N01964", "Inrikes flyttnetto", "net domestic migration", "id [2+], unit [conflict]"),
    Kpi("N02101", "Inrikes flyttnetto", "net domestic migration", "id [2+], unit [conflict]"),
    Kpi("N07900", "Tillgång till fast bredband om minst 100 Mbit/s, andel (%)", "broadband", "[1]"),
    Kpi(
        "N07918",
        "Hushåll med tillgång till eller möjlighet att ansluta till bredband om minst "
        "1 Gbit/s, andel (%)",
        "broadband 1 Gbit/s",
        "[1]",
    ),
    Kpi("N00999", "Nystartade företag, antal per 1000 inv", "new companies", "[2+]"),
)


class KoladaError(Exception):
    """Kolada could not be used: unreachable, refusing, or answering something unusable."""


class KoladaNotFoundError(KoladaError):
    """A route Kolada does not have (404): for a data route, a KPI it does not publish."""


class KoladaFormatError(KoladaError):
    """A response that is not what Kolada's documentation describes (nothing of it is kept)."""


@dataclass(frozen=True)
class KoladaValue:
    """One figure of one row: a KPI for one municipality (or region), year and gender."""

    kpi: str
    municipality: str
    year: int
    gender: str
    value: float | None
    status: str


@dataclass
class ImportSummary:
    """What a run of :func:`import_kolada` did, for the command's last line and the tests."""

    planned: int = 0  # KPI-year combinations asked for
    skipped: int = 0  # already stored (not fetched again without refresh)
    fetched: int = 0  # fetched and stored in this run
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # Rows of regions ("00xx") and the whole country ("0000"): Platsa keeps municipalities.
    not_municipalities: int = 0
    # Municipality codes Kolada has and Platsa's areas do not, with how many figures each.
    unknown_codes: Counter[str] = field(default_factory=Counter)
    empty: list[tuple[str, int]] = field(default_factory=list)  # combinations with no figures
    missing_kpis: list[str] = field(default_factory=list)  # KPIs Kolada answers with 404


def normalise_kpi(kpi_id: str) -> str:
    """A KPI id as Kolada writes it (``N01951``), or ValueError: it goes into a URL path."""
    kpi = kpi_id.strip().upper()
    if not KPI_ID.fullmatch(kpi):
        raise ValueError(_("%(kpi)s is not a Kolada KPI id (like N01951).") % {"kpi": kpi_id})
    return kpi


def _retry_after(response: httpx.Response) -> float | None:
    header = response.headers.get("Retry-After", "").strip()
    try:
        seconds = float(header)
    except ValueError:
        return None  # absent, or an HTTP date: the exponential backoff decides
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number in JSON")


class KoladaClient:
    """Kolada's open API over httpx: rate-limited, retrying, size-capped, v3 or v2.

    ``http`` is an ``httpx.Client`` to use (the tests give one with an
    ``httpx.MockTransport``); otherwise the client makes its own with ``timeout``.
    ``sleep`` and ``clock`` are there so that tests need not wait for real.
    """

    def __init__(
        self,
        *,
        base_url: str = BASE_URL,
        api: str = "auto",
        http: httpx.Client | None = None,
        delay: float = 0.5,
        timeout: float = 30.0,
        retries: int = 4,
        backoff: float = 1.0,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if api not in ("auto", *API_VERSIONS):
            raise ValueError(f"api must be auto, v3 or v2, not {api!r}")
        self.base_url = base_url.rstrip("/")
        self._host = (urlsplit(self.base_url).hostname or "").lower()
        self._scheme = urlsplit(self.base_url).scheme or "https"
        self.api = api
        self._own_http = http is None
        self._http = http or httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"User-Agent": "Platsa (open-source place development; Kolada import)"},
            follow_redirects=False,
        )
        self.delay = max(0.0, delay)
        self.retries = max(0, retries)
        self.backoff = max(0.0, backoff)
        self.max_response_bytes = max_response_bytes
        self._sleep = sleep
        self._clock = clock
        self._last_request: float | None = None
        self._version: str | None = None
        self._municipalities: list[dict[str, str]] | None = None
        self.requests = 0  # HTTP requests sent, retries included

    def close(self) -> None:
        if self._own_http:
            self._http.close()

    def __enter__(self) -> KoladaClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the API ----------------------------------------------------------------------------

    @property
    def version(self) -> str:
        """``v3`` or ``v2``: the first that answers its municipality list."""
        if self._version is None:
            self._probe()
        assert self._version is not None
        return self._version

    def municipalities(self) -> list[dict[str, str]]:
        """Kolada's municipalities and regions: ``[{"id", "title", "type"}]`` (type K or L)."""
        if self._municipalities is None:
            self._probe()
        assert self._municipalities is not None
        return self._municipalities

    def kpi_metadata(self, kpis: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Kolada's description of some KPIs (title, unit, ...), by id."""
        path = "kpi/" + ",".join(normalise_kpi(k) for k in kpis)
        out: dict[str, dict[str, Any]] = {}
        for item in self._all_values(path):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out[item["id"]] = item
        return out

    def values(self, kpi: str, year: int) -> list[KoladaValue]:
        """Every figure of one KPI and year: all municipalities, regions and genders, all
        pages read and checked (:class:`KoladaFormatError` if any row is wrong)."""
        kpi = normalise_kpi(kpi)
        out: list[KoladaValue] = []
        seen: set[tuple[str, str]] = set()
        for row in self._all_values(f"data/kpi/{kpi}/year/{int(year)}"):
            for value in _parse_row(row, kpi, int(year)):
                key = (value.municipality, value.gender)
                if key in seen:
                    raise KoladaFormatError(
                        _("Kolada sent %(kpi)s %(year)s for %(id)s (%(gender)s) twice.")
                        % {
                            "kpi": kpi,
                            "year": year,
                            "id": value.municipality,
                            "gender": value.gender,
                        }
                    )
                seen.add(key)
                out.append(value)
        return out

    # -- behind it --------------------------------------------------------------------------

    def _probe(self) -> None:
        versions = API_VERSIONS if self.api == "auto" else (self.api,)
        for version in versions:
            url = f"{self.base_url}/{version}/municipality"
            response, body = self._get(url)
            if response.status_code in GONE_STATUSES and version != versions[-1]:
                continue  # v3 not there (yet): try v2
            self._check_status(response, url)
            self._version = version
            self._municipalities = [
                {
                    "id": str(item.get("id", "")),
                    "title": str(item.get("title", "")),
                    "type": str(item.get("type", "")),
                }
                for item in self._pages(url, first=body)
                if isinstance(item, dict)
            ]
            return

    def _all_values(self, path: str) -> Iterator[Any]:
        """The ``values`` of every page of a route of the API version in use."""
        return self._pages(f"{self.base_url}/{self.version}/{path}")

    def _pages(self, url: str, first: bytes | None = None) -> Iterator[Any]:
        """The ``values`` of the page at ``url`` and every page after it (``next_url`` in
        v3, ``next_page`` in v2). ``first`` is the first page's body if already read."""
        next_url: str | None = url
        page = 0
        while next_url is not None:
            page += 1
            if page > MAX_PAGES:
                raise KoladaFormatError(
                    _("Kolada sent more than %(n)s pages for %(url)s.")
                    % {"n": MAX_PAGES, "url": url}
                )
            if page == 1 and first is not None:
                body = first
            else:
                response, body = self._get(next_url)
                if response.status_code == 404:
                    raise KoladaNotFoundError(
                        _("Kolada has no %(url)s (HTTP 404).") % {"url": next_url}
                    )
                self._check_status(response, next_url)
            envelope = _json(body, next_url)
            values = envelope.get("values") if isinstance(envelope, dict) else None
            if not isinstance(values, list):
                raise KoladaFormatError(
                    _("Kolada's answer to %(url)s has no list of values.") % {"url": next_url}
                )
            yield from values
            next_url = self._next_url(envelope, next_url)

    def _next_url(self, envelope: dict[str, Any], url: str) -> str | None:
        nxt = envelope.get("next_url") or envelope.get("next_page")
        if nxt is None or nxt == "":
            return None
        if not isinstance(nxt, str):
            raise KoladaFormatError(
                _("Kolada's next page link in %(url)s is not a URL.") % {"url": url}
            )
        parts = urlsplit(nxt)
        if (parts.hostname or "").lower() != self._host:
            raise KoladaFormatError(
                _("Kolada's next page link in %(url)s leads away from %(host)s.")
                % {"url": url, "host": self._host}
            )
        # v2 documented its links as http://; ask on the scheme we were given.
        return urlunsplit((self._scheme, parts.netloc, parts.path, parts.query, ""))

    def _check_status(self, response: httpx.Response, url: str) -> None:
        if response.status_code != 200:
            raise KoladaError(
                _("Kolada answered %(url)s with HTTP %(status)s.")
                % {"url": url, "status": response.status_code}
            )

    def _wait_turn(self) -> None:
        if self._last_request is not None and self.delay:
            remaining = self.delay - (self._clock() - self._last_request)
            if remaining > 0:
                self._sleep(remaining)
        self._last_request = self._clock()

    def _get(self, url: str) -> tuple[httpx.Response, bytes]:
        """GET with spacing, timeouts, retries and a size cap: the response and its body."""
        attempt = 0
        while True:
            self._wait_turn()
            self.requests += 1
            try:
                response, body = self._read(url)
            except httpx.TransportError as error:  # timeouts, refused connections, DNS
                if attempt >= self.retries:
                    raise KoladaError(
                        _("Could not reach Kolada (%(url)s): %(error)s.")
                        % {"url": url, "error": error.__class__.__name__}
                    ) from error
                wait = self.backoff * 2**attempt
            else:
                if response.status_code not in RETRY_STATUSES or attempt >= self.retries:
                    return response, body
                after = _retry_after(response)
                wait = after if after is not None else self.backoff * 2**attempt
            attempt += 1
            self._sleep(min(wait, MAX_RETRY_WAIT))

    def _read(self, url: str) -> tuple[httpx.Response, bytes]:
        request = self._http.build_request("GET", url, headers={"Accept": "application/json"})
        response = self._http.send(request, stream=True)
        try:
            body = bytearray()
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > self.max_response_bytes:
                    raise KoladaFormatError(
                        _("Kolada's answer to %(url)s is larger than %(mb)s MB.")
                        % {"url": url, "mb": self.max_response_bytes // (1024 * 1024)}
                    )
        finally:
            response.close()
        return response, bytes(body)


def _json(body: bytes, url: str) -> Any:
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise KoladaFormatError(
            _("Kolada's answer to %(url)s is not valid JSON (%(error)s).")
            % {"url": url, "error": str(error)[:120]}
        ) from error


def _parse_row(row: Any, kpi: str, year: int) -> list[KoladaValue]:
    """A data row's figures, checked against the KPI and year asked for."""

    def bad(what: str) -> KoladaFormatError:
        return KoladaFormatError(
            _("Kolada's data for %(kpi)s %(year)s has a row that is not as documented: %(what)s.")
            % {"kpi": kpi, "year": year, "what": what}
        )

    if not isinstance(row, dict):
        raise bad("not an object")
    if row.get("kpi") != kpi:
        raise bad(f"kpi {str(row.get('kpi'))[:20]!r}")
    period = row.get("period")
    if isinstance(period, bool) or not (
        (isinstance(period, int) and period == year)
        or (isinstance(period, str) and period.isdigit() and int(period) == year)
    ):
        raise bad(f"period {str(period)[:20]!r}")
    area_id = row.get("municipality")
    if not isinstance(area_id, str) or not AREA_ID.fullmatch(area_id):
        raise bad(f"municipality {str(area_id)[:20]!r}")
    figures = row.get("values")
    if not isinstance(figures, list) or len(figures) > len(GENDERS):
        raise bad("values is not a list of at most three figures")
    out = []
    for figure in figures:
        if not isinstance(figure, dict):
            raise bad("a figure is not an object")
        gender = figure.get("gender")
        if gender not in GENDERS:
            raise bad(f"gender {str(gender)[:8]!r}")
        value = figure.get("value")
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise bad(f"value {str(value)[:20]!r}")
            if not math.isfinite(value):
                raise bad("a value that is not finite")
            value = float(value)
        status = figure.get("status") or ""
        if not isinstance(status, str) or len(status) > MAX_STATUS:
            raise bad("status")
        out.append(KoladaValue(kpi, area_id, year, str(gender), value, status))
    return out


def stored_years(kpis: Iterable[str]) -> set[tuple[str, int]]:
    """The KPI-year combinations that have figures from Kolada in the database."""
    rows = (
        AreaIndicator.objects.filter(source=SOURCE, kpi__in=list(kpis))
        .values_list("kpi", "year")
        .distinct()
    )
    return {(kpi, year) for kpi, year in rows}


def import_kolada(
    client: KoladaClient,
    kpis: Sequence[str],
    years: Sequence[int],
    *,
    refresh: bool = False,
    progress: Callable[[int, int, str, int], None] | None = None,
) -> ImportSummary:
    """Fetch and store every KPI for every year; skip stored combinations unless ``refresh``.

    Rows are written only where they are new or their value or status changed, so a
    second run (with or without ``refresh``) writes nothing. A combination with no figures
    at Kolada (a year not published yet) stores nothing and is asked for again next time.
    ``progress(done, total, kpi, year)`` is called after each combination. A KPI whose
    data route answers 404 is left out (``missing_kpis``); other errors
    (:class:`KoladaError`) stop the run; everything stored before them stays, and the
    next run resumes after it.
    """
    kpis = [normalise_kpi(k) for k in kpis]
    areas = dict(
        Area.objects.filter(country="SE", kind=Area.Kind.MUNICIPALITY).values_list("code", "pk")
    )
    if not areas:
        raise KoladaError(
            _("There are no Swedish municipalities in the database: run import_reference first.")
        )
    done = set() if refresh else stored_years(kpis)
    todo = [(k, y) for k in kpis for y in years if (k, y) not in done]
    summary = ImportSummary(
        planned=len(kpis) * len(years), skipped=len(kpis) * len(years) - len(todo)
    )
    for i, (kpi, year) in enumerate(todo, start=1):
        if kpi not in summary.missing_kpis:
            try:
                figures = client.values(kpi, year)
            except KoladaNotFoundError:
                # A KPI Kolada removed (it does, without notice) or never had: the other
                # KPIs are still worth fetching.
                summary.missing_kpis.append(kpi)
            else:
                _store(kpi, year, figures, areas, summary)
                summary.fetched += 1
        if progress is not None:
            progress(i, len(todo), kpi, year)
    return summary


def _store(
    kpi: str,
    year: int,
    figures: Sequence[KoladaValue],
    areas: dict[str, int],
    summary: ImportSummary,
) -> None:
    """Write one KPI and year in one transaction: new rows, changed rows, nothing else."""
    wanted: dict[tuple[int, str], KoladaValue] = {}
    for f in figures:
        if not MUNICIPALITY_CODE.fullmatch(f.municipality) or f.municipality.startswith("00"):
            summary.not_municipalities += 1
        elif f.municipality not in areas:
            summary.unknown_codes[f.municipality] += 1
        else:
            wanted[(areas[f.municipality], f.gender)] = f
    if not wanted:
        summary.empty.append((kpi, year))
        return
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (row.area_id, row.gender): row
            for row in AreaIndicator.objects.select_for_update().filter(kpi=kpi, year=year)
        }
        new: list[AreaIndicator] = []
        changed: list[AreaIndicator] = []
        for (area_id, gender), f in wanted.items():
            row = existing.get((area_id, gender))
            if row is None:
                new.append(
                    AreaIndicator(
                        area_id=area_id,
                        kpi=kpi,
                        year=year,
                        gender=gender,
                        value=f.value,
                        status=f.status,
                        source=SOURCE,
                        fetched_at=now,
                    )
                )
            elif row.value != f.value or row.status != f.status or row.source != SOURCE:
                row.value, row.status, row.source, row.fetched_at = f.value, f.status, SOURCE, now
                changed.append(row)
            else:
                summary.unchanged += 1
        AreaIndicator.objects.bulk_create(new, batch_size=1000)
        AreaIndicator.objects.bulk_update(
            changed, ["value", "status", "source", "fetched_at"], batch_size=500
        )
    summary.created += len(new)
    summary.updated += len(changed)
