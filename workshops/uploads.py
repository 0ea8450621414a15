"""What a document upload may be, checked by name and by content.

Only an allow-list of office, data and image formats is accepted. The name's
extension says which format is claimed and the first bytes (or, for the
zip-based office formats, the archive's declared content types) must agree:
a script renamed ".pdf" or an SVG renamed ".png" is refused. SVG and HTML are
never accepted because a browser runs the scripts they may carry, nor are
office documents that carry macros or bind events to them. Accepted
files are stored under a generated name and always served as downloads, so
neither the submitted name nor the content can act on the site's pages.
"""

import codecs
import logging
import uuid
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from PIL import Image

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Format:
    code: str
    label: str
    extensions: tuple[str, ...]
    content_type: str


_ODF = "application/vnd.oasis.opendocument."
_OOXML = "application/vnd.openxmlformats-officedocument."
FORMATS = {
    fmt.code: fmt
    for fmt in (
        Format("pdf", "PDF", ("pdf",), "application/pdf"),
        Format("odt", "ODT", ("odt",), _ODF + "text"),
        Format("ods", "ODS", ("ods",), _ODF + "spreadsheet"),
        Format("odp", "ODP", ("odp",), _ODF + "presentation"),
        Format("docx", "DOCX", ("docx",), _OOXML + "wordprocessingml.document"),
        Format("xlsx", "XLSX", ("xlsx",), _OOXML + "spreadsheetml.sheet"),
        Format("pptx", "PPTX", ("pptx",), _OOXML + "presentationml.presentation"),
        Format("csv", "CSV", ("csv",), "text/csv"),
        Format("png", "PNG", ("png",), "image/png"),
        Format("jpeg", "JPEG", ("jpg", "jpeg"), "image/jpeg"),
    )
}
FORMAT_BY_EXTENSION = {ext: fmt for fmt in FORMATS.values() for ext in fmt.extensions}
ACCEPT_ATTRIBUTE = ",".join(f".{ext}" for ext in FORMAT_BY_EXTENSION)

# Formats a browser would render and run scripts from; named in the error so
# the refusal is not mistaken for a bug.
ACTIVE_EXTENSIONS = {"svg", "svgz", "html", "htm", "xhtml", "xht", "shtml", "xml"}
FORBIDDEN_NAME_CHARACTERS = set('<>:"/\\|?*')

# The part an OOXML package declares as its main document, per format.
OOXML_MAIN_PARTS = {
    "docx": "wordprocessingml.document.main+xml",
    "xlsx": "spreadsheetml.sheet.main+xml",
    "pptx": "presentationml.presentation.main+xml",
}
ODF_MIMETYPES = {code: FORMATS[code].content_type for code in ("odt", "ods", "odp")}
# OpenDocument keeps macros in folders of the archive, at any depth since an
# embedded object is a document of its own: Basic for StarBasic libraries,
# Scripts for Python, JavaScript and BeanShell.
ODF_SCRIPT_FOLDERS = {"basic", "scripts"}
ODF_SCRIPT_MEDIA_WORDS = ("script", "basic", "python", "java")
# The parts that declare the archive's entries or bind events and links.
ODF_SCANNED_PARTS = {"manifest.xml", "content.xml", "styles.xml"}
# Links and event bindings with these URLs run a macro. They may name a macro
# installed with LibreOffice rather than one in the document, so they are
# refused even when the archive holds no script.
SCRIPT_URL_SCHEMES = ("vnd.sun.star.script:", "macro:")
# Limits on archives so that a small upload cannot claim to unpack to gigabytes
# or hold a million entries: real office files stay far below them.
ZIP_MAX_ENTRIES = 10_000
ZIP_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
ZIP_MAX_MANIFEST_BYTES = 1024 * 1024
TEXT_SAMPLE_BYTES = 64 * 1024
MARKUP_MARKERS = ("<script", "<html", "<svg", "<!doctype", "<?xml", "<body", "<iframe")


def max_upload_bytes() -> int:
    return getattr(settings, "OGP_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


def accepted_formats_label() -> str:
    return ", ".join(fmt.label for fmt in FORMATS.values())


# Unit symbols follow each language's typographic convention (French writes
# octets: "1,2 Mo"), which Django's own size filter does not ("1,2 Mio").
SIZE_UNITS = {"fr": ("o", "Ko", "Mo", "Go"), "en": ("B", "KB", "MB", "GB")}


def size_label(size: int) -> str:
    """Return a size for people in the current language: "1,2 Mo", "20 MB"."""
    language = (get_language() or "en").split("-")[0]
    units = SIZE_UNITS.get(language, SIZE_UNITS["en"])
    for power in (3, 2, 1):
        if size >= 1024**power:
            value = round(size / 1024**power, 1)
            decimals = 0 if value.is_integer() else 1
            return f"{number_format(value, decimals)} {units[power]}"

    return f"{size} {units[0]}"


def check_name(name: str) -> Format:
    """Return the format a file name claims, or refuse the name."""
    if not name or name.strip(". ") == "":
        raise ValidationError(_("The file has no name."), code="no_name")
    if any(ch in FORBIDDEN_NAME_CHARACTERS or not ch.isprintable() for ch in name):
        raise ValidationError(
            _(
                "The file name contains characters that are not allowed "
                '(< > : " / \\ | ? * or invisible characters). Rename the file '
                "and try again."
            ),
            code="bad_name",
        )

    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in ACTIVE_EXTENSIONS:
        raise ValidationError(
            _(
                "SVG, HTML and XML files are refused because a browser could run "
                "scripts inside them. Accepted formats: %(formats)s."
            ),
            code="active_format",
            params={"formats": accepted_formats_label()},
        )
    if extension not in FORMAT_BY_EXTENSION:
        raise ValidationError(
            _("This file format is not accepted. Accepted formats: %(formats)s."),
            code="format_not_accepted",
            params={"formats": accepted_formats_label()},
        )

    return FORMAT_BY_EXTENSION[extension]


def check_size(size: int) -> None:
    limit = max_upload_bytes()
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). The limit is %(limit)s."),
            code="too_large",
            params={"size": size_label(size), "limit": size_label(limit)},
        )


def _read_head(file, count: int) -> bytes:
    file.seek(0)
    head = file.read(count)
    file.seek(0)
    return head


class _ScriptFound(Exception):
    pass


class _Encrypted(Exception):
    pass


def _is_script_path(path: str) -> bool:
    return any(part in ODF_SCRIPT_FOLDERS for part in path.lower().split("/"))


def _refuse_script_markup(name: str, attributes: dict[str, str]) -> None:
    """Raise _ScriptFound if an XML element holds, declares or binds a script."""
    element = name.rsplit(":", 1)[-1]
    if element == "encryption-data":
        raise _Encrypted
    # A listener with a language runs a script; one without (a presentation's
    # "next slide" on click) only moves through the document.
    bound = element == "event-listener" and any(
        key.endswith("language") for key in attributes
    )
    if element == "script" or bound:
        raise _ScriptFound

    for key, value in attributes.items():
        attribute = key.rsplit(":", 1)[-1]
        lowered = value.strip().lower()
        if attribute == "macro-name":
            raise _ScriptFound
        if attribute == "full-path" and _is_script_path(lowered):
            raise _ScriptFound
        if attribute == "media-type" and any(
            word in lowered for word in ODF_SCRIPT_MEDIA_WORDS
        ):
            raise _ScriptFound
        if attribute.endswith("href") and lowered.startswith(SCRIPT_URL_SCHEMES):
            raise _ScriptFound


def _odf_has_scripts(archive: zipfile.ZipFile) -> bool:
    """Tell whether an OpenDocument archive holds, declares or binds a script.

    Raise expat.ExpatError when a scanned part is not well-formed XML, and
    _Encrypted when the manifest says parts are encrypted.
    """
    names = archive.namelist()
    if any(_is_script_path(name.rsplit("/", 1)[0]) for name in names if "/" in name):
        return True

    # Prefixes are matched as written, not resolved to namespaces: a part
    # that forgets to declare one still opens in LibreOffice.
    for name in names:
        if name.rsplit("/", 1)[-1] not in ODF_SCANNED_PARTS:
            continue
        parser = expat.ParserCreate()
        parser.StartElementHandler = _refuse_script_markup
        try:
            with archive.open(name) as part:
                parser.ParseFile(part)
        except _ScriptFound:
            return True

    return False


def _zip_format(file) -> str | None:
    """Return the office format a zip archive declares itself to be, if any."""
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > ZIP_MAX_ENTRIES:
                return None
            if sum(entry.file_size for entry in entries) > ZIP_MAX_UNPACKED_BYTES:
                return None
            by_name = {entry.filename: entry for entry in entries}

            mimetype = by_name.get("mimetype")
            if mimetype is not None and mimetype.file_size < 200:
                declared = archive.read(mimetype).decode("ascii", "replace").strip()
                for code, expected in ODF_MIMETYPES.items():
                    if declared == expected:
                        return "macro" if _odf_has_scripts(archive) else code
                return None

            manifest = by_name.get("[Content_Types].xml")
            if manifest is None or manifest.file_size > ZIP_MAX_MANIFEST_BYTES:
                return None
            types = archive.read(manifest).decode("utf-8", "replace")
            if "macroEnabled" in types or any(
                name.lower().endswith("vbaproject.bin") for name in by_name
            ):
                # Macro-enabled documents are refused as a format of their own.
                return "macro"
            for code, main_part in OOXML_MAIN_PARTS.items():
                if _OOXML + main_part in types:
                    return code
            return None
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        RuntimeError,
        OSError,
        EOFError,
        zlib.error,
        expat.ExpatError,
        _Encrypted,
    ):
        # RuntimeError: an encrypted entry; OSError, EOFError and zlib.error: a
        # truncated or corrupt archive; ExpatError: a part that is not XML.
        # A password-protected OpenDocument file hides its parts, scripts
        # included, so it cannot be checked and is refused like a damaged one.
        return None
    finally:
        file.seek(0)


def _image_format(file) -> str | None:
    try:
        with Image.open(file) as image:
            found = image.format
            image.verify()
    except Exception:  # noqa: BLE001 - Pillow raises many kinds on bad data.
        return None
    finally:
        file.seek(0)
    return {"PNG": "png", "JPEG": "jpeg"}.get(found)


def _is_plain_text(file) -> bool:
    """Tell whether a file reads as text (UTF-8 or Windows-1252) and not markup."""
    sample = _read_head(file, TEXT_SAMPLE_BYTES)
    if b"\x00" in sample:
        return False
    try:
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        # final=False: the sample may end in the middle of a character.
        text = decoder.decode(sample, final=False)
    except UnicodeDecodeError:
        text = sample.decode("cp1252", "replace")
    lowered = text.lstrip().lower()
    if not lowered or lowered.startswith("<"):
        return False

    return not any(marker in lowered for marker in MARKUP_MARKERS)


def content_matches(file, fmt: Format) -> bool:
    """Tell whether the bytes of file are really in format fmt."""
    head = _read_head(file, 16)
    if fmt.code == "pdf":
        return head.startswith(b"%PDF-")
    if fmt.code in ("png", "jpeg"):
        magic = b"\x89PNG\r\n\x1a\n" if fmt.code == "png" else b"\xff\xd8\xff"
        return head.startswith(magic) and _image_format(file) == fmt.code
    if fmt.code in ODF_MIMETYPES or fmt.code in OOXML_MAIN_PARTS:
        return head.startswith(b"PK\x03\x04") and _zip_format(file) == fmt.code
    if fmt.code == "csv":
        return _is_plain_text(file)
    return False


def inspect(file, name: str, size: int) -> Format:
    """Return the format of an uploaded file, or refuse it with a clear reason.

    A file is checked by the form, then again as its document is saved; the
    second check of the same file under the same name reuses the first's
    verdict rather than reading the archive again.
    """
    accepted = getattr(file, "accepted_as", None)
    if accepted is not None and accepted[:2] == (name, size):
        return accepted[2]
    fmt = check_name(name)
    check_size(size)
    # The archive is read once here: scanning an OpenDocument file's parts for
    # scripts takes about a second per 30 MB of unpacked XML.
    zip_based = fmt.code in OOXML_MAIN_PARTS or fmt.code in ODF_MIMETYPES
    declared = _zip_format(file) if zip_based else None
    if declared == "macro":
        logger.warning("upload refused reason=macros claimed=%s", fmt.code)
        if fmt.code in OOXML_MAIN_PARTS:
            message = _("Documents with macros are refused. Save it without macros.")
        else:
            message = _(
                "Documents with macros or scripts, or with events or links that "
                "run them, are refused. Remove them in LibreOffice (Tools > "
                "Macros, Tools > Customize > Events) and save the document again."
            )
        raise ValidationError(message, code="macros")
    if zip_based:
        matches = _read_head(file, 4) == b"PK\x03\x04" and declared == fmt.code
    else:
        matches = content_matches(file, fmt)
    if not matches:
        logger.warning("upload refused reason=content_mismatch claimed=%s", fmt.code)
        raise ValidationError(
            _(
                "The content of this file is not a valid %(format)s file, although "
                "its name says so. Check the file and try again."
            ),
            code="content_mismatch",
            params={"format": fmt.label},
        )

    file.accepted_as = (name, size, fmt)
    return fmt


def validate_upload(value) -> None:
    """Check a newly uploaded file (model field validator); stored files pass."""
    if getattr(value, "_committed", True):
        return
    inspect(value.file, value.name or "", value.size)


def generated_name(extension: str) -> str:
    """Return a storage path that owes nothing to the submitted file name."""
    now = timezone.now()
    return f"documents/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"
