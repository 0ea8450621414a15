"""Import of action plans from YAML (the bundled format) or CSV (for spreadsheets).

An import is all or nothing: the whole file is read and checked first, every
problem is reported with its place (entry or row, and field), and the database
is only written when there is none. Writing is idempotent: an object whose
values are already those of the file is not saved, so re-importing a file
leaves no new history row; a changed value is updated in place and leaves one.
"""

import csv
import hashlib
import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from commitments import dates, policy_areas
from commitments.models import (
    COUNTRY_CODE_PATTERN,
    LARGEST_NUMBER,
    OGP_ID_PATTERN,
    ActionPlan,
    Commitment,
    Institution,
    IrmAssessment,
    Milestone,
    PolicyArea,
    Status,
    normalise_name,
)
from commitments.versioning import one_version
from ogp_tracker.formats import number as grouped
from ogp_tracker.validators import (
    EARLIEST_DATE,
    LATEST_DATE,
    PLAIN_NUMBER,
    is_plain_slug,
    validate_date_in_range,
    validate_plain_line,
)

logger = logging.getLogger(__name__)

# The admin preview sends the file back signed in a form field, which must
# stay under Django's 2.5 MB limit for form data: plans are far smaller.
MAX_FILE_BYTES = 2 * 1024 * 1024
PLAN_KEYS = {
    "slug",
    "country",
    "title_fr",
    "title_en",
    "start",
    "end",
    "announced_commitments",
    "sources",
    "published",
}
COMMITMENT_KEYS = {
    "number",
    "ogp_id",
    "ogp_id_inferred",
    "title_fr",
    "title_en",
    "title_fr_is_translation",
    "summary_fr",
    "summary_en",
    "problem_fr",
    "problem_en",
    "commitment_fr",
    "commitment_en",
    "contribution_fr",
    "contribution_en",
    "relevance_fr",
    "relevance_en",
    "lead_institutions",
    "partners",
    "policy_areas",
    "ogp_values",
    "start",
    "end",
    "status",
    "progress",
    "irm",
    "milestones",
    "sources",
}
MILESTONE_KEYS = {
    "title_fr",
    "title_en",
    "start",
    "end",
    "revised_due",
    "status",
    "completed_on",
    "deliverable",
}
INSTITUTION_KEYS = {"slug", "kind", "acronym", "name_fr", "name_en", "aliases"}
IRM_KEYS = {
    "generation",
    "verifiable",
    "relevant_to_ogp_values",
    "ambition",
    "completion",
    "early_results",
    "source",
}
OGP_VALUES = {
    "access_to_information": "value_access_to_information",
    "civic_participation": "value_civic_participation",
    "public_accountability": "value_public_accountability",
    "technology_innovation": "value_technology_innovation",
}
TEXT_FIELDS = sorted(
    key
    for key in COMMITMENT_KEYS
    if key.endswith(("_fr", "_en")) and key not in {"title_fr", "title_en"}
)
OGP_ID = re.compile(OGP_ID_PATTERN)
COUNTRY_CODE = re.compile(COUNTRY_CODE_PATTERN)


def located(place: str, field: str, message: str) -> str:
    """Return a refusal that names where it is: its entry and its field."""
    return _("%(place)s, field %(field)s: %(message)s") % {
        "place": place,
        "field": field,
        "message": message,
    }


class ImportFailed(Exception):
    """The file cannot be imported; ``errors`` says every place that is wrong."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Change:
    action: str  # "create", "update" or "unchanged"
    label: str
    fields: list[str] = field(default_factory=list)
    # What the change is about and the values it would replace, in no
    # language: a preview and its confirmation compare them.
    key: str = ""
    replaced: dict = field(default_factory=dict)

    def line(self) -> str:
        if self.action == "create":
            return _("create %(label)s") % {"label": self.label}
        if self.action == "update":
            return _("update %(label)s: %(fields)s") % {
                "label": self.label,
                "fields": ", ".join(self.fields),
            }
        return _("unchanged %(label)s") % {"label": self.label}


@dataclass
class ImportReport:
    dry_run: bool
    changes: list[Change] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def has_changes(self) -> bool:
        return any(change.action != "unchanged" for change in self.changes)

    def summary(self) -> str:
        """Say what the import would do (a preview) or has done."""
        if self.dry_run:
            message = _(
                "%(created)d to create, %(updated)d to update, %(same)d unchanged"
            )
        else:
            message = _("%(created)d created, %(updated)d updated, %(same)d unchanged")
        return message % {
            "created": self.count("create"),
            "updated": self.count("update"),
            "same": self.count("unchanged"),
        }

    def digest(self) -> str:
        """Sum up every change and the values it replaces, to compare two runs."""
        changes = [
            [change.action, change.key, change.fields, change.replaced]
            for change in self.changes
        ]
        text = json.dumps(changes, default=str, sort_keys=True)

        return hashlib.sha256(text.encode()).hexdigest()


class PreviewOutdated(Exception):
    """The import would no longer do what its preview showed; nothing is written.

    ``report`` is the new preview: what the import would do now.
    """

    def __init__(self, report: ImportReport):
        super().__init__(report.summary())
        self.report = report


# Reading files ------------------------------------------------------------


def read_document(name: str, content: bytes) -> dict:
    """Turn the bytes of a YAML or CSV file into the YAML document's shape."""
    if not content or not content.strip():
        raise ImportFailed([_("%(file)s: the file is empty.") % {"file": name}])
    if len(content) > MAX_FILE_BYTES:
        raise ImportFailed([_("%(file)s: the file is too large.") % {"file": name}])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("%(file)s: the file is not UTF-8 text (YAML or CSV expected).")
        raise ImportFailed([message % {"file": name}]) from None
    if name.lower().endswith(".csv"):
        return _read_csv(name, text)

    return _read_yaml(name, text)


# A plan file nests about six levels deep (file, commitments, commitment,
# milestones, milestone, value) and holds under a thousand values. The limits
# below leave ample room for real plans while stopping files built to exhaust
# the server: PyYAML composes nested values by recursion (a few thousand "["
# overflow Python's stack) and aliases (*name) repeat a value without copying
# it, so a few lines can stand for billions of values.
YAML_MAX_DEPTH = 20
YAML_MAX_VALUES = 100_000
# Each object costs a few database queries even in a preview, and the
# preview and the confirmation both run within one web request.
MAX_ENTRIES = 2_000
# Python refuses to read integers of thousands of digits, and PyYAML reads
# "1:2:3…" (base 60) in a time that grows with the square of its length.
YAML_INT_MAX_CHARS = 30


class _TooComplex(yaml.YAMLError):
    """A well-formed YAML file that the importer refuses to build."""

    def __init__(self, message: str, mark):
        super().__init__(message)
        self.message = message
        self.problem_mark = mark


class _PlanLoader(yaml.SafeLoader):
    """YAML's safe loader, bounded in depth and size, leaving dates as text.

    PyYAML turns an unquoted 2021-02-30 into a date itself and fails on it
    before any check could name the entry and field. The size counted is that
    of the values once every alias is replaced by what it repeats.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._values = 0
        # For each node composed so far: its size and depth, aliases expanded.
        self._shapes: dict[int, tuple[int, int]] = {}

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if id(node) not in self._shapes:
                # The alias names a value that is still open around it.
                message = _("an alias (*) refers to a value that contains it.")
                raise _TooComplex(message, event.start_mark)
            self._count(self._shapes[id(node)][0], event.start_mark)
            return node
        if self._depth >= YAML_MAX_DEPTH:
            raise _TooComplex(self._too_deep(), event.start_mark)
        self._count(1, event.start_mark)
        self._depth += 1
        node = super().compose_node(parent, index)
        self._depth -= 1
        self._shapes[id(node)] = self._shape(node)
        if self._shapes[id(node)][1] > YAML_MAX_DEPTH:
            raise _TooComplex(self._too_deep(), event.start_mark)
        return node

    def _count(self, size: int, mark) -> None:
        self._values += size
        if self._values > YAML_MAX_VALUES:
            message = _(
                "the file holds more than %(max)s values (an alias counts as "
                "all the values it repeats)."
            )
            raise _TooComplex(message % {"max": grouped(YAML_MAX_VALUES)}, mark)

    def _shape(self, node) -> tuple[int, int]:
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        shapes = [self._shapes[id(child)] for child in children]
        size = 1 + sum(size for size, _depth in shapes)
        depth = 1 + max((depth for _size, depth in shapes), default=0)
        return size, depth

    def _too_deep(self) -> str:
        message = _("values are nested more than %(max)d levels deep.")
        return message % {"max": YAML_MAX_DEPTH}

    def construct_object(self, node, deep=False):
        # An explicit tag (!!int abc, !!timestamp 2022-02-30) makes PyYAML's
        # constructors fail with Python's own errors: name the line instead.
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, KeyError, TypeError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, str(error), node.start_mark
            ) from error

    def construct_mapping(self, node, deep=False):
        # YAML forbids a key twice in one mapping, yet PyYAML keeps the last
        # value and drops the first without a word: refuse the file instead.
        # Keys brought in by a merge (<<: *name) may be overridden.
        seen = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(
                ":merge"
            ):
                continue
            key = (key_node.tag, key_node.value)
            if key in seen:
                message = _("the key '%(key)s' appears twice in the same entry.")
                raise _TooComplex(
                    message % {"key": key_node.value}, key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        # A longer number is no plan's: left as text, the checks name it.
        if len(node.value) > YAML_INT_MAX_CHARS:
            return self.construct_scalar(node)
        return super().construct_yaml_int(node)


_PlanLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp) for tag, regexp in resolvers if not tag.endswith(":timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlanLoader.add_constructor("tag:yaml.org,2002:int", _PlanLoader.construct_yaml_int)


def _read_yaml(name: str, text: str) -> dict:
    try:
        document = yaml.load(text, Loader=_PlanLoader)  # noqa: S506 - safe
    except _TooComplex as error:
        where = _(" (line %(line)s)") % {"line": error.problem_mark.line + 1}
        message = _("%(file)s%(where)s: %(problem)s The file cannot be imported.")
        values = {"file": name, "where": where, "problem": error.message}
        raise ImportFailed([message % values]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = _(" (line %(line)s)") % {"line": mark.line + 1} if mark else ""
        message = _("%(file)s%(where)s: this is not valid YAML.")
        raise ImportFailed([message % {"file": name, "where": where}]) from None
    if not isinstance(document, dict) or not (
        "plan" in document or "institutions" in document
    ):
        message = _(
            "%(file)s: expected a YAML plan file with a 'plan' and 'commitments', "
            "or an 'institutions' list."
        )
        raise ImportFailed([message % {"file": name}])
    if _count_entries(document) > MAX_ENTRIES:
        raise ImportFailed([_too_many_entries(name)])

    return document


def _count_entries(document: dict) -> int:
    """Count the objects a document describes, whatever their shape."""
    institutions = document.get("institutions")
    commitments = document.get("commitments")
    count = len(institutions) if isinstance(institutions, list) else 0
    for commitment in commitments if isinstance(commitments, list) else []:
        milestones = commitment.get("milestones") if isinstance(commitment, dict) else 0
        count += 1 + (len(milestones) if isinstance(milestones, list) else 0)

    return count


def _too_many_entries(name: str) -> str:
    message = _(
        "%(file)s: a file may hold at most %(max)s commitments, milestones and "
        "institutions; split it into several files."
    )
    return message % {"file": name, "max": grouped(MAX_ENTRIES)}


CSV_COLUMNS = [
    "plan",
    "record",
    "number",
    "ogp_id",
    "title_fr",
    "title_en",
    "summary_fr",
    "summary_en",
    "lead_institutions",
    "partners",
    "policy_areas",
    "start",
    "end",
    "status",
    "progress",
    "revised_due",
    "completed_on",
    "deliverable",
]


def _read_csv(name: str, text: str) -> dict:
    """Read the spreadsheet variant: one row per commitment or milestone.

    A row whose ``record`` is "milestone" belongs to the commitment with the same
    number (or OGP identifier) above it. Several values in one cell are separated
    by "|". Both "," and ";" (French spreadsheets) are accepted as separators.
    Rows are numbered as a spreadsheet numbers them, the header being row 1.
    """
    first_line = text.splitlines()[0] if text.splitlines() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    problems: list[tuple[int, str]] = []
    records = _csv_records(name, text, delimiter, problems)
    # A file malformed in its first rows has no row to check either.
    no_rows = [_("%(file)s: the file has no rows.") % {"file": name}]
    if not records:
        raise ImportFailed([message for _row, message in problems] or no_rows)
    headers = [header.strip() for header in records[0][1]]
    _check_csv_header(name, headers)

    plan = None
    commitments: list[dict] = []
    loose_milestones: list[dict] = []
    by_reference: dict[str, dict] = {}
    for number, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        place = _("row %(row)d") % {"row": number}
        if len(cells) > len(headers):
            message = _(
                "%(place)s: the row has %(count)d values but the header names "
                "%(columns)d columns."
            )
            values = {"place": place, "count": len(cells), "columns": len(headers)}
            problems.append((number, message % values))
        row = dict.fromkeys(headers, "")
        row.update(zip(headers, (cell.strip() for cell in cells), strict=False))
        if plan is None:
            plan = {"slug": row["plan"], "_existing_only": True}
            plan.update(_place=place, _line=number)
        elif row["plan"] != plan["slug"]:
            message = _(
                "%(place)s, field plan: all rows must belong to one plan, and "
                "%(first)s names plan '%(slug)s'."
            )
            values = {"place": place, "first": plan["_place"], "slug": plan["slug"]}
            problems.append((number, message % values))
        reference = row.get("number") or row.get("ogp_id") or ""
        record = row.get("record", "") or "commitment"
        values = {key: value for key, value in row.items() if value != ""}
        values.update(_place=place, _line=number)
        if record == "milestone":
            parent = by_reference.get(reference)
            if parent is None:
                message = _(
                    "%(place)s: a milestone row must follow the row of its "
                    "commitment (same number or OGP identifier)."
                )
                problems.append((number, message % {"place": place}))
                loose_milestones.append(_csv_milestone(values))
            else:
                parent.setdefault("milestones", []).append(_csv_milestone(values))
        elif record == "commitment":
            commitment = _csv_commitment(values)
            commitments.append(commitment)
            by_reference[reference] = commitment
        else:
            message = _(
                "%(place)s, field record: '%(value)s' is neither 'commitment' nor "
                "'milestone'."
            )
            problems.append((number, message % {"place": place, "value": record}))
    if plan is None:
        raise ImportFailed([message for _row, message in problems] or no_rows)

    document = {"plan": plan, "commitments": commitments}
    if problems:
        # The rows that could be read are checked now, so that the file's
        # author sees their problems along with those of the file's shape.
        checker = Checker(problems)
        for milestone in loose_milestones:
            with checker.at(milestone):
                _check_milestone(checker, milestone["_place"], milestone)
        check_document(document, checker)
        raise ImportFailed(checker.errors)

    return document


def _csv_records(
    name: str, text: str, delimiter: str, problems: list[tuple[int, str]]
) -> list[tuple[int, list[str]]]:
    """Return the records of a CSV file, each with its row number.

    Reading stops at a malformed record, which is added to ``problems``, or
    past the number of rows one file may hold, which refuses the file.
    """
    # Strict, the reader reports a quote that is never closed instead of
    # reading the rest of the file as one value.
    stream = io.StringIO(text, newline="")
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    records = []
    while True:
        number, line = len(records) + 1, reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return records
        except csv.Error as error:
            problems.append((number, _csv_malformation(number, line, error)))
            return records
        records.append((number, cells))
        if len(records) > MAX_ENTRIES + 1:
            raise ImportFailed([_too_many_entries(name)])


def _csv_malformation(number: int, line: int, error: csv.Error) -> str:
    """Say in the reader's language where and how a CSV file is malformed."""
    place = _("row %(row)d") % {"row": number}
    # The csv module tells its errors apart only by their English text.
    reason = str(error)
    if "unexpected end of data" in reason:
        message = _(
            '%(place)s: a quoted value (") that starts on line %(line)d is '
            "never closed; the CSV file is malformed."
        )
    elif "field larger than field limit" in reason:
        message = _(
            "%(place)s: a value that starts on line %(line)d is longer than "
            '%(max)s characters; a quote (") may never be closed. The CSV '
            "file is malformed."
        )
    elif "expected after" in reason:
        message = _(
            '%(place)s: on line %(line)d or after, a closing quote (") is '
            "followed by something other than a separator; the CSV file is "
            "malformed."
        )
    else:
        message = _("%(place)s: the CSV file is malformed from line %(line)d.")
    values = {"place": place, "line": line, "max": grouped(csv.field_size_limit())}

    return message % values


def _check_csv_header(name: str, headers: list[str]) -> None:
    unknown = [header for header in headers if header not in CSV_COLUMNS]
    missing = [header for header in ("plan", "title_fr") if header not in headers]
    twice = sorted({header for header in headers if headers.count(header) > 1})
    errors = [
        _("%(file)s, header: unknown column '%(column)s'.")
        % {"file": name, "column": column}
        for column in unknown
    ]
    errors += [
        _("%(file)s, header: missing column '%(column)s'.")
        % {"file": name, "column": column}
        for column in missing
    ]
    errors += [
        _("%(file)s, header: column '%(column)s' appears more than once.")
        % {"file": name, "column": column}
        for column in twice
        if column in CSV_COLUMNS
    ]
    if errors:
        raise ImportFailed(errors)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


def _csv_commitment(values: dict) -> dict:
    commitment = {}
    for key, value in values.items():
        if key in {"plan", "record", "revised_due", "completed_on", "deliverable"}:
            continue
        if key in {"lead_institutions", "partners", "policy_areas"}:
            commitment[key] = _split(value)
        else:
            commitment[key] = value
    return commitment


def _csv_milestone(values: dict) -> dict:
    keep = MILESTONE_KEYS | {"_place", "_line"}
    return {key: value for key, value in values.items() if key in keep}


# Checking values ------------------------------------------------------------


class Checker:
    """Collects every problem of a document, each with its place and field.

    Each problem keeps the row it was found on (0 in a YAML file), so that a
    CSV file's problems are listed row by row whatever found them.
    """

    # PostgreSQL text cannot hold the NUL character, which a YAML "\0" or a
    # CSV cell can.
    NUL_MESSAGE = gettext_lazy("contains a NUL character, which text cannot hold.")

    def __init__(self, problems: list[tuple[int, str]] | None = None):
        self.problems: list[tuple[int, str]] = list(problems or [])
        self.row = 0

    @property
    def errors(self) -> list[str]:
        ordered = sorted(self.problems, key=lambda problem: problem[0])
        return [message for _row, message in ordered]

    @contextmanager
    def at(self, values) -> Iterator[None]:
        """Note the CSV row of the values checked inside the block."""
        row = values.get("_line") if isinstance(values, dict) else None
        outer = self.row
        if isinstance(row, int):
            self.row = row
        try:
            yield
        finally:
            self.row = outer

    def fail(self, place: str, key: str, message: str) -> None:
        self.problems.append((self.row, located(place, key, message)))

    def keys(self, place: str, values: dict, allowed: set[str]) -> None:
        for key in values:
            if key not in allowed and not key.startswith("_"):
                self.fail(place, key, _("unknown field."))

    def text(self, place, values, key, *, max_length=None) -> str:
        value = values.get(key)
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(place, key, _("expected text."))
            return ""
        value = str(value).strip()
        if "\x00" in value:
            self.fail(place, key, self.NUL_MESSAGE)
            return value.replace("\x00", "")
        if max_length and len(value) > max_length:
            self.fail(
                place,
                key,
                _("at most %(max)s characters (it has %(length)s).")
                % {"max": grouped(max_length), "length": grouped(len(value))},
            )
        return value

    def flag(self, place, values, key) -> bool:
        value = values.get(key, False)
        if isinstance(value, str) and value.lower() in {"true", "false", "yes", "no"}:
            return value.lower() in {"true", "yes"}
        if not isinstance(value, bool):
            self.fail(place, key, _("expected true or false."))
            return False
        return value

    def names(self, place, values, key) -> list[str]:
        value = values.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            self.fail(place, key, _("expected a list of names."))
            return []
        if any("\x00" in item for item in value):
            self.fail(place, key, self.NUL_MESSAGE)
            return []
        return [item.strip() for item in value]

    def references(self, place, values, key) -> list[str]:
        """Read the names by which a commitment refers to institutions or areas."""
        names = self.names(place, values, key)
        for name in names:
            # A name of punctuation alone would match nothing, and create a
            # new institution or area at each import.
            if not normalise_name(name):
                message = _("'%(value)s' holds no letter or digit: it names nothing.")
                self.fail(place, key, message % {"value": name})
                return []
            try:
                validate_plain_line(name)
            except ValidationError as error:
                self.fail(place, key, error.messages[0])
                return []
        return names

    def whole_number(self, place, values, key) -> int | None:
        value = values.get(key)
        if value is None or value == "":
            return None
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
        if number is None or isinstance(value, bool | float):
            self.fail(
                place, key, _("'%(value)s' is not a whole number.") % {"value": value}
            )
            return None
        if not 1 <= number <= LARGEST_NUMBER:
            message = _(
                "'%(value)s' is out of range: write a whole number from 1 to "
                "%(largest)s."
            )
            self.fail(place, key, message % {"value": value, "largest": LARGEST_NUMBER})
            return None
        return number

    def date(self, place, values, key):
        value = values.get(key)
        try:
            parsed = dates.parse(value)
        except dates.PartialDateError:
            self.fail(
                place,
                key,
                _(
                    "'%(value)s' is not a date; write 2021-12-31, 2021-12, 2021 or "
                    "2021 (été)."
                )
                % {"value": value},
            )
            return None
        if parsed is None:
            return None
        try:
            validate_date_in_range(parsed.first_day)
        except ValidationError:
            message = _(
                "'%(value)s' is out of range: write a date from %(earliest)s to "
                "%(latest)s."
            )
            shown = {"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year}
            self.fail(place, key, message % {"value": value, **shown})
            return None
        return parsed

    def exact_date(self, place, values, key):
        parsed = self.date(place, values, key)
        if parsed and parsed.precision != dates.Precision.DAY:
            self.fail(place, key, _("a full date (2021-12-31) is needed here."))
            return None
        return parsed.first_day if parsed else None

    def percentage(self, place, values, key) -> Decimal | None:
        value = values.get(key)
        if value is None or value == "":
            return None
        text = str(value).strip().removesuffix("%").strip()
        try:
            plain = PLAIN_NUMBER.fullmatch(text)
            number = Decimal(text.replace(",", ".")) if plain else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or isinstance(value, bool):
            self.fail(place, key, _("'%(value)s' is not a number.") % {"value": value})
            return None
        if not 0 <= number <= 100:
            self.fail(place, key, _("a percentage must be between 0 and 100."))
            return None
        return number.quantize(Decimal("0.1"))

    def choice(self, place, values, key, choices) -> str:
        value = values.get(key)
        if value is None or value == "":
            return ""
        value = str(value).strip().lower().replace(" ", "_")
        if value not in choices:
            self.fail(
                place,
                key,
                _("'%(value)s' is not one of: %(choices)s.")
                % {"value": values.get(key), "choices": ", ".join(choices)},
            )
            return ""
        return value


def _check_period(checker, place, start, end, end_key="end"):
    if start and end and end.last_day < start.first_day:
        checker.fail(place, end_key, _("the end comes before the start."))


def _check_institutions(checker: Checker, entries) -> list[dict]:
    if not isinstance(entries, list):
        checker.fail(_("institutions"), "institutions", _("expected a list."))
        return []
    cleaned = []
    seen: dict[str, str] = {}
    kinds = [kind.value for kind in Institution.Kind]
    for index, values in enumerate(entries, start=1):
        place = _("institution %(index)d") % {"index": index}
        if not isinstance(values, dict):
            checker.fail(place, "-", _("expected a mapping of fields."))
            continue
        checker.keys(place, values, INSTITUTION_KEYS)
        slug = checker.text(place, values, "slug", max_length=120)
        if not is_plain_slug(slug):
            checker.fail(place, "slug", _("expected lower-case letters, digits, -."))
        elif slug in seen:
            checker.fail(
                place,
                "slug",
                _("%(id)s is already used by %(other)s.")
                % {"id": slug, "other": seen[slug]},
            )
        seen.setdefault(slug, place)
        entry = {
            "slug": slug,
            "kind": checker.choice(place, values, "kind", kinds) or "other",
            "acronym": checker.text(place, values, "acronym", max_length=30),
            "name_fr": checker.text(place, values, "name_fr", max_length=300),
            "name_en": checker.text(place, values, "name_en", max_length=300),
            "aliases": checker.names(place, values, "aliases"),
        }
        if not entry["name_fr"] and not entry["name_en"]:
            checker.fail(place, "name_fr", _("a name in French or English is needed."))
        cleaned.append(entry)
    return cleaned


def _check_plan(checker: Checker, values) -> dict:
    place = _("plan")
    if not isinstance(values, dict):
        checker.fail(place, "plan", _("expected a mapping of fields."))
        return {}
    if values.get("_existing_only"):
        return _check_named_plan(checker, values)
    checker.keys(place, values, PLAN_KEYS)
    slug = checker.text(place, values, "slug", max_length=60)
    if not is_plain_slug(slug):
        checker.fail(place, "slug", _("expected lower-case letters, digits, -."))
    start = checker.date(place, values, "start")
    end = checker.date(place, values, "end")
    _check_period(checker, place, start, end)
    announced = checker.whole_number(place, values, "announced_commitments")
    country = checker.text(place, values, "country")
    if country and not COUNTRY_CODE.match(country):
        message = _("'%(value)s' is not a country code such as FR.")
        checker.fail(place, "country", message % {"value": values.get("country")})
    plan = {
        "slug": slug,
        "country": country or "FR",
        "title_fr": checker.text(place, values, "title_fr", max_length=300),
        "title_en": checker.text(place, values, "title_en", max_length=300),
        "start": start.first_day if start else None,
        "start_precision": start.precision if start else dates.Precision.MONTH,
        "end": end.first_day if end else None,
        "end_precision": end.precision if end else dates.Precision.MONTH,
        "announced_commitments": announced,
        "sources": checker.names(place, values, "sources"),
    }
    if "published" in values:
        plan["is_published"] = checker.flag(place, values, "published")
    _drop_missing_dates(plan, values)
    if not plan["title_fr"] and not plan["title_en"]:
        checker.fail(place, "title_fr", _("a title in French or English is needed."))
    # What the file leaves out keeps its stored value (the model's default
    # for a new plan).
    _drop_missing_titles(plan, values)
    for key in ("country", "announced_commitments", "sources"):
        if key not in values:
            del plan[key]
    return plan


def _check_named_plan(checker: Checker, values: dict) -> dict:
    """Check the plan a CSV file names in its first row: it must exist."""
    place = str(values.get("_place") or _("plan"))
    slug = values.get("slug")
    with checker.at(values):
        checker.keys(place, values, PLAN_KEYS)
        if not isinstance(slug, str) or not is_plain_slug(slug):
            checker.fail(place, "plan", _("expected lower-case letters, digits, -."))
        elif not ActionPlan.objects.filter(slug=slug).exists():
            message = _(
                "no plan '%(slug)s' exists; create it in the admin or import its "
                "YAML file first."
            )
            checker.fail(place, "plan", message % {"slug": slug})

    return {"slug": slug, "_existing_only": True}


def _drop_missing_titles(cleaned: dict, values: dict) -> None:
    # A title in one language only leaves the other one as staff wrote it.
    for key in ("title_fr", "title_en"):
        if key not in values:
            del cleaned[key]


def _drop_missing_dates(cleaned: dict, values: dict) -> None:
    for key in ("start", "end"):
        if key not in values:
            del cleaned[key], cleaned[f"{key}_precision"]


def _check_milestone(checker, place, values) -> dict | None:
    if not isinstance(values, dict):
        checker.fail(place, "-", _("expected a mapping of fields."))
        return None
    checker.keys(place, values, MILESTONE_KEYS)
    start = checker.date(place, values, "start")
    end = checker.date(place, values, "end")
    _check_period(checker, place, start, end)
    milestone = {
        "title_fr": checker.text(place, values, "title_fr", max_length=400),
        "title_en": checker.text(place, values, "title_en", max_length=400),
        "planned_start": start.first_day if start else None,
        "planned_start_precision": start.precision if start else dates.Precision.DAY,
        "planned_end": end.first_day if end else None,
        "planned_end_precision": end.precision if end else dates.Precision.DAY,
    }
    if "revised_due" in values:
        milestone["revised_due"] = checker.exact_date(place, values, "revised_due")
    if "completed_on" in values:
        milestone["completed_on"] = checker.exact_date(place, values, "completed_on")
    if "deliverable" in values:
        milestone["deliverable"] = checker.text(place, values, "deliverable")
    status = checker.choice(
        place, values, "status", [status.value for status in Milestone.Status]
    )
    if status:
        milestone["status"] = status
    if not milestone["title_fr"] and not milestone["title_en"]:
        checker.fail(place, "title_fr", _("a title in French or English is needed."))
    # As for commitments, what the file leaves out keeps its stored value.
    _drop_missing_titles(milestone, values)
    for key, planned in (("start", "planned_start"), ("end", "planned_end")):
        if key not in values:
            del milestone[planned], milestone[f"{planned}_precision"]
    return milestone


def _check_irm(checker, place, values) -> dict | None:
    if values is None:
        return None
    if not isinstance(values, dict):
        checker.fail(place, "irm", _("expected a mapping of fields."))
        return None
    checker.keys(place, values, IRM_KEYS)
    ratings = [rating.value for rating in IrmAssessment.Rating]
    generations = [generation.value for generation in IrmAssessment.Generation]
    irm = {
        key: checker.choice(place, values, key, ratings)
        for key in IRM_KEYS - {"generation", "source"}
    }
    irm["generation"] = (
        checker.choice(place, values, "generation", generations)
        or IrmAssessment.Generation.IRM_2021
    )
    irm["source"] = checker.text(place, values, "source", max_length=500)
    return irm


def _check_commitment(checker, index, values) -> dict | None:
    if not isinstance(values, dict):
        checker.fail(
            _("commitment %(index)d") % {"index": index},
            "-",
            _("expected a mapping of fields."),
        )
        return None
    place = values.get("_place") or _("commitment %(index)d") % {"index": index}
    if values.get("number") is not None:
        place = _("%(place)s (no. %(number)s)") % {
            "place": place,
            "number": values["number"],
        }
    checker.keys(place, values, COMMITMENT_KEYS)
    start = checker.date(place, values, "start")
    end = checker.date(place, values, "end")
    _check_period(checker, place, start, end)
    commitment = {
        "_place": place,
        "_line": values.get("_line"),
        "number": checker.whole_number(place, values, "number"),
        "ogp_id": checker.text(place, values, "ogp_id", max_length=20).upper(),
        "ogp_id_inferred": checker.flag(place, values, "ogp_id_inferred"),
        "title_fr": checker.text(place, values, "title_fr", max_length=400),
        "title_en": checker.text(place, values, "title_en", max_length=400),
        "title_fr_is_translation": checker.flag(
            place, values, "title_fr_is_translation"
        ),
        "start": start.first_day if start else None,
        "start_precision": start.precision if start else dates.Precision.MONTH,
        "end": end.first_day if end else None,
        "end_precision": end.precision if end else dates.Precision.MONTH,
        "sources": checker.names(place, values, "sources"),
        "lead_institutions": checker.references(place, values, "lead_institutions"),
        "partners": checker.references(place, values, "partners"),
        "policy_areas": checker.references(place, values, "policy_areas"),
        "irm": _check_irm(checker, place, values.get("irm")),
    }
    # Fields the file leaves out keep the value they have in the database, so
    # that a re-import never wipes what staff wrote in the back-office.
    for key in ("lead_institutions", "partners", "policy_areas", "sources"):
        if key not in values:
            del commitment[key]
    _drop_missing_dates(commitment, values)
    for key in TEXT_FIELDS:
        if key in values:
            commitment[key] = checker.text(place, values, key)
    if "ogp_values" in values:
        for key in OGP_VALUES.values():
            commitment[key] = False
    for name in checker.names(place, values, "ogp_values"):
        key = name.lower().replace(" ", "_").replace("&", "").replace("__", "_")
        if key not in OGP_VALUES:
            checker.fail(
                place,
                "ogp_values",
                _("'%(value)s' is not one of: %(choices)s.")
                % {"value": name, "choices": ", ".join(OGP_VALUES)},
            )
        else:
            commitment[OGP_VALUES[key]] = True
    status = checker.choice(
        place, values, "status", [status.value for status in Status]
    )
    if status:
        commitment["status"] = status
    progress = checker.percentage(place, values, "progress")
    if progress is not None:
        commitment["progress"] = progress
    if commitment["ogp_id"] and not OGP_ID.match(commitment["ogp_id"]):
        checker.fail(
            place,
            "ogp_id",
            _("'%(value)s' is not an OGP identifier such as FR0051.")
            % {"value": values.get("ogp_id")},
        )
    # A number or identifier that is given but wrong is named above already.
    if not any(str(values.get(key) or "").strip() for key in ("number", "ogp_id")):
        checker.fail(place, "number", _("a number or an OGP identifier is needed."))
    if not commitment["title_fr"] and not commitment["title_en"]:
        checker.fail(place, "title_fr", _("a title in French or English is needed."))
    _drop_missing_titles(commitment, values)
    milestones = values.get("milestones") or []
    if not isinstance(milestones, list):
        checker.fail(place, "milestones", _("expected a list."))
        milestones = []
    commitment["milestones"] = []
    for position, milestone_values in enumerate(milestones, start=1):
        milestone_place = (
            (milestone_values or {}).get("_place")
            if isinstance(milestone_values, dict)
            else None
        )
        milestone_place = milestone_place or _("%(place)s, milestone %(index)d") % {
            "place": place,
            "index": position,
        }
        with checker.at(milestone_values):
            milestone = _check_milestone(checker, milestone_place, milestone_values)
        if milestone:
            milestone.update(position=position, _place=milestone_place)
            commitment["milestones"].append(milestone)
    return commitment


def check_document(document: dict, checker: Checker | None = None) -> dict:
    """Return the document's cleaned values, or raise ImportFailed if any is wrong.

    ``checker`` may bring problems already found while reading the file.
    """
    checker = checker or Checker()
    unknown = set(document) - {"plan", "commitments", "institutions"}
    for key in sorted(unknown):
        checker.fail(_("file"), key, _("unknown section."))
    cleaned = {
        "institutions": _check_institutions(checker, document.get("institutions", [])),
        "plan": None,
        "commitments": [],
    }
    if "plan" in document:
        cleaned["plan"] = _check_plan(checker, document["plan"])
        entries = document.get("commitments") or []
        if not isinstance(entries, list):
            checker.fail(_("file"), "commitments", _("expected a list."))
            entries = []
        for index, values in enumerate(entries, start=1):
            with checker.at(values):
                commitment = _check_commitment(checker, index, values)
            if commitment:
                cleaned["commitments"].append(commitment)
        _check_unique(checker, cleaned)
    if checker.errors:
        raise ImportFailed(checker.errors)

    return cleaned


def _check_unique(checker: Checker, cleaned: dict) -> None:
    """Refuse two commitments with one number, or one OGP id used twice."""
    seen_numbers: dict[int, str] = {}
    seen_ids: dict[str, dict] = {}
    for commitment in cleaned["commitments"]:
        place = commitment["_place"]
        number, ogp_id = commitment["number"], commitment["ogp_id"]
        with checker.at(commitment):
            if number is not None and number in seen_numbers:
                checker.fail(
                    place,
                    "number",
                    _("number %(number)d is already used by %(other)s.")
                    % {"number": number, "other": seen_numbers[number]},
                )
            if ogp_id and ogp_id in seen_ids:
                checker.fail(
                    place,
                    "ogp_id",
                    _("%(id)s is already used by %(other)s.")
                    % {"id": ogp_id, "other": seen_ids[ogp_id]["_place"]},
                )
        if number is not None:
            seen_numbers[number] = place
        if ogp_id:
            seen_ids[ogp_id] = commitment
    slug = (cleaned["plan"] or {}).get("slug")
    if seen_ids and slug:
        elsewhere = Commitment.objects.filter(ogp_id__in=seen_ids).exclude(
            plan__slug=slug
        )
        for ogp_id, plan_slug in elsewhere.values_list("ogp_id", "plan__slug"):
            with checker.at(seen_ids[ogp_id]):
                checker.fail(
                    seen_ids[ogp_id]["_place"],
                    "ogp_id",
                    _("%(id)s already belongs to plan %(plan)s.")
                    % {"id": ogp_id, "plan": plan_slug},
                )


# Writing ------------------------------------------------------------------


# Where a plan's name for an institution is looked up, the most specific
# first: "DITP" is the slug and acronym of the DITP before it is anyone's
# other name.
MATCH_LEVELS = (
    ("slug",),
    ("acronym",),
    ("name_fr", "name_en"),
    ("aliases",),
)


class _Ambiguous(Exception):
    """A name matches several institutions at the same level."""

    def __init__(self, institutions: list[Institution]):
        super().__init__()
        self.institutions = institutions


def _slug_of(name: str) -> str:
    """Return a plain slug for a name: no underscore, no dash at either end."""
    return re.sub(r"[-_]+", "-", slugify(name))[:100].strip("-")


class Writer:
    """Applies cleaned values to the database, recording what changed."""

    def __init__(self, report: ImportReport, user=None):
        self.report = report
        self.user = user
        # For each level of MATCH_LEVELS, and for all levels together (which
        # the institutions' own check reads): name -> {pk: institution}.
        self.institutions: list[dict[str, dict[int, Institution]]] = [
            {} for _level in MATCH_LEVELS
        ]
        self.names_in_use: dict[str, dict[int, Institution]] = {}
        # Where each institution was indexed, to forget it when renamed.
        self._indexed: dict[int, list[dict[int, Institution]]] = {}
        for institution in Institution.objects.all():
            self._remember(institution)
        self.areas = {
            area.name_en.casefold(): area for area in PolicyArea.objects.all()
        }

    def _remember(self, institution: Institution) -> None:
        # A declared institution may have been renamed by the file.
        for found in self._indexed.pop(institution.pk, []):
            found.pop(institution.pk, None)
        indexed = self._indexed.setdefault(institution.pk, [])
        names = institution.names()
        for level, keys in zip(self.institutions, MATCH_LEVELS, strict=True):
            for key in keys:
                for name in names[key]:
                    normalised = normalise_name(name) if name else ""
                    if not normalised:
                        continue
                    for index in (level, self.names_in_use):
                        found = index.setdefault(normalised, {})
                        found[institution.pk] = institution
                        indexed.append(found)

    def _find_institution(self, name: str) -> Institution | None:
        """Return the institution a plan's name stands for, or None if none.

        Raises _Ambiguous if the first level where the name matches holds
        several institutions.
        """
        for level in self.institutions:
            found = level.get(normalise_name(name))
            if found and len(found) > 1:
                raise _Ambiguous(sorted(found.values(), key=lambda i: i.slug))
            if found:
                return next(iter(found.values()))
        return None

    def _check_ogp_id_is_free(self, commitment: Commitment, values: dict) -> None:
        """Refuse an OGP identifier that another commitment of the plan holds.

        The number found the commitment; giving it the identifier of another
        one would make two commitments share it.
        """
        ogp_id = values["ogp_id"]
        if not ogp_id:
            return
        holder = (
            Commitment.objects.filter(ogp_id=ogp_id).exclude(pk=commitment.pk).first()
        )
        if holder is None:
            return
        message = _(
            "%(id)s is the OGP identifier of commitment no. %(number)s; one "
            "identifier names one commitment."
        ) % {"id": ogp_id, "number": holder.number or "–"}
        raise _Refused([located(values["_place"], "ogp_id", message)])

    def _check_references(self, place: str, values: dict) -> None:
        """Refuse the names of a commitment that stand for several institutions."""
        errors = []
        for key in ("lead_institutions", "partners"):
            for name in values.get(key, []):
                try:
                    self._find_institution(name)
                except _Ambiguous as ambiguous:
                    slugs = ", ".join(i.slug for i in ambiguous.institutions)
                    message = _(
                        "'%(name)s' names several institutions (%(slugs)s); write "
                        "the slug of the one meant."
                    )
                    problem = message % {"name": name, "slugs": slugs}
                    errors.append(located(place, key, problem))
        if errors:
            raise _Refused(errors)

    def _report(self, obj, label: str, key: str, changed: dict) -> bool:
        """Note what an import does to obj, given the values it replaces."""
        if obj.pk is None:
            change = Change("create", label, key=key)
        elif changed:
            change = Change("update", label, list(changed), key, changed)
        else:
            change = Change("unchanged", label, key=key)
        self.report.changes.append(change)

        return change.action != "unchanged"

    def _apply(self, obj, values: dict, label: str, *, key: str, versioned: bool):
        """Set values on obj and save it if anything differs; report the change."""
        changed = {
            name: getattr(obj, name)
            for name, value in values.items()
            if getattr(obj, name) != value
        }
        if not self._report(obj, label, key, changed):
            return False
        for key, value in values.items():
            setattr(obj, key, value)
        if versioned and obj.pk is not None:
            obj.version += 1
        obj.full_clean(validate_unique=False, validate_constraints=False)
        if versioned:
            with one_version(obj, user=self.user, reason="import"):
                obj.save()
        else:
            obj.save()
        return True

    def institution(self, entry: dict) -> Institution:
        institution = Institution.objects.filter(slug=entry["slug"]).first()
        institution = institution or Institution(slug=entry["slug"])
        label = _("institution %(slug)s") % {"slug": entry["slug"]}
        values = {key: value for key, value in entry.items() if key != "slug"}
        key = f"institution:{entry['slug']}"
        institution.names_in_use = self.names_in_use
        self._apply(institution, values, label, key=key, versioned=False)
        self._remember(institution)
        return institution

    def institution_named(self, name: str) -> Institution:
        found = self._find_institution(name)
        if found is not None:
            return found
        base = _slug_of(name) or "institution"
        slug, suffix = base, 2
        while Institution.objects.filter(slug=slug).exists():
            slug, suffix = f"{base}-{suffix}", suffix + 1
        # The name's language is not known, so it stands for both.
        return self.institution({"slug": slug, "name_fr": name, "name_en": name})

    def policy_area(self, name: str) -> PolicyArea:
        area = self.areas.get(name.casefold())
        if area is None:
            base = _slug_of(name) or "area"
            area = PolicyArea.objects.create(
                slug=base, name_en=name, name_fr=policy_areas.french_name(name)
            )
            label = _("policy area %(name)s") % {"name": name}
            self.report.changes.append(Change("create", label, key=f"area:{name}"))
            self.areas[name.casefold()] = area
        return area

    def plan(self, values: dict) -> ActionPlan:
        plan = ActionPlan.objects.filter(slug=values["slug"]).first()
        if values.get("_existing_only"):
            if plan is None:
                raise ImportFailed(
                    [
                        _(
                            "plan, field plan: no plan '%(slug)s' exists; create it "
                            "in the admin or import its YAML file first."
                        )
                        % {"slug": values["slug"]}
                    ]
                )
            # The file names the plan without describing it: it stays as it is,
            # and counts as one of the file's objects like any other.
            label = _("plan %(slug)s") % {"slug": values["slug"]}
            key = f"plan:{values['slug']}"
            self.report.changes.append(Change("unchanged", label, key=key))
            return plan
        plan = plan or ActionPlan(slug=values["slug"])
        label = _("plan %(slug)s") % {"slug": values["slug"]}
        fields = {key: value for key, value in values.items() if key != "slug"}
        key = f"plan:{values['slug']}"
        self._apply(plan, fields, label, key=key, versioned=True)
        return plan

    def commitment(self, plan: ActionPlan, values: dict) -> None:
        commitment = None
        if values["number"] is not None:
            commitment = Commitment.objects.filter(
                plan=plan, number=values["number"]
            ).first()
        if commitment is None and values["ogp_id"]:
            commitment = Commitment.objects.filter(
                plan=plan, ogp_id=values["ogp_id"]
            ).first()
        commitment = commitment or Commitment(plan=plan)
        reference = values["number"] or values["ogp_id"]
        label = _("commitment %(ref)s") % {"ref": reference}
        commitment_key = f"commitment:{reference}"
        self._check_ogp_id_is_free(commitment, values)
        self._check_references(values["_place"], values)
        relations = {}
        for key in ("lead_institutions", "partners"):
            if key in values:
                relations[key] = [self.institution_named(name) for name in values[key]]
        if "policy_areas" in values:
            relations["policy_areas"] = [
                self.policy_area(name) for name in values["policy_areas"]
            ]
        fields = {
            key: value
            for key, value in values.items()
            if not key.startswith("_")
            and key not in relations
            and key not in {"irm", "milestones"}
        }
        # A file without an OGP identifier (or with an empty one) keeps the
        # stored one: addresses and links use it.
        if commitment.ogp_id and not values["ogp_id"]:
            del fields["ogp_id"], fields["ogp_id_inferred"]
        self._commitment_with_relations(
            commitment, fields, relations, label, commitment_key
        )
        self.irm(commitment, values["irm"], label, commitment_key)
        for milestone in values["milestones"]:
            self.milestone(commitment, milestone, label, commitment_key)

    def _commitment_with_relations(self, commitment, fields, relations, label, key):
        changed = {
            name: getattr(commitment, name)
            for name, value in fields.items()
            if getattr(commitment, name) != value
        }
        if commitment.pk is not None:
            for name, wanted in relations.items():
                current = set(getattr(commitment, name).values_list("pk", flat=True))
                if current != {obj.pk for obj in wanted}:
                    changed[name] = sorted(current)
        if not self._report(commitment, label, key, changed):
            return
        for name, value in fields.items():
            setattr(commitment, name, value)
        if commitment.pk is not None:
            commitment.version += 1
        commitment.full_clean(validate_unique=False, validate_constraints=False)
        with one_version(commitment, user=self.user, reason="import"):
            commitment.save()
            for name, wanted in relations.items():
                getattr(commitment, name).set(wanted)

    def irm(self, commitment: Commitment, values: dict | None, label, key) -> None:
        if values is None:
            return
        irm = IrmAssessment.objects.filter(commitment=commitment).first()
        irm = irm or IrmAssessment(commitment=commitment)
        self._apply(
            irm,
            values,
            _("IRM assessment of %(label)s") % {"label": label},
            key=f"{key}:irm",
            versioned=False,
        )

    def milestone(self, commitment: Commitment, values: dict, label, key) -> None:
        # Milestones have no identifier of their own in plan files: the file's
        # order is their identity, so re-importing an edited title updates it.
        milestone = Milestone.objects.filter(
            commitment=commitment, position=values["position"]
        ).first()
        milestone = milestone or Milestone(commitment=commitment)
        milestone_label = _("%(label)s, milestone %(position)d") % {
            "label": label,
            "position": values["position"],
        }
        fields = {name: value for name, value in values.items() if name[0] != "_"}
        if milestone.pk is not None:
            _keep_baseline(milestone, fields, values["_place"])
        key = f"{key}:milestone:{values['position']}"
        self._apply(milestone, fields, milestone_label, key=key, versioned=True)


BASELINE = {"start": "planned_start", "end": "planned_end"}


def _keep_baseline(milestone: Milestone, fields: dict, place: str) -> None:
    """Refuse values that would move a milestone's planned dates once set.

    The planned dates are the baseline the public compares the outcome
    with; a milestone that slips keeps them and gets a revised due date.
    """
    problems = []
    for key, planned in BASELINE.items():
        precision = f"{planned}_precision"
        stored = (getattr(milestone, planned), getattr(milestone, precision))
        if stored[0] is None or planned not in fields:
            continue
        if (fields[planned], fields[precision]) == stored:
            continue
        message = _(
            "the planned dates are the milestone's baseline and cannot change "
            "once set: keep %(key)s at %(stored)s and give the new expected "
            "date as revised_due (a full date such as 2024-09-30)."
        )
        values = {"key": key, "stored": dates.iso(*stored)}
        problems.append(located(place, key, message % values))
    if problems:
        raise _Refused(problems)


def import_document(
    document: dict, *, user=None, dry_run: bool = False, preview: str | None = None
) -> ImportReport:
    """Check and write a parsed document; with dry_run, write nothing.

    ``preview`` is the digest of the report a coordinator was shown: if the
    import would now do anything else, it writes nothing and raises
    PreviewOutdated with the new report.
    """
    cleaned = check_document(document)
    report = ImportReport(dry_run=dry_run)
    refusals: list[str] = []
    try:
        with transaction.atomic():
            writer = Writer(report, user=user)
            for entry in cleaned["institutions"]:
                with _refusals_kept(report, refusals):
                    writer.institution(entry)
            plan = None
            if cleaned["plan"] is not None:
                with _refusals_kept(report, refusals):
                    plan = writer.plan(cleaned["plan"])
            for commitment in cleaned["commitments"] if plan else []:
                with _refusals_kept(report, refusals):
                    writer.commitment(plan, commitment)
            # Every refusal at once, then nothing written.
            if refusals:
                raise ImportFailed(refusals)
            # Compared inside the transaction that writes, so that what is
            # written is exactly what was compared.
            if preview is not None and report.digest() != preview:
                report.dry_run = True
                raise PreviewOutdated(report)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    logger.info(
        "plan import dry_run=%s created=%s updated=%s unchanged=%s",
        dry_run,
        report.count("create"),
        report.count("update"),
        report.count("unchanged"),
    )

    return report


@contextmanager
def _refusals_kept(report: ImportReport, refusals: list[str]):
    """Note a model's own refusal of one object, naming it, and go on.

    The object's writes are undone (a savepoint), so that the next objects
    are checked too and the file's author sees every refusal in one go.
    """
    try:
        with transaction.atomic():
            yield
    except _Refused as refused:
        refusals.extend(refused.messages)
    except ValidationError as error:
        label = report.changes[-1].label if report.changes else _("file")
        if hasattr(error, "error_dict"):
            refusals.extend(
                located(label, key, message)
                for key, values in error.message_dict.items()
                for message in values
            )
        else:
            refusals.extend(f"{label}: {message}" for message in error.messages)


class _DryRun(Exception):
    """Raised to roll back a dry run once its report is complete."""


class _Refused(Exception):
    """The importer's own refusal of one object, each message naming its place."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def import_file(
    name: str, content: bytes, *, user=None, dry_run=False, preview=None
) -> ImportReport:
    """Read, check and import one YAML or CSV file (see import_document)."""
    document = read_document(name, content)

    return import_document(document, user=user, dry_run=dry_run, preview=preview)
