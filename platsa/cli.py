"""The ``platsa`` command line: frameworks, import templates, assessments and the open data
of municipalities (``places show``) without a database or Django. Bad input exits with
status 2 and a message naming row and column."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from platsa.core.render.messages import Translate

EXIT_BAD_INPUT = 2


def _language(args: argparse.Namespace) -> str:
    lang = getattr(args, "lang", None) or os.environ.get("PLATSA_LANG") or "en"
    return "sv" if lang.lower().startswith("sv") else "en"


def _fail(message: str) -> int:
    print(f"platsa: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def cmd_frameworks(args: argparse.Namespace) -> int:
    from platsa.core.schema.frameworks import FrameworkError, load_frameworks

    try:
        frameworks = load_frameworks()
    except FrameworkError as exc:
        return _fail(str(exc))
    lang = _language(args)
    for fw in frameworks.values():
        print(f"{fw.id}\t{fw.version}\t{len(fw.themes)} themes\t{fw.title.get(lang)}")
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from platsa.core.io.template import template_csv, template_xlsx
    from platsa.core.render.messages import catalogue_translator
    from platsa.core.schema.frameworks import FrameworkError, get_framework

    try:
        fw = get_framework(args.framework)
    except FrameworkError as exc:
        return _fail(str(exc))
    out = Path(args.out)
    lang = _language(args)
    if out.suffix.lower() == ".csv":
        data = template_csv(fw)
    elif out.suffix.lower() == ".xlsx":
        data = template_xlsx(fw, language=lang, _=catalogue_translator(lang))
    else:
        return _fail(f"--out must end in .csv or .xlsx, not {out.suffix or '(nothing)'}")
    out.write_bytes(data)
    print(f"wrote {out}")
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    from platsa.core.analysis.recommend import recommend
    from platsa.core.analysis.scoring import score
    from platsa.core.io.importer import ImportValidationError, read_responses
    from platsa.core.io.reference import context_for_municipality, find_municipality
    from platsa.core.io.tabular import TableError
    from platsa.core.render.explain import explain_issues
    from platsa.core.render.messages import IMPORT_ERRORS, catalogue_translator
    from platsa.core.render.report import build_report, format_text
    from platsa.core.schema.catalogue import CatalogueError, load_catalogue
    from platsa.core.schema.frameworks import FrameworkError, get_framework

    lang = _language(args)
    _ = catalogue_translator(lang)
    if not args.place and (args.place_population is not None or args.large_employer):
        # They describe the place in its municipality; without one they would do nothing.
        return _fail("--place-population and --large-employer need --place (a municipality code)")
    try:
        fw = get_framework(args.framework)
        catalogue = load_catalogue(fw)
    except (FrameworkError, CatalogueError) as exc:
        return _fail(str(exc))
    path = Path(args.responses)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _fail(f"cannot read {path}: {exc.strerror}")
    try:
        imported = read_responses(data, path.name, fw, language=lang)
    except TableError as exc:
        return _fail(f"{path}: " + _(IMPORT_ERRORS[exc.code]).format(**exc.params))
    except ImportValidationError as exc:
        lines = [f"{path}: " + _("{count} problem(s); nothing was read.").format(count=exc.total)]
        for problem in explain_issues(exc.issues, total=exc.total, _=_):  # by row, repeats as one
            where, text = problem.where, problem.what
            lines.append(f"  {where}: {text}" if where else f"  {text}")
        print("\n".join(lines), file=sys.stderr)
        return EXIT_BAD_INPUT

    context = None
    if args.place:
        municipality = find_municipality(args.place)  # 2081, SE-2081, NO-5001, FI-091
        if municipality is None:
            return _fail(f"unknown municipality code {args.place!r} (e.g. 2081, NO-5001, FI-091)")
        whole = args.place_population is None
        context = context_for_municipality(
            municipality,
            place_name=args.place_name or municipality.name,
            place_population=args.place_population,
            is_whole_municipality=whole,
            has_large_employer={"yes": True, "no": False}.get(args.large_employer or ""),
        )
    computed = time.perf_counter()
    results = score(imported.responses)
    recs = recommend(results, catalogue, context, comments=imported.responses.comments)
    core_ms = (time.perf_counter() - computed) * 1000
    report = build_report(
        fw, results, recs, context, language=lang, _=_, limit=args.top, catalogue=catalogue
    )
    if args.format == "json":  # one write: json.dump writes each token on its own
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_text(report, language=lang, _=_, top=args.top or 10))
    if args.timing:
        total_ms = (time.perf_counter() - started) * 1000
        print(f"timing: core {core_ms:.1f} ms, command {total_ms:.1f} ms", file=sys.stderr)
    return 0


def cmd_catalogue(args: argparse.Namespace) -> int:
    from platsa.core.schema.catalogue import CatalogueError, load_catalogue
    from platsa.core.schema.frameworks import FrameworkError, load_frameworks

    lang = _language(args)
    try:
        frameworks = load_frameworks()
        catalogues = {fid: load_catalogue(fw) for fid, fw in frameworks.items()}
    except (FrameworkError, CatalogueError) as exc:
        return _fail(str(exc))
    for fid, catalogue in catalogues.items():
        if not len(catalogue):
            continue
        examples = sum(len(a.examples) for a in catalogue)
        print(f"{fid}: {len(catalogue)} actions, {examples} good examples")
        if not args.check:
            for action in catalogue:
                themes = ", ".join(f"{t}:{w}" for t, w in action.themes.items())
                print(f"  {action.id:<40} {action.title.get(lang)}  [{themes}]")
    return 0


# `platsa places show`: the nearest peers it lists (platsa.core.analysis.peers).
PEER_COUNT = 5


def _iso_date(year: int, day: str) -> str:
    return f"{year}-{day or '12-31'}"


def _when(year: int, day: str) -> str:
    """A year of a series as Platsa writes it: the year alone for 31 December, the ISO date
    for any other day (SSB's 1 January), as platsa.core.io.reference.period_for does."""
    return str(year) if day in ("", "12-31") else _iso_date(year, day)


def place_facts(
    key: str, *, peers: int = PEER_COUNT, _: Translate | None = None
) -> dict[str, object] | None:
    """Everything the reference data holds about one municipality, as data: each figure
    with its year (or date) and source key, the whole population series, and its nearest
    peers across the three countries (platsa.core.analysis.peers). None for an unknown
    code. The keys of ``sources`` describe every source key used."""
    from platsa.core.analysis.peers import reference_peer_index
    from platsa.core.io.reference import (
        SOURCES,
        find_municipality,
        load_country,
        national_share_65_plus,
    )

    m = find_municipality(key)
    if m is None:
        return None
    regions = load_country(m.country)[0]
    region = next((r for r in regions if r.code == m.region_code), None)
    used: list[str] = []

    def source(name: str) -> str:
        if name and name not in used:
            used.append(name)
        return name

    day = m.population_series_day
    series = [
        {
            "year": year,
            "date": _iso_date(year, day),
            "value": value,
            "source": source(m.series_source(year)),
        }
        for year, value in sorted(m.population_series.items())
    ]
    change = m.population_change_detail
    national = national_share_65_plus(m.country)

    def share(value: float | None, compare: float | None = None) -> dict[str, object] | None:
        if value is None:
            return None
        out: dict[str, object] = {
            "value": value,
            "year": m.age_year,
            "source": source(m.age_source),
        }
        if compare is not None:
            out["country_value"] = round(compare, 2)
        return out

    density = m.density
    index = reference_peer_index()
    facts: dict[str, object] = {
        "code": m.code,
        "key": m.key,
        "name": m.name,
        "country": m.country,
        "region": {"code": m.region_code, "name": region.name if region else ""},
        "population": series,
        "population_latest": (
            {
                "value": m.population,
                "date": m.population_date,
                "source": source(m.population_source),
            }
            if m.population is not None
            else None
        ),
        "population_change": (
            {
                "pct": round(change.pct, 2),
                "period": change.period,
                "first": change.first,
                "last": change.last,
                "start_moved": change.start_moved,
                "source": source(change.source),
            }
            if change is not None
            else None
        ),
        "share_65_plus_pct": share(m.share_65_plus_pct, national),
        "share_0_19_pct": share(m.share_0_19_pct),
        "land_area_km2": (
            {"value": m.land_area_km2, "year": m.area_year, "source": source(m.area_source)}
            if m.land_area_km2 is not None
            else None
        ),
        # Computed here: the most recent population over the land area, both named.
        "density_per_km2": (
            {
                "value": round(density, 2),
                "population_date": m.population_date,
                "area_year": m.area_year,
                "sources": [source(m.population_source), source(m.area_source)],
            }
            if density is not None
            else None
        ),
        "skr_group": (
            {
                "code": m.skr_group_code,
                "name": m.skr_group_name,
                "year": "2023",
                "source": source("skr_groups"),
            }
            if m.skr_group_code
            else None
        ),
        "remoteness": (
            {
                "value": m.remoteness.value,
                "from": "skr_group" if m.skr_group_code else "density",
            }
            if m.remoteness is not None
            else None
        ),
        "peers": [
            {
                "code": p.code,
                "key": p.key,
                "name": p.name,
                "country": p.country,
                "region_code": p.region_code,
                "skr_group_code": p.skr_group_code or None,
                "distance": round(p.distance, 3),
                "shared_features": list(p.shared_features),
                "reasons": [
                    {
                        "feature": r.feature,
                        "value": r.value if isinstance(r.value, str) else round(r.value, 2),
                        "peer_value": (
                            r.peer_value
                            if isinstance(r.peer_value, str)
                            else round(r.peer_value, 2)
                        ),
                        "difference_sd": round(r.difference_sd, 3),
                    }
                    for r in p.reasons
                ],
            }
            for p in index.nearest(m.key, peers)
        ],
    }
    facts["sources"] = {
        k: {
            "title": SOURCES[k].title,
            "publisher": SOURCES[k].publisher,
            "url": SOURCES[k].url,
            "licence": SOURCES[k].licence,
            "credit": SOURCES[k].credit(_) if _ else SOURCES[k].attribution,
        }
        for k in used
        if k in SOURCES
    }
    return facts


def _decades(series: list[dict[str, Any]], language: str) -> list[str]:
    """The series as a table, a decade a line: the years down, the last digit across."""
    from platsa.core.render.explain import number

    by_year = {row["year"]: row["value"] for row in series}
    if not by_year:
        return []
    width = max(len(number(v, language)) for v in by_year.values()) + 2
    lines = ["      " + "".join(f"{d:>{width}}" for d in range(10))]
    for decade in range(min(by_year) // 10 * 10, max(by_year) + 1, 10):
        cells = [by_year.get(decade + d) for d in range(10)]
        row = "".join(f"{number(v, language) if v is not None else '':>{width}}" for v in cells)
        lines.append(f"  {decade}{row}".rstrip())
    return lines


def format_place_text(facts: dict[str, Any], *, language: str, _: Translate) -> str:
    """:func:`place_facts` for a reader: each figure with its year and source, the
    population by year, and the nearest peers with the facts they share."""
    from platsa.core.io.reference import CHANGE_YEARS, SOURCES
    from platsa.core.render.explain import density as density_text
    from platsa.core.render.explain import number
    from platsa.core.render.messages import label

    def credit(key: str) -> str:
        return SOURCES[key].credit(_) if key in SOURCES else key

    def pct(value: float) -> str:
        return f"{number(value, language)} %"

    series = facts["population"]
    day = series[0]["date"][5:] if series else ""
    rows: list[tuple[str, str]] = []
    latest = facts["population_latest"]
    if latest:
        rows.append(
            (
                label("fact:population", _),
                f"{number(latest['value'], language)} ({latest['date']}) · "
                f"{credit(latest['source'])}",
            )
        )
    change = facts["population_change"]
    if change:
        text = f"{pct(change['pct'])} ({change['period']}) · {credit(change['source'])}"
        if change["start_moved"]:  # the same sentence as on the place page
            text += " · " + _(
                "From %(first)s, the first year with an exact figure by today's borders, "
                "not from %(wanted)s."
            ) % {
                "first": _when(change["first"], day),
                "wanted": _when(change["last"] - CHANGE_YEARS, day),
            }
        rows.append((label("fact:population_change_pct", _), text))
    elif series:
        rows.append(
            (
                label("fact:population_change_pct", _),
                _(
                    "Not known: exact figures by today's borders exist only from %(date)s, too "
                    "short a time for a change over %(years)s years."
                )
                % {"date": _when(series[0]["year"], day), "years": CHANGE_YEARS},
            )
        )
    old = facts["share_65_plus_pct"]
    if old:
        compare = (
            "; " + _("the country: {value}").format(value=pct(old["country_value"]))
            if "country_value" in old
            else ""
        )
        rows.append(
            (
                label("fact:share_65_plus_pct", _),
                f"{pct(old['value'])} ({old['year']}{compare}) · {credit(old['source'])}",
            )
        )
    young = facts["share_0_19_pct"]
    if young:
        rows.append(
            (
                label("fact:share_0_19_pct", _),
                f"{pct(young['value'])} ({young['year']}) · {credit(young['source'])}",
            )
        )
    area = facts["land_area_km2"]
    if area:
        rows.append(
            (
                label("fact:land_area_km2", _),
                f"{number(round(area['value']), language)} km² ({area['year']}) · "
                f"{credit(area['source'])}",
            )
        )
    density = facts["density_per_km2"]
    if density:
        rows.append(
            (
                _("Population density"),
                _(
                    "{value} inhabitants per km² of land (population {date}, land area {year})"
                ).format(
                    value=density_text(density["value"], language),
                    date=density["population_date"],
                    year=density["area_year"],
                ),
            )
        )
    group = facts["skr_group"]
    if group:
        rows.append(
            (
                label("fact:skr_group", _),
                f"{group['code']} {group['name']} ({group['year']}) · {credit(group['source'])}",
            )
        )
    remoteness = facts["remoteness"]
    if remoteness:
        basis = (
            _("from SKR's municipality group")
            if remoteness["from"] == "skr_group"
            else _("from the population density: under 10 per km² rural, over 100 urban")
        )
        rows.append(
            (
                label("fact:remoteness", _),
                f"{label('remoteness:' + remoteness['value'], _)} ({basis})",
            )
        )

    region = facts["region"]["name"]
    heading = f"{facts['name']} ({facts['key']}) · {label('country:' + facts['country'], _)}"
    lines = [heading + (f" · {region}" if region else ""), ""]
    width = max(len(name) for name, _value in rows)
    lines += [f"  {name:<{width}}  {value}" for name, value in rows]

    if series:
        title = (
            _("Population of %(area)s, 1 January each year")
            if day == "01-01"
            else _("Population of %(area)s, 31 December each year")
        ) % {"area": facts["name"]}
        # Each stretch of years with its own source: SCB to 2019, Kolada 2020-2022.
        stretches: list[list[Any]] = []
        for row in series:
            if stretches and stretches[-1][0] == row["source"]:
                stretches[-1][2] = row["year"]
            else:
                stretches.append([row["source"], row["year"], row["year"]])
        credits = ", ".join(f"{credit(key)} {first}–{last}" for key, first, last in stretches)
        lines += ["", f"{title} · {credits}"]
        lines += _decades(series, language)

    peers = facts["peers"]
    lines += ["", _("Most similar municipalities in Sweden, Norway and Finland")]
    lines.append(
        "  "
        + _(
            "Distance over size, density, population change, age and SKR group: 0 is alike "
            "on every fact compared."
        )
    )
    names = {
        "population": label("fact:population", _),
        "density": _("Population density"),
        "population_change_pct": label("fact:population_change_pct", _),
        "share_65_plus_pct": label("fact:share_65_plus_pct", _),
        "share_0_19_pct": label("fact:share_0_19_pct", _),
        "skr_group": label("fact:skr_group", _),
    }

    def shown(feature: str, value: float | str) -> str:
        if isinstance(value, str):
            return value
        if feature == "population":
            return number(int(value), language)
        if feature == "density":
            return density_text(value, language)
        return pct(value)

    for i, peer in enumerate(peers, 1):
        country = label("country:" + peer["country"], _)
        lines.append(
            f"  {i}. {peer['name']} ({peer['key']}, {country}): "
            + _("distance {distance}").format(distance=number(peer["distance"], language, 2))
        )
        close = [
            (
                names[r["feature"]]
                + (
                    f" {r['value']}"
                    if r["feature"] == "skr_group"
                    else f" {shown(r['feature'], r['peer_value'])}"
                )
            )
            for r in peer["reasons"]
        ]
        if close:
            lines.append(
                "     " + _("similar in: {facts} (its own figures)").format(facts="; ".join(close))
            )
    return "\n".join(lines) + "\n"


def cmd_places_show(args: argparse.Namespace) -> int:
    from platsa.core.render.messages import catalogue_translator

    lang = _language(args)
    _ = catalogue_translator(lang)
    facts = place_facts(args.code, _=_)
    if facts is None:
        return _fail(
            _(
                "unknown municipality code {code} (use e.g. 2081, SE-2081, NO-5001 or FI-091)"
            ).format(code=repr(args.code))
        )
    if args.format == "json":
        sys.stdout.write(json.dumps(facts, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_place_text(facts, language=lang, _=_))
    return 0


def cmd_opinion(args: argparse.Namespace) -> int:
    """Groups, representative and consensus statements of a Pol.is export."""
    from platsa.core.opinion import polis_io
    from platsa.core.opinion.matrix import VoteMatrix
    from platsa.core.opinion.pipeline import MIN_PARTICIPANTS_FOR_GROUPS, MIN_VOTES, analyse
    from platsa.core.opinion.render import format_json, format_text
    from platsa.core.render.messages import catalogue_plural, catalogue_translator, gettext_noop

    _ = catalogue_translator(_language(args))
    ngettext = catalogue_plural(_language(args))

    def read(path_text: str) -> bytes:
        path = Path(path_text)
        try:
            polis_io.check_size(path.stat().st_size, str(path))
            return path.read_bytes()
        except OSError as exc:
            # The usual reasons in the reader's language; the system's own words (English)
            # only for a rare one.
            known = {
                errno.ENOENT: gettext_noop("there is no such file"),
                errno.EACCES: gettext_noop("you are not allowed to read it"),
                errno.EPERM: gettext_noop("you are not allowed to read it"),
                errno.EISDIR: gettext_noop("it is a folder, not a file"),
            }
            if exc.errno in known:
                raise polis_io.PolisFormatError(str(path), known[exc.errno]) from None
            raise polis_io.PolisFormatError(
                str(path), gettext_noop("cannot read: {error}"), error=exc.strerror
            ) from None

    try:
        texts: dict[str, str] = {}
        out: frozenset[str] = frozenset()
        if args.comments:
            comments = polis_io.read_comments(read(args.comments), args.comments)
            texts = {c.id: c.text for c in comments.values()}
            out = polis_io.moderated_out(comments)
        if args.votes:
            votes = polis_io.read_votes(read(args.votes), args.votes)
            triples = [(v.participant, v.statement, v.vote) for v in votes]
        else:
            wide = polis_io.read_participants_votes(
                read(args.participants_votes), args.participants_votes
            )
            triples = list(wide.votes)
    except polis_io.PolisFormatError as exc:
        return _fail(exc.text(_))
    if not triples:
        return _fail(_("no votes in the file"))
    started = time.perf_counter()
    result = analyse(VoteMatrix.from_votes(triples, moderated_out=out), seed=args.seed)
    elapsed_ms = (time.perf_counter() - started) * 1000
    if args.format == "json":
        sys.stdout.write(format_json(result, texts))
    else:
        sys.stdout.write(
            format_text(
                result,
                texts,
                min_participants=MIN_PARTICIPANTS_FOR_GROUPS,
                min_votes=MIN_VOTES,
                _=_,
                ngettext=ngettext,
            )
        )
    if args.timing:
        print(f"timing: analysis {elapsed_ms:.1f} ms", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="platsa", description="Platsa: place assessments and explained recommendations."
    )
    parser.add_argument("--lang", choices=["sv", "en"], help="language of the output (default en)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("frameworks", help="list the frameworks (questionnaires)")
    p.set_defaults(func=cmd_frameworks)

    p = sub.add_parser("template", help="write the import template for paper answers")
    p.add_argument("--framework", required=True)
    p.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("assess", help="score answers and recommend actions")
    p.add_argument("--framework", required=True)
    p.add_argument(
        "--responses", required=True, help="FILE.csv or FILE.xlsx in the template's format"
    )
    p.add_argument("--place", help="municipality code for open-data context, e.g. 2081 or NO-5001")
    p.add_argument("--place-name", help="the place's name (default: the municipality's)")
    p.add_argument(
        "--place-population",
        type=int,
        help="inhabitants of the place when it is smaller than the municipality",
    )
    p.add_argument(
        "--large-employer",
        "--industry",  # the old name, still accepted
        dest="large_employer",
        choices=["yes", "no"],
        help="is there an employer that recruits like a mill (a mine, a ski resort, a fish "
        "plant, a hospital)? --industry is the old name of this option",
    )
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--top", type=int, default=None, help="number of recommendations to show")
    p.add_argument("--timing", action="store_true", help="print timings to stderr")
    p.set_defaults(func=cmd_assess)

    p = sub.add_parser(
        "opinion", help="opinion groups and consensus of a Pol.is export (votes.csv)"
    )
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--votes", help="Pol.is votes.csv")
    src.add_argument("--participants-votes", help="Pol.is participants-votes.csv (the wide export)")
    p.add_argument("--comments", help="Pol.is comments.csv: statement texts and moderation")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("--seed", type=int, default=0, help="k-means seed (default 0)")
    p.add_argument("--timing", action="store_true", help="print timings to stderr")
    p.set_defaults(func=cmd_opinion)

    p = sub.add_parser("catalogue", help="list or check the action catalogue")
    p.add_argument("--check", action="store_true", help="only validate and count")
    p.set_defaults(func=cmd_catalogue)

    places = sub.add_parser("places", help="open data about municipalities")
    places_sub = places.add_subparsers(dest="places_command", required=True)
    p = places_sub.add_parser(
        "show", help="a municipality's facts with source and year, and its nearest peers"
    )
    p.add_argument("code", help="municipality code, e.g. 2081, SE-2081, NO-5001 or FI-091")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=cmd_places_show)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv``; without (the ``platsa`` program itself, or ``python -m
    platsa.cli``) the process ends here, see :func:`_end`."""
    # A short-lived command that builds millions of small objects (cells of a large file) and
    # frees them at exit: the cyclic garbage collector would only rescan them again and again.
    gc.disable()
    # NumPy's OpenBLAS starts a thread per core when it is imported, which costs more CPU
    # time (0.1 s) than anything here gains from it: the core makes no large matrix products.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    parser = build_parser()
    args = parser.parse_args(argv)
    code = int(args.func(args))
    if argv is None:
        _end(code)
    return code


def _end(code: int) -> NoReturn:
    """End the process at once, with everything written.

    The interpreter's orderly shutdown frees every object one by one and tears down every
    module (0.08 s after any assessment, 0.1 s after 100,000 respondents: a tenth of the
    whole command), to give the memory back to a system that takes it back anyway. The
    command has no files open and no ``atexit`` work, so nothing is lost by skipping it."""
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (``| head``) has read what it wanted; a closed stream has nothing.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    main()
