"""`canbo rules …` and `canbo check …`: JSON output, and exit code 2 with a message on bad input."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from canbo.audit.models import AuditEvent
from canbo.regulations.models import LocalResolution

ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def run_json(*args):
    return json.loads(run(*args, "--json"))


def refused(*args) -> str:
    with pytest.raises(CommandError) as exc:
        run(*args)
    assert exc.value.returncode == 2
    return str(exc.value)


def test_retirement_prints_exactly_the_documented_json():
    out = run("rules", "retirement", "--sex", "male", "--birth", "1961-01", "--json")
    assert out.strip() == '{"retirement_age": {"years": 60, "months": 3}, "retirement_month": "2021-04", "pension_from": "2021-05-01"}'


def test_retirement_of_a_woman_and_of_an_unknown_month():
    assert run_json("rules", "retirement", "--sex", "female", "--birth", "1966-05") == {
        "retirement_age": {"years": 55, "months": 4}, "retirement_month": "2021-09", "pension_from": "2021-10-01",
    }  # fmt: skip
    assert run_json("rules", "retirement", "--sex", "male", "--birth", "1980")["retirement_month"] == "2042-01"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--sex", "other", "--birth", "1962-09"), "Giới tính"),
        (("--sex", "male", "--birth", "1962-13"), "--birth"),
        (("--sex", "male", "--birth", "09/1962"), "--birth"),
    ],
)
def test_retirement_bad_input_exits_2(args, fragment):
    assert fragment in refused("rules", "retirement", *args)


def test_bad_input_on_the_real_command_line_is_a_message_not_a_traceback(tmp_path):
    env = {**os.environ, "CANBO_SQLITE_PATH": str(tmp_path / "x.sqlite3"), "DJANGO_SETTINGS_MODULE": "canbo.settings"}
    env.pop("CANBO_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "canbo.cli", "rules", "retirement", "--sex", "male", "--birth", "1962-13", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "--birth" in result.stderr


def test_eligibility_json_names_every_rule(world):
    seat = world.position("pho-truong-phong", "phong")
    person = world.people["Phạm Văn Khải"]
    data = run_json("rules", "eligibility", "--person", str(person.pk), "--action", "appoint",
                    "--position", str(seat.pk), "--date", "2022-08-18")  # fmt: skip
    assert data["eligible"] is False
    rule = next(r for r in data["rules"] if r["rule"] == "service_left.appointment")
    assert rule["passed"] is False
    assert rule["effective_from"] == "2022-08-18"
    assert rule["values"]["service_left_months"] == 48
    assert any("Quy định 80-QĐ/TW" in s["document"] for s in rule["sources"])
    assert {r["rule"] for r in data["rules"]} >= {"seat.capacity", "kinship.conflict", "discipline.party"}


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"person": "987654"}, "--person"),
        ({"person": "abc"}, "--person"),
        ({"position": "987654"}, "--position"),
        ({"action": "promote"}, "--action"),
        ({"date": "2025-02-30"}, "--date"),
        ({"term": "2025-2031"}, "--term"),
    ],
)
def test_eligibility_bad_input_exits_2(world, overrides, fragment):
    args = {"person": str(world.people["Lê Thị Hoa"].pk), "action": "plan",
            "position": str(world.position("pho-truong-phong", "phong").pk), "date": "2026-01-01"}  # fmt: skip
    args.update(overrides)
    argv = ["rules", "eligibility"] + [x for k, v in args.items() for x in (f"--{k}", v)]
    assert fragment in refused(*argv)


def test_eligibility_action_the_title_does_not_allow_exits_2(world):
    seat = world.position("bi-thu-dang-uy-xa", "ward")
    message = refused("rules", "eligibility", "--person", str(world.people["Lê Thị Hoa"].pk), "--action", "second",
                      "--position", str(seat.pk), "--date", "2026-01-01")  # fmt: skip
    assert "biệt phái" in message


def test_deadlines_json(world):
    data = run_json("rules", "deadlines", "--unit", str(world.units["city"].pk), "--from", "2026-01-01", "--to", "2026-12-31")
    kinds = {(i["kind"], i["person"]["name"], i["due"]) for i in data["items"]}
    assert ("retirement", "Phạm Văn Khải", "2026-08-31") in kinds
    assert ("head_two_terms", "Trần Văn Bình", "2026-05-01") in kinds
    assert data["counts"]["retirement"] == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--unit", "987654", "--from", "2026-01-01", "--to", "2026-12-31"), "--unit"),
        (("--unit", "UNIT", "--from", "01-01-2026", "--to", "2026-12-31"), "--from"),
        (("--unit", "UNIT", "--from", "2026-12-31", "--to", "2026-01-01"), "--to"),
    ],
)
def test_deadlines_bad_input_exits_2(world, args, fragment):
    args = [str(world.units["city"].pk) if a == "UNIT" else a for a in args]
    assert fragment in refused("rules", "deadlines", *args)


def test_check_json_and_reform(world):
    from canbo.people import services as people_services

    people_services.relation_create(actor=None, person=world.people["Trần Văn Bình"], relative=world.people["Lê Thị Hoa"], kind="spouse")
    unit = str(world.units["city"].pk)
    data = run_json("check", "--unit", unit, "--date", "2026-01-01")
    kinship = next(r for r in data["rules"] if r["id"] == "compliance.kinship")
    assert kinship["count"] == 1
    assert {p["name"] for p in kinship["findings"][0]["people"]} == {"Trần Văn Bình", "Lê Thị Hoa"}
    events = AuditEvent.objects.count()
    reform = run_json("check", "--unit", unit, "--date", "2026-01-01", "--reform", '{"targets.women.committee": 0.6}')
    women = next(r for r in reform["counts"] if r["rule"] == "compliance.women_share")
    assert (women["before"], women["after"]) == (0, 1)
    assert AuditEvent.objects.count() == events and not LocalResolution.objects.exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--unit", "987654", "--date", "2026-01-01"), "--unit"),
        (("--unit", "UNIT", "--date", "tomorrow"), "--date"),
        (("--unit", "UNIT", "--date", "2026-01-01", "--reform", "{bad json"), "--reform"),
        (("--unit", "UNIT", "--date", "2026-01-01", "--reform", '{"targets.nothing": 1}'), "targets.nothing"),
        (("--unit", "UNIT", "--date", "2026-01-01", "--reform", '{"targets.women.committee": 3}'), "targets.women.committee"),
        (("--date", "2026-01-01"), "--unit"),
    ],
)
def test_check_bad_input_exits_2(world, args, fragment):
    args = [str(world.units["city"].pk) if a == "UNIT" else a for a in args]
    assert fragment in refused("check", *args)


def test_check_without_unit_is_still_djangos_system_check(db):
    assert "System check identified no issues" in run("check")


def test_seed_targets_copies_a_template_with_audit(world):
    out = run("rules", "seed-targets", "--unit", str(world.units["city"].pk), "--template", "hanoi_04_nq_tu")
    assert "04-NQ/TU" in out
    resolution = LocalResolution.objects.get(code="04-NQ/TU")
    assert resolution.targets.count() == 2
    assert AuditEvent.objects.filter(action="target.create", source="cli").count() == 2
    # Running it again changes nothing.
    run("rules", "seed-targets", "--unit", str(world.units["city"].pk), "--template", "hanoi_04_nq_tu")
    assert AuditEvent.objects.filter(action="target.create").count() == 2
    assert "--template" in refused("rules", "seed-targets", "--unit", str(world.units["city"].pk), "--template", "nope")


def test_parameters_json_lists_values_and_flags():
    data = run_json("rules", "parameters", "--date", "2026-01-01")
    by_name = {p["name"]: p for p in data["parameters"]}
    assert by_name["retirement.age.male"]["value"] == 738
    assert by_name["secondment.max_months"]["to_confirm"] is True
