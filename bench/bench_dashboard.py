"""Server time and query count of the quota dashboard and its Excel reports on the current database.

Run on PostgreSQL with the demo at --scale 10 (see docs/benchmarks.md):

    CANBO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench .venv/bin/python bench/bench_dashboard.py

Each page is requested in-process through Django's test client as the city administrator (server
time: routing, access policy, queries, template rendering; no network), after two warm-up
requests. The target of issue 4: the dashboard of the whole province, p95 under 300 ms. The
Excel exports are timed the same way, with fewer runs (`--export-runs`).

The dashboard reads every unit's figures for a day from memory (`canbo.dashboard.rollup`), built
at the first view of that day in a process and kept current with each write, so it is timed three
ways: after a write through the people service before each view (the usual case: an office edits
records and a leader looks), with no write since, and as the first view of the day in a new
process (`--build-runs`: every unit's figures built). Prints JSON and a Markdown table.
"""

import argparse
import datetime as dt
import itertools
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
from django.db.models import Count, Exists, OuterRef  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import measure  # noqa: E402  (bench/timing.py, beside this script)

from canbo.common.dates import today  # noqa: E402
from canbo.dashboard import selectors  # noqa: E402
from canbo.org.models import Position, Unit, UnitKind  # noqa: E402
from canbo.people.models import Assignment, Person  # noqa: E402
from canbo.people.services import person_update  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--export-runs", type=int, default=5)
    parser.add_argument("--build-runs", type=int, default=10)
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

    def first_view() -> None:
        # Forget the figures kept in memory: the first view of a day in a new process builds
        # every unit's figures.
        selectors.ROLLUPS.clear()

    writes = _writer(user)

    cases = [
        (
            "dashboard: whole province, after a write",
            url("dashboard:unit", root),
            args.runs,
            writes,
        ),
        (
            "dashboard: whole province, no write since",
            url("dashboard:unit", root),
            args.runs,
            None,
        ),
        (
            "dashboard: whole province, first view of the day in a new process",
            url("dashboard:unit", root),
            args.build_runs,
            first_view,
        ),
        (
            f"dashboard: largest branch, after a write ({busiest.name})",
            url("dashboard:unit", busiest),
            args.runs,
            writes,
        ),
        ("dashboard: a ward, after a write", url("dashboard:unit", ward), args.runs, writes),
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
            "Excel: quota table, province, after a write",
            url("dashboard:export_quotas", root),
            args.export_runs,
            writes,
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
        "runs_per_build": args.build_runs,
    }
    print(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2))
    print("\n| page | median ms | p95 ms | queries | bytes |\n| --- | ---: | ---: | ---: | ---: |")
    for row in results:
        print(
            f"| {row['page']} | {row['median_ms']} | {row['p95_ms']} | {', '.join(map(str, row['queries']))} | {row['bytes']:,} |"
        )


def _writer(user):
    """A write through the people service before each timed view, as an officer's edit: in turn
    a cadre's political theory level, and a head's years of residence (which decides whether the
    head is local, for the seat's unit, wherever the head's record is kept)."""
    serving = Person.objects.filter(
        Exists(Assignment.objects.filter(Assignment.current_on_q(today()), person=OuterRef("pk")))
    )
    cadres = list(serving.order_by("id")[::1000][:40])
    heads = list(
        serving.filter(assignments__position__title__is_head=True, residence__isnull=False)
        .distinct()
        .order_by("id")[::200][:40]
    )
    turn = itertools.count()

    def write() -> None:
        n = next(turn)
        person = (cadres if n % 2 else heads)[n // 2 % 40]
        person.refresh_from_db()
        if n % 2:
            level = 3 if person.political_theory != 3 else 2
            person_update(actor=user, person=person, political_theory=level)
        else:
            since = person.residence_since or dt.date(2010, 1, 1)
            person_update(
                actor=user, person=person, residence_since=since - dt.timedelta(days=3650)
            )

    return write


if __name__ == "__main__":
    main()
