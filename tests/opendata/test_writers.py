"""The generic writers: cell formats, formula neutralisation, round trips."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.http import StreamingHttpResponse

from ogp_tracker import exports
from ogp_tracker.exports import Column, Dataset
from tests.factories import CommitmentFactory
from tests.opendata.conftest import read_csv, read_excel_csv, read_json

NASTY = [
    '=HYPERLINK("https://example.invalid","x")',
    "+33 1 23 45 67 89",
    "-1+2",
    "@SUM(A1:A2)",
    "\tleading tab",
    "\rleading carriage return",
    'quotes "inside", commas, semicolons; and\na line break\r\nor two',
    "accents : é à ç œ « »",
]
DATASET = Dataset(
    name="sample",
    title="Sample",
    description="Sample",
    fetch={},
    columns=[
        Column("text", "free text"),
        Column("number", "a number", type="number"),
        Column("count", "an integer", type="integer"),
        Column("flag", "a boolean", type="boolean"),
        Column("day", "a date", type="date"),
        Column("moment", "a datetime", type="datetime"),
        Column("items", "several values", many=True),
    ],
)


def _row(**values) -> list:
    return [values.get(name) for name in DATASET.column_names]


def _written(writer, rows) -> bytes:
    return b"".join(writer(DATASET, rows))


def test_it_writes_table_schema_defaults_in_the_canonical_csv():
    moment = datetime.datetime(2022, 3, 1, 10, 30, tzinfo=datetime.UTC)
    rows = [
        _row(
            text="a",
            number=Decimal("62.50"),
            count=3,
            flag=True,
            day=datetime.date(2022, 3, 1),
            moment=moment,
            items=["x", "y"],
        ),
        _row(flag=False, items=[]),
    ]

    data = _written(exports.csv_bytes, rows).decode()

    assert data.split("\r\n") == [
        "text,number,count,flag,day,moment,items",
        "a,62.5,3,true,2022-03-01,2022-03-01T10:30:00Z,x|y",
        ",,,false,,,",
        "",
    ]


def test_it_writes_french_spreadsheet_values_in_the_excel_csv(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime.datetime(2022, 7, 1, 10, 30, tzinfo=datetime.UTC)
    rows = [_row(text="é", number=Decimal("-12.5"), count=-3, moment=moment)]

    data = _written(exports.excel_bytes, rows)

    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "text;number;count;flag;day;moment;items"
    # Negative numbers stay numbers: only text is neutralised.
    assert lines[1] == "é;-12,5;-3;;;2022-07-01 12:30:00;"


@pytest.mark.parametrize("text", NASTY)
def test_it_round_trips_any_text_in_the_canonical_csv(text):
    data = _written(exports.csv_bytes, [_row(text=text, items=[text[:3]])])

    rows = list(csv.DictReader(io.StringIO(data.decode(), newline="")))

    assert len(rows) == 1
    assert rows[0]["text"] == text


@pytest.mark.parametrize("text", NASTY)
def test_it_neutralises_formulas_in_the_excel_csv(text):
    data = _written(exports.excel_bytes, [_row(text=text, items=[text])])

    text_read = data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text_read, newline=""), delimiter=";"))

    assert len(rows) == 1
    for cell in (rows[0]["text"], rows[0]["items"]):
        assert not cell.startswith(exports.FORMULA_STARTS)
        assert cell.lstrip("'") == text


def test_it_streams_json_as_one_array():
    rows = [_row(text=text, number=Decimal("1.5"), items=["a"]) for text in NASTY]

    chunks = list(exports.json_bytes(DATASET, iter(rows)))

    parsed = json.loads(b"".join(chunks))
    assert chunks[0] == b"["
    assert [row["text"] for row in parsed] == NASTY
    assert parsed[0]["number"] == 1.5
    assert parsed[0]["items"] == ["a"]
    assert parsed[0]["flag"] is None


def test_it_writes_an_empty_array_when_there_is_no_row():
    assert json.loads(_written(exports.json_bytes, [])) == []


def test_it_hands_large_files_over_in_buffers():
    rows = (_row(text="x" * 100) for _ in range(3000))

    chunks = list(exports.csv_bytes(DATASET, rows))

    assert len(chunks) > 3
    assert max(len(chunk) for chunk in chunks) < exports.BUFFER_SIZE + 1000


def test_it_answers_with_a_streaming_response(db):
    response = exports.stream(
        DATASET, iter([_row(text="a")]), exports.Format.CSV, filename="sample"
    )

    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="sample.csv"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"text,number")


@pytest.mark.django_db
def test_it_exports_hostile_titles_unchanged_or_neutralised(client, plan):
    title = '=HYPERLINK("https://example.invalid","x")'
    summary = 'Texte avec "guillemets", virgules, points-virgules ;\net retour'
    CommitmentFactory(plan=plan, number=1, title_fr=title, summary_fr=summary)
    url = "/fr/plans/fr-2021-2023/commitments/"

    canonical = read_csv(client.get(url + "export.csv"))
    excel = read_excel_csv(client.get(url + "export-excel.csv"))
    as_json = read_json(client.get(url + "export.json"))

    assert (canonical[0]["title_fr"], canonical[0]["summary_fr"]) == (title, summary)
    assert excel[0]["title_fr"] == "'" + title
    assert excel[0]["summary_fr"] == summary
    assert as_json[0]["title_fr"] == title
    assert excel[0]["number"] == "1"
