"""Server time and query count of the quota dashboard and its Excel reports on the current database.

Run on PostgreSQL with the demo at --scale 10 (see docs/benchmarks.md):

    CANBO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench .venv/bin/python bench/bench_dashboard.py

Each page is requested in-process through Django's test client as the city administrator (server
time: routing, access policy, queries, template rendering; no network), after two warm-up
requests. The target of issue 4: the dashboard of the whole province, p95 under 300 ms. The
Excel exports are timed the same way, with fewer runs (`--export-runs`). The dashboard keeps a
report in memory until the next write (AuditEvent), so it is timed both "cold" (as after a
write: the figures are computed) and "warm". Prints JSON and a Markdown table.
"""

import argparse
import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import measure  # noqa: E402  (bench/timing.py, beside this script)

from canbo.dashboard import selectors  # noqa: E402
from canbo.org.models import Position, Unit, UnitKind  # noqa: E402
from canbo.people.models import Person  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--user", default="admin")
    args = parser.parse_args()

    user = get_user_model().objects.get(username=args.user)
    client = Client()
    client.force_login(user)

    root = Unit.objects.get_root_nodes().first()
    ward = (
        Unit.objects.filter(
            kind=UnitKind.AFFILIATED_COMMITTEE, name__contains="phường Ba Đình"
        ).first()
        or root
    )
    # The direct sub-unit of the root with the most records below it: the heaviest branch.
    busiest_path = (
        Person.objects.filter(unit__depth__gte=2)
        .annotate(branch=Substr("unit__path", 1, 2 * Unit.steplen))
        .values("branch")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("branch", flat=True)
        .first()
    )
    busiest = Unit.objects.filter(path=busiest_path).first() or root

    def url(name: str, unit: Unit, query: str = "") -> str:
        return reverse(name, kwargs={"unit_id": unit.pk}) + query

    def cold() -> None:
        # Forget the reports kept in memory: the first view after a write computes them again.
        selectors._REPORTS.clear()

    cases = [
        (
            "dashboard: whole province, cold (after a write)",
            url("dashboard:unit", root),
            args.runs,
            cold,
        ),
        (
            "dashboard: whole province, warm (no write since)",
            url("dashboard:unit", root),
            args.runs,
            None,
        ),
        (
            f"dashboard: largest branch, cold ({busiest.name})",
            url("dashboard:unit", busiest),
            args.runs,
            cold,
        ),
        ("dashboard: a ward, cold", url("dashboard:unit", ward), args.runs, cold),
        (
            "drill-down: women, province, page 1",
            url("dashboard:drilldown", root, "?chi_so=women"),
            args.runs,
            None,
        ),
        (
            "drill-down: non-local heads, province",
            url("dashboard:drilldown", root, "?chi_so=heads_non_local"),
            args.runs,
            None,
        ),
        (
            "Excel: quota table, province, cold",
            url("dashboard:export_quotas", root),
            args.export_runs,
            cold,
        ),
        (
            "Excel: people list, province",
            url("dashboard:export_people", root),
            args.export_runs,
            None,
        ),
    ]
    results = []
    for label, target, runs, before in cases:
        row = measure(client, target, runs, before)
        row["page"] = label
        results.append(row)
        print(
            f"{label:50s} median {row['median_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  queries {row['queries']}",
            file=sys.stderr,
        )

    meta = {
        "database": connection.vendor,
        "people": Person.objects.count(),
        "units": Unit.objects.count(),
        "seats": Position.objects.count(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "runs_per_page": args.runs,
        "runs_per_export": args.export_runs,
    }
    print(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2))
    print("\n| page | median ms | p95 ms | queries | bytes |\n| --- | ---: | ---: | ---: | ---: |")
    for row in results:
        print(
            f"| {row['page']} | {row['median_ms']} | {row['p95_ms']} | {', '.join(map(str, row['queries']))} | {row['bytes']:,} |"
        )


if __name__ == "__main__":
    main()
