"""Time the regulations engine on the current database and print JSON.

    CANBO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench .venv/bin/python bench/bench_rules.py

Measures, for the root unit (or --unit): the full compliance check of the whole subtree (all
people, all units) with its wall time, query count and memory (the process's peak resident size
before and after it; with --tracemalloc, a second run traces its Python allocations); the
deadlines over a year; and the
eligibility of one person for one seat (median of --runs, after a warm-up). Targets (issue 3):
full check under 30 s and 1 GiB for a 200,000-person province; one eligibility under 50 ms.
"""

import argparse
import datetime as dt
import json
import os
import platform
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from canbo.org.models import Position, Unit  # noqa: E402
from canbo.people.models import Assignment, Person  # noqa: E402
from canbo.regulations.calendar import add_months  # noqa: E402
from canbo.regulations.compliance import check_unit  # noqa: E402
from canbo.regulations.deadlines import deadlines_in  # noqa: E402
from canbo.regulations.eligibility import evaluate_eligibility  # noqa: E402


def timed(func):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = func()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries.captured_queries)


def peak_rss_mib() -> float:
    # ru_maxrss is KiB on Linux.
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", type=int, help="root of the check (default: the first root unit)")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="YYYY-MM-DD")
    parser.add_argument("--runs", type=int, default=20, help="eligibility runs")
    parser.add_argument("--tracemalloc", action="store_true", help="also trace the check's Python allocations (slower)")
    args = parser.parse_args()
    on = dt.date.fromisoformat(args.date)
    root = Unit.objects.get(pk=args.unit) if args.unit else Unit.objects.get_root_nodes().first()
    if root is None:
        sys.exit("bench_rules: the database has no units (load the demo first: canbo demo --scale 10)")

    people = Person.objects.filter(unit__path__startswith=root.path).count()
    units = Unit.objects.filter(path__startswith=root.path).count()
    assignments = Assignment.objects.filter(Assignment.current_on_q(on), position__unit__path__startswith=root.path).count()

    rss_before = peak_rss_mib()
    report, check_s, check_queries = timed(lambda: check_unit(root, on))
    rss_after = peak_rss_mib()
    python_peak = None
    if args.tracemalloc:
        # A second run under tracemalloc (which slows Python down): what the check allocates.
        tracemalloc.start()
        check_unit(root, on)
        python_peak = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()

    deadlines, deadlines_s, deadlines_queries = timed(lambda: deadlines_in(root, on, add_months(on, 12) - dt.timedelta(days=1)))

    # One person (a holder of a leadership seat) for one seat of a committee in the subtree.
    seat = (
        Position.objects.filter(unit__path__startswith=root.path, title__is_leadership=True, title__is_head=False)
        .select_related("unit", "title")
        .order_by("-unit__depth", "id")
        .first()
    )
    holder = (
        Assignment.objects.filter(Assignment.current_on_q(on), position__unit__path__startswith=root.path,
                                  position__title__is_leadership=True)  # fmt: skip
        .exclude(position=seat)
        .select_related("person")
        .first()
    )
    eligibility = None
    if seat is not None and holder is not None:
        evaluate_eligibility(holder.person, "appoint", seat, on)  # warm-up (parameters, caches)
        times, queries = [], set()
        for _ in range(args.runs):
            decision, elapsed, count = timed(lambda: evaluate_eligibility(holder.person, "appoint", seat, on))
            times.append(elapsed * 1000)
            queries.add(count)
        eligibility = {
            "person_id": holder.person_id,
            "position_id": seat.pk,
            "median_ms": round(statistics.median(times), 2),
            "max_ms": round(max(times), 2),
            "queries": sorted(queries),
            "eligible": decision.eligible,
            "target_ms": 50,
        }

    result = {
        "database": connection.vendor,
        "python": platform.python_version(),
        "date": on.isoformat(),
        "unit": {"id": root.pk, "name": root.name},
        "size": {"people": people, "units": units, "current_assignments": assignments},
        "full_check": {
            "seconds": round(check_s, 2),
            "queries": check_queries,
            "findings": len(report.findings),
            "counts": report.counts(),
            "process_peak_rss_mib_before": rss_before,
            "process_peak_rss_mib_after": rss_after,
            "python_peak_mib": python_peak,
            "target_seconds": 30,
            "target_mib": 1024,
        },
        "deadlines_12_months": {"seconds": round(deadlines_s, 2), "queries": deadlines_queries, "items": len(deadlines.items)},
        "eligibility": eligibility,
        "process_peak_rss_mib": peak_rss_mib(),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
