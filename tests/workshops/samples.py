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


def odf(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", ODF + kind, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


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
