"""Uploads: accepted by name and content, refused when disguised or too large."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.workshops import samples
from tests.workshops.factories import DocumentFactory
from workshops import uploads


def inspect(name, content):
    file = samples.upload(name, content)
    return uploads.inspect(file, name, file.size)


@pytest.mark.parametrize("name", sorted(samples.VALID))
def test_it_accepts_every_allowed_format(name):
    fmt = inspect(name, samples.VALID[name])

    assert name.rsplit(".", 1)[1] in fmt.extensions


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ("page.pdf", b"<html><script>alert(1)</script></html>"),
        ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("photo.png", samples.image("JPEG")),
        ("photo.jpg", samples.PDF),
        ("page.csv", b"<!DOCTYPE html><html><body>hi</body></html>"),
        ("data.csv", b"a,b\n<script>alert(1)</script>\n"),
        ("binary.csv", b"a,b\x00\x01\x02"),
        ("archive.docx", samples.odf("text")),
        ("text.odt", samples.odf("spreadsheet")),
        ("sheet.xlsx", samples.ooxml("wordprocessingml.document.main+xml")),
        ("broken.docx", b"PK\x03\x04 not really a zip"),
        ("minutes.odt", samples.PDF),
    ],
)
def test_it_refuses_a_file_whose_content_does_not_match_its_name(name, content):
    with pytest.raises(ValidationError) as error:
        inspect(name, content)

    assert error.value.code == "content_mismatch"


@pytest.mark.parametrize(
    "name", ["drawing.svg", "page.html", "page.htm", "feed.xml", "image.SVG"]
)
def test_it_refuses_svg_and_html_by_name(name):
    with pytest.raises(ValidationError) as error:
        inspect(name, samples.PDF)

    assert error.value.code == "active_format"
    assert "SVG" in error.value.messages[0]


@pytest.mark.parametrize("name", ["setup.exe", "minutes.pdf.exe", "minutes", "a.zip"])
def test_it_refuses_formats_outside_the_allow_list(name):
    with pytest.raises(ValidationError) as error:
        inspect(name, samples.PDF)

    assert error.value.code == "format_not_accepted"


@pytest.mark.parametrize(
    "name", ["<img src=x onerror=alert(1)>.pdf", "../../etc/passwd.pdf", "a\x07b.pdf"]
)
def test_it_refuses_names_with_markup_or_path_segments(name):
    with pytest.raises(ValidationError) as error:
        inspect(name, samples.PDF)

    assert error.value.code == "bad_name"


def test_it_refuses_documents_with_macros():
    content = samples.ooxml("wordprocessingml.document.main+xml", macros=True)

    with pytest.raises(ValidationError) as error:
        inspect("minutes.docx", content)

    assert error.value.code == "macros"


BASIC_MODULE = (
    '<script:module xmlns:script="http://openoffice.org/2000/script" '
    'script:name="Module1" script:language="StarBasic">'
    "Sub Main\nShell(&quot;calc&quot;)\nEnd Sub</script:module>"
)
EVENT = (
    '<script:event-listener script:language="ooo:script" '
    'script:event-name="dom:load" xlink:href="%s"/>'
)
ODF_WITH_SCRIPTS = {
    "basic library": {
        "Basic/Standard/Module1.xml": BASIC_MODULE,
        "Basic/script-lc.xml": "<library:libraries/>",
    },
    "python script": {"Scripts/python/run.py": "import os\nos.system('id')\n"},
    "javascript": {"Scripts/javascript/Run/run.js": "importClass(Packages.x);"},
    "beanshell": {"Scripts/beanshell/Run/run.bsh": "Runtime.getRuntime();"},
    "embedded object's library": {"Object 1/Basic/Standard/Module1.xml": "<x/>"},
    "manifest entry under Basic": {
        "META-INF/manifest.xml": samples.odf_manifest(
            "text", ("Basic/Standard/Module1.xml", "text/xml")
        )
    },
    "manifest script type": {
        "META-INF/manifest.xml": samples.odf_manifest(
            "text", ("Pictures/run.py", "application/x-python")
        )
    },
    "event bound to a macro": {
        "content.xml": samples.odf_content(
            "<office:event-listeners>%s</office:event-listeners>"
            % (EVENT % "vnd.sun.star.script:Tools.Run.Main?location=application")
        )
    },
    "event with a macro name": {
        "content.xml": samples.odf_content(
            '<script:event-listener script:language="ooo:script" '
            'script:event-name="dom:load" script:macro-name="Standard.Run.Main"/>'
        )
    },
    "event under another prefix": {
        "content.xml": samples.odf_content(
            '<s:event-listener xmlns:s="urn:oasis:names:tc:opendocument:xmlns:'
            'script:1.0" s:language="ooo:script" s:event-name="dom:load" '
            'xlink:href="VND.SUN.STAR.SCRIPT:Run.py$main?language=Python"/>'
        )
    },
    "escaped script link": {
        "content.xml": samples.odf_content(
            '<text:p><text:a xlink:href="&#118;nd.sun.star.script:Run.Main">'
            "open</text:a></text:p>"
        )
    },
    "macro link": {
        "content.xml": samples.odf_content(
            '<text:p><text:a xlink:href="macro:///Standard.Run.Main">open</text:a>'
            "</text:p>"
        )
    },
    "event in the master pages": {
        "styles.xml": samples.odf_content(EVENT % "vnd.sun.star.script:Run.Main")
    },
}


@pytest.mark.parametrize("case", sorted(ODF_WITH_SCRIPTS))
def test_it_refuses_opendocument_files_with_macros_or_scripts(case):
    content = samples.odf("text", ODF_WITH_SCRIPTS[case])

    with pytest.raises(ValidationError) as error:
        inspect("minutes.odt", content)

    assert error.value.code == "macros"
    assert "Outils > Personnaliser > Événements" in error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "kind"),
    [("figures.ods", "spreadsheet"), ("slides.odp", "presentation")],
)
def test_it_refuses_macros_in_every_opendocument_format(name, kind):
    content = samples.odf(kind, ODF_WITH_SCRIPTS["basic library"])

    with pytest.raises(ValidationError) as error:
        inspect(name, content)

    assert error.value.code == "macros"
    with translation.override("en"):
        assert "Tools > Customize > Events" in error.value.messages[0]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("minutes.odt", "text"),
        ("figures.ods", "spreadsheet"),
        ("slides.odp", "presentation"),
    ],
)
def test_it_accepts_an_ordinary_opendocument_file(name, kind):
    body = (
        '<text:p><text:bookmark text:name="Macro: summary"/>'
        '<text:a xlink:href="https://www.ogp.gouv.fr/">OGP</text:a> '
        "vnd.sun.star.script: is only text here.</text:p>"
        '<presentation:event-listener script:event-name="dom:click" '
        'presentation:action="next-page"/>'
    )

    fmt = inspect(name, samples.ordinary_odf(kind, body))

    assert fmt.code == name.rsplit(".", 1)[1]


def test_it_reads_a_file_checked_twice_under_one_name_once(monkeypatch):
    file = samples.upload("minutes.odt", samples.ordinary_odf("text"))
    reads = []
    read_archive = uploads._zip_format
    monkeypatch.setattr(
        uploads, "_zip_format", lambda f: reads.append(f) or read_archive(f)
    )

    first = uploads.inspect(file, "minutes.odt", file.size)
    again = uploads.inspect(file, "minutes.odt", file.size)
    renamed = uploads.inspect(file, "notes.odt", file.size)

    assert first == again == renamed
    assert len(reads) == 2


ENCRYPTION_DATA = (
    '<manifest:file-entry manifest:full-path="encrypted-package" '
    'manifest:media-type="application/vnd.oasis.opendocument.text">'
    '<manifest:encryption-data manifest:checksum-type="SHA256"/>'
    "</manifest:file-entry>"
)


@pytest.mark.parametrize(
    "entries",
    [
        {"content.xml": b"\x8f\x12 encrypted bytes"},
        {
            "content.xml": samples.odf_content(),
            "META-INF/manifest.xml": samples.odf_manifest("text").replace(
                "</manifest:manifest>", ENCRYPTION_DATA + "</manifest:manifest>"
            ),
        },
    ],
    ids=["part not xml", "password-protected"],
)
def test_it_refuses_an_opendocument_file_it_cannot_read(entries):
    with pytest.raises(ValidationError) as error:
        inspect("minutes.odt", samples.odf("text", entries))

    assert error.value.code == "content_mismatch"


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as error:
        inspect("minutes.pdf", b"")

    assert error.value.code == "empty"


def test_it_refuses_a_file_over_the_configured_limit_with_both_sizes(settings):
    settings.OGP_UPLOAD_MAX_BYTES = 1024 * 1024
    file = samples.pdf(size=1024 * 1024 + 300 * 1024)

    with translation.override("fr"), pytest.raises(ValidationError) as error:
        uploads.inspect(file, file.name, file.size)

    assert error.value.code == "too_large"
    message = error.value.messages[0]
    assert "1,3 Mo" in message
    assert "1 Mo" in message


def test_it_accepts_a_file_at_the_limit(settings):
    settings.OGP_UPLOAD_MAX_BYTES = 2048
    file = samples.pdf(size=2048)

    assert uploads.inspect(file, file.name, file.size).code == "pdf"


def test_it_stores_a_file_under_a_generated_name(db):
    document = DocumentFactory(file=samples.pdf("Compte rendu final (v2) été.pdf"))

    stored = document.file.name
    assert stored.startswith("documents/")
    assert stored.endswith(".pdf")
    assert "Compte" not in stored
    assert len(stored.rsplit("/", 1)[1]) == len("0" * 32 + ".pdf")
    assert document.file_format == "pdf"
    assert document.file_size == len(samples.PDF)


def test_it_never_saves_an_unchecked_file(db):
    with pytest.raises(ValidationError):
        DocumentFactory(file=samples.upload("minutes.pdf", b"MZ\x90\x00 windows"))


@pytest.mark.parametrize(
    ("language", "size", "expected"),
    [
        ("fr", 512, "512 o"),
        ("en", 512, "512 B"),
        ("fr", 63_365, "61,9 Ko"),
        ("en", 1_258_291, "1.2 MB"),
        ("fr", 20 * 1024 * 1024, "20 Mo"),
        ("fr", 3 * 1024**3, "3 Go"),
    ],
)
def test_it_states_sizes_in_the_visitors_language(language, size, expected):
    with translation.override(language):
        assert uploads.size_label(size) == expected
