"""Markdown to safe HTML, for every text that staff or members write.

Markdown lets staff write raw HTML, so its output is never trusted: nh3
keeps only an allow-list of tags, attributes and URL schemes. In comments
from the public, HTML is not markup at all but text shown as typed. Every template
shows Markdown through ``render``; the back-office preview uses it too.
"""

import re

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

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


def render(text: str, *, subset: str = "full") -> SafeString:
    """Return text rendered from Markdown and sanitised; subset is full or comment."""
    if not text:
        return mark_safe("")
    converter = markdown_lib.Markdown(extensions=EXTENSIONS, output_format="html")
    if subset == "comment":
        # A member who types "<iframe>" or "</p>" means those characters, not
        # markup: shown as written rather than dropped with what follows.
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
    html = converter.convert(text)
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
