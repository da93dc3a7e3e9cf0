"""The Kolada client and ``manage.py import_kolada`` on recorded responses, never the network.

What is real and what is not (``tests/data/kolada/README.md``):

- The municipality list is a real Kolada v2 payload (``GET /v2/municipality``, saved by the
  pykolada client). pykolada kept only its ``values``; the tests wrap it as
  ``{"values": <file>, "count": 312}``.
- **No real KPI value response could be obtained here** (no network, none stored). The data
  responses are shaped exactly as Kolada's published API documentation shows them
  (``{"values": [{"kpi", "municipality", "period", "values": [{"gender", "value", "status",
  "count"}]}], "count", "next_page"}``; v3: ``next_url``), and the N01951 ones carry real
  Kolada figures: the 2020-2022 population in ``platsa/data/reference/se/`` came from Kolada's
  N01951, so what the parser stores is checked against that CSV, figure by figure.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from platsa.core.io.reference import REFERENCE_DIR
from platsa.places.kolada import (
    KoladaClient,
    KoladaError,
    KoladaFormatError,
    import_kolada,
    normalise_kpi,
)
from platsa.places.management.commands import import_kolada as command_module
from platsa.places.models import Area, AreaIndicator

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent.parent / "data" / "kolada"
HOST = "https://api.kolada.se"

Handler = httpx.Response | Callable[[httpx.Request], httpx.Response]


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (Django's default language here is Swedish)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any request that would leave this machine fails the test loudly."""

    def refuse(self, request):
        raise AssertionError(f"a test tried the network: {request.url}")

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", refuse)


def municipality_list() -> bytes:
    """The real v2 municipality list, wrapped in the envelope pykolada did not keep."""
    values = json.loads((DATA / "v2_municipality_values.json").read_text(encoding="utf-8"))
    return json.dumps({"values": values, "count": len(values)}).encode()


def n01951(year: int) -> dict:
    return json.loads((DATA / f"v2_data_kpi_N01951_year_{year}.json").read_text(encoding="utf-8"))


def body(data: object) -> httpx.Response:
    return httpx.Response(200, content=json.dumps(data).encode())


def row(code: str, value: float | None, *, year: int = 2020, kpi: str = "N01951", **extra):
    figure = {"count": 1, "gender": "T", "status": "", "value": value, **extra}
    return {"kpi": kpi, "municipality": code, "period": year, "values": [figure]}


class FakeKolada:
    """Kolada's routes on recorded responses. A route holds one response, or a list served
    in turn (the last one repeats); anything else is a 404, as Kolada answers."""

    def __init__(self, routes: dict[str, Handler | list[Handler]], *, v3: bool = False):
        self.routes: dict[str, list[Handler]] = {}
        if v3:
            self.routes["/v3/municipality"] = [httpx.Response(200, content=municipality_list())]
        else:
            self.routes["/v3/municipality"] = [httpx.Response(410)]
            self.routes["/v2/municipality"] = [httpx.Response(200, content=municipality_list())]
        for key, handler in routes.items():
            self.routes[key] = handler if isinstance(handler, list) else [handler]
        self.requests: list[str] = []
        self.sleeps: list[float] = []
        self.now = 0.0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        key = request.url.path + (f"?{request.url.query.decode()}" if request.url.query else "")
        self.requests.append(key)
        served = self.routes.get(key)
        if not served:
            return httpx.Response(404, content=b'{"error": "not found"}')
        handler = served.pop(0) if len(served) > 1 else served[0]
        return handler(request) if callable(handler) else handler

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def client(self, **options) -> KoladaClient:
        options.setdefault("delay", 0.25)
        return KoladaClient(
            http=httpx.Client(transport=httpx.MockTransport(self)),
            sleep=self.sleep,
            clock=lambda: self.now,
            **options,
        )

    def data_requests(self) -> list[str]:
        return [r for r in self.requests if "/data/" in r]


def v2_n01951(*years: int) -> dict[str, Handler]:
    return {
        f"/v2/data/kpi/N01951/year/{year}": httpx.Response(
            200, content=(DATA / f"v2_data_kpi_N01951_year_{year}.json").read_bytes()
        )
        for year in years
    }


def stored(kpi: str, year: int, gender: str = "T") -> dict[str, float | None]:
    return dict(
        AreaIndicator.objects.filter(kpi=kpi, year=year, gender=gender).values_list(
            "area__code", "value"
        )
    )


def csv_column(name: str, column: str) -> dict[str, float]:
    with (REFERENCE_DIR / "se" / name).open(encoding="utf-8") as f:
        return {r["municipality_code"]: float(r[column]) for r in csv.DictReader(f)}


# -- the API and its versions -----------------------------------------------------------------


def test_falls_back_to_v2_and_reads_the_real_municipality_list(reference):
    fake = FakeKolada({})
    client = fake.client()
    assert client.version == "v2"
    assert fake.requests == ["/v3/municipality", "/v2/municipality"]
    municipalities = client.municipalities()
    assert len(municipalities) == 312
    kommuner = {m["id"] for m in municipalities if m["type"] == "K"}
    regions = {m["id"] for m in municipalities if m["type"] == "L"}
    # Kolada's kommun ids are exactly the SCB codes of Platsa's Swedish municipalities ...
    assert kommuner == set(
        Area.objects.filter(country="SE", kind=Area.Kind.MUNICIPALITY).values_list(
            "code", flat=True
        )
    )
    # ... and its regions and the country are "00" + a county code, which the importer leaves out.
    assert len(regions) == 22
    assert "0000" in regions
    assert all(r.startswith("00") for r in regions)


def test_uses_v3_when_it_answers(reference):
    page = n01951(2020)
    v3_page = {"values": page["values"], "count": len(page["values"]), "next_url": None}
    fake = FakeKolada({"/v3/data/kpi/N01951/year/2020": body(v3_page)}, v3=True)
    summary = import_kolada(fake.client(), ["N01951"], [2020])
    assert fake.requests == ["/v3/municipality", "/v3/data/kpi/N01951/year/2020"]
    assert summary.created == 290
    assert stored("N01951", 2020) == csv_column("population_2020_2022.csv", "pop_2020_12_31")


def test_a_forced_version_is_the_only_one_asked():
    fake = FakeKolada({})
    assert fake.client(api="v2").version == "v2"
    assert fake.requests == ["/v2/municipality"]


# -- what is stored ---------------------------------------------------------------------------


def test_stored_population_equals_the_kolada_figures_in_the_reference_csv(reference):
    fake = FakeKolada(v2_n01951(2020, 2021, 2022))
    summary = import_kolada(fake.client(), ["N01951"], [2020, 2021, 2022])

    for year in (2020, 2021, 2022):
        expected = csv_column("population_2020_2022.csv", f"pop_{year}_12_31")
        assert len(expected) == 290
        assert stored("N01951", year) == expected, year
    assert stored("N01951", 2022, "K") == csv_column("age_structure_2022.csv", "women")
    assert stored("N01951", 2022, "M") == csv_column("age_structure_2022.csv", "men")
    assert stored("N01951", 2021, "K") == {}  # the 2021 response has totals only
    assert stored("N01951", 2022)["2303"] == 5174  # Ragunda, as in shared/data/README.md

    assert summary.created == 290 * 3 + 290 * 2
    assert summary.not_municipalities == 3  # one "0000" (Riket) row a year
    assert not summary.unknown_codes
    assert set(AreaIndicator.objects.values_list("source", flat=True)) == {"kolada"}
    assert not AreaIndicator.objects.filter(fetched_at__isnull=True).exists()
    # Spaced requests: every request after the first waited for the delay.
    assert fake.sleeps == [0.25] * 4


def test_pages_are_followed_to_the_end(reference):
    rows = n01951(2021)["values"]
    next_page = "http://api.kolada.se/v2/data/kpi/N01951/year/2021?page=2&per_page=150"
    fake = FakeKolada(
        {
            "/v2/data/kpi/N01951/year/2021": body(
                {"values": rows[:150], "count": 150, "next_page": next_page}
            ),
            "/v2/data/kpi/N01951/year/2021?page=2&per_page=150": body(
                {"values": rows[150:], "count": len(rows) - 150, "previous_page": "x"}
            ),
        }
    )
    summary = import_kolada(fake.client(), ["N01951"], [2021])
    assert fake.data_requests() == [
        "/v2/data/kpi/N01951/year/2021",
        "/v2/data/kpi/N01951/year/2021?page=2&per_page=150",
    ]
    assert summary.created == 290
    assert stored("N01951", 2021) == csv_column("population_2020_2022.csv", "pop_2021_12_31")


def test_unknown_municipality_codes_are_ignored_and_counted(reference):
    rows = [
        row("2303", 5208),
        row("9999", 12),  # four digits, but no such municipality
        row("9998", 13),
        row("0023", 130000),  # Region Jämtland Härjedalen
        row("0000", 10379295),  # Riket
        row("G12345", 4.5),  # a municipality group
        {**row("2081", 52394), "period": "2020"},  # the v2 documentation's string period
        row("0180", None, status="Saknas"),  # a row without a figure
    ]
    fake = FakeKolada({"/v2/data/kpi/N01951/year/2020": body({"values": rows, "count": 8})})
    summary = import_kolada(fake.client(), ["N01951"], [2020])
    assert stored("N01951", 2020) == {"2303": 5208, "2081": 52394, "0180": None}
    assert AreaIndicator.objects.get(area__code="0180").status == "Saknas"
    assert summary.unknown_codes == {"9999": 1, "9998": 1}
    assert summary.not_municipalities == 3
    assert summary.created == 3


# -- polite, patient, resumable, idempotent ---------------------------------------------------


def test_429_then_5xx_then_success_is_retried_with_backoff(reference):
    route = "/v2/data/kpi/N01951/year/2020"
    ok = v2_n01951(2020)[route]
    fake = FakeKolada(
        {route: [httpx.Response(429, headers={"Retry-After": "3"}), httpx.Response(503), ok]}
    )
    summary = import_kolada(fake.client(delay=0, backoff=1.0), ["N01951"], [2020])
    assert fake.data_requests() == [route] * 3
    assert fake.sleeps == [3.0, 2.0]  # Retry-After first, then 1 s * 2**1
    assert summary.created == 290


def test_retries_end_in_a_clear_error_and_nothing_stored(reference):
    fake = FakeKolada({"/v2/data/kpi/N01951/year/2020": httpx.Response(503)})
    with pytest.raises(KoladaError, match="HTTP 503"):
        import_kolada(fake.client(delay=0, retries=2), ["N01951"], [2020])
    assert len(fake.data_requests()) == 3
    assert fake.sleeps == [1.0, 2.0]
    assert not AreaIndicator.objects.exists()


def test_network_errors_and_timeouts_are_retried(reference):
    route = "/v2/data/kpi/N01951/year/2020"

    def timeout(request):
        raise httpx.ConnectTimeout("timed out", request=request)

    fake = FakeKolada({route: [timeout, timeout, v2_n01951(2020)[route]]})
    assert import_kolada(fake.client(delay=0), ["N01951"], [2020]).created == 290

    down = FakeKolada({route: timeout})
    with pytest.raises(KoladaError, match="Could not reach Kolada"):
        import_kolada(down.client(delay=0, retries=1), ["N01951"], [2020], refresh=True)


def test_a_second_run_asks_only_for_what_is_not_stored(reference):
    first = FakeKolada(v2_n01951(2020, 2021))
    import_kolada(first.client(), ["N01951"], [2020, 2021])

    second = FakeKolada(v2_n01951(2020, 2021, 2022))
    summary = import_kolada(second.client(), ["N01951"], [2020, 2021, 2022])
    assert second.data_requests() == ["/v2/data/kpi/N01951/year/2022"]
    assert (summary.skipped, summary.fetched) == (2, 1)

    third = FakeKolada(v2_n01951(2020, 2021, 2022))
    summary = import_kolada(third.client(), ["N01951"], [2020, 2021, 2022])
    assert third.requests == []  # not even the version probe
    assert (summary.skipped, summary.fetched, summary.created) == (3, 0, 0)


def test_refresh_stores_nothing_new_and_rewrites_only_what_changed(reference):
    import_kolada(FakeKolada(v2_n01951(2020)).client(), ["N01951"], [2020])
    before = {r.pk: (r.value, r.fetched_at) for r in AreaIndicator.objects.all()}

    again = import_kolada(FakeKolada(v2_n01951(2020)).client(), ["N01951"], [2020], refresh=True)
    assert (again.fetched, again.created, again.updated, again.unchanged) == (1, 0, 0, 290)
    assert {r.pk: (r.value, r.fetched_at) for r in AreaIndicator.objects.all()} == before

    revised = n01951(2020)
    ragunda = next(r for r in revised["values"] if r["municipality"] == "2303")
    ragunda["values"][0]["value"] = 5209
    fake = FakeKolada({"/v2/data/kpi/N01951/year/2020": body(revised)})
    summary = import_kolada(fake.client(), ["N01951"], [2020], refresh=True)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 289)
    after = {r.pk: (r.value, r.fetched_at) for r in AreaIndicator.objects.all()}
    changed = [pk for pk in after if after[pk] != before[pk]]
    assert changed == [AreaIndicator.objects.get(area__code="2303").pk]
    assert after[changed[0]][0] == 5209


def test_a_year_without_figures_is_asked_for_again(reference):
    empty = {"/v2/data/kpi/N01951/year/2024": body({"values": [], "count": 0})}
    summary = import_kolada(FakeKolada(empty).client(), ["N01951"], [2024])
    assert summary.empty == [("N01951", 2024)]
    fake = FakeKolada(empty)
    import_kolada(fake.client(), ["N01951"], [2024])
    assert fake.data_requests() == ["/v2/data/kpi/N01951/year/2024"]


# -- hostile and malformed answers ------------------------------------------------------------

GOOD = row("2303", 5208)
MALFORMED: dict[str, tuple[bytes, str]] = {
    "an HTML error page": (b"<html>Service Unavailable</html>", "not valid JSON"),
    "cut off": (b'{"values": [{"kpi": "N01951", "munic', "not valid JSON"),
    "NaN": (
        b'{"values": [{"kpi": "N01951", "municipality": "2303", "period": 2020,'
        b' "values": [{"gender": "T", "value": NaN}]}]}',
        "not valid JSON",
    ),
    "infinity": (
        b'{"values": [{"kpi": "N01951", "municipality": "2303", "period": 2020,'
        b' "values": [{"gender": "T", "value": 1e999}]}]}',
        "not finite",
    ),
    "nested a million deep": (b"[" * 1_000_000, "not valid JSON"),
    "not an envelope": (b"[1, 2, 3]", "no list of values"),
    "values not a list": (b'{"values": {"2303": 5208}}', "no list of values"),
    "a string value": (json.dumps({"values": [GOOD, row("2081", "lots")]}).encode(), "value"),
    "a boolean value": (json.dumps({"values": [row("2081", True)]}).encode(), "value"),
    "another year": (json.dumps({"values": [GOOD, row("2081", 1, year=2019)]}).encode(), "period"),
    "another KPI": (json.dumps({"values": [GOOD, row("2081", 1, kpi="N00001")]}).encode(), "kpi"),
    "an unknown gender": (json.dumps({"values": [row("2081", 1, gender="X")]}).encode(), "gender"),
    "a path in the id": (json.dumps({"values": [row("../../etc", 1)]}).encode(), "municipality"),
    "a row twice": (json.dumps({"values": [GOOD, GOOD]}).encode(), "twice"),
    "a long status": (
        json.dumps({"values": [row("2081", 1, status="x" * 500)]}).encode(),
        "status",
    ),
    "a next page elsewhere": (
        json.dumps({"values": [GOOD], "next_page": "https://evil.example/v2/x"}).encode(),
        "leads away",
    ),
    "a next page that is no link": (
        json.dumps({"values": [GOOD], "next_page": {"url": 1}}).encode(),
        "not a URL",
    ),
    "too large": (json.dumps({"values": [GOOD] * 2000}).encode(), "larger than"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_answers_give_a_clear_error_and_store_nothing_of_them(reference, case):
    content, message = MALFORMED[case]
    fake = FakeKolada(
        {
            **v2_n01951(2021),
            "/v2/data/kpi/N01951/year/2020": httpx.Response(200, content=content),
        }
    )
    client = fake.client(max_response_bytes=64 * 1024 if case == "too large" else 16 * 2**20)
    with pytest.raises(KoladaFormatError, match=message) as error:
        import_kolada(client, ["N01951"], [2021, 2020])
    assert "N01951" in str(error.value) or "kpi/N01951/year/2020" in str(error.value)
    assert stored("N01951", 2020) == {}
    assert len(stored("N01951", 2021)) == 290  # what came before the bad answer stays


def test_a_bad_second_page_keeps_the_first_page_out_too(reference):
    rows = n01951(2021)["values"]
    fake = FakeKolada(
        {
            "/v2/data/kpi/N01951/year/2021": body(
                {"values": rows[:150], "next_page": f"{HOST}/v2/data/kpi/N01951/year/2021?page=2"}
            ),
            "/v2/data/kpi/N01951/year/2021?page=2": httpx.Response(200, content=b'{"values": [}'),
        }
    )
    with pytest.raises(KoladaFormatError, match="page=2"):
        import_kolada(fake.client(), ["N01951"], [2021])
    assert not AreaIndicator.objects.exists()
    # ... so the next run asks for the whole year again instead of taking half for all of it.
    again = FakeKolada(v2_n01951(2021))
    assert import_kolada(again.client(), ["N01951"], [2021]).created == 290


def test_a_kpi_kolada_does_not_have_is_left_out_and_the_others_are_fetched(reference):
    fake = FakeKolada(v2_n01951(2020, 2021))  # /v2/data/kpi/N09999/... is a 404
    summary = import_kolada(fake.client(), ["N09999", "N01951"], [2020, 2021])
    assert summary.missing_kpis == ["N09999"]
    # One request for the missing KPI, not one per year.
    assert fake.data_requests() == [
        "/v2/data/kpi/N09999/year/2020",
        "/v2/data/kpi/N01951/year/2020",
        "/v2/data/kpi/N01951/year/2021",
    ]
    assert len(stored("N01951", 2020)) == len(stored("N01951", 2021)) == 290


def test_no_municipalities_means_run_import_reference_first():
    Area.objects.filter(kind=Area.Kind.MUNICIPALITY).delete()  # the session imported them
    with pytest.raises(KoladaError, match="import_reference"):
        import_kolada(FakeKolada({}).client(), ["N01951"], [2020])


@pytest.mark.parametrize("kpi", ["", "N0195", "../N01951", "N01951/year/2020", "SELECT"])
def test_kpi_ids_are_checked_before_they_go_into_a_url(kpi):
    with pytest.raises(ValueError, match="not a Kolada KPI id"):
        normalise_kpi(kpi)


# -- the command ------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_command(monkeypatch, fake: FakeKolada, *args: str, stdout: io.StringIO | None = None):
    seen: dict[str, object] = {}

    def build_client(self, *, delay, timeout, api):
        seen.update(delay=delay, timeout=timeout, api=api)
        return fake.client(delay=delay, api=api)

    monkeypatch.setattr(command_module.Command, "build_client", build_client)
    out = stdout or io.StringIO()
    call_command("import_kolada", *args, stdout=out)
    return out.getvalue(), seen


KPI_META = {
    # The v2 documentation's KPI object; the title is as shared/data/APIS.md reports it.
    "/v2/kpi/N01951": body(
        {
            "values": [
                {
                    "id": "N01951",
                    "title": "Invånare totalt, antal",
                    "description": "Antal invånare totalt den 31/12. Källa: SCB.",
                    "definition": "",
                    "municipality_type": "K",
                    "is_divided_by_gender": 1,
                    "operating_area": "Befolkning",
                    "perspective": "Volymer",
                    "publication_date": "2023-03-22",
                    "ou_publication_date": None,
                    "unit": "antal",
                    "auspice": "E",
                }
            ],
            "count": 1,
        }
    )
}


def test_command_imports_resumes_and_says_what_it_did(monkeypatch, reference):
    fake = FakeKolada({**v2_n01951(2020, 2021, 2022), **KPI_META})
    out, seen = run_command(
        monkeypatch, fake, "--kpi", "n01951", "--years", "2020-2022", "--delay", "0.1"
    )
    assert seen == {"delay": 0.1, "timeout": 30.0, "api": "auto"}
    assert "3/3 N01951 2022" in out
    assert "Kolada API v2" in out
    assert "1450" in out
    assert "N01951: Invånare totalt, antal (antal)" in out
    assert AreaIndicator.objects.count() == 1450

    again = FakeKolada({})
    out, _ = run_command(monkeypatch, again, "--kpi", "N01951", "--years", "2020-2022")
    assert again.requests == []
    assert AreaIndicator.objects.count() == 1450
    assert "3 already stored" in out


def test_command_draws_a_bar_on_a_terminal_and_reports_unknown_codes(monkeypatch, reference):
    rows = [row("2303", 5208), row("9999", 1)]
    fake = FakeKolada({"/v2/data/kpi/N01951/year/2020": body({"values": rows})})
    out, _ = run_command(
        monkeypatch, fake, "--kpi", "N01951", "--years", "2020", "--delay", "0", stdout=Terminal()
    )
    assert "\r[" + "#" * 30 + "] 1/1 N01951 2020\n" in out
    assert "9999" in out
    # /v2/kpi/N01951 is a 404 here: the figures are stored all the same.
    assert "Could not read the KPIs' titles" in out
    assert AreaIndicator.objects.count() == 1


def test_command_error_says_how_to_resume(monkeypatch, reference):
    fake = FakeKolada({"/v2/data/kpi/N01951/year/2020": httpx.Response(200, content=b"<html>")})
    with pytest.raises(CommandError, match="run again to resume"):
        run_command(monkeypatch, fake, "--kpi", "N01951", "--years", "2020", "--delay", "0")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--years", "2024-2015"], "forwards"),
        (["--years", "1850"], "between"),
        (["--years", "last year"], "not a year"),
        (["--kpi", "../../etc"], "not a Kolada KPI id"),
        (["--delay", "-1"], "--delay"),
    ],
)
def test_command_refuses_bad_arguments(monkeypatch, args, message):
    with pytest.raises(CommandError, match=message):
        run_command(monkeypatch, FakeKolada({}), *args)


def test_years_are_parsed_as_ranges_and_lists():
    assert command_module.parse_years("2015-2017") == [2015, 2016, 2017]
    assert command_module.parse_years("2020,2015, 2018-2019") == [2015, 2018, 2019, 2020]
