"""Streaming open-data files: canonical CSV, CSV for Excel and JSON.

A dataset is a list of columns read from one queryset. The same definition
writes the three files and the Table Schema that documents them, so a column
can never be in a file without being documented, or the other way round.

The writers read the database through ``QuerySet.iterator()`` with dicts
rather than model instances, and hand the server one buffer of rows at a
time: memory stays flat whatever the row count, and the header row leaves
before the query has even run, so the first byte is immediate.
"""

import codecs
import contextlib
import csv
import datetime
import decimal
import functools
import json
import logging
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Aggregate, Expression, F, JSONField, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Rows fetched from the database per round trip, and the size of the buffer
# handed to the server per write. Both bound the worker's memory.
CHUNK_SIZE = 2000
BUFFER_SIZE = 64 * 1024

LIST_SEPARATOR = "|"
# Spreadsheets run a cell that begins with one of these as a formula, and a
# formula can fetch addresses or run commands (CSV injection). Such cells get
# a leading apostrophe, which shows the text as typed.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


def _interpolate(template, values: dict) -> str:
    return str(template) % {key: str(value) for key, value in values.items()}


_lazy_interpolate = lazy(_interpolate, str)


def described(template, **values):
    """Fill a translatable template with translatable values, in the language of use.

    Column descriptions are built when the module is imported, before any
    request chose a language; "%" on a lazy text would fix the language then.
    """
    return _lazy_interpolate(template, values)


class Format:
    CSV = "csv"
    EXCEL = "excel"
    JSON = "json"


# The last part of each export address, and the format it gives.
FILE_NAMES = {
    "export.csv": Format.CSV,
    "export-excel.csv": Format.EXCEL,
    "export.json": Format.JSON,
}


@dataclass(frozen=True)
class Column:
    """One column of a dataset: its stable name, its type and how to read it.

    ``value(row, context)`` turns the fetched row (a dict) into the cell's
    Python value; by default it reads the fetched key of the same name.
    ``context`` holds what is the same for every row of one export (the
    language, the site's address, the day the export describes). ``many`` marks a
    list of values, joined with "|" in CSV and an array in JSON.
    """

    name: str
    description: Any
    type: str = "string"
    value: Callable[[dict, dict], Any] | None = None
    many: bool = False
    required: bool = False
    enum: Sequence[str] | None = None
    pattern: str | None = None
    constraints: dict = field(default_factory=dict)
    example: str = ""

    def reader(self, context: dict) -> Callable[[dict], Any]:
        """Return a function that reads this column's value from a fetched row."""
        if self.value is None:
            return operator.itemgetter(self.name)
        return functools.partial(self.value, context=context)

    def schema(self) -> dict:
        """Return the column as a Table Schema field descriptor."""
        described = {
            "name": self.name,
            "type": self.type,
            "description": str(self.description),
        }
        if self.type == "boolean":
            described["trueValues"] = ["true"]
            described["falseValues"] = ["false"]
        if self.many:
            described["description"] += " " + str(
                _('Several values are separated by "|".')
            )
        constraints = dict(self.constraints)
        if self.required:
            constraints["required"] = True
        if self.enum is not None and not self.many:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            described["constraints"] = constraints
        if self.example:
            described["example"] = self.example

        return described


@dataclass(frozen=True)
class Dataset:
    """A documented file: its columns and the database values they are read from.

    ``fetch`` maps each key of the fetched rows to a field lookup or a query
    expression; ``prepare`` may add annotations (joins, subqueries) to the
    queryset first. Everything happens in one SQL statement per export.
    """

    name: str
    title: Any
    description: Any
    columns: Sequence[Column]
    fetch: dict[str, str | Expression]
    primary_key: Sequence[str] = ("id",)
    prepare: Callable[[QuerySet], QuerySet] | None = None
    update_frequency: Any = _(
        "Continuously: each file is generated from the live data when it is downloaded."
    )
    # Where the list lives, below the language prefix; "{plan}" stands for a
    # plan's short name. The open-data page links to the full files from it.
    list_path: str = ""

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    def rows(self, queryset: QuerySet, context: dict | None = None) -> Iterator[list]:
        """Yield each row of queryset as a list of values in column order, streaming."""
        readers = self.readers(context or {})
        if self.prepare is not None:
            queryset = self.prepare(queryset)
        plain = [key for key, source in self.fetch.items() if key == source]
        computed = {
            key: F(source) if isinstance(source, str) else source
            for key, source in self.fetch.items()
            if key != source
        }
        values = queryset.values(*plain, **computed)

        for fetched in values.iterator(chunk_size=CHUNK_SIZE):
            yield [read(fetched) for read in readers]

    def readers(self, context: dict) -> list[Callable[[dict], Any]]:
        return [column.reader(context) for column in self.columns]

    def table_schema(self) -> dict:
        """Return the Table Schema (frictionless specification) of the CSV file."""
        return {
            "name": self.name,
            "title": str(self.title),
            "description": str(self.description),
            "fields": [column.schema() for column in self.columns],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
            "licenses": [LICENCE],
        }


class JsonGroup(Aggregate):
    """Gather a group's values into a JSON array, in no guaranteed order.

    Used in correlated subqueries so that the many values of a row (its lead
    institutions…) come with the row itself rather than from one more query
    per row or per chunk.
    """

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra_context)


# Cell formatting. The canonical CSV follows the Table Schema defaults; the
# Excel CSV follows what a French spreadsheet reads without help.


def _utc(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        return moment
    return moment.astimezone(datetime.UTC)


def _datetime_text(moment: datetime.datetime) -> str:
    return _utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ")


def _decimal_text(value: decimal.Decimal) -> str:
    # Trailing zeros say nothing ("50.0" is "50"), and fixed-point notation
    # keeps normalize() from writing "1E+2".
    return format(value.normalize(), "f")


def _joined(values) -> str:
    return LIST_SEPARATOR.join(canonical_cell(item) for item in values)


def _json_text(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, default=json_default)


# Looked up by exact type: much faster than a chain of isinstance() calls on
# the millions of cells of a large file.
_CANONICAL = {
    type(None): lambda value: "",
    bool: lambda value: "true" if value else "false",
    int: str,
    float: repr,
    decimal.Decimal: _decimal_text,
    # datetime before date: a datetime is a date too, for isinstance().
    datetime.datetime: _datetime_text,
    datetime.date: datetime.date.isoformat,
    list: _joined,
    tuple: _joined,
    dict: _json_text,
}


def canonical_cell(value: Any) -> str:
    """Return value as the canonical CSV writes it (Table Schema defaults)."""
    if value.__class__ is str:
        return value
    formatter = _CANONICAL.get(value.__class__)
    if formatter is None:
        formatter = next(
            (
                known
                for kind, known in _CANONICAL.items()
                if kind is not bool and isinstance(value, kind)
            ),
            str,
        )
    return formatter(value)


def excel_cell(value: Any) -> str:
    """Return value for a French spreadsheet: decimal comma, local time, no formula."""
    kind = value.__class__
    if kind is str:
        return neutralise(value)
    if kind is decimal.Decimal or kind is float:
        return canonical_cell(value).replace(".", ",")
    if kind is datetime.datetime:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if kind in (type(None), bool, int, datetime.date):
        return canonical_cell(value)

    return neutralise(canonical_cell(value))


def neutralise(text: str) -> str:
    """Keep a spreadsheet from reading text as a formula."""
    if text.startswith(FORMULA_STARTS):
        return "'" + text

    return text


def json_default(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return canonical_cell(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple | set):
        return list(value)
    return str(value)


# Writers. Each yields bytes in buffers of about BUFFER_SIZE.


class _Lines:
    """A file-like sink for csv.writer that hands back what was written."""

    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def take(self) -> str:
        text = "".join(self.parts)
        self.parts.clear()
        self.size = 0
        return text


def _csv_bytes(
    dataset: Dataset,
    rows: Iterable[Sequence],
    *,
    delimiter: str,
    cell: Callable[[Any], str],
    bom: bool,
) -> Iterator[bytes]:
    sink = _Lines()
    # RFC 4180: CRLF line ends, quotes only where needed, quotes doubled.
    writer = csv.writer(sink, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(dataset.column_names)
    header = sink.take().encode()
    yield (codecs.BOM_UTF8 + header) if bom else header

    # Text cells are the most common by far; the canonical file writes them
    # as they are, without a function call per cell.
    plain_text = cell is canonical_cell
    for row in rows:
        if plain_text:
            writer.writerow([v if v.__class__ is str else cell(v) for v in row])
        else:
            writer.writerow([cell(value) for value in row])
        if sink.size >= BUFFER_SIZE:
            yield sink.take().encode()
    if sink.size:
        yield sink.take().encode()


def csv_bytes(dataset: Dataset, rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Write the canonical CSV: UTF-8 without BOM, comma, Table Schema values."""
    return _csv_bytes(dataset, rows, delimiter=",", cell=canonical_cell, bom=False)


def excel_bytes(dataset: Dataset, rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Write the CSV for Excel: UTF-8 with BOM, semicolon, decimal comma."""
    return _csv_bytes(dataset, rows, delimiter=";", cell=excel_cell, bom=True)


def json_bytes(dataset: Dataset, rows: Iterable[Sequence]) -> Iterator[bytes]:
    """Write a JSON array of objects with the same fields as the CSV."""
    yield b"["
    parts: list[str] = []
    size = 0
    separator = "\n"
    names = dataset.column_names
    encode = json.JSONEncoder(ensure_ascii=False, default=json_default).encode
    for row in rows:
        text = separator + encode(dict(zip(names, row, strict=True)))
        separator = ",\n"
        parts.append(text)
        size += len(text)
        if size >= BUFFER_SIZE:
            yield "".join(parts).encode()
            parts.clear()
            size = 0
    parts.append("\n]\n")
    yield "".join(parts).encode()


WRITERS = {Format.CSV: csv_bytes, Format.EXCEL: excel_bytes, Format.JSON: json_bytes}
CONTENT_TYPES = {
    Format.CSV: "text/csv; charset=utf-8; header=present",
    Format.EXCEL: "text/csv; charset=utf-8; header=present",
    Format.JSON: "application/json",
}
EXTENSIONS = {Format.CSV: "csv", Format.EXCEL: "excel.csv", Format.JSON: "json"}


def _counted(rows: Iterable[Sequence], dataset: Dataset, file_format: str):
    count = 0
    # On PostgreSQL a transaction lets the rows come from a server-side cursor
    # as they are read; in autocommit mode Django declares the cursor WITH
    # HOLD, and the server then computes every row before sending the first.
    streaming = connection.vendor == "postgresql"
    with transaction.atomic() if streaming else contextlib.nullcontext():
        for row in rows:
            count += 1
            yield row
    logger.info(
        "export served dataset=%s format=%s rows=%s", dataset.name, file_format, count
    )


def stream(
    dataset: Dataset, rows: Iterable[Sequence], file_format: str, *, filename: str
) -> StreamingHttpResponse:
    """Answer with rows (from dataset.rows()) written in file_format, streamed."""
    response = StreamingHttpResponse(
        WRITERS[file_format](dataset, _counted(rows, dataset, file_format)),
        content_type=CONTENT_TYPES[file_format],
    )
    extension = EXTENSIONS[file_format]
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Exports reflect the live data: a shared cache must check before reuse.
    response["Cache-Control"] = "no-cache"
    # Public data without cookies: other sites may read it from a browser.
    response["Access-Control-Allow-Origin"] = "*"

    return response
