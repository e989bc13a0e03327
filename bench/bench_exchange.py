"""Excel exchange at scale: a 100,000-row people file through dry run, commit and export.

Targets (issue 4): import of 100,000 people rows under 120 s and under 2 GiB of memory;
export of the same under 60 s. Run on PostgreSQL with a scratch database (the bench writes
100,000 people and their audit rows under a new root unit, and audit rows cannot be deleted):

    createdb -h 127.0.0.1 -U postgres canbo_bench_exchange
    CANBO_DATABASE_URL=postgres://postgres@127.0.0.1:5432/canbo_bench_exchange \\
        .venv/bin/python bench/bench_exchange.py --rows 100000

Without CANBO_DATABASE_URL it uses a new SQLite file in a temporary directory. Each phase runs
in its own process, so its peak resident memory (getrusage ru_maxrss, Django included) is its
own; --tracemalloc adds the peak of Python allocations (and slows the phase down). Prints JSON.
"""

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "canbo.settings")

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Phan", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương")
MIDDLE = {"M": ("Văn", "Đức", "Quang", "Minh", "Hữu", "Xuân"), "F": ("Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng")}
GIVEN = {"M": ("Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Cường", "Long", "Sơn"), "F": ("Lan", "Hoa", "Hương", "Mai", "Linh", "Trang")}
ETHNIC = ("Kinh",) * 17 + ("Tày", "Thái", "Mường")
THEORY = ("Chưa qua đào tạo", "Sơ cấp", "Trung cấp", "Cao cấp")
STATE = ("Chưa qua bồi dưỡng", "Chuyên viên", "Chuyên viên chính")


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """CPU time of this process: on a shared machine, steadier than wall time (the database's is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def setup_django():
    import django

    django.setup()


# Phases (each in its own process) ----------------------------------------------------------------


def phase_setup(args) -> dict:
    """Migrate, create the bench's units, and write the people file."""
    setup_django()
    from django.core.management import call_command

    from canbo.areas.models import AdminArea
    from canbo.exchange.importers import importer_for
    from canbo.exchange.importers.areas import area_label
    from canbo.exchange.workbooks import write_table_workbook
    from canbo.org import services as org_services
    from canbo.org.models import UnitKind
    from canbo.people.citizen_id import century_sex_digit

    call_command("migrate", verbosity=0)
    tag = f"BX{int(time.time()) % 10**7}"
    root = org_services.unit_create(actor=None, parent=None, name=f"Đảng bộ thử tải {tag}", code=tag, kind=UnitKind.PROVINCIAL_COMMITTEE)
    codes = []
    for i in range(args.units):
        unit = org_services.unit_create(
            actor=None, parent=root, name=f"Đảng ủy phường thử {i + 1}", code=f"{tag}-{i + 1:03d}", kind=UnitKind.AFFILIATED_COMMITTEE
        )
        codes.append(unit.code)
    areas = [area_label(a) for a in AdminArea.objects.with_parents().filter(regime="2025", level=3)[:200]]

    rng = random.Random(args.seed)
    # A 6-digit serial per (province, century/sex, year) keeps every generated ID unique.
    serial = rng.randrange(10**5)
    provinces = ("01", "31", "79", "48", "92")

    def rows():
        nonlocal serial
        for _ in range(args.rows):
            sex = "M" if rng.random() < 0.6 else "F"
            year = rng.randrange(1966, 2001)
            born = dt.date(year, rng.randrange(1, 13), rng.randrange(1, 29))
            serial += 1
            number = f"0{rng.choice(provinces)}{century_sex_digit(birth_year=year, female=sex == 'F')}{year % 100:02d}{serial % 10**6:06d}"
            member = rng.random() < 0.7
            joined = dt.date(year + rng.randrange(20, 25), rng.randrange(1, 13), 1) if member else None
            place = rng.choice(areas) if areas else None
            values = {
                "citizen_id": number,
                "full_name": f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}",
                "sex": "Nam" if sex == "M" else "Nữ",
                "birth_date": born,
                "unit_code": rng.choice(codes),
                "ethnicity": rng.choice(ETHNIC),
                "religion": "Không",
                "category": "Công chức",
                "birthplace": place,
                "hometown": place,
                "residence": place,
                "residence_detail": f"Số {rng.randrange(1, 300)} phố Thử Nghiệm",
                "party_joined_on": joined,
                "party_official_on": joined.replace(year=joined.year + 1) if joined else None,
                "party_card_number": f"{rng.randrange(10**7, 10**8)}" if member else "",
                "general_education": "12/12",
                "political_theory": rng.choice(THEORY),
                "state_management": rng.choice(STATE),
                "foreign_language": "Tiếng Anh B1",
                "it_skill": "Ứng dụng CNTT cơ bản",
                "academic_title": "Không",
            }
            yield [values.get(c.field) for c in importer_for("people").columns]

    start = time.perf_counter()
    with open(args.file, "wb") as handle:
        write_table_workbook(importer_for("people"), rows(), handle)
    return {"root": root.code, "units": len(codes), "areas_used": len(areas), "generate_s": round(time.perf_counter() - start, 1),
            "file_mib": round(Path(args.file).stat().st_size / 2**20, 1)}  # fmt: skip


def phase_import(args, *, commit: bool) -> dict:
    setup_django()
    from canbo.exchange.engine import run_import
    from canbo.exchange.services import ConsolePolicy

    data = Path(args.file).read_bytes()
    start, cpu = time.perf_counter(), cpu_seconds()
    report = run_import(data, kind="people", actor=None, policy=ConsolePolicy(), commit=commit)
    wall, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    assert report.ok, report.as_dict()["errors"][:5] or report.refused
    return {"wall_s": round(wall, 1), "cpu_s": round(cpu, 1), "rows": report.total_rows, "created": report.created,
            "unchanged": report.unchanged, "committed": report.committed}  # fmt: skip


def phase_export(args) -> dict:
    setup_django()
    from canbo.exchange.importers import importer_for
    from canbo.exchange.services import ConsolePolicy
    from canbo.exchange.workbooks import write_table_workbook
    from canbo.org.models import Unit

    unit = Unit.objects.get(code=args.root)
    importer = importer_for("people")
    start, cpu = time.perf_counter(), cpu_seconds()
    with open(args.file + ".export.xlsx", "wb") as handle:
        rows = write_table_workbook(importer, importer.export_rows(ConsolePolicy(), unit), handle)
    return {"wall_s": round(time.perf_counter() - start, 1), "cpu_s": round(cpu_seconds() - cpu, 1), "rows": rows}


def run_phase(args) -> None:
    if args.tracemalloc:
        tracemalloc.start()
    if args.phase == "setup":
        result = phase_setup(args)
    elif args.phase == "export":
        result = phase_export(args)
    else:
        result = phase_import(args, commit=args.phase in ("commit", "reimport"))
    result["peak_rss_mib"] = peak_rss_mib()
    if args.tracemalloc:
        result["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
    print(json.dumps(result))


# The orchestration -------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--phase", choices=["setup", "dry-run", "commit", "reimport", "export"], help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        run_phase(args)
        return

    workdir = Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    env = dict(os.environ)
    database = "postgresql" if env.get("CANBO_DATABASE_URL") else "sqlite"
    if database == "sqlite":
        env["CANBO_SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    file = str(workdir / "can-bo.xlsx")

    def child(phase: str, *extra: str) -> dict:
        command = [sys.executable, __file__, "--phase", phase, "--file", file, "--rows", str(args.rows),
                   "--units", str(args.units), "--seed", str(args.seed), *extra]  # fmt: skip
        if args.tracemalloc:
            command.append("--tracemalloc")
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode:
            sys.stderr.write(done.stderr)
            raise SystemExit(f"phase {phase} failed")
        return json.loads(done.stdout.strip().splitlines()[-1])

    setup = child("setup")
    results = {
        "database": database,
        "rows": args.rows,
        "setup": setup,
        "dry_run": child("dry-run"),
        "commit": child("commit"),
        "reimport_unchanged": child("reimport"),
        "export": child("export", "--root", setup["root"]),
        "targets": {"import_s": 120, "import_mib": 2048, "export_s": 60},
    }
    results["within_targets"] = (
        results["commit"]["wall_s"] < 120
        and results["dry_run"]["wall_s"] < 120
        and max(results["commit"]["peak_rss_mib"], results["dry_run"]["peak_rss_mib"]) < 2048
        and results["export"]["wall_s"] < 60
    )
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
