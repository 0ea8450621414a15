"""Checks shared by the apps' models and forms."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from ogp_tracker.formats import long_date

# A number as people type it on a keyboard: digits 0 to 9 and one decimal
# comma or point. Python would also read "1e2", "+50" and digits of other
# scripts, none of which a percentage is written with.
PLAIN_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+", re.ASCII)
# Dates outside these years are typing mistakes ("0001" for "2001"), pages
# would show them as they are, and the far ends of the calendar cannot be
# converted to UTC at all.
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)


def validate_date_in_range(day: datetime.date) -> None:
    """Refuse a date before EARLIEST_DATE or after LATEST_DATE."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("Choose a date between %(earliest)s and %(latest)s."),
            code="out_of_range",
            params={
                "earliest": long_date(EARLIEST_DATE),
                "latest": long_date(LATEST_DATE),
            },
        )


# Letters and symbols that draw nothing: Hangul fillers and the blank Braille
# pattern, a favourite for names and messages that look empty.
BLANK_CHARACTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# What shows nothing on its own: spaces, controls, format characters and
# marks that only combine with a letter before them.
BLANK_CATEGORIES = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}
# Embedding, override and isolate controls (U+202A-U+202E, U+2066-U+2069)
# make a text read differently from how it is stored: with an override,
# "fdp.exe" shows as "exe.pdf". Arabic and Hebrew written normally need none
# of them; the marks U+200E and U+200F, which only place punctuation, stay.
DIRECTION_CONTROLS = frozenset(
    [chr(code) for code in range(0x202A, 0x202F)]
    + [chr(code) for code in range(0x2066, 0x206A)]
)


def is_blank(text: str) -> bool:
    """Tell whether text shows nothing: only spaces and invisible characters."""
    return all(
        ch in BLANK_CHARACTERS or unicodedata.category(ch) in BLANK_CATEGORIES
        for ch in text
    )


def check_written_text(text: str) -> str:
    """Refuse a text written for others to read that shows nothing or disguises itself.

    For comments, replies and public reasons. Unlike names, such texts keep
    the invisible characters that writing needs (the zero-width joiners of
    emoji and of Persian or Indic scripts, soft hyphens…); only direction
    controls are refused, and a text made of nothing else.
    """
    if any(ch in DIRECTION_CONTROLS for ch in text):
        raise ValidationError(
            _(
                "Remove the invisible characters that force the direction of "
                "the text (such as U+202E, right-to-left override): they can "
                "make it read differently from what it says. Text in Arabic or "
                "Hebrew needs none of them."
            ),
            code="direction_controls",
        )
    if text and is_blank(text):
        raise ValidationError(
            _(
                "This text is made only of spaces or invisible characters; "
                "write something readable."
            ),
            code="blank",
        )
    return text


def validate_plain_line(text: str) -> None:
    """Refuse a title or a name that shows nothing or disguises itself."""
    check_written_text(text)


def validate_plain_lines(lines) -> None:
    """Refuse a list of names of which one shows nothing or disguises itself."""
    for position, line in enumerate(lines if isinstance(lines, list) else []):
        if not isinstance(line, str):
            continue
        try:
            validate_plain_line(line)
        except ValidationError as error:
            # Not the line's own code: a model field would replace a message
            # whose code it knows ("blank") with its own.
            raise ValidationError(
                _("Item %(position)d: %(problem)s"),
                code="unreadable_item",
                params={"position": position + 1, "problem": error.messages[0]},
            ) from None


def is_plain_slug(text: str) -> bool:
    """Tell whether text is a slug as slugify() writes it, without underscores.

    Lower-case ASCII letters and digits, in words joined by single dashes.
    """
    return bool(text) and text == slugify(text) and "_" not in text


def validate_plain_slug(text: str) -> None:
    """Refuse a short name in addresses that slugify() would write otherwise.

    Addresses are matched as typed, so "ABC" and "abc" would be two plans, and
    the importer only accepts what slugify() gives back unchanged.
    """
    if not is_plain_slug(text):
        raise ValidationError(
            _(
                "Write lower-case letters without accents, digits and single "
                "dashes (as in fr-2021-2023), starting and ending with a letter "
                "or a digit."
            ),
            code="plain_slug",
        )


def plain_line_field(verbose_name, **options) -> models.CharField:
    """Return a model field for a title or a name: readable and undisguised."""
    return models.CharField(verbose_name, validators=[validate_plain_line], **options)
