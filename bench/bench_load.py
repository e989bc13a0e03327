"""Load benchmark: logged-in users browsing the registry against a running server.

Simulates N officers (default 50), each with its own session, browsing for a fixed time (default
120 s) with a think time between pages, against the production server (gunicorn, DEBUG off) on the
`--scale 10` PostgreSQL city. Prints JSON and a Markdown table: requests, errors, throughput and
latency percentiles (client-side, over loopback) per kind of page and overall.

The server is started separately, as in docs/deployment.md (see docs/benchmarks.md for the exact
commands). The sample of units, people and searches is read from the same database as the server
(CANBO_DATABASE_URL), so both must point at it:

    CANBO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench \\
        .venv/bin/python bench/bench_load.py --url http://127.0.0.1:8100

Bounded by design: it sends traffic only to a loopback address, for at most --duration seconds
(plus one warm-up pass), and stops by itself.
"""

import argparse
import ipaddress
import json
import os
import platform
import random
import re
import socket
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

# Page kinds and their weights in an officer's browsing: mostly their own ward's pages, now and
# then the city's tree and dashboard.
MIX = {
    "tree": 1,
    "tree children (ward)": 2,
    "unit page (ward)": 3,
    "unit page (small unit)": 3,
    "person page": 5,
    "search": 2,
    "people list": 1,
    "dashboard (city)": 1,
    "dashboard (ward)": 2,
}
SEARCHES = ["nguyen van", "tran thi", "le van h", "pham", "hoang thi lan", "vu duc"]
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def loopback_only(url: str) -> None:
    host = urlparse(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        sys.exit(f"--url: cannot resolve {host!r}")
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        print(f"--url must be a loopback address (127.0.0.0/8 or ::1), not {host!r}", file=sys.stderr)
        sys.exit(2)


def sample_targets(rng: random.Random) -> dict[str, list[str]]:
    import django

    django.setup()
    from django.db.models import Count
    from django.urls import reverse

    from canbo.org.models import Position, Unit, UnitKind
    from canbo.people.models import Person

    root = Unit.objects.get_root_nodes().first()
    wards = list(Unit.objects.filter(kind=UnitKind.AFFILIATED_COMMITTEE, dissolved_on__isnull=True).values_list("id", flat=True))
    small = list(
        Position.objects.values("unit").annotate(n=Count("id")).filter(n__lte=3).values_list("unit", flat=True)[:5000]
    )
    count = Person.objects.count()
    people = list(Person.objects.values_list("id", flat=True)[:: max(1, count // 2000)])
    wards = rng.sample(wards, min(40, len(wards)))
    small = rng.sample(small, min(200, len(small)))
    people = rng.sample(people, min(500, len(people)))
    return {
        "tree": [reverse("org:tree")],
        "tree children (ward)": [reverse("org:tree_children", args=[w]) for w in wards],
        "unit page (ward)": [reverse("org:unit_detail", args=[w]) for w in wards],
        "unit page (small unit)": [reverse("org:unit_detail", args=[u]) for u in small],
        "person page": [reverse("people:person_detail", args=[p]) for p in people],
        "search": [f"{reverse('people:person_list')}?q={q.replace(' ', '+')}" for q in SEARCHES],
        "people list": [reverse("people:person_list") + f"?page={n}" for n in range(1, 6)],
        "dashboard (city)": [reverse("dashboard:unit", args=[root.id])],
        "dashboard (ward)": [reverse("dashboard:unit", args=[w]) for w in wards],
    }


def login(session: requests.Session, base: str, username: str, password: str) -> None:
    page = session.get(f"{base}/dang-nhap/", timeout=30)
    token = CSRF_INPUT.search(page.text)
    response = session.post(
        f"{base}/dang-nhap/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token.group(1) if token else ""},
        headers={"Referer": f"{base}/dang-nhap/"},
        timeout=30,
        allow_redirects=False,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login failed for {username}: HTTP {response.status_code}")


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile (None for no values)."""
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))
    return round(ordered[index], 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8100")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=120.0, help="seconds of measured browsing")
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=8.0)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="canbo-demo")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    if not (1 <= args.users <= 200 and 1 <= args.duration <= 900):
        print("--users must be 1..200 and --duration 1..900 seconds", file=sys.stderr)
        sys.exit(2)
    base = args.url.rstrip("/")
    loopback_only(base)
    rng = random.Random(args.seed)
    targets = sample_targets(rng)
    kinds = list(MIX)
    weights = [MIX[k] for k in kinds]

    # Warm-up, not counted: every kind of page once per server process, in the way a server
    # that has been up for a while would have served them.
    warm = requests.Session()
    login(warm, base, args.user, args.password)
    for _ in range(4):
        for kind in kinds:
            warm.get(base + targets[kind][0], timeout=120)

    results: list[tuple[str, float, int]] = []
    lock = threading.Lock()
    start_barrier = threading.Barrier(args.users + 1)
    deadline: list[float] = [0.0]

    def officer(index: int) -> None:
        own = random.Random(args.seed * 1000 + index)
        session = requests.Session()
        login(session, base, args.user, args.password)
        start_barrier.wait()
        # Users do not all click at the same instant: stagger the first page over one think time.
        time.sleep(own.uniform(0, args.think_max))
        while time.monotonic() < deadline[0]:
            kind = own.choices(kinds, weights)[0]
            url = base + own.choice(targets[kind])
            began = time.perf_counter()
            try:
                status = session.get(url, timeout=60).status_code
            except requests.RequestException:
                status = 0
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                results.append((kind, elapsed, status))
            time.sleep(own.uniform(args.think_min, args.think_max))

    threads = [threading.Thread(target=officer, args=(i,), daemon=True) for i in range(args.users)]
    for thread in threads:
        thread.start()
    deadline[0] = time.monotonic() + args.duration
    start_barrier.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join(timeout=args.duration + 120)
    wall = time.monotonic() - began

    def summary(rows: list[tuple[str, float, int]]) -> dict:
        times = [ms for _k, ms, _s in rows]
        errors = sum(1 for _k, _ms, status in rows if status != 200)
        return {
            "requests": len(rows),
            "errors": errors,
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "p99_ms": percentile(times, 99),
            "max_ms": round(max(times), 1) if times else None,
            "mean_ms": round(statistics.fmean(times), 1) if times else None,
        }

    report = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
        "url": base,
        "users": args.users,
        "duration_s": args.duration,
        "think_s": [args.think_min, args.think_max],
        "wall_s": round(wall, 1),
        "throughput_rps": round(len(results) / wall, 2) if wall else None,
        "overall": summary(results),
        "pages": {kind: summary([r for r in results if r[0] == kind]) for kind in kinds},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    print()
    print("| page | requests | errors | p50 ms | p95 ms | p99 ms | max ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind, row in [*report["pages"].items(), ("**all pages**", report["overall"])]:
        print(f"| {kind} | {row['requests']} | {row['errors']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} | {row['max_ms']} |")


if __name__ == "__main__":
    main()
