"""Server time and query count of the registry's hot pages on the current database.

Run on PostgreSQL with the demo at --scale 10 (see docs/benchmarks.md):

    CANBO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench .venv/bin/python bench/bench_pages.py

Each page is requested in-process through Django's test client as the city administrator
(so the figures are server time: URL routing, access policy, queries, template rendering;
no network), after two warm-up requests. It prints JSON and a Markdown table.
"""

import argparse
import json
import os
import platform
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import measure  # noqa: E402  (bench/timing.py, beside this script)

from canbo.org.models import Position, Unit, UnitKind  # noqa: E402
from canbo.people.models import Person  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    user = get_user_model().objects.get(username=args.user)
    client = Client()
    client.force_login(user)
    htmx = {"HTTP_HX_REQUEST": "true"}

    root = Unit.objects.get_root_nodes().first()
    ward = Unit.objects.filter(kind=UnitKind.AFFILIATED_COMMITTEE, name__contains="phường Ba Đình").first()
    busiest = (
        Position.objects.values("unit").annotate(n=Count("id")).order_by("-n").values_list("unit", "n").first()
    )
    smallest = Position.objects.values("unit").annotate(n=Count("id")).order_by("n").values_list("unit", "n").first()
    person_ids = list(Person.objects.values_list("id", flat=True)[:: max(1, Person.objects.count() // 200)])
    people = rng.sample(person_ids, min(5, len(person_ids)))

    cases = [
        ("tree (roots)", reverse("org:tree"), {}),
        ("tree children of the city", reverse("org:tree_children", kwargs={"unit_id": root.pk}), htmx),
        ("tree children of a ward", reverse("org:tree_children", kwargs={"unit_id": ward.pk}), htmx),
        ("unit page: the city committee", reverse("org:unit_detail", kwargs={"unit_id": root.pk}), {}),
        ("unit page: a ward", reverse("org:unit_detail", kwargs={"unit_id": ward.pk}), {}),
        (f"unit page: most seats ({busiest[1]})", reverse("org:unit_detail", kwargs={"unit_id": busiest[0]}), {}),
        (f"unit page: fewest seats ({smallest[1]})", reverse("org:unit_detail", kwargs={"unit_id": smallest[0]}), {}),
        *[
            (f"person page #{n + 1}", reverse("people:person_detail", kwargs={"person_id": pk}), {})
            for n, pk in enumerate(people)
        ],
        ("people list, page 1", reverse("people:person_list"), {}),
        ("search “nguyen van”", reverse("people:person_list") + "?q=nguyen+van", {}),
        ("search “tran thi h”, page 3", reverse("people:person_list") + "?q=tran+thi+h&page=3", {}),
    ]
    results = []
    for label, url, headers in cases:
        row = measure(client, url, args.runs, **headers)
        row["page"] = label
        results.append(row)
        print(f"{label:40s} median {row['median_ms']:7.1f} ms  p95 {row['p95_ms']:7.1f} ms  queries {row['queries']}", file=sys.stderr)

    meta = {
        "database": connection.vendor,
        "people": Person.objects.count(),
        "units": Unit.objects.count(),
        "seats": Position.objects.count(),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "runs_per_page": args.runs,
    }
    print(json.dumps({"meta": meta, "results": results}, ensure_ascii=False, indent=2))
    print("\n| page | median ms | p95 ms | queries |\n| --- | ---: | ---: | ---: |")
    for row in results:
        print(f"| {row['page']} | {row['median_ms']} | {row['p95_ms']} | {', '.join(map(str, row['queries']))} |")


if __name__ == "__main__":
    main()
