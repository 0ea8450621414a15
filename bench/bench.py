"""The benchmark: production-like gunicorn on PostgreSQL, fictional data, wrk.

For each scale (realistic, stress) it makes a PostgreSQL database, fills it
with the generate_fake_data command, counts the SQL queries of every public
page, starts gunicorn with deploy/gunicorn.conf.py, and measures:

- each page's throughput as a ratio to /healthz and to a trivial view that
  goes through the whole middleware stack, interleaved, over several rounds
  (the machine is noisy, so only ratios within one run are compared);
- latency percentiles at half of each page's saturation rate;
- at stress scale, the database time of the plan as of a past date and of the
  French search (EXPLAIN ANALYZE), and worker memory after 10,000 requests.

It writes bench/results/latest.json and prints a table that compares every
figure with the goals of DESIGN.md. Start it with bench/run.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import load
from goals import UNCACHED_PAGES

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"
# A trivial view through every middleware: GET on Django's set_language view
# answers at once without touching the database.
FULL_STACK_PING = "/i18n/setlang/"


def log(message: str) -> None:
    stamp = datetime.datetime.now().strftime("%H:%M:%S")
    print(f"[bench {stamp}] {message}", flush=True)


def psql(admin_url: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", admin_url, "-qAtc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare_database(args, scale: str, env: dict) -> None:
    """Create the scale's database and fill it, unless --reuse finds it ready."""
    name = f"{args.db_prefix}_{scale}"
    exists = psql(args.pg, f"SELECT 1 FROM pg_database WHERE datname = '{name}'")
    if exists and args.reuse:
        log(f"reusing database {name}")
        return
    psql(args.pg, f'DROP DATABASE IF EXISTS "{name}"')
    psql(args.pg, f'CREATE DATABASE "{name}"')
    log(f"database {name}: migrating")
    manage(env, "migrate", "--noinput", "-v0")
    started = time.monotonic()
    manage(env, "generate_fake_data", "--scale", scale)
    log(f"{scale} data generated in {time.monotonic() - started:.0f} s")
    psql(env["DATABASE_URL"], "VACUUM ANALYZE")


class Server:
    """gunicorn as in production, on loopback, for one database."""

    def __init__(self, env: dict, port: int, logfile: Path, **overrides: str):
        self.port = port
        self.env = {**env, **overrides}
        self.logfile = logfile
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        command = [
            GUNICORN,
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{self.port}",
            "ogp_tracker.wsgi",
        ]
        with open(self.logfile, "a") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2):
                    return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start; see {self.logfile}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def worker_memory(self) -> list[dict]:
        """Return RSS and PSS (MB) of each worker process."""
        children = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout.split()
        workers = []
        for pid in children:
            fields = {}
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    parts = line.split()
                    if parts[0] in ("Rss:", "Pss:"):
                        fields[parts[0][:-1].lower()] = int(parts[1]) / 1024
            except OSError:
                continue
            workers.append(
                {"pid": int(pid), **{k: round(v, 1) for k, v in fields.items()}}
            )

        return workers


def warm_up(server: Server, pages: dict) -> None:
    for page in pages.values():
        for _ in range(3):
            try:
                urllib.request.urlopen(server.url(page["url"]), timeout=60).read()
            except OSError as error:
                log(f"warm-up of {page['url']} failed: {error}")


def throughput(args, server: Server, pages: dict) -> dict:
    """Measure each page and both pings, interleaved, over several rounds."""
    names = list(pages)
    runs: dict[str, list[dict]] = {name: [] for name in names}
    runs["healthz"], runs["ping_full_stack"] = [], []
    for number in range(args.rounds):
        # A different order each round, so no page always follows the same one.
        order = names[number % len(names) :] + names[: number % len(names)]
        ping_before = load.wrk(server.url("/healthz"), seconds=args.seconds)
        full_before = load.wrk(server.url(FULL_STACK_PING), seconds=args.seconds)
        for name in order:
            result = load.wrk(
                server.url(pages[name]["url"]),
                seconds=args.seconds,
                connections=args.connections,
            )
            runs[name].append(result)
            log(f"  {name}: {result['rps']:.1f} req/s, non-2xx {result['non_2xx']}")
        ping_after = load.wrk(server.url("/healthz"), seconds=args.seconds)
        full_after = load.wrk(server.url(FULL_STACK_PING), seconds=args.seconds)
        ping = (ping_before["rps"] + ping_after["rps"]) / 2
        full = (full_before["rps"] + full_after["rps"]) / 2
        runs["healthz"].append({"rps": ping})
        runs["ping_full_stack"].append({"rps": full})
        for name in order:
            runs[name][-1]["ratio_healthz"] = runs[name][-1]["rps"] / ping
            runs[name][-1]["ratio_full_stack"] = runs[name][-1]["rps"] / full
        log(f"round {number + 1}/{args.rounds}: healthz {ping:.0f} req/s")

    results = {}
    for name, rounds in runs.items():
        entry = {"rps": load.summary([r["rps"] for r in rounds])}
        if "ratio_healthz" in rounds[0]:
            entry["ratio_healthz"] = load.summary([r["ratio_healthz"] for r in rounds])
            entry["ratio_full_stack"] = load.summary(
                [r["ratio_full_stack"] for r in rounds]
            )
            entry["non_2xx"] = sum(r["non_2xx"] for r in rounds)
        results[name] = entry

    return results


def latency(args, server: Server, pages: dict, rates: dict) -> dict:
    results = {}
    for name, page in pages.items():
        rate = min(rates[name]["rps"]["median"] / 2, args.max_rate)
        if rate < 0.5:
            results[name] = {"rate": rate, "note": "too slow to measure latency"}
            continue
        results[name] = load.fixed_rate(
            server.url(page["url"]), rate=rate, seconds=args.latency_seconds
        )
        log(f"latency {name} at {rate:.0f}/s: p99 {results[name]['p99_ms']} ms")

    return results


def memory(server: Server, pages: dict, seconds: float) -> dict:
    """Worker memory after 2,000 and after 10,000 mixed requests."""
    urls = [server.url(page["url"]) for page in pages.values()]
    before = server.worker_memory()
    started = time.monotonic()
    first = load.mixed(urls, requests=2000, workers=16, seconds=seconds)
    after_2000 = server.worker_memory()
    left = max(seconds - (time.monotonic() - started), 1)
    rest = load.mixed(urls, requests=8000, workers=16, seconds=left)
    after_10000 = server.worker_memory()
    # gthread workers share the load unevenly: a worker still near its start
    # size after 2,000 requests has barely served, and its later growth is
    # warming up, not a leak. Growth is read on the workers already warm.
    start = {w["pid"]: w["rss"] for w in before}
    at_2000 = {w["pid"]: w["rss"] for w in after_2000}
    warm = {pid: rss for pid, rss in at_2000.items() if rss > start.get(pid, rss) + 10}
    growth = [
        100 * (w["rss"] / warm[w["pid"]] - 1) for w in after_10000 if w["pid"] in warm
    ]
    peak_10000 = max(w["rss"] for w in after_10000)

    return {
        "at_start": before,
        "after_2000": after_2000,
        "after_10000": after_10000,
        "max_rss_mb_after_10000": peak_10000,
        "max_pss_mb_after_10000": max(w["pss"] for w in after_10000),
        "growth_2000_to_10000_pct": round(max(growth), 1) if growth else None,
        "warm_workers_at_2000": len(warm),
        "requests": first["requests"] + rest["requests"],
        "failures": first["failures"] + rest["failures"],
        "seconds": first["seconds"] + rest["seconds"],
    }


def export(args, static_root: str, workdir: Path) -> dict:
    """Download the 1,000,000-row milestone CSV; watch time and worker memory."""
    env = base_env(args, "export", static_root)
    prepare_database(args, "export", env)
    path = "/fr/plans/demo-plan-01/commitments/milestones/export.csv"
    logfile = workdir / "gunicorn-export.log"
    with Server(env, args.port, logfile) as server:
        # A first, small file loads the export code in the workers.
        load.download(server.url(path + "?institution=demo-ministere-01"))
        before = {w["pid"]: w["rss"] for w in server.worker_memory()}
        peaks = dict(before)

        def sample() -> None:
            for worker in server.worker_memory():
                pid = worker["pid"]
                peaks[pid] = max(peaks.get(pid, 0), worker["rss"])

        result = load.download(server.url(path), on_chunk=sample)
        sample()
    growth = max(peaks[pid] - rss for pid, rss in before.items() if pid in peaks)
    timeouts = logfile.read_text().count("WORKER TIMEOUT")

    return {
        "url": path,
        **result,
        "rows_per_s": round(result["rows"] / result["seconds"]),
        "memory_growth_mb": round(growth, 1),
        "worker_rss_before_mb": before,
        "worker_timeouts": timeouts,
    }


def measure_db(env: dict, explain: bool) -> dict:
    command = [PYTHON, str(ROOT / "bench" / "measure_db.py")]
    if explain:
        command.append("--explain")
    output = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout

    return json.loads(output.strip().splitlines()[-1])


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    versions = subprocess.run(
        [PYTHON, "-c", "import django; print(django.get_version())"],
        capture_output=True,
        text=True,
    ).stdout.strip()

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": versions,
        "postgresql": subprocess.run(
            ["psql", "--version"], capture_output=True, text=True
        ).stdout.strip(),
        "wrk": shutil.which("wrk") or "",
    }


def base_env(args, scale: str, static_root: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CACHE_", "GUNICORN_", "WEB_"))
    }
    admin = args.pg.rsplit("/", 1)[0]
    env.update(
        DJANGO_SETTINGS_MODULE="ogp_tracker.settings",
        DATABASE_URL=f"{admin}/{args.db_prefix}_{scale}",
        # The performance-relevant settings of .env.example; HTTPS stays off
        # because wrk talks plain HTTP on loopback.
        DEBUG="false",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_POOL="true",
        DATABASE_POOL_MIN_SIZE="1",
        DATABASE_POOL_MAX_SIZE="4",
        # Production recycles each worker after about 2,000 requests; at
        # thousands of pings a second that would restart a worker every
        # second and charge the ping for it, so recycling is off here.
        GUNICORN_MAX_REQUESTS="0",
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_THREADS="4",
        GUNICORN_ACCESS_LOG="",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
    )
    if args.redis:
        env["CACHE_URL"] = args.redis

    return env


def run_scale(args, scale: str, static_root: str, workdir: Path) -> dict:
    env = base_env(args, scale, static_root)
    prepare_database(args, scale, env)
    db = measure_db({**env, "CACHE_URL": "locmemcache://bench"}, scale == "stress")
    pages = {name: page for name, page in db["pages"].items() if page["status"] == 200}
    broken = {n: p["status"] for n, p in db["pages"].items() if p["status"] != 200}
    if broken:
        log(f"pages not answering 200, left out: {broken}")
    result = {"db": db, "left_out": broken}

    with Server(env, args.port, workdir / f"gunicorn-{scale}.log") as server:
        warm_up(server, pages)
        result["throughput"] = throughput(args, server, pages)
        result["latency"] = latency(args, server, pages, result["throughput"])
    # Pages rendered on every request: with no cache at all, the page cache
    # cannot keep them. The "uncached" goal, and what a change costs.
    rendered = {name: pages[name] for name in UNCACHED_PAGES if name in pages}
    if rendered:
        dummy = {"CACHE_URL": "dummycache://"}
        log_name = f"gunicorn-nocache-{scale}.log"
        with Server(env, args.port, workdir / log_name, **dummy) as server:
            warm_up(server, rendered)
            result["uncached"] = throughput(args, server, rendered)
    if scale == args.memory_scale and not args.skip_memory:
        # Recycling is off (see base_env) so that growth shows.
        with Server(env, args.port, workdir / "gunicorn-memory.log") as s:
            result["memory"] = memory(s, pages, args.memory_seconds)

    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="realistic,stress")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5, help="per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--latency-seconds", type=int, default=10)
    parser.add_argument("--max-rate", type=float, default=300)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8108)
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--db-prefix", default="ogp_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--reuse", action="store_true", help="keep filled databases")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument(
        "--memory-seconds", type=float, default=900, help="bound of the 10,000"
    )
    parser.add_argument("--memory-scale", default="stress")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--output", default=str(RESULTS / "latest.json"))
    args = parser.parse_args()

    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="ogp-bench-"))
    static_root = str(workdir / "static")
    env = base_env(args, "realistic", static_root)
    manage(env, "collectstatic", "--noinput", "-v0")
    results = {
        "started_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            key: getattr(args, key)
            for key in (
                "rounds",
                "seconds",
                "connections",
                "latency_seconds",
                "workers",
            )
        },
        "scales": {},
    }
    for scale in args.scales.split(","):
        log(f"== {scale}")
        results["scales"][scale] = run_scale(args, scale, static_root, workdir)
    if not args.skip_export:
        log("== export of 1,000,000 rows")
        results["export"] = export(args, static_root, workdir)

    from goals import compare, table

    results["goals"] = compare(results)
    results["duration_s"] = round(time.monotonic() - started)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    text = table(results)
    output.with_suffix(".md").write_text(text + "\n")
    print(text)
    log(f"results in {output} (logs in {workdir})")


if __name__ == "__main__":
    sys.exit(main())
