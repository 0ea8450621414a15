"""Small real files of every accepted format, and disguised ones, made in memory."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"
ODF = "application/vnd.oasis.opendocument."
OOXML = "application/vnd.openxmlformats-officedocument."


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format=fmt)
    return buffer.getvalue()


def odf(kind: str, entries: dict[str, str | bytes] | None = None) -> bytes:
    """Return an OpenDocument archive; entries add parts or replace content.xml."""
    parts = {"content.xml": "<office:document-content/>", **(entries or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODF + kind, compress_type=zipfile.ZIP_STORED)
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def odf_manifest(kind: str, *extra: tuple[str, str]) -> str:
    """Return a META-INF/manifest.xml as LibreOffice writes it, with extra entries."""
    entries = [
        ("/", ODF + kind),
        ("Configurations2/", "application/vnd.sun.xml.ui.configuration"),
        ("manifest.rdf", "application/rdf+xml"),
        ("content.xml", "text/xml"),
        ("styles.xml", "text/xml"),
        ("meta.xml", "text/xml"),
        ("settings.xml", "text/xml"),
        ("Thumbnails/thumbnail.png", "image/png"),
        ("Pictures/10000001000000040000000489A6A2F3.png", "image/png"),
        *extra,
    ]
    lines = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" '
        f'manifest:media-type="{media_type}"/>'
        for path, media_type in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        "<manifest:manifest xmlns:manifest="
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        f'manifest:version="1.3">{lines}</manifest:manifest>'
    )


ODF_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content
 xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">
<office:scripts/>
<office:body><office:text>%s</office:text></office:body>
</office:document-content>"""


def odf_content(body: str = "") -> str:
    """Return a content.xml as LibreOffice writes it, with body inside the text."""
    return ODF_CONTENT % body


def ordinary_odf(kind: str, body: str = "") -> bytes:
    """Return an OpenDocument file with every part a plain LibreOffice save has."""
    return odf(
        kind,
        {
            "content.xml": odf_content(body),
            "styles.xml": odf_content(),
            "meta.xml": "<office:document-meta/>",
            "settings.xml": "<office:document-settings/>",
            "manifest.rdf": "<rdf:RDF/>",
            "Configurations2/accelerator/current.xml": "",
            "Configurations2/toolbar/": "",
            "Thumbnails/thumbnail.png": image("PNG"),
            "Pictures/10000001000000040000000489A6A2F3.png": image("PNG"),
            "META-INF/manifest.xml": odf_manifest(kind),
        },
    )


def ooxml(main_part: str, *, macros: bool = False) -> bytes:
    buffer = io.BytesIO()
    content_type = OOXML + main_part
    if macros:
        content_type = "application/vnd.ms-word.document.macroEnabled.main+xml"
    types = (
        '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" '
        f'ContentType="{content_type}"/></Types>'
    )
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("word/document.xml", "<w:document/>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00\x01")
    return buffer.getvalue()


VALID = {
    "minutes.pdf": PDF,
    "minutes.odt": odf("text"),
    "figures.ods": odf("spreadsheet"),
    "slides.odp": odf("presentation"),
    "minutes.docx": ooxml("wordprocessingml.document.main+xml"),
    "figures.xlsx": ooxml("spreadsheetml.sheet.main+xml"),
    "slides.pptx": ooxml("presentationml.presentation.main+xml"),
    "data.csv": "commune;participants\nLyon;12\nÉvry;7\n".encode(),
    "photo.png": image("PNG"),
    "photo.jpg": image("JPEG"),
    "photo.jpeg": image("JPEG"),
}


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def pdf(name: str = "minutes.pdf", size: int | None = None):
    content = PDF if size is None else PDF + b"0" * (size - len(PDF))
    return upload(name, content)
