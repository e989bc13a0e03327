"""Timing of pages through Django's test client, shared by the page benchmarks.

Import after django.setup(). Server time only: routing, access policy, queries, rendering.
"""

import statistics
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def measure(client: Client, url: str, runs: int, before=None, **headers) -> dict:
    """Median and p95 of `runs` GETs of `url` after two warm-ups; `before` runs ahead of each
    request (e.g. to drop a cache and time the cold path)."""
    for _ in range(2):
        if before:
            before()
        response = client.get(url, **headers)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    queries = set()
    size = 0
    for _ in range(runs):
        if before:
            before()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url, **headers)
            body = response.content
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries.add(len(ctx.captured_queries))
        size = len(body)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {
        "url": url,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(p95, 1),
        "queries": sorted(queries),
        "bytes": size,
    }
