"""A per-account posting limit kept in Django's cache.

The counter lives in the shared cache, so with Redis every server sees the
same count; ``cache.add`` and ``cache.incr`` are atomic there. With the
default local-memory cache each process counts on its own.
"""

import time

from django.core.cache import cache


def hit(scope: str, key: str, *, limit: int, window: int) -> int | None:
    """Count one attempt; return the seconds to wait if over the limit, else None."""
    now = time.time()
    window_start = int(now // window) * window
    cache_key = f"community:rl:{scope}:{key}:{window_start}"

    # add() only sets a missing key, so two servers never reset each other.
    cache.add(cache_key, 0, timeout=window + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:
        # The key expired between add() and incr(): this is a new window.
        cache.add(cache_key, 1, timeout=window + 5)
        count = 1

    if count > limit:
        return max(1, int(window_start + window - now) + 1)
    return None
