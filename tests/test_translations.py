"""The French catalogue is complete and its placeholders match the English."""

from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def read_catalogue():
    with CATALOGUE.open("rb") as po_file:
        return read_po(po_file, locale="fr")


def test_it_translates_every_message_into_french():
    catalogue = read_catalogue()

    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]

    assert len(catalogue) > 500
    assert untranslated == []


def test_it_keeps_every_placeholder_of_the_english_text():
    catalogue = read_catalogue()

    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in catalogue.check()
    ]

    assert problems == []
