"""``manage.py import_kolada``: Kolada's key figures for every Swedish municipality.

Needs the internet and the municipalities (``import_reference``) first. Resumable: a KPI and
year already stored is not fetched again unless ``--refresh``; idempotent: a second run
stores nothing new. See ``docs/open-data.md`` (Kolada) for the KPIs and what is stored.
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from platsa.places.kolada import (
    DEFAULT_KPIS,
    KoladaClient,
    KoladaError,
    import_kolada,
    normalise_kpi,
)

FIRST_YEAR = 1990  # Kolada's oldest series (population) start in the 1990s
BAR_WIDTH = 30


def parse_years(text: str) -> list[int]:
    """``2015-2024``, ``2020`` or ``2015,2018,2020-2022`` as a sorted list of years."""
    years: set[int] = set()
    last = date.today().year
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})\s*)?", part)
        if not match:
            raise ValueError(_("%(part)s is not a year or a range of years.") % {"part": part})
        start = int(match.group(1))
        end = int(match.group(2) or start)
        if start > end or start < FIRST_YEAR or end > last:
            raise ValueError(
                _("Years must run forwards and lie between %(first)s and %(last)s: %(part)s")
                % {"first": FIRST_YEAR, "last": last, "part": part.strip()}
            )
        years.update(range(start, end + 1))
    return sorted(years)


def default_years() -> str:
    return f"2010-{date.today().year - 1}"


class Command(BaseCommand):
    help = (
        "Fetch key figures (KPIs) for every Swedish municipality from Kolada's open API and "
        "store them (resumable and idempotent; needs the internet and import_reference first)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--kpi",
            nargs="+",
            action="extend",
            metavar="ID",
            help="Kolada KPI ids (default: "
            + " ".join(k.id for k in DEFAULT_KPIS)
            + "; see docs/open-data.md)",
        )
        parser.add_argument(
            "--years",
            default=default_years(),
            help="years, e.g. 2015-2024 or 2020,2022 (default: %(default)s)",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="fetch stored KPI-year combinations again (changed figures are rewritten)",
        )
        parser.add_argument(
            "--delay", type=float, default=0.5, help="seconds between requests (default 0.5)"
        )
        parser.add_argument(
            "--timeout", type=float, default=30.0, help="seconds per request (default 30)"
        )
        parser.add_argument(
            "--api",
            choices=["auto", "v3", "v2"],
            default="auto",
            help="API version (default: v3 if it answers, else v2)",
        )

    def build_client(self, *, delay: float, timeout: float, api: str) -> KoladaClient:
        """The client to use (the tests replace this with one on recorded responses)."""
        return KoladaClient(delay=delay, timeout=timeout, api=api)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            kpis = [normalise_kpi(k) for k in options["kpi"] or [k.id for k in DEFAULT_KPIS]]
            years = parse_years(options["years"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        kpis = list(dict.fromkeys(kpis))
        if options["delay"] < 0 or options["timeout"] <= 0:
            raise CommandError(_("--delay must be 0 or more and --timeout more than 0."))

        # httpx logs every request at INFO, which would break the bar line by line.
        httpx_log = logging.getLogger("httpx")
        level = httpx_log.level
        if options["verbosity"] < 2:
            httpx_log.setLevel(logging.WARNING)
        try:
            self._import(options, kpis, years)
        finally:
            httpx_log.setLevel(level)

    def _import(self, options: dict[str, Any], kpis: list[str], years: list[int]) -> None:
        self._tty = bool(self.stdout.isatty())
        client = self.build_client(
            delay=options["delay"], timeout=options["timeout"], api=options["api"]
        )
        try:
            summary = import_kolada(
                client,
                kpis,
                years,
                refresh=options["refresh"],
                progress=self._progress,
            )
        except KoladaError as error:
            self._end_bar()
            raise CommandError(
                _("%(error)s\nEverything fetched before this is stored; run again to resume.")
                % {"error": error}
            ) from error
        finally:
            client.close()
        self._end_bar()

        if summary.fetched:
            self.stdout.write(_("Kolada API %(version)s.") % {"version": client.version})
        self.stdout.write(
            _(
                "Kolada: %(planned)s KPI-year combinations, %(skipped)s already stored, "
                "%(fetched)s fetched in %(requests)s requests; %(created)s figures stored, "
                "%(updated)s changed, %(unchanged)s unchanged."
            )
            % {
                "planned": summary.planned,
                "skipped": summary.skipped,
                "fetched": summary.fetched,
                "requests": client.requests,
                "created": summary.created,
                "updated": summary.updated,
                "unchanged": summary.unchanged,
            }
        )
        if summary.unknown_codes:
            codes = ", ".join(sorted(summary.unknown_codes))
            self.stdout.write(
                _("%(n)s figures ignored for municipality codes Platsa does not know: %(codes)s")
                % {"n": sum(summary.unknown_codes.values()), "codes": codes}
            )
        if summary.not_municipalities:
            self.stdout.write(
                _("%(n)s figures of regions and the whole country left out.")
                % {"n": summary.not_municipalities}
            )
        if summary.missing_kpis:
            self.stdout.write(
                _("Kolada has no data for these KPIs (HTTP 404), left out: %(list)s")
                % {"list": ", ".join(summary.missing_kpis)}
            )
        if summary.empty:
            empty = ", ".join(f"{kpi} {year}" for kpi, year in summary.empty)
            self.stdout.write(
                _("No figures at Kolada (yet) for: %(list)s; they are asked for again next time.")
                % {"list": empty}
            )
        if summary.fetched:
            self._describe(client, kpis)

    def _progress(self, done: int, total: int, kpi: str, year: int) -> None:
        """A bar redrawn in place on a terminal; one line per combination in a log."""
        if self._tty:
            filled = BAR_WIDTH * done // total
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stdout.write(f"\r[{bar}] {done}/{total} {kpi} {year}", ending="")
            self.stdout.flush()
            self._bar_open = True
        else:
            self.stdout.write(f"{done}/{total} {kpi} {year}")

    def _end_bar(self) -> None:
        if getattr(self, "_bar_open", False):
            self.stdout.write("")
            self._bar_open = False

    def _describe(self, client: KoladaClient, kpis: list[str]) -> None:
        """Kolada's own title and unit of each KPI, so that a run shows what was stored
        (the ids in the defaults were not checked against the live API when written)."""
        try:
            meta = client.kpi_metadata(kpis)
        except KoladaError as error:
            self.stdout.write(_("Could not read the KPIs' titles: %(error)s") % {"error": error})
            return
        for kpi in kpis:
            item = meta.get(kpi)
            if item is None:
                self.stdout.write(_("%(kpi)s: Kolada does not describe it.") % {"kpi": kpi})
            else:
                title = str(item.get("title", ""))[:200]
                unit = str(item.get("unit", "") or "")[:40]
                self.stdout.write(f"{kpi}: {title}" + (f" ({unit})" if unit else ""))
