"""The ``platsa`` command line: frameworks, import templates and assessments without a
database or Django. Bad input exits with status 2 and a message naming row and column."""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

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
    from platsa.core.io.importer import ImportValidationError, parse_table
    from platsa.core.io.reference import context_for_municipality, find_municipality
    from platsa.core.io.tabular import TableError, read_table
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
        table = read_table(data, path.name)
        imported = parse_table(table, fw, language=lang)
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

    p = sub.add_parser("catalogue", help="list or check the action catalogue")
    p.add_argument("--check", action="store_true", help="only validate and count")
    p.set_defaults(func=cmd_catalogue)
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
