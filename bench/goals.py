"""Compare benchmark results with the performance goals of DESIGN.md."""

QUERY_BUDGETS = {"dashboard": 8, "commitment": 10, "list": 6}
UNCACHED_PAGES = ("dashboard", "commitment_50_comments")


def _get(data: dict, *keys, default=None):
    for key in keys:
        if not isinstance(data, dict) or key not in data:
            return default
        data = data[key]
    return data


def _ratio(results: dict, scale: str, page: str, section: str = "throughput"):
    return _get(results, "scales", scale, section, page, "ratio_healthz", "median")


def compare(results: dict) -> list[dict]:
    """Return one row per goal: what was measured and whether the goal holds."""
    rows = []

    def goal(name: str, target: str, measured, holds, note: str = "") -> None:
        rows.append(
            {
                "goal": name,
                "target": target,
                "measured": measured,
                "holds": holds,
                "note": note,
            }
        )

    realistic = _get(results, "scales", "realistic", "db", "pages", default={})
    stress = _get(results, "scales", "stress", "db", "pages", default={})
    for name, page in sorted(realistic.items()):
        other = stress.get(name)
        if other is not None:
            same = page["queries_warm"] == other["queries_warm"]
            goal(
                f"queries {name}: realistic = stress",
                "equal",
                f"{page['queries_warm']} / {other['queries_warm']}",
                same,
            )
        # A page's own cost is its warm count: the cold one adds the query
        # that fills a cache shared by every page (the footer's level).
        budget = QUERY_BUDGETS.get(page["budget"])
        if budget:
            worst = max(page["queries_warm"], (other or page)["queries_warm"])
            cold = max(page["queries_cold"], (other or page)["queries_cold"])
            goal(
                f"queries {name}",
                f"<= {budget}",
                worst,
                worst <= budget,
                f"{cold} with the shared cache cold",
            )
    for name, page in sorted(stress.items()):
        if name not in realistic and page["budget"] in QUERY_BUDGETS:
            budget = QUERY_BUDGETS[page["budget"]]
            goal(
                f"queries {name} (stress only)",
                f"<= {budget}",
                page["queries_warm"],
                page["queries_warm"] <= budget,
                f"{page['queries_cold']} with the shared cache cold",
            )
    missing = sorted(
        set(_get(results, "scales", "realistic", "db", "missing", default=[]))
        | set(_get(results, "scales", "stress", "db", "missing", default=[]))
    )
    if missing:
        goal("pages measured", "all public pages", f"missing: {missing}", None)

    uncached = _ratio(results, "realistic", "dashboard", "uncached")
    goal(
        "uncached dashboard / healthz",
        ">= 0.10",
        uncached,
        None if uncached is None else uncached >= 0.10,
        "realistic scale, CACHE_URL=dummycache://",
    )
    warm = _ratio(results, "realistic", "dashboard")
    goal(
        "dashboard with the production cache / healthz",
        ">= 0.5",
        warm,
        None if warm is None else warm >= 0.5,
        "realistic scale, Redis cache",
    )
    typical = _ratio(results, "realistic", "commitment_50_comments")
    goal(
        "commitment page with 50 comments / healthz",
        ">= 0.08",
        typical,
        None if typical is None else typical >= 0.08,
        "realistic scale, Redis cache",
    )
    rendered = _ratio(results, "realistic", "commitment_50_comments", "uncached")
    goal(
        "commitment page with 50 comments, uncached / healthz",
        ">= 0.08",
        rendered,
        None if rendered is None else rendered >= 0.08,
        "realistic scale, CACHE_URL=dummycache://",
    )
    for name in UNCACHED_PAGES:
        low = _ratio(results, "realistic", name, "uncached")
        high = _ratio(results, "stress", name, "uncached")
        if low and high:
            share = round(high / low, 2)
            goal(
                f"stress / realistic throughput: {name}, uncached",
                ">= 0.9",
                share,
                share >= 0.9,
            )
    for name in sorted(_get(results, "scales", "realistic", "throughput", default={})):
        if name in ("healthz", "ping_full_stack"):
            continue
        low = _ratio(results, "realistic", name)
        high = _ratio(results, "stress", name)
        if low and high:
            share = round(high / low, 2)
            goal(
                f"stress / realistic throughput: {name}", ">= 0.9", share, share >= 0.9
            )
    typical_stress = _ratio(results, "stress", "commitment_50_comments")
    for name in ("commitment_hot_first_page", "commitment_hot_last_page"):
        hot = _ratio(results, "stress", name)
        if hot and typical_stress:
            cost = round(typical_stress / hot, 2)
            goal(
                f"{name} cost / 50-comment page",
                "<= 1.5",
                cost,
                cost <= 1.5,
                "stress scale, 5,000 comments",
            )
        else:
            goal(f"{name} cost / 50-comment page", "<= 1.5", None, None, "not measured")

    export = _get(results, "export")
    if export:
        growth = export.get("memory_growth_mb")
        goal(
            "export: memory growth",
            "<= 16 MB",
            growth,
            growth is not None and growth <= 16,
        )
        rate = export.get("rows_per_s")
        goal(
            "export: rows per second",
            ">= 30,000",
            rate,
            rate is not None and rate >= 30000,
        )
        first = export.get("first_byte_s")
        goal(
            "export: time to first byte",
            "<= 0.5 s",
            first,
            first is not None and first <= 0.5,
        )
    else:
        goal(
            "CSV export of 1,000,000 rows", "see DESIGN.md", None, None, "not measured"
        )

    for name, label in (
        ("dashboard_as_of", "plan as of a past date"),
        ("search_fr", "French search"),
    ):
        explained = _get(results, "scales", "stress", "db", "explain", name)
        if explained:
            ms = explained["database_ms"]
            scans = explained["seq_scans_on_history"]
            goal(
                f"{label}: database time at stress scale",
                "<= 60 ms, no seq scan on history",
                f"{ms} ms, seq scans: {scans or 'none'}",
                ms <= 60 and not scans,
            )
        else:
            goal(
                f"{label}: database time at stress scale",
                "<= 60 ms",
                None,
                None,
                "not measured",
            )

    memory = next(
        (data["memory"] for data in results["scales"].values() if "memory" in data),
        None,
    )
    if memory:
        rss = memory["max_rss_mb_after_10000"]
        sent = memory.get("requests", 10000)
        goal(
            f"worker RSS after 10,000 requests ({sent} sent)",
            "<= 120 MB",
            rss,
            rss <= 120 if sent >= 10000 else None,
        )
        growth = memory["growth_2000_to_10000_pct"]
        goal(
            "worker RSS growth 2,000 → 10,000 (workers warm at 2,000)",
            "<= 5 %",
            growth,
            None if growth is None else growth <= 5,
        )

    return rows


def _latency(latency: dict) -> str:
    if not latency:
        return ""
    return f"{latency['p50_ms']} / {latency['p99_ms']} ms at {latency['rate']}/s"


def table(results: dict) -> str:
    """Return a short Markdown summary: throughput ratios, then the goals."""
    lines = [
        "| page | scale | queries (cold/warm) | req/s | / healthz (median, min–max) "
        "| / full-stack ping | p50 / p99 at half rate |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for scale, data in results["scales"].items():
        for name, entry in data.get("throughput", {}).items():
            db = _get(data, "db", "pages", name, default={})
            latency = _get(data, "latency", name, default={})
            ratio = entry.get("ratio_healthz")
            full = entry.get("ratio_full_stack")
            lines.append(
                "| {} | {} | {} | {:.0f} | {} | {} | {} |".format(
                    name,
                    scale,
                    f"{db['queries_cold']}/{db['queries_warm']}" if db else "",
                    entry["rps"]["median"],
                    f"{ratio['median']:.3f} ({ratio['min']:.3f}–{ratio['max']:.3f})"
                    if ratio
                    else "",
                    f"{full['median']:.3f}" if full else "",
                    _latency(latency),
                )
            )
    lines += ["", "| goal | target | measured | holds |", "| --- | --- | --- | --- |"]
    marks = {True: "yes", False: "**no**", None: "not measured"}
    for row in results["goals"]:
        note = f" ({row['note']})" if row["note"] else ""
        lines.append(
            f"| {row['goal']}{note} | {row['target']} | {row['measured']} "
            f"| {marks[row['holds']]} |"
        )

    return "\n".join(lines)
