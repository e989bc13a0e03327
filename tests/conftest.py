import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from canbo.org.models import UnitKind

from . import factories as f

# Debian's Chromium, driven by Playwright; never a downloaded browser (`make test` installs it).
CHROMIUM = os.environ.get("CANBO_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture
def city(db):
    """A small city: the city committee with two wards, each with a cell and a people's committee."""
    root = f.make_unit("Đảng bộ Thành phố Hà Nội", kind=UnitKind.PROVINCIAL_COMMITTEE, code="HN")
    ward_a = f.make_unit("Đảng ủy phường Ba Đình", parent=root, code="HN-BADINH")
    ward_b = f.make_unit("Đảng ủy phường Hoàn Kiếm", parent=root, code="HN-HOANKIEM")
    cell_a = f.make_unit("Chi bộ tổ dân phố số 1", parent=ward_a, kind=UnitKind.PARTY_CELL, code="HN-BADINH-CB1")
    committee_b = f.make_unit("Ủy ban nhân dân phường Hoàn Kiếm", parent=ward_b, kind=UnitKind.PEOPLES_COMMITTEE, code="HN-HOANKIEM-UB")
    return {"root": root, "ward_a": ward_a, "ward_b": ward_b, "cell_a": cell_a, "committee_b": committee_b}


@pytest.fixture
def hanoi_areas(db):
    """Hà Nội's real areas, legacy and 2025, with the official old → new mapping (province "01" only).

    The packaged lists are parsed once per test session (cached in canbo.areas.sources); each
    test only inserts Hà Nội's ~700 rows, inside its own transaction.
    """
    from canbo.areas.loaders import load_areas
    from canbo.areas.models import AdminArea

    load_areas(provinces={"01"})
    areas = AdminArea.objects.with_parents()
    return {
        "province": areas.get(regime="2025", level=1, code="01"),  # Thành phố Hà Nội
        "ba_dinh": areas.get(regime="2025", level=3, code="00004"),  # Phường Ba Đình
        "hoan_kiem": areas.get(regime="2025", level=3, code="00070"),  # Phường Hoàn Kiếm
        "legacy_province": areas.get(regime="legacy", level=1, code="01"),  # Thành phố Hà Nội (until 30/06/2025)
        "legacy_district": areas.get(regime="legacy", level=2, code="001"),  # Quận Ba Đình
        "legacy_commune": areas.get(regime="legacy", level=3, code="00004"),  # Phường Trúc Bạch → Phường Ba Đình
    }


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session: Playwright's sync API allows one driver per thread."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM calls that build
    # test data there stay synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def database_on_disk(transactional_db, tmp_path):
    """On SQLite, run the test on a database file, as SQLite runs in production.

    The test database of SQLite lives in memory in shared-cache mode, whose locks are per table:
    a writer that meets another gets "database table is locked" at once, whatever the busy
    timeout, which says nothing about the service. The empty test database is copied to a file
    and every connection points there for the test; the in-memory one is kept open (closing it
    would destroy it) and put back afterwards.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    settings = connection.settings_dict
    in_memory_name = settings["NAME"]
    connection.ensure_connection()
    in_memory = connection.connection
    on_disk = sqlite3.connect(tmp_path / "test.sqlite3")
    in_memory.backup(on_disk)
    on_disk.close()
    settings["NAME"] = str(tmp_path / "test.sqlite3")
    connection.connection = None  # the next query opens the file
    try:
        yield
    finally:
        connection.close()
        settings["NAME"] = in_memory_name
        connection.connection = in_memory
