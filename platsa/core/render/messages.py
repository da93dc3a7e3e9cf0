"""Sentences the core produces for people: import errors and recommendation reasons.

The core returns structured data (a code and values); this module turns it into a sentence.
The texts are English message ids marked with ``gettext_noop`` so that Django's
``makemessages`` collects them into the same catalogue as the rest of the app; the web app
renders them with Django's ``gettext`` and the command line with the standard library's
``gettext`` reading the very same compiled catalogue. One text, one translation.
"""

from __future__ import annotations

import gettext as stdlib_gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

Translate = Callable[[str], str]
# ngettext's shape: (singular, plural, n) -> the form for n, in the reader's language.
TranslatePlural = Callable[[str, str, int], str]
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


def gettext_noop(message: str) -> str:
    """Marks a string for translation without translating it (xgettext keyword)."""
    return message


IMPORT_ERRORS: dict[str, str] = {
    "file_unreadable": gettext_noop(
        "The file could not be read as {kind}. Save it again as .xlsx or .csv (UTF-8) and retry."
    ),
    "file_empty": gettext_noop("The file is empty: it has no header row."),
    "file_too_large": gettext_noop("The file is too large: at most {limit} MB."),
    "too_many_rows": gettext_noop("The file has more than {limit} rows with answers."),
    "no_rows": gettext_noop("The file has a header row but no answers."),
    "wrong_extension": gettext_noop("Use an .xlsx or .csv file (this file ends in {ext})."),
    "missing_column": gettext_noop("The column {column} is missing. Download a new template."),
    "unknown_column": gettext_noop("Unknown column {column}."),
    "unknown_column_hint": gettext_noop("Unknown column {column}. Did you mean {suggestion}?"),
    "duplicate_column": gettext_noop("The column {column} appears more than once."),
    "value_without_header": gettext_noop("There is a value in a column that has no heading."),
    "rating_not_number": gettext_noop(
        "{value} is not a rating. Write a whole number from {min} to {max}, or leave the cell "
        "empty for “don't know”."
    ),
    "rating_out_of_range": gettext_noop(
        "{value} is outside the scale. Write a whole number from {min} to {max}."
    ),
    "unknown_group": gettext_noop("{value} is not a group in this round. Use one of: {choices}."),
    "unknown_age_band": gettext_noop("{value} is not an age band. Use one of: {choices}."),
    "unknown_theme": gettext_noop("{value} is not a theme. Use a theme id such as {example}."),
    "duplicate_priority": gettext_noop("The theme {value} is named twice as a priority."),
    "comment_too_long": gettext_noop("The comment is {length} characters; at most {limit}."),
    "duplicate_respondent": gettext_noop(
        "The respondent {value} appears more than once (also on row {other_row})."
    ),
    "respondent_too_long": gettext_noop(
        "The respondent number is {length} characters; at most {limit}."
    ),
    "respondent_exists": gettext_noop(
        "The respondent {value} has already been imported to this round."
    ),
    # The web app's: the import stopped on an error of Platsa's own, not one in the file.
    "unexpected": gettext_noop(
        "The file could not be imported because of an error in Platsa, not in the file. Try "
        "again later."
    ),
    "more_errors": gettext_noop("…and {count} more errors."),
    # Files refused while being read (platsa.core.io.tabular); each names its place itself.
    "file_too_large_unpacked": gettext_noop(
        "The file is too large when unpacked: more than {limit} MB. Remove pictures and extra "
        "sheets, or split the answers into several files."
    ),
    "file_too_many_parts": gettext_noop(
        "The file consists of {count} parts; at most {limit} are read. Copy the answers into a "
        "new, empty workbook and save it as .xlsx."
    ),
    "file_packed_oddly": gettext_noop(
        "The file is packed unusually tightly (it would grow {ratio} times when unpacked), so "
        "it was not read. Open it in Excel, save it again as .xlsx and retry."
    ),
    "file_unsafe_xml": gettext_noop(
        "The file contains XML declarations that are refused for safety reasons. Open it in "
        "Excel, save it again as .xlsx and retry."
    ),
    "read_timeout": gettext_noop(
        "Reading the file took more than {seconds} seconds and was stopped. Split the answers "
        "into several smaller files."
    ),
    "too_many_cells": gettext_noop(
        "The file has more than {limit} cells. Split the answers into several files."
    ),
    "too_many_columns": gettext_noop(
        "Cell {cell} is to the right of the last column that is read (at most {limit} "
        "columns). Delete everything to the right of the answers and retry."
    ),
    "row_beyond_limit": gettext_noop(
        "Cell {cell} is below the last row that is read (at most {limit} rows of answers). "
        "Delete what is written below the answers, or split them into several files."
    ),
    "cell_too_long": gettext_noop(
        "Cell {cell} is longer than {limit} characters, the most one cell may hold. Shorten it "
        "and retry."
    ),
    "unclosed_quote": gettext_noop(
        "A quotation mark on row {quote_row} (line {line} of the file) is not closed where its "
        "cell ends, so the rows after it would run together. Remove it or close it, and retry."
    ),
    "formula_without_value": gettext_noop(
        "Cell {cell} contains a formula without a saved value, so its result is unknown: type "
        "the value, or open and save the file in Excel."
    ),
    "formulas_without_value": gettext_noop(
        "{count} cells contain formulas without saved values, the first is {cell}, so their "
        "results are unknown: type the values, or open and save the file in Excel."
    ),
    "error_cell": gettext_noop(
        "Cell {cell} shows the error {error}. Correct the cell or empty it, and retry."
    ),
    "error_cells": gettext_noop(
        "{count} cells show errors, the first is {cell} ({error}). Correct the cells or empty "
        "them, and retry."
    ),
    # The same mistake on several rows of one column, said once (explain.describe_group);
    # {values} lists the different values written.
    "rating_not_number_many": gettext_noop(
        "{values} are not ratings. Write whole numbers from {min} to {max}, or leave the cells "
        "empty for “don't know”."
    ),
    "rating_out_of_range_many": gettext_noop(
        "{values} are outside the scale. Write whole numbers from {min} to {max}."
    ),
    "unknown_group_many": gettext_noop(
        "{values} are not groups in this round. Use one of: {choices}."
    ),
    "unknown_age_band_many": gettext_noop("{values} are not age bands. Use one of: {choices}."),
    "unknown_theme_many": gettext_noop("{values} are not themes. Use theme ids such as {example}."),
    "duplicate_priority_many": gettext_noop(
        "These themes are named twice as a priority: {values}."
    ),
    "comment_too_long_many": gettext_noop("The comments are longer than {limit} characters."),
    "duplicate_respondent_many": gettext_noop(
        "These respondent numbers appear more than once: {values}."
    ),
    "respondent_too_long_many": gettext_noop(
        "The respondent numbers are longer than {limit} characters."
    ),
    "respondent_exists_many": gettext_noop(
        "These respondents have already been imported to this round: {values}."
    ),
}

REASONS: dict[str, str] = {
    # xgettext:no-python-format
    "theme_need": gettext_noop(
        "{theme} scores {score} of {scale_max} (95 % interval {low}–{high}, n = {n}){priority}."
    ),
    # xgettext:no-python-format
    "theme_need_priority": gettext_noop("; {share} % named it one of their most important themes"),
    "group_gap": gettext_noop(
        "The groups see {theme} differently ({high_group}: {high_score}, {low_group}: "
        "{low_score}). An action led jointly can bridge the gap."
    ),
    # What respondents wrote; {question} is the framework's prompt ("What could be better?").
    "comment_match": gettext_noop("“{quote}”, someone wrote under “{question}” about {theme}."),
    "comment_match_many": gettext_noop(
        "{matches} comments on {theme} ask for this, for example “{quote}” (written under "
        "“{question}”)."
    ),
    # xgettext:no-python-format
    "context_declining_population": gettext_noop(
        "The population of {area} changed by {value} % in {period} ({source})."
    ),
    # xgettext:no-python-format
    "context_growing_population": gettext_noop(
        "The population of {area} grew by {value} % in {period} ({source})."
    ),
    # xgettext:no-python-format
    "context_ageing": gettext_noop(
        "{value} % of the people in {area} are 65 or older ({period}; the country: {compare} %; "
        "{source})."
    ),
    # The data are SKR's or a statistics office's; the rule that makes them "rural" is ours.
    "context_remote_skr": gettext_noop(
        "{area} is in one of SKR's two rural municipality groups (data: SKR's municipality "
        "groups 2023). Platsa counts those groups as rural."
    ),
    "context_remote_density": gettext_noop(
        "{area} has fewer than 10 inhabitants per km² (population: {source}). Platsa counts "
        "that as rural."
    ),
    "context_national_instrument": gettext_noop(
        "It is a programme that exists in {country}, so the place can use it today."
    ),
    "context_industry_town": gettext_noop(
        "The organiser says the place has a large employer (such as a mill, a mine, a resort "
        "or a hospital)."
    ),
    # An unknown precondition lowered the score: say what to check.
    "precondition_unknown_size_class": gettext_noop(
        "Check that the place has {allowed}: its size is not known."
    ),
    "precondition_unknown_remoteness": gettext_noop(
        "Check that the place is {allowed}: Platsa could not tell how rural it is."
    ),
    "precondition_unknown_trend": gettext_noop(
        "Check that the population is {allowed}: the trend is not known."
    ),
    "precondition_unknown_country": gettext_noop(
        "Check that the place is in {allowed}: its country is not known."
    ),
    "precondition_unknown_large_employer": gettext_noop(
        "Check whether the place has a large employer (such as a mill, a mine, a resort or a "
        "hospital): nobody has said."
    ),
    "precondition_failed_size_class": gettext_noop(
        "Left out: it suits places of size {allowed}, and this place is {actual}."
    ),
    "precondition_failed_remoteness": gettext_noop(
        "Left out: it suits places that are {allowed}, and this place is {actual}."
    ),
    "precondition_failed_trend": gettext_noop(
        "Left out: it suits places whose population is {allowed}, and here it is {actual}."
    ),
    "precondition_failed_country": gettext_noop(
        "Left out: it is available in {allowed}, and this place is in {actual}."
    ),
    "precondition_failed_large_employer": gettext_noop(
        "Left out: it needs a large employer, and the place has none."
    ),
    "quick_win": gettext_noop("A quick win: it can be done within a year."),
    "long_term": gettext_noop("A long-term action that builds the place over several years."),
}

# Sizes said as inhabitants, for "check that the place has …".
SIZES: dict[str, str] = {
    "below": gettext_noop("fewer than {upper} inhabitants"),
    "from": gettext_noop("at least {lower} inhabitants"),
    "between": gettext_noop("{lower}–{upper} inhabitants"),
}

# Guardrails (RecommendationSet.notices), shown at the top of every surface.
NOTICES: dict[str, str] = {
    "few_respondents": gettext_noop(
        "Based on {respondents} answers: treat the list as tentative. With fewer than "
        "{minimum} answers the scores are uncertain and a few more answers can change the order."
    ),
    "no_ratings": gettext_noop(
        "No recommendations: nobody has rated any theme yet (every answer is “don't know” or "
        "empty), and a list would rest on nothing."
    ),
    "all_strong": gettext_noop(
        "Every theme scores {threshold} or more of {scale_max}. Nothing stands out as a need: "
        "keep what works. The actions below are ideas, not gaps to fill."
    ),
    "no_clear_need": gettext_noop(
        "No theme stands out as a clear need: none scores low, and none is a priority for "
        "many. The actions below are ideas to consider, not answers to a gap."
    ),
    "small_group": gettext_noop(
        "Figures that rest on fewer than {minimum} people are left out: {groups} are not "
        "compared separately. Their answers count in the total."
    ),
    "small_group_unnamed": gettext_noop(
        "Figures that rest on fewer than {minimum} people are left out: some groups are not "
        "compared separately. Their answers count in the total."
    ),
}

# The summary at the top of the page, the report, the workbook and the JSON.
SUMMARY: dict[str, str] = {
    "weak_theme": gettext_noop("{theme}: {score} of {scale_max}{priority}"),
    # xgettext:no-python-format
    "weak_theme_priority": gettext_noop(", a priority for {share} %"),
    "disagreement": gettext_noop(
        "{theme}: {high_group} give {high_score}, {low_group} {low_score}"
    ),
    "action": gettext_noop("{title}: for {themes} · {horizon} · {cost}"),
    "for": gettext_noop("for {themes}"),
    "and": gettext_noop("{first} and {last}"),
    # When a name in the list holds "and" itself ("Identity and image").
    "as_well_as": gettext_noop("{first} as well as {last}"),
}

# Costs in the place's currency (platsa.core.schema.catalogue.COST_BAND_LIMITS).
COSTS: dict[str, str] = {
    "under": gettext_noop("Under {upper} {currency}"),
    "between": gettext_noop("{lower}–{upper} {currency}"),
    "between_millions": gettext_noop("{lower}–{upper} million {currency}"),
    "over": gettext_noop("Over {lower} {currency}"),
    "one_million": gettext_noop("1 million"),
    "million": gettext_noop("{n} million"),  # more than one
}

# Labels of vocabulary values that appear inside sentences and on pages.
LABELS: dict[str, str] = {
    "size_class:village": gettext_noop("village (under 1,000 inhabitants)"),
    "size_class:small_town": gettext_noop("small town (1,000–9,999)"),
    "size_class:town": gettext_noop("town (10,000–49,999)"),
    "size_class:city": gettext_noop("city (50,000 or more)"),
    "remoteness:urban": gettext_noop("urban"),
    "remoteness:near_town": gettext_noop("near a town"),
    "remoteness:rural": gettext_noop("rural"),
    "trend:growing": gettext_noop("growing"),
    "trend:stable": gettext_noop("stable"),
    "trend:declining": gettext_noop("declining"),
    "country:SE": gettext_noop("Sweden"),
    "country:NO": gettext_noop("Norway"),
    "country:FI": gettext_noop("Finland"),
    "effort:low": gettext_noop("Low effort"),
    "effort:medium": gettext_noop("Medium effort"),
    "effort:high": gettext_noop("High effort"),
    "cost_band:low": gettext_noop("Under 100,000 SEK"),
    "cost_band:medium": gettext_noop("100,000–1 million SEK"),
    "cost_band:high": gettext_noop("1–10 million SEK"),
    "cost_band:very_high": gettext_noop("Over 10 million SEK"),
    "horizon:short": gettext_noop("Within a year"),
    "horizon:medium": gettext_noop("1–3 years"),
    "horizon:long": gettext_noop("More than 3 years"),
    "lead:municipality": gettext_noop("The municipality"),
    "lead:industry": gettext_noop("Industry and employers"),
    "lead:association": gettext_noop("An association"),
    "lead:region": gettext_noop("The region"),
    "lead:jointly": gettext_noop("Jointly"),
    "funding:leader": gettext_noop("LEADER"),
    "funding:tillvaxtverket": gettext_noop("Tillväxtverket"),
    "funding:jordbruksverket": gettext_noop("Jordbruksverket"),
    "funding:interreg": gettext_noop("Interreg"),
    "funding:boverket": gettext_noop("Boverket"),
    "funding:vinnova": gettext_noop("Vinnova"),
    "funding:municipal_budget": gettext_noop("The municipality's own budget"),
    "funding:region": gettext_noop("The region"),
    "funding:arvsfonden": gettext_noop("Arvsfonden"),
    "funding:pts": gettext_noop("PTS (broadband support)"),
    "funding:trafikverket": gettext_noop("Trafikverket"),
    "funding:energimyndigheten": gettext_noop("Energimyndigheten"),
    "funding:esf": gettext_noop("ESF+ (European Social Fund)"),
    "funding:private": gettext_noop("Private funding"),
    "funding:crowdfunding": gettext_noop("Crowdfunding"),
    "funding:housing_company": gettext_noop("Municipal housing company"),
    "fact:population": gettext_noop("Population"),
    "fact:population_change_pct": gettext_noop("Population change"),
    "fact:share_65_plus_pct": gettext_noop("Aged 65 or older"),
    "fact:share_0_19_pct": gettext_noop("Aged 0–19"),
    "fact:land_area_km2": gettext_noop("Land area"),
    "fact:skr_group": gettext_noop("SKR municipality group"),
    "fact:remoteness": gettext_noop("Urban or rural"),
    "fact:place_population": gettext_noop("Population of the place (given by the organiser)"),
    "tag:declining_population": gettext_noop("declining population"),
    "tag:growing_population": gettext_noop("growing population"),
    "tag:ageing": gettext_noop("ageing population"),
    "tag:remote": gettext_noop("rural"),
    "tag:industry_town": gettext_noop("large employer"),
    "tag:quick_win": gettext_noop("Quick win"),
    "tag:national_instrument": gettext_noop("National programme"),
    "tag:long_term": gettext_noop("Long-term"),
    "tag:check": gettext_noop("To check: {what}"),
    "check:size_class": gettext_noop("the place's size"),
    "check:remoteness": gettext_noop("how rural the place is"),
    "check:trend": gettext_noop("the population trend"),
    "check:country": gettext_noop("the country"),
    "check:large_employer": gettext_noop("a large employer"),
}


# Who answered beside who lives there (platsa.core.analysis.representativeness), and the
# scores weighted to the population's age structure. {band} is the framework's label of an
# age band ("16–24"), {population} one of the "population_*" phrases, percentages are whole.
REPRESENTATIVENESS: dict[str, str] = {
    # xgettext:no-python-format
    "no_respondents": gettext_noop(
        "Aged {band}: nobody answered, yet they are {population_pct} % of {population}. The "
        "weighted scores cannot speak for them."
    ),
    # xgettext:no-python-format
    "under_represented": gettext_noop(
        "Aged {band}: {respondents} of the {compared} who gave their age ({sample_pct} %), yet "
        "they are {population_pct} % of {population}. Fewer than half as many answered as "
        "their share of the population would give."
    ),
    # xgettext:no-python-format
    "few_respondents": gettext_noop(
        "Aged {band}: only {respondents} answered, and they are {population_pct} % of "
        "{population}. What so few people think is uncertain."
    ),
    "no_population_share": gettext_noop(
        "Aged {band}: {respondents} answered, but the population figures have no matching "
        "ages, so these answers are neither compared nor weighted."
    ),
    "no_age_band": gettext_noop(
        "{count} of the {respondents} respondents gave no age. They count in the ordinary "
        "scores, not in the comparison with the population or in the weighted scores."
    ),
    "no_known_ages": gettext_noop(
        "Nobody gave an age that the population figures cover, so the answers cannot be "
        "compared with the population."
    ),
    "population_open": gettext_noop("the people aged {youngest} or older in {area}"),
    "population_closed": gettext_noop("the people aged {youngest}–{oldest} in {area}"),
    "population_open_unnamed": gettext_noop("the people aged {youngest} or older"),
    "population_closed_unnamed": gettext_noop("the people aged {youngest}–{oldest}"),
    "source": gettext_noop("Population by age: {year}. {credit}."),
    "weighted_label": gettext_noop("Weighted to the population's age structure"),
    "weighted_note": gettext_noop(
        "Each age band counts as much as its share of the population, so answers from age "
        "bands that answered less weigh more. An estimate beside the ordinary scores, not "
        "instead of them: the interval is wider because the weights make the answers worth "
        "fewer people."
    ),
    # xgettext:no-python-format
    "weighted_theme": gettext_noop(
        "{theme}: {score} weighted (95 % interval {low}–{high}, worth {n_effective} answers), "
        "{raw} unweighted."
    ),
    "weighted_theme_missing": gettext_noop(
        "Nobody aged {bands} rated it, so the other age bands stand in for them."
    ),
}


def identity(message: str) -> str:
    return message


def plural_identity(singular: str, plural: str, n: int) -> str:
    """English's rule (the message ids): the singular for one, the plural otherwise."""
    return singular if n == 1 else plural


@cache
def _catalogue(language: str) -> stdlib_gettext.NullTranslations | None:
    """Platsa's compiled catalogue for ``language`` (read once); None for English, whose
    messages are the ids, or a language without one."""
    code = (language or "sv").split("-")[0].lower()
    if code == "en":
        return None
    try:
        return stdlib_gettext.translation("django", LOCALE_DIR, languages=[code])
    except OSError:
        return None


def catalogue_translator(language: str) -> Translate:
    """The standard-library translator for ``language`` from Platsa's compiled catalogue;
    English (the message ids) when the language has none."""
    found = _catalogue(language)
    return identity if found is None else found.gettext


def catalogue_plural(language: str) -> TranslatePlural:
    """:func:`catalogue_translator`'s ngettext: the catalogue's plural forms for
    ``language``, English's rule when it has none."""
    found = _catalogue(language)
    return plural_identity if found is None else found.ngettext


def label(key: str, _: Translate = identity) -> str:
    """A vocabulary label, e.g. ``label("horizon:short")``; the key itself when unknown."""
    text = LABELS.get(key)
    return _(text) if text else key.split(":", 1)[-1]
