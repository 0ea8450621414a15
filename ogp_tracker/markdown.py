"""Markdown to safe HTML, for every text that staff or members write.

Markdown lets staff write raw HTML, so its output is never trusted: nh3
keeps only an allow-list of tags, attributes and URL schemes. In comments
from the public, HTML is not markup at all but text shown as typed. Every template
shows Markdown through ``render``; the back-office preview uses it too.
"""

import logging
import re

import markdown as markdown_lib
import nh3
from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe

logger = logging.getLogger(__name__)

FULL_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# Comments from the public get a smaller set: no headings or tables that
# could pass for the page's own structure.
COMMENT_TAGS = {
    "a",
    "blockquote",
    "br",
    "code",
    "em",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "ul",
}
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}
EXTENSIONS = ["extra", "sane_lists"]
HEADING = re.compile(r"^#{1,6}[ \t]", re.MULTILINE)
# Python-Markdown looks for the end of a link from every "[" to the end of its
# paragraph, in a time that grows with the square of the brackets left open:
# 9,800 of them in one comment took 13 s to render. In a text with more "["
# than real writing holds, only those that begin a complete link [text](url)
# are kept; the others are escaped, which shows them as typed ("\[" inside
# code too, a small price for such a text).
BRACKETS_TRUSTED = 100
COMPLETE_LINK = re.compile(
    r"""!?\[[^\[\]\n]*\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+"[^"\n]*")?\)"""
)


def defuse_brackets(text: str) -> str:
    """Escape the "[" of a text full of them, except those opening a link."""
    if text.count("[") <= BRACKETS_TRUSTED:
        return text
    kept = {
        match.start() + (1 if match.group().startswith("!") else 0)
        for match in COMPLETE_LINK.finditer(text)
    }
    parts = []
    for position, char in enumerate(text):
        escaped = position > 0 and text[position - 1] == "\\"
        if char == "[" and position not in kept and not escaped:
            parts.append("\\")
        parts.append(char)
    return "".join(parts)


def render(text: str, *, subset: str = "full") -> SafeString:
    """Return text rendered from Markdown and sanitised; subset is full or comment."""
    if not text:
        return mark_safe("")
    text = defuse_brackets(text)
    converter = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
    if subset == "comment":
        # A member who types "<iframe>" or "</p>" means those characters, not
        # markup: shown as written rather than dropped with what follows.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
    try:
        html = converter.convert(text)
    except RecursionError:
        # Python-Markdown nests a list in a list for each "+ " or "1. " of a
        # line, by recursion: a few hundred of them exceed Python's stack.
        # Such a text is shown as plain paragraphs.
        logger.warning("markdown too deeply nested, shown as text length=%d", len(text))
        html = linebreaks(text, autoescape=True)
    tags = COMMENT_TAGS if subset == "comment" else FULL_TAGS
    cleaned = nh3.clean(
        html,
        tags=tags,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )

    return mark_safe(cleaned)  # noqa: S308 - nh3 has just sanitised it.


def markdownify(text: str) -> str:
    """Render the back-office preview exactly as the public page will."""
    return str(render(text))


def split_before_first_heading(text: str) -> tuple[str, str]:
    """Return (the paragraphs before the first heading, the rest from it)."""
    text = text or ""
    match = HEADING.search(text)
    if match is None:
        return text, ""

    return text[: match.start()], text[match.start() :]
