"""The official area lists as shipped by the vietnam-provinces and vietnamadminunits packages.

- Two-tier regime (from 1 July 2025): `vietnam_provinces/data/nested-divisions.json`, whose codes
  follow the General Statistics Office's list; it is the reference for 2025 codes and names.
- Legacy regime (63 provinces, districts, communes until 30 June 2025): the `admin_units_legacy`
  table of `vietnamadminunits/data/dataset.db`.
- Old → new: `vietnamadminunits/data/converter_2025.json`, keyed by the package's name keys.
  Its new-commune codes differ from vietnam-provinces' for about 120 units, so new communes are
  matched on (province, name) instead; a name that does not match raises at load time.

Everything is parsed once per process and cached, so repeated loads (tests) only touch the database.
"""

import importlib.util
import json
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from canbo.common.text import clean_text, fold

LEGACY = "legacy"
TWO_TIER = "2025"
PROVINCE, DISTRICT, COMMUNE = 1, 2, 3

CENTRAL_CITY = "thành phố trung ương"
PROVINCE_KIND = "tỉnh"
_LEGACY_DISTRICT_KINDS = {"Quận": "quận", "Huyện": "huyện", "Thị xã": "thị xã"}


@dataclass(frozen=True)
class AreaRecord:
    regime: str
    level: int
    code: str
    name: str
    kind: str
    province_code: str
    parent: tuple[int, str] | None  # (level, code) of the parent in the same regime


@dataclass(frozen=True)
class SuccessionRecord:
    old_level: int
    old_code: str
    old_province: str
    new_level: int
    new_code: str
    is_primary: bool


class SourceDataError(RuntimeError):
    """The packaged data does not hold together (a package upgrade changed its shape)."""


def package_dir(package: str) -> Path:
    # find_spec does not import the package: vietnamadminunits' __init__ loads its parser data.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise SourceDataError(f"Thiếu gói dữ liệu {package}")
    return Path(next(iter(spec.submodule_search_locations)))


def _dataset() -> sqlite3.Connection:
    path = package_dir("vietnamadminunits") / "data" / "dataset.db"
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")  # huyền, sắc, ngã, hỏi, nặng


def name_key(name: str) -> str:
    """Matching key across the two packages, which differ in tone placement (Hoà/Hòa), dashes, spaces.

    Diacritics cannot simply be dropped: "Xã Sơn Hà" and "Xã Sơn Hạ" are two communes of one
    province. Each word keeps its letters and its tone, wherever the tone mark sits.
    """
    words = []
    for word in re.findall(r"\w+", clean_text(name).casefold()):
        decomposed = unicodedata.normalize("NFD", word)
        tones = "".join(ch for ch in decomposed if ch in _TONE_MARKS)
        letters = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in _TONE_MARKS))
        words.append(letters + tones)
    return " ".join(words)


@lru_cache(maxsize=1)
def two_tier_records() -> tuple[AreaRecord, ...]:
    path = package_dir("vietnam_provinces") / "data" / "nested-divisions.json"
    provinces = json.loads(path.read_text(encoding="utf-8"))
    records: list[AreaRecord] = []
    for province in provinces:
        code = f"{province['code']:02d}"
        kind = clean_text(province["division_type"])
        name = clean_text(province["name"])
        # The package writes "Thành phố Hà Nội" but plain "Cao Bằng"; name both the official way.
        if kind == PROVINCE_KIND and not fold(name).startswith("tinh "):
            name = f"Tỉnh {name}"
        records.append(AreaRecord(TWO_TIER, PROVINCE, code, name, kind, code, None))
        for ward in province["wards"]:
            records.append(
                AreaRecord(
                    TWO_TIER,
                    COMMUNE,
                    f"{ward['code']:05d}",
                    clean_text(ward["name"]),
                    clean_text(ward["division_type"]),
                    code,
                    (PROVINCE, code),
                )
            )
    return tuple(records)


@lru_cache(maxsize=1)
def legacy_records() -> tuple[AreaRecord, ...]:
    with _dataset() as db:
        rows = db.execute(
            "SELECT province, provinceCode, district, districtType, districtCode, ward, wardType, wardCode "
            "FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode"
        ).fetchall()
    records: list[AreaRecord] = []
    seen: set[tuple[int, str]] = set()
    for province, p_code, district, d_type, d_code, ward, w_type, w_code in rows:
        province = clean_text(province)
        central = fold(province).startswith("thanh pho ")
        if (PROVINCE, p_code) not in seen:
            seen.add((PROVINCE, p_code))
            kind = CENTRAL_CITY if central else PROVINCE_KIND
            records.append(AreaRecord(LEGACY, PROVINCE, p_code, province, kind, p_code, None))
        if (DISTRICT, d_code) not in seen:
            seen.add((DISTRICT, d_code))
            d_type = clean_text(d_type)
            if d_type == "Thành phố":
                kind = "thành phố thuộc thành phố trung ương" if central else "thành phố thuộc tỉnh"
            else:
                kind = _LEGACY_DISTRICT_KINDS[d_type]
            records.append(AreaRecord(LEGACY, DISTRICT, d_code, clean_text(district), kind, p_code, (PROVINCE, p_code)))
        # Island districts (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) had no communes.
        if w_code:
            records.append(
                AreaRecord(LEGACY, COMMUNE, w_code, clean_text(ward), clean_text(w_type).lower(), p_code, (DISTRICT, d_code))
            )
    return tuple(records)


@lru_cache(maxsize=1)
def succession_records() -> tuple[SuccessionRecord, ...]:
    """The official old → new mapping: communes, island districts, provinces."""
    converter = json.loads((package_dir("vietnamadminunits") / "data" / "converter_2025.json").read_text(encoding="utf-8"))
    with _dataset() as db:
        legacy_units = {
            f"{p_key}_{d_key}_{w_key or ''}": ((COMMUNE, w_code) if w_code else (DISTRICT, d_code), p_code)
            for p_key, d_key, w_key, p_code, d_code, w_code in db.execute(
                "SELECT provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode FROM admin_units_legacy"
            )
        }
        legacy_provinces = dict(db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units_legacy"))
        new_provinces = dict(db.execute("SELECT DISTINCT provinceKey, provinceCode FROM admin_units"))
        new_wards = {
            (p_key, w_key): (p_code, ward)
            for p_key, w_key, p_code, ward in db.execute("SELECT provinceKey, wardKey, provinceCode, ward FROM admin_units")
        }
    official = {(r.province_code, name_key(r.name)): r.code for r in two_tier_records() if r.level == COMMUNE}

    def new_commune(province_key: str, ward_key: str) -> str:
        p_code, ward = new_wards[(province_key, ward_key)]
        try:
            return official[(p_code, name_key(ward))]
        except KeyError:
            raise SourceDataError(f"Không khớp được đơn vị mới {ward} (tỉnh {p_code}) với danh mục 2025") from None

    records: list[SuccessionRecord] = []
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        for old_key in old_keys:
            old_code = legacy_provinces[old_key]
            records.append(SuccessionRecord(PROVINCE, old_code, old_code, PROVINCE, new_provinces[new_key], True))
    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            new_code = new_commune(province_key, ward_key)
            for old_key in old_keys:
                (old_level, old_code), old_province = legacy_units[old_key]
                records.append(SuccessionRecord(old_level, old_code, old_province, COMMUNE, new_code, True))
    for province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            (old_level, old_code), old_province = legacy_units[old_key]
            for part in parts:
                new_code = new_commune(province_key, part["newWardKey"])
                records.append(
                    SuccessionRecord(old_level, old_code, old_province, COMMUNE, new_code, bool(part["isDefaultNewWard"]))
                )
    return tuple(records)
