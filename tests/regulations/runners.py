"""How each kind of YAML case is run: build the input, ask the engine, compare the output."""

import datetime as dt

from canbo.regulations.params import default_parameters, json_value
from canbo.regulations.retirement import retirement_for

from . import scenario as s


def runner(needs_db: bool):
    def wrap(func):
        func.needs_db = needs_db
        return func

    return wrap


def period(case) -> dt.date:
    return s.date(case["period"])


@runner(needs_db=False)
def run_retirement(case):
    year, _, month = str(case["input"]["birth"]).partition("-")
    result = retirement_for(sex=case["input"]["sex"], birth_year=int(year), birth_month=int(month) if month else None)
    assert result.as_json() == {k: (str(v) if k != "retirement_age" else v) for k, v in case["output"].items()}


@runner(needs_db=False)
def run_parameter(case):
    params = default_parameters()
    on = period(case)
    expected = case["output"]
    if expected.get("in_force") is False:
        from canbo.regulations.params import ParameterNotInForce

        try:
            params.at(case["input"]["name"], on)
        except ParameterNotInForce:
            return
        raise AssertionError(f"{case['input']['name']} should not be in force on {on}")
    value = params.at(case["input"]["name"], on)
    if "value" in expected:
        assert json_value(value.value) == expected["value"]
    if "to_confirm" in expected:
        assert value.to_confirm is expected["to_confirm"]
    if "since" in expected:
        assert value.since == s.date(expected["since"])
    if "document" in expected:
        assert any(expected["document"] in ref.document for ref in value.references), value.references


@runner(needs_db=True)
def run_eligibility(case):
    from canbo.regulations.eligibility import ActionNotAllowed, evaluate_eligibility

    world = s.build(case["input"])
    person = world.people[case["input"]["subject"]]
    title, unit = case["input"]["target"]["title"], case["input"]["target"]["unit"]
    position = world.position(title, unit, case["input"]["target"].get("seat_count"))
    expected = case["output"]
    if "error" in expected:
        try:
            evaluate_eligibility(person, case["input"]["action"], position, period(case), term=case["input"].get("term"))
        except ActionNotAllowed as exc:
            assert expected["error"] in str(exc), str(exc)
            return
        raise AssertionError("expected the action to be refused")
    decision = evaluate_eligibility(person, case["input"]["action"], position, period(case), term=case["input"].get("term"))
    statuses = {o.rule_id: o.status for o in decision.outcomes}
    for rule_id, status in expected.get("rules", {}).items():
        assert statuses.get(rule_id) == status, f"{rule_id}: {statuses.get(rule_id)} ≠ {status}: " + next(
            (o.reason for o in decision.outcomes if o.rule_id == rule_id), "absent"
        )
    if "eligible" in expected:
        assert decision.eligible is expected["eligible"], [(o.rule_id, o.status, o.reason) for o in decision.outcomes]
    for rule_id, values in expected.get("values", {}).items():
        outcome = next(o for o in decision.outcomes if o.rule_id == rule_id)
        for key, value in values.items():
            assert json_value(outcome.values[key]) == json_value(value), (rule_id, key, outcome.values[key])
    for rule_id, document in expected.get("sources", {}).items():
        outcome = next(o for o in decision.outcomes if o.rule_id == rule_id)
        assert any(document in ref.document for ref in outcome.references), outcome.references


@runner(needs_db=True)
def run_deadlines(case):
    from canbo.regulations.deadlines import deadlines_in

    world = s.build(case["input"])
    window = case["input"]["window"]
    report = deadlines_in(world.units[case["input"].get("unit", "city")], s.date(window[0]), s.date(window[1]))
    kinds = case["output"].get("kinds")  # compare only these kinds (all when absent)
    got = sorted((i.kind, i.person_name, i.due.isoformat(), i.overdue) for i in report.items if not kinds or i.kind in kinds)
    want = sorted(
        (e["kind"], e["person"], str(e["due"]), bool(e.get("overdue", False))) for e in case["output"]["items"]
    )
    assert got == want, {"unexpected": sorted(set(got) - set(want)), "missing": sorted(set(want) - set(got))}


@runner(needs_db=True)
def run_compliance(case):
    from canbo.regulations.compliance import check_unit

    world = s.build(case["input"])
    params = default_parameters()
    if case["input"].get("reform"):
        from canbo.regulations.compliance import reform_keys

        params = params.with_reform(case["input"]["reform"], extra_keys=reform_keys())
    report = check_unit(world.units[case["input"].get("unit", "city")], period(case), params=params)
    counts = report.counts()
    for rule_id, count in case["output"].get("counts", {}).items():
        found = [f.message for f in report.findings if f.rule_id == rule_id]
        assert counts[rule_id] == count, f"{rule_id}: {counts[rule_id]} ≠ {count}: {found}"
    for expected in case["output"].get("findings", []):
        matches = [f for f in report.findings if f.rule_id == expected["rule"]]
        if "people" in expected:
            matches = [f for f in matches if sorted(n for _i, n in f.people) == sorted(expected["people"])]
        if "severity" in expected:
            matches = [f for f in matches if f.severity == expected["severity"]]
        if "unit" in expected:
            matches = [f for f in matches if f.unit_id == world.units[expected["unit"]].pk]
        assert matches, f"no finding like {expected}: {[(f.rule_id, f.message) for f in report.findings]}"


@runner(needs_db=False)
def run_working_days(case):
    """The working-day calendar: `day` → whether it is a working day; `from` and `working_days` →
    the day that many working days after (before, when negative)."""
    from canbo.regulations.calendar import working_calendar

    calendar = working_calendar(default_parameters())
    data, expected = case["input"], case["output"]
    if "day" in data:
        assert calendar.is_working_day(s.date(data["day"])) is expected["working"]
    else:
        assert calendar.shift(s.date(data["from"]), data["working_days"]) == s.date(expected["date"])


@runner(needs_db=False)
def run_rule(case):
    """One rule over facts given in the case (no database): for rules whose facts the system does
    not record yet (procedures under way), or to pin a rule's reading of one fact."""
    from canbo.regulations.facts import PersonFacts, ProcedureFact, TargetSeat
    from canbo.regulations.rules.base import RULES

    data = case["input"]
    person = data.get("person", {})
    birth = s.date(person.get("birth", "1980-01-01"))
    sex = person.get("sex", "M")
    facts = PersonFacts(
        id=1, full_name=person.get("name", "Người Thử"), sex=sex, birth_date=birth, birth_date_precision="day",
        category="cadre", party_joined_on=None, party_official_on=None, unit_id=1,
        retirement=retirement_for(sex=sex, birth_year=birth.year, birth_month=birth.month),
    )  # fmt: skip
    if "procedures" in person:
        facts.procedures = None if person["procedures"] is None else [
            ProcedureFact(p["kind"], s.date(p["opened"]), s.date(p.get("closed")), p.get("label", ""))
            for p in person["procedures"]
        ]  # fmt: skip
    target = data.get("seat", {})
    seat = TargetSeat(
        position_id=1, seat_count=1, unit_id=1, unit_path="0001", unit_name="Đơn vị thử", unit_search_name="don vi thu",
        title_id=1, title_code=target.get("title", "bi-thu-dang-uy-xa"), title_name=target.get("title", ""),
        title_rank=target.get("rank", 60), is_head=True, is_leadership=True, managing_body="provincial_standing",
    )  # fmt: skip
    outcome = RULES[data["rule"]].evaluate(default_parameters(), period(case), facts, seat, data.get("action", "plan"), None)
    assert outcome.status == case["output"]["status"], outcome.reason
    if "reason" in case["output"]:
        assert case["output"]["reason"] in outcome.reason, outcome.reason
    if "document" in case["output"]:
        assert any(case["output"]["document"] in ref.document for ref in outcome.references), outcome.references


RUNNERS = {
    "retirement": run_retirement,
    "parameter": run_parameter,
    "eligibility": run_eligibility,
    "deadlines": run_deadlines,
    "compliance": run_compliance,
    "working_days": run_working_days,
    "rule": run_rule,
}
