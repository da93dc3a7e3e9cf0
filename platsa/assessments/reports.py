"""Files out: raw responses (XLSX/CSV in the import template's format, so they re-import),
results (XLSX), the board report and code letters (PDF, WeasyPrint), QR codes (SVG/PNG)."""

from __future__ import annotations

import io
import math
from typing import Any

import segno
from django.template.loader import render_to_string
from django.utils.translation import get_language, gettext

from platsa.assessments.analysis import Analysis
from platsa.assessments.models import Comment, Response, Round
from platsa.assessments.presenters import Audience, disclosed_reasons, visible_comments
from platsa.core.io.encoding import decode_one
from platsa.core.io.importer import template_columns
from platsa.core.io.tabular import Sheet, write_csv, write_xlsx
from platsa.core.render.explain import cost_label, currency_for
from platsa.core.render.messages import label as vocab


def _lang() -> str:
    return (get_language() or "sv")[:2]


def response_rows(round_: Round) -> tuple[list[str], list[list[Any]]]:
    """Every response as a row of the import template (ratings 1-7, empty = don't know)."""
    fw = round_.framework
    columns = template_columns(fw)
    index = {c: i for i, c in enumerate(columns)}
    groups = {g.pk: g.label_sv for g in round_.groups.all()}
    comments: dict[int, dict[str, str]] = {}
    for c in Comment.objects.filter(round=round_).values("response_id", "theme_id", "kind", "text"):
        comments.setdefault(c["response_id"], {})[f"{c['kind']}_{c['theme_id']}"] = c["text"]
    rows = []
    for r in (
        Response.objects.filter(round=round_)
        .order_by("id")
        .values("id", "group_id", "age_band", "answers", "priorities", "respondent_ref")
    ):
        row: list[Any] = [""] * len(columns)
        row[index["respondent"]] = r["respondent_ref"] or f"W{r['id']}"
        row[index["group"]] = groups.get(r["group_id"], "")
        row[index["age_band"]] = r["age_band"]
        for qid, value in zip(fw.question_ids, decode_one(r["answers"], fw.scale.min), strict=True):
            row[index[qid]] = "" if value in (None, "?") else value
        for p, theme in enumerate(
            [t for t in r["priorities"].split(",") if t][: fw.max_priorities], start=1
        ):
            row[index[f"priority_{p}"]] = theme
        for key, text in comments.get(r["id"], {}).items():
            if key in index:
                row[index[key]] = text
        rows.append(row)
    return columns, rows


def responses_csv(round_: Round) -> bytes:
    columns, rows = response_rows(round_)
    return write_csv(columns, rows)


def responses_xlsx(round_: Round) -> bytes:
    columns, rows = response_rows(round_)
    return write_xlsx([Sheet(gettext("Responses"), columns, rows)])


# Number formats for the results workbook: shares are stored as fractions (0.02) and shown
# as percentages, scores with one decimal; Excel shows them in the reader's own notation
# (a decimal comma in Swedish Excel). Swedish writes a space before the percent sign.
SCORE_FORMAT = "0.0"
CHANGE_FORMAT = "+0.0;-0.0;0.0"


def _percent_format(language: str) -> str:
    return "0 %" if language == "sv" else "0%"


def results_xlsx(analysis: Analysis, context: dict[str, Any]) -> bytes:
    """The results page as a workbook: themes, groups, gaps, recommendations, facts and
    comments, showing exactly what the page shows this reader (``context`` was built for
    their audience): the same suppressed figures, reasons and comments."""
    language = _lang()
    fw = analysis.framework
    rules = context["rules"]
    audience = Audience(context["audience"])
    group_labels = context["group_labels"]
    previous = context["previous"]
    themes = []
    for r in context["rows"]:
        row: list[Any] = [
            r.title,
            r.id,
            _round(r.score),
            _round(r.low),
            _round(r.high),
            r.n,
            _round(r.dont_know_share, 4),
            _round(r.priority_share, 4),
        ]
        if previous is not None:
            row += [
                _round(r.before),
                _round(r.change),
                gettext("yes") if r.change_significant else "",
            ]
        themes.append(row)
    theme_header = [
        gettext("Theme"),
        "id",
        gettext("Score"),
        gettext("Low (95 %)"),
        gettext("High (95 %)"),
        "n",
        gettext("Don't know (share)"),
        gettext("Priority (share)"),
    ]
    if previous is not None:
        theme_header += [
            gettext("Score in %(round)s") % {"round": previous.name},
            gettext("Change since %(round)s") % {"round": previous.name},
            gettext("Clear change (probably not chance)"),
        ]
    group_header = [gettext("Theme")] + [f"{g['label']} (n={g['n']})" for g in context["groups"]]
    group_rows = [[r.title] + [_round(s) for s, _n in r.group_scores] for r in context["rows"]]
    gaps = [
        [
            g["theme"],
            g["high_group"],
            _round(g["high_score"]),
            g["low_group"],
            _round(g["low_score"]),
            _round(g["difference"]),
        ]
        for g in context["gaps"]
    ]
    currency = currency_for(_country_code(analysis))
    recs = []
    for rec in analysis.recommendations.recommendations:
        a = rec.action
        recs.append(
            [
                rec.rank,
                a.id,
                a.title.get(language),
                ", ".join(a.themes),
                round(rec.score, 4),
                gettext("yes") if rec.in_portfolio else "",
                vocab(f"horizon:{a.horizon.value}", gettext),
                vocab(f"effort:{a.effort.value}", gettext),
                cost_label(a.cost_band.value, currency, language, gettext),
                ", ".join(vocab(f"lead:{x.value}", gettext) for x in a.lead_actors),
                " ".join(
                    disclosed_reasons(
                        rec,
                        fw,
                        rules,
                        language=language,
                        group_labels=group_labels,
                    )
                ),
            ]
        )
    facts = [
        [
            vocab(f"fact:{f['fact'].key}", gettext),
            f["fact"].value,
            f["fact"].period,
            f["source"].credit(gettext) if f["source"] else "",
        ]
        for f in context["facts"]
    ]
    titles = {r.id: r.title for r in context["rows"]}
    comments = []
    if not context["too_few"]:
        comments = [
            [titles.get(c.theme_id, c.theme_id), c.question, c.group, c.text, c.status_label]
            for c in visible_comments(analysis.round, audience=audience, rules=rules)
        ]
    percent = _percent_format(language)
    theme_formats = {3: SCORE_FORMAT, 4: SCORE_FORMAT, 5: SCORE_FORMAT, 7: percent, 8: percent}
    if previous is not None:
        theme_formats |= {9: SCORE_FORMAT, 10: CHANGE_FORMAT}
    n_groups = len(context["groups"])
    return write_xlsx(
        [
            Sheet(
                gettext("Summary"),
                [gettext("Part"), gettext("Text")],
                summary_rows(context),
                widths=[34, 120],
            ),
            Sheet(
                gettext("Themes"),
                theme_header,
                themes,
                widths=[34, 22, 10, 12, 12, 8, 16, 16, 14, 14, 14],
                formats=theme_formats,
            ),
            Sheet(
                gettext("Groups"),
                group_header,
                group_rows,
                widths=[34] + [18] * n_groups,
                formats=dict.fromkeys(range(2, n_groups + 2), SCORE_FORMAT),
            ),
            Sheet(
                gettext("Disagreements"),
                [
                    gettext("Theme"),
                    gettext("Higher"),
                    gettext("Score"),
                    gettext("Lower"),
                    gettext("Score"),
                    gettext("Difference"),
                ],
                gaps,
                formats={3: SCORE_FORMAT, 5: SCORE_FORMAT, 6: SCORE_FORMAT},
            ),
            Sheet(
                gettext("Recommendations"),
                [
                    "#",
                    "id",
                    gettext("Action"),
                    gettext("Themes"),
                    gettext("Score"),
                    gettext("In the list"),
                    gettext("Time"),
                    gettext("Effort"),
                    gettext("Cost"),
                    gettext("Led by"),
                    gettext("Why"),
                ],
                recs,
                widths=[5, 28, 40, 30, 8, 8, 14, 14, 18, 24, 100],
            ),
            Sheet(
                gettext("Facts"),
                [gettext("Fact"), gettext("Value"), gettext("Period"), gettext("Source")],
                facts,
            ),
            Sheet(
                gettext("Comments"),
                [
                    gettext("Theme"),
                    gettext("Question"),
                    gettext("Group"),
                    gettext("Comment"),
                    gettext("Status"),
                ],
                comments,
                widths=[30, 28, 24, 80, 22],
            ),
        ]
    )


def summary_rows(context: dict[str, Any]) -> list[list[str]]:
    """The summary sheet, first in the workbook: what the board reads first on the page and
    in the report (notices, weakest themes, the biggest disagreement, the first actions)."""
    summary = context.get("summary")
    if summary is None:
        return []
    rows = [[gettext("Read this first"), n.text] for n in summary.notices]
    weakest = (
        gettext("The lowest scores (all of them good)")
        if summary.all_strong
        else gettext("The three weakest themes")
    )
    rows += [[weakest, item.text] for item in summary.weakest]
    if summary.disagreement is not None:
        rows.append([gettext("The biggest disagreement"), summary.disagreement.text])
    rows += [
        [gettext("Recommended action %(rank)s") % {"rank": i}, item.text]
        for i, item in enumerate(summary.actions, start=1)
    ]
    return rows


def _country_code(analysis: Analysis) -> str | None:
    country = getattr(analysis.context, "country", None)
    if country is not None:
        return str(getattr(country, "value", country))
    municipality = analysis.round.place.municipality
    return municipality.country if municipality is not None else None


def _round(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


PDF_COMMENTS_PER_THEME = 3  # the report quotes a few; the workbook has them all


def pdf_comments(rows: list[Any]) -> list[dict[str, Any]]:
    """A few comments per theme for the report, each text once (many people write the same
    words; the report is read, not searched)."""
    out = []
    for row in rows:
        seen: set[str] = set()
        picked = []
        for comment in row.comments:
            key = " ".join(comment.text.split()).casefold()
            if key not in seen:
                seen.add(key)
                picked.append(comment)
        if picked:
            out.append({"title": row.title, "comments": picked[:PDF_COMMENTS_PER_THEME]})
    return out


def report_pdf(context: dict[str, Any]) -> bytes:
    """The board report: a one-page summary first, then the results page's content laid
    out for print."""
    from weasyprint import HTML

    context = {**context, "pdf_comments": pdf_comments(context.get("rows", []))}
    html = render_to_string("assessments/report_pdf.html", context)
    return HTML(string=html, base_url=None).write_pdf()


def qr_svg(url: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=6, border=2, title="QR", dark="#000")
    return buffer.getvalue()


QR_PNG_MIN_PX = 1200  # about 10 cm at 300 dpi: print quality for posters and leaflets
QR_BORDER = 2


def qr_png_scale(url: str, min_px: int = QR_PNG_MIN_PX) -> int:
    """The smallest whole number of pixels per module that makes the PNG at least ``min_px``
    wide. A whole number keeps every module a crisp square of equal size; a fractional
    scale would blur or unevenly size modules, which scanners misread."""
    width, _height = segno.make(url, error="m").symbol_size(scale=1, border=QR_BORDER)
    return max(1, math.ceil(min_px / width))


def qr_png(url: str) -> bytes:
    """The QR code as a PNG for print (at least 1,200 px wide, marked 300 dpi)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="png", scale=qr_png_scale(url), border=QR_BORDER, dpi=300
    )
    return buffer.getvalue()


def qr_svg_inline(url: str) -> str:
    """An SVG element (no XML declaration) for embedding in HTML and PDFs."""
    buffer = io.BytesIO()
    qr = segno.make(url, error="m")
    qr.save(buffer, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False)
    # segno writes a width and a height but no viewBox: a page that sizes the code (the
    # projector's, 11.5 rem) would crop it instead of scaling it.
    width, height = qr.symbol_size(scale=4, border=2)
    svg = buffer.getvalue().decode("utf-8")
    return svg.replace("<svg ", f'<svg viewBox="0 0 {width} {height}" ', 1)


def letters_pdf(round_: Round, survey_url: str, codes: list[str]) -> bytes:
    """One letter per code: what the survey is, the link, the code and a QR code that carries
    the code (scanning it skips typing)."""
    from weasyprint import HTML

    letters = [{"code": code, "qr": qr_svg_inline(f"{survey_url}?code={code}")} for code in codes]
    html = render_to_string(
        "assessments/letters_pdf.html",
        {"round": round_, "survey_url": survey_url, "letters": letters},
    )
    return HTML(string=html).write_pdf()
