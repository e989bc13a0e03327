"""Collects the YAML cases in `cases/` (OpenFisca's test format: name, period, input, output):
each case becomes a test item run by the runner its file names (`runner:` at the top)."""

import pytest
import yaml

from .runners import RUNNERS


class YamlCase(pytest.Function):
    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


class YamlCaseFile(pytest.File):
    def collect(self):
        data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
        runner = RUNNERS[data["runner"]]
        names = set()
        for case in data["cases"]:
            name = case["name"]
            assert name not in names, f"{self.path.name}: duplicate case name {name!r}"
            names.add(name)
            if runner.needs_db:

                def test(db, _case=case):
                    runner(_case)

            else:

                def test(_case=case):
                    runner(_case)

            yield YamlCase.from_parent(self, name=name, callobj=test)


def pytest_collect_file(parent, file_path):
    if file_path.suffix == ".yaml" and file_path.parent.name == "cases" and file_path.parent.parent.name == "regulations":
        return YamlCaseFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def world(db):
    """The scenario city (see scenario.py) with a few people in the ward."""
    from . import scenario

    return scenario.build(
        {
            "people": [
                {"name": "Trần Văn Bình", "birth": "1968-07-10", "unit": "ward",
                 "seats": [{"title": "bi-thu-dang-uy-xa", "unit": "ward", "kind": "election", "start": "2016-05-01"}]},
                {"name": "Lê Thị Hoa", "sex": "F", "birth": "1985-03-03", "unit": "ward",
                 "seats": [{"title": "pho-bi-thu-dang-uy-xa", "unit": "ward", "kind": "election"}]},
                {"name": "Phạm Văn Khải", "birth": "1965-02-10", "unit": "ward2"},
            ],
        }
    )  # fmt: skip


@pytest.fixture
def officer(world):
    """An officer (view + edit) of the city: the whole scenario is theirs."""
    from .. import factories as f

    return f.make_user("officer_city", grants=[(world.units["city"], "officer")])


@pytest.fixture
def ward_officer(world):
    from .. import factories as f

    return f.make_user("officer_ward", grants=[(world.units["ward"], "officer")])


@pytest.fixture
def admin_user(world):
    from .. import factories as f

    return f.make_user("admin_city", grants=[(world.units["city"], "administrator")])
