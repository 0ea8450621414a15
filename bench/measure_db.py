"""Measure, inside Django, what the benchmark cannot see over HTTP.

Prints one JSON object: each public page's address, status and SQL query
count (cold, after clearing the cache, and warm), and with --explain the
database time of the plan as of a past date and of the French search, read
from EXPLAIN ANALYZE, with any sequential scan on a history table named.

Run by bench/bench.py with the benchmark's DATABASE_URL; also usable alone:
    DATABASE_URL=postgres://... python bench/measure_db.py --explain
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ogp_tracker.settings")
# Counts and database times here are those of rendering each page; a page
# served whole from the page cache costs no query, and its speed is measured
# over HTTP by bench.py.
os.environ["OGP_PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pages import public_pages  # noqa: E402

EXPLAINED = ("dashboard_as_of", "search_fr")
# A sequential scan of a table this small (the plans' history) is the right
# plan; only scans that read more rows than this are reported.
SMALL_TABLE_ROWS = 1000


def count_queries(client: Client, url: str) -> tuple[int, int, list[dict]]:
    """Return the status and the query count of one request, and its queries."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            for _chunk in response.streaming_content:
                pass

    return response.status_code, len(captured), captured.captured_queries


def explain(queries: list[dict]) -> dict:
    """Run EXPLAIN ANALYZE on each SELECT of a request and add up the times."""
    total_ms = 0.0
    seq_scans: set[str] = set()
    slowest: list[tuple[float, str]] = []
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            top = plan[0]
            ms = top["Planning Time"] + top["Execution Time"]
            total_ms += ms
            slowest.append((ms, sql[:300]))
            stack = [top["Plan"]]
            while stack:
                node = stack.pop()
                relation = node.get("Relation Name", "")
                if node["Node Type"] == "Seq Scan" and "historical" in relation:
                    # Rows read: those kept plus those the filter threw away.
                    read = node["Actual Rows"] + node.get("Rows Removed by Filter", 0)
                    read *= node.get("Actual Loops", 1)
                    if read > SMALL_TABLE_ROWS:
                        seq_scans.add(f"{relation} ({read} rows read)")
                stack.extend(node.get("Plans", []))
    slowest.sort(reverse=True)

    return {
        "database_ms": round(total_ms, 2),
        "statements": len(slowest),
        "seq_scans_on_history": sorted(seq_scans),
        "slowest": [{"ms": round(ms, 2), "sql": sql} for ms, sql in slowest[:3]],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()

    pages, missing = public_pages()
    # A page that fails is reported with its status, not allowed to stop the run.
    client = Client(SERVER_NAME="127.0.0.1", raise_request_exception=False)
    result = {"pages": {}, "missing": missing, "explain": {}}
    for page in pages:
        cache.clear()
        status, cold, _queries = count_queries(client, page.url)
        status, warm, queries = count_queries(client, page.url)
        timed = sorted(queries, key=lambda q: float(q["time"]), reverse=True)
        result["pages"][page.name] = {
            "url": page.url,
            "status": status,
            "budget": page.budget,
            "queries_cold": cold,
            "queries_warm": warm,
            # Wall time of the queries seen from Django, for finding causes.
            "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
            "slowest_sql": [
                {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:240]}
                for q in timed[:2]
            ],
        }
        if (
            args.explain
            and page.name in EXPLAINED
            and connection.vendor == "postgresql"
        ):
            cache.clear()
            _status, _n, queries = count_queries(client, page.url)
            result["explain"][page.name] = explain(queries)

    print(json.dumps(result))


if __name__ == "__main__":
    main()
