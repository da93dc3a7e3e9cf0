"""Results, the public page, exports and the change between rounds."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from platsa.assessments.models import Comment
from platsa.assessments.services import (
    comment_set_status,
    default_groups,
    round_create,
    round_publish,
)
from platsa.processes.models import Process
from tests.conftest import fetch_file, fetch_report, fill_round, two_rounds

pytestmark = pytest.mark.django_db


def results_url(round_):
    return reverse("assessments:results", args=[round_.place.slug, round_.slug])


def test_results_page_shows_everything(client, viewer, filled_round, framework):
    client.force_login(viewer)
    html = client.get(results_url(filled_round)).content.decode()
    assert 'class="chart chart-radar"' in html  # the compass
    assert "95" in html
    assert "Bostäder" in html
    assert "Rekommenderade åtgärder" in html or "Recommended actions" in html
    assert html.count('class="recommendation"') >= 10
    assert "Källa: SCB" in html  # facts with their source
    assert "<blockquote" not in html  # viewers do not see comments


def test_organiser_sees_comments(client, organiser, filled_round):
    client.force_login(organiser)
    html = client.get(results_url(filled_round)).content.decode()
    assert "<blockquote" in html


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 200), ("organiser", 200), ("outsider", 404)]
)
def test_results_permissions(client, filled_round, request, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(results_url(filled_round)).status_code == status


def test_organiser_only_pages(client, viewer, organiser, filled_round):
    args = [filled_round.place.slug, filled_round.slug]
    pages = [
        reverse("assessments:dashboard", args=args),
        reverse("assessments:comments", args=args),
        reverse("assessments:export_responses", args=[*args, "xlsx"]),
        reverse("assessments:codes", args=args),
        reverse("assessments:theme_comments", args=[*args, "housing"]),
    ]
    client.force_login(viewer)
    assert [client.get(p).status_code for p in pages] == [403] * len(pages)
    client.force_login(organiser)
    assert [client.get(p).status_code for p in pages] == [200, 200, 302, 200, 200]  # 302: a job


def test_public_page_hides_small_groups_and_unapproved_comments(client, round_):
    fill_round(round_, 40, groups=["residents"], comment_rate=1.0)
    fill_round(round_, 3, seed=9, groups=["industry_management"])
    fill_round(round_, 6, seed=10, groups=["young_people"])  # hidden too, so the 3 stay hidden
    url = reverse("public:results", args=[round_.place.slug, round_.slug])
    assert client.get(url).status_code == 404  # not published yet
    round_publish(round_=round_, public=True)
    html = client.get(url).content.decode()
    assert "Arbetsgivare eller företagsledning" not in html  # 3 respondents < 5
    assert "Unga (16–25 år)" not in html  # 6, but shown it would let the 3 be subtracted out
    assert "Invånare" in html
    assert "<blockquote" not in html  # nothing approved yet
    comment = Comment.objects.first()
    comment_set_status(round_=round_, comment_id=comment.pk, status="approved")
    html = client.get(url).content.decode()
    assert html.count("<blockquote") == 1


def test_public_page_needs_five_respondents(client, round_):
    fill_round(round_, 4)
    round_publish(round_=round_, public=True)
    html = client.get(
        reverse("public:results", args=[round_.place.slug, round_.slug])
    ).content.decode()
    assert 'class="recommendation"' not in html
    assert "chart-radar" not in html


def test_second_round_shows_change(client, viewer, place, owner, framework):
    _first, second = two_rounds(place, owner, framework)
    client.force_login(viewer)
    html = client.get(results_url(second)).content.decode()
    assert "2025" in html
    assert "Förändring sedan 2025" in html or "Change since 2025" in html


def test_exports(client, organiser, filled_round):
    client.force_login(organiser)
    args = [filled_round.place.slug, filled_round.slug]
    raw = fetch_file(client, reverse("assessments:export_responses", args=[*args, "xlsx"]))
    sheet = load_workbook(io.BytesIO(raw.content)).active
    assert sheet.max_row == 121
    assert sheet["D1"].value == "housing"
    csv = client.get(reverse("assessments:export_responses", args=[*args, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert len(csv.strip().splitlines()) == 121
    results = load_workbook(
        io.BytesIO(client.get(reverse("assessments:export_results", args=args)).content)
    )
    assert results.worksheets[0]["A2"].value  # the summary comes first
    themes = results.worksheets[1]
    assert themes.max_row == 16
    assert isinstance(themes["C2"].value, (int, float))
    recs = results.worksheets[4]
    assert recs["K2"].value  # the "why" column
    pdf = fetch_report(client, filled_round)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert len(pdf.content) > 10_000


def test_exported_csv_imports_again(client, organiser, filled_round, place, owner, framework):
    """Raw responses leave in the template's format, so they can be moved to another round."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(organiser)
    args = [filled_round.place.slug, filled_round.slug]
    csv = client.get(reverse("assessments:export_responses", args=[*args, "csv"])).content
    other = round_create(
        place=place, user=owner, name="Kopia", framework=framework, groups=default_groups(framework)
    )
    from django.test import TestCase

    from tests.conftest import run_jobs

    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("assessments:import", args=[place.slug, other.slug]),
            {"file": SimpleUploadedFile("svar.csv", csv)},
        )
    assert response.status_code == 302
    run_jobs()
    assert other.responses.count() == 120


def test_qr_codes_and_letters(client, organiser, round_):
    client.force_login(organiser)
    args = [round_.place.slug, round_.slug]
    svg = client.get(reverse("assessments:qr", args=[*args, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse("assessments:qr", args=[*args, "png"]))
    assert png.content.startswith(b"\x89PNG")
    round_.requires_code = True
    round_.save()
    client.post(reverse("assessments:codes", args=args), {"count": "3"})
    assert round_.codes.count() == 3
    letters = fetch_file(client, reverse("assessments:letters", args=args))
    assert letters.content.startswith(b"%PDF")
    page = client.get(reverse("assessments:codes", args=args)).content.decode()
    assert "?batch=0" in page


def test_results_page_query_count_does_not_grow_with_responses(
    client, viewer, round_, django_assert_max_num_queries
):
    fill_round(round_, 30)
    client.force_login(viewer)
    client.get(results_url(round_))
    fill_round(round_, 300, seed=5)
    with django_assert_max_num_queries(30):
        assert client.get(results_url(round_)).status_code == 200


def test_comment_moderation_with_htmx(client, organiser, filled_round):
    client.force_login(organiser)
    comment = Comment.objects.filter(round=filled_round).first()
    url = reverse("assessments:comments", args=[filled_round.place.slug, filled_round.slug])
    response = client.post(
        url, {"comment": comment.pk, "status": "approved"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="comment-{comment.pk}"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_unknown_file_formats_are_not_found(client, organiser, round_):
    client.force_login(organiser)
    args = [round_.place.slug, round_.slug]
    for name in ("mall.pdf", "svar.exe", "qr.gif"):
        assert client.get(f"/platser/{args[0]}/omgangar/{args[1]}/{name}").status_code == 404


def test_public_page_cannot_be_subtracted_to_reveal_one_person(client, round_):
    fill_round(round_, 20, groups=["residents"])
    fill_round(round_, 1, seed=8, groups=["industry_management"])
    round_publish(round_=round_, public=True)
    html = client.get(
        reverse("public:results", args=[round_.place.slug, round_.slug])
    ).content.decode()
    assert "Invånare (n=" not in html  # no group table: residents alone would expose the rest
    assert "chart-radar" in html  # the total of 21 is shown


def test_public_change_only_against_a_published_round(client, place, owner, framework):
    first, second = two_rounds(place, owner, framework)
    round_publish(round_=second, public=True)
    url = reverse("public:results", args=[place.slug, second.slug])
    assert "Förändring sedan" not in client.get(url).content.decode()
    round_publish(round_=first, public=True)
    assert "Förändring sedan 2025" in client.get(url).content.decode()


def test_board_report_follows_the_disclosure_rules(client, organiser, round_, monkeypatch):
    from platsa.assessments import reports

    fill_round(round_, 20, groups=["residents"])
    fill_round(round_, 2, seed=8, groups=["industry_management"])
    seen = {}
    monkeypatch.setattr(reports, "report_pdf", lambda context: seen.update(context) or b"%PDF-stub")
    client.force_login(organiser)
    fetch_report(client, round_)
    assert seen["groups"] == []  # 2 employers could be subtracted out of the residents' figures
    assert seen["hidden_groups"] == 2


def test_results_xlsx_neutralises_formulas_in_group_names(client, organiser, filled_round):
    group = filled_round.groups.first()
    group.label_sv = '=HYPERLINK("http://evil","klicka")'
    group.save()
    client.force_login(organiser)
    data = client.get(
        reverse("assessments:export_results", args=[filled_round.place.slug, filled_round.slug])
    ).content
    sheet = load_workbook(io.BytesIO(data))["Grupper"]
    headers = [c.value for c in sheet[1]]
    assert any(h.startswith("'=HYPERLINK") for h in headers)
    assert sheet["B1"].data_type == "s"


def test_organiser_deletes_a_comment_or_the_whole_answer(client, organiser, filled_round):
    client.force_login(organiser)
    url = reverse("assessments:comments", args=[filled_round.place.slug, filled_round.slug])
    first, second = Comment.objects.filter(round=filled_round)[:2]
    client.post(url, {"comment": first.pk, "delete": "comment"}, HTTP_HX_REQUEST="true")
    assert not Comment.objects.filter(pk=first.pk).exists()
    assert filled_round.responses.filter(pk=first.response_id).exists()
    client.post(url, {"comment": second.pk, "delete": "response"})
    assert not filled_round.responses.filter(pk=second.response_id).exists()


def _svg(html: str, chart_id: str) -> str:
    """The SVG whose title has the id ``{chart_id}-t``."""
    return html.split(f'id="{chart_id}-t"')[1].split("</svg>")[0]


def test_compass_shows_the_previous_round_dashed_with_a_legend(
    client, viewer, place, owner, framework
):
    _first, second = two_rounds(place, owner, framework)
    client.force_login(viewer)
    html = client.get(results_url(second)).content.decode()
    for chart in ("compass-all", "compass-numbered"):
        polygons = _svg(html, chart).count("<polygon points=") - 7  # 7 rings on a 1-7 scale
        assert polygons == 2  # this round and the previous one
        assert 'stroke-dasharray="6 3"' in _svg(html, chart)
    legend = html.split('class="legend"')[1].split("</ul>")[0]
    assert "2026" in legend
    assert "2025" in legend
    assert "stroke-dasharray" in legend  # the swatch shows the dash, not only the colour
    # In words, clear changes first, with both scores.
    change = html.split('id="change"')[1].split("</section>")[0]
    assert "→" in change
    assert "Welch" in change  # the statistical detail, once, in the note


def test_public_page_has_no_previous_series_against_an_unpublished_round(
    client, place, owner, framework
):
    _first, second = two_rounds(place, owner, framework)
    Process.objects.filter(round__pk=second.pk).update(is_public=True)
    html = client.get(reverse("public:results", args=[place.slug, second.slug])).content.decode()
    assert 'stroke-dasharray="6 3"' not in _svg(html, "compass-all")
    assert 'id="change"' not in html
    assert 'class="legend"' not in html


def test_group_compasses_have_numbered_spokes_and_a_key(client, organiser, filled_round, framework):
    client.force_login(organiser)
    html = client.get(results_url(filled_round)).content.decode()
    key = html.split('class="compass-key compass-key-groups"')[1].split("</ol>")[0]
    titles = [t.title.sv for t in framework.themes]
    assert [part.split("</li>")[0] for part in key.split("<li>")[1:]] == titles
    group_svg = _svg(html, "compass-0")
    assert [f">{i}</text>" in group_svg for i in range(1, len(titles) + 1)] == [True] * len(titles)


def test_theme_chart_has_a_phone_variant(client, viewer, filled_round):
    client.force_login(viewer)
    html = client.get(results_url(filled_round)).content.decode()
    themes = html.split('id="themes"')[1].split("</section>")[0]
    wide = themes.split('class="compass-main compass-wide"><svg')[1].split("</svg>")[0]
    narrow = themes.split('class="compass-narrow"><svg')[1].split("</svg>")[0]
    assert 'viewBox="0 0 640 ' in wide  # the desktop and print layout
    assert "chart-bars-narrow" in narrow  # the phone layout, shown instead below 36rem
    assert 'viewBox="0 0 340 ' in narrow


def test_comments_say_which_question_and_group(client, organiser, round_):
    fill_round(round_, 20, groups=["residents"])
    fill_round(round_, 2, seed=7, groups=["industry_management"])
    for key, kind, text in (
        ("residents", "good", "Fin natur"),
        ("industry_management", "better", "Fler bussar"),
    ):
        response = round_.responses.filter(group__key=key).first()
        Comment.objects.create(
            round=round_,
            response=response,
            theme_id="housing",
            kind=kind,
            text=text,
            status=Comment.Status.APPROVED,
        )
    client.force_login(organiser)
    html = client.get(results_url(round_)).content.decode()
    fin = html.split("Fin natur")[1].split("</figure>")[0]
    assert "Vad är bra i dag?" in fin
    assert "Invånare" in fin
    bussar = html.split("Fler bussar")[1].split("</figure>")[0]
    assert "Vad kan bli bättre?" in bussar
    assert "Arbetsgivare eller företagsledning" in bussar
    round_publish(round_=round_, public=True)
    public = client.get(reverse("public:results", args=[round_.place.slug, round_.slug]))
    html = public.content.decode()
    assert "Vad kan bli bättre?" in html.split("Fler bussar")[1].split("</figure>")[0]
    assert "Arbetsgivare eller företagsledning" not in html  # 2 people: the group is hidden


def test_results_xlsx_formats_numbers_and_lists_comments(client, organiser, filled_round):
    comment = Comment.objects.filter(round=filled_round).first()
    comment.text = '=HYPERLINK("http://evil","klicka")'
    comment.save()
    client.force_login(organiser)
    data = client.get(
        reverse("assessments:export_results", args=[filled_round.place.slug, filled_round.slug])
    ).content
    book = load_workbook(io.BytesIO(data))
    themes = book.worksheets[1]
    assert themes["C2"].number_format == "0.0"  # score, one decimal
    assert 0 <= themes["G2"].value <= 1  # don't know: a share, stored as a number ...
    assert "%" in themes["G2"].number_format  # ... and shown as a percentage
    assert "%" in themes["H2"].number_format
    assert book.worksheets[2]["B2"].number_format == "0.0"
    comments = book.worksheets[6]
    assert [c.value for c in comments[1]] == ["Tema", "Fråga", "Grupp", "Kommentar", "Status"]
    visible = Comment.objects.filter(round=filled_round).exclude(status=Comment.Status.HIDDEN)
    assert comments.max_row == visible.count() + 1
    texts = [row[3] for row in comments.iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil","klicka")' in texts


def test_qr_png_is_print_quality(client, organiser, round_):
    import segno

    from platsa.assessments.reports import QR_BORDER, qr_png_scale
    from platsa.assessments.views.rounds import survey_url

    client.force_login(organiser)
    png = client.get(reverse("assessments:qr", args=[round_.place.slug, round_.slug, "png"]))
    width = int.from_bytes(png.content[16:20], "big")  # the IHDR chunk
    height = int.from_bytes(png.content[20:24], "big")
    assert width == height >= 1000
    request = png.wsgi_request
    modules, _ = segno.make(survey_url(request, round_), error="m").symbol_size(
        scale=1, border=QR_BORDER
    )
    assert width == modules * qr_png_scale(survey_url(request, round_))  # whole pixels/module
    svg = client.get(reverse("assessments:qr", args=[round_.place.slug, round_.slug, "svg"]))
    assert b"<svg" in svg.content


# --- results a board reads in two minutes (issue 6) -----------------------------------------

RAW_GROUP_IDS = ("industry_management", "industry_employees", "young_people", "municipal_staff")


def _squash(text: str) -> str:
    """Whitespace as one space: a PDF breaks lines where the page ends."""
    return " ".join(text.split())


def _pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [_squash(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def _cards(html: str) -> list[str]:
    section = html.split('id="recommendations"')[1].split('id="facts"')[0]
    return [
        part.split("</article>")[0] for part in section.split('<article class="recommendation"')[1:]
    ]


def _without_details(html: str) -> str:
    import re

    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


def _text(fragment: str) -> str:
    import html as html_lib
    import re

    return _squash(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)))


def _public_context(round_):
    from platsa.assessments.analysis import analyse
    from platsa.assessments.presenters import Audience, results_context

    return results_context(analyse(round_), audience=Audience.PUBLIC)


def test_summary_comes_first_on_the_page(client, organiser, filled_round):
    client.force_login(organiser)
    html = client.get(results_url(filled_round)).content.decode()
    assert html.index("data-summary") < html.index('id="compass"')
    summary = html.split("data-summary")[1].split("</section>")[0]
    lists = summary.split('<ol class="summary-list">')[1:]
    weakest, actions = lists[0].split("</ol>")[0], lists[-1].split("</ol>")[0]
    assert weakest.count("<li>") == 3
    assert actions.count("<li>") == 5
    for key in [part.split('"')[0] for part in actions.split('href="#rec-')[1:]]:
        assert f'id="rec-{key}"' in html  # each line leads to its card
    assert 'id="summary"' in html


def test_at_most_three_reasons_outside_the_fold(client, organiser, filled_round):
    client.force_login(organiser)
    html = client.get(results_url(filled_round)).content.decode()
    cards = _cards(html)
    assert len(cards) >= 10
    for card in cards:
        visible = _without_details(card)
        assert visible.count("<li>") - visible.split('class="why"')[0].count("<li>") <= 3
    assert any('class="ds-details why-more"' in card for card in cards)  # the rest: "more"


def test_no_sentence_repeats_on_the_page(client, organiser, filled_round):
    client.force_login(organiser)
    html = client.get(results_url(filled_round)).content.decode()
    sentences = []
    for card in _cards(html):
        for why in card.split('<ul class="why">')[1:]:
            sentences += [_text(li) for li in why.split("</ul>")[0].split("<li>")[1:]]
    assert len(sentences) >= 10
    assert len(sentences) == len(set(sentences))


def test_groups_are_named_never_by_id_on_page_and_report(client, organiser, round_):
    fill_round(round_, 40, groups=["residents"])
    fill_round(round_, 12, seed=4, groups=["industry_management"])
    fill_round(round_, 6, seed=5, groups=["young_people"])  # small: named in the notice
    client.force_login(organiser)
    html = client.get(results_url(round_)).content.decode()
    assert 'data-notice="small_group"' in html
    notice = html.split('data-notice="small_group"')[1].split("</div>")[0]
    assert "Unga (16–25 år)" in notice
    text = _text(html)
    assert not [raw for raw in RAW_GROUP_IDS if raw in text]
    pdf = fetch_report(client, round_)
    pages = _pdf_pages(pdf.content)
    assert not [raw for raw in RAW_GROUP_IDS if any(raw in page for page in pages)]


def test_a_tiny_round_shows_its_notice_on_every_surface(client, organiser, round_):
    """Engine-dependent: six answers give the ``few_respondents`` notice."""
    fill_round(round_, 6)
    client.force_login(organiser)
    html = client.get(results_url(round_)).content.decode()
    assert 'data-notice="few_respondents"' in html
    notice = _text(html.split('data-notice="few_respondents"><p>')[1].split("</p>")[0])
    assert "6" in notice
    assert html.index('data-notice="few_respondents"') < html.index("data-summary")
    first_page = _pdf_pages(fetch_report(client, round_).content)[0]
    assert _squash(_public_context(round_)["notices"][0].text) in first_page
    book = load_workbook(
        io.BytesIO(
            client.get(
                reverse("assessments:export_results", args=[round_.place.slug, round_.slug])
            ).content
        )
    )
    assert notice in [row[1] for row in book.worksheets[0].iter_rows(values_only=True)]
    round_publish(round_=round_, public=True)
    public = client.get(reverse("public:results", args=[round_.place.slug, round_.slug]))
    assert 'data-notice="few_respondents"' in public.content.decode()


def test_the_report_starts_with_a_one_page_summary(client, organiser, filled_round):
    client.force_login(organiser)
    pages = _pdf_pages(fetch_report(client, filled_round).content)
    summary = _public_context(filled_round)["summary"]
    first = pages[0]
    assert len(summary.actions) == 5
    for item in (*summary.weakest, *summary.actions):
        assert _squash(item.title) in first
    assert _squash(summary.disagreement.text) in first
    assert "95 %" not in first  # the details (the theme table) start on page two
    assert any("95 %" in page for page in pages[1:])


def test_the_report_flows_and_labels_and_credits_what_it_uses(client, organiser, filled_round):
    from platsa.assessments import reports

    context = _public_context(filled_round)
    html = reports.render_to_string("assessments/report_pdf.html", context)
    assert "break-after: page" in html.split("</style>")[0]  # after the summary only
    assert ".rec { break-inside: avoid" not in html  # a whole action never jumps a page
    rec = html.split('<div class="rec">')[1].split('<div class="rec">')[0]
    assert "Tid:</strong>" in rec
    assert "Kostnad:</strong>" in rec
    assert "http" not in _text(rec)  # links print as their titles
    footer = html.split("Made with Platsa")[0].rsplit("<p", 1)[1]
    assert "Kartverket" not in footer  # a Swedish place's report uses no Norwegian data
    assert "Maanmittauslaitos" not in footer
    assert "SCB" in footer


def test_funding_is_linked_and_valid_in_the_places_country(client, organiser, filled_round):
    from platsa.core.schema.catalogue import load_catalogue

    catalogue = load_catalogue(filled_round.framework)
    client.force_login(organiser)
    html = client.get(results_url(filled_round)).content.decode()
    funding = [
        part.split("</p>")[0]
        for card in _cards(html)
        for part in card.split("Möjlig finansiering")[1:]
    ]
    assert funding
    urls = {u.split('"')[0] for block in funding for u in block.split('href="')[1:]}
    by_url = {f.url: f for f in catalogue.funding.values()}
    assert urls
    assert all(url in by_url and "SE" in by_url[url].countries for url in urls)


def test_the_workbook_starts_with_the_summary(client, organiser, filled_round):
    client.force_login(organiser)
    data = client.get(
        reverse("assessments:export_results", args=[filled_round.place.slug, filled_round.slug])
    ).content
    book = load_workbook(io.BytesIO(data))
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    html = client.get(results_url(filled_round)).content.decode()
    summary = html.split("data-summary")[1].split("</section>")[0]
    texts = [row[1] for row in rows]
    assert len(rows) >= 3 + 1 + 5
    for title in [_text(t.split("</strong>")[0]) for t in summary.split("<strong>")[1:]]:
        assert any(title in text for text in texts)
