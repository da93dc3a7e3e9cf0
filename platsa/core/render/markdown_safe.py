"""Participants' Markdown as safe HTML, and as plain text for excerpts.

Why: ideas, comments and feed posts are written by anyone with an e-mailed code and read by
up to 100,000 people, so their text must never carry script, styles, frames, tracking images
or look-alike tricks into the page. Two layers do it, each enough on its own:

1. markdown-it-py in its CommonMark preset with raw HTML off (``html=False``): whatever looks
   like a tag is shown as text. Links are made only for ``http``, ``https`` and ``mailto``
   (checked after entities are decoded and the URL normalised, so ``&#106;avascript:`` or
   ``java\\tscript:`` stay text). Images in the text are shown as their alt text: photos are
   separate uploads (``platsa.core.io.images``), so no text can make a reader's browser
   fetch a third party's URL. Headings ``#`` become ``<h3>`` and ``##`` or deeper ``<h4>``,
   so no participant writes a heading larger than the page's own.
2. nh3 (ammonia) with an allow-list of tags and of ``href`` only, the same three schemes,
   relative URLs dropped, and ``rel="nofollow ugc noopener"`` on every link (user content
   must not lend the site's standing to spam, nor get a handle on the opener window).

Bounds: the text is limited *before* parsing (``TextTooLong``, a ``ValueError`` that a form
turns into a field error) rather than cut silently, because a cut idea would lose what its
author wrote without telling them. Nesting is bounded by markdown-it's ``maxNesting`` (20 in
the CommonMark preset, ``MAX_NESTING``): past that depth the rest of the block is dropped, and
the parse stays linear in the length. Measured on this machine: 10,000 ``>`` render in about
1 ms, 10,000 ``*`` in 2 ms, ``*`` x 5,000 + ``a`` + ``*`` x 5,000 in 50 ms; the slowest inputs
found are runs of ``![`` or ``[`` (about 20 µs a character, so up to 0.4 s at 20,000
characters) - so render once when a text is saved and store the HTML, never per reader.

Invisible characters: zero-width and bidirectional controls (U+200B-U+200F, U+202A-U+202E,
U+2066-U+2069, plus U+2060 word joiner and U+FEFF) are removed before anything else, so a
link text cannot be reversed to look like another address and two ideas that read the same
are the same text. This also removes the zero-width joiner inside composed emoji (a family
shows as its members), an accepted cost.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

DEFAULT_MAX_CHARS = 20_000
# Blocks (quotes, lists) nested deeper than this end there: the rest of that block is not
# shown. No one writes 20 quotes in a quote; the bound keeps the parse linear.
MAX_NESTING = 20

# Zero-width, bidi embedding/override/isolate controls, word joiner, byte-order mark.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_WHITESPACE = re.compile(r"\s+")
_ALLOWED_LINK = re.compile(r"(?:https?://|mailto:)", re.IGNORECASE)

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "ul",
        "ol",
        "li",
        "blockquote",
        "code",
        "pre",
        "a",
        "h3",
        "h4",
        "hr",
    }
)
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Headings a participant writes, mapped below the page's own h1/h2.
_HEADING_TAGS = {"h1": "h3"}


class TextTooLong(ValueError):  # noqa: N818 - the name the forms and the issue use
    """The text is longer than the form allows; nothing was parsed.

    Carries the limit and the length so a form can say "at most 20,000 characters (you wrote
    20,512)" without counting again.
    """

    def __init__(self, length: int, max_chars: int) -> None:
        super().__init__(f"text is {length} characters, at most {max_chars} are allowed")
        self.length = length
        self.max_chars = max_chars


def _validate_link(url: str) -> bool:
    """Only absolute http(s) and mailto links; markdown-it passes the URL decoded and
    normalised (control characters and spaces percent-encoded), so a scheme cannot hide."""
    return _ALLOWED_LINK.match(url) is not None


def _render_image_as_alt(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """An image in the text shows its alt text, escaped: no request leaves the reader's
    browser for a URL a participant chose, and ``![x](x" onerror=...)`` is just "x"."""
    children = tokens[idx].children or []
    return escapeHtml(self.renderInlineAsText(children, options, env))


def _build_parser() -> MarkdownIt:
    # breaks: a line break the author typed is kept (<br>), as people expect in a comment box.
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": False, "breaks": True, "maxNesting": MAX_NESTING},
    )
    # Raw HTML is already escaped with html=False; switching the rules off says so twice.
    md.disable(["html_block", "html_inline"])
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("image", _render_image_as_alt)
    return md


_MD = _build_parser()
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    # "*": no attribute on every tag (ammonia would keep lang and title by default).
    attributes={"*": set(), "a": {"href"}},
    url_schemes=set(ALLOWED_SCHEMES),
    url_relative="deny",
    link_rel=LINK_REL,
    strip_comments=True,
)


def _normalise(text: str) -> str:
    """Line ends as ``\\n`` (a browser sends ``\\r\\n``; the limit counts what the author
    typed) and no invisible characters."""
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _parse(text: str) -> list[Token]:
    tokens = _MD.parse(text)
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _HEADING_TAGS.get(token.tag, "h4")
    return tokens


def render_markdown(text: str, *, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return safe HTML for a participant's Markdown.

    Raises ``TextTooLong`` when the text (line ends normalised, invisible characters removed)
    is longer than ``max_chars``; nothing is cut silently. The result may be put in a page
    as it is (``mark_safe`` in the app layer).
    """
    if len(text) > 4 * max_chars:  # hopeless whatever is removed: do not even scan it
        raise TextTooLong(len(text), max_chars)
    clean = _normalise(text)
    if len(clean) > max_chars:
        raise TextTooLong(len(clean), max_chars)
    html = _MD.renderer.render(_parse(clean), _MD.options, {})
    return _CLEANER.clean(html)


def _inline_text(children: Sequence[Token]) -> list[str]:
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.extend(_inline_text(child.children or []))
    return parts


def plain_text(text: str, max_chars: int, *, max_input_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return the words of a participant's Markdown, for an excerpt or an Open Graph
    description: markup removed, whitespace collapsed, at most ``max_chars`` characters
    (cut at a word where one is near, ending in "…").

    The result is text, not HTML: escape it where it goes into a page (Django's templates do).
    Text typed as ``<b>`` stays the characters ``<b>``, as it reads on the idea's page.
    Only the first ``max_input_chars`` characters are parsed: an excerpt needs no more, and
    stored texts were bounded when they were written.
    """
    if max_chars <= 0:
        return ""
    clean = _normalise(text[: max_input_chars * 2])[:max_input_chars]
    parts: list[str] = []
    for token in _parse(clean):
        if token.type == "inline":
            parts.extend(_inline_text(token.children or []))
            parts.append(" ")
        elif token.type in ("code_block", "fence"):
            parts.extend((token.content, " "))
    words = _WHITESPACE.sub(" ", "".join(parts)).strip()
    if len(words) <= max_chars:
        return words
    cut = words[: max_chars - 1]
    space = cut.rfind(" ")
    if space >= max_chars * 0.6:
        cut = cut[:space]
    return cut.rstrip(" .,;:!?-") + "…"
