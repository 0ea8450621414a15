"""Load generators: wrk for saturation, a small open-loop client for latency.

wrk (from Debian) finds how many requests per second a page can take. Debian
ships no constant-rate wrk, so latency at a chosen rate is measured by the
open-loop client below: requests are scheduled at fixed moments and each
latency counts from its scheduled moment, so a slow server cannot hide its
queue by slowing the client down.
"""

import http.client
import queue
import re
import statistics
import subprocess
import threading
import time
from urllib.parse import urlsplit

_RPS = re.compile(r"Requests/sec:\s+([\d.]+)")
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_ERRORS = re.compile(r"Socket errors:.*")


def wrk(url: str, *, seconds: int, connections: int = 8, threads: int = 2) -> dict:
    """Return the requests per second wrk reached on url, with its error counts."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        url,
    ]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    rps = float(_RPS.search(output).group(1))
    non_2xx = _NON_2XX.search(output)
    errors = _ERRORS.search(output)

    return {
        "rps": rps,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": errors.group(0) if errors else "",
    }


class _Connections(threading.local):
    conn: http.client.HTTPConnection | None = None


def _get(local: _Connections, host: str, port: int, path: str) -> int:
    if local.conn is None:
        local.conn = http.client.HTTPConnection(host, port, timeout=60)
    try:
        local.conn.request("GET", path)
        response = local.conn.getresponse()
        response.read()
    except (OSError, http.client.HTTPException):
        local.conn.close()
        local.conn = None
        raise
    if response.getheader("connection", "").lower() == "close":
        local.conn.close()
        local.conn = None

    return response.status


def percentiles(values: list[float]) -> dict:
    ordered = sorted(values)

    def at(share: float) -> float:
        index = min(len(ordered) - 1, int(share * len(ordered)))
        return round(ordered[index] * 1000, 1)

    return {
        "p50_ms": at(0.50),
        "p90_ms": at(0.90),
        "p99_ms": at(0.99),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def fixed_rate(url: str, *, rate: float, seconds: float, workers: int = 32) -> dict:
    """Send GETs at a fixed rate and return latency percentiles from schedule."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    total = max(1, int(rate * seconds))
    start = time.monotonic() + 0.2
    todo: queue.Queue = queue.Queue()
    for index in range(total):
        todo.put(start + index / rate)
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    local = _Connections()

    def work() -> None:
        while True:
            try:
                scheduled = todo.get_nowait()
            except queue.Empty:
                return
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            try:
                status = _get(local, parts.hostname, parts.port, path)
                ok = status < 400
            except (OSError, http.client.HTTPException):
                ok = False
            elapsed = time.monotonic() - scheduled
            with lock:
                latencies.append(elapsed)
                failures[0] += 0 if ok else 1

    pool = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=seconds + 120)

    return {
        "rate": round(rate, 1),
        "requests": len(latencies),
        "failures": failures[0],
        **percentiles(latencies),
    }


def mixed(
    urls: list[str], *, requests: int, workers: int = 8, seconds: float = 1200
) -> dict:
    """Send `requests` GETs spread over urls, as fast as they return.

    Stops early after `seconds`; the count actually sent is returned.
    """
    counter = iter(range(requests))
    lock = threading.Lock()
    failures = [0]
    sent = [0]
    local = _Connections()
    started = time.monotonic()
    deadline = started + seconds

    def work() -> None:
        while True:
            with lock:
                index = next(counter, None)
                if index is not None:
                    sent[0] += 1
            if index is None or time.monotonic() > deadline:
                return
            parts = urlsplit(urls[index % len(urls)])
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            try:
                ok = _get(local, parts.hostname, parts.port, path) < 400
            except (OSError, http.client.HTTPException):
                ok = False
            if not ok:
                with lock:
                    failures[0] += 1

    pool = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()

    return {
        "requests": sent[0],
        "failures": failures[0],
        "seconds": round(time.monotonic() - started, 1),
    }


def download(url: str, *, on_chunk=None, every: float = 0.5) -> dict:
    """Stream url to nowhere; return time to first byte, duration, rows, bytes.

    on_chunk is called at most every `every` seconds while the body arrives,
    to sample the server's memory during a long download.
    """
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    started = time.monotonic()
    conn.request("GET", path)
    response = conn.getresponse()
    first_byte = None
    size = lines = 0
    last_sample = started
    while chunk := response.read1(65536):
        now = time.monotonic()
        if first_byte is None:
            first_byte = now - started
        size += len(chunk)
        lines += chunk.count(b"\n")
        if on_chunk and now - last_sample >= every:
            on_chunk()
            last_sample = now
    seconds = time.monotonic() - started
    conn.close()

    return {
        "status": response.status,
        "first_byte_s": round(first_byte or seconds, 3),
        "seconds": round(seconds, 2),
        "bytes": size,
        # One header line; the fictional data has no line breaks in cells.
        "rows": max(lines - 1, 0),
    }


def summary(values: list[float]) -> dict:
    """Return the median and the spread (min, max) of a few rounds."""
    return {
        "median": round(statistics.median(values), 3),
        "min": round(min(values), 3),
        "max": round(max(values), 3),
        "rounds": [round(v, 3) for v in values],
    }
