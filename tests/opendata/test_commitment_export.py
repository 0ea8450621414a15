"""The commitment list's files: the rows on screen, in three formats."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commitments.exports import COMMITMENTS
from commitments.filters import CommitmentFilter
from commitments.models import IrmAssessment
from tests.factories import CommitmentFactory, ProgressUpdateFactory
from tests.opendata.conftest import body_of, read_csv, read_excel_csv, read_json

pytestmark = pytest.mark.django_db
URL = "/fr/plans/fr-2021-2023/commitments/"


def test_it_exports_the_commitments_as_canonical_csv(client, commitments, update):
    IrmAssessment.objects.create(
        commitment=commitments[1], verifiable="yes", early_results="marginal"
    )

    response = client.get(URL + "export.csv")

    rows = read_csv(response)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    assert 'filename="fr-2021-2023-commitments.csv"' in response["Content-Disposition"]
    assert list(rows[0]) == COMMITMENTS.column_names
    assert [row["number"] for row in rows] == ["38", "39", "40"]
    first = rows[0]
    assert first["ogp_id"] == "FR0088"
    assert first["title_fr"] == "Outiller le Gouvernement ouvert"
    assert first["lead_institutions"] == "ministry-a"
    assert first["lead_institution_names"] == "Ministère A"
    assert first["partners"] == "asso-z"
    assert first["policy_areas"] == "open-data"
    assert first["policy_area_names"] == "Données"
    assert first["value_civic_participation"] == "true"
    assert first["value_access_to_information"] == "false"
    assert first["start"] == "2021-12"
    assert first["end"] == "2023-06"
    assert first["due_by"] == "2023-06-30"
    assert first["status"] == "in_progress"
    assert first["progress"] == "62.5"
    assert first["last_update_at"] == "2022-03-01T09:00:00Z"
    assert first["irm_verifiable"] == ""
    assert rows[1]["irm_verifiable"] == "yes"
    assert rows[1]["irm_early_results"] == "marginal"
    assert rows[1]["irm_generation"] == "irm_2021"
    assert first["url"] == "http://testserver/fr/plans/fr-2021-2023/commitments/38/"


def test_it_exports_the_same_rows_for_excel(client, commitments, update):
    response = client.get(URL + "export-excel.csv")

    rows = read_excel_csv(response)
    assert response.status_code == 200
    assert (
        'filename="fr-2021-2023-commitments.excel.csv"'
        in (response["Content-Disposition"])
    )
    assert list(rows[0]) == COMMITMENTS.column_names
    assert len(rows) == 3
    assert rows[0]["progress"] == "62,5"
    assert rows[0]["title_fr"] == "Outiller le Gouvernement ouvert"
    assert rows[0]["lead_institution_names"] == "Ministère A"
    assert rows[0]["last_update_at"] == "2022-03-01 10:00:00"


def test_it_exports_the_same_fields_as_json(client, commitments, update):
    response = client.get("/en" + URL[3:] + "export.json")

    rows = read_json(response)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert len(rows) == 3
    assert list(rows[0]) == COMMITMENTS.column_names
    assert rows[0]["progress"] == 62.5
    assert rows[0]["lead_institutions"] == ["ministry-a"]
    # The English file names institutions in English, else in French.
    assert rows[0]["partner_names"] == ["Association Z"]
    assert rows[0]["policy_area_names"] == ["Open Data"]
    assert rows[0]["irm_verifiable"] is None
    assert rows[2]["value_civic_participation"] is False
    assert rows[0]["url"].startswith("http://testserver/en/plans/")


@pytest.mark.parametrize(
    "query",
    [
        "institution=ministry-a",
        "institution=ministry-b",
        "status=in_progress",
        "status=not_started&sort=-progress",
        "q=outiller",
        "value=civic_participation",
        "area=open-data",
        "late=1",
        "sort=progress",
    ],
)
def test_it_holds_exactly_the_rows_the_list_shows(client, commitments, update, query):
    expected = CommitmentFilter(_query_dict(query), plan=commitments[0].plan).qs

    rows = read_csv(client.get(f"{URL}export.csv?{query}"))

    assert [int(row["id"]) for row in rows] == [c.pk for c in expected]


def test_it_filters_by_institution_as_the_page_does(client, commitments):
    page = client.get(URL + "?institution=ministry-b")

    rows = read_csv(client.get(URL + "export.csv?institution=ministry-b"))

    assert [row["number"] for row in rows] == ["40"]
    assert page.status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "unknown=1",
        "institution=nobody",
        "status=exploded",
        "sort=drop+table",
        "as_of=2022-02-30",
        "as_of=yesterday",
        "as_of=2999-01-01",
        "late=maybe&page=abc",
        "q=" + "x" * 500,
        "institution=%00",
        "as_of=2022-01-01%00",
    ],
)
def test_it_ignores_bad_filters_exactly_like_the_list(client, commitments, query):
    expected = CommitmentFilter(_query_dict(query), plan=commitments[0].plan).qs

    response = client.get(f"{URL}export.csv?{query}")

    assert response.status_code == 200
    assert [int(row["id"]) for row in read_csv(response)] == [c.pk for c in expected]
    assert len(expected) == 3


def test_it_exports_the_plan_as_of_a_past_day(client, plan, ministry):
    with time_machine.travel(datetime.datetime(2022, 1, 10, 12, tzinfo=datetime.UTC)):
        commitment = CommitmentFactory(
            plan=plan, number=1, title_fr="Ancien titre", lead_institutions=[ministry]
        )
    with time_machine.travel(datetime.datetime(2022, 5, 10, 12, tzinfo=datetime.UTC)):
        commitment.title_fr = "Nouveau titre"
        commitment.save()
        CommitmentFactory(plan=plan, number=2)
        ProgressUpdateFactory(commitment=commitment, percentage=30)

    earlier = read_csv(client.get(URL + "export.csv?as_of=2022-02-01"))
    today = read_csv(client.get(URL + "export.csv"))

    assert [(r["number"], r["title_fr"]) for r in earlier] == [("1", "Ancien titre")]
    assert earlier[0]["lead_institutions"] == "ministry-a"
    assert earlier[0]["progress"] == "0"
    assert [(r["number"], r["title_fr"]) for r in today][0] == ("1", "Nouveau titre")
    assert [r["number"] for r in today] == ["1", "2"]
    assert today[0]["progress"] == "30"


def test_it_names_the_file_after_the_day_it_describes(client, commitments):
    response = client.get(URL + "export.json?as_of=2022-02-01")

    assert (
        "fr-2021-2023-commitments-as-of-2022-02-01.json"
        in (response["Content-Disposition"])
    )
    assert read_json(response) == []


def test_it_keeps_only_published_plans(client, hidden_plan):
    CommitmentFactory(plan=hidden_plan, number=1)

    response = client.get("/fr/plans/draft-plan/commitments/export.csv")

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["export.xlsx", "export.CSV", "export-excel.json"])
def test_it_refuses_unknown_formats_with_a_message(client, commitments, name):
    response = client.get(URL + name)

    assert response.status_code == 404
    assert "export.csv, export-excel.csv, export.json" in response.content.decode()


def test_it_refuses_other_methods(client, commitments):
    response = client.post(URL + "export.csv")

    assert response.status_code == 405


def test_it_streams_with_the_same_queries_at_ten_times_the_data(client, plan, ministry):
    def export_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL + "export.csv?institution=ministry-a")
            rows = read_csv(response)
        return len(queries), len(rows)

    CommitmentFactory.create_batch(3, plan=plan, lead_institutions=[ministry])
    small, small_rows = export_queries()
    CommitmentFactory.create_batch(27, plan=plan, lead_institutions=[ministry])
    large, large_rows = export_queries()

    assert (small_rows, large_rows) == (3, 30)
    assert small == large


def test_it_sends_the_header_before_reading_the_rows(client, commitments):
    response = client.get(URL + "export.csv")

    with CaptureQueriesContext(connection) as queries:
        first_chunk = next(iter(response.streaming_content))

    assert first_chunk.startswith(b"id,plan,number,ogp_id,")
    assert len(queries) == 0
    assert body_of(response).count(b"\r\n") == 3


def test_it_writes_progress_as_a_number(client, commitments):
    ProgressUpdateFactory(commitment=commitments[1], percentage=Decimal("100"))

    rows = read_json(client.get(URL + "export.json"))

    assert rows[1]["progress"] == 100
    assert rows[0]["progress"] == 0


def _query_dict(query: str):
    from django.http import QueryDict

    return QueryDict(query)
